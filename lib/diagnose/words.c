/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The phrase matcher every reader of people's words shares: data/diagnose-words.txt says which
 * wordings mean which fact ("ME version shows N/A", "the ME FW version is blank" -> symptom me-na),
 * one table for all readers instead of a pattern per post.
 *
 * A line is cut into clauses (at '.', '!', '?' and ';' followed by a space) and words
 * (lowercase letters and digits, with '.', '/', '-', '_', '\'' and '%' kept inside a word, so
 * "n/a", "0.0.0.0", "didn't" and "ch341a" are one word each). A phrase is a sequence of terms;
 * each term is a set of alternatives ("fw|firmware"); an alternative of several words is joined
 * with '+' ("not+found"), and a word ending in '*' matches any word starting with it. Between two terms, nothing ("a b": adjacent), '~' (up to three other
 * words) or '...' (up to eight). Facts marked negatable are not taken when a negation ("not",
 * "didn't", "never", ...) stands up to three words before the phrase in its clause: "I did not
 * clear the CMOS" is no fact that the CMOS was cleared.
 *
 * Bounded work: phrases are indexed by their first term, so a word costs a hash look-up and the
 * phrases that can start there; a phrase has at most WORDS_TERMS_MAX terms, a clause at most
 * WORDS_CLAUSE_MAX words.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

extern const char mefw_data_diagnose_words[];
extern const size_t mefw_data_diagnose_words_len;

#define WORDS_TERMS_MAX 8
#define WORDS_ALTS_MAX 48
#define WORDS_FACTS_MAX 3
#define WORDS_PHRASES_MAX 2048
#define WORDS_CLAUSE_MAX 96
#define WORD_MAX 40
#define HASH_BUCKETS 1024
#define GAP_NEAR 3
#define GAP_FAR 8
#define NEGATION_REACH 3

/* One word of an alternative: exact, or a prefix (written with a trailing '*'). */
typedef struct {
        const char *text;
        uint8_t len;
        bool prefix;
} piece;

#define PIECES_MAX 4 /* words in one '+'-joined alternative */

typedef struct {
        piece pieces[PIECES_MAX];
        uint8_t n;
} alt;

typedef struct {
        uint32_t first_alt;               /* into table.alts */
        uint16_t n_alts;
        uint16_t gap_after;               /* words allowed between this term and the next */
        uint64_t first_chars;             /* the first characters its alternatives start with: a
                                           * word that starts otherwise is skipped at once */
} term;

typedef struct {
        term terms[WORDS_TERMS_MAX];
        size_t n_terms;
        unsigned section;                 /* index into sections */
} phrase;

typedef struct {
        char name[WORDS_FACTS_MAX][32];
        char value[WORDS_FACTS_MAX][48];
        size_t n_facts;
        bool negatable;
} section;

typedef struct bucket_entry {
        const alt *first;                 /* the first term's alternative this entry starts with */
        unsigned phrase;
        struct bucket_entry *next;
} bucket_entry;

#define PREFIX_BUCKETS 37 /* by the first character of a prefix alternative: a-z, 0-9, other */

static struct {
        char *text;                       /* a copy of the table; pieces point into it */
        phrase *phrases;
        size_t n_phrases;
        section *sections;
        size_t n_sections;
        alt *alts;
        size_t n_alts, cap_alts;
        bucket_entry *buckets[HASH_BUCKETS];
        bucket_entry *prefix_buckets[PREFIX_BUCKETS];
        bucket_entry *entries;
        size_t n_entries;
        size_t n_bad;                     /* lines of the table that were not understood */
        bool ok;
} table;

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static unsigned hash_word(const char *w, size_t n) {
        unsigned h = 2166136261u;
        for (size_t i = 0; i < n; i++)
                h = (h ^ (unsigned char) w[i]) * 16777619u;
        return h % HASH_BUCKETS;
}

static char *trim(char *s) {
        while (*s == ' ' || *s == '\t')
                s++;
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
                s[--n] = 0;
        return s;
}

