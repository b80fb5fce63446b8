/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Log readers for 'mefw diagnose': the text people paste into forums, turned into typed facts.
 *
 * One pass over the lines of each input. A tool's banner ("Intel(R) MEInfo Version: 9.1.45.3000",
 * "Firmware Update Utility Version 5.2.50.1042", "ME Analyzer v1.175.0 r222", ...) opens a run;
 * the lines up to the next banner are read by tables of labels, progress patterns and error
 * shapes. When a run closes, it is given to a machine: the MAC address and the firmware version
 * it printed tell machines apart (the second seed shows two PCs in one post); a run that names
 * neither joins the machine before it. Status registers are found by the status log reader and
 * decoded per machine.
 *
 * Forum damage is normal: CRLF, NULs, tabs, smart quotes and '…', box drawing, line-number
 * columns ("2 3 4 … 62" on lines of their own, or in front of the text), repeated blocks. Each
 * line costs bounded work: only its first LINE_SCAN bytes are looked at, and everything kept is
 * capped (runs, machines, facts, distinct errors, quoted lines).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mefw/diagnose.h"
#include "util.h"

#define LINE_SCAN 600          /* bytes of a line that are read; the rest is kept only in quotes */
#define QUOTES_MAX 16384
#define RUN_FACTS_MAX 192      /* facts a run gathers before it is given to a machine */
#define RUN_ERRORS_MAX 32
#define HINT_REACH 4           /* the user's words count for a run this many lines before it */
#define CONTEXT_REACH 3        /* an uncoded error line belongs to a coded one this close */

static const char *const run_kind_names[] = {
        [MEFW_RUN_UNKNOWN] = "unknown", [MEFW_RUN_MEINFO] = "MEInfo", [MEFW_RUN_MEMANUF] = "MEManuf",
        [MEFW_RUN_FWUPDATE] = "FWUpdate", [MEFW_RUN_FPT] = "FPT", [MEFW_RUN_MEA] = "ME Analyzer",
        [MEFW_RUN_HWINFO] = "HWiNFO", [MEFW_RUN_INTELMETOOL] = "intelmetool", [MEFW_RUN_DMESG] = "dmesg",
        [MEFW_RUN_LIVE] = "live",
};

const char *mefw_run_kind_name(mefw_run_kind k) {
        return (size_t) k < ELEMENTSOF(run_kind_names) ? run_kind_names[k] : "unknown";
}

static void copy_str(char *dst, size_t cap, const char *src, size_t n) {
        if (n >= cap)
                n = cap - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
}

static void copy_cstr(char *dst, size_t cap, const char *src) {
        copy_str(dst, cap, src, strlen(src));
}

/* ---- Line cleaning ------------------------------------------------------------------------- */

/*
 * Make a line comparable: CR dropped; NUL, tab, NBSP and box-drawing horizontals become spaces;
 * the box verticals of ME Analyzer's tables ('│', '║') become '|'; smart quotes become plain
 * ones and '…' becomes "..."; runs of spaces collapse; spaces before ':' go; ends are trimmed.
 */
static size_t clean_line(const char *p, size_t n, char *out, size_t cap) {
        size_t o = 0;
        bool space = true; /* drops leading spaces */
        for (size_t i = 0; i < n && o + 4 < cap; i++) {
                unsigned char c = (unsigned char) p[i];
                const char *rep = NULL;
                if (c == 0xE2 && i + 2 < n) {
                        unsigned char c1 = (unsigned char) p[i + 1], c2 = (unsigned char) p[i + 2];
                        if (c1 == 0x94 && c2 == 0x82)
                                rep = "|"; /* U+2502 */
                        else if (c1 == 0x95 && c2 == 0x91)
                                rep = "|"; /* U+2551 */
                        else if (c1 == 0x94 || c1 == 0x95)
                                rep = " "; /* the rest of U+2500..U+257F */
                        else if (c1 == 0x80 && (c2 == 0x9C || c2 == 0x9D || c2 == 0x9E))
                                rep = "\"";
                        else if (c1 == 0x80 && (c2 == 0x98 || c2 == 0x99))
                                rep = "'";
                        else if (c1 == 0x80 && c2 == 0xA6)
                                rep = "...";
                        else if (c1 == 0x80 && (c2 == 0x93 || c2 == 0x94))
                                rep = "-";
                        if (rep)
                                i += 2;
                } else if (c == 0xC2 && i + 1 < n && (unsigned char) p[i + 1] == 0xA0) {
                        rep = " ";
                        i++;
                } else if (c == 0xEF && i + 2 < n && (unsigned char) p[i + 1] == 0xBB && (unsigned char) p[i + 2] == 0xBF) {
                        i += 2; /* byte order mark */
                        continue;
                } else if (c == '\r') {
                        continue;
                } else if (c == 0 || c == '\t' || c == '\f' || c == '\v') {
                        rep = " ";
                }
                char one[2] = { (char) c, 0 };
                if (!rep)
                        rep = one;
                for (const char *r = rep; *r && o + 1 < cap; r++) {
                        if (*r == ' ') {
                                if (space)
                                        continue;
                                space = true;
                        } else {
                                if (*r == ':' && o > 0 && out[o - 1] == ' ')
                                        o--;
                                space = false;
                        }
                        out[o++] = *r;
                }
        }
        while (o > 0 && out[o - 1] == ' ')
                o--;
        out[o] = 0;
        return o;
}

static bool all_digits(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char) *s) && *s != ' ')
                        return false;
        return true;
}

/* "12 Intel(R) MEInfo..." or "12: ..." pasted with line numbers: the text after them, or NULL. */
static const char *strip_line_number(const char *s) {
        size_t n = strspn(s, "0123456789");
        if (n == 0 || n > 5)
                return NULL;
        const char *t = s + n;
        if (*t == ':' || *t == '|' || *t == '.')
                t++;
        if (*t != ' ')
                return NULL;
        t++;
        return isalpha((unsigned char) *t) || *t == '[' || *t == '|' ? t : NULL;
}

static const char *ci_starts(const char *s, const char *prefix) {
        size_t n = strlen(prefix);
        return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* Up to four dotted numbers: "9.0.20.1447" (extra text after them is allowed). */
static int parse_version(const char *s, uint16_t v[4], const char **ret_end) {
        unsigned n = 0;
        const char *p = s;
        while (n < 4) {
                if (!isdigit((unsigned char) *p))
                        break;
                unsigned long x = 0;
                size_t digits = 0;
                while (isdigit((unsigned char) *p) && digits < 6) {
                        x = x * 10 + (unsigned) (*p - '0');
                        p++;
                        digits++;
                }
                if (isdigit((unsigned char) *p) || x > 65535)
                        return 0;
                v[n++] = (uint16_t) x;
                if (*p != '.' || !isdigit((unsigned char) p[1]))
                        break;
                p++;
        }
        if (ret_end)
                *ret_end = p;
        return (int) n;
}

/* ---- Reader state -------------------------------------------------------------------------- */

typedef struct {
        mefw_diag_log *log;
        const mefw_kb *kb;
        uint16_t input;
        unsigned lineno;
        int run;                      /* open run, -1 none */
        int machine;                  /* machine of the last run given away, -1 none */
        /* What the open run gathered, given to a machine when it closes. */
        mefw_diag_fact facts[RUN_FACTS_MAX];
        size_t n_facts, dropped_facts;
        mefw_diag_error errors[RUN_ERRORS_MAX];
        size_t n_errors, dropped_errors;
        int last_error;               /* index into errors of the last error line, -1 none */
        unsigned last_error_line;
        unsigned pending_ctx[MEFW_DIAG_LINES_MAX]; /* uncoded error lines waiting for a coded one */
        size_t n_pending_ctx;
        /* Facts from the user's own words, outside any run. */
        mefw_diag_fact prose[16];
        size_t n_prose;
        /* A typed command line, waiting for its tool's banner. */
        char command[MEFW_DIAG_QUOTE_MAX];
        char command_image[96];
        mefw_run_kind command_kind;
        const char *command_env;
        unsigned command_line, command_age;
        /* An environment the user named ("MEinfo from DOS:"), and how many lines ago. */
        const char *hint_env;
        unsigned hint_line, hint_age;
        /* FWUpdLcl 4/5: "***** Flash Info ******" then "***** Image Info ******". */
        enum { FWU_NONE, FWU_FLASH, FWU_IMAGE } fwu_section;
        char flash_version[24];       /* MEInfo 5: "Flash: 5.2.70 ..." waiting for "Build Number:" */
        int image;                    /* ME Analyzer: the image whose rows are being read */
        int fwu_image;                /* FWUpdLcl: the image it was given */
        /* The words of the knowledge-base entries matched by text alone, lowercased once. */
        char needles[96][64];
        size_t n_needles;
} reader;

/* ---- Quotes -------------------------------------------------------------------------------- */

static int quote_add(mefw_diag_log *log, mefw_diag_loc at, const char *text) {
        if (log->n_quotes && log->quotes[log->n_quotes - 1].at.input == at.input &&
            log->quotes[log->n_quotes - 1].at.line == at.line)
                return 0;
        if (log->n_quotes >= QUOTES_MAX) {
                log->dropped_quotes++;
                return 0;
        }
        struct mefw_diag_quote q = { .at = at };
        copy_cstr(q.text, sizeof q.text, text);
        return append_elem((void **) &log->quotes, &log->n_quotes, sizeof q, &q);
}

const char *mefw_diag_quote(const mefw_diag_log *log, mefw_diag_loc at) {
        size_t lo = 0, hi = log->n_quotes;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                const mefw_diag_loc *m = &log->quotes[mid].at;
                if (m->input < at.input || (m->input == at.input && m->line < at.line))
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo < log->n_quotes && log->quotes[lo].at.input == at.input && log->quotes[lo].at.line == at.line)
                return log->quotes[lo].text;
        return NULL;
}

