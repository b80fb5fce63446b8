/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "crypto.h"
#include "lzma.h"
#include "modules.h"

static int add_module(mefw_firmware *fw, const mefw_module *mod) {
        mefw_module *n = realloc(fw->modules, (fw->n_modules + 1) * sizeof *n);
        if (!n)
                return -ENOMEM;
        fw->modules = n;
        fw->modules[fw->n_modules++] = *mod;
        return 0;
}

/* $MN2 module hashes are stored byte-reversed. */
static bool hash_matches_reversed(const uint8_t *stored, const uint8_t *computed, size_t len) {
        for (size_t i = 0; i < len; i++)
                if (stored[i] != computed[len - 1 - i])
                        return false;
        return true;
}

/*
 * ME 6-10 LZMA modules are "LZMA alone" streams (5 property bytes, 64-bit size, data), but
 * some builds insert three zero bytes after the size field. Try the stream as stored first,
 * then without those bytes.
 */
static int decode_me_lzma(const uint8_t *p, size_t len, uint8_t **ret_out, size_t *ret_len) {
        int r = mefw_lzma_decode_alone(p, len, MEFW_MODULE_MAX_OUTPUT, ret_out, ret_len);
        if (r >= 0 || len < 0x11 || p[0x0E] != 0 || p[0x0F] != 0 || p[0x10] != 0)
                return r;
        _cleanup_free_ uint8_t *fixed = malloc(len - 3);
        if (!fixed)
                return -ENOMEM;
        memcpy(fixed, p, 0x0E);
        memcpy(fixed + 0x0E, p + 0x11, len - 0x11);
        return mefw_lzma_decode_alone(fixed, len - 3, MEFW_MODULE_MAX_OUTPUT, ret_out, ret_len);
}

static mefw_hash_state check_mn2_module(const mefw_view *mv, const mefw_mme *e, unsigned compression) {
        if (compression == 1)
                return MEFW_HASH_NOT_VERIFIABLE;
        if (compression != 0 && compression != 2)
                return MEFW_HASH_NOT_CHECKED;
        if (!mefw_view_has(mv, e->offset, e->size) || e->size == 0)
                return MEFW_HASH_UNREADABLE;
        const uint8_t *p = mv->data + e->offset;
        uint8_t digest[32];
        if (compression == 0) {
                if (mefw_hash(MEFW_HASH_SHA256, p, e->size, digest) < 0)
                        return MEFW_HASH_UNREADABLE;
        } else {
                _cleanup_free_ uint8_t *out = NULL;
                size_t out_len;
                if (decode_me_lzma(p, e->size, &out, &out_len) < 0)
                        return MEFW_HASH_UNREADABLE;
                if (mefw_hash(MEFW_HASH_SHA256, out, out_len, digest) < 0)
                        return MEFW_HASH_UNREADABLE;
        }
        return hash_matches_reversed(e->hash, digest, 32) ? MEFW_HASH_VALID : MEFW_HASH_INVALID;
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

static void report_module(mefw_ctx *ctx, const mefw_view *region, const mefw_module *mod, const mefw_mme *e) {
        if (mod->hash == MEFW_HASH_INVALID)
                ctx_msg(ctx, MEFW_ERROR, "module-hash", mefw_view_abs(region, e->entry_offset),
                        "module %s of partition %s does not match its hash in the manifest: the module was "
                        "modified or damaged",
                        mod->name, mod->partition[0] ? mod->partition : "?");
        else if (mod->hash == MEFW_HASH_UNREADABLE)
                ctx_msg(ctx, MEFW_ERROR, "module-unreadable", (int64_t) mod->offset,
                        "module %s of partition %s could not be read (out of bounds or corrupt compressed data)",
                        mod->name, mod->partition[0] ? mod->partition : "?");
}

void mefw_check_modules(mefw_ctx *ctx, const mefw_view *region, const mefw_manifest *m, const char *partition) {
        mefw_firmware *fw = &ctx->report->fw;
        mefw_view mv = mefw_view_clip(region, m->offset, region->size - MIN(m->offset, region->size));

        for (size_t i = 0; i < m->n_modules; i++) {
                const mefw_mme *e = &m->modules[i];
                mefw_module mod = { .size = e->size };
                snprintf(mod.partition, sizeof mod.partition, "%s", partition);
                memcpy(mod.name, e->name, sizeof mod.name);
                if (m->is_man) {
                        mod.compression = "unknown";
                        mod.hash = MEFW_HASH_NOT_CHECKED;
                } else {
                        unsigned c = MME_V2_COMPRESSION(e->flags);
                        mod.compression = compression_name(c);
                        mod.offset = mefw_view_abs(&mv, e->offset);
                        mod.hash = check_mn2_module(&mv, e, c);
                }
                report_module(ctx, region, &mod, e);
                add_module(fw, &mod);
        }
}
