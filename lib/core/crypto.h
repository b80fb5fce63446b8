/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hashes and RSA signature verification for Intel engine manifests (OpenSSL 3 libcrypto). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
        MEFW_HASH_SHA1,
        MEFW_HASH_SHA256,
        MEFW_HASH_SHA384,
} mefw_hash_alg;

size_t mefw_hash_len(mefw_hash_alg alg); /* 20, 32, 48; 0 for an unknown alg */

typedef struct {
        const void *data;
        size_t len;
} mefw_span;

/*
 * Hash the concatenation of parts into out (mefw_hash_len(alg) bytes). 0 or -errno (-EINVAL for
 * an unknown alg, NULL out, NULL parts with n_parts > 0, a part with NULL data and len > 0).
 */
int mefw_hash_parts(mefw_hash_alg alg, const mefw_span *parts, size_t n_parts, uint8_t *out);
int mefw_hash(mefw_hash_alg alg, const void *data, size_t len, uint8_t *out);

typedef enum {
        MEFW_RSA_PKCS1_SHA1,   /* ME 2-5 $MAN */
        MEFW_RSA_PKCS1_SHA256, /* ME 6-10, TXE, SPS, CSE "R1" manifests */
        MEFW_RSA_PSS_SHA384,   /* CSE "R2" manifests: MGF1-SHA-384; Intel's use a 48-byte salt, OEM ones 32 */
} mefw_rsa_scheme;

/*
 * Verify an RSA signature over a precomputed digest. Modulus and signature are given as
 * stored in the manifest (little-endian); both are mod_len bytes. For PKCS#1 v1.5 the whole
 * decoded block (00 01 FF.. 00 DigestInfo digest) is compared, not only its tail. PSS follows
 * RFC 8017 EMSA-PSS-VERIFY with SHA-384 and MGF1-SHA-384, with the salt length the encoding holds
 * (Intel-signed manifests use 48 bytes, OEM-signed ones 32). Both are libcrypto's own checks.
 * Returns 1 when the signature verifies, 0 when it does not (including a signature >= modulus,
 * or a modulus too short for the encoding), -errno on bad arguments: -EINVAL for an unknown
 * scheme, NULL pointers, mod_len not in 64..1024, digest_len not the scheme's hash length, an
 * exponent that is < 3 or even, a modulus that is even or whose most significant byte is zero
 * (this includes a zero modulus); -ENOMEM/-EIO when libcrypto fails.
 */
int mefw_rsa_verify(mefw_rsa_scheme scheme, const uint8_t *modulus_le, size_t mod_len, uint32_t exponent,
                    const uint8_t *signature_le, const uint8_t *digest, size_t digest_len);

/* Whether a stored digest is the computed one in reversed byte order (how Intel keeps them). */
bool mefw_digest_equal_reversed(const uint8_t *stored, const uint8_t *computed, size_t len);

/* Uppercase hex of len bytes into out (2*len+1 bytes). */
void mefw_hex_upper(const uint8_t *in, size_t len, char *out);
