/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The analysis pipeline for one input: find the container (SPI image, region, update image),
 * parse the partition table and every manifest once, verify signatures and module hashes,
 * then derive the summary fields the way ME Analyzer reports them.
 */
#include <stdio.h>

#include "core/crypto.h"
#include "core/file.h"
#include "internal.h"
#include "mefw/db.h"
#include "cse.h"
#include "modules.h"

#define MAX_MANIFESTS 32
#define MAX_UNCHARTED 8

typedef struct {
        mefw_ctx *ctx;
        mefw_view region;       /* the engine region as present in the file */
        uint64_t region_size;   /* its declared size (larger than the view when cut short) */
        bool from_descriptor;
        bool has_fpt;
        mefw_fpt fpt;
        mefw_manifest *manifests[MAX_MANIFESTS];
        size_t n_manifests;
        const mefw_manifest *identity;
        uint64_t fw_end;        /* end of the firmware, relative to the region start */
} region_state;

static void region_state_done(region_state *s) {
        for (size_t i = 0; i < s->n_manifests; i++)
                free(s->manifests[i]);
        if (s->has_fpt)
                mefw_fpt_done(&s->fpt);
}

static int add_partition(mefw_firmware *fw, const mefw_partition *p) {
        return append_elem((void **) &fw->partitions, &fw->n_partitions, sizeof *p, p);
}

static void record_fpt_partitions(region_state *s) {
        for (size_t i = 0; i < s->fpt.n_entries; i++)
                if (!s->fpt.entries[i].invalid) {
                        mefw_partition p;
                        mefw_fpt_entry_describe(&s->fpt.entries[i], mefw_view_abs(&s->region, s->fpt.start), &p);
                        add_partition(&s->ctx->report->fw, &p);
                }
}

/* Find every manifest in the region in one forward pass. */
static void collect_manifests(region_state *s) {
        size_t pos = 0;
        mefw_manifest_scanner sc = MEFW_MANIFEST_SCANNER_INIT;
        while (pos < s->region.size && s->n_manifests < MAX_MANIFESTS) {
                int64_t at = mefw_manifest_next(&s->region, &sc, pos);
                if (at < 0)
                        break;
                mefw_manifest *m = NULL;
                if (mefw_manifest_parse(s->ctx, &s->region, (size_t) at, &m) < 0) {
                        pos = (size_t) at + 1;
                        continue;
                }
                s->manifests[s->n_manifests++] = m;
                pos = (size_t) at + MAX(m->total_bytes, (size_t) manifest_header_SIZE);
        }
        if (s->n_manifests == MAX_MANIFESTS)
                ctx_msg(s->ctx, MEFW_WARNING, "too-many-manifests", mefw_view_abs(&s->region, pos),
                        "more than %d manifests; the rest of the data was not searched", MAX_MANIFESTS);
}

/* The $FPT partition that contains an offset of the region, or NULL. */
static const mefw_fpt_entry *partition_at(const region_state *s, size_t off) {
        if (!s->has_fpt)
                return NULL;
        for (size_t i = 0; i < s->fpt.n_entries; i++) {
                const mefw_fpt_entry *e = &s->fpt.entries[i];
                if (e->invalid || e->is_virtual || !e->span)
                        continue;
                uint64_t start = s->fpt.start + (uint64_t) e->offset;
                if (off >= start && off < start + e->span)
                        return e;
        }
        return NULL;
}

/* The partition name a manifest belongs to: $MN2 carries it; otherwise the $FPT entry around it. */
static void manifest_partition_name(const region_state *s, const mefw_manifest *m, char out[5]) {
        const mefw_fpt_entry *e = partition_at(s, m->offset);
        if (m->partition[0])
                memcpy(out, m->partition, 5);
        else if (e)
                memcpy(out, e->name, 5);
        else
                out[0] = 0;
}

/* First manifest inside [start, start+len) of the region, or NULL. */
static const mefw_manifest *manifest_within(const region_state *s, uint64_t start, uint64_t len) {
        for (size_t i = 0; i < s->n_manifests; i++) {
                const mefw_manifest *m = s->manifests[i];
                if (m->offset >= start && m->offset < start + len)
                        return m;
        }
        return NULL;
}

