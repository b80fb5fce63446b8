/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the demo's sample images into a directory: synthetic engine firmware signed with a
 * key made on the spot (so mefw reports "unknown-key": it is not Intel's), one intact and one
 * tampered. Real firmware is never bundled with mefw.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"
#include "synth_cse.h"

static int write_file(const char *dir, const char *name, const uint8_t *data, size_t len) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "make-samples: cannot write %s: %s\n", path, strerror(errno));
                return -1;
        }
        return 0;
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: make-samples DIR\n");
                return 2;
        }
        const char *dir = argv[1];
        size_t n;
        uint8_t *region = synth_me9_region(&n);
        if (!region)
                return 1;
        int r = write_file(dir, "synthetic-me9-region.bin", region, n);

        uint8_t *spi = synth_spi(region, n, 0x1000, 0x100000);
        if (spi)
                r |= write_file(dir, "synthetic-me9-spi-image.bin", spi, 0x100000);
        /* the same image as board makers ship it: behind an AMI capsule header, and behind a
         * vendor header of 0xCC0 bytes */
        size_t wn;
        uint8_t *cap = spi ? synth_wrapped(spi, 0x100000, true, 0x800, 0x100, &wn) : NULL;
        if (cap)
                r |= write_file(dir, "synthetic-me9-bios-capsule.bin", cap, wn);
        free(cap);
        uint8_t *vendor = spi ? synth_wrapped(spi, 0x100000, false, 0xCC0, 0, &wn) : NULL;
        if (vendor)
                r |= write_file(dir, "synthetic-me9-vendor-image.bin", vendor, wn);
        free(vendor);

        /* one byte changed inside the signed manifest header: the signature must fail */
        uint8_t *bad = malloc(n);
        if (bad) {
                memcpy(bad, region, n);
                bad[0x3000 + 0x14] ^= 0x01;
                r |= write_file(dir, "synthetic-me9-region-tampered.bin", bad, n);
        }
        /* a CSME 16-style region: layout table, BPDT, R2 manifest (RSA-3072 PSS), SHA-384 hashes */
        static uint8_t code[0x2000], packed[0x2000];
        for (size_t i = 0; i < sizeof code; i++) {
                code[i] = (uint8_t) (i * 5 + 1);
                packed[i] = (uint8_t) (i % 11);
        }
        const synth_cse_module mods[] = { { "fwupdate", code, sizeof code, 0 }, { "bup", packed, sizeof packed, 2 } };
        synth_cse_spec spec = {
                .name = "FTPR", .r2 = true, .version = { 16, 1, 30, 2307 }, .flags = 1, .svn = 1, .vcn = 16,
                .arb = 4, .ifwi_info = true, .client_info = true, .sku_caps = 1u << 8, .sku_attributes = 1u << 4,
                .modules = mods, .n_modules = 2,
        };
        size_t plen, moff, bp1;
        uint8_t *part = synth_cse_partition(&spec, &plen, &moff);
        if (part) {
                synth_cse_entry boot[] = { { "FTPR", 0x1000, (uint32_t) plen, part, plen } };
                size_t size = 0x2000 + plen + 0x3000;
                uint8_t *cse = synth_cse_ifwi17(boot, 1, size, &bp1);
                if (cse)
                        r |= write_file(dir, "synthetic-csme16-region.bin", cse, size);
                free(cse);
                free(part);
        } else
                r = 1;
        /* hostile names: a partition called "../x", modules named like paths and terminal escapes */
        {
                static uint8_t a[0x400], b[0x400], cc[0x400];
                for (size_t i = 0; i < sizeof a; i++)
                        a[i] = (uint8_t) i, b[i] = (uint8_t) (i * 3), cc[i] = (uint8_t) (i * 5);
                const synth_module hostile[] = {
                        { "../../../../x", a, sizeof a, 0, false },
                        { "/etc/passwd", b, sizeof b, 0, false },
                        { "a\x1b[2J\nb", cc, sizeof cc, 0, false },
                };
                synth_manifest_spec hs = {
                        .version = { 9, 0, 31, 1487 }, .partition = "FTPR", .flags = 0x40000004, .svn = 1,
                        .pv = 1, .mcp = true, .modules = hostile, .n_modules = 3,
                };
                size_t hl, hm;
                uint8_t *ftpr = synth_partition(&hs, &hl, &hm);
                if (ftpr) {
                        size_t fsize = (hl + 0xFFF) & ~(size_t) 0xFFF;
                        const synth_fpt_part parts[] = {
                                { "../x", 0x1000, 0x1000, 1, a, sizeof a },
                                { "FTPR", 0x2000, (uint32_t) fsize, 0, ftpr, hl },
                        };
                        uint8_t *hr = synth_region(parts, 2, 0x2000 + fsize);
                        if (hr)
                                r |= write_file(dir, "synthetic-hostile-names.bin", hr, 0x2000 + fsize);
                        free(hr);
                        free(ftpr);
                }
        }
        static const char text[] = "This is not firmware.\n";
        r |= write_file(dir, "not-firmware.txt", (const uint8_t *) text, sizeof text - 1);
        free(bad);
        free(spi);
        free(region);
        return r ? 1 : 0;
}
