/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The person's own words, and the text they copied from BIOS setup, POST screens, Device Manager
 * or a vendor's updater: symptoms, what they tried (negations respected), what they want, where
 * they ran the tools, their hardware and the versions and error numbers they quote. Sentences
 * become facts, never tool output: a fact read here is marked as the person's.
 *
 * The wordings are data (data/diagnose-words.txt, through words.c); hardware names go through the
 * platform table (data/platforms.txt). Here are the shapes no table can list: versions, numbered
 * errors, and a board model after its maker's name.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

typedef struct {
        reader *rd;
        bool any;
        bool tool_line;           /* a line inside a tool's output that is no sentence */
} prose;

static const char *static_environment(const char *v) {
        static const char *const envs[] = { "DOS", "EFI", "Windows", "Linux" };
        for (size_t i = 0; i < ELEMENTSOF(envs); i++)
                if (strcmp(v, envs[i]) == 0)
                        return envs[i];
        return NULL;
}

static void on_words(const char *name, const char *value, void *userdata) {
        prose *p = userdata;
        /* A tool's own line ("Trying to receive update status...") says nothing of what the person
         * did or wants; it may still show a state or a message. */
        if (p->tool_line && (strcmp(name, "tried") == 0 || strcmp(name, "wants") == 0 || strcmp(name, "outcome") == 0))
                return;
        diag_post_fact(p->rd, name, value, strlen(value));
        p->any = true;
        if (strcmp(name, "environment") == 0) {
                const char *env = static_environment(value);
                if (env) {
                        p->rd->hint_env = env;
                        p->rd->hint_line = p->rd->lineno;
                        p->rd->hint_age = 0;
                }
        }
}

/* ---- Words of a line, with their places ------------------------------------------------------- */

#define PROSE_WORDS_MAX 128
#define PROSE_WORD_LEN 40

/* The word lists the readers below look a word up in; a word's classes are found once, when the
 * line is cut into words. */
enum {
        WORD_FAMILY = 1 << 0,     /* an engine family: "me", "csme" */
        WORD_FIRMWARE = 1 << 1,   /* says a version is the firmware's: "firmware", "installed" */
        WORD_TOOL = 1 << 2,       /* says a version is a tool's, a driver's or the BIOS's */
        WORD_MAKER = 1 << 3,      /* a maker or product line: a model follows */
};

static const char *const family_words[] = { "me", "csme", "txe", "cstxe", "sps", "cssps", "amt" };
static const char *const firmware_words[] = { "firmware", "fw", "version", "ver", "current", "installed", "running",
                                              "is", "shows", "reads", "now", "on", "at", "has" };
static const char *const tool_words[] = { "meinfo", "memanuf", "fwupdlcl", "fwupdate", "fpt", "fptw", "fptw64", "txeinfo",
                                          "tool", "tools", "driver", "drivers", "bios", "uefi", "uefitool", "hwinfo",
                                          "fwupd", "fwupdmgr", "analyzer", "mea", "kernel", "package", "system",
                                          "intelmetool", "flashrom", "windows", "ubuntu", "sdk", "lms" };

/* Makers and their product lines; a model follows ("HP EliteBook 8560w", "Lenovo M92p"). */
static const char *const maker_words[] = { "hp", "compaq", "dell", "lenovo", "asus", "acer", "msi", "fujitsu", "sony",
                                           "vaio", "supermicro", "asrock", "gigabyte", "samsung", "toshiba",
                                           "alienware", "elitebook", "probook", "elitedesk", "prodesk", "zbook",
                                           "optiplex", "latitude", "precision", "inspiron", "vostro", "xps",
                                           "thinkpad", "thinkcentre", "thinkstation", "ideapad", "yoga", "maximus",
                                           "rog", "prime", "tuf", "strix", "aspire", "veriton", "travelmate",
                                           "lifebook", "esprimo", "celsius", "proliant", "nuc", "fitlet2",
                                           "poweredge", "pavilion", "envy", "satellite" };

