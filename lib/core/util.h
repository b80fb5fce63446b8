/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by the library: scope cleanup, checked arithmetic, min/max. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p)                          \
        ({                                   \
                __typeof__(p) _taken_ = (p); \
                (p) = NULL;                  \
                _taken_;                     \
        })

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Checked arithmetic: true on success, false on overflow (result untouched then). */
static inline bool add_size(size_t a, size_t b, size_t *ret) {
        size_t r;
        if (__builtin_add_overflow(a, b, &r))
                return false;
        *ret = r;
        return true;
}

static inline bool mul_size(size_t a, size_t b, size_t *ret) {
        size_t r;
        if (__builtin_mul_overflow(a, b, &r))
                return false;
        *ret = r;
        return true;
}

static inline bool add_u64(uint64_t a, uint64_t b, uint64_t *ret) {
        uint64_t r;
        if (__builtin_add_overflow(a, b, &r))
                return false;
        *ret = r;
        return true;
}

static inline uint64_t align_up_u64(uint64_t v, uint64_t a) {
        /* a is a power of two; saturates instead of wrapping */
        if (v > UINT64_MAX - (a - 1))
                return UINT64_MAX & ~(a - 1);
        return (v + a - 1) & ~(a - 1);
}

/*
 * Append one element of size sz to an array of *n elements. The capacity is implied by the
 * count (the next power of two, at least 8), so callers keep no extra state and growth is
 * amortized O(1).
 */
static inline int append_elem(void **arr, size_t *n, size_t sz, const void *elem) {
        if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
                size_t ncap = *n ? *n * 2 : 8, bytes;
                if (!mul_size(ncap, sz, &bytes))
                        return -ENOMEM;
                void *np = realloc(*arr, bytes);
                if (!np)
                        return -ENOMEM;
                *arr = np;
        }
        memcpy((char *) *arr + *n * sz, elem, sz);
        (*n)++;
        return 0;
}

/* Grow an array of n elements of size sz so that it holds at least need elements. */
static inline int grow_array(void **p, size_t *cap, size_t need, size_t sz) {
        if (need <= *cap)
                return 0;
        size_t ncap = *cap ? *cap : 8;
        while (ncap < need)
                if (!mul_size(ncap, 2, &ncap))
                        return -ENOMEM;
        size_t bytes;
        if (!mul_size(ncap, sz, &bytes))
                return -ENOMEM;
        void *np = realloc(*p, bytes);
        if (!np)
                return -ENOMEM;
        *p = np;
        *cap = ncap;
        return 0;
}
