/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The 'mefw analyze --json' object. Keys are only ever added, never renamed or removed. */
#include <stdio.h>

#include "mefw/ifd.h"
#include "mefw/db.h"
#include "mefw/mefw.h"

char *mefw_format_version(const uint16_t v[4], char *buf, size_t len) {
        snprintf(buf, len, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        return buf;
}

const char *mefw_signature_state_name(mefw_signature_state s) {
        switch (s) {
        case MEFW_SIG_VALID:
                return "valid";
        case MEFW_SIG_INVALID:
                return "invalid";
        case MEFW_SIG_UNKNOWN_KEY:
                return "unknown-key";
        default:
                return NULL;
        }
}

const char *mefw_hash_state_name(mefw_hash_state s) {
        switch (s) {
        case MEFW_HASH_VALID:
                return "valid";
        case MEFW_HASH_INVALID:
                return "invalid";
        case MEFW_HASH_NOT_VERIFIABLE:
                return "not-verifiable";
        case MEFW_HASH_UNREADABLE:
                return "unreadable";
        case MEFW_HASH_ABSENT:
                return "absent";
        default:
                return "not-checked";
        }
}

static void kv_opt_u32(mefw_json *j, const char *key, mefw_opt_u32 v) {
        if (v.set)
                mefw_json_kv_uint(j, key, v.value);
        else
                mefw_json_kv_null(j, key);
}

static void kv_tristate(mefw_json *j, const char *key, int v) {
        if (v < 0)
                mefw_json_kv_null(j, key);
        else
                mefw_json_kv_bool(j, key, v != 0);
}

static void kv_text(mefw_json *j, const char *key, const char *s) {
        mefw_json_kv_string(j, key, s && *s ? s : NULL);
}

static void write_partitions(mefw_json *j, const mefw_firmware *fw) {
        mefw_json_key(j, "partitions");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < fw->n_partitions; i++) {
                const mefw_partition *p = &fw->partitions[i];
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "name", p->name);
                kv_text(j, "owner", p->owner);
                mefw_json_kv_uint(j, "type", p->type);
                if (p->is_virtual)
                        mefw_json_kv_null(j, "offset");
                else
                        mefw_json_kv_uint(j, "offset", p->offset);
                mefw_json_kv_uint(j, "size", p->size);
                mefw_json_kv_bool(j, "virtual", p->is_virtual);
                mefw_json_kv_bool(j, "uncharted", p->uncharted);
                mefw_json_kv_bool(j, "used", p->used);
                mefw_json_kv_bool(j, "in_bounds", p->in_bounds);
                mefw_json_kv_string(j, "table", p->table);
                mefw_json_kv_string(j, "hash", mefw_hash_state_name(p->hash));
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
}

static void write_modules(mefw_json *j, const mefw_firmware *fw) {
        mefw_json_key(j, "modules");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < fw->n_modules; i++) {
                const mefw_module *m = &fw->modules[i];
                mefw_json_begin_object(j);
                kv_text(j, "partition", m->partition);
                mefw_json_kv_string(j, "name", m->name);
                mefw_json_kv_string(j, "compression", m->compression);
                mefw_json_kv_uint(j, "offset", m->offset);
                mefw_json_kv_uint(j, "size", m->size);
                mefw_json_kv_string(j, "hash", mefw_hash_state_name(m->hash));
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
}

static void write_manifests(mefw_json *j, const mefw_firmware *fw) {
        char v[32];
        mefw_json_key(j, "manifests");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < fw->n_manifests; i++) {
                const mefw_manifest_summary *m = &fw->manifests[i];
                mefw_json_begin_object(j);
                kv_text(j, "partition", m->partition);
                mefw_json_kv_uint(j, "offset", m->offset);
                mefw_json_kv_string(j, "tag", m->tag);
                mefw_json_kv_string(j, "version", mefw_format_version(m->version, v, sizeof v));
                mefw_json_kv_string(j, "signature", mefw_signature_state_name(m->signature));
                mefw_json_kv_string(j, "key", m->key);
                mefw_json_kv_string(j, "key_hash", m->key_hash);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
}

void mefw_messages_write_json(mefw_json *j, const mefw_messages *msgs) {
        mefw_json_key(j, "messages");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < msgs->count; i++) {
                const mefw_message *m = &msgs->items[i];
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "severity", mefw_severity_name(m->severity));
                mefw_json_kv_string(j, "code", m->code);
                if (m->offset >= 0)
                        mefw_json_kv_uint(j, "offset", (uint64_t) m->offset);
                else
                        mefw_json_kv_null(j, "offset");
                mefw_json_kv_string(j, "text", m->text);
                mefw_json_end_object(j);
        }
        if (msgs->dropped) {
                char text[96];
                snprintf(text, sizeof text, "%zu further messages were not kept", msgs->dropped);
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "severity", "note");
                mefw_json_kv_string(j, "code", "messages-dropped");
                mefw_json_kv_null(j, "offset");
                mefw_json_kv_string(j, "text", text);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
}

void mefw_report_write_json(const mefw_report *r, mefw_json *j) {
        const mefw_firmware *fw = &r->fw;
        char buf[32];

        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "file", r->file);
        mefw_json_kv_string(j, "container", fw->container);
        mefw_json_kv_string(j, "family", fw->family);
        mefw_json_kv_string(j, "version", fw->has_version ? mefw_format_version(fw->version, buf, sizeof buf) : NULL);
        mefw_json_kv_string(j, "release", fw->release);
        mefw_json_kv_string(j, "type", fw->type);
        kv_text(j, "sku", fw->sku);
        mefw_json_kv_string(j, "chipset", fw->chipset);
        mefw_json_kv_string(j, "pch", fw->pch);
        kv_opt_u32(j, "tcb_svn", fw->tcb_svn);
        kv_opt_u32(j, "arb_svn", fw->arb_svn);
        kv_opt_u32(j, "vcn", fw->vcn);
        kv_tristate(j, "pv", fw->pv);
        kv_text(j, "date", fw->date);
        if (fw->has_size)
                mefw_json_kv_uint(j, "size", fw->size);
        else
                mefw_json_kv_null(j, "size");
        mefw_json_kv_string(j, "fit_version",
                            fw->has_fit_version ? mefw_format_version(fw->fit_version, buf, sizeof buf) : NULL);
        mefw_json_kv_string(j, "signature", mefw_signature_state_name(fw->signature));
        mefw_json_kv_string(j, "key", fw->key);
        mefw_json_kv_string(j, "fs_state", fw->fs_state);
        kv_tristate(j, "oem_config", fw->oem_config);
        kv_tristate(j, "workstation", fw->workstation);
        kv_tristate(j, "fwupdate_support", fw->fwupdate_support);
        kv_text(j, "chipset_stepping", fw->chipset_stepping);
        kv_tristate(j, "patsburg", fw->patsburg);
        kv_text(j, "blacklist_7_0", fw->blacklist_7_0);
        kv_text(j, "blacklist_7_1", fw->blacklist_7_1);
        mefw_json_kv_uint(j, "file_size", r->file_size);
        mefw_report_db_write_json(r, j);
        write_partitions(j, fw);
        write_modules(j, fw);
        write_manifests(j, fw);
        mefw_json_key(j, "descriptor");
        if (r->descriptor)
                mefw_ifd_write_json(r->descriptor, NULL, j);
        else
                mefw_json_null(j);
        mefw_json_key(j, "components");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < r->n_components; i++)
                mefw_report_write_json(&r->components[i], j);
        mefw_json_end_array(j);
        mefw_messages_write_json(j, &r->messages);
        mefw_json_end_object(j);
}
