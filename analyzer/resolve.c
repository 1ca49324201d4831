/* resolve.c - name resolution through one file's bindings (see resolve.h). */
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Alias chains longer than this are cycles (a = b; b = a) or absurd. */
#define RL_MAX_ALIAS_HOPS 16

/* Sort records carry what they compare, so the sort needs no shared context
 * (files are resolved in worker threads). The first eight bytes of the name,
 * packed big-endian, order like strcmp and settle most comparisons without it. */
typedef struct sort_rec {
    uint32_t scope;
    uint32_t index;
    uint64_t prefix;
    const char *name;
} sort_rec;

static uint64_t name_prefix(const char *name)
{
    uint64_t p = 0;
    int i = 0;
    for (; i < 8 && name[i]; i++) p = p << 8 | (uint8_t)name[i];
    return i == 0 ? 0 : p << (8 * (8 - i)); /* a shift by 64 is undefined */
}

static int cmp_rec(const void *a, const void *b)
{
    const sort_rec *x = a, *y = b;
    if (x->scope != y->scope) return x->scope < y->scope ? -1 : 1;
    if (x->prefix != y->prefix) return x->prefix < y->prefix ? -1 : 1;
    if ((x->prefix & 0xff) != 0) { /* both names are 8 bytes or longer */
        int c = strcmp(x->name + 8, y->name + 8);
        if (c) return c;
    }
    return x->index < y->index ? -1 : 1;
}

void rl_resolver_index(rl_file_facts *facts)
{
    uint32_t n = facts->bindings.len;
    sort_rec *recs = rl_xmalloc(sizeof(sort_rec) * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) {
        const rl_binding *b = &facts->bindings.items[i];
        recs[i] = (sort_rec){b->scope, i, name_prefix(b->name), b->name};
    }
    if (n) qsort(recs, n, sizeof(sort_rec), cmp_rec);
    facts->binding_index = rl_arena_alloc(&facts->arena, sizeof(uint32_t) * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) facts->binding_index[i] = recs[i].index;
    free(recs);
}

void rl_resolver_init(rl_resolver *r, const rl_file_facts *facts, const char *module, rl_arena *arena)
{
    if (!facts->binding_index && facts->bindings.len) RL_BUG("rl_resolver_init: bindings not indexed");
    r->facts = facts;
    r->module = module;
    r->arena = arena;
    r->by_name = facts->binding_index;
}

/* First index in by_name of (scope, name, len), or RL_NONE. */
static uint32_t find_first(const rl_resolver *r, uint32_t scope, const char *name, size_t len)
{
    const rl_binding *b = r->facts->bindings.items;
    uint32_t lo = 0, hi = r->facts->bindings.len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const rl_binding *m = &b[r->by_name[mid]];
        int c = m->scope < scope ? -1 : m->scope > scope ? 1 : strncmp(m->name, name, len);
        if (c == 0 && m->name[len] != 0) c = 1; /* m->name is longer: sorts after */
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    if (lo < r->facts->bindings.len) {
        const rl_binding *m = &b[r->by_name[lo]];
        if (m->scope == scope && strncmp(m->name, name, len) == 0 && m->name[len] == 0) return lo;
    }
    return RL_NONE;
}

static bool same_name(const rl_binding *b, uint32_t scope, const char *name, size_t len)
{
    return b->scope == scope && strncmp(b->name, name, len) == 0 && b->name[len] == 0;
}

typedef enum lookup { FOUND, NOT_HERE, GO_GLOBAL, GO_OUTER } lookup;

/* The candidate bindings of name in scope: FOUND with *first set, or where to look next. */
static lookup lookup_in(const rl_resolver *r, uint32_t scope, const char *name, size_t len,
                        uint32_t *first)
{
    uint32_t i = find_first(r, scope, name, len);
    if (i == RL_NONE) return NOT_HERE;
    const rl_binding *b = r->facts->bindings.items;
    bool any_binding = false;
    for (uint32_t k = i; k < r->facts->bindings.len && same_name(&b[r->by_name[k]], scope, name, len); k++) {
        rl_binding_kind kind = b[r->by_name[k]].kind;
        if (kind == RL_BIND_GLOBAL_DECL) return GO_GLOBAL;
        if (kind == RL_BIND_NONLOCAL_DECL) return GO_OUTER;
        any_binding = true;
    }
    if (!any_binding) return NOT_HERE;
    *first = i;
    return FOUND;
}

