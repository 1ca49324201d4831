#!/usr/bin/env python3
"""End-to-end checks of `--format sarif` and `--format github`.

    python3 tests/check_sarif.py --binary BUILD/reloadlint

SARIF: every log the script produces is validated against the official SARIF
2.1.0 schema, `../shared/schemas/sarif-schema-2.1.0.json` next to the
repository (or $RELOADLINT_SARIF_SCHEMA), with Debian's python3-jsonschema,
and compared with the JSON output of the same run: results in the same order,
regions equal to line/column/end_line/end_column (end exclusive), URIs
percent-encoded and resolving against %SRCROOT% to the reported path, related
locations numbered 1..n and linked from the message, ruleIndex pointing at the
rule, levels, notifications for the files in `errors`, executionSuccessful
false exactly when the exit code is 2. Runs over every fixtures folder and over
a temporary tree with hostile file names (spaces, `#`, `%`, `?`, `,`, `:`,
non-ASCII, a newline and a CR when the file system allows), a syntax error, an
unreadable file (chmod 000 when not root; a dangling symlink always) and a
`# noqa`-suppressed finding, which SARIF alone lists, with suppressions.
Fingerprints must survive lines inserted above the findings.

GitHub: exact annotation lines for a small tree, escaping of `%`, CR, LF (and
`,` `:` in properties), and every line parsed back to the JSON findings.

Prints one line per check and ends with `N passed, N failed`; exits 1 on any
failure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
SCHEMA = os.environ.get("RELOADLINT_SARIF_SCHEMA") or os.path.join(
    os.path.dirname(ROOT), "shared", "schemas", "sarif-schema-2.1.0.json")
TIMEOUT = 120
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
# What our encoder may produce: unreserved characters, '/', and %XX (uppercase).
URI_PATH_RE = re.compile(r"^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$")
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{16}:[1-9][0-9]*$")


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
        return cond


def env():
    e = dict(os.environ)
    e["NO_COLOR"] = "1"
    return e


def run(binary, cwd, args):
    """(returncode, stdout bytes, stderr text)."""
    try:
        p = subprocess.run([binary] + args, cwd=cwd, env=env(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, b"", "timed out after %ds" % TIMEOUT
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def registry(binary):
    """[(code, severity)] from --list-rules, in registry order."""
    rc, out, err = run(binary, ROOT, ["--list-rules"])
    rules = []
    for line in out.decode().splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 3 and re.match(r"^RL\d+$", parts[0]):
            rules.append((parts[0], parts[2]))
    return rules


# ---- SARIF checks ------------------------------------------------------------------------

def link_escape(s):
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def expected_message(f):
    if not f["related"]:
        return f["message"]
    links = ", ".join("[%s](%d)" % (link_escape(r["message"] or "related location"), i + 1)
                      for i, r in enumerate(f["related"]))
    return "%s. See %s" % (link_escape(f["message"]), links)


class SarifRun:
    """One SARIF log with the JSON output of the same arguments, for comparison."""

    def __init__(self, ck, validator, rules, name, cwd):
        self.ck, self.validator, self.rules, self.name, self.cwd = ck, validator, rules, name, cwd
        self.srcroot = None

    def fail(self, what, detail=""):
        return self.ck.check(False, "%s: %s" % (self.name, what), detail)

    def resolve(self, loc):
        """The file-system path an artifactLocation designates, or None."""
        uri = loc.get("uri", "")
        base = loc.get("uriBaseId")
        if base is not None:
            if base != "%SRCROOT%" or self.srcroot is None:
                return None
            if uri.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri):
                return None
            uri = urllib.parse.urljoin(self.srcroot, uri)
        parsed = urllib.parse.urlsplit(uri)
        if parsed.scheme != "file" or parsed.query or parsed.fragment:
            return None
        return os.fsdecode(urllib.parse.unquote_to_bytes(parsed.path))

    def same_path(self, loc, path):
        """Whether loc's URI is well formed and resolves to path (as reached from cwd)."""
        uri = loc.get("uri", "")
        body = uri[len("file://"):] if uri.startswith("file://") else uri
        if not URI_PATH_RE.match(body):
            return False, "URI %r is not percent-encoded as expected" % uri
        if uri.startswith("file://") == ("uriBaseId" in loc):
            return False, "URI %r: relative URIs need uriBaseId, file URIs none" % uri
        got = self.resolve(loc)
        want = os.path.normpath(os.path.join(self.cwd, path))
        if got is None or os.path.normpath(got) != want:
            return False, "URI %r resolves to %r, want %r" % (uri, got, want)
        if not os.path.lexists(got):
            return False, "URI %r resolves to %r, which does not exist" % (uri, got)
        return True, ""

    def check(self, sarif_bytes, rc, json_bytes, json_rc):
        ck, name = self.ck, self.name
        try:
            log = json.loads(sarif_bytes.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            return self.fail("SARIF is JSON", str(exc))
        errors = sorted(self.validator.iter_errors(log), key=lambda e: list(e.path))
        if not ck.check(not errors, "%s: schema-valid" % name,
                        "; ".join("%s at %s" % (e.message[:200], "/".join(map(str, e.path)))
                                  for e in errors[:3])):
            return
        rep = json.loads(json_bytes.decode("utf-8"))
        problems = []
        p = problems.append

        if rc != json_rc:
            p("exit code %s, JSON run %s" % (rc, json_rc))
        if log.get("version") != "2.1.0" or "sarif-2.1.0" not in log.get("$schema", ""):
            p("version/$schema")
        if len(log["runs"]) != 1:
            p("%d runs" % len(log["runs"]))
        run_ = log["runs"][0]
        driver = run_["tool"]["driver"]
        for key in ("name", "version", "semanticVersion", "informationUri"):
            if not driver.get(key):
                p("tool.driver.%s missing" % key)
        if driver.get("name") != "reloadlint" or driver.get("version") != rep["version"]:
            p("driver name/version")
        if run_.get("columnKind") != "unicodeCodePoints":
            p("columnKind %r" % run_.get("columnKind"))
        base = run_.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri")
        want_base = "file://" + urllib.parse.quote(os.path.realpath(self.cwd).rstrip("/"),
                                                   safe="/") + "/"
        if base != want_base:
            p("originalUriBaseIds %%SRCROOT%% %r, want %r" % (base, want_base))
        self.srcroot = base

        # rules[]: the whole registry, in order.
        srules = driver.get("rules", [])
        if [(r["id"], r["defaultConfiguration"]["level"]) for r in srules] != \
                [(c, LEVELS[s]) for c, s in self.rules]:
            p("rules[] differ from --list-rules")
        for r in srules:
            full = r["fullDescription"]["text"]
            if len(full) > 1024 or not full:
                p("%s fullDescription length %d" % (r["id"], len(full)))
            md = r["help"]["markdown"]
            for part in ("## What it does", "## Why is this bad?", "## Example", "```python\n"):
                if part not in md:
                    p("%s help.markdown lacks %r" % (r["id"], part))
            if not r["help"]["text"] or not r["shortDescription"]["text"] or not r.get("name"):
                p("%s help/shortDescription/name empty" % r["id"])
            props = r.get("properties", {})
            if not props.get("tags") or props.get("precision") not in ("high", "medium"):
                p("%s properties %r" % (r["id"], props))

        results = run_.get("results", [])
        shown = [r for r in results if not r.get("suppressions")]
        for r in results:
            if "suppressions" in r and r["suppressions"] != [{"kind": "inSource"}]:
                p("suppressions %r" % r["suppressions"])
        findings = rep["findings"]
        if len(shown) != len(findings):
            p("%d unsuppressed results, %d JSON findings" % (len(shown), len(findings)))
        seen_fp = set()
        for i, r in enumerate(results):
            idx = r.get("ruleIndex")
            if not isinstance(idx, int) or not 0 <= idx < len(srules) or \
                    srules[idx]["id"] != r["ruleId"]:
                p("result %d: ruleIndex %r does not point at %s" % (i, idx, r["ruleId"]))
                continue
            if r["level"] != srules[idx]["defaultConfiguration"]["level"]:
                p("result %d: level %s" % (i, r["level"]))
            if len(r["locations"]) != 1:
                p("result %d: %d locations" % (i, len(r["locations"])))
            fp = r.get("partialFingerprints", {}).get("reloadlint/v1", "")
            if not FINGERPRINT_RE.match(fp):
                p("result %d: fingerprint %r" % (i, fp))
            key = (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                   r["ruleId"], fp)
            if key in seen_fp:
                p("result %d: fingerprint %r repeated in one file" % (i, fp))
            seen_fp.add(key)
            rel = r.get("relatedLocations", [])
            if [x["id"] for x in rel] != list(range(1, len(rel) + 1)):
                p("result %d: relatedLocations ids %r" % (i, [x["id"] for x in rel]))
        for i, (r, f) in enumerate(zip(shown, findings)):
            where = "%s:%d" % (f["path"], f["line"])
            if r["ruleId"] != f["rule"] or r["level"] != LEVELS[f["severity"]]:
                p("%s: %s/%s, JSON %s/%s" % (where, r["ruleId"], r["level"], f["rule"],
                                              f["severity"]))
            phys = r["locations"][0]["physicalLocation"]
            ok, why = self.same_path(phys["artifactLocation"], f["path"])
            if not ok:
                p("%s: %s" % (where, why))
            reg = phys.get("region", {})
            want = {"startLine": f["line"], "startColumn": f["column"],
                    "endLine": f["end_line"], "endColumn": f["end_column"]}
            if reg != want:
                p("%s: region %r, JSON %r" % (where, reg, want))
            if r["message"]["text"] != expected_message(f):
                p("%s: message %r, want %r" % (where, r["message"]["text"], expected_message(f)))
            rel = r.get("relatedLocations", [])
            if len(rel) != len(f["related"]):
                p("%s: %d related, JSON %d" % (where, len(rel), len(f["related"])))
            for x, y in zip(rel, f["related"]):
                ok, why = self.same_path(x["physicalLocation"]["artifactLocation"], y["path"])
                if not ok:
                    p("%s related: %s" % (where, why))
                xr = x["physicalLocation"].get("region", {})
                if (xr.get("startLine"), xr.get("startColumn")) != (y["line"], y["column"]):
                    p("%s related: region %r, JSON %d:%d" % (where, xr, y["line"], y["column"]))
                if x["message"]["text"] != y["message"]:
                    p("%s related: message %r" % (where, x["message"]["text"]))

        inv = run_.get("invocations", [])
        if len(inv) != 1:
            p("%d invocations" % len(inv))
        else:
            if inv[0]["executionSuccessful"] != (rc != 2):
                p("executionSuccessful %r with exit code %s" % (inv[0]["executionSuccessful"], rc))
            notes = inv[0].get("toolExecutionNotifications", [])
            if len(notes) != len(rep["errors"]):
                p("%d notifications, %d JSON errors" % (len(notes), len(rep["errors"])))
            for n, e in zip(notes, rep["errors"]):
                if n["message"]["text"] != e["message"] or \
                        n.get("level") not in ("error", "warning"):
                    p("notification %r for %r" % (n["message"], e))
                loc = n["locations"][0]["physicalLocation"]
                ok, why = self.same_path(loc["artifactLocation"], e["path"])
                if not ok:
                    p("notification: %s" % why)
                if "line" in e and loc.get("region", {}).get("startLine") != e["line"]:
                    p("notification %s: region %r, line %d" % (e["path"], loc.get("region"),
                                                                e["line"]))
        ck.check(not problems, "%s: agrees with JSON (%d results, %d suppressed)"
                 % (name, len(results), len(results) - len(shown)),
                 "; ".join(problems[:8]) + (" ..." if len(problems) > 8 else ""))
        return log


def sarif_and_json(ck, binary, validator, rules, name, cwd, args):
    """Runs both formats with args, checks them; returns (log, json report, rc)."""
    rc, out, err = run(binary, cwd, ["--format", "sarif"] + args)
    if not ck.check(rc in (0, 1, 2) and out, "%s: runs" % name, "exit %s: %s" % (rc, err.strip())):
        return None, None, rc
    jrc, jout, jerr = run(binary, cwd, ["--format", "json"] + args)
    log = SarifRun(ck, validator, rules, name, cwd).check(out, rc, jout, jrc)
    return log, json.loads(jout.decode("utf-8")), rc


def fixture_runs():
    """(name, folder, [argument lists]) for every fixtures folder."""
    out = []
    for entry in sorted(os.listdir(FIXTURES)):
        folder = os.path.join(FIXTURES, entry)
        if not os.path.isdir(folder):
            continue
        if entry == "examples":
            for sub in sorted(os.listdir(folder)):
                if os.path.isdir(os.path.join(folder, sub)):
                    out.append(("examples/" + sub, os.path.join(folder, sub), [["."]]))
            continue
        argsets = [["."]]
        args_file = os.path.join(folder, "args.txt")
        if os.path.exists(args_file):
            with open(args_file) as fh:
                argsets.append(fh.read().split() + ["."])
        out.append((entry, folder, argsets))
    return out


def check_fixtures(ck, binary, validator, rules):
    for name, folder, argsets in fixture_runs():
        for args in argsets:
            label = "fixtures/%s%s" % (name, "" if args == ["."] else " " + " ".join(args[:-1]))
            sarif_and_json(ck, binary, validator, rules, label, folder, args)


# ---- fingerprint stability ---------------------------------------------------------------

def fingerprints(log):
    return [(r["ruleId"],
             r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["partialFingerprints"]["reloadlint/v1"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log["runs"][0]["results"]]


def insert_lines_above(folder, text):
    for dirpath, dirnames, files in os.walk(folder):
        for f in files:
            if not f.endswith(".py"):
                continue
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                data = fh.read()
            bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
            with open(path, "wb") as fh:
                fh.write(bom + text + data[len(bom):])


def check_fingerprint_stability(ck, binary, validator, rules, tmp):
    for name, folder, argsets in fixture_runs():
        a = os.path.join(tmp, "fp-a", name)
        b = os.path.join(tmp, "fp-b", name)
        shutil.copytree(folder, a, symlinks=True)
        shutil.copytree(folder, b, symlinks=True)
        insert_lines_above(b, b"\n# an unrelated comment, added above everything\n")
        args = argsets[-1]
        la, _, _ = sarif_and_json(ck, binary, validator, rules, "fingerprints %s (copy)" % name,
                                  a, args)
        lb, _, _ = sarif_and_json(ck, binary, validator, rules,
                                  "fingerprints %s (lines inserted)" % name, b, args)
        if la is None or lb is None:
            continue
        fa, fb = fingerprints(la), fingerprints(lb)
        same = len(fa) == len(fb) and all(
            x[:3] == y[:3] and y[3] == x[3] + 2 for x, y in zip(fa, fb))
        diff = [(x, y) for x, y in zip(fa, fb) if x[:3] != y[:3]][:2]
        ck.check(same, "fixtures/%s: %d fingerprints unchanged when 2 lines are inserted above"
                 % (name, len(fa)),
                 "lengths %d/%d, first differences %r" % (len(fa), len(fb), diff))


# ---- the hostile tree --------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8"))


def try_write(folder, name, text):
    """Writes folder/name unless the file system refuses the name."""
    try:
        write(os.path.join(folder, name), text)
        return True
    except (OSError, UnicodeEncodeError):
        return False


def make_hostile_tree(tree):
    stale = "from cfg import f\n"
    write(os.path.join(tree, "cfg.py"), "def f():\n    pass\n")
    write(os.path.join(tree, "main.py"),
          "import importlib\nimport sys\nimport cfg\n\nimportlib.reload(cfg)\n"
          "importlib.reload(sys.modules[\"p%c\"])\n")
    write(os.path.join(tree, "p%c.py"), "X = object()\n")
    write(os.path.join(tree, "sp ace.py"), stale)
    write(os.path.join(tree, "caf\u00e9.py"), "x = \"\u00e9\u00e9\u00e9\"; from cfg import f\n")
    write(os.path.join(tree, "a,b:c.py"), stale)
    write(os.path.join(tree, "sub dir#1", "q?x.py"), stale)
    write(os.path.join(tree, "hash#pct%41.py"), stale)
    write(os.path.join(tree, "suppressed.py"), "from cfg import f  # noqa: RL301\n")
    write(os.path.join(tree, "bad.py"), "import cfg\n\ndef (:\n")
    write(os.path.join(tree, "nl.py"), "import sys\ndel sys.modules[\"\"\"x\ny,z:%\"\"\"]\n")
    extras = []
    if try_write(tree, "new\nline.py", stale):
        extras.append("newline")
    if try_write(tree, "cr\rname.py", stale):
        extras.append("CR")
    os.symlink("nowhere.py", os.path.join(tree, "dangling.py"))
    if os.geteuid() != 0:
        write(os.path.join(tree, "locked.py"), stale)
        os.chmod(os.path.join(tree, "locked.py"), 0)
        extras.append("chmod 000")
    return extras


def uri_of(result):
    return result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def check_hostile(ck, binary, validator, rules, tmp):
    tree = os.path.join(tmp, "h tree#%")
    extras = make_hostile_tree(tree)
    root_note = " (root: chmod 000 skipped, a dangling symlink is unreadable)"
    print("hostile tree: %s%s" % (", ".join(extras) or "no optional names",
                                  "" if "chmod 000" in extras else root_note))
    log, rep, rc = sarif_and_json(ck, binary, validator, rules, "hostile tree", tree, ["."])
    if log is None:
        return
    ck.check(rc == 2 and log["runs"][0]["invocations"][0]["executionSuccessful"] is False,
             "hostile tree: unreadable file -> exit 2, executionSuccessful false", "exit %s" % rc)
    results = log["runs"][0]["results"]
    sup = [r for r in results if r.get("suppressions")]
    ck.check(len(sup) == 1 and sup[0]["ruleId"] == "RL301" and
             uri_of(sup[0]) == "suppressed.py" and
             sup[0]["suppressions"] == [{"kind": "inSource"}],
             "hostile tree: the noqa finding is a SARIF result with an inSource suppression",
             repr(sup))
    ck.check(all(f["path"] != "suppressed.py" for f in rep["findings"]),
             "hostile tree: the noqa finding is not in JSON")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    want = {"sp%20ace.py", "caf%C3%A9.py", "a%2Cb%3Ac.py", "sub%20dir%231/q%3Fx.py",
            "hash%23pct%2541.py"}
    if "newline" in extras:
        want.add("new%0Aline.py")
    if "CR" in extras:
        want.add("cr%0Dname.py")
    ck.check(want <= uris, "hostile tree: URIs percent-encoded", "missing %r" % (want - uris))
    cafe = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "caf%C3%A9.py"]
    ck.check(cafe and cafe[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 28,
             "hostile tree: columns count code points (28, not the byte offset)")
    notes = log["runs"][0]["invocations"][0].get("toolExecutionNotifications", [])
    levels = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n["level"]
              for n in notes}
    want_levels = {"bad.py": "warning", "dangling.py": "error"}
    if "chmod 000" in extras:
        want_levels["locked.py"] = "error"
    ck.check(levels == want_levels,
             "hostile tree: notifications for unparsable and unreadable files",
             "got %r, want %r" % (levels, want_levels))
    multi = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
             == "nl.py"]
    ck.check(multi and multi[0]["locations"][0]["physicalLocation"]["region"]["endLine"] == 3,
             "hostile tree: a span over two lines keeps its endLine")

    outs = [run(binary, tree, ["--format", "sarif", "-j%d" % j, "."])[1] for j in (1, 4)]
    ck.check(outs[0] == outs[1], "hostile tree: SARIF byte-identical with -j1 and -j4")

    # The same tree reached from its parent, from elsewhere by an absolute path, and via "..".
    parent, base = os.path.dirname(tree), os.path.basename(tree)
    log2, _, _ = sarif_and_json(ck, binary, validator, rules, "hostile tree from its parent",
                                parent, [base])
    if log2:
        uris2 = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 for r in log2["runs"][0]["results"]}
        ck.check("h%20tree%23%25/sp%20ace.py" in uris2,
                 "hostile tree from its parent: folder name encoded in relative URIs")
    elsewhere = os.path.join(tmp, "elsewhere")
    os.makedirs(elsewhere)
    log3, _, _ = sarif_and_json(ck, binary, validator, rules, "hostile tree by absolute path",
                                elsewhere, [tree])
    if log3:
        locs = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                for r in log3["runs"][0]["results"]]
        ck.check(locs and all(l["uri"].startswith("file:///") and "uriBaseId" not in l
                              for l in locs),
                 "hostile tree outside the working directory: absolute file URIs")
    sarif_and_json(ck, binary, validator, rules, "hostile tree via ..", elsewhere,
                   [os.path.join("..", base)])

    check_github_hostile(ck, binary, tree, rep, rc)


