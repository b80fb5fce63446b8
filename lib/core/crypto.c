/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hashes and RSA signature verification for Intel engine manifests (OpenSSL 3 libcrypto). */

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "util.h"

#define MEFW_RSA_MIN_BYTES 64
#define MEFW_RSA_MAX_BYTES 1024
#define MEFW_PSS_SALT_LEN 48

static void bn_freep(BIGNUM **p) {
        BN_free(*p);
}

static void bn_ctx_freep(BN_CTX **p) {
        BN_CTX_free(*p);
}

static void md_ctx_freep(EVP_MD_CTX **p) {
        EVP_MD_CTX_free(*p);
}

static const EVP_MD *hash_md(mefw_hash_alg alg) {
        switch (alg) {
        case MEFW_HASH_SHA1:
                return EVP_sha1();
        case MEFW_HASH_SHA256:
                return EVP_sha256();
        case MEFW_HASH_SHA384:
                return EVP_sha384();
        }
        return NULL;
}

size_t mefw_hash_len(mefw_hash_alg alg) {
        switch (alg) {
        case MEFW_HASH_SHA1:
                return 20;
        case MEFW_HASH_SHA256:
                return 32;
        case MEFW_HASH_SHA384:
                return 48;
        }
        return 0;
}

int mefw_hash_parts(mefw_hash_alg alg, const mefw_span *parts, size_t n_parts, uint8_t *out) {
        _cleanup_(md_ctx_freep) EVP_MD_CTX *ctx = NULL;
        uint8_t buf[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        const EVP_MD *md;
        size_t len;

        md = hash_md(alg);
        len = mefw_hash_len(alg);
        if (!md || len == 0 || !out || (n_parts > 0 && !parts))
                return -EINVAL;
        for (size_t i = 0; i < n_parts; i++)
                if (!parts[i].data && parts[i].len > 0)
                        return -EINVAL;

        ctx = EVP_MD_CTX_new();
        if (!ctx)
                return -ENOMEM;
        if (EVP_DigestInit_ex(ctx, md, NULL) != 1)
                goto fail;
        for (size_t i = 0; i < n_parts; i++)
                if (parts[i].len > 0 && EVP_DigestUpdate(ctx, parts[i].data, parts[i].len) != 1)
                        goto fail;
        if (EVP_DigestFinal_ex(ctx, buf, &n) != 1 || n != len)
                goto fail;

        memcpy(out, buf, len);
        OPENSSL_cleanse(buf, sizeof(buf));
        return 0;

fail:
        ERR_clear_error();
        return -EIO;
}

int mefw_hash(mefw_hash_alg alg, const void *data, size_t len, uint8_t *out) {
        mefw_span part = { .data = data, .len = len };

        return mefw_hash_parts(alg, &part, 1, out);
}

bool mefw_digest_equal_reversed(const uint8_t *stored, const uint8_t *computed, size_t len) {
        for (size_t i = 0; i < len; i++)
                if (stored[i] != computed[len - 1 - i])
                        return false;
        return true;
}

void mefw_hex_upper(const uint8_t *in, size_t len, char *out) {
        static const char digits[] = "0123456789ABCDEF";

        if (!out)
                return;
        for (size_t i = 0; i < len; i++) {
                out[2 * i] = digits[in[i] >> 4];
                out[2 * i + 1] = digits[in[i] & 0xF];
        }
        out[2 * len] = '\0';
}

/* ---- RSA ---- */

static const uint8_t digest_info_sha1[] = {
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14,
};

static const uint8_t digest_info_sha256[] = {
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};

static void reverse_copy(uint8_t *dst, const uint8_t *src, size_t len) {
        for (size_t i = 0; i < len; i++)
                dst[i] = src[len - 1 - i];
}

/*
 * EMSA-PKCS1-v1_5 (RFC 8017 9.2) compared against the whole k-byte block em:
 * 00 01 FF..FF 00 || DigestInfo || H, with at least 8 bytes of FF.
 */
static int pkcs1_v15_check(const uint8_t *em, size_t k, const uint8_t *prefix, size_t prefix_len,
                           const uint8_t *digest, size_t digest_len) {
        _cleanup_free_ uint8_t *expected = NULL;
        size_t t_len = prefix_len + digest_len, ps_len;
        int r;

        if (k < t_len + 11)
                return 0;
        ps_len = k - t_len - 3;

        expected = malloc(k);
        if (!expected)
                return -ENOMEM;
        expected[0] = 0x00;
        expected[1] = 0x01;
        memset(expected + 2, 0xFF, ps_len);
        expected[2 + ps_len] = 0x00;
        memcpy(expected + 3 + ps_len, prefix, prefix_len);
        memcpy(expected + 3 + ps_len + prefix_len, digest, digest_len);

        r = CRYPTO_memcmp(em, expected, k) == 0;
        return r;
}

/* MGF1 (RFC 8017 B.2.1) with the given hash: XOR the mask into out[0..len). */
static int mgf1_xor(const EVP_MD *md, size_t h_len, const uint8_t *seed, size_t seed_len, uint8_t *out,
                    size_t len) {
        _cleanup_(md_ctx_freep) EVP_MD_CTX *ctx = NULL;
        uint8_t block[EVP_MAX_MD_SIZE];
        size_t done = 0;

        ctx = EVP_MD_CTX_new();
        if (!ctx)
                return -ENOMEM;

        for (uint32_t counter = 0; done < len; counter++) {
                uint8_t c[4] = { counter >> 24, counter >> 16, counter >> 8, counter };
                unsigned int n = 0;

                if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, seed, seed_len) != 1 ||
                    EVP_DigestUpdate(ctx, c, sizeof(c)) != 1 || EVP_DigestFinal_ex(ctx, block, &n) != 1 ||
                    n != h_len) {
                        ERR_clear_error();
                        return -EIO;
                }
                for (size_t i = 0; i < h_len && done < len; i++, done++)
                        out[done] ^= block[i];
        }
        return 0;
}

