/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The database's facts about an analyzed firmware: the newest build of its branch, its advisories. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mefw/mefw.h"
#include "core/util.h"

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
