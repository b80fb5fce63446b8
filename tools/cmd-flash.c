/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw flash --programmer P [--region NAME] [--dry-run] [--yes] [--force] [--backup FILE] IMAGE
 * mefw flash --programmer P --read OUT
 *
 * The expert's remedy, done so that nothing is lost: read the whole chip twice (an unstable read
 * stops everything), keep that as a verified backup, analyze what the chip holds, judge the new
 * contents with the one update policy, write only the regions that change, read the chip back and
 * compare it whole. Any failure after a write began says what the chip now holds and where the
 * backup is.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "mefw/flash.h"
#include "mefw/update.h"
#include "term.h"

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw flash --programmer P [--region NAME] [--dry-run] [--yes] [--force] [--backup FILE] IMAGE\n"
                "       mefw flash --programmer P --read OUT\n"
                "\n"
                "Write IMAGE (a full SPI image, or with --region the contents of one region) to the flash chip\n"
                "behind flashrom programmer P ('internal', 'ch341a_spi', 'dummy:...'). First the whole chip is\n"
                "read twice and compared, and kept as a backup (--backup FILE, default a new file named after\n"
                "the time in the current folder; never an existing one). The engine region goes through the\n"
                "same rules as 'mefw replace'. Only the regions that change are written; then the whole chip\n"
                "is read back and compared. --dry-run prints the plan and writes nothing but the backup;\n"
                "without a terminal to confirm on, nothing is written unless --yes. --read OUT makes the\n"
                "verified backup only.\n"
                "\n"
                "Exit codes: 0 done (or nothing to do), 1 refused or failed (the message says what the chip\n"
                "holds), 2 usage, 3 an input could not be read or flashrom is not available.\n");
}

typedef struct {
        const char *programmer, *region, *backup, *read_out, *image;
        bool dry_run, yes, force;
} flash_args;

static void print_log(const mefw_messages *log) {
        for (size_t i = 0; i < log->count; i++)
                fprintf(stderr, "  %s\n", log->items[i].text);
}

/* Read the chip twice; the reads must agree. */
static int read_twice(mefw_chip *chip, uint8_t *a, uint8_t *b, size_t size) {
        if (mefw_chip_read(chip, a, size) < 0 || mefw_chip_read(chip, b, size) < 0) {
                fprintf(stderr, "mefw flash: the chip could not be read; nothing was written\n");
                return EXIT_PROBLEM;
        }
        if (memcmp(a, b, size) != 0) {
                size_t at = 0;
                while (a[at] == b[at])
                        at++;
                fprintf(stderr,
                        "mefw flash: two reads of the chip differ (first at 0x%zX): the connection is not stable "
                        "(clip seating, wires, power to the chip). Nothing was written; fix the connection first\n",
                        at);
                return EXIT_PROBLEM;
        }
        return 0;
}

/* The backup: a new file, written and read back by the safe writer. */
static int write_backup(const char *path, const uint8_t *data, size_t size) {
        struct stat st;
        if (lstat(path, &st) == 0) {
                fprintf(stderr, "mefw flash: %s exists; a backup never replaces a file (name another)\n", path);
                return EXIT_PROBLEM;
        }
        int r = cli_write_output("flash", path, data, size, NULL, NULL);
        if (r != 0)
                return r;
        char sha[65];
        if (mefw_unpack_sha256(data, size, sha) < 0)
                return EXIT_UNREADABLE;
        printf("Backup: %s (0x%zX bytes, SHA-256 %s), read twice and compared, written and read back\n", path, size,
               sha);
        return 0;
}

/* Whether the host may write region i, by the chip's own descriptor (the internal programmer). */
static bool host_may_write(const mefw_ifd *d, unsigned i) {
        for (size_t m = 0; m < d->n_masters; m++)
                if (strcmp(d->masters[m].name, "host") == 0)
                        return (d->masters[m].write >> i) & 1;
        return true; /* no master section: nothing restricts it */
}

