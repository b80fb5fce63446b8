/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verdict of 'mefw diagnose': which cause an expert would name for the post, and the plan of
 * steps for it, from data/diagnose-causes.txt and data/diagnose-remedies.txt.
 *
 * Every cause lists weighted signals (facts of the post or of a machine, the knowledge-base class
 * of an error, a finding the rules made, whether the host may write the ME region, the update
 * policy's verdict on the versions named). The cause with the highest score wins when it reaches
 * the table's minimum; below it the post holds too little to decide and the rules' own findings
 * stand. The plan is chosen by the access state, steps the post shows done are left out (and
 * named), the placeholders are filled for the machine's generation, and every step's warnings are
 * gathered, so a plan that writes always carries its safety warnings.
 *
 * The tables are parsed once; an entry that does not parse, names an unknown step or warning, or
 * has no source is counted as bad and left out (a test requires none).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mefw/update.h"
#include "reader.h"

extern const char mefw_data_diagnose_causes[];
extern const size_t mefw_data_diagnose_causes_len;
extern const char mefw_data_diagnose_remedies[];
extern const size_t mefw_data_diagnose_remedies_len;

#define CONDS_MAX 8          /* conditions of one signal or plan */
#define SIGNALS_MAX 32       /* signals of one cause */
#define PLANS_MAX 24         /* plans of a cause: per access state, and conditions */
#define PLAN_STEPS_MAX 8
#define DONE_IF_MAX 4
#define STEP_WARNS_MAX 8
#define CAUSES_MAX 48
#define STEPS_MAX 48
#define WARNINGS_MAX 24
#define ACCESS_CONDS_MAX 24
#define EXPLAIN_MAX 8
#define PLACEHOLDER_MAX 300  /* the longest text a {placeholder} is filled with */

typedef struct {
        const char *text;            /* "symptom=me-na", "kb:broken", "finding:tool-branch", ... */
        bool negated;
} cond;

typedef struct {
        int weight;
        cond conds[CONDS_MAX];
        size_t n_conds;
} signal_def;

typedef struct {
        const char *state;           /* "locked", "writable", "unknown", "any" */
        cond when[CONDS_MAX];        /* and these hold ("unknown tried=programmer | ...") */
        size_t n_when;
        const char *steps[PLAN_STEPS_MAX];
        size_t n_steps;
} plan_def;

typedef struct {
        const char *id, *title, *source;
        const char *explain[EXPLAIN_MAX];
        size_t n_explain;
        mefw_finding_severity severity;
        bool has_severity;
        signal_def signals[SIGNALS_MAX];
        size_t n_signals;
        plan_def plans[PLANS_MAX];
        size_t n_plans;
        const char *absorbs[PLAN_STEPS_MAX]; /* rule findings the verdict speaks for, first = its own */
        size_t n_absorbs;
        const char *warns[STEP_WARNS_MAX];   /* warnings the cause itself calls for */
        size_t n_warns;
        const char *explains[PLAN_STEPS_MAX]; /* symptoms the cause accounts for */
        size_t n_explains;
} cause_def;

typedef struct {
        const char *id, *text, *writes, *source;
        cond done_if[DONE_IF_MAX];
        size_t n_done_if;
        cond need[DONE_IF_MAX];           /* the step is only offered when these hold */
        size_t n_need;
        const char *warns[STEP_WARNS_MAX];
        size_t n_warns;
} step_def;

typedef struct {
        const char *id, *text, *source;
} warning_def;

typedef struct {
        const char *name, *recovery, *source;
} maker_def;

#define MAKERS_MAX 32

/* A warning the post's own plan calls for ("wants=downgrade" -> no-downgrade), whatever the steps. */
typedef struct {
        const char *warning;
        cond conds[CONDS_MAX];
        size_t n_conds;
} warn_rule;

#define WARN_RULES_MAX 32

static struct {
        char *causes_text, *remedies_text;
        warn_rule warn_rules[WARN_RULES_MAX];
        size_t n_warn_rules;
        cause_def causes[CAUSES_MAX];
        size_t n_causes;
        step_def steps[STEPS_MAX];
        size_t n_steps;
        warning_def warnings[WARNINGS_MAX];
        size_t n_warnings;
        maker_def makers[MAKERS_MAX];
        size_t n_makers;
        cond locked[ACCESS_CONDS_MAX], writable[ACCESS_CONDS_MAX];
        size_t n_locked, n_writable;
        int min_score;
        size_t n_bad;
        bool ok;
} table;

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* ---- Parsing ------------------------------------------------------------------------------- */

static char *trim(char *s) {
        while (*s == ' ' || *s == '\t')
                s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
                s[--n] = 0;
        return s;
}

static bool parse_cond(char *w, cond *ret) {
        bool neg = *w == '!';
        if (neg)
                w++;
        if (!*w || (!strchr(w, '=') && !strchr(w, ':')))
                return false;
        *ret = (cond){ .text = w, .negated = neg };
        return true;
}

/* "3 symptom=me-na tried=jumper" */
static bool parse_signal(char *v, signal_def *ret) {
        char *save = NULL, *w = strtok_r(v, " ", &save);
        char *end;
        long weight = w ? strtol(w, &end, 10) : 0;
        if (!w || *end || weight < -100 || weight > 100)
                return false;
        signal_def s = { .weight = (int) weight };
        while ((w = strtok_r(NULL, " ", &save))) {
                if (s.n_conds >= CONDS_MAX || !parse_cond(w, &s.conds[s.n_conds]))
                        return false;
                s.n_conds++;
        }
        if (s.n_conds == 0)
                return false;
        *ret = s;
        return true;
}

/* "locked unlock-descriptor backup-spi ...", or with conditions before a bar:
 * "unknown tried=programmer | clean-me-region programmer-write" */
static bool parse_plan(char *v, plan_def *ret) {
        plan_def p = {};
        char *bar = strchr(v, '|');
        if (bar)
                *bar = 0;
        char *save = NULL, *w = strtok_r(v, " ", &save);
        if (!w || (strcmp(w, "locked") != 0 && strcmp(w, "writable") != 0 && strcmp(w, "unknown") != 0 &&
                   strcmp(w, "any") != 0))
                return false;
        p.state = w;
        /* before the bar: conditions; after it (or without one, after the state): the steps */
        while ((w = strtok_r(NULL, " ", &save))) {
                if (bar) {
                        if (p.n_when >= CONDS_MAX || !parse_cond(w, &p.when[p.n_when]))
                                return false;
                        p.n_when++;
                } else if (p.n_steps < PLAN_STEPS_MAX)
                        p.steps[p.n_steps++] = w;
                else
                        return false;
        }
        save = NULL;
        for (w = bar ? strtok_r(bar + 1, " ", &save) : NULL; w; w = strtok_r(NULL, " ", &save)) {
                if (p.n_steps >= PLAN_STEPS_MAX)
                        return false;
                p.steps[p.n_steps++] = w;
        }
        if (p.n_steps == 0)
                return false;
        *ret = p;
        return true;
}

static bool parse_severity(const char *v, mefw_finding_severity *ret) {
        static const struct {
                const char *name;
                mefw_finding_severity sev;
        } names[] = { { "error", MEFW_FINDING_ERROR }, { "warning", MEFW_FINDING_WARNING }, { "info", MEFW_FINDING_INFO } };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(v, names[i].name) == 0) {
                        *ret = names[i].sev;
                        return true;
                }
        return false;
}

