"""Identity ground truth for the cross-module rules (RL204, RL301-RL304).

boot.py loads this file after a scenario finished (and after the reloads that
--assume-reloaded asked for) and calls analyze(). It reads the source of every
module that was loaded from the fixture folder (plus the scenario, which ran as
``__main__``) with ``ast`` to know HOW each name was bound, and then asks the
live objects whether the binding still holds what its origin holds now:

RL301  every ``from M import name [as alias]`` at module or class level (not in
       a function, not under ``if TYPE_CHECKING:``) that executed and still
       owns its name: the bound object vs the current origin object.
RL302  every ``name = M.attr`` at module or class level where ``M`` evaluates
       to a module object, and every default argument ``def f(x=M.attr)`` of
       every live function object (found with ``gc``; nested functions too,
       each object on its own): the copy vs the current origin object.
RL303  every ``from M import *``: each name it bound that the module still
       owns vs the current origin of that name; stale when any one is.
RL304  every class expression in ``isinstance(x, C)``, ``issubclass(x, C)``
       (tuples too), ``except C:`` / ``except (C, D):``, ``type(x) is C`` /
       ``type(x) == C``, evaluated now in its module's globals: stale when a
       reload during the run created another version of that class (same
       ``__module__`` and ``__qualname__``). The proof is an instance: an object
       of the other version fails ``isinstance`` against the class the check
       uses (objects created before the reload vs ``M.C``; new objects vs a
       stale ``from M import C``).
RL204  every reload of a fixture package: the module-level
       ``from .sub import name`` / ``from pkg.sub import name`` /
       ``from . import sub`` statements of its ``__init__`` that ran during
       the reload re-bound names to objects of submodules that the reload did
       NOT re-execute: the package is new, those objects are the old ones.
       The site is where the package is named: the reload call, or for a
       helper that reloads its parameter (``def refresh(mod):
       importlib.reload(mod)``), the call ``refresh(pkg)``.

"The current origin object" follows re-exports: ``current(M, n)`` looks at how
M bound ``n`` (the statement that executed last, so conditional definitions
resolve to the branch that ran): a from-import, ``n = X.attr`` or a star import
continue at X; anything else (def, class, a call, a container, a literal)
means M created the object, and the answer is ``getattr(M, n)``. A binding is
stale when ``held is not current``. Module objects are never stale and are
skipped.

Value copies. ``DEBUG = True``, ``TIMEOUT = 30``, ``NAME = "x"`` are
re-created by a reload, but CPython shares small ints, ``True``/``None`` and
interned strings, so ``is`` cannot see the difference (large ints, floats and
other constants, on the other hand, become new objects on every reload). The
hazard is real all the same: the reload exists to pick up an edited source,
and an edited literal gives a new value that the copy never sees. So when the
origin statement is an immutable literal (a constant, a signed constant or a
tuple of them) the copy counts as stale when the origin module was re-executed
by a reload that started after the copy was made (line sequence numbers from
boot.py), and the record says "value copy".

Each record: {"rule", "site": [relpath, line], "stale": bool, "how":
"identity"|"value copy"|"class versions"|"old submodule code"|None, "detail"}.
"""
import ast
import gc
import os
import sys
import types

MISSING = object()
MAX_DEPTH = 32


# ---- static side: how each name is bound ---------------------------------------

