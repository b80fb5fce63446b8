/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libmefw: identify and validate Intel Management Engine firmware images.
 *
 * Conventions (systemd style):
 *  - functions return 0 (or a positive count) on success and a negative errno on failure;
 *  - out-parameters (ret_*) are written only on success;
 *  - the library never prints and never exits: everything it has to say about an image is
 *    collected as messages in the report the caller owns.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/core.h"
#include "mefw/db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
        MEFW_SIG_NOT_CHECKED = 0, /* no signed structure found */
        MEFW_SIG_VALID,           /* verified against a known Intel key */
        MEFW_SIG_INVALID,         /* the signature does not verify */
        MEFW_SIG_UNKNOWN_KEY,     /* verifies, but the key is not one we know */
} mefw_signature_state;

const char *mefw_signature_state_name(mefw_signature_state s); /* NULL, "valid", "invalid", "unknown-key" */

typedef enum {
        MEFW_HASH_NOT_CHECKED = 0,
        MEFW_HASH_VALID,
        MEFW_HASH_INVALID,
        MEFW_HASH_NOT_VERIFIABLE, /* e.g. Huffman-compressed: dictionary unavailable */
        MEFW_HASH_UNREADABLE,     /* data out of bounds or failed to decompress */
        MEFW_HASH_ABSENT,         /* the module's data is gone: all 0xFF or past the end of the file
                                   * (a region cleaned by me_cleaner, or truncated) */
} mefw_hash_state;

const char *mefw_hash_state_name(mefw_hash_state s);

typedef struct {
        char name[8];      /* printable form of the 4-byte name ("S-BPDT", "Boot 1" for CSE tables) */
        char owner[5];     /* printable owner id, "" when none */
        uint32_t type;     /* $FPT entry type (flags bits 6:0) */
        uint32_t flags;    /* raw $FPT entry flags */
        uint64_t offset;   /* absolute offset in the file */
        uint32_t size;     /* bytes; for virtual (EFFS-internal) entries the declared size */
        bool is_virtual;   /* offset 0xFFFFFFFF / 0: lives inside another partition */
        bool uncharted;    /* found after the last $FPT entry, not listed in the table */
        bool used;         /* holds data (not empty, not all 0xFF) */
        bool in_bounds;    /* lies within the region and the file */
        mefw_hash_state hash; /* CSE: the code partition's own hash (extension 0x03) */
        const char *table; /* where it is listed: "$FPT", "BPDT", "S-BPDT", "layout" (CSE layout
                            * table), "uncharted" (after the last entry), "file" (the whole input) */
} mefw_partition;

typedef struct {
        char partition[5];      /* code partition holding the module */
        char name[17];
        const char *compression; /* "none", "huffman", "lzma", "unknown" */
        uint64_t offset;         /* absolute offset of the stored data, when known */
        uint32_t size;           /* stored size */
        mefw_hash_state hash;
        bool encrypted;          /* stored encrypted (a stock module whose own hash cannot be checked) */
} mefw_module;

typedef struct {
        char partition[5];          /* partition name from the manifest or $FPT, "" if none */
        uint64_t offset;            /* absolute offset of the manifest header */
        uint16_t version[4];
        const char *tag;            /* "$MAN", "$MN2" */
        mefw_signature_state signature;
        const char *key;            /* key description, NULL when unknown */
        char key_hash[65];          /* SHA-256 of the stored modulus, uppercase hex */
} mefw_manifest_summary;

typedef struct mefw_report mefw_report;

typedef struct {
        const char *container; /* "spi-image", "region", "update", "descriptor", "unknown"; a flash
                                * image behind a header: "capsule", "vendor-image" */
        const char *family;    /* "ME", "TXE", "SPS", NULL */
        bool has_version;
        uint16_t version[4];
        const char *release; /* "Production", "Pre-Production", "ROM-Bypass" */
        const char *type;    /* "Stock", "Extracted", "Update" */
        char sku[48];        /* "" = null */
        const char *chipset; /* ME Analyzer's "Chipset Support" */
        const char *pch;     /* PCH and stepping, when known (points into pch_text or a static string) */
        char pch_text[64];
        mefw_opt_u32 tcb_svn, arb_svn, vcn;
        int pv;              /* -1 null, 0 false, 1 true */
        char date[11];       /* "YYYY-MM-DD", "" = null */
        bool has_size;
        uint64_t size;
        bool has_fit_version;
        uint16_t fit_version[4];
        mefw_signature_state signature;
        const char *key;
        /* CSE (CSME 11+, CSTXE, CSSPS) */
        const char *fs_state;        /* "Unconfigured", "Configured", "Initialized", NULL unknown */
        int oem_config;              /* OEM configuration present: -1 null, 0, 1 */
        int workstation;             /* CSME 11 workstation SKU: -1 null, 0, 1 */
        int fwupdate_support;        /* CSME 12+: the companion partitions an update needs are present */
        int power_down_mitigation;   /* CSME 11 LP: -1 null, 0, 1 */
        char chipset_stepping[16];   /* supported PCH steppings, "B, A"; "" = null */
        int patsburg;                /* ME 7: -1 null, 0, 1 */
        char blacklist_7_0[24];      /* ME 7 downgrade blacklists, "" = null */
        char blacklist_7_1[24];

        mefw_partition *partitions;
        size_t n_partitions;
        mefw_module *modules;
        size_t n_modules;
        /* Modules whose bytes the verified partition hash already proves, so their own hash was
         * not computed again (nor an LZMA module decompressed); 0 with deep analysis. */
        size_t n_modules_by_partition_hash;
        mefw_manifest_summary *manifests;
        size_t n_manifests;
} mefw_firmware;

