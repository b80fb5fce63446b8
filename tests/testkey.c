/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test-only RSA keys made at test time with OpenSSL, signatures in the Intel layout. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "testkey.h"
#include "core/util.h"

struct testkey {
        EVP_PKEY *pkey;
        unsigned bits;
        uint32_t e;
        size_t k;
};

#define TESTKEY_CACHE_MAX 16

static struct {
        unsigned bits;
        unsigned e;
        EVP_PKEY *pkey;
} cache[TESTKEY_CACHE_MAX];
static size_t n_cache;

static void pkey_ctx_freep(EVP_PKEY_CTX **p) {
        EVP_PKEY_CTX_free(*p);
}

static void bn_freep(BIGNUM **p) {
        BN_free(*p);
}

static EVP_PKEY *generate(unsigned bits, unsigned e) {
        _cleanup_(pkey_ctx_freep) EVP_PKEY_CTX *ctx = NULL;
        _cleanup_(bn_freep) BIGNUM *ebn = NULL;
        EVP_PKEY *pkey = NULL;

        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        ebn = BN_new();
        if (!ctx || !ebn || BN_set_word(ebn, e) != 1)
                goto fail;
        if (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int) bits) <= 0 ||
            EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, ebn) <= 0)
                goto fail;

        /* OpenSSL may return a modulus one bit short for odd sizes (always for >= 2048 bits). */
        for (unsigned attempt = 0; attempt < 16; attempt++) {
                if (EVP_PKEY_generate(ctx, &pkey) <= 0)
                        goto fail;
                if (EVP_PKEY_get_bits(pkey) == (int) bits)
                        return pkey;
                EVP_PKEY_free(pkey);
                pkey = NULL;
        }

fail:
        ERR_clear_error();
        return NULL;
}

testkey *testkey_new(unsigned bits, unsigned e) {
        EVP_PKEY *pkey = NULL;
        testkey *key;

        if (bits < 512 || bits > 8192 || e < 3 || e % 2 == 0)
                return NULL;

        for (size_t i = 0; i < n_cache; i++)
                if (cache[i].bits == bits && cache[i].e == e) {
                        pkey = cache[i].pkey;
                        break;
                }

        if (!pkey) {
                pkey = generate(bits, e);
                if (!pkey)
                        return NULL;
                if (n_cache < TESTKEY_CACHE_MAX) {
                        cache[n_cache].bits = bits;
                        cache[n_cache].e = e;
                        cache[n_cache].pkey = pkey;
                        n_cache++;
                        if (EVP_PKEY_up_ref(pkey) != 1)
                                return NULL;
                }
        } else if (EVP_PKEY_up_ref(pkey) != 1)
                return NULL;

        key = calloc(1, sizeof(*key));
        if (!key) {
                EVP_PKEY_free(pkey);
                return NULL;
        }
        key->pkey = pkey;
        key->bits = bits;
        key->e = e;
        key->k = (size_t) EVP_PKEY_get_size(pkey);
        return key;
}

void testkey_free(testkey *key) {
        if (!key)
                return;
        EVP_PKEY_free(key->pkey);
        free(key);
}

void testkey_cache_clear(void) {
        for (size_t i = 0; i < n_cache; i++)
                EVP_PKEY_free(cache[i].pkey);
        n_cache = 0;
}

size_t testkey_modulus_len(const testkey *key) {
        return key ? key->k : 0;
}

uint32_t testkey_exponent(const testkey *key) {
        return key ? key->e : 0;
}

size_t testkey_modulus_le(const testkey *key, uint8_t *out, size_t cap) {
        _cleanup_(bn_freep) BIGNUM *n = NULL;

        if (!key || !out || cap < key->k)
                return 0;
        if (EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
            BN_bn2lebinpad(n, out, (int) key->k) != (int) key->k) {
                ERR_clear_error();
                return 0;
        }
        return key->k;
}

static void reverse_in_place(uint8_t *p, size_t len) {
        for (size_t i = 0; i < len / 2; i++) {
                uint8_t t = p[i];
                p[i] = p[len - 1 - i];
                p[len - 1 - i] = t;
        }
}

static int sign_with(const testkey *key, mefw_rsa_scheme scheme, unsigned salt_len, const uint8_t *digest,
                     size_t dlen, uint8_t *sig_le, size_t cap) {
        _cleanup_(pkey_ctx_freep) EVP_PKEY_CTX *ctx = NULL;
        const EVP_MD *md;
        size_t siglen;

        if (!key || !digest || !sig_le)
                return -EINVAL;
        switch (scheme) {
        case MEFW_RSA_PKCS1_SHA1:
                md = EVP_sha1();
                break;
        case MEFW_RSA_PKCS1_SHA256:
                md = EVP_sha256();
                break;
        case MEFW_RSA_PSS_SHA384:
                md = EVP_sha384();
                break;
        default:
                return -EINVAL;
        }
        if (dlen != (size_t) EVP_MD_get_size(md))
                return -EINVAL;
        if (cap < key->k)
                return -ENOBUFS;

        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
        if (!ctx)
                return -ENOMEM;
        if (EVP_PKEY_sign_init(ctx) <= 0)
                goto fail;
        if (scheme == MEFW_RSA_PSS_SHA384) {
                if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
                    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) <= 0 ||
                    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, (int) salt_len) <= 0)
                        goto fail;
        } else if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
                   EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0)
                goto fail;

        siglen = cap;
        if (EVP_PKEY_sign(ctx, sig_le, &siglen, digest, dlen) <= 0 || siglen != key->k)
                goto fail;
        reverse_in_place(sig_le, siglen);
        return (int) siglen;

fail:
        ERR_clear_error();
        return -EIO;
}

int testkey_sign_raw(const testkey *key, const uint8_t *em_be, size_t len, uint8_t *sig_le, size_t cap) {
        _cleanup_(pkey_ctx_freep) EVP_PKEY_CTX *ctx = NULL;
        size_t siglen;

        if (!key || !em_be || !sig_le || len != key->k)
                return -EINVAL;
        if (cap < key->k)
                return -ENOBUFS;

        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
        if (!ctx)
                return -ENOMEM;
        siglen = cap;
        if (EVP_PKEY_sign_init(ctx) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) <= 0 ||
            EVP_PKEY_sign(ctx, sig_le, &siglen, em_be, len) <= 0 || siglen != key->k) {
                ERR_clear_error();
                return -EIO;
        }
        reverse_in_place(sig_le, siglen);
        return (int) siglen;
}

int testkey_sign(const testkey *key, mefw_rsa_scheme scheme, const uint8_t *digest, size_t dlen, uint8_t *sig_le,
                 size_t cap) {
        return sign_with(key, scheme, 48, digest, dlen, sig_le, cap);
}

int testkey_sign_pss(const testkey *key, unsigned salt_len, const uint8_t *digest, size_t dlen, uint8_t *sig_le,
                     size_t cap) {
        return sign_with(key, MEFW_RSA_PSS_SHA384, salt_len, digest, dlen, sig_le, cap);
}
