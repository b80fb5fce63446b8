/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw status on arbitrary bytes: the same input is read as a pasted log (register reader, then
 * the decode of every set found), as MKHI and AMTHI answers, and as raw registers decoded for
 * every generation. Every field must have a value, every document must be valid JSON. First the
 * bytes go through the text decoder the log readers share (UTF-16, Windows-1252 to UTF-8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mefw/status.h"

static void check_status(const mefw_status *s) {
        FUZZ_CHECK(s->n_hfsts >= 1 && s->n_hfsts <= MEFW_HFSTS_MAX);
        FUZZ_CHECK(s->n_fields <= MEFW_STATUS_FIELDS_MAX);
        FUZZ_CHECK(s->n_checks <= MEFW_STATUS_CHECKS_MAX);
        for (size_t i = 0; i < s->n_fields; i++) {
                FUZZ_CHECK(s->fields[i].value && s->fields[i].value[0]);
                FUZZ_CHECK(s->fields[i].reg >= 1 && s->fields[i].reg <= s->n_hfsts);
        }
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_status_write_json(s, &j);
        FUZZ_CHECK(mefw_json_ok(&j));
        mefw_json_free(&j);
}

static void as_log(const uint8_t *data, size_t size) {
        mefw_log_registers *lr = calloc(1, sizeof *lr);
        if (!lr)
                return;
        if (mefw_status_log_scan((const char *) data, size, lr) == 0) {
                FUZZ_CHECK(lr->n_sets <= MEFW_LOG_REGSETS_MAX);
                for (size_t i = 0; i < lr->n_sets; i++) {
                        const mefw_log_regset *set = &lr->sets[i];
                        FUZZ_CHECK(set->n_hfsts >= 1 && set->n_hfsts <= MEFW_HFSTS_MAX);
                        for (unsigned r = 0; r < set->n_hfsts; r++)
                                FUZZ_CHECK(set->line[r] >= 1 && set->line[r] <= lr->n_lines);
                        mefw_status *s = NULL;
                        if (mefw_status_from_regset(set, NULL, &s) == 0) {
                                check_status(s);
                                mefw_status_free(s);
                        }
                }
        }
        free(lr);
}

static void as_answers(const uint8_t *data, size_t size) {
        mefw_fw_version v[3];
        if (mefw_mkhi_parse_fw_version(data, size, v) == 0)
                FUZZ_CHECK(v[0].set);
        uint32_t rule = size >= 8 ? (uint32_t) data[4] | (uint32_t) data[5] << 8 : 0, value;
        (void) mefw_mkhi_parse_rule(data, size, rule, &value);
        mefw_status *s = mefw_status_new();
        if (!s)
                return;
        if (mefw_amthi_parse_code_versions(data, size, s) == 0) {
                FUZZ_CHECK(s->n_amt <= MEFW_AMT_VERSIONS_MAX);
                for (size_t i = 0; i < s->n_amt; i++)
                        FUZZ_CHECK(strlen(s->amt[i].name) < sizeof s->amt[i].name);
        }
        mefw_status_free(s);
}

static void as_registers(const uint8_t *data, size_t size) {
        static const char *const gens[] = { NULL, "5", "6", "9", "10", "txe1", "txe3", "11", "12", "16", "18", "sps3", "sps4" };
        if (size < 5)
                return;
        uint32_t regs[MEFW_HFSTS_MAX] = {};
        size_t n = 1 + data[0] % MEFW_HFSTS_MAX;
        for (size_t i = 0; i < n && 1 + 4 * i + 4 <= size; i++)
                regs[i] = (uint32_t) data[1 + 4 * i] | (uint32_t) data[2 + 4 * i] << 8 |
                          (uint32_t) data[3 + 4 * i] << 16 | (uint32_t) data[4 + 4 * i] << 24; /* little-endian, as dumped */
        for (size_t g = 0; g < sizeof gens / sizeof gens[0]; g++) {
                mefw_generation gen = {};
                if (gens[g])
                        FUZZ_CHECK(mefw_generation_parse(gens[g], &gen) == 0);
                mefw_status *s = NULL;
                if (mefw_status_decode(regs, n, gens[g] ? &gen : NULL, &s) == 0) {
                        s->capabilities = (mefw_opt_u32){ true, regs[0] };
                        s->platform_type = (mefw_opt_u32){ true, regs[n - 1] };
                        check_status(s);
                        mefw_status_free(s);
                }
        }
        /* And the generation parser on the bytes as text. */
        char text[32];
        size_t t = size < sizeof text - 1 ? size : sizeof text - 1;
        memcpy(text, data, t);
        text[t] = 0;
        mefw_generation gen;
        if (mefw_generation_parse(text, &gen) == 0)
                FUZZ_CHECK(gen.family && gen.major > 0);
}

/* The text decoder every log reader uses: what it makes is UTF-8, so a second pass keeps it. */
static void as_text(const uint8_t *data, size_t size) {
        char *utf8 = NULL;
        size_t n = 0;
        int r = mefw_text_utf8((const char *) data, size, &utf8, &n);
        FUZZ_CHECK(r >= 0 || r == -ENOMEM || r == -E2BIG);
        if (r == 1 && !memchr(utf8, 0, n)) { /* NULs could make it look like UTF-16 again */
                char *again = NULL;
                size_t m = 0;
                FUZZ_CHECK(mefw_text_utf8(utf8, n, &again, &m) == 0 && again == NULL && m == n);
        } else if (r == 0)
                FUZZ_CHECK(utf8 == NULL && n == size);
        free(utf8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        as_text(data, size);
        as_log(data, size);
        as_answers(data, size);
        as_registers(data, size);
        return 0;
}
