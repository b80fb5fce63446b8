/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware database (include/mefw/db.h): one text format with sections, read by the same
 * parser whether it comes from data/ (compiled in) or from a user's --db file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "mefw/db.h"
#include "core/util.h"

extern const char mefw_data_intel_keys[];
extern const size_t mefw_data_intel_keys_len;
extern const char mefw_data_known_builds[];
extern const size_t mefw_data_known_builds_len;
extern const char mefw_data_advisories[];
extern const size_t mefw_data_advisories_len;

struct mefw_db {
        mefw_build *builds;
        size_t n_builds;
        mefw_advisory *advisories;
        size_t n_advisories;
        mefw_key_info *keys;
        size_t n_keys;
        /* which arrays this database owns (the others are the built-in ones) */
        bool own_builds, own_advisories, own_keys;
};

static int hexval(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static bool parse_hash(const char *s, size_t n, uint8_t out[32]) {
        if (n != 64)
                return false;
        for (size_t i = 0; i < 32; i++) {
                int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return false;
                out[i] = (uint8_t) (hi << 4 | lo);
        }
        return true;
}

/* Split one line into at most 'max' tab-separated fields; returns the number of fields
 * (max + 1 when there are more). */
static size_t split_tabs(const char *line, size_t len, const char **f, size_t *fl, size_t max) {
        size_t n = 0, start = 0;
        for (size_t i = 0; i <= len; i++)
                if (i == len || line[i] == '\t') {
                        if (n == max)
                                return max + 1;
                        f[n] = line + start;
                        fl[n] = i - start;
                        n++;
                        start = i + 1;
                }
        return n;
}

static bool copy_field(char *dst, size_t cap, const char *src, size_t n) {
        if (n >= cap)
                return false;
        memcpy(dst, src, n);
        dst[n] = 0;
        return true;
}

/* A line with a control character (a NUL among them) other than the tab separator is malformed:
 * fields are C strings afterwards, and text shown to users must not carry terminal controls. */
static bool line_is_clean(const char *line, size_t len) {
        for (size_t i = 0; i < len; i++)
                if ((unsigned char) line[i] < 0x20 && line[i] != '\t')
                        return false;
        return true;
}

static bool field_is(const char *f, size_t n, const char *word) {
        return n == strlen(word) && memcmp(f, word, n) == 0;
}

/* "9.0.31.1487" (1 to 'max' parts, each at most 65535) into v; returns the number of parts, 0 if malformed. */
static unsigned parse_version(const char *s, size_t n, uint16_t v[4], unsigned max) {
        unsigned parts = 0;
        size_t i = 0;
        memset(v, 0, 4 * sizeof v[0]);
        while (i < n) {
                if (parts == max)
                        return 0;
                uint32_t x = 0;
                size_t digits = 0;
                while (i < n && s[i] >= '0' && s[i] <= '9') {
                        x = x * 10 + (uint32_t) (s[i] - '0');
                        if (++digits > 5 || x > 0xFFFF)
                                return 0;
                        i++;
                }
                if (digits == 0)
                        return 0;
                v[parts++] = (uint16_t) x;
                if (i < n) {
                        if (s[i] != '.' || i + 1 == n)
                                return 0;
                        i++;
                }
        }
        return parts;
}

static bool parse_u32(const char *s, size_t n, uint32_t *ret) {
        uint64_t x = 0;
        if (n == 0 || n > 10)
                return false;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                x = x * 10 + (uint64_t) (s[i] - '0');
        }
        if (x > UINT32_MAX)
                return false;
        *ret = (uint32_t) x;
        return true;
}

static const char *const families[] = { "ME", "TXE", "SPS", "CSME", "CSTXE", "CSSPS" };

static bool known_family(const char *f, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (field_is(f, n, families[i]))
                        return true;
        return false;
}

