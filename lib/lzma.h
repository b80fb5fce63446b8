/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded LZMA decompression for engine firmware modules (liblzma). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Hard ceilings regardless of what the caller asks for. */
#define MEFW_LZMA_MAX_OUTPUT (64u * 1024u * 1024u)
#define MEFW_LZMA_MEMLIMIT (128u * 1024u * 1024u)

/*
 * Decode a raw LZMA1 stream described by its 5-byte properties header followed by compressed
 * data (no size field: 'props' points at the 5 property bytes, 'data' at the compressed bytes).
 * Decoding stops when 'out_size' bytes have been produced (exactly that many are required,
 * unless 'allow_short' is set, then fewer is accepted if the stream ends cleanly),
 * out_size must be <= MEFW_LZMA_MAX_OUTPUT.
 * On success *ret_out is a malloc'd buffer of *ret_len bytes. Returns 0, -EBADMSG for a corrupt
 * stream, -E2BIG when out_size exceeds the ceiling, -ENOMEM.
 */
int mefw_lzma_decode_raw(const uint8_t props[5], const uint8_t *data, size_t data_len, size_t out_size,
                         int allow_short, uint8_t **ret_out, size_t *ret_len);

/*
 * Decode an "LZMA alone" stream (13-byte header: 5 property bytes + 64-bit little-endian
 * uncompressed size, which may be all 0xFF = unknown, then data). The ME 6-10 module quirk
 * (extra zero bytes after the header) must be undone by the caller before calling this.
 * max_out caps the output (<= MEFW_LZMA_MAX_OUTPUT). Same returns as above.
 */
int mefw_lzma_decode_alone(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **ret_out, size_t *ret_len);