/* Manifests that look like a recovery/boot code partition, as ME Analyzer first picks them. */
static bool looks_like_identity(const region_state *s, const mefw_manifest *m) {
        const mefw_view *v = &s->region;
        size_t o = m->offset;
        if (strcmp(m->partition, "FTPR") == 0)
                return true;                                    /* ME 6-10, TXE */
        if (m->n_modules > 0 && strcmp(m->modules[0].name, "BRINGUP") == 0)
                return true;                                    /* ME 2-5 */
        if (mefw_view_has(v, o + 0x284, 2) && memcmp(v->data + o + 0x284, "OP", 2) == 0 &&
            mefw_view_has(v, o + 0x290, 7) && memcmp(v->data + o + 0x290, "$MMEBUP", 7) == 0)
                return true;                                    /* SPS 2-3 */
        if ((mefw_view_has(v, o + 0x2FC, 11) && memcmp(v->data + o + 0x2FC, "EpsRecovery", 11) == 0) ||
            (mefw_view_has(v, o + 0x2FC, 11) && memcmp(v->data + o + 0x2FC, "EpsFirmware", 11) == 0))
                return true;                                    /* SPS 1 */
        return false;
}

/*
 * The manifest that identifies the firmware. With a partition table: the code partition that
 * holds the recovery firmware (FTPR on ME 6-10, RCVY on ME 2-3, CODE on ME 4-5, OPR/COD1 on
 * SPS); the last listed one wins, and a partition sized "to the end of the region" does not
 * count. Otherwise the first manifest that looks like a boot/recovery partition.
 */
static const mefw_manifest *pick_identity(const region_state *s) {
        static const char *const code_names[] = { "FTPR", "RCVY", "OPR1", "OPR", "COD1", "CODE" };
        const mefw_manifest *pick = NULL;
        for (size_t i = 0; s->has_fpt && i < s->fpt.n_entries; i++) {
                const mefw_fpt_entry *e = &s->fpt.entries[i];
                bool code = false;
                for (size_t k = 0; k < ELEMENTSOF(code_names); k++)
                        code = code || strcmp(e->name, code_names[k]) == 0;
                if (!code || e->invalid || e->is_virtual || e->size == 0 || e->size == 0xFFFFFFFFu || !e->in_bounds)
                        continue;
                const mefw_manifest *m = manifest_within(s, s->fpt.start + (uint64_t) e->offset, e->size);
                if (m)
                        pick = m;
        }
        if (pick)
                return pick;
        for (size_t i = 0; i < s->n_manifests; i++)
                if (looks_like_identity(s, s->manifests[i]))
                        return s->manifests[i];
        /* Not a layout we know: the first manifest that is not an update wrapper. */
        for (size_t i = 0; i < s->n_manifests; i++)
                if (s->manifests[i]->n_udc == 0)
                        return s->manifests[i];
        return s->n_manifests ? s->manifests[0] : NULL;
}

/*
 * Code partitions placed after the last $FPT entry without being listed (WCOD and LOCL of 5MB
 * firmware): each starts with a manifest whose $MCP gives its size.
 */
static void find_uncharted(region_state *s) {
        mefw_firmware *fw = &s->ctx->report->fw;
        for (unsigned n = 0; n < MAX_UNCHARTED; n++) {
                uint64_t at = s->fpt.start + s->fw_end;
                const mefw_manifest *m = NULL;
                for (size_t i = 0; i < s->n_manifests; i++)
                        if (s->manifests[i]->offset == at)
                                m = s->manifests[i];
                if (!m || !m->has_mcp)
                        return;
                uint64_t size = (uint64_t) m->mcp.code_offset + m->mcp.code_size;
                if (size == 0)
                        return;
                mefw_partition p = {
                        .offset = mefw_view_abs(&s->region, (size_t) at),
                        .size = (uint32_t) MIN(size, UINT32_MAX),
                        .uncharted = true,
                        .used = true,
                        .in_bounds = at + size <= s->region.size,
                };
                snprintf(p.name, sizeof p.name, "%s", m->partition);
                p.table = "uncharted";
                add_partition(fw, &p);
                s->fw_end += size;
        }
}

static const char *family_from_key(const mefw_manifest *m, mefw_ctx *ctx) {
        unsigned major = m->version[0];
        if (m->key) {
                static const char *const direct[] = { "ME", "TXE", "SPS" };
                for (size_t i = 0; i < ELEMENTSOF(direct); i++)
                        if (strcmp(m->key->family, direct[i]) == 0)
                                return direct[i];
                /* The pre-production key shared by ME 6-10 and TXE 0-2: the major tells them apart. */
                if (strcmp(m->key->family, "shared") == 0)
                        return !m->is_man && major <= 2 ? "TXE" : "ME";
        }
        /* Unknown key: the structure decides. TXE module entries are 0x80 bytes apart; SPS $SKU
         * attributes have fixed values. */
        if (m->mme_stride == 0x80)
                return "TXE";
        if (m->has_sku && m->sku_len >= 4 &&
            (memcmp(m->sku, "\x2F\xE4\x01\x00", 4) == 0 || memcmp(m->sku, "\x08\x00\x00\x00", 4) == 0))
                return "SPS";
        (void) ctx;
        return "ME";
}

