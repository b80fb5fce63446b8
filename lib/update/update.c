/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check-update: the rules FWUpdLcl enforces (and H vs LP, which old tools forgot), each a named
 * check over the running firmware and the image, and the verdict and procedure they lead to.
 *
 * Sources of the rules: the messages and checks of Intel's FWUpdLcl as its public error lists
 * name them (intel/lms errorlist.h/errorlist.c, PFWUpdateDllWrapperLegacy.cpp), Intel's security
 * advisories (counters), ME Analyzer's "FWUpdate Support" check for CSME 12+ companions, and
 * Win-Raid's ME firmware and tools threads.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "image/internal.h"
#include "mefw/update.h"
#include "core/util.h"

const char *mefw_rule_result_name(mefw_rule_result r) {
        static const char *const names[] = { "pass", "fail", "unknown" };
        return (unsigned) r < ELEMENTSOF(names) ? names[r] : "unknown";
}

const char *mefw_verdict_name(mefw_verdict v) {
        static const char *const names[] = { "allowed", "refused", "needs-reflash", "unknown" };
        return (unsigned) v < ELEMENTSOF(names) ? names[v] : "unknown";
}

/* ---- the running firmware ---------------------------------------------------------------- */

void mefw_update_current_init(mefw_update_current *c) {
        *c = (mefw_update_current) { .local_fwupdate = -1, .tpm = -1, .secure_fwupdate = -1 };
}

void mefw_update_current_note(mefw_update_current *c, const char *fmt, ...) {
        if (c->n_notes >= MEFW_UPDATE_NOTES_MAX)
                return;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->notes[c->n_notes++], sizeof c->notes[0], fmt, ap);
        va_end(ap);
}

/* The family a version names when nothing else says it (the status decoder's rule: a bare major
 * is ME up to 10 and CSME from 11). */
static const char *family_of_major(unsigned major) {
        char text[8];
        mefw_generation g;
        snprintf(text, sizeof text, "%u", major);
        return mefw_generation_parse(text, &g) == 0 ? g.family : NULL;
}

const char *mefw_update_family_of_major(unsigned major) {
        return family_of_major(major);
}

int mefw_update_current_from_report(const mefw_report *r, const char *name, mefw_update_current *ret) {
        const mefw_firmware *fw = &r->fw;
        if (!fw->family || !fw->has_version)
                return -ENOENT;
        mefw_update_current c;
        mefw_update_current_init(&c);
        c.source = "image";
        snprintf(c.source_name, sizeof c.source_name, "%s", name ? name : "");
        snprintf(c.family, sizeof c.family, "%s", fw->family);
        c.has_version = true;
        memcpy(c.version, fw->version, sizeof c.version);
        snprintf(c.sku, sizeof c.sku, "%s", fw->sku);
        c.release = mefw_release_bit(fw->release);
        c.tcb_svn = fw->tcb_svn, c.arb_svn = fw->arb_svn, c.vcn = fw->vcn;
        snprintf(c.chipset, sizeof c.chipset, "%s", fw->chipset ? fw->chipset : "");
        if (fw->pch && (strstr(fw->pch, "-LP") || strstr(fw->pch, "LP ")))
                snprintf(c.platform, sizeof c.platform, "LP");
        if (mefw_report_has_error(r))
                mefw_update_current_note(&c, "the dump %s has errors (see 'mefw analyze'): what it says of the running "
                                             "firmware may be wrong", c.source_name);
        *ret = c;
        return 0;
}

int mefw_update_current_from_status(const mefw_status *s, mefw_update_current *ret) {
        if (!s->code.set)
                return -ENOENT;
        mefw_update_current c;
        mefw_update_current_init(&c);
        c.source = "live";
        c.has_version = true;
        c.version[0] = s->code.major, c.version[1] = s->code.minor, c.version[2] = s->code.hotfix,
        c.version[3] = s->code.build;
        const char *fam = s->generation.family ? s->generation.family : family_of_major(c.version[0]);
        snprintf(c.family, sizeof c.family, "%s", fam ? fam : "");
        if (s->platform_type.set) {
                mefw_named_value nv[8];
                size_t n = mefw_platform_type_describe(s->platform_type.value, &s->generation, nv, ELEMENTSOF(nv));
                for (size_t i = 0; i < n; i++)
                        if (strcmp(nv[i].name, "ME Firmware Image Type") == 0)
                                snprintf(c.sku, sizeof c.sku, "%s", nv[i].value);
        }
        if (s->pci_chipset)
                snprintf(c.chipset, sizeof c.chipset, "%s", s->pci_chipset);
        *ret = c;
        return 0;
}

void mefw_update_current_merge(mefw_update_current *c, const mefw_update_current *more) {
        char a[24], b[24];
        if (!c->has_version && more->has_version) {
                c->has_version = true;
                memcpy(c->version, more->version, sizeof c->version);
        } else if (c->has_version && more->has_version && mefw_version_cmp(c->version, more->version, 4) != 0)
                mefw_update_current_note(c, "the sources disagree on the firmware version: %s (%s, used) vs %s (%s)",
                                         mefw_format_version(c->version, a, sizeof a), c->source,
                                         mefw_format_version(more->version, b, sizeof b), more->source);
#define TAKE_TEXT(field)                                                                                         \
        do {                                                                                                     \
                if (!c->field[0])                                                                                \
                        memcpy(c->field, more->field, sizeof c->field);                                          \
                else if (more->field[0] && strcasecmp(c->field, more->field) != 0)                               \
                        mefw_update_current_note(c, "the sources disagree on " #field ": %s (%s, used) vs %s (%s)", \
                                                 c->field, c->source, more->field, more->source);                \
        } while (0)
        TAKE_TEXT(family);
        TAKE_TEXT(sku);
        TAKE_TEXT(platform);
        TAKE_TEXT(chipset);
#undef TAKE_TEXT
#define TAKE_INT(field)                    \
        do {                               \
                if (c->field < 0)          \
                        c->field = more->field; \
        } while (0)
        TAKE_INT(local_fwupdate);
        TAKE_INT(tpm);
        TAKE_INT(secure_fwupdate);
#undef TAKE_INT
        if (!c->release)
                c->release = more->release;
        if (!c->tcb_svn.set)
                c->tcb_svn = more->tcb_svn;
        if (!c->arb_svn.set)
                c->arb_svn = more->arb_svn;
        if (!c->vcn.set)
                c->vcn = more->vcn;
        if (!c->fwu_sku[0]) {
                memcpy(c->fwu_sku, more->fwu_sku, sizeof c->fwu_sku);
                memcpy(c->fwu_image_sku, more->fwu_image_sku, sizeof c->fwu_image_sku);
                c->has_fwu_image_version = more->has_fwu_image_version;
                memcpy(c->fwu_image_version, more->fwu_image_version, sizeof c->fwu_image_version);
        }
        for (size_t i = 0; i < more->n_notes; i++)
                mefw_update_current_note(c, "%s", more->notes[i]);
}

/* ---- SKU, platform and chipset words ----------------------------------------------------- */

