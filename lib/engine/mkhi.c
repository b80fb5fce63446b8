/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MKHI and AMTHI messages: request builders, answer parsers that trust nothing, and the names of
 * the capability and platform-type bits. Message formats: coreboot intelmetool and CSE headers,
 * the Linux mei driver, Intel's LMS and metee, mei-amt-check.
 */
#include <stdio.h>
#include <string.h>

#include "core/layouts.h"
#include "mefw/status.h"
#include "core/util.h"

/* Client UUIDs in text order (8-4-4-4-12). */
const uint8_t MEFW_MEI_UUID_MKHI[16] = { 0x8e, 0x6a, 0x67, 0x15, 0x9a, 0xbc, 0x40, 0x43,
                                         0x88, 0xef, 0x9e, 0x39, 0xc6, 0xf6, 0x3e, 0x0f };
const uint8_t MEFW_MEI_UUID_MKHI_FIX[16] = { 0x55, 0x21, 0x35, 0x84, 0x9a, 0x29, 0x49, 0x16,
                                             0xba, 0xdf, 0x0f, 0xb7, 0xed, 0x68, 0x2a, 0xeb };
const uint8_t MEFW_MEI_UUID_AMTHI[16] = { 0x12, 0xf8, 0x00, 0x28, 0xb4, 0xb7, 0x4b, 0x2d,
                                          0xac, 0xa8, 0x46, 0xe0, 0xff, 0x65, 0x81, 0x4c };

enum {
        MKHI_GROUP_FWCAPS = 0x03,
        MKHI_GROUP_GEN = 0xFF,
        MKHI_CMD_GET_FW_VERSION = 0x02,
        MKHI_CMD_GET_RULE = 0x02,
        MKHI_RESPONSE = 0x80,
        AMTHI_GET_CODE_VERSIONS = 0x0400001A,
        AMTHI_RESPONSE = 0x00800000,
        AMTHI_BIOS_VERSION_LEN = 65,
};

static void put_le32(uint8_t *p, uint32_t v) {
        p[0] = (uint8_t) v;
        p[1] = (uint8_t) (v >> 8);
        p[2] = (uint8_t) (v >> 16);
        p[3] = (uint8_t) (v >> 24);
}

static int build_mkhi(uint8_t *buf, size_t size, uint8_t group, uint8_t command) {
        if (size < mkhi_header_SIZE)
                return -ENOBUFS;
        buf[0] = group;
        buf[1] = command;
        buf[2] = 0;
        buf[3] = 0;
        return mkhi_header_SIZE;
}

int mefw_mkhi_build_get_fw_version(uint8_t *buf, size_t size) {
        return build_mkhi(buf, size, MKHI_GROUP_GEN, MKHI_CMD_GET_FW_VERSION);
}

int mefw_mkhi_build_get_rule(uint8_t *buf, size_t size, uint32_t rule_id) {
        if (size < mkhi_header_SIZE + 4)
                return -ENOBUFS;
        build_mkhi(buf, size, MKHI_GROUP_FWCAPS, MKHI_CMD_GET_RULE);
        put_le32(buf + mkhi_header_SIZE, rule_id);
        return mkhi_header_SIZE + 4;
}

/* The header must answer our request (group and command echoed, response bit) with success. */
static int check_mkhi_answer(const mefw_view *v, uint8_t group, uint8_t command) {
        struct mkhi_header h;
        if (mkhi_header_read(v, 0, &h) < 0)
                return -EBADMSG;
        if (h.group != group || h.command != (command | MKHI_RESPONSE))
                return -EBADMSG;
        if (h.result != 0)
                return -EREMOTEIO;
        return 0;
}

int mefw_mkhi_parse_fw_version(const uint8_t *buf, size_t n, mefw_fw_version ret[3]) {
        mefw_view v = mefw_view_make(buf, n, 0);
        int r = check_mkhi_answer(&v, MKHI_GROUP_GEN, MKHI_CMD_GET_FW_VERSION);
        if (r < 0)
                return r;
        /* Code, recovery (NFTP) and FITC blocks; older firmware sends fewer, so take what is there. */
        mefw_fw_version out[3] = {};
        size_t blocks = 0;
        for (size_t i = 0; i < 3; i++) {
                struct mkhi_fw_version b;
                if (mkhi_fw_version_read(&v, mkhi_header_SIZE + i * mkhi_fw_version_SIZE, &b) < 0)
                        break;
                out[i] = (mefw_fw_version){ .set = true, .platform = b.platform, .major = b.major,
                                            .minor = b.minor, .hotfix = b.hotfix, .build = b.build };
                blocks++;
        }
        if (blocks == 0)
                return -EBADMSG;
        memcpy(ret, out, sizeof out);
        return 0;
}

