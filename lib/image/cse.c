/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CSE firmware (CSME 11+, CSTXE 3+, CSSPS 4+ and the companion PMC/PCHC/PHY firmware).
 *
 * The containers: a $FPT (CSME 11-15 regions, CSTXE, CSSPS), a CSE layout table with a data
 * partition ($FPT) and boot partitions (BPDTs, CSME 12+ where present), a BPDT at the start
 * (IFWI images of Apollo/Gemini Lake), or a lone $CPD (a stand-alone PMC/PCHC/PHY file or an
 * IUP). Each code partition is a $CPD directory whose <NAME>.man manifest is signed and whose
 * extensions carry the hashes of the partition (0x03/0x16) and of every module (0x0A in
 * <module>.met). Everything is found from those tables, in one pass, without scanning.
 */
#include <stdio.h>

#include "core/crypto.h"
#include "cse.h"
#include "modules.h"


typedef struct {
        size_t offset;            /* of the $CPD in the region view */
        size_t limit;             /* bytes the container gives it */
        bool has_cpd;
        mefw_cpd cpd;
        mefw_manifest *manifest;  /* NULL when the directory has no usable manifest */
        const mefw_cpd_entry *manifest_entry;
        mefw_cse_exts ext;
        mefw_hash_state hash;     /* ext 0x03 / 0x16 partition hash */
} cse_part;

typedef struct {
        mefw_ctx *ctx;
        mefw_view region;
        uint64_t region_size;
        bool from_descriptor;

        bool has_lt;
        mefw_cse_lt lt;
        bool has_fpt;
        mefw_fpt fpt;
        size_t fpt_base;          /* region offset the $FPT entries are relative to */
        mefw_bpdt *bpdts[MEFW_BPDT_MAX_TABLES];
        size_t n_bpdts;
        bool ifwi;                /* a BPDT at the start: an IFWI image (CSTXE) */
        bool standalone;          /* a lone $CPD */

        cse_part parts[MEFW_CSE_MAX_PARTS];
        size_t n_parts;
        const cse_part *identity;
} cse_state;

static void cse_state_done(cse_state *s) {
        for (size_t i = 0; i < s->n_parts; i++) {
                free(s->parts[i].manifest);
                if (s->parts[i].has_cpd)
                        mefw_cpd_done(&s->parts[i].cpd);
        }
        for (size_t i = 0; i < s->n_bpdts; i++)
                free(s->bpdts[i]);
        if (s->has_fpt)
                mefw_fpt_done(&s->fpt);
}

static int add_partition(mefw_firmware *fw, const mefw_partition *p) {
        return append_elem((void **) &fw->partitions, &fw->n_partitions, sizeof *p, p);
}

static int add_module(mefw_firmware *fw, const mefw_module *m) {
        return append_elem((void **) &fw->modules, &fw->n_modules, sizeof *m, m);
}

/* ---- finding the code partitions ---------------------------------------------------------- */

/* 'name' (the container's) only names the partition in messages: its $CPD carries its own. */
static void add_code_partition(cse_state *s, const char *name, uint64_t off, uint64_t size) {
        if (off >= s->region.size || !mefw_cpd_looks_valid(&s->region, (size_t) off))
                return;
        for (size_t i = 0; i < s->n_parts; i++)
                if (s->parts[i].offset == off)
                        return; /* a second name for the same bytes (CSME 11 lists NFTP and FTUP together) */
        if (s->n_parts >= MEFW_CSE_MAX_PARTS) {
                ctx_msg(s->ctx, MEFW_WARNING, "cse-too-many-partitions", mefw_view_abs(&s->region, (size_t) off),
                        "more than %d code partitions; %s and the ones after it were not analyzed", MEFW_CSE_MAX_PARTS,
                        name);
                return;
        }
        cse_part *p = &s->parts[s->n_parts++];
        *p = (cse_part){ .offset = (size_t) off };
        p->limit = (size_t) MIN(size, (uint64_t) (s->region.size - off));
}

