/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bounds-checked reader (view.h), the declared-once layout readers (layouts.h), the
 * checked arithmetic of util.h and mefw_printable_name(). Every edge: off == size, lengths
 * that overflow size_t, empty views, reads one byte short.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/layouts.h"
#include "core/util.h"
#include "core/view.h"

static const uint8_t bytes16[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF };

/* ---- mefw_view_has / sub / clip ---------------------------------------------------------- */

static void test_has_edges(void **state) {
        (void) state;
        mefw_view v = mefw_view_make(bytes16, 16, 0x1000);

        assert_true(mefw_view_has(&v, 0, 16));
        assert_true(mefw_view_has(&v, 0, 0));
        assert_true(mefw_view_has(&v, 15, 1));
        assert_true(mefw_view_has(&v, 16, 0));  /* off == size, nothing asked: fine */
        assert_false(mefw_view_has(&v, 16, 1)); /* off == size: no byte there */
        assert_false(mefw_view_has(&v, 17, 0)); /* past the end */
        assert_false(mefw_view_has(&v, 0, 17));
        assert_false(mefw_view_has(&v, 15, 2));
        /* off + len would wrap around */
        assert_false(mefw_view_has(&v, 1, SIZE_MAX));
        assert_false(mefw_view_has(&v, 0, SIZE_MAX));
        assert_false(mefw_view_has(&v, SIZE_MAX, 1));
        assert_false(mefw_view_has(&v, SIZE_MAX, SIZE_MAX));
        assert_false(mefw_view_has(&v, 8, SIZE_MAX - 7));

        assert_int_equal(mefw_view_abs(&v, 0), 0x1000);
        assert_int_equal(mefw_view_abs(&v, 0x10), 0x1010);
}

static void test_sub(void **state) {
        (void) state;
        mefw_view v = mefw_view_make(bytes16, 16, 0x200), s;

        assert_int_equal(mefw_view_sub(&v, 4, 8, &s), 0);
        assert_ptr_equal(s.data, bytes16 + 4);
        assert_int_equal(s.size, 8);
        assert_int_equal(s.base, 0x204);

        /* off == size, empty sub-view at the end */
        assert_int_equal(mefw_view_sub(&v, 16, 0, &s), 0);
        assert_int_equal(s.size, 0);
        assert_int_equal(s.base, 0x210);

        /* failures leave the out-parameter untouched */
        mefw_view sentinel = mefw_view_make(NULL, 12345, 99), t = sentinel;
        assert_int_equal(mefw_view_sub(&v, 16, 1, &t), -ERANGE);
        assert_int_equal(mefw_view_sub(&v, 1, SIZE_MAX, &t), -ERANGE);
        assert_int_equal(mefw_view_sub(&v, SIZE_MAX, 2, &t), -ERANGE);
        assert_int_equal(mefw_view_sub(&v, 17, 0, &t), -ERANGE);
        assert_null(t.data);
        assert_int_equal(t.size, 12345);
        assert_int_equal(t.base, 99);

        /* a sub-view of a sub-view keeps absolute offsets */
        mefw_view s2;
        assert_int_equal(mefw_view_sub(&v, 4, 8, &s), 0);
        assert_int_equal(mefw_view_sub(&s, 2, 6, &s2), 0);
        assert_int_equal(s2.base, 0x206);
        assert_int_equal(s2.data[0], 0x66);
        assert_int_equal(mefw_view_sub(&s, 2, 7, &s2), -ERANGE);
}

static void test_clip(void **state) {
        (void) state;
        mefw_view v = mefw_view_make(bytes16, 16, 0x40), c;

        c = mefw_view_clip(&v, 4, 4);
        assert_ptr_equal(c.data, bytes16 + 4);
        assert_int_equal(c.size, 4);
        assert_int_equal(c.base, 0x44);

        c = mefw_view_clip(&v, 12, 100);
        assert_int_equal(c.size, 4);
        assert_int_equal(c.base, 0x4C);

        c = mefw_view_clip(&v, 3, SIZE_MAX);
        assert_int_equal(c.size, 13);
        assert_int_equal(c.data[0], 0x33);

        c = mefw_view_clip(&v, 16, 5);
        assert_int_equal(c.size, 0);
        assert_int_equal(c.base, 0x50);

        /* an offset past the end is clamped to the end */
        c = mefw_view_clip(&v, SIZE_MAX, SIZE_MAX);
        assert_int_equal(c.size, 0);
        assert_ptr_equal(c.data, bytes16 + 16);
        assert_int_equal(c.base, 0x50);
}

