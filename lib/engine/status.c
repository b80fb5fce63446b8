/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HFSTS1..6 decoding per generation, kept as data: each layout is a table of fields (register,
 * bits, MEInfo's label, value names), in the order MEInfo prints them. Sources: coreboot's ME
 * headers per southbridge/SoC, fwupd's CSME register definitions, the Linux mei driver, and real
 * MEInfo/MEManuf logs from public bug reports and forum threads that pin the value names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mefw/status.h"
#include "core/util.h"

/* ---- Generations ------------------------------------------------------------------------ */

static const struct {
        const char *prefix;
        const char *family;
} family_prefixes[] = {
        /* Longest first: "cstxe" before "txe", "cssps" before "sps", "csme" before "me". */
        { "cstxe", "CSTXE" }, { "cssps", "CSSPS" }, { "csme", "CSME" },
        { "txe", "TXE" },     { "sps", "SPS" },     { "me", "ME" },
};

int mefw_generation_parse(const char *text, mefw_generation *ret) {
        if (!text)
                return -EINVAL;
        const char *p = text;
        while (*p == ' ')
                p++;
        const char *family = NULL;
        for (size_t i = 0; i < ELEMENTSOF(family_prefixes); i++) {
                size_t n = strlen(family_prefixes[i].prefix);
                if (strncasecmp(p, family_prefixes[i].prefix, n) == 0) {
                        family = family_prefixes[i].family;
                        p += n;
                        break;
                }
        }
        while (*p == ' ' || *p == '-' || *p == '_')
                p++;
        if (*p < '0' || *p > '9')
                return -EINVAL;
        unsigned major = 0;
        while (*p >= '0' && *p <= '9') {
                major = major * 10 + (unsigned) (*p - '0');
                if (major > 99)
                        return -EINVAL;
                p++;
        }
        /* Anything after the major must be a version tail: ".0", ".0.20.1447". */
        for (; *p; p++)
                if (!(*p == '.' || (*p >= '0' && *p <= '9')))
                        return -EINVAL;
        if (major == 0)
                return -EINVAL;
        if (!family)
                family = major <= 10 ? "ME" : "CSME";
        /* ME 11+ is CSME, TXE 3+ is CSTXE: accept the loose names people use. */
        if (strcmp(family, "ME") == 0 && major >= 11)
                family = "CSME";
        if (strcmp(family, "TXE") == 0 && major >= 3)
                family = "CSTXE";
        if (strcmp(family, "SPS") == 0 && major >= 4)
                family = "CSSPS";
        if ((strcmp(family, "CSME") == 0 && major < 11) || (strcmp(family, "CSTXE") == 0 && major < 3) ||
            (strcmp(family, "CSSPS") == 0 && major < 4))
                return -EINVAL;
        *ret = (mefw_generation){ .family = family, .major = major };
        return 0;
}

static bool family_is(const mefw_generation *g, const char *f) {
        return g && g->family && strcmp(g->family, f) == 0;
}

static mefw_status_layout layout_for(const mefw_generation *g, const uint32_t *hfsts, size_t n) {
        /* Operation mode 0xF is how SPS firmware identifies itself, whatever was claimed; a register
         * of all ones has every field at its maximum and says nothing of the kind. */
        bool all_ones = n >= 1 && hfsts[0] == 0xFFFFFFFFu;
        if (all_ones)
                return !g || !g->family ? MEFW_LAYOUT_COMMON : layout_for(g, (const uint32_t[1]) { 0 }, 1);
        if (n >= 1 && ((hfsts[0] >> 16) & 0xF) == 0xF && !family_is(g, "ME") && !family_is(g, "TXE"))
                return MEFW_LAYOUT_SPS;
        if (n >= 1 && ((hfsts[0] >> 16) & 0xF) == 0xF && g && family_is(g, "ME") && g->major >= 6)
                return MEFW_LAYOUT_SPS;
        if (!g || !g->family)
                return MEFW_LAYOUT_COMMON;
        if (family_is(g, "SPS") || family_is(g, "CSSPS"))
                return MEFW_LAYOUT_SPS;
        if (family_is(g, "TXE"))
                return g->major >= 3 ? MEFW_LAYOUT_TXE3 : MEFW_LAYOUT_TXE1;
        if (family_is(g, "CSTXE"))
                return MEFW_LAYOUT_TXE3;
        if (family_is(g, "CSME") || (family_is(g, "ME") && g->major >= 11))
                return g->major >= 18 ? MEFW_LAYOUT_CSME18 : MEFW_LAYOUT_CSME11;
        if (family_is(g, "ME"))
                return g->major <= 5 ? MEFW_LAYOUT_ME_ICH : MEFW_LAYOUT_ME6;
        return MEFW_LAYOUT_COMMON;
}

const char *mefw_status_layout_name(mefw_status_layout l) {
        static const char *const names[] = {
                [MEFW_LAYOUT_COMMON] = "common HFSTS1 fields (generation unknown)",
                [MEFW_LAYOUT_ME_ICH] = "ME 1-5 (undocumented)",
                [MEFW_LAYOUT_ME6] = "ME 6-10",
                [MEFW_LAYOUT_TXE1] = "TXE 1-2",
                [MEFW_LAYOUT_TXE3] = "TXE 3-4",
                [MEFW_LAYOUT_CSME11] = "CSME 11-17",
                [MEFW_LAYOUT_CSME18] = "CSME 18+",
                [MEFW_LAYOUT_SPS] = "SPS",
        };
        return (unsigned) l < ELEMENTSOF(names) ? names[l] : "unknown";
}

const char *mefw_check_verdict_name(mefw_check_verdict v) {
        switch (v) {
        case MEFW_CHECK_PASS:
                return "pass";
        case MEFW_CHECK_WARN:
                return "warn";
        case MEFW_CHECK_FAIL:
                return "fail";
        default:
                return "skipped";
        }
}

int mefw_parse_register(const char *s, const char **ret_end, uint32_t *ret) {
        bool prefixed = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
        const char *p = prefixed ? s + 2 : s;
        uint32_t v = 0;
        int digits = 0;
        for (;; p++) {
                int d = (*p >= '0' && *p <= '9')   ? *p - '0'
                        : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
                        : (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10
                                                   : -1;
                if (d < 0)
                        break;
                if (++digits > 8)
                        return -ERANGE;
                v = (v << 4) | (uint32_t) d;
        }
        if (digits == 0 || (!prefixed && digits != 8))
                return -EINVAL;
        *ret = v;
        if (ret_end)
                *ret_end = p;
        return 0;
}

/* ---- Value names ----------------------------------------------------------------------- */

typedef struct {
        const char *const *names; /* indexed by the field value; NULL = unnamed */
        size_t n;
} name_table;

#define NAMES(...)                                                        \
        {                                                                 \
                .names = (const char *const[]){ __VA_ARGS__ },            \
                .n = sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *) \
        }

/* Current working state. 6 is "Disabled and waiting to timeout" in MEInfo 9.1; MEInfo 11.8 prints
 * 14 as "Unknown (14)" (fwupd calls it Halt), so 14 stays unnamed. */
static const name_table cws_names = NAMES("Reset", "Init", "Recovery", "Test", "Disabled", "Normal",
                                          "Disabled and waiting to timeout", "OP State Transition",
                                          "Invalid CPU plugged in");
/* Operation state, ME 6-10: MEInfo 9.1 printed "Transitioning" for 0. */
static const name_table opstate_me_names = NAMES("Transitioning", "M0 with UMA", NULL, NULL, "M3 without UMA",
                                                 "M0 without UMA", "Bring Up", "M0 without UMA but with error");
/* CSME names its power states CM0/CM3 (MEInfo 12: "CM0 with UMA"; MEInfo 11.8: "Transitioning" for 0). */
static const name_table opstate_cse_names = NAMES("Transitioning", "CM0 with UMA", "CM0 Power Gated", NULL,
                                                  "CM3 without UMA", "CM0 without UMA", "Bring Up",
                                                  "CM0 without UMA but with error");
static const name_table error_me_names =
        NAMES("No Error", "Uncategorized Failure", "Disabled", "Image Failure", "Debug Failure");
/* MEInfo 11.8 prints 4 as "Debug Error". */
static const name_table error_cse_names =
        NAMES("No Error", "Uncategorized Failure", "Disabled", "Image Failure", "Debug Error");
/* Mode of operation: 2 "Alt Disable Mode" (MEInfo 9.0), 4 "Unsecured mode by H/W jumper" (MEInfo 7.1),
 * 7 enhanced debug (CSME 15+), 15 SPS firmware. */
static const name_table opmode_names =
        NAMES("Normal", NULL, "Alt Disable Mode", "Temporary Disable Mode", "Unsecured mode by H/W jumper",
              "Security Override via MEI Message", NULL, "Enhanced Debug Mode", NULL, NULL, NULL, NULL, NULL,
              NULL, NULL, "SPS");
static const name_table enabled_names = NAMES("Disabled", "Enabled");
static const name_table fpt_names = NAMES("Valid", "Invalid");
static const name_table init_names = NAMES("Initializing", "Complete");
static const name_table bup_names = NAMES("Success", "Failed");
static const name_table yesno_names = NAMES("No", "Yes");
static const name_table present_names = NAMES("Not Present", "Present");
/* Phase, ME 6-10: MEInfo 9 names 1 "BringUp", 6 "HOSTCOMM Module" and 7 "FWUpdate", and prints 8
 * as "Unknown (8)". */
static const name_table phase_me_names = NAMES("ROM", "BringUp", "uKernel", "Policy Module", "Module Loading",
                                               NULL, "HOSTCOMM Module", "FWUpdate");
/* Phase, CSME: bring-up moved to 3 (MEInfo 11.8 and 12 print "BringUp" for 3, "HOSTCOMM Module" for 6). */
static const name_table phase_cse_names = NAMES("ROM", NULL, "uKernel", "BringUp", NULL, NULL,
                                                "HOSTCOMM Module");
/* ICC programming status: value 2 was never seen in a real log, so it stays unnamed. */
static const name_table icc_names = NAMES("No valid OEM data, ICC not programmed",
                                          "No valid OEM data, ICC programmed with default values", NULL,
                                          "Valid OEM data, ICC programmed");
static const name_table did_ack_names = NAMES("No DID ack", "Reset", "Power cycle", "Go to S3", "Go to S4",
                                              "Go to S5", "Global reset", "Continue to boot");
static const name_table pm_event_me_names =
        NAMES("Clean Moff->Mx wake", "Moff->Mx wake after an error", "Clean global reset",
              "Global reset after an error", "Clean ME reset", "ME reset due to exception", "Pseudo-global reset",
              "S0/M0->Sx/M3", "Sx/M3->S0/M0", "Non-power-cycle reset", "Power cycle reset through M3",
              "Power cycle reset through Moff", "Sx/Mx->Sx/Moff");
static const name_table pm_event_cse_names =
        NAMES("Clean Moff->Mx wake", "Moff->Mx wake after an error", "Clean global reset",
              "Global reset after an error", "Clean ME reset", "ME reset due to exception", "Pseudo-global reset",
              "CM0->CM3", "CM3->CM0", "Non-power-cycle reset", "Power cycle reset through M3",
              "Power cycle reset through Moff", "Cx/Mx->Cx/Moff", "CM0->CM0PG", "CM3->CM3PG", "CM0PG->CM0");
/* HFSTS3 bits 6:4. The kernel knows 0 as Ignition and 6 as SPS. */
static const name_table fw_sku_names = NAMES("Ignition", NULL, "Consumer", "Corporate", NULL, "Lite", "SPS");
static const name_table power_source_names = NAMES(NULL, "AC", "DC");
static const name_table btg_policy_names =
        NAMES("Do nothing", "Shutdown with timeout", "Shutdown immediately", "Shutdown in 30 minutes");
/* CSME 18+ HFSTS5 bits 7:3. */
static const name_table acm_error_names =
        NAMES("Success", "Boot Guard init failed", "Key manifest verification failed",
              "Boot policy manifest verification failed", "IBB verification failed", "FIT processing failed",
              "DMA setup failed", "NEM setup failed", "TPM setup failed", "IBB measurement failed", NULL,
              "ME connection failed");

/* ---- Layouts -------------------------------------------------------------------------------- */

enum {
        F_MEINFO = 1 << 0, /* MEInfo prints this line */
        F_HEX = 1 << 1,    /* show the value in hex */
        F_DEC = 1 << 2,    /* show the value in decimal */
        F_PHASE_STATUS = 1 << 3, /* named by the phase it belongs to */
};

typedef struct {
        uint8_t reg, lsb, width;
        uint8_t flags;
        const char *name;
        const name_table *values;
        uint8_t min_major, max_major; /* limits within the layout's family; 0 = none */
} field_def;

/* HFSTS1 fields shared by every generation from ME 6 to CSME 19, in MEInfo's order. */
#define HFSTS1_CORE(opstate, errors)                                                              \
        { 1, 0, 4, F_MEINFO, "CurrentState", &cws_names, 0, 0 },                                  \
        { 1, 4, 1, F_MEINFO, "ManufacturingMode", &enabled_names, 0, 0 },                         \
        { 1, 5, 1, F_MEINFO, "FlashPartition", &fpt_names, 0, 0 },                                \
        { 1, 6, 3, F_MEINFO, "OperationalState", opstate, 0, 0 },                                 \
        { 1, 9, 1, F_MEINFO, "InitComplete", &init_names, 0, 0 },                                 \
        { 1, 10, 1, F_MEINFO, "BUPLoadState", &bup_names, 0, 0 },                                 \
        { 1, 12, 4, F_MEINFO, "ErrorCode", errors, 0, 0 },                                        \
        { 1, 16, 4, F_MEINFO, "ModeOfOperation", &opmode_names, 0, 0 }

/* ME 6-10 and TXE 3-4: ICC and file system lines, and the DRAM-init-done handshake in HFSTS1. */
#define ME6_HFSTS2_MEINFO                                                                         \
        { 2, 1, 2, F_MEINFO, "ICC", &icc_names, 0, 0 },                                           \
        { 2, 6, 1, F_MEINFO, "ME File System Corrupted", &yesno_names, 0, 0 }
#define ME6_HFSTS1_UPPER                                                                          \
        { 1, 11, 1, 0, "FW Update In Progress", &yesno_names, 0, 0 },                             \
        { 1, 24, 1, 0, "Boot Options Present", &yesno_names, 0, 0 },                              \
        { 1, 25, 3, 0, "DRAM Init Done Ack", &did_ack_names, 0, 0 },                              \
        { 1, 28, 4, F_DEC, "BIOS Message Ack", NULL, 0, 0 }

/* CSME 11 and later: the lines MEInfo prints, then the HFSTS1 fields every CSE generation keeps.
 * MEInfo prints PhaseStatus ("UNKNOWN" when it has no name); we print its code. */
#define CSE_COMMON                                                                                \
        HFSTS1_CORE(&opstate_cse_names, &error_cse_names),                                        \
        { 2, 28, 4, F_MEINFO, "Phase", &phase_cse_names, 0, 0 },                                  \
        { 2, 1, 2, F_MEINFO, "ICC", &icc_names, 0, 0 },                                           \
        { 2, 6, 1, F_MEINFO, "ME File System Corrupted", &yesno_names, 0, 0 },                    \
        { 2, 16, 8, F_MEINFO | F_HEX | F_PHASE_STATUS, "PhaseStatus", NULL, 0, 0 },               \
        { 4, 2, 1, F_MEINFO, "SPI Flash Log", &present_names, 0, 0 },                             \
        { 3, 4, 3, 0, "FW SKU", &fw_sku_names, 0, 0 },                                            \
        { 1, 11, 1, 0, "FW Update In Progress", &yesno_names, 0, 0 },                             \
        { 1, 20, 4, F_DEC, "Reset Count", NULL, 0, 0 },                                           \
        { 1, 24, 1, 0, "Boot Options Present", &yesno_names, 0, 0 }

static const field_def layout_common[] = {
        { 1, 0, 4, F_MEINFO, "CurrentState", &cws_names, 0, 0 },
        { 1, 5, 1, F_MEINFO, "FlashPartition", &fpt_names, 0, 0 },
        { 1, 9, 1, F_MEINFO, "InitComplete", &init_names, 0, 0 },
        { 1, 10, 1, F_MEINFO, "BUPLoadState", &bup_names, 0, 0 },
        { 1, 11, 1, 0, "FW Update In Progress", &yesno_names, 0, 0 },
        { 1, 12, 4, F_MEINFO, "ErrorCode", &error_me_names, 0, 0 },
        { 1, 16, 4, F_MEINFO, "ModeOfOperation", &opmode_names, 0, 0 },
};

/* ME 6-10 (coreboot ibexpeak/bd82x6x/lynxpoint; MEInfo 7-9 logs). */
static const field_def layout_me6[] = {
        HFSTS1_CORE(&opstate_me_names, &error_me_names),
        { 2, 28, 4, F_MEINFO, "Phase", &phase_me_names, 9, 0 }, /* MEInfo 7/8 print no Phase line */
        { 2, 28, 4, 0, "Phase", &phase_me_names, 0, 8 },
        ME6_HFSTS2_MEINFO,
        ME6_HFSTS1_UPPER,
        { 2, 0, 1, 0, "BIST In Progress", &yesno_names, 0, 0 },
        { 2, 3, 1, 0, "Invoke MEBx", &yesno_names, 0, 0 },
        { 2, 4, 1, 0, "CPU Replaced", &yesno_names, 0, 0 },
        { 2, 5, 1, 0, "MBP Ready", &yesno_names, 0, 0 },
        { 2, 7, 1, 0, "Warm Reset Request", &yesno_names, 0, 0 },
        { 2, 8, 1, 0, "CPU Replaced Valid", &yesno_names, 0, 0 },
        { 2, 11, 1, 0, "FW Update IPU Needed", &yesno_names, 0, 0 },
        { 2, 13, 1, 0, "MBP Cleared", &yesno_names, 9, 10 },
        { 2, 16, 8, F_HEX | F_PHASE_STATUS, "PhaseStatus", NULL, 0, 0 },
        { 2, 24, 4, 0, "PM Event", &pm_event_me_names, 0, 0 },
};

/* TXE 1-2 (SeC FW_STS0, Linux hw-txe-regs.h): the core fields and a reset count; FW_STS1 is
 * undocumented. */
static const field_def layout_txe1[] = {
        HFSTS1_CORE(&opstate_me_names, &error_me_names),
        { 1, 11, 1, 0, "FW Update In Progress", &yesno_names, 0, 0 },
        { 1, 20, 4, F_DEC, "Reset Count", NULL, 0, 0 },
};

/* TXE 3-4 (coreboot apollolake cse.h): ME 9 style FWSTS1/2, IBB bits in FWSTS3. */
static const field_def layout_txe3[] = {
        HFSTS1_CORE(&opstate_me_names, &error_me_names),
        { 2, 28, 4, F_MEINFO, "Phase", &phase_me_names, 0, 0 },
        ME6_HFSTS2_MEINFO,
        ME6_HFSTS1_UPPER,
        { 2, 16, 8, F_HEX, "PhaseStatus", NULL, 0, 0 },
        { 2, 24, 4, 0, "PM Event", &pm_event_me_names, 0, 0 },
        { 3, 9, 1, 0, "IBB Verification Result", &yesno_names, 0, 0 },
        { 3, 10, 1, 0, "IBB Verification Done", &yesno_names, 0, 0 },
        { 4, 12, 1, 0, "TPM Disconnected", &yesno_names, 0, 0 },
        { 4, 14, 1, 0, "TXE Verified Boot Valid", &yesno_names, 0, 0 },
        { 4, 15, 1, 0, "TXE Verified Boot Test", &yesno_names, 0, 0 },
};

/* CSME 11-17 (fwupd's CSME 11 registers, coreboot skylake and me_12..me_16; MEInfo 11.8 log). */
static const field_def layout_csme11[] = {
        CSE_COMMON,
        { 1, 25, 1, 0, "BIST Finished", &yesno_names, 0, 14 },
        { 1, 25, 1, 0, "Invoke Enhanced Debug Mode", &yesno_names, 15, 0 },
        { 1, 26, 1, 0, "HW BIST Passed", &yesno_names, 0, 0 },
        { 1, 27, 1, 0, "BIST Reset Request", &yesno_names, 0, 0 },
        { 1, 28, 2, 0, "Power Source", &power_source_names, 0, 0 },
        { 1, 30, 1, 0, "D3 Support Valid", &yesno_names, 0, 11 },
        { 1, 31, 1, 0, "D0i3 Support Valid", &yesno_names, 0, 0 },
        { 2, 0, 1, 0, "NFTP Load Failure", &yesno_names, 0, 0 },
        { 2, 3, 1, 0, "Invoke MEBx", &yesno_names, 0, 0 },
        { 2, 4, 1, 0, "CPU Replaced", &yesno_names, 0, 0 },
        { 2, 7, 1, 0, "Warm Reset Request", &yesno_names, 0, 0 },
        { 2, 8, 1, 0, "CPU Replaced Valid", &yesno_names, 0, 0 },
        { 2, 9, 1, 0, "Low Power State", &yesno_names, 0, 0 },
        { 2, 10, 1, 0, "ME Power Gate", &yesno_names, 0, 0 },
        { 2, 11, 1, 0, "FW Update IPU Needed", &yesno_names, 0, 0 },
        { 2, 12, 1, 0, "Forced Safe Boot", &yesno_names, 0, 11 },
        { 2, 24, 4, 0, "PM Event", &pm_event_cse_names, 0, 0 },
        { 3, 0, 4, F_HEX, "IBB Chunks", NULL, 0, 0 },
        { 3, 7, 1, 0, "Encrypt Key Check", &yesno_names, 0, 0 },
        { 3, 8, 1, 0, "PCH Configuration Change", &yesno_names, 0, 0 },
        { 3, 9, 1, 0, "IBB Verification Result", &yesno_names, 0, 0 },
        { 3, 10, 1, 0, "IBB Verification Done", &yesno_names, 0, 0 },
        { 3, 31, 1, 0, "Power Down Mitigation", &yesno_names, 0, 0 },
        { 4, 9, 1, 0, "Boot Guard Enforcement Flow", &yesno_names, 0, 0 },
        { 4, 12, 1, 0, "TPM Disconnected", &yesno_names, 0, 0 },
        { 4, 14, 1, 0, "FWSTS Valid", &yesno_names, 0, 0 },
        { 4, 15, 1, 0, "Boot Guard Self Test", &yesno_names, 0, 0 },
        { 5, 0, 1, 0, "Boot Guard ACM Active", &yesno_names, 0, 0 },
        { 5, 1, 1, 0, "Boot Guard ACM Valid", &yesno_names, 0, 0 },
        { 5, 3, 5, F_HEX, "Boot Guard ACM Error", NULL, 0, 0 },
        { 5, 8, 1, 0, "Boot Guard ACM Done", &yesno_names, 0, 0 },
        { 6, 0, 1, 0, "Force Boot Guard ACM", &yesno_names, 0, 0 },
        { 6, 1, 1, 0, "CPU Debug Disabled", &yesno_names, 0, 0 },
        { 6, 2, 1, 0, "BSP Init Disabled", &yesno_names, 0, 0 },
        { 6, 3, 1, 0, "Protect BIOS Environment", &yesno_names, 0, 0 },
        { 6, 6, 2, 0, "Boot Guard Error Enforcement", &btg_policy_names, 0, 0 },
        { 6, 8, 1, 0, "Measured Boot", &enabled_names, 0, 0 },
        { 6, 9, 1, 0, "Verified Boot", &enabled_names, 0, 0 },
        { 6, 10, 4, F_DEC, "Boot Guard ACM SVN", NULL, 0, 0 },
        { 6, 14, 4, F_DEC, "Key Manifest SVN", NULL, 0, 0 },
        { 6, 18, 4, F_DEC, "Boot Policy Manifest SVN", NULL, 0, 0 },
        { 6, 22, 4, F_DEC, "Key Manifest ID", NULL, 0, 0 },
        { 6, 21, 1, 0, "Manufacturing Lock", &yesno_names, 16, 0 },
        { 6, 28, 1, 0, "Boot Guard Disabled", &yesno_names, 0, 0 },
        { 6, 29, 1, 0, "FPF Disabled", &yesno_names, 0, 0 },
        /* coreboot's skylake header reads bits 31:30 as FPF NVAR state; fwupd and coreboot's later
         * headers read bit 30 as the SoC configuration lock. Only CSME 12+ gets that name. */
        { 6, 30, 1, 0, "FPF SoC Configuration Lock", &yesno_names, 12, 0 },
        { 6, 31, 1, 0, "TXT Support", &yesno_names, 12, 0 },
};

/* CSME 18 and later (fwupd's CSME 18 registers, coreboot me_18). */
static const field_def layout_csme18[] = {
        CSE_COMMON,
        { 1, 25, 1, 0, "Invoke Enhanced Debug Mode", &yesno_names, 0, 0 },
        { 1, 31, 1, 0, "D0i3 Support Valid", &yesno_names, 0, 0 },
        { 2, 14, 1, 0, "CSE Way To Disabled", &yesno_names, 0, 0 },
        { 2, 24, 4, 0, "PM Event", &pm_event_cse_names, 0, 0 },
        { 3, 7, 1, 0, "Transactional State", &yesno_names, 0, 0 },
        { 3, 8, 1, 0, "Storage Proxy Present", &yesno_names, 0, 0 },
        { 3, 11, 4, F_DEC, "RPMC Status", NULL, 0, 0 },
        { 5, 0, 1, 0, "Boot Guard ACM Active", &yesno_names, 0, 0 },
        { 5, 1, 1, 0, "Boot Guard Valid", &yesno_names, 0, 0 },
        { 5, 3, 5, 0, "Boot Guard ACM Error", &acm_error_names, 0, 0 },
        { 5, 8, 1, 0, "Boot Guard ACM Done", &yesno_names, 0, 0 },
        { 5, 17, 1, 0, "TXT Support", &yesno_names, 0, 0 },
        { 5, 18, 3, F_DEC, "Boot Guard Profile", NULL, 0, 0 },
        { 5, 21, 1, 0, "CPU Debug Disabled", &yesno_names, 0, 0 },
        { 5, 22, 1, 0, "BSP Init Disabled", &yesno_names, 0, 0 },
        { 5, 24, 1, 0, "Boot Guard Token Applied", &yesno_names, 0, 0 },
        { 5, 25, 4, F_DEC, "Boot Guard Status", NULL, 0, 0 },
        { 6, 21, 1, 0, "Manufacturing Lock", &yesno_names, 0, 0 },
        { 6, 30, 1, 0, "FPF SoC Configuration Lock", &yesno_names, 0, 0 },
};

/* SPS (coreboot xeon_sp me.h): CSME 11 style HFSTS1, server flavoured HFSTS2. */
static const field_def layout_sps[] = {
        HFSTS1_CORE(&opstate_cse_names, &error_cse_names),
        { 2, 28, 4, F_HEX, "Phase", NULL, 0, 0 },
        { 2, 6, 1, F_MEINFO, "ME File System Corrupted", &yesno_names, 0, 0 },
        { 1, 11, 1, 0, "FW Update In Progress", &yesno_names, 0, 0 },
        { 2, 3, 1, 0, "Invoke MEBx", &yesno_names, 0, 0 },
        { 2, 4, 1, 0, "CPU Replaced", &yesno_names, 0, 0 },
        { 2, 7, 1, 0, "Warm Reset Request", &yesno_names, 0, 0 },
        { 2, 8, 1, 0, "CPU Replaced Valid", &yesno_names, 0, 0 },
        { 2, 9, 1, 0, "Low Power State", &yesno_names, 0, 0 },
        { 2, 10, 1, 0, "Power Gating", &yesno_names, 0, 0 },
        { 2, 12, 1, 0, "FW Update Forced Safe Boot", &yesno_names, 0, 0 },
        { 2, 16, 8, F_HEX, "PhaseStatus", NULL, 0, 0 },
        { 2, 24, 4, F_DEC, "PM Event", NULL, 0, 0 },
        { 3, 4, 3, 0, "FW SKU", &fw_sku_names, 0, 0 },
};

static const struct {
        const field_def *fields;
        size_t n;
} layouts[] = {
        [MEFW_LAYOUT_COMMON] = { layout_common, ELEMENTSOF(layout_common) },
        [MEFW_LAYOUT_ME_ICH] = { NULL, 0 },
        [MEFW_LAYOUT_ME6] = { layout_me6, ELEMENTSOF(layout_me6) },
        [MEFW_LAYOUT_TXE1] = { layout_txe1, ELEMENTSOF(layout_txe1) },
        [MEFW_LAYOUT_TXE3] = { layout_txe3, ELEMENTSOF(layout_txe3) },
        [MEFW_LAYOUT_CSME11] = { layout_csme11, ELEMENTSOF(layout_csme11) },
        [MEFW_LAYOUT_CSME18] = { layout_csme18, ELEMENTSOF(layout_csme18) },
        [MEFW_LAYOUT_SPS] = { layout_sps, ELEMENTSOF(layout_sps) },
};

/* ---- Phase status ----------------------------------------------------------------------- */

typedef struct {
        uint8_t code;
        const char *name;
} code_name;

/* Bring-up phase status (coreboot's lynxpoint/skylake tables, in our words). MEInfo 11.8 prints
 * 0x0D as CHECK_BUP_OVERRIDE_STRAP, which is the one name we know as MEInfo spells it. */
static const code_name bup_status[] = {
        { 0x00, "bring-up started" },
        { 0x01, "disabling host wake events" },
        { 0x02, "enabling clock gating" },
        { 0x03, "enabling the PM handshake" },
        { 0x04, "determining the boot flow" },
        { 0x05, "patching the PMC" },
        { 0x06, "reading the VSCC table" },
        { 0x07, "programming VSCC" },
        { 0x08, "VSCC table read or match error" },
        { 0x09, "initializing EFFS" },
        { 0x0A, "checking the straps for ME disable" },
        { 0x0B, "PWROK timeout" },
        { 0x0C, "EFFS says the ME is disabled" },
        { 0x0D, "CHECK_BUP_OVERRIDE_STRAP" },
        { 0x11, "bring-up in M3" },
        { 0x12, "bring-up in M0" },
        { 0x13, "flow detection error" },
        { 0x15, "M3 clock switching error" },
        { 0x17, "host error (CPU reset, DRAM init done timeout or missing memory)" },
        { 0x18, "loading the M3 kernel" },
        { 0x1C, "T34 missing: ICC cannot be programmed" },
        { 0x1F, "waiting for DRAM init done" },
        { 0x20, "DRAM init done wait failed" },
        { 0x21, "DRAM init done reported an error" },
        { 0x22, "enabling UMA" },
        { 0x23, "UMA error" },
        { 0x24, "sending the DRAM init done ack" },
        { 0x25, "DRAM init done ack error" },
        { 0x26, "switching clocks in M0" },
        { 0x27, "M0 clock error" },
        { 0x28, "ME in temporary disable" },
        { 0x32, "loading the M0 kernel" },
};

/* Policy phase status, ME 6-10. */
static const code_name policy_status[] = {
        { 0x00, "policy module entry" },
        { 0x03, "received S3 entry" },
        { 0x04, "received S4 entry" },
        { 0x05, "received S5 entry" },
        { 0x06, "received UPD entry" },
        { 0x07, "received PCR entry" },
        { 0x08, "received NPCR entry" },
        { 0x09, "received host wake" },
        { 0x0A, "received AC/DC switch" },
        { 0x0B, "received DRAM init done" },
        { 0x0C, "VSCC data not found for the flash part" },
        { 0x0D, "VSCC table is not valid" },
        { 0x0E, "flash partition boundary is outside the address space" },
        { 0x0F, "the ME cannot access the flash descriptor region" },
        { 0x10, "required VSCC values for the flash part do not match" },
};

static const char *code_lookup(const code_name *t, size_t n, uint32_t code) {
        for (size_t i = 0; i < n; i++)
                if (t[i].code == code)
                        return t[i].name;
        return NULL;
}

static const char *phase_status_name(mefw_status_layout l, uint32_t phase, uint32_t code) {
        bool cse = l == MEFW_LAYOUT_CSME11 || l == MEFW_LAYOUT_CSME18;
        if ((!cse && phase == 1) || (cse && phase == 3))
                return code_lookup(bup_status, ELEMENTSOF(bup_status), code);
        if (!cse && phase == 3)
                return code_lookup(policy_status, ELEMENTSOF(policy_status), code);
        if (phase == 0 && code == 0x00)
                return "ROM started";
        if (phase == 0 && code == 0x06)
                return "ROM: disable";
        if (phase == 6 && code == 0x00)
                return "host communication established";
        return NULL;
}

/* ---- Decoding ------------------------------------------------------------------------------ */

mefw_status *mefw_status_new(void) {
        return calloc(1, sizeof(mefw_status));
}

void mefw_status_free(mefw_status *s) {
        if (!s)
                return;
        mefw_messages_clear(&s->messages);
        free(s);
}

const mefw_status_field *mefw_status_field_get(const mefw_status *s, const char *name) {
        for (size_t i = 0; i < s->n_fields; i++)
                if (strcmp(s->fields[i].name, name) == 0)
                        return &s->fields[i];
        return NULL;
}

static bool major_applies(const field_def *f, const mefw_generation *g) {
        if (!g || !g->major)
                /* Unknown major: only fields valid for the whole layout. */
                return f->min_major == 0 && f->max_major == 0;
        if (f->min_major && g->major < f->min_major)
                return false;
        if (f->max_major && g->major > f->max_major)
                return false;
        return true;
}

static void decode_fields(mefw_status *s) {
        const field_def *defs = layouts[s->layout].fields;
        size_t n = layouts[s->layout].n;
        s->n_fields = 0;
        uint32_t phase = s->n_hfsts >= 2 ? s->hfsts[1] >> 28 : 0;
        for (size_t i = 0; i < n && s->n_fields < MEFW_STATUS_FIELDS_MAX; i++) {
                const field_def *f = &defs[i];
                if (f->reg > s->n_hfsts || !major_applies(f, &s->generation))
                        continue;
                /* One entry per name: the first table row that applies wins. */
                if (mefw_status_field_get(s, f->name))
                        continue;
                uint32_t mask = f->width >= 32 ? UINT32_MAX : ((UINT32_C(1) << f->width) - 1);
                uint32_t v = (s->hfsts[f->reg - 1] >> f->lsb) & mask;
                mefw_status_field *out = &s->fields[s->n_fields++];
                *out = (mefw_status_field){
                        .name = f->name, .raw = v, .reg = f->reg, .lsb = f->lsb, .width = f->width,
                        .meinfo = f->flags & F_MEINFO,
                };
                const char *name = f->values && v < f->values->n ? f->values->names[v] : NULL;
                if (f->flags & F_PHASE_STATUS) {
                        const char *what = phase_status_name(s->layout, phase, v);
                        if (what)
                                snprintf(out->text, sizeof out->text, "0x%02X (%s)", v, what);
                        else
                                snprintf(out->text, sizeof out->text, "0x%02X", v);
                        out->value = out->text;
                } else if (name)
                        out->value = name;
                else if (f->flags & F_HEX) {
                        snprintf(out->text, sizeof out->text, "0x%X", v);
                        out->value = out->text;
                } else if (f->flags & F_DEC) {
                        snprintf(out->text, sizeof out->text, "%u", v);
                        out->value = out->text;
                } else {
                        /* What MEInfo itself prints for a value it has no name for. */
                        snprintf(out->text, sizeof out->text, "Unknown (%u)", v);
                        out->value = out->text;
                }
        }
}

/* ---- Health checks ------------------------------------------------------------------------- */

static mefw_status_check *add_check(mefw_status *s, const char *id, const char *title, mefw_check_verdict v,
                                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static mefw_status_check *add_check(mefw_status *s, const char *id, const char *title, mefw_check_verdict v,
                                    const char *fmt, ...) {
        if (s->n_checks >= MEFW_STATUS_CHECKS_MAX)
                return NULL;
        mefw_status_check *c = &s->checks[s->n_checks++];
        *c = (mefw_status_check){ .id = id, .title = title, .verdict = v };
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->reason, sizeof c->reason, fmt, ap);
        va_end(ap);
        return c;
}

static bool field_raw(const mefw_status *s, const char *name, uint32_t *ret) {
        const mefw_status_field *f = mefw_status_field_get(s, name);
        if (!f)
                return false;
        *ret = f->raw;
        return true;
}

static void check_state(mefw_status *s) {
        uint32_t cws, opmode = 0;
        if (!field_raw(s, "CurrentState", &cws))
                return;
        field_raw(s, "ModeOfOperation", &opmode);
        const char *name = mefw_status_field_get(s, "CurrentState")->value;
        if (cws == 5)
                add_check(s, "current-state", "Current state", MEFW_CHECK_PASS, "Normal.");
        else if (cws == 4 && (opmode == 2 || opmode == 3))
                add_check(s, "current-state", "Current state", MEFW_CHECK_WARN,
                          "Disabled on purpose (%s): the ME does not run, so it cannot be updated or "
                          "queried until the HAP/AltMeDisable strap or the disable command is undone.",
                          mefw_status_field_get(s, "ModeOfOperation")->value);
        else if (cws == 2)
                add_check(s, "current-state", "Current state", MEFW_CHECK_FAIL,
                          "Recovery: the ME runs its recovery image because the main firmware did not load. "
                          "It needs a good firmware region written with a flash programmer or FPT.");
        else if (cws == 1 || cws == 7)
                add_check(s, "current-state", "Current state", MEFW_CHECK_WARN,
                          "%s: the ME is still coming up. Read the registers again after a few seconds; "
                          "if it stays there, the firmware is stuck.",
                          name);
        else
                add_check(s, "current-state", "Current state", MEFW_CHECK_FAIL,
                          "%s, not Normal: the ME is not running its firmware.", name);
}

static void check_bits(mefw_status *s) {
        uint32_t v;
        if (field_raw(s, "FlashPartition", &v))
                add_check(s, "flash-partition", "Flash partition table", v ? MEFW_CHECK_FAIL : MEFW_CHECK_PASS,
                          v ? "The ME reports its flash partition table ($FPT) as invalid: the firmware region "
                              "is damaged and must be rewritten."
                            : "Valid.");
        if (field_raw(s, "ME File System Corrupted", &v))
                add_check(s, "file-system", "ME file system", v ? MEFW_CHECK_FAIL : MEFW_CHECK_PASS,
                          v ? "The ME reports its file system (MFS) as corrupted: the configuration data must be "
                              "rebuilt, usually by writing a clean, configured firmware region."
                            : "Not corrupted.");
        if (field_raw(s, "ErrorCode", &v))
                add_check(s, "error-code", "Error code", v ? MEFW_CHECK_FAIL : MEFW_CHECK_PASS,
                          v ? "The ME reports an error: %s." : "No error.",
                          mefw_status_field_get(s, "ErrorCode")->value);
        if (field_raw(s, "InitComplete", &v))
                add_check(s, "init-complete", "Initialization", v ? MEFW_CHECK_PASS : MEFW_CHECK_FAIL,
                          v ? "Complete." : "The ME has not finished initializing.");
        if (field_raw(s, "BUPLoadState", &v))
                add_check(s, "bup-load", "Bring-up load", v ? MEFW_CHECK_FAIL : MEFW_CHECK_PASS,
                          v ? "The bring-up module failed to load: the firmware image is damaged."
                            : "Success.");
}

static void check_mode(mefw_status *s) {
        uint32_t v;
        if (field_raw(s, "ModeOfOperation", &v)) {
                const char *name = mefw_status_field_get(s, "ModeOfOperation")->value;
                if (v == 0 || v == 0xF)
                        add_check(s, "override-jumper", "Security override", MEFW_CHECK_PASS, "%s.", name);
                else if (v == 4 || v == 5)
                        add_check(s, "override-jumper", "Security override", MEFW_CHECK_FAIL,
                                  "%s: the ME security override is active (flash descriptor override jumper "
                                  "or command). Remove the jumper and do a full power cycle once the work that "
                                  "needed it is done.",
                                  name);
                else
                        add_check(s, "override-jumper", "Security override", MEFW_CHECK_WARN,
                                  "Mode of operation is %s, not Normal.", name);
        }
        if (field_raw(s, "ManufacturingMode", &v)) {
                bool cse16 = (s->layout == MEFW_LAYOUT_CSME11 && s->generation.major >= 16) ||
                             s->layout == MEFW_LAYOUT_CSME18;
                if (cse16)
                        add_check(s, "manufacturing-mode", "Manufacturing mode", MEFW_CHECK_SKIPPED,
                                  "On CSME 16 and later this bit reports SPI protection, not manufacturing "
                                  "mode.");
                else
                        add_check(s, "manufacturing-mode", "Manufacturing mode",
                                  v ? MEFW_CHECK_FAIL : MEFW_CHECK_PASS,
                                  v ? "Manufacturing mode is still enabled: the board maker did not close it "
                                      "(end of manufacturing). Flash regions and ME settings stay unlocked."
                                    : "Disabled.");
        }
}

static void check_icc(mefw_status *s) {
        uint32_t v;
        if (!field_raw(s, "ICC", &v))
                return;
        if (v == 3)
                add_check(s, "icc", "ICC (clock) data", MEFW_CHECK_PASS, "Valid OEM data, programmed.");
        else if (v == 1)
                add_check(s, "icc", "ICC (clock) data", MEFW_CHECK_WARN,
                          "No valid OEM ICC data: clocks run on Intel defaults (MEManuf error 9317). The ME "
                          "region's configuration is not the board maker's, typically after flashing a stock "
                          "or foreign image with FPT.");
        else
                add_check(s, "icc", "ICC (clock) data", MEFW_CHECK_FAIL,
                          "ICC is %s.", mefw_status_field_get(s, "ICC")->value);
}

static void check_update(mefw_status *s) {
        uint32_t v;
        bool busy = false;
        if (field_raw(s, "FW Update In Progress", &v) && v) {
                busy = true;
                add_check(s, "update-in-progress", "Firmware update", MEFW_CHECK_WARN,
                          "The ME reports a firmware update in progress. Let it finish; if none is running, do "
                          "a global reset (full power off, mains and battery out) before trying again.");
        }
        const mefw_status_field *phase = mefw_status_field_get(s, "Phase");
        if (phase && s->layout != MEFW_LAYOUT_SPS) {
                if (strcmp(phase->value, "FWUpdate") == 0)
                        add_check(s, "phase", "Phase", MEFW_CHECK_WARN,
                                  "The ME is in its FWUpdate phase: an earlier update did not finish cleanly. "
                                  "Do a global reset or a full power drain (mains and CMOS/board battery out) "
                                  "before retrying any update.");
                else if (!busy && (strcmp(phase->value, "HOSTCOMM Module") == 0 ||
                                   strcmp(phase->value, "Policy Module") == 0))
                        add_check(s, "phase", "Phase", MEFW_CHECK_PASS, "%s.", phase->value);
                else if (strcmp(phase->value, "BringUp") == 0 || strcmp(phase->value, "ROM") == 0)
                        add_check(s, "phase", "Phase", MEFW_CHECK_WARN,
                                  "%s: the ME stopped early in its boot; see PhaseStatus for where.",
                                  phase->value);
                else
                        add_check(s, "phase", "Phase", MEFW_CHECK_WARN, "%s.", phase->value);
        }
        if (s->layout == MEFW_LAYOUT_CSME11 || s->layout == MEFW_LAYOUT_CSME18) {
                uint32_t d;
                if (field_raw(s, "Boot Guard Disabled", &d)) {
                        uint32_t verified = 0, measured = 0;
                        field_raw(s, "Verified Boot", &verified);
                        field_raw(s, "Measured Boot", &measured);
                        /* Not disabled is not enabled: without a verified or measured policy (HFSTS6
                         * all zero on boards without Boot Guard) nothing is checked. */
                        if (d || (!verified && !measured))
                                add_check(s, "boot-guard", "Boot Guard", MEFW_CHECK_PASS,
                                          "Not in use: the CPU does not check the BIOS region, so any BIOS boots.");
                        else if (verified)
                                add_check(s, "boot-guard", "Boot Guard", MEFW_CHECK_PASS,
                                          "Verified boot%s: the CPU checks the BIOS region, so only the board "
                                          "maker's signed BIOS boots.",
                                          measured ? " and measured boot" : "");
                        else
                                add_check(s, "boot-guard", "Boot Guard", MEFW_CHECK_PASS,
                                          "Measured boot only: the BIOS is measured into the TPM, not blocked.");
                }
        }
}

/* Every register read as all ones: a read that no device answered (a PCI function that is hidden,
 * switched off or absent returns all ones), not a state of the firmware. */
bool mefw_status_all_ones(const mefw_status *s) {
        if (s->n_hfsts == 0)
                return false;
        for (unsigned i = 0; i < s->n_hfsts; i++)
                if (s->hfsts[i] != 0xFFFFFFFFu)
                        return false;
        return true;
}

static void compute_checks(mefw_status *s) {
        s->n_checks = 0;
        if (mefw_status_all_ones(s)) {
                add_check(s, "registers", "Status registers", MEFW_CHECK_SKIPPED,
                          "Every register reads all ones (0xFFFFFFFF): no device answered the read. The ME's "
                          "PCI function is hidden, switched off or absent, so the values say nothing about the "
                          "firmware's state.");
                return;
        }
        if (s->layout == MEFW_LAYOUT_ME_ICH) {
                add_check(s, "registers", "Status registers", MEFW_CHECK_SKIPPED,
                          "ME 5 and older: the register layout is not public, so no verdict is possible "
                          "from it.");
                return;
        }
        check_state(s);
        check_bits(s);
        check_mode(s);
        check_icc(s);
        check_update(s);
}

mefw_check_verdict mefw_status_worst_check(const mefw_status *s) {
        mefw_check_verdict worst = MEFW_CHECK_PASS;
        for (size_t i = 0; i < s->n_checks; i++)
                if (s->checks[i].verdict != MEFW_CHECK_SKIPPED && s->checks[i].verdict > worst)
                        worst = s->checks[i].verdict;
        return worst;
}

/* ---- Entry points ------------------------------------------------------------------------- */

/* What the decode could not do, said once (refresh recomputes it). */
static void add_layout_note(mefw_status *s) {
        mefw_messages_remove_code(&s->messages, "status-generation-unknown");
        mefw_messages_remove_code(&s->messages, "status-layout-undocumented");
        mefw_messages_remove_code(&s->messages, "status-generation-from-registers");
        if (s->layout == MEFW_LAYOUT_ME_ICH)
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-layout-undocumented", -1,
                                  "ME %u: the layout of the status register before ME 6 is not public, so the "
                                  "value is shown raw and not decoded (as MEInfo 5 did). Decoding it with the "
                                  "ME 6 layout gives impossible values.",
                                  s->generation.major);
        else if (s->layout == MEFW_LAYOUT_COMMON)
                mefw_messages_add(&s->messages, MEFW_WARNING, "status-generation-unknown", -1,
                                  "The firmware generation is unknown, so only the HFSTS1 fields shared by "
                                  "ME 6 to CSME 19 are decoded; the rest depends on the generation (give it with "
                                  "--generation, e.g. 9 or csme12). On ME 5 and older even these do not apply.");
        else if (s->generation_inferred && s->layout == MEFW_LAYOUT_SPS)
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-generation-from-registers", -1,
                                  "HFSTS1 operation mode 0xF: this is SPS (server) firmware, decoded as such.");
}

