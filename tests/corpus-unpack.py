#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `mefw unpack --verbose` on every corpus file: each file it lists exists with exactly the SHA-256
# it printed, index.json lists the same files with the same hashes and sizes, nothing else is
# written, and a second unpack into the same folder is refused without changing a byte. A file
# with nothing to take apart (no descriptor, partition or module) must say so and exit 1.
#
# Usage: corpus-unpack.py MEFW CORPUS_DIR
# Exit: 0 all checks passed, 1 a check failed, 77 skipped (no corpus).
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tree(root):
    return {os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names}


def main(argv):
    if len(argv) != 2:
        print("usage: corpus-unpack.py MEFW CORPUS_DIR")
        return 2
    mefw, corpus = argv
    if not os.path.isfile(os.path.join(corpus, "MANIFEST.tsv")):
        print(f"SKIPPED: no corpus at {corpus}; the unpack checks did not run")
        return 77
    passed = failed = 0
    names = sorted(n for n in os.listdir(corpus) if not n.endswith(".tsv") and not n.startswith("."))
    tmp = tempfile.mkdtemp(prefix="mefw-unpack-")
    try:
        for name in names:
            out = os.path.join(tmp, name)
            r = subprocess.run([mefw, "unpack", "--verbose", os.path.join(corpus, name), "-o", out],
                               capture_output=True, text=True, timeout=300)
            problems = []
            if r.returncode == 1 and "holds nothing" in r.stderr:
                passed += 1
                continue
            if r.returncode != 0:
                problems.append(f"exit {r.returncode}: {r.stderr.strip()[:200]}")
            listed = {}
            for line in r.stdout.splitlines():
                parts = line.split("  ", 1)
                if len(parts) == 2 and len(parts[0]) == 64:
                    listed[parts[1]] = parts[0]
            for path, digest in listed.items():
                full = os.path.join(out, path)
                if not os.path.isfile(full) or sha(full) != digest:
                    problems.append(f"{path}: not the SHA-256 --verbose printed")
            try:
                index = json.load(open(os.path.join(out, "index.json"), encoding="utf-8"))
                indexed = {f["path"]: f["sha256"] for f in index["files"]}
                sizes = {f["path"]: f["size"] for f in index["files"]}
            except (OSError, ValueError, KeyError) as e:
                problems.append(f"index.json: {e}")
                indexed, sizes = {}, {}
            if indexed != listed:
                problems.append("index.json and --verbose list different files or hashes")
            for path, size in sizes.items():
                full = os.path.join(out, path)
                if os.path.isfile(full) and os.path.getsize(full) != size:
                    problems.append(f"{path}: size differs from index.json")
            if tree(out) != set(listed) | {"index.json"}:
                problems.append(f"files written that are not listed: {sorted(tree(out) - set(listed) - {'index.json'})[:5]}")
            if not listed:
                problems.append("nothing listed")
            before = {p: sha(os.path.join(out, p)) for p in tree(out)}
            again = subprocess.run([mefw, "unpack", os.path.join(corpus, name), "-o", out],
                                   capture_output=True, text=True, timeout=300)
            if again.returncode != 1 or {p: sha(os.path.join(out, p)) for p in tree(out)} != before:
                problems.append("a second unpack into the same folder was not refused cleanly")
            if problems:
                failed += 1
                print(f"FAIL {name}: " + "; ".join(problems[:4]))
            else:
                passed += 1
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
