/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-only memory mapping of input files. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Inputs above this size are refused: no SPI flash is larger than 256 MiB. */
#define MEFW_MAX_INPUT_SIZE ((uint64_t) 1 << 30)

#include "mefw/core.h"
