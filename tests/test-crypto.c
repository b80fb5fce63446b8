/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hashes (FIPS 180 vectors) and RSA verification against keys generated at test time. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "testkey.h"

#define MAX_K 1024

/* ---- helpers ---- */

static void unhex(const char *hex, uint8_t *out, size_t len) {
        assert_int_equal(strlen(hex), 2 * len);
        for (size_t i = 0; i < len; i++) {
                unsigned v;
                assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
                out[i] = (uint8_t) v;
        }
}

static void assert_hash(mefw_hash_alg alg, const void *data, size_t len, const char *hex) {
        uint8_t want[48], got[48];
        size_t hl = mefw_hash_len(alg);

        unhex(hex, want, hl);
        assert_int_equal(mefw_hash(alg, data, len, got), 0);
        assert_memory_equal(got, want, hl);
}

static void reverse(uint8_t *p, size_t len) {
        for (size_t i = 0; i < len / 2; i++) {
                uint8_t t = p[i];
                p[i] = p[len - 1 - i];
                p[len - 1 - i] = t;
        }
}

static mefw_hash_alg scheme_alg(mefw_rsa_scheme scheme) {
        switch (scheme) {
        case MEFW_RSA_PKCS1_SHA1:
                return MEFW_HASH_SHA1;
        case MEFW_RSA_PKCS1_SHA256:
                return MEFW_HASH_SHA256;
        default:
                return MEFW_HASH_SHA384;
        }
}

/* A key with its modulus, and a valid signature over the hash of a message. */
typedef struct {
        testkey *key;
        mefw_rsa_scheme scheme;
        size_t k;
        uint32_t e;
        uint8_t n_le[MAX_K];
        uint8_t sig_le[MAX_K];
        uint8_t digest[48];
        size_t dlen;
} signed_case;

static void make_case(signed_case *c, unsigned bits, unsigned e, mefw_rsa_scheme scheme, const char *msg) {
        memset(c, 0, sizeof(*c));
        c->key = testkey_new(bits, e);
        assert_non_null(c->key);
        c->scheme = scheme;
        c->k = testkey_modulus_len(c->key);
        c->e = testkey_exponent(c->key);
        assert_int_equal(c->e, e);
        assert_int_equal(testkey_modulus_le(c->key, c->n_le, sizeof(c->n_le)), c->k);
        c->dlen = mefw_hash_len(scheme_alg(scheme));
        assert_int_equal(mefw_hash(scheme_alg(scheme), msg, strlen(msg), c->digest), 0);
        assert_int_equal(testkey_sign(c->key, scheme, c->digest, c->dlen, c->sig_le, sizeof(c->sig_le)),
                         (int) c->k);
}

static void free_case(signed_case *c) {
        testkey_free(c->key);
        c->key = NULL;
}

static int verify_case(const signed_case *c) {
        return mefw_rsa_verify(c->scheme, c->n_le, c->k, c->e, c->sig_le, c->digest, c->dlen);
}

static const uint8_t digest_info_sha1[] = {
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14,
};
static const uint8_t digest_info_sha256[] = {
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};

/* Build 00 01 FF..FF 00 DigestInfo H (big-endian, k bytes). */
static void pkcs1_encode(uint8_t *em, size_t k, mefw_rsa_scheme scheme, const uint8_t *digest) {
        const uint8_t *prefix = scheme == MEFW_RSA_PKCS1_SHA1 ? digest_info_sha1 : digest_info_sha256;
        size_t plen = scheme == MEFW_RSA_PKCS1_SHA1 ? sizeof(digest_info_sha1) : sizeof(digest_info_sha256);
        size_t dlen = scheme == MEFW_RSA_PKCS1_SHA1 ? 20 : 32;
        size_t ps = k - plen - dlen - 3;

        em[0] = 0x00;
        em[1] = 0x01;
        memset(em + 2, 0xFF, ps);
        em[2 + ps] = 0x00;
        memcpy(em + 3 + ps, prefix, plen);
        memcpy(em + 3 + ps + plen, digest, dlen);
}