/* ---- integer readers -------------------------------------------------------------------- */

static void test_integers(void **state) {
        (void) state;
        mefw_view v = mefw_view_make(bytes16, 16, 0);
        uint8_t b = 0xA5;
        uint16_t w = 0xA5A5;
        uint32_t d = 0xA5A5A5A5;
        uint64_t q = 0xA5A5A5A5A5A5A5A5ull;

        assert_int_equal(mefw_view_u8(&v, 15, &b), 0);
        assert_int_equal(b, 0xFF);
        assert_int_equal(mefw_view_u16(&v, 1, &w), 0);
        assert_int_equal(w, 0x2211);
        assert_int_equal(mefw_view_u32(&v, 4, &d), 0);
        assert_int_equal(d, 0x77665544u);
        assert_int_equal(mefw_view_u64(&v, 8, &q), 0);
        assert_true(q == 0xFFEEDDCCBBAA9988ull);

        /* last position that fits, and one byte short */
        assert_int_equal(mefw_view_u16(&v, 14, &w), 0);
        assert_int_equal(w, 0xFFEE);
        assert_int_equal(mefw_view_u32(&v, 12, &d), 0);
        assert_int_equal(d, 0xFFEEDDCCu);

        b = 1;
        w = 2;
        d = 3;
        q = 4;
        assert_int_equal(mefw_view_u8(&v, 16, &b), -ERANGE);
        assert_int_equal(mefw_view_u16(&v, 15, &w), -ERANGE);
        assert_int_equal(mefw_view_u32(&v, 13, &d), -ERANGE);
        assert_int_equal(mefw_view_u64(&v, 9, &q), -ERANGE);
        assert_int_equal(mefw_view_u8(&v, SIZE_MAX, &b), -ERANGE);
        assert_int_equal(mefw_view_u16(&v, SIZE_MAX, &w), -ERANGE);
        assert_int_equal(mefw_view_u32(&v, SIZE_MAX - 1, &d), -ERANGE);
        assert_int_equal(mefw_view_u64(&v, SIZE_MAX - 3, &q), -ERANGE);
        /* untouched on failure */
        assert_int_equal(b, 1);
        assert_int_equal(w, 2);
        assert_int_equal(d, 3);
        assert_int_equal(q, 4);

        assert_int_equal(mefw_le16(bytes16 + 14), 0xFFEE);
        assert_int_equal(mefw_le32(bytes16), 0x33221100u);
        assert_int_equal(mefw_be32(bytes16), 0x00112233u);
        assert_true(mefw_le64(bytes16) == 0x7766554433221100ull);
}

static void test_empty_view(void **state) {
        (void) state;
        static const uint8_t nothing[1];
        mefw_view e = mefw_view_make(nothing, 0, 0x77), s;
        uint8_t b = 9;
        uint32_t d = 9;

        assert_true(mefw_view_has(&e, 0, 0));
        assert_false(mefw_view_has(&e, 0, 1));
        assert_false(mefw_view_has(&e, 1, 0));
        assert_int_equal(mefw_view_u8(&e, 0, &b), -ERANGE);
        assert_int_equal(mefw_view_u32(&e, 0, &d), -ERANGE);
        assert_int_equal(b, 9);
        assert_int_equal(mefw_view_sub(&e, 0, 0, &s), 0);
        assert_int_equal(s.size, 0);
        assert_int_equal(s.base, 0x77);
        assert_int_equal(mefw_view_sub(&e, 0, 1, &s), -ERANGE);
        s = mefw_view_clip(&e, 5, 5);
        assert_int_equal(s.size, 0);
        assert_int_equal(mefw_view_find(&e, 0, "A", 1), -1);
        assert_false(mefw_view_tag(&e, 0, "$FPT"));
        assert_false(mefw_view_all(&e, 0, 1, 0xFF));
        /* zero bytes requested: vacuously all equal */
        assert_true(mefw_view_all(&e, 0, 0, 0xFF));

        struct fpt_header h;
        assert_int_equal(fpt_header_read(&e, 0, &h), -ERANGE);
}

