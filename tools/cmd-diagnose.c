/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw diagnose: read what people paste after a failed ME update (MEInfo, MEManuf, FWUpdLcl,
 * FPT, ME Analyzer, HWiNFO, intelmetool, dmesg), and firmware images and this machine's state,
 * and say which lines matter, which are harmless, what went wrong and what to do, in order.
 * The human output is plain text that can be pasted back into a forum post.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "mefw/diagnose.h"
#include "term.h"


static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw diagnose [--json] FILE... | -\n"
                "       mefw diagnose [--json] --live [FILE...]\n"
                "\n"
                "Explain a failed ME/AMT firmware update from what people paste: the output of Intel's\n"
                "MEInfo, MEManuf, FWUpdLcl/FWUpdate and FPT, ME Analyzer's tables, HWiNFO's ME section,\n"
                "coreboot's intelmetool, Linux dmesg, fwupd and sysfs, BIOS and POST messages, and the\n"
                "person's own words (symptoms, what was tried, the hardware), for one machine or several.\n"
                "Firmware images among the FILEs are analyzed and compared with the machine's firmware.\n"
                "The answer comes first: the verdict (the cause an expert would name) and the first step,\n"
                "then the plan with its safety warnings, then the other findings, ranked.\n"
                "\n"
                "  -j, --json                 JSON output (inputs, machines, images, access, findings)\n"
                "  -v, --verbose              also the machines, images, evidence lines, harmless lines and\n"
                "                             sources (the default is the answer and the findings)\n"
                "      --live                 add this machine's ME state (as 'mefw status' reads it)\n"
                "      --sysfs-root DIR       with --live: sysfs in DIR (or MEFW_SYSFS_ROOT)\n"
                "      --dev-root DIR         with --live: meiN devices in DIR (or MEFW_DEV_ROOT)\n"
                "  -h, --help                 this text\n"
                "\n"
                "'-' reads standard input (at most 64 MiB).\n"
                "Exit codes: 0 only harmless or informational findings, 1 a warning or error finding (a post\n"
                "that reports a failure always has one), 2 usage, 3 an input cannot be read, or --live finds\n"
                "no ME.\n");
}

/* Firmware images are binary; logs are text, even damaged. A sample of the start decides. */
static bool looks_binary(const char *data, size_t size) {
        size_t n = size < 65536 ? size : 65536, odd = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) data[i];
                if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0xFF)
                        odd++;
        }
        return n && odd * 10 > n;
}

static int add_input(mefw_diag_log *log, const char *path) {
        const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
        cli_text in;
        int r = cli_text_load(path, &in);
        if (r < 0) {
                fprintf(stderr, "mefw diagnose: cannot read %s: %s\n", name,
                        r == -EFBIG ? "more than 64 MiB on standard input" : strerror(-r));
                return EXIT_UNREADABLE;
        }
        if (looks_binary(in.data, in.size)) {
                mefw_report *rep = NULL;
                r = mefw_analyze_buffer((const uint8_t *) in.data, in.size, name, &rep);
                if (r == 0 && rep->fw.family) {
                        r = mefw_diag_add_image(log, rep, name);
                        mefw_report_free(rep);
                        cli_text_done(&in);
                        goto done;
                }
                mefw_report_free(rep);
        }
        r = mefw_diag_read_text(log, in.data, in.size, name);
        cli_text_done(&in);
done:
        if (r == -E2BIG) {
                fprintf(stderr, "mefw diagnose: at most %d inputs\n", MEFW_DIAG_INPUTS_MAX);
                return EXIT_USAGE;
        }
        if (r < 0) {
                fprintf(stderr, "mefw diagnose: %s: %s\n", name, strerror(-r));
                return EXIT_UNREADABLE;
        }
        return EXIT_OK;
}

