#!/usr/bin/env python3
"""Ground truth for the stale-binding rules on real packages (impact analysis).

    python3 tests/stale_truth.py --binary build/reloadlint [--python PY] [--source-dir DIR]
                                 [-j N] [-v] PKG [PKG ...]
    e.g.  python3 tests/stale_truth.py --binary build/reloadlint json email logging concurrent.futures

For each package PKG (found by the --python interpreter, default this one; or
under --source-dir, e.g. /usr/lib/python3.11):

1. its top-level package folder is copied to a temporary directory, so the
   paths are stable and the copy is what gets imported and analyzed;
2. for every module B of PKG, a fresh interpreter (-I -S, the copy first on
   sys.path) imports every module of PKG, snapshots every module-level
   binding, every class attribute of the classes each module defines and every
   default argument of their functions, runs ``importlib.reload(B)`` and
   records the ground truth: (A, n, B) for each binding n of a module A != B
   that still holds an object which B held under some name before the reload
   and no longer holds after it (B re-created it; A kept the old one). Module
   objects are never stale and are skipped;
3. ``reloadlint --assume-reloaded B --select RL301,RL302,RL303 --format json``
   runs on the copy of PKG, and its findings are matched with the truth: a
   finding matches a truth item of the same module (`module`) when `symbol`
   is the bound name (or its last dotted part) or the finding's line is a line
   that binds it; an RL303 finding matches the names its star import bound.

Beyond identity with B's own globals, an alias ``n = B.x.y`` (a chain of
two attributes or more) is evaluated again after the reload: a different
object (an enum member of a re-created class, an object made on access)
means n kept an old one. Findings in modules that were not imported
(``__main__.py``, platform-only modules) are counted apart, unmeasured.

Value copies: small ints, True/False/None and identifier-like strings are
shared by CPython, so a reload re-creates them without a new identity and the
truth cannot see them; findings on such values are counted apart as
"value copies (identity-blind)", neither right nor wrong. Other constants
(floats, long strings, tuples) do get new identities and are measured.

Prints, per package and overall, precision (findings that match the truth) and
recall (truth items some finding matches), then the first 20 disagreements
(-v: all). A report: exits 0 whatever the numbers, 1 when an interpreter or
the analyzer crashed (an import or reload failing inside the package is
reported, not a crash), 2 on bad usage. No timing is measured.
"""
import argparse
import concurrent.futures
import json
import marshal
import os
import shutil
import subprocess
import sys
import tempfile

SELECT = "RL301,RL302,RL303"
TIMEOUT = 300

# ---- the child: runs in a fresh interpreter for one (package, B) --------------

