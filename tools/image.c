/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading an input image and writing an output image, shared by ifd, extract and replace. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "term.h"

int cli_image_load(const char *cmd, const char *path, cli_image *ret) {
        cli_image img = { .path = path };
        int r = mefw_map_file(path, &img.file);
        if (r < 0) {
                fprintf(stderr, "mefw %s: cannot read %s: %s\n", cmd, path, strerror(-r));
                return EXIT_UNREADABLE;
        }
        r = mefw_analyze_buffer(img.file.data, img.file.size, path, &img.report);
        if (r < 0) {
                mefw_unmap_file(&img.file);
                fprintf(stderr, "mefw %s: cannot analyze %s: %s\n", cmd, path, strerror(-r));
                return EXIT_UNREADABLE;
        }
        *ret = img;
        return 0;
}

void cli_image_done(cli_image *img) {
        mefw_report_free(img->report);
        mefw_unmap_file(&img->file);
        *img = (cli_image){};
}

int cli_write_output(const char *cmd, const char *path, const uint8_t *data, size_t size,
                     int (*verify)(const uint8_t *data, size_t size, void *userdata), void *userdata) {
        /* A file size limit must fail the write (EFBIG), not kill us with a temporary file left. */
        signal(SIGXFSZ, SIG_IGN);
        int r = mefw_write_file_atomic(path, data, size, verify, userdata);
        if (r < 0) {
                fprintf(stderr, "mefw %s: could not write %s: %s; nothing was written\n", cmd, path,
                        r == -EBADMSG ? "the written file did not re-parse as expected" : strerror(-r));
                return EXIT_PROBLEM;
        }
        return 0;
}
