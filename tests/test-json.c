/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests for the streaming JSON writer: exact output, escaping, UTF-8 repair, misuse. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mefw/json.h"
#include "core/util.h"

#define FFFD "\xEF\xBF\xBD"

#if defined(__SANITIZE_ADDRESS__)
#  define HAVE_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define HAVE_ASAN 1
#  endif
#endif

/* ---- helpers ---- */

static void assert_doc(mefw_json *j, const char *expected) {
        assert_true(mefw_json_ok(j));
        assert_non_null(j->data);
        assert_string_equal(j->data, expected);
        assert_int_equal(j->len, strlen(expected));
}

/* One string of n bytes as the whole document; compare with the expected JSON text. */
static void check_string(const char *in, size_t n, const char *expected) {
        mefw_json j;

        mefw_json_init(&j, false);
        mefw_json_string_len(&j, in, n);
        assert_doc(&j, expected);
        mefw_json_free(&j);
}

#define CHECK_STR(in, expected) check_string((in), sizeof(in) - 1, (expected))

/* A strict UTF-8 check written independently of the writer. */
static bool utf8_ok(const unsigned char *s, size_t n) {
        for (size_t i = 0; i < n;) {
                uint32_t cp;
                size_t len;

                if (s[i] < 0x80) {
                        i++;
                        continue;
                } else if ((s[i] & 0xE0) == 0xC0) {
                        len = 2;
                        cp = s[i] & 0x1F;
                } else if ((s[i] & 0xF0) == 0xE0) {
                        len = 3;
                        cp = s[i] & 0x0F;
                } else if ((s[i] & 0xF8) == 0xF0) {
                        len = 4;
                        cp = s[i] & 0x07;
                } else
                        return false;
                if (i + len > n)
                        return false;
                for (size_t k = 1; k < len; k++) {
                        if ((s[i + k] & 0xC0) != 0x80)
                                return false;
                        cp = (cp << 6) | (s[i + k] & 0x3F);
                }
                static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
                if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                        return false;
                i += len;
        }
        return true;
}

/*
 * A tiny structural checker: brackets balance and match, strings are closed, no raw control
 * characters inside strings, only valid escapes, whole text is valid UTF-8. Returns the
 * number of object members found directly inside the outermost container (colons at
 * depth 1), or -1 if the text is malformed.
 */
static long balance_check(const char *text) {
        char stack[256];
        size_t sp = 0;
        bool in_str = false;
        long members = 0;

        if (!utf8_ok((const unsigned char *) text, strlen(text)))
                return -1;

        for (const char *p = text; *p; p++) {
                unsigned char c = (unsigned char) *p;

                if (in_str) {
                        if (c < 0x20)
                                return -1;
                        if (c == '"')
                                in_str = false;
                        else if (c == '\\') {
                                p++;
                                if (*p == 'u') {
                                        for (int k = 1; k <= 4; k++)
                                                if (!p[k] || !strchr("0123456789abcdefABCDEF", p[k]))
                                                        return -1;
                                        p += 4;
                                } else if (!*p || !strchr("\"\\/bfnrt", *p))
                                        return -1;
                        }
                        continue;
                }

                switch (c) {
                case '"':
                        in_str = true;
                        break;
                case '{':
                case '[':
                        if (sp >= sizeof(stack))
                                return -1;
                        stack[sp++] = (char) c;
                        break;
                case '}':
                case ']':
                        if (sp == 0 || stack[sp - 1] != (c == '}' ? '{' : '['))
                                return -1;
                        sp--;
                        break;
                case ':':
                        if (sp == 1)
                                members++;
                        break;
                default:
                        break;
                }
        }
        if (in_str || sp != 0)
                return -1;
        return members;
}

/* ---- structure and formatting ---- */

