/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pre-CSE code partition manifests: $MAN (ME 2-5) and $MN2 (ME 6-10, TXE 0-2, SPS 1-3).
 * Everything is bounded by the manifest's own declared size, itself bounded by the data.
 */
#include <stdio.h>

#include "core/crypto.h"
#include "db/keys.h"
#include "internal.h"

#define MANIFEST_HEADER_DWORDS 0xA1u    /* 0x284 bytes: RSA-2048 */
#define MANIFEST_R2_HEADER_DWORDS 0xE1u /* 0x384 bytes: CSE "R2", RSA-3072 */
#define MANIFEST_R2_VERSION 0x21000u
#define R2_MODULUS 0x80u
#define R2_EXPONENT 0x200u
#define R2_SIGNATURE 0x204u
#define R2_KEY_BYTES 0x180u
#define MANIFEST_NAME_AREA 0x0C      /* partition name + 8 bytes after the header */
#define MANIFEST_MAX_BYTES (1u << 20) /* signed area; real ones are a few KiB */

bool mefw_manifest_at(const mefw_view *v, size_t off) {
        struct manifest_header h;
        if (manifest_header_read(v, off, &h) < 0)
                return false;
        if (memcmp(h.tag, "$MN2", 4) != 0 && memcmp(h.tag, "$MAN", 4) != 0)
                return false;
        if (h.vendor != MANIFEST_VENDOR_INTEL || h.module_type != 4)
                return false;
        bool r2 = h.header_length == MANIFEST_R2_HEADER_DWORDS && h.header_version == MANIFEST_R2_VERSION &&
                  memcmp(h.tag, "$MN2", 4) == 0;
        if (h.header_length != MANIFEST_HEADER_DWORDS && !r2)
                return false;
        return h.size >= h.header_length && h.size <= MANIFEST_MAX_BYTES / 4;
}

/* The next "$MN2" or "$MAN" tag at or after pos: one pass over the '$' bytes for both tags, the
 * hit cached so that the data is searched once however often the caller asks. */
static int64_t next_tag(const mefw_view *v, int64_t *cache, size_t pos) {
        if (*cache != INT64_MIN && (*cache < 0 || (size_t) *cache >= pos))
                return *cache;
        if (pos < v->size && v->size - pos >= 4) {
                const uint8_t *p = v->data + pos, *end = v->data + v->size - 3;
                while (p < end) {
                        const uint8_t *hit = memchr(p, '$', (size_t) (end - p));
                        if (!hit)
                                break;
                        if (hit[1] == 'M' && ((hit[2] == 'N' && hit[3] == '2') || (hit[2] == 'A' && hit[3] == 'N')))
                                return *cache = (int64_t) (hit - v->data);
                        p = hit + 1;
                }
        }
        return *cache = -1;
}

int64_t mefw_manifest_next(const mefw_view *v, mefw_manifest_scanner *sc, size_t from) {
        /* The tags sit 0x1C bytes into the header. */
        size_t pos;
        if (from >= v->size || !add_size(from, 0x1C, &pos))
                return -1;
        while (pos < v->size) {
                int64_t hit = next_tag(v, &sc->next_tag, pos);
                if (hit < 0)
                        return -1;
                if (hit >= 0x1C && mefw_manifest_at(v, (size_t) hit - 0x1C))
                        return hit - 0x1C;
                pos = (size_t) hit + 1;
        }
        return -1;
}

int64_t mefw_manifest_find(const mefw_view *v, size_t from) {
        mefw_manifest_scanner sc = MEFW_MANIFEST_SCANNER_INIT;
        return mefw_manifest_next(v, &sc, from);
}

