/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text inputs of the CLI: regular files are memory-mapped; standard input and pipes are read into
 * memory, capped so that an endless stream cannot exhaust it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "term.h"

static int read_stream(FILE *f, char **ret, size_t *ret_len) {
        size_t cap = 1 << 16, len = 0;
        char *buf = malloc(cap);
        int r = 0;
        while (buf) {
                if (len == cap) {
                        if (cap >= CLI_TEXT_MAX) {
                                r = -EFBIG;
                                break;
                        }
                        char *nb = realloc(buf, cap * 2);
                        if (!nb) {
                                r = -ENOMEM;
                                break;
                        }
                        buf = nb;
                        cap *= 2;
                }
                size_t got = fread(buf + len, 1, cap - len, f);
                len += got;
                if (got == 0) {
                        if (ferror(f))
                                r = -EIO;
                        break;
                }
        }
        if (!buf)
                return -ENOMEM;
        if (r < 0) {
                free(buf);
                return r;
        }
        *ret = buf;
        *ret_len = len;
        return 0;
}

int cli_text_load(const char *path, cli_text *ret) {
        cli_text t = {};
        int r = strcmp(path, "-") == 0 ? -EINVAL : mefw_map_file(path, &t.map);
        if (r == 0) {
                t.data = (const char *) t.map.data;
                t.size = t.map.size;
        } else if (r == -EINVAL) {
                /* standard input, a pipe or a FIFO: not mappable */
                FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
                if (!f)
                        return -errno;
                r = read_stream(f, &t.buffer, &t.size);
                if (f != stdin)
                        fclose(f);
                if (r < 0)
                        return r;
                t.data = t.buffer;
        } else {
                return r;
        }
        if (!t.data)
                t.data = "";
        *ret = t;
        return 0;
}

void cli_text_done(cli_text *t) {
        free(t->buffer);
        mefw_unmap_file(&t->map);
        memset(t, 0, sizeof *t);
}

int cli_db_load(const char *cmd, const char *path, mefw_db **ret) {
        cli_text t;
        int r = cli_text_load(path, &t);
        if (r < 0) {
                fprintf(stderr, "mefw %s: cannot read the database %s: %s\n", cmd, path, strerror(-r));
                return EXIT_UNREADABLE;
        }
        mefw_messages diag = {};
        mefw_db *db = NULL;
        r = mefw_db_parse(t.data, t.size, &db, &diag);
        cli_text_done(&t);
        for (size_t i = 0; i < diag.count; i++)
                fprintf(stderr, "mefw %s: %s: %s\n", cmd, path, diag.items[i].text);
        if (diag.dropped)
                fprintf(stderr, "mefw %s: %s: %zu more problems not shown\n", cmd, path, diag.dropped);
        mefw_messages_clear(&diag);
        if (r < 0) {
                fprintf(stderr, "mefw %s: %s is not a usable database: %s\n", cmd, path,
                        r == -EINVAL ? "no known [section]" : strerror(-r));
                return EXIT_UNREADABLE;
        }
        mefw_db_use(db);
        *ret = db;
        return 0;
}
