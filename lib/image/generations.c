/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-generation facts as data: chipset support by version, SKU attribute decoding.
 * Sources: ME Analyzer's output and database (see data/ and the project documentation).
 */
#include <stdio.h>

#include "internal.h"

typedef struct {
        const char *family;
        unsigned major;
        unsigned minor_first, minor_last;
        const char *chipset;
} chipset_row;

/* ME Analyzer derives "Chipset Support" from the version alone, not from the descriptor. */
static const chipset_row chipset_rows[] = {
        { "ME", 2, 0, 2, "ICH8" },
        { "ME", 2, 5, 6, "ICH8M" },
        { "ME", 3, 0, 99, "ICH9" },
        { "ME", 4, 0, 99, "ICH9M" },
        { "ME", 5, 0, 99, "ICH10" },
        { "ME", 6, 0, 99, "IBX" },
        { "ME", 7, 0, 99, "CPT" },
        { "ME", 8, 0, 99, "CPT/PBG/PPT" },
        { "ME", 9, 0, 0, "LPT" },
        { "ME", 9, 1, 1, "LPT/WPT" },
        { "ME", 9, 5, 6, "LPT-LP" },
        { "ME", 10, 0, 0, "WPT-LP" },
        { "TXE", 0, 0, 99, "BYT" },
        { "TXE", 1, 0, 99, "BYT" },
        { "TXE", 2, 0, 99, "BSW/CHT" },
        /* CSE: by major and minor where the firmware carries no PCH initialization table */
        { "CSME", 11, 0, 0, "SPT" },
        { "CSME", 11, 5, 8, "SPT/KBP" },
        { "CSME", 11, 10, 12, "BSF/GCF" },
        { "CSME", 11, 20, 22, "LBG" },
        { "CSME", 12, 0, 0, "CNP" },
        { "CSME", 13, 0, 0, "ICP" },
        { "CSME", 13, 30, 30, "LKF" },
        { "CSME", 13, 50, 50, "JSP" },
        { "CSME", 14, 0, 1, "CMP-H/LP" },
        { "CSME", 14, 5, 5, "CMP-V" },
        { "CSME", 15, 0, 0, "TGP" },
        { "CSME", 15, 40, 40, "MCC" },
        { "CSME", 16, 0, 0, "ADP" },
        { "CSME", 16, 1, 1, "ADP/RPP" },
        { "CSTXE", 3, 0, 1, "APL" },
        { "CSTXE", 3, 2, 2, "BXT" },
        { "CSTXE", 4, 0, 99, "GLK" },
        /* stand-alone PMC firmware: the major is the PCH generation */
        { "PMC", 300, 0, 99, "CNP" },
        { "PMC", 400, 0, 99, "ICP" },
        { "PMC", 133, 0, 99, "LKF" },
        { "PMC", 135, 0, 99, "JSP" },
        { "PMC", 140, 0, 99, "CMP" },
        { "PMC", 150, 0, 99, "TGP" },
        { "PMC", 154, 0, 99, "MCC" },
        { "PMC", 160, 0, 99, "ADP" },
};

const char *mefw_chipset_support(const char *family, unsigned major, unsigned minor) {
        if (!family)
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(chipset_rows); i++) {
                const chipset_row *r = &chipset_rows[i];
                if (strcmp(r->family, family) == 0 && r->major == major && minor >= r->minor_first &&
                    minor <= r->minor_last)
                        return r->chipset;
        }
        return NULL;
}

/* ME 2-6 and SPS: the 4-byte attribute read big-endian, matched whole. */
typedef struct {
        unsigned major;
        int minor; /* -1: any */
        uint32_t value;
        const char *sku;
} sku_word_row;

static const sku_word_row sku_word_rows[] = {
        /* ME 2 */
        { 2, -1, 0x00000000, "AMT" },
        { 2, -1, 0x02000000, "QST" },
        /* ME 3 */
        { 3, -1, 0x0E000000, "AMT" },
        { 3, -1, 0x00000000, "AMT" },
        { 3, -1, 0x06000000, "ASF" },
        { 3, -1, 0x02000000, "QST" },
        /* ME 4 */
        { 4, -1, 0xAC200000, "AMT + TPM" },
        { 4, -1, 0xAC000000, "AMT + TPM" },
        { 4, -1, 0x04000000, "AMT + TPM" },
        { 4, -1, 0x8C200000, "AMT" },
        { 4, -1, 0x8C000000, "AMT" },
        { 4, -1, 0x0C000000, "AMT" },
        { 4, -1, 0xA0200000, "TPM" },
        { 4, -1, 0xA0000000, "TPM" },
        /* ME 5 */
        { 5, -1, 0x3E080000, "Digital Office" },
        { 5, -1, 0x060D0000, "Base Consumer" },
        { 5, -1, 0x06080000, "Digital Home or Base Corporate (?)" },
        /* ME 6 */
        { 6, -1, 0x00000000, "Ignition" },
        { 6, -1, 0x701C0000, "1.5MB" },
        { 6, -1, 0x77DCEE00, "5MB MB" },
        { 6, -1, 0x77FCEE00, "5MB MB" },
        { 6, -1, 0xF7FEFE00, "5MB MB" },
        { 6, -1, 0x77DC6E00, "5MB DT" },
        { 6, -1, 0x77FC6E00, "5MB DT" },
        { 6, -1, 0xF7FE7E00, "5MB DT" },
};

