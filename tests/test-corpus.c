/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Agreement with ME Analyzer on real firmware: every analyzed row of the corpus's EXPECTED.tsv
 * (ME Analyzer v1.311.0's output) must match what mefw reports, field by field, except the
 * documented disagreements below. Skips, with a visible message, when the corpus is absent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mefw/mefw.h"

#define MAX_COLS 32
#define MAX_ROWS 256

typedef struct {
        char *cols[MAX_COLS];
        size_t n;
} row;

/* The corpus folder, NULL (the tests skip, saying so) when it is not set or not there. */
static char *corpus_dir(void) {
        const char *d = getenv("MEFW_CORPUS");
        struct stat st;
        return d && *d && stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? (char *) d : NULL;
}

static char *slurp(const char *path) {
        FILE *f = fopen(path, "rb");
        if (!f)
                return NULL;
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc((size_t) n + 1);
        if (buf && fread(buf, 1, (size_t) n, f) != (size_t) n) {
                free(buf);
                buf = NULL;
        }
        if (buf)
                buf[n] = 0;
        fclose(f);
        return buf;
}

static size_t split(char *line, char **cols, size_t max) {
        size_t n = 0;
        cols[n++] = line;
        for (char *p = line; *p && n < max; p++)
                if (*p == '\t') {
                        *p = 0;
                        cols[n++] = p + 1;
                }
        return n;
}

static const char *col(const row *hdr, const row *r, const char *name) {
        for (size_t i = 0; i < hdr->n; i++)
                if (strcmp(hdr->cols[i], name) == 0)
                        return i < r->n ? r->cols[i] : "";
        return "";
}

/* ---- normalisation of ME Analyzer's spellings to ours ---- */

static void norm_family(const char *in, char *out, size_t len) {
        if (strncmp(in, "CSE ", 4) == 0)
                snprintf(out, len, "CS%s", in + 4);
        else
                snprintf(out, len, "%s", in);
}

/* SPS versions are printed zero-padded ("02.03.04.005"). */
static void norm_version(const char *in, char *out, size_t len) {
        unsigned v[4];
        if (sscanf(in, "%u.%u.%u.%u", &v[0], &v[1], &v[2], &v[3]) == 4)
                snprintf(out, len, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        else
                snprintf(out, len, "%s", in);
}

/*
 * Where ME Analyzer is wrong or reports something we deliberately phrase differently.
 * Each entry: file, field, the value mefw reports instead, and the evidence.
 */
static const struct {
        const char *file;
        const char *field;
        const char *ours;
        const char *why;
} disagreements[] = {
        /*
         * ME Analyzer's ME 3 check compares a 16-byte slice with the integer 0xFF0 (it means
         * "16 bytes of 0xFF"), so every ME 3 region with an EFFS partition comes out Extracted.
         * Read as intended, this stock region (as shipped in Intel's kit, file name RGN) has two
         * ME_CFG_DEF/NVKR records (the default), erased flash where a configured one keeps data,
         * no FOVD data and no KRND marker: Stock. me3.0.0 (five records) stays Extracted.
         */
        { "me3.2.20.1049_AMT_PRD_RGN.bin", "type", "Stock", "ME Analyzer ME 3 integer/bytes comparison bug" },
        /*
         * ME Analyzer ran without its FileTable.dat dictionary (its own messages say so), needs it to
         * name the records of CSME 13+ configuration files, and gives up with "Error". The file
         * system is intact (every page and chunk CRC checks) and holds the Intel and OEM
         * configuration files (low-level files 6 and 7), which is what "Configured" means; MEA with
         * an older FileTable.dat says Configured too.
         */
        { "csme14.0.11.1205_CON_LP_PRD_EXTR.bin", "fs_state", "Configured", "ME Analyzer lacked FileTable.dat" },
        { "csme14.0.39.1339_starlabs-labtop-mk4_me-region.bin", "fs_state", "Configured",
          "ME Analyzer lacked FileTable.dat" },
        /* No PCH initialization table in these images: ME Analyzer prints "Unknown", mefw null. */
        { "sps-ign_purley-lbg_ignition_1.0.2.29_MeRegion.bin", "chipset", "", "unknown is null in mefw" },
        { "sps-ign_whitley-lbg_ignition_4.2.4.14_MeRegion.bin", "chipset", "", "unknown is null in mefw" },
        { NULL, NULL, NULL, NULL },
};

static const char *disagreement(const char *file, const char *field) {
        for (size_t i = 0; disagreements[i].file; i++)
                if (strcmp(disagreements[i].file, file) == 0 && strcmp(disagreements[i].field, field) == 0)
                        return disagreements[i].ours;
        return NULL;
}

/* ME Analyzer message text -> our message code. NULL code: a message we do not emit (why given). */
static const struct {
        const char *mea_prefix;
        const char *code;
} message_map[] = {
        { "Note: File is missing optional Firmware 4K alignment padding!", "missing-alignment-padding" },
        /* In the corpus ME Analyzer says this only of the CSSPS Ignition images, whose $CPD checksum
         * covers the header alone (their build tool's convention): mefw must say so, as a note. */
        { "Error: Wrong $CPD", "cpd-checksum-header-only" },
        /* ...and this only of images Intel shipped with that hash (11.8 Slim FTPR, CSSPS Ignition):
         * mefw must recognize them and give a note, not call the firmware damaged. */
        { "Error: Detected CSE Extension 0x03 with wrong Partition Hash", "cse-partition-hash-known-bad" },
        { "Error: Invalid CSSPS", "invalid-signature" },
        /* ME Analyzer's CSME 13+ file-table dictionary; mefw needs none (see fs_state above) */
        { "Error: MFS File Table Dictionary file is missing!", NULL },
        { "Warning: Could not find File System Platform", NULL },
        { "Note: File has harmless unneeded Firmware end padding!", "harmless-end-padding" },
        { "Warning: Firmware size exceeds File, possible data loss!", "firmware-exceeds-file" },
        { "Warning: Firmware size exceeds Engine/Graphics region", "firmware-exceeds-region" },
        { "Warning: Data in Engine/Graphics region padding", "data-in-region-padding" },
        { "Warning: File size exceeds Firmware, data in padding!", "data-in-padding" },
        { "Warning: Wrong $FPT Checksum", "fpt-checksum" },
        /* ME Analyzer's database is not ours: "not in the database" has no counterpart. */
        { "Note: This ME firmware is not in the database!", NULL },
};

typedef struct {
        const char *name;
        unsigned agree, disagree_doc, fail;
} field_stat;

#define STAT(n) { .name = (n) }
static field_stat stats[] = {
        STAT("family"),  STAT("version"),  STAT("release"),       STAT("type"),          STAT("sku"),
        STAT("chipset_support"), STAT("tcb_svn"), STAT("arb_svn"), STAT("vcn"),          STAT("pv"),
        STAT("date"),    STAT("size"),     STAT("fit_version"),   STAT("patsburg"),      STAT("blacklist_7_0"),
        STAT("blacklist_7_1"), STAT("chipset"), STAT("fs_state"), STAT("oem_config"), STAT("fwupdate_support"),
        STAT("workstation"), STAT("chipset_stepping"), STAT("messages"), STAT("signature"), STAT("module_hashes"),
};

static field_stat *stat_for(const char *name) {
        for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++)
                if (strcmp(stats[i].name, name) == 0)
                        return &stats[i];
        return NULL;
}

static unsigned failures;

static void compare(const char *file, const char *field, const char *expected, const char *actual) {
        field_stat *st = stat_for(field);
        if (!expected || !*expected)
                return; /* only non-empty expectations are checked */
        const char *doc = disagreement(file, field);
        const char *want = doc ? doc : expected;
        const char *got = actual ? actual : "";
        if (strcmp(want, got) == 0) {
                if (doc)
                        st->disagree_doc++;
                else
                        st->agree++;
                return;
        }
        st->fail++;
        failures++;
        printf("MISMATCH %s: %s expected '%s'%s got '%s'\n", file, field, want, doc ? " (documented)" : "", got);
}

static void opt_u32_str(mefw_opt_u32 v, char *buf, size_t len) {
        if (v.set)
                snprintf(buf, len, "%" PRIu32, v.value);
        else
                buf[0] = 0;
}

static const char *yes_no(int v) {
        return v < 0 ? "" : v ? "Yes" : "No";
}

static bool has_code(const mefw_report *r, const char *code) {
        for (size_t i = 0; i < r->messages.count; i++)
                if (strcmp(r->messages.items[i].code, code) == 0)
                        return true;
        return false;
}

/* Whether one of ME Analyzer's messages for this file maps to our code. */
static bool expected_code(const char *expected, const char *code) {
        for (size_t i = 0; i < sizeof message_map / sizeof message_map[0]; i++) {
                const char *c = message_map[i].code;
                if (c && strcmp(c, code) == 0 && strstr(expected, message_map[i].mea_prefix))
                        return true;
        }
        return false;
}

/* Partitions signed by the board maker, not Intel: their key cannot be in any table of ours. */
static bool oem_partition(const char *name) {
        static const char *const names[] = { "OEMP", "IBBP", "ISHC", "SMIP", "IUNP", "OBBP" };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (strcmp(name, names[i]) == 0)
                        return true;
        return false;
}

static void check_messages(const char *file, const char *expected, const mefw_report *r) {
        field_stat *st = stat_for("messages");
        if (!*expected)
                return;
        char *copy = strdup(expected);
        char *save = NULL;
        for (char *m = strtok_r(copy, "|", &save); m; m = strtok_r(NULL, "|", &save)) {
                while (*m == ' ')
                        m++;
                size_t l = strlen(m);
                while (l && m[l - 1] == ' ')
                        m[--l] = 0;
                bool mapped = false;
                for (size_t i = 0; i < sizeof message_map / sizeof message_map[0]; i++) {
                        if (strncmp(m, message_map[i].mea_prefix, strlen(message_map[i].mea_prefix)) != 0)
                                continue;
                        mapped = true;
                        if (!message_map[i].code || has_code(r, message_map[i].code))
                                st->agree++;
                        else {
                                st->fail++;
                                failures++;
                                printf("MISMATCH %s: message '%s' (code %s) not reported\n", file, m,
                                       message_map[i].code);
                        }
                }
                if (!mapped) {
                        st->fail++;
                        failures++;
                        printf("MISMATCH %s: unmapped ME Analyzer message '%s'\n", file, m);
                }
        }
        free(copy);
}

static void check_integrity(const char *file, const char *expected, const mefw_report *r) {
        field_stat *sig = stat_for("signature"), *mod = stat_for("module_hashes");
        bool mea_invalid = strstr(expected, "RSA Signature") != NULL;
        for (size_t i = 0; i < r->fw.n_manifests; i++) {
                mefw_signature_state st = r->fw.manifests[i].signature;
                if (st == MEFW_SIG_VALID || (st == MEFW_SIG_INVALID && mea_invalid) ||
                    (st == MEFW_SIG_UNKNOWN_KEY && oem_partition(r->fw.manifests[i].partition)))
                        sig->agree++;
                else {
                        sig->fail++;
                        failures++;
                        printf("MISMATCH %s: manifest at 0x%" PRIX64 " signature %s\n", file, r->fw.manifests[i].offset,
                               mefw_signature_state_name(r->fw.manifests[i].signature));
                }
        }
        for (size_t i = 0; i < r->fw.n_modules; i++) {
                const mefw_module *m = &r->fw.modules[i];
                if (m->hash == MEFW_HASH_INVALID || m->hash == MEFW_HASH_UNREADABLE) {
                        mod->fail++;
                        failures++;
                        printf("MISMATCH %s: module %s/%s hash %s\n", file, m->partition, m->name,
                               mefw_hash_state_name(m->hash));
                } else if (m->hash == MEFW_HASH_VALID)
                        mod->agree++;
        }
}

static void check_row(const char *dir, const row *hdr, const row *rw) {
        const char *file = col(hdr, rw, "file");
        const char *status = col(hdr, rw, "status");
        char family[32];
        norm_family(col(hdr, rw, "family"), family, sizeof family);

        bool no_fw = strcmp(status, "no-firmware") == 0;
        if (!no_fw && strcmp(status, "ok") != 0)
                return;

        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        mefw_report *r = NULL;
        int rc = mefw_analyze_path(path, &r);
        if (rc < 0) {
                printf("MISMATCH %s: cannot analyze (%s)\n", file, strerror(-rc));
                failures++;
                return;
        }
        const mefw_firmware *fw = &r->fw;

        if (no_fw) {
                compare(file, "family", "(none)", fw->family ? fw->family : "(none)");
                mefw_report_free(r);
                return;
        }

        char buf[64], exp[64];
        compare(file, "family", family, fw->family);
        norm_version(col(hdr, rw, "version"), exp, sizeof exp);
        compare(file, "version", exp, fw->has_version ? mefw_format_version(fw->version, buf, sizeof buf) : "");
        compare(file, "release", col(hdr, rw, "release"), fw->release);
        compare(file, "type", col(hdr, rw, "type"), fw->type);
        compare(file, "sku", col(hdr, rw, "sku"), fw->sku);
        compare(file, "chipset_support", col(hdr, rw, "chipset_support"), fw->chipset);
        opt_u32_str(fw->tcb_svn, buf, sizeof buf);
        compare(file, "tcb_svn", col(hdr, rw, "tcb_svn"), buf);
        opt_u32_str(fw->arb_svn, buf, sizeof buf);
        compare(file, "arb_svn", col(hdr, rw, "arb_svn"), buf);
        opt_u32_str(fw->vcn, buf, sizeof buf);
        compare(file, "vcn", col(hdr, rw, "vcn"), buf);
        compare(file, "pv", col(hdr, rw, "pv"), fw->pv < 0 ? "" : fw->pv ? "Yes" : "No");
        compare(file, "date", col(hdr, rw, "date"), fw->date);
        if (fw->has_size)
                snprintf(buf, sizeof buf, "0x%" PRIX64, fw->size);
        else
                buf[0] = 0;
        compare(file, "size", col(hdr, rw, "size"), buf);
        compare(file, "fit_version", col(hdr, rw, "fit_version"),
                fw->has_fit_version ? mefw_format_version(fw->fit_version, buf, sizeof buf) : "");
        compare(file, "patsburg", col(hdr, rw, "patsburg"), fw->patsburg < 0 ? "" : fw->patsburg ? "Yes" : "No");
        compare(file, "blacklist_7_0", col(hdr, rw, "blacklist_7_0"), fw->blacklist_7_0);
        compare(file, "blacklist_7_1", col(hdr, rw, "blacklist_7_1"), fw->blacklist_7_1);
        compare(file, "chipset", col(hdr, rw, "chipset"), fw->pch);
        compare(file, "fs_state", col(hdr, rw, "fs_state"), fw->fs_state);
        compare(file, "oem_config", col(hdr, rw, "oem_config"), yes_no(fw->oem_config));
        compare(file, "fwupdate_support", col(hdr, rw, "fwupdate_support"), yes_no(fw->fwupdate_support));
        compare(file, "workstation", col(hdr, rw, "workstation"), yes_no(fw->workstation));
        compare(file, "chipset_stepping", col(hdr, rw, "chipset_stepping"), fw->chipset_stepping);
        check_messages(file, col(hdr, rw, "messages"), r);
        /* Errors ME Analyzer does not report on these files: neither may we (hash, signature, size...) */
        for (size_t i = 0; i < r->messages.count; i++)
                if (r->messages.items[i].severity == MEFW_ERROR &&
                    !expected_code(col(hdr, rw, "messages"), r->messages.items[i].code)) {
                        stat_for("messages")->fail++;
                        failures++;
                        printf("MISMATCH %s: unexpected error '%s': %s\n", file, r->messages.items[i].code,
                               r->messages.items[i].text);
                }
        check_integrity(file, col(hdr, rw, "messages"), r);
        mefw_report_free(r);
}

static void test_corpus_agrees_with_me_analyzer(void **state) {
        (void) state;
        const char *dir = corpus_dir();
        char path[4096];
        snprintf(path, sizeof path, "%s/EXPECTED.tsv", dir ? dir : ".");
        char *text = dir ? slurp(path) : NULL;
        if (!text) {
                printf("SKIPPED: firmware corpus not found (%s); set MEFW_CORPUS or place it at ../shared/corpus\n",
                       dir ? path : "MEFW_CORPUS unset");
                skip();
        }

        row hdr = {}, rows[MAX_ROWS];
        size_t n_rows = 0;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                size_t l = strlen(line);
                if (l && line[l - 1] == '\r')
                        line[l - 1] = 0;
                if (!hdr.n) {
                        hdr.n = split(line, hdr.cols, MAX_COLS);
                        continue;
                }
                if (n_rows < MAX_ROWS) {
                        rows[n_rows].n = split(line, rows[n_rows].cols, MAX_COLS);
                        n_rows++;
                }
        }
        for (size_t i = 0; i < n_rows; i++)
                check_row(dir, &hdr, &rows[i]);

        printf("\n%-16s %7s %11s %6s\n", "field", "agree", "documented", "fail");
        unsigned checked = 0;
        for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++) {
                printf("%-16s %7u %11u %6u\n", stats[i].name, stats[i].agree, stats[i].disagree_doc, stats[i].fail);
                checked += stats[i].agree + stats[i].disagree_doc + stats[i].fail;
        }
        printf("%u checks, %u failures\n", checked, failures);
        free(text);
        assert_true(checked > 100);
        assert_int_equal(failures, 0);
}