static void summarize_manifest(region_state *s, const mefw_manifest *m) {
        char part[5];
        manifest_partition_name(s, m, part);
        mefw_manifest_record(s->ctx, &s->region, m, part, m == s->identity);
}

/*
 * SPS 2-3: the operational partition is named "OP" + a two-letter platform code; a recovery
 * (FT..) partition carries the code in an "R2OP......OP.." record near its manifest.
 */
static void derive_sps(region_state *s, const mefw_manifest *m) {
        mefw_firmware *fw = &s->ctx->report->fw;
        char code[2] = { 0, 0 };
        const mefw_view *v = &s->region;
        if (m->version[0] >= 2 && mefw_view_has(v, m->offset + 0x284, 4)) {
                const uint8_t *p = v->data + m->offset + 0x284;
                if (memcmp(p, "OP", 2) == 0)
                        memcpy(code, p + 2, 2);
                else if (memcmp(p, "FT", 2) == 0) {
                        mefw_view near = mefw_view_clip(v, m->offset + 0x1B, 0x2000);
                        for (int64_t at = mefw_view_find(&near, 0, "R2OP", 4); at >= 0;
                             at = mefw_view_find(&near, (size_t) at + 1, "R2OP", 4))
                                if (mefw_view_has(&near, (size_t) at + 12, 2) && memcmp(near.data + at + 10, "OP", 2) == 0) {
                                        memcpy(code, near.data + at + 12, 2);
                                        break;
                                }
                }
        }
        if (code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z') {
                snprintf(fw->sku, sizeof fw->sku, "%c%c", code[0], code[1]);
                fw->chipset = mefw_sps_platform(code);
        }
}

/* CSE firmware (CSME 11+, CSTXE, CSSPS, PMC...): say what it is and that the rest is not analyzed. */
static void derive_cse_minimal(region_state *s, const mefw_manifest *m) {
        mefw_firmware *fw = &s->ctx->report->fw;
        fw->family = mefw_cse_family_from_key(m);
        fw->has_version = true;
        memcpy(fw->version, m->version, sizeof fw->version);
        mefw_manifest_date(&m->h, fw->date);
        fw->signature = m->signature;
        fw->key = m->key ? m->key->name : NULL;
        fw->release = (m->h.flags & MANIFEST_FLAG_DEBUG) || (m->key && !m->key->production) ? "Pre-Production"
                                                                                           : "Production";
        ctx_msg(s->ctx, MEFW_WARNING, "cse-not-analyzed", mefw_view_abs(&s->region, m->offset),
                "this is CSE-generation firmware (%s %u.%u) outside any CSE container (no $FPT, layout table, "
                "BPDT or $CPD where one belongs): only its version and signature are reported",
                fw->family ? fw->family : "CSME/CSTXE/CSSPS or companion", m->version[0], m->version[1]);
}

/* Code partition directories ($CPD) mark CSE firmware even where no manifest could be read. */
static int64_t find_cpd(const mefw_view *v) {
        for (int64_t at = mefw_view_find(v, 0, "$CPD", 4); at >= 0; at = mefw_view_find(v, (size_t) at + 4, "$CPD", 4)) {
                uint8_t hv, ev, hl;
                if (mefw_view_u8(v, (size_t) at + 8, &hv) == 0 && mefw_view_u8(v, (size_t) at + 9, &ev) == 0 &&
                    mefw_view_u8(v, (size_t) at + 10, &hl) == 0 && (hv == 1 || hv == 2) && ev == 1 &&
                    (hl == 0x10 || hl == 0x14))
                        return at;
        }
        return -1;
}

/* TXE: an OEM configuration is a written OEM partition or debug token area (first 16 bytes). */
static bool txe_oem_configured(const region_state *s) {
        static const char *const names[] = { "OEMP", "UTOK", "STKN" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const mefw_fpt_entry *e = mefw_fpt_find(&s->fpt, names[i]);
                if (e && e->used && !e->is_virtual &&
                    !mefw_view_all(&s->region, s->fpt.start + e->offset, MIN((size_t) 16, (size_t) e->span), 0xFF))
                        return true;
        }
        return false;
}

