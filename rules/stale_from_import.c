/* RL301 stale-from-import
 *
 * Flags: `from M import name` (module or class level) when the object behind
 * M.name is created by a module that is reloaded somewhere in the analyzed
 * tree (or named by --assume-reloaded). Re-exports are followed to the module
 * that creates the object. Reported at the imported name; related = every
 * reload site of that module.
 *
 * Why: the reload re-executes the module into the same module object and
 * binds NEW objects to its names; this binding was copied out before and
 * keeps the old one (old code, old state, a class old instances match).
 * Immutable constants are reported too: the copy keeps the old value.
 *
 * Example:
 *     from config import settings     # stale after importlib.reload(config)
 */
#include "graph.h"
#include "rule_util.h"

#include <string.h>

/* M of `from M import x`: the binding's value minus ".x". */
static uint32_t imported_from(const rl_project *p, uint32_t file, const rl_binding *b)
{
    char buf[512];
    size_t vl = strlen(b->value), al = strlen(b->attr);
    if (vl <= al + 1 || vl - al - 1 >= sizeof buf) return RL_NONE;
    memcpy(buf, b->value, vl - al - 1);
    buf[vl - al - 1] = 0;
    return rl_graph_find_from(p->graph, buf, file);
}

static void check_binding(const rl_project *p, uint32_t file, const rl_binding *b, rl_origin_vec *o,
                          rl_diags *out)
{
    const rl_graph *g = p->graph;
    uint32_t sub = rl_graph_find_from(g, b->value, file);
    if (sub != RL_NONE && g->modules.items[sub].file != RL_NONE) return; /* a submodule object */
    uint32_t from = imported_from(p, file, b);
    if (from == RL_NONE) return;
    o->len = 0;
    rl_graph_origins(p, from, b->attr, o);
    const char *self = p->files.items[file].module;
    for (uint32_t i = 0; i < o->len; i++) {
        const rl_origin *x = &o->items[i];
        const rl_module *origin = &g->modules.items[x->module];
        if (!rl_module_reloaded(origin) || (self && strcmp(origin->name, self) == 0)) continue;
        bool seen = false; /* one finding per reloaded creator */
        for (uint32_t k = 0; k < i; k++) seen |= o->items[k].module == x->module;
        if (seen) continue;
        const char *fromname = g->modules.items[from].name;
        const char *msg = x->kind == RL_ORIGIN_LITERAL
            ? rl_arena_printf(out->arena, "`%s` imported from `%s` is a value copy: it keeps the old "
                              "value after `%s` is reloaded%s", b->name, fromname, origin->name,
                              rl_assumed_note(p, x->module))
            : rl_arena_printf(out->arena, "`%s` imported from `%s` keeps the old %s after `%s` is "
                              "reloaded%s", b->name, fromname, rl_origin_word(x->kind),
                              origin->name, rl_assumed_note(p, x->module));
        rl_diag *d = rl_diag_add(out, RL_RL301, file, b->span, msg);
        d->module = self;
        d->symbol = b->name;
        d->target = origin->name;
        d->help = rl_arena_printf(out->arena, "`import %s` and use `%s.%s` where it is needed", fromname,
                                  fromname, b->attr);
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
            if (b->kind != RL_BIND_FROM_IMPORT || !b->attr || (b->flags & RL_BINDING_TYPE_CHECKING)) continue;
            if (!rl_scope_runs_at_import(facts, b->scope)) continue; /* re-run on every call */
            check_binding(p, f, b, &o, out);
        }
    }
    rl_vec_release(&o);
}

const rl_rule rl_rule_stale_from_import = {
    .code = "RL301",
    .name = "stale-from-import",
    .severity = RL_SEV_WARNING,
    .summary = "A name imported with `from M import name` goes stale when M is reloaded",
    .what = "Flags `from M import name` at module or class level when the object behind `M.name` is "
            "created by a module that is reloaded somewhere in the analyzed tree (or named with "
            "`--assume-reloaded`). Re-exports are followed to the module that creates the object; "
            "module objects, names re-exported from modules that are not reloaded, function-local "
            "imports and `if TYPE_CHECKING:` imports are not flagged.",
    .why = "`importlib.reload(M)` executes M again into the same module object and binds new objects "
           "to its names. A name copied out before keeps the old object: old code runs, old state is "
           "read, and instances of the new classes fail `isinstance` against the old class. An "
           "imported constant keeps its old value (a value copy).",
    .example = "from config import settings\n\ndef handler():\n    return settings.timeout  # old settings after reload(config)\n",
    .use_instead = "import config\n\ndef handler():\n    return config.settings.timeout  # looked up at use time\n",
    .check = check,
};