static int add_live(mefw_diag_log *log, const char *sysfs_root, const char *dev_root) {
        mefw_live_options opt = { .sysfs_root = sysfs_root, .dev_root = dev_root };
        mefw_status *s = NULL;
        int r = mefw_status_live(&opt, &s);
        if (r == -ENODEV) {
                fprintf(stderr, "mefw diagnose: --live: no Intel ME interface on this machine (not an Intel machine, a "
                                "virtual machine, or the BIOS hid or disabled the ME)\n");
                return EXIT_UNREADABLE;
        }
        if (r == -EACCES) {
                fprintf(stderr, "mefw diagnose: --live: the ME's registers can only be read by root here; run it with sudo\n");
                return EXIT_UNREADABLE;
        }
        if (r < 0) {
                fprintf(stderr, "mefw diagnose: --live: %s\n", strerror(-r));
                return EXIT_UNREADABLE;
        }
        r = mefw_diag_add_live(log, s);
        mefw_status_free(s);
        if (r < 0) {
                fprintf(stderr, "mefw diagnose: --live: %s\n", strerror(-r));
                return EXIT_UNREADABLE;
        }
        return EXIT_OK;
}

/* ---- Human output ------------------------------------------------------------------------ */

static const char *where(const mefw_diag_log *log, mefw_diag_loc at, char *buf, size_t cap) {
        if (log->n_inputs > 1)
                snprintf(buf, cap, "%s:%u", log->inputs[at.input].name, at.line);
        else
                snprintf(buf, cap, "line %u", at.line);
        return buf;
}

static const char *sev_color(mefw_finding_severity s) {
        switch (s) {
        case MEFW_FINDING_ERROR: return term_sev_color(MEFW_ERROR);
        case MEFW_FINDING_WARNING: return term_sev_color(MEFW_WARNING);
        default: return term_sev_color(MEFW_NOTE);
        }
}

static void print_machine(const mefw_diag_log *log, size_t mi) {
        const mefw_diag_machine *m = &log->machines[mi];
        printf("%s%s%s\n", term_bold(), m->label, term_reset());
        /* The tools seen, in order, once each with a count. */
        char tools[400] = "";
        for (size_t i = 0; i < log->n_runs; i++) {
                const mefw_diag_run *r = &log->runs[i];
                if (r->machine != (int) mi || r->kind == MEFW_RUN_MEA || r->kind == MEFW_RUN_UNKNOWN)
                        continue;
                char item[80];
                snprintf(item, sizeof item, "%s%s%s%s%s", r->tool[0] ? r->tool : mefw_run_kind_name(r->kind),
                         r->version[0] ? " " : "", r->version, r->environment ? " on " : "",
                         r->environment ? r->environment : "");
                if (strstr(tools, item))
                        continue;
                size_t n = strlen(tools);
                snprintf(tools + n, sizeof tools - n, "%s%s", n ? ", " : "", item);
        }
        if (tools[0])
                term_print_wrapped("  Tools: ", "         ", tools);
        static const struct {
                const char *fact, *label;
        } shown[] = {
                { "firmware-version", "Firmware" }, { "sku", "SKU" }, { "bios-version", "BIOS" }, { "board", "Board" },
                { "local-fwupdate", "Local FWUpdate" }, { "host-write-me", "Host write access to ME" },
                { "hmrfpo", "HMRFPO" }, { "tpm-mode", "TPM" }, { "phase", "Phase" }, { "icc", "ICC" },
        };
        for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
                const mefw_diag_fact *f = mefw_diag_fact_get(m, shown[i].fact);
                if (!f)
                        continue;
                char loc[128];
                printf("  %s: %s (%s)\n", shown[i].label, f->value, where(log, f->at, loc, sizeof loc));
        }
        if (m->status && m->status->n_hfsts) {
                printf("  Status registers:");
                for (unsigned i = 0; i < m->status->n_hfsts; i++)
                        printf(" 0x%08X", m->status->hfsts[i]);
                bool artifact = m->status_set >= 0 && log->regsets[m->status_set].set.driver_error;
                printf(" (%s layout%s)\n", mefw_status_layout_name(m->status->layout),
                       artifact ? "; read after a driver failure, not real" : "");
        }
}