/* Fill the report's summary fields from the identity manifest. */
static void derive_fields(region_state *s) {
        mefw_firmware *fw = &s->ctx->report->fw;
        const mefw_manifest *m = s->identity;
        const struct manifest_header *h = &m->h;

        fw->family = family_from_key(m, s->ctx);
        fw->has_version = true;
        memcpy(fw->version, m->version, sizeof fw->version);
        mefw_manifest_date(h, fw->date);
        fw->signature = m->signature;
        fw->key = m->key ? m->key->name : NULL;

        unsigned major = m->version[0], minor = m->version[1];
        bool is_me = strcmp(fw->family, "ME") == 0, is_txe = strcmp(fw->family, "TXE") == 0;

        /* Security numbers exist from ME 8 and on TXE; ME 8 keeps its SVN one dword later. */
        if ((is_me && major >= 8) || is_txe) {
                fw->tcb_svn = (mefw_opt_u32){ true, is_me && major == 8 ? h->svn_me8 : h->svn };
                fw->vcn = (mefw_opt_u32){ true, h->vcn };
                fw->pv = m->pv >= 0 ? m->pv != 0 : -1;
        }

        const mefw_fpt_entry *romb = s->has_fpt ? mefw_fpt_find(&s->fpt, "ROMB") : NULL;
        if (romb && romb->used)
                fw->release = "ROM-Bypass";
        else {
                bool pre = (h->flags & MANIFEST_FLAG_DEBUG) || (m->key && !m->key->production);
                /* builds from 7000 on are engineering drops, not releases */
                bool eng = m->version[3] >= 7000;
                fw->release = pre ? (eng ? "Pre-Production, Engineering" : "Pre-Production")
                                  : (eng ? "Production, Engineering" : "Production");
        }

        if (strcmp(fw->family, "SPS") == 0) {
                derive_sps(s, m);
                return;
        }

        int patsburg = -1;
        if (m->has_sku)
                mefw_sku_name(fw->family, m->version, m->sku, m->sku_len, m->key ? m->key->signs : "", fw->sku,
                              sizeof fw->sku, &patsburg);
        else
                fw->sku[0] = 0;
        if (!fw->sku[0] && m->has_sku)
                ctx_msg(s->ctx, MEFW_ERROR, "unknown-sku", mefw_view_abs(&s->region, m->sku_offset),
                        "unknown %s %u.%u SKU (attribute %02X %02X %02X %02X)", fw->family, major, minor, m->sku[0],
                        m->sku[1], m->sku[2], m->sku[3]);

        fw->chipset = mefw_chipset_support(fw->family, major, minor);
        if (is_txe && s->has_fpt)
                fw->oem_config = txe_oem_configured(s);
        if (is_txe && strncmp(fw->sku, "1MB N/W", 7) == 0)
                fw->chipset = "CGM";
        if (is_me && major == 7) {
                fw->patsburg = patsburg;
                if (patsburg == 1)
                        fw->chipset = "CPT/PBG";
                mefw_me7_blacklists(&s->region, m, fw->blacklist_7_0, sizeof fw->blacklist_7_0, fw->blacklist_7_1,
                                    sizeof fw->blacklist_7_1);
        }
        if (is_me && major == 6 && minor == 0 && m->version[2] == 50 && strncmp(fw->sku, "Ignition", 8) == 0)
                fw->chipset = "CCK";
}

/* Type: Update without a partition table; otherwise Stock unless the region was configured. */
static void derive_type(region_state *s) {
        mefw_firmware *fw = &s->ctx->report->fw;
        bool is_sps = fw->family && strcmp(fw->family, "SPS") == 0;
        if (!s->has_fpt) {
                /* SPS ships recovery and operational images rather than update images */
                if (is_sps) {
                        const mefw_manifest *m = s->identity;
                        bool recovery = m->version[0] >= 2 ? strncmp(m->partition, "FT", 2) == 0
                                                           : mefw_view_find(&s->region, m->offset, "EpsRecovery", 11) >= 0;
                        fw->type = recovery ? "Recovery" : "Operational";
                } else
                        fw->type = "Update";
                return;
        }
        if (is_sps) {
                fw->type = "Extracted";
                return;
        }
        const struct fpt_header *h = &s->fpt.header;
        unsigned major = fw->version[0], minor = fw->version[1];
        bool is_me = fw->family && strcmp(fw->family, "ME") == 0;

        if (is_me && major <= 7) {
                fw->type = mefw_old_region_configured(&s->region, &s->fpt, major, minor, fw->sku) ? "Extracted"
                                                                                                  : "Stock";
                return;
        }

        /* A FWUpdate-made region holds only the code partitions. */
        size_t used = 0, code = 0;
        for (size_t i = 0; i < s->fpt.n_entries; i++) {
                const mefw_fpt_entry *e = &s->fpt.entries[i];
                if (!e->used)
                        continue;
                used++;
                if (strcmp(e->name, "FTPR") == 0 || strcmp(e->name, "FTUP") == 0 || strcmp(e->name, "NFTP") == 0)
                        code++;
        }
        if (used == 3 && code == 3) {
                fw->type = "Update";
                return;
        }

        /* Flash Image Tool stamps its version into the table; Intel's stock regions carry 0 or 0xFFFF. */
        if (h->fit_build != 0 && h->fit_build != 0xFFFF) {
                fw->has_fit_version = true;
                fw->fit_version[0] = h->fit_major;
                fw->fit_version[1] = h->fit_minor;
                fw->fit_version[2] = h->fit_hotfix;
                fw->fit_version[3] = h->fit_build;
                fw->type = "Extracted";
                return;
        }
        const mefw_fpt_entry *fovd = mefw_fpt_find(&s->fpt, "FOVD");
        bool blank_vector = s->fpt.offset == 0x10 && mefw_view_all(&s->region, 0, 0x10, 0xFF) &&
                            mefw_view_all(&s->region, 0x1C, 0x14, 0xFF);
        fw->type = (fovd && fovd->used) || blank_vector ? "Extracted" : "Stock";
}

