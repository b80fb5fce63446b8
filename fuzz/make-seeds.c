/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the fuzz seed inputs into the directory given as argv[1] (created when missing):
 * synthetic engine firmware from tests/synth.c, damaged variants of it and some small
 * non-firmware files. Seeds are made at build time and never committed.
 *
 * The output is the same on every run: OpenSSL's random source is replaced, in this process
 * only, by a fixed pseudo-random stream, so the test key made by tests/testkey.c (and with it
 * every modulus and signature) comes out identical each time. Not a secure key, by design.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/rand.h>

#include "synth.h"
#include "synth_cse.h"
#include "core/util.h"

/* ---- a fixed pseudo-random stream (splitmix64) ---- */

static uint64_t splitmix64(uint64_t *s) {
        uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
}

static void fill_stream(uint64_t *state, uint8_t *buf, size_t n) {
        uint64_t x = 0;
        for (size_t i = 0; i < n; i++) {
                if (i % 8 == 0)
                        x = splitmix64(state);
                buf[i] = (uint8_t) (x >> (8 * (i % 8)));
        }
}

static uint64_t openssl_state = 0x6D6566772D736565ULL;

static int fixed_bytes(unsigned char *buf, int num) {
        if (num > 0)
                fill_stream(&openssl_state, buf, (size_t) num);
        return 1;
}

static int fixed_status(void) {
        return 1;
}

/* RAND_METHOD is deprecated in OpenSSL 3 but RAND_bytes_ex() still consults it first. */
#ifndef OPENSSL_NO_DEPRECATED_3_0
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static const RAND_METHOD fixed_rand = {
        .bytes = fixed_bytes,
        .pseudorand = fixed_bytes,
        .status = fixed_status,
};

static int use_fixed_rand(void) {
        return RAND_set_rand_method(&fixed_rand) == 1 ? 0 : -1;
}
#pragma GCC diagnostic pop
#else
static int use_fixed_rand(void) {
        /* OpenSSL built without deprecated interfaces: seeds still work, keys differ per run */
        (void) fixed_bytes;
        (void) fixed_status;
        return 0;
}
#endif

/* ---- output ---- */

static const char *out_dir;
static int failures;

static void put(const char *name, const uint8_t *data, size_t len) {
        char path[4096];
        if ((size_t) snprintf(path, sizeof path, "%s/%s", out_dir, name) >= sizeof path) {
                fprintf(stderr, "make-seeds: path too long for %s\n", name);
                failures++;
                return;
        }
        FILE *f = fopen(path, "wb");
        if (!f || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
                fprintf(stderr, "make-seeds: cannot write %s: %s\n", path, strerror(errno));
                failures++;
        }
}

static void missing(const char *what) {
        fprintf(stderr, "make-seeds: could not build %s\n", what);
        failures++;
}

/* ---- seeds ---- */

/* ME 2-5 style $MAN partition: two stored modules and a 4-byte $SKU. */
static uint8_t *man_partition(size_t *ret_len) {
        static uint8_t bup[0x400], kernel[0x800];
        for (size_t i = 0; i < sizeof bup; i++)
                bup[i] = (uint8_t) (i * 13 + 1);
        for (size_t i = 0; i < sizeof kernel; i++)
                kernel[i] = (uint8_t) ((i / 32) ^ (i % 7));
        const synth_module mods[] = {
                { "BUP", bup, sizeof bup, 0, false },
                { "KERNEL", kernel, sizeof kernel, 0, false },
        };
        static const uint8_t sku[4] = { 0x03, 0x00, 0x00, 0x00 };
        synth_manifest_spec spec = {
                .man = true,
                .version = { 5, 0, 2, 1013 },
                .flags = 0,
                .svn = 0,
                .date = { 0x15, 0x06, 0x09, 0x20 },
                .sku = sku,
                .sku_len = 4,
                .pv = -1,
                .modules = mods,
                .n_modules = 2,
        };
        return synth_partition(&spec, ret_len, NULL);
}

