#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Rebuilds full SPI images from the corpus's descriptor + ME region pairs (MANIFEST.tsv rows whose
# description says "pairs with ifd_....bin") and checks mefw on them:
#   1. `analyze` reports the same firmware for the full image as for the bare region;
#   2. the full image's report shows the descriptor's ME region;
#   3. `extract` / `replace` round-trip the ME region byte for byte;
#   4. `replace` refuses firmware of another family or major version unless --force;
#   5. `replace` refuses a file larger than the region, even with --force;
#   6. `extract` into a missing directory fails and creates nothing.
# Images are built in a temporary directory that is deleted afterwards.
#
# Usage: corpus-full-images.py MEFW CORPUS_DIR
# Exit: 0 all checks passed, 1 a check failed, 77 skipped (no corpus).
# The last line printed is always "N passed, N failed" (except when skipping).
import fnmatch
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

# Firmware fields that must not change when the region sits inside a full image.
FIELDS = ["family", "version", "release", "type", "sku", "chipset", "pch", "tcb_svn", "arb_svn",
          "vcn", "pv", "date", "size", "fit_version", "signature", "key"]
IFD_SIG = b"\x5a\xa5\xf0\x0f"

passed = 0
failed = 0


def check(ok, name, field, expected, got):
    """Counts one check; prints a line only when it fails."""
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {field}: expected {expected!r}, got {got!r}")
    return ok


def hexval(v):
    """Integers as hex for messages; other values unchanged."""
    return hex(v) if isinstance(v, int) and not isinstance(v, bool) else v


def run(*args):
    """Runs mefw; returns (exit code or None on timeout, stdout)."""
    try:
        r = subprocess.run(list(args), capture_output=True, text=True, timeout=300)
        return r.returncode, r.stdout
    except subprocess.TimeoutExpired:
        return None, ""


def read_pairs(corpus):
    """(region file, descriptor file) for every MANIFEST row that says 'pairs with ifd_X.bin'."""
    pairs = []
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        for row in f.read().splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 7 or "pairs with ifd_" not in cols[6]:
                continue
            desc = cols[6].split("pairs with ", 1)[1].split()[0].rstrip(",;.)")
            pairs.append((cols[0], desc))
    return pairs


def ifd_regions(desc):
    """{index: (base, limit)} of FLREG0..4, decoded directly from the descriptor bytes."""
    flmap0 = struct.unpack_from("<I", desc, 0x14)[0]
    frba = ((flmap0 >> 16) & 0xFF) << 4
    regions = {}
    for i in range(5):
        v = struct.unpack_from("<I", desc, frba + 4 * i)[0]
        regions[i] = ((v & 0x7FFF) << 12, (((v >> 16) & 0x7FFF) << 12) | 0xFFF)
    return regions


def analyze(mefw, path):
    """(exit code, first report object or None)."""
    rc, out = run(mefw, "analyze", "--json", path)
    try:
        rep = json.loads(out)
        rep = rep[0] if isinstance(rep, list) else rep
        return rc, rep if isinstance(rep, dict) else None
    except (ValueError, IndexError):
        return rc, None


def firmware(rep):
    """The firmware fields: a `firmware` object if the report has one, else the top level."""
    return rep["firmware"] if isinstance(rep.get("firmware"), dict) else rep


def shifted(lst, keys, base):
    """Projection of a list of report objects on `keys`; `offset` is made region-relative."""
    out = []
    for o in lst if isinstance(lst, list) else []:
        o = o if isinstance(o, dict) else {}
        t = tuple(o.get(k) for k in keys if k != "offset")
        if "offset" in keys:
            off = o.get("offset")
            t += (off - base if isinstance(off, int) else off,)
        out.append(t)
    return out


