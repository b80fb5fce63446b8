/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mefw status: the ME's state as MEInfo/MEManuf print it, from this machine (sysfs and
 * /dev/meiN), from register values typed on the command line, or from a pasted tool log.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "mefw/status.h"
#include "term.h"

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw status [--json] [--check] [--verbose]\n"
                "       mefw status --hfsts HFSTS1[,HFSTS2,...] [--generation GEN] [--json] [--check]\n"
                "       mefw status --from-log FILE|- [--entry N] [--generation GEN] [--json] [--check]\n"
                "\n"
                "Show the state of the Intel Management Engine as Intel's MEInfo and MEManuf print it:\n"
                "the firmware status registers decoded for its generation, the firmware version,\n"
                "capabilities, feature state and platform type. Without --hfsts or --from-log, this\n"
                "machine's ME is read (registers through sysfs; the firmware is asked over /dev/meiN,\n"
                "which needs root).\n"
                "\n"
                "  -j, --json                 JSON output\n"
                "  -c, --check                MEManuf-style health verdicts; exit 1 when one fails\n"
                "  -v, --verbose              every decoded field, not only the lines MEInfo prints\n"
                "      --hfsts LIST           1 to 6 register values, HFSTS1 first, comma-separated\n"
                "      --generation GEN       firmware generation: 9, me9, csme12, txe3, sps4, ...\n"
                "      --from-log FILE        registers and generation from a pasted MEInfo, MEManuf,\n"
                "                             intelmetool or similar log ('-' reads standard input)\n"
                "      --entry N              which register set of the log to decode (1 = first)\n"
                "      --capabilities HEX     also decode an FW capabilities value\n"
                "      --feature-state HEX    also decode a feature state (enablement) value\n"
                "      --platform-type HEX    also decode a platform type value\n"
                "      --sysfs-root DIR       read sysfs from DIR instead of /sys (or MEFW_SYSFS_ROOT)\n"
                "      --dev-root DIR         look for meiN in DIR instead of /dev (or MEFW_DEV_ROOT)\n"
                "  -h, --help                 this text\n"
                "\n"
                "Exit codes: 0 fine, 1 a health check failed, 2 usage, 3 no ME found, no access, or\n"
                "nothing to decode in the input.\n");
}

/* "0x1E000245" or 8 hex digits, and nothing after it. */
static bool parse_u32_hex(const char *s, uint32_t *ret) {
        const char *end;
        return mefw_parse_register(s, &end, ret) == 0 && !*end;
}

static int parse_hfsts_list(const char *list, uint32_t *regs, size_t *ret_n) {
        char *copy = strdup(list), *save = NULL;
        if (!copy)
                return -ENOMEM;
        size_t n = 0;
        int r = 0;
        for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
                if (n >= MEFW_HFSTS_MAX) {
                        fprintf(stderr, "mefw status: --hfsts takes at most %d registers (HFSTS1..HFSTS6)\n",
                                MEFW_HFSTS_MAX);
                        r = -E2BIG;
                        break;
                }
                if (!parse_u32_hex(tok, &regs[n])) {
                        fprintf(stderr,
                                "mefw status: '%s' is not a 32-bit register value: write it as 0x followed by "
                                "1 to 8 hex digits (e.g. 0x1E000245)\n",
                                tok);
                        r = -EINVAL;
                        break;
                }
                n++;
        }
        free(copy);
        if (r == 0 && n == 0) {
                fprintf(stderr, "mefw status: --hfsts needs at least HFSTS1\n");
                r = -EINVAL;
        }
        if (r == 0)
                *ret_n = n;
        return r;
}

/* Which set of a log to decode: the one asked for, else the most complete that is no artifact. */
static const mefw_log_regset *pick_regset(const mefw_log_registers *lr, unsigned entry) {
        if (entry)
                return entry <= lr->n_sets ? &lr->sets[entry - 1] : NULL;
        const mefw_log_regset *best = NULL;
        for (size_t i = 0; i < lr->n_sets; i++) {
                const mefw_log_regset *s = &lr->sets[i];
                bool artifact = s->driver_error && s->hfsts[0] == 0;
                bool best_artifact = best && best->driver_error && best->hfsts[0] == 0;
                if (!best || (best_artifact && !artifact) || (artifact == best_artifact && s->n_hfsts > best->n_hfsts))
                        best = s;
        }
        return best;
}

