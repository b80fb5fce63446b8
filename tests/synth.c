/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "synth.h"
#include "testkey.h"

#define HDR 0x284
#define NAME_AREA 0x0C

void synth_put32(uint8_t *p, uint32_t v) {
        p[0] = v & 0xFF;
        p[1] = (v >> 8) & 0xFF;
        p[2] = (v >> 16) & 0xFF;
        p[3] = (v >> 24) & 0xFF;
}

void synth_put16(uint8_t *p, uint16_t v) {
        p[0] = v & 0xFF;
        p[1] = (v >> 8) & 0xFF;
}

static void reverse_into(uint8_t *dst, const uint8_t *src, size_t n) {
        for (size_t i = 0; i < n; i++)
                dst[i] = src[n - 1 - i];
}

/* A standard .lzma ("LZMA alone") stream of data; malloc'd. */
uint8_t *synth_lzma_alone(const uint8_t *data, size_t len, size_t *ret_len) {
        lzma_options_lzma opt;
        lzma_lzma_preset(&opt, 6);
        opt.dict_size = 1u << 16;
        lzma_stream s = LZMA_STREAM_INIT;
        if (lzma_alone_encoder(&s, &opt) != LZMA_OK)
                return NULL;
        size_t cap = len + len / 2 + 256;
        uint8_t *out = malloc(cap);
        if (!out)
                return NULL;
        s.next_in = data;
        s.avail_in = len;
        s.next_out = out;
        s.avail_out = cap;
        lzma_ret r = lzma_code(&s, LZMA_FINISH);
        *ret_len = cap - s.avail_out;
        lzma_end(&s);
        if (r != LZMA_STREAM_END) {
                free(out);
                return NULL;
        }
        return out;
}

static int sign_manifest(uint8_t *m, size_t total, bool man) {
        testkey *key = testkey_new(2048, 17);
        if (!key)
                return -1;
        uint8_t digest[32];
        mefw_hash_alg alg = man ? MEFW_HASH_SHA1 : MEFW_HASH_SHA256;
        testkey_modulus_le(key, m + 0x80, 0x100);
        synth_put32(m + 0x180, testkey_exponent(key));
        mefw_span parts[] = { { m, 0x80 }, { m + HDR, total - HDR } };
        mefw_hash_parts(alg, parts, 2, digest);
        int r = testkey_sign(key, man ? MEFW_RSA_PKCS1_SHA1 : MEFW_RSA_PKCS1_SHA256, digest, mefw_hash_len(alg),
                             m + 0x184, 0x100);
        testkey_free(key);
        return r < 0 ? -1 : 0;
}

static void write_header(uint8_t *m, const synth_manifest_spec *spec, size_t total) {
        synth_put32(m + 0x00, 4);
        synth_put32(m + 0x04, HDR / 4);
        synth_put32(m + 0x08, 0x10000);
        synth_put32(m + 0x0C, spec->flags);
        synth_put32(m + 0x10, 0x8086);
        memcpy(m + 0x14, spec->date, 4);
        synth_put32(m + 0x18, (uint32_t) (total / 4));
        memcpy(m + 0x1C, spec->man ? "$MAN" : "$MN2", 4);
        synth_put32(m + 0x20, (uint32_t) spec->n_modules);
        for (int i = 0; i < 4; i++)
                synth_put16(m + 0x24 + 2 * i, spec->version[i]);
        synth_put32(m + 0x2C, spec->svn);
        synth_put32(m + 0x30, spec->svn_me8);
        synth_put32(m + 0x34, spec->vcn);
        synth_put32(m + 0x78, 0x40);
        synth_put32(m + 0x7C, 1);
        if (!spec->man && spec->partition)
                memcpy(m + HDR, spec->partition, strnlen(spec->partition, 4));
}

