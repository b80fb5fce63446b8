/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check-update: will this image update this machine's engine firmware, and how.
 *
 * The running firmware ("current") comes from a dump, a pasted log, the live machine or the
 * command line; the image is an analyzed report. Every rule FWUpdLcl enforces (and some it
 * forgets, such as H vs LP) is a named check with pass / fail / unknown and a sentence. The
 * verdict is never "allowed" while a rule is unknown: the caller is told what to provide.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/db.h"
#include "mefw/ifd.h"
#include "mefw/json.h"
#include "mefw/mefw.h"
#include "mefw/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MEFW_UPDATE_NOTES_MAX 8

/* The running firmware, as far as the sources tell. Unknown fields stay empty / -1 / unset. */
typedef struct {
        const char *source;      /* "command line", "image", "log", "live" */
        char source_name[160];   /* the file the state came from, "" otherwise */
        char family[8];          /* "ME", "TXE", "SPS", "CSME", "CSTXE", "CSSPS", "" unknown */
        bool has_version;
        uint16_t version[4];
        char sku[48];            /* "1.5MB", "5MB", "Consumer", "Corporate H", "Digital Office"... */
        char platform[4];        /* "H", "LP", "" unknown */
        unsigned release;        /* MEFW_RELEASE_*, 0 unknown */
        bool release_assumed;    /* production assumed for a retail machine, said so */
        mefw_opt_u32 tcb_svn, arb_svn, vcn;
        char chipset[32];        /* PCH generations the firmware runs on: "LPT", "SPT/KBP"; "" */
        int local_fwupdate;      /* 1 enabled, 0 disabled, -1 unknown */
        int tpm;                 /* ME 4/5: the firmware hosts a TPM: 1, 0, -1 unknown */
        int secure_fwupdate;     /* a password is needed (-pass): 1, 0, -1 unknown */
        char fwu_sku[16];        /* FWUpdLcl's SKU number for the firmware ("2110"), "" */
        char fwu_image_sku[16];  /* ... for the image it was given, with that image's version */
        bool has_fwu_image_version;
        uint16_t fwu_image_version[4];
        char notes[MEFW_UPDATE_NOTES_MAX][240]; /* which source was used, contradictions */
        size_t n_notes;
} mefw_update_current;

