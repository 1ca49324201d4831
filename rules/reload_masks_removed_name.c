/* RL305 reload-masks-removed-name
 *
 * Flags: a reference to a name of a reloaded module M (with source here) that
 * M's current source does not bind at module level: `M.name` read through any
 * alias of the module object, `from M import name`, `getattr(M, "name")`.
 * Not flagged when M could still supply the name: a star import whose module
 * is unknown, has no source or provides it; a module `__getattr__`; dynamic
 * writes to M's namespace (globals(), vars(), sys.modules[__name__]); a
 * `global name` in a function of M; `M.name = v` / setattr(M, "name", v)
 * anywhere; a submodule M.name that exists as a file; module dunders.
 * Reported at the reference; related = every reload site of M.
 *
 * Why: importlib.reload executes the new source into the old module dict and
 * never deletes a name: a definition removed from the source lives on in the
 * running session, and every user of it breaks on the next fresh start.
 *
 * Example:
 *     bar.hello()    # `hello` was removed from bar.py; reload(bar) kept it
 */
#include "graph.h"
#include "resolve.h"
#include "rule_util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_STAR_DEPTH 8

typedef RL_VEC(const char *) str_vec;

/* Dunders of every module object (and of object); `__all__`, `__version__`
 * and the like are ordinary names. */
static bool module_dunder(const char *name)
{
    size_t l = strlen(name);
    if (l < 5 || strncmp(name, "__", 2) != 0 || strcmp(name + l - 2, "__") != 0) return false;
    static const char *const ordinary[] = {"__all__", "__version__", "__author__", "__copyright__",
                                           "__license__", "__email__", "__status__", "__credits__"};
    for (size_t i = 0; i < sizeof ordinary / sizeof ordinary[0]; i++)
        if (strcmp(name, ordinary[i]) == 0) return false;
    return true;
}

static bool binds_pseudo(const rl_file_facts *f, const char *pseudo, const char *value)
{
    uint32_t count, first = rl_bindings_of(f, 0, pseudo, &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (!value || (b->value && strcmp(b->value, value) == 0)) return true;
    }
    return false;
}

