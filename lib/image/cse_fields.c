/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The summary of CSE firmware: family, version, release, type, SKU, security numbers, size and
 * the CSE-specific facts (file system state, OEM configuration, companion firmware), derived
 * from the analyzed code partitions the way ME Analyzer reports them. The rules and their
 * sources are in the project's image-format reference (CSE section).
 */
#include <stdio.h>

#include "cse.h"
#include "mfs.h"

static bool has_file(const mefw_cpd *cpd, const char *name) {
        return cpd && mefw_cpd_find(cpd, name) != NULL;
}

static bool has_file_prefix(const mefw_cpd *cpd, const char *prefix) {
        if (!cpd)
                return false;
        for (size_t i = 0; i < cpd->n_entries; i++)
                if (strncmp(cpd->entries[i].name, prefix, strlen(prefix)) == 0)
                        return true;
        return false;
}

static bool package_info_revised(const mefw_firmware *fw);

/* ---- family -------------------------------------------------------------------------------- */

/* The family a key belongs to ("CSME 11" -> CSME, "PMC CNP/CMP" -> PMC); NULL when the key is
 * unknown or signs several families. */
const char *mefw_cse_family_from_key(const mefw_manifest *m) {
        static const char *const families[] = { "CSME", "CSTXE", "CSSPS", "PMC", "PCHC", "PHY", "GSC" };
        if (!m->key)
                return NULL;
        const char *name = m->key->family;
        if (strcmp(name, "shared") == 0) {
                if (strchr(m->key->signs, ','))
                        return NULL;
                name = m->key->signs;
        }
        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (strncmp(name, families[i], strlen(families[i])) == 0)
                        return families[i];
        return NULL;
}

/*
 * Keys shared by several families (and unknown keys): the partition's files tell. Module names
 * that exist in only one family: fwupdate (CSME), bup_rcv/sku_mgr/manuf (CSSPS recovery,
 * operational, ignition), PMCC00x (PMC), IntelRec (PCHC), the PHY code modules.
 */
static const char *family_from_files(const mefw_cpd *cpd, const mefw_manifest *m) {
        static const struct {
                const char *file;
                bool prefix;
                const char *family;
        } rules[] = {
                { "fwupdate", false, "CSME" }, { "bup_rcv", false, "CSSPS" }, { "sku_mgr", false, "CSSPS" },
                { "manuf", false, "CSSPS" },   { "PMCC00", true, "PMC" },      { "IntelRec", false, "PCHC" },
                { "nphy", false, "PHY" },      { "pphy", false, "PHY" },       { "gen4_i", false, "PHY" },
                { "SNPMULTI", false, "PHY" },  { "dkl", true, "PHY" },
        };
        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                if (rules[i].prefix ? has_file_prefix(cpd, rules[i].file) : has_file(cpd, rules[i].file))
                        return rules[i].family;
        if (m && (m->version[0] == 3 || m->version[0] == 4) && m->version[1] == 0)
                return "CSTXE";
        return NULL;
}

const char *mefw_cse_family(const mefw_cpd *cpd, const mefw_manifest *m) {
        const char *f = mefw_cse_family_from_key(m);
        return f ? f : family_from_files(cpd, m);
}

/* ---- common fields ------------------------------------------------------------------------- */


static void derive_common(mefw_firmware *fw, const mefw_cse_partition_info *p, const char *family) {
        const mefw_manifest *m = p->manifest;
        const mefw_cse_exts *x = p->ext;
        fw->family = family;
        fw->has_version = true;
        memcpy(fw->version, m->version, sizeof fw->version);
        mefw_manifest_date(&m->h, fw->date);
        fw->signature = m->signature;
        fw->key = m->key ? m->key->name : NULL;
        fw->tcb_svn = (mefw_opt_u32){ true, m->h.svn };
        if (x->has_partition_vcn)
                fw->vcn = (mefw_opt_u32){ true, x->partition_vcn };
        else if (x->has_package_info)
                fw->vcn = (mefw_opt_u32){ true, x->package_vcn };
        if (x->has_package_info)
                fw->arb_svn = (mefw_opt_u32){ true, x->arb_svn };
        fw->pv = (m->h.flags & 1) != 0; /* production-ready ("PV") flag */
        bool pre = (m->h.flags & MANIFEST_FLAG_DEBUG) || (m->key && !m->key->production);
        fw->release = pre ? "Pre-Production" : "Production";
        fw->chipset = mefw_chipset_support(family, m->version[0], m->version[1]);
}

/* ---- partitions by name, from the $FPT and the BPDTs ----------------------------------------- */

typedef struct {
        size_t offset;      /* in the region view */
        uint32_t size;
} named_area;

