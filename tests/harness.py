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

Cross-module rules: tests/harness/identity.py (see its docstring) compares,
after the scenario and its reloads ran, every copied binding of every module
loaded from the fixture folder with its current origin object:

RL301  a module/class-level `from M import name` still holds an object that
       its origin module replaced during a reload (value copies of literals:
       the origin module was re-executed after the copy was made).
RL302  likewise for `name = M.attr` (module/class level) and for default
       arguments `def f(x=M.attr)` of live function objects.
RL303  a `from M import *` bound at least one name that is stale that way.
RL304  a class used by isinstance/issubclass/except/type(x) is C now has
       another version made by a reload: objects of the other version fail
       the check.
RL204  a reload of a package re-ran its __init__, whose re-exports from its own
       submodules still hold the submodules' old objects (the submodules did
       not run again).

For these rules a finding may live in a helper module (the package __init__
that re-exports a reloaded submodule's function), so labels are checked
across the folder: every stale binding observed must sit on a line carrying
`# expect: CODE` (in any file); a positive must show at least one, and each
label of its own file must be observed in its run; a negative must show none
in its own file (stale bindings it causes in helpers must be labeled there);
every label of a helper module must be proven by at least one scenario; every
scenario must actually run a reload. With expected.txt, every stale binding
of a positive must be reported there, a negative must have no finding, and
every reported line must be shown stale by some scenario. A
folder holding args.txt (fixtures/assume/) runs with the
`--assume-reloaded MODULE` arguments found there: boot.py reloads those
modules after the scenario - each module on its own, in its own run of the
scenario (`pkg.*` expands to the package and each of its modules), as a file
watcher reloads the one module that was edited; a binding is stale when some
assumed module's reload makes it stale - and labels of RL301-RL304 are judged
together.

Re-execution rules: for fixtures/RL401/ and fixtures/RL402/ boot.py runs with
--effects and tests/harness/effects.py (see its docstring) watches every
reload of a fixture module M line by line:

RL401  a module-level line of M (module body, top-level if/try/..., class
       bodies; what functions called from there do is charged to that line)
       changed state outside M while the reload re-ran it: attributes of other
       modules (monkey patches), their containers (sys.path, sys.meta_path,
       os.environ, warnings.filters, copyreg.dispatch_table, other.REGISTRY
       ...), the objects and classes other fixture modules hold (a signal's
       receivers, an app's routes), atexit callbacks, signal handlers,
       logger handlers/filters/levels/disabled, threads alive, codec search
       functions. E.g. atexit callbacks 1 -> 2, the sys.path entry twice, a
       new signal handler, json.dumps a wrapper of the previous wrapper, a
       value the application changed since the import written over again.
RL402  a module-level container of M (dict, list, set, deque, defaultdict,
       Counter, OrderedDict, weak containers) held N entries right before the
       reload; when the scenario has ended its name holds another object with
       fewer entries: what other modules put there is lost and nothing put it
       back (a module that fills its registry itself refills it; the
       `try: REG except NameError: REG = {}` idiom keeps the object).

Each observation is mapped to the line a finding names: the first line of the
innermost import-time statement containing the line that ran (the decorator's
line for a decorator call; for RL402 the statement that re-binds the
container). The labels sit in the reloaded helper modules. A positive must
show at least one hazard, every hazard must be on a `# expect: CODE` line, and
every label of the scenario and of the modules it reloads must be observed in
its run; a negative must show no hazard at all and carry no label; every label
of the folder must be proven by some scenario; every scenario must run a
reload. With expected.txt, every hazard of a positive must be reported, no line
of a negative or of the modules it reloads may be, and every reported line
must be a hazard some scenario showed.

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
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
BOOT = os.path.join(ROOT, "tests", "harness", "boot.py")

SITE_RULES = {"RL102", "RL201", "RL202", "RL203", "RL205"}
IDENTITY_RULES = ("RL204", "RL301", "RL302", "RL303", "RL304")
EFFECT_RULES = ("RL401", "RL402")
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


def parse_expected(path, with_code=False):
    """(relpath, line) of every finding in an expected.txt (text format:
    each finding starts a line with `path:line:col: CODE`); with_code adds the CODE."""
    found = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = FINDING_LINE_RE.match(line)
            if m:
                key = (m.group(1).replace("\\", "/"), int(m.group(2)))
                found.add(key + (m.group(4),) if with_code else key)
    return found


def folder_labels(folder, codes):
    """{(relpath, line, CODE)} of every `# expect: CODE` line of the .py files under folder."""
    out = set()
    for dirpath, dirnames, files in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            path = os.path.join(dirpath, f)
            relp = os.path.relpath(path, folder).replace(os.sep, "/")
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    m = EXPECT_RE.search(line)
                    if m:
                        for c in m.group(1).split(","):
                            if c.strip() in codes:
                                out.add((relp, n, c.strip()))
    return out


def folder_config(folder):
    """Rules judged in a fixture folder and the --assume-reloaded modules of its args.txt."""
    entry = os.path.basename(folder)
    args_path = os.path.join(folder, "args.txt")
    if not os.path.exists(args_path):
        return [entry], []
    with open(args_path, encoding="utf-8") as fh:
        argv = shlex.split(fh.read(), comments=True)
    assume, select = [], None
    for i, a in enumerate(argv):
        if a == "--assume-reloaded" and i + 1 < len(argv):
            assume.append(argv[i + 1])
        elif a.startswith("--assume-reloaded="):
            assume.append(a.split("=", 1)[1])
        elif a == "--select" and i + 1 < len(argv):
            select = argv[i + 1]
        elif a.startswith("--select="):
            select = a.split("=", 1)[1]
    prefixes = [p.strip() for p in select.split(",")] if select else ["RL3", "RL204"]
    codes = [c for c in IDENTITY_RULES if any(c.startswith(p) for p in prefixes)]
    return codes, assume


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


def identity_hazards(obs, code):
    """[(description, site)] of the stale bindings identity.py observed for code."""
    if not any(r.get("outcome") == "ok" for r in obs.get("reloads", ())):
        problems.append("no reload ran: the scenario proves nothing")
    ident = obs.get("identity")
    if not isinstance(ident, list):
        return []
    return [("%s at %s: %s" % (r["how"], loc(r["site"]), r["detail"]), tuple(r["site"]))
            for r in ident if r["rule"] == code and r["stale"]]


HAZARDS = {
    "RL101": hazard_RL101,
    "RL102": hazard_RL102,
    "RL103": hazard_RL103,
    "RL201": hazard_RL201,
    "RL202": hazard_RL202,
    "RL203": hazard_RL203,
    "RL205": hazard_RL205,
}
for _code in IDENTITY_RULES:
    HAZARDS[_code] = (lambda c: lambda obs, src_lines, scenario: identity_hazards(obs, c))(_code)


def effect_hazards(obs, code):
    """[(description, site)] of what tests/harness/effects.py saw a reload re-do (RL401)
    or reset (RL402)."""
    eff = obs.get("effects")
    if not isinstance(eff, dict) or not isinstance(eff.get("records"), list):
        return []
    return [("%s at %s: %s" % ("repeated" if code == "RL401" else "reset", loc(r["site"]), r["detail"]),
             tuple(r["site"])) for r in eff["records"] if r["rule"] == code]


for _code in EFFECT_RULES:
    HAZARDS[_code] = (lambda c: lambda obs, src_lines, scenario: effect_hazards(obs, c))(_code)


# ---- running --------------------------------------------------------------------

def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_COLOR"] = "1"
    return env


def folder_modules(folder):
    """Module names of the .py files under folder (import root = folder)."""
    out = []
    for dirpath, dirnames, files in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for f in files:
            if not f.endswith(".py"):
                continue
            relp = os.path.relpath(os.path.join(dirpath, f), folder)
            parts = relp[:-3].split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts:
                out.append(".".join(parts))
    return sorted(out)


def expand_assumed(folder, patterns):
    """--assume-reloaded patterns -> the folder's modules they name (`pkg.*`: pkg and its submodules)."""
    mods = folder_modules(folder)
    out = []
    for pat in patterns:
        if pat.endswith(".*"):
            base = pat[:-2]
            out += [m for m in mods if m == base or m.startswith(base + ".")]
        elif pat in mods:
            out.append(pat)
    return sorted(set(out))


def merge_runs(results):
    """One observation from the runs of one scenario (one run per assumed module)."""
    merged, errors, texts = None, [], []
    for obs, err, text in results:
        texts.append(text)
        if obs is None:
            errors.append(err)
            continue
        if merged is None:
            merged = dict(obs)
            merged["identity"] = list(obs["identity"]) if isinstance(obs.get("identity"), list) else obs.get("identity")
            merged["reloads"] = list(obs["reloads"])
            continue
        if isinstance(merged.get("identity"), list) and isinstance(obs.get("identity"), list):
            merged["identity"] += obs["identity"]
        elif not isinstance(obs.get("identity"), list):
            merged["identity"] = obs.get("identity")
        merged["reloads"] += obs["reloads"]
        merged["uncaught"] = merged.get("uncaught") or obs.get("uncaught")
        merged["exit_code"] = merged["exit_code"] or obs["exit_code"]
        merged["_returncode"] = merged["_returncode"] or obs["_returncode"]
    if errors:
        return None, "; ".join(errors), "\n".join(texts)
    return merged, None, "\n".join(texts)


def run_scenario(python, folder, scenario, timeout, assume=()):
    with tempfile.TemporaryDirectory(prefix="rl-harness-") as tmp:
        out = os.path.join(tmp, "obs.json")
        extra = []
        for a in assume:
            extra += ["--assume-reloaded", a]
        if os.path.basename(folder) in EFFECT_RULES:
            extra.append("--effects")
        try:
            proc = subprocess.run(
                [python, "-E", "-s", "-B", BOOT, out, folder, os.path.join(folder, scenario)] + extra,
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


def judge_identity(codes, folder, scenario, obs, expected, labels):
    """Cross-module rules: labels may sit in any file of the folder. Returns
    (ok, message, {(relpath, line, CODE)} of the stale bindings observed)."""
    positive = scenario.startswith("pos_")
    problems = []
    if obs.get("uncaught"):
        u = obs["uncaught"]
        problems.append("scenario crashed: %s: %s at %s" % (u["type"], u["message"], loc(u["site"])))
    elif obs["exit_code"] != 0 or obs["_returncode"] != 0:
        problems.append("scenario exited with %s" % (obs["exit_code"] or obs["_returncode"]))
    if not any(r.get("outcome") == "ok" for r in obs.get("reloads", ())):
        problems.append("no reload ran: the scenario proves nothing")
    ident = obs.get("identity")
    if not isinstance(ident, list):
        problems.append("identity oracle failed: %s" % (ident or {}).get("error", "no result"))
        ident = []
    hazards = []
    for code in codes:
        hazards += [(code, desc, site) for desc, site in identity_hazards(obs, code)]
    observed = {(site[0], site[1], code) for code, _d, site in hazards}
    own_labels = {(p, ln, c) for (p, ln, c) in labels if p == scenario}
    label_lines = {(p, ln, c) for (p, ln, c) in labels}

    unlabeled = sorted(observed - label_lines)
    if positive:
        if not observed:
            problems.append("no stale binding observed")
        elif not (observed & label_lines):
            problems.append("no stale binding on a `# expect` line")
        missing = sorted(own_labels - observed)
        if missing:
            problems.append("label(s) not proven: %s" % ", ".join("%s:%d %s" % m for m in missing))
        if unlabeled:
            problems.append("stale binding(s) without `# expect`: %s" % ", ".join("%s:%d %s" % m for m in unlabeled))
    else:
        if own_labels:
            problems.append("negative with `# expect` on line(s) %s" % sorted(ln for _p, ln, _c in own_labels))
        mine = sorted(o for o in observed if o[0] == scenario)
        if mine:
            problems.append("stale binding observed in a negative: %s" % ", ".join("%s:%d %s" % m for m in mine))
        others = [m for m in unlabeled if m[0] != scenario]
        if others:
            problems.append("stale binding(s) in helpers without `# expect`: %s"
                            % ", ".join("%s:%d %s" % m for m in others))

    if expected is not None:
        reported = {(p, ln, c) for (p, ln, c) in expected if c in codes}
        if positive:
            missed = sorted(observed - reported)
            if missed:
                problems.append("stale binding(s) not reported in expected.txt: %s"
                                % ", ".join("%s:%d %s" % m for m in missed))
        in_file = sorted((p, ln, c) for (p, ln, c) in reported if p == scenario)
        if not positive and in_file:
            problems.append("expected.txt has findings in this negative on line(s) %s" % [ln for _p, ln, _c in in_file])

    seen = []
    for code, desc, _site in hazards:
        d = "%s %s" % (code, desc)
        if d not in seen:
            seen.append(d)
    observation = "; ".join(seen[:3]) + (" (+%d more)" % (len(seen) - 3) if len(seen) > 3 else "") \
        if seen else "no %s hazard (%d bindings/checks compared)" % ("/".join(codes), len(ident))
    if problems:
        return False, "%s [%s]" % ("; ".join(problems), observation), observed
    return True, observation, observed


def judge_folder(entry, codes, labels, observed, expected, scenarios_run):
    """Labels of helper modules must each be proven by some scenario; with
    expected.txt, every reported line must be a stale binding observed somewhere."""
    problems = []
    scenario_files = set(scenarios_run)
    unproven = sorted(l for l in labels if l[0] not in scenario_files and l not in observed)
    if unproven:
        problems.append("helper label(s) no scenario proved: %s" % ", ".join("%s:%d %s" % u for u in unproven))
    if expected is not None:
        reported = {(p, ln, c) for (p, ln, c) in expected if c in codes}
        unproved = sorted(reported - observed)
        if unproved:
            problems.append("expected.txt reports line(s) no scenario showed stale: %s"
                            % ", ".join("%s:%d %s" % u for u in unproved[:10]))
    if problems:
        return False, "; ".join(problems)
    return True, "%d labels, %d stale bindings observed across the scenarios" % (len(labels), len(observed))


def judge_effects(codes, folder, scenario, obs, expected, labels):
    """RL401/RL402: labels sit in the reloaded modules. Returns (ok, message,
    {(relpath, line, CODE)} observed, [relpath] of the fixture modules reloaded)."""
    positive = scenario.startswith("pos_")
    problems = []
    if obs.get("uncaught"):
        u = obs["uncaught"]
        problems.append("scenario crashed: %s: %s at %s" % (u["type"], u["message"], loc(u["site"])))
    elif obs["exit_code"] != 0 or obs["_returncode"] != 0:
        problems.append("scenario exited with %s" % (obs["exit_code"] or obs["_returncode"]))
    if not any(r.get("outcome") == "ok" for r in obs.get("reloads", ())):
        problems.append("no reload ran: the scenario proves nothing")
    eff = obs.get("effects")
    if not isinstance(eff, dict) or not isinstance(eff.get("records"), list):
        problems.append("effects oracle failed: %s" % (eff or {}).get("error", "no result"))
        eff = {"records": [], "reloaded_files": []}
    reloaded = list(eff.get("reloaded_files") or [])
    hazards = []
    for code in codes:
        hazards += [(code, desc, site) for desc, site in effect_hazards(obs, code)]
    observed = {(site[0], site[1], code) for code, _d, site in hazards}
    own_labels = {(p, ln, c) for (p, ln, c) in labels if p == scenario}
    unlabeled = sorted(observed - set(labels))
    if positive:
        if not observed:
            problems.append("no hazard observed")
        # every label of the scenario and of the modules it reloads must show up in its run
        missing = sorted(l for l in labels if (l[0] == scenario or l[0] in reloaded) and l not in observed)
        if missing:
            problems.append("label(s) not proven: %s" % ", ".join("%s:%d %s" % m for m in missing))
        if unlabeled:
            problems.append("hazard(s) without `# expect`: %s" % ", ".join("%s:%d %s" % m for m in unlabeled))
    else:
        if own_labels:
            problems.append("negative with `# expect` on line(s) %s" % sorted(ln for _p, ln, _c in own_labels))
        if observed:
            problems.append("hazard observed in a negative: %s" % ", ".join("%s:%d %s" % m for m in sorted(observed)))
    if expected is not None:
        reported = {(p, ln, c) for (p, ln, c) in expected if c in codes}
        if positive:
            missed = sorted(observed - reported)
            if missed:
                problems.append("hazard(s) not reported in expected.txt: %s" % ", ".join("%s:%d %s" % m for m in missed))
        else:
            mine = sorted((p, ln, c) for (p, ln, c) in reported if p == scenario or p in reloaded)
            if mine:
                problems.append("expected.txt reports line(s) of this negative or the modules it reloads: %s"
                                % ", ".join("%s:%d %s" % m for m in mine))
    seen = []
    for code, desc, _site in hazards:
        d = "%s %s" % (code, desc)
        if d not in seen:
            seen.append(d)
    observation = "; ".join(seen[:3]) + (" (+%d more)" % (len(seen) - 3) if len(seen) > 3 else "") \
        if seen else "no %s hazard (%d snapshots compared, reloaded %s)" % (
            "/".join(codes), eff.get("snapshots", 0), ", ".join(reloaded) or "no fixture module")
    if problems:
        return False, "%s [%s]" % ("; ".join(problems), observation), observed
    return True, observation, observed


def judge_effects_folder(entry, codes, labels, observed, expected):
    """Every label of the folder must be a hazard some scenario observed; with
    expected.txt, every reported line too."""
    problems = []
    unproven = sorted(l for l in labels if l not in observed)
    if unproven:
        problems.append("label(s) no scenario proved: %s" % ", ".join("%s:%d %s" % u for u in unproven))
    if expected is not None:
        reported = {(p, ln, c) for (p, ln, c) in expected if c in codes}
        unproved = sorted(reported - observed)
        if unproved:
            problems.append("expected.txt reports line(s) no scenario showed a hazard on: %s"
                            % ", ".join("%s:%d %s" % u for u in unproved[:10]))
    if problems:
        return False, "; ".join(problems)
    return True, "%d labels, %d hazard lines observed across the scenarios" % (len(labels), len(observed))


def discover(selection):
    """[(entry, folder, scenario)] in sorted order."""
    items = []
    for entry in sorted(os.listdir(FIXTURES)):
        folder = os.path.join(FIXTURES, entry)
        if not os.path.isdir(folder):
            continue
        if not entry.startswith("RL") and not os.path.exists(os.path.join(folder, "args.txt")):
            continue
        if entry.startswith("RL") and entry not in HAZARDS:
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

    configs, expected, labels = {}, {}, {}
    for entry in sorted({i[0] for i in items}):
        folder = os.path.join(FIXTURES, entry)
        configs[entry] = folder_config(folder)
        codes = configs[entry][0]
        p = os.path.join(folder, "expected.txt")
        cross = any(c in IDENTITY_RULES or c in EFFECT_RULES for c in codes)
        expected[entry] = parse_expected(p, with_code=cross) if os.path.exists(p) else None
        if cross:
            labels[entry] = folder_labels(folder, codes)

    before_pycache = set(pycache_dirs())
    passed = failed = 0
    observed = {}
    ran = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = []
        for entry, folder, name in items:
            assumed = expand_assumed(folder, configs[entry][1]) if configs[entry][1] else [None]
            # impact analysis: each assumed module is hot-reloaded on its own, in its own run
            futures.append([pool.submit(run_scenario, args.python, folder, name, args.timeout,
                                        [m] if m else []) for m in assumed])
        for (entry, folder, name), futs in zip(items, futures):
            obs, err, text = merge_runs([f.result() for f in futs])
            codes = configs[entry][0]
            if obs is None:
                ok, msg = False, err
            elif entry in EFFECT_RULES:
                ok, msg, seen = judge_effects(codes, folder, name, obs, expected[entry], labels[entry])
                observed.setdefault(entry, set()).update(seen)
                ran.setdefault(entry, []).append(name)
            elif entry in labels:
                ok, msg, seen = judge_identity(codes, folder, name, obs, expected[entry], labels[entry])
                observed.setdefault(entry, set()).update(seen)
                ran.setdefault(entry, []).append(name)
            else:
                ok, msg = judge(entry, folder, name, obs, expected[entry])
            label = "%s/%s" % (entry, name)
            print("%s %s: %s" % ("PASS" if ok else "FAIL", label, msg))
            if not ok and args.verbose:
                for line in text.splitlines():
                    print("    | " + line)
                if obs is not None:
                    ident = obs.get("identity")
                    print("    obs: " + json.dumps({k: v for k, v in obs.items()
                                                    if k not in ("fixture_loads", "identity")}))
                    for r in ident if isinstance(ident, list) else [ident]:
                        print("    identity: " + json.dumps(r))
            if ok:
                passed += 1
            else:
                failed += 1

    # folder-level checks need every scenario of the folder: only when the whole folder ran
    for entry in sorted(labels):
        if entry not in ran or (args.select and entry not in args.select):
            continue
        if entry in EFFECT_RULES:
            ok, msg = judge_effects_folder(entry, configs[entry][0], labels[entry], observed.get(entry, set()),
                                           expected[entry])
        else:
            ok, msg = judge_folder(entry, configs[entry][0], labels[entry], observed.get(entry, set()),
                                   expected[entry], ran[entry])
        print("%s %s (folder): %s" % ("PASS" if ok else "FAIL", entry, msg))
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
