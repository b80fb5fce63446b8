/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mefw analyze [--json] [--verbose] FILE|DIR... */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "guard.h"
#include "mefw/db.h"
#include "term.h"

#define WALK_MAX_DEPTH 32
#define WALK_MAX_FILES 100000

typedef struct {
        char **paths;
        size_t n, cap;
        bool truncated;
} path_list;

static int path_list_add(path_list *l, const char *p) {
        if (l->n >= WALK_MAX_FILES) {
                l->truncated = true;
                return 0;
        }
        if (l->n == l->cap) {
                size_t ncap = l->cap ? l->cap * 2 : 64;
                char **np = realloc(l->paths, ncap * sizeof *np);
                if (!np)
                        return -ENOMEM;
                l->paths = np;
                l->cap = ncap;
        }
        l->paths[l->n] = strdup(p);
        if (!l->paths[l->n])
                return -ENOMEM;
        l->n++;
        return 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The directories on the way down, to follow symlinks without looping. */
typedef struct {
        dev_t dev[WALK_MAX_DEPTH + 2];
        ino_t ino[WALK_MAX_DEPTH + 2];
        unsigned n;
} walk_path;

static bool on_path(const walk_path *wp, const struct stat *st) {
        for (unsigned i = 0; i < wp->n; i++)
                if (wp->dev[i] == st->st_dev && wp->ino[i] == st->st_ino)
                        return true;
        return false;
}

/*
 * Regular files below dir, recursively, sorted per directory. Symlinks are followed (a folder of
 * links to images is a folder of images), except a link back to a folder on the way down; a
 * link that leads nowhere stays in the list, so that its analysis says why it cannot be read.
 */
static int walk(path_list *l, const char *dir, walk_path *wp) {
        struct stat dst;
        if (wp->n > WALK_MAX_DEPTH || stat(dir, &dst) < 0 || on_path(wp, &dst))
                return 0;
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        wp->dev[wp->n] = dst.st_dev;
        wp->ino[wp->n] = dst.st_ino;
        wp->n++;
        path_list local = {};
        struct dirent *de;
        int r = 0;
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                char *p;
                if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                r = path_list_add(&local, p);
                free(p);
                if (r < 0)
                        break;
        }
        closedir(d);
        if (local.n)
                qsort(local.paths, local.n, sizeof local.paths[0], cmp_str);
        for (size_t i = 0; i < local.n && r >= 0; i++) {
                struct stat st;
                if (stat(local.paths[i], &st) < 0) {
                        struct stat lst;
                        if (lstat(local.paths[i], &lst) == 0 && S_ISLNK(lst.st_mode))
                                r = path_list_add(l, local.paths[i]); /* a dangling link: said so */
                        continue;
                }
                if (S_ISDIR(st.st_mode))
                        r = walk(l, local.paths[i], wp);
                else if (S_ISREG(st.st_mode))
                        r = path_list_add(l, local.paths[i]);
        }
        wp->n--;
        for (size_t i = 0; i < local.n; i++)
                free(local.paths[i]);
        free(local.paths);
        return r;
}

static const char *yes_no(int v) {
        return v < 0 ? NULL : v ? "Yes" : "No";
}

#define FIELD_HANG "                         " /* under the value column */

static void field(const char *name, const char *value) {
        if (!value || !*value)
                return;
        char first[40];
        snprintf(first, sizeof first, "  %-22s ", name);
        term_print_wrapped(first, FIELD_HANG, value);
}

static void field_u32(const char *name, mefw_opt_u32 v) {
        if (v.set)
                printf("  %-22s %" PRIu32 "\n", name, v.value);
}

