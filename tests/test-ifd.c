/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The full descriptor decoder and its edits: IFDv2 masters (including the extended bits for
 * regions 12-15), the HAP strap, unlock and strap edits with the generation check, hostile map
 * words and tables, region replacement rules, the atomic writer, and the chipset guess for every
 * descriptor of the corpus against the board it came from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flash/descriptor.h"
#include "mefw/ifd.h"
#include "mefw/update.h"
#include "synth.h"

#define IMG_SIZE 0x10000u

/* A Sunrise Point (IFDv2) image: descriptor, ME 0x1000-0x7FFF, BIOS 0x8000-0xFFFF, 64 KiB. */
static uint8_t *make_v2(void) {
        uint8_t *img = malloc(IMG_SIZE);
        assert_non_null(img);
        memset(img, 0xFF, IMG_SIZE);
        memset(img, 0, 0x1000);
        memset(img, 0xFF, 0x10);
        synth_put32(img + 0x10, 0x0FF0A55A);
        synth_put32(img + 0x14, 0x00040003); /* FCBA 0x30, FRBA 0x40, one component */
        synth_put32(img + 0x18, 0x42100208); /* FMBA 0x80, FPSBA 0x100, 66 PCH straps */
        synth_put32(img + 0x1C, 0x00310330); /* FMSBA 0x300, ICCRIBA 0x31: Sunrise Point */
        synth_put32(img + 0x30, 0x00000000); /* density code 0: 512 KiB */
        synth_put32(img + 0x40, 0x00000000); /* descriptor 0-0xFFF */
        synth_put32(img + 0x44, 0x000F0008); /* BIOS 0x8000-0xFFFF */
        synth_put32(img + 0x48, 0x00070001); /* ME 0x1000-0x7FFF */
        for (unsigned i = 3; i < 10; i++)
                synth_put32(img + 0x40 + 4 * i, 0x00007FFF);
        /* host: reads 0-3, writes 0, 1, 3 (not the ME); ME: reads and writes region 12 via the
         * extended bits, and region 2 */
        synth_put32(img + 0x80, (0x00Bu << 20) | (0x00Fu << 8));
        synth_put32(img + 0x84, (0x004u << 20) | (0x004u << 8) | 0x11);
        return img;
}

static mefw_ifd *parse(const uint8_t *img, size_t size) {
        mefw_ifd *d = NULL;
        assert_int_equal(mefw_ifd_parse(img, size, &d), 0);
        return d;
}

static bool has_message(const mefw_messages *m, const char *code) {
        for (size_t i = 0; i < m->count; i++)
                if (strcmp(m->items[i].code, code) == 0)
                        return true;
        return false;
}

static void test_v2_masters_and_straps(void **state) {
        (void) state;
        uint8_t *img = make_v2();
        mefw_ifd *d = parse(img, IMG_SIZE);
        assert_int_equal(d->layout_version, 2);
        assert_string_equal(d->chipset_codes[0], "SPT");
        assert_int_equal(d->n_candidates, 2);
        assert_true(has_message(&d->messages, "chipset-ambiguous"));
        assert_int_equal(d->n_regions, 10);
        assert_int_equal(d->regions[MEFW_IFD_REGION_ME].base, 0x1000);
        assert_int_equal(d->regions[MEFW_IFD_REGION_ME].limit, 0x7FFF);
        assert_int_equal(d->n_masters, 4);
        assert_string_equal(d->masters[0].name, "host");
        assert_int_equal(d->masters[0].read, 0x000F);
        assert_int_equal(d->masters[0].write, 0x000B);
        assert_true(d->host_me_read);
        assert_false(d->host_me_write);
        assert_true(has_message(&d->messages, "host-me-write-disabled"));
        /* bits 3:0 and 7:4 extend the bitmaps to regions 12-15 */
        assert_int_equal(d->masters[1].read, 0x1004);
        assert_int_equal(d->masters[1].write, 0x1004);
        assert_string_equal(d->masters[3].name, "ec");
        assert_int_equal(d->masters[3].number, 5);
        assert_string_equal(d->me_disable_kind, "hap");
        assert_null(d->me_disable);
        assert_int_equal(d->flash_size, 512 * 1024);
        /* the 64 KiB file is shorter than the 512 KiB flash it describes, and that is said */
        assert_true(has_message(&d->messages, "image-incomplete"));
        mefw_ifd_free(d);

        /* HAP: PCHSTRP0 bit 16 */
        synth_put32(img + 0x100, 1u << 16);
        d = parse(img, IMG_SIZE);
        assert_string_equal(d->me_disable, "hap");
        assert_true(has_message(&d->messages, "me-disabled-by-strap"));
        mefw_ifd_free(d);
        free(img);
}

