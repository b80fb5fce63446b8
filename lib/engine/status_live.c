/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live path of 'mefw status': find the MEI PCI function in sysfs (by vendor, class and
 * device ID: it is 00:16.0 on PCHs but 00:03.0 on ICH-era MCHs), read HFSTS from the driver's
 * fw_status file or from PCI config space, then ask the firmware itself over /dev/meiN (MKHI:
 * versions, capabilities, feature state, platform type; AMTHI: code versions). Every path is
 * relative to a root the caller may override, so tests run against a fake tree.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mefw/status.h"
#include "core/util.h"

/* ---- MEI host-interface device IDs (Linux mei driver's table) as data ---------------------- */

/* The first (HECI1) function of each part, as the Linux driver's hw-me-regs.h lists them, and
 * mei_txe's two IDs. Its "_3" IDs (iTouch) and the Denverton Innovation Engine are not the ME. */

typedef struct {
        uint16_t device;
        const char *chipset;
        const char *family;
        uint8_t major; /* the generation that shipped with it (refined by the firmware's answer) */
} mei_device;

static const mei_device mei_devices[] = {
        /* ICH8/9/10 era: the function is part of the MCH (00:03.0). */
        { 0x2974, "82946GZ", "ME", 2 },  { 0x2984, "82G35", "ME", 2 },     { 0x2994, "82Q965", "ME", 2 },
        { 0x29A4, "82G965", "ME", 2 },   { 0x2A04, "82GM965", "ME", 2 },   { 0x2A14, "82GME965", "ME", 2 },
        { 0x29B4, "82Q35", "ME", 3 },    { 0x29C4, "82G33", "ME", 3 },     { 0x29D4, "82Q33", "ME", 3 },
        { 0x29E4, "82X38", "ME", 3 },    { 0x29F4, "3200", "ME", 3 },      { 0x28B4, "ICH9", "ME", 3 },
        { 0x28C4, "ICH9", "ME", 3 },     { 0x28D4, "ICH9", "ME", 3 },      { 0x28E4, "ICH9", "ME", 3 },
        { 0x28F4, "ICH9", "ME", 3 },     { 0x2A44, "ICH9M", "ME", 4 },     { 0x2A54, "ICH9M", "ME", 4 },
        { 0x2A64, "ICH9M", "ME", 4 },    { 0x2A74, "ICH9M", "ME", 4 },     { 0x2E04, "ICH10", "ME", 5 },
        { 0x2E14, "ICH10", "ME", 5 },    { 0x2E24, "ICH10", "ME", 5 },     { 0x2E34, "ICH10", "ME", 5 },
        /* PCH era (00:16.0). */
        { 0x3B64, "IBX", "ME", 6 },      { 0x3B65, "IBX", "ME", 6 },       { 0x1C3A, "CPT", "ME", 7 },
        { 0x1D3A, "PBG", "ME", 7 },      { 0x1E3A, "PPT", "ME", 8 },       { 0x1CBA, "PPT", "ME", 8 },
        { 0x1DBA, "PPT", "ME", 8 },      { 0x8C3A, "LPT-H", "ME", 9 },     { 0x8D3A, "WBG", "ME", 9 },
        { 0x9C3A, "LPT-LP", "ME", 9 },   { 0x8CBA, "WPT-H", "ME", 9 },     { 0x9CBA, "WPT-LP", "ME", 10 },
        { 0x9CBB, "WPT-LP", "ME", 10 },  { 0x0F18, "BYT", "TXE", 1 },      { 0x2298, "BSW", "TXE", 2 },
        { 0x9D3A, "SPT-LP", "CSME", 11 }, { 0x9D3B, "SPT-LP", "CSME", 11 }, { 0xA13A, "SPT-H", "CSME", 11 },
        { 0xA13B, "SPT-H", "CSME", 11 }, { 0xA2BA, "KBP-H", "CSME", 11 },  { 0xA2BB, "KBP-H", "CSME", 11 },
        { 0xA1BA, "LBG", "CSME", 11 },   { 0x1A9A, "BXT", "CSTXE", 3 },    { 0x5A9A, "APL", "CSTXE", 3 },
        { 0x319A, "GLK", "CSTXE", 4 },   { 0x9DE0, "CNP-LP", "CSME", 12 }, { 0xA360, "CNP-H", "CSME", 12 },
        { 0x34E0, "ICP-LP", "CSME", 13 }, { 0x38E0, "ICP-N", "CSME", 13 }, { 0x4DE0, "JSP", "CSME", 13 },
        { 0x02E0, "CMP-LP", "CSME", 14 }, { 0x06E0, "CMP-H", "CSME", 14 }, { 0xA3BA, "CMP-V", "CSME", 14 },
        { 0xA0E0, "TGP-LP", "CSME", 15 }, { 0x43E0, "TGP-H", "CSME", 15 }, { 0x4B70, "MCC", "CSME", 15 },
        { 0x7AE8, "ADP-S", "CSME", 16 }, { 0x7A60, "ADP-LP", "CSME", 16 }, { 0x51E0, "ADP-P", "CSME", 16 },
        { 0x54E0, "ADP-N", "CSME", 16 }, { 0x7A68, "RPL-S", "CSME", 16 },  { 0x7E70, "MTL", "CSME", 18 },
        { 0x1BE0, "EBG", "CSSPS", 6 },
};

