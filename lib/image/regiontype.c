/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "Stock" (as Intel ships the region) or "Extracted" (configured by an OEM's Flash Image Tool,
 * or run on a machine) for ME 2-7 regions, which carry no Flash Image Tool version. The tell-tale
 * signs differ per generation: the fixed-offset variables partition, the KRND marker, and a few
 * configuration records in the flash file systems. Same conclusions as ME Analyzer, except
 * where its ME 3 check is broken (it marks every ME 3 region as configured).
 */
#include "internal.h"

/* Number of occurrences of needle in v (non-overlapping, linear). */
static size_t count_in(const mefw_view *v, const void *needle, size_t n) {
        size_t count = 0;
        for (int64_t at = mefw_view_find(v, 0, needle, n); at >= 0; at = mefw_view_find(v, (size_t) at + n, needle, n))
                count++;
        return count;
}

static mefw_view entry_data(const mefw_view *region, const mefw_fpt *fpt, const mefw_fpt_entry *e) {
        return mefw_view_clip(region, fpt->start + (size_t) e->offset, (size_t) e->span);
}

/* 16 bytes at off of v equal 'want' (missing bytes count as different). */
static bool bytes_equal(const mefw_view *v, int64_t off, const uint8_t *want, size_t n) {
        return off >= 0 && mefw_view_has(v, (size_t) off, n) && memcmp(v->data + off, want, n) == 0;
}

static const uint8_t all_ff[16] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

/* ME 2: the kernel's NVKR variables hold values written at configuration time. */
static bool me2_configured(const mefw_view *region, const mefw_fpt *fpt, unsigned minor, const char *sku) {
        const mefw_fpt_entry *nvkr = mefw_fpt_find(fpt, "NVKR");
        if (strcmp(sku, "QST") == 0 || (strcmp(sku, "AMT") == 0 && minor >= 5)) {
                if (!nvkr || !nvkr->used)
                        return false;
                mefw_view nd = entry_data(region, fpt, nvkr);
                static const uint8_t pra_clean[16] = { 0x7F, 0x45, 0xDB, 0xA3, 0xE6, 0x54, 0x24, 0x45,
                                                       0x8C, 0xB0, 0x9A, 0x6E, 0x60, 0x88, 0x12, 0xB1 };
                static const char pra[] = "Pra Table\xFF\xFF\xFF", kmem[] = "MaxUsedKerMem\xFF\xFF\xFF";
                int64_t at = mefw_view_find(&nd, 0, pra, sizeof pra - 1);
                if (at >= 0)
                        return !bytes_equal(&nd, at + (int64_t) sizeof pra - 1 + 3, pra_clean, 16);
                at = mefw_view_find(&nd, 0, kmem, sizeof kmem - 1);
                if (at >= 0)
                        return !bytes_equal(&nd, at + (int64_t) sizeof kmem - 1 + 0x68, all_ff, 16);
                return false;
        }
        if (strcmp(sku, "AMT") == 0 && mefw_fpt_find(fpt, "NVSH")) {
                static const char ip[] = "net.ip\xFF\xFF\xFF";
                int64_t at = mefw_view_find(region, 0, ip, sizeof ip - 1);
                if (at < 0)
                        return false;
                size_t end = (size_t) at + sizeof ip - 1;
                uint8_t b[3];
                if (!mefw_view_has(region, end, 3))
                        return false;
                memcpy(b, region->data + end, 3);
                size_t n = b[0] | b[1] << 8 | b[2] << 16;
                /* the stored IP address: all zero when never configured */
                return n > 1 && mefw_view_has(region, end + 4, n - 1) && !mefw_view_all(region, end + 4, n - 1, 0);
        }
        return false;
}

/* ME 3: configuration records in EFFS, or data where a clean image has erased flash. */
static bool me3_configured(const mefw_view *region, const mefw_fpt *fpt) {
        const mefw_fpt_entry *effs = mefw_fpt_find(fpt, "EFFS");
        if (!effs || !effs->used)
                return false;
        mefw_view ed = entry_data(region, fpt, effs);
        if (count_in(&ed, "ME_CFG_DEF\x04NVKR", 15) > 2)
                return true;
        if (ed.size >= 0x20 && !mefw_view_all(&ed, ed.size - 0x20, 16, 0xFF))
                return true;
        static const char kmem[] = "MaxUsedKerMem\x04NVKR\x7Fx\x01";
        int64_t at = mefw_view_find(&ed, 0, kmem, sizeof kmem - 1);
        if (at >= 0) {
                int64_t end = at + (int64_t) sizeof kmem - 1;
                if (!bytes_equal(&ed, end - 0x30, all_ff, 16) || !bytes_equal(&ed, end + 0x30, all_ff, 16))
                        return true;
        }
        return false;
}

/* ME 4 regions built by FITC: more configuration records than Intel's defaults. */
static bool me4_configured(const mefw_view *region, const mefw_fpt *fpt) {
        const mefw_fpt_entry *effs = mefw_fpt_find(fpt, "EFFS");
        if (!effs || !effs->used)
                return false;
        mefw_view ed = entry_data(region, fpt, effs);
        return count_in(&ed, "ME_CFG_DEF", 10) > 5 || mefw_view_find(&ed, 0, "GPIO10Owner", 11) >= 0 ||
               mefw_view_find(&ed, 0, "AppRule.03.000000", 17) >= 0;
}

/* ME 6 Ignition: a clean $MINIFAD keeps its default checksum in both copies. */
static bool me6_ignition_configured(const mefw_view *region) {
        static const uint8_t clean[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x6D, 0x3C, 0x75, 0x6D };
        return count_in(region, clean, sizeof clean) < 2;
}

bool mefw_old_region_configured(const mefw_view *region, const mefw_fpt *fpt, unsigned major, unsigned minor,
                                const char *sku) {
        if (major == 6 && strncmp(sku, "Ignition", 8) == 0)
                return me6_ignition_configured(region);

        /* Fixed-offset variables (OEM overrides) written: configured. ME 2 keeps them in NVKR. */
        if (major >= 3) {
                const mefw_fpt_entry *fovd = mefw_fpt_find(fpt, "FOVD");
                if (fovd && fovd->used)
                        return true;
        } else {
                const mefw_fpt_entry *nvkr = mefw_fpt_find(fpt, "NVKR");
                if (nvkr && nvkr->used) {
                        mefw_view nd = entry_data(region, fpt, nvkr);
                        uint8_t b[3];
                        if (mefw_view_has(&nd, 0x19, 3)) {
                                memcpy(b, nd.data + 0x19, 3);
                                size_t len = b[0] | b[1] << 8 | b[2] << 16;
                                mefw_view data = mefw_view_clip(&nd, 0x1C, len);
                                if (data.size && !mefw_view_all(&data, 0, data.size, 0xFF))
                                        return true;
                        }
                }
        }

        if (mefw_view_find(region, 0, "KRND\0", 5) >= 0)
                return major == 4 ? me4_configured(region, fpt) : true;
        if (major == 2)
                return me2_configured(region, fpt, minor, sku);
        if (major == 3)
                return me3_configured(region, fpt);
        return false;
}
