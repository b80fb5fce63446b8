# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the CLI test scripts (sourced): counters, a scratch directory, and the checks.
# The caller sets $mefw; the checks read $tmp/out and $tmp/err.

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() {
        passed=$((passed + 1))
        echo "ok   - $1"
}

not_ok() {
        failed=$((failed + 1))
        echo "FAIL - $1"
        shift
        for line in "$@"; do
                echo "       $line"
        done
}

# expect_rc NAME EXPECTED ACTUAL
expect_rc() {
        if [[ $3 == "$2" ]]; then
                ok "$1 (exit $3)"
        else
                not_ok "$1" "expected exit $2, got $3" "stdout: $(head -c 400 "$tmp/out" 2>/dev/null)" \
                        "stderr: $(head -c 400 "$tmp/err" 2>/dev/null)"
        fi
}

# run ARGS...: stdout in $tmp/out, stderr in $tmp/err, exit code in $rc
run() {
        "$mefw" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
        rc=$?
}

# json_check NAME PYTHON-EXPRESSION: evaluate the expression with 'doc' = parsed $tmp/out
json_check() {
        local name=$1 expr=$2 msg
        if msg=$(python3 - "$tmp/out" "$expr" 2>&1 <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
result = eval(sys.argv[2], {"doc": doc})
if not result:
    print("expression is false:", sys.argv[2])
    print(json.dumps(doc, indent=1)[:1500])
    sys.exit(1)
EOF
        ); then
                ok "$name"
        else
                not_ok "$name" "$msg"
        fi
}

valid_json() {
        if python3 -m json.tool "$tmp/out" >/dev/null 2>"$tmp/jsonerr"; then
                ok "$1: valid JSON"
        else
                not_ok "$1: valid JSON" "$(cat "$tmp/jsonerr")" "output: $(head -c 400 "$tmp/out")"
        fi
}

no_escapes() {
        local name=$1 file=$2
        if grep -q $'\x1b' "$file"; then
                not_ok "$name: no escape characters" "$(head -c 300 "$file" | od -c | head -5)"
        else
                ok "$name: no escape characters"
        fi
}

# no_output NAME PATH: nothing at PATH, and no temporary file of ours left beside it
no_output() {
        local left
        left=$(ls -d "$2" "$2".mefw-* "$(dirname "$2")/.$(basename "$2")".mefw-* 2>/dev/null)
        if [[ -z $left ]]; then ok "$1"; else not_ok "$1" "left behind: $left"; fi
}

# same_bytes NAME A B
same_bytes() {
        if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1" "$2 and $3 differ"; fi
}