/* ---- Facts --------------------------------------------------------------------------------- */

/* Fact names: a fixed vocabulary, so rules and JSON consumers can rely on them. */
#define F_FIRMWARE "firmware-version"
#define F_IMAGE_VERSION "image-version"

static void fact_add(reader *rd, const char *name, const char *value, size_t value_len) {
        mefw_diag_fact f = { .name = name, .at = { rd->input, rd->lineno }, .run = rd->run };
        copy_str(f.value, sizeof f.value, value, value_len);
        if (rd->run < 0) {
                if (rd->n_prose < ELEMENTSOF(rd->prose))
                        rd->prose[rd->n_prose++] = f;
                return;
        }
        if (rd->n_facts >= RUN_FACTS_MAX) {
                rd->dropped_facts++;
                return;
        }
        rd->facts[rd->n_facts++] = f;
}

static const mefw_diag_fact *run_fact(const reader *rd, const char *name) {
        for (size_t i = rd->n_facts; i > 0; i--)
                if (strcmp(rd->facts[i - 1].name, name) == 0)
                        return &rd->facts[i - 1];
        return NULL;
}

const mefw_diag_fact *mefw_diag_fact_get(const mefw_diag_machine *m, const char *name) {
        for (size_t i = m->n_facts; i > 0; i--)
                if (strcmp(m->facts[i - 1].name, name) == 0)
                        return &m->facts[i - 1];
        return NULL;
}

/* ---- Machines ------------------------------------------------------------------------------ */

static bool versions_equal(const uint16_t a[4], const uint16_t b[4]) {
        return memcmp(a, b, 4 * sizeof a[0]) == 0;
}

/* Did an update on this machine finish with this version? Then a new version is the same PC. */
static bool machine_updated_to(const mefw_diag_log *log, int machine, const uint16_t v[4]) {
        for (size_t i = 0; i < log->n_runs; i++) {
                const mefw_diag_run *r = &log->runs[i];
                if (r->machine != machine || !r->success_line)
                        continue;
                for (size_t k = 0; k < log->n_images; k++) {
                        const mefw_diag_image *img = &log->images[k];
                        if (img->at.input == r->input && img->at.line >= r->line && img->at.line <= r->last_line &&
                            img->has_version && versions_equal(img->version, v))
                                return true;
                }
        }
        return false;
}

static void machine_label(mefw_diag_machine *m, size_t index) {
        if (m->has_firmware)
                snprintf(m->label, sizeof m->label, "machine %zu (%s %u.%u.%u.%u)", index + 1,
                         m->generation.family ? m->generation.family : "ME", m->firmware[0], m->firmware[1],
                         m->firmware[2], m->firmware[3]);
        else
                snprintf(m->label, sizeof m->label, "machine %zu", index + 1);
}

static int machine_new(mefw_diag_log *log) {
        if (log->n_machines >= MEFW_DIAG_MACHINES_MAX) {
                log->dropped_machines++;
                return (int) log->n_machines - 1;
        }
        mefw_diag_machine *m = &log->machines[log->n_machines];
        memset(m, 0, sizeof *m);
        m->status_set = -1;
        machine_label(m, log->n_machines);
        return (int) log->n_machines++;
}

/* The firmware version a run printed, parsed. */
static bool run_firmware(const reader *rd, uint16_t v[4]) {
        const mefw_diag_fact *f = run_fact(rd, F_FIRMWARE);
        return f && parse_version(f->value, v, NULL) == 4;
}

/* Which machine a closing run belongs to; -1 when it says nothing about one (ME Analyzer). */
static int choose_machine(reader *rd, const mefw_diag_run *run) {
        mefw_diag_log *log = rd->log;
        if (run->kind == MEFW_RUN_MEA)
                return rd->machine;
        const mefw_diag_fact *mac = run_fact(rd, "mac-address");
        uint16_t fw[4];
        bool has_fw = run_firmware(rd, fw);
        if (!mac && !has_fw) {
                if (rd->machine >= 0)
                        return rd->machine;
                return log->n_machines ? (int) log->n_machines - 1 : machine_new(log);
        }
        /* Most recent machine first: pastes go machine by machine. */
        for (size_t k = log->n_machines; k > 0; k--) {
                int i = (int) k - 1;
                const mefw_diag_machine *m = &log->machines[i];
                const mefw_diag_fact *mmac = mefw_diag_fact_get(m, "mac-address");
                if (mac && mmac) {
                        if (strcasecmp(mac->value, mmac->value) == 0)
                                return i;
                        continue;
                }
                if (has_fw && m->has_firmware && !versions_equal(fw, m->firmware) && !machine_updated_to(log, i, fw))
                        continue;
                return i;
        }
        return machine_new(log);
}

static int machine_add_fact(mefw_diag_machine *m, const mefw_diag_fact *f) {
        if (m->n_facts >= MEFW_DIAG_FACTS_MAX) {
                m->dropped_facts++;
                return 0;
        }
        m->facts[m->n_facts++] = *f;
        return 0;
}

static bool same_error(const mefw_diag_error *a, const mefw_diag_error *b) {
        if (a->kb || b->kb)
                return a->kb == b->kb;
        return a->code == b->code && strcmp(a->text, b->text) == 0;
}

static void merge_lines(unsigned *dst, unsigned *n, const unsigned *src, unsigned n_src) {
        for (unsigned i = 0; i < n_src && *n < MEFW_DIAG_LINES_MAX; i++) {
                bool dup = false;
                for (unsigned k = 0; k < *n; k++)
                        dup |= dst[k] == src[i];
                if (!dup)
                        dst[(*n)++] = src[i];
        }
}

