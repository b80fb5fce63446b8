/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Built against an installed mefw (mefw.pc) by scripts/install-check: the public API analyzes a file. */
#include <stdio.h>

#include <mefw/mefw.h>

int main(int argc, char **argv) {
        if (argc != 2)
                return 2;
        mefw_report *r = NULL;
        if (mefw_analyze_path(argv[1], &r) < 0)
                return 3;
        printf("%s %s %u.%u.%u.%u\n", r->fw.container ? r->fw.container : "-", r->fw.family ? r->fw.family : "-",
               r->fw.version[0], r->fw.version[1], r->fw.version[2], r->fw.version[3]);
        mefw_report_free(r);
        return 0;
}
