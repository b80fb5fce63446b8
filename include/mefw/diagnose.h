/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diagnose a failed ME firmware update from what people paste: the output of Intel's MEInfo,
 * MEManuf, FWUpdLcl and FPT, ME Analyzer's tables, HWiNFO's ME section, coreboot's intelmetool
 * and Linux dmesg, in any mix, with forum damage, for one machine or several.
 *
 * Three steps, each usable on its own:
 *  1. mefw_diag_read_log(): the log readers turn text into typed facts per machine, every one
 *     with the line it came from;
 *  2. the knowledge base (data/diagnose-kb.txt, compiled in) explains each error code or message
 *     by its text and the tool's generation, since the numbers moved between releases;
 *  3. mefw_diag_reason(): rules combine the facts into ranked findings with evidence, remedies
 *     in order (safe ones first), a confidence and a source.
 * Nothing here prints or exits.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/json.h"
#include "mefw/mefw.h"
#include "mefw/status.h"
#include "mefw/update.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Knowledge base -------------------------------------------------------------------------- */

#define MEFW_KB_TEXTS_MAX 4
#define MEFW_KB_REMEDIES_MAX 8

typedef enum {
        MEFW_CLASS_BENIGN = 0, /* informational, safe to ignore */
        MEFW_CLASS_USAGE,      /* operator error: rerun correctly */
        MEFW_CLASS_POLICY,     /* the update is refused on purpose */
        MEFW_CLASS_BROKEN,     /* the ME or the flash is in a bad state */
        MEFW_CLASS_ENV,        /* operating system, driver or tool environment */
} mefw_kb_class;

const char *mefw_kb_class_name(mefw_kb_class c); /* "benign", "usage", "policy", "broken", "env" */

/* Which tool's numbering an entry belongs to. */
typedef enum {
        MEFW_KB_TOOL_FWUPDATE = 0, /* FWUpdLcl / FWUpdate, legacy 87xx numbering */
        MEFW_KB_TOOL_MEINFO,       /* MEInfo, MEManuf, TXEInfo, SPSInfo (92xx/94xx, CSME 11 numbers) */
        MEFW_KB_TOOL_FPT,          /* Flash Programming Tool */
        MEFW_KB_TOOL_UNIFIED,      /* CSME 12+ tools sharing one error list */
        MEFW_KB_TOOL_WINDOWS,      /* Windows errors met with these tools */
        MEFW_KB_TOOL_POST,         /* BIOS/POST messages that point at the ME */
        MEFW_KB_TOOL_DMESG,        /* Linux mei driver messages */
} mefw_kb_tool;

typedef struct {
        char *id;                 /* "fwu-8707" */
        mefw_kb_tool tool;
        unsigned gen_first, gen_last; /* tool major versions this numbering applies to (0..UINT_MAX) */
        long code, alias_code;    /* -1: none (matched by text only) */
        char *texts[MEFW_KB_TEXTS_MAX]; /* case-insensitive substrings of the message */
        char *texts_lower[MEFW_KB_TEXTS_MAX]; /* the same in lowercase, as they are compared */
        size_t n_texts;
        mefw_kb_class cls;
        char *title, *meaning, *cause, *note, *source;
        char *remedies[MEFW_KB_REMEDIES_MAX];
        size_t n_remedies;
        unsigned line;            /* where it starts in the knowledge-base text */
} mefw_kb_entry;

typedef struct {
        mefw_kb_entry *entries;
        size_t n_entries;
        mefw_messages messages; /* malformed entries, with their line as offset */
} mefw_kb;

/*
 * Parse a knowledge base in the text format of data/diagnose-kb.txt. Malformed entries (no
 * source, unknown class, missing keys, duplicate ids) are skipped with a message. -ENOMEM only.
 */
int mefw_kb_parse(const char *text, size_t size, mefw_kb **ret);
void mefw_kb_free(mefw_kb *kb);
/* The knowledge base compiled into the library (parsed once; never NULL unless out of memory). */
const mefw_kb *mefw_kb_builtin(void);
const mefw_kb_entry *mefw_kb_find(const mefw_kb *kb, const char *id);

#define MEFW_KB_TOOL_BIT(t) (1u << (t))

/*
 * Match one error message against the entries of the tools in 'tool_mask' (MEFW_KB_TOOL_BIT()s;
 * 0 = any). 'code' is the number printed (-1 when the line has none), 'tool_major' the tool's
 * major version (0 unknown: every generation). Text and number together beat text alone, which
 * beats a number alone; on the CSME 12+ shared list, whose numbers shifted between releases, a
 * number whose text disagrees does not match. *ret_text_matched says whether the text agreed.
 */
