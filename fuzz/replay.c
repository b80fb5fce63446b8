/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A plain main() for the fuzz targets: feeds every file named on the command line (for a
 * directory, every regular file directly inside it, in name order) to LLVMFuzzerTestOneInput,
 * so each target also builds with any C compiler and replays seeds or crash files.
 * Each input gets a buffer of exactly its size, so a sanitizer build catches over-reads.
 * Exits 0 when every input was replayed, 1 when one could not be read or none was found.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int read_file(const char *path, uint8_t **ret, size_t *ret_size) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return errno > 0 ? -errno : -EIO;
        uint8_t *buf = NULL;
        size_t size = 0, cap = 0;
        for (;;) {
                if (size == cap) {
                        size_t ncap = cap ? cap * 2 : 65536;
                        uint8_t *n = realloc(buf, ncap);
                        if (!n) {
                                free(buf);
                                fclose(f);
                                return -ENOMEM;
                        }
                        buf = n;
                        cap = ncap;
                }
                size_t got = fread(buf + size, 1, cap - size, f);
                size += got;
                if (got == 0)
                        break;
        }
        int err = ferror(f) ? -EIO : 0;
        fclose(f);
        if (err < 0) {
                free(buf);
                return err;
        }
        /* exactly 'size' bytes (at least one allocated, so data is never NULL) */
        uint8_t *exact = malloc(size ? size : 1);
        if (!exact) {
                free(buf);
                return -ENOMEM;
        }
        memcpy(exact, buf, size);
        free(buf);
        *ret = exact;
        *ret_size = size;
        return 0;
}

static int replay_file(const char *path, unsigned *count) {
        uint8_t *data = NULL;
        size_t size = 0;
        int r = read_file(path, &data, &size);
        if (r < 0) {
                fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(-r));
                return r;
        }
        (void) LLVMFuzzerTestOneInput(data, size);
        free(data);
        (*count)++;
        return 0;
}

static int cmp_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int replay_dir(const char *dir, unsigned *count) {
        DIR *d = opendir(dir);
        if (!d) {
                int err = errno > 0 ? errno : EIO;
                fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(err));
                return -err;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char *path;
                if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                struct stat st;
                if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
                        free(path);
                        continue;
                }
                if (n == cap) {
                        size_t ncap = cap ? cap * 2 : 64;
                        char **nn = realloc(names, ncap * sizeof *names);
                        if (!nn) {
                                free(path);
                                r = -ENOMEM;
                                break;
                        }
                        names = nn;
                        cap = ncap;
                }
                names[n++] = path;
        }
        closedir(d);

        if (n > 0)
                qsort(names, n, sizeof *names, cmp_names);
        for (size_t i = 0; i < n; i++) {
                if (r == 0 && replay_file(names[i], count) < 0)
                        r = -EIO;
                free(names[i]);
        }
        free(names);
        return r;
}

int main(int argc, char **argv) {
        if (argc < 2) {
                fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
                return 2;
        }
        unsigned count = 0;
        int r = 0;
        for (int i = 1; i < argc; i++) {
                struct stat st;
                if (stat(argv[i], &st) < 0) {
                        fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
                        r = -ENOENT;
                        continue;
                }
                int q = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count) : replay_file(argv[i], &count);
                if (q < 0)
                        r = q;
        }
        printf("replayed %u input%s\n", count, count == 1 ? "" : "s");
        if (count == 0) {
                fprintf(stderr, "replay: no inputs found\n");
                return 1;
        }
        return r < 0 ? 1 : 0;
}