CHILD = r'''
import ast, importlib, marshal, os, sys, types

# no json/re here: the package under test may be one of them (it is imported from the copy)
tmp, pkg, target, modules, out_path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(","), sys.argv[5]
sys.path.insert(0, tmp)
top = pkg.split(".")[0]
preloaded = sorted(k for k in sys.modules if k == top or k.startswith(top + "."))
for k in preloaded:
    del sys.modules[k]
MACHINERY = {"__builtins__", "__loader__", "__spec__", "__name__", "__file__", "__cached__", "__package__",
             "__path__", "__doc__", "__annotations__"}

def blind(v):
    """Values a recompile shares: identity cannot show a value copy of them."""
    if v is None or v is True or v is False or v is Ellipsis or v is NotImplemented:
        return True
    if type(v) is int:
        return -5 <= v <= 256
    if type(v) is str:
        return len(v) <= 1 or (v.isascii() and all(c.isalnum() or c == "_" for c in v))
    if type(v) is bytes:
        return len(v) <= 1
    return type(v) is tuple and not v

def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")

def names_of(t, out):
    if isinstance(t, ast.Name):
        out.append(t.id)
    elif isinstance(t, (ast.Tuple, ast.List)):
        for e in t.elts:
            names_of(e, out)
    elif isinstance(t, ast.Starred):
        names_of(t.value, out)

def resolve(node, modname, is_pkg):
    if node.level == 0:
        return node.module
    base = modname if is_pkg else modname.rpartition(".")[0]
    parts = base.split(".")
    if node.level > 1:
        parts = parts[:len(parts) - (node.level - 1)]
    b = ".".join(parts)
    return (b + "." + node.module if node.module else b) if b else node.module

def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return list(reversed(parts))
    return None

froms = {}   # module-level `from X import a as n` of the module static() read last: n -> (X, a)

def static(mod):
    """lines[(scope, name)] -> binding lines; stars [(line, module)]; defaults[(def line, param)] -> line;
    aliases [(scope, name, dotted parts, line)] for `name = a.b.c`."""
    f = getattr(mod, "__file__", None)
    lines, stars, defaults, aliases = {}, [], {}, []
    froms.clear()
    if not f or not f.endswith(".py"):
        return lines, stars, defaults, aliases
    with open(f, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    is_pkg = os.path.basename(f) == "__init__.py"
    def block(stmts, scope):
        for st in stmts:
            add = lambda n: lines.setdefault((scope, n), []).append(st.lineno)
            if isinstance(st, ast.ImportFrom):
                for a in st.names:
                    if a.name == "*":
                        if not scope:
                            stars.append((st.lineno, resolve(st, mod.__name__, is_pkg)))
                    else:
                        add(a.asname or a.name)
                        if not scope:
                            froms[a.asname or a.name] = (resolve(st, mod.__name__, is_pkg), a.name)
            elif isinstance(st, ast.Import):
                for a in st.names:
                    add(a.asname or a.name.split(".")[0])
            elif isinstance(st, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                out = []
                for t in (st.targets if isinstance(st, ast.Assign) else [st.target]):
                    names_of(t, out)
                for n in out:
                    add(n)
                chain = dotted(st.value) if isinstance(st, ast.Assign) and len(out) == 1 and \
                    isinstance(st.targets[0], ast.Name) and isinstance(st.value, ast.Attribute) else None
                if chain:
                    aliases.append((scope, out[0], chain, st.lineno))
            elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                add(st.name)
                if isinstance(st, ast.ClassDef):
                    block(st.body, scope + (st.name,))
            elif isinstance(st, ast.If):
                if not is_type_checking(st.test):
                    block(st.body, scope)
                block(st.orelse, scope)
            elif isinstance(st, (ast.For, ast.AsyncFor, ast.While)):
                if not isinstance(st, ast.While):
                    out = []
                    names_of(st.target, out)
                    for n in out:
                        add(n)
                block(st.body, scope)
                block(st.orelse, scope)
            elif isinstance(st, (ast.With, ast.AsyncWith)):
                block(st.body, scope)
            elif isinstance(st, ast.Try) or type(st).__name__ == "TryStar":
                block(st.body, scope)
                for h in st.handlers:
                    block(h.body, scope)
                block(st.orelse, scope)
                block(st.finalbody, scope)
    block(tree.body, ())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            a = node.args
            pos = list(a.posonlyargs) + list(a.args)
            for arg, d in zip(pos[len(pos) - len(a.defaults):], a.defaults):
                defaults[(first, arg.arg)] = d.lineno
                defaults[(node.lineno, arg.arg)] = d.lineno
            for arg, d in zip(a.kwonlyargs, a.kw_defaults):
                if d is not None:
                    defaults[(first, arg.arg)] = d.lineno
                    defaults[(node.lineno, arg.arg)] = d.lineno
    return lines, stars, defaults, aliases

def functions_of(name, mod):
    """(qualified name, function) of the module's functions and its classes' methods."""
    out = []
    for k, v in list(vars(mod).items()):
        if isinstance(v, types.FunctionType) and v.__module__ == name:
            out.append((k, v))
        elif isinstance(v, type) and v.__module__ == name:
            for ck, cv in list(vars(v).items()):
                if isinstance(cv, (staticmethod, classmethod)):
                    cv = cv.__func__
                if isinstance(cv, types.FunctionType):
                    out.append(("%s.%s" % (k, ck), cv))
    return out

def emit(result):
    with open(out_path, "wb") as fh:
        fh.write(marshal.dumps(result))

result = {"target": target, "preloaded": preloaded, "import_errors": {}, "reload_error": None,
          "truth": [], "blind": [], "stars": [], "measured": []}
loaded = {}
for name in modules:
    try:
        m = importlib.import_module(name)
    except BaseException as exc:
        result["import_errors"][name] = "%s: %s" % (type(exc).__name__, str(exc)[:200])
        continue
    f = os.path.realpath(getattr(m, "__file__", "") or "")
    if not f.startswith(os.path.realpath(tmp) + os.sep):
        result["import_errors"][name] = "not loaded from the copy: %s" % f
        continue
    loaded[name] = m
result["measured"] = sorted(loaded)
if target not in loaded:
    result["reload_error"] = "not importable: %s" % result["import_errors"].get(target, "?")
    emit(result)
    sys.exit(0)

before, cls_before, defs_before = {}, {}, {}
for name, m in loaded.items():
    before[name] = dict(vars(m))
    for k, v in before[name].items():
        if isinstance(v, type) and v.__module__ == name:
            cls_before[(name, k)] = (v, dict(vars(v)))
    defs_before[name] = [(q, f, f.__defaults__, dict(f.__kwdefaults__ or {})) for q, f in functions_of(name, m)]

B = loaded[target]
old_b = before[target]
try:
    importlib.reload(B)
except BaseException as exc:
    result["reload_error"] = "%s: %s" % (type(exc).__name__, str(exc)[:200])
    emit(result)
    sys.exit(0)
new_b = vars(B)
replaced = {}          # id(old object) -> name in B
for k, v in old_b.items():
    if k in MACHINERY or isinstance(v, types.ModuleType):
        continue
    if new_b.get(k, None) is not v:
        replaced[id(v)] = k

def stale(v, now):
    return not isinstance(v, types.ModuleType) and now is v and id(v) in replaced

for name, m in loaded.items():
    lines, stars, defaults, aliases = static(m)
    for line, src in stars:
        sm = sys.modules.get(src or "")
        bound = getattr(sm, "__all__", None) if sm is not None else None
        if bound is None and sm is not None:
            bound = [k for k in vars(sm) if not k.startswith("_")]
        result["stars"].append([name, line, src, sorted(set(bound or []))])
    now = vars(m)
    for k, v in before[name].items():
        if k in MACHINERY:
            continue
        if name != target and stale(v, now.get(k, None)):
            result["truth"].append({"module": name, "name": k, "kind": "global", "via": replaced[id(v)],
                                    "lines": lines.get(((), k), [])})
        if not isinstance(v, types.ModuleType) and blind(v):
            result["blind"].append([name, k, lines.get(((), k), [])])
    if name == target:
        continue
    seen = {(t["module"], t["name"]) for t in result["truth"]}
    classes = {c.__name__: (c, d) for (mn, _k), (c, d) in cls_before.items() if mn == name}
    for scope, n, chain, line in aliases:
        # `n = x.y.z` reaching into B (through the module B or an object B held): evaluate the rest of
        # the chain on the old and on the new object; n is stale when it holds the old result and the
        # new one differs (enum members, class attributes, objects made on access like mock.sentinel.X)
        if scope:
            if len(scope) > 1 or scope[0] not in classes:
                continue
            c, cdict = classes[scope[0]]
            key = "_%s%s" % (scope[0].lstrip("_"), n) if n.startswith("__") and not n.endswith("__") else n
            held, cur, qual = cdict.get(key), vars(c).get(key), "%s.%s" % (scope[0], n)
        else:
            held, cur, qual = before[name].get(n), now.get(n), n
        if held is None or cur is not held or isinstance(held, types.ModuleType) or (name, qual) in seen:
            continue
        if chain[0] in before[name]:
            obj = before[name][chain[0]]
        elif chain[0] in froms and froms[chain[0]][0] == target:
            obj = old_b.get(froms[chain[0]][1])      # bound once, deleted since (`del NodeFilter`)
        else:
            continue
        old_start = new_start = None
        for i in range(len(chain)):
            if obj is B:
                old_start, new_start, rest = old_b, B, chain[i + 1:]
                break
            k = next((k for k, v in old_b.items() if v is obj and not isinstance(v, types.ModuleType)), None)
            if k is not None:
                old_start, new_start, rest = obj, getattr(B, k, None), chain[i + 1:]
                break
            if not isinstance(obj, types.ModuleType) or i + 1 >= len(chain):
                break
            obj = getattr(obj, chain[i + 1], None)
        if old_start is None or not rest:
            continue
        try:
            old_val = old_start[rest[0]] if isinstance(old_start, dict) else getattr(old_start, rest[0])
            new_val = getattr(new_start, rest[0])
            for part in rest[1:]:
                old_val, new_val = getattr(old_val, part), getattr(new_val, part)
        except Exception:
            continue
        if old_val is held and new_val is not held:
            result["truth"].append({"module": name, "name": qual, "kind": "class" if scope else "global",
                                    "via": ".".join(chain[1:]), "lines": [line]})
    for (mname, cname), (c, cdict) in cls_before.items():
        if mname != name:
            continue
        for k, v in cdict.items():
            if k.startswith("__") and k.endswith("__"):
                continue
            if blind(v):
                result["blind"].append([name, "%s.%s" % (cname, k), lines.get(((c.__name__,), k), [])])
            if stale(v, vars(c).get(k, None)):
                result["truth"].append({"module": name, "name": "%s.%s" % (cname, k), "kind": "class",
                                        "via": replaced[id(v)], "lines": lines.get(((c.__name__,), k), [])})
    for q, f, dflt, kwd in defs_before[name]:
        code = f.__code__
        argnames = code.co_varnames[:code.co_argcount]
        for i, v in enumerate(dflt or ()):
            p = argnames[len(argnames) - len(dflt) + i]
            if blind(v) and defaults.get((code.co_firstlineno, p)):
                result["blind"].append([name, "%s(%s)" % (q, p), [defaults[(code.co_firstlineno, p)]]])
            if stale(v, (f.__defaults__ or ())[i] if i < len(f.__defaults__ or ()) else None):
                ln = defaults.get((code.co_firstlineno, p))
                result["truth"].append({"module": name, "name": "%s(%s)" % (q, p), "kind": "default",
                                        "via": replaced[id(v)], "lines": [ln] if ln else []})
        for p, v in kwd.items():
            if blind(v) and defaults.get((code.co_firstlineno, p)):
                result["blind"].append([name, "%s(%s)" % (q, p), [defaults[(code.co_firstlineno, p)]]])
            if stale(v, (f.__kwdefaults__ or {}).get(p)):
                ln = defaults.get((code.co_firstlineno, p))
                result["truth"].append({"module": name, "name": "%s(%s)" % (q, p), "kind": "default",
                                        "via": replaced[id(v)], "lines": [ln] if ln else []})
emit(result)
'''


