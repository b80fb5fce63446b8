/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bounded LZMA decoding: data compressed at test time with liblzma, then damaged. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <lzma.h>

#include "core/lzmadec.h"

#define DATA_LEN (300u * 1024u) /* bigger than the decoder's first output allocation */

static uint8_t *plain;
static size_t plain_len;

/* Compressible but not trivial: words from a small vocabulary, and some noise. */
static void make_plain(void) {
        static const char *const words[] = { "manifest ", "partition ", "module ", "$MN2", "\x00\x00\x00\x00",
                                             "FTPR ",     "NFTP ",      "kernel ", "\xff\xff", "rbe " };
        uint32_t x = 0x12345678;
        size_t len = 0;

        plain = malloc(DATA_LEN);
        assert_non_null(plain);
        while (len < DATA_LEN) {
                x = x * 1103515245u + 12345u;
                if ((x >> 28) == 0) {
                        plain[len++] = (uint8_t) (x >> 16);
                        continue;
                }
                const char *w = words[(x >> 16) % 10];
                size_t wl = (x >> 16) % 10 == 4 ? 4 : (x >> 16) % 10 == 8 ? 2 : strlen(w);
                for (size_t i = 0; i < wl && len < DATA_LEN; i++)
                        plain[len++] = (uint8_t) w[i];
        }
        plain_len = len;
}

static void run_encoder(lzma_stream *strm, const uint8_t *in, size_t in_len, uint8_t **ret, size_t *ret_len) {
        size_t cap = in_len + in_len / 2 + 4096;
        uint8_t *out = malloc(cap);
        lzma_ret lr;

        assert_non_null(out);
        strm->next_in = in;
        strm->avail_in = in_len;
        strm->next_out = out;
        strm->avail_out = cap;
        do
                lr = lzma_code(strm, LZMA_FINISH);
        while (lr == LZMA_OK);
        assert_int_equal(lr, LZMA_STREAM_END);
        *ret = out;
        *ret_len = cap - strm->avail_out;
        lzma_end(strm);
}

/* .lzma ("alone") with an unknown size (all FF) and an end marker, as liblzma writes it. */
static void compress_alone(const uint8_t *in, size_t in_len, uint32_t dict, uint8_t **ret, size_t *ret_len) {
        lzma_stream strm = LZMA_STREAM_INIT;
        lzma_options_lzma opt;

        assert_false(lzma_lzma_preset(&opt, 6));
        opt.dict_size = dict;
        assert_int_equal(lzma_alone_encoder(&strm, &opt), LZMA_OK);
        run_encoder(&strm, in, in_len, ret, ret_len);
        assert_true(*ret_len >= 13);
}

static void set_alone_size(uint8_t *stream, uint64_t size) {
        for (size_t i = 0; i < 8; i++)
                stream[5 + i] = (uint8_t) (size >> (8 * i));
}

static void set_dict(uint8_t *props, uint32_t dict) {
        for (size_t i = 0; i < 4; i++)
                props[1 + i] = (uint8_t) (dict >> (8 * i));
}

/* Raw LZMA1: 5 property bytes, then the range-coded data, with or without the end marker. */
static void compress_raw(const uint8_t *in, size_t in_len, bool eopm, uint8_t props[5], uint8_t **ret,
                         size_t *ret_len) {
        lzma_stream strm = LZMA_STREAM_INIT;
        lzma_options_lzma opt;
        lzma_filter filters[2] = {
                { .id = eopm ? LZMA_FILTER_LZMA1 : LZMA_FILTER_LZMA1EXT, .options = &opt },
                { .id = LZMA_VLI_UNKNOWN, .options = NULL },
        };
        lzma_filter pf = { .id = LZMA_FILTER_LZMA1, .options = &opt };

        assert_false(lzma_lzma_preset(&opt, 6));
        opt.dict_size = 1u << 20;
        opt.ext_flags = 0; /* LZMA1EXT: no end marker */
        assert_int_equal(lzma_properties_encode(&pf, props), LZMA_OK);
        assert_int_equal(lzma_raw_encoder(&strm, filters), LZMA_OK);
        run_encoder(&strm, in, in_len, ret, ret_len);
}

