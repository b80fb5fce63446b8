/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux: what fwupd and the kernel say of the engine. fwupdmgr's device tree and update prompts
 * ("Intel Management Engine", "Current version: 192.47.1524", "Upgrade ... from 184.86.3909 to
 * 184.90.3987?"), its security report ("v0:11.8.50.3425"), and the mei driver's sysfs files
 * ("cat /sys/class/mei/mei0/fw_ver" then "0:12.0.64.1551").
 *
 * Some system makers publish the engine's version to fwupd with major and minor packed in one
 * number (major * 16 + minor: 184.86.3909 is CSME 11.8.86.3909, 192.47.1524 is 12.0.47.1524);
 * such versions are unpacked so they compare with what Intel's tools print.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

#define FWUPD_REACH 12 /* lines after a device heading that still belong to it */

/* "184.86.3909" (packed) or "12.0.64.1551" into the engine's four-part version text. */
static bool engine_version(const char *s, char *out, size_t len) {
        uint16_t v[4];
        const char *end;
        int parts = diag_parse_version(s, v, &end);
        if (isalnum((unsigned char) *end))
                return false;
        if (parts == 4 && v[0] >= 1 && v[0] <= 30) {
                snprintf(out, len, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
                return true;
        }
        if (parts == 3 && v[0] >= 11 * 16 && v[0] < 32 * 16) {
                snprintf(out, len, "%u.%u.%u.%u", v[0] >> 4, v[0] & 15, v[1], v[2]);
                return true;
        }
        return false;
}

static void engine_fact(reader *rd, const char *name, const char *version) {
        diag_post_fact(rd, name, version, strlen(version));
        uint16_t v[4];
        if (diag_parse_version(version, v, NULL) == 4) {
                char g[24];
                snprintf(g, sizeof g, "%s %u.%u", v[0] >= 11 ? "CSME" : "ME", v[0], v[1]);
                diag_post_fact(rd, "generation", g, strlen(g));
        }
}

/* The first version-looking text at or after s (a number that starts a word). */
static const char *next_version(const char *s) {
        for (const char *p = s; *p; p++)
                if (isdigit((unsigned char) *p) && (p == s || !isalnum((unsigned char) p[-1]) || p[-1] == 'v'))
                        return p;
        return NULL;
}

bool diag_match_linux_fw(reader *rd, const char *line, const char *lower) {
        char v[32];
        bool dotted = strchr(lower, '.') != NULL, heading = line[0] && line[strlen(line) - 1] == ':';
        if (!dotted && !heading && !strstr(lower, "fw_ver"))
                return false; /* every shape read here holds a version or is a heading: most lines are neither */
        bool me_named = strstr(lower, "management engine") || strstr(lower, "csme") || strstr(lower, "intel me");
        /* fwupd's device heading ("Intel Management Engine:"): its fields follow */
        if (me_named && (heading || strstr(lower, "fwupd") || strstr(lower, "upgrade ") || strstr(lower, "->")))
                rd->fwupd_me_line = rd->lineno;
        if (!dotted && !strstr(lower, "fw_ver"))
                return false;
        /* "Upgrade Intel Management Engine from A to B?", "Intel Management Engine (A → B)" */
        if (me_named) {
                /* only fwupd's own shapes: a prompt to move between versions, or a version pair
                 * with an arrow; "Intel Management Engine (ME) Firmware Version 11.0" is no such */
                bool prompt = (strstr(lower, "upgrade ") || strstr(lower, "downgrade ")) && strstr(lower, " to ");
                bool arrow = strstr(lower, "->") || strstr(lower, "\xE2\x86\x92");
                const char *from = prompt ? strstr(lower, " from ") : NULL;
                const char *paren = arrow ? strchr(lower, '(') : NULL;
                const char *a = from ? next_version(line + (from - lower) + 6) : paren ? next_version(line + (paren - lower)) : NULL;
                if (a && engine_version(a, v, sizeof v)) {
                        engine_fact(rd, "firmware", v);
                        diag_post_fact(rd, "tool", "fwupdmgr", 8);
                        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                        return true;
                }
        }
        /* "Current version: 192.47.1524" under the engine's heading */
        const char *cur = strstr(lower, "current version:");
        if (cur && rd->fwupd_me_line && rd->lineno - rd->fwupd_me_line <= FWUPD_REACH) {
                const char *a = next_version(line + (cur - lower) + 16);
                if (a && engine_version(a, v, sizeof v)) {
                        engine_fact(rd, "firmware", v);
                        diag_post_fact(rd, "tool", "fwupdmgr", 8);
                        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                        return true;
                }
        }
        /* fwupd's security report: "... v0:11.8.50.3425", and sysfs fw_ver: "0:12.0.64.1551" */
        const char *p = strstr(lower, "v0:");
        if (!p && strncmp(lower, "0:", 2) == 0 && rd->sysfs_fw_ver_line && rd->lineno - rd->sysfs_fw_ver_line <= 4)
                p = lower - 1;
        if (p && engine_version(line + (p - lower) + 3, v, sizeof v)) {
                engine_fact(rd, "firmware", v);
                diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                return true;
        }
        if (strstr(lower, "/sys/class/mei/") && strstr(lower, "fw_ver")) {
                rd->sysfs_fw_ver_line = rd->lineno;
                diag_post_fact(rd, "os", "Linux", 5);
                return false;
        }
        return false;
}
