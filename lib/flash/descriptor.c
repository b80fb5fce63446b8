/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intel flash descriptor decoding: map, components, regions, masters, ME-disable straps, the ME
 * VSCC table, and the chipset guess. Every field is read through the bounds-checked view; a
 * section that lies outside the file is reported and left out, never guessed.
 *
 * Chipset-dependent meanings come from the table in chipsets.c; this file holds the decoding.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "chipsets.h"
#include "descriptor.h"
#include "core/layouts.h"
#include "core/util.h"
#include "mefw/ifd.h"

static const char *const region_names[MEFW_IFD_MAX_REGIONS] = {
        "descriptor", "bios", "me", "gbe", "pdr", "devexp1", "bios2", "microcode",
        "ec", "devexp2", "ie", "10gbe0", "10gbe1", "reserved13", "reserved14", "ptt",
};

const char *mefw_ifd_region_name(unsigned index) {
        return index < ELEMENTSOF(region_names) ? region_names[index] : "unknown";
}

int mefw_ifd_region_index(const char *name) {
        static const struct {
                const char *alias;
                int index;
        } aliases[] = {
                { "fd", 0 }, { "ifd", 0 }, { "flashdescriptor", 0 }, { "me", 2 }, { "txe", 2 },
                { "cse", 2 }, { "pd", 4 }, { "platformdata", 4 }, { "devexp", 5 }, { "de", 5 },
        };
        if (!name || !*name)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(region_names); i++)
                if (strcasecmp(name, region_names[i]) == 0)
                        return (int) i;
        for (size_t i = 0; i < ELEMENTSOF(aliases); i++)
                if (strcasecmp(name, aliases[i].alias) == 0)
                        return aliases[i].index;
        char *end;
        errno = 0;
        unsigned long v = strtoul(name, &end, 10);
        if (errno == 0 && *end == 0 && end != name && v < MEFW_IFD_MAX_REGIONS)
                return (int) v;
        return -EINVAL;
}

/* ---- locating the descriptor ---- */

/* Map bases are stored as byte>>4 and must land inside the 4 KiB descriptor. */
static bool map_plausible(const struct ifd_map *m) {
        uint32_t fcba = (m->flmap0 & 0xFF) << 4;
        uint32_t frba = ((m->flmap0 >> 16) & 0xFF) << 4;
        uint32_t fmba = (m->flmap1 & 0xFF) << 4;
        return fcba >= 0x10 && frba >= 0x10 && fmba >= 0x10 && fcba < 0xF00 && frba < 0xF00 && fmba < 0xF00 &&
               fcba != frba && frba != fmba && fcba != fmba;
}