#define SENTINEL ((uint8_t *) (uintptr_t) 0x1234)

static int decode_raw(const uint8_t props[5], const uint8_t *data, size_t data_len, size_t out_size, int allow_short,
                      uint8_t **out, size_t *len) {
        int r;

        *out = SENTINEL;
        *len = 4242;
        r = mefw_lzma_decode_raw(props, data, data_len, out_size, allow_short, out, len);
        if (r < 0) {
                /* outputs untouched on failure */
                assert_ptr_equal(*out, SENTINEL);
                assert_int_equal(*len, 4242);
                *out = NULL;
        } else
                assert_non_null(*out);
        return r;
}

static int decode_alone(const uint8_t *in, size_t in_len, size_t max_out, uint8_t **out, size_t *len) {
        int r;

        *out = SENTINEL;
        *len = 4242;
        r = mefw_lzma_decode_alone(in, in_len, max_out, out, len);
        if (r < 0) {
                assert_ptr_equal(*out, SENTINEL);
                assert_int_equal(*len, 4242);
                *out = NULL;
        } else
                assert_non_null(*out);
        return r;
}

/* ---- raw ---- */

static void test_raw_roundtrip(void **state) {
        for (int eopm = 0; eopm <= 1; eopm++) {
                uint8_t props[5], *z, *out;
                size_t zlen, len;

                compress_raw(plain, plain_len, eopm, props, &z, &zlen);
                assert_true(zlen < plain_len);

                for (int allow_short = 0; allow_short <= 1; allow_short++) {
                        assert_int_equal(decode_raw(props, z, zlen, plain_len, allow_short, &out, &len), 0);
                        assert_int_equal(len, plain_len);
                        assert_memory_equal(out, plain, plain_len);
                        free(out);
                }

                /* a smaller out_size stops early with exactly that many bytes */
                assert_int_equal(decode_raw(props, z, zlen, 1000, 0, &out, &len), 0);
                assert_int_equal(len, 1000);
                assert_memory_equal(out, plain, 1000);
                free(out);

                /* out_size 0: nothing to produce, still a valid buffer */
                assert_int_equal(decode_raw(props, z, zlen, 0, 0, &out, &len), 0);
                assert_int_equal(len, 0);
                free(out);

                /* trailing bytes after the stream are ignored once out_size bytes are out */
                uint8_t *padded = malloc(zlen + 64);
                assert_non_null(padded);
                memcpy(padded, z, zlen);
                memset(padded + zlen, 0xFF, 64);
                assert_int_equal(decode_raw(props, padded, zlen + 64, plain_len, 0, &out, &len), 0);
                assert_int_equal(len, plain_len);
                assert_memory_equal(out, plain, plain_len);
                free(out);
                free(padded);
                free(z);
        }
}

static void test_raw_out_size_too_large_for_stream(void **state) {
        for (int eopm = 0; eopm <= 1; eopm++) {
                uint8_t props[5], *z, *out;
                size_t zlen, len;

                compress_raw(plain, plain_len, eopm, props, &z, &zlen);

                /* the stream ends (marker or input exhausted) before out_size: short */
                assert_int_equal(decode_raw(props, z, zlen, plain_len + 100, 0, &out, &len), -EBADMSG);
                assert_int_equal(decode_raw(props, z, zlen, plain_len + 1, 0, &out, &len), -EBADMSG);

                /* allowed with allow_short: the whole stream comes out */
                assert_int_equal(decode_raw(props, z, zlen, plain_len + 100, 1, &out, &len), 0);
                assert_int_equal(len, plain_len);
                assert_memory_equal(out, plain, plain_len);
                free(out);
                free(z);
        }
}