# ---- GitHub annotations ------------------------------------------------------------------

def gh_data(s):
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_prop(s):
    return gh_data(s).replace(":", "%3A").replace(",", "%2C")


def gh_unescape(s):
    table = {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: table[m.group(1)], s)


def github_lines_from_json(rep):
    lines = []
    for e in rep["errors"]:
        line = ",line=%d" % e["line"] if "line" in e else ""
        lines.append("::error file=%s%s::%s" % (gh_prop(e["path"]), line, gh_data(e["message"])))
    for f in rep["findings"]:
        lines.append("::%s file=%s,line=%d,endLine=%d,col=%d,endColumn=%d,"
                     "title=reloadlint (%s)::%s"
                     % (GITHUB_COMMANDS[f["severity"]], gh_prop(f["path"]), f["line"],
                        f["end_line"], f["column"], f["end_column"], f["rule"],
                        gh_data(f["message"])))
    return lines


def parse_annotation(line):
    """(command, {property: value}, message) of one workflow command, unescaped."""
    m = re.match(r"^::(error|warning|notice) ([^:]*)::(.*)$", line)
    if not m:
        return None
    props = {}
    for item in m.group(2).split(","):
        k, _, v = item.partition("=")
        props[k] = gh_unescape(v)
    return m.group(1), props, gh_unescape(m.group(3))


