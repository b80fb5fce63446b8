/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hashes and RSA signature verification for Intel engine manifests (OpenSSL 3 libcrypto). */

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "crypto.h"
#include "util.h"
#include "mefw/core.h"

#define MEFW_RSA_MIN_BYTES 64
#define MEFW_RSA_MAX_BYTES 1024

static void bn_freep(BIGNUM **p) {
        BN_free(*p);
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

/* What the process hashed, for 'analyze --stats' and the benchmark (relaxed: a tally, not a lock). */
static uint64_t work_hashed;

uint64_t mefw_work_hashed(void) {
        return __atomic_load_n(&work_hashed, __ATOMIC_RELAXED);
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
        for (size_t i = 0; i < n_parts; i++) {
                if (parts[i].len > 0 && EVP_DigestUpdate(ctx, parts[i].data, parts[i].len) != 1)
                        goto fail;
                __atomic_add_fetch(&work_hashed, (uint64_t) parts[i].len, __ATOMIC_RELAXED);
        }
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

static void reverse_copy(uint8_t *dst, const uint8_t *src, size_t len) {
        for (size_t i = 0; i < len; i++)
                dst[i] = src[len - 1 - i];
}

static void pkey_freep(EVP_PKEY **p) {
        EVP_PKEY_free(*p);
}

static void pkey_ctx_freep(EVP_PKEY_CTX **p) {
        EVP_PKEY_CTX_free(*p);
}

static void param_bld_freep(OSSL_PARAM_BLD **p) {
        OSSL_PARAM_BLD_free(*p);
}

static void params_freep(OSSL_PARAM **p) {
        OSSL_PARAM_free(*p);
}

/* An RSA public key from the big-endian modulus and the exponent; NULL when libcrypto fails. */
static EVP_PKEY *rsa_public_key(const BIGNUM *n, const BIGNUM *e) {
        _cleanup_(param_bld_freep) OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        _cleanup_(params_freep) OSSL_PARAM *params = NULL;
        _cleanup_(pkey_ctx_freep) EVP_PKEY_CTX *ctx = NULL;
        EVP_PKEY *key = NULL;

        if (!bld || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
            OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1)
                return NULL;
        params = OSSL_PARAM_BLD_to_param(bld);
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
            EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
                return NULL;
        return key;
}

int mefw_rsa_verify(mefw_rsa_scheme scheme, const uint8_t *modulus_le, size_t mod_len, uint32_t exponent,
                    const uint8_t *signature_le, const uint8_t *digest, size_t digest_len) {
        _cleanup_(bn_freep) BIGNUM *n = NULL, *e = NULL, *s = NULL;
        _cleanup_(pkey_freep) EVP_PKEY *key = NULL;
        _cleanup_(pkey_ctx_freep) EVP_PKEY_CTX *ctx = NULL;
        _cleanup_free_ uint8_t *buf = NULL, *sig = NULL;
        mefw_hash_alg alg;
        bool pss = false;

        switch (scheme) {
        case MEFW_RSA_PKCS1_SHA1:
                alg = MEFW_HASH_SHA1;
                break;
        case MEFW_RSA_PKCS1_SHA256:
                alg = MEFW_HASH_SHA256;
                break;
        case MEFW_RSA_PSS_SHA384:
                alg = MEFW_HASH_SHA384;
                pss = true;
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
        sig = malloc(mod_len);
        e = BN_new();
        if (!buf || !sig || !e || BN_set_word(e, exponent) != 1)
                goto nomem;
        reverse_copy(buf, modulus_le, mod_len);
        n = BN_bin2bn(buf, (int) mod_len, NULL);
        reverse_copy(sig, signature_le, mod_len);
        s = BN_bin2bn(sig, (int) mod_len, NULL);
        if (!n || !s)
                goto nomem;
        /* RSAVP1: the signature representative must be below the modulus. */
        if (BN_cmp(s, n) >= 0)
                return 0;

        /*
         * libcrypto checks the encoding: for PKCS#1 v1.5 the whole block against the DigestInfo
         * it builds itself, for PSS any salt length the encoding holds (Intel's own manifests
         * use 48 bytes, OEM-signed ones 32).
         */
        key = rsa_public_key(n, e);
        if (!key)
                goto nomem;
        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
        const EVP_MD *md = hash_md(alg);
        if (!ctx || !md || EVP_PKEY_verify_init(ctx) != 1 ||
            EVP_PKEY_CTX_set_rsa_padding(ctx, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) != 1 ||
            EVP_PKEY_CTX_set_signature_md(ctx, md) != 1)
                goto fail;
        if (pss && (EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) != 1 ||
                    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_AUTO) != 1))
                goto fail;
        int r = EVP_PKEY_verify(ctx, sig, mod_len, digest, digest_len);
        /* anything but success is a signature that does not verify (a bad encoding included) */
        ERR_clear_error();
        return r == 1;

fail:
        ERR_clear_error();
        return -EIO;
nomem:
        ERR_clear_error();
        return -ENOMEM;
}