/*
 * A SKU in the database's words, split into the class and the H/LP platform: "1.5MB", "5MB",
 * "5MB_MB", "DO", ... for ME and TXE; "CON", "COR", "SLM" plus the platform for CSME. Free text
 * from logs and the command line ("1.5MB Firmware", "consumer/1.5M image", "Corporate H") is
 * understood too. cls "" when the text names no SKU.
 */
static void sku_split(const char *family, const char *text, char *cls, size_t len, char platform[4]) {
        cls[0] = 0;
        if (!text || !*text || !family)
                return;
        char db[32];
        if (strcmp(family, "CSME") == 0) {
                static const struct {
                        const char *word, *code;
                } types[] = { { "consumer", "CON" }, { "corporate", "COR" }, { "slim", "SLM" }, { "lite", "LIT" },
                              { "server", "SVR" },   { "CON", "CON" },       { "COR", "COR" },  { "SLM", "SLM" },
                              { "LIT", "LIT" },      { "SVR", "SVR" } };
                for (size_t i = 0; i < ELEMENTSOF(types) && !cls[0]; i++)
                        if (strcasestr(text, types[i].word))
                                snprintf(cls, len, "%s", types[i].code);
                /* the platform word after the type: "Consumer H", "CON_LP_C", "Corporate LP" */
                const char *p = text;
                while (*p && *p != ' ' && *p != '_')
                        p++;
                if (*p) {
                        p++;
                        if (strncasecmp(p, "LP", 2) == 0 && !isalnum((unsigned char) p[2]) )
                                snprintf(platform, 4, "LP");
                        else if ((p[0] == 'H' || p[0] == 'h') && !isalnum((unsigned char) p[1]))
                                snprintf(platform, 4, "H");
                }
                return;
        }
        if (strcmp(family, "ME") == 0) {
                /* the words tools print for ME 6-10 sizes */
                if (strstr(text, "1.5"))
                        snprintf(cls, len, "1.5MB");
                else if (strcasestr(text, "5MB") || strcasestr(text, "5 MB") || strcasestr(text, "5M ")) {
                        /* the desktop / mobile variant of ME 6 5MB follows the size: "5MB DT", "5MB_MB" */
                        const char *rest = strcasestr(text, "5MB") ? strcasestr(text, "5MB") + 3
                                           : strcasestr(text, "5 MB") ? strcasestr(text, "5 MB") + 4
                                                                      : strcasestr(text, "5M ") + 2;
                        const char *v = strcasestr(rest, "DT") ? "_DT" : strcasestr(rest, "MB") ? "_MB" : "";
                        snprintf(cls, len, "5MB%s", v);
                } else if (strcasecmp(text, "consumer") == 0)
                        snprintf(cls, len, "1.5MB");
                else if (strcasecmp(text, "corporate") == 0)
                        snprintf(cls, len, "5MB");
                if (cls[0])
                        return;
        }
        mefw_db_sku_class(family, text, db, sizeof db);
        snprintf(cls, len, "%s", db);
}

/* H or LP from the chipset word ("LPT-LP", "WPT-LP", "SPT-H D"); "" when it does not say. */
static const char *platform_of_chipset(const char *chipset) {
        if (!chipset)
                return "";
        if (strstr(chipset, "-LP"))
                return "LP";
        if (strstr(chipset, "-H"))
                return "H";
        return "";
}

/* ME 9 and 10: the branch decides the platform (9.0/9.1 H, 9.5 and 10.0 LP). */
static const char *platform_of_branch(const char *family, unsigned major, unsigned minor) {
        if (strcmp(family, "ME") != 0)
                return "";
        if (major == 9)
                return minor >= 5 ? "LP" : "H";
        if (major == 10)
                return "LP";
        return "";
}

/* Whether two chipset words share a PCH generation: "LPT" and "LPT/WPT" do, "LPT" and "CPT" not. */
static int chipsets_overlap(const char *a, const char *b) {
        if (!a || !*a || !b || !*b)
                return -1;
        char ta[48], tb[48];
        snprintf(ta, sizeof ta, "%s", a);
        for (char *save = NULL, *x = strtok_r(ta, "/", &save); x; x = strtok_r(NULL, "/", &save)) {
                size_t xl = strcspn(x, "- ");
                if (xl == 0 || strcmp(x, "LP") == 0 || strcmp(x, "H") == 0)
                        continue;
                snprintf(tb, sizeof tb, "%s", b);
                for (char *s2 = NULL, *y = strtok_r(tb, "/", &s2); y; y = strtok_r(NULL, "/", &s2))
                        if (strcspn(y, "- ") == xl && strncmp(x, y, xl) == 0)
                                return 1;
        }
        return 0;
}

/* ---- branch policy: which minor lines FWUpdLcl moves between, as data --------------------- */

typedef enum {
        BRANCH_RISE,   /* the minor line may rise within the major (5.0 -> 5.2) */
        BRANCH_SAME,   /* the minor line is fixed (9.0 vs 9.1) */
        BRANCH_GROUPS, /* the minor may rise within a group of lines (11.0 ... 11.8) */
        BRANCH_UNKNOWN, /* no source says */
} branch_kind;

typedef struct {
        const char *family;
        unsigned major_first, major_last;
        branch_kind kind;
        const char *groups; /* BRANCH_GROUPS: "0,5,6,7,8;10,11,12;20,21,22" */
        const char *source;
} branch_policy;

static const branch_policy branch_policies[] = {
        { "ME", 2, 5, BRANCH_RISE, NULL,
          "ME 2-5 firmware moves up its minor lines with the FWUpdLcl of the newer line (the AMT 5.0 -> 5.2 "
          "update of the Esprimo case was held up by the TPM path, not the version); SKU and chipset rules still "
          "apply" },
        { "ME", 6, 6, BRANCH_UNKNOWN, NULL,
          "ME 6.0 and 6.x images carry different SKU markers, and no report shows FWUpdLcl moving between them" },
        { "ME", 7, 8, BRANCH_RISE, NULL,
          "7.0 -> 7.1 and 8.0 -> 8.1 were reported updated in place (Win-Raid); going back is refused" },
        { "ME", 9, 10, BRANCH_SAME, NULL,
          "a 9.1 board cannot go back to 9.0 (8704, SKU mismatch), and 9.0 boards run 9.1 only with a BIOS "
          "made for it, so the branch changes only with the board maker's BIOS; 9.5 and 10.0 are LP lines" },
        { "TXE", 0, 2, BRANCH_SAME, NULL, "TXE 1.0 cannot move to 1.1 or 1.2 with FWUpdate" },
        { "CSME", 11, 11, BRANCH_GROUPS, "0,5,6,7,8;10,11,12;20,21,22",
          "Intel's advisories move CSME 11.0-11.7 to 11.8 (\"11.8.77 replaces 11.0 through 11.8.76\"), 11.10 "
          "to 11.11/11.12 and 11.20 to 11.22; the three lines are separate platforms" },
        { "CSME", 14, 14, BRANCH_GROUPS, "0,1;5",
          "Intel's later advisories list the Comet Lake fixes on 14.1 only, so 14.0 moves up to 14.1; 14.5 is "
          "its own platform" },
        { "CSME", 12, 99, BRANCH_SAME, NULL,
          "each CSME 12+ minor line is its own platform; use the image and tools of the running branch" },
        { "CSTXE", 3, 4, BRANCH_SAME, NULL, "each CSTXE minor line is its own platform" },
        { "SPS", 0, 99, BRANCH_SAME, NULL, "SPS branches are per server platform" },
        { "CSSPS", 0, 99, BRANCH_SAME, NULL, "SPS branches are per server platform" },
};