/* The newest known build of the branch, and the advisories that affect this version. */
static void print_db_info(const mefw_report *r) {
        const mefw_report_db *info = r->db_info;
        char buf[64], fixed[32];
        if (!info)
                return;
        if (info->has_latest) {
                const mefw_latest *l = &info->latest;
                mefw_format_version(l->newest.version, buf, sizeof buf);
                if (l->is_latest)
                        printf("  %-22s yes, the newest known %u.%u %s build\n", "Latest", r->fw.version[0],
                               r->fw.version[1], l->newest.sku[0] ? l->newest.sku : "");
                else
                        printf("  %-22s no: %s (%s) is newer\n", "Latest", buf, l->newest.forms);
        } else
                printf("  %-22s not known: the database lists no %u.%u build of this SKU\n", "Latest", r->fw.version[0],
                       r->fw.version[1]);
        if (info->n_advisories == 0)
                printf("  %-22s none known for this version\n", "Advisories");
        for (size_t i = 0; i < info->n_advisories; i++) {
                const mefw_advisory *a = info->advisories[i].advisory;
                char first[96], text[700];
                snprintf(first, sizeof first, "  %-22s %s%s%s:", i == 0 ? "Advisories" : "", term_sev_color(MEFW_WARNING),
                         a->id, term_reset());
                snprintf(text, sizeof text, "%s (fixed in %s)%s", a->summary, mefw_advisory_fixed_text(a, fixed, sizeof fixed),
                         info->advisories[i].conditional ? ", only if the firmware has AMT" : "");
                term_print_wrapped(first, FIELD_HANG "  ", text);
        }
}

static void print_human(const mefw_report *r, bool verbose) {
        const mefw_firmware *fw = &r->fw;
        char buf[64];

        printf("%s%s%s\n", term_bold(), r->file, term_reset());
        field("Container", fw->container);
        field("Family", fw->family);
        if (fw->has_version)
                field("Version", mefw_format_version(fw->version, buf, sizeof buf));
        field("Release", fw->release);
        field("Type", fw->type);
        field("SKU", fw->sku);
        field("Chipset support", fw->chipset);
        field("PCH", fw->pch);
        field_u32("TCB SVN", fw->tcb_svn);
        field_u32("ARB SVN", fw->arb_svn);
        field_u32("VCN", fw->vcn);
        field("Production ready", yes_no(fw->pv));
        field("Date", fw->date);
        if (fw->has_size) {
                snprintf(buf, sizeof buf, "0x%" PRIX64 " (%" PRIu64 " bytes)", fw->size, fw->size);
                field("Size", buf);
        }
        if (fw->has_fit_version)
                field("Flash Image Tool", mefw_format_version(fw->fit_version, buf, sizeof buf));
        field("Chipset stepping", fw->chipset_stepping);
        field("File system", fw->fs_state);
        field("OEM configuration", yes_no(fw->oem_config));
        field("Workstation", yes_no(fw->workstation));
        field("FWUpdate support", yes_no(fw->fwupdate_support));
        field("Patsburg support", yes_no(fw->patsburg));
        field("Downgrade blacklist 7.0", fw->blacklist_7_0);
        field("Downgrade blacklist 7.1", fw->blacklist_7_1);
        if (fw->signature != MEFW_SIG_NOT_CHECKED) {
                snprintf(buf, sizeof buf, "%s%s%s%s", mefw_signature_state_name(fw->signature),
                         fw->key ? " (" : "", fw->key ? fw->key : "", fw->key ? ")" : "");
                field("Signature", buf);
        }
        print_db_info(r);

        if (verbose) {
                if (fw->n_partitions) {
                        printf("  Partitions:\n");
                        printf("    %-7s %-9s %-5s %4s %10s %10s  %s\n", "name", "table", "owner", "type", "offset", "size",
                               "state");
                        for (size_t i = 0; i < fw->n_partitions; i++) {
                                const mefw_partition *p = &fw->partitions[i];
                                char off[20];
                                if (p->is_virtual)
                                        snprintf(off, sizeof off, "-");
                                else
                                        snprintf(off, sizeof off, "0x%" PRIX64, p->offset);
                                printf("    %-7s %-9s %-5s %4" PRIu32 " %10s %#10" PRIx32 "  %s%s%s%s%s\n", p->name,
                                       p->table ? p->table : "", p->owner, p->type, off, p->size,
                                       p->is_virtual ? "virtual" : p->used ? "used" : "empty",
                                       p->uncharted ? ", uncharted" : "", !p->is_virtual && !p->in_bounds ? ", cut short" : "",
                                       p->hash != MEFW_HASH_NOT_CHECKED ? ", hash " : "",
                                       p->hash != MEFW_HASH_NOT_CHECKED ? mefw_hash_state_name(p->hash) : "");
                        }
                }
                if (fw->n_manifests) {
                        printf("  Manifests:\n");
                        for (size_t i = 0; i < fw->n_manifests; i++) {
                                const mefw_manifest_summary *m = &fw->manifests[i];
                                char first[96];
                                snprintf(first, sizeof first, "    0x%-8" PRIX64 " %-4s %s %-14s %-11s ", m->offset,
                                         m->partition[0] ? m->partition : "-", m->tag,
                                         mefw_format_version(m->version, buf, sizeof buf),
                                         mefw_signature_state_name(m->signature));
                                /* the key's name, or its 64-digit hash on a line of its own when it does not fit */
                                term_print_wrapped(first, "      ", m->key ? m->key : m->key_hash);
                        }
                }
                if (fw->n_modules) {
                        printf("  Modules:\n");
                        for (size_t i = 0; i < fw->n_modules; i++) {
                                const mefw_module *m = &fw->modules[i];
                                printf("    %-4s %-16s %-8s 0x%-8" PRIX64 " %#9" PRIx32 "  %s\n", m->partition, m->name,
                                       m->compression, m->offset, m->size, mefw_hash_state_name(m->hash));
                        }
                        if (fw->n_modules_by_partition_hash) {
                                char text[200];
                                snprintf(text, sizeof text, "%zu of the modules are proven by their partition's signed "
                                         "hash: their own hashes were not computed again, nor LZMA decompressed (--deep "
                                         "does)", fw->n_modules_by_partition_hash);
                                term_print_wrapped("  ", "  ", text);
                        }
                }
        }

        if (r->descriptor) {
                print_ifd_summary(r->descriptor);
                if (verbose)
                        print_ifd_regions(r->descriptor);
        }
        term_print_messages(&r->messages, "  ");
        for (size_t i = 0; i < r->n_components; i++)
                print_human(&r->components[i], verbose);
        printf("\n");
}

