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
 * out_size must be <= MEFW_LZMA_MAX_OUTPUT. Exactly:
 *  - decoding stops as soon as out_size bytes have been produced: success, whatever follows
 *    (end marker, more data, padding) is not looked at;
 *  - the end-of-payload marker before out_size bytes: success with fewer bytes (possibly 0) if
 *    allow_short, else -EBADMSG;
 *  - the input runs out before out_size bytes and without an end marker: success with the
 *    bytes decoded so far if allow_short and at least one byte was produced, else -EBADMSG.
 *    (A stream written without end marker cannot be told from a truncated one; every byte
 *    returned is nevertheless exactly what the full stream decodes to at that position.)
 *  - invalid properties (lc/lp/pb byte >= 225, lc + lp > 4) or corrupt data: -EBADMSG.
 * The dictionary size in the properties is clamped to max(out_size, 4 KiB) (a match never
 * reaches further back than the output), so a huge value there is harmless and decoding
 * never allocates more than about out_size for the dictionary plus out_size for the output
 * (grown as bytes arrive). LZMA has no checksum: damaged data may decode to wrong bytes.
 * On success *ret_out is a malloc'd buffer of *ret_len bytes (never NULL, even for 0 bytes).
 * Returns 0, -EINVAL for NULL arguments, -EBADMSG as above, -E2BIG when out_size exceeds the
 * ceiling, -ENOMEM. Outputs are untouched on failure.
 */
int mefw_lzma_decode_raw(const uint8_t props[5], const uint8_t *data, size_t data_len, size_t out_size,
                         int allow_short, uint8_t **ret_out, size_t *ret_len);

/*
 * Decode an "LZMA alone" stream (13-byte header: 5 property bytes + 64-bit little-endian
 * uncompressed size, which may be all 0xFF = unknown, then data). The ME 6-10 module quirk
 * (extra zero bytes after the header) must be undone by the caller before calling this.
 * max_out caps the output (<= MEFW_LZMA_MAX_OUTPUT). Exactly:
 *  - fewer than 13 bytes, invalid properties, corrupt data: -EBADMSG;
 *  - a known size: the stream ends after that many bytes (an end marker right there is
 *    accepted); a known size above max_out is -E2BIG before anything is decoded; input that
 *    runs out first, or an end marker before that size, is -EBADMSG;
 *  - unknown size: the end marker is required; input that runs out first is -EBADMSG;
 *  - more than max_out bytes of output: -E2BIG (the output buffer never exceeds max_out + 1);
 *  - a dictionary size whose decoder would need more than MEFW_LZMA_MEMLIMIT: -E2BIG;
 *  - bytes after the end of the stream are ignored.
 * Returns 0, -EINVAL for NULL arguments, -EBADMSG, -E2BIG (also when max_out exceeds the
 * ceiling), -ENOMEM. On success as above; outputs untouched on failure.
 */
int mefw_lzma_decode_alone(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **ret_out, size_t *ret_len);