/* CSE "R2": a 3072-bit key, RSASSA-PSS over SHA-384 of the same two spans. */
static void verify_signature_r2(const mefw_view *v, mefw_manifest *m) {
        const uint8_t *base = v->data + m->offset;
        mefw_hash(MEFW_HASH_SHA256, base + R2_MODULUS, R2_KEY_BYTES, m->key_hash);
        m->key = mefw_db_find_key(m->key_hash);
        if (m->truncated || m->total_bytes < m->header_bytes) {
                m->signature = MEFW_SIG_INVALID;
                return;
        }
        uint8_t digest[48];
        mefw_span parts[] = {
                { base, 0x80 },
                { base + m->header_bytes, m->total_bytes - m->header_bytes },
        };
        if (mefw_hash_parts(MEFW_HASH_SHA384, parts, ELEMENTSOF(parts), digest) < 0) {
                m->signature = MEFW_SIG_INVALID;
                return;
        }
        int r = mefw_rsa_verify(MEFW_RSA_PSS_SHA384, base + R2_MODULUS, R2_KEY_BYTES, mefw_le32(base + R2_EXPONENT),
                                base + R2_SIGNATURE, digest, sizeof digest);
        m->signature = r == 1 ? (m->key ? MEFW_SIG_VALID : MEFW_SIG_UNKNOWN_KEY) : MEFW_SIG_INVALID;
}

static void verify_signature(mefw_ctx *ctx, const mefw_view *v, mefw_manifest *m) {
        const uint8_t *base = v->data + m->offset;
        if (m->is_r2) {
                verify_signature_r2(v, m);
                return;
        }
        uint8_t digest[32];
        mefw_hash_alg alg = m->is_man ? MEFW_HASH_SHA1 : MEFW_HASH_SHA256;

        mefw_hash(MEFW_HASH_SHA256, m->h.modulus, sizeof m->h.modulus, m->key_hash);
        const mefw_key_info *key = mefw_db_find_key(m->key_hash);
        m->key = key;

        if (m->h.key_size != 0x40 || m->h.exponent_size != 1) {
                ctx_msg(ctx, MEFW_ERROR, "manifest-key-size", mefw_view_abs(v, m->offset + 0x78),
                        "manifest declares a %u-dword key and %u-dword exponent; only 2048-bit keys are valid here",
                        m->h.key_size, m->h.exponent_size);
                m->signature = MEFW_SIG_INVALID;
                return;
        }
        if (m->truncated) {
                m->signature = MEFW_SIG_INVALID;
                return;
        }

        /* Signed: the header up to the key, then everything after the signature block. */
        mefw_span parts[] = {
                { base, 0x80 },
                { base + m->header_bytes, m->total_bytes - m->header_bytes },
        };
        if (mefw_hash_parts(alg, parts, ELEMENTSOF(parts), digest) < 0) {
                m->signature = MEFW_SIG_INVALID;
                return;
        }
        int r = mefw_rsa_verify(m->is_man ? MEFW_RSA_PKCS1_SHA1 : MEFW_RSA_PKCS1_SHA256, m->h.modulus,
                                sizeof m->h.modulus, m->h.exponent, m->h.signature, digest, mefw_hash_len(alg));
        if (r == 1)
                m->signature = key ? MEFW_SIG_VALID : MEFW_SIG_UNKNOWN_KEY;
        else
                m->signature = MEFW_SIG_INVALID;
}

static void read_modules(mefw_ctx *ctx, const mefw_view *mv, mefw_manifest *m, size_t *pos) {
        /* $MAN entries are 0x50 bytes; $MN2 0x60, or 0x80 on TXE: probe for the second tag. */
        if (m->is_man)
                m->mme_stride = mme_v1_SIZE;
        else if (m->h.num_modules > 1 && !mefw_view_tag(mv, *pos + 0x60, "$MME") && mefw_view_tag(mv, *pos + 0x80, "$MME"))
                m->mme_stride = 0x80;
        else
                m->mme_stride = mme_v2_SIZE;

        uint32_t n = m->h.num_modules;
        if (n > MEFW_MANIFEST_MAX_MODULES) {
                ctx_msg(ctx, MEFW_ERROR, "manifest-too-many-modules", mefw_view_abs(mv, 0x20),
                        "manifest claims %u modules; reading at most %u", n, MEFW_MANIFEST_MAX_MODULES);
                n = MEFW_MANIFEST_MAX_MODULES;
        }
        for (uint32_t i = 0; i < n; i++) {
                size_t at = *pos;
                if (!mefw_view_tag(mv, at, "$MME")) {
                        ctx_msg(ctx, MEFW_ERROR, "manifest-module-missing", mefw_view_abs(mv, at),
                                "module entry %u of %u is missing (no $MME tag)", i + 1, m->h.num_modules);
                        return;
                }
                mefw_mme *d = &m->modules[m->n_modules];
                *d = (mefw_mme){ .entry_offset = m->offset + at };
                if (m->is_man) {
                        struct mme_v1 e;
                        if (mme_v1_read(mv, at, &e) < 0)
                                break;
                        mefw_printable_name(e.name, sizeof e.name, d->name, sizeof d->name);
                        memcpy(d->hash, e.hash, sizeof e.hash);
                        d->size = e.size;
                        d->flags = e.flags;
                } else {
                        struct mme_v2 e;
                        if (mme_v2_read(mv, at, &e) < 0)
                                break;
                        mefw_printable_name(e.name, sizeof e.name, d->name, sizeof d->name);
                        memcpy(d->hash, e.hash, sizeof e.hash);
                        d->offset = e.offset;
                        d->size = e.size_stored;
                        d->size_uncompressed = e.size_uncompressed;
                        d->flags = e.flags;
                }
                m->n_modules++;
                *pos += m->mme_stride;
        }
}

