#!/usr/bin/env bash
# The incremental cache never changes a finding.
#
#   tests/check_cache.sh BINARY
#
# For fixtures/ and, when it exists, /usr/lib/python3.11, compares the JSON
# report and exit code of a --no-cache run with a cold cache run (a fresh
# --cache-dir), a warm one (every file a hit) and, on a copied tree, a run
# after one file was edited and one after a folder became a package (only
# those files missed). Then damages every entry (truncated to half, a byte
# flipped, garbage, another version, empty) and requires the same report, no
# crash, the same exit code, every entry rejected and rebuilt. Eviction:
# entries back-dated 40 days go at the daily sweep (and are rebuilt, same
# report), a stale temporary file goes, a foreign file stays, loads refresh
# entries, the stamp allows one sweep a day. An unusable cache folder must
# cost one warning and nothing else. The default location
# ($XDG_CACHE_HOME/reloadlint, else ~/.cache/reloadlint) gets a CACHEDIR.TAG,
# and the analyzed tree is left untouched. Prints one line per check, then
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
if ! command -v python3 >/dev/null 2>&1; then
    fail "python3 is needed to damage cache entries"
    echo "$passed passed, $failed failed"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rl-cache.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Never touch the user's real cache: the default location points in here.
export XDG_CACHE_HOME="$tmp/xdg"
export NO_COLOR=1

# run NAME DIR TARGET [ARGS...]: the JSON report in $tmp/NAME.json, stderr in
# $tmp/NAME.err, the exit code in $tmp/NAME.rc.
run() {
    local name=$1 dir=$2 target=$3
    shift 3
    (cd "$dir" && "$bin" --format json --stats "$@" "$target" \
        >"$tmp/$name.json" 2>"$tmp/$name.err" </dev/null)
    echo $? >"$tmp/$name.rc"
}

# The numbers of the --stats cache line: "HITS MISSES INVALID".
cache_counts() {
    sed -n 's/^  cache  *\([0-9]*\) hits, \([0-9]*\) misses (\([0-9]*\) invalid entries).*/\1 \2 \3/p' \
        "$tmp/$1.err"
}

# The number of entries the sweep removed, from the --stats cache line.
pruned_count() {
    sed -n 's/^  cache .* \([0-9]*\) old entries removed (.*/\1/p' "$tmp/$1.err"
}

# same REF NAME: NAME's report and exit code equal REF's; prints why not.
same() {
    local why=""
    local rc
    rc=$(cat "$tmp/$2.rc")
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        why="$why exited $rc ($(grep -v '^  \|^reloadlint stats' "$tmp/$2.err" | head -c 300 | tr '\n' ' '));"
    fi
    if [ "$rc" != "$(cat "$tmp/$1.rc")" ]; then
        why="$why exit code $rc, without the cache $(cat "$tmp/$1.rc");"
    fi
    if ! cmp -s "$tmp/$1.json" "$tmp/$2.json"; then
        why="$why report differs ($(wc -c <"$tmp/$1.json") vs $(wc -c <"$tmp/$2.json") bytes);"
    fi
    if [ ! -s "$tmp/$2.json" ]; then why="$why empty report;"; fi
    echo "$why"
}

# check NAME REF RUN [CONDITION]: RUN's report and exit code against REF's;
# CONDITION is bash arithmetic over the --stats cache counts h (hits), m
# (misses) and i (invalid entries), e.g. 'm == 0'.
check() {
    local name=$1 ref=$2 got=$3 cond=${4:-} why counts h m i
    why=$(same "$ref" "$got")
    counts=$(cache_counts "$got")
    if [ -n "$cond" ]; then
        read -r h m i <<<"$counts"
        if [ -z "$i" ]; then
            why="$why no cache line in --stats;"
        elif ! (( $cond )); then
            why="$why cache counts: $h hits, $m misses, $i invalid, expected $cond;"
        fi
    fi
    if [ -z "$why" ]; then
        pass "$name ($(wc -c <"$tmp/$got.json") bytes, exit $(cat "$tmp/$got.rc"), cache: $(echo "$counts" | awk '{print $1" hits, "$2" misses, "$3" invalid"}'))"
    else
        fail "$name:$why"
    fi
}

