/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * $FPT parsing: checksum (right, wrong, 0x20 and 0x30 byte spans), entries out of bounds,
 * overlaps, absurd entry counts (without huge allocations), tables cut short, virtual and
 * invalid entries, and which partitions hold data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

#include "image/internal.h"
#include "synth.h"

typedef struct {
        mefw_report *report;
        mefw_ctx ctx;
        mefw_view region;
} fixture;

static void fx_init(fixture *fx, const uint8_t *data, size_t size, uint64_t base) {
        fx->report = calloc(1, sizeof *fx->report);
        assert_non_null(fx->report);
        fx->region = mefw_view_make(data, size, base);
        fx->ctx = (mefw_ctx){ .file = fx->region, .report = fx->report };
}

static void fx_done(fixture *fx) {
        mefw_report_free(fx->report);
        fx->report = NULL;
}

static size_t count_code(const mefw_report *r, const char *code) {
        size_t n = 0;
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, code) == 0)
                        n++;
        return n;
}

static const mefw_message *find_code(const mefw_report *r, const char *code) {
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, code) == 0)
                        return &r->messages.items[i];
        return NULL;
}

static uint8_t *entry_at(uint8_t *region, size_t i) {
        return region + 0x30 + i * 0x20;
}

/* The checksum computed here, independently of the library. */
static uint8_t expected_checksum(const uint8_t *region, size_t start, size_t len, size_t cks_pos) {
        unsigned sum = 0;
        for (size_t i = start; i < start + len; i++)
                if (i != cks_pos)
                        sum += region[i];
        return (uint8_t) (0x100 - (sum & 0xFF));
}

/* Bytes currently allocated from the heap (0 where unknown, e.g. under a sanitizer). */
static size_t heap_in_use(void) {
#ifdef HAVE_MALLINFO2
        struct mallinfo2 mi = mallinfo2();
        return mi.uordblks + mi.hblkhd; /* small blocks and mmap()ed ones */
#else
        return 0;
#endif
}

static const uint8_t data16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void test_basic_and_checksum_ok(void **state) {
        (void) state;
        const synth_fpt_part parts[] = {
                { "FTPR", 0x1000, 0x1000, 0, data16, sizeof data16 },
                { "NVCL", 0xFFFFFFFF, 0x8000, 2, NULL, 0 },
                { "EFFS", 0x2000, 0x1000, 4, NULL, 0 },
        };
        uint8_t *r = synth_region(parts, 3, 0x4000);
        assert_non_null(r);
        fixture fx;
        fx_init(&fx, r, 0x4000, 0x1000);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.offset, 0x10);
        assert_int_equal(f.start, 0);
        assert_memory_equal(f.header.tag, "$FPT", 4);
        assert_int_equal(f.header.num_entries, 3);
        assert_int_equal(f.header.header_version, 0x20);
        assert_int_equal(f.header.header_length, 0x30);
        assert_true(f.checksum_ok);
        assert_int_equal(f.checksum_expected, r[0x1B]);
        assert_int_equal(f.checksum_expected, expected_checksum(r, 0, 0x30, 0x1B));
        /* all 0x30 bytes sum to zero */
        unsigned sum = 0;
        for (size_t i = 0; i < 0x30; i++)
                sum += r[i];
        assert_int_equal(sum & 0xFF, 0);

        assert_int_equal(f.n_entries, 3);
        const mefw_fpt_entry *e = &f.entries[0];
        assert_string_equal(e->name, "FTPR");
        assert_memory_equal(e->raw_name, "FTPR", 4);
        assert_string_equal(e->owner, ""); /* 0xFFFFFFFF owner: none */
        assert_int_equal(e->offset, 0x1000);
        assert_int_equal(e->size, 0x1000);
        assert_int_equal(e->flags, 0);
        assert_false(e->is_virtual);
        assert_false(e->invalid);
        assert_true(e->in_bounds);
        assert_true(e->used);
        assert_int_equal(e->span, 0x1000);

        e = &f.entries[1];
        assert_string_equal(e->name, "NVCL");
        assert_true(e->is_virtual);
        assert_false(e->in_bounds);
        assert_false(e->used);
        assert_int_equal(e->span, 0);
        assert_int_equal(e->flags & 0x7F, 2);

        e = &f.entries[2];
        assert_string_equal(e->name, "EFFS");
        assert_true(e->in_bounds);
        assert_false(e->used); /* all 0xFF */
        assert_int_equal(e->span, 0x1000);

        assert_ptr_equal(mefw_fpt_find(&f, "EFFS"), &f.entries[2]);
        assert_null(mefw_fpt_find(&f, "FOVD"));
        assert_int_equal(fx.report->messages.count, 0);

        mefw_fpt_done(&f);
        assert_null(f.entries);
        assert_int_equal(f.n_entries, 0);
        fx_done(&fx);
        free(r);
}

