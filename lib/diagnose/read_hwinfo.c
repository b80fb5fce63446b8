/* SPDX-License-Identifier: GPL-2.0-or-later */
/* HWiNFO's ME section: its report title, and its labels for a paste without the title. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* HWiNFO has no banner of its own in a paste; its report title is the best there is. */
bool diag_match_hwinfo_title(reader *rd, const char *lower) {
        if (strncmp(lower, "hwinfo", 6) == 0 && strstr(lower, " me")) {
                diag_open_run(rd, MEFW_RUN_HWINFO, "HWiNFO", NULL);
                return true;
        }
        return false;
}

/* HWiNFO's labels, for a paste without its title line. */
bool diag_is_hwinfo_label(const char *line) {
        static const char *const starts_[] = { "ME Current Working State:", "Intel ME Version:",
                                               "Host ME Region Flash Protection Override" };
        for (size_t i = 0; i < ELEMENTSOF(starts_); i++)
                if (diag_ci_starts(line, starts_[i]))
                        return true;
        return false;
}
