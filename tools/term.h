/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal presentation: colour only on a TTY and never with NO_COLOR; progress on stderr. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "mefw/mefw.h"

/* Exit codes shared by every subcommand. */
enum {
        EXIT_OK = 0,
        EXIT_PROBLEM = 1,
        EXIT_USAGE = 2,
        EXIT_UNREADABLE = 3,
};

void term_init(void);
/* --color: 1 always, -1 never, 0 auto (a terminal, and no NO_COLOR or TERM=dumb). */
void term_set_color(int mode);
bool term_color(void); /* stdout gets colour */
const char *term_sev_color(mefw_severity s);
const char *term_bold(void);
const char *term_reset(void);

/* Each message on its own line: severity (coloured on a TTY), text, offset. */
void term_print_messages(const mefw_messages *msgs, const char *indent);

/* A one-line progress indicator on stderr, drawn only when stderr is a TTY. */
void term_progress(size_t done, size_t total, const char *what);
void term_progress_end(void);

/* Text is wrapped at the terminal's width, or at 80 columns (the default) when not a terminal. */
size_t term_width(void);
void term_set_default_width(size_t width);
void term_print_wrapped(const char *first, const char *indent, const char *text);

/* ---- --json on every exit ----
 * A command prints its JSON document with term_json_emit(). When --json was asked and a command
 * ends without one (unreadable input, usage error, an input that changed), main() prints
 * {"error": {...}} with the exit code and what was said on standard error, so that a script
 * always gets a document. */
void term_json_emit(const mefw_json *j);
/* A JSON document is being streamed to standard output (no error document after it). */
void term_json_mark_emitted(void);
bool term_json_emitted(void);
/* Keep a copy of what is written to stderr from now on (capped), for that document. */
void term_capture_stderr(void);
/* The captured lines of stderr, as a JSON array value under key. */
void term_captured_write_json(mefw_json *j, const char *key);