static const branch_policy *branch_policy_for(const char *family, unsigned major) {
        for (size_t i = 0; i < ELEMENTSOF(branch_policies); i++) {
                const branch_policy *p = &branch_policies[i];
                if (strcmp(p->family, family) == 0 && major >= p->major_first && major <= p->major_last)
                        return p;
        }
        return NULL;
}

/* The group (0-based) a minor line belongs to in a BRANCH_GROUPS policy, -1 when none. */
static int branch_group(const char *groups, unsigned minor) {
        int g = 0;
        for (const char *p = groups; *p;) {
                char *end;
                unsigned long v = strtoul(p, &end, 10);
                if (end == p)
                        return -1;
                if (v == minor)
                        return g;
                p = end;
                if (*p == ';')
                        g++;
                if (*p)
                        p++;
        }
        return -1;
}

/* ---- the rules ----------------------------------------------------------------------------- */

typedef enum {
        FAIL_REFUSED,    /* the image does not fit: no procedure makes it fit */
        FAIL_REFLASH,    /* FWUpdLcl can't, a full region rewrite can */
} fail_kind;

typedef struct {
        const mefw_update_current *cur;
        const mefw_firmware *img;
        const mefw_report *report;
        const mefw_db *db;
        mefw_update_check *out;
        fail_kind fails[MEFW_UPDATE_RULES_MAX];
        char cur_cls[32], img_cls[32];
        char cur_platform[4], img_platform[4];
        bool same_line;  /* same family, major and branch (or an allowed group move) */
        int version_cmp; /* image vs current */
        bool region_write; /* the whole engine region is written (FPT, a programmer), not FWUpdLcl */
} rule_ctx;

static void outcome(rule_ctx *c, const char *name, mefw_rule_result r, fail_kind k, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
static void outcome(rule_ctx *c, const char *name, mefw_rule_result r, fail_kind k, const char *fmt, ...) {
        mefw_update_check *o = c->out;
        if (o->n_rules >= MEFW_UPDATE_RULES_MAX)
                return;
        mefw_rule_outcome *ro = &o->rules[o->n_rules];
        c->fails[o->n_rules] = k;
        o->n_rules++;
        ro->name = name;
        ro->result = r;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ro->reason, sizeof ro->reason, fmt, ap);
        va_end(ap);
}

#define PASS(c, n, ...) outcome(c, n, MEFW_RULE_PASS, FAIL_REFUSED, __VA_ARGS__)
#define FAIL(c, n, k, ...) outcome(c, n, MEFW_RULE_FAIL, k, __VA_ARGS__)
#define UNKNOWN(c, n, ...) outcome(c, n, MEFW_RULE_UNKNOWN, FAIL_REFUSED, __VA_ARGS__)

static const char *ver(const uint16_t v[4], char *buf, size_t len) {
        return mefw_format_version(v, buf, len);
}

static void rule_family(rule_ctx *c) {
        if (!c->img->family || !c->img->has_version) {
                FAIL(c, "family", FAIL_REFUSED, "the image holds no engine firmware that mefw could identify");
                return;
        }
        if (!c->cur->family[0]) {
                UNKNOWN(c, "family", "the running firmware's family is not known: give --family (ME, TXE, SPS, CSME, "
                                     "CSTXE, CSSPS)");
                return;
        }
        if (strcmp(c->cur->family, c->img->family) != 0)
                FAIL(c, "family", FAIL_REFUSED, "the image is %s firmware, the machine runs %s", c->img->family,
                     c->cur->family);
        else
                PASS(c, "family", "both are %s", c->img->family);
}

static void rule_major(rule_ctx *c) {
        if (!c->cur->has_version) {
                UNKNOWN(c, "major", "the running firmware version is not known: give --version or a log or dump");
                return;
        }
        if (c->cur->version[0] != c->img->version[0])
                FAIL(c, "major", FAIL_REFLASH,
                     "the image is major %u, the machine runs %u: FWUpdLcl refuses a major change (\"Major version "
                     "number of Update Image is not the same\"); the BIOS must support the new major too",
                     c->img->version[0], c->cur->version[0]);
        else
                PASS(c, "major", "both are major %u", c->img->version[0]);
}

static void rule_branch(rule_ctx *c) {
        const uint16_t *cv = c->cur->version, *iv = c->img->version;
        if (!c->cur->has_version || !c->cur->family[0]) {
                UNKNOWN(c, "branch", "the running firmware version is not known");
                return;
        }
        if (cv[0] != iv[0] || strcmp(c->cur->family, c->img->family) != 0) {
                FAIL(c, "branch", FAIL_REFLASH, "a different family or major is a different branch");
                return;
        }
        if (cv[1] == iv[1]) {
                c->same_line = true;
                PASS(c, "branch", "both are on the %u.%u branch", iv[0], iv[1]);
                return;
        }
        const branch_policy *p = branch_policy_for(c->img->family, iv[0]);
        if (!p) {
                UNKNOWN(c, "branch",
                        "%u.%u -> %u.%u: mefw does not know whether FWUpdLcl moves %s %u firmware between minor lines",
                        cv[0], cv[1], iv[0], iv[1], c->img->family, iv[0]);
                return;
        }
        bool rises = iv[1] > cv[1];
        bool ok = false;
        if (p->kind == BRANCH_UNKNOWN) {
                UNKNOWN(c, "branch", "%u.%u -> %u.%u: %s", cv[0], cv[1], iv[0], iv[1], p->source);
                return;
        }
        if (p->kind == BRANCH_RISE)
                ok = rises;
        else if (p->kind == BRANCH_GROUPS) {
                int gc = branch_group(p->groups, cv[1]), gi = branch_group(p->groups, iv[1]);
                if (gc < 0 || gi < 0) {
                        UNKNOWN(c, "branch", "%u.%u -> %u.%u: a minor line mefw does not know (%s)", cv[0], cv[1],
                                iv[0], iv[1], p->source);
                        return;
                }
                ok = rises && gc == gi;
        }
        if (ok) {
                c->same_line = true;
                PASS(c, "branch", "%u.%u -> %u.%u: %s", cv[0], cv[1], iv[0], iv[1], p->source);
        } else
                FAIL(c, "branch", FAIL_REFLASH, "%u.%u -> %u.%u: FWUpdLcl will not change the branch%s (%s)", cv[0],
                     cv[1], iv[0], iv[1], rises ? "" : " back", p->source);
}

