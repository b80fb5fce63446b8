#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The mefw command line end to end: exit codes, --json output and its keys, colour handling,
# directory walking, unreadable input, and the full-image commands (ifd, extract, replace) on
# synthetic images. Usage: test-cli.sh PATH-TO-MEFW [PATH-TO-MAKE-SAMPLES]
# Real firmware is used only when MEFW_CORPUS points at the corpus; otherwise those checks are
# skipped with a message. Prints "N passed, N failed" last; exits non-zero on any failure.
set -u

mefw=${1:?usage: test-cli.sh PATH-TO-MEFW [PATH-TO-MAKE-SAMPLES]}
make_samples=${2:-}
if [[ ! -x $mefw ]]; then
        echo "test-cli.sh: $mefw is not executable"
        echo "0 passed, 1 failed"
        exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
        echo "test-cli.sh: python3 is needed to check the JSON output"
        echo "0 passed, 1 failed"
        exit 1
fi

# shellcheck source=tests/cli-lib.sh
source "$(dirname "$0")/cli-lib.sh"

# ---- input files ---------------------------------------------------------------------------

printf 'This is a text file, not firmware.\nSecond line.\n' >"$tmp/text.txt"
: >"$tmp/empty.bin"
# 64 KiB of deterministic pseudo-random bytes
python3 -c '
import sys
x = 0x9E3779B97F4A7C15
out = bytearray()
for _ in range(65536):
    x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 7
    x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
    out.append((x >> 24) & 0xFF)
sys.stdout.buffer.write(out)' >"$tmp/garbage.bin"
missing="$tmp/does-not-exist.bin"

# ---- usage errors: exit 2 ------------------------------------------------------------------

run
expect_rc "no arguments" 2 "$rc"
run analyze
expect_rc "analyze without input" 2 "$rc"
run analyze --no-such-option "$tmp/text.txt"
expect_rc "unknown option" 2 "$rc"
run analyze -Z "$tmp/text.txt"
expect_rc "unknown short option" 2 "$rc"
run frobnicate
expect_rc "unknown command" 2 "$rc"
if grep -q "unknown command" "$tmp/err"; then ok "unknown command is named on stderr"; else not_ok "unknown command is named on stderr" "$(cat "$tmp/err")"; fi

run --help
expect_rc "--help" 0 "$rc"
if grep -q "analyze" "$tmp/out"; then ok "--help lists analyze"; else not_ok "--help lists analyze"; fi
run analyze --help
expect_rc "analyze --help" 0 "$rc"
run --version
expect_rc "--version" 0 "$rc"

# ---- unreadable input: exit 3 --------------------------------------------------------------

run analyze "$missing"
expect_rc "missing file" 3 "$rc"
if grep -q "does-not-exist.bin" "$tmp/err"; then ok "missing file named on stderr"; else not_ok "missing file named on stderr" "$(cat "$tmp/err")"; fi

run analyze --json "$missing"
expect_rc "missing file --json" 3 "$rc"
valid_json "missing file --json"
json_check "missing file --json: array with one report" \
        'isinstance(doc, list) and len(doc) == 1 and doc[0]["file"].endswith("does-not-exist.bin")'
json_check "missing file --json: 'unreadable' error message" \
        'any(m["code"] == "unreadable" and m["severity"] == "error" for m in doc[0]["messages"])'

# unreadable wins over problems in other inputs
run analyze "$tmp/text.txt" "$missing"
expect_rc "text file and missing file" 3 "$rc"

# ---- no firmware: exit 1 -------------------------------------------------------------------

run analyze "$tmp/text.txt"
expect_rc "text file" 1 "$rc"
run analyze --json "$tmp/text.txt"
expect_rc "text file --json" 1 "$rc"
valid_json "text file --json"
json_check "text file: no-firmware error, no family" \
        'doc[0]["family"] is None and doc[0]["container"] == "unknown" and any(m["code"] == "no-firmware" for m in doc[0]["messages"])'

keys='["file", "container", "family", "version", "release", "type", "sku", "chipset", "pch", "tcb_svn",
       "arb_svn", "vcn", "pv", "date", "size", "fit_version", "signature", "key", "partitions", "modules",
       "components", "messages"]'
json_check "--json has the documented keys" "all(k in doc[0] for k in $keys)"
json_check "--json list-valued keys are lists" \
        'all(isinstance(doc[0][k], list) for k in ("partitions", "modules", "components", "messages"))'
json_check "--json message objects" \
        'all(set(m) >= {"severity", "code", "offset", "text"} for m in doc[0]["messages"])'

run analyze --json "$tmp/empty.bin"
expect_rc "empty file" 1 "$rc"
json_check "empty file: empty-file error" 'any(m["code"] == "empty-file" for m in doc[0]["messages"])'

run analyze --json "$tmp/garbage.bin"
expect_rc "random bytes" 1 "$rc"
valid_json "random bytes --json"
json_check "random bytes: no-firmware" \
        'doc[0]["family"] is None and any(m["code"] == "no-firmware" for m in doc[0]["messages"])'

run analyze -j "$tmp/text.txt" "$tmp/empty.bin"
expect_rc "two inputs, -j" 1 "$rc"
json_check "two inputs: two reports in order" \
        'len(doc) == 2 and doc[0]["file"].endswith("text.txt") and doc[1]["file"].endswith("empty.bin")'

# ---- colour ---------------------------------------------------------------------------------

NO_COLOR=1 "$mefw" analyze "$tmp/text.txt" "$tmp/garbage.bin" >"$tmp/out" 2>"$tmp/err" </dev/null
no_escapes "NO_COLOR stdout" "$tmp/out"
no_escapes "NO_COLOR stderr" "$tmp/err"
env -u NO_COLOR TERM=xterm "$mefw" analyze "$tmp/text.txt" "$tmp/garbage.bin" >"$tmp/out" 2>"$tmp/err" </dev/null
no_escapes "non-TTY stdout" "$tmp/out"
no_escapes "non-TTY stderr" "$tmp/err"
if grep -q "error" "$tmp/out"; then ok "human output names the error"; else not_ok "human output names the error" "$(cat "$tmp/out")"; fi