/* $MAN: module table, $SKU, then one $MOD record per module (stored, not compressed). */
static uint8_t *build_man(const synth_manifest_spec *spec, size_t *ret_len, size_t *ret_mlen) {
        size_t mlen = HDR + NAME_AREA + spec->n_modules * 0x50 + (spec->sku ? 0x0C : 0);
        size_t total = mlen;
        for (size_t i = 0; i < spec->n_modules; i++)
                total += 0x50 + spec->modules[i].len;
        uint8_t *p = calloc(1, total);
        if (!p)
                return NULL;
        write_header(p, spec, mlen);
        size_t rec = mlen, ent = HDR + NAME_AREA;
        for (size_t i = 0; i < spec->n_modules; i++, ent += 0x50) {
                const synth_module *mod = &spec->modules[i];
                uint8_t *r = p + rec, *e = p + ent;
                memcpy(r, "$MOD", 4);
                synth_put32(r + 0x18, (uint32_t) mod->len);
                synth_put32(r + 0x1C, (uint32_t) mod->len);
                memcpy(r + 0x30, mod->name, strnlen(mod->name, 16));
                memcpy(r + 0x50, mod->data, mod->len);
                uint8_t h[20];
                mefw_hash(MEFW_HASH_SHA1, r, 0x50 + mod->len, h);
                memcpy(e, "$MME", 4);
                memcpy(e + 0x1C, mod->name, strnlen(mod->name, 16));
                reverse_into(e + 0x2C, h, 20);
                synth_put32(e + 0x40, (uint32_t) (0x50 + mod->len));
                rec += 0x50 + mod->len;
        }
        if (spec->sku) {
                memcpy(p + ent, "$SKU", 4);
                synth_put32(p + ent + 4, 3);
                memcpy(p + ent + 8, spec->sku, 4);
        }
        if (sign_manifest(p, mlen, true) < 0) {
                free(p);
                return NULL;
        }
        *ret_len = total;
        *ret_mlen = mlen;
        return p;
}

/* $MN2: module table, filler, $MCP, $SKU, $DAT; module data follows the manifest. */
static uint8_t *build_mn2(const synth_manifest_spec *spec, size_t *ret_len, size_t *ret_mlen) {
        size_t stride = spec->txe_stride ? spec->txe_stride : 0x60;
        size_t n = spec->n_modules;
        uint8_t *stored[64] = {};
        size_t stored_len[64];
        if (n > 64)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                const synth_module *mod = &spec->modules[i];
                if (mod->compression == 2 && !mod->stored_as_is)
                        stored[i] = synth_lzma_alone(mod->data, mod->len, &stored_len[i]);
                else {
                        stored[i] = malloc(mod->len ? mod->len : 1);
                        if (stored[i])
                                memcpy(stored[i], mod->data, mod->len);
                        stored_len[i] = mod->len;
                }
                if (!stored[i])
                        goto fail;
        }
        size_t mlen = HDR + NAME_AREA + n * stride + stride /* 0xFF filler */ + (spec->mcp ? 0x44 : 0) +
                      (spec->sku ? 8 + spec->sku_len : 0) + (spec->pv >= 0 ? 0x20 : 0);
        size_t total = mlen;
        for (size_t i = 0; i < n; i++)
                total += (stored_len[i] + 15) & ~(size_t) 15;
        uint8_t *p = calloc(1, total);
        if (!p)
                goto fail;
        write_header(p, spec, mlen);

        size_t data = mlen, ent = HDR + NAME_AREA;
        for (size_t i = 0; i < n; i++, ent += stride) {
                const synth_module *mod = &spec->modules[i];
                uint8_t *e = p + ent, h[32];
                memcpy(e, "$MME", 4);
                memcpy(e + 4, mod->name, strnlen(mod->name, 16));
                mefw_hash(MEFW_HASH_SHA256, mod->data, mod->len, h);
                reverse_into(e + 0x14, h, 32);
                synth_put32(e + 0x38, (uint32_t) data);
                synth_put32(e + 0x3C, (uint32_t) mod->len);
                synth_put32(e + 0x40, (uint32_t) stored_len[i]);
                synth_put32(e + 0x50, (mod->compression & 7) << 4);
                memcpy(p + data, stored[i], stored_len[i]);
                data += (stored_len[i] + 15) & ~(size_t) 15;
        }
        memset(p + ent, 0xFF, stride);
        size_t rec = ent + stride;
        if (spec->mcp) {
                uint8_t *r = p + rec;
                memcpy(r, "$MCP", 4);
                synth_put32(r + 4, 0x11);
                synth_put32(r + 8, (uint32_t) (total - mlen));
                synth_put32(r + 0x0C, (uint32_t) mlen);
                mefw_hash(MEFW_HASH_SHA256, p + mlen, total - mlen, r + 0x14);
                rec += 0x44;
        }
        if (spec->sku) {
                memcpy(p + rec, "$SKU", 4);
                synth_put32(p + rec + 4, (uint32_t) ((8 + spec->sku_len) / 4));
                memcpy(p + rec + 8, spec->sku, spec->sku_len);
                rec += 8 + spec->sku_len;
        }
        if (spec->pv >= 0) {
                memcpy(p + rec, "$DAT", 4);
                synth_put32(p + rec + 4, 8);
                p[rec + 0x10] = (uint8_t) spec->pv;
                memcpy(p + rec + 0x18, "IFRP", 4);
        }
        if (sign_manifest(p, mlen, false) < 0) {
                free(p);
                goto fail;
        }
        for (size_t i = 0; i < n; i++)
                free(stored[i]);
        *ret_len = total;
        *ret_mlen = mlen;
        return p;
