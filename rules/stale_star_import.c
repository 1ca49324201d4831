/* RL303 stale-star-import
 *
 * Flags: `from M import *` at module level when M is reloaded in the analyzed
 * tree (or named by --assume-reloaded). Reported at the statement.
 *
 * Why: a star import copies every public name of M into the importing module.
 * After M is reloaded all of them still refer to the old objects, and none of
 * the copies shows up as an import of a specific name.
 *
 * Example:
 *     from helpers import *     # every helper is stale after reload(helpers)
 */
#include "graph.h"
#include "rule_util.h"

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        const rl_file_facts *facts = &file->facts;
        for (uint32_t i = 0; i < facts->bindings.len; i++) {
            const rl_binding *b = &facts->bindings.items[i];
            if (b->kind != RL_BIND_STAR_IMPORT || (b->flags & RL_BINDING_TYPE_CHECKING)) continue;
            if (!rl_scope_runs_at_import(facts, b->scope)) continue;
            uint32_t m = rl_graph_find_from(p->graph, b->value, f);
            if (m == RL_NONE || !rl_module_reloaded(&p->graph->modules.items[m])) continue;
            rl_diag *d = rl_diag_add(out, RL_RL303, f, b->span,
                                     rl_arena_printf(out->arena, "`from %s import *` copies every name of "
                                                     "`%s`: they keep the old objects after `%s` is "
                                                     "reloaded%s", b->value, b->value, b->value,
                                                     rl_assumed_note(p, m)));
            d->module = file->module;
            d->symbol = "*";
            d->target = b->value;
            d->help = rl_arena_printf(out->arena, "`import %s` and use its names through the module",
                                      b->value);
            rl_add_reload_sites(out, d, p, m);
        }
    }
}

const rl_rule rl_rule_stale_star_import = {
    .code = "RL303",
    .name = "stale-star-import",
    .severity = RL_SEV_WARNING,
    .summary = "`from M import *` of a module that is reloaded",
    .what = "Flags `from M import *` when `M` is reloaded somewhere in the analyzed tree (or named "
            "with `--assume-reloaded`).",
    .why = "A star import copies every public name of `M` into the importing module. After `M` is "
           "reloaded, all of those copies still refer to the old functions, classes and values - "
           "and nothing in the importing module names them, so the staleness is invisible.",
    .example = "from helpers import *\n\nformat_row(row)  # old code after reload(helpers)\n",
    .use_instead = "import helpers\n\nhelpers.format_row(row)\n",
    .check = check,
};