# With a terminal (script(1) provides one): colour unless NO_COLOR is set.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
        quoted_mefw=$(printf '%q' "$mefw")
        quoted_text=$(printf '%q' "$tmp/text.txt")
        env -u NO_COLOR TERM=xterm script -qec "$quoted_mefw analyze $quoted_text" /dev/null >"$tmp/tty" 2>&1 </dev/null
        if grep -q $'\x1b\[' "$tmp/tty"; then ok "TTY output is coloured"; else not_ok "TTY output is coloured" "$(od -c "$tmp/tty" | head -5)"; fi
        NO_COLOR=1 TERM=xterm script -qec "$quoted_mefw analyze $quoted_text" /dev/null >"$tmp/tty" 2>&1 </dev/null
        no_escapes "NO_COLOR on a TTY" "$tmp/tty"
        env -u NO_COLOR TERM=dumb script -qec "$quoted_mefw analyze $quoted_text" /dev/null >"$tmp/tty" 2>&1 </dev/null
        no_escapes "TERM=dumb on a TTY" "$tmp/tty"
        # a progress line for several files on a terminal, none under a pager or with --json
        NO_COLOR=1 script -qec "$quoted_mefw analyze $quoted_text $quoted_text" /dev/null >"$tmp/tty" 2>&1 </dev/null
        if grep -q "\[2/2\]" "$tmp/tty"; then ok "progress line on a terminal"; else not_ok "progress line on a terminal" "$(od -c "$tmp/tty" | head -5)"; fi
        NO_COLOR=1 script -qec "$quoted_mefw analyze $quoted_text $quoted_text | cat" /dev/null >"$tmp/tty" 2>&1 </dev/null
        if ! grep -q "\[2/2\]" "$tmp/tty"; then ok "no progress line under a pager"; else not_ok "no progress line under a pager" "$(od -c "$tmp/tty" | head -5)"; fi
        NO_COLOR=1 script -qec "$quoted_mefw analyze --json $quoted_text $quoted_text" /dev/null >"$tmp/tty" 2>&1 </dev/null
        if ! grep -q "\[2/2\]" "$tmp/tty"; then ok "no progress line with --json"; else not_ok "no progress line with --json" "$(od -c "$tmp/tty" | head -5)"; fi
else
        echo "SKIPPED: script(1) with a pseudo-terminal is not available; TTY colour checks did not run"
fi

# ---- directories ------------------------------------------------------------------------------

mkdir -p "$tmp/tree/sub"
cp "$tmp/text.txt" "$tmp/tree/b.txt"
cp "$tmp/garbage.bin" "$tmp/tree/sub/a.bin"
ln -s "$tmp/text.txt" "$tmp/tree/link.txt" 2>/dev/null || true
run analyze --json "$tmp/tree"
expect_rc "directory" 1 "$rc"
valid_json "directory --json"
json_check "directory: every file, sorted, a symlinked file followed" \
        'len(doc) == 3 and doc[0]["file"].endswith("tree/b.txt") and doc[1]["file"].endswith("tree/link.txt") and doc[2]["file"].endswith("tree/sub/a.bin")'
# a folder of links to images, a link back up (no loop) and a link to nothing (said, not skipped)
mkdir -p "$tmp/links"
ln -s "$tmp/tree" "$tmp/links/tree"
ln -s "$tmp/links" "$tmp/links/up"
ln -s "$tmp/no-such-file" "$tmp/links/dangling"
run analyze --json "$tmp/links"
expect_rc "directory of links with a dangling one" 3 "$rc"
json_check "directory of links: followed once, the loop cut, the dangling link named as unreadable" \
        'len(doc) == 4 and doc[0]["file"].endswith("links/dangling") and doc[0]["messages"][0]["code"] == "unreadable" and doc[1]["file"].endswith("links/tree/b.txt") and doc[3]["file"].endswith("links/tree/sub/a.bin")'

mkdir -p "$tmp/emptydir"
run analyze --json "$tmp/emptydir"
expect_rc "empty directory" 3 "$rc"
json_check "empty directory: empty array" 'doc == []'
if grep -q "holds no files to analyze" "$tmp/err"; then ok "empty directory: said so"; else not_ok "empty directory: said so" "$(cat "$tmp/err")"; fi

# standard input
"$mefw" analyze --json - <"$tmp/garbage.bin" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "analyze - (standard input)" 1 "$rc"
json_check "analyze -: read from standard input, named as such" 'len(doc) == 1 and doc[0]["file"] == "standard input"'

# ---- full SPI images: ifd, extract, replace (synthetic samples) ------------------------------

if [[ -z $make_samples ]]; then
        echo "SKIPPED: no make-samples program given; the ifd/extract/replace checks did not run"
elif ! mkdir -p "$tmp/s" || ! "$make_samples" "$tmp/s" >/dev/null 2>&1; then
        not_ok "make-samples builds the synthetic images"
