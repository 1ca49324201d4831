/* RL302 stale-alias
 *
 * Flags: `name = M.attr` at module or class level and default arguments
 * `def f(x=M.attr)` (M a module, reached through an import), when the object
 * behind M.attr is created by a reloaded module. Reported at `M.attr`.
 *
 * Why: both copy the object once - at import time or when the def runs. After
 * M is reloaded, M.attr is a new object and the copy still holds the old one.
 *
 * Example:
 *     handler = plugins.default_handler    # old handler after reload(plugins)
 */
#include "graph.h"
#include "rule_util.h"

static void report(const rl_project *p, uint32_t file, rl_span at, const char *symbol,
                   const char *written, const char *qual, bool default_arg, rl_origin_vec *o,
                   rl_diags *out)
{
    o->len = 0;
    rl_graph_origins_of_qual(p, file, qual, o);
    for (uint32_t i = 0; i < o->len; i++) {
        const rl_origin *x = &o->items[i];
        const rl_module *origin = &p->graph->modules.items[x->module];
        if (!rl_module_reloaded(origin)) continue;
        bool seen = false;
        for (uint32_t k = 0; k < i; k++) seen |= o->items[k].module == x->module;
        if (seen) continue;
        const char *what = x->kind == RL_ORIGIN_LITERAL ? "value (a value copy)" : rl_origin_word(x->kind);
        const char *msg = default_arg
            ? rl_arena_printf(out->arena, "default argument `%s` is evaluated once: it keeps the old "
                              "%s after `%s` is reloaded%s", written, what, origin->name,
                              rl_assumed_note(p, x->module))
            : rl_arena_printf(out->arena, "`%s = %s` keeps the old %s after `%s` is reloaded%s",
                              symbol, written, what, origin->name, rl_assumed_note(p, x->module));
        rl_diag *d = rl_diag_add(out, RL_RL302, file, at, msg);
        d->module = p->files.items[file].module;
        d->symbol = symbol;
        d->target = origin->name;
        d->help = default_arg
            ? rl_arena_printf(out->arena, "default to `None` and read `%s` inside the function", written)
            : rl_arena_printf(out->arena, "read `%s` where it is used instead of copying it", written);
        rl_add_reload_sites(out, d, p, x->module);
    }
}

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    rl_origin_vec o = {0};
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        const rl_file_facts *facts = &file->facts;
        for (uint32_t i = 0; i < facts->bindings.len; i++) {
            const rl_binding *b = &facts->bindings.items[i];
            if (b->kind != RL_BIND_ALIAS || !b->qual || !b->qual_via_import) continue;
            if ((b->flags & RL_BINDING_TYPE_CHECKING) || !rl_scope_runs_at_import(facts, b->scope)) continue;
            report(p, f, b->value_span, b->name, b->value, b->qual, false, &o, out);
        }
        for (uint32_t i = 0; i < facts->refs.len; i++) {
            const rl_ref *r = &facts->refs.items[i];
            if (r->kind != RL_REF_DEFAULT_ARG || !r->via_import) continue;
            report(p, f, r->span, r->param, r->dotted, r->qual, true, &o, out);
        }
    }
    rl_vec_release(&o);
}

const rl_rule rl_rule_stale_alias = {
    .code = "RL302",
    .name = "stale-alias",
    .severity = RL_SEV_WARNING,
    .summary = "A copy of `M.attr` (alias or default argument) goes stale when M is reloaded",
    .what = "Flags `name = M.attr` at module or class level and default arguments `def f(x=M.attr)` "
            "when the object behind `M.attr` is created by a module that is reloaded in the analyzed "
            "tree (or named with `--assume-reloaded`).",
    .why = "Both forms copy the object once: the assignment when the module or class body runs, the "
           "default when the `def` runs. After the reload `M.attr` is a new object, but the copy "
           "still holds the old function, class or value.",
    .example = "import plugins\n\nhandler = plugins.default_handler\n\ndef run(h=plugins.default_handler):\n    ...\n",
    .use_instead = "import plugins\n\ndef run(h=None):\n    h = h or plugins.default_handler  # looked up per call\n",
    .check = check,
};
