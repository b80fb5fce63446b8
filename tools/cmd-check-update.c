/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mefw check-update: will this image update this machine, and how. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd.h"
#include "mefw/diagnose.h"
#include "mefw/update.h"
#include "term.h"

#define CANDIDATES_MAX 4096

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw check-update [OPTIONS] IMAGE...\n"
                "       mefw check-update [OPTIONS] --image DIR\n"
                "\n"
                "Say whether Intel's FWUpdLcl will put IMAGE on this machine's engine firmware, and how:\n"
                "every rule it enforces (and H vs LP, which old tools forgot), the verdict (allowed,\n"
                "refused, needs-reflash, or unknown when a rule could not be checked), the procedure and\n"
                "the FWUpdLcl command line. With a folder, every image in it is ranked.\n"
                "\n"
                "The running firmware (at least one source):\n"
                "      --current FILE        a dump of the flash or ME region, or a pasted MEInfo / MEManuf /\n"
                "                            FWUpdLcl log ('-' for standard input)\n"
                "      --machine N           with a log of several machines: the Nth (1-based)\n"
                "      --live                this machine, through the MEI driver (root)\n"
                "      --version V           e.g. 9.0.20.1447\n"
                "      --sku S               e.g. 1.5MB, 5MB, Consumer, Corporate, \"Consumer H\"\n"
                "      --family F            ME, TXE, SPS, CSME, CSTXE, CSSPS (default from the version)\n"
                "      --platform H|LP\n"
                "      --release prd|pre     (default: production, said as an assumption)\n"
                "      --local-fwupdate enabled|disabled\n"
                "      --tpm yes|no          ME 4/5: the firmware hosts the TPM\n"
                "      --tcb-svn N, --arb-svn N, --vcn N\n"
                "Values given on the command line win over a file, and a file over --live; where sources\n"
                "disagree, a note says so.\n"
                "\n"
                "  -i, --image PATH          the image, or a folder of candidates\n"
                "      --db FILE             use this firmware database (see 'mefw db')\n"
                "  -j, --json                JSON: current, image, verdict, rules, procedure, tool\n"
                "      --sysfs-root DIR      with --live: sysfs in DIR (or MEFW_SYSFS_ROOT)\n"
                "      --dev-root DIR        with --live: meiN devices in DIR (or MEFW_DEV_ROOT)\n"
                "  -h, --help                this text\n"
                "\n"
                "Exit codes: 0 allowed (the best candidate, with a folder), 1 refused, needs-reflash or\n"
                "unknown, 2 usage, 3 unreadable input or no ME device.\n");
}

typedef struct {
        char *path;
        mefw_report *report;
        mefw_update_check check;
} candidate;

typedef struct {
        candidate *items;
        size_t n, cap;
        size_t skipped;   /* files in a folder with no engine firmware */
        size_t truncated; /* files past CANDIDATES_MAX */
        bool unreadable;
} candidate_list;

static int candidate_add(candidate_list *l, const char *path, mefw_report *r) {
        if (l->n >= CANDIDATES_MAX) {
                l->truncated++;
                mefw_report_free(r);
                return 0;
        }
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 16;
                candidate *n = realloc(l->items, cap * sizeof *n);
                if (!n) {
                        mefw_report_free(r);
                        return -ENOMEM;
                }
                l->items = n, l->cap = cap;
        }
        char *p = strdup(path);
        if (!p) {
                mefw_report_free(r);
                return -ENOMEM;
        }
        l->items[l->n++] = (candidate) { .path = p, .report = r };
        return 0;
}

/* A file given by name is a candidate whatever it holds; in a folder, only engine firmware is. */
static int load_candidate(candidate_list *l, const char *path, bool from_folder) {
        mefw_report *r = NULL;
        int k = mefw_analyze_path(path, &r);
        if (k < 0) {
                if (from_folder && k == -EISDIR)
                        return 0;
                fprintf(stderr, "mefw check-update: cannot read %s: %s\n", path, strerror(-k));
                l->unreadable = true;
                return 0;
        }
        if (from_folder && (!r->fw.family || !r->fw.has_version)) {
                l->skipped++;
                mefw_report_free(r);
                return 0;
        }
        return candidate_add(l, path, r);
}