/* MGF1-SHA-384 mask XORed into out. */
static void mgf1_sha384_xor(const uint8_t *seed, size_t seed_len, uint8_t *out, size_t len) {
        size_t done = 0;

        for (uint32_t counter = 0; done < len; counter++) {
                uint8_t c[4] = { counter >> 24, counter >> 16, counter >> 8, counter };
                mefw_span parts[] = { { seed, seed_len }, { c, 4 } };
                uint8_t block[48];

                assert_int_equal(mefw_hash_parts(MEFW_HASH_SHA384, parts, 2, block), 0);
                for (size_t i = 0; i < 48 && done < len; i++, done++)
                        out[done] ^= block[i];
        }
}

/*
 * EMSA-PSS-ENCODE (RFC 8017 9.1.1) with SHA-384 and a salt of salt_len bytes, written as a
 * k-byte big-endian block (leading zero byte when emLen = k - 1). Returns false when the
 * encoding does not fit.
 */
#define PSS_BAD_SEPARATOR 0x1u /* 0x00 instead of 0x01 before the salt */
#define PSS_BAD_PS 0x2u        /* a non-zero byte in PS */

static bool pss_encode(uint8_t *block, size_t k, unsigned mod_bits, const uint8_t *digest, size_t salt_len,
                       uint8_t trailer, uint8_t seed, unsigned flags) {
        size_t em_bits = mod_bits - 1, em_len = (em_bits + 7) / 8, db_len;
        uint8_t salt[128], h[48], *em;
        static const uint8_t zeros[8];

        if (em_len < 48 + salt_len + 2 || salt_len > sizeof(salt))
                return false;
        for (size_t i = 0; i < salt_len; i++)
                salt[i] = (uint8_t) (seed ^ (i * 37));

        mefw_span parts[] = { { zeros, 8 }, { digest, 48 }, { salt, salt_len } };
        assert_int_equal(mefw_hash_parts(MEFW_HASH_SHA384, parts, 3, h), 0);

        memset(block, 0, k);
        em = block + (k - em_len);
        db_len = em_len - 48 - 1;
        /* DB = PS || 0x01 || salt */
        em[db_len - salt_len - 1] = (flags & PSS_BAD_SEPARATOR) ? 0x00 : 0x01;
        if (flags & PSS_BAD_PS)
                em[db_len - salt_len - 2] = 0x01;
        memcpy(em + db_len - salt_len, salt, salt_len);
        mgf1_sha384_xor(h, 48, em, db_len);
        em[0] &= (uint8_t) (0xFFu >> (8 * em_len - em_bits));
        memcpy(em + db_len, h, 48);
        em[em_len - 1] = trailer;
        return true;
}

static unsigned modulus_bits(const signed_case *c) {
        uint8_t top = c->n_le[c->k - 1];
        unsigned b = 0;

        while (top) {
                b++;
                top >>= 1;
        }
        return (unsigned) (8 * (c->k - 1)) + b;
}

/* ---- hashes ---- */

static void test_hash_len(void **state) {
        assert_int_equal(mefw_hash_len(MEFW_HASH_SHA1), 20);
        assert_int_equal(mefw_hash_len(MEFW_HASH_SHA256), 32);
        assert_int_equal(mefw_hash_len(MEFW_HASH_SHA384), 48);
        assert_int_equal(mefw_hash_len((mefw_hash_alg) 42), 0);
}

