/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code partition manifests ($MN2 and $MAN) built by tests/synth.c and signed with a key made at
 * run time: header fields, module tables, records, signature states for intact and damaged
 * manifests, bounds (truncation, bad record lengths, absurd module counts) and the search.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "image/internal.h"
#include "synth.h"

static uint8_t bup[0x1000], kernel[0x3000];
static const uint8_t sku9[8] = { 0xE0, 0x99, 0x11, 0xC1, 0x13, 0x22, 0x00, 0x00 };
static const uint8_t sku5[4] = { 0x3E, 0x08, 0x00, 0x00 };

static void fill_modules(void) {
        for (size_t i = 0; i < sizeof bup; i++)
                bup[i] = (uint8_t) (i * 7 + 3);
        for (size_t i = 0; i < sizeof kernel; i++)
                kernel[i] = (uint8_t) ((i / 64) ^ (i % 13));
}

/* ME 9 style FTPR: BUP stored, KERNEL LZMA, $MCP, $SKU, $DAT. */
static uint8_t *make_mn2(size_t *ret_len, size_t *ret_mlen, unsigned stride) {
        fill_modules();
        const synth_module mods[] = {
                { "BUP", bup, sizeof bup, 0, false },
                { "KERNEL", kernel, sizeof kernel, 2, false },
        };
        synth_manifest_spec spec = {
                .version = { 9, 0, 31, 1487 },
                .partition = "FTPR",
                .flags = 0x40000004,
                .svn = 1,
                .svn_me8 = 7,
                .vcn = 3,
                .date = { 0x12, 0x12, 0x13, 0x20 },
                .sku = sku9,
                .sku_len = 8,
                .pv = 1,
                .mcp = true,
                .modules = mods,
                .n_modules = 2,
                .txe_stride = stride,
        };
        uint8_t *p = synth_partition(&spec, ret_len, ret_mlen);
        assert_non_null(p);
        return p;
}

/* ME 5 style $MAN: BRINGUP and KERNEL as $MOD records, 4-byte $SKU. */
static uint8_t *make_man(size_t *ret_len, size_t *ret_mlen) {
        fill_modules();
        const synth_module mods[] = {
                { "BRINGUP", bup, 0x800, 0, false },
                { "KERNEL", kernel, 0x1000, 0, false },
        };
        synth_manifest_spec spec = {
                .man = true,
                .version = { 5, 2, 0, 1009 },
                .date = { 0x29, 0x06, 0x09, 0x20 },
                .sku = sku5,
                .sku_len = 4,
                .pv = -1,
                .modules = mods,
                .n_modules = 2,
        };
        uint8_t *p = synth_partition(&spec, ret_len, ret_mlen);
        assert_non_null(p);
        return p;
}

typedef struct {
        mefw_report *report;
        mefw_ctx ctx;
} fixture;

static void fx_init(fixture *fx, const mefw_view *v) {
        fx->report = calloc(1, sizeof *fx->report);
        assert_non_null(fx->report);
        fx->ctx = (mefw_ctx){ .file = *v, .report = fx->report };
}

static void fx_done(fixture *fx) {
        mefw_report_free(fx->report);
}

static const mefw_message *find_code(const mefw_report *r, const char *code) {
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, code) == 0)
                        return &r->messages.items[i];
        return NULL;
}

/* Parse the manifest at off of [data, data+size) viewed at 'base'; the report is in fx. */
static mefw_manifest *parse_at(fixture *fx, const uint8_t *data, size_t size, uint64_t base, size_t off) {
        mefw_view v = mefw_view_make(data, size, base);
        fx_init(fx, &v);
        mefw_manifest *m = NULL;
        assert_int_equal(mefw_manifest_parse(&fx->ctx, &v, off, &m), 0);
        assert_non_null(m);
        return m;
}

static bool reversed_equal(const uint8_t *stored, const uint8_t *digest, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (stored[i] != digest[n - 1 - i])
                        return false;
        return true;
}

