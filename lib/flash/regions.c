/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bytes of one region of a full SPI image, as the descriptor places them. */
#include <errno.h>

#include "mefw/ifd.h"

int mefw_ifd_region_bytes(const mefw_ifd *d, const uint8_t *image, size_t size, unsigned index,
                          const uint8_t **ret_data, size_t *ret_size) {
        if (index >= d->n_regions || !d->regions[index].used)
                return -ENOENT;
        const mefw_ifd_region *r = &d->regions[index];
        uint64_t len = (uint64_t) r->limit - r->base + 1;
        if (r->base > size || len > size - r->base)
                return -ERANGE;
        *ret_data = image + r->base;
        *ret_size = (size_t) len;
        return 0;
}
