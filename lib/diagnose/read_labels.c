/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Labelled facts ("FW Version: 9.0.20.1447") of MEInfo, MEManuf, FWUpdLcl, TXEInfo, SPSInfo and HWiNFO, from one table of labels. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

/* ---- Labelled facts ------------------------------------------------------------------------ */

typedef enum {
        L_PLAIN = 0,
        L_FWU_VERSION, /* FWUpdLcl 4/5 "Version :" in its Flash Info or Image Info section */
        L_HWINFO_VERSION, /* "9.0, Build 1447, Hot Fix 20" */
        L_FLASH5,      /* MEInfo 5 "Flash: 5.2.70 Netstack: 5.2.70" */
        L_BUILD5,      /* MEInfo 5 "Build Number: 1046" */
        L_COMM_MODE,
        L_WINDOWS,     /* a line only the Windows build prints */
        L_HWINFO,      /* a line only HWiNFO prints: opens its run when there was no title */
} label_kind;

typedef struct {
        const char *label; /* compared case-insensitively with the text before ':' */
        const char *fact;
        label_kind kind;
} label_def;

/*
 * The labels the tools print, as data. Several spellings map to one fact: MEManuf's
 * "ManufacturingMode" and HWiNFO's "Manufacturing Mode" are the same thing.
 */
static const label_def labels[] = {
        { "FW Version", F_FIRMWARE, L_PLAIN },
        { "Firmware Version", F_FIRMWARE, L_PLAIN },
        { "Intel ME Version", F_FIRMWARE, L_HWINFO_VERSION },
        { "Intel ME Recovery Image Version", "recovery-version", L_HWINFO_VERSION },
        { "Version", F_FIRMWARE, L_FWU_VERSION },
        { "Flash", F_FIRMWARE, L_FLASH5 },
        { "Build Number", F_FIRMWARE, L_BUILD5 },
        { "CurrentState", "current-state", L_PLAIN },
        { "Current State", "current-state", L_PLAIN },
        { "ME Current Working State", "current-state", L_HWINFO },
        { "ManufacturingMode", "manufacturing-mode", L_PLAIN },
        { "Manufacturing Mode", "manufacturing-mode", L_PLAIN },
        { "FlashPartition", "flash-partition", L_PLAIN },
        { "OperationalState", "operational-state", L_PLAIN },
        { "InitComplete", "init-complete", L_PLAIN },
        { "BUPLoadState", "bup-load-state", L_PLAIN },
        { "ErrorCode", "error-code", L_PLAIN },
        { "ModeOfOperation", "mode-of-operation", L_PLAIN },
        { "ME Current Operation Mode", "mode-of-operation", L_HWINFO },
        { "Phase", "phase", L_PLAIN },
        { "PhaseStatus", "phase-status", L_PLAIN },
        { "ICC", "icc", L_PLAIN },
        { "ME File System Corrupted", "fs-corrupted", L_PLAIN },
        { "FW Capabilities", "capabilities", L_PLAIN },
        { "Local FWUpdate", "local-fwupdate", L_PLAIN },
        { "Secure FWUpdate", "secure-fwupdate", L_PLAIN },
        { "Host Read Access to ME", "host-read-me", L_PLAIN },
        { "Host Write Access to ME", "host-write-me", L_PLAIN },
        { "Host ME Region Flash Protection Override (HMRFPO) Status", "hmrfpo", L_HWINFO },
        { "HMRFPO Status", "hmrfpo", L_PLAIN },
        { "Flash protection", "flash-protection", L_PLAIN },
        { "BIOS Version", "bios-version", L_PLAIN },
        { "MAC Address", "mac-address", L_PLAIN },
        { "Last ME reset reason", "last-reset", L_PLAIN },
        { "Communication Mode", "comm-mode", L_COMM_MODE },
        { "TPM State", "tpm-state", L_PLAIN },
        { "TPM Operational Mode", "tpm-mode", L_PLAIN },
        { "MEI Driver Version", "mei-driver", L_PLAIN },
        { "Windows OS Version", "os", L_WINDOWS },
        { "OS BIOS Support", "bios-mode", L_PLAIN },
        { "FWU Override Counter", "fwu-override-counter", L_PLAIN },
        { "FWU Override Qualifier", "fwu-override-qualifier", L_PLAIN },
        { "Independent Firmware Recovery", "independent-recovery", L_PLAIN },
        { "Configuration state", "configuration-state", L_PLAIN },
        { "Manageability Mode", "manageability-mode", L_PLAIN },
        { "ME Firmware Image Type", "sku", L_HWINFO },
        { "Platform Target Usage Type", "platform-usage", L_HWINFO },
        { "Last Update Staus", "last-update-status", L_PLAIN }, /* sic: FWUpdLcl 5 spells it so */
        { "Last Update Status", "last-update-status", L_PLAIN },
        { "EnabledUpdateInterfaces", "enabled-update-interfaces", L_PLAIN },
        { "SKU", "fwu-sku", L_FWU_VERSION },
        { "OEM Id", "oem-id", L_PLAIN },
        { "Motherboard Model", "board", L_PLAIN },
        { "Motherboard", "board", L_PLAIN },
        { "Mainboard", "board", L_PLAIN },
        { "PCH Version", "pch-version", L_PLAIN },
};

