/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw status: register decoding against real MEInfo/MEManuf output (the register/line pairs of
 * the status-and-mei notes, §5), the MKHI/AMTHI parsers, the log reader on damaged pastes, and
 * the live path against a fake sysfs tree built here plus a scripted MEI transport.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mefw/status.h"
#include "synth.h"

/* ---- Helpers ------------------------------------------------------------------------------ */

static mefw_status *decode(const char *gen, uint32_t h1, uint32_t h2, uint32_t h3, uint32_t h4, uint32_t h5,
                           uint32_t h6, size_t n) {
        const uint32_t regs[6] = { h1, h2, h3, h4, h5, h6 };
        mefw_generation g = {};
        if (gen)
                assert_int_equal(mefw_generation_parse(gen, &g), 0);
        mefw_status *s = NULL;
        assert_int_equal(mefw_status_decode(regs, n, gen ? &g : NULL, &s), 0);
        return s;
}

static void field_is(const mefw_status *s, const char *name, const char *value) {
        const mefw_status_field *f = mefw_status_field_get(s, name);
        if (!f)
                fail_msg("field '%s' missing", name);
        if (strcmp(f->value, value) != 0)
                fail_msg("field '%s': expected '%s', got '%s'", name, value, f->value);
}

static const mefw_status_check *find_check(const mefw_status *s, const char *id) {
        for (size_t i = 0; i < s->n_checks; i++)
                if (strcmp(s->checks[i].id, id) == 0)
                        return &s->checks[i];
        return NULL;
}

static void verdict_is(const mefw_status *s, const char *id, mefw_check_verdict v) {
        const mefw_status_check *c = find_check(s, id);
        if (!c)
                fail_msg("check '%s' missing", id);
        if (c->verdict != v)
                fail_msg("check '%s': expected %s, got %s (%s)", id, mefw_check_verdict_name(v),
                         mefw_check_verdict_name(c->verdict), c->reason);
}

static bool has_message(const mefw_status *s, const char *code) {
        for (size_t i = 0; i < s->messages.count; i++)
                if (strcmp(s->messages.items[i].code, code) == 0)
                        return true;
        return false;
}

/* ---- Real register/output pairs ---------------------------------------------------------- */

/* ME 9.0, Intel DZ87KLT-75K: every state line MEInfo 9.1 printed, and only those as MEInfo lines. */
static void test_me9_dz87klt(void **state) {
        (void) state;
        mefw_status *s = decode("9", 0x1E000245, 0x76442312, 0x00000200, 0, 0, 0, 3);
        static const char *const lines[][2] = {
                { "CurrentState", "Normal" },
                { "ManufacturingMode", "Disabled" },
                { "FlashPartition", "Valid" },
                { "OperationalState", "M0 with UMA" },
                { "InitComplete", "Complete" },
                { "BUPLoadState", "Success" },
                { "ErrorCode", "No Error" },
                { "ModeOfOperation", "Normal" },
                { "Phase", "FWUpdate" },
                { "ICC", "No valid OEM data, ICC programmed with default values" },
                { "ME File System Corrupted", "No" },
        };
        size_t meinfo = 0;
        for (size_t i = 0; i < s->n_fields; i++) {
                if (!s->fields[i].meinfo)
                        continue;
                /* MEInfo's own order. */
                assert_true(meinfo < sizeof lines / sizeof lines[0]);
                assert_string_equal(s->fields[i].name, lines[meinfo][0]);
                assert_string_equal(s->fields[i].value, lines[meinfo][1]);
                meinfo++;
        }
        assert_int_equal(meinfo, sizeof lines / sizeof lines[0]);
        assert_int_equal(s->layout, MEFW_LAYOUT_ME6);
        /* HFSTS3 on ME 9 is undocumented: the CSME SKU rule must not be applied to it. */
        assert_null(mefw_status_field_get(s, "FW SKU"));
        field_is(s, "PM Event", "Pseudo-global reset");
        field_is(s, "DRAM Init Done Ack", "Continue to boot");
        verdict_is(s, "icc", MEFW_CHECK_WARN);
        verdict_is(s, "phase", MEFW_CHECK_WARN);
        verdict_is(s, "flash-partition", MEFW_CHECK_PASS);
        assert_int_equal(mefw_status_worst_check(s), MEFW_CHECK_WARN);
        mefw_status_free(s);
}

/* ME 9.1, Dell M6800 (winraid t/33539). */
static void test_me9_m6800(void **state) {
        (void) state;
        mefw_status *s = decode("me9", 0x00003006, 0x80040000, 0, 0, 0, 0, 2);
        field_is(s, "CurrentState", "Disabled and waiting to timeout");
        field_is(s, "OperationalState", "Transitioning");
        field_is(s, "ErrorCode", "Image Failure");
        field_is(s, "Phase", "Unknown (8)");
        field_is(s, "ICC", "No valid OEM data, ICC not programmed");
        verdict_is(s, "error-code", MEFW_CHECK_FAIL);
        verdict_is(s, "icc", MEFW_CHECK_FAIL);
        verdict_is(s, "current-state", MEFW_CHECK_FAIL);
        mefw_status_free(s);
}

/* Registers that read all ones: no device answered, so no state, no fault and no SPS either. */
static void test_all_ones(void **state) {
        (void) state;
        mefw_status *s = decode(NULL, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0, 0, 0, 2);
        assert_true(mefw_status_all_ones(s));
        assert_int_not_equal(s->layout, MEFW_LAYOUT_SPS);
        verdict_is(s, "registers", MEFW_CHECK_SKIPPED);
        assert_int_equal(s->n_checks, 1);
        assert_int_equal(mefw_status_worst_check(s), MEFW_CHECK_PASS);
        mefw_status_free(s);
        s = decode("csme11", 0xFFFFFFFF, 0, 0, 0, 0, 0, 1);
        assert_int_equal(s->layout, MEFW_LAYOUT_CSME11);
        verdict_is(s, "registers", MEFW_CHECK_SKIPPED);
        mefw_status_free(s);
        /* one register of real bits among them is a state again */
        s = decode("9", 0xFFFFFFFF, 0x104D0106, 0, 0, 0, 0, 2);
        assert_false(mefw_status_all_ones(s));
        mefw_status_free(s);
}

