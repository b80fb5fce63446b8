/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MFS, the CSE flash file system, and the configuration files kept in it (mfs.c). */
#pragma once

#include "internal.h"

typedef struct {
        mefw_view view;               /* the partition */
        bool valid;                   /* volume header and allocation table read */
        uint32_t sys_chunks;          /* chunks of the system area */
        uint32_t max_data_chunks;
        uint32_t n_chunk_slots;
        const uint8_t **chunks;       /* by chunk index, NULL when absent */
        uint8_t *system;              /* the system area, system_len bytes */
        size_t system_len;
        uint8_t dictionary, platform; /* file table selectors (CSME 13+) */
        bool has_file_table;
        uint32_t volume_size;
        uint32_t n_files;             /* low-level file records */
        const uint8_t *fat;           /* inside 'system' */
        size_t fat_entries;
        unsigned page_crc_errors, chunk_crc_errors;
} mefw_mfs;

/* Read the pages of an MFS partition. Damage (CRCs, sizes) is reported through ctx and reading
 * goes on; -EBADMSG when the partition is not MFS at all. Free with mefw_mfs_done. */
int mefw_mfs_read(mefw_ctx *ctx, const mefw_view *v, mefw_mfs *ret);
void mefw_mfs_done(mefw_mfs *m);

/* The obfuscation of system chunk indexes: each is stored XORed with this of the one before. */
uint16_t mefw_mfs_crc14(uint16_t previous_index);

/* Whether low-level file 'index' holds data. */
bool mefw_mfs_has_file(const mefw_mfs *m, unsigned index);

/* The bytes of low-level file 'index' (malloc'd; at most 4 MiB). -ENOENT when it has none. */
int mefw_mfs_file(const mefw_mfs *m, unsigned index, uint8_t **ret_data, size_t *ret_len);

/* How the stepping of a PCH initialization table is coded, by generation. */
typedef enum {
        MEFW_STEP_NONE,        /* not known for this generation: no result */
        MEFW_STEP_ABSOLUTE,    /* 0 = A, 1 = B, ... */
        MEFW_STEP_BITFIELD,    /* bit 3 D .. bit 0 A */
        MEFW_STEP_BY_HEADER,   /* absolute with the newer table header, bitfield with the older */
} mefw_step_coding;

typedef struct {
        mefw_step_coding stepping;
        const char *rename;    /* platform name forced by generation (CSME 14.5: "CMP-V"), or NULL */
} mefw_pch_rules;

typedef struct {
        char chipset[24];      /* "SPT-H", "CNP/CMP-LP" */
        char steppings[8];     /* "D", "BA" (most recent first) */
        bool previous;         /* from the mphytbl_prev record (the PCH generation before) */
} mefw_pch_entry;

/*
 * Find the PCH initialization tables (mphytbl records) in a configuration file: a u32 record
 * count, then records of record_size bytes (0x1C: named; 0xC: file IDs). Fills up to max
 * entries. 0, or -EINVAL / -EBADMSG for an unusable file.
 */
int mefw_cfg_find_pch(const uint8_t *cfg, size_t len, size_t record_size, const mefw_pch_rules *rules,
                      mefw_pch_entry *out, size_t max, size_t *ret_n);
