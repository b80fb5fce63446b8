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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

static const char *const run_kind_names[] = {
        [MEFW_RUN_UNKNOWN] = "unknown", [MEFW_RUN_MEINFO] = "MEInfo", [MEFW_RUN_MEMANUF] = "MEManuf",
        [MEFW_RUN_FWUPDATE] = "FWUpdate", [MEFW_RUN_FPT] = "FPT", [MEFW_RUN_MEA] = "ME Analyzer",
        [MEFW_RUN_HWINFO] = "HWiNFO", [MEFW_RUN_INTELMETOOL] = "intelmetool", [MEFW_RUN_DMESG] = "dmesg",
        [MEFW_RUN_LIVE] = "live",
};

const char *mefw_run_kind_name(mefw_run_kind k) {
        return (size_t) k < ELEMENTSOF(run_kind_names) ? run_kind_names[k] : "unknown";
}

/* ---- Quotes -------------------------------------------------------------------------------- */

int diag_quote_add(mefw_diag_log *log, mefw_diag_loc at, const char *text) {
        if (log->n_quotes && log->quotes[log->n_quotes - 1].at.input == at.input &&
            log->quotes[log->n_quotes - 1].at.line == at.line)
                return 0;
        if (log->n_quotes >= QUOTES_MAX) {
                log->dropped_quotes++;
                return 0;
        }
        struct mefw_diag_quote q = { .at = at };
        diag_copy_cstr(q.text, sizeof q.text, text);
        return append_elem((void **) &log->quotes, &log->n_quotes, sizeof q, &q);
}

static struct mefw_diag_quote *quote_find(const mefw_diag_log *log, mefw_diag_loc at) {
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
                return &log->quotes[lo];
        return NULL;
}

const char *mefw_diag_quote(const mefw_diag_log *log, mefw_diag_loc at) {
        const struct mefw_diag_quote *q = quote_find(log, at);
        return q ? q->text : NULL;
}

bool mefw_diag_quote_person(const mefw_diag_log *log, mefw_diag_loc at) {
        const struct mefw_diag_quote *q = quote_find(log, at);
        return q && q->person;
}

int diag_quote_add_person(mefw_diag_log *log, mefw_diag_loc at, const char *text) {
        int r = diag_quote_add(log, at, text);
        struct mefw_diag_quote *q = quote_find(log, at);
        if (q)
                q->person = true;
        return r;
}

/* ---- Facts --------------------------------------------------------------------------------- */

/* Fact names as static strings (facts keep a pointer): the post vocabulary of words.c. */
static const char *const post_names[] = { "symptom", "tried", "wants", "environment", "os", "message",
                                          "tool", "vendor", "board", "chipset", "cpu", "generation",
                                          "firmware", "error", "access", "version", "outcome", "has" };

static const char *post_name(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(post_names); i++)
                if (post_names[i][0] == name[0] && strcmp(post_names[i], name) == 0)
                        return post_names[i];
        return NULL;
}

bool diag_post_name_known(const char *name) {
        return post_name(name) != NULL;
}

void diag_post_fact(reader *rd, const char *name, const char *value, size_t value_len) {
        mefw_diag_log *log = rd->log;
        const char *n = post_name(name);
        if (!n)
                return;
        mefw_diag_fact f = { .name = n, .at = { rd->input, rd->lineno }, .run = -1, .person = true };
        diag_copy_str(f.value, sizeof f.value, value, value_len);
        for (size_t i = 0; i < log->n_facts; i++)
                if (log->facts[i].name == n && strcasecmp(log->facts[i].value, f.value) == 0)
                        return; /* said once is enough */
        if (log->n_facts >= MEFW_DIAG_POST_FACTS_MAX) {
                log->dropped_facts++;
                return;
        }
        log->facts[log->n_facts++] = f;
}

const mefw_diag_fact *mefw_diag_post_fact(const mefw_diag_log *log, const char *name, const char *value) {
        for (size_t i = 0; i < log->n_facts; i++)
                if (strcmp(log->facts[i].name, name) == 0 && (!value || strcasecmp(log->facts[i].value, value) == 0))
                        return &log->facts[i];
        return NULL;
}

