/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-only memory mapping of input files. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Inputs above this size are refused: no SPI flash is larger than 256 MiB. */
#define MEFW_MAX_INPUT_SIZE ((uint64_t) 1 << 30)

typedef struct {
        const uint8_t *data; /* NULL for an empty file */
        size_t size;
        void *map;
        size_t map_size;
} mefw_mapped_file;

/* 0, or -errno: -EISDIR for directories, -EFBIG above MEFW_MAX_INPUT_SIZE, -EINVAL for
 * something that is not a regular file. */
int mefw_map_file(const char *path, mefw_mapped_file *ret);
void mefw_unmap_file(mefw_mapped_file *f);