const mefw_kb_entry *mefw_kb_match(const mefw_kb *kb, unsigned tool_mask, unsigned tool_major, long code,
                                   const char *message, bool *ret_text_matched);

/* ---- Facts read from logs -------------------------------------------------------------------- */

#define MEFW_DIAG_QUOTE_MAX 200   /* a quoted log line, cut at this many bytes */
#define MEFW_DIAG_MACHINES_MAX 8
#define MEFW_DIAG_RUNS_MAX 64     /* tool runs per log */
#define MEFW_DIAG_FACTS_MAX 256   /* facts per machine */
#define MEFW_DIAG_ERRORS_MAX 64   /* distinct errors per machine */
#define MEFW_DIAG_IMAGES_MAX 16   /* images named in the logs or given as files */
#define MEFW_DIAG_LINES_MAX 8     /* line numbers kept per repeated error */
#define MEFW_DIAG_INPUTS_MAX 16
#define MEFW_DIAG_REGSETS_MAX 32
#define MEFW_DIAG_POST_FACTS_MAX 192 /* facts from people's words, over all inputs */

/* Where a fact came from: an input (file) and a 1-based line in it; line 0 = not a log line. */
typedef struct {
        uint16_t input;
        unsigned line;
} mefw_diag_loc;

typedef enum {
        MEFW_RUN_UNKNOWN = 0,
        MEFW_RUN_MEINFO,
        MEFW_RUN_MEMANUF,
        MEFW_RUN_FWUPDATE,
        MEFW_RUN_FPT,
        MEFW_RUN_MEA,
        MEFW_RUN_HWINFO,
        MEFW_RUN_INTELMETOOL,
        MEFW_RUN_DMESG,
        MEFW_RUN_LIVE,
} mefw_run_kind;

const char *mefw_run_kind_name(mefw_run_kind k);

/* One run of a tool as it appears in the log. */
typedef struct {
        mefw_run_kind kind;
        char tool[24];            /* "MEInfo", "FWUpdLcl", "TXEInfo", ... as the banner names it */
        char version[24];         /* the tool's own version, "" when not printed */
        unsigned major, minor;    /* of that version; 0 when unknown */
        uint16_t input;
        unsigned line, last_line; /* banner (or first) line and last line */
        char command[MEFW_DIAG_QUOTE_MAX]; /* the command line typed, "" when not in the log */
        unsigned command_line;
        char image[96];           /* the image file given on that command line */
        const char *environment;  /* "Windows", "DOS", "EFI", "Linux", NULL */
        unsigned environment_line;
        bool environment_from_text; /* the user's words said so, not the tool's output */
        int machine;              /* index into the log's machines */
        /* FWUpdLcl progress */
        char comm_mode[8];        /* "MEI", "TPM" */
        unsigned comm_mode_line;
        unsigned image_accepted_line; /* "Sending the update image to FW for verification: [ COMPLETE ]" */
        unsigned progress_line, progress_percent, progress_stage, progress_stages;
        unsigned upload_line;     /* "FW image is uploading through TPM." */
        unsigned success_line;    /* the tool said the update completed */
        unsigned n_errors;
} mefw_diag_run;

/* A typed fact: a name from a fixed vocabulary ("firmware-version", "local-fwupdate", ...). */
typedef struct {
        const char *name;
        char value[96];
        mefw_diag_loc at;
        int run;                  /* index into the log's runs, -1 for the user's own text */
        bool person;              /* the person's words (or text they copied), not a tool's output */
} mefw_diag_fact;

typedef struct {
        long code;                /* -1 when the message carries no number */
        char text[MEFW_DIAG_QUOTE_MAX]; /* the message as printed */
        const mefw_kb_entry *kb;  /* NULL when the knowledge base does not know it */
        bool text_matched;        /* matched by its text (not only by its number) */
        int run;
        uint16_t input;
        unsigned lines[MEFW_DIAG_LINES_MAX]; /* where it was printed (the first few times) */
        unsigned n_lines, count;
        unsigned context[MEFW_DIAG_LINES_MAX]; /* lines that belong to it ("vsccommn.bin not found") */
        unsigned n_context;
} mefw_diag_error;

