/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The diagnosis knowledge base: one entry per error code or message, kept as reviewable text in
 * data/diagnose-kb.txt and compiled in. The format is '[id]' followed by 'key: value' lines in a
 * fixed order; see the comment at the top of that file. An entry that breaks the format (no
 * source, unknown class or tool, missing keys) is skipped with a message, never half-loaded.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mefw/diagnose.h"
#include "core/util.h"

extern const char mefw_data_diagnose_kb[];
extern const size_t mefw_data_diagnose_kb_len;

#define KB_ENTRIES_MAX 1024
#define KB_LINE_MAX 2048
#define UNIFIED_DRIFT 8 /* how far a CSME 12+ list number is seen to move between releases */

static const char *const class_names[] = {
        [MEFW_CLASS_BENIGN] = "benign", [MEFW_CLASS_USAGE] = "usage", [MEFW_CLASS_POLICY] = "policy",
        [MEFW_CLASS_BROKEN] = "broken", [MEFW_CLASS_ENV] = "env",
};

static const char *const tool_names[] = {
        [MEFW_KB_TOOL_FWUPDATE] = "fwupdate", [MEFW_KB_TOOL_MEINFO] = "meinfo", [MEFW_KB_TOOL_FPT] = "fpt",
        [MEFW_KB_TOOL_UNIFIED] = "unified",   [MEFW_KB_TOOL_WINDOWS] = "windows", [MEFW_KB_TOOL_POST] = "post",
        [MEFW_KB_TOOL_DMESG] = "dmesg",
};

const char *mefw_kb_class_name(mefw_kb_class c) {
        return (size_t) c < ELEMENTSOF(class_names) ? class_names[c] : NULL;
}

static int lookup_name(const char *const *names, size_t n, const char *s) {
        for (size_t i = 0; i < n; i++)
                if (names[i] && strcmp(names[i], s) == 0)
                        return (int) i;
        return -1;
}

static void entry_clear(mefw_kb_entry *e) {
        free(e->id);
        for (size_t i = 0; i < e->n_texts; i++) {
                free(e->texts[i]);
                free(e->texts_lower[i]);
        }
        free(e->title);
        free(e->meaning);
        free(e->cause);
        free(e->note);
        free(e->source);
        for (size_t i = 0; i < e->n_remedies; i++)
                free(e->remedies[i]);
        memset(e, 0, sizeof *e);
}

void mefw_kb_free(mefw_kb *kb) {
        if (!kb)
                return;
        for (size_t i = 0; i < kb->n_entries; i++)
                entry_clear(&kb->entries[i]);
        free(kb->entries);
        mefw_messages_clear(&kb->messages);
        free(kb);
}

/* "4-11", "12-", "*", "11": the tool major versions an entry applies to. */
static bool parse_generations(const char *s, unsigned *first, unsigned *last) {
        if (strcmp(s, "*") == 0) {
                *first = 0;
                *last = UINT_MAX;
                return true;
        }
        char *end;
        unsigned long a = strtoul(s, &end, 10);
        if (end == s || a > 1000)
                return false;
        if (*end == 0) {
                *first = *last = (unsigned) a;
                return true;
        }
        if (*end != '-')
                return false;
        const char *t = end + 1;
        if (*t == 0) {
                *first = (unsigned) a;
                *last = UINT_MAX;
                return true;
        }
        unsigned long b = strtoul(t, &end, 10);
        if (end == t || *end || b < a || b > 1000)
                return false;
        *first = (unsigned) a;
        *last = (unsigned) b;
        return true;
}

static bool parse_code(const char *s, long *ret) {
        if (strcmp(s, "-") == 0) {
                *ret = -1;
                return true;
        }
        if (!*s || strlen(s) > 6)
                return false;
        for (const char *p = s; *p; p++)
                if (*p < '0' || *p > '9')
                        return false;
        *ret = strtol(s, NULL, 10);
        return true;
}

static bool valid_id(const char *s) {
        if (!*s || strlen(s) >= 48)
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
                        return false;
        return true;
}

/* The keys in the order an entry must give them; 'repeat' ones may appear several times. */
typedef enum {
        K_TOOL, K_GENERATIONS, K_CODE, K_ALIAS, K_TEXT, K_CLASS, K_TITLE, K_MEANING, K_CAUSE, K_REMEDY, K_NOTE,
        K_SOURCE, K_COUNT
} kb_key;

static const struct {
        const char *name;
        bool required, repeat;
} keys[K_COUNT] = {
        [K_TOOL] = { "tool", true, false },       [K_GENERATIONS] = { "generations", true, false },
        [K_CODE] = { "code", true, false },       [K_ALIAS] = { "alias-code", false, false },
        [K_TEXT] = { "text", false, true },       [K_CLASS] = { "class", true, false },
        [K_TITLE] = { "title", true, false },     [K_MEANING] = { "meaning", true, false },
        [K_CAUSE] = { "cause", true, false },     [K_REMEDY] = { "remedy", true, true },
        [K_NOTE] = { "note", false, false },      [K_SOURCE] = { "source", true, false },
};