/*
 * End of the firmware, relative to the region start: the end of the partition placed last.
 * ME 2-6 size their last code partition "up to the end of the region"; there the end of its
 * last module counts.
 */
static uint64_t firmware_end(const region_state *s) {
        const mefw_fpt_entry *last = NULL;
        uint64_t end = 0;
        for (size_t i = 0; i < s->fpt.n_entries; i++) {
                const mefw_fpt_entry *e = &s->fpt.entries[i];
                if (e->invalid || e->is_virtual || e->size == 0)
                        continue;
                if (!last || e->offset > last->offset)
                        last = e;
                if (e->size != 0xFFFFFFFFu)
                        end = MAX(end, (uint64_t) e->offset + e->size);
        }
        if (!last || last->size != 0xFFFFFFFFu)
                return end;

        uint64_t start = s->fpt.start + (uint64_t) last->offset;
        const mefw_manifest *m = manifest_within(s, start, 1);
        if (!m)
                return MAX(end, (uint64_t) last->offset + last->span);
        uint64_t mod_end = 0;
        if (m->is_man) {
                /* $MOD records follow the manifest back to back */
                mod_end = m->offset + (uint64_t) m->total_bytes;
                for (size_t i = 0; i < m->n_modules; i++)
                        mod_end += m->modules[i].size;
        } else {
                for (size_t i = 0; i < m->n_modules; i++) {
                        const mefw_mme *e = &m->modules[i];
                        uint64_t len = e->size ? e->size : e->size_uncompressed;
                        mod_end = MAX(mod_end, m->offset + (uint64_t) e->offset + len);
                }
        }
        return MAX(end, mod_end - s->fpt.start);
}

static void derive_size(region_state *s) {
        if (!s->has_fpt || s->fw_end == 0)
                return;
        mefw_derive_size(s->ctx, &s->region, s->region_size, s->from_descriptor, s->fpt.start, s->fw_end);
}

static void check_fpt_messages(region_state *s) {
        if (!s->fpt.checksum_ok)
                ctx_msg(s->ctx, MEFW_WARNING, "fpt-checksum", mefw_view_abs(&s->region, s->fpt.offset + 0x0B),
                        "wrong $FPT checksum 0x%02X, expected 0x%02X", s->fpt.checksum_stored, s->fpt.checksum_expected);
}

/* SPS 3 adds a 16-bit check word after the entries: the complement of their byte sum. */
static void check_sps3_checksum(region_state *s) {
        size_t first = s->fpt.start + 0x30, len = s->fpt.n_entries * (size_t) fpt_entry_SIZE;
        uint16_t stored;
        if (mefw_view_u16(&s->region, first + len, &stored) < 0)
                return;
        unsigned sum = 0;
        for (size_t i = 0; i < len; i++)
                sum += s->region.data[first + i];
        uint16_t expected = (uint16_t) ~sum;
        if (stored != expected)
                ctx_msg(s->ctx, MEFW_WARNING, "fpt-sps3-checksum", mefw_view_abs(&s->region, first + len),
                        "wrong SPS 3 $FPT entry checksum 0x%04X, expected 0x%04X", stored, expected);
}