/* ---- all / find / tag -------------------------------------------------------------------- */

static void test_all(void **state) {
        (void) state;
        uint8_t buf[32];
        memset(buf, 0xFF, sizeof buf);
        buf[20] = 0xFE;
        mefw_view v = mefw_view_make(buf, sizeof buf, 0);

        assert_true(mefw_view_all(&v, 0, 20, 0xFF));
        assert_false(mefw_view_all(&v, 0, 21, 0xFF));
        assert_true(mefw_view_all(&v, 21, 11, 0xFF));
        assert_false(mefw_view_all(&v, 21, 12, 0xFF)); /* one past the end: not "all" */
        assert_false(mefw_view_all(&v, 0, 20, 0x00));
        assert_true(mefw_view_all(&v, 20, 1, 0xFE));
        assert_true(mefw_view_all(&v, 32, 0, 0x00));
        assert_false(mefw_view_all(&v, 33, 0, 0x00));
        assert_false(mefw_view_all(&v, 1, SIZE_MAX, 0xFF));
        /* first and last byte are checked, too */
        buf[0] = 0;
        assert_false(mefw_view_all(&v, 0, 20, 0xFF));
        buf[0] = 0xFF;
        buf[31] = 0;
        assert_false(mefw_view_all(&v, 21, 11, 0xFF));
}

static void test_find(void **state) {
        (void) state;
        static const uint8_t hay[] = "xx$FPTyy$FPT$FP";
        mefw_view v = mefw_view_make(hay, sizeof hay - 1, 0); /* 15 bytes, no NUL */

        assert_int_equal(mefw_view_find(&v, 0, "$FPT", 4), 2);
        assert_int_equal(mefw_view_find(&v, 2, "$FPT", 4), 2);
        assert_int_equal(mefw_view_find(&v, 3, "$FPT", 4), 8);
        /* the truncated tag at the very end does not match */
        assert_int_equal(mefw_view_find(&v, 9, "$FPT", 4), -1);
        assert_int_equal(mefw_view_find(&v, 12, "$FP", 3), 12);
        assert_int_equal(mefw_view_find(&v, 13, "$FP", 3), -1);
        assert_int_equal(mefw_view_find(&v, 14, "P", 1), 14);
        /* from == size, from past size, empty needle */
        assert_int_equal(mefw_view_find(&v, 15, "P", 1), -1);
        assert_int_equal(mefw_view_find(&v, SIZE_MAX, "P", 1), -1);
        assert_int_equal(mefw_view_find(&v, 0, "x", 0), -1);
        /* needle longer than the view */
        assert_int_equal(mefw_view_find(&v, 0, "xx$FPTyy$FPT$FPTT", 17), -1);
        /* binary needles with NUL bytes */
        static const uint8_t bin[] = { 1, 0, 2, 0, 0, 3 };
        mefw_view b = mefw_view_make(bin, sizeof bin, 0);
        assert_int_equal(mefw_view_find(&b, 0, "\0\0", 2), 3);
        assert_int_equal(mefw_view_find(&b, 0, "\0\x03", 2), 4);
}