static void machine_add_error(mefw_diag_machine *m, const mefw_diag_error *e) {
        for (size_t i = 0; i < m->n_errors; i++) {
                mefw_diag_error *x = &m->errors[i];
                if (x->input == e->input && same_error(x, e)) {
                        merge_lines(x->lines, &x->n_lines, e->lines, e->n_lines);
                        merge_lines(x->context, &x->n_context, e->context, e->n_context);
                        x->count += e->count;
                        if (e->code >= 0 && x->code < 0) {
                                x->code = e->code; /* the numbered line names it best */
                                memcpy(x->text, e->text, sizeof x->text);
                        }
                        return;
                }
        }
        if (m->n_errors >= MEFW_DIAG_ERRORS_MAX) {
                m->dropped_errors++;
                return;
        }
        m->errors[m->n_errors++] = *e;
}

static void machine_set_firmware(mefw_diag_log *log, int mi, const uint16_t v[4], mefw_diag_loc at, const char *family) {
        mefw_diag_machine *m = &log->machines[mi];
        if (m->has_firmware)
                return;
        m->has_firmware = true;
        memcpy(m->firmware, v, sizeof m->firmware);
        m->firmware_at = at;
        char text[32];
        snprintf(text, sizeof text, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        mefw_generation g;
        if (mefw_generation_parse(text, &g) == 0) {
                if (family && strcmp(family, "ME") != 0)
                        g.family = family; /* TXEInfo / SPSInfo name their family */
                m->generation = g;
        }
        machine_label(m, (size_t) mi);
}

static void close_run(reader *rd) {
        if (rd->run < 0)
                return;
        mefw_diag_log *log = rd->log;
        mefw_diag_run *run = &log->runs[rd->run];
        int mi = choose_machine(rd, run);
        run->machine = mi;
        if (mi >= 0) {
                mefw_diag_machine *m = &log->machines[mi];
                for (size_t i = 0; i < rd->n_facts; i++)
                        machine_add_fact(m, &rd->facts[i]);
                m->dropped_facts += rd->dropped_facts;
                for (size_t i = 0; i < rd->n_errors; i++)
                        machine_add_error(m, &rd->errors[i]);
                m->dropped_errors += rd->dropped_errors;
                uint16_t fw[4];
                const mefw_diag_fact *f = run_fact(rd, F_FIRMWARE);
                const char *family = NULL;
                if (strncasecmp(run->tool, "TXE", 3) == 0)
                        family = run->major >= 3 ? "CSTXE" : "TXE";
                else if (strncasecmp(run->tool, "SPS", 3) == 0)
                        family = "SPS";
                if (f && parse_version(f->value, fw, NULL) == 4)
                        machine_set_firmware(log, mi, fw, f->at, family);
                if (!m->generation.family && run->major && run->kind != MEFW_RUN_MEA && run->kind != MEFW_RUN_HWINFO) {
                        /* Only the tool's version: a hint, since tools run a branch ahead. */
                        char text[16];
                        snprintf(text, sizeof text, "%u", run->major);
                        mefw_generation g;
                        if (mefw_generation_parse(text, &g) == 0)
                                m->generation = g;
                }
                rd->machine = mi;
        }
        for (size_t i = 0; i < log->n_images; i++)
                if (log->images[i].at.input == rd->input && log->images[i].at.line >= run->line &&
                    log->images[i].machine == -2)
                        log->images[i].machine = run->kind == MEFW_RUN_MEA ? -1 : mi;
        rd->n_facts = rd->dropped_facts = 0;
        rd->n_errors = rd->dropped_errors = 0;
        rd->last_error = -1;
        rd->n_pending_ctx = 0;
        rd->run = -1;
        rd->fwu_section = FWU_NONE;
        rd->image = -1;
        rd->fwu_image = -1;
        rd->flash_version[0] = 0;
}

static void open_run(reader *rd, mefw_run_kind kind, const char *tool, const char *version) {
        close_run(rd);
        mefw_diag_log *log = rd->log;
        if (log->n_runs >= MEFW_DIAG_RUNS_MAX) {
                log->dropped_runs++;
                /* Keep reading into the last run: its facts still count. */
                rd->run = (int) log->n_runs - 1;
                return;
        }
        mefw_diag_run *r = &log->runs[log->n_runs];
        memset(r, 0, sizeof *r);
        r->kind = kind;
        r->input = rd->input;
        r->line = r->last_line = rd->lineno;
        r->machine = -1;
        copy_cstr(r->tool, sizeof r->tool, tool);
        copy_cstr(r->version, sizeof r->version, version ? version : "");
        uint16_t v[4] = {};
        if (version && parse_version(version, v, NULL) >= 2) {
                r->major = v[0];
                r->minor = v[1];
        }
        /* A command typed just before names the run's image and often its environment. */
        if (rd->command[0] && rd->command_age <= 6 && (rd->command_kind == kind || rd->command_kind == MEFW_RUN_UNKNOWN)) {
                memcpy(r->command, rd->command, sizeof r->command);
                r->command_line = rd->command_line;
                copy_cstr(r->image, sizeof r->image, rd->command_image);
                if (rd->command_env) {
                        r->environment = rd->command_env;
                        r->environment_line = rd->command_line;
                }
                rd->command[0] = 0;
        }
        if (!r->environment && rd->hint_env && rd->hint_age <= HINT_REACH) {
                r->environment = rd->hint_env;
                r->environment_line = rd->hint_line;
                r->environment_from_text = true;
        }
        rd->hint_env = NULL;
        rd->run = (int) log->n_runs++;
}

static mefw_diag_run *cur_run(reader *rd) {
        return rd->run >= 0 ? &rd->log->runs[rd->run] : NULL;
}

static void set_environment(reader *rd, const char *env) {
        mefw_diag_run *r = cur_run(rd);
        if (r && (!r->environment || r->environment_from_text)) {
                r->environment = env;
                r->environment_line = rd->lineno;
                r->environment_from_text = false;
        }
}

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

static bool match_banner(reader *rd, const char *line, const char *lower) {
        for (size_t i = 0; i < ELEMENTSOF(banners); i++) {
                const char *hit = strstr(lower, banners[i].needle);
                if (!hit)
                        continue;
                const char *after = line + (hit - lower) + strlen(banners[i].needle);
                const char *v = find_version_after(after);
                char version[24] = "";
                if (v && (v - after) <= 12) {
                        size_t n = strspn(v, "0123456789.");
                        copy_str(version, sizeof version, v, n);
                }
                /* MEInfo 8 once printed its banner with an empty version field. */
                bool bare = !version[0] && strncmp(lower, "intel", 5) == 0 && strstr(lower, "version:") &&
                            !after[strspn(after, ": ")];
                if (banners[i].version_needed && !strchr(version, '.') && !bare)
                        continue;
                open_run(rd, banners[i].kind, banners[i].tool, version);
                return true;
        }
        /* HWiNFO has no banner of its own in a paste; its report title is the best there is. */
        if (strncmp(lower, "hwinfo", 6) == 0 && strstr(lower, " me")) {
                open_run(rd, MEFW_RUN_HWINFO, "HWiNFO", NULL);
                return true;
        }
        return false;
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

static bool has_suffix_ci(const char *s, size_t n, const char *suffix) {
        size_t k = strlen(suffix);
        return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* "c:\MEI>FWUpdLcl64.exe -allowsv -f 9.0.20.1447.BIN", "FWUpdLcl.exe x.bin -generic -verbose". */
static bool match_command(reader *rd, const char *line) {
        const char *p = line;
        /* A prompt: "C:\MEI>", "fs0:\>", "$ ", "# ", "sudo ". */
        const char *gt = strchr(p, '>');
        if (gt && gt - p < 300 && gt[1] && gt[1] != ' ')
                p = gt + 1;
        else if (gt && gt - p < 300 && gt[1] == ' ')
                p = gt + 2;
        if ((p[0] == '$' || p[0] == '#') && p[1] == ' ')
                p += 2;
        if (ci_starts(p, "sudo "))
                p += 5;
        if (ci_starts(p, "./"))
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
        bool exe = has_suffix_ci(name, name_len, ".exe"), efi = has_suffix_ci(name, name_len, ".efi");
        const char *args = p + tok;
        while (*args == ' ')
                args++;
        /* A bare tool name on a line of its own is a heading, not a command. */
        if (!exe && !efi && gt == NULL && args[0] != '-' && args[0] != '/')
                return false;
        for (size_t i = 0; i < name_len; i++)
                if (!isalnum((unsigned char) name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
                        return false;
        copy_cstr(rd->command, sizeof rd->command, line);
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
                        if (has_suffix_ci(a, n, exts[i]))
                                copy_str(rd->command_image, sizeof rd->command_image, a, n);
                a += n;
                while (*a == ' ')
                        a++;
        }
        quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        return true;
}

/* ---- Labelled facts ------------------------------------------------------------------------ */

typedef enum {
        L_PLAIN = 0,
        L_FWU_VERSION, /* FWUpdLcl 4/5 "Version :" in its Flash Info or Image Info section */
        L_HWINFO_VERSION, /* "9.0, Build 1447, Hot Fix 20" */
        L_FLASH5,      /* MEInfo 5 "Flash: 5.2.70 Netstack: 5.2.70" */
        L_BUILD5,      /* MEInfo 5 "Build Number: 1046" */
        L_COMM_MODE,
        L_WINDOWS,     /* a line only the Windows build prints */
        L_HWINFO,      /* a line only HWiNFO prints: opens its run when there was no title */
} label_kind;

typedef struct {
        const char *label; /* compared case-insensitively with the text before ':' */
        const char *fact;
        label_kind kind;
} label_def;

/*
 * The labels the tools print, as data. Several spellings map to one fact: MEManuf's
 * "ManufacturingMode" and HWiNFO's "Manufacturing Mode" are the same thing.
 */
static const label_def labels[] = {
        { "FW Version", F_FIRMWARE, L_PLAIN },
        { "Firmware Version", F_FIRMWARE, L_PLAIN },
        { "Intel ME Version", F_FIRMWARE, L_HWINFO_VERSION },
        { "Intel ME Recovery Image Version", "recovery-version", L_HWINFO_VERSION },
        { "Version", F_FIRMWARE, L_FWU_VERSION },
        { "Flash", F_FIRMWARE, L_FLASH5 },
        { "Build Number", F_FIRMWARE, L_BUILD5 },
        { "CurrentState", "current-state", L_PLAIN },
        { "Current State", "current-state", L_PLAIN },
        { "ME Current Working State", "current-state", L_HWINFO },
        { "ManufacturingMode", "manufacturing-mode", L_PLAIN },
        { "Manufacturing Mode", "manufacturing-mode", L_PLAIN },
        { "FlashPartition", "flash-partition", L_PLAIN },
        { "OperationalState", "operational-state", L_PLAIN },
        { "InitComplete", "init-complete", L_PLAIN },
        { "BUPLoadState", "bup-load-state", L_PLAIN },
        { "ErrorCode", "error-code", L_PLAIN },
        { "ModeOfOperation", "mode-of-operation", L_PLAIN },
        { "ME Current Operation Mode", "mode-of-operation", L_HWINFO },
        { "Phase", "phase", L_PLAIN },
        { "PhaseStatus", "phase-status", L_PLAIN },
        { "ICC", "icc", L_PLAIN },
        { "ME File System Corrupted", "fs-corrupted", L_PLAIN },
        { "FW Capabilities", "capabilities", L_PLAIN },
        { "Local FWUpdate", "local-fwupdate", L_PLAIN },
        { "Secure FWUpdate", "secure-fwupdate", L_PLAIN },
        { "Host Read Access to ME", "host-read-me", L_PLAIN },
        { "Host Write Access to ME", "host-write-me", L_PLAIN },
        { "Host ME Region Flash Protection Override (HMRFPO) Status", "hmrfpo", L_HWINFO },
        { "HMRFPO Status", "hmrfpo", L_PLAIN },
        { "Flash protection", "flash-protection", L_PLAIN },
        { "BIOS Version", "bios-version", L_PLAIN },
        { "MAC Address", "mac-address", L_PLAIN },
        { "Last ME reset reason", "last-reset", L_PLAIN },
        { "Communication Mode", "comm-mode", L_COMM_MODE },
        { "TPM State", "tpm-state", L_PLAIN },
        { "TPM Operational Mode", "tpm-mode", L_PLAIN },
        { "MEI Driver Version", "mei-driver", L_PLAIN },
        { "Windows OS Version", "os", L_WINDOWS },
        { "OS BIOS Support", "bios-mode", L_PLAIN },
        { "FWU Override Counter", "fwu-override-counter", L_PLAIN },
        { "FWU Override Qualifier", "fwu-override-qualifier", L_PLAIN },
        { "Independent Firmware Recovery", "independent-recovery", L_PLAIN },
        { "Configuration state", "configuration-state", L_PLAIN },
        { "Manageability Mode", "manageability-mode", L_PLAIN },
        { "ME Firmware Image Type", "sku", L_HWINFO },
        { "Platform Target Usage Type", "platform-usage", L_HWINFO },
        { "Last Update Staus", "last-update-status", L_PLAIN }, /* sic: FWUpdLcl 5 spells it so */
        { "Last Update Status", "last-update-status", L_PLAIN },
        { "EnabledUpdateInterfaces", "enabled-update-interfaces", L_PLAIN },
        { "SKU", "fwu-sku", L_FWU_VERSION },
        { "OEM Id", "oem-id", L_PLAIN },
        { "Motherboard Model", "board", L_PLAIN },
        { "Motherboard", "board", L_PLAIN },
        { "Mainboard", "board", L_PLAIN },
        { "PCH Version", "pch-version", L_PLAIN },
};

/* Lines of the form "<label> is <value>" (MEManuf/MEInfo 9 print the bitmaps so). */
static const struct {
        const char *prefix;
        const char *fact;
} is_lines[] = {
        { "FW Capabilities value is ", "capabilities" },
        { "Feature enablement is ", "feature-state" },
        { "Platform type is ", "platform-type" },
        { "System is running on ", "sku" }, /* MEManuf: "... on consumer/1.5M image, start ..." */
};

static void record_firmware(reader *rd, const char *value, size_t n) {
        char text[96];
        copy_str(text, sizeof text, value, n);
        uint16_t v[4];
        const char *end;
        if (parse_version(text, v, &end) == 4) {
                fact_add(rd, F_FIRMWARE, text, strlen(text));
                /* "9.0.20.1447 H": the platform letter MEInfo prints after the version. */
                while (*end == ' ')
                        end++;
                if (*end)
                        fact_add(rd, "firmware-platform", end, strlen(end));
        }
}

static int image_new(reader *rd, const char *name, const char *source) {
        mefw_diag_log *log = rd->log;
        if (log->n_images >= MEFW_DIAG_IMAGES_MAX) {
                log->dropped_images++;
                return -1;
        }
        mefw_diag_image *img = &log->images[log->n_images];
        memset(img, 0, sizeof *img);
        copy_cstr(img->name, sizeof img->name, name);
        img->at = (mefw_diag_loc){ rd->input, rd->lineno };
        img->source = source;
        img->machine = -2; /* decided when the run closes */
        return (int) log->n_images++;
}

static void image_set_version(mefw_diag_image *img, const char *value) {
        uint16_t v[4];
        if (parse_version(value, v, NULL) == 4) {
                memcpy(img->version, v, sizeof v);
                img->has_version = true;
        }
}

static bool match_label(reader *rd, const char *line) {
        mefw_diag_run *run = cur_run(rd);
        for (size_t i = 0; i < ELEMENTSOF(is_lines); i++) {
                const char *v = ci_starts(line, is_lines[i].prefix);
                if (v) {
                        const char *cut = strcasestr(v, " image");
                        fact_add(rd, is_lines[i].fact, v, cut ? (size_t) (cut - v) : strlen(v));
                        return true;
                }
        }
        const char *colon = strchr(line, ':');
        if (!colon || colon == line || colon - line > 80)
                return false;
        size_t label_len = (size_t) (colon - line);
        const char *value = colon + 1;
        while (*value == ' ')
                value++;
        size_t value_len = strlen(value);
        for (size_t i = 0; i < ELEMENTSOF(labels); i++) {
                const label_def *d = &labels[i];
                if (strlen(d->label) != label_len || strncasecmp(line, d->label, label_len) != 0)
                        continue;
                switch (d->kind) {
                case L_FWU_VERSION:
                        if (!run || run->kind != MEFW_RUN_FWUPDATE || rd->fwu_section == FWU_NONE)
                                return false;
                        if (rd->fwu_section == FWU_IMAGE) {
                                if (strcmp(d->fact, F_FIRMWARE) == 0) {
                                        if (rd->fwu_image < 0)
                                                rd->fwu_image = image_new(rd, run->image[0] ? run->image : "the image given to FWUpdLcl", "FWUpdLcl");
                                        if (rd->fwu_image >= 0)
                                                image_set_version(&rd->log->images[rd->fwu_image], value);
                                        fact_add(rd, F_IMAGE_VERSION, value, value_len);
                                } else {
                                        fact_add(rd, "image-sku", value, value_len);
                                }
                        } else if (strcmp(d->fact, F_FIRMWARE) == 0) {
                                record_firmware(rd, value, value_len);
                        } else {
                                fact_add(rd, d->fact, value, value_len);
                        }
                        return true;
                case L_HWINFO_VERSION: {
                        /* "9.0, Build 1447, Hot Fix 20" -> 9.0.20.1447 */
                        unsigned a, b, build, hotfix;
                        if (sscanf(value, "%5u.%5u, Build %5u, Hot Fix %5u", &a, &b, &build, &hotfix) == 4) {
                                char text[48];
                                snprintf(text, sizeof text, "%u.%u.%u.%u", a, b, hotfix, build);
                                if (strcmp(d->fact, F_FIRMWARE) == 0)
                                        record_firmware(rd, text, strlen(text));
                                else
                                        fact_add(rd, d->fact, text, strlen(text));
                        }
                        return true;
                }
                case L_FLASH5: {
                        uint16_t v[4];
                        if (parse_version(value, v, NULL) == 3)
                                copy_str(rd->flash_version, sizeof rd->flash_version, value, strspn(value, "0123456789."));
                        return true;
                }
                case L_BUILD5:
                        if (rd->flash_version[0] && strspn(value, "0123456789") == value_len && value_len <= 5) {
                                char text[48];
                                snprintf(text, sizeof text, "%s.%s", rd->flash_version, value);
                                record_firmware(rd, text, strlen(text));
                        }
                        return true;
                case L_COMM_MODE:
                        if (run) {
                                copy_str(run->comm_mode, sizeof run->comm_mode, value, strcspn(value, " "));
                                run->comm_mode_line = rd->lineno;
                        }
                        fact_add(rd, d->fact, value, value_len);
                        return true;
                case L_WINDOWS:
                        set_environment(rd, "Windows");
                        fact_add(rd, d->fact, value, value_len);
                        return true;
                case L_HWINFO:
                case L_PLAIN:
                        if (strcmp(d->fact, F_FIRMWARE) == 0)
                                record_firmware(rd, value, value_len);
                        else
                                fact_add(rd, d->fact, value, value_len);
                        return true;
                }
        }
        return false;
}

/* Is the text before ':' one of the labels the tools print? */
static bool match_label_known(const char *line) {
        const char *colon = strchr(line, ':');
        if (!colon || colon == line || colon - line > 80)
                return false;
        size_t n = (size_t) (colon - line);
        for (size_t i = 0; i < ELEMENTSOF(labels); i++)
                if (labels[i].kind != L_FWU_VERSION && strlen(labels[i].label) == n && strncasecmp(line, labels[i].label, n) == 0)
                        return true;
        return false;
}

static bool is_tpm_line(const char *line) {
        return strcasecmp(line, "Intel(R) TPM") == 0;
}

/* HWiNFO's labels, for a paste without its title line. */
static bool is_hwinfo_label(const char *line) {
        static const char *const starts_[] = { "ME Current Working State:", "Intel ME Version:",
                                               "Host ME Region Flash Protection Override" };
        for (size_t i = 0; i < ELEMENTSOF(starts_); i++)
                if (ci_starts(line, starts_[i]))
                        return true;
        return false;
}

/* The firmware hosts the TPM: "Intel(R) TPM" in MEInfo 4/5's capability list, ": Intel (R) TPM"
 * in FWUpdLcl 4/5's SKU list. */
static bool match_tpm_capability(reader *rd, const char *line) {
        const char *p = line;
        if (*p == ':')
                p++;
        while (*p == ' ')
                p++;
        if (strcasecmp(p, "Intel(R) TPM") != 0 && strcasecmp(p, "Intel (R) TPM") != 0 &&
            !ci_starts(p, "Intel(R) TPM -"))
                return false;
        mefw_diag_run *run = cur_run(rd);
        bool image = run && run->kind == MEFW_RUN_FWUPDATE && rd->fwu_section == FWU_IMAGE;
        if (!ci_starts(p, "Intel(R) TPM -") || (strcasestr(p, "PRESENT") && !strcasestr(p, "NOT PRESENT")))
                fact_add(rd, image ? "image-tpm-capability" : "tpm-capability", "present", 7);
        return true;
}

/* ---- Progress ------------------------------------------------------------------------------ */

static bool match_progress(reader *rd, const char *lower) {
        mefw_diag_run *run = cur_run(rd);
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
                set_environment(rd, "Windows");
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
static bool match_mea_row(reader *rd, const char *line) {
        mefw_diag_run *run = cur_run(rd);
        if (!run || run->kind != MEFW_RUN_MEA)
                return false;
        char cells[3][96];
        size_t n = 0;
        if (line[0] != '|') {
                /* The older plain layout: "File: x.bin", "Family: ME", "Platform: SPT/KBP". */
                const char *colon = strchr(line, ':');
                if (!colon || colon - line > 40)
                        return false;
                copy_str(cells[0], sizeof cells[0], line, (size_t) (colon - line));
                const char *v = colon + 1;
                while (*v == ' ')
                        v++;
                copy_cstr(cells[1], sizeof cells[1], v);
                if (strcasecmp(cells[0], "File") == 0) {
                        rd->image = image_new(rd, cells[1], "ME Analyzer");
                        quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                        return true;
                }
                if (strcasecmp(cells[0], "Platform") == 0)
                        copy_cstr(cells[0], sizeof cells[0], "Chipset Support");
                else if (strcasecmp(cells[0], "PV") == 0)
                        copy_cstr(cells[0], sizeof cells[0], "Production Ready");
                else if (strcasecmp(cells[0], "Chipset") == 0)
                        copy_cstr(cells[0], sizeof cells[0], "Chipset Support");
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
                copy_str(cells[n++], sizeof cells[0], s, l);
                p += len + 1;
        }
        if (n == 1) {
                const char *paren = strrchr(cells[0], '(');
                if (paren && paren > cells[0] && strchr(paren, '/') && !ci_starts(cells[0], "ME Analyzer")) {
                        char name[96];
                        copy_str(name, sizeof name, cells[0], (size_t) (paren - cells[0]));
                        size_t l = strlen(name);
                        while (l > 0 && name[l - 1] == ' ')
                                name[--l] = 0;
                        rd->image = image_new(rd, name, "ME Analyzer");
                        quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                }
                return true;
        }
        if (n == 2 && strcasecmp(cells[0], "Chipset") == 0)
                copy_cstr(cells[0], sizeof cells[0], "Chipset Support");
row:
        if (n != 2 || rd->image < 0)
                return n > 0;
        mefw_diag_image *img = &rd->log->images[rd->image];
        if (strcasecmp(cells[0], "Version") == 0) {
                image_set_version(img, cells[1]);
                return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(mea_rows); i++)
                if (strcasecmp(cells[0], mea_rows[i].label) == 0) {
                        copy_cstr((char *) img + mea_rows[i].offset, mea_rows[i].size, cells[1]);
                        return true;
                }
        return true;
}

/* ---- Errors -------------------------------------------------------------------------------- */

static unsigned run_tool_mask(const mefw_diag_run *run) {
        if (!run)
                return 0;
        switch (run->kind) {
        case MEFW_RUN_FWUPDATE:
                return MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_FWUPDATE) | MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_UNIFIED);
        case MEFW_RUN_MEINFO:
        case MEFW_RUN_MEMANUF:
                return MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_MEINFO) | MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_UNIFIED);
        case MEFW_RUN_FPT:
                return MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_FPT) | MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_UNIFIED);
        case MEFW_RUN_DMESG:
                return MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_DMESG);
        default:
                return 0;
        }
}