static void test_raw_truncated(void **state) {
        for (int eopm = 0; eopm <= 1; eopm++) {
                uint8_t props[5], *z, *out;
                size_t zlen, len;

                compress_raw(plain, plain_len, eopm, props, &z, &zlen);

                /* not even the 5 range-coder init bytes: nothing decodes */
                for (size_t cut = 0; cut < 5; cut++) {
                        assert_int_equal(decode_raw(props, z, cut, plain_len, 0, &out, &len), -EBADMSG);
                        assert_int_equal(decode_raw(props, z, cut, plain_len, 1, &out, &len), -EBADMSG);
                }

                const size_t cuts[] = { 5, 6, 100, zlen / 2, zlen - 20 };
                for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
                        assert_int_equal(decode_raw(props, z, cuts[i], plain_len, 0, &out, &len), -EBADMSG);

                        /* allow_short: what was decoded is a correct prefix */
                        assert_int_equal(decode_raw(props, z, cuts[i], plain_len, 1, &out, &len), 0);
                        assert_true(len > 0);
                        assert_true(len < plain_len);
                        assert_memory_equal(out, plain, len);
                        free(out);
                }

                /*
                 * The last byte missing damages only the end marker: out_size is reached first.
                 * (Without a marker the last flushed range-coder bytes may not be needed either.)
                 */
                if (eopm) {
                        assert_int_equal(decode_raw(props, z, zlen - 1, plain_len, 0, &out, &len), 0);
                        assert_int_equal(len, plain_len);
                        assert_memory_equal(out, plain, plain_len);
                        free(out);
                }
                free(z);
        }
}

static void test_raw_out_size_ceiling(void **state) {
        uint8_t props[5], *z, *out;
        size_t zlen, len;

        compress_raw(plain, plain_len, true, props, &z, &zlen);
        assert_int_equal(decode_raw(props, z, zlen, MEFW_LZMA_MAX_OUTPUT + 1, 0, &out, &len), -E2BIG);
        assert_int_equal(decode_raw(props, z, zlen, SIZE_MAX, 1, &out, &len), -E2BIG);
        /* the ceiling itself is allowed (the stream is shorter: fine with allow_short) */
        assert_int_equal(decode_raw(props, z, zlen, MEFW_LZMA_MAX_OUTPUT, 1, &out, &len), 0);
        assert_int_equal(len, plain_len);
        free(out);
        free(z);
}

static void test_raw_bad_props(void **state) {
        uint8_t props[5], bad[5], *z, *out;
        size_t zlen, len;

        compress_raw(plain, plain_len, true, props, &z, &zlen);

        memcpy(bad, props, 5);
        bad[0] = 225; /* lc/lp/pb byte out of range */
        assert_int_equal(decode_raw(bad, z, zlen, plain_len, 0, &out, &len), -EBADMSG);
        bad[0] = 0xFF;
        assert_int_equal(decode_raw(bad, z, zlen, plain_len, 1, &out, &len), -EBADMSG);
        bad[0] = (0 * 5 + 1) * 9 + 4; /* lc=4 lp=1: lc + lp > 4 */
        assert_int_equal(decode_raw(bad, z, zlen, plain_len, 0, &out, &len), -EBADMSG);

        free(z);
}