static void test_tag(void **state) {
        (void) state;
        static const uint8_t buf[] = { '$', 'M', 'N', '2', '$', 'M', 'A' };
        mefw_view v = mefw_view_make(buf, sizeof buf, 0);

        assert_true(mefw_view_tag(&v, 0, "$MN2"));
        assert_false(mefw_view_tag(&v, 0, "$MAN"));
        assert_false(mefw_view_tag(&v, 4, "$MAN")); /* only 3 bytes left */
        assert_true(mefw_view_tag(&v, 3, "2$MA")); /* ends exactly at the end */
        assert_false(mefw_view_tag(&v, 7, "$MAN"));
        assert_false(mefw_view_tag(&v, SIZE_MAX, "$MAN"));
        mefw_view v2 = mefw_view_make(buf, sizeof buf - 1, 0);
        assert_false(mefw_view_tag(&v2, 3, "2$MA"));
}

/* ---- MEFW_LAYOUT readers ----------------------------------------------------------------- */

/* A layout declared here, to test the generator itself with all field kinds. */
#define TEST_LAYOUT(F, A)    \
        F(a, u8, 0x00)       \
        F(b, u16, 0x01)      \
        F(c, u32, 0x03)      \
        A(name, 3, 0x07)     \
        F(d, u64, 0x0A)
MEFW_LAYOUT(test_rec, 0x13, TEST_LAYOUT)

static void test_custom_layout(void **state) {
        (void) state;
        uint8_t buf[0x20];
        for (size_t i = 0; i < sizeof buf; i++)
                buf[i] = (uint8_t) (0xA0 + i);
        mefw_view v = mefw_view_make(buf, sizeof buf, 0);
        struct test_rec r;

        assert_int_equal(test_rec_SIZE, 0x13);
        assert_int_equal(test_rec_read(&v, 1, &r), 0);
        assert_int_equal(r.a, 0xA1);
        assert_int_equal(r.b, 0xA3A2);
        assert_int_equal(r.c, 0xA7A6A5A4u);
        assert_memory_equal(r.name, "\xA8\xA9\xAA", 3);
        assert_true(r.d == 0xB2B1B0AFAEADACABull);

        /* exactly fits at the end, one byte short, offset past the end, wrap-around */
        assert_int_equal(test_rec_read(&v, 0x20 - 0x13, &r), 0);
        assert_int_equal(r.a, 0xA0 + 0x0D);
        memset(&r, 0x5A, sizeof r);
        struct test_rec before = r;
        assert_int_equal(test_rec_read(&v, 0x20 - 0x12, &r), -ERANGE);
        assert_int_equal(test_rec_read(&v, 0x21, &r), -ERANGE);
        assert_int_equal(test_rec_read(&v, SIZE_MAX - 5, &r), -ERANGE);
        assert_memory_equal(&r, &before, sizeof r);
}

static void test_fpt_layouts(void **state) {
        (void) state;
        uint8_t buf[0x40] = {
                '$', 'F', 'P', 'T',           /* tag */
                0x07, 0x00, 0x00, 0x00,       /* num_entries */
                0x20, 0x10, 0x30, 0xAB,       /* versions, length, checksum */
                0x34, 0x12, 0x78, 0x56,       /* cycle life / limit */
                0x10, 0x00, 0x00, 0x00,       /* uma */
                0x01, 0xFC, 0xFF, 0xFF,       /* flags */
                0x09, 0x00, 0x01, 0x00,       /* fit major/minor */
                0x1F, 0x00, 0xCF, 0x05,       /* fit hotfix/build */
                'F', 'T', 'P', 'R', 'O', 'W', 'N', 'R',
                0x00, 0x30, 0x00, 0x00,       /* offset */
                0x00, 0x00, 0x17, 0x00,       /* size */
                1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0,
                0x80, 0x00, 0x00, 0xFF,       /* flags */
        };
        mefw_view v = mefw_view_make(buf, sizeof buf, 0);
        struct fpt_header h;
        struct fpt_entry e;

        assert_int_equal(fpt_header_SIZE, 0x20);
        assert_int_equal(fpt_entry_SIZE, 0x20);
        assert_int_equal(fpt_header_read(&v, 0, &h), 0);
        assert_memory_equal(h.tag, "$FPT", 4);
        assert_int_equal(h.num_entries, 7);
        assert_int_equal(h.header_version, 0x20);
        assert_int_equal(h.entry_version, 0x10);
        assert_int_equal(h.header_length, 0x30);
        assert_int_equal(h.checksum, 0xAB);
        assert_int_equal(h.flash_cycle_life, 0x1234);
        assert_int_equal(h.flash_cycle_limit, 0x5678);
        assert_int_equal(h.uma_size, 0x10);
        assert_int_equal(h.flags, 0xFFFFFC01u);
        assert_int_equal(h.fit_major, 9);
        assert_int_equal(h.fit_minor, 1);
        assert_int_equal(h.fit_hotfix, 31);
        assert_int_equal(h.fit_build, 1487);

        assert_int_equal(fpt_entry_read(&v, 0x20, &e), 0);
        assert_memory_equal(e.name, "FTPR", 4);
        assert_memory_equal(e.owner, "OWNR", 4);
        assert_int_equal(e.offset, 0x3000);
        assert_int_equal(e.size, 0x170000);
        assert_int_equal(e.start_tokens, 1);
        assert_int_equal(e.max_tokens, 2);
        assert_int_equal(e.scratch, 3);
        assert_int_equal(e.flags, 0xFF000080u);

        /* one byte short */
        mefw_view s = mefw_view_make(buf, 0x1F, 0);
        assert_int_equal(fpt_header_read(&s, 0, &h), -ERANGE);
        s = mefw_view_make(buf, 0x3F, 0);
        assert_int_equal(fpt_entry_read(&s, 0x20, &e), -ERANGE);
        assert_int_equal(fpt_entry_read(&s, 0x1F, &e), 0);
        assert_int_equal(fpt_header_read(&v, SIZE_MAX, &h), -ERANGE);
}