/* "Empty" as ME Analyzer means it: no offset or size, erased, or outside the data. */
static bool area_used(const mefw_view *r, uint64_t off, uint64_t size) {
        if (size == 0 || off >= r->size || size > r->size - off)
                return false;
        return !mefw_view_all(r, (size_t) off, (size_t) size, 0xFF);
}

/* A used partition of that name in the $FPT, or (unless fpt_only) in a BPDT. */
static bool find_area(const mefw_cse_view *v, const char *name, bool fpt_only, named_area *ret) {
        if (v->fpt)
                for (size_t i = 0; i < v->fpt->n_entries; i++) {
                        const mefw_fpt_entry *e = &v->fpt->entries[i];
                        uint64_t off = (uint64_t) v->fpt_base + e->offset;
                        if (!e->invalid && !e->is_virtual && strcmp(e->name, name) == 0 && area_used(v->region, off, e->size)) {
                                *ret = (named_area){ (size_t) off, e->size };
                                return true;
                        }
                }
        for (size_t t = 0; !fpt_only && t < v->n_bpdts; t++) {
                const mefw_bpdt *b = v->bpdts[t];
                for (size_t i = 0; i < b->n_entries; i++) {
                        const mefw_bpdt_entry *e = &b->entries[i];
                        uint64_t off = (uint64_t) b->base + e->offset;
                        if (strcmp(e->name, name) == 0 && area_used(v->region, off, e->size)) {
                                *ret = (named_area){ (size_t) off, e->size };
                                return true;
                        }
                }
        }
        return false;
}

/* Intel's FIT writes a placeholder into unconfigured OEM areas: CB BC, nine bytes, 00, $MN2. */
static bool oem_placeholder(const uint8_t *p, size_t len) {
        len = MIN(len, (size_t) 0x50);
        for (size_t i = 0; i + 16 <= len; i++)
                if (p[i] == 0xCB && p[i + 1] == 0xBC && p[i + 11] == 0 && memcmp(p + i + 12, "$MN2", 4) == 0)
                        return true;
        return false;
}

static bool first16_erased(const mefw_view *r, size_t off) {
        return !mefw_view_has(r, off, 16) || mefw_view_all(r, off, 16, 0xFF);
}

/* ---- MFS: file system state and the PCH initialization table -------------------------------- */

static size_t config_record_size(const char *family, const uint16_t ver[4]) {
        if (strcmp(family, "CSME") == 0)
                return ver[0] <= 12 ? 0x1C : 0x0C;
        if (strcmp(family, "CSSPS") == 0)
                return ver[0] <= 5 && !(ver[0] == 4 && ver[1] == 4) ? 0x1C : 0x0C;
        return 0x1C; /* CSTXE */
}

/* CSME 13.30, 15 and 16 number their files from 0 as ordinary files: 0-9 mean nothing special. */
static bool vfs_from_zero(const char *family, const uint16_t ver[4]) {
        return strcmp(family, "CSME") == 0 && (ver[0] >= 15 || (ver[0] == 13 && ver[1] == 30));
}

static bool date_at_least(const struct manifest_header *h, unsigned y, unsigned m, unsigned d) {
        /* BCD dates compare like numbers digit by digit */
        unsigned have = ((unsigned) h->date_year << 16) | ((unsigned) h->date_month << 8) | h->date_day;
        unsigned want = ((y / 1000 % 10) << 28) | ((y / 100 % 10) << 24) | ((y / 10 % 10) << 20) | ((y % 10) << 16) |
                        ((m / 10) << 12) | ((m % 10) << 8) | ((d / 10) << 4) | (d % 10);
        return have >= want;
}

/* How the table's stepping is coded in each generation. */
static mefw_pch_rules pch_rules(const char *family, const mefw_manifest *m) {
        unsigned major = m->version[0], minor = m->version[1];
        bool csme = strcmp(family, "CSME") == 0, sps = strcmp(family, "CSSPS") == 0;
        mefw_pch_rules r = { MEFW_STEP_NONE, NULL };
        if (sps && major == 4 && minor == 4)
                r = (mefw_pch_rules){ MEFW_STEP_ABSOLUTE, "WTL" };
        else if ((csme && major == 11) || (sps && major == 4))
                r.stepping = date_at_least(&m->h, 2015, 5, 19) ? MEFW_STEP_ABSOLUTE : MEFW_STEP_NONE;
        else if ((csme && major == 12) || (sps && major == 5))
                r.stepping = date_at_least(&m->h, 2018, 1, 25) ? MEFW_STEP_BITFIELD : MEFW_STEP_ABSOLUTE;
        else if (csme && major == 14 && minor == 5)
                r = (mefw_pch_rules){ MEFW_STEP_ABSOLUTE, "CMP-V" };
        else if (csme && major == 14)
                r.stepping = MEFW_STEP_BITFIELD;
        else if ((csme && (major == 13 || major >= 15)) || (sps && major == 6))
                r.stepping = MEFW_STEP_BY_HEADER;
        return r;
}