#define TEXT_ONLY_TOOLS                                                                                  \
        (MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_WINDOWS) | MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_POST) |                  \
         MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_DMESG))

/*
 * "Error 8707: text", "Error (8721): text", "Error 26 - text", "FPT: Error 167: text". Returns the
 * code and points *ret_text at the message; false when the line has no numbered error.
 */
static bool parse_coded_error(const char *line, const char *lower, long *ret_code, const char **ret_text) {
        const char *e = strstr(lower, "error");
        if (!e || e - lower > 40)
                return false;
        const char *p = line + (e - lower) + 5;
        while (*p == ' ')
                p++;
        bool paren = *p == '(';
        if (paren)
                p++;
        size_t digits = strspn(p, "0123456789");
        if (digits == 0 || digits > 5)
                return false;
        long code = strtol(p, NULL, 10);
        p += digits;
        if (paren) {
                if (*p != ')')
                        return false;
                p++;
        }
        if (*p && *p != ':' && *p != ' ' && *p != '-' && *p != '.')
                return false;
        while (*p == ':' || *p == ' ' || *p == '-')
                p++;
        *ret_code = code;
        *ret_text = p;
        return true;
}

/* A line that reports a failure, not a pass ("ME error state valid", "... - Passed"). */
static bool errorish(const char *lower) {
        const char *colon = strchr(lower, ':');
        const char *part = colon && colon[1] ? colon + 1 : lower;
        if (!strstr(part, "error") && !strstr(part, "fail") && !strstr(lower, "err:"))
                return false;
        static const char *const fine[] = { "valid", "passed", "done", "correct", "success", "not corrupted", "no error" };
        size_t n = strlen(lower);
        for (size_t i = 0; i < ELEMENTSOF(fine); i++)
                if (has_suffix_ci(lower, n, fine[i]))
                        return false;
        return true;
}

