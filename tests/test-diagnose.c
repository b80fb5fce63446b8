/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw diagnose: the knowledge base (every entry sourced and reachable), the log readers on real
 * logs (tests/logs, the seeds when present), every rule firing on a minimal log and silent on a
 * clean one, and hostile input.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "diagnose/reader.h"
#include "mefw/diagnose.h"
#include "mefw/update.h"

/* ---- helpers ------------------------------------------------------------------------------- */

typedef struct {
        mefw_diag_log *log;
        mefw_findings f;
} diag;

static void diag_text(diag *d, const char *text, size_t n) {
        assert_int_equal(mefw_diag_log_new(&d->log), 0);
        assert_int_equal(mefw_diag_read_text(d->log, text, n, "test"), 0);
        assert_int_equal(mefw_diag_reason(d->log, mefw_kb_builtin(), &d->f), 0);
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_diag_write_json(d->log, &d->f, &j);
        assert_true(mefw_json_ok(&j));
        mefw_json_free(&j);
}

/* An image as 'mefw analyze' reports it, damaged or not. */
static void diag_image(diag *d, bool damaged) {
        mefw_report r = { .fw = { .family = "ME", .has_version = true, .version = { 9, 0, 31, 1487 }, .sku = "1.5MB" } };
        if (damaged)
                assert_true(mefw_messages_add(&r.messages, MEFW_ERROR, "hash-mismatch", 0x1000, "module hash mismatch") >= 0);
        assert_int_equal(mefw_diag_log_new(&d->log), 0);
        assert_int_equal(mefw_diag_add_image(d->log, &r, "me.bin"), 0);
        mefw_messages_clear(&r.messages);
        assert_int_equal(mefw_diag_reason(d->log, mefw_kb_builtin(), &d->f), 0);
}

static void diag_str(diag *d, const char *text) {
        diag_text(d, text, strlen(text));
}

static void diag_done(diag *d) {
        mefw_findings_clear(&d->f);
        mefw_diag_log_free(d->log);
        memset(d, 0, sizeof *d);
}

static const mefw_finding *finding(const diag *d, const char *id) {
        for (size_t i = 0; i < d->f.n; i++)
                if (strcmp(d->f.items[i].id, id) == 0)
                        return &d->f.items[i];
        return NULL;
}

static const mefw_finding *finding_on(const diag *d, const char *id, int machine) {
        for (size_t i = 0; i < d->f.n; i++)
                if (strcmp(d->f.items[i].id, id) == 0 && d->f.items[i].machine == machine)
                        return &d->f.items[i];
        return NULL;
}

static bool evidence_has(const mefw_finding *f, const char *needle) {
        for (size_t i = 0; i < f->n_evidence; i++)
                if (strstr(f->evidence[i].text, needle))
                        return true;
        return false;
}

static bool remedy_has(const mefw_finding *f, const char *needle) {
        for (size_t i = 0; i < f->n_remedy; i++)
                if (strcasestr(f->remedy[i], needle))
                        return true;
        return false;
}

static const mefw_diag_fact *fact(const diag *d, int mi, const char *name) {
        return mefw_diag_fact_get(&d->log->machines[mi], name);
}

/* A file from the source tree, '# ' header lines dropped. NULL (and a skip) when unavailable. */
static char *load(const char *dir_env, const char *rel, const char *path, size_t *ret_n) {
        const char *root = getenv(dir_env);
        if (!root)
                return NULL;
        char full[1024];
        snprintf(full, sizeof full, "%s/%s/%s", root, rel, path);
        FILE *f = fopen(full, "rb");
        if (!f)
                return NULL;
        char *buf = malloc(1 << 20);
        assert_non_null(buf);
        size_t n = 0;
        char line[4096];
        while (fgets(line, sizeof line, f))
                if (strncmp(line, "# source:", 9) != 0 && strncmp(line, "# what:", 7) != 0) {
                        size_t l = strlen(line);
                        memcpy(buf + n, line, l);
                        n += l;
                }
        fclose(f);
        buf[n] = 0;
        *ret_n = n;
        return buf;
}

static bool fixture(diag *d, const char *name) {
        size_t n;
        char *text = load("MEFW_SOURCE_ROOT", "tests/logs", name, &n);
        assert_non_null(text);
        diag_text(d, text, n);
        free(text);
        return true;
}

/* ---- knowledge base ------------------------------------------------------------------------ */

static void test_kb_builtin(void **state) {
        (void) state;
        const mefw_kb *kb = mefw_kb_builtin();
        assert_non_null(kb);
        assert_true(kb->n_entries >= 100);
        if (kb->messages.count)
                fail_msg("built-in knowledge base: %s", kb->messages.items[0].text);
        for (size_t i = 0; i < kb->n_entries; i++) {
                const mefw_kb_entry *e = &kb->entries[i];
                assert_non_null(e->source);
                assert_true(strlen(e->source) > 5);
                assert_true(e->n_remedies >= 1);
                assert_non_null(e->title);
                assert_true(e->code >= 0 || e->n_texts > 0);
        }
        assert_non_null(mefw_kb_find(kb, "fwu-8707"));
        assert_non_null(mefw_kb_find(kb, "meinfo-9268"));
        assert_null(mefw_kb_find(kb, "no-such-entry"));
}

static void test_kb_parse_rejects(void **state) {
        (void) state;
        static const char text[] =
                "# comment\n"
                "[good-1]\ntool: fwupdate\ngenerations: 2-11\ncode: 8707\ntext: internal error\nclass: broken\n"
                "title: t\nmeaning: m\ncause: c\nremedy: r1\nremedy: r2\nsource: s\n"
                "[no-source]\ntool: fwupdate\ngenerations: *\ncode: 1\nclass: broken\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\n"
                "[bad-class]\ntool: fwupdate\ngenerations: *\ncode: 2\nclass: awful\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\nsource: s\n"
                "[out-of-order]\ngenerations: *\ntool: fwupdate\ncode: 3\nclass: env\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\nsource: s\n"
                "[good-1]\ntool: fwupdate\ngenerations: *\ncode: 4\nclass: env\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\nsource: s\n"
                "[nothing-to-match]\ntool: post\ngenerations: *\ncode: -\nclass: env\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\nsource: s\n"
                "[Bad Id]\ntool: post\ngenerations: *\ncode: -\ntext: x\nclass: env\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\nsource: s\n"
                "[bad-gen]\ntool: post\ngenerations: 9-2\ncode: -\ntext: x\nclass: env\ntitle: t\nmeaning: m\n"
                "cause: c\nremedy: r\nsource: s\n";
        mefw_kb *kb = NULL;
        assert_int_equal(mefw_kb_parse(text, sizeof text - 1, &kb), 0);
        assert_int_equal(kb->n_entries, 1);
        assert_string_equal(kb->entries[0].id, "good-1");
        assert_int_equal(kb->entries[0].n_remedies, 2);
        assert_int_equal(kb->messages.count, 7);
        bool text_hit = false;
        assert_ptr_equal(mefw_kb_match(kb, 0, 9, 8707, "Firmware update failed due to an internal error", &text_hit),
                         &kb->entries[0]);
        assert_true(text_hit);
        /* Outside its generations, or another number with the same words: no match. */
        assert_null(mefw_kb_match(kb, 0, 12, 8707, "internal error", NULL));
        assert_null(mefw_kb_match(kb, 0, 9, 8759, "Internal error", NULL));
        /* The number alone (legacy numbering) still matches, as a weaker match. */
        assert_ptr_equal(mefw_kb_match(kb, 0, 9, 8707, "something else", &text_hit), &kb->entries[0]);
        assert_false(text_hit);
        mefw_kb_free(kb);
        /* Garbage is no knowledge base, and no crash. */
        static const char junk[] = "tool: x\n[\n[]\n[a]\n:\nsource:\n\xff\xfe\n";
        assert_int_equal(mefw_kb_parse(junk, sizeof junk - 1, &kb), 0);
        assert_int_equal(kb->n_entries, 0);
        mefw_kb_free(kb);
}

