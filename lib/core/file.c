/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "mefw/core.h"
#include "util.h"

/* The process umask, read without changing it for longer than this call. */
static mode_t current_umask(void) {
        mode_t m = umask(0022);
        umask(m);
        return m;
}

int mefw_map_file(const char *path, mefw_mapped_file *ret) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;

        struct stat st;
        if (fstat(fd, &st) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        if (S_ISDIR(st.st_mode)) {
                close(fd);
                return -EISDIR;
        }
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        if ((uint64_t) st.st_size > MEFW_MAX_INPUT_SIZE) {
                close(fd);
                return -EFBIG;
        }

        mefw_mapped_file f = { .size = (size_t) st.st_size };
        if (f.size > 0) {
                void *p = mmap(NULL, f.size, PROT_READ, MAP_PRIVATE, fd, 0);
                if (p == MAP_FAILED) {
                        int r = -errno;
                        close(fd);
                        return r;
                }
                f.map = p;
                f.map_size = f.size;
                f.data = p;
        }
        close(fd);
        *ret = f;
        return 0;
}

void mefw_unmap_file(mefw_mapped_file *f) {
        if (f->map)
                munmap(f->map, f->map_size);
        *f = (mefw_mapped_file){};
}

/* ---- writing ---- */

static int write_all(int fd, const uint8_t *data, size_t size) {
        while (size > 0) {
                ssize_t n = write(fd, data, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return -EIO;
                data += n;
                size -= (size_t) n;
        }
        return 0;
}

/* The directory part of path ("." when there is none), for fsync after the rename. */
static char *dir_of(const char *path) {
        const char *slash = strrchr(path, '/');
        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, (size_t) (slash - path));
}

int mefw_write_file_atomic(const char *path, const uint8_t *data, size_t size,
                           int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        _cleanup_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.mefw-XXXXXX", path) < 0)
                return -ENOMEM;
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;

        int r = write_all(fd, data, size);
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && fchmod(fd, 0644 & ~current_umask()) < 0)
                r = -errno;
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r >= 0) {
                /* Read back what the disk holds, not what we meant to write; then let the caller
                 * re-parse it. */
                mefw_mapped_file f;
                r = mefw_map_file(tmp, &f);
                if (r >= 0) {
                        if (f.size != size || (size > 0 && memcmp(f.data, data, size) != 0))
                                r = -EIO;
                        else if (verify)
                                r = verify(f.data, f.size, userdata);
                        mefw_unmap_file(&f);
                }
        }
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }

        _cleanup_free_ char *dir = dir_of(path);
        if (dir) {
                int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dfd >= 0) {
                        (void) fsync(dfd);
                        close(dfd);
                }
        }
        return 0;
}
