/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware database (known builds, advisories, keys) and check-update's rules: a table of
 * running firmware / image pairs with the verdict and the deciding rule each must give, the
 * corpus acceptance cases (skipped without ../shared/corpus), and states read from logs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "mefw/diagnose.h"
#include "mefw/update.h"

/* ---- the database ---------------------------------------------------------------------------- */

static char *read_source_file(const char *rel, size_t *ret_n) {
        const char *root = getenv("MEFW_SOURCE_ROOT");
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char *buf = malloc(8 << 20);
        assert_non_null(buf);
        size_t n = fread(buf, 1, (8 << 20) - 1, f);
        fclose(f);
        buf[n] = 0;
        *ret_n = n;
        return buf;
}

static size_t data_lines(const char *text) {
        size_t n = 0;
        for (const char *p = text; *p;) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t) (nl - p) : strlen(p);
                if (len && p[0] != '#' && p[0] != '[')
                        n++;
                p += len + (nl ? 1 : 0);
        }
        return n;
}

/* Every line of every data file is read: none is skipped, and the built-in database holds them all. */
static void test_db_data_files_parse_cleanly(void **state) {
        (void) state;
        static const char *const files[] = { "data/known-builds.txt", "data/advisories.txt", "data/intel-keys.tsv" };
        const mefw_db *builtin = mefw_db_builtin();
        size_t expect[3] = {};
        for (size_t i = 0; i < 3; i++) {
                size_t n;
                char *text = read_source_file(files[i], &n);
                mefw_messages diag = {};
                mefw_db *db = NULL;
                assert_int_equal(mefw_db_parse(text, n, &db, &diag), 0);
                for (size_t k = 0; k < diag.count; k++)
                        print_message("%s: %s\n", files[i], diag.items[k].text);
                assert_int_equal(diag.count, 0);
                expect[i] = data_lines(text);
                mefw_messages_clear(&diag);
                mefw_db_free(db);
                free(text);
        }
        assert_int_equal(mefw_db_n_builds(builtin), expect[0]);
        assert_int_equal(mefw_db_n_advisories(builtin), expect[1]);
        assert_int_equal(mefw_db_n_keys(builtin), expect[2]);
        assert_true(expect[0] > 2000 && expect[1] > 50 && expect[2] > 50);
}

static void test_db_parse_errors(void **state) {
        (void) state;
        mefw_db *db = NULL;
        mefw_messages diag = {};
        /* no section at all, an unknown or repeated section, data before the first section */
        assert_int_equal(mefw_db_parse("", 0, &db, &diag), -EINVAL);
        const char *bad[] = { "[nonsense]\n", "[builds]\n[builds]\n", "ME\t9.0.31.1487\t1.5MB\tPRD:RGN\n" };
        for (size_t i = 0; i < 3; i++)
                assert_int_equal(mefw_db_parse(bad[i], strlen(bad[i]), &db, &diag), -EINVAL);
        assert_null(db);
        assert_true(diag.count >= 3);
        mefw_messages_clear(&diag);
        /* too large: refused before a byte is read */
        assert_int_equal(mefw_db_parse("x", (size_t) MEFW_DB_TEXT_MAX + 1, &db, NULL), -EFBIG);

        /* malformed lines are skipped and named; good ones kept; other sections stay built in */
        static const char text[] = "# comment\n[builds]\n"
                                   "ME\t9.0.31.1487\t1.5MB\tPRD:RGN PRE:RGN\n"
                                   "ME\t9.0.31\t1.5MB\tPRD:RGN\n"              /* 3-part version */
                                   "ME\t9.0.31.99999\t1.5MB\tPRD:RGN\n"        /* part too large */
                                   "XX\t9.0.31.1487\t1.5MB\tPRD:RGN\n"         /* unknown family */
                                   "ME\t9.0.31.1487\t1.5MB\tPRX:RGN\n"         /* unknown release */
                                   "ME\t9.0.31.1487\t1.5MB\n"                  /* missing column */
                                   "[advisories]\n"
                                   "A\tCSME\t11.0-11.8\t11.8.77\tall\ts\tt\n"
                                   "B\tCSME\t11.8-11.0\t11.8.77\tall\ts\tt\n"  /* reversed range */
                                   "C\tCSME\t11.8\t12.0.1\tall\ts\tt\n"        /* fix outside the range */
                                   "D\tCSME\t11.8\t11.8.77\tsome\ts\tt\n"      /* applies */
                                   "E\tCSME\t11.8\tbuilds:9-3\tall\ts\tt\n"    /* reversed builds */
                                   "F\tCSME\t11.8\t11.8.77\tall\t\tt\n"        /* no source */
                                   "G\tCSME\t11.8\t11.8.77\tall\ts\x1b[2J\tt\n"; /* terminal control */
        assert_int_equal(mefw_db_parse(text, sizeof text - 1, &db, &diag), 0);
        assert_int_equal(mefw_db_n_builds(db), 1);
        assert_int_equal(mefw_db_n_advisories(db), 1);
        assert_int_equal(mefw_db_n_keys(db), mefw_db_n_keys(mefw_db_builtin()));
        assert_int_equal(diag.count, 11);
        for (size_t i = 0; i < diag.count; i++)
                assert_string_equal(diag.items[i].code, "db-line");
        assert_int_equal(diag.items[0].offset, 4); /* line numbers */
        mefw_messages_clear(&diag);
        mefw_db_free(db);
}

static mefw_db *small_db(void) {
        static const char text[] = "[builds]\n"
                                   "ME\t9.0.50.1022\t1.5MB\tPRE:EXTR\n"
                                   "ME\t9.0.31.1487\t1.5MB\tPRD:RGN PRE:RGN\n"
                                   "ME\t9.0.31.3488\t5MB\tPRD:RGN\n"
                                   "ME\t9.0.20.1447\t1.5MB\tPRD:RGN\n"
                                   "ME\t9.1.45.3000\t5MB\tPRD:RGN\n"
                                   "CSME\t11.8.96.4657\tCON_H_D\tPRD:RGN\n"
                                   "CSME\t11.8.98.4781\tCON_LP_C_NPDM\tPRD:RGN\n"
                                   "[advisories]\n"
                                   "SA-1\tCSME\t11.0-11.8\t11.8.77\tall\tsrc\tone\n"
                                   "SA-2\tME\t6.0-10.0\tbuild:3000\tamt\tsrc\ttwo\n"
                                   "SA-3\tCSME\t11.7\tbuilds:1000-1999\tamt\tsrc\tthree\n"
                                   "SA-4\tCSME\t12.0\tnone\tall\tsrc\tfour\n"
                                   "SA-5\tTXE\t3.1\t3.1.92\tall\tsrc\tfive\n";
        mefw_db *db = NULL;
        assert_int_equal(mefw_db_parse(text, sizeof text - 1, &db, NULL), 0);
        return db;
}

