/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error lines of FWUpdLcl, FPT, MEInfo and MEManuf (numbered or not), Device Manager, POST and Windows messages known by their words, matched against the knowledge base. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

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
bool diag_errorish(const char *lower) {
        const char *colon = strchr(lower, ':');
        const char *part = colon && colon[1] ? colon + 1 : lower;
        if (!strstr(part, "error") && !strstr(part, "fail") && !strstr(lower, "err:"))
                return false;
        static const char *const fine[] = { "valid", "passed", "done", "correct", "success", "not corrupted", "no error" };
        size_t n = strlen(lower);
        for (size_t i = 0; i < ELEMENTSOF(fine); i++)
                if (diag_has_suffix_ci(lower, n, fine[i]))
                        return false;
        return true;
}

/* Does the line hold the words of a knowledge-base entry that has no number (lowercase, once)? */
/* The needles' first two characters, as a bit set: one pass over the line finds where a needle
 * may start, and only there are the needles compared. */
static unsigned pair_of(const char *s) {
        return (unsigned) (unsigned char) s[0] << 8 | (unsigned char) s[1];
}

static void index_needles(reader *rd) {
        memset(rd->needle_pairs, 0, sizeof rd->needle_pairs);
        for (size_t i = 0; i < rd->n_needles; i++) {
                unsigned pr = pair_of(rd->needles[i]);
                rd->needle_pairs[pr / 64] |= 1ull << (pr % 64);
        }
        rd->needles_indexed = rd->n_needles;
}

static bool text_only_hit(reader *rd, const char *lower) {
        if (rd->needles_indexed != rd->n_needles)
                index_needles(rd);
        for (const char *p = lower; p[0] && p[1]; p++) {
                unsigned pr = pair_of(p);
                if (!(rd->needle_pairs[pr / 64] & (1ull << (pr % 64))))
                        continue;
                for (size_t i = 0; i < rd->n_needles; i++)
                        if (pair_of(rd->needles[i]) == pr && strncmp(p, rd->needles[i], strlen(rd->needles[i])) == 0)
                                return true;
        }
        return false;
}

static void attach_context(mefw_diag_error *e, unsigned line) {
        diag_merge_lines(e->context, &e->n_context, &line, 1);
}

void diag_record_error(reader *rd, long code, const char *message, const char *line, unsigned tool_mask,
                         bool uncoded) {
        mefw_diag_run *run = diag_cur_run(rd);
        if (!run) {
                /* An error with no tool around it: a run of its own so it has a machine. */
                diag_open_run(rd, MEFW_RUN_UNKNOWN, "", NULL);
                run = diag_cur_run(rd);
                if (!run)
                        return;
        }
        mefw_diag_error e = { .code = code, .run = rd->run, .input = rd->input, .n_lines = 1, .count = 1 };
        e.lines[0] = rd->lineno;
        diag_copy_cstr(e.text, sizeof e.text, message);
        /* Repeats are merged before they reach the knowledge base: bounded work on huge pastes. */
        for (size_t i = 0; i < rd->n_errors; i++) {
                mefw_diag_error *x = &rd->errors[i];
                if (x->code == code && strcmp(x->text, e.text) == 0) {
                        diag_merge_lines(x->lines, &x->n_lines, e.lines, 1);
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
                        diag_merge_lines(x->lines, &x->n_lines, e.lines, 1);
                        diag_merge_lines(x->context, &x->n_context, e.context, e.n_context);
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
void diag_flush_pending_context(reader *rd, bool force) {
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
                diag_copy_cstr(e.text, sizeof e.text, q);
                bool merged = false;
                for (size_t k = 0; k < rd->n_errors && !merged; k++)
                        if (diag_same_error(&rd->errors[k], &e)) {
                                diag_merge_lines(rd->errors[k].lines, &rd->errors[k].n_lines, e.lines, 1);
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

bool diag_match_error(reader *rd, const char *line, const char *lower) {
        long code;
        const char *msg;
        mefw_diag_run *run = diag_cur_run(rd);
        if (parse_coded_error(line, lower, &code, &msg)) {
                diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                diag_record_error(rd, code, msg, line, run_tool_mask(run), false);
                return true;
        }
        /* "(Code 10)" of Device Manager, POST messages and the Windows errors inside PMXUtil lines
         * carry no "Error N:"; the knowledge base knows them by their words. */
        if (!diag_errorish(lower) && !text_only_hit(rd, lower))
                return false;
        bool known_text = mefw_kb_match(rd->kb, TEXT_ONLY_TOOLS | run_tool_mask(run), 0, -1, line, NULL) != NULL;
        if (!diag_errorish(lower) && !known_text)
                return false;
        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        diag_record_error(rd, -1, line, line, run_tool_mask(run), true);
        return true;
}

/*
 * A sentence of the person that quotes a message ("I get error 8743", "the BIOS says ME is in
 * recovery state"): the knowledge base explains it, but the evidence is their words, marked as
 * such, and a sentence that only sounds like trouble ("it failed") is no error line.
 */
void diag_prose_errors(reader *rd, const char *line, const char *lower) {
        const unsigned all_tools = MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_FWUPDATE) | MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_MEINFO) |
                                   MEFW_KB_TOOL_BIT(MEFW_KB_TOOL_FPT) | TEXT_ONLY_TOOLS;
        mefw_diag_loc at = { rd->input, rd->lineno };
        /* numbered: "error 8743", "error code 63", "(error 26)" */
        for (const char *e = strstr(lower, "error"); e; e = strstr(e + 5, "error")) {
                const char *p = e + 5;
                while (*p == ' ' || *p == ':' || *p == '(' || *p == '#')
                        p++;
                if (diag_ci_starts(p, "code"))
                        p += 4;
                while (*p == ' ' || *p == ':' || *p == '(' || *p == '#')
                        p++;
                /* "error 8743", and lists: "error 1002, 9458 and 9459" */
                for (;;) {
                        size_t digits = strspn(p, "0123456789");
                        if (digits == 0 || digits > 5 || isalnum((unsigned char) p[digits]))
                                break;
                        long code = strtol(p, NULL, 10);
                        if (mefw_kb_match(rd->kb, all_tools, 0, code, "", NULL)) {
                                diag_quote_add_person(rd->log, at, line);
                                diag_record_error(rd, code, "", line, all_tools, false);
                        }
                        p += digits;
                        while (*p == ',' || *p == ' ' || *p == '/')
                                p++;
                        if (strncmp(p, "and ", 4) == 0 || strncmp(p, "or ", 3) == 0)
                                p += *p == 'a' ? 4 : 3;
                }
        }
        /* by their words: POST, Device Manager and Windows messages the knowledge base knows */
        if (text_only_hit(rd, lower) && mefw_kb_match(rd->kb, TEXT_ONLY_TOOLS, 0, -1, line, NULL)) {
                diag_quote_add_person(rd->log, at, line);
                diag_record_error(rd, -1, line, line, TEXT_ONLY_TOOLS, true);
        }
}