struct mefw_ifd;

struct mefw_report {
        char *file;
        uint64_t file_size;
        mefw_firmware fw;
        mefw_messages messages;
        struct mefw_ifd *descriptor; /* the flash descriptor of a full SPI image, NULL when none */
        /* A flash image behind a header (fw.container "capsule" or "vendor-image"): the header's
         * name, and where the image starts and how long it is. Offsets in the report are offsets
         * in the file. */
        const char *container_header;
        uint64_t image_offset, image_size;
        mefw_report *components; /* further firmware in the same file */
        size_t n_components;
        /* What the firmware database says of this firmware (mefw/db.h): the newest known build of
         * its branch and the advisories that affect it; NULL when the firmware has no version. */
        struct mefw_report_db *db_info;
};

/* One file 'mefw unpack' writes: a region, partition or module of an analyzed file. */
typedef struct {
        char path[128];          /* inside the output folder: "regions/2-me.bin", "modules/FTPR/bup.bin";
                                  * made of safe components only (no "..", no '/' from the firmware) */
        const char *kind;        /* "descriptor", "region", "partition", "module" */
        char name[24];           /* as the firmware names it (printable) */
        char partition[5];       /* a module's partition */
        uint64_t offset;         /* of the stored bytes, in the file */
        uint64_t stored_size;
        const char *compression; /* modules: "none", "lzma", "huffman", "unknown" */
        bool has_hash;           /* a partition or module hash state applies (mefw_hash_state_name) */
        mefw_hash_state hash;
        const char *note;        /* why the bytes are written as stored, NULL otherwise */
        bool decompress;         /* LZMA: the file gets the decompressed bytes */
} mefw_unpack_item;

/* The items of an analyzed file (r from mefw_analyze_buffer on file_size bytes), capped (*ret_capped
 * says so). 0 and a malloc'd array, or -ENOMEM. */
int mefw_unpack_plan(const mefw_report *r, size_t file_size, mefw_unpack_item **ret, size_t *ret_n, bool *ret_capped);

/* The bytes of one item: 0 with *ret_data in the file or in *ret_owned (free() it), 1 when a
 * module that should be decompressed could not be (the stored bytes are given), -ERANGE, -ENOMEM. */
int mefw_unpack_item_bytes(const mefw_unpack_item *it, const uint8_t *file, size_t file_size, const uint8_t **ret_data,
                           size_t *ret_size, uint8_t **ret_owned);

/* The SHA-256 of bytes as lowercase hex, as index.json gives it: 0, or -ENOMEM. */
int mefw_unpack_sha256(const uint8_t *data, size_t size, char out[65]);

/* Analyze an in-memory image. 'name' is copied into the report. */
int mefw_analyze_buffer(const uint8_t *data, size_t size, const char *name, mefw_report **ret);

typedef struct {
        /* Decompress and hash every module even when a verified partition hash already covers its
         * stored bytes (slower; it also proves the compressed streams decode). */
        bool deep;
} mefw_analyze_options;

int mefw_analyze_buffer_with(const uint8_t *data, size_t size, const char *name, const mefw_analyze_options *opts,
                             mefw_report **ret);
int mefw_analyze_path_with(const char *path, const mefw_analyze_options *opts, mefw_report **ret);

/* Memory-map and analyze a file. Returns -errno when the file cannot be opened or mapped,
 * -EISDIR for a directory. */
int mefw_analyze_path(const char *path, mefw_report **ret);

void mefw_report_free(mefw_report *r);

/* True when the report (or one of its components) holds an error-level message. */
bool mefw_report_has_error(const mefw_report *r);

/* Emit the report as one JSON object (the 'mefw analyze --json' schema). */
void mefw_report_write_json(const mefw_report *r, mefw_json *j);

#define MEFW_REPORT_ADVISORIES_MAX 32

/* The database's view of one analyzed firmware (mefw_report.db_info). */
typedef struct mefw_report_db {
        char sku_class[24];
        int amt;                /* 1 with AMT, 0 without, -1 unknown */
        bool has_latest;
        mefw_latest latest;
        mefw_advisory_hit advisories[MEFW_REPORT_ADVISORIES_MAX]; /* point into the database */
        size_t n_advisories;
} mefw_report_db;

/*
 * Look the report's firmware (and its components') up in 'db' (NULL: the one in use). The
 * advisory pointers point into 'db', which must outlive the report. Analysis does this with
 * the database in use; call it again after switching databases.
 */
int mefw_report_apply_db(mefw_report *r, const mefw_db *db);

/* The "latest" and "advisories" keys of a report (null / [] when not looked up). */
void mefw_report_db_write_json(const mefw_report *r, mefw_json *j);

#ifdef __cplusplus
}
#endif