static const struct {
        const char *const *words;
        size_t n;
        unsigned class;
} word_lists[] = {
        { family_words, ELEMENTSOF(family_words), WORD_FAMILY },
        { firmware_words, ELEMENTSOF(firmware_words), WORD_FIRMWARE },
        { tool_words, ELEMENTSOF(tool_words), WORD_TOOL },
        { maker_words, ELEMENTSOF(maker_words), WORD_MAKER },
};

#define CLASS_SLOTS 512 /* a power of two, well above the words of the lists */

static struct {
        const char *word;
        unsigned class;
} class_slots[CLASS_SLOTS];

static uint32_t class_hash_step(uint32_t h, char c) {
        return (h ^ (unsigned char) c) * 16777619u;
}

static uint32_t class_hash(const char *w) {
        uint32_t h = 2166136261u;
        while (*w)
                h = class_hash_step(h, *w++);
        return h;
}

static void init_word_classes(void) {
        for (size_t l = 0; l < ELEMENTSOF(word_lists); l++)
                for (size_t i = 0; i < word_lists[l].n; i++) {
                        const char *w = word_lists[l].words[i];
                        size_t slot = class_hash(w) & (CLASS_SLOTS - 1);
                        while (class_slots[slot].word && strcmp(class_slots[slot].word, w) != 0)
                                slot = (slot + 1) & (CLASS_SLOTS - 1);
                        class_slots[slot].word = w;
                        class_slots[slot].class |= word_lists[l].class;
                }
}

/* The classes of a lowercase word whose hash is 'hash'. */
static unsigned word_class(const char *w, uint32_t hash) {
        for (size_t slot = hash & (CLASS_SLOTS - 1); class_slots[slot].word; slot = (slot + 1) & (CLASS_SLOTS - 1))
                if (strcmp(class_slots[slot].word, w) == 0)
                        return class_slots[slot].class;
        return 0;
}

typedef struct {
        char w[PROSE_WORD_LEN];   /* lowercase */
        const char *at;           /* in the original line */
        size_t len;
        unsigned class;           /* WORD_* of the lists it is in */
} pword;

static bool inner_char(char c) {
        return c == '.' || c == '-' || c == '_' || c == '/';
}

static size_t split_words(const char *line, pword *out, size_t max) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, init_word_classes);
        size_t n = 0;
        const char *s = line;
        while (*s && n < max) {
                if (!isalnum((unsigned char) *s)) {
                        s++;
                        continue;
                }
                pword w = { .at = s };
                uint32_t h = 2166136261u;
                while (*s && (isalnum((unsigned char) *s) || (inner_char(*s) && isalnum((unsigned char) s[1])))) {
                        if (w.len + 1 < PROSE_WORD_LEN) {
                                w.w[w.len] = (char) tolower((unsigned char) *s);
                                h = class_hash_step(h, w.w[w.len]);
                        }
                        w.len++;
                        s++;
                }
                w.w[w.len < PROSE_WORD_LEN ? w.len : PROSE_WORD_LEN - 1] = 0;
                if (w.len < PROSE_WORD_LEN)
                        w.class = word_class(w.w, h);
                out[n++] = w;
        }
        return n;
}

/* ---- Versions: "ME 9.1", "CSME v11.8.50.3425", "firmware 9.0.20.1447", "11.8.50.3425_CON_H..." ---- */

/* Up to four dotted numbers at s ("9", "9.1", "11.8.50.3425"); the number of parts (0: none). */
static unsigned version_parts(const char *s, unsigned v[4]) {
        uint16_t parsed[4];
        int n = diag_parse_version(s, parsed, NULL);
        for (int i = 0; i < n; i++)
                v[i] = parsed[i];
        return n > 0 ? (unsigned) n : 0;
}

