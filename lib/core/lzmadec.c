/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded LZMA decompression for engine firmware modules (liblzma). */

#include <lzma.h>

#include "lzmadec.h"
#include "util.h"
#include "mefw/core.h"

/* What the process decompressed, for 'analyze --stats' and the benchmark. */
static uint64_t work_decompressed;

uint64_t mefw_work_decompressed(void) {
        return __atomic_load_n(&work_decompressed, __ATOMIC_RELAXED);
}

/* First output allocation; the buffer then doubles up to the caller's cap. */
#define LZMA_OUT_INITIAL (64u * 1024u)
#define LZMA_ALONE_HEADER_SIZE 13

typedef enum {
        DECODE_STREAM_END, /* the stream ended (end marker or declared size reached) */
        DECODE_FULL,       /* the output reached the cap, the decoder may have more */
        DECODE_STARVED,    /* all input consumed, the decoder wants more */
} decode_end;

static void lzma_endp(lzma_stream *strm) {
        lzma_end(strm);
}

static int errno_from_lzma(lzma_ret r) {
        switch (r) {
        case LZMA_MEM_ERROR:
                return -ENOMEM;
        case LZMA_MEMLIMIT_ERROR:
                return -E2BIG;
        case LZMA_FORMAT_ERROR:
        case LZMA_OPTIONS_ERROR:
        case LZMA_DATA_ERROR:
        case LZMA_BUF_ERROR:
        case LZMA_UNSUPPORTED_CHECK:
                return -EBADMSG;
        default:
                return -EINVAL;
        }
}

/*
 * Run an initialized decoder over all of in[0..in_len) into a buffer that grows up to cap bytes.
 * On success returns 0 with the buffer (never NULL, possibly 0 bytes), its length and how
 * decoding stopped; on a decoder error returns -errno and frees everything.
 */
static int run_decoder(lzma_stream *strm, const uint8_t *in, size_t in_len, size_t cap, uint8_t **ret_buf,
                       size_t *ret_len, decode_end *ret_end) {
        _cleanup_free_ uint8_t *buf = NULL;
        size_t alloc = 0, produced = 0;
        decode_end end;

        strm->next_in = in;
        strm->avail_in = in_len;

        for (;;) {
                lzma_ret lr;

                if (produced == alloc) {
                        size_t nalloc;
                        uint8_t *nbuf;

                        if (alloc >= cap) {
                                end = DECODE_FULL;
                                break;
                        }
                        if (alloc == 0)
                                nalloc = MIN(cap, (size_t) LZMA_OUT_INITIAL);
                        else if (!mul_size(alloc, 2, &nalloc) || nalloc > cap)
                                nalloc = cap;

                        nbuf = realloc(buf, nalloc);
                        if (!nbuf)
                                return -ENOMEM;
                        buf = nbuf;
                        alloc = nalloc;
                }

                strm->next_out = buf + produced;
                strm->avail_out = alloc - produced;

                lr = lzma_code(strm, LZMA_FINISH);
                produced = alloc - strm->avail_out;

                if (lr == LZMA_STREAM_END) {
                        end = DECODE_STREAM_END;
                        break;
                }
                if (lr == LZMA_BUF_ERROR && strm->avail_out > 0) {
                        /* No progress possible with the output space left: input ran out. */
                        end = DECODE_STARVED;
                        break;
                }
                if (lr != LZMA_OK)
                        return errno_from_lzma(lr);
        }

        if (produced == 0) {
                free(buf);
                buf = malloc(1);
                if (!buf)
                        return -ENOMEM;
        } else if (produced < alloc) {
                uint8_t *nbuf = realloc(buf, produced);
                if (nbuf)
                        buf = nbuf;
        }

        *ret_buf = TAKE_PTR(buf);
        *ret_len = produced;
        *ret_end = end;
        return 0;
}