/* Could module mod supply `name` on a fresh start? Unknown means yes. */
static bool module_binds(const rl_project *p, uint32_t mod, const char *name, uint32_t depth)
{
    const rl_graph *g = p->graph;
    const rl_module *m = &g->modules.items[mod];
    if (m->file == RL_NONE || depth > MAX_STAR_DEPTH) return true;
    const rl_file *file = &p->files.items[m->file];
    const rl_file_facts *f = &file->facts;
    if (file->status != RL_FILE_OK || f->truncated || f->parse_timed_out || !f->binding_index)
        return true;
    char sub[512];
    if ((size_t)snprintf(sub, sizeof sub, "%s.%s", m->name, name) >= sizeof sub) return true;
    uint32_t s = rl_graph_find_from(g, sub, m->file);
    if (s != RL_NONE && g->modules.items[s].file != RL_NONE) return true; /* a submodule file */
    uint32_t count, first = rl_bindings_of(f, 0, name, &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (b->kind != RL_BIND_DELETE && !(b->flags & RL_BINDING_TYPE_CHECKING)) return true;
    }
    if (binds_pseudo(f, RL_PSEUDO_DYNAMIC, NULL) || binds_pseudo(f, "__getattr__", NULL) ||
        binds_pseudo(f, RL_PSEUDO_GLOBAL, name))
        return true;
    for (uint32_t i = 0; i < f->events.len; i++) {
        const rl_event *e = &f->events.items[i];
        /* `this.name = v` / setattr(this, "name" or computed, v) on an object of its own
           (this = sys.modules[__name__]); @enum.global_enum exports the members */
        if (e->kind == RL_EV_ATTR_ASSIGN && e->target &&
            (strcmp(e->target, name) == 0 || strcmp(e->target, "?") == 0))
            return true;
        if ((e->kind == RL_EV_DECORATOR || e->kind == RL_EV_CALL) && e->callee &&
            e->what == RL_RES_EFFECT) {
            /* IntEnum._convert_("X", __name__, ...) exports the members too */
            const char *dot = strrchr(e->callee, '.');
            const char *last = dot ? dot + 1 : e->callee;
            if (strcmp(last, "global_enum") == 0 || strcmp(last, "_convert_") == 0) return true;
        }
    }
    first = rl_bindings_of(f, 0, "*", &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (!b->value) return true;
        uint32_t from = rl_graph_find_from(g, b->value, m->file);
        if (from == RL_NONE || from == mod || module_binds(p, from, name, depth + 1)) return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "M\x1fname" for every `M.name = v` / setattr(M, "name", v) in the tree. */
static void collect_assigned(const rl_project *p, rl_arena *arena, str_vec *out)
{
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        for (uint32_t i = 0; i < file->facts.events.len; i++) {
            const rl_event *e = &file->facts.events.items[i];
            if (e->kind != RL_EV_ATTR_ASSIGN || e->what != RL_RES_EFFECT || !e->callee || !e->target) continue;
            const char *key = rl_arena_printf(arena, "%s\x1f%s", e->callee, e->target);
            rl_vec_push(out, key);
        }
    }
    if (out->len) qsort(out->items, out->len, sizeof(char *), cmp_str);
}

static bool assigned_elsewhere(const str_vec *assigned, const char *module, const char *name)
{
    if (!assigned->len) return false;
    char key[512];
    if ((size_t)snprintf(key, sizeof key, "%s\x1f%s", module, name) >= sizeof key) return false;
    const char *k = key;
    return bsearch(&k, assigned->items, assigned->len, sizeof(char *), cmp_str) != NULL;
}

typedef struct ctx {
    const rl_project *p;
    rl_diags *out;
    str_vec assigned;
} ctx;

/* --diff-base: a name M bound at REV and binds no more is reported unless it
 * demonstrably moved: to a submodule file, or to a module with source that M
 * star-imports. What only might supply it (an unknown star import, a module
 * __getattr__, dynamic writes) does not hide it. */
static bool moved(const rl_project *p, uint32_t mod, const char *name)
{
    const rl_graph *g = p->graph;
    const rl_module *m = &g->modules.items[mod];
    char sub[512];
    if ((size_t)snprintf(sub, sizeof sub, "%s.%s", m->name, name) >= sizeof sub) return true;
    uint32_t s = rl_graph_find_from(g, sub, m->file);
    if (s != RL_NONE && g->modules.items[s].file != RL_NONE) return true;
    const rl_file_facts *f = &p->files.items[m->file].facts;
    uint32_t count, first = rl_bindings_of(f, 0, "*", &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        uint32_t from = b->value ? rl_graph_find_from(g, b->value, m->file) : RL_NONE;
        if (from != RL_NONE && from != mod && g->modules.items[from].file != RL_NONE &&
            module_binds(p, from, name, 1))
            return true;
    }
    return false;
}

static bool removed_since(const rl_module *m, const char *name)
{
    return m->nremoved &&
           bsearch(&name, m->removed, m->nremoved, sizeof(char *), cmp_str) != NULL;
}

static void check_name(ctx *c, uint32_t file, rl_span span, uint32_t mod, const char *name)
{
    const rl_project *p = c->p;
    if (mod == RL_NONE || !name || !*name || strchr(name, '.') || module_dunder(name)) return;
    const rl_module *m = &p->graph->modules.items[mod];
    if (m->file == RL_NONE || !rl_module_reloaded(m)) return;
    rl_diags *out = c->out;
    const char *msg;
    if (removed_since(m, name)) {
        if (moved(p, mod, name)) return;
        msg = rl_arena_printf(out->arena, "`%s` was defined in `%s` at %s and is not any more: it only "
                              "lives on because reload never deletes names, and breaks on a fresh "
                              "start", name, m->name, p->options->diff_base);
    } else {
        if (module_binds(p, mod, name, 0) || assigned_elsewhere(&c->assigned, m->name, name)) return;
        msg = rl_arena_printf(out->arena, "`%s` is not defined in `%s` any more: it only lives on "
                              "because reload never deletes names, and breaks on a fresh start",
                              name, m->name);
    }
    rl_diag *d = rl_diag_add(out, RL_RL305, file, span, msg);
    d->module = p->files.items[file].module;
    d->symbol = name;
    d->target = m->name;
    d->help = rl_arena_printf(out->arena, "define `%s` in `%s` again, or update this reference; restart "
                              "the interpreter to see the failure", name, m->name);
    rl_add_reload_sites(out, d, p, mod);
}

/* M of `from M import x`: value "M.x" minus ".x". */
static uint32_t imported_from(const rl_project *p, uint32_t file, const char *value, const char *attr)
{
    char buf[512];
    size_t vl = strlen(value), al = strlen(attr);
    if (vl <= al + 1 || vl - al - 1 >= sizeof buf) return RL_NONE;
    memcpy(buf, value, vl - al - 1);
    buf[vl - al - 1] = 0;
    return rl_graph_find_from(p->graph, buf, file);
}

/* `X.a.b` with X a module object: the module the chain reaches and the first
 * name read from it. */
static void check_attr_load(ctx *c, uint32_t file, const rl_ref *r)
{
    const rl_graph *g = c->p->graph;
    char head[512];
    size_t ql = strlen(r->qual);
    if (ql >= sizeof head) return;
    memcpy(head, r->qual, ql + 1);
    for (const char *d = strchr(r->dotted, '.'); d; d = strchr(d + 1, '.')) {
        char *dot = strrchr(head, '.');
        if (!dot) return;
        *dot = 0;
    }
    if (rl_graph_find_from(g, head, file) == RL_NONE) return; /* the head is not a module object */
    uint32_t mod;
    const char *rest;
    if (!rl_graph_split(g, r->qual, file, &mod, &rest) || !*rest) return;
    char name[256];
    size_t nl = strcspn(rest, ".");
    if (nl >= sizeof name) return;
    memcpy(name, rest, nl);
    name[nl] = 0;
    check_name(c, file, r->span, mod, rl_arena_strdup(c->out->arena, name));
}

static bool in_function(const rl_file_facts *f, uint32_t scope)
{
    for (uint32_t s = scope; s != RL_NONE; s = f->scopes.items[s].parent)
        if (f->scopes.items[s].kind == RL_SCOPE_FUNCTION) return true;
    return false;
}

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    ctx c = {p, out, {0}};
    collect_assigned(p, out->arena, &c.assigned);
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        const rl_file_facts *facts = &file->facts;
        for (uint32_t i = 0; i < facts->bindings.len; i++) {
            const rl_binding *b = &facts->bindings.items[i];
            if (b->kind != RL_BIND_FROM_IMPORT || !b->value || !b->attr) continue;
            if (b->flags & (RL_BINDING_TYPE_CHECKING | RL_BINDING_IN_TRY)) continue;
            if (in_function(facts, b->scope)) continue; /* an RL_REF_FROM_IMPORT ref */
            check_name(&c, f, b->span, imported_from(p, f, b->value, b->attr), b->attr);
        }
        for (uint32_t i = 0; i < facts->refs.len; i++) {
            const rl_ref *r = &facts->refs.items[i];
            if (r->kind == RL_REF_FROM_IMPORT && r->param)
                check_name(&c, f, r->span, imported_from(p, f, r->dotted, r->param), r->param);
            else if ((r->kind == RL_REF_ATTR_LOAD || r->kind == RL_REF_GETATTR) && r->qual)
                check_attr_load(&c, f, r);
        }
    }
    rl_vec_release(&c.assigned);
}