/* ME 9.0.30 with AltMeDisable (corna/me_cleaner#53). */
static void test_me9_alt_disable(void **state) {
        (void) state;
        mefw_status *s = decode("9", 0x1E020191, 0x104D0106, 0x300, 0, 0, 0, 3);
        field_is(s, "CurrentState", "Init");
        field_is(s, "ManufacturingMode", "Enabled");
        field_is(s, "OperationalState", "Bring Up");
        field_is(s, "InitComplete", "Initializing");
        field_is(s, "ModeOfOperation", "Alt Disable Mode");
        field_is(s, "Phase", "BringUp");
        field_is(s, "ICC", "Valid OEM data, ICC programmed");
        verdict_is(s, "manufacturing-mode", MEFW_CHECK_FAIL);
        verdict_is(s, "override-jumper", MEFW_CHECK_WARN);
        mefw_status_free(s);
}

/* ME 9.1 on X99 (corna/me_cleaner#17). */
static void test_me9_x99(void **state) {
        (void) state;
        mefw_status *s = decode("9", 0x1E000255, 0x66002306, 0, 0, 0, 0, 2);
        field_is(s, "Phase", "HOSTCOMM Module");
        field_is(s, "ManufacturingMode", "Enabled");
        field_is(s, "ICC", "Valid OEM data, ICC programmed");
        field_is(s, "PhaseStatus", "0x00 (host communication established)");
        verdict_is(s, "phase", MEFW_CHECK_PASS);
        mefw_status_free(s);
}

/* ME 8.1, HP Z820: MEInfo 8 prints no Phase line. */
static void test_me8_z820(void **state) {
        (void) state;
        mefw_status *s = decode("8", 0x1E000255, 0x61000100, 0, 0, 0, 0, 2);
        field_is(s, "ManufacturingMode", "Enabled");
        field_is(s, "ICC", "No valid OEM data, ICC not programmed");
        const mefw_status_field *phase = mefw_status_field_get(s, "Phase");
        assert_non_null(phase);
        assert_false(phase->meinfo);
        mefw_status_free(s);
}

/* ME 7.1, Dell T7600 with the override jumper. */
static void test_me7_jumper(void **state) {
        (void) state;
        mefw_status *s = decode("7", 0x1E040185, 0x16520000, 0, 0, 0, 0, 2);
        field_is(s, "ModeOfOperation", "Unsecured mode by H/W jumper");
        field_is(s, "OperationalState", "Bring Up");
        verdict_is(s, "override-jumper", MEFW_CHECK_FAIL);
        assert_int_equal(mefw_status_worst_check(s), MEFW_CHECK_FAIL);
        mefw_status_free(s);
}

/* ME 6, Dell E6410 (intelmetool#12). */
static void test_me6_e6410(void **state) {
        (void) state;
        mefw_status *s = decode("6", 0x245, 0x69000000, 0, 0, 0, 0, 2);
        field_is(s, "Phase", "HOSTCOMM Module");
        field_is(s, "PM Event", "Non-power-cycle reset");
        field_is(s, "CurrentState", "Normal");
        mefw_status_free(s);
}

/* SPS on a C204 board: operation mode 0xF is decoded as SPS even when "ME 7" was claimed;
 * intelmetool printed "(null)" here. */
static void test_sps_on_me7_hardware(void **state) {
        (void) state;
        mefw_status *s = decode("7", 0x000F0345, 0x40000301, 0, 0, 0, 0, 2);
        assert_int_equal(s->layout, MEFW_LAYOUT_SPS);
        field_is(s, "ModeOfOperation", "SPS");
        assert_string_equal(s->generation.family, "SPS");
        for (size_t i = 0; i < s->n_fields; i++)
                assert_non_null(s->fields[i].value);
        mefw_status_free(s);
}

/* CSME 11.8, Lenovo T470. */
static void test_csme11_t470(void **state) {
        (void) state;
        mefw_status *s = decode("11", 0x8030404E, 0x340D0006, 0x20, 0, 0, 0, 3);
        field_is(s, "CurrentState", "Unknown (14)");
        field_is(s, "OperationalState", "CM0 with UMA");
        field_is(s, "ErrorCode", "Debug Error");
        field_is(s, "Phase", "BringUp");
        field_is(s, "PhaseStatus", "0x0D (CHECK_BUP_OVERRIDE_STRAP)");
        field_is(s, "ICC", "Valid OEM data, ICC programmed");
        field_is(s, "FW SKU", "Consumer");
        mefw_status_free(s);
}

/* CSME 11.8 with HAP set (blog post "Shutting the ubiquitous backdoor"). */
static void test_csme11_hap(void **state) {
        (void) state;
        mefw_status *s = decode("csme11", 0x80022004, 0x304D0116, 0x20, 0x86000, 0, 0x40000004, 6);
        field_is(s, "CurrentState", "Disabled");
        field_is(s, "ManufacturingMode", "Disabled");
        field_is(s, "OperationalState", "Transitioning");
        field_is(s, "InitComplete", "Initializing");
        field_is(s, "ErrorCode", "Disabled");
        field_is(s, "ModeOfOperation", "Alt Disable Mode");
        field_is(s, "SPI Flash Log", "Not Present");
        field_is(s, "Phase", "BringUp");
        field_is(s, "ICC", "Valid OEM data, ICC programmed");
        verdict_is(s, "current-state", MEFW_CHECK_WARN);
        /* HFSTS6 0x40000004: not disabled, but no verified or measured policy either. */
        assert_non_null(strstr(find_check(s, "boot-guard")->reason, "Not in use"));
        mefw_status_free(s);
}

/* CSME 12, Dell 7060 (winraid 35961). */
static void test_csme12_7060(void **state) {
        (void) state;
        mefw_status *s = decode("12", 0x94000245, 0x69000506, 0x30, 0x4000, 0x1F01, 0x47C00BC9, 6);
        field_is(s, "CurrentState", "Normal");
        field_is(s, "OperationalState", "CM0 with UMA");
        field_is(s, "InitComplete", "Complete");
        field_is(s, "SPI Flash Log", "Not Present");
        field_is(s, "Phase", "HOSTCOMM Module");
        field_is(s, "FW SKU", "Corporate");
        field_is(s, "FPF SoC Configuration Lock", "Yes");
        field_is(s, "Verified Boot", "Enabled");
        verdict_is(s, "boot-guard", MEFW_CHECK_PASS);
        assert_non_null(strstr(find_check(s, "boot-guard")->reason, "Verified boot and measured boot"));
        assert_int_equal(mefw_status_worst_check(s), MEFW_CHECK_PASS);
        mefw_status_free(s);
}