#define MAX_PCH 8

typedef struct {
        mefw_pch_entry entries[MAX_PCH];
        size_t n;
} pch_tables;

static void pch_from_config(const uint8_t *cfg, size_t len, size_t rec, const mefw_pch_rules *rules, pch_tables *t) {
        size_t n = 0;
        if (mefw_cfg_find_pch(cfg, len, rec, rules, t->entries, MAX_PCH, &n) == 0)
                t->n = n;
}

/* "SPT-H D", "CNP/CMP-LP B,A": each chipset once, its steppings newest first. */
static void format_pch(const pch_tables *t, bool previous, char *out, size_t len, char *steps, size_t steps_len) {
        out[0] = 0;
        char all[16] = "";
        for (size_t i = 0; i < t->n; i++) {
                const mefw_pch_entry *e = &t->entries[i];
                if (e->previous != previous)
                        continue;
                bool seen = false;
                for (size_t k = 0; k < i; k++)
                        seen = seen || (t->entries[k].previous == previous && strcmp(t->entries[k].chipset, e->chipset) == 0);
                if (seen)
                        continue;
                char letters[16] = "";
                for (char c = 'P'; c >= 'A'; c--)
                        for (size_t k = i; k < t->n; k++)
                                if (t->entries[k].previous == previous && strcmp(t->entries[k].chipset, e->chipset) == 0 &&
                                    strchr(t->entries[k].steppings, c) && !strchr(letters, c)) {
                                        size_t l = strlen(letters);
                                        if (l + 1 < sizeof letters) {
                                                letters[l] = c;
                                                letters[l + 1] = 0;
                                        }
                                }
                size_t used = strlen(out);
                snprintf(out + used, len - used, "%s%s ", used ? "; " : "", e->chipset);
                used = strlen(out);
                for (size_t k = 0; letters[k]; k++) {
                        snprintf(out + used, len - used, "%s%c", k ? "," : "", letters[k]);
                        used = strlen(out);
                        if (!strchr(all, letters[k]) && strlen(all) + 1 < sizeof all)
                                all[strlen(all)] = letters[k];
                }
        }
        if (steps) {
                steps[0] = 0;
                for (char c = 'P'; c >= 'A'; c--)
                        if (strchr(all, c)) {
                                size_t used = strlen(steps);
                                snprintf(steps + used, steps_len - used, "%s%c", used ? ", " : "", c);
                        }
        }
}

typedef struct {
        const char *fs_state;
        pch_tables pch;
} mfs_facts;

static void read_mfs(const mefw_cse_view *v, const char *family, const mefw_manifest *id, mfs_facts *f) {
        mefw_ctx *ctx = v->ctx;
        named_area a;
        if (!find_area(v, "MFS", true, &a) && !find_area(v, "AFSP", true, &a))
                return;
        bool afs = !find_area(v, "MFS", true, &(named_area){});
        mefw_view mv = mefw_view_clip(v->region, a.offset, a.size);
        mefw_mfs m;
        int r = mefw_mfs_read(ctx, &mv, &m);
        if (r < 0) {
                f->fs_state = "Error";
                return;
        }
        if (m.valid && !vfs_from_zero(family, id->version)) {
                static const unsigned init_files[] = { 0, 1, 2, 3, 4, 5, 8 };
                for (size_t i = 0; i < ELEMENTSOF(init_files); i++)
                        if (mefw_mfs_has_file(&m, init_files[i]))
                                f->fs_state = "Initialized";
                bool configured = !afs && mefw_mfs_has_file(&m, 7);
                _cleanup_free_ uint8_t *backup = NULL;
                size_t blen = 0;
                if (mefw_mfs_file(&m, 9, &backup, &blen) == 0 && blen >= 0x20 && memmem(backup, 0x20, "$MN2", 4))
                        configured = true; /* a manifest backup: firmware that has run */
                if (!f->fs_state && configured)
                        f->fs_state = "Configured";
                /* the Intel configuration (file 6) holds the PCH initialization table */
                _cleanup_free_ uint8_t *cfg = NULL;
                size_t clen = 0;
                if (!afs && mefw_mfs_file(&m, 6, &cfg, &clen) == 0) {
                        mefw_pch_rules rules = pch_rules(family, id);
                        pch_from_config(cfg, clen, config_record_size(family, id->version), &rules, &f->pch);
                }
        }
        mefw_mfs_done(&m);
}

