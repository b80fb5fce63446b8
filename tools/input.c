/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text inputs of the CLI: regular files are memory-mapped; standard input and pipes are read into
 * memory, capped so that an endless stream cannot exhaust it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

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
