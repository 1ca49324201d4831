#!/usr/bin/env bash
# Output must not depend on the number of worker threads.
#
#   tests/determinism.sh BINARY
#
# Runs `BINARY --format json --no-cache -jN TARGET` (every file parsed: the
# cache has its own test, check_cache.sh) for N = 1, 2, 4 over fixtures/ and, when
# it exists, over /usr/lib/python3.11 (a large real-world tree), and requires
# byte-identical stdout and the same exit code. Exit 1 (findings) is expected;
# any other non-zero exit is a failure. Prints one line per check, then
# `N passed, N failed`; exits 1 on any failure.
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 BINARY" >&2
    exit 2
fi
bin=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    fail "binary: not found or not executable: $bin (build it first: make)"
    echo "$passed passed, $failed failed"
    exit 1
fi
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rl-determinism.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# check NAME DIR TARGET: run from DIR on TARGET with -j1, -j2, -j4 and compare.
check() {
    local name=$1 dir=$2 target=$3 j rc ref_rc="" ok=1 why=""
    for j in 1 2 4; do
        (cd "$dir" && NO_COLOR=1 "$bin" --format json --no-cache -j"$j" "$target" \
            >"$tmp/$name.j$j.json" 2>"$tmp/$name.j$j.err" </dev/null)
        rc=$?
        echo "$rc" >"$tmp/$name.j$j.rc"
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
            ok=0
            why="$why -j$j exited $rc ($(head -c 200 "$tmp/$name.j$j.err" | tr '\n' ' '));"
        fi
    done
    ref_rc=$(cat "$tmp/$name.j1.rc")
    for j in 2 4; do
        if ! cmp -s "$tmp/$name.j1.json" "$tmp/$name.j$j.json"; then
            ok=0
            why="$why -j1 and -j$j outputs differ ($(wc -c <"$tmp/$name.j1.json") vs $(wc -c <"$tmp/$name.j$j.json") bytes);"
        fi
        if [ "$(cat "$tmp/$name.j$j.rc")" != "$ref_rc" ]; then
            ok=0
            why="$why exit codes differ (-j1: $ref_rc, -j$j: $(cat "$tmp/$name.j$j.rc"));"
        fi
    done
    if [ ! -s "$tmp/$name.j1.json" ]; then
        ok=0
        why="$why empty output;"
    fi
    if [ $ok -eq 1 ]; then
        pass "$name: -j1, -j2, -j4 identical ($(wc -c <"$tmp/$name.j1.json") bytes, exit $ref_rc)"
    else
        fail "$name:$why"
    fi
}

check fixtures "$root" fixtures
if [ -d /usr/lib/python3.11 ]; then
    check stdlib /usr/lib python3.11
else
    echo "SKIP stdlib: /usr/lib/python3.11 does not exist"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