/* Meteor Lake: a 16 KiB descriptor region (the first 4 KiB repeated at 0x1000), 130 PCH straps, a
 * 32 MiB density code and an EC master. Written as FIT and ifdtool write it: the descriptor alone. */
static uint8_t *make_mtl(uint32_t flmap2) {
        const size_t size = 0x4000;
        uint8_t *img = malloc(size);
        assert_non_null(img);
        memset(img, 0xFF, size);
        memset(img + 0x20, 0xFF, 0xFE0);
        synth_put32(img + 0x10, 0x0FF0A55A);
        synth_put32(img + 0x14, 0x00040003); /* FCBA 0x30, FRBA 0x40, one component */
        synth_put32(img + 0x18, 0x82100208); /* FMBA 0x80, FPSBA 0x100, 130 PCH straps */
        synth_put32(img + 0x1C, flmap2);
        synth_put32(img + 0x30, 0x0930F0F6); /* density code 6: 32 MiB */
        synth_put32(img + 0x40, 0x00030000); /* descriptor 0-0x3FFF */
        synth_put32(img + 0x44, 0x1FFF1000); /* BIOS 16-32 MiB */
        synth_put32(img + 0x48, 0x09EF0004); /* ME 0x4000-0x9EFFFF */
        for (unsigned i = 3; i < 16; i++)
                synth_put32(img + 0x40 + 4 * i, 0x00007FFF);
        synth_put32(img + 0x80, 0xFFFFFF00); /* host, ME, GbE, (4), EC: every region */
        synth_put32(img + 0x84, 0xFFFFFF00);
        synth_put32(img + 0x88, 0xFFFFFF00);
        synth_put32(img + 0x8C, 0);
        synth_put32(img + 0x90, 0xFFFFFF00);
        for (unsigned i = 0; i < 130; i++)
                synth_put32(img + 0x100 + 4 * i, 0x10081008);
        synth_put32(img + 0x100, 0xFB034D80); /* strap 0 with bit 16 set */
        memcpy(img + 0x1000, img, 0x1000);
        return img;
}

static void test_meteor_lake_descriptor(void **state) {
        (void) state;
        /* two ICC table lengths seen on Meteor Lake boards */
        const uint32_t flmap2s[] = { 0x000301C0, 0x000301E0 };
        for (size_t k = 0; k < 2; k++) {
                uint8_t *img = make_mtl(flmap2s[k]);
                mefw_ifd *d = parse(img, 0x4000);
                assert_int_equal(d->layout_version, 2);
                assert_string_equal(d->chipset_codes[0], "MTL");
                assert_int_equal(d->flash_size, 32u * 1024 * 1024);
                assert_int_equal(d->regions[MEFW_IFD_REGION_DESCRIPTOR].limit, 0x3FFF);
                assert_int_equal(d->regions[MEFW_IFD_REGION_ME].base, 0x4000);
                bool ec = false;
                for (size_t i = 0; i < d->n_masters; i++)
                        ec = ec || strcmp(d->masters[i].name, "ec") == 0;
                assert_true(ec);
                /* the copy at 0x1000 is part of the descriptor, and a 16 KiB file is the descriptor
                 * alone: no warning, no error, no "two descriptors" */
                assert_int_equal(d->n_copies, 1);
                for (size_t i = 0; i < d->messages.count; i++)
                        assert_int_equal(d->messages.items[i].severity, MEFW_NOTE);
                assert_false(has_message(&d->messages, "multiple-descriptors"));
                /* bit 16 of strap 0 is not known to be HAP here: not taken as a disabled engine */
                assert_null(d->me_disable);
                assert_true(d->me_disable_unconfirmed);
                mefw_ifd_free(d);
                free(img);
        }
        /* A map no table knows: 130 straps and a 16 KiB descriptor region still mean IFDv2, so the
         * 32 MiB density code is read as such, not called invalid. */
        uint8_t *img = make_mtl(0x000901E0);
        mefw_ifd *d = parse(img, 0x4000);
        assert_int_equal(d->n_candidates, 0);
        assert_int_equal(d->layout_version, 2);
        assert_int_equal(d->flash_size, 32u * 1024 * 1024);
        assert_false(has_message(&d->messages, "descriptor-density"));
        mefw_ifd_free(d);
        free(img);
}