int mefw_lzma_decode_raw(const uint8_t props[5], const uint8_t *data, size_t data_len, size_t out_size,
                         int allow_short, uint8_t **ret_out, size_t *ret_len) {
        _cleanup_(lzma_endp) lzma_stream strm = LZMA_STREAM_INIT;
        _cleanup_free_ lzma_options_lzma *opts = NULL;
        _cleanup_free_ uint8_t *out = NULL;
        lzma_filter filters[2] = {
                { .id = LZMA_FILTER_LZMA1, .options = NULL },
                { .id = LZMA_VLI_UNKNOWN, .options = NULL },
        };
        decode_end end;
        uint64_t memusage;
        size_t len;
        lzma_ret lr;
        int r;

        if (!props || !ret_out || !ret_len || (!data && data_len > 0))
                return -EINVAL;
        if (out_size > MEFW_LZMA_MAX_OUTPUT)
                return -E2BIG;

        lr = lzma_properties_decode(&filters[0], NULL, props, 5);
        if (lr != LZMA_OK)
                return lr == LZMA_MEM_ERROR ? -ENOMEM : -EBADMSG;
        opts = filters[0].options;

        /*
         * A match can never reach further back than the bytes produced so far, and we stop after
         * out_size bytes: a larger dictionary than that is never used, so do not allocate it.
         */
        if (opts->dict_size > out_size)
                opts->dict_size = (uint32_t) MAX(out_size, (size_t) LZMA_DICT_SIZE_MIN);

        memusage = lzma_raw_decoder_memusage(filters);
        if (memusage == UINT64_MAX)
                return -EBADMSG;
        if (memusage > MEFW_LZMA_MEMLIMIT)
                return -E2BIG;

        lr = lzma_raw_decoder(&strm, filters);
        if (lr != LZMA_OK)
                return errno_from_lzma(lr);

        r = run_decoder(&strm, data, data_len, out_size, &out, &len, &end);
        if (r < 0)
                return r;

        switch (end) {
        case DECODE_FULL:
                break;
        case DECODE_STREAM_END:
                if (len < out_size && !allow_short)
                        return -EBADMSG;
                break;
        case DECODE_STARVED:
                if (!allow_short || len == 0)
                        return -EBADMSG;
                break;
        }

        __atomic_add_fetch(&work_decompressed, (uint64_t) len, __ATOMIC_RELAXED);
        *ret_out = TAKE_PTR(out);
        *ret_len = len;
        return 0;
}

int mefw_lzma_decode_alone(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **ret_out, size_t *ret_len) {
        _cleanup_(lzma_endp) lzma_stream strm = LZMA_STREAM_INIT;
        _cleanup_free_ uint8_t *out = NULL;
        uint64_t declared = 0;
        decode_end end;
        size_t len;
        lzma_ret lr;
        int r;

        if (!ret_out || !ret_len || (!in && in_len > 0))
                return -EINVAL;
        if (max_out > MEFW_LZMA_MAX_OUTPUT)
                return -E2BIG;
        if (in_len < LZMA_ALONE_HEADER_SIZE)
                return -EBADMSG;

        for (size_t i = 0; i < 8; i++)
                declared |= (uint64_t) in[5 + i] << (8 * i);
        if (declared != UINT64_MAX && declared > max_out)
                return -E2BIG;

        /*
         * A match never reaches further back than the output produced so far, so a dictionary
         * larger than max_out is never needed: cap it (to a power of two) so that hostile
         * properties cannot make liblzma allocate more than the output limit requires.
         */
        _cleanup_free_ uint8_t *patched = NULL;
        uint32_t dict = (uint32_t) in[1] | (uint32_t) in[2] << 8 | (uint32_t) in[3] << 16 | (uint32_t) in[4] << 24;
        uint32_t cap = 4096;
        while (cap < max_out && cap < (1u << 31))
                cap <<= 1;
        if (dict > cap) {
                patched = malloc(in_len);
                if (!patched)
                        return -ENOMEM;
                memcpy(patched, in, in_len);
                for (size_t i = 0; i < 4; i++)
                        patched[1 + i] = (uint8_t) (cap >> (8 * i));
                in = patched;
        }

        lr = lzma_alone_decoder(&strm, MEFW_LZMA_MEMLIMIT);
        if (lr != LZMA_OK)
                return errno_from_lzma(lr);

        /* One byte of room beyond max_out tells "exactly max_out" from "more than max_out". */
        r = run_decoder(&strm, in, in_len, max_out + 1, &out, &len, &end);
        if (r < 0)
                return r;

        /* The end marker may be decoded in the same call as the byte that filled the buffer. */
        if (len > max_out)
                return -E2BIG;
        switch (end) {
        case DECODE_FULL: /* max_out + 1 bytes and the stream goes on */
                return -E2BIG;
        case DECODE_STARVED:
                return -EBADMSG;
        case DECODE_STREAM_END:
                break;
        }

        __atomic_add_fetch(&work_decompressed, (uint64_t) len, __ATOMIC_RELAXED);
        *ret_out = TAKE_PTR(out);
        *ret_len = len;
        return 0;
}