static void list_fpt(cse_state *s) {
        mefw_firmware *fw = &s->ctx->report->fw;
        for (size_t i = 0; i < s->fpt.n_entries; i++) {
                const mefw_fpt_entry *e = &s->fpt.entries[i];
                if (e->invalid)
                        continue;
                mefw_partition p;
                mefw_fpt_entry_describe(e, mefw_view_abs(&s->region, s->fpt_base), &p);
                add_partition(fw, &p);
                if (!e->is_virtual && e->size && e->in_bounds)
                        add_code_partition(s, e->name, s->fpt_base + (uint64_t) e->offset, e->size);
        }
}

/* Entry offsets are relative to the primary table ('base'), in a secondary table too. */
static void list_bpdt(cse_state *s, size_t off, size_t base, unsigned depth) {
        if (s->n_bpdts >= MEFW_BPDT_MAX_TABLES) {
                ctx_msg(s->ctx, MEFW_WARNING, "bpdt-too-many", mefw_view_abs(&s->region, off),
                        "more than %d boot partition descriptor tables; the rest were not read", MEFW_BPDT_MAX_TABLES);
                return;
        }
        for (size_t i = 0; i < s->n_bpdts; i++)
                if (s->bpdts[i]->offset == off)
                        return; /* already read: a table pointing back at itself */
        _cleanup_free_ mefw_bpdt *b = calloc(1, sizeof *b);
        if (!b || mefw_bpdt_parse(s->ctx, &s->region, off, b) < 0)
                return;
        const char *table = depth ? "S-BPDT" : "BPDT";
        mefw_bpdt *t = s->bpdts[s->n_bpdts++] = TAKE_PTR(b);
        t->base = base;
        mefw_firmware *fw = &s->ctx->report->fw;
        for (size_t i = 0; i < t->n_entries; i++) {
                const mefw_bpdt_entry *e = &t->entries[i];
                if (e->size == 0 && e->offset == 0)
                        continue;
                uint64_t at = (uint64_t) base + e->offset;
                bool in = at <= s->region.size && e->size <= s->region.size - at;
                mefw_partition p = {
                        .type = e->type,
                        .offset = mefw_view_abs(&s->region, 0) + at,
                        .size = e->size,
                        .used = in && e->size && !mefw_view_all(&s->region, (size_t) at, e->size, 0xFF),
                        .in_bounds = in,
                        .table = table,
                };
                snprintf(p.name, sizeof p.name, "%s", e->name);
                add_partition(fw, &p);
                if (!in && mefw_data_cut(&s->region, at, e->size)) {
                        char what[48];
                        snprintf(what, sizeof what, "boot partition %s", e->name);
                        mefw_report_cut(s->ctx, mefw_view_abs(&s->region, 0) + s->region.size, what);
                        continue;
                }
                if (!in) {
                        ctx_msg(s->ctx, MEFW_WARNING, "bpdt-entry-bounds", mefw_view_abs(&s->region, t->offset),
                                "boot partition entry %s (0x%X bytes at 0x%" PRIX64 ") runs past the end of the data",
                                e->name, e->size, mefw_view_abs(&s->region, 0) + at);
                        continue;
                }
                if (e->type == BPDT_TYPE_SECONDARY) {
                        /* one level of nesting exists; deeper would be a loop or damage */
                        if (depth == 0)
                                list_bpdt(s, (size_t) at, base, depth + 1);
                        else
                                ctx_msg(s->ctx, MEFW_WARNING, "bpdt-nesting", mefw_view_abs(&s->region, (size_t) at),
                                        "a secondary BPDT inside a secondary BPDT was not followed");
                        continue;
                }
                add_code_partition(s, e->name, at, e->size);
        }
}

static void list_layout(cse_state *s) {
        mefw_firmware *fw = &s->ctx->report->fw;
        for (size_t i = 0; i < s->lt.n_parts; i++) {
                const mefw_cse_lt_part *e = &s->lt.parts[i];
                if (e->empty)
                        continue;
                bool in = e->offset <= s->region.size && e->size <= s->region.size - e->offset;
                mefw_partition p = {
                        .offset = mefw_view_abs(&s->region, e->offset),
                        .size = e->size,
                        .used = in && !mefw_view_all(&s->region, e->offset, e->size, 0xFF),
                        .in_bounds = in,
                        .table = "layout",
                };
                snprintf(p.name, sizeof p.name, "%s", e->name);
                add_partition(fw, &p);
                if (in && strncmp(e->name, "Boot", 4) == 0 && mefw_bpdt_at(&s->region, e->offset))
                        list_bpdt(s, e->offset, e->offset, 0);
        }
}

