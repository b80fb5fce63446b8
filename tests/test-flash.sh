#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mefw flash on chips that flashrom's dummy programmer emulates from a file: the backup (read
# twice, kept, equal to the chip before), only changed regions written, the chip afterwards equal
# to the expected image byte for byte, a second run that changes nothing, refusals that leave the
# chip alone, a write-protected chip whose failed write leaves the backup and says the chip's
# state, and no stray file anywhere. Synthetic images always; the corpus's descriptor/region pairs
# when MEFW_CORPUS is set. Skips, saying so, when mefw was built without libflashrom.
# Usage: test-flash.sh PATH-TO-MEFW PATH-TO-MAKE-SAMPLES
set -u

mefw=${1:?usage: test-flash.sh PATH-TO-MEFW PATH-TO-MAKE-SAMPLES}
make_samples=${2:?usage: test-flash.sh PATH-TO-MEFW PATH-TO-MAKE-SAMPLES}
# shellcheck source=tests/cli-lib.sh
source "$(dirname "$0")/cli-lib.sh"

"$mefw" flash --programmer dummy --read "$tmp/x.bin" >"$tmp/out" 2>"$tmp/err" </dev/null
if grep -q "without libflashrom" "$tmp/err"; then
        echo "SKIPPED: mefw was built without libflashrom (Debian: libflashrom-dev); the flash tests did not run"
        echo "0 passed, 0 failed"
        exit 77
fi
rm -f "$tmp/x.bin"

mkdir -p "$tmp/s" "$tmp/work"
"$make_samples" "$tmp/s" >/dev/null 2>&1 || { not_ok "make-samples"; echo "$passed passed, $failed failed"; exit 1; }
cd "$tmp/work" || exit 1
spi="$tmp/s/synthetic-me9-spi-image.bin"
region="$tmp/s/synthetic-me9-region.bin"
size=$(stat -c %s "$spi")

# dummy chip from a file; the image is used only when its size is the chip's
chip() { echo "dummy:emulate=VARIABLE_SIZE,size=$(stat -c %s "$1"),image=$1"; }

# The chip holds the synthetic image with its engine region changed in one module byte; the new
# region is the intact one. Both carry the test key, which the policy refuses: --force is needed,
# and the refusal must leave the chip alone.
cp "$spi" "$tmp/chip.bin"
python3 - "$tmp/chip.bin" <<'EOF'
import sys
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
d[0x1000 + 0x3000 + 0x900] ^= 0xFF   # inside the FTPR partition's data
open(p, "wb").write(d)
EOF
cp "$tmp/chip.bin" "$tmp/chip-before.bin"

run flash --programmer "$(chip "$tmp/chip.bin")" --region me --yes --backup "$tmp/b0.bin" "$region"
expect_rc "flash: a region the policy refuses" 1 "$rc"
cmp -s "$tmp/chip.bin" "$tmp/chip-before.bin" && ok "refused: the chip is unchanged" || not_ok "refused: the chip is unchanged"
grep -q "signature" "$tmp/err" && ok "refused: the rule is named" || not_ok "refused: the rule is named" "$(cat "$tmp/err")"
cmp -s "$tmp/b0.bin" "$tmp/chip-before.bin" && ok "refused: the backup was still made, equal to the chip" ||
        not_ok "refused: the backup was still made, equal to the chip"

run flash --programmer "$(chip "$tmp/chip.bin")" --region me --dry-run --backup "$tmp/b1.bin" "$region"
expect_rc "flash --dry-run (forced rules aside: refused before a plan)" 1 "$rc"
run flash --programmer "$(chip "$tmp/chip.bin")" --region me --dry-run --force --backup "$tmp/b1b.bin" "$region"
expect_rc "flash --dry-run --force" 0 "$rc"
grep -q "Plan: write 1 region" "$tmp/out" && ok "dry run: the plan names one region" || not_ok "dry run: the plan names one region" "$(cat "$tmp/out")"
cmp -s "$tmp/chip.bin" "$tmp/chip-before.bin" && ok "dry run: the chip is unchanged" || not_ok "dry run: the chip is unchanged"

run flash --programmer "$(chip "$tmp/chip.bin")" --region me --force --backup "$tmp/b2.bin" "$region"
expect_rc "flash without a terminal and without --yes" 1 "$rc"
cmp -s "$tmp/chip.bin" "$tmp/chip-before.bin" && ok "no confirmation: the chip is unchanged" || not_ok "no confirmation: the chip is unchanged"

run flash --programmer "$(chip "$tmp/chip.bin")" --region me --force --yes --backup "$tmp/b3.bin" "$region"
expect_rc "flash --region me --force --yes" 0 "$rc"
cmp -s "$tmp/chip.bin" "$spi" && ok "the chip now equals the intended image byte for byte" ||
        not_ok "the chip now equals the intended image byte for byte" "$(cmp "$tmp/chip.bin" "$spi")"
cmp -s "$tmp/b3.bin" "$tmp/chip-before.bin" && ok "the backup equals the chip before" || not_ok "the backup equals the chip before"
grep -q "me 0x1000-" "$tmp/out" && ! grep -q "bios 0x" "$tmp/out" && ok "only the engine region was written" ||
        not_ok "only the engine region was written" "$(cat "$tmp/out")"
