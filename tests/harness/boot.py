"""Run one fixture scenario under instrumentation; write what happened as JSON.

Usage (harness.py does this in a fresh interpreter per scenario):

    python3 -E -s -B tests/harness/boot.py OUT.json FIXTURE_DIR SCENARIO.py

The scenario runs as ``__main__`` (runpy.run_path) with FIXTURE_DIR first on
sys.path, exactly as ``cd FIXTURE_DIR && python3 SCENARIO.py`` would run it.
Before it starts, this bootstrap installs:

* a wrapper around ``module_from_spec`` / ``_load_unlocked`` of the frozen
  import system: every module object the import system creates, by name, and
  every time a name gets a second module object while an earlier one is alive;
* a wrapper around ``importlib.reload`` (and ``imp.reload`` once ``imp`` is
  loaded): every reload call with its target, outcome, whether the target's own
  source ran into the module object during the call, and from which scenario
  line it was made;
* a ``sys.settrace`` function: at every line executed in a fixture file it
  snapshots ``sys.modules`` (name -> object identity) and records removals and
  entries that now hold an object the import system did not create for that
  name; ``exception`` events record every exception raised in (or passing
  through) a fixture frame, caught or not; ``call`` events of module bodies
  tell which module namespaces code ran into during a reload;
* a wrapper around ``warnings.warn`` that records warnings whatever the
  filters say (imp's DeprecationWarning comes from there).

For the cross-module rules it also keeps, per fixture file, the sequence
number of the last execution of every line (so "was this binding made before
that reload?" has an answer), the versions of every class a reload replaced,
and, for reloads of fixture packages, the package and submodule namespaces
right after the reload. Optional trailing arguments
``--assume-reloaded MODULE`` (``pkg.*`` = the package and its loaded
submodules) reload those modules, in sorted name order, after the scenario
ends: the run-time counterpart of reloadlint's impact analysis. Finally
tests/harness/identity.py compares every copied binding with its origin
(see its docstring) and the result goes to the JSON as ``identity``.

With ``--effects`` (harness.py passes it for fixtures/RL401/ and
fixtures/RL402/), tests/harness/effects.py is loaded before the scenario
starts: around every reload of a fixture module and at every line of that
module's module-level code it compares the state outside the module (RL401)
and remembers the module's containers (RL402); its result goes to the JSON as
``effects`` (see its docstring).

Nothing here decides whether a hazard happened: harness.py does that from the
JSON. Lines are reported as (file relative to FIXTURE_DIR, line).
"""
import json
import os
import runpy
import sys
import warnings
import weakref

import importlib
import importlib.util  # imported before the patch below, so it keeps the original module_from_spec

import _frozen_importlib as _bs

OUT_PATH = sys.argv[1]
FIXTURE_DIR = os.path.realpath(sys.argv[2])
SCENARIO = os.path.realpath(sys.argv[3])
ASSUME_RELOADED = [sys.argv[i + 1] for i in range(4, len(sys.argv) - 1) if sys.argv[i] == "--assume-reloaded"]
IDENTITY_PY = os.path.join(os.path.dirname(os.path.realpath(__file__)), "identity.py")
EFFECTS_PY = os.path.join(os.path.dirname(os.path.realpath(__file__)), "effects.py")
WANT_EFFECTS = "--effects" in sys.argv[4:]
EFFECTS = None           # tests/harness/effects.py's Effects, with --effects (RL401/RL402)
FIXTURE_PREFIX = FIXTURE_DIR + os.sep
_SCENARIO_REL = SCENARIO[len(FIXTURE_PREFIX):]
_BOOT = os.path.realpath(__file__)
_in_fixture_cache = {}


def in_fixture(filename):
    """True for code from a file under FIXTURE_DIR (co_filename may be relative or unnormalised)."""
    r = _in_fixture_cache.get(filename)
    if r is None:
        real = os.path.realpath(filename) if not filename.startswith("<") else filename
        r = real != _BOOT and real.startswith(FIXTURE_PREFIX)
        _in_fixture_cache[filename] = r
    return r

