/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The line cleaner and the small text helpers every reader shares. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- Line cleaning ------------------------------------------------------------------------- */

/*
 * Make a line comparable: CR dropped; NUL, tab, NBSP and box-drawing horizontals become spaces;
 * the box verticals of ME Analyzer's tables ('│', '║') become '|'; smart quotes become plain
 * ones and '…' becomes "..."; runs of spaces collapse; spaces before ':' go; ends are trimmed.
 */
/*
 * A line pasted as Markdown code ("- `ManufacturingMode: Enabled`"): the list marker and the
 * backticks around the whole of it removed, in place. Text with code spans inside a sentence stays
 * as it is. Returns the new length.
 */
size_t diag_unquote_markdown(char *s, size_t n) {
        size_t start = 0;
        if (n > 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
                start = 2;
        if (n < start + 3 || s[start] != '`' || s[n - 1] != '`')
                return n;
        if (memchr(s + start + 1, '`', n - start - 2))
                return n; /* several spans: words and code mixed */
        size_t len = n - start - 2;
        memmove(s, s + start + 1, len);
        s[len] = 0;
        return len;
}

size_t diag_clean_line(const char *p, size_t n, char *out, size_t cap) {
        size_t o = 0;
        bool space = true; /* drops leading spaces */
        for (size_t i = 0; i < n && o + 4 < cap; i++) {
                unsigned char c = (unsigned char) p[i];
                const char *rep = NULL;
                if (c == 0xE2 && i + 2 < n) {
                        unsigned char c1 = (unsigned char) p[i + 1], c2 = (unsigned char) p[i + 2];
                        if (c1 == 0x94 && c2 == 0x82)
                                rep = "|"; /* U+2502 */
                        else if (c1 == 0x95 && c2 == 0x91)
                                rep = "|"; /* U+2551 */
                        else if (c1 == 0x94 || c1 == 0x95)
                                rep = " "; /* the rest of U+2500..U+257F */
                        else if (c1 == 0x80 && (c2 == 0x9C || c2 == 0x9D || c2 == 0x9E))
                                rep = "\"";
                        else if (c1 == 0x80 && (c2 == 0x98 || c2 == 0x99))
                                rep = "'";
                        else if (c1 == 0x80 && c2 == 0xA6)
                                rep = "...";
                        else if (c1 == 0x80 && (c2 == 0x93 || c2 == 0x94))
                                rep = "-";
                        if (rep)
                                i += 2;
                } else if (c == 0xC2 && i + 1 < n && (unsigned char) p[i + 1] == 0xA0) {
                        rep = " ";
                        i++;
                } else if (c == 0xEF && i + 2 < n && (unsigned char) p[i + 1] == 0xBB && (unsigned char) p[i + 2] == 0xBF) {
                        i += 2; /* byte order mark */
                        continue;
                } else if (c == '\r') {
                        continue;
                } else if (c == 0 || c == '\t' || c == '\f' || c == '\v') {
                        rep = " ";
                }
                char one[2] = { (char) c, 0 };
                if (!rep)
                        rep = one;
                for (const char *r = rep; *r && o + 1 < cap; r++) {
                        if (*r == ' ') {
                                if (space)
                                        continue;
                                space = true;
                        } else {
                                if (*r == ':' && o > 0 && out[o - 1] == ' ')
                                        o--;
                                space = false;
                        }
                        out[o++] = *r;
                }
        }
        while (o > 0 && out[o - 1] == ' ')
                o--;
        out[o] = 0;
        return o;
}

bool diag_all_digits(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char) *s) && *s != ' ')
                        return false;
        return true;
}

/* "12 Intel(R) MEInfo..." or "12: ..." pasted with line numbers: the text after them, or NULL. */
const char *diag_strip_line_number(const char *s) {
        size_t n = strspn(s, "0123456789");
        if (n == 0 || n > 5)
                return NULL;
        const char *t = s + n;
        if (*t == ':' || *t == '|' || *t == '.')
                t++;
        if (*t != ' ')
                return NULL;
        t++;
        return isalpha((unsigned char) *t) || *t == '[' || *t == '|' ? t : NULL;
}