int mefw_mei_device_generation(uint16_t device, mefw_generation *ret, const char **ret_chipset) {
        const mei_device *d = NULL;
        for (size_t i = 0; i < ELEMENTSOF(mei_devices) && !d; i++)
                if (mei_devices[i].device == device)
                        d = &mei_devices[i];
        if (!d)
                return -ENOENT;
        *ret = (mefw_generation){ .family = d->family, .major = d->major };
        if (ret_chipset)
                *ret_chipset = d->chipset;
        return 0;
}

static const mei_device *mei_device_lookup(uint16_t id) {
        for (size_t i = 0; i < ELEMENTSOF(mei_devices); i++)
                if (mei_devices[i].device == id)
                        return &mei_devices[i];
        return NULL;
}

/* ---- Small, bounded file reads ---------------------------------------------------------------- */

#define SYSFS_FILE_MAX 4096
#define PCI_DEVICES_MAX 4096

/* Read at most size-1 bytes of a small file, NUL-terminated. Bytes read, or -errno. */
static int read_text(const char *path, char *buf, size_t size) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        size_t got = 0;
        while (got + 1 < size) {
                ssize_t n = read(fd, buf + got, size - 1 - got);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        int r = -errno;
                        close(fd);
                        return r;
                }
                if (n == 0)
                        break;
                got += (size_t) n;
        }
        close(fd);
        buf[got] = 0;
        return (int) got;
}

/* One sysfs value: "0x8086", "0x078000" or "1E000245", then only a line end. */
static bool parse_hex(const char *s, uint32_t *ret) {
        const char *end;
        return mefw_parse_register(s, &end, ret) == 0 && (!*end || *end == '\n');
}

static bool read_hex_file(const char *path, uint32_t *ret) {
        char buf[64];
        return read_text(path, buf, sizeof buf) > 0 && parse_hex(buf, ret);
}

/* ---- Finding the device ---------------------------------------------------------------------- */

typedef struct {
        char slot[32];
        char dir[4400];
        uint16_t device;
        const mei_device *known;
        char mei_name[32]; /* "mei0" when the driver bound, else "" */
} mei_function;

static bool is_mei_function(const char *dir, uint16_t *ret_device) {
        char path[4600];
        uint32_t vendor, device, class;
        snprintf(path, sizeof path, "%s/vendor", dir);
        if (!read_hex_file(path, &vendor) || vendor != 0x8086)
                return false;
        snprintf(path, sizeof path, "%s/class", dir);
        if (!read_hex_file(path, &class) || (class >> 8) != 0x0780)
                return false;
        snprintf(path, sizeof path, "%s/device", dir);
        if (!read_hex_file(path, &device) || device > 0xFFFF)
                return false;
        *ret_device = (uint16_t) device;
        return true;
}

