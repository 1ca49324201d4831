/* RL203 deprecated-reload
 *
 * Flags: `imp.reload(...)` through any alias, the statement
 * `from imp import reload`, and a call of the Python 2 builtin `reload(...)`
 * where no `reload` is defined or imported.
 *
 * Why: the `imp` module was removed in Python 3.12 (ModuleNotFoundError at
 * import), and the builtin `reload` does not exist on Python 3 (NameError).
 *
 * Example:
 *     import imp
 *     imp.reload(mod)
 */
#include "rule_util.h"

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_event *e = &p->files.items[file].facts.events.items[ev];
    const char *msg;
    if (e->kind == RL_EV_FROM_IMP)
        msg = "`from imp import reload`: the `imp` module was removed in Python 3.12";
    else if (e->kind == RL_EV_CALL && e->what == RL_RES_RELOAD_IMP)
        msg = "`imp.reload` is gone in Python 3.12 (the `imp` module was removed)";
    else if (e->kind == RL_EV_CALL && e->what == RL_RES_RELOAD_BUILTIN)
        msg = "builtin `reload()` exists only in Python 2: NameError on Python 3";
    else
        return;
    rl_diag *d = rl_report(out, RL_RL203, p, file, e, msg);
    d->target = e->ntargets == 1 ? e->targets[0] : NULL;
    d->help = "use `importlib.reload` (`from importlib import reload`)";
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_deprecated_reload = {
    .code = "RL203",
    .name = "deprecated-reload",
    .severity = RL_SEV_ERROR,
    .summary = "Reload through `imp` or the Python 2 builtin `reload`",
    .what = "Flags `imp.reload(...)` through any alias, `from imp import reload`, and calls of the "
            "Python 2 builtin `reload(...)` where no `reload` is defined or imported.",
    .why = "The `imp` module was deprecated since Python 3.4 and removed in Python 3.12: the "
           "import fails with ModuleNotFoundError. The builtin `reload` exists only in Python 2; "
           "on Python 3 the call raises NameError.",
    .example = "import imp\nimport plugin\n\nimp.reload(plugin)\n",
    .use_instead = "import importlib\nimport plugin\n\nimportlib.reload(plugin)\n",
    .check = check,
};
