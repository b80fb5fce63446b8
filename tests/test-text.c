/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text in the encodings people save logs in, made UTF-8 (mefw_text_utf8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mefw/core.h"

/* UTF-16 of an ASCII/BMP string, with or without a byte order mark. */
static size_t utf16(const char *ascii, bool big_endian, bool bom, uint8_t *out) {
        size_t o = 0;
        if (bom) {
                out[o++] = big_endian ? 0xFE : 0xFF;
                out[o++] = big_endian ? 0xFF : 0xFE;
        }
        for (const char *p = ascii; *p; p++) {
                out[o++] = big_endian ? 0 : (uint8_t) *p;
                out[o++] = big_endian ? (uint8_t) *p : 0;
        }
        return o;
}

static void expect(const void *in, size_t n, int rc, const char *want) {
        char *out = NULL;
        size_t len = 0;
        assert_int_equal(mefw_text_utf8(in, n, &out, &len), rc);
        if (rc == 0) {
                assert_null(out);
                assert_int_equal(len, n);
                return;
        }
        assert_non_null(out);
        assert_int_equal(len, strlen(want));
        assert_memory_equal(out, want, len);
        free(out);
}

static void test_utf8_untouched(void **state) {
        (void) state;
        const char *s = "FW Version: 9.0.20.1447 \xE2\x80\x9Cquoted\xE2\x80\x9D\n";
        expect(s, strlen(s), 0, NULL);
        expect("", 0, 0, NULL);
}

static void test_utf16le_bom(void **state) {
        (void) state;
        uint8_t buf[256];
        size_t n = utf16("Error 8707: Firmware update failed\r\nOK\r\n", false, true, buf);
        expect(buf, n, 1, "Error 8707: Firmware update failed\r\nOK\r\n");
}

static void test_utf16be_bom_and_sniffed(void **state) {
        (void) state;
        uint8_t buf[256];
        size_t n = utf16("MEInfo Version: 11.8.50.3425\n", true, true, buf);
        expect(buf, n, 1, "MEInfo Version: 11.8.50.3425\n");
        n = utf16("MEInfo Version: 11.8.50.3425\n", false, false, buf); /* no BOM: by its zero bytes */
        expect(buf, n, 1, "MEInfo Version: 11.8.50.3425\n");
        n = utf16("MEInfo Version: 11.8.50.3425\n", true, false, buf);
        expect(buf, n, 1, "MEInfo Version: 11.8.50.3425\n");
}

static void test_utf16_surrogates_and_damage(void **state) {
        (void) state;
        /* U+1F600 as a surrogate pair, then a lone high surrogate, then an odd trailing byte. */
        const uint8_t in[] = { 0xFF, 0xFE, 'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x3D, 0xD8, 'B', 0, 'C' };
        expect(in, sizeof in, 1, "A\xF0\x9F\x98\x80\xEF\xBF\xBD" "B");
}

static void test_windows_1252(void **state) {
        (void) state;
        /* Notepad's "ANSI": smart quotes, an ellipsis, a degree sign; valid UTF-8 among them stays. */
        const char in[] = "\x93ME\x94 \x85 30\xB0 \xC3\xA9";
        expect(in, sizeof in - 1, 1, "\xE2\x80\x9CME\xE2\x80\x9D \xE2\x80\xA6 30\xC2\xB0 \xC3\xA9");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_utf8_untouched),
                cmocka_unit_test(test_utf16le_bom),
                cmocka_unit_test(test_utf16be_bom_and_sniffed),
                cmocka_unit_test(test_utf16_surrogates_and_damage),
                cmocka_unit_test(test_windows_1252),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