/* CSME 19, ThinkPad P16 G3 (canonical/secboot#572); CSME 18 MTL (fwupd#7180). */
static void test_csme18_19(void **state) {
        (void) state;
        mefw_status *s = decode("csme19", 0x90000245, 0x89218700, 0x30, 0, 0x02F61F03, 0x40000000, 6);
        assert_int_equal(s->layout, MEFW_LAYOUT_CSME18);
        field_is(s, "CurrentState", "Normal");
        field_is(s, "Manufacturing Lock", "No");
        field_is(s, "FPF SoC Configuration Lock", "Yes");
        field_is(s, "Boot Guard Valid", "Yes");
        field_is(s, "Boot Guard ACM Error", "Success");
        verdict_is(s, "manufacturing-mode", MEFW_CHECK_SKIPPED);
        mefw_status_free(s);

        s = decode("18", 0xA0000245, 0x00F10500, 0x20, 0, 0x02F41F03, 0x40000000, 6);
        assert_int_equal(s->layout, MEFW_LAYOUT_CSME18);
        field_is(s, "FW SKU", "Consumer");
        field_is(s, "OperationalState", "CM0 with UMA");
        mefw_status_free(s);
}

/* ME 5 (Fujitsu Esprimo E5730): shown raw, never decoded. */
static void test_me5_raw(void **state) {
        (void) state;
        mefw_status *s = decode("5", 0x3009065A, 0, 0, 0, 0, 0, 1);
        assert_int_equal(s->layout, MEFW_LAYOUT_ME_ICH);
        assert_int_equal(s->n_fields, 0);
        assert_true(has_message(s, "status-layout-undocumented"));
        assert_int_equal(s->n_checks, 1);
        verdict_is(s, "registers", MEFW_CHECK_SKIPPED);
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_status_write_json(s, &j);
        assert_true(mefw_json_ok(&j));
        assert_non_null(strstr(j.data, "\"hfsts1\":\"0x3009065A\""));
        assert_non_null(strstr(j.data, "\"fields\":{}"));
        mefw_json_free(&j);
        mefw_status_free(s);
}

/* Unknown generation: the shared HFSTS1 fields only, and a warning saying so. */
static void test_unknown_generation(void **state) {
        (void) state;
        mefw_status *s = decode(NULL, 0x1E000245, 0x76442312, 0, 0, 0, 0, 2);
        assert_int_equal(s->layout, MEFW_LAYOUT_COMMON);
        field_is(s, "CurrentState", "Normal");
        assert_null(mefw_status_field_get(s, "Phase"));
        assert_null(mefw_status_field_get(s, "OperationalState"));
        assert_true(has_message(s, "status-generation-unknown"));
        /* Refreshing with a generation drops the warning. */
        s->generation = (mefw_generation){ "ME", 9 };
        mefw_status_refresh(s);
        assert_false(has_message(s, "status-generation-unknown"));
        field_is(s, "Phase", "FWUpdate");
        mefw_status_free(s);
}

/* Every value of every field of every layout has a name or "Unknown (N)": never NULL. */
static void test_all_values_named(void **state) {
        (void) state;
        static const char *const gens[] = { "6", "9", "10", "txe1", "txe3", "11", "15", "16", "18", "sps4" };
        for (size_t g = 0; g < sizeof gens / sizeof gens[0]; g++)
                for (uint32_t seed = 0; seed < 64; seed++) {
                        uint32_t v = seed * 0x9E3779B9u;
                        mefw_status *s = decode(gens[g], v, ~v, v ^ 0x5A5A5A5A, v >> 3, v << 5, ~v >> 1, 6);
                        for (size_t i = 0; i < s->n_fields; i++) {
                                assert_non_null(s->fields[i].value);
                                assert_true(s->fields[i].value[0] != 0);
                        }
                        mefw_status_free(s);
                }
}

static void test_generation_parse(void **state) {
        (void) state;
        mefw_generation g;
        assert_int_equal(mefw_generation_parse("9", &g), 0);
        assert_string_equal(g.family, "ME");
        assert_int_equal(g.major, 9);
        assert_int_equal(mefw_generation_parse("ME 9.0.20.1447", &g), 0);
        assert_int_equal(g.major, 9);
        assert_int_equal(mefw_generation_parse("16", &g), 0);
        assert_string_equal(g.family, "CSME");
        assert_int_equal(mefw_generation_parse("txe3", &g), 0);
        assert_string_equal(g.family, "CSTXE");
        assert_int_equal(mefw_generation_parse("CSSPS5", &g), 0);
        assert_string_equal(g.family, "CSSPS");
        g = (mefw_generation){ "untouched", 77 };
        assert_int_equal(mefw_generation_parse("", &g), -EINVAL);
        assert_int_equal(mefw_generation_parse("csme9", &g), -EINVAL);
        assert_int_equal(mefw_generation_parse("9x", &g), -EINVAL);
        assert_int_equal(mefw_generation_parse("0", &g), -EINVAL);
        assert_int_equal(mefw_generation_parse("12345", &g), -EINVAL);
        assert_int_equal(mefw_generation_parse("amd", &g), -EINVAL);
        assert_string_equal(g.family, "untouched");
        assert_int_equal(g.major, 77);
        uint32_t v = 0;
        const char *end;
        assert_int_equal(mefw_parse_register("0x1E000245 rest", &end, &v), 0);
        assert_int_equal(v, 0x1E000245);
        assert_string_equal(end, " rest");
        assert_int_equal(mefw_parse_register("0X3009065A", NULL, &v), 0);
        assert_int_equal(v, 0x3009065A);
        assert_int_equal(mefw_parse_register("1e000245", NULL, &v), 0);
        assert_int_equal(v, 0x1E000245);
        v = 7;
        assert_int_equal(mefw_parse_register("0x1E0002450", NULL, &v), -ERANGE);
        assert_int_equal(mefw_parse_register("1E0002", NULL, &v), -EINVAL); /* bare: exactly 8 digits */
        assert_int_equal(mefw_parse_register("0x", NULL, &v), -EINVAL);
        assert_int_equal(mefw_parse_register("", NULL, &v), -EINVAL);
        assert_int_equal(v, 7);
        mefw_status *s = NULL;
        uint32_t r = 0;
        assert_int_equal(mefw_status_decode(&r, 0, NULL, &s), -EINVAL);
        assert_int_equal(mefw_status_decode(&r, 7, NULL, &s), -EINVAL);
        assert_null(s);
}

/* ---- MKHI / AMTHI ------------------------------------------------------------------------- */

