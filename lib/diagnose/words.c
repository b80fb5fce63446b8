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
 * Bounded work: phrases are indexed by the first word of each alternative of their first term,
 * whole words and prefixes alike by hash, so a word costs one pass over its characters and the
 * phrases that can start there; a phrase whose further terms start with no word of the clause is
 * dropped before any matching. A phrase has at most WORDS_TERMS_MAX terms, a clause at most
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
#define WORD_PREFIX_HITS_MAX 64 /* prefixes of one word that phrases start with */

/*
 * How the words of a clause start, as two bit sets: one bit per first character, and one per
 * hash of the first two characters. A term needs, for one of its alternatives, the bit its first
 * word would set (the pair's when that word has two characters or more): a clause that sets none
 * of them cannot hold the term, whatever its words are.
 */
typedef struct {
        uint64_t one;
        uint64_t two[4];
} signature;

/* A word of the line being read: lowercase, cut at WORD_MAX - 1 characters. */
typedef struct {
        char w[WORD_MAX];
        size_t len;
        uint8_t first_bit, pair_bit;      /* its bits in a signature (set with the clause's) */
} word;

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
        signature starts;                 /* how its alternatives start: a clause with no word
                                           * starting so cannot hold the term */
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

/* A phrase under the first word of one alternative of its first term. The word's hash and length
 * are kept here so that most mismatches are told without following a pointer. */
typedef struct bucket_entry {
        uint32_t hash;                    /* word_hash() of the word, or of the prefix */
        uint8_t len;
        bool prefix;
        const char *text;
        const alt *first;                 /* the first term's alternative this entry starts with */
        unsigned phrase;
        struct bucket_entry *next;
} bucket_entry;

static struct {
        char *text;                       /* a copy of the table; pieces point into it */
        phrase *phrases;
        size_t n_phrases;
        section *sections;
        size_t n_sections;
        alt *alts;
        size_t n_alts, cap_alts;
        bucket_entry *buckets[HASH_BUCKETS];        /* exact first words, by their hash */
        bucket_entry *prefix_buckets[HASH_BUCKETS]; /* prefixes ("recover*"), by the prefix's hash */
        uint64_t prefix_lengths;                    /* bit n: some prefix has n characters */
        bucket_entry *entries;
        size_t n_entries;
        size_t n_bad;                     /* lines of the table that were not understood */
        bool ok;
} table;

static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* FNV-1a, one character at a time, so that the hash of every prefix of a word comes on the way
 * to the hash of the word. */
#define WORD_HASH_INIT 2166136261u

static uint32_t word_hash_step(uint32_t h, char c) {
        return (h ^ (unsigned char) c) * 16777619u;
}

static uint32_t word_hash(const char *w, size_t n) {
        uint32_t h = WORD_HASH_INIT;
        for (size_t i = 0; i < n; i++)
                h = word_hash_step(h, w[i]);
        return h;
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
                if (!*part || !*value || strlen(part) >= sizeof s.name[0] || strlen(value) >= sizeof s.value[0] ||
                    !diag_post_name_known(part))
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

/* A character's bit in signature.one: a-z, 0-9, and one bit for everything else. */
static unsigned char_bit(char c) {
        if (c >= 'a' && c <= 'z')
                return (unsigned) (c - 'a');
        if (c >= '0' && c <= '9')
                return 26u + (unsigned) (c - '0');
        return 36;
}

/* The bit of a word's first two characters in signature.two (0..255). */
static unsigned pair_bit(const char *w) {
        return ((unsigned) (unsigned char) w[0] * 31u + (unsigned char) w[1]) & 255u;
}

/* What a word of the clause sets: its first character, and its first pair when it has one. */
static void signature_add_word(signature *s, word *w) {
        w->first_bit = (uint8_t) char_bit(w->w[0]);
        s->one |= 1ull << w->first_bit;
        if (w->len >= 2) {
                w->pair_bit = (uint8_t) pair_bit(w->w);
                s->two[w->pair_bit / 64] |= 1ull << (w->pair_bit % 64);
        }
}

/* Whether the word starts as one of the term's alternatives might. */
static bool word_may_start(const signature *need, const word *w) {
        return (need->one & (1ull << w->first_bit)) ||
               (w->len >= 2 && (need->two[w->pair_bit / 64] & (1ull << (w->pair_bit % 64))));
}

/* What an alternative needs: its first word's pair, or with one character only, that character. */
static void signature_add_need(signature *s, const piece *p) {
        if (p->len >= 2) {
                unsigned b = pair_bit(p->text);
                s->two[b / 64] |= 1ull << (b % 64);
        } else
                s->one |= 1ull << char_bit(p->text[0]);
}

static bool signature_meets(const signature *need, const signature *have) {
        return (need->one & have->one) || (need->two[0] & have->two[0]) || (need->two[1] & have->two[1]) ||
               (need->two[2] & have->two[2]) || (need->two[3] & have->two[3]);
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
                        signature_add_need(&t->starts, &table.alts[t->first_alt + a].pieces[0]);
        }
        if (p.n_terms == 0)
                goto bad;
        *ret = p;
        return true;
bad:
        table.n_alts = alts_before; /* what this phrase added is dropped with it */
        return false;
}

