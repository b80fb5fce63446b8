/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The diagnose room's log readers: what they share. log.c walks the lines of an input and hands
 * each cleaned line to the readers below, one file per family of tool output; the reader state
 * collects what the open run says until it is given to a machine.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/diagnose.h"
#include "core/util.h"

#define LINE_SCAN 600          /* bytes of a line read at once; a longer line is read in pieces */
#define PIECES_PER_LINE_MAX 64 /* pieces of one line that are read (64 * 600 bytes) */
#define QUOTES_MAX 16384
#define RUN_FACTS_MAX 192      /* facts a run gathers before it is given to a machine */
#define RUN_ERRORS_MAX 32
#define HINT_REACH 4           /* the user's words count for a run this many lines before it */
#define CONTEXT_REACH 3        /* an uncoded error line belongs to a coded one this close */

/* Fact names: a fixed vocabulary, so rules and JSON consumers can rely on them. */
#define F_FIRMWARE "firmware-version"
#define F_IMAGE_VERSION "image-version"

/* FWUpdLcl 4/5: which section of its report is being read. */
typedef enum { FWU_NONE, FWU_FLASH, FWU_IMAGE } fwu_section_kind;

/* What one input's reader knows while it walks the lines. */
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
        size_t first_post_fact;       /* log->facts this input added start here */
        bool read_words;              /* the line a reader took is also read for the person's words */
        bool line_is_prose;           /* the line being read is a sentence (decided once per line) */
        unsigned fwupd_me_line;       /* fwupd: the engine's device heading, 0 none */
        unsigned sysfs_fw_ver_line;   /* "cat /sys/class/mei/mei0/fw_ver": the values follow */
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
        fwu_section_kind fwu_section;
        char flash_version[24];       /* MEInfo 5: "Flash: 5.2.70 ..." waiting for "Build Number:" */
        int image;                    /* ME Analyzer: the image whose rows are being read */
        int fwu_image;                /* FWUpdLcl: the image it was given */
        /* The words of the knowledge-base entries matched by text alone, lowercased once. */
        char needles[256][64];
        size_t n_needles;
        uint64_t needle_pairs[65536 / 64]; /* the needles' first two characters (read_errors.c) */
        size_t needles_indexed;
} reader;

/* ---- text.c: line cleaning and text helpers ---- */
bool diag_all_digits(const char *s);
const char *diag_ci_starts(const char *s, const char *prefix);
size_t diag_clean_line(const char *p, size_t n, char *out, size_t cap);
size_t diag_unquote_markdown(char *s, size_t n);
void diag_copy_cstr(char *dst, size_t cap, const char *src);
void diag_copy_str(char *dst, size_t cap, const char *src, size_t n);
bool diag_has_suffix_ci(const char *s, size_t n, const char *suffix);
bool diag_has_word(const char *lower, const char *word);
int diag_parse_version(const char *s, uint16_t v[4], const char **ret_end);
const char *diag_strip_line_number(const char *s);
bool diag_looks_like_prose(const char *line);

/* ---- log.c: quotes, facts, runs, machines, images ---- */
mefw_diag_run *diag_cur_run(reader *rd);
void diag_fact_add(reader *rd, const char *name, const char *value, size_t value_len);
int diag_image_new(reader *rd, const char *name, const char *source);
void diag_image_set_version(mefw_diag_image *img, const char *value);
void diag_merge_lines(unsigned *dst, unsigned *n, const unsigned *src, unsigned n_src);
void diag_open_run(reader *rd, mefw_run_kind kind, const char *tool, const char *version);
int diag_quote_add(mefw_diag_log *log, mefw_diag_loc at, const char *text);
int diag_quote_add_person(mefw_diag_log *log, mefw_diag_loc at, const char *text);
bool diag_same_error(const mefw_diag_error *a, const mefw_diag_error *b);
void diag_set_environment(reader *rd, const char *env);

/* ---- read_banners.c ---- */
bool diag_match_banner(reader *rd, const char *line, const char *lower);
bool diag_match_command(reader *rd, const char *line);

/* ---- read_labels.c ---- */
bool diag_is_tpm_line(const char *line);
bool diag_match_label(reader *rd, const char *line);
bool diag_match_label_known(const char *line);
bool diag_match_tpm_capability(reader *rd, const char *line);
void diag_record_firmware(reader *rd, const char *value, size_t n);