int mefw_mkhi_parse_rule(const uint8_t *buf, size_t n, uint32_t rule_id, uint32_t *ret_value) {
        mefw_view v = mefw_view_make(buf, n, 0);
        int r = check_mkhi_answer(&v, MKHI_GROUP_FWCAPS, MKHI_CMD_GET_RULE);
        if (r < 0)
                return r;
        struct mkhi_rule rule;
        if (mkhi_rule_read(&v, mkhi_header_SIZE, &rule) < 0 || rule.rule_id != rule_id)
                return -EBADMSG;
        /* Every rule we ask for is one 32-bit value; shorter data is padded, never read past. */
        size_t data_off = mkhi_header_SIZE + mkhi_rule_SIZE;
        if (rule.length == 0 || !mefw_view_has(&v, data_off, MIN(rule.length, 4)))
                return -EBADMSG;
        uint32_t value = 0;
        for (size_t i = 0; i < MIN(rule.length, 4); i++)
                value |= (uint32_t) buf[data_off + i] << (8 * i);
        *ret_value = value;
        return 0;
}

int mefw_amthi_build_get_code_versions(uint8_t *buf, size_t size) {
        if (size < amthi_header_SIZE)
                return -ENOBUFS;
        memset(buf, 0, amthi_header_SIZE);
        buf[0] = 1;
        buf[1] = 1;
        put_le32(buf + 4, AMTHI_GET_CODE_VERSIONS);
        put_le32(buf + 8, 0);
        return amthi_header_SIZE;
}

/* A counted string from a fixed field: the count is capped by the field, control bytes dropped. */
static void counted_string(const uint8_t *p, size_t field, uint16_t len, char *out, size_t out_len) {
        size_t n = MIN((size_t) len, field), o = 0;
        for (size_t i = 0; i < n && o + 1 < out_len; i++) {
                if (p[i] == 0)
                        break;
                out[o++] = p[i] >= 0x20 && p[i] < 0x7F ? (char) p[i] : '?';
        }
        out[o] = 0;
}

int mefw_amthi_parse_code_versions(const uint8_t *buf, size_t n, mefw_status *s) {
        mefw_view v = mefw_view_make(buf, n, 0);
        struct amthi_header h;
        if (amthi_header_read(&v, 0, &h) < 0 || h.major != 1 ||
            h.command != (AMTHI_GET_CODE_VERSIONS | AMTHI_RESPONSE))
                return -EBADMSG;
        uint32_t status, count;
        size_t off = amthi_header_SIZE;
        if (mefw_view_u32(&v, off, &status) < 0)
                return -EBADMSG;
        if (status != 0)
                return -EREMOTEIO;
        off += 4;
        if (!mefw_view_has(&v, off, AMTHI_BIOS_VERSION_LEN) ||
            mefw_view_u32(&v, off + AMTHI_BIOS_VERSION_LEN, &count) < 0)
                return -EBADMSG;
        char bios[sizeof s->bios_version];
        counted_string(buf + off, AMTHI_BIOS_VERSION_LEN, AMTHI_BIOS_VERSION_LEN, bios, sizeof bios);
        off += AMTHI_BIOS_VERSION_LEN + 4;
        /* The count is the firmware's word; the records must also be there. */
        mefw_amt_version items[MEFW_AMT_VERSIONS_MAX];
        size_t got = 0;
        for (uint32_t i = 0; i < count && got < MEFW_AMT_VERSIONS_MAX; i++) {
                struct amthi_version_record rec;
                if (amthi_version_record_read(&v, off, &rec) < 0)
                        return -EBADMSG;
                off += amthi_version_record_SIZE;
                counted_string(rec.desc, sizeof rec.desc, rec.desc_len, items[got].name, sizeof items[got].name);
                counted_string(rec.value, sizeof rec.value, rec.value_len, items[got].value,
                               sizeof items[got].value);
                if (items[got].name[0])
                        got++;
        }
        memcpy(s->bios_version, bios, sizeof bios);
        memcpy(s->amt, items, got * sizeof items[0]);
        s->n_amt = got;
        return 0;
}

/* ---- Bitmap names ------------------------------------------------------------------------- */

/*
 * FW capabilities (MKHI rule 0) and feature state (rule 0x20) share one bit layout. Names are
 * MEInfo's where a real log pins them: on an ME 9.0 board 0x41101960 printed Anti-Theft (5), CLS (6),
 * PAVP (12), DAL (20) and Service Advertisement & Discovery present, AMT, NFC and PTT not; CSME 11/12
 * logs pin PTT at 29. The rest follows Intel's LMS headers. Bits whose meaning changed are named
 * per era; bits with no reliable name (8, 9, 13, 16, 24-28 on ME; reserved ones on CSME) stay unnamed.
 */