else
        spi="$tmp/s/synthetic-me9-spi-image.bin"
        region="$tmp/s/synthetic-me9-region.bin"
        spi_sum=$(sha256sum "$spi")

        run ifd --json "$spi"
        expect_rc "ifd on a full image" 0 "$rc"
        json_check "ifd --json has every documented key" \
                'all(k in doc for k in ("file", "descriptor_offset", "descriptor_version", "chipset", "chipset_candidates", "flash_size", "components", "regions", "masters", "host_me_read", "host_me_write", "me_disable", "vscc", "messages"))'
        json_check "ifd: ME region, masters and access decoded" \
                '[r for r in doc["regions"] if r["name"] == "me"][0]["base"] == 0x1000 and doc["masters"][0]["name"] == "host" and "me" not in doc["masters"][0]["write"] and doc["host_me_write"] is False and doc["me_disable"] is None and len(doc["regions"]) == 7 and doc["regions"][4]["used"] is False and doc["chipset"].startswith("Lynx Point") and doc["chipset_refined"]'
        run analyze --json "$spi"
        json_check "analyze on a full image carries the descriptor" \
                'doc[0]["descriptor"]["regions"][2]["base"] == 0x1000 and doc[0]["version"] is not None'
        NO_COLOR=1 "$mefw" ifd "$spi" >"$tmp/out" 2>"$tmp/err" </dev/null
        if grep -q "0x00001000" "$tmp/out" && grep -qi "host access to me" "$tmp/out"; then
                ok "ifd human output lists regions and host access"
        else
                not_ok "ifd human output lists regions and host access" "$(head -20 "$tmp/out")"
        fi
        run ifd "$region"
        expect_rc "ifd on a bare region (no descriptor)" 1 "$rc"

        run ifd --unlock "$spi"
        expect_rc "ifd --unlock without -o" 2 "$rc"
        run ifd --unlock -o "$tmp/unlocked.bin" "$spi"
        expect_rc "ifd --unlock -o" 0 "$rc"
        run ifd --json "$tmp/unlocked.bin"
        json_check "unlocked: host may read and write the ME region" 'doc["host_me_read"] and doc["host_me_write"]'
        run ifd --me-disable hap -o "$tmp/hap.bin" "$spi"
        expect_rc "ifd --me-disable hap on a Lynx Point descriptor is refused" 1 "$rc"
        no_output "refused strap edit leaves no file" "$tmp/hap.bin"
        run ifd --me-disable altmedisable -o "$tmp/amd.bin" "$spi"
        expect_rc "ifd --me-disable altmedisable" 0 "$rc"
        run ifd --json "$tmp/amd.bin"
        json_check "AltMeDisable now set" 'doc["me_disable"] == "altmedisable"'
        run ifd --me-disable nonsense -o "$tmp/x.bin" "$spi"
        expect_rc "ifd --me-disable with an unknown kind" 2 "$rc"

        run extract "$spi" --region me -o "$tmp/me.bin"
        expect_rc "extract --region me" 0 "$rc"
        same_bytes "extracted ME region equals the region put in" "$tmp/me.bin" "$region"
        run extract "$spi" --region gbe -o "$tmp/gbe.bin"
        expect_rc "extract of an unused region" 1 "$rc"
        no_output "unused region: no file" "$tmp/gbe.bin"
        run extract "$spi" --region nosuch -o "$tmp/x.bin"
        expect_rc "extract of an unknown region name" 2 "$rc"
        run extract "$tmp/does-not-exist/x.bin" --region me -o "$tmp/x.bin"
        expect_rc "extract from a missing file" 3 "$rc"
        run extract "$spi" --region me -o "$tmp/no-such-dir/me.bin"
        expect_rc "extract into a missing directory" 1 "$rc"
        no_output "missing directory: nothing created" "$tmp/no-such-dir/me.bin"
        (cd "$tmp" && "$mefw" extract "$spi" --region me >/dev/null 2>&1 && "$mefw" extract "$spi" --region me >/dev/null 2>&1)
        expect_rc "extract will not overwrite its default output name" 1 "$?"

        run replace "$spi" --region me --with "$tmp/me.bin" -o "$tmp/round.bin"
        expect_rc "replace with the extracted region" 0 "$rc"
        same_bytes "extract + replace round trip is byte-identical" "$tmp/round.bin" "$spi"
        head -c 4096 "$region" >"$tmp/short.bin"
        run replace "$spi" --region me --with "$tmp/short.bin" -o "$tmp/short-out.bin"
        expect_rc "replace with something that is not firmware is refused" 1 "$rc"
        no_output "refused replacement leaves no file" "$tmp/short-out.bin"
        run replace "$spi" --region me --with "$tmp/short.bin" -o "$tmp/short-out.bin" --force --json
        expect_rc "replace --force" 0 "$rc"
        json_check "replace --json says it was forced and written" 'doc["written"] and doc["forced"] and doc["region"] == "me"'
        python3 -c 'import sys; sys.stdout.buffer.write(b"\xff" * (0x100000))' >"$tmp/huge.bin"
        run replace "$spi" --region me --with "$tmp/huge.bin" -o "$tmp/huge-out.bin" --force
        expect_rc "replace with a file larger than the region, even forced" 1 "$rc"
        no_output "too-large replacement leaves no file" "$tmp/huge-out.bin"
        run replace "$spi" --region me --with "$spi" -o "$tmp/nested.bin" --force
        expect_rc "replace with a full image is refused even forced when it does not fit" 1 "$rc"

        # A board maker's update file: the image behind a capsule or vendor header.
        for wrapped in "$tmp/s/synthetic-me9-bios-capsule.bin" "$tmp/s/synthetic-me9-vendor-image.bin"; do
                name=$(basename "$wrapped")
                run analyze --json "$wrapped"
                json_check "$name: the same engine as the bare image, the header named" \
                        'doc[0]["container"] in ("capsule", "vendor-image") and doc[0]["version"] == "9.0.31.1487" and doc[0]["image_offset"] in (0x800, 0xCC0) and doc[0]["container_header"] and doc[0]["descriptor"]["regions"][2]["base"] == 0x1000'
                run extract "$wrapped" --region me -o "$tmp/wrapped-me.bin"
                expect_rc "$name: extract --region me" 0 "$rc"
                same_bytes "$name: the extracted region equals the region put in" "$tmp/wrapped-me.bin" "$region"
                run ifd --unlock -o "$tmp/wrapped-unlocked.bin" "$wrapped"
                expect_rc "$name: ifd --unlock" 0 "$rc"
                if cmp -s <(head -c 2048 "$wrapped") <(head -c 2048 "$tmp/wrapped-unlocked.bin") &&
                   [[ $(stat -c %s "$wrapped") == $(stat -c %s "$tmp/wrapped-unlocked.bin") ]]; then
                        ok "$name: the edit keeps the header and the size"
                else
                        not_ok "$name: the edit keeps the header and the size"
                fi
                run analyze --json "$tmp/wrapped-unlocked.bin"
                json_check "$name: unlocked inside its header" 'doc[0]["descriptor"]["host_me_write"] is True and doc[0]["container"] in ("capsule", "vendor-image")'
                run replace "$wrapped" --region me --with "$region" -o "$tmp/wrapped-round.bin"
                expect_rc "$name: replace with the same region" 0 "$rc"
                same_bytes "$name: replace round trip is byte-identical" "$tmp/wrapped-round.bin" "$wrapped"
                rm -f "$tmp/wrapped-me.bin" "$tmp/wrapped-unlocked.bin" "$tmp/wrapped-round.bin"
        done

        # a flashrom layout file, Intel's recommended access back after an unlock, every region at once
        run ifd --layout "$spi"
        expect_rc "ifd --layout" 0 "$rc"
        if grep -qx "00001000:[0-9a-f]\{8\} me" "$tmp/out" && grep -qx "00000000:00000fff descriptor" "$tmp/out"; then
                ok "ifd --layout: start:end name lines, as flashrom's --layout reads them"
        else
                not_ok "ifd --layout: start:end name lines, as flashrom's --layout reads them" "$(cat "$tmp/out")"
        fi
        run ifd --lock -o "$tmp/relocked.bin" "$tmp/unlocked.bin"
        expect_rc "ifd --lock -o" 0 "$rc"
        run ifd --json "$tmp/relocked.bin"
        json_check "locked: the host reads its regions but may not write the engine region" \
                'doc["host_me_write"] is False and "bios" in doc["masters"][0]["write"] and "descriptor" in doc["masters"][0]["read"] and "me" in doc["masters"][1]["write"] and "bios" not in doc["masters"][1]["write"]'
        run ifd --lock --unlock -o "$tmp/x.bin" "$spi"
        expect_rc "ifd --lock with --unlock" 2 "$rc"
        run extract "$spi" --all -o "$tmp/all"
        expect_rc "extract --all" 0 "$rc"
        same_bytes "extract --all: the engine region file equals extract --region me" "$tmp/all/2-me.bin" "$tmp/me.bin"
        run extract "$spi" --all -o "$tmp/all"
        expect_rc "extract --all into a folder that holds the files is refused" 1 "$rc"
        run extract "$spi" --all --region me -o "$tmp/all2"
        expect_rc "extract --all with --region" 2 "$rc"
        rm -rf "$tmp/all"

        # standard input for images, --color, --summary
        "$mefw" ifd --json - <"$spi" >"$tmp/out" 2>"$tmp/err"
        json_check "ifd - reads the image from standard input" '[r for r in doc["regions"] if r["name"] == "me"][0]["base"] == 0x1000'
        "$mefw" extract - --region me -o "$tmp/me-stdin.bin" <"$spi" >/dev/null 2>&1
        same_bytes "extract - --region me: the same region as from the file" "$tmp/me-stdin.bin" "$tmp/me.bin"
        NO_COLOR=1 "$mefw" --color=always analyze "$tmp/text.txt" >"$tmp/out" 2>/dev/null
        if grep -q $'\033\[' "$tmp/out"; then ok "--color=always colours even with NO_COLOR and a pipe"; else not_ok "--color=always colours even with NO_COLOR and a pipe"; fi
        "$mefw" analyze --color=never "$tmp/text.txt" >"$tmp/out" 2>/dev/null
        if ! grep -q $'\033\[' "$tmp/out"; then ok "--color=never: no escape codes"; else not_ok "--color=never: no escape codes"; fi
        run analyze --color=sometimes "$spi"
        expect_rc "--color with an unknown word" 2 "$rc"
        run analyze --summary "$spi" "$region" "$tmp/text.txt"
        if [[ $(grep -c "  ME 9.0.31.1487  1.5MB  " "$tmp/out") == 2 ]] && grep -q "^3 files: 2 with engine firmware" "$tmp/out"; then
                ok "analyze --summary: a line per file and the totals"
        else
                not_ok "analyze --summary: a line per file and the totals" "$(cat "$tmp/out")"
        fi

        # the width of text output: 80 columns when not a terminal, the terminal's when it is one
        "$mefw" analyze --verbose "$tmp/s/synthetic-me9-bios-capsule.bin" "$spi" >"$tmp/out" 2>/dev/null
        widest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$tmp/out")
        if (( widest <= 80 && widest > 40 )); then ok "text output fits 80 columns when piped (widest $widest)"
        else not_ok "text output fits 80 columns when piped" "widest line: $widest"; fi
        if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
                NO_COLOR=1 script -qec "stty cols 64 rows 40; $(printf '%q' "$mefw") ifd $(printf '%q' "$spi")" /dev/null \
                        >"$tmp/tty" 2>&1 </dev/null
                widest=$(tr -d '\r' <"$tmp/tty" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
                if (( widest <= 64 && widest > 30 )); then ok "on a 64-column terminal the output fits it (widest $widest)"
                else not_ok "on a 64-column terminal the output fits it" "widest line: $widest" "$(head -5 "$tmp/tty")"; fi
        else
                echo "SKIPPED: no 'script' to give mefw a terminal; the terminal-width check did not run"
        fi

        # the worker pool: the same bytes, in input order, for any number of jobs
        "$mefw" analyze --json --jobs 1 "$tmp/s" >"$tmp/j1.json" 2>/dev/null
        "$mefw" analyze --json --jobs 4 "$tmp/s" >"$tmp/j4.json" 2>/dev/null
        "$mefw" analyze --jobs 3 "$tmp/s" "$tmp/s/synthetic-me9-region.bin" >"$tmp/j3.txt" 2>/dev/null
        "$mefw" analyze --jobs 1 "$tmp/s" "$tmp/s/synthetic-me9-region.bin" >"$tmp/j1.txt" 2>/dev/null
        if cmp -s "$tmp/j1.json" "$tmp/j4.json" && cmp -s "$tmp/j1.txt" "$tmp/j3.txt" && [[ -s $tmp/j1.json ]] &&
           python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) >= 6' "$tmp/j1.json"; then
                ok "analyze --jobs 1 and --jobs 4 write the same bytes"
        else
                not_ok "analyze --jobs 1 and --jobs 4 write the same bytes"
        fi
        run analyze --jobs 0 "$spi"
        expect_rc "analyze --jobs 0" 2 "$rc"

        # unpack: every part as a file, index.json with the hash of each, nothing outside DIR
        run unpack "$tmp/s/synthetic-me9-bios-capsule.bin" -o "$tmp/unpacked" --json
        expect_rc "unpack a capsule" 0 "$rc"
        json_check "unpack: the index lists regions, partitions and modules" \
                'any(f["kind"] == "descriptor" for f in doc["files"]) and any(f["path"] == "regions/2-me.bin" for f in doc["files"]) and any(f["kind"] == "partition" and f["name"] == "FTPR" for f in doc["files"]) and any(f["kind"] == "module" and f["name"] == "KERNEL" for f in doc["files"])'
        if python3 - "$tmp/unpacked" <<'EOF'
