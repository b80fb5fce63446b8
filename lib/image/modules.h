/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Module and code-partition integrity: hashes of stored and LZMA-compressed modules. */
#pragma once

#include "internal.h"

/* Largest module we decompress to hash; real ones are below 1 MiB. */
#define MEFW_MODULE_MAX_OUTPUT (16u * 1024u * 1024u)

/*
 * Check every module of manifest m (stored in 'region'), append one entry per module to the
 * report and a message for each hash that does not match. 'partition' names the code partition.
 */
void mefw_check_modules(mefw_ctx *ctx, const mefw_view *region, const mefw_manifest *m, const char *partition);

/* Decode an engine LZMA module ("LZMA alone", with the TXE/CSE three-zero-byte quirk undone),
 * bounded by MEFW_MODULE_MAX_OUTPUT. 0 and a malloc'd buffer, or -errno. */
int mefw_module_lzma_decode(const uint8_t *p, size_t len, uint8_t **ret_out, size_t *ret_len);
