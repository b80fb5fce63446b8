/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "util.h"

extern const char mefw_data_intel_keys[];
extern const size_t mefw_data_intel_keys_len;

static int hexval(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static bool parse_hash(const char *s, size_t n, uint8_t out[32]) {
        if (n != 64)
                return false;
        for (size_t i = 0; i < 32; i++) {
                int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
                if (hi < 0 || lo < 0)
                        return false;
                out[i] = (uint8_t) (hi << 4 | lo);
        }
        return true;
}

/* Split one line into at most 'max' tab-separated fields; returns the number of fields. */
static size_t split_tabs(const char *line, size_t len, const char **f, size_t *fl, size_t max) {
        size_t n = 0, start = 0;
        for (size_t i = 0; i <= len && n < max; i++)
                if (i == len || line[i] == '\t') {
                        f[n] = line + start;
                        fl[n] = i - start;
                        n++;
                        start = i + 1;
                }
        return n;
}

static void copy_field(char *dst, size_t cap, const char *src, size_t n) {
        if (n >= cap)
                n = cap - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
}

size_t mefw_keys_parse(const char *text, size_t len, mefw_key_info *keys, size_t max, size_t *ret_bad) {
        size_t n = 0, bad = 0, pos = 0;
        while (pos < len) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t end = nl ? (size_t) (nl - text) : len;
                const char *line = text + pos;
                size_t ll = end - pos;
                pos = end + 1;
                if (ll > 0 && line[ll - 1] == '\r')
                        ll--;
                if (ll == 0 || line[0] == '#')
                        continue;

                const char *f[4];
                size_t fl[4];
                mefw_key_info k = {};
                if (split_tabs(line, ll, f, fl, 4) != 4 || !parse_hash(f[3], fl[3], k.hash) ||
                    !((fl[2] == 3 && memcmp(f[2], "PRD", 3) == 0) || (fl[2] == 3 && memcmp(f[2], "PRE", 3) == 0))) {
                        bad++;
                        continue;
                }
                if (n >= max) {
                        bad++;
                        continue;
                }
                copy_field(k.family, sizeof k.family, f[0], fl[0]);
                copy_field(k.signs, sizeof k.signs, f[1], fl[1]);
                k.production = memcmp(f[2], "PRD", 3) == 0;
                snprintf(k.name, sizeof k.name, "%s %s %s", k.family, k.signs,
                         k.production ? "production" : "pre-production");
                keys[n++] = k;
        }
        if (ret_bad)
                *ret_bad = bad;
        return n;
}

static mefw_key_info builtin_keys[MEFW_KEYS_MAX];
static size_t builtin_keys_n;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void load_builtin(void) {
        builtin_keys_n = mefw_keys_parse(mefw_data_intel_keys, mefw_data_intel_keys_len, builtin_keys,
                                         ELEMENTSOF(builtin_keys), NULL);
}

const mefw_key_info *mefw_db_find_key(const uint8_t sha256[32]) {
        pthread_once(&builtin_once, load_builtin);
        for (size_t i = 0; i < builtin_keys_n; i++)
                if (memcmp(builtin_keys[i].hash, sha256, 32) == 0)
                        return &builtin_keys[i];
        return NULL;
}