/* "a, b c": the words of a list (commas or spaces between them), at most max; false past it. */
static bool split_words(char *v, const char **out, size_t max, size_t *ret_n) {
        char *save = NULL;
        size_t n = 0;
        for (char *w = strtok_r(v, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
                if (n >= max)
                        return false;
                out[n++] = w;
        }
        *ret_n = n;
        return true;
}

static bool cause_line(cause_def *c, const char *key, char *v) {
        if (strcmp(key, "title") == 0 && !c->title)
                c->title = v;
        else if (strcmp(key, "explain") == 0 && c->n_explain < EXPLAIN_MAX)
                c->explain[c->n_explain++] = v;
        else if (strcmp(key, "severity") == 0)
                return (c->has_severity = parse_severity(v, &c->severity));
        else if (strcmp(key, "signal") == 0 && c->n_signals < SIGNALS_MAX) {
                /* counted only once parsed: a bad line leaves no empty entry behind */
                if (!parse_signal(v, &c->signals[c->n_signals]))
                        return false;
                c->n_signals++;
        } else if (strcmp(key, "plan") == 0 && c->n_plans < PLANS_MAX) {
                if (!parse_plan(v, &c->plans[c->n_plans]))
                        return false;
                c->n_plans++;
        } else if (strcmp(key, "source") == 0 && !c->source)
                c->source = v;
        else if (strcmp(key, "warn") == 0 && c->n_warns == 0)
                return split_words(v, c->warns, STEP_WARNS_MAX, &c->n_warns);
        else if (strcmp(key, "explains") == 0 && c->n_explains == 0)
                return split_words(v, c->explains, PLAN_STEPS_MAX, &c->n_explains);
        else if (strcmp(key, "absorbs") == 0 && c->n_absorbs == 0)
                return split_words(v, c->absorbs, PLAN_STEPS_MAX, &c->n_absorbs);
        else
                return false;
        return true;
}

static bool step_line(step_def *s, const char *key, char *v) {
        if (strcmp(key, "text") == 0 && !s->text)
                s->text = v;
        else if (strcmp(key, "writes") == 0 && !s->writes)
                s->writes = v;
        else if (strcmp(key, "done-if") == 0 && s->n_done_if < DONE_IF_MAX) {
                if (!parse_cond(v, &s->done_if[s->n_done_if]))
                        return false;
                s->n_done_if++;
        } else if (strcmp(key, "needs") == 0 && s->n_need < DONE_IF_MAX) {
                if (!parse_cond(v, &s->need[s->n_need]))
                        return false;
                s->n_need++;
        } else if (strcmp(key, "warn") == 0 && s->n_warns == 0) {
                if (!split_words(v, s->warns, STEP_WARNS_MAX, &s->n_warns))
                        return false;
        } else if (strcmp(key, "source") == 0 && !s->source)
                s->source = v;
        else
                return false;
        return true;
}

static bool warning_line(warning_def *w, const char *key, char *v) {
        if (strcmp(key, "text") == 0 && !w->text)
                w->text = v;
        else if (strcmp(key, "source") == 0 && !w->source)
                w->source = v;
        else
                return false;
        return true;
}

static bool access_line(const char *key, char *v) {
        cond c;
        if (!parse_cond(v, &c))
                return false;
        if (strcmp(key, "locked") == 0 && table.n_locked < ACCESS_CONDS_MAX)
                table.locked[table.n_locked++] = c;
        else if (strcmp(key, "writable") == 0 && table.n_writable < ACCESS_CONDS_MAX)
                table.writable[table.n_writable++] = c;
        else
                return false;
        return true;
}

/* "add: no-downgrade wants=downgrade" */
static bool warnings_line(const char *key, char *v) {
        char *save = NULL, *w = strtok_r(v, " ", &save);
        if (strcmp(key, "add") != 0 || !w || table.n_warn_rules >= WARN_RULES_MAX)
                return false;
        warn_rule r = { .warning = w };
        while ((w = strtok_r(NULL, " ", &save))) {
                if (r.n_conds >= CONDS_MAX || !parse_cond(w, &r.conds[r.n_conds]))
                        return false;
                r.n_conds++;
        }
        table.warn_rules[table.n_warn_rules++] = r;
        return true;
}

static bool maker_line(maker_def *m, const char *key, char *v) {
        if (strcmp(key, "recovery") == 0 && !m->recovery)
                m->recovery = v;
        else if (strcmp(key, "source") == 0 && !m->source)
                m->source = v;
        else
                return false;
        return true;
}

typedef enum {
        SEC_NONE, SEC_BAD, SEC_VERDICT, SEC_ACCESS, SEC_WARNINGS, SEC_CAUSE, SEC_STEP, SEC_WARNING, SEC_MAKER
} section_kind;

/* "[cause region-corrupt]", "[step backup-spi]", "[access]": which kind of entry follows. */
static section_kind open_section(char *line) {
        char *close = strchr(line, ']');
        if (!close || close[1])
                return SEC_BAD;
        *close = 0;
        char *name = line + 1, *sp = strchr(name, ' ');
        if (!sp)
                return strcmp(name, "verdict") == 0    ? SEC_VERDICT
                       : strcmp(name, "access") == 0   ? SEC_ACCESS
                       : strcmp(name, "warnings") == 0 ? SEC_WARNINGS
                                                       : SEC_BAD;
        *sp = 0;
        char *id = trim(sp + 1);
        if (!*id || strchr(id, ' '))
                return SEC_BAD;
        if (strcmp(name, "cause") == 0 && table.n_causes < CAUSES_MAX) {
                table.causes[table.n_causes++] = (cause_def){ .id = id };
                return SEC_CAUSE;
        }
        if (strcmp(name, "step") == 0 && table.n_steps < STEPS_MAX) {
                table.steps[table.n_steps++] = (step_def){ .id = id };
                return SEC_STEP;
        }
        if (strcmp(name, "warning") == 0 && table.n_warnings < WARNINGS_MAX) {
                table.warnings[table.n_warnings++] = (warning_def){ .id = id };
                return SEC_WARNING;
        }
        if (strcmp(name, "maker") == 0 && table.n_makers < MAKERS_MAX) {
                table.makers[table.n_makers++] = (maker_def){ .name = id };
                return SEC_MAKER;
        }
        return SEC_BAD;
}

static void parse_text(char *text) {
        section_kind sec = SEC_NONE;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                line = trim(line);
                if (!*line || *line == '#')
                        continue;
                if (*line == '[') {
                        sec = open_section(line);
                        if (sec == SEC_BAD)
                                table.n_bad++;
                        continue;
                }
                char *colon = strchr(line, ':');
                if (!colon || sec == SEC_NONE || sec == SEC_BAD) {
                        table.n_bad += sec != SEC_BAD;
                        continue;
                }
                *colon = 0;
                char *key = trim(line), *v = trim(colon + 1);
                bool ok = false;
                switch (sec) {
                case SEC_VERDICT: {
                        char *end;
                        long n = strtol(v, &end, 10);
                        ok = strcmp(key, "min-score") == 0 && !*end && n > 0 && n < 100;
                        if (ok)
                                table.min_score = (int) n;
                        break;
                }
                case SEC_ACCESS:
                        ok = access_line(key, v);
                        break;
                case SEC_WARNINGS:
                        ok = warnings_line(key, v);
                        break;
                case SEC_CAUSE:
                        ok = cause_line(&table.causes[table.n_causes - 1], key, v);
                        break;
                case SEC_STEP:
                        ok = step_line(&table.steps[table.n_steps - 1], key, v);
                        break;
                case SEC_WARNING:
                        ok = warning_line(&table.warnings[table.n_warnings - 1], key, v);
                        break;
                case SEC_MAKER:
                        ok = maker_line(&table.makers[table.n_makers - 1], key, v);
                        break;
                default:
                        break;
                }
                if (!ok)
                        table.n_bad++;
        }
}