static void read_record(mefw_manifest *m, const mefw_view *mv, size_t at, size_t len) {
        const uint8_t *p = mv->data + at;
        if (memcmp(p, "$MCP", 4) == 0 && len >= mcp_record_SIZE) {
                if (mcp_record_read(mv, at, &m->mcp) == 0) {
                        m->has_mcp = true;
                        m->mcp_offset = m->offset + at;
                }
        } else if (memcmp(p, "$SKU", 4) == 0 && (len == 12 || len >= 16)) {
                m->has_sku = true;
                m->sku_len = len == 12 ? 4 : 8;
                m->sku_offset = m->offset + at;
                memcpy(m->sku, p + 8, m->sku_len);
        } else if (memcmp(p, "$DAT", 4) == 0 && len > 0x10) {
                m->pv = p[0x10];
        } else if (memcmp(p, "$UDC", 4) == 0 && len >= (m->is_man ? 0x38u : 0x44u) && m->n_udc < MEFW_MANIFEST_MAX_UDC) {
                /* tag, length, partition name, hash (SHA-1 / SHA-256), long name[16], then the
                 * payload's offset (from this record) and size */
                mefw_udc *u = &m->udc[m->n_udc++];
                size_t hlen = m->is_man ? 20 : 32, at_off = m->is_man ? 0x30 : 0x3C;
                mefw_printable_name(p + 8, 4, u->name, sizeof u->name);
                memcpy(u->hash, p + 0x0C, hlen);
                u->offset = mefw_le32(p + at_off);
                u->size = mefw_le32(p + at_off + 4);
                u->record_offset = m->offset + at;
        }
}

/* Tagged records after the module table, bounded by the manifest size. */
static void read_records(mefw_ctx *ctx, const mefw_view *mv, mefw_manifest *m, size_t pos) {
        for (unsigned count = 0; pos + 8 <= mv->size; count++) {
                if (count >= MEFW_MANIFEST_MAX_RECORDS) {
                        ctx_msg(ctx, MEFW_WARNING, "manifest-too-many-records", mefw_view_abs(mv, pos),
                                "more than %u manifest records; the rest is ignored", MEFW_MANIFEST_MAX_RECORDS);
                        return;
                }
                if (mv->data[pos] == 0xFF && mefw_view_all(mv, pos, 4, 0xFF)) {
                        /* filler the size of one module entry */
                        pos += m->mme_stride ? m->mme_stride : 4;
                        continue;
                }
                if (mv->data[pos] != '$')
                        return;
                struct manifest_record r;
                if (manifest_record_read(mv, pos, &r) < 0)
                        return;
                size_t len;
                if (r.dwords < 2 || !mul_size(r.dwords, 4, &len) || !mefw_view_has(mv, pos, len)) {
                        char tag[5];
                        mefw_printable_name(r.tag, 4, tag, sizeof tag);
                        ctx_msg(ctx, MEFW_ERROR, "manifest-record-length", mefw_view_abs(mv, pos),
                                "manifest record %s has a bad length (%u dwords)", tag, r.dwords);
                        return;
                }
                read_record(m, mv, pos, len);
                pos += len;
        }
}

void mefw_manifest_date(const struct manifest_header *h, char out[11]) {
        snprintf(out, 11, "%04X-%02X-%02X", h->date_year, h->date_month, h->date_day);
}

