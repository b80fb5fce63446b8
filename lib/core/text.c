/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text as people save it, made UTF-8 for the log readers. Windows PowerShell 5 writes UTF-16LE
 * with a byte order mark by default ('>' and Out-File); Notepad saves "ANSI" (Windows-1252);
 * forum pastes are UTF-8. Each byte is looked at a bounded number of times.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mefw/core.h"
#include "util.h"

/* How far into a text without a byte order mark we look for UTF-16's zero bytes. */
#define SNIFF_BYTES 4096

/* Windows-1252 0x80-0x9F (smart quotes, dashes, '…', '€'); the holes map to U+FFFD. */
static const uint16_t cp1252_high[32] = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static size_t put_utf8(char *out, uint32_t cp) {
        if (cp < 0x80) {
                out[0] = (char) cp;
                return 1;
        }
        if (cp < 0x800) {
                out[0] = (char) (0xC0 | (cp >> 6));
                out[1] = (char) (0x80 | (cp & 0x3F));
                return 2;
        }
        if (cp < 0x10000) {
                out[0] = (char) (0xE0 | (cp >> 12));
                out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
                out[2] = (char) (0x80 | (cp & 0x3F));
                return 3;
        }
        out[0] = (char) (0xF0 | (cp >> 18));
        out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char) (0x80 | (cp & 0x3F));
        return 4;
}

/* Length of the valid UTF-8 sequence at p (1-4), 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p, size_t n) {
        unsigned char c = p[0];
        size_t len;
        uint32_t min;
        if (c < 0x80)
                return 1;
        if (c >= 0xC2 && c <= 0xDF)
                len = 2, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
                len = 3, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
                len = 4, min = 0x10000;
        else
                return 0;
        if (n < len)
                return 0;
        uint32_t cp = c & (0x7F >> len);
        for (size_t i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80)
                        return 0;
                cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        return len;
}

/* 1 little-endian, 2 big-endian, 0 not UTF-16 (by its zero bytes: ASCII text in UTF-16 has one
 * in every pair, on the same side). */
static int sniff_utf16(const unsigned char *p, size_t n) {
        size_t len = MIN(n, (size_t) SNIFF_BYTES) & ~(size_t) 1;
        if (len < 8)
                return 0;
        size_t even = 0, odd = 0;
        for (size_t i = 0; i < len; i += 2) {
                even += p[i] == 0;
                odd += p[i + 1] == 0;
        }
        size_t pairs = len / 2;
        if (odd * 10 >= pairs * 7 && even * 10 <= pairs)
                return 1;
        if (even * 10 >= pairs * 7 && odd * 10 <= pairs)
                return 2;
        return 0;
}

static int from_utf16(const unsigned char *p, size_t n, bool big_endian, char **ret, size_t *ret_size) {
        size_t cap;
        if (!mul_size(n / 2, 3, &cap) || !add_size(cap, 4, &cap))
                return -E2BIG;
        char *out = malloc(cap);
        if (!out)
                return -ENOMEM;
        size_t o = 0;
        for (size_t i = 0; i + 1 < n; i += 2) {
                uint32_t u = big_endian ? (uint32_t) (p[i] << 8 | p[i + 1]) : (uint32_t) (p[i + 1] << 8 | p[i]);
                if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
                        uint32_t lo = big_endian ? (uint32_t) (p[i + 2] << 8 | p[i + 3])
                                                 : (uint32_t) (p[i + 3] << 8 | p[i + 2]);
                        if (lo >= 0xDC00 && lo <= 0xDFFF) {
                                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                i += 2;
                        } else
                                u = 0xFFFD;
                } else if (u >= 0xD800 && u <= 0xDFFF)
                        u = 0xFFFD;
                o += put_utf8(out + o, u);
        }
        *ret = out;
        *ret_size = o;
        return 0;
}

/* UTF-8 with stray bytes: valid sequences are kept, every other byte is Windows-1252. */
static int from_mixed(const unsigned char *p, size_t n, char **ret, size_t *ret_size) {
        size_t cap;
        if (!mul_size(n, 3, &cap) || !add_size(cap, 4, &cap))
                return -E2BIG;
        char *out = malloc(cap);
        if (!out)
                return -ENOMEM;
        size_t o = 0;
        for (size_t i = 0; i < n;) {
                size_t len = utf8_sequence(p + i, n - i);
                if (len) {
                        memcpy(out + o, p + i, len);
                        o += len;
                        i += len;
                        continue;
                }
                uint32_t cp = p[i] >= 0x80 && p[i] <= 0x9F ? cp1252_high[p[i] - 0x80] : p[i];
                o += put_utf8(out + o, cp);
                i++;
        }
        *ret = out;
        *ret_size = o;
        return 0;
}

int mefw_text_utf8(const char *text, size_t size, char **ret_buf, size_t *ret_size) {
        const unsigned char *p = (const unsigned char *) text;
        char *buf = NULL;
        size_t n = 0;
        int r = 0;
        int utf16 = 0;
        if (size >= 2 && p[0] == 0xFF && p[1] == 0xFE)
                utf16 = 1, p += 2, size -= 2;
        else if (size >= 2 && p[0] == 0xFE && p[1] == 0xFF)
                utf16 = 2, p += 2, size -= 2;
        else
                utf16 = sniff_utf16(p, size);
        if (utf16)
                r = from_utf16(p, size, utf16 == 2, &buf, &n);
        else {
                size_t i = 0;
                while (i < size) {
                        if (p[i] < 0x80) {
                                i++;
                                continue;
                        }
                        size_t len = utf8_sequence(p + i, size - i);
                        if (!len)
                                break;
                        i += len;
                }
                if (i == size) {
                        *ret_buf = NULL; /* already UTF-8: use it as it is */
                        *ret_size = size;
                        return 0;
                }
                r = from_mixed(p, size, &buf, &n);
        }
        if (r < 0)
                return r;
        *ret_buf = buf;
        *ret_size = n;
        return 1;
}