static const step_def *step_get(const char *id) {
        for (size_t i = 0; i < table.n_steps; i++)
                if (strcmp(table.steps[i].id, id) == 0)
                        return &table.steps[i];
        return NULL;
}

static const warning_def *warning_get(const char *id) {
        for (size_t i = 0; i < table.n_warnings; i++)
                if (strcmp(table.warnings[i].id, id) == 0)
                        return &table.warnings[i];
        return NULL;
}

/* Entries missing what they need, or naming steps and warnings that do not exist, are left out. */
static const maker_def *maker_get(const char *name) {
        for (size_t i = 0; i < table.n_makers; i++)
                if (strcasecmp(table.makers[i].name, name) == 0)
                        return &table.makers[i];
        return NULL;
}

static void check_entries(void) {
        size_t kept = 0;
        for (size_t i = 0; i < table.n_makers; i++)
                if (table.makers[i].recovery && table.makers[i].source &&
                    strlen(table.makers[i].recovery) < PLACEHOLDER_MAX)
                        table.makers[kept++] = table.makers[i];
                else
                        table.n_bad++;
        table.n_makers = kept;
        if (!maker_get("general"))
                table.n_bad++; /* {recovery} needs the general wording */
        kept = 0;
        for (size_t i = 0; i < table.n_warnings; i++)
                if (table.warnings[i].text && table.warnings[i].source)
                        table.warnings[kept++] = table.warnings[i];
                else
                        table.n_bad++;
        table.n_warnings = kept;
        kept = 0;
        for (size_t i = 0; i < table.n_steps; i++) {
                step_def *s = &table.steps[i];
                bool ok = s->text && s->writes && s->source;
                /* filled in, a step must still fit whole: no step is ever cut short */
                size_t holes = 0;
                for (const char *p = s->text ? strchr(s->text, '{') : NULL; p; p = strchr(p + 1, '{'))
                        holes++;
                ok = ok && strlen(s->text) + holes * PLACEHOLDER_MAX < MEFW_STEP_TEXT_MAX;
                for (size_t k = 0; ok && k < s->n_warns; k++)
                        ok = warning_get(s->warns[k]) != NULL;
                if (ok)
                        table.steps[kept++] = *s;
                else
                        table.n_bad++;
        }
        table.n_steps = kept;
        kept = 0;
        for (size_t i = 0; i < table.n_causes; i++) {
                cause_def *c = &table.causes[i];
                bool ok = c->title && c->source && c->has_severity && c->n_signals && c->n_plans;
                for (size_t p = 0; ok && p < c->n_plans; p++)
                        for (size_t k = 0; ok && k < c->plans[p].n_steps; k++)
                                ok = step_get(c->plans[p].steps[k]) != NULL;
                for (size_t k = 0; ok && k < c->n_warns; k++)
                        ok = warning_get(c->warns[k]) != NULL;
                if (ok)
                        table.causes[kept++] = *c;
                else
                        table.n_bad++;
        }
        table.n_causes = kept;
        kept = 0;
        for (size_t i = 0; i < table.n_warn_rules; i++)
                if (warning_get(table.warn_rules[i].warning))
                        table.warn_rules[kept++] = table.warn_rules[i];
                else
                        table.n_bad++;
        table.n_warn_rules = kept;
}