/* ME 7-10: byte 4 of the 8-byte attribute: bits 3:0 size in 0.5 MB, 6:4 type, 7 Patsburg. */
static const char *sku_me7_10(unsigned major, const uint8_t *a) {
        unsigned size = a[4] & 0xF, type = (a[4] >> 4) & 7;
        switch (major) {
        case 7:
                if (a[3] & 0x80)
                        return "Slim";
                /* fall through */
        case 8:
                return size == 3 ? "1.5MB" : size == 10 ? "5MB" : NULL;
        case 9:
        case 10:
                return type == 0 ? "5MB" : type == 1 ? "1.5MB" : type == 2 ? "Slim" : NULL;
        default:
                return NULL;
        }
}

/* TXE 0-2: size in 0.5 MB units, plus the part class the signing key was made for. */
static const char *sku_txe(unsigned major, unsigned minor, const uint8_t *a) {
        unsigned size = a[4] & 0xF;
        if (major <= 1) {
                if (size == 2)
                        return "1MB N/W";
                if (size == 3 || size == 4)
                        return minor == 0 ? "1.25MB" : "1.375MB";
                if (size == 5 || size == 6)
                        return "3MB";
                return NULL;
        }
        if (major == 2 && size == 3)
                return "1.375MB";
        return NULL;
}

void mefw_sku_name(const char *family, const uint16_t version[4], const uint8_t *attr, size_t attr_len,
                   const char *key_signs, char *out, size_t out_len, int *ret_patsburg) {
        unsigned major = version[0], minor = version[1];
        const char *sku = NULL;
        out[0] = 0;
        if (strcmp(family, "TXE") == 0 && attr_len >= 8) {
                sku = sku_txe(major, minor, attr);
                if (sku) {
                        const char *cls = strstr(key_signs, "I/T") ? " I/T" : strstr(key_signs, "M/D") ? " M/D" : "";
                        if (strcmp(sku, "1MB N/W") == 0)
                                cls = "";
                        snprintf(out, out_len, "%s%s", sku, cls);
                }
                return;
        }
        if (strcmp(family, "ME") != 0)
                return;
        if (major >= 7 && attr_len >= 8) {
                sku = sku_me7_10(major, attr);
                /* one early 7.0 build marks its 5MB image with size code 1 */
                if (!sku && major == 7 && minor == 0 && version[2] == 0 && version[3] == 1041 && (attr[4] & 0xF) == 1)
                        sku = "5MB";
                if (major == 7 && ret_patsburg)
                        *ret_patsburg = (attr[4] >> 7) & 1;
        } else if (attr_len >= 4) {
                uint32_t v = mefw_be32(attr);
                for (size_t i = 0; i < ELEMENTSOF(sku_word_rows); i++) {
                        const sku_word_row *r = &sku_word_rows[i];
                        if (r->major == major && (r->minor < 0 || (unsigned) r->minor == minor) && r->value == v) {
                                sku = r->sku;
                                break;
                        }
                }
                if (sku && major == 6 && strcmp(sku, "Ignition") == 0) {
                        snprintf(out, out_len, "Ignition %s", version[2] == 50 ? "CCK" : "IBX");
                        return;
                }
        }
        if (sku)
                snprintf(out, out_len, "%s", sku);
}

/*
 * ME 7 keeps two downgrade blacklists (the newest 7.0 and 7.1 builds it refuses to go back
 * to) as minor/hotfix/build words at fixed distances from the FTPR manifest start.
 */
static void me7_blacklist(const mefw_view *region, size_t at, char *out, size_t len) {
        uint16_t minor, hotfix, build;
        if (mefw_view_u16(region, at, &minor) < 0 || mefw_view_u16(region, at + 2, &hotfix) < 0 ||
            mefw_view_u16(region, at + 4, &build) < 0) {
                out[0] = 0;
                return;
        }
        if (build == 0)
                snprintf(out, len, "Empty");
        else
                snprintf(out, len, "<= 7.%u.%u.%u", minor, hotfix, build);
}

void mefw_me7_blacklists(const mefw_view *region, const mefw_manifest *m, char *out70, size_t len70, char *out71,
                         size_t len71) {
        me7_blacklist(region, m->offset + 0x6FA, out70, len70);
        me7_blacklist(region, m->offset + 0x706, out71, len71);
}

/* SPS 2-3 name the platform with two letters in the operational partition's name; CSSPS 4+
 * keep a two-letter code in extension 0x32 of the FTPR manifest. */
static const struct {
        char code[3];
        const char *platform;
} sps_platforms[] = {
        { "GR", "Grantley" }, { "GP", "Grantley-EP" }, { "GV", "Grangeville" }, { "DE", "Denlow" },
        { "BR", "Bromolow" }, { "RO", "Romley" },      { "BK", "Brickland" },
        { "GE", "Greenlow" }, { "PU", "Purley" },      { "HA", "Harrisonville" }, { "PE", "Purley EPO" },
        { "BA", "Bakerville" }, { "ME", "Mehlow" },    { "WH", "Whitley" },   { "ID", "Idaville" },
        { "TA", "Tatlow" },
};

const char *mefw_sps_platform(const char code[2]) {
        for (size_t i = 0; i < ELEMENTSOF(sps_platforms); i++)
                if (memcmp(sps_platforms[i].code, code, 2) == 0)
                        return sps_platforms[i].platform;
        return NULL;
}
