/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The summary of CSE firmware: family, version, release, type, SKU, security numbers, size and
 * the CSE-specific facts (file system state, OEM configuration, companion firmware), derived
 * from the analyzed code partitions the way ME Analyzer reports them. The rules and their
 * sources are in the project's image-format reference (CSE section).
 */
#include <stdio.h>

#include "cse.h"

static const mefw_cse_partition_info *part_named(const mefw_cse_view *v, const char *name) {
        for (size_t i = 0; i < v->n_parts; i++)
                if (v->parts[i].manifest && strcmp(v->parts[i].name, name) == 0)
                        return &v->parts[i];
        return NULL;
}

static bool has_file(const mefw_cse_partition_info *p, const char *name) {
        return p && p->cpd && mefw_cpd_find(p->cpd, name) != NULL;
}

static bool has_file_prefix(const mefw_cse_partition_info *p, const char *prefix) {
        if (!p || !p->cpd)
                return false;
        for (size_t i = 0; i < p->cpd->n_entries; i++)
                if (strncmp(p->cpd->entries[i].name, prefix, strlen(prefix)) == 0)
                        return true;
        return false;
}

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
static const char *family_from_files(const mefw_cse_partition_info *p) {
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
                if (rules[i].prefix ? has_file_prefix(p, rules[i].file) : has_file(p, rules[i].file))
                        return rules[i].family;
        const mefw_manifest *m = p->manifest;
        if (m && (m->version[0] == 3 || m->version[0] == 4) && m->version[1] == 0)
                return "CSTXE";
        return NULL;
}

static const char *cse_family(const mefw_cse_partition_info *p) {
        const char *f = mefw_cse_family_from_key(p->manifest);
        return f ? f : family_from_files(p);
}

/* ---- common fields ------------------------------------------------------------------------- */

static void bcd_date(const struct manifest_header *h, char out[11]) {
        snprintf(out, 11, "%04X-%02X-%02X", h->date_year, h->date_month, h->date_day);
}

static void derive_common(mefw_firmware *fw, const mefw_cse_partition_info *p, const char *family) {
        const mefw_manifest *m = p->manifest;
        const mefw_cse_exts *x = p->ext;
        fw->family = family;
        fw->has_version = true;
        memcpy(fw->version, m->version, sizeof fw->version);
        bcd_date(&m->h, fw->date);
        fw->signature = m->signature;
        fw->key = m->key ? m->key->name : NULL;
        fw->tcb_svn = (mefw_opt_u32){ true, m->h.svn };
        if (x->has_partition_vcn)
                fw->vcn = (mefw_opt_u32){ true, x->partition_vcn };
        else if (x->has_package_info)
                fw->vcn = (mefw_opt_u32){ true, x->package_vcn };
        if (x->has_package_info)
                fw->arb_svn = (mefw_opt_u32){ true, x->arb_svn };
        bool pre = (m->h.flags & MANIFEST_FLAG_DEBUG) || (m->key && !m->key->production);
        fw->release = pre ? "Pre-Production" : "Production";
        fw->chipset = mefw_chipset_support(family, m->version[0], m->version[1]);
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
        const char *family = cse_family(id);
        if (!family) {
                ctx_msg(ctx, MEFW_ERROR, "unknown-family", mefw_view_abs(v->region, id->manifest->offset),
                        "CSE firmware signed with an unknown key (modulus SHA-256 recorded in the manifest list); "
                        "its family cannot be told");
                family = "CSME";
        }
        derive_common(fw, id, family);
}

void mefw_cse_report_partition_hash(mefw_ctx *ctx, const mefw_manifest *identity, const char *partition,
                                    const char *manifest_name, unsigned ext, uint64_t abs_offset) {
        (void) identity;
        ctx_msg(ctx, MEFW_ERROR, "cse-partition-hash", abs_offset,
                "wrong partition hash of %s (extension 0x%02X in %s): the partition was modified or damaged",
                partition, ext, manifest_name);
}
