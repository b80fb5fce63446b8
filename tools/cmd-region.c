/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw extract FILE --region NAME [-o OUT] [--json]
 * mefw replace FILE --region NAME --with IN -o OUT [--force] [--json]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "mefw/update.h"
#include "term.h"

typedef struct {
        const char *input, *region, *with, *out;
        bool json, force, in_place, all;
} region_args;

static void usage(FILE *f, bool replace) {
        if (replace)
                fprintf(f,
                        "Usage: mefw replace FILE --region NAME --with IN -o OUT [--force] [--json]\n"
                        "\n"
                        "Write a copy of the SPI image FILE to OUT with region NAME replaced by the contents of IN\n"
                        "(padded with 0xFF). A file larger than the region is refused. For the engine region, IN is\n"
                        "analyzed first: a full image, an update image, or firmware of another family, major\n"
                        "version, SKU or platform than the current one is refused unless --force.\n");
        else
                fprintf(f,
                        "Usage: mefw extract FILE --region NAME [-o OUT] [--in-place] [--json]\n"
                        "       mefw extract FILE --all -o DIR\n"
                        "\n"
                        "Copy region NAME of the SPI image FILE to OUT (default: FILE's name with .NAME.bin, in the\n"
                        "current directory; an existing file is not overwritten unless named with -o; '-o -' writes\n"
                        "to standard output). OUT may not be FILE itself, which would replace the full image by\n"
                        "one of its regions, unless --in-place says that is meant. --all writes every region to DIR\n"
                        "(created if missing) as N-NAME.bin; if any of them exists, nothing is written.\n");
        fprintf(f, replace ? "\n-o is --output, -r --region, -w --with, -f --force, -j --json.\n"
                           : "\n-o is --output, -r --region, -j --json.\n");
        fprintf(f,
                "Regions: descriptor, bios, me, gbe, pdr, devexp1, bios2, ec, devexp2, ie, 10gbe0, 10gbe1, ptt,\n"
                "or a number 0-15. The output is written to a temporary file, synced, read back and checked,\n"
                "and only then renamed to OUT.\n"
                "\n"
                "Exit codes: 0 done, 1 refused or failed (nothing written), 2 usage, 3 input unreadable.\n");
}

static int parse_args(int argc, char **argv, bool replace, region_args *ret) {
        static const struct option opts[] = {
                { "region", required_argument, NULL, 'r' }, { "with", required_argument, NULL, 'w' },
                { "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
                { "json", no_argument, NULL, 'j' },         { "help", no_argument, NULL, 'h' },
                { "in-place", no_argument, NULL, 'I' },     { "all", no_argument, NULL, 'A' },
                {},
        };
        region_args a = {};
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "r:w:o:fjh", opts, NULL)) >= 0)
                switch (c) {
                case 'r':
                        a.region = optarg;
                        break;
                case 'w':
                        a.with = optarg;
                        break;
                case 'o':
                        a.out = optarg;
                        break;
                case 'f':
                        a.force = true;
                        break;
                case 'j':
                        a.json = true;
                        break;
                case 'I':
                        a.in_place = true;
                        break;
                case 'A':
                        a.all = true;
                        break;
                case 'h':
                        usage(stdout, replace);
                        return -1;
                default:
                        usage(stderr, replace);
                        return EXIT_USAGE;
                }
        const char *cmd = replace ? "replace" : "extract";
        if (optind + 1 != argc || !a.region == !a.all || (replace && (!a.with || !a.out || a.in_place || a.all)) ||
            (!replace && (a.with || a.force)) || (a.all && (!a.out || a.in_place || a.json))) {
                fprintf(stderr, "mefw %s: %s\n\n", cmd,
                        optind + 1 != argc ? "exactly one input image is needed"
                        : a.all && replace ? "--all belongs to 'mefw extract'"
                        : a.all && a.region ? "--region or --all, not both"
                        : a.all            ? "--all needs -o DIR (and no --in-place or --json)"
                        : !a.region        ? "--region is needed"
                        : a.in_place       ? "--in-place belongs to 'mefw extract' (replace keeps the kind of file)"
                        : replace          ? "--with IN and -o OUT are needed"
                                           : "--with and --force belong to 'mefw replace'");
                usage(stderr, replace);
                return EXIT_USAGE;
        }
        if (a.json && a.out && strcmp(a.out, "-") == 0) {
                fprintf(stderr, "mefw %s: --json and '-o -' would both write to standard output\n\n", cmd);
                usage(stderr, replace);
                return EXIT_USAGE;
        }
        a.input = argv[optind];
        *ret = a;
        return 0;
}