/* TXE style $MN2 partition: 0x80-byte module entries, three modules (one LZMA). */
static uint8_t *txe_partition(size_t *ret_len) {
        static uint8_t a[0x300], b[0x900], c[0x100];
        for (size_t i = 0; i < sizeof a; i++)
                a[i] = (uint8_t) (i * 5);
        for (size_t i = 0; i < sizeof b; i++)
                b[i] = (uint8_t) ((i / 16) & 0x3F);
        memset(c, 0x5A, sizeof c);
        const synth_module mods[] = {
                { "BUP", a, sizeof a, 0, false },
                { "KERNEL", b, sizeof b, 2, false },
                { "POLICY", c, sizeof c, 0, false },
        };
        static const uint8_t sku[8] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
        synth_manifest_spec spec = {
                .version = { 1, 1, 0, 1089 },
                .partition = "FTPR",
                .flags = 0x80000000,
                .svn = 2,
                .vcn = 1,
                .date = { 0x01, 0x04, 0x14, 0x20 },
                .sku = sku,
                .sku_len = 8,
                .pv = 1,
                .mcp = true,
                .modules = mods,
                .n_modules = 3,
                .txe_stride = 0x80,
        };
        return synth_partition(&spec, ret_len, NULL);
}

static void garbage(const char *name, size_t len, uint64_t seed) {
        uint8_t *p = malloc(len ? len : 1);
        if (!p) {
                missing(name);
                return;
        }
        fill_stream(&seed, p, len);
        put(name, p, len);
        free(p);
}

static void filled(const char *name, size_t len, uint8_t byte) {
        uint8_t *p = malloc(len ? len : 1);
        if (!p) {
                missing(name);
                return;
        }
        memset(p, byte, len);
        put(name, p, len);
        free(p);
}

static void me9_seeds(void) {
        size_t n = 0;
        uint8_t *region = synth_me9_region(&n);
        if (!region) {
                missing("the ME 9 region");
                return;
        }
        put("me9-region.bin", region, n);

        /* the same table without the 16-byte vector: $FPT at offset 0 */
        put("me9-region-no-vector.bin", region + 0x10, n - 0x10);

        /* a bare FTPR partition, manifest first, as in an update image */
        if (n > 0x3000)
                put("me9-ftpr.bin", region + 0x3000, n - 0x3000);

        uint8_t *bad = malloc(n);
        if (bad) {
                memcpy(bad, region, n);
                bad[0x10 + 0x0B] ^= 0x55; /* $FPT checksum */
                put("me9-region-bad-checksum.bin", bad, n);
                free(bad);
        } else
                missing("the bad-checksum region");

        /* cut inside the FTPR manifest header, then inside the module data after it */
        put("me9-region-truncated.bin", region, MIN(n, (size_t) 0x3100));
        put("me9-region-truncated-modules.bin", region, MIN(n, (size_t) 0x3800));

        const size_t flash = 0x80000;
        uint8_t *spi = synth_spi(region, n, 0x1000, flash);
        if (spi) {
                put("me9-spi.bin", spi, flash);
                put("descriptor-only.bin", spi, 0x1000);
                /* the image behind an AMI capsule header and behind an unknown vendor header */
                size_t wn;
                uint8_t *w = synth_wrapped(spi, flash, true, 0x800, 0x40, &wn);
                if (w)
                        put("me9-spi-capsule.bin", w, wn);
                free(w);
                w = synth_wrapped(spi, flash, false, 0xCC0, 0, &wn);
                if (w)
                        put("me9-spi-vendor-header.bin", w, wn);
                free(w);
                free(spi);
        } else
                missing("the SPI image");

        free(region);
}

static void man_seeds(void) {
        size_t n = 0;
        uint8_t *part = man_partition(&n);
        if (!part) {
                missing("the $MAN partition");
                return;
        }
        put("me5-man-partition.bin", part, n);

        size_t part_size = (n + 0xFFF) & ~(size_t) 0xFFF;
        const synth_fpt_part parts[] = {
                { "FTPR", 0x1000, (uint32_t) part_size, 0, part, n },
                { "NVCL", 0xFFFFFFFF, 0x4000, 2, NULL, 0 },
        };
        size_t region_size = 0x1000 + part_size;
        uint8_t *region = synth_region(parts, 2, region_size);
        if (region) {
                put("me5-region.bin", region, region_size);
                free(region);
        } else
                missing("the $MAN region");
        free(part);
}

