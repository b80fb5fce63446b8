#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The README's example output, against what mefw prints today.

usage: readme-examples.py MEFW README CORPUS_DIR

Every fenced block of the README whose first line names a corpus file (".bin") is the text output
of `mefw analyze` on that file: it is run (without colour, output not on a terminal) and compared
line by line, the file named as in the block. Exit 0 all agree, 1 a block differs, 77 skipped (no
corpus, or no such block).
"""
import os
import subprocess
import sys


def blocks(text):
    out, cur, inside = [], [], False
    for line in text.splitlines():
        if line.startswith("```"):
            if inside:
                out.append(cur)
            inside, cur = not inside, []
            continue
        if inside:
            cur.append(line)
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1])
        return 2
    mefw, readme, corpus = argv
    if not os.path.isdir(corpus):
        print(f"SKIPPED: no corpus at {corpus}; the README examples were not checked")
        return 77
    checked = failed = 0
    for b in blocks(open(readme, encoding="utf-8").read()):
        if not b or not b[0].endswith(".bin") or not os.path.isfile(os.path.join(corpus, b[0])):
            continue
        r = subprocess.run([mefw, "analyze", os.path.join(corpus, b[0])], capture_output=True, text=True,
                           env=dict(os.environ, NO_COLOR="1"))
        got = r.stdout.splitlines()
        while got and not got[-1].strip():
            got.pop()
        if got:
            got[0] = os.path.basename(got[0])
        checked += 1
        if got != b:
            failed += 1
            print(f"FAIL the README's example for {b[0]} differs from the output:")
            for i in range(max(len(got), len(b))):
                want = b[i] if i < len(b) else "<none>"
                have = got[i] if i < len(got) else "<none>"
                if want != have:
                    print(f"  README: {want}\n  mefw:   {have}")
        else:
            print(f"ok   the README's example for {b[0]} is what mefw prints")
    if checked == 0:
        print("SKIPPED: no README example names a corpus file")
        return 77
    print(f"{checked - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