static int load_folder(candidate_list *l, const char *dir) {
        DIR *d = opendir(dir);
        if (!d) {
                fprintf(stderr, "mefw check-update: cannot list %s: %s\n", dir, strerror(errno));
                l->unreadable = true;
                return 0;
        }
        struct dirent *e;
        int k = 0;
        while ((e = readdir(d)) && k >= 0) {
                if (e->d_name[0] == '.')
                        continue;
                char *p;
                if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
                        k = -ENOMEM;
                        break;
                }
                struct stat st;
                if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
                        k = load_candidate(l, p, true);
                free(p);
        }
        closedir(d);
        return k;
}

static void candidates_free(candidate_list *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].path);
                mefw_report_free(l->items[i].report);
        }
        free(l->items);
}

static int cmp_candidates(const void *a, const void *b) {
        const candidate *x = a, *y = b;
        return mefw_update_compare(&x->check, x->report, &y->check, y->report);
}

/* ---- the running firmware ------------------------------------------------------------------ */

typedef struct {
        mefw_update_current cli;
        bool cli_any;
        const char *current_path;
        int machine; /* 0-based, -1 automatic */
        bool live;
        const char *sysfs_root, *dev_root;
} state_options;

static int parse_tristate(const char *opt, const char *v, const char *yes, const char *no, int *ret) {
        if (strcasecmp(v, yes) == 0)
                *ret = 1;
        else if (strcasecmp(v, no) == 0)
                *ret = 0;
        else {
                fprintf(stderr, "mefw check-update: %s takes %s or %s, not '%s'\n", opt, yes, no, v);
                return -EINVAL;
        }
        return 0;
}

static int parse_counter(const char *opt, const char *v, mefw_opt_u32 *ret) {
        char *end;
        errno = 0;
        unsigned long x = strtoul(v, &end, 0);
        if (errno || end == v || *end || x > 0xFFFFFFFFul || v[0] == '-') {
                fprintf(stderr, "mefw check-update: %s takes a number, not '%s'\n", opt, v);
                return -EINVAL;
        }
        *ret = (mefw_opt_u32) { .set = true, .value = (uint32_t) x };
        return 0;
}

static const char *const families[] = { "ME", "TXE", "SPS", "CSME", "CSTXE", "CSSPS" };

/* The state a file gives: a dump, or a log. 0, or an exit code after saying why. */
static int state_from_file(const state_options *o, mefw_update_current *ret, bool *ret_found) {
        *ret_found = false;
        const char *path = o->current_path;
        if (strcmp(path, "-") != 0) {
                mefw_report *r = NULL;
                int k = mefw_analyze_path(path, &r);
                if (k < 0) {
                        fprintf(stderr, "mefw check-update: cannot read %s: %s\n", path, strerror(-k));
                        return EXIT_UNREADABLE;
                }
                k = mefw_update_current_from_report(r, path, ret);
                mefw_report_free(r);
                if (k == 0) {
                        *ret_found = true;
                        return EXIT_OK;
                }
        }
        cli_text t;
        int k = cli_text_load(path, &t);
        if (k < 0) {
                fprintf(stderr, "mefw check-update: cannot read %s: %s\n", path, strerror(-k));
                return EXIT_UNREADABLE;
        }
        mefw_diag_log *log = NULL;
        k = mefw_diag_log_new(&log);
        if (k == 0)
                k = mefw_diag_read_text(log, t.data, t.size, strcmp(path, "-") == 0 ? "standard input" : path);
        cli_text_done(&t);
        if (k < 0) {
                mefw_diag_log_free(log);
                fprintf(stderr, "mefw check-update: %s: %s\n", path, strerror(-k));
                return EXIT_UNREADABLE;
        }
        k = mefw_diag_update_current(log, o->machine, path, ret);
        mefw_diag_log_free(log);
        if (k == 0)
                *ret_found = true;
        else if (o->machine >= 0)
                fprintf(stderr, "mefw check-update: %s: there is no machine %d with a firmware version in it\n", path,
                        o->machine + 1);
        else
                fprintf(stderr, "mefw check-update: %s: neither engine firmware nor a log that names the running "
                                "firmware version\n",
                        path);
        return EXIT_OK;
}

