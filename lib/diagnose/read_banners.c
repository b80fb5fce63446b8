/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Intel tool banners ("Intel(R) MEInfo Version: ...") that open a run, and the command lines typed before them. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- Banners ------------------------------------------------------------------------------- */

typedef struct {
        const char *needle;   /* lowercase, searched in the line */
        mefw_run_kind kind;
        const char *tool;
        bool version_needed;  /* "MEInfo" in a sentence is not a banner; "MEInfo Version: x" is */
} banner_def;

static const banner_def banners[] = {
        { "meinfo version", MEFW_RUN_MEINFO, "MEInfo", true },
        { "me info version", MEFW_RUN_MEINFO, "MEInfo", true }, /* CSME 15+: "Intel (R) ME Info Version:" */
        { "txeinfo version", MEFW_RUN_MEINFO, "TXEInfo", true },
        { "spsinfo version", MEFW_RUN_MEINFO, "SPSInfo", true },
        { "memanuf version", MEFW_RUN_MEMANUF, "MEManuf", true },
        { "txemanuf version", MEFW_RUN_MEMANUF, "TXEManuf", true },
        { "firmware update utility version", MEFW_RUN_FWUPDATE, "FWUpdLcl", true },
        { "firmware update tool version", MEFW_RUN_FWUPDATE, "FWUpdLcl", true },
        { "flash programming tool", MEFW_RUN_FPT, "FPT", true },
        { "me analyzer v", MEFW_RUN_MEA, "ME Analyzer", true },
};

static const char *find_version_after(const char *s) {
        while (*s && !isdigit((unsigned char) *s))
                s++;
        return *s ? s : NULL;
}

bool diag_match_banner(reader *rd, const char *line, const char *lower) {
        for (size_t i = 0; i < ELEMENTSOF(banners); i++) {
                const char *hit = strstr(lower, banners[i].needle);
                if (!hit)
                        continue;
                const char *after = line + (hit - lower) + strlen(banners[i].needle);
                const char *v = find_version_after(after);
                char version[24] = "";
                if (v && (v - after) <= 12) {
                        size_t n = strspn(v, "0123456789.");
                        diag_copy_str(version, sizeof version, v, n);
                }
                /* MEInfo 8 once printed its banner with an empty version field. */
                bool bare = !version[0] && strncmp(lower, "intel", 5) == 0 && strstr(lower, "version:") &&
                            !after[strspn(after, ": ")];
                if (banners[i].version_needed && !strchr(version, '.') && !bare)
                        continue;
                diag_open_run(rd, banners[i].kind, banners[i].tool, version);
                return true;
        }
        return diag_match_hwinfo_title(rd, lower);
}

/* ---- Command lines ------------------------------------------------------------------------- */

static const struct {
        const char *prefix; /* lowercase start of the executable's name */
        mefw_run_kind kind;
} executables[] = {
        { "fwupdlcl", MEFW_RUN_FWUPDATE }, { "fwupdate", MEFW_RUN_FWUPDATE }, { "fptw", MEFW_RUN_FPT },
        { "fpt", MEFW_RUN_FPT },           { "meinfo", MEFW_RUN_MEINFO },     { "txeinfo", MEFW_RUN_MEINFO },
        { "memanuf", MEFW_RUN_MEMANUF },   { "txemanuf", MEFW_RUN_MEMANUF },  { "intelmetool", MEFW_RUN_INTELMETOOL },
};