/* family, version, sku ('-' for none), release:type pairs */
static bool parse_build_line(const char *line, size_t len, mefw_build *b) {
        const char *f[4];
        size_t fl[4];
        if (split_tabs(line, len, f, fl, 4) != 4 || !known_family(f[0], fl[0]))
                return false;
        *b = (mefw_build) {};
        copy_field(b->family, sizeof b->family, f[0], fl[0]);
        if (parse_version(f[1], fl[1], b->version, 4) != 4)
                return false;
        if (!field_is(f[2], fl[2], "-") && !copy_field(b->sku, sizeof b->sku, f[2], fl[2]))
                return false;
        if (fl[2] == 0 || !copy_field(b->forms, sizeof b->forms, f[3], fl[3]))
                return false;
        /* every pair is RELEASE:TYPE */
        for (size_t i = 0; i < fl[3];) {
                size_t j = i;
                while (j < fl[3] && f[3][j] != ' ')
                        j++;
                const char *p = f[3] + i;
                size_t pl = j - i;
                if (pl < 5 || p[3] != ':')
                        return false;
                if (memcmp(p, "PRD", 3) == 0)
                        b->releases |= MEFW_RELEASE_PRD;
                else if (memcmp(p, "PRE", 3) == 0)
                        b->releases |= MEFW_RELEASE_PRE;
                else if (memcmp(p, "BYP", 3) == 0)
                        b->releases |= MEFW_RELEASE_BYP;
                else
                        return false;
                i = j + 1;
        }
        return b->releases != 0;
}

/* "11.8" or "11.0-11.8" */
static bool parse_branches(const char *s, size_t n, uint16_t first[2], uint16_t last[2]) {
        const char *dash = memchr(s, '-', n);
        uint16_t a[4], b[4];
        if (!dash) {
                if (parse_version(s, n, a, 2) != 2)
                        return false;
                memcpy(b, a, sizeof a);
        } else if (parse_version(s, (size_t) (dash - s), a, 2) != 2 ||
                   parse_version(dash + 1, n - (size_t) (dash - s) - 1, b, 2) != 2)
                return false;
        if (mefw_version_cmp(a, b, 2) > 0)
                return false;
        first[0] = a[0], first[1] = a[1], last[0] = b[0], last[1] = b[1];
        return true;
}

static bool parse_fix(const char *s, size_t n, mefw_advisory *a) {
        if (field_is(s, n, "none")) {
                a->fix = MEFW_FIX_NONE;
                return true;
        }
        if (n > 6 && memcmp(s, "build:", 6) == 0) {
                a->fix = MEFW_FIX_BUILD_MIN;
                return parse_u32(s + 6, n - 6, &a->build_lo);
        }
        if (n > 7 && memcmp(s, "builds:", 7) == 0) {
                const char *dash = memchr(s + 7, '-', n - 7);
                a->fix = MEFW_FIX_BUILD_RANGE;
                return dash && parse_u32(s + 7, (size_t) (dash - s) - 7, &a->build_lo) &&
                       parse_u32(dash + 1, n - (size_t) (dash - s) - 1, &a->build_hi) && a->build_lo <= a->build_hi;
        }
        a->fix = MEFW_FIX_VERSION;
        a->fixed_parts = parse_version(s, n, a->fixed, 4);
        return a->fixed_parts >= 2;
}

/* advisory, family, branches, fixed, applies (all|amt), source, summary */
static bool parse_advisory_line(const char *line, size_t len, mefw_advisory *a) {
        const char *f[7];
        size_t fl[7];
        if (split_tabs(line, len, f, fl, 7) != 7 || !known_family(f[1], fl[1]))
                return false;
        *a = (mefw_advisory) {};
        if (fl[0] == 0 || !copy_field(a->id, sizeof a->id, f[0], fl[0]))
                return false;
        copy_field(a->family, sizeof a->family, f[1], fl[1]);
        if (!parse_branches(f[2], fl[2], a->first, a->last) || !parse_fix(f[3], fl[3], a))
                return false;
        /* a fixed version must lie in the branches the row covers */
        if (a->fix == MEFW_FIX_VERSION &&
            (mefw_version_cmp(a->fixed, (uint16_t[4]) { a->first[0], a->first[1] }, 2) < 0 ||
             mefw_version_cmp(a->fixed, (uint16_t[4]) { a->last[0], a->last[1] }, 2) > 0))
                return false;
        if (field_is(f[4], fl[4], "amt"))
                a->amt_only = true;
        else if (!field_is(f[4], fl[4], "all"))
                return false;
        return fl[5] > 0 && fl[6] > 0 && copy_field(a->source, sizeof a->source, f[5], fl[5]) &&
               copy_field(a->summary, sizeof a->summary, f[6], fl[6]);
}

