/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state of a running ME: the host firmware status registers (HFSTS1..6) decoded per
 * generation as Intel's MEInfo/MEManuf print them, the answers of the MKHI and AMTHI clients,
 * and MEManuf-style health verdicts derived from both.
 *
 * Three ways in, one result (mefw_status):
 *  - registers a user typed (mefw_status_decode);
 *  - registers found in a pasted tool log (mefw_status_log_scan, then decode);
 *  - this machine, through sysfs and /dev/meiN (mefw_status_live, with a replaceable transport).
 * Like the rest of the library, nothing here prints or exits.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/json.h"
#include "mefw/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MEFW_HFSTS_MAX 6

/* A firmware generation: family and major version. */
typedef struct {
        const char *family; /* "ME", "CSME", "TXE", "CSTXE", "SPS", "CSSPS"; NULL when unknown */
        unsigned major;     /* 0 when unknown */
} mefw_generation;

/*
 * "9", "me9", "ME 9.0", "9.0.20.1447", "csme12", "txe3", "sps4", "cssps5"... A bare number is ME up
 * to 10 and CSME from 11. -EINVAL for anything else (ret untouched).
 */
int mefw_generation_parse(const char *text, mefw_generation *ret);

/*
 * A 32-bit register value as people write it: "0x" and 1 to 8 hex digits, or exactly 8 bare hex
 * digits (sysfs fw_status). -ERANGE when wider than 32 bits, -EINVAL when not a value; on success
 * *ret_end (if given) points after the digits.
 */
int mefw_parse_register(const char *s, const char **ret_end, uint32_t *ret);

/* Which register layout applies. */
typedef enum {
        MEFW_LAYOUT_COMMON = 0, /* generation unknown: only the HFSTS1 fields shared by ME 6 .. CSME 19 */
        MEFW_LAYOUT_ME_ICH,     /* ME 1-5: no public layout, shown raw */
        MEFW_LAYOUT_ME6,        /* ME 6-10 */
        MEFW_LAYOUT_TXE1,       /* TXE 1-2 (SeC) */
        MEFW_LAYOUT_TXE3,       /* TXE 3-4 (CSTXE) */
        MEFW_LAYOUT_CSME11,     /* CSME 11-17 */
        MEFW_LAYOUT_CSME18,     /* CSME 18 and later */
        MEFW_LAYOUT_SPS,        /* Server Platform Services firmware */
} mefw_status_layout;

const char *mefw_status_layout_name(mefw_status_layout l);

/* One decoded register field, named as MEInfo names it where MEInfo prints it. */
typedef struct {
        const char *name;  /* "CurrentState", "Phase", "ICC", ... */
        const char *value; /* "Normal", "Unknown (14)", ...: points at a static string or at text */
        char text[64];
        uint32_t raw;      /* the field's bits, shifted down */
        uint8_t reg;       /* 1..6: HFSTS number */
        uint8_t lsb, width;
        bool meinfo;       /* a line Intel's MEInfo prints for this generation */
} mefw_status_field;

typedef enum {
        MEFW_CHECK_PASS = 0,
        MEFW_CHECK_WARN,
        MEFW_CHECK_FAIL,
        MEFW_CHECK_SKIPPED, /* cannot be judged for this generation or without the register */
} mefw_check_verdict;

const char *mefw_check_verdict_name(mefw_check_verdict v); /* "pass", "warn", "fail", "skipped" */

typedef struct {
        const char *id;    /* stable: "flash-partition", "file-system", ... */
        const char *title; /* "Flash partition table" */
        mefw_check_verdict verdict;
        char reason[240];
} mefw_status_check;

/* Firmware version blocks as MKHI GET_FW_VERSION (or sysfs fw_ver) gives them. */
typedef struct {
        bool set;
        uint8_t platform; /* SPS platform byte; 0 elsewhere */
        uint16_t major, minor, hotfix, build;
} mefw_fw_version;

/* One name/value pair of AMTHI GetCodeVersions ("AMT" = "9.0.20", "Build Number" = "1447"). */
typedef struct {
        char name[24];
        char value[24];
} mefw_amt_version;

#define MEFW_AMT_VERSIONS_MAX 24
#define MEFW_STATUS_FIELDS_MAX 96
#define MEFW_STATUS_CHECKS_MAX 24