typedef struct {
        mefw_kb_entry e;
        int last_key;      /* order check */
        bool seen[K_COUNT];
        bool bad;
        char why[96];
} builder;

static void builder_fail(builder *b, const char *why) {
        if (!b->bad)
                snprintf(b->why, sizeof b->why, "%s", why);
        b->bad = true;
}

static int builder_key(builder *b, const char *key, const char *value) {
        int k = -1;
        for (int i = 0; i < K_COUNT; i++)
                if (strcmp(keys[i].name, key) == 0)
                        k = i;
        if (k < 0) {
                builder_fail(b, "unknown key");
                return 0;
        }
        if (k < b->last_key || (k == b->last_key && !keys[k].repeat)) {
                builder_fail(b, "key out of order or repeated");
                return 0;
        }
        b->last_key = k;
        b->seen[k] = true;
        if (!*value) {
                builder_fail(b, "empty value");
                return 0;
        }
        mefw_kb_entry *e = &b->e;
        char **slot = NULL;
        switch ((kb_key) k) {
        case K_TOOL: {
                int t = lookup_name(tool_names, ELEMENTSOF(tool_names), value);
                if (t < 0)
                        builder_fail(b, "unknown tool");
                else
                        e->tool = (mefw_kb_tool) t;
                return 0;
        }
        case K_GENERATIONS:
                if (!parse_generations(value, &e->gen_first, &e->gen_last))
                        builder_fail(b, "bad generations");
                return 0;
        case K_CODE:
                if (!parse_code(value, &e->code))
                        builder_fail(b, "bad code");
                return 0;
        case K_ALIAS:
                if (!parse_code(value, &e->alias_code))
                        builder_fail(b, "bad alias-code");
                return 0;
        case K_CLASS: {
                int c = lookup_name(class_names, ELEMENTSOF(class_names), value);
                if (c < 0)
                        builder_fail(b, "unknown class");
                else
                        e->cls = (mefw_kb_class) c;
                return 0;
        }
        case K_TEXT:
                if (e->n_texts >= MEFW_KB_TEXTS_MAX) {
                        builder_fail(b, "too many text lines");
                        return 0;
                }
                e->texts_lower[e->n_texts] = strdup(value);
                if (!e->texts_lower[e->n_texts])
                        return -ENOMEM;
                for (char *c = e->texts_lower[e->n_texts]; *c; c++) /* matched so, ignoring case */
                        *c = (char) tolower((unsigned char) *c);
                slot = &e->texts[e->n_texts++];
                break;
        case K_REMEDY:
                if (e->n_remedies >= MEFW_KB_REMEDIES_MAX) {
                        builder_fail(b, "too many remedy lines");
                        return 0;
                }
                slot = &e->remedies[e->n_remedies++];
                break;
        case K_TITLE: slot = &e->title; break;
        case K_MEANING: slot = &e->meaning; break;
        case K_CAUSE: slot = &e->cause; break;
        case K_NOTE: slot = &e->note; break;
        case K_SOURCE: slot = &e->source; break;
        case K_COUNT: break;
        }
        if (!slot)
                return 0;
        *slot = strdup(value);
        return *slot ? 0 : -ENOMEM;
}

static int builder_finish(mefw_kb *kb, builder *b) {
        if (!b->e.id)
                return 0;
        for (int k = 0; k < K_COUNT && !b->bad; k++)
                if (keys[k].required && !b->seen[k])
                        builder_fail(b, k == K_SOURCE ? "no source" : "missing key");
        if (!b->bad && b->e.code < 0 && b->e.n_texts == 0)
                builder_fail(b, "neither a code nor a text to match");
        for (size_t i = 0; i < kb->n_entries && !b->bad; i++)
                if (strcmp(kb->entries[i].id, b->e.id) == 0)
                        builder_fail(b, "duplicate id");
        if (!b->bad && kb->n_entries >= KB_ENTRIES_MAX)
                builder_fail(b, "too many entries");
        if (b->bad) {
                int r = mefw_messages_add(&kb->messages, MEFW_WARNING, "kb-entry-skipped", b->e.line,
                                          "knowledge base entry [%s] at line %u skipped: %s", b->e.id, b->e.line, b->why);
                entry_clear(&b->e);
                return r < 0 ? r : 0;
        }
        int r = append_elem((void **) &kb->entries, &kb->n_entries, sizeof b->e, &b->e);
        if (r < 0) {
                entry_clear(&b->e);
                return r;
        }
        memset(&b->e, 0, sizeof b->e);
        return 0;
}

static void builder_start(builder *b, const char *id, unsigned line) {
        memset(b, 0, sizeof *b);
        b->last_key = -1;
        b->e.code = b->e.alias_code = -1;
        b->e.line = line;
        b->e.id = strdup(id);
        if (!b->e.id)
                b->bad = true;
        else if (!valid_id(id))
                builder_fail(b, "bad id");
}

