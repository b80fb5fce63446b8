#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Faults of real life, made certain: an input that shrinks while it is read, a signal in the
# middle of a write (tests/fault-shim.c, loaded with LD_PRELOAD); and what the safe writer does
# with links, devices, FIFOs, modes and owners; extract over its own input; a region cut in half;
# --json when a command fails; logs saved as UTF-16 or Windows-1252.
# Usage: test-faults.sh PATH-TO-MEFW PATH-TO-MAKE-SAMPLES PATH-TO-FAULT-SHIM
# Prints "N passed, N failed" last; exits non-zero on any failure.
set -u

mefw=${1:?usage: test-faults.sh MEFW MAKE-SAMPLES FAULT-SHIM}
make_samples=${2:?usage: test-faults.sh MEFW MAKE-SAMPLES FAULT-SHIM}
shim=${3:?usage: test-faults.sh MEFW MAKE-SAMPLES FAULT-SHIM}

# shellcheck source=tests/cli-lib.sh
source "$(dirname "$0")/cli-lib.sh"

if ! "$make_samples" "$tmp" >/dev/null 2>&1; then
        not_ok "make-samples builds the synthetic images"
        echo "$passed passed, $failed failed"
        exit 1
fi
spi="$tmp/synthetic-me9-spi-image.bin"
region="$tmp/synthetic-me9-region.bin"

# temp_files DIR: our temporary files left in DIR, if any
temp_files() {
        find "$1" -maxdepth 1 -name '*.mefw-*' 2>/dev/null
}

# shrunk ARGS...: run mefw while the shim cuts every mapped file named victim* to nothing
shrunk() {
        MEFW_SHIM_SHRINK=${SHRINK_SUFFIX:-victim.bin} LD_PRELOAD=$shim "$mefw" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
        rc=$?
}

# ---- inputs that shrink while they are read -------------------------------------------------

cp "$region" "$tmp/victim.bin"
shrunk analyze "$tmp/victim.bin"
expect_rc "analyze: a region that shrinks while mapped ends cleanly, not with SIGBUS" 3 "$rc"
if grep -q "changed" "$tmp/err"; then ok "analyze says the file changed"; else not_ok "analyze says the file changed" "$(cat "$tmp/err")"; fi

cp "$region" "$tmp/victim.bin"
shrunk analyze --json "$region" "$tmp/victim.bin"
expect_rc "analyze --json: the other input is still analyzed" 3 "$rc"
json_check "analyze --json: one report per input, the shrunk one says input-changed" \
        'len(doc) == 2 and doc[0]["version"] is not None and doc[1]["messages"][0]["code"] == "input-changed"'

cp "$spi" "$tmp/victim.bin"
shrunk ifd --unlock -o "$tmp/unlocked.bin" "$tmp/victim.bin"
expect_rc "ifd --unlock on a shrinking image" 3 "$rc"
no_output "ifd --unlock on a shrinking image writes nothing" "$tmp/unlocked.bin"

cp "$spi" "$tmp/victim.bin"
shrunk extract --json --region me -o "$tmp/me-out.bin" "$tmp/victim.bin"
expect_rc "extract --json on a shrinking image" 3 "$rc"
json_check "extract --json: a JSON document with the reason" \
        'doc["error"]["code"] == "input-changed" and doc["error"]["exit_code"] == 3'
no_output "extract on a shrinking image writes nothing" "$tmp/me-out.bin"

printf 'Intel(R) MEInfo Version: 9.0.20.1447\nFW Version: 9.0.20.1447 H\n' >"$tmp/victim.txt"
SHRINK_SUFFIX=victim.txt shrunk diagnose "$tmp/victim.txt"
expect_rc "diagnose on a log that shrinks while mapped" 3 "$rc"

# ---- a signal in the middle of a write ------------------------------------------------------

mkdir -p "$tmp/w"
MEFW_SHIM_SIGNAL_IN_FSYNC=15 LD_PRELOAD=$shim "$mefw" extract "$spi" --region me -o "$tmp/w/me.bin" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "SIGTERM during a write ends the process by that signal" 143 "$rc"
no_output "SIGTERM during a write: no output" "$tmp/w/me.bin"
left=$(temp_files "$tmp/w")
if [[ -z $left ]]; then ok "SIGTERM during a write: no temporary file left"; else not_ok "SIGTERM during a write: no temporary file left" "$left"; fi

printf 'old contents\n' >"$tmp/w/keep.bin"
MEFW_SHIM_SIGNAL_IN_FSYNC=2 LD_PRELOAD=$shim "$mefw" replace "$spi" --region me --with "$region" -o "$tmp/w/keep.bin" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "SIGINT during a write over an existing file" 130 "$rc"
if [[ $(cat "$tmp/w/keep.bin") == "old contents" && -z $(temp_files "$tmp/w") ]]; then
        ok "SIGINT during a write: the old file is untouched, nothing left"
else
        not_ok "SIGINT during a write: the old file is untouched, nothing left" "$(ls -la "$tmp/w")"
fi