static int read_map_at(const mefw_view *file, size_t off, struct ifd_map *ret) {
        struct ifd_map m;
        if (ifd_map_read(file, off, &m) < 0 || m.signature != IFD_SIGNATURE || !map_plausible(&m))
                return -ENOENT;
        *ret = m;
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

/* ---- chipset guess ---- */

typedef struct {
        const char *codes[MEFW_IFD_MAX_CANDIDATES];
        size_t n;
} candidates;

static candidates cands(const char *a, const char *b, const char *c) {
        candidates r = { .codes = { a, b, c } };
        r.n = c ? 3 : b ? 2 : a ? 1 : 0;
        return r;
}

/*
 * The guess follows which map fields each generation introduced or repurposed (as flashrom's
 * ich_descriptors.c and coreboot's ifdtool read them): ICC register init appears with Cougar Point, the
 * MIP table with Cannon Point, CPU soft-strap offsets (overlaying ICCRIBA) with Tiger Point;
 * strap counts grow with each generation. Parts with identical layouts stay ambiguous.
 */
static candidates guess_chipset(const mefw_ifd *d) {
        unsigned iccriba = (d->flmap[2] >> 16) & 0xFF; /* CSSL from Tiger Point on */
        unsigned fmsba_field = d->flmap[2] & 0xFF;
        unsigned csso = (d->flmap[2] >> 2) & 0x3FF;
        unsigned nm = (d->flmap[1] >> 8) & 7;
        unsigned mdtba = d->flumap1 >> 24;
        unsigned isl = d->isl, msl = d->msl;

        if (iccriba == 0) {
                if (d->flmap[2] == 0)
                        return isl == 19 ? cands("APL", NULL, NULL) : isl == 23 ? cands("GLK", NULL, NULL)
                                                                                : cands("APL", "GLK", NULL);
                if (isl == 0x50)
                        return cands("EBG", NULL, NULL);
                if (msl == 0 && isl <= 2)
                        return cands("ICH8", NULL, NULL);
                if (isl <= 2)
                        return cands("ICH9", NULL, NULL);
                if (isl <= 10)
                        return cands("ICH10", NULL, NULL);
                if (isl <= 16)
                        return cands("IBX", NULL, NULL);
                return cands(NULL, NULL, NULL);
        }
        if (mdtba == 0) {
                if (iccriba < 0x31 && fmsba_field < 0x30) {
                        if (msl == 0 && isl <= 17)
                                return cands("BYT", NULL, NULL);
                        if (msl <= 1 && isl <= 18)
                                return cands("CPT", "PPT", "PBG");
                        if (msl <= 1 && isl <= 21)
                                return cands("LPT", "WPT", "WBG");
                        return cands(NULL, NULL, NULL);
                }
                if (nm == 6)
                        return cands("LBG", NULL, NULL);
                if (iccriba == 0x31)
                        return cands("SPT", "KBP", NULL);
                return cands(NULL, NULL, NULL);
        }
        if (iccriba == 0x34)
                return cands("CNP", "CMP", NULL);
        if (iccriba == 0x11 && csso == 0x68)
                return cands("TGP", NULL, NULL);
        if ((iccriba == 0x11 && csso == 0x5C) || iccriba == 0x14)
                return cands("ADP", "RPP", NULL);
        if (iccriba == 0x03 && csso == 0x58)
                return cands("MCC", NULL, NULL);
        if (iccriba == 0x03 && csso == 0x6C)
                return cands("JSP", NULL, NULL);
        /* Meteor Lake: 130 PCH straps (the eSPI clock sits in strap 65), whatever the ICC table length */
        if (iccriba == 0x03 && (csso == 0x70 || csso == 0x78 || isl == 0x82))
                return cands("MTL", NULL, NULL);
        return cands(NULL, NULL, NULL);
}

/* Layout facts when the chipset is unknown: the 17 MHz read clock exists only on IFDv2 parts. */
static const mefw_pch_info generic_v1 = { "", "", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 };
static const mefw_pch_info generic_v2 = { "", "", 2, 16, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP_UNCERTAIN };

static void set_candidates(mefw_ifd *d, const candidates *c) {
        d->n_candidates = 0;
        for (size_t i = 0; i < c->n; i++) {
                const mefw_pch_info *p = mefw_pch_lookup(c->codes[i]);
                if (!p)
                        continue;
                d->chipset_codes[d->n_candidates] = p->code;
                d->chipset_names[d->n_candidates] = p->name;
                d->n_candidates++;
        }
}

/* ---- sections ---- */

/* 512 KiB << code: up to 16 MiB (code 5) with 3-bit fields, 64 MiB (code 7) with 4-bit ones. */
static uint64_t density_bytes(unsigned code, bool wide) {
        if (code > (wide ? 7u : 5u))
                return 0;
        return (uint64_t) 512 * 1024 << code;
}

static void decode_components(mefw_ifd *d, const mefw_view *file, const mefw_pch_info *info) {
        uint32_t flcomp;
        if (mefw_view_u32(file, d->fcba, &flcomp) < 0) {
                mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-components-missing", d->fcba,
                                  "the component section at 0x%X is not in the file", d->fcba);
                return;
        }
        unsigned bits = info->wide_density ? 4 : 3, mask = info->wide_density ? 0xF : 0x7;
        size_t ncomp = ((d->flmap[0] >> 8) & 3) + 1;
        if (ncomp > 2) {
                mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-component-count", d->offset + 4,
                                  "the map declares %zu flash components; only 2 exist, the rest is ignored", ncomp);
                ncomp = 2;
        }
        for (size_t i = 0; i < ncomp; i++) {
                unsigned code = (flcomp >> (bits * i)) & mask;
                uint64_t size = density_bytes(code, info->wide_density);
                if (!size)
                        mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-density", d->fcba,
                                          "component %zu has the invalid density code 0x%X", i + 1, code);
                d->components[d->n_components++] = (mefw_ifd_component){ .index = (unsigned) i + 1, .size = size };
                d->flash_size += size;
        }
        if (d->n_components == 2 && !d->components[1].size)
                d->flash_size = 0;
        if (d->n_components >= 1 && !d->components[0].size)
                d->flash_size = 0;

        mefw_ifd_clocks c = {
                .read = info->clocks == MEFW_CLOCKS_IFD1 || info->clocks == MEFW_CLOCKS_IFD2
                                ? mefw_pch_clock_mhz(info->clocks, (flcomp >> 17) & 7)
                                : 0,
                .fast_read_supported = (flcomp >> 20) & 1,
                .fast_read = mefw_pch_clock_mhz(info->clocks, (flcomp >> 21) & 7),
                .write_erase = mefw_pch_clock_mhz(info->clocks, (flcomp >> 24) & 7),
                .read_id = mefw_pch_clock_mhz(info->clocks, (flcomp >> 27) & 7),
                .dual_output_supported = (flcomp >> 30) & 1,
        };
        d->clocks = c;
}