void diag_fact_add(reader *rd, const char *name, const char *value, size_t value_len) {
        mefw_diag_fact f = { .name = name, .at = { rd->input, rd->lineno }, .run = rd->run };
        diag_copy_str(f.value, sizeof f.value, value, value_len);
        if (rd->run < 0) {
                /* A tool's line outside any run (a bare "board is ..." or label): the post's. */
                f.person = true;
                if (rd->log->n_facts < MEFW_DIAG_POST_FACTS_MAX)
                        rd->log->facts[rd->log->n_facts++] = f;
                else
                        rd->log->dropped_facts++;
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
        return f && diag_parse_version(f->value, v, NULL) == 4;
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

bool diag_same_error(const mefw_diag_error *a, const mefw_diag_error *b) {
        if (a->kb || b->kb)
                return a->kb == b->kb;
        return a->code == b->code && strcmp(a->text, b->text) == 0;
}

void diag_merge_lines(unsigned *dst, unsigned *n, const unsigned *src, unsigned n_src) {
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
                if (x->input == e->input && diag_same_error(x, e)) {
                        diag_merge_lines(x->lines, &x->n_lines, e->lines, e->n_lines);
                        diag_merge_lines(x->context, &x->n_context, e->context, e->n_context);
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

/* A fact mefw derives from what a tool printed (its name, the environment, an error number). */
static void machine_derive(mefw_diag_machine *m, const char *name, const char *value, mefw_diag_loc at, int run) {
        const char *n = post_name(name);
        if (!n || !value || !*value)
                return;
        for (size_t i = 0; i < m->n_facts; i++)
                if (m->facts[i].name == n && strcasecmp(m->facts[i].value, value) == 0)
                        return;
        mefw_diag_fact f = { .name = n, .at = at, .run = run };
        diag_copy_cstr(f.value, sizeof f.value, value);
        machine_add_fact(m, &f);
}

static const char *tool_of_run(const mefw_diag_run *run) {
        switch (run->kind) {
        case MEFW_RUN_MEINFO:
                return strncasecmp(run->tool, "TXE", 3) == 0 ? "TXEInfo" : strncasecmp(run->tool, "SPS", 3) == 0 ? "SPSInfo" : "MEInfo";
        case MEFW_RUN_MEMANUF:
                return "MEManuf";
        case MEFW_RUN_FWUPDATE:
                return "FWUpdLcl";
        case MEFW_RUN_FPT:
                return "FPT";
        case MEFW_RUN_MEA:
                return "ME Analyzer";
        case MEFW_RUN_HWINFO:
                return "HWiNFO";
        case MEFW_RUN_INTELMETOOL:
                return "intelmetool";
        default:
                return NULL;
        }
}

static const char *tool_of_kb(mefw_kb_tool t) {
        switch (t) {
        case MEFW_KB_TOOL_FWUPDATE:
                return "FWUpdLcl";
        case MEFW_KB_TOOL_MEINFO:
                return "MEInfo";
        case MEFW_KB_TOOL_FPT:
                return "FPT";
        default:
                return NULL;
        }
}

/* What a run shows about the machine beyond its labels: which tool ran where, and what failed. */
static void derive_run_facts(mefw_diag_machine *m, const mefw_diag_run *run, int ri, const mefw_diag_error *errors,
                             size_t n_errors) {
        mefw_diag_loc at = { run->input, run->line };
        machine_derive(m, "tool", tool_of_run(run), at, ri);
        if (run->environment)
                machine_derive(m, "environment", run->environment, (mefw_diag_loc){ run->input, run->environment_line }, ri);
        bool failed_update = false;
        for (size_t i = 0; i < n_errors; i++) {
                const mefw_diag_error *e = &errors[i];
                mefw_diag_loc eat = { e->input, e->lines[0] };
                char code[24];
                if (e->code >= 0) {
                        snprintf(code, sizeof code, "%ld", e->code);
                        machine_derive(m, "error", code, eat, ri);
                }
                if (e->kb) {
                        machine_derive(m, "tool", tool_of_kb(e->kb->tool), eat, ri);
                        failed_update |= e->kb->tool == MEFW_KB_TOOL_FWUPDATE && e->kb->cls != MEFW_CLASS_BENIGN &&
                                         e->kb->cls != MEFW_CLASS_USAGE;
                }
                failed_update |= run->kind == MEFW_RUN_FWUPDATE;
        }
        if (failed_update)
                machine_derive(m, "symptom", "update-failed", at, ri);
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
                derive_run_facts(m, run, rd->run, rd->errors, rd->n_errors);
                uint16_t fw[4];
                const mefw_diag_fact *f = run_fact(rd, F_FIRMWARE);
                const char *family = NULL;
                if (strncasecmp(run->tool, "TXE", 3) == 0)
                        family = run->major >= 3 ? "CSTXE" : "TXE";
                else if (strncasecmp(run->tool, "SPS", 3) == 0)
                        family = "SPS";
                if (f && diag_parse_version(f->value, fw, NULL) == 4)
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

void diag_open_run(reader *rd, mefw_run_kind kind, const char *tool, const char *version) {
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
        diag_copy_cstr(r->tool, sizeof r->tool, tool);
        diag_copy_cstr(r->version, sizeof r->version, version ? version : "");
        uint16_t v[4] = {};
        if (version && diag_parse_version(version, v, NULL) >= 2) {
                r->major = v[0];
                r->minor = v[1];
        }
        /* A command typed just before names the run's image and often its environment. */
        if (rd->command[0] && rd->command_age <= 6 && (rd->command_kind == kind || rd->command_kind == MEFW_RUN_UNKNOWN)) {
                memcpy(r->command, rd->command, sizeof r->command);
                r->command_line = rd->command_line;
                diag_copy_cstr(r->image, sizeof r->image, rd->command_image);
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

mefw_diag_run *diag_cur_run(reader *rd) {
        return rd->run >= 0 ? &rd->log->runs[rd->run] : NULL;
}

void diag_set_environment(reader *rd, const char *env) {
        mefw_diag_run *r = diag_cur_run(rd);
        if (r && (!r->environment || r->environment_from_text)) {
                r->environment = env;
                r->environment_line = rd->lineno;
                r->environment_from_text = false;
        }
}

int diag_image_new(reader *rd, const char *name, const char *source) {
        mefw_diag_log *log = rd->log;
        if (log->n_images >= MEFW_DIAG_IMAGES_MAX) {
                log->dropped_images++;
                return -1;
        }
        mefw_diag_image *img = &log->images[log->n_images];
        memset(img, 0, sizeof *img);
        diag_copy_cstr(img->name, sizeof img->name, name);
        img->at = (mefw_diag_loc){ rd->input, rd->lineno };
        img->source = source;
        img->machine = -2; /* decided when the run closes */
        return (int) log->n_images++;
}

void diag_image_set_version(mefw_diag_image *img, const char *value) {
        uint16_t v[4];
        if (diag_parse_version(value, v, NULL) == 4) {
                memcpy(img->version, v, sizeof v);
                img->has_version = true;
        }
}

/* ---- One line ------------------------------------------------------------------------------ */

static bool read_line(reader *rd, const char *line) {
        char lower[LINE_SCAN + 8];
        size_t n = strlen(line);
        for (size_t i = 0; i <= n; i++)
                lower[i] = (char) tolower((unsigned char) line[i]);
        if (diag_match_banner(rd, line, lower)) {
                diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                return true;
        }
        if (diag_match_command(rd, line))
                return true;
        if (diag_match_dumplock(rd, line, lower))
                return true;
        mefw_diag_run *run = diag_cur_run(rd);
        if (run && run->kind == MEFW_RUN_MEA && diag_match_mea_row(rd, line))
                return true;
        /* a sentence that names mei_me or intelmetool is about them, not their output */
        bool prose = rd->line_is_prose = diag_looks_like_prose(line);
        /* (intelmetool's lines start with its own words, "Bad news, you have a ..." included) */
        if (diag_match_intelmetool(rd, line) || (!prose && diag_match_dmesg(rd, line, lower)))
                return true;
        if (diag_is_hwinfo_label(line) && (!run || run->kind != MEFW_RUN_HWINFO))
                diag_open_run(rd, MEFW_RUN_HWINFO, "HWiNFO", NULL);
        if (diag_match_progress(rd, lower)) {
                diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                return true;
        }
        /* Status registers are read by the status log reader; quote them for evidence here. */
        if (strstr(lower, "status register") || diag_ci_starts(lower, "hfsts") || diag_ci_starts(lower, "me status")) {
                diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                if (!strstr(lower, "reading") && !strstr(lower, "verifying"))
                        return true;
        }
        if (diag_match_linux_fw(rd, line, lower)) {
                if (prose) /* "i do have csme v0:11.8.50.3425": the person's words */
                        diag_quote_add_person(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                rd->read_words = true;
                return true;
        }
        /* The person's sentences are read for facts (by the caller), and for the messages they
         * quote; they are never taken as a tool's output. */
        if (prose) {
                diag_prose_errors(rd, line, lower);
                return false;
        }
        bool known_label = diag_match_label_known(line) && !diag_ci_starts(lower, "error");
        if (!known_label && diag_match_error(rd, line, lower)) {
                /* an error line may be copied text the person quotes among their words ("ME update
                 * attempts fail from DOS"): its wordings count too */
                rd->read_words = true;
                return true;
        }
        if (rd->run < 0 && (known_label || diag_is_tpm_line(line)))
                diag_open_run(rd, MEFW_RUN_UNKNOWN, "", NULL); /* tool output without its banner */
        if (diag_match_tpm_capability(rd, line) || diag_match_label(rd, line)) {
                diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
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
        diag_copy_cstr(log->inputs[log->n_inputs].name, sizeof log->inputs[0].name, name ? name : "input");
        log->inputs[log->n_inputs].kind = kind;
        return (int) log->n_inputs++;
}

/*
 * The status registers of this input are found by the status log reader, which needs none of what
 * the line readers learn: it runs on a second core while they read, and its sets are placed when
 * both are done. Without a thread (none could be started) it runs in line, with the same result.
 */
typedef struct {
        const char *text;
        size_t size;
        mefw_log_registers *found;       /* NULL when it could not be allocated or the scan failed */
        pthread_t thread;
        bool threaded;
} regset_scan;

static void *regset_scan_run(void *userdata) {
        regset_scan *s = userdata;
        if (s->found && mefw_status_log_scan(s->text, s->size, s->found) < 0) {
                free(s->found);
                s->found = NULL;
        }
        return NULL;
}

static void regset_scan_start(regset_scan *s, const char *text, size_t size) {
        *s = (regset_scan){ .text = text, .size = size, .found = calloc(1, sizeof *s->found) };
        s->threaded = s->found && pthread_create(&s->thread, NULL, regset_scan_run, s) == 0;
}

static mefw_log_registers *regset_scan_finish(regset_scan *s) {
        if (s->threaded)
                pthread_join(s->thread, NULL);
        else
                regset_scan_run(s);
        return s->found;
}

/* Each set to the run it was printed in, then to its machine. Takes 'lr'. */
static void assign_regsets(reader *rd, mefw_log_registers *lr) {
        mefw_diag_log *log = rd->log;
        if (!lr)
                return;
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

/* One line, or one piece of a long one: cleaned, then given to the readers. */
static void read_piece(reader *rd, const char *p, size_t len, size_t *recognized) {
        char clean[LINE_SCAN + 8];
        size_t cl0 = diag_clean_line(p, MIN(len, (size_t) LINE_SCAN), clean, sizeof clean);
        if (!clean[0] || diag_all_digits(clean))
                return; /* blank, or a pasted line-number column */
        /* a tool's label line pasted as Markdown code ("- `ManufacturingMode: Enabled`") is read as
         * the tool printed it; other quoted text stays the person's */
        char unquoted[LINE_SCAN + 8];
        memcpy(unquoted, clean, cl0 + 1);
        if (diag_unquote_markdown(unquoted, cl0) != cl0 && (diag_match_label_known(unquoted) || diag_ci_starts(unquoted, "fw status register")))
                memcpy(clean, unquoted, strlen(unquoted) + 1);
        /* "[screenshot of ...]", "[later]": notes about the post, not its text */
        size_t cl = strlen(clean);
        if (clean[0] == '[' && clean[cl - 1] == ']')
                return;
        rd->command_age++;
        rd->hint_age++;
        diag_flush_pending_context(rd, false);
        rd->read_words = false;
        rd->line_is_prose = false;
        bool used = read_line(rd, clean);
        if (!used) {
                const char *rest = diag_strip_line_number(clean);
                if (rest)
                        used = read_line(rd, rest);
        }
        if (used && rd->read_words) {
                char lower_words[LINE_SCAN + 8];
                size_t nw = strlen(clean);
                for (size_t i = 0; i <= nw; i++)
                        lower_words[i] = (char) tolower((unsigned char) clean[i]);
                diag_match_prose(rd, clean, lower_words);
        }
        if (used) {
                (*recognized)++;
                if (rd->run >= 0)
                        rd->log->runs[rd->run].last_line = rd->lineno;
        } else {
                char lower[LINE_SCAN + 8];
                size_t n = strlen(clean);
                for (size_t i = 0; i <= n; i++)
                        lower[i] = (char) tolower((unsigned char) clean[i]);
                diag_match_prose(rd, clean, lower);
                if (rd->run >= 0)
                        rd->log->runs[rd->run].last_line = rd->lineno;
        }
}

/*
 * Where to cut a line longer than the readers look at: after a sentence if one ends in the second
 * half of the window, else at a space, else at the window's end. A paragraph pasted as one line is
 * read piece by piece (each piece bounded), not cut short.
 */
static size_t piece_length(const char *p, size_t len) {
        if (len <= LINE_SCAN)
                return len;
        for (size_t i = LINE_SCAN - 1; i > LINE_SCAN / 2; i--)
                if ((p[i - 1] == '.' || p[i - 1] == '?' || p[i - 1] == '!') && p[i] == ' ')
                        return i;
        for (size_t i = LINE_SCAN - 1; i > LINE_SCAN / 2; i--)
                if (p[i] == ' ')
                        return i;
        return LINE_SCAN;
}

/*
 * A machine no tool named the firmware of: what the post says of it. The person's version
 * ("my ME is 9.1.37.1002") first, then the generation they name or their hardware implies.
 */
static void generation_from_post(mefw_diag_log *log, mefw_diag_machine *m) {
        (void) log;
        if (m->generation.family)
                return;
        const char *const names[] = { "firmware", "generation" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const mefw_diag_fact *f = mefw_diag_fact_get(m, names[i]);
                mefw_generation g;
                /* "CSME 11/CSME 12": the hardware does not settle it */
                if (f && !strchr(f->value, '/') && mefw_generation_parse(f->value, &g) == 0) {
                        m->generation = g;
                        return;
                }
        }
}

static int read_utf8(mefw_diag_log *log, const char *text, size_t size, const char *name) {
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
        rd->first_post_fact = log->n_facts;
        regset_scan scan;
        regset_scan_start(&scan, text, size);
        for (size_t i = 0; rd->kb && i < rd->kb->n_entries; i++) {
                const mefw_kb_entry *e = &rd->kb->entries[i];
                /* the entries known by their words: number-less ones, and the messages of Windows,
                 * POST screens and Linux, which people quote in sentences */
                bool by_words = e->code < 0 || e->tool == MEFW_KB_TOOL_WINDOWS || e->tool == MEFW_KB_TOOL_POST ||
                                e->tool == MEFW_KB_TOOL_DMESG;
                for (size_t k = 0; by_words && k < e->n_texts && rd->n_needles < ELEMENTSOF(rd->needles); k++) {
                        char *dst = rd->needles[rd->n_needles++];
                        size_t n = 0;
                        for (const char *p = e->texts[k]; *p && n + 1 < sizeof rd->needles[0]; p++)
                                dst[n++] = (char) tolower((unsigned char) *p);
                        dst[n] = 0;
                }
        }

        size_t pos = 0, recognized = 0;
        while (pos < size) {
                const char *nl = memchr(text + pos, '\n', size - pos);
                size_t end = nl ? (size_t) (nl - text) : size;
                const char *p = text + pos;
                size_t len = end - pos;
                pos = end + 1;
                if (rd->lineno == UINT_MAX)
                        break;
                rd->lineno++;
                size_t done = 0;
                for (unsigned piece = 0; piece < PIECES_PER_LINE_MAX && (done < len || piece == 0); piece++) {
                        size_t take = piece_length(p + done, len - done);
                        read_piece(rd, p + done, take, &recognized);
                        done += take;
                }
        }
        diag_flush_pending_context(rd, true);
        close_run(rd);
        /* The person's words: to the one machine (the post's own, when no tool printed one), or
         * to the machine of the text around them. */
        if (rd->first_post_fact < log->n_facts && log->n_machines == 0)
                machine_new(log);
        for (size_t i = rd->first_post_fact; i < log->n_facts; i++) {
                int mi = log->n_machines == 1 ? 0 : rd->machine;
                if (mi >= 0)
                        machine_add_fact(&log->machines[mi], &log->facts[i]);
        }
        for (size_t mi = 0; mi < log->n_machines; mi++)
                generation_from_post(log, &log->machines[mi]);
        for (size_t i = 0; i < log->n_images; i++)
                if (log->images[i].machine == -2)
                        log->images[i].machine = -1;
        log->inputs[input].n_lines = rd->lineno;
        log->inputs[input].n_recognized = recognized;
        assign_regsets(rd, regset_scan_finish(&scan));
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
        diag_copy_cstr(img->name, sizeof img->name, name);
        img->at = (mefw_diag_loc){ (uint16_t) input, 0 };
        img->source = "file";
        img->machine = -1;
        const mefw_firmware *fw = &r->fw;
        if (fw->family)
                diag_copy_cstr(img->family, sizeof img->family, fw->family);
        if (fw->has_version) {
                img->has_version = true;
                memcpy(img->version, fw->version, sizeof img->version);
        }
        diag_copy_cstr(img->sku, sizeof img->sku, fw->sku);
        if (fw->type)
                diag_copy_cstr(img->type, sizeof img->type, fw->type);
        if (fw->release)
                diag_copy_cstr(img->release, sizeof img->release, fw->release);
        if (fw->chipset)
                diag_copy_cstr(img->chipset, sizeof img->chipset, fw->chipset);
        diag_copy_cstr(img->date, sizeof img->date, fw->date);
        if (fw->tcb_svn.set)
                snprintf(img->tcb_svn, sizeof img->tcb_svn, "%u", fw->tcb_svn.value);
        if (fw->vcn.set)
                snprintf(img->vcn, sizeof img->vcn, "%u", fw->vcn.value);
        if (fw->pv >= 0)
                diag_copy_cstr(img->production_ready, sizeof img->production_ready, fw->pv ? "Yes" : "No");
        for (size_t i = 0; i < r->messages.count && !img->damaged; i++)
                if (r->messages.items[i].severity == MEFW_ERROR) {
                        img->damaged = true;
                        diag_copy_cstr(img->damage, sizeof img->damage, r->messages.items[i].text ? r->messages.items[i].text : "");
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

int mefw_diag_read_text(mefw_diag_log *log, const char *text, size_t size, const char *name) {
        /* Logs saved by PowerShell (UTF-16) or Notepad ("ANSI") read like the UTF-8 ones. */
        _cleanup_free_ char *utf8 = NULL;
        size_t n = 0;
        int r = mefw_text_utf8(text, size, &utf8, &n);
        if (r < 0)
                return r;
        return read_utf8(log, utf8 ? utf8 : text, utf8 ? n : size, name);
}