static const char msg448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static void test_hash_sha1_vectors(void **state) {
        assert_hash(MEFW_HASH_SHA1, "abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_hash(MEFW_HASH_SHA1, "", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_hash(MEFW_HASH_SHA1, msg448, strlen(msg448), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_hash_sha256_vectors(void **state) {
        assert_hash(MEFW_HASH_SHA256, "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_hash(MEFW_HASH_SHA256, "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_hash(MEFW_HASH_SHA256, msg448, strlen(msg448),
                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        /* NULL data is fine when the length is zero */
        assert_hash(MEFW_HASH_SHA256, NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_hash_sha384_vectors(void **state) {
        assert_hash(MEFW_HASH_SHA384, "abc", 3,
                    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                    "8086072ba1e7cc2358baeca134c825a7");
        assert_hash(MEFW_HASH_SHA384, "", 0,
                    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
                    "274edebfe76f65fbd51ad2f14898b95b");
}

static void test_hash_parts_million_a(void **state) {
        static char chunk[1000];
        mefw_span *parts;
        uint8_t want[32], got[32];

        memset(chunk, 'a', sizeof(chunk));
        parts = calloc(1000, sizeof(*parts));
        assert_non_null(parts);
        for (size_t i = 0; i < 1000; i++)
                parts[i] = (mefw_span) { chunk, sizeof(chunk) };
        unhex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want, 32);
        assert_int_equal(mefw_hash_parts(MEFW_HASH_SHA256, parts, 1000, got), 0);
        assert_memory_equal(got, want, 32);
        free(parts);
}

static void test_hash_parts_split(void **state) {
        const size_t len = strlen(msg448);
        uint8_t whole[48], split[48];

        for (mefw_hash_alg alg = MEFW_HASH_SHA1; alg <= MEFW_HASH_SHA384; alg++) {
                assert_int_equal(mefw_hash(alg, msg448, len, whole), 0);
                for (size_t cut = 0; cut <= len; cut++) {
                        mefw_span parts[] = { { msg448, cut }, { NULL, 0 }, { msg448 + cut, len - cut } };
                        memset(split, 0, sizeof(split));
                        assert_int_equal(mefw_hash_parts(alg, parts, 3, split), 0);
                        assert_memory_equal(split, whole, mefw_hash_len(alg));
                }
        }

        /* no parts at all: the hash of the empty string */
        assert_int_equal(mefw_hash_parts(MEFW_HASH_SHA1, NULL, 0, split), 0);
        unhex("da39a3ee5e6b4b0d3255bfef95601890afd80709", whole, 20);
        assert_memory_equal(split, whole, 20);
}

static void test_hash_bad_args(void **state) {
        uint8_t out[48], ref[48];
        mefw_span bad[] = { { "x", 1 }, { NULL, 5 } };

        memset(out, 0xA5, sizeof(out));
        memcpy(ref, out, sizeof(out));
        assert_int_equal(mefw_hash((mefw_hash_alg) 7, "abc", 3, out), -EINVAL);
        assert_int_equal(mefw_hash(MEFW_HASH_SHA256, NULL, 3, out), -EINVAL);
        assert_int_equal(mefw_hash_parts(MEFW_HASH_SHA256, NULL, 2, out), -EINVAL);
        assert_int_equal(mefw_hash_parts(MEFW_HASH_SHA256, bad, 2, out), -EINVAL);
        assert_memory_equal(out, ref, sizeof(out)); /* untouched on failure */
        assert_int_equal(mefw_hash(MEFW_HASH_SHA256, "abc", 3, NULL), -EINVAL);
}

static void test_hex_upper(void **state) {
        const uint8_t in[] = { 0x00, 0x01, 0xAB, 0xCD, 0xEF, 0x7F, 0x80, 0xFF };
        char out[2 * sizeof(in) + 1];

        memset(out, 'x', sizeof(out));
        mefw_hex_upper(in, sizeof(in), out);
        assert_string_equal(out, "0001ABCDEF7F80FF");

        mefw_hex_upper(in, 0, out);
        assert_string_equal(out, "");
}

/* ---- RSA: valid signatures ---- */

static void test_verify_valid_each_scheme(void **state) {
        static const struct {
                unsigned bits, e;
                mefw_rsa_scheme scheme;
        } cases[] = {
                { 2048, 17, MEFW_RSA_PKCS1_SHA1 },      { 2048, 17, MEFW_RSA_PKCS1_SHA256 },
                { 2048, 65537, MEFW_RSA_PKCS1_SHA256 }, { 3072, 65537, MEFW_RSA_PKCS1_SHA256 },
                { 3072, 65537, MEFW_RSA_PSS_SHA384 },   { 2048, 65537, MEFW_RSA_PSS_SHA384 },
                { 2048, 17, MEFW_RSA_PSS_SHA384 },
                /* 1025 bits: k = 129 with a top byte of 1, and for PSS emLen = k - 1 */
                { 1025, 65537, MEFW_RSA_PKCS1_SHA256 }, { 1025, 65537, MEFW_RSA_PSS_SHA384 },
                /* the smallest accepted modulus, 64 bytes */
                { 512, 17, MEFW_RSA_PKCS1_SHA256 },
        };

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                signed_case c;

                make_case(&c, cases[i].bits, cases[i].e, cases[i].scheme, "manifest header bytes");
                assert_int_equal(c.k, (cases[i].bits + 7) / 8);
                assert_int_equal(verify_case(&c), 1);
                free_case(&c);
                /* a second message, a second signature */
                make_case(&c, cases[i].bits, cases[i].e, cases[i].scheme, "another manifest");
                assert_int_equal(verify_case(&c), 1);
                free_case(&c);
        }
}

static void test_testkey_cache(void **state) {
        testkey *a = testkey_new(2048, 17), *b = testkey_new(2048, 17), *c = testkey_new(2048, 65537);
        uint8_t na[256], nb[256], nc[256];

        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(c);
        assert_int_equal(testkey_modulus_le(a, na, sizeof(na)), 256);
        assert_int_equal(testkey_modulus_le(b, nb, sizeof(nb)), 256);
        assert_int_equal(testkey_modulus_le(c, nc, sizeof(nc)), 256);
        assert_memory_equal(na, nb, 256);
        assert_memory_not_equal(na, nc, 256);
        assert_int_equal(testkey_modulus_le(a, na, 255), 0);
        assert_null(testkey_new(2048, 4));
        testkey_free(a);
        testkey_free(b);
        testkey_free(c);
}

/* ---- RSA: tampering ---- */

static void test_verify_flipped_bytes(void **state) {
        static const mefw_rsa_scheme schemes[] = { MEFW_RSA_PKCS1_SHA1, MEFW_RSA_PKCS1_SHA256,
                                                   MEFW_RSA_PSS_SHA384 };

        for (size_t s = 0; s < 3; s++) {
                signed_case c;

                make_case(&c, schemes[s] == MEFW_RSA_PSS_SHA384 ? 3072 : 2048,
                          schemes[s] == MEFW_RSA_PKCS1_SHA1 ? 17 : 65537, schemes[s], "flip me");
                assert_int_equal(verify_case(&c), 1);

                for (size_t i = 0; i < c.dlen; i++) {
                        c.digest[i] ^= 0x01;
                        assert_int_equal(verify_case(&c), 0);
                        c.digest[i] ^= 0x01;
                }
                for (size_t i = 0; i < c.k; i += 5) {
                        c.sig_le[i] ^= 0x10;
                        assert_int_equal(verify_case(&c), 0);
                        c.sig_le[i] ^= 0x10;
                }
                /* 0x40 keeps the modulus odd and its top byte (>= 0x80) non-zero */
                for (size_t i = 0; i < c.k; i += 7) {
                        c.n_le[i] ^= 0x40;
                        assert_int_equal(verify_case(&c), 0);
                        c.n_le[i] ^= 0x40;
                }
                /* wrong public exponent */
                c.e = c.e == 17 ? 65537 : 17;
                assert_int_equal(verify_case(&c), 0);
                c.e = testkey_exponent(c.key);

                assert_int_equal(verify_case(&c), 1);
                free_case(&c);
        }
}

static void test_verify_wrong_scheme(void **state) {
        signed_case c;
        uint8_t d256[32];

        /* SHA-1 signature checked as SHA-256 over the same message */
        make_case(&c, 2048, 17, MEFW_RSA_PKCS1_SHA1, "scheme");
        assert_int_equal(mefw_hash(MEFW_HASH_SHA256, "scheme", 6, d256), 0);
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PKCS1_SHA256, c.n_le, c.k, c.e, c.sig_le, d256, 32), 0);
        free_case(&c);

        /* a PKCS#1 signature is not a PSS signature */
        make_case(&c, 3072, 65537, MEFW_RSA_PKCS1_SHA256, "scheme");
        {
                uint8_t d384[48];
                assert_int_equal(mefw_hash(MEFW_HASH_SHA384, "scheme", 6, d384), 0);
                assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, c.k, c.e, c.sig_le, d384, 48), 0);
        }
        free_case(&c);
}