static void test_manifest_layouts(void **state) {
        (void) state;
        uint8_t *buf = calloc(1, 0x284 + 0x60);
        assert_non_null(buf);
        buf[0x00] = 4;
        buf[0x04] = 0xA1;
        buf[0x10] = 0x86;
        buf[0x11] = 0x80;
        buf[0x14] = 0x12;
        buf[0x15] = 0x12;
        buf[0x16] = 0x13;
        buf[0x17] = 0x20;
        buf[0x18] = 0x34;
        buf[0x19] = 0x12;
        memcpy(buf + 0x1C, "$MN2", 4);
        buf[0x20] = 5;
        buf[0x24] = 9;
        buf[0x28] = 31;
        buf[0x2A] = 0xCF;
        buf[0x2B] = 0x05;
        buf[0x2C] = 1;
        buf[0x30] = 2;
        buf[0x34] = 3;
        buf[0x78] = 0x40;
        buf[0x7C] = 1;
        buf[0x80] = 0xAA;
        buf[0x17F] = 0xBB;
        buf[0x180] = 0x11;
        buf[0x184] = 0xCC;
        buf[0x283] = 0xDD;
        uint8_t *e = buf + 0x284;
        memcpy(e, "$MMEKERNEL", 10);
        e[0x14] = 0x5A;
        e[0x33] = 0xA5;
        e[0x38] = 0x00;
        e[0x39] = 0x20;
        e[0x3C] = 0x00;
        e[0x3D] = 0x30;
        e[0x40] = 0x00;
        e[0x41] = 0x10;
        e[0x50] = 0x20;

        mefw_view v = mefw_view_make(buf, 0x284 + 0x60, 0);
        struct manifest_header h;
        assert_int_equal(manifest_header_SIZE, 0x284);
        assert_int_equal(manifest_header_read(&v, 0, &h), 0);
        assert_int_equal(h.module_type, 4);
        assert_int_equal(h.header_length, 0xA1);
        assert_int_equal(h.vendor, 0x8086);
        assert_int_equal(h.date_day, 0x12);
        assert_int_equal(h.date_month, 0x12);
        assert_int_equal(h.date_year, 0x2013);
        assert_int_equal(h.size, 0x1234);
        assert_memory_equal(h.tag, "$MN2", 4);
        assert_int_equal(h.num_modules, 5);
        assert_int_equal(h.ver_major, 9);
        assert_int_equal(h.ver_minor, 0);
        assert_int_equal(h.ver_hotfix, 31);
        assert_int_equal(h.ver_build, 1487);
        assert_int_equal(h.svn, 1);
        assert_int_equal(h.svn_me8, 2);
        assert_int_equal(h.vcn, 3);
        assert_int_equal(h.key_size, 0x40);
        assert_int_equal(h.exponent_size, 1);
        assert_int_equal(h.modulus[0], 0xAA);
        assert_int_equal(h.modulus[255], 0xBB);
        assert_int_equal(h.exponent, 0x11);
        assert_int_equal(h.signature[0], 0xCC);
        assert_int_equal(h.signature[255], 0xDD);

        struct mme_v2 m;
        assert_int_equal(mme_v2_read(&v, 0x284, &m), 0);
        assert_memory_equal(m.tag, "$MME", 4);
        assert_string_equal((const char *) m.name, "KERNEL");
        assert_int_equal(m.hash[0], 0x5A);
        assert_int_equal(m.hash[31], 0xA5);
        assert_int_equal(m.offset, 0x2000);
        assert_int_equal(m.size_uncompressed, 0x3000);
        assert_int_equal(m.size_stored, 0x1000);
        assert_int_equal(MME_V2_COMPRESSION(m.flags), 2);
        assert_int_equal(mme_v2_read(&v, 0x285, &m), -ERANGE);

        /* one byte short of a manifest header */
        mefw_view s = mefw_view_make(buf, 0x283, 0);
        assert_int_equal(manifest_header_read(&s, 0, &h), -ERANGE);
        s = mefw_view_make(buf + 1, 0x284, 0);
        assert_int_equal(manifest_header_read(&s, 0, &h), 0);
        assert_int_equal(manifest_header_read(&s, 1, &h), -ERANGE);

        struct ifd_map im;
        static const uint8_t ifd[0x24] = { [0x10] = 0x5A, 0xA5, 0xF0, 0x0F, 0x03, 0x00, 0x04, 0x04,
                                           0x06, 0x02, 0x10, 0x10, 0x20, 0x01, 0x00, 0x00, 0xEE, 0, 0, 0 };
        mefw_view iv = mefw_view_make(ifd, sizeof ifd, 0);
        assert_int_equal(ifd_map_read(&iv, 0x10, &im), 0);
        assert_int_equal(im.signature, IFD_SIGNATURE);
        assert_int_equal(im.flmap0, 0x04040003u);
        assert_int_equal(im.flmap1, 0x10100206u);
        assert_int_equal(im.flmap2, 0x120u);
        assert_int_equal(im.flmap3, 0xEEu);
        iv.size = 0x23;
        assert_int_equal(ifd_map_read(&iv, 0x10, &im), -ERANGE);

        struct mcp_record mcp;
        uint8_t rec[0x34] = { '$', 'M', 'C', 'P', 0x11, 0, 0, 0, 0x00, 0x10, 0, 0, 0x60, 0x03, 0, 0, 0x00, 0x30 };
        mefw_view rv = mefw_view_make(rec, sizeof rec, 0);
        assert_int_equal(mcp_record_read(&rv, 0, &mcp), 0);
        assert_int_equal(mcp.dwords, 0x11);
        assert_int_equal(mcp.code_size, 0x1000);
        assert_int_equal(mcp.code_offset, 0x360);
        assert_int_equal(mcp.partition_offset, 0x3000);
        rv.size--;
        assert_int_equal(mcp_record_read(&rv, 0, &mcp), -ERANGE);
        free(buf);
}