/* The machines a finding is about: "machine 2", or "machines 1 and 2" for one said of several. */
static void machines_label(const mefw_diag_log *log, const mefw_findings *fs, size_t fi, char *buf, size_t cap) {
        const mefw_finding *f = &fs->items[fi];
        buf[0] = 0;
        if (log->n_machines < 2 || f->machine < 0)
                return;
        size_t n = 0;
        int first = f->machine;
        char list[64] = "";
        for (size_t i = 0; i < fs->n; i++) {
                const mefw_finding *o = &fs->items[i];
                if (o->machine < 0 || strcmp(o->id, f->id) != 0 || (i != fi && strcmp(o->title, f->title) != 0 &&
                                                                     o->machine == first))
                        continue;
                size_t l = strlen(list);
                if (!strstr(list, "") || l + 8 < sizeof list)
                        snprintf(list + l, sizeof list - l, "%s%d", l ? ", " : "", o->machine + 1);
                n++;
        }
        if (n > 1)
                snprintf(buf, cap, "machines %s", list);
        else
                snprintf(buf, cap, "%s", log->machines[first].label);
}

/* Whether an earlier finding already said the same about another machine ("both PCs"). */
static bool said_before(const mefw_findings *fs, size_t fi) {
        for (size_t i = 0; i < fi; i++)
                if (strcmp(fs->items[i].id, fs->items[fi].id) == 0 && fs->items[i].machine != fs->items[fi].machine)
                        return true;
        return false;
}

static void print_evidence(const mefw_diag_log *log, const mefw_finding *f) {
        if (!f->n_evidence)
                return;
        printf("   Evidence:\n");
        for (size_t i = 0; i < f->n_evidence; i++) {
                char loc[128], first[160];
                /* The person's own words are said to be theirs, never shown as a tool's output. */
                const char *who = f->evidence[i].person ? "you wrote: " : "";
                if (f->evidence[i].at.line)
                        snprintf(first, sizeof first, "     %s: %s", where(log, f->evidence[i].at, loc, sizeof loc), who);
                else
                        snprintf(first, sizeof first, "     %s", who);
                term_print_wrapped(first, "       ", f->evidence[i].text);
        }
}

static void print_numbered(const char *heading, const char *const *items, size_t n) {
        if (!n)
                return;
        printf("   %s\n", heading);
        for (size_t i = 0; i < n; i++) {
                char first[32];
                snprintf(first, sizeof first, "     %zu. ", i + 1);
                term_print_wrapped(first, "        ", items[i]);
        }
}

static void print_finding(const mefw_diag_log *log, const mefw_findings *fs, size_t fi, size_t n, bool verbose) {
        const mefw_finding *f = &fs->items[fi];
        char head[64];
        snprintf(head, sizeof head, "%zu. ", n);
        printf("%s%s[%s]%s %s", head, sev_color(f->severity), mefw_finding_severity_name(f->severity), term_reset(),
               term_bold());
        term_print_wrapped("", "   ", f->title);
        fputs(term_reset(), stdout);
        char machines[96];
        machines_label(log, fs, fi, machines, sizeof machines);
        if (machines[0])
                printf("   (%s)\n", machines);
        if (f->explanation[0])
                term_print_wrapped("   ", "   ", f->explanation);
        if (verbose)
                print_evidence(log, f);
        const char *remedies[MEFW_FINDING_REMEDY_MAX];
        for (size_t i = 0; i < f->n_remedy; i++)
                remedies[i] = f->remedy[i];
        print_numbered("What to do:", remedies, f->n_remedy);
        if (verbose) {
                char tail[1024];
                snprintf(tail, sizeof tail, "Confidence: %s.%s%s [%s]", mefw_confidence_name(f->confidence),
                         f->source[0] ? " Source: " : "", f->source, f->id);
                term_print_wrapped("   ", "   ", tail);
        } else
                printf("   [%s]\n", f->id);
        putchar('\n');
}