/*
 * Blocks whose tail (DigestInfo || H) is right but whose padding is not: a verifier that only
 * compares the tail would accept them. Built with the raw private-key operation.
 */
static void test_verify_pkcs1_damaged_padding(void **state) {
        static const mefw_rsa_scheme schemes[] = { MEFW_RSA_PKCS1_SHA1, MEFW_RSA_PKCS1_SHA256 };

        for (size_t s = 0; s < 2; s++) {
                signed_case c;
                uint8_t em[MAX_K], bad[MAX_K], sig[MAX_K];
                size_t k, tail, ps;

                make_case(&c, 2048, schemes[s] == MEFW_RSA_PKCS1_SHA1 ? 17 : 65537, schemes[s], "padding");
                k = c.k;
                tail = (schemes[s] == MEFW_RSA_PKCS1_SHA1 ? 15 : 19) + c.dlen;
                ps = k - tail - 3;
                pkcs1_encode(em, k, schemes[s], c.digest);

                /* positive control: the raw path builds a signature that verifies */
                assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(schemes[s], c.n_le, k, c.e, sig, c.digest, c.dlen), 1);
                /* and it is the deterministic PKCS#1 signature OpenSSL made */
                assert_memory_equal(sig, c.sig_le, k);

                const size_t positions[] = { 0, 1, 2, 3, 2 + ps / 2, 2 + ps - 1, 2 + ps, 3 + ps, 3 + ps + 1 };
                for (size_t i = 0; i < sizeof(positions) / sizeof(positions[0]); i++) {
                        memcpy(bad, em, k);
                        bad[positions[i]] ^= positions[i] == 0 ? 0x01 : 0x02;
                        assert_int_equal(testkey_sign_raw(c.key, bad, k, sig, sizeof(sig)), (int) k);
                        assert_int_equal(mefw_rsa_verify(schemes[s], c.n_le, k, c.e, sig, c.digest, c.dlen), 0);
                }

                /* padding of zeros instead of FF, correct tail */
                memcpy(bad, em, k);
                memset(bad + 2, 0x00, ps);
                assert_int_equal(testkey_sign_raw(c.key, bad, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(schemes[s], c.n_le, k, c.e, sig, c.digest, c.dlen), 0);

                /* garbage where the padding is, correct tail (a classic forgery shape) */
                memcpy(bad, em, k);
                for (size_t i = 0; i < ps / 2; i++)
                        bad[2 + ps / 2 + i] = (uint8_t) (i * 13 + 7);
                assert_int_equal(testkey_sign_raw(c.key, bad, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(schemes[s], c.n_le, k, c.e, sig, c.digest, c.dlen), 0);

                /* DigestInfo without the NULL parameters: shorter prefix, one more FF */
                if (schemes[s] == MEFW_RSA_PKCS1_SHA256) {
                        static const uint8_t noparams[] = { 0x30, 0x2F, 0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48,
                                                            0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20 };
                        size_t ps2 = k - sizeof(noparams) - 32 - 3;
                        bad[0] = 0x00;
                        bad[1] = 0x01;
                        memset(bad + 2, 0xFF, ps2);
                        bad[2 + ps2] = 0x00;
                        memcpy(bad + 3 + ps2, noparams, sizeof(noparams));
                        memcpy(bad + 3 + ps2 + sizeof(noparams), c.digest, 32);
                        assert_int_equal(testkey_sign_raw(c.key, bad, k, sig, sizeof(sig)), (int) k);
                        assert_int_equal(mefw_rsa_verify(schemes[s], c.n_le, k, c.e, sig, c.digest, c.dlen), 0);
                }
                free_case(&c);
        }
}

/* PSS blocks built by the test itself: any salt length verifies; trailer and padding are enforced. */
static void test_verify_pss_encodings(void **state) {
        static const unsigned bits[] = { 3072, 1025, 2048 };

        for (size_t b = 0; b < sizeof(bits) / sizeof(bits[0]); b++) {
                signed_case c;
                uint8_t em[MAX_K], sig[MAX_K];
                unsigned mb;
                size_t k;

                make_case(&c, bits[b], 65537, MEFW_RSA_PSS_SHA384, "pss");
                k = c.k;
                mb = modulus_bits(&c);
                assert_int_equal(mb, bits[b]);

                /* positive control: our own encoding with a 48-byte salt verifies */
                assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBC, 0x5A, 0));
                assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 1);

                /* any salt length the encoding holds: OEM-signed CSE manifests use 32 bytes; a
                 * wrong digest fails whatever the salt */
                static const size_t salts[] = { 0, 32, 47, 49, 64 };
                for (size_t i = 0; i < sizeof(salts) / sizeof(salts[0]); i++) {
                        assert_true(pss_encode(em, k, mb, c.digest, salts[i], 0xBC, 0x5A, 0));
                        assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48),
                                         1);
                        uint8_t other[48];
                        memcpy(other, c.digest, 48);
                        other[0] ^= 0x01;
                        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, other, 48), 0);
                }

                /* a separator of 0x00, a non-zero PS byte (the salt and H are right) */
                static const unsigned bad_flags[] = { PSS_BAD_SEPARATOR, PSS_BAD_PS };
                for (size_t i = 0; i < 2; i++) {
                        assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBC, 0x5A, bad_flags[i]));
                        assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48),
                                         0);
                }

                /* wrong trailer */
                assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBB, 0x5A, 0));
                assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 0);

                /* damaged H, damaged maskedDB */
                assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBC, 0x5A, 0));
                em[k - 2] ^= 0x01;
                assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 0);
                assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBC, 0x5A, 0));
                em[k / 2] ^= 0x01;
                assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 0);

                /*
                 * The leftmost 8*emLen - emBits bits must be zero. For 2048 and 3072 bits that is
                 * the top bit of the block, which gives a value below n only when n's top byte
                 * allows it; for 1025 bits (emLen = k - 1) a non-zero first byte is too large.
                 */
                if (k * 8 == mb) {
                        bool tried = false;
                        for (unsigned seed = 0; seed < 256 && !tried; seed++) {
                                assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBC, (uint8_t) seed, 0));
                                assert_int_equal(em[0] & 0x80, 0);
                                em[0] |= 0x80;
                                if (testkey_sign_raw(c.key, em, k, sig, sizeof(sig)) != (int) k)
                                        continue; /* not below n */
                                assert_int_equal(
                                        mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 0);
                                tried = true;
                        }
                        assert_true(tried);
                } else {
                        /*
                         * emLen = k - 1: a valid EM behind a leading 0x01 is an integer too large
                         * for emLen bytes. It is below n (top byte 1) when the EM is below the
                         * rest of n: try salts until one is.
                         */
                        bool tried = false;
                        for (unsigned seed = 0; seed < 256 && !tried; seed++) {
                                assert_true(pss_encode(em, k, mb, c.digest, 48, 0xBC, (uint8_t) seed, 0));
                                assert_int_equal(em[0], 0);
                                assert_int_equal(testkey_sign_raw(c.key, em, k, sig, sizeof(sig)), (int) k);
                                assert_int_equal(
                                        mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 1);
                                em[0] = 0x01;
                                if (testkey_sign_raw(c.key, em, k, sig, sizeof(sig)) != (int) k)
                                        continue;
                                assert_int_equal(
                                        mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, k, c.e, sig, c.digest, 48), 0);
                                tried = true;
                        }
                        assert_true(tried);
                }
                free_case(&c);
        }
}