/* A writable copy of a corpus file (malloc'd), NULL when it cannot be read or is empty. */
static uint8_t *load_copy(const char *path, size_t *ret_size) {
        mefw_mapped_file f;
        if (mefw_map_file(path, &f) < 0)
                return NULL;
        uint8_t *copy = f.size ? malloc(f.size) : NULL;
        if (copy) {
                memcpy(copy, f.data, f.size);
                *ret_size = f.size;
        }
        mefw_unmap_file(&f);
        return copy;
}

/*
 * Real CSE firmware, one byte changed: inside the signed FTPR manifest of a CSME 11 region (the
 * signature fails) and inside an LZMA module of a CSME 16.1 region (its hash fails).
 */
static mefw_report *analyze_flipped(const char *dir, const char *file, const char *manifest_partition,
                                    const char *module, size_t delta) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        size_t size;
        uint8_t *copy = load_copy(path, &size);
        if (!copy)
                return NULL;
        mefw_report *r = NULL;
        assert_int_equal(mefw_analyze_buffer(copy, size, file, &r), 0);
        size_t at = SIZE_MAX;
        for (size_t i = 0; manifest_partition && i < r->fw.n_manifests; i++)
                if (strcmp(r->fw.manifests[i].partition, manifest_partition) == 0 && at == SIZE_MAX)
                        at = (size_t) r->fw.manifests[i].offset + delta;
        for (size_t i = 0; module && i < r->fw.n_modules; i++)
                if (strcmp(r->fw.modules[i].name, module) == 0)
                        at = (size_t) r->fw.modules[i].offset + delta;
        mefw_report_free(r);
        assert_true(at < size);
        copy[at] ^= 0x01;
        assert_int_equal(mefw_analyze_buffer(copy, size, file, &r), 0);
        free(copy);
        return r;
}