static void note_other_sets(mefw_status *s, const mefw_log_registers *lr, const mefw_log_regset *picked) {
        if (lr->n_sets < 2)
                return;
        char list[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < lr->n_sets && used < sizeof list - 40; i++) {
                const mefw_log_regset *o = &lr->sets[i];
                if (o == picked)
                        continue;
                used += (size_t) snprintf(list + used, sizeof list - used, "%s%zu (line %u, %s 0x%08" PRIX32 ")",
                                          used ? ", " : "", i + 1, o->line[0], o->tool ? o->tool : "?", o->hfsts[0]);
        }
        mefw_messages_add(&s->messages, MEFW_NOTE, "status-log-other-sets", -1,
                          "The log holds %zu register sets%s; decoded set %zu (line %u). The others: %s. Choose "
                          "one with --entry N.",
                          lr->n_sets, lr->dropped ? " (and more past the limit)" : "",
                          (size_t) (picked - lr->sets) + 1, picked->line[0], list);
}

static int status_from_log(const char *path, unsigned entry, const mefw_generation *g, mefw_status **ret) {
        const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
        cli_text in;
        int r = cli_text_load(path, &in);
        if (r < 0) {
                fprintf(stderr, "mefw status: cannot read %s: %s\n", name,
                        r == -EFBIG ? "too large for a log" : strerror(-r));
                return EXIT_UNREADABLE;
        }
        mefw_log_registers *lr = calloc(1, sizeof *lr);
        r = lr ? mefw_status_log_scan(in.data, in.size, lr) : -ENOMEM;
        cli_text_done(&in);
        if (r < 0) {
                free(lr);
                fprintf(stderr, "mefw status: out of memory\n");
                return EXIT_UNREADABLE;
        }
        if (lr->n_sets == 0) {
                fprintf(stderr,
                        "mefw status: no status registers in %s (looked for MEInfo/MEManuf 'FW Status Register' "
                        "lines, intelmetool 'ME Status' lines and HFSTSn values in %zu lines)\n",
                        name, lr->n_lines);
                free(lr);
                return EXIT_UNREADABLE;
        }
        const mefw_log_regset *set = pick_regset(lr, entry);
        if (!set) {
                fprintf(stderr, "mefw status: --entry %u: the log holds %zu register sets\n", entry, lr->n_sets);
                free(lr);
                return EXIT_USAGE;
        }
        r = mefw_status_from_regset(set, g, ret);
        if (r == 0)
                note_other_sets(*ret, lr, set);
        free(lr);
        if (r < 0) {
                fprintf(stderr, "mefw status: %s\n", strerror(-r));
                return EXIT_UNREADABLE;
        }
        return EXIT_OK;
}

static int status_live(const char *sysfs_root, const char *dev_root, mefw_status **ret) {
        mefw_live_options opt = { .sysfs_root = sysfs_root, .dev_root = dev_root };
        int r = mefw_status_live(&opt, ret);
        if (r == 0)
                return EXIT_OK;
        if (r == -ENODEV)
                fprintf(stderr,
                        "mefw status: no Intel ME interface on this machine (no MEI PCI function in %s/bus/pci): "
                        "this is not an Intel machine, or a virtual machine, or the BIOS hid or disabled the ME.\n"
                        "Use --hfsts or --from-log to decode values read elsewhere.\n",
                        sysfs_root ? sysfs_root : "/sys");
        else if (r == -EACCES)
                fprintf(stderr,
                        "mefw status: the ME's registers can only be read by root here (PCI config space beyond "
                        "64 bytes, no mei driver fw_status file): run it with sudo.\n");
        else
                fprintf(stderr, "mefw status: could not read the ME's registers: %s\n", strerror(-r));
        return EXIT_UNREADABLE;
}

/* ---- Human output ------------------------------------------------------------------------ */

static void print_version(const char *label, const mefw_fw_version *v) {
        if (v->set)
                printf("%s: %u.%u.%u.%u\n", label, v->major, v->minor, v->hotfix, v->build);
}