static const mefw_cpd_entry *cpd_file(const mefw_cse_view *v, const mefw_cse_partition_info *p, const char *name,
                                      const uint8_t **ret_data) {
        const mefw_cpd_entry *e = p && p->cpd ? mefw_cpd_find(p->cpd, name) : NULL;
        if (!e)
                return NULL;
        uint64_t at = (uint64_t) p->offset + e->offset;
        if (e->size == 0 || at > v->region->size || e->size > v->region->size - at ||
            mefw_view_all(v->region, (size_t) at, e->size, 0xFF))
                return NULL;
        *ret_data = v->region->data + at;
        return e;
}

static void derive_cse_state(const mefw_cse_view *v, mefw_firmware *fw, const mefw_cse_partition_info *id) {
        const char *family = fw->family;
        mfs_facts f = {};
        read_mfs(v, family, id->manifest, &f);

        /* FTPR's own Intel configuration wins over the file system's (CSTXE, CSME 16) */
        const uint8_t *data;
        const mefw_cpd_entry *intl = cpd_file(v, id, "intl.cfg", &data);
        if (intl) {
                mefw_pch_rules rules = pch_rules(family, id->manifest);
                pch_tables t = {};
                pch_from_config(data, intl->size, config_record_size(family, id->manifest->version), &rules, &t);
                if (t.n)
                        f.pch = t;
        }

        const uint8_t *fitc;
        bool oem_cfg = cpd_file(v, id, "fitc.cfg", &fitc) != NULL;
        named_area a;
        if (!f.fs_state || strcmp(f.fs_state, "Initialized") != 0) {
                bool configured = oem_cfg || find_area(v, "FITC", true, &a) || find_area(v, "MFSB", true, &a) ||
                                  find_area(v, "CDMD", true, &a);
                if (!f.fs_state && configured)
                        f.fs_state = "Configured";
        }
        fw->fs_state = f.fs_state ? f.fs_state : "Unconfigured";

        if (f.pch.n) {
                char line[64], steps[16], prev[64];
                format_pch(&f.pch, false, line, sizeof line, steps, sizeof steps);
                if (line[0]) {
                        snprintf(fw->pch_text, sizeof fw->pch_text, "%s", line);
                        fw->pch = fw->pch_text;
                        snprintf(fw->chipset_stepping, sizeof fw->chipset_stepping, "%s", steps);
                }
                format_pch(&f.pch, true, prev, sizeof prev, NULL, 0);
                if (prev[0])
                        ctx_msg(v->ctx, MEFW_NOTE, "pch-previous", -1,
                                "the firmware also carries the initialization table of the previous PCH: %s", prev);
        }

        /* OEM configuration: a signed OEM key in FTPR, or a real OEMP or UTOK/STKN partition */
        bool oem = false;
        const uint8_t *key;
        const mefw_cpd_entry *k = cpd_file(v, id, "oem.key", &key);
        if (k && !oem_placeholder(key, k->size))
                oem = true;
        if (find_area(v, "OEMP", false, &a) && !first16_erased(v->region, a.offset) &&
            !oem_placeholder(v->region->data + a.offset, a.size))
                oem = true;
        if ((find_area(v, "UTOK", false, &a) || find_area(v, "STKN", false, &a)) && !first16_erased(v->region, a.offset))
                oem = true;
        fw->oem_config = oem;
}

/* ---- SKU ------------------------------------------------------------------------------------ */

static const char *sku_type_name(unsigned type) {
        switch (type) {
        case 0:
                return "Corporate";
        case 1:
                return "Consumer";
        case 2:
                return "Slim";
        case 3:
                return "Server";
        case 5:
                return "Chrome";
        default:
                return NULL;
        }
}

/* The platform suffix of the first PCH table entry ("-LP", "-H", "-N", "-V"), or NULL. */
static const char *platform_from_pch(const char *pch) {
        static const char *const suffixes[] = { "-LP", "-H", "-N", "-V" };
        for (size_t i = 0; pch && i < ELEMENTSOF(suffixes); i++)
                if (strstr(pch, suffixes[i]))
                        return suffixes[i] + 1;
        return NULL;
}

