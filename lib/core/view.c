/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "view.h"

void mefw_printable_name(const uint8_t *p, size_t n, char *out, size_t out_len) {
        size_t o = 0;
        if (out_len == 0)
                return;
        for (size_t i = 0; i < n; i++) {
                uint8_t c = p[i];
                if (c == 0)
                        break;
                if (c >= 0x20 && c < 0x7F && c != '\\') {
                        if (o + 1 >= out_len)
                                break;
                        out[o++] = (char) c;
                } else {
                        /* binary names (ME 8's first entry, damaged tables) are shown as hex */
                        if (o + 4 >= out_len)
                                break;
                        snprintf(out + o, out_len - o, "\\x%02X", c);
                        o += 4;
                }
        }
        out[o] = 0;
}
