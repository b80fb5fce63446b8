/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "synth_cse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crc.h"
#include "core/crypto.h"
#include "image/mfs.h"
#include "synth.h"
#include "testkey.h"

#define MAX_FILES 32

static void reverse_copy(uint8_t *dst, const uint8_t *src, size_t n) {
        for (size_t i = 0; i < n; i++)
                dst[i] = src[n - 1 - i];
}

static size_t align4(size_t v) {
        return (v + 3) & ~(size_t) 3;
}

/* LZMA with the CSE header quirk: three zero bytes after the 13-byte header. */
static uint8_t *cse_lzma(const uint8_t *data, size_t len, size_t *ret_len) {
        size_t l;
        uint8_t *plain = synth_lzma_alone(data, len, &l);
        if (!plain)
                return NULL;
        uint8_t *out = calloc(1, l + 3);
        if (out) {
                memcpy(out, plain, 0x0D);
                memcpy(out + 0x10, plain + 0x0D, l - 0x0D);
                /* the quirk is recognized by these properties */
                out[0] = 0x36;
                out[1] = 0x00;
                out[2] = 0x40;
                out[3] = 0x00;
                out[4] = 0x00;
                *ret_len = l + 3;
        }
        free(plain);
        return out;
}

typedef struct {
        char name[13];
        uint8_t *data;
        size_t len;
        size_t offset;
} cfile;

