/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * $MAN / $MN2 manifests on arbitrary bytes: every plausible header mefw_manifest_find() turns
 * up (bounded, so a buffer full of tags cannot make one input take forever), and offset 0.
 */
#include <string.h>

#include "fuzz.h"
#include "image/internal.h"

#define MAX_HITS 16

static void parse_at(mefw_ctx *ctx, const mefw_view *v, size_t off) {
        mefw_manifest *m = NULL;
        bool plausible = mefw_manifest_at(v, off);

        int r = mefw_manifest_parse(ctx, v, off, &m);
        if (r < 0) {
                /* a header that passes the plausibility test is always parsed */
                FUZZ_CHECK(!plausible || r == -ENOMEM);
                return;
        }
        FUZZ_CHECK(m->offset == off);
        FUZZ_CHECK(m->total_bytes <= v->size - off);
        FUZZ_CHECK(m->n_modules <= MEFW_MANIFEST_MAX_MODULES);
        FUZZ_CHECK(m->n_udc <= MEFW_MANIFEST_MAX_UDC);
        FUZZ_CHECK(strlen(m->partition) < sizeof m->partition);
        for (size_t i = 0; i < m->n_modules; i++)
                FUZZ_CHECK(strlen(m->modules[i].name) < sizeof m->modules[i].name);
        if (m->has_sku)
                FUZZ_CHECK(m->sku_len == 4 || m->sku_len == 8);
        free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_report *report = fuzz_report_new();
        if (!report)
                return 0;

        mefw_ctx ctx = { .file = mefw_view_make(data, size, 0), .report = report };

        size_t from = 0;
        for (unsigned i = 0; i < MAX_HITS; i++) {
                int64_t hit = mefw_manifest_find(&ctx.file, from);
                if (hit < 0)
                        break;
                FUZZ_CHECK((size_t) hit >= from && (size_t) hit < size);
                FUZZ_CHECK(mefw_manifest_at(&ctx.file, (size_t) hit));
                parse_at(&ctx, &ctx.file, (size_t) hit);
                from = (size_t) hit + 1;
        }
        parse_at(&ctx, &ctx.file, 0);

        FUZZ_CHECK(report->messages.count <= MEFW_MESSAGES_MAX);
        mefw_report_free(report);
        return 0;
}
