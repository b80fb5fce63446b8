/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CSE analysis on synthetic images built here: a CSME 11-style region ($FPT, R1 $CPD and manifest,
 * MFS), a CSME 16-style IFWI 1.7 region (layout table, BPDT, R2 $CPD, RSA-3072 PSS manifest,
 * SHA-384 hashes), and damaged variants of both.
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
#include "synth_cse.h"

static uint8_t code_data[0x3000], lzma_data[0x2000];

static void fill_modules(void) {
        for (size_t i = 0; i < sizeof code_data; i++)
                code_data[i] = (uint8_t) (i * 7 + 3);
        for (size_t i = 0; i < sizeof lzma_data; i++)
                lzma_data[i] = (uint8_t) (i % 13);
}

static const synth_cse_module modules[] = {
        { "fwupdate", code_data, sizeof code_data, 0 },
        { "bup", lzma_data, sizeof lzma_data, 2 },
};

/* CSME 11.8 Consumer LP: SKU attributes type 1 (Consumer), platform bits 11:10 = 1 (LP). */
static synth_cse_spec csme11_spec(void) {
        return (synth_cse_spec){
                .name = "FTPR",
                .version = { 11, 8, 50, 3425 },
                .flags = 1,
                .svn = 3,
                .vcn = 289,
                .arb = 0,
                .client_info = true,
                .sku_caps = 0x300,
                .sku_attributes = (1u << 4) | (1u << 10),
                .modules = modules,
                .n_modules = 2,
        };
}

typedef struct {
        uint8_t *data;
        size_t len;
        size_t ftpr;      /* region offset of the FTPR partition */
        size_t man;       /* region offset of FTPR.man */
        size_t mfs;
} image;

static image csme11_region(bool with_mfs) {
        fill_modules();
        synth_cse_spec spec = csme11_spec();
        size_t plen, moff;
        uint8_t *part = synth_cse_partition(&spec, &plen, &moff);
        assert_non_null(part);
        size_t mlen = 0;
        uint8_t *mfs = with_mfs ? synth_mfs(3, 0x93, true, &mlen) : NULL;
        synth_cse_entry e[] = {
                { "FTPR", 0x1000, (uint32_t) plen, part, plen },
                { "MFS", (uint32_t) (0x1000 + plen), (uint32_t) mlen, mfs, mlen },
        };
        size_t size = 0x1000 + plen + mlen;
        image im = { .len = size, .ftpr = 0x1000, .man = 0x1000 + moff, .mfs = 0x1000 + plen };
        im.data = synth_cse_region(e, with_mfs ? 2 : 1, size);
        free(part);
        free(mfs);
        return im;
}

static mefw_report *analyze(const image *im) {
        mefw_report *r = NULL;
        assert_int_equal(mefw_analyze_buffer(im->data, im->len, "cse.bin", &r), 0);
        return r;
}

static bool has_code(const mefw_report *r, const char *code) {
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, code) == 0)
                        return true;
        return false;
}

static const mefw_module *module(const mefw_report *r, const char *name) {
        for (size_t i = 0; i < r->fw.n_modules; i++)
                if (strcmp(r->fw.modules[i].name, name) == 0)
                        return &r->fw.modules[i];
        return NULL;
}

static const mefw_partition *partition(const mefw_report *r, const char *name) {
        for (size_t i = 0; i < r->fw.n_partitions; i++)
                if (strcmp(r->fw.partitions[i].name, name) == 0)
                        return &r->fw.partitions[i];
        return NULL;
}

static void test_csme11_region(void **state) {
        (void) state;
        image im = csme11_region(true);
        mefw_report *r = analyze(&im);
        const mefw_firmware *fw = &r->fw;
        char v[32];
        assert_string_equal(fw->family, "CSME"); /* test key unknown: the fwupdate module tells */
        assert_string_equal(mefw_format_version(fw->version, v, sizeof v), "11.8.50.3425");
        assert_string_equal(fw->sku, "Consumer LP");
        assert_string_equal(fw->chipset, "SPT/KBP");
        assert_string_equal(fw->type, "Stock");
        assert_int_equal(fw->tcb_svn.value, 3);
        assert_int_equal(fw->vcn.value, 289);
        assert_int_equal(fw->pv, 1);
        assert_string_equal(fw->date, "2019-06-20");
        assert_int_equal(fw->signature, MEFW_SIG_UNKNOWN_KEY);
        assert_int_equal(fw->workstation, 0);
        assert_int_equal(fw->oem_config, 0);
        /* the MFS: files 6 and 7 -> Configured; its PCH table 0x93 -> SPT-H, stepping D */
        assert_string_equal(fw->fs_state, "Configured");
        assert_non_null(fw->pch);
        assert_string_equal(fw->pch, "SPT-H D");
        assert_int_equal(partition(r, "FTPR")->hash, MEFW_HASH_VALID);
        assert_string_equal(partition(r, "FTPR")->table, "$FPT");
        assert_int_equal(module(r, "fwupdate")->hash, MEFW_HASH_VALID);
        assert_int_equal(module(r, "bup")->hash, MEFW_HASH_VALID);
        assert_string_equal(module(r, "bup")->compression, "lzma");
        assert_false(has_code(r, "cse-module-hash"));
        assert_false(has_code(r, "cse-partition-hash"));
        assert_false(has_code(r, "mfs-chunk-crc"));
        assert_false(has_code(r, "mfs-page-crc"));
        mefw_report_free(r);
        free(im.data);
}

