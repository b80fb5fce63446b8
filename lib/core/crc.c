/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>

#include "crc.h"

#include <lzma.h>

/* liblzma already carries a table-driven IEEE CRC-32; reuse it rather than a second table. */
uint32_t mefw_crc32(uint32_t crc, const void *data, size_t len) {
        return lzma_crc32(data, len, crc);
}

uint32_t mefw_crc32_without_field(const uint8_t *p, size_t len, size_t field) {
        static const uint8_t zero[4];
        uint32_t crc = mefw_crc32(0, p, field);
        crc = mefw_crc32(crc, zero, 4);
        return mefw_crc32(crc, p + field + 4, len - field - 4);
}

/* CRC-16/CCITT a byte at a time: the table of the eight bit steps for each byte value, built once
 * (MFS checks every 64-byte chunk of the data partition with it). */
static uint16_t ccitt_table[256];
static pthread_once_t ccitt_once = PTHREAD_ONCE_INIT;

static void ccitt_init(void) {
        for (unsigned v = 0; v < 256; v++) {
                uint16_t crc = (uint16_t) (v << 8);
                for (int b = 0; b < 8; b++)
                        crc = (crc & 0x8000) ? (uint16_t) ((crc << 1) ^ 0x1021) : (uint16_t) (crc << 1);
                ccitt_table[v] = crc;
        }
}

uint16_t mefw_crc16_ccitt(uint16_t crc, const void *data, size_t len) {
        pthread_once(&ccitt_once, ccitt_init);
        const uint8_t *p = data;
        for (size_t i = 0; i < len; i++)
                crc = (uint16_t) ((crc << 8) ^ ccitt_table[(uint8_t) ((crc >> 8) ^ p[i])]);
        return crc;
}

uint8_t mefw_crc8(uint8_t crc, const void *data, size_t len) {
        const uint8_t *p = data;
        for (size_t i = 0; i < len; i++) {
                crc ^= p[i];
                for (int b = 0; b < 8; b++)
                        crc = (crc & 0x80) ? (uint8_t) ((crc << 1) ^ 0x07) : (uint8_t) (crc << 1);
        }
        return crc;
}
