/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Human-readable flash descriptor output, shared by 'mefw ifd' and 'mefw analyze'. */
#include <inttypes.h>
#include <stdio.h>

#include "cmd.h"
#include "term.h"

static void size_text(uint64_t bytes, char *buf, size_t len) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
                snprintf(buf, len, "%" PRIu64 " MiB", bytes / (1024 * 1024));
        else if (bytes >= 1024 && bytes % 1024 == 0)
                snprintf(buf, len, "%" PRIu64 " KiB", bytes / 1024);
        else
                snprintf(buf, len, "%" PRIu64 " bytes", bytes);
}

static void chipset_line(const mefw_ifd *d) {
        if (!d->n_candidates) {
                printf("  %-22s unknown\n", "Chipset");
                return;
        }
        char text[256];
        size_t n = (size_t) snprintf(text, sizeof text, "%s", d->chipset_names[0]);
        for (size_t i = 1; i < d->n_candidates && n < sizeof text; i++)
                n += (size_t) snprintf(text + n, sizeof text - n, "%s%s", i == 1 ? " (or " : ", ", d->chipset_names[i]);
        if (n < sizeof text)
                snprintf(text + n, sizeof text - n, "%s%s", d->n_candidates > 1 ? ")" : "",
                         d->chipset_refined ? ", narrowed by the firmware version" : "");
        term_print_wrapped("  Chipset                ", "                         ", text);
}

void print_ifd_summary(const mefw_ifd *d) {
        char buf[32];
        printf("  %-22s at 0x%X, layout IFD v%u\n", "Flash descriptor", d->offset, d->layout_version);
        chipset_line(d);
        if (d->flash_size) {
                size_text(d->flash_size, buf, sizeof buf);
                printf("  %-22s %s in %zu component%s\n", "Flash", buf, d->n_components, d->n_components == 1 ? "" : "s");
        }
        printf("  %-22s read %s, write %s\n", "Host access to ME", d->host_me_read ? "yes" : "no",
               d->host_me_write ? "yes" : "no");
        if (d->me_disable_kind)
                printf("  %-22s %s\n", d->me_disable_kind[0] == 'h' ? "HAP bit" : "AltMeDisable bit",
                       d->me_disable                ? "set (engine disabled)"
                       : d->me_disable_unconfirmed ? "bit 16 of PCHSTRP0 set (not confirmed as HAP here)"
                                                   : "not set");
}

void print_ifd_regions(const mefw_ifd *d) {
        char buf[32];
        printf("  Regions:\n");
        for (unsigned i = 0; i < d->n_regions; i++) {
                const mefw_ifd_region *r = &d->regions[i];
                if (!r->used) {
                        printf("    %2u %-11s unused\n", i, mefw_ifd_region_name(i));
                        continue;
                }
                size_text((uint64_t) r->limit - r->base + 1, buf, sizeof buf);
                printf("    %2u %-11s 0x%08" PRIX32 " - 0x%08" PRIX32 "  %s\n", i, mefw_ifd_region_name(i), r->base,
                       r->limit, buf);
        }
}

void print_ifd_human(const char *file, const mefw_ifd *d) {
        char buf[32];
        printf("%s%s%s\n", term_bold(), file, term_reset());
        print_ifd_summary(d);
        if (d->has_revision)
                printf("  %-22s %u.%u\n", "Descriptor revision", d->revision_major, d->revision_minor);

        print_ifd_regions(d);

        printf("  Access (r = read, w = write):\n    %-8s", "master");
        for (unsigned i = 0; i < d->n_regions; i++)
                if (d->regions[i].used)
                        printf(" %-10s", mefw_ifd_region_name(i));
        printf("\n");
        for (size_t m = 0; m < d->n_masters; m++) {
                const mefw_ifd_master *ms = &d->masters[m];
                printf("    %-8s", ms->name);
                for (unsigned i = 0; i < d->n_regions; i++) {
                        if (!d->regions[i].used)
                                continue;
                        snprintf(buf, sizeof buf, "%s%s", ms->read & (1u << i) ? "r" : "-", ms->write & (1u << i) ? "w" : "-");
                        printf(" %-10s", buf);
                }
                printf("\n");
        }
        if (d->n_vscc) {
                printf("  ME VSCC table:\n");
                for (size_t i = 0; i < d->n_vscc; i++)
                        printf("    JEDEC %02X %02X%02X  VSCC 0x%08" PRIX32 "\n", d->vscc[i].jid & 0xFF,
                               (d->vscc[i].jid >> 8) & 0xFF, (d->vscc[i].jid >> 16) & 0xFF, d->vscc[i].vscc);
        }
        term_print_messages(&d->messages, "  ");
        printf("\n");
}