/* A flipped byte anywhere in a signed or hashed area is caught, and named. */
static void test_csme11_damage(void **state) {
        (void) state;
        image im = csme11_region(false);
        mefw_report *r = analyze(&im);
        const mefw_module *bup = module(r, "bup"), *fwu = module(r, "fwupdate");
        size_t bup_at = (size_t) bup->offset, fwu_at = (size_t) fwu->offset;
        mefw_report_free(r);

        /* inside the manifest's extensions: the signature fails */
        im.data[im.man + 0x2A0] ^= 1;
        r = analyze(&im);
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        assert_true(has_code(r, "invalid-signature"));
        mefw_report_free(r);
        im.data[im.man + 0x2A0] ^= 1;

        /* inside the LZMA stream: its module hash and the partition hash fail */
        im.data[bup_at + 0x40] ^= 0x10;
        r = analyze(&im);
        assert_int_equal(module(r, "bup")->hash, MEFW_HASH_INVALID);
        assert_true(has_code(r, "cse-module-hash"));
        assert_true(has_code(r, "cse-partition-hash"));
        assert_int_equal(r->fw.signature, MEFW_SIG_UNKNOWN_KEY); /* the manifest itself is intact */
        mefw_report_free(r);
        im.data[bup_at + 0x40] ^= 0x10;

        /* an uncompressed module */
        im.data[fwu_at + 5] ^= 0x80;
        r = analyze(&im);
        assert_int_equal(module(r, "fwupdate")->hash, MEFW_HASH_INVALID);
        assert_int_equal(module(r, "bup")->hash, MEFW_HASH_VALID);
        mefw_report_free(r);
        im.data[fwu_at + 5] ^= 0x80;

        /* the directory: its checksum */
        im.data[im.ftpr + 0x10 + 0x18 + 3] ^= 0x01;
        r = analyze(&im);
        assert_true(has_code(r, "cpd-checksum"));
        mefw_report_free(r);
        free(im.data);
}

/* A broken extension length is reported at its offset; what came before is still used. */
static void test_extension_length(void **state) {
        (void) state;
        image im = csme11_region(false);
        /* extension 0x0F follows 0x0C (0x30 bytes) after the 0x284-byte header */
        size_t ext0f = im.man + 0x284 + 0x30;
        assert_int_equal(im.data[ext0f], 0x0F);
        im.data[ext0f + 4] = 0x03; /* length 3: shorter than its own header */
        mefw_report *r = analyze(&im);
        bool found = false;
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, "cse-extension-length") == 0) {
                        found = true;
                        assert_int_equal(r->messages.items[i].offset, (int64_t) ext0f);
                }
        assert_true(found);
        assert_string_equal(r->fw.sku, "Consumer LP"); /* 0x0C was read before the damage */
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        mefw_report_free(r);
        free(im.data);
}

/* A region me_cleaner shrank keeps FTPR alone in its $FPT, and the Flash Image Tool version the
 * board's table carries: an extracted region, not an update image. Without a FIT version the same
 * table is an update image's. */
