/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CSE firmware analysis: the container walk (cse.c) hands its findings to the field derivation
 * (cse_fields.c) and the file system reader (mfs.c). */
#pragma once

#include "internal.h"

#define MEFW_CSE_MAX_PARTS 64 /* code partitions analyzed in one image */

/* One analyzed code partition, as the field derivation sees it. */
typedef struct {
        char name[5];                   /* from its $CPD */
        size_t offset;                  /* of the $CPD, in the region view */
        size_t limit;                   /* bytes its container gives it */
        const mefw_cpd *cpd;
        const mefw_manifest *manifest;  /* NULL when none could be read */
        const mefw_cse_exts *ext;
} mefw_cse_partition_info;

typedef struct {
        mefw_ctx *ctx;
        const mefw_view *region;
        uint64_t region_size;
        bool from_descriptor;
        const mefw_fpt *fpt;            /* NULL without one */
        size_t fpt_base;                /* region offset its entries are relative to */
        const mefw_cse_lt *lt;          /* NULL without one */
        const mefw_bpdt *const *bpdts;
        size_t n_bpdts;
        bool ifwi;                      /* BPDT at the start */
        bool standalone;                /* a lone $CPD */
        mefw_cse_partition_info parts[MEFW_CSE_MAX_PARTS];
        size_t n_parts;
        const mefw_cse_partition_info *identity;
} mefw_cse_view;

/*
 * Analyze a CSE-structured region (or IFWI image, or lone code partition) into ctx->report.
 * -ENOENT when the data is not CSE-structured (the caller then tries the older formats).
 */
int mefw_cse_analyze(mefw_ctx *ctx, mefw_view region, uint64_t region_size, bool from_descriptor);

/* Derive the summary fields, companion components and CSE messages (cse_fields.c). */
void mefw_cse_derive(const mefw_cse_view *v);

/* A wrong ext 0x03 partition hash: an error, or a note where Intel shipped it that way. */
void mefw_cse_report_partition_hash(mefw_ctx *ctx, const char *family, const mefw_manifest *identity,
                                    const char *partition, const char *manifest_name, unsigned ext,
                                    uint32_t partition_size, uint64_t abs_offset);

/* The family of a code partition: its key, else the files only one family has. NULL if unknown. */
const char *mefw_cse_family(const mefw_cpd *cpd, const mefw_manifest *m);

/* The family a CSE signing key belongs to (CSME, CSTXE, CSSPS, PMC, PCHC, PHY, GSC); NULL when the
 * key is unknown or shared between families. */
const char *mefw_cse_family_from_key(const mefw_manifest *m);
