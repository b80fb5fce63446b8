/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The message list (add, clear, worst, the MEFW_MESSAGES_MAX cap with its 'dropped' count)
 * and how reports write their messages and fields as JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mefw/json.h"
#include "mefw/mefw.h"

static void test_add_and_clear(void **state) {
        (void) state;
        mefw_messages m = {};

        assert_int_equal(mefw_messages_add(&m, MEFW_WARNING, "fpt-checksum", 0x1B, "wrong checksum 0x%02X, expected 0x%02X",
                                           0x12, 0xAB),
                         1);
        assert_int_equal(mefw_messages_add(&m, MEFW_NOTE, "plain", -1, "%s", "no offset"), 1);
        assert_int_equal(m.count, 2);
        assert_true(m.capacity >= 2);
        assert_int_equal(m.dropped, 0);

        assert_int_equal(m.items[0].severity, MEFW_WARNING);
        assert_string_equal(m.items[0].code, "fpt-checksum");
        assert_int_equal(m.items[0].offset, 0x1B);
        assert_string_equal(m.items[0].text, "wrong checksum 0x12, expected 0xAB");
        assert_int_equal(m.items[1].severity, MEFW_NOTE);
        assert_int_equal(m.items[1].offset, -1);
        assert_string_equal(m.items[1].text, "no offset");

        /* a large offset survives as a 64-bit value */
        assert_int_equal(mefw_messages_add(&m, MEFW_ERROR, "far", (int64_t) 0x123456789ALL, "x"), 1);
        assert_true(m.items[2].offset == 0x123456789ALL);

        /* long text is not cut */
        char big[3000];
        memset(big, 'a', sizeof big - 1);
        big[sizeof big - 1] = 0;
        assert_int_equal(mefw_messages_add(&m, MEFW_NOTE, "long", 0, "<%s>", big), 1);
        assert_int_equal(strlen(m.items[3].text), sizeof big - 1 + 2);

        mefw_messages_clear(&m);
        assert_null(m.items);
        assert_int_equal(m.count, 0);
        assert_int_equal(m.capacity, 0);
        assert_int_equal(m.dropped, 0);

        /* usable again after clear; clearing an empty list is fine */
        assert_int_equal(mefw_messages_add(&m, MEFW_NOTE, "again", 5, "again"), 1);
        assert_int_equal(m.count, 1);
        mefw_messages_clear(&m);
        mefw_messages_clear(&m);
        assert_int_equal(m.count, 0);
}

static void test_worst(void **state) {
        (void) state;
        mefw_messages m = {};
        bool any = true;

        assert_int_equal(mefw_messages_worst(&m, &any), MEFW_NOTE);
        assert_false(any);
        assert_int_equal(mefw_messages_worst(&m, NULL), MEFW_NOTE);

        mefw_messages_add(&m, MEFW_NOTE, "a", -1, "a");
        assert_int_equal(mefw_messages_worst(&m, &any), MEFW_NOTE);
        assert_true(any);

        mefw_messages_add(&m, MEFW_ERROR, "b", -1, "b");
        mefw_messages_add(&m, MEFW_WARNING, "c", -1, "c");
        mefw_messages_add(&m, MEFW_NOTE, "d", -1, "d");
        any = false;
        assert_int_equal(mefw_messages_worst(&m, &any), MEFW_ERROR); /* not the last one's */
        assert_true(any);
        mefw_messages_clear(&m);

        mefw_messages_add(&m, MEFW_WARNING, "w", -1, "w");
        mefw_messages_add(&m, MEFW_NOTE, "n", -1, "n");
        assert_int_equal(mefw_messages_worst(&m, NULL), MEFW_WARNING);
        mefw_messages_clear(&m);

        assert_string_equal(mefw_severity_name(MEFW_NOTE), "note");
        assert_string_equal(mefw_severity_name(MEFW_WARNING), "warning");
        assert_string_equal(mefw_severity_name(MEFW_ERROR), "error");
}