/* Every entry is reachable: a minimal log printing its code and text under its tool is matched to it. */
static void test_kb_every_entry_matches(void **state) {
        (void) state;
        const mefw_kb *kb = mefw_kb_builtin();
        size_t failures = 0;
        for (size_t i = 0; i < kb->n_entries; i++) {
                const mefw_kb_entry *e = &kb->entries[i];
                unsigned major = e->gen_first ? e->gen_first : 9;
                if (e->gen_last < major)
                        major = e->gen_last;
                char log[1024] = "";
                size_t n = 0;
                switch (e->tool) {
                case MEFW_KB_TOOL_FWUPDATE:
                case MEFW_KB_TOOL_UNIFIED:
                        n = (size_t) snprintf(log, sizeof log, "Intel (R) Firmware Update Utility Version: %u.0.0.1000\n",
                                              e->tool == MEFW_KB_TOOL_UNIFIED && major < 12 ? 12 : major);
                        break;
                case MEFW_KB_TOOL_MEINFO:
                        n = (size_t) snprintf(log, sizeof log, "Intel(R) MEInfo Version: %u.0.0.1000\n", major);
                        break;
                case MEFW_KB_TOOL_FPT:
                        n = (size_t) snprintf(log, sizeof log, "Intel (R) Flash Programming Tool. Version: %u.0.0.1000\n", major);
                        break;
                default:
                        break;
                }
                const char *text = e->n_texts ? e->texts[0] : "";
                if (e->tool == MEFW_KB_TOOL_DMESG)
                        snprintf(log + n, sizeof log - n, "[    1.000000] mei_me 0000:00:16.0: %s\n", text);
                else if (e->code >= 0)
                        snprintf(log + n, sizeof log - n, "Error %ld: %s\n", e->code, text);
                else
                        snprintf(log + n, sizeof log - n, "%s\n", text);
                diag d = {};
                diag_str(&d, log);
                bool found = false;
                for (size_t mi = 0; mi < d.log->n_machines; mi++)
                        for (size_t k = 0; k < d.log->machines[mi].n_errors; k++)
                                found |= d.log->machines[mi].errors[k].kb == e;
                if (!found) {
                        const mefw_kb_entry *got = NULL;
                        if (d.log->n_machines && d.log->machines[0].n_errors)
                                got = d.log->machines[0].errors[0].kb;
                        print_error("[%s] not matched by its own minimal log (got %s):\n%s", e->id, got ? got->id : "nothing", log);
                        failures++;
                }
                /* Whatever the error, the log yields findings (the entry or a rule that used it). */
                if (d.f.n == 0) {
                        print_error("[%s] produced no finding\n", e->id);
                        failures++;
                }
                diag_done(&d);
        }
        assert_int_equal(failures, 0);
}

/* ---- rules --------------------------------------------------------------------------------- */

#define ME9_MEINFO "Intel(R) MEInfo Version: 9.0.20.1447\n"
#define ME9_FW "FW Version: 9.0.20.1447 H\n"

static const struct {
        const char *rule;
        const char *log;
} rule_cases[] = {
        { "update-aborted",
          "Intel (R) Firmware Update Utility Version: 9.0.20.1447\nCommunication Mode: MEI\n"
          "Sending the update image to FW for verification: [ COMPLETE ]\nFW Update: [ 21% (Stage: 4 of 19) (-)]\n"
          "Error 8707: Firmware update failed due to an internal error\n" },
        { "tool-branch", ME9_MEINFO ME9_FW "Intel (R) Firmware Update Utility Version: 9.1.45.3000\nCommunication Mode: MEI\n" },
        { "image-mismatch", ME9_MEINFO ME9_FW "ME Analyzer v1.175.0 r222\n| me9.1.bin (1/1) |\n| Family | ME |\n"
                            "| Version | 9.1.37.1002 |\n| SKU | 1.5MB |\n" },
        { "image-match", ME9_MEINFO ME9_FW "ME Analyzer v1.175.0 r222\n| me9.0.bin (1/1) |\n| Family | ME |\n"
                         "| Version | 9.0.31.1487 |\n| SKU | 1.5MB |\n| Chipset Support | LPT |\n" },
        { "same-version", "Intel (R) Firmware Update Utility Version: 9.0.20.1447\n"
                          "Error 8772: Invalid usage, -allowsv switch required to update the same version firmware\n"
                          ME9_MEINFO ME9_FW },
        { "driver-artifact", "Intel(R) MEInfo Version: 5.0.0.1167\n"
                             "PMXUtil: Error during PMX Call: sseidrvdll32e.dll!IDRVInstallDriver(): Failed to start loaded service err: 1275\n"
                             "FW Status Register: 0X00000000\n" },
        { "tpm-path", "Firmware Update Utility Version 5.2.50.1042\n"
                      "Error (8721): Firmware update through TPM is enabled. Use -tpm switch\n" },
        { "tpm-upload-stalled", "Firmware Update Utility Version 5.2.50.1042\nCommunication Mode: TPM\n"
                                "FW image is uploading through TPM.\n" },
        { "update-phase", ME9_MEINFO ME9_FW "Phase: FWUpdate\n" },
        { "icc-default", ME9_MEINFO ME9_FW "ICC: No valid OEM data, ICC programmed with default values\n" },
        { "fpt-fallback-locked", ME9_MEINFO ME9_FW "Host Write Access to ME: Disabled\n" },
        { "manufacturing-mode", ME9_MEINFO ME9_FW "ManufacturingMode: Enabled\n" },
        { "operation-mode", ME9_MEINFO ME9_FW "ModeOfOperation: Unsecured mode by H/W jumper\n" },
        { "local-fwupdate-disabled", ME9_MEINFO ME9_FW "Local FWUpdate: Disabled\n" },
        { "manuf-summary", "Intel(R) MEManuf Version: 9.1.10.1000\nError 9268: Fail to load vsccommn.bin\n"
                           "Error 9296: MEManuf Test Failed\n" },
        { "me-state", ME9_MEINFO ME9_FW "FW Status Register1: 0x1E000242\nFW Status Register2: 0x69000000\n" },
        { "no-me-device", "HFSTS1: 0xFFFFFFFF\nHFSTS2: 0xFFFFFFFF\n" },
        { "zero-version", "Intel(R) MEInfo Version: 9.1.45.3000\nFW Version: 0.0.0.0\n" },
        { "status-raw", "Intel(R) MEInfo Version: 5.0.0.1167\nFW Status Register: 0X3009065A\nFlash: 5.0.1 Netstack: 5.0.1\n"
                        "Build Number: 1111\n" },
        { "nothing-read", "hello\nthis is not a log\n" },
        { "image-damaged", "(an analyzed image with an error; built in the test)" },
        { "unknown-error", "Intel (R) Firmware Update Utility Version: 9.1.45.3000\nError 8703: something new\n" },
        /* rules over the person's own words */
        { "me-off-on-purpose", "I cleaned the ME region with me_cleaner and now Linux shows no mei device.\n" },
        { "chipset-core-limit", "My laptop has an HM70 chipset and I fitted an i3-3120M; it shuts down after 30 minutes.\n" },
        { "fwupd-reporting", "fwupdmgr update installed the ME capsule and the update succeeded, but fwupd still shows "
                             "the old version.\n" },
        { "not-enough", "After the BIOS update my ME version is N/A and the MEI device is missing.\n" },
};

/* The same machine, healthy: no rule may fire. */
static const char clean_log[] =
        ME9_MEINFO
        "FW Status Register1: 0x1E000245\nFW Status Register2: 0x69000000\n"
        "CurrentState: Normal\nManufacturingMode: Disabled\nFlashPartition: Valid\nErrorCode: No Error\n"
        "ModeOfOperation: Normal\nPhase: HOSTCOMM Module\nICC: Valid OEM data, ICC programmed\n"
        "ME File System Corrupted: No\n" ME9_FW
        "Local FWUpdate: Enabled\nHost Read Access to ME: Enabled\nHost Write Access to ME: Enabled\n"
        "Intel (R) Firmware Update Utility Version: 9.0.20.1447\nCommunication Mode: MEI\n"
        "Sending the update image to FW for verification: [ COMPLETE ]\nFW Update: [ 100% (Stage: 19 of 19) (|)]\n"
        "FW Update completed successfully and a reboot will run the new FW.\n";