/* The answer first: the cause, the first thing to do, the plan and what to watch out for. */
static void print_verdict(const mefw_diag_log *log, const mefw_findings *fs, bool verbose) {
        const mefw_finding *v = &fs->items[0];
        printf("%s", term_bold());
        term_print_wrapped("Verdict: ", "         ", v->title);
        printf("%s", term_reset());
        if (v->n_steps)
                term_print_wrapped("First step: ", "            ", v->steps[0].text);
        if (fs->access && strcmp(fs->access, "unknown") != 0)
                printf("Host write access to the ME region: %s (%s)\n", fs->access,
                       fs->access_because ? fs->access_because : "");
        putchar('\n');
        if (v->explanation[0])
                term_print_wrapped("   ", "   ", v->explanation);
        if (verbose)
                print_evidence(log, v);
        /* the first step is said above; the plan goes on from the second */
        for (size_t i = 1; i < v->n_steps; i++) {
                if (i == 1)
                        printf("   Then:\n");
                char first[32];
                snprintf(first, sizeof first, "     %zu. ", i + 1);
                term_print_wrapped(first, "        ", v->steps[i].text);
        }
        if (v->n_done) {
                char done[256] = "";
                for (size_t i = 0; i < v->n_done; i++) {
                        size_t l = strlen(done);
                        snprintf(done + l, sizeof done - l, "%s%s", i ? ", " : "", v->done[i]);
                }
                term_print_wrapped("   Already done, so left out: ", "   ", done);
        }
        /* a rule's finding behind the verdict says what to do for this very machine */
        const char *remedies[MEFW_FINDING_REMEDY_MAX];
        for (size_t i = 0; i < v->n_remedy; i++)
                remedies[i] = v->remedy[i];
        if (!v->n_steps || verbose) /* the plan, worded for this machine, says it otherwise */
                print_numbered(v->n_steps ? "The finding's own advice:" : "What to do:", remedies, v->n_remedy);
        const char *warnings[MEFW_FINDING_WARNINGS_MAX];
        size_t nw = 0;
        for (size_t i = 0; i < v->n_warnings; i++)
                if ((warnings[nw] = mefw_diag_warning_text(v->warnings[i])))
                        nw++;
        if (nw) {
                printf("   Take care:\n");
                for (size_t i = 0; i < nw; i++)
                        term_print_wrapped("     - ", "       ", warnings[i]);
        }
        if (verbose) {
                char tail[1024];
                snprintf(tail, sizeof tail, "%s%s [%s]", v->source[0] ? "Source: " : "", v->source, v->id);
                term_print_wrapped("   ", "   ", tail);
        } else
                printf("   [%s]\n", v->id);
        putchar('\n');
}

static void print_human(const mefw_diag_log *log, const mefw_findings *fs, bool verbose) {
        size_t first = 0;
        if (fs->has_verdict && fs->n) {
                print_verdict(log, fs, verbose);
                first = 1;
        }
        if (verbose) {
                for (size_t i = 0; i < log->n_inputs; i++)
                        printf("Read %s: %s, %zu lines, %zu understood\n", log->inputs[i].name, log->inputs[i].kind,
                               log->inputs[i].n_lines, log->inputs[i].n_recognized);
                putchar('\n');
                for (size_t i = 0; i < log->n_machines; i++)
                        print_machine(log, i);
                if (log->n_machines)
                        putchar('\n');
                for (size_t i = 0; i < log->n_images; i++) {
                        const mefw_diag_image *img = &log->images[i];
                        char loc[128] = "";
                        if (img->at.line)
                                where(log, img->at, loc, sizeof loc);
                        printf("Image %s: %s %u.%u.%u.%u %s %s%s%s%s\n", img->name, img->family[0] ? img->family : "?",
                               img->version[0], img->version[1], img->version[2], img->version[3], img->sku,
                               img->chipset, loc[0] ? " (" : "", loc, loc[0] ? ")" : "");
                }
                if (log->n_images)
                        putchar('\n');
        }
        size_t shown = 0, benign = 0, hidden_info = 0, evidence = 0;
        for (size_t i = 0; i < fs->n; i++) {
                benign += fs->items[i].severity == MEFW_FINDING_BENIGN;
                evidence += fs->items[i].n_evidence;
        }
        if (fs->n == benign && !fs->has_verdict)
                printf("No problem found in what was read.\n\n");
        else if (first < fs->n && fs->n - first > benign)
                printf("%s%s:%s\n", term_bold(), fs->has_verdict ? "Also found, most important first" : "Findings, most important first",
                       term_reset());
        for (size_t i = first; i < fs->n; i++) {
                const mefw_finding *f = &fs->items[i];
                if (f->severity == MEFW_FINDING_BENIGN)
                        continue;
                if (!verbose && (said_before(fs, i) || f->absorbed))
                        continue; /* said once for all its machines, or by the verdict */
                if (!verbose && f->severity == MEFW_FINDING_INFO && (!fs->has_verdict || i > 0)) {
                        /* informational: its title is enough unless asked for more */
                        char line[256];
                        snprintf(line, sizeof line, "%zu. [info] ", ++shown);
                        term_print_wrapped(line, "   ", f->title);
                        hidden_info++;
                        continue;
                }
                print_finding(log, fs, i, ++shown, verbose);
        }
        if (hidden_info)
                putchar('\n');
        if (benign && verbose) {
                printf("%sHarmless lines (nothing to fix):%s\n\n", term_bold(), term_reset());
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->items[i].severity == MEFW_FINDING_BENIGN)
                                print_finding(log, fs, i, ++shown, verbose);
        } else if (benign || evidence)
                printf("%zu harmless line%s, %zu evidence line%s and the sources not shown: --verbose lists them.\n",
                       benign, benign == 1 ? "" : "s", evidence, evidence == 1 ? "" : "s");
        term_print_messages(&log->messages, "");
}

