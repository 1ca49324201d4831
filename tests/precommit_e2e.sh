#!/usr/bin/env bash
# End-to-end check of the pre-commit hook with Debian's real `pre-commit`:
# a throwaway git repository, `pre-commit try-repo` against this checkout.
#   1. a staged clean file passes;
#   2. a staged file with a stale from-import fails and prints the finding;
#   3. a staged change that only adds `importlib.reload(config)` makes the hook
#      report the stale `from config import X` in an unchanged file.
# Usage: tests/precommit_e2e.sh BINARY     (ends with "N passed, N failed")
set -u
bin=$(readlink -f "${1:?usage: precommit_e2e.sh BINARY}")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "PASS $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if ! command -v pre-commit >/dev/null 2>&1; then
    bad "pre-commit is not installed (make setup installs Debian's pre-commit)"
    finish
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the hook runs the reloadlint on PATH (language: system)
mkdir -p "$work/bin" && ln -s "$bin" "$work/bin/reloadlint"
export PATH="$work/bin:$PATH" PRE_COMMIT_HOME="$work/cache" GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
proj="$work/proj"
mkdir -p "$proj" && cd "$proj" || exit 1
git init -q . && git config commit.gpgsign false
cat > config.py <<'PY'
def handler():
    return "v1"
PY
cat > consumer.py <<'PY'
from config import handler


def serve():
    return handler()
PY
git add -A && git commit -qm base

try_repo() { pre-commit try-repo "$repo" reloadlint 2>&1; }

# 1. a clean staged file passes
cat > clean.py <<'PY'
import config


def serve():
    return config.handler()
PY
git add clean.py
out=$(try_repo); rc=$?
if [ $rc -eq 0 ] && grep -q "Passed" <<<"$out"; then ok "clean staged file passes"; else bad "clean staged file passes (rc=$rc)" "$out"; fi
git commit -qm clean

# 2. a staged file with a stale from-import (reloaded in the same file) fails
cat > stale.py <<'PY'
import importlib

import config
from config import handler


def refresh():
    importlib.reload(config)
    return handler()
PY
git add stale.py
out=$(try_repo); rc=$?
if [ $rc -ne 0 ] && grep -q "stale.py:4:20: RL301" <<<"$out"; then ok "stale from-import fails the hook"; else bad "stale from-import fails the hook (rc=$rc)" "$out"; fi
git rm -q --cached stale.py && rm stale.py

# 3. a change that only adds importlib.reload(config) surfaces consumer.py
cat > reloader.py <<'PY'
import importlib

import config


def hot_reload():
    importlib.reload(config)
PY
git add reloader.py
out=$(try_repo); rc=$?
if [ $rc -ne 0 ] && grep -q "consumer.py:1:20: RL301" <<<"$out" && grep -q "reloader.py:7:5" <<<"$out"; then
    ok "adding a reload surfaces the stale import in an unchanged file"
else
    bad "adding a reload surfaces the stale import in an unchanged file (rc=$rc)" "$out"
fi
finish