static void write_sample(mefw_json *j) {
        mefw_json_begin_object(j);
        mefw_json_kv_int(j, "a", 1);
        mefw_json_kv_string(j, "b", "x");
        mefw_json_kv_bool(j, "c", true);
        mefw_json_kv_bool(j, "d", false);
        mefw_json_kv_null(j, "e");
        mefw_json_key(j, "f");
        mefw_json_begin_array(j);
        mefw_json_uint(j, 1);
        mefw_json_int(j, -2);
        mefw_json_begin_object(j);
        mefw_json_kv_uint(j, "k", 3);
        mefw_json_end_object(j);
        mefw_json_end_array(j);
        mefw_json_key(j, "g");
        mefw_json_begin_object(j);
        mefw_json_end_object(j);
        mefw_json_key(j, "h");
        mefw_json_begin_array(j);
        mefw_json_end_array(j);
        mefw_json_end_object(j);
}

static void test_compact(void **state) {
        mefw_json j;

        mefw_json_init(&j, false);
        write_sample(&j);
        assert_doc(&j, "{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":false,\"e\":null,"
                       "\"f\":[1,-2,{\"k\":3}],\"g\":{},\"h\":[]}");
        mefw_json_free(&j);
}

static void test_pretty(void **state) {
        mefw_json j;

        mefw_json_init(&j, true);
        write_sample(&j);
        assert_doc(&j,
                   "{\n"
                   "  \"a\": 1,\n"
                   "  \"b\": \"x\",\n"
                   "  \"c\": true,\n"
                   "  \"d\": false,\n"
                   "  \"e\": null,\n"
                   "  \"f\": [\n"
                   "    1,\n"
                   "    -2,\n"
                   "    {\n"
                   "      \"k\": 3\n"
                   "    }\n"
                   "  ],\n"
                   "  \"g\": {},\n"
                   "  \"h\": []\n"
                   "}");
        mefw_json_free(&j);
}

static void write_nested_arrays(mefw_json *j) {
        /* [[[]],[1,[2]],[{}]] */
        mefw_json_begin_array(j);
        mefw_json_begin_array(j);
        mefw_json_begin_array(j);
        mefw_json_end_array(j);
        mefw_json_end_array(j);
        mefw_json_begin_array(j);
        mefw_json_int(j, 1);
        mefw_json_begin_array(j);
        mefw_json_int(j, 2);
        mefw_json_end_array(j);
        mefw_json_end_array(j);
        mefw_json_begin_array(j);
        mefw_json_begin_object(j);
        mefw_json_end_object(j);
        mefw_json_end_array(j);
        mefw_json_end_array(j);
}

static void test_nested_arrays(void **state) {
        mefw_json j;

        mefw_json_init(&j, false);
        write_nested_arrays(&j);
        assert_doc(&j, "[[[]],[1,[2]],[{}]]");
        mefw_json_free(&j);

        mefw_json_init(&j, true);
        write_nested_arrays(&j);
        assert_doc(&j,
                   "[\n"
                   "  [\n"
                   "    []\n"
                   "  ],\n"
                   "  [\n"
                   "    1,\n"
                   "    [\n"
                   "      2\n"
                   "    ]\n"
                   "  ],\n"
                   "  [\n"
                   "    {}\n"
                   "  ]\n"
                   "]");
        mefw_json_free(&j);
}

static void test_nested_objects(void **state) {
        mefw_json j;

        mefw_json_init(&j, true);
        mefw_json_begin_object(&j);
        mefw_json_key(&j, "outer");
        mefw_json_begin_object(&j);
        mefw_json_key(&j, "inner");
        mefw_json_begin_object(&j);
        mefw_json_kv_string(&j, "s", "v");
        mefw_json_end_object(&j);
        mefw_json_kv_int(&j, "n", 0);
        mefw_json_end_object(&j);
        mefw_json_end_object(&j);
        assert_doc(&j,
                   "{\n"
                   "  \"outer\": {\n"
                   "    \"inner\": {\n"
                   "      \"s\": \"v\"\n"
                   "    },\n"
                   "    \"n\": 0\n"
                   "  }\n"
                   "}");
        mefw_json_free(&j);
}

