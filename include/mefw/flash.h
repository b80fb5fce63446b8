/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SPI flash chip itself, through libflashrom: read it whole, write chosen ranges of it and
 * verify them. Which ranges to write, and whether writing is wise, is decided above (mefw flash).
 * Built without libflashrom, every call returns -ENOTSUP.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mefw/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mefw_chip mefw_chip;

/* Whether this build can reach a chip at all. */
bool mefw_chip_supported(void);

/*
 * Open the chip behind a flashrom programmer: "internal", "ch341a_spi", "dummy:emulate=...".
 * What libflashrom says goes to 'log' (warnings and errors only), never to the terminal.
 * 0, -ENODEV (programmer or chip not found), -ENOTSUP (no libflashrom), -ENOMEM.
 */
int mefw_chip_open(const char *programmer, mefw_messages *log, mefw_chip **ret);
void mefw_chip_close(mefw_chip *c);

size_t mefw_chip_size(const mefw_chip *c);
const char *mefw_chip_programmer(const mefw_chip *c);

/* The whole chip into buf (mefw_chip_size bytes). 0 or -EIO. */
int mefw_chip_read(mefw_chip *c, uint8_t *buf, size_t len);

typedef struct {
        uint32_t start, end; /* inclusive byte range of the chip */
        const char *name;
} mefw_chip_range;

/*
 * Write 'image' (the whole chip's new contents) over the listed ranges only, 'current' being what
 * the chip holds now (so unchanged blocks are left alone), and verify them. 0, -EIO (the write or
 * its verification failed: the chip may hold a mix), -EINVAL.
 */
int mefw_chip_write_ranges(mefw_chip *c, const uint8_t *image, const uint8_t *current, size_t len,
                           const mefw_chip_range *ranges, size_t n);

#ifdef __cplusplus
}
#endif