static char *copy_text(const char *data, size_t len) {
        char *t = malloc(len + 1);
        if (t) {
                memcpy(t, data, len);
                t[len] = 0;
        }
        return t;
}

static void load_tables(void) {
        table.causes_text = copy_text(mefw_data_diagnose_causes, mefw_data_diagnose_causes_len);
        table.remedies_text = copy_text(mefw_data_diagnose_remedies, mefw_data_diagnose_remedies_len);
        if (!table.causes_text || !table.remedies_text)
                return;
        parse_text(table.remedies_text);
        parse_text(table.causes_text);
        check_entries();
        if (table.min_score == 0)
                table.n_bad++;
        table.ok = table.min_score > 0;
}

size_t diag_causes_count(size_t *ret_bad) {
        pthread_once(&table_once, load_tables);
        if (ret_bad)
                *ret_bad = table.n_bad;
        return table.ok ? table.n_causes : 0;
}

const char *mefw_diag_warning_text(const char *id) {
        pthread_once(&table_once, load_tables);
        const warning_def *w = id ? warning_get(id) : NULL;
        return w ? w->text : NULL;
}

/* ---- What the post shows ------------------------------------------------------------------- */

typedef enum { ACCESS_UNKNOWN, ACCESS_LOCKED, ACCESS_WRITABLE } access_state;

static const char *const access_names[] = { "unknown", "locked", "writable" };

#define POLICY_DOWNGRADE (1u << 0)
#define POLICY_ONE_WAY (1u << 1)
#define POLICY_MAJOR (1u << 2)
#define POLICY_ALLOWED (1u << 3)

