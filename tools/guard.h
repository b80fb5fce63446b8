/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Run fn(arg) so that an input file which shrinks while mefw reads it (a log on a USB stick, an
 * image on a share being rewritten) ends that work with -ESTALE instead of killing the process
 * with SIGBUS. Only faults inside a mapping made by mefw_map_file are caught; any other SIGBUS
 * keeps its default action. The abandoned work's memory is not freed (it may be half built);
 * its mapping is released. Calls nest; each thread has its own guard.
 */
int cli_guarded(int (*fn)(void *arg), void *arg);

/* The sentence for -ESTALE. */
#define CLI_INPUT_CHANGED "the file changed (it shrank) while it was read"
