/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fact tables compiled into the binary from data/ (Intel signing keys, ...). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEFW_KEYS_MAX 512

typedef struct mefw_key_info {
        char family[16];   /* "ME", "TXE", "CSME", ..., "shared" */
        char signs[96];    /* which versions the key signs, e.g. "9.0-9.1" */
        bool production;
        uint8_t hash[32];  /* SHA-256 of the stored modulus */
        char name[128];    /* "ME 9.0-9.1 production" */
} mefw_key_info;

/*
 * Parse a key table (the text format of data/intel-keys.tsv) into 'keys' (at most 'max').
 * Malformed lines are skipped and counted in *ret_bad (may be NULL). Returns the number of keys.
 */
size_t mefw_keys_parse(const char *text, size_t len, mefw_key_info *keys, size_t max, size_t *ret_bad);

/* Look up a key by the SHA-256 of its stored modulus in the built-in table; NULL when unknown. */
const mefw_key_info *mefw_db_find_key(const uint8_t sha256[32]);