static const mefw_bit_name caps_me[] = {
        { 0, "Full Network Manageability" },
        /* LMS calls bit 1 "standard network manageability"; its WMI provider derives MEInfo's
         * "Standard Manageability" from bit 2 and platform brand 2 instead. Kept under MEInfo's
         * name: both readings agree on every log we have. */
        { 1, "Intel(R) Standard Manageability" },
        { 2, "Intel(R) Active Management Technology" },
        { 5, "Intel(R) Anti-Theft Technology" },
        { 6, "Intel(R) Capability Licensing Service" },
        { 7, "Virtualization Engine" },
        { 11, "ICC Over Clocking" },
        { 12, "Protect Audio Video Path" },
        { 14, "Remote Configuration Agent" },
        { 15, "Remote PC Assist" },
        { 17, "IPv6" },
        { 18, "KVM Remote Control" },
        { 19, "Outbreak Containment Heuristic" },
        { 20, "Intel(R) Dynamic Application Loader" },
        { 21, "TLS" },
        { 22, "Client Initiated Local Access" },
        { 23, "Wireless LAN" },
        { 29, "Intel(R) Platform Trust Technology" },
        { 30, "Service Advertisement & Discovery" },
        { 31, "Intel(R) NFC Capabilities" },
};

static const mefw_bit_name caps_cse[] = {
        { 0, "Full Network Manageability" },
        { 1, "Intel(R) Standard Manageability" },
        { 2, "Intel(R) Active Management Technology" },
        { 5, "Intel(R) Platform Service Record" },
        { 6, "Intel(R) Capability Licensing Service" },
        { 10, "Integrated Sensor Hub" },
        { 12, "Protect Audio Video Path" },
        { 14, "Remote Configuration Agent" },
        { 17, "IPv6" },
        { 18, "KVM Remote Control" },
        { 19, "Outbreak Containment Heuristic" },
        { 20, "Intel(R) Dynamic Application Loader" },
        { 21, "TLS" },
        { 22, "Client Initiated Local Access" },
        { 23, "Wireless LAN" },
        { 29, "Intel(R) Platform Trust Technology" },
        { 31, "Intel(R) NFC Capabilities" },
};

const mefw_bit_name *mefw_capability_names(const mefw_generation *g, size_t *ret_n) {
        bool cse = g && g->family &&
                   (strcmp(g->family, "CSME") == 0 || strcmp(g->family, "CSTXE") == 0 ||
                    strcmp(g->family, "CSSPS") == 0);
        *ret_n = cse ? ELEMENTSOF(caps_cse) : ELEMENTSOF(caps_me);
        return cse ? caps_cse : caps_me;
}

static const char *const usage_names[] = { "Mobile", "Desktop", "Server", "Workstation" };
/* Brand 4 is Remote PC Assist in LMS and reserved in later headers. */
static const char *const brand_names[] = { "None", "Intel(R) AMT", "Intel(R) Standard Manageability",
                                           "Intel(R) Manageability Upgrade", "Remote PC Assist",
                                           "Small Business Technology" };

/* Image type, bits 11:8: 3 is the consumer ("small") image, 4 the corporate ("full") one, which
 * ME 6-10 sized 1.5 MB and 5 MB (HWiNFO prints 3 as "1.5MB Firmware" on an ME 9.0 board). */
static const char *const image_names_me[] = { "No ME", "Ignition Firmware", "Lite Firmware", "1.5MB Firmware",
                                              "5MB Firmware" };
static const char *const image_names_cse[] = { "No ME", "Ignition Firmware", "Lite Firmware", "Consumer Firmware",
                                               "Corporate Firmware" };

static void set_value(mefw_named_value *o, const char *name, const char *const *names, size_t n, uint32_t v) {
        o->name = name;
        if (v < n && names[v])
                snprintf(o->value, sizeof o->value, "%s", names[v]);
        else
                snprintf(o->value, sizeof o->value, "Unknown (%u)", v);
}

size_t mefw_platform_type_describe(uint32_t value, const mefw_generation *g, mefw_named_value *out, size_t n) {
        size_t k = 0;
        bool cse = g && g->family && strcmp(g->family, "ME") != 0 && strcmp(g->family, "TXE") != 0 &&
                   strcmp(g->family, "SPS") != 0;
        /* Usage: one bit each (mobile 1, desktop 2, server 4, workstation 8); the lowest set bit names it. */
        if (k < n) {
                uint32_t usage = value & 0xF;
                if (usage == 0) {
                        out[k].name = "Platform Target Usage Type";
                        snprintf(out[k].value, sizeof out[k].value, "Unknown (0)");
                        k++;
                } else
                        set_value(&out[k++], "Platform Target Usage Type", usage_names, ELEMENTSOF(usage_names),
                                  (uint32_t) __builtin_ctz(usage));
        }
        if (k < n) {
                out[k].name = "SKU";
                snprintf(out[k].value, sizeof out[k].value, "%s", value & (1u << 6) ? "Super SKU" : "Regular SKU");
                k++;
        }
        if (k < n) {
                uint32_t image = (value >> 8) & 0xF;
                if (cse)
                        set_value(&out[k++], "ME Firmware Image Type", image_names_cse, ELEMENTSOF(image_names_cse),
                                  image);
                else
                        set_value(&out[k++], "ME Firmware Image Type", image_names_me, ELEMENTSOF(image_names_me),
                                  image);
        }
        if (k < n)
                set_value(&out[k++], "Platform Brand", brand_names, ELEMENTSOF(brand_names), (value >> 12) & 0xF);
        return k;
}