typedef enum { SEC_NONE, SEC_BUILDS, SEC_ADVISORIES, SEC_KEYS } section;

static void db_release_owned(mefw_db *db) {
        if (db->own_builds)
                free(db->builds);
        if (db->own_advisories)
                free(db->advisories);
        if (db->own_keys)
                free(db->keys);
}

/*
 * Parse 'text' into 'db'. Sections found replace what db holds (db->own_* is set for them).
 * Returns 0, or -EINVAL for an unknown section or text with no section, -ENOMEM.
 */
static int parse_into(mefw_db *db, const char *text, size_t size, mefw_messages *diag, unsigned *ret_sections) {
        section sec = SEC_NONE;
        unsigned seen = 0, lineno = 0;
        size_t cap_b = 0, cap_a = 0, cap_k = 0;
        size_t pos = 0;
        int r = 0;

        while (pos < size) {
                const char *nl = memchr(text + pos, '\n', size - pos);
                size_t end = nl ? (size_t) (nl - text) : size;
                const char *line = text + pos;
                size_t len = end - pos;
                pos = end + 1;
                lineno++;
                if (len > 0 && line[len - 1] == '\r')
                        len--;
                if (len == 0 || line[0] == '#')
                        continue;

                if (line[0] == '[') {
                        section next = field_is(line, len, "[builds]")       ? SEC_BUILDS
                                       : field_is(line, len, "[advisories]") ? SEC_ADVISORIES
                                       : field_is(line, len, "[keys]")       ? SEC_KEYS
                                                                             : SEC_NONE;
                        if (next == SEC_NONE || (seen & (1u << next))) {
                                if (diag)
                                        mefw_messages_add(diag, MEFW_ERROR, "db-section", lineno,
                                                          "line %u: %s section '%.*s'", lineno,
                                                          next == SEC_NONE ? "unknown" : "repeated",
                                                          (int) MIN(len, 64), line);
                                return -EINVAL;
                        }
                        seen |= 1u << next;
                        sec = next;
                        /* the section replaces what was there */
                        if (sec == SEC_BUILDS) {
                                if (db->own_builds)
                                        free(db->builds);
                                db->builds = NULL, db->n_builds = 0, db->own_builds = true;
                        } else if (sec == SEC_ADVISORIES) {
                                if (db->own_advisories)
                                        free(db->advisories);
                                db->advisories = NULL, db->n_advisories = 0, db->own_advisories = true;
                        } else {
                                if (db->own_keys)
                                        free(db->keys);
                                db->keys = NULL, db->n_keys = 0, db->own_keys = true;
                        }
                        continue;
                }

                bool ok = false, full = false;
                if (!line_is_clean(line, len) && sec != SEC_NONE) {
                        if (diag)
                                mefw_messages_add(diag, MEFW_WARNING, "db-line", lineno,
                                                  "line %u: control characters, skipped", lineno);
                        continue;
                }
                switch (sec) {
                case SEC_NONE:
                        if (diag)
                                mefw_messages_add(diag, MEFW_ERROR, "db-section", lineno,
                                                  "line %u: data before the first [section]", lineno);
                        return -EINVAL;
                case SEC_BUILDS: {
                        mefw_build b;
                        ok = parse_build_line(line, len, &b);
                        if (ok && db->n_builds >= MEFW_DB_BUILDS_MAX)
                                full = true;
                        else if (ok) {
                                if ((r = grow_array((void **) &db->builds, &cap_b, db->n_builds + 1, sizeof b)) < 0)
                                        return r;
                                db->builds[db->n_builds++] = b;
                        }
                        break;
                }
                case SEC_ADVISORIES: {
                        mefw_advisory a;
                        ok = parse_advisory_line(line, len, &a);
                        if (ok && db->n_advisories >= MEFW_DB_ADVISORIES_MAX)
                                full = true;
                        else if (ok) {
                                if ((r = grow_array((void **) &db->advisories, &cap_a, db->n_advisories + 1,
                                                    sizeof a)) < 0)
                                        return r;
                                db->advisories[db->n_advisories++] = a;
                        }
                        break;
                }
                case SEC_KEYS: {
                        mefw_key_info k;
                        size_t bad = 0;
                        ok = mefw_keys_parse(line, len, &k, 1, &bad) == 1;
                        if (ok && db->n_keys >= MEFW_KEYS_MAX)
                                full = true;
                        else if (ok) {
                                if ((r = grow_array((void **) &db->keys, &cap_k, db->n_keys + 1, sizeof k)) < 0)
                                        return r;
                                db->keys[db->n_keys++] = k;
                        }
                        break;
                }
                }
                if (diag && (!ok || full))
                        mefw_messages_add(diag, MEFW_WARNING, "db-line", lineno, "line %u: %s, skipped: %.*s",
                                          lineno, full ? "too many entries" : "malformed", (int) MIN(len, 80), line);
        }
        if (!seen) {
                if (diag)
                        mefw_messages_add(diag, MEFW_ERROR, "db-section", -1,
                                          "no [builds], [advisories] or [keys] section");
                return -EINVAL;
        }
        if (ret_sections)
                *ret_sections = seen;
        return 0;
}

