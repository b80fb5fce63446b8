/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intel flash descriptor (IFD): decode, edit, and take regions out of / put them into a full
 * SPI image. Same conventions as mefw.h: negative errno returns, out-parameters written only on
 * success, nothing printed.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MEFW_IFD_MAX_REGIONS 16
#define MEFW_IFD_MAX_MASTERS 5
#define MEFW_IFD_MAX_VSCC 32
#define MEFW_IFD_MAX_CANDIDATES 4

#define MEFW_IFD_REGION_DESCRIPTOR 0
#define MEFW_IFD_REGION_BIOS 1
#define MEFW_IFD_REGION_ME 2
#define MEFW_IFD_REGION_GBE 3

typedef struct {
        uint32_t base;  /* absolute byte offset */
        uint32_t limit; /* inclusive */
        bool used;      /* base <= limit */
} mefw_ifd_region;

typedef struct {
        const char *name; /* "host", "me", "gbe", "devexp", "ec" */
        unsigned number;  /* n of FLMSTRn */
        uint32_t value;   /* the raw FLMSTR word */
        uint16_t read;    /* bit i: may read region i */
        uint16_t write;   /* bit i: may write region i */
} mefw_ifd_master;

typedef struct {
        unsigned index; /* 1 or 2 */
        uint64_t size;  /* bytes, 0 when the density code is invalid */
} mefw_ifd_component;

typedef struct {
        uint32_t jid;  /* JEDEC id: vendor in bits 7:0, device in 23:8 */
        uint32_t vscc; /* vendor-specific component capabilities */
} mefw_ifd_vscc;

/* SPI clock frequencies in MHz, 0 when the code is reserved or the field has no meaning. */
typedef struct {
        unsigned read, fast_read, write_erase, read_id;
        bool fast_read_supported;
        bool dual_output_supported;
} mefw_ifd_clocks;

typedef struct mefw_ifd {
        uint32_t offset;         /* where the signature sits: 0x0 (ICH8-10) or 0x10 */
        unsigned layout_version; /* 1: ICH8 .. Wildcat Point and Bay Trail; 2: Sunrise Point on */
        uint32_t flmap[4];       /* FLMAP0-2; FLMAP3 holds the revision from Cannon Point on */
        uint32_t flumap1;        /* upper map at 0xEFC: VSCC table */
        uint32_t fcba, frba, fmba, fpsba, fmsba;
        unsigned isl, msl;       /* PCH and processor strap lengths in dwords */

        bool has_revision;       /* FLMAP3 descriptor revision (Cannon Point and later) */
        unsigned revision_major, revision_minor;

        /* Chipset: the candidates the descriptor is compatible with, best guess first. */
        size_t n_candidates;
        const char *chipset_codes[MEFW_IFD_MAX_CANDIDATES]; /* "CPT", "SPT", ... */
        const char *chipset_names[MEFW_IFD_MAX_CANDIDATES]; /* "Cougar Point (6-series)" */
        bool chipset_refined; /* narrowed by the engine firmware version found in the image */

        uint64_t flash_size; /* sum of the declared components, 0 when unknown */
        size_t n_components;
        mefw_ifd_component components[2];
        mefw_ifd_clocks clocks;

        unsigned n_regions; /* region words present (by the gap to the next section) */
        mefw_ifd_region regions[MEFW_IFD_MAX_REGIONS];

        size_t n_masters;
        mefw_ifd_master masters[MEFW_IFD_MAX_MASTERS];
        bool host_me_read, host_me_write;

        const char *me_disable_kind; /* strap this generation has: "hap", "altmedisable", NULL if unknown */
        const char *me_disable;      /* the strap that is set: "hap", "altmedisable", or NULL */
        bool me_disable_unconfirmed; /* the bit that was HAP is set where its meaning is not confirmed:
                                      * not taken as a disabled engine */

        size_t n_vscc;
        mefw_ifd_vscc vscc[MEFW_IFD_MAX_VSCC];

        size_t n_descriptors; /* valid descriptor signatures on 4 KiB boundaries of the file */
        size_t n_copies;      /* of them, identical copies inside the descriptor region (Meteor Lake keeps one) */
        mefw_messages messages; /* decoding and layout findings, with absolute offsets */
} mefw_ifd;

