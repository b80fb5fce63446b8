/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reasoning for 'mefw diagnose': rules that combine the facts of one machine into findings, the
 * way an expert reads a forum post. A rule that uses an error (8707 after an accepted image, 1275
 * before zeroed registers) marks it explained; every error no rule used gets the knowledge-base
 * finding of its own, so nothing printed in the log goes unmentioned. Findings are ranked by
 * severity, then confidence, then the rules' order here.
 *
 * Sources for the rules are the public threads and code named in each finding's 'source'.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "image/internal.h"
#include "mefw/diagnose.h"
#include "core/util.h"
#include "reader.h"

typedef struct {
        const mefw_diag_log *log;
        const mefw_kb *kb;
        mefw_findings *out;
        bool *explained;          /* per machine error: a rule used it */
        size_t explained_stride;
        int failed;               /* -ENOMEM seen */
        unsigned order;
        size_t cap;               /* findings allocated in out->items */
        size_t limit;             /* findings the running rule may make: out->items never moves
                                   * while a rule runs, so a finding it holds stays valid */
        size_t dropped;           /* findings a rule wanted past its limit */
        bool me_off_on_purpose;   /* the post shows the ME disabled by choice (me_cleaner, HAP) */
        /* the person's symptoms a finding accounts for ("symptom" facts by value) */
        const char *explained_symptoms[16];
        size_t n_explained_symptoms;
} ctx;

/* The most findings one rule makes for one machine (an image or an error each, and a few of its
 * own); the room is reserved before the rule runs. */
#define RULE_FINDINGS_MAX (MEFW_DIAG_IMAGES_MAX + MEFW_DIAG_ERRORS_MAX + 16)

static const char *const severity_names[] = { "benign", "info", "warning", "error" };
static const char *const confidence_names[] = { "low", "medium", "high" };

const char *mefw_finding_severity_name(mefw_finding_severity s) {
        return (size_t) s < ELEMENTSOF(severity_names) ? severity_names[s] : "info";
}

const char *mefw_confidence_name(mefw_confidence c) {
        return (size_t) c < ELEMENTSOF(confidence_names) ? confidence_names[c] : "low";
}

/* ---- Building findings --------------------------------------------------------------------- */

/*
 * A new finding. The pointer stays valid until the rule returns: rules keep one finding while
 * they make others (an image that fits, then the ones that do not), so the array must not be
 * reallocated under them. reserve_for_rule() makes the room before each rule; past it, the
 * finding is dropped (NULL), never the array moved.
 */
static mefw_finding *finding_new(ctx *c, const char *id, mefw_finding_severity sev, mefw_confidence conf, int machine) {
        if (c->out->n >= c->limit) {
                c->dropped++;
                return NULL;
        }
        mefw_finding *f = &c->out->items[c->out->n++];
        *f = (mefw_finding){ .severity = sev, .confidence = conf, .machine = machine, .order = c->order };
        snprintf(f->id, sizeof f->id, "%s", id);
        return f;
}

static void reserve_for_rule(ctx *c) {
        c->limit = c->out->n;
        if (grow_array((void **) &c->out->items, &c->cap, c->out->n + RULE_FINDINGS_MAX, sizeof c->out->items[0]) < 0) {
                c->failed = -ENOMEM;
                return;
        }
        c->limit = c->out->n + RULE_FINDINGS_MAX;
}

__attribute__((format(printf, 3, 0))) static void appendf(char *buf, size_t cap, const char *fmt, va_list ap) {
        size_t n = strlen(buf);
        if (n + 1 >= cap)
                return;
        vsnprintf(buf + n, cap - n, fmt, ap);
}