/* Lines of the form "<label> is <value>" (MEManuf/MEInfo 9 print the bitmaps so). */
static const struct {
        const char *prefix;
        const char *fact;
} is_lines[] = {
        { "FW Capabilities value is ", "capabilities" },
        { "Feature enablement is ", "feature-state" },
        { "Platform type is ", "platform-type" },
        { "System is running on ", "sku" }, /* MEManuf: "... on consumer/1.5M image, start ..." */
};

void diag_record_firmware(reader *rd, const char *value, size_t n) {
        char text[96];
        diag_copy_str(text, sizeof text, value, n);
        uint16_t v[4];
        const char *end;
        if (diag_parse_version(text, v, &end) == 4) {
                diag_fact_add(rd, F_FIRMWARE, text, strlen(text));
                /* "9.0.20.1447 H": the platform letter MEInfo prints after the version. */
                while (*end == ' ')
                        end++;
                if (*end)
                        diag_fact_add(rd, "firmware-platform", end, strlen(end));
        }
}

bool diag_match_label(reader *rd, const char *line) {
        mefw_diag_run *run = diag_cur_run(rd);
        for (size_t i = 0; i < ELEMENTSOF(is_lines); i++) {
                const char *v = diag_ci_starts(line, is_lines[i].prefix);
                if (v) {
                        const char *cut = strcasestr(v, " image");
                        diag_fact_add(rd, is_lines[i].fact, v, cut ? (size_t) (cut - v) : strlen(v));
                        return true;
                }
        }
        const char *colon = strchr(line, ':');
        if (!colon || colon == line || colon - line > 80)
                return false;
        size_t label_len = (size_t) (colon - line);
        const char *value = colon + 1;
        while (*value == ' ')
                value++;
        size_t value_len = strlen(value);
        for (size_t i = 0; i < ELEMENTSOF(labels); i++) {
                const label_def *d = &labels[i];
                if (strlen(d->label) != label_len || strncasecmp(line, d->label, label_len) != 0)
                        continue;
                switch (d->kind) {
                case L_FWU_VERSION:
                        if (!run || run->kind != MEFW_RUN_FWUPDATE || rd->fwu_section == FWU_NONE)
                                return false;
                        if (rd->fwu_section == FWU_IMAGE) {
                                if (strcmp(d->fact, F_FIRMWARE) == 0) {
                                        if (rd->fwu_image < 0)
                                                rd->fwu_image = diag_image_new(rd, run->image[0] ? run->image : "the image given to FWUpdLcl", "FWUpdLcl");
                                        if (rd->fwu_image >= 0)
                                                diag_image_set_version(&rd->log->images[rd->fwu_image], value);
                                        diag_fact_add(rd, F_IMAGE_VERSION, value, value_len);
                                } else {
                                        diag_fact_add(rd, "image-sku", value, value_len);
                                }
                        } else if (strcmp(d->fact, F_FIRMWARE) == 0) {
                                diag_record_firmware(rd, value, value_len);
                        } else {
                                diag_fact_add(rd, d->fact, value, value_len);
                        }
                        return true;
                case L_HWINFO_VERSION: {
                        /* "9.0, Build 1447, Hot Fix 20" -> 9.0.20.1447 */
                        unsigned a, b, build, hotfix;
                        if (sscanf(value, "%5u.%5u, Build %5u, Hot Fix %5u", &a, &b, &build, &hotfix) == 4) {
                                char text[48];
                                snprintf(text, sizeof text, "%u.%u.%u.%u", a, b, hotfix, build);
                                if (strcmp(d->fact, F_FIRMWARE) == 0)
                                        diag_record_firmware(rd, text, strlen(text));
                                else
                                        diag_fact_add(rd, d->fact, text, strlen(text));
                        }
                        return true;
                }
                case L_FLASH5: {
                        uint16_t v[4];
                        if (diag_parse_version(value, v, NULL) == 3)
                                diag_copy_str(rd->flash_version, sizeof rd->flash_version, value, strspn(value, "0123456789."));
                        return true;
                }
                case L_BUILD5:
                        if (rd->flash_version[0] && strspn(value, "0123456789") == value_len && value_len <= 5) {
                                char text[48];
                                snprintf(text, sizeof text, "%s.%s", rd->flash_version, value);
                                diag_record_firmware(rd, text, strlen(text));
                        }
                        return true;
                case L_COMM_MODE:
                        if (run) {
                                diag_copy_str(run->comm_mode, sizeof run->comm_mode, value, strcspn(value, " "));
                                run->comm_mode_line = rd->lineno;
                        }
                        diag_fact_add(rd, d->fact, value, value_len);
                        return true;
                case L_WINDOWS:
                        diag_set_environment(rd, "Windows");
                        diag_fact_add(rd, d->fact, value, value_len);
                        return true;
                case L_HWINFO:
                case L_PLAIN:
                        if (strcmp(d->fact, F_FIRMWARE) == 0)
                                diag_record_firmware(rd, value, value_len);
                        else
                                diag_fact_add(rd, d->fact, value, value_len);
                        return true;
                }
        }
        return false;
}