static void rule_sku(rule_ctx *c) {
        const char *ic = c->img_cls, *cc = c->cur_cls;
        const mefw_update_current *cur = c->cur;
        /* FWUpdLcl's own comparison, when the log shows it looking at this very image */
        if (cur->fwu_sku[0] && cur->fwu_image_sku[0] && cur->has_fwu_image_version &&
            mefw_version_cmp(cur->fwu_image_version, c->img->version, 4) == 0) {
                if (strcmp(cur->fwu_sku, cur->fwu_image_sku) == 0)
                        PASS(c, "sku", "FWUpdLcl itself reported the same SKU number (%s) for the firmware and this "
                                       "image version", cur->fwu_sku);
                else
                        FAIL(c, "sku", FAIL_REFUSED, "FWUpdLcl reported SKU %s for the firmware and %s for this image",
                             cur->fwu_sku, cur->fwu_image_sku);
                return;
        }
        if (!ic[0]) {
                if (strcmp(c->img->family, "CSTXE") == 0 || strcmp(c->img->family, "SPS") == 0 ||
                    strcmp(c->img->family, "CSSPS") == 0)
                        UNKNOWN(c, "sku", "mefw cannot tell the SKU of %s images apart", c->img->family);
                else
                        UNKNOWN(c, "sku", "the image's SKU could not be read");
                return;
        }
        if (!cc[0]) {
                UNKNOWN(c, "sku", "the running firmware's SKU is not known (the image is %s): give --sku, or paste "
                                  "MEInfo/MEManuf output",
                        c->img->sku);
                return;
        }
        size_t il = strlen(ic), cl = strlen(cc);
        if (strcmp(ic, cc) == 0) {
                /* the sentence must hold for both sides: a Consumer LP machine and a Consumer H image
                 * share the SKU class, not "Consumer H" (H vs LP is the platform rule's) */
                if (strcmp(ic, c->img->sku) == 0)
                        PASS(c, "sku", "both are %s", ic);
                else
                        PASS(c, "sku", "both are %s firmware (the image is %s)", ic, c->img->sku);
        }
        else if ((il < cl && strncmp(ic, cc, il) == 0 && cc[il] == '_') ||
                 (cl < il && strncmp(ic, cc, cl) == 0 && ic[cl] == '_'))
                UNKNOWN(c, "sku", "the image is %s; the running firmware is only known as %s: say which variant", ic,
                        cc);
        else
                FAIL(c, "sku", FAIL_REFUSED,
                     "the image is %s, the machine runs %s: FWUpdLcl does not change the SKU, and which SKU a machine "
                     "can run is set by its chipset",
                     ic, cc);
}

static void rule_platform(rule_ctx *c) {
        const char *ip = c->img_platform, *cp = c->cur_platform;
        bool split = strcmp(c->img->family, "CSME") == 0 ||
                     (strcmp(c->img->family, "ME") == 0 && c->img->version[0] >= 9);
        if (!split) {
                PASS(c, "platform", "%s %u has no H and LP variants", c->img->family, c->img->version[0]);
                return;
        }
        if (!ip[0]) {
                UNKNOWN(c, "platform", "the image's platform (H or LP) could not be read");
                return;
        }
        if (!cp[0]) {
                UNKNOWN(c, "platform", "the image is %s; the machine's platform is not known: give --platform H or LP "
                                       "(MEInfo and the chipset name tell)",
                        ip);
                return;
        }
        if (strcmp(ip, cp) != 0)
                FAIL(c, "platform", FAIL_REFUSED,
                     "the image is for %s chipsets, the machine is %s: an early 11.0 FWUpdLcl let an LP image onto "
                     "an H board and bricked it, so mefw checks this itself",
                     ip, cp);
        else
                PASS(c, "platform", "both are %s", ip);
}

static void rule_chipset(rule_ctx *c) {
        const char *ichip = c->img->chipset;
        const char *cchip = c->cur->chipset[0] ? c->cur->chipset : NULL;
        if (!cchip && c->cur->has_version && c->cur->family[0])
                cchip = mefw_chipset_support(c->cur->family, c->cur->version[0], c->cur->version[1]);
        int o = chipsets_overlap(ichip, cchip);
        if (o < 0)
                UNKNOWN(c, "chipset", "the %s's chipset support is not known", !ichip || !*ichip ? "image" : "machine");
        else if (o == 0)
                FAIL(c, "chipset", FAIL_REFUSED, "the image runs on %s, the machine's firmware on %s", ichip, cchip);
        else
                PASS(c, "chipset", "the image supports %s, the machine's firmware %s", ichip, cchip);
}

static void rule_release(rule_ctx *c) {
        unsigned ir = mefw_release_bit(c->img->release), cr = c->cur->release;
        if (!ir) {
                UNKNOWN(c, "release", "the image's release (production or pre-production) could not be read");
                return;
        }
        bool assumed = false;
        if (!cr) {
                cr = MEFW_RELEASE_PRD;
                assumed = true;
        }
        if (ir != cr)
                FAIL(c, "release", FAIL_REFUSED,
                     "the image is %s firmware, the machine runs %s%s: they are signed with different keys and "
                     "the firmware rejects the other kind",
                     c->img->release, cr == MEFW_RELEASE_PRD ? "Production" : "Pre-Production",
                     assumed ? " (assumed: retail machines run production firmware; say --release pre for an "
                               "engineering board)"
                             : "");
        else
                PASS(c, "release", "both are %s%s", c->img->release,
                     assumed ? " (the machine's is assumed: retail machines run production firmware; say --release "
                               "pre for an engineering board)"
                             : "");
}

/* TCB SVN, ARB SVN, VCN: the image's may never be lower than the running firmware's. */
static void rule_counter(rule_ctx *c, const char *name, const char *what, mefw_opt_u32 iv, mefw_opt_u32 cv) {
        if (!iv.set && !cv.set) {
                PASS(c, name, "%s %u firmware does not record its %s", c->img->family, c->img->version[0], what);
                return;
        }
        if (!iv.set) {
                UNKNOWN(c, name, "the image's %s could not be read", what);
                return;
        }
        if (cv.set) {
                if (iv.value < cv.value)
                        FAIL(c, name, FAIL_REFUSED,
                             "the image's %s is %u, the %s %u: the firmware refuses to go below its %s, and a "
                             "reflash does not lower it",
                             what, iv.value, c->region_write ? "chip's region's" : "running firmware's", cv.value, what);
                else
                        PASS(c, name, "the image's %s (%u) is not lower than the running firmware's (%u)", what,
                             iv.value, cv.value);
                return;
        }
        if (c->same_line && c->version_cmp >= 0)
                PASS(c, name,
                     "the running firmware's %s is not known, but the image (%s %u) is a build of the same line no "
                     "older than it, and a later build never carries a lower %s",
                     what, what, iv.value, what);
        else
                UNKNOWN(c, name, "the running firmware's %s is not known (the image has %u): a dump of the ME region "
                                 "(--current) tells",
                        what, iv.value);
}