static void test_every_rule_fires(void **state) {
        (void) state;
        size_t n_rules;
        const mefw_diag_rule_info *rules = mefw_diag_rules(&n_rules);
        assert_true(n_rules >= 15);
        for (size_t i = 0; i < n_rules; i++) {
                const char *log = NULL;
                for (size_t k = 0; k < sizeof rule_cases / sizeof rule_cases[0]; k++)
                        if (strcmp(rule_cases[k].rule, rules[i].id) == 0)
                                log = rule_cases[k].log;
                if (!log)
                        fail_msg("rule %s has no minimal log in this test", rules[i].id);
                diag d = {};
                if (strcmp(rules[i].id, "image-damaged") == 0)
                        diag_image(&d, true);
                else
                        diag_str(&d, log);
                const mefw_finding *f = finding(&d, rules[i].id);
                if (!f)
                        fail_msg("rule %s did not fire on its minimal log", rules[i].id);
                assert_true(f->title[0]);
                assert_true(f->n_remedy > 0);
                diag_done(&d);
        }
        diag d = {};
        diag_image(&d, false);
        assert_int_equal(d.f.n, 0);
        diag_done(&d);
        diag_str(&d, clean_log);
        for (size_t i = 0; i < d.f.n; i++)
                fail_msg("clean log produced finding %s: %s", d.f.items[i].id, d.f.items[i].title);
        assert_int_equal(d.log->n_machines, 1);
        assert_true(d.log->machines[0].has_firmware);
        assert_non_null(d.log->machines[0].status);
        assert_true(d.log->runs[1].success_line > 0);
        diag_done(&d);
}

/* Ranking: errors first, benign last; ties by confidence then rule order. */
static void test_ranking(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, rule_cases[0].log);
        for (size_t i = 1; i < d.f.n; i++)
                assert_true(d.f.items[i - 1].severity >= d.f.items[i].severity);
        diag_done(&d);
        diag_str(&d, "Intel(R) MEManuf Version: 9.1.10.1000\nError 9268: Fail to load vsccommn.bin\nError 9296: MEManuf Test Failed\n"
                     "Intel (R) Firmware Update Utility Version: 9.0.20.1447\nError 8741: FW Update Failed.\n");
        assert_int_equal(d.f.items[0].severity, MEFW_FINDING_ERROR);
        assert_int_equal(d.f.items[d.f.n - 1].severity, MEFW_FINDING_BENIGN);
        diag_done(&d);
}

/* ---- the seeds ----------------------------------------------------------------------------- */

static char *load_seed(const char *name, size_t *n) {
        char *t = load("MEFW_CORPUS", "../seeds", name, n);
        if (!t)
                print_message("SKIPPED: seed %s not found (MEFW_CORPUS/../seeds)\n", name);
        return t;
}

/* Diagnose a forum seed; false (nothing done) when the seeds are not here. */
static bool diag_seed(diag *d, const char *name) {
        size_t n;
        char *text = load_seed(name, &n);
        if (!text)
                return false;
        diag_text(d, text, n);
        free(text);
        return true;
}

static void test_seed_001(void **state) {
        (void) state;
        diag d = {};
        if (!diag_seed(&d, "001_f5304ba1dc80ae64.txt"))
                skip();
        assert_int_equal(d.log->n_machines, 1);
        const mefw_diag_machine *m = &d.log->machines[0];
        assert_true(m->has_firmware);
        assert_int_equal(m->firmware[0], 9);
        assert_int_equal(m->firmware[3], 1447);
        assert_string_equal(fact(&d, 0, "board")->value, "Intel DZ87KLT-75K");

        const mefw_finding *f = finding(&d, "meinfo-9268");
        assert_non_null(f);
        assert_int_equal(f->severity, MEFW_FINDING_BENIGN);
        assert_true(evidence_has(f, "vsccommn.bin"));
        f = finding(&d, "manuf-summary");
        assert_non_null(f);
        assert_int_equal(f->severity, MEFW_FINDING_BENIGN);
        assert_non_null(strstr(f->explanation, "9268"));
        assert_true(evidence_has(f, "9296"));

        f = finding(&d, "update-aborted");
        assert_non_null(f);
        assert_int_equal(f->severity, MEFW_FINDING_ERROR);
        assert_non_null(strstr(f->title, "stage 4 of 19"));
        assert_non_null(strstr(f->explanation, "accepted"));
        assert_true(evidence_has(f, "Error 8741"));
        assert_true(evidence_has(f, "Error 8707"));
        assert_true(evidence_has(f, "[ COMPLETE ]"));
        assert_true(remedy_has(f, "power drain"));

        /* The answer first: the 9.1 tool on 9.0 firmware is the cause, and the 9.0 System Tools
         * are the first step (the aborted update is what it caused). */
        assert_true(d.f.has_verdict);
        f = &d.f.items[0];
        assert_string_equal(f->id, "tool-branch");
        assert_string_equal(f->cause, "tool-branch");
        assert_true(strstr(f->title, "9.1") && evidence_has(f, "9.1.45.3000"));
        assert_true(remedy_has(f, "9.0 tools"));
        assert_true(f->n_steps >= 1);
        assert_string_equal(f->steps[0].id, "use-matching-tools");
        assert_non_null(strstr(f->steps[0].text, "ME System Tools v9.0"));
        /* the branch sentence is true: 9.0 -> 9.1 is possible (one-way), the way back is not */
        for (size_t i = 0; i < f->n_remedy; i++)
                assert_null(strstr(f->remedy[i], "cannot move a machine to another branch"));
        assert_true(remedy_has(f, "one-way"));
        assert_string_equal(d.f.access, "locked"); /* MEInfo: Host Write Access to ME: Disabled */

        /* ICC on defaults and MEManuf's 9268/9296 are harmless, and nothing nudges to a rewrite */
        f = finding(&d, "icc-default");
        assert_non_null(f);
        assert_true(evidence_has(f, "9317"));
        assert_non_null(strstr(f->title, "harmless"));
        assert_true(f->severity <= MEFW_FINDING_INFO);
        for (size_t i = 0; i < f->n_remedy; i++)
                assert_null(strstr(f->remedy[i], "Restore"));

        f = finding(&d, "update-phase");
        assert_non_null(f);
        assert_true(evidence_has(f, "0x76442312"));
        assert_true(remedy_has(f, "global reset"));
        assert_true(remedy_has(f, "power drain"));

        f = finding(&d, "fpt-fallback-locked");
        assert_non_null(f);
        assert_true(evidence_has(f, "Host Write Access to ME: Disabled"));
        assert_true(evidence_has(f, "(HMRFPO) Status: Locked"));
        assert_true(remedy_has(f, "recovery"));
        assert_true(remedy_has(f, "jumper"));

        f = finding(&d, "image-match");
        assert_non_null(f);
        assert_non_null(strstr(f->title, "9.0.31.1487"));
        assert_non_null(strstr(f->title, "9.0.20.1447"));
        assert_non_null(strstr(f->title, "ME 9.0 1.5MB LPT"));
        assert_null(finding(&d, "image-mismatch"));
        /* Nothing printed in the log is left unexplained. */
        assert_null(finding(&d, "unknown-error"));
        diag_done(&d);
}

