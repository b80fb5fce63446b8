/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Module and code partition integrity for pre-CSE manifests.
 *  - $MAN (ME 2-5): each module is a $MOD record stored after the manifest; the SHA-1 in its
 *    $MME entry covers the whole record as stored (header + compressed data), byte-reversed.
 *  - $MN2 (ME 6-10, TXE): the SHA-256 in $MME covers the module as loaded: the stored bytes for
 *    uncompressed modules, the decompressed bytes for LZMA ones; byte-reversed. Huffman modules
 *    share one stream whose dictionary is not public: not verifiable.
 *  - $MCP (ME 7-10, TXE): SHA-256 of the partition's code area after the manifest, natural order.
 */
#include <stdio.h>

#include "core/crypto.h"
#include "core/lzmadec.h"
#include "modules.h"

static int add_module(mefw_firmware *fw, const mefw_module *mod) {
        return append_elem((void **) &fw->modules, &fw->n_modules, sizeof *mod, mod);
}

/* Data that is gone rather than damaged: cut off by the end of the file or erased to 0xFF. */
static bool data_absent(const mefw_view *v, size_t off, size_t len) {
        return !mefw_view_has(v, off, len) || mefw_view_all(v, off, len, 0xFF);
}

/*
 * LZMA modules are "LZMA alone" streams (5 property bytes, 64-bit size, data). TXE 1 and CSE
 * firmware insert three zero bytes after the size field; they are recognized by their
 * properties and removed.
 * ME 6-10 streams must not be touched (their byte 0x0E is data).
 */
int mefw_module_lzma_decode(const uint8_t *p, size_t len, uint8_t **ret_out, size_t *ret_len) {
        static const uint8_t txe_props[5] = { 0x36, 0x00, 0x40, 0x00, 0x00 };
        if (len >= 0x11 && memcmp(p, txe_props, 5) == 0 && p[0x0E] == 0 && p[0x0F] == 0 && p[0x10] == 0) {
                _cleanup_free_ uint8_t *fixed = malloc(len - 3);
                if (!fixed)
                        return -ENOMEM;
                memcpy(fixed, p, 0x0E);
                memcpy(fixed + 0x0E, p + 0x11, len - 0x11);
                return mefw_lzma_decode_alone(fixed, len - 3, MEFW_MODULE_MAX_OUTPUT, ret_out, ret_len);
        }
        return mefw_lzma_decode_alone(p, len, MEFW_MODULE_MAX_OUTPUT, ret_out, ret_len);
}

/*
 * An "LZMA alone" header a real encoder writes: properties below 225 (lc/lp/pb packed), a dictionary
 * of 2^n or 2^n + 2^(n-1) bytes from 4 KiB up, and an unpacked size that is unknown (all ones) or
 * below the module cap. TXE 1 streams carry three zero bytes after the size; they pass as well.
 */
static bool lzma_header_plausible(const uint8_t *p, size_t len) {
        if (len < 13 || p[0] >= 225)
                return false;
        uint32_t dict = (uint32_t) p[1] | (uint32_t) p[2] << 8 | (uint32_t) p[3] << 16 | (uint32_t) p[4] << 24;
        bool dict_ok = false;
        for (unsigned n = 12; n < 32 && !dict_ok; n++)
                dict_ok = dict == 1u << n || dict == (1u << n) + (1u << (n - 1));
        uint64_t size = 0;
        for (int i = 7; i >= 0; i--)
                size = size << 8 | p[5 + i];
        return dict_ok && (size == UINT64_MAX || size <= MEFW_MODULE_MAX_OUTPUT);
}

/* The first 4 KiB read as random: nearly every byte value present, none much above its share.
 * (Code, tables and padding repeat a few values; encrypted and compressed data do not.) */
static bool reads_random(const uint8_t *p, size_t len) {
        size_t n = MIN(len, (size_t) 4096), count[256] = { 0 }, distinct = 0, most = 0;
        for (size_t i = 0; i < n; i++)
                count[p[i]]++;
        for (unsigned b = 0; b < 256; b++) {
                distinct += count[b] != 0;
                most = MAX(most, count[b]);
        }
        return n >= 1024 ? distinct >= 250 && most <= 4 * n / 256 : distinct >= n / 2;
}

