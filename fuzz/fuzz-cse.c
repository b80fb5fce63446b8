/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CSE structure parsers on arbitrary bytes: the layout table and BPDT at 0, a $CPD at 0 and at
 * the first "$CPD" tag, the extension walker and module-attribute lookup over the whole input,
 * the MFS page reader with every low-level file it lists, and the PCH table lookup in both
 * record formats. Each must stay inside the data and keep its invariants.
 */
#include <stdlib.h>
#include <string.h>

#include "image/cse.h"
#include "fuzz.h"
#include "image/mfs.h"

static void cpd_at(mefw_ctx *ctx, const mefw_view *v, size_t off) {
        mefw_cpd c;
        if (mefw_cpd_parse(ctx, v, off, &c) < 0)
                return;
        FUZZ_CHECK(c.n_entries <= MEFW_CPD_MAX_ENTRIES);
        for (size_t i = 0; i < c.n_entries; i++) {
                FUZZ_CHECK(strlen(c.entries[i].name) < sizeof c.entries[i].name);
                if (mefw_cpd_entry_in(&c, &c.entries[i], v))
                        FUZZ_CHECK((uint64_t) c.offset + c.entries[i].offset + c.entries[i].size <= v->size);
                mefw_cse_module_attr a;
                if (mefw_cpd_entry_in(&c, &c.entries[i], v) &&
                    mefw_cse_find_module_attr(v, c.offset + c.entries[i].offset,
                                              c.offset + c.entries[i].offset + c.entries[i].size, 32, &a) == 0)
                        FUZZ_CHECK(a.hash_len == 32 || a.hash_len == 48);
        }
        (void) mefw_cpd_find(&c, "FTPR.man");
        mefw_cpd_done(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_report *report = fuzz_report_new();
        if (!report)
                return 0;
        mefw_ctx ctx = { .file = mefw_view_make(data, size, 0), .report = report };
        const mefw_view *v = &ctx.file;

        mefw_cse_lt lt;
        if (mefw_cse_lt_parse(&ctx, v, &lt) == 0)
                FUZZ_CHECK(lt.n_parts <= sizeof lt.parts / sizeof lt.parts[0]);

        mefw_bpdt *b = calloc(1, sizeof *b);
        if (b && mefw_bpdt_parse(&ctx, v, 0, b) == 0) {
                FUZZ_CHECK(b->n_entries <= MEFW_BPDT_MAX_ENTRIES);
                for (size_t i = 0; i < b->n_entries; i++)
                        FUZZ_CHECK(strlen(b->entries[i].name) < sizeof b->entries[i].name);
        }
        free(b);

        cpd_at(&ctx, v, 0);
        int64_t tag = mefw_view_find(v, 1, "$CPD", 4);
        if (tag > 0)
                cpd_at(&ctx, v, (size_t) tag);

        mefw_cse_exts x;
        mefw_cse_read_extensions(&ctx, v, 0, size, 32, "fuzz", &x);
        FUZZ_CHECK(x.count <= MEFW_CSE_MAX_EXTENSIONS);
        mefw_cse_read_extensions(&ctx, v, 0, size, 48, "fuzz", &x);
        if (x.has_partition_info)
                FUZZ_CHECK(x.partition_hash_len == 48 && x.partition_info_offset < size);

        mefw_mfs m;
        if (mefw_mfs_read(&ctx, v, &m) == 0) {
                for (unsigned i = 0; i < MIN(m.n_files, 64u); i++) {
                        uint8_t *f = NULL;
                        size_t len = 0;
                        if (mefw_mfs_file(&m, i, &f, &len) == 0) {
                                FUZZ_CHECK(len <= (4u << 20));
                                mefw_pch_rules rules = { MEFW_STEP_BY_HEADER, NULL };
                                mefw_pch_entry e[4];
                                size_t n = 0;
                                if (mefw_cfg_find_pch(f, len, 0x1C, &rules, e, 4, &n) == 0)
                                        FUZZ_CHECK(n <= 4);
                                if (mefw_cfg_find_pch(f, len, 0x0C, &rules, e, 4, &n) == 0)
                                        FUZZ_CHECK(n <= 4);
                                free(f);
                        }
                }
                mefw_mfs_done(&m);
        }
        mefw_pch_rules rules = { MEFW_STEP_BITFIELD, NULL };
        mefw_pch_entry e[4];
        size_t n = 0;
        if (mefw_cfg_find_pch(data, size, 0x1C, &rules, e, 4, &n) == 0)
                FUZZ_CHECK(n <= 4);

        FUZZ_CHECK(report->messages.count <= MEFW_MESSAGES_MAX);
        mefw_report_free(report);
        return 0;
}