# ---- where the output goes: links, devices, FIFOs, modes, owners ----------------------------

mkdir -p "$tmp/o/real"
printf 'x' >"$tmp/o/real/target.bin"
ln -s real/target.bin "$tmp/o/link.bin"
run extract "$spi" --region me -o "$tmp/o/link.bin"
expect_rc "extract -o SYMLINK" 0 "$rc"
if [[ -L $tmp/o/link.bin ]] && cmp -s "$tmp/o/real/target.bin" "$region"; then
        ok "a symlink is written through: the link stays, its target gets the region"
else
        not_ok "a symlink is written through" "$(ls -la "$tmp/o" "$tmp/o/real")"
fi
if [[ -z $(temp_files "$tmp/o") && -z $(temp_files "$tmp/o/real") ]]; then ok "symlink write: no temporary file left"; else not_ok "symlink write: no temporary file left"; fi

ln -s nowhere/at/all.bin "$tmp/o/dangling.bin"
run extract "$spi" --region me -o "$tmp/o/dangling.bin"
expect_rc "extract -o DANGLING-SYMLINK is refused" 1 "$rc"
if [[ -L $tmp/o/dangling.bin ]] && grep -q "points to nothing" "$tmp/err"; then ok "the dangling link stays, and why is said"; else not_ok "the dangling link stays, and why is said" "$(cat "$tmp/err")"; fi

mkfifo "$tmp/o/fifo"
run extract "$spi" --region me -o "$tmp/o/fifo"
expect_rc "extract -o FIFO is refused" 1 "$rc"
if [[ -p $tmp/o/fifo ]]; then ok "the FIFO is still a FIFO"; else not_ok "the FIFO is still a FIFO" "$(ls -la "$tmp/o/fifo")"; fi

if [[ $(id -u) == 0 ]]; then
        mknod "$tmp/o/null-device" c 1 3
        run extract "$spi" --region me -o "$tmp/o/null-device"
        expect_rc "extract -o DEVICE (as root) is refused" 1 "$rc"
        if [[ -c $tmp/o/null-device ]]; then ok "the device node is still a device node"; else not_ok "the device node is still a device node"; fi
else
        echo "SKIPPED: not root; the device-node check did not run (mknod needs root)"
fi

"$mefw" extract "$spi" --region me -o - >"$tmp/o/stdout.bin" 2>"$tmp/err"
rc=$?
expect_rc "extract -o - writes to standard output" 0 "$rc"
same_bytes "extract -o -: the region on standard output" "$tmp/o/stdout.bin" "$region"
no_output "extract -o -: no file named '-'" "$tmp/o/-"

cp "$spi" "$tmp/o/private.bin"
chmod 600 "$tmp/o/private.bin"
if [[ $(id -u) == 0 ]]; then
        chown 65534:65534 "$tmp/o/private.bin"
fi
run ifd --unlock -o "$tmp/o/private.bin" "$tmp/o/private.bin"
expect_rc "ifd --unlock in place" 0 "$rc"
mode=$(stat -c %a "$tmp/o/private.bin")
if [[ $mode == 600 ]]; then ok "an in-place edit keeps mode 0600"; else not_ok "an in-place edit keeps mode 0600" "mode is $mode"; fi
if [[ $(id -u) == 0 ]]; then
        owner=$(stat -c %u:%g "$tmp/o/private.bin")
        if [[ $owner == 65534:65534 ]]; then ok "an in-place edit keeps the owner"; else not_ok "an in-place edit keeps the owner" "owner is $owner"; fi
else
        echo "SKIPPED: not root; the owner check did not run"
fi

# ---- extract over its own input -------------------------------------------------------------

cp "$spi" "$tmp/o/full.bin"
run extract "$tmp/o/full.bin" --region me -o "$tmp/o/full.bin"
expect_rc "extract -o INPUT is refused" 1 "$rc"
same_bytes "extract -o INPUT: the full image is untouched" "$tmp/o/full.bin" "$spi"
run extract "$tmp/o/full.bin" --region me -o "$tmp/o/full.bin" --in-place
expect_rc "extract -o INPUT --in-place" 0 "$rc"
same_bytes "extract --in-place: the file is now the region" "$tmp/o/full.bin" "$region"

# ---- a region cut in half -------------------------------------------------------------------

size=$(stat -c %s "$region")
head -c $((size / 2)) "$region" >"$tmp/half.bin"
run analyze --json "$tmp/half.bin"
expect_rc "a region cut in half is an error" 1 "$rc"
json_check "the half says why: image-truncated" 'any(m["code"] == "image-truncated" for m in doc[0]["messages"])'
run analyze --json "$region"
json_check "the whole region is not truncated" 'not any(m["code"] == "image-truncated" for m in doc[0]["messages"])'