/*
 * A module marked LZMA whose data has no LZMA header at all and reads as random: stored encrypted
 * (TXE's PAVP module is), not damaged. Damage to a real stream keeps its header, and the partition
 * hash ($MCP) still covers these bytes.
 */
static bool looks_encrypted(const uint8_t *p, size_t len) {
        return len >= 256 && !lzma_header_plausible(p, len) && reads_random(p, len);
}

static mefw_hash_state check_mn2_module(const mefw_view *mv, const mefw_mme *e, unsigned compression,
                                        bool *ret_encrypted) {
        if (compression == 1)
                return MEFW_HASH_NOT_VERIFIABLE;
        if (compression != 0 && compression != 2)
                return MEFW_HASH_NOT_CHECKED;
        if (e->size == 0)
                return MEFW_HASH_UNREADABLE;
        if (data_absent(mv, e->offset, e->size))
                return MEFW_HASH_ABSENT;
        const uint8_t *p = mv->data + e->offset;
        uint8_t digest[32];
        if (compression == 0) {
                if (mefw_hash(MEFW_HASH_SHA256, p, e->size, digest) < 0)
                        return MEFW_HASH_UNREADABLE;
        } else {
                _cleanup_free_ uint8_t *out = NULL;
                size_t out_len;
                if (looks_encrypted(p, e->size)) {
                        *ret_encrypted = true;
                        return MEFW_HASH_NOT_VERIFIABLE;
                }
                if (mefw_module_lzma_decode(p, e->size, &out, &out_len) < 0)
                        return MEFW_HASH_UNREADABLE;
                if (mefw_hash(MEFW_HASH_SHA256, out, out_len, digest) < 0)
                        return MEFW_HASH_UNREADABLE;
        }
        return mefw_digest_equal_reversed(e->hash, digest, 32) ? MEFW_HASH_VALID : MEFW_HASH_INVALID;
}

/* $MOD header fields that tell whether the stored record is compressed. */
#define MOD_COMPRESSED_SIZE 0x18
#define MOD_UNCOMPRESSED_SIZE 0x1C

static mefw_hash_state check_man_module(const mefw_view *mv, size_t at, const mefw_mme *e, const char **ret_comp) {
        uint32_t csize, usize;
        *ret_comp = "unknown";
        if (e->size == 0)
                return MEFW_HASH_UNREADABLE;
        if (data_absent(mv, at, e->size))
                return MEFW_HASH_ABSENT;
        if (!mefw_view_tag(mv, at, "$MOD") || mefw_view_u32(mv, at + MOD_COMPRESSED_SIZE, &csize) < 0 ||
            mefw_view_u32(mv, at + MOD_UNCOMPRESSED_SIZE, &usize) < 0)
                return MEFW_HASH_UNREADABLE;
        *ret_comp = csize != usize ? "lzma" : "none";
        if (e->flags & 1) /* hash checking disabled for this module */
                return MEFW_HASH_NOT_CHECKED;
        uint8_t digest[20];
        if (mefw_hash(MEFW_HASH_SHA1, mv->data + at, e->size, digest) < 0)
                return MEFW_HASH_UNREADABLE;
        return mefw_digest_equal_reversed(e->hash, digest, 20) ? MEFW_HASH_VALID : MEFW_HASH_INVALID;
}

static const char *compression_name(unsigned c) {
        switch (c) {
        case 0:
                return "none";
        case 1:
                return "huffman";
        case 2:
                return "lzma";
        default:
                return "unknown";
        }
}

static const char *part_or_unknown(const char *p) {
        return p && p[0] ? p : "(unnamed)";
}

