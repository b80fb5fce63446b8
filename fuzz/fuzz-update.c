/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware database parser and check-update on arbitrary bytes: the input is parsed as a
 * database file (every entry it keeps must be well formed and usable for lookups), then analyzed
 * as an image and judged against two running firmwares, once with the parsed database; the
 * JSON must be valid and an "allowed" verdict must have no failed or unknown rule.
 */
#include <string.h>

#include "fuzz.h"
#include "mefw/diagnose.h"
#include "mefw/update.h"

static void check_db(const mefw_db *db) {
        for (size_t i = 0; i < mefw_db_n_builds(db); i++) {
                const mefw_build *b = mefw_db_build(db, i);
                FUZZ_CHECK(b->family[0] && b->releases != 0);
        }
        for (size_t i = 0; i < mefw_db_n_advisories(db); i++) {
                const mefw_advisory *a = mefw_db_advisory(db, i);
                FUZZ_CHECK(a->id[0] && a->source[0] && a->summary[0]);
                FUZZ_CHECK(mefw_version_cmp((uint16_t[4]) { a->first[0], a->first[1] },
                                            (uint16_t[4]) { a->last[0], a->last[1] }, 2) <= 0);
                FUZZ_CHECK(a->fix != MEFW_FIX_VERSION || (a->fixed_parts >= 2 && a->fixed_parts <= 4));
                mefw_advisory_hit hits[4];
                uint16_t v[4] = { a->first[0], a->first[1], 0, 0 };
                size_t n = mefw_db_advisories_for(db, a->family, v, -1, hits, 4);
                for (size_t k = 0; k < n && k < 4; k++)
                        FUZZ_CHECK(hits[k].advisory != NULL);
        }
        mefw_latest l;
        if (mefw_db_n_builds(db)) {
                const mefw_build *b = mefw_db_build(db, 0);
                if (mefw_db_latest(db, b->family, b->version, b->sku, b->releases, &l) == 0)
                        FUZZ_CHECK(l.branch_known && mefw_version_cmp(l.newest.version, b->version, 2) == 0);
        }
}

static void judge(const mefw_update_current *cur, const mefw_report *r, const mefw_db *db) {
        mefw_update_check c;
        FUZZ_CHECK(mefw_update_check_image(cur, r, "image.bin", db, &c) == 0);
        FUZZ_CHECK(c.n_rules <= MEFW_UPDATE_RULES_MAX && c.n_steps <= MEFW_UPDATE_STEPS_MAX);
        if (c.verdict == MEFW_VERDICT_ALLOWED) {
                FUZZ_CHECK(c.has_tool);
                for (size_t i = 0; i < c.n_rules; i++)
                        FUZZ_CHECK(c.rules[i].result == MEFW_RULE_PASS);
        }
        mefw_json j;
        mefw_json_init(&j, false);
        mefw_update_write_json(cur, r, &c, &j);
        FUZZ_CHECK(mefw_json_ok(&j));
        mefw_json_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_db *db = NULL;
        if (mefw_db_parse((const char *) data, size, &db, NULL) == 0)
                check_db(db);

        mefw_report *r = NULL;
        if (mefw_analyze_buffer(data, size, "fuzz", &r) == 0) {
                mefw_update_current cur;
                mefw_update_current_init(&cur);
                cur.source = "command line";
                snprintf(cur.family, sizeof cur.family, "ME");
                cur.has_version = true;
                memcpy(cur.version, (uint16_t[4]) { 9, 0, 20, 1447 }, sizeof cur.version);
                snprintf(cur.sku, sizeof cur.sku, "1.5MB");
                cur.local_fwupdate = 1;
                judge(&cur, r, NULL);
                /* the same image's own firmware as the running one, with the parsed database */
                if (mefw_update_current_from_report(r, "fuzz", &cur) == 0)
                        judge(&cur, r, db);
                mefw_report_free(r);
        }
        mefw_db_free(db);
        return 0;
}