/* ---- util.h ------------------------------------------------------------------------------ */

static void test_checked_arithmetic(void **state) {
        (void) state;
        size_t s = 77;
        uint64_t u = 77;

        assert_true(add_size(1, 2, &s));
        assert_int_equal(s, 3);
        assert_true(add_size(SIZE_MAX - 1, 1, &s));
        assert_true(s == SIZE_MAX);
        s = 77;
        assert_false(add_size(SIZE_MAX, 1, &s));
        assert_false(add_size(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, &s));
        assert_int_equal(s, 77);

        assert_true(mul_size(0, SIZE_MAX, &s));
        assert_int_equal(s, 0);
        assert_true(mul_size(SIZE_MAX / 4, 4, &s));
        assert_true(s == (SIZE_MAX / 4) * 4);
        s = 77;
        assert_false(mul_size(SIZE_MAX / 4 + 1, 4, &s));
        assert_false(mul_size(SIZE_MAX, 2, &s));
        assert_int_equal(s, 77);

        assert_true(add_u64(UINT64_MAX - 5, 5, &u));
        assert_true(u == UINT64_MAX);
        u = 77;
        assert_false(add_u64(UINT64_MAX, 1, &u));
        assert_false(add_u64(1ull << 63, 1ull << 63, &u));
        assert_int_equal(u, 77);

        assert_int_equal(MIN(3, 4), 3);
        assert_int_equal(MAX(3, 4), 4);
        assert_int_equal(MIN(-1, 1), -1);
        static const int arr[7];
        assert_int_equal(ELEMENTSOF(arr), 7);
}