static void test_empty_containers(void **state) {
        mefw_json j;

        for (int pretty = 0; pretty <= 1; pretty++) {
                mefw_json_init(&j, pretty);
                mefw_json_begin_object(&j);
                mefw_json_end_object(&j);
                assert_doc(&j, "{}");
                mefw_json_free(&j);

                mefw_json_init(&j, pretty);
                mefw_json_begin_array(&j);
                mefw_json_end_array(&j);
                assert_doc(&j, "[]");
                mefw_json_free(&j);
        }
}

static void test_top_level_scalars(void **state) {
        mefw_json j;

        mefw_json_init(&j, true);
        mefw_json_int(&j, 42);
        assert_doc(&j, "42");
        mefw_json_free(&j);

        mefw_json_init(&j, false);
        mefw_json_string(&j, "");
        assert_doc(&j, "\"\"");
        mefw_json_free(&j);

        mefw_json_init(&j, false);
        mefw_json_null(&j);
        assert_doc(&j, "null");
        mefw_json_free(&j);

        mefw_json_init(&j, false);
        mefw_json_bool(&j, true);
        assert_doc(&j, "true");
        mefw_json_free(&j);
}

/* ---- strings ---- */

static void test_escapes(void **state) {
        CHECK_STR("\"", "\"\\\"\"");
        CHECK_STR("\\", "\"\\\\\"");
        CHECK_STR("\n", "\"\\n\"");
        CHECK_STR("\t", "\"\\t\"");
        CHECK_STR("\r", "\"\\r\"");
        CHECK_STR("\b", "\"\\b\"");
        CHECK_STR("\f", "\"\\f\"");
        CHECK_STR("\x01", "\"\\u0001\"");
        CHECK_STR("\x1f", "\"\\u001f\"");
        CHECK_STR("\x0b", "\"\\u000b\"");
        CHECK_STR("\x1b[0m", "\"\\u001b[0m\"");
        /* Not escaped: slash, DEL, printable ASCII. */
        CHECK_STR("a/b\x7f~ ", "\"a/b\x7f~ \"");
        /* Embedded NUL through the length variant. */
        CHECK_STR("a\0b", "\"a\\u0000b\"");
        CHECK_STR("say \"hi\"\\\n", "\"say \\\"hi\\\"\\\\\\n\"");

        /* Every control character, in one string. */
        char in[32];
        for (int c = 0; c < 32; c++)
                in[c] = (char) c;
        check_string(in, sizeof(in),
                     "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                     "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                     "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                     "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
}

static void test_escaped_keys(void **state) {
        mefw_json j;

        mefw_json_init(&j, false);
        mefw_json_begin_object(&j);
        mefw_json_kv_int(&j, "q\"\n\x80", 1);
        mefw_json_end_object(&j);
        assert_doc(&j, "{\"q\\\"\\n" FFFD "\":1}");
        mefw_json_free(&j);
}

static void test_utf8_valid(void **state) {
        CHECK_STR("\xC2\x80", "\"\xC2\x80\"");                 /* U+0080, smallest 2-byte */
        CHECK_STR("caf\xC3\xA9", "\"caf\xC3\xA9\"");           /* é */
        CHECK_STR("\xDF\xBF", "\"\xDF\xBF\"");                 /* U+07FF */
        CHECK_STR("\xE0\xA0\x80", "\"\xE0\xA0\x80\"");         /* U+0800, smallest 3-byte */
        CHECK_STR("\xE2\x82\xAC", "\"\xE2\x82\xAC\"");         /* € */
        CHECK_STR("\xED\x9F\xBF", "\"\xED\x9F\xBF\"");         /* U+D7FF, just below surrogates */
        CHECK_STR("\xEE\x80\x80", "\"\xEE\x80\x80\"");         /* U+E000, just above */
        CHECK_STR("\xEF\xBF\xBF", "\"\xEF\xBF\xBF\"");         /* U+FFFF */
        CHECK_STR("\xF0\x90\x80\x80", "\"\xF0\x90\x80\x80\""); /* U+10000, smallest 4-byte */
        CHECK_STR("\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\""); /* emoji */
        CHECK_STR("\xF4\x8F\xBF\xBF", "\"\xF4\x8F\xBF\xBF\""); /* U+10FFFF, the last one */
        CHECK_STR("a\xC3\xA9" "b\xE2\x82\xAC" "c\xF0\x9F\x98\x80" "d",
                  "\"a\xC3\xA9" "b\xE2\x82\xAC" "c\xF0\x9F\x98\x80" "d\"");
        CHECK_STR(FFFD, "\"" FFFD "\""); /* a real U+FFFD stays as is */
}

static void test_utf8_invalid(void **state) {
        /* Stray continuation bytes and bytes that never appear in UTF-8. */
        CHECK_STR("\x80", "\"" FFFD "\"");
        CHECK_STR("\xBF", "\"" FFFD "\"");
        CHECK_STR("a\x80\x80z", "\"a" FFFD FFFD "z\"");
        CHECK_STR("\xFE", "\"" FFFD "\"");
        CHECK_STR("\xFF", "\"" FFFD "\"");
        /* Overlong encodings. */
        CHECK_STR("\xC0\xAF", "\"" FFFD FFFD "\"");           /* '/' in two bytes */
        CHECK_STR("\xC1\xBF", "\"" FFFD FFFD "\"");
        CHECK_STR("\xC0\x80", "\"" FFFD FFFD "\"");           /* "modified UTF-8" NUL */
        CHECK_STR("\xE0\x80\xAF", "\"" FFFD FFFD FFFD "\"");
        CHECK_STR("\xE0\x9F\xBF", "\"" FFFD FFFD FFFD "\"");  /* U+07FF in three bytes */
        CHECK_STR("\xF0\x80\x80\xAF", "\"" FFFD FFFD FFFD FFFD "\"");
        CHECK_STR("\xF0\x8F\xBF\xBF", "\"" FFFD FFFD FFFD FFFD "\"");
        /* UTF-16 surrogates, alone and as a CESU-8 pair. */
        CHECK_STR("\xED\xA0\x80", "\"" FFFD FFFD FFFD "\"");
        CHECK_STR("\xED\xBF\xBF", "\"" FFFD FFFD FFFD "\"");
        CHECK_STR("\xED\xA0\xBD\xED\xB8\x80", "\"" FFFD FFFD FFFD FFFD FFFD FFFD "\"");
        /* Beyond U+10FFFF. */
        CHECK_STR("\xF4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
        CHECK_STR("\xF5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
        CHECK_STR("\xF7\xBF\xBF\xBF", "\"" FFFD FFFD FFFD FFFD "\"");
        /* Truncated sequences: one U+FFFD for the cut-off part, the next byte survives. */
        CHECK_STR("\xC3", "\"" FFFD "\"");
        CHECK_STR("a\xC3", "\"a" FFFD "\"");
        CHECK_STR("\xC3(", "\"" FFFD "(\"");
        CHECK_STR("\xE2\x82", "\"" FFFD "\"");
        CHECK_STR("\xE2\x82z", "\"" FFFD "z\"");
        CHECK_STR("\xF0\x9F\x98", "\"" FFFD "\"");
        CHECK_STR("\xF0\x9F\x98\"", "\"" FFFD "\\\"\"");
        CHECK_STR("\xF0\x9F\xC3\xA9", "\"" FFFD "\xC3\xA9\"");  /* valid é right after */
        CHECK_STR("\xE2\x82\xE2\x82\xAC", "\"" FFFD "\xE2\x82\xAC\"");
        /* A cut-off sequence must not swallow the closing quote's place: length limits it. */
        check_string("\xE2\x82\xAC", 2, "\"" FFFD "\"");
}

static void test_null_strings(void **state) {
        mefw_json j;

        mefw_json_init(&j, false);
        mefw_json_begin_array(&j);
        mefw_json_string(&j, NULL);
        mefw_json_string_len(&j, NULL, 5);
        mefw_json_string_len(&j, "abc", 0);
        mefw_json_string_len(&j, "abcdef", 3);
        mefw_json_begin_object(&j);
        mefw_json_kv_string(&j, "k", NULL);
        mefw_json_end_object(&j);
        mefw_json_end_array(&j);
        assert_doc(&j, "[null,null,\"\",\"abc\",{\"k\":null}]");
        mefw_json_free(&j);
}

static void test_long_string(void **state) {
        const size_t n = 100000;
        char *in = malloc(n), *expected = malloc(2 * n + 3);
        mefw_json j;

        assert_non_null(in);
        assert_non_null(expected);
        /* Alternate a plain byte and one needing an escape, so output grows by 3/2. */
        char *e = expected;
        *e++ = '"';
        for (size_t i = 0; i < n; i++) {
                in[i] = i % 2 ? '"' : 'x';
                if (i % 2) {
                        *e++ = '\\';
                        *e++ = '"';
                } else
                        *e++ = 'x';
        }
        *e++ = '"';
        *e = '\0';

        mefw_json_init(&j, false);
        mefw_json_string_len(&j, in, n);
        assert_doc(&j, expected);
        assert_true(j.cap > j.len);
        mefw_json_free(&j);
        free(in);
        free(expected);
}

/* ---- integers ---- */

static void test_integers(void **state) {
        mefw_json j;

        mefw_json_init(&j, false);
        mefw_json_begin_array(&j);
        mefw_json_int(&j, INT64_MIN);
        mefw_json_int(&j, INT64_MAX);
        mefw_json_int(&j, -1);
        mefw_json_int(&j, 0);
        mefw_json_uint(&j, UINT64_MAX);
        mefw_json_uint(&j, 0);
        mefw_json_uint(&j, (uint64_t) INT64_MAX + 1);
        mefw_json_uint(&j, UINT32_MAX);
        mefw_json_end_array(&j);
        assert_doc(&j, "[-9223372036854775808,9223372036854775807,-1,0,"
                       "18446744073709551615,0,9223372036854775808,4294967295]");
        mefw_json_free(&j);

        mefw_json_init(&j, true);
        mefw_json_begin_object(&j);
        mefw_json_kv_int(&j, "min", INT64_MIN);
        mefw_json_kv_uint(&j, "max", UINT64_MAX);
        mefw_json_end_object(&j);
        assert_doc(&j, "{\n  \"min\": -9223372036854775808,\n  \"max\": 18446744073709551615\n}");
        mefw_json_free(&j);
}

/* ---- depth ---- */

static void test_depth_cap(void **state) {
        mefw_json j;
        char expected[2 * MEFW_JSON_MAX_DEPTH + 1];

        /* Exactly MEFW_JSON_MAX_DEPTH levels are fine. */
        mefw_json_init(&j, false);
        for (int i = 0; i < MEFW_JSON_MAX_DEPTH; i++)
                mefw_json_begin_array(&j);
        assert_false(j.failed);
        for (int i = 0; i < MEFW_JSON_MAX_DEPTH; i++)
                mefw_json_end_array(&j);
        memset(expected, '[', MEFW_JSON_MAX_DEPTH);
        memset(expected + MEFW_JSON_MAX_DEPTH, ']', MEFW_JSON_MAX_DEPTH);
        expected[2 * MEFW_JSON_MAX_DEPTH] = '\0';
        assert_doc(&j, expected);
        mefw_json_free(&j);

        /* Also with objects, pretty printed, at full depth. */
        mefw_json_init(&j, true);
        for (int i = 0; i < MEFW_JSON_MAX_DEPTH; i++) {
                mefw_json_begin_object(&j);
                mefw_json_key(&j, "k");
        }
        mefw_json_int(&j, 1);
        for (int i = 0; i < MEFW_JSON_MAX_DEPTH; i++)
                mefw_json_end_object(&j);
        assert_true(mefw_json_ok(&j));
        assert_int_equal(balance_check(j.data), 1);
        /* The innermost value is indented by two spaces per level. */
        char inner[2 * MEFW_JSON_MAX_DEPTH + 16];
        snprintf(inner, sizeof(inner), "\n%*s\"k\": 1\n", 2 * MEFW_JSON_MAX_DEPTH, "");
        assert_non_null(strstr(j.data, inner));
        mefw_json_free(&j);

        /* One more level fails, and stays failed even once everything is closed. */
        for (int obj = 0; obj <= 1; obj++) {
                mefw_json_init(&j, false);
                for (int i = 0; i < MEFW_JSON_MAX_DEPTH; i++)
                        mefw_json_begin_array(&j);
                assert_false(j.failed);
                if (obj)
                        mefw_json_begin_object(&j);
                else
                        mefw_json_begin_array(&j);
                assert_true(j.failed);
                for (int i = 0; i < MEFW_JSON_MAX_DEPTH + 1; i++)
                        mefw_json_end_array(&j);
                assert_true(j.failed);
                assert_false(mefw_json_ok(&j));
                assert_true(j.depth <= MEFW_JSON_MAX_DEPTH);
                mefw_json_free(&j);
        }
}

/* ---- misuse ---- */

enum misuse {
        END_ARRAY_IN_OBJECT,
        END_OBJECT_IN_ARRAY,
        END_AT_TOP,
        END_OBJECT_AT_TOP,
        KEY_IN_ARRAY,
        KEY_AT_TOP,
        KEY_TWICE,
        KEY_NULL,
        VALUE_WITHOUT_KEY,
        CONTAINER_WITHOUT_KEY,
        END_AFTER_KEY,
        SECOND_TOP_VALUE,
        SECOND_TOP_CONTAINER,
        _MISUSE_MAX,
};

static void do_misuse(mefw_json *j, enum misuse m) {
        switch (m) {
        case END_ARRAY_IN_OBJECT:
                mefw_json_begin_object(j);
                mefw_json_end_array(j);
                break;
        case END_OBJECT_IN_ARRAY:
                mefw_json_begin_array(j);
                mefw_json_end_object(j);
                break;
        case END_AT_TOP:
                mefw_json_end_array(j);
                break;
        case END_OBJECT_AT_TOP:
                mefw_json_begin_object(j);
                mefw_json_end_object(j);
                mefw_json_end_object(j);
                break;
        case KEY_IN_ARRAY:
                mefw_json_begin_array(j);
                mefw_json_key(j, "k");
                break;
        case KEY_AT_TOP:
                mefw_json_key(j, "k");
                break;
        case KEY_TWICE:
                mefw_json_begin_object(j);
                mefw_json_key(j, "a");
                mefw_json_key(j, "b");
                break;
        case KEY_NULL:
                mefw_json_begin_object(j);
                mefw_json_key(j, NULL);
                break;
        case VALUE_WITHOUT_KEY:
                mefw_json_begin_object(j);
                mefw_json_kv_int(j, "a", 1);
                mefw_json_int(j, 2);
                break;
        case CONTAINER_WITHOUT_KEY:
                mefw_json_begin_object(j);
                mefw_json_begin_array(j);
                break;
        case END_AFTER_KEY:
                mefw_json_begin_object(j);
                mefw_json_key(j, "dangling");
                mefw_json_end_object(j);
                break;
        case SECOND_TOP_VALUE:
                mefw_json_int(j, 1);
                mefw_json_int(j, 2);
                break;
        case SECOND_TOP_CONTAINER:
                mefw_json_begin_array(j);
                mefw_json_end_array(j);
                mefw_json_begin_object(j);
                break;
        default:
                fail();
        }
}

static void test_misnesting(void **state) {
        for (int pretty = 0; pretty <= 1; pretty++)
                for (enum misuse m = 0; m < _MISUSE_MAX; m++) {
                        mefw_json j;

                        mefw_json_init(&j, pretty);
                        do_misuse(&j, m);
                        if (!j.failed)
                                fail_msg("misuse case %d (pretty=%d) not detected", (int) m, pretty);
                        assert_false(mefw_json_ok(&j));

                        /* Once failed, later calls change nothing and cannot "repair" it. */
                        size_t len = j.len;
                        unsigned depth = j.depth;
                        mefw_json_end_object(&j);
                        mefw_json_end_array(&j);
                        mefw_json_kv_string(&j, "x", "y");
                        mefw_json_string(&j, "z");
                        mefw_json_begin_array(&j);
                        assert_int_equal(j.len, len);
                        assert_int_equal(j.depth, depth);
                        assert_true(j.failed);
                        assert_false(mefw_json_ok(&j));
                        mefw_json_free(&j);
                }
}

/* ---- mefw_json_ok ---- */

static void test_ok_states(void **state) {
        mefw_json j;

        mefw_json_init(&j, false);
        assert_false(mefw_json_ok(&j)); /* nothing written yet */
        assert_false(j.failed);

        mefw_json_begin_object(&j);
        assert_false(mefw_json_ok(&j)); /* open container */
        mefw_json_key(&j, "a");
        assert_false(mefw_json_ok(&j)); /* pending value */
        mefw_json_begin_array(&j);
        assert_false(mefw_json_ok(&j));
        mefw_json_end_array(&j);
        assert_false(mefw_json_ok(&j)); /* object still open */
        mefw_json_end_object(&j);
        assert_true(mefw_json_ok(&j));
        assert_doc(&j, "{\"a\":[]}");

        /* free resets the state; the struct can be reused after init. */
        mefw_json_free(&j);
        assert_null(j.data);
        assert_int_equal(j.len, 0);
        assert_false(mefw_json_ok(&j));

        mefw_json_init(&j, true);
        mefw_json_string(&j, "again");
        assert_doc(&j, "\"again\"");
        mefw_json_free(&j);

        /* Freeing an unused writer is fine. */
        mefw_json_init(&j, false);
        mefw_json_free(&j);
}

/* ---- allocation failure ---- */

/*
 * In a child process, cap the address space a little above what is in use and write a string
 * bigger than the headroom: the buffer cannot grow, so the writer must report failure instead
 * of crashing or producing a truncated document that claims to be fine. AddressSanitizer
 * reserves huge address ranges and aborts on failed allocations, so the test is skipped there.
 */
static void test_alloc_failure(void **state) {
#ifdef HAVE_ASAN
        skip();
#else
        const size_t big = 64u << 20, headroom = 16u << 20;
        char *in = malloc(big);

        assert_non_null(in);
        memset(in, 'a', big);

        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                unsigned long pages;
                FILE *f = fopen("/proc/self/statm", "re");
                if (!f || fscanf(f, "%lu", &pages) != 1)
                        _exit(3);
                fclose(f);
                size_t used = pages * (size_t) sysconf(_SC_PAGESIZE);
                struct rlimit rl = { .rlim_cur = used + headroom, .rlim_max = used + headroom };
                if (setrlimit(RLIMIT_AS, &rl) < 0)
                        _exit(3);

                mefw_json j;
                mefw_json_init(&j, false);
                mefw_json_begin_array(&j);
                mefw_json_string_len(&j, in, big);
                bool failed_now = j.failed;
                mefw_json_end_array(&j);
                bool ok = mefw_json_ok(&j);
                mefw_json_free(&j);
                _exit(failed_now && !ok ? 0 : 1);
        }

        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        free(in);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 3)
                skip();
        assert_int_equal(WEXITSTATUS(status), 0);
#endif
}

/* ---- a bigger document, checked for structure ---- */

static void write_big(mefw_json *j, unsigned n) {
        static const char *const tricky[] = {
                "plain", "with \"quotes\"", "brackets [ { } ]", "colon: comma, done",
                "back\\slash\\", "ctl\x01\x1f\n", "bad\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82",
                "ok \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "", "}]\"",
        };

        mefw_json_begin_object(j);
        for (unsigned i = 0; i < n; i++) {
                char key[64];
                snprintf(key, sizeof(key), "member%u %s", i, i % 7 == 0 ? "\"[{" : "");
                mefw_json_key(j, key);
                switch (i % 5) {
                case 0:
                        mefw_json_string(j, tricky[i % ELEMENTSOF(tricky)]);
                        break;
                case 1:
                        mefw_json_int(j, i % 2 ? INT64_MIN : (int64_t) i);
                        break;
                case 2:
                        mefw_json_begin_array(j);
                        for (unsigned k = 0; k < i % 4; k++)
                                mefw_json_string(j, tricky[(i + k) % ELEMENTSOF(tricky)]);
                        mefw_json_end_array(j);
                        break;
                case 3:
                        mefw_json_begin_object(j);
                        mefw_json_kv_uint(j, "u", UINT64_MAX);
                        mefw_json_kv_string(j, "s", tricky[i % ELEMENTSOF(tricky)]);
                        mefw_json_key(j, "nested");
                        mefw_json_begin_object(j);
                        mefw_json_end_object(j);
                        mefw_json_end_object(j);
                        break;
                default:
                        mefw_json_null(j);
                }
        }
        mefw_json_end_object(j);
}