static void derive_csme_sku(const mefw_cse_view *v, mefw_firmware *fw, const mefw_cse_partition_info *id) {
        const mefw_cse_exts *x = id->ext;
        const mefw_manifest *m = id->manifest;
        unsigned major = m->version[0], minor = m->version[1], hotfix = m->version[2], build = m->version[3];
        if (!x->has_client_info) {
                ctx_msg(v->ctx, MEFW_WARNING, "cse-no-sku", mefw_view_abs(v->region, m->offset),
                        "the FTPR manifest has no client system information (extension 0x0C): SKU unknown");
                return;
        }
        uint64_t attr = x->sku_attributes;
        const char *type = sku_type_name((unsigned) (attr >> 4) & 7);
        /* CSME 12+ also name the SKU in extension 0x0F; it carries a placeholder (Corporate) on
         * consumer images, so only the SKUs 0x0C cannot express override it */
        if (package_info_revised(fw) && x->has_package_info) {
                static const char *const revised[8] = { [3] = "Slim", [4] = "Lite", [5] = "Server" };
                if (revised[x->fw_sku & 7])
                        type = revised[x->fw_sku & 7];
        }
        const char *platform = NULL;
        if (major == 11) {
                /* the platform bits are reliable from 11.0.0.1205 on */
                if (minor > 0 || hotfix > 0 || (build >= 1205 && build != 7101))
                        platform = ((attr >> 10) & 3) == 0 ? "H" : ((attr >> 10) & 3) == 1 ? "LP" : NULL;
                else
                        platform = platform_from_pch(fw->pch);
                fw->workstation = (attr >> 7) & 1;
        } else {
                platform = platform_from_pch(fw->pch);
                if (!platform)
                        platform = (x->sku_caps & (1u << 9)) ? "LP" : (x->sku_caps & (1u << 8)) ? "H" : NULL;
                if (platform && major == 14 && minor == 5 && strcmp(platform, "H") == 0)
                        platform = "V";
                if (platform && major == 13 && type && strcmp(type, "Slim") == 0 && strcmp(platform, "LP") == 0)
                        platform = "N";
        }
        if (!type) {
                ctx_msg(v->ctx, MEFW_ERROR, "unknown-sku", mefw_view_abs(v->region, x->partition_info_offset),
                        "unknown CSME %u.%u SKU type %u", major, minor, (unsigned) (attr >> 4) & 7);
                return;
        }
        snprintf(fw->sku, sizeof fw->sku, "%s%s%s", type, platform ? " " : "", platform ? platform : "");
}

/* ---- companion firmware --------------------------------------------------------------------- */

/* CSME 12+: FWUpdate can only update a region whose $FPT carries the companion partitions. */
static void derive_fwupdate_support(const mefw_cse_view *v, mefw_firmware *fw) {
        unsigned major = fw->version[0], minor = fw->version[1];
        if (major < 12)
                return;
        named_area a;
        bool pmc = find_area(v, "PMCP", true, &a) || find_area(v, "PCOD", true, &a);
        bool pchc = find_area(v, "PCHC", true, &a);
        bool phy = find_area(v, "PPHY", true, &a) || find_area(v, "NPHY", true, &a) || find_area(v, "SPHY", true, &a) ||
                   find_area(v, "PHYP", true, &a);
        bool need_pchc = major >= 13, need_phy;
        bool lp = strstr(fw->sku, "LP") != NULL;
        switch (major * 100 + minor) {
        case 1300: case 1350: case 1400: case 1405: case 1540: case 1600:
                need_phy = false;
                break;
        case 1500:
                need_phy = !lp;
                break;
        default:
                need_phy = major >= 13;
        }
        fw->fwupdate_support = pmc && (!need_pchc || pchc) && (!need_phy || phy);
}

/* Where the $FPT tag is in the region view (a data partition's table is parsed in its own view). */
static size_t fpt_offset(const mefw_cse_view *v) {
        return (v->lt ? v->fpt_base : 0) + v->fpt->offset;
}

/* ---- type, Flash Image Tool version, size ---------------------------------------------------- */

static void set_fit(mefw_firmware *fw, uint16_t a, uint16_t b, uint16_t c, uint16_t d) {
        fw->has_fit_version = true;
        fw->fit_version[0] = a;
        fw->fit_version[1] = b;
        fw->fit_version[2] = c;
        fw->fit_version[3] = d;
}

/*
 * Type: Stock (a region as Intel ships it: the $FPT carries no Flash Image Tool version),
 * Extracted (built by the Flash Image Tool for a board, or taken from a board's flash), Update
 * (an FWUpdate image: only the code partitions); SPS images are Recovery or Operational.
 */