const rl_rule rl_rule_reload_masks_removed_name = {
    .code = "RL305",
    .name = "reload-masks-removed-name",
    .severity = RL_SEV_WARNING,
    .summary = "A name the reloaded module no longer defines lives on only because reload never deletes names",
    .what = "Flags `M.name`, `from M import name` and `getattr(M, \"name\")` when M is reloaded in the "
            "analyzed tree (or named with `--assume-reloaded`) and M's current source does not bind "
            "`name` at module level. Not flagged when M could still supply the name: a star import "
            "of a module that is unknown, has no source or provides it, a module-level `__getattr__`, "
            "writes through `globals()`, `vars()` or `sys.modules[__name__]`, a `global name` in one "
            "of M's functions, `M.name = ...` or `setattr(M, \"name\", ...)` anywhere, a submodule "
            "`M.name` that exists as a file, and the attributes every module has (`__name__`, "
            "`__file__`, `__dict__`, ...).",
    .why = "`importlib.reload(M)` executes M's new source into the old module dictionary and never "
           "deletes a name. Remove `hello` from `bar.py`, reload `bar`, and `bar.hello()` still works "
           "in the running session, until the next fresh start, when every caller fails with "
           "`AttributeError` or `ImportError`.",
    .example = "# bar.py no longer defines hello; the session reloaded it\nimport bar\n\nbar.hello()\n",
    .use_instead = "# define hello in bar.py again, or update every caller\nimport bar\n\nbar.greet()\n",
    .check = check,
};
