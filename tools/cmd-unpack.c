/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw unpack FILE -o DIR [--force] [--verbose] [--json]
 *
 * Every part of a firmware file as a file of its own, and index.json describing them. Nothing is
 * written outside DIR: the names come from mefw_unpack_plan (safe components only), the folders
 * are opened without following links, and each file goes through the safe writer into its folder.
 * Existing files are checked for before anything is written: without --force a single one stops
 * the unpack, and nothing is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "mefw/json.h"
#include "term.h"

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw unpack FILE -o DIR [--force] [--verbose] [--json]\n"
                "\n"
                "Write every part of FILE into DIR (created if missing): the flash descriptor and each region\n"
                "(regions/), each partition (partitions/), each module of each manifest or $CPD directory\n"
                "(modules/PARTITION/; LZMA modules decompressed, Huffman-compressed and encrypted ones as\n"
                "stored), and index.json: name, offset, sizes, SHA-256 of the written file, compression and\n"
                "hash state of each. Names from the firmware are reduced to letters, digits, '.', '-' and '_'.\n"
                "An existing file is never replaced unless --force; then nothing is written at all.\n"
                "--verbose lists each file with its SHA-256; --json prints the index. -o is --output.\n"
                "\n"
                "Exit codes: 0 done, 1 refused or a file could not be written, 2 usage, 3 input unreadable.\n");
}

/* The folder of one item, created once, opened without following a link planted there. */
static int open_folder(int root, const char *folder) {
        int fd = root;
        char part[128];
        const char *p = folder;
        bool own = false;
        while (*p) {
                const char *slash = strchr(p, '/');
                size_t n = slash ? (size_t) (slash - p) : strlen(p);
                if (n == 0 || n >= sizeof part)
                        return -EINVAL;
                memcpy(part, p, n);
                part[n] = 0;
                if (mkdirat(fd, part, 0755) < 0 && errno != EEXIST) {
                        int r = -errno;
                        if (own)
                                close(fd);
                        return r;
                }
                int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                int r = next < 0 ? -errno : 0;
                if (own)
                        close(fd);
                if (r < 0)
                        return r;
                fd = next;
                own = true;
                p += n + (slash ? 1 : 0);
        }
        return own ? fd : dup(root);
}

static void split(const char *path, char *folder, size_t len, const char **ret_base) {
        const char *slash = strrchr(path, '/');
        size_t n = slash ? (size_t) (slash - path) : 0;
        snprintf(folder, len, "%.*s", (int) n, path);
        *ret_base = slash ? slash + 1 : path;
}

/* Does anything exist already where this item goes (a file, a link, anything)? */
static bool target_exists(int root, const char *path) {
        struct stat st;
        return fstatat(root, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

typedef struct {
        mefw_unpack_item *items;
        size_t n;
        char (*sha)[65];
        uint64_t *written;
        const char **notes;
} result;

static void write_index(mefw_json *j, const cli_image *img, const result *res, bool capped) {
        const mefw_report *r = img->report;
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "file", img->path);
        mefw_json_kv_string(j, "container", r->fw.container);
        mefw_json_kv_string(j, "family", r->fw.family);
        char v[32] = "";
        if (r->fw.has_version)
                snprintf(v, sizeof v, "%u.%u.%u.%u", r->fw.version[0], r->fw.version[1], r->fw.version[2],
                         r->fw.version[3]);
        mefw_json_kv_string(j, "version", r->fw.has_version ? v : NULL);
        mefw_json_kv_string(j, "signature", mefw_signature_state_name(r->fw.signature));
        mefw_json_kv_bool(j, "capped", capped);
        mefw_json_key(j, "files");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < res->n; i++) {
                const mefw_unpack_item *it = &res->items[i];
                if (!res->sha[i][0])
                        continue;
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "path", it->path);
                mefw_json_kv_string(j, "kind", it->kind);
                mefw_json_kv_string(j, "name", it->name);
                mefw_json_kv_string(j, "partition", it->partition[0] ? it->partition : NULL);
                mefw_json_kv_uint(j, "offset", it->offset);
                mefw_json_kv_uint(j, "stored_size", it->stored_size);
                mefw_json_kv_uint(j, "size", res->written[i]);
                mefw_json_kv_string(j, "sha256", res->sha[i]);
                mefw_json_kv_string(j, "compression", it->compression);
                mefw_json_kv_string(j, "hash", it->has_hash ? mefw_hash_state_name(it->hash) : NULL);
                mefw_json_kv_string(j, "note", res->notes[i]);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_end_object(j);
}

static int write_item(int root, const cli_image *img, const mefw_unpack_item *it, bool force, char sha[65],
                      uint64_t *ret_size, const char **ret_note) {
        char folder[128];
        const char *base;
        split(it->path, folder, sizeof folder, &base);
        const uint8_t *data;
        size_t size;
        uint8_t *owned = NULL;
        int k = mefw_unpack_item_bytes(it, img->file.data, img->file.size, &data, &size, &owned);
        if (k < 0)
                return k;
        *ret_note = k == 1 ? "could not be decompressed; stored as in the file" : it->note;
        int fd = open_folder(root, folder);
        if (fd < 0) {
                free(owned);
                return fd;
        }
        k = mefw_write_file_at(fd, base, data, size, force, NULL, NULL);
        close(fd);
        if (k >= 0)
                k = mefw_unpack_sha256(data, size, sha);
        if (k >= 0)
                *ret_size = size;
        free(owned);
        return k;
}

