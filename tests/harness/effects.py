"""Side-effect ground truth for the re-execution rules (RL401, RL402).

boot.py loads this file when harness.py passes ``--effects`` (the fixture
folders fixtures/RL401/ and fixtures/RL402/) and calls it around every reload
of a fixture module M and at every ``line`` / ``return`` event of M's
module-level code (the ``<module>`` frame and class-body frames running in M's
namespace; function bodies, comprehensions and lambdas M calls are not traced
themselves: what they do is charged to the module-level line that called
them).

RL401  At every such event during a reload of M, the state *outside M* is
       snapshotted and compared with the previous snapshot; a difference is
       charged to the module-level line of M that ran in between. Outside M
       means:
       - every attribute of every other loaded module (identity; immutable
         values by value): ``json.dumps = f``, ``setattr(other, "x", v)``;
         public attributes only for non-fixture modules, modules with a
         private name component (``_frozen_importlib``...) are skipped, as are
         ``sys.modules``, ``sys.path_importer_cache``, ``linecache.cache``,
         ``sys.last_*``;
       - the contents of every container attribute of those modules (length
         and members, by identity / value): ``sys.path``, ``sys.meta_path``,
         ``os.environ``, ``warnings.filters``, ``copyreg.dispatch_table``,
         ``gc.callbacks``, ``other.REGISTRY``...;
       - one level down: the attributes (and their container contents) of the
         objects and classes held by other fixture modules
         (``other.ready.receivers``, ``other.app.routes``,
         ``other.Widget.render = f``), and of the classes a non-fixture module
         defines (``json.JSONEncoder.default = f``);
       - interpreter and library registries without a module attribute:
         ``atexit._ncallbacks()``, ``signal.getsignal`` of every signal, the
         handlers / filters / level / disabled / propagate of the root logger
         and of every logger of the logging manager, ``logging.getLoggerClass()``,
         ``logging.root.manager.disable``, the threads alive, codec search
         functions (``codecs.register`` is wrapped to count them: Python keeps
         no public list), ``sys.getprofile()``, ``sys.getrecursionlimit()``,
         ``socket.getdefaulttimeout()``.
       The module's own namespace and the objects only it refers to are not
       outside. A difference during a *reload* is a hazard: the statement ran
       at the first import too (same source), so the registration or
       mutation happened again - atexit callbacks 1 -> 2, root handlers
       doubled, the sys.path entry twice, the signal handler and the patched
       attribute are new objects (patches stacked on patches), the other
       module's list has the item twice, a new warnings filter, a value the
       application changed in between overwritten again (``os.environ``,
       a logger level), loggers created since the first import disabled by
       ``dictConfig``.
RL402  At the start of a reload of M, every module-level container of M
       (dict, list, set, deque, defaultdict, Counter, OrderedDict, weak
       containers) is remembered with its length; the line of M whose
       execution re-binds the name to another object during the reload is
       recorded. When the scenario has ended, a container is reset when its
       name now holds another object with fewer entries than the old one had
       right before the reload: the entries that other modules put there were
       lost and nothing put them back (the fillers did not run again).
       Containers that M fills itself at import come back full; a
       reload-safe binding (``try: REG except NameError: REG = {}``) keeps the
       object; neither is a hazard.

Sites. Each observation is mapped to the line a finding would name: the
first line of the innermost statement that runs at import (module level,
inside top-level if/try/with/for/while, class bodies) containing the line
that ran; for a decorator call, the decorator's own line (Python 3.11 charges
the call of ``@dec`` to that line); for RL402, the statement that re-binds the
container's name. Sites are (file relative to FIXTURE_DIR, line).

result() returns {"records": [{"rule", "site": [relpath, line], "module",
"detail", "reload": [relpath, line] of the reload call}], "reloaded_files":
the fixture files whose modules were reloaded, "unattributed": differences
seen before the first line of a reloaded module ran (import machinery; never
a hazard), "snapshots": how many were taken}.
"""
import ast
import atexit
import collections
import collections.abc as cabc
import logging
import re
import signal
import sys
import threading
import types
import weakref

import codecs

