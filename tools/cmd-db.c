/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mefw db: what the firmware database holds; check a database file; export the built-in one. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "mefw/db.h"
#include "term.h"

static void usage(FILE *f) {
        fprintf(f, "Usage: mefw db [--db FILE] [--json]\n"
                   "       mefw db --export > FILE\n"
                   "\n"
                   "Say what the firmware database holds (known builds, security advisories, Intel keys).\n"
                   "With --db, FILE is checked: every line it skips is named, and its sections replace the\n"
                   "built-in ones. --export prints the built-in database as a starting point for a file of\n"
                   "your own (sections: [builds], [advisories], [keys]); give it with --db to analyze and\n"
                   "check-update.\n"
                   "\n"
                   "Exit codes: 0 ok, 1 the file has lines that were skipped, 2 usage, 3 unreadable file.\n");
}

int cmd_db(int argc, char **argv) {
        static const struct option opts[] = {
                { "db", required_argument, NULL, 'D' },
                { "export", no_argument, NULL, 'e' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *path = NULL;
        bool json = false, export = false;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "jh", opts, NULL)) >= 0)
                switch (c) {
                case 'D':
                        path = optarg;
                        break;
                case 'e':
                        export = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        if (optind < argc || (export && (path || json))) {
                usage(stderr);
                return EXIT_USAGE;
        }
        if (export) {
                const char *parts[4];
                size_t sizes[4], n;
                mefw_db_builtin_text(parts, sizes, &n);
                for (size_t i = 0; i < n; i++)
                        fwrite(parts[i], 1, sizes[i], stdout);
                return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_UNREADABLE;
        }

        const mefw_db *db = mefw_db_builtin();
        mefw_db *loaded = NULL;
        mefw_messages diag = {};
        if (path) {
                cli_text t;
                int k = cli_text_load(path, &t);
                if (k < 0) {
                        fprintf(stderr, "mefw db: cannot read %s: %s\n", path, strerror(-k));
                        return EXIT_UNREADABLE;
                }
                k = mefw_db_parse(t.data, t.size, &loaded, &diag);
                cli_text_done(&t);
                if (k < 0 && k != -EINVAL) {
                        fprintf(stderr, "mefw db: %s: %s\n", path, strerror(-k));
                        mefw_messages_clear(&diag);
                        return EXIT_UNREADABLE;
                }
                if (loaded)
                        db = loaded;
        }
        size_t ranges = 0;
        for (size_t i = 0; i < mefw_db_n_advisories(db); i++) {
                const mefw_advisory *a = mefw_db_advisory(db, i);
                bool first = true;
                for (size_t k = 0; k < i && first; k++)
                        if (strcmp(mefw_db_advisory(db, k)->id, a->id) == 0)
                                first = false;
                ranges += first;
        }
        int ret = diag.count ? EXIT_PROBLEM : EXIT_OK;
        if (json) {
                mefw_json j;
                mefw_json_init(&j, true);
                mefw_json_begin_object(&j);
                mefw_json_kv_string(&j, "source", path ? path : "built-in");
                mefw_json_kv_bool(&j, "usable", path == NULL || loaded != NULL);
                mefw_json_kv_uint(&j, "builds", mefw_db_n_builds(db));
                mefw_json_kv_uint(&j, "advisories", ranges);
                mefw_json_kv_uint(&j, "advisory_rows", mefw_db_n_advisories(db));
                mefw_json_kv_uint(&j, "keys", mefw_db_n_keys(db));
                mefw_messages_write_json(&j, &diag);
                mefw_json_end_object(&j);
                if (mefw_json_ok(&j))
                        term_json_emit(&j);
                mefw_json_free(&j);
        } else {
                printf("%s%s%s\n", term_bold(), path ? path : "built-in database", term_reset());
                if (path && !loaded)
                        printf("  not usable: it has no [builds], [advisories] or [keys] section it could read\n");
                else {
                        printf("  %-12s %zu\n", "builds", mefw_db_n_builds(db));
                        printf("  %-12s %zu (%zu rows)\n", "advisories", ranges, mefw_db_n_advisories(db));
                        printf("  %-12s %zu\n", "keys", mefw_db_n_keys(db));
                }
                term_print_messages(&diag, "  ");
        }
        if (path && !loaded)
                ret = EXIT_UNREADABLE;
        mefw_messages_clear(&diag);
        mefw_db_free(loaded);
        return fflush(stdout) == 0 && !ferror(stdout) ? ret : EXIT_UNREADABLE;
}
