/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware database: known builds per branch and SKU, Intel's signing keys and the
 * security advisories with their affected and fixed versions.
 *
 * The built-in database is compiled from data/ (plain text, reviewed like code). A user can
 * replace any part of it without rebuilding: a database file has the same sections
 * ("[builds]", "[advisories]", "[keys]"), and every section it holds replaces the built-in
 * one; sections it lacks are taken from the built-in database. `mefw db --export` prints the
 * built-in text as a starting point.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mefw_db mefw_db;

/* Caps: a database file is untrusted input like any other. */
#define MEFW_DB_TEXT_MAX (16u << 20)
#define MEFW_DB_BUILDS_MAX 20000
#define MEFW_DB_ADVISORIES_MAX 2000

enum {
        MEFW_RELEASE_PRD = 1 << 0, /* production */
        MEFW_RELEASE_PRE = 1 << 1, /* pre-production */
        MEFW_RELEASE_BYP = 1 << 2, /* ROM bypass */
};

typedef struct {
        char family[8];    /* "ME", "TXE", "SPS", "CSME", "CSTXE", "CSSPS" */
        uint16_t version[4];
        char sku[24];      /* the database's SKU name: "1.5MB", "CON_H_D", "" when none */
        unsigned releases; /* MEFW_RELEASE_* */
        char forms[48];    /* the release:type pairs as listed, "PRD:RGN PRE:RGN" */
} mefw_build;

typedef enum {
        MEFW_FIX_VERSION,     /* versions below 'fixed' (compared over 'fixed_parts' parts) */
        MEFW_FIX_BUILD_MIN,   /* builds below 'build_lo' */
        MEFW_FIX_BUILD_RANGE, /* builds from 'build_lo' to 'build_hi' */
        MEFW_FIX_NONE,        /* every version of the branch; no fix was released in it */
} mefw_fix_kind;

typedef struct {
        char id[24];           /* "INTEL-SA-00295" */
        char family[8];
        uint16_t first[2], last[2]; /* the branches covered, major.minor, inclusive */
        mefw_fix_kind fix;
        uint16_t fixed[4];
        unsigned fixed_parts;  /* 1..4 */
        uint32_t build_lo, build_hi;
        bool amt_only;         /* only firmware with AMT (corporate, 5MB, AMT SKUs) */
        char source[320];
        char summary[200];
} mefw_advisory;

/* The built-in database (parsed once, on first use; never NULL). */
const mefw_db *mefw_db_builtin(void);

/*
 * Parse a database file. Sections in 'text' replace the built-in ones. Malformed lines are
 * skipped and reported in 'diag' (offset = line number, code "db-line"); an unknown section
 * or a file with no section at all is an error (-EINVAL). -EFBIG above MEFW_DB_TEXT_MAX.
 */
int mefw_db_parse(const char *text, size_t size, mefw_db **ret, mefw_messages *diag);
void mefw_db_free(mefw_db *db);

/*
 * The database that analysis uses for key names and the 'latest'/'advisories' fields; NULL
 * goes back to the built-in one. 'db' must outlive every report made while it is in use.
 * Not for use while another thread analyzes.
 */
void mefw_db_use(const mefw_db *db);
const mefw_db *mefw_db_current(void);

size_t mefw_db_n_builds(const mefw_db *db);
const mefw_build *mefw_db_build(const mefw_db *db, size_t i);
size_t mefw_db_n_advisories(const mefw_db *db);
const mefw_advisory *mefw_db_advisory(const mefw_db *db, size_t i);
size_t mefw_db_n_keys(const mefw_db *db);

/* The text of the built-in database, every section, as a database file holds it. */
void mefw_db_builtin_text(const char **ret_parts, size_t *ret_sizes, size_t *ret_n);

/*
 * The database's SKU class of an analyzed firmware: "1.5MB", "5MB_MB", "DO", "CON_H" (CSME
 * type and platform, without the stepping), ...; "" when the firmware names none.
 */
void mefw_db_sku_class(const char *family, const char *sku, char *buf, size_t len);

/* Whether a SKU class has AMT: 1 yes, 0 no, -1 unknown. */
int mefw_sku_has_amt(const char *family, const char *sku_class);

typedef struct {
        bool branch_known;  /* the database lists builds of this family, branch and SKU */
        bool listed;        /* this exact version is listed for that SKU */
        bool is_latest;     /* nothing newer of the same branch, SKU and release */
        mefw_build newest;  /* the newest such build */
        char sku_class[24]; /* what was matched */
} mefw_latest;

/*
 * The newest known build of the branch (major.minor) and SKU class of 'version', among the
 * builds released as 'release' (MEFW_RELEASE_PRD for production firmware). -ENOENT when the
 * database lists no build of that branch and SKU.
 */
int mefw_db_latest(const mefw_db *db, const char *family, const uint16_t version[4], const char *sku_class,
                   unsigned release, mefw_latest *ret);

/* "9.0.20.1447": exactly four dot-separated numbers up to 65535. 0, or -EINVAL (ret untouched). */
int mefw_version_parse(const char *text, uint16_t ret[4]);

/* Lexicographic comparison of two versions over their first 'parts' parts. */
int mefw_version_cmp(const uint16_t a[4], const uint16_t b[4], unsigned parts);

typedef struct {
        const mefw_advisory *advisory;
        bool conditional; /* affects only AMT SKUs and this firmware's SKU is not known */
} mefw_advisory_hit;

/*
 * The advisories that affect 'version' of 'family'. 'amt' is 1 when the firmware has AMT, 0
 * when not, -1 when unknown. Returns how many hits there are (all of them; at most 'max' are
 * stored).
 */
size_t mefw_db_advisories_for(const mefw_db *db, const char *family, const uint16_t version[4], int amt,
                              mefw_advisory_hit *hits, size_t max);

/* "11.8.77", "build 3000", "builds 1000-1999", "none" into buf. */
const char *mefw_advisory_fixed_text(const mefw_advisory *a, char *buf, size_t len);

/* MEFW_RELEASE_* of the analyzer's release word ("Production" ...); 0 when unknown. */
unsigned mefw_release_bit(const char *release);

#ifdef __cplusplus
}
#endif
