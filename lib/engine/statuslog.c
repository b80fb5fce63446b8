/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Status registers in pasted logs: MEInfo/MEManuf ("FW Status Register1: 0x1E000245", and the
 * single "FW Status Register: 0X3009065A" of MEInfo 5), TXEInfo/SPSInfo, coreboot's intelmetool
 * ("ME Status   : 0x..."), and HFSTSn/FWSTSn lines from other tools. Each tool banner starts a
 * block; a block's firmware version line ("FW Version: 9.0.20.1447 H") or, failing that, the
 * tool's own version gives the generation. Forum damage is expected: CRLF, NULs, box drawing,
 * leading line numbers, very long lines. One pass, bounded work per line.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mefw/status.h"
#include "core/util.h"

#define LINE_MAX_SCAN 512 /* only the start of a line can hold what we look for */
/* Widths on every sscanf conversion: a number too long for its type is undefined behaviour there. */

/* A line made comparable: NULs, tabs and box-drawing characters become spaces, CR dropped. */
static size_t clean_line(const char *p, size_t n, char *out, size_t out_len) {
        size_t o = 0;
        for (size_t i = 0; i < n && o + 1 < out_len; i++) {
                unsigned char c = (unsigned char) p[i];
                if (c == '\r')
                        continue;
                /* U+2500..U+257F (box drawing) is E2 94 xx / E2 95 xx in UTF-8. */
                if (c == 0xE2 && i + 2 < n && ((unsigned char) p[i + 1] == 0x94 || (unsigned char) p[i + 1] == 0x95)) {
                        out[o++] = ' ';
                        i += 2;
                        continue;
                }
                out[o++] = (c == 0 || c == '\t') ? ' ' : (char) c;
        }
        out[o] = 0;
        return o;
}

static const char *skip_spaces(const char *s) {
        while (*s == ' ')
                s++;
        return s;
}