def check_github_hostile(ck, binary, tree, rep, json_rc):
    rc, out, err = run(binary, tree, ["--format", "github", "."])
    lines = out.decode("utf-8").split("\n")
    ck.check(lines[-1] == "" and rc == json_rc,
             "github hostile tree: exit %s like JSON, final newline" % rc)
    lines = lines[:-1]
    want = github_lines_from_json(rep)
    ck.check(lines == want, "github hostile tree: one line per error and unsuppressed finding",
             "\n".join("  got  %r\n  want %r" % (a, b) for a, b in zip(lines, want) if a != b)
             or "%d lines, want %d" % (len(lines), len(want)))
    parsed = [parse_annotation(l) for l in lines]
    ok = all(parsed)
    for pa, f in zip(parsed[len(rep["errors"]):], rep["findings"]):
        ok = ok and pa[1]["file"] == f["path"] and pa[2] == f["message"] and \
            int(pa[1]["line"]) == f["line"] and int(pa[1]["endColumn"]) == f["end_column"]
    ck.check(ok, "github hostile tree: annotations parse back to the JSON findings")
    ck.check(not any("suppressed.py" in l for l in lines), "github hostile tree: no noqa finding")
    nl = [l for l in lines if l.startswith("::warning file=nl.py,")]
    ck.check(len(nl) == 1 and nl[0].startswith(
        "::warning file=nl.py,line=2,endLine=3,col=1,endColumn=10,title=reloadlint (RL101)::")
        and "`x%0Ay,z:%25`" in nl[0],
        "github: message escaping of LF and % (`,` and `:` kept in data)", repr(nl))
    ck.check("::warning file=a%2Cb%3Ac.py,line=1,endLine=1,col=17,endColumn=18,"
             "title=reloadlint (RL301)::" in out.decode("utf-8"),
             "github: `,` and `:` escaped in the file property")