import hashlib, json, os, sys
root = sys.argv[1]
doc = json.load(open(os.path.join(root, "index.json")))
listed = {f["path"] for f in doc["files"]}
for f in doc["files"]:
    data = open(os.path.join(root, f["path"]), "rb").read()
    assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
    assert len(data) == f["size"], f["path"]
found = {os.path.relpath(os.path.join(d, n), root) for d, _, ns in os.walk(root) for n in ns} - {"index.json"}
assert found == listed, (found ^ listed)
EOF
        then ok "unpack: every file matches the hash and size in index.json, and nothing else was written"
        else not_ok "unpack: every file matches the hash and size in index.json, and nothing else was written"
        fi
        same_bytes "unpack: the engine region file equals the region put in" "$tmp/unpacked/regions/2-me.bin" "$region"
        sum_before=$(cd "$tmp/unpacked" && find . -type f -exec sha256sum {} + | sort)
        run unpack "$tmp/s/synthetic-me9-bios-capsule.bin" -o "$tmp/unpacked"
        expect_rc "unpack into a folder that already holds the files is refused" 1 "$rc"
        if [[ $(cd "$tmp/unpacked" && find . -type f -exec sha256sum {} + | sort) == "$sum_before" ]]; then
                ok "refused unpack changed nothing"
        else
                not_ok "refused unpack changed nothing"
        fi
        rm -f "$tmp/unpacked/regions/1-bios.bin"
        ln -s "$tmp/outside-target" "$tmp/unpacked/regions/1-bios.bin"
        run unpack "$tmp/s/synthetic-me9-bios-capsule.bin" -o "$tmp/unpacked" --force
        expect_rc "unpack --force never writes through a link" 1 "$rc"
        no_output "the link's target was not created" "$tmp/outside-target"
        rm -rf "$tmp/unpacked"
        mkdir -p "$tmp/hostile-box"
        run unpack "$tmp/s/synthetic-hostile-names.bin" -o "$tmp/hostile-box/out" --json
        expect_rc "unpack an image with hostile names" 0 "$rc"
        if [[ -z $(find "$tmp/hostile-box" -mindepth 1 -maxdepth 1 ! -name out) ]] &&
           ! find "$tmp/hostile-box/out" | LC_ALL=C grep -q '[^A-Za-z0-9._/-]' &&
           ! find "$tmp/hostile-box/out" -name '.*' | grep -q . &&
           json_check "hostile names: '../x' and '/etc/passwd' became safe names" \
                   'len(doc["files"]) == 5 and all(".." not in f["path"].split("/") and not f["path"].startswith("/") for f in doc["files"])'; then
                ok "unpack: hostile names stay inside DIR, as plain names"
        else
                not_ok "unpack: hostile names stay inside DIR, as plain names" "$(find "$tmp/hostile-box")"
        fi
        rm -rf "$tmp/hostile-box"

        # A write that fails half-way (file size limit) must leave nothing behind.
        (ulimit -f 256; "$mefw" replace "$spi" --region me --with "$tmp/me.bin" -o "$tmp/limited.bin" >"$tmp/out" 2>"$tmp/err" </dev/null)
        expect_rc "replace when the write fails (file size limit)" 1 "$?"
        no_output "failed write leaves no partial output" "$tmp/limited.bin"
        (ulimit -f 256; "$mefw" ifd --unlock "$spi" -o "$tmp/limited2.bin" >"$tmp/out" 2>"$tmp/err" </dev/null)
        expect_rc "ifd --unlock when the write fails" 1 "$?"
        no_output "failed edit leaves no partial output" "$tmp/limited2.bin"

        cp "$spi" "$tmp/inplace.bin"
        run replace "$tmp/inplace.bin" --region me --with "$tmp/short.bin" -o "$tmp/inplace.bin" --force
        expect_rc "replace over the input when the user names it" 0 "$rc"
        run analyze --json "$tmp/inplace.bin"
        json_check "the in-place result re-parses with the new region" 'doc[0]["descriptor"] is not None and doc[0]["version"] is None'
        if [[ $(sha256sum "$spi") == "$spi_sum" ]]; then ok "the input image was never changed"; else not_ok "the input image was never changed"; fi
