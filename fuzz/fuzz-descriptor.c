/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flash descriptor decoding and the 4 KiB-step descriptor count on arbitrary bytes. */
#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_view file = mefw_view_make(data, size, 0);
        mefw_descriptor d;

        if (mefw_descriptor_parse(&file, &d) == 0) {
                FUZZ_CHECK(d.offset == 0x0 || d.offset == 0x10);
                FUZZ_CHECK(d.n_regions <= MEFW_IFD_MAX_REGIONS);
                for (unsigned i = 0; i < d.n_regions; i++) {
                        const mefw_ifd_region *r = &d.regions[i];
                        FUZZ_CHECK(r->used == (r->base <= r->limit));
                        FUZZ_CHECK(mefw_ifd_region_name(i) != NULL);
                }
        }

        size_t n = mefw_descriptor_count(&file);
        /* at most one per 4 KiB block */
        FUZZ_CHECK(n <= size / 0x1000 + 1);
        return 0;
}