def check_github_small(ck, binary, tmp):
    """Exact lines for a small tree."""
    tree = os.path.join(tmp, "gh")
    write(os.path.join(tree, "cfg.py"), "def f():\n    pass\n")
    write(os.path.join(tree, "main.py"),
          "import importlib\nimport sys\nimport cfg\n\nimportlib.reload(cfg)\n"
          "importlib.reload(sys)\n")
    write(os.path.join(tree, "use 100%.py"), "from cfg import f\n")
    write(os.path.join(tree, "bad.py"), "def (:\n")
    write(os.path.join(tree, "quiet.py"), "from cfg import f  # noqa\n")
    rc, out, err = run(binary, tree, ["--format", "github", "."])
    lines = out.decode("utf-8").splitlines()
    jrc, jout, _ = run(binary, tree, ["--format", "json", "."])
    msgs = {(f["path"], f["line"], f["rule"]): gh_data(f["message"])
            for f in json.loads(jout.decode("utf-8"))["findings"]}

    def finding(cmd, path, line, span, code):
        return "::%s file=%s,line=%d,endLine=%d,col=%d,endColumn=%d,title=reloadlint (%s)::%s" % (
            cmd, gh_prop(path), line, line, span[0], span[1], code,
            msgs.get((path, line, code), "<no such JSON finding>"))

    want = [
        "::error file=bad.py,line=1::syntax error at line 1",
        finding("warning", "main.py", 5, (1, 22), "RL201"),
        finding("warning", "main.py", 6, (1, 22), "RL201"),
        finding("error", "main.py", 6, (1, 22), "RL205"),
        finding("warning", "use 100%.py", 1, (17, 18), "RL301"),
    ]
    ck.check(lines == want and rc == 1 == jrc, "github small tree: exact lines",
             "exit %s\n%s" % (rc, "\n".join("  got  %r\n  want %r" % (a, b)
                                              for a, b in zip(lines + [""] * 9, want + [""] * 9)
                                              if a != b)))
    ck.check("file=use 100%25.py," in out.decode("utf-8"), "github small tree: `%` in a path")