static void test_mn2_fields(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        fixture fx;
        mefw_manifest *m = parse_at(&fx, p, len, 0, 0);

        assert_int_equal(m->offset, 0);
        assert_false(m->is_man);
        assert_memory_equal(m->h.tag, "$MN2", 4);
        assert_int_equal(m->h.module_type, 4);
        assert_int_equal(m->h.vendor, 0x8086);
        assert_int_equal(m->h.flags, 0x40000004u);
        assert_int_equal(m->h.date_day, 0x12);
        assert_int_equal(m->h.date_month, 0x12);
        assert_int_equal(m->h.date_year, 0x2013);
        assert_int_equal(m->h.svn, 1);
        assert_int_equal(m->h.svn_me8, 7);
        assert_int_equal(m->h.vcn, 3);
        assert_int_equal(m->h.size * 4, mlen);
        assert_int_equal(m->header_bytes, 0x284);
        assert_int_equal(m->total_bytes, mlen);
        assert_false(m->truncated);
        assert_string_equal(m->partition, "FTPR");
        assert_int_equal(m->version[0], 9);
        assert_int_equal(m->version[1], 0);
        assert_int_equal(m->version[2], 31);
        assert_int_equal(m->version[3], 1487);

        assert_int_equal(m->mme_stride, 0x60);
        assert_int_equal(m->n_modules, 2);
        const mefw_mme *e = &m->modules[0];
        uint8_t digest[32];
        assert_string_equal(e->name, "BUP");
        assert_int_equal(e->offset, mlen);
        assert_int_equal(e->size, sizeof bup);
        assert_int_equal(e->size_uncompressed, sizeof bup);
        assert_int_equal(MME_V2_COMPRESSION(e->flags), 0);
        assert_int_equal(e->entry_offset, 0x284 + 0x0C);
        mefw_hash(MEFW_HASH_SHA256, bup, sizeof bup, digest);
        assert_true(reversed_equal(e->hash, digest, 32));

        e = &m->modules[1];
        assert_string_equal(e->name, "KERNEL");
        assert_int_equal(e->offset, mlen + sizeof bup);
        assert_int_equal(e->size_uncompressed, sizeof kernel);
        assert_true(e->size > 0 && e->size < sizeof kernel); /* compressed */
        assert_int_equal(MME_V2_COMPRESSION(e->flags), 2);
        assert_int_equal(e->entry_offset, 0x284 + 0x0C + 0x60);
        mefw_hash(MEFW_HASH_SHA256, kernel, sizeof kernel, digest);
        assert_true(reversed_equal(e->hash, digest, 32));
        /* the stored stream is LZMA alone: properties byte 0x5D (lc 3, lp 0, pb 2) */
        assert_int_equal(p[e->offset], 0x5D);

        assert_true(m->has_mcp);
        assert_memory_equal(m->mcp.tag, "$MCP", 4);
        assert_int_equal(m->mcp.code_offset, mlen);
        assert_int_equal(m->mcp.code_size, len - mlen);
        assert_memory_equal(p + m->mcp_offset, "$MCP", 4);
        mefw_hash(MEFW_HASH_SHA256, p + mlen, len - mlen, digest);
        assert_memory_equal(m->mcp.hash, digest, 32); /* natural byte order */

        assert_true(m->has_sku);
        assert_int_equal(m->sku_len, 8);
        assert_memory_equal(m->sku, sku9, 8);
        assert_memory_equal(p + m->sku_offset, "$SKU", 4);
        assert_int_equal(m->pv, 1);
        assert_int_equal(m->n_udc, 0);

        /* valid math, key not one of Intel's */
        assert_int_equal(m->signature, MEFW_SIG_UNKNOWN_KEY);
        assert_null(m->key);
        mefw_hash(MEFW_HASH_SHA256, p + 0x80, 0x100, digest);
        assert_memory_equal(m->key_hash, digest, 32);
        assert_int_equal(fx.report->messages.count, 0);

        free(m);
        fx_done(&fx);
        free(p);
}

