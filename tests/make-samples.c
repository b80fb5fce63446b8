/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the demo's sample images into a directory: synthetic engine firmware signed with a
 * key made on the spot (so mefw reports "unknown-key": it is not Intel's), one intact and one
 * tampered. Real firmware is never bundled with mefw.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

static int write_file(const char *dir, const char *name, const uint8_t *data, size_t len) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "make-samples: cannot write %s: %s\n", path, strerror(errno));
                return -1;
        }
        return 0;
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: make-samples DIR\n");
                return 2;
        }
        const char *dir = argv[1];
        size_t n;
        uint8_t *region = synth_me9_region(&n);
        if (!region)
                return 1;
        int r = write_file(dir, "synthetic-me9-region.bin", region, n);

        uint8_t *spi = synth_spi(region, n, 0x1000, 0x100000);
        if (spi)
                r |= write_file(dir, "synthetic-me9-spi-image.bin", spi, 0x100000);

        /* one byte changed inside the signed manifest header: the signature must fail */
        uint8_t *bad = malloc(n);
        if (bad) {
                memcpy(bad, region, n);
                bad[0x3000 + 0x14] ^= 0x01;
                r |= write_file(dir, "synthetic-me9-region-tampered.bin", bad, n);
        }
        static const char text[] = "This is not firmware.\n";
        r |= write_file(dir, "not-firmware.txt", (const uint8_t *) text, sizeof text - 1);
        free(bad);
        free(spi);
        free(region);
        return r ? 1 : 0;
}
