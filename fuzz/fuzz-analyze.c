/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The whole analysis of arbitrary bytes, then the JSON report, which must always be valid. */
#include "fuzz.h"
#include "mefw/mefw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_report *r = NULL;

        if (mefw_analyze_buffer(data, size, "fuzz-input", &r) < 0)
                return 0;
        FUZZ_CHECK(r);
        FUZZ_CHECK(r->file_size == size);
        FUZZ_CHECK(r->messages.count <= MEFW_MESSAGES_MAX);
        (void) mefw_report_has_error(r);

        mefw_json j;
        mefw_json_init(&j, size & 1); /* both layouts, chosen by the input */
        mefw_report_write_json(r, &j);
        FUZZ_CHECK(mefw_json_ok(&j));
        mefw_json_free(&j);

        mefw_report_free(r);
        return 0;
}