# ---- the parent ------------------------------------------------------------------

def locate(python, source_dir, pkg):
    """(top-level package folder, module names of PKG relative to it) or raise."""
    top = pkg.split(".")[0]
    if source_dir:
        folder = os.path.join(source_dir, top)
    else:
        code = ("import importlib.util, sys; s = importlib.util.find_spec(sys.argv[1]); "
                "print(list(s.submodule_search_locations or [])[0] if s and s.submodule_search_locations else '')")
        p = subprocess.run([python, "-I", "-S", "-c", code, top], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        folder = p.stdout.decode().strip()
    if not folder or not os.path.isfile(os.path.join(folder, "__init__.py")):
        raise RuntimeError("%s: no package folder found for %s" % (pkg, top))
    return folder


def module_names(copy_top, top, pkg):
    sub = os.path.join(copy_top, *pkg.split(".")[1:])
    if not os.path.isfile(os.path.join(sub, "__init__.py")):
        raise RuntimeError("%s is not a package" % pkg)
    out = []
    base = os.path.dirname(copy_top)
    for dirpath, dirnames, files in os.walk(sub):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and
                             os.path.isfile(os.path.join(dirpath, d, "__init__.py")))
        for f in sorted(files):
            if not f.endswith(".py"):
                continue
            parts = os.path.relpath(os.path.join(dirpath, f), base)[:-3].split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if parts[-1] == "__main__" or not all(p.isidentifier() for p in parts):
                continue
            out.append(".".join(parts))
    return sorted(out), os.path.relpath(sub, base)