/* "[symptom recovery; message recovery-state]" or "[tried cmos-clear] negatable". */
static bool parse_section(char *line, section *ret) {
        char *close = strchr(line, ']');
        if (!close)
                return false;
        *close = 0;
        section s = { .negatable = strstr(close + 1, "negatable") != NULL };
        for (char *part = strtok(line + 1, ";"); part && s.n_facts < WORDS_FACTS_MAX; part = strtok(NULL, ";")) {
                part = trim(part);
                char *sp = strchr(part, ' ');
                if (!sp)
                        return false;
                *sp = 0;
                char *value = trim(sp + 1);
                if (!*part || !*value || strlen(part) >= sizeof s.name[0] || strlen(value) >= sizeof s.value[0])
                        return false;
                strcpy(s.name[s.n_facts], part);
                strcpy(s.value[s.n_facts], value);
                s.n_facts++;
        }
        if (s.n_facts == 0)
                return false;
        *ret = s;
        return true;
}

/* A character's bit in a term's first_chars: a-z, 0-9, and one bit for everything else. */
static unsigned char_bit(char c) {
        if (c >= 'a' && c <= 'z')
                return (unsigned) (c - 'a');
        if (c >= '0' && c <= '9')
                return 26u + (unsigned) (c - '0');
        return 36;
}

static bool add_alt(char *text) {
        if (table.n_alts == table.cap_alts) {
                size_t cap = table.cap_alts ? table.cap_alts * 2 : 1024;
                alt *n = realloc(table.alts, cap * sizeof *n);
                if (!n)
                        return false;
                table.alts = n;
                table.cap_alts = cap;
        }
        alt a = {};
        char *save = NULL;
        for (char *w = strtok_r(text, "+", &save); w; w = strtok_r(NULL, "+", &save)) {
                size_t len = strlen(w);
                if (a.n >= PIECES_MAX || len == 0 || len >= WORD_MAX)
                        return false;
                for (char *c = w; *c; c++)
                        *c = (char) tolower((unsigned char) *c);
                bool prefix = len > 1 && w[len - 1] == '*';
                a.pieces[a.n++] = (piece){ .text = w, .len = (uint8_t) (prefix ? len - 1 : len), .prefix = prefix };
        }
        if (a.n == 0)
                return false;
        table.alts[table.n_alts++] = a;
        return true;
}