static int state_from_live(const state_options *o, mefw_update_current *ret, bool *ret_found) {
        mefw_live_options opt = { .sysfs_root = o->sysfs_root, .dev_root = o->dev_root };
        mefw_status *s = NULL;
        *ret_found = false;
        int k = mefw_status_live(&opt, &s);
        if (k == -ENODEV) {
                fprintf(stderr, "mefw check-update: --live: no Intel ME interface on this machine (not an Intel "
                                "machine, a virtual machine, or the BIOS hid or disabled the ME)\n");
                return EXIT_UNREADABLE;
        }
        if (k == -EACCES) {
                fprintf(stderr, "mefw check-update: --live: the ME can only be read by root here; run it with sudo\n");
                return EXIT_UNREADABLE;
        }
        if (k < 0) {
                fprintf(stderr, "mefw check-update: --live: %s\n", strerror(-k));
                return EXIT_UNREADABLE;
        }
        k = mefw_update_current_from_status(s, ret);
        mefw_status_free(s);
        if (k == 0)
                *ret_found = true;
        else
                fprintf(stderr, "mefw check-update: --live: the firmware did not tell its version\n");
        return EXIT_OK;
}

/* Command line first, then the file, then the live machine. 0, or an exit code. */
static int build_state(state_options *o, mefw_update_current *ret) {
        mefw_update_current cur;
        bool have = false;
        if (o->cli_any) {
                cur = o->cli;
                cur.source = "command line";
                if (!cur.family[0] && cur.has_version) {
                        const char *fam = mefw_update_family_of_major(cur.version[0]);
                        snprintf(cur.family, sizeof cur.family, "%s", fam ? fam : "");
                        if (cur.family[0])
                                mefw_update_current_note(&cur, "family %s taken from the major version (say --family "
                                                               "for TXE or SPS)",
                                                         cur.family);
                }
                have = true;
        }
        if (o->current_path) {
                mefw_update_current f;
                bool found;
                int k = state_from_file(o, &f, &found);
                if (k)
                        return k;
                if (found) {
                        if (have)
                                mefw_update_current_merge(&cur, &f);
                        else
                                cur = f;
                        have = true;
                }
        }
        if (o->live) {
                mefw_update_current l;
                bool found;
                int k = state_from_live(o, &l, &found);
                if (k)
                        return k;
                if (found) {
                        if (have)
                                mefw_update_current_merge(&cur, &l);
                        else
                                cur = l;
                        have = true;
                }
        }
        if (!have) {
                mefw_update_current_init(&cur);
                cur.source = "none";
                mefw_update_current_note(&cur, "no source named the running firmware");
        }
        *ret = cur;
        return 0;
}

/* ---- output -------------------------------------------------------------------------------- */

static const char *verdict_color(mefw_verdict v) {
        return v == MEFW_VERDICT_ALLOWED ? term_sev_color(MEFW_NOTE)
               : v == MEFW_VERDICT_UNKNOWN ? term_sev_color(MEFW_WARNING)
                                           : term_sev_color(MEFW_ERROR);
}

static void print_current(const mefw_update_current *c) {
        char v[24], line[400];
        snprintf(line, sizeof line, "%s %s%s%s%s%s (from %s%s%s)", c->family[0] ? c->family : "firmware",
                 c->has_version ? mefw_format_version(c->version, v, sizeof v) : "of unknown version",
                 c->sku[0] ? ", " : "", c->sku, c->platform[0] ? ", " : "", c->platform, c->source,
                 c->source_name[0] ? " " : "", c->source_name);
        term_print_wrapped("Running: ", "         ", line);
        for (size_t i = 0; i < c->n_notes; i++)
                term_print_wrapped("  note: ", "        ", c->notes[i]);
}

