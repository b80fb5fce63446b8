/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chip through libflashrom. libflashrom keeps global state (one programmer at a time) and
 * logs through one process-wide callback: opening is serialized, and the callback collects
 * warnings and errors into the messages of the chip being worked on, never onto the terminal.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "mefw/flash.h"

#ifdef MEFW_HAVE_FLASHROM
#include <libflashrom.h>

struct mefw_chip {
        struct flashrom_programmer *prog;
        struct flashrom_flashctx *ctx;
        size_t size;
        char programmer[256];
};

static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static mefw_messages *current_log;
static bool lib_ready;

__attribute__((format(printf, 2, 0))) static int log_callback(enum flashrom_log_level level, const char *fmt,
                                                              va_list ap) {
        if (!current_log || level > FLASHROM_MSG_WARN)
                return 0;
        char line[400];
        vsnprintf(line, sizeof line, fmt, ap);
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
                line[--n] = 0;
        if (n)
                mefw_messages_add(current_log, level == FLASHROM_MSG_ERROR ? MEFW_ERROR : MEFW_WARNING, "flashrom",
                                  -1, "flashrom: %s", line);
        return 0;
}

bool mefw_chip_supported(void) {
        return true;
}

int mefw_chip_open(const char *programmer, mefw_messages *log, mefw_chip **ret) {
        if (!programmer || !*programmer)
                return -EINVAL;
        mefw_chip *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        snprintf(c->programmer, sizeof c->programmer, "%s", programmer);
        char name[64];
        const char *colon = strchr(programmer, ':');
        size_t n = colon ? (size_t) (colon - programmer) : strlen(programmer);
        if (n == 0 || n >= sizeof name) {
                free(c);
                return -EINVAL;
        }
        memcpy(name, programmer, n);
        name[n] = 0;

        pthread_mutex_lock(&lib_lock);
        current_log = log;
        int r = 0;
        if (!lib_ready) {
                flashrom_set_log_callback(log_callback);
                if (flashrom_init(1) != 0)
                        r = -EIO;
                lib_ready = r == 0;
        }
        if (r == 0 && flashrom_programmer_init(&c->prog, name, colon ? colon + 1 : NULL) != 0)
                r = -ENODEV;
        if (r == 0 && flashrom_flash_probe(&c->ctx, c->prog, NULL) != 0)
                r = -ENODEV;
        if (r == 0) {
                c->size = flashrom_flash_getsize(c->ctx);
                if (c->size == 0)
                        r = -ENODEV;
        }
        if (r < 0) {
                if (c->ctx)
                        flashrom_flash_release(c->ctx);
                if (c->prog)
                        flashrom_programmer_shutdown(c->prog);
                current_log = NULL;
                pthread_mutex_unlock(&lib_lock);
                free(c);
                return r;
        }
        /* held until close: libflashrom has one programmer at a time */
        *ret = c;
        return 0;
}

void mefw_chip_close(mefw_chip *c) {
        if (!c)
                return;
        flashrom_flash_release(c->ctx);
        flashrom_programmer_shutdown(c->prog);
        current_log = NULL;
        pthread_mutex_unlock(&lib_lock);
        free(c);
}

size_t mefw_chip_size(const mefw_chip *c) {
        return c->size;
}

const char *mefw_chip_programmer(const mefw_chip *c) {
        return c->programmer;
}

int mefw_chip_read(mefw_chip *c, uint8_t *buf, size_t len) {
        if (len != c->size)
                return -EINVAL;
        return flashrom_image_read(c->ctx, buf, len) == 0 ? 0 : -EIO;
}

int mefw_chip_write_ranges(mefw_chip *c, const uint8_t *image, const uint8_t *current, size_t len,
                           const mefw_chip_range *ranges, size_t n) {
        if (len != c->size || n == 0)
                return -EINVAL;
        struct flashrom_layout *layout = NULL;
        if (flashrom_layout_new(&layout) != 0)
                return -ENOMEM;
        int r = 0;
        for (size_t i = 0; i < n && r == 0; i++) {
                char name[32];
                snprintf(name, sizeof name, "%s", ranges[i].name);
                if (ranges[i].start > ranges[i].end || ranges[i].end >= len ||
                    flashrom_layout_add_region(layout, ranges[i].start, ranges[i].end, name) != 0 ||
                    flashrom_layout_include_region(layout, name) != 0)
                        r = -EINVAL;
        }
        if (r == 0) {
                flashrom_layout_set(c->ctx, layout);
                /* libflashrom takes non-const buffers; our copies keep the callers' bytes intact */
                uint8_t *img = malloc(len), *ref = malloc(len);
                if (!img || !ref)
                        r = -ENOMEM;
                else {
                        memcpy(img, image, len);
                        memcpy(ref, current, len);
                        flashrom_flag_set(c->ctx, FLASHROM_FLAG_VERIFY_AFTER_WRITE, true);
                        if (flashrom_image_write(c->ctx, img, len, ref) != 0)
                                r = -EIO;
                        else if (flashrom_image_verify(c->ctx, img, len) != 0)
                                r = -EIO;
                }
                free(img);
                free(ref);
                flashrom_layout_set(c->ctx, NULL);
        }
        flashrom_layout_release(layout);
        return r;
}

#else /* no libflashrom */

struct mefw_chip {
        int unused;
};

bool mefw_chip_supported(void) {
        return false;
}

int mefw_chip_open(const char *programmer, mefw_messages *log, mefw_chip **ret) {
        (void) programmer, (void) log, (void) ret;
        return -ENOTSUP;
}

void mefw_chip_close(mefw_chip *c) {
        (void) c;
}

size_t mefw_chip_size(const mefw_chip *c) {
        (void) c;
        return 0;
}

const char *mefw_chip_programmer(const mefw_chip *c) {
        (void) c;
        return "";
}

int mefw_chip_read(mefw_chip *c, uint8_t *buf, size_t len) {
        (void) c, (void) buf, (void) len;
        return -ENOTSUP;
}

int mefw_chip_write_ranges(mefw_chip *c, const uint8_t *image, const uint8_t *current, size_t len,
                           const mefw_chip_range *ranges, size_t n) {
        (void) c, (void) image, (void) current, (void) len, (void) ranges, (void) n;
        return -ENOTSUP;
}

#endif
