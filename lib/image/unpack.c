/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What 'mefw unpack' takes out of an analyzed file, and under which names: the descriptor and
 * every region it maps, every partition, every module. Names come from the firmware, so they are
 * untrusted: each becomes one path component of letters, digits, '.', '-' and '_' that cannot be
 * "." or "..", and two items never share a path. The bytes are taken only when written
 * (mefw_unpack_item_bytes), so an unpack holds one decompressed module at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "internal.h"
#include "mefw/ifd.h"
#include "modules.h"

/* Far more than any image has; a hostile table cannot make the list grow without bound. */
#define UNPACK_ITEMS_MAX 4096

/* One safe path component from untrusted text: [A-Za-z0-9._-], others '_', no leading '.',
 * never empty. */
static void component(char *dst, size_t len, const char *src) {
        size_t n = 0;
        for (const char *p = src; *p && n + 1 < len; p++) {
                unsigned char c = (unsigned char) *p;
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || (c == '.' && n > 0);
                dst[n++] = ok ? (char) c : '_';
        }
        if (n == 0)
                dst[n++] = '_';
        dst[n] = 0;
}

typedef struct {
        mefw_unpack_item *items;
        size_t n;
        bool full;
} plan;

static bool path_taken(const plan *p, const char *path) {
        for (size_t i = 0; i < p->n; i++)
                if (strcmp(p->items[i].path, path) == 0)
                        return true;
        return false;
}

/* Add an item at folder/name.ext; a name already used gets the item's offset appended. */
static int add(plan *p, const char *folder, const char *name, const char *ext, mefw_unpack_item *it) {
        if (p->n >= UNPACK_ITEMS_MAX) {
                p->full = true;
                return 0;
        }
        char safe[64];
        component(safe, sizeof safe, name);
        snprintf(it->path, sizeof it->path, "%s/%s%s", folder, safe, ext);
        if (path_taken(p, it->path))
                snprintf(it->path, sizeof it->path, "%s/%s-0x%" PRIX64 "%s", folder, safe, it->offset, ext);
        for (unsigned k = 2; path_taken(p, it->path) && k < UNPACK_ITEMS_MAX; k++)
                snprintf(it->path, sizeof it->path, "%s/%s-0x%" PRIX64 "-%u%s", folder, safe, it->offset, k, ext);
        if (path_taken(p, it->path))
                return 0;
        return append_elem((void **) &p->items, &p->n, sizeof *it, it);
}

