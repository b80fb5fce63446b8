/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Chipset facts for descriptor decoding, as a table (see chipsets.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
        MEFW_CLOCKS_IFD1, /* ICH8 .. Wildcat Point, Bay Trail */
        MEFW_CLOCKS_IFD2, /* Sunrise Point, Lewisburg, Apollo/Gemini Lake, Emmitsburg */
        MEFW_CLOCKS_CNP,  /* Cannon/Comet Point: the read-clock field no longer holds a clock */
        MEFW_CLOCKS_TGP,  /* Tiger Point and later */
} mefw_clock_table;

typedef enum {
        MEFW_MEDIS_ICH,           /* ICH8-10: ICH/MCH straps MeDisable, MCH AltMeDisable */
        MEFW_MEDIS_PCHSTRP10,     /* Ibex Peak .. Wildcat Point, Bay Trail: PCHSTRP10 bit 7 */
        MEFW_MEDIS_HAP,           /* Sunrise Point and later: PCHSTRP0 bit 16 */
        MEFW_MEDIS_HAP_UNCERTAIN, /* HAP at the same place, not confirmed for this generation */
} mefw_medis_kind;

typedef struct {
        const char *code;
        const char *name;
        unsigned layout;      /* descriptor layout version: 1 or 2 */
        unsigned max_regions; /* region words the part defines */
        bool wide_density;    /* 4-bit component density fields (Lynx Point on) */
        mefw_clock_table clocks;
        mefw_medis_kind medis;
} mefw_pch_info;

const mefw_pch_info *mefw_pch_lookup(const char *code);
unsigned mefw_pch_clock_mhz(mefw_clock_table table, unsigned code);

/* Chipset codes the firmware line runs on, most common first; 0 when unknown. */
size_t mefw_pch_for_firmware(const char *family, const uint16_t version[4], const char **ret_codes, size_t max);
