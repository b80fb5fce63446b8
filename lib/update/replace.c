/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Putting a region into a full SPI image. Replacing the engine region is where a board gets
 * bricked, so the new region is analyzed and compared with the old one before any
 * byte is copied; a mismatch is refused unless the caller forces it, and a file that does not
 * fit is always refused (forcing cannot make it fit, and cutting it would corrupt it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "flash/chipsets.h"
#include "core/util.h"
#include "mefw/ifd.h"
#include "mefw/mefw.h"
#include "mefw/update.h"

/* Whether the new firmware runs on any chipset the descriptor may be for (true when unknown). */
static bool runs_on_descriptor_chipset(const mefw_ifd *d, const mefw_firmware *n, mefw_messages *why, int64_t at) {
        const char *codes[4];
        size_t k = mefw_pch_for_firmware(n->family, n->version, codes, ELEMENTSOF(codes));
        if (k == 0 || d->n_candidates == 0)
                return true;
        for (size_t i = 0; i < k; i++)
                for (size_t c = 0; c < d->n_candidates; c++)
                        if (strcmp(codes[i], d->chipset_codes[c]) == 0)
                                return true;
        char v[32];
        mefw_messages_add(why, MEFW_ERROR, "replace-chipset", at,
                          "the new region holds %s %s, which runs on %s; this flash descriptor is for %s", n->family,
                          mefw_format_version(n->version, v, sizeof v), codes[0], d->chipset_names[0]);
        return false;
}

/* A message code is a static string: one per rule of the region-write policy. */
static const char *rule_code(const char *rule) {
        static const char *const codes[][2] = {
                { "family", "replace-family" },   { "major", "replace-major-version" }, { "sku", "replace-sku" },
                { "platform", "replace-platform" }, { "chipset", "replace-chipset" },   { "release", "replace-release" },
                { "tcb-svn", "replace-tcb-svn" }, { "arb-svn", "replace-arb-svn" },     { "vcn", "replace-vcn" },
                { "version", "replace-version" }, { "signature", "replace-signature" }, { "integrity", "replace-integrity" },
                { "configuration", "replace-configuration" },
        };
        for (size_t i = 0; i < ELEMENTSOF(codes); i++)
                if (strcmp(codes[i][0], rule) == 0)
                        return codes[i][1];
        return "replace-policy";
}

/* Why the new engine region does not belong where the old one is; false when it does. */
static bool engine_mismatch(const mefw_report *old, const mefw_report *new, mefw_messages *why, int64_t at) {
        const mefw_firmware *o = &old->fw, *n = &new->fw;
        bool refused = false;

        if (new->descriptor) {
                mefw_messages_add(why, MEFW_ERROR, "replace-not-a-region", at,
                                  "the new file is a full SPI image with its own flash descriptor, not an engine "
                                  "region");
                return true;
        }
        if (n->container && strcmp(n->container, "update") == 0) {
                mefw_messages_add(why, MEFW_ERROR, "replace-update-image", at,
                                  "the new file is a firmware update image (as FWUpdLcl takes), not an engine "
                                  "region: written into the flash it does not boot. Use the update tool, or a "
                                  "region image of the same version");
                return true;
        }
        if (!n->family || !n->has_version) {
                mefw_messages_add(why, MEFW_ERROR, "replace-no-firmware", at,
                                  "the new file holds no engine firmware mefw can identify");
                return true;
        }
        if (mefw_report_has_error(new))
                mefw_messages_add(why, MEFW_WARNING, "replace-new-has-errors", at,
                                  "the analysis of the new region reports errors; check it with 'mefw analyze'");
        if (!o->family || !o->has_version) {
                mefw_messages_add(why, MEFW_NOTE, "replace-old-unknown", at,
                                  "the current engine region holds no identifiable firmware, so the new one "
                                  "cannot be compared with it");
                return false;
        }
        /* The one update policy, as judged for a write of the whole region. */
        mefw_update_check chk;
        if (mefw_update_check_region_write(old, new, &chk) < 0) {
                mefw_messages_add(why, MEFW_ERROR, "replace-policy", at,
                                  "the update rules could not be applied to the two regions, so the write is not "
                                  "judged safe");
                return true;
        }
        for (size_t i = 0; i < chk.n_rules; i++) {
                const mefw_rule_outcome *rule = &chk.rules[i];
                if (rule->result != MEFW_RULE_FAIL)
                        continue;
                mefw_messages_add(why, MEFW_ERROR, rule_code(rule->name), at, "%s: %s", rule->name, rule->reason);
                refused = true;
        }
        return refused;
}

int mefw_ifd_replace_region(const mefw_ifd *d, const uint8_t *image, size_t size, unsigned index,
                            const uint8_t *with, size_t with_size, bool force, mefw_messages *why,
                            uint8_t **ret_image) {
        const uint8_t *old;
        size_t region_size;
        int r = mefw_ifd_region_bytes(d, image, size, index, &old, &region_size);
        if (r < 0)
                return r;
        int64_t at = (int64_t) d->regions[index].base;

        if (with_size > region_size) {
                mefw_messages_add(why, MEFW_ERROR, "replace-too-large", at,
                                  "the new %s region is 0x%zX bytes, but the region is 0x%zX bytes; it does not "
                                  "fit, and --force does not cut it",
                                  mefw_ifd_region_name(index), with_size, region_size);
                return -EPERM;
        }

        /* The same bytes as now (after padding) cannot make anything worse: nothing to judge. */
        bool same = memcmp(old, with, with_size) == 0;
        for (size_t i = with_size; same && i < region_size; i++)
                same = old[i] == 0xFF;

        bool refused = false;
        if (same)
                mefw_messages_add(why, MEFW_NOTE, "replace-identical", at,
                                  "the new %s region is identical to the current one", mefw_ifd_region_name(index));
        else if (index == MEFW_IFD_REGION_ME) {
                mefw_report *old_report = NULL, *new_report = NULL;
                r = mefw_analyze_buffer(old, region_size, "current engine region", &old_report);
                if (r >= 0)
                        r = mefw_analyze_buffer(with, with_size, "new engine region", &new_report);
                if (r >= 0) {
                        refused = engine_mismatch(old_report, new_report, why, at);
                        if (new_report->fw.family && new_report->fw.has_version &&
                            !runs_on_descriptor_chipset(d, &new_report->fw, why, at))
                                refused = true;
                }
                mefw_report_free(old_report);
                mefw_report_free(new_report);
                if (r < 0)
                        return r;
        } else if (index == MEFW_IFD_REGION_DESCRIPTOR) {
                mefw_ifd *nd = NULL;
                if (mefw_ifd_parse(with, with_size, &nd) < 0) {
                        mefw_messages_add(why, MEFW_ERROR, "replace-not-a-descriptor", at,
                                          "the new descriptor region holds no valid flash descriptor");
                        refused = true;
                }
                mefw_ifd_free(nd);
        }
        if (refused && !force)
                return -EPERM;

        uint8_t *out = malloc(size ? size : 1);
        if (!out)
                return -ENOMEM;
        memcpy(out, image, size);
        memcpy(out + d->regions[index].base, with, with_size);
        memset(out + d->regions[index].base + with_size, 0xFF, region_size - with_size);
        *ret_image = out;
        return 0;
}
