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

/* ---- CSE containers (CSME 11+, CSTXE, CSSPS, PMC/PCHC/PHY) ---------------------------------- */

/* CSE layout table, IFWI 1.6 (CSME 12-15): ROM-bypass vector, then data and boot partitions. */
#define CSE_LT16(F, A)             \
        A(vector, 16, 0x00)        \
        F(data_offset, u32, 0x10)  \
        F(data_size, u32, 0x14)    \
        F(bp1_offset, u32, 0x18)   \
        F(bp1_size, u32, 0x1C)     \
        F(bp2_offset, u32, 0x20)   \
        F(bp2_size, u32, 0x24)     \
        F(bp3_offset, u32, 0x28)   \
        F(bp3_size, u32, 0x2C)     \
        F(bp4_offset, u32, 0x30)   \
        F(bp4_size, u32, 0x34)     \
        F(bp5_offset, u32, 0x38)   \
        F(bp5_size, u32, 0x3C)     \
        F(checksum, u64, 0x40)
MEFW_LAYOUT(cse_lt16, 0x48, CSE_LT16)

/* CSE layout table, IFWI 1.7 (CSME 16+): a length and a CRC-32 over the pointer block. */
#define CSE_LT17(F, A)               \
        A(vector, 16, 0x00)          \
        F(size, u16, 0x10)           \
        F(flags, u8, 0x12)           \
        F(crc32, u32, 0x14)          \
        F(data_offset, u32, 0x18)    \
        F(data_size, u32, 0x1C)      \
        F(bp1_offset, u32, 0x20)     \
        F(bp1_size, u32, 0x24)       \
        F(bp2_offset, u32, 0x28)     \
        F(bp2_size, u32, 0x2C)       \
        F(bp3_offset, u32, 0x30)     \
        F(bp3_size, u32, 0x34)       \
        F(bp4_offset, u32, 0x38)     \
        F(bp4_size, u32, 0x3C)       \
        F(bp5_offset, u32, 0x40)     \
        F(bp5_size, u32, 0x44)       \
        F(temp_offset, u32, 0x48)    \
        F(temp_size, u32, 0x4C)      \
        F(elog_offset, u32, 0x50)    \
        F(elog_size, u32, 0x54)
MEFW_LAYOUT(cse_lt17, 0x58, CSE_LT17)

#define BPDT_SIGNATURE 0x000055AAu          /* normal ("green") boot partition */
#define BPDT_SIGNATURE_RECOVERY 0x00AA55AAu /* recovery ("yellow") */

/* Boot partition descriptor table header; version 1 (IFWI 1.6/2.0) keeps an XOR checksum at
 * 0x0A, version 2 (IFWI 1.7) a config byte at 7 and a CRC-32 at 8. */
#define BPDT_HEADER(F, A)           \
        F(signature, u32, 0x00)     \
        F(count, u16, 0x04)         \
        F(version, u8, 0x06)        \
        F(config, u8, 0x07)         \
        F(crc32, u32, 0x08)         \
        F(ifwi_version, u32, 0x0C)  \
        F(fit_major, u16, 0x10)     \
        F(fit_minor, u16, 0x12)     \
        F(fit_hotfix, u16, 0x14)    \
        F(fit_build, u16, 0x16)
MEFW_LAYOUT(bpdt_header, 0x18, BPDT_HEADER)

/* Entry: type (low 16 bits; Apollo Lake keeps flags in the high half), offset relative to the
 * BPDT, size. */
#define BPDT_ENTRY(F, A)        \
        F(type, u32, 0x00)      \
        F(offset, u32, 0x04)    \
        F(size, u32, 0x08)
MEFW_LAYOUT(bpdt_entry, 0x0C, BPDT_ENTRY)

#define BPDT_TYPE_SECONDARY 5

/* Code partition directory. R1 (header version 1) has an 8-bit checksum at 0x0B and a 0x10-byte
 * header; R2 (version 2) a CRC-32 at 0x10 and a 0x14-byte header. */
#define CPD_HEADER(F, A)              \
        A(tag, 4, 0x00)               \
        F(count, u32, 0x04)           \
        F(header_version, u8, 0x08)   \
        F(entry_version, u8, 0x09)    \
        F(header_length, u8, 0x0A)    \
        F(checksum, u8, 0x0B)         \
        A(name, 4, 0x0C)
MEFW_LAYOUT(cpd_header, 0x10, CPD_HEADER)

#define CPD_ENTRY(F, A)          \
        A(name, 12, 0x00)        \
        F(offset_flags, u32, 0x0C) \
        F(size, u32, 0x10)       \
        F(reserved, u32, 0x14)
MEFW_LAYOUT(cpd_entry, 0x18, CPD_ENTRY)

#define CPD_OFFSET(v) ((v) & 0x1FFFFFFu)  /* from the $CPD tag */
#define CPD_HUFFMAN(v) (((v) >> 25) & 1u) /* Huffman-compressed (CSE dictionary) */

/* Extension header: tag and length in bytes, header included. */
#define CSE_EXT_HEADER(F, A)    \
        F(tag, u32, 0x00)       \
        F(length, u32, 0x04)
