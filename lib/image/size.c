/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The firmware's size inside its region, shared by the ME (analyze.c) and CSE (cse_fields.c) paths. */
#include "internal.h"
#include "core/util.h"

/*
 * Firmware size and the messages that compare it with the region and the file. 'start' is where
 * the firmware begins in the region view, 'end' where it ends, relative to 'start'.
 */
void mefw_derive_size(mefw_ctx *ctx, const mefw_view *region, uint64_t region_size, bool from_descriptor, size_t start,
                      uint64_t end) {
        mefw_firmware *fw = &ctx->report->fw;
        if (end == 0)
                return;
        uint64_t size = align_up_u64(end, 0x1000); /* partitions are 4 KiB aligned */
        fw->has_size = true;
        fw->size = size;

        uint64_t present = region->size > start ? region->size - start : 0;
        uint64_t base = mefw_view_abs(region, start);
        if (from_descriptor) {
                uint64_t avail = region_size - start;
                if (size > avail)
                        ctx_msg(ctx, MEFW_WARNING, "firmware-exceeds-region", base,
                                "firmware size 0x%" PRIX64 " exceeds the engine region (0x%" PRIX64 " bytes): "
                                "possible data loss",
                                size, avail);
                else if (size < present && !mefw_view_all(region, (size_t) (start + size), (size_t) (present - size), 0xFF))
                        ctx_msg(ctx, MEFW_WARNING, "data-in-region-padding", base + size,
                                "the engine region holds data after the end of the firmware (0x%" PRIX64 "): "
                                "possible corruption or leftovers of another image",
                                size);
                return;
        }
        if (size > present) {
                if (end <= present)
                        ctx_msg(ctx, MEFW_NOTE, "missing-alignment-padding", base + present,
                                "the file ends at 0x%" PRIX64 ", without the optional padding to the firmware's 4 KiB "
                                "boundary (0x%" PRIX64 ")",
                                present, size);
                else
                        ctx_msg(ctx, MEFW_WARNING, "firmware-exceeds-file", base + present,
                                "firmware size 0x%" PRIX64 " exceeds the file (0x%" PRIX64 " bytes): possible data "
                                "loss, or a region shrunk by me_cleaner",
                                size, present);
        } else if (size < present) {
                if (mefw_view_all(region, (size_t) (start + size), (size_t) (present - size), 0xFF))
                        ctx_msg(ctx, MEFW_NOTE, "harmless-end-padding", base + size,
                                "the file has 0x%" PRIX64 " bytes of harmless 0xFF padding after the firmware",
                                present - size);
                else
                        ctx_msg(ctx, MEFW_WARNING, "data-in-padding", base + size,
                                "the file is larger than the firmware (0x%" PRIX64 ") and the excess holds data",
                                size);
        }
}

bool mefw_data_cut(const mefw_view *v, uint64_t off, uint64_t len) {
        if (off >= v->size || len <= v->size - off)
                return false;
        return !mefw_view_all(v, (size_t) off, (size_t) (v->size - off), 0xFF);
}

void mefw_report_cut(mefw_ctx *ctx, uint64_t abs_end, const char *what) {
        if (ctx->cut_reported)
                return;
        ctx->cut_reported = true;
        ctx_msg(ctx, MEFW_ERROR, "image-truncated", abs_end,
                "the file ends at 0x%" PRIX64 ", before the end of %s: the image is incomplete (an interrupted "
                "download, copy or dump), not a region shrunk on purpose by me_cleaner; do not flash it",
                abs_end, what);
}
