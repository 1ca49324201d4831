#!/usr/bin/env python3
"""Corpus smoke test: a large real tree, every file accounted for.

    python3 tests/corpus_smoke.py --binary build-asan/reloadlint [-j 2] [ROOT]

ROOT defaults to /usr/lib/python3.11 (with Debian's libpython3.11-testsuite:
~1,650 files, 30 MB, Python 2 fixtures and deliberately broken files among
them). The analyzer runs once per format over ROOT with `--exclude
__pycache__` (so the default excludes, which skip the stdlib's own `venv`
package, do not hide files) and without the cache; each run must end with exit
code 0 or 1 (no signal, no exit 2: nothing there is unreadable), leave no
sanitizer report on stderr, and for JSON `files_analyzed + len(errors)` must
equal the number of Python files this script reaches itself: regular `*.py`
files (hard links and symlinks to files inside ROOT count once), plus every
`*.py` entry that cannot be analyzed (symlinks out of ROOT or dangling,
FIFOs, devices), folder symlinks not followed. SARIF must be a JSON object
with one notification per error. Ends with `N passed, N failed`.
"""
import argparse
import json
import os
import re
import stat
import subprocess
import sys
import time

SANITIZER_RE = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                          r"SUMMARY: UndefinedBehaviorSanitizer")


def reached(root):
    root_real = os.path.realpath(root)
    ids, entries = set(), 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                entries += 1  # dangling or a loop: listed
                continue
            if stat.S_ISDIR(st.st_mode):
                continue
            if os.path.islink(path):
                real = os.path.realpath(path)
                if not (real == root_real or real.startswith(root_real + os.sep)):
                    entries += 1  # not followed out of ROOT: listed
                    continue
            if stat.S_ISREG(st.st_mode):
                ids.add((st.st_dev, st.st_ino))
            else:
                entries += 1
    return len(ids) + entries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.environ.get("RELOADLINT_BIN"), required=False)
    ap.add_argument("-j", dest="jobs", default="2")
    ap.add_argument("--timeout", type=int, default=1200)
    ap.add_argument("root", nargs="?", default="/usr/lib/python3.11")
    args = ap.parse_args()
    passed = failed = 0

    def check(cond, name, detail=""):
        nonlocal passed, failed
        if cond:
            passed += 1
            print("PASS " + name)
        else:
            failed += 1
            print("FAIL %s%s" % (name, ": " + detail if detail else ""))
        sys.stdout.flush()

    if not os.path.isdir(args.root):
        check(False, "corpus %s present" % args.root,
              "install libpython3.11-testsuite (`make setup` does)")
        print("%d passed, %d failed" % (passed, failed))
        return 1
    want = reached(args.root)
    print("INFO %s: %d Python files reached" % (args.root, want))
    json_report = None
    for fmt in ("json", "sarif", "text", "github"):
        start = time.monotonic()
        try:
            p = subprocess.run([args.binary, "--format", fmt, "-j", args.jobs, "--no-cache",
                                "--exclude", "__pycache__", args.root],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            check(False, "%s: finished within %ds" % (fmt, args.timeout))
            continue
        secs = time.monotonic() - start
        err = p.stderr.decode("utf-8", "replace")
        print("INFO %s: exit %d in %.1fs, %d bytes of output" % (fmt, p.returncode, secs,
                                                                  len(p.stdout)))
        check(p.returncode in (0, 1), "%s: exit 0 or 1, no signal" % fmt,
              "exit %d; %s" % (p.returncode, err[-3000:]))
        check(not SANITIZER_RE.search(err), "%s: no sanitizer report" % fmt, err[-3000:])
        if fmt == "json":
            try:
                json_report = json.loads(p.stdout)
            except ValueError as e:
                check(False, "json: valid", str(e))
                continue
            got = json_report["files_analyzed"] + len(json_report["errors"])
            check(got == want, "json: files_analyzed + errors == %d files reached" % want,
                  "files_analyzed %d, errors %d" % (json_report["files_analyzed"],
                                                    len(json_report["errors"])))
            print("INFO json: %d findings, %d files analyzed, %d listed in errors"
                  % (len(json_report["findings"]), json_report["files_analyzed"],
                     len(json_report["errors"])))
        elif fmt == "sarif" and json_report is not None:
            try:
                log = json.loads(p.stdout)
                notes = log["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
                check(len(notes) == len(json_report["errors"]),
                      "sarif: one notification per error")
            except (ValueError, KeyError, IndexError) as e:
                check(False, "sarif: valid", str(e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