/* A named bit of a capability or feature-state bitmap. */
typedef struct {
        uint8_t bit;
        const char *name; /* as MEInfo prints it */
} mefw_bit_name;

typedef struct {
        /* What was read, and where from. */
        uint32_t hfsts[MEFW_HFSTS_MAX];
        unsigned n_hfsts;        /* registers known: HFSTS1..n */
        const char *source;      /* "command line", "log", "sysfs fw_status", "pci config" */
        mefw_generation generation;
        bool generation_inferred; /* from the registers or the device, not given or read from firmware */
        mefw_status_layout layout;

        mefw_status_field fields[MEFW_STATUS_FIELDS_MAX];
        size_t n_fields;
        mefw_status_check checks[MEFW_STATUS_CHECKS_MAX];
        size_t n_checks;

        /* The MEI device and the firmware's own answers (live, or read from a log). */
        char pci_slot[32];       /* "0000:00:16.0", "" when unknown */
        uint16_t pci_device;     /* 0 when unknown */
        const char *pci_chipset; /* chipset the device ID belongs to, NULL when unknown */
        mefw_fw_version code, recovery, fitc;
        mefw_opt_u32 capabilities, feature_state, platform_type;
        char bios_version[66];
        mefw_amt_version amt[MEFW_AMT_VERSIONS_MAX];
        size_t n_amt;

        mefw_messages messages;
} mefw_status;

/*
 * Decode n (1..6) registers for generation g (NULL or family NULL: unknown). Fields that need a
 * register that was not given are left out; values no table names are "Unknown (N)", never
 * an out-of-bounds lookup. The health checks are computed too.
 */
int mefw_status_decode(const uint32_t *hfsts, size_t n, const mefw_generation *g, mefw_status **ret);

/* Re-run the decode after registers, generation or firmware answers changed. */
void mefw_status_refresh(mefw_status *s);

mefw_status *mefw_status_new(void);
void mefw_status_free(mefw_status *s);

/* Field lookup by name; NULL when absent. */
const mefw_status_field *mefw_status_field_get(const mefw_status *s, const char *name);

/* Whether every register read as all ones: no device answered the read (no state to decode). */
bool mefw_status_all_ones(const mefw_status *s);

/* Worst verdict of the health checks (PASS when there are none). */
mefw_check_verdict mefw_status_worst_check(const mefw_status *s);

/*
 * The named bits of the FW capabilities / feature state bitmap and of the platform type for a
 * generation. mefw_capability_names returns the table and its length; a bit not in it is
 * unnamed. mefw_platform_type_describe fills up to n name/value pairs ("Platform Target Usage
 * Type" = "Desktop") and returns how many.
 */
const mefw_bit_name *mefw_capability_names(const mefw_generation *g, size_t *ret_n);
typedef struct {
        const char *name;
        char value[40];
} mefw_named_value;
size_t mefw_platform_type_describe(uint32_t value, const mefw_generation *g, mefw_named_value *out, size_t n);

/* JSON: registers, generation, fields, firmware, capabilities, feature_state, platform_type, checks. */
void mefw_status_write_json(const mefw_status *s, mefw_json *j);

/* ---- Registers in pasted logs -------------------------------------------------------------- */

#define MEFW_LOG_REGSETS_MAX 16

/* One set of status registers found in a log, with where each came from. */
typedef struct {
        uint32_t hfsts[MEFW_HFSTS_MAX];
        unsigned n_hfsts;
        unsigned line[MEFW_HFSTS_MAX]; /* 1-based line of each register */
        const char *tool;              /* "MEInfo", "MEManuf", "intelmetool", "sysfs", ... */
        char tool_version[24];         /* the tool's own version, "" when not seen */
        mefw_generation generation;    /* from a firmware version line near it, or the tool version */
        bool generation_from_tool;     /* only the tool's version was seen (tools run one branch ahead) */
        uint16_t mei_device;           /* intelmetool's "MEI found: [8086:xxxx]", 0 when not seen */
        bool generation_from_device;   /* the generation comes from that device ID */
        mefw_fw_version firmware;      /* "FW Version: 9.0.20.1447 H" when seen */
        mefw_opt_u32 capabilities, feature_state, platform_type;
        bool driver_error;             /* the tool reported a driver failure before the registers:
                                        * zero values are its artifact, not the ME's state */
        unsigned driver_error_line;
} mefw_log_regset;