static void print_check(const candidate *cd) {
        const mefw_firmware *fw = &cd->report->fw;
        const mefw_update_check *c = &cd->check;
        char v[24], line[1024];
        snprintf(line, sizeof line, "%s: %s %s %s %s %s", cd->path, fw->family ? fw->family : "no engine firmware",
                 fw->has_version ? mefw_format_version(fw->version, v, sizeof v) : "", fw->sku,
                 fw->release ? fw->release : "", fw->container ? fw->container : "");
        term_print_wrapped("Image:   ", "         ", line);
        printf("Verdict: %s%s%s\n", verdict_color(c->verdict), mefw_verdict_name(c->verdict), term_reset());
        printf("Rules:\n");
        for (size_t i = 0; i < c->n_rules; i++) {
                const mefw_rule_outcome *r = &c->rules[i];
                const char *col = r->result == MEFW_RULE_PASS   ? term_sev_color(MEFW_NOTE)
                                  : r->result == MEFW_RULE_FAIL ? term_sev_color(MEFW_ERROR)
                                                                : term_sev_color(MEFW_WARNING);
                char first[64];
                snprintf(first, sizeof first, "  %s%-7s%s %-15s ", col, mefw_rule_result_name(r->result), term_reset(),
                         r->name);
                /* the colour codes take no columns: indent by what is visible */
                term_print_wrapped(first, "                          ", r->reason);
        }
        if (c->has_tool) {
                snprintf(line, sizeof line, "FWUpdLcl of the %s branch, %s: %s", c->tool_branch, c->tool_program,
                         c->command);
                term_print_wrapped("Tool:    ", "         ", line);
                if (c->alternative[0])
                        term_print_wrapped("  or:    ", "         ", c->alternative);
        }
        printf("Procedure:\n");
        for (size_t i = 0; i < c->n_steps; i++) {
                char n[32];
                snprintf(n, sizeof n, "  %zu. ", i + 1);
                term_print_wrapped(n, "     ", c->steps[i]);
        }
}

static void print_ranking(const candidate_list *l) {
        char v[24];
        printf("Candidates, best first:\n");
        for (size_t i = 0; i < l->n; i++) {
                const candidate *cd = &l->items[i];
                printf("  %s%-13s%s %-14s %s\n", verdict_color(cd->check.verdict), mefw_verdict_name(cd->check.verdict),
                       term_reset(),
                       cd->report->fw.has_version ? mefw_format_version(cd->report->fw.version, v, sizeof v) : "-",
                       cd->path);
        }
        if (l->skipped)
                printf("  (%zu files hold no engine firmware and were left out)\n", l->skipped);
        if (l->truncated)
                printf("  (%zu more files not checked: at most %d)\n", l->truncated, CANDIDATES_MAX);
        printf("\n");
}

static void write_json(const mefw_update_current *cur, const candidate_list *l, bool folder) {
        mefw_json j;
        mefw_json_init(&j, true);
        if (!folder && l->n == 1)
                mefw_update_write_json(cur, l->items[0].report, &l->items[0].check, &j);
        else {
                mefw_json_begin_object(&j);
                mefw_json_key(&j, "current");
                mefw_update_current_write_json(cur, &j);
                mefw_json_key(&j, "candidates");
                mefw_json_begin_array(&j);
                for (size_t i = 0; i < l->n; i++)
                        mefw_update_write_json(cur, l->items[i].report, &l->items[i].check, &j);
                mefw_json_end_array(&j);
                mefw_json_kv_string(&j, "best", l->n && l->items[0].check.verdict == MEFW_VERDICT_ALLOWED
                                                        ? l->items[0].path
                                                        : NULL);
                mefw_json_kv_uint(&j, "skipped", l->skipped);
                mefw_json_end_object(&j);
        }
        if (mefw_json_ok(&j)) {
                term_json_emit(&j);
        } else
                fprintf(stderr, "mefw check-update: could not build the JSON output\n");
        mefw_json_free(&j);
}

/* ---- main ------------------------------------------------------------------------------------ */

enum {
        OPT_CURRENT = 0x100,
        OPT_MACHINE,
        OPT_LIVE,
        OPT_VERSION,
        OPT_SKU,
        OPT_FAMILY,
        OPT_PLATFORM,
        OPT_RELEASE,
        OPT_LOCAL,
        OPT_TPM,
        OPT_TCB,
        OPT_ARB,
        OPT_VCN,
        OPT_DB,
        OPT_SYSFS,
        OPT_DEV,
};

