/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The flash room: the Intel flash descriptor (regions, masters, straps, VSCC), the chipset fact
 * tables it is decoded with, and the bytes of each region. It uses core/ only; the analysis of
 * a region's contents lives above it, in image/. These are its internal interfaces.
 */
#pragma once

#include <stddef.h>

#include "core/view.h"
#include "mefw/ifd.h"

/* Decode a descriptor at the start of the view (signature at 0x0 or 0x10). -ENOENT when none.
 * The caller owns ret->messages (mefw_messages_clear). */
int mefw_descriptor_parse(const mefw_view *file, mefw_ifd *ret);

/* Number of valid descriptor signatures on 4 KiB boundaries (a linear probe, one per 4 KiB). */
size_t mefw_descriptor_count(const mefw_view *file);
