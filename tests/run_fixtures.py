#!/usr/bin/env python3
"""Snapshot tests of reloadlint against fixtures/.

    python3 tests/run_fixtures.py --binary BUILD/reloadlint [--update] [CODE|FOLDER ...]

For every fixtures/RLxxx/ folder (or only the CODEs given), with the folder as
the working directory:

* text: `reloadlint --select CODE .` must print exactly fixtures/RLxxx/expected.txt
  (a unified diff is shown otherwise; --update rewrites the file instead) and
  exit 1 when it holds findings, 0 when not;
* json: `reloadlint --select CODE --format json .` must be valid and agree with
  the sources: every finding is CODE; the lines carrying `# expect: CODE`, in
  any file of the folder, are exactly the lines with findings (cross-module
  rules report in helper modules too: the package `__init__` whose re-export
  went stale); every pos_*.py has a finding in its own file, or - when it
  carries no label itself - in a fixture module it imports; no neg_*.py has a
  finding; no file errors; the text output reports the same locations;
  findings of the cross-module rules (RL204, RL3xx) name their `module` and
  `target`, RL301/RL302/RL304 their `symbol`, and each has a related location
  (the reload site) unless its message names --assume-reloaded;
* determinism: `-j1` and `-j4` JSON outputs are byte-identical.

A folder under fixtures/ holding args.txt (fixtures/assume/) runs the same
checks with the arguments of args.txt (e.g. `--select RL3 --assume-reloaded
settings --assume-reloaded plugins.*`) instead of `--select CODE`, and with
`# expect: CODE` labels of any code.

fixtures/clean/ runs with all rules and must report nothing (exit 0), and
fixtures/examples/seed/ runs with all rules against its own expected.txt.

Prints one line per check and ends with `N passed, N failed`; exits 1 on any
failure (2 on bad usage).
"""
import argparse
import ast
import difflib
import json
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
CLEAN = os.path.join(FIXTURES, "clean")
SEED = os.path.join(FIXTURES, "examples", "seed")

EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
# First line of a finding in the text format: `path:line:col: CODE [severity] message`.
FINDING_LINE_RE = re.compile(r"^([^\s:]+\.py):(\d+):(\d+): (RL\d+)\b")
CODE_DIR_RE = re.compile(r"^RL\d+$")
CROSS_MODULE = ("RL204", "RL3")          # rules whose findings need module/target/related
NEEDS_SYMBOL = ("RL301", "RL302", "RL304")
TIMEOUT = 120


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name, detail=""):
        self.passed += 1
        print("PASS %s%s" % (name, ": " + detail if detail else ""))

    def fail(self, name, detail, extra=None):
        self.failed += 1
        print("FAIL %s: %s" % (name, detail))
        for line in extra or ():
            print("    " + line)

    def check(self, cond, name, detail_ok, detail_fail, extra=None):
        if cond:
            self.ok(name, detail_ok)
        else:
            self.fail(name, detail_fail, extra)
        return cond


def env():
    e = dict(os.environ)
    e["NO_COLOR"] = "1"
    for k in ("FORCE_COLOR", "CLICOLOR_FORCE"):
        e.pop(k, None)
    return e


