/* RL304 stale-class-identity
 *
 * Flags: `isinstance(x, C)`, `issubclass(x, C)`, `except C:` and
 * `type(x) is C` where C is a class defined in a module that is reloaded in
 * the analyzed tree (or named by --assume-reloaded), whether C is written
 * `M.C` or imported. Reported at the class expression.
 *
 * Why: the reload creates a new class object. Instances created before keep
 * the old class, so the check fails for them even through `M.C`; exceptions
 * raised by old code slip past `except M.Error`.
 *
 * Example:
 *     except api.RateLimited:   # misses errors raised by pre-reload objects
 */
#include "graph.h"
#include "rule_util.h"

static const char *check_name(rl_ref_kind k)
{
    switch (k) {
    case RL_REF_ISINSTANCE: return "`isinstance` check";
    case RL_REF_ISSUBCLASS: return "`issubclass` check";
    case RL_REF_EXCEPT: return "`except` clause";
    case RL_REF_TYPE_IS: return "`type()` comparison";
    case RL_REF_DEFAULT_ARG:
    case RL_REF_ATTR_LOAD:
    case RL_REF_GETATTR:
    case RL_REF_FROM_IMPORT: break;
    }
    return NULL;
}

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    rl_origin_vec o = {0};
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        const rl_file_facts *facts = &file->facts;
        for (uint32_t i = 0; i < facts->refs.len; i++) {
            const rl_ref *r = &facts->refs.items[i];
            const char *what = check_name(r->kind);
            if (!what || !r->qual) continue;
            o.len = 0;
            rl_graph_origins_of_qual(p, f, r->qual, &o);
            for (uint32_t k = 0; k < o.len; k++) {
                const rl_origin *x = &o.items[k];
                const rl_module *origin = &p->graph->modules.items[x->module];
                if (x->kind != RL_ORIGIN_CLASS || !rl_module_reloaded(origin)) continue;
                rl_diag *d = rl_diag_add(out, RL_RL304, f, r->span,
                                         rl_arena_printf(out->arena, "%s against `%s`, a class of `%s`: "
                                                         "objects created before `%s` is reloaded "
                                                         "fail it%s", what, r->dotted, origin->name,
                                                         origin->name, rl_assumed_note(p, x->module)));
                d->module = file->module;
                d->symbol = x->binding ? x->binding->name : r->dotted;
                d->target = origin->name;
                d->help = "do not keep instances across a reload of their module, or compare by "
                          "qualified name (`type(x).__qualname__`)";
                rl_add_reload_sites(out, d, p, x->module);
                break;
            }
        }
    }
    rl_vec_release(&o);
}

const rl_rule rl_rule_stale_class_identity = {
    .code = "RL304",
    .name = "stale-class-identity",
    .severity = RL_SEV_WARNING,
    .summary = "A class check against a class of a reloaded module",
    .what = "Flags `isinstance`, `issubclass`, `except` and `type(x) is C` checks whose class is "
            "defined in a module that is reloaded in the analyzed tree (or named with "
            "`--assume-reloaded`), whether the class is written `M.C` or imported.",
    .why = "Reloading a module creates new class objects. Objects created before the reload keep "
           "their old class, so `isinstance(old, M.C)` is False, `except M.Error` lets errors "
           "raised by old code through, and enum members compare unequal - even when the check "
           "reads the class through the module.",
    .example = "import api\n\ntry:\n    client.fetch()\nexcept api.RateLimited:  # misses errors of pre-reload clients\n    retry()\n",
    .use_instead = "try:\n    client.fetch()\nexcept Exception as e:\n    if type(e).__qualname__ == \"RateLimited\":\n        retry()\n",
    .check = check,
};