static const char *chip_state(mefw_chip *chip, size_t size, const uint8_t *before, const uint8_t *wanted) {
        uint8_t *now = malloc(size);
        const char *what = "could not be read back: its contents are unknown";
        if (now && mefw_chip_read(chip, now, size) == 0)
                what = memcmp(now, before, size) == 0   ? "still holds what it held before (nothing changed)"
                       : memcmp(now, wanted, size) == 0 ? "holds the new contents"
                                                        : "holds a mix of old and new contents: it may not boot";
        free(now);
        return what;
}

static int parse(int argc, char **argv, flash_args *a) {
        static const struct option opts[] = {
                { "programmer", required_argument, NULL, 'p' }, { "region", required_argument, NULL, 'r' },
                { "backup", required_argument, NULL, 'b' },     { "read", required_argument, NULL, 'R' },
                { "dry-run", no_argument, NULL, 'n' },          { "yes", no_argument, NULL, 'y' },
                { "force", no_argument, NULL, 'f' },            { "help", no_argument, NULL, 'h' },
                {},
        };
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "p:r:b:nyfh", opts, NULL)) >= 0)
                switch (c) {
                case 'p': a->programmer = optarg; break;
                case 'r': a->region = optarg; break;
                case 'b': a->backup = optarg; break;
                case 'R': a->read_out = optarg; break;
                case 'n': a->dry_run = true; break;
                case 'y': a->yes = true; break;
                case 'f': a->force = true; break;
                case 'h': usage(stdout); return -1;
                default: usage(stderr); return EXIT_USAGE;
                }
        if (!a->programmer) {
                fprintf(stderr, "mefw flash: say which programmer reaches the chip: --programmer internal, "
                                "ch341a_spi, ...\n");
                return EXIT_USAGE;
        }
        if (a->read_out ? optind != argc : optind + 1 != argc) {
                fprintf(stderr, "mefw flash: give one IMAGE to write, or --read OUT alone\n");
                return EXIT_USAGE;
        }
        a->image = a->read_out ? NULL : argv[optind];
        return 0;
}

/* The chip's new contents: IMAGE whole, or the chip with region NAME replaced by the policy. */
static int build_new(const flash_args *a, const uint8_t *chip_data, size_t size, const mefw_ifd *d, uint8_t **ret) {
        cli_image img;
        int r = cli_image_load("flash", a->image, &img);
        if (r != 0)
                return r;
        uint8_t *out = NULL;
        if (a->region) {
                int index = mefw_ifd_region_index(a->region);
                if (index < 0) {
                        fprintf(stderr, "mefw flash: unknown region '%s'\n", a->region);
                        cli_image_done(&img);
                        return EXIT_USAGE;
                }
                /* a full image (or a maker's update file) gives its region; anything else is the region */
                const uint8_t *with = img.image;
                size_t with_len = img.image_size;
                if (img.report->descriptor &&
                    mefw_ifd_region_bytes(img.report->descriptor, img.image, img.image_size, (unsigned) index, &with,
                                          &with_len) < 0) {
                        fprintf(stderr, "mefw flash: %s has no %s region to take\n", a->image, a->region);
                        cli_image_done(&img);
                        return EXIT_PROBLEM;
                }
                mefw_messages why = {};
                int q = mefw_ifd_replace_region(d, chip_data, size, (unsigned) index, with, with_len, a->force, &why,
                                                &out);
                for (size_t i = 0; i < why.count; i++)
                        fprintf(q < 0 ? stderr : stdout, "  %s%s: %s\n",
                                a->force && why.items[i].severity == MEFW_ERROR ? "forced past " : "",
                                mefw_severity_name(why.items[i].severity), why.items[i].text);
                mefw_messages_clear(&why);
                if (q < 0) {
                        fprintf(stderr, "mefw flash: refused to write %s into the %s region; nothing was written%s\n",
                                a->image, a->region,
                                q == -EPERM && !a->force ? " (--force overrides a rule, never a size that does not fit)"
                                                         : "");
                        cli_image_done(&img);
                        return EXIT_PROBLEM;
                }
        } else {
                if (img.image_size != size) {
                        fprintf(stderr, "mefw flash: %s holds 0x%zX bytes of flash image, the chip 0x%zX; a whole "
                                        "image must be the chip's size (or name one region with --region)\n",
                                a->image, img.image_size, size);
                        cli_image_done(&img);
                        return EXIT_PROBLEM;
                }
                out = malloc(size);
                if (!out) {
                        cli_image_done(&img);
                        return EXIT_UNREADABLE;
                }
                memcpy(out, img.image, size);
                /* the engine region, when it changes, goes through the policy like --region me */
                const mefw_ifd_region *me = d->n_regions > MEFW_IFD_REGION_ME ? &d->regions[MEFW_IFD_REGION_ME] : NULL;
                if (me && me->used && me->limit < size &&
                    memcmp(chip_data + me->base, out + me->base, (size_t) me->limit - me->base + 1) != 0) {
                        mefw_messages why = {};
                        uint8_t *judged = NULL;
                        int q = mefw_ifd_replace_region(d, chip_data, size, MEFW_IFD_REGION_ME, out + me->base,
                                                        (size_t) me->limit - me->base + 1, a->force, &why, &judged);
                        for (size_t i = 0; i < why.count; i++)
                                fprintf(q < 0 ? stderr : stdout, "  %s%s: %s\n",
                                        a->force && why.items[i].severity == MEFW_ERROR ? "forced past " : "",
                                        mefw_severity_name(why.items[i].severity), why.items[i].text);
                        mefw_messages_clear(&why);
                        free(judged);
                        if (q < 0) {
                                fprintf(stderr, "mefw flash: refused: the engine region of %s does not belong on this "
                                                "chip; nothing was written\n", a->image);
                                free(out);
                                cli_image_done(&img);
                                return EXIT_PROBLEM;
                        }
                }
                size_t desc_len = d->n_regions && d->regions[0].used ? (size_t) d->regions[0].limit + 1 : 0x1000;
                if (memcmp(chip_data, out, desc_len < size ? desc_len : size) != 0 && !a->force) {
                        fprintf(stderr, "mefw flash: refused: %s changes the flash descriptor, which decides what "
                                        "the board can boot; --force writes it anyway\n", a->image);
                        free(out);
                        cli_image_done(&img);
                        return EXIT_PROBLEM;
                }
        }
        cli_image_done(&img);
        *ret = out;
        return 0;
}