int cmd_unpack(int argc, char **argv) {
        static const struct option opts[] = {
                { "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
                { "json", no_argument, NULL, 'j' },         { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },         {},
        };
        const char *out = NULL;
        bool force = false, json = false, verbose = false;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "o:fjvh", opts, NULL)) >= 0)
                switch (c) {
                case 'o':
                        out = optarg;
                        break;
                case 'f':
                        force = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'v':
                        verbose = true;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        if (optind + 1 != argc || !out) {
                fprintf(stderr, "mefw unpack: give one FILE and -o DIR\n");
                return EXIT_USAGE;
        }

        cli_image img;
        int r = cli_image_load("unpack", argv[optind], &img);
        if (r != 0)
                return r;
        result res = {};
        bool capped = false;
        int root = -1;
        if (mefw_unpack_plan(img.report, img.file.size, &res.items, &res.n, &capped) < 0 ||
            !(res.sha = calloc(res.n + 1, sizeof *res.sha)) || !(res.written = calloc(res.n + 1, sizeof *res.written)) ||
            !(res.notes = calloc(res.n + 1, sizeof *res.notes))) {
                fprintf(stderr, "mefw unpack: out of memory\n");
                r = EXIT_UNREADABLE;
                goto done;
        }
        if (res.n == 0) {
                fprintf(stderr, "mefw unpack: %s holds nothing mefw can take apart (no descriptor, partition or "
                                "module was found)\n", img.path);
                r = EXIT_PROBLEM;
                goto done;
        }
        if (mkdir(out, 0755) < 0 && errno != EEXIST) {
                fprintf(stderr, "mefw unpack: cannot create %s: %s\n", out, strerror(errno));
                r = EXIT_PROBLEM;
                goto done;
        }
        root = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root < 0) {
                fprintf(stderr, "mefw unpack: cannot open %s: %s\n", out, strerror(errno));
                r = EXIT_PROBLEM;
                goto done;
        }
        /* Everything is checked before anything is written: an unpack is whole or not at all. */
        size_t clash = 0;
        const char *first = NULL;
        for (size_t i = 0; i <= res.n; i++) {
                const char *path = i < res.n ? res.items[i].path : "index.json";
                if (target_exists(root, path)) {
                        struct stat st;
                        bool regular = fstatat(root, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
                        if (!force || !regular) {
                                clash++;
                                first = first ? first : path;
                        }
                }
        }
        if (clash) {
                fprintf(stderr, "mefw unpack: %zu file%s already in %s (%s%s); nothing was written. %s\n", clash,
                        clash == 1 ? " is" : "s are", out, first, clash > 1 ? ", ..." : "",
                        force ? "--force replaces regular files only, never a link or anything else"
                              : "--force replaces them");
                r = EXIT_PROBLEM;
                goto done;
        }
        size_t failed = 0;
        for (size_t i = 0; i < res.n; i++) {
                int k = write_item(root, &img, &res.items[i], force, res.sha[i], &res.written[i], &res.notes[i]);
                if (k < 0) {
                        fprintf(stderr, "mefw unpack: %s: %s\n", res.items[i].path,
                                k == -ELOOP ? "a link is in the way; not followed" : strerror(-k));
                        res.sha[i][0] = 0;
                        failed++;
                } else if (verbose && !json)
                        printf("%s  %s\n", res.sha[i], res.items[i].path);
        }
        mefw_json j;
        mefw_json_init(&j, true);
        write_index(&j, &img, &res, capped);
        int k = mefw_json_ok(&j) && j.data
                        ? mefw_write_file_at(root, "index.json", (const uint8_t *) j.data, j.len, force, NULL, NULL)
                        : -ENOMEM;
        if (k < 0) {
                fprintf(stderr, "mefw unpack: index.json: %s\n", strerror(-k));
                failed++;
        }
        if (json && mefw_json_ok(&j))
                term_json_emit(&j);
        mefw_json_free(&j);
        if (!json) {
                size_t counts[4] = {};
                static const char *const kinds[] = { "descriptor", "region", "partition", "module" };
                for (size_t i = 0; i < res.n; i++)
                        for (size_t t = 0; t < 4; t++)
                                if (res.sha[i][0] && strcmp(res.items[i].kind, kinds[t]) == 0)
                                        counts[t]++;
                printf("Unpacked %s into %s: %zu region%s (descriptor included), %zu partition%s, %zu module%s; "
                       "index.json lists them%s.\n",
                       img.path, out, counts[0] + counts[1], counts[0] + counts[1] == 1 ? "" : "s", counts[2],
                       counts[2] == 1 ? "" : "s", counts[3], counts[3] == 1 ? "" : "s",
                       capped ? " (the list was capped: a hostile table?)" : "");
        }
        r = failed ? EXIT_PROBLEM : EXIT_OK;
done:
        if (root >= 0)
                close(root);
        free(res.items);
        free(res.sha);
        free(res.written);
        free(res.notes);
        cli_image_done(&img);
        return r;
}
