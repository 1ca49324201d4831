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
        }
        S.reloads.append(ev)
        S.reload_stack.append(ev)
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
            return result
        finally:
            S.reload_stack.pop()
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
    if event == "line":
        snapshot()
        S.last_line = [rel(frame.f_code.co_filename), frame.f_lineno]
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


# ---- run ------------------------------------------------------------------

def main():
    sys.argv[:] = [SCENARIO]
    sys.path[0] = FIXTURE_DIR
    os.chdir(FIXTURE_DIR)
    sys.settrace(global_trace)
    try:
        runpy.run_path(SCENARIO, run_name="__main__")
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
    out = {
        "scenario": rel(SCENARIO),
        "removed": S.removed,
        "replaced": S.replaced,
        "splits": S.splits,
        "second_loads": S.second_loads,
        "reloads": S.reloads,
        "exceptions": S.exceptions,
        "warnings": S.warnings,
        "uncaught": S.uncaught,
        "exit_code": S.exit_code,
        "fixture_loads": [ev for ev in S.loads if ev["site"] is not None],
    }
    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1, sort_keys=True)
    return S.exit_code


if __name__ == "__main__":
    rc = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)
