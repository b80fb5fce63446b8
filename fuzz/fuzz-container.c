/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The container finder on arbitrary bytes: whatever it reports lies inside the input, decodes as
 * a descriptor there, and a plain image (the file itself) is reported only at offset 0.
 */
#include <string.h>

#include "fuzz.h"
#include "mefw/ifd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_container c;
        memset(&c, 0xA5, sizeof c);
        if (mefw_find_flash_image(data, size, &c) < 0)
                return 0;
        FUZZ_CHECK(c.image_offset < size);
        FUZZ_CHECK(c.image_size >= 0x1000 && c.image_size <= size - c.image_offset);
        FUZZ_CHECK((c.kind == NULL) == (c.image_offset == 0 && c.header == NULL));
        mefw_ifd *d = NULL;
        FUZZ_CHECK(mefw_ifd_parse(data + c.image_offset, (size_t) c.image_size, &d) == 0);
        FUZZ_CHECK(d->regions[MEFW_IFD_REGION_ME].used);
        mefw_ifd_free(d);
        return 0;
}
