/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The procedures and explanations of data/diagnose-procedures.txt, parsed once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

extern const char mefw_data_diagnose_procedures[];
extern const size_t mefw_data_diagnose_procedures_len;

#define PROCEDURES_MAX 64

static struct {
        char *text;
        diag_procedure items[PROCEDURES_MAX];
        size_t n;
        size_t n_bad;
} table;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static char *trimmed(char *s) {
        while (*s == ' ')
                s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
                s[--n] = 0;
        return s;
}

static void load(void) {
        table.text = malloc(mefw_data_diagnose_procedures_len + 1);
        if (!table.text)
                return;
        memcpy(table.text, mefw_data_diagnose_procedures, mefw_data_diagnose_procedures_len);
        table.text[mefw_data_diagnose_procedures_len] = 0;
        diag_procedure *cur = NULL;
        char *save = NULL;
        for (char *line = strtok_r(table.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                line = trimmed(line);
                if (!*line || *line == '#')
                        continue;
                if (*line == '[') {
                        char *close = strchr(line, ']');
                        if (!close || table.n >= PROCEDURES_MAX) {
                                table.n_bad++;
                                cur = NULL;
                                continue;
                        }
                        *close = 0;
                        cur = &table.items[table.n++];
                        cur->id = line + 1;
                        continue;
                }
                char *colon = strchr(line, ':');
                if (!cur || !colon) {
                        table.n_bad++;
                        continue;
                }
                *colon = 0;
                char *value = trimmed(colon + 1);
                if (strcmp(line, "title") == 0)
                        cur->title = value;
                else if (strcmp(line, "explain") == 0 && cur->n_explain < DIAG_PROC_TEXT_MAX)
                        cur->explain[cur->n_explain++] = value;
                else if (strcmp(line, "step") == 0 && cur->n_steps < DIAG_PROC_TEXT_MAX)
                        cur->steps[cur->n_steps++] = value;
                else if (strcmp(line, "source") == 0)
                        cur->source = value;
                else
                        table.n_bad++;
        }
        /* an entry without a title, a step or a source is not usable: it is left out */
        size_t kept = 0;
        for (size_t i = 0; i < table.n; i++) {
                diag_procedure *p = &table.items[i];
                if (p->title && p->source && p->n_steps)
                        table.items[kept++] = *p;
                else
                        table.n_bad++;
        }
        table.n = kept;
}

const diag_procedure *diag_procedure_get(const char *id) {
        pthread_once(&once, load);
        for (size_t i = 0; i < table.n; i++)
                if (strcmp(table.items[i].id, id) == 0)
                        return &table.items[i];
        return NULL;
}

size_t diag_procedures_count(size_t *ret_bad) {
        pthread_once(&once, load);
        if (ret_bad)
                *ret_bad = table.n_bad;
        return table.n;
}