# ---- main --------------------------------------------------------------------------------

def load_validator(ck):
    if not ck.check(os.path.exists(SCHEMA), "SARIF schema present",
                    "%s is missing: it is the shared spec file ../shared/schemas/"
                    "sarif-schema-2.1.0.json next to the repository (or set "
                    "RELOADLINT_SARIF_SCHEMA)" % SCHEMA):
        return None
    try:
        import jsonschema
    except ImportError:
        ck.check(False, "python3-jsonschema importable",
                 "install Debian's python3-jsonschema (`make setup` does)")
        return None
    with open(SCHEMA, encoding="utf-8") as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    ck.check(True, "schema loaded (%s)" % cls.__name__)
    return cls(schema)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.environ.get("RELOADLINT_BIN"))
    args = ap.parse_args()
    if not args.binary or not os.path.exists(args.binary):
        print("usage: check_sarif.py --binary BUILD/reloadlint (or set RELOADLINT_BIN)",
              file=sys.stderr)
        return 2
    binary = os.path.abspath(args.binary)
    ck = Checks()
    validator = load_validator(ck)
    rules = registry(binary)
    ck.check(len(rules) > 0, "registry listed (%d rules)" % len(rules))
    tmp = tempfile.mkdtemp(prefix="rl-sarif-")
    try:
        if validator is not None:
            check_fixtures(ck, binary, validator, rules)
            check_fingerprint_stability(ck, binary, validator, rules, tmp)
            check_hostile(ck, binary, validator, rules, tmp)
        check_github_small(ck, binary, tmp)
    finally:
        for dirpath, dirnames, files in os.walk(tmp):
            for f in files:
                p = os.path.join(dirpath, f)
                if not os.path.islink(p):
                    os.chmod(p, 0o644)
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