fi

# ---- real firmware ---------------------------------------------------------------------------

me9="${MEFW_CORPUS:-}/me9.0.31.1487_1.5MB_PRD_RGN.bin"
if [[ -z ${MEFW_CORPUS:-} ]]; then
        echo "SKIPPED: MEFW_CORPUS is not set; the real-firmware CLI checks did not run"
elif [[ ! -f $me9 ]]; then
        echo "SKIPPED: $me9 not found; the real-firmware CLI checks did not run"
else
        run analyze --json "$me9"
        expect_rc "corpus ME 9 region" 0 "$rc"
        valid_json "corpus ME 9 region --json"
        json_check "corpus ME 9: version, signature, family" \
                'doc[0]["version"] == "9.0.31.1487" and doc[0]["signature"] == "valid" and doc[0]["family"] == "ME"'
        json_check "corpus ME 9: container, type, sku, chipset" \
                'doc[0]["container"] == "region" and doc[0]["type"] == "Stock" and doc[0]["sku"] == "1.5MB" and doc[0]["chipset"] == "LPT"'
        json_check "corpus ME 9: no error messages, modules listed" \
                'not any(m["severity"] == "error" for m in doc[0]["messages"]) and len(doc[0]["modules"]) > 0'
        NO_COLOR=1 "$mefw" analyze --verbose "$me9" >"$tmp/out" 2>"$tmp/err" </dev/null
        rc=$?
        expect_rc "corpus ME 9 region, human output" 0 "$rc"
        if grep -q "9.0.31.1487" "$tmp/out" && grep -q "valid" "$tmp/out"; then
                ok "human output shows version and signature"
        else
                not_ok "human output shows version and signature" "$(head -20 "$tmp/out")"
        fi
fi


# ---- mefw status ------------------------------------------------------------------------------
run status --hfsts 0x1E000245,0x76442312,0x00000200 --generation 9
expect_rc "status --hfsts ME 9" 0 "$rc"
cp "$tmp/out" "$tmp/status-hfsts"
for line in "CurrentState: Normal" "Phase: FWUpdate" "ICC: No valid OEM data, ICC programmed with default values" \
        "ME File System Corrupted: No" "FW Status Register3: 0x00000200"; do
        if grep -qxF "$line" "$tmp/status-hfsts"; then ok "status --hfsts prints '$line'"; else
                not_ok "status --hfsts prints '$line'" "$(head -20 "$tmp/status-hfsts")"; fi
done
run status --hfsts 0x1E000245,0x76442312 --generation 9 --check
expect_rc "status --check with only warnings" 0 "$rc"
grep -q "^  warn .*FWUpdate phase" "$tmp/out" && ok "status --check warns about the FWUpdate phase" ||
        not_ok "status --check warns about the FWUpdate phase" "$(cat "$tmp/out")"
run status --hfsts 0x1E040185,0x16520000 --generation 7 --check
expect_rc "status --check fails on the override jumper" 1 "$rc"
run status --hfsts 0x1E000245,0x76442312,0x200 --generation 9 --json --capabilities 0x41101960 --platform-type 0x72130302
expect_rc "status --json" 0 "$rc"
valid_json "status --json"
json_check "status --json keys and values" \
        'doc["registers"]["hfsts1"] == "0x1E000245" and doc["generation"]["family"] == "ME" and doc["generation"]["major"] == 9 and doc["fields"]["Phase"] == "FWUpdate" and doc["capabilities"]["bits"]["Intel(R) Dynamic Application Loader"] and not doc["capabilities"]["bits"]["Intel(R) Active Management Technology"] and doc["platform_type"]["ME Firmware Image Type"] == "1.5MB Firmware" and any(c["id"] == "icc" and c["verdict"] == "warn" for c in doc["checks"]) and doc["firmware"] is None'
run status --hfsts 0x3009065A --generation 5 --json
expect_rc "status ME 5" 0 "$rc"
json_check "status ME 5: raw, not decoded" \
        'doc["registers"]["hfsts1"] == "0x3009065A" and doc["fields"] == {} and any(m["code"] == "status-layout-undocumented" for m in doc["messages"])'
