/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw_analyze_buffer() end to end on images built in memory (tests/synth.c): regions, SPI
 * images, update images, $MAN and ME 7 partitions, damaged and cut images, and inputs that
 * hold no firmware. When MEFW_CORPUS holds me9.0.31.1487_1.5MB_PRD_RGN.bin, that real region
 * is also checked intact and with single flipped bytes (in memory; the file is not changed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mefw/mefw.h"
#include "synth.h"

#define MiB (1024u * 1024u)

/* ---- helpers ----------------------------------------------------------------------------- */

static mefw_report *analyze(const uint8_t *data, size_t size) {
        mefw_report *r = NULL;
        assert_int_equal(mefw_analyze_buffer(data, size, "test.bin", &r), 0);
        assert_non_null(r);
        return r;
}

static const mefw_message *find_code(const mefw_report *r, const char *code) {
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, code) == 0)
                        return &r->messages.items[i];
        return NULL;
}

static size_t count_severity(const mefw_report *r, mefw_severity s) {
        size_t n = 0;
        for (size_t i = 0; i < r->messages.count; i++)
                if (r->messages.items[i].severity == s)
                        n++;
        return n;
}

static void dump_messages(const mefw_report *r) {
        for (size_t i = 0; i < r->messages.count; i++)
                printf("  [%s] %s @%lld: %s\n", mefw_severity_name(r->messages.items[i].severity),
                       r->messages.items[i].code, (long long) r->messages.items[i].offset, r->messages.items[i].text);
}

#define assert_code(r, code, sev)                                                                 \
        do {                                                                                      \
                const mefw_message *m_ = find_code((r), (code));                                  \
                if (!m_) {                                                                        \
                        dump_messages(r);                                                         \
                        fail_msg("message '%s' not reported", (code));                            \
                }                                                                                 \
                assert_int_equal(m_->severity, (sev));                                            \
        } while (0)

#define assert_no_code(r, code)                                                                   \
        do {                                                                                      \
                if (find_code((r), (code))) {                                                     \
                        dump_messages(r);                                                         \
                        fail_msg("message '%s' unexpectedly reported", (code));                   \
                }                                                                                 \
        } while (0)

static const mefw_module *module_named(const mefw_report *r, const char *name) {
        for (size_t i = 0; i < r->fw.n_modules; i++)
                if (strcmp(r->fw.modules[i].name, name) == 0)
                        return &r->fw.modules[i];
        return NULL;
}

static const mefw_module *first_lzma_module(const mefw_report *r) {
        for (size_t i = 0; i < r->fw.n_modules; i++)
                if (strcmp(r->fw.modules[i].compression, "lzma") == 0)
                        return &r->fw.modules[i];
        return NULL;
}

static void assert_version(const mefw_report *r, unsigned a, unsigned b, unsigned c, unsigned d) {
        assert_true(r->fw.has_version);
        char buf[32], want[32];
        snprintf(want, sizeof want, "%u.%u.%u.%u", a, b, c, d);
        assert_string_equal(mefw_format_version(r->fw.version, buf, sizeof buf), want);
}

static uint8_t *me9_region(size_t *ret_len) {
        uint8_t *r = synth_me9_region(ret_len);
        assert_non_null(r);
        return r;
}

#define MIN_(a, b) ((a) < (b) ? (a) : (b))

static uint8_t *dup_bytes(const uint8_t *p, size_t n, size_t alloc) {
        uint8_t *d = malloc(alloc);
        assert_non_null(d);
        memset(d, 0xFF, alloc);
        memcpy(d, p, MIN_(n, alloc));
        return d;
}

/* The fields every form of the synthetic ME 9 firmware shares. */
static void assert_me9_identity(const mefw_report *r) {
        const mefw_firmware *fw = &r->fw;
        assert_non_null(fw->family);
        assert_string_equal(fw->family, "ME");
        assert_version(r, 9, 0, 31, 1487);
        assert_string_equal(fw->release, "Production");
        assert_string_equal(fw->sku, "1.5MB");
        assert_non_null(fw->chipset);
        assert_string_equal(fw->chipset, "LPT");
        assert_true(fw->tcb_svn.set);
        assert_int_equal(fw->tcb_svn.value, 1);
        assert_false(fw->arb_svn.set);
        assert_true(fw->vcn.set);
        assert_int_equal(fw->vcn.value, 3);
        assert_int_equal(fw->pv, 1);
        assert_string_equal(fw->date, "2013-12-12");
        assert_int_equal(fw->signature, MEFW_SIG_UNKNOWN_KEY);
        assert_null(fw->key);
        assert_int_equal(fw->patsburg, -1);
        assert_string_equal(fw->blacklist_7_0, "");
        assert_code(r, "unknown-key", MEFW_ERROR);
        assert_true(mefw_report_has_error(r));
}

/* ---- the synthetic ME 9 region in its three containers ----------------------------------- */