/* Index the phrase by each alternative of its first term: exact words and prefixes each by the
 * hash of their text. */
static void index_phrase(unsigned i) {
        const term *t = &table.phrases[i].terms[0];
        for (size_t k = 0; k < t->n_alts; k++) {
                const alt *a = &table.alts[t->first_alt + k];
                const piece *first = &a->pieces[0];
                bucket_entry *e = &table.entries[table.n_entries++];
                *e = (bucket_entry){ .hash = word_hash(first->text, first->len), .len = first->len,
                                     .prefix = first->prefix, .text = first->text, .first = a, .phrase = i };
                bucket_entry **bucket = first->prefix ? &table.prefix_buckets[e->hash % HASH_BUCKETS]
                                                      : &table.buckets[e->hash % HASH_BUCKETS];
                if (first->prefix)
                        table.prefix_lengths |= 1ull << first->len; /* len < WORD_MAX < 64 */
                e->next = *bucket;
                *bucket = e;
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
        /* A word matches only prefixes of one another: scan_word keeps WORD_PREFIX_HITS_MAX of them,
         * and a table that nests more is reported as not understood rather than cut silently. */
        for (size_t i = 0; i < table.n_entries; i++) {
                const bucket_entry *e = &table.entries[i];
                size_t nested = 0;
                for (size_t k = 0; e->prefix && k < table.n_entries; k++) {
                        const bucket_entry *o = &table.entries[k];
                        nested += o->prefix && o->len <= e->len && memcmp(o->text, e->text, o->len) == 0;
                }
                if (nested > WORD_PREFIX_HITS_MAX)
                        table.n_bad++;
        }
        table.ok = true;
}

/* ---- Matching -------------------------------------------------------------------------------- */

_Static_assert(WORD_MAX < 64, "prefix lengths are bits of a uint64_t");

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
        if (!words[i].len || !word_may_start(&t->starts, &words[i]))
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

static void try_entry(const bucket_entry *e, const word *words, size_t n, size_t i, const signature *clause,
                      diag_words_hit fn, void *userdata) {
        const phrase *p = &table.phrases[e->phrase];
        /* every further term needs a word that starts as one of its alternatives somewhere in the
         * clause: most candidates fail this at once */
        for (size_t k = 1; k < p->n_terms; k++)
                if (!signature_meets(&p->terms[k].starts, clause))
                        return;
        if (!match_alt(p, 0, e->first, words, n, i))
                return;
        if (table.sections[p->section].negatable && negated_before(words, i))
                return;
        emit(p, fn, userdata);
}

static bool entry_matches(const bucket_entry *e, uint32_t hash, const word *w) {
        return e->hash == hash && memcmp(e->text, w->w, e->len) == 0;
}

/* The phrases that can start at words[i]: those under its whole word, then those under each of its
 * prefixes that some phrase starts with ("recovery" is found under "recover*"), in the order the
 * table lists them (latest first, as for whole words), so that facts come in one order whatever
 * the prefixes' lengths. One pass over the word gives every prefix's hash on the way to the
 * word's own. */
static void scan_word(const word *words, size_t n, size_t i, const signature *clause, diag_words_hit fn,
                      void *userdata) {
        const word *w = &words[i];
        const bucket_entry *by_prefix[WORD_PREFIX_HITS_MAX];
        size_t n_prefix = 0;
        uint32_t h = WORD_HASH_INIT;
        for (size_t l = 1; l <= w->len; l++) {
                h = word_hash_step(h, w->w[l - 1]);
                if (!(table.prefix_lengths & (1ull << l)))
                        continue;
                for (const bucket_entry *e = table.prefix_buckets[h % HASH_BUCKETS]; e; e = e->next)
                        if (e->len == l && entry_matches(e, h, w) && n_prefix < ELEMENTSOF(by_prefix))
                                by_prefix[n_prefix++] = e;
        }
        for (const bucket_entry *e = table.buckets[h % HASH_BUCKETS]; e; e = e->next)
                if (e->len == w->len && entry_matches(e, h, w))
                        try_entry(e, words, n, i, clause, fn, userdata);
        /* a few hits at most: insertion sort, latest entry first */
        for (size_t a = 1; a < n_prefix; a++)
                for (size_t b = a; b > 0 && by_prefix[b - 1] < by_prefix[b]; b--) {
                        const bucket_entry *t = by_prefix[b];
                        by_prefix[b] = by_prefix[b - 1];
                        by_prefix[b - 1] = t;
                }
        for (size_t a = 0; a < n_prefix; a++)
                try_entry(by_prefix[a], words, n, i, clause, fn, userdata);
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
                signature clause = {};
                for (size_t i = 0; i < n; i++)
                        if (words[i].len)
                                signature_add_word(&clause, &words[i]);
                for (size_t i = 0; i < n; i++)
                        if (words[i].len)
                                scan_word(words, n, i, &clause, fn, userdata);
        }
}

size_t diag_words_count(size_t *ret_bad) {
        pthread_once(&table_once, load_table);
        if (ret_bad)
                *ret_bad = table.n_bad;
        return table.ok ? table.n_phrases : 0;
}
