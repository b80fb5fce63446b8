/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one bounds-checked reader every parser uses.
 *
 * A view is a window [data, data+size) into the mapped input, remembering the absolute file
 * offset of its first byte so that every message can name an offset in the file the user has.
 * Binary layouts are declared once with MEFW_LAYOUT(); the declaration generates the C struct
 * and a reader that checks the whole structure is inside the view before decoding any field.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

typedef struct {
        const uint8_t *data;
        size_t size;
        uint64_t base; /* absolute offset of data[0] in the analyzed file */
} mefw_view;

static inline mefw_view mefw_view_make(const uint8_t *data, size_t size, uint64_t base) {
        return (mefw_view){ .data = data, .size = size, .base = base };
}

static inline bool mefw_view_has(const mefw_view *v, size_t off, size_t len) {
        return off <= v->size && len <= v->size - off;
}

static inline uint64_t mefw_view_abs(const mefw_view *v, size_t off) {
        return v->base + off;
}

/* A sub-window; -ERANGE when it does not fit. */
static inline int mefw_view_sub(const mefw_view *v, size_t off, size_t len, mefw_view *ret) {
        if (!mefw_view_has(v, off, len))
                return -ERANGE;
        *ret = mefw_view_make(v->data + off, len, v->base + off);
        return 0;
}

/* The part of [off, off+len) that lies inside the view (possibly empty). */
static inline mefw_view mefw_view_clip(const mefw_view *v, size_t off, size_t len) {
        if (off > v->size)
                off = v->size;
        if (len > v->size - off)
                len = v->size - off;
        return mefw_view_make(v->data + off, len, v->base + off);
}

static inline uint16_t mefw_le16(const uint8_t *p) {
        return (uint16_t) (p[0] | (p[1] << 8));
}
static inline uint32_t mefw_le32(const uint8_t *p) {
        return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}
static inline uint64_t mefw_le64(const uint8_t *p) {
        return (uint64_t) mefw_le32(p) | ((uint64_t) mefw_le32(p + 4) << 32);
}
static inline uint32_t mefw_be32(const uint8_t *p) {
        return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

static inline int mefw_view_u8(const mefw_view *v, size_t off, uint8_t *ret) {
        if (!mefw_view_has(v, off, 1))
                return -ERANGE;
        *ret = v->data[off];
        return 0;
}
static inline int mefw_view_u16(const mefw_view *v, size_t off, uint16_t *ret) {
        if (!mefw_view_has(v, off, 2))
                return -ERANGE;
        *ret = mefw_le16(v->data + off);
        return 0;
}
static inline int mefw_view_u32(const mefw_view *v, size_t off, uint32_t *ret) {
        if (!mefw_view_has(v, off, 4))
                return -ERANGE;
        *ret = mefw_le32(v->data + off);
        return 0;
}
static inline int mefw_view_u64(const mefw_view *v, size_t off, uint64_t *ret) {
        if (!mefw_view_has(v, off, 8))
                return -ERANGE;
        *ret = mefw_le64(v->data + off);
        return 0;
}

/* True when the n bytes at off exist and all equal 'byte'. */
static inline bool mefw_view_all(const mefw_view *v, size_t off, size_t n, uint8_t byte) {
        if (!mefw_view_has(v, off, n))
                return false;
        const uint8_t *p = v->data + off;
        for (size_t i = 0; i < n; i++)
                if (p[i] != byte)
                        return false;
        return true;
}

/*
 * Offset of the first occurrence of needle at or after 'from', or -1. Linear: memchr (which
 * is vectorized) finds candidates for the first byte, memcmp confirms them. The needles used
 * here are short tags whose first byte is rare in firmware, which makes this several times
 * faster than memmem.
 */
static inline int64_t mefw_view_find(const mefw_view *v, size_t from, const void *needle, size_t n) {
        if (from >= v->size || n == 0 || n > v->size - from)
                return -1;
        const uint8_t *p = v->data + from, *end = v->data + v->size - n + 1;
        const uint8_t first = *(const uint8_t *) needle;
        while (p < end) {
                const uint8_t *hit = memchr(p, first, (size_t) (end - p));
                if (!hit)
                        return -1;
                if (memcmp(hit, needle, n) == 0)
                        return (int64_t) (hit - v->data);
                p = hit + 1;
        }
        return -1;
}

static inline bool mefw_view_tag(const mefw_view *v, size_t off, const char tag[4]) {
        return mefw_view_has(v, off, 4) && memcmp(v->data + off, tag, 4) == 0;
}

/* Render a 4..16-byte name field as printable text: stops at NUL, escapes the rest as hex. */
void mefw_printable_name(const uint8_t *p, size_t n, char *out, size_t out_len);

/*
 * Declared-once layouts. A layout list is a macro taking two macro arguments, F for integer
 * fields and A for byte arrays:
 *
 *   #define FPT_ENTRY(F, A) A(name, 4, 0x00) F(offset, u32, 0x08) ...
 *   MEFW_LAYOUT(fpt_entry, 0x20, FPT_ENTRY)
 *
 * gives 'struct fpt_entry', the constant fpt_entry_SIZE and
 * 'int fpt_entry_read(const mefw_view *v, size_t off, struct fpt_entry *ret)', which returns
 * -ERANGE unless all fpt_entry_SIZE bytes are inside the view. Field placement is checked at
 * compile time against the declared size.
 */
typedef uint8_t mefw_t_u8;
typedef uint16_t mefw_t_u16;
typedef uint32_t mefw_t_u32;
typedef uint64_t mefw_t_u64;
#define MEFW_RD_u8(p) ((uint8_t) (p)[0])
#define MEFW_RD_u16(p) mefw_le16(p)
#define MEFW_RD_u32(p) mefw_le32(p)
#define MEFW_RD_u64(p) mefw_le64(p)

#define MEFW_LF_DECL(name, type, off) mefw_t_##type name;
#define MEFW_LA_DECL(name, n, off) uint8_t name[n];
#define MEFW_LF_CHECK(name, type, off) \
        _Static_assert((off) + sizeof(mefw_t_##type) <= layout_size_, "field " #name " outside its layout");
#define MEFW_LA_CHECK(name, n, off) _Static_assert((off) + (n) <= layout_size_, "field " #name " outside its layout");
#define MEFW_LF_READ(name, type, off) out_.name = MEFW_RD_##type(p_ + (off));
#define MEFW_LA_READ(name, n, off) memcpy(out_.name, p_ + (off), (n));

#define MEFW_LAYOUT(lname, lsize, FIELDS)                                                            \
        struct lname {                                                                                \
                FIELDS(MEFW_LF_DECL, MEFW_LA_DECL)                                                   \
        };                                                                                            \
        enum { lname##_SIZE = (lsize) };                                                             \
        static inline _unused_ int lname##_read(const mefw_view *v, size_t off, struct lname *ret) { \
                enum { layout_size_ = (lsize) };                                                     \
                FIELDS(MEFW_LF_CHECK, MEFW_LA_CHECK)                                                 \
                if (!mefw_view_has(v, off, layout_size_))                                            \
                        return -ERANGE;                                                              \
                const uint8_t *p_ = v->data + off;                                                   \
                struct lname out_;                                                                   \
                FIELDS(MEFW_LF_READ, MEFW_LA_READ)                                                   \
                *ret = out_;                                                                         \
                return 0;                                                                            \
        }