/* Plausible $FPT headers in the region (one linear search); more than one deserves a note. */
static size_t count_fpts(const mefw_view *region) {
        size_t n = 0;
        for (int64_t at = mefw_view_find(region, 0, "$FPT", 4); at >= 0; at = mefw_view_find(region, (size_t) at + 4, "$FPT", 4))
                if (mefw_fpt_looks_valid(region, (size_t) at))
                        n++;
        return n;
}

static int analyze_region(mefw_ctx *ctx, mefw_view region, uint64_t region_size, bool from_descriptor) {
        mefw_firmware *fw = &ctx->report->fw;
        region_state s = { .ctx = ctx, .region = region, .region_size = region_size, .from_descriptor = from_descriptor };
        int r = mefw_cse_analyze(ctx, region, region_size, from_descriptor);
        if (r != -ENOENT)
                return r;
        r = 0;

        size_t fpt_at = SIZE_MAX;
        if (mefw_fpt_looks_valid(&region, 0x10))
                fpt_at = 0x10;
        else if (mefw_fpt_looks_valid(&region, 0))
                fpt_at = 0;
        if (fpt_at != SIZE_MAX) {
                r = mefw_fpt_parse(ctx, &region, fpt_at, &s.fpt);
                if (r < 0)
                        goto out;
                s.has_fpt = true;
                record_fpt_partitions(&s);
                check_fpt_messages(&s);
                size_t n_fpt = count_fpts(&region);
                if (n_fpt > 1)
                        ctx_msg(ctx, MEFW_NOTE, "multiple-fpt", mefw_view_abs(&region, fpt_at),
                                "%zu partition tables ($FPT) found in the region; the first one is used", n_fpt);
        }

        collect_manifests(&s);
        s.identity = pick_identity(&s);
        /* Update images start with a manifest: the code partition's own (ME 7-10) or a wrapper
         * whose $UDC records point at the code partitions (ME 2-6). */
        bool manifest_at_start = s.n_manifests > 0 && s.manifests[0]->offset == 0;
        if (!from_descriptor)
                fw->container = s.has_fpt ? "region" : manifest_at_start ? "update" : "unknown";

        int64_t cpd = s.identity && !s.identity->is_cse ? -1 : find_cpd(&region);
        if (!s.identity && cpd >= 0) {
                if (!from_descriptor)
                        fw->container = "unknown";
                ctx_msg(ctx, MEFW_WARNING, "cse-not-analyzed", mefw_view_abs(&region, (size_t) cpd),
                        "a CSE code partition directory ($CPD) was found at 0x%" PRIX64 ", but not where a CSE "
                        "container puts one: this is not a region, IFWI image or partition mefw can analyze",
                        mefw_view_abs(&region, (size_t) cpd));
                goto out;
        }
        if (!s.identity) {
                if (s.has_fpt)
                        ctx_msg(ctx, MEFW_ERROR, "no-code-manifest", mefw_view_abs(&region, fpt_at),
                                "the partition table was found but no code partition manifest: the firmware is "
                                "damaged or was cleaned of all code");
                else if (!from_descriptor)
                        ctx_msg(ctx, MEFW_ERROR, "no-firmware", -1,
                                "no Intel Engine firmware found (no partition table, manifest or flash descriptor)");
                else
                        ctx_msg(ctx, MEFW_ERROR, "no-firmware-in-region", mefw_view_abs(&region, 0),
                                "the engine region holds no recognizable firmware");
                goto out;
        }
        if (!manifest_at_start && !s.has_fpt && !from_descriptor)
                ctx_msg(ctx, MEFW_NOTE, "manifest-not-at-start", mefw_view_abs(&region, s.identity->offset),
                        "firmware found at 0x%zX, not at the start of the file: this is not a plain region or "
                        "update image",
                        s.identity->offset);

        if (s.identity->is_cse) {
                derive_cse_minimal(&s, s.identity);
                for (size_t i = 0; i < s.n_manifests; i++)
                        summarize_manifest(&s, s.manifests[i]);
                goto out;
        }
        if (s.has_fpt) {
                s.fw_end = firmware_end(&s);
                find_uncharted(&s);
        }
        derive_fields(&s);
        derive_type(&s);
        if (s.has_fpt && strcmp(fw->family, "SPS") == 0 && fw->version[0] == 3)
                check_sps3_checksum(&s);
        derive_size(&s);

        for (size_t i = 0; i < s.n_manifests; i++) {
                summarize_manifest(&s, s.manifests[i]);
                char part[5];
                manifest_partition_name(&s, s.manifests[i], part);
                mefw_check_modules(ctx, &s.region, s.manifests[i], part);
                mefw_check_udc(ctx, &s.region, s.manifests[i]);
        }
out:
        region_state_done(&s);
        return r;
}