static mefw_db builtin_db;
static const mefw_db *active_db;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void) {
        /* The data files are ours and tested to parse cleanly; a failure leaves a section empty. */
        (void) parse_into(&builtin_db, mefw_data_known_builds, mefw_data_known_builds_len, NULL, NULL);
        (void) parse_into(&builtin_db, mefw_data_advisories, mefw_data_advisories_len, NULL, NULL);
        (void) parse_into(&builtin_db, mefw_data_intel_keys, mefw_data_intel_keys_len, NULL, NULL);
}

const mefw_db *mefw_db_builtin(void) {
        pthread_once(&builtin_once, load_builtin);
        return &builtin_db;
}

void mefw_db_builtin_text(const char **ret_parts, size_t *ret_sizes, size_t *ret_n) {
        ret_parts[0] = mefw_data_known_builds, ret_sizes[0] = mefw_data_known_builds_len;
        ret_parts[1] = mefw_data_advisories, ret_sizes[1] = mefw_data_advisories_len;
        ret_parts[2] = mefw_data_intel_keys, ret_sizes[2] = mefw_data_intel_keys_len;
        *ret_n = 3;
}

int mefw_db_parse(const char *text, size_t size, mefw_db **ret, mefw_messages *diag) {
        if (size > MEFW_DB_TEXT_MAX)
                return -EFBIG;
        const mefw_db *base = mefw_db_builtin();
        mefw_db *db = calloc(1, sizeof *db);
        if (!db)
                return -ENOMEM;
        *db = *base;
        db->own_builds = db->own_advisories = db->own_keys = false;
        int r = parse_into(db, text, size, diag, NULL);
        if (r < 0) {
                db_release_owned(db);
                free(db);
                return r;
        }
        *ret = db;
        return 0;
}

void mefw_db_free(mefw_db *db) {
        if (!db || db == &builtin_db)
                return;
        if (active_db == db)
                active_db = NULL;
        db_release_owned(db);
        free(db);
}

void mefw_db_use(const mefw_db *db) {
        active_db = db;
}