const char *diag_ci_starts(const char *s, const char *prefix) {
        size_t n = strlen(prefix);
        return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* Up to four dotted numbers: "9.0.20.1447" (extra text after them is allowed). */
int diag_parse_version(const char *s, uint16_t v[4], const char **ret_end) {
        unsigned n = 0;
        const char *p = s;
        while (n < 4) {
                if (!isdigit((unsigned char) *p))
                        break;
                unsigned long x = 0;
                size_t digits = 0;
                while (isdigit((unsigned char) *p) && digits < 6) {
                        x = x * 10 + (unsigned) (*p - '0');
                        p++;
                        digits++;
                }
                if (isdigit((unsigned char) *p) || x > 65535)
                        return 0;
                v[n++] = (uint16_t) x;
                if (*p != '.' || !isdigit((unsigned char) p[1]))
                        break;
                p++;
        }
        if (ret_end)
                *ret_end = p;
        return (int) n;
}

bool diag_has_suffix_ci(const char *s, size_t n, const char *suffix) {
        size_t k = strlen(suffix);
        return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

bool diag_has_word(const char *lower, const char *word) {
        size_t n = strlen(word);
        for (const char *p = strstr(lower, word); p; p = strstr(p + 1, word)) {
                bool left = p == lower || !isalnum((unsigned char) p[-1]);
                bool right = !isalnum((unsigned char) p[n]) || (word[n - 1] == 'n' && isdigit((unsigned char) p[n]));
                if (left && right)
                        return true;
        }
        return false;
}

void diag_copy_str(char *dst, size_t cap, const char *src, size_t n) {
        if (n >= cap)
                n = cap - 1;
        memcpy(dst, src, n);
        dst[n] = 0;
}

void diag_copy_cstr(char *dst, size_t cap, const char *src) {
        diag_copy_str(dst, cap, src, strlen(src));
}

/*
 * A sentence of the person rather than a line a tool printed: it speaks in the first person
 * ("I", "my", "we"), asks, or reads like running English (several function words). Tool output
 * is short labelled lines, "Error N: ..." messages and tables.
 */
static bool in_list(const char *w, size_t n, const char *const *list, size_t count) {
        for (size_t i = 0; i < count; i++)
                if (list[i][0] == w[0] && strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
                        return true;
        return false;
}

bool diag_looks_like_prose(const char *line) {
        static const char *const first_person[] = { "i", "i'm", "i've", "i'd", "i'll", "my", "we", "we've", "our", "me" };
        static const char *const function_words[] = { "the", "and", "but", "so", "it", "that", "this", "was", "is", "to",
                                                       "of", "with", "have", "had", "after", "when", "then", "also",
                                                       "because", "anyone", "please", "any", "can", "could", "would" };
        size_t words = 0, fp = 0, fw = 0;
        const char *s = line;
        if (diag_ci_starts(s, "error") || diag_ci_starts(s, "warning:") || diag_ci_starts(s, "info:"))
                return false;
        size_t len = strlen(line);
        bool asks = len > 0 && line[len - 1] == '?';
        while (*s) {
                while (*s && !isalnum((unsigned char) *s) && *s != '\'' && *s != '_')
                        s++;
                if (!*s)
                        break;
                char w[8];
                size_t n = 0;
                bool upper_me = s[0] == 'M' && (s[1] == 'E' || s[1] == 'e');
                while (*s && (isalnum((unsigned char) *s) || *s == '\'' || *s == '_')) { /* "mei_me" is one word */
                        if (n < sizeof w)
                                w[n] = (char) tolower((unsigned char) *s);
                        n++;
                        s++;
                }
                words++;
                if (n > 7)
                        continue; /* none of the listed words is this long */
                /* "ME" is the engine, not the person; "me" in lowercase is */
                if (in_list(w, n, first_person, ELEMENTSOF(first_person)) && !(upper_me && n == 2))
                        fp++;
                else if (in_list(w, n, function_words, ELEMENTSOF(function_words)))
                        fw++;
                if ((fp > 0 && words >= 4) || (words >= 8 && fw >= 3) || (asks && words >= 4))
                        return true; /* settled: no need to read on */
        }
        return (fp > 0 && words >= 4) || (asks && words >= 4) || (words >= 8 && fw >= 3);
}
