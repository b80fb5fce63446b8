#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Rebuild data/known-builds.txt from a known-versions table.

The input is a tab-separated table with the columns family, version, sku, release
(PRD/PRE/BYP) and image type (one build per row, as compiled from the public ME Analyzer
database). The output is our own reviewable format: one line per build and SKU, newest
first within each family and branch, with every release/type pair the build is known in.

    scripts/import-known-builds.py SOURCE.tsv > data/known-builds.txt
"""
import sys
from collections import OrderedDict

FAMILIES = ["ME", "TXE", "SPS", "CSME", "CSTXE", "CSSPS"]
RELEASES = ["PRD", "PRE", "BYP"]


def version_key(v):
    return tuple(int(p) for p in v.split("."))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: import-known-builds.py SOURCE.tsv")
    provenance = []
    builds = OrderedDict()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                if "compiled from" in line:
                    provenance.append(line.lstrip("# ").strip())
                continue
            cols = line.split("\t")
            if len(cols) != 5 or cols[0] == "family":
                continue
            family, version, sku, release, kind = cols
            if family not in FAMILIES or release not in RELEASES:
                sys.exit("unexpected row: %r" % line)
            version_key(version)
            key = (family, version, sku or "-")
            pairs = builds.setdefault(key, [])
            pair = "%s:%s" % (release, kind)
            if pair not in pairs:
                pairs.append(pair)

    def order(item):
        (family, version, sku), _ = item
        v = version_key(version)
        return (FAMILIES.index(family), -v[0], -v[1], [-p for p in v[2:]], sku)

    out = sys.stdout
    out.write("[builds]\n")
    out.write("# Known Intel engine firmware builds, one line per build and SKU, newest first per branch.\n")
    for p in provenance:
        out.write("# Source: %s\n" % p)
    out.write("# Regenerate with scripts/import-known-builds.py; review the diff like code.\n")
    out.write("# Columns (tab-separated): family, version, SKU as the database names it ('-' when it\n")
    out.write("# names none), and release:type pairs (PRD production, PRE pre-production, BYP ROM\n")
    out.write("# bypass; RGN stock region, EXTR extracted region, UPD update image, ...).\n")
    branch = None
    for (family, version, sku), pairs in sorted(builds.items(), key=order):
        v = version.split(".")
        b = (family, v[0], v[1])
        if b != branch:
            out.write("# %s %s.%s\n" % b)
            branch = b
        pairs.sort(key=lambda p: (RELEASES.index(p.split(":")[0]), p))
        out.write("%s\t%s\t%s\t%s\n" % (family, version, sku, " ".join(pairs)))


if __name__ == "__main__":
    main()
