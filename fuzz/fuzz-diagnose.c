/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw diagnose on arbitrary bytes: the input is read as a pasted log (twice, as two inputs of
 * one diagnosis, so machines are joined across inputs), reasoned over with the built-in
 * knowledge base, and written as JSON, which must be valid; every finding must be complete and
 * every count within its cap. The same bytes are also parsed as a knowledge base.
 */
#include <string.h>

#include "fuzz.h"
#include "mefw/diagnose.h"

static void check_findings(const mefw_diag_log *log, const mefw_findings *f) {
        for (size_t i = 0; i < f->n; i++) {
                const mefw_finding *x = &f->items[i];
                FUZZ_CHECK(x->id[0] && x->title[0]);
                FUZZ_CHECK(x->n_evidence <= MEFW_FINDING_EVIDENCE_MAX && x->n_remedy <= MEFW_FINDING_REMEDY_MAX);
                FUZZ_CHECK(x->machine < (int) log->n_machines);
                /* the verdict comes first; the findings after it are ranked worst first */
                if (i > (f->has_verdict ? 1u : 0u))
                        FUZZ_CHECK(f->items[i - 1].severity >= x->severity);
                FUZZ_CHECK(x->n_steps <= MEFW_FINDING_STEPS_MAX && x->n_warnings <= MEFW_FINDING_WARNINGS_MAX);
                FUZZ_CHECK((x->cause != NULL) == (f->has_verdict && i == 0));
                for (size_t k = 0; k < x->n_steps; k++)
                        FUZZ_CHECK(x->steps[k].id && x->steps[k].text[0]);
                for (size_t k = 0; k < x->n_warnings; k++)
                        FUZZ_CHECK(mefw_diag_warning_text(x->warnings[k]) != NULL);
        }
        FUZZ_CHECK(f->access && (strcmp(f->access, "unknown") == 0) == (f->access_because == NULL));
        FUZZ_CHECK(log->n_machines <= MEFW_DIAG_MACHINES_MAX && log->n_runs <= MEFW_DIAG_RUNS_MAX);
        for (size_t m = 0; m < log->n_machines; m++)
                FUZZ_CHECK(log->machines[m].n_errors <= MEFW_DIAG_ERRORS_MAX &&
                           log->machines[m].n_facts <= MEFW_DIAG_FACTS_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_diag_log *log = NULL;
        if (mefw_diag_log_new(&log) < 0)
                return 0;
        if (mefw_diag_read_text(log, (const char *) data, size, "a") == 0 &&
            mefw_diag_read_text(log, (const char *) data, size / 2, "b") == 0) {
                mefw_findings f = {};
                if (mefw_diag_reason(log, mefw_kb_builtin(), &f) == 0) {
                        check_findings(log, &f);
                        mefw_json j;
                        mefw_json_init(&j, false);
                        mefw_diag_write_json(log, &f, &j);
                        FUZZ_CHECK(mefw_json_ok(&j));
                        mefw_json_free(&j);
                        mefw_findings_clear(&f);
                }
        }
        mefw_diag_log_free(log);

        mefw_kb *kb = NULL;
        if (mefw_kb_parse((const char *) data, size, &kb) == 0) {
                for (size_t i = 0; i < kb->n_entries; i++)
                        FUZZ_CHECK(kb->entries[i].source && kb->entries[i].n_remedies > 0);
                mefw_kb_free(kb);
        }
        return 0;
}