static void test_checksum_wrong(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "FTPR", 0x1000, 0x1000, 0, data16, sizeof data16 } };
        uint8_t *r = synth_region(parts, 1, 0x2000);
        uint8_t good = r[0x1B];
        r[0x1B] = (uint8_t) (good + 5);
        fixture fx;
        fx_init(&fx, r, 0x2000, 0);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_false(f.checksum_ok);
        assert_int_equal(f.checksum_expected, good);
        assert_int_equal(f.header.checksum, (uint8_t) (good + 5));
        mefw_fpt_done(&f);

        /* a byte of the ROM-bypass vector is covered by the 0x30-byte span */
        r[0x1B] = good;
        r[0x05] ^= 0x40;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_false(f.checksum_ok);
        assert_int_equal(f.checksum_expected, (uint8_t) (good - 0x40));
        mefw_fpt_done(&f);

        /* so is the last header byte (0x3F); the first entry (0x40) is not */
        r[0x05] ^= 0x40;
        r[0x2F] ^= 0x01;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_false(f.checksum_ok);
        mefw_fpt_done(&f);
        r[0x2F] ^= 0x01;
        r[0x30 + 0x10] ^= 0x01;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_true(f.checksum_ok);
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_checksum_span_0x20(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "FTPR", 0x1000, 0x1000, 0, NULL, 0 } };
        uint8_t *r = synth_region(parts, 1, 0x2000);
        r[0x10 + 0x0A] = 0x20;
        r[0x10 + 0x0B] = expected_checksum(r, 0x10, 0x20, 0x1B);
        memset(r, 0x5A, 0x10); /* vector bytes: outside a 0x20-byte span */
        fixture fx;
        fx_init(&fx, r, 0x2000, 0);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.header.header_length, 0x20);
        assert_true(f.checksum_ok);
        assert_int_equal(f.checksum_expected, expected_checksum(r, 0x10, 0x20, 0x1B));
        mefw_fpt_done(&f);

        r[0x05] ^= 0xFF;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_true(f.checksum_ok);
        mefw_fpt_done(&f);

        /* a header byte inside the span does count */
        r[0x10 + 0x0C] ^= 0x01;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_false(f.checksum_ok);
        assert_int_equal(f.checksum_expected, expected_checksum(r, 0x10, 0x20, 0x1B));
        mefw_fpt_done(&f);
        assert_int_equal(count_code(fx.report, "fpt-checksum-span"), 0);
        fx_done(&fx);
        free(r);
}