static void test_mn2_at_offset(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        size_t size = 0x2000 + len;
        uint8_t *buf = malloc(size);
        memset(buf, 0xFF, 0x2000);
        memcpy(buf + 0x2000, p, len);
        fixture fx;
        mefw_manifest *m = parse_at(&fx, buf, size, 0x100000, 0x2000);

        assert_int_equal(m->offset, 0x2000);
        assert_int_equal(m->signature, MEFW_SIG_UNKNOWN_KEY);
        assert_int_equal(m->modules[0].entry_offset, 0x2000 + 0x290);
        assert_int_equal(m->modules[0].offset, mlen); /* still relative to the manifest */
        assert_int_equal(m->mcp_offset, 0x2000 + (size_t) ((const uint8_t *) memmem(p, mlen, "$MCP", 4) - p));
        free(m);
        fx_done(&fx);
        free(buf);
        free(p);
}

static void test_txe_stride(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0x80);
        fixture fx;
        mefw_manifest *m = parse_at(&fx, p, len, 0, 0);

        assert_int_equal(m->mme_stride, 0x80);
        assert_int_equal(m->n_modules, 2);
        assert_string_equal(m->modules[1].name, "KERNEL");
        assert_int_equal(m->modules[1].entry_offset, 0x290 + 0x80);
        assert_true(m->has_mcp);
        assert_true(m->has_sku);
        assert_int_equal(m->pv, 1);
        assert_int_equal(m->signature, MEFW_SIG_UNKNOWN_KEY);
        free(m);
        fx_done(&fx);
        free(p);
}

static void test_man_fields(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_man(&len, &mlen);
        fixture fx;
        mefw_manifest *m = parse_at(&fx, p, len, 0, 0);

        assert_true(m->is_man);
        assert_memory_equal(m->h.tag, "$MAN", 4);
        assert_int_equal(m->total_bytes, mlen);
        assert_int_equal(m->version[0], 5);
        assert_int_equal(m->version[1], 2);
        assert_int_equal(m->version[2], 0);
        assert_int_equal(m->version[3], 1009);
        assert_int_equal(m->h.date_year, 0x2009);
        assert_int_equal(m->h.date_month, 0x06);
        assert_int_equal(m->h.date_day, 0x29);
        assert_string_equal(m->partition, "");
        assert_int_equal(m->mme_stride, 0x50);
        assert_int_equal(m->n_modules, 2);
        assert_string_equal(m->modules[0].name, "BRINGUP");
        assert_string_equal(m->modules[1].name, "KERNEL");
        /* $MAN sizes cover the whole $MOD record */
        assert_int_equal(m->modules[0].size, 0x50 + 0x800);
        assert_int_equal(m->modules[1].size, 0x50 + 0x1000);
        assert_int_equal(m->modules[1].entry_offset, 0x290 + 0x50);
        /* SHA-1 of the stored $MOD record, reversed */
        uint8_t digest[20];
        assert_memory_equal(p + mlen, "$MOD", 4);
        mefw_hash(MEFW_HASH_SHA1, p + mlen, 0x850, digest);
        assert_true(reversed_equal(m->modules[0].hash, digest, 20));

        assert_true(m->has_sku);
        assert_int_equal(m->sku_len, 4);
        assert_memory_equal(m->sku, sku5, 4);
        assert_false(m->has_mcp);
        assert_int_equal(m->pv, -1);
        assert_int_equal(m->signature, MEFW_SIG_UNKNOWN_KEY);
        assert_null(m->key);
        assert_int_equal(fx.report->messages.count, 0);
        free(m);
        fx_done(&fx);
        free(p);
}

/* Flip one byte at off and return the signature state (then restore the byte). */
static mefw_signature_state sig_after_flip(uint8_t *p, size_t len, size_t off, uint8_t mask) {
        p[off] ^= mask;
        fixture fx;
        mefw_manifest *m = parse_at(&fx, p, len, 0, 0);
        mefw_signature_state s = m->signature;
        free(m);
        fx_done(&fx);
        p[off] ^= mask;
        return s;
}

