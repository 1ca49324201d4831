#!/usr/bin/env python3
"""Hostile inputs: nothing crashes, nothing hangs, nothing is lost, nothing is forged.

    python3 tests/hostile.py --binary BUILD/reloadlint [--quick] [-k NAME]

Every case is generated at test time in a temporary folder (no binary blobs in
the repository) and run in every output format (text, json, sarif, github):

* bytes: invalid UTF-8, UTF-16/UTF-32 with a BOM, PEP 263 latin-1 and cp1252
  files (decoded: columns count their characters), an unknown declared
  encoding, NUL bytes, CR-only and mixed line endings, tabs and wide
  characters (positions compared with what Python's own parser says, turned
  into 1-based code-point columns), 100,000-deep nesting of parentheses,
  brackets, braces, lambdas, operators and attribute chains, 3,000-deep
  blocks, a 50 MB file (listed with the remedy by default; with
  --max-file-size 100M analyzed or listed, with its peak RSS measured and
  bounded), an empty file, Python 2 syntax;
* the file system: a folder named `x.py`, a FIFO, a socket and (when mknod is
  allowed) a character device named `*.py`, symlinks to /dev/zero and
  /dev/null, symlink loops, a dangling symlink, a file without read permission
  (only when not root: root reads it anyway), symlinks that leave the PATH
  (not followed: listed) and a symlink given as the PATH itself (followed),
  files that appear and vanish while the tree is analyzed;
* names: spaces, quotes, backslashes, newlines, CR, tabs, `%`, `::`, `,`,
  `=`, ANSI escape sequences, DEL, C1 controls, bidirectional overrides and
  non-ASCII in file and folder names, and in the module names and string
  literals that end up in messages, plus a hostile pyproject.toml.

For each run: the exit code is the SPEC's (0/1/2) and no signal ended the
process; it finished within its time bound; no sanitizer report on stderr;
JSON parses and `files_analyzed + len(errors)` is the number of Python files
reached; SARIF is valid against ../shared/schemas/sarif-schema-2.1.0.json
(python3-jsonschema) with one notification per error and one result per
finding; every GitHub line is one well-formed workflow command whose
properties parse back to the JSON paths; text output holds no raw control
character (no ESC, no CR, no C1) and has exactly one `path:line:col: CODE`
line per finding; an unreadable file gives exit code 2 while the other files'
findings are still reported; and the analyzed tree is byte-for-byte the same
afterwards (names, types, modes, contents, mtimes).

A file deleted between discovery and reading cannot be produced on demand
without a hook in the binary; the dangling symlink covers the same code path
(open() fails -> listed, exit 2), and the churn case runs the analyzer while
files are created and deleted, checking only that it survives with valid
output.

Prints one line per check and ends with `N passed, N failed`.
"""
import argparse
import ast
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import tokenize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.environ.get("RELOADLINT_SARIF_SCHEMA") or os.path.join(
    os.path.dirname(ROOT), "shared", "schemas", "sarif-schema-2.1.0.json")
FORMATS = ("text", "json", "sarif", "github")
# Set by CMake for the ASan/UBSan build (build-asan), whose memory use is several
# times the release build's.
SANITIZED = os.environ.get("RELOADLINT_SANITIZED") in ("1", "ON", "TRUE")
SANITIZER_RE = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                          r"SUMMARY: UndefinedBehaviorSanitizer|ThreadSanitizer")
# Raw control characters that must never reach a terminal: C0 but \n, DEL, C1
# (as UTF-8), and bidirectional overrides/isolates.
RAW_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")
# A finding's first line, at column 0; source lines are framed ("  |", "3 | code"), notes
# and help indented.
TEXT_FINDING_RE = re.compile(r"^(?![ \d]*\|)(?! )(.*):(\d+):(\d+): (RL\d{3}) \[(error|warning|note)\] ")
GITHUB_LINE_RE = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")
RELOAD = "import importlib, m\nimportlib.reload(m)\n"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, name, detail=""):
        if cond:
            self.passed += 1
            print("PASS %s" % name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + detail if detail else ""))
        sys.stdout.flush()
        return cond


# ---- running the binary ------------------------------------------------------------

class Result:
    def __init__(self, rc, out, err, seconds, maxrss_kb, timed_out):
        self.rc, self.out, self.err = rc, out, err
        self.seconds, self.maxrss_kb, self.timed_out = seconds, maxrss_kb, timed_out