def check_analyze(mefw, name, image, rfile, base, limit, shift=None):
    """The image's report against the region's; `shift` is where the region starts in the file
    (its base, unless the image sits behind a header); descriptor offsets are the image's own."""
    shift = base if shift is None else shift
    rc_i, img = analyze(mefw, image)
    rc_r, rgn = analyze(mefw, rfile)
    ok_i = check(img is not None, name, "analyze --json (image)", "a report", f"exit {rc_i}")
    ok_r = check(rgn is not None, name, "analyze --json (region)", "a report", f"exit {rc_r}")
    if not (ok_i and ok_r):
        return
    if rc_i != rc_r:  # not a check (the brief compares fields), but worth seeing: list the cause
        extra = sorted({m.get("code") or m.get("text", "?")[:60] for m in img.get("messages") or []
                        if isinstance(m, dict) and m.get("severity") == "error"})
        print(f"note {name}: analyze exits {rc_i} on the image, {rc_r} on the region; image errors: {extra}")
    fi, fr = firmware(img), firmware(rgn)
    for key in FIELDS:
        if key in fi or key in fr:
            check(fi.get(key, "<missing>") == fr.get(key, "<missing>"), name, key,
                  fr.get(key, "<missing>"), fi.get(key, "<missing>"))
    for key, proj in (("manifests", ["partition", "version", "signature", "key", "offset"]),
                      ("modules", ["partition", "name", "hash"])):
        if key in fi or key in fr:
            a, b = shifted(fr.get(key), proj, 0), shifted(fi.get(key), proj, shift)
            diff = next((i for i in range(max(len(a), len(b))) if a[i:i + 1] != b[i:i + 1]), None)
            check(diff is None, name, f"{key}[{diff}] {tuple(proj)}",
                  a[diff] if diff is not None and diff < len(a) else "none",
                  b[diff] if diff is not None and diff < len(b) else "none")
    # The full image's report names the descriptor's ME region.
    desc = img.get("descriptor", fi.get("descriptor"))
    regs = desc.get("regions") if isinstance(desc, dict) else None
    me = next((r for r in regs or [] if isinstance(r, dict) and r.get("name") == "me"), None)
    got = (me.get("base"), me.get("limit")) if me else None
    check(got == (base, limit), name, "descriptor me region (base, limit)", f"({base:#x}, {limit:#x})",
          str(tuple(hexval(x) for x in got)) if me else "no descriptor.regions entry named 'me'")


def file_diff(path, data):
    """None when `path` holds exactly `data`, else how it differs."""
    if not os.path.isfile(path):
        return "no output file"
    with open(path, "rb") as f:
        got = f.read()
    if len(got) != len(data):
        return f"{len(got):#x} bytes instead of {len(data):#x}"
    if got != data:
        return f"first difference at {next(i for i in range(len(got)) if got[i] != data[i]):#x}"
    return None