/* "me ~ fw|firmware ~ version ... n/a" into terms (the text is cut in place). */
static bool parse_phrase(char *text, phrase *ret) {
        phrase p = {};
        char *save = NULL;
        size_t alts_before = table.n_alts;
        for (char *w = strtok_r(text, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
                if (strcmp(w, "~") == 0 || strcmp(w, "...") == 0) {
                        if (p.n_terms == 0)
                                goto bad;
                        p.terms[p.n_terms - 1].gap_after = strcmp(w, "~") == 0 ? GAP_NEAR : GAP_FAR;
                        continue;
                }
                if (p.n_terms >= WORDS_TERMS_MAX)
                        goto bad;
                term *t = &p.terms[p.n_terms++];
                t->first_alt = (uint32_t) table.n_alts;
                char *asave = NULL;
                for (char *a = strtok_r(w, "|", &asave); a; a = strtok_r(NULL, "|", &asave)) {
                        if (t->n_alts >= WORDS_ALTS_MAX || !add_alt(a))
                                goto bad;
                        t->n_alts++;
                }
                if (t->n_alts == 0)
                        goto bad;
                for (size_t a = 0; a < t->n_alts; a++)
                        t->first_chars |= 1ull << char_bit(table.alts[t->first_alt + a].pieces[0].text[0]);
        }
        if (p.n_terms == 0)
                goto bad;
        *ret = p;
        return true;
bad:
        table.n_alts = alts_before; /* what this phrase added is dropped with it */
        return false;
}

static unsigned prefix_bucket(char c) {
        if (c >= 'a' && c <= 'z')
                return (unsigned) (c - 'a');
        if (c >= '0' && c <= '9')
                return 26u + (unsigned) (c - '0');
        return PREFIX_BUCKETS - 1;
}

/* Index the phrase by each alternative of its first term: exact words by hash, prefixes by their
 * first character. */
static void index_phrase(unsigned i) {
        const term *t = &table.phrases[i].terms[0];
        for (size_t k = 0; k < t->n_alts; k++) {
                const alt *a = &table.alts[t->first_alt + k];
                bucket_entry *e = &table.entries[table.n_entries++];
                e->first = a;
                e->phrase = i;
                if (a->pieces[0].prefix) {
                        unsigned b = prefix_bucket(a->pieces[0].text[0]);
                        e->next = table.prefix_buckets[b];
                        table.prefix_buckets[b] = e;
                } else {
                        unsigned h = hash_word(a->pieces[0].text, a->pieces[0].len);
                        e->next = table.buckets[h];
                        table.buckets[h] = e;
                }
        }
}

static void load_table(void) {
        table.text = malloc(mefw_data_diagnose_words_len + 1);
        table.phrases = calloc(WORDS_PHRASES_MAX, sizeof *table.phrases);
        table.sections = calloc(WORDS_PHRASES_MAX, sizeof *table.sections);
        if (!table.text || !table.phrases || !table.sections)
                return;
        memcpy(table.text, mefw_data_diagnose_words, mefw_data_diagnose_words_len);
        table.text[mefw_data_diagnose_words_len] = 0;
        bool in_section = false;
        char *save = NULL;
        for (char *line = strtok_r(table.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                line = trim(line);
                if (!*line || *line == '#')
                        continue;
                if (*line == '[') {
                        in_section = table.n_sections < WORDS_PHRASES_MAX &&
                                     parse_section(line, &table.sections[table.n_sections]);
                        if (in_section)
                                table.n_sections++;
                        else
                                table.n_bad++;
                        continue;
                }
                phrase p;
                if (!in_section || strncmp(line, "phrase:", 7) != 0 || table.n_phrases >= WORDS_PHRASES_MAX ||
                    !parse_phrase(trim(line + 7), &p)) {
                        table.n_bad++;
                        continue;
                }
                p.section = (unsigned) table.n_sections - 1;
                table.phrases[table.n_phrases++] = p;
        }
        size_t alts = 0;
        for (size_t i = 0; i < table.n_phrases; i++)
                alts += table.phrases[i].terms[0].n_alts;
        table.entries = calloc(alts ? alts : 1, sizeof *table.entries);
        if (!table.entries)
                return;
        for (size_t i = 0; i < table.n_phrases; i++)
                index_phrase((unsigned) i);
        table.ok = true;
}

/* ---- Matching -------------------------------------------------------------------------------- */

typedef struct {
        char w[WORD_MAX];
        size_t len;
} word;

static bool word_char(unsigned char c) {
        return isalnum(c) || c >= 0x80;
}

/* The next clause of s into words; returns where the clause ended. */
static const char *next_clause(const char *s, word *words, size_t *ret_n) {
        size_t n = 0;
        while (*s) {
                unsigned char c = (unsigned char) *s;
                if ((c == '.' || c == '!' || c == '?' || c == ';') && (s[1] == ' ' || s[1] == 0)) {
                        s++;
                        break;
                }
                if (!word_char(c)) {
                        s++;
                        continue;
                }
                word cur = {};
                while (*s) {
                        unsigned char d = (unsigned char) *s;
                        bool inner = (d == '.' || d == '/' || d == '-' || d == '_' || d == '\'' || d == '%') &&
                                     word_char((unsigned char) s[1]) && cur.len > 0;
                        if (!word_char(d) && !inner && !(d == '%' && cur.len > 0))
                                break;
                        if (cur.len + 1 < WORD_MAX)
                                cur.w[cur.len++] = (char) tolower(d);
                        s++;
                }
                if (n < WORDS_CLAUSE_MAX)
                        words[n++] = cur;
        }
        *ret_n = n;
        return s;
}

static bool piece_matches(const piece *p, const word *w) {
        if (p->prefix)
                return w->len >= p->len && memcmp(w->w, p->text, p->len) == 0;
        return p->len == w->len && memcmp(w->w, p->text, p->len) == 0;
}

/* How many words from words[i] the alternative takes ("not+found" takes two), 0 when none. */
static size_t alt_matches(const alt *a, const word *words, size_t n, size_t i) {
        if (i + a->n > n)
                return 0;
        for (size_t k = 0; k < a->n; k++)
                if (!piece_matches(&a->pieces[k], &words[i + k]))
                        return 0;
        return a->n;
}

static bool match_rest(const phrase *p, size_t k, const word *words, size_t n, size_t i);

/* Term k of p at exactly word i, taken by alternative a, and the rest after it. */
static bool match_alt(const phrase *p, size_t k, const alt *a, const word *words, size_t n, size_t i) {
        size_t taken = alt_matches(a, words, n, i);
        if (!taken)
                return false;
        if (k + 1 == p->n_terms)
                return true;
        size_t next = i + taken;
        for (size_t j = next; j < n && j <= next + p->terms[k].gap_after; j++)
                if (match_rest(p, k + 1, words, n, j))
                        return true;
        return false;
}

/* Terms k.. of p matched from word i on (term k at exactly i). */
static bool match_rest(const phrase *p, size_t k, const word *words, size_t n, size_t i) {
        const term *t = &p->terms[k];
        if (!words[i].len || !(t->first_chars & (1ull << char_bit(words[i].w[0]))))
                return false;
        for (size_t a = 0; a < t->n_alts; a++)
                if (match_alt(p, k, &table.alts[t->first_alt + a], words, n, i))
                        return true;
        return false;
}

static bool negated_before(const word *words, size_t start) {
        static const char *const negators[] = { "not", "no", "never", "didn't", "didnt", "don't", "dont", "doesn't",
                                                "doesnt", "haven't", "havent", "hasn't", "hasnt", "wasn't", "wasnt",
                                                "weren't", "without", "nor", "neither", "nothing" };
        size_t from = start > NEGATION_REACH ? start - NEGATION_REACH : 0;
        for (size_t i = from; i < start; i++)
                for (size_t k = 0; k < ELEMENTSOF(negators); k++)
                        /* "not able to install" and "no luck" say it was tried, and failed */
                        if (words[i].w[0] == negators[k][0] && strcmp(words[i].w, negators[k]) == 0 &&
                            strcmp(words[i + 1].w, "able") != 0 &&
                            strcmp(words[i + 1].w, "luck") != 0 && strcmp(words[i + 1].w, "success") != 0)
                                return true;
        return false;
}

static void emit(const phrase *p, diag_words_hit fn, void *userdata) {
        const section *s = &table.sections[p->section];
        for (size_t i = 0; i < s->n_facts; i++)
                fn(s->name[i], s->value[i], userdata);
}

static void try_entry(const bucket_entry *e, const word *words, size_t n, size_t i, uint64_t clause_chars,
                      diag_words_hit fn, void *userdata) {
        const phrase *p = &table.phrases[e->phrase];
        /* every further term needs a word starting with one of its characters somewhere in the
         * clause: most candidates fail this at once */
        for (size_t k = 1; k < p->n_terms; k++)
                if (!(p->terms[k].first_chars & clause_chars))
                        return;
        if (!match_alt(p, 0, e->first, words, n, i))
                return;
        if (table.sections[p->section].negatable && negated_before(words, i))
                return;
        emit(p, fn, userdata);
}

void diag_words_scan(const char *line, diag_words_hit fn, void *userdata) {
        pthread_once(&table_once, load_table);
        if (!table.ok)
                return;
        word words[WORDS_CLAUSE_MAX];
        const char *s = line;
        while (*s) {
                size_t n;
                s = next_clause(s, words, &n);
                uint64_t clause_chars = 0;
                for (size_t i = 0; i < n; i++)
                        if (words[i].len)
                                clause_chars |= 1ull << char_bit(words[i].w[0]);
                for (size_t i = 0; i < n; i++) {
                        unsigned h = hash_word(words[i].w, words[i].len);
                        for (const bucket_entry *e = table.buckets[h]; e; e = e->next)
                                if (piece_matches(&e->first->pieces[0], &words[i]))
                                        try_entry(e, words, n, i, clause_chars, fn, userdata);
                        if (words[i].len)
                                for (const bucket_entry *e = table.prefix_buckets[prefix_bucket(words[i].w[0])]; e; e = e->next)
                                        if (piece_matches(&e->first->pieces[0], &words[i]))
                                                try_entry(e, words, n, i, clause_chars, fn, userdata);
                }
        }
}

size_t diag_words_count(size_t *ret_bad) {
        pthread_once(&table_once, load_table);
        if (ret_bad)
                *ret_bad = table.n_bad;
        return table.ok ? table.n_phrases : 0;
}