static void test_shrunk_region_type(void **state) {
        (void) state;
        fill_modules();
        synth_cse_spec spec = csme11_spec();
        size_t plen, moff;
        uint8_t *part = synth_cse_partition(&spec, &plen, &moff);
        synth_cse_entry entries[] = { { "FTPR", 0x2000, (uint32_t) plen, part, plen } };
        size_t len = 0x2000 + plen;
        for (int fit = 0; fit < 2; fit++) {
                uint8_t *region = synth_cse_region(entries, 1, len);
                if (fit) {
                        uint8_t *f = region + 0x10;
                        static const uint16_t v[4] = { 11, 8, 50, 3425 };
                        for (int i = 0; i < 4; i++)
                                synth_put16(f + 0x18 + 2 * i, v[i]);
                        f[0x0B] = 0;
                        uint8_t sum = 0;
                        for (size_t i = 0; i < 0x20; i++)
                                sum = (uint8_t) (sum + f[i]);
                        f[0x0B] = (uint8_t) (0x100 - sum);
                }
                image im = { .data = region, .len = len };
                mefw_report *r = analyze(&im);
                assert_string_equal(r->fw.type, fit ? "Extracted" : "Update");
                assert_int_equal(r->fw.has_fit_version, fit);
                if (fit)
                        assert_int_equal(r->fw.fit_version[3], 3425);
                mefw_report_free(r);
                free(region);
        }
        free(part);
}

/* CSME 12+ keeps FTPR's modules without metadata files: they are listed all the same, with no
 * hash of their own to check (the partition hash covers them). */
static void test_modules_without_metadata(void **state) {
        (void) state;
        fill_modules();
        synth_cse_spec spec = csme11_spec();
        spec.no_metadata = true;
        spec.version[0] = 12;
        size_t plen, moff;
        uint8_t *part = synth_cse_partition(&spec, &plen, &moff);
        synth_cse_entry entries[] = { { "FTPR", 0x2000, (uint32_t) plen, part, plen } };
        size_t len = 0x2000 + plen + 0x1000;
        uint8_t *region = synth_cse_region(entries, 1, len);
        free(part);
        image im = { .data = region, .len = len };
        mefw_report *r = analyze(&im);
        size_t listed = 0;
        for (size_t i = 0; i < r->fw.n_modules; i++)
                if (strcmp(r->fw.modules[i].partition, "FTPR") == 0) {
                        listed++;
                        assert_int_equal(r->fw.modules[i].hash, MEFW_HASH_NOT_CHECKED);
                }
        assert_int_equal(listed, spec.n_modules);
        assert_int_equal(partition(r, "FTPR")->hash, MEFW_HASH_VALID);
        mefw_report_free(r);
        free(region);
}

/* A CSME 16-style IFWI region around one FTPR partition built from spec; *ret_bp1 and *ret_moff
 * give the first BPDT and the manifest inside the partition. */
static image csme16_region(const synth_cse_spec *spec, size_t *ret_bp1, size_t *ret_moff) {
        size_t plen;
        uint8_t *part = synth_cse_partition(spec, &plen, ret_moff);
        synth_cse_entry boot[] = { { "FTPR", 0x1000, (uint32_t) plen, part, plen } };
        size_t region_size = 0x1000 + 0x1000 + plen + 0x3000;
        image im = { .len = region_size };
        im.data = synth_cse_ifwi17(boot, 1, region_size, ret_bp1);
        free(part);
        return im;
}

/* An OEM-signed CSE manifest (OEMP) signs with a 32-byte PSS salt: a good image, never "forged";
 * one changed byte of it is still caught. */
static void test_pss_short_salt(void **state) {
        (void) state;
        fill_modules();
        synth_cse_spec spec = csme11_spec();
        spec.r2 = true;
        spec.pss_salt = 32;
        spec.version[0] = 16;
        spec.version[1] = 1;
        size_t bp1, moff;
        image im = csme16_region(&spec, &bp1, &moff);
        mefw_report *r = analyze(&im);
        assert_int_equal(r->fw.manifests[0].signature, MEFW_SIG_UNKNOWN_KEY); /* verified, not Intel's key */
        assert_false(has_code(r, "invalid-signature"));
        mefw_report_free(r);
        im.data[bp1 + 0x1000 + moff + 0x390] ^= 0x04;
        r = analyze(&im);
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        mefw_report_free(r);
        free(im.data);
}