run flash --programmer "$(chip "$tmp/chip.bin")" --region me --force --yes --backup "$tmp/b4.bin" "$region"
expect_rc "a second run" 0 "$rc"
grep -q "Nothing to write" "$tmp/out" && ok "a second run changes nothing" || not_ok "a second run changes nothing" "$(cat "$tmp/out")"

# a whole image of the wrong size, and a backup that would replace a file
run flash --programmer "$(chip "$tmp/chip.bin")" --yes --backup "$tmp/b5.bin" "$region"
expect_rc "flash of a whole image of another size" 1 "$rc"
run flash --programmer "$(chip "$tmp/chip.bin")" --yes --backup "$tmp/b3.bin" "$spi"
expect_rc "a backup never replaces a file" 1 "$rc"
cmp -s "$tmp/b3.bin" "$tmp/chip-before.bin" && ok "the old backup is intact" || not_ok "the old backup is intact"

# --read: the verified backup only
run flash --programmer "$(chip "$tmp/chip.bin")" --read "$tmp/read.bin"
expect_rc "flash --read" 0 "$rc"
cmp -s "$tmp/read.bin" "$tmp/chip.bin" && ok "--read equals the chip" || not_ok "--read equals the chip"

# A write-protected chip (W25Q128FV, 16 MiB, block protection locked by the WP pin): the write
# fails, the chip is as before, the backup is there, and the message says so.
python3 - "$tmp/chip-before.bin" "$tmp/wp.bin" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d + b"\xff" * ((16 << 20) - len(d)))
EOF
cp "$tmp/wp.bin" "$tmp/wp-before.bin"
run flash --programmer "dummy:emulate=W25Q128FV,hwwp=yes,spi_status=0x9c,image=$tmp/wp.bin" --region me --force --yes \
        --backup "$tmp/wp-backup.bin" "$region"
expect_rc "flash on a write-protected chip" 1 "$rc"
cmp -s "$tmp/wp.bin" "$tmp/wp-before.bin" && ok "protected chip: unchanged" || not_ok "protected chip: unchanged"
cmp -s "$tmp/wp-backup.bin" "$tmp/wp-before.bin" && ok "protected chip: the backup is in place" ||
        not_ok "protected chip: the backup is in place"
grep -q "still holds what it held before" "$tmp/err" && grep -q "wp-backup.bin" "$tmp/err" &&
        ok "protected chip: the message names the chip's state and the backup" ||
        not_ok "protected chip: the message names the chip's state and the backup" "$(cat "$tmp/err")"

# nothing stray: no temporary or default-named file in the working folder
if [[ -z $(ls -A "$tmp/work") ]]; then ok "no stray file in the working folder"; else not_ok "no stray file in the working folder" "$(ls -A "$tmp/work")"; fi

# The corpus: a board's own configured CSME 11.8 region written over the Intel stock region of
# the same line (the repair experts give), on a full image rebuilt from the corpus pair.
corpus=${MEFW_CORPUS:-}
d="$corpus/ifd_starlabs-labtop-mk3_descriptor.bin"
stock="$corpus/csme11.8.65.3590_CON_LP_C_NPDM_PRD_RGN.bin"
board="$corpus/csme11.8.79.3722_starlabs-labtop-mk3_me-region.bin"
if [[ -n $corpus && -f $d && -f $stock && -f $board ]]; then
        python3 - "$d" "$stock" "$board" "$tmp/c-chip.bin" "$tmp/c-expected.bin" <<'EOF'
import sys
d, stock, board = (open(p, "rb").read() for p in sys.argv[1:4])
img = bytearray(b"\xff" * (8 << 20))
img[:len(d)] = d
img[0x1000:0x1000 + len(stock)] = stock
for i in range(0x200000, 0x210000):
    img[i] = (i * 7) & 0xFF   # something in the BIOS region, which must stay as it is
open(sys.argv[4], "wb").write(img)
img[0x1000:0x200000] = b"\xff" * 0x1FF000
img[0x1000:0x1000 + len(board)] = board
open(sys.argv[5], "wb").write(img)
EOF
        cp "$tmp/c-chip.bin" "$tmp/c-before.bin"
        run flash --programmer "$(chip "$tmp/c-chip.bin")" --region me --yes --backup "$tmp/c-backup.bin" "$board"
        expect_rc "corpus: the board's configured 11.8 region over the stock one" 0 "$rc"
        cmp -s "$tmp/c-chip.bin" "$tmp/c-expected.bin" && ok "corpus: the chip equals the expected image" ||
                not_ok "corpus: the chip equals the expected image"
        cmp -s "$tmp/c-backup.bin" "$tmp/c-before.bin" && ok "corpus: the backup equals the chip before" ||
                not_ok "corpus: the backup equals the chip before"
        run flash --programmer "$(chip "$tmp/c-chip.bin")" --region me --yes --backup "$tmp/c-backup2.bin" "$stock"
        expect_rc "corpus: the stock region back over the configured one is refused" 1 "$rc"
        grep -q "configuration" "$tmp/err" && ok "corpus: the refusal names the lost configuration" ||
                not_ok "corpus: the refusal names the lost configuration" "$(cat "$tmp/err")"
        cmp -s "$tmp/c-chip.bin" "$tmp/c-expected.bin" && ok "corpus: refused, the chip is unchanged" ||
                not_ok "corpus: refused, the chip is unchanged"
else
        echo "SKIPPED: MEFW_CORPUS is not set (or lacks the Star LabTop Mk III pair); the corpus flash checks did not run"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
