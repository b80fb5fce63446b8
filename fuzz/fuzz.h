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

#include "mefw/mefw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline __attribute__((noreturn)) void fuzz_check_failed(const char *file, int line, const char *expr) {
        fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, expr);
        abort();
}

#define FUZZ_CHECK(expr)                                               \
        do {                                                           \
                if (!(expr))                                           \
                        fuzz_check_failed(__FILE__, __LINE__, #expr); \
        } while (0)

/* An empty report for targets that drive internal parsers directly (NULL when out of memory). */
static inline mefw_report *fuzz_report_new(void) {
        mefw_report *report = calloc(1, sizeof *report);
        if (report) {
                report->fw.pv = -1;
                report->fw.patsburg = -1;
        }
        return report;
}