/* The descriptor's own findings become part of the report. */
static void take_descriptor_messages(mefw_ctx *ctx, const mefw_ifd *d) {
        for (size_t i = 0; i < d->messages.count; i++) {
                const mefw_message *m = &d->messages.items[i];
                ctx_msg(ctx, m->severity, m->code, m->offset, "%s", m->text);
        }
}

/* A finding about the image layout: part of the report and of the descriptor's own list. */
#define layout_msg(ctx, d, sev, code, off, ...)                                          \
        do {                                                                             \
                ctx_msg(ctx, sev, code, off, __VA_ARGS__);                               \
                mefw_messages_add(&(d)->messages, (sev), (code), (int64_t) (off), __VA_ARGS__); \
        } while (0)

/* Bytes of the engine region past the end of its firmware should be erased (0xFF). */
static void check_region_padding(mefw_ctx *ctx, mefw_ifd *d, const mefw_view *region, uint64_t region_size) {
        const mefw_firmware *fw = &ctx->report->fw;
        if (!fw->has_size || !fw->family)
                return;
        if (fw->size > region_size) {
                /* The region analysis already said so (firmware-exceeds-file); the descriptor's list
                 * gets it too, since it is a fact about the layout. */
                mefw_messages_add(&d->messages, MEFW_WARNING, "firmware-larger-than-region", mefw_view_abs(region, 0),
                                  "the engine firmware declares 0x%" PRIX64 " bytes but its region holds only 0x%" PRIX64
                                  " (a region shrunk by me_cleaner, or a cut image)",
                                  fw->size, region_size);
                return;
        }
        for (size_t at = (size_t) fw->size; at < region->size; at++)
                if (region->data[at] != 0xFF) {
                        layout_msg(ctx, d, MEFW_WARNING, "region-padding-data", mefw_view_abs(region, at),
                                "the engine region holds data at 0x%" PRIX64 ", past the end of its firmware "
                                "(0x%" PRIX64 " bytes); that space should be erased",
                                mefw_view_abs(region, at), fw->size);
                        return;
                }
}

static void analyze_image(mefw_ctx *ctx);

/* The file opens as engine firmware does (a region, partition or update image): no header to look
 * behind, and no reason to read the whole file for a descriptor signature. A region starts with its
 * 16-byte ROM bypass area (erased on CSE, before the layout table) or the $FPT; partitions and
 * update images with their directory or manifest. */
static bool engine_at_start(const mefw_view *f) {
        uint32_t sig = 0;
        (void) mefw_view_u32(f, 0, &sig);
        return mefw_view_tag(f, 0, "$FPT") || mefw_view_tag(f, 0x10, "$FPT") || mefw_view_tag(f, 0, "$CPD") ||
               mefw_view_tag(f, 0x1C, "$MN2") || mefw_view_tag(f, 0x1C, "$MAN") || sig == BPDT_SIGNATURE ||
               sig == BPDT_SIGNATURE_RECOVERY || (f->size > 0x20 && mefw_view_all(f, 0, 0x10, 0xFF));
}

/* A flash image behind a header: analyzed as the image it is, its offsets those of the file. */
static void analyze_contained(mefw_ctx *ctx, const mefw_container *c) {
        mefw_report *report = ctx->report;
        const mefw_view outer = ctx->file;
        ctx->file = mefw_view_make(outer.data + c->image_offset, (size_t) c->image_size, c->image_offset);
        analyze_image(ctx);
        ctx->file = outer;
        report->fw.container = c->kind;
        report->container_header = c->header;
        report->image_offset = c->image_offset;
        report->image_size = c->image_size;
        ctx_msg(ctx, MEFW_NOTE, "image-in-container", (int64_t) c->image_offset,
                "the flash image starts at 0x%" PRIX64 " (0x%" PRIX64 " bytes), after its header (%s)",
                c->image_offset, c->image_size, c->header);
}