static void derive_type(const mefw_cse_view *v, mefw_firmware *fw, const mefw_cse_partition_info *id) {
        const mefw_view *r = v->region;
        if (strcmp(fw->family, "CSSPS") == 0 && id->ext->has_sps_platform) {
                fw->type = strcmp(id->ext->sps_type, "OP") == 0 ? "Operational" : "Recovery";
                return;
        }
        if (v->standalone) {
                fw->type = strcmp(fw->family, "CSME") == 0 || strcmp(fw->family, "CSTXE") == 0 ? "Update" : "Independent";
                return;
        }
        if (v->ifwi || (!v->fpt && v->n_bpdts)) {
                fw->type = "Extracted";
                const mefw_bpdt *b = v->bpdts[0];
                if (b->fit[0] || b->fit[1] || b->fit[2] || b->fit[3])
                        set_fit(fw, b->fit[0], b->fit[1], b->fit[2], b->fit[3]);
                return;
        }
        if (!v->fpt) {
                fw->type = "Update";
                return;
        }
        size_t used = 0, code = 0;
        for (size_t i = 0; i < v->fpt->n_entries; i++) {
                const mefw_fpt_entry *e = &v->fpt->entries[i];
                if (!e->used)
                        continue;
                used++;
                code += strcmp(e->name, "FTPR") == 0 || strcmp(e->name, "FTUP") == 0 || strcmp(e->name, "NFTP") == 0;
        }
        /* a table the Flash Image Tool wrote for a board is an extracted region, however few of its
         * partitions are left (me_cleaner's shrinking keeps FTPR alone, and the FIT version) */
        const struct fpt_header *h = &v->fpt->header;
        if (h->fit_build != 0 && h->fit_build != 0xFFFF) {
                fw->type = "Extracted";
                set_fit(fw, h->fit_major, h->fit_minor, h->fit_hotfix, h->fit_build);
                return;
        }
        if (used == code && code > 0) {
                fw->type = "Update";
                return;
        }
        named_area a;
        size_t fpt_at = fpt_offset(v);
        bool vector_erased = fpt_at >= 0x10 && mefw_view_all(r, fpt_at - 0x10, 0x10, 0xFF);
        /* CSTXE regions built by the Flash Image Tool keep an erased vector and FIT field */
        bool txe_placeholder = strcmp(fw->family, "CSTXE") == 0 && vector_erased &&
                               mefw_view_all(r, fpt_at + 0x0C, 0x14, 0xFF);
        bool fwupdate_made = strcmp(fw->family, "CSME") == 0 && fw->version[0] >= 13 && vector_erased;
        fw->type = find_area(v, "FOVD", true, &a) || txe_placeholder || fwupdate_made ? "Extracted" : "Stock";
}

/* The end of the firmware: the last partition of the $FPT (and of the layout table). */
static void derive_cse_size(const mefw_cse_view *v, mefw_firmware *fw) {
        uint64_t end = 0;
        size_t start = 0;
        if (v->standalone) {
                end = v->identity && v->identity->ext->has_ifwi_info ? v->identity->ext->ifwi_size
                      : v->identity && v->identity->ext->has_partition_info ? v->identity->ext->partition_size
                                                                            : v->region->size;
        } else if (v->lt) {
                for (size_t i = 0; i < v->lt->n_parts; i++)
                        if (!v->lt->parts[i].empty)
                                end = MAX(end, (uint64_t) v->lt->parts[i].offset + v->lt->parts[i].size);
        } else if (v->fpt) {
                start = v->fpt_base;
                for (size_t i = 0; i < v->fpt->n_entries; i++) {
                        const mefw_fpt_entry *e = &v->fpt->entries[i];
                        if (e->invalid || e->is_virtual || e->size == 0 || e->size == 0xFFFFFFFFu)
                                continue;
                        end = MAX(end, (uint64_t) e->offset + e->size);
                }
        } else
                return; /* an IFWI image: its size is the BIOS region's business */
        mefw_derive_size(v->ctx, v->region, v->region_size, v->from_descriptor, start, end);
}

/* Extension 0x0F carries the firmware type and SKU from CSME 12 and CSSPS 4.4 / 5 on. */
static bool package_info_revised(const mefw_firmware *fw) {
        unsigned major = fw->version[0], minor = fw->version[1];
        if (strcmp(fw->family, "CSME") == 0)
                return major >= 12;
        if (strcmp(fw->family, "CSSPS") == 0)
                return major >= 5 || (major == 4 && minor == 4);
        return false;
}

/*
 * CSSPS: the platform is the two-letter code of extension 0x32. Ignition firmware (the free,
 * minimal server firmware) has no client system information (0x0C) and the original layout of
 * the package information (0x0F) with an anti-rollback SVN: that combination is how it is told.
 */
static void derive_cssps(mefw_firmware *fw, const mefw_cse_partition_info *id) {
        const mefw_cse_exts *x = id->ext;
        if (x->has_sps_platform) {
                fw->chipset = mefw_sps_platform(x->sps_platform);
                if (!fw->chipset)
                        fw->chipset = "Unknown";
        }
        if (x->has_client_info) {
                const char *t = sku_type_name((unsigned) (x->sku_attributes >> 4) & 7);
                snprintf(fw->sku, sizeof fw->sku, "%s", t ? t : "");
        } else if (x->has_package_info && x->arb_svn != 0 && !x->has_package_info_v2 && !package_info_revised(fw))
                snprintf(fw->sku, sizeof fw->sku, "Ignition");
}