static void test_table_at_zero(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "FTPR", 0x1000, 0x800, 0, data16, sizeof data16 } };
        uint8_t *r = synth_region(parts, 1, 0x2000);
        /* no vector: the table starts the region, entry offsets are relative to the tag */
        memmove(r, r + 0x10, 0x40);
        memset(r + 0x40, 0xFF, 0x10);
        memcpy(r + 0x1000, data16, sizeof data16); /* unchanged: the data stays at 0x1000 */
        fixture fx;
        fx_init(&fx, r, 0x2000, 0x40000);
        mefw_fpt f;

        /* header length 0x30 needs 16 bytes before the tag: no such span, warn, do not fail */
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0, &f), 0);
        assert_int_equal(f.start, 0);
        assert_true(f.checksum_ok);
        const mefw_message *m = find_code(fx.report, "fpt-checksum-span");
        assert_non_null(m);
        assert_int_equal(m->severity, MEFW_WARNING);
        assert_int_equal(m->offset, 0x40000);
        assert_int_equal(f.n_entries, 1);
        assert_true(f.entries[0].used);
        assert_true(f.entries[0].in_bounds);
        mefw_fpt_done(&f);

        /* with a 0x20 span the checksum is checked from the tag */
        r[0x0A] = 0x20;
        r[0x0B] = expected_checksum(r, 0, 0x20, 0x0B);
        mefw_messages_clear(&fx.report->messages);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0, &f), 0);
        assert_true(f.checksum_ok);
        assert_int_equal(fx.report->messages.count, 0);
        mefw_fpt_done(&f);
        r[0x0B]++;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0, &f), 0);
        assert_false(f.checksum_ok);
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_out_of_bounds(void **state) {
        (void) state;
        const synth_fpt_part parts[] = {
                { "FTPR", 0x1000, 0x2000, 0, data16, sizeof data16 }, /* runs 0x1000 past the end */
                { "NFTP", 0x3000, 0x100, 0, NULL, 0 },                 /* starts past the end */
                { "MDMV", 0x1F00, 0x100, 0, NULL, 0 },                 /* ends exactly at the end */
                { "FOVD", 0x1F00, 0x101, 0, NULL, 0 },                 /* one byte too far */
        };
        uint8_t *r = synth_region(parts, 4, 0x2000);
        fixture fx;
        fx_init(&fx, r, 0x2000, 0x5000);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, 4);

        assert_false(f.entries[0].in_bounds);
        assert_int_equal(f.entries[0].span, 0x1000); /* the part that is present */
        assert_true(f.entries[0].used);
        assert_false(f.entries[1].in_bounds);
        assert_int_equal(f.entries[1].span, 0);
        assert_false(f.entries[1].used);
        assert_true(f.entries[2].in_bounds);
        assert_int_equal(f.entries[2].span, 0x100);
        assert_false(f.entries[3].in_bounds);
        assert_int_equal(f.entries[3].span, 0x100);

        /* FTPR holds data (no manifest: not a code partition me_cleaner could have shrunk) up to the
         * end of the file, and NFTP starts past it: the file was cut short, one error for the file.
         * FOVD's present part is erased: that alone could be either, a warning. */
        assert_true(f.entries[0].cut);
        assert_false(f.entries[1].cut);
        assert_false(f.entries[3].cut);
        assert_int_equal(count_code(fx.report, "image-truncated"), 1);
        const mefw_message *m = find_code(fx.report, "image-truncated");
        assert_int_equal(m->severity, MEFW_ERROR);
        assert_int_equal(m->offset, 0x5000 + 0x2000); /* absolute: where the file ends */
        assert_non_null(strstr(m->text, "FTPR"));
        assert_int_equal(count_code(fx.report, "fpt-entry-out-of-bounds"), 1);
        m = find_code(fx.report, "fpt-entry-out-of-bounds");
        assert_int_equal(m->severity, MEFW_WARNING);
        assert_int_equal(m->offset, 0x5000 + 0x1F00); /* absolute */
        assert_non_null(strstr(m->text, "FOVD"));
        /* FTPR's present part really covers MDMV and FOVD; NFTP (nothing present) is not compared */
        assert_int_equal(count_code(fx.report, "fpt-overlap"), 2);
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_overlaps(void **state) {
        (void) state;
        const synth_fpt_part parts[] = {
                { "EFFS", 0x1800, 0x1000, 4, NULL, 0 },
                { "FTPR", 0x1000, 0x1000, 0, NULL, 0 },
                { "NFTP", 0x2800, 0x800, 0, NULL, 0 }, /* adjacent to EFFS: fine */
        };
        uint8_t *r = synth_region(parts, 3, 0x4000);
        fixture fx;
        fx_init(&fx, r, 0x4000, 0x100000);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(count_code(fx.report, "fpt-overlap"), 1);
        const mefw_message *m = find_code(fx.report, "fpt-overlap");
        assert_int_equal(m->severity, MEFW_ERROR);
        assert_int_equal(m->offset, 0x100000 + 0x1800);
        assert_non_null(strstr(m->text, "EFFS"));
        assert_non_null(strstr(m->text, "FTPR"));
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* a partition inside a larger one that an earlier one reached past */
        const synth_fpt_part nested[] = {
                { "BIG1", 0x1000, 0x2000, 0, NULL, 0 },
                { "SMAL", 0x1400, 0x100, 0, NULL, 0 },
                { "LATE", 0x2C00, 0x800, 0, NULL, 0 },
        };
        free(r);
        r = synth_region(nested, 3, 0x4000);
        fx_init(&fx, r, 0x4000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(count_code(fx.report, "fpt-overlap"), 2);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* FTUP deliberately covers others; virtual, empty and invalid entries never overlap */
        const synth_fpt_part exempt[] = {
                { "FTUP", 0x1000, 0x2000, 0, NULL, 0 },
                { "FTPR", 0x1000, 0x1000, 0, NULL, 0 },
                { "NFTP", 0x2000, 0x1000, 0, NULL, 0 },
                { "NVCL", 0xFFFFFFFF, 0x8000, 2, NULL, 0 },
                { "ZERO", 0x1000, 0, 0, NULL, 0 },
                { "INVL", 0x1000, 0x1000, 0, NULL, 0 },
        };
        free(r);
        r = synth_region(exempt, 6, 0x4000);
        synth_put32(entry_at(r, 5) + 0x1C, 0xFF000000);
        synth_region_fix_checksum(r);
        fx_init(&fx, r, 0x4000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, 6);
        assert_int_equal(count_code(fx.report, "fpt-overlap"), 0);
        assert_true(f.checksum_ok);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* an overlap of a single byte counts */
        const synth_fpt_part edge[] = {
                { "FTPR", 0x1000, 0x1001, 0, NULL, 0 },
                { "NFTP", 0x2000, 0x1000, 0, NULL, 0 },
        };
        free(r);
        r = synth_region(edge, 2, 0x4000);
        fx_init(&fx, r, 0x4000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(count_code(fx.report, "fpt-overlap"), 1);
        const mefw_message *one = find_code(fx.report, "fpt-overlap");
        assert_int_equal(one->offset, 0x2000);
        assert_non_null(strstr(one->text, "NFTP"));
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* FTUP and DLMP are exempt even when they start inside another partition */
        const synth_fpt_part starts_inside[] = {
                { "FTPR", 0x1000, 0x1000, 0, NULL, 0 },
                { "FTUP", 0x1800, 0x1800, 0, NULL, 0 },
                { "MDMV", 0x3000, 0x800, 0, NULL, 0 },
                { "DLMP", 0x3400, 0x800, 0, NULL, 0 },
        };
        free(r);
        r = synth_region(starts_inside, 4, 0x4000);
        fx_init(&fx, r, 0x4000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(count_code(fx.report, "fpt-overlap"), 0);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* FTUP spans FTPR and NFTP, which themselves overlap: that overlap is still an error */
        const synth_fpt_part inside[] = {
                { "FTUP", 0x1000, 0x3000, 0, NULL, 0 },
                { "FTPR", 0x1000, 0x1800, 0, NULL, 0 },
                { "NFTP", 0x2000, 0x1000, 0, NULL, 0 },
        };
        free(r);
        r = synth_region(inside, 3, 0x4000);
        fx_init(&fx, r, 0x4000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        size_t n_overlaps = count_code(fx.report, "fpt-overlap");
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
        assert_int_equal(n_overlaps, 1);
}

static void test_too_many_entries(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "FTPR", 0x800, 0x100, 0, NULL, 0 } };
        uint8_t *r = synth_region(parts, 1, 0x1000);
        synth_put32(r + 0x10 + 4, 0xFFFFFFFF);
        synth_region_fix_checksum(r);
        fixture fx;
        fx_init(&fx, r, 0x1000, 0);
        mefw_fpt f;

        size_t heap_before = heap_in_use();
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        size_t heap_after = heap_in_use();
        /* the entry array is sized by what fits, not by the claimed count (4G entries) */
        assert_true(heap_after < heap_before || heap_after - heap_before < 64 * 1024);
        const mefw_message *m = find_code(fx.report, "fpt-too-many-entries");
        assert_non_null(m);
        assert_int_equal(m->severity, MEFW_ERROR);
        assert_int_equal(m->offset, 0x14);
        assert_non_null(strstr(m->text, "4294967295"));
        /* capped at 128, then at what fits: (0x1000 - 0x30) / 0x20 = 126 */
        m = find_code(fx.report, "fpt-truncated");
        assert_non_null(m);
        assert_int_equal(m->offset, 0x30);
        assert_int_equal(f.n_entries, 126);
        assert_int_equal(f.header.num_entries, 0xFFFFFFFFu);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* room for more than 128: only the cap applies */
        free(r);
        r = synth_region(parts, 1, 0x2000);
        synth_put32(r + 0x10 + 4, 0x80000000);
        fx_init(&fx, r, 0x2000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, MEFW_FPT_MAX_ENTRIES);
        assert_int_equal(count_code(fx.report, "fpt-too-many-entries"), 1);
        assert_int_equal(count_code(fx.report, "fpt-truncated"), 0);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* exactly 128: no message */
        synth_put32(r + 0x10 + 4, MEFW_FPT_MAX_ENTRIES);
        fx_init(&fx, r, 0x2000, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, MEFW_FPT_MAX_ENTRIES);
        assert_int_equal(count_code(fx.report, "fpt-too-many-entries"), 0);
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_truncated_table(void **state) {
        (void) state;
        const synth_fpt_part parts[] = {
                { "AAAA", 0x80, 0x10, 0, NULL, 0 },
                { "BBBB", 0x90, 0x10, 0, NULL, 0 },
                { "CCCC", 0xA0, 0x10, 0, NULL, 0 },
        };
        uint8_t *r = synth_region(parts, 3, 0x100);
        synth_put32(r + 0x10 + 4, 10);
        fixture fx;
        fx_init(&fx, r, 0x100, 0);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        const mefw_message *m = find_code(fx.report, "fpt-truncated");
        assert_non_null(m);
        assert_int_equal(m->severity, MEFW_ERROR);
        assert_non_null(strstr(m->text, "claims 10 partitions but only 6 entries fit"));
        assert_int_equal(f.n_entries, 6); /* (0x100 - 0x30) / 0x20 */
        assert_string_equal(f.entries[2].name, "CCCC");
        assert_int_equal(count_code(fx.report, "fpt-too-many-entries"), 0);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* one entry more than fits */
        synth_put32(r + 0x10 + 4, 7);
        fx_init(&fx, r, 0x100, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_non_null(find_code(fx.report, "fpt-truncated"));
        assert_int_equal(f.n_entries, 6);
        mefw_fpt_done(&f);
        fx_done(&fx);
        /* exactly as many as fit */
        synth_put32(r + 0x10 + 4, 6);
        fx_init(&fx, r, 0x100, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_null(find_code(fx.report, "fpt-truncated"));
        assert_int_equal(f.n_entries, 6);
        mefw_fpt_done(&f);
        fx_done(&fx);
        synth_put32(r + 0x10 + 4, 10);

        /* the table ends exactly where the data ends: no entries at all fit */
        fx_init(&fx, r, 0x30, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, 0);
        assert_non_null(find_code(fx.report, "fpt-truncated"));
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* a partial entry does not count */
        fx_init(&fx, r, 0x30 + 0x20 + 0x1F, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, 1);
        mefw_fpt_done(&f);
        fx_done(&fx);

        /* the header itself cut short */
        fx_init(&fx, r, 0x2F, 0);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), -ERANGE);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, SIZE_MAX - 4, &f), -ERANGE);
        fx_done(&fx);
        free(r);
}

static void test_virtual_invalid_used(void **state) {
        (void) state;
        static uint8_t one_byte[1] = { 0x00 };
        const synth_fpt_part parts[] = {
                { "VIR1", 0xFFFFFFFF, 0x1000, 2, NULL, 0 },
                { "VIR0", 0, 0x1000, 2, NULL, 0 },
                { "EMPT", 0x1000, 0x1000, 0, NULL, 0 },       /* 0xFF only */
                { "DATA", 0x2000, 0x1000, 0, one_byte, 1 },   /* one 0x00 byte */
                { "NONE", 0x3000, 0, 0, NULL, 0 },            /* zero size */
                { "REST", 0x3000, 0xFFFFFFFF, 0, NULL, 0 },   /* up to the end of the region */
                { "INVL", 0x2000, 0x1000, 0, NULL, 0 },
                { "DATA", 0x1000, 0x800, 0, NULL, 0 },        /* a second entry of the same name */
        };
        uint8_t *r = synth_region(parts, 8, 0x5000);
        r[0x3FFF] = 0x12; /* data at the end of REST's first 4 KiB */
        synth_put32(entry_at(r, 6) + 0x1C, 0xFF000003);
        memcpy(entry_at(r, 7), "INVL", 4); /* rename the last one: INVL again, valid */
        memcpy(entry_at(r, 2) + 4, "OWN1", 4);
        fixture fx;
        fx_init(&fx, r, 0x5000, 0);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.n_entries, 8);
        for (size_t i = 0; i < 2; i++) {
                assert_true(f.entries[i].is_virtual);
                assert_false(f.entries[i].used);
                assert_false(f.entries[i].in_bounds);
                assert_int_equal(f.entries[i].span, 0);
        }
        assert_false(f.entries[2].is_virtual);
        assert_false(f.entries[2].used);
        assert_true(f.entries[2].in_bounds);
        assert_string_equal(f.entries[2].owner, "OWN1");

        assert_true(f.entries[3].used);

        assert_false(f.entries[4].used);
        assert_int_equal(f.entries[4].span, 0);

        assert_true(f.entries[5].in_bounds);
        assert_true(f.entries[5].used);
        assert_int_equal(f.entries[5].span, 0x2000);

        assert_true(f.entries[6].invalid);
        assert_false(f.entries[6].used);
        assert_false(f.entries[6].in_bounds);
        assert_int_equal(f.entries[6].flags, 0xFF000003u);
        /* find() skips the invalid entry and returns the valid one of the same name */
        assert_ptr_equal(mefw_fpt_find(&f, "INVL"), &f.entries[7]);
        assert_ptr_equal(mefw_fpt_find(&f, "DATA"), &f.entries[3]);

        assert_int_equal(count_code(fx.report, "fpt-entry-out-of-bounds"), 0);
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_v1_table(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "CODE", 0x1000, 0x10, 0, NULL, 0 } };
        uint8_t *r = synth_region(parts, 1, 0x2000);
        r[0x10 + 8] = 0x10;   /* header version 1.0: entries relative to the tag */
        r[0x1010] = 0x00;     /* data at tag + 0x1000 */
        synth_region_fix_checksum(r);
        fixture fx;
        fx_init(&fx, r, 0x2000, 0);
        mefw_fpt f;

        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.start, 0x10);
        assert_true(f.entries[0].used);
        mefw_fpt_done(&f);

        /* the same bytes as a v2.0 table: the partition at 0x1000 is blank */
        r[0x10 + 8] = 0x20;
        synth_region_fix_checksum(r);
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_int_equal(f.start, 0);
        assert_false(f.entries[0].used);
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_binary_names(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "XXXX", 0x1000, 0x100, 0, NULL, 0 } };
        uint8_t *r = synth_region(parts, 1, 0x2000);
        memcpy(entry_at(r, 0), "\xF0\x01\x00\x00", 4);
        memcpy(entry_at(r, 0) + 4, "\x00\x00\x00\x00", 4);
        fixture fx;
        fx_init(&fx, r, 0x2000, 0);
        mefw_fpt f;
        assert_int_equal(mefw_fpt_parse(&fx.ctx, &fx.region, 0x10, &f), 0);
        assert_string_equal(f.entries[0].name, "\\xF0"); /* 5-byte field: one escape fits */
        assert_memory_equal(f.entries[0].raw_name, "\xF0\x01\x00\x00", 4);
        assert_string_equal(f.entries[0].owner, "");
        mefw_fpt_done(&f);
        fx_done(&fx);
        free(r);
}