const mefw_db *mefw_db_current(void) {
        return active_db ? active_db : mefw_db_builtin();
}

size_t mefw_db_n_builds(const mefw_db *db) {
        return db->n_builds;
}
const mefw_build *mefw_db_build(const mefw_db *db, size_t i) {
        return i < db->n_builds ? &db->builds[i] : NULL;
}
size_t mefw_db_n_advisories(const mefw_db *db) {
        return db->n_advisories;
}
const mefw_advisory *mefw_db_advisory(const mefw_db *db, size_t i) {
        return i < db->n_advisories ? &db->advisories[i] : NULL;
}
size_t mefw_db_n_keys(const mefw_db *db) {
        return db->n_keys;
}

size_t mefw_keys_parse(const char *text, size_t len, mefw_key_info *keys, size_t max, size_t *ret_bad) {
        size_t n = 0, bad = 0, pos = 0;
        while (pos < len) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t end = nl ? (size_t) (nl - text) : len;
                const char *line = text + pos;
                size_t ll = end - pos;
                pos = end + 1;
                if (ll > 0 && line[ll - 1] == '\r')
                        ll--;
                if (ll == 0 || line[0] == '#' || line[0] == '[')
                        continue;

                const char *f[4];
                size_t fl[4];
                mefw_key_info k = {};
                if (split_tabs(line, ll, f, fl, 4) != 4 || fl[0] == 0 || fl[1] == 0 ||
                    !parse_hash(f[3], fl[3], k.hash) ||
                    !(field_is(f[2], fl[2], "PRD") || field_is(f[2], fl[2], "PRE")) ||
                    !copy_field(k.family, sizeof k.family, f[0], fl[0]) ||
                    !copy_field(k.signs, sizeof k.signs, f[1], fl[1])) {
                        bad++;
                        continue;
                }
                if (n >= max) {
                        bad++;
                        continue;
                }
                k.production = field_is(f[2], fl[2], "PRD");
                snprintf(k.name, sizeof k.name, "%s %s %s", k.family, k.signs,
                         k.production ? "production" : "pre-production");
                keys[n++] = k;
        }
        if (ret_bad)
                *ret_bad = bad;
        return n;
}

const mefw_key_info *mefw_db_find_key(const uint8_t sha256[32]) {
        const mefw_db *db = mefw_db_current();
        for (size_t i = 0; i < db->n_keys; i++)
                if (memcmp(db->keys[i].hash, sha256, 32) == 0)
                        return &db->keys[i];
        return NULL;
}

int mefw_version_parse(const char *text, uint16_t ret[4]) {
        uint16_t v[4];
        if (!text || parse_version(text, strlen(text), v, 4) != 4)
                return -EINVAL;
        memcpy(ret, v, sizeof v);
        return 0;
}

int mefw_version_cmp(const uint16_t a[4], const uint16_t b[4], unsigned parts) {
        for (unsigned i = 0; i < parts && i < 4; i++)
                if (a[i] != b[i])
                        return a[i] < b[i] ? -1 : 1;
        return 0;
}

/* The analyzer's SKU words to the database's names, for the families that name SKUs by words. */
static const struct {
        const char *family, *words, *db;
} sku_words[] = {
        { "ME", "AMT + TPM", "ALL" },
        { "ME", "Digital Office", "DO" },
        { "ME", "Base Consumer", "BC" },
        { "ME", "Digital Home or Base Corporate (?)", "DHBC" },
        { "ME", "Ignition IBX", "IGN_IBX" },
        { "ME", "Ignition CCK", "IGN_CCK" },
        { "ME", "Slim", "SLM" },
        { "TXE", "1MB N/W", "1MB_NW" },
};

static const struct {
        const char *word, *code;
} cse_types[] = {
        { "Consumer", "CON" }, { "Corporate", "COR" }, { "Slim", "SLM" }, { "Lite", "LIT" }, { "Server", "SVR" },
};

