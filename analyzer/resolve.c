/* resolve.c - name resolution through one file's bindings (see resolve.h). */
#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Alias chains longer than this are cycles (a = b; b = a) or absurd. */
#define RL_MAX_ALIAS_HOPS 16

/* Sort records carry what they compare, so the sort needs no shared context
 * (files are resolved in worker threads). */
typedef struct sort_rec {
    uint32_t scope;
    uint32_t index;
    const char *name;
} sort_rec;

static int cmp_rec(const void *a, const void *b)
{
    const sort_rec *x = a, *y = b;
    if (x->scope != y->scope) return x->scope < y->scope ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->index < y->index ? -1 : 1;
}

void rl_resolver_init(rl_resolver *r, const rl_file_facts *facts, rl_arena *arena)
{
    r->facts = facts;
    r->arena = arena;
    uint32_t n = facts->bindings.len;
    sort_rec *recs = rl_xmalloc(sizeof(sort_rec) * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++)
        recs[i] = (sort_rec){facts->bindings.items[i].scope, i, facts->bindings.items[i].name};
    if (n) qsort(recs, n, sizeof(sort_rec), cmp_rec);
    r->by_name = rl_xmalloc(sizeof(uint32_t) * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) r->by_name[i] = recs[i].index;
    free(recs);
}

void rl_resolver_release(rl_resolver *r)
{
    free(r->by_name);
    r->by_name = NULL;
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

static const char *resolve_depth(const rl_resolver *r, uint32_t scope, const char *dotted, int hops);

static bool is_py2_fallback(const rl_binding *b)
{
    return b->value && (rl_str_starts_with(b->value, "imp.") || strcmp(b->value, "imp") == 0 ||
                        rl_str_starts_with(b->value, "__builtin__"));
}

/* What the candidates of a name say it is, or NULL for a local object. */
static const char *from_candidates(const rl_resolver *r, uint32_t scope, uint32_t first,
                                   const char *name, size_t len, int hops)
{
    const rl_binding *b = r->facts->bindings.items;
    const rl_binding *chosen = NULL;
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
        case RL_BIND_DELETE:
            break;
        default:
            return NULL; /* a def, a parameter, a computed value: a local object */
        }
    }
    if (!chosen || !chosen->value) return NULL;
    if (chosen->kind == RL_BIND_ALIAS) {
        /* `x = x.y` style self references resolve in the enclosing view */
        return resolve_depth(r, chosen->scope, chosen->value, hops + 1);
    }
    return chosen->value;
}

static const char *resolve_depth(const rl_resolver *r, uint32_t scope, const char *dotted, int hops)
{
    if (!dotted || hops > RL_MAX_ALIAS_HOPS) return NULL;
    const char *dot = strchr(dotted, '.');
    size_t len = dot ? (size_t)(dot - dotted) : strlen(dotted);
    const rl_scope *scopes = r->facts->scopes.items;
    uint32_t s = scope;
    bool first_scope = true;
    const char *head = NULL;
    bool found = false;
    while (s != RL_NONE) {
        /* class bodies are not visible from the functions nested in them */
        if (scopes[s].kind == RL_SCOPE_CLASS && !first_scope) {
            s = scopes[s].parent;
            continue;
        }
        uint32_t first;
        lookup l = lookup_in(r, s, dotted, len, &first);
        if (l == FOUND) {
            head = from_candidates(r, s, first, dotted, len, hops);
            found = true;
            break;
        }
        if (l == GO_GLOBAL) {
            s = 0;
            first_scope = false;
            if (lookup_in(r, 0, dotted, len, &first) == FOUND) {
                head = from_candidates(r, 0, first, dotted, len, hops);
                found = true;
            }
            break;
        }
        first_scope = false;
        s = scopes[s].parent;
    }
    if (!found) return rl_arena_printf(r->arena, "builtins.%s", dotted);
    if (!head) return NULL;
    if (!dot) return head;
    return rl_arena_printf(r->arena, "%s%s", head, dot);
}

const char *rl_resolve(const rl_resolver *r, uint32_t scope, const char *dotted)
{
    return resolve_depth(r, scope, dotted, 0);
}