static const char *family_name(const char *w) {
        static const char *const names[] = { "ME", "CSME", "TXE", "CSTXE", "SPS", "CSSPS" };
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcasecmp(w, names[i]) == 0)
                        return names[i];
        return NULL;
}

/* The family a version of major 'major' belongs to when the post names none. */
static const char *implied_family(const char *named, unsigned major) {
        if (named && strcmp(named, "ME") == 0 && major >= 11)
                return "CSME";
        if (named)
                return named;
        return major >= 11 ? "CSME" : "ME";
}

static void add_generation(reader *rd, const char *family, unsigned major, int minor) {
        if (major == 0 || major > 40)
                return;
        char g[24];
        if (minor >= 0)
                snprintf(g, sizeof g, "%s %u.%d", family, major, minor);
        else
                snprintf(g, sizeof g, "%s %u", family, major);
        diag_post_fact(rd, "generation", g, strlen(g));
}

static bool plausible_engine(const char *family, unsigned major) {
        if (strcmp(family, "ME") == 0)
                return major >= 1 && major <= 10;
        if (strcmp(family, "CSME") == 0)
                return major >= 11 && major <= 25;
        if (strcmp(family, "TXE") == 0)
                return major >= 1 && major <= 2;
        if (strcmp(family, "CSTXE") == 0)
                return major >= 3 && major <= 4;
        return major >= 1 && major <= 10; /* SPS, CSSPS */
}

/*
 * "updated from 9.1.25.1005 to 9.1.37.1002", "downgrade 11.8.70.3626 -> 11.8.55.3510 failed": a
 * move between two engine versions. The one now running is the second, unless the move failed.
 */
