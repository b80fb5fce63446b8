/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MFS, the CSE flash file system (CSME 11-16, CSSPS; the "MFS" $FPT partition).
 *
 * 0x2000-byte pages, each with a 0x12-byte header (signature 87 78 55 AA, page number, erase
 * count, next erase page, first chunk index, CRC-8). System pages (first chunk index 0) hold 120
 * chunks whose indexes are stored obfuscated (each the CRC-14 of the previous index XOR the
 * stored word); data pages hold 122 chunks flagged used by a zero byte. A chunk is 0x40 data
 * bytes and a CRC-16/CCITT-FALSE over the data and its little-endian u16 index.
 * The system chunks, in index order, form the system area: a volume header, then the file
 * allocation table (FAT) whose first FileRecordCount entries start each low-level file's chain.
 *
 * Every count is bounded by the partition size; chains are followed at most once per chunk.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/crc.h"
#include "mfs.h"

#define PAGE_SIZE 0x2000u
#define PAGE_HEADER 0x12u
#define CHUNK_DATA 0x40u
#define CHUNK_SIZE 0x42u
#define SYS_CHUNKS 120u
#define SYS_INDEX_WORDS 121u
#define SYS_FIRST_CHUNK (PAGE_HEADER + SYS_INDEX_WORDS * 2)  /* 0x104 */
#define DAT_CHUNKS 122u
#define DAT_FIRST_CHUNK (PAGE_HEADER + DAT_CHUNKS)           /* 0x8C */
#define VOLUME_SIGNATURE 0x724F6201u
#define VOLUME_HEADER 0x0Eu
#define MAX_PAGES 2048u
#define MAX_FILE_BYTES (4u << 20)

static const uint8_t page_signature[4] = { 0x87, 0x78, 0x55, 0xAA };

/* The index obfuscation: CRC-16 (poly 0x1021, MSB first) over the two bytes of the previous
 * index, started at 0x3FFF and kept to 14 bits after every byte. */
uint16_t mefw_mfs_crc14(uint16_t w) {
        uint16_t crc = 0x3FFF;
        uint8_t bytes[2] = { (uint8_t) (w & 0xFF), (uint8_t) (w >> 8) };
        for (int i = 0; i < 2; i++) {
                uint16_t c = (uint16_t) ((bytes[i] ^ (crc >> 8)) << 8);
                for (int b = 0; b < 8; b++)
                        c = (c & 0x8000) ? (uint16_t) ((c << 1) ^ 0x1021) : (uint16_t) (c << 1);
                crc = (uint16_t) ((c ^ (crc << 8)) & 0x3FFF);
        }
        return crc;
}

typedef struct {
        size_t offset;       /* of the page in the partition view */
        uint32_t number;
        uint16_t first_chunk;
        bool valid;          /* carries the page signature */
} page_info;

static int cmp_pages(const void *a, const void *b) {
        const page_info *x = a, *y = b;
        /* system pages (first chunk 0) by page number, then data pages by first chunk */
        bool xs = x->first_chunk == 0, ys = y->first_chunk == 0;
        if (xs != ys)
                return xs ? -1 : 1;
        uint32_t kx = xs ? x->number : x->first_chunk, ky = ys ? y->number : y->first_chunk;
        return kx < ky ? -1 : kx > ky ? 1 : (x->offset < y->offset ? -1 : 1);
}

static bool chunk_crc_ok(const uint8_t *chunk, uint16_t index) {
        uint16_t stored = mefw_le16(chunk + CHUNK_DATA);
        if (stored == 0)
                return true; /* seen in dumps of a running system: not written yet */
        uint8_t idx[2] = { (uint8_t) (index & 0xFF), (uint8_t) (index >> 8) };
        uint16_t crc = mefw_crc16_ccitt(0xFFFF, chunk, CHUNK_DATA);
        crc = mefw_crc16_ccitt(crc, idx, 2);
        return crc == stored;
}

static void page_crc_check(mefw_ctx *ctx, const mefw_view *v, const page_info *p, mefw_mfs *m) {
        uint8_t hdr[16];
        memcpy(hdr, v->data + p->offset, sizeof hdr);
        if (!p->valid) {
                /* the scratch page: computed as if it carried the signature; an unnumbered one
                 * keeps a zero CRC */
                memcpy(hdr, page_signature, 4);
        }
        uint8_t expected = p->valid || p->number ? mefw_crc8(1, hdr, sizeof hdr) : 0;
        uint8_t stored = v->data[p->offset + 0x10];
        if (stored != expected) {
                m->page_crc_errors++;
                if (m->page_crc_errors == 1)
                        ctx_msg(ctx, MEFW_ERROR, "mfs-page-crc", mefw_view_abs(v, p->offset + 0x10),
                                "wrong MFS page header CRC-8 0x%02X, expected 0x%02X", stored, expected);
        }
}

