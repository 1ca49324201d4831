/* RL402 reload-resets-state
 *
 * Flags: a module-level mutable container (dict, list, set, defaultdict,
 * Counter, OrderedDict, deque, weak containers) of a reloaded module M that
 * code in OTHER modules fills - directly (`M.REGISTRY[k] = v`,
 * `M.HANDLERS.append(f)`, `from M import REGISTRY; REGISTRY[k] = v`) or by
 * calling a function of M whose body fills it (`M.register(f)`,
 * `@M.register`). Reported at the container; related = the filling sites and
 * the reload sites.
 *
 * Why: the reload re-runs `REGISTRY = {}`: the registry starts empty again,
 * while the modules that filled it are not re-run - the plugins are gone.
 *
 * Example:
 *     PLUGINS = {}        # in plugins.py, reloaded; filled by other modules
 */
#include "graph.h"
#include "rule_util.h"

#include <string.h>

static const char *const container_makers[] = {
    "builtins.dict", "builtins.list", "builtins.set", "collections.defaultdict",
    "collections.OrderedDict", "collections.Counter", "collections.deque",
    "weakref.WeakValueDictionary", "weakref.WeakKeyDictionary", "weakref.WeakSet",
};

static bool is_container(const rl_binding *b)
{
    if (b->kind == RL_BIND_CONTAINER) return true;
    if (b->kind != RL_BIND_CALL || !b->qual) return false;
    for (size_t i = 0; i < sizeof container_makers / sizeof container_makers[0]; i++)
        if (strcmp(b->qual, container_makers[i]) == 0) return true;
    return false;
}

/* Whether q names `module` (graph id) attribute `name` (or something inside it). */
static bool names(const rl_project *p, uint32_t file, const char *q, uint32_t module, const char *name)
{
    uint32_t m;
    const char *attr;
    if (!q || !rl_graph_split(p->graph, q, file, &m, &attr) || m != module) return false;
    size_t n = strlen(name);
    /* M.REG and M.REG.sub, but not M.REG.copy(): a call result is another object */
    return strncmp(attr, name, n) == 0 && (attr[n] == 0 || attr[n] == '.') && !strstr(attr, "()");
}

typedef RL_VEC(const char *) name_vec;

/* Module-level functions of the reloaded module whose body fills `name`. */
static void filler_functions(const rl_project *p, const rl_module *mod, uint32_t m, const char *name,
                             name_vec *out)
{
    const rl_file_facts *f = &p->files.items[mod->file].facts;
    for (uint32_t i = 0; i < f->events.len; i++) {
        const rl_event *e = &f->events.items[i];
        if (e->kind != RL_EV_MUTATE || !e->callee || e->flow == 0) continue;
        const rl_scope *fn = &f->scopes.items[e->flow];
        if (fn->parent != 0 || !names(p, mod->file, e->callee, m, name)) continue;
        bool seen = false;
        for (uint32_t k = 0; k < out->len; k++) seen |= strcmp(out->items[k], fn->name) == 0;
        if (!seen) rl_vec_push(out, fn->name);
    }
}

static bool calls_filler(const rl_project *p, uint32_t file, const char *q, uint32_t module,
                         const name_vec *fillers)
{
    for (uint32_t k = 0; k < fillers->len; k++)
        if (names(p, file, q, module, fillers->items[k])) return true;
    return false;
}

/* The container's finding, made on its first filling site; its message is
 * written once the sites are counted. */
static rl_diag *finding(rl_diags *out, rl_diag *d, const rl_module *mod, const rl_binding *b)
{
    if (d) return d;
    d = rl_diag_add(out, RL_RL402, mod->file, b->span, "");
    d->module = mod->name;
    d->symbol = b->name;
    d->target = mod->name;
    return d;
}