static void test_cap(void **state) {
        (void) state;
        mefw_messages m = {};

        for (int i = 0; i < MEFW_MESSAGES_MAX; i++)
                assert_int_equal(mefw_messages_add(&m, MEFW_NOTE, "n", i, "message %d", i), 1);
        assert_int_equal(m.count, MEFW_MESSAGES_MAX);
        assert_int_equal(m.dropped, 0);

        /* beyond the cap: not stored (0), counted, the list unchanged */
        for (int i = 0; i < 10; i++)
                assert_int_equal(mefw_messages_add(&m, MEFW_ERROR, "late", 999, "late %d", i), 0);
        assert_int_equal(m.count, MEFW_MESSAGES_MAX);
        assert_int_equal(m.dropped, 10);
        assert_string_equal(m.items[0].text, "message 0");
        assert_string_equal(m.items[MEFW_MESSAGES_MAX - 1].text, "message 255");
        assert_int_equal(m.items[MEFW_MESSAGES_MAX - 1].offset, MEFW_MESSAGES_MAX - 1);
        /* dropped errors are not stored, so they do not count for worst() */
        assert_int_equal(mefw_messages_worst(&m, NULL), MEFW_NOTE);

        mefw_messages_clear(&m);
        assert_int_equal(m.dropped, 0);
        assert_int_equal(m.count, 0);
}

/* The same thing said of the same place is kept once (a structure read twice repeats itself);
 * the same words about another place, or other words, are kept. */
static void test_no_repeats(void **state) {
        (void) state;
        mefw_messages m = {};

        assert_int_equal(mefw_messages_add(&m, MEFW_WARNING, "fpt-entry-out-of-bounds", 0xD00, "FTPR past %s", "end"), 1);
        assert_int_equal(mefw_messages_add(&m, MEFW_WARNING, "fpt-entry-out-of-bounds", 0xD00, "FTPR past %s", "end"), 0);
        assert_int_equal(m.count, 1);
        assert_int_equal(m.dropped, 0); /* not dropped: already said */
        assert_int_equal(mefw_messages_add(&m, MEFW_WARNING, "fpt-entry-out-of-bounds", 0xE00, "FTPR past end"), 1);
        assert_int_equal(mefw_messages_add(&m, MEFW_WARNING, "fpt-entry-out-of-bounds", 0xD00, "NFTP past end"), 1);
        assert_int_equal(mefw_messages_add(&m, MEFW_ERROR, "fpt-entry-out-of-bounds", 0xD00, "FTPR past end"), 1);
        assert_int_equal(m.count, 4);
        mefw_messages_clear(&m);
}

/* ---- report JSON ------------------------------------------------------------------------- */

static char *report_json(const mefw_report *r) {
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_report_write_json(r, &j);
        assert_true(mefw_json_ok(&j));
        char *s = strdup(j.data);
        mefw_json_free(&j);
        return s;
}

#define assert_contains(hay, needle)                                                        \
        do {                                                                                \
                if (!strstr((hay), (needle)))                                               \
                        fail_msg("'%s' not found in JSON:\n%s", (needle), (hay));           \
        } while (0)

