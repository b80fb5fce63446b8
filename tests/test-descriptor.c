/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intel flash descriptor decoding: signature at 0x10 (and at 0x0 for ICH8-10), region bases and
 * limits, unused regions, flash size from the component density, implausible map words,
 * truncated input, and the count of descriptors on 4 KiB boundaries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash/descriptor.h"
#include "synth.h"

#define MiB (1024u * 1024u)

/* The decoder without its messages (these tests look at the decoded fields). */
static int parse_desc(const mefw_view *v, mefw_ifd *d) {
        int r = mefw_descriptor_parse(v, d);
        if (r >= 0)
                mefw_messages_clear(&d->messages);
        return r;
}

/* A synthetic SPI image with an ME region of me_len bytes at me_base. */
static uint8_t *make_spi(uint32_t me_base, size_t me_len, size_t flash_size) {
        uint8_t *me = malloc(me_len);
        assert_non_null(me);
        for (size_t i = 0; i < me_len; i++)
                me[i] = (uint8_t) (i * 13 + 1);
        uint8_t *img = synth_spi(me, me_len, me_base, flash_size);
        free(me);
        assert_non_null(img);
        return img;
}

static void test_signature_at_0x10(void **state) {
        (void) state;
        uint8_t *img = make_spi(0x1000, 0x5000, 1 * MiB);
        mefw_view v = mefw_view_make(img, 1 * MiB, 0);
        mefw_ifd d;

        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.offset, 0x10);
        assert_int_equal(d.flmap[0], 0x04040003u);
        assert_int_equal(d.flmap[1], 0x15100206u);
        assert_int_equal(d.flmap[2], 0x00210120u);
        assert_int_equal(d.fcba, 0x30);
        assert_int_equal(d.frba, 0x40);
        assert_int_equal(d.fmba, 0x60);
        assert_int_equal(d.fpsba, 0x100);
        assert_int_equal(d.fmsba, 0x200);
        /* FRBA 0x40 .. FMBA 0x60 leaves room for eight region words; Lynx Point defines seven */
        assert_int_equal(d.n_regions, 7);
        assert_int_equal(d.layout_version, 1);
        assert_string_equal(d.chipset_codes[0], "LPT");

        /* descriptor region: base 0, limit 0xFFF */
        assert_true(d.regions[MEFW_IFD_REGION_DESCRIPTOR].used);
        assert_int_equal(d.regions[MEFW_IFD_REGION_DESCRIPTOR].base, 0);
        assert_int_equal(d.regions[MEFW_IFD_REGION_DESCRIPTOR].limit, 0xFFF);
        /* ME: 0x1000 .. 0x5FFF */
        assert_true(d.regions[MEFW_IFD_REGION_ME].used);
        assert_int_equal(d.regions[MEFW_IFD_REGION_ME].base, 0x1000);
        assert_int_equal(d.regions[MEFW_IFD_REGION_ME].limit, 0x5FFF);
        /* BIOS: the rest */
        assert_true(d.regions[MEFW_IFD_REGION_BIOS].used);
        assert_int_equal(d.regions[MEFW_IFD_REGION_BIOS].base, 0x6000);
        assert_int_equal(d.regions[MEFW_IFD_REGION_BIOS].limit, 1 * MiB - 1);
        /* unused regions: base 0x7FFF000 > limit 0xFFF */
        for (unsigned i = 3; i < 7; i++) {
                assert_false(d.regions[i].used);
                assert_int_equal(d.regions[i].base, 0x7FFF000);
                assert_int_equal(d.regions[i].limit, 0xFFF);
        }
        /* density code 1: 1 MiB */
        assert_true(d.flash_size == 1 * MiB);
        assert_int_equal(mefw_descriptor_count(&v), 1);
        free(img);
}