/* Is the text before ':' one of the labels the tools print? */
bool diag_match_label_known(const char *line) {
        const char *colon = strchr(line, ':');
        if (!colon || colon == line || colon - line > 80)
                return false;
        size_t n = (size_t) (colon - line);
        for (size_t i = 0; i < ELEMENTSOF(labels); i++)
                if (labels[i].kind != L_FWU_VERSION && strlen(labels[i].label) == n && strncasecmp(line, labels[i].label, n) == 0)
                        return true;
        return false;
}

bool diag_is_tpm_line(const char *line) {
        return strcasecmp(line, "Intel(R) TPM") == 0;
}

/* The firmware hosts the TPM: "Intel(R) TPM" in MEInfo 4/5's capability list, ": Intel (R) TPM"
 * in FWUpdLcl 4/5's SKU list. */
bool diag_match_tpm_capability(reader *rd, const char *line) {
        const char *p = line;
        if (*p == ':')
                p++;
        while (*p == ' ')
                p++;
        if (strcasecmp(p, "Intel(R) TPM") != 0 && strcasecmp(p, "Intel (R) TPM") != 0 &&
            !diag_ci_starts(p, "Intel(R) TPM -"))
                return false;
        mefw_diag_run *run = diag_cur_run(rd);
        bool image = run && run->kind == MEFW_RUN_FWUPDATE && rd->fwu_section == FWU_IMAGE;
        if (!diag_ci_starts(p, "Intel(R) TPM -") || (strcasestr(p, "PRESENT") && !strcasestr(p, "NOT PRESENT")))
                diag_fact_add(rd, image ? "image-tpm-capability" : "tpm-capability", "present", 7);
        return true;
}