/* The flash image inside a board maker's file: behind AMI's capsule header, behind an unknown
 * header, or not there at all although a descriptor signature is. */
static void test_container_finder(void **state) {
        (void) state;
        uint8_t *img = make_v2();
        mefw_container c;
        assert_int_equal(mefw_find_flash_image(img, IMG_SIZE, &c), 0);
        assert_null(c.kind);
        assert_int_equal(c.image_offset, 0);

        size_t n;
        uint8_t *cap = synth_wrapped(img, IMG_SIZE, true, 0x800, 0x200, &n);
        assert_non_null(cap);
        assert_int_equal(mefw_find_flash_image(cap, n, &c), 0);
        assert_string_equal(c.kind, "capsule");
        assert_string_equal(c.header, "AMI Aptio capsule");
        assert_int_equal(c.image_offset, 0x800);
        assert_int_equal(c.image_size, IMG_SIZE); /* the capsule's size: not its trailing signature */
        free(cap);

        uint8_t *vendor = synth_wrapped(img, IMG_SIZE, false, 0xCC0, 0, &n);
        assert_non_null(vendor);
        assert_int_equal(mefw_find_flash_image(vendor, n, &c), 0);
        assert_string_equal(c.kind, "vendor-image");
        assert_int_equal(c.image_offset, 0xCC0);
        /* analyze names the header and reads the same descriptor, offsets those of the file */
        mefw_report *r = NULL;
        assert_int_equal(mefw_analyze_buffer(vendor, n, "vendor.bin", &r), 0);
        assert_string_equal(r->fw.container, "vendor-image");
        assert_int_equal(r->image_offset, 0xCC0);
        assert_non_null(r->descriptor);
        assert_int_equal(r->descriptor->regions[MEFW_IFD_REGION_ME].base, 0x1000);
        mefw_report_free(r);

        /* A stray signature is no descriptor: in random bytes, with a map pointing anywhere, or
         * with an engine region past the end of the file. */
        uint8_t *noise = malloc(0x40000);
        assert_non_null(noise);
        uint32_t x = 0x9E3779B9u;
        for (size_t i = 0; i < 0x40000; i++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                noise[i] = (uint8_t) x;
        }
        for (size_t at = 0x100; at < 0x40000 - 0x100; at += 0x3301)
                synth_put32(noise + at, 0x0FF0A55A);
        assert_int_equal(mefw_find_flash_image(noise, 0x40000, &c), -ENOENT);
        /* a whole descriptor, cut after 0x4000 bytes: its engine region is not in the file */
        memcpy(noise + 0x2000, img, 0x1000);
        assert_int_equal(mefw_find_flash_image(noise, 0x2000 + 0x1000, &c), -ENOENT);
        free(noise);
        free(vendor);
        free(img);
}