static void test_me9_region(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        mefw_report *r = analyze(img, len);
        const mefw_firmware *fw = &r->fw;

        assert_string_equal(r->file, "test.bin");
        assert_int_equal(r->file_size, len);
        assert_string_equal(fw->container, "region");
        assert_me9_identity(r);
        assert_string_equal(fw->type, "Stock");
        assert_true(fw->has_size);
        assert_int_equal(fw->size, len);
        assert_false(fw->has_fit_version);

        /* the only problem is the test key; nothing else is reported */
        assert_int_equal(count_severity(r, MEFW_ERROR), 1);
        assert_int_equal(count_severity(r, MEFW_WARNING), 0);
        const mefw_message *m = find_code(r, "unknown-key");
        assert_int_equal(m->offset, 0x3000);

        assert_int_equal(fw->n_partitions, 3);
        assert_string_equal(fw->partitions[0].name, "FOVD");
        assert_false(fw->partitions[0].used);
        assert_true(fw->partitions[0].in_bounds);
        assert_string_equal(fw->partitions[1].name, "NVCL");
        assert_true(fw->partitions[1].is_virtual);
        assert_int_equal(fw->partitions[1].type, 2);
        assert_string_equal(fw->partitions[2].name, "FTPR");
        assert_int_equal(fw->partitions[2].offset, 0x3000);
        assert_true(fw->partitions[2].used);
        assert_true(fw->partitions[2].in_bounds);

        assert_int_equal(fw->n_manifests, 1);
        assert_int_equal(fw->manifests[0].offset, 0x3000);
        assert_string_equal(fw->manifests[0].partition, "FTPR");
        assert_string_equal(fw->manifests[0].tag, "$MN2");
        assert_int_equal(fw->manifests[0].signature, MEFW_SIG_UNKNOWN_KEY);
        assert_int_equal(strlen(fw->manifests[0].key_hash), 64);

        assert_int_equal(fw->n_modules, 2);
        const mefw_module *bup = module_named(r, "BUP"), *kern = module_named(r, "KERNEL");
        assert_non_null(bup);
        assert_non_null(kern);
        assert_string_equal(bup->partition, "FTPR");
        assert_string_equal(bup->compression, "none");
        assert_int_equal(bup->hash, MEFW_HASH_VALID);
        assert_int_equal(bup->size, 0x1000);
        assert_true(bup->offset > 0x3000 && bup->offset + bup->size <= len);
        assert_memory_equal(img + bup->offset, "\x03\x0A\x11\x18", 4); /* i * 7 + 3 */
        assert_string_equal(kern->compression, "lzma");
        assert_int_equal(kern->hash, MEFW_HASH_VALID);
        assert_int_equal(img[kern->offset], 0x5D);
        mefw_report_free(r);
        free(img);
}

static void test_me9_in_spi(void **state) {
        (void) state;
        size_t len;
        uint8_t *region = me9_region(&len);
        uint8_t *img = synth_spi(region, len, 0x1000, 1 * MiB);
        assert_non_null(img);
        mefw_report *r = analyze(img, 1 * MiB);
        const mefw_firmware *fw = &r->fw;

        assert_string_equal(fw->container, "spi-image");
        assert_me9_identity(r);
        assert_string_equal(fw->type, "Stock");
        assert_true(fw->has_size);
        assert_int_equal(fw->size, len);
        assert_int_equal(count_severity(r, MEFW_ERROR), 1);
        assert_int_equal(count_severity(r, MEFW_WARNING), 0);
        /* offsets are in the file */
        assert_int_equal(fw->manifests[0].offset, 0x1000 + 0x3000);
        assert_int_equal(find_code(r, "unknown-key")->offset, 0x4000);
        assert_int_equal(fw->partitions[2].offset, 0x4000);
        assert_int_equal(module_named(r, "KERNEL")->hash, MEFW_HASH_VALID);
        assert_int_equal(img[module_named(r, "KERNEL")->offset], 0x5D);
        mefw_report_free(r);
        free(img);
        free(region);
}

static void test_bare_ftpr_is_update(void **state) {
        (void) state;
        size_t len;
        uint8_t *region = me9_region(&len);
        mefw_report *r = analyze(region + 0x3000, len - 0x3000);
        const mefw_firmware *fw = &r->fw;

        assert_string_equal(fw->container, "update");
        assert_string_equal(fw->type, "Update");
        assert_me9_identity(r);
        assert_false(fw->has_size);
        assert_int_equal(fw->n_partitions, 0);
        assert_int_equal(fw->manifests[0].offset, 0);
        assert_int_equal(module_named(r, "BUP")->hash, MEFW_HASH_VALID);
        assert_int_equal(module_named(r, "KERNEL")->hash, MEFW_HASH_VALID);
        assert_int_equal(count_severity(r, MEFW_ERROR), 1);
        mefw_report_free(r);
        free(region);
}