# Python's own implementation modules: a reload of the facade (importlib, imp)
# re-runs only the facade; these hold the real state and are never re-executed.
IMPLEMENTATION = {
    "importlib": ("importlib._bootstrap", "importlib._bootstrap_external"),
    "imp": ("_imp",),
}


class State:
    tracing = False          # set once the scenario's first line runs
    prev = None              # previous snapshot: name -> id(module)
    known = {}               # name -> [(id, weakref or None)] of objects the import system created
    foreign = {}             # name -> [(id, weakref or None)] of other objects already reported (RL103)
    last_line = None         # (relpath, line) of the last fixture line executed
    removed = []
    replaced = []
    splits = []              # second loads while an earlier object is alive
    second_loads = []        # every load of a name that had been loaded before
    loads = []
    reloads = []
    reload_stack = []        # events of reload calls in progress (innermost last)
    exceptions = []
    last_exc = None
    warnings = []
    uncaught = None
    exit_code = 0
    seq = 0                  # counts lines executed in fixture files
    line_seq = {}            # relpath -> {line: seq of its last execution}
    class_versions = {}      # (module, qualname) -> [class objects], filled around reloads


S = State


_rel_cache = {}


def rel(path):
    r = _rel_cache.get(path)
    if r is None:
        real = os.path.realpath(path) if not path.startswith("<") else path
        r = real[len(FIXTURE_PREFIX):] if real.startswith(FIXTURE_PREFIX) else path
        _rel_cache[path] = r
    return r


def is_scenario(filename):
    return filename == SCENARIO or (in_fixture(filename) and rel(filename) == _SCENARIO_REL)


def site():
    """(relpath, line) of the innermost scenario frame on the stack, else of
    the innermost fixture frame, else None."""
    f = sys._getframe(1)
    fixture_site = None
    while f is not None:
        fn = f.f_code.co_filename
        if is_scenario(fn):
            return [rel(fn), f.f_lineno]
        if fixture_site is None and in_fixture(fn):
            fixture_site = [rel(fn), f.f_lineno]
        f = f.f_back
    return fixture_site


def fixture_site():
    """(relpath, line) of the innermost fixture frame on the stack (the reload
    call itself, even inside a helper module), else None."""
    f = sys._getframe(1)
    while f is not None:
        fn = f.f_code.co_filename
        if in_fixture(fn):
            return [rel(fn), f.f_lineno]
        f = f.f_back
    return None


def named_site(module):
    """(relpath, line) where the reloaded module is named: the reload call, or -
    when the call reloads a parameter of a helper (`def refresh(mod):
    importlib.reload(mod)`) - the call of the helper that passed the module,
    following helpers of helpers. None without a fixture frame."""
    f = sys._getframe(1)
    while f is not None and not in_fixture(f.f_code.co_filename):
        f = f.f_back
    while f is not None:
        code = f.f_code
        params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        if not any(f.f_locals.get(p) is module for p in params):
            break
        caller = f.f_back
        while caller is not None and not in_fixture(caller.f_code.co_filename):
            caller = caller.f_back
        if caller is None:
            break
        f = caller
    return [rel(f.f_code.co_filename), f.f_lineno] if f is not None else None


def _remember_classes(module, name):
    """Record the classes `module` defines itself (for RL304: a reload makes new versions)."""
    try:
        items = list(vars(module).items())
    except TypeError:
        return
    for _k, v in items:
        if isinstance(v, type) and getattr(v, "__module__", None) == name:
            versions = S.class_versions.setdefault((name, getattr(v, "__qualname__", v.__name__)), [])
            if not any(c is v for c in versions):
                versions.append(v)


def _package_snapshot(module, name):
    """For a reload of a fixture package: its namespace and those of its loaded
    submodules, right now (RL204 compares them with what __init__ re-exported)."""
    f = getattr(module, "__file__", None)
    if not (getattr(module, "__path__", None) is not None and f and in_fixture(f)):
        return None
    subs = {}
    for k, m in list(sys.modules.items()):
        if k.startswith(name + ".") and m is not None:
            try:
                subs[k] = dict(vars(m))
            except TypeError:
                pass
    return {"file": rel(f), "ns": dict(vars(module)), "subs": subs}