typedef struct {
        const mefw_diag_log *log;
        const mefw_findings *findings;
        access_state access;
        unsigned policy;             /* POLICY_* verdicts on the versions the post names */
        int sister;                  /* a machine of the post that runs a newer firmware of the
                                      * same generation than another of its machines, -1 none */
} evidence;

/* "name=value" (value* a prefix) against one fact. */
static bool fact_matches(const mefw_diag_fact *f, const char *name, size_t name_len, const char *value) {
        if (strlen(f->name) != name_len || strncmp(f->name, name, name_len) != 0)
                return false;
        size_t vl = strlen(value);
        if (vl && value[vl - 1] == '*')
                return strncasecmp(f->value, value, vl - 1) == 0;
        return strcasecmp(f->value, value) == 0;
}

/* The first fact, of the post or of a machine, that "name=value" names; NULL when none. */
static const mefw_diag_fact *find_fact(const evidence *ev, const char *text) {
        const char *eq = strchr(text, '=');
        if (!eq)
                return NULL;
        size_t nl = (size_t) (eq - text);
        const mefw_diag_log *log = ev->log;
        for (size_t i = 0; i < log->n_facts; i++)
                if (fact_matches(&log->facts[i], text, nl, eq + 1))
                        return &log->facts[i];
        for (size_t m = 0; m < log->n_machines; m++)
                for (size_t i = 0; i < log->machines[m].n_facts; i++)
                        if (fact_matches(&log->machines[m].facts[i], text, nl, eq + 1))
                                return &log->machines[m].facts[i];
        return NULL;
}

static bool has_fact(const evidence *ev, const char *text) {
        return find_fact(ev, text) != NULL;
}

static bool id_matches(const char *id, const char *pattern) {
        size_t pl = strlen(pattern);
        if (pl && pattern[pl - 1] == '*')
                return strncmp(id, pattern, pl - 1) == 0;
        return strcmp(id, pattern) == 0;
}

static bool has_finding(const evidence *ev, const char *pattern) {
        for (size_t i = 0; i < ev->findings->n; i++)
                if (id_matches(ev->findings->items[i].id, pattern))
                        return true;
        return false;
}

/* An error of the machines that the knowledge base puts in this class. */
static bool has_kb_class(const evidence *ev, const char *cls) {
        for (size_t m = 0; m < ev->log->n_machines; m++)
                for (size_t i = 0; i < ev->log->machines[m].n_errors; i++) {
                        const mefw_kb_entry *k = ev->log->machines[m].errors[i].kb;
                        if (k && strcmp(mefw_kb_class_name(k->cls), cls) == 0)
                                return true;
                }
        return false;
}

/* An error of the machines whose knowledge-base entry has this id ("fwu-8727", "fpt-*"). */
static bool has_kb_error(const evidence *ev, const char *pattern) {
        for (size_t m = 0; m < ev->log->n_machines; m++)
                for (size_t i = 0; i < ev->log->machines[m].n_errors; i++) {
                        const mefw_kb_entry *k = ev->log->machines[m].errors[i].kb;
                        if (k && id_matches(k->id, pattern))
                                return true;
                }
        return false;
}

static bool has_policy(const evidence *ev, const char *v) {
        static const struct {
                const char *name;
                unsigned bit;
        } names[] = { { "downgrade", POLICY_DOWNGRADE }, { "one-way", POLICY_ONE_WAY }, { "major", POLICY_MAJOR },
                      { "allowed", POLICY_ALLOWED } };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(v, names[i].name) == 0)
                        return ev->policy & names[i].bit;
        return false;
}

static bool cond_holds(const evidence *ev, const cond *c) {
        const char *t = c->text;
        bool r;
        if (strncmp(t, "kb:", 3) == 0)
                r = has_kb_class(ev, t + 3);
        else if (strncmp(t, "finding:", 8) == 0)
                r = has_finding(ev, t + 8);
        else if (strncmp(t, "error:", 6) == 0)
                r = has_kb_error(ev, t + 6);
        else if (strncmp(t, "access:", 7) == 0)
                r = strcmp(access_names[ev->access], t + 7) == 0;
        else if (strncmp(t, "policy:", 7) == 0)
                r = has_policy(ev, t + 7);
        else if (strcmp(t, "sister:newer") == 0)
                r = ev->sister >= 0;
        else
                r = has_fact(ev, t);
        return r != c->negated;
}

static bool conds_hold(const evidence *ev, const cond *conds, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!cond_holds(ev, &conds[i]))
                        return false;
        return true;
}

/* The first access line that holds decides; its text is the reason. */
static access_state find_access(const evidence *ev, const char **ret_why) {
        for (size_t i = 0; i < table.n_locked; i++)
                if (cond_holds(ev, &table.locked[i])) {
                        *ret_why = table.locked[i].text;
                        return ACCESS_LOCKED;
                }
        for (size_t i = 0; i < table.n_writable; i++)
                if (cond_holds(ev, &table.writable[i])) {
                        *ret_why = table.writable[i].text;
                        return ACCESS_WRITABLE;
                }
        *ret_why = NULL;
        return ACCESS_UNKNOWN;
}

/* ---- The update policy on the versions the post names ------------------------------------- */

/* The running firmware: of the machine an update was tried on (as check-update takes it from a
 * log), else the version the person gives. */