entries() { find "$1" -mindepth 2 -type f ! -name '.tmp-*' | sort; }

# damage MODE DIR: every entry of the cache in DIR.
damage() {
    python3 - "$1" "$2" <<'EOF'
import os, sys
mode, cache = sys.argv[1], sys.argv[2]
for sub in sorted(os.listdir(cache)):
    folder = os.path.join(cache, sub)
    if not os.path.isdir(folder):
        continue
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        data = bytearray(open(path, "rb").read())
        if mode == "truncated":
            data = data[: len(data) // 2]
        elif mode == "flipped":          # one bit of the payload (the checksum)
            data[(len(data) + 80) // 2] ^= 0x01
        elif mode == "key":              # the entry of another file
            data[50] ^= 0x04
        elif mode == "garbage":
            data = bytearray(os.urandom(len(data)))
        elif mode == "version":          # a valid checksum, another reloadlint
            data[16:48] = b"99.0.0".ljust(32, b"\0")
        elif mode == "empty":
            data = bytearray()
        open(path, "wb").write(data)
EOF
}

# The cache of a tree: no-cache reference, cold, warm, damaged entries.
cache_suite() {
    local name=$1 dir=$2 target=$3 cache="$tmp/cache-$1" n mode
    run "$name.ref" "$dir" "$target" --no-cache
    if grep -q '^  cache  *off' "$tmp/$name.ref.err"; then
        pass "$name: --no-cache turns the cache off"
    else
        fail "$name: --no-cache did not turn the cache off: $(grep '^  cache' "$tmp/$name.ref.err")"
    fi
    run "$name.cold" "$dir" "$target" --cache-dir "$cache"
    # (files with the same module name and source share an entry: a few hits)
    check "$name: cold cache" "$name.ref" "$name.cold" 'm > 0 && i == 0'
    n=$(entries "$cache" | wc -l)
    run "$name.warm" "$dir" "$target" --cache-dir "$cache"
    check "$name: warm cache, every file a hit" "$name.ref" "$name.warm" 'h > 0 && m == 0'

    if [ -f "$cache/CACHEDIR.TAG" ] &&
        [ "$(head -n 1 "$cache/CACHEDIR.TAG")" = "Signature: 8a477f597d28d172789f06886806bc55" ]; then
        pass "$name: CACHEDIR.TAG with the standard signature, $n entries"
    else
        fail "$name: no CACHEDIR.TAG with the standard signature in $cache"
    fi
    for mode in truncated flipped key garbage version empty; do
        damage "$mode" "$cache"
        run "$name.$mode" "$dir" "$target" --cache-dir "$cache"
        check "$name: every entry $mode, rejected and rebuilt" "$name.ref" "$name.$mode" \
            "i >= $n && m == i"
        run "$name.$mode.again" "$dir" "$target" --cache-dir "$cache"
        check "$name: after rebuilding the $mode entries, every file a hit" "$name.ref" \
            "$name.$mode.again" 'm == 0'
    done
}

# ---- fixtures and the standard library ---------------------------------------
cache_suite fixtures "$root" fixtures
if [ -d /usr/lib/python3.11 ]; then
    run stdlib.ref /usr/lib python3.11 --no-cache
    run stdlib.cold /usr/lib python3.11 --cache-dir "$tmp/cache-stdlib"
    check "stdlib: cold cache" stdlib.ref stdlib.cold 'm > 1000 && i == 0'
    run stdlib.warm /usr/lib python3.11 --cache-dir "$tmp/cache-stdlib"
    check "stdlib: warm cache, every file a hit" stdlib.ref stdlib.warm 'h > 1000 && m == 0'
    n=$(entries "$tmp/cache-stdlib" | wc -l)
    damage flipped "$tmp/cache-stdlib"
    run stdlib.flipped /usr/lib python3.11 --cache-dir "$tmp/cache-stdlib"
    check "stdlib: every entry flipped, rejected and rebuilt" stdlib.ref stdlib.flipped \
        "i >= $n && m == i"
else
    echo "SKIP stdlib: /usr/lib/python3.11 does not exist"
fi

# ---- one edited file, a new package: only those files miss --------------------
tree="$tmp/tree"
cp -R "$root/fixtures" "$tree"
find "$tree" | sort >"$tmp/tree.before"
run edit.cold "$tree" . --cache-dir "$tmp/cache-edit"
run edit.cold.ref "$tree" . --no-cache
check "copied tree: cold cache" edit.cold.ref edit.cold 'i == 0'
# a reload added to an unchanged module's importer: findings in other files change
printf '\nimport importlib\nimport foo\nimportlib.reload(foo)\n' >>"$tree/RL201/bar.py"
run edit.ref "$tree" . --no-cache
run edit.warm "$tree" . --cache-dir "$tmp/cache-edit"
check "copied tree: one file edited, one miss" edit.ref edit.warm 'm == 1 && i == 0'
if cmp -s "$tmp/edit.cold.ref.json" "$tmp/edit.ref.json"; then
    fail "copied tree: the edit changed no finding (the check proves nothing)"
fi
# module names change when a folder becomes a package: those files miss
mkdir -p "$tree/newpkg"
printf 'import importlib\nimport newpkg.a\nimportlib.reload(newpkg.a)\n' >"$tree/newpkg/b.py"
printf 'X = 1\n' >"$tree/newpkg/a.py"
run pkg.before "$tree" . --cache-dir "$tmp/cache-edit"
: >"$tree/newpkg/__init__.py"
run pkg.ref "$tree" . --no-cache
run pkg.warm "$tree" . --cache-dir "$tmp/cache-edit"
check "copied tree: a folder became a package, its 3 files miss" pkg.ref pkg.warm 'm == 3 && i == 0'
# the analyzed tree holds only what the test wrote: no cache inside it
find "$tree" | sort >"$tmp/tree.after"
extra=$(comm -13 "$tmp/tree.before" "$tmp/tree.after" | grep -v "^$tree/newpkg" | grep -v "^$tree/RL201/bar.py$")
if [ -z "$extra" ]; then
    pass "copied tree: nothing written inside the analyzed tree"
else
    fail "copied tree: files appeared in the analyzed tree: $(echo "$extra" | head -3 | tr '\n' ' ')"
fi

# ---- eviction: entries unused for 30 days, stale temporary files, once a day ----
evict="$tmp/cache-evict"
run evict.ref "$root" fixtures --no-cache
run evict.cold "$root" fixtures --cache-dir "$evict"
check "eviction: cold cache" evict.ref evict.cold 'm > 0 && i == 0'
n=$(entries "$evict" | wc -l)
sub=$(dirname "$(entries "$evict" | head -n 1)")
entries "$evict" | xargs touch -d '40 days ago'
touch -d '2 days ago' "$evict/last-prune"
touch -d '2 hours ago' "$sub/.tmp-Ab3xY9"   # left by a killed run
touch -d '10 minutes ago' "$sub/.tmp-Cd4zW0" # a concurrent run's write
touch -d '40 days ago' "$sub/notes.txt"
run evict.swept "$root" fixtures --cache-dir "$evict"
check "eviction: every entry 40 days old, removed and rebuilt" evict.ref evict.swept "m == $n && i == 0"
got=$(pruned_count evict.swept)
if [ "$got" = "$n" ] && [ ! -e "$sub/.tmp-Ab3xY9" ] && [ -e "$sub/.tmp-Cd4zW0" ] &&
    [ -e "$sub/notes.txt" ] && [ -z "$(find "$evict/last-prune" -mmin +60)" ]; then
    pass "eviction: $n old entries and the stale temporary file removed, the rest kept, stamp renewed"
else
    fail "eviction: ${got:-no} entries removed of $n; left in $sub: $(ls -A "$sub" | tr '\n' ' ')"
fi
# within the day: no sweep; the loads refresh the entries, so the next one keeps them
rm -f "$sub/notes.txt" "$sub/.tmp-Cd4zW0"
entries "$evict" | xargs touch -d '40 days ago'
run evict.day "$root" fixtures --cache-dir "$evict"
check "eviction: the same day, no second sweep: every file a hit" evict.ref evict.day 'm == 0'
if [ "$(pruned_count evict.day)" = 0 ] && [ -z "$(find "$evict" -mindepth 2 -type f -mtime +0)" ]; then
    pass "eviction: loaded entries refreshed"
else
    fail "eviction: $(pruned_count evict.day) removed, $(find "$evict" -mindepth 2 -type f -mtime +0 | wc -l) old entries after loading them"
fi
touch -d '2 days ago' "$evict/last-prune"
run evict.next "$root" fixtures --cache-dir "$evict"
check "eviction: the next day, refreshed entries kept: every file a hit" evict.ref evict.next 'm == 0'

# ---- the default location --------------------------------------------------------
run default.ref "$root" fixtures/RL201 --no-cache
run default.xdg "$root" fixtures/RL201
check "default location: same report" default.ref default.xdg 'm > 0'
if [ -f "$XDG_CACHE_HOME/reloadlint/CACHEDIR.TAG" ] && [ -n "$(entries "$XDG_CACHE_HOME/reloadlint")" ] &&
    grep -q "($XDG_CACHE_HOME/reloadlint)" "$tmp/default.xdg.err"; then
    pass "default: entries and CACHEDIR.TAG in \$XDG_CACHE_HOME/reloadlint"
else
    fail "default: nothing in \$XDG_CACHE_HOME/reloadlint ($(grep '^  cache' "$tmp/default.xdg.err"))"
fi
mkdir -p "$tmp/home"
(unset XDG_CACHE_HOME; export HOME="$tmp/home"; run default.home "$root" fixtures/RL201)
if [ -f "$tmp/home/.cache/reloadlint/CACHEDIR.TAG" ] && [ -n "$(entries "$tmp/home/.cache/reloadlint")" ]; then
    pass "default: entries and CACHEDIR.TAG in ~/.cache/reloadlint without XDG_CACHE_HOME"
else
    fail "default: nothing in ~/.cache/reloadlint ($(grep '^  cache' "$tmp/default.home.err"))"
fi

# ---- unusable cache folders: one warning, nothing else ------------------------
# unusable NAME: NAME's report equals the reference and stderr holds exactly
# one warning, about the cache.
unusable() {
    local name=$1 why warnings
    why=$(same unusable.ref "$name")
    warnings=$(grep -c '^reloadlint: warning:' "$tmp/$name.err")
    if [ "$warnings" -ne 1 ] || ! grep -q '^reloadlint: warning: .*cache' "$tmp/$name.err"; then
        why="$why $warnings warnings on stderr, expected one about the cache;"
    fi
    if [ -z "$why" ]; then
        pass "$2: one warning, same report and exit code"
    else
        fail "$2:$why $(grep '^reloadlint' "$tmp/$name.err" | head -3 | tr '\n' ' ')"
    fi
}
: >"$tmp/file.txt"
run unusable.ref "$root" fixtures --no-cache
run unusable.file "$root" fixtures --cache-dir "$tmp/file.txt/sub"
unusable unusable.file "cache folder below a regular file (cannot be created)"
if [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$tmp/readonly"
    chmod 555 "$tmp/readonly"
    run unusable.ro "$root" fixtures --cache-dir "$tmp/readonly"
    unusable unusable.ro "read-only cache folder (chmod 555)"
    mkdir -p "$tmp/ro-full"
    run ro.fill "$root" fixtures --cache-dir "$tmp/ro-full"
    chmod -R a-w "$tmp/ro-full"
    run unusable.rofull "$root" fixtures --cache-dir "$tmp/ro-full"
    check "read-only full cache folder: still read" unusable.ref unusable.rofull 'm == 0'
else
    echo "SKIP read-only cache folder: running as root, which writes anywhere"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