void mefw_manifest_record(mefw_ctx *ctx, const mefw_view *v, const mefw_manifest *m, const char *partition,
                          bool identity) {
        mefw_manifest_summary sum = {
                .offset = mefw_view_abs(v, m->offset),
                .tag = m->is_man ? "$MAN" : "$MN2",
                .signature = m->signature,
                .key = m->key ? m->key->name : NULL,
        };
        snprintf(sum.partition, sizeof sum.partition, "%s", partition);
        memcpy(sum.version, m->version, sizeof sum.version);
        mefw_hex_upper(m->key_hash, 32, sum.key_hash);
        mefw_firmware *fw = &ctx->report->fw;
        if (append_elem((void **) &fw->manifests, &fw->n_manifests, sizeof sum, &sum) < 0)
                return;

        const char *name = partition[0] ? partition : "code partition";
        char ver[32];
        mefw_format_version(m->version, ver, sizeof ver);
        if (m->signature == MEFW_SIG_INVALID)
                ctx_msg(ctx, MEFW_ERROR, "invalid-signature", sum.offset,
                        "the RSA signature of the %s manifest (version %s) is invalid: the firmware was modified "
                        "or damaged",
                        name, ver);
        else if (m->signature == MEFW_SIG_UNKNOWN_KEY)
                /* CSE images also carry partitions the board maker signs; pre-CSE ones only Intel's */
                ctx_msg(ctx, m->is_cse && !identity ? MEFW_NOTE : MEFW_ERROR, "unknown-key", sum.offset,
                        "the %s manifest (version %s) is signed with a key that is not a known Intel key "
                        "(modulus SHA-256 %s)%s",
                        name, ver, sum.key_hash, m->is_cse && !identity ? "; board makers sign some CSE partitions" : "");
}

int mefw_manifest_parse(mefw_ctx *ctx, const mefw_view *v, size_t off, mefw_manifest **ret) {
        _cleanup_free_ mefw_manifest *m = calloc(1, sizeof *m);
        if (!m)
                return -ENOMEM;
        m->offset = off;
        m->pv = -1;
        if (manifest_header_read(v, off, &m->h) < 0 || !mefw_manifest_at(v, off))
                return -EBADMSG;

        m->is_man = memcmp(m->h.tag, "$MAN", 4) == 0;
        m->is_r2 = m->h.header_length == MANIFEST_R2_HEADER_DWORDS;
        /* Pre-CSE headers keep a small module count at 0x20; CSE ones a build tag there. */
        m->is_cse = m->is_r2 || (!m->is_man && !(m->h.num_modules > 0 && m->h.num_modules < 0x50) &&
                                 !mefw_view_tag(v, off + 0x284 + 0x0C, "$MME"));
        m->header_bytes = (size_t) m->h.header_length * 4;
        m->version[0] = m->h.ver_major;
        m->version[1] = m->h.ver_minor;
        m->version[2] = m->h.ver_hotfix;
        m->version[3] = m->h.ver_build;

        size_t declared = (size_t) m->h.size * 4;
        size_t avail = v->size - off;
        m->total_bytes = MIN(declared, avail);
        if (declared > avail) {
                m->truncated = true;
                ctx_msg(ctx, MEFW_ERROR, "manifest-truncated", mefw_view_abs(v, off),
                        "manifest declares 0x%zX bytes but only 0x%zX are present; possibly an incomplete image",
                        declared, avail);
        }

        /* All further reads stay inside the manifest. */
        mefw_view mv;
        if (mefw_view_sub(v, off, m->total_bytes, &mv) < 0)
                return -EBADMSG;

        if (m->is_cse) {
                /* CSE extensions are not read here: the signature is checked, nothing more */
                verify_signature(ctx, v, m);
                *ret = TAKE_PTR(m);
                return 0;
        }
        if (!m->is_man) {
                struct mn2_partition pn;
                if (mn2_partition_read(&mv, m->header_bytes, &pn) == 0)
                        mefw_printable_name(pn.name, 4, m->partition, sizeof m->partition);
        }

        size_t pos = m->header_bytes + MANIFEST_NAME_AREA;
        read_modules(ctx, &mv, m, &pos);
        read_records(ctx, &mv, m, pos);
        verify_signature(ctx, v, m);

        *ret = TAKE_PTR(m);
        return 0;
}