static void set_chunk(mefw_mfs *m, uint32_t index, const uint8_t *chunk) {
        if (index < m->n_chunk_slots)
                m->chunks[index] = chunk;
}

int mefw_mfs_read(mefw_ctx *ctx, const mefw_view *v, mefw_mfs *ret) {
        mefw_mfs m = { .view = *v };
        size_t n_pages = MIN(v->size / PAGE_SIZE, (size_t) MAX_PAGES);
        if (n_pages < 2 || !(mefw_view_tag(v, 0, (const char *) page_signature) ||
                             mefw_view_tag(v, PAGE_SIZE, (const char *) page_signature))) {
                ctx_msg(ctx, MEFW_ERROR, "mfs-format", mefw_view_abs(v, 0),
                        "the MFS partition has no page signature at 0 or 0x2000: unrecognizable file system");
                return -EBADMSG;
        }
        _cleanup_free_ page_info *pages = calloc(n_pages, sizeof *pages);
        if (!pages)
                return -ENOMEM;
        uint32_t sys_chunks = UINT32_MAX;
        for (size_t i = 0; i < n_pages; i++) {
                page_info *p = &pages[i];
                p->offset = i * PAGE_SIZE;
                const uint8_t *h = v->data + p->offset;
                p->valid = memcmp(h, page_signature, 4) == 0;
                p->number = mefw_le32(h + 4);
                p->first_chunk = mefw_le16(h + 0x0E);
                if (p->first_chunk)
                        sys_chunks = MIN(sys_chunks, (uint32_t) p->first_chunk);
        }
        qsort(pages, n_pages, sizeof *pages, cmp_pages);

        /* one scratch page, the rest split into system and data pages */
        size_t data_pages = n_pages - n_pages / 12 - 1;
        m.sys_chunks = sys_chunks == UINT32_MAX ? 0 : sys_chunks;
        m.max_data_chunks = (uint32_t) (data_pages * DAT_CHUNKS);
        m.n_chunk_slots = m.sys_chunks + m.max_data_chunks;
        m.chunks = calloc(m.n_chunk_slots ? m.n_chunk_slots : 1, sizeof *m.chunks);
        if (!m.chunks)
                return -ENOMEM;

        for (size_t i = 0; i < n_pages; i++) {
                const page_info *p = &pages[i];
                page_crc_check(ctx, v, p, &m);
                if (!p->valid)
                        continue;
                const uint8_t *base = v->data + p->offset;
                if (p->first_chunk == 0) {
                        uint16_t prev = 0;
                        for (unsigned k = 0; k < SYS_CHUNKS; k++) {
                                uint16_t word = mefw_le16(base + PAGE_HEADER + 2 * k);
                                if (word & 0xC000)
                                        break; /* unused from here on */
                                uint16_t index = (uint16_t) (mefw_mfs_crc14(prev) ^ word);
                                prev = index;
                                const uint8_t *chunk = base + SYS_FIRST_CHUNK + k * CHUNK_SIZE;
                                if (!chunk_crc_ok(chunk, index) && m.chunk_crc_errors++ == 0)
                                        ctx_msg(ctx, MEFW_ERROR, "mfs-chunk-crc",
                                                mefw_view_abs(v, (size_t) (chunk - v->data) + CHUNK_DATA),
                                                "wrong CRC-16 of MFS system chunk %u", index);
                                set_chunk(&m, index, chunk);
                        }
                } else {
                        for (unsigned k = 0; k < DAT_CHUNKS; k++) {
                                if (base[PAGE_HEADER + k] != 0)
                                        continue;
                                uint32_t index = (uint32_t) p->first_chunk + k;
                                const uint8_t *chunk = base + DAT_FIRST_CHUNK + k * CHUNK_SIZE;
                                if (!chunk_crc_ok(chunk, (uint16_t) index) && m.chunk_crc_errors++ == 0)
                                        ctx_msg(ctx, MEFW_ERROR, "mfs-chunk-crc",
                                                mefw_view_abs(v, (size_t) (chunk - v->data) + CHUNK_DATA),
                                                "wrong CRC-16 of MFS data chunk %u", index);
                                set_chunk(&m, index, chunk);
                        }
                }
        }
        if (m.chunk_crc_errors > 1)
                ctx_msg(ctx, MEFW_ERROR, "mfs-chunk-crc", mefw_view_abs(v, 0),
                        "%u MFS chunks in all have a wrong CRC-16", m.chunk_crc_errors);

        /* The system area: system chunks in index order. */
        size_t sys_len = (size_t) m.sys_chunks * CHUNK_DATA;
        m.system = calloc(sys_len ? sys_len : 1, 1);
        if (!m.system) {
                mefw_mfs_done(&m);
                return -ENOMEM;
        }
        bool any = false;
        for (uint32_t i = 0; i < m.sys_chunks; i++)
                if (m.chunks[i]) {
                        memcpy(m.system + (size_t) i * CHUNK_DATA, m.chunks[i], CHUNK_DATA);
                        any = true;
                }
        m.system_len = sys_len;
        if (!any || sys_len < VOLUME_HEADER) {
                ctx_msg(ctx, MEFW_ERROR, "mfs-empty", mefw_view_abs(v, 0), "the MFS system area is empty");
                *ret = m;
                return 0;
        }
        uint32_t sig = mefw_le32(m.system);
        if (sig != VOLUME_SIGNATURE) {
                ctx_msg(ctx, MEFW_ERROR, "mfs-volume", mefw_view_abs(v, 0),
                        "the MFS volume signature 0x%08X is invalid", sig);
                *ret = m;
                return 0;
        }
        m.dictionary = m.system[4];
        m.platform = m.system[5];
        m.has_file_table = !(m.dictionary == 1 && m.platform == 0 && mefw_le16(m.system + 6) == 0);
        m.volume_size = mefw_le32(m.system + 8);
        m.n_files = mefw_le16(m.system + 0x0C);
        uint64_t expect_size = ((uint64_t) m.sys_chunks + m.max_data_chunks) * CHUNK_DATA;
        if (m.volume_size != expect_size)
                ctx_msg(ctx, MEFW_WARNING, "mfs-volume-size", mefw_view_abs(v, 0),
                        "the MFS volume declares 0x%X bytes, its pages hold 0x%" PRIX64, m.volume_size, expect_size);
        size_t fat_entries = (size_t) m.n_files + m.max_data_chunks;
        if (VOLUME_HEADER + fat_entries * 2 > sys_len) {
                ctx_msg(ctx, MEFW_ERROR, "mfs-fat", mefw_view_abs(v, 0),
                        "the MFS file allocation table (%zu entries) does not fit its system area", fat_entries);
                m.n_files = 0;
        } else {
                m.fat = m.system + VOLUME_HEADER;
                m.fat_entries = fat_entries;
        }
        m.valid = true;
        *ret = m;
        return 0;
}