/* CSE: an R1 region with MFS, an R2 IFWI 1.7 region, a lone partition, a bare MFS. */
static void cse_seeds(void) {
        static uint8_t code[0x800], packed[0x800];
        for (size_t i = 0; i < sizeof code; i++) {
                code[i] = (uint8_t) (i * 5 + 1);
                packed[i] = (uint8_t) (i % 7);
        }
        const synth_cse_module mods[] = { { "fwupdate", code, sizeof code, 0 }, { "bup", packed, sizeof packed, 2 } };
        synth_cse_spec spec = {
                .name = "FTPR", .version = { 11, 8, 50, 3425 }, .flags = 1, .svn = 3, .vcn = 7,
                .client_info = true, .sku_caps = 0x300, .sku_attributes = 0x2610, .modules = mods, .n_modules = 2,
        };
        size_t plen, moff, mlen;
        uint8_t *part = synth_cse_partition(&spec, &plen, &moff);
        uint8_t *mfs = synth_mfs(3, 0x93, true, &mlen);
        if (!part || !mfs) {
                missing("the CSE partition");
                free(part);
                free(mfs);
                return;
        }
        put("cse-partition.bin", part, plen);
        put("cse-mfs.bin", mfs, mlen);
        synth_cse_entry e[] = { { "FTPR", 0x1000, (uint32_t) plen, part, plen },
                                { "MFS", (uint32_t) (0x1000 + plen), (uint32_t) mlen, mfs, mlen } };
        uint8_t *region = synth_cse_region(e, 2, 0x1000 + plen + mlen);
        put("cse-region.bin", region, 0x1000 + plen + mlen);
        free(region);
        free(part);
        free(mfs);

        spec.r2 = spec.ifwi_info = true;
        spec.version[0] = 16;
        spec.version[1] = 1;
        part = synth_cse_partition(&spec, &plen, &moff);
        if (!part) {
                missing("the CSE R2 partition");
                return;
        }
        synth_cse_entry boot[] = { { "FTPR", 0x1000, (uint32_t) plen, part, plen } };
        size_t size = 0x2000 + plen + 0x3000, bp1;
        region = synth_cse_ifwi17(boot, 1, size, &bp1);
        put("cse-ifwi17.bin", region, size);
        free(region);
        free(part);
}

/* Status: pasted tool output and MEI answers (the status target reads every seed all three ways). */
static void status_seeds(void) {
        static const char meinfo[] =
                "Intel(R) MEInfo Version: 9.1.45.3000\r\n"
                "FW Status Register1: 0x1E000245\r\n"
                "FW Status Register2: 0x76442312\r\n"
                "FW Status Register3: 0x00000200\r\n"
                "FW Capabilities value is 0x41101960\r\n"
                "Platform type is 0x72130302\r\n"
                "FW Version: 9.0.20.1447 H\r\n"
                "Intel(R) MEInfo Version: 5.0.0.1167\n"
                "PMXUtil: Error during PMX Call: IDRVInit(): Failed\n"
                "FW Status Register: 0X3009065A\n"
                "Flash: 5.0.1 Netstack: 5.0.1\n"
                "Build Number: 1111\n"
                "intelmetool\n"
                "ME Status   : 0x94000245\n"
                "ME Status 2 : 0x69000506\n"
                "HFSTS3 = 0x00000030\n";
        put("status-log.txt", (const uint8_t *) meinfo, sizeof meinfo - 1);
        static const uint8_t fw_version[] = { 0xFF, 0x82, 0, 0, 0, 0, 9, 0, 0xA7, 0x05, 20, 0,
                                              0, 0, 9, 0, 0xA7, 0x05, 20, 0, 0, 0, 9, 0, 0x93, 0x05, 20, 0 };
        put("status-mkhi-version.bin", fw_version, sizeof fw_version);
        static const uint8_t rule[] = { 0x03, 0x82, 0, 0, 0, 0, 0, 0, 4, 0x60, 0x19, 0x10, 0x41 };
        put("status-mkhi-rule.bin", rule, sizeof rule);
        uint8_t amthi[12 + 4 + 65 + 4 + 44] = { 1, 1, 0, 0, 0x1A, 0, 0x80, 4 };
        amthi[12 + 4 + 65] = 1;
        amthi[12 + 4 + 69] = 3;
        memcpy(amthi + 12 + 4 + 69 + 2, "AMT", 3);
        amthi[12 + 4 + 69 + 22] = 5;
        memcpy(amthi + 12 + 4 + 69 + 24, "9.0.2", 5);
        put("status-amthi.bin", amthi, sizeof amthi);
}