CO_NEWLOCALS = 0x0002
PRIMITIVES = (str, bytes, int, float, complex, bool, type(None), range)
MAX_ITEMS = 2000
DENY = {
    ("sys", "modules"), ("sys", "path_importer_cache"), ("sys", "last_type"), ("sys", "last_value"),
    ("sys", "last_traceback"), ("linecache", "cache"),
    ("posix", "environ"), ("os", "environb"),       # the same data as os.environ
}
CONTAINER_TYPES = (dict, list, set, collections.deque, weakref.WeakValueDictionary,
                   weakref.WeakKeyDictionary, weakref.WeakSet)


class Ref:
    """Compares by identity and keeps the object alive while a snapshot lives
    (so a freed object's id cannot be reused by its replacement)."""
    __slots__ = ("o",)

    def __init__(self, o):
        self.o = o

    def __eq__(self, other):
        return type(other) is Ref and other.o is self.o

    def __hash__(self):
        return id(self.o)

    def __repr__(self):
        return short(self.o)


def short(o):
    try:
        r = getattr(o, "__qualname__", None) or repr(o)
    except Exception:  # noqa: BLE001 - any repr may fail
        r = "<%s>" % type(o).__name__
    return r if len(r) <= 60 else r[:57] + "..."


def vkey(x, depth=0):
    t = type(x)
    if t is float or t is complex:
        return ("num", repr(x))       # nan != nan
    if t in PRIMITIVES:
        return x
    if t is tuple and depth < 3:
        return tuple(vkey(i, depth + 1) for i in x)
    if t is re.Pattern:
        return ("re", x.pattern, x.flags)
    return Ref(x)


def is_container(v):
    return isinstance(v, (dict, list, set, collections.deque)) or \
        isinstance(v, (cabc.MutableMapping, cabc.MutableSet))


def contents(c):
    """A comparable picture of a container's members (keys and values)."""
    try:
        n = len(c)
        if n > MAX_ITEMS:
            return ("len", n)
        if isinstance(c, (dict, cabc.Mapping)):
            return ("map", tuple((vkey(k), vkey(v)) for k, v in list(c.items())))
        if isinstance(c, (set, frozenset, cabc.Set)):
            return ("set", frozenset(vkey(x) for x in list(c)))
        return ("seq", tuple(vkey(x) for x in list(c)))
    except Exception as exc:  # noqa: BLE001 - a broken container is still a state
        return ("error", type(exc).__name__)


def entries(n):
    return "%d entr%s" % (n, "y" if n == 1 else "ies")


def describe_contents(name, before, after):
    kb, ib = before if isinstance(before, tuple) and len(before) == 2 else (None, before)
    ka, ia = after if isinstance(after, tuple) and len(after) == 2 else (None, after)
    if kb != ka or kb in (None, "len", "error"):
        return "%s changed" % name
    if kb == "map":
        old = dict(ib)
        new = dict(ia)
        added = [k for k in new if k not in old]
        changed = [k for k in new if k in old and new[k] != old[k]]
        removed = [k for k in old if k not in new]
        parts = []
        if added:
            parts.append("added %s" % ", ".join(repr(k) for k in added[:3]))
        if changed:
            parts.append("replaced the value of %s" % ", ".join(repr(k) for k in changed[:3]))
        if removed:
            parts.append("removed %s" % ", ".join(repr(k) for k in removed[:3]))
        if not parts:
            parts.append("reordered")
        return "%s: %s (%d -> %d entries)" % (name, "; ".join(parts), len(old), len(new))
    if kb == "set":
        return "%s: %d -> %d members" % (name, len(ib), len(ia))
    if len(ia) > len(ib):
        try:
            grown = list((collections.Counter(ia) - collections.Counter(ib)).elements())
        except TypeError:           # unhashable members
            grown = [x for x in ia if x not in ib]
        what = ", ".join("%r%s" % (x, " again" if x in ib else "") for x in grown[:2])
        return "%s: %d -> %d entries (added %s)" % (name, len(ib), len(ia), what or "?")
    if len(ia) == len(ib):
        return "%s: members replaced or reordered (%d entries)" % (name, len(ia))
    return "%s: %d -> %d entries" % (name, len(ib), len(ia))


