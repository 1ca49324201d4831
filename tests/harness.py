#!/usr/bin/env python3
"""Prove the fixture labels by running the scenarios.

    python3 tests/harness.py [--python PY] [-j N] [-v] [CODE|SCENARIO ...]

For every scenario fixtures/RLxxx/pos_*.py and neg_*.py, run it in a fresh
interpreter (cwd = its fixture folder, that folder first on sys.path, no
bytecode written) under the instrumentation of tests/harness/boot.py, and
decide from what it observed whether the rule's hazard happened:

RL101  an entry that was in sys.modules was removed during the run (seen at
       the next line executed in a fixture file; temporary removals such as
       patch.dict(clear=True) count).
RL102  the import system created a second module object for a name while an
       earlier object for that name was still alive (split brain); reported
       at the scenario line that triggered the load. A negative must not load
       any name twice at all (even when the first object is already gone).
RL103  sys.modules[name] came to hold an object that the import system did
       not create for that name (stubs, fakes, a module under a second name).
RL201  a reload ran: importlib.reload / imp.reload re-executed the target's
       own module body into the same module object; or a Python 2 builtin
       `reload(...)` call was attempted (NameError for `reload` on a line that
       calls it - on Python 2 that call reloads).
RL202  a reload call failed because the module is gone: reload() raised
       ImportError / ModuleNotFoundError ("module M not in sys.modules"), or
       evaluating its argument `sys.modules[M]` raised KeyError on the line of
       the reload call.
RL203  a reload went through imp (imp.reload under any name; the import of
       imp also emits "the imp module is deprecated ... removal in Python
       3.12"), or a builtin `reload(...)` call raised NameError.
RL205  a reload of a built-in/special module did not re-initialise it:
       - it raised (e.g. ModuleNotFoundError for __main__, which has no spec), or
       - no code of the target ran into its namespace during the reload
         (built-in modules: sys, builtins, marshal, time, gc, itertools, posix,
         _thread ...: the reload is a silent no-op; patched attributes stay
         patched, sys.setdefaultencoding does not come back), or
       - the target is a facade whose state lives in modules the reload does
         not re-execute (importlib -> importlib._bootstrap[_external], the
         frozen import system; imp -> the built-in _imp).

A positive must show its hazard, a negative must not. For RL102, RL201, RL202,
RL203 and RL205 the hazard has a precise scenario line, and every such line of
a positive must carry `# expect: CODE`. When fixtures/RLxxx/expected.txt
exists, the files it reports must be exactly the positives, and its finding
lines must include every hazard line: analyzer and execution must agree.

Every scenario must also run cleanly (exit 0, no uncaught exception) and no
__pycache__ may appear under fixtures/. Prints one line per scenario and ends
with `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
BOOT = os.path.join(ROOT, "tests", "harness", "boot.py")

SITE_RULES = {"RL102", "RL201", "RL202", "RL203", "RL205"}
EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
RELOAD_CALL_RE = re.compile(r"\breload\s*\(")
FINDING_LINE_RE = re.compile(r"^([^\s:]+\.py):(\d+):(\d+): (RL\d+)\b")


def strip_comment(line):
    return line.split("#", 1)[0]


def expect_lines(path, code):
    """Lines of path carrying `# expect: CODE`."""
    out = set()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            m = EXPECT_RE.search(line)
            if m and code in [c.strip() for c in m.group(1).split(",")]:
                out.add(n)
    return out


def parse_expected(path):
    """(relpath, line) of every finding in an expected.txt (text format:
    each finding starts a line with `path:line:col: CODE`)."""
    found = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = FINDING_LINE_RE.match(line)
            if m:
                found.add((m.group(1).replace("\\", "/"), int(m.group(2))))
    return found


def loc(site):
    return "%s:%s" % (site[0], site[1]) if site else "?"


# ---- hazards ------------------------------------------------------------------
# Each returns (list of (description, site)); empty = no hazard.

def _reload_call_line(src_lines, site):
    if not site:
        return False
    n = site[1]
    return 1 <= n <= len(src_lines) and bool(RELOAD_CALL_RE.search(strip_comment(src_lines[n - 1])))


def _builtin_reload_nameerrors(obs, src_lines, scenario):
    out = []
    for e in obs["exceptions"]:
        if e["type"] == "NameError" and e.get("name") == "reload" and e["site"] and \
                e["site"][0] == scenario and _reload_call_line(src_lines, e["site"]):
            out.append(("builtin reload() call raised NameError at %s (Python 2 only)" % loc(e["site"]), e["site"]))
    return out


def hazard_RL101(obs, src_lines, scenario):
    out = []
    for r in obs["removed"]:
        keys = ", ".join(r["keys"][:3]) + (", ... (%d entries)" % r["count"] if r["count"] > 3 else "")
        out.append(("removed %s from sys.modules after %s" % (keys, loc(r["after"])), r["after"]))
    return out


def hazard_RL102(obs, src_lines, scenario):
    return [("second module object for %s created at %s while %d earlier one(s) alive"
             % (s["name"], loc(s["site"]), s["earlier_alive"]), s["site"]) for s in obs["splits"]]


def second_loads(obs):
    """Negatives of RL102 are held to more: no module body may run twice at
    all, even when the first module object is already gone."""
    return ["%s loaded a second time at %s" % (s["name"], loc(s["site"])) for s in obs.get("second_loads", [])]


def hazard_RL103(obs, src_lines, scenario):
    return [("sys.modules[%r] = a %s the import system did not create for it (after %s)"
             % (r["key"], r["type"], loc(r["after"])), r["after"]) for r in obs["replaced"]]


def hazard_RL201(obs, src_lines, scenario):
    out = []
    for r in obs["reloads"]:
        if r.get("outcome") == "ok" and r.get("same_object") and r.get("executed_target"):
            out.append(("%s.reload re-executed %s into the same module at %s" % (r["via"], r["target"], loc(r["site"])),
                        r["site"]))
    return out + _builtin_reload_nameerrors(obs, src_lines, scenario)


def hazard_RL202(obs, src_lines, scenario):
    out = []
    for r in obs["reloads"]:
        if r.get("import_error"):
            out.append(("reload(%s) at %s raised %s: %s" % (r["target"], loc(r["site"]), r["outcome"], r["message"]),
                        r["site"]))
    for e in obs["exceptions"]:
        if e["type"] == "KeyError" and e["site"] and e["site"][0] == scenario and \
                _reload_call_line(src_lines, e["site"]):
            out.append(("reload argument lookup raised KeyError %s at %s" % (e["message"], loc(e["site"])), e["site"]))
    return out


def hazard_RL203(obs, src_lines, scenario):
    out = []
    deprecated = any(w["category"] == "DeprecationWarning" and "imp module is deprecated" in w["message"]
                     for w in obs["warnings"])
    for r in obs["reloads"]:
        if r["via"] == "imp":
            out.append(("imp.reload(%s) at %s%s" % (r["target"], loc(r["site"]),
                                                     " (imp DeprecationWarning seen)" if deprecated else ""),
                        r["site"]))
    return out + _builtin_reload_nameerrors(obs, src_lines, scenario)


def hazard_RL205(obs, src_lines, scenario):
    out = []
    for r in obs["reloads"]:
        what = None
        if r.get("outcome") != "ok":
            what = "raised %s: %s" % (r.get("outcome"), r.get("message"))
        elif not r.get("executed_target"):
            what = "re-executed nothing (%s)" % ("built-in module" if r.get("builtin") else "no source ran")
        elif r.get("implementation") and not r.get("implementation_executed"):
            what = "re-ran only the facade; %s not re-executed" % ", ".join(r["implementation"])
        if what:
            out.append(("reload(%s) at %s %s" % (r["target"], loc(r["site"]), what), r["site"]))
    return out


HAZARDS = {
    "RL101": hazard_RL101,
    "RL102": hazard_RL102,
    "RL103": hazard_RL103,
    "RL201": hazard_RL201,
    "RL202": hazard_RL202,
    "RL203": hazard_RL203,
    "RL205": hazard_RL205,
}


# ---- running --------------------------------------------------------------------

def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_COLOR"] = "1"
    return env


def run_scenario(python, folder, scenario, timeout):
    with tempfile.TemporaryDirectory(prefix="rl-harness-") as tmp:
        out = os.path.join(tmp, "obs.json")
        try:
            proc = subprocess.run(
                [python, "-E", "-s", "-B", BOOT, out, folder, os.path.join(folder, scenario)],
                cwd=folder, env=clean_env(), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "timed out after %ds" % timeout, ""
        text = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
        if not os.path.exists(out):
            return None, "no observations written (exit %d)" % proc.returncode, text
        with open(out, encoding="utf-8") as fh:
            obs = json.load(fh)
        obs["_returncode"] = proc.returncode
        return obs, None, text


def judge(code, folder, scenario, obs, expected):
    """Returns (ok, message)."""
    path = os.path.join(folder, scenario)
    with open(path, encoding="utf-8") as fh:
        src_lines = fh.read().splitlines()
    positive = scenario.startswith("pos_")
    hazards = HAZARDS[code](obs, src_lines, scenario)
    labels = expect_lines(path, code)
    problems = []

    if obs.get("uncaught"):
        u = obs["uncaught"]
        problems.append("scenario crashed: %s: %s at %s" % (u["type"], u["message"], loc(u["site"])))
    elif obs["exit_code"] != 0 or obs["_returncode"] != 0:
        problems.append("scenario exited with %s" % (obs["exit_code"] or obs["_returncode"]))

    if positive and not labels:
        problems.append("positive without a `# expect: %s` line" % code)
    if not positive and labels:
        problems.append("negative with `# expect: %s` on line(s) %s" % (code, sorted(labels)))

    if positive and not hazards:
        problems.append("no hazard observed")
    if not positive and hazards:
        problems.append("hazard observed in a negative")
    if code == "RL102" and not positive and not hazards and second_loads(obs):
        problems.append("module body ran twice in a negative: " + "; ".join(second_loads(obs)[:3]))

    hazard_lines = {h[1][1] for h in hazards if h[1] and h[1][0] == scenario}
    if positive and code in SITE_RULES:
        unlabeled = sorted(hazard_lines - labels)
        if unlabeled:
            problems.append("hazard on line(s) %s without `# expect: %s`" % (unlabeled, code))

    if expected is not None:
        finding_lines = {ln for (p, ln) in expected if p == scenario}
        if positive and not finding_lines:
            problems.append("expected.txt has no finding in this positive")
        if not positive and finding_lines:
            problems.append("expected.txt has findings in this negative on line(s) %s" % sorted(finding_lines))
        if positive and code in SITE_RULES:
            missed = sorted(hazard_lines - finding_lines)
            if missed:
                problems.append("hazard on line(s) %s not reported in expected.txt" % missed)

    if hazards:
        seen = []
        for desc, _site in hazards:
            if desc not in seen:
                seen.append(desc)
        observation = "; ".join(seen[:3]) + (" (+%d more)" % (len(seen) - 3) if len(seen) > 3 else "")
    else:
        observation = "no %s hazard" % code
    if problems:
        return False, "%s [%s]" % ("; ".join(problems), observation)
    return True, observation


def discover(selection):
    """[(code, folder, scenario)] in sorted order."""
    items = []
    for entry in sorted(os.listdir(FIXTURES)):
        folder = os.path.join(FIXTURES, entry)
        if not (entry.startswith("RL") and os.path.isdir(folder)):
            continue
        if entry not in HAZARDS:
            print("SKIP %s: no execution oracle for this rule in tests/harness.py" % entry)
            continue
        for name in sorted(os.listdir(folder)):
            if (name.startswith("pos_") or name.startswith("neg_")) and name.endswith(".py"):
                items.append((entry, folder, name))
    if selection:
        def wanted(item):
            code, _folder, name = item
            for s in selection:
                if s == code or s == name or s == "%s/%s" % (code, name) or \
                        os.path.abspath(s) == os.path.join(FIXTURES, code, name):
                    return True
            return False
        items = [i for i in items if wanted(i)]
    return items


def pycache_dirs():
    out = []
    for dirpath, dirnames, _files in os.walk(FIXTURES):
        for d in dirnames:
            if d == "__pycache__":
                out.append(os.path.relpath(os.path.join(dirpath, d), ROOT))
    return sorted(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default=sys.executable, help="interpreter to run scenarios with (default: this one)")
    ap.add_argument("-j", "--jobs", type=int, default=max(2, os.cpu_count() or 2))
    ap.add_argument("-v", "--verbose", action="store_true", help="print scenario output on failure and the raw observations")
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("select", nargs="*", help="rule codes (RL101) or scenario names to run")
    args = ap.parse_args(argv)

    items = discover(args.select)
    if not items:
        print("FAIL no scenarios found under %s" % os.path.relpath(FIXTURES, ROOT))
        print("0 passed, 1 failed")
        return 1

    expected = {}
    for code in sorted({i[0] for i in items}):
        p = os.path.join(FIXTURES, code, "expected.txt")
        expected[code] = parse_expected(p) if os.path.exists(p) else None

    before_pycache = set(pycache_dirs())
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_scenario, args.python, folder, name, args.timeout) for code, folder, name in items]
        for (code, folder, name), fut in zip(items, futures):
            obs, err, text = fut.result()
            if obs is None:
                ok, msg = False, err
            else:
                ok, msg = judge(code, folder, name, obs, expected[code])
            label = "%s/%s" % (code, name)
            print("%s %s: %s" % ("PASS" if ok else "FAIL", label, msg))
            if not ok and args.verbose:
                for line in text.splitlines():
                    print("    | " + line)
                if obs is not None:
                    print("    obs: " + json.dumps({k: v for k, v in obs.items() if k != "fixture_loads"}))
            if ok:
                passed += 1
            else:
                failed += 1

    new_pycache = sorted(set(pycache_dirs()) - before_pycache)
    if new_pycache:
        print("FAIL fixtures: __pycache__ written: %s" % ", ".join(new_pycache))
        failed += 1
    else:
        print("PASS fixtures: no __pycache__ written")
        passed += 1

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