static void rule_version(rule_ctx *c) {
        char a[24], b[24];
        if (!c->cur->has_version) {
                UNKNOWN(c, "version", "the running firmware version is not known");
                return;
        }
        ver(c->img->version, a, sizeof a);
        ver(c->cur->version, b, sizeof b);
        if (c->version_cmp > 0)
                PASS(c, "version", "%s is newer than the running %s", a, b);
        else if (c->version_cmp == 0) {
                c->out->allowsv = true;
                PASS(c, "version", "%s is the running version: FWUpdLcl reflashes it only with -allowsv (allow same "
                                   "version), which never permits a downgrade",
                     a);
        } else if (c->region_write)
                FAIL(c, "version", FAIL_REFUSED,
                     "%s is older than the %s on the chip: a downgrade, which the firmware may refuse to run "
                     "(and FWUpdLcl never does); forcing it risks an engine that no longer starts",
                     a, b);
        else
                FAIL(c, "version", FAIL_REFLASH,
                     "%s is older than the running %s: FWUpdLcl refuses downgrades (-allowsv allows only the same "
                     "version)",
                     a, b);
}

/*
 * A region write replaces what the chip holds, configuration included: the region FIT built for
 * this board (its settings, and on many boards data the maker put there) is lost when an Intel
 * stock or data-initialized region goes over it.
 */
static void rule_configuration(rule_ctx *c, const mefw_report *current) {
        const char *was = current->fw.fs_state, *will = c->img->fs_state;
        if (!was || !will) {
                UNKNOWN(c, "configuration", "the file system state of %s is not known", !was ? "the chip's region" :
                                                                                            "the new region");
                return;
        }
        if (strcmp(was, "Configured") == 0 && strcmp(will, "Configured") != 0)
                FAIL(c, "configuration", FAIL_REFUSED,
                     "the chip's region is configured for this board, the new one is %s (an Intel stock or "
                     "data-initialized region): forcing it loses the board's engine configuration; build a "
                     "configured region from this board's dump with Intel's FIT instead (the Win-Raid Clean ME "
                     "guide)",
                     will);
        else
                PASS(c, "configuration", "the chip's region is %s, the new one %s", was, will);
}

static void rule_local_fwupdate(rule_ctx *c) {
        if (c->cur->local_fwupdate == 1)
                PASS(c, "local-fwupdate", "Local FWUpdate is enabled");
        else if (c->cur->local_fwupdate == 0)
                FAIL(c, "local-fwupdate", FAIL_REFUSED,
                     "Local FWUpdate is disabled: FWUpdLcl stops (8719) until it is enabled in the MEBx or BIOS "
                     "setup (some OEMs hide the option)");
        else
                UNKNOWN(c, "local-fwupdate",
                        "whether Local FWUpdate is enabled is not known: paste MEInfo output (--current FILE) or "
                        "say --local-fwupdate enabled|disabled");
}

static void rule_tpm(rule_ctx *c) {
        bool applies = strcmp(c->img->family, "ME") == 0 && (c->img->version[0] == 4 || c->img->version[0] == 5);
        if (!applies) {
                PASS(c, "tpm-path", "only ME 4 and 5 firmware can host the TPM");
                return;
        }
        if (c->cur->tpm == 1) {
                c->out->tpm_switch = true;
                PASS(c, "tpm-path",
                     "the firmware hosts the TPM: FWUpdLcl must go through it with -tpm (without it: 8721); an owned "
                     "TPM asks for its owner password (8729)");
        } else if (c->cur->tpm == 0)
                PASS(c, "tpm-path", "the firmware does not host a TPM: the normal MEI path");
        else
                UNKNOWN(c, "tpm-path", "whether the firmware hosts a TPM is not known: MEInfo's FW Capabilities list "
                                       "\"Intel(R) TPM\" when it does; say --tpm yes|no");
}

static bool has_used_partition(const mefw_firmware *fw, const char *name) {
        for (size_t i = 0; i < fw->n_partitions; i++)
                if (strcmp(fw->partitions[i].name, name) == 0 && fw->partitions[i].used && fw->partitions[i].in_bounds)
                        return true;
        return false;
}

static void rule_input_kind(rule_ctx *c) {
        const char *k = c->img->container ? c->img->container : "unknown";
        const char *fam = c->img->family;
        unsigned major = c->img->version[0];
        if (strcmp(fam, "SPS") == 0 || strcmp(fam, "CSSPS") == 0) {
                FAIL(c, "input-kind", FAIL_REFLASH,
                     "server (SPS) firmware is not updated with FWUpdLcl: it comes with the board maker's BIOS "
                     "update, or is written whole");
                return;
        }
        if (strcmp(fam, "CSTXE") == 0 && major == 3) {
                FAIL(c, "input-kind", FAIL_REFLASH,
                     "CSTXE 3 has no FWUpdate: the IFWI is rebuilt with Intel's FIT and written with a programmer");
                return;
        }
        if (strcmp(k, "capsule") == 0 || strcmp(k, "vendor-image") == 0) {
                FAIL(c, "input-kind", FAIL_REFUSED,
                     "this is a board maker's BIOS update file with a whole flash image inside: it goes through the "
                     "maker's updater, or its engine region is taken out first (mefw extract)");
                return;
        }
        if (strcmp(k, "spi-image") == 0 || strcmp(k, "ifwi") == 0) {
                FAIL(c, "input-kind", FAIL_REFUSED,
                     "this is a whole flash image; FWUpdLcl takes the engine region or an update image: extract "
                     "it first (mefw extract)");
                return;
        }
        if (strcmp(k, "update") != 0 && strcmp(k, "region") != 0) {
                FAIL(c, "input-kind", FAIL_REFUSED, "a %s is not something FWUpdLcl takes", k);
                return;
        }
        if (strcmp(fam, "ME") == 0 && major <= 7 && strcmp(k, "update") != 0) {
                FAIL(c, "input-kind", FAIL_REFUSED,
                     "ME %u FWUpdLcl takes only update (UPD) images, not regions: get the update image of this "
                     "version",
                     major);
                return;
        }
        if (strcmp(k, "region") == 0 && (strcmp(fam, "ME") == 0 || strcmp(fam, "CSME") == 0 ||
                                         strcmp(fam, "TXE") == 0) && c->img->n_partitions &&
            !has_used_partition(c->img, "NFTP")) {
                FAIL(c, "input-kind", FAIL_REFLASH,
                     "the region has no NFTP partition (cleaned or shrunk, as me_cleaner does): FWUpdLcl fails on "
                     "it; only FPT or a programmer can write it");
                return;
        }
        PASS(c, "input-kind", "FWUpdLcl for %s %u takes %s images", fam, major,
             strcmp(k, "update") == 0 ? "update" : "region");
}