/* The first "meiN" under DIR/mei, if the driver created one. */
static void find_mei_name(const char *dir, char *out, size_t out_len) {
        char path[4600];
        out[0] = 0;
        snprintf(path, sizeof path, "%s/mei", dir);
        DIR *d = opendir(path);
        if (!d)
                return;
        struct dirent *e;
        while ((e = readdir(d)))
                if (strncmp(e->d_name, "mei", 3) == 0 && e->d_name[3] >= '0' && e->d_name[3] <= '9' &&
                    strlen(e->d_name) < out_len && (!out[0] || strcmp(e->d_name, out) < 0))
                        snprintf(out, out_len, "%s", e->d_name);
        closedir(d);
}

/*
 * The lowest-numbered Intel communication controller that is a known MEI function, or that the
 * mei driver bound (an ID newer than our table). Lowest slot first: HECI1 before HECI2.
 */
static int find_mei_function(const char *sysfs_root, mei_function *ret) {
        char path[4096];
        if (strlen(sysfs_root) > 3000)
                return -ENAMETOOLONG;
        snprintf(path, sizeof path, "%s/bus/pci/devices", sysfs_root);
        DIR *d = opendir(path);
        if (!d)
                return -ENODEV;
        mei_function best = {};
        bool found = false;
        struct dirent *e;
        size_t seen = 0;
        while ((e = readdir(d)) && seen++ < PCI_DEVICES_MAX) {
                if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof best.slot)
                        continue;
                if (found && strcmp(e->d_name, best.slot) > 0)
                        continue;
                mei_function f = {};
                snprintf(f.slot, sizeof f.slot, "%s", e->d_name);
                snprintf(f.dir, sizeof f.dir, "%s/%s", path, e->d_name);
                if (!is_mei_function(f.dir, &f.device))
                        continue;
                f.known = mei_device_lookup(f.device);
                find_mei_name(f.dir, f.mei_name, sizeof f.mei_name);
                if (!f.known && !f.mei_name[0])
                        continue;
                best = f;
                found = true;
        }
        closedir(d);
        if (!found)
                return -ENODEV;
        *ret = best;
        return 0;
}

/* ---- Registers --------------------------------------------------------------------------------- */

/* The driver's fw_status: one 8-digit hex register per line. */
static int read_fw_status(const mei_function *f, uint32_t *regs, unsigned *ret_n) {
        if (!f->mei_name[0])
                return -ENOENT;
        char path[4600], buf[256];
        snprintf(path, sizeof path, "%s/mei/%s/fw_status", f->dir, f->mei_name);
        int r = read_text(path, buf, sizeof buf);
        if (r < 0)
                return r;
        unsigned n = 0;
        for (char *line = buf; *line && n < MEFW_HFSTS_MAX;) {
                char *end = strchr(line, '\n');
                if (end)
                        *end = 0;
                if (*line) {
                        if (!parse_hex(line, &regs[n]))
                                return -EBADMSG;
                        n++;
                }
                if (!end)
                        break;
                line = end + 1;
        }
        if (n == 0)
                return -ENODATA;
        *ret_n = n;
        return 0;
}

/* PCI config space at 0x40, 0x48, 0x60..0x6C. Unprivileged readers get only the first 64 bytes. */
static int read_config(const mei_function *f, uint32_t *regs, unsigned *ret_n) {
        static const uint16_t offsets[MEFW_HFSTS_MAX] = { 0x40, 0x48, 0x60, 0x64, 0x68, 0x6C };
        char path[4600];
        snprintf(path, sizeof path, "%s/config", f->dir);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        uint8_t cfg[0x70];
        ssize_t n = pread(fd, cfg, sizeof cfg, 0);
        int err = errno;
        close(fd);
        if (n < 0)
                return -err;
        if ((size_t) n < 0x4C)
                return n <= 0x40 ? -EACCES : -EBADMSG;
        /* ICH8/9 parts and old kernels: HFSTS1/2 only; keep what the file holds. */
        unsigned count = (size_t) n >= sizeof cfg ? MEFW_HFSTS_MAX : 2;
        for (unsigned i = 0; i < count; i++)
                regs[i] = (uint32_t) cfg[offsets[i]] | (uint32_t) cfg[offsets[i] + 1] << 8 |
                          (uint32_t) cfg[offsets[i] + 2] << 16 | (uint32_t) cfg[offsets[i] + 3] << 24;
        *ret_n = count;
        return 0;
}

