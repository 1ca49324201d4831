/* RL204 reload-skips-submodules
 *
 * Flags: a reload of a package whose `__init__.py` re-exports names from its
 * own submodules (`from .core import helper`, `from . import core`).
 * Reported at each reload site; related = the re-exporting imports.
 *
 * Why: reloading a package re-runs only `__init__.py`. Its submodules are
 * already in sys.modules, so the re-run re-imports the OLD submodule objects:
 * the re-exported names keep the old code - the reload seems to do nothing.
 *
 * Example:
 *     importlib.reload(mypkg)    # mypkg.helper is still the old code
 */
#include "graph.h"
#include "rule_util.h"

#include <string.h>

/* A from-import of the package's own submodule: `from .core import x`,
 * `from pkg.core import x`, `from . import core`. */
static const char *submodule_of(const rl_binding *b, const char *pkg, const rl_graph *g, uint32_t file)
{
    size_t pl = strlen(pkg);
    if (b->kind != RL_BIND_FROM_IMPORT || !b->value || strncmp(b->value, pkg, pl) != 0 || b->value[pl] != '.')
        return NULL;
    /* value = "<pkg>.<sub...>.<attr>" or "<pkg>.<sub>" (from . import sub) */
    uint32_t whole = rl_graph_find_from(g, b->value, file);
    if (whole != RL_NONE && g->modules.items[whole].file != RL_NONE) return g->modules.items[whole].name;
    size_t vl = strlen(b->value), al = b->attr ? strlen(b->attr) : 0;
    if (vl <= al + 1 + pl) return NULL; /* from pkg import x: the package itself */
    return b->value; /* the submodule part is a prefix; the full value names it well enough */
}

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    const rl_graph *g = p->graph;
    for (uint32_t m = 0; m < g->modules.len; m++) {
        const rl_module *mod = &g->modules.items[m];
        if (mod->file == RL_NONE || !mod->sites.len || !p->files.items[mod->file].is_package) continue;
        const rl_file_facts *init = &p->files.items[mod->file].facts;
        const rl_binding *first = NULL;
        uint32_t count = 0;
        for (uint32_t i = 0; i < init->bindings.len; i++) {
            const rl_binding *b = &init->bindings.items[i];
            if (b->scope != 0 || (b->flags & RL_BINDING_TYPE_CHECKING) || !submodule_of(b, mod->name, g, mod->file)) continue;
            if (!first) first = b;
            count++;
        }
        if (!first) continue;
        for (uint32_t s = 0; s < mod->sites.len; s++) {
            const rl_reload_site *site = &mod->sites.items[s];
            rl_diag *d = rl_diag_add(out, RL_RL204, site->file, site->span,
                                     rl_arena_printf(out->arena, "`%s` is a package: the reload re-runs "
                                                     "only its `__init__.py`, and the %u name%s it "
                                                     "re-exports from its submodules keep the old code",
                                                     mod->name, count, count == 1 ? "" : "s"));
            d->module = p->files.items[site->file].module;
            d->target = mod->name;
            d->help = "reload the submodules first, then the package";
            for (uint32_t i = 0; i < init->bindings.len; i++) {
                const rl_binding *b = &init->bindings.items[i];
                if (b->scope != 0 || (b->flags & RL_BINDING_TYPE_CHECKING) || !submodule_of(b, mod->name, g, mod->file)) continue;
                uint32_t whole = rl_graph_find_from(g, b->value, mod->file);
                bool is_module = whole != RL_NONE && g->modules.items[whole].file != RL_NONE;
                size_t from_len = strlen(b->value) - (b->attr ? strlen(b->attr) + 1 : 0);
                rl_diag_add_related(out, d, mod->file, b->span,
                                    is_module
                                        ? rl_arena_printf(out->arena, "submodule `%s` imported here", b->value)
                                        : rl_arena_printf(out->arena, "`%s` re-exported from `%.*s` here",
                                                          b->name, (int)from_len, b->value));
            }
        }
    }
}

const rl_rule rl_rule_reload_skips_submodules = {
    .code = "RL204",
    .name = "reload-skips-submodules",
    .severity = RL_SEV_WARNING,
    .summary = "A package is reloaded but the names it re-exports from submodules are not",
    .what = "Flags reloads of a package whose `__init__.py` re-exports names from its own "
            "submodules (`from .core import helper`, `from . import core`).",
    .why = "Reloading a package re-runs only `__init__.py`. The submodules are still in "
           "`sys.modules`, so the re-run imports the OLD submodule objects again: every re-exported "
           "name keeps the old code, and the reload seems to do nothing.",
    .example = "import importlib\nimport mypkg  # __init__: from .core import helper\n\nimportlib.reload(mypkg)  # mypkg.helper is the old code\n",
    .use_instead = "import importlib\nimport mypkg\nimport mypkg.core\n\nimportlib.reload(mypkg.core)\nimportlib.reload(mypkg)\n",
    .check = check,
};
