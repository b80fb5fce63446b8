/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image room: Intel engine firmware formats ($FPT, $MAN/$MN2 manifests and their modules,
 * $CPD, BPDT and the CSE layout table, MFS, CSE extensions), the per-generation fact tables and
 * the analysis pipeline that turns a file into a mefw_report. It may use core/ (reader, crypto,
 * LZMA), db/ (signing keys, known builds) and flash/ (the descriptor of a full SPI image);
 * nothing above it. These are its internal interfaces.
 */
#pragma once

#include <inttypes.h>

#include "mefw/ifd.h"
#include "mefw/mefw.h"
#include "db/keys.h"
#include "flash/descriptor.h"
#include "core/layouts.h"
#include "core/view.h"

/* State shared by one analysis: the whole input and the report being filled. */
typedef struct {
        mefw_view file;
        mefw_report *report;
        bool cut_reported;       /* "image-truncated" said once: one cut, one error */
        bool deep;               /* also decompress and check modules a partition hash covers */
} mefw_ctx;

/*
 * The file ends inside data: [off, off+len) starts in v, runs past its end, and what is there
 * is not erased. A region cut short (an interrupted download or dump) ends so; one shrunk on
 * purpose (me_cleaner) ends between partitions and modules, or on erased space.
 */
bool mefw_data_cut(const mefw_view *v, uint64_t off, uint64_t len);

/* Report that the file ends inside 'what' (an error: the image is incomplete), once per file. */
void mefw_report_cut(mefw_ctx *ctx, uint64_t abs_end, const char *what);

#define ctx_msg(ctx, sev, code, off, ...) \
        mefw_messages_add(&(ctx)->report->messages, (sev), (code), (int64_t) (off), __VA_ARGS__)

/* ---- size.c ---- */

/* Firmware size (end rounded up to 4 KiB) and the padding / cut-short messages. 'start' is the
 * firmware's start in the region view, 'end' its end relative to 'start'. */
void mefw_derive_size(mefw_ctx *ctx, const mefw_view *region, uint64_t region_size, bool from_descriptor, size_t start,
                      uint64_t end);

/* ---- fpt.c ---- */

#define MEFW_FPT_MAX_ENTRIES 128

typedef struct {
        uint8_t raw_name[4];
        char name[5];
        char owner[5];
        uint32_t offset; /* as stored: relative to the region start */
        uint32_t size;   /* as stored (0xFFFFFFFF: up to the end of the region) */
        uint32_t flags;
        bool is_virtual;  /* no storage of its own (offset 0 or 0xFFFFFFFF) */
        bool invalid;     /* flags say the entry is not valid */
        bool in_bounds;   /* [offset, offset+size) lies in the region view */
        bool cut;         /* the data ends inside it: the file was cut short there */
        bool used;        /* in bounds, non-empty and not all 0xFF */
        uint64_t span;    /* effective size inside the region */
} mefw_fpt_entry;

typedef struct {
        size_t offset;   /* of the $FPT tag within the region view */
        size_t start;    /* region start the entry offsets are relative to (within the view) */
        struct fpt_header header;
        bool checksum_ok;
        bool is_crc;               /* v2.1: CRC-32 instead of the 8-bit checksum */
        uint32_t checksum_stored, checksum_expected;
        mefw_fpt_entry *entries;
        size_t n_entries;
} mefw_fpt;

/*
 * Parse the $FPT whose tag is at 'fpt_off' in 'region' (region->data[0] is the region start,
 * except for v1.0 tables where entry offsets are relative to the tag). Messages go to the report.
 */
int mefw_fpt_parse(mefw_ctx *ctx, const mefw_view *region, size_t fpt_off, mefw_fpt *ret);
void mefw_fpt_done(mefw_fpt *fpt);
const mefw_fpt_entry *mefw_fpt_find(const mefw_fpt *fpt, const char *name);

/* The report's partition record of an entry; abs_base is the absolute offset entries count from. */
void mefw_fpt_entry_describe(const mefw_fpt_entry *e, uint64_t abs_base, mefw_partition *ret);