/* CSTXE: no PCH table; production firmware supports the production (B; C on Broxton) stepping. */
static void derive_cstxe(mefw_firmware *fw) {
        if (fw->chipset_stepping[0])
                return;
        bool bxt = fw->version[0] == 3 && fw->version[1] == 2;
        snprintf(fw->chipset_stepping, sizeof fw->chipset_stepping, "%c",
                 strcmp(fw->release, "Production") == 0 ? (bxt ? 'C' : 'B') : 'A');
}

/* ---- PMC, and CSSPS --------------------------------------------------------------------------- */

/* Apollo/Gemini Lake and Broxton PMC firmware names its SoC and stepping in its module name. */
static void derive_pmc_soc(mefw_firmware *fw, const mefw_cpd *cpd) {
        static const struct {
                const char *module, *chipset, *stepping;
        } socs[] = {
                { "PMCC002", "APL", "A" }, { "PMCC003", "APL", "B" }, { "PMCC004", "GLK", "A" },
                { "PMCC005", "BXT", "C" }, { "PMCC006", "GLK", "B" },
        };
        for (size_t i = 0; i < ELEMENTSOF(socs); i++)
                if (has_file(cpd, socs[i].module)) {
                        fw->chipset = socs[i].chipset;
                        snprintf(fw->chipset_stepping, sizeof fw->chipset_stepping, "%s", socs[i].stepping);
                }
}

static void derive_pmc(mefw_firmware *fw) {
        static const char *const platforms[] = { "SoC", "LP", "H", "N", "M" };
        unsigned minor = fw->version[1], hotfix = fw->version[2];
        /* CNP-generation PMC firmware (major 300) codes the platform in the minor and the
         * supported stepping in the tens of the hotfix */
        if (fw->version[0] == 300 && minor < ELEMENTSOF(platforms)) {
                snprintf(fw->sku, sizeof fw->sku, "%s", platforms[minor]);
                snprintf(fw->chipset_stepping, sizeof fw->chipset_stepping, "%c", 'A' + MIN(hotfix / 10, 15u));
        }
}

/* ---- companion firmware as components ------------------------------------------------------ */

static bool is_companion(const char *family) {
        return family && (strcmp(family, "PMC") == 0 || strcmp(family, "PCHC") == 0 || strcmp(family, "PHY") == 0);
}

/*
 * PMC, PCHC and PHY firmware inside a CSME/CSTXE/CSSPS image: each becomes a component of the
 * report, with the same fields a stand-alone file of that firmware gets.
 */
static void add_components(const mefw_cse_view *v) {
        mefw_report *report = v->ctx->report;
        for (size_t i = 0; i < v->n_parts; i++) {
                const mefw_cse_partition_info *p = &v->parts[i];
                if (p == v->identity || !p->manifest)
                        continue;
                const char *family = mefw_cse_family(p->cpd, p->manifest);
                if (!is_companion(family))
                        continue;
                mefw_report blank = { .file_size = p->limit };
                if (append_elem((void **) &report->components, &report->n_components, sizeof blank, &blank) < 0)
                        return;
                mefw_report *c = &report->components[report->n_components - 1];
                uint64_t at = mefw_view_abs(v->region, p->offset);
                int len = snprintf(NULL, 0, "%s (%s partition at 0x%" PRIX64 ")", report->file, p->name, at);
                c->file = len > 0 ? malloc((size_t) len + 1) : NULL;
                if (!c->file) {
                        report->n_components--;
                        return;
                }
                snprintf(c->file, (size_t) len + 1, "%s (%s partition at 0x%" PRIX64 ")", report->file, p->name, at);
                mefw_firmware *fw = &c->fw;
                fw->pv = fw->patsburg = fw->oem_config = fw->workstation = fw->fwupdate_support =
                        fw->power_down_mitigation = -1;
                fw->container = "partition";
                derive_common(fw, p, family);
                const mefw_key_info *k = p->manifest->key;
                /* companion keys name their PCH ("PMCADP" signs "ADP") */
                if (k && strcmp(k->family, "shared") != 0 && strncmp(k->family, family, strlen(family)) == 0)
                        fw->chipset = k->signs;
                if (strcmp(family, "PMC") == 0) {
                        derive_pmc(fw);
                        derive_pmc_soc(fw, p->cpd);
                }
                fw->type = "Extracted";
        }
}

/* ---- entry point --------------------------------------------------------------------------- */

