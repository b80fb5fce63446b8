/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flash Partition Table ($FPT) v1.0 (ME 2), v2.0 (ME 3-10, TXE, SPS, CSME 11-15).
 * A damaged entry is reported with its offset and skipped; the rest is still used.
 */
#include <stdio.h>

#include "core/crc.h"
#include "internal.h"
#include "core/layouts.h"

static bool name_is(const mefw_fpt_entry *e, const char *name) {
        return memcmp(e->raw_name, name, 4) == 0;
}

void mefw_fpt_entry_describe(const mefw_fpt_entry *e, uint64_t abs_base, mefw_partition *ret) {
        *ret = (mefw_partition){
                .type = e->flags & 0x7F,
                .flags = e->flags,
                .offset = abs_base + e->offset,
                .size = e->size,
                .is_virtual = e->is_virtual,
                .used = e->used,
                .in_bounds = e->in_bounds || e->is_virtual || e->size == 0,
                .table = "$FPT",
        };
        snprintf(ret->name, sizeof ret->name, "%s", e->name);
        memcpy(ret->owner, e->owner, sizeof ret->owner);
}

const mefw_fpt_entry *mefw_fpt_find(const mefw_fpt *fpt, const char *name) {
        for (size_t i = 0; i < fpt->n_entries; i++)
                if (name_is(&fpt->entries[i], name) && !fpt->entries[i].invalid)
                        return &fpt->entries[i];
        return NULL;
}

bool mefw_fpt_looks_valid(const mefw_view *v, size_t off) {
        struct fpt_header h;
        if (fpt_header_read(v, off, &h) < 0 || memcmp(h.tag, "$FPT", 4) != 0)
                return false;
        if (h.num_entries == 0 || h.num_entries > MEFW_FPT_MAX_ENTRIES)
                return false;
        if (h.header_version != 0x10 && h.header_version != 0x20 && h.header_version != 0x21)
                return false;
        return h.header_length == 0x20 || h.header_length == 0x30;
}

/*
 * 8-bit checksum: all bytes of the header span sum to zero. The span is HeaderLength bytes;
 * when it is 0x30 (ME 3-10) it starts 16 bytes before the tag, covering the ROM-bypass vector.
 */
static int checksum_span(const mefw_view *region, size_t fpt_off, uint8_t header_length, size_t *ret_start) {
        if (header_length <= 0x20) {
                *ret_start = fpt_off;
                return 0;
        }
        if (fpt_off < 0x10)
                return -ERANGE;
        *ret_start = fpt_off - 0x10;
        return mefw_view_has(region, *ret_start, header_length) ? 0 : -ERANGE;
}

/* v2.1 (CSME 16+): CRC-32 over the header, with the CRC field (0x14) zeroed, and the entries. */
static void check_crc(mefw_fpt *f, const mefw_view *region) {
        size_t len = 0x20 + (size_t) f->header.num_entries * fpt_entry_SIZE;
        if (!mefw_view_has(region, f->offset, len)) {
                f->checksum_ok = true; /* the entry parser reports the cut-short table */
                return;
        }
        uint32_t crc = mefw_crc32_without_field(region->data + f->offset, len, 0x14);
        f->is_crc = true;
        f->checksum_expected = crc;
        f->checksum_stored = f->header.flags;
        f->checksum_ok = crc == f->header.flags;
}

static void check_checksum(mefw_ctx *ctx, const mefw_view *region, mefw_fpt *f) {
        size_t start;
        if (f->header.header_version == 0x21) {
                check_crc(f, region);
                return;
        }
        if (checksum_span(region, f->offset, f->header.header_length, &start) < 0 ||
            !mefw_view_has(region, start, f->header.header_length)) {
                ctx_msg(ctx, MEFW_WARNING, "fpt-checksum-span", mefw_view_abs(region, f->offset),
                        "$FPT header length 0x%X does not fit the region; checksum not checked",
                        f->header.header_length);
                f->checksum_ok = true;
                return;
        }
        size_t cks_pos = f->offset + 0x0B;
        unsigned sum = 0;
        for (size_t i = start; i < start + f->header.header_length; i++)
                if (i != cks_pos)
                        sum += region->data[i];
        uint8_t expected = (uint8_t) (0x100 - (sum & 0xFF));
        f->checksum_expected = expected;
        f->checksum_stored = f->header.checksum;
        f->checksum_ok = expected == f->header.checksum;
}