static void test_json_messages(void **state) {
        (void) state;
        mefw_report r = { .file = (char *) "dir/x.bin", .file_size = 4096 };
        r.fw.pv = -1;
        r.fw.patsburg = -1;

        char *s = report_json(&r);
        assert_contains(s, "\"messages\":[]");
        assert_contains(s, "\"file\":\"dir/x.bin\"");
        assert_contains(s, "\"file_size\":4096");
        assert_contains(s, "\"family\":null");
        assert_contains(s, "\"version\":null");
        assert_contains(s, "\"size\":null");
        assert_contains(s, "\"pv\":null");
        assert_contains(s, "\"tcb_svn\":null");
        assert_contains(s, "\"components\":[]");
        free(s);

        mefw_messages_add(&r.messages, MEFW_ERROR, "invalid-signature", 0x47000, "bad \"sig\"\nline2");
        mefw_messages_add(&r.messages, MEFW_NOTE, "harmless-end-padding", -1, "pad");
        mefw_messages_add(&r.messages, MEFW_WARNING, "fpt-checksum", 0, "w");
        s = report_json(&r);
        assert_contains(s, "\"messages\":[{\"severity\":\"error\",\"code\":\"invalid-signature\",\"offset\":290816,"
                           "\"text\":\"bad \\\"sig\\\"\\nline2\"},"
                           "{\"severity\":\"note\",\"code\":\"harmless-end-padding\",\"offset\":null,\"text\":\"pad\"},"
                           "{\"severity\":\"warning\",\"code\":\"fpt-checksum\",\"offset\":0,\"text\":\"w\"}]");
        assert_null(strstr(s, "messages-dropped"));
        free(s);

        /* dropped messages are summarized as one last note */
        r.messages.dropped = 7;
        s = report_json(&r);
        assert_contains(s, "{\"severity\":\"warning\",\"code\":\"fpt-checksum\",\"offset\":0,\"text\":\"w\"},"
                           "{\"severity\":\"note\",\"code\":\"messages-dropped\",\"offset\":null,"
                           "\"text\":\"7 further messages were not kept\"}]");
        free(s);
        mefw_messages_clear(&r.messages);
}

static void test_json_cap_end_to_end(void **state) {
        (void) state;
        mefw_report r = { .file = (char *) "f" };
        r.fw.pv = -1;
        r.fw.patsburg = -1;
        for (int i = 0; i < MEFW_MESSAGES_MAX + 3; i++)
                mefw_messages_add(&r.messages, MEFW_NOTE, "n", i, "m%d", i);
        char *s = report_json(&r);
        size_t n = 0;
        for (const char *p = s; (p = strstr(p, "\"severity\"")); p++)
                n++;
        assert_int_equal(n, MEFW_MESSAGES_MAX + 1);
        assert_contains(s, "\"text\":\"3 further messages were not kept\"");
        assert_contains(s, "\"text\":\"m255\"");
        assert_null(strstr(s, "\"text\":\"m256\""));
        free(s);
        mefw_messages_clear(&r.messages);
}

