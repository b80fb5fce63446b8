#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Cross-checks `mefw ifd FILE --json` against `ifdtool -d` on every ifd_*.bin descriptor of the
# corpus: region bases/limits/use, master read/write access, the host's ME access, the ME-disable
# bit (HAP / AltMeDisable) and the component densities.
#
# Usage: ifdtool-crosscheck.py MEFW CORPUS_DIR
# Exit: 0 all checks passed, 1 a check failed, 77 skipped (no ifdtool, no corpus).
# The last line printed is always "N passed, N failed" (except when skipping).
import json
import os
import re
import shutil
import subprocess
import sys

# mefw's best-guess chipset code -> ifdtool -p platform (IFDv2 only; IFDv1 runs without -p).
# ifdtool 4.15 has no Emmitsburg platform: its Lewisburg layout is the closest for EBG.
PLATFORMS = {
    "SPT": "sklkbl", "KBP": "sklkbl", "CNP": "cnl", "CMP": "cnl", "ICP": "icl", "TGP": "tgl",
    "ADP": "adl", "RPP": "adl", "APL": "aplk", "GLK": "glk", "LBG": "lbg", "EBG": "lbg",
    "JSL": "jsl", "EHL": "ehl",
}
MASTERS = {1: "host", 2: "me", 3: "gbe", 4: "devexp", 5: "ec"}
ACCESS_REGIONS = {"Flash Descriptor": "descriptor", "Host CPU/BIOS": "bios", "Intel ME": "me",
                  "GbE": "gbe", "Platform Data": "pdr", "EC": "ec"}

RE_REGION = re.compile(r"^\s*Flash Region (\d+) \(([^)]*)\):\s*([0-9a-fA-F]+)\s*-\s*([0-9a-fA-F]+)\s*(\(unused\))?")
RE_MASTER = re.compile(r"^FLMSTR(\d+):\s+0x[0-9a-fA-F]+")
RE_ACCESS = re.compile(r"^\s+(.+?)(?: Region)? (Read|Write) Access:\s+(enabled|disabled)")
RE_MEDIS = re.compile(r"^(AltMeDisable|HAP) bit is (set|not set)")
RE_DENSITY = re.compile(r"^\s*Component (\d) Density:\s+(\S+)")
RE_SIZE = re.compile(r"^(\d+)(KB|MB|GB)$")

passed = 0
failed = 0


def check(ok, fname, field, expected, got):
    """Counts one check; prints a line only when it fails."""
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {fname}: {field}: expected {expected!r}, got {got!r}")
    return ok


def parse_ifdtool(text):
    """Extracts regions, masters, ME-disable bit and densities from `ifdtool -d` output."""
    out = {"regions": {}, "masters": {}, "medis": None, "density": {}}
    master = None
    for line in text.splitlines():
        if m := RE_REGION.match(line):
            out["regions"][int(m[1])] = (m[2], int(m[3], 16), int(m[4], 16), m[5] is None)
            continue
        if m := RE_MASTER.match(line):
            master = int(m[1])
            out["masters"][master] = []
            continue
        if master is not None and (m := RE_ACCESS.match(line)):
            out["masters"][master].append((m[1], m[2].lower(), m[3] == "enabled"))
            continue
        if line.strip() == "" or not line.startswith(" "):
            master = None  # an access block ends at a blank or unindented line
        if m := RE_MEDIS.match(line):
            out["medis"] = (m[1], m[2] == "set")
        elif m := RE_DENSITY.match(line):
            s = RE_SIZE.match(m[2])
            mult = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
            out["density"][int(m[1])] = int(s[1]) * mult[s[2]] if s else m[2]
    return out


def as_int(v):
    """Accepts an integer or a "0x..." string; anything else is returned unchanged."""
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            return v
    return v


def hexval(v):
    """Integers as hex for messages; other values unchanged."""
    return hex(v) if isinstance(v, int) and not isinstance(v, bool) else v


def chipset_code(rep):
    """First chipset code of mefw's report: `chipset_codes` or `chipset_candidates`."""
    for key in ("chipset_codes", "chipset_candidates"):
        lst = rep.get(key)
        if isinstance(lst, list) and lst:
            first = lst[0]
            if isinstance(first, dict):
                first = first.get("code") or first.get("chipset_code") or first.get("name")
            if isinstance(first, str):
                m = re.match(r"[A-Za-z]+", first)  # "SPT-H" -> "SPT"
                return m[0].upper() if m else first
    return None