/* Does the line hold the words of a knowledge-base entry that has no number (lowercase, once)? */
static bool text_only_hit(reader *rd, const char *lower) {
        for (size_t i = 0; i < rd->n_needles; i++)
                if (strstr(lower, rd->needles[i]))
                        return true;
        return false;
}

static void attach_context(mefw_diag_error *e, unsigned line) {
        merge_lines(e->context, &e->n_context, &line, 1);
}

static void record_error(reader *rd, long code, const char *message, const char *line, unsigned tool_mask,
                         bool uncoded) {
        mefw_diag_run *run = cur_run(rd);
        if (!run) {
                /* An error with no tool around it: a run of its own so it has a machine. */
                open_run(rd, MEFW_RUN_UNKNOWN, "", NULL);
                run = cur_run(rd);
                if (!run)
                        return;
        }
        mefw_diag_error e = { .code = code, .run = rd->run, .input = rd->input, .n_lines = 1, .count = 1 };
        e.lines[0] = rd->lineno;
        copy_cstr(e.text, sizeof e.text, message);
        /* Repeats are merged before they reach the knowledge base: bounded work on huge pastes. */
        for (size_t i = 0; i < rd->n_errors; i++) {
                mefw_diag_error *x = &rd->errors[i];
                if (x->code == code && strcmp(x->text, e.text) == 0) {
                        merge_lines(x->lines, &x->n_lines, e.lines, 1);
                        x->count++;
                        rd->last_error = (int) i;
                        rd->last_error_line = rd->lineno;
                        return;
                }
        }
        e.kb = mefw_kb_match(rd->kb, tool_mask, run->major, code, message, &e.text_matched);
        if (!e.kb && uncoded)
                e.kb = mefw_kb_match(rd->kb, TEXT_ONLY_TOOLS, 0, -1, line, &e.text_matched);
        if (!e.kb && uncoded) {
                /* Unknown and unnumbered: part of the error printed just before, or of the next. */
                if (rd->last_error >= 0 && rd->lineno - rd->last_error_line <= CONTEXT_REACH) {
                        attach_context(&rd->errors[rd->last_error], rd->lineno);
                        return;
                }
                if (rd->n_pending_ctx < ELEMENTSOF(rd->pending_ctx)) {
                        rd->pending_ctx[rd->n_pending_ctx++] = rd->lineno;
                        return;
                }
        }
        for (size_t i = 0; i < rd->n_pending_ctx; i++)
                if (rd->lineno - rd->pending_ctx[i] <= CONTEXT_REACH)
                        attach_context(&e, rd->pending_ctx[i]);
        rd->n_pending_ctx = 0;
        /* The same knowledge-base entry again (a numbered line after its wordy lead-in): one error. */
        for (size_t i = 0; i < rd->n_errors && e.kb; i++) {
                mefw_diag_error *x = &rd->errors[i];
                if (x->kb == e.kb) {
                        merge_lines(x->lines, &x->n_lines, e.lines, 1);
                        merge_lines(x->context, &x->n_context, e.context, e.n_context);
                        x->count++;
                        if (code >= 0 && x->code < 0) {
                                x->code = code;
                                memcpy(x->text, e.text, sizeof x->text);
                                x->text_matched |= e.text_matched;
                        }
                        rd->last_error = (int) i;
                        rd->last_error_line = rd->lineno;
                        return;
                }
        }
        if (rd->n_errors >= RUN_ERRORS_MAX) {
                rd->dropped_errors++;
                return;
        }
        rd->errors[rd->n_errors] = e;
        rd->last_error = (int) rd->n_errors++;
        rd->last_error_line = rd->lineno;
        run->n_errors++;
}