/* "0:9.0.20.1447" (platform:major.minor.hotfix.build). */
static bool parse_fw_ver_line(const char *line, mefw_fw_version *ret) {
        unsigned p, a, b, c, d;
        char tail;
        if (sscanf(line, "%6u:%6u.%6u.%6u.%6u%c", &p, &a, &b, &c, &d, &tail) < 5)
                return false;
        if (p > 0xFF || a > 0xFF || b > 0xFFFF || c > 0xFFFF || d > 0xFFFF)
                return false;
        if (a == 0 && b == 0 && c == 0 && d == 0)
                return false; /* a block the firmware did not send */
        *ret = (mefw_fw_version){ .set = true, .platform = (uint8_t) p, .major = (uint16_t) a,
                                  .minor = (uint16_t) b, .hotfix = (uint16_t) c, .build = (uint16_t) d };
        return true;
}

static void read_fw_ver(const mei_function *f, mefw_status *s) {
        if (!f->mei_name[0])
                return;
        char path[4600], buf[256];
        snprintf(path, sizeof path, "%s/mei/%s/fw_ver", f->dir, f->mei_name);
        if (read_text(path, buf, sizeof buf) <= 0)
                return;
        mefw_fw_version *slots[3] = { &s->code, &s->recovery, &s->fitc };
        char *save = NULL;
        size_t i = 0;
        for (char *line = strtok_r(buf, "\n", &save); line && i < 3; line = strtok_r(NULL, "\n", &save), i++)
                parse_fw_ver_line(line, slots[i]);
}

/* ---- Talking to the firmware ----------------------------------------------------------------- */

#define MEI_BUFFER 4096

typedef struct {
        mefw_mei_transport *t;
        const char *device;
        int timeout_ms;
        uint32_t max_msg;
} mei_session;

static int session_open(mei_session *m, const uint8_t uuid[16]) {
        int r = m->t->open(m->t, m->device);
        if (r < 0)
                return r;
        r = m->t->connect(m->t, uuid, &m->max_msg);
        if (r < 0) {
                m->t->close(m->t);
                return r;
        }
        return 0;
}

/* One request, one answer of at most MEI_BUFFER bytes. Length of the answer, or -errno. */
static long session_call(mei_session *m, const uint8_t *req, size_t req_len, uint8_t *resp) {
        if (m->max_msg && req_len > m->max_msg)
                return -EMSGSIZE;
        long r = m->t->write(m->t, req, req_len, m->timeout_ms);
        if (r < 0)
                return r;
        return m->t->read(m->t, resp, MEI_BUFFER, m->timeout_ms);
}

static const char *errno_words(int r) {
        switch (r) {
        case -ETIMEDOUT:
                return "it did not answer in time";
        case -EACCES:
        case -EPERM:
                return "permission denied (run as root)";
        case -ENOENT:
        case -ENOTTY:
                return "this firmware has no such client";
        case -EBADMSG:
                return "its answer was malformed";
        case -EREMOTEIO:
                return "it answered with an error status";
        case -EMSGSIZE:
                return "the client's message size is too small";
        default:
                return strerror(-r);
        }
}