static void rule_companions(rule_ctx *c) {
        if (strcmp(c->img->family, "CSME") != 0 || c->img->version[0] < 12) {
                PASS(c, "companions", "%s %u needs no companion firmware", c->img->family, c->img->version[0]);
                return;
        }
        if (c->img->fwupdate_support == 1)
                PASS(c, "companions", "the image carries the companion firmware (PMC, PCHC, PHY) its update needs");
        else if (c->img->fwupdate_support == 0)
                FAIL(c, "companions", FAIL_REFUSED,
                     "the image lacks companion firmware (PMC, PCHC or PHY) that a CSME %u update must carry: "
                     "ME Analyzer calls this \"FWUpdate Support: Impossible\"; use an image that has them",
                     c->img->version[0]);
        else
                UNKNOWN(c, "companions", "whether the image carries its companion firmware could not be read");
}

static void rule_signature(rule_ctx *c) {
        switch (c->img->signature) {
        case MEFW_SIG_VALID:
                PASS(c, "signature", "the signature verifies with %s", c->img->key ? c->img->key : "an Intel key");
                break;
        case MEFW_SIG_INVALID:
                FAIL(c, "signature", FAIL_REFUSED, "the image's signature does not verify: it was altered");
                break;
        case MEFW_SIG_UNKNOWN_KEY:
                FAIL(c, "signature", FAIL_REFUSED,
                     "the image is signed with a key that is not Intel's (or not in the database): the firmware "
                     "rejects it");
                break;
        case MEFW_SIG_NOT_CHECKED:
                UNKNOWN(c, "signature", "no signed manifest was found to check");
                break;
        }
}

static void rule_integrity(rule_ctx *c) {
        const mefw_message *worst = NULL;
        for (size_t i = 0; i < c->report->messages.count && !worst; i++)
                if (c->report->messages.items[i].severity == MEFW_ERROR)
                        worst = &c->report->messages.items[i];
        if (worst)
                FAIL(c, "integrity", FAIL_REFUSED, "the image is damaged: %s", worst->text);
        else if (mefw_report_has_error(c->report))
                FAIL(c, "integrity", FAIL_REFUSED, "the image is damaged (see 'mefw analyze')");
        else
                PASS(c, "integrity", "no hash mismatch or broken structure was found");
}

static const char *const rule_names[] = {
        "family", "major", "branch", "sku", "platform", "chipset", "release", "tcb-svn", "arb-svn", "vcn",
        "version", "local-fwupdate", "tpm-path", "input-kind", "companions", "signature", "integrity",
};

const char *const *mefw_update_rule_names(size_t *ret_n) {
        *ret_n = ELEMENTSOF(rule_names);
        return rule_names;
}

/* ---- verdict, tool and procedure ----------------------------------------------------------- */