# ---- what the import system created ---------------------------------------

def _remember(name, obj, table=None):
    try:
        ref = weakref.ref(obj)
    except TypeError:
        ref = None
    (S.known if table is None else table).setdefault(name, []).append((id(obj), ref))


def _is_known(name, obj, table=None):
    for oid, ref in (S.known if table is None else table).get(name, ()):
        if ref is not None:
            if ref() is obj:
                return True
        elif oid == id(obj):
            return True
    return False


def _alive_others(name, obj):
    n = 0
    for _oid, ref in S.known.get(name, ()):
        if ref is not None:
            o = ref()
            if o is not None and o is not obj:
                n += 1
    return n


_orig_module_from_spec = _bs.module_from_spec
_orig_load_unlocked = _bs._load_unlocked


def module_from_spec(spec):
    module = _orig_module_from_spec(spec)
    caller = sys._getframe(1).f_code.co_name
    if caller in ("_load_unlocked", "_load_backward_compatible"):
        name = spec.name
        alive = _alive_others(name, module)
        if S.tracing:
            ev = {"name": name, "site": site()}
            S.loads.append(ev)
            if name in S.known:
                # the body of `name` runs a second time, into a new object
                ev["earlier_alive"] = alive
                S.second_loads.append(ev)
                if alive:
                    S.splits.append(ev)
        _remember(name, module)
    return module


def _load_unlocked(spec):
    module = _orig_load_unlocked(spec)
    if spec.name == "imp":
        _patch_imp(module)
    elif spec.name == "importlib":
        _patch_importlib(module)
    return module


_bs.module_from_spec = module_from_spec
_bs._load_unlocked = _load_unlocked


# ---- reloads ----------------------------------------------------------------

def _target_name(module):
    try:
        return module.__spec__.name
    except AttributeError:
        pass
    try:
        return module.__name__
    except AttributeError:
        return None


def _make_reload_wrapper(orig, via):
    def reload(module):
        # imp.reload calls importlib.reload: the outer call records the event.
        if S.reload_stack and S.reload_stack[-1].get("_inner_ok"):
            return orig(module)
        name = _target_name(module)
        ev = {
            "target": name,
            "via": via,
            "site": site(),
            "builtin": name in sys.builtin_module_names,
            "ran_into": [],          # namespaces (module names) module bodies ran into
            "_target_dict": getattr(module, "__dict__", None),
            "_inner_ok": via == "imp",
            "call_site": fixture_site(),
            "named_site": named_site(module),
            "seq_start": S.seq,
        }
        S.reloads.append(ev)
        S.reload_stack.append(ev)
        if name:
            _remember_classes(module, name)
            before = _package_snapshot(module, name)
            if before is not None:
                ev["_before_ns"] = before["ns"]
        if EFFECTS is not None:
            EFFECTS.begin(ev, module)
        try:
            result = orig(module)
        except BaseException as exc:
            ev["outcome"] = type(exc).__name__
            ev["message"] = str(exc)[:200]
            ev["import_error"] = isinstance(exc, ImportError)
            raise
        else:
            ev["outcome"] = "ok"
            ev["same_object"] = result is module
            if name:
                _remember_classes(module, name)
                after = _package_snapshot(module, name)
                if after is not None:
                    ev["_package"] = after
                    ev["package_file"] = after["file"]
                    ev["lines_run"] = sorted(ln for ln, q in S.line_seq.get(after["file"], {}).items()
                                             if q > ev["seq_start"])
            return result
        finally:
            if EFFECTS is not None:
                EFFECTS.end(ev, module)
            S.reload_stack.pop()
            ev["seq_end"] = S.seq
            td = ev.pop("_target_dict")
            ev.pop("_inner_ok")
            ev["executed_target"] = bool(td is not None and any(d is td for d in ev.pop("_dicts", ())))
            impl = IMPLEMENTATION.get(name)
            if impl:
                ev["implementation"] = list(impl)
                ev["implementation_executed"] = any(n in ev["ran_into"] for n in impl)
            if name in ("importlib", "imp"):
                # the facade was re-executed: its reload is a fresh, unwrapped function again
                mod = sys.modules.get(name)
                if mod is not None:
                    (_patch_importlib if name == "importlib" else _patch_imp)(mod)
    reload._reloadlint_wrapped = True
    return reload