static void describe_entry(mefw_fpt_entry *e, const struct fpt_entry *raw) {
        memcpy(e->raw_name, raw->name, 4);
        mefw_printable_name(raw->name, 4, e->name, sizeof e->name);
        if (memcmp(raw->owner, "\xFF\xFF\xFF\xFF", 4) != 0 && memcmp(raw->owner, "\0\0\0\0", 4) != 0)
                mefw_printable_name(raw->owner, 4, e->owner, sizeof e->owner);
        e->offset = raw->offset;
        e->size = raw->size;
        e->flags = raw->flags;
        e->invalid = (raw->flags >> 24) == 0xFF;
        e->is_virtual = raw->offset == 0 || raw->offset == 0xFFFFFFFFu;
}

/* Bounds and content of one entry, relative to base (the region start inside the view). */
static void place_entry(const mefw_view *region, size_t base, mefw_fpt_entry *e) {
        if (e->is_virtual || e->invalid || e->size == 0)
                return;
        uint64_t start = (uint64_t) base + e->offset;
        uint64_t avail = start <= region->size ? region->size - start : 0;
        uint64_t span = e->size == 0xFFFFFFFFu ? avail : e->size;
        if (start > region->size || span > avail) {
                e->span = avail;
                e->in_bounds = false;
                e->cut = mefw_data_cut(region, start, span);
        } else {
                e->span = span;
                e->in_bounds = true;
        }
        e->used = e->span > 0 && !mefw_view_all(region, (size_t) start, (size_t) e->span, 0xFF);
}

/* A code partition: its manifest ($MN2/$MAN) or its $CPD directory comes first. */
static bool is_code_partition(const mefw_view *region, size_t base, const mefw_fpt_entry *e) {
        uint64_t start = (uint64_t) base + e->offset;
        return start < region->size &&
               (mefw_manifest_at(region, (size_t) start) || mefw_cpd_looks_valid(region, (size_t) start));
}

/*
 * Entries past the end of the data. The file was cut short when it ends inside a partition's data
 * or before a partition that the table lists; except in the shape me_cleaner leaves on purpose:
 * the table reduced to the boot code partition (FTPR), the file ending inside it after the
 * modules it kept (those are checked one by one). A partition whose present part is erased may
 * be either, and stays a warning.
 */
static void report_bounds(mefw_ctx *ctx, const mefw_view *region, const mefw_fpt *f) {
        size_t outside = 0;
        const mefw_fpt_entry *last = NULL;
        for (size_t i = 0; i < f->n_entries; i++) {
                const mefw_fpt_entry *e = &f->entries[i];
                if (e->is_virtual || e->invalid || e->size == 0 || e->in_bounds)
                        continue;
                outside++;
                last = e;
        }
        bool shrunk_shape = outside == 1 && name_is(last, "FTPR") && is_code_partition(region, f->start, last);
        if (shrunk_shape) /* said once even when the table is read twice: the messages keep no repeats */
                ctx_msg(ctx, MEFW_WARNING, "region-shrunk", mefw_view_abs(region, 0) + region->size,
                        "the engine region was shrunk on purpose (me_cleaner's truncation): its partition table keeps "
                        "only FTPR and the file ends inside it, after the modules that were kept; the firmware runs "
                        "what was kept, and only the original region undoes it");
        for (size_t i = 0; i < f->n_entries; i++) {
                const mefw_fpt_entry *e = &f->entries[i];
                if (e->is_virtual || e->invalid || e->size == 0 || e->in_bounds)
                        continue;
                if (!shrunk_shape && (e->cut || e->span == 0)) {
                        char what[64];
                        snprintf(what, sizeof what, "partition %s", e->name);
                        mefw_report_cut(ctx, mefw_view_abs(region, 0) + region->size, what);
                        continue;
                }
                ctx_msg(ctx, MEFW_WARNING, "fpt-entry-out-of-bounds", mefw_view_abs(region, f->start) + e->offset,
                        "$FPT partition %s (0x%X bytes at region offset 0x%X) lies past the end of the data; the image "
                        "was shrunk (me_cleaner) or is incomplete",
                        e->name, e->size, e->offset);
        }
}