/* ---- damage -------------------------------------------------------------------------------- */

static void test_lzma_module_damaged(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        mefw_report *r = analyze(img, len);
        const mefw_module *k = first_lzma_module(r);
        assert_non_null(k);
        assert_true(k->size > 0x20);
        uint64_t at = k->offset + k->size / 2;
        mefw_report_free(r);

        img[at] ^= 0x55;
        r = analyze(img, len);
        k = module_named(r, "KERNEL");
        assert_true(k->hash == MEFW_HASH_INVALID || k->hash == MEFW_HASH_UNREADABLE);
        assert_code(r, k->hash == MEFW_HASH_INVALID ? "module-hash" : "module-unreadable", MEFW_ERROR);
        /* the code partition's $MCP hash covers it, too */
        assert_code(r, "partition-hash", MEFW_ERROR);
        /* the other module and the signature are unaffected */
        assert_int_equal(module_named(r, "BUP")->hash, MEFW_HASH_VALID);
        assert_int_equal(r->fw.signature, MEFW_SIG_UNKNOWN_KEY);
        assert_version(r, 9, 0, 31, 1487);
        mefw_report_free(r);
        free(img);
}

/* A module marked LZMA whose stored data has no LZMA header and reads as random (TXE's encrypted
 * PAVP module): a note that its own hash cannot be checked, not "unreadable"; the partition hash
 * still covers it. A real stream whose body is damaged stays an error (test above). */
static void test_encrypted_module(void **state) {
        (void) state;
        static uint8_t bup[0x1000], pavp[0x2000];
        for (size_t i = 0; i < sizeof bup; i++)
                bup[i] = (uint8_t) (i * 7 + 3);
        uint32_t x = 0x2545F491u;
        for (size_t i = 0; i < sizeof pavp; i++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                pavp[i] = (uint8_t) (x >> 11);
        }
        pavp[0] = 0xE7; /* no LZMA properties byte is this large */
        const synth_module mods[] = {
                { "BUP", bup, sizeof bup, 0, false },
                { "PAVP", pavp, sizeof pavp, 2, true },
        };
        synth_manifest_spec spec = {
                .version = { 2, 0, 0, 2060 }, .partition = "FTPR", .flags = 0x40000004, .svn = 1,
                .pv = 1, .mcp = true, .modules = mods, .n_modules = 2, .txe_stride = 0x80,
        };
        size_t plen, mlen;
        uint8_t *ftpr = synth_partition(&spec, &plen, &mlen);
        assert_non_null(ftpr);
        mefw_report *r = analyze(ftpr, plen);
        const mefw_module *m = module_named(r, "PAVP");
        assert_non_null(m);
        assert_true(m->encrypted);
        assert_int_equal(m->hash, MEFW_HASH_NOT_VERIFIABLE);
        assert_code(r, "module-encrypted", MEFW_NOTE);
        assert_no_code(r, "module-unreadable");
        assert_no_code(r, "partition-hash");
        assert_int_equal(module_named(r, "BUP")->hash, MEFW_HASH_VALID);
        mefw_report_free(r);
        free(ftpr);
}

/* A matching $MCP hash proves the stored modules: their own hashes are not computed (no LZMA
 * decompression) unless a deep analysis asks; the verdicts are the same either way. */
static void test_partition_hash_stands_for_modules(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        mefw_report *quick = NULL, *deep = NULL;
        assert_int_equal(mefw_analyze_buffer(img, len, "me.bin", &quick), 0);
        const mefw_analyze_options opts = { .deep = true };
        assert_int_equal(mefw_analyze_buffer_with(img, len, "me.bin", &opts, &deep), 0);
        assert_int_equal(quick->fw.n_modules_by_partition_hash, 2);
        assert_int_equal(deep->fw.n_modules_by_partition_hash, 0);
        assert_int_equal(quick->fw.n_modules, deep->fw.n_modules);
        for (size_t i = 0; i < quick->fw.n_modules; i++) {
                assert_string_equal(quick->fw.modules[i].name, deep->fw.modules[i].name);
                assert_int_equal(quick->fw.modules[i].hash, MEFW_HASH_VALID);
                assert_int_equal(deep->fw.modules[i].hash, MEFW_HASH_VALID);
        }
        mefw_report_free(quick);
        mefw_report_free(deep);
        free(img);
}

static void test_stored_module_damaged(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        mefw_report *r = analyze(img, len);
        uint64_t at = module_named(r, "BUP")->offset + 0x123;
        mefw_report_free(r);

        img[at] ^= 0x01;
        r = analyze(img, len);
        assert_int_equal(module_named(r, "BUP")->hash, MEFW_HASH_INVALID);
        assert_int_equal(module_named(r, "KERNEL")->hash, MEFW_HASH_VALID);
        assert_code(r, "module-hash", MEFW_ERROR);
        const mefw_message *m = find_code(r, "module-hash");
        assert_non_null(strstr(m->text, "BUP"));
        assert_non_null(strstr(m->text, "FTPR"));
        assert_code(r, "partition-hash", MEFW_ERROR);
        mefw_report_free(r);
        free(img);
}