__attribute__((format(printf, 2, 3))) static void f_title(mefw_finding *f, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        f->title[0] = 0;
        appendf(f->title, sizeof f->title, fmt, ap);
        va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void f_explain(mefw_finding *f, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        if (f->explanation[0])
                appendf(f->explanation, sizeof f->explanation, " ", ap);
        appendf(f->explanation, sizeof f->explanation, fmt, ap);
        va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void f_remedy(mefw_finding *f, const char *fmt, ...) {
        if (f->n_remedy >= MEFW_FINDING_REMEDY_MAX)
                return;
        va_list ap;
        va_start(ap, fmt);
        char *slot = f->remedy[f->n_remedy++];
        slot[0] = 0;
        appendf(slot, sizeof f->remedy[0], fmt, ap);
        va_end(ap);
}

/* Add sources, each '; '-separated part once. */
static void f_source(mefw_finding *f, const char *s) {
        while (s && *s) {
                const char *end = strstr(s, "; ");
                size_t n = end ? (size_t) (end - s) : strlen(s);
                char part[400];
                snprintf(part, sizeof part, "%.*s", (int) MIN(n, sizeof part - 1), s);
                if (part[0] && !strstr(f->source, part)) {
                        size_t len = strlen(f->source);
                        if (len + n + 3 < sizeof f->source)
                                snprintf(f->source + len, sizeof f->source - len, "%s%s", len ? "; " : "", part);
                }
                s = end ? end + 2 : NULL;
        }
}

static void f_evidence(ctx *c, mefw_finding *f, mefw_diag_loc at) {
        if (!at.line || f->n_evidence >= MEFW_FINDING_EVIDENCE_MAX)
                return;
        for (size_t i = 0; i < f->n_evidence; i++)
                if (f->evidence[i].at.input == at.input && f->evidence[i].at.line == at.line)
                        return;
        mefw_evidence *e = &f->evidence[f->n_evidence++];
        e->at = at;
        const char *q = mefw_diag_quote(c->log, at);
        snprintf(e->text, sizeof e->text, "%s", q ? q : "");
        e->person = mefw_diag_quote_person(c->log, at);
}

/* Evidence without a log line: a file given on the command line, the live machine. */
static void f_evidence_text(mefw_finding *f, const char *text) {
        if (f->n_evidence >= MEFW_FINDING_EVIDENCE_MAX)
                return;
        mefw_evidence *e = &f->evidence[f->n_evidence++];
        e->at = (mefw_diag_loc){ 0, 0 };
        snprintf(e->text, sizeof e->text, "%s", text);
}

static void f_evidence_fact(ctx *c, mefw_finding *f, const mefw_diag_fact *fact) {
        if (fact)
                f_evidence(c, f, fact->at);
}

static void f_evidence_error(ctx *c, mefw_finding *f, const mefw_diag_error *e) {
        /* Context lines lead in ("vsccommn.bin not found" before "Error 9268"), so they go first
         * when they come first in the log. */
        for (unsigned i = 0; i < e->n_context; i++)
                if (e->context[i] < e->lines[0])
                        f_evidence(c, f, (mefw_diag_loc){ e->input, e->context[i] });
        for (unsigned i = 0; i < e->n_lines; i++)
                f_evidence(c, f, (mefw_diag_loc){ e->input, e->lines[i] });
        for (unsigned i = 0; i < e->n_context; i++)
                f_evidence(c, f, (mefw_diag_loc){ e->input, e->context[i] });
}

static void f_kb(mefw_finding *f, const mefw_kb_entry *k, bool remedies) {
        if (!k)
                return;
        f->cls = mefw_kb_class_name(k->cls);
        f_source(f, k->source);
        if (remedies)
                for (size_t i = 0; i < k->n_remedies; i++)
                        f_remedy(f, "%s", k->remedies[i]);
}

static mefw_finding_severity severity_of_class(mefw_kb_class cls) {
        switch (cls) {
        case MEFW_CLASS_BENIGN: return MEFW_FINDING_BENIGN;
        case MEFW_CLASS_BROKEN: return MEFW_FINDING_ERROR;
        default: return MEFW_FINDING_WARNING;
        }
}

/* ---- Facts --------------------------------------------------------------------------------- */

static const mefw_diag_machine *machine(const ctx *c, int mi) {
        return &c->log->machines[mi];
}

/* A fact of the person's own words ("tried=tpm-clear"). */
static bool post_has(const ctx *c, const char *name, const char *value) {
        return mefw_diag_post_fact(c->log, name, value) != NULL;
}

static const mefw_diag_fact *fact(const ctx *c, int mi, const char *name) {
        return mefw_diag_fact_get(machine(c, mi), name);
}

static bool *explained(ctx *c, int mi, size_t ei) {
        return &c->explained[(size_t) mi * c->explained_stride + ei];
}

/* The machine's errors whose knowledge-base id is one of 'ids' (NULL-terminated). */
static size_t find_errors(const ctx *c, int mi, const char *const *ids, size_t *out, size_t max) {
        const mefw_diag_machine *m = machine(c, mi);
        size_t n = 0;
        for (size_t i = 0; i < m->n_errors && n < max; i++)
                for (const char *const *id = ids; *id; id++)
                        if (m->errors[i].kb && strcmp(m->errors[i].kb->id, *id) == 0) {
                                out[n++] = i;
                                break;
                        }
        return n;
}

static const mefw_diag_error *find_error(const ctx *c, int mi, const char *id, size_t *ret_index) {
        const char *ids[] = { id, NULL };
        size_t i;
        if (find_errors(c, mi, ids, &i, 1) == 0)
                return NULL;
        if (ret_index)
                *ret_index = i;
        return &machine(c, mi)->errors[i];
}

static void use_error(ctx *c, mefw_finding *f, int mi, size_t ei) {
        *explained(c, mi, ei) = true;
        f_evidence_error(c, f, &machine(c, mi)->errors[ei]);
        f_kb(f, machine(c, mi)->errors[ei].kb, false);
}

static const mefw_diag_run *run_of(const ctx *c, int ri) {
        return ri >= 0 && (size_t) ri < c->log->n_runs ? &c->log->runs[ri] : NULL;
}

static bool run_has_switch(const mefw_diag_run *r, const char *sw) {
        if (!r->command[0])
                return false;
        size_t n = strlen(sw);
        for (const char *p = strcasestr(r->command, sw); p; p = strcasestr(p + 1, sw))
                if (p > r->command && (p[-1] == ' ' || p[-1] == '-' || p[-1] == '/') && (p[n] == 0 || p[n] == ' '))
                        return true;
        return false;
}

static void fmt_version(char *buf, size_t cap, const uint16_t v[4]) {
        snprintf(buf, cap, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
}

static int version_cmp(const uint16_t a[4], const uint16_t b[4]) {
        for (int i = 0; i < 4; i++)
                if (a[i] != b[i])
                        return a[i] < b[i] ? -1 : 1;
        return 0;
}

/* Firmware family families use for branches: ME 9.0 vs 9.1, CSME 11.0 vs 11.8, TXE 1.0 vs 1.1. */

/* The firmware's size class as the tools word it: "1.5MB", "5MB", "Consumer", "Corporate"... */
static const char *sku_class(const char *s) {
        if (!s || !*s)
                return NULL;
        if (strcasestr(s, "1.5"))
                return "1.5MB";
        if (strcasestr(s, "5MB") || strcasestr(s, "5M ") || strcasestr(s, "corporate"))
                return strcasestr(s, "corporate") ? "Corporate" : "5MB";
        if (strcasestr(s, "consumer"))
                return "Consumer";
        if (strcasestr(s, "slim"))
                return "Slim";
        return NULL;
}

/* The running firmware's SKU, from whichever tool said it, with where. */
static const char *machine_sku(const ctx *c, int mi, mefw_diag_loc *ret_at) {
        const mefw_diag_machine *m = machine(c, mi);
        const mefw_diag_fact *f = fact(c, mi, "sku");
        if (f && sku_class(f->value)) {
                *ret_at = f->at;
                return sku_class(f->value);
        }
        const mefw_diag_fact *pt = fact(c, mi, "platform-type");
        if (pt && m->generation.family) {
                uint32_t v;
                if (mefw_parse_register(pt->value, NULL, &v) == 0) {
                        mefw_named_value nv[8];
                        size_t n = mefw_platform_type_describe(v, &m->generation, nv, ELEMENTSOF(nv));
                        for (size_t i = 0; i < n; i++)
                                if (strcmp(nv[i].name, "ME Firmware Image Type") == 0 && sku_class(nv[i].value)) {
                                        *ret_at = pt->at;
                                        return sku_class(nv[i].value);
                                }
                }
        }
        return NULL;
}

/* ---- The rules ----------------------------------------------------------------------------- */

#define SRC_WINRAID_ME "Win-Raid 'Intel (Converged Security) Management Engine: Drivers, Firmware and Tools' thread (pages 29, 110, 134)"
#define SRC_CLEAN_ME "Win-Raid '[Guide] Clean Dumped Intel Engine (CS)ME/(CS)TXE Regions with Data Initialization'"

/* 8741/8707 (or another firmware-side error) after the image was accepted. */
static void rule_update_aborted(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        mefw_finding *f = NULL;
        unsigned runs = 0;
        bool allowsv = false;
        for (size_t ri = 0; ri < c->log->n_runs; ri++) {
                const mefw_diag_run *r = &c->log->runs[ri];
                if (r->machine != mi || r->kind != MEFW_RUN_FWUPDATE || !r->image_accepted_line || r->success_line)
                        continue;
                bool any = false;
                for (size_t ei = 0; ei < m->n_errors; ei++) {
                        const mefw_diag_error *e = &m->errors[ei];
                        if (e->input != r->input || !e->kb || e->kb->cls != MEFW_CLASS_BROKEN)
                                continue;
                        bool in_run = false;
                        for (unsigned k = 0; k < e->n_lines; k++)
                                in_run |= e->lines[k] > r->image_accepted_line && e->lines[k] <= r->last_line;
                        if (!in_run)
                                continue;
                        if (!f) {
                                f = finding_new(c, "update-aborted", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_HIGH, mi);
                                if (!f)
                                        return;
                        }
                        any = true;
                        use_error(c, f, mi, ei);
                }
                if (!any)
                        continue;
                runs++;
                allowsv |= run_has_switch(r, "allowsv");
                f_evidence(c, f, (mefw_diag_loc){ r->input, r->image_accepted_line });
                if (r->progress_line)
                        f_evidence(c, f, (mefw_diag_loc){ r->input, r->progress_line });
                if (runs == 1) {
                        if (r->progress_stages)
                                f_title(f, "The firmware aborted the update after accepting the image (%u%%, stage %u of %u)",
                                        r->progress_percent, r->progress_stage, r->progress_stages);
                        else
                                f_title(f, "The firmware aborted the update after accepting the image");
                        f_explain(f, "FWUpdLcl sent the image and the firmware verified and accepted it; then the firmware "
                                     "itself stopped the update%s and the tool could only report a generic failure. "
                                     "The file and the command line got past every check, so the fault is inside the ME: "
                                     "its region is in a state the update cannot handle, or the tool does not match the "
                                     "running firmware's branch.",
                                  r->progress_stages ? " partway through" : "");
                }
        }
        if (!f)
                return;
        if (runs > 1)
                f_explain(f, "It failed the same way in %u runs%s, so a different image will not help.", runs,
                          allowsv ? ", including a same-version reflash with -allowsv" : "");
        f_remedy(f, "Do a global reset or a full power drain (shut down, unplug, remove the battery if there is one, "
                    "wait a minute) before any retry.");
        f_remedy(f, "Retry with FWUpdLcl from the tools package of the same branch as the running firmware.");
        f_remedy(f, "If it fails again, rewrite the whole ME region: the board maker's BIOS recovery or full-image "
                    "update, or a cleaned region of the same version written with FPT or a programmer.");
        f_source(f, "Win-Raid thread 36175 (Intel ME Error 8707: Firmware update failed)");
}

/* FWUpdLcl from another branch than the running firmware. */
static void rule_tool_branch(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        if (!m->has_firmware || !m->generation.family)
                return;
        for (size_t ri = 0; ri < c->log->n_runs; ri++) {
                const mefw_diag_run *r = &c->log->runs[ri];
                if (r->machine != mi || r->kind != MEFW_RUN_FWUPDATE || !r->major)
                        continue;
                /* the update policy says which tools package the firmware needs */
                if (mefw_update_tool_fits(m->generation.family, m->firmware, r->major, r->minor))
                        continue;
                bool failed = r->n_errors > 0;
                mefw_finding *f = finding_new(c, "tool-branch", failed ? MEFW_FINDING_ERROR : MEFW_FINDING_WARNING,
                                              MEFW_CONFIDENCE_MEDIUM, mi);
                if (!f)
                        return;
                char fw[32];
                fmt_version(fw, sizeof fw, m->firmware);
                f_title(f, "FWUpdLcl %s is from the %u.%u branch; the firmware is %s (%u.%u)", r->version, r->major,
                        r->minor, fw, m->firmware[0], m->firmware[1]);
                f_explain(f, "Intel's update tools belong to one firmware branch. Experts tell people to use the tools of "
                             "the branch the machine runs (the %u.%u tools for %u.%u firmware); a tool from another branch "
                             "can talk to the firmware and still fail inside the update.",
                          m->firmware[0], m->firmware[1], m->firmware[0], m->firmware[1]);
                f_evidence(c, f, (mefw_diag_loc){ r->input, r->line });
                f_evidence(c, f, m->firmware_at);
                f_remedy(f, "Get the FWUpdLcl of the %u.%u tools package (System Tools for ME %u.%u) and run the update "
                            "with it.", m->firmware[0], m->firmware[1], m->firmware[0], m->firmware[1]);
                f_remedy(f, "Keep the image in the %u.%u branch too: FWUpdate never takes a machine back to an older "
                            "branch, and a move to a newer one is one-way and needs a BIOS made for it.",
                         m->firmware[0], m->firmware[1]);
                f_source(f, SRC_WINRAID_ME);
                return; /* one finding per machine: the runs repeat the same tool */
        }
}

/* The images named or passed, against the firmware the machine runs. */
static void rule_image_match(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        if (!m->has_firmware)
                return;
        mefw_update_current cur;
        bool have_cur = mefw_diag_update_current(c->log, mi, NULL, &cur) == 0;
        mefw_diag_loc sku_at = { 0, 0 };
        const char *sku = machine_sku(c, mi, &sku_at);
        const char *chipset = m->generation.family ? mefw_chipset_support(m->generation.family, m->firmware[0], m->firmware[1]) : NULL;
        char fw[32];
        fmt_version(fw, sizeof fw, m->firmware);
        mefw_finding *ok = NULL;
        char names[400] = "";
        for (size_t i = 0; i < c->log->n_images; i++) {
                const mefw_diag_image *img = &c->log->images[i];
                if ((img->machine != -1 && img->machine != mi) || !img->has_version)
                        continue;
                bool seen = false; /* the same file named by several runs */
                for (size_t k = 0; k < i && !seen; k++)
                        seen = (c->log->images[k].machine == -1 || c->log->images[k].machine == mi) &&
                               c->log->images[k].has_version && version_cmp(c->log->images[k].version, img->version) == 0 &&
                               strcasecmp(c->log->images[k].name, img->name) == 0;
                if (seen)
                        continue;
                char iv[32], why[400] = "";
                const char *failed_rule = NULL;
                fmt_version(iv, sizeof iv, img->version);
                const char *isku = sku_class(img->sku);
                /* the one update policy (lib/update) decides; a failing rule's reason says why */
                mefw_update_check chk;
                mefw_firmware ifw = { .family = img->family[0] ? img->family : cur.family, .has_version = true,
                                      .chipset = img->chipset[0] ? img->chipset : NULL };
                memcpy(ifw.version, img->version, sizeof ifw.version);
                snprintf(ifw.sku, sizeof ifw.sku, "%s", img->sku);
                if (have_cur && ifw.family[0] && mefw_update_check_firmware(&cur, &ifw, &chk) == 0)
                        for (size_t k = 0; k < chk.n_rules && !why[0]; k++)
                                if (chk.rules[k].result == MEFW_RULE_FAIL && strcmp(chk.rules[k].name, "version") != 0) {
                                        snprintf(why, sizeof why, "%s", chk.rules[k].reason);
                                        failed_rule = chk.rules[k].name;
                                }
                if (why[0]) {
                        mefw_finding *f = finding_new(c, "image-mismatch", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_HIGH, mi);
                        if (!f)
                                return;
                        /* the title names the rule; the policy's reason, however long, goes below */
                        f_title(f, "%s (%s) does not fit this machine (the %s rule)", img->name, iv,
                                failed_rule ? failed_rule : "update");
                        f_explain(f, "%s.", why);
                        f_explain(f, "FWUpdate cannot change the family, major version, branch, SKU or chipset of the "
                                     "firmware; it refuses such an image (8704/8705, or their CSME 12+ equivalents) or, "
                                     "with some old tools, lets it through and leaves a board that does not boot.");
                        if (img->at.line)
                                f_evidence(c, f, img->at);
                        else
                                f_evidence_text(f, img->name);
                        f_evidence(c, f, m->firmware_at);
                        f_remedy(f, "Use an image of the same family, branch and SKU as the running firmware (%s%s%s).", fw,
                                 sku ? ", " : "", sku ? sku : "");
                        f_remedy(f, "A change of branch or SKU needs a full reflash of the ME region (usually with the "
                                    "board maker's BIOS that ships it), not FWUpdLcl.");
                        f_source(f, SRC_WINRAID_ME "; Win-Raid threads 30724 and 31194");
                        continue;
                }
                if (!ok) {
                        ok = finding_new(c, "image-match", MEFW_FINDING_INFO, isku && sku ? MEFW_CONFIDENCE_HIGH : MEFW_CONFIDENCE_MEDIUM, mi);
                        if (!ok)
                                return;
                        f_evidence(c, ok, m->firmware_at);
                        if (sku_at.line)
                                f_evidence(c, ok, sku_at);
                }
                size_t nl = strlen(names);
                snprintf(names + nl, sizeof names - nl, "%s%s", nl ? " and " : "", iv);
                if (img->at.line)
                        f_evidence(c, ok, img->at);
                else
                        f_evidence_text(ok, img->name);
                int cmp = version_cmp(img->version, m->firmware);
                f_explain(ok, "%s is %s %u.%u%s%s%s%s%s, %s.", img->name, img->family[0] ? img->family : "ME",
                          img->version[0], img->version[1], isku ? " " : "", isku ? isku : "", img->chipset[0] ? " " : "",
                          img->chipset, img->release[0] && strcmp(img->release, "Production") != 0 ? " (not Production)" : "",
                          cmp == 0 ? "the version already running (a reflash needs -allowsv)"
                                   : cmp > 0 ? "newer than the running firmware"
                                             : "older than the running firmware: a downgrade, which the firmware refuses (8758/8760) and -allowsv does not allow");
        }
        if (!ok)
                return;
        char kind[96];
        snprintf(kind, sizeof kind, "%s %u.%u%s%s%s%s", m->generation.family ? m->generation.family : "ME", m->firmware[0],
                 m->firmware[1], sku ? " " : "", sku ? sku : "", chipset ? " " : "", chipset ? chipset : "");
        f_title(ok, "%s %s %s image%s, matching this machine's firmware %s", names, strstr(names, " and ") ? "are" : "is an",
                kind, strstr(names, " and ") ? "s" : "", fw);
        f_explain(ok, "The image is not why the update failed.");
        f_remedy(ok, "Nothing to change in the choice of image.");
        f_source(ok, "ME Analyzer (platomav/MEAnalyzer) fields; " SRC_WINRAID_ME);
}

/* Same version: -allowsv, which never allows a downgrade. */
static void rule_same_version(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        size_t ei;
        const mefw_diag_error *e = find_error(c, mi, "fwu-8772", &ei);
        if (!e)
                e = find_error(c, mi, "unified-fwu-allowsv-missing", &ei);
        if (!e || !m->has_firmware)
                return;
        mefw_finding *f = finding_new(c, "same-version", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH, mi);
        if (!f)
                return;
        use_error(c, f, mi, ei);
        f_evidence(c, f, m->firmware_at);
        f_title(f, "Reflashing the running version needs -allowsv");
        f_explain(f, "The image has the version the firmware already runs. FWUpdLcl refuses that unless -allowsv "
                     "(allow same version) is given; -allowsv never allows an older version.");
        f_remedy(f, "Run FWUpdLcl again with -allowsv added.");
        f_source(f, "intel/lms PFWUpdateDllWrapperLegacy.cpp and errorlist.h (FWU_ALLOWSV_MISSING)");
}

/* Windows blocked the tool's driver: zeroed registers are its artifact. */
static void rule_driver_artifact(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        mefw_finding *f = NULL;
        for (size_t ei = 0; ei < m->n_errors; ei++) {
                const mefw_diag_error *e = &m->errors[ei];
                if (!e->kb || e->kb->tool != MEFW_KB_TOOL_WINDOWS || e->kb->cls != MEFW_CLASS_ENV)
                        continue;
                const mefw_diag_run *r = run_of(c, e->run);
                if (!r || (r->kind != MEFW_RUN_MEINFO && r->kind != MEFW_RUN_MEMANUF && r->kind != MEFW_RUN_FWUPDATE))
                        continue;
                if (!f) {
                        f = finding_new(c, "driver-artifact", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH, mi);
                        if (!f)
                                return;
                        f_title(f, "Windows blocked %s's driver; what it read from the ME is not real",
                                r->tool[0] ? r->tool : "the tool");
                        f_explain(f, "%s %s loads a helper driver that this Windows refuses (%s). Without it the tool "
                                     "reads nothing from the ME, so a status register of 0 is the tool's artifact, not a "
                                     "dead or disabled ME.", r->tool, r->version, e->kb->title);
                        f_remedy(f, "Boot DOS (a FreeDOS USB stick) and run the DOS build of the same tools package; it "
                                    "needs no Windows driver.");
                        f_remedy(f, "Judge the ME's state only from the DOS output.");
                }
                use_error(c, f, mi, ei);
        }
        /* The zeroed registers themselves. */
        for (size_t i = 0; i < c->log->n_regsets; i++) {
                const mefw_diag_regset *d = &c->log->regsets[i];
                if (d->machine != mi || !d->set.driver_error)
                        continue;
                bool zero = true;
                for (unsigned k = 0; k < d->set.n_hfsts; k++)
                        zero &= d->set.hfsts[k] == 0;
                if (!zero)
                        continue;
                if (!f) {
                        f = finding_new(c, "driver-artifact", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_MEDIUM, mi);
                        if (!f)
                                return;
                        f_title(f, "The tool's driver failed; its zero status register is not the ME's state");
                        f_remedy(f, "Run the DOS or EFI build of the tool, which needs no operating-system driver.");
                }
                f_evidence(c, f, (mefw_diag_loc){ d->input, d->set.line[0] });
                if (d->set.driver_error_line)
                        f_evidence(c, f, (mefw_diag_loc){ d->input, d->set.driver_error_line });
        }
        if (f)
                f_source(f, "winerror.h ERROR_DRIVER_BLOCKED (1275); Win-Raid ME thread page 93 (ME 5 tools on Windows 7/8/10: use DOS)");
}

/* The firmware hosts the TPM: updates take the TPM path (8721). */
static void rule_tpm_path(ctx *c, int mi) {
        size_t ei;
        const mefw_diag_error *e = find_error(c, mi, "fwu-8721", &ei);
        const mefw_diag_fact *cap = fact(c, mi, "tpm-capability");
        if (!e)
                return;
        mefw_finding *f = finding_new(c, "tpm-path", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH, mi);
        if (!f)
                return;
        use_error(c, f, mi, ei);
        f_evidence_fact(c, f, cap);
        f_title(f, "This firmware hosts the TPM, so the update must go through the TPM path (-tpm)");
        f_explain(f, "On ME 4/5 AMT platforms whose firmware provides the TPM (\"Intel(R) TPM\" among its "
                     "capabilities), FWUpdLcl refuses a normal (-generic) update and asks for -tpm: the image then goes "
                     "to the firmware through the TPM. This is policy, not damage.");
        f_remedy(f, "Run FWUpdLcl with -tpm instead of -generic (the DOS build, see the other findings).");
        f_kb(f, e->kb, false);
        f_source(f, "Win-Raid thread 32123 (FS Esprimo 5730 AMT upgrade)");
}

/* A TPM-path upload that never finished. */
static void rule_tpm_upload_stalled(ctx *c, int mi) {
        mefw_finding *f = NULL;
        for (size_t ri = 0; ri < c->log->n_runs; ri++) {
                const mefw_diag_run *r = &c->log->runs[ri];
                if (r->machine != mi || r->kind != MEFW_RUN_FWUPDATE || strcasecmp(r->comm_mode, "TPM") != 0 ||
                    r->success_line || r->n_errors)
                        continue;
                if (!f) {
                        f = finding_new(c, "tpm-upload-stalled", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_MEDIUM, mi);
                        if (!f)
                                return;
                        f_title(f, "The update through the TPM never finished");
                }
                f_evidence(c, f, (mefw_diag_loc){ r->input, r->upload_line ? r->upload_line : r->comm_mode_line });
                if (r->environment)
                        f_explain(f, "Under %s the tool %s and the log ends there.", r->environment,
                                  r->upload_line ? "started uploading the image through the TPM" : "switched to the TPM path");
        }
        if (!f)
                return;
        /* What the TPM looked like: owned, and active or not, per environment. */
        const mefw_diag_machine *m = machine(c, mi);
        bool owned = false, inactive = false;
        const char *inactive_env = NULL;
        for (size_t i = 0; i < m->n_facts; i++) {
                const mefw_diag_fact *t = &m->facts[i];
                if (strcmp(t->name, "tpm-mode") != 0)
                        continue;
                f_evidence(c, f, t->at);
                owned |= strcasestr(t->value, "Owned") && !strcasestr(t->value, "Unowned");
                if (strcasestr(t->value, "Inactive")) {
                        inactive = true;
                        const mefw_diag_run *r = run_of(c, t->run);
                        if (r && r->environment)
                                inactive_env = r->environment;
                }
        }
        if (owned)
                f_explain(f, "MEInfo shows the TPM owned; an update through an owned TPM needs the owner's "
                             "authorization (FWUpdLcl error 8729 on other machines).");
        if (inactive)
                f_explain(f, "It also shows the TPM inactive%s%s, and an inactive TPM cannot take the image at all.",
                          inactive_env ? " under " : "", inactive_env ? inactive_env : "");
        if (post_has(c, "tried", "tpm-clear"))
                /* a clear was done already: what is left is what a clear undoes */
                f_remedy(f, "The TPM was cleared already: in BIOS setup under DOS, enable and activate it again (a "
                            "clear leaves it deactivated on many boards) and check it shows no owner.");
        else
                f_remedy(f, "In BIOS setup, make the TPM enabled and activated, and clear its ownership (save any "
                            "keys first; take ownership again after the update).");
        f_remedy(f, "Power off fully, then run the DOS FWUpdLcl with -tpm again and wait several minutes before "
                    "deciding it hangs.");
        f_remedy(f, "If it still stalls: the other way is to write a 5.2-era ME region with FPT or a programmer; "
                    "\"Flash protection: Enabled\" means the descriptor must be unlocked (jumper) or a programmer used.");
        f_source(f, "Win-Raid thread 32123; Intel community thread 29898 (AMT 4 TPM-path update, 8729)");
}

/* The ME sits in its update phase. */
static void rule_update_phase(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        const mefw_diag_fact *ph = fact(c, mi, "phase");
        const mefw_status_field *sf = m->status ? mefw_status_field_get(m->status, "Phase") : NULL;
        bool in_update = (ph && strcasestr(ph->value, "FWUpdate")) || (sf && sf->value && strcasestr(sf->value, "FWUpdate"));
        if (!in_update)
                return;
        mefw_finding *f = finding_new(c, "update-phase", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_MEDIUM, mi);
        if (!f)
                return;
        for (size_t i = 0; i < m->n_facts; i++)
                if (strcmp(m->facts[i].name, "phase") == 0)
                        f_evidence(c, f, m->facts[i].at);
        if (m->status_set >= 0 && sf) {
                const mefw_diag_regset *d = &c->log->regsets[m->status_set];
                unsigned reg = sf->reg ? sf->reg : 2;
                if (reg <= d->set.n_hfsts)
                        f_evidence(c, f, (mefw_diag_loc){ d->input, d->set.line[reg - 1] });
        }
        f_title(f, "The ME is still in its firmware-update phase");
        f_explain(f, "HFSTS2's phase field says FWUpdate: the ME has not left the state the aborted update put it in. "
                     "A retry from this state tends to fail the same way.");
        f_remedy(f, "Do a global reset (FPT -greset, if FPT runs here) or a full power drain: shut down, unplug the "
                    "power cord (and battery), hold the power button for 30 seconds, wait a minute.");
        f_remedy(f, "Run MEInfo again and check that Phase is no longer FWUpdate before retrying the update.");
        f_source(f, "Win-Raid thread 36175; Win-Raid thread 32053 (-greset)");
}

/* ICC on defaults: the ME's configuration data is not the OEM's. */
static void rule_icc_default(ctx *c, int mi) {
        const mefw_diag_fact *icc = fact(c, mi, "icc");
        size_t ei;
        const mefw_diag_error *e = find_error(c, mi, "meinfo-9317", &ei);
        bool bad_icc = icc && (strcasestr(icc->value, "default") || strcasestr(icc->value, "not programmed") ||
                               strcasestr(icc->value, "No valid OEM"));
        if (!bad_icc && !e)
                return;
        const mefw_diag_machine *m = machine(c, mi);
        /* harmless by itself: the clocks run on Intel's defaults and the machine works; it is no
         * reason to rewrite anything, and no update fails because of it */
        mefw_finding *f = finding_new(c, "icc-default", MEFW_FINDING_INFO, MEFW_CONFIDENCE_MEDIUM, mi);
        if (!f)
                return;
        for (size_t i = 0; i < m->n_facts; i++)
                if (strcmp(m->facts[i].name, "icc") == 0)
                        f_evidence(c, f, m->facts[i].at);
        if (e)
                use_error(c, f, mi, ei);
        f_title(f, "ICC runs on default values (not the board maker's profile): harmless by itself");
        f_explain(f, "The integrated clock controller has no valid OEM profile (9317), so it runs Intel's defaults. "
                     "The machine works that way and no update fails because of it. It is often the trace of an ME "
                     "region that was once replaced by an unconfigured one or taken from another board.");
        f_remedy(f, "Nothing to repair for this alone.");
        f_remedy(f, "Do not write an Intel stock region or update image over this region with FPT to 'fix' it: that "
                    "loses the board's remaining configuration.");
        f_source(f, "Win-Raid thread 35121 (ICC not programmed after an FPT flash); " SRC_CLEAN_ME);
}

/* The descriptor keeps the host off the ME region: FPT cannot be the fallback. */
static void rule_fpt_fallback(ctx *c, int mi) {
        const mefw_diag_fact *w = fact(c, mi, "host-write-me");
        const mefw_diag_fact *h = fact(c, mi, "hmrfpo");
        bool write_off = w && strcasestr(w->value, "Disabled");
        bool locked = h && strcasestr(h->value, "Locked");
        if (!write_off && !locked)
                return;
        static const char *const fpt_access[] = { "fpt-25", "fpt-26", "fpt-451", "fpt-185", "fpt-167", NULL };
        size_t idx[8];
        size_t n = find_errors(c, mi, fpt_access, idx, ELEMENTSOF(idx));
        mefw_finding *f = finding_new(c, "fpt-fallback-locked", n ? MEFW_FINDING_ERROR : MEFW_FINDING_INFO,
                                      MEFW_CONFIDENCE_HIGH, mi);
        if (!f)
                return;
        f_evidence_fact(c, f, fact(c, mi, "host-read-me"));
        f_evidence_fact(c, f, w);
        f_evidence_fact(c, f, h);
        for (size_t i = 0; i < n; i++)
                use_error(c, f, mi, idx[i]);
        f_title(f, "%s%s%s: FPT cannot rewrite the ME region from this OS", write_off ? "Host write access to the ME is disabled" : "",
                write_off && locked ? " and " : "", locked ? "HMRFPO is locked" : "");
        f_explain(f, "This is normal on a finished board and is not why FWUpdate fails: FWUpdate goes through the "
                     "ME itself and needs no host access. It does mean that the usual fallback, writing the ME region "
                     "with FPT, is closed until the region is unlocked.");
        f_remedy(f, "If the ME region has to be rewritten, use the board's own recovery path first (on Intel desktop "
                    "boards: BIOS Recovery with the configuration jumper removed and the .BIO file on USB).");
        f_remedy(f, "Otherwise unlock the region temporarily: a service or flash-descriptor-override jumper, the "
                    "descriptor-override strap (pinmod), or a BIOS option that opens HMRFPO; remove the jumper afterwards.");
        f_remedy(f, "Or write the region with an external SPI programmer.");
        f_source(f, "Win-Raid ME thread page 97 (FWUpdate needs no host access); Intel Desktop Board manuals (BIOS Recovery); "
                    "corna/me_cleaner issues #145 and #291");
}

/* Manufacturing mode left on, or the ME in a jumper/override mode. */
/*
 * The HAP / AltMeDisable bit: the owner (or the board maker) switched the ME off on purpose, and
 * its status registers say so ("Alt Disable Mode"). The engine then stops in bring-up and answers
 * nobody; none of that is a fault, and a reflash would only undo the owner's choice.
 */
static bool alt_disabled(const ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        const mefw_status_field *f = m->status ? mefw_status_field_get(m->status, "ModeOfOperation") : NULL;
        if (f && f->value && strcasestr(f->value, "Alt Disable"))
                return true;
        const mefw_diag_fact *mo = fact(c, mi, "mode-of-operation");
        return mo && strcasestr(mo->value, "Alt Disable");
}

static void rule_me_mode(ctx *c, int mi) {
        const mefw_diag_fact *mm = fact(c, mi, "manufacturing-mode");
        const mefw_diag_fact *mo = fact(c, mi, "mode-of-operation");
        bool mfg = mm && (strcasestr(mm->value, "Enabled") || strcasecmp(mm->value, "Active") == 0 ||
                          strcasecmp(mm->value, "Yes") == 0);
        bool odd_mode = mo && !strcasestr(mo->value, "Normal") && !strcasestr(mo->value, "SPS") && !alt_disabled(c, mi);
        if (mfg) {
                mefw_finding *f = finding_new(c, "manufacturing-mode", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH, mi);
                if (!f)
                        return;
                f_evidence_fact(c, f, mm);
                f_title(f, "The ME is in manufacturing mode");
                f_explain(f, "Manufacturing mode should be closed by the board maker; left on, it leaves the flash "
                             "unlocked and the ME unconfigured (ICC defaults are typical).");
                f_remedy(f, "If the board came this way, the region was replaced; restore the board maker's ME region.");
                f_remedy(f, "Otherwise close manufacturing with the tools package's MEManuf/FPT -closemnf only after the "
                            "region is right.");
                f_source(f, "Win-Raid thread 35121; Intel ME System Tools user guide (MEInfo, ManufacturingMode)");
        }
        if (odd_mode) {
                mefw_finding *f = finding_new(c, "operation-mode", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH, mi);
                if (!f)
                        return;
                f_evidence_fact(c, f, mo);
                f_title(f, "The ME is not in normal operation: %s", mo->value);
                f_explain(f, "A service or override jumper, or a disable setting, puts the ME in this mode, and it also "
                             "stops normal ME operation: updates and MEInfo queries fail while it is set.");
                f_remedy(f, "Remove the jumper (or undo the BIOS setting) once the flash work it was for is done, then "
                            "power-cycle.");
                f_source(f, "Win-Raid threads 35121 and 32655; Lenovo M920s thread 111483");
        }
}

static void rule_local_fwupdate(ctx *c, int mi) {
        const mefw_diag_fact *lf = fact(c, mi, "local-fwupdate");
        size_t ei;
        const mefw_diag_error *e = find_error(c, mi, "fwu-8719", &ei);
        if (!(lf && strcasestr(lf->value, "Disabled")) && !e)
                return;
        mefw_finding *f = finding_new(c, "local-fwupdate-disabled", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_HIGH, mi);
        if (!f)
                return;
        f_evidence_fact(c, f, lf);
        if (e)
                use_error(c, f, mi, ei);
        f_title(f, "Local firmware update is disabled on this machine");
        f_explain(f, "The firmware refuses FWUpdLcl while Local FWUpdate is disabled (8719).");
        f_remedy(f, "Enable it in MEBx (Ctrl+P at boot) or in BIOS setup, if the board maker exposes the option.");
        f_remedy(f, "Otherwise only a region write with FPT (with access) or a programmer can update the ME.");
        f_source(f, "intel/lms PFWUpdateDllWrapperLegacy.cpp (8719); intel/lms errorlist.h (FWU_LOCAL_DIS)");
}

/* 9296 only summarizes the MEManuf failures before it. */
static void rule_manuf_summary(ctx *c, int mi) {
        size_t ei;
        const mefw_diag_error *e = find_error(c, mi, "meinfo-9296", &ei);
        if (!e)
                return;
        const mefw_diag_machine *m = machine(c, mi);
        char listed[300] = "";
        bool all_benign = true;
        unsigned counted = 0;
        for (size_t i = 0; i < m->n_errors; i++) {
                const mefw_diag_error *x = &m->errors[i];
                if (i == ei || x->run != e->run || x->lines[0] > e->lines[0])
                        continue;
                size_t n = strlen(listed);
                if (x->code >= 0)
                        snprintf(listed + n, sizeof listed - n, "%s%ld", n ? ", " : "", x->code);
                counted++;
                bool benign = x->kb && (x->kb->cls == MEFW_CLASS_BENIGN);
                all_benign &= benign;
        }
        mefw_finding *f = finding_new(c, "manuf-summary", MEFW_FINDING_BENIGN, MEFW_CONFIDENCE_HIGH, mi);
        if (!f)
                return;
        use_error(c, f, mi, ei);
        f_title(f, "Error 9296 only sums up the MEManuf failures listed before it");
        if (counted)
                f_explain(f, "MEManuf prints 9296 whenever any of its tests failed; here those are %s. Judge those "
                             "lines, not 9296.%s", listed[0] ? listed : "the lines above",
                          all_benign ? " All of them are harmless, so the ME passed everything that matters." : "");
        else
                f_explain(f, "MEManuf prints 9296 whenever any of its tests failed; the failing lines are not in the "
                             "paste. Post the whole MEManuf output.");
        f_remedy(f, "Nothing to do about 9296 itself; see the findings for the errors before it.");
}

/* Failing health checks of the decoded status registers. */
static void rule_me_state(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        if (!m->status || (m->status_set < 0 && !m->live))
                return;
        /* Registers from a log, or read live from this machine. */
        const mefw_diag_regset *d = m->status_set >= 0 ? &c->log->regsets[m->status_set] : NULL;
        if ((d && d->set.driver_error) || alt_disabled(c, mi))
                return; /* an artifact, or an ME switched off on purpose (rule_me_off_on_purpose) */
        if (mefw_status_all_ones(m->status)) {
                /* nothing answered the read: no state at all, and surely no damage to repair */
                mefw_finding *f = finding_new(c, "no-me-device", MEFW_FINDING_INFO, MEFW_CONFIDENCE_HIGH, mi);
                if (!f)
                        return;
                for (unsigned r = 0; d && r < d->set.n_hfsts; r++)
                        f_evidence(c, f, (mefw_diag_loc){ d->input, d->set.line[r] });
                f_title(f, "The status registers read all ones: no ME device answered");
                f_explain(f, "A register read that no device answers returns 0xFFFFFFFF. The ME's PCI function is "
                             "hidden (by the BIOS, a me_cleaner'd or HAP-disabled ME, coreboot), switched off or absent, "
                             "so these values are no firmware state and no sign of damage.");
                f_remedy(f, "Nothing to repair from these values. If the ME should be there, check the BIOS ME option "
                            "and any ME-disable jumper, then read the state again.");
                f_source(f, "PCI Local Bus specification (reads of an absent function return all ones); Linux kernel "
                            "documentation, driver-api/mei");
                return;
        }
        mefw_finding *f = NULL;
        for (size_t i = 0; i < m->status->n_checks; i++) {
                const mefw_status_check *k = &m->status->checks[i];
                if (k->verdict != MEFW_CHECK_FAIL || strcmp(k->id, "phase") == 0 || strcmp(k->id, "update-in-progress") == 0 ||
                    strcmp(k->id, "icc") == 0 || strcmp(k->id, "manufacturing-mode") == 0)
                        continue; /* those have rules of their own */
                if (!f) {
                        f = finding_new(c, "me-state", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_HIGH, mi);
                        if (!f)
                                return;
                        f_title(f, "The status registers show an ME fault");
                        for (unsigned r = 0; d && r < d->set.n_hfsts; r++)
                                f_evidence(c, f, (mefw_diag_loc){ d->input, d->set.line[r] });
                        if (!d) {
                                char text[64];
                                snprintf(text, sizeof text, "this machine (live): HFSTS1 0x%08X", m->status->hfsts[0]);
                                f_evidence_text(f, text);
                        }
                }
                size_t rl = strlen(k->reason);
                f_explain(f, "%s: %.*s.", k->title, (int) (rl && k->reason[rl - 1] == '.' ? rl - 1 : rl), k->reason);
        }
        if (!f)
                return;
        f_explain(f, "FWUpdate cannot run on a broken ME; the way out is the reflash path.");
        f_remedy(f, "Do a global reset or a full power drain, then read the state again.");
        f_remedy(f, "Check jumpers and BIOS options that disable the ME.");
        f_remedy(f, "If the fault stays, rewrite the ME region (board maker's recovery, or a cleaned region with FPT "
                    "or a programmer).");
        f_source(f, "MEInfo/MEManuf field meanings (status decoder); " SRC_CLEAN_ME);
}

/* A firmware version of 0.0.0.0: the ME did not answer. */
static void rule_zero_version(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        const mefw_diag_fact *fv = NULL;
        for (size_t i = 0; i < m->n_facts; i++)
                if (strcmp(m->facts[i].name, "firmware-version") == 0 && strncmp(m->facts[i].value, "0.0.0.0", 7) == 0)
                        fv = &m->facts[i];
        if (!fv)
                return;
        mefw_finding *f = finding_new(c, "zero-version", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_MEDIUM, mi);
        if (!f)
                return;
        f_evidence_fact(c, f, fv);
        f_title(f, "The firmware version reads 0.0.0.0: the ME is not answering");
        f_explain(f, "A version of 0.0.0.0 (or N/A) means the ME did not report one: disabled, in recovery, or its "
                     "region is corrupted. FWUpdate cannot run on it.");
        f_remedy(f, "Do a global reset or a full power drain.");
        f_remedy(f, "Check for a jumper or BIOS option that disables the ME.");
        f_remedy(f, "Dump the flash, check the ME region with 'mefw analyze', and rewrite it (Clean ME) if it is damaged.");
        f_source(f, SRC_CLEAN_ME "; Win-Raid ME thread page 300");
}

/* ME 1-5 registers are shown raw. */
static void rule_status_raw(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        if (!m->status || m->status->layout != MEFW_LAYOUT_ME_ICH || m->status_set < 0)
                return;
        const mefw_diag_regset *d = &c->log->regsets[m->status_set];
        if (d->set.driver_error)
                return;
        mefw_finding *f = finding_new(c, "status-raw", MEFW_FINDING_INFO, MEFW_CONFIDENCE_HIGH, mi);
        if (!f)
                return;
        f_evidence(c, f, (mefw_diag_loc){ d->input, d->set.line[0] });
        f_title(f, "Status register 0x%08X is shown raw: the ME %u layout is not public", d->set.hfsts[0],
                m->generation.major ? m->generation.major : 5);
        f_explain(f, "No public source documents the status register of ME 1-5, and the ME 6 layout gives "
                     "impossible values for it, so mefw does not guess. MEInfo of that era printed it raw too.");
        f_remedy(f, "Nothing to do; the other lines of MEInfo describe the ME's state.");
        f_source(f, "coreboot's ME headers (no ME 1-5 layout); MEInfo 5.0 output in Win-Raid thread 32123");
}

/* An analyzed image that is damaged. */
static void rule_image_damaged(ctx *c, int mi) {
        (void) mi;
        for (size_t i = 0; i < c->log->n_images; i++) {
                const mefw_diag_image *img = &c->log->images[i];
                if (!img->damaged)
                        continue;
                mefw_finding *f = finding_new(c, "image-damaged", MEFW_FINDING_ERROR, MEFW_CONFIDENCE_HIGH, -1);
                if (!f)
                        return;
                f_evidence_text(f, img->name);
                f_title(f, "%s is damaged: %s", img->name, img->damage);
                f_explain(f, "'mefw analyze' found errors in this image. Do not flash it.");
                f_remedy(f, "Get the image again from its source and check it with 'mefw analyze'.");
                f_source(f, "mefw analyze");
        }
}

/* What could not be read. */
static void rule_unread(ctx *c, int mi) {
        (void) mi;
        for (size_t i = 0; i < c->log->n_inputs; i++) {
                if (strcmp(c->log->inputs[i].kind, "log") != 0 || c->log->inputs[i].n_recognized)
                        continue;
                bool words = false; /* the person's words were read: the post is judged on them */
                for (size_t k = 0; k < c->log->n_facts && !words; k++)
                        words = c->log->facts[k].at.input == i;
                if (words)
                        continue;
                mefw_finding *f = finding_new(c, "nothing-read", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH, -1);
                if (!f)
                        return;
                f_title(f, "Nothing in %s is the output of a tool mefw reads", c->log->inputs[i].name);
                f_explain(f, "Read %zu lines and found no output of MEInfo, MEManuf, FWUpdLcl, FPT, ME Analyzer, HWiNFO, "
                             "intelmetool or the Linux mei driver.", c->log->inputs[i].n_lines);
                f_remedy(f, "Paste the complete, unedited output of the tools (MEInfo -verbose, MEManuf -verbose, and "
                            "the FWUpdLcl run that failed).");
        }
}


/* ---- What the post as a whole says -------------------------------------------------------- */


static void explains(ctx *c, const char *symptom) {
        if (c->n_explained_symptoms < ELEMENTSOF(c->explained_symptoms))
                c->explained_symptoms[c->n_explained_symptoms++] = symptom;
}

/* Title, explanation, steps and source of a procedure of data/diagnose-procedures.txt. */
static void f_procedure(mefw_finding *f, const diag_procedure *p) {
        f_title(f, "%s", p->title);
        for (size_t i = 0; i < p->n_explain; i++)
                f_explain(f, "%s", p->explain[i]);
        for (size_t i = 0; i < p->n_steps; i++)
                f_remedy(f, "%s", p->steps[i]);
        f_source(f, p->source);
}

/* A finding from data/diagnose-procedures.txt, with the post's lines that led to it. */
static mefw_finding *procedure_finding(ctx *c, const char *id, mefw_finding_severity sev, mefw_confidence conf,
                                       const char *const *evidence_facts, size_t n_evidence_facts) {
        const diag_procedure *p = diag_procedure_get(id);
        if (!p)
                return NULL;
        mefw_finding *f = finding_new(c, id, sev, conf, c->log->n_machines == 1 ? 0 : -1);
        if (!f)
                return NULL;
        f_procedure(f, p);
        for (size_t i = 0; i < n_evidence_facts; i++)
                for (size_t k = 0; k < c->log->n_facts; k++)
                        if (strcmp(c->log->facts[k].name, "tried") == 0 || strcmp(c->log->facts[k].name, "symptom") == 0 ||
                            strcmp(c->log->facts[k].name, "tool") == 0 || strcmp(c->log->facts[k].name, "chipset") == 0 ||
                            strcmp(c->log->facts[k].name, "cpu") == 0 || strcmp(c->log->facts[k].name, "wants") == 0)
                                if (strcasecmp(c->log->facts[k].value, evidence_facts[i]) == 0)
                                        f_evidence(c, f, c->log->facts[k].at);
        return f;
}

/* The ME switched off by choice: me_cleaner, the HAP/AltMeDisable bit, a firmware option. */
static void rule_me_off_on_purpose(ctx *c, int mi) {
        (void) mi;
        /* me_cleaner that stopped with an error cleaned nothing */
        bool cleaned = post_has(c, "tried", "me-cleaner") && !post_has(c, "message", "me-cleaner-error");
        bool hap = post_has(c, "symptom", "hap-question") &&
                   (post_has(c, "wants", "disable") || post_has(c, "tried", "coreboot"));
        int hap_machine = -1;
        for (size_t m = 0; m < c->log->n_machines && hap_machine < 0; m++)
                if (alt_disabled(c, (int) m))
                        hap_machine = (int) m;
        if (!cleaned && !hap && hap_machine < 0)
                return;
        c->me_off_on_purpose = true;
        static const char *const ev[] = { "me-cleaner", "hap-question", "coreboot" };
        mefw_finding *f = procedure_finding(c, "me-off-on-purpose", MEFW_FINDING_BENIGN, MEFW_CONFIDENCE_MEDIUM, ev,
                                            ELEMENTSOF(ev));
        if (!f)
                return;
        if (hap_machine >= 0) {
                const mefw_diag_machine *m = machine(c, hap_machine);
                const mefw_diag_fact *mo = fact(c, hap_machine, "mode-of-operation");
                if (mo)
                        f_evidence_fact(c, f, mo);
                else if (m->status_set >= 0)
                        for (unsigned r = 0; r < c->log->regsets[m->status_set].set.n_hfsts; r++)
                                f_evidence(c, f, (mefw_diag_loc){ c->log->regsets[m->status_set].input,
                                                                  c->log->regsets[m->status_set].set.line[r] });
                f_explain(f, "The status registers show \"Alt Disable Mode\": the HAP/AltMeDisable bit is set, so the "
                             "engine stops after bring-up by design.");
        }
        explains(c, "mei-missing");
        explains(c, "mei-error");
        explains(c, "me-na");
        explains(c, "hap-question");
}

static bool core_processor(const char *cpu) {
        return cpu && (strncasecmp(cpu, "i3-", 3) == 0 || strncasecmp(cpu, "i5-", 3) == 0 ||
                       strncasecmp(cpu, "i7-", 3) == 0 || strncasecmp(cpu, "i9-", 3) == 0);
}

/* HM70/NM70 with a Core processor: the 30-minute shutdown is the chipset's rule. */
static void rule_chipset_core_limit(ctx *c, int mi) {
        (void) mi;
        const mefw_diag_log *log = c->log;
        bool limited = false, core = false;
        for (size_t i = 0; i < log->n_facts; i++) {
                if (strcmp(log->facts[i].name, "chipset") == 0 && diag_platform_core_limit(log->facts[i].value))
                        limited = true;
                if (strcmp(log->facts[i].name, "cpu") == 0 && core_processor(log->facts[i].value))
                        core = true;
        }
        if (!limited || !core)
                return;
        const char *ev[4] = {};
        size_t n = 0;
        for (size_t i = 0; i < log->n_facts && n < ELEMENTSOF(ev); i++)
                if (strcmp(log->facts[i].name, "chipset") == 0 || strcmp(log->facts[i].name, "cpu") == 0)
                        ev[n++] = log->facts[i].value;
        if (procedure_finding(c, "chipset-core-limit", MEFW_FINDING_BENIGN, MEFW_CONFIDENCE_HIGH, ev, n))
                explains(c, "shutdown-30min");
}

/* fwupd says one thing, the firmware (as the person verified) another, and no update step failed. */
static void rule_fwupd_reporting(ctx *c, int mi) {
        (void) mi;
        bool fwupd = post_has(c, "tool", "fwupdmgr") || post_has(c, "tried", "fwupd");
        if (!fwupd || !post_has(c, "outcome", "succeeded") || !post_has(c, "symptom", "version-mismatch"))
                return;
        static const char *const ev[] = { "version-mismatch", "fwupdmgr" };
        if (procedure_finding(c, "fwupd-reporting", MEFW_FINDING_BENIGN, MEFW_CONFIDENCE_MEDIUM, ev, ELEMENTSOF(ev))) {
                explains(c, "capsule-failed");
                explains(c, "version-mismatch");
        }
}

/* Messages an ME switched off on purpose is expected to cause: it does not answer. */
static bool me_silence_message(const char *message) {
        static const char *const silence[] = { "code-10", "code-28", "heci-error", "me-not-ready", "recovery-state" };
        for (size_t i = 0; i < ELEMENTSOF(silence); i++)
                if (strcmp(message, silence[i]) == 0)
                        return true;
        return false;
}

static bool symptom_explained(const ctx *c, const char *symptom) {
        for (size_t i = 0; i < c->n_explained_symptoms; i++)
                if (strcmp(c->explained_symptoms[i], symptom) == 0)
                        return true;
        return false;
}

/*
 * The post reports trouble, but no finding says what it is: say that this is not enough to decide,
 * and exactly what to collect, rather than "nothing wrong found". Symptoms a normal state explains
 * (a 30-minute shutdown on HM70, an ME that me_cleaner switched off) do not count.
 */
static void rule_not_enough(ctx *c, int mi) {
        (void) mi;
        for (size_t i = 0; i < c->out->n; i++)
                if (c->out->items[i].severity >= MEFW_FINDING_WARNING)
                        return;
        const mefw_diag_log *log = c->log;
        const mefw_diag_fact *why = NULL;
        for (size_t i = 0; i < log->n_facts && !why; i++) {
                const mefw_diag_fact *f = &log->facts[i];
                if (strcmp(f->name, "symptom") == 0 && !symptom_explained(c, f->value) &&
                    strcmp(f->value, "hap-question") != 0)
                        why = f;
                else if (strcmp(f->name, "error") == 0 && !c->me_off_on_purpose)
                        why = f;
                else if (strcmp(f->name, "message") == 0 && !(c->me_off_on_purpose && me_silence_message(f->value)))
                        why = f;
                else if (strcmp(f->name, "wants") == 0 && strcmp(f->value, "understand") != 0 &&
                         !(c->me_off_on_purpose && post_has(c, "wants", "understand") &&
                           (strcmp(f->value, "clean") == 0 || strcmp(f->value, "disable") == 0)))
                        /* asked for something: an answer is owed, not "nothing wrong"; except the
                         * owner of a cleaned ME asking whether it worked */
                        why = f;
        }
        for (size_t mi2 = 0; mi2 < log->n_machines && !why; mi2++)
                for (size_t e = 0; e < log->machines[mi2].n_errors && !why; e++) {
                        const mefw_kb_entry *k = log->machines[mi2].errors[e].kb;
                        if ((!k || k->cls != MEFW_CLASS_BENIGN) && !c->me_off_on_purpose)
                                why = &log->machines[mi2].facts[0];
                }
        if (!why)
                return;
        bool linux_only = (post_has(c, "os", "Linux") || post_has(c, "environment", "Linux")) &&
                          !post_has(c, "os", "Windows") && !post_has(c, "environment", "DOS");
        const diag_procedure *p = diag_procedure_get(linux_only ? "collect-linux" : "collect-me");
        if (!p)
                return;
        mefw_finding *f = finding_new(c, "not-enough", MEFW_FINDING_WARNING, MEFW_CONFIDENCE_HIGH,
                                      log->n_machines == 1 ? 0 : -1);
        if (!f)
                return;
        f_procedure(f, p);
        if (why->at.line)
                f_evidence(c, f, why->at);
}

/* ---- Rule table ---------------------------------------------------------------------------- */

typedef struct {
        mefw_diag_rule_info info;
        void (*fn)(ctx *c, int mi);
        bool global; /* runs once, not per machine */
} rule_def;

static const rule_def rules[] = {
        { { "update-aborted", "an update error after the firmware accepted the image" }, rule_update_aborted, false },
        { { "tool-branch", "FWUpdLcl from another branch than the running firmware" }, rule_tool_branch, false },
        { { "image-mismatch", "an image of another family, branch, SKU or chipset" }, rule_image_match, false },
        { { "image-match", "the images fit the running firmware" }, NULL, false },
        { { "same-version", "same version without -allowsv" }, rule_same_version, false },
        { { "driver-artifact", "Windows blocked the tool's driver; zeroed registers are its artifact" }, rule_driver_artifact, false },
        { { "tpm-path", "the firmware hosts the TPM: update through -tpm" }, rule_tpm_path, false },
        { { "tpm-upload-stalled", "a TPM-path upload that never finished" }, rule_tpm_upload_stalled, false },
        { { "update-phase", "the ME is stuck in its update phase" }, rule_update_phase, false },
        { { "icc-default", "ICC on default values: configuration data not the OEM's" }, rule_icc_default, false },
        { { "fpt-fallback-locked", "host access to the ME region disabled, HMRFPO locked" }, rule_fpt_fallback, false },
        { { "manufacturing-mode", "manufacturing mode left on" }, rule_me_mode, false },
        { { "operation-mode", "the ME in a jumper, override or disabled mode" }, NULL, false },
        { { "local-fwupdate-disabled", "Local FWUpdate disabled" }, rule_local_fwupdate, false },
        { { "manuf-summary", "9296 only summarizes earlier MEManuf failures" }, rule_manuf_summary, false },
        { { "me-state", "failing health checks of the status registers" }, rule_me_state, false },
        { { "no-me-device", "status registers that read all ones: no device answered" }, NULL, false },
        { { "zero-version", "firmware version 0.0.0.0" }, rule_zero_version, false },
        { { "status-raw", "ME 1-5 status register shown raw" }, rule_status_raw, false },
        { { "image-damaged", "an image given to diagnose is damaged" }, rule_image_damaged, true },
        { { "nothing-read", "an input with no readable tool output" }, rule_unread, true },
        { { "me-off-on-purpose", "the ME switched off by choice (me_cleaner, HAP): its silence is expected" },
          rule_me_off_on_purpose, true },
        { { "chipset-core-limit", "a Celeron/Pentium-only chipset with a Core processor: 30-minute shutdowns by design" },
          rule_chipset_core_limit, true },
        { { "fwupd-reporting", "fwupd reports the engine differently from the firmware itself" }, rule_fwupd_reporting, true },
};

/* Run after every other finding (and the knowledge base's): it judges what they leave open. */
static const rule_def last_rule = { { "not-enough", "the post reports trouble that no finding explains" },
                                    rule_not_enough, true };

static mefw_diag_rule_info rule_infos[ELEMENTSOF(rules) + 3];

const mefw_diag_rule_info *mefw_diag_rules(size_t *ret_n) {
        size_t n = 0;
        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                rule_infos[n++] = rules[i].info;
        rule_infos[n++] = (mefw_diag_rule_info){ "unknown-error", "an error code or message the knowledge base does not know" };
        rule_infos[n++] = last_rule.info;
        *ret_n = n;
        return rule_infos;
}

/* Knowledge-base findings for the errors no rule used, and a finding for unknown ones. */
static void kb_findings(ctx *c, int mi) {
        const mefw_diag_machine *m = machine(c, mi);
        for (size_t ei = 0; ei < m->n_errors; ei++) {
                if (*explained(c, mi, ei))
                        continue;
                const mefw_diag_error *e = &m->errors[ei];
                const mefw_diag_run *r = run_of(c, e->run);
                if (!e->kb) {
                        mefw_finding *f = finding_new(c, "unknown-error", e->code >= 0 ? MEFW_FINDING_WARNING : MEFW_FINDING_INFO,
                                                      MEFW_CONFIDENCE_LOW, mi);
                        if (!f)
                                return;
                        f_evidence_error(c, f, e);
                        if (e->code >= 0)
                                f_title(f, "Error %ld from %s %s is not in mefw's knowledge base", e->code,
                                        r && r->tool[0] ? r->tool : "an unknown tool", r ? r->version : "");
                        else
                                f_title(f, "A failure line mefw does not know");
                        f_explain(f, "The tool printed \"%s\". mefw has no reliable meaning for it, and guessing would "
                                     "mislead; the numbers of Intel's tools changed between releases.", e->text);
                        f_remedy(f, "Search for the exact message together with the tool's version, or ask with the "
                                    "complete log.");
                        continue;
                }
                const mefw_kb_entry *k = e->kb;
                mefw_finding_severity sev = severity_of_class(k->cls);
                /* An ME switched off by choice does not answer: the driver's and tools' complaints
                 * about that are expected, not faults to repair. */
                bool expected = c->me_off_on_purpose && sev > MEFW_FINDING_INFO &&
                                (k->tool == MEFW_KB_TOOL_DMESG || k->cls == MEFW_CLASS_ENV);
                if (expected)
                        sev = MEFW_FINDING_INFO;
                mefw_finding *f = finding_new(c, k->id, sev,
                                              e->text_matched ? MEFW_CONFIDENCE_HIGH : MEFW_CONFIDENCE_MEDIUM, mi);
                if (!f)
                        return;
                if (expected)
                        f_explain(f, "Expected here: the ME is switched off on purpose, so it does not answer.");
                f_evidence_error(c, f, e);
                if (e->code >= 0)
                        f_title(f, "%ld: %s", e->code, k->title);
                else
                        f_title(f, "%s", k->title);
                f_explain(f, "%s", k->meaning);
                f_explain(f, "Usual cause: %s", k->cause);
                if (e->code >= 0 && !e->text_matched && k->n_texts)
                        f_explain(f, "(Matched by its number only: the message text differs from the known one.)");
                if (k->note)
                        f_explain(f, "Note: %s", k->note);
                if (e->count > 1)
                        f_explain(f, "Printed %u times.", e->count);
                f_kb(f, k, true);
        }
}

static int finding_rank(const void *a, const void *b) {
        const mefw_finding *x = a, *y = b;
        if (x->severity != y->severity)
                return x->severity > y->severity ? -1 : 1;
        if (x->confidence != y->confidence)
                return x->confidence > y->confidence ? -1 : 1;
        if (x->machine != y->machine)
                return x->machine < y->machine ? -1 : 1;
        return x->order < y->order ? -1 : x->order > y->order;
}

void mefw_findings_clear(mefw_findings *f) {
        free(f->items);
        f->items = NULL;
        f->n = 0;
}

/*
 * The verdict goes first: the cause an expert would name and the plan for it. A rule's finding
 * about the same cause keeps its own words and evidence and takes the plan, instead of saying it
 * twice.
 */
static int add_verdict(mefw_findings *out, const mefw_diag_log *log) {
        mefw_finding v;
        if (diag_verdict(log, out, &v) < 0)
                return 0; /* too little to decide: the rules' findings stand as they are */
        /* the first finding the cause speaks for carries the verdict; the others it covers are
         * marked, so that they are not said twice */
        ssize_t carrier = -1;
        for (size_t k = 0; diag_cause_absorbs(v.cause, k); k++)
                for (size_t i = 0; i < out->n; i++)
                        if (strcmp(out->items[i].id, diag_cause_absorbs(v.cause, k)) == 0) {
                                if (carrier < 0)
                                        carrier = (ssize_t) i;
                                else if ((size_t) carrier != i)
                                        out->items[i].absorbed = true;
                        }
        if (carrier >= 0) {
                mefw_finding *same = &out->items[carrier];
                same->cause = v.cause;
                memcpy(same->steps, v.steps, sizeof v.steps);
                same->n_steps = v.n_steps;
                memcpy(same->warnings, v.warnings, sizeof v.warnings);
                same->n_warnings = v.n_warnings;
                memcpy(same->done, v.done, sizeof v.done);
                same->n_done = v.n_done;
                if (same->severity < v.severity)
                        same->severity = v.severity;
                mefw_finding keep = *same;
                memmove(out->items + 1, out->items, (size_t) carrier * sizeof *out->items);
                out->items[0] = keep;
                out->has_verdict = true;
                return 0;
        }
        mefw_finding *items = realloc(out->items, (out->n + 1) * sizeof *items);
        if (!items)
                return -ENOMEM;
        memmove(items + 1, items, out->n * sizeof *items);
        items[0] = v;
        out->items = items;
        out->n++;
        out->has_verdict = true;
        return 0;
}

int mefw_diag_reason(const mefw_diag_log *log, const mefw_kb *kb, mefw_findings *ret) {
        mefw_findings out = {};
        ctx c = { .log = log, .kb = kb, .out = &out, .explained_stride = MEFW_DIAG_ERRORS_MAX };
        c.explained = calloc(MEFW_DIAG_MACHINES_MAX * MEFW_DIAG_ERRORS_MAX, sizeof *c.explained);
        if (!c.explained)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                if (!rules[i].fn)
                        continue;
                c.order = (unsigned) i;
                if (rules[i].global) {
                        reserve_for_rule(&c);
                        rules[i].fn(&c, -1);
                } else
                        for (size_t mi = 0; mi < log->n_machines; mi++) {
                                reserve_for_rule(&c);
                                rules[i].fn(&c, (int) mi);
                        }
        }
        c.order = (unsigned) ELEMENTSOF(rules);
        for (size_t mi = 0; mi < log->n_machines; mi++) {
                reserve_for_rule(&c);
                kb_findings(&c, (int) mi);
        }
        /* The symptoms the cause an expert would name accounts for are not left "unexplained":
         * a harmless report answered as harmless is not "not enough to decide". */
        mefw_finding early;
        if (diag_verdict(log, &out, &early) == 0)
                for (size_t i = 0; diag_cause_explains(early.cause, i); i++)
                        explains(&c, diag_cause_explains(early.cause, i));
        c.order = (unsigned) ELEMENTSOF(rules) + 1;
        reserve_for_rule(&c);
        last_rule.fn(&c, -1);
        free(c.explained);
        if (c.failed) {
                mefw_findings_clear(&out);
                return c.failed;
        }
        /* Stable ranking: qsort is not stable, but the order field breaks every tie left. */
        for (size_t i = 0; i < out.n; i++)
                out.items[i].order = out.items[i].order * 1024u + (unsigned) MIN(i, (size_t) 1023);
        if (out.n > 1)
                qsort(out.items, out.n, sizeof out.items[0], finding_rank);
        out.dropped = c.dropped;
        diag_find_access(log, &out, &out.access, &out.access_because);
        int r = add_verdict(&out, log);
        if (r < 0) {
                mefw_findings_clear(&out);
                return r;
        }
        *ret = out;
        return 0;
}
