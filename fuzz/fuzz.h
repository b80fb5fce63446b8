/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the fuzz targets: the libFuzzer entry point (also driven by replay.c when built
 * without libFuzzer) and a check that aborts, whatever NDEBUG says, so that a broken invariant
 * is a crash the fuzzer reports.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(expr)                                                                      \
        do {                                                                                  \
                if (!(expr)) {                                                                \
                        fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, \
                                #expr);                                                       \
                        abort();                                                              \
                }                                                                             \
        } while (0)