def _patch_importlib(mod):
    r = getattr(mod, "reload", None)
    if r is not None and not getattr(r, "_reloadlint_wrapped", False):
        mod.reload = _make_reload_wrapper(r, "importlib")


def _patch_imp(mod):
    r = getattr(mod, "reload", None)
    if r is not None and not getattr(r, "_reloadlint_wrapped", False):
        mod.reload = _make_reload_wrapper(r, "imp")


_patch_importlib(importlib)

# Everything loaded before the scenario starts (this bootstrap's own imports,
# the interpreter's start-up modules) counts as created by the import system.
for _name, _mod in list(sys.modules.items()):
    _remember(_name, _mod)


# ---- warnings ---------------------------------------------------------------

_orig_warn = warnings.warn


def warn(message, category=None, stacklevel=1, source=None):
    if isinstance(message, Warning):
        cat = type(message)
    else:
        cat = category or UserWarning
    S.warnings.append({"category": cat.__name__, "message": str(message)[:200], "site": site()})
    return _orig_warn(message, category, stacklevel + 1, source)


warnings.warn = warn


# ---- tracing ----------------------------------------------------------------

def snapshot():
    cur = sys.modules
    ids = {}
    for k, v in list(cur.items()):
        ids[k] = id(v)
    prev = S.prev
    if prev is not None:
        gone = [k for k in prev if k not in ids]
        if gone:
            S.removed.append({"keys": sorted(gone)[:20], "count": len(gone), "after": S.last_line})
        for k, oid in ids.items():
            if prev.get(k) != oid:
                obj = cur.get(k)
                if obj is not None and not _is_known(k, obj) and not _is_known(k, obj, S.foreign):
                    S.replaced.append({"key": k, "type": type(obj).__name__, "after": S.last_line})
                    _remember(k, obj, S.foreign)   # report each foreign object once
    else:
        # baseline: what is there when the scenario starts counts as imported
        for k, v in list(cur.items()):
            if not _is_known(k, v):
                _remember(k, v)
    S.prev = ids


def local_trace(frame, event, arg):
    if EFFECTS is not None and EFFECTS.stack and event in ("line", "return"):
        EFFECTS.trace(frame, event)
    if event == "line":
        snapshot()
        r = rel(frame.f_code.co_filename)
        S.last_line = [r, frame.f_lineno]
        S.seq += 1
        lines = S.line_seq.get(r)
        if lines is None:
            lines = S.line_seq[r] = {}
        lines[frame.f_lineno] = S.seq
    elif event == "exception":
        exc = arg[1]
        if exc is not S.last_exc:
            S.last_exc = exc
            rec = {
                "type": type(exc).__name__,
                "message": str(exc)[:200],
                "site": [rel(frame.f_code.co_filename), frame.f_lineno],
                "import_error": isinstance(exc, ImportError),
            }
            if isinstance(exc, NameError):
                rec["name"] = getattr(exc, "name", None)
            S.exceptions.append(rec)
    elif event == "return":
        snapshot()
    return local_trace


def global_trace(frame, event, arg):
    code = frame.f_code
    if S.reload_stack and code.co_name == "<module>":
        g = frame.f_globals
        ev = S.reload_stack[-1]
        ev.setdefault("_dicts", []).append(g)
        ev["ran_into"].append(g.get("__name__"))
    if in_fixture(code.co_filename):
        if not S.tracing:
            S.tracing = True
            snapshot()
        return local_trace
    return None


