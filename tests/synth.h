/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synthetic engine firmware for tests, fuzz seeds and the demo: manifests, code partitions,
 * $FPT regions and full SPI images built in memory and signed with a key made at run time.
 * Never real Intel firmware. Layouts follow lib/layouts.h.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
        const char *name;     /* up to 16 characters */
        const uint8_t *data;  /* module contents as loaded */
        size_t len;
        unsigned compression; /* $MN2: 0 none, 2 LZMA (compressed here). $MAN: always stored */
        bool stored_as_is;    /* $MN2: the data is stored as given whatever the compression says
                               * (an encrypted module) */
} synth_module;

typedef struct {
        bool man;                /* $MAN (ME 2-5, SHA-1) instead of $MN2 */
        uint16_t version[4];
        const char *partition;   /* $MN2 partition name, e.g. "FTPR" */
        uint32_t flags;
        uint32_t svn, svn_me8, vcn;
        uint8_t date[4];         /* BCD: day, month, year low, year high */
        const uint8_t *sku;      /* $SKU attribute (4 or 8 bytes), NULL for none */
        size_t sku_len;
        int pv;                  /* $DAT production-ready byte, -1 for no $DAT */
        bool mcp;                /* add $MCP (ME 7-10) */
        const synth_module *modules;
        size_t n_modules;
        unsigned txe_stride;     /* 0x80 for TXE-style module entries, else default */
} synth_manifest_spec;

/*
 * A whole code partition: the signed manifest, then the module data. Returns a malloc'd buffer
 * (its length in *ret_len), NULL on failure. *ret_manifest_len gets the manifest's size.
 */
uint8_t *synth_partition(const synth_manifest_spec *spec, size_t *ret_len, size_t *ret_manifest_len);

typedef struct {
        const char *name;       /* 4 characters */
        uint32_t offset;        /* relative to the region start; 0xFFFFFFFF for virtual */
        uint32_t size;
        uint32_t type;          /* $FPT type (flags bits 6:0) */
        const uint8_t *content; /* copied at offset, may be NULL (left 0xFF) */
        size_t content_len;
} synth_fpt_part;

/*
 * A region of region_size bytes (0xFF filled): 16-byte vector and a v2.0 $FPT at 0x10 (ME 3-10
 * style, header length 0x30, valid checksum), then the partitions. Returns malloc'd bytes.
 */
uint8_t *synth_region(const synth_fpt_part *parts, size_t n, size_t region_size);

/* Recompute the $FPT checksum of a synth_region() after editing its header or entries. */
void synth_region_fix_checksum(uint8_t *region);

/*
 * A full SPI image of flash_size bytes: a descriptor (signature at 0x10, IFD v1 layout with
 * 3-bit density) whose ME region is [me_base, me_base + me_len) and BIOS fills the rest; the
 * region bytes are copied in. Returns malloc'd bytes.
 */
uint8_t *synth_spi(const uint8_t *me_region, size_t me_len, uint32_t me_base, size_t flash_size);

/* A complete ME 9-style 1.5MB stock region (FTPR with an uncompressed and an LZMA module). */
uint8_t *synth_me9_region(size_t *ret_len);

/* Helpers for tests that poke at bytes. */
void synth_put32(uint8_t *p, uint32_t v);
void synth_put16(uint8_t *p, uint16_t v);

/* A standard .lzma ("LZMA alone") stream of data; malloc'd, NULL on failure. */
uint8_t *synth_lzma_alone(const uint8_t *data, size_t len, size_t *ret_len);

/*
 * A flash image behind a header, as board makers ship BIOS updates: with aptio, AMI's Aptio
 * capsule header (its GUID, header size, capsule size, RomImageOffset) padded to header_len;
 * otherwise header_len bytes that no format names. 'trailer' bytes of 0x5A follow the image
 * (a signature block, say). malloc'd; *ret_len gets the whole length.
 */
uint8_t *synth_wrapped(const uint8_t *image, size_t len, bool aptio, size_t header_len, size_t trailer,
                       size_t *ret_len);
