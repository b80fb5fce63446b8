/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a post's hardware says of its engine: chipsets ("HM86"), code names ("Haswell-ULT") and
 * Core processor numbers ("i7-4700MQ") to the firmware generation they shipped with, from the
 * table in data/platforms.txt (its header says the format and the sources).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reader.h"

extern const char mefw_data_platforms[];
extern const size_t mefw_data_platforms_len;

#define PLATFORM_ROWS_MAX 256
#define PLATFORM_NAMES_MAX 2048

typedef struct {
        diag_platform info;
        const char *kind;
} row;

static struct {
        char *text;
        row rows[PLATFORM_ROWS_MAX];
        size_t n_rows;
        struct {
                const char *name;
                unsigned row;
        } names[PLATFORM_NAMES_MAX];
        size_t n_names;
        size_t first[257];        /* names starting with character c: [first[c], first[c + 1]) */
        bool ok;
} table;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
        table.text = malloc(mefw_data_platforms_len + 1);
        if (!table.text)
                return;
        memcpy(table.text, mefw_data_platforms, mefw_data_platforms_len);
        table.text[mefw_data_platforms_len] = 0;
        char *save = NULL;
        for (char *line = strtok_r(table.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (*line == '#' || !*line || table.n_rows >= PLATFORM_ROWS_MAX)
                        continue;
                char *cols[5];
                size_t n = 0;
                for (char *c = line; n < 5; n++) {
                        cols[n] = c;
                        char *tab = strchr(c, '\t');
                        if (!tab) {
                                n++;
                                break;
                        }
                        *tab = 0;
                        c = tab + 1;
                }
                if (n < 5)
                        continue; /* a malformed row is left out */
                row *r = &table.rows[table.n_rows];
                r->kind = cols[0];
                r->info = (diag_platform){ .generation = cols[2], .sure = cols[3], .note = cols[4], .kind = cols[0] };
                char *nsave = NULL;
                for (char *name = strtok_r(cols[1], " ", &nsave); name && table.n_names < PLATFORM_NAMES_MAX;
                     name = strtok_r(NULL, " ", &nsave)) {
                        table.names[table.n_names].name = name;
                        table.names[table.n_names].row = (unsigned) table.n_rows;
                        table.n_names++;
                }
                table.n_rows++;
        }
        /* by first character (stable, so the table's order still decides among equals) */
        for (size_t i = 1; i < table.n_names; i++)
                for (size_t k = i; k > 0 && tolower((unsigned char) table.names[k - 1].name[0]) >
                                                tolower((unsigned char) table.names[k].name[0]); k--) {
                        __typeof__(table.names[0]) t = table.names[k];
                        table.names[k] = table.names[k - 1];
                        table.names[k - 1] = t;
                }
        size_t at = 0;
        for (unsigned c = 0; c < 256; c++) {
                table.first[c] = at;
                while (at < table.n_names && (unsigned) tolower((unsigned char) table.names[at].name[0]) == c)
                        at++;
        }
        table.first[256] = at;
        table.ok = true;
}

/* "i#-4###U" against "i7-4700u": '#' a digit, a trailing '*' any letters (or none). */
static bool cpu_matches(const char *pattern, const char *word) {
        const char *p = pattern, *w = word;
        for (; *p; p++) {
                if (*p == '*')
                        return strspn(w, "abcdefghijklmnopqrstuvwxyz") == strlen(w);
                if (*p == '#') {
                        if (!isdigit((unsigned char) *w))
                                return false;
                } else if (tolower((unsigned char) *p) != tolower((unsigned char) *w))
                        return false;
                w++;
        }
        return *w == 0;
}

static const diag_platform *lookup(const char *word, const char *kind) {
        pthread_once(&once, load);
        if (!table.ok || !word || !*word)
                return NULL;
        unsigned char first = (unsigned char) tolower((unsigned char) word[0]);
        for (size_t i = table.first[first]; i < table.first[first + 1]; i++) {
                const row *r = &table.rows[table.names[i].row];
                if ((kind != NULL) != (strcmp(r->kind, "core-limit") == 0) || (kind && strcmp(r->kind, kind) != 0))
                        continue;
                bool hit = strcmp(r->kind, "cpu") == 0 ? cpu_matches(table.names[i].name, word)
                                                       : strcasecmp(table.names[i].name, word) == 0;
                if (hit)
                        return &r->info;
        }
        return NULL;
}

const diag_platform *diag_platform_lookup(const char *word) {
        return lookup(word, NULL);
}

const diag_platform *diag_platform_core_limit(const char *chipset) {
        return lookup(chipset, "core-limit");
}