# ---- where a line belongs ------------------------------------------------------

_trees = {}


def _tree(path):
    t = _trees.get(path)
    if t is None:
        try:
            with open(path, encoding="utf-8") as fh:
                t = ast.parse(fh.read())
        except (OSError, SyntaxError, ValueError):
            t = False
        _trees[path] = t
    return t


def _import_time_bodies(node):
    """Statement lists of node that run when node runs at import."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return []
    out = []
    for field in ("body", "orelse", "finalbody"):
        v = getattr(node, field, None)
        if isinstance(v, list) and v and isinstance(v[0], ast.stmt):
            out.append(v)
    for h in getattr(node, "handlers", []) or []:
        out.append(h.body)
    for c in getattr(node, "cases", []) or []:
        out.append(c.body)
    return out


def statement_line(path, line):
    """First line of the innermost import-time statement of path containing
    line; the decorator's line when line lies in a decorator."""
    tree = _tree(path)
    if not tree:
        return line
    bodies = [tree.body]
    best = line
    while bodies:
        found = None
        for body in bodies:
            for st in body:
                decos = getattr(st, "decorator_list", []) or []
                first = min([st.lineno] + [d.lineno for d in decos])
                if first <= line <= (st.end_lineno or st.lineno):
                    found = st
                    for d in decos:
                        if d.lineno <= line <= (d.end_lineno or d.lineno):
                            return d.lineno
                    best = st.lineno
                    break
            if found is not None:
                break
        bodies = _import_time_bodies(found) if found is not None else []
    return best


# ---- snapshots -------------------------------------------------------------------