/*
 * EMSA-PSS-VERIFY (RFC 8017 9.1.2) with SHA-384, MGF1-SHA-384 and a 48-byte salt.
 * m is the k-byte big-endian rendering of s^e mod n; mod_bits the bit length of n.
 */
static int pss_sha384_check(const uint8_t *m, size_t k, unsigned mod_bits, const uint8_t *digest) {
        _cleanup_(md_ctx_freep) EVP_MD_CTX *ctx = NULL;
        _cleanup_free_ uint8_t *db = NULL;
        const size_t h_len = 48, s_len = MEFW_PSS_SALT_LEN;
        static const uint8_t zeros[8] = { 0 };
        const EVP_MD *md = EVP_sha384();
        uint8_t h2[EVP_MAX_MD_SIZE];
        size_t em_bits, em_len, db_len, ps_len;
        const uint8_t *em, *h;
        unsigned top_bits, n = 0;
        uint8_t top_mask;
        int r;

        /* RSAVP1 + I2OSP(m, emLen): emBits = modBits - 1. */
        em_bits = mod_bits - 1;
        em_len = (em_bits + 7) / 8;
        if (em_len > k)
                return 0;
        for (size_t i = 0; i < k - em_len; i++) /* m must fit in emLen bytes */
                if (m[i] != 0)
                        return 0;
        em = m + (k - em_len);

        if (em_len < h_len + s_len + 2)
                return 0;
        if (em[em_len - 1] != 0xBC)
                return 0;

        db_len = em_len - h_len - 1;
        h = em + db_len;

        top_bits = 8 * em_len - em_bits; /* 0..7 leftmost bits that must be zero */
        top_mask = (uint8_t) (0xFF00u >> top_bits);
        if (em[0] & top_mask)
                return 0;

        db = malloc(db_len);
        if (!db)
                return -ENOMEM;
        memcpy(db, em, db_len);
        r = mgf1_xor(md, h_len, h, h_len, db, db_len);
        if (r < 0)
                return r;
        db[0] &= (uint8_t) ~top_mask;

        ps_len = em_len - h_len - s_len - 2;
        for (size_t i = 0; i < ps_len; i++)
                if (db[i] != 0)
                        return 0;
        if (db[ps_len] != 0x01)
                return 0;

        /* H' = Hash(00 x 8 || mHash || salt) */
        ctx = EVP_MD_CTX_new();
        if (!ctx)
                return -ENOMEM;
        if (EVP_DigestInit_ex(ctx, md, NULL) != 1 || EVP_DigestUpdate(ctx, zeros, sizeof(zeros)) != 1 ||
            EVP_DigestUpdate(ctx, digest, h_len) != 1 ||
            EVP_DigestUpdate(ctx, db + db_len - s_len, s_len) != 1 || EVP_DigestFinal_ex(ctx, h2, &n) != 1 ||
            n != h_len) {
                ERR_clear_error();
                return -EIO;
        }

        return CRYPTO_memcmp(h, h2, h_len) == 0;
}

