/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test-only RSA keys made at test time with OpenSSL, and signatures laid out the way Intel
 * manifests store them (little-endian, as long as the modulus). Not thread-safe.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"

typedef struct testkey testkey;

/*
 * A key of 'bits' bits (512..8192) with public exponent 'e' (odd, >= 3; 17 for
 * ME 2-10 style keys, 65537 for CSE). Keys are generated once per (bits, e) and cached for the
 * life of the process, so every call with the same arguments returns the same key material.
 * The modulus has exactly 'bits' bits (OpenSSL cannot make odd sizes from 2048 bits up: those
 * give NULL). Returns NULL on failure. Release with testkey_free().
 */
testkey *testkey_new(unsigned bits, unsigned e);
void testkey_free(testkey *key);

/* Drop the per-process cache (handles already returned stay valid). */
void testkey_cache_clear(void);

/* Modulus length in bytes (k). */
size_t testkey_modulus_len(const testkey *key);

/* Public exponent. */
uint32_t testkey_exponent(const testkey *key);

/* Write the modulus little-endian into out; returns k, or 0 when cap < k. */
size_t testkey_modulus_le(const testkey *key, uint8_t *out, size_t cap);

/*
 * Sign a precomputed digest: PKCS#1 v1.5 with SHA-1 or SHA-256 DigestInfo, or RSASSA-PSS with
 * SHA-384, MGF1-SHA-384 and a 48-byte salt. The signature is written little-endian, k bytes.
 * Returns k, or -errno (-EINVAL for a wrong digest length, -ENOBUFS when cap < k, -EIO when
 * OpenSSL fails).
 */
int testkey_sign(const testkey *key, mefw_rsa_scheme scheme, const uint8_t *digest, size_t dlen, uint8_t *sig_le,
                 size_t cap);
/* The same with RSASSA-PSS and a salt of salt_len bytes (OEM-signed CSE manifests use 32). */
int testkey_sign_pss(const testkey *key, unsigned salt_len, const uint8_t *digest, size_t dlen, uint8_t *sig_le,
                     size_t cap);

/*
 * Raw RSA private operation (no padding) on a k-byte big-endian block em (as in RFC 8017:
 * the encoded message, must be below the modulus): writes em^d mod n little-endian, k bytes.
 * Used to build signatures over deliberately malformed encodings. Returns k or -errno.
 */
int testkey_sign_raw(const testkey *key, const uint8_t *em_be, size_t len, uint8_t *sig_le, size_t cap);