static void test_flash_size_from_density(void **state) {
        (void) state;
        static const struct {
                size_t asked;
                uint64_t reported;
        } cases[] = {
                { 0x8000, 512 * 1024 },  /* code 0: the smallest density */
                { 2 * MiB, 2 * MiB },
                { 8 * MiB, 8 * MiB },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                uint8_t *img = make_spi(0x1000, 0x2000, cases[i].asked);
                mefw_view v = mefw_view_make(img, cases[i].asked, 0);
                mefw_ifd d;
                assert_int_equal(parse_desc(&v, &d), 0);
                assert_true(d.flash_size == cases[i].reported);
                free(img);
        }

        /* two components (NC = 1): 8 MiB + 4 MiB in 3-bit fields (a Cougar Point layout: 18 straps) */
        uint8_t *img = make_spi(0x1000, 0x2000, 0x10000);
        mefw_view v = mefw_view_make(img, 0x10000, 0);
        mefw_ifd d;
        synth_put32(img + 0x18, 0x12100206);
        synth_put32(img + 0x14, 0x04040103);
        synth_put32(img + 0x30, 4 | (3 << 3));
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 12 * MiB);

        /* one component: the second field is ignored */
        synth_put32(img + 0x14, 0x04040003);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 8 * MiB);

        /* Lynx Point and later (ICCRIBA set, more than 18 PCH straps): 4-bit fields */
        synth_put32(img + 0x14, 0x04040103);
        synth_put32(img + 0x18, 0x15100206);      /* ISL 0x15 */
        synth_put32(img + 0x1C, 0x00210120);      /* ICCRIBA 0x21 */
        synth_put32(img + 0x30, 5 | (4 << 4));   /* 16 MiB + 8 MiB */
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 24 * MiB);
        /* the same bits read as 3-bit fields: 16 MiB + 512 KiB. No ICCRIBA: older part */
        synth_put32(img + 0x1C, 0x00000120);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 16 * MiB + 512 * 1024);
        /* ICCRIBA but only 18 PCH straps: still 3-bit fields */
        synth_put32(img + 0x18, 0x12100206);
        synth_put32(img + 0x1C, 0x00210120);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 16 * MiB + 512 * 1024);
        synth_put32(img + 0x18, 0x15100206);

        /* 4-bit code 0xF: "not present": unknown size */
        synth_put32(img + 0x1C, 0x00210120);
        synth_put32(img + 0x30, 0xF);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 0);
        /* 4-bit code 8..14: beyond any density we know */
        synth_put32(img + 0x30, 0x9);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_true(d.flash_size == 0);
        free(img);
}

static void test_signature_at_0x0(void **state) {
        (void) state;
        uint8_t *img = make_spi(0x2000, 0x3000, 1 * MiB);
        /* ICH8-10: the signature is the first dword; the map offsets are the same */
        memmove(img, img + 0x10, 0x10);
        memset(img + 0x10, 0xFF, 0x10);
        mefw_view v = mefw_view_make(img, 1 * MiB, 0);
        mefw_ifd d;

        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.offset, 0);
        assert_int_equal(d.frba, 0x40);
        assert_int_equal(d.regions[MEFW_IFD_REGION_ME].base, 0x2000);
        assert_int_equal(d.regions[MEFW_IFD_REGION_ME].limit, 0x4FFF);
        assert_true(d.flash_size == 1 * MiB);
        assert_int_equal(mefw_descriptor_count(&v), 1);

        /* an ICH9 map (2 ICH straps, 1 MCH strap, no ICC init): MeDisable lives in the ICH and MCH
         * straps, and setting it touches ICHSTRP0 bit 0 and MCHSTRP0 bits 0 and 7 */
        synth_put32(img + 0x08, 0x02100206);
        synth_put32(img + 0x0C, 0x00000120);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_string_equal(d.chipset_codes[0], "ICH9");
        assert_string_equal(d.me_disable_kind, "altmedisable");
        assert_null(d.me_disable);
        mefw_ifd_changes ch;
        assert_int_equal(mefw_ifd_set_me_disable(img, 1 * MiB, &d, "hap", false, &ch), -EOPNOTSUPP);
        assert_int_equal(mefw_ifd_set_me_disable(img, 1 * MiB, &d, "altmedisable", false, &ch), 0);
        assert_int_equal(ch.n, 3);
        assert_int_equal(ch.items[0].offset, 0x100);
        assert_int_equal(ch.items[2].offset, 0x200);
        assert_int_equal(ch.items[2].after, 0x81);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_string_equal(d.me_disable, "altmedisable");
        free(img);
}