static void step(mefw_update_check *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(mefw_update_check *o, const char *fmt, ...) {
        if (o->n_steps >= MEFW_UPDATE_STEPS_MAX)
                return;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(o->steps[o->n_steps++], sizeof o->steps[0], fmt, ap);
        va_end(ap);
}

static const char *base_name(const char *p) {
        const char *s = strrchr(p, '/');
        return s ? s + 1 : p;
}

/*
 * Which Intel tools package a firmware needs: the one of its own major.minor line ("9.0" for
 * 9.0.x). From ME 8 on, and on every CSE engine, only that package fits (the 9.1 tools fail inside
 * a 9.0 update); before ME 8 a package of the same major serves its minor lines too. SPS has no
 * public tools package of its own.
 */
bool mefw_update_tools_branch(const char *family, const uint16_t version[4], char *buf, size_t cap) {
        if (!family || !*family || strcmp(family, "SPS") == 0 || strcmp(family, "CSSPS") == 0)
                return false;
        snprintf(buf, cap, "%u.%u", version[0], version[1]);
        return true;
}

bool mefw_update_tool_fits(const char *family, const uint16_t version[4], unsigned tool_major, unsigned tool_minor) {
        char want[16];
        if (!mefw_update_tools_branch(family, version, want, sizeof want))
                return true; /* nothing to compare with */
        if (tool_major != version[0])
                return false;
        bool minor_counts = strcmp(family, "ME") != 0 || version[0] >= 8;
        return !minor_counts || tool_minor == version[1];
}

static void make_tool(rule_ctx *c, const char *image_name) {
        mefw_update_check *o = c->out;
        const mefw_firmware *fw = c->img;
        const char *file = base_name(image_name && *image_name ? image_name : "image.bin");
        char sw[64] = "";
        snprintf(sw, sizeof sw, "%s%s%s", o->allowsv ? " -allowsv" : "", o->tpm_switch ? " -tpm" : "",
                 c->cur->secure_fwupdate == 1 ? " -pass PASSWORD" : "");
        o->has_tool = true;
        if (!mefw_update_tools_branch(fw->family, fw->version, o->tool_branch, sizeof o->tool_branch))
                snprintf(o->tool_branch, sizeof o->tool_branch, "%u.%u", fw->version[0], fw->version[1]);
        bool old = strcmp(fw->family, "ME") == 0 && fw->version[0] <= 6;
        bool cse = strcmp(fw->family, "CSME") == 0 || strcmp(fw->family, "CSTXE") == 0;
        if (old) {
                snprintf(o->tool_program, sizeof o->tool_program, "FWUpdLcl.exe (DOS)");
                snprintf(o->command, sizeof o->command, "FWUpdLcl -f %s%s", file, sw);
                snprintf(o->alternative, sizeof o->alternative,
                         "the Windows FWUpdLcl of the same package needs the ME driver of that era; DOS avoids it");
        } else {
                snprintf(o->tool_program, sizeof o->tool_program, "FWUpdLcl64.exe (Windows x64)");
                snprintf(o->command, sizeof o->command, "FWUpdLcl64 -f %s%s", file, sw);
                snprintf(o->alternative, sizeof o->alternative, "%s -f %s%s", cse ? "FWUpdLcl.efi" : "FWUpdLcl",
                         file, sw);
        }
}

static bool any(const rule_ctx *c, mefw_rule_result r, int kind) {
        for (size_t i = 0; i < c->out->n_rules; i++)
                if (c->out->rules[i].result == r && (kind < 0 || c->fails[i] == (fail_kind) kind))
                        return true;
        return false;
}

static void newest_hint(rule_ctx *c) {
        const mefw_update_current *cur = c->cur;
        mefw_latest l;
        char db_cls[40] = "", a[24];
        if (!cur->has_version || !cur->family[0])
                return;
        /* the database names CSME SKUs with their platform: "CON_H" */
        if (strcmp(cur->family, "CSME") == 0 && c->cur_cls[0] && c->cur_platform[0])
                snprintf(db_cls, sizeof db_cls, "%s_%s", c->cur_cls, c->cur_platform);
        else if (strcmp(cur->family, "CSME") != 0)
                snprintf(db_cls, sizeof db_cls, "%s", c->cur_cls);
        if (!db_cls[0] || mefw_db_latest(c->db, cur->family, cur->version, db_cls, MEFW_RELEASE_PRD, &l) < 0)
                return;
        if (mefw_version_cmp(l.newest.version, cur->version, 4) > 0)
                step(c->out, "The newest known build for this machine's branch is %s %s %s (%s): look for that image.",
                     cur->family, ver(l.newest.version, a, sizeof a), l.newest.sku, l.newest.forms);
        else
                step(c->out, "The machine already runs the newest %s %u.%u %s build the database knows (%s).",
                     cur->family, cur->version[0], cur->version[1], l.newest.sku, ver(l.newest.version, a, sizeof a));
}

static void make_procedure(rule_ctx *c) {
        mefw_update_check *o = c->out;
        switch (o->verdict) {
        case MEFW_VERDICT_ALLOWED:
                step(o, "Keep a backup first: dump the whole SPI flash (FPT -d, or a programmer when the descriptor "
                        "blocks reads) and keep it off the machine.");
                step(o, "Use FWUpdLcl from the Intel ME System Tools of the %s branch (the tool must match the "
                        "firmware's branch): %s",
                     o->tool_branch, o->command);
                if (o->allowsv)
                        step(o, "-allowsv is there because the image is the running version: it reflashes the same "
                                "code and nothing else.");
                if (o->tpm_switch)
                        step(o, "The firmware hosts the TPM, so the update goes through it (-tpm). Run from DOS with "
                                "the TPM enabled; if it asks for the owner password (8729) give it, or do the update "
                                "before taking ownership.");
                step(o, "Let it finish without interruption, then shut the machine down fully (or disconnect power "
                        "for a minute) so the ME restarts on the new code.");
                step(o, "Check the result: MEInfo, or 'mefw status --live', must show the new version.");
                break;
        case MEFW_VERDICT_NEEDS_REFLASH:
                step(o, "Don't use FWUpdLcl for this: it cannot make this change and refuses (older tools have "
                        "bricked boards trying).");
                step(o, "The only way is rewriting the whole ME region: with FPT (fptw64 -me -f FILE) when the "
                        "descriptor grants the host write access to the ME region, otherwise with an SPI programmer.");
                step(o, "Write a region configured for this board: the board maker's BIOS package that carries the "
                        "wanted firmware, or a region built from your own dump with Intel's FIT and your settings. "
                        "Never write an Intel stock region or an update image unconfigured over a configured one.");
                step(o, "A new major or branch also needs a BIOS that supports it: use the board maker's BIOS that "
                        "ships it.");
                step(o, "Afterwards: a global reset (fptw64 -greset) or a full power drain, then check with MEInfo.");
                newest_hint(c);
                break;
        case MEFW_VERDICT_REFUSED:
                step(o, "This image does not fit this machine; don't flash it in any way:");
                for (size_t i = 0; i < o->n_rules; i++)
                        if (o->rules[i].result == MEFW_RULE_FAIL && c->fails[i] == FAIL_REFUSED)
                                step(o, "%s: %s", o->rules[i].name, o->rules[i].reason);
                newest_hint(c);
                break;
        case MEFW_VERDICT_UNKNOWN:
                step(o, "mefw could not check everything; don't flash until these are known:");
                for (size_t i = 0; i < o->n_rules; i++)
                        if (o->rules[i].result == MEFW_RULE_UNKNOWN)
                                step(o, "%s: %s", o->rules[i].name, o->rules[i].reason);
                break;
        }
}

/* Both sides' SKU class and platform in the image's family terms, and which version is newer. */
static void compare_setup(rule_ctx *c) {
        const mefw_update_current *cur = c->cur;
        const mefw_firmware *fw = c->img;
        const char *fam = cur->family[0] ? cur->family : fw->family;
        sku_split(fam, cur->sku, c->cur_cls, sizeof c->cur_cls, c->cur_platform);
        if (cur->platform[0])
                snprintf(c->cur_platform, sizeof c->cur_platform, "%s", cur->platform);
        if (!c->cur_platform[0] && cur->has_version)
                snprintf(c->cur_platform, sizeof c->cur_platform, "%s",
                         platform_of_branch(fam, cur->version[0], cur->version[1]));
        if (!c->cur_platform[0])
                snprintf(c->cur_platform, sizeof c->cur_platform, "%s", platform_of_chipset(cur->chipset));
        sku_split(fw->family, fw->sku, c->img_cls, sizeof c->img_cls, c->img_platform);
        if (!c->img_platform[0])
                snprintf(c->img_platform, sizeof c->img_platform, "%s", platform_of_chipset(fw->pch));
        if (!c->img_platform[0])
                snprintf(c->img_platform, sizeof c->img_platform, "%s",
                         platform_of_branch(fw->family, fw->version[0], fw->version[1]));
        c->version_cmp = cur->has_version ? mefw_version_cmp(fw->version, cur->version, 4) : 0;
}

static void set_verdict(rule_ctx *c) {
        mefw_update_check *out = c->out;
        if (any(c, MEFW_RULE_FAIL, FAIL_REFUSED))
                out->verdict = MEFW_VERDICT_REFUSED;
        else if (any(c, MEFW_RULE_FAIL, FAIL_REFLASH))
                out->verdict = MEFW_VERDICT_NEEDS_REFLASH;
        else if (any(c, MEFW_RULE_UNKNOWN, -1))
                out->verdict = MEFW_VERDICT_UNKNOWN;
        else
                out->verdict = MEFW_VERDICT_ALLOWED;
}

int mefw_update_check_image(const mefw_update_current *cur, const mefw_report *image, const char *image_name,
                            const mefw_db *db, mefw_update_check *ret) {
        mefw_update_check out = {};
        rule_ctx c = {
                .cur = cur, .img = &image->fw, .report = image, .db = db ? db : mefw_db_current(), .out = &out,
        };
        const mefw_firmware *fw = c.img;

        rule_family(&c);
        if (!fw->family || !fw->has_version) {
                out.verdict = MEFW_VERDICT_REFUSED;
                step(&out, "The image holds no engine firmware mefw could identify: check it with 'mefw analyze'.");
                *ret = out;
                return 0;
        }
        compare_setup(&c);

        rule_major(&c);
        rule_branch(&c);
        rule_sku(&c);
        rule_platform(&c);
        rule_chipset(&c);
        rule_release(&c);
        rule_counter(&c, "tcb-svn", "TCB SVN", fw->tcb_svn, cur->tcb_svn);
        rule_counter(&c, "arb-svn", "ARB SVN", fw->arb_svn, cur->arb_svn);
        rule_counter(&c, "vcn", "VCN", fw->vcn, cur->vcn);
        rule_version(&c);
        rule_local_fwupdate(&c);
        rule_tpm(&c);
        rule_input_kind(&c);
        rule_companions(&c);
        rule_signature(&c);
        rule_integrity(&c);

        set_verdict(&c);
        if (out.verdict == MEFW_VERDICT_ALLOWED)
                make_tool(&c, image_name);
        else
                out.allowsv = out.tpm_switch = false;
        make_procedure(&c);
        *ret = out;
        return 0;
}

int mefw_update_check_region_write(const mefw_report *current, const mefw_report *image, mefw_update_check *ret) {
        mefw_update_current cur;
        int k = mefw_update_current_from_report(current, "the chip", &cur);
        if (k < 0)
                return k;
        mefw_update_check out = {};
        rule_ctx c = {
                .cur = &cur, .img = &image->fw, .report = image, .db = mefw_db_current(), .out = &out,
                .region_write = true,
        };
        const mefw_firmware *fw = c.img;
        rule_family(&c);
        if (!fw->family || !fw->has_version) {
                out.verdict = MEFW_VERDICT_REFUSED;
                *ret = out;
                return 0;
        }
        compare_setup(&c);
        rule_major(&c);
        rule_sku(&c);
        rule_platform(&c);
        rule_chipset(&c);
        rule_release(&c);
        rule_counter(&c, "tcb-svn", "TCB SVN", fw->tcb_svn, cur.tcb_svn);
        rule_counter(&c, "arb-svn", "ARB SVN", fw->arb_svn, cur.arb_svn);
        rule_counter(&c, "vcn", "VCN", fw->vcn, cur.vcn);
        rule_version(&c);
        rule_signature(&c);
        rule_integrity(&c);
        rule_configuration(&c, current);
        /* a region write has no second route: whatever fails is refused */
        out.verdict = any(&c, MEFW_RULE_FAIL, -1) ? MEFW_VERDICT_REFUSED : MEFW_VERDICT_ALLOWED;
        *ret = out;
        return 0;
}

/*
 * The same policy for firmware a person or a log names without the image itself ("I want to go
 * back to 9.0.31.1487", an image line of FWUpdLcl or ME Analyzer): the rules its own fields decide
 * (family, major, branch, SKU, platform, chipset, version), run exactly as for an image; what only
 * the image's bytes would tell (signature, counters, integrity) is left out, not guessed.
 */
int mefw_update_check_firmware(const mefw_update_current *cur, const mefw_firmware *fw, mefw_update_check *ret) {
        if (!fw->family || !*fw->family || !fw->has_version)
                return -EINVAL;
        mefw_update_check out = {};
        rule_ctx c = { .cur = cur, .img = fw, .out = &out };
        compare_setup(&c);
        rule_family(&c);
        rule_major(&c);
        rule_branch(&c);
        if (fw->sku[0])
                rule_sku(&c);
        rule_platform(&c);
        if (fw->chipset && *fw->chipset)
                rule_chipset(&c);
        rule_version(&c);
        set_verdict(&c);
        *ret = out;
        return 0;
}

const mefw_rule_outcome *mefw_update_rule(const mefw_update_check *c, const char *name) {
        for (size_t i = 0; i < c->n_rules; i++)
                if (strcmp(c->rules[i].name, name) == 0)
                        return &c->rules[i];
        return NULL;
}

static int verdict_rank(mefw_verdict v) {
        switch (v) {
        case MEFW_VERDICT_ALLOWED:
                return 0;
        case MEFW_VERDICT_UNKNOWN:
                return 1;
        case MEFW_VERDICT_NEEDS_REFLASH:
                return 2;
        case MEFW_VERDICT_REFUSED:
                return 3;
        }
        return 4;
}

int mefw_update_compare(const mefw_update_check *a, const mefw_report *ra, const mefw_update_check *b,
                        const mefw_report *rb) {
        int d = verdict_rank(a->verdict) - verdict_rank(b->verdict);
        if (d)
                return d;
        bool va = ra->fw.has_version, vb = rb->fw.has_version;
        if (va != vb)
                return va ? -1 : 1;
        if (va) {
                int v = mefw_version_cmp(ra->fw.version, rb->fw.version, 4);
                if (v)
                        return -v;
        }
        return strcmp(ra->file ? ra->file : "", rb->file ? rb->file : "");
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static void kv_text(mefw_json *j, const char *key, const char *s) {
        mefw_json_kv_string(j, key, s && *s ? s : NULL);
}

static void kv_opt(mefw_json *j, const char *key, mefw_opt_u32 v) {
        if (v.set)
                mefw_json_kv_uint(j, key, v.value);
        else
                mefw_json_kv_null(j, key);
}

static void kv_tri(mefw_json *j, const char *key, int v) {
        if (v < 0)
                mefw_json_kv_null(j, key);
        else
                mefw_json_kv_bool(j, key, v);
}

void mefw_update_current_write_json(const mefw_update_current *c, mefw_json *j) {
        char buf[24];
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "source", c->source);
        kv_text(j, "source_name", c->source_name);
        kv_text(j, "family", c->family);
        mefw_json_kv_string(j, "version", c->has_version ? mefw_format_version(c->version, buf, sizeof buf) : NULL);
        kv_text(j, "sku", c->sku);
        kv_text(j, "platform", c->platform);
        mefw_json_kv_string(j, "release", c->release == MEFW_RELEASE_PRD   ? "Production"
                                          : c->release == MEFW_RELEASE_PRE ? "Pre-Production"
                                          : c->release == MEFW_RELEASE_BYP ? "ROM-Bypass"
                                                                           : NULL);
        kv_opt(j, "tcb_svn", c->tcb_svn);
        kv_opt(j, "arb_svn", c->arb_svn);
        kv_opt(j, "vcn", c->vcn);
        kv_text(j, "chipset", c->chipset);
        kv_tri(j, "local_fwupdate", c->local_fwupdate);
        kv_tri(j, "tpm", c->tpm);
        kv_tri(j, "secure_fwupdate", c->secure_fwupdate);
        mefw_json_key(j, "notes");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < c->n_notes; i++)
                mefw_json_string(j, c->notes[i]);
        mefw_json_end_array(j);
        mefw_json_end_object(j);
}