static void test_manifest_damaged(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        img[0x3000 + 0x14] ^= 0x01; /* the date, inside the signed header */
        mefw_report *r = analyze(img, len);
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        assert_code(r, "invalid-signature", MEFW_ERROR);
        assert_no_code(r, "unknown-key");
        assert_int_equal(find_code(r, "invalid-signature")->offset, 0x3000);
        /* the fields are still reported */
        assert_version(r, 9, 0, 31, 1487);
        assert_string_equal(r->fw.date, "2013-12-13");
        mefw_report_free(r);
        free(img);
}

/* ---- Type, FIT version, $FPT checksum ----------------------------------------------------- */

static void test_fovd_written_is_extracted(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        memset(img + 0x1000, 0x00, 0x20); /* FOVD: OEM overrides written */
        mefw_report *r = analyze(img, len);
        assert_string_equal(r->fw.type, "Extracted");
        assert_false(r->fw.has_fit_version);
        assert_true(r->fw.partitions[0].used);
        assert_me9_identity(r);
        mefw_report_free(r);
        free(img);
}

static void test_fit_version(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        synth_put16(img + 0x10 + 0x18, 9);
        synth_put16(img + 0x10 + 0x1A, 0);
        synth_put16(img + 0x10 + 0x1C, 22);
        synth_put16(img + 0x10 + 0x1E, 1467);
        synth_region_fix_checksum(img);
        mefw_report *r = analyze(img, len);
        assert_string_equal(r->fw.type, "Extracted");
        assert_true(r->fw.has_fit_version);
        assert_int_equal(r->fw.fit_version[0], 9);
        assert_int_equal(r->fw.fit_version[1], 0);
        assert_int_equal(r->fw.fit_version[2], 22);
        assert_int_equal(r->fw.fit_version[3], 1467);
        assert_no_code(r, "fpt-checksum");
        mefw_report_free(r);

        /* build 0xFFFF means "not set" */
        synth_put16(img + 0x10 + 0x1E, 0xFFFF);
        synth_region_fix_checksum(img);
        r = analyze(img, len);
        assert_string_equal(r->fw.type, "Stock");
        assert_false(r->fw.has_fit_version);
        mefw_report_free(r);
        free(img);
}

static void test_fpt_checksum_wrong(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        uint8_t good = img[0x1B];
        img[0x1B] = (uint8_t) (good ^ 0x5A);
        mefw_report *r = analyze(img, len);
        assert_code(r, "fpt-checksum", MEFW_WARNING);
        const mefw_message *m = find_code(r, "fpt-checksum");
        assert_int_equal(m->offset, 0x1B);
        char want[64];
        snprintf(want, sizeof want, "wrong $FPT checksum 0x%02X, expected 0x%02X", good ^ 0x5A, good);
        assert_string_equal(m->text, want);
        /* the rest of the analysis is unchanged */
        assert_me9_identity(r);
        assert_string_equal(r->fw.type, "Stock");
        mefw_report_free(r);
        free(img);
}

/* ---- size against the file ---------------------------------------------------------------- */

static void test_end_padding(void **state) {
        (void) state;
        size_t len;
        uint8_t *region = me9_region(&len);
        uint8_t *img = dup_bytes(region, len, len + 0x2000);
        mefw_report *r = analyze(img, len + 0x2000);
        assert_true(r->fw.has_size);
        assert_int_equal(r->fw.size, len);
        assert_code(r, "harmless-end-padding", MEFW_NOTE);
        assert_int_equal(find_code(r, "harmless-end-padding")->offset, len);
        assert_no_code(r, "data-in-padding");
        assert_me9_identity(r);
        mefw_report_free(r);

        /* one byte of data in the padding */
        img[len + 0x1FFF] = 0x00;
        r = analyze(img, len + 0x2000);
        assert_code(r, "data-in-padding", MEFW_WARNING);
        assert_int_equal(find_code(r, "data-in-padding")->offset, len);
        assert_no_code(r, "harmless-end-padding");
        mefw_report_free(r);
        free(img);
        free(region);
}