uint8_t *synth_cse_partition(const synth_cse_spec *spec, size_t *ret_len, size_t *ret_man_off) {
        size_t hlen = spec->r2 ? 48 : 32, hdr = spec->r2 ? 0x384 : 0x284;
        mefw_hash_alg alg = spec->r2 ? MEFW_HASH_SHA384 : MEFW_HASH_SHA256;
        cfile files[MAX_FILES] = {};
        size_t n = 0;

        /* the manifest first (filled in last), then metadata and module files */
        size_t ext_len = (spec->client_info ? 0x30 : 0) + 0x34 + (spec->r2 ? 0x68 : 0x58);
        size_t man_len = hdr + ext_len;
        snprintf(files[n].name, sizeof files[n].name, "%s.man", spec->name);
        files[n].len = man_len;
        files[n].data = calloc(1, man_len);
        n++;
        for (size_t i = 0; i < spec->n_modules && n + 2 <= MAX_FILES; i++) {
                const synth_cse_module *m = &spec->modules[i];
                if (spec->no_metadata) { /* the module alone, stored as is */
                        cfile *mod = &files[n++];
                        snprintf(mod->name, sizeof mod->name, "%s", m->name);
                        mod->data = malloc(m->len);
                        memcpy(mod->data, m->data, m->len);
                        mod->len = m->len;
                        continue;
                }
                cfile *mod = &files[n + 1], *met = &files[n];
                snprintf(mod->name, sizeof mod->name, "%s", m->name);
                snprintf(met->name, sizeof met->name, "%s.met", m->name);
                if (m->compression == 2)
                        mod->data = cse_lzma(m->data, m->len, &mod->len);
                else {
                        mod->data = malloc(m->len);
                        memcpy(mod->data, m->data, m->len);
                        mod->len = m->len;
                }
                size_t alen = spec->r2 ? 0x48 : 0x38;
                met->data = calloc(1, alen);
                met->len = alen;
                synth_put32(met->data, 0x0A);
                synth_put32(met->data + 4, (uint32_t) alen);
                met->data[8] = (uint8_t) m->compression;
                synth_put32(met->data + 0x0C, (uint32_t) m->len);
                synth_put32(met->data + 0x10, (uint32_t) mod->len);
                uint8_t digest[48];
                mefw_hash(alg, mod->data, mod->len, digest);
                reverse_copy(met->data + 0x18, digest, hlen);
                n += 2;
        }

        size_t table = (spec->r2 ? 0x14 : 0x10) + n * 0x18;
        size_t pos = align4(table);
        for (size_t i = 0; i < n; i++) {
                files[i].offset = pos;
                pos = align4(pos + files[i].len);
        }
        size_t total = (pos + 0xFFF) & ~(size_t) 0xFFF;
        uint8_t *p = malloc(total);
        memset(p, 0xFF, total);
        memcpy(p, "$CPD", 4);
        synth_put32(p + 4, (uint32_t) n);
        p[8] = spec->r2 ? 2 : 1;
        p[9] = 1;
        p[10] = spec->r2 ? 0x14 : 0x10;
        memcpy(p + 12, spec->name, 4);
        if (spec->r2)
                synth_put32(p + 0x10, 0);
        for (size_t i = 0; i < n; i++) {
                uint8_t *e = p + (spec->r2 ? 0x14 : 0x10) + i * 0x18;
                memset(e, 0, 0x18);
                memcpy(e, files[i].name, strlen(files[i].name));
                synth_put32(e + 0x0C, (uint32_t) files[i].offset);
                synth_put32(e + 0x10, (uint32_t) files[i].len);
        }
        for (size_t i = 1; i < n; i++)
                memcpy(p + files[i].offset, files[i].data, files[i].len);

        /* the manifest: header, extensions (partition hash over everything but the manifest) */
        uint8_t *m = p + files[0].offset;
        memset(m, 0, man_len);
        synth_put32(m + 0x00, 4);
        synth_put32(m + 0x04, (uint32_t) (hdr / 4));
        synth_put32(m + 0x08, spec->r2 ? 0x21000 : 0x10000);
        synth_put32(m + 0x0C, spec->flags);
        synth_put32(m + 0x10, 0x8086);
        m[0x14] = 0x20; /* 2019-06-20, BCD */
        m[0x15] = 0x06;
        synth_put16(m + 0x16, 0x2019);
        synth_put32(m + 0x18, (uint32_t) (man_len / 4));
        memcpy(m + 0x1C, "$MN2", 4);
        for (int i = 0; i < 4; i++)
                synth_put16(m + 0x24 + 2 * i, spec->version[i]);
        synth_put32(m + 0x2C, spec->svn);
        synth_put32(m + 0x78, spec->r2 ? 0x60 : 0x40);
        synth_put32(m + 0x7C, 1);
        uint8_t *x = m + hdr;
        if (spec->client_info) {
                synth_put32(x, 0x0C);
                synth_put32(x + 4, 0x30);
                synth_put32(x + 8, spec->sku_caps);
                memset(x + 0x0C, 0xFF, 0x1C);
                memcpy(x + 0x28, &spec->sku_attributes, 8); /* little-endian hosts only, as the tests */
                x += 0x30;
        }
        synth_put32(x, 0x0F);
        synth_put32(x + 4, 0x34);
        memcpy(x + 8, spec->name, 4);
        synth_put32(x + 0x0C, spec->vcn);
        synth_put32(x + 0x20, spec->arb);
        x += 0x34;
        size_t pinfo = spec->r2 ? 0x68 : 0x58;
        synth_put32(x, spec->ifwi_info ? 0x16 : 0x03);
        synth_put32(x + 4, (uint32_t) pinfo);
        memcpy(x + 8, spec->name, 4);
        synth_put32(x + 0x0C, (uint32_t) total);
        uint8_t *hash_at;
        if (spec->ifwi_info) {
                x[0x20] = spec->r2 ? 3 : 2;
                x[0x21] = (uint8_t) hlen;
                hash_at = x + 0x24;
        } else {
                synth_put32(x + 0x10 + hlen, spec->vcn);
                hash_at = x + 0x10;
        }
        /* checksum of the directory first: it is part of the hashed span */
        size_t tlen = (spec->r2 ? 0x14 : 0x10) + n * 0x18;
        if (spec->r2) {
                uint32_t crc = mefw_crc32(0, p, tlen);
                synth_put32(p + 0x10, crc);
        } else {
                p[0x0B] = 0;
                uint8_t sum = 0;
                for (size_t i = 0; i < tlen; i++)
                        sum = (uint8_t) (sum + p[i]);
                p[0x0B] = (uint8_t) (0x100 - sum);
        }
        uint8_t digest[48];
        mefw_span parts[] = { { p, files[0].offset }, { m + man_len, total - files[0].offset - man_len } };
        mefw_hash_parts(alg, parts, 2, digest);
        reverse_copy(hash_at, digest, hlen);

        /* sign: the header up to the key, then everything after the signature */
        testkey *key = testkey_new(spec->r2 ? 3072 : 2048, 65537);
        if (key) {
                size_t klen = spec->r2 ? 0x180 : 0x100;
                testkey_modulus_le(key, m + 0x80, klen);
                synth_put32(m + 0x80 + klen, testkey_exponent(key));
                mefw_span sp[] = { { m, 0x80 }, { m + hdr, man_len - hdr } };
                mefw_hash_parts(alg, sp, 2, digest);
                if (spec->r2)
                        testkey_sign_pss(key, spec->pss_salt ? spec->pss_salt : 48, digest, hlen, m + 0x84 + klen,
                                         klen);
                else
                        testkey_sign(key, MEFW_RSA_PKCS1_SHA256, digest, hlen, m + 0x84 + klen, klen);
                testkey_free(key);
        }
        for (size_t i = 0; i < n; i++)
                free(files[i].data);
        *ret_len = total;
        if (ret_man_off)
                *ret_man_off = files[0].offset;
        return p;
}