void mefw_status_refresh(mefw_status *s) {
        s->layout = layout_for(&s->generation, s->hfsts, s->n_hfsts);
        if (s->layout == MEFW_LAYOUT_SPS && !family_is(&s->generation, "SPS") &&
            !family_is(&s->generation, "CSSPS")) {
                /* The register says SPS; the generation only said which hardware it runs on. */
                /* SPS 1-3 ran on ME 6-8 hardware; CSE-era hardware runs CSSPS. */
                bool cse = family_is(&s->generation, "CSME") || family_is(&s->generation, "CSTXE");
                s->generation = (mefw_generation){ .family = cse ? "CSSPS" : "SPS", .major = 0 };
                s->generation_inferred = true;
        }
        decode_fields(s);
        compute_checks(s);
        add_layout_note(s);
}

int mefw_status_decode(const uint32_t *hfsts, size_t n, const mefw_generation *g, mefw_status **ret) {
        if (!hfsts || n == 0 || n > MEFW_HFSTS_MAX)
                return -EINVAL;
        mefw_status *s = mefw_status_new();
        if (!s)
                return -ENOMEM;
        memcpy(s->hfsts, hfsts, n * sizeof hfsts[0]);
        s->n_hfsts = (unsigned) n;
        s->source = "command line";
        if (g && g->family)
                s->generation = *g;
        mefw_status_refresh(s);
        *ret = s;
        return 0;
}