static int cmp_by_offset(const void *a, const void *b) {
        const mefw_fpt_entry *x = *(const mefw_fpt_entry *const *) a, *y = *(const mefw_fpt_entry *const *) b;
        return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Sort the real partitions by offset and report neighbours that overlap. n log n. */
static void check_overlaps(mefw_ctx *ctx, const mefw_view *region, mefw_fpt *f) {
        const mefw_fpt_entry *sorted[MEFW_FPT_MAX_ENTRIES];
        size_t n = 0;
        for (size_t i = 0; i < f->n_entries; i++) {
                const mefw_fpt_entry *e = &f->entries[i];
                if (!e->is_virtual && !e->invalid && e->size != 0 && e->span > 0)
                        sorted[n++] = e;
        }
        qsort(sorted, n, sizeof sorted[0], cmp_by_offset);
        uint64_t reach = 0;
        const mefw_fpt_entry *reacher = NULL;
        for (size_t i = 0; i < n; i++) {
                const mefw_fpt_entry *e = sorted[i];
                /* CSE's FTUP and DLMP deliberately span other partitions: they take no part. */
                if (name_is(e, "FTUP") || name_is(e, "DLMP"))
                        continue;
                if (reacher && e->offset < reach)
                        ctx_msg(ctx, MEFW_ERROR, "fpt-overlap", mefw_view_abs(region, f->start) + e->offset,
                                "$FPT partition %s (0x%X-0x%" PRIX64 ") overlaps with %s (0x%X-0x%" PRIX64 ")",
                                e->name, e->offset, (uint64_t) e->offset + e->span, reacher->name,
                                reacher->offset, reach);
                uint64_t end = (uint64_t) e->offset + e->span;
                if (end > reach) {
                        reach = end;
                        reacher = e;
                }
        }
}

int mefw_fpt_parse(mefw_ctx *ctx, const mefw_view *region, size_t fpt_off, mefw_fpt *ret) {
        mefw_fpt f = { .offset = fpt_off };
        if (fpt_header_read(region, fpt_off, &f.header) < 0)
                return -ERANGE;

        /* v1.0 tables (ME 2) sit at the region start; v2.x entries are relative to the region
         * start 16 bytes before the tag (or the tag itself when there is no vector). */
        f.start = fpt_off >= 0x10 && f.header.header_version != 0x10 ? fpt_off - 0x10 : fpt_off;

        uint32_t n = f.header.num_entries;
        if (n > MEFW_FPT_MAX_ENTRIES) {
                ctx_msg(ctx, MEFW_ERROR, "fpt-too-many-entries", mefw_view_abs(region, fpt_off + 4),
                        "$FPT claims %u partitions; reading only the first %u", n, MEFW_FPT_MAX_ENTRIES);
                n = MEFW_FPT_MAX_ENTRIES;
        }
        size_t entries_off = fpt_off + fpt_header_SIZE;
        size_t fit = mefw_view_has(region, entries_off, 0) ? (region->size - entries_off) / fpt_entry_SIZE : 0;
        if (n > fit) {
                ctx_msg(ctx, MEFW_ERROR, "fpt-truncated", mefw_view_abs(region, entries_off),
                        "$FPT claims %u partitions but only %zu entries fit in the data", n, fit);
                n = (uint32_t) fit;
        }

        check_checksum(ctx, region, &f);

        f.entries = calloc(n ? n : 1, sizeof(f.entries[0]));
        if (!f.entries)
                return -ENOMEM;
        for (uint32_t i = 0; i < n; i++) {
                struct fpt_entry raw;
                if (fpt_entry_read(region, entries_off + (size_t) i * fpt_entry_SIZE, &raw) < 0)
                        break;
                mefw_fpt_entry *e = &f.entries[f.n_entries++];
                describe_entry(e, &raw);
                place_entry(region, f.start, e);
        }
        report_bounds(ctx, region, &f);
        check_overlaps(ctx, region, &f);
        *ret = f;
        return 0;
}

void mefw_fpt_done(mefw_fpt *fpt) {
        free(fpt->entries);
        *fpt = (mefw_fpt){};
}
