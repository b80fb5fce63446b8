/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Streaming JSON writer. State per nesting level: whether a member was already written there
 * (so the next one needs a comma) and whether the level is an object. Level 0 is the top
 * level, which takes exactly one value. Any misuse or allocation failure sets j->failed, after
 * which every call is a no-op and mefw_json_ok() returns false.
 */

#include <inttypes.h>
#include <stdio.h>

#include "mefw/json.h"
#include "util.h"

void mefw_json_init(mefw_json *j, bool pretty) {
        *j = (mefw_json) { .pretty = pretty };
}

void mefw_json_free(mefw_json *j) {
        free(j->data);
        *j = (mefw_json) { .pretty = j->pretty };
}

static void append(mefw_json *j, const char *s, size_t n) {
        size_t need;

        if (j->failed)
                return;
        if (!add_size(j->len, n, &need) || !add_size(need, 1, &need)) {
                j->failed = true;
                return;
        }
        if (need > j->cap) {
                size_t ncap = j->cap ? j->cap : 256;
                while (ncap < need)
                        if (!mul_size(ncap, 2, &ncap)) {
                                ncap = need;
                                break;
                        }
                char *p = realloc(j->data, ncap);
                if (!p) {
                        j->failed = true;
                        return;
                }
                j->data = p;
                j->cap = ncap;
        }
        memcpy(j->data + j->len, s, n);
        j->len += n;
        j->data[j->len] = '\0';
}

static void append_str(mefw_json *j, const char *s) {
        append(j, s, strlen(s));
}

/* In pretty mode: a newline and two spaces per level. */
static void newline(mefw_json *j, unsigned level) {
        static const char spaces[] = "                                ";

        if (!j->pretty)
                return;
        append(j, "\n", 1);
        for (size_t left = 2 * (size_t) level; left > 0;) {
                size_t n = MIN(left, sizeof(spaces) - 1);
                append(j, spaces, n);
                left -= n;
        }
}

/* Called before every value (scalar or container). Returns false if no value may go here. */
static bool begin_value(mefw_json *j) {
        if (j->failed)
                return false;

        if (j->in_object[j->depth]) {
                /* The key already wrote comma, indentation and colon. */
                if (!j->after_key) {
                        j->failed = true;
                        return false;
                }
                j->after_key = false;
                return true;
        }

        if (j->depth == 0) {
                /* Only one top-level value. */
                if (j->need_comma[0]) {
                        j->failed = true;
                        return false;
                }
        } else {
                if (j->need_comma[j->depth])
                        append(j, ",", 1);
                newline(j, j->depth);
        }
        j->need_comma[j->depth] = true;
        return !j->failed;
}

/*
 * Length of the UTF-8 sequence at s (n > 0 bytes available). *valid tells whether it is a
 * complete, well-formed sequence. If not, the returned length covers the lead byte and the
 * continuation bytes that were still acceptable (the "maximal subpart" that Unicode
 * recommends replacing by a single U+FFFD); the byte after it starts the next sequence.
 * Rejected: stray continuation bytes, overlong forms (C0, C1, E0 80..9F, F0 80..8F),
 * UTF-16 surrogates (ED A0..BF), code points above U+10FFFF (F4 90.., F5..FF), and
 * sequences cut short.
 */
static size_t utf8_sequence(const unsigned char *s, size_t n, bool *valid) {
        unsigned char lo = 0x80, hi = 0xBF;
        size_t len;

        *valid = false;
        if (s[0] < 0x80) {
                *valid = true;
                return 1;
        }
        if (s[0] >= 0xC2 && s[0] <= 0xDF)
                len = 2;
        else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
                len = 3;
                if (s[0] == 0xE0)
                        lo = 0xA0;
                else if (s[0] == 0xED)
                        hi = 0x9F;
        } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
                len = 4;
                if (s[0] == 0xF0)
                        lo = 0x90;
                else if (s[0] == 0xF4)
                        hi = 0x8F;
        } else
                return 1;

        /* Only the second byte has a narrowed range. */
        for (size_t i = 1; i < len; i++) {
                if (i >= n || s[i] < lo || s[i] > hi)
                        return i;
                lo = 0x80;
                hi = 0xBF;
        }
        *valid = true;
        return len;
}