static void test_region_cut_short(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = me9_region(&len);
        mefw_report *r = analyze(img, len - 0x800);
        assert_true(r->fw.has_size);
        assert_int_equal(r->fw.size, len);
        assert_code(r, "firmware-exceeds-file", MEFW_WARNING);
        assert_int_equal(find_code(r, "firmware-exceeds-file")->offset, len - 0x800);
        /* the last 0x800 bytes hold the end of KERNEL's data: the file was cut, an error */
        assert_code(r, "image-truncated", MEFW_ERROR);
        assert_no_code(r, "harmless-end-padding");
        /* still identified */
        assert_version(r, 9, 0, 31, 1487);
        assert_string_equal(r->fw.sku, "1.5MB");
        mefw_report_free(r);

        /* cut in the middle of the module data: the modules past the end are absent */
        r = analyze(img, len);
        uint64_t cut = module_named(r, "KERNEL")->offset;
        mefw_report_free(r);
        r = analyze(img, cut);
        assert_code(r, "firmware-exceeds-file", MEFW_WARNING);
        assert_int_equal(module_named(r, "BUP")->hash, MEFW_HASH_VALID);
        assert_int_equal(module_named(r, "KERNEL")->hash, MEFW_HASH_ABSENT);
        assert_code(r, "modules-absent", MEFW_WARNING);
        assert_no_code(r, "module-hash");
        /* ends between modules, the table holds only FTPR: the shape me_cleaner leaves, a warning */
        assert_no_code(r, "image-truncated");
        assert_code(r, "region-shrunk", MEFW_WARNING);
        mefw_report_free(r);

        /* cut through the KERNEL module's data: no tool shrinks a region so, the file was cut */
        r = analyze(img, cut + 0x100);
        assert_code(r, "image-truncated", MEFW_ERROR);
        assert_int_equal(find_code(r, "image-truncated")->offset, cut + 0x100);
        assert_non_null(strstr(find_code(r, "image-truncated")->text, "KERNEL"));
        assert_true(mefw_report_has_error(r));
        mefw_report_free(r);
        free(img);
}

/* ---- other generations ------------------------------------------------------------------- */

static uint8_t mod_a[0x800], mod_b[0x1400];

static void fill(void) {
        for (size_t i = 0; i < sizeof mod_a; i++)
                mod_a[i] = (uint8_t) (i * 31 + 7);
        for (size_t i = 0; i < sizeof mod_b; i++)
                mod_b[i] = (uint8_t) (i ^ (i >> 8));
}

/* A region with one code partition (name 'code') holding 'part'. */
static uint8_t *region_with(const char *code, const uint8_t *part, size_t plen, size_t *ret_len) {
        size_t psize = (plen + 0xFFF) & ~(size_t) 0xFFF;
        size_t len = 0x2000 + psize;
        const synth_fpt_part parts[] = {
                { "FOVD", 0x1000, 0x1000, 1, NULL, 0 },
                { code, 0x2000, (uint32_t) psize, 0, part, plen },
        };
        uint8_t *r = synth_region(parts, 2, len);
        assert_non_null(r);
        *ret_len = len;
        return r;
}

static void test_me5_man_region(void **state) {
        (void) state;
        fill();
        static const uint8_t sku[4] = { 0x3E, 0x08, 0x00, 0x00 };
        const synth_module mods[] = {
                { "BRINGUP", mod_a, sizeof mod_a, 0, false },
                { "KERNEL", mod_b, sizeof mod_b, 0, false },
        };
        synth_manifest_spec spec = {
                .man = true,
                .version = { 5, 2, 0, 1009 },
                .date = { 0x29, 0x06, 0x09, 0x20 },
                .sku = sku,
                .sku_len = 4,
                .pv = -1,
                .modules = mods,
                .n_modules = 2,
        };
        size_t plen, mlen, len;
        uint8_t *part = synth_partition(&spec, &plen, &mlen);
        assert_non_null(part);
        uint8_t *img = region_with("CODE", part, plen, &len);
        mefw_report *r = analyze(img, len);
        const mefw_firmware *fw = &r->fw;

        assert_string_equal(fw->container, "region");
        assert_string_equal(fw->family, "ME");
        assert_version(r, 5, 2, 0, 1009);
        assert_string_equal(fw->sku, "Digital Office");
        assert_string_equal(fw->chipset, "ICH10");
        assert_string_equal(fw->type, "Stock");
        assert_string_equal(fw->release, "Production");
        assert_string_equal(fw->date, "2009-06-29");
        assert_false(fw->tcb_svn.set);
        assert_false(fw->vcn.set);
        assert_int_equal(fw->pv, -1);
        assert_int_equal(fw->signature, MEFW_SIG_UNKNOWN_KEY);
        assert_true(fw->has_size);
        assert_int_equal(fw->size, len);
        assert_int_equal(fw->n_manifests, 1);
        assert_string_equal(fw->manifests[0].tag, "$MAN");
        assert_string_equal(fw->manifests[0].partition, "CODE");
        assert_int_equal(fw->n_modules, 2);
        for (size_t i = 0; i < 2; i++) {
                assert_string_equal(fw->modules[i].partition, "CODE");
                assert_string_equal(fw->modules[i].compression, "none");
                assert_int_equal(fw->modules[i].hash, MEFW_HASH_VALID);
        }
        assert_int_equal(fw->modules[0].offset, 0x2000 + mlen);
        assert_int_equal(fw->modules[1].offset, 0x2000 + mlen + 0x50 + sizeof mod_a);
        assert_int_equal(count_severity(r, MEFW_ERROR), 1);
        mefw_report_free(r);

        /* a $MOD header whose sizes differ is a compressed module (and no longer matches its hash) */
        synth_put32(img + 0x2000 + mlen + 0x18, 0x100);
        r = analyze(img, len);
        assert_string_equal(r->fw.modules[0].compression, "lzma");
        assert_int_equal(r->fw.modules[0].hash, MEFW_HASH_INVALID);
        assert_string_equal(r->fw.modules[1].compression, "none");
        mefw_report_free(r);
        synth_put32(img + 0x2000 + mlen + 0x18, sizeof mod_a);

        /* one byte of the second $MOD record changed: its SHA-1 no longer matches */
        img[0x2000 + mlen + 0x50 + sizeof mod_a + 0x60] ^= 0x01;
        r = analyze(img, len);
        assert_int_equal(r->fw.modules[0].hash, MEFW_HASH_VALID);
        assert_int_equal(r->fw.modules[1].hash, MEFW_HASH_INVALID);
        assert_code(r, "module-hash", MEFW_ERROR);
        mefw_report_free(r);
        free(img);
        free(part);
}