static void decode_regions(mefw_ifd *d, const mefw_view *file, const mefw_pch_info *info) {
        /* Region words run from FRBA to the next section, and never past what the part defines. */
        uint32_t next = 0x1000;
        uint32_t bases[] = { d->fcba, d->fmba, d->fpsba, d->fmsba };
        for (size_t i = 0; i < ELEMENTSOF(bases); i++)
                if (bases[i] > d->frba && bases[i] < next)
                        next = bases[i];
        unsigned n = MIN((next - d->frba) / 4, info->max_regions);
        n = MIN(n, (unsigned) MEFW_IFD_MAX_REGIONS);

        for (unsigned i = 0; i < n; i++) {
                uint32_t v;
                if (mefw_view_u32(file, d->frba + 4 * i, &v) < 0) {
                        mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-regions-cut", d->frba + 4 * i,
                                          "the region section is cut short by the end of the file after %u regions", i);
                        break;
                }
                uint32_t base = (v & 0x7FFF) << 12;
                uint32_t limit = (((v >> 16) & 0x7FFF) << 12) | 0xFFF;
                d->regions[i] = (mefw_ifd_region){ .base = base, .limit = limit, .used = base <= limit };
                d->n_regions = i + 1;
        }
}

typedef struct {
        unsigned number;
        const char *name;
} master_def;

static const master_def masters_v1[] = { { 1, "host" }, { 2, "me" }, { 3, "gbe" } };
static const master_def masters_v2[] = { { 1, "host" }, { 2, "me" }, { 3, "gbe" }, { 5, "ec" } };

static void decode_masters(mefw_ifd *d, const mefw_view *file) {
        const master_def *defs = d->layout_version == 2 ? masters_v2 : masters_v1;
        size_t n = d->layout_version == 2 ? ELEMENTSOF(masters_v2) : ELEMENTSOF(masters_v1);
        for (size_t i = 0; i < n; i++) {
                uint32_t at = d->fmba + 4 * (defs[i].number - 1), v;
                if (mefw_view_u32(file, at, &v) < 0) {
                        mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-masters-cut", at,
                                          "the master section is cut short by the end of the file");
                        break;
                }
                mefw_ifd_master m = { .name = defs[i].name, .number = defs[i].number, .value = v };
                if (d->layout_version == 2) {
                        m.read = (uint16_t) (((v >> 8) & 0xFFF) | ((v & 0xF) << 12));
                        m.write = (uint16_t) (((v >> 20) & 0xFFF) | (((v >> 4) & 0xF) << 12));
                } else {
                        m.read = (uint16_t) ((v >> 16) & 0xFF);
                        m.write = (uint16_t) ((v >> 24) & 0xFF);
                }
                d->masters[d->n_masters++] = m;
        }
        if (d->n_masters > 0) {
                d->host_me_read = d->masters[0].read & (1u << MEFW_IFD_REGION_ME);
                d->host_me_write = d->masters[0].write & (1u << MEFW_IFD_REGION_ME);
        }
}