static void print_capabilities(const mefw_status *s) {
        if (!s->capabilities.set && !s->feature_state.set)
                return;
        if (s->capabilities.set)
                printf("FW Capabilities: 0x%08" PRIX32 "\n", s->capabilities.value);
        if (s->feature_state.set)
                printf("Feature enablement: 0x%08" PRIX32 "\n", s->feature_state.value);
        size_t n;
        const mefw_bit_name *names = mefw_capability_names(&s->generation, &n);
        uint32_t caps = s->capabilities.set ? s->capabilities.value : s->feature_state.value;
        uint32_t named = 0;
        for (size_t i = 0; i < n; i++) {
                uint32_t bit = UINT32_C(1) << names[i].bit;
                named |= bit;
                const char *state = !(caps & bit)                                  ? "NOT PRESENT"
                                    : !s->feature_state.set                        ? "PRESENT"
                                    : (s->feature_state.value & bit) ? "PRESENT/ENABLED"
                                                                                   : "PRESENT/DISABLED";
                printf("%s - %s\n", names[i].name, state);
        }
        if (caps & ~named) {
                printf("Unnamed bits set:");
                for (unsigned b = 0; b < 32; b++)
                        if ((caps & ~named) & (UINT32_C(1) << b))
                                printf(" %u", b);
                printf("\n");
        }
}

static void print_human(const mefw_status *s, bool verbose, bool check) {
        const char *b = term_bold(), *r = term_reset();
        printf("%sSource:%s %s", b, r, s->source ? s->source : "?");
        if (s->generation.family && s->generation.major)
                printf(" | generation %s %u", s->generation.family, s->generation.major);
        else if (s->generation.family)
                printf(" | generation %s", s->generation.family);
        printf(" | layout %s\n", mefw_status_layout_name(s->layout));
        if (s->pci_slot[0])
                printf("%sMEI device:%s %s [8086:%04X]%s%s\n", b, r, s->pci_slot, s->pci_device,
                       s->pci_chipset ? " " : "", s->pci_chipset ? s->pci_chipset : "");
        for (unsigned i = 0; i < s->n_hfsts; i++)
                printf("FW Status Register%u: 0x%08" PRIX32 "\n", i + 1, s->hfsts[i]);
        size_t hidden = 0;
        for (size_t i = 0; i < s->n_fields; i++) {
                if (!s->fields[i].meinfo && !verbose) {
                        hidden++;
                        continue;
                }
                printf("%s: %s\n", s->fields[i].name, s->fields[i].value);
        }
        if (hidden)
                printf("(%zu more decoded fields with --verbose)\n", hidden);

        if (s->code.set || s->recovery.set || s->fitc.set) {
                printf("\n");
                print_version("FW Version", &s->code);
                print_version("Recovery Version", &s->recovery);
                print_version("FITC Version", &s->fitc);
        }
        if (s->capabilities.set || s->feature_state.set) {
                printf("\n");
                print_capabilities(s);
        }
        if (s->platform_type.set) {
                printf("\nPlatform type: 0x%08" PRIX32 "\n", s->platform_type.value);
                mefw_named_value pt[8];
                size_t n = mefw_platform_type_describe(s->platform_type.value, &s->generation, pt, 8);
                for (size_t i = 0; i < n; i++)
                        printf("%s: %s\n", pt[i].name, pt[i].value);
        }
        if (s->n_amt || s->bios_version[0]) {
                printf("\nIntel(R) AMT code versions:\n");
                if (s->bios_version[0])
                        printf("BIOS Version: %s\n", s->bios_version);
                for (size_t i = 0; i < s->n_amt; i++)
                        printf("%s: %s\n", s->amt[i].name, s->amt[i].value);
        }
        if (check) {
                printf("\n%sHealth check%s\n", b, r);
                for (size_t i = 0; i < s->n_checks; i++) {
                        const mefw_status_check *c = &s->checks[i];
                        mefw_severity sev = c->verdict == MEFW_CHECK_FAIL   ? MEFW_ERROR
                                            : c->verdict == MEFW_CHECK_WARN ? MEFW_WARNING
                                                                            : MEFW_NOTE;
                        printf("  %s%-7s%s %s: %s\n", c->verdict == MEFW_CHECK_PASS ? "" : term_sev_color(sev),
                               mefw_check_verdict_name(c->verdict), term_reset(), c->title, c->reason);
                }
        }
        if (s->messages.count) {
                printf("\n");
                term_print_messages(&s->messages, "");
        }
}