static void test_seed_002(void **state) {
        (void) state;
        diag d = {};
        if (!diag_seed(&d, "002_aecf7ed58582513f.txt"))
                skip();
        assert_int_equal(d.log->n_machines, 2);
        const mefw_diag_machine *a = &d.log->machines[0], *b = &d.log->machines[1];
        assert_true(a->has_firmware && b->has_firmware);
        assert_int_equal(a->firmware[1], 2);
        assert_int_equal(a->firmware[3], 1046);
        assert_int_equal(b->firmware[1], 0);
        assert_int_equal(b->firmware[3], 1111);
        assert_string_equal(fact(&d, 0, "mac-address")->value, "00-19-39-4d-0d-a1");
        assert_string_equal(fact(&d, 1, "mac-address")->value, "00-19-39-47-bb-dd");

        for (int mi = 0; mi < 2; mi++) {
                const mefw_finding *f = finding_on(&d, "driver-artifact", mi);
                assert_non_null(f);
                assert_true(evidence_has(f, "err: 1275"));
                assert_true(evidence_has(f, "0X00000000"));
                assert_non_null(strstr(f->explanation, "artifact"));
                assert_true(remedy_has(f, "DOS"));
        }
        const mefw_finding *f = finding_on(&d, "tpm-path", 1);
        assert_non_null(f);
        assert_true(evidence_has(f, "8721"));
        assert_true(remedy_has(f, "-tpm"));

        f = finding_on(&d, "tpm-upload-stalled", 1);
        assert_non_null(f);
        assert_true(evidence_has(f, "uploading through TPM"));
        assert_true(evidence_has(f, "Enabled Owned Inactive"));
        assert_non_null(strstr(f->explanation, "owned"));
        assert_non_null(strstr(f->explanation, "inactive under DOS"));
        /* the person cleared the TPM already: not told to do it again, told what a clear leaves */
        assert_true(remedy_has(f, "cleared already"));
        assert_true(remedy_has(f, "activate"));

        /* The answer first: the TPM path is the verdict; its first step checks what the clear left
         * (enabled, activated, no owner) under DOS, the clear itself is named as done, and the
         * sister PC that already runs 5.2.70.1046 is offered as a route, backups of both first. */
        assert_true(d.f.has_verdict);
        f = &d.f.items[0];
        assert_string_equal(f->cause, "tpm-path");
        assert_true(f->n_steps >= 2);
        assert_string_equal(f->steps[0].id, "tpm-activate");
        assert_non_null(strstr(f->steps[0].text, "activated"));
        assert_non_null(strstr(f->steps[0].text, "-tpm"));
        assert_int_equal(f->n_done, 1);
        assert_string_equal(f->done[0], "tpm-clear");
        bool sister = false;
        for (size_t i = 0; i < f->n_steps; i++)
                if (strcmp(f->steps[i].id, "sister-region") == 0) {
                        sister = true;
                        assert_non_null(strstr(f->steps[i].text, "5.2.70.1046"));
                        assert_non_null(strstr(f->steps[i].text, "back up both"));
                        assert_non_null(strstr(f->steps[i].text, "host write access or a programmer"));
                }
        assert_true(sister);
        bool backup = false;
        for (size_t i = 0; i < f->n_warnings; i++)
                backup |= strcmp(f->warnings[i], "backup-first") == 0;
        assert_true(backup);
        for (size_t i = 0; i < f->n_steps; i++)
                assert_null(strstr(f->steps[i].text, "clear its ownership"));
        /* the Windows readings are the driver's artefacts; DOS is the way */
        assert_true(finding_on(&d, "driver-artifact", 0) && finding_on(&d, "driver-artifact", 1));

        f = finding_on(&d, "status-raw", 1);
        assert_non_null(f);
        assert_non_null(strstr(f->title, "0x3009065A"));
        assert_non_null(b->status);
        assert_int_equal(b->status->layout, MEFW_LAYOUT_ME_ICH);
        assert_int_equal(b->status->hfsts[0], 0x3009065A);
        /* The DOS runs are recognized as DOS from the user's words, the Windows ones from the tool. */
        bool dos_fwu = false;
        for (size_t i = 0; i < d.log->n_runs; i++)
                dos_fwu |= d.log->runs[i].kind == MEFW_RUN_FWUPDATE && d.log->runs[i].environment &&
                           strcmp(d.log->runs[i].environment, "DOS") == 0 && d.log->runs[i].upload_line;
        assert_true(dos_fwu);
        diag_done(&d);
}

/* ---- real logs ----------------------------------------------------------------------------- */