/* Open the containers. -ENOENT when the region is not CSE-structured. */
static int find_containers(cse_state *s) {
        mefw_view *r = &s->region;
        int k;
        if (mefw_cse_lt_parse(s->ctx, r, &s->lt) == 0) {
                s->has_lt = true;
                const mefw_cse_lt_part *data = &s->lt.parts[0];
                if (!data->empty && data->offset < r->size) {
                        mefw_view dv = mefw_view_clip(r, data->offset, data->size);
                        if (mefw_fpt_looks_valid(&dv, 0) && mefw_fpt_parse(s->ctx, &dv, 0, &s->fpt) == 0) {
                                s->has_fpt = true;
                                s->fpt_base = data->offset;
                        }
                }
                return 0;
        }
        if (mefw_bpdt_at(r, 0)) {
                s->ifwi = true;
                return 0;
        }
        size_t at = mefw_fpt_looks_valid(r, 0x10) ? 0x10 : mefw_fpt_looks_valid(r, 0) ? 0 : SIZE_MAX;
        if (at != SIZE_MAX) {
                /* a CSE $FPT lists at least one partition that starts with a $CPD */
                mefw_fpt f;
                if ((k = mefw_fpt_parse(s->ctx, r, at, &f)) < 0)
                        return k;
                for (size_t i = 0; i < f.n_entries; i++) {
                        const mefw_fpt_entry *e = &f.entries[i];
                        if (!e->is_virtual && e->in_bounds && e->size >= 0x10 &&
                            mefw_cpd_looks_valid(r, f.start + (size_t) e->offset)) {
                                s->fpt = f;
                                s->has_fpt = true;
                                s->fpt_base = f.start;
                                return 0;
                        }
                }
                mefw_fpt_done(&f);
                return -ENOENT;
        }
        if (mefw_cpd_looks_valid(r, 0)) {
                s->standalone = true;
                return 0;
        }
        return -ENOENT;
}

/* ---- one code partition ------------------------------------------------------------------- */

/* CSE hashes are stored byte-reversed, SHA-256 and SHA-384 alike. */
static size_t manifest_hash_len(const mefw_manifest *m) {
        return m && m->is_r2 ? 48 : 32;
}

/*
 * ext 0x03 (CSME 11, CSTXE, CSSPS) and ext 0x16 (CSME 12+): the hash covers the partition from
 * its $CPD for PartitionSize bytes, without the bytes of the manifest file.
 */
static mefw_hash_state check_partition_hash(cse_state *s, cse_part *p, uint32_t size, const uint8_t *hash,
                                            size_t len) {
        const mefw_view *v = &s->region;
        static const uint8_t zero[48];
        if (size == 0 || !p->manifest_entry || (len != 32 && len != 48) || memcmp(hash, zero, len) == 0)
                return MEFW_HASH_NOT_CHECKED; /* an all-zero hash: the partition carries none (GLK PMC) */
        if (size > p->limit || size > v->size - p->offset)
                return MEFW_HASH_UNREADABLE;
        uint64_t ms = p->manifest_entry->offset, me = ms + p->manifest_entry->size;
        if (me > size)
                return MEFW_HASH_UNREADABLE;
        const uint8_t *base = v->data + p->offset;
        mefw_span parts[] = {
                { base, (size_t) ms },
                { base + me, (size_t) (size - me) },
        };
        uint8_t digest[48];
        if (mefw_hash_parts(len == 48 ? MEFW_HASH_SHA384 : MEFW_HASH_SHA256, parts, ELEMENTSOF(parts), digest) < 0)
                return MEFW_HASH_UNREADABLE;
        return mefw_digest_equal_reversed(hash, digest, len) ? MEFW_HASH_VALID : MEFW_HASH_INVALID;
}

static const char *compression_name(unsigned c) {
        return c == 0 ? "none" : c == 1 ? "huffman" : c == 2 ? "lzma" : "unknown";
}

