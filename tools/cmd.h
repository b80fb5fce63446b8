/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "version.h"

int cmd_analyze(int argc, char **argv);
int cmd_ifd(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_replace(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_flash(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_check_update(int argc, char **argv);
int cmd_db(int argc, char **argv);

#include "mefw/ifd.h"
#include "mefw/mefw.h"

/* ifd-print.c */
void print_ifd_summary(const mefw_ifd *d);
void print_ifd_regions(const mefw_ifd *d);
void print_ifd_human(const char *file, const mefw_ifd *d);

/* image.c: an input image, mapped and analyzed. */
typedef struct {
        const char *path;
        mefw_mapped_file file;
        mefw_report *report; /* report->descriptor is the decoded descriptor, NULL when none */
        /* The flash image in the file: the whole file, or the part behind a capsule or vendor
         * header (report->container_header). Edits work on it; outputs keep the rest of the file. */
        const uint8_t *image;
        size_t image_size;
        uint64_t image_offset;
        char *stdin_buffer;  /* the input read from standard input ("-"), owned; NULL for a file */
} cli_image;

/* 0, or an exit code after saying why on stderr (EXIT_UNREADABLE). */
int cli_image_load(const char *cmd, const char *path, cli_image *ret);
void cli_image_done(cli_image *img);
/* The whole file again with 'image' (image_size bytes) in place of the flash image: what an edit
 * writes, so that a header and whatever follows the image are kept. malloc'd, NULL on ENOMEM. */
uint8_t *cli_image_rewrap(const cli_image *img, const uint8_t *image);
/* Say on stderr what an edit of an image behind a header means for that header. */
void cli_image_note_container(const char *cmd, const cli_image *img);
/* Write 'data' to 'path' atomically, verified by 'verify' on the bytes read back. 0 or an exit code. */
int cli_write_output(const char *cmd, const char *path, const uint8_t *data, size_t size,
                     int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata);

/* input.c: a text input, a mapped file or standard input ("-") read into memory (capped). */
typedef struct {
        const char *data;
        size_t size;
        char *buffer;          /* standard input and pipes */
        mefw_mapped_file map;  /* regular files */
} cli_text;

#define CLI_TEXT_MAX (64u << 20) /* what standard input or a pipe may bring */

/* 0, or -errno (-EFBIG past CLI_TEXT_MAX on a pipe, -EISDIR for a directory). */
int cli_text_load(const char *path, cli_text *ret);
void cli_text_done(cli_text *t);

/* Load a database file (--db) and put it in use; 0, or an exit code after saying why. Warnings
 * about skipped lines go to stderr. Free with mefw_db_free() at exit. */
#include "mefw/db.h"
int cli_db_load(const char *cmd, const char *path, mefw_db **ret);
