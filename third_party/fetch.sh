#!/usr/bin/env bash
# Fetch the pinned third-party C sources listed in third_party/deps.lock.
#
# For every lock line (see the header of deps.lock for the format):
#   - if third_party/<dest>/.stamp already records the same
#     name/version/integrity/src_subdir, the dependency is skipped (no network,
#     so offline rebuilds work);
#   - otherwise `npm pack name@version` downloads the tarball into a temporary
#     directory, its SHA-512 integrity is checked against the lock, and
#     <src_subdir> is unpacked into third_party/<dest>/ (replacing it whole).
#
# Usage: bash third_party/fetch.sh [--force]
#   --force   ignore stamps and re-fetch everything
# Environment:
#   RL_DEPS_LOCK   alternative lock file (default: third_party/deps.lock)
#   NPM            npm executable to use (default: npm)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock="${RL_DEPS_LOCK:-$here/deps.lock}"
npm_bin="${NPM:-npm}"
force=0

die() { echo "fetch.sh: error: $*" >&2; exit 1; }
log() { echo "fetch.sh: $*"; }

for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (usage: fetch.sh [--force])" ;;
    esac
done

[ -f "$lock" ] || die "lock file not found: $lock"

tmp_dirs=()
cleanup() {
    local d
    for d in "${tmp_dirs[@]+"${tmp_dirs[@]}"}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# Serialise concurrent runs (e.g. two builds started at once).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$here/.fetch.lock"
    flock 9
fi

check_tools() {
    if ! command -v "$npm_bin" >/dev/null 2>&1; then
        die "'$npm_bin' not found in PATH, but it is needed to download $1.
  Install it with:  make setup
  (or as root:      apt-get install -y --no-install-recommends nodejs npm)
  Already-fetched dependencies are reused without npm; only missing or
  outdated ones need it."
    fi
    command -v openssl >/dev/null 2>&1 \
        || die "'openssl' not found (needed to verify $1); run 'make setup' or apt-get install openssl"
    command -v tar >/dev/null 2>&1 || die "'tar' not found"
    command -v base64 >/dev/null 2>&1 || die "'base64' not found (coreutils)"
}

fetched=0
skipped=0
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    line="${line%%#*}"
    fields=()
    read -r -a fields <<<"$line" || true
    [ "${#fields[@]}" -eq 0 ] && continue
    [ "${#fields[@]}" -eq 5 ] \
        || die "$lock:$lineno: expected 5 fields (name version integrity dest_dir src_subdir), got ${#fields[@]}"
    name="${fields[0]}" version="${fields[1]}" integrity="${fields[2]}"
    dest="${fields[3]}" src_subdir="${fields[4]%/}"

    [[ "$name" =~ ^(@[a-z0-9._-]+/)?[a-z0-9._-]+$ ]] || die "$lock:$lineno: bad package name '$name'"
    [[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || die "$lock:$lineno: bad version '$version'"
    [[ "$integrity" =~ ^sha512-[A-Za-z0-9+/]+=*$ ]] \
        || die "$lock:$lineno: integrity must look like sha512-<base64>, got '$integrity'"
    [[ "$dest" =~ ^[A-Za-z0-9._-]+$ && "$dest" != "." && "$dest" != ".." ]] \
        || die "$lock:$lineno: dest_dir must be a plain directory name, got '$dest'"
    [[ "$src_subdir" =~ ^package(/[A-Za-z0-9._-]+)+$ && "$src_subdir" != *..* ]] \
        || die "$lock:$lineno: src_subdir must be a path below package/, got '$src_subdir'"

    dest_path="$here/$dest"
    keep="$(basename "$src_subdir")"
    stamp_text="$name $version $integrity $src_subdir"

    if [ "$force" -eq 0 ] && [ -f "$dest_path/.stamp" ] && [ -d "$dest_path/$keep" ] \
        && [ "$(cat "$dest_path/.stamp")" = "$stamp_text" ]; then
        log "$name@$version: up to date (third_party/$dest), skipping"
        skipped=$((skipped + 1))
        continue
    fi

    check_tools "$name@$version"
    log "$name@$version: downloading with npm pack"
    # Temp dir inside third_party/ so the final mv is a same-filesystem rename.
    tmp="$(mktemp -d "$here/.fetch.XXXXXX")"
    tmp_dirs+=("$tmp")
    mkdir "$tmp/pack" "$tmp/unpack" "$tmp/stage"

    if ! (cd "$tmp/pack" && npm_config_update_notifier=false npm_config_fund=false \
            npm_config_audit=false "$npm_bin" pack "$name@$version" \
            --pack-destination "$tmp/pack" --silent --ignore-scripts --prefer-offline \
            </dev/null >"$tmp/npm.log" 2>&1); then
        cat "$tmp/npm.log" >&2 || true
        die "'npm pack $name@$version' failed (network? registry? see output above)"
    fi

    tarballs=("$tmp/pack"/*.tgz)
    [ "${#tarballs[@]}" -eq 1 ] && [ -f "${tarballs[0]}" ] \
        || die "npm pack $name@$version did not produce exactly one .tgz in $tmp/pack"
    tarball="${tarballs[0]}"

    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$actual" != "$integrity" ]; then
        die "integrity mismatch for $name@$version
  expected (deps.lock): $integrity
  actual   (tarball):   $actual
  Refusing to unpack. If the version in deps.lock was changed on purpose,
  update its integrity too; otherwise the download is not what was locked."
    fi
    log "$name@$version: integrity OK"

    tar -xzf "$tarball" -C "$tmp/unpack" --no-same-owner --no-same-permissions \
        || die "could not unpack $tarball"
    [ -d "$tmp/unpack/$src_subdir" ] \
        || die "$name@$version: '$src_subdir' not found in the tarball (check src_subdir in deps.lock)"

    cp -R "$tmp/unpack/$src_subdir" "$tmp/stage/$keep"
    if [ -f "$tmp/unpack/package/LICENSE" ]; then
        cp "$tmp/unpack/package/LICENSE" "$tmp/stage/LICENSE"
    fi
    printf '%s\n' "$stamp_text" >"$tmp/stage/.stamp"

    rm -rf "$dest_path"
    mv "$tmp/stage" "$dest_path"
    log "$name@$version: unpacked $src_subdir -> third_party/$dest/$keep"
    fetched=$((fetched + 1))
done <"$lock"

[ $((fetched + skipped)) -gt 0 ] || die "no dependencies listed in $lock"
log "done ($fetched fetched, $skipped already up to date)"