static uint8_t *me7_partition(uint8_t sku_byte4, size_t *ret_len) {
        fill();
        uint8_t sku[8] = { 0x00, 0x00, 0x00, 0x00, sku_byte4, 0x00, 0x00, 0x00 };
        const synth_module mods[] = {
                { "BUP", mod_a, sizeof mod_a, 0, false },
                { "KERNEL", mod_b, sizeof mod_b, 2, false },
        };
        synth_manifest_spec spec = {
                .version = { 7, 1, 80, 1214 },
                .partition = "FTPR",
                .date = { 0x23, 0x07, 0x13, 0x20 },
                .sku = sku,
                .sku_len = 8,
                .pv = -1,
                .mcp = true,
                .modules = mods,
                .n_modules = 2,
        };
        size_t mlen;
        uint8_t *p = synth_partition(&spec, ret_len, &mlen);
        assert_non_null(p);
        return p;
}

static void test_me7_patsburg(void **state) {
        (void) state;
        size_t plen, len;
        uint8_t *part = me7_partition(0x83, &plen); /* 1.5MB, Patsburg bit */
        uint8_t *img = region_with("FTPR", part, plen, &len);
        mefw_report *r = analyze(img, len);
        const mefw_firmware *fw = &r->fw;

        assert_string_equal(fw->family, "ME");
        assert_version(r, 7, 1, 80, 1214);
        assert_string_equal(fw->sku, "1.5MB");
        assert_int_equal(fw->patsburg, 1);
        assert_string_equal(fw->chipset, "CPT/PBG");
        assert_string_equal(fw->type, "Stock");
        assert_string_equal(fw->date, "2013-07-23");
        /* no SVN/VCN before ME 8 */
        assert_false(fw->tcb_svn.set);
        assert_false(fw->vcn.set);
        assert_true(strcmp(fw->blacklist_7_0, "Empty") == 0 || strncmp(fw->blacklist_7_0, "<= 7.", 5) == 0);
        assert_true(strcmp(fw->blacklist_7_1, "Empty") == 0 || strncmp(fw->blacklist_7_1, "<= 7.", 5) == 0);
        assert_int_equal(module_named(r, "KERNEL")->hash, MEFW_HASH_VALID);
        assert_int_equal(count_severity(r, MEFW_ERROR), 1);
        mefw_report_free(r);
        free(img);
        free(part);

        /* without the bit: Cougar Point only */
        part = me7_partition(0x03, &plen);
        img = region_with("FTPR", part, plen, &len);
        r = analyze(img, len);
        assert_string_equal(r->fw.sku, "1.5MB");
        assert_int_equal(r->fw.patsburg, 0);
        assert_string_equal(r->fw.chipset, "CPT");
        mefw_report_free(r);
        free(img);
        free(part);
}

/* ---- no firmware -------------------------------------------------------------------------- */

static void test_text_file(void **state) {
        (void) state;
        static const char text[] = "This is not firmware.\nJust a few lines of text,\n$FPT and $MN2 in prose.\n";
        mefw_report *r = analyze((const uint8_t *) text, sizeof text - 1);
        assert_string_equal(r->fw.container, "unknown");
        assert_null(r->fw.family);
        assert_false(r->fw.has_version);
        assert_false(r->fw.has_size);
        assert_null(r->fw.type);
        assert_int_equal(r->fw.signature, MEFW_SIG_NOT_CHECKED);
        assert_code(r, "no-firmware", MEFW_ERROR);
        assert_int_equal(find_code(r, "no-firmware")->offset, -1);
        assert_true(mefw_report_has_error(r));
        mefw_report_free(r);
}

