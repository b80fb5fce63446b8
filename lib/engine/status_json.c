/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON form of a decoded ME status (the keys 'mefw status --json' documents). */
#include <stdio.h>

#include "mefw/status.h"
#include "core/util.h"

static void hex_value(mefw_json *j, const char *key, uint32_t v) {
        char buf[16];
        snprintf(buf, sizeof buf, "0x%08X", v);
        mefw_json_kv_string(j, key, buf);
}

static void version_value(mefw_json *j, const char *key, const mefw_fw_version *v) {
        if (!v->set) {
                mefw_json_kv_null(j, key);
                return;
        }
        char buf[40];
        snprintf(buf, sizeof buf, "%u.%u.%u.%u", v->major, v->minor, v->hotfix, v->build);
        mefw_json_kv_string(j, key, buf);
}

static void write_bitmap(mefw_json *j, const char *key, const mefw_opt_u32 *v, const mefw_generation *g) {
        if (!v->set) {
                mefw_json_kv_null(j, key);
                return;
        }
        mefw_json_key(j, key);
        mefw_json_begin_object(j);
        hex_value(j, "raw", v->value);
        size_t n;
        const mefw_bit_name *names = mefw_capability_names(g, &n);
        uint32_t named = 0;
        mefw_json_key(j, "bits");
        mefw_json_begin_object(j);
        for (size_t i = 0; i < n; i++) {
                named |= UINT32_C(1) << names[i].bit;
                mefw_json_kv_bool(j, names[i].name, v->value & (UINT32_C(1) << names[i].bit));
        }
        mefw_json_end_object(j);
        mefw_json_key(j, "unnamed_bits_set");
        mefw_json_begin_array(j);
        for (unsigned b = 0; b < 32; b++)
                if ((v->value & ~named) & (UINT32_C(1) << b))
                        mefw_json_uint(j, b);
        mefw_json_end_array(j);
        mefw_json_end_object(j);
}

void mefw_status_write_json(const mefw_status *s, mefw_json *j) {
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "source", s->source);

        mefw_json_key(j, "registers");
        mefw_json_begin_object(j);
        for (unsigned i = 0; i < s->n_hfsts; i++) {
                char key[8];
                snprintf(key, sizeof key, "hfsts%u", i + 1);
                hex_value(j, key, s->hfsts[i]);
        }
        mefw_json_end_object(j);

        mefw_json_key(j, "generation");
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "family", s->generation.family);
        if (s->generation.major)
                mefw_json_kv_uint(j, "major", s->generation.major);
        else
                mefw_json_kv_null(j, "major");
        mefw_json_kv_string(j, "layout", mefw_status_layout_name(s->layout));
        mefw_json_kv_bool(j, "inferred", s->generation_inferred);
        mefw_json_end_object(j);

        if (s->pci_slot[0]) {
                mefw_json_key(j, "device");
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "pci_slot", s->pci_slot);
                char id[8];
                snprintf(id, sizeof id, "0x%04X", s->pci_device);
                mefw_json_kv_string(j, "device_id", id);
                mefw_json_kv_string(j, "chipset", s->pci_chipset);
                mefw_json_end_object(j);
        }

        mefw_json_key(j, "fields");
        mefw_json_begin_object(j);
        for (size_t i = 0; i < s->n_fields; i++)
                mefw_json_kv_string(j, s->fields[i].name, s->fields[i].value);
        mefw_json_end_object(j);

        if (s->code.set || s->recovery.set || s->fitc.set) {
                mefw_json_key(j, "firmware");
                mefw_json_begin_object(j);
                version_value(j, "code", &s->code);
                version_value(j, "recovery", &s->recovery);
                version_value(j, "fitc", &s->fitc);
                if (s->code.platform)
                        mefw_json_kv_uint(j, "platform", s->code.platform);
                mefw_json_end_object(j);
        } else
                mefw_json_kv_null(j, "firmware");

        write_bitmap(j, "capabilities", &s->capabilities, &s->generation);
        write_bitmap(j, "feature_state", &s->feature_state, &s->generation);

        if (s->platform_type.set) {
                mefw_json_key(j, "platform_type");
                mefw_json_begin_object(j);
                hex_value(j, "raw", s->platform_type.value);
                mefw_named_value pt[8];
                size_t n = mefw_platform_type_describe(s->platform_type.value, &s->generation, pt, ELEMENTSOF(pt));
                for (size_t i = 0; i < n; i++)
                        mefw_json_kv_string(j, pt[i].name, pt[i].value);
                mefw_json_end_object(j);
        } else
                mefw_json_kv_null(j, "platform_type");

        if (s->n_amt || s->bios_version[0]) {
                /* A list, not an object: the firmware may repeat a description. */
                mefw_json_key(j, "amt_code_versions");
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "bios_version", s->bios_version);
                mefw_json_key(j, "versions");
                mefw_json_begin_array(j);
                for (size_t i = 0; i < s->n_amt; i++) {
                        mefw_json_begin_object(j);
                        mefw_json_kv_string(j, "name", s->amt[i].name);
                        mefw_json_kv_string(j, "value", s->amt[i].value);
                        mefw_json_end_object(j);
                }
                mefw_json_end_array(j);
                mefw_json_end_object(j);
        }

        mefw_json_key(j, "checks");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < s->n_checks; i++) {
                const mefw_status_check *c = &s->checks[i];
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "id", c->id);
                mefw_json_kv_string(j, "title", c->title);
                mefw_json_kv_string(j, "verdict", mefw_check_verdict_name(c->verdict));
                mefw_json_kv_string(j, "reason", c->reason);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);

        mefw_messages_write_json(j, &s->messages);
        mefw_json_end_object(j);
}