int cmd_flash(int argc, char **argv) {
        flash_args a = {};
        int r = parse(argc, argv, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;
        if (!mefw_chip_supported()) {
                fprintf(stderr, "mefw flash: this mefw was built without libflashrom (Debian: libflashrom-dev); "
                                "it cannot reach a chip\n");
                return EXIT_UNREADABLE;
        }
        mefw_messages log = {};
        mefw_chip *chip = NULL;
        r = mefw_chip_open(a.programmer, &log, &chip);
        if (r < 0) {
                fprintf(stderr, "mefw flash: no flash chip found through '%s'%s\n", a.programmer,
                        log.count ? "; flashrom says:" : "");
                print_log(&log);
                mefw_messages_clear(&log);
                return EXIT_UNREADABLE;
        }
        size_t size = mefw_chip_size(chip);
        printf("Chip: 0x%zX bytes through %s\n", size, a.programmer);
        uint8_t *before = malloc(size), *again = malloc(size), *wanted = NULL;
        mefw_report *rep = NULL;
        char backup[256];
        if (!before || !again) {
                r = EXIT_UNREADABLE;
                goto out;
        }
        if ((r = read_twice(chip, before, again, size)) != 0)
                goto out;
        if (a.read_out) {
                r = write_backup(a.read_out, before, size);
                goto out;
        }
        if (a.backup)
                snprintf(backup, sizeof backup, "%s", a.backup);
        else {
                time_t now = time(NULL);
                struct tm tm;
                localtime_r(&now, &tm);
                strftime(backup, sizeof backup, "mefw-backup-%Y%m%d-%H%M%S.bin", &tm);
        }
        if ((r = write_backup(backup, before, size)) != 0)
                goto out;

        if (mefw_analyze_buffer(before, size, "the chip", &rep) < 0 || !rep->descriptor) {
                fprintf(stderr, "mefw flash: the chip holds no flash descriptor mefw can read, so which regions "
                                "to write is not known; nothing was written (the backup is %s)\n", backup);
                r = EXIT_PROBLEM;
                goto out;
        }
        const mefw_ifd *d = rep->descriptor;
        if ((r = build_new(&a, before, size, d, &wanted)) != 0)
                goto out;

        /* only what changes is written */
        mefw_chip_range ranges[MEFW_IFD_MAX_REGIONS];
        size_t n = 0, bytes = 0;
        for (unsigned i = 0; i < d->n_regions; i++) {
                const mefw_ifd_region *g = &d->regions[i];
                if (!g->used || g->limit >= size)
                        continue;
                size_t len = (size_t) g->limit - g->base + 1;
                if (memcmp(before + g->base, wanted + g->base, len) == 0)
                        continue;
                ranges[n++] = (mefw_chip_range){ g->base, g->limit, mefw_ifd_region_name(i) };
                bytes += len;
        }
        if (n == 0) {
                printf("Nothing to write: the chip already holds this.\n");
                r = EXIT_OK;
                goto out;
        }
        /* the host's own access, when the host is what writes */
        if (strncmp(a.programmer, "internal", 8) == 0)
                for (size_t i = 0; i < n; i++) {
                        int index = mefw_ifd_region_index(ranges[i].name);
                        if (index >= 0 && !host_may_write(d, (unsigned) index)) {
                                fprintf(stderr,
                                        "mefw flash: refused: the chip's descriptor does not let the host write the %s "
                                        "region, so the internal programmer would fail half-way. Ways that exist: the "
                                        "board maker's own recovery or BIOS update, one boot with the "
                                        "descriptor-override strap or jumper (then this command again), or an "
                                        "external programmer on the chip. Nothing was written (the backup is %s)\n",
                                        ranges[i].name, backup);
                                r = EXIT_PROBLEM;
                                goto out;
                        }
                }
        printf("Plan: write %zu region%s (0x%zX bytes):", n, n == 1 ? "" : "s", bytes);
        for (size_t i = 0; i < n; i++)
                printf(" %s 0x%X-0x%X", ranges[i].name, ranges[i].start, ranges[i].end);
        printf("; then read the whole chip back and compare\n");
        if (a.dry_run) {
                printf("Dry run: nothing was written.\n");
                r = EXIT_OK;
                goto out;
        }
        if (!a.yes) {
                if (!isatty(STDIN_FILENO)) {
                        fprintf(stderr, "mefw flash: no terminal to confirm on; nothing was written (--yes confirms)\n");
                        r = EXIT_PROBLEM;
                        goto out;
                }
                printf("Write now? [y/N] ");
                fflush(stdout);
                char answer[16] = "";
                if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
                        printf("Nothing was written.\n");
                        r = EXIT_OK;
                        goto out;
                }
        }
        mefw_messages_clear(&log);
        if (mefw_chip_write_ranges(chip, wanted, before, size, ranges, n) < 0) {
                fprintf(stderr, "mefw flash: the write failed; the chip %s. The backup is %s: write it back with "
                                "'mefw flash --programmer %s --yes --force %s' once the cause is fixed%s\n",
                        chip_state(chip, size, before, wanted), backup, a.programmer, backup,
                        log.count ? "; flashrom says:" : "");
                print_log(&log);
                r = EXIT_PROBLEM;
                goto out;
        }
        if (mefw_chip_read(chip, again, size) < 0 || memcmp(again, wanted, size) != 0) {
                fprintf(stderr, "mefw flash: the chip read back does not hold what was written: it %s. The backup "
                                "is %s\n", chip_state(chip, size, before, wanted), backup);
                r = EXIT_PROBLEM;
                goto out;
        }
        printf("Written and verified: the whole chip reads back as intended.\n"
               "Next: power the machine off completely (AC and battery out for a minute) or run a global reset "
               "('FPT -greset'), so the engine starts from the new region; then check it with 'mefw status'.\n");
        r = EXIT_OK;
out:
        mefw_report_free(rep);
        free(before);
        free(again);
        free(wanted);
        mefw_chip_close(chip);
        mefw_messages_clear(&log);
        return r;
}