/* Pending uncoded lines that no numbered error claimed become errors of their own. */
static void flush_pending_context(reader *rd, bool force) {
        if (!rd->n_pending_ctx)
                return;
        if (!force && rd->lineno - rd->pending_ctx[0] <= CONTEXT_REACH)
                return;
        unsigned saved = rd->lineno;
        size_t n = rd->n_pending_ctx;
        unsigned lines[MEFW_DIAG_LINES_MAX];
        memcpy(lines, rd->pending_ctx, n * sizeof lines[0]);
        rd->n_pending_ctx = 0;
        for (size_t i = 0; i < n; i++) {
                const char *q = mefw_diag_quote(rd->log, (mefw_diag_loc){ rd->input, lines[i] });
                if (!q)
                        continue;
                rd->lineno = lines[i];
                mefw_diag_error e = { .code = -1, .run = rd->run, .input = rd->input, .n_lines = 1, .count = 1 };
                e.lines[0] = lines[i];
                copy_cstr(e.text, sizeof e.text, q);
                bool merged = false;
                for (size_t k = 0; k < rd->n_errors && !merged; k++)
                        if (same_error(&rd->errors[k], &e)) {
                                merge_lines(rd->errors[k].lines, &rd->errors[k].n_lines, e.lines, 1);
                                rd->errors[k].count++;
                                merged = true;
                        }
                if (merged)
                        continue;
                if (rd->n_errors >= RUN_ERRORS_MAX || rd->run < 0) {
                        rd->dropped_errors++;
                        continue;
                }
                rd->errors[rd->n_errors++] = e;
                rd->log->runs[rd->run].n_errors++;
        }
        rd->lineno = saved;
}