static void test_json_fields(void **state) {
        (void) state;
        mefw_partition parts[] = {
                { .name = "FTPR", .type = 0, .flags = 0x80, .offset = 0x3000, .size = 0x1000, .used = true,
                  .in_bounds = true },
                { .name = "NVCL", .owner = "OWN", .type = 2, .size = 0x8000, .is_virtual = true },
        };
        mefw_module mods[] = {
                { .partition = "FTPR", .name = "KERNEL", .compression = "lzma", .offset = 0x3400, .size = 0x123,
                  .hash = MEFW_HASH_INVALID },
                { .partition = "", .name = "BUP", .compression = "none", .offset = 0, .size = 1,
                  .hash = MEFW_HASH_ABSENT },
        };
        mefw_manifest_summary mans[] = {
                { .partition = "FTPR", .offset = 0x3000, .version = { 9, 0, 31, 1487 }, .tag = "$MN2",
                  .signature = MEFW_SIG_UNKNOWN_KEY, .key_hash = "ABCD" },
        };
        mefw_report comp = { .file = (char *) "inner" };
        comp.fw.pv = -1;
        comp.fw.patsburg = -1;
        comp.fw.container = "update";
        mefw_report r = {
                .file = (char *) "me.bin",
                .file_size = 0x17D000,
                .components = &comp,
                .n_components = 1,
                .fw = {
                        .container = "region",
                        .family = "ME",
                        .has_version = true,
                        .version = { 9, 0, 31, 1487 },
                        .release = "Production",
                        .type = "Stock",
                        .sku = "1.5MB",
                        .chipset = "LPT",
                        .tcb_svn = { true, 1 },
                        .vcn = { true, 0 },
                        .pv = 1,
                        .date = "2013-12-12",
                        .has_size = true,
                        .size = 0x17D000,
                        .has_fit_version = true,
                        .fit_version = { 9, 0, 22, 1467 },
                        .signature = MEFW_SIG_VALID,
                        .key = "ME 9 production",
                        .patsburg = 0,
                        .oem_config = -1,
                        .workstation = 1,
                        .fwupdate_support = -1,
                        .power_down_mitigation = -1,
                        .fs_state = "Configured",
                        .blacklist_7_0 = "Empty",
                        .partitions = parts,
                        .n_partitions = 2,
                        .modules = mods,
                        .n_modules = 2,
                        .manifests = mans,
                        .n_manifests = 1,
                },
        };
        char *s = report_json(&r);
        assert_true(strncmp(s, "{\"file\":\"me.bin\",\"container\":\"region\",\"family\":\"ME\","
                               "\"version\":\"9.0.31.1487\",\"release\":\"Production\",\"type\":\"Stock\","
                               "\"sku\":\"1.5MB\",\"chipset\":\"LPT\",\"pch\":null,\"tcb_svn\":1,\"arb_svn\":null,"
                               "\"vcn\":0,\"pv\":true,\"date\":\"2013-12-12\",\"size\":1560576,"
                               "\"fit_version\":\"9.0.22.1467\",\"signature\":\"valid\",\"key\":\"ME 9 production\","
                               "\"fs_state\":\"Configured\",\"oem_config\":null,\"workstation\":true,"
                               "\"fwupdate_support\":null,\"chipset_stepping\":null,"
                               "\"patsburg\":false,\"blacklist_7_0\":\"Empty\",\"blacklist_7_1\":null,",
                            strlen("{\"file\":\"me.bin\",\"container\":\"region\",\"family\":\"ME\","
                                   "\"version\":\"9.0.31.1487\",\"release\":\"Production\",\"type\":\"Stock\","
                                   "\"sku\":\"1.5MB\",\"chipset\":\"LPT\",\"pch\":null,\"tcb_svn\":1,\"arb_svn\":null,"
                                   "\"vcn\":0,\"pv\":true,\"date\":\"2013-12-12\",\"size\":1560576,"
                                   "\"fit_version\":\"9.0.22.1467\",\"signature\":\"valid\",\"key\":\"ME 9 production\","
                                   "\"fs_state\":\"Configured\",\"oem_config\":null,\"workstation\":true,"
                                   "\"fwupdate_support\":null,\"chipset_stepping\":null,"
                                   "\"patsburg\":false,\"blacklist_7_0\":\"Empty\",\"blacklist_7_1\":null,")) == 0);
        assert_contains(s, "\"file_size\":1560576");
        assert_contains(s, "\"partitions\":[{\"name\":\"FTPR\",\"owner\":null,\"type\":0,\"offset\":12288,"
                           "\"size\":4096,\"virtual\":false,\"uncharted\":false,\"used\":true,\"in_bounds\":true,"
                           "\"table\":null,\"hash\":\"not-checked\"},"
                           "{\"name\":\"NVCL\",\"owner\":\"OWN\",\"type\":2,\"offset\":null,\"size\":32768,"
                           "\"virtual\":true,\"uncharted\":false,\"used\":false,\"in_bounds\":false,"
                           "\"table\":null,\"hash\":\"not-checked\"}]");
        assert_contains(s, "\"modules\":[{\"partition\":\"FTPR\",\"name\":\"KERNEL\",\"compression\":\"lzma\","
                           "\"offset\":13312,\"size\":291,\"hash\":\"invalid\",\"encrypted\":false},"
                           "{\"partition\":null,\"name\":\"BUP\",\"compression\":\"none\",\"offset\":0,\"size\":1,"
                           "\"hash\":\"absent\",\"encrypted\":false}]");
        assert_contains(s, "\"manifests\":[{\"partition\":\"FTPR\",\"offset\":12288,\"tag\":\"$MN2\","
                           "\"version\":\"9.0.31.1487\",\"signature\":\"unknown-key\",\"key\":null,"
                           "\"key_hash\":\"ABCD\"}]");
        assert_contains(s, "\"components\":[{\"file\":\"inner\",\"container\":\"update\",");
        free(s);

        /* pv false, patsburg true, signature not checked -> null */
        r.fw.pv = 0;
        r.fw.patsburg = 1;
        r.fw.signature = MEFW_SIG_NOT_CHECKED;
        r.fw.has_size = false;
        s = report_json(&r);
        assert_contains(s, "\"pv\":false");
        assert_contains(s, "\"patsburg\":true");
        assert_contains(s, "\"signature\":null");
        assert_contains(s, "\"size\":null");
        free(s);

        /* pretty output is the same document, just indented */
        mefw_json j;
        mefw_json_init(&j, true);
        mefw_report_write_json(&r, &j);
        assert_true(mefw_json_ok(&j));
        assert_non_null(strstr(j.data, "\n  \"file\": \"me.bin\""));
        mefw_json_free(&j);
}

