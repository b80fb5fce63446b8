/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The checksums CSE structures use. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib): layout table 1.7, BPDT 2, $CPD R2, $FPT 2.1. */
uint32_t mefw_crc32(uint32_t crc, const void *data, size_t len);

/* CRC-32 of len bytes with the 4-byte field at 'field' (inside them) counted as zero: how every
 * CSE structure checks itself, its own CRC field included. */
uint32_t mefw_crc32_without_field(const uint8_t *p, size_t len, size_t field);

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected): MFS chunks. */
uint16_t mefw_crc16_ccitt(uint16_t crc, const void *data, size_t len);

/* CRC-8 (poly 0x07, not reflected) with the given start value: MFS page headers. */
uint8_t mefw_crc8(uint8_t crc, const void *data, size_t len);