typedef struct {
        mefw_log_regset sets[MEFW_LOG_REGSETS_MAX];
        size_t n_sets;
        size_t dropped;  /* further sets past the cap */
        size_t n_lines;
} mefw_log_registers;

/* Scan text (any bytes; NULs and invalid UTF-8 are tolerated) for status registers. */
int mefw_status_log_scan(const char *text, size_t size, mefw_log_registers *ret);

/* Copy a log's register set (and the firmware answers seen with it) into a status and decode. */
int mefw_status_from_regset(const mefw_log_regset *set, const mefw_generation *override, mefw_status **ret);

/* ---- Live: MEI transport, MKHI/AMTHI ------------------------------------------------------- */

/*
 * How a host talks to ME clients. The Linux backend uses /dev/meiN; tests plug in a scripted
 * fake. Every call that waits takes a timeout; all return 0 / a byte count or a negative errno
 * (-ETIMEDOUT, -ENOENT when the client does not exist on this firmware, -EACCES...).
 */
typedef struct mefw_mei_transport {
        int (*open)(struct mefw_mei_transport *t, const char *device);
        /* Connect the opened device to one client; uuid in the usual text order. */
        int (*connect)(struct mefw_mei_transport *t, const uint8_t uuid[16], uint32_t *ret_max_msg);
        long (*write)(struct mefw_mei_transport *t, const void *buf, size_t n, int timeout_ms);
        long (*read)(struct mefw_mei_transport *t, void *buf, size_t n, int timeout_ms);
        void (*close)(struct mefw_mei_transport *t);
        void *userdata;
} mefw_mei_transport;

/* The generation an MEI device ID shipped with (e.g. 0x8C3A: ME 9, "LPT-H"); -ENOENT if unknown. */
int mefw_mei_device_generation(uint16_t device, mefw_generation *ret, const char **ret_chipset);

/* The Linux /dev/meiN backend. */
void mefw_mei_transport_linux(mefw_mei_transport *t);

/* MKHI and AMTHI client identifiers. */
extern const uint8_t MEFW_MEI_UUID_MKHI[16];
extern const uint8_t MEFW_MEI_UUID_MKHI_FIX[16];
extern const uint8_t MEFW_MEI_UUID_AMTHI[16];

/* Request builders (return the length written, or -ENOBUFS) and response parsers (0 or -EBADMSG). */
int mefw_mkhi_build_get_fw_version(uint8_t *buf, size_t size);
int mefw_mkhi_build_get_rule(uint8_t *buf, size_t size, uint32_t rule_id);
int mefw_mkhi_parse_fw_version(const uint8_t *buf, size_t n, mefw_fw_version ret[3]);
int mefw_mkhi_parse_rule(const uint8_t *buf, size_t n, uint32_t rule_id, uint32_t *ret_value);
int mefw_amthi_build_get_code_versions(uint8_t *buf, size_t size);
int mefw_amthi_parse_code_versions(const uint8_t *buf, size_t n, mefw_status *s);

#define MEFW_MKHI_RULE_CAPABILITIES 0x00
#define MEFW_MKHI_RULE_PLATFORM_TYPE 0x1D
#define MEFW_MKHI_RULE_FEATURE_STATE 0x20

typedef struct {
        const char *sysfs_root;   /* "/sys" unless overridden (tests point it at a fake tree) */
        const char *dev_root;     /* "/dev" unless overridden */
        mefw_mei_transport *transport; /* NULL: the Linux backend */
        int timeout_ms;           /* per device call; 0 = 2000 */
} mefw_live_options;

/*
 * Find the MEI function, read its registers and ask the firmware what it is. -ENODEV when there
 * is no ME to talk to (a VM, an AMD machine, a hidden or disabled ME), -EACCES when the
 * registers can be found but not read without root. What could not be asked (no /dev/meiN, a
 * client that is absent or silent) is a message in the status, not a failure.
 */
int mefw_status_live(const mefw_live_options *opt, mefw_status **ret);

#ifdef __cplusplus
}
#endif