static void test_real_fpt(void **state) {
        (void) state;
        diag d = {};
        fixture(&d, "fpt-12.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_FPT);
        assert_string_equal(d.log->runs[0].version, "9.1.10.1000");
        const mefw_finding *f = finding(&d, "fpt-26");
        assert_non_null(f);
        assert_int_equal(f->confidence, MEFW_CONFIDENCE_HIGH);
        diag_done(&d);
        fixture(&d, "fpt-2.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_FPT);
        assert_string_equal(d.log->runs[0].version, "7.1.50.1166");
        assert_non_null(strstr(d.log->runs[0].command, "fptw64.exe -I"));
        assert_int_equal(d.f.n, 0);
        diag_done(&d);
}

static void test_real_fwupdate(void **state) {
        (void) state;
        diag d = {};
        fixture(&d, "fwupd-me7-1.txt");
        const mefw_diag_run *r = &d.log->runs[0];
        assert_int_equal(r->kind, MEFW_RUN_FWUPDATE);
        assert_string_equal(r->version, "7.1.50.1166");
        assert_string_equal(r->image, "fwbackupME7.bin");
        assert_int_equal(r->progress_stage, 19);
        assert_int_equal(r->progress_percent, 100);
        assert_true(r->success_line > 0);
        assert_true(r->image_accepted_line > 0);
        assert_int_equal(d.f.n, 0);
        diag_done(&d);
        fixture(&d, "fwupd-me9-2.txt");
        assert_non_null(finding(&d, "fwu-8714"));
        assert_string_equal(d.log->runs[0].image, "me.bin");
        diag_done(&d);
}

static void test_real_meinfo(void **state) {
        (void) state;
        diag d = {};
        /* CSME 15 layout: "Intel (R) ME Info Version:", registers padded with no colon. */
        fixture(&d, "meinfo-csme-5.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_MEINFO);
        assert_string_equal(d.log->runs[0].version, "15.0.52.2706");
        assert_non_null(d.log->machines[0].status);
        assert_int_equal(d.log->machines[0].status->hfsts[0], 0x94000242);
        assert_non_null(finding(&d, "me-state")); /* recovery */
        diag_done(&d);
        fixture(&d, "meinfo-csme-1.txt");
        assert_non_null(finding(&d, "meinfo-86"));
        assert_non_null(finding(&d, "meinfo-81"));
        diag_done(&d);
        /* MEInfo 8 with an empty version in its banner. */
        fixture(&d, "meinfo-old-2.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_MEINFO);
        assert_non_null(finding(&d, "meinfo-9458"));
        assert_non_null(finding(&d, "meinfo-9459"));
        diag_done(&d);
        /* A body without its banner still gives the machine its facts. */
        fixture(&d, "meinfo-old-1.txt");
        assert_int_equal(d.log->n_machines, 1);
        assert_int_equal(d.log->machines[0].firmware[0], 10);
        assert_string_equal(fact(&d, 0, "firmware-platform")->value, "LP");
        assert_string_equal(fact(&d, 0, "local-fwupdate")->value, "Enabled");
        diag_done(&d);
        fixture(&d, "memanuf-2.txt");
        assert_non_null(finding(&d, "meinfo-9256"));
        const mefw_finding *f = finding(&d, "manuf-summary");
        assert_non_null(f);
        assert_non_null(strstr(f->explanation, "9256"));
        assert_null(strstr(f->explanation, "harmless"));
        diag_done(&d);
}

static void test_real_mea_hwinfo(void **state) {
        (void) state;
        diag d = {};
        fixture(&d, "mea-old-1.txt");
        assert_int_equal(d.log->n_images, 1);
        assert_string_equal(d.log->images[0].name, "116273264.bin");
        assert_int_equal(d.log->images[0].version[1], 6);
        assert_string_equal(d.log->images[0].sku, "Corporate H");
        assert_string_equal(d.log->images[0].chipset, "SPT/KBP");
        diag_done(&d);
        fixture(&d, "mea-new-1.txt");
        assert_int_equal(d.log->n_images, 1);
        assert_string_equal(d.log->images[0].family, "GSC");
        assert_int_equal(d.log->images[0].version[0], 100);
        assert_string_equal(d.log->images[0].vcn, "2");
        diag_done(&d);
        fixture(&d, "hwinfo-1.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_HWINFO);
        assert_int_equal(d.log->machines[0].firmware[0], 15);
        assert_int_equal(d.log->machines[0].firmware[2], 30);
        assert_int_equal(d.log->machines[0].firmware[3], 1776);
        assert_string_equal(fact(&d, 0, "hmrfpo")->value, "Locked");
        assert_string_equal(fact(&d, 0, "recovery-version")->value, "15.0.30.1776");
        diag_done(&d);
}

static void test_real_linux(void **state) {
        (void) state;
        diag d = {};
        fixture(&d, "intelmetool-1.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_INTELMETOOL);
        assert_non_null(d.log->machines[0].status);
        assert_int_equal(d.log->machines[0].status->hfsts[1], 0x100a0000);
        diag_done(&d);
        fixture(&d, "dmesg-1.txt");
        assert_int_equal(d.log->runs[0].kind, MEFW_RUN_DMESG);
        assert_non_null(finding(&d, "dmesg-wait-hw-ready-failed"));
        const mefw_finding *f = finding(&d, "dmesg-wait-hw-ready-failed");
        assert_true(f->n_evidence >= 3); /* the retries are one finding with every line */
        diag_done(&d);
        fixture(&d, "dmesg-5.txt");
        assert_non_null(finding(&d, "dmesg-wait-hw-ready-failed"));
        diag_done(&d);
}

static void test_real_post_windows(void **state) {
        (void) state;
        diag d = {};
        fixture(&d, "post-1.txt");
        assert_non_null(finding(&d, "post-a7-mespilock"));
        diag_done(&d);
        fixture(&d, "winerr-2.txt");
        assert_non_null(finding(&d, "win-code10"));
        diag_done(&d);
}

/* ---- forum damage and hostile input -------------------------------------------------------- */

static void test_forum_damage(void **state) {
        (void) state;
        /* CRLF, tabs, a line-number column on lines of its own and in front, smart quotes, "…". */
        static const char text[] =
                "Intel(R) MEInfo Version: 9.1.45.3000\r\n2\r\n3\r\n4\r\n"
                "12 FW Version:\t9.0.20.1447 H\r\n"
                "13 Host Write Access to ME:   Disabled\r\n"
                "Checking firmware parameters\xE2\x80\xA6\r\n"
                "c:\\MEI>FWUpdLcl64.exe -allowsv -f \xE2\x80\x9C" "9.0.20.1447.BIN\xE2\x80\x9D\r\n"
                "Intel (R) Firmware Update Utility Version: 9.1.45.3000\r\n"
                "Error 8707: Firmware update failed due to an internal error\r\n";
        diag d = {};
        diag_str(&d, text);
        assert_int_equal(d.log->n_machines, 1);
        assert_int_equal(d.log->machines[0].firmware[3], 1447);
        assert_string_equal(fact(&d, 0, "host-write-me")->value, "Disabled");
        assert_non_null(finding(&d, "tool-branch"));
        const mefw_finding *f = finding(&d, "fwu-8707");
        assert_non_null(f);
        assert_int_equal(f->evidence[0].at.line, 10);
        assert_string_equal(d.log->runs[1].environment, "Windows");
        assert_non_null(strstr(d.log->runs[1].command, "-allowsv"));
        diag_done(&d);
}

static void test_repeats_and_caps(void **state) {
        (void) state;
        /* A paste repeated many times: bounded machines, runs, errors; repeats merge. */
#define BLOCK "Intel (R) Firmware Update Utility Version: 9.1.45.3000\nError 8707: Firmware update failed due to an internal error\n" \
              "Error 9999: made up %u\nMAC Address: 00-00-00-00-00-%02x\n"
        size_t cap = 1 << 20, n = 0;
        char *text = malloc(cap);
        assert_non_null(text);
        for (unsigned i = 0; i < 300; i++)
                n += (size_t) snprintf(text + n, cap - n, BLOCK, i, i);
        diag d = {};
        diag_text(&d, text, n);
        assert_true(d.log->n_machines <= MEFW_DIAG_MACHINES_MAX);
        assert_true(d.log->n_runs <= MEFW_DIAG_RUNS_MAX);
        assert_true(d.log->dropped_runs > 0);
        for (size_t mi = 0; mi < d.log->n_machines; mi++)
                assert_true(d.log->machines[mi].n_errors <= MEFW_DIAG_ERRORS_MAX);
        diag_done(&d);
        free(text);
}

/*
 * A log naming one image that fits and then several that do not: the rule keeps the finding of
 * the one that fits while it makes one per misfit. The findings array once moved under it (a
 * heap use-after-free: the fitting image's title came out empty). The title and the evidence of
 * the kept finding must survive, and every misfit get its own finding.
 */
static void test_image_match_then_many_mismatches(void **state) {
        (void) state;
        char text[4096];
        size_t n = (size_t) snprintf(text, sizeof text, "%s%sME Analyzer v1.175.0 r222\n"
                                     "| me9.0.bin (1/1) |\n| Family | ME |\n| Version | 9.0.31.1487 |\n| SKU | 1.5MB |\n",
                                     ME9_MEINFO, ME9_FW);
        for (unsigned i = 0; i < 12; i++)
                n += (size_t) snprintf(text + n, sizeof text - n,
                                       "ME Analyzer v1.175.0 r222\n| me10.0.%u.bin (1/1) |\n| Family | ME |\n"
                                       "| Version | 10.0.%u.1000 |\n| SKU | 1.5MB |\n",
                                       i, 30 + i);
        assert_true(n < sizeof text);
        diag d = {};
        diag_text(&d, text, n);
        const mefw_finding *ok = finding(&d, "image-match");
        assert_true(ok && strstr(ok->title, "9.0.31.1487") && ok->n_evidence >= 2);
        size_t misfits = 0;
        for (size_t i = 0; i < d.f.n; i++)
                if (strcmp(d.f.items[i].id, "image-mismatch") == 0) {
                        misfits++;
                        assert_non_null(strstr(d.f.items[i].title, "10.0."));
                }
        /* The log keeps MEFW_DIAG_IMAGES_MAX images; all but the fitting one are misfits. */
        assert_int_equal(misfits, (13 < MEFW_DIAG_IMAGES_MAX ? 13 : MEFW_DIAG_IMAGES_MAX) - 1);
        assert_int_equal(d.f.dropped, 0);
        diag_done(&d);
}

/* ---- the person's words ---------------------------------------------------------------------- */

/* Every line of the shipped tables is understood (a typo would silently drop a wording). */
static void test_word_tables_parse(void **state) {
        (void) state;
        size_t bad = 99;
        assert_true(diag_words_count(&bad) > 200);
        assert_int_equal(bad, 0);
        bad = 99;
        assert_true(diag_procedures_count(&bad) >= 5);
        assert_int_equal(bad, 0);
        bad = 99;
        assert_true(diag_causes_count(&bad) >= 20); /* causes, steps and warnings all understood */
        assert_int_equal(bad, 0);
        assert_non_null(mefw_diag_warning_text("backup-first"));
        assert_null(mefw_diag_warning_text("no-such-warning"));
        const diag_platform *p = diag_platform_lookup("HM86");
        assert_true(p && strcmp(p->generation, "ME 9.0") == 0 && strcmp(p->kind, "chipset") == 0);
        p = diag_platform_lookup("i7-4700mq");
        assert_true(p && strcmp(p->generation, "ME 9") == 0);
        p = diag_platform_lookup("i5-4210u");
        assert_true(p && strcmp(p->generation, "ME 9.5") == 0);
        assert_non_null(diag_platform_lookup("haswell-ult"));
        assert_null(diag_platform_lookup("HM99"));
        assert_non_null(diag_platform_core_limit("hm70"));
        assert_null(diag_platform_core_limit("hm76"));
}

static bool post_fact_is(const diag *d, const char *name, const char *value) {
        return mefw_diag_post_fact(d->log, name, value) != NULL;
}

/* Sentences are facts of the person, negations respected, and never a tool's error line. */
static void test_person_words(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "My HP EliteBook 8560w (QM67) shows ME version N/A in the BIOS. I did not clear the CMOS yet, "
                     "but I reinstalled the MEI driver twice and the update still failed.\n");
        assert_true(post_fact_is(&d, "symptom", "me-na"));
        assert_true(post_fact_is(&d, "vendor", "HP"));
        assert_true(post_fact_is(&d, "chipset", "QM67"));
        assert_true(post_fact_is(&d, "generation", "ME 7"));
        assert_true(post_fact_is(&d, "tried", "driver-reinstall"));
        assert_false(post_fact_is(&d, "tried", "cmos-clear")); /* "did not" */
        const mefw_diag_fact *b = mefw_diag_post_fact(d.log, "board", NULL);
        assert_true(b && strstr(b->value, "8560w") && b->person);
        /* a failure was reported and nothing explains it: not "nothing wrong" */
        const mefw_finding *f = finding(&d, "not-enough");
        assert_non_null(f);
        assert_true(f->severity >= MEFW_FINDING_WARNING);
        for (size_t i = 0; i < d.f.n; i++) {
                assert_string_not_equal(d.f.items[i].id, "unknown-error");
                for (size_t k = 0; k < d.f.items[i].n_evidence; k++)
                        assert_true(d.f.items[i].evidence[k].person); /* every quoted line is theirs */
        }
        diag_done(&d);

        /* a bracketed screenshot note is no text at all */
        diag_str(&d, "[screenshot of MEInfo: Error 9458 and ME is in recovery state]\n");
        assert_int_equal(d.log->n_facts, 0);
        for (size_t i = 0; i < d.f.n; i++)
                assert_int_equal(d.f.items[i].n_evidence, 0);
        diag_done(&d);

        /* a message people copy from the POST screen, in a sentence: the knowledge base explains it */
        diag_str(&d, "At every boot I get (A7) Me FW Downgrade - Request MeSpiLock Failed and then it boots.\n");
        assert_true(post_fact_is(&d, "message", "mespilock"));
        diag_done(&d);

        /* a wording whose first word is a prefix ("upgrad*", "flash*") matches every word that
         * starts so, long or short ("upgrad*": UPGRADING), and the later terms' prefixes too */
        diag_str(&d, "Flashing failed twice.\nThen I tried UPGRADING the UEFI.\n");
        assert_true(post_fact_is(&d, "symptom", "update-failed"));
        assert_true(post_fact_is(&d, "tried", "bios-update"));
        diag_done(&d);
        diag_str(&d, "The flashing never failed, it just hung.\n");
        assert_true(post_fact_is(&d, "symptom", "update-failed")); /* by "flash* ... hang*" */
        diag_done(&d);
        diag_str(&d, "The BIOS was fine.\n"); /* no word of the prefix wordings: nothing */
        assert_false(post_fact_is(&d, "symptom", "update-failed"));
        assert_false(post_fact_is(&d, "tried", "bios-update"));
        diag_done(&d);

        /* fwupd's packed ME version reads as the firmware's */
        diag_str(&d, "Upgrade Intel Management Engine from 184.86.3909 to 184.90.3987?\n");
        assert_true(post_fact_is(&d, "firmware", "11.8.86.3909"));
        diag_done(&d);
}

/* What a user reads cites public documents only: no working notes, tags or post numbers. */
static bool internal_reference(const char *t) {
        if (!t)
                return false;
        if (strcasestr(t, "research note") || strcasestr(t, "motivating post"))
                return true;
        for (const char *p = t; (p = strchr(p, 'S')); p++) /* "(S1)", "S4-150": source tags */
                if ((p == t || !isalnum((unsigned char) p[-1])) && isdigit((unsigned char) p[1]) &&
                    !isalnum((unsigned char) p[2 + (isdigit((unsigned char) p[2]) != 0)]))
                        return true;
        return false;
}

static void test_public_sources(void **state) {
        (void) state;
        assert_true(internal_reference("as said (S1)") && internal_reference("research note x.md"));
        assert_false(internal_reference("Intel ME System Tools v9.0; SPS 3.1; HFSTS1"));
        const mefw_kb *kb = mefw_kb_builtin();
        for (size_t i = 0; i < kb->n_entries; i++) {
                const mefw_kb_entry *e = &kb->entries[i];
                if (internal_reference(e->source) || internal_reference(e->note) || internal_reference(e->meaning) ||
                    internal_reference(e->cause)) {
                        print_message("%s: %s | %s\n", e->id, e->source, e->note ? e->note : "");
                        fail();
                }
        }
        /* and the findings, the verdict's plan and warnings of a real post */
        diag d = {};
        if (!diag_seed(&d, "001_f5304ba1dc80ae64.txt"))
                skip();
        for (size_t i = 0; i < d.f.n; i++) {
                const mefw_finding *f = &d.f.items[i];
                assert_false(internal_reference(f->source) || internal_reference(f->explanation));
                for (size_t k = 0; k < f->n_remedy; k++)
                        assert_false(internal_reference(f->remedy[k]));
                for (size_t k = 0; k < f->n_steps; k++)
                        assert_false(internal_reference(f->steps[k].text));
                for (size_t k = 0; k < f->n_warnings; k++)
                        assert_false(internal_reference(mefw_diag_warning_text(f->warnings[k])));
        }
        diag_done(&d);
}

/* A board whose ME its owner switched off with the HAP/AltMeDisable bit: disabled on purpose, never
 * an error, never a reflash (which would undo the owner's choice). */
static void test_hap_on_purpose(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "Board: ASUS Z87, ME 9.0.30.1482. Is this normal?\nHFSTS1: 0x1E020191\nHFSTS2: 0x104D0106\n");
        assert_true(d.f.has_verdict);
        assert_string_equal(d.f.items[0].cause, "me-cleaned");
        const mefw_finding *f = finding(&d, "me-off-on-purpose");
        assert_non_null(f);
        assert_true(evidence_has(f, "0x1E020191"));
        assert_non_null(strstr(f->explanation, "Alt Disable Mode"));
        assert_null(finding(&d, "me-state"));
        assert_null(finding(&d, "operation-mode"));
        for (size_t i = 0; i < d.f.n; i++) {
                const mefw_finding *x = &d.f.items[i];
                assert_true(x->severity <= MEFW_FINDING_INFO);
                for (size_t k = 0; k < x->n_remedy; k++)
                        assert_null(strstr(x->remedy[k], "rewrite"));
                for (size_t k = 0; k < x->n_steps; k++)
                        assert_true(strcmp(x->steps[k].id, "nothing-to-do") == 0 ||
                                    strcmp(x->steps[k].id, "collect-outputs") == 0);
        }
        diag_done(&d);
}

/* Tool lines pasted as Markdown code are read as the tool printed them; code inside a sentence
 * leaves the sentence the person's. */
static void test_markdown_quoted_lines(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "- `Intel(R) MEInfo Version: 8.1.65.1586`\n- `FW Version: 8.1.60.1561`\n"
                     "- `ManufacturingMode: Enabled`\n- `fptw64 -greset` works but changes nothing\n");
        const mefw_diag_fact *mm = fact(&d, 0, "manufacturing-mode");
        assert_non_null(mm);
        assert_string_equal(mm->value, "Enabled");
        assert_false(mm->person);
        assert_non_null(finding(&d, "manufacturing-mode"));
        assert_non_null(mefw_diag_post_fact(d.log, "tried", "greset"));
        diag_done(&d);
}

/* An image that does not fit is judged by the update policy, and its title names the rule whole;
 * the policy's reason is in the explanation. */
static void test_image_mismatch_by_policy(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "Intel(R) MEInfo Version: 9.0.30.1482\nFW Version: 9.0.20.1447 H\n"
                     "ME Analyzer v1.175.0 r222\n| me9.1.bin (1/1) |\n| Family | ME |\n| Version | 9.1.37.1002 |\n"
                     "| SKU | 1.5MB |\n");
        const mefw_finding *f = finding(&d, "image-mismatch");
        assert_non_null(f);
        assert_string_equal(f->title, "me9.1.bin (9.1.37.1002) does not fit this machine (the branch rule)");
        assert_non_null(strstr(f->explanation, "9.0 -> 9.1"));
        diag_done(&d);
}

/* fwupd's security report flagging manufacturing mode on a CSME 18 machine is fwupd's reading,
 * not the engine's state: harmless, exit 0 material, nothing to write. */
static void test_hsi_manufacturing_mode(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "fwupdmgr security on my ThinkPad (CSME 18.0.5.2066) says:\nHSI-1\n"
                     "MEI manufacturing mode:      Unlocked\nIs this a problem?\n");
        assert_true(d.f.has_verdict);
        assert_string_equal(d.f.items[0].cause, "fwupd-reporting");
        assert_non_null(strstr(d.f.items[0].explanation, "Flexible EOM"));
        assert_null(finding(&d, "not-enough"));
        for (size_t i = 0; i < d.f.n; i++)
                assert_true(d.f.items[i].severity <= MEFW_FINDING_INFO);
        diag_done(&d);
}

/* All-ones registers are a read nobody answered: said so, never an ME fault or a rewrite. */
static void test_all_ones_registers(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "HFSTS1: 0xFFFFFFFF\nHFSTS2: 0xFFFFFFFF\n");
        assert_non_null(finding(&d, "no-me-device"));
        assert_null(finding(&d, "me-state"));
        for (size_t i = 0; i < d.f.n; i++)
                assert_true(d.f.items[i].severity <= MEFW_FINDING_INFO);
        diag_done(&d);
}