static void test_garbage_map_words(void **state) {
        (void) state;
        uint8_t *img = make_spi(0x1000, 0x2000, 0x10000);
        mefw_view v = mefw_view_make(img, 0x10000, 0);
        mefw_ifd d;
        static const struct {
                unsigned off;
                uint32_t value;
        } bad[] = {
                { 0x14, 0x04040000 }, /* FCBA 0 */
                { 0x14, 0x04000003 }, /* FRBA 0 */
                { 0x18, 0x10100200 }, /* FMBA 0 */
                { 0x14, 0x04F00003 }, /* FRBA 0xF00: outside the descriptor's map area */
                { 0x14, 0x040400F0 }, /* FCBA 0xF00 */
                { 0x18, 0x101002F0 }, /* FMBA 0xF00 */
                { 0x14, 0x04FF00FF }, /* both 0xFF0 */
                { 0x14, 0x04040004 }, /* FCBA == FRBA */
                { 0x10, 0x0FF0A55B }, /* wrong signature */
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                uint32_t keep = mefw_le32(img + bad[i].off);
                synth_put32(img + bad[i].off, bad[i].value);
                memset(&d, 0x5A, sizeof d);
                mefw_ifd before = d;
                assert_int_equal(parse_desc(&v, &d), -ENOENT);
                assert_memory_equal(&d, &before, sizeof d); /* not written on failure */
                assert_int_equal(mefw_descriptor_count(&v), 0);
                synth_put32(img + bad[i].off, keep);
                assert_int_equal(parse_desc(&v, &d), 0);
        }
        /* the largest plausible bases (0xEF0) still parse */
        synth_put32(img + 0x14, 0x04EF0003);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.frba, 0xEF0);
        /* region words up to the end of the 4 KiB descriptor, but no more than the chipset has */
        assert_int_equal(d.n_regions, 7);
        free(img);
}

static void test_truncated(void **state) {
        (void) state;
        uint8_t *img = make_spi(0x1000, 0x2000, 0x10000);
        mefw_ifd d;

        /* 0x20 bytes: the map words at 0x10..0x23 do not fit */
        mefw_view v = mefw_view_make(img, 0x20, 0);
        assert_int_equal(parse_desc(&v, &d), -ENOENT);
        assert_int_equal(mefw_descriptor_count(&v), 0);

        /* 0x24 bytes: the map fits, the region and component sections do not */
        v = mefw_view_make(img, 0x24, 0);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.n_regions, 0);
        assert_true(d.flash_size == 0);

        /* cut inside the region section: only the complete words count */
        v = mefw_view_make(img, 0x4B, 0);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.n_regions, 2);
        assert_true(d.flash_size == 512 * 1024);
        v = mefw_view_make(img, 0x4C, 0);
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.n_regions, 3);
        assert_int_equal(d.regions[MEFW_IFD_REGION_ME].base, 0x1000);

        /* nothing */
        static const uint8_t one[1] = { 0x5A };
        v = mefw_view_make(one, 0, 0);
        assert_int_equal(parse_desc(&v, &d), -ENOENT);
        assert_int_equal(mefw_descriptor_count(&v), 0);
        free(img);
}

static void test_count(void **state) {
        (void) state;
        size_t size = 0x10000;
        uint8_t *img = make_spi(0x3000, 0x2000, size);
        mefw_view v = mefw_view_make(img, size, 0);

        assert_int_equal(mefw_descriptor_count(&v), 1);
        /* a second copy 4 KiB later (inside the ME region, as some dumps have) */
        memcpy(img + 0x1000, img, 0x100);
        assert_int_equal(mefw_descriptor_count(&v), 2);
        /* a third one with its signature at 0x0 of the 4 KiB block */
        memcpy(img + 0x2000, img + 0x10, 0x10);
        assert_int_equal(mefw_descriptor_count(&v), 3);
        /* one that is not on a 4 KiB boundary does not count */
        memcpy(img + 0x5800, img, 0x100);
        assert_int_equal(mefw_descriptor_count(&v), 3);
        /* the last block, cut so that the map words barely fit */
        memcpy(img + 0xF000, img, 0x24);
        assert_int_equal(mefw_descriptor_count(&v), 4);
        v.size = 0xF023;
        assert_int_equal(mefw_descriptor_count(&v), 3);

        /* the parse still uses the first one */
        mefw_ifd d;
        v.size = size;
        assert_int_equal(parse_desc(&v, &d), 0);
        assert_int_equal(d.offset, 0x10);
        free(img);
}

static void test_region_names(void **state) {
        (void) state;
        assert_string_equal(mefw_ifd_region_name(0), "descriptor");
        assert_string_equal(mefw_ifd_region_name(1), "bios");
        assert_string_equal(mefw_ifd_region_name(2), "me");
        assert_string_equal(mefw_ifd_region_name(3), "gbe");
        assert_string_equal(mefw_ifd_region_name(15), "ptt");
        assert_string_equal(mefw_ifd_region_name(16), "unknown");
        assert_string_equal(mefw_ifd_region_name(0xFFFFFFFF), "unknown");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_signature_at_0x10),
                cmocka_unit_test(test_flash_size_from_density),
                cmocka_unit_test(test_signature_at_0x0),
                cmocka_unit_test(test_garbage_map_words),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_count),
                cmocka_unit_test(test_region_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