def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def dotted(node):
    """'a.b.c' for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def is_literal(node):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.Tuple):
        return all(is_literal(e) for e in node.elts)
    return False


class Binding:
    __slots__ = ("kind", "name", "lo", "hi", "scope", "module", "attr", "base", "literal")

    def __init__(self, kind, name, lo, hi, scope, module=None, attr=None, base=None, literal=False):
        self.kind = kind          # from | star | alias | import | other
        self.name = name          # bound name (None for star)
        self.lo, self.hi = lo, hi  # lines whose execution makes the binding
        self.scope = scope        # () module, ("C",) class C, ...
        self.module = module      # from/star: resolved source module
        self.attr = attr          # from: imported name; alias: attribute
        self.base = base          # alias: dotted base expression
        self.literal = literal    # other: an immutable literal


def resolve_from(node, modname, is_package):
    if node.level == 0:
        return node.module
    package = modname if is_package else modname.rpartition(".")[0]
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return None
    if node.level > 1:
        parts = parts[:len(parts) - (node.level - 1)]
    base = ".".join(parts)
    if node.module:
        return base + "." + node.module if base else node.module
    return base or None


def header_lines(node):
    lo = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return lo, node.lineno


class FileInfo:
    def __init__(self, path, relpath, modname, is_package):
        self.path = path
        self.rel = relpath
        self.modname = modname
        self.is_package = is_package
        with open(path, encoding="utf-8") as fh:
            self.tree = ast.parse(fh.read(), path)
        self.bindings = {}    # scope -> {name: [Binding]}
        self.stars = {}       # scope -> [Binding]
        self.all = []         # every Binding, in source order
        self._block(self.tree.body, ())

    def _add(self, b):
        self.all.append(b)
        if b.kind == "star":
            self.stars.setdefault(b.scope, []).append(b)
        else:
            self.bindings.setdefault(b.scope, {}).setdefault(b.name, []).append(b)

    def _targets(self, t, out):
        if isinstance(t, ast.Name):
            out.append(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self._targets(e, out)
        elif isinstance(t, ast.Starred):
            self._targets(t.value, out)

    def _block(self, stmts, scope):
        for st in stmts:
            lo, hi = st.lineno, getattr(st, "end_lineno", st.lineno)
            if isinstance(st, ast.ImportFrom):
                mod = resolve_from(st, self.modname, self.is_package)
                for a in st.names:
                    if a.name == "*":
                        self._add(Binding("star", None, lo, hi, scope, module=mod))
                    else:
                        self._add(Binding("from", a.asname or a.name, lo, hi, scope, module=mod, attr=a.name))
            elif isinstance(st, ast.Import):
                for a in st.names:
                    self._add(Binding("import", a.asname or a.name.split(".")[0], lo, hi, scope))
            elif isinstance(st, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = st.targets if isinstance(st, ast.Assign) else [st.target]
                names = []
                for t in targets:
                    self._targets(t, names)
                value = st.value
                simple = isinstance(st, (ast.Assign, ast.AnnAssign)) and value is not None and \
                    all(isinstance(t, ast.Name) for t in targets)
                for n in names:
                    if simple and isinstance(value, ast.Attribute) and dotted(value):
                        self._add(Binding("alias", n, lo, hi, scope, base=dotted(value.value), attr=value.attr))
                    else:
                        self._add(Binding("other", n, lo, hi, scope,
                                          literal=simple and value is not None and is_literal(value)))
            elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a, b = header_lines(st)
                self._add(Binding("other", st.name, a, b, scope))
            elif isinstance(st, ast.ClassDef):
                self._block(st.body, scope + (st.name,))
                a, b = header_lines(st)
                self._add(Binding("other", st.name, a, b, scope))
            elif isinstance(st, ast.If):
                if is_type_checking(st.test):
                    self._block(st.orelse, scope)
                else:
                    self._block(st.body, scope)
                    self._block(st.orelse, scope)
            elif isinstance(st, (ast.For, ast.AsyncFor)):
                names = []
                self._targets(st.target, names)
                for n in names:
                    self._add(Binding("other", n, st.lineno, st.lineno, scope))
                self._block(st.body, scope)
                self._block(st.orelse, scope)
            elif isinstance(st, ast.While):
                self._block(st.body, scope)
                self._block(st.orelse, scope)
            elif isinstance(st, (ast.With, ast.AsyncWith)):
                self._block(st.body, scope)
            elif isinstance(st, ast.Try) or type(st).__name__ == "TryStar":
                self._block(st.body, scope)
                for h in st.handlers:
                    self._block(h.body, scope)
                self._block(st.orelse, scope)
                self._block(st.finalbody, scope)
            elif type(st).__name__ == "Match":
                for case in st.cases:
                    self._block(case.body, scope)


# ---- dynamic side ---------------------------------------------------------------

def modname_of(m):
    spec = getattr(m, "__spec__", None)
    return getattr(spec, "name", None) or getattr(m, "__name__", None)


def eval_dotted(expr, *namespaces):
    if not expr:
        return MISSING
    parts = expr.split(".")
    obj = MISSING
    for ns in namespaces:
        if ns is not None and parts[0] in ns:
            obj = ns[parts[0]]
            break
    else:
        import builtins
        obj = getattr(builtins, parts[0], MISSING)
    for p in parts[1:]:
        if obj is MISSING:
            return MISSING
        try:
            obj = getattr(obj, p)
        except Exception:
            return MISSING
    return obj


class Analysis:
    def __init__(self, ns, state, fixture_dir, scenario, rel, in_fixture):
        self.ns_main = ns
        self.S = state
        self.rel = rel
        self.in_fixture = in_fixture
        self.infos = {}       # module name -> FileInfo
        self.namespaces = {}  # module name -> dict
        self.records = []
        self.infos["__main__"] = FileInfo(scenario, rel(scenario), "__main__", False)
        self.namespaces["__main__"] = ns
        for name, mod in sorted(sys.modules.items()):
            f = getattr(mod, "__file__", None)
            if not f or name == "__main__" or not in_fixture(f) or not f.endswith(".py"):
                continue
            try:
                self.infos[name] = FileInfo(os.path.realpath(f), rel(f), name,
                                            os.path.basename(f) == "__init__.py")
            except (OSError, SyntaxError):
                continue
            self.namespaces[name] = vars(mod)

    # -- when did a binding last run
    def seq(self, info, b_or_lines):
        lo, hi = b_or_lines if isinstance(b_or_lines, tuple) else (b_or_lines.lo, b_or_lines.hi)
        lines = self.S.line_seq.get(info.rel, {})
        return max([lines.get(ln, 0) for ln in range(lo, hi + 1)] or [0])

    def star_names(self, b):
        m = sys.modules.get(b.module or "")
        if m is None:
            return ()
        names = getattr(m, "__all__", None)
        if names is None:
            names = [k for k in vars(m) if not k.startswith("_")]
        return names

    def current_binding(self, info, scope, name):
        """The binding of `name` in `scope` of `info` that executed last."""
        cands = list(info.bindings.get(scope, {}).get(name, ()))
        for b in info.stars.get(scope, ()):
            if name in self.star_names(b):
                cands.append(b)
        best, best_seq = None, 0
        for b in cands:
            q = self.seq(info, b)
            if q > best_seq:
                best, best_seq = b, q
        return best

    def current(self, modname, name, depth=0):
        """(current origin object, origin module, origin Binding or None)."""
        mod = sys.modules.get(modname or "")
        if mod is None:
            return MISSING, modname, None
        val = getattr(mod, name, MISSING)
        info = self.infos.get(modname)
        if info is None or depth > MAX_DEPTH or isinstance(val, types.ModuleType):
            return val, modname, None
        b = self.current_binding(info, (), name)
        if b is None:
            return val, modname, None
        if b.kind == "from":
            return self.current(b.module, b.attr, depth + 1)
        if b.kind == "star":
            return self.current(b.module, name, depth + 1)
        if b.kind == "alias":
            base = eval_dotted(b.base, vars(mod))
            if isinstance(base, types.ModuleType):
                return self.current(modname_of(base), b.attr, depth + 1)
        return val, modname, b

    def judge(self, held, copy_seq, modname, name):
        """(stale or None when unknown, how, detail)."""
        if held is MISSING or isinstance(held, types.ModuleType):
            return None, None, "module object or unbound"
        cur, origin, ob = self.current(modname, name)
        if cur is MISSING:
            return None, None, "origin %s.%s not found" % (modname, name)
        if held is not cur:
            return True, "identity", "holds an old %s; %s.%s is a new object" % (
                type(held).__name__, origin, name if ob is None else ob.name)
        if ob is not None and ob.literal:
            for ev in self.S.reloads:
                if origin in ev.get("ran_into", ()) and ev.get("seq_start", 0) >= copy_seq:
                    site = ev.get("call_site") or ev.get("site")
                    return True, "value copy", "copied literal %r; %s re-executed by the reload %s" % (
                        held, origin, "at " + loc(site) if site else "of --assume-reloaded")
        return False, None, "same object as %s.%s" % (origin, name)

    def scope_dict(self, modname, scope):
        d = self.namespaces[modname]
        for cname in scope:
            c = d.get(cname, MISSING) if isinstance(d, dict) else MISSING
            if not isinstance(c, type):
                return None
            d = dict(vars(c))
        return d

    def add(self, rule, info, line, stale, how, detail):
        self.records.append({"rule": rule, "site": [info.rel, line], "stale": bool(stale), "how": how,
                             "detail": detail})

    # -- RL301 / RL302 / RL303
    def bindings(self):
        for modname, info in self.infos.items():
            for b in info.all:
                if b.kind not in ("from", "alias", "star"):
                    continue
                q = self.seq(info, b)
                if q == 0:
                    continue          # never ran (TYPE_CHECKING, untaken branch)
                d = self.scope_dict(modname, b.scope)
                if d is None:
                    continue
                where = ".".join(b.scope) + "." if b.scope else ""
                if b.kind == "from":
                    if self.current_binding(info, b.scope, b.name) is not b:
                        continue
                    held = d.get(b.name, MISSING)
                    sub = sys.modules.get("%s.%s" % (b.module, b.attr))
                    if isinstance(held, types.ModuleType) or (sub is not None and held is sub):
                        continue
                    stale, how, detail = self.judge(held, q, b.module, b.attr)
                    if stale is not None:
                        self.add("RL301", info, b.lo, stale, how, "%s%s: %s" % (where, b.name, detail))
                elif b.kind == "alias":
                    if self.current_binding(info, b.scope, b.name) is not b:
                        continue
                    base = eval_dotted(b.base, d, self.namespaces[modname])
                    if not isinstance(base, types.ModuleType):
                        continue
                    held = d.get(b.name, MISSING)
                    stale, how, detail = self.judge(held, q, modname_of(base), b.attr)
                    if stale is not None:
                        self.add("RL302", info, b.lo, stale, how, "%s%s = %s.%s: %s" % (
                            where, b.name, b.base, b.attr, detail))
                else:
                    stale_names, checked = [], 0
                    for n in self.star_names(b):
                        if self.current_binding(info, b.scope, n) is not b:
                            continue
                        held = d.get(n, MISSING)
                        stale, how, detail = self.judge(held, q, b.module, n)
                        if stale is None:
                            continue
                        checked += 1
                        if stale:
                            stale_names.append("%s (%s)" % (n, how))
                    if checked:
                        how = None
                        if stale_names:
                            how = "identity" if any("(identity)" in n for n in stale_names) else "value copy"
                        self.add("RL303", info, b.lo, bool(stale_names), how,
                                 "from %s import *: %s" % (b.module, "stale: " + ", ".join(stale_names[:6])
                                                           if stale_names else "%d names current" % checked))

    # -- RL302 default arguments
    def defaults(self):
        live = {}
        for o in gc.get_objects():
            if type(o) is types.FunctionType:
                fn = o.__code__.co_filename
                if self.in_fixture(fn):
                    live.setdefault((self.rel(fn), o.__code__.co_firstlineno), []).append(o)
        for modname, info in self.infos.items():
            for node in ast.walk(info.tree):
                if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                a = node.args
                positional = list(getattr(a, "posonlyargs", [])) + list(a.args)
                pos_defaults = list(zip(positional[len(positional) - len(a.defaults):], a.defaults))
                kw_defaults = [(arg, d) for arg, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
                wanted = [(i, arg, d, False) for i, (arg, d) in enumerate(pos_defaults)] + \
                         [(None, arg, d, True) for arg, d in kw_defaults]
                wanted = [w for w in wanted if isinstance(w[2], ast.Attribute) and dotted(w[2])]
                if not wanted:
                    continue
                lo, hi = header_lines(node)
                funcs = live.get((info.rel, lo), []) + (live.get((info.rel, node.lineno), []) if lo != node.lineno
                                                        else [])
                end = max([hi] + [d.end_lineno for _i, _a, d, _k in wanted])
                if node.body and node.body[0].lineno <= end:
                    end = hi          # a one-line def: its body lines run at call time
                q = self.seq(info, (lo, end))
                for i, arg, d, kw in wanted:
                    results = []
                    for f in funcs:
                        if kw:
                            held = (f.__kwdefaults__ or {}).get(arg.arg, MISSING)
                        else:
                            dd = f.__defaults__ or ()
                            held = dd[i] if i < len(dd) else MISSING
                        base = eval_dotted(dotted(d.value), f.__globals__)
                        if not isinstance(base, types.ModuleType):
                            continue
                        results.append(self.judge(held, q, modname_of(base), d.attr))
                    results = [r for r in results if r[0] is not None]
                    if not results:
                        continue
                    stale = [r for r in results if r[0]]
                    r = stale[0] if stale else results[0]
                    self.add("RL302", info, d.lineno, bool(stale), r[1], "%s(%s=%s): %s%s" % (
                        node.name, arg.arg, dotted(d), r[2],
                        " (%d of %d function objects)" % (len(stale), len(results)) if len(results) > 1 else ""))

    # -- RL304
    def class_checks(self):
        for modname, info in self.infos.items():
            ns = self.namespaces[modname]
            for expr, line, local_names in class_sites(info.tree):
                root = dotted(expr).split(".")[0]
                if root in local_names:
                    continue
                cls = eval_dotted(dotted(expr), ns)
                if not isinstance(cls, type):
                    continue
                key = (getattr(cls, "__module__", None), getattr(cls, "__qualname__", None))
                versions = self.S.class_versions.get(key, [])
                others = [v for v in versions if v is not cls]
                if not others:
                    self.add("RL304", info, line, False, None, "%s: one version of %s.%s" % (dotted(expr), *key))
                    continue
                other = others[0]
                try:
                    obj = other.__new__(other)
                    fails = not isinstance(obj, cls)
                    proof = "an instance of the other version of %s.%s %s isinstance(obj, %s)" % (
                        key[0], key[1], "fails" if fails else "passes", dotted(expr))
                except Exception:
                    fails = not issubclass(other, cls)
                    proof = "issubclass(other version, %s) is %s" % (dotted(expr), not fails)
                self.add("RL304", info, line, fails, "class versions" if fails else None,
                         "%s: %d versions; %s" % (dotted(expr), len(versions), proof))

    # -- RL204
    def packages(self):
        for ev in self.S.reloads:
            pkg = ev.get("_package")
            if not pkg or ev.get("outcome") != "ok" or not ev.get("executed_target"):
                continue
            name = ev["target"]
            info = self.infos.get(name)
            if info is None:
                continue
            ran = set(ev.get("lines_run", ()))
            ran_into = set(ev.get("ran_into", ()))
            items = []
            for b in info.bindings.get((), {}).values():
                for x in b:
                    if x.kind != "from" or not (x.module == name or (x.module or "").startswith(name + ".")):
                        continue
                    if not any(ln in ran for ln in range(x.lo, x.hi + 1)):
                        continue
                    held = pkg["ns"].get(x.name, MISSING)
                    if x.module == name:
                        sub = "%s.%s" % (name, x.attr)
                        if isinstance(held, types.ModuleType) and modname_of(held) == sub and sub not in ran_into:
                            items.append("submodule %s not re-executed" % sub)
                        continue
                    sub_ns = pkg["subs"].get(x.module)
                    if sub_ns is None or x.module in ran_into:
                        continue
                    if held is not MISSING and sub_ns.get(x.attr, MISSING) is held:
                        unchanged = ev.get("_before_ns", {}).get(x.name, MISSING) is held
                        items.append("%s.%s is still %s.%s%s" % (name, x.name, x.module, x.attr,
                                                                   " (the same object as before the reload)"
                                                                   if unchanged else ""))
            site = ev.get("named_site") or ev.get("call_site") or ev.get("site")
            if site is None:
                continue
            self.records.append({"rule": "RL204", "site": list(site), "stale": bool(items),
                                 "how": "old submodule code" if items else None,
                                 "detail": "reload(%s) re-ran its __init__; %s" % (
                                     name, "; ".join(items[:4]) if items else "no re-export from its own submodules")})

    def run(self):
        self.bindings()
        self.defaults()
        self.class_checks()
        self.packages()
        return self.records


def loc(site):
    return "%s:%s" % (site[0], site[1]) if site else "?"


def class_sites(tree):
    """(class expression, line, local names of the enclosing function) of every
    isinstance / issubclass / except / type(x) is|== C check."""
    out = []

    def exprs(node):
        if isinstance(node, ast.Tuple):
            return [e for e in node.elts if dotted(e)]
        return [node] if dotted(node) else []

    def visit(node, local_names):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                names = set()
                a = child.args
                for arg in list(getattr(a, "posonlyargs", [])) + a.args + a.kwonlyargs + \
                        [x for x in (a.vararg, a.kwarg) if x]:
                    names.add(arg.arg)
                for n in ast.walk(child):
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                        names.add(n.id)
                visit(child, names)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and \
                    child.func.id in ("isinstance", "issubclass") and len(child.args) == 2:
                for e in exprs(child.args[1]):
                    out.append((e, e.lineno, local_names))
            elif isinstance(child, ast.ExceptHandler) and child.type is not None:
                for e in exprs(child.type):
                    out.append((e, e.lineno, local_names))
            elif isinstance(child, ast.Compare) and len(child.ops) == 1 and \
                    isinstance(child.ops[0], (ast.Is, ast.Eq)):
                left, right = child.left, child.comparators[0]
                for a, b in ((left, right), (right, left)):
                    if isinstance(a, ast.Call) and isinstance(a.func, ast.Name) and a.func.id == "type" and \
                            len(a.args) == 1 and dotted(b):
                        out.append((b, b.lineno, local_names))
            visit(child, local_names)

    visit(tree, frozenset())
    return out


def analyze(ns, state, fixture_dir, scenario, rel, in_fixture):
    return Analysis(ns, state, fixture_dir, scenario, rel, in_fixture).run()