def check_pair(mefw, corpus, tmp, rname, dname):
    """All checks for one pair; `tmp` is an empty directory of its own."""
    name = rname
    before = failed
    with open(os.path.join(corpus, dname), "rb") as f:
        desc = f.read(0x1000)
    if not check(desc[0x10:0x14] == IFD_SIG, name, f"{dname} signature", IFD_SIG.hex(), desc[0x10:0x14].hex()):
        return
    regions = ifd_regions(desc)
    base, limit = regions[2]
    size = max(lim for b, lim in regions.values() if b <= lim) + 1
    rpath = os.path.join(corpus, rname)
    with open(rpath, "rb") as f:
        rdata = f.read()
    if len(rdata) > limit - base + 1:
        print(f"note {name}: {len(rdata):#x} bytes do not fit the ME region {base:#x}-{limit:#x} of {dname}; pair skipped")
        return

    # The image: descriptor, 0xFF everywhere else, the region file at the ME base.
    img = bytearray(b"\xff" * size)
    img[:len(desc)] = desc
    img[base:base + len(rdata)] = rdata
    img = bytes(img)
    image = os.path.join(tmp, "image.bin")
    with open(image, "wb") as f:
        f.write(img)
    out = [os.path.join(tmp, f"out{i}.bin") for i in range(5)]

    check_analyze(mefw, name, image, rpath, base, limit)

    # Round trip: extract gives the whole region; replacing with it (or the bare file) is a no-op.
    rc, _ = run(mefw, "extract", image, "--region", "me", "-o", out[1])
    check(rc == 0, name, "extract exit status", 0, rc)
    d = file_diff(out[1], img[base:limit + 1])
    check(d is None, name, "extract output", "the ME region bytes", d)
    for src, dst in ((out[1], out[2]), (rpath, out[3])):
        rc, _ = run(mefw, "replace", image, "--region", "me", "--with", src, "-o", dst)
        what = "extracted region" if src == out[1] else "region file"
        check(rc == 0, name, f"replace with {what}: exit status", 0, rc)
        d = file_diff(dst, img)
        check(d is None, name, f"replace with {what}: output", "identical to the image", d)

    # Refusal of firmware of another family / major version, override with --force.
    pattern = "me6*RGN.bin" if rname.startswith("csme") else "csme11*RGN.bin"
    other = next((f for f in sorted(os.listdir(corpus)) if fnmatch.fnmatch(f, pattern)
                  and os.path.getsize(os.path.join(corpus, f)) <= limit - base + 1), None)
    if other is None:
        print(f"note {name}: no {pattern} fits the {limit - base + 1:#x}-byte ME region; refusal check skipped")
    else:
        opath = os.path.join(corpus, other)
        rc, _ = run(mefw, "replace", image, "--region", "me", "--with", opath, "-o", out[4])
        check(rc == 1, name, f"replace with {other}: exit status", 1, rc)
        check(not os.path.exists(out[4]), name, f"replace with {other}: output", "absent", "created")
        rc, _ = run(mefw, "replace", image, "--region", "me", "--with", opath, "--force", "-o", out[4])
        check(rc == 0, name, f"replace --force with {other}: exit status", 0, rc)
        with open(opath, "rb") as f:
            odata = f.read()
        want = img[:base] + odata + b"\xff" * (limit + 1 - base - len(odata)) + img[limit + 1:]
        d = file_diff(out[4], want)
        check(d is None, name, f"replace --force with {other}: output", "the image with it at the ME base", d)
        if os.path.exists(out[4]):
            os.unlink(out[4])

    # An older, unconfigured Intel stock region over the board's configured one of the same line
    # (CSME 11.8 LP: stock 11.8.65, VCN 283, over the board's 11.8.79, VCN 289): the one update
    # policy refuses it, naming the downgrade, the counter and the lost configuration.
    stock = "csme11.8.65.3590_CON_LP_C_NPDM_PRD_RGN.bin"
    if rname.startswith("csme11.8.79.3722") and os.path.isfile(os.path.join(corpus, stock)):
        spath = os.path.join(corpus, stock)
        r = subprocess.run([mefw, "replace", image, "--region", "me", "--with", spath, "-o", out[4]],
                           capture_output=True, text=True, timeout=300)
        check(r.returncode == 1, name, f"replace with {stock}: exit status", 1, r.returncode)
        check(not os.path.exists(out[4]), name, f"replace with {stock}: output", "absent", "created")
        for word in ("configuration:", "version:", "vcn:"):
            check(word in r.stderr, name, f"replace with {stock}: says", word, r.stderr[-600:])
        r = subprocess.run([mefw, "replace", image, "--region", "me", "--with", spath, "--force", "-o", out[4]],
                           capture_output=True, text=True, timeout=300)
        check(r.returncode == 0 and "forced past" in r.stdout and "loses the board's engine configuration" in r.stdout,
              name, f"replace --force with {stock}", "written, saying what was forced and what it loses",
              (r.returncode, r.stdout[-400:]))
        if os.path.exists(out[4]):
            os.unlink(out[4])

    # A file larger than the region is refused, with or without --force.
    big = os.path.join(tmp, "too-big.bin")
    with open(big, "wb") as f:
        f.write(b"\xff" * (limit - base + 1 + 4096))
    for force in ([], ["--force"]):
        rc, _ = run(mefw, "replace", image, "--region", "me", "--with", big, *force, "-o", out[4])
        label = "replace with an oversized file" + (" --force" if force else "")
        check(rc not in (0, 2, None), name, f"{label}: exit status", "non-zero, not usage (2)", rc)
        check(not os.path.exists(out[4]), name, f"{label}: output", "absent", "created")

    # The same image as a board maker ships it: behind AMI's Aptio capsule header (and a trailing
    # signature block), and behind 0xCC0 bytes of a header no format names. The report is the
    # region's, the header is named, and extract takes out the same region.
    aptio = bytes.fromhex("8ba63c4a2377fb48803d578cc1fec44d")
    hdr = bytearray(0x800)
    hdr[:16] = aptio
    struct.pack_into("<IIIH", hdr, 16, 0x800, 0, 0x800 + len(img), 0x800)
    wrappings = (("capsule", bytes(hdr), b"\x5a" * 0x100), ("vendor-image", bytes((i * 31 + 7) & 0xFF for i in range(0xCC0)), b""))
    for kind, head, tail in wrappings:
        wrapped = os.path.join(tmp, f"{kind}.bin")
        with open(wrapped, "wb") as f:
            f.write(head + img + tail)
        label = f"{name} behind a {kind} header"
        rc_w, rep = analyze(mefw, wrapped)
        if check(rep is not None, label, "analyze --json", "a report", f"exit {rc_w}"):
            check(rep.get("container") == kind and rep.get("image_offset") == len(head), label,
                  "container, image_offset", (kind, len(head)), (rep.get("container"), rep.get("image_offset")))
            check_analyze(mefw, label, wrapped, rpath, base, limit, len(head) + base)
        rc, _ = run(mefw, "extract", wrapped, "--region", "me", "-o", out[4])
        check(rc == 0, label, "extract exit status", 0, rc)
        d = file_diff(out[4], img[base:limit + 1])
        check(d is None, label, "extract output", "the ME region bytes", d)
        if os.path.exists(out[4]):
            os.unlink(out[4])
        os.unlink(wrapped)

    # extract into a directory that does not exist.
    missing = os.path.join(tmp, "no-such-dir")
    rc, _ = run(mefw, "extract", image, "--region", "me", "-o", os.path.join(missing, "me.bin"))
    check(rc not in (0, 2, None), name, "extract into a missing directory: exit status",
          "non-zero, not usage (2)", rc)
    check(not os.path.exists(missing), name, "extract into a missing directory", "nothing created", "created")

    if failed == before:
        print(f"ok   {name} in {dname} (ME {base:#x}-{limit:#x}, image {size:#x})")