static bool match_error(reader *rd, const char *line, const char *lower) {
        long code;
        const char *msg;
        mefw_diag_run *run = cur_run(rd);
        if (parse_coded_error(line, lower, &code, &msg)) {
                quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                record_error(rd, code, msg, line, run_tool_mask(run), false);
                return true;
        }
        /* "(Code 10)" of Device Manager, POST messages and the Windows errors inside PMXUtil lines
         * carry no "Error N:"; the knowledge base knows them by their words. */
        if (!errorish(lower) && !text_only_hit(rd, lower))
                return false;
        bool known_text = mefw_kb_match(rd->kb, TEXT_ONLY_TOOLS | run_tool_mask(run), 0, -1, line, NULL) != NULL;
        if (!errorish(lower) && !known_text)
                return false;
        quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        record_error(rd, -1, line, line, run_tool_mask(run), true);
        return true;
}

/* ---- dmesg and intelmetool ----------------------------------------------------------------- */

/* "[    2.345678] mei_me 0000:00:16.0: ..." or journal lines naming mei_me/mei_txe. */
static bool match_dmesg(reader *rd, const char *line, const char *lower) {
        if (!strstr(lower, "mei_me") && !strstr(lower, "mei_txe") && !strstr(lower, "mei_gsc") &&
            !ci_starts(lower, "mei:") && !strstr(lower, "] mei "))
                return false;
        mefw_diag_run *run = cur_run(rd);
        if (!run || run->kind != MEFW_RUN_DMESG) {
                open_run(rd, MEFW_RUN_DMESG, "dmesg", NULL);
                set_environment(rd, "Linux");
        }
        quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        if (errorish(lower) || strstr(lower, "reset") || strstr(lower, "timeout") || strstr(lower, "timed out") ||
            mefw_kb_match(rd->kb, MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_DMESG), 0, -1, line, NULL))
                record_error(rd, -1, line, line, MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_DMESG), true);
        return true;
}

static bool match_intelmetool(reader *rd, const char *line) {
        if (!ci_starts(line, "MEI found") && !ci_starts(line, "Bad news, you have a") && !ci_starts(line, "ME: "))
                return false;
        mefw_diag_run *run = cur_run(rd);
        if (ci_starts(line, "MEI found") || !run || run->kind != MEFW_RUN_INTELMETOOL) {
                open_run(rd, MEFW_RUN_INTELMETOOL, "intelmetool", NULL);
                set_environment(rd, "Linux");
        }
        const char *v;
        if ((v = ci_starts(line, "ME: Firmware Version :")) || (v = ci_starts(line, "ME: Firmware Version:"))) {
                while (*v == ' ')
                        v++;
                record_firmware(rd, v, strcspn(v, " "));
        }
        return true;
}

/* ---- The user's own words ------------------------------------------------------------------ */

static bool has_word(const char *lower, const char *word) {
        size_t n = strlen(word);
        for (const char *p = strstr(lower, word); p; p = strstr(p + 1, word)) {
                bool left = p == lower || !isalnum((unsigned char) p[-1]);
                bool right = !isalnum((unsigned char) p[n]) || (word[n - 1] == 'n' && isdigit((unsigned char) p[n]));
                if (left && right)
                        return true;
        }
        return false;
}

static void match_prose(reader *rd, const char *line, const char *lower) {
        const char *env = NULL;
        if (has_word(lower, "dos") || has_word(lower, "freedos"))
                env = "DOS";
        else if (has_word(lower, "efi") || has_word(lower, "uefi shell") || has_word(lower, "efi shell"))
                env = "EFI";
        else if (has_word(lower, "windows") || has_word(lower, "win"))
                env = "Windows";
        else if (has_word(lower, "linux"))
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
                        fact_add(rd, "board", v, n);
                        rd->run = saved;
                        quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                }
                break;
        }
}

/* ---- One line ------------------------------------------------------------------------------ */

static bool read_line(reader *rd, const char *line) {
        char lower[LINE_SCAN + 8];
        size_t n = strlen(line);
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char) tolower((unsigned char) line[i]);

        if (match_banner(rd, line, lower)) {
                quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                return true;
        }
        if (match_command(rd, line))
                return true;
        mefw_diag_run *run = cur_run(rd);
        if (run && run->kind == MEFW_RUN_MEA && match_mea_row(rd, line))
                return true;
        if (match_intelmetool(rd, line) || match_dmesg(rd, line, lower))
                return true;
        if (is_hwinfo_label(line) && (!run || run->kind != MEFW_RUN_HWINFO))
                open_run(rd, MEFW_RUN_HWINFO, "HWiNFO", NULL);
        if (match_progress(rd, lower)) {
                quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                return true;
        }
        /* Status registers are read by the status log reader; quote them for evidence here. */
        if (strstr(lower, "status register") || ci_starts(lower, "hfsts") || ci_starts(lower, "me status")) {
                quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                if (!strstr(lower, "reading") && !strstr(lower, "verifying"))
                        return true;
        }
        bool known_label = match_label_known(line) && !ci_starts(lower, "error");
        if (!known_label && match_error(rd, line, lower))
                return true;
        if (rd->run < 0 && (known_label || is_tpm_line(line)))
                open_run(rd, MEFW_RUN_UNKNOWN, "", NULL); /* tool output without its banner */
        if (match_tpm_capability(rd, line) || match_label(rd, line)) {
                quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                return true;
        }
        return false;
}

/* ---- Inputs -------------------------------------------------------------------------------- */

int mefw_diag_log_new(mefw_diag_log **ret) {
        mefw_diag_log *log = calloc(1, sizeof *log);
        if (!log)
                return -ENOMEM;
        *ret = log;
        return 0;
}

void mefw_diag_log_free(mefw_diag_log *log) {
        if (!log)
                return;
        for (size_t i = 0; i < log->n_machines; i++)
                mefw_status_free(log->machines[i].status);
        free(log->quotes);
        mefw_messages_clear(&log->messages);
        free(log);
}

static int input_add(mefw_diag_log *log, const char *name, const char *kind) {
        if (log->n_inputs >= MEFW_DIAG_INPUTS_MAX)
                return -E2BIG;
        copy_cstr(log->inputs[log->n_inputs].name, sizeof log->inputs[0].name, name ? name : "input");
        log->inputs[log->n_inputs].kind = kind;
        return (int) log->n_inputs++;
}

/* The status registers of this input: to the run they were printed in, then to its machine. */
static void assign_regsets(reader *rd, const char *text, size_t size) {
        mefw_diag_log *log = rd->log;
        mefw_log_registers *lr = calloc(1, sizeof *lr);
        if (!lr || mefw_status_log_scan(text, size, lr) < 0) {
                free(lr);
                return;
        }
        for (size_t i = 0; i < lr->n_sets; i++) {
                if (log->n_regsets >= MEFW_DIAG_REGSETS_MAX) {
                        log->dropped_regsets++;
                        continue;
                }
                mefw_diag_regset *d = &log->regsets[log->n_regsets];
                d->set = lr->sets[i];
                d->input = rd->input;
                d->run = -1;
                d->machine = -1;
                for (size_t k = 0; k < log->n_runs; k++) {
                        const mefw_diag_run *r = &log->runs[k];
                        if (r->input == rd->input && d->set.line[0] >= r->line && d->set.line[0] <= r->last_line) {
                                d->run = (int) k;
                                d->machine = r->machine;
                        }
                }
                if (d->machine < 0)
                        d->machine = log->n_machines ? (int) log->n_machines - 1 : machine_new(log);
                log->n_regsets++;
        }
        free(lr);
}

/* Per machine: the most complete register set that is not a driver artifact, decoded for the
 * machine's generation (its firmware version beats the version of the tool that printed them). */
