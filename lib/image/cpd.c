/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code partition directories ($CPD): the file list of a CSE code partition. R1 directories
 * (CSME 11-15, CSTXE, CSSPS) carry an 8-bit checksum, R2 (CSME 16+) a CRC-32. Entries point at
 * manifests (.man), module metadata (.met), modules and data files, relative to the tag.
 */
#include "core/crc.h"
#include "internal.h"

#define CPD_R1_HEADER 0x10u
#define CPD_R2_HEADER 0x14u

bool mefw_cpd_looks_valid(const mefw_view *v, size_t off) {
        struct cpd_header h;
        if (cpd_header_read(v, off, &h) < 0 || memcmp(h.tag, "$CPD", 4) != 0)
                return false;
        if (h.entry_version != 1 || h.count == 0 || h.count > MEFW_CPD_MAX_ENTRIES)
                return false;
        return (h.header_version == 1 && h.header_length == CPD_R1_HEADER) ||
               (h.header_version == 2 && h.header_length == CPD_R2_HEADER);
}

/* R1: the bytes of header and entries add up to zero, the checksum byte counted as zero
 * and then subtracted, i.e. checksum = -(sum of everything else). */
static uint32_t r1_checksum(const uint8_t *p, size_t len) {
        uint8_t sum = 0;
        for (size_t i = 0; i < len; i++)
                if (i != 0x0B)
                        sum = (uint8_t) (sum + p[i]);
        return (uint8_t) (0x100 - sum);
}

int mefw_cpd_parse(mefw_ctx *ctx, const mefw_view *v, size_t off, mefw_cpd *ret) {
        struct cpd_header h;
        if (!mefw_cpd_looks_valid(v, off) || cpd_header_read(v, off, &h) < 0)
                return -EBADMSG;
        mefw_cpd c = {
                .offset = off,
                .header_version = h.header_version,
                .header_length = h.header_length,
        };
        mefw_printable_name(h.name, 4, c.name, sizeof c.name);

        size_t table_len = c.header_length + (size_t) h.count * cpd_entry_SIZE;
        if (!mefw_view_has(v, off, table_len)) {
                ctx_msg(ctx, MEFW_ERROR, "cpd-truncated", mefw_view_abs(v, off),
                        "the code partition directory of %s lists %u files but is cut short", c.name, h.count);
                return -EBADMSG;
        }
        const uint8_t *p = v->data + off;
        if (c.header_version == 1) {
                c.checksum_stored = h.checksum;
                c.checksum_expected = r1_checksum(p, table_len);
                c.header_only_ok = h.checksum == r1_checksum(p, CPD_R1_HEADER);
        } else {
                c.checksum_stored = mefw_le32(p + 0x10);
                c.checksum_expected = mefw_crc32_without_field(p, table_len, 0x10);
        }
        c.checksum_ok = c.checksum_stored == c.checksum_expected;

        c.entries = calloc(h.count, sizeof *c.entries);
        if (!c.entries)
                return -ENOMEM;
        for (uint32_t i = 0; i < h.count; i++) {
                struct cpd_entry e;
                size_t at = off + c.header_length + (size_t) i * cpd_entry_SIZE;
                if (cpd_entry_read(v, at, &e) < 0)
                        break;
                mefw_cpd_entry *d = &c.entries[c.n_entries];
                mefw_printable_name(e.name, sizeof e.name, d->name, sizeof d->name);
                d->offset = CPD_OFFSET(e.offset_flags);
                d->size = e.size;
                d->huffman = CPD_HUFFMAN(e.offset_flags);
                d->entry_offset = at;
                c.n_entries++;
        }
        *ret = c;
        return 0;
}

void mefw_cpd_done(mefw_cpd *c) {
        free(c->entries);
        c->entries = NULL;
        c->n_entries = 0;
}

const mefw_cpd_entry *mefw_cpd_find(const mefw_cpd *c, const char *name) {
        for (size_t i = 0; i < c->n_entries; i++)
                if (strcmp(c->entries[i].name, name) == 0)
                        return &c->entries[i];
        return NULL;
}

bool mefw_cpd_entry_in(const mefw_cpd *c, const mefw_cpd_entry *e, const mefw_view *v) {
        uint64_t start = (uint64_t) c->offset + e->offset;
        return start <= v->size && e->size <= v->size - start;
}