def main():
    if len(sys.argv) != 3:
        print("usage: corpus-full-images.py MEFW CORPUS_DIR", file=sys.stderr)
        return 2
    mefw, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(corpus):
        print(f"SKIPPED: corpus directory {corpus} does not exist")
        return 77
    if not os.path.isfile(os.path.join(corpus, "MANIFEST.tsv")):
        print(f"SKIPPED: {corpus} has no MANIFEST.tsv")
        return 77
    pairs = read_pairs(corpus)
    if not pairs:
        print("SKIPPED: MANIFEST.tsv names no descriptor + region pair")
        return 77
    if not os.access(mefw, os.X_OK):
        check(False, mefw, "mefw binary", "executable", "not found")
    else:
        with tempfile.TemporaryDirectory(prefix="mefw-full-images-") as tmp:
            for rname, dname in pairs:
                if not (os.path.isfile(os.path.join(corpus, rname)) and os.path.isfile(os.path.join(corpus, dname))):
                    check(False, rname, "pair files", f"{rname} and {dname} in the corpus", "missing")
                    continue
                pair_tmp = tempfile.mkdtemp(dir=tmp)
                check_pair(mefw, corpus, pair_tmp, rname, dname)
                shutil.rmtree(pair_tmp)  # up to 32 MiB per image: free it before the next pair
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
