/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Synthetic CSE images for tests: code partitions ($CPD + signed manifest + modules), CSE
 * regions with a $FPT, IFWI 1.7 layout tables with a BPDT, and a small MFS. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
        const char *name;
        const uint8_t *data;
        size_t len;
        unsigned compression; /* 0 none, 2 LZMA (compressed here, CSE header quirk added) */
} synth_cse_module;

typedef struct {
        const char *name;       /* partition name, 4 characters */
        bool r2;                /* $CPD R2 (CRC-32) and an R2 manifest (RSA-3072 PSS, SHA-384) */
        unsigned pss_salt;      /* R2: the PSS salt length, 0 for Intel's 48 (OEM manifests use 32) */
        bool no_metadata;       /* modules without "<module>.met" (CSME 12+ FTPR) */
        uint16_t version[4];
        uint32_t flags;         /* manifest flags; bit 0 = production ready */
        uint32_t svn, vcn, arb;
        bool ifwi_info;         /* partition hash in extension 0x16 instead of 0x03 */
        bool client_info;       /* add extension 0x0C */
        uint32_t sku_caps;
        uint64_t sku_attributes;
        const synth_cse_module *modules;
        size_t n_modules;
} synth_cse_spec;

/* A code partition: malloc'd, its length in *ret_len; *ret_man_off gets the manifest's offset. */
uint8_t *synth_cse_partition(const synth_cse_spec *spec, size_t *ret_len, size_t *ret_man_off);

typedef struct {
        const char *name;
        uint32_t offset; /* from the region start */
        uint32_t size;
        const uint8_t *content;
        size_t content_len;
} synth_cse_entry;

/* A CSME 11-style region: zero vector, $FPT v2.0 at 0x10 (header length 0x20, valid checksum). */
uint8_t *synth_cse_region(const synth_cse_entry *entries, size_t n, size_t region_size);

/* A CSME 16-style region: IFWI 1.7 layout table (valid CRC) with a data partition holding a
 * $FPT v2.1 (valid CRC) and boot partition 1 holding a BPDT v2 (valid CRC) whose entries are
 * the given partitions (type by name: RBEP 1, FTPR 2, NFTP 7, PMCP 14, PCHC 32). */
uint8_t *synth_cse_ifwi17(const synth_cse_entry *boot, size_t n, size_t region_size, size_t *ret_bp1);

/* An MFS partition of 'pages' pages with low-level files 6 (a configuration file whose mphytbl
 * record holds 'pch_byte' as its platform/stepping byte) and, if with_file7, 7. */
uint8_t *synth_mfs(size_t pages, uint8_t pch_byte, bool with_file7, size_t *ret_len);
