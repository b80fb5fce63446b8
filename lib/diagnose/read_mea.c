/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ME Analyzer's tables, in both its boxed and its older plain layout: one image per table. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- ME Analyzer tables -------------------------------------------------------------------- */

static const struct {
        const char *label;
        size_t offset, size;
} mea_rows[] = {
#define ROW(l, f) { l, offsetof(mefw_diag_image, f), sizeof(((mefw_diag_image *) 0)->f) }
        ROW("Family", family),       ROW("SKU", sku),
        ROW("Type", type),           ROW("Release", release),
        ROW("Chipset Support", chipset), ROW("Date", date),
        ROW("Latest", latest),       ROW("TCB Security Version Number", tcb_svn),
        ROW("Version Control Number", vcn), ROW("Production Ready", production_ready),
#undef ROW
};

/* "| 9.0.31.1487.BIN (1/1) |" starts an image; "| Family | ME |" fills it. */
bool diag_match_mea_row(reader *rd, const char *line) {
        mefw_diag_run *run = diag_cur_run(rd);
        if (!run || run->kind != MEFW_RUN_MEA)
                return false;
        char cells[3][96];
        size_t n = 0;
        if (line[0] != '|') {
                /* The older plain layout: "File: x.bin", "Family: ME", "Platform: SPT/KBP". */
                const char *colon = strchr(line, ':');
                if (!colon || colon - line > 40)
                        return false;
                diag_copy_str(cells[0], sizeof cells[0], line, (size_t) (colon - line));
                const char *v = colon + 1;
                while (*v == ' ')
                        v++;
                diag_copy_cstr(cells[1], sizeof cells[1], v);
                if (strcasecmp(cells[0], "File") == 0) {
                        rd->image = diag_image_new(rd, cells[1], "ME Analyzer");
                        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                        return true;
                }
                if (strcasecmp(cells[0], "Platform") == 0)
                        diag_copy_cstr(cells[0], sizeof cells[0], "Chipset Support");
                else if (strcasecmp(cells[0], "PV") == 0)
                        diag_copy_cstr(cells[0], sizeof cells[0], "Production Ready");
                else if (strcasecmp(cells[0], "Chipset") == 0)
                        diag_copy_cstr(cells[0], sizeof cells[0], "Chipset Support");
                n = 2;
                goto row;
        }
        const char *p = line + 1;
        while (*p && n < 3) {
                size_t len = strcspn(p, "|");
                if (!p[len])
                        break;
                const char *s = p;
                while (*s == ' ' && s < p + len)
                        s++;
                size_t l = len - (size_t) (s - p);
                while (l > 0 && s[l - 1] == ' ')
                        l--;
                diag_copy_str(cells[n++], sizeof cells[0], s, l);
                p += len + 1;
        }
        if (n == 1) {
                const char *paren = strrchr(cells[0], '(');
                if (paren && paren > cells[0] && strchr(paren, '/') && !diag_ci_starts(cells[0], "ME Analyzer")) {
                        char name[96];
                        diag_copy_str(name, sizeof name, cells[0], (size_t) (paren - cells[0]));
                        size_t l = strlen(name);
                        while (l > 0 && name[l - 1] == ' ')
                                name[--l] = 0;
                        rd->image = diag_image_new(rd, name, "ME Analyzer");
                        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                }
                return true;
        }
        if (n == 2 && strcasecmp(cells[0], "Chipset") == 0)
                diag_copy_cstr(cells[0], sizeof cells[0], "Chipset Support");
row:
        if (n != 2 || rd->image < 0)
                return n > 0;
        mefw_diag_image *img = &rd->log->images[rd->image];
        if (strcasecmp(cells[0], "Version") == 0) {
                diag_image_set_version(img, cells[1]);
                return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(mea_rows); i++)
                if (strcasecmp(cells[0], mea_rows[i].label) == 0) {
                        diag_copy_cstr((char *) img + mea_rows[i].offset, mea_rows[i].size, cells[1]);
                        return true;
                }
        return true;
}