static void write_string(mefw_json *j, const unsigned char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";

        append(j, "\"", 1);
        for (size_t i = 0; i < n && !j->failed;) {
                unsigned char c = s[i];

                if (c >= 0x80) {
                        bool valid;
                        size_t l = utf8_sequence(s + i, n - i, &valid);
                        if (valid)
                                append(j, (const char *) s + i, l);
                        else
                                append(j, "\xEF\xBF\xBD", 3); /* U+FFFD */
                        i += l;
                        continue;
                }

                /* A run of ASCII that needs no escaping goes out in one piece. */
                size_t run = 0;
                while (i + run < n && s[i + run] >= 0x20 && s[i + run] < 0x80 && s[i + run] != '"' &&
                       s[i + run] != '\\')
                        run++;
                if (run > 0) {
                        append(j, (const char *) s + i, run);
                        i += run;
                        continue;
                }

                char esc[6] = { '\\', 0 };
                size_t elen = 2;
                switch (c) {
                case '"':  esc[1] = '"'; break;
                case '\\': esc[1] = '\\'; break;
                case '\n': esc[1] = 'n'; break;
                case '\t': esc[1] = 't'; break;
                case '\r': esc[1] = 'r'; break;
                case '\b': esc[1] = 'b'; break;
                case '\f': esc[1] = 'f'; break;
                default:
                        memcpy(esc, "\\u00", 4);
                        esc[4] = hex[c >> 4];
                        esc[5] = hex[c & 0xF];
                        elen = 6;
                }
                append(j, esc, elen);
                i++;
        }
        append(j, "\"", 1);
}

static void begin_container(mefw_json *j, bool object) {
        if (!begin_value(j))
                return;
        if (j->depth >= MEFW_JSON_MAX_DEPTH) {
                j->failed = true;
                return;
        }
        j->depth++;
        j->need_comma[j->depth] = false;
        j->in_object[j->depth] = object;
        append(j, object ? "{" : "[", 1);
}

static void end_container(mefw_json *j, bool object) {
        if (j->failed)
                return;
        if (j->depth == 0 || j->in_object[j->depth] != object || j->after_key) {
                j->failed = true;
                return;
        }
        if (j->need_comma[j->depth])
                newline(j, j->depth - 1);
        j->depth--;
        append(j, object ? "}" : "]", 1);
}

void mefw_json_begin_object(mefw_json *j) {
        begin_container(j, true);
}

void mefw_json_end_object(mefw_json *j) {
        end_container(j, true);
}

void mefw_json_begin_array(mefw_json *j) {
        begin_container(j, false);
}

void mefw_json_end_array(mefw_json *j) {
        end_container(j, false);
}

void mefw_json_key(mefw_json *j, const char *key) {
        if (j->failed)
                return;
        if (!key || !j->in_object[j->depth] || j->after_key) {
                j->failed = true;
                return;
        }
        if (j->need_comma[j->depth])
                append(j, ",", 1);
        newline(j, j->depth);
        write_string(j, (const unsigned char *) key, strlen(key));
        append_str(j, j->pretty ? ": " : ":");
        j->need_comma[j->depth] = true;
        j->after_key = true;
}

void mefw_json_string(mefw_json *j, const char *s) {
        if (!s)
                mefw_json_null(j);
        else
                mefw_json_string_len(j, s, strlen(s));
}

void mefw_json_string_len(mefw_json *j, const char *s, size_t n) {
        if (!s) {
                mefw_json_null(j);
                return;
        }
        if (begin_value(j))
                write_string(j, (const unsigned char *) s, n);
}

void mefw_json_int(mefw_json *j, int64_t v) {
        char buf[32];

        if (begin_value(j))
                append(j, buf, (size_t) snprintf(buf, sizeof(buf), "%" PRId64, v));
}

void mefw_json_uint(mefw_json *j, uint64_t v) {
        char buf[32];

        if (begin_value(j))
                append(j, buf, (size_t) snprintf(buf, sizeof(buf), "%" PRIu64, v));
}

void mefw_json_bool(mefw_json *j, bool v) {
        if (begin_value(j))
                append_str(j, v ? "true" : "false");
}

void mefw_json_null(mefw_json *j) {
        if (begin_value(j))
                append_str(j, "null");
}

void mefw_json_kv_string(mefw_json *j, const char *key, const char *s) {
        mefw_json_key(j, key);
        mefw_json_string(j, s);
}

void mefw_json_kv_int(mefw_json *j, const char *key, int64_t v) {
        mefw_json_key(j, key);
        mefw_json_int(j, v);
}

void mefw_json_kv_uint(mefw_json *j, const char *key, uint64_t v) {
        mefw_json_key(j, key);
        mefw_json_uint(j, v);
}

void mefw_json_kv_bool(mefw_json *j, const char *key, bool v) {
        mefw_json_key(j, key);
        mefw_json_bool(j, v);
}

void mefw_json_kv_null(mefw_json *j, const char *key) {
        mefw_json_key(j, key);
        mefw_json_null(j);
}

bool mefw_json_ok(const mefw_json *j) {
        /* need_comma[0] is set once the top-level value has begun. */
        return !j->failed && j->depth == 0 && j->need_comma[0];
}
