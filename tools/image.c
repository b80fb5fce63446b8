/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading an input image and writing an output image, shared by ifd, extract and replace. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "term.h"

int cli_image_load(const char *cmd, const char *path, cli_image *ret) {
        cli_image img = { .path = path };
        int r;
        if (strcmp(path, "-") == 0) {
                /* standard input: read whole (at most CLI_TEXT_MAX), then as any file */
                cli_text in;
                r = cli_text_load("-", &in);
                if (r < 0) {
                        fprintf(stderr, "mefw %s: cannot read standard input: %s\n", cmd, strerror(-r));
                        return EXIT_UNREADABLE;
                }
                img.stdin_buffer = in.buffer;
                img.file.data = (const uint8_t *) in.buffer;
                img.file.size = in.size;
                img.path = "standard input";
        } else if ((r = mefw_map_file(path, &img.file)) < 0) {
                fprintf(stderr, "mefw %s: cannot read %s: %s\n", cmd, path, strerror(-r));
                return EXIT_UNREADABLE;
        }
        r = mefw_analyze_buffer(img.file.data, img.file.size, img.path, &img.report);
        if (r < 0) {
                if (img.stdin_buffer)
                        free(img.stdin_buffer);
                else
                        mefw_unmap_file(&img.file);
                fprintf(stderr, "mefw %s: cannot analyze %s: %s\n", cmd, path, strerror(-r));
                return EXIT_UNREADABLE;
        }
        img.image = img.file.data;
        img.image_size = img.file.size;
        if (img.report->container_header && img.report->image_offset < img.file.size &&
            img.report->image_size <= img.file.size - img.report->image_offset) {
                img.image_offset = img.report->image_offset;
                img.image = img.file.data + img.image_offset;
                img.image_size = (size_t) img.report->image_size;
        }
        *ret = img;
        return 0;
}

uint8_t *cli_image_rewrap(const cli_image *img, const uint8_t *image) {
        uint8_t *whole = malloc(img->file.size ? img->file.size : 1);
        if (!whole)
                return NULL;
        memcpy(whole, img->file.data, img->file.size);
        memcpy(whole + img->image_offset, image, img->image_size);
        return whole;
}

void cli_image_note_container(const char *cmd, const cli_image *img) {
        if (!img->report->container_header)
                return;
        fprintf(stderr,
                "mefw %s: note: the flash image of %s lies at 0x%" PRIX64 " behind a header (%s); the header and the bytes "
                "after the image are kept as they were. A signed update file no longer matches its signature once "
                "the image changes: write the image with a programmer ('mefw extract' takes it out), not with the "
                "maker's updater.\n",
                cmd, img->path, img->image_offset, img->report->container_header);
}

void cli_image_done(cli_image *img) {
        mefw_report_free(img->report);
        if (img->stdin_buffer)
                free(img->stdin_buffer);
        else
                mefw_unmap_file(&img->file);
        *img = (cli_image){};
}

/* "-": the bytes go to standard output, unless it is a terminal (binary data would garble it). */
static int write_stdout(const char *cmd, const uint8_t *data, size_t size) {
        if (isatty(STDOUT_FILENO)) {
                fprintf(stderr, "mefw %s: standard output is a terminal; redirect it to a file or a pipe\n", cmd);
                return EXIT_USAGE;
        }
        while (size > 0) {
                ssize_t n = write(STDOUT_FILENO, data, size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        fprintf(stderr, "mefw %s: could not write to standard output: %s\n", cmd,
                                n < 0 ? strerror(errno) : "short write");
                        return EXIT_PROBLEM;
                }
                data += n;
                size -= (size_t) n;
        }
        return 0;
}

static const char *write_error(int r) {
        switch (r) {
        case -EBADMSG:
                return "the written file did not re-parse as expected";
        case -ENOLINK:
                return "it is a symbolic link that points to nothing";
        case -ENOTSUP:
                return "it is a device, FIFO or socket, not a regular file (use '-o -' for standard output)";
        case -EISDIR:
                return "it is a directory";
        case -EINTR:
                return "interrupted by a signal";
        default:
                return strerror(-r);
        }
}

int cli_write_output(const char *cmd, const char *path, const uint8_t *data, size_t size,
                     int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        if (strcmp(path, "-") == 0)
                return write_stdout(cmd, data, size);
        /* A file size limit must fail the write (EFBIG), not kill us with a temporary file left. */
        signal(SIGXFSZ, SIG_IGN);
        int r = mefw_write_file_atomic(path, data, size, verify, userdata);
        if (r < 0) {
                fprintf(stderr, "mefw %s: could not write %s: %s; nothing was written\n", cmd, path, write_error(r));
                return EXIT_PROBLEM;
        }
        return 0;
}