/* Where each generation keeps its ME-disable bit(s): strap section, dword, bit. */
typedef struct {
        bool mch; /* processor/MCH strap section instead of the PCH one */
        unsigned dword, bit;
} strap_bit;

static size_t medis_bits(mefw_medis_kind kind, strap_bit ret[3]) {
        switch (kind) {
        case MEFW_MEDIS_ICH:
                ret[0] = (strap_bit){ false, 0, 0 }; /* ICHSTRP0 MeDisable */
                ret[1] = (strap_bit){ true, 0, 0 };  /* MCHSTRP0 MeDisable */
                ret[2] = (strap_bit){ true, 0, 7 };  /* MCHSTRP0 AltMeDisable */
                return 3;
        case MEFW_MEDIS_PCHSTRP10:
                ret[0] = (strap_bit){ false, 10, 7 };
                return 1;
        default:
                ret[0] = (strap_bit){ false, 0, 16 }; /* HAP */
                return 1;
        }
}

static const char *medis_name(mefw_medis_kind kind) {
        return kind == MEFW_MEDIS_HAP || kind == MEFW_MEDIS_HAP_UNCERTAIN ? "hap" : "altmedisable";
}

/* Absolute offset of a strap dword, or -ERANGE when the section does not hold it. */
static int64_t strap_offset(const mefw_ifd *d, const strap_bit *b) {
        unsigned len = b->mch ? d->msl : d->isl;
        if (b->dword >= len)
                return -ERANGE;
        return (int64_t) (b->mch ? d->fmsba : d->fpsba) + 4 * b->dword;
}

static void decode_me_disable(mefw_ifd *d, const mefw_view *file, mefw_medis_kind kind) {
        strap_bit bits[3];
        size_t n = medis_bits(kind, bits);
        for (size_t i = 0; i < n; i++) {
                int64_t at = strap_offset(d, &bits[i]);
                uint32_t v;
                if (at < 0 || mefw_view_u32(file, (size_t) at, &v) < 0)
                        continue;
                if (!(v & (1u << bits[i].bit)))
                        continue;
                if (kind == MEFW_MEDIS_HAP_UNCERTAIN)
                        d->me_disable_unconfirmed = true;
                else
                        d->me_disable = medis_name(kind);
        }
}

static void decode_vscc(mefw_ifd *d, const mefw_view *file) {
        uint32_t vtba = (d->flumap1 & 0xFF) << 4, vtl = (d->flumap1 >> 8) & 0xFF;
        size_t entries = vtl / 2;
        /* An erased upper map (all ones) means no table, not 127 entries at 0xFF0. */
        if (vtba == 0 || entries == 0 || d->flumap1 == 0xFFFFFFFFu)
                return;
        if (entries > MEFW_IFD_MAX_VSCC) {
                mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-vscc-count", IFD_UPPER_MAP_OFFSET,
                                  "the ME VSCC table claims %zu entries; the first %d are read", entries,
                                  MEFW_IFD_MAX_VSCC);
                entries = MEFW_IFD_MAX_VSCC;
        }
        for (size_t i = 0; i < entries; i++) {
                uint32_t jid, vscc;
                size_t at = vtba + 8 * i;
                if (at + 8 > 0x1000 || mefw_view_u32(file, at, &jid) < 0 || mefw_view_u32(file, at + 4, &vscc) < 0) {
                        mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-vscc-cut", at,
                                          "the ME VSCC table runs past the descriptor after %zu entries", i);
                        break;
                }
                d->vscc[d->n_vscc++] = (mefw_ifd_vscc){ .jid = jid, .vscc = vscc };
        }
}

/* ---- layout checks against the flash and the file ---- */

/* 4 KiB blocks inside the descriptor region that repeat the first one byte for byte: Meteor Lake's
 * 16 KiB descriptor region keeps such a copy. They are part of the descriptor, not another image. */
static size_t count_copies(const mefw_view *file, const mefw_ifd *d) {
        if (d->n_regions == 0 || !d->regions[0].used || d->regions[0].base != 0)
                return 0;
        size_t n = 0;
        for (uint64_t off = 0x1000; off + 0x1000 <= (uint64_t) d->regions[0].limit + 1 && mefw_view_has(file, off, 0x1000);
             off += 0x1000)
                if (memcmp(file->data, file->data + off, 0x1000) == 0)
                        n++;
        return n;
}