static void test_empty(void **state) {
        (void) state;
        static const uint8_t nothing[1];
        mefw_report *r = analyze(nothing, 0);
        assert_string_equal(r->fw.container, "unknown");
        assert_null(r->fw.family);
        assert_int_equal(r->file_size, 0);
        assert_code(r, "empty-file", MEFW_ERROR);
        assert_int_equal(r->messages.count, 1);
        mefw_report_free(r);

        /* no name: an empty one */
        assert_int_equal(mefw_analyze_buffer(nothing, 0, NULL, &r), 0);
        assert_string_equal(r->file, "");
        mefw_report_free(r);
}

static void test_random_bytes(void **state) {
        (void) state;
        size_t n = 1 * MiB;
        uint8_t *buf = malloc(n);
        assert_non_null(buf);
        uint64_t x = 0x9E3779B97F4A7C15ull;
        for (size_t i = 0; i < n; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                buf[i] = (uint8_t) (x >> 24);
        }
        mefw_report *r = analyze(buf, n);
        assert_string_equal(r->fw.container, "unknown");
        assert_null(r->fw.family);
        assert_code(r, "no-firmware", MEFW_ERROR);
        assert_int_equal(r->fw.n_modules, 0);
        mefw_report_free(r);
        free(buf);
}

static void test_descriptor_only(void **state) {
        (void) state;
        size_t len;
        uint8_t *region = me9_region(&len);
        uint8_t *img = synth_spi(region, len, 0x1000, 1 * MiB);
        mefw_report *r = analyze(img, 0x1000);
        assert_string_equal(r->fw.container, "descriptor");
        assert_null(r->fw.family);
        assert_false(r->fw.has_version);
        assert_code(r, "descriptor-only", MEFW_NOTE);
        assert_no_code(r, "image-incomplete");
        assert_false(mefw_report_has_error(r));
        mefw_report_free(r);
        free(img);
        free(region);
}

static void test_me_region_past_end(void **state) {
        (void) state;
        size_t len;
        uint8_t *region = me9_region(&len);

        /* the ME region starts beyond the end of the file */
        uint8_t *img = synth_spi(region, len, 0x10000, 1 * MiB);
        assert_non_null(img);
        mefw_report *r = analyze(img, 0x8000);
        assert_null(r->fw.family);
        assert_false(r->fw.has_version);
        assert_code(r, "image-incomplete", MEFW_ERROR);
        assert_code(r, "descriptor-only", MEFW_NOTE);
        mefw_report_free(r);
        free(img);

        /* the ME region starts in the file and ends past it */
        img = synth_spi(region, len, 0x1000, 1 * MiB);
        size_t cut = 0x1000 + len - 0x800;
        r = analyze(img, cut);
        assert_string_equal(r->fw.container, "spi-image");
        assert_code(r, "image-incomplete", MEFW_ERROR);
        assert_code(r, "region-cut-short", MEFW_ERROR);
        assert_int_equal(find_code(r, "region-cut-short")->offset, cut);
        assert_version(r, 9, 0, 31, 1487);
        mefw_report_free(r);

        /* cut inside the region's partition table */
        r = analyze(img, 0x1000 + 0x20);
        assert_string_equal(r->fw.container, "spi-image");
        assert_code(r, "region-cut-short", MEFW_ERROR);
        assert_null(r->fw.family);
        mefw_report_free(r);
        free(img);
        free(region);
}

/* ---- the real ME 9 region from the corpus ------------------------------------------------- */

#define CORPUS_ME9 "me9.0.31.1487_1.5MB_PRD_RGN.bin"