class Effects:
    def __init__(self, state, rel, in_fixture):
        self.S = state
        self.rel = rel
        self.in_fixture = in_fixture
        self.stack = []          # contexts of the reloads of fixture modules in progress
        self.changes = {}        # (relpath, line, module) -> {"what": [...], "reload": site}
        self.resets = []         # RL402 candidates
        self.unattributed = []
        self.reloaded = []       # files of the fixture modules reloaded
        self.codec_searches = 0
        self.snapshots = 0
        self._wrap_codecs()

    def _wrap_codecs(self):
        orig_register, orig_unregister = codecs.register, getattr(codecs, "unregister", None)
        me = self

        def register(search_function):
            orig_register(search_function)
            me.codec_searches += 1

        register.__wrapped__ = orig_register
        codecs.register = register
        if orig_unregister is not None:
            def unregister(search_function):
                orig_unregister(search_function)
                me.codec_searches -= 1
            unregister.__wrapped__ = orig_unregister
            codecs.unregister = unregister

    def snapshot(self, skip):
        """State outside module `skip`: key -> comparable value."""
        self.snapshots += 1
        out = {}
        for name, mod in list(sys.modules.items()):
            if not isinstance(mod, types.ModuleType) or mod is skip:
                continue
            f = getattr(mod, "__file__", None)
            fixture = bool(f) and self.in_fixture(f)
            if not fixture and any(p.startswith("_") for p in name.split(".")):
                continue
            try:
                items = list(vars(mod).items())
            except TypeError:
                continue
            for a, v in items:
                if a.startswith("__") if fixture else a.startswith("_"):
                    continue
                if (name, a) in DENY or isinstance(v, types.ModuleType):
                    continue
                out[("attr", name, a)] = vkey(v)
                if is_container(v):
                    out[("items", name, a)] = contents(v)
                elif fixture or (isinstance(v, type) and getattr(v, "__module__", None) == name):
                    try:
                        sub = list(vars(v).items())
                    except TypeError:
                        continue
                    if getattr(v, "__module__", None) != name and isinstance(v, type):
                        continue    # a class another module defines: scanned there
                    for sa, sv in sub:
                        if sa.startswith("__") or isinstance(sv, types.ModuleType):
                            continue
                        out[("sub", name, a, sa)] = vkey(sv)
                        if is_container(sv):
                            out[("subitems", name, a, sa)] = contents(sv)
        out[("atexit",)] = atexit._ncallbacks()
        for s in signal.valid_signals():
            try:
                out[("signal", int(s))] = vkey(signal.getsignal(s))
            except (ValueError, OSError):
                pass
        loggers = [("<root>", logging.root)] + [(k, v) for k, v in list(logging.Logger.manager.loggerDict.items())
                                               if isinstance(v, logging.Logger)]
        for lname, lg in loggers:
            out[("logger", lname, "handlers")] = ("seq", tuple(Ref(h) for h in lg.handlers))
            out[("logger", lname, "filters")] = ("seq", tuple(Ref(x) for x in lg.filters))
            out[("logger", lname, "level")] = lg.level
            out[("logger", lname, "disabled")] = lg.disabled
            out[("logger", lname, "propagate")] = lg.propagate
        out[("logging", "loggerClass")] = Ref(logging.getLoggerClass())
        out[("logging", "disable")] = logging.root.manager.disable
        out[("threads",)] = ("set", frozenset(Ref(t) for t in threading.enumerate()))
        out[("codecs",)] = self.codec_searches
        out[("profile",)] = vkey(sys.getprofile())
        out[("recursionlimit",)] = sys.getrecursionlimit()
        sock = sys.modules.get("socket")
        if sock is not None:
            out[("socket-timeout",)] = sock.getdefaulttimeout()
        return out

    @staticmethod
    def _describe(key, before, after):
        kind = key[0]
        if kind == "attr":
            if before is None:
                return "%s.%s added" % (key[1], key[2])
            return "%s.%s rebound: %s -> %s" % (key[1], key[2], short(before.o if isinstance(before, Ref) else before),
                                               "a new object" if isinstance(after, Ref) else repr(after))
        if kind == "items":
            return describe_contents("%s.%s" % (key[1], key[2]), before, after)
        if kind == "sub":
            return "%s.%s.%s rebound (%s)" % (key[1], key[2], key[3],
                                              "added" if before is None else "a new object")
        if kind == "subitems":
            return describe_contents("%s.%s.%s" % (key[1], key[2], key[3]), before, after)
        if kind == "atexit":
            return "atexit callbacks %s -> %s" % (before, after)
        if kind == "signal":
            try:
                sname = signal.Signals(key[1]).name
            except ValueError:
                sname = str(key[1])
            same = isinstance(before, Ref) and isinstance(after, Ref) and short(before.o) == short(after.o)
            return "handler of %s replaced: %s -> %s" % (sname, before, "a new %s" % short(after.o) if same else after)
        if kind == "logger":
            if key[2] in ("handlers", "filters"):
                nb = len(before[1]) if before else 0
                na = len(after[1]) if after else 0
                same = " (other objects)" if nb == na else ""
                return "logger %s %s %d -> %d%s" % (key[1], key[2], nb, na, same)
            return "logger %s %s %r -> %r" % (key[1], key[2], before, after)
        if kind == "threads":
            return "threads alive %d -> %d" % (len(before[1]) if before else 0, len(after[1]) if after else 0)
        if kind == "codecs":
            return "codec search functions %s -> %s" % (before, after)
        return "%s %r -> %r" % ("/".join(str(k) for k in key), before, after)

    def _diff(self, ctx, new):
        old = ctx["snap"]
        ctx["snap"] = new
        what = []
        for k, v in new.items():
            ov = old.get(k, _MISSING)
            if ov is _MISSING:
                # a key that appears: a new logger, a new attribute of another module
                if k[0] in ("attr", "sub") and k[1] in ctx["modules_before"]:
                    what.append(self._describe(k, None, v))
                continue
            if ov != v:
                what.append(self._describe(k, ov, v))
        for k in old:
            if k not in new and k[0] in ("attr", "sub"):
                what.append("%s deleted" % ".".join(str(x) for x in k[1:]))
        if not what:
            return
        line = ctx["prev"]
        if line is None:
            self.unattributed.append({"module": ctx["name"], "what": what[:5]})
            return
        site = (ctx["file"], statement_line(ctx["path"], line))
        rec = self.changes.setdefault(site + (ctx["name"],), {"what": [], "reload": ctx["site"], "lines": []})
        for w in what:
            if w not in rec["what"]:
                rec["what"].append(w)
        if line not in rec["lines"]:
            rec["lines"].append(line)

    # ---- hooks called by boot.py ---------------------------------------------------

    def begin(self, ev, module):
        f = getattr(module, "__file__", None)
        d = getattr(module, "__dict__", None)
        if not f or d is None or not self.in_fixture(f):
            self.stack.append(None)
            return
        if self.rel(f) not in self.reloaded:
            self.reloaded.append(self.rel(f))
        old_trace = sys.gettrace()
        sys.settrace(None)
        try:
            watch = {}
            for k, v in list(d.items()):
                if not k.startswith("__") and isinstance(v, CONTAINER_TYPES):
                    watch[k] = {"old": v, "len": len(v), "line": None}
            self.stack.append({
                "module": module, "dict": d, "name": ev.get("target"), "path": f, "file": self.rel(f),
                "site": ev.get("named_site") or ev.get("site"), "prev": None, "watch": watch,
                "modules_before": set(sys.modules), "snap": self.snapshot(module),
            })
        finally:
            sys.settrace(old_trace)

    def trace(self, frame, event):
        """A line/return event of fixture code (called from boot's trace function)."""
        ctx = self.stack[-1] if self.stack else None
        if ctx is None or frame.f_globals is not ctx["dict"] or frame.f_code.co_flags & CO_NEWLOCALS:
            return
        self._diff(ctx, self.snapshot(ctx["module"]))
        for name, w in ctx["watch"].items():
            if w["line"] is None and ctx["dict"].get(name, _MISSING) is not w["old"] and ctx["prev"] is not None:
                w["line"] = ctx["prev"]
        if event == "line":
            ctx["prev"] = frame.f_lineno
        else:
            # a class body returns into the module-level statement that created it
            back = frame.f_back
            ctx["prev"] = back.f_lineno if back is not None and back.f_globals is ctx["dict"] else None

    def end(self, ev, module):
        ctx = self.stack.pop() if self.stack else None
        if ctx is None:
            return
        old_trace = sys.gettrace()
        sys.settrace(None)
        try:
            self._diff(ctx, self.snapshot(ctx["module"]))
            if ev.get("outcome") != "ok":
                return
            for name, w in ctx["watch"].items():
                if w["line"] is not None:
                    self.resets.append({"module": ctx["module"], "name": name, "old": w["old"], "len": w["len"],
                                        "site": (ctx["file"], statement_line(ctx["path"], w["line"])),
                                        "mod_name": ctx["name"], "reload": ctx["site"]})
        finally:
            sys.settrace(old_trace)

    def result(self):
        out = []
        for (relp, line, mod), rec in sorted(self.changes.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            out.append({"rule": "RL401", "site": [relp, line], "module": mod, "reload": rec["reload"],
                        "lines": rec["lines"],
                        "detail": "; ".join(rec["what"][:4]) + (" (+%d more)" % (len(rec["what"]) - 4)
                                                                 if len(rec["what"]) > 4 else "")})
        for r in self.resets:
            cur = vars(r["module"]).get(r["name"], _MISSING)
            if cur is r["old"] or cur is _MISSING or not isinstance(cur, CONTAINER_TYPES):
                continue
            n = len(cur)
            if n >= r["len"]:
                continue
            lost = ""
            if isinstance(r["old"], (dict, cabc.Mapping)):
                keys = [k for k in list(r["old"].keys()) if k not in cur]
                lost = "; lost %s" % ", ".join(repr(k) for k in keys[:4])
            out.append({"rule": "RL402", "site": list(r["site"]), "module": r["mod_name"], "reload": r["reload"],
                        "detail": "%s.%s had %s right before the reload; a new %s with %s at the end%s"
                                  % (r["mod_name"], r["name"], entries(r["len"]), type(cur).__name__, entries(n),
                                     lost)})
        return {"records": out, "reloaded_files": self.reloaded, "unattributed": self.unattributed[:10],
                "snapshots": self.snapshots}


_MISSING = object()