static size_t fw_version_answer(uint8_t *b, unsigned blocks) {
        uint8_t h[4] = { 0xFF, 0x82, 0, 0 };
        memcpy(b, h, 4);
        static const uint16_t v[3][4] = { { 9, 0, 20, 1447 }, { 9, 0, 20, 1447 }, { 9, 0, 20, 1427 } };
        for (unsigned i = 0; i < blocks; i++) {
                uint8_t *p = b + 4 + 8 * i;
                p[0] = (uint8_t) v[i][1], p[1] = (uint8_t) (v[i][1] >> 8); /* minor */
                p[2] = (uint8_t) v[i][0], p[3] = 0;                         /* major, platform */
                p[4] = (uint8_t) v[i][3], p[5] = (uint8_t) (v[i][3] >> 8); /* build */
                p[6] = (uint8_t) v[i][2], p[7] = (uint8_t) (v[i][2] >> 8); /* hotfix */
        }
        return 4 + 8 * blocks;
}

static size_t rule_answer(uint8_t *b, uint32_t rule, uint32_t value) {
        uint8_t a[13] = { 0x03, 0x82, 0, 0 };
        synth_put32(a + 4, rule);
        a[8] = 4;
        synth_put32(a + 9, value);
        memcpy(b, a, sizeof a);
        return sizeof a;
}

static void test_mkhi(void **state) {
        (void) state;
        uint8_t req[16], ans[64];
        assert_int_equal(mefw_mkhi_build_get_fw_version(req, sizeof req), 4);
        assert_memory_equal(req, ((uint8_t[]){ 0xFF, 0x02, 0, 0 }), 4);
        assert_int_equal(mefw_mkhi_build_get_rule(req, sizeof req, 0x1D), 8);
        assert_memory_equal(req, ((uint8_t[]){ 0x03, 0x02, 0, 0, 0x1D, 0, 0, 0 }), 8);
        assert_int_equal(mefw_mkhi_build_get_rule(req, 7, 0), -ENOBUFS);

        mefw_fw_version v[3];
        size_t n = fw_version_answer(ans, 3);
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, n, v), 0);
        assert_true(v[0].set && v[2].set);
        assert_int_equal(v[0].major, 9);
        assert_int_equal(v[0].hotfix, 20);
        assert_int_equal(v[0].build, 1447);
        assert_int_equal(v[2].build, 1427);
        /* Older firmware: one block. Then the others stay unset. */
        n = fw_version_answer(ans, 1);
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, n, v), 0);
        assert_false(v[1].set);
        /* Header only, a truncated block, the wrong group, the request echoed, an error result. */
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, 4, v), -EBADMSG);
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, 11, v), -EBADMSG);
        ans[0] = 0x03;
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, n, v), -EBADMSG);
        ans[0] = 0xFF, ans[1] = 0x02;
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, n, v), -EBADMSG);
        ans[1] = 0x82, ans[3] = 0x89;
        assert_int_equal(mefw_mkhi_parse_fw_version(ans, n, v), -EREMOTEIO);
        assert_int_equal(mefw_mkhi_parse_fw_version(NULL, 0, v), -EBADMSG);

        uint32_t value = 0;
        n = rule_answer(ans, 0, 0x41101960);
        assert_int_equal(mefw_mkhi_parse_rule(ans, n, 0, &value), 0);
        assert_int_equal(value, 0x41101960);
        assert_int_equal(mefw_mkhi_parse_rule(ans, n, 0x20, &value), -EBADMSG); /* not our rule */
        assert_int_equal(mefw_mkhi_parse_rule(ans, n - 1, 0, &value), -EBADMSG);
        ans[8] = 0;
        assert_int_equal(mefw_mkhi_parse_rule(ans, n, 0, &value), -EBADMSG);
        ans[8] = 255; /* a length beyond the message: only the 4 bytes we need are read */
        assert_int_equal(mefw_mkhi_parse_rule(ans, n, 0, &value), 0);
}

static void test_amthi(void **state) {
        (void) state;
        uint8_t req[16];
        assert_int_equal(mefw_amthi_build_get_code_versions(req, sizeof req), 12);
        assert_memory_equal(req, ((uint8_t[]){ 1, 1, 0, 0, 0x1A, 0, 0, 4, 0, 0, 0, 0 }), 12);

        uint8_t ans[512] = { 1, 1, 0, 0, 0x1A, 0, 0x80, 4 };
        size_t off = 12;
        memset(ans + off, 0, 4), off += 4; /* status */
        memcpy(ans + off, "KLZ8711D.86A.0457", 17), off += 65;
        synth_put32(ans + off, 2), off += 4;
        const char *rec[2][2] = { { "AMT", "9.0.20" }, { "Build Number", "1447" } };
        for (int i = 0; i < 2; i++) {
                uint16_t dl = (uint16_t) strlen(rec[i][0]), vl = (uint16_t) strlen(rec[i][1]);
                synth_put16(ans + off, dl), memcpy(ans + off + 2, rec[i][0], dl);
                synth_put16(ans + off + 22, vl), memcpy(ans + off + 24, rec[i][1], vl);
                off += 44;
        }
        mefw_status *s = mefw_status_new();
        assert_int_equal(mefw_amthi_parse_code_versions(ans, off, s), 0);
        assert_string_equal(s->bios_version, "KLZ8711D.86A.0457");
        assert_int_equal(s->n_amt, 2);
        assert_string_equal(s->amt[1].name, "Build Number");
        assert_string_equal(s->amt[1].value, "1447");
        /* The count claims more records than were sent: refused, nothing changed. */
        mefw_status *t = mefw_status_new();
        synth_put32(ans + 12 + 4 + 65, 1000000);
        assert_int_equal(mefw_amthi_parse_code_versions(ans, off, t), -EBADMSG);
        assert_int_equal(t->n_amt, 0);
        /* A length field larger than its 20-byte slot is capped. */
        synth_put32(ans + 12 + 4 + 65, 2);
        synth_put16(ans + 12 + 4 + 65 + 4, 0xFFFF);
        assert_int_equal(mefw_amthi_parse_code_versions(ans, off, t), 0);
        assert_true(strlen(t->amt[0].name) <= 20);
        /* Not an answer to GetCodeVersions. */
        ans[6] = 0;
        assert_int_equal(mefw_amthi_parse_code_versions(ans, off, t), -EBADMSG);
        mefw_status_free(s);
        mefw_status_free(t);
}