static void test_looks_valid(void **state) {
        (void) state;
        const synth_fpt_part parts[] = { { "FTPR", 0x1000, 0x100, 0, NULL, 0 } };
        uint8_t *r = synth_region(parts, 1, 0x2000);
        mefw_view v = mefw_view_make(r, 0x2000, 0);

        assert_true(mefw_fpt_looks_valid(&v, 0x10));
        assert_false(mefw_fpt_looks_valid(&v, 0));
        assert_false(mefw_fpt_looks_valid(&v, 0x11));

        synth_put32(r + 0x14, 0);
        assert_false(mefw_fpt_looks_valid(&v, 0x10));
        synth_put32(r + 0x14, MEFW_FPT_MAX_ENTRIES + 1);
        assert_false(mefw_fpt_looks_valid(&v, 0x10));
        synth_put32(r + 0x14, MEFW_FPT_MAX_ENTRIES);
        assert_true(mefw_fpt_looks_valid(&v, 0x10));

        static const uint8_t versions_ok[] = { 0x10, 0x20, 0x21 };
        for (size_t i = 0; i < sizeof versions_ok; i++) {
                r[0x18] = versions_ok[i];
                assert_true(mefw_fpt_looks_valid(&v, 0x10));
        }
        r[0x18] = 0x30;
        assert_false(mefw_fpt_looks_valid(&v, 0x10));
        r[0x18] = 0x20;

        r[0x1A] = 0x20;
        assert_true(mefw_fpt_looks_valid(&v, 0x10));
        r[0x1A] = 0x28;
        assert_false(mefw_fpt_looks_valid(&v, 0x10));
        r[0x1A] = 0x30;

        mefw_view short_v = mefw_view_make(r, 0x2F, 0);
        assert_false(mefw_fpt_looks_valid(&short_v, 0x10));
        r[0x10] = '%';
        assert_false(mefw_fpt_looks_valid(&v, 0x10));
        free(r);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_basic_and_checksum_ok),
                cmocka_unit_test(test_checksum_wrong),
                cmocka_unit_test(test_checksum_span_0x20),
                cmocka_unit_test(test_table_at_zero),
                cmocka_unit_test(test_out_of_bounds),
                cmocka_unit_test(test_overlaps),
                cmocka_unit_test(test_too_many_entries),
                cmocka_unit_test(test_truncated_table),
                cmocka_unit_test(test_virtual_invalid_used),
                cmocka_unit_test(test_v1_table),
                cmocka_unit_test(test_binary_names),
                cmocka_unit_test(test_looks_valid),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