static void test_align_up(void **state) {
        (void) state;
        assert_true(align_up_u64(0, 0x1000) == 0);
        assert_true(align_up_u64(1, 0x1000) == 0x1000);
        assert_true(align_up_u64(0xFFF, 0x1000) == 0x1000);
        assert_true(align_up_u64(0x1000, 0x1000) == 0x1000);
        assert_true(align_up_u64(0x1001, 0x1000) == 0x2000);
        assert_true(align_up_u64(0x17C123, 0x1000) == 0x17D000);
        assert_true(align_up_u64(12345, 1) == 12345);
        assert_true(align_up_u64(5, 2) == 6);
        /* the largest value that still rounds without wrapping */
        assert_true(align_up_u64(UINT64_MAX - 0xFFF, 0x1000) == 0xFFFFFFFFFFFFF000ull);
        /* beyond it: saturates at the largest aligned value instead of wrapping to 0 */
        assert_true(align_up_u64(UINT64_MAX - 0xFFE, 0x1000) == 0xFFFFFFFFFFFFF000ull);
        assert_true(align_up_u64(UINT64_MAX, 0x1000) == 0xFFFFFFFFFFFFF000ull);
        assert_true(align_up_u64(UINT64_MAX, 1) == UINT64_MAX);
        assert_true(align_up_u64(UINT64_MAX, 1ull << 63) == 1ull << 63);
}

static void test_grow_array(void **state) {
        (void) state;
        int *a = NULL;
        size_t cap = 0;

        assert_int_equal(grow_array((void **) &a, &cap, 1, sizeof *a), 0);
        assert_non_null(a);
        assert_int_equal(cap, 8);
        assert_int_equal(grow_array((void **) &a, &cap, 8, sizeof *a), 0);
        assert_int_equal(cap, 8);
        assert_int_equal(grow_array((void **) &a, &cap, 9, sizeof *a), 0);
        assert_int_equal(cap, 16);
        for (int i = 0; i < 16; i++)
                a[i] = i;
        assert_int_equal(grow_array((void **) &a, &cap, 100, sizeof *a), 0);
        assert_int_equal(cap, 128);
        assert_int_equal(a[15], 15);

        /* sizes whose byte count overflows: -ENOMEM, array and capacity untouched */
        int *keep = a;
        assert_int_equal(grow_array((void **) &a, &cap, SIZE_MAX, sizeof *a), -ENOMEM);
        assert_int_equal(grow_array((void **) &a, &cap, 129, SIZE_MAX / 64), -ENOMEM);
        assert_ptr_equal(a, keep);
        assert_int_equal(cap, 128);
        free(a);
}

static void test_take_ptr(void **state) {
        (void) state;
        char *p = strdup("x");
        char *q = TAKE_PTR(p);
        assert_null(p);
        assert_string_equal(q, "x");
        {
                _cleanup_free_ char *scoped = q; /* freed at scope end (ASan would see a leak otherwise) */
                assert_non_null(scoped);
        }
}

/* ---- mefw_printable_name ----------------------------------------------------------------- */

