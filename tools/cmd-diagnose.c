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
                "Findings come ranked: what went wrong, the lines that show it, what to do (safe steps\n"
                "first), and which lines are harmless.\n"
                "\n"
                "  -j, --json                 JSON output (inputs, machines, images, findings)\n"
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

static void print_finding(const mefw_diag_log *log, const mefw_finding *f, size_t n) {
        char head[64];
        snprintf(head, sizeof head, "%zu. ", n);
        printf("%s%s[%s]%s %s", head, sev_color(f->severity), mefw_finding_severity_name(f->severity), term_reset(),
               term_bold());
        term_print_wrapped("", "   ", f->title);
        fputs(term_reset(), stdout);
        if (f->machine >= 0 && log->n_machines > 1)
                printf("   (%s)\n", log->machines[f->machine].label);
        if (f->explanation[0])
                term_print_wrapped("   ", "   ", f->explanation);
        if (f->n_evidence) {
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
        if (f->n_remedy) {
                printf("   What to do:\n");
                for (size_t i = 0; i < f->n_remedy; i++) {
                        char first[32];
                        snprintf(first, sizeof first, "     %zu. ", i + 1);
                        term_print_wrapped(first, "        ", f->remedy[i]);
                }
        }
        char tail[1024];
        snprintf(tail, sizeof tail, "Confidence: %s.%s%s [%s]", mefw_confidence_name(f->confidence),
                 f->source[0] ? " Source: " : "", f->source, f->id);
        term_print_wrapped("   ", "   ", tail);
        putchar('\n');
}

static void print_human(const mefw_diag_log *log, const mefw_findings *fs) {
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
                       img->version[0], img->version[1], img->version[2], img->version[3], img->sku, img->chipset,
                       loc[0] ? " (" : "", loc, loc[0] ? ")" : "");
        }
        if (log->n_images)
                putchar('\n');
        size_t shown = 0, benign = 0;
        for (size_t i = 0; i < fs->n; i++)
                benign += fs->items[i].severity == MEFW_FINDING_BENIGN;
        if (fs->n == benign)
                printf("No problem found in what was read.\n\n");
        else
                printf("%sFindings, most important first:%s\n\n", term_bold(), term_reset());
        for (size_t i = 0; i < fs->n; i++)
                if (fs->items[i].severity != MEFW_FINDING_BENIGN)
                        print_finding(log, &fs->items[i], ++shown);
        if (benign) {
                printf("%sHarmless lines (nothing to fix):%s\n\n", term_bold(), term_reset());
                for (size_t i = 0; i < fs->n; i++)
                        if (fs->items[i].severity == MEFW_FINDING_BENIGN)
                                print_finding(log, &fs->items[i], ++shown);
        }
        term_print_messages(&log->messages, "");
}

int cmd_diagnose(int argc, char **argv) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "live", no_argument, NULL, 'L' },
                { "sysfs-root", required_argument, NULL, 'S' },
                { "dev-root", required_argument, NULL, 'D' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, live = false;
        const char *sysfs_root = getenv("MEFW_SYSFS_ROOT"), *dev_root = getenv("MEFW_DEV_ROOT");
        int c;
        while ((c = getopt_long(argc, argv, "jh", opts, NULL)) >= 0) {
                switch (c) {
                case 'j': json = true; break;
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
                print_human(log, &fs);
        }
        for (size_t i = 0; i < fs.n && rc == EXIT_OK; i++)
                if (fs.items[i].severity >= MEFW_FINDING_WARNING)
                        rc = EXIT_PROBLEM;
        mefw_findings_clear(&fs);
        mefw_diag_log_free(log);
        return rc;
}
