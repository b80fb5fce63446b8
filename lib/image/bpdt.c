/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IFWI containers of CSE firmware: the CSE layout table at the start of a CSME 12+ engine region
 * (IFWI 1.6 and 1.7) and boot partition descriptor tables (BPDT), which list the code partitions
 * of a boot partition (CSME 12+) or of a whole IFWI image (CSTXE on Apollo/Gemini Lake, where it
 * lives in the BIOS region).
 */
#include "core/crc.h"
#include <stdio.h>

#include "internal.h"

static const char *const bpdt_names[] = {
        "SMIP", "RBEP", "FTPR", "UCOD", "IBBP", "S-BPDT", "OBBP", "NFTP", "ISHC", "DLMP", "UEPB",
        "UTOK", "UFSP", "UFSG", "PMCP", "IUNP", "NVMC", "UEP",  "WCOD", "LOCL", "OEMP", "FITC",
        "PAVP", "IOMP", "xPHY", "TBTP", "PLTS", NULL,   NULL,   NULL,   NULL,   "DPHY", "PCHC",
        "ISIF", "ISIC", "HBMI", "OMSM", "GTGP", "MDFI", "PUNP", "PHYP", "SAMF", "PPHY", "GBST",
        "TCCP", "PSEP",
};

const char *mefw_bpdt_type_name(unsigned type) {
        return type < ELEMENTSOF(bpdt_names) ? bpdt_names[type] : NULL;
}

bool mefw_bpdt_at(const mefw_view *v, size_t off) {
        struct bpdt_header h;
        if (bpdt_header_read(v, off, &h) < 0)
                return false;
        return (h.signature == BPDT_SIGNATURE || h.signature == BPDT_SIGNATURE_RECOVERY) && (h.version == 1 || h.version == 2) &&
               h.count > 0 && h.count <= MEFW_BPDT_MAX_ENTRIES;
}

int mefw_bpdt_parse(mefw_ctx *ctx, const mefw_view *v, size_t off, mefw_bpdt *ret) {
        struct bpdt_header h;
        if (!mefw_bpdt_at(v, off) || bpdt_header_read(v, off, &h) < 0)
                return -EBADMSG;
        mefw_bpdt b = {
                .offset = off,
                .base = off,
                .version = h.version,
                .fit = { h.fit_major, h.fit_minor, h.fit_hotfix, h.fit_build },
        };
        size_t len = bpdt_header_SIZE + (size_t) h.count * bpdt_entry_SIZE;
        if (!mefw_view_has(v, off, len)) {
                ctx_msg(ctx, MEFW_ERROR, "bpdt-truncated", mefw_view_abs(v, off),
                        "the boot partition descriptor table lists %u partitions but is cut short", h.count);
                return -EBADMSG;
        }
        if (h.version == 2) {
                /* CRC-32 over header and entries after the signature, with the CRC field zeroed */
                uint32_t crc = mefw_crc32_without_field(v->data + off + 4, len - 4, 4);
                if (crc != h.crc32)
                        ctx_msg(ctx, MEFW_WARNING, "bpdt-crc", mefw_view_abs(v, off + 8),
                                "wrong boot partition descriptor table CRC 0x%08X, expected 0x%08X", h.crc32, crc);
        }
        for (unsigned i = 0; i < h.count; i++) {
                struct bpdt_entry e;
                if (bpdt_entry_read(v, off + bpdt_header_SIZE + (size_t) i * bpdt_entry_SIZE, &e) < 0)
                        break;
                mefw_bpdt_entry *d = &b.entries[b.n_entries++];
                d->type = (uint16_t) (e.type & 0xFFFF);
                d->offset = e.offset;
                d->size = e.size;
                const char *name = mefw_bpdt_type_name(d->type);
                if (name)
                        snprintf(d->name, sizeof d->name, "%s", name);
                else
                        snprintf(d->name, sizeof d->name, "T%u", d->type);
        }
        *ret = b;
        return 0;
}

static bool is_bpdt_sig(const mefw_view *v, uint64_t off) {
        uint32_t sig;
        return off < v->size && mefw_view_u32(v, (size_t) off, &sig) == 0 &&
               (sig == BPDT_SIGNATURE || sig == BPDT_SIGNATURE_RECOVERY);
}

static bool rest_erased(const mefw_view *v, size_t from, size_t to) {
        return to <= v->size && from <= to && mefw_view_all(v, from, to - from, 0xFF);
}

#define LT_SIZE 0x1000u

static void lt_add(mefw_cse_lt *lt, const char *name, uint32_t off, uint32_t size) {
        mefw_cse_lt_part *p = &lt->parts[lt->n_parts++];
        snprintf(p->name, sizeof p->name, "%s", name);
        p->offset = off;
        p->size = size;
        p->empty = off == 0 || off == 0xFFFFFFFFu || size == 0 || size == 0xFFFFFFFFu;
}

