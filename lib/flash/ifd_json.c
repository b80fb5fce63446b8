/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The 'mefw ifd --json' object. Keys are only ever added, never renamed or removed. */
#include <stdio.h>

#include "mefw/ifd.h"

static void region_list(mefw_json *j, const char *key, uint16_t bits) {
        mefw_json_key(j, key);
        mefw_json_begin_array(j);
        for (unsigned i = 0; i < MEFW_IFD_MAX_REGIONS; i++)
                if (bits & (1u << i))
                        mefw_json_string(j, mefw_ifd_region_name(i));
        mefw_json_end_array(j);
}

static void kv_mhz(mefw_json *j, const char *key, unsigned mhz) {
        if (mhz)
                mefw_json_kv_uint(j, key, mhz);
        else
                mefw_json_kv_null(j, key);
}

void mefw_ifd_write_json(const mefw_ifd *d, const char *file, mefw_json *j) {
        char buf[32];

        mefw_json_begin_object(j);
        if (file)
                mefw_json_kv_string(j, "file", file);
        mefw_json_kv_uint(j, "descriptor_offset", d->offset);
        mefw_json_kv_uint(j, "descriptor_version", d->layout_version);
        if (d->has_revision) {
                snprintf(buf, sizeof buf, "%u.%u", d->revision_major, d->revision_minor);
                mefw_json_kv_string(j, "descriptor_revision", buf);
        } else
                mefw_json_kv_null(j, "descriptor_revision");

        mefw_json_kv_string(j, "chipset", d->n_candidates ? d->chipset_names[0] : NULL);
        mefw_json_key(j, "chipset_candidates");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < d->n_candidates; i++)
                mefw_json_string(j, d->chipset_names[i]);
        mefw_json_end_array(j);
        mefw_json_key(j, "chipset_codes");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < d->n_candidates; i++)
                mefw_json_string(j, d->chipset_codes[i]);
        mefw_json_end_array(j);
        mefw_json_kv_bool(j, "chipset_refined", d->chipset_refined);

        if (d->flash_size)
                mefw_json_kv_uint(j, "flash_size", d->flash_size);
        else
                mefw_json_kv_null(j, "flash_size");
        mefw_json_key(j, "components");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < d->n_components; i++) {
                mefw_json_begin_object(j);
                mefw_json_kv_uint(j, "index", d->components[i].index);
                if (d->components[i].size)
                        mefw_json_kv_uint(j, "size", d->components[i].size);
                else
                        mefw_json_kv_null(j, "size");
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_key(j, "clocks");
        mefw_json_begin_object(j);
        kv_mhz(j, "read_mhz", d->clocks.read);
        kv_mhz(j, "fast_read_mhz", d->clocks.fast_read);
        kv_mhz(j, "write_erase_mhz", d->clocks.write_erase);
        kv_mhz(j, "read_id_mhz", d->clocks.read_id);
        mefw_json_kv_bool(j, "fast_read", d->clocks.fast_read_supported);
        mefw_json_kv_bool(j, "dual_output", d->clocks.dual_output_supported);
        mefw_json_end_object(j);

        mefw_json_key(j, "regions");
        mefw_json_begin_array(j);
        for (unsigned i = 0; i < d->n_regions; i++) {
                const mefw_ifd_region *r = &d->regions[i];
                mefw_json_begin_object(j);
                mefw_json_kv_uint(j, "index", i);
                mefw_json_kv_string(j, "name", mefw_ifd_region_name(i));
                mefw_json_kv_uint(j, "base", r->base);
                mefw_json_kv_uint(j, "limit", r->limit);
                mefw_json_kv_bool(j, "used", r->used);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);

        mefw_json_key(j, "masters");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < d->n_masters; i++) {
                const mefw_ifd_master *m = &d->masters[i];
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "name", m->name);
                snprintf(buf, sizeof buf, "FLMSTR%u", m->number);
                mefw_json_kv_string(j, "register", buf);
                mefw_json_kv_uint(j, "value", m->value);
                region_list(j, "read", m->read);
                region_list(j, "write", m->write);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_kv_bool(j, "host_me_read", d->host_me_read);
        mefw_json_kv_bool(j, "host_me_write", d->host_me_write);
        mefw_json_kv_string(j, "me_disable", d->me_disable);
        mefw_json_kv_string(j, "me_disable_strap", d->me_disable_kind);
        mefw_json_kv_bool(j, "me_disable_unconfirmed", d->me_disable_unconfirmed);

        mefw_json_key(j, "vscc");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < d->n_vscc; i++) {
                const mefw_ifd_vscc *v = &d->vscc[i];
                mefw_json_begin_object(j);
                mefw_json_kv_uint(j, "jid", v->jid);
                mefw_json_kv_uint(j, "vendor_id", v->jid & 0xFF);
                /* JEDEC order: memory type (bits 15:8), then capacity (bits 23:16) */
                mefw_json_kv_uint(j, "device_id", ((v->jid >> 8) & 0xFF) << 8 | ((v->jid >> 16) & 0xFF));
                mefw_json_kv_uint(j, "vscc", v->vscc);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_kv_uint(j, "descriptors_found", d->n_descriptors);
        mefw_messages_write_json(j, &d->messages);
        mefw_json_end_object(j);
}
