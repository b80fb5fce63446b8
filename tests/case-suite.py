#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The diagnose case suite: real forum threads, judged against what their experts concluded.

usage: case-suite.py MEFW CASES-DIR EXPECTATIONS.tsv [--only NNN,...] [--verbose]

For every case file NNN-*.md in CASES-DIR (the project never ships them; when the directory is
absent the suite says so and skips), the "## Post" section is given to `mefw diagnose --json`,
as a person would paste it, and the answer is compared with the project's expectations
(EXPECTATIONS.tsv, written by reading each expert answer; see its header):

  facts    the facts an expert takes from the post, found among the facts mefw read
  top      the first finding names the expert's cause
  first    the first step of the first finding is the expert's first step
  warnings every warning the situation calls for is given
  harm     no step the expert warned against (or the post rules out) is recommended
  exit     a post about a harmless message exits 0, every other post non-zero
  voice    no sentence of the person is presented as tool output, and no [screenshot] note
           becomes evidence

It prints a table and the totals, and exits 1 when a total is below its threshold (the
"# threshold" lines of the expectations file; they are raised as the work advances).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# The person speaking; "ME" in capitals is the engine, not the person.
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|[Mm]y|me|[Ww]e|[Oo]ur|myself)\b")


def read_expectations(path):
    rows, thresholds = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# threshold"):
                for k, v in re.findall(r"(\w+)=([0-9.]+)", line):
                    thresholds[k] = float(v)
                continue
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            cols += [""] * (8 - len(cols))
            case, kind, facts, top, first, warnings, never, note = cols[:8]
            rows[case] = {
                "kind": kind.strip(),
                "facts": [f.strip() for f in facts.split(";") if f.strip()],
                "top": [t.strip() for t in top.split("|") if t.strip()],
                "first": [t.strip() for t in first.split("|") if t.strip()],
                "warnings": [w.strip() for w in warnings.split(",") if w.strip()],
                "never": [n.strip() for n in never.split(",") if n.strip()],
                "note": note,
            }
    return rows, thresholds


def post_of(path):
    """The '## Post' section of a case file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # A post may hold headings of its own ("## Summary" in an issue report): it ends where the
    # case file's next section starts.
    m = re.search(r"^## Post[^\n]*\n(.*?)(?=^## (?:Expert answer|Source)\b|\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def gen_key(text):
    m = re.match(r"\s*([a-z]+)\s*(\d+)", text.lower())
    return (m.group(1), int(m.group(2))) if m else (text.strip().lower(), None)


def facts_of(doc):
    """Every fact mefw read: (name, value, source), the machines' generations included."""
    out = []
    for m in doc.get("machines", []):
        for f in m.get("facts", []):
            out.append((f.get("name", ""), str(f.get("value", "")), f.get("source", "tool")))
        g = m.get("generation") or {}
        if g.get("family"):
            major = g.get("major")
            out.append(("generation", f"{g['family']} {major}" if major is not None else g["family"], "derived"))
        if m.get("firmware"):
            out.append(("firmware", m["firmware"], "tool"))
    for f in doc.get("facts", []):
        out.append((f.get("name", ""), str(f.get("value", "")), f.get("source", "person")))
    return out


def fact_found(expected, facts):
    name, _, value = expected.partition("=")
    name, value = name.strip().lower(), value.strip().lower()
    for n, v, _ in facts:
        if n.lower() != name:
            continue
        v = v.lower()
        if name == "generation":
            # "ME 9.0" reads as "ME 9": family and major are what an expert needs
            if any(gen_key(x) == gen_key(value) for x in v.split("/")):
                return True
            continue
        if name == "firmware":
            if v.startswith(value) or value.startswith(v):
                return True
            continue
        if name == "board":
            # model names are written with and without hyphens and spaces ("Z490-A", "Z490A")
            v, value = re.sub(r"[-\s]", "", v), re.sub(r"[-\s]", "", value)
        if value in v or v in value and len(v) >= 3:
            return True
    return False


def finding_cause(f):
    return f.get("cause") or f.get("id", "")


def steps_of(f):
    return [s.get("id", "") for s in f.get("steps", []) if isinstance(s, dict)]


def voice_problems(doc):
    """Sentences of the person shown as tool output, and evidence from [screenshot] notes."""
    bad = []
    for f in doc.get("findings", []):
        for e in f.get("evidence", []):
            text = e.get("text", "") or ""
            if re.match(r"\s*\[[^\]]*(screenshot|image|photo|picture)", text, re.I):
                bad.append(("screenshot", f.get("id"), text[:80]))
            elif e.get("kind", "tool") == "tool" and len(text.split()) >= 8 and FIRST_PERSON.search(text):
                bad.append(("person-as-tool", f.get("id"), text[:80]))
    return bad