/* Diagnose: a failed update and a knowledge-base entry (every target replays every seed). */
static void diagnose_seeds(void) {
        static const char fwupd[] =
                "c:\\MEI>FWUpdLcl64.exe -allowsv -f 9.0.20.1447.BIN\r\n"
                "Intel (R) Firmware Update Utility Version: 9.1.45.3000\r\n"
                "Communication Mode: MEI\r\n"
                "Sending the update image to FW for verification: [ COMPLETE ]\r\n"
                "FW Update: [ 21% (Stage: 4 of 19) (-)]\r\n"
                "Error 8741: FW Update Failed.\r\n"
                "Error 8707: Firmware update failed due to an internal error\r\n"
                "Intel(R) MEManuf Version: 9.1.10.1000\n"
                "Error return from loading common VSCC file \"vsccommn.bin\"\n"
                "Error 9268: Fail to load vsccommn.bin\n"
                "Error 9296: MEManuf Test Failed\n"
                "Firmware Update Utility Version 5.2.50.1042\n***** Flash Info ******\nVersion : 5.0.1.1111\n"
                ": Intel (R) TPM\n***** Image Info ******\nVersion : 5.2.70.1046\nCommunication Mode: TPM\n"
                "FW image is uploading through TPM.\n"
                "ME Analyzer v1.175.0 r222\n\xe2\x95\x91 9.0.31.1487.BIN (1/1) \xe2\x95\x91\n"
                "\xe2\x95\x91 Version \xe2\x94\x82 9.0.31.1487 \xe2\x95\x91\n"
                "[   25.437096] mei_me 0000:00:16.0: wait hw ready failed\n"
                "Host ME Region Flash Protection Override (HMRFPO) Status: Locked\n"
                "MAC Address: 00-19-39-47-bb-dd\n";
        put("diagnose-log.txt", (const uint8_t *) fwupd, sizeof fwupd - 1);
        static const char kb[] = "[fwu-8707]\ntool: fwupdate\ngenerations: 2-11\ncode: 8707\ntext: internal error\n"
                                 "class: broken\ntitle: t\nmeaning: m\ncause: c\nremedy: r\nsource: s\n";
        put("diagnose-kb.txt", (const uint8_t *) kb, sizeof kb - 1);
}

/* A database file with every section and every form of fixed version. */
static void db_seeds(void) {
        static const char db[] =
                "[builds]\nME\t9.0.31.1487\t1.5MB\tPRD:RGN PRE:RGN\nCSME\t11.8.96.4657\tCON_H_D\tPRD:RGN\n"
                "TXE\t1.1.4.1145\t-\tBYP:EXTR\n"
                "[advisories]\nINTEL-SA-00295\tCSME\t11.0-11.8\t11.8.77\tall\ts\tt\n"
                "INTEL-SA-00075\tME\t6.0-10.0\tbuild:3000\tamt\ts\tt\nX\tCSME\t11.7\tbuilds:1000-1999\tamt\ts\tt\n"
                "Y\tME\t6.0-7.1\tnone\tamt\ts\tt\n"
                "[keys]\nME\t9.0-9.1\tPRD\tB41F8F516722BF6ED5E950E45FCFA6296A851F2BFB2A6608AF74B33EE22DD06E\n";
        put("update-db.txt", (const uint8_t *) db, sizeof db - 1);
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: make-seeds DIR\n");
                return 2;
        }
        out_dir = argv[1];
        if (mkdir(out_dir, 0755) < 0 && errno != EEXIST) {
                fprintf(stderr, "make-seeds: cannot create %s: %s\n", out_dir, strerror(errno));
                return 1;
        }
        if (use_fixed_rand() < 0) {
                fprintf(stderr, "make-seeds: cannot install the fixed random source\n");
                return 1;
        }

        me9_seeds();
        man_seeds();
        cse_seeds();
        status_seeds();
        diagnose_seeds();
        db_seeds();

        size_t n = 0;
        uint8_t *txe = txe_partition(&n);
        if (txe) {
                put("txe-partition.bin", txe, n);
                free(txe);
        } else
                missing("the TXE partition");

        put("empty.bin", (const uint8_t *) "", 0);
        garbage("garbage-16.bin", 16, 1);
        garbage("garbage-256.bin", 256, 2);
        garbage("garbage-4096.bin", 4096, 3);
        filled("ff-4096.bin", 4096, 0xFF);
        filled("zero-64.bin", 64, 0x00);

        /* the directory's time stamp is the build system's record that the seeds are fresh */
        if (utimensat(AT_FDCWD, out_dir, NULL, 0) < 0) {
                fprintf(stderr, "make-seeds: cannot touch %s: %s\n", out_dir, strerror(errno));
                failures++;
        }
        return failures ? 1 : 0;
}