static void test_raw_huge_dictionary(void **state) {
        uint8_t props[5], *z, *out;
        size_t zlen, len;

        /*
         * A dictionary far beyond the memory limit in the properties: the decoder never needs
         * more dictionary than out_size, so it decodes, without allocating 4 GiB.
         */
        compress_raw(plain, plain_len, true, props, &z, &zlen);
        set_dict(props, UINT32_MAX);
        assert_int_equal(decode_raw(props, z, zlen, plain_len, 0, &out, &len), 0);
        assert_int_equal(len, plain_len);
        assert_memory_equal(out, plain, plain_len);
        free(out);

        set_dict(props, 0xC0000000u);
        assert_int_equal(decode_raw(props, z, zlen, plain_len, 0, &out, &len), 0);
        assert_memory_equal(out, plain, plain_len);
        free(out);

        /* a tiny dictionary is smaller than the distances the encoder used: corrupt */
        set_dict(props, 4096);
        int r = decode_raw(props, z, zlen, plain_len, 0, &out, &len);
        assert_int_equal(r, -EBADMSG);
        free(z);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/*
 * The same with the address space limited to what the process uses plus 512 MiB: a decoder
 * that allocated the dictionary the properties ask for would fail with -ENOMEM. (Skipped under
 * AddressSanitizer, which needs a huge address space of its own.)
 */
static void test_huge_dictionary_address_space(void **state) {
#if defined(UNDER_ASAN) || !defined(__linux__)
        skip();
#else
        struct rlimit old, lim;
        unsigned long vm_pages = 0;
        uint8_t props[5], *z, *out, *za;
        size_t zlen, zalen, len;
        FILE *f;
        int r1, r2, r3;

        compress_raw(plain, plain_len, true, props, &z, &zlen);
        compress_alone(plain, plain_len, 1u << 20, &za, &zalen);
        set_dict(props, UINT32_MAX);

        f = fopen("/proc/self/statm", "re");
        assert_non_null(f);
        assert_int_equal(fscanf(f, "%lu", &vm_pages), 1);
        fclose(f);

        assert_int_equal(getrlimit(RLIMIT_AS, &old), 0);
        lim = old;
        lim.rlim_cur = (rlim_t) vm_pages * (rlim_t) sysconf(_SC_PAGESIZE) + (512u << 20);
        if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < lim.rlim_cur)
                lim.rlim_cur = old.rlim_cur;
        assert_int_equal(setrlimit(RLIMIT_AS, &lim), 0);

        r1 = mefw_lzma_decode_raw(props, z, zlen, plain_len, 0, &out, &len);
        if (r1 == 0)
                free(out);
        r2 = mefw_lzma_decode_raw(props, z, zlen, MEFW_LZMA_MAX_OUTPUT, 1, &out, &len);
        if (r2 == 0)
                free(out);
        /* alone: a 100 MiB dictionary is within the memory limit, and fits */
        set_dict(za, 100u << 20);
        r3 = mefw_lzma_decode_alone(za, zalen, plain_len, &out, &len);
        if (r3 == 0)
                free(out);

        assert_int_equal(setrlimit(RLIMIT_AS, &old), 0);
        assert_int_equal(r1, 0);
        assert_int_equal(r2, 0);
        assert_int_equal(r3, 0);
        free(z);
        free(za);
#endif
}

static void test_raw_flipped_bytes(void **state) {
        uint8_t props[5], *z, *out;
        size_t zlen, len;

        compress_raw(plain, plain_len, true, props, &z, &zlen);

        /* the first range-coder byte must be zero */
        z[0] ^= 0x80;
        assert_int_equal(decode_raw(props, z, zlen, plain_len, 0, &out, &len), -EBADMSG);
        assert_int_equal(decode_raw(props, z, zlen, plain_len, 1, &out, &len), -EBADMSG);
        z[0] ^= 0x80;

        /* a flipped byte further in: an error, or at least not the original data */
        for (size_t pos = 10; pos < zlen; pos += zlen / 7) {
                z[pos] ^= 0x20;
                int r = decode_raw(props, z, zlen, plain_len, 0, &out, &len);
                if (r == 0) {
                        assert_int_equal(len, plain_len);
                        assert_memory_not_equal(out, plain, plain_len);
                        free(out);
                } else
                        assert_int_equal(r, -EBADMSG);
                z[pos] ^= 0x20;
        }

        /* garbage: an error or garbage, never a crash */
        for (size_t i = 0; i < zlen; i++)
                z[i] = (uint8_t) (i * 151 + 17);
        z[0] = 0;
        int r = decode_raw(props, z, zlen, plain_len, 1, &out, &len);
        if (r == 0)
                free(out);
        else
                assert_int_equal(r, -EBADMSG);
        free(z);
}

static void test_raw_bad_args(void **state) {
        uint8_t props[5] = { 0x5D, 0, 0, 0x10, 0 }, *out;
        size_t len;

        assert_int_equal(decode_raw(NULL, (const uint8_t *) "", 0, 10, 0, &out, &len), -EINVAL);
        assert_int_equal(decode_raw(props, NULL, 5, 10, 0, &out, &len), -EINVAL);
        assert_int_equal(mefw_lzma_decode_raw(props, (const uint8_t *) "", 0, 10, 0, NULL, &len), -EINVAL);
        assert_int_equal(mefw_lzma_decode_raw(props, (const uint8_t *) "", 0, 10, 0, &out, NULL), -EINVAL);
        /* no data at all */
        assert_int_equal(decode_raw(props, NULL, 0, 10, 1, &out, &len), -EBADMSG);
}