void mefw_update_write_json(const mefw_update_current *cur, const mefw_report *image, const mefw_update_check *c,
                            mefw_json *j) {
        mefw_json_begin_object(j);
        mefw_json_key(j, "current");
        mefw_update_current_write_json(cur, j);
        mefw_json_key(j, "image");
        mefw_report_write_json(image, j);
        mefw_json_kv_string(j, "verdict", mefw_verdict_name(c->verdict));
        mefw_json_key(j, "rules");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < c->n_rules; i++) {
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "name", c->rules[i].name);
                mefw_json_kv_string(j, "result", mefw_rule_result_name(c->rules[i].result));
                mefw_json_kv_string(j, "reason", c->rules[i].reason);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_key(j, "procedure");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < c->n_steps; i++)
                mefw_json_string(j, c->steps[i]);
        mefw_json_end_array(j);
        mefw_json_key(j, "tool");
        if (!c->has_tool)
                mefw_json_null(j);
        else {
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "name", "FWUpdLcl");
                mefw_json_kv_string(j, "branch", c->tool_branch);
                mefw_json_kv_string(j, "program", c->tool_program);
                mefw_json_kv_string(j, "command", c->command);
                kv_text(j, "alternative", c->alternative);
                mefw_json_key(j, "switches");
                mefw_json_begin_array(j);
                if (c->allowsv)
                        mefw_json_string(j, "-allowsv");
                if (c->tpm_switch)
                        mefw_json_string(j, "-tpm");
                mefw_json_end_array(j);
                mefw_json_end_object(j);
        }
        mefw_json_end_object(j);
}