static bool running_firmware(const mefw_diag_log *log, mefw_update_current *cur) {
        if (mefw_diag_update_current(log, -1, NULL, cur) == 0 && cur->has_version && cur->family[0])
                return true;
        mefw_update_current_init(cur);
        const mefw_diag_fact *f = mefw_diag_post_fact(log, "firmware", NULL);
        if (!f || diag_parse_version(f->value, cur->version, NULL) != 4)
                return false;
        cur->has_version = true;
        snprintf(cur->family, sizeof cur->family, "%s", mefw_update_family_of_major(cur->version[0]));
        const mefw_diag_fact *g = mefw_diag_post_fact(log, "generation", NULL);
        /* TXE and SPS share majors with ME: only the post's own word tells them apart */
        if (g && (strncmp(g->value, "TXE", 3) == 0 || strncmp(g->value, "SPS", 3) == 0 ||
                  strncmp(g->value, "CSTXE", 5) == 0 || strncmp(g->value, "CSSPS", 5) == 0)) {
                size_t n = strcspn(g->value, " ");
                snprintf(cur->family, sizeof cur->family, "%.*s", (int) MIN(n, sizeof cur->family - 1), g->value);
        }
        return true;
}

static unsigned policy_of(const mefw_update_current *cur, const uint16_t target[4]) {
        mefw_update_check chk;
        mefw_firmware fw = { .family = cur->family, .has_version = true };
        memcpy(fw.version, target, sizeof fw.version);
        if (mefw_update_check_firmware(cur, &fw, &chk) < 0)
                return 0;
        if (chk.verdict == MEFW_VERDICT_ALLOWED)
                return POLICY_ALLOWED;
        const mefw_rule_outcome *major = mefw_update_rule(&chk, "major");
        const mefw_rule_outcome *branch = mefw_update_rule(&chk, "branch");
        const mefw_rule_outcome *version = mefw_update_rule(&chk, "version");
        bool up = mefw_version_cmp(target, cur->version, 4) > 0;
        if (major && major->result == MEFW_RULE_FAIL)
                return up ? POLICY_MAJOR : POLICY_DOWNGRADE;
        if (branch && branch->result == MEFW_RULE_FAIL)
                return up ? POLICY_MAJOR : POLICY_ONE_WAY;
        if (version && version->result == MEFW_RULE_FAIL)
                return POLICY_DOWNGRADE;
        return 0;
}

/* Every version the post or its tools name besides the running one, judged by the one policy. */
static unsigned find_policy(const mefw_diag_log *log) {
        mefw_update_current cur;
        if (!running_firmware(log, &cur))
                return 0;
        unsigned bits = 0;
        for (size_t i = 0; i < log->n_facts; i++) {
                uint16_t v[4];
                if (strcmp(log->facts[i].name, "version") == 0 && diag_parse_version(log->facts[i].value, v, NULL) == 4 &&
                    mefw_version_cmp(v, cur.version, 4) != 0)
                        bits |= policy_of(&cur, v);
        }
        for (size_t i = 0; i < log->n_images; i++)
                if (log->images[i].has_version && mefw_version_cmp(log->images[i].version, cur.version, 4) != 0)
                        bits |= policy_of(&cur, log->images[i].version);
        return bits;
}

/* Two machines of one generation where one already runs newer firmware (the person's other PC of
 * the same model, say): the newer one, -1 when the post has no such pair. */
static int find_sister(const mefw_diag_log *log) {
        int newest = -1, oldest = -1;
        for (size_t m = 0; m < log->n_machines; m++) {
                const mefw_diag_machine *x = &log->machines[m];
                if (!x->has_firmware)
                        continue;
                if (newest < 0) {
                        newest = oldest = (int) m;
                        continue;
                }
                const mefw_diag_machine *n = &log->machines[newest], *o = &log->machines[oldest];
                if (x->firmware[0] != n->firmware[0] || (x->generation.family && n->generation.family &&
                                                        strcmp(x->generation.family, n->generation.family) != 0))
                        return -1; /* machines of different generations: no sister to copy from */
                if (mefw_version_cmp(x->firmware, n->firmware, 4) > 0)
                        newest = (int) m;
                if (mefw_version_cmp(x->firmware, o->firmware, 4) < 0)
                        oldest = (int) m;
        }
        if (newest < 0 || newest == oldest ||
            mefw_version_cmp(log->machines[newest].firmware, log->machines[oldest].firmware, 4) == 0)
                return -1;
        return newest;
}

/* ---- The plan -------------------------------------------------------------------------------- */