int cmd_status(int argc, char **argv) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "check", no_argument, NULL, 'c' },
                { "verbose", no_argument, NULL, 'v' },
                { "hfsts", required_argument, NULL, 'H' },
                { "generation", required_argument, NULL, 'g' },
                { "from-log", required_argument, NULL, 'l' },
                { "entry", required_argument, NULL, 'e' },
                { "capabilities", required_argument, NULL, 'C' },
                { "feature-state", required_argument, NULL, 'F' },
                { "platform-type", required_argument, NULL, 'P' },
                { "sysfs-root", required_argument, NULL, 'S' },
                { "dev-root", required_argument, NULL, 'D' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, check = false, verbose = false;
        const char *hfsts = NULL, *gen_text = NULL, *log = NULL;
        const char *sysfs_root = getenv("MEFW_SYSFS_ROOT"), *dev_root = getenv("MEFW_DEV_ROOT");
        unsigned entry = 0;
        mefw_opt_u32 caps = {}, features = {}, platform = {};
        int c;
        while ((c = getopt_long(argc, argv, "jcvh", opts, NULL)) >= 0) {
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 'c':
                        check = true;
                        break;
                case 'v':
                        verbose = true;
                        break;
                case 'H':
                        hfsts = optarg;
                        break;
                case 'g':
                        gen_text = optarg;
                        break;
                case 'l':
                        log = optarg;
                        break;
                case 'e': {
                        char *end;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (*end || v == 0 || v > MEFW_LOG_REGSETS_MAX) {
                                fprintf(stderr, "mefw status: --entry takes a number from 1 to %d\n",
                                        MEFW_LOG_REGSETS_MAX);
                                return EXIT_USAGE;
                        }
                        entry = (unsigned) v;
                        break;
                }
                case 'C':
                case 'F':
                case 'P': {
                        mefw_opt_u32 *dst = c == 'C' ? &caps : c == 'F' ? &features : &platform;
                        if (!parse_u32_hex(optarg, &dst->value)) {
                                fprintf(stderr, "mefw status: '%s' is not a 32-bit hex value (e.g. 0x41101960)\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        dst->set = true;
                        break;
                }
                case 'S':
                        sysfs_root = optarg;
                        break;
                case 'D':
                        dev_root = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "mefw status: unexpected argument '%s'\n", argv[optind]);
                usage(stderr);
                return EXIT_USAGE;
        }
        if (hfsts && log) {
                fprintf(stderr, "mefw status: give --hfsts or --from-log, not both\n");
                return EXIT_USAGE;
        }
        if (entry && !log) {
                fprintf(stderr, "mefw status: --entry only applies to --from-log\n");
                return EXIT_USAGE;
        }
        mefw_generation gen = {};
        if (gen_text && mefw_generation_parse(gen_text, &gen) < 0) {
                fprintf(stderr,
                        "mefw status: unknown generation '%s': give a major version (9, 11, 16) optionally "
                        "prefixed by me, csme, txe, cstxe, sps or cssps\n",
                        gen_text);
                return EXIT_USAGE;
        }

        mefw_status *s = NULL;
        int rc;
        if (hfsts) {
                uint32_t regs[MEFW_HFSTS_MAX];
                size_t n;
                if (parse_hfsts_list(hfsts, regs, &n) < 0)
                        return EXIT_USAGE;
                rc = mefw_status_decode(regs, n, gen_text ? &gen : NULL, &s) < 0 ? EXIT_UNREADABLE : EXIT_OK;
        } else if (log)
                rc = status_from_log(log, entry, gen_text ? &gen : NULL, &s);
        else {
                rc = status_live(sysfs_root, dev_root, &s);
                if (rc == EXIT_OK && gen_text) {
                        s->generation = gen;
                        s->generation_inferred = false;
                        mefw_status_refresh(s);
                }
        }
        if (rc != EXIT_OK)
                return rc;
        if (caps.set)
                s->capabilities = caps;
        if (features.set)
                s->feature_state = features;
        if (platform.set)
                s->platform_type = platform;

        if (json) {
                mefw_json j;
                mefw_json_init(&j, true);
                mefw_status_write_json(s, &j);
                if (!mefw_json_ok(&j)) {
                        fprintf(stderr, "mefw status: could not build the JSON output\n");
                        mefw_json_free(&j);
                        mefw_status_free(s);
                        return EXIT_UNREADABLE;
                }
                term_json_emit(&j);
                mefw_json_free(&j);
        } else
                print_human(s, verbose, check);

        rc = check && mefw_status_worst_check(s) == MEFW_CHECK_FAIL ? EXIT_PROBLEM : EXIT_OK;
        mefw_status_free(s);
        return rc;
}