static void test_edits(void **state) {
        (void) state;
        uint8_t *img = make_v2();
        mefw_ifd *d = parse(img, IMG_SIZE);
        mefw_ifd_changes ch;

        /* the other generation's strap is refused without force, and nothing changes */
        uint8_t *copy = malloc(IMG_SIZE);
        assert_non_null(copy);
        memcpy(copy, img, IMG_SIZE);
        assert_int_equal(mefw_ifd_set_me_disable(copy, IMG_SIZE, d, "altmedisable", false, &ch), -EOPNOTSUPP);
        assert_memory_equal(copy, img, IMG_SIZE);
        assert_int_equal(mefw_ifd_set_me_disable(copy, IMG_SIZE, d, "bogus", true, &ch), -EINVAL);

        assert_int_equal(mefw_ifd_set_me_disable(copy, IMG_SIZE, d, "hap", false, &ch), 0);
        assert_int_equal(ch.n, 1);
        assert_int_equal(ch.items[0].offset, 0x100);
        assert_int_equal(ch.items[0].after, 1u << 16);
        mefw_ifd *e = parse(copy, IMG_SIZE);
        assert_string_equal(e->me_disable, "hap");
        assert_memory_equal(e->regions, d->regions, sizeof d->regions);
        mefw_ifd_free(e);
        /* setting it again changes nothing */
        assert_int_equal(mefw_ifd_set_me_disable(copy, IMG_SIZE, d, "hap", false, &ch), 0);
        assert_int_equal(ch.n, 0);

        memcpy(copy, img, IMG_SIZE);
        assert_int_equal(mefw_ifd_unlock(copy, IMG_SIZE, d, &ch), 0);
        assert_int_equal(ch.n, 2);
        assert_string_equal(ch.items[0].what, "FLMSTR1");
        assert_int_equal(ch.items[0].after, 0xFFFFFF00u);
        assert_int_equal(ch.items[1].after, 0xFFFFFF11u); /* the extended bits are kept */
        e = parse(copy, IMG_SIZE);
        assert_true(e->host_me_read && e->host_me_write);
        assert_int_equal(e->masters[2].value, 0); /* GbE untouched */
        mefw_ifd_free(e);

        /* an image cut before the master section cannot be unlocked */
        assert_int_equal(mefw_ifd_unlock(copy, 0x82, d, &ch), -ERANGE);
        free(copy);
        mefw_ifd_free(d);
        free(img);
}

static void test_hostile(void **state) {
        (void) state;
        uint8_t *img = make_v2();
        mefw_ifd *d;

        /* erased flash: no descriptor */
        uint8_t *ff = malloc(0x1000);
        assert_non_null(ff);
        memset(ff, 0xFF, 0x1000);
        assert_int_equal(mefw_ifd_parse(ff, 0x1000, &d), -ENOENT);
        free(ff);

        /* limit below base: unused, never an overlap */
        synth_put32(img + 0x4C, 0x00010005);
        d = parse(img, IMG_SIZE);
        assert_false(d->regions[3].used);
        assert_false(has_message(&d->messages, "region-overlap"));
        mefw_ifd_free(d);

        /* overlapping and out-of-flash regions are errors with the region word's offset */
        synth_put32(img + 0x4C, 0x00020001); /* GbE 0x1000-0x2FFF inside the ME */
        synth_put32(img + 0x50, 0x7FFE7FF0); /* PDR far beyond the flash */
        d = parse(img, IMG_SIZE);
        assert_true(has_message(&d->messages, "region-overlap"));
        assert_true(has_message(&d->messages, "region-beyond-flash"));
        mefw_ifd_free(d);

        /* a VSCC table claiming 127 entries is capped, and cut at the descriptor's end */
        synth_put32(img + 0xEFC, 0x0000FFF8); /* VTBA 0xF80, VTL 0xFF */
        d = parse(img, IMG_SIZE);
        assert_true(d->n_vscc <= MEFW_IFD_MAX_VSCC);
        assert_true(has_message(&d->messages, "descriptor-vscc-count"));
        assert_true(has_message(&d->messages, "descriptor-vscc-cut"));
        mefw_ifd_free(d);

        /* map words pointing at the same section are not a descriptor */
        synth_put32(img + 0x14, 0x00030003);
        assert_int_equal(mefw_ifd_parse(img, IMG_SIZE, &d), -ENOENT);

        /* every byte of the map section random-ish: decoding stays within bounds */
        for (unsigned seed = 1; seed < 200; seed++) {
                for (unsigned i = 0x14; i < 0x24; i++)
                        img[i] = (uint8_t) (seed * 37 + i * 11);
                if (mefw_ifd_parse(img, IMG_SIZE, &d) == 0) {
                        assert_true(d->n_regions <= MEFW_IFD_MAX_REGIONS);
                        mefw_ifd_free(d);
                }
        }
        free(img);
}

/* Intel's recommended access: each master reads the descriptor and its own region and writes its
 * own; IFDv2 bit positions (read from bit 8, write from bit 20). */