if [[ -n ${MEFW_CORPUS:-} && -d ${MEFW_CORPUS:-} ]]; then
        mkdir -p "$tmp/halves"
        for f in me8.1.70.1590_1.5MB_PRD_RGN.bin me9.1.37.1002_1.5MB_PRD_RGN.bin csme11.8.65.3590_CON_LP_C_NPDM_PRD_RGN.bin \
                txe1.1.4.1145_minnowboard-turbot_txe-region.bin me5.0.0.1081_DHBC_PRD_RGN.bin; do
                [[ -f $MEFW_CORPUS/$f ]] || continue
                size=$(stat -c %s "$MEFW_CORPUS/$f")
                head -c $((size / 2)) "$MEFW_CORPUS/$f" >"$tmp/halves/$f"
                run analyze --json "$tmp/halves/$f"
                expect_rc "half of $f is an error" 1 "$rc"
                json_check "half of $f: image-truncated" 'any(m["code"] == "image-truncated" for m in doc[0]["messages"])'
        done
        for f in me8.1.72.3002_thinkpad-x230_me_cleaner-shrunk.bin me8.1.30.1350_gigabyte-ga-b75m-d3h_me_cleaner-shrunk.bin; do
                [[ -f $MEFW_CORPUS/$f ]] || continue
                run analyze --json "$MEFW_CORPUS/$f"
                expect_rc "a region shrunk by me_cleaner stays a warning: $f" 0 "$rc"
                json_check "me_cleaner shrink: its own warning, no image-truncated" \
                        'not any(m["code"] == "image-truncated" for m in doc[0]["messages"]) and any(m["code"] == "region-shrunk" and m["severity"] == "warning" for m in doc[0]["messages"])'
        done
else
        echo "SKIPPED: MEFW_CORPUS is not set; the corpus halves were not checked"
fi

# ---- --json when a command fails ------------------------------------------------------------

for cmd in "status --from-log" "diagnose" "analyze" "ifd"; do
        # shellcheck disable=SC2086
        run $cmd "$tmp/does-not-exist.txt" --json
        expect_rc "$cmd --json on a missing file" 3 "$rc"
        valid_json "$cmd --json on a missing file"
done
run check-update --json --current "$tmp/does-not-exist.txt" "$region"
expect_rc "check-update --json --current MISSING" 3 "$rc"
valid_json "check-update --json --current MISSING"
run status --json --from-log "$tmp/does-not-exist.txt"
json_check "status --json on exit 3: the error and what was said" \
        'doc["error"]["exit_code"] == 3 and any("does-not-exist" in m for m in doc["error"]["messages"])'
run diagnose --json --no-such-option
expect_rc "diagnose --json with a bad option" 2 "$rc"
json_check "usage errors come as JSON too" 'doc["error"]["code"] == "usage"'

# ---- logs saved as UTF-16 or Windows-1252 ---------------------------------------------------

log_utf8="$tmp/log-utf8.txt"
printf 'Intel (R) Firmware Update Utility Version: 9.1.45.3000\r\nCommunication Mode: MEI\r\n' >"$log_utf8"
printf 'Sending the update image to FW for verification: [ COMPLETE ]\r\nFW Update: [ 21%% (Stage: 4 of 19) (-)]\r\n' >>"$log_utf8"
printf 'Error 8707: Firmware update failed due to an internal error\r\n' >>"$log_utf8"
printf 'Intel(R) MEInfo Version: 9.1.45.3000\r\nFW Version: 9.0.20.1447 H\r\n' >>"$log_utf8"
printf 'FW Status Register1: 0x1E000245\r\nFW Status Register2: 0x76442312\r\n' >>"$log_utf8"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$log_utf8"; } >"$tmp/log-utf16le.txt"
iconv -f UTF-8 -t UTF-16BE "$log_utf8" >"$tmp/log-utf16be.txt"
findings() {
        "$mefw" diagnose --json "$1" 2>/dev/null | python3 -c 'import json, sys; print(" ".join(f["id"] for f in json.load(sys.stdin)["findings"]))'
}
want=$(findings "$log_utf8")
for enc in utf16le utf16be; do
        got=$(findings "$tmp/log-$enc.txt")
        if [[ -n $want && $got == "$want" ]]; then ok "diagnose reads a $enc log as the UTF-8 one ($got)"; else not_ok "diagnose reads a $enc log as the UTF-8 one" "utf-8: $want" "$enc: $got"; fi
done
run status --json --from-log "$tmp/log-utf16le.txt"
json_check "status --from-log reads UTF-16LE" 'doc["fields"]["CurrentState"] == "Normal" and doc["fields"]["Phase"] == "FWUpdate"'

seed1="${MEFW_CORPUS:-/nonexistent}/../seeds/001_f5304ba1dc80ae64.txt"
if [[ -f $seed1 ]]; then
        { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$seed1"; } >"$tmp/seed1-utf16.txt"
        want=$(findings "$seed1")
        got=$(findings "$tmp/seed1-utf16.txt")
        if [[ -n $want && $got == "$want" ]]; then ok "seed 001 saved as UTF-16LE gives the same findings"; else not_ok "seed 001 saved as UTF-16LE gives the same findings" "utf-8: $want" "utf-16: $got"; fi
else
        echo "SKIPPED: seed 001 not found; the UTF-16 seed check did not run"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