/* The seed's bitmaps, as MEInfo 9.1 and HWiNFO printed them. */
static void test_bitmaps(void **state) {
        (void) state;
        mefw_generation me9 = { "ME", 9 };
        size_t n;
        const mefw_bit_name *names = mefw_capability_names(&me9, &n);
        const uint32_t caps = 0x41101960;
        static const struct {
                const char *name;
                bool present;
        } expect[] = {
                { "Intel(R) Active Management Technology", false },
                { "Intel(R) Standard Manageability", false },
                { "Intel(R) Anti-Theft Technology", true },
                { "Intel(R) Capability Licensing Service", true },
                { "Protect Audio Video Path", true },
                { "Intel(R) Dynamic Application Loader", true },
                { "Service Advertisement & Discovery", true },
                { "Intel(R) NFC Capabilities", false },
                { "Intel(R) Platform Trust Technology", false },
        };
        for (size_t e = 0; e < sizeof expect / sizeof expect[0]; e++) {
                bool found = false;
                for (size_t i = 0; i < n; i++)
                        if (strcmp(names[i].name, expect[e].name) == 0) {
                                found = true;
                                if (((caps >> names[i].bit) & 1) != expect[e].present)
                                        fail_msg("%s: expected %s", expect[e].name,
                                                 expect[e].present ? "present" : "not present");
                        }
                if (!found)
                        fail_msg("%s has no bit", expect[e].name);
        }
        /* No two names for one bit. */
        for (size_t i = 0; i < n; i++)
                for (size_t k = i + 1; k < n; k++)
                        assert_int_not_equal(names[i].bit, names[k].bit);

        mefw_named_value pt[8];
        size_t k = mefw_platform_type_describe(0x72130302, &me9, pt, 8);
        assert_int_equal(k, 4);
        assert_string_equal(pt[0].value, "Desktop");
        assert_string_equal(pt[1].value, "Regular SKU");
        assert_string_equal(pt[2].value, "1.5MB Firmware");
        assert_string_equal(pt[3].value, "None");
        mefw_generation csme12 = { "CSME", 12 };
        k = mefw_platform_type_describe(0x42000492, &csme12, pt, 8);
        assert_string_equal(pt[0].value, "Desktop");
        assert_string_equal(pt[2].value, "Corporate Firmware");
        /* No usage bit and an unnamed brand. */
        k = mefw_platform_type_describe(0x0000F000, &me9, pt, 8);
        assert_string_equal(pt[0].value, "Unknown (0)");
        assert_string_equal(pt[3].value, "Unknown (15)");
        assert_int_equal(mefw_platform_type_describe(0x2, &me9, pt, 1), 1);
}

/* ---- Logs --------------------------------------------------------------------------------- */

static void scan(const char *text, mefw_log_registers *lr) {
        assert_int_equal(mefw_status_log_scan(text, strlen(text), lr), 0);
}

static void test_log_meinfo(void **state) {
        (void) state;
        mefw_log_registers lr;
        /* CRLF, a line-number column, tabs, box drawing, and a firmware version after the registers. */
        scan("Intel(R) MEInfo Version: 9.1.45.3000\r\n"
             "12 FW Status Register1: 0x1E000245\r\n"
             "\tFW Status Register2: 0x76442312\r\n"
             "\xE2\x95\x91 FW Status Register3: 0x00000200 \xE2\x95\x91\r\n"
             "FW Capabilities value is 0x41101960\r\n"
             "Platform type is 0x72130302\r\n"
             "FW Version: 9.0.20.1447 H\r\n",
             &lr);
        assert_int_equal(lr.n_sets, 1);
        const mefw_log_regset *s = &lr.sets[0];
        assert_int_equal(s->n_hfsts, 3);
        assert_int_equal(s->hfsts[0], 0x1E000245);
        assert_int_equal(s->hfsts[2], 0x200);
        assert_int_equal(s->line[0], 2);
        assert_string_equal(s->tool, "MEInfo");
        assert_string_equal(s->tool_version, "9.1.45.3000");
        assert_string_equal(s->generation.family, "ME");
        assert_int_equal(s->generation.major, 9);
        assert_false(s->generation_from_tool);
        assert_true(s->capabilities.set);
        assert_int_equal(s->capabilities.value, 0x41101960);
        assert_int_equal(s->platform_type.value, 0x72130302);
        mefw_status *st = NULL;
        assert_int_equal(mefw_status_from_regset(s, NULL, &st), 0);
        field_is(st, "Phase", "FWUpdate");
        assert_int_equal(st->code.build, 1447);
        mefw_status_free(st);
}

static void test_log_two_machines_and_artifacts(void **state) {
        (void) state;
        mefw_log_registers lr;
        scan("Intel(R) MEInfo Version: 5.0.0.1167\n"
             "PMXUtil: Error during PMX Call: sseidrvdll32e.dll!IDRVInit(): Failed VerAddVersion() call\n"
             "FW Status Register: 0X00000000\n"
             "Flash: 5.2.70 Netstack: 5.2.70\n"
             "Build Number: 1046\n"
             "Intel(R) MEInfo Version: 5.0.0.1167\n"
             "FW Status Register: 0X3009065A\n"
             "Flash: 5.0.1 Netstack: 5.0.1\n"
             "Build Number: 1111\n"
             "ME Status   : 0x1e000255\n"
             "ME Status 2 : 0x69000106\n",
             &lr);
        assert_int_equal(lr.n_sets, 3);
        assert_true(lr.sets[0].driver_error);
        assert_int_equal(lr.sets[0].driver_error_line, 2);
        assert_int_equal(lr.sets[0].firmware.build, 1046);
        assert_false(lr.sets[1].driver_error);
        assert_int_equal(lr.sets[1].hfsts[0], 0x3009065A);
        assert_int_equal(lr.sets[1].generation.major, 5);
        assert_int_equal(lr.sets[1].firmware.build, 1111);
        assert_string_equal(lr.sets[2].tool, "intelmetool");
        assert_int_equal(lr.sets[2].n_hfsts, 2);
        mefw_status *st = NULL;
        assert_int_equal(mefw_status_from_regset(&lr.sets[0], NULL, &st), 0);
        assert_true(has_message(st, "status-driver-error"));
        assert_int_equal(st->layout, MEFW_LAYOUT_ME_ICH);
        mefw_status_free(st);
        /* A generation override wins over the log. */
        mefw_generation g = { "ME", 9 };
        assert_int_equal(mefw_status_from_regset(&lr.sets[2], &g, &st), 0);
        assert_int_equal(st->layout, MEFW_LAYOUT_ME6);
        mefw_status_free(st);
}

/* A real intelmetool run on a Lynx Point board with the ME disabled by AltMeDisable: its own decode
 * says partition table OK, bring-up loader failure NO, init complete NO, manufacturing mode YES. */
