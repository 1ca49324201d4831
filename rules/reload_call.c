/* RL201 reload-call
 *
 * Flags: every call that reloads a module - `importlib.reload`, `imp.reload`,
 * Python 2 `reload` - through any alias (`import importlib as il`,
 * `from importlib import reload as r`). A local function named `reload`, a
 * method `obj.reload()` or a shadowed `importlib` is not a reload.
 *
 * Why: reload re-executes the module into the same object. Everything copied
 * out of it before (`from m import f`, `f = m.f`, instances of its classes)
 * keeps the old objects; top-level side effects run again.
 *
 * Example:
 *     importlib.reload(settings)
 */
#include "rule_util.h"

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_event *e = &p->files.items[file].facts.events.items[ev];
    if (!rl_is_reload(e)) return;
    const char *fn = rl_reload_function_name(e);
    const char *msg;
    if (e->ntargets >= 1) {
        rl_strbuf sb = {0};
        for (uint32_t t = 0; t < e->ntargets; t++)
            rl_strbuf_addf(&sb, "%s`%s`", t == 0 ? "" : t + 1 == e->ntargets ? " and " : ", ", e->targets[t]);
        msg = rl_arena_printf(out->arena, "%s reloaded with `%s`: names copied out of %s before "
                              "the reload keep the old objects", sb.data, fn,
                              e->ntargets == 1 ? "it" : "them");
        rl_strbuf_release(&sb);
    }
    else
        msg = rl_arena_printf(out->arena, "module reloaded with `%s` (target unknown): names copied "
                              "out of it before the reload keep the old objects", fn);
    rl_diag *d = rl_report(out, RL_RL201, p, file, e, msg);
    d->target = e->ntargets == 1 ? e->targets[0] : NULL;
    d->help = "reach reloaded names through the module (`m.f()`), not through copies "
              "(`from m import f`)";
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_reload_call = {
    .code = "RL201",
    .name = "reload-call",
    .severity = RL_SEV_WARNING,
    .summary = "A module is reloaded",
    .what = "Flags every call that reloads a module: `importlib.reload`, `imp.reload` and the "
            "Python 2 builtin `reload`, through any alias (`import importlib as il`, "
            "`from importlib import reload as r`).",
    .why = "`importlib.reload(m)` re-executes `m`'s source into the same module object. Code that "
           "reaches names through the module (`m.f()`) sees the new objects, but every name copied "
           "out before the reload (`from m import f`, `f = m.f`, default arguments, instances of "
           "its classes) keeps the old one; top-level side effects run a second time and names "
           "removed from the source survive.",
    .example = "import importlib\nimport settings\nfrom settings import DEBUG\n\n"
               "importlib.reload(settings)  # DEBUG still holds the old value\n",
    .use_instead = "import importlib\nimport settings\n\nimportlib.reload(settings)\n"
                   "if settings.DEBUG:  # read through the module after the reload\n    ...\n",
    .check = check,
};