void mefw_update_current_init(mefw_update_current *c);
/* The family a bare version names: ME for majors 2-10, CSME from 11 (TXE and SPS must be said). */
const char *mefw_update_family_of_major(unsigned major);
/* Add a note (silently capped). */
void mefw_update_current_note(mefw_update_current *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The running firmware from a dump of the flash or the ME region (the dump's own firmware). */
int mefw_update_current_from_report(const mefw_report *r, const char *name, mefw_update_current *ret);
/* The running firmware of the live machine (mefw_status_live). -ENOENT without a version. */
int mefw_update_current_from_status(const mefw_status *s, mefw_update_current *ret);
/*
 * Fill in what another source adds: fields unknown in 'c' are taken from 'more'; a field both
 * know and disagree on keeps c's value and a note says so.
 */
void mefw_update_current_merge(mefw_update_current *c, const mefw_update_current *more);

typedef enum {
        MEFW_RULE_PASS,
        MEFW_RULE_FAIL,
        MEFW_RULE_UNKNOWN,
} mefw_rule_result;
const char *mefw_rule_result_name(mefw_rule_result r); /* "pass", "fail", "unknown" */

typedef enum {
        MEFW_VERDICT_ALLOWED,       /* FWUpdLcl will take it: the tool and command line are given */
        MEFW_VERDICT_REFUSED,       /* the image does not fit this machine */
        MEFW_VERDICT_NEEDS_REFLASH, /* only a full region rewrite (programmer / FPT with access) */
        MEFW_VERDICT_UNKNOWN,       /* a rule could not be checked: see what to provide */
} mefw_verdict;
const char *mefw_verdict_name(mefw_verdict v); /* "allowed", "refused", "needs-reflash", "unknown" */

#define MEFW_UPDATE_RULES_MAX 24
#define MEFW_UPDATE_STEPS_MAX 12

typedef struct {
        const char *name;      /* "family", "major", "branch", "sku", ... (static) */
        mefw_rule_result result;
        char reason[400];
} mefw_rule_outcome;

typedef struct {
        mefw_verdict verdict;
        mefw_rule_outcome rules[MEFW_UPDATE_RULES_MAX];
        size_t n_rules;
        char steps[MEFW_UPDATE_STEPS_MAX][480];
        size_t n_steps;
        /* the tool, when allowed */
        bool has_tool;
        char tool_branch[16];   /* "9.0": the System Tools package the FWUpdLcl comes from */
        char tool_program[64];  /* "FWUpdLcl64.exe (Windows x64)" */
        char command[400];      /* "FWUpdLcl64 -f me9.0.31.1487_1.5MB_PRD_RGN.bin" */
        char alternative[400];  /* the same from DOS or EFI, "" when none */
        bool allowsv, tpm_switch;
} mefw_update_check;

/*
 * Judge 'image' (an analyzed report; for a full SPI image, its engine firmware) for 'cur'.
 * 'image_name' is how the command line should name the file. 'db' NULL: the one in use.
 */
int mefw_update_check_image(const mefw_update_current *cur, const mefw_report *image, const char *image_name,
                            const mefw_db *db, mefw_update_check *ret);

/*
 * The same rules for firmware named without its image (a version a person gives, an image line
 * of a log): 'fw' needs family and version; its SKU, platform and chipset are judged when set.
 * Signature, counters and integrity are not judged. -EINVAL without family or version.
 */
int mefw_update_check_firmware(const mefw_update_current *cur, const mefw_firmware *fw, mefw_update_check *ret);

/*
 * The same policy for a write of the whole engine region (replace, FPT, a programmer) of 'image'
 * over 'current' (the region on the chip, analyzed): family, major, SKU, platform, chipset,
 * release, the counters, no downgrade, signature, integrity, and the board's configuration (a
 * configured region is not replaced by an unconfigured one). Every failing rule refuses the write:
 * there is no other tool to send it to.
 */
int mefw_update_check_region_write(const mefw_report *current, const mefw_report *image, mefw_update_check *ret);
/* The Intel tools package a firmware needs ("9.0" for ME 9.0.x); false for SPS, which has no
 * public package. */
bool mefw_update_tools_branch(const char *family, const uint16_t version[4], char *buf, size_t cap);
/* Whether an Intel tool of version tool_major.tool_minor serves that firmware: from ME 8 on and on
 * CSE engines only its own minor line's tools do, before ME 8 any of the same major. */
bool mefw_update_tool_fits(const char *family, const uint16_t version[4], unsigned tool_major, unsigned tool_minor);

/* One rule's outcome in a check by its name ("branch"), NULL when it was not run. */
const mefw_rule_outcome *mefw_update_rule(const mefw_update_check *c, const char *name);

/* Order of preference among candidates: allowed first, newest first. <0 when a is better. */
int mefw_update_compare(const mefw_update_check *a, const mefw_report *ra, const mefw_update_check *b,
                        const mefw_report *rb);

/* The rule names in evaluation order (for documentation and tests). */
const char *const *mefw_update_rule_names(size_t *ret_n);

/* JSON: current, image, verdict, rules, procedure, tool. */
void mefw_update_current_write_json(const mefw_update_current *c, mefw_json *j);
void mefw_update_write_json(const mefw_update_current *cur, const mefw_report *image, const mefw_update_check *c,
                            mefw_json *j);

/* ---- Replacing a region of a full SPI image (the policy part of 'mefw replace') ---- */

/*
 * A new image with region 'index' replaced by 'with' (padded with 0xFF to the region size).
 * Why a replacement is refused is added to 'why' as error messages: a file larger than the
 * region (always refused), and for the engine region a file that is not a region image or holds
 * another family, major version, SKU or platform than the current one (refused unless force).
 * Returns 0 with *ret_image set (malloc'd, 'size' bytes), -EPERM when refused, -ENOENT/-ERANGE
 * as mefw_ifd_region_bytes, -ENOMEM.
 */
int mefw_ifd_replace_region(const mefw_ifd *d, const uint8_t *image, size_t size, unsigned index,
                            const uint8_t *with, size_t with_size, bool force, mefw_messages *why,
                            uint8_t **ret_image);

#ifdef __cplusplus
}
#endif
