/* RL202 reload-of-removed-module
 *
 * Flags: a reload of module M after M was removed from (or replaced in)
 * sys.modules earlier on the same path of the same scope, with no import of M
 * in between. Related location: the removal or replacement.
 *
 * Why: `importlib.reload(m)` looks `m.__name__` up in sys.modules and raises
 * ImportError ("module m not in sys.modules") when the entry is missing or is
 * another object. A certain runtime failure.
 *
 * Example:
 *     del sys.modules["bar"]
 *     importlib.reload(bar)    # ImportError
 */
#include "rule_util.h"

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_file_facts *f = &p->files.items[file].facts;
    const rl_event *e = &f->events.items[ev];
    if (e->nremovals == 0 || !rl_is_reload(e)) return;
    const char *m = e->paired;
    bool removed = false;
    for (uint32_t i = 0; i < e->nremovals; i++)
        removed |= rl_container_op_removes(f->events.items[e->removals[i]].op);
    rl_diag *d = rl_report(out, RL_RL202, p, file, e,
                           rl_arena_printf(out->arena, "`%s` reloaded after it was %s "
                                           "`sys.modules`: the reload raises ImportError", m,
                                           removed ? "removed from" : "replaced in"));
    d->target = m;
    d->help = rl_arena_printf(out->arena, "reload `%s` while it is still in `sys.modules`, or "
                              "`import %s` again instead of reloading it", m, m);
    for (uint32_t i = 0; i < e->nremovals; i++) {
        const rl_event *r = &f->events.items[e->removals[i]];
        bool rem = rl_container_op_removes(r->op);
        rl_diag_add_related(out, d, file, r->span,
                            rl_arena_printf(out->arena, "%s %s `sys.modules` here",
                                            rl_describe_keys(out, r),
                                            rem ? "removed from" : "replaced in"));
    }
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_reload_of_removed_module = {
    .code = "RL202",
    .name = "reload-of-removed-module",
    .severity = RL_SEV_ERROR,
    .summary = "A module is reloaded after its removal from `sys.modules`",
    .what = "Flags `importlib.reload(m)` (or `imp.reload`, `reload`) when `m` was removed from "
            "`sys.modules`, or its entry replaced, earlier on the same path of the same scope, "
            "with no import of `m` in between.",
    .why = "`reload()` looks the module's name up in `sys.modules` and raises ImportError "
           "(\"module m not in sys.modules\") when the entry is missing or holds another object. "
           "This fails every time the path runs.",
    .example = "import importlib, sys\nimport bar\n\ndel sys.modules[\"bar\"]\n"
               "importlib.reload(bar)  # ImportError\n",
    .use_instead = "import importlib\nimport bar\n\nimportlib.reload(bar)  # no removal needed\n",
    .check = check,
};