static void test_lock(void **state) {
        (void) state;
        uint8_t *img = make_v2();
        mefw_ifd *d = parse(img, IMG_SIZE);
        mefw_ifd_changes ch;
        assert_int_equal(mefw_ifd_unlock(img, IMG_SIZE, d, &ch), 0);
        mefw_ifd_free(d);
        d = parse(img, IMG_SIZE);
        assert_true(d->host_me_write);
        assert_int_equal(mefw_ifd_lock(img, IMG_SIZE, d, &ch), 0);
        assert_int_equal((uint32_t) (img[0x80] | img[0x81] << 8 | img[0x82] << 16 | (uint32_t) img[0x83] << 24), 0x00200300u); /* host: reads FD, BIOS; writes BIOS */
        assert_int_equal((uint32_t) (img[0x84] | img[0x85] << 8 | img[0x86] << 16 | (uint32_t) img[0x87] << 24), 0x00400500u); /* ME: reads FD, ME; writes ME */
        mefw_ifd_free(d);
        d = parse(img, IMG_SIZE);
        assert_false(d->host_me_write);
        assert_true(d->host_me_read == false);
        /* locking a locked descriptor changes nothing */
        assert_int_equal(mefw_ifd_lock(img, IMG_SIZE, d, &ch), 0);
        assert_int_equal(ch.n, 0);
        mefw_ifd_free(d);
        free(img);
}

static void test_replace_rules(void **state) {
        (void) state;
        uint8_t *img = make_v2();
        mefw_ifd *d = parse(img, IMG_SIZE);
        mefw_messages why = {};
        uint8_t *out = NULL;
        uint8_t big[0x8000];
        memset(big, 0x11, sizeof big);

        /* larger than the 0x7000-byte ME region: refused, forced or not */
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 2, big, 0x7001, true, &why, &out), -EPERM);
        assert_null(out);
        assert_true(has_message(&why, "replace-too-large"));
        mefw_messages_clear(&why);

        /* not firmware: refused unless forced; forced, padded with 0xFF */
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 2, big, 0x100, false, &why, &out), -EPERM);
        assert_true(has_message(&why, "replace-no-firmware"));
        mefw_messages_clear(&why);
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 2, big, 0x100, true, &why, &out), 0);
        assert_int_equal(out[0x1000], 0x11);
        assert_int_equal(out[0x10FF], 0x11);
        assert_int_equal(out[0x1100], 0xFF);
        assert_int_equal(out[0x7FFF], 0xFF);
        assert_memory_equal(out, img, 0x1000);
        assert_memory_equal(out + 0x8000, img + 0x8000, IMG_SIZE - 0x8000);
        free(out);
        mefw_messages_clear(&why);

        /* the same bytes as now: nothing to judge */
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 2, img + 0x1000, 0x7000, false, &why, &out), 0);
        assert_memory_equal(out, img, IMG_SIZE);
        assert_true(has_message(&why, "replace-identical"));
        free(out);
        mefw_messages_clear(&why);

        /* a descriptor region must hold a descriptor */
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 0, big, 0x1000, false, &why, &out), -EPERM);
        mefw_messages_clear(&why);
        /* unused and unknown regions */
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 3, big, 0x10, true, &why, &out), -ENOENT);
        assert_int_equal(mefw_ifd_replace_region(d, img, IMG_SIZE, 15, big, 0x10, true, &why, &out), -ENOENT);
        /* a region past the end of a cut image */
        assert_int_equal(mefw_ifd_replace_region(d, img, 0x9000, 1, big, 0x10, true, &why, &out), -ERANGE);
        mefw_messages_clear(&why);
        mefw_ifd_free(d);
        free(img);
}

/* The engine region goes through the one update policy: a downgrade is refused, with the rule's
 * reason, and only --force writes it. */