static void check_layout(mefw_ifd *d, size_t file_size) {
        for (unsigned i = 0; i < d->n_regions; i++) {
                const mefw_ifd_region *a = &d->regions[i];
                if (!a->used)
                        continue;
                if (d->flash_size && a->limit >= d->flash_size)
                        mefw_messages_add(&d->messages, MEFW_ERROR, "region-beyond-flash", d->frba + 4 * i,
                                          "region %u (%s) 0x%X-0x%X ends beyond the 0x%" PRIX64 " bytes of flash",
                                          i, mefw_ifd_region_name(i), a->base, a->limit, d->flash_size);
                for (unsigned k = i + 1; k < d->n_regions; k++) {
                        const mefw_ifd_region *b = &d->regions[k];
                        if (b->used && a->base <= b->limit && b->base <= a->limit)
                                mefw_messages_add(&d->messages, MEFW_ERROR, "region-overlap", d->frba + 4 * k,
                                                  "regions %u (%s) 0x%X-0x%X and %u (%s) 0x%X-0x%X overlap", i,
                                                  mefw_ifd_region_name(i), a->base, a->limit, k,
                                                  mefw_ifd_region_name(k), b->base, b->limit);
                }
        }
        if (d->n_regions > 0 && d->regions[0].used && d->regions[0].base != 0)
                mefw_messages_add(&d->messages, MEFW_WARNING, "descriptor-region-base", d->frba,
                                  "the descriptor region starts at 0x%X, not at 0", d->regions[0].base);

        /* A file no larger than the descriptor region (4 KiB, 16 KiB on Meteor Lake) is the descriptor
         * alone, as ifdtool and FIT write it, not a truncated image. */
        uint64_t descriptor_end = d->n_regions > 0 && d->regions[0].used ? (uint64_t) d->regions[0].limit + 1 : 0x1000;
        if (d->flash_size && file_size > MAX(descriptor_end, 0x1000) && file_size < d->flash_size)
                mefw_messages_add(&d->messages, MEFW_ERROR, "image-incomplete", (int64_t) file_size,
                                  "the file is 0x%zX bytes but the descriptor describes 0x%" PRIX64
                                  " bytes of flash: the image is incomplete or corrupted",
                                  file_size, d->flash_size);
        else if (d->flash_size && file_size > d->flash_size)
                mefw_messages_add(&d->messages, MEFW_NOTE, "image-larger-than-flash", (int64_t) d->flash_size,
                                  "the file is 0x%zX bytes, larger than the 0x%" PRIX64
                                  " bytes of flash the descriptor describes",
                                  file_size, d->flash_size);
        if (d->n_descriptors > 1 + d->n_copies)
                mefw_messages_add(&d->messages, MEFW_NOTE, "multiple-descriptors", -1,
                                  "%zu flash descriptors found; the one at 0x%X is used", d->n_descriptors - d->n_copies,
                                  d->offset);
}

static void explain(mefw_ifd *d, const mefw_pch_info *info) {
        if (d->n_candidates == 0)
                mefw_messages_add(&d->messages, MEFW_WARNING, "chipset-unknown", d->offset,
                                  "the descriptor matches no chipset mefw knows; it is decoded with the generic "
                                  "IFD v%u layout",
                                  d->layout_version);
        else if (d->n_candidates > 1) {
                char list[160] = "";
                for (size_t i = 0; i < d->n_candidates; i++) {
                        size_t len = strlen(list);
                        snprintf(list + len, sizeof list - len, "%s%s", i ? (i + 1 == d->n_candidates ? " and " : ", ") : "",
                                 d->chipset_names[i]);
                }
                mefw_messages_add(&d->messages, MEFW_NOTE, "chipset-ambiguous", d->offset,
                                  "the descriptor alone cannot tell %s apart", list);
        }
        if (info->medis == MEFW_MEDIS_HAP_UNCERTAIN && d->n_candidates)
                mefw_messages_add(&d->messages, MEFW_NOTE, "me-disable-uncertain", d->fpsba,
                                  d->me_disable_unconfirmed
                                          ? "PCHSTRP0 bit 16 is set; whether it is still the HAP bit on %s is not "
                                            "confirmed, so the engine is not taken as disabled"
                                          : "whether PCHSTRP0 bit 16 is still the HAP bit on %s is not confirmed",
                                  d->chipset_names[0]);
        if (d->me_disable)
                mefw_messages_add(&d->messages, MEFW_NOTE, "me-disabled-by-strap", d->fpsba,
                                  "the %s strap is set: the engine stops after bring-up",
                                  strcmp(d->me_disable, "hap") == 0 ? "HAP" : "ME-disable");
        if (d->n_masters > 0 && !d->host_me_write)
                mefw_messages_add(&d->messages, MEFW_NOTE, "host-me-write-disabled", d->fmba,
                                  "the host (BIOS) master may not write the engine region: flashing it from the "
                                  "operating system with Intel FPT or flashrom fails unless the descriptor is "
                                  "unlocked or the engine grants access (HMRFPO, which FWUpdLcl uses)");
}