static void test_log_intelmetool(void **state) {
        (void) state;
        mefw_log_registers lr;
        scan("MEI found: [8086:8c3a] 8 Series/C220 Series Chipset Family MEI Controller #1\n"
             "\n"
             "ME Status   : 0x1e020191\n"
             "ME Status 2 : 0x164d2142\n"
             "\n"
             "ME: FW Partition Table      : OK\n",
             &lr);
        assert_int_equal(lr.n_sets, 1);
        assert_string_equal(lr.sets[0].tool, "intelmetool");
        assert_int_equal(lr.sets[0].mei_device, 0x8C3A);
        assert_true(lr.sets[0].generation_from_device);
        mefw_status *st = NULL;
        assert_int_equal(mefw_status_from_regset(&lr.sets[0], NULL, &st), 0);
        assert_int_equal(st->layout, MEFW_LAYOUT_ME6);
        assert_true(has_message(st, "status-generation-from-device"));
        field_is(st, "FlashPartition", "Valid");
        field_is(st, "BUPLoadState", "Success");
        field_is(st, "InitComplete", "Initializing");
        field_is(st, "ManufacturingMode", "Enabled");
        field_is(st, "ModeOfOperation", "Alt Disable Mode");
        mefw_status_free(st);
        /* An unknown device ID gives no generation. */
        scan("MEI found: [8086:ffff] future part\nME Status   : 0x245\n", &lr);
        assert_int_equal(lr.n_sets, 1);
        assert_null(lr.sets[0].generation.family);
}

static void test_log_bad_values(void **state) {
        (void) state;
        mefw_log_registers lr;
        /* Too wide, not hex, no value, register 7, a gap (HFSTS1 missing): none usable. */
        scan("FW Status Register1: 0x1E0002450\n"
             "FW Status Register1: 0xZZ\n"
             "FW Status Register1:\n"
             "FW Status Register7: 0x1\n"
             "HFSTS2: 0x76442312\n"
             "MEInfo is great, version whatever\n",
             &lr);
        assert_int_equal(lr.n_sets, 0);
        /* Generation from the tool only, said as such. */
        scan("Intel(R) MEManuf Version: 9.1.10.1000\nFW Status Register1: 0x1E000245\n", &lr);
        assert_int_equal(lr.n_sets, 1);
        assert_true(lr.sets[0].generation_from_tool);
        mefw_status *st = NULL;
        assert_int_equal(mefw_status_from_regset(&lr.sets[0], NULL, &st), 0);
        assert_true(has_message(st, "status-generation-from-tool"));
        mefw_status_free(st);
        /* NULs, no newline at the end, an empty text. */
        static const char nul[] = "FW Status Register1:\0 0x1\nHFSTS1 = 0x00000245";
        assert_int_equal(mefw_status_log_scan(nul, sizeof nul - 1, &lr), 0);
        assert_int_equal(lr.n_sets, 2);
        assert_int_equal(lr.sets[0].hfsts[0], 0x1); /* the NUL read as a space */
        assert_int_equal(lr.sets[1].hfsts[0], 0x245);
        assert_int_equal(lr.sets[1].line[0], 2);
        assert_int_equal(mefw_status_log_scan("", 0, &lr), 0);
        assert_int_equal(lr.n_sets, 0);
}

/* Many sets: capped, and the rest counted. A long line costs no more than its first 512 bytes. */
static void test_log_caps(void **state) {
        (void) state;
        size_t n = 40 * 40 + 2000000;
        char *text = malloc(n + 1), *p = text;
        for (int i = 0; i < 40; i++)
                p += sprintf(p, "FW Status Register1: 0x%08X\n", i);
        memset(p, 'A', 2000000);
        p[2000000] = 0;
        mefw_log_registers lr;
        assert_int_equal(mefw_status_log_scan(text, strlen(text), &lr), 0);
        assert_int_equal(lr.n_sets, MEFW_LOG_REGSETS_MAX);
        assert_int_equal(lr.dropped, 40 - MEFW_LOG_REGSETS_MAX);
        free(text);
}

/* ---- Live: fake sysfs tree and scripted transport ------------------------------------------- */

typedef enum { FAKE_OK, FAKE_TIMEOUT, FAKE_GARBAGE, FAKE_NO_CLIENTS } fake_mode;

typedef struct {
        fake_mode mode;
        bool amthi;
        const uint8_t *connected;
        uint8_t last[64];
        size_t last_len;
        int opens, writes;
        char device[256];
        uint16_t major, minor, hotfix, build;
} fake_mei;

static fake_mei *fake(mefw_mei_transport *t) {
        return t->userdata;
}

static int fake_open(mefw_mei_transport *t, const char *device) {
        snprintf(fake(t)->device, sizeof fake(t)->device, "%s", device);
        fake(t)->opens++;
        fake(t)->connected = NULL;
        return 0;
}

static int fake_connect(mefw_mei_transport *t, const uint8_t uuid[16], uint32_t *ret_max) {
        fake_mei *f = fake(t);
        if (f->mode == FAKE_NO_CLIENTS)
                return -ENOENT;
        if (memcmp(uuid, MEFW_MEI_UUID_MKHI, 16) == 0 || (f->amthi && memcmp(uuid, MEFW_MEI_UUID_AMTHI, 16) == 0)) {
                f->connected = uuid;
                *ret_max = 512;
                return 0;
        }
        return -ENOENT;
}

static long fake_write(mefw_mei_transport *t, const void *buf, size_t n, int timeout_ms) {
        (void) timeout_ms;
        fake_mei *f = fake(t);
        assert_non_null(f->connected);
        assert_true(n <= sizeof f->last);
        memcpy(f->last, buf, n);
        f->last_len = n;
        f->writes++;
        return (long) n;
}