/* Plausibility test for a $FPT tag at off (counts, versions, lengths) without parsing entries. */
bool mefw_fpt_looks_valid(const mefw_view *v, size_t off);

/* ---- manifest.c ---- */

#define MEFW_MANIFEST_MAX_MODULES 128
#define MEFW_MANIFEST_MAX_RECORDS 64
#define MEFW_MANIFEST_MAX_UDC 8

typedef struct {
        char name[17];
        uint8_t hash[32];     /* as stored ($MAN: SHA-1 in the first 20 bytes) */
        uint32_t offset;      /* $MN2: data offset from the manifest start */
        uint32_t size;        /* $MN2: stored size; $MAN: module size */
        uint32_t size_uncompressed;
        uint32_t flags;
        size_t entry_offset;  /* of the $MME entry in the view */
} mefw_mme;

/* An update wrapper's pointer to one code partition it carries, with the partition's hash. */
typedef struct {
        char name[5];          /* partition: RCVY, CODE, NFTP, FTPR... */
        uint32_t offset;       /* relative to the $UDC record */
        uint32_t size;
        uint8_t hash[32];      /* byte-reversed; SHA-1 (first 20 bytes) in $MAN wrappers */
        size_t record_offset;  /* of the $UDC record, in the view holding the manifest */
} mefw_udc;

typedef struct {
        size_t offset;           /* manifest start within the view */
        struct manifest_header h;
        bool is_man;             /* $MAN (ME 2-5, SHA-1) rather than $MN2 */
        bool is_cse;             /* a CSE ("R1") manifest: build tag instead of a module count,
                                  * extensions instead of $MME entries */
        bool is_r2;              /* a CSE "R2" manifest (CSME 16+): RSA-3072 PSS, SHA-384 */
        size_t header_bytes;     /* HeaderLength * 4 */
        size_t total_bytes;      /* Size * 4, clipped to the view */
        bool truncated;          /* the declared size runs past the data */
        char partition[5];       /* $MN2 partition name ("" when none) */
        uint16_t version[4];

        mefw_mme modules[MEFW_MANIFEST_MAX_MODULES];
        size_t n_modules;
        size_t mme_stride;

        bool has_mcp;
        struct mcp_record mcp;
        size_t mcp_offset;       /* offsets of records are relative to the view holding the manifest */
        bool has_sku;
        uint8_t sku[8];
        size_t sku_len;          /* 4 or 8 attribute bytes */
        size_t sku_offset;
        int pv;                  /* $DAT production-ready byte, -1 when absent */
        mefw_udc udc[MEFW_MANIFEST_MAX_UDC];
        size_t n_udc;

        uint8_t key_hash[32];
        const struct mefw_key_info *key; /* NULL when the key is unknown */
        mefw_signature_state signature;
} mefw_manifest;

/* Header plausibility at off: vendor 0x8086, $MAN/$MN2 tag, 0x284-byte header, sane size. */
bool mefw_manifest_at(const mefw_view *v, size_t off);

/* First plausible manifest at or after 'from' (bounded linear search for the tags), or -1. */
int64_t mefw_manifest_find(const mefw_view *v, size_t from);

/* The same for a forward walk over one view: successive calls with growing 'from' search each
 * byte once in total (the scanner remembers where each tag occurs next). */
typedef struct {
        int64_t next_tag; /* the next "$MN2" or "$MAN"; INT64_MIN: not searched yet; -1: none left */
} mefw_manifest_scanner;
#define MEFW_MANIFEST_SCANNER_INIT { INT64_MIN }
int64_t mefw_manifest_next(const mefw_view *v, mefw_manifest_scanner *sc, size_t from);

/*
 * Parse and verify the manifest starting at 'off' in 'v'. Damage is reported through ctx and
 * parsing continues as far as it safely can; returns -EBADMSG when the header itself is unusable.
 * *ret is heap-allocated (free()).
 */
int mefw_manifest_parse(mefw_ctx *ctx, const mefw_view *v, size_t off, mefw_manifest **ret);

/* The manifest's BCD build date as "YYYY-MM-DD". */
void mefw_manifest_date(const struct manifest_header *h, char out[11]);