void mefw_db_sku_class(const char *family, const char *sku, char *buf, size_t len) {
        if (len == 0)
                return;
        buf[0] = 0;
        if (!family || !sku || !*sku)
                return;
        for (size_t i = 0; i < ELEMENTSOF(sku_words); i++)
                if (strcmp(family, sku_words[i].family) == 0 && strcmp(sku, sku_words[i].words) == 0) {
                        snprintf(buf, len, "%s", sku_words[i].db);
                        return;
                }
        if (strcmp(family, "CSME") == 0) {
                /* "Consumer H" -> "CON_H"; a database name given as such stays */
                for (size_t i = 0; i < ELEMENTSOF(cse_types); i++) {
                        size_t wl = strlen(cse_types[i].word);
                        if (strncasecmp(sku, cse_types[i].word, wl) == 0 && sku[wl] == ' ' && sku[wl + 1]) {
                                snprintf(buf, len, "%s_%s", cse_types[i].code, sku + wl + 1);
                                return;
                        }
                }
        }
        if (strcmp(family, "CSTXE") == 0 || strcmp(family, "CSSPS") == 0 || strcmp(family, "SPS") == 0)
                return; /* the analyzer's words for these do not map onto the database's names */
        /* "5MB MB" -> "5MB_MB", "1.375MB I/T" -> "1.375MB_IT" */
        size_t o = 0;
        for (const char *p = sku; *p && o + 1 < len; p++)
                if (*p == ' ')
                        buf[o++] = '_';
                else if (*p != '/')
                        buf[o++] = *p;
        buf[o] = 0;
}

int mefw_sku_has_amt(const char *family, const char *c) {
        if (!family || !c || !*c)
                return -1;
        if (strcmp(family, "ME") == 0) {
                if (strncmp(c, "5MB", 3) == 0 || strcmp(c, "AMT") == 0 || strcmp(c, "ALL") == 0 ||
                    strcmp(c, "DO") == 0 || strcmp(c, "AMT_B0") == 0)
                        return 1;
                if (strcmp(c, "1.5MB") == 0 || strcmp(c, "QST") == 0 || strcmp(c, "BC") == 0 ||
                    strcmp(c, "SLM") == 0 || strncmp(c, "IGN", 3) == 0 || strcmp(c, "TPM") == 0 ||
                    strcmp(c, "ASF") == 0)
                        return 0;
                return -1;
        }
        if (strcmp(family, "CSME") == 0) {
                if (strncmp(c, "COR", 3) == 0)
                        return 1;
                if (strncmp(c, "CON", 3) == 0 || strncmp(c, "SLM", 3) == 0 || strncmp(c, "LIT", 3) == 0)
                        return 0;
        }
        return -1;
}

/* A build's SKU matches the class: equal, or for CSME the class plus a stepping or variant
 * ("CON_H" ~ "CON_H_D", "CON_LP" ~ "CON_LP_C_NPDM"; the '_' keeps "CON_H" off "CON_HX"). */
static bool sku_matches(const char *family, const char *build_sku, const char *cls) {
        if (!cls || !*cls)
                return true;
        if (strcmp(build_sku, cls) == 0)
                return true;
        size_t n = strlen(cls);
        return strcmp(family, "CSME") == 0 && strncmp(build_sku, cls, n) == 0 && build_sku[n] == '_';
}

int mefw_db_latest(const mefw_db *db, const char *family, const uint16_t version[4], const char *sku_class,
                   unsigned release, mefw_latest *ret) {
        mefw_latest l = {};
        if (!family)
                return -ENOENT;
        snprintf(l.sku_class, sizeof l.sku_class, "%s", sku_class ? sku_class : "");
        const mefw_build *newest = NULL;
        for (size_t i = 0; i < db->n_builds; i++) {
                const mefw_build *b = &db->builds[i];
                if (strcmp(b->family, family) != 0 || mefw_version_cmp(b->version, version, 2) != 0 ||
                    !sku_matches(family, b->sku, sku_class))
                        continue;
                l.branch_known = true;
                if (mefw_version_cmp(b->version, version, 4) == 0)
                        l.listed = true;
                if (!(b->releases & release))
                        continue;
                if (!newest || mefw_version_cmp(b->version, newest->version, 4) > 0)
                        newest = b;
        }
        if (!l.branch_known || !newest)
                return -ENOENT;
        l.newest = *newest;
        l.is_latest = mefw_version_cmp(version, newest->version, 4) >= 0;
        *ret = l;
        return 0;
}