/* "c:\MEI>FWUpdLcl64.exe -allowsv -f 9.0.20.1447.BIN", "FWUpdLcl.exe x.bin -generic -verbose". */
bool diag_match_command(reader *rd, const char *line) {
        const char *p = line;
        /* A prompt: "C:\MEI>", "fs0:\>", "$ ", "# ", "sudo ". */
        const char *gt = strchr(p, '>');
        if (gt && gt - p < 300 && gt[1] && gt[1] != ' ')
                p = gt + 1;
        else if (gt && gt - p < 300 && gt[1] == ' ')
                p = gt + 2;
        if ((p[0] == '$' || p[0] == '#') && p[1] == ' ')
                p += 2;
        if (diag_ci_starts(p, "sudo "))
                p += 5;
        if (diag_ci_starts(p, "./"))
                p += 2;
        size_t tok = strcspn(p, " ");
        /* The name without its directory. */
        const char *name = p;
        for (size_t i = 0; i < tok; i++)
                if (p[i] == '\\' || p[i] == '/')
                        name = p + i + 1;
        size_t name_len = tok - (size_t) (name - p);
        mefw_run_kind kind = MEFW_RUN_UNKNOWN;
        for (size_t i = 0; i < ELEMENTSOF(executables); i++)
                if (name_len >= strlen(executables[i].prefix) && strncasecmp(name, executables[i].prefix, strlen(executables[i].prefix)) == 0) {
                        kind = executables[i].kind;
                        break;
                }
        if (kind == MEFW_RUN_UNKNOWN)
                return false;
        bool exe = diag_has_suffix_ci(name, name_len, ".exe"), efi = diag_has_suffix_ci(name, name_len, ".efi");
        const char *args = p + tok;
        while (*args == ' ')
                args++;
        /* A bare tool name on a line of its own is a heading, not a command. */
        if (!exe && !efi && gt == NULL && args[0] != '-' && args[0] != '/')
                return false;
        for (size_t i = 0; i < name_len; i++)
                if (!isalnum((unsigned char) name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
                        return false;
        diag_copy_cstr(rd->command, sizeof rd->command, line);
        rd->command_kind = kind;
        rd->command_line = rd->lineno;
        rd->command_age = 0;
        rd->command_image[0] = 0;
        rd->command_env = NULL;
        if (efi || strncasecmp(line, "fs", 2) == 0)
                rd->command_env = efi ? "EFI" : NULL;
        if (exe && (strcasestr(name, "64") || strcasestr(name, "win")))
                rd->command_env = "Windows";
        /* The image: the first argument that looks like a firmware file. */
        const char *a = args;
        while (*a) {
                size_t n = strcspn(a, " ");
                static const char *const exts[] = { ".bin", ".rom", ".bio", ".cap", ".upd", ".fd" };
                for (size_t i = 0; i < ELEMENTSOF(exts) && !rd->command_image[0]; i++)
                        if (diag_has_suffix_ci(a, n, exts[i]))
                                diag_copy_str(rd->command_image, sizeof rd->command_image, a, n);
                a += n;
                while (*a == ' ')
                        a++;
        }
        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        /* A command someone typed is something they did: "FWUpdLcl -f" tried an update, "fptw -d"
         * a dump, "fptw -f"/"-rewrite" a write. */
        static const char *const tool_names[] = { [MEFW_RUN_MEINFO] = "MEInfo", [MEFW_RUN_MEMANUF] = "MEManuf",
                                                  [MEFW_RUN_FWUPDATE] = "FWUpdLcl", [MEFW_RUN_FPT] = "FPT",
                                                  [MEFW_RUN_INTELMETOOL] = "intelmetool" };
        if ((size_t) kind < ELEMENTSOF(tool_names) && tool_names[kind])
                diag_post_fact(rd, "tool", tool_names[kind], strlen(tool_names[kind]));
        if (rd->command_env)
                diag_post_fact(rd, "environment", rd->command_env, strlen(rd->command_env));
        bool write = false, dump = false;
        for (const char *w = args; *w; w += strcspn(w, " "), w += strspn(w, " ")) {
                if (*w != '-' && *w != '/')
                        continue;
                const char *opt = w + 1;
                size_t n = strcspn(opt, " ");
                write |= (n == 1 && (opt[0] == 'f' || opt[0] == 'F')) || (n == 7 && strncasecmp(opt, "rewrite", 7) == 0);
                dump |= (n == 1 && (opt[0] == 'd' || opt[0] == 'D')) || (n == 8 && strncasecmp(opt, "dumplock", 8) == 0);
        }
        if (kind == MEFW_RUN_FWUPDATE && write)
                diag_post_fact(rd, "tried", "me-update", 9);
        else if (kind == MEFW_RUN_FPT && write)
                diag_post_fact(rd, "tried", "fpt-write", 9);
        else if (kind == MEFW_RUN_FPT && dump)
                diag_post_fact(rd, "tried", "fpt-dump", 8);
        return true;
}
