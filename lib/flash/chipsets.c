/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chipset (PCH/SoC) facts that change how a flash descriptor is read, kept as data: the layout
 * version, how many region words exist, how wide the density fields are, which clock table
 * applies and which ME-disable strap the part has. Also which engine firmware runs on which
 * chipset, used to narrow a descriptor-only guess when the image holds firmware.
 *
 * Sources: Intel's SPI programming guides as flashrom and coreboot's ifdtool quote them, and the
 * descriptors of public board images.
 */
#include <string.h>

#include "chipsets.h"
#include "core/util.h"

/*
 * Codes are the usual Intel abbreviations (ME Analyzer uses the same ones). Region counts:
 * Sunrise Point and Apollo/Gemini Lake descriptors hold 10 region words and leave the rest of
 * the 16-word section erased (0xFFFFFFFF), which would otherwise read as a region at 128 MiB.
 */
static const mefw_pch_info pch_table[] = {
        /* code   name                              layout regions wide   clocks             strap            */
        { "ICH8", "ICH8", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_ICH },
        { "ICH9", "ICH9", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_ICH },
        { "ICH10", "ICH10", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_ICH },
        { "IBX", "Ibex Peak (5-series)", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "CPT", "Cougar Point (6-series)", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "PBG", "Patsburg (C600)", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "PPT", "Panther Point (7-series)", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "BYT", "Bay Trail", 1, 5, false, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "LPT", "Lynx Point (8-series)", 1, 7, true, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "WBG", "Wellsburg (C610/X99)", 1, 7, true, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "WPT", "Wildcat Point (9-series)", 1, 7, true, MEFW_CLOCKS_IFD1, MEFW_MEDIS_PCHSTRP10 },
        { "SPT", "Sunrise Point (100-series)", 2, 10, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP },
        { "KBP", "Union Point (200-series)", 2, 10, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP },
        { "LBG", "Lewisburg (C620)", 2, 16, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP },
        { "APL", "Apollo Lake", 2, 10, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP },
        { "GLK", "Gemini Lake", 2, 10, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP },
        { "CNP", "Cannon Point (300-series)", 2, 16, true, MEFW_CLOCKS_CNP, MEFW_MEDIS_HAP },
        { "CMP", "Comet Point (400-series)", 2, 16, true, MEFW_CLOCKS_CNP, MEFW_MEDIS_HAP },
        { "ICP", "Ice Point (495-series)", 2, 16, true, MEFW_CLOCKS_CNP, MEFW_MEDIS_HAP },
        { "TGP", "Tiger Point (500-series)", 2, 16, true, MEFW_CLOCKS_TGP, MEFW_MEDIS_HAP },
        { "MCC", "Mule Creek Canyon (Elkhart Lake)", 2, 16, true, MEFW_CLOCKS_TGP, MEFW_MEDIS_HAP },
        { "JSP", "Jasper Point (Jasper Lake)", 2, 16, true, MEFW_CLOCKS_TGP, MEFW_MEDIS_HAP },
        { "ADP", "Alder Point (600-series)", 2, 16, true, MEFW_CLOCKS_TGP, MEFW_MEDIS_HAP },
        { "RPP", "Raptor Point (700-series)", 2, 16, true, MEFW_CLOCKS_TGP, MEFW_MEDIS_HAP },
        { "MTL", "Meteor Lake", 2, 16, true, MEFW_CLOCKS_TGP, MEFW_MEDIS_HAP_UNCERTAIN },
        { "EBG", "Emmitsburg (C740)", 2, 16, true, MEFW_CLOCKS_IFD2, MEFW_MEDIS_HAP },
};

const mefw_pch_info *mefw_pch_lookup(const char *code) {
        for (size_t i = 0; i < ELEMENTSOF(pch_table); i++)
                if (strcmp(pch_table[i].code, code) == 0)
                        return &pch_table[i];
        return NULL;
}

/* Clock codes (MHz); 0 = reserved. The field meanings moved twice: IFDv2 reassigned code 4 and
 * added 17 MHz, Tiger Point and later use a faster table. */
static const unsigned clock_tables[][8] = {
        [MEFW_CLOCKS_IFD1] = { 20, 33, 48, 0, 50, 0, 0, 0 },
        [MEFW_CLOCKS_IFD2] = { 20, 33, 48, 0, 30, 0, 17, 0 },
        [MEFW_CLOCKS_CNP] = { 20, 33, 48, 0, 30, 0, 17, 0 },
        [MEFW_CLOCKS_TGP] = { 100, 50, 0, 33, 25, 0, 14, 0 },
};

unsigned mefw_pch_clock_mhz(mefw_clock_table table, unsigned code) {
        if ((size_t) table >= ELEMENTSOF(clock_tables) || code > 7)
                return 0;
        return clock_tables[table][code];
}

/* Which chipsets each engine firmware line runs on (by family, major, minor range). */
typedef struct {
        const char *family;
        unsigned major, minor_first, minor_last;
        const char *codes[4];
} firmware_pch_row;

static const firmware_pch_row firmware_pch_rows[] = {
        { "ME", 2, 0, 99, { "ICH8" } },
        { "ME", 3, 0, 99, { "ICH9" } },
        { "ME", 4, 0, 99, { "ICH9" } },
        { "ME", 5, 0, 99, { "ICH10" } },
        { "ME", 6, 0, 99, { "IBX" } },
        { "ME", 7, 0, 99, { "CPT", "PBG" } },
        { "ME", 8, 0, 99, { "PPT", "CPT", "PBG" } },
        { "ME", 9, 0, 0, { "LPT" } },
        { "ME", 9, 1, 1, { "LPT", "WPT" } },
        { "ME", 9, 5, 6, { "LPT" } },
        { "ME", 10, 0, 99, { "WPT" } },
        { "TXE", 0, 0, 99, { "BYT" } },
        { "TXE", 1, 0, 99, { "BYT" } },
        { "SPS", 2, 0, 99, { "PBG", "CPT" } },
        { "SPS", 3, 0, 99, { "WBG", "LPT" } },
        { "CSME", 11, 0, 19, { "SPT", "KBP" } },
        { "CSME", 11, 20, 99, { "LBG" } },
        { "CSME", 12, 0, 99, { "CNP" } },
        { "CSME", 13, 0, 0, { "ICP" } },
        { "CSME", 13, 50, 50, { "JSP" } },
        { "CSME", 14, 0, 99, { "CMP" } },
        { "CSME", 15, 0, 0, { "TGP" } },
        { "CSME", 15, 40, 40, { "MCC" } },
        { "CSME", 16, 0, 99, { "ADP", "RPP" } },
        { "CSME", 18, 0, 99, { "MTL" } },
        { "CSTXE", 3, 0, 99, { "APL" } },
        { "CSTXE", 4, 0, 99, { "GLK" } },
        { "CSSPS", 4, 0, 99, { "LBG" } },
        { "CSSPS", 5, 0, 99, { "LBG" } },
        { "CSSPS", 6, 0, 99, { "EBG" } },
};

size_t mefw_pch_for_firmware(const char *family, const uint16_t version[4], const char **ret_codes, size_t max) {
        if (!family)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(firmware_pch_rows); i++) {
                const firmware_pch_row *r = &firmware_pch_rows[i];
                if (strcmp(r->family, family) != 0 || r->major != version[0] || version[1] < r->minor_first ||
                    version[1] > r->minor_last)
                        continue;
                size_t n = 0;
                for (size_t k = 0; k < ELEMENTSOF(r->codes) && r->codes[k] && n < max; k++)
                        ret_codes[n++] = r->codes[k];
                return n;
        }
        return 0;
}