static void test_replace_downgrade(void **state) {
        (void) state;
        size_t n;
        uint8_t *region = synth_me9_region(&n);
        assert_non_null(region);
        const size_t flash = 0x100000;
        uint8_t *spi = synth_spi(region, n, 0x1000, flash);
        assert_non_null(spi);
        mefw_ifd *d = parse(spi, flash);
        /* the same firmware, 9.0.20 instead of 9.0.31 (its manifest no longer verifies either) */
        uint8_t *older = malloc(n);
        assert_non_null(older);
        memcpy(older, region, n);
        assert_int_equal(older[0x3000 + 0x28], 31);
        older[0x3000 + 0x28] = 20;
        mefw_messages why = {};
        uint8_t *out = NULL;
        assert_int_equal(mefw_ifd_replace_region(d, spi, flash, 2, older, n, false, &why, &out), -EPERM);
        assert_null(out);
        assert_true(has_message(&why, "replace-version"));
        assert_true(has_message(&why, "replace-signature"));
        bool says_downgrade = false;
        for (size_t i = 0; i < why.count; i++)
                says_downgrade = says_downgrade || strstr(why.items[i].text, "downgrade") != NULL;
        assert_true(says_downgrade);
        mefw_messages_clear(&why);
        assert_int_equal(mefw_ifd_replace_region(d, spi, flash, 2, older, n, true, &why, &out), 0);
        assert_memory_equal(out + 0x1000, older, n);
        free(out);
        mefw_messages_clear(&why);
        mefw_ifd_free(d);
        free(older);
        free(spi);
        free(region);
}

static void test_region_names(void **state) {
        (void) state;
        assert_int_equal(mefw_ifd_region_index("me"), 2);
        assert_int_equal(mefw_ifd_region_index("ME"), 2);
        assert_int_equal(mefw_ifd_region_index("txe"), 2);
        assert_int_equal(mefw_ifd_region_index("fd"), 0);
        assert_int_equal(mefw_ifd_region_index("ec"), 8);
        assert_int_equal(mefw_ifd_region_index("15"), 15);
        assert_int_equal(mefw_ifd_region_index("16"), -EINVAL);
        assert_int_equal(mefw_ifd_region_index("2x"), -EINVAL);
        assert_int_equal(mefw_ifd_region_index(""), -EINVAL);
        assert_int_equal(mefw_ifd_region_index("bogus"), -EINVAL);
}

/* Engine firmware in a full image: the descriptor facts come along, the padding is checked. */
static void test_full_image_padding(void **state) {
        (void) state;
        size_t len;
        uint8_t *region = synth_me9_region(&len);
        assert_non_null(region);
        /* the region is 0x1000 bytes longer than the firmware: FLREG2 limit moved up, BIOS after */
        uint8_t *img = synth_spi(region, len, 0x1000, 0x100000);
        assert_non_null(img);
        uint32_t me_end = 0x1000 + (uint32_t) len - 1 + 0x1000;
        synth_put32(img + 0x48, ((me_end >> 12) << 16) | 0x1);
        synth_put32(img + 0x44, (0xFFu << 16) | ((me_end + 1) >> 12));
        memset(img + 0x1000 + len, 0xFF, 0x1000);

        mefw_report *r;
        assert_int_equal(mefw_analyze_buffer(img, 0x100000, "padded", &r), 0);
        assert_non_null(r->descriptor);
        assert_string_equal(r->fw.container, "spi-image");
        assert_true(r->fw.has_version);
        assert_false(has_message(&r->messages, "region-padding-data"));
        /* the firmware's chipset narrows the descriptor's Lynx/Wildcat Point/Wellsburg guess */
        assert_true(r->descriptor->chipset_refined);
        assert_string_equal(r->descriptor->chipset_codes[0], "LPT");
        mefw_report_free(r);

        img[me_end - 3] = 0x00;
        assert_int_equal(mefw_analyze_buffer(img, 0x100000, "padded", &r), 0);
        assert_true(has_message(&r->messages, "region-padding-data"));
        assert_true(has_message(&r->descriptor->messages, "region-padding-data"));
        mefw_report_free(r);
        free(img);
        free(region);
}

/* ---- the atomic writer ---- */

static int refuse(const uint8_t *data, size_t size, void *userdata) {
        (void) data;
        (void) size;
        (*(int *) userdata)++;
        return -EBADMSG;
}

static int accept(const uint8_t *data, size_t size, void *userdata) {
        (*(int *) userdata)++;
        return size == 3 && memcmp(data, "new", 3) == 0 ? 0 : -EBADMSG;
}