static void ask_mkhi(mei_session *m, mefw_status *s) {
        int r = session_open(m, MEFW_MEI_UUID_MKHI);
        if (r < 0) {
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-mkhi-unavailable", -1,
                                  "Could not connect to the MKHI client on %s: %s. Versions come from sysfs "
                                  "only, capabilities are not known.",
                                  m->device, errno_words(r));
                return;
        }
        _cleanup_free_ uint8_t *resp = malloc(MEI_BUFFER);
        uint8_t req[16];
        if (!resp) {
                m->t->close(m->t);
                return;
        }
        long n = session_call(m, req, (size_t) mefw_mkhi_build_get_fw_version(req, sizeof req), resp);
        mefw_fw_version v[3];
        if (n >= 0 && mefw_mkhi_parse_fw_version(resp, (size_t) n, v) == 0) {
                s->code = v[0];
                s->recovery = v[1];
                s->fitc = v[2];
        } else
                mefw_messages_add(&s->messages, MEFW_WARNING, "status-mkhi-failed", -1,
                                  "MKHI GET_FW_VERSION failed: %s.", errno_words(n < 0 ? (int) n : -EBADMSG));

        static const struct {
                uint32_t rule;
                const char *what;
                size_t offset;
        } rules[] = {
                { MEFW_MKHI_RULE_CAPABILITIES, "FW capabilities", offsetof(mefw_status, capabilities) },
                { MEFW_MKHI_RULE_FEATURE_STATE, "feature state", offsetof(mefw_status, feature_state) },
                { MEFW_MKHI_RULE_PLATFORM_TYPE, "platform type", offsetof(mefw_status, platform_type) },
        };
        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                n = session_call(m, req, (size_t) mefw_mkhi_build_get_rule(req, sizeof req, rules[i].rule), resp);
                uint32_t value;
                int pr = n < 0 ? (int) n : mefw_mkhi_parse_rule(resp, (size_t) n, rules[i].rule, &value);
                if (pr == 0)
                        *(mefw_opt_u32 *) ((char *) s + rules[i].offset) = (mefw_opt_u32){ true, value };
                else
                        mefw_messages_add(&s->messages, MEFW_WARNING, "status-mkhi-failed", -1,
                                          "MKHI query for the %s failed: %s.", rules[i].what, errno_words(pr));
                if (n == -ETIMEDOUT)
                        break; /* a silent firmware stays silent: do not wait once per query */
        }
        m->t->close(m->t);
}

static void ask_amthi(mei_session *m, mefw_status *s) {
        int r = session_open(m, MEFW_MEI_UUID_AMTHI);
        if (r < 0) {
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-amthi-absent", -1,
                                  "No AMT host interface (%s): normal on firmware without AMT or Standard "
                                  "Manageability.",
                                  errno_words(r));
                return;
        }
        _cleanup_free_ uint8_t *resp = malloc(MEI_BUFFER);
        uint8_t req[16];
        if (resp) {
                long n = session_call(m, req, (size_t) mefw_amthi_build_get_code_versions(req, sizeof req), resp);
                int pr = n < 0 ? (int) n : mefw_amthi_parse_code_versions(resp, (size_t) n, s);
                if (pr < 0)
                        mefw_messages_add(&s->messages, MEFW_WARNING, "status-amthi-failed", -1,
                                          "AMTHI GetCodeVersions failed: %s.", errno_words(pr));
        }
        m->t->close(m->t);
}

/* Family from the device, number from the firmware: MKHI says "3" on both ME 3 and TXE 3. */
static void set_generation(mefw_status *s, const mei_function *f) {
        const mei_device *known = f->known;
        if (s->code.set && s->code.major) {
                char text[32];
                const char *family = known ? known->family : NULL;
                bool sps = s->code.platform != 0 || (((s->hfsts[0] >> 16) & 0xF) == 0xF && s->n_hfsts);
                if (sps)
                        family = s->code.major >= 4 ? "CSSPS" : "SPS";
                else if (!family || strcmp(family, "SPS") == 0 || strcmp(family, "CSSPS") == 0)
                        family = s->code.major >= 11 ? "CSME" : "ME";
                else if (strcmp(family, "TXE") == 0 || strcmp(family, "CSTXE") == 0)
                        family = s->code.major >= 3 ? "CSTXE" : "TXE";
                else
                        family = s->code.major >= 11 ? "CSME" : "ME";
                snprintf(text, sizeof text, "%s%u", family, s->code.major);
                mefw_generation g;
                if (mefw_generation_parse(text, &g) == 0) {
                        s->generation = g;
                        return;
                }
        }
        if (known) {
                s->generation = (mefw_generation){ .family = known->family, .major = known->major };
                s->generation_inferred = true;
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-generation-from-device", -1,
                                  "The firmware did not say its version; the generation (%s %u) comes from the "
                                  "MEI device ID 0x%04X (%s).",
                                  known->family, known->major, f->device, known->chipset);
        }
}