/* "module.name" for name[0..len) */
static const char *join_name(rl_arena *a, const char *module, const char *name, size_t len)
{
    size_t ml = strlen(module);
    char *p = rl_arena_alloc(a, ml + 1 + len + 1);
    memcpy(p, module, ml);
    p[ml] = '.';
    memcpy(p + ml + 1, name, len);
    p[ml + 1 + len] = 0;
    return p;
}

typedef struct result {
    const char *qual;       /* qualified name, or NULL for a local object */
    rl_binding_kind kind;   /* how the head name was bound (after alias hops) */
} result;

static result resolve_depth(const rl_resolver *r, uint32_t scope, const char *dotted, int hops);

static bool is_py2_fallback(const rl_binding *b)
{
    return b->value && (rl_str_starts_with(b->value, "imp.") || strcmp(b->value, "imp") == 0 ||
                        rl_str_starts_with(b->value, "__builtin__"));
}

bool rl_binding_is_local_object(const rl_binding *b)
{
    switch (b->kind) {
    case RL_BIND_IMPORT: case RL_BIND_FROM_IMPORT: case RL_BIND_STAR_IMPORT: case RL_BIND_ALIAS:
    case RL_BIND_DELETE: case RL_BIND_GLOBAL_DECL: case RL_BIND_NONLOCAL_DECL:
        return false;
    default:
        return true;
    }
}

/* What the candidates of a name say it is. A module-level definition is
 * "<module>.<name>"; anything else that is not an import is a local object. */
static result from_candidates(const rl_resolver *r, uint32_t scope, uint32_t first,
                              const char *name, size_t len, int hops)
{
    const rl_binding *b = r->facts->bindings.items;
    const rl_binding *chosen = NULL, *local = NULL;
    for (uint32_t k = first; k < r->facts->bindings.len && same_name(&b[r->by_name[k]], scope, name, len); k++) {
        const rl_binding *c = &b[r->by_name[k]];
        if (c->flags & RL_BINDING_TYPE_CHECKING) continue; /* never runs */
        switch (c->kind) {
        case RL_BIND_IMPORT:
        case RL_BIND_FROM_IMPORT:
        case RL_BIND_ALIAS:
            /* try/except and version-check fallbacks bind one name twice:
               prefer what Python 3 runs (not `imp`/`__builtin__`), then the
               first in source order */
            if (!chosen || (is_py2_fallback(chosen) && !is_py2_fallback(c))) chosen = c;
            break;
        default:
            if (!local && rl_binding_is_local_object(c)) local = c;
            break;
        }
    }
    result res = {NULL, RL_BIND_OTHER};
    if (local) {
        /* a def, a parameter, a computed value shadows any import of the name */
        res.kind = local->kind;
        if (scope == 0 && r->module)
            res.qual = join_name(r->arena, r->module, name, len);
        return res;
    }
    if (!chosen || !chosen->value) return res;
    if (chosen->kind == RL_BIND_ALIAS) {
        /* `x = y.z`: what y.z is, seen from where the alias was bound */
        return resolve_depth(r, chosen->scope, chosen->value, hops + 1);
    }
    res.qual = chosen->value;
    res.kind = chosen->kind;
    return res;
}

/* Names a star import of a well-known module provides. A star import of
 * anything else may provide any name, so an unbound name is unknown, not a
 * builtin. */