/* A descriptor override the person has fitted opens the ME region to the host: the plan starts
 * with the backup and writes with FPT, not "open access first". Asking about it is not doing it. */
static void test_override_in_place(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "HP desktop, BIOS shows Intel ME as N/A and a HECI error at boot.\n"
                     "I found the flash descriptor override pins, placed a jumper on them and booted to DOS.\n");
        assert_non_null(mefw_diag_post_fact(d.log, "tried", "override"));
        assert_string_equal(d.f.access, "writable");
        assert_true(d.f.has_verdict);
        assert_string_equal(d.f.items[0].cause, "region-corrupt");
        assert_string_equal(d.f.items[0].steps[0].id, "backup-spi");
        diag_done(&d);
        diag_str(&d, "HP desktop, BIOS shows Intel ME as N/A and a HECI error at boot.\n"
                     "If I short the FDO pins, can the ME be written?\n");
        assert_string_equal(d.f.access, "unknown");
        assert_string_not_equal(d.f.items[0].steps[0].id, "backup-spi");
        diag_done(&d);
        diag_str(&d, "HP desktop, BIOS shows Intel ME as N/A and a HECI error at boot.\n"
                     "I had trouble with the FDO pins, they are hard to reach.\n");
        assert_string_equal(d.f.access, "unknown");
        diag_done(&d);
}