static void test_db_latest(void **state) {
        (void) state;
        mefw_db *db = small_db();
        mefw_latest l;
        /* a pre-production build is newer, but production firmware is compared with production */
        assert_int_equal(mefw_db_latest(db, "ME", (uint16_t[4]) { 9, 0, 20, 1447 }, "1.5MB", MEFW_RELEASE_PRD, &l), 0);
        assert_true(l.branch_known && l.listed && !l.is_latest);
        assert_int_equal(l.newest.version[2], 31);
        assert_int_equal(l.newest.version[3], 1487);
        assert_int_equal(mefw_db_latest(db, "ME", (uint16_t[4]) { 9, 0, 20, 1447 }, "1.5MB", MEFW_RELEASE_PRE, &l), 0);
        assert_int_equal(l.newest.version[2], 50);
        assert_int_equal(mefw_db_latest(db, "ME", (uint16_t[4]) { 9, 0, 31, 1487 }, "1.5MB", MEFW_RELEASE_PRD, &l), 0);
        assert_true(l.is_latest);
        /* the 5MB line and the 9.1 branch are apart */
        assert_int_equal(mefw_db_latest(db, "ME", (uint16_t[4]) { 9, 0, 2, 1 }, "5MB", MEFW_RELEASE_PRD, &l), 0);
        assert_int_equal(l.newest.version[3], 3488);
        assert_int_equal(mefw_db_latest(db, "ME", (uint16_t[4]) { 9, 1, 0, 1 }, "1.5MB", MEFW_RELEASE_PRD, &l),
                         -ENOENT);
        /* CSME: the class matches any stepping of its type and platform, never the other platform */
        assert_int_equal(mefw_db_latest(db, "CSME", (uint16_t[4]) { 11, 8, 50, 1 }, "CON_H", MEFW_RELEASE_PRD, &l), 0);
        assert_string_equal(l.newest.sku, "CON_H_D");
        assert_int_equal(mefw_db_latest(db, "CSME", (uint16_t[4]) { 11, 8, 50, 1 }, "CON_LP", MEFW_RELEASE_PRD, &l), 0);
        assert_string_equal(l.newest.sku, "CON_LP_C_NPDM");
        assert_int_equal(mefw_db_latest(db, "CSME", (uint16_t[4]) { 11, 8, 50, 1 }, "COR_H", MEFW_RELEASE_PRD, &l),
                         -ENOENT);
        mefw_db_free(db);

        char cls[24];
        mefw_db_sku_class("CSME", "Consumer H", cls, sizeof cls);
        assert_string_equal(cls, "CON_H");
        mefw_db_sku_class("ME", "5MB MB", cls, sizeof cls);
        assert_string_equal(cls, "5MB_MB");
        mefw_db_sku_class("ME", "Digital Office", cls, sizeof cls);
        assert_string_equal(cls, "DO");
        mefw_db_sku_class("TXE", "1.375MB I/T", cls, sizeof cls);
        assert_string_equal(cls, "1.375MB_IT");
        assert_int_equal(mefw_sku_has_amt("ME", "5MB"), 1);
        assert_int_equal(mefw_sku_has_amt("ME", "1.5MB"), 0);
        assert_int_equal(mefw_sku_has_amt("CSME", "COR_H"), 1);
        assert_int_equal(mefw_sku_has_amt("CSME", ""), -1);

        uint16_t v[4] = { 7, 7, 7, 7 };
        assert_int_equal(mefw_version_parse("9.0.20.1447", v), 0);
        assert_true(v[0] == 9 && v[1] == 0 && v[2] == 20 && v[3] == 1447);
        static const char *const bad[] = { "9.0.20", "9.0.20.1447.1", "9.0.20.65536", "9.0..1447", "9.0.20.1447 H",
                                           "", "9.0.20.1447." };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                assert_int_equal(mefw_version_parse(bad[i], v), -EINVAL);
        assert_int_equal(v[3], 1447); /* untouched on failure */
        assert_string_equal(mefw_update_family_of_major(9), "ME");
        assert_string_equal(mefw_update_family_of_major(16), "CSME");
}

static size_t hits_for(const mefw_db *db, const char *family, uint16_t a, uint16_t b, uint16_t c, uint16_t d, int amt,
                       mefw_advisory_hit *h) {
        return mefw_db_advisories_for(db, family, (uint16_t[4]) { a, b, c, d }, amt, h, 8);
}

static void test_db_advisories(void **state) {
        (void) state;
        mefw_db *db = small_db();
        mefw_advisory_hit h[8];
        /* a version threshold covers the earlier branches of its range entirely */
        assert_int_equal(hits_for(db, "CSME", 11, 8, 65, 3590, 0, h), 1);
        assert_string_equal(h[0].advisory->id, "SA-1");
        assert_int_equal(hits_for(db, "CSME", 11, 6, 25, 1229, 0, h), 1);
        assert_int_equal(hits_for(db, "CSME", 11, 8, 77, 0, 0, h), 0);
        assert_int_equal(hits_for(db, "CSME", 11, 10, 0, 1, 0, h), 0); /* outside the range */
        /* build thresholds, AMT only: unknown SKU is a conditional hit, no AMT none */
        assert_int_equal(hits_for(db, "ME", 9, 0, 20, 1447, 1, h), 1);
        assert_string_equal(h[0].advisory->id, "SA-2");
        assert_false(h[0].conditional);
        assert_int_equal(hits_for(db, "ME", 9, 0, 20, 1447, -1, h), 1);
        assert_true(h[0].conditional);
        assert_int_equal(hits_for(db, "ME", 9, 0, 20, 1447, 0, h), 0);
        assert_int_equal(hits_for(db, "ME", 9, 1, 41, 3024, 1, h), 0);
        /* build ranges, and a branch with no fix */
        assert_int_equal(hits_for(db, "CSME", 11, 7, 0, 1500, 1, h), 2);
        assert_int_equal(hits_for(db, "CSME", 11, 7, 0, 3000, 1, h), 1);
        assert_int_equal(hits_for(db, "CSME", 12, 0, 99, 9999, 0, h), 1);
        /* advisories name TXE 3/4 "TXE"; the analyzer calls them CSTXE */
        assert_int_equal(hits_for(db, "CSTXE", 3, 1, 80, 1, 0, h), 1);
        assert_int_equal(hits_for(db, "TXE", 1, 1, 4, 1145, 0, h), 0);
        char buf[32];
        assert_string_equal(mefw_advisory_fixed_text(mefw_db_advisory(db, 0), buf, sizeof buf), "11.8.77");
        assert_string_equal(mefw_advisory_fixed_text(mefw_db_advisory(db, 1), buf, sizeof buf), "build 3000");
        mefw_db_free(db);
}