/* One option of the running firmware's state into o->cli. 0 or -EINVAL (said). */
static int state_option(state_options *o, int c, const char *arg) {
        mefw_update_current *s = &o->cli;
        int k = 0;
        o->cli_any = true;
        switch (c) {
        case OPT_VERSION:
                if (mefw_version_parse(arg, s->version) < 0) {
                        fprintf(stderr, "mefw check-update: --version takes major.minor.hotfix.build, not '%s'\n", arg);
                        return -EINVAL;
                }
                s->has_version = true;
                break;
        case OPT_SKU:
                if (strlen(arg) >= sizeof s->sku) {
                        fprintf(stderr, "mefw check-update: --sku '%s' is too long\n", arg);
                        return -EINVAL;
                }
                snprintf(s->sku, sizeof s->sku, "%s", arg);
                break;
        case OPT_FAMILY:
                for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
                        if (strcasecmp(arg, families[i]) == 0) {
                                snprintf(s->family, sizeof s->family, "%s", families[i]);
                                return 0;
                        }
                fprintf(stderr, "mefw check-update: --family takes ME, TXE, SPS, CSME, CSTXE or CSSPS, not '%s'\n",
                        arg);
                return -EINVAL;
        case OPT_PLATFORM:
                if (strcasecmp(arg, "H") != 0 && strcasecmp(arg, "LP") != 0) {
                        fprintf(stderr, "mefw check-update: --platform takes H or LP, not '%s'\n", arg);
                        return -EINVAL;
                }
                snprintf(s->platform, sizeof s->platform, "%s", strcasecmp(arg, "H") == 0 ? "H" : "LP");
                break;
        case OPT_RELEASE: {
                int prd;
                if ((k = parse_tristate("--release", arg, "prd", "pre", &prd)) < 0)
                        return k;
                s->release = prd ? MEFW_RELEASE_PRD : MEFW_RELEASE_PRE;
                break;
        }
        case OPT_LOCAL:
                return parse_tristate("--local-fwupdate", arg, "enabled", "disabled", &s->local_fwupdate);
        case OPT_TPM:
                return parse_tristate("--tpm", arg, "yes", "no", &s->tpm);
        case OPT_TCB:
                return parse_counter("--tcb-svn", arg, &s->tcb_svn);
        case OPT_ARB:
                return parse_counter("--arb-svn", arg, &s->arb_svn);
        case OPT_VCN:
                return parse_counter("--vcn", arg, &s->vcn);
        }
        return 0;
}

