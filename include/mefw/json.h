/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small streaming JSON writer. It only emits: the output is built in a growable buffer the
 * caller owns. Commas, indentation and string escaping are handled here so that callers
 * cannot produce invalid JSON: invalid UTF-8 in strings is replaced by U+FFFD, control
 * characters are escaped, and nesting is capped at MEFW_JSON_MAX_DEPTH.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEFW_JSON_MAX_DEPTH 32

typedef struct {
        char *data;      /* NUL-terminated output (may be NULL before the first write) */
        size_t len;
        size_t cap;
        bool failed;     /* an allocation failed or the calls were misnested; output is unusable */
        bool pretty;     /* indent with two spaces per level and a newline per member */
        unsigned depth;
        bool need_comma[MEFW_JSON_MAX_DEPTH + 1];
        bool after_key;  /* a key was written and its value is pending */
        bool in_object[MEFW_JSON_MAX_DEPTH + 1];
} mefw_json;

void mefw_json_init(mefw_json *j, bool pretty);
void mefw_json_free(mefw_json *j);

void mefw_json_begin_object(mefw_json *j);
void mefw_json_end_object(mefw_json *j);
void mefw_json_begin_array(mefw_json *j);
void mefw_json_end_array(mefw_json *j);
void mefw_json_key(mefw_json *j, const char *key);

void mefw_json_string(mefw_json *j, const char *s);                /* NULL -> null */
void mefw_json_string_len(mefw_json *j, const char *s, size_t n);
void mefw_json_int(mefw_json *j, int64_t v);
void mefw_json_uint(mefw_json *j, uint64_t v);
void mefw_json_bool(mefw_json *j, bool v);
void mefw_json_null(mefw_json *j);

/* Convenience: key followed by a value. */
void mefw_json_kv_string(mefw_json *j, const char *key, const char *s);
void mefw_json_kv_int(mefw_json *j, const char *key, int64_t v);
void mefw_json_kv_uint(mefw_json *j, const char *key, uint64_t v);
void mefw_json_kv_bool(mefw_json *j, const char *key, bool v);
void mefw_json_kv_null(mefw_json *j, const char *key);

/* True when the document is complete (all containers closed) and no error occurred. */
bool mefw_json_ok(const mefw_json *j);