/* ---- the rules: a table of running firmware / image pairs ------------------------------------- */

typedef struct {
        const char *name;
        /* running firmware */
        const char *cur_family;
        uint16_t cur_version[4];
        const char *cur_sku, *cur_platform, *cur_chipset;
        unsigned cur_release;
        int local, tpm;
        int cur_tcb, cur_arb, cur_vcn; /* -1 unknown */
        /* image */
        const char *img_family;
        uint16_t img_version[4];
        const char *img_sku, *img_container, *img_release, *img_chipset;
        int img_tcb, img_arb, img_vcn; /* -1 unset */
        mefw_signature_state sig;
        int fwupdate_support;
        bool img_error;
        /* expected */
        mefw_verdict verdict;
        const char *rule;
        mefw_rule_result result;
        const char *command_has; /* a substring of the command line when allowed */
} rule_case;

#define ME9_CUR "ME", { 9, 0, 20, 1447 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1
#define ME9_IMG(h, b, sku) "ME", { 9, 0, h, b }, sku, "region", "Production", "LPT", 1, -1, 3, MEFW_SIG_VALID, -1, false
#define CSME_CUR(minor, sku, arb, vcn) \
        "CSME", { 11, minor, 60, 3561 }, sku, NULL, NULL, 0, 1, -1, 3, arb, vcn
#define CSME_IMG(minor, sku, arb, vcn) \
        "CSME", { 11, minor, 65, 3590 }, sku, "region", "Production", "SPT/KBP", 3, arb, vcn, MEFW_SIG_VALID, -1, false