static void decode_machines(mefw_diag_log *log) {
        for (size_t mi = 0; mi < log->n_machines; mi++) {
                mefw_diag_machine *m = &log->machines[mi];
                int best = -1;
                for (size_t i = 0; i < log->n_regsets; i++) {
                        const mefw_diag_regset *d = &log->regsets[i];
                        if (d->machine != (int) mi)
                                continue;
                        if (best < 0) {
                                best = (int) i;
                                continue;
                        }
                        const mefw_diag_regset *b = &log->regsets[best];
                        if ((b->set.driver_error && !d->set.driver_error) ||
                            (b->set.driver_error == d->set.driver_error && d->set.n_hfsts > b->set.n_hfsts))
                                best = (int) i;
                }
                if (best == m->status_set && m->status)
                        continue;
                mefw_status_free(m->status);
                m->status = NULL;
                m->status_set = best;
                if (best < 0)
                        continue;
                /* The firmware's own version, else the version of the tool that printed them. */
                const mefw_generation *g = m->generation.family ? &m->generation : NULL;
                if (mefw_status_from_regset(&log->regsets[best].set, g, &m->status) < 0)
                        m->status = NULL;
        }
}

int mefw_diag_read_text(mefw_diag_log *log, const char *text, size_t size, const char *name) {
        int input = input_add(log, name, "log");
        if (input < 0)
                return input;
        reader *rd = calloc(1, sizeof *rd);
        if (!rd)
                return -ENOMEM;
        rd->log = log;
        rd->kb = mefw_kb_builtin();
        rd->input = (uint16_t) input;
        rd->run = -1;
        rd->machine = log->n_machines ? (int) log->n_machines - 1 : -1;
        rd->last_error = -1;
        rd->image = rd->fwu_image = -1;
        for (size_t i = 0; rd->kb && i < rd->kb->n_entries; i++) {
                const mefw_kb_entry *e = &rd->kb->entries[i];
                for (size_t k = 0; e->code < 0 && k < e->n_texts && rd->n_needles < ELEMENTSOF(rd->needles); k++) {
                        char *dst = rd->needles[rd->n_needles++];
                        size_t n = 0;
                        for (const char *p = e->texts[k]; *p && n + 1 < sizeof rd->needles[0]; p++)
                                dst[n++] = (char) tolower((unsigned char) *p);
                        dst[n] = 0;
                }
        }

        size_t pos = 0, recognized = 0;
        char clean[LINE_SCAN + 8];
        while (pos < size) {
                const char *nl = memchr(text + pos, '\n', size - pos);
                size_t end = nl ? (size_t) (nl - text) : size;
                const char *p = text + pos;
                size_t len = end - pos;
                pos = end + 1;
                if (rd->lineno == UINT_MAX)
                        break;
                rd->lineno++;
                clean_line(p, MIN(len, (size_t) LINE_SCAN), clean, sizeof clean);
                if (!clean[0] || all_digits(clean))
                        continue; /* blank, or a pasted line-number column */
                rd->command_age++;
                rd->hint_age++;
                flush_pending_context(rd, false);
                bool used = read_line(rd, clean);
                if (!used) {
                        const char *rest = strip_line_number(clean);
                        if (rest)
                                used = read_line(rd, rest);
                }
                if (used) {
                        recognized++;
                        if (rd->run >= 0)
                                log->runs[rd->run].last_line = rd->lineno;
                } else {
                        char lower[LINE_SCAN + 8];
                        size_t n = strlen(clean);
                        for (size_t i = 0; i <= n; i++)
                                lower[i] = (char) tolower((unsigned char) clean[i]);
                        match_prose(rd, clean, lower);
                        if (rd->run >= 0)
                                log->runs[rd->run].last_line = rd->lineno;
                }
        }
        flush_pending_context(rd, true);
        close_run(rd);
        /* The user's words: to the one machine, or to the machine of the text around them. */
        for (size_t i = 0; i < rd->n_prose; i++) {
                int mi = log->n_machines == 1 ? 0 : rd->machine;
                if (mi >= 0)
                        machine_add_fact(&log->machines[mi], &rd->prose[i]);
        }
        for (size_t i = 0; i < log->n_images; i++)
                if (log->images[i].machine == -2)
                        log->images[i].machine = -1;
        log->inputs[input].n_lines = rd->lineno;
        log->inputs[input].n_recognized = recognized;
        assign_regsets(rd, text, size);
        decode_machines(log);
        int r = 0;
        if (recognized == 0)
                r = mefw_messages_add(&log->messages, MEFW_WARNING, "diagnose-nothing-read", input,
                                      "%s: no output of a known ME tool in %u lines", log->inputs[input].name, rd->lineno);
        free(rd);
        return r < 0 ? r : 0;
}

/* ---- Images and the live machine ----------------------------------------------------------- */

int mefw_diag_add_image(mefw_diag_log *log, const mefw_report *r, const char *name) {
        int input = input_add(log, name, "image");
        if (input < 0)
                return input;
        if (log->n_images >= MEFW_DIAG_IMAGES_MAX) {
                log->dropped_images++;
                return 0;
        }
        mefw_diag_image *img = &log->images[log->n_images++];
        memset(img, 0, sizeof *img);
        copy_cstr(img->name, sizeof img->name, name);
        img->at = (mefw_diag_loc){ (uint16_t) input, 0 };
        img->source = "file";
        img->machine = -1;
        const mefw_firmware *fw = &r->fw;
        if (fw->family)
                copy_cstr(img->family, sizeof img->family, fw->family);
        if (fw->has_version) {
                img->has_version = true;
                memcpy(img->version, fw->version, sizeof img->version);
        }
        copy_cstr(img->sku, sizeof img->sku, fw->sku);
        if (fw->type)
                copy_cstr(img->type, sizeof img->type, fw->type);
        if (fw->release)
                copy_cstr(img->release, sizeof img->release, fw->release);
        if (fw->chipset)
                copy_cstr(img->chipset, sizeof img->chipset, fw->chipset);
        copy_cstr(img->date, sizeof img->date, fw->date);
        if (fw->tcb_svn.set)
                snprintf(img->tcb_svn, sizeof img->tcb_svn, "%u", fw->tcb_svn.value);
        if (fw->vcn.set)
                snprintf(img->vcn, sizeof img->vcn, "%u", fw->vcn.value);
        if (fw->pv >= 0)
                copy_cstr(img->production_ready, sizeof img->production_ready, fw->pv ? "Yes" : "No");
        for (size_t i = 0; i < r->messages.count && !img->damaged; i++)
                if (r->messages.items[i].severity == MEFW_ERROR) {
                        img->damaged = true;
                        copy_cstr(img->damage, sizeof img->damage, r->messages.items[i].text ? r->messages.items[i].text : "");
                }
        if (!fw->family)
                return mefw_messages_add(&log->messages, MEFW_WARNING, "diagnose-image-unknown", input,
                                         "%s: not an ME, TXE or SPS firmware image that mefw recognizes", name);
        return 0;
}

int mefw_diag_add_live(mefw_diag_log *log, const mefw_status *s) {
        int input = input_add(log, "this machine", "live");
        if (input < 0)
                return input;
        if (log->n_machines >= MEFW_DIAG_MACHINES_MAX)
                return -E2BIG;
        int mi = machine_new(log);
        mefw_diag_machine *m = &log->machines[mi];
        m->live = true;
        const mefw_fw_version *v = &s->code;
        if (v->set) {
                uint16_t fw[4] = { v->major, v->minor, v->hotfix, v->build };
                machine_set_firmware(log, mi, fw, (mefw_diag_loc){ (uint16_t) input, 0 }, s->generation.family);
        }
        m->generation = s->generation;
        /* Re-decode from the live registers so the machine owns its status. */
        mefw_status *copy = NULL;
        int r = mefw_status_decode(s->hfsts, s->n_hfsts ? s->n_hfsts : 1, &s->generation, &copy);
        if (r < 0)
                return r;
        copy->code = s->code;
        copy->capabilities = s->capabilities;
        copy->feature_state = s->feature_state;
        copy->platform_type = s->platform_type;
        mefw_status_refresh(copy);
        m->status = copy;
        snprintf(m->label, sizeof m->label, "this machine (live)");
        return 0;
}