def run(binary, cwd, args):
    """(returncode, stdout text, stderr text); returncode None if it could not run."""
    try:
        p = subprocess.run([binary] + args, cwd=cwd, env=env(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %ds" % TIMEOUT
    except OSError as exc:
        return None, "", str(exc)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def python_files(folder):
    """Relative paths (with /) of the .py files under folder, sorted."""
    out = []
    for dirpath, dirnames, files in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for f in files:
            if f.endswith(".py"):
                out.append(os.path.relpath(os.path.join(dirpath, f), folder).replace(os.sep, "/"))
    return sorted(out)


def expect_labels(folder, files, code=None):
    """{(path, line)} of the lines carrying `# expect: CODE`; with code None,
    {(path, line, CODE)} for every code."""
    out = set()
    for rel in files:
        with open(os.path.join(folder, rel), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = EXPECT_RE.search(line)
                if not m:
                    continue
                codes = [c.strip() for c in m.group(1).split(",")]
                if code is None:
                    out.update((rel, n, c) for c in codes)
                elif code in codes:
                    out.add((rel, n))
    return out


def owned_modules(folder, rel, files):
    """Fixture files (relative paths) that the scenario rel imports, with their packages."""
    with open(os.path.join(folder, rel), encoding="utf-8") as fh:
        try:
            tree = ast.parse(fh.read())
        except SyntaxError:
            return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update("%s.%s" % (node.module, a.name) for a in node.names if a.name != "*")
    fileset = set(files)
    out = set()
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            base = "/".join(parts[:i])
            for cand in (base + ".py", base + "/__init__.py"):
                if cand in fileset:
                    out.add(cand)
    out.discard(rel)
    return out


def text_locations(text):
    return {(m.group(1), int(m.group(2)), int(m.group(3)), m.group(4))
            for m in (FINDING_LINE_RE.match(line) for line in text.splitlines()) if m}


def fmt_locs(locs, limit=8):
    items = ["%s:%d" % (p, ln) for p, ln in sorted(locs)]
    return ", ".join(items[:limit]) + (" (+%d more)" % (len(items) - limit) if len(items) > limit else "")


def load_json(checks, name, rc, out, err):
    if rc is None:
        checks.fail(name, "could not run: %s" % err.strip())
        return None
    try:
        data = json.loads(out)
    except ValueError as exc:
        checks.fail(name, "invalid JSON (exit %d): %s" % (rc, exc), (err.strip().splitlines() or [])[:5])
        return None
    shape_ok = isinstance(data, dict) and isinstance(data.get("findings"), list) and \
        isinstance(data.get("errors"), list) and isinstance(data.get("files_analyzed"), int)
    if not shape_ok:
        checks.fail(name, "JSON lacks findings/errors/files_analyzed")
        return None
    return data


def snapshot(checks, name, binary, folder, args, update):
    """Text output vs folder/expected.txt (or rewrite it). Returns the text or None."""
    exp_path = os.path.join(folder, "expected.txt")
    rel_exp = os.path.relpath(exp_path, ROOT)
    rc, out, err = run(binary, folder, args)
    if rc is None:
        checks.fail(name + " text", "could not run: %s" % err.strip())
        return None
    if rc not in (0, 1):
        checks.fail(name + " text", "exit %d (expected 0 or 1)" % rc, err.strip().splitlines()[:5])
        return None
    if update:
        old = None
        if os.path.exists(exp_path):
            with open(exp_path, encoding="utf-8", newline="") as fh:
                old = fh.read()
        if old != out:
            with open(exp_path, "w", encoding="utf-8", newline="") as fh:
                fh.write(out)
            checks.ok(name + " text", "%s %s" % ("created" if old is None else "updated", rel_exp))
        else:
            checks.ok(name + " text", "%s unchanged" % rel_exp)
        expected = out
    else:
        if not os.path.exists(exp_path):
            checks.fail(name + " text", "%s is missing (create it with --update and review it)" % rel_exp)
            return out
        with open(exp_path, encoding="utf-8", newline="") as fh:
            expected = fh.read()
        if expected == out:
            checks.ok(name + " text", "matches %s" % rel_exp)
        else:
            diff = list(difflib.unified_diff(expected.splitlines(), out.splitlines(),
                                             rel_exp, "reloadlint output", lineterm=""))
            checks.fail(name + " text", "output differs from %s" % rel_exp, diff[:200])
    has_findings = bool(text_locations(expected))
    checks.check(rc == (1 if has_findings else 0), name + " exit",
                 "exit %d" % rc,
                 "exit %d, expected %d (%s)" % (rc, 1 if has_findings else 0,
                                                "expected.txt has findings" if has_findings else "no findings expected"))
    return out


def determinism(checks, name, binary, folder, base_args):
    r1 = run(binary, folder, base_args + ["--format", "json", "-j1"])
    r4 = run(binary, folder, base_args + ["--format", "json", "-j4"])
    if r1[0] is None or r4[0] is None:
        checks.fail(name + " determinism", "could not run: %s" % (r1[2] or r4[2]).strip())
        return
    same = r1[1] == r4[1] and r1[0] == r4[0]
    checks.check(same, name + " determinism", "-j1 and -j4 JSON identical",
                 "-j1 and -j4 differ (exit %d vs %d, %d vs %d bytes)" % (r1[0], r4[0], len(r1[1]), len(r4[1])))


def folder_args(folder):
    """Arguments of folder/args.txt (a fixture folder that is not one rule's)."""
    with open(os.path.join(folder, "args.txt"), encoding="utf-8") as fh:
        return shlex.split(fh.read(), comments=True)


def check_cross_module(checks, name, findings):
    """Fields the cross-module rules promise in JSON: module, target, symbol, related."""
    cross = [f for f in findings if str(f.get("rule", "")).startswith(CROSS_MODULE)]
    if not cross:
        return
    bad = []
    for f in cross:
        where = "%s:%s %s" % (f.get("path"), f.get("line"), f.get("rule"))
        if not isinstance(f.get("module"), str) or not f.get("module"):
            bad.append(where + " has no module")
        if not isinstance(f.get("target"), str) or not f.get("target"):
            bad.append(where + " has no target")
        if f.get("rule") in NEEDS_SYMBOL and not (isinstance(f.get("symbol"), str) and f.get("symbol")):
            bad.append(where + " has no symbol")
        related = f.get("related")
        if not (isinstance(related, list) and related) and "--assume-reloaded" not in str(f.get("message", "")):
            bad.append(where + " has no related location (reload site) and does not name --assume-reloaded")
    checks.check(not bad, name + " cross-module fields",
                 "module/target/symbol/related present in %d findings" % len(cross),
                 "%d problem(s): %s" % (len(bad), "; ".join(bad[:6])))


def check_rule(checks, binary, code, update, folder=None, base_args=None):
    """One fixture folder: fixtures/CODE/ with `--select CODE`, or (folder and
    base_args given) a folder with args.txt, whose labels may name any code."""
    multi = folder is not None
    folder = folder or os.path.join(FIXTURES, code)
    base_args = base_args if base_args is not None else ["--select", code]
    files = python_files(folder)
    positives = [f for f in files if os.path.basename(f).startswith("pos_")]
    negatives = [f for f in files if os.path.basename(f).startswith("neg_")]
    if not positives or not negatives:
        checks.fail(code + " layout", "needs pos_*.py and neg_*.py scenarios (%d pos, %d neg)"
                    % (len(positives), len(negatives)))

    text = snapshot(checks, code, binary, folder, base_args + ["."], update)

    rc, out, err = run(binary, folder, base_args + ["--format", "json", "."])
    data = load_json(checks, code + " json", rc, out, err)
    if data is None:
        determinism(checks, code, binary, folder, base_args + ["."])
        return
    findings = data["findings"]
    checks.check(rc == (1 if findings else 0), code + " json exit", "exit %d" % rc,
                 "exit %d with %d findings" % (rc, len(findings)))
    if not multi:
        wrong = [f for f in findings if f.get("rule") != code]
        checks.check(not wrong, code + " json rules", "all %d findings are %s" % (len(findings), code),
                     "findings of other rules: %s" % fmt_locs({(f.get("path"), f.get("line")) for f in wrong}))
    checks.check(not data["errors"], code + " json errors", "no file errors",
                 "errors: %s" % "; ".join("%s: %s" % (e.get("path"), e.get("message")) for e in data["errors"][:5]))
    checks.check(data["files_analyzed"] == len(files), code + " files analyzed",
                 "%d files" % len(files),
                 "files_analyzed = %d, the folder has %d .py files" % (data["files_analyzed"], len(files)))

    by_file = {}
    for f in findings:
        by_file.setdefault(f.get("path"), []).append(f)
    own_labels = {p for p, _ln, _c in expect_labels(folder, positives)}
    missing = []
    for p in positives:
        if p in by_file:
            continue
        if p not in own_labels and any(m in by_file for m in owned_modules(folder, p, files)):
            continue          # its finding lives in a module it imports (a helper package)
        missing.append(p)
    checks.check(not missing, code + " positives",
                 "every pos_*.py has a finding, in itself or in a module it imports (%d files)" % len(positives),
                 "no finding in: %s" % ", ".join(missing))
    noisy = [p for p in negatives if p in by_file]
    checks.check(not noisy, code + " negatives", "no finding in neg_*.py (%d files)" % len(negatives),
                 "findings in: %s" % ", ".join("%s:%s" % (p, ",".join(str(f.get("line")) for f in by_file[p]))
                                               for p in noisy))

    if multi:
        labels = expect_labels(folder, files)
        found = {(f.get("path"), f.get("line"), f.get("rule")) for f in findings}
        show = lambda locs: ", ".join("%s:%d %s" % x for x in sorted(locs)[:8])  # noqa: E731
        what = "CODE"
    else:
        labels = expect_labels(folder, files, code)
        found = {(f.get("path"), f.get("line")) for f in findings}
        show = fmt_locs
        what = code
    unreported = labels - found
    unlabeled = found - labels
    problems = []
    if unreported:
        problems.append("no finding on `# expect: %s` line(s): %s" % (what, show(unreported)))
    if unlabeled:
        problems.append("finding without `# expect: %s`: %s" % (what, show(unlabeled)))
    checks.check(not problems, code + " labels", "%d `# expect` lines = %d finding lines" % (len(labels), len(found)),
                 "; ".join(problems))

    check_cross_module(checks, code, findings)

    if text is not None:
        tlocs = {(p, ln, col, c) for (p, ln, col, c) in text_locations(text)}
        jlocs = {(f.get("path"), f.get("line"), f.get("column"), f.get("rule")) for f in findings}
        checks.check(tlocs == jlocs, code + " text=json", "same %d locations" % len(jlocs),
                     "text and JSON disagree: only in text: %s; only in JSON: %s"
                     % (fmt_locs({(p, ln) for p, ln, _c, _r in tlocs - jlocs}),
                        fmt_locs({(p, ln) for p, ln, _c, _r in jlocs - tlocs})))

    determinism(checks, code, binary, folder, base_args + ["."])


def check_clean(checks, binary):
    name = "clean"
    if not os.path.isdir(CLEAN):
        checks.fail(name, "fixtures/clean/ is missing")
        return
    rc, out, err = run(binary, CLEAN, ["--format", "json", "."])
    data = load_json(checks, name + " json", rc, out, err)
    if data is not None:
        checks.check(not data["findings"], name + " findings", "no findings with all rules (%d files)"
                     % data["files_analyzed"],
                     "%d findings: %s" % (len(data["findings"]),
                                          fmt_locs({(f.get("path"), f.get("line")) for f in data["findings"]})))
        checks.check(not data["errors"], name + " errors", "no file errors",
                     "errors: %s" % "; ".join("%s: %s" % (e.get("path"), e.get("message")) for e in data["errors"][:5]))
        checks.check(rc == 0, name + " exit", "exit 0", "exit %s" % rc)
    rc, out, err = run(binary, CLEAN, ["."])
    checks.check(rc == 0, name + " text exit", "exit 0", "exit %s: %s" % (rc, (out + err).strip()[:300]))
    determinism(checks, name, binary, CLEAN, ["."])


def check_seed(checks, binary, update):
    name = "examples/seed"
    if not os.path.isdir(SEED):
        checks.fail(name, "fixtures/examples/seed/ is missing")
        return
    snapshot(checks, name, binary, SEED, ["."], update)
    rc, out, err = run(binary, SEED, ["--format", "json", "."])
    data = load_json(checks, name + " json", rc, out, err)
    if data is not None:
        checks.check(not data["errors"], name + " errors", "no file errors",
                     "errors: %s" % "; ".join("%s: %s" % (e.get("path"), e.get("message")) for e in data["errors"][:5]))
    determinism(checks, name, binary, SEED, ["."])


def check_registry(checks, binary, all_codes):
    """The registry is the one source of truth: README's rule table must list
    exactly what `--list-rules` prints, and every rule needs a fixture folder."""
    rc, out, err = run(binary, ROOT, ["--list-rules"])
    rules = []
    for line in out.splitlines()[1:]:
        parts = line.split(None, 3)
        if len(parts) == 4:
            rules.append(parts)
    checks.check(rc == 0 and rules, "registry list-rules", "%d rules" % len(rules), "rc=%d, no rules parsed" % rc)
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    table = re.search(r"<!-- rules:.*?-->\n(.*?)<!-- rules: end -->", readme, re.S)
    rows = []
    if table:
        for line in table.group(1).splitlines()[2:]:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4:
                rows.append(cells)
    want = [[c, n, s, summary] for c, n, s, summary in rules]
    checks.check(rows == want, "registry README table", "matches --list-rules",
                 "README rule table differs from --list-rules",
                 ["| %s |" % " | ".join(r) for r in want])
    missing = [c for c, _, _, _ in rules if c not in all_codes]
    checks.check(not missing, "registry fixtures", "every rule has fixtures/<CODE>/",
                 "rules without fixtures: %s" % ", ".join(missing))


def check_scope(checks, binary):
    """fixtures/scope/ (SPEC "Files and scope"): a file PATH is analyzed within
    its whole project (pyproject.toml marks the root), and only findings that
    touch the given files are reported. changed.py reloads config; consumer.py
    (unchanged) holds `from config import X`, which the reload makes stale;
    broken_context.py has a syntax error that only matters when it is given."""
    name = "scope"
    folder = os.path.join(FIXTURES, "scope")
    if not os.path.isdir(folder):
        checks.fail(name, "fixtures/scope/ is missing")
        return

    def touches(f, path):
        return f.get("path") == path or any(r.get("path") == path for r in f.get("related") or [])

    def errors_of(data):
        return "; ".join("%s: %s" % (e.get("path"), e.get("message")) for e in data["errors"][:5])

    rc, out, err = run(binary, folder, ["--format", "json", "changed.py"])
    data = load_json(checks, name + " changed.py", rc, out, err)
    if data is not None:
        findings = data["findings"]
        checks.check(data["files_analyzed"] == 1, name + " changed.py files analyzed",
                     "1 file (the project around it is context only)",
                     "files_analyzed = %d, expected 1" % data["files_analyzed"])
        checks.check(not data["errors"], name + " changed.py errors",
                     "the broken context file is not listed", "errors: %s" % errors_of(data))
        checks.check(any(f.get("rule") == "RL201" and f.get("path") == "changed.py" for f in findings),
                     name + " changed.py RL201", "the reload in changed.py is reported",
                     "no RL201 finding in changed.py")
        # Context findings survive only through the given file: RL301 (stale
        # from-import) lands in consumer.py with changed.py as related location.
        stray = [f for f in findings if not touches(f, "changed.py")]
        checks.check(not stray, name + " changed.py scope",
                     "all %d findings touch changed.py" % len(findings),
                     "findings unrelated to changed.py: %s"
                     % fmt_locs({(f.get("path"), f.get("line")) for f in stray}))
        stale = [f for f in findings if f.get("rule") == "RL301"]
        checks.check([(f.get("path"), f.get("line")) for f in stale] == [("consumer.py", 2)] and
                     touches(stale[0], "changed.py"), name + " changed.py RL301",
                     "the stale `from config import X` in the unchanged consumer.py is reported",
                     "expected one RL301 at consumer.py:2 related to changed.py, got: %s"
                     % fmt_locs({(f.get("path"), f.get("line")) for f in stale}))
        checks.check(rc == 1, name + " changed.py exit", "exit 1", "exit %s" % rc)

    # consumer.py alone: its stale from-import is still found (the reload in
    # the context file changed.py is seen), and nothing located elsewhere.
    rc, out, err = run(binary, folder, ["--format", "json", "consumer.py"])
    data = load_json(checks, name + " consumer.py", rc, out, err)
    if data is not None:
        locs = [(f.get("rule"), f.get("path"), f.get("line")) for f in data["findings"]]
        checks.check(locs == [("RL301", "consumer.py", 2)] and not data["errors"] and data["files_analyzed"] == 1,
                     name + " consumer.py", "only RL301 at consumer.py:2, no errors, 1 file analyzed",
                     "findings %s, errors: %s, files_analyzed %d"
                     % (locs, errors_of(data), data["files_analyzed"]))

    # The text report keeps quiet about the broken context file too.
    rc, out, err = run(binary, folder, ["changed.py"])
    checks.check(rc == 1 and "broken_context.py" not in out + err, name + " text",
                 "exit 1, broken_context.py not mentioned",
                 "exit %s: %s" % (rc, (out + err).strip()[:300]))

    # --stdin-filename: the stdin text replaces changed.py within its project.
    try:
        p = subprocess.run([binary, "--format", "json", "--stdin-filename", "changed.py"], cwd=folder,
                           env=env(), input=b"x = 1\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT)
        rc, out, err = p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except (subprocess.TimeoutExpired, OSError) as exc:
        rc, out, err = None, "", str(exc)
    data = load_json(checks, name + " stdin", rc, out, err)
    if data is not None:
        checks.check(not data["findings"] and not data["errors"] and data["files_analyzed"] == 1 and rc == 0,
                     name + " stdin", "the stdin source (no reload) replaces changed.py: no findings",
                     "exit %s, %d findings, errors: %s" % (rc, len(data["findings"]), errors_of(data)))

    # A folder PATH reports everything it reaches, the broken file included.
    rc, out, err = run(binary, folder, ["--format", "json", "."])
    data = load_json(checks, name + " folder", rc, out, err)
    if data is not None:
        listed = [e.get("path") for e in data["errors"]]
        # files_analyzed + len(errors) == files reached: the file with a syntax
        # error is listed, not counted as analyzed
        checks.check(listed == ["broken_context.py"] and data["files_analyzed"] == 3,
                     name + " folder", "3 files analyzed, broken_context.py listed",
                     "files_analyzed %d, errors: %s" % (data["files_analyzed"], errors_of(data)))


CONFIG = os.path.join(FIXTURES, "config")


def check_config(checks, binary):
    """fixtures/config/: its pyproject.toml [tool.reloadlint] (found from the
    working folder) proves each key with a file; the command line overrides
    it; file-level noqa and unknown noqa codes; per-file-ignores by the
    --stdin-filename path; a broken --config exits 2 naming file:line."""
    name = "config"

    def locs(data, with_module=False):
        return [(f.get("rule"), f.get("path"), f.get("line")) + ((f.get("module"),) if with_module else ())
                for f in data["findings"]]

    def run_stdin(args, text):
        try:
            p = subprocess.run([binary] + args, cwd=CONFIG, env=env(), input=text.encode(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
            return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        except (subprocess.TimeoutExpired, OSError) as exc:
            return None, "", str(exc)

    # select (no RL1xx), extend-select (RL4), ignore (RL201), extend-exclude
    # (generated/), roots (module ns.app), assume-reloaded (ns.settings),
    # side-effect-calls (vendorlib.subscribe), per-file-ignores (tests/*),
    # `# reloadlint: noqa` (noqa_file.py) and `# reloadlint: noqa: RL205`.
    want = [("RL203", "noqa_codes.py", 3, "noqa_codes"), ("RL203", "noqa_codes.py", 7, "noqa_codes"),
            ("RL205", "noqa_unknown.py", 4, "noqa_unknown"), ("RL301", "src/ns/app.py", 1, "ns.app"),
            ("RL401", "src/ns/settings.py", 9, "ns.settings")]
    warnings = ["noqa_unknown.py:4: warning: unknown rule code `RL999` in noqa comment",
                "noqa_unknown.py:6: warning: unknown rule code `RLX` in noqa comment"]
    rc, out, err = run(binary, CONFIG, ["--format", "json", "."])
    data = load_json(checks, name + " json", rc, out, err)
    if data is not None:
        got = locs(data, with_module=True)
        checks.check(rc == 1 and got == want and not data["errors"] and data["files_analyzed"] == 7,
                     name + " json", "exit 1, %d findings as configured, 7 files" % len(want),
                     "exit %s, files_analyzed %d, findings:" % (rc, data["files_analyzed"]),
                     ["got  %s" % (got,), "want %s" % (want,)] +
                     ["error %s: %s" % (e.get("path"), e.get("message")) for e in data["errors"][:5]])
        checks.check(err.splitlines() == warnings, name + " noqa warnings",
                     "unknown noqa codes warned on stderr, other tools' codes silent",
                     "stderr differs", ["got  %r" % err.splitlines(), "want %r" % warnings])

    # The same warnings in text mode; the exit code is not changed by them.
    rc, out, err = run(binary, CONFIG, ["--select", "RL205", "noqa_unknown.py"])
    checks.check(rc == 1 and err.splitlines() == warnings, name + " text warnings",
                 "exit 1 (the RL205 finding), warnings on stderr",
                 "exit %s, stderr %r" % (rc, err.splitlines()))

    # --select replaces the file's selection (and drops its ignore).
    rc, out, err = run(binary, CONFIG, ["--format", "json", "--select", "RL1,RL201", "."])
    data = load_json(checks, name + " --select", rc, out, err)
    if data is not None:
        got = locs(data)
        want_sel = [("RL201", "noqa_codes.py", 6), ("RL201", "noqa_codes.py", 7),
                    ("RL201", "noqa_unknown.py", 4), ("RL101", "removal.py", 3)]
        checks.check(rc == 1 and got == want_sel, name + " --select", "command line over the file",
                     "exit %s, got %s, want %s" % (rc, got, want_sel))

    # per-file-ignores apply to the stdin file by its --stdin-filename path.
    source = "from ns.settings import on_change\n"
    for path, want_stdin in (("tests/test_stdin.py", []),
                             ("src/ns/other.py", [("RL301", "src/ns/other.py", 1, "ns.other")])):
        rc, out, err = run_stdin(["--format", "json", "--stdin-filename", path], source)
        data = load_json(checks, name + " stdin " + path, rc, out, err)
        if data is not None:
            got = locs(data, with_module=True)
            checks.check(got == want_stdin and rc == (1 if want_stdin else 0), name + " stdin " + path,
                         "findings %s" % (want_stdin,), "exit %s, got %s" % (rc, got))

    # --statistics counts what is left after the configuration.
    rc, out, err = run(binary, CONFIG, ["--format", "json", "--statistics", "."])
    try:
        counts = {code: v.get("count") for code, v in json.loads(out).get("statistics", {}).items()}
    except (ValueError, AttributeError):
        counts = None
    want_counts = {"RL203": 2, "RL205": 1, "RL301": 1, "RL401": 1}
    checks.check(rc == 1 and counts == want_counts, name + " statistics", "counts %s" % want_counts,
                 "exit %s, counts %s" % (rc, counts))

    # A mistake in the configuration: exit 2, file:line and a suggestion.
    rc, out, err = run(binary, CONFIG, ["--config", "broken.toml", "."])
    want_err = ("reloadlint: error: broken.toml:4: unknown key `extend_exclude` "
                "(did you mean `extend-exclude`?)")
    checks.check(rc == 2 and err.strip() == want_err and not out, name + " broken",
                 "exit 2: " + want_err, "exit %s, stderr %r, stdout %r" % (rc, err.strip(), out[:200]))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Snapshot tests of reloadlint against fixtures/.")
    ap.add_argument("--binary", default=os.environ.get("RELOADLINT_BIN") or os.path.join(ROOT, "build", "reloadlint"),
                    help="the reloadlint executable (default: $RELOADLINT_BIN or build/reloadlint)")
    ap.add_argument("--update", action="store_true", help="rewrite expected.txt files instead of comparing")
    ap.add_argument("codes", nargs="*", help="rule codes or args.txt folders to check (default: every "
                                             "fixtures/RL*/ folder and every folder with args.txt, "
                                             "plus clean/ and examples/seed/)")
    args = ap.parse_args(argv)

    checks = Checks()
    binary = os.path.abspath(args.binary)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        checks.fail("binary", "not found or not executable: %s (build it first: make)" % args.binary)
        print("%d passed, %d failed" % (checks.passed, checks.failed))
        return 1

    all_codes = sorted(d for d in os.listdir(FIXTURES)
                       if CODE_DIR_RE.match(d) and os.path.isdir(os.path.join(FIXTURES, d)))
    arg_folders = sorted(d for d in os.listdir(FIXTURES)
                         if not CODE_DIR_RE.match(d) and os.path.isfile(os.path.join(FIXTURES, d, "args.txt")))
    codes = [c if c in arg_folders else c.upper() for c in args.codes] if args.codes else all_codes + arg_folders
    for code in codes:
        if code in arg_folders:
            folder = os.path.join(FIXTURES, code)
            check_rule(checks, binary, code, args.update, folder=folder, base_args=folder_args(folder))
            continue
        if code not in all_codes:
            checks.fail(code, "no fixtures/%s/ folder" % code)
            continue
        check_rule(checks, binary, code, args.update)
    if not args.codes:
        check_registry(checks, binary, all_codes)
        check_clean(checks, binary)
        check_seed(checks, binary, args.update)
        check_scope(checks, binary)
        check_config(checks, binary)

    print("%d passed, %d failed" % (checks.passed, checks.failed))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