/*
 * Each module's .met holds ext 0x0A with the module's hash. Most LZMA modules are hashed as
 * stored (the compressed stream); the ISH firmware modules ("ish_*") as decompressed, so those are
 * decompressed first, and a mismatch in either form is checked once in the other (damage, or a
 * module kind not known here). Encrypted modules are hashed as plain text: never decompressed.
 * Huffman modules are hashed decompressed, which needs Intel's dictionary: not verifiable.
 * When the partition's own signed hash matched, every stored byte is proven already: the modules'
 * hashes are not computed again (a deep analysis still does).
 */
static bool lzma_plain_matches(const uint8_t *data, size_t len, const mefw_cse_module_attr *a) {
        _cleanup_free_ uint8_t *out = NULL;
        size_t out_len;
        if (mefw_module_lzma_decode(data, len, &out, &out_len) < 0 || out_len != a->size_uncompressed)
                return false;
        uint8_t digest[48];
        mefw_hash(a->hash_len == 48 ? MEFW_HASH_SHA384 : MEFW_HASH_SHA256, out, out_len, digest);
        return mefw_digest_equal_reversed(a->hash, digest, a->hash_len);
}

/*
 * Modules with no metadata file of their own: CSME 12 and later keep FTPR's modules (kernel, bup,
 * ...) in the $CPD without "<module>.met". They are still modules of the partition: listed, with
 * no hash of their own to check (the partition hash covers them).
 */
static void list_modules_without_metadata(cse_state *s, cse_part *p, const mefw_view *pv) {
        mefw_firmware *fw = &s->ctx->report->fw;
        for (size_t i = 0; i < p->cpd.n_entries; i++) {
                const mefw_cpd_entry *e = &p->cpd.entries[i];
                if (!e->name[0] || strchr(e->name, '.'))
                        continue; /* manifests, metadata, keys and other named files */
                char met[24];
                snprintf(met, sizeof met, "%s.met", e->name);
                if (mefw_cpd_find(&p->cpd, met))
                        continue; /* listed with its metadata */
                mefw_module m = { .compression = "unknown", .hash = MEFW_HASH_NOT_CHECKED };
                snprintf(m.partition, sizeof m.partition, "%s", p->cpd.name);
                snprintf(m.name, sizeof m.name, "%s", e->name);
                m.offset = mefw_view_abs(&s->region, p->offset + e->offset);
                /* the directory's size (for Huffman modules the decompressed one, so it may reach past
                 * the partition); only a module that starts outside it is absent */
                m.size = e->size;
                if (e->offset >= pv->size)
                        m.hash = MEFW_HASH_ABSENT;
                add_module(fw, &m);
        }
}