# ---- cross-module rules -------------------------------------------------------

def assumed_reloads():
    """Reload the modules named with --assume-reloaded (loaded ones only), parents
    before their submodules, as a dev server's reloader would after an edit."""
    if not ASSUME_RELOADED:
        return
    names = set()
    for pat in ASSUME_RELOADED:
        if pat.endswith(".*"):
            base = pat[:-2]
            names.update(k for k in sys.modules if k == base or k.startswith(base + "."))
        elif pat in sys.modules:
            names.add(pat)
    for name in sorted(names):
        mod = sys.modules.get(name)
        f = getattr(mod, "__file__", None)
        if mod is not None and f and in_fixture(f):
            importlib.reload(mod)


def identity_truth(ns):
    """Run tests/harness/identity.py over what the scenario left behind (after tracing)."""
    if ns is None:
        return {"error": "scenario did not finish"}
    import importlib.util as _u
    spec = _u.spec_from_file_location("_reloadlint_identity", IDENTITY_PY)
    mod = _u.module_from_spec(spec)
    spec.loader.exec_module(mod)
    try:
        return mod.analyze(ns, S, FIXTURE_DIR, SCENARIO, rel, in_fixture)
    except Exception as exc:  # a bug in the oracle must not pass as "no hazard"
        import traceback
        return {"error": "%s: %s" % (type(exc).__name__, exc), "traceback": traceback.format_exc()[-2000:]}


# ---- run ------------------------------------------------------------------

def load_effects():
    """With --effects: tests/harness/effects.py watches what reloads re-do outside
    the reloaded module (RL401) and which of its containers they reset (RL402)."""
    global EFFECTS
    import importlib.util as _u
    spec = _u.spec_from_file_location("_reloadlint_effects", EFFECTS_PY)
    mod = _u.module_from_spec(spec)
    spec.loader.exec_module(mod)
    EFFECTS = mod.Effects(S, rel, in_fixture)


def effects_truth():
    if EFFECTS is None:
        return None
    try:
        return EFFECTS.result()
    except Exception as exc:  # a bug in the oracle must not pass as "no hazard"
        import traceback
        return {"error": "%s: %s" % (type(exc).__name__, exc), "traceback": traceback.format_exc()[-2000:]}


def main():
    if WANT_EFFECTS:
        load_effects()
    sys.argv[:] = [SCENARIO]
    sys.path[0] = FIXTURE_DIR
    os.chdir(FIXTURE_DIR)
    sys.settrace(global_trace)
    ns = None
    try:
        ns = runpy.run_path(SCENARIO, run_name="__main__")
        assumed_reloads()
    except SystemExit as exc:
        code = exc.code
        S.exit_code = code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException as exc:  # the scenario crashed: report it
        tb = exc.__traceback__
        line = None
        while tb is not None:
            if in_fixture(tb.tb_frame.f_code.co_filename):
                line = [rel(tb.tb_frame.f_code.co_filename), tb.tb_lineno]
            tb = tb.tb_next
        S.uncaught = {"type": type(exc).__name__, "message": str(exc)[:200], "site": line}
        S.exit_code = 1
    finally:
        sys.settrace(None)
    S.last_exc = None
    identity = identity_truth(ns)
    out = {
        "scenario": rel(SCENARIO),
        "removed": S.removed,
        "replaced": S.replaced,
        "splits": S.splits,
        "second_loads": S.second_loads,
        "reloads": [{k: v for k, v in ev.items() if not k.startswith("_")} for ev in S.reloads],
        "exceptions": S.exceptions,
        "warnings": S.warnings,
        "uncaught": S.uncaught,
        "exit_code": S.exit_code,
        "fixture_loads": [ev for ev in S.loads if ev["site"] is not None],
        "assumed_reloaded": ASSUME_RELOADED,
        "identity": identity,
        "effects": effects_truth(),
    }
    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
    return S.exit_code


if __name__ == "__main__":
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)
