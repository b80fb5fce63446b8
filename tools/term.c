/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"

static bool color_out, progress_err, progress_drawn;

void term_init(void) {
        const char *nc = getenv("NO_COLOR");
        const char *term = getenv("TERM");
        bool no_color = (nc && *nc) || (term && strcmp(term, "dumb") == 0);
        color_out = !no_color && isatty(STDOUT_FILENO);
        progress_err = isatty(STDERR_FILENO);
}

bool term_color(void) {
        return color_out;
}

const char *term_sev_color(mefw_severity s) {
        if (!color_out)
                return "";
        switch (s) {
        case MEFW_ERROR:
                return "\033[1;31m";
        case MEFW_WARNING:
                return "\033[1;33m";
        default:
                return "\033[36m";
        }
}

const char *term_bold(void) {
        return color_out ? "\033[1m" : "";
}

const char *term_reset(void) {
        return color_out ? "\033[0m" : "";
}

void term_progress(size_t done, size_t total, const char *what) {
        if (!progress_err || total < 2)
                return;
        const char *base = strrchr(what, '/');
        base = base ? base + 1 : what;
        fprintf(stderr, "\r\033[K[%zu/%zu] %.60s", done, total, base);
        fflush(stderr);
        progress_drawn = true;
}

void term_progress_end(void) {
        if (progress_drawn) {
                fprintf(stderr, "\r\033[K");
                fflush(stderr);
                progress_drawn = false;
        }
}

void term_print_messages(const mefw_messages *msgs, const char *indent) {
        for (size_t i = 0; i < msgs->count; i++) {
                const mefw_message *m = &msgs->items[i];
                printf("%s%s%s%s: %s", indent, term_sev_color(m->severity), mefw_severity_name(m->severity),
                       term_reset(), m->text);
                if (m->offset >= 0)
                        printf(" (at 0x%" PRIX64 ")", (uint64_t) m->offset);
                printf("\n");
        }
        if (msgs->dropped)
                printf("%s(%zu further messages not shown)\n", indent, msgs->dropped);
}

/* Print text wrapped at TERM_WRAP columns, each line after the first indented by 'indent'. */
void term_print_wrapped(const char *first, const char *indent, const char *text) {
        size_t col = strlen(first);
        fputs(first, stdout);
        const char *p = text;
        bool line_start = true;
        while (*p) {
                while (*p == ' ')
                        p++;
                size_t w = strcspn(p, " ");
                if (!w)
                        break;
                if (!line_start && col + 1 + w > TERM_WRAP) {
                        printf("\n%s", indent);
                        col = strlen(indent);
                        line_start = true;
                }
                if (!line_start) {
                        putchar(' ');
                        col++;
                }
                fwrite(p, 1, w, stdout);
                col += w;
                p += w;
                line_start = false;
        }
        putchar('\n');
}
