/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ground floor of libmefw, shared by every room above it: the messages a parser collects
 * instead of printing, memory-mapped inputs, the safe file writer and version text. Nothing
 * here knows about firmware formats. Conventions as in mefw.h.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
        MEFW_NOTE = 0,
        MEFW_WARNING = 1,
        MEFW_ERROR = 2,
} mefw_severity;

const char *mefw_severity_name(mefw_severity s);

/* One thing the analyzer has to say, tied to an absolute offset in the input (or -1). */
typedef struct {
        mefw_severity severity;
        const char *code; /* stable, machine-readable identifier (static string) */
        int64_t offset;   /* absolute byte offset in the analyzed file, -1 when not tied to one */
        char *text;       /* human-readable sentence */
} mefw_message;

/* Messages are capped so that hostile input cannot make the list grow without bound. */
#define MEFW_MESSAGES_MAX 256

typedef struct {
        mefw_message *items;
        size_t count;
        size_t capacity;
        size_t dropped; /* messages not stored because the cap was reached */
} mefw_messages;

/* Add a message: 1 when stored, 0 when not (the cap is reached: counted in 'dropped'; or the very
 * same message about the same offset is already there), -ENOMEM. */
int mefw_messages_add(mefw_messages *m, mefw_severity severity, const char *code, int64_t offset,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void mefw_messages_clear(mefw_messages *m);
/* Drop every message with this code (for results that are recomputed). */
void mefw_messages_remove_code(mefw_messages *m, const char *code);
mefw_severity mefw_messages_worst(const mefw_messages *m, bool *ret_any);

/* An optional unsigned value: JSON null when !set. */
typedef struct {
        bool set;
        uint32_t value;
} mefw_opt_u32;

/* The "messages" key and its array, as every --json output writes it. */
void mefw_messages_write_json(mefw_json *j, const mefw_messages *msgs);

/* Read-only memory mapping of an input file (the CLI and the analyzer share it). */
typedef struct {
        const uint8_t *data; /* NULL for an empty file */
        size_t size;
        void *map;
        size_t map_size;
} mefw_mapped_file;

/* 0, or -errno: -EISDIR for directories, -EFBIG above 1 GiB (no SPI flash is that large),
 * -EINVAL for something that is not a regular file. */
int mefw_map_file(const char *path, mefw_mapped_file *ret);
void mefw_unmap_file(mefw_mapped_file *f);

/*
 * Text in the encodings people save logs in, as UTF-8: UTF-16LE/BE (with a byte order mark, or
 * recognized by its zero bytes), and UTF-8 with stray Windows-1252 ("ANSI") bytes. Returns 0
 * with *ret_buf NULL when the text is UTF-8 already (use it as it is), 1 with *ret_buf a new
 * UTF-8 copy (free()) of *ret_size bytes, or -errno. Line breaks are kept, so line numbers agree.
 */
int mefw_text_utf8(const char *text, size_t size, char **ret_buf, size_t *ret_size);

/* "9.0.31.1487" into buf; returns buf. */
char *mefw_format_version(const uint16_t v[4], char *buf, size_t len);

/*
 * Whether addr lies inside a live mapping of mefw_map_file, and which (async-signal-safe). A
 * file that shrinks while it is mapped makes a read of its lost pages raise SIGBUS; a program
 * that wants to survive that installs a handler that asks this, and leaves the input (see the
 * CLI's guard). mefw_mapping_release unmaps such an abandoned mapping.
 */
bool mefw_mapping_contains(const void *addr, const void **ret_start, size_t *ret_size);
void mefw_mapping_release(const void *start, size_t size);

/*
 * Write a file the safe way: a temporary file next to 'path' (unnamed where the filesystem
 * allows: O_TMPFILE), written in full, fsync'd, read back and compared byte for byte (-EIO on a
 * difference), handed to verify() (when given) as read back, and only then renamed over 'path';
 * then the directory is synced. On any failure 'path' is untouched and no temporary file is
 * left. Also:
 *  - a symlink is written through: its final target is replaced, the link stays; a link that
 *    points nowhere is -ENOLINK;
 *  - a device, FIFO or socket is never replaced (-ENOTSUP), nor a directory (-EISDIR);
 *  - an existing file keeps its mode and owner (the owner where the caller may set it);
 *  - SIGINT, SIGTERM, SIGHUP and SIGQUIT are held while the temporary file exists; one that
 *    arrives makes the write give up (-EINTR, nothing written) and is delivered when this returns.
 * verify returns 0 or -errno.
 */
/* Bytes this process has hashed and LZMA-decompressed so far (all threads): the work behind the
 * answers, as 'analyze --stats' and the benchmark report it. */
uint64_t mefw_work_hashed(void);
uint64_t mefw_work_decompressed(void);

int mefw_write_file_atomic(const char *path, const uint8_t *data, size_t size,
                           int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata);

/*
 * The same safe write of one file 'name' (a single path component) in the directory dirfd, for
 * writers of many files into a folder of their own: a symlink there is never followed (-ELOOP),
 * a device or directory never replaced; an existing regular file is replaced only with 'replace'
 * (else -EEXIST), and a new name is created only if still free when the file is in place.
 */
int mefw_write_file_at(int dirfd, const char *name, const uint8_t *data, size_t size, bool replace,
                       int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata);

#ifdef __cplusplus
}
#endif