static void test_csme16_ifwi(void **state) {
        (void) state;
        fill_modules();
        synth_cse_spec spec = csme11_spec();
        spec.r2 = true;
        spec.ifwi_info = true;
        spec.version[0] = 16;
        spec.version[1] = 1;
        spec.vcn = 16;
        spec.arb = 4;
        spec.sku_attributes = 1u << 4;
        spec.sku_caps = 1u << 8; /* H */
        size_t bp1, moff;
        image im = csme16_region(&spec, &bp1, &moff);

        mefw_report *r = analyze(&im);
        const mefw_firmware *fw = &r->fw;
        assert_string_equal(fw->family, "CSME");
        assert_string_equal(fw->sku, "Consumer H");
        assert_string_equal(fw->chipset, "ADP/RPP");
        assert_string_equal(fw->type, "Extracted");
        assert_int_equal(fw->arb_svn.value, 4);
        assert_int_equal(fw->vcn.value, 16);
        assert_int_equal(fw->signature, MEFW_SIG_UNKNOWN_KEY); /* PSS verified, key not Intel's */
        assert_int_equal(r->fw.manifests[0].signature, MEFW_SIG_UNKNOWN_KEY);
        assert_non_null(partition(r, "Boot 1"));
        assert_string_equal(partition(r, "Boot 1")->table, "layout");
        assert_string_equal(partition(r, "FTPR")->table, "BPDT");
        assert_int_equal(partition(r, "FTPR")->hash, MEFW_HASH_VALID);
        assert_int_equal(module(r, "bup")->hash, MEFW_HASH_VALID);
        assert_false(has_code(r, "layout-table-crc"));
        assert_false(has_code(r, "bpdt-crc"));
        assert_false(has_code(r, "fpt-checksum"));
        mefw_report_free(r);

        /* one bit in the layout table and one in the BPDT: both CRCs say so, the rest goes on */
        im.data[0x1C] ^= 0x01; /* data partition size */
        im.data[bp1 + 0x14] ^= 0x01; /* FIT version in the BPDT header */
        r = analyze(&im);
        assert_true(has_code(r, "layout-table-crc"));
        assert_true(has_code(r, "bpdt-crc"));
        assert_string_equal(r->fw.family, "CSME");
        mefw_report_free(r);

        /* a byte of the PSS-signed manifest */
        im.data[0x1C] ^= 0x01;
        im.data[bp1 + 0x14] ^= 0x01;
        im.data[bp1 + 0x1000 + moff + 0x390] ^= 0x04;
        r = analyze(&im);
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        mefw_report_free(r);
        free(im.data);
}

/* Hostile containers: a secondary BPDT pointing at its own table, a huge $CPD count. */
static void test_hostile_containers(void **state) {
        (void) state;
        uint8_t buf[0x3000];
        memset(buf, 0xFF, sizeof buf);
        /* BPDT at 0 (an IFWI image) whose only entry is a secondary BPDT at offset 0 */
        memset(buf, 0, 0x24);
        synth_put32(buf, 0x55AA);
        synth_put16(buf + 4, 1);
        buf[6] = 1;
        synth_put32(buf + 0x18, 5);
        synth_put32(buf + 0x1C, 0);
        synth_put32(buf + 0x20, 0x100);
        mefw_report *r = NULL;
        assert_int_equal(mefw_analyze_buffer(buf, sizeof buf, "loop.bin", &r), 0);
        assert_true(has_code(r, "no-code-manifest"));
        mefw_report_free(r);

        /* a $CPD at 0 claiming 2^31 entries: not a directory, nothing read past the data */
        memset(buf, 0xFF, sizeof buf);
        memcpy(buf, "$CPD", 4);
        synth_put32(buf + 4, 0x80000000u);
        buf[8] = 1;
        buf[9] = 1;
        buf[10] = 0x10;
        assert_int_equal(mefw_analyze_buffer(buf, sizeof buf, "cpd.bin", &r), 0);
        assert_null(r->fw.family);
        mefw_report_free(r);

        /* a plausible $CPD cut short: reported with its offset */
        synth_put32(buf + 4, 300);
        assert_int_equal(mefw_analyze_buffer(buf, 0x200, "short.bin", &r), 0);
        assert_true(has_code(r, "cpd-truncated"));
        mefw_report_free(r);
}

/* MFS damage: a chunk CRC and a page header CRC are reported; the state is still read. */
static void test_mfs_damage(void **state) {
        (void) state;
        image im = csme11_region(true);
        im.data[im.mfs + 0x2000 + 0x8C + 0x20] ^= 0x01; /* data chunk 0: file 6 */
        im.data[im.mfs + 0x08] ^= 0x01;                 /* page 0 erase count */
        mefw_report *r = analyze(&im);
        assert_true(has_code(r, "mfs-chunk-crc"));
        assert_true(has_code(r, "mfs-page-crc"));
        assert_string_equal(r->fw.fs_state, "Configured");
        mefw_report_free(r);
        free(im.data);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_csme11_region),      cmocka_unit_test(test_csme11_damage),
                cmocka_unit_test(test_extension_length),   cmocka_unit_test(test_csme16_ifwi),
                cmocka_unit_test(test_pss_short_salt),
                cmocka_unit_test(test_modules_without_metadata),
                cmocka_unit_test(test_shrunk_region_type),
                cmocka_unit_test(test_hostile_containers), cmocka_unit_test(test_mfs_damage),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