static void analyze_image(mefw_ctx *ctx) {
        mefw_report *report = ctx->report;
        mefw_firmware *fw = &report->fw;
        const mefw_view *file = &ctx->file;

        _cleanup_free_ mefw_ifd *parsed = calloc(1, sizeof *parsed);
        if (!parsed)
                return;
        if (mefw_descriptor_parse(file, parsed) < 0) {
                mefw_container c;
                if (file->base == 0 && !engine_at_start(file) &&
                    mefw_find_flash_image(file->data, file->size, &c) == 0 && c.kind)
                        analyze_contained(ctx, &c);
                else
                        analyze_region(ctx, *file, file->size, false);
                return;
        }
        mefw_ifd *d = report->descriptor = TAKE_PTR(parsed);

        const mefw_ifd_region *me = d->n_regions > MEFW_IFD_REGION_ME ? &d->regions[MEFW_IFD_REGION_ME] : NULL;
        if (!me || !me->used) {
                fw->container = file->size > 0x1000 ? "spi-image" : "descriptor";
                take_descriptor_messages(ctx, d);
                ctx_msg(ctx, MEFW_NOTE, "no-me-region", (int64_t) d->offset,
                        "the flash descriptor defines no engine region: there is no engine firmware here to analyze");
                return;
        }
        uint64_t me_size = (uint64_t) me->limit - me->base + 1;
        if (me->base >= file->size) {
                fw->container = "descriptor";
                take_descriptor_messages(ctx, d);
                ctx_msg(ctx, MEFW_NOTE, "descriptor-only", (int64_t) d->offset,
                        "the file holds the flash descriptor only (engine region 0x%X-0x%X is not in the file)",
                        me->base, me->limit);
                return;
        }
        fw->container = "spi-image";
        mefw_view region = mefw_view_clip(file, me->base, (size_t) MIN(me_size, (uint64_t) SIZE_MAX));
        analyze_region(ctx, region, me_size, true);
        if (fw->family && fw->has_version)
                mefw_ifd_refine_chipset(d, fw->family, fw->version);
        take_descriptor_messages(ctx, d);
        if (region.size < me_size)
                layout_msg(ctx, d, MEFW_ERROR, "region-cut-short", (int64_t) file->size,
                        "the engine region 0x%X-0x%X runs past the end of the file (0x%zX bytes): the image is "
                        "incomplete",
                        me->base, me->limit, file->size);
        check_region_padding(ctx, d, &region, me_size);
}

int mefw_analyze_buffer(const uint8_t *data, size_t size, const char *name, mefw_report **ret) {
        return mefw_analyze_buffer_with(data, size, name, NULL, ret);
}

int mefw_analyze_buffer_with(const uint8_t *data, size_t size, const char *name, const mefw_analyze_options *opts,
                             mefw_report **ret) {
        mefw_report *r = calloc(1, sizeof *r);
        if (!r)
                return -ENOMEM;
        r->file = strdup(name ? name : "");
        if (!r->file) {
                free(r);
                return -ENOMEM;
        }
        r->file_size = size;
        r->fw.pv = -1;
        r->fw.patsburg = -1;
        r->fw.oem_config = r->fw.workstation = r->fw.fwupdate_support = r->fw.power_down_mitigation = -1;

        mefw_ctx ctx = { .file = mefw_view_make(data, size, 0), .report = r, .deep = opts && opts->deep };
        if (size == 0) {
                r->fw.container = "unknown";
                ctx_msg(&ctx, MEFW_ERROR, "empty-file", -1, "the file is empty");
        } else
                analyze_image(&ctx);
        int k = mefw_report_apply_db(r, NULL);
        if (k < 0) {
                mefw_report_free(r);
                return k;
        }
        *ret = r;
        return 0;
}

int mefw_analyze_path(const char *path, mefw_report **ret) {
        return mefw_analyze_path_with(path, NULL, ret);
}

int mefw_analyze_path_with(const char *path, const mefw_analyze_options *opts, mefw_report **ret) {
        mefw_mapped_file f;
        int r = mefw_map_file(path, &f);
        if (r < 0)
                return r;
        r = mefw_analyze_buffer_with(f.data, f.size, path, opts, ret);
        mefw_unmap_file(&f);
        return r;
}

static void firmware_free(mefw_firmware *fw) {
        free(fw->partitions);
        free(fw->modules);
        free(fw->manifests);
}

void mefw_report_free(mefw_report *r) {
        if (!r)
                return;
        for (size_t i = 0; i < r->n_components; i++) {
                firmware_free(&r->components[i].fw);
                mefw_messages_clear(&r->components[i].messages);
                free(r->components[i].file);
                free(r->components[i].db_info);
        }
        free(r->components);
        mefw_ifd_free(r->descriptor);
        firmware_free(&r->fw);
        mefw_messages_clear(&r->messages);
        free(r->db_info);
        free(r->file);
        free(r);
}

bool mefw_report_has_error(const mefw_report *r) {
        bool any;
        if (mefw_messages_worst(&r->messages, &any) == MEFW_ERROR && any)
                return true;
        for (size_t i = 0; i < r->n_components; i++)
                if (mefw_report_has_error(&r->components[i]))
                        return true;
        return false;
}