int cmd_diagnose(int argc, char **argv) {
        /* the answer is prose people paste into a forum: saved, it keeps 96 columns (shorter) */
        term_set_default_width(96);
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "verbose", no_argument, NULL, 'v' },
                { "live", no_argument, NULL, 'L' },
                { "sysfs-root", required_argument, NULL, 'S' },
                { "dev-root", required_argument, NULL, 'D' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, live = false, verbose = false;
        const char *sysfs_root = getenv("MEFW_SYSFS_ROOT"), *dev_root = getenv("MEFW_DEV_ROOT");
        int c;
        while ((c = getopt_long(argc, argv, "jvh", opts, NULL)) >= 0) {
                switch (c) {
                case 'j': json = true; break;
                case 'v': verbose = true; break;
                case 'L': live = true; break;
                case 'S': sysfs_root = optarg; break;
                case 'D': dev_root = optarg; break;
                case 'h': usage(stdout); return EXIT_OK;
                default: usage(stderr); return EXIT_USAGE;
                }
        }
        if (optind >= argc && !live) {
                fprintf(stderr, "mefw diagnose: give the log files to read ('-' for standard input), or --live\n");
                usage(stderr);
                return EXIT_USAGE;
        }
        if (argc - optind > MEFW_DIAG_INPUTS_MAX) {
                fprintf(stderr, "mefw diagnose: at most %d inputs\n", MEFW_DIAG_INPUTS_MAX);
                return EXIT_USAGE;
        }
        mefw_diag_log *log = NULL;
        if (mefw_diag_log_new(&log) < 0) {
                fprintf(stderr, "mefw diagnose: out of memory\n");
                return EXIT_UNREADABLE;
        }
        int rc = EXIT_OK;
        for (int i = optind; i < argc && rc == EXIT_OK; i++)
                rc = add_input(log, argv[i]);
        if (rc == EXIT_OK && live)
                rc = add_live(log, sysfs_root, dev_root);
        mefw_findings fs = {};
        if (rc == EXIT_OK && mefw_diag_reason(log, mefw_kb_builtin(), &fs) < 0) {
                fprintf(stderr, "mefw diagnose: out of memory\n");
                rc = EXIT_UNREADABLE;
        }
        if (rc != EXIT_OK) {
                mefw_diag_log_free(log);
                return rc;
        }
        if (json) {
                mefw_json j;
                mefw_json_init(&j, true);
                mefw_diag_write_json(log, &fs, &j);
                if (!mefw_json_ok(&j)) {
                        fprintf(stderr, "mefw diagnose: could not build the JSON output\n");
                        rc = EXIT_UNREADABLE;
                } else
                        term_json_emit(&j);
                mefw_json_free(&j);
        } else {
                print_human(log, &fs, verbose);
        }
        for (size_t i = 0; i < fs.n && rc == EXIT_OK; i++)
                if (fs.items[i].severity >= MEFW_FINDING_WARNING)
                        rc = EXIT_PROBLEM;
        mefw_findings_clear(&fs);
        mefw_diag_log_free(log);
        return rc;
}