static long fake_read(mefw_mei_transport *t, void *buf, size_t n, int timeout_ms) {
        fake_mei *f = fake(t);
        assert_true(timeout_ms > 0);
        uint8_t *b = buf;
        assert_true(n >= 512);
        if (f->mode == FAKE_TIMEOUT)
                return -ETIMEDOUT;
        if (f->mode == FAKE_GARBAGE) {
                for (size_t i = 0; i < 37; i++)
                        b[i] = (uint8_t) (i * 91 + 7);
                return 37;
        }
        if (f->last[0] == 0xFF && f->last[1] == 0x02) {
                size_t len = fw_version_answer(b, 3);
                b[4] = (uint8_t) f->minor, b[6] = (uint8_t) f->major;
                b[8] = (uint8_t) f->build, b[9] = (uint8_t) (f->build >> 8);
                b[10] = (uint8_t) f->hotfix;
                return (long) len;
        }
        if (f->last[0] == 0x03 && f->last[1] == 0x02) {
                uint32_t rule = (uint32_t) f->last[4] | (uint32_t) f->last[5] << 8 | (uint32_t) f->last[6] << 16 |
                                (uint32_t) f->last[7] << 24;
                uint32_t value = rule == 0 ? 0x41101960 : rule == 0x20 ? 0x41101920 : 0x72130302;
                return (long) rule_answer(b, rule, value);
        }
        if (f->last[0] == 1 && f->last[4] == 0x1A) {
                memset(b, 0, 12 + 4 + 65 + 4 + 44);
                memcpy(b, (uint8_t[]){ 1, 1, 0, 0, 0x1A, 0, 0x80, 4 }, 8);
                memcpy(b + 16, "TESTBIOS", 8);
                b[16 + 65] = 1;
                b[16 + 69] = 3;
                memcpy(b + 16 + 69 + 2, "AMT", 3);
                b[16 + 69 + 22] = 6;
                memcpy(b + 16 + 69 + 24, "9.0.20", 6);
                return 12 + 4 + 65 + 4 + 44;
        }
        return -EIO;
}

static void fake_close(mefw_mei_transport *t) {
        fake(t)->connected = NULL;
}

static mefw_mei_transport fake_transport(fake_mei *f) {
        return (mefw_mei_transport){ .open = fake_open, .connect = fake_connect, .write = fake_write,
                                     .read = fake_read, .close = fake_close, .userdata = f };
}

static void write_file(const char *dir, const char *name, const void *data, size_t n) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(data, 1, n, f), n);
        fclose(f);
}

static void mkdirs(const char *path) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", path);
        for (char *p = buf + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        mkdir(buf, 0755);
                        *p = '/';
                }
        mkdir(buf, 0755);
}

/* A PCI function as sysfs shows it; config holds the registers at 0x40.. when config_size allows. */
static void make_pci(const char *root, const char *slot, uint16_t device, uint32_t class, const uint32_t *regs,
                     size_t config_size) {
        char dir[1024], text[32];
        snprintf(dir, sizeof dir, "%s/bus/pci/devices/%s", root, slot);
        mkdirs(dir);
        write_file(dir, "vendor", "0x8086\n", 7);
        snprintf(text, sizeof text, "0x%04x\n", device);
        write_file(dir, "device", text, strlen(text));
        snprintf(text, sizeof text, "0x%06x\n", class);
        write_file(dir, "class", text, strlen(text));
        uint8_t cfg[256] = { 0x86, 0x80, (uint8_t) device, (uint8_t) (device >> 8) };
        static const uint16_t off[6] = { 0x40, 0x48, 0x60, 0x64, 0x68, 0x6C };
        for (int i = 0; regs && i < 6; i++)
                memcpy(cfg + off[i], &regs[i], 4);
        write_file(dir, "config", cfg, config_size);
}

static void make_mei(const char *root, const char *slot, const char *fw_status, const char *fw_ver) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/bus/pci/devices/%s/mei/mei0", root, slot);
        mkdirs(dir);
        if (fw_status)
                write_file(dir, "fw_status", fw_status, strlen(fw_status));
        if (fw_ver)
                write_file(dir, "fw_ver", fw_ver, strlen(fw_ver));
}

static char *make_root(void) {
        char tmpl[] = "/tmp/mefw-sysfs-XXXXXX";
        char *d = mkdtemp(tmpl);
        assert_non_null(d);
        return strdup(d);
}

static void remove_tree(const char *root) {
        char cmd[1100];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        assert_int_equal(system(cmd), 0);
}

/* An ME 9 desktop (Lynx Point, 00:16.0) beside a GPU and a second HECI function. */
static void test_live_me9(void **state) {
        (void) state;
        char *root = make_root();
        make_pci(root, "0000:00:02.0", 0x0412, 0x030000, NULL, 64);
        make_pci(root, "0000:00:16.1", 0x8C3B, 0x078000, NULL, 64);
        make_pci(root, "0000:00:16.0", 0x8C3A, 0x078000, NULL, 64); /* unprivileged: 64 bytes */
        make_mei(root, "0000:00:16.0", "1E000245\n76442312\n00000200\n00000000\n00000000\n00000000\n",
                 "0:9.0.20.1447\n0:9.0.20.1447\n0:9.0.20.1427\n");
        fake_mei f = { .mode = FAKE_OK, .major = 9, .minor = 0, .hotfix = 20, .build = 1447 };
        mefw_mei_transport t = fake_transport(&f);
        mefw_live_options opt = { .sysfs_root = root, .dev_root = "/fake-dev", .transport = &t };
        mefw_status *s = NULL;
        assert_int_equal(mefw_status_live(&opt, &s), 0);
        assert_string_equal(s->pci_slot, "0000:00:16.0");
        assert_int_equal(s->pci_device, 0x8C3A);
        assert_string_equal(s->source, "sysfs fw_status");
        assert_int_equal(s->n_hfsts, 6);
        assert_string_equal(f.device, "/fake-dev/mei0");
        assert_string_equal(s->generation.family, "ME");
        assert_int_equal(s->generation.major, 9);
        assert_false(s->generation_inferred);
        field_is(s, "Phase", "FWUpdate");
        field_is(s, "ICC", "No valid OEM data, ICC programmed with default values");
        assert_int_equal(s->code.build, 1447);
        assert_int_equal(s->fitc.build, 1427);
        assert_true(s->capabilities.set);
        assert_int_equal(s->capabilities.value, 0x41101960);
        assert_int_equal(s->feature_state.value, 0x41101920);
        assert_int_equal(s->platform_type.value, 0x72130302);
        /* No AMT on this consumer firmware: a note, not a failure. */
        assert_true(has_message(s, "status-amthi-absent"));
        assert_int_equal(s->n_amt, 0);
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_status_write_json(s, &j);
        assert_true(mefw_json_ok(&j));
        static const char *const keys[] = { "\"registers\":", "\"generation\":", "\"fields\":", "\"firmware\":",
                                            "\"capabilities\":", "\"feature_state\":", "\"platform_type\":",
                                            "\"checks\":" };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
                assert_non_null(strstr(j.data, keys[i]));
        assert_non_null(strstr(j.data, "\"Phase\":\"FWUpdate\""));
        mefw_json_free(&j);
        mefw_status_free(s);
        remove_tree(root);
        free(root);
}

