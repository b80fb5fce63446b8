/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash descriptor on arbitrary bytes: decoding, the JSON writer, both edits and a region
 * replacement on a copy, checking the invariants the CLI relies on.
 */
#include <string.h>

#include "fuzz.h"
#include "flash/descriptor.h"
#include "mefw/ifd.h"
#include "mefw/update.h"

static void check_decoded(const mefw_ifd *d) {
        FUZZ_CHECK(d->offset == 0x0 || d->offset == 0x10);
        FUZZ_CHECK(d->layout_version == 1 || d->layout_version == 2);
        FUZZ_CHECK(d->n_regions <= MEFW_IFD_MAX_REGIONS);
        FUZZ_CHECK(d->n_masters <= MEFW_IFD_MAX_MASTERS);
        FUZZ_CHECK(d->n_vscc <= MEFW_IFD_MAX_VSCC);
        FUZZ_CHECK(d->n_candidates <= MEFW_IFD_MAX_CANDIDATES);
        FUZZ_CHECK(d->n_components <= 2);
        for (unsigned i = 0; i < d->n_regions; i++) {
                const mefw_ifd_region *r = &d->regions[i];
                FUZZ_CHECK(r->used == (r->base <= r->limit));
                FUZZ_CHECK(mefw_ifd_region_index(mefw_ifd_region_name(i)) == (int) i);
        }
}

static void try_edits(const mefw_ifd *d, const uint8_t *data, size_t size) {
        uint8_t *copy = malloc(size ? size : 1);
        if (!copy)
                return;
        memcpy(copy, data, size);
        mefw_ifd_changes changes;
        if (mefw_ifd_unlock(copy, size, d, &changes) == 0) {
                FUZZ_CHECK(changes.n <= MEFW_IFD_MAX_CHANGES);
                /* the edited copy still decodes, and the host may now write the engine region */
                mefw_ifd *again = NULL;
                FUZZ_CHECK(mefw_ifd_parse(copy, size, &again) == 0);
                if (again->layout_version == d->layout_version && again->n_masters > 0)
                        FUZZ_CHECK(again->host_me_write);
                mefw_ifd_free(again);
        }
        memcpy(copy, data, size);
        (void) mefw_ifd_set_me_disable(copy, size, d, "hap", true, &changes);
        (void) mefw_ifd_set_me_disable(copy, size, d, "altmedisable", false, &changes);
        free(copy);

        /* a 4 KiB replacement of the engine region, forced, never writes outside the image */
        static const uint8_t blank[0x1000] = { 0 };
        mefw_messages why = {};
        uint8_t *out = NULL;
        if (mefw_ifd_replace_region(d, data, size, MEFW_IFD_REGION_ME, blank, sizeof blank, true, &why, &out) == 0)
                free(out);
        mefw_messages_clear(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        mefw_ifd *d = NULL;
        if (mefw_ifd_parse(data, size, &d) == 0) {
                check_decoded(d);
                mefw_json j;
                mefw_json_init(&j, false);
                mefw_ifd_write_json(d, "fuzz", &j);
                FUZZ_CHECK(mefw_json_ok(&j));
                mefw_json_free(&j);
                try_edits(d, data, size);
                mefw_ifd_free(d);
        }

        mefw_view file = mefw_view_make(data, size, 0);
        /* at most one per 4 KiB block */
        FUZZ_CHECK(mefw_descriptor_count(&file) <= size / 0x1000 + 1);
        return 0;
}