/* ---- alone ---- */

static void test_alone_roundtrip(void **state) {
        uint8_t *z, *out;
        size_t zlen, len;

        compress_alone(plain, plain_len, 1u << 20, &z, &zlen);
        for (size_t i = 5; i < 13; i++)
                assert_int_equal(z[i], 0xFF); /* liblzma writes "size unknown" */

        /* unknown size, end marker */
        assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), 0);
        assert_int_equal(len, plain_len);
        assert_memory_equal(out, plain, plain_len);
        free(out);
        assert_int_equal(decode_alone(z, zlen, MEFW_LZMA_MAX_OUTPUT, &out, &len), 0);
        assert_int_equal(len, plain_len);
        assert_memory_equal(out, plain, plain_len);
        free(out);

        /* known size in the header (the end marker is still accepted after it) */
        set_alone_size(z, plain_len);
        assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), 0);
        assert_int_equal(len, plain_len);
        assert_memory_equal(out, plain, plain_len);
        free(out);

        /* trailing bytes after the end of the stream are ignored */
        uint8_t *padded = malloc(zlen + 32);
        assert_non_null(padded);
        memcpy(padded, z, zlen);
        memset(padded + zlen, 0, 32);
        assert_int_equal(decode_alone(padded, zlen + 32, plain_len, &out, &len), 0);
        assert_int_equal(len, plain_len);
        assert_memory_equal(out, plain, plain_len);
        free(out);
        free(padded);
        free(z);

        /* empty payload */
        compress_alone(plain, 0, 1u << 16, &z, &zlen);
        assert_int_equal(decode_alone(z, zlen, 0, &out, &len), 0);
        assert_int_equal(len, 0);
        free(out);
        assert_int_equal(decode_alone(z, zlen, 100, &out, &len), 0);
        assert_int_equal(len, 0);
        free(out);
        free(z);
}

static void test_alone_max_out_too_small(void **state) {
        uint8_t *z, *out;
        size_t zlen, len;

        compress_alone(plain, plain_len, 1u << 20, &z, &zlen);

        /* unknown size: found out while decoding */
        assert_int_equal(decode_alone(z, zlen, plain_len - 1, &out, &len), -E2BIG);
        assert_int_equal(decode_alone(z, zlen, 1000, &out, &len), -E2BIG);
        assert_int_equal(decode_alone(z, zlen, 0, &out, &len), -E2BIG);

        /* known size: refused up front */
        set_alone_size(z, plain_len);
        assert_int_equal(decode_alone(z, zlen, plain_len - 1, &out, &len), -E2BIG);
        /* a declared size far beyond anything */
        set_alone_size(z, UINT64_MAX - 1);
        assert_int_equal(decode_alone(z, zlen, MEFW_LZMA_MAX_OUTPUT, &out, &len), -E2BIG);

        /* max_out above the ceiling */
        set_alone_size(z, UINT64_MAX);
        assert_int_equal(decode_alone(z, zlen, MEFW_LZMA_MAX_OUTPUT + 1, &out, &len), -E2BIG);
        assert_int_equal(decode_alone(z, zlen, SIZE_MAX, &out, &len), -E2BIG);
        free(z);
}

static void test_alone_truncated(void **state) {
        uint8_t *z, *out;
        size_t zlen, len;

        compress_alone(plain, plain_len, 1u << 20, &z, &zlen);

        static const size_t cuts[] = { 0, 5, 12, 13, 14, 18, 200 };
        for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
                assert_int_equal(decode_alone(z, cuts[i], plain_len, &out, &len), -EBADMSG);
        assert_int_equal(decode_alone(z, zlen / 2, plain_len, &out, &len), -EBADMSG);
        /* without the last byte the end marker is incomplete */
        assert_int_equal(decode_alone(z, zlen - 1, plain_len, &out, &len), -EBADMSG);

        /* known size, truncated */
        set_alone_size(z, plain_len);
        assert_int_equal(decode_alone(z, zlen / 2, plain_len, &out, &len), -EBADMSG);

        /* declared size larger than what the stream holds: the end marker comes too early */
        set_alone_size(z, plain_len + 10);
        assert_int_equal(decode_alone(z, zlen, plain_len + 10, &out, &len), -EBADMSG);
        free(z);
}