int mefw_descriptor_parse(const mefw_view *file, mefw_ifd *ret) {
        struct ifd_map m;
        uint32_t at;
        if (read_map_at(file, 0x10, &m) == 0)
                at = 0x10;
        else if (read_map_at(file, 0x0, &m) == 0)
                at = 0x0;
        else
                return -ENOENT;

        mefw_ifd d = {
                .offset = at,
                .flmap = { m.flmap0, m.flmap1, m.flmap2, m.flmap3 },
                .fcba = (m.flmap0 & 0xFF) << 4,
                .frba = ((m.flmap0 >> 16) & 0xFF) << 4,
                .fmba = (m.flmap1 & 0xFF) << 4,
                .fpsba = ((m.flmap1 >> 16) & 0xFF) << 4,
                .fmsba = (m.flmap2 & 0xFF) << 4,
                .isl = m.flmap1 >> 24,
                .msl = (m.flmap2 >> 8) & 0xFF,
        };
        /* The upper map sits at a fixed offset; ICH8-10 (signature at 0) have none. */
        if (at == 0x10)
                (void) mefw_view_u32(file, IFD_UPPER_MAP_OFFSET, &d.flumap1);

        candidates c = guess_chipset(&d);
        set_candidates(&d, &c);
        const mefw_pch_info *info = d.n_candidates ? mefw_pch_lookup(d.chipset_codes[0]) : NULL;
        if (!info) {
                uint32_t flcomp = 0;
                (void) mefw_view_u32(file, d.fcba, &flcomp);
                /* More straps than any IFDv1 part has (Wildcat Point: 21), a descriptor region longer than
                 * 4 KiB or the 17 MHz read clock: only IFDv2 parts have them. */
                uint32_t flreg0 = 0;
                (void) mefw_view_u32(file, d.frba, &flreg0);
                unsigned desc_limit = (flreg0 >> 16) & 0x7FFF;
                bool long_descriptor = (flreg0 & 0xFFFF) == 0 && desc_limit > 0 && desc_limit != 0x7FFF;
                bool v2 = ((flcomp >> 17) & 7) == 6 || d.isl > 21 || long_descriptor;
                info = v2 ? &generic_v2 : &generic_v1;
        }
        d.layout_version = info->layout;
        d.me_disable_kind = d.n_candidates ? medis_name(info->medis) : NULL;
        if (info->layout == 2 && (info->clocks == MEFW_CLOCKS_CNP || info->clocks == MEFW_CLOCKS_TGP) &&
            m.flmap3 != 0xFFFFFFFFu && m.flmap3 != 0) {
                d.has_revision = true;
                d.revision_major = m.flmap3 >> 21;
                d.revision_minor = (m.flmap3 >> 14) & 0x7F;
        }

        decode_components(&d, file, info);
        decode_regions(&d, file, info);
        decode_masters(&d, file);
        decode_me_disable(&d, file, info->medis);
        if (at == 0x10)
                decode_vscc(&d, file);
        d.n_descriptors = mefw_descriptor_count(file);
        d.n_copies = mefw_view_has(file, 0, 0x1000) ? count_copies(file, &d) : 0;
        check_layout(&d, file->size);
        explain(&d, info);

        *ret = d;
        return 0;
}

