/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The user's own words around the tool output: the environment a tool was run in, the board. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- The user's own words ------------------------------------------------------------------ */

void diag_match_prose(reader *rd, const char *line, const char *lower) {
        const char *env = NULL;
        if (diag_has_word(lower, "dos") || diag_has_word(lower, "freedos"))
                env = "DOS";
        else if (diag_has_word(lower, "efi") || diag_has_word(lower, "uefi shell") || diag_has_word(lower, "efi shell"))
                env = "EFI";
        else if (diag_has_word(lower, "windows") || diag_has_word(lower, "win"))
                env = "Windows";
        else if (diag_has_word(lower, "linux"))
                env = "Linux";
        if (env) {
                rd->hint_env = env;
                rd->hint_line = rd->lineno;
                rd->hint_age = 0;
        }
        static const char *const board_words[] = { "mainboard is ", "motherboard is ", "my board is ", "board model is " };
        for (size_t i = 0; i < ELEMENTSOF(board_words); i++) {
                const char *b = strstr(lower, board_words[i]);
                if (!b)
                        continue;
                const char *v = line + (b - lower) + strlen(board_words[i]);
                size_t n = strcspn(v, ".,;!?");
                while (n > 0 && v[n - 1] == ' ')
                        n--;
                if (n > 0) {
                        int saved = rd->run;
                        rd->run = -1; /* the user's words, not the tool's */
                        diag_fact_add(rd, "board", v, n);
                        rd->run = saved;
                        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                }
                break;
        }
}
