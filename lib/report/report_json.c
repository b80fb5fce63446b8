/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The 'mefw analyze --json' object. Keys are only ever added, never renamed or removed. */
#include <stdio.h>

#include "mefw/ifd.h"
#include "mefw/mefw.h"

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
                mefw_json_kv_bool(j, "encrypted", m->encrypted);
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
        /* a flash image behind a header: which header, and where the image lies in the file */
        mefw_json_kv_string(j, "container_header", r->container_header);
        mefw_json_kv_uint(j, "image_offset", r->image_offset);
        if (r->container_header)
                mefw_json_kv_uint(j, "image_size", r->image_size);
        else
                mefw_json_kv_null(j, "image_size");
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

void mefw_report_db_write_json(const mefw_report *r, mefw_json *j) {
        const mefw_report_db *info = r->db_info;
        char buf[32];
        mefw_json_key(j, "latest");
        if (!info || !info->has_latest)
                mefw_json_null(j);
        else {
                const mefw_latest *l = &info->latest;
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "version", mefw_format_version(l->newest.version, buf, sizeof buf));
                mefw_json_kv_string(j, "sku", l->newest.sku[0] ? l->newest.sku : NULL);
                mefw_json_kv_string(j, "forms", l->newest.forms);
                mefw_json_kv_bool(j, "is_latest", l->is_latest);
                mefw_json_kv_bool(j, "listed", l->listed);
                mefw_json_end_object(j);
        }
        mefw_json_key(j, "advisories");
        mefw_json_begin_array(j);
        for (size_t i = 0; info && i < info->n_advisories; i++) {
                const mefw_advisory *a = info->advisories[i].advisory;
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "id", a->id);
                mefw_json_kv_string(j, "summary", a->summary);
                mefw_json_kv_string(j, "fixed", mefw_advisory_fixed_text(a, buf, sizeof buf));
                mefw_json_kv_bool(j, "only_if_amt", info->advisories[i].conditional);
                mefw_json_kv_string(j, "source", a->source);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
}