static void test_corpus_flipped_bytes(void **state) {
        (void) state;
        const char *dir = corpus_dir();
        if (!dir) {
                printf("SKIPPED: firmware corpus not found (MEFW_CORPUS unset)\n");
                skip();
        }
        mefw_report *r = analyze_flipped(dir, "csme11.0.0.1180_CON_H_D_PRD_RGN.bin", "FTPR", NULL, 0x300);
        if (!r) {
                printf("SKIPPED: csme11.0.0.1180_CON_H_D_PRD_RGN.bin not in the corpus\n");
                skip();
        }
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        assert_true(has_code(r, "invalid-signature"));
        mefw_report_free(r);

        /* NFTP "pm" of CSME 11.0 is LZMA; its stored stream is what the hash covers */
        r = analyze_flipped(dir, "csme11.0.0.1180_CON_H_D_PRD_RGN.bin", NULL, "pm", 0x100);
        assert_non_null(r);
        assert_true(has_code(r, "cse-module-hash"));
        assert_int_equal(r->fw.signature, MEFW_SIG_VALID);
        mefw_report_free(r);

        /* CSME 16.1: RSA-3072 PSS manifest, SHA-384 module hashes */
        r = analyze_flipped(dir, "csme16.1_msi-ms7d25-z690_me-region_16.1.30.2307.bin", "FTPR", NULL, 0x400);
        assert_non_null(r);
        assert_int_equal(r->fw.signature, MEFW_SIG_INVALID);
        mefw_report_free(r);
        r = analyze_flipped(dir, "csme16.1_msi-ms7d25-z690_me-region_16.1.30.2307.bin", NULL, "PMCC000", 0x80);
        assert_non_null(r);
        assert_true(has_code(r, "cse-module-hash"));
        assert_true(has_code(r, "cse-partition-hash"));
        mefw_report_free(r);
}