def child_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_truth(python, tmp, pkg, target, modules):
    out_path = os.path.join(tmp, ".truth-%s.marshal" % target)
    try:
        p = subprocess.run([python, "-I", "-S", "-B", "-c", CHILD, tmp, pkg, target, ",".join(modules), out_path],
                           cwd=tmp, env=child_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "truth for %s timed out" % target
    try:
        with open(out_path, "rb") as fh:
            return marshal.load(fh), None
    except (OSError, ValueError, EOFError, TypeError):
        return None, "truth for %s crashed (exit %d): %s" % (
            target, p.returncode, p.stderr.decode("utf-8", "replace").strip()[-500:])


def run_analyzer(binary, tmp, relpkg, target):
    args = [binary, "--assume-reloaded", target, "--select", SELECT, "--format", "json", relpkg]
    try:
        p = subprocess.run(args, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT, env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return None, "reloadlint timed out for --assume-reloaded %s" % target
    if p.returncode not in (0, 1):
        return None, "reloadlint exited %d for --assume-reloaded %s: %s" % (
            p.returncode, target, p.stderr.decode("utf-8", "replace").strip()[-500:])
    try:
        data = json.loads(p.stdout.decode("utf-8"))
    except ValueError as exc:
        return None, "reloadlint printed invalid JSON for --assume-reloaded %s: %s" % (target, exc)
    return data, None


def module_of_path(path):
    parts = path.replace(os.sep, "/")[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(p for p in parts if p not in ("", "."))


def compare(target, truth, data):
    """(tp, fp, blind, found, fn, unmeasured, disagreements) for one reloaded module."""
    items = truth["truth"]
    blind = {}
    for mod, name, lines in truth["blind"]:
        blind.setdefault(mod, []).append((name, set(lines)))
    stars = {(m, line): set(names) for m, line, _src, names in truth["stars"]}
    matched_items = set()
    tp = fp = nblind = unmeasured = 0
    measured = set(truth["measured"])
    dis = []
    for f in data["findings"]:
        mod = f.get("module") or module_of_path(f.get("path", ""))
        if mod not in measured:
            unmeasured += 1   # __main__ modules and modules that failed to import: no truth for them
            continue
        sym = f.get("symbol")
        line = f.get("line")
        hits = []
        for i, t in enumerate(items):
            if t["module"] != mod:
                continue
            if f.get("rule") == "RL303":
                if t["kind"] == "global" and t["name"] in stars.get((mod, line), ()) and not t["lines"]:
                    hits.append(i)
                continue
            last = t["name"].split("(")[-1].rstrip(")").split(".")[-1]
            if sym and (sym == t["name"] or sym == last) or line in t["lines"]:
                hits.append(i)
        if hits:
            tp += 1
            matched_items.update(hits)
            continue
        is_blind = any((sym and sym == n) or line in lines for n, lines in blind.get(mod, ()))
        if is_blind:
            nblind += 1
            continue
        fp += 1
        dis.append("extra   --assume-reloaded %s: %s:%s %s symbol=%s: %s" % (
            target, f.get("path"), line, f.get("rule"), sym, f.get("message", "")[:140]))
    found = len(matched_items)
    fn = len(items) - found
    for i, t in enumerate(items):
        if i not in matched_items:
            dis.append("missed  --assume-reloaded %s: %s.%s (%s, line %s) still holds the old %s.%s" % (
                target, t["module"], t["name"], t["kind"], ",".join(map(str, t["lines"])) or "?",
                target, t["via"]))
    return tp, fp, nblind, found, fn, unmeasured, dis


def ratio(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "n/a"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=os.environ.get("RELOADLINT_BIN") or "build/reloadlint")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the ground truth (default: this one)")
    ap.add_argument("--source-dir", help="take PKG from this folder (e.g. /usr/lib/python3.11) instead of "
                                         "where --python finds it; --python should be the matching interpreter")
    ap.add_argument("-j", "--jobs", type=int, default=max(2, os.cpu_count() or 2))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    ap.add_argument("packages", nargs="+", metavar="PKG")
    args = ap.parse_args(argv)
    binary = os.path.abspath(args.binary)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print("stale_truth: binary not found or not executable: %s" % args.binary, file=sys.stderr)
        return 2

    crashes = []
    totals = [0, 0, 0, 0, 0, 0]
    all_dis = []
    with tempfile.TemporaryDirectory(prefix="rl-stale-truth-") as tmp_root:
        for pkg in args.packages:
            try:
                src = locate(args.python, args.source_dir, pkg)
            except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
                print("%s: skipped: %s" % (pkg, exc))
                continue
            tmp = os.path.join(tmp_root, pkg)
            top = pkg.split(".")[0]
            copy_top = os.path.join(tmp, top)
            shutil.copytree(src, copy_top, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            try:
                modules, relpkg = module_names(copy_top, top, pkg)
            except RuntimeError as exc:
                print("%s: skipped: %s" % (pkg, exc))
                continue
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                jobs = [(b, pool.submit(run_truth, args.python, tmp, pkg, b, modules),
                         pool.submit(run_analyzer, binary, tmp, relpkg, b)) for b in modules]
                sums = [0, 0, 0, 0, 0, 0]
                dis, notes = [], []
                import_errors = {}
                for b, tf, af in jobs:
                    truth, terr = tf.result()
                    data, aerr = af.result()
                    for err in (terr, aerr):
                        if err:
                            crashes.append(err)
                    if truth is None or data is None:
                        continue
                    import_errors.update(truth["import_errors"])
                    if truth["preloaded"]:
                        notes.append("%s was already imported at start-up; the copy replaced it" %
                                     ", ".join(truth["preloaded"]))
                    if truth["reload_error"]:
                        notes.append("reload(%s) failed: %s (skipped)" % (b, truth["reload_error"]))
                        continue
                    result = compare(b, truth, data)
                    for i, v in enumerate(result[:6]):
                        sums[i] += v
                    dis += result[6]
            tp, fp, nblind, found, fn, unmeasured = sums
            print("%s: %d modules; precision %s (%d of %d findings match), recall %s (%d of %d stale bindings "
                  "found); %d value copies (identity-blind)%s" % (
                      pkg, len(modules), ratio(tp, tp + fp), tp, tp + fp, ratio(found, found + fn), found,
                      found + fn, nblind,
                      "; %d findings in modules not imported (not measured)" % unmeasured if unmeasured else ""))
            for name, err in sorted(import_errors.items()):
                print("    import %s failed: %s (left out)" % (name, err))
            for n in sorted(set(notes)):
                print("    note: " + n)
            for i, v in enumerate(sums):
                totals[i] += v
            all_dis += ["%s: %s" % (pkg, d) for d in dis]
    tp, fp, nblind, found, fn, _unmeasured = totals
    print("overall: precision %s (%d of %d findings), recall %s (%d of %d stale bindings); "
          "%d value copies (identity-blind)" % (ratio(tp, tp + fp), tp, tp + fp, ratio(found, found + fn),
                                                 found, found + fn, nblind))
    if all_dis:
        shown = all_dis if args.verbose else all_dis[:20]
        print("disagreements (%d%s):" % (len(all_dis), "" if args.verbose or len(all_dis) <= 20 else
                                          ", first 20; -v lists all"))
        for d in shown:
            print("    " + d)
    for c in crashes:
        print("CRASH " + c)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