static bool read_version_move(reader *rd, const pword *w, size_t n) {
        size_t first = SIZE_MAX, second = SIZE_MAX;
        unsigned v[4];
        for (size_t i = 0; i < n; i++)
                if (version_parts(w[i].w, v) == 4 && !strchr(w[i].w, '_')) {
                        if (first == SIZE_MAX)
                                first = i;
                        else if (second == SIZE_MAX)
                                second = i;
                }
        if (second == SIZE_MAX || second - first > 3)
                return false;
        const char *between = w[first].at + w[first].len;
        size_t gap = (size_t) (w[second].at - between);
        bool arrow = memmem(between, gap, "->", 2) || memmem(between, gap, "\xE2\x86\x92", 3) ||
                     (second == first + 2 && strcmp(w[first + 1].w, "to") == 0);
        if (!arrow)
                return false;
        bool moved = false, failed = false;
        size_t from = first > 6 ? first - 6 : 0, to = MIN(n, second + 7);
        for (size_t i = from; i < to; i++) {
                moved |= strncmp(w[i].w, "updat", 5) == 0 || strncmp(w[i].w, "upgrad", 6) == 0 ||
                         strncmp(w[i].w, "downgrad", 8) == 0 || strncmp(w[i].w, "flash", 5) == 0 ||
                         strcmp(w[i].w, "went") == 0 || strcmp(w[i].w, "from") == 0;
                failed |= strncmp(w[i].w, "fail", 4) == 0 || strncmp(w[i].w, "refus", 5) == 0 ||
                          strncmp(w[i].w, "reject", 6) == 0 || strcmp(w[i].w, "error") == 0;
        }
        if (!moved)
                return false;
        const pword *running = failed ? &w[first] : &w[second], *other = failed ? &w[second] : &w[first];
        version_parts(running->w, v);
        char text[32];
        snprintf(text, sizeof text, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        diag_post_fact(rd, "firmware", text, strlen(text));
        add_generation(rd, implied_family(NULL, v[0]), v[0], (int) v[1]);
        version_parts(other->w, v);
        snprintf(text, sizeof text, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        diag_post_fact(rd, "version", text, strlen(text));
        diag_post_fact(rd, "tried", "me-update", 9);
        return true;
}

static void read_versions(reader *rd, const pword *w, size_t n) {
        if (read_version_move(rd, w, n))
                return;
        for (size_t i = 0; i < n; i++) {
                unsigned v[4];
                const char *fam = NULL;
                const char *num = NULL;
                /* "me9", "csme11.8", "txe3": family and number in one word */
                for (size_t k = 0; k < ELEMENTSOF(family_words) && !num && !isdigit((unsigned char) w[i].w[0]); k++) {
                        if (w[i].w[0] != family_words[k][0])
                                continue;
                        size_t fl = strlen(family_words[k]);
                        if (strncmp(w[i].w, family_words[k], fl) == 0 && isdigit((unsigned char) w[i].w[fl])) {
                                fam = family_name(family_words[k]);
                                num = w[i].w + fl;
                        }
                }
                if (!num && isdigit((unsigned char) w[i].w[0]))
                        num = w[i].w;
                if (!num && w[i].w[0] == 'v' && isdigit((unsigned char) w[i].w[1]))
                        num = w[i].w + 1;
                if (!num)
                        continue;
                unsigned parts = version_parts(num, v);
                if (parts == 0)
                        continue;
                /* What stands before: a family word ("ME 9.1"), a tool ("MEInfo 9.1" is the tool's). */
                /* The nearest name before the version owns it: "BIOS 1.52" is the BIOS's, "bios
                 * figure ME 11.6" the engine's, "MEInfo 9.1" the tool's. */
                bool tool = false, firmware_ctx = false, owned = fam != NULL;
                for (size_t b = i; b-- > (i >= 5 ? i - 5 : 0);) {
                        if (w[b].class & WORD_FIRMWARE)
                                firmware_ctx = true;
                        if (owned)
                                continue;
                        if ((w[b].class & WORD_FAMILY) && strcmp(w[b].w, "amt") != 0) {
                                fam = family_name(w[b].w), firmware_ctx = true, owned = true;
                        } else if (w[b].class & WORD_TOOL) {
                                tool = true, owned = true;
                        }
                }
                if (tool)
                        continue;
                bool file_name = strchr(w[i].w, '_') != NULL; /* "11.8.50.3425_CON_H_D0_PRD_RGN.bin" */
                if (parts == 4) {
                        const char *f = implied_family(fam, v[0]);
                        if (!plausible_engine(f, v[0]))
                                continue;
                        char text[32];
                        snprintf(text, sizeof text, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
                        diag_post_fact(rd, file_name ? "version" : firmware_ctx ? "firmware" : "version", text, strlen(text));
                        add_generation(rd, f, v[0], (int) v[1]);
                } else if (fam && parts >= 1) {
                        const char *f = implied_family(fam, v[0]);
                        if (!plausible_engine(f, v[0]))
                                continue;
                        add_generation(rd, f, v[0], parts >= 2 ? (int) v[1] : -1);
                        /* "installed ... ME 11.6", "CSME v11.8", "firmware in the 1.0 line": the
                         * branch the machine runs, when the words say so */
                        bool says_running = w[i].w[0] == 'v';
                        for (size_t b = i >= 5 ? i - 5 : 0; b < i; b++)
                                says_running |= strcmp(w[b].w, "installed") == 0 || strcmp(w[b].w, "current") == 0 ||
                                                strcmp(w[b].w, "running") == 0 || strcmp(w[b].w, "firmware") == 0 ||
                                                strcmp(w[b].w, "fw") == 0 || strcmp(w[b].w, "version") == 0;
                        if (parts >= 2 && says_running) {
                                char text[24];
                                snprintf(text, sizeof text, "%u.%u", v[0], v[1]);
                                diag_post_fact(rd, "firmware", text, strlen(text));
                        }
                }
        }
}

/* ---- Numbered errors in sentences: "error 8707", "error code 63", "error (8721)" ------------------ */

static void read_error_numbers(reader *rd, const pword *w, size_t n) {
        for (size_t i = 0; i + 1 < n; i++) {
                if (strcmp(w[i].w, "error") != 0 && strcmp(w[i].w, "errors") != 0 && strcmp(w[i].w, "err") != 0)
                        continue;
                size_t k = i + 1;
                if (k < n && (strcmp(w[k].w, "code") == 0 || strcmp(w[k].w, "no") == 0 || strcmp(w[k].w, "number") == 0))
                        k++;
                if (k >= n)
                        continue;
                /* "error 8707", and lists: "errors 1002, 9458 and 9459" */
                for (; k < n; k++) {
                        size_t digits = strspn(w[k].w, "0123456789");
                        if (strcmp(w[k].w, "and") == 0 || strcmp(w[k].w, "or") == 0)
                                continue;
                        if (digits == 0 || digits > 5 || (w[k].w[digits] != 0 && w[k].w[digits] != '-'))
                                break;
                        diag_post_fact(rd, "error", w[k].w, digits);
                }
        }
        /* "2233-HECI error ...": a POST code joined to its message */
        for (size_t i = 0; i + 1 < n; i++) {
                size_t digits = strspn(w[i].w, "0123456789");
                if (digits < 3 || digits > 5 || w[i].w[digits] != '-' || !isalpha((unsigned char) w[i].w[digits + 1]))
                        continue;
                bool trouble = false;
                for (size_t k = i + 1; k < n && k <= i + 3; k++)
                        trouble |= strstr(w[k].w, "error") || strstr(w[k].w, "fail");
                if (trouble)
                        diag_post_fact(rd, "error", w[i].w, digits);
        }
        /* POST codes lead their message: "2210 Parameters Frame Error", "2218-ME Firmware ...",
         * "1661 as the fail message" */
        size_t lead = n >= 2 ? strspn(w[0].w, "0123456789") : 0;
        if (lead >= 3 && lead <= 5) {
                size_t digits = lead;
                bool trouble = false;
                for (size_t i = 1; i < n && i < 12; i++)
                        trouble |= strstr(w[i].w, "error") || strstr(w[i].w, "fail") || strstr(w[i].w, "halt") ||
                                   strstr(w[i].w, "should") || strstr(w[i].w, "requires");
                if (digits >= 3 && digits <= 5 && (w[0].w[digits] == 0 || w[0].w[digits] == '-') && trouble)
                        diag_post_fact(rd, "error", w[0].w, digits);
        }
        for (size_t i = 0; i + 2 < n; i++) {
                /* "..., 1661 as the fail message" */
                size_t digits = strspn(w[i].w, "0123456789");
                if (digits >= 3 && digits <= 5 && w[i].w[digits] == 0 && (strstr(w[i + 1].w, "fail") ||
                    ((strcmp(w[i + 1].w, "as") == 0 || strcmp(w[i + 1].w, "is") == 0) && i + 3 < n &&
                     (strstr(w[i + 3].w, "fail") || strstr(w[i + 3].w, "error")))))
                        diag_post_fact(rd, "error", w[i].w, digits);
        }
}

/* ---- Hardware: chipsets, code names, CPUs, and the board after its maker's name ---------------- */

static bool platform_candidate(const char *w) {
        size_t n = strlen(w);
        if (n < 3 || n > 24)
                return false;
        size_t digits = strspn(w, "0123456789");
        if (digits == n && n != 4)
                return false; /* a plain number; only "3400"-style chipset numbers are four digits */
        if (strpbrk(w, "0123456789"))
                return true;
        static const char *const ends[] = { "lake", "point", "trail", "well", "bridge", "peak", "view", "ult" };
        for (size_t i = 0; i < ELEMENTSOF(ends); i++) {
                size_t e = strlen(ends[i]);
                if (n >= e && strcmp(w + n - e, ends[i]) == 0)
                        return true;
        }
        return false;
}

static void read_hardware(reader *rd, const pword *w, size_t n) {
        for (size_t i = 0; i < n; i++) {
                if (!platform_candidate(w[i].w))
                        continue;
                /* "Haswell ULT", "Bay Trail": two words as one name */
                char joined[2 * PROSE_WORD_LEN + 2] = "";
                const diag_platform *p = NULL;
                if (i + 1 < n) {
                        snprintf(joined, sizeof joined, "%s-%s", w[i].w, w[i + 1].w);
                        p = diag_platform_lookup(joined);
                }
                const char *name = w[i].w; /* the platform's own name within the word */
                char head[PROSE_WORD_LEN];
                if (!p)
                        p = diag_platform_lookup(w[i].w);
                if (!p && isalpha((unsigned char) w[i].w[0])) {
                        /* "Z490-A", "B360M-HDV", "Z490A": the chipset a board is named after */
                        size_t hl = strcspn(w[i].w, "-");
                        size_t digits_end = 1 + strspn(w[i].w + 1, "0123456789");
                        if (!strchr(w[i].w, '-') && digits_end >= 4 && digits_end < strlen(w[i].w))
                                hl = digits_end;
                        if (hl < strlen(w[i].w) && hl < sizeof head) {
                                memcpy(head, w[i].w, hl);
                                head[hl] = 0;
                                p = diag_platform_lookup(head);
                                if (p && strcmp(p->kind, "chipset") != 0)
                                        p = NULL;
                                name = head;
                        }
                }
                if (!p)
                        continue;
                if (strcmp(p->kind, "chipset") == 0) {
                        char upper[PROSE_WORD_LEN];
                        size_t l = strlen(name);
                        for (size_t k = 0; k <= l; k++)
                                upper[k] = (char) toupper((unsigned char) name[k]);
                        diag_post_fact(rd, "chipset", upper, l);
                } else if (strcmp(p->kind, "cpu") == 0)
                        diag_post_fact(rd, "cpu", w[i].at, w[i].len);
                diag_post_fact(rd, "generation", p->generation, strlen(p->generation));
        }
}

static bool model_word(const pword *w) {
        if (strpbrk(w->w, "0123456789"))
                return true;
        if (w->len >= 2 && isupper((unsigned char) w->at[0]))
                return true; /* "Maximus VI Gene", "Yoga 2 Pro" */
        return false;
}

static void read_board(reader *rd, const pword *w, size_t n) {
        for (size_t i = 0; i + 1 < n; i++) {
                if (!(w[i].class & WORD_MAKER))
                        continue;
                size_t k = i + 1, first = k;
                /* skip further maker words ("HP EliteBook 8560w" keeps "EliteBook 8560w") */
                while (k < n && k < first + 4 && model_word(&w[k]) && !(w[k].class & WORD_FAMILY))
                        k++;
                if (k == first)
                        continue;
                bool has_digit = false;
                for (size_t m = first; m < k; m++)
                        has_digit |= strpbrk(w[m].w, "0123456789") != NULL;
                if (!has_digit && k - first < 2)
                        continue;
                const char *start = w[first].at;
                size_t len = (size_t) (w[k - 1].at + w[k - 1].len - start);
                diag_post_fact(rd, "board", start, len);
                return;
        }
}

/*
 * A model number standing alone ("two T480 from ebay", "my N550JV", "the X9SCL-F board", machine
 * type "20QD"): letters and digits mixed, as makers name their products. Versions, hex values,
 * chipsets, processors and the usual technical words are not models.
 */
static bool looks_like_model(const pword *w) {
        const char *s = w->at;
        size_t n = w->len, letters = 0, digits = 0;
        if (n < 3 || n > 14 || w->w[0] == '0')
                return false;
        for (size_t i = 0; i < n; i++) {
                if (isalpha((unsigned char) s[i]))
                        letters++;
                else if (isdigit((unsigned char) s[i]))
                        digits++;
                else if (s[i] != '-')
                        return false; /* versions, paths, file names */
        }
        if (letters == 0 || digits == 0 || (digits == 1 && n < 5))
                return false;
        /* lowercase only as short letters before a long number ("t480"), never as a word */
        if (!isupper((unsigned char) s[0]) && !isdigit((unsigned char) s[0]) && !(letters <= 2 && digits >= 3))
                return false;
        static const char *const not_models[] = { "win", "x64", "x86", "mei", "heci", "me", "csme", "txe", "sps", "sha",
                                                  "usb", "ddr", "ssd", "hdd", "lga", "fw", "bios", "v", "sp", "kb",
                                                  "mb", "gb", "ghz", "mhz", "rev", "build", "gen", "pcie", "sata",
                                                  "nvme", "m2", "ipv", "hfsts", "fwsts", "code", "error", "rtx", "gtx",
                                                  "amd", "ryzen", "hd", "uhd", "iris", "tpm", "efi", "smbios" };
        for (size_t i = 0; i < ELEMENTSOF(not_models); i++) {
                size_t l = strlen(not_models[i]);
                if (strncmp(w->w, not_models[i], l) == 0 && (isdigit((unsigned char) w->w[l]) || w->w[l] == '-'))
                        return false;
        }
        /* "A06", "F7", "v2": a letter and a short number are BIOS, stepping or version names */
        if (letters == 1 && digits <= 2)
                return false;
        return !diag_platform_lookup(w->w);
}

static void read_models(reader *rd, const pword *w, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (looks_like_model(&w[i]))
                        diag_post_fact(rd, "board", w[i].at, w[i].len);
}

/* "my mainboard is an Intel DZ87KLT-75K": the person names the board outright (said last, so that
 * it is the board fact that counts). */
static void read_board_statement(reader *rd, const char *line, const char *lower) {
        static const char *const board_words[] = { "mainboard is ", "motherboard is ", "my board is ", "board model is " };
        for (size_t i = 0; i < ELEMENTSOF(board_words); i++) {
                const char *b = strstr(lower, board_words[i]);
                if (!b)
                        continue;
                const char *v = line + (b - lower) + strlen(board_words[i]);
                size_t n = strcspn(v, ".,;!?");
                while (n > 0 && v[n - 1] == ' ')
                        n--;
                if (n > 0)
                        diag_post_fact(rd, "board", v, n);
                return;
        }
}

void diag_match_prose(reader *rd, const char *line, const char *lower) {
        /* a bulleted line ("- ", "* ") is a person's list, whatever it quotes */
        bool bullet = ((line[0] == '-' || line[0] == '*') && line[1] == ' ') ||
                      /* a shell prompt: a command the person typed */
                      ((line[0] == '$' || line[0] == '#') && line[1] == ' ') || strstr(line, "sudo ");
        /* inside a tool's output (a run of a known tool), or a line a tool reader took */
        const mefw_diag_run *run = diag_cur_run(rd);
        bool in_tool = (run && run->kind != MEFW_RUN_UNKNOWN) || rd->read_words;
        prose p = { .rd = rd, .tool_line = in_tool && !bullet && !rd->line_is_prose };
        diag_words_scan(line, on_words, &p);
        size_t before = rd->log->n_facts;
        pword w[PROSE_WORDS_MAX];
        size_t n = split_words(line, w, PROSE_WORDS_MAX);
        if (!p.tool_line) /* a tool's versions are read by its own reader, with their labels */
                read_versions(rd, w, n);
        read_error_numbers(rd, w, n);
        read_hardware(rd, w, n);
        read_board(rd, w, n);
        read_models(rd, w, n);
        read_board_statement(rd, line, lower);
        if (p.any || rd->log->n_facts != before) {
                /* a tool's line read for its wordings stays the tool's; a sentence is the person's */
                if (rd->read_words)
                        diag_quote_add(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
                else
                        diag_quote_add_person(rd->log, (mefw_diag_loc){ rd->input, rd->lineno }, line);
        }
}