static size_t count_entries(const char *dir) {
        DIR *d = opendir(dir);
        assert_non_null(d);
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

/* Writing into a folder of one's own (unpack): a new name only while free, a link never followed,
 * an existing file replaced only when asked, and nothing left behind on refusal. */
static void test_write_file_at(void **state) {
        (void) state;
        char dir[] = "/tmp/mefw-test-XXXXXX";
        assert_non_null(mkdtemp(dir));
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        assert_true(fd >= 0);
        assert_int_equal(mefw_write_file_at(fd, "a.bin", (const uint8_t *) "one", 3, false, NULL, NULL), 0);
        assert_int_equal(mefw_write_file_at(fd, "a.bin", (const uint8_t *) "two", 3, false, NULL, NULL), -EEXIST);
        char path[96];
        snprintf(path, sizeof path, "%s/a.bin", dir);
        mefw_mapped_file m;
        assert_int_equal(mefw_map_file(path, &m), 0);
        assert_memory_equal(m.data, "one", 3);
        mefw_unmap_file(&m);
        assert_int_equal(mefw_write_file_at(fd, "a.bin", (const uint8_t *) "two", 3, true, NULL, NULL), 0);
        assert_int_equal(mefw_map_file(path, &m), 0);
        assert_memory_equal(m.data, "two", 3);
        mefw_unmap_file(&m);
        /* a link in the folder is refused even with replace, and its target is not created */
        char target[96];
        snprintf(target, sizeof target, "%s/target", dir);
        assert_int_equal(symlinkat(target, fd, "link.bin"), 0);
        assert_int_equal(mefw_write_file_at(fd, "link.bin", (const uint8_t *) "x", 1, true, NULL, NULL), -ELOOP);
        assert_int_equal(access(target, F_OK), -1);
        /* names that leave the folder are not names */
        assert_int_equal(mefw_write_file_at(fd, "../x", (const uint8_t *) "x", 1, true, NULL, NULL), -EINVAL);
        assert_int_equal(mefw_write_file_at(fd, "..", (const uint8_t *) "x", 1, true, NULL, NULL), -EINVAL);
        assert_int_equal(count_entries(dir), 2); /* a.bin and link.bin, no temporary file */
        unlinkat(fd, "a.bin", 0);
        unlinkat(fd, "link.bin", 0);
        close(fd);
        rmdir(dir);
}

static void test_atomic_write(void **state) {
        (void) state;
        char dir[] = "/tmp/mefw-test-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char path[64], missing[80];
        snprintf(path, sizeof path, "%s/out.bin", dir);
        snprintf(missing, sizeof missing, "%s/no/such/out.bin", dir);

        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("old", f);
        fclose(f);

        /* verification fails: the old file stays, no temporary file is left */
        int calls = 0;
        assert_int_equal(mefw_write_file_atomic(path, (const uint8_t *) "new", 3, refuse, &calls), -EBADMSG);
        assert_int_equal(calls, 1);
        assert_int_equal(count_entries(dir), 1);
        mefw_mapped_file m;
        assert_int_equal(mefw_map_file(path, &m), 0);
        assert_memory_equal(m.data, "old", 3);
        mefw_unmap_file(&m);

        /* success: verified on the bytes read back, then renamed over the old file */
        calls = 0;
        assert_int_equal(mefw_write_file_atomic(path, (const uint8_t *) "new", 3, accept, &calls), 0);
        assert_int_equal(calls, 1);
        assert_int_equal(count_entries(dir), 1);
        assert_int_equal(mefw_map_file(path, &m), 0);
        assert_int_equal(m.size, 3);
        assert_memory_equal(m.data, "new", 3);
        mefw_unmap_file(&m);

        /* a directory that does not exist: an error, nothing created */
        assert_true(mefw_write_file_atomic(missing, (const uint8_t *) "x", 1, NULL, NULL) < 0);
        assert_int_equal(count_entries(dir), 1);

        unlink(path);
        rmdir(dir);
}

/* ---- the corpus: the chipset each descriptor's board has ---- */

static const struct {
        const char *file;
        const char *board_chipset; /* the board's chipset, from MANIFEST.tsv */
        bool unambiguous;          /* the descriptor alone can tell it */
} corpus_boards[] = {
        { "ifd_acer-c710-parrot_descriptor_me-shrunk.bin", "PPT", false },
        { "ifd_asus-p10s-m-ws_descriptor.bin", "SPT", false },
        { "ifd_dell-r630-wellsburg_server_descriptor+gbe_128K.bin", "WBG", false },
        { "ifd_intel-eaglestream-archercityrvp-ebg_server_descriptor.bin", "EBG", true },
        { "ifd_intel-whitley-wilsoncityrvp-lbg_server_descriptor.bin", "LBG", true },
        { "ifd_minnowboard-turbot_descriptor.bin", "BYT", true },
        { "ifd_msi-ms7d25_descriptor.bin", "ADP", false },
        { "ifd_protectli-vp2410-glk_descriptor.bin", "GLK", true },
        { "ifd_starlabs-labtop-mk3_descriptor.bin", "SPT", false },
        { "ifd_starlabs-labtop-mk4_descriptor.bin", "CMP", false },
        { "ifd_starlabs-starlite-mk3_descriptor.bin", "GLK", true },
        { "ifd_supermicro-x11ssh-tf_descriptor_HAP-set.bin", "SPT", false },
        { "ifd_thinkpad-t480_descriptor_me-shrunk.bin", "SPT", false },
        { "ifd_thinkpad-x201_descriptor.bin", "IBX", true },
        { "ifd_thinkpad-x220_descriptor.bin", "CPT", false },
        { "ifd_thinkpad-x220_factory_descriptor.bin", "CPT", false },
        { "ifd_thinkpad-x230_descriptor.bin", "PPT", false },
        /* MANIFEST.tsv names Wellsburg for this OCP board, but its descriptor has the Cougar
         * Point/Patsburg layout (18 PCH straps; the Wellsburg descriptor of the Dell R630 above
         * has 21, as Lynx Point does). Patsburg (C600) is what we report among the candidates. */
        { "ifd_ocp-winterfell-wellsburg_server_descriptor+gbe_192K.bin", "PBG", false },
};

static void test_corpus_chipsets(void **state) {
        (void) state;
        const char *corpus = getenv("MEFW_CORPUS");
        struct stat st;
        if (!corpus || stat(corpus, &st) < 0) {
                printf("SKIPPED: corpus not found (MEFW_CORPUS); the descriptor chipset checks did not run\n");
                skip();
        }
        for (size_t i = 0; i < sizeof corpus_boards / sizeof corpus_boards[0]; i++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", corpus, corpus_boards[i].file);
                mefw_mapped_file m;
                if (mefw_map_file(path, &m) < 0) {
                        printf("missing corpus file %s\n", path);
                        fail();
                }
                mefw_ifd *d = parse(m.data, m.size);
                bool found = false;
                for (size_t k = 0; k < d->n_candidates; k++)
                        found |= strcmp(d->chipset_codes[k], corpus_boards[i].board_chipset) == 0;
                if (!found || (corpus_boards[i].unambiguous &&
                               (d->n_candidates != 1 || strcmp(d->chipset_codes[0], corpus_boards[i].board_chipset)))) {
                        printf("%s: board chipset %s, guessed %s (%zu candidates)\n", corpus_boards[i].file,
                               corpus_boards[i].board_chipset, d->n_candidates ? d->chipset_codes[0] : "none",
                               d->n_candidates);
                        fail();
                }
                /* an ambiguous guess says so */
                assert_true(corpus_boards[i].unambiguous || has_message(&d->messages, "chipset-ambiguous"));
                mefw_ifd_free(d);
                mefw_unmap_file(&m);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_v2_masters_and_straps),
                cmocka_unit_test(test_meteor_lake_descriptor),
                cmocka_unit_test(test_container_finder),
                cmocka_unit_test(test_edits),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_lock),
                cmocka_unit_test(test_replace_rules),
                cmocka_unit_test(test_replace_downgrade),
                cmocka_unit_test(test_region_names),
                cmocka_unit_test(test_full_image_padding),
                cmocka_unit_test(test_write_file_at),
                cmocka_unit_test(test_atomic_write),
                cmocka_unit_test(test_corpus_chipsets),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