/* Add the manifest to the report's list, with a message for a bad signature or an unknown key
 * ('identity': the manifest that names the firmware; a foreign key there is always an error). */
void mefw_manifest_record(mefw_ctx *ctx, const mefw_view *v, const mefw_manifest *m, const char *partition,
                          bool identity);

/* ---- cpd.c: code partition directories ---- */

#define MEFW_CPD_MAX_ENTRIES 512

typedef struct {
        char name[13];
        uint32_t offset;      /* from the $CPD tag */
        uint32_t size;
        bool huffman;
        size_t entry_offset;  /* of the directory entry, in the view */
} mefw_cpd_entry;

typedef struct {
        size_t offset;            /* of the $CPD tag in the view */
        char name[5];             /* partition name */
        uint8_t header_version;   /* 1: 8-bit checksum, 2: CRC-32 */
        size_t header_length;
        bool checksum_ok;
        uint32_t checksum_stored, checksum_expected;
        bool header_only_ok;      /* R1: the checksum matches the 16-byte header alone */
        mefw_cpd_entry *entries;
        size_t n_entries;
} mefw_cpd;

/* Header plausibility: tag, versions, header length, 1..MEFW_CPD_MAX_ENTRIES entries. */
bool mefw_cpd_looks_valid(const mefw_view *v, size_t off);
/* -EBADMSG when no usable directory is there (a cut-short table is reported through ctx). */
int mefw_cpd_parse(mefw_ctx *ctx, const mefw_view *v, size_t off, mefw_cpd *ret);
void mefw_cpd_done(mefw_cpd *c);
const mefw_cpd_entry *mefw_cpd_find(const mefw_cpd *c, const char *name);
/* Whether the entry's bytes lie inside v (offsets relative to the directory). */
bool mefw_cpd_entry_in(const mefw_cpd *c, const mefw_cpd_entry *e, const mefw_view *v);

/* ---- cse_ext.c: CSE manifest and metadata extensions ---- */

#define MEFW_CSE_MAX_EXTENSIONS 256

/* What the summary needs from a CSE manifest's extensions (each 'has_' says it was present). */
typedef struct {
        unsigned count;                  /* extensions read */

        bool has_partition_info;         /* 0x03 */
        size_t partition_info_offset;    /* of the extension, in the view */
        char partition_name[5];
        uint32_t partition_size;
        uint8_t partition_hash[48];
        size_t partition_hash_len;       /* 32 (SHA-256) or 48 (SHA-384) */
        bool has_partition_vcn;
        uint32_t partition_vcn;

        bool has_ifwi_info;              /* 0x16: like 0x03 for partitions outside the boot chain */
        size_t ifwi_info_offset;
        uint32_t ifwi_size;
        uint8_t ifwi_hash_alg;           /* 0 none, 1 SHA-1, 2 SHA-256, 3 SHA-384 */
        uint8_t ifwi_hash[48];

        bool has_client_info;            /* 0x0C */
        uint32_t sku_caps;
        uint64_t sku_attributes;

        bool has_package_info;           /* 0x0F or 0x23 */
        uint32_t package_vcn;
        uint32_t arb_svn;
        bool has_package_info_v2;        /* 0x23 */
        uint8_t fw_type, fw_sku;         /* 0x23, or 0x0F in its revised layout (CSME 12+, CSSPS 4.4/5+);
                                          * reserved bytes in the original one */

        bool has_sps_platform;           /* 0x32 */
        char sps_type[3];                /* "RC" recovery, "OP" operational */
        char sps_platform[3];
} mefw_cse_exts;

/*
 * Read the extension list in [start, end) of v. hash_len (32 or 48) selects the layouts with
 * SHA-256 or SHA-384 fields. A bad length stops the walk with a message at its offset;
 * what was read before stays. 'where' names the file for messages ("FTPR.man").
 */
void mefw_cse_read_extensions(mefw_ctx *ctx, const mefw_view *v, size_t start, size_t end, size_t hash_len,
                              const char *where, mefw_cse_exts *ret);

