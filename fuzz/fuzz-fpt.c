/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * $FPT parsing on arbitrary bytes: at offset 0 (v1.0 / no vector), 0x10 (after the ROM-bypass
 * vector) and at the first "$FPT" tag elsewhere, whether or not the header looks plausible:
 * the parser must cope with any header that fits.
 */
#include <string.h>

#include "fuzz.h"
#include "image/internal.h"

static void parse_at(mefw_ctx *ctx, const mefw_view *region, size_t off) {
        if (!mefw_view_has(region, off, fpt_header_SIZE))
                return;
        (void) mefw_fpt_looks_valid(region, off);

        mefw_fpt f;
        if (mefw_fpt_parse(ctx, region, off, &f) < 0)
                return;

        FUZZ_CHECK(f.offset == off);
        FUZZ_CHECK(f.start <= f.offset);
        FUZZ_CHECK(f.n_entries <= MEFW_FPT_MAX_ENTRIES);
        for (size_t i = 0; i < f.n_entries; i++) {
                const mefw_fpt_entry *e = &f.entries[i];
                FUZZ_CHECK(strlen(e->name) < sizeof e->name);
                if (e->in_bounds)
                        FUZZ_CHECK((uint64_t) f.start + e->offset + e->span <= region->size);
                if (e->used)
                        FUZZ_CHECK(e->span > 0);
        }
        (void) mefw_fpt_find(&f, "FTPR");
        (void) mefw_fpt_find(&f, "\xFF\xFF\xFF\xFF");
        mefw_fpt_done(&f);
        FUZZ_CHECK(!f.entries && f.n_entries == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_report *report = fuzz_report_new();
        if (!report)
                return 0;

        mefw_ctx ctx = { .file = mefw_view_make(data, size, 0), .report = report };

        parse_at(&ctx, &ctx.file, 0);
        parse_at(&ctx, &ctx.file, 0x10);

        int64_t tag = mefw_view_find(&ctx.file, 1, "$FPT", 4);
        if (tag > 0 && tag != 0x10) {
                parse_at(&ctx, &ctx.file, (size_t) tag);
                /* the same table in a view that starts 16 bytes before it, with a file offset */
                if (tag >= 0x10) {
                        mefw_view region;
                        if (mefw_view_sub(&ctx.file, (size_t) tag - 0x10, size - ((size_t) tag - 0x10), &region) == 0)
                                parse_at(&ctx, &region, 0x10);
                }
        }

        FUZZ_CHECK(report->messages.count <= MEFW_MESSAGES_MAX);
        mefw_report_free(report);
        return 0;
}