def run(binary, cwd, args, timeout, stdin_bytes=None, env_extra=None):
    """Runs the binary with stdout/stderr in files (no pipe deadlock), waits
    with wait4() to get its own peak RSS, kills it after timeout seconds."""
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    env.update(env_extra or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.TemporaryFile() as inp:
        if stdin_bytes is not None:
            inp.write(stdin_bytes)
            inp.seek(0)
        start = time.monotonic()
        p = subprocess.Popen([binary] + args, cwd=cwd, env=env,
                             stdin=inp if stdin_bytes is not None else subprocess.DEVNULL,
                             stdout=out, stderr=err)
        killed = []

        def kill():
            killed.append(True)
            try:
                p.kill()
            except OSError:
                pass
        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Result(p.returncode, out.read(), err.read().decode("utf-8", "replace"), seconds,
                      usage.ru_maxrss, bool(killed))


# ---- the tree must not change --------------------------------------------------------

def tree_state(root):
    """Names, types, modes, sizes, mtimes, symlink targets and contents of
    regular files (FIFOs, sockets and devices are never opened)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            h.update(os.fsencode(os.path.relpath(path, root)) + b"\0")
            h.update(("%o %d %d\0" % (st.st_mode, st.st_size if not stat.S_ISDIR(st.st_mode) else 0,
                                      st.st_mtime_ns)).encode())
            if stat.S_ISLNK(st.st_mode):
                h.update(os.fsencode(os.readlink(path)) + b"\0")
            elif stat.S_ISREG(st.st_mode) and os.access(path, os.R_OK):
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
    return h.hexdigest()


# ---- output checks -----------------------------------------------------------------------

def gh_unescape(s, prop):
    s = s.replace("%0D", "\r").replace("%0A", "\n")
    if prop:
        s = s.replace("%3A", ":").replace("%2C", ",")
    return s.replace("%25", "%")


def parse_github_line(line):
    m = GITHUB_LINE_RE.match(line)
    if not m:
        return None
    props = {}
    if m.group(2):
        for item in m.group(2).split(","):
            if "=" not in item:
                return None
            k, v = item.split("=", 1)
            props[k] = gh_unescape(v, True)
    return m.group(1), props, gh_unescape(m.group(3), False)


class Case:
    """One generated tree and what a run over it must give."""

    def __init__(self, name, build, args=None, rc=(0, 1), reached=None, errors=None,
                 findings=None, min_findings=None, timeout=60, formats=FORMATS, cwd_sub=None,
                 stdin=None, extra=None, no_errors=False, rss_limit_mb=None, no_report=False):
        self.name = name
        self.build = build            # build(folder) -> None
        self.args = args if args is not None else ["."]
        self.rc = (rc,) if isinstance(rc, int) else tuple(rc)
        self.reached = reached        # files_analyzed + len(errors), when known
        self.errors = errors or {}    # path -> substring of the message (None: any)
        self.findings = findings      # callable(folder) -> [(path, line, col, code)] that must appear
        self.min_findings = min_findings
        self.timeout = timeout
        self.formats = formats
        self.cwd_sub = cwd_sub        # run inside this subfolder of the case folder
        self.stdin = stdin
        self.extra = extra            # extra(ck, folder, results) for case-specific checks
        self.no_errors = no_errors
        self.rss_limit_mb = rss_limit_mb
        self.no_report = no_report    # a usage/configuration error: exit 2, nothing on stdout


def check_run(ck, validator, case, fmt, res, json_report):
    """Checks common to every run; returns the parsed report for json."""
    label = "%s [%s]" % (case.name, fmt)
    if not ck.check(not res.timed_out, "%s: finished within %ds" % (label, case.timeout),
                    "killed after %.1fs" % res.seconds):
        return None
    ck.check(res.rc >= 0, "%s: no signal" % label, "ended by signal %d" % -res.rc)
    ck.check(res.rc in case.rc, "%s: exit code %s" % (label, "/".join(map(str, case.rc))),
             "got %d; stderr: %s" % (res.rc, res.err[-2000:]))
    san = SANITIZER_RE.search(res.err)
    ck.check(not san, "%s: no sanitizer report" % label, res.err[-3000:])
    if case.rss_limit_mb:
        ck.check(res.maxrss_kb < case.rss_limit_mb * 1024,
                 "%s: peak RSS %d MB under %d MB" % (label, res.maxrss_kb // 1024,
                                                     case.rss_limit_mb),
                 "%d MB" % (res.maxrss_kb // 1024))
    ck.check(not RAW_CONTROL_RE.search(res.err), "%s: stderr free of raw control characters" % label,
             repr(RAW_CONTROL_RE.search(res.err).group(0)) if RAW_CONTROL_RE.search(res.err) else "")
    if case.no_report:
        ck.check(res.out == b"" and "error:" in res.err, "%s: no report, an error on stderr" % label,
                 repr(res.out[:200]))
        return None
    if fmt == "json":
        try:
            rep = json.loads(res.out.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            ck.check(False, "%s: valid JSON" % label, str(e))
            return None
        ck.check(True, "%s: valid JSON" % label)
        if case.reached is not None:
            got = rep["files_analyzed"] + len(rep["errors"])
            ck.check(got == case.reached,
                     "%s: files_analyzed + errors == %d files reached" % (label, case.reached),
                     "files_analyzed %d, errors %s" % (rep["files_analyzed"],
                                                       json.dumps(rep["errors"])))
        paths = {e["path"]: e["message"] for e in rep["errors"]}
        for path, sub in case.errors.items():
            ok = path in paths and (sub is None or sub in paths[path])
            ck.check(ok, "%s: %r listed in errors%s" % (label, path, " (%s)" % sub if sub else ""),
                     json.dumps(rep["errors"]))
        if case.no_errors:
            ck.check(not rep["errors"], "%s: no errors" % label, json.dumps(rep["errors"]))
        ck.check(all(e.get("message") for e in rep["errors"]), "%s: every error has a reason" % label)
        if 2 in case.rc and res.rc == 2:
            ck.check(bool(rep["errors"]), "%s: exit 2 comes with an error entry" % label)
        if case.min_findings is not None:
            ck.check(len(rep["findings"]) >= case.min_findings,
                     "%s: at least %d findings" % (label, case.min_findings),
                     "%d" % len(rep["findings"]))
        return rep
    if json_report is None:
        return None
    nfind, nerr = len(json_report["findings"]), len(json_report["errors"])
    if fmt == "sarif":
        try:
            log = json.loads(res.out.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            ck.check(False, "%s: valid JSON" % label, str(e))
            return None
        if validator is not None:
            errs = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            ck.check(not errs, "%s: schema-valid SARIF" % label,
                     "; ".join("%s: %s" % ("/".join(map(str, e.path)), e.message) for e in errs[:3]))
        run0 = log["runs"][0]
        results = [r for r in run0.get("results", []) if not r.get("suppressions")]
        notes = run0["invocations"][0].get("toolExecutionNotifications", [])
        ck.check(len(results) == nfind, "%s: one result per finding" % label,
                 "%d results, %d findings" % (len(results), nfind))
        ck.check(len(notes) == nerr, "%s: one notification per error" % label,
                 "%d notifications, %d errors" % (len(notes), nerr))
        ck.check(run0["invocations"][0]["executionSuccessful"] == (res.rc != 2),
                 "%s: executionSuccessful iff exit != 2" % label)
    elif fmt == "github":
        try:
            text = res.out.decode("utf-8")
        except UnicodeDecodeError as e:
            ck.check(False, "%s: UTF-8" % label, str(e))
            return None
        lines = text.split("\n")
        ck.check(lines[-1] == "", "%s: ends with a newline" % label)
        lines = lines[:-1]
        parsed = [parse_github_line(l) for l in lines]
        bad = [l for l, p in zip(lines, parsed) if p is None or "\r" in l]
        ck.check(not bad, "%s: every line is one workflow command" % label, repr(bad[:3]))
        ck.check(len(lines) == nfind + nerr, "%s: one line per finding and error" % label,
                 "%d lines, %d findings, %d errors" % (len(lines), nfind, nerr))
        want = sorted([f["path"] for f in json_report["findings"]] +
                      [e["path"] for e in json_report["errors"]])
        got = sorted(p[1].get("file", "") for p in parsed if p)
        ck.check(got == want, "%s: file properties parse back to the JSON paths" % label,
                 "%r vs %r" % (got[:5], want[:5]))
    elif fmt == "text":
        text = res.out.decode("utf-8", "replace")
        ck.check(b"\x1b" not in res.out and not RAW_CONTROL_RE.search(text),
                 "%s: stdout free of raw control characters" % label,
                 repr(RAW_CONTROL_RE.search(text).group(0)) if RAW_CONTROL_RE.search(text) else "ESC")
        heads = [l for l in text.split("\n") if TEXT_FINDING_RE.match(l)]
        ck.check(len(heads) == nfind, "%s: one `path:line:col: CODE` line per finding" % label,
                 "%d lines, %d findings: %r" % (len(heads), nfind, heads[:4]))
        err_lines = [l for l in res.err.split("\n") if ": error: " in l]
        ck.check(len(err_lines) >= nerr, "%s: one stderr line per error" % label,
                 "%d lines, %d errors" % (len(err_lines), nerr))
    return None


def run_case(ck, binary, validator, tmp, case):
    folder = os.path.join(tmp, case.name)
    os.mkdir(folder)
    case.build(folder)
    cwd = os.path.join(folder, case.cwd_sub) if case.cwd_sub else folder
    before = tree_state(folder)
    json_report = None
    results = {}
    order = ["json"] + [f for f in case.formats if f != "json"]
    for fmt in order:
        if fmt not in case.formats and fmt != "json":
            continue
        res = run(binary, cwd, ["--format", fmt] + case.args, case.timeout, stdin_bytes=case.stdin,
                  env_extra={"XDG_CACHE_HOME": os.path.join(tmp, ".cache")})
        results[fmt] = res
        rep = check_run(ck, validator, case, fmt, res, json_report)
        if fmt == "json":
            json_report = rep
    if json_report is not None and case.findings is not None:
        have = {(f["path"], f["line"], f["column"], f["rule"]) for f in json_report["findings"]}
        for want in case.findings(folder):
            ck.check(want in have, "%s: finding %s:%d:%d %s" % ((case.name,) + want),
                     "have %s" % sorted(have)[:8])
    if case.extra is not None:
        case.extra(ck, folder, results, json_report)
    ck.check(tree_state(folder) == before, "%s: the analyzed tree is unchanged" % case.name)
    return results


# ---- building trees ------------------------------------------------------------------------

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def python_positions(path, attr="reload"):
    """Where Python itself puts each `<x>.reload(` call of the file: 1-based
    line and 1-based column in code points, from ast on the source as Python
    decodes it (PEP 263, universal newlines)."""
    with open(path, "rb") as fh:
        raw = fh.read()
    enc = tokenize.detect_encoding(io.BytesIO(raw).readline)[0]
    text = io.TextIOWrapper(io.BytesIO(raw), encoding=enc, newline=None).read()
    lines = text.split("\n")
    out = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == attr:
            line = lines[node.lineno - 1]
            col = len(line.encode("utf-8")[:node.col_offset].decode("utf-8")) + 1
            out.append((node.lineno, col))
    return out


def findings_at_python_positions(*names):
    def find(folder):
        out = []
        for name in names:
            for line, col in python_positions(os.path.join(folder, name)):
                out.append((name, line, col, "RL201"))
        return out
    return find


def files(mapping):
    def build(folder):
        for name, data in mapping.items():
            write(os.path.join(folder, name), data)
    return build


def nested(open_, close, depth, head="x = ", tail="\n"):
    return head + open_ * depth + "1" + close * depth + tail


def deep_blocks(depth):
    lines = []
    for i in range(depth):
        lines.append(" " * i + "if x:\n")
    lines.append(" " * depth + "importlib.reload(m)\n")
    return "import importlib, m\n" + "".join(lines)


def write_big_file(path, mb):
    block = ('def f{i}(x, y=1):\n    """doc {i}"""\n    return [x + y for _ in range(3)]\n'
             'class C{i}(object):\n    attr = {{"a": {i}, "b": (1, 2, 3)}}\n'
             '    def meth(self, *a, **k):\n        return self.attr.get("a") if a else None\n')
    with open(path, "w") as fh:
        fh.write("import importlib\nimport m\nimportlib.reload(m)\n")
        n, i = 0, 0
        while n < mb * 1024 * 1024:
            b = block.format(i=i)
            fh.write(b)
            n += len(b)
            i += 1


def try_name(folder, name, data):
    """Writes a file with an unusual name; False when the file system refuses."""
    try:
        write(os.path.join(folder, name), data)
        return True
    except (OSError, ValueError, UnicodeEncodeError):
        return False


HOSTILE_NAMES = [
    "with space.py", "quote\"d.py", "single'q.py", "back\\slash.py", "new\nline.py",
    "cr\rname.py", "tab\tname.py", "per%25cent%.py", "colon::name.py", "com,ma.py", "eq=ual.py",
    "esc\x1b[31mred\x1b[0m.py", "clear\x1b[2J\x1b[H.py", "bell\x07.py", "del\x7f.py",
    "c1\u009b31m.py", "bidi\u202eyp.txt.py", "unicodé.py", "日本語.py", "emoji😀.py",
    "x.py:1:1: RL201 [warning] fake finding.py",
    "fake\nx.py:1:1: RL201 [warning] `forged` reloaded\n.py",
    "::error file=forged.py::forged.py", "%0A::error::forged.py",
]


def build_hostile_names(folder):
    made = []
    for name in HOSTILE_NAMES:
        if try_name(folder, name, RELOAD):
            made.append(name)
    # A folder with a hostile name, a syntax error and a noqa inside.
    sub = "dir \x1b[1m%0A\nsub"
    if try_name(folder, os.path.join(sub, "inner.py"), RELOAD):
        made.append(os.path.join(sub, "inner.py"))
    if try_name(folder, os.path.join(sub, "broken\x1b[31m.py"), "def (:\n" + RELOAD):
        made.append(os.path.join(sub, "broken\x1b[31m.py"))
    try_name(folder, "quiet.py", "import importlib, m\nimportlib.reload(m)  # noqa\n")
    made.append("quiet.py")
    with open(os.path.join(folder, ".made"), "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(str(len(made)))


def check_hostile_names(ck, folder, results, rep):
    if rep is None:
        return
    n = int(open(os.path.join(folder, ".made")).read())
    ck.check(rep["files_analyzed"] + len(rep["errors"]) == n,
             "hostile-names: every oddly named file accounted for (%d)" % n,
             "%d + %d" % (rep["files_analyzed"], len(rep["errors"])))
    paths = {f["path"] for f in rep["findings"]}
    on_disk = set()
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".py"):
                on_disk.add(os.path.relpath(os.path.join(dirpath, name), folder))
    ck.check(paths <= on_disk, "hostile-names: JSON paths are the real names",
             repr(sorted(paths - on_disk)[:3]))


def build_injection_content(folder):
    """Strings of the analyzed source reach messages: module names in
    import_module(), sys.modules keys."""
    evil = "evil\\x1b[31m\\r\\nx.py:1:1: RL999 [error] forged\\u202e\\x07"
    write(os.path.join(folder, "inj.py"),
          "import importlib, sys\n"
          "del sys.modules['%s']\n"
          "importlib.import_module('%s')\n"
          "importlib.reload(sys.modules['%s'])\n"
          "m = importlib.import_module('%s')\n"
          "importlib.reload(m)\n" % (evil, evil, evil, evil))
    raw = "evil\x1b[31m\x1b]0;title\x07\x08\x7f\u009b\u202e\u2028x.py:1:1: RL999 [error] forged"
    write(os.path.join(folder, "raw.py"),
          "import importlib, sys\n"
          "del sys.modules['%s']\n"
          "importlib.import_module('%s')\n"
          "from %s import x\n"
          "m = importlib.import_module('%s')\n"
          "importlib.reload(m)\n" % (raw, raw, "m\u00e9", raw))
    write(os.path.join(folder, "noqa.py"),
          "import importlib, m\nimportlib.reload(m)  # noqa: RL999\x1b[31m, RL\x07x\n"
          "importlib.reload(m)  # noqa: RL2\u202e01\n")


def build_hostile_config(folder):
    write(os.path.join(folder, "pyproject.toml"),
          '[tool.reloadlint]\n'
          'extend-exclude = ["\\u001b[31m*", "a\\nb"]\n'
          'per-file-ignores = {"\\u001b[2J*.py" = ["RL101"]}\n')
    write(os.path.join(folder, "a.py"), RELOAD)


def build_bad_config(folder):
    write(os.path.join(folder, "pyproject.toml"),
          '[tool.reloadlint]\nselect = ["RL1\\u001b[31m", "\\r\\nforged"]\n')
    write(os.path.join(folder, "a.py"), RELOAD)


def build_special_files(folder):
    write(os.path.join(folder, "ok.py"), RELOAD)
    os.mkfifo(os.path.join(folder, "fifo.py"))
    os.symlink("/dev/zero", os.path.join(folder, "dev.py"))
    os.symlink("/dev/null", os.path.join(folder, "null.py"))
    os.symlink("/dev/urandom", os.path.join(folder, "random.py"))
    os.makedirs(os.path.join(folder, "x.py"))
    write(os.path.join(folder, "x.py", "inside.py"), RELOAD)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind(os.path.join(folder, "sock.py"))
    finally:
        s.close()
    try:
        os.mknod(os.path.join(folder, "chr.py"), 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except OSError:
        pass


def special_reached(folder):
    return 7 + os.path.exists(os.path.join(folder, "chr.py"))


def check_special(ck, folder, results, rep):
    if rep is None:
        return
    reached = special_reached(folder)
    ck.check(rep["files_analyzed"] + len(rep["errors"]) == reached,
             "special-files: every entry accounted for (%d)" % reached,
             json.dumps(rep["errors"]))
    for name in ("fifo.py", "dev.py", "null.py", "random.py", "sock.py"):
        msg = {e["path"]: e["message"] for e in rep["errors"]}.get(name, "")
        ck.check("not read" in msg or "not followed" in msg,
                 "special-files: %s listed, never read" % name, msg)


def build_symlinks(folder):
    tree = os.path.join(folder, "tree")
    write(os.path.join(folder, "outside", "secret.py"), RELOAD)
    write(os.path.join(tree, "real.py"), RELOAD)
    os.symlink("real.py", os.path.join(tree, "same.py"))          # inside: followed, listed once
    os.symlink("../outside/secret.py", os.path.join(tree, "out.py"))  # leaves the PATH
    os.symlink("loop2.py", os.path.join(tree, "loop1.py"))
    os.symlink("loop1.py", os.path.join(tree, "loop2.py"))
    os.symlink("self.py", os.path.join(tree, "self.py"))
    os.symlink("missing.py", os.path.join(tree, "dangling.py"))
    os.symlink("..", os.path.join(tree, "up"))                     # a folder loop: not followed
    os.symlink("../outside", os.path.join(tree, "outdir"))         # folder outside: not followed
    os.symlink("outside/secret.py", os.path.join(folder, "direct.py"))


def check_symlinks(ck, folder, results, rep):
    if rep is None:
        return
    paths = {f["path"] for f in rep["findings"]}
    ck.check(not any("secret" in p or "outside" in p or p.startswith("tree/out")
                     for p in paths),
             "symlinks: nothing outside the PATH analyzed", repr(sorted(paths)))
    res = run(BINARY, folder, ["--format", "json", "direct.py"], 30)
    try:
        direct = json.loads(res.out)
        ok = direct["files_analyzed"] == 1 and any(f["path"] == "direct.py"
                                                   for f in direct["findings"])
    except ValueError:
        ok = False
    ck.check(ok, "symlinks: a symlink given as the PATH itself is followed",
             res.out[:300].decode("utf-8", "replace"))


def build_unreadable(folder):
    write(os.path.join(folder, "a.py"), RELOAD)
    write(os.path.join(folder, "z.py"), RELOAD)
    os.symlink("gone.py", os.path.join(folder, "m_gone.py"))
    if os.geteuid() != 0:
        write(os.path.join(folder, "noperm.py"), RELOAD)
        os.chmod(os.path.join(folder, "noperm.py"), 0)


def check_unreadable(ck, folder, results, rep):
    if rep is None:
        return
    paths = {f["path"] for f in rep["findings"]}
    ck.check({"a.py", "z.py"} <= paths, "unreadable: the other files are still reported",
             repr(sorted(paths)))
    if os.geteuid() != 0:
        ck.check(any(e["path"] == "noperm.py" for e in rep["errors"]),
                 "unreadable: a file without read permission is listed")
    else:
        print("SKIP unreadable: chmod 000 does not stop root; the dangling symlink stands in")


def check_churn(ck, binary, tmp):
    """Files created and deleted while the tree is analyzed (the race between
    discovery and reading): the run survives with valid output each time."""
    folder = os.path.join(tmp, "churn")
    os.mkdir(folder)
    for i in range(200):
        write(os.path.join(folder, "keep%03d.py" % i), RELOAD)
    stop = threading.Event()

    def churn():
        i = 0
        while not stop.is_set():
            p = os.path.join(folder, "tmp%03d.py" % (i % 50))
            try:
                if os.path.exists(p):
                    os.unlink(p)
                else:
                    write(p, RELOAD * 50)
            except OSError:
                pass
            i += 1
    t = threading.Thread(target=churn)
    t.start()
    ok_runs, problems = 0, []
    try:
        for _ in range(15):
            res = run(binary, folder, ["--format", "json", "-j2", "."], 60)
            try:
                rep = json.loads(res.out)
                valid = all(e.get("message") for e in rep["errors"])
            except ValueError:
                valid = False
            if res.rc in (0, 1, 2) and valid and not SANITIZER_RE.search(res.err):
                ok_runs += 1
            else:
                problems.append((res.rc, res.err[-500:]))
    finally:
        stop.set()
        t.join()
    ck.check(ok_runs == 15, "churn: 15 runs while files come and go, all valid", repr(problems[:2]))


def check_stdin(ck, binary, validator, tmp):
    folder = os.path.join(tmp, "stdin")
    os.mkdir(folder)
    for name, data in [("nul", b"import importlib, m\x00\nimportlib.reload(m)\n"),
                       ("cr", b"import importlib, m\rimportlib.reload(m)\r"),
                       ("utf16", "\ufeffimport m\n".encode("utf-16")),
                       ("latin1", b"# coding: latin-1\nimport importlib, m\ns='\xe9'; importlib.reload(m)\n")]:
        res = run(binary, folder, ["--format", "json", "--stdin-filename", name + ".py"], 30,
                  stdin_bytes=data)
        try:
            rep = json.loads(res.out)
            ok = rep["files_analyzed"] + len(rep["errors"]) == 1
        except ValueError:
            ok = False
        ck.check(res.rc in (0, 1) and ok, "stdin %s: accounted for, exit %d" % (name, res.rc),
                 res.out[:300].decode("utf-8", "replace") + res.err[-300:])
    res = run(binary, folder, ["--format", "json", "--stdin-filename", "cr.py"], 30,
              stdin_bytes=b"import importlib, m\rx = 1\rimportlib.reload(m)\r")
    try:
        f = json.loads(res.out)["findings"]
        ok = [(x["line"], x["column"]) for x in f if x["rule"] == "RL201"] == [(3, 1)]
    except ValueError:
        ok = False
    ck.check(ok, "stdin cr: CR-only line breaks counted as Python counts them",
             res.out[:300].decode("utf-8", "replace"))


# ---- the cases -------------------------------------------------------------------------------

def cases(quick):
    big_mb = 50
    cs = [
        Case("empty", files({"empty.py": b""}), rc=0, reached=1, no_errors=True),
        Case("invalid-utf8", files({"bad.py": b"import importlib, m\nx = '\xc3\x28\xff\xfe\xa0'; "
                                              b"importlib.reload(m)\n\xed\xa0\x80 = 1\n"}),
             rc=1, reached=1, errors={"bad.py": "line 3"},
             findings=lambda f: [("bad.py", 2, 14, "RL201")]),
        Case("utf16-bom", files({"u16.py": "\ufeffimport importlib, m\n".encode("utf-16-le"),
                                 "u16be.py": "\ufeffimport m\n".encode("utf-16-be"),
                                 "u32.py": "\ufeffimport m\n".encode("utf-32-le"),
                                 "ok.py": RELOAD}),
             rc=1, reached=4, errors={"u16.py": "UTF-16", "u16be.py": "UTF-16",
                                      "u32.py": "UTF-32"}),
        Case("pep263", files({
            "lat.py": b"# -*- coding: latin-1 -*-\nimport importlib, m\ns = '\xe9\xe8\xff'; "
                      b"importlib.reload(m)\n",
            "iso.py": b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\n"
                      b"import importlib, m\n\xe9 = 1; importlib.reload(m)\n",
            "cp.py": b"# coding=cp1252\nimport importlib, m\ns = '\x80\x93\x94'; importlib.reload(m)\n",
            "bomutf8.py": b"\xef\xbb\xbf# coding: utf-8\nimport importlib, m\ns = '\xc3\xa9'; "
                          b"importlib.reload(m)\n",
            "ascii.py": b"# -*- coding: ascii -*-\n" + RELOAD.encode(),
            "unknown.py": b"# coding: no-such-codec\nimport importlib, m\ns = '\xe9'\n",
            "bomlatin.py": b"\xef\xbb\xbf# coding: latin-1\nimport m\ns = '\xc3\xa9'\n",
            "badcp.py": b"# coding: cp1252\ns = '\x81'\n"}),
             rc=1, reached=8,
             errors={"unknown.py": "no-such-codec", "bomlatin.py": "disagree",
                     "badcp.py": "cp1252"},
             findings=findings_at_python_positions("lat.py", "iso.py", "cp.py", "bomutf8.py",
                                                   "ascii.py")),
        Case("nul-bytes", files({"nul.py": b"import importlib, m\nx = 1\x00\x00\nimportlib.reload(m)\n",
                                 "lead.py": b"\x00" * 10 + b"\n" + RELOAD.encode()}),
             rc=1, reached=2, errors={"nul.py": "line 2"}, min_findings=1),
        Case("line-endings", files({
            "cr.py": b"import importlib, m\rx = 1\r\rimportlib.reload(m)\r",
            "crlf.py": b"import importlib, m\r\nx = 1\r\n\r\nimportlib.reload(m)\r\n",
            "mixed.py": b"import importlib, m\r\nx = 1\ry = 2\n\r\n\rz = (1,\r 2)\rimportlib.reload(m)\n"
                        b"s = '''a\rb\r\nc'''; importlib.reload(m)\r",
            "ff.py": b"import importlib, m\n\x0c\nx = 1\x0c\nimportlib.reload(m)\n",
            "cont.py": b"import importlib, m\rx = 1 + \\\r  2\rimportlib.reload(m)\r"}),
             rc=1, reached=5, no_errors=True,
             findings=findings_at_python_positions("cr.py", "crlf.py", "mixed.py", "ff.py",
                                                   "cont.py")),
        Case("tabs-wide", files({
            "tabs.py": "import importlib, m\nif 1:\n\tx = '\t'\t;\timportlib.reload(m)\n",
            "wide.py": "import importlib, m\ns = '日本語😀\u200d👩'; importlib.reload(m)\n"
                       "ｘ = '全角'  ;  importlib.reload(m)\n",
            "comb.py": "import importlib, m\ns = 'e\u0301\u0301'; importlib.reload(m)\n"}),
             rc=1, reached=3, no_errors=True,
             findings=findings_at_python_positions("tabs.py", "wide.py", "comb.py")),
        Case("python2", files({
            "py2.py": "import sys\nreload(sys)\nsys.setdefaultencoding('utf-8')\n"
                      "print 'hello'\nexec 'x = 1'\nx = `1`\ntry:\n    pass\nexcept Exception, e:\n"
                      "    raise E, 'msg'\nprint >>sys.stderr, 0777, 10L, ur'x'\n"
                      "def f((a, b)):\n    return a <> b\nimport imp\nimp.reload(sys)\n"}),
             rc=1, reached=1, min_findings=2),
        Case("special-files", build_special_files, rc=1, extra=check_special),
        Case("symlinks", build_symlinks, args=["tree"], rc=2, reached=6,
             errors={"tree/out.py": "not followed", "tree/loop1.py": "loop",
                     "tree/loop2.py": "loop", "tree/self.py": "loop",
                     "tree/dangling.py": "dangling"},
             extra=check_symlinks),
        Case("unreadable", build_unreadable, rc=2,
             reached=3 + (os.geteuid() != 0), errors={"m_gone.py": "dangling"},
             extra=check_unreadable),
        Case("hostile-names", build_hostile_names, rc=1, extra=check_hostile_names),
        Case("injection", build_injection_content, rc=1, reached=3, min_findings=6),
        Case("hostile-config", build_hostile_config, rc=1, reached=1),
        Case("bad-config", build_bad_config, rc=2, no_report=True),
        Case("missing-path", files({"a.py": RELOAD}), args=["a.py", "nope.py", "no\x1b[31mdir/"],
             rc=2, reached=3, errors={"nope.py": None}),
        Case("deep-parens", files({"d.py": nested("(", ")", 100000)}), reached=1),
        Case("deep-brackets", files({"d.py": nested("[", "]", 100000)}), reached=1),
        Case("deep-braces", files({"d.py": "x = " + "{1: " * 100000 + "1" + "}" * 100000 + "\n"}),
             reached=1),
        Case("deep-mixed", files({"d.py": "x = " + "([{" * 33334 + "1" + "}])" * 33334 + "\n"}),
             reached=1),
        Case("deep-unclosed", files({"d.py": "import importlib, m\nx = " + "(" * 100000 +
                                     "\nimportlib.reload(m)\n"}), reached=1),
        Case("deep-lambda", files({"d.py": "f = " + "lambda: " * 100000 + "1\n"}), reached=1),
        Case("deep-unary", files({"d.py": "x = " + "not " * 50000 + "-" * 50000 + "1\n"}),
             reached=1),
        Case("deep-binary", files({"d.py": "x = " + " + ".join(["1"] * 100000) + "\n"}),
             reached=1),
        Case("deep-attribute", files({"d.py": "import importlib, m\nimportlib.reload(m" +
                                      ".a" * 100000 + ")\n"}), reached=1),
        Case("deep-calls", files({"d.py": "x = f" + "()" * 100000 + "\n"}), reached=1),
        Case("deep-subscript", files({"d.py": "x = f" + "[0]" * 100000 + "\n"}), reached=1),
        Case("deep-strings", files({"d.py": "x = " + "f'{" * 2000 + "1" + "}'" * 2000 + "\n"}),
             reached=1),
        Case("deep-blocks", files({"d.py": deep_blocks(3000)}), reached=1),
        Case("deep-defs", files({"d.py": "".join(" " * i + "def f%d():\n" % i for i in range(2000))
                                 + " " * 2000 + "pass\n"}), reached=1),
        Case("many-lines", files({"d.py": "import importlib, m\n" + "\n" * 2000000 +
                                  "importlib.reload(m)\n"}), rc=1, reached=1,
             findings=lambda f: [("d.py", 2000002, 1, "RL201")]),
        Case("long-line", files({"d.py": "import importlib, m\nx = '" + "é" * 3000000 +
                                 "'; importlib.reload(m)\n"}), rc=1, reached=1,
             findings=lambda f: [("d.py", 2, 3000009, "RL201")]),
    ]
    def big(folder):
        write_big_file(os.path.join(folder, "big.py"), big_mb)
    cs.append(Case("big-default", big, rc=1, reached=1, errors={"big.py": "--max-file-size"}))
    if not quick:
        cs.append(Case("big-100M", big, args=["--max-file-size", "100M", "."],
                       rc=(0, 1), reached=1, timeout=300, formats=("json", "sarif"),
                       rss_limit_mb=12288 if SANITIZED else 4096))
    return cs


BINARY = None


def main():
    global BINARY
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.environ.get("RELOADLINT_BIN"))
    ap.add_argument("--quick", action="store_true", help="skip the analyzed 50 MB run")
    ap.add_argument("-k", dest="only", help="run only cases whose name contains this")
    args = ap.parse_args()
    if not args.binary:
        ap.error("--binary or $RELOADLINT_BIN is required")
    BINARY = os.path.abspath(args.binary)
    ck = Checks()
    validator = None
    if ck.check(os.path.exists(SCHEMA), "SARIF schema present", SCHEMA):
        try:
            import jsonschema
            with open(SCHEMA, encoding="utf-8") as fh:
                schema = json.load(fh)
            cls = jsonschema.validators.validator_for(schema)
            validator = cls(schema)
            ck.check(True, "schema loaded")
        except ImportError:
            ck.check(False, "python3-jsonschema importable", "install python3-jsonschema")
    quick = args.quick or os.environ.get("RELOADLINT_HOSTILE_QUICK") == "1"
    tmp = tempfile.mkdtemp(prefix="rl-hostile-")
    try:
        for case in cases(quick):
            if args.only and args.only not in case.name:
                continue
            results = run_case(ck, BINARY, validator, tmp, case)
            slow = max((r.seconds for r in results.values()), default=0)
            rss = max((r.maxrss_kb for r in results.values()), default=0)
            print("INFO %s: slowest run %.2fs, peak RSS %d MB" % (case.name, slow, rss // 1024))
        if not args.only or "stdin" in args.only:
            check_stdin(ck, BINARY, validator, tmp)
        if not args.only or "churn" in args.only:
            check_churn(ck, BINARY, tmp)
    finally:
        for dirpath, dirnames, _ in os.walk(tmp):
            for d in dirnames:
                try:
                    os.chmod(os.path.join(dirpath, d), 0o755, follow_symlinks=False)
                except (OSError, NotImplementedError):
                    pass
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