void mefw_cse_derive(const mefw_cse_view *v) {
        mefw_ctx *ctx = v->ctx;
        mefw_firmware *fw = &ctx->report->fw;
        if (!v->from_descriptor)
                fw->container = v->standalone ? "partition" : v->ifwi ? "ifwi" : "region";
        const mefw_cse_partition_info *id = v->identity;
        if (!id) {
                ctx_msg(ctx, MEFW_ERROR, "no-code-manifest", mefw_view_abs(v->region, 0),
                        "CSE containers were found but no readable code partition manifest: the firmware is "
                        "damaged or was cleaned of all code");
                return;
        }
        const char *family = mefw_cse_family(id->cpd, id->manifest);
        if (!family) {
                ctx_msg(ctx, MEFW_ERROR, "unknown-family", mefw_view_abs(v->region, id->manifest->offset),
                        "CSE firmware signed with an unknown key (modulus SHA-256 recorded in the manifest list); "
                        "its family cannot be told");
                family = "CSME";
        }
        derive_common(fw, id, family);
        if (strcmp(family, "CSME") == 0 || strcmp(family, "CSTXE") == 0 || strcmp(family, "CSSPS") == 0)
                derive_cse_state(v, fw, id);
        if (strcmp(family, "CSME") == 0) {
                derive_csme_sku(v, fw, id);
                derive_fwupdate_support(v, fw);
        }
        if (strcmp(family, "PMC") == 0) {
                derive_pmc(fw);
                derive_pmc_soc(fw, id->cpd);
        }
        if (strcmp(family, "CSSPS") == 0)
                derive_cssps(fw, id);
        if (strcmp(family, "CSTXE") == 0)
                derive_cstxe(fw);
        derive_type(v, fw, id);
        derive_cse_size(v, fw);
        if (!is_companion(family))
                add_components(v);
        /* Intel's Flash Image Tool writes a placeholder $FPT checksum into the regions it builds */
        if (v->fpt && !v->fpt->checksum_ok &&
            !(strcmp(fw->type, "Extracted") == 0 && ((strcmp(family, "CSME") == 0 && fw->version[0] >= 12) ||
                                                     strcmp(family, "CSTXE") == 0 ||
                                                     (strcmp(family, "CSSPS") == 0 && fw->version[0] >= 5))))
                ctx_msg(ctx, MEFW_WARNING, "fpt-checksum", mefw_view_abs(v->region, fpt_offset(v) + (v->fpt->is_crc ? 0x14 : 0x0B)),
                        "wrong $FPT %s 0x%0*X, expected 0x%0*X", v->fpt->is_crc ? "CRC-32" : "checksum",
                        v->fpt->is_crc ? 8 : 2, v->fpt->checksum_stored, v->fpt->is_crc ? 8 : 2,
                        v->fpt->checksum_expected);
}

/*
 * Partition hashes that Intel's own images carry wrong (ME Analyzer's list, where the reason is
 * given only as "always wrong"; the corpus confirms the 11.8 Slim FTPR and the CSSPS Ignition
 * images): every other partition of those images verifies, so the firmware is intact.
 */
static const char *known_bad_hash(const char *family, const mefw_manifest *m, unsigned ext, uint32_t partition_size) {
        unsigned major = m->version[0], minor = m->version[1];
        if (ext == 0x03 && strcmp(family, "CSME") == 0 && major == 11 && (minor == 8 || minor == 9) &&
            partition_size == 0x88000)
                return "the CSME 11.8/11.9 Slim FTPR partition is always built with this hash";
        if (ext == 0x03 && strcmp(family, "CSSPS") == 0 && (major == 1 || (major == 4 && minor == 2)))
                return "CSSPS 1 and 4.2 (Ignition) partitions are always built with this hash";
        if (ext == 0x16 && strcmp(family, "CSSPS") == 0 && (major >= 5 || (major == 4 && minor == 4)))
                return "CSSPS 4.4 and 5+ partitions are always built with this hash";
        return NULL;
}

void mefw_cse_report_partition_hash(mefw_ctx *ctx, const char *family, const mefw_manifest *identity,
                                    const char *partition, const char *manifest_name, unsigned ext,
                                    uint32_t partition_size, uint64_t abs_offset) {
        const char *why = identity && family ? known_bad_hash(family, identity, ext, partition_size) : NULL;
        if (why) {
                ctx_msg(ctx, MEFW_NOTE, "cse-partition-hash-known-bad", abs_offset,
                        "the partition hash of %s (extension 0x%02X in %s) does not match, as in Intel's own "
                        "images of this firmware: %s",
                        partition, ext, manifest_name, why);
                return;
        }
        ctx_msg(ctx, MEFW_ERROR, "cse-partition-hash", abs_offset,
                "wrong partition hash of %s (extension 0x%02X in %s): the partition was modified or damaged",
                partition, ext, manifest_name);
}