static void test_verify_s_out_of_range(void **state) {
        signed_case c;
        uint8_t sig[MAX_K];

        make_case(&c, 2048, 65537, MEFW_RSA_PKCS1_SHA256, "range");

        /* s == n */
        memcpy(sig, c.n_le, c.k);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, sig, c.digest, c.dlen), 0);
        /* s == n + 1 (when the low byte does not carry) */
        if (sig[0] != 0xFF) {
                sig[0] += 1;
                assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, sig, c.digest, c.dlen), 0);
        }
        /* s == all ones */
        memset(sig, 0xFF, c.k);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, sig, c.digest, c.dlen), 0);
        free_case(&c);

        /*
         * s == valid + n is congruent to a valid signature but out of range: must not verify.
         * With a 1025-bit modulus in 129 bytes the sum always fits.
         */
        make_case(&c, 1025, 65537, MEFW_RSA_PKCS1_SHA256, "range");
        {
                uint8_t n_be[MAX_K], s_be[MAX_K], sum[MAX_K + 1];
                unsigned carry = 0;

                memcpy(n_be, c.n_le, c.k);
                memcpy(s_be, c.sig_le, c.k);
                reverse(n_be, c.k);
                reverse(s_be, c.k);
                for (size_t i = c.k; i-- > 0;) {
                        unsigned v = n_be[i] + s_be[i] + carry;
                        sum[i + 1] = (uint8_t) v;
                        carry = v >> 8;
                }
                assert_int_equal(carry, 0);
                memcpy(sig, sum + 1, c.k);
                reverse(sig, c.k);
                assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, sig, c.digest, c.dlen), 0);
        }
        /* s == 0 and s == 1 */
        memset(sig, 0, c.k);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, sig, c.digest, c.dlen), 0);
        sig[0] = 1;
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, sig, c.digest, c.dlen), 0);

        assert_int_equal(verify_case(&c), 1);
        free_case(&c);
}

