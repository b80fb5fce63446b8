/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's access to the ME region, from the descriptor's master permissions as people paste
 * them: FPT -dumplock ("Host CPU master: 00 00 0B 0A", the bytes as stored) or ifdtool -d
 * ("FLMSTR1: 0x0a0b0000 (Host CPU/BIOS)"). An expert reads these first, to know whether FPT can
 * write the ME region at all; they become the facts host-read-me and host-write-me (Enabled or
 * Disabled), as MEInfo names them.
 *
 * The permission bits moved with the descriptor's layout: ME 6-10 descriptors keep the write bits
 * in 31:24 and the read bits in 23:16, CSME 11+ ones in 31:20 and 19:8. The ME region is region 2
 * in both. When the generation is unknown and the two layouts disagree, nothing is concluded.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

#define ME_REGION 2

/* "00 00 0B 0A" (four bytes as FPT prints them, lowest first) or "0x0a0b0000". */
static bool parse_master(const char *s, uint32_t *ret) {
        while (*s == ' ' || *s == '\t' || *s == ':' || *s == '=')
                s++;
        unsigned bytes[4];
        int used = 0;
        const char *p = s;
        for (int i = 0; i < 4; i++) {
                char *end;
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!isxdigit((unsigned char) p[0]) || !isxdigit((unsigned char) p[1]) || isxdigit((unsigned char) p[2]))
                        break;
                bytes[i] = (unsigned) strtoul(p, &end, 16);
                p = end;
                used++;
        }
        if (used == 4) {
                *ret = bytes[0] | bytes[1] << 8 | bytes[2] << 16 | (uint32_t) bytes[3] << 24;
                return true;
        }
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2;
        size_t n = strspn(s, "0123456789abcdefABCDEF");
        if (n != 8)
                return false;
        *ret = (uint32_t) strtoul(s, NULL, 16);
        return true;
}

/* -1 unknown, 0 ME 6-10 layout, 1 CSME 11+ layout: from the machine's or the post's generation. */
static int descriptor_layout(const reader *rd) {
        const mefw_diag_fact *g = mefw_diag_post_fact(rd->log, "generation", NULL);
        if (g && (strncmp(g->value, "CS", 2) == 0))
                return 1;
        if (g && (strncmp(g->value, "ME ", 3) == 0 || strncmp(g->value, "TXE", 3) == 0))
                return 0;
        return -1;
}

bool diag_match_dumplock(reader *rd, const char *line, const char *lower) {
        /* the host's master: "Host CPU master", "CPU/BIOS master", "FLMSTR1" */
        const char *label = strstr(lower, "host cpu master");
        if (!label)
                label = strstr(lower, "cpu/bios master");
        if (!label)
                label = strstr(lower, "bios master");
        if (!label && (label = strstr(lower, "flmstr1")) != NULL)
                label += 7;
        else if (label)
                label = strstr(label, "master") + 6;
        if (!label)
                return false;
        uint32_t v;
        if (!parse_master(line + (label - lower), &v))
                return false;
        bool v1_write = v >> (24 + ME_REGION) & 1, v1_read = v >> (16 + ME_REGION) & 1;
        bool v2_write = v >> (20 + ME_REGION) & 1, v2_read = v >> (8 + ME_REGION) & 1;
        int layout = descriptor_layout(rd);
        bool write, read;
        if (layout == 0 || (layout < 0 && v1_write == v2_write && v1_read == v2_read))
                write = v1_write, read = v1_read;
        else if (layout == 1)
                write = v2_write, read = v2_read;
        else
                return false; /* the two layouts disagree and nothing tells which it is */
        if (rd->run < 0)
                diag_open_run(rd, MEFW_RUN_FPT, "FPT", NULL);
        diag_fact_add(rd, "host-read-me", read ? "Enabled" : "Disabled", read ? 7 : 8);
        diag_fact_add(rd, "host-write-me", write ? "Enabled" : "Disabled", write ? 7 : 8);
        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        return true;
}