static void check_modules(cse_state *s, cse_part *p) {
        mefw_firmware *fw = &s->ctx->report->fw;
        const mefw_view *v = &s->region;
        mefw_view pv = mefw_view_clip(v, p->offset, p->limit);
        size_t hash_len = manifest_hash_len(p->manifest);
        /* the bytes the verified partition hash covers, from the $CPD on */
        uint64_t hashed = p->ext.has_partition_info ? p->ext.partition_size : p->ext.has_ifwi_info ? p->ext.ifwi_size : 0;
        for (size_t i = 0; i < p->cpd.n_entries; i++) {
                const mefw_cpd_entry *met = &p->cpd.entries[i];
                size_t l = strlen(met->name);
                if (l < 5 || strcmp(met->name + l - 4, ".met") != 0)
                        continue;
                char modname[13];
                snprintf(modname, sizeof modname, "%.*s", (int) (l - 4), met->name);
                const mefw_cpd_entry *mod = mefw_cpd_find(&p->cpd, modname);
                mefw_module m = { .compression = "unknown", .hash = MEFW_HASH_NOT_CHECKED };
                snprintf(m.partition, sizeof m.partition, "%s", p->cpd.name);
                snprintf(m.name, sizeof m.name, "%s", modname);
                if (!mod) {
                        /* metadata without its module: the module lives elsewhere (shared libs) */
                        continue;
                }
                m.offset = mefw_view_abs(v, p->offset + mod->offset);
                m.size = mod->size;
                mefw_cse_module_attr a;
                if (!mefw_cpd_entry_in(&p->cpd, met, &pv) ||
                    mefw_cse_find_module_attr(&pv, met->offset, (size_t) met->offset + met->size, hash_len, &a) < 0) {
                        m.hash = MEFW_HASH_UNREADABLE;
                        add_module(fw, &m);
                        continue;
                }
                m.compression = compression_name(a.compression);
                if (a.compression == 1) {
                        m.size = a.size_compressed; /* the directory gives the decompressed size */
                        m.hash = MEFW_HASH_NOT_VERIFIABLE;
                } else if (a.compression > 2)
                        m.hash = MEFW_HASH_NOT_CHECKED;
                else if (!mefw_cpd_entry_in(&p->cpd, mod, &pv))
                        m.hash = MEFW_HASH_ABSENT;
                else if (p->hash == MEFW_HASH_VALID && !s->ctx->deep && !a.encryption &&
                         (uint64_t) mod->offset + mod->size <= hashed &&
                         !mefw_view_all(&pv, mod->offset, mod->size, 0xFF)) {
                        m.hash = MEFW_HASH_VALID;
                        fw->n_modules_by_partition_hash++;
                } else {
                        const uint8_t *data = pv.data + mod->offset;
                        bool lzma = a.compression == 2 && !a.encryption;
                        bool decompressed_first = lzma && strncmp(modname, "ish_", 4) == 0;
                        if (decompressed_first && lzma_plain_matches(data, mod->size, &a))
                                m.hash = MEFW_HASH_VALID;
                        else {
                                uint8_t digest[48];
                                mefw_hash(a.hash_len == 48 ? MEFW_HASH_SHA384 : MEFW_HASH_SHA256, data, mod->size, digest);
                                m.hash = mefw_digest_equal_reversed(a.hash, digest, a.hash_len) ? MEFW_HASH_VALID
                                                                                                 : MEFW_HASH_INVALID;
                        }
                        if (m.hash == MEFW_HASH_INVALID && lzma && !decompressed_first &&
                            lzma_plain_matches(data, mod->size, &a))
                                m.hash = MEFW_HASH_VALID;
                        /* encrypted modules are hashed as plain text */
                        if (m.hash == MEFW_HASH_INVALID && a.encryption)
                                m.hash = MEFW_HASH_NOT_VERIFIABLE;
                        if (m.hash == MEFW_HASH_INVALID && mefw_view_all(&pv, mod->offset, mod->size, 0xFF))
                                m.hash = MEFW_HASH_ABSENT;
                }
                if (m.hash == MEFW_HASH_INVALID)
                        ctx_msg(s->ctx, MEFW_ERROR, "cse-module-hash", m.offset,
                                "wrong hash of module %s/%s (%s, 0x%X bytes): the module was modified or damaged",
                                p->cpd.name, modname, m.compression, mod->size);
                add_module(fw, &m);
        }
        list_modules_without_metadata(s, p, &pv);
}