/* --summary: name, family, version, SKU, type, signature, and how many errors and warnings. */
static void print_summary_line(const mefw_report *r) {
        const mefw_firmware *fw = &r->fw;
        char v[32] = "-";
        if (fw->has_version)
                mefw_format_version(fw->version, v, sizeof v);
        size_t errors = 0, warnings = 0;
        for (size_t i = 0; i < r->messages.count; i++) {
                errors += r->messages.items[i].severity == MEFW_ERROR;
                warnings += r->messages.items[i].severity == MEFW_WARNING;
        }
        const char *name = strrchr(r->file, '/');
        const char *sig = mefw_signature_state_name(fw->signature);
        printf("%s  %s %s  %s  %s  %s  ", name ? name + 1 : r->file, fw->family ? fw->family : "-", v,
               *fw->sku ? fw->sku : "-", fw->type ? fw->type : "-", sig ? sig : "-");
        if (errors || warnings)
                printf("%s%zu error%s, %zu warning%s%s\n", errors ? term_sev_color(MEFW_ERROR) : "", errors,
                       errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", errors ? term_reset() : "");
        else
                printf("ok\n");
}

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw analyze [--json] [--verbose] FILE|DIR|-...\n"
                "\n"
                "Identify Intel engine firmware (ME 2-10, TXE, SPS, CSME, CSTXE, CSSPS) in full SPI images,\n"
                "engine regions and update images, and check its signatures and hashes. Directories are\n"
                "walked recursively, symlinks followed (a link back up is not); a directory with no file\n"
                "is said so. '-' reads standard input (at most 64 MiB).\n"
                "\n"
                "  -j, --json      one JSON array with an object per input\n"
                "  -J, --jobs N    analyze N files at once (default: the number of online CPUs); the\n"
                "                  output is in input order and the same for any N\n"
                "  -v, --verbose   also list partitions, manifests and modules\n"
                "      --summary   one line per file (name, family, version, SKU, type, signature, problems),\n"
                "                  and totals after several files\n"
                "      --stats     say on stderr how many bytes were hashed and decompressed\n"
                "      --deep      also decompress and hash every module whose bytes a verified partition\n"
                "                  hash already proves (slower; proves the compressed streams decode)\n"
                "      --db FILE   use this firmware database (see 'mefw db') for key names, the\n"
                "                  newest known build and advisories\n"
                "  -h, --help      this text\n"
                "\n"
                "Exit codes: 0 all inputs fine, 1 an input has an error, 2 usage, 3 an input could not be read\n"
                "(or a directory holds no file).\n");
}