def judge(case, exp, doc, rc):
    facts = facts_of(doc)
    findings = doc.get("findings", [])
    top = findings[0] if findings else {}
    res = {"case": case}
    res["facts_total"] = len(exp["facts"])
    res["facts_found"] = sum(1 for x in exp["facts"] if fact_found(x, facts))
    res["facts_missing"] = [x for x in exp["facts"] if not fact_found(x, facts)]
    res["top"] = bool(exp["top"]) and finding_cause(top) in exp["top"]
    first_steps = steps_of(top)
    res["first"] = bool(exp["first"]) and bool(first_steps) and first_steps[0] in exp["first"]
    given = set()
    for f in findings:
        for w in f.get("warnings", []):
            given.add(w.get("id", "") if isinstance(w, dict) else w)
    res["warnings_total"] = len(exp["warnings"])
    res["warnings_found"] = sum(1 for w in exp["warnings"] if w in given)
    recommended = set()
    for f in findings:
        if f.get("severity") in ("error", "warning") or f is top:
            recommended.update(steps_of(f))
    res["harm"] = sorted(set(exp["never"]) & recommended)
    harmless = exp["kind"] == "harmless"
    res["exit_ok"] = (rc == 0) if harmless else (rc != 0)
    res["rc"] = rc
    res["voice"] = voice_problems(doc)
    res["got_top"] = finding_cause(top) or "-"
    res["got_first"] = first_steps[0] if first_steps else "-"
    return res


def main(argv):
    verbose = "--verbose" in argv
    argv = [a for a in argv if a != "--verbose"]
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        only = set(argv[i + 1].split(","))
        del argv[i:i + 2]
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    mefw, cases_dir, exp_path = argv
    if not os.path.isdir(cases_dir):
        print(f"SKIPPED: {cases_dir} not found; the case suite did not run")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    expectations, thresholds = read_expectations(exp_path)
    files = sorted(f for f in os.listdir(cases_dir) if re.match(r"\d{3}-.*\.md$", f))
    results = []
    missing_exp = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in files:
            case = name[:3]
            if only and case not in only:
                continue
            if case not in expectations:
                missing_exp.append(case)
                continue
            post_path = os.path.join(tmp, f"{case}-post.txt")
            with open(post_path, "w", encoding="utf-8") as f:
                f.write(post_of(os.path.join(cases_dir, name)))
            p = subprocess.run([mefw, "diagnose", "--json", post_path], capture_output=True, text=True)
            try:
                doc = json.loads(p.stdout)
            except ValueError:
                doc = {}
            r = judge(case, expectations[case], doc, p.returncode)
            r["kind"] = expectations[case]["kind"]
            results.append(r)

    print(f"{'case':<5}{'kind':<9}{'exit':>5} {'facts':>7} {'top':<4}{'first':<6}{'warn':>6} {'harm':<5}{'voice':<6} got top / first")
    for r in results:
        print(f"{r['case']:<5}{r['kind']:<9}{r['rc']:>3}{' ' if r['exit_ok'] else '!'} "
              f"{r['facts_found']:>3}/{r['facts_total']:<3} {'yes' if r['top'] else 'no':<4}"
              f"{'yes' if r['first'] else 'no':<6}{r['warnings_found']:>2}/{r['warnings_total']:<3} "
              f"{'HARM' if r['harm'] else '-':<5}{len(r['voice']) or '-':<6}{r['got_top']} / {r['got_first']}")
        if verbose:
            if r["facts_missing"]:
                print(f"      missing facts: {'; '.join(r['facts_missing'])}")
            if r["harm"]:
                print(f"      harmful steps: {', '.join(r['harm'])}")
            for v in r["voice"]:
                print(f"      voice: {v}")

    n = len(results)
    if n == 0:
        print("case suite: no case ran")
        print("0 passed, 1 failed")
        return 1
    facts_total = sum(r["facts_total"] for r in results)
    facts_found = sum(r["facts_found"] for r in results)
    totals = {
        "facts": facts_found / facts_total if facts_total else 1.0,
        "top": sum(r["top"] for r in results) / n,
        "first": sum(r["first"] for r in results) / n,
        "warnings": (sum(r["warnings_found"] for r in results) / max(1, sum(r["warnings_total"] for r in results))),
        "warned_cases": sum(1 for r in results if r["warnings_found"] == r["warnings_total"]) / n,
        "exit": sum(r["exit_ok"] for r in results) / n,
    }
    harm = sum(1 for r in results if r["harm"])
    voice = sum(len(r["voice"]) for r in results)
    print(f"\ncases {n}: facts {facts_found}/{facts_total} ({totals['facts']:.0%}), "
          f"top {sum(r['top'] for r in results)}/{n} ({totals['top']:.0%}), "
          f"first step {sum(r['first'] for r in results)}/{n} ({totals['first']:.0%}), "
          f"all warnings in {sum(1 for r in results if r['warnings_found'] == r['warnings_total'])}/{n} "
          f"({totals['warned_cases']:.0%}), exit right {sum(r['exit_ok'] for r in results)}/{n} "
          f"({totals['exit']:.0%}), harm {harm}, voice {voice}")
    if missing_exp:
        print(f"cases without expectations: {', '.join(missing_exp)}")

    failed = []
    for key, value in totals.items():
        if key in thresholds and value + 1e-9 < thresholds[key]:
            failed.append(f"{key} {value:.0%} < {thresholds[key]:.0%}")
    if "harm" in thresholds and harm > thresholds["harm"]:
        failed.append(f"harm {harm} > {thresholds['harm']:.0f}")
    if "voice" in thresholds and voice > thresholds["voice"]:
        failed.append(f"voice {voice} > {thresholds['voice']:.0f}")
    if missing_exp and not only:
        failed.append(f"{len(missing_exp)} cases without expectations")
    for f in failed:
        print(f"case suite: below threshold: {f}")
    print(f"{0 if failed else 1} passed, {1 if failed else 0} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