static void report_module(mefw_ctx *ctx, const mefw_module *mod, uint64_t entry_abs) {
        if (mod->hash == MEFW_HASH_INVALID)
                ctx_msg(ctx, MEFW_ERROR, "module-hash", entry_abs,
                        "module %s of partition %s does not match its hash in the manifest: the module was modified "
                        "or damaged",
                        mod->name, part_or_unknown(mod->partition));
        else if (mod->hash == MEFW_HASH_UNREADABLE)
                ctx_msg(ctx, MEFW_ERROR, "module-unreadable", entry_abs,
                        "module %s of partition %s could not be read (bad size, missing header or corrupt "
                        "compressed data)",
                        mod->name, part_or_unknown(mod->partition));
}

typedef enum { MCP_NONE, MCP_MATCH, MCP_MISMATCH, MCP_CUT } mcp_state;

/* The $MCP partition hash over the stored code area: one SHA-256 pass over the partition. */
static mcp_state mcp_check(const mefw_view *region, const mefw_manifest *m) {
        if (!m->has_mcp)
                return MCP_NONE;
        uint64_t start = (uint64_t) m->offset + m->mcp.code_offset;
        if (start > SIZE_MAX || !mefw_view_has(region, (size_t) start, m->mcp.code_size))
                return MCP_CUT;
        uint8_t digest[32];
        if (mefw_hash(MEFW_HASH_SHA256, region->data + start, m->mcp.code_size, digest) < 0)
                return MCP_NONE;
        return memcmp(digest, m->mcp.hash, 32) == 0 ? MCP_MATCH : MCP_MISMATCH;
}

/* What the $MCP check found, said; modules found absent explain a mismatch (cleaned image). */
static void report_mcp(mefw_ctx *ctx, const mefw_view *region, const mefw_manifest *m, const char *partition,
                       size_t absent, mcp_state st) {
        if (st == MCP_NONE || st == MCP_MATCH)
                return;
        uint64_t abs = mefw_view_abs(region, m->mcp_offset);
        if (st == MCP_CUT) {
                ctx_msg(ctx, absent ? MEFW_WARNING : MEFW_ERROR, "partition-hash-unreadable", abs,
                        "the code of partition %s (0x%X bytes) runs past the end of the data; its hash cannot be "
                        "checked",
                        part_or_unknown(partition), m->mcp.code_size);
                return;
        }
        if (absent)
                ctx_msg(ctx, MEFW_WARNING, "partition-hash-cleaned", abs,
                        "partition %s does not match its hash because %zu of its modules are absent: the region "
                        "was cleaned (me_cleaner) or cut short",
                        part_or_unknown(partition), absent);
        else
                ctx_msg(ctx, MEFW_ERROR, "partition-hash", abs,
                        "partition %s does not match the hash in its manifest: its code was modified or damaged",
                        part_or_unknown(partition));
}