/* The manifest at 'offset' of the report or of one of its components, NULL when gone. */
static const mefw_manifest_summary *manifest_at(const mefw_report *r, uint64_t offset) {
        for (size_t i = 0; i < r->fw.n_manifests; i++)
                if (r->fw.manifests[i].offset == offset)
                        return &r->fw.manifests[i];
        for (size_t c = 0; c < r->n_components; c++) {
                const mefw_manifest_summary *m = manifest_at(&r->components[c], offset);
                if (m)
                        return m;
        }
        return NULL;
}

static void collect_signed(const mefw_report *r, uint64_t *offsets, size_t *n, size_t max) {
        for (size_t i = 0; i < r->fw.n_manifests && *n < max; i++)
                if (r->fw.manifests[i].signature == MEFW_SIG_VALID || r->fw.manifests[i].signature == MEFW_SIG_UNKNOWN_KEY)
                        offsets[(*n)++] = r->fw.manifests[i].offset;
        for (size_t c = 0; c < r->n_components; c++)
                collect_signed(&r->components[c], offsets, n, max);
}

/*
 * Every manifest of every corpus file whose signature verifies (Intel's keys and OEM keys alike)
 * fails once one byte of its signed header (the date at +0x14) is changed.
 */
static void test_corpus_every_manifest_flipped(void **state) {
        (void) state;
        const char *dir = corpus_dir();
        if (!dir) {
                printf("SKIPPED: firmware corpus not found (MEFW_CORPUS unset)\n");
                skip();
        }
        DIR *d = opendir(dir);
        assert_non_null(d);
        unsigned checked = 0, still_valid = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.' || strstr(e->d_name, ".tsv"))
                        continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                size_t size;
                uint8_t *copy = load_copy(path, &size);
                if (!copy)
                        continue;
                mefw_report *r = NULL;
                assert_int_equal(mefw_analyze_buffer(copy, size, e->d_name, &r), 0);
                uint64_t offsets[64];
                size_t n = 0;
                collect_signed(r, offsets, &n, 64);
                mefw_report_free(r);
                for (size_t i = 0; i < n; i++) {
                        size_t at = (size_t) offsets[i] + 0x14;
                        if (at >= size)
                                continue;
                        copy[at] ^= 0x01;
                        assert_int_equal(mefw_analyze_buffer(copy, size, e->d_name, &r), 0);
                        const mefw_manifest_summary *m = manifest_at(r, offsets[i]);
                        checked++;
                        if (!m || m->signature != MEFW_SIG_INVALID) {
                                still_valid++;
                                printf("FAIL %s: manifest at 0x%" PRIX64 " still %s after a changed byte\n", e->d_name,
                                       offsets[i], m ? mefw_signature_state_name(m->signature) : "gone");
                        }
                        mefw_report_free(r);
                        copy[at] ^= 0x01;
                }
                free(copy);
        }
        closedir(d);
        printf("%u signed manifests changed, %u still verified\n", checked, still_valid);
        assert_true(checked > 100);
        assert_int_equal(still_valid, 0);
}

