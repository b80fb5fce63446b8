/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The database's facts about an analyzed firmware: the newest build of its branch, its advisories. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mefw/db.h"
#include "util.h"

unsigned mefw_release_bit(const char *release) {
        if (!release)
                return 0;
        if (strcmp(release, "Production") == 0)
                return MEFW_RELEASE_PRD;
        if (strcmp(release, "Pre-Production") == 0)
                return MEFW_RELEASE_PRE;
        if (strcmp(release, "ROM-Bypass") == 0)
                return MEFW_RELEASE_BYP;
        return 0;
}

static int apply_one(mefw_report *r, const mefw_db *db) {
        const mefw_firmware *fw = &r->fw;
        free(r->db_info);
        r->db_info = NULL;
        if (!fw->family || !fw->has_version)
                return 0;
        mefw_report_db *info = calloc(1, sizeof *info);
        if (!info)
                return -ENOMEM;
        mefw_db_sku_class(fw->family, fw->sku, info->sku_class, sizeof info->sku_class);
        info->amt = mefw_sku_has_amt(fw->family, info->sku_class);
        unsigned release = mefw_release_bit(fw->release);
        info->has_latest = mefw_db_latest(db, fw->family, fw->version, info->sku_class,
                                          release ? release : MEFW_RELEASE_PRD, &info->latest) == 0;
        size_t n = mefw_db_advisories_for(db, fw->family, fw->version, info->amt, info->advisories,
                                          ELEMENTSOF(info->advisories));
        info->n_advisories = MIN(n, ELEMENTSOF(info->advisories));
        r->db_info = info;
        return 0;
}

int mefw_report_apply_db(mefw_report *r, const mefw_db *db) {
        if (!db)
                db = mefw_db_current();
        int k = apply_one(r, db);
        if (k < 0)
                return k;
        for (size_t i = 0; i < r->n_components; i++)
                if ((k = apply_one(&r->components[i], db)) < 0)
                        return k;
        return 0;
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