void mefw_check_modules(mefw_ctx *ctx, const mefw_view *region, const mefw_manifest *m, const char *partition) {
        mefw_firmware *fw = &ctx->report->fw;
        mefw_view mv = mefw_view_clip(region, m->offset, region->size - MIN(m->offset, region->size));
        size_t absent = 0;
        /* $MAN module records follow the manifest back to back, in table order. */
        size_t man_at = m->total_bytes;
        /* A signed $MCP hash that matches proves every stored byte of the partition's code: the
         * modules' own hashes (over decompressed data for LZMA) would prove nothing more, so they
         * are not computed, unless a deep analysis asks. A mismatch checks each module, to name
         * the damaged one. */
        mcp_state mcp = m->is_man ? MCP_NONE : mcp_check(region, m);
        bool covered = mcp == MCP_MATCH && !ctx->deep;

        for (size_t i = 0; i < m->n_modules; i++) {
                const mefw_mme *e = &m->modules[i];
                mefw_module mod = { .size = e->size };
                snprintf(mod.partition, sizeof mod.partition, "%s", partition);
                memcpy(mod.name, e->name, sizeof mod.name);
                if (m->is_man) {
                        mod.offset = mefw_view_abs(&mv, man_at);
                        mod.hash = check_man_module(&mv, man_at, e, &mod.compression);
                        if (!add_size(man_at, e->size, &man_at))
                                man_at = SIZE_MAX;
                } else {
                        unsigned c = MME_V2_COMPRESSION(e->flags);
                        mod.compression = compression_name(c);
                        mod.offset = mefw_view_abs(&mv, e->offset);
                        /* only a module inside the code area the $MCP hash covers is proven by it */
                        bool inside = (uint64_t) e->offset >= m->mcp.code_offset &&
                                      (uint64_t) e->offset + e->size <= (uint64_t) m->mcp.code_offset + m->mcp.code_size;
                        if (covered && inside && (c == 0 || c == 2) && e->size && !data_absent(&mv, e->offset, e->size)) {
                                /* an encrypted module is still told apart (cheap: its first 4 KiB) */
                                if (c == 2 && mefw_view_has(&mv, e->offset, e->size) &&
                                    looks_encrypted(mv.data + e->offset, e->size)) {
                                        mod.encrypted = true;
                                        mod.hash = MEFW_HASH_NOT_VERIFIABLE;
                                } else {
                                        mod.hash = MEFW_HASH_VALID;
                                        fw->n_modules_by_partition_hash++;
                                }
                        } else
                                mod.hash = check_mn2_module(&mv, e, c, &mod.encrypted);
                        if (mod.encrypted)
                                ctx_msg(ctx, MEFW_NOTE, "module-encrypted", mod.offset,
                                        "module %s of partition %s is stored encrypted (no LZMA header, random-looking "
                                        "data): a stock Intel module whose own hash cannot be checked; the partition "
                                        "hash covers it",
                                        mod.name, part_or_unknown(partition));
                }
                if (mod.hash == MEFW_HASH_ABSENT) {
                        absent++;
                        uint64_t at = mod.offset - mefw_view_abs(&mv, 0);
                        if (mefw_data_cut(&mv, at, e->size)) {
                                char what[64];
                                snprintf(what, sizeof what, "module %s of partition %s", mod.name,
                                         part_or_unknown(partition));
                                mefw_report_cut(ctx, mefw_view_abs(&mv, 0) + mv.size, what);
                        }
                }
                report_module(ctx, &mod, mefw_view_abs(region, e->entry_offset));
                add_module(fw, &mod);
        }
        if (absent)
                ctx_msg(ctx, MEFW_WARNING, "modules-absent", mefw_view_abs(region, m->offset),
                        "%zu of %zu modules of partition %s are absent (erased or past the end of the file): the "
                        "region was cleaned (me_cleaner) or cut short, so the engine cannot run all of its code",
                        absent, m->n_modules, part_or_unknown(partition));
        report_mcp(ctx, region, m, partition, absent, mcp);
}

void mefw_check_udc(mefw_ctx *ctx, const mefw_view *v, const mefw_manifest *m) {
        mefw_hash_alg alg = m->is_man ? MEFW_HASH_SHA1 : MEFW_HASH_SHA256;
        size_t hlen = mefw_hash_len(alg);
        for (size_t i = 0; i < m->n_udc; i++) {
                const mefw_udc *u = &m->udc[i];
                uint64_t start = (uint64_t) u->record_offset + u->offset;
                uint64_t abs = mefw_view_abs(v, u->record_offset);
                if (start > SIZE_MAX || !mefw_view_has(v, (size_t) start, u->size)) {
                        ctx_msg(ctx, MEFW_ERROR, "update-payload-missing", abs,
                                "the update image's %s partition (0x%X bytes at 0x%" PRIX64 ") is not in the file: "
                                "the image is incomplete",
                                part_or_unknown(u->name), u->size, mefw_view_abs(v, 0) + start);
                        continue;
                }
                uint8_t digest[32];
                if (mefw_hash(alg, v->data + start, u->size, digest) < 0)
                        continue;
                if (!mefw_digest_equal_reversed(u->hash, digest, hlen))
                        ctx_msg(ctx, MEFW_ERROR, "update-payload-hash", abs,
                                "the update image's %s partition does not match the hash its wrapper carries: the "
                                "image was modified or damaged",
                                part_or_unknown(u->name));
        }
}