/* The region index, or an exit code after explaining. */
static int resolve_region(const char *cmd, const cli_image *img, const char *name, unsigned *ret) {
        const mefw_ifd *d = img->report->descriptor;
        int index = mefw_ifd_region_index(name);
        if (index < 0) {
                fprintf(stderr, "mefw %s: unknown region '%s'\n", cmd, name);
                return EXIT_USAGE;
        }
        if (!d) {
                fprintf(stderr, "mefw %s: %s has no flash descriptor, so it has no regions: it is not a full SPI image\n",
                        cmd, img->path);
                return EXIT_PROBLEM;
        }
        if ((unsigned) index >= d->n_regions || !d->regions[index].used) {
                fprintf(stderr, "mefw %s: the descriptor of %s defines no %s region\n", cmd, img->path,
                        mefw_ifd_region_name((unsigned) index));
                return EXIT_PROBLEM;
        }
        *ret = (unsigned) index;
        return 0;
}

static void print_json_result(const char *cmd, const region_args *a, unsigned index, const mefw_ifd *d,
                              const mefw_messages *msgs, bool written) {
        mefw_json j;
        mefw_json_init(&j, true);
        mefw_json_begin_object(&j);
        mefw_json_kv_string(&j, "file", a->input);
        mefw_json_kv_string(&j, "command", cmd);
        mefw_json_kv_string(&j, "region", mefw_ifd_region_name(index));
        mefw_json_kv_uint(&j, "base", d->regions[index].base);
        mefw_json_kv_uint(&j, "limit", d->regions[index].limit);
        if (a->with)
                mefw_json_kv_string(&j, "with", a->with);
        else
                mefw_json_kv_null(&j, "with");
        mefw_json_kv_string(&j, "output", a->out);
        mefw_json_kv_bool(&j, "written", written);
        mefw_json_kv_bool(&j, "forced", a->force);
        mefw_messages_write_json(&j, msgs);
        mefw_json_end_object(&j);
        if (mefw_json_ok(&j))
                term_json_emit(&j);
        mefw_json_free(&j);
}

/* ---- extract ---- */

/* Every used region into DIR as N-NAME.bin, each through the safe writer; all or nothing about
 * existing files: one that exists stops the whole extraction before anything is written. */
static int extract_all(const cli_image *img, const char *dir) {
        const mefw_ifd *d = img->report->descriptor;
        if (!d) {
                fprintf(stderr, "mefw extract: %s has no flash descriptor, so it has no regions\n", img->path);
                return EXIT_PROBLEM;
        }
        if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                fprintf(stderr, "mefw extract: cannot create %s: %s\n", dir, strerror(errno));
                return EXIT_PROBLEM;
        }
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "mefw extract: cannot open %s: %s\n", dir, strerror(errno));
                return EXIT_PROBLEM;
        }
        char names[MEFW_IFD_MAX_REGIONS][32];
        for (unsigned i = 0; i < d->n_regions; i++) {
                snprintf(names[i], sizeof names[i], "%u-%s.bin", i, mefw_ifd_region_name(i));
                struct stat st;
                if (d->regions[i].used && fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
                        fprintf(stderr, "mefw extract: %s/%s exists; nothing was written\n", dir, names[i]);
                        close(fd);
                        return EXIT_PROBLEM;
                }
        }
        int r = EXIT_OK;
        for (unsigned i = 0; i < d->n_regions && r == EXIT_OK; i++) {
                const uint8_t *bytes;
                size_t len;
                if (!d->regions[i].used)
                        continue;
                if (mefw_ifd_region_bytes(d, img->image, img->image_size, i, &bytes, &len) < 0) {
                        fprintf(stderr, "mefw extract: the %s region runs past the end of %s; not written\n",
                                mefw_ifd_region_name(i), img->path);
                        r = EXIT_PROBLEM;
                        break;
                }
                int k = mefw_write_file_at(fd, names[i], bytes, len, false, NULL, NULL);
                if (k < 0) {
                        fprintf(stderr, "mefw extract: %s/%s: %s\n", dir, names[i], strerror(-k));
                        r = EXIT_PROBLEM;
                } else
                        printf("Wrote %s/%s (0x%X-0x%X, 0x%zX bytes)\n", dir, names[i], d->regions[i].base,
                               d->regions[i].limit, len);
        }
        close(fd);
        return r;
}