run status --hfsts 0x1E000245
expect_rc "status without a generation" 0 "$rc"
grep -q "generation is unknown" "$tmp/out" && ok "status says the generation is unknown" ||
        not_ok "status says the generation is unknown" "$(cat "$tmp/out")"
for bad in "0x1E0002450" "1E0002" "0xZZ" "" "1,2,3,4,5,6,7"; do
        run status --hfsts "$bad"
        expect_rc "status --hfsts '$bad' refused" 2 "$rc"
done
run status --hfsts 0x1 --generation amd
expect_rc "status --generation amd refused" 2 "$rc"
run status --hfsts 0x1 --from-log /dev/null
expect_rc "status --hfsts with --from-log refused" 2 "$rc"
printf 'hello\nnothing here\n' >"$tmp/nolog.txt"
run status --from-log "$tmp/nolog.txt"
expect_rc "status --from-log without registers" 3 "$rc"
grep -q "no status registers" "$tmp/err" && ok "status says the log has no registers" ||
        not_ok "status says the log has no registers" "$(cat "$tmp/err")"
run status --from-log "$tmp/does-not-exist.txt"
expect_rc "status --from-log missing file" 3 "$rc"
head -c 200000 /dev/urandom >"$tmp/junk.bin"
run status --from-log "$tmp/junk.bin"
if [[ $rc == 0 || $rc == 3 ]]; then ok "status --from-log on binary junk (exit $rc)"; else
        not_ok "status --from-log on binary junk" "exit $rc" "$(head -c 300 "$tmp/err")"; fi
printf 'Intel(R) MEInfo Version: 11.8.50.3425\r\nFW Status Register1: 0x94000245\r\nFW Status Register2: 0x69000506\r\n' |
        "$mefw" status --from-log - --json >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "status --from-log - (stdin)" 0 "$rc"
json_check "status from a CRLF log on stdin" \
        'doc["generation"]["family"] == "CSME" and doc["fields"]["OperationalState"] == "CM0 with UMA" and doc["source"] == "log"'

# Live, against fake sysfs trees: no ME at all, and an ME 9 whose /dev/mei0 does not exist here.
mkdir -p "$tmp/sys-none/bus/pci/devices" "$tmp/dev-empty"
run status --sysfs-root "$tmp/sys-none"
expect_rc "status on a machine without an ME" 3 "$rc"
grep -q "no Intel ME interface" "$tmp/err" && ok "status says there is no ME" ||
        not_ok "status says there is no ME" "$(cat "$tmp/err")"
d="$tmp/sys-me9/bus/pci/devices/0000:00:16.0"
mkdir -p "$d/mei/mei0"
printf '0x8086\n' >"$d/vendor"; printf '0x8c3a\n' >"$d/device"; printf '0x078000\n' >"$d/class"
head -c 64 /dev/zero >"$d/config"
printf '1E000245\n76442312\n00000200\n00000000\n00000000\n00000000\n' >"$d/mei/mei0/fw_status"
printf '0:9.0.20.1447\n0:9.0.20.1447\n0:9.0.20.1427\n' >"$d/mei/mei0/fw_ver"
MEFW_SYSFS_ROOT="$tmp/sys-me9" MEFW_DEV_ROOT="$tmp/dev-empty" "$mefw" status --json >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "status live on a fake ME 9 tree" 0 "$rc"
json_check "status live: registers from sysfs, version from fw_ver, no /dev/mei0 said" \
        'doc["source"] == "sysfs fw_status" and doc["device"]["pci_slot"] == "0000:00:16.0" and doc["firmware"]["code"] == "9.0.20.1447" and doc["generation"]["major"] == 9 and doc["fields"]["Phase"] == "FWUpdate" and any(m["code"] == "status-no-mei-device" for m in doc["messages"])'

seeds="${MEFW_CORPUS:-}/../seeds"
seed1="$seeds/001_f5304ba1dc80ae64.txt"
seed2="$seeds/002_aecf7ed58582513f.txt"
if [[ -z ${MEFW_CORPUS:-} || ! -f $seed1 || ! -f $seed2 ]]; then
        echo "SKIPPED: the forum seeds (../shared/seeds) are not here; the status acceptance checks did not run"
else
        # Every state line MEInfo printed in the seed, verbatim, from the registers alone and from the log.
        python3 - "$seed1" >"$tmp/seed-lines" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
start = next(i for i, l in enumerate(lines) if l.startswith("Intel(R) MEInfo Version"))
for l in lines[start + 1:]:
    if l.startswith("Get ME FWU"):
        break
    if ": " in l and not l.startswith(("FW Status Register", "Copyright")):
        print(l)
EOF
        n=$(wc -l <"$tmp/seed-lines")
        [[ $n -ge 11 ]] && ok "seed 001: $n MEInfo state lines to match" || not_ok "seed 001 MEInfo lines" "only $n"
        run status --from-log "$seed1"
        expect_rc "status --from-log seed 001" 0 "$rc"
        cp "$tmp/out" "$tmp/status-log"
        for which in hfsts log; do
                missing=$(grep -vxF -f "$tmp/status-$which" "$tmp/seed-lines")
                if [[ -z $missing ]]; then ok "seed 001: every MEInfo state line from --$which"; else
                        not_ok "seed 001: every MEInfo state line from --$which" "missing: $missing"; fi
        done
        if diff <(grep -xF -f "$tmp/seed-lines" "$tmp/status-hfsts") <(grep -xF -f "$tmp/seed-lines" "$tmp/status-log") >/dev/null; then
                ok "seed 001: --hfsts and --from-log agree"
        else
                not_ok "seed 001: --hfsts and --from-log agree"
        fi
        run status --from-log "$seed1" --json
        json_check "seed 001 JSON: ME 9.0.20.1447, capabilities and platform type from the log" \
                'doc["firmware"]["code"] == "9.0.20.1447" and doc["capabilities"]["raw"] == "0x41101960" and doc["capabilities"]["bits"]["Service Advertisement & Discovery"] and doc["platform_type"]["Platform Target Usage Type"] == "Desktop"'
        run status --from-log "$seed2" --json
        expect_rc "status --from-log seed 002" 0 "$rc"
        json_check "seed 002: the ME 5 value 0x3009065A shown raw, not decoded" \
                'doc["registers"]["hfsts1"] == "0x3009065A" and doc["fields"] == {} and doc["generation"]["major"] == 5'
        run status --from-log "$seed2" --entry 1 --json
        json_check "seed 002 entry 1: the zero register is a driver artifact" \
                'doc["registers"]["hfsts1"] == "0x00000000" and any(m["code"] == "status-driver-error" for m in doc["messages"])'
