#!/usr/bin/env python3
"""Execution proof of fixtures/RL305 (reload-masks-removed-name).

    python3 tests/check_rl305.py --binary BUILD/reloadlint [--python PY]

The fixture modules hold the *current* source: the names the positives use
were removed from them. For every scenario, in a scratch copy of the folder
(fresh interpreters, no bytecode):

* pos_*.py, fresh start: the scenario fails with AttributeError or
  ImportError, raised on a line labelled `# expect: RL305`;
* pos_*.py, hot-reload session: reloadlint's findings in the scenario name
  (symbol, target); each target module is first imported with its *old*
  source (the current one plus a definition of every flagged name), then its
  file is rewritten with the current source, and the scenario runs: its
  importlib.reload keeps every removed name alive, so it completes - and
  after it the module still has the names its source no longer defines;
* neg_*.py, fresh start: the scenario completes (the names it reads are
  really there, or are never read), and reloadlint flags nothing in the folder
  outside the positives.

Prints one line per check and `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "fixtures", "RL305")
LABEL = re.compile(r"#\s*expect:\s*RL305\b")
TIMEOUT = 60

# Runs a scenario; on an uncaught exception prints one JSON line naming its
# type and the innermost frame inside the scratch folder, and exits 3.
DRIVER = r'''
import importlib, json, os, runpy, sys, traceback
folder, scenario, old = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path.insert(0, folder)
sys.dont_write_bytecode = True
current = {}
for module, (path, names) in old.items():
    with open(path, encoding="utf-8") as fh:
        current[path] = fh.read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(current[path] + "".join(
            "\n\ndef %s(*args, **kwargs):\n    return 'old %s'\n" % (n, n) for n in names))
    importlib.import_module(module)            # the session starts with the old source
for path, text in current.items():             # ... then the developer removes the names
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
importlib.invalidate_caches()
try:
    runpy.run_path(os.path.join(folder, scenario), run_name="__main__")
except BaseException as exc:
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.realpath(f.filename).startswith(os.path.realpath(folder) + os.sep)]
    f = frames[-1] if frames else None
    print(json.dumps({"type": type(exc).__name__, "message": str(exc),
                      "file": os.path.relpath(f.filename, folder) if f else None,
                      "line": f.lineno if f else None}))
    sys.exit(3)
survivors = {m: [n for n in names if not hasattr(sys.modules[m], n)] for m, (_p, names) in old.items()}
print(json.dumps({"ok": True, "lost": {m: v for m, v in survivors.items() if v}}))
'''


def module_path(folder, module):
    base = os.path.join(folder, *module.split("."))
    for cand in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.exists(cand):
            return cand
    return None


def labelled(folder):
    out = set()
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as fh:
                for i, line in enumerate(fh, 1):
                    if LABEL.search(line):
                        out.add((os.path.relpath(path, folder), i))
    return out


def run(python, folder, scenario, old):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH="")
    p = subprocess.run([python, "-B", "-c", DRIVER, folder, scenario, json.dumps(old)], cwd=folder,
                       env=env, capture_output=True, text=True, timeout=TIMEOUT)
    last = (p.stdout.strip().splitlines() or ["{}"])[-1]
    try:
        obs = json.loads(last)
    except ValueError:
        obs = {}
    obs["_rc"] = p.returncode
    obs["_stderr"] = p.stderr[-2000:]
    return obs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.environ.get("RELOADLINT", os.path.join(ROOT, "build", "reloadlint")))
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args(argv)
    args.binary = os.path.abspath(args.binary)
    passed = failed = 0

    def check(cond, name, detail):
        nonlocal passed, failed
        if cond:
            passed += 1
            print("PASS %s" % name)
        else:
            failed += 1
            print("FAIL %s: %s" % (name, detail))

    p = subprocess.run([args.binary, "--select", "RL305", "--no-cache", "--format", "json", "."],
                       cwd=FOLDER, capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode not in (0, 1):
        print("FAIL reloadlint exited %d: %s" % (p.returncode, p.stderr.strip()))
        return 1
    findings = json.loads(p.stdout)["findings"]
    labels = labelled(FOLDER)
    scenarios = sorted(n for n in os.listdir(FOLDER)
                       if n.endswith(".py") and (n.startswith("pos_") or n.startswith("neg_")))
    for f in findings:
        check(f["path"].startswith("pos_"), "RL305 %s:%d in a positive" % (f["path"], f["line"]),
              "finding outside the positives")

    for scenario in scenarios:
        with tempfile.TemporaryDirectory(prefix="rl305-") as tmp:
            work = os.path.join(tmp, "fx")
            shutil.copytree(FOLDER, work, ignore=shutil.ignore_patterns("__pycache__", "expected.txt"))
            fresh = run(args.python, work, scenario, {})
            if scenario.startswith("neg_"):
                check(fresh["_rc"] == 0 and fresh.get("ok"), "%s fresh start completes" % scenario,
                      "%s %s" % (fresh.get("type"), fresh.get("message") or fresh["_stderr"]))
                continue
            broke = fresh.get("type") in ("AttributeError", "ImportError") and \
                (fresh.get("file"), fresh.get("line")) in labels
            check(broke, "%s fresh start raises on a labelled line" % scenario,
                  "observed %s" % {k: v for k, v in fresh.items() if not k.startswith("_")})
            old = {}
            for f in findings:
                if f["path"] != scenario:
                    continue
                path = module_path(work, f["target"])
                if path is None:
                    check(False, "%s target %s" % (scenario, f["target"]), "no source for the target")
                    continue
                old.setdefault(f["target"], [path, []])[1].append(f["symbol"])
            check(bool(old), "%s has findings" % scenario, "reloadlint flags nothing in it")
            if not old:
                continue
        with tempfile.TemporaryDirectory(prefix="rl305-") as tmp:
            work = os.path.join(tmp, "fx")
            shutil.copytree(FOLDER, work, ignore=shutil.ignore_patterns("__pycache__", "expected.txt"))
            for m in old:
                old[m][0] = module_path(work, m)
            session = run(args.python, work, scenario, old)
            check(session["_rc"] == 0 and session.get("ok") and not session.get("lost"),
                  "%s survives the reload in a session (%s)" % (
                      scenario, ", ".join("%s.%s" % (m, n) for m, (_p, ns) in sorted(old.items()) for n in ns)),
                  "observed %s %s" % ({k: v for k, v in session.items() if not k.startswith("_")},
                                      session["_stderr"]))

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