static void check_container(const rl_project *p, uint32_t m, const rl_binding *b, rl_diags *out)
{
    const rl_module *mod = &p->graph->modules.items[m];
    name_vec fillers = {0};
    filler_functions(p, mod, m, b->name, &fillers);
    rl_diag *d = NULL;
    uint32_t count = 0;
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (f == mod->file || (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR)) continue;
        const rl_file_facts *facts = &file->facts;
        for (uint32_t i = 0; i < facts->events.len; i++) {
            const rl_event *e = &facts->events.items[i];
            bool fills = (e->kind == RL_EV_MUTATE && names(p, f, e->callee, m, b->name)) ||
                         ((e->kind == RL_EV_DECORATOR || e->kind == RL_EV_CALL) &&
                          calls_filler(p, f, e->callee, m, &fillers));
            if (!fills) continue;
            d = finding(out, d, mod, b);
            count++;
            rl_diag_add_related(out, d, f, e->span,
                                rl_arena_printf(out->arena, "`%s` filled here", b->name));
        }
        for (uint32_t i = 0; i < facts->calls.len && fillers.len; i++) {
            const rl_call_site *c = &facts->calls.items[i];
            if (!calls_filler(p, f, c->callee, m, &fillers)) continue;
            bool dup = false; /* a module-level call is also an event */
            for (uint32_t k = 0; d && k < d->nrelated; k++)
                dup |= d->related[k].file == f && d->related[k].span.line == c->span.line &&
                       d->related[k].span.col == c->span.col;
            if (dup) continue;
            d = finding(out, d, mod, b);
            count++;
            rl_diag_add_related(out, d, f, c->span,
                                rl_arena_printf(out->arena, "`%s` filled here through `%s`", b->name, c->callee));
        }
    }
    rl_vec_release(&fillers);
    if (!d) return;
    d->message = rl_arena_printf(out->arena, "`%s` is filled by other modules (%u place%s) but starts empty "
                                 "again when `%s` is reloaded%s", b->name, count, count == 1 ? "" : "s",
                                 mod->name, rl_assumed_note(p, m));
    d->help = "keep the registry in a module that is never reloaded, or re-register after the reload";
    rl_add_reload_sites(out, d, p, m);
}

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    const rl_graph *g = p->graph;
    for (uint32_t m = 0; m < g->modules.len; m++) {
        const rl_module *mod = &g->modules.items[m];
        if (mod->file == RL_NONE || !rl_module_reloaded(mod)) continue;
        const rl_file_facts *f = &p->files.items[mod->file].facts;
        for (uint32_t i = 0; i < f->bindings.len; i++) {
            const rl_binding *b = &f->bindings.items[i];
            /* a guarded definition (`if "REG" not in globals():`) survives the reload */
            if (b->scope == 0 && !(b->flags & (RL_BINDING_TYPE_CHECKING | RL_BINDING_GUARDED)) &&
                is_container(b))
                check_container(p, m, b, out);
        }
    }
}

const rl_rule rl_rule_reload_resets_state = {
    .code = "RL402",
    .name = "reload-resets-state",
    .severity = RL_SEV_WARNING,
    .summary = "A registry of a reloaded module that other modules fill starts empty again",
    .what = "Flags a module-level mutable container (`dict`, `list`, `set`, `defaultdict`, `Counter`, "
            "`OrderedDict`, `deque`, weak containers) of a reloaded module that code in other modules "
            "fills: directly (`M.REGISTRY[k] = v`, `M.HANDLERS.append(f)`, "
            "`from M import REGISTRY; REGISTRY[k] = v`) or through a function of `M` that fills it "
            "(`M.register(f)`, `@M.register`).",
    .why = "The reload re-runs `REGISTRY = {}`, so the container starts empty again - but the modules "
           "that filled it are not re-run. Plugins, handlers and routes registered from elsewhere "
           "silently disappear after a hot reload.",
    .example = "# plugins.py (reloaded)\nREGISTRY = {}\n\ndef register(fn):\n    REGISTRY[fn.__name__] = fn\n    return fn\n\n"
               "# app.py\nimport plugins\n\n@plugins.register\ndef hello(): ...\n",
    .use_instead = "# registry.py (never reloaded) holds REGISTRY; plugins.py imports it\nfrom registry import REGISTRY\n",
    .check = check,
};