void mefw_ifd_refine_chipset(mefw_ifd *d, const char *family, const uint16_t version[4]) {
        const char *fw_codes[4];
        size_t n_fw = mefw_pch_for_firmware(family, version, fw_codes, ELEMENTSOF(fw_codes));
        if (n_fw == 0 || d->n_candidates == 0)
                return;
        candidates keep = { .n = 0 };
        for (size_t i = 0; i < n_fw; i++)
                for (size_t k = 0; k < d->n_candidates; k++)
                        if (strcmp(fw_codes[i], d->chipset_codes[k]) == 0)
                                keep.codes[keep.n++] = d->chipset_codes[k];
        char ver[32];
        mefw_format_version(version, ver, sizeof ver);
        if (keep.n == 0) {
                mefw_messages_add(&d->messages, MEFW_WARNING, "firmware-chipset-mismatch", d->offset,
                                  "the descriptor is for %s, but the engine firmware (%s %s) runs on %s",
                                  d->chipset_names[0], family, ver, fw_codes[0]);
                return;
        }
        if (keep.n == d->n_candidates && strcmp(keep.codes[0], d->chipset_codes[0]) == 0)
                return;
        set_candidates(d, &keep);
        d->chipset_refined = true;
        /* The ambiguity note said what the descriptor alone could not; now say what settled it. */
        for (size_t i = 0; i < d->messages.count; i++) {
                mefw_message *m = &d->messages.items[i];
                char *text;
                if (strcmp(m->code, "chipset-ambiguous") != 0 ||
                    asprintf(&text, "%s; the engine firmware (%s %s) narrows it to %s%s", m->text, family, ver,
                             d->chipset_names[0], d->n_candidates > 1 ? " and others" : "") < 0)
                        continue;
                free(m->text);
                m->text = text;
        }
}

int mefw_ifd_parse(const uint8_t *data, size_t size, mefw_ifd **ret) {
        mefw_view v = mefw_view_make(data, size, 0);
        mefw_ifd *d = calloc(1, sizeof *d);
        if (!d)
                return -ENOMEM;
        int r = mefw_descriptor_parse(&v, d);
        if (r < 0) {
                free(d);
                return r;
        }
        *ret = d;
        return 0;
}

void mefw_ifd_free(mefw_ifd *d) {
        if (!d)
                return;
        mefw_messages_clear(&d->messages);
        free(d);
}

/* ---- edits ---- */

static int change_dword(const mefw_ifd *d, uint8_t *image, size_t size, uint32_t at, uint32_t set, uint32_t clear,
                        const char *what, mefw_ifd_changes *changes) {
        if (at > size || size - at < 4)
                return -ERANGE;
        /* A damaged map can point a section at the signature or the map words themselves (or the
         * upper map); writing there would destroy the descriptor instead of editing it. */
        if ((at < d->offset + 0x14 && at + 4 > d->offset) ||
            (at < IFD_UPPER_MAP_OFFSET + 4 && at + 4 > IFD_UPPER_MAP_OFFSET))
                return -EINVAL;
        uint32_t before = mefw_le32(image + at), after = (before & ~clear) | set;
        if (before == after)
                return 0;
        for (unsigned i = 0; i < 4; i++)
                image[at + i] = (uint8_t) (after >> (8 * i));
        if (changes->n < MEFW_IFD_MAX_CHANGES) {
                mefw_ifd_change *c = &changes->items[changes->n++];
                snprintf(c->what, sizeof c->what, "%s", what);
                c->offset = at;
                c->before = before;
                c->after = after;
        }
        return 1;
}

int mefw_ifd_unlock(uint8_t *image, size_t size, const mefw_ifd *d, mefw_ifd_changes *ret) {
        mefw_ifd_changes changes = {};
        /* The read/write bitmaps: bits 31:16 on IFDv1, 31:8 (regions 0-11) on IFDv2. */
        uint32_t grant = d->layout_version == 2 ? 0xFFFFFF00u : 0xFFFF0000u;
        for (size_t i = 0; i < d->n_masters; i++) {
                const mefw_ifd_master *m = &d->masters[i];
                if (strcmp(m->name, "host") != 0 && strcmp(m->name, "me") != 0)
                        continue;
                char what[16];
                snprintf(what, sizeof what, "FLMSTR%u", m->number);
                int r = change_dword(d, image, size, d->fmba + 4 * (m->number - 1), grant, 0, what, &changes);
                if (r < 0)
                        return r;
        }
        if (d->n_masters < 2)
                return -ERANGE;
        *ret = changes;
        return 0;
}