/* s starts with prefix (case-insensitive): the rest, else NULL. */
static const char *starts(const char *s, const char *prefix) {
        size_t n = strlen(prefix);
        return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* A register value followed by nothing, a space or punctuation. */
static bool parse_reg_value(const char *s, uint32_t *ret) {
        const char *end;
        if (mefw_parse_register(skip_spaces(s), &end, ret) < 0)
                return false;
        return !*end || *end == ' ' || *end == ',' || *end == '.' || *end == ';';
}

/*
 * After a label: optional register digit, spaces, ':' or '=' and the value. Register 0 = none
 * given. MEInfo 15+ pads "FW Status Register1" to a column and prints the value with no colon;
 * that is accepted for a numbered register followed by an explicit "0x" value.
 */
static bool parse_labelled(const char *rest, bool digit_allowed, unsigned *ret_reg, uint32_t *ret_value) {
        unsigned reg = 0;
        rest = skip_spaces(rest);
        if (digit_allowed && *rest >= '0' && *rest <= '9') {
                reg = (unsigned) (*rest - '0');
                const char *after = skip_spaces(rest + 1);
                if (after > rest + 1 && (after[0] == '0' && (after[1] == 'x' || after[1] == 'X'))) {
                        if (!parse_reg_value(after, ret_value))
                                return false;
                        *ret_reg = reg;
                        return true;
                }
                rest = after;
        }
        if (*rest != ':' && *rest != '=')
                return false;
        if (!parse_reg_value(rest + 1, ret_value))
                return false;
        *ret_reg = reg;
        return true;
}

/* Register number (1..6) and value, if the line is a status-register line of any tool we know. */
static bool match_register(const char *line, unsigned *ret_reg, uint32_t *ret_value, const char **ret_tool) {
        const char *r;
        unsigned reg;
        uint32_t value;
        /* MEInfo/MEManuf/TXEInfo: "FW Status Register1: 0x..."; MEInfo 5: "FW Status Register: 0X...". */
        if ((r = starts(line, "FW Status Register")) && parse_labelled(r, true, &reg, &value)) {
                *ret_reg = reg ? reg : 1;
                *ret_value = value;
                *ret_tool = NULL;
                return reg <= MEFW_HFSTS_MAX;
        }
        /* intelmetool: "ME Status   : 0x...", "ME Status 2 : 0x...". */
        if ((r = starts(line, "ME Status")) && parse_labelled(r, true, &reg, &value)) {
                *ret_reg = reg ? reg : 1;
                *ret_value = value;
                *ret_tool = "intelmetool";
                return reg <= 2;
        }
        /* Register names as fwupd, coreboot and lspci users write them. FWSTS is 0-based on TXE 1/2
         * ("FW_STS0"), so only the 1-based spellings are accepted. */
        static const char *const names[] = { "HFSTS", "FWSTS", "HFS_", "FW STS" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if ((r = starts(line, names[i])) && *r >= '1' && *r <= '6' && parse_labelled(r, true, &reg, &value)) {
                        *ret_reg = reg;
                        *ret_value = value;
                        *ret_tool = NULL;
                        return true;
                }
        return false;
}

/* "Intel(R) MEInfo Version: 9.1.45.3000" and friends. */
/* 'lower' is the same line in lowercase, for the cheap first looks. */
static const char *match_banner(const char *line, const char *lower, char *version, size_t version_len) {
        static const struct {
                const char *needle;
                const char *tool;
        } banners[] = {
                { "MEInfo", "MEInfo" },   { "MEManuf", "MEManuf" }, { "TXEInfo", "TXEInfo" },
                { "TXEManuf", "TXEManuf" }, { "SPSInfo", "SPSInfo" }, { "Firmware Update Utility", "FWUpdate" },
                { "intelmetool", "intelmetool" }, { "Flash Programming Tool", "FPT" },
        };
        if (!strstr(lower, "intel")) /* every banner names Intel (intelmetool included): most lines do not */
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(banners); i++) {
                const char *hit = strcasestr(line, banners[i].needle);
                if (!hit)
                        continue;
                const char *v = strcasestr(hit, "Version");
                version[0] = 0;
                if (v) {
                        v = skip_spaces(v + 7);
                        if (*v == ':')
                                v = skip_spaces(v + 1);
                        size_t n = strspn(v, "0123456789.");
                        if (n >= version_len)
                                n = version_len - 1;
                        memcpy(version, v, n);
                        version[n] = 0;
                }
                /* A banner names the tool and its version; "MEInfo" inside a sentence is not one. */
                if (version[0] || starts(skip_spaces(line), "intelmetool"))
                        return banners[i].tool;
        }
        return NULL;
}

/* "FW Version: 9.0.20.1447 H", "Intel ME Version: 9.0, Build 1447, Hot Fix 20" (HWiNFO),
 * "Flash: 5.0.1 Netstack: 5.0.1" (MEInfo 5), "Firmware Version: 11.8.50.3425". */
static bool match_firmware_version(const char *line, mefw_fw_version *ret) {
        const char *r;
        unsigned a, b, c, d;
        if ((r = starts(line, "FW Version")) || (r = starts(line, "Firmware Version")) ||
            (r = starts(line, "ME Firmware Version"))) {
                r = skip_spaces(r);
                if (*r != ':')
                        return false;
                if (sscanf(r + 1, " %6u.%6u.%6u.%6u", &a, &b, &c, &d) == 4 && a < 100 && b < 100 && c < 65536 &&
                    d < 65536) {
                        *ret = (mefw_fw_version){ .set = true, .major = (uint16_t) a, .minor = (uint16_t) b,
                                                  .hotfix = (uint16_t) c, .build = (uint16_t) d };
                        return true;
                }
                return false;
        }
        if ((r = starts(line, "Intel ME Version:")) &&
            sscanf(r, " %6u.%6u, Build %6u, Hot Fix %6u", &a, &b, &d, &c) == 4 && a < 100 && b < 100 && c < 65536 &&
            d < 65536) {
                *ret = (mefw_fw_version){ .set = true, .major = (uint16_t) a, .minor = (uint16_t) b,
                                          .hotfix = (uint16_t) c, .build = (uint16_t) d };
                return true;
        }
        if ((r = starts(line, "Flash:")) && sscanf(r, " %6u.%6u.%6u", &a, &b, &c) == 3 && a < 100 && b < 100 &&
            c < 65536) {
                *ret = (mefw_fw_version){ .set = true, .major = (uint16_t) a, .minor = (uint16_t) b,
                                          .hotfix = (uint16_t) c };
                return true;
        }
        return false;
}

/* "FW Capabilities: 0x41101960", "FW Capabilities value is 0x...", "Feature enablement is 0x...",
 * "Platform type is 0x72130302". MEInfo 5 prints capabilities in decimal: not a bitmap we decode. */
static bool match_bitmap(const char *line, const char **ret_which, uint32_t *ret_value) {
        static const struct {
                const char *prefix;
                const char *which;
        } labels[] = {
                { "FW Capabilities value is", "capabilities" },
                { "FW Capabilities:", "capabilities" },
                { "Feature enablement is", "feature_state" },
                { "Platform type is", "platform_type" },
        };
        for (size_t i = 0; i < ELEMENTSOF(labels); i++) {
                const char *r = starts(line, labels[i].prefix);
                if (!r)
                        continue;
                r = skip_spaces(r);
                if (!(r[0] == '0' && (r[1] == 'x' || r[1] == 'X')))
                        return false;
                if (!parse_reg_value(r, ret_value))
                        return false;
                *ret_which = labels[i].which;
                return true;
        }
        return false;
}

static bool is_driver_error(const char *line, const char *lower) {
        if (!strstr(lower, "error") && !strstr(lower, "fail") && !strstr(lower, "unable") && !strstr(lower, "cannot"))
                return false; /* a cheap first look: each message below says one of these */
        return strcasestr(line, "Error during PMX Call") || strcasestr(line, "Failed to load driver") ||
               strcasestr(line, "Cannot locate ME device driver") || strcasestr(line, "Unable to load driver") ||
               strcasestr(line, "Error 9458") || strcasestr(line, "Error 8193");
}

typedef struct {
        const char *tool;
        char version[24];
        unsigned first_line;
        bool driver_error;
        unsigned driver_error_line;
        mefw_fw_version firmware;
        bool build_pending; /* the firmware version line had no build number */
        uint16_t mei_device;
        mefw_opt_u32 capabilities, feature_state, platform_type;
        size_t first_set; /* sets that belong to this block: [first_set, n_sets) */
} block;

static void close_block(mefw_log_registers *out, const block *b) {
        for (size_t i = b->first_set; i < out->n_sets; i++) {
                mefw_log_regset *s = &out->sets[i];
                if (!s->tool)
                        s->tool = b->tool;
                if (b->version[0] && !s->tool_version[0])
                        snprintf(s->tool_version, sizeof s->tool_version, "%s", b->version);
                if (b->firmware.set && !s->firmware.set)
                        s->firmware = b->firmware;
                if (!s->mei_device)
                        s->mei_device = b->mei_device;
                if (!s->capabilities.set)
                        s->capabilities = b->capabilities;
                if (!s->feature_state.set)
                        s->feature_state = b->feature_state;
                if (!s->platform_type.set)
                        s->platform_type = b->platform_type;
        }
}

/* Generation: the firmware's own version wins; then the MEI device ID intelmetool prints; the
 * tool's version is the last resort (it may be one branch ahead of the firmware, as FWUpdLcl 9.1
 * on ME 9.0 firmware). */
static void set_generation(mefw_log_regset *s) {
        char text[40];
        const char *family = "";
        if (s->tool && (strcmp(s->tool, "TXEInfo") == 0 || strcmp(s->tool, "TXEManuf") == 0))
                family = "txe";
        else if (s->tool && strcmp(s->tool, "SPSInfo") == 0)
                family = "sps";
        if (s->firmware.set) {
                snprintf(text, sizeof text, "%s%u", family, s->firmware.major);
                if (mefw_generation_parse(text, &s->generation) == 0)
                        return;
        }
        if (s->mei_device && mefw_mei_device_generation(s->mei_device, &s->generation, NULL) == 0) {
                s->generation_from_device = true;
                return;
        }
        if (s->tool_version[0] && strcmp(s->tool ? s->tool : "", "intelmetool") != 0) {
                snprintf(text, sizeof text, "%s%s", family, s->tool_version);
                if (mefw_generation_parse(text, &s->generation) == 0)
                        s->generation_from_tool = true;
        }
}

static int scan_utf8(const char *text, size_t size, mefw_log_registers *ret) {
        mefw_log_registers *out = calloc(1, sizeof *out);
        if (!out)
                return -ENOMEM;
        block b = { .tool = NULL };
        mefw_log_regset *cur = NULL;
        unsigned line_no = 0;
        char line[LINE_MAX_SCAN + 1];
        for (size_t pos = 0; pos < size;) {
                const char *start = text + pos;
                const char *nl = memchr(start, '\n', size - pos);
                size_t len = nl ? (size_t) (nl - start) : size - pos;
                pos += len + (nl ? 1 : 0);
                line_no++;
                clean_line(start, MIN(len, (size_t) LINE_MAX_SCAN), line, sizeof line);
                char lower[LINE_MAX_SCAN + 1];
                for (size_t i = 0;; i++) {
                        lower[i] = (char) tolower((unsigned char) line[i]);
                        if (!line[i] || i == LINE_MAX_SCAN)
                                break;
                }
                const char *l = skip_spaces(line);
                /* Forum line-number columns: "12 FW Status Register1: ..." */
                const char *unnumbered = l + strspn(l, "0123456789");
                if (unnumbered != l && *unnumbered == ' ')
                        unnumbered = skip_spaces(unnumbered);
                else
                        unnumbered = l;

                /* intelmetool opens with the device it found: "MEI found: [8086:8c3a] ...". */
                unsigned vendor, device;
                if (sscanf(unnumbered, "MEI found: [%4x:%4x]", &vendor, &device) == 2 && vendor == 0x8086 &&
                    device <= 0xFFFF) {
                        close_block(out, &b);
                        b = (block){ .tool = "intelmetool", .first_line = line_no, .first_set = out->n_sets,
                                     .mei_device = (uint16_t) device };
                        cur = NULL;
                        continue;
                }
                char version[24];
                const char *tool = match_banner(unnumbered, lower + (unnumbered - line), version, sizeof version);
                if (tool) {
                        close_block(out, &b);
                        b = (block){ .tool = tool, .first_line = line_no, .first_set = out->n_sets };
                        snprintf(b.version, sizeof b.version, "%s", version);
                        cur = NULL;
                        continue;
                }
                if (is_driver_error(unnumbered, lower + (unnumbered - line)) && !b.driver_error) {
                        b.driver_error = true;
                        b.driver_error_line = line_no;
                }
                unsigned reg;
                uint32_t value;
                const char *reg_tool;
                if (match_register(unnumbered, &reg, &value, &reg_tool)) {
                        /* A register already present (or HFSTS1 again) starts a new set. */
                        if (!cur || reg == 1 || cur->line[reg - 1]) {
                                if (out->n_sets >= MEFW_LOG_REGSETS_MAX) {
                                        out->dropped++;
                                        cur = NULL;
                                        continue;
                                }
                                cur = &out->sets[out->n_sets++];
                                *cur = (mefw_log_regset){ .tool = reg_tool };
                                cur->driver_error = b.driver_error;
                                cur->driver_error_line = b.driver_error_line;
                        }
                        cur->hfsts[reg - 1] = value;
                        cur->line[reg - 1] = line_no;
                        continue;
                }
                mefw_fw_version fw;
                if (!b.firmware.set && match_firmware_version(unnumbered, &fw)) {
                        b.firmware = fw;
                        b.build_pending = fw.build == 0;
                        continue;
                }
                /* MEInfo 5 gives "Flash: 5.0.1" and, a few lines on, "Build Number: 1111". */
                unsigned build;
                if (b.build_pending && sscanf(unnumbered, "Build Number: %6u", &build) == 1 && build < 65536) {
                        b.firmware.build = (uint16_t) build;
                        b.build_pending = false;
                        continue;
                }
                const char *which;
                if (match_bitmap(unnumbered, &which, &value)) {
                        mefw_opt_u32 *slot = strcmp(which, "capabilities") == 0    ? &b.capabilities
                                             : strcmp(which, "feature_state") == 0 ? &b.feature_state
                                                                                   : &b.platform_type;
                        if (!slot->set)
                                *slot = (mefw_opt_u32){ true, value };
                }
        }
        close_block(out, &b);
        out->n_lines = line_no;

        /* Registers count from HFSTS1 up without gaps; a set missing HFSTS1 is not usable. */
        size_t kept = 0;
        for (size_t i = 0; i < out->n_sets; i++) {
                mefw_log_regset *s = &out->sets[i];
                unsigned n = 0;
                while (n < MEFW_HFSTS_MAX && s->line[n])
                        n++;
                if (n == 0)
                        continue;
                s->n_hfsts = n;
                set_generation(s);
                out->sets[kept++] = *s;
        }
        out->n_sets = kept;
        *ret = *out;
        free(out);
        return 0;
}

int mefw_status_log_scan(const char *text, size_t size, mefw_log_registers *ret) {
        if (!text && size)
                return -EINVAL;
        /* Logs saved by PowerShell (UTF-16) or Notepad ("ANSI") read like the UTF-8 ones. */
        _cleanup_free_ char *utf8 = NULL;
        size_t n = 0;
        int r = mefw_text_utf8(text, size, &utf8, &n);
        if (r < 0)
                return r;
        return scan_utf8(utf8 ? utf8 : text, utf8 ? n : size, ret);
}

int mefw_status_from_regset(const mefw_log_regset *set, const mefw_generation *override, mefw_status **ret) {
        const mefw_generation *g = override && override->family ? override : &set->generation;
        mefw_status *s = NULL;
        int r = mefw_status_decode(set->hfsts, set->n_hfsts, g, &s);
        if (r < 0)
                return r;
        s->source = "log";
        if (set->firmware.set)
                s->code = set->firmware;
        s->capabilities = set->capabilities;
        s->feature_state = set->feature_state;
        s->platform_type = set->platform_type;
        if (!(override && override->family) && set->generation_from_tool)
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-generation-from-tool", -1,
                                  "The generation (%s %u) comes from the version of %s (%s): the log shows no "
                                  "firmware version. Intel's tools may be one branch ahead of the firmware; give "
                                  "--generation if that is wrong.",
                                  set->generation.family, set->generation.major, set->tool ? set->tool : "the tool",
                                  set->tool_version);
        if (!(override && override->family) && set->generation_from_device)
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-generation-from-device", -1,
                                  "The generation (%s %u) comes from the MEI device ID 0x%04X the log names: it "
                                  "shows no firmware version.",
                                  set->generation.family, set->generation.major, set->mei_device);
        if (set->driver_error)
                mefw_messages_add(&s->messages, MEFW_WARNING, "status-driver-error", -1,
                                  "The tool reported a driver failure (line %u) before printing these registers: "
                                  "values of zero are the tool's artifact, not the ME's state.",
                                  set->driver_error_line);
        mefw_status_refresh(s);
        *ret = s;
        return 0;
}
