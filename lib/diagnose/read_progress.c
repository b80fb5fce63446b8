/* SPDX-License-Identifier: GPL-2.0-or-later */
/* FWUpdLcl's progress: its Flash Info / Image Info sections, percentages and stages, the success line. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- Progress ------------------------------------------------------------------------------ */

bool diag_match_progress(reader *rd, const char *lower) {
        mefw_diag_run *run = diag_cur_run(rd);
        if (!run)
                return false;
        if (strstr(lower, "***** flash info") || strstr(lower, "*** flash info")) {
                rd->fwu_section = FWU_FLASH;
                return true;
        }
        if (strstr(lower, "***** image info") || strstr(lower, "*** image info")) {
                rd->fwu_section = FWU_IMAGE;
                return true;
        }
        if (strstr(lower, "update image to fw for verification") || strstr(lower, "sending the update image")) {
                if (strstr(lower, "complete"))
                        run->image_accepted_line = rd->lineno;
                return true;
        }
        if (strstr(lower, "uploading through tpm")) {
                run->upload_line = rd->lineno;
                return true;
        }
        if (strstr(lower, "completed successfully") || strstr(lower, "update completed") || strstr(lower, "update is complete") ||
            strstr(lower, "update was successful")) {
                run->success_line = rd->lineno;
                return true;
        }
        if (strstr(lower, "connected to heci driver") || strstr(lower, "connected to mei driver")) {
                diag_set_environment(rd, "Windows");
                return true;
        }
        const char *fw = strstr(lower, "fw update:");
        const char *pct = strchr(lower, '%');
        if (fw && pct) {
                const char *d = pct;
                while (d > lower && isdigit((unsigned char) d[-1]))
                        d--;
                unsigned percent = 0, stage = 0, stages = 0;
                if (d < pct && pct - d <= 3)
                        percent = (unsigned) atoi(d);
                const char *st = strstr(lower, "stage:");
                if (st)
                        sscanf(st, "stage: %5u of %5u", &stage, &stages);
                run->progress_line = rd->lineno;
                run->progress_percent = percent;
                run->progress_stage = stage;
                run->progress_stages = stages;
                return true;
        }
        return false;
}