static const char *star_provides(const char *module, const char *name, size_t len)
{
    static const struct { const char *module, *names; } known[] = {
        {"importlib", " reload import_module __import__ invalidate_caches "},
        {"imp", " reload load_module find_module new_module "},
        {"sys", " modules path meta_path path_hooks "},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(known[i].module, module) != 0) continue;
        for (const char *p = strstr(known[i].names, " "); p && p[1]; p = strchr(p + 1, ' '))
            if (strncmp(p + 1, name, len) == 0 && p[1 + len] == ' ') return module;
        return NULL;
    }
    return NULL;
}

static result unbound(const rl_resolver *r, const char *dotted, size_t len)
{
    result res = {NULL, RL_BIND_OTHER};
    uint32_t first;
    if (lookup_in(r, 0, "*", 1, &first) == FOUND) {
        const rl_binding *b = r->facts->bindings.items;
        for (uint32_t k = first; k < r->facts->bindings.len && same_name(&b[r->by_name[k]], 0, "*", 1); k++) {
            const char *m = star_provides(b[r->by_name[k]].value, dotted, len);
            if (m) {
                res.qual = rl_arena_join(r->arena, m, strlen(m), '.', dotted);
                res.kind = RL_BIND_FROM_IMPORT;
                return res;
            }
        }
        return res; /* may come from the star import: unknown */
    }
    res.qual = rl_arena_join(r->arena, "builtins", 8, '.', dotted);
    return res;
}

static result resolve_depth(const rl_resolver *r, uint32_t scope, const char *dotted, int hops)
{
    result none = {NULL, RL_BIND_OTHER};
    if (!dotted || hops > RL_MAX_ALIAS_HOPS) return none;
    const char *dot = strchr(dotted, '.');
    size_t len = dot ? (size_t)(dot - dotted) : strlen(dotted);
    const rl_scope *scopes = r->facts->scopes.items;
    uint32_t s = scope;
    bool first_scope = true;
    while (s != RL_NONE) {
        /* class bodies are not visible from the functions nested in them */
        if (scopes[s].kind == RL_SCOPE_CLASS && !first_scope) {
            s = scopes[s].parent;
            continue;
        }
        uint32_t first;
        lookup l = lookup_in(r, s, dotted, len, &first);
        if (l == GO_GLOBAL) {
            s = 0;
            l = lookup_in(r, 0, dotted, len, &first);
            if (l != FOUND) return unbound(r, dotted, len);
        }
        if (l == FOUND) {
            result head = from_candidates(r, s, first, dotted, len, hops);
            if (head.qual && dot) head.qual = rl_arena_join(r->arena, head.qual, strlen(head.qual), 0, dot);
            return head;
        }
        first_scope = false;
        s = scopes[s].parent;
    }
    return unbound(r, dotted, len);
}

uint32_t rl_bindings_of(const rl_file_facts *f, uint32_t scope, const char *name, uint32_t *count)
{
    rl_resolver r = {.facts = f, .by_name = f->binding_index};
    *count = 0;
    if (!f->binding_index) return RL_NONE;
    size_t len = strlen(name);
    uint32_t first = find_first(&r, scope, name, len);
    if (first == RL_NONE) return RL_NONE;
    uint32_t k = first;
    while (k < f->bindings.len && same_name(&f->bindings.items[f->binding_index[k]], scope, name, len)) k++;
    *count = k - first;
    return first;
}

const char *rl_resolve(const rl_resolver *r, uint32_t scope, const char *dotted)
{
    return resolve_depth(r, scope, dotted, 0).qual;
}

const char *rl_resolve_ex(const rl_resolver *r, uint32_t scope, const char *dotted, bool *via_import)
{
    result res = resolve_depth(r, scope, dotted, 0);
    *via_import = res.qual && (res.kind == RL_BIND_IMPORT || res.kind == RL_BIND_FROM_IMPORT);
    return res.qual;
}

const char *rl_resolve_module(const rl_resolver *r, uint32_t scope, const char *dotted)
{
    result res = resolve_depth(r, scope, dotted, 0);
    if (res.kind != RL_BIND_IMPORT && res.kind != RL_BIND_FROM_IMPORT) return NULL;
    return res.qual;
}