/* A programmer bought or on its way is read with first; one the person only thinks of is not. */
static void test_programmer_on_its_way(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "Laptop: the BIOS shows ME firmware version N/A and the MEI device has Code 10.\n"
                     "I have ordered a CH341A with a SOIC8 clip, it arrives next week.\n");
        assert_non_null(mefw_diag_post_fact(d.log, "has", "programmer"));
        assert_string_equal(d.f.items[0].cause, "region-corrupt");
        assert_string_equal(d.f.items[0].steps[0].id, "backup-spi");
        diag_done(&d);
        diag_str(&d, "Laptop: the BIOS shows ME firmware version N/A and the MEI device has Code 10.\n"
                     "Which programmer should I buy?\n");
        assert_null(mefw_diag_post_fact(d.log, "has", NULL));
        diag_done(&d);
}

/* fwupd offering again an update it applied: check what runs before anything is written again;
 * a report problem, not a fault (exit 0). */
static void test_update_offered_again(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "fwupdmgr update on my laptop (CSME 11.8.86.3909) installed the ME update and rebooted.\n"
                     "A day later the same firmware update resurfaced in fwupdmgr get-updates.\n");
        assert_non_null(mefw_diag_post_fact(d.log, "symptom", "update-reoffered"));
        assert_true(d.f.has_verdict);
        assert_string_equal(d.f.items[0].cause, "fwupd-reporting");
        assert_string_equal(d.f.items[0].steps[0].id, "collect-outputs");
        for (size_t i = 0; i < d.f.n; i++)
                assert_true(d.f.items[i].severity <= MEFW_FINDING_INFO);
        diag_done(&d);
}

/* The host's access to the ME region from the descriptor's masters, as FPT -dumplock and ifdtool
 * print them: the fact every plan consults. */
static void test_dumplock_access(void **state) {
        (void) state;
        diag d = {};
        /* ME 9: host write bits 0x0A (BIOS, GbE), read 0x0B: the ME region is closed */
        diag_str(&d, "My ME 9.1 board. FPTW64 -DUMPLOCK says:\nHost CPU master: 00 00 0B 0A\n"
                     "ME region master: 00 00 0D 0C\n");
        assert_string_equal(fact(&d, 0, "host-write-me")->value, "Disabled");
        assert_string_equal(fact(&d, 0, "host-read-me")->value, "Disabled");
        assert_string_equal(d.f.access, "locked");
        diag_done(&d);
        /* ifdtool's word, ME region writable (bit 26 with an ME 6-10 layout) */
        diag_str(&d, "ME 8 laptop\nFLMSTR1: 0xffff0000 (Host CPU/BIOS)\n");
        assert_string_equal(fact(&d, 0, "host-write-me")->value, "Enabled");
        assert_string_equal(d.f.access, "writable");
        diag_done(&d);
        /* the layouts disagree: the generation decides, and without one nothing is concluded */
        diag_str(&d, "FLMSTR1: 0x04000000\n");
        assert_null(mefw_diag_post_fact(d.log, "host-write-me", NULL));
        assert_string_equal(d.f.access, "unknown");
        diag_done(&d);
        diag_str(&d, "CSME 11 board\nFLMSTR1: 0x04000000\n");
        assert_string_equal(fact(&d, 0, "host-write-me")->value, "Disabled");
        diag_done(&d);
        diag_str(&d, "ME 9 board\nFLMSTR1: 0x04000000\n");
        assert_string_equal(fact(&d, 0, "host-write-me")->value, "Enabled");
        diag_done(&d);
        /* not a master line: three bytes, or words */
        diag_str(&d, "Host CPU master: 00 0B 0A\nBIOS master is locked, I think\n");
        assert_null(mefw_diag_post_fact(d.log, "host-write-me", NULL));
        diag_done(&d);
}

/* The board maker's own way back is named when the post names the maker; otherwise a general
 * wording, never an empty placeholder. */
static void test_maker_recovery(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "My Intel NUC5PPYB: the BIOS update failed when it came to the ME firmware.\n");
        assert_true(d.f.has_verdict);
        const mefw_finding *v = &d.f.items[0];
        assert_string_equal(v->cause, "update-aborted");
        assert_string_equal(v->steps[0].id, "bios-recovery");
        assert_non_null(strstr(v->steps[0].text, "NUC"));
        assert_non_null(strstr(v->source, "Intel support, BIOS recovery"));
        diag_done(&d);
        /* another maker's post: the general wording, no braces left */
        diag_str(&d, "After the BIOS update my board does not POST anymore.\n");
        for (size_t i = 0; i < d.f.n; i++)
                for (size_t k = 0; k < d.f.items[i].n_steps; k++)
                        assert_null(strchr(d.f.items[i].steps[k].text, '{'));
        diag_done(&d);
}

/* What lib/update's policy says of moving the post's machine to 'version' (ME). */
static void policy_for_post(const diag *d, const uint16_t version[4], mefw_update_check *ret) {
        mefw_update_current cur;
        assert_int_equal(mefw_diag_update_current(d->log, -1, NULL, &cur), 0);
        mefw_firmware fw = { .family = "ME", .has_version = true };
        memcpy(fw.version, version, sizeof fw.version);
        assert_int_equal(mefw_update_check_firmware(&cur, &fw, ret), 0);
}

/* One policy: the versions a post names are judged by lib/update's rules, the very ones
 * check-update applies, and the verdict follows from the rule that fails. */