static void test_signature_damage(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        size_t sku_at = (size_t) ((uint8_t *) memmem(p, mlen, "$SKU", 4) - p);

        /* signed header bytes: date, version, flags, SVN, the last byte before the key */
        static const size_t signed_header[] = { 0x14, 0x16, 0x24, 0x2A, 0x0C, 0x2C, 0x34, 0x7F };
        for (size_t i = 0; i < sizeof signed_header / sizeof signed_header[0]; i++)
                assert_int_equal(sig_after_flip(p, len, signed_header[i], 0x01), MEFW_SIG_INVALID);
        /* the signature itself, first and last byte */
        assert_int_equal(sig_after_flip(p, len, 0x184 + 7, 0x20), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, 0x184, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, 0x283, 0x01), MEFW_SIG_INVALID);
        /* the modulus (a different key) */
        assert_int_equal(sig_after_flip(p, len, 0x80 + 100, 0x04), MEFW_SIG_INVALID);
        /* after the signature: partition name, a module hash, $SKU contents, the last byte */
        assert_int_equal(sig_after_flip(p, len, 0x284, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, 0x290 + 0x20, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, sku_at + 12, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, mlen - 1, 0x80), MEFW_SIG_INVALID);
        /* module data is not part of the manifest: still verifies */
        assert_int_equal(sig_after_flip(p, len, mlen, 0x01), MEFW_SIG_UNKNOWN_KEY);
        assert_int_equal(sig_after_flip(p, len, len - 1, 0x01), MEFW_SIG_UNKNOWN_KEY);
        /* and unchanged it verifies */
        assert_int_equal(sig_after_flip(p, len, 0, 0), MEFW_SIG_UNKNOWN_KEY);

        /* a key of another size is refused outright */
        synth_put32(p + 0x78, 0x60);
        fixture fx;
        mefw_manifest *m = parse_at(&fx, p, len, 0, 0);
        assert_int_equal(m->signature, MEFW_SIG_INVALID);
        const mefw_message *msg = find_code(fx.report, "manifest-key-size");
        assert_non_null(msg);
        assert_int_equal(msg->severity, MEFW_ERROR);
        assert_int_equal(msg->offset, 0x78);
        free(m);
        fx_done(&fx);
        synth_put32(p + 0x78, 0x40);
        free(p);

        /* $MAN: SHA-1 signed, same rules */
        p = make_man(&len, &mlen);
        assert_int_equal(sig_after_flip(p, len, 0x14, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, 0x184 + 200, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, mlen - 1, 0x01), MEFW_SIG_INVALID);
        assert_int_equal(sig_after_flip(p, len, mlen + 0x60, 0x01), MEFW_SIG_UNKNOWN_KEY);
        assert_int_equal(sig_after_flip(p, len, 0, 0), MEFW_SIG_UNKNOWN_KEY);
        free(p);
}

static void test_truncated(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        fixture fx;

        /* the view ends 4 bytes before the declared manifest size */
        mefw_manifest *m = parse_at(&fx, p, mlen - 4, 0x3000, 0);
        assert_true(m->truncated);
        assert_int_equal(m->total_bytes, mlen - 4);
        assert_int_equal(m->signature, MEFW_SIG_INVALID);
        const mefw_message *msg = find_code(fx.report, "manifest-truncated");
        assert_non_null(msg);
        assert_int_equal(msg->severity, MEFW_ERROR);
        assert_int_equal(msg->offset, 0x3000);
        /* what is there is still read */
        assert_int_equal(m->n_modules, 2);
        assert_string_equal(m->partition, "FTPR");
        free(m);
        fx_done(&fx);

        /* only the header is present */
        m = parse_at(&fx, p, 0x284, 0, 0);
        assert_true(m->truncated);
        assert_int_equal(m->signature, MEFW_SIG_INVALID);
        assert_int_equal(m->n_modules, 0);
        assert_non_null(find_code(fx.report, "manifest-truncated"));
        assert_non_null(find_code(fx.report, "manifest-module-missing"));
        free(m);
        fx_done(&fx);

        /* less than a header: not a manifest */
        mefw_view v = mefw_view_make(p, 0x283, 0);
        fx_init(&fx, &v);
        m = NULL;
        assert_int_equal(mefw_manifest_parse(&fx.ctx, &v, 0, &m), -EBADMSG);
        assert_null(m);
        fx_done(&fx);
        free(p);
}