static void test_alone_huge_dictionary(void **state) {
        uint8_t *z, *out;
        size_t zlen, len;

        compress_alone(plain, plain_len, 1u << 20, &z, &zlen);

        /*
         * Dictionaries far beyond MEFW_LZMA_MEMLIMIT: the decoder caps the dictionary at the
         * output limit (a match cannot reach further back than the output), so nothing that
         * big is allocated and the stream still decodes correctly.
         */
        const uint32_t huge[] = { UINT32_MAX, 0x40000000u, MEFW_LZMA_MEMLIMIT };
        for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
                set_dict(z, huge[i]);
                assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), 0);
                assert_int_equal(len, plain_len);
                assert_memory_equal(out, plain, plain_len);
                free(out);
        }

        /* a larger dictionary than the encoder used, but within the limit: fine */
        set_dict(z, 8u << 20);
        assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), 0);
        assert_int_equal(len, plain_len);
        assert_memory_equal(out, plain, plain_len);
        free(out);
        free(z);
}

static void test_alone_corrupt(void **state) {
        uint8_t *z, *out;
        size_t zlen, len;

        compress_alone(plain, plain_len, 1u << 20, &z, &zlen);

        /* properties byte out of range */
        z[0] = 225;
        assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), -EBADMSG);
        z[0] = 0x5D;

        /* the first range-coder byte must be zero */
        z[13] ^= 0x01;
        assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), -EBADMSG);
        z[13] ^= 0x01;

        /*
         * A flipped byte inside the data: there is no checksum in LZMA, so this is an error, or
         * output that differs from the original (with an unknown size the end marker must still
         * be found, so most flips are errors).
         */
        for (size_t pos = 20; pos < zlen; pos += zlen / 9) {
                z[pos] ^= 0x04;
                int r = decode_alone(z, zlen, plain_len + 4096, &out, &len);
                if (r == 0) {
                        assert_true(len != plain_len || memcmp(out, plain, plain_len) != 0);
                        free(out);
                } else
                        assert_true(r == -EBADMSG || r == -E2BIG);
                z[pos] ^= 0x04;
        }

        assert_int_equal(decode_alone(z, zlen, plain_len, &out, &len), 0);
        free(out);

        assert_int_equal(decode_alone(NULL, 13, plain_len, &out, &len), -EINVAL);
        assert_int_equal(mefw_lzma_decode_alone(z, zlen, plain_len, NULL, &len), -EINVAL);
        assert_int_equal(mefw_lzma_decode_alone(z, zlen, plain_len, &out, NULL), -EINVAL);
        free(z);
}

static int group_setup(void **state) {
        make_plain();
        return 0;
}

static int group_teardown(void **state) {
        free(plain);
        plain = NULL;
        return 0;
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_raw_roundtrip),
                cmocka_unit_test(test_raw_out_size_too_large_for_stream),
                cmocka_unit_test(test_raw_truncated),
                cmocka_unit_test(test_raw_out_size_ceiling),
                cmocka_unit_test(test_raw_bad_props),
                cmocka_unit_test(test_raw_huge_dictionary),
                cmocka_unit_test(test_huge_dictionary_address_space),
                cmocka_unit_test(test_raw_flipped_bytes),
                cmocka_unit_test(test_raw_bad_args),
                cmocka_unit_test(test_alone_roundtrip),
                cmocka_unit_test(test_alone_max_out_too_small),
                cmocka_unit_test(test_alone_truncated),
                cmocka_unit_test(test_alone_huge_dictionary),
                cmocka_unit_test(test_alone_corrupt),
        };

        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