int mefw_rsa_verify(mefw_rsa_scheme scheme, const uint8_t *modulus_le, size_t mod_len, uint32_t exponent,
                    const uint8_t *signature_le, const uint8_t *digest, size_t digest_len) {
        _cleanup_(bn_ctx_freep) BN_CTX *bn_ctx = NULL;
        _cleanup_(bn_freep) BIGNUM *n = NULL, *e = NULL, *s = NULL, *m = NULL;
        _cleanup_free_ uint8_t *buf = NULL;
        const uint8_t *prefix = NULL;
        size_t prefix_len = 0;
        mefw_hash_alg alg;
        int r;

        switch (scheme) {
        case MEFW_RSA_PKCS1_SHA1:
                alg = MEFW_HASH_SHA1;
                prefix = digest_info_sha1;
                prefix_len = sizeof(digest_info_sha1);
                break;
        case MEFW_RSA_PKCS1_SHA256:
                alg = MEFW_HASH_SHA256;
                prefix = digest_info_sha256;
                prefix_len = sizeof(digest_info_sha256);
                break;
        case MEFW_RSA_PSS_SHA384:
                alg = MEFW_HASH_SHA384;
                break;
        default:
                return -EINVAL;
        }

        if (!modulus_le || !signature_le || !digest)
                return -EINVAL;
        if (mod_len < MEFW_RSA_MIN_BYTES || mod_len > MEFW_RSA_MAX_BYTES)
                return -EINVAL;
        if (digest_len != mefw_hash_len(alg))
                return -EINVAL;
        /* Public exponent: odd and at least 3. */
        if (exponent < 3 || (exponent & 1) == 0)
                return -EINVAL;
        /* The modulus must fill mod_len bytes (this also rejects zero) and be odd. */
        if (modulus_le[mod_len - 1] == 0 || (modulus_le[0] & 1) == 0)
                return -EINVAL;

        buf = malloc(mod_len);
        if (!buf)
                return -ENOMEM;

        bn_ctx = BN_CTX_new();
        e = BN_new();
        if (!bn_ctx || !e)
                goto nomem;
        if (BN_set_word(e, exponent) != 1)
                goto nomem;

        reverse_copy(buf, modulus_le, mod_len);
        n = BN_bin2bn(buf, (int) mod_len, NULL);
        if (!n)
                goto nomem;

        reverse_copy(buf, signature_le, mod_len);
        s = BN_bin2bn(buf, (int) mod_len, NULL);
        if (!s)
                goto nomem;

        /* RSAVP1: the signature representative must be below the modulus. */
        if (BN_cmp(s, n) >= 0)
                return 0;

        m = BN_new();
        if (!m)
                goto nomem;
        if (BN_mod_exp(m, s, e, n, bn_ctx) != 1)
                goto nomem;
        if (BN_bn2binpad(m, buf, (int) mod_len) != (int) mod_len)
                goto nomem;

        if (scheme == MEFW_RSA_PSS_SHA384)
                r = pss_sha384_check(buf, mod_len, (unsigned) BN_num_bits(n), digest);
        else
                r = pkcs1_v15_check(buf, mod_len, prefix, prefix_len, digest, digest_len);
        return r;

nomem:
        ERR_clear_error();
        return -ENOMEM;
}