/* A firmware image named in the log (ME Analyzer table, FWUpdLcl image info) or given as a file. */
typedef struct {
        char name[96];
        mefw_diag_loc at;         /* line 0 for a file given on the command line */
        const char *source;       /* "ME Analyzer", "FWUpdLcl", "file", "command line" */
        char family[8];
        bool has_version;
        uint16_t version[4];
        char sku[24], type[16], release[24], chipset[24], date[12], latest[8];
        char tcb_svn[8], vcn[8], production_ready[8];
        bool damaged;             /* the analyzer found errors in it */
        char damage[160];
        int machine;              /* -1: not tied to one machine */
} mefw_diag_image;

typedef struct {
        char label[64];           /* "machine 1 (ME 9.0.20.1447)" */
        mefw_diag_fact facts[MEFW_DIAG_FACTS_MAX];
        size_t n_facts, dropped_facts;
        mefw_diag_error errors[MEFW_DIAG_ERRORS_MAX];
        size_t n_errors, dropped_errors;
        bool has_firmware;
        uint16_t firmware[4];     /* the running firmware version, when a tool said it */
        mefw_diag_loc firmware_at;
        mefw_generation generation; /* from the firmware version, or the tools' version */
        mefw_status *status;      /* decoded status registers, NULL when the log had none */
        int status_set;           /* index into the log's register sets */
        bool live;                /* this machine, read through the MEI driver */
} mefw_diag_machine;

/* A set of status registers found in an input, and the run and machine it belongs to. */
typedef struct {
        mefw_log_regset set;
        uint16_t input;
        int run, machine;
} mefw_diag_regset;

typedef struct {
        mefw_diag_machine machines[MEFW_DIAG_MACHINES_MAX];
        size_t n_machines, dropped_machines;
        mefw_diag_run runs[MEFW_DIAG_RUNS_MAX];
        size_t n_runs, dropped_runs;
        mefw_diag_image images[MEFW_DIAG_IMAGES_MAX];
        size_t n_images, dropped_images;
        mefw_diag_regset regsets[MEFW_DIAG_REGSETS_MAX];
        size_t n_regsets, dropped_regsets;
        /* The text of every line a reader used, for quoting as evidence (in input/line order). */
        struct mefw_diag_quote {
                mefw_diag_loc at;
                char text[MEFW_DIAG_QUOTE_MAX];
                bool person;      /* the person's own sentence (or words they typed), not tool output */
        } *quotes;
        size_t n_quotes, dropped_quotes;
        struct {
                char name[96];    /* "seed.txt", "standard input" */
                const char *kind; /* "log", "image", "live" */
                size_t n_lines, n_recognized; /* lines read, lines some reader understood */
        } inputs[MEFW_DIAG_INPUTS_MAX];
        size_t n_inputs;
        /* What the posts say in people's words: symptoms, what was tried, the hardware (also given
         * to the machine they are about). */
        mefw_diag_fact facts[MEFW_DIAG_POST_FACTS_MAX];
        size_t n_facts, dropped_facts;
        mefw_messages messages;   /* what could not be read, per input (offset = input index) */
} mefw_diag_log;

/* The first post fact with this name (and value, when value is not NULL), NULL when none. */
const mefw_diag_fact *mefw_diag_post_fact(const mefw_diag_log *log, const char *name, const char *value);

int mefw_diag_log_new(mefw_diag_log **ret);
void mefw_diag_log_free(mefw_diag_log *log);

/*
 * Read one pasted log (any bytes; forum damage tolerated) into the log; 'name' labels it. Runs of
 * the same machine in several inputs are joined. Fails only with -ENOMEM, or -E2BIG past
 * MEFW_DIAG_INPUTS_MAX inputs; an input with nothing readable adds no machine and a message.
 */
int mefw_diag_read_text(mefw_diag_log *log, const char *text, size_t size, const char *name);

/* The text of a line a reader used; NULL when it was not kept. */
const char *mefw_diag_quote(const mefw_diag_log *log, mefw_diag_loc at);
/* Whether that line is the person's own sentence rather than a tool's output. */
bool mefw_diag_quote_person(const mefw_diag_log *log, mefw_diag_loc at);

/* The last value of a fact on a machine, NULL when never seen. */
const mefw_diag_fact *mefw_diag_fact_get(const mefw_diag_machine *m, const char *name);

/* Add an analyzed image (from a file) to the log; it is compared with every machine. */
int mefw_diag_add_image(mefw_diag_log *log, const mefw_report *r, const char *name);
/* Add this machine's live state as a machine of its own. */
int mefw_diag_add_live(mefw_diag_log *log, const mefw_status *s);

/* ---- Findings -------------------------------------------------------------------------------- */