int mefw_kb_parse(const char *text, size_t size, mefw_kb **ret) {
        mefw_kb *kb = calloc(1, sizeof *kb);
        if (!kb)
                return -ENOMEM;
        builder b = { .last_key = -1 };
        b.e.code = b.e.alias_code = -1;
        size_t pos = 0;
        unsigned lineno = 0;
        int r = 0;
        char line[KB_LINE_MAX];
        while (pos < size && r >= 0) {
                const char *nl = memchr(text + pos, '\n', size - pos);
                size_t end = nl ? (size_t) (nl - text) : size, len = end - pos;
                const char *p = text + pos;
                pos = end + 1;
                lineno++;
                while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
                        len--;
                if (len == 0 || p[0] == '#')
                        continue;
                if (len >= sizeof line) {
                        r = mefw_messages_add(&kb->messages, MEFW_WARNING, "kb-line-too-long", lineno,
                                              "knowledge base line %u is too long", lineno);
                        if (b.e.id)
                                builder_fail(&b, "line too long");
                        continue;
                }
                memcpy(line, p, len);
                line[len] = 0;
                if (line[0] == '[' && line[len - 1] == ']') {
                        r = builder_finish(kb, &b);
                        line[len - 1] = 0;
                        builder_start(&b, line + 1, lineno);
                        continue;
                }
                char *colon = strchr(line, ':');
                if (!b.e.id || !colon) {
                        r = mefw_messages_add(&kb->messages, MEFW_WARNING, "kb-line-ignored", lineno,
                                              "knowledge base line %u is neither an entry header nor a key", lineno);
                        if (b.e.id)
                                builder_fail(&b, "malformed line");
                        continue;
                }
                *colon = 0;
                const char *value = colon + 1;
                while (*value == ' ')
                        value++;
                r = builder_key(&b, line, value);
        }
        if (r >= 0)
                r = builder_finish(kb, &b);
        else
                entry_clear(&b.e);
        if (r < 0) {
                mefw_kb_free(kb);
                return r;
        }
        *ret = kb;
        return 0;
}

static mefw_kb *builtin_kb;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_load(void) {
        if (mefw_kb_parse(mefw_data_diagnose_kb, mefw_data_diagnose_kb_len, &builtin_kb) < 0)
                builtin_kb = NULL;
}

const mefw_kb *mefw_kb_builtin(void) {
        pthread_once(&builtin_once, builtin_load);
        return builtin_kb;
}

const mefw_kb_entry *mefw_kb_find(const mefw_kb *kb, const char *id) {
        if (!kb || !id)
                return NULL;
        for (size_t i = 0; i < kb->n_entries; i++)
                if (strcmp(kb->entries[i].id, id) == 0)
                        return &kb->entries[i];
        return NULL;
}

/*
 * Score one entry against a message: 3 = text and number, 2 = text, 1 = number only. A number
 * alone is trusted for the legacy tools, whose numbering was stable; the CSME 12+ list shifted
 * between releases, so there the text must agree unless the tool printed none.
 */
/* 'message' in lowercase, compared with the texts' lowercase copies. */
static int match_score(const mefw_kb_entry *e, long code, const char *message) {
        bool code_hit = code >= 0 && (e->code == code || e->alias_code == code);
        bool text_hit = false;
        for (size_t i = 0; i < e->n_texts && !text_hit && message && *message; i++)
                text_hit = strstr(message, e->texts_lower[i]) != NULL;
        if (text_hit) {
                if (code_hit)
                        return 3;
                /* Same words under another number: a CSME 12+ number shifted by a few places between
                 * releases, or another message that shares the words. */
                if (code < 0 || e->code < 0)
                        return 2;
                return e->tool == MEFW_KB_TOOL_UNIFIED && labs(code - e->code) <= UNIFIED_DRIFT ? 2 : 0;
        }
        if (!code_hit)
                return 0;
        if (e->tool == MEFW_KB_TOOL_UNIFIED && e->n_texts > 0 && message && *message)
                return 0;
        return 1;
}

const mefw_kb_entry *mefw_kb_match(const mefw_kb *kb, unsigned tool_mask, unsigned tool_major, long code,
                                   const char *message, bool *ret_text_matched) {
        if (!kb)
                return NULL;
        const mefw_kb_entry *best = NULL;
        int best_score = 0;
        /* the message in lowercase once: the texts are compared with it by a plain search */
        char lower[1024];
        const char *msg = NULL;
        if (message) {
                size_t n = 0;
                for (; message[n] && n + 1 < sizeof lower; n++)
                        lower[n] = (char) tolower((unsigned char) message[n]);
                lower[n] = 0;
                msg = lower;
        }
        for (size_t i = 0; i < kb->n_entries; i++) {
                const mefw_kb_entry *e = &kb->entries[i];
                if (tool_mask && !(tool_mask & MEFW_KB_TOOL_BIT(e->tool)))
                        continue;
                if (tool_major && (tool_major < e->gen_first || tool_major > e->gen_last))
                        continue;
                /* A tool's own entry beats the shared CSME 12+ list on a tie (FPT 167 is both). */
                int s = match_score(e, code, msg) * 2;
                if (s && e->tool != MEFW_KB_TOOL_UNIFIED)
                        s++;
                if (s > best_score) {
                        best = e;
                        best_score = s;
                }
        }
        if (best && ret_text_matched)
                *ret_text_matched = best_score >= 4;
        return best;
}