uint8_t *synth_cse_region(const synth_cse_entry *entries, size_t n, size_t region_size) {
        uint8_t *r = malloc(region_size);
        memset(r, 0xFF, region_size);
        memset(r, 0, 0x10);
        uint8_t *f = r + 0x10;
        memset(f, 0, 0x20);
        memcpy(f, "$FPT", 4);
        synth_put32(f + 4, (uint32_t) n);
        f[8] = 0x20;
        f[9] = 0x10;
        f[10] = 0x20;
        synth_put32(f + 0x14, 0);
        for (size_t i = 0; i < n; i++) {
                uint8_t *e = f + 0x20 + i * 0x20;
                memset(e, 0, 0x20);
                memcpy(e, entries[i].name, strlen(entries[i].name));
                synth_put32(e + 8, entries[i].offset);
                synth_put32(e + 0x0C, entries[i].size);
                if (entries[i].content)
                        memcpy(r + entries[i].offset, entries[i].content, entries[i].content_len);
        }
        uint8_t sum = 0;
        for (size_t i = 0; i < 0x20; i++)
                sum = (uint8_t) (sum + f[i]);
        f[0x0B] = (uint8_t) (0x100 - sum);
        return r;
}

static unsigned bpdt_type(const char *name) {
        static const struct {
                const char *name;
                unsigned type;
        } t[] = { { "RBEP", 1 }, { "FTPR", 2 }, { "NFTP", 7 }, { "PMCP", 14 }, { "PCHC", 32 } };
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
                if (strcmp(t[i].name, name) == 0)
                        return t[i].type;
        return 20;
}

uint8_t *synth_cse_ifwi17(const synth_cse_entry *boot, size_t n, size_t region_size, size_t *ret_bp1) {
        uint8_t *r = malloc(region_size);
        memset(r, 0xFF, region_size);
        const uint32_t bp1 = 0x1000, data = (uint32_t) (region_size - 0x2000), data_size = 0x2000;
        /* layout table */
        synth_put16(r + 0x10, 0x48);
        r[0x12] = 0;
        r[0x13] = 0;
        uint32_t ptrs[16] = { data, data_size, bp1, data - bp1 };
        for (int i = 0; i < 16; i++)
                synth_put32(r + 0x18 + 4 * i, ptrs[i]);
        synth_put32(r + 0x14, 0);
        synth_put32(r + 0x14, mefw_crc32(0, r + 0x10, 0x48));
        /* data partition: a $FPT v2.1 with one empty entry */
        uint8_t *f = r + data;
        memset(f, 0, 0x40);
        memcpy(f, "$FPT", 4);
        synth_put32(f + 4, 1);
        f[8] = 0x21;
        f[9] = 0x10;
        f[10] = 0x20;
        memcpy(f + 0x20, "PSVN", 4);
        synth_put32(f + 0x28, 0x400);
        synth_put32(f + 0x2C, 0x200);
        synth_put32(f + 0x14, mefw_crc32(0, f, 0x40));
        /* boot partition 1: BPDT v2 */
        uint8_t *b = r + bp1;
        memset(b, 0, 0x18 + n * 12);
        synth_put32(b, 0x55AA);
        synth_put16(b + 4, (uint16_t) n);
        b[6] = 2;
        synth_put16(b + 0x10, 16);
        synth_put16(b + 0x12, 1);
        synth_put16(b + 0x14, 30);
        synth_put16(b + 0x16, 2319);
        for (size_t i = 0; i < n; i++) {
                uint8_t *e = b + 0x18 + 12 * i;
                synth_put32(e, bpdt_type(boot[i].name));
                synth_put32(e + 4, boot[i].offset);
                synth_put32(e + 8, boot[i].size);
                if (boot[i].content)
                        memcpy(b + boot[i].offset, boot[i].content, boot[i].content_len);
        }
        uint8_t zero[4] = { 0 };
        uint32_t crc = mefw_crc32(0, b + 4, 4);
        crc = mefw_crc32(crc, zero, 4);
        crc = mefw_crc32(crc, b + 0x0C, 0x18 + n * 12 - 0x0C);
        synth_put32(b + 8, crc);
        *ret_bp1 = bp1;
        return r;
}