/* "the Intel ME System Tools v9.1": the package for the machine's generation, as far as known. */
static void tools_name(const mefw_diag_log *log, char *buf, size_t cap, char *gen, size_t gen_cap) {
        mefw_update_current cur;
        const char *family = NULL;
        unsigned major = 0, minor = 0;
        bool has_minor = false;
        if (running_firmware(log, &cur)) {
                family = cur.family;
                major = cur.version[0];
                minor = cur.version[1];
                has_minor = true;
        }
        char fam[8] = "";
        const mefw_diag_fact *g = mefw_diag_post_fact(log, "generation", NULL);
        if (!family && g) {
                unsigned a = 0, b = 0;
                int n = sscanf(g->value, "%7s %3u.%3u", fam, &a, &b);
                if (n >= 2) {
                        family = fam;
                        major = a;
                        minor = b;
                        has_minor = n == 3;
                }
        }
        if (!family) {
                snprintf(buf, cap, "the Intel ME System Tools of the firmware's own version");
                snprintf(gen, gen_cap, "this engine");
                return;
        }
        if (has_minor)
                snprintf(gen, gen_cap, "%s %u.%u", family, major, minor);
        else
                snprintf(gen, gen_cap, "%s %u", family, major);
        char branch[16];
        const uint16_t version[4] = { (uint16_t) major, (uint16_t) minor, 0, 0 };
        if (!mefw_update_tools_branch(family, version, branch, sizeof branch))
                snprintf(buf, cap, "the server maker's SPS tools for this board");
        else if (has_minor)
                snprintf(buf, cap, "the Intel %s System Tools v%s", family, branch);
        else
                snprintf(buf, cap, "the Intel %s System Tools v%u (the package of the running minor version)", family,
                         major);
}

/* The step's text with {tools} and {generation} filled in. */
static void fill_text(const char *text, const char *tools, const char *gen, const char *sister,
                      const char *recovery, char *out, size_t cap) {
        size_t n = 0;
        out[0] = 0;
        for (const char *p = text; *p && n + 1 < cap;) {
                const char *repl = NULL;
                size_t skip = 0;
                if (strncmp(p, "{tools}", 7) == 0)
                        repl = tools, skip = 7;
                else if (strncmp(p, "{generation}", 12) == 0)
                        repl = gen, skip = 12;
                else if (strncmp(p, "{sister}", 8) == 0)
                        repl = sister, skip = 8;
                else if (strncmp(p, "{recovery}", 10) == 0)
                        repl = recovery, skip = 10;
                if (repl) {
                        int w = snprintf(out + n, cap - n, "%s", repl);
                        n = w < 0 ? n : MIN(cap - 1, n + (size_t) w);
                        p += skip;
                } else
                        out[n++] = *p++;
        }
        out[n] = 0;
}

/* The first plan for this access state whose conditions hold, else the first "any" one that does. */
/* The board maker the post names, if the table knows its own ways; else the general wording. */
static const maker_def *the_maker(const mefw_diag_log *log) {
        const mefw_diag_fact *v = mefw_diag_post_fact(log, "vendor", NULL);
        const maker_def *m = v ? maker_get(v->value) : NULL;
        return m ? m : maker_get("general");
}

static const plan_def *plan_for(const evidence *ev, const cause_def *c) {
        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < c->n_plans; i++) {
                        const plan_def *p = &c->plans[i];
                        const char *want = pass == 0 ? access_names[ev->access] : "any";
                        if (strcmp(p->state, want) == 0 && conds_hold(ev, p->when, p->n_when))
                                return p;
                }
        return NULL;
}

static void add_warning(mefw_finding *f, const char *id) {
        for (size_t i = 0; i < f->n_warnings; i++)
                if (strcmp(f->warnings[i], id) == 0)
                        return;
        if (f->n_warnings < MEFW_FINDING_WARNINGS_MAX)
                f->warnings[f->n_warnings++] = id;
}

static void append(char *buf, size_t cap, const char *text) {
        size_t n = strlen(buf);
        if (n + 1 < cap)
                snprintf(buf + n, cap - n, "%s%s", n ? " " : "", text);
}

static void build_plan(const evidence *ev, const cause_def *c, mefw_finding *f) {
        const plan_def *p = plan_for(ev, c);
        if (!p)
                return;
        char tools[96], gen[32], sister[96] = "another machine";
        tools_name(ev->log, tools, sizeof tools, gen, sizeof gen);
        if (ev->sister >= 0) {
                const mefw_diag_machine *m = &ev->log->machines[ev->sister];
                snprintf(sister, sizeof sister, "%s", m->label);
        }
        for (size_t i = 0; i < p->n_steps; i++) {
                const step_def *s = step_get(p->steps[i]);
                if (!s || !conds_hold(ev, s->need, s->n_need))
                        continue;
                bool was_done = false;
                for (size_t k = 0; k < s->n_done_if && !was_done; k++)
                        was_done = cond_holds(ev, &s->done_if[k]);
                if (was_done) {
                        if (f->n_done < MEFW_FINDING_STEPS_MAX)
                                f->done[f->n_done++] = s->id;
                        continue;
                }
                if (f->n_steps >= MEFW_FINDING_STEPS_MAX)
                        break;
                mefw_step *st = &f->steps[f->n_steps++];
                st->id = s->id;
                const maker_def *mk = the_maker(ev->log);
                fill_text(s->text, tools, gen, sister, mk ? mk->recovery : "", st->text, sizeof st->text);
                if (mk && strstr(s->text, "{recovery}") && strcmp(mk->name, "general") != 0 &&
                    !strstr(f->source, mk->source)) {
                        size_t l = strlen(f->source);
                        snprintf(f->source + l, sizeof f->source - l, "%s%s", l ? "; " : "", mk->source);
                }
                for (size_t k = 0; k < s->n_warns; k++)
                        add_warning(f, s->warns[k]);
        }
}