MEFW_LAYOUT(cse_ext_header, 0x08, CSE_EXT_HEADER)

/* 0x03 Partition Info: SHA-256 (R1) or SHA-384 (R2, CSME 16+) of the partition without its
 * manifest; the fields after the hash move with its size, and the SHA-384 tail is read
 * separately (the layouts below declare the 32 bytes every revision has). */
#define CSE_EXT03(F, A)               \
        A(name, 4, 0x08)              \
        F(partition_size, u32, 0x0C)  \
        A(hash, 32, 0x10)
MEFW_LAYOUT(cse_ext03, 0x30, CSE_EXT03)

/* 0x0A Module Attributes (in <module>.met). */
#define CSE_EXT0A(F, A)                 \
        F(compression, u8, 0x08)        \
        F(encryption, u8, 0x09)         \
        F(size_uncompressed, u32, 0x0C) \
        F(size_compressed, u32, 0x10)   \
        F(device_id, u16, 0x14)         \
        F(vendor_id, u16, 0x16)         \
        A(hash, 32, 0x18)
MEFW_LAYOUT(cse_ext0a, 0x38, CSE_EXT0A)

/* 0x0C Client System Info. */
#define CSE_EXT0C(F, A)                 \
        F(sku_caps, u32, 0x08)          \
        F(sku_attributes, u64, 0x28)
MEFW_LAYOUT(cse_ext0c, 0x30, CSE_EXT0C)

/* 0x0F Signed Package Info (R2 adds the firmware type and SKU bytes). */
#define CSE_EXT0F(F, A)               \
        A(name, 4, 0x08)              \
        F(vcn, u32, 0x0C)             \
        A(usage, 16, 0x10)            \
        F(arb_svn, u32, 0x20)         \
        F(fw_type, u8, 0x24)          \
        F(fw_sku, u8, 0x25)
MEFW_LAYOUT(cse_ext0f, 0x28, CSE_EXT0F)

/* 0x16 IFWI Partition Info. */
#define CSE_EXT16(F, A)               \
        A(name, 4, 0x08)              \
        F(partition_size, u32, 0x0C)  \
        F(hash_alg, u8, 0x20)         \
        A(hash, 32, 0x24)
MEFW_LAYOUT(cse_ext16, 0x44, CSE_EXT16)

/* 0x23 Signed Package Info v2. */
#define CSE_EXT23(F, A)               \
        A(name, 4, 0x08)              \
        F(vcn, u32, 0x0C)             \
        F(arb_svn, u32, 0x10)         \
        F(fw_type, u8, 0x16)          \
        F(fw_sku, u8, 0x17)
MEFW_LAYOUT(cse_ext23, 0x18, CSE_EXT23)

/* 0x32 SPS Platform ID: "RC"/"OP" and a two-letter platform code. */
#define CSE_EXT32(F, A)      \
        A(type, 2, 0x08)     \
        A(platform, 2, 0x0A)
MEFW_LAYOUT(cse_ext32, 0x0C, CSE_EXT32)

/* ---- MEI client messages (host <-> ME, little-endian) --------------------------------------- */

/* MKHI header: group, command (bit 7 set in answers), reserved, result (0 = success). */
#define MKHI_HEADER(F, A)           \
        F(group, u8, 0x00)          \
        F(command, u8, 0x01)        \
        F(reserved, u8, 0x02)       \
        F(result, u8, 0x03)
MEFW_LAYOUT(mkhi_header, 0x04, MKHI_HEADER)

/* One GET_FW_VERSION block; the byte above the major is the SPS platform. */
#define MKHI_FW_VERSION(F, A)       \
        F(minor, u16, 0x00)         \
        F(major, u8, 0x02)          \
        F(platform, u8, 0x03)       \
        F(build, u16, 0x04)         \
        F(hotfix, u16, 0x06)
MEFW_LAYOUT(mkhi_fw_version, 0x08, MKHI_FW_VERSION)

/* FWCAPS GET_RULE answer after the MKHI header: the rule id echoed, the data length, the data. */
#define MKHI_RULE(F, A)             \
        F(rule_id, u32, 0x00)       \
        F(length, u8, 0x04)
MEFW_LAYOUT(mkhi_rule, 0x05, MKHI_RULE)

/* AMTHI (PTHI) header: version 1.1, command (bit 23 set in answers), length of what follows. */
#define AMTHI_HEADER(F, A)          \
        F(major, u8, 0x00)          \
        F(minor, u8, 0x01)          \
        F(reserved, u16, 0x02)      \
        F(command, u32, 0x04)       \
        F(length, u32, 0x08)
MEFW_LAYOUT(amthi_header, 0x0C, AMTHI_HEADER)

/* One GetCodeVersions record: a counted description and a counted version string. */
#define AMTHI_VERSION_RECORD(F, A)  \
        F(desc_len, u16, 0x00)      \
        A(desc, 20, 0x02)           \
        F(value_len, u16, 0x16)     \
        A(value, 20, 0x18)
MEFW_LAYOUT(amthi_version_record, 0x2C, AMTHI_VERSION_RECORD)