static void test_state_names(void **state) {
        (void) state;
        assert_null(mefw_signature_state_name(MEFW_SIG_NOT_CHECKED));
        assert_string_equal(mefw_signature_state_name(MEFW_SIG_VALID), "valid");
        assert_string_equal(mefw_signature_state_name(MEFW_SIG_INVALID), "invalid");
        assert_string_equal(mefw_signature_state_name(MEFW_SIG_UNKNOWN_KEY), "unknown-key");
        assert_string_equal(mefw_hash_state_name(MEFW_HASH_NOT_CHECKED), "not-checked");
        assert_string_equal(mefw_hash_state_name(MEFW_HASH_VALID), "valid");
        assert_string_equal(mefw_hash_state_name(MEFW_HASH_INVALID), "invalid");
        assert_string_equal(mefw_hash_state_name(MEFW_HASH_NOT_VERIFIABLE), "not-verifiable");
        assert_string_equal(mefw_hash_state_name(MEFW_HASH_UNREADABLE), "unreadable");
        assert_string_equal(mefw_hash_state_name(MEFW_HASH_ABSENT), "absent");

        char buf[32];
        const uint16_t v[4] = { 65535, 0, 7, 1 };
        assert_string_equal(mefw_format_version(v, buf, sizeof buf), "65535.0.7.1");
        char small[6];
        assert_string_equal(mefw_format_version(v, small, sizeof small), "65535");
}

static void test_report_has_error(void **state) {
        (void) state;
        mefw_report comp = {};
        mefw_report r = { .components = &comp, .n_components = 1 };
        assert_false(mefw_report_has_error(&r));
        mefw_messages_add(&r.messages, MEFW_WARNING, "w", -1, "w");
        assert_false(mefw_report_has_error(&r));
        /* an error in a component counts */
        mefw_messages_add(&comp.messages, MEFW_ERROR, "e", -1, "e");
        assert_true(mefw_report_has_error(&r));
        mefw_messages_clear(&comp.messages);
        mefw_messages_add(&r.messages, MEFW_ERROR, "e", -1, "e");
        assert_true(mefw_report_has_error(&r));
        mefw_messages_clear(&r.messages);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_add_and_clear),
                cmocka_unit_test(test_worst),
                cmocka_unit_test(test_no_repeats),
                cmocka_unit_test(test_cap),
                cmocka_unit_test(test_json_messages),
                cmocka_unit_test(test_json_cap_end_to_end),
                cmocka_unit_test(test_json_fields),
                cmocka_unit_test(test_state_names),
                cmocka_unit_test(test_report_has_error),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