static int add_regions(plan *p, const mefw_report *r, size_t file_size) {
        const mefw_ifd *d = r->descriptor;
        if (!d)
                return 0;
        for (unsigned i = 0; i < d->n_regions; i++) {
                const mefw_ifd_region *g = &d->regions[i];
                uint64_t at = r->image_offset + g->base, len = (uint64_t) g->limit - g->base + 1;
                if (!g->used || at >= file_size)
                        continue;
                mefw_unpack_item it = {
                        .kind = i == MEFW_IFD_REGION_DESCRIPTOR ? "descriptor" : "region",
                        .offset = at,
                        .stored_size = MIN(len, (uint64_t) file_size - at),
                };
                snprintf(it.name, sizeof it.name, "%s", mefw_ifd_region_name(i));
                if (it.stored_size < len)
                        it.note = "cut short by the end of the file";
                char name[48];
                snprintf(name, sizeof name, "%u-%s", i, mefw_ifd_region_name(i));
                int k = add(p, "regions", name, ".bin", &it);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int add_partitions(plan *p, const mefw_report *r, size_t file_size) {
        for (size_t i = 0; i < r->fw.n_partitions; i++) {
                const mefw_partition *q = &r->fw.partitions[i];
                if (q->is_virtual || !q->used || !q->in_bounds || q->size == 0 || q->offset >= file_size ||
                    q->size > file_size - q->offset || strcmp(q->table ? q->table : "", "file") == 0)
                        continue;
                mefw_unpack_item it = {
                        .kind = "partition",
                        .offset = q->offset,
                        .stored_size = q->size,
                        .has_hash = q->hash != MEFW_HASH_NOT_CHECKED,
                        .hash = q->hash,
                };
                snprintf(it.name, sizeof it.name, "%s", q->name);
                int k = add(p, "partitions", q->name, ".bin", &it);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int add_modules(plan *p, const mefw_report *r, size_t file_size) {
        for (size_t i = 0; i < r->fw.n_modules; i++) {
                const mefw_module *m = &r->fw.modules[i];
                if (m->size == 0 || m->hash == MEFW_HASH_ABSENT || m->offset >= file_size ||
                    m->size > file_size - m->offset)
                        continue;
                bool lzma = m->compression && strcmp(m->compression, "lzma") == 0 && !m->encrypted;
                mefw_unpack_item it = {
                        .kind = "module",
                        .offset = m->offset,
                        .stored_size = m->size,
                        .compression = m->compression,
                        .has_hash = true,
                        .hash = m->hash,
                        .decompress = lzma,
                        .note = m->encrypted ? "stored encrypted, as in the file"
                                : m->compression && strcmp(m->compression, "huffman") == 0
                                        ? "Huffman-compressed, stored as in the file (the dictionary is not public)"
                                        : NULL,
                };
                snprintf(it.name, sizeof it.name, "%s", m->name);
                snprintf(it.partition, sizeof it.partition, "%s", m->partition);
                char folder[80];
                component(folder + 8, sizeof folder - 8, m->partition[0] ? m->partition : "unnamed");
                memcpy(folder, "modules/", 8);
                const char *ext = lzma ? ".bin" : m->encrypted ? ".enc" : it.note ? ".huff" : ".bin";
                int k = add(p, folder, m->name, ext, &it);
                if (k < 0)
                        return k;
        }
        return 0;
}

int mefw_unpack_plan(const mefw_report *r, size_t file_size, mefw_unpack_item **ret, size_t *ret_n, bool *ret_capped) {
        plan p = {};
        int k = add_regions(&p, r, file_size);
        if (k >= 0)
                k = add_partitions(&p, r, file_size);
        if (k >= 0)
                k = add_modules(&p, r, file_size);
        if (k < 0) {
                free(p.items);
                return k;
        }
        *ret = p.items;
        *ret_n = p.n;
        if (ret_capped)
                *ret_capped = p.full;
        return 0;
}

int mefw_unpack_item_bytes(const mefw_unpack_item *it, const uint8_t *file, size_t file_size, const uint8_t **ret_data,
                           size_t *ret_size, uint8_t **ret_owned) {
        if (it->offset > file_size || it->stored_size > file_size - it->offset)
                return -ERANGE;
        const uint8_t *p = file + it->offset;
        if (it->decompress) {
                uint8_t *out = NULL;
                size_t n = 0;
                int k = mefw_module_lzma_decode(p, (size_t) it->stored_size, &out, &n);
                if (k == -ENOMEM)
                        return k;
                if (k >= 0) {
                        *ret_data = *ret_owned = out;
                        *ret_size = n;
                        return 0;
                }
                /* not a stream we can unpack ($MAN records, damage): the stored bytes, said so */
                *ret_data = p;
                *ret_size = (size_t) it->stored_size;
                *ret_owned = NULL;
                return 1;
        }
        *ret_data = p;
        *ret_size = (size_t) it->stored_size;
        *ret_owned = NULL;
        return 0;
}

int mefw_unpack_sha256(const uint8_t *data, size_t size, char out[65]) {
        static const char digits[] = "0123456789abcdef";
        uint8_t d[32];
        int k = mefw_hash(MEFW_HASH_SHA256, data, size, d);
        if (k < 0)
                return k;
        for (size_t i = 0; i < 32; i++) {
                out[2 * i] = digits[d[i] >> 4];
                out[2 * i + 1] = digits[d[i] & 15];
        }
        out[64] = 0;
        return 0;
}