def crosscheck(mefw, path):
    name = os.path.basename(path)
    before = failed
    r = subprocess.run([mefw, "ifd", path, "--json"], capture_output=True, text=True)
    try:
        rep = json.loads(r.stdout)
        if isinstance(rep, list):
            rep = rep[0]
        assert isinstance(rep, dict)
    except Exception:
        err = (r.stderr.strip().splitlines() or [""])[0]
        check(False, name, "mefw ifd --json", "a JSON object", f"exit {r.returncode}: {err}")
        return

    ver = rep.get("descriptor_version")
    if not check(ver in (1, 2), name, "descriptor_version", "1 or 2", ver):
        return
    args = ["ifdtool", "-d", path]
    code = chipset_code(rep) if ver == 2 else None
    if ver == 2:
        if "chipset_codes" not in rep and "chipset_candidates" not in rep:
            check(False, name, "chipset_codes", "a list", "missing")
            return
        if code not in PLATFORMS:
            print(f"note {name}: IFDv2 chipset {code!r} has no ifdtool platform; not compared")
            return
        args[1:1] = ["-p", PLATFORMS[code]]
    t = subprocess.run(args, capture_output=True, text=True)
    if not check(t.returncode == 0, name, "ifdtool exit status", 0, t.returncode):
        return
    ifd = parse_ifdtool(t.stdout)

    # Regions. ifdtool decodes IFDv1 region fields 12 bits wide, so the base/limit it prints
    # for an unused region (e.g. FLREG 0x00001fff) is not comparable: check only `used` there.
    mregions = {}
    for reg in rep.get("regions") or []:
        if isinstance(reg, dict) and "index" in reg:
            mregions[as_int(reg["index"])] = reg
    check(isinstance(rep.get("regions"), list), name, "regions", "a list", rep.get("regions"))
    for idx, (rname, base, limit, used) in sorted(ifd["regions"].items()):
        reg = mregions.get(idx)
        if not check(reg is not None, name, f"region {idx} ({rname})", "present", "missing"):
            continue
        check(reg.get("used") is used, name, f"region {idx} used", used, reg.get("used"))
        if used:
            check(as_int(reg.get("base")) == base, name, f"region {idx} base", hex(base), hexval(reg.get("base")))
            check(as_int(reg.get("limit")) == limit, name, f"region {idx} limit", hex(limit), hexval(reg.get("limit")))

    # Masters: every access line ifdtool prints must agree with mefw's read/write lists.
    mmasters = {m.get("name"): m for m in rep.get("masters") or [] if isinstance(m, dict)}
    for num, lines in sorted(ifd["masters"].items()):
        mname = MASTERS.get(num, f"FLMSTR{num}")
        m = mmasters.get(mname)
        if not check(m is not None, name, f"master {mname} (FLMSTR{num})", "present", "missing"):
            continue
        for region, kind, enabled in lines:
            rkey = ACCESS_REGIONS.get(region)
            if rkey is None:
                print(f"note {name}: FLMSTR{num}: unknown region name {region!r} in ifdtool output")
                continue
            lst = m.get(kind)
            got = isinstance(lst, list) and rkey in lst
            check(got == enabled, name, f"master {mname} {kind} {rkey}",
                  "enabled" if enabled else "disabled", "enabled" if got else "disabled")

    # The host's access to the ME region, as a pair of booleans.
    host = {(r, k): e for r, k, e in ifd["masters"].get(1, [])}
    for kind in ("read", "write"):
        if ("Intel ME", kind) in host:
            exp = host[("Intel ME", kind)]
            check(rep.get(f"host_me_{kind}") is exp, name, f"host_me_{kind}", exp, rep.get(f"host_me_{kind}"))

    # HAP (IFDv2) / AltMeDisable (IFDv1).
    if ifd["medis"] is None:
        print(f"note {name}: ifdtool printed no HAP/AltMeDisable line")
    else:
        word = ifd["medis"][0].lower()
        if check("me_disable" in rep, name, "me_disable", "present", "missing"):
            got = rep["me_disable"]
            check((got == word) == ifd["medis"][1], name, "me_disable",
                  word if ifd["medis"][1] else f"null (not {word})", got)

    # Component densities: component 1 always, component 2 when mefw lists it.
    comps = {as_int(c.get("index")): as_int(c.get("size"))
             for c in rep.get("components") or [] if isinstance(c, dict)}
    for idx in (1, 2):
        if idx == 2 and 2 not in comps:
            continue
        exp = ifd["density"].get(idx)
        check(comps.get(idx) == exp, name, f"component {idx} size", exp, comps.get(idx, "missing"))

    if failed == before:
        plat = f" -p {PLATFORMS[code]}" if code else ""
        print(f"ok   {name} (IFDv{ver}{plat})")


def main():
    if len(sys.argv) != 3:
        print("usage: ifdtool-crosscheck.py MEFW CORPUS_DIR", file=sys.stderr)
        return 2
    mefw, corpus = sys.argv[1], sys.argv[2]
    if shutil.which("ifdtool") is None:
        print("SKIPPED: ifdtool is not on PATH")
        return 77
    if not os.path.isdir(corpus):
        print(f"SKIPPED: corpus directory {corpus} does not exist")
        return 77
    files = sorted(f for f in os.listdir(corpus) if f.startswith("ifd_") and f.endswith(".bin"))
    if not files:
        print(f"SKIPPED: no ifd_*.bin file in {corpus}")
        return 77
    if not os.access(mefw, os.X_OK):
        check(False, mefw, "mefw binary", "executable", "not found")
    else:
        for f in files:
            crosscheck(mefw, os.path.join(corpus, f))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