/*
 * Intel's recommended master access, as boards ship it: each master reads the descriptor and its
 * own region and writes its own region; the host and the engine also reach the GbE region when
 * the board has one (the host owns the MAC address it keeps there), and the EC master (IFDv2)
 * its own. Read bits are the region indexes shifted to bit 16 (IFDv1) or 8 (IFDv2), write bits to
 * bit 24 (IFDv1) or 20 (IFDv2); on IFDv1 the requester id in bits 15:0 is kept, on IFDv2 the
 * extended bits for regions 12-15 are cleared.
 */
int mefw_ifd_lock(uint8_t *image, size_t size, const mefw_ifd *d, mefw_ifd_changes *ret) {
        if (d->n_masters < 2)
                return -ERANGE;
        bool v2 = d->layout_version == 2;
        unsigned rd = v2 ? 8 : 16, wr = v2 ? 20 : 24;
        /* IFDv2 has no requester id: bits 7:0 extend the maps to regions 12-15, which no master
         * needs by default */
        uint32_t mask = v2 ? 0xFFFFFFFFu : 0xFFFF0000u;
        bool gbe = d->n_regions > MEFW_IFD_REGION_GBE && d->regions[MEFW_IFD_REGION_GBE].used;
        uint32_t g = gbe ? 1u << MEFW_IFD_REGION_GBE : 0;
        mefw_ifd_changes changes = {};
        for (size_t i = 0; i < d->n_masters; i++) {
                const mefw_ifd_master *m = &d->masters[i];
                uint32_t own;
                if (strcmp(m->name, "host") == 0)
                        own = (1u << MEFW_IFD_REGION_BIOS) | g;
                else if (strcmp(m->name, "me") == 0)
                        own = (1u << MEFW_IFD_REGION_ME) | g;
                else if (strcmp(m->name, "gbe") == 0)
                        own = g;
                else if (strcmp(m->name, "ec") == 0)
                        own = 1u << 8; /* the EC region */
                else
                        continue;
                /* the GbE controller reads only its own region; the others read the descriptor too */
                uint32_t reads = strcmp(m->name, "gbe") == 0 ? own : own | 1u;
                uint32_t want = (reads << rd) | (own << wr);
                char what[16];
                snprintf(what, sizeof what, "FLMSTR%u", m->number);
                int r = change_dword(d, image, size, d->fmba + 4 * (m->number - 1), want, mask & ~want, what, &changes);
                if (r < 0)
                        return r;
        }
        *ret = changes;
        return 0;
}

int mefw_ifd_set_me_disable(uint8_t *image, size_t size, const mefw_ifd *d, const char *kind, bool force,
                            mefw_ifd_changes *ret) {
        mefw_medis_kind k;
        if (strcmp(kind, "hap") == 0)
                k = MEFW_MEDIS_HAP;
        else if (strcmp(kind, "altmedisable") == 0)
                k = d->offset == 0 ? MEFW_MEDIS_ICH : MEFW_MEDIS_PCHSTRP10;
        else
                return -EINVAL;
        if (!force && (!d->me_disable_kind || strcmp(d->me_disable_kind, kind) != 0))
                return -EOPNOTSUPP;

        strap_bit bits[3];
        size_t n = medis_bits(k, bits);
        mefw_ifd_changes changes = {};
        for (size_t i = 0; i < n; i++) {
                int64_t at = strap_offset(d, &bits[i]);
                if (at < 0)
                        return -ERANGE;
                char what[32];
                snprintf(what, sizeof what, "%s%u bit %u", bits[i].mch ? "MCHSTRP" : d->offset == 0 ? "ICHSTRP" : "PCHSTRP",
                         bits[i].dword, bits[i].bit);
                int r = change_dword(d, image, size, (uint32_t) at, 1u << bits[i].bit, 0, what, &changes);
                if (r < 0)
                        return r;
        }
        *ret = changes;
        return 0;
}