/* ---- read_progress.c ---- */
bool diag_match_progress(reader *rd, const char *lower);

/* ---- read_errors.c ---- */
bool diag_errorish(const char *lower);
void diag_flush_pending_context(reader *rd, bool force);
bool diag_match_error(reader *rd, const char *line, const char *lower);
void diag_prose_errors(reader *rd, const char *line, const char *lower);
void diag_record_error(reader *rd, long code, const char *message, const char *line, unsigned tool_mask,
                         bool uncoded);

/* ---- read_mea.c ---- */
bool diag_match_mea_row(reader *rd, const char *line);

/* ---- read_hwinfo.c ---- */
bool diag_is_hwinfo_label(const char *line);
bool diag_match_hwinfo_title(reader *rd, const char *lower);

/* ---- read_linux.c ---- */
bool diag_match_dmesg(reader *rd, const char *line, const char *lower);
bool diag_match_intelmetool(reader *rd, const char *line);

/* ---- read_prose.c ---- */
void diag_match_prose(reader *rd, const char *line, const char *lower);

/* ---- read_fwupd.c: fwupd's device tree and prompts, sysfs fw_ver ---- */
bool diag_match_linux_fw(reader *rd, const char *line, const char *lower);

/* ---- words.c: the phrase table of data/diagnose-words.txt ---- */
typedef void (*diag_words_hit)(const char *name, const char *value, void *userdata);
/* Every fact the line's wordings establish, negations respected (a fact may come twice). */
void diag_words_scan(const char *line, diag_words_hit fn, void *userdata);
/* Phrases read from the table, and (in *ret_bad) lines of it that were not understood. */
size_t diag_words_count(size_t *ret_bad);

/* ---- platforms.c: what a chipset, code name or CPU says of the engine (data/platforms.txt) ---- */
typedef struct {
        const char *generation;   /* "ME 9.0", "CSME 11", "CSME 11/CSME 12" */
        const char *sure;         /* "high", "medium" */
        const char *note;
        const char *kind;         /* "chipset", "codename", "cpu" */
} diag_platform;
/* The platform a word names ("HM86", "Haswell-ULT", "i7-4700MQ"), or NULL. */
const diag_platform *diag_platform_lookup(const char *word);
/* The chipset is made for Celeron and Pentium only (a Core processor there turns off after ~30 min). */
const diag_platform *diag_platform_core_limit(const char *chipset);

/* ---- log.c: facts of the post (the person's words, copied BIOS/POST text) ---- */
void diag_post_fact(reader *rd, const char *name, const char *value, size_t value_len);
/* The name is one of the post's fact names (a table naming another would be dropped silently). */
bool diag_post_name_known(const char *name);

/* ---- procedures.c: data/diagnose-procedures.txt ---- */
#define DIAG_PROC_TEXT_MAX 12
typedef struct {
        const char *id, *title, *source;
        const char *explain[DIAG_PROC_TEXT_MAX];
        size_t n_explain;
        const char *steps[DIAG_PROC_TEXT_MAX];
        size_t n_steps;
} diag_procedure;
const diag_procedure *diag_procedure_get(const char *id); /* NULL when the table has no such entry */
size_t diag_procedures_count(size_t *ret_bad);

/* ---- read_dumplock.c: the host's access to the ME region from the descriptor's masters ---- */
bool diag_match_dumplock(reader *rd, const char *line, const char *lower);

/* ---- causes.c: the verdict, from data/diagnose-causes.txt and data/diagnose-remedies.txt ---- */
/* Whether the host may write the ME region: "locked", "writable" or "unknown", and the fact that
 * decided it (NULL when unknown). */
void diag_find_access(const mefw_diag_log *log, const mefw_findings *findings, const char **ret_state,
                      const char **ret_because);
/* The cause an expert would name, as a finding with its plan; -ENOENT when the post holds too
 * little to decide ('ret' untouched). */
int diag_verdict(const mefw_diag_log *log, const mefw_findings *findings, mefw_finding *ret);
size_t diag_causes_count(size_t *ret_bad); /* causes, and entries of both tables not understood */
/* The i-th rule finding a cause speaks for (its "absorbs" line, else the cause's own id), NULL past
 * the end. */
const char *diag_cause_absorbs(const char *cause, size_t i);
/* The i-th symptom a cause accounts for (its "explains" line), NULL past the end. */
const char *diag_cause_explains(const char *cause, size_t i);
