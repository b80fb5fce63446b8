/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"

static bool color_out, progress_err, progress_drawn;

static int color_mode; /* 0 auto, 1 always, -1 never */

void term_set_color(int mode) {
        color_mode = mode;
        term_init();
}

void term_init(void) {
        const char *nc = getenv("NO_COLOR");
        const char *term = getenv("TERM");
        bool no_color = (nc && *nc) || (term && strcmp(term, "dumb") == 0);
        color_out = color_mode > 0 || (color_mode == 0 && !no_color && isatty(STDOUT_FILENO));
        /* a progress line only where someone watches both: not under a pager (stdout a pipe) */
        progress_err = isatty(STDERR_FILENO) && isatty(STDOUT_FILENO);
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
                char first[96], hang[64], text[1100];
                snprintf(first, sizeof first, "%s%s%s%s: ", indent, term_sev_color(m->severity),
                         mefw_severity_name(m->severity), term_reset());
                snprintf(hang, sizeof hang, "%s    ", indent);
                if (m->offset >= 0)
                        snprintf(text, sizeof text, "%s (at 0x%" PRIX64 ")", m->text, (uint64_t) m->offset);
                else
                        snprintf(text, sizeof text, "%s", m->text);
                term_print_wrapped(first, hang, text);
        }
        if (msgs->dropped)
                printf("%s(%zu further messages not shown)\n", indent, msgs->dropped);
}

/* The width text is wrapped at: the terminal's, when standard output is one (within 60..250),
 * else 80 columns (a command whose output is prose to paste may keep a wider default). */
static size_t default_width = 80;

void term_set_default_width(size_t width) {
        default_width = width;
}

size_t term_width(void) {
        static size_t tty_width;
        struct winsize ws;
        if (!tty_width && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
                tty_width = ws.ws_col < 60 ? 60 : ws.ws_col > 250 ? 250 : ws.ws_col;
        return tty_width ? tty_width : default_width;
}

static size_t wrap_width(void) {
        return term_width();
}

/* Columns a string takes on screen: colour escapes ("\033[...m") take none. */
static size_t visible_len(const char *s) {
        size_t n = 0;
        while (*s) {
                if (*s == '\033') {
                        while (*s && *s != 'm')
                                s++;
                        if (*s)
                                s++;
                        continue;
                }
                n++;
                s++;
        }
        return n;
}

/* Print text wrapped at the terminal's width, each line after the first indented by 'indent'. */
void term_print_wrapped(const char *first, const char *indent, const char *text) {
        size_t col = visible_len(first);
        fputs(first, stdout);
        const char *p = text;
        bool line_start = true, wrapped = false;
        while (*p) {
                while (*p == ' ')
                        p++;
                size_t w = strcspn(p, " ");
                if (!w)
                        break;
                /* a word that does not fit goes to the next line, unless it starts one already (a
                 * word longer than the width is printed whole rather than cut) */
                if (!wrapped && col + (line_start ? 0 : 1) + w > wrap_width() &&
                    (!line_start || col > visible_len(indent))) {
                        printf("\n%s", indent);
                        col = visible_len(indent);
                        line_start = true;
                        wrapped = true;
                }
                if (!line_start) {
                        putchar(' ');
                        col++;
                }
                fwrite(p, 1, w, stdout);
                col += w;
                p += w;
                line_start = false;
                wrapped = false;
        }
        putchar('\n');
}

/* ---- --json on every exit ---- */

static bool json_emitted;

void term_json_emit(const mefw_json *j) {
        fputs(j->data ? j->data : "null", stdout);
        fputc('\n', stdout);
        json_emitted = true;
}

void term_json_mark_emitted(void) {
        json_emitted = true;
}

bool term_json_emitted(void) {
        return json_emitted;
}

#define CAPTURE_MAX 8192
static FILE *real_stderr;
static char captured[CAPTURE_MAX];
static size_t n_captured;

static ssize_t tee_write(void *cookie, const char *buf, size_t size) {
        (void) cookie;
        size_t room = CAPTURE_MAX - 1 - n_captured;
        size_t take = size < room ? size : room;
        memcpy(captured + n_captured, buf, take);
        n_captured += take;
        return (ssize_t) fwrite(buf, 1, size, real_stderr);
}

void term_capture_stderr(void) {
        if (real_stderr)
                return;
        cookie_io_functions_t io = { .write = tee_write };
        FILE *tee = fopencookie(NULL, "w", io);
        if (!tee)
                return;
        setvbuf(tee, NULL, _IONBF, 0);
        real_stderr = stderr;
        stderr = tee;
}

void term_captured_write_json(mefw_json *j, const char *key) {
        mefw_json_key(j, key);
        mefw_json_begin_array(j);
        size_t start = 0;
        for (size_t i = 0; i <= n_captured; i++) {
                if (i < n_captured && captured[i] != '\n')
                        continue;
                if (i > start)
                        mefw_json_string_len(j, captured + start, i - start);
                start = i + 1;
        }
        mefw_json_end_array(j);
}