int cmd_extract(int argc, char **argv) {
        region_args a;
        int r = parse_args(argc, argv, false, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;

        cli_image img;
        r = cli_image_load("extract", a.input, &img);
        if (r != 0)
                return r;
        if (a.all) {
                r = extract_all(&img, a.out);
                cli_image_done(&img);
                return r;
        }
        unsigned index;
        r = resolve_region("extract", &img, a.region, &index);
        if (r != 0)
                goto out;

        const mefw_ifd *d = img.report->descriptor;
        const uint8_t *bytes;
        size_t len;
        if (mefw_ifd_region_bytes(d, img.image, img.image_size, index, &bytes, &len) < 0) {
                fprintf(stderr, "mefw extract: the %s region 0x%X-0x%X runs past the end of %s (0x%zX bytes)\n",
                        mefw_ifd_region_name(index), d->regions[index].base, d->regions[index].limit, a.input,
                        img.file.size);
                r = EXIT_PROBLEM;
                goto out;
        }

        char *default_out = NULL;
        if (!a.out) {
                char *copy = strdup(a.input);
                const char *base = copy ? basename(copy) : "image";
                const char *dot = strrchr(base, '.');
                int n = dot && dot != base ? (int) (dot - base) : (int) strlen(base);
                if (asprintf(&default_out, "%.*s.%s.bin", n, base, mefw_ifd_region_name(index)) < 0)
                        default_out = NULL;
                free(copy);
                struct stat st;
                if (!default_out || lstat(default_out, &st) == 0) {
                        fprintf(stderr, "mefw extract: %s exists; name the output with -o to overwrite it\n",
                                default_out ? default_out : "the output");
                        free(default_out);
                        r = EXIT_PROBLEM;
                        goto out;
                }
                a.out = default_out;
        }
        /* Over the input itself, the full image would become one of its regions: a different kind
         * of file, which a slip of the keyboard should not do. */
        struct stat in_st, out_st;
        if (!a.in_place && strcmp(a.out, "-") != 0 && stat(a.input, &in_st) == 0 && stat(a.out, &out_st) == 0 &&
            in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
                fprintf(stderr,
                        "mefw extract: %s is the input itself: writing the %s region there would replace the full SPI "
                        "image by that region; nothing was written (give --in-place if that is what you want, or "
                        "another -o)\n",
                        a.out, mefw_ifd_region_name(index));
                free(default_out);
                r = EXIT_PROBLEM;
                goto out;
        }
        r = cli_write_output("extract", a.out, bytes, len, NULL, NULL); /* a raw copy: the read-back compare is the check */
        if (r == 0) {
                if (a.json)
                        print_json_result("extract", &a, index, d, &d->messages, true);
                else
                        fprintf(strcmp(a.out, "-") == 0 ? stderr : stdout,
                                "Wrote the %s region (0x%X-0x%X, 0x%zX bytes) to %s\n", mefw_ifd_region_name(index),
                                d->regions[index].base, d->regions[index].limit, len,
                                strcmp(a.out, "-") == 0 ? "standard output" : a.out);
        }
        free(default_out);
out:
        cli_image_done(&img);
        return r;
}

/* ---- replace ---- */

typedef struct {
        const mefw_ifd *before;
        unsigned index;
        const mefw_report *with; /* analysis of the new region content */
} replace_check;

/* The image on disk must still decode to the same layout, and for the engine region the new
 * firmware must read back as what was put in. */
static int verify_replace(const uint8_t *data, size_t size, void *userdata) {
        const replace_check *c = userdata;
        mefw_report *rep = NULL;
        if (mefw_analyze_buffer(data, size, "output", &rep) < 0)
                return -ENOMEM;
        bool ok = rep->descriptor != NULL;
        if (ok && c->index != MEFW_IFD_REGION_DESCRIPTOR)
                ok = rep->descriptor->n_regions == c->before->n_regions &&
                     memcmp(rep->descriptor->regions, c->before->regions, sizeof c->before->regions) == 0;
        if (ok && c->index == MEFW_IFD_REGION_ME && c->with->fw.family) {
                const mefw_firmware *a = &rep->fw, *b = &c->with->fw;
                ok = a->family && strcmp(a->family, b->family) == 0 && a->has_version == b->has_version &&
                     memcmp(a->version, b->version, sizeof a->version) == 0 && a->signature == b->signature;
        }
        mefw_report_free(rep);
        return ok ? 0 : -EBADMSG;
}

int cmd_replace(int argc, char **argv) {
        region_args a;
        int r = parse_args(argc, argv, true, &a);
        if (r != 0)
                return r < 0 ? EXIT_OK : r;

        cli_image img, with = {};
        r = cli_image_load("replace", a.input, &img);
        if (r != 0)
                return r;
        unsigned index;
        r = resolve_region("replace", &img, a.region, &index);
        if (r != 0)
                goto out;
        r = cli_image_load("replace", a.with, &with);
        if (r != 0)
                goto out;

        const mefw_ifd *d = img.report->descriptor;
        mefw_messages why = {};
        uint8_t *image = NULL;
        int q = mefw_ifd_replace_region(d, img.image, img.image_size, index, with.file.data, with.file.size,
                                        a.force, &why, &image);
        if (q == -EPERM || q == -ERANGE || q == -ENOENT) {
                if (q == -ERANGE)
                        mefw_messages_add(&why, MEFW_ERROR, "region-cut-short", d->regions[index].base,
                                          "the %s region runs past the end of the image", mefw_ifd_region_name(index));
                if (a.json)
                        print_json_result("replace", &a, index, d, &why, false);
                else {
                        fprintf(stderr, "mefw replace: refused to put %s into the %s region of %s; %s was not written:\n",
                                a.with, mefw_ifd_region_name(index), a.input, a.out);
                        for (size_t i = 0; i < why.count; i++)
                                fprintf(stderr, "  %s: %s (region at 0x%" PRIX64 ")\n",
                                        mefw_severity_name(why.items[i].severity), why.items[i].text,
                                        (uint64_t) why.items[i].offset);
                        if (q == -EPERM && !a.force)
                                fprintf(stderr, "Check the file; --force overrides a mismatch (never a size that "
                                                "does not fit).\n");
                }
                mefw_messages_clear(&why);
                r = EXIT_PROBLEM;
                goto out;
        }
        if (q < 0) {
                fprintf(stderr, "mefw replace: %s\n", strerror(-q));
                mefw_messages_clear(&why);
                r = EXIT_UNREADABLE;
                goto out;
        }

        replace_check check = { .before = d, .index = index, .with = with.report };
        uint8_t *whole = cli_image_rewrap(&img, image);
        free(image);
        if (!whole) {
                fprintf(stderr, "mefw replace: out of memory\n");
                mefw_messages_clear(&why);
                r = EXIT_UNREADABLE;
                goto out;
        }
        cli_image_note_container("replace", &img);
        r = cli_write_output("replace", a.out, whole, img.file.size, verify_replace, &check);
        free(whole);
        if (r == 0) {
                if (a.json)
                        print_json_result("replace", &a, index, d, &why, true);
                else {
                        for (size_t i = 0; i < why.count; i++)
                                printf("%s%s: %s\n", a.force && why.items[i].severity == MEFW_ERROR ? "forced past " : "",
                                       mefw_severity_name(why.items[i].severity), why.items[i].text);
                        printf("Wrote %s: the %s region (0x%X-0x%X) now holds %s (0x%zX bytes%s)\n", a.out,
                               mefw_ifd_region_name(index), d->regions[index].base, d->regions[index].limit, a.with,
                               with.file.size,
                               with.file.size < (size_t) d->regions[index].limit - d->regions[index].base + 1
                                       ? ", padded with 0xFF"
                                       : "");
                }
        }
        mefw_messages_clear(&why);
out:
        cli_image_done(&with);
        cli_image_done(&img);
        return r;
}
