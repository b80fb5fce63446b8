/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A flash image inside another file: a board maker's BIOS update is often the whole SPI image
 * behind a header of its own (a UEFI capsule header, AMI's Aptio capsule, or a vendor header
 * of any size, such as 0xCC0 bytes). The image is found by its descriptor, and a descriptor is
 * only taken when its map and regions make sense for the bytes that follow: a stray signature
 * inside compressed data or a module is not a descriptor.
 *
 * The capsule header (UEFI specification, "EFI_CAPSULE_HEADER"): GUID, HeaderSize (u32 at 16),
 * Flags (u32 at 20), CapsuleImageSize (u32 at 24, the whole capsule). AMI's Aptio capsule adds
 * RomImageOffset (u16 at 28) where the flash image starts.
 */
#include <errno.h>
#include <string.h>

#include "core/util.h"
#include "descriptor.h"
#include "mefw/ifd.h"

/* Where the capsule header's fields sit, and how many candidate signatures a file may make us
 * check (each one is a descriptor decode). */
#define CAPSULE_HEADER_SIZE_AT 16
#define CAPSULE_IMAGE_SIZE_AT 24
#define APTIO_ROM_OFFSET_AT 28
#define CAPSULE_HEADER_MIN 28
#define MAX_CANDIDATES 256

typedef struct {
        uint8_t guid[16]; /* as stored: the first three fields little-endian */
        const char *name;
        bool aptio;       /* carries RomImageOffset */
} capsule_kind;

/* Public GUIDs: the UEFI specification's capsule and FMP capsule, AMI's Aptio firmware capsule
 * (as AMI's own headers in public trees define it). */
static const capsule_kind capsule_kinds[] = {
        { { 0xBD, 0x86, 0x66, 0x3B, 0x76, 0x0D, 0x30, 0x40, 0xB7, 0x0E, 0xB5, 0x51, 0x9E, 0x2F, 0xC5, 0xA0 },
          "UEFI capsule", false },
        { { 0xED, 0xD5, 0xCB, 0x6D, 0x2D, 0xE8, 0x44, 0x4C, 0xBD, 0xA1, 0x71, 0x94, 0x19, 0x9A, 0xD9, 0x2A },
          "UEFI FMP capsule", false },
        { { 0x8B, 0xA6, 0x3C, 0x4A, 0x23, 0x77, 0xFB, 0x48, 0x80, 0x3D, 0x57, 0x8C, 0xC1, 0xFE, 0xC4, 0x4D },
          "AMI Aptio capsule", true },
};

static const capsule_kind *capsule_at_start(const mefw_view *file) {
        if (!mefw_view_has(file, 0, CAPSULE_HEADER_MIN))
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(capsule_kinds); i++)
                if (memcmp(file->data, capsule_kinds[i].guid, 16) == 0)
                        return &capsule_kinds[i];
        return NULL;
}

/*
 * A descriptor whose layout fits the bytes from 'off' to 'end': the signature at +0x10, the
 * descriptor region at 0, an engine region after it that lies in those bytes, and nothing past
 * the flash the components describe. Returns the flash size (or the bytes available when the
 * density is unknown), 0 when this is no image.
 */
static uint64_t image_at(const mefw_view *file, size_t off, size_t end) {
        if (off >= end || end - off < 0x1000)
                return 0;
        mefw_view v = mefw_view_make(file->data + off, end - off, mefw_view_abs(file, off));
        mefw_ifd d;
        if (mefw_descriptor_parse(&v, &d) < 0)
                return 0;
        mefw_messages_clear(&d.messages);
        const mefw_ifd_region *desc = &d.regions[MEFW_IFD_REGION_DESCRIPTOR];
        const mefw_ifd_region *me = &d.regions[MEFW_IFD_REGION_ME];
        if (d.offset != 0x10 || d.n_regions <= MEFW_IFD_REGION_ME || !desc->used || desc->base != 0 || !me->used ||
            me->base <= desc->limit || me->base >= v.size)
                return 0;
        uint64_t top = 0;
        for (unsigned i = 0; i < d.n_regions; i++)
                if (d.regions[i].used)
                        top = MAX(top, (uint64_t) d.regions[i].limit + 1);
        if (d.flash_size && top > d.flash_size)
                return 0;
        return d.flash_size ? MIN(d.flash_size, (uint64_t) v.size) : v.size;
}

static void found(mefw_container *ret, const char *kind, const char *header, size_t off, uint64_t size) {
        *ret = (mefw_container){ .kind = kind, .header = header, .image_offset = off, .image_size = size };
}

/* The first plausible descriptor signature from 'from' on; the image starts 0x10 before it. */
static int scan(const mefw_view *file, size_t from, size_t end, const char *kind, const char *header,
                mefw_container *ret) {
        static const uint8_t sig[4] = { 0x5A, 0xA5, 0xF0, 0x0F };
        size_t at = MAX(from, (size_t) 0x10), checked = 0;
        while (at + 4 <= end && checked < MAX_CANDIDATES) {
                const uint8_t *p = memmem(file->data + at, end - at, sig, sizeof sig);
                if (!p)
                        break;
                size_t hit = (size_t) (p - file->data);
                checked++;
                uint64_t size = image_at(file, hit - 0x10, end);
                if (size) {
                        found(ret, kind, header, hit - 0x10, size);
                        return 0;
                }
                at = hit + 1;
        }
        return -ENOENT;
}

int mefw_find_flash_image(const uint8_t *data, size_t size, mefw_container *ret) {
        mefw_view file = mefw_view_make(data, size, 0);
        uint64_t n = image_at(&file, 0, size);
        if (n) {
                found(ret, NULL, NULL, 0, n);
                return 0;
        }
        const capsule_kind *cap = capsule_at_start(&file);
        if (cap) {
                uint32_t header_size = 0, capsule_size = 0;
                uint16_t rom_at = 0;
                (void) mefw_view_u32(&file, CAPSULE_HEADER_SIZE_AT, &header_size);
                (void) mefw_view_u32(&file, CAPSULE_IMAGE_SIZE_AT, &capsule_size);
                if (cap->aptio)
                        (void) mefw_view_u16(&file, APTIO_ROM_OFFSET_AT, &rom_at);
                /* The payload ends where the capsule says, when it says something sane. */
                size_t end = capsule_size > header_size && capsule_size <= size ? capsule_size : size;
                const size_t tries[] = { rom_at, header_size };
                for (size_t i = 0; i < ELEMENTSOF(tries); i++)
                        if (tries[i] >= CAPSULE_HEADER_MIN && tries[i] < end && (n = image_at(&file, tries[i], end))) {
                                found(ret, "capsule", cap->name, tries[i], n);
                                return 0;
                        }
                if (header_size >= CAPSULE_HEADER_MIN && header_size < end &&
                    scan(&file, header_size, end, "capsule", cap->name, ret) == 0)
                        return 0;
        }
        return scan(&file, 0, size, "vendor-image", "unknown vendor header", ret);
}