fi

# ---- mefw diagnose ----------------------------------------------------------------------------

run diagnose
expect_rc "diagnose without inputs" 2 "$rc"
run diagnose --bogus x.txt
expect_rc "diagnose with an unknown option" 2 "$rc"
run diagnose "$tmp/no-such-log.txt"
expect_rc "diagnose on a missing file" 3 "$rc"
printf 'Intel (R) Firmware Update Utility Version: 9.1.45.3000\nSending the update image to FW for verification: [ COMPLETE ]\nFW Update: [ 21%% (Stage: 4 of 19) (-)]\nError 8707: Firmware update failed due to an internal error\nIntel(R) MEInfo Version: 9.1.45.3000\nFW Version: 9.0.20.1447 H\n' >"$tmp/fwupd.txt"
run diagnose "$tmp/fwupd.txt"
expect_rc "diagnose on a failed update" 1 "$rc"
if head -n 1 "$tmp/out" | grep -q "^Verdict: FWUpdLcl 9.1.45.3000 is from the 9.1 branch" &&
   head -n 3 "$tmp/out" | tr -s ' \n' ' ' | grep -q "First step: .*ME System Tools v9.0" &&
   grep -q "aborted the update after accepting the image" "$tmp/out" && ! grep -q "line 4: Error 8707" "$tmp/out" &&
   grep -q "evidence lines and the sources not shown: --verbose lists them" "$tmp/out"; then
        ok "diagnose: the verdict and the first step come first; evidence only on request"
else
        not_ok "diagnose: the verdict and the first step come first" "$(head -c 800 "$tmp/out")"
fi
run diagnose --verbose "$tmp/fwupd.txt"
if grep -q "aborted the update after accepting the image" "$tmp/out" && grep -q "line 4: Error 8707" "$tmp/out" &&
   grep -q "Source: " "$tmp/out"; then
        ok "diagnose --verbose: the finding and its quoted line, with the line number, and sources"
else
        not_ok "diagnose --verbose: the finding and its quoted line" "$(head -c 800 "$tmp/out")"
fi
no_escapes "diagnose (not a TTY)" "$tmp/out"
run diagnose --json "$tmp/fwupd.txt"
valid_json "diagnose --json"
json_check "diagnose --json: machines with facts, findings with every key" \
        'doc["machines"][0]["firmware"] == "9.0.20.1447" and any(f["name"] == "firmware-version" and f["line"] == 6 for f in doc["machines"][0]["facts"]) and all(set(["id","severity","title","explanation","evidence","remedy","cause","steps","warnings","confidence","source"]) <= set(f) for f in doc["findings"]) and doc["findings"][0]["id"] == "tool-branch" and doc["findings"][0]["cause"] == "tool-branch" and doc["findings"][0]["steps"][0]["id"] == "use-matching-tools" and doc["verdict"] is True'
"$mefw" diagnose --json - <"$tmp/fwupd.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "diagnose - (standard input)" 1 "$rc"
json_check "diagnose -: standard input named as such" 'doc["inputs"][0]["name"] == "standard input"'
printf 'hello\nnothing here\n' >"$tmp/prose.txt"
run diagnose --json "$tmp/prose.txt"
json_check "diagnose on text of no tool: a finding says nothing was read" \
        'doc["findings"][0]["id"] == "nothing-read" and doc["machines"] == []'
head -c 300000 /dev/urandom >"$tmp/junk.bin"
run diagnose --json "$tmp/junk.bin"
valid_json "diagnose on binary junk"
if [[ -f "$tmp/s/synthetic-me9-region.bin" ]]; then
        run diagnose --json "$tmp/s/synthetic-me9-region.bin" "$tmp/fwupd.txt"
        json_check "diagnose with a firmware image: analyzed and compared with the machine" \
                'any(i["source"] == "file" and i["family"] == "ME" for i in doc["images"]) and doc["inputs"][0]["kind"] == "image"'
        run diagnose --json "$tmp/s/synthetic-me9-region-tampered.bin"
        json_check "diagnose with a tampered image: said to be damaged" \
                'any(f["id"] == "image-damaged" for f in doc["findings"])'
fi
if [[ -f "$seed1" && -f "$seed2" ]]; then
        run diagnose --json "$seed1"
        json_check "seed 001: the acceptance findings" \
                'set(["update-aborted","tool-branch","icc-default","update-phase","fpt-fallback-locked","image-match","manuf-summary","meinfo-9268"]) <= set(f["id"] for f in doc["findings"]) and [f["severity"] for f in doc["findings"] if f["id"] == "meinfo-9268"] == ["benign"]'
        run diagnose --json "$seed2"
        json_check "seed 002: two machines, 1275 artifact, TPM path, stalled upload, raw register" \
                'len(doc["machines"]) == 2 and doc["machines"][0]["firmware"] == "5.2.70.1046" and doc["machines"][1]["firmware"] == "5.0.1.1111" and set(["driver-artifact","tpm-path","tpm-upload-stalled","status-raw"]) <= set(f["id"] for f in doc["findings"])'
        for seed in "$seed1" "$seed2"; do
                run diagnose "$seed"
                lines=$(wc -l <"$tmp/out")
                if [ "$lines" -le 50 ] && head -n 1 "$tmp/out" | grep -q "^Verdict: "; then
                        ok "diagnose on seed $(basename "$seed" | cut -c1-3): the answer first, $lines lines (at most 50)"
                else
                        not_ok "diagnose on seed $(basename "$seed" | cut -c1-3): the answer first in at most 50 lines" "$lines lines"
                fi
        done
        run diagnose --verbose "$seed1" "$seed2"
        expect_rc "diagnose on both seeds at once" 1 "$rc"
        if grep -q "001_f5304ba1dc80ae64.txt:14: Error 8707" "$tmp/out"; then
                ok "diagnose on several files: evidence names its file and line"
        else
                not_ok "diagnose on several files: evidence names its file and line" "$(grep -m3 8707 "$tmp/out")"
        fi
else
        echo "SKIPPED: the forum seeds (../shared/seeds) are not here; the diagnose acceptance checks did not run"
fi

# ---- mefw check-update and mefw db ---------------------------------------------------------------

