/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running firmware as check-update needs it, read from what a pasted log says of a machine.
 * It lives here, above the update policy, because the policy must not know how logs are read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mefw/diagnose.h"
#include "mefw/update.h"

static bool word_is(const char *v, const char *w) {
        return v && strncasecmp(v, w, strlen(w)) == 0;
}

/* How much a machine of the log looks like the one being updated: a FWUpdLcl run on it. */
static bool machine_was_updated(const mefw_diag_log *log, int mi) {
        const mefw_diag_machine *m = &log->machines[mi];
        return mefw_diag_fact_get(m, "image-version") || mefw_diag_fact_get(m, "comm-mode") ||
               mefw_diag_fact_get(m, "fwu-sku");
}

int mefw_diag_update_current(const mefw_diag_log *log, int machine, const char *name, mefw_update_current *ret) {
        int chosen = -1, with_version = 0;
        for (size_t i = 0; i < log->n_machines; i++)
                if (log->machines[i].has_firmware)
                        with_version++;
        if (machine >= 0) {
                if ((size_t) machine >= log->n_machines || !log->machines[machine].has_firmware)
                        return -ENOENT;
                chosen = machine;
        } else {
                for (size_t i = 0; i < log->n_machines; i++)
                        if (log->machines[i].has_firmware && (chosen < 0 || (machine_was_updated(log, (int) i) &&
                                                                             !machine_was_updated(log, chosen))))
                                chosen = (int) i;
        }
        if (chosen < 0)
                return -ENOENT;

        const mefw_diag_machine *m = &log->machines[chosen];
        mefw_update_current c;
        mefw_update_current_init(&c);
        c.source = "log";
        snprintf(c.source_name, sizeof c.source_name, "%s", name ? name : "");
        c.has_version = true;
        memcpy(c.version, m->firmware, sizeof c.version);
        const char *fam = m->generation.family ? m->generation.family : mefw_update_family_of_major(c.version[0]);
        snprintf(c.family, sizeof c.family, "%s", fam ? fam : "");
        if (with_version > 1)
                mefw_update_current_note(&c, "the log shows %d machines; %s is used (give --machine N to choose)",
                                         with_version, m->label);

        const mefw_diag_fact *f;
        if ((f = mefw_diag_fact_get(m, "sku")))
                snprintf(c.sku, sizeof c.sku, "%.47s", f->value);
        if ((f = mefw_diag_fact_get(m, "firmware-platform")) &&
            (strcasecmp(f->value, "H") == 0 || strcasecmp(f->value, "LP") == 0))
                snprintf(c.platform, sizeof c.platform, "%s", strcasecmp(f->value, "H") == 0 ? "H" : "LP");
        if ((f = mefw_diag_fact_get(m, "local-fwupdate")))
                c.local_fwupdate = word_is(f->value, "enabled") ? 1 : word_is(f->value, "disabled") ? 0 : -1;
        if ((f = mefw_diag_fact_get(m, "secure-fwupdate")))
                c.secure_fwupdate = word_is(f->value, "enabled") ? 1 : word_is(f->value, "disabled") ? 0 : -1;
        if (mefw_diag_fact_get(m, "tpm-capability"))
                c.tpm = 1;
        else if (mefw_diag_fact_get(m, "capabilities"))
                c.tpm = 0; /* the capability list was printed without the TPM */
        if ((f = mefw_diag_fact_get(m, "fwu-sku")))
                snprintf(c.fwu_sku, sizeof c.fwu_sku, "%.*s", (int) strcspn(f->value + (f->value[0] == '('), ")"),
                         f->value + (f->value[0] == '('));
        if ((f = mefw_diag_fact_get(m, "image-sku")))
                snprintf(c.fwu_image_sku, sizeof c.fwu_image_sku, "%.*s",
                         (int) strcspn(f->value + (f->value[0] == '('), ")"), f->value + (f->value[0] == '('));
        if ((f = mefw_diag_fact_get(m, "image-version")))
                c.has_fwu_image_version = mefw_version_parse(f->value, c.fwu_image_version) == 0;
        if (m->status && m->status->pci_chipset)
                snprintf(c.chipset, sizeof c.chipset, "%s", m->status->pci_chipset);
        *ret = c;
        return 0;
}