/* Where a flash image (a descriptor and the regions it maps) sits inside a file. */
typedef struct {
        const char *kind;       /* NULL: the file is the image; "capsule"; "vendor-image" (a header
                                 * mefw does not know) */
        const char *header;     /* the header's name ("AMI Aptio capsule"...), NULL for a plain image */
        uint64_t image_offset;  /* where the image (its descriptor) starts in the file */
        uint64_t image_size;    /* its bytes: the flash size its descriptor gives, or to the end of
                                 * the file (or of the capsule) when shorter */
} mefw_container;

/*
 * Find the flash image in a file: at its start, behind a known capsule header, or behind any
 * header when a descriptor signature there has a plausible map and engine region. 0 and *ret
 * filled, or -ENOENT (ret untouched).
 */
int mefw_find_flash_image(const uint8_t *data, size_t size, mefw_container *ret);

/*
 * Decode the descriptor at the start of an image and check the layout against the file size.
 * -ENOENT when there is no descriptor, -ENOMEM. Free with mefw_ifd_free().
 */
int mefw_ifd_parse(const uint8_t *data, size_t size, mefw_ifd **ret);
void mefw_ifd_free(mefw_ifd *d);

/* Narrow the chipset candidates by the engine firmware the image holds (family and version). */
void mefw_ifd_refine_chipset(mefw_ifd *d, const char *family, const uint16_t version[4]);

/* Region names: "descriptor", "bios", "me", "gbe", "pdr", "devexp1", "bios2", "microcode",
 * "ec", "devexp2", "ie", "10gbe0", "10gbe1", "reserved13", "reserved14", "ptt". */
const char *mefw_ifd_region_name(unsigned index);
/* Index of a region name (also "fd", "ifd", "pd", "devexp", "txe", "cse" and plain numbers); -EINVAL. */
int mefw_ifd_region_index(const char *name);

/* The JSON object 'mefw ifd --json' prints; "file" comes first when file is not NULL. */
void mefw_ifd_write_json(const mefw_ifd *d, const char *file, mefw_json *j);

/* ---- edits: each works on a caller-owned copy of the image and lists what it changed ---- */

typedef struct {
        char what[48];   /* "FLMSTR1", "PCHSTRP10", ... */
        uint32_t offset; /* absolute offset of the dword */
        uint32_t before, after;
} mefw_ifd_change;

#define MEFW_IFD_MAX_CHANGES 8

typedef struct {
        size_t n;
        mefw_ifd_change items[MEFW_IFD_MAX_CHANGES];
} mefw_ifd_changes;

/* Give the host (BIOS) and the engine read and write access to every region.
 * -ERANGE when the master section is not in the image, -EINVAL when a damaged map puts it on
 * the descriptor's own map words (the edit would destroy the descriptor). */
int mefw_ifd_unlock(uint8_t *image, size_t size, const mefw_ifd *d, mefw_ifd_changes *ret);

/* The reverse: Intel's recommended access, each master reading the descriptor and its own region
 * and writing its own (host and engine also the GbE region when there is one). Errors as for
 * mefw_ifd_unlock. */
int mefw_ifd_lock(uint8_t *image, size_t size, const mefw_ifd *d, mefw_ifd_changes *ret);

/* Set the ME-disable strap: kind is "hap" or "altmedisable". -EOPNOTSUPP when this descriptor's
 * generation has the other strap (or it is unknown) and !force; -ERANGE when the strap section
 * is too short to hold it; -EINVAL as for mefw_ifd_unlock. */
int mefw_ifd_set_me_disable(uint8_t *image, size_t size, const mefw_ifd *d, const char *kind, bool force,
                            mefw_ifd_changes *ret);

/* ---- regions ---- */

/* The bytes of a used region, inside the image. -ENOENT for an unused or unknown region,
 * -ERANGE when the region runs past the end of the image. */
int mefw_ifd_region_bytes(const mefw_ifd *d, const uint8_t *image, size_t size, unsigned index,
                          const uint8_t **ret_data, size_t *ret_size);

#ifdef __cplusplus
}
#endif