static void test_record_lengths(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        size_t mcp_at = (size_t) ((uint8_t *) memmem(p, mlen, "$MCP", 4) - p);
        size_t sku_at = (size_t) ((uint8_t *) memmem(p, mlen, "$SKU", 4) - p);
        static const uint32_t bad[] = { 0, 1, 0xFFFFFFFF, 0x40000000, 0x10000 };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                /* a bad $SKU length: $MCP before it is read, $SKU and $DAT are not */
                uint32_t keep = mefw_le32(p + sku_at + 4);
                synth_put32(p + sku_at + 4, bad[i]);
                fixture fx;
                mefw_manifest *m = parse_at(&fx, p, len, 0x40000, 0);
                const mefw_message *msg = find_code(fx.report, "manifest-record-length");
                assert_non_null(msg);
                assert_int_equal(msg->severity, MEFW_ERROR);
                assert_int_equal(msg->offset, 0x40000 + sku_at);
                assert_non_null(strstr(msg->text, "$SKU"));
                assert_true(m->has_mcp);
                assert_false(m->has_sku);
                assert_int_equal(m->pv, -1);
                assert_int_equal(m->signature, MEFW_SIG_INVALID); /* signed bytes changed */
                free(m);
                fx_done(&fx);
                synth_put32(p + sku_at + 4, keep);

                /* a bad $MCP length stops before everything */
                keep = mefw_le32(p + mcp_at + 4);
                synth_put32(p + mcp_at + 4, bad[i]);
                m = parse_at(&fx, p, len, 0, 0);
                assert_non_null(find_code(fx.report, "manifest-record-length"));
                assert_false(m->has_mcp);
                assert_false(m->has_sku);
                free(m);
                fx_done(&fx);
                synth_put32(p + mcp_at + 4, keep);
        }

        /* a length that ends exactly at the manifest's end is fine; one dword more is not */
        size_t dat_at = (size_t) ((uint8_t *) memmem(p, mlen, "$DAT", 4) - p);
        assert_int_equal(dat_at + 0x20, mlen);
        fixture fx;
        synth_put32(p + dat_at + 4, 9);
        mefw_manifest *m = parse_at(&fx, p, len, 0, 0);
        assert_non_null(find_code(fx.report, "manifest-record-length"));
        assert_true(m->has_sku);
        assert_int_equal(m->pv, -1);
        free(m);
        fx_done(&fx);
        synth_put32(p + dat_at + 4, 8);
        m = parse_at(&fx, p, len, 0, 0);
        assert_null(find_code(fx.report, "manifest-record-length"));
        assert_int_equal(m->pv, 1);
        free(m);
        fx_done(&fx);
        free(p);
}