static uint16_t fat_at(const mefw_mfs *m, size_t i) {
        return mefw_le16(m->fat + 2 * i);
}

bool mefw_mfs_has_file(const mefw_mfs *m, unsigned index) {
        if (!m->valid || index >= m->n_files)
                return false;
        uint16_t v = fat_at(m, index);
        return v != 0 && v != 0xFFFE && v != 0xFFFF;
}

int mefw_mfs_file(const mefw_mfs *m, unsigned index, uint8_t **ret_data, size_t *ret_len) {
        if (!mefw_mfs_has_file(m, index))
                return -ENOENT;
        size_t cap = 0, len = 0;
        uint8_t *out = NULL;
        uint32_t v = fat_at(m, index);
        for (uint32_t steps = 0; steps <= m->max_data_chunks; steps++) {
                if (v < m->n_files || v >= m->fat_entries)
                        break;
                uint32_t chunk = m->sys_chunks + v - m->n_files;
                if (chunk >= m->n_chunk_slots || !m->chunks[chunk])
                        break;
                uint32_t next = fat_at(m, v);
                size_t take = next >= 1 && next <= CHUNK_DATA ? next : CHUNK_DATA;
                if (len + take > MAX_FILE_BYTES)
                        break;
                if (grow_array((void **) &out, &cap, len + take, 1) < 0) {
                        free(out);
                        return -ENOMEM;
                }
                memcpy(out + len, m->chunks[chunk], take);
                len += take;
                if (take < CHUNK_DATA || next == v)
                        break;
                v = next;
        }
        if (!out) {
                out = malloc(1);
                if (!out)
                        return -ENOMEM;
        }
        *ret_data = out;
        *ret_len = len;
        return 0;
}