static uint8_t *corpus_file(const char *name, size_t *ret_len) {
        const char *dir = getenv("MEFW_CORPUS");
        if (!dir || !*dir) {
                printf("SKIPPED: MEFW_CORPUS is not set; the real-firmware checks did not run\n");
                return NULL;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "rb");
        if (!f) {
                printf("SKIPPED: %s not found in MEFW_CORPUS (%s); the real-firmware checks did not run\n", name,
                       dir);
                return NULL;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = n > 0 ? malloc((size_t) n) : NULL;
        if (buf && fread(buf, 1, (size_t) n, f) != (size_t) n) {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        if (!buf) {
                printf("SKIPPED: %s/%s could not be read\n", dir, name);
                return NULL;
        }
        *ret_len = (size_t) n;
        return buf;
}

static void test_corpus_me9_intact(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = corpus_file(CORPUS_ME9, &len);
        if (!img)
                skip();
        mefw_report *r = analyze(img, len);
        assert_string_equal(r->fw.container, "region");
        assert_version(r, 9, 0, 31, 1487);
        assert_int_equal(r->fw.signature, MEFW_SIG_VALID);
        assert_non_null(r->fw.key);
        if (count_severity(r, MEFW_ERROR)) {
                dump_messages(r);
                fail_msg("error messages on the unmodified file");
        }
        bool ftpr = false;
        for (size_t i = 0; i < r->fw.n_manifests; i++)
                if (strcmp(r->fw.manifests[i].partition, "FTPR") == 0) {
                        assert_int_equal(r->fw.manifests[i].offset, 0x47000);
                        ftpr = true;
                }
        assert_true(ftpr);
        const mefw_module *k = first_lzma_module(r);
        assert_non_null(k);
        assert_int_equal(k->hash, MEFW_HASH_VALID);
        mefw_report_free(r);
        free(img);
}

static void test_corpus_me9_signed_header_flipped(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = corpus_file(CORPUS_ME9, &len);
        if (!img)
                skip();
        assert_true(len > 0x47000 + 0x284);
        assert_memory_equal(img + 0x47000 + 0x1C, "$MN2", 4);
        img[0x47000 + 0x14] ^= 0x01; /* date day */
        mefw_report *r = analyze(img, len);
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        assert_code(r, "invalid-signature", MEFW_ERROR);
        assert_int_equal(find_code(r, "invalid-signature")->offset, 0x47000);
        mefw_report_free(r);
        free(img);
}

static void test_corpus_me9_lzma_flipped(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = corpus_file(CORPUS_ME9, &len);
        if (!img)
                skip();
        mefw_report *r = analyze(img, len);
        const mefw_module *k = first_lzma_module(r);
        assert_non_null(k);
        char name[17];
        memcpy(name, k->name, sizeof name);
        uint64_t at = k->offset + k->size / 2;
        assert_true(at < len);
        mefw_report_free(r);

        img[at] ^= 0x10;
        r = analyze(img, len);
        k = module_named(r, name);
        assert_non_null(k);
        assert_true(k->hash == MEFW_HASH_INVALID || k->hash == MEFW_HASH_UNREADABLE);
        assert_code(r, k->hash == MEFW_HASH_INVALID ? "module-hash" : "module-unreadable", MEFW_ERROR);
        assert_true(mefw_report_has_error(r));
        /* the manifest signature does not cover module data */
        assert_int_equal(r->fw.signature, MEFW_SIG_VALID);
        mefw_report_free(r);
        free(img);
}

/*
 * ME 6 update image: a wrapper manifest at 0 whose $UDC records carry the SHA-256 of the FTPR
 * and NFTP partitions it holds. Intact: update container, no message. One byte changed in
 * NFTP's data: the wrapper's hash no longer matches.
 */
static void test_corpus_me6_update_wrapper(void **state) {
        (void) state;
        size_t len;
        uint8_t *img = corpus_file("me6.2.50.1062_1.5MB_PRD_UPD.bin", &len);
        if (!img)
                skip();
        mefw_report *r = analyze(img, len);
        assert_string_equal(r->fw.container, "update");
        assert_string_equal(r->fw.type, "Update");
        assert_int_equal(r->messages.count, 0);
        mefw_report_free(r);

        /* the NFTP manifest sits at 0xA23A0; change a byte of its module data */
        img[0xA23A0 + 0x5000] ^= 0x01;
        r = analyze(img, len);
        assert_code(r, "update-payload-hash", MEFW_ERROR);
        mefw_report_free(r);

        /* cut the file inside NFTP: the wrapper points past the end */
        r = analyze(img, 0xA23A0 + 0x1000);
        assert_code(r, "update-payload-missing", MEFW_ERROR);
        mefw_report_free(r);
        free(img);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_corpus_me6_update_wrapper),
                cmocka_unit_test(test_me9_region),
                cmocka_unit_test(test_me9_in_spi),
                cmocka_unit_test(test_bare_ftpr_is_update),
                cmocka_unit_test(test_lzma_module_damaged),
                cmocka_unit_test(test_encrypted_module),
                cmocka_unit_test(test_partition_hash_stands_for_modules),
                cmocka_unit_test(test_stored_module_damaged),
                cmocka_unit_test(test_manifest_damaged),
                cmocka_unit_test(test_fovd_written_is_extracted),
                cmocka_unit_test(test_fit_version),
                cmocka_unit_test(test_fpt_checksum_wrong),
                cmocka_unit_test(test_end_padding),
                cmocka_unit_test(test_region_cut_short),
                cmocka_unit_test(test_me5_man_region),
                cmocka_unit_test(test_me7_patsburg),
                cmocka_unit_test(test_text_file),
                cmocka_unit_test(test_empty),
                cmocka_unit_test(test_random_bytes),
                cmocka_unit_test(test_descriptor_only),
                cmocka_unit_test(test_me_region_past_end),
                cmocka_unit_test(test_corpus_me9_intact),
                cmocka_unit_test(test_corpus_me9_signed_header_flipped),
                cmocka_unit_test(test_corpus_me9_lzma_flipped),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