typedef struct {
        const char *path;
        const mefw_analyze_options *opts;
        mefw_report *report;
} analyze_job;

static int analyze_one(void *userdata) {
        analyze_job *job = userdata;
        if (strcmp(job->path, "-") != 0)
                return mefw_analyze_path_with(job->path, job->opts, &job->report);
        /* standard input: read into memory (at most 64 MiB, the largest SPI flash), named as such */
        cli_text in;
        int r = cli_text_load("-", &in);
        if (r < 0)
                return r;
        r = mefw_analyze_buffer_with((const uint8_t *) in.data, in.size, "standard input", job->opts, &job->report);
        cli_text_done(&in);
        return r;
}

/* ---- the worker pool ---- */

#define ANALYZE_JOBS_MAX 64

typedef struct {
        const char *path;
        mefw_report *report;
        int r;
        bool done;
} slot;

typedef struct {
        slot *slots;
        const mefw_analyze_options *opts;
        size_t n, next, printed, window;
        pthread_mutex_t lock;
        pthread_cond_t cond;
} pool;

static void run_slot(slot *s, const mefw_analyze_options *opts) {
        analyze_job job = { .path = s->path, .opts = opts };
        s->r = cli_guarded(analyze_one, &job);
        s->report = job.report;
}

static void *worker(void *arg) {
        pool *p = arg;
        for (;;) {
                pthread_mutex_lock(&p->lock);
                while (p->next < p->n && p->next >= p->printed + p->window)
                        pthread_cond_wait(&p->cond, &p->lock);
                if (p->next >= p->n) {
                        pthread_mutex_unlock(&p->lock);
                        return NULL;
                }
                slot *s = &p->slots[p->next++];
                pthread_mutex_unlock(&p->lock);
                run_slot(s, p->opts);
                pthread_mutex_lock(&p->lock);
                s->done = true;
                pthread_cond_broadcast(&p->cond);
                pthread_mutex_unlock(&p->lock);
        }
}

/* One report as an element of the output array, written now: the same bytes as the whole array
 * built in memory would hold (each line indented one level), so memory does not grow with the
 * number of files. */
static bool emit_json_object(const mefw_report *rep, bool first) {
        mefw_json o;
        mefw_json_init(&o, true);
        mefw_report_write_json(rep, &o);
        bool ok = mefw_json_ok(&o) && o.data;
        if (ok) {
                fputs(first ? "\n  " : ",\n  ", stdout);
                for (const char *c = o.data; *c;) {
                        const char *nl = strchr(c, '\n');
                        size_t n = nl ? (size_t) (nl - c) + 1 : strlen(c);
                        fwrite(c, 1, n, stdout);
                        c += n;
                        if (nl && *c)
                                fputs("  ", stdout);
                }
        }
        mefw_json_free(&o);
        return ok;
}

