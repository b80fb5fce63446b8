/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every on-flash structure libmefw reads, declared once (see MEFW_LAYOUT in view.h).
 * Offsets and meanings: docs in the project README's references; all values little-endian.
 */
#pragma once

#include "view.h"

/* ---- Intel flash descriptor ---------------------------------------------------------------- */

#define IFD_SIGNATURE 0x0FF0A55Au

/* Signature and the map words that follow it (relative to the signature). */
#define IFD_MAP(F, A)              \
        F(signature, u32, 0x00)    \
        F(flmap0, u32, 0x04)       \
        F(flmap1, u32, 0x08)       \
        F(flmap2, u32, 0x0C)       \
        F(flmap3, u32, 0x10)
MEFW_LAYOUT(ifd_map, 0x14, IFD_MAP)

/* FLUMAP1 (ME VSCC table base and length) sits at a fixed offset, wherever the signature is. */
#define IFD_UPPER_MAP_OFFSET 0xEFCu

/* ---- Flash partition table ($FPT) ----------------------------------------------------------- */

#define FPT_HEADER(F, A)                  \
        A(tag, 4, 0x00)                   \
        F(num_entries, u32, 0x04)         \
        F(header_version, u8, 0x08)       \
        F(entry_version, u8, 0x09)        \
        F(header_length, u8, 0x0A)        \
        F(checksum, u8, 0x0B)             \
        F(flash_cycle_life, u16, 0x0C)    \
        F(flash_cycle_limit, u16, 0x0E)   \
        F(uma_size, u32, 0x10)            \
        F(flags, u32, 0x14)               \
        F(fit_major, u16, 0x18)           \
        F(fit_minor, u16, 0x1A)           \
        F(fit_hotfix, u16, 0x1C)          \
        F(fit_build, u16, 0x1E)
MEFW_LAYOUT(fpt_header, 0x20, FPT_HEADER)

#define FPT_ENTRY(F, A)            \
        A(name, 4, 0x00)           \
        A(owner, 4, 0x04)          \
        F(offset, u32, 0x08)       \
        F(size, u32, 0x0C)         \
        F(start_tokens, u32, 0x10) \
        F(max_tokens, u32, 0x14)   \
        F(scratch, u32, 0x18)      \
        F(flags, u32, 0x1C)
MEFW_LAYOUT(fpt_entry, 0x20, FPT_ENTRY)

/* ---- Code partition manifests ($MAN ME 2-5, $MN2 ME 6-10 / TXE / SPS) ----------------------- */

#define MANIFEST_HEADER(F, A)          \
        F(module_type, u32, 0x00)      \
        F(header_length, u32, 0x04)    \
        F(header_version, u32, 0x08)   \
        F(flags, u32, 0x0C)            \
        F(vendor, u32, 0x10)           \
        F(date_day, u8, 0x14)          \
        F(date_month, u8, 0x15)        \
        F(date_year, u16, 0x16)        \
        F(size, u32, 0x18)             \
        A(tag, 4, 0x1C)                \
        F(num_modules, u32, 0x20)      \
        F(ver_major, u16, 0x24)        \
        F(ver_minor, u16, 0x26)        \
        F(ver_hotfix, u16, 0x28)       \
        F(ver_build, u16, 0x2A)        \
        F(svn, u32, 0x2C)              \
        F(svn_me8, u32, 0x30)          \
        F(vcn, u32, 0x34)              \
        F(key_size, u32, 0x78)         \
        F(exponent_size, u32, 0x7C)    \
        A(modulus, 256, 0x80)          \
        F(exponent, u32, 0x180)        \
        A(signature, 256, 0x184)
MEFW_LAYOUT(manifest_header, 0x284, MANIFEST_HEADER)

#define MANIFEST_VENDOR_INTEL 0x8086u
#define MANIFEST_FLAG_DEBUG (1u << 31) /* pre-production / debug signed */

/* $MN2 partition name and the 4 reserved/per-build bytes after the header. */
#define MN2_PARTITION(F, A) \
        A(name, 4, 0x00)    \
        F(reserved, u32, 0x04) \
        F(value, u32, 0x08)
MEFW_LAYOUT(mn2_partition, 0x0C, MN2_PARTITION)

/* ME 2-5 module entry ($MAN), 0x50 bytes. */
#define MME_V1(F, A)              \
        A(tag, 4, 0x00)           \
        A(guid, 16, 0x04)         \
        F(ver_major, u16, 0x14)   \
        F(ver_minor, u16, 0x16)   \
        F(ver_hotfix, u16, 0x18)  \
        F(ver_build, u16, 0x1A)   \
        A(name, 16, 0x1C)         \
        A(hash, 20, 0x2C)         \
        F(size, u32, 0x40)        \
        F(flags, u32, 0x44)
MEFW_LAYOUT(mme_v1, 0x50, MME_V1)

/* ME 6-10 / TXE / SPS 2-3 module entry ($MN2): 0x60 bytes (0x80 stride on TXE). */
#define MME_V2(F, A)                 \
        A(tag, 4, 0x00)              \
        A(name, 16, 0x04)            \
        A(hash, 32, 0x14)            \
        F(base, u32, 0x34)           \
        F(offset, u32, 0x38)         \
        F(size_uncompressed, u32, 0x3C) \
        F(size_stored, u32, 0x40)    \
        F(memory_size, u32, 0x44)    \
        F(pre_uma_size, u32, 0x48)   \
        F(entry_point, u32, 0x4C)    \
        F(flags, u32, 0x50)
MEFW_LAYOUT(mme_v2, 0x60, MME_V2)

#define MME_V2_COMPRESSION(flags) (((flags) >> 4) & 7u) /* 0 none, 1 Huffman, 2 LZMA */

/* Tagged records after the module table: '$xxx' + length in dwords (header included). */
#define MANIFEST_RECORD(F, A) \
        A(tag, 4, 0x00)       \
        F(dwords, u32, 0x04)
MEFW_LAYOUT(manifest_record, 0x08, MANIFEST_RECORD)

/* $MCP: code partition description (ME 7-10, TXE, SPS 2-3). */
#define MCP_RECORD(F, A)              \
        A(tag, 4, 0x00)               \
        F(dwords, u32, 0x04)          \
        F(code_size, u32, 0x08)       \
        F(code_offset, u32, 0x0C)     \
        F(partition_offset, u32, 0x10) \
        A(hash, 32, 0x14)
MEFW_LAYOUT(mcp_record, 0x34, MCP_RECORD)