static void test_verify_bad_args(void **state) {
        signed_case c;
        uint8_t n[MAX_K + 8], sig[MAX_K + 8];

        make_case(&c, 2048, 65537, MEFW_RSA_PKCS1_SHA256, "args");

        /* modulus length outside 64..1024 */
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, 0, c.e, c.sig_le, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, 63, c.e, c.sig_le, c.digest, 32), -EINVAL);
        memset(n, 0xFF, sizeof(n));
        memset(sig, 0x11, sizeof(sig));
        assert_int_equal(mefw_rsa_verify(c.scheme, n, 1025, 65537, sig, c.digest, 32), -EINVAL);
        /* 64 and 1024 are accepted (a syntactically valid modulus, a signature that is wrong) */
        assert_int_equal(mefw_rsa_verify(c.scheme, n, 1024, 65537, sig, c.digest, 32), 0);
        assert_int_equal(mefw_rsa_verify(c.scheme, n, 64, 65537, sig, c.digest, 32), 0);
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, n, 1024, 65537, sig, c.digest, 48), 0);
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, n, 64, 65537, sig, c.digest, 48), 0);

        /* digest length must match the scheme */
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PKCS1_SHA256, c.n_le, c.k, c.e, c.sig_le, c.digest, 20), -EINVAL);
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PKCS1_SHA256, c.n_le, c.k, c.e, c.sig_le, c.digest, 48), -EINVAL);
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PKCS1_SHA1, c.n_le, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(MEFW_RSA_PSS_SHA384, c.n_le, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);

        /* exponent */
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, 0, c.sig_le, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, 1, c.sig_le, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, 2, c.sig_le, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, 65536, c.sig_le, c.digest, 32), -EINVAL);

        /* zero, even, and short (top byte zero) moduli */
        memset(n, 0, sizeof(n));
        assert_int_equal(mefw_rsa_verify(c.scheme, n, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);
        memcpy(n, c.n_le, c.k);
        n[0] &= 0xFE;
        assert_int_equal(mefw_rsa_verify(c.scheme, n, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);
        memcpy(n, c.n_le, c.k);
        n[c.k - 1] = 0;
        assert_int_equal(mefw_rsa_verify(c.scheme, n, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);

        /* NULL pointers, unknown scheme */
        assert_int_equal(mefw_rsa_verify(c.scheme, NULL, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, NULL, c.digest, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify(c.scheme, c.n_le, c.k, c.e, c.sig_le, NULL, 32), -EINVAL);
        assert_int_equal(mefw_rsa_verify((mefw_rsa_scheme) 9, c.n_le, c.k, c.e, c.sig_le, c.digest, 32), -EINVAL);

        assert_int_equal(verify_case(&c), 1);
        free_case(&c);
}

static int group_setup(void **state) {
        /* Generate the keys once, up front, so the test timings are not skewed. */
        static const unsigned keys[][2] = { { 2048, 17 }, { 2048, 65537 }, { 3072, 65537 }, { 1025, 65537 }, { 512, 17 } };

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                testkey *k = testkey_new(keys[i][0], keys[i][1]);
                if (!k)
                        return -1;
                testkey_free(k);
        }
        return 0;
}

static int group_teardown(void **state) {
        testkey_cache_clear();
        return 0;
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_hash_len),
                cmocka_unit_test(test_hash_sha1_vectors),
                cmocka_unit_test(test_hash_sha256_vectors),
                cmocka_unit_test(test_hash_sha384_vectors),
                cmocka_unit_test(test_hash_parts_million_a),
                cmocka_unit_test(test_hash_parts_split),
                cmocka_unit_test(test_hash_bad_args),
                cmocka_unit_test(test_hex_upper),
                cmocka_unit_test(test_testkey_cache),
                cmocka_unit_test(test_verify_valid_each_scheme),
                cmocka_unit_test(test_verify_flipped_bytes),
                cmocka_unit_test(test_verify_wrong_scheme),
                cmocka_unit_test(test_verify_pkcs1_damaged_padding),
                cmocka_unit_test(test_verify_pss_encodings),
                cmocka_unit_test(test_verify_s_out_of_range),
                cmocka_unit_test(test_verify_bad_args),
        };

        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