/* ---- MFS ---- */

static void chunk_crc(uint8_t *chunk, uint16_t index) {
        uint8_t idx[2] = { (uint8_t) (index & 0xFF), (uint8_t) (index >> 8) };
        uint16_t crc = mefw_crc16_ccitt(0xFFFF, chunk, 0x40);
        crc = mefw_crc16_ccitt(crc, idx, 2);
        synth_put16(chunk + 0x40, crc);
}

static void page_header(uint8_t *pg, uint32_t number, uint16_t first_chunk) {
        static const uint8_t sig[4] = { 0x87, 0x78, 0x55, 0xAA };
        memset(pg, 0xFF, 0x2000);
        memcpy(pg, sig, 4);
        synth_put32(pg + 4, number);
        synth_put32(pg + 8, 1);
        synth_put16(pg + 0x0C, 0);
        synth_put16(pg + 0x0E, first_chunk);
        pg[0x10] = mefw_crc8(1, pg, 0x10);
        pg[0x11] = 0;
}

uint8_t *synth_mfs(size_t pages, uint8_t pch_byte, bool with_file7, size_t *ret_len) {
        const uint32_t n_files = 16;
        size_t data_pages = pages - pages / 12 - 1;
        uint32_t max_data = (uint32_t) (data_pages * 122);
        size_t sys_len = 0x0E + (n_files + max_data) * 2;
        uint32_t sys_chunks = (uint32_t) ((sys_len + 0x3F) / 0x40);
        size_t total = pages * 0x2000;
        uint8_t *p = malloc(total);
        memset(p, 0xFF, total);
        uint8_t *sys = calloc(sys_chunks, 0x40);

        /* volume header and FAT: file 6 in data chunk 0, file 7 in data chunk 1 */
        synth_put32(sys, 0x724F6201);
        sys[4] = 1;
        sys[5] = 0;
        synth_put32(sys + 8, (uint32_t) ((sys_chunks + max_data) * 0x40));
        synth_put16(sys + 0x0C, (uint16_t) n_files);
        uint8_t cfg[0x40];
        memset(cfg, 0, sizeof cfg);
        synth_put32(cfg, 1);
        memcpy(cfg + 4, "mphytbl", 7);
        synth_put16(cfg + 4 + 0x12, 9);
        synth_put32(cfg + 4 + 0x18, 4 + 0x1C);
        uint8_t table[9] = { 0x02, 0xC6, 0x34, pch_byte, 0, 0, 0, 0, 0 };
        memcpy(cfg + 4 + 0x1C, table, sizeof table);
        size_t cfg_len = 4 + 0x1C + sizeof table;
        uint8_t *fat = sys + 0x0E;
        synth_put16(fat + 2 * 6, (uint16_t) n_files);
        synth_put16(fat + 2 * (n_files + 0), (uint16_t) cfg_len);
        if (with_file7) {
                synth_put16(fat + 2 * 7, (uint16_t) (n_files + 1));
                synth_put16(fat + 2 * (n_files + 1), 8);
        }

        /* page 0: system page holding the system chunks; page 1: data page; last: scratch */
        uint8_t *pg = p;
        page_header(pg, 1, 0);
        uint16_t prev = 0;
        for (uint32_t k = 0; k < sys_chunks && k < 120; k++) {
                uint16_t index = (uint16_t) k;
                synth_put16(pg + 0x12 + 2 * k, (uint16_t) (mefw_mfs_crc14(prev) ^ index));
                prev = index;
                uint8_t *c = pg + 0x104 + k * 0x42;
                memcpy(c, sys + k * 0x40, 0x40);
                chunk_crc(c, index);
        }
        pg = p + 0x2000;
        page_header(pg, 2, (uint16_t) sys_chunks);
        pg[0x12] = 0;
        memcpy(pg + 0x8C, cfg, 0x40);
        chunk_crc(pg + 0x8C, (uint16_t) sys_chunks);
        if (with_file7) {
                pg[0x13] = 0;
                memset(pg + 0x8C + 0x42, 0x5A, 0x40);
                chunk_crc(pg + 0x8C + 0x42, (uint16_t) (sys_chunks + 1));
        }
        for (size_t i = 2; i + 1 < pages; i++)
                page_header(p + i * 0x2000, (uint32_t) i + 1, (uint16_t) (sys_chunks + 122 * (i - 1)));
        /* scratch page: no signature, number 0, CRC 0 */
        memset(p + (pages - 1) * 0x2000, 0, 0x12);
        free(sys);
        *ret_len = total;
        return p;
}