static void analyze_part(cse_state *s, cse_part *p) {
        mefw_ctx *ctx = s->ctx;
        mefw_view pv = mefw_view_clip(&s->region, p->offset, p->limit);
        if (mefw_cpd_parse(ctx, &pv, 0, &p->cpd) < 0)
                return;
        p->has_cpd = true;
        uint64_t at = mefw_view_abs(&s->region, p->offset);
        if (!p->cpd.checksum_ok && p->cpd.header_only_ok)
                ctx_msg(ctx, MEFW_NOTE, "cpd-checksum-header-only", at + 0x0B,
                        "the $CPD \"%s\" checksum 0x%02X covers only its header, not its %zu entries (as the CSSPS "
                        "Ignition build tool writes it; expected 0x%02X over both)",
                        p->cpd.name, p->cpd.checksum_stored, p->cpd.n_entries, p->cpd.checksum_expected);
        else if (!p->cpd.checksum_ok)
                ctx_msg(ctx, MEFW_ERROR, "cpd-checksum", at + (p->cpd.header_version == 1 ? 0x0B : 0x10),
                        "wrong $CPD \"%s\" %s 0x%0*X, expected 0x%0*X", p->cpd.name,
                        p->cpd.header_version == 1 ? "checksum" : "CRC-32", p->cpd.header_version == 1 ? 2 : 8,
                        p->cpd.checksum_stored, p->cpd.header_version == 1 ? 2 : 8, p->cpd.checksum_expected);

        /* Huffman entries give their decompressed size: their stored extent is checked with the
         * module hashes, from the metadata */
        for (size_t i = 0; i < p->cpd.n_entries; i++)
                if (!p->cpd.entries[i].huffman && !mefw_cpd_entry_in(&p->cpd, &p->cpd.entries[i], &pv)) {
                        ctx_msg(ctx, MEFW_ERROR, "cpd-entry-bounds", mefw_view_abs(&pv, p->cpd.entries[i].entry_offset),
                                "file %s of code partition %s (0x%X bytes at +0x%X) lies outside the partition",
                                p->cpd.entries[i].name, p->cpd.name, p->cpd.entries[i].size, p->cpd.entries[i].offset);
                }

        char man_name[16];
        snprintf(man_name, sizeof man_name, "%s.man", p->cpd.name);
        const mefw_cpd_entry *e = mefw_cpd_find(&p->cpd, man_name);
        for (size_t i = 0; !e && i < p->cpd.n_entries; i++) {
                size_t l = strlen(p->cpd.entries[i].name);
                if (l > 4 && strcmp(p->cpd.entries[i].name + l - 4, ".man") == 0)
                        e = &p->cpd.entries[i];
        }
        if (!e) {
                /* data-only partitions (e.g. an empty OEMP placeholder) have no manifest */
                return;
        }
        p->manifest_entry = e;
        struct manifest_header h;
        if (mefw_cpd_entry_in(&p->cpd, e, &pv) && manifest_header_read(&pv, e->offset, &h) == 0 &&
            memcmp(h.tag, "$MN2", 4) == 0 && h.vendor != MANIFEST_VENDOR_INTEL) {
                ctx_msg(ctx, MEFW_NOTE, "cse-manifest-not-intel", at + e->offset,
                        "code partition %s has a manifest that is not Intel's (vendor 0x%04X, e.g. the board maker's "
                        "SMIP): its signature is not checked",
                        p->cpd.name, h.vendor);
                return;
        }
        if (!mefw_cpd_entry_in(&p->cpd, e, &pv) || !mefw_manifest_at(&pv, e->offset) ||
            mefw_manifest_parse(ctx, &pv, e->offset, &p->manifest) < 0) {
                ctx_msg(ctx, MEFW_ERROR, "cse-manifest-unreadable", at + e->offset,
                        "the manifest %s of code partition %s cannot be read", e->name, p->cpd.name);
                p->manifest = NULL;
                return;
        }
        /* offsets from here on are in the region view */
        p->manifest->offset += p->offset;
        const mefw_manifest *m = p->manifest;
        size_t hash_len = manifest_hash_len(m);
        mefw_view mv = mefw_view_clip(&s->region, m->offset, m->total_bytes);
        mefw_cse_read_extensions(ctx, &mv, m->header_bytes, m->total_bytes, hash_len, e->name, &p->ext);
        p->ext.partition_info_offset += m->offset;
        p->ext.ifwi_info_offset += m->offset;
}

/* Partition hashes, module hashes and manifest summaries for every analyzed partition. */
static void check_integrity(cse_state *s) {
        mefw_ctx *ctx = s->ctx;
        const char *family = s->identity ? mefw_cse_family(&s->identity->cpd, s->identity->manifest) : NULL;
        for (size_t i = 0; i < s->n_parts; i++) {
                cse_part *p = &s->parts[i];
                if (!p->manifest)
                        continue;
                mefw_manifest_record(ctx, &s->region, p->manifest, p->cpd.name, p == s->identity);
                const mefw_cse_exts *x = &p->ext;
                if (x->has_partition_info || x->has_ifwi_info) {
                        bool v3 = x->has_partition_info;
                        size_t hl = v3 ? x->partition_hash_len : x->ifwi_hash_alg == 3 ? 48 : x->ifwi_hash_alg == 2 ? 32 : 0;
                        p->hash = check_partition_hash(s, p, v3 ? x->partition_size : x->ifwi_size,
                                                       v3 ? x->partition_hash : x->ifwi_hash, hl);
                        if (p->hash == MEFW_HASH_INVALID)
                                mefw_cse_report_partition_hash(ctx, family, s->identity ? s->identity->manifest : p->manifest, p->cpd.name,
                                                               p->manifest_entry->name, v3 ? 0x03 : 0x16,
                                                               v3 ? x->partition_size : x->ifwi_size,
                                                               mefw_view_abs(&s->region, v3 ? x->partition_info_offset
                                                                                             : x->ifwi_info_offset));
                        else if (p->hash == MEFW_HASH_UNREADABLE)
                                ctx_msg(ctx, MEFW_WARNING, "cse-partition-cut-short", mefw_view_abs(&s->region, p->offset),
                                        "code partition %s declares 0x%X bytes, more than its container holds "
                                        "(0x%zX): its hash cannot be checked",
                                        p->cpd.name, v3 ? x->partition_size : x->ifwi_size, p->limit);
                }
                check_modules(s, p);
                mefw_firmware *fw = &ctx->report->fw;
                uint64_t at = mefw_view_abs(&s->region, p->offset);
                for (size_t k = 0; k < fw->n_partitions; k++)
                        if (fw->partitions[k].offset == at && !fw->partitions[k].is_virtual)
                                fw->partitions[k].hash = p->hash;
        }
}