static const mefw_module *module_at(const mefw_report *r, uint64_t offset) {
        for (size_t i = 0; i < r->fw.n_modules; i++)
                if (r->fw.modules[i].offset == offset)
                        return &r->fw.modules[i];
        return NULL;
}

/*
 * A verified partition hash stands in for its modules' own hashes (no decompression): a changed
 * byte in any module must still be caught, and named. Every module whose hash is valid, of every
 * corpus file (at most 24 a file, spread over its list), gets one byte changed in its middle.
 */
static void test_corpus_every_module_flipped(void **state) {
        (void) state;
        const char *dir = corpus_dir();
        if (!dir) {
                printf("SKIPPED: firmware corpus not found (MEFW_CORPUS unset)\n");
                skip();
        }
        DIR *d = opendir(dir);
        assert_non_null(d);
        unsigned checked = 0, missed = 0, proven = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.' || strstr(e->d_name, ".tsv"))
                        continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                size_t size;
                uint8_t *copy = load_copy(path, &size);
                if (!copy)
                        continue;
                mefw_report *r = NULL;
                assert_int_equal(mefw_analyze_buffer(copy, size, e->d_name, &r), 0);
                proven += (unsigned) r->fw.n_modules_by_partition_hash;
                uint64_t offsets[24], sizes[24];
                size_t n = 0, step = r->fw.n_modules / 24 + 1;
                for (size_t i = 0; i < r->fw.n_modules && n < 24; i += step)
                        if (r->fw.modules[i].hash == MEFW_HASH_VALID && r->fw.modules[i].size > 2) {
                                offsets[n] = r->fw.modules[i].offset;
                                sizes[n++] = r->fw.modules[i].size;
                        }
                mefw_report_free(r);
                for (size_t i = 0; i < n; i++) {
                        size_t at = (size_t) (offsets[i] + sizes[i] / 2);
                        if (at >= size)
                                continue;
                        copy[at] ^= 0x10;
                        assert_int_equal(mefw_analyze_buffer(copy, size, e->d_name, &r), 0);
                        const mefw_module *m = module_at(r, offsets[i]);
                        checked++;
                        if (!mefw_report_has_error(r) || (m && m->hash == MEFW_HASH_VALID)) {
                                missed++;
                                printf("FAIL %s: a byte changed at 0x%zX in the module at 0x%" PRIX64 " went unnoticed\n",
                                       e->d_name, at, offsets[i]);
                        }
                        mefw_report_free(r);
                        copy[at] ^= 0x10;
                }
                free(copy);
        }
        closedir(d);
        printf("%u modules changed, %u unnoticed; %u modules proven by their partition hash\n", checked, missed, proven);
        assert_true(checked > 200);
        assert_true(proven > 100);
        assert_int_equal(missed, 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_corpus_agrees_with_me_analyzer),
                cmocka_unit_test(test_corpus_flipped_bytes),
                cmocka_unit_test(test_corpus_every_manifest_flipped),
                cmocka_unit_test(test_corpus_every_module_flipped),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