static void test_printable_name(void **state) {
        (void) state;
        char out[80];

        mefw_printable_name((const uint8_t *) "FTPR", 4, out, sizeof out);
        assert_string_equal(out, "FTPR");
        /* stops at NUL */
        mefw_printable_name((const uint8_t *) "BUP\0XYZW", 8, out, sizeof out);
        assert_string_equal(out, "BUP");
        mefw_printable_name((const uint8_t *) "\0ABC", 4, out, sizeof out);
        assert_string_equal(out, "");
        /* reads exactly n bytes, no terminator needed */
        mefw_printable_name((const uint8_t *) "KERNELXX", 6, out, sizeof out);
        assert_string_equal(out, "KERNEL");

        /* binary bytes are escaped; so is the backslash itself, so the output is unambiguous */
        static const uint8_t bin[] = { 0x01, 'A', 0x7F, 0x80, 0xFF, '\\', 0x1F, ' ' };
        mefw_printable_name(bin, sizeof bin, out, sizeof out);
        assert_string_equal(out, "\\x01A\\x7F\\x80\\xFF\\x5C\\x1F ");

        /* ME 8's first $FPT entry: binary name */
        static const uint8_t me8[] = { 0xF0, 0x01, 0x00, 0x00 };
        mefw_printable_name(me8, 4, out, sizeof out);
        assert_string_equal(out, "\\xF0\\x01");

        /* truncation: never past out_len, never half an escape */
        memset(out, 'Z', sizeof out);
        mefw_printable_name((const uint8_t *) "ABCDEFGH", 8, out, 5);
        assert_string_equal(out, "ABCD");
        assert_int_equal(out[5], 'Z');
        memset(out, 'Z', sizeof out);
        mefw_printable_name(bin, sizeof bin, out, 5);
        assert_string_equal(out, "\\x01");
        assert_int_equal(out[5], 'Z');
        memset(out, 'Z', sizeof out);
        mefw_printable_name(bin, sizeof bin, out, 4);
        assert_string_equal(out, "");
        assert_int_equal(out[4], 'Z');
        memset(out, 'Z', sizeof out);
        mefw_printable_name((const uint8_t *) "A\x02", 2, out, 6);
        assert_string_equal(out, "A\\x02");
        memset(out, 'Z', sizeof out);
        mefw_printable_name((const uint8_t *) "A\x02", 2, out, 5);
        assert_string_equal(out, "A");
        memset(out, 'Z', sizeof out);
        mefw_printable_name((const uint8_t *) "ABC", 3, out, 1);
        assert_string_equal(out, "");
        assert_int_equal(out[1], 'Z');
        /* out_len 0: nothing written at all */
        memset(out, 'Z', sizeof out);
        mefw_printable_name((const uint8_t *) "ABC", 3, out, 0);
        assert_int_equal(out[0], 'Z');

        /* a 4-byte name of binary bytes fits the 17-byte module name buffers */
        static const uint8_t four[4] = { 0x90, 0x91, 0x92, 0x93 };
        char small[17];
        mefw_printable_name(four, 4, small, sizeof small);
        assert_string_equal(small, "\\x90\\x91\\x92\\x93");
        char tiny[5];
        mefw_printable_name(four, 4, tiny, sizeof tiny);
        assert_string_equal(tiny, "\\x90");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_has_edges),
                cmocka_unit_test(test_sub),
                cmocka_unit_test(test_clip),
                cmocka_unit_test(test_integers),
                cmocka_unit_test(test_empty_view),
                cmocka_unit_test(test_all),
                cmocka_unit_test(test_find),
                cmocka_unit_test(test_tag),
                cmocka_unit_test(test_custom_layout),
                cmocka_unit_test(test_fpt_layouts),
                cmocka_unit_test(test_manifest_layouts),
                cmocka_unit_test(test_checked_arithmetic),
                cmocka_unit_test(test_align_up),
                cmocka_unit_test(test_grow_array),
                cmocka_unit_test(test_take_ptr),
                cmocka_unit_test(test_printable_name),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