fail:
        for (size_t i = 0; i < n; i++)
                free(stored[i]);
        return NULL;
}

uint8_t *synth_partition(const synth_manifest_spec *spec, size_t *ret_len, size_t *ret_manifest_len) {
        size_t mlen = 0;
        uint8_t *p = spec->man ? build_man(spec, ret_len, &mlen) : build_mn2(spec, ret_len, &mlen);
        if (p && ret_manifest_len)
                *ret_manifest_len = mlen;
        return p;
}

void synth_region_fix_checksum(uint8_t *region) {
        unsigned sum = 0;
        region[0x10 + 0x0B] = 0;
        for (size_t i = 0; i < 0x30; i++)
                sum += region[i];
        region[0x10 + 0x0B] = (uint8_t) (0x100 - (sum & 0xFF));
}

uint8_t *synth_region(const synth_fpt_part *parts, size_t n, size_t region_size) {
        if (0x30 + n * 0x20 > region_size)
                return NULL;
        uint8_t *r = malloc(region_size);
        if (!r)
                return NULL;
        memset(r, 0xFF, region_size);
        memset(r, 0, 0x10);
        uint8_t *f = r + 0x10;
        memset(f, 0, 0x20);
        memcpy(f, "$FPT", 4);
        synth_put32(f + 4, (uint32_t) n);
        f[8] = 0x20;
        f[9] = 0x10;
        f[0x0A] = 0x30;
        synth_put16(f + 0x0C, 7);
        synth_put16(f + 0x0E, 0x64);
        synth_put32(f + 0x10, 0x10);
        synth_put32(f + 0x14, 0xFFFFFC01);
        for (size_t i = 0; i < n; i++) {
                uint8_t *e = r + 0x30 + i * 0x20;
                memset(e, 0, 0x20);
                memcpy(e, parts[i].name, strnlen(parts[i].name, 4));
                memset(e + 4, 0xFF, 4);
                synth_put32(e + 8, parts[i].offset);
                synth_put32(e + 0x0C, parts[i].size);
                synth_put32(e + 0x1C, parts[i].type & 0x7F);
                if (parts[i].content && parts[i].offset < region_size &&
                    parts[i].content_len <= region_size - parts[i].offset)
                        memcpy(r + parts[i].offset, parts[i].content, parts[i].content_len);
        }
        synth_region_fix_checksum(r);
        return r;
}

uint8_t *synth_spi(const uint8_t *me_region, size_t me_len, uint32_t me_base, size_t flash_size) {
        if (me_base < 0x1000 || me_base + me_len > flash_size)
                return NULL;
        uint8_t *img = malloc(flash_size);
        if (!img)
                return NULL;
        memset(img, 0xFF, flash_size);
        uint8_t *d = img;
        synth_put32(d + 0x10, 0x0FF0A55A);
        synth_put32(d + 0x14, 0x04040003); /* FCBA 0x30, one component, FRBA 0x40, 5 regions */
        /* A Lynx Point layout, the chipset of the ME 9 firmware the tests put in: */
        synth_put32(d + 0x18, 0x15100206); /* FMBA 0x60, FPSBA 0x100, 21 PCH straps */
        synth_put32(d + 0x1C, 0x00210120); /* FMSBA 0x200, 1 processor strap, ICC register init at 0x210 */
        memset(d + 0x100, 0, 21 * 4);      /* PCH straps: nothing set */
        memset(d + 0x200, 0, 4);           /* processor strap */
        synth_put32(d + 0xEFC, 0);         /* no ME VSCC table */
        unsigned code = 0;
        while (((size_t) 512 * 1024 << code) < flash_size && code < 7)
                code++;
        synth_put32(d + 0x30, code);
        uint32_t me_end = me_base + (uint32_t) me_len - 1;
        uint32_t bios_base = me_end + 1;
        synth_put32(d + 0x40, 0x00000000);
        synth_put32(d + 0x44, bios_base < flash_size ? (((uint32_t) (flash_size - 1) >> 12) << 16) | (bios_base >> 12)
                                                     : 0x00007FFF);
        synth_put32(d + 0x48, ((me_end >> 12) << 16) | (me_base >> 12));
        for (unsigned i = 3; i < 8; i++)
                synth_put32(d + 0x40 + 4 * i, 0x00007FFF);
        synth_put32(d + 0x60, 0x0B0A0000);
        synth_put32(d + 0x64, 0x0D0C0000);
        memcpy(img + me_base, me_region, me_len);
        return img;
}