static void test_big_document(void **state) {
        const unsigned n = 2000;

        for (int pretty = 0; pretty <= 1; pretty++) {
                mefw_json j;

                mefw_json_init(&j, pretty);
                write_big(&j, n);
                assert_true(mefw_json_ok(&j));
                assert_int_equal(strlen(j.data), j.len);
                assert_int_equal(balance_check(j.data), n);
                /* No raw newline in compact output; one per member at least when pretty. */
                if (!pretty)
                        assert_null(strchr(j.data, '\n'));
                else {
                        size_t lines = 0;
                        for (const char *p = j.data; *p; p++)
                                lines += *p == '\n';
                        assert_true(lines >= n);
                }
                mefw_json_free(&j);
        }

        /* The checker itself must reject broken text. */
        assert_int_equal(balance_check("{\"a\":1}"), 1);
        assert_int_equal(balance_check("{\"a\":[1,2}"), -1);
        assert_int_equal(balance_check("{\"a\":\"x}"), -1);
        assert_int_equal(balance_check("[\"\n\"]"), -1);
        assert_int_equal(balance_check("[\"\\q\"]"), -1);
        assert_int_equal(balance_check("[\"\xC0\xAF\"]"), -1);
        assert_int_equal(balance_check("]["), -1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_compact),
                cmocka_unit_test(test_pretty),
                cmocka_unit_test(test_nested_arrays),
                cmocka_unit_test(test_nested_objects),
                cmocka_unit_test(test_empty_containers),
                cmocka_unit_test(test_top_level_scalars),
                cmocka_unit_test(test_escapes),
                cmocka_unit_test(test_escaped_keys),
                cmocka_unit_test(test_utf8_valid),
                cmocka_unit_test(test_utf8_invalid),
                cmocka_unit_test(test_null_strings),
                cmocka_unit_test(test_long_string),
                cmocka_unit_test(test_integers),
                cmocka_unit_test(test_depth_cap),
                cmocka_unit_test(test_misnesting),
                cmocka_unit_test(test_ok_states),
                cmocka_unit_test(test_alloc_failure),
                cmocka_unit_test(test_big_document),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
