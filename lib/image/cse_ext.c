/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CSE extensions: tagged records (u32 tag, u32 length in bytes including the header) that follow
 * a CSE manifest header and fill .met metadata files. Several have a revised layout with SHA-384
 * fields (CSME 15+); the caller says which hash size applies.
 */
#include "internal.h"

enum {
        EXT_PARTITION_INFO = 0x03,
        EXT_MODULE_ATTRIBUTES = 0x0A,
        EXT_CLIENT_SYSTEM_INFO = 0x0C,
        EXT_SIGNED_PACKAGE_INFO = 0x0F,
        EXT_IFWI_PARTITION_INFO = 0x16,
        EXT_SIGNED_PACKAGE_INFO_V2 = 0x23,
        EXT_SPS_PLATFORM_ID = 0x32,
};

static void two_chars(const uint8_t *p, char out[3]) {
        for (int i = 0; i < 2; i++)
                out[i] = p[i] >= 0x20 && p[i] < 0x7F ? (char) p[i] : '?';
        out[2] = 0;
}

static void read_partition_info(const mefw_view *e, size_t hash_len, mefw_cse_exts *x) {
        struct cse_ext03 h;
        if (cse_ext03_read(e, 0, &h) < 0 || !mefw_view_has(e, 0x10, hash_len))
                return;
        x->has_partition_info = true;
        mefw_printable_name(h.name, 4, x->partition_name, sizeof x->partition_name);
        x->partition_size = h.partition_size;
        memcpy(x->partition_hash, e->data + 0x10, hash_len);
        x->partition_hash_len = hash_len;
        uint32_t vcn;
        if (mefw_view_u32(e, 0x10 + hash_len, &vcn) == 0) {
                x->has_partition_vcn = true;
                x->partition_vcn = vcn;
        }
}

static void read_ifwi_info(const mefw_view *e, mefw_cse_exts *x) {
        struct cse_ext16 h;
        if (cse_ext16_read(e, 0, &h) < 0)
                return;
        size_t len = h.hash_alg == 3 ? 48 : h.hash_alg == 2 ? 32 : h.hash_alg == 1 ? 20 : 0;
        if (len && !mefw_view_has(e, 0x24, len))
                return;
        x->has_ifwi_info = true;
        x->ifwi_size = h.partition_size;
        x->ifwi_hash_alg = h.hash_alg;
        memcpy(x->ifwi_hash, e->data + 0x24, len);
}

static void read_package_info(const mefw_view *e, mefw_cse_exts *x) {
        struct cse_ext0f h;
        /* 0x34 bytes plus module entries; whether 0x24/0x25 hold the firmware type and SKU (the
         * revised layout) depends on the generation, which the caller knows */
        if (cse_ext0f_read(e, 0, &h) < 0)
                return;
        x->has_package_info = true;
        x->package_vcn = h.vcn;
        x->arb_svn = h.arb_svn;
        x->fw_type = h.fw_type;
        x->fw_sku = h.fw_sku;
}

void mefw_cse_read_extensions(mefw_ctx *ctx, const mefw_view *v, size_t start, size_t end, size_t hash_len,
                              const char *where, mefw_cse_exts *ret) {
        mefw_cse_exts x = {};
        size_t pos = start;
        end = MIN(end, v->size);
        while (pos + cse_ext_header_SIZE <= end) {
                struct cse_ext_header h;
                if (cse_ext_header_read(v, pos, &h) < 0)
                        break;
                if (h.tag == 0xFFFFFFFFu && h.length == 0xFFFFFFFFu)
                        break; /* erased filler after the last extension */
                if (h.length < cse_ext_header_SIZE || h.length > end - pos) {
                        ctx_msg(ctx, MEFW_ERROR, "cse-extension-length", mefw_view_abs(v, pos),
                                "CSE extension 0x%02X in %s has a bad length (0x%X bytes, 0x%zX left); the "
                                "extensions after it were not read",
                                h.tag, where, h.length, end - pos);
                        break;
                }
                if (x.count >= MEFW_CSE_MAX_EXTENSIONS) {
                        ctx_msg(ctx, MEFW_WARNING, "cse-too-many-extensions", mefw_view_abs(v, pos),
                                "more than %d extensions in %s; the rest were not read", MEFW_CSE_MAX_EXTENSIONS,
                                where);
                        break;
                }
                x.count++;
                mefw_view e = mefw_view_clip(v, pos, h.length);
                switch (h.tag) {
                case EXT_PARTITION_INFO:
                        read_partition_info(&e, hash_len, &x);
                        if (x.has_partition_info)
                                x.partition_info_offset = pos;
                        break;
                case EXT_CLIENT_SYSTEM_INFO: {
                        struct cse_ext0c c;
                        if (cse_ext0c_read(&e, 0, &c) == 0) {
                                x.has_client_info = true;
                                x.sku_caps = c.sku_caps;
                                x.sku_attributes = c.sku_attributes;
                        }
                        break;
                }
                case EXT_SIGNED_PACKAGE_INFO:
                        read_package_info(&e, &x);
                        break;
                case EXT_IFWI_PARTITION_INFO:
                        read_ifwi_info(&e, &x);
                        if (x.has_ifwi_info)
                                x.ifwi_info_offset = pos;
                        break;
                case EXT_SIGNED_PACKAGE_INFO_V2: {
                        struct cse_ext23 p;
                        if (cse_ext23_read(&e, 0, &p) == 0) {
                                x.has_package_info = x.has_package_info_v2 = true;
                                x.package_vcn = p.vcn;
                                x.arb_svn = p.arb_svn;
                                x.fw_type = p.fw_type;
                                x.fw_sku = p.fw_sku;
                        }
                        break;
                }
                case EXT_SPS_PLATFORM_ID: {
                        struct cse_ext32 p;
                        if (cse_ext32_read(&e, 0, &p) == 0) {
                                x.has_sps_platform = true;
                                two_chars(p.type, x.sps_type);
                                two_chars(p.platform, x.sps_platform);
                        }
                        break;
                }
                default:
                        break;
                }
                pos += h.length;
        }
        *ret = x;
}

int mefw_cse_find_module_attr(const mefw_view *v, size_t start, size_t end, size_t hash_len,
                              mefw_cse_module_attr *ret) {
        size_t pos = start;
        end = MIN(end, v->size);
        for (unsigned n = 0; n < MEFW_CSE_MAX_EXTENSIONS && pos + cse_ext_header_SIZE <= end; n++) {
                struct cse_ext_header h;
                if (cse_ext_header_read(v, pos, &h) < 0 || h.length < cse_ext_header_SIZE || h.length > end - pos)
                        return -ENOENT;
                if (h.tag == EXT_MODULE_ATTRIBUTES) {
                        mefw_view e = mefw_view_clip(v, pos, h.length);
                        struct cse_ext0a a;
                        /* SHA-384 layouts (0x48 bytes) where the generation uses them */
                        size_t len = hash_len == 48 && h.length >= 0x18 + 48 ? 48 : 32;
                        if (cse_ext0a_read(&e, 0, &a) < 0 || !mefw_view_has(&e, 0x18, len))
                                return -ENOENT;
                        *ret = (mefw_cse_module_attr){
                                .compression = a.compression,
                                .encryption = a.encryption,
                                .size_uncompressed = a.size_uncompressed,
                                .size_compressed = a.size_compressed,
                                .hash_len = len,
                                .offset = pos,
                        };
                        memcpy(ret->hash, e.data + 0x18, len);
                        return 0;
                }
                pos += h.length;
        }
        return -ENOENT;
}