/* 0x0A Module Attributes of one module, from its .met file. */
typedef struct {
        uint8_t compression;      /* 0 none, 1 Huffman, 2 LZMA */
        uint8_t encryption;
        uint32_t size_uncompressed, size_compressed;
        uint8_t hash[48];
        size_t hash_len;
        size_t offset;            /* of the extension, in the view */
} mefw_cse_module_attr;

/* 0 and *ret filled when [start, end) holds a 0x0A extension; -ENOENT otherwise. */
int mefw_cse_find_module_attr(const mefw_view *v, size_t start, size_t end, size_t hash_len,
                              mefw_cse_module_attr *ret);

/* ---- bpdt.c: CSE layout table and boot partition descriptor tables ---- */

#define MEFW_BPDT_MAX_ENTRIES 64
#define MEFW_BPDT_MAX_TABLES 16 /* primary, secondary and redundant copies in one image */

typedef struct {
        uint16_t type;
        char name[8];
        uint32_t offset; /* relative to the BPDT */
        uint32_t size;
} mefw_bpdt_entry;

typedef struct {
        size_t offset;       /* of the BPDT in the view */
        size_t base;         /* what entry offsets count from: the primary table (set by the caller) */
        uint8_t version;     /* 1: IFWI 1.6 / 2.0, 2: IFWI 1.7 */
        uint16_t fit[4];     /* Flash Image Tool version */
        mefw_bpdt_entry entries[MEFW_BPDT_MAX_ENTRIES];
        size_t n_entries;
} mefw_bpdt;

const char *mefw_bpdt_type_name(unsigned type); /* NULL when unknown */
bool mefw_bpdt_at(const mefw_view *v, size_t off);
int mefw_bpdt_parse(mefw_ctx *ctx, const mefw_view *v, size_t off, mefw_bpdt *ret);

typedef struct {
        char name[8];        /* "Data", "Boot 1".. "Boot 5", "Temp", "ELog" */
        uint32_t offset, size;
        bool empty;
} mefw_cse_lt_part;

typedef struct {
        int version;         /* 16 (IFWI 1.6) or 17 (IFWI 1.7) */
        mefw_cse_lt_part parts[8];
        size_t n_parts;
} mefw_cse_lt;

/* A layout table at the start of v; -ENOENT when there is none. */
int mefw_cse_lt_parse(mefw_ctx *ctx, const mefw_view *v, mefw_cse_lt *ret);

/* ---- generations.c: per-generation facts kept as tables ---- */

/* ME Analyzer's "Chipset Support" string for a family and version, NULL when unknown. */
const char *mefw_chipset_support(const char *family, unsigned major, unsigned minor);

/*
 * SKU name from a $SKU attribute (4 bytes on ME 2-6 / SPS, 8 bytes on ME 7-10 / TXE).
 * key_signs is the key table's description (TXE uses it to tell I/T from M/D parts).
 * Writes "" when the attribute matches nothing known. Also reports ME 7's Patsburg bit.
 */
void mefw_sku_name(const char *family, const uint16_t version[4], const uint8_t *attr, size_t attr_len,
                   const char *key_signs, char *out, size_t out_len, int *ret_patsburg);

/* ME 7 downgrade blacklists ("<= 7.0.10.1203" or "Empty"), read from the FTPR manifest area. */
void mefw_me7_blacklists(const mefw_view *region, const mefw_manifest *m, char *out70, size_t len70, char *out71,
                         size_t len71);

/* ---- regiontype.c ---- */

/* Whether an ME 2-7 region was configured (ME Analyzer's "Extracted") rather than stock. */
bool mefw_old_region_configured(const mefw_view *region, const mefw_fpt *fpt, unsigned major, unsigned minor,
                                const char *sku);

/* SPS 2-3 platform name from its two-letter code ("GR" -> "Grantley"), NULL when unknown. */
const char *mefw_sps_platform(const char code[2]);

/* Check the partitions an update wrapper points at against the hashes it carries. */
void mefw_check_udc(mefw_ctx *ctx, const mefw_view *v, const mefw_manifest *m);