static void test_too_many_modules(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        fixture fx;
        mefw_manifest *m;

        /*
         * $MN2 with a module table but a huge count: a damaged pre-CSE count (a CSE build tag
         * would come without $MME entries), so it is capped and reported, never trusted.
         */
        synth_put32(p + 0x20, 0x10000);
        m = parse_at(&fx, p, len, 0, 0);
        assert_false(m->is_cse);
        assert_int_equal(m->n_modules, 2);
        assert_non_null(find_code(fx.report, "manifest-too-many-modules"));
        assert_non_null(find_code(fx.report, "manifest-module-missing"));
        assert_int_equal(m->signature, MEFW_SIG_INVALID); /* the count is signed */
        free(m);
        fx_done(&fx);

        /* no $MME where the table would start and a build-tag-like value: a CSE manifest */
        uint8_t *q = malloc(len);
        memcpy(q, p, len);
        synth_put32(q + 0x20, 0x10000);
        memset(q + 0x290, 0, 4);
        m = parse_at(&fx, q, len, 0, 0);
        assert_true(m->is_cse);
        assert_int_equal(m->n_modules, 0);
        assert_null(find_code(fx.report, "manifest-module-missing"));
        free(m);
        fx_done(&fx);
        free(q);

        /* a count the table does not hold: the real entries are read, then the table ends */
        synth_put32(p + 0x20, 0x4F);
        m = parse_at(&fx, p, len, 0, 0);
        assert_false(m->is_cse);
        assert_int_equal(m->n_modules, 2);
        const mefw_message *msg = find_code(fx.report, "manifest-module-missing");
        assert_non_null(msg);
        assert_int_equal(msg->severity, MEFW_ERROR);
        assert_non_null(strstr(msg->text, "3 of 79"));
        assert_null(find_code(fx.report, "manifest-too-many-modules"));
        free(m);
        fx_done(&fx);
        free(p);

        /* $MAN with 200 real entries: only MEFW_MANIFEST_MAX_MODULES are kept */
        size_t n = 200, total = 0x284 + 0x0C + n * 0x50;
        p = calloc(1, total);
        synth_put32(p + 0x00, 4);
        synth_put32(p + 0x04, 0xA1);
        synth_put32(p + 0x10, 0x8086);
        synth_put32(p + 0x18, (uint32_t) (total / 4));
        memcpy(p + 0x1C, "$MAN", 4);
        synth_put32(p + 0x20, (uint32_t) n);
        synth_put32(p + 0x78, 0x40);
        synth_put32(p + 0x7C, 1);
        for (size_t i = 0; i < n; i++) {
                uint8_t *e = p + 0x290 + i * 0x50;
                memcpy(e, "$MME", 4);
                snprintf((char *) e + 0x1C, 16, "M%03zu", i);
        }
        m = parse_at(&fx, p, total, 0, 0);
        assert_true(m->is_man);
        assert_int_equal(m->n_modules, MEFW_MANIFEST_MAX_MODULES);
        assert_string_equal(m->modules[MEFW_MANIFEST_MAX_MODULES - 1].name, "M127");
        msg = find_code(fx.report, "manifest-too-many-modules");
        assert_non_null(msg);
        assert_int_equal(msg->severity, MEFW_ERROR);
        assert_non_null(strstr(msg->text, "200"));
        assert_null(find_code(fx.report, "manifest-module-missing"));
        assert_int_equal(m->signature, MEFW_SIG_INVALID); /* no key at all */
        free(m);
        fx_done(&fx);

        /* 0xFFFFFFFF modules: capped the same way, no huge reads */
        synth_put32(p + 0x20, 0xFFFFFFFF);
        m = parse_at(&fx, p, total, 0, 0);
        assert_int_equal(m->n_modules, MEFW_MANIFEST_MAX_MODULES);
        assert_non_null(strstr(find_code(fx.report, "manifest-too-many-modules")->text, "4294967295"));
        free(m);
        fx_done(&fx);

        /* exactly the cap: no message */
        synth_put32(p + 0x20, MEFW_MANIFEST_MAX_MODULES);
        m = parse_at(&fx, p, total, 0, 0);
        assert_int_equal(m->n_modules, MEFW_MANIFEST_MAX_MODULES);
        assert_null(find_code(fx.report, "manifest-too-many-modules"));
        free(m);
        fx_done(&fx);
        free(p);
}