static const rule_case cases[] = {
        /* the first seed's board, ME 9.0.20.1447 1.5MB */
        { "newer 9.0", ME9_CUR, ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_ALLOWED, "version", MEFW_RULE_PASS,
          "FWUpdLcl64 -f" },
        { "9.1 on 9.0", ME9_CUR, "ME", { 9, 1, 37, 1002 }, "1.5MB", "region", "Production", "LPT/WPT", 1, -1, 12,
          MEFW_SIG_VALID, -1, false, MEFW_VERDICT_NEEDS_REFLASH, "branch", MEFW_RULE_FAIL, NULL },
        { "5MB on 1.5MB", ME9_CUR, ME9_IMG(31, 3488, "5MB"), MEFW_VERDICT_REFUSED, "sku", MEFW_RULE_FAIL, NULL },
        { "same version", ME9_CUR, ME9_IMG(20, 1447, "1.5MB"), MEFW_VERDICT_ALLOWED, "version", MEFW_RULE_PASS,
          "-allowsv" },
        { "older 9.0", ME9_CUR, ME9_IMG(10, 1372, "1.5MB"), MEFW_VERDICT_NEEDS_REFLASH, "version", MEFW_RULE_FAIL,
          NULL },
        { "local fwupdate disabled", "ME", { 9, 0, 20, 1447 }, "1.5MB", NULL, NULL, 0, 0, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_REFUSED, "local-fwupdate", MEFW_RULE_FAIL, NULL },
        { "local fwupdate unknown", "ME", { 9, 0, 20, 1447 }, "1.5MB", NULL, NULL, 0, -1, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_UNKNOWN, "local-fwupdate", MEFW_RULE_UNKNOWN, NULL },
        { "sku unknown", "ME", { 9, 0, 20, 1447 }, NULL, NULL, NULL, 0, 1, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_UNKNOWN, "sku", MEFW_RULE_UNKNOWN, NULL },
        { "chipset of another platform", "ME", { 9, 0, 20, 1447 }, "1.5MB", NULL, "CPT", 0, 1, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_REFUSED, "chipset", MEFW_RULE_FAIL, NULL },
        { "pre-production image", ME9_CUR, "ME", { 9, 0, 31, 1487 }, "1.5MB", "region", "Pre-Production", "LPT", 1,
          -1, 3, MEFW_SIG_VALID, -1, false, MEFW_VERDICT_REFUSED, "release", MEFW_RULE_FAIL, NULL },
        { "production image on an engineering board", "ME", { 9, 0, 20, 1447 }, "1.5MB", NULL, NULL,
          MEFW_RELEASE_PRE, 1, -1, -1, -1, -1, ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_REFUSED, "release",
          MEFW_RULE_FAIL, NULL },
        { "lower TCB SVN", "ME", { 9, 0, 20, 1447 }, "1.5MB", NULL, NULL, 0, 1, -1, 2, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_REFUSED, "tcb-svn", MEFW_RULE_FAIL, NULL },
        /* 7 -> 8 on a Cougar Point board (HP Z420: FWUpdLcl said 8727; an OEM BIOS could do it) */
        { "major change", "ME", { 7, 1, 40, 1161 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1, "ME",
          { 8, 1, 70, 1590 }, "1.5MB", "region", "Production", "CPT/PBG/PPT", 1, -1, 2, MEFW_SIG_VALID, -1, false,
          MEFW_VERDICT_NEEDS_REFLASH, "major", MEFW_RULE_FAIL, NULL },
        { "a newer major on an older chipset", "ME", { 8, 1, 70, 1590 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_REFUSED, "chipset", MEFW_RULE_FAIL, NULL },
        { "another family", "TXE", { 9, 0, 20, 1447 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_REFUSED, "family", MEFW_RULE_FAIL, NULL },
        { "bad signature", ME9_CUR, "ME", { 9, 0, 31, 1487 }, "1.5MB", "region", "Production", "LPT", 1, -1, 3,
          MEFW_SIG_INVALID, -1, false, MEFW_VERDICT_REFUSED, "signature", MEFW_RULE_FAIL, NULL },
        { "foreign key", ME9_CUR, "ME", { 9, 0, 31, 1487 }, "1.5MB", "region", "Production", "LPT", 1, -1, 3,
          MEFW_SIG_UNKNOWN_KEY, -1, false, MEFW_VERDICT_REFUSED, "signature", MEFW_RULE_FAIL, NULL },
        { "damaged image", ME9_CUR, "ME", { 9, 0, 31, 1487 }, "1.5MB", "region", "Production", "LPT", 1, -1, 3,
          MEFW_SIG_VALID, -1, true, MEFW_VERDICT_REFUSED, "integrity", MEFW_RULE_FAIL, NULL },
        { "whole flash image", ME9_CUR, "ME", { 9, 0, 31, 1487 }, "1.5MB", "spi-image", "Production", "LPT", 1, -1, 3,
          MEFW_SIG_VALID, -1, false, MEFW_VERDICT_REFUSED, "input-kind", MEFW_RULE_FAIL, NULL },
        { "ME 7 region", "ME", { 7, 1, 40, 1161 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1, "ME", { 7, 1, 80, 1214 },
          "1.5MB", "region", "Production", "CPT/PBG", -1, -1, -1, MEFW_SIG_VALID, -1, false, MEFW_VERDICT_REFUSED,
          "input-kind", MEFW_RULE_FAIL, NULL },
        { "ME 7 update image", "ME", { 7, 1, 40, 1161 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1, "ME",
          { 7, 1, 70, 1198 }, "1.5MB", "update", "Production", "CPT/PBG", -1, -1, -1, MEFW_SIG_VALID, -1, false,
          MEFW_VERDICT_ALLOWED, "input-kind", MEFW_RULE_PASS, "FWUpdLcl64 -f" },
        /* CSME 11: H vs LP, branch groups */
        { "LP image on H", CSME_CUR(8, "Consumer H", -1, 280), CSME_IMG(8, "Consumer LP", -1, 283),
          MEFW_VERDICT_REFUSED, "platform", MEFW_RULE_FAIL, NULL },
        { "platform unknown", CSME_CUR(8, "Consumer", -1, 280), CSME_IMG(8, "Consumer LP", -1, 283),
          MEFW_VERDICT_UNKNOWN, "platform", MEFW_RULE_UNKNOWN, NULL },
        { "consumer to corporate", CSME_CUR(8, "Consumer H", -1, 280), CSME_IMG(8, "Corporate H", -1, 283),
          MEFW_VERDICT_REFUSED, "sku", MEFW_RULE_FAIL, NULL },
        { "11.6 to 11.8", CSME_CUR(6, "Consumer H", -1, 178), CSME_IMG(8, "Consumer H", -1, 283),
          MEFW_VERDICT_ALLOWED, "branch", MEFW_RULE_PASS, "FWUpdLcl64 -f" },
        { "11.8 back to 11.6", CSME_CUR(8, "Consumer H", -1, 280), CSME_IMG(6, "Consumer H", -1, 283),
          MEFW_VERDICT_NEEDS_REFLASH, "branch", MEFW_RULE_FAIL, NULL },
        { "11.8 to 11.11", CSME_CUR(8, "Consumer H", -1, 280), CSME_IMG(11, "Consumer H", -1, 283),
          MEFW_VERDICT_NEEDS_REFLASH, "branch", MEFW_RULE_FAIL, NULL },
        { "lower VCN", CSME_CUR(8, "Consumer H", -1, 290), CSME_IMG(8, "Consumer H", -1, 283), MEFW_VERDICT_REFUSED,
          "vcn", MEFW_RULE_FAIL, NULL },
        /* CSME 12: ARB SVN, companions */
        { "lower ARB SVN", "CSME", { 12, 0, 21, 1309 }, "Consumer LP", NULL, NULL, 0, 1, -1, 1, 5, 14, "CSME",
          { 12, 0, 35, 1427 }, "Consumer LP", "region", "Production", "CNP", 1, 4, 18, MEFW_SIG_VALID, 1, false,
          MEFW_VERDICT_REFUSED, "arb-svn", MEFW_RULE_FAIL, NULL },
        { "ARB SVN unknown, older image", "CSME", { 12, 0, 40, 1 }, "Consumer LP", NULL, NULL, 0, 1, -1, -1, -1, -1,
          "CSME", { 12, 0, 35, 1427 }, "Consumer LP", "region", "Production", "CNP", 1, 5, 18, MEFW_SIG_VALID, 1,
          false, MEFW_VERDICT_NEEDS_REFLASH, "arb-svn", MEFW_RULE_UNKNOWN, NULL },
        { "no companions", "CSME", { 12, 0, 21, 1309 }, "Consumer LP", NULL, NULL, 0, 1, -1, 1, 4, 14, "CSME",
          { 12, 0, 35, 1427 }, "Consumer LP", "region", "Production", "CNP", 1, 5, 18, MEFW_SIG_VALID, 0, false,
          MEFW_VERDICT_REFUSED, "companions", MEFW_RULE_FAIL, NULL },
        { "companions present", "CSME", { 12, 0, 21, 1309 }, "Consumer LP", NULL, NULL, 0, 1, -1, 1, 4, 14, "CSME",
          { 12, 0, 35, 1427 }, "Consumer LP", "region", "Production", "CNP", 1, 5, 18, MEFW_SIG_VALID, 1, false,
          MEFW_VERDICT_ALLOWED, "companions", MEFW_RULE_PASS, "FWUpdLcl64 -f" },
        /* ME 5 with the TPM: the second seed */
        { "TPM path", "ME", { 5, 0, 1, 1111 }, "Digital Office", NULL, NULL, 0, 1, 1, -1, -1, -1, "ME",
          { 5, 2, 70, 1046 }, "Digital Office", "update", "Production", "ICH10", -1, -1, -1, MEFW_SIG_VALID, -1, false,
          MEFW_VERDICT_ALLOWED, "tpm-path", MEFW_RULE_PASS, "FWUpdLcl -f image.bin -tpm" },
        { "TPM unknown", "ME", { 5, 0, 1, 1111 }, "Digital Office", NULL, NULL, 0, 1, -1, -1, -1, -1, "ME",
          { 5, 2, 70, 1046 }, "Digital Office", "update", "Production", "ICH10", -1, -1, -1, MEFW_SIG_VALID, -1, false,
          MEFW_VERDICT_UNKNOWN, "tpm-path", MEFW_RULE_UNKNOWN, NULL },
        { "no TPM", "ME", { 5, 0, 1, 1111 }, "Digital Office", NULL, NULL, 0, 1, 0, -1, -1, -1, "ME",
          { 5, 2, 70, 1046 }, "Digital Office", "update", "Production", "ICH10", -1, -1, -1, MEFW_SIG_VALID, -1, false,
          MEFW_VERDICT_ALLOWED, "tpm-path", MEFW_RULE_PASS, "FWUpdLcl -f image.bin" },
        { "ME 6 minor line", "ME", { 6, 0, 40, 1215 }, "1.5MB", NULL, NULL, 0, 1, 0, -1, -1, -1, "ME",
          { 6, 2, 50, 1062 }, "1.5MB", "update", "Production", "IBX", -1, -1, -1, MEFW_SIG_VALID, -1, false,
          MEFW_VERDICT_UNKNOWN, "branch", MEFW_RULE_UNKNOWN, NULL },
        { "version unknown", "ME", { 0, 0, 0, 0 }, "1.5MB", NULL, NULL, 0, 1, -1, -1, -1, -1,
          ME9_IMG(31, 1487, "1.5MB"), MEFW_VERDICT_UNKNOWN, "major", MEFW_RULE_UNKNOWN, NULL },
        { "no engine in the image", ME9_CUR, NULL, { 0 }, NULL, "unknown", NULL, NULL, -1, -1, -1,
          MEFW_SIG_NOT_CHECKED, -1, false, MEFW_VERDICT_REFUSED, "family", MEFW_RULE_FAIL, NULL },
};

static mefw_opt_u32 opt(int v) {
        return v < 0 ? (mefw_opt_u32) {} : (mefw_opt_u32) { .set = true, .value = (uint32_t) v };
}

static void setup_case(const rule_case *t, mefw_update_current *cur, mefw_report *img) {
        mefw_update_current_init(cur);
        cur->source = "command line";
        snprintf(cur->family, sizeof cur->family, "%s", t->cur_family ? t->cur_family : "");
        cur->has_version = t->cur_version[0] != 0;
        memcpy(cur->version, t->cur_version, sizeof cur->version);
        snprintf(cur->sku, sizeof cur->sku, "%s", t->cur_sku ? t->cur_sku : "");
        snprintf(cur->platform, sizeof cur->platform, "%s", t->cur_platform ? t->cur_platform : "");
        snprintf(cur->chipset, sizeof cur->chipset, "%s", t->cur_chipset ? t->cur_chipset : "");
        cur->release = t->cur_release;
        cur->local_fwupdate = t->local;
        cur->tpm = t->tpm;
        cur->tcb_svn = opt(t->cur_tcb), cur->arb_svn = opt(t->cur_arb), cur->vcn = opt(t->cur_vcn);

        memset(img, 0, sizeof *img);
        mefw_firmware *fw = &img->fw;
        fw->family = t->img_family;
        fw->has_version = t->img_family != NULL;
        memcpy(fw->version, t->img_version, sizeof fw->version);
        snprintf(fw->sku, sizeof fw->sku, "%s", t->img_sku ? t->img_sku : "");
        fw->container = t->img_container;
        fw->release = t->img_release;
        fw->chipset = t->img_chipset;
        fw->tcb_svn = opt(t->img_tcb), fw->arb_svn = opt(t->img_arb), fw->vcn = opt(t->img_vcn);
        fw->signature = t->sig;
        fw->key = t->sig == MEFW_SIG_VALID ? "test production key" : NULL;
        fw->fwupdate_support = t->fwupdate_support;
        fw->pv = fw->oem_config = fw->workstation = fw->power_down_mitigation = fw->patsburg = -1;
        if (t->img_error)
                mefw_messages_add(&img->messages, MEFW_ERROR, "hash-mismatch", 0x1000, "a module's hash does not match");
}

static const mefw_rule_outcome *find_rule(const mefw_update_check *c, const char *name) {
        for (size_t i = 0; i < c->n_rules; i++)
                if (strcmp(c->rules[i].name, name) == 0)
                        return &c->rules[i];
        return NULL;
}

/* Which tools package a firmware needs, and which tools serve it: one answer for check-update's
 * command line and diagnose's tool-branch finding. */
static void test_tools_branch(void **state) {
        (void) state;
        char b[16];
        assert_true(mefw_update_tools_branch("ME", (uint16_t[4]) { 9, 0, 20, 1447 }, b, sizeof b));
        assert_string_equal(b, "9.0");
        assert_false(mefw_update_tool_fits("ME", (uint16_t[4]) { 9, 0, 20, 1447 }, 9, 1));
        assert_true(mefw_update_tool_fits("ME", (uint16_t[4]) { 9, 0, 20, 1447 }, 9, 0));
        assert_true(mefw_update_tool_fits("ME", (uint16_t[4]) { 7, 0, 21, 1193 }, 7, 1)); /* before ME 8 */
        assert_false(mefw_update_tool_fits("ME", (uint16_t[4]) { 7, 0, 21, 1193 }, 8, 1));
        assert_false(mefw_update_tool_fits("CSME", (uint16_t[4]) { 11, 6, 0, 1 }, 11, 8));
        assert_false(mefw_update_tools_branch("SPS", (uint16_t[4]) { 3, 1, 3, 21 }, b, sizeof b));
        assert_true(mefw_update_tool_fits("SPS", (uint16_t[4]) { 3, 1, 3, 21 }, 4, 0)); /* nothing to compare */
}

/* One policy: a firmware named without its image (as diagnose judges the versions a post names)
 * goes through the very rules an image does; every rule both run ends the same, word for word. */
static void test_named_firmware_same_rules(void **state) {
        (void) state;
        size_t compared = 0;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                const rule_case *t = &cases[i];
                if (!t->img_family)
                        continue;
                mefw_update_current cur;
                mefw_report img;
                setup_case(t, &cur, &img);
                mefw_update_check by_image, by_name;
                assert_int_equal(mefw_update_check_image(&cur, &img, "image.bin", NULL, &by_image), 0);
                assert_int_equal(mefw_update_check_firmware(&cur, &img.fw, &by_name), 0);
                for (size_t k = 0; k < by_name.n_rules; k++) {
                        const mefw_rule_outcome *a = &by_name.rules[k], *b = mefw_update_rule(&by_image, a->name);
                        assert_non_null(b);
                        if (a->result != b->result || strcmp(a->reason, b->reason) != 0) {
                                print_message("case '%s', rule %s: %s '%s' vs %s '%s'\n", t->name, a->name,
                                              mefw_rule_result_name(a->result), a->reason,
                                              mefw_rule_result_name(b->result), b->reason);
                                fail();
                        }
                        compared++;
                }
                mefw_messages_clear(&img.messages);
        }
        assert_true(compared > 50);
        mefw_firmware none = {};
        mefw_update_current cur;
        mefw_update_current_init(&cur);
        mefw_update_check c;
        assert_int_equal(mefw_update_check_firmware(&cur, &none, &c), -EINVAL);
}

static void test_rules_table(void **state) {
        (void) state;
        size_t n_names;
        const char *const *names = mefw_update_rule_names(&n_names);
        bool decided[32] = {};
        assert_true(n_names <= 32);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                const rule_case *t = &cases[i];
                mefw_update_current cur;
                mefw_report img;
                setup_case(t, &cur, &img);
                mefw_update_check c;
                assert_int_equal(mefw_update_check_image(&cur, &img, "dir/image.bin", NULL, &c), 0);
                const mefw_rule_outcome *r = find_rule(&c, t->rule);
                if (!r || c.verdict != t->verdict || r->result != t->result) {
                        print_message("case '%s': verdict %s, rule %s %s\n", t->name, mefw_verdict_name(c.verdict),
                                      t->rule, r ? mefw_rule_result_name(r->result) : "missing");
                        for (size_t k = 0; k < c.n_rules; k++)
                                print_message("  %s %s: %s\n", c.rules[k].name,
                                              mefw_rule_result_name(c.rules[k].result), c.rules[k].reason);
                        fail();
                }
                assert_true(r->reason[0]);
                /* never allowed with an unknown rule; a tool exactly when allowed */
                for (size_t k = 0; k < c.n_rules && c.verdict == MEFW_VERDICT_ALLOWED; k++)
                        assert_int_equal(c.rules[k].result, MEFW_RULE_PASS);
                assert_int_equal(c.has_tool, c.verdict == MEFW_VERDICT_ALLOWED);
                assert_true(c.n_steps > 0);
                if (t->command_has) {
                        if (!strstr(c.command, t->command_has))
                                print_message("case '%s': command '%s'\n", t->name, c.command);
                        assert_non_null(strstr(c.command, t->command_has));
                }
                if (c.has_tool) {
                        char br[16];
                        snprintf(br, sizeof br, "%u.%u", t->img_version[0], t->img_version[1]);
                        assert_string_equal(c.tool_branch, br);
                        assert_null(strchr(c.command, '/')); /* the file by its own name */
                }
                /* every rule is judged on every image that holds firmware */
                if (t->img_family)
                        assert_int_equal(c.n_rules, n_names);
                if (r->result != MEFW_RULE_PASS)
                        for (size_t k = 0; k < n_names; k++)
                                if (strcmp(names[k], t->rule) == 0)
                                        decided[k] = true;
                mefw_messages_clear(&img.messages);
        }
        /* every rule has a case where it fails or cannot be checked */
        for (size_t k = 0; k < n_names; k++) {
                if (!decided[k])
                        print_message("rule %s has no failing case\n", names[k]);
                assert_true(decided[k]);
        }
}

/* The verdict's reasons reach the procedure, and refused images point at the newest fitting build. */
/* A passing rule's sentence is true of both sides: an LP machine and an H image share a SKU class,
 * they are not "both Consumer H". */
static void test_pass_sentences_hold_for_both(void **state) {
        (void) state;
        size_t checked = 0;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                mefw_update_current cur;
                mefw_report img;
                setup_case(&cases[i], &cur, &img);
                mefw_update_check c;
                assert_int_equal(mefw_update_check_image(&cur, &img, "dir/image.bin", NULL, &c), 0);
                const mefw_rule_outcome *r = find_rule(&c, "sku");
                if (!r || r->result != MEFW_RULE_PASS || !cur.sku[0] || strcasecmp(cur.sku, img.fw.sku) == 0)
                        continue;
                char claim[96];
                snprintf(claim, sizeof claim, "both are %s", img.fw.sku);
                if (strcmp(r->reason, claim) == 0)
                        fail_msg("case '%s': sku says \"%s\" but the machine runs %s", cases[i].name, r->reason, cur.sku);
                checked++;
        }
        assert_true(checked > 0); /* the table has such pairs (LP machine, H image) */
}

static void test_procedures(void **state) {
        (void) state;
        mefw_update_current cur;
        mefw_report img;
        mefw_update_check c;
        setup_case(&cases[2], &cur, &img); /* 5MB on 1.5MB */
        assert_int_equal(mefw_update_check_image(&cur, &img, "x.bin", NULL, &c), 0);
        bool names_rule = false, names_newest = false;
        for (size_t i = 0; i < c.n_steps; i++) {
                names_rule |= strncmp(c.steps[i], "sku:", 4) == 0;
                names_newest |= strstr(c.steps[i], "9.0.31.1487") != NULL;
        }
        assert_true(names_rule && names_newest);

        /* JSON: the keys the issue names */
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_update_write_json(&cur, &img, &c, &j);
        assert_true(mefw_json_ok(&j));
        for (const char *const *k = (const char *const[]) { "\"current\"", "\"image\"", "\"verdict\":\"refused\"",
                                                            "\"rules\"", "\"procedure\"", "\"tool\":null", NULL };
             *k; k++)
                assert_non_null(strstr(j.data, *k));
        mefw_json_free(&j);

        /* ranking: allowed first, then newest */
        mefw_report a, b;
        mefw_update_check ca, cb;
        setup_case(&cases[0], &cur, &a);
        setup_case(&cases[3], &cur, &b);
        mefw_update_check_image(&cur, &a, "a", NULL, &ca);
        mefw_update_check_image(&cur, &b, "b", NULL, &cb);
        assert_true(mefw_update_compare(&ca, &a, &cb, &b) < 0);
        setup_case(&cases[1], &cur, &b);
        mefw_update_check_image(&cur, &b, "b", NULL, &cb);
        assert_true(mefw_update_compare(&cb, &b, &ca, &a) > 0);
}

/* ---- states from logs ------------------------------------------------------------------------- */

static void test_state_from_log(void **state) {
        (void) state;
        static const char log_text[] = "Intel(R) MEInfo Version: 9.1.10.1000\n"
                                       "FW Version: 9.0.20.1447 H\n"
                                       "Local FWUpdate: Disabled\n"
                                       "ME Firmware Image Type: 1.5MB Firmware\n";
        mefw_diag_log *log = NULL;
        assert_int_equal(mefw_diag_log_new(&log), 0);
        assert_int_equal(mefw_diag_read_text(log, log_text, sizeof log_text - 1, "meinfo.txt"), 0);
        mefw_update_current cur;
        assert_int_equal(mefw_diag_update_current(log, -1, "meinfo.txt", &cur), 0);
        assert_string_equal(cur.source, "log");
        assert_string_equal(cur.family, "ME");
        assert_int_equal(cur.version[2], 20);
        assert_int_equal(cur.local_fwupdate, 0);
        assert_int_equal(mefw_diag_update_current(log, 3, "meinfo.txt", &cur), -ENOENT);
        mefw_diag_log_free(log);

        /* no version at all */
        assert_int_equal(mefw_diag_log_new(&log), 0);
        assert_int_equal(mefw_diag_read_text(log, "hello\n", 6, "x"), 0);
        assert_int_equal(mefw_diag_update_current(log, -1, "x", &cur), -ENOENT);
        mefw_diag_log_free(log);

        /* merging: the first source wins, disagreements are noted */
        mefw_update_current a, b;
        mefw_update_current_init(&a);
        mefw_update_current_init(&b);
        a.source = "command line", b.source = "log";
        a.has_version = b.has_version = true;
        memcpy(a.version, (uint16_t[4]) { 9, 0, 20, 1447 }, sizeof a.version);
        memcpy(b.version, (uint16_t[4]) { 9, 0, 21, 1462 }, sizeof b.version);
        snprintf(b.sku, sizeof b.sku, "1.5MB");
        b.local_fwupdate = 1;
        mefw_update_current_merge(&a, &b);
        assert_int_equal(a.version[2], 20);
        assert_string_equal(a.sku, "1.5MB");
        assert_int_equal(a.local_fwupdate, 1);
        assert_int_equal(a.n_notes, 1);
        assert_non_null(strstr(a.notes[0], "disagree"));
}

static char *load_seed(const char *name, size_t *ret_n) {
        const char *corpus = getenv("MEFW_CORPUS");
        char path[1024];
        snprintf(path, sizeof path, "%s/../seeds/%s", corpus ? corpus : ".", name);
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        char *buf = malloc(1 << 20);
        assert_non_null(buf);
        *ret_n = fread(buf, 1, 1 << 20, f);
        fclose(f);
        return buf;
}

static mefw_report *load_corpus(const char *name) {
        const char *corpus = getenv("MEFW_CORPUS");
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", corpus ? corpus : ".", name);
        mefw_report *r = NULL;
        if (mefw_analyze_path(path, &r) < 0)
                return NULL;
        return r;
}

/* The second seed: two machines; the one FWUpdLcl ran on (5.0.1.1111, TPM) is chosen. */
static void test_seed_002_tpm_path(void **state) {
        (void) state;
        size_t n = 0;
        char *text = load_seed("002_aecf7ed58582513f.txt", &n);
        if (!text) {
                print_message("SKIPPED: seed 002 not found (MEFW_CORPUS/../seeds)\n");
                skip();
        }
        mefw_diag_log *log = NULL;
        assert_int_equal(mefw_diag_log_new(&log), 0);
        assert_int_equal(mefw_diag_read_text(log, text, n, "002"), 0);
        free(text);
        mefw_update_current cur;
        assert_int_equal(mefw_diag_update_current(log, -1, "002", &cur), 0);
        mefw_diag_log_free(log);
        assert_int_equal(cur.version[0], 5);
        assert_int_equal(cur.version[1], 0);
        assert_int_equal(cur.version[3], 1111);
        assert_int_equal(cur.tpm, 1);
        assert_int_equal(cur.local_fwupdate, 1);
        assert_true(cur.n_notes >= 1); /* the choice among machines is said */

        /* the 5.2.70.1046 update image (not in the corpus: its analyzed facts) */
        rule_case t = cases[0];
        t.img_family = "ME";
        memcpy(t.img_version, (uint16_t[4]) { 5, 2, 70, 1046 }, sizeof t.img_version);
        t.img_sku = "Digital Office", t.img_container = "update", t.img_chipset = "ICH10";
        t.img_tcb = t.img_arb = t.img_vcn = -1;
        mefw_update_current unused;
        mefw_report img;
        setup_case(&t, &unused, &img);
        mefw_update_check c;
        assert_int_equal(mefw_update_check_image(&cur, &img, "5.2.70.1046.bin", NULL, &c), 0);
        for (size_t k = 0; k < c.n_rules; k++)
                if (c.rules[k].result != MEFW_RULE_PASS)
                        print_message("  %s %s: %s\n", c.rules[k].name, mefw_rule_result_name(c.rules[k].result),
                                      c.rules[k].reason);
        assert_int_equal(c.verdict, MEFW_VERDICT_ALLOWED);
        assert_true(c.tpm_switch);
        assert_non_null(strstr(c.command, "-tpm"));
        /* the SKU check used FWUpdLcl's own SKU numbers for that very image */
        assert_non_null(strstr(find_rule(&c, "sku")->reason, "FWUpdLcl itself"));
}

/* The corpus acceptance: the first seed's board and the 9.0/9.1 regions. */
static void test_corpus_acceptance(void **state) {
        (void) state;
        mefw_report *r90 = load_corpus("me9.0.31.1487_1.5MB_PRD_RGN.bin");
        mefw_report *r91 = load_corpus("me9.1.37.1002_1.5MB_PRD_RGN.bin");
        if (!r90 || !r91) {
                print_message("SKIPPED: corpus not found (MEFW_CORPUS)\n");
                mefw_report_free(r90);
                mefw_report_free(r91);
                skip();
        }
        mefw_update_current cur;
        mefw_update_current_init(&cur);
        cur.source = "command line";
        snprintf(cur.family, sizeof cur.family, "ME");
        cur.has_version = true;
        memcpy(cur.version, (uint16_t[4]) { 9, 0, 20, 1447 }, sizeof cur.version);
        snprintf(cur.sku, sizeof cur.sku, "1.5MB");
        cur.local_fwupdate = 1;
        mefw_update_check c;
        assert_int_equal(mefw_update_check_image(&cur, r90, r90->file, NULL, &c), 0);
        assert_int_equal(c.verdict, MEFW_VERDICT_ALLOWED);
        assert_string_equal(c.tool_branch, "9.0");
        assert_string_equal(c.command, "FWUpdLcl64 -f me9.0.31.1487_1.5MB_PRD_RGN.bin");
        assert_int_equal(mefw_update_check_image(&cur, r91, r91->file, NULL, &c), 0);
        assert_int_equal(c.verdict, MEFW_VERDICT_NEEDS_REFLASH);
        assert_int_equal(find_rule(&c, "branch")->result, MEFW_RULE_FAIL);
        /* same version: only with -allowsv */
        memcpy(cur.version, (uint16_t[4]) { 9, 0, 31, 1487 }, sizeof cur.version);
        assert_int_equal(mefw_update_check_image(&cur, r90, r90->file, NULL, &c), 0);
        assert_int_equal(c.verdict, MEFW_VERDICT_ALLOWED);
        assert_non_null(strstr(c.command, " -allowsv"));

        /* analyze: the newest known 9.0 1.5MB build, and no advisory for a consumer 1.5MB image */
        assert_non_null(r90->db_info);
        assert_true(r90->db_info->has_latest && r90->db_info->latest.is_latest && r90->db_info->latest.listed);
        assert_string_equal(r90->db_info->latest.newest.sku, "1.5MB");
        assert_int_equal(r90->db_info->latest.newest.version[3], 1487);
        /* every ME 9.0 advisory in the database concerns AMT, which a 1.5MB image lacks */
        assert_int_equal(r90->db_info->amt, 0);
        assert_int_equal(r90->db_info->n_advisories, 0);
        assert_true(r91->db_info->has_latest && !r91->db_info->latest.is_latest);
        mefw_report_free(r90);
        mefw_report_free(r91);
}

static bool has_advisory(const mefw_report *r, const char *id) {
        for (size_t i = 0; r->db_info && i < r->db_info->n_advisories; i++)
                if (strcmp(r->db_info->advisories[i].advisory->id, id) == 0)
                        return true;
        return false;
}

/* INTEL-SA-00295 (Intel support article 000056594): CSME 11.8 fixed in 11.8.77. */
static void test_corpus_advisories(void **state) {
        (void) state;
        mefw_report *affected = load_corpus("csme11.8.65.3590_CON_LP_C_NPDM_PRD_RGN.bin");
        mefw_report *fixed = load_corpus("csme11.8.96.4657_CON_H_D_PRD_RGN_Intel-named.bin");
        if (!affected || !fixed) {
                print_message("SKIPPED: corpus not found (MEFW_CORPUS)\n");
                mefw_report_free(affected);
                mefw_report_free(fixed);
                skip();
        }
        assert_true(has_advisory(affected, "INTEL-SA-00295"));
        assert_true(has_advisory(affected, "INTEL-SA-00241")); /* 11.8.70 */
        assert_false(has_advisory(affected, "INTEL-SA-00213")); /* fixed in 11.8.65 itself */
        assert_false(has_advisory(fixed, "INTEL-SA-00295"));
        assert_false(has_advisory(fixed, "INTEL-SA-00459")); /* 11.8.86 */
        assert_false(has_advisory(fixed, "INTEL-SA-00610")); /* AMT only; a consumer image */

        /* the LP image on an H machine (the board an early 11.0 FWUpdLcl bricked) */
        mefw_update_current cur;
        mefw_update_current_init(&cur);
        cur.source = "command line";
        snprintf(cur.family, sizeof cur.family, "CSME");
        cur.has_version = true;
        memcpy(cur.version, (uint16_t[4]) { 11, 8, 60, 3561 }, sizeof cur.version);
        snprintf(cur.sku, sizeof cur.sku, "Consumer H");
        cur.local_fwupdate = 1;
        mefw_update_check c;
        const mefw_report *lp = affected; /* the 11.8.65 image is Consumer LP */
        assert_int_equal(mefw_update_check_image(&cur, lp, lp->file, NULL, &c), 0);
        assert_int_equal(c.verdict, MEFW_VERDICT_REFUSED);
        assert_int_equal(find_rule(&c, "platform")->result, MEFW_RULE_FAIL);
        mefw_report_free(affected);
        mefw_report_free(fixed);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_db_data_files_parse_cleanly),
                cmocka_unit_test(test_db_parse_errors),
                cmocka_unit_test(test_db_latest),
                cmocka_unit_test(test_db_advisories),
                cmocka_unit_test(test_rules_table),
                cmocka_unit_test(test_named_firmware_same_rules),
                cmocka_unit_test(test_tools_branch),
                cmocka_unit_test(test_pass_sentences_hold_for_both),
                cmocka_unit_test(test_procedures),
                cmocka_unit_test(test_state_from_log),
                cmocka_unit_test(test_seed_002_tpm_path),
                cmocka_unit_test(test_corpus_acceptance),
                cmocka_unit_test(test_corpus_advisories),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