int mefw_status_live(const mefw_live_options *opt, mefw_status **ret) {
        const char *sysfs = opt && opt->sysfs_root ? opt->sysfs_root : "/sys";
        const char *devroot = opt && opt->dev_root ? opt->dev_root : "/dev";
        int timeout = opt && opt->timeout_ms > 0 ? opt->timeout_ms : 2000;

        mei_function f;
        int r = find_mei_function(sysfs, &f);
        if (r < 0)
                return r;

        mefw_status *s = mefw_status_new();
        if (!s)
                return -ENOMEM;
        snprintf(s->pci_slot, sizeof s->pci_slot, "%s", f.slot);
        s->pci_device = f.device;
        s->pci_chipset = f.known ? f.known->chipset : NULL;

        r = read_fw_status(&f, s->hfsts, &s->n_hfsts);
        if (r == 0)
                s->source = "sysfs fw_status";
        /* The driver exports 0-2 registers on older parts: config space has the rest. */
        uint32_t cfg[MEFW_HFSTS_MAX];
        unsigned n_cfg = 0;
        int rc = read_config(&f, cfg, &n_cfg);
        if (rc == 0 && n_cfg > s->n_hfsts) {
                memcpy(s->hfsts, cfg, sizeof cfg);
                s->n_hfsts = n_cfg;
                s->source = "pci config";
        }
        /* Config space always has bytes at 0x60..0x6C; they are status registers from ME 9 on only
         * (the kernel exports 1 register on ICH10 and 2 on Ibex Peak to Panther Point). */
        if (f.known && strcmp(f.known->family, "ME") == 0 && f.known->major <= 8)
                s->n_hfsts = MIN(s->n_hfsts, f.known->major <= 5 ? 1u : 2u);
        if (s->n_hfsts == 0) {
                mefw_status_free(s);
                return rc == -EACCES || rc == -EPERM ? -EACCES : -ENODATA;
        }
        if (s->n_hfsts < MEFW_HFSTS_MAX && rc == -EACCES)
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-registers-partial", -1,
                                  "The driver exports HFSTS1..%u only; the others are in PCI config space, which "
                                  "only root can read.",
                                  s->n_hfsts);

        read_fw_ver(&f, s);

        mefw_mei_transport linux_t;
        mefw_mei_transport *t = opt && opt->transport ? opt->transport : NULL;
        if (!t) {
                mefw_mei_transport_linux(&linux_t);
                t = &linux_t;
        }
        char device[4200];
        if (f.mei_name[0]) {
                snprintf(device, sizeof device, "%s/%s", devroot, f.mei_name);
                mei_session m = { .t = t, .device = device, .timeout_ms = timeout };
                r = t->open(t, device);
                if (r < 0)
                        mefw_messages_add(&s->messages, MEFW_NOTE, "status-no-mei-device", -1,
                                          "Cannot open %s (%s): the firmware was not asked for its capabilities%s.",
                                          device, strerror(-r),
                                          r == -EACCES || r == -EPERM ? "; run as root" : "");
                else {
                        t->close(t);
                        ask_mkhi(&m, s);
                        ask_amthi(&m, s);
                }
        } else
                mefw_messages_add(&s->messages, MEFW_NOTE, "status-no-mei-driver", -1,
                                  "The mei_me driver is not bound to %s, so the firmware cannot be asked; only the "
                                  "registers are shown.",
                                  f.slot);

        set_generation(s, &f);
        mefw_status_refresh(s);
        *ret = s;
        return 0;
}