uint8_t *synth_me9_region(size_t *ret_len) {
        static uint8_t bup[0x1000], kernel[0x3000];
        for (size_t i = 0; i < sizeof bup; i++)
                bup[i] = (uint8_t) (i * 7 + 3);
        for (size_t i = 0; i < sizeof kernel; i++)
                kernel[i] = (uint8_t) ((i / 64) ^ (i % 13));
        const synth_module mods[] = {
                { "BUP", bup, sizeof bup, 0, false },
                { "KERNEL", kernel, sizeof kernel, 2, false },
        };
        static const uint8_t sku[8] = { 0xE0, 0x99, 0x11, 0xC1, 0x13, 0x22, 0x00, 0x00 };
        synth_manifest_spec spec = {
                .version = { 9, 0, 31, 1487 },
                .partition = "FTPR",
                .flags = 0x40000004,
                .svn = 1,
                .vcn = 3,
                .date = { 0x12, 0x12, 0x13, 0x20 },
                .sku = sku,
                .sku_len = 8,
                .pv = 1,
                .mcp = true,
                .modules = mods,
                .n_modules = 2,
        };
        size_t plen, mlen;
        uint8_t *ftpr = synth_partition(&spec, &plen, &mlen);
        if (!ftpr)
                return NULL;
        size_t ftpr_size = (plen + 0xFFF) & ~(size_t) 0xFFF;
        size_t region_size = 0x3000 + ftpr_size;
        const synth_fpt_part parts[] = {
                { "FOVD", 0x1000, 0x1000, 1, NULL, 0 },
                { "NVCL", 0xFFFFFFFF, 0x8000, 2, NULL, 0 },
                { "FTPR", 0x3000, (uint32_t) ftpr_size, 0, ftpr, plen },
        };
        uint8_t *r = synth_region(parts, 3, region_size);
        free(ftpr);
        if (r)
                *ret_len = region_size;
        return r;
}

uint8_t *synth_wrapped(const uint8_t *image, size_t len, bool aptio, size_t header_len, size_t trailer,
                       size_t *ret_len) {
        /* AMI's Aptio firmware capsule GUID 4A3CA68B-7723-48FB-803D-578CC1FEC44D, as stored */
        static const uint8_t aptio_guid[16] = { 0x8B, 0xA6, 0x3C, 0x4A, 0x23, 0x77, 0xFB, 0x48,
                                                0x80, 0x3D, 0x57, 0x8C, 0xC1, 0xFE, 0xC4, 0x4D };
        size_t total = header_len + len + trailer;
        uint8_t *p = malloc(total);
        if (!p)
                return NULL;
        /* an unknown header: bytes with no structure (and no descriptor signature) */
        for (size_t i = 0; i < header_len; i++)
                p[i] = (uint8_t) (i * 31 + 7);
        if (aptio && header_len >= 32) {
                memset(p, 0, header_len);
                memcpy(p, aptio_guid, 16);
                synth_put32(p + 16, (uint32_t) header_len);
                synth_put32(p + 20, 0);
                synth_put32(p + 24, (uint32_t) (header_len + len));
                synth_put16(p + 28, (uint16_t) header_len);
        }
        memcpy(p + header_len, image, len);
        memset(p + header_len + len, 0x5A, trailer);
        *ret_len = total;
        return p;
}
