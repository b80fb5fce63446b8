/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intel flash descriptor: just enough to locate the regions and the flash size. The full
 * decoder (masters, straps, VSCC, chipset) builds on this.
 */
#include <stdio.h>

#include "internal.h"
#include "layouts.h"

static const char *const region_names[MEFW_IFD_MAX_REGIONS] = {
        "descriptor", "bios", "me", "gbe", "pdr", "devexp1", "bios2", "microcode",
        "ec", "devexp2", "ie", "10gbe0", "10gbe1", "reserved13", "reserved14", "ptt",
};

const char *mefw_ifd_region_name(unsigned index) {
        return index < ELEMENTSOF(region_names) ? region_names[index] : "unknown";
}

/* Map bases are stored as byte>>4 and must land inside the 4 KiB descriptor. */
static bool map_plausible(const struct ifd_map *m) {
        uint32_t fcba = (m->flmap0 & 0xFF) << 4;
        uint32_t frba = ((m->flmap0 >> 16) & 0xFF) << 4;
        uint32_t fmba = (m->flmap1 & 0xFF) << 4;
        return fcba >= 0x10 && frba >= 0x10 && fmba >= 0x10 && fcba < 0xF00 && frba < 0xF00 && fmba < 0xF00 &&
               fcba != frba;
}

static int read_map_at(const mefw_view *file, size_t off, struct ifd_map *ret) {
        struct ifd_map m;
        if (ifd_map_read(file, off, &m) < 0 || m.signature != IFD_SIGNATURE || !map_plausible(&m))
                return -ENOENT;
        *ret = m;
        return 0;
}

/* Density codes: 512 KiB << code. Pre-Lynx Point parts use 3-bit fields, later ones 4-bit. */
static uint64_t component_size(unsigned code, bool wide) {
        if (wide && code == 0xF)
                return 0;
        if (code > 7)
                return 0;
        return (uint64_t) 512 * 1024 << code;
}

/*
 * Whether FLCOMP uses 4-bit density fields. Descriptors with ICC register-init data and a PCH
 * strap length above 18 dwords are Lynx Point or later; Ibex Peak and older never have ICCRIBA.
 */
static bool density_is_wide(uint32_t flmap1, uint32_t flmap2) {
        unsigned iccriba = (flmap2 >> 16) & 0xFF;
        unsigned isl = (flmap1 >> 24) & 0xFF;
        if (iccriba == 0)
                return false;
        return isl > 18;
}

int mefw_descriptor_parse(const mefw_view *file, mefw_descriptor *ret) {
        struct ifd_map m;
        uint32_t at;
        if (read_map_at(file, 0x10, &m) == 0)
                at = 0x10;
        else if (read_map_at(file, 0x0, &m) == 0)
                at = 0x0;
        else
                return -ENOENT;

        mefw_descriptor d = {
                .offset = at,
                .flmap0 = m.flmap0,
                .flmap1 = m.flmap1,
                .flmap2 = m.flmap2,
                .fcba = (m.flmap0 & 0xFF) << 4,
                .frba = ((m.flmap0 >> 16) & 0xFF) << 4,
                .fmba = (m.flmap1 & 0xFF) << 4,
                .fpsba = ((m.flmap1 >> 16) & 0xFF) << 4,
                .fmsba = (m.flmap2 & 0xFF) << 4,
        };

        /* Region count from the gap to the next section above FRBA, capped at 16. */
        uint32_t next = 0x1000;
        uint32_t bases[] = { d.fcba, d.fmba, d.fpsba, d.fmsba };
        for (size_t i = 0; i < ELEMENTSOF(bases); i++)
                if (bases[i] > d.frba && bases[i] < next)
                        next = bases[i];
        unsigned n = (next - d.frba) / 4;
        d.n_regions = MIN(n, (unsigned) MEFW_IFD_MAX_REGIONS);

        for (unsigned i = 0; i < d.n_regions; i++) {
                uint32_t v;
                if (mefw_view_u32(file, d.frba + 4 * i, &v) < 0) {
                        d.n_regions = i;
                        break;
                }
                uint32_t base = (v & 0x7FFF) << 12;
                uint32_t limit = (((v >> 16) & 0x7FFF) << 12) | 0xFFF;
                d.regions[i] = (mefw_ifd_region){ .base = base, .limit = limit, .used = base <= limit };
        }

        uint32_t flcomp;
        if (mefw_view_u32(file, d.fcba, &flcomp) == 0) {
                bool wide = density_is_wide(m.flmap1, m.flmap2);
                unsigned bits = wide ? 4 : 3, mask = wide ? 0xF : 0x7;
                unsigned ncomp = ((m.flmap0 >> 8) & 3) + 1;
                uint64_t total = component_size(flcomp & mask, wide);
                if (ncomp >= 2 && total)
                        total += component_size((flcomp >> bits) & mask, wide);
                d.flash_size = total;
        }

        *ret = d;
        return 0;
}

size_t mefw_descriptor_count(const mefw_view *file) {
        size_t count = 0;
        struct ifd_map m;
        for (size_t off = 0; off < file->size; off += 0x1000) {
                if (read_map_at(file, off + 0x10, &m) == 0 || read_map_at(file, off, &m) == 0)
                        count++;
                if (off > SIZE_MAX - 0x1000)
                        break;
        }
        return count;
}