void mefw_mfs_done(mefw_mfs *m) {
        free(m->chunks);
        free(m->system);
        m->chunks = NULL;
        m->system = NULL;
}

/* ---- configuration files and the PCH initialization table -------------------------------- */

static const char *pch_name(unsigned code) {
        static const char *const names[] = {
                [0x0] = "LBG-H",      [0x3] = "ICP-LP",     [0x4] = "ICP-N",  [0x5] = "ICP-H",
                [0x6] = "TGP-LP",     [0x7] = "TGP/EBG-H",  [0x8] = "SPT/KBP-LP", [0x9] = "SPT-H",
                [0xB] = "KBP/BSF/GCF-H", [0xC] = "CNP/CMP-LP", [0xD] = "CNP/CMP-H", [0xE] = "LKF-LP",
                [0xF] = "MCC-LP",     [0x10] = "JSP-N",     [0x11] = "EBG-H", [0x12] = "ADP-LP",
        };
        return code < ELEMENTSOF(names) && names[code] ? names[code] : "Unknown";
}

/* Decode one mphytbl record into a chipset name and stepping letters (most recent first). */
static bool decode_mphytbl(const uint8_t *p, size_t len, const mefw_pch_rules *rules, mefw_pch_entry *ret) {
        if (len < 9)
                return false;
        unsigned platform, raw;
        bool new_header = p[4] == 0xFF && p[5] == 0xFF;
        if (new_header) {
                platform = p[7];
                raw = p[8] >> 4;
        } else {
                platform = p[3] >> 4;
                raw = p[3] & 0xF;
        }
        mefw_pch_entry e = { .previous = ret->previous };
        snprintf(e.chipset, sizeof e.chipset, "%s", rules->rename ? rules->rename : pch_name(platform));
        bool bitfield = rules->stepping == MEFW_STEP_BITFIELD ||
                        (rules->stepping == MEFW_STEP_BY_HEADER && !new_header);
        switch (rules->stepping) {
        case MEFW_STEP_NONE:
                return false;
        default:
                if (bitfield) {
                        size_t n = 0;
                        for (int b = 3; b >= 0; b--)
                                if (raw & (1u << b))
                                        e.steppings[n++] = (char) ('A' + b);
                        if (!n)
                                e.steppings[n++] = 'A';
                        e.steppings[n] = 0;
                } else {
                        e.steppings[0] = (char) ('A' + raw);
                        e.steppings[1] = 0;
                }
        }
        *ret = e;
        return true;
}

/* Walk a configuration file (low-level file 6 or FTPR intl.cfg): a record count, then records of
 * 0x1C bytes (named, with folders) or 0xC bytes (file IDs only, CSME 13+). */
int mefw_cfg_find_pch(const uint8_t *cfg, size_t len, size_t record_size, const mefw_pch_rules *rules,
                      mefw_pch_entry *out, size_t max, size_t *ret_n) {
        if (len < 4 || (record_size != 0x1C && record_size != 0x0C))
                return -EINVAL;
        uint32_t count = mefw_le32(cfg);
        size_t n = 0;
        if (count > (len - 4) / record_size)
                return -EBADMSG;
        for (uint32_t i = 0; i < count && n < max; i++) {
                const uint8_t *r = cfg + 4 + (size_t) i * record_size;
                bool match;
                uint32_t off;
                uint32_t size;
                if (record_size == 0x1C) {
                        uint16_t mode = mefw_le16(r + 0x0E);
                        if (mode & (1u << 12))
                                continue; /* a folder */
                        match = memcmp(r, "mphytbl", 7) == 0;
                        out[n].previous = memcmp(r, "mphytbl_prev", 12) == 0;
                        size = mefw_le16(r + 0x12);
                        off = mefw_le32(r + 0x18);
                } else {
                        /* no names here: the mphytbl file has the ID xx038900 in every file table */
                        match = (mefw_le32(r) & 0x00FFFFFFu) == 0x038900u;
                        off = mefw_le32(r + 4);
                        size = mefw_le16(r + 8);
                        out[n].previous = false;
                }
                if (!match || size == 0 || off > len || size > len - off)
                        continue;
                if (decode_mphytbl(cfg + off, size, rules, &out[n]))
                        n++;
        }
        *ret_n = n;
        return 0;
}