typedef enum {
        MEFW_FINDING_BENIGN = 0, /* a line that looks bad but is harmless */
        MEFW_FINDING_INFO,
        MEFW_FINDING_WARNING,
        MEFW_FINDING_ERROR,
} mefw_finding_severity;

const char *mefw_finding_severity_name(mefw_finding_severity s); /* "benign", "info", "warning", "error" */

typedef enum {
        MEFW_CONFIDENCE_LOW = 0,
        MEFW_CONFIDENCE_MEDIUM,
        MEFW_CONFIDENCE_HIGH,
} mefw_confidence;

const char *mefw_confidence_name(mefw_confidence c);

#define MEFW_FINDING_EVIDENCE_MAX 12
#define MEFW_FINDING_REMEDY_MAX 10

typedef struct {
        mefw_diag_loc at;         /* line 0: not a log line (a file, the live machine) */
        char text[MEFW_DIAG_QUOTE_MAX];
        bool person;              /* the person wrote it; it is not a tool's output */
} mefw_evidence;

#define MEFW_FINDING_STEPS_MAX 8
#define MEFW_FINDING_WARNINGS_MAX 12

/* One step of a verdict's plan (data/diagnose-remedies.txt), worded for this machine. */
#define MEFW_STEP_TEXT_MAX 1024

typedef struct {
        const char *id;           /* "backup-spi", "unlock-descriptor", ... (static) */
        char text[MEFW_STEP_TEXT_MAX];
} mefw_step;

typedef struct {
        char id[48];              /* a knowledge-base id ("meinfo-9268"), a rule id ("tool-branch"),
                                   * or for the verdict its cause id ("region-corrupt") */
        mefw_finding_severity severity;
        mefw_confidence confidence;
        const char *cls;          /* knowledge-base class of the cause, NULL for rule findings without one */
        int machine;              /* -1: not about one machine */
        char title[160];
        char explanation[1200];
        mefw_evidence evidence[MEFW_FINDING_EVIDENCE_MAX];
        size_t n_evidence;
        char remedy[MEFW_FINDING_REMEDY_MAX][320];
        size_t n_remedy;
        char source[800];
        unsigned order;           /* rule order, for stable ranking */
        /* The verdict only (NULL / 0 otherwise): its cause, plan and safety warnings. */
        const char *cause;        /* data/diagnose-causes.txt id (static) */
        mefw_step steps[MEFW_FINDING_STEPS_MAX];
        size_t n_steps;
        const char *warnings[MEFW_FINDING_WARNINGS_MAX]; /* warning ids (static), see mefw_diag_warning_text */
        size_t n_warnings;
        const char *done[MEFW_FINDING_STEPS_MAX]; /* step ids left out: the post shows them done */
        size_t n_done;
        bool absorbed;            /* another finding the verdict speaks for: said there already */
} mefw_finding;

/* The text of a safety warning by its id ("backup-first"), NULL when unknown. */
const char *mefw_diag_warning_text(const char *id);

typedef struct {
        mefw_finding *items;
        size_t n;
        size_t dropped;           /* findings not made: a rule reached its cap */
        bool has_verdict;         /* items[0] is the verdict: the cause an expert would name */
        const char *access;       /* can the host write the ME region: "locked", "writable", "unknown" */
        const char *access_because; /* the fact that decided it, NULL when unknown (static) */
} mefw_findings;

/* A reasoning rule, for listing and for tests ("every rule fires on a minimal log"). */
typedef struct {
        const char *id;
        const char *summary;
} mefw_diag_rule_info;

const mefw_diag_rule_info *mefw_diag_rules(size_t *ret_n);

/* Run the rules and the knowledge base over a log; findings come back ranked, worst first. */
int mefw_diag_reason(const mefw_diag_log *log, const mefw_kb *kb, mefw_findings *ret);
void mefw_findings_clear(mefw_findings *f);

/* JSON: {"inputs", "machines", "findings"}, the 'mefw diagnose --json' schema. */
void mefw_diag_write_json(const mefw_diag_log *log, const mefw_findings *f, mefw_json *j);

/*
 * The running firmware from a pasted log, as check-update takes it (mefw/update.h). With several machines in the log, 'machine' (0-based)
 * chooses; -1 picks the one with a firmware version, preferring one a FWUpdLcl run tried to
 * update, and notes the choice. -ENOENT when no machine in the log names its firmware version.
 */
int mefw_diag_update_current(const mefw_diag_log *log, int machine, const char *name, mefw_update_current *ret);
#ifdef __cplusplus
}
#endif
