/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linux: mei_me / mei_txe lines of dmesg and the journal, and intelmetool's output. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- dmesg and intelmetool ----------------------------------------------------------------- */

/* "[    2.345678] mei_me 0000:00:16.0: ..." or journal lines naming mei_me/mei_txe. */
bool diag_match_dmesg(reader *rd, const char *line, const char *lower) {
        if (!strstr(lower, "mei_me") && !strstr(lower, "mei_txe") && !strstr(lower, "mei_gsc") &&
            !diag_ci_starts(lower, "mei:") && !strstr(lower, "] mei "))
                return false;
        mefw_diag_run *run = diag_cur_run(rd);
        if (!run || run->kind != MEFW_RUN_DMESG) {
                diag_open_run(rd, MEFW_RUN_DMESG, "dmesg", NULL);
                diag_set_environment(rd, "Linux");
        }
        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        if (diag_errorish(lower) || strstr(lower, "reset") || strstr(lower, "timeout") || strstr(lower, "timed out") ||
            mefw_kb_match(rd->kb, MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_DMESG), 0, -1, line, NULL))
                diag_record_error(rd, -1, line, line, MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_DMESG), true);
        return true;
}

bool diag_match_intelmetool(reader *rd, const char *line) {
        if (!diag_ci_starts(line, "MEI found") && !diag_ci_starts(line, "Bad news, you have a") && !diag_ci_starts(line, "ME: "))
                return false;
        mefw_diag_run *run = diag_cur_run(rd);
        if (diag_ci_starts(line, "MEI found") || !run || run->kind != MEFW_RUN_INTELMETOOL) {
                diag_open_run(rd, MEFW_RUN_INTELMETOOL, "intelmetool", NULL);
                diag_set_environment(rd, "Linux");
        }
        const char *v;
        if ((v = diag_ci_starts(line, "ME: Firmware Version :")) || (v = diag_ci_starts(line, "ME: Firmware Version:"))) {
                while (*v == ' ')
                        v++;
                diag_record_firmware(rd, v, strcspn(v, " "));
        }
        return true;
}
