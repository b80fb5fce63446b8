/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The whole analysis of arbitrary bytes, then the JSON report, which must always be valid. */
#include <errno.h>
#include <string.h>

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

        /* what unpack would write: safe relative paths, each unique, bytes inside the input */
        mefw_unpack_item *items = NULL;
        size_t n = 0;
        if (mefw_unpack_plan(r, size, &items, &n, NULL) == 0) {
                for (size_t i = 0; i < n; i++) {
                        const char *p = items[i].path;
                        FUZZ_CHECK(p[0] && p[0] != '/' && !strstr(p, "/.") && p[0] != '.');
                        for (const char *c = p; *c; c++)
                                FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                                           (*c >= '0' && *c <= '9') || strchr("._-/", *c));
                        for (size_t k = 0; k < i; k++)
                                FUZZ_CHECK(strcmp(items[k].path, p) != 0);
                        if (i < 8) { /* a few decompressions per input keep the target fast */
                                const uint8_t *bytes;
                                size_t len;
                                uint8_t *owned = NULL;
                                int k = mefw_unpack_item_bytes(&items[i], data, size, &bytes, &len, &owned);
                                FUZZ_CHECK(k == -ENOMEM || k >= 0);
                                if (k >= 0 && !owned)
                                        FUZZ_CHECK(bytes >= data && len <= size - (size_t) (bytes - data));
                                free(owned);
                        }
                }
                free(items);
        }

        mefw_report_free(r);
        return 0;
}