/* ---- entry point -------------------------------------------------------------------------- */

static const cse_part *find_part(const cse_state *s, const char *name) {
        for (size_t i = 0; i < s->n_parts; i++)
                if (s->parts[i].manifest && strcmp(s->parts[i].cpd.name, name) == 0)
                        return &s->parts[i];
        return NULL;
}

static const cse_part *pick_identity(const cse_state *s) {
        const cse_part *p = find_part(s, "FTPR");
        if (p)
                return p;
        for (size_t i = 0; i < s->n_parts; i++)
                if (s->parts[i].manifest)
                        return &s->parts[i];
        return NULL;
}

int mefw_cse_analyze(mefw_ctx *ctx, mefw_view region, uint64_t region_size, bool from_descriptor) {
        _cleanup_free_ cse_state *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        *s = (cse_state){ .ctx = ctx, .region = region, .region_size = region_size, .from_descriptor = from_descriptor };
        int r = find_containers(s);
        if (r < 0) {
                cse_state_done(s);
                return r;
        }

        if (s->has_lt)
                list_layout(s);
        if (s->ifwi)
                list_bpdt(s, 0, 0, 0);
        if (s->has_fpt)
                list_fpt(s);
        if (s->standalone) {
                mefw_partition whole = {
                        .size = (uint32_t) MIN(region.size, (size_t) UINT32_MAX),
                        .offset = mefw_view_abs(&region, 0),
                        .used = true,
                        .in_bounds = true,
                        .table = "file",
                };
                struct cpd_header h;
                if (cpd_header_read(&region, 0, &h) == 0)
                        mefw_printable_name(h.name, 4, whole.name, 5);
                add_partition(&ctx->report->fw, &whole);
                add_code_partition(s, whole.name, 0, region.size);
        }

        for (size_t i = 0; i < s->n_parts; i++)
                analyze_part(s, &s->parts[i]);
        s->identity = pick_identity(s);
        check_integrity(s);

        mefw_cse_view view = {
                .ctx = ctx,
                .region = &s->region,
                .region_size = region_size,
                .from_descriptor = from_descriptor,
                .fpt = s->has_fpt ? &s->fpt : NULL,
                .fpt_base = s->fpt_base,
                .lt = s->has_lt ? &s->lt : NULL,
                .bpdts = (const mefw_bpdt *const *) s->bpdts,
                .n_bpdts = s->n_bpdts,
                .ifwi = s->ifwi,
                .standalone = s->standalone,
        };
        for (size_t i = 0; i < s->n_parts && view.n_parts < ELEMENTSOF(view.parts); i++) {
                const cse_part *p = &s->parts[i];
                if (!p->has_cpd)
                        continue;
                mefw_cse_partition_info *d = &view.parts[view.n_parts++];
                *d = (mefw_cse_partition_info){
                        .offset = p->offset,
                        .limit = p->limit,
                        .cpd = &p->cpd,
                        .manifest = p->manifest,
                        .ext = &p->ext,
                };
                snprintf(d->name, sizeof d->name, "%s", p->cpd.name);
                if (p == s->identity)
                        view.identity = d;
        }
        mefw_cse_derive(&view);
        cse_state_done(s);
        return 0;
}