/* Advisories name TXE 3 and 4 (Apollo Lake, Gemini Lake) "TXE"; we call those CSTXE. */
static bool family_matches(const mefw_advisory *a, const char *family, unsigned major) {
        if (strcmp(a->family, family) == 0)
                return true;
        return strcmp(a->family, "TXE") == 0 && strcmp(family, "CSTXE") == 0 && major >= 3;
}

static bool advisory_affects(const mefw_advisory *a, const uint16_t v[4]) {
        if (mefw_version_cmp(v, (uint16_t[4]) { a->first[0], a->first[1] }, 2) < 0 ||
            mefw_version_cmp(v, (uint16_t[4]) { a->last[0], a->last[1] }, 2) > 0)
                return false;
        switch (a->fix) {
        case MEFW_FIX_VERSION:
                /* a fix in a later branch of the range covers every earlier branch entirely */
                return mefw_version_cmp(v, a->fixed, a->fixed_parts) < 0;
        case MEFW_FIX_BUILD_MIN:
                return v[3] < a->build_lo;
        case MEFW_FIX_BUILD_RANGE:
                return v[3] >= a->build_lo && v[3] <= a->build_hi;
        case MEFW_FIX_NONE:
                return true;
        }
        return false;
}

size_t mefw_db_advisories_for(const mefw_db *db, const char *family, const uint16_t version[4], int amt,
                              mefw_advisory_hit *hits, size_t max) {
        size_t n = 0;
        if (!family)
                return 0;
        for (size_t i = 0; i < db->n_advisories; i++) {
                const mefw_advisory *a = &db->advisories[i];
                if (!family_matches(a, family, version[0]) || !advisory_affects(a, version))
                        continue;
                if (a->amt_only && amt == 0)
                        continue;
                /* one hit per advisory: several rows may cover the same branch */
                bool dup = false;
                for (size_t j = 0; j < n && j < max; j++)
                        if (strcmp(hits[j].advisory->id, a->id) == 0)
                                dup = true;
                if (dup)
                        continue;
                if (n < max)
                        hits[n] = (mefw_advisory_hit) { .advisory = a, .conditional = a->amt_only && amt < 0 };
                n++;
        }
        return n;
}

const char *mefw_advisory_fixed_text(const mefw_advisory *a, char *buf, size_t len) {
        switch (a->fix) {
        case MEFW_FIX_VERSION: {
                size_t o = 0;
                for (unsigned i = 0; i < a->fixed_parts && o < len; i++) {
                        int w = snprintf(buf + o, len - o, "%s%u", i ? "." : "", a->fixed[i]);
                        if (w < 0)
                                break;
                        o += (size_t) w;
                }
                break;
        }
        case MEFW_FIX_BUILD_MIN:
                snprintf(buf, len, "build %u", a->build_lo);
                break;
        case MEFW_FIX_BUILD_RANGE:
                snprintf(buf, len, "outside builds %u-%u", a->build_lo, a->build_hi);
                break;
        case MEFW_FIX_NONE:
                snprintf(buf, len, "none");
                break;
        }
        return buf;
}

unsigned mefw_release_bit(const char *release) {
        if (!release)
                return 0;
        if (strcmp(release, "Production") == 0)
                return MEFW_RELEASE_PRD;
        if (strcmp(release, "Pre-Production") == 0)
                return MEFW_RELEASE_PRE;
        if (strcmp(release, "ROM-Bypass") == 0)
                return MEFW_RELEASE_BYP;
        return 0;
}