/*
 * The table has no signature. It is recognized, as ME Analyzer does, by what it points at: the
 * data partition starts with $FPT and/or boot partition 1 with a BPDT, and the rest of its
 * 4 KiB is erased.
 */
int mefw_cse_lt_parse(mefw_ctx *ctx, const mefw_view *v, mefw_cse_lt *ret) {
        struct cse_lt16 a;
        struct cse_lt17 b;
        if (is_bpdt_sig(v, 0) || cse_lt16_read(v, 0, &a) < 0 || cse_lt17_read(v, 0, &b) < 0)
                return -ENOENT;
        bool fpt16 = mefw_view_tag(v, a.data_offset, "$FPT"), bp16 = is_bpdt_sig(v, a.bp1_offset);
        bool fpt17 = mefw_view_tag(v, b.data_offset, "$FPT"), bp17 = is_bpdt_sig(v, b.bp1_offset);
        bool pad16 = rest_erased(v, cse_lt16_SIZE, LT_SIZE), pad17 = rest_erased(v, cse_lt17_SIZE, LT_SIZE);

        mefw_cse_lt lt = {};
        if (((fpt16 && bp16) || bp16) && pad16 && !(fpt17 && bp17 && pad17)) {
                lt.version = 16;
                lt_add(&lt, "Data", a.data_offset, a.data_size);
                lt_add(&lt, "Boot 1", a.bp1_offset, a.bp1_size);
                lt_add(&lt, "Boot 2", a.bp2_offset, a.bp2_size);
                lt_add(&lt, "Boot 3", a.bp3_offset, a.bp3_size);
                lt_add(&lt, "Boot 4", a.bp4_offset, a.bp4_size);
                lt_add(&lt, "Boot 5", a.bp5_offset, a.bp5_size);
        } else if (bp17 && pad17 && b.size >= 0x40 && b.size <= cse_lt17_SIZE - 0x10) {
                lt.version = 17;
                /* CRC-32 over the pointer block (from 0x10, Size bytes), CRC field zeroed */
                uint32_t crc = mefw_crc32_without_field(v->data + 0x10, b.size, 4);
                if (crc != b.crc32)
                        ctx_msg(ctx, MEFW_WARNING, "layout-table-crc", mefw_view_abs(v, 0x14),
                                "wrong CSE layout table CRC 0x%08X, expected 0x%08X", b.crc32, crc);
                lt_add(&lt, "Data", b.data_offset, b.data_size);
                lt_add(&lt, "Boot 1", b.bp1_offset, b.bp1_size);
                lt_add(&lt, "Boot 2", b.bp2_offset, b.bp2_size);
                lt_add(&lt, "Boot 3", b.bp3_offset, b.bp3_size);
                lt_add(&lt, "Boot 4", b.bp4_offset, b.bp4_size);
                lt_add(&lt, "Boot 5", b.bp5_offset, b.bp5_size);
                lt_add(&lt, "Temp", b.temp_offset, b.temp_size);
                if (b.size >= 0x48)
                        lt_add(&lt, "ELog", b.elog_offset, b.elog_size);
        } else
                return -ENOENT;

        /* Consistency: every used entry inside the file, none overlapping another. */
        for (size_t i = 0; i < lt.n_parts; i++) {
                const mefw_cse_lt_part *p = &lt.parts[i];
                if (p->empty)
                        continue;
                uint64_t end = (uint64_t) p->offset + p->size;
                if (p->offset >= LT_SIZE && mefw_data_cut(v, p->offset, p->size)) {
                        char what[48];
                        snprintf(what, sizeof what, "the %s area of the CSE layout", p->name);
                        mefw_report_cut(ctx, mefw_view_abs(v, 0) + v->size, what);
                } else if (p->offset < LT_SIZE || end > v->size)
                        ctx_msg(ctx, MEFW_WARNING, "layout-table-bounds", mefw_view_abs(v, 0),
                                "CSE layout table entry %s (0x%X, 0x%X bytes) %s", p->name, p->offset, p->size,
                                p->offset < LT_SIZE ? "overlaps the table itself" : "runs past the end of the data");
                for (size_t k = i + 1; k < lt.n_parts; k++) {
                        const mefw_cse_lt_part *q = &lt.parts[k];
                        uint64_t qend = (uint64_t) q->offset + q->size;
                        /* the error log is a partition of the data area, listed again here */
                        bool nested = (p->offset <= q->offset && qend <= end) || (q->offset <= p->offset && end <= qend);
                        if (!q->empty && !nested && p->offset < qend && q->offset < end)
                                ctx_msg(ctx, MEFW_WARNING, "layout-table-overlap", mefw_view_abs(v, 0),
                                        "CSE layout table entries %s and %s overlap", p->name, q->name);
                }
        }
        *ret = lt;
        return 0;
}