static void test_manifest_at(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        mefw_view v = mefw_view_make(p, len, 0);

        assert_true(mefw_manifest_at(&v, 0));
        assert_false(mefw_manifest_at(&v, 1));
        static const struct {
                size_t off;
                uint32_t value;
        } bad[] = {
                { 0x00, 3 },          /* module type */
                { 0x04, 0xA0 },       /* header length */
                { 0x10, 0x8087 },     /* vendor */
                { 0x18, 0xA0 },       /* size smaller than the header */
                { 0x18, 0x40001 },    /* size above 1 MiB */
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                uint32_t keep = mefw_le32(p + bad[i].off);
                synth_put32(p + bad[i].off, bad[i].value);
                assert_false(mefw_manifest_at(&v, 0));
                fixture fx;
                fx_init(&fx, &v);
                mefw_manifest *m = NULL;
                assert_int_equal(mefw_manifest_parse(&fx.ctx, &v, 0, &m), -EBADMSG);
                assert_null(m);
                fx_done(&fx);
                synth_put32(p + bad[i].off, keep);
        }
        /* the largest allowed size is accepted by the header check */
        uint32_t keep = mefw_le32(p + 0x18);
        synth_put32(p + 0x18, 0x40000);
        assert_true(mefw_manifest_at(&v, 0));
        synth_put32(p + 0x18, keep);
        memcpy(p + 0x1C, "$MN3", 4);
        assert_false(mefw_manifest_at(&v, 0));
        free(p);
}

static void test_find(void **state) {
        (void) state;
        size_t len, mlen;
        uint8_t *p = make_mn2(&len, &mlen, 0);
        size_t size = 0x3000 + len;
        uint8_t *buf = calloc(1, size);

        /* decoys: a bare tag in zeros, a tag too close to the start for a header, a tag with
         * the vendor id but a wrong header length, a $MAN tag with garbage around it */
        memcpy(buf + 0x100, "$MN2", 4);
        memcpy(buf + 0x4, "$MAN", 4);
        synth_put32(buf + 0x800 + 0x00, 4);
        synth_put32(buf + 0x800 + 0x10, 0x8086);
        synth_put32(buf + 0x800 + 0x18, 0x100);
        synth_put32(buf + 0x800 + 0x04, 0x21);
        memcpy(buf + 0x800 + 0x1C, "$MN2", 4);
        memcpy(buf + 0x1000, "xx$MANyy$MN2$MN2", 16);
        /* the real one */
        memcpy(buf + 0x3000, p, len);
        mefw_view v = mefw_view_make(buf, size, 0);

        assert_int_equal(mefw_manifest_find(&v, 0), 0x3000);
        assert_int_equal(mefw_manifest_find(&v, 0x2FFF), 0x3000);
        assert_int_equal(mefw_manifest_find(&v, 0x3000), 0x3000);
        assert_int_equal(mefw_manifest_find(&v, 0x3001), -1);
        assert_int_equal(mefw_manifest_find(&v, size), -1);

        /* a second, $MAN manifest later */
        size_t mlen2, len2;
        uint8_t *p2 = make_man(&len2, &mlen2);
        size_t size2 = size + 0x1000 + len2;
        buf = realloc(buf, size2);
        memset(buf + size, 0, 0x1000);
        memcpy(buf + size + 0x1000, p2, len2);
        v = mefw_view_make(buf, size2, 0);
        assert_int_equal(mefw_manifest_find(&v, 0), 0x3000);
        assert_int_equal(mefw_manifest_find(&v, 0x3001), (int64_t) (size + 0x1000));

        /* at offset 0 of the view */
        mefw_view v0 = mefw_view_make(p, len, 0);
        assert_int_equal(mefw_manifest_find(&v0, 0), 0);
        /* a view that ends inside the header: not found */
        mefw_view vs = mefw_view_make(buf, 0x3000 + 0x283, 0);
        assert_int_equal(mefw_manifest_find(&vs, 0), -1);

        /* "at or after from" holds for any from: from + 0x1C must not wrap around to the start */
        int64_t wrapped = mefw_manifest_find(&v, SIZE_MAX - 0x10);
        free(buf);
        free(p);
        free(p2);
        assert_int_equal(wrapped, -1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_mn2_fields),
                cmocka_unit_test(test_mn2_at_offset),
                cmocka_unit_test(test_txe_stride),
                cmocka_unit_test(test_man_fields),
                cmocka_unit_test(test_signature_damage),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_record_lengths),
                cmocka_unit_test(test_too_many_modules),
                cmocka_unit_test(test_manifest_at),
                cmocka_unit_test(test_find),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