run check-update "$tmp/junk.bin"
expect_rc "check-update without a running firmware" 2 "$rc"
run check-update --version 9.0.20
expect_rc "check-update without an image" 2 "$rc"
run check-update --version 9.0.x.1 "$tmp/junk.bin"
expect_rc "check-update with a malformed --version" 2 "$rc"
run check-update --platform XL --version 9.0.20.1447 "$tmp/junk.bin"
expect_rc "check-update with a bad --platform" 2 "$rc"
run check-update --version 9.0.20.1447 "$tmp/does-not-exist.bin"
expect_rc "check-update on a missing image" 3 "$rc"
run check-update --current "$tmp/does-not-exist.txt" "$tmp/junk.bin"
expect_rc "check-update with a missing --current" 3 "$rc"
run check-update --json --version 9.0.20.1447 --sku 1.5MB --local-fwupdate enabled "$tmp/junk.bin"
expect_rc "check-update on junk: refused" 1 "$rc"
json_check "check-update --json: the documented keys; no engine -> refused" \
        'all(k in doc for k in ["current","image","verdict","rules","procedure","tool"]) and doc["verdict"] == "refused" and doc["tool"] is None'
run db
expect_rc "db: the built-in database" 0 "$rc"
run db --json
json_check "db --json: builds, advisories and keys counted" \
        'doc["builds"] > 2000 and doc["advisories"] >= 10 and doc["keys"] > 50 and doc["messages"] == []'
run db --export
expect_rc "db --export" 0 "$rc"
cp "$tmp/out" "$tmp/export.txt"
run db --db "$tmp/export.txt"
expect_rc "db --db on the export: every line read" 0 "$rc"
printf '[builds]\nME\t9.0.31.1487\t1.5MB\tPRD:RGN\nME\tbroken\n' >"$tmp/db-small.txt"
run db --json --db "$tmp/db-small.txt"
expect_rc "db --db with a malformed line" 1 "$rc"
json_check "db --db: the skipped line is named with its number; other sections stay built in" \
        'doc["builds"] == 1 and doc["keys"] > 50 and doc["messages"][0]["offset"] == 3'
printf 'no sections here\n' >"$tmp/db-none.txt"
run analyze --db "$tmp/db-none.txt" "$tmp/junk.bin"
expect_rc "analyze --db with an unusable database" 3 "$rc"

if [[ -n ${MEFW_CORPUS:-} && -f $me9 ]]; then
        me91="$MEFW_CORPUS/me9.1.37.1002_1.5MB_PRD_RGN.bin"
        run check-update --json --version 9.0.20.1447 --sku 1.5MB --local-fwupdate enabled "$me9"
        expect_rc "check-update 9.0.20.1447 -> 9.0.31.1487: allowed" 0 "$rc"
        json_check "check-update allowed: the 9.0 tool and its command line" \
                'doc["verdict"] == "allowed" and doc["tool"]["branch"] == "9.0" and doc["tool"]["command"] == "FWUpdLcl64 -f me9.0.31.1487_1.5MB_PRD_RGN.bin" and all(r["result"] == "pass" for r in doc["rules"])'
        run check-update --version 9.0.20.1447 --sku 1.5MB "$me9"
        expect_rc "check-update without the Local FWUpdate setting: unknown" 1 "$rc"
        if grep -q "^Verdict: unknown" "$tmp/out" && grep -q "local-fwupdate" "$tmp/out"; then
                ok "check-update says which rule could not be checked and what to give"
        else
                not_ok "check-update says which rule could not be checked" "$(head -c 600 "$tmp/out")"
        fi
        run check-update --json --version 9.0.20.1447 --sku 1.5MB --local-fwupdate enabled "$me91"
        json_check "check-update 9.0 -> 9.1: needs-reflash (branch)" \
                'doc["verdict"] == "needs-reflash" and [r["result"] for r in doc["rules"] if r["name"] == "branch"] == ["fail"]'
        run check-update --json --version 9.0.31.1487 --sku 1.5MB --local-fwupdate enabled "$me9"
        json_check "check-update same version: allowed with -allowsv" \
                'doc["verdict"] == "allowed" and "-allowsv" in doc["tool"]["switches"]'
        run check-update --json --version 9.0.20.1447 --sku 5MB --local-fwupdate enabled "$me9"
        json_check "check-update 1.5MB image on 5MB firmware: refused (SKU)" \
                'doc["verdict"] == "refused" and [r["result"] for r in doc["rules"] if r["name"] == "sku"] == ["fail"]'
        mkdir -p "$tmp/cands"
        cp "$me9" "$me91" "$tmp/cands/"
        cp "$tmp/junk.bin" "$tmp/cands/readme.bin"
        run check-update --json --version 9.0.20.1447 --sku 1.5MB --local-fwupdate enabled --image "$tmp/cands"
        expect_rc "check-update --image DIR: the best is allowed" 0 "$rc"
        json_check "check-update --image DIR: ranked, best named, non-firmware left out" \
                'doc["best"].endswith("me9.0.31.1487_1.5MB_PRD_RGN.bin") and [c["verdict"] for c in doc["candidates"]] == ["allowed","needs-reflash"] and doc["skipped"] == 1'
        run check-update --json --current "$me9" "$me91"
        json_check "check-update --current DUMP: the state comes from the dump" \
                'doc["current"]["source"] == "image" and doc["current"]["version"] == "9.0.31.1487" and doc["current"]["vcn"] == 3'
        run analyze --json "$me9"
        json_check "analyze: the newest known 9.0 1.5MB build, no advisory" \
                'doc[0]["latest"]["is_latest"] and doc[0]["latest"]["version"] == "9.0.31.1487" and doc[0]["latest"]["sku"] == "1.5MB" and doc[0]["advisories"] == []'
        run analyze --json "$MEFW_CORPUS/csme11.8.65.3590_CON_LP_C_NPDM_PRD_RGN.bin"
        json_check "analyze: CSME 11.8.65 is affected by INTEL-SA-00295 (fixed in 11.8.77)" \
                '[a["fixed"] for a in doc[0]["advisories"] if a["id"] == "INTEL-SA-00295"] == ["11.8.77"]'
        run analyze --json "$MEFW_CORPUS/csme11.8.96.4657_CON_H_D_PRD_RGN_Intel-named.bin"
        json_check "analyze: CSME 11.8.96 is not affected by INTEL-SA-00295" \
                'not any(a["id"] == "INTEL-SA-00295" for a in doc[0]["advisories"])'
        if [[ -f "$seed1" ]]; then
                run check-update --json --current "$seed1" "$me9"
                json_check "check-update --current seed 001: the board's log decides; allowed with the 9.0 tool" \
                        'doc["current"]["source"] == "log" and doc["current"]["version"] == "9.0.20.1447" and doc["verdict"] == "allowed" and doc["tool"]["branch"] == "9.0"'
        fi
else
        echo "SKIPPED: MEFW_CORPUS is not set; the check-update acceptance checks did not run"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
