/* RL205 reload-of-special-module
 *
 * Flags: a reload whose target is `sys`, `builtins`, `__main__`,
 * `importlib`, `imp`, `marshal` or another module built into the interpreter
 * (`sys.builtin_module_names`), e.g. the Python 2 `reload(sys)` encoding hack.
 *
 * Why: built-in modules have no source to re-execute: the reload re-runs
 * nothing (`sys.setdefaultencoding` does not come back) or resets interpreter
 * state; `__main__` has no spec when run as a script and the reload raises;
 * reloading the import machinery leaves the interpreter with two versions.
 *
 * Example:
 *     reload(sys)
 *     sys.setdefaultencoding("utf-8")
 */
#include "rule_util.h"

#include <string.h>

/* CPython 3.11's sys.builtin_module_names, plus the modules the SPEC names. */
static const char *const special_modules[] = {
    "__builtin__", "__main__", "_abc", "_ast", "_codecs", "_collections", "_functools", "_imp",
    "_io", "_locale", "_operator", "_signal", "_sre", "_stat", "_string", "_symtable", "_thread",
    "_tokenize", "_tracemalloc", "_warnings", "_weakref", "atexit", "builtins", "errno",
    "faulthandler", "gc", "imp", "importlib", "itertools", "marshal", "posix", "pwd", "sys",
    "time", "xxsubtype",
};

static bool is_special(const char *module)
{
    for (size_t i = 0; i < sizeof special_modules / sizeof special_modules[0]; i++)
        if (strcmp(module, special_modules[i]) == 0) return true;
    return false;
}

static const char *why_for(const char *m)
{
    if (strcmp(m, "__main__") == 0) return "`__main__` has no module spec when run as a script: the reload raises";
    if (strcmp(m, "sys") == 0) return "`sys` is built into the interpreter: the reload re-runs nothing (the Python 2 `reload(sys)` encoding hack does nothing on Python 3)";
    if (strcmp(m, "importlib") == 0 || strcmp(m, "imp") == 0) return "reloading the import machinery leaves two versions of it in the interpreter";
    return "built-in modules have no source to re-execute: the reload re-runs nothing or resets interpreter state";
}

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_event *e = &p->files.items[file].facts.events.items[ev];
    if (!rl_is_reload(e)) return;
    for (uint32_t t = 0; t < e->ntargets; t++) {
        const char *m = e->targets[t];
        if (!is_special(m)) continue;
        rl_diag *d = rl_report(out, RL_RL205, p, file, e,
                               rl_arena_printf(out->arena, "reload of special module `%s`: %s", m, why_for(m)));
        d->target = m;
        d->help = strcmp(m, "sys") == 0 ? "remove the reload; decode and encode text explicitly instead of changing the default encoding"
                                        : "remove the reload: built-in and interpreter modules cannot be refreshed";
    }
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_reload_of_special_module = {
    .code = "RL205",
    .name = "reload-of-special-module",
    .severity = RL_SEV_ERROR,
    .summary = "`sys`, `builtins`, `__main__` or another built-in module is reloaded",
    .what = "Flags reloads of `sys`, `builtins`, `__main__`, `importlib`, `imp`, `marshal` and the "
            "other modules built into the interpreter (`sys.builtin_module_names`), such as the "
            "Python 2 `reload(sys)` encoding hack.",
    .why = "Built-in modules have no source to run again: the reload does nothing useful "
           "(`sys.setdefaultencoding` does not come back on Python 3) or resets interpreter state. "
           "`__main__` run as a script has no module spec, so the reload raises. Reloading the "
           "import machinery leaves the interpreter with two versions of it.",
    .example = "import sys\nreload(sys)\nsys.setdefaultencoding(\"utf-8\")\n",
    .use_instead = "with open(path, encoding=\"utf-8\") as f:  # be explicit about encodings\n    text = f.read()\n",
    .check = check,
};