/* Online CPUs, at least 1, at most ANALYZE_JOBS_MAX. */
static unsigned default_jobs(void) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > ANALYZE_JOBS_MAX ? ANALYZE_JOBS_MAX : (unsigned) n;
}

int cmd_analyze(int argc, char **argv) {
        static const struct option opts[] = {
                { "json", no_argument, NULL, 'j' },
                { "verbose", no_argument, NULL, 'v' },
                { "db", required_argument, NULL, 'D' },
                { "jobs", required_argument, NULL, 'J' },
                { "deep", no_argument, NULL, 'd' },
                { "stats", no_argument, NULL, 'S' },
                { "summary", no_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool json = false, verbose = false;
        const char *db_path = NULL;
        unsigned jobs = default_jobs();
        mefw_analyze_options analyze_opts = {};
        bool stats = false, summary = false;
        size_t n_firmware = 0, n_with_errors = 0, n_bad_signature = 0;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "jvhJ:", opts, NULL)) >= 0)
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 'v':
                        verbose = true;
                        break;
                case 'D':
                        db_path = optarg;
                        break;
                case 'd':
                        analyze_opts.deep = true;
                        break;
                case 'S':
                        stats = true;
                        break;
                case 's':
                        summary = true;
                        break;
                case 'J': {
                        char *end;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (*end || end == optarg || v < 1 || v > ANALYZE_JOBS_MAX) {
                                fprintf(stderr, "mefw analyze: --jobs takes a number from 1 to %d\n", ANALYZE_JOBS_MAX);
                                return EXIT_USAGE;
                        }
                        jobs = (unsigned) v;
                        break;
                }
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "mefw analyze: no input given\n\n");
                usage(stderr);
                return EXIT_USAGE;
        }
        mefw_db *db = NULL;
        if (db_path && (c = cli_db_load("analyze", db_path, &db)) != 0)
                return c;

        /* Expand directories; a path that cannot be listed or stat'ed stays in the list and
         * fails at analysis time with its reason. */
        path_list inputs = {};
        bool empty_dirs = false;
        for (int i = optind; i < argc; i++) {
                struct stat st;
                int r;
                if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
                        size_t before = inputs.n;
                        walk_path wp = {};
                        r = walk(&inputs, argv[i], &wp);
                        if (r < 0 && r != -ENOMEM)
                                r = path_list_add(&inputs, argv[i]);
                        else if (r >= 0 && inputs.n == before) {
                                /* nothing to analyze is said, not passed over */
                                fprintf(stderr, "mefw analyze: %s holds no files to analyze\n", argv[i]);
                                empty_dirs = true;
                        }
                } else
                        r = path_list_add(&inputs, argv[i]);
                if (r < 0) {
                        fprintf(stderr, "mefw analyze: out of memory\n");
                        mefw_db_free(db);
                        return EXIT_UNREADABLE;
                }
        }
        if (inputs.truncated)
                fprintf(stderr, "mefw analyze: more than %d files; only the first %d are analyzed\n", WALK_MAX_FILES,
                        WALK_MAX_FILES);

        bool any_error = false, any_unreadable = false;
        bool json_ok = true;
        pool p = { .n = inputs.n, .window = 2 * jobs + 2, .opts = &analyze_opts };
        p.slots = calloc(inputs.n ? inputs.n : 1, sizeof *p.slots);
        pthread_t workers[ANALYZE_JOBS_MAX];
        size_t n_workers = 0;
        if (!p.slots) {
                fprintf(stderr, "mefw analyze: out of memory\n");
                for (size_t i = 0; i < inputs.n; i++)
                        free(inputs.paths[i]);
                free(inputs.paths);
                mefw_db_free(db);
                return EXIT_UNREADABLE;
        }
        for (size_t i = 0; i < inputs.n; i++)
                p.slots[i].path = inputs.paths[i];
        pthread_mutex_init(&p.lock, NULL);
        pthread_cond_init(&p.cond, NULL);
        /* One file needs no pool; otherwise the workers analyze ahead while this thread prints in
         * input order, at most 'window' reports held at once. */
        if (jobs > 1 && inputs.n > 1)
                for (unsigned w = 0; w < jobs && w < inputs.n; w++)
                        if (pthread_create(&workers[n_workers], NULL, worker, &p) == 0)
                                n_workers++;
        if (json) {
                term_json_mark_emitted();
                fputs("[", stdout);
        }
        for (size_t i = 0; i < inputs.n; i++) {
                slot *s = &p.slots[i];
                if (n_workers == 0) {
                        if (!json) /* JSON is for programs: no progress line beside it */
                                term_progress(i + 1, inputs.n, s->path);
                        run_slot(s, &analyze_opts);
                } else {
                        pthread_mutex_lock(&p.lock);
                        while (!s->done)
                                pthread_cond_wait(&p.cond, &p.lock);
                        pthread_mutex_unlock(&p.lock);
                        if (!json)
                                term_progress(i + 1, inputs.n, s->path);
                }
                mefw_report *rep = s->report;
                mefw_report failed = { .file = (char *) s->path };
                if (s->r < 0) {
                        any_unreadable = true;
                        const char *why = s->r == -ESTALE ? CLI_INPUT_CHANGED : strerror(-s->r);
                        mefw_messages_add(&failed.messages, MEFW_ERROR, s->r == -ESTALE ? "input-changed" : "unreadable",
                                          -1, "cannot read %s: %s", s->path, why);
                        term_progress_end();
                        if (!json)
                                fprintf(stderr, "mefw analyze: cannot read %s: %s\n", s->path, why);
                        rep = json ? &failed : NULL;
                } else {
                        if (mefw_report_has_error(rep))
                                any_error = true;
                        term_progress_end();
                }
                if (rep && json)
                        json_ok = emit_json_object(rep, i == 0) && json_ok;
                else if (rep && summary) {
                        print_summary_line(rep);
                        n_firmware += rep->fw.family != NULL;
                        n_with_errors += mefw_report_has_error(rep);
                        n_bad_signature += rep->fw.signature == MEFW_SIG_INVALID;
                } else if (rep)
                        print_human(rep, verbose);
                mefw_messages_clear(&failed.messages);
                if (s->r >= 0)
                        mefw_report_free(s->report);
                s->report = NULL;
                pthread_mutex_lock(&p.lock);
                p.printed = i + 1;
                pthread_cond_broadcast(&p.cond);
                pthread_mutex_unlock(&p.lock);
        }
        for (size_t w = 0; w < n_workers; w++)
                pthread_join(workers[w], NULL);
        term_progress_end();
        pthread_mutex_destroy(&p.lock);
        pthread_cond_destroy(&p.cond);
        free(p.slots);

        if (summary && !json && inputs.n > 1)
                printf("%zu files: %zu with engine firmware, %zu with errors, %zu with an invalid signature\n", inputs.n,
                       n_firmware, n_with_errors, n_bad_signature);
        if (stats)
                fprintf(stderr, "mefw analyze: %zu files, %" PRIu64 " bytes hashed, %" PRIu64 " bytes decompressed, %u jobs\n",
                        inputs.n, mefw_work_hashed(), mefw_work_decompressed(), n_workers ? (unsigned) n_workers : 1u);
        int ret = any_unreadable || empty_dirs ? EXIT_UNREADABLE : any_error ? EXIT_PROBLEM : EXIT_OK;
        if (json) {
                fputs(inputs.n ? "\n]\n" : "]\n", stdout);
                if (!json_ok) {
                        fprintf(stderr, "mefw analyze: could not build the JSON output\n");
                        ret = EXIT_UNREADABLE;
                }
        }
        for (size_t i = 0; i < inputs.n; i++)
                free(inputs.paths[i]);
        free(inputs.paths);
        mefw_db_free(db);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "mefw analyze: write error on standard output\n");
                return EXIT_UNREADABLE;
        }
        return ret;
}