/* A CSME 12 laptop (Cannon Point): registers from config space (root), AMT present. */
static void test_live_csme12(void **state) {
        (void) state;
        char *root = make_root();
        const uint32_t regs[6] = { 0x94000245, 0x69000506, 0x30, 0x4000, 0x1F01, 0x47C00BC9 };
        make_pci(root, "0000:00:16.0", 0xA360, 0x078000, regs, 256);
        make_mei(root, "0000:00:16.0", "94000245\n69000506\n", NULL); /* an older kernel: two lines */
        fake_mei f = { .mode = FAKE_OK, .amthi = true, .major = 12, .minor = 0, .hotfix = 49, .build = 1524 };
        mefw_mei_transport t = fake_transport(&f);
        mefw_live_options opt = { .sysfs_root = root, .dev_root = "/fake-dev", .transport = &t };
        mefw_status *s = NULL;
        assert_int_equal(mefw_status_live(&opt, &s), 0);
        assert_string_equal(s->source, "pci config");
        assert_int_equal(s->n_hfsts, 6);
        assert_int_equal(s->hfsts[5], 0x47C00BC9);
        assert_string_equal(s->generation.family, "CSME");
        assert_int_equal(s->generation.major, 12);
        assert_int_equal(s->layout, MEFW_LAYOUT_CSME11);
        field_is(s, "OperationalState", "CM0 with UMA");
        field_is(s, "FW SKU", "Corporate");
        assert_int_equal(s->code.major, 12);
        assert_int_equal(s->code.build, 1524);
        assert_string_equal(s->bios_version, "TESTBIOS");
        assert_int_equal(s->n_amt, 1);
        assert_string_equal(s->amt[0].value, "9.0.20");
        mefw_status_free(s);

        /* The firmware is silent: every call times out, the registers are still decoded, and the
         * remaining MKHI queries are not each waited for. */
        f = (fake_mei){ .mode = FAKE_TIMEOUT };
        assert_int_equal(mefw_status_live(&opt, &s), 0);
        assert_true(has_message(s, "status-mkhi-failed"));
        assert_true(f.writes <= 3);
        assert_false(s->code.set);
        /* Generation from the device ID, said as such. */
        assert_true(s->generation_inferred);
        assert_true(has_message(s, "status-generation-from-device"));
        assert_int_equal(s->generation.major, 12);
        mefw_status_free(s);

        /* Garbage answers: refused, no crash, registers kept. */
        f = (fake_mei){ .mode = FAKE_GARBAGE };
        assert_int_equal(mefw_status_live(&opt, &s), 0);
        assert_true(has_message(s, "status-mkhi-failed"));
        assert_false(s->capabilities.set);
        field_is(s, "CurrentState", "Normal");
        mefw_status_free(s);

        /* No clients at all. */
        f = (fake_mei){ .mode = FAKE_NO_CLIENTS };
        assert_int_equal(mefw_status_live(&opt, &s), 0);
        assert_true(has_message(s, "status-mkhi-unavailable"));
        mefw_status_free(s);
        remove_tree(root);
        free(root);
}

/* No ME: no PCI tree, only non-MEI devices, or an MEI whose registers only root may read. */
static void test_live_no_me(void **state) {
        (void) state;
        fake_mei f = { .mode = FAKE_OK };
        mefw_mei_transport t = fake_transport(&f);
        mefw_live_options opt = { .sysfs_root = "/nonexistent-mefw-root", .transport = &t };
        mefw_status *s = NULL;
        assert_int_equal(mefw_status_live(&opt, &s), -ENODEV);
        assert_null(s);

        char *root = make_root();
        make_pci(root, "0000:00:02.0", 0x0412, 0x030000, NULL, 64);
        make_pci(root, "0000:00:16.3", 0x8C3D, 0x070002, NULL, 64); /* the serial-over-LAN port */
        opt.sysfs_root = root;
        assert_int_equal(mefw_status_live(&opt, &s), -ENODEV);

        /* An MEI function, no driver: config space is 64 bytes for a normal user. */
        make_pci(root, "0000:00:16.0", 0x1E3A, 0x078000, NULL, 64);
        assert_int_equal(mefw_status_live(&opt, &s), -EACCES);
        assert_null(s);

        /* As root on a Panther Point board: HFSTS1/2 only, whatever else config space holds. */
        char *root8 = make_root();
        const uint32_t regs8[6] = { 0x1E000255, 0x61000100, 0xDEADBEEF, 1, 2, 3 };
        make_pci(root8, "0000:00:16.0", 0x1E3A, 0x078000, regs8, 256);
        opt.sysfs_root = root8;
        assert_int_equal(mefw_status_live(&opt, &s), 0);
        assert_int_equal(s->n_hfsts, 2);
        assert_string_equal(s->source, "pci config");
        assert_string_equal(s->generation.family, "ME");
        assert_int_equal(s->generation.major, 8);
        assert_true(has_message(s, "status-no-mei-driver"));
        field_is(s, "ManufacturingMode", "Enabled");
        mefw_status_free(s);
        remove_tree(root8);
        free(root8);
        opt.sysfs_root = root;

        /* Garbage in fw_status is refused, not decoded. */
        make_mei(root, "0000:00:16.0", "zzzz\n", NULL);
        assert_int_equal(mefw_status_live(&opt, &s), -EACCES);
        assert_int_equal(f.opens, 0);
        remove_tree(root);
        free(root);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_me9_dz87klt),
                cmocka_unit_test(test_me9_m6800),
                cmocka_unit_test(test_me9_alt_disable),
                cmocka_unit_test(test_all_ones),
                cmocka_unit_test(test_me9_x99),
                cmocka_unit_test(test_me8_z820),
                cmocka_unit_test(test_me7_jumper),
                cmocka_unit_test(test_me6_e6410),
                cmocka_unit_test(test_sps_on_me7_hardware),
                cmocka_unit_test(test_csme11_t470),
                cmocka_unit_test(test_csme11_hap),
                cmocka_unit_test(test_csme12_7060),
                cmocka_unit_test(test_csme18_19),
                cmocka_unit_test(test_me5_raw),
                cmocka_unit_test(test_unknown_generation),
                cmocka_unit_test(test_all_values_named),
                cmocka_unit_test(test_generation_parse),
                cmocka_unit_test(test_mkhi),
                cmocka_unit_test(test_amthi),
                cmocka_unit_test(test_bitmaps),
                cmocka_unit_test(test_log_meinfo),
                cmocka_unit_test(test_log_two_machines_and_artifacts),
                cmocka_unit_test(test_log_intelmetool),
                cmocka_unit_test(test_log_bad_values),
                cmocka_unit_test(test_log_caps),
                cmocka_unit_test(test_live_me9),
                cmocka_unit_test(test_live_csme12),
                cmocka_unit_test(test_live_no_me),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