/* ---- The verdict ----------------------------------------------------------------------------- */

/* The lines of the facts that spoke for the cause, once each. */
static void add_evidence(const evidence *ev, const cause_def *c, mefw_finding *f) {
        for (size_t i = 0; i < c->n_signals; i++) {
                const signal_def *sig = &c->signals[i];
                if (sig->weight <= 0 || !conds_hold(ev, sig->conds, sig->n_conds))
                        continue;
                for (size_t k = 0; k < sig->n_conds; k++) {
                        const mefw_diag_fact *fact = sig->conds[k].negated ? NULL : find_fact(ev, sig->conds[k].text);
                        const char *quote = fact && fact->at.line ? mefw_diag_quote(ev->log, fact->at) : NULL;
                        if (!quote)
                                continue;
                        bool seen = false;
                        for (size_t e = 0; e < f->n_evidence && !seen; e++)
                                seen = f->evidence[e].at.input == fact->at.input && f->evidence[e].at.line == fact->at.line;
                        if (seen || f->n_evidence >= MEFW_FINDING_EVIDENCE_MAX)
                                continue;
                        mefw_evidence *e = &f->evidence[f->n_evidence++];
                        e->at = fact->at;
                        e->person = fact->person || mefw_diag_quote_person(ev->log, fact->at);
                        diag_copy_cstr(e->text, sizeof e->text, quote);
                }
        }
}

static int score_of(const evidence *ev, const cause_def *c) {
        int score = 0;
        for (size_t i = 0; i < c->n_signals; i++)
                if (conds_hold(ev, c->signals[i].conds, c->signals[i].n_conds))
                        score += c->signals[i].weight;
        return score;
}

void diag_find_access(const mefw_diag_log *log, const mefw_findings *findings, const char **ret_state,
                      const char **ret_because) {
        pthread_once(&table_once, load_tables);
        evidence ev = { .log = log, .findings = findings, .sister = -1 };
        const char *why = NULL;
        access_state a = table.ok ? find_access(&ev, &why) : ACCESS_UNKNOWN;
        *ret_state = access_names[a];
        *ret_because = why;
}

const char *diag_cause_absorbs(const char *cause, size_t i) {
        pthread_once(&table_once, load_tables);
        for (size_t k = 0; k < table.n_causes; k++)
                if (strcmp(table.causes[k].id, cause) == 0) {
                        if (table.causes[k].n_absorbs == 0)
                                return i == 0 ? table.causes[k].id : NULL;
                        return i < table.causes[k].n_absorbs ? table.causes[k].absorbs[i] : NULL;
                }
        return NULL;
}

const char *diag_cause_explains(const char *cause, size_t i) {
        pthread_once(&table_once, load_tables);
        for (size_t k = 0; k < table.n_causes; k++)
                if (strcmp(table.causes[k].id, cause) == 0)
                        return i < table.causes[k].n_explains ? table.causes[k].explains[i] : NULL;
        return NULL;
}

int diag_verdict(const mefw_diag_log *log, const mefw_findings *findings, mefw_finding *ret) {
        pthread_once(&table_once, load_tables);
        if (!table.ok)
                return -ENOENT;
        evidence ev = { .log = log, .findings = findings };
        const char *why = NULL;
        ev.access = find_access(&ev, &why);
        ev.policy = find_policy(log);
        ev.sister = find_sister(log);
        const cause_def *best = NULL;
        int best_score = 0;
        for (size_t i = 0; i < table.n_causes; i++) {
                int s = score_of(&ev, &table.causes[i]);
                if (s >= table.min_score && (!best || s > best_score)) {
                        best = &table.causes[i];
                        best_score = s;
                }
        }
        if (!best)
                return -ENOENT;
        mefw_finding f = { .severity = best->severity, .machine = log->n_machines == 1 ? 0 : -1, .cause = best->id };
        f.confidence = best_score >= 2 * table.min_score ? MEFW_CONFIDENCE_HIGH : MEFW_CONFIDENCE_MEDIUM;
        diag_copy_cstr(f.id, sizeof f.id, best->id);
        diag_copy_cstr(f.title, sizeof f.title, best->title);
        for (size_t i = 0; i < best->n_explain; i++)
                append(f.explanation, sizeof f.explanation, best->explain[i]);
        diag_copy_cstr(f.source, sizeof f.source, best->source);
        add_evidence(&ev, best, &f);
        for (size_t i = 0; i < best->n_warns; i++)
                add_warning(&f, best->warns[i]);
        build_plan(&ev, best, &f);
        /* what the person means to do calls for its warnings too, whatever the plan says */
        for (size_t i = 0; i < table.n_warn_rules; i++)
                if (conds_hold(&ev, table.warn_rules[i].conds, table.warn_rules[i].n_conds))
                        add_warning(&f, table.warn_rules[i].warning);
        *ret = f;
        return 0;
}