int cmd_check_update(int argc, char **argv) {
        static const struct option opts[] = {
                { "current", required_argument, NULL, OPT_CURRENT },
                { "machine", required_argument, NULL, OPT_MACHINE },
                { "live", no_argument, NULL, OPT_LIVE },
                { "version", required_argument, NULL, OPT_VERSION },
                { "sku", required_argument, NULL, OPT_SKU },
                { "family", required_argument, NULL, OPT_FAMILY },
                { "platform", required_argument, NULL, OPT_PLATFORM },
                { "release", required_argument, NULL, OPT_RELEASE },
                { "local-fwupdate", required_argument, NULL, OPT_LOCAL },
                { "tpm", required_argument, NULL, OPT_TPM },
                { "tcb-svn", required_argument, NULL, OPT_TCB },
                { "arb-svn", required_argument, NULL, OPT_ARB },
                { "vcn", required_argument, NULL, OPT_VCN },
                { "image", required_argument, NULL, 'i' },
                { "db", required_argument, NULL, OPT_DB },
                { "json", no_argument, NULL, 'j' },
                { "sysfs-root", required_argument, NULL, OPT_SYSFS },
                { "dev-root", required_argument, NULL, OPT_DEV },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        state_options so = { .machine = -1 };
        mefw_update_current_init(&so.cli);
        so.sysfs_root = getenv("MEFW_SYSFS_ROOT");
        so.dev_root = getenv("MEFW_DEV_ROOT");
        const char *image_opt = NULL, *db_path = NULL;
        bool json = false;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "i:jh", opts, NULL)) >= 0)
                switch (c) {
                case OPT_CURRENT:
                        so.current_path = optarg;
                        break;
                case OPT_MACHINE: {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 1 || n > MEFW_DIAG_MACHINES_MAX) {
                                fprintf(stderr, "mefw check-update: --machine takes 1 to %d\n", MEFW_DIAG_MACHINES_MAX);
                                return EXIT_USAGE;
                        }
                        so.machine = (int) n - 1;
                        break;
                }
                case OPT_LIVE:
                        so.live = true;
                        break;
                case OPT_VERSION:
                case OPT_SKU:
                case OPT_FAMILY:
                case OPT_PLATFORM:
                case OPT_RELEASE:
                case OPT_LOCAL:
                case OPT_TPM:
                case OPT_TCB:
                case OPT_ARB:
                case OPT_VCN:
                        if (state_option(&so, c, optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'i':
                        image_opt = optarg;
                        break;
                case OPT_DB:
                        db_path = optarg;
                        break;
                case 'j':
                        json = true;
                        break;
                case OPT_SYSFS:
                        so.sysfs_root = optarg;
                        break;
                case OPT_DEV:
                        so.dev_root = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        if (!image_opt && optind >= argc) {
                fprintf(stderr, "mefw check-update: no image given\n\n");
                usage(stderr);
                return EXIT_USAGE;
        }
        if (!so.cli_any && !so.current_path && !so.live) {
                fprintf(stderr, "mefw check-update: say what the machine runs: --current FILE (a dump or a pasted "
                                "MEInfo log), --live, or --version V --sku S\n");
                return EXIT_USAGE;
        }
        if (so.current_path && strcmp(so.current_path, "-") == 0 && image_opt && strcmp(image_opt, "-") == 0) {
                fprintf(stderr, "mefw check-update: standard input can be read only once\n");
                return EXIT_USAGE;
        }

        mefw_db *db = NULL;
        if (db_path && (c = cli_db_load("check-update", db_path, &db)) != 0)
                return c;

        int ret = EXIT_OK;
        candidate_list list = {};
        mefw_update_current cur;
        if ((c = build_state(&so, &cur)) != 0) {
                ret = c;
                goto out;
        }

        bool folder = false;
        /* --image first, then the positional images */
        for (int i = optind - (image_opt != NULL); i < argc && ret == EXIT_OK; i++) {
                const char *p = i < optind ? image_opt : argv[i];
                struct stat st;
                int k;
                if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
                        folder = true;
                        k = load_folder(&list, p);
                } else
                        k = load_candidate(&list, p, false);
                if (k < 0) {
                        fprintf(stderr, "mefw check-update: %s\n", strerror(-k));
                        ret = EXIT_UNREADABLE;
                }
        }
        if (ret != EXIT_OK)
                goto out;
        if (list.n == 0) {
                if (folder && !list.unreadable)
                        fprintf(stderr, "mefw check-update: no engine firmware image found (%zu files looked at)\n",
                                list.skipped);
                ret = EXIT_UNREADABLE;
                goto out;
        }
        if (list.n > 1)
                folder = true;

        for (size_t i = 0; i < list.n; i++)
                mefw_update_check_image(&cur, list.items[i].report, list.items[i].path, db, &list.items[i].check);
        if (folder)
                qsort(list.items, list.n, sizeof list.items[0], cmp_candidates);

        if (json)
                write_json(&cur, &list, folder);
        else {
                print_current(&cur);
                printf("\n");
                if (folder)
                        print_ranking(&list);
                if (folder && list.items[0].check.verdict == MEFW_VERDICT_ALLOWED)
                        printf("Best: %s\n\n", list.items[0].path);
                else if (folder)
                        printf("No candidate is allowed; the closest:\n\n");
                print_check(&list.items[0]);
        }
        ret = list.unreadable ? EXIT_UNREADABLE
              : list.items[0].check.verdict == MEFW_VERDICT_ALLOWED ? EXIT_OK
                                                                     : EXIT_PROBLEM;
out:
        candidates_free(&list);
        mefw_db_free(db);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "mefw check-update: write error on standard output\n");
                return EXIT_UNREADABLE;
        }
        return ret;
}
