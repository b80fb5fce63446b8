/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mefw ifd FILE [--json | --layout] [--unlock | --lock | --me-disable hap|altmedisable -o OUT [--force]] */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "term.h"

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw ifd FILE [--json]\n"
                "       mefw ifd FILE --layout\n"
                "       mefw ifd FILE --unlock|--lock -o OUT\n"
                "       mefw ifd FILE --me-disable hap|altmedisable -o OUT [--force]\n"
                "\n"
                "Decode the Intel flash descriptor of a full SPI image (or a descriptor dump): regions,\n"
                "masters and their access rights, ME-disable strap, components, chipset. With an edit\n"
                "option, write a changed copy to OUT (never over FILE unless OUT names it).\n"
                "\n"
                "  -j, --json               JSON output\n"
                "      --layout             print the regions as a flashrom layout file (start:end name)\n"
                "      --unlock             give the host and the engine read/write access to all regions\n"
                "      --lock               Intel's recommended access: each master writes only its own region\n"
                "      --me-disable KIND    set the HAP (100-series and later) or AltMeDisable strap\n"
                "  -o, --output OUT         where an edited image goes\n"
                "  -f, --force              set a strap this chipset is not known to have\n"
                "  -h, --help               this text\n"
                "\n"
                "Exit codes: 0 fine, 1 problem found or edit refused, 2 usage, 3 input unreadable.\n");
}

typedef struct {
        const mefw_ifd *before;
        bool unlock, lock;
        const char *me_disable;
        uint64_t image_offset;
} edit_check;

/* The file on disk must decode to the same layout, with the edit in effect. */
static int verify_edit(const uint8_t *data, size_t size, void *userdata) {
        const edit_check *c = userdata;
        mefw_ifd *d = NULL;
        mefw_container at;
        /* the image sits where it sat: behind the same header, when there was one */
        if (mefw_find_flash_image(data, size, &at) < 0 || at.image_offset != c->image_offset ||
            mefw_ifd_parse(data + at.image_offset, (size_t) at.image_size, &d) < 0)
                return -EBADMSG;
        bool ok = d->n_regions == c->before->n_regions &&
                  memcmp(d->regions, c->before->regions, sizeof d->regions) == 0;
        if (c->unlock)
                ok = ok && d->host_me_read && d->host_me_write;
        if (c->lock)
                ok = ok && !d->host_me_write;
        if (c->me_disable)
                ok = ok && d->me_disable && strcmp(d->me_disable, c->me_disable) == 0;
        mefw_ifd_free(d);
        return ok ? 0 : -EBADMSG;
}

static void print_changes(const mefw_ifd_changes *ch, const char *out) {
        if (ch->n == 0)
                printf("Nothing needed changing; %s is a copy of the input.\n", out);
        for (size_t i = 0; i < ch->n; i++)
                printf("  %-16s at 0x%03" PRIX32 ": 0x%08" PRIX32 " -> 0x%08" PRIX32 "\n", ch->items[i].what,
                       ch->items[i].offset, ch->items[i].before, ch->items[i].after);
}

static int edit(cli_image *img, bool unlock, bool lock, const char *me_disable, bool force, const char *out) {
        const mefw_ifd *d = img->report->descriptor;
        uint8_t *copy = malloc(img->image_size ? img->image_size : 1);
        if (!copy) {
                fprintf(stderr, "mefw ifd: out of memory\n");
                return EXIT_UNREADABLE;
        }
        memcpy(copy, img->image, img->image_size);
        mefw_ifd_changes changes = {};
        int r = unlock ? mefw_ifd_unlock(copy, img->image_size, d, &changes)
                : lock ? mefw_ifd_lock(copy, img->image_size, d, &changes)
                       : mefw_ifd_set_me_disable(copy, img->image_size, d, me_disable, force, &changes);
        if (r == -EOPNOTSUPP) {
                if (d->me_disable_kind)
                        fprintf(stderr,
                                "mefw ifd: refused: this descriptor is for %s, whose ME-disable strap is %s, not %s.\n"
                                "Setting the wrong strap changes an unrelated chipset setting. Use --me-disable %s,\n"
                                "or --force if you know better.\n",
                                d->chipset_names[0], d->me_disable_kind, me_disable, d->me_disable_kind);
                else
                        fprintf(stderr, "mefw ifd: refused: the chipset of this descriptor is unknown, so which strap "
                                        "disables the engine is not known; --force sets it anyway\n");
                free(copy);
                return EXIT_PROBLEM;
        }
        if (r < 0) {
                fprintf(stderr, "mefw ifd: cannot edit: %s\n",
                        r == -ERANGE   ? "the section to change is not inside this file"
                        : r == -EINVAL ? "the descriptor map points that section at the map itself (a damaged descriptor)"
                                       : strerror(-r));
                free(copy);
                return EXIT_PROBLEM;
        }
        edit_check check = { .before = d, .unlock = unlock, .lock = lock, .me_disable = me_disable,
                             .image_offset = img->image_offset };
        uint8_t *whole = cli_image_rewrap(img, copy);
        free(copy);
        if (!whole) {
                fprintf(stderr, "mefw ifd: out of memory\n");
                return EXIT_UNREADABLE;
        }
        cli_image_note_container("ifd", img);
        r = cli_write_output("ifd", out, whole, img->file.size, verify_edit, &check);
        free(whole);
        if (r != 0)
                return r;
        printf("Wrote %s:\n", out);
        print_changes(&changes, out);
        return EXIT_OK;
}