static void test_one_update_policy(void **state) {
        (void) state;
        static const char running[] = "Intel(R) MEInfo Version: 9.1.10.1000\nFW Version: 9.1.37.1002 H\n";
        diag d = {};
        mefw_update_check chk;
        char text[256];
        snprintf(text, sizeof text, "%sI want to go back to 9.0.31.1487 but the update is refused.\n", running);
        diag_str(&d, text);
        policy_for_post(&d, (uint16_t[4]) { 9, 0, 31, 1487 }, &chk);
        assert_int_equal(chk.verdict, MEFW_VERDICT_NEEDS_REFLASH);
        assert_int_equal(mefw_update_rule(&chk, "branch")->result, MEFW_RULE_FAIL);
        assert_true(d.f.has_verdict);
        assert_string_equal(d.f.items[0].cause, "branch-one-way");
        diag_done(&d);

        /* the same machine going up within its branch: the policy allows it, no refusal is named */
        snprintf(text, sizeof text, "%sI want to update to 9.1.45.3000.\n", running);
        diag_str(&d, text);
        policy_for_post(&d, (uint16_t[4]) { 9, 1, 45, 3000 }, &chk);
        assert_int_equal(mefw_update_rule(&chk, "branch")->result, MEFW_RULE_PASS);
        assert_int_equal(mefw_update_rule(&chk, "version")->result, MEFW_RULE_PASS);
        for (size_t i = 0; i < d.f.n; i++)
                assert_true(!d.f.items[i].cause || (strcmp(d.f.items[i].cause, "branch-one-way") != 0 &&
                                                    strcmp(d.f.items[i].cause, "downgrade-refused") != 0));
        diag_done(&d);
}

/* A normal state is said to be normal: nothing to repair, exit 0 material. */
static void test_normal_states(void **state) {
        (void) state;
        diag d = {};
        diag_str(&d, "I ran me_cleaner on my X230 with coreboot. Is it normal that there is no mei device now?\n"
                     "[    1.5] mei_me 0000:00:16.0: init hw failure.\n");
        assert_non_null(finding(&d, "me-off-on-purpose"));
        for (size_t i = 0; i < d.f.n; i++) {
                assert_true(d.f.items[i].severity <= MEFW_FINDING_INFO);
                for (size_t k = 0; k < d.f.items[i].n_remedy; k++)
                        assert_null(strstr(d.f.items[i].remedy[k], "rewrite"));
        }
        diag_done(&d);
}

static void test_binary_junk(void **state) {
        (void) state;
        size_t n = 1 << 20;
        char *junk = malloc(n);
        assert_non_null(junk);
        uint32_t x = 12345;
        for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                junk[i] = (char) (x >> 16);
        }
        diag d = {};
        diag_text(&d, junk, n);
        diag_done(&d);
        /* An empty input: nothing read, said so. */
        diag_text(&d, "", 0);
        assert_non_null(finding(&d, "nothing-read"));
        assert_int_equal(d.log->messages.count, 1);
        diag_done(&d);
        free(junk);
}

/* Several inputs: the same machine joined across files; lines point into the right file. */
static void test_several_inputs(void **state) {
        (void) state;
        mefw_diag_log *log = NULL;
        assert_int_equal(mefw_diag_log_new(&log), 0);
        static const char a[] = ME9_MEINFO ME9_FW "Phase: FWUpdate\n";
        static const char b[] = "Intel (R) Firmware Update Utility Version: 9.1.45.3000\n"
                                "Error 8707: Firmware update failed due to an internal error\n";
        assert_int_equal(mefw_diag_read_text(log, a, sizeof a - 1, "meinfo.txt"), 0);
        assert_int_equal(mefw_diag_read_text(log, b, sizeof b - 1, "fwupd.txt"), 0);
        assert_int_equal(log->n_machines, 1);
        assert_int_equal(log->n_inputs, 2);
        mefw_findings f = {};
        assert_int_equal(mefw_diag_reason(log, mefw_kb_builtin(), &f), 0);
        bool branch = false;
        for (size_t i = 0; i < f.n; i++)
                if (strcmp(f.items[i].id, "fwu-8707") == 0) {
                        assert_int_equal(f.items[i].evidence[0].at.input, 1);
                        assert_int_equal(f.items[i].evidence[0].at.line, 2);
                } else if (strcmp(f.items[i].id, "tool-branch") == 0) {
                        branch = true;
                }
        assert_true(branch);
        mefw_findings_clear(&f);
        mefw_diag_log_free(log);
}

/* This machine's state, as 'mefw status' reads it live, becomes a machine of its own. */
static void test_live_machine(void **state) {
        (void) state;
        static const uint32_t regs[2] = { 0x1E000242, 0x69000000 }; /* ME 9 in recovery */
        mefw_generation g = { "ME", 9 };
        mefw_status *s = NULL;
        assert_int_equal(mefw_status_decode(regs, 2, &g, &s), 0);
        s->code = (mefw_fw_version){ .set = true, .major = 9, .minor = 0, .hotfix = 20, .build = 1447 };
        mefw_diag_log *log = NULL;
        assert_int_equal(mefw_diag_log_new(&log), 0);
        assert_int_equal(mefw_diag_add_live(log, s), 0);
        mefw_status_free(s);
        assert_int_equal(log->n_machines, 1);
        const mefw_diag_machine *m = &log->machines[0];
        assert_true(m->live);
        assert_true(m->has_firmware);
        assert_int_equal(m->firmware[3], 1447);
        assert_non_null(m->status);
        assert_int_equal(m->status->hfsts[0], 0x1E000242);
        assert_string_equal(log->inputs[0].kind, "live");
        mefw_findings f = {};
        assert_int_equal(mefw_diag_reason(log, mefw_kb_builtin(), &f), 0);
        /* Recovery, read live: the state rule reports it, with the live registers as evidence. */
        bool me_state = false;
        for (size_t i = 0; i < f.n; i++)
                if (strcmp(f.items[i].id, "me-state") == 0) {
                        me_state = true;
                        assert_non_null(strstr(f.items[i].evidence[0].text, "0x1E000242"));
                        assert_non_null(strstr(f.items[i].explanation, "Recovery"));
                }
        assert_true(me_state);
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_diag_write_json(log, &f, &j);
        assert_true(mefw_json_ok(&j));
        assert_non_null(strstr(j.data, "\"live\":true"));
        mefw_json_free(&j);
        mefw_findings_clear(&f);
        mefw_diag_log_free(log);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kb_builtin),
                cmocka_unit_test(test_kb_parse_rejects),
                cmocka_unit_test(test_kb_every_entry_matches),
                cmocka_unit_test(test_every_rule_fires),
                cmocka_unit_test(test_ranking),
                cmocka_unit_test(test_seed_001),
                cmocka_unit_test(test_seed_002),
                cmocka_unit_test(test_real_fpt),
                cmocka_unit_test(test_real_fwupdate),
                cmocka_unit_test(test_real_meinfo),
                cmocka_unit_test(test_real_mea_hwinfo),
                cmocka_unit_test(test_real_linux),
                cmocka_unit_test(test_real_post_windows),
                cmocka_unit_test(test_forum_damage),
                cmocka_unit_test(test_repeats_and_caps),
                cmocka_unit_test(test_image_match_then_many_mismatches),
                cmocka_unit_test(test_word_tables_parse),
                cmocka_unit_test(test_person_words),
                cmocka_unit_test(test_normal_states),
                cmocka_unit_test(test_hap_on_purpose),
                cmocka_unit_test(test_dumplock_access),
                cmocka_unit_test(test_override_in_place),
                cmocka_unit_test(test_programmer_on_its_way),
                cmocka_unit_test(test_update_offered_again),
                cmocka_unit_test(test_all_ones_registers),
                cmocka_unit_test(test_hsi_manufacturing_mode),
                cmocka_unit_test(test_image_mismatch_by_policy),
                cmocka_unit_test(test_markdown_quoted_lines),
                cmocka_unit_test(test_maker_recovery),
                cmocka_unit_test(test_public_sources),
                cmocka_unit_test(test_one_update_policy),
                cmocka_unit_test(test_binary_junk),
                cmocka_unit_test(test_several_inputs),
                cmocka_unit_test(test_live_machine),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