int cmd_ifd(int argc, char **argv) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },     { "unlock", no_argument, NULL, 'u' },
                { "me-disable", required_argument, NULL, 'm' }, { "output", required_argument, NULL, 'o' },
                { "force", no_argument, NULL, 'f' },    { "help", no_argument, NULL, 'h' },
                { "lock", no_argument, NULL, 'L' },     { "layout", no_argument, NULL, 'l' },
                {},
        };
        bool json = false, unlock = false, lock = false, layout = false, force = false;
        const char *me_disable = NULL, *out = NULL;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "jo:fh", opts, NULL)) >= 0)
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 'u':
                        unlock = true;
                        break;
                case 'L':
                        lock = true;
                        break;
                case 'l':
                        layout = true;
                        break;
                case 'm':
                        me_disable = optarg;
                        break;
                case 'o':
                        out = optarg;
                        break;
                case 'f':
                        force = true;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        if (optind + 1 != argc) {
                fprintf(stderr, "mefw ifd: exactly one input file is needed\n\n");
                usage(stderr);
                return EXIT_USAGE;
        }
        if (me_disable && strcmp(me_disable, "hap") != 0 && strcmp(me_disable, "altmedisable") != 0) {
                fprintf(stderr, "mefw ifd: --me-disable takes 'hap' or 'altmedisable', not '%s'\n", me_disable);
                return EXIT_USAGE;
        }
        if ((unlock + lock + (me_disable != NULL)) > 1 || (layout && (unlock || lock || me_disable || json))) {
                fprintf(stderr, "mefw ifd: one thing at a time: --layout, --unlock, --lock or --me-disable\n");
                return EXIT_USAGE;
        }
        if ((unlock || lock || me_disable) && !out) {
                fprintf(stderr, "mefw ifd: an edit needs -o OUT (the input is never changed in place unless OUT names it)\n");
                return EXIT_USAGE;
        }
        if (!(unlock || lock || me_disable) && (out || force)) {
                fprintf(stderr, "mefw ifd: -o and --force go with --unlock, --lock or --me-disable\n");
                return EXIT_USAGE;
        }

        cli_image img;
        int r = cli_image_load("ifd", argv[optind], &img);
        if (r != 0)
                return r;
        const mefw_ifd *d = img.report->descriptor;
        if (!d) {
                if (json) {
                        mefw_json j;
                        mefw_json_init(&j, true);
                        mefw_json_begin_object(&j);
                        mefw_json_kv_string(&j, "file", img.path);
                        mefw_json_kv_null(&j, "descriptor_offset");
                        mefw_messages none = {};
                        mefw_messages_add(&none, MEFW_ERROR, "no-descriptor", -1, "no flash descriptor found");
                        mefw_messages_write_json(&j, &none);
                        mefw_messages_clear(&none);
                        mefw_json_end_object(&j);
                        if (mefw_json_ok(&j))
                                term_json_emit(&j);
                        mefw_json_free(&j);
                }
                fprintf(stderr, "mefw ifd: %s: no flash descriptor found (a full SPI image starts with one; an engine "
                                "region or update file has none)\n", img.path);
                cli_image_done(&img);
                return EXIT_PROBLEM;
        }

        if (unlock || lock || me_disable)
                r = edit(&img, unlock, lock, me_disable, force, out);
        else if (layout) {
                /* flashrom's layout file: one used region a line, "start:end name", in hex */
                for (unsigned i = 0; i < d->n_regions; i++)
                        if (d->regions[i].used)
                                printf("%08" PRIx32 ":%08" PRIx32 " %s\n", d->regions[i].base, d->regions[i].limit,
                                       mefw_ifd_region_name(i));
                r = EXIT_OK;
        }
        else {
                bool any;
                r = mefw_messages_worst(&d->messages, &any) == MEFW_ERROR && any ? EXIT_PROBLEM : EXIT_OK;
                if (json) {
                        mefw_json j;
                        mefw_json_init(&j, true);
                        mefw_ifd_write_json(d, img.path, &j);
                        if (mefw_json_ok(&j))
                                term_json_emit(&j);
                        else {
                                fprintf(stderr, "mefw ifd: could not build the JSON output\n");
                                r = EXIT_UNREADABLE;
                        }
                        mefw_json_free(&j);
                } else {
                        print_ifd_human(img.path, d);
                        if (img.report->container_header)
                                printf("  The image lies at 0x%" PRIX64 " (0x%zX bytes) of the file, behind a header (%s); "
                                       "the offsets above are the image's own.\n",
                                       img.image_offset, img.image_size, img.report->container_header);
                }
        }
        cli_image_done(&img);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "mefw ifd: write error on standard output\n");
                return EXIT_UNREADABLE;
        }
        return r;
}
