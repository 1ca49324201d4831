/* graph.c - the module graph, reload targets and name origins (see graph.h). */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "modname.h"
#include "project.h"
#include "resolve.h"
#include "util.h"

/* Re-export chains longer than this are cycles or absurd. */
#define RL_MAX_CHAIN 24

/* ---- the module table --------------------------------------------------------- */

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The node for name as seen from import root `root`: the node of that root,
 * else the first node with source (files are sorted, so this is stable),
 * else the node without source. Several roots may hold the same module name
 * (tests/ and src/, sibling script folders): each sees its own. */
static uint32_t find_in_root(const rl_graph *g, const char *name, uint32_t root)
{
    if (!g->nslots) return RL_NONE;
    uint32_t best = RL_NONE;
    for (uint32_t i = hash_name(name) & (g->nslots - 1);; i = (i + 1) & (g->nslots - 1)) {
        uint32_t slot = g->slots[i];
        if (slot == 0) return best;
        uint32_t id = slot - 1;
        const rl_module *m = &g->modules.items[id];
        if (strcmp(m->name, name) != 0) continue;
        if (root != RL_NONE && m->root == root) return id;
        if (best == RL_NONE) { best = id; continue; }
        const rl_module *b = &g->modules.items[best];
        /* prefer source, then the lowest id (the first file in path order) */
        if ((b->file == RL_NONE && m->file != RL_NONE) || (m->file != RL_NONE && id < best)) best = id;
    }
}

uint32_t rl_graph_find(const rl_graph *g, const char *name) { return find_in_root(g, name, RL_NONE); }

uint32_t rl_graph_find_from(const rl_graph *g, const char *name, uint32_t file)
{
    return find_in_root(g, name, file != RL_NONE && file < g->nfiles ? g->file_root[file] : RL_NONE);
}

static void insert_slot(rl_graph *g, uint32_t id)
{
    uint32_t i = hash_name(g->modules.items[id].name) & (g->nslots - 1);
    while (g->slots[i]) i = (i + 1) & (g->nslots - 1);
    g->slots[i] = id + 1;
}

static void rehash(rl_graph *g, uint32_t nslots)
{
    free(g->slots);
    g->slots = rl_xcalloc(nslots, sizeof(uint32_t));
    g->nslots = nslots;
    for (uint32_t m = 0; m < g->modules.len; m++) insert_slot(g, m);
}

/* The node of (name, root): a module with source in that root; or, with
 * root RL_NONE, a module without source, for which any existing node of the
 * same name already stands. */
static uint32_t add_module(rl_graph *g, const char *name, uint32_t file, uint32_t root)
{
    uint32_t id = find_in_root(g, name, root);
    if (id != RL_NONE && (root == RL_NONE || g->modules.items[id].root == root)) return id;
    rl_module m = {0};
    m.name = name;
    m.file = file;
    m.root = root;
    rl_vec_push(&g->modules, m);
    if ((g->modules.len + 1) * 2 > g->nslots) rehash(g, g->nslots ? g->nslots * 2 : 256);
    else insert_slot(g, g->modules.len - 1);
    return g->modules.len - 1;
}

/* Adds "a.b.c" and its parents "a", "a.b" as nodes. */
static void add_with_parents(rl_graph *g, rl_arena *a, const char *name)
{
    if (!name || !*name) return;
    for (const char *p = strchr(name, '.'); p; p = strchr(p + 1, '.'))
        add_module(g, rl_arena_strndup(a, name, (size_t)(p - name)), RL_NONE, RL_NONE);
    add_module(g, name, RL_NONE, RL_NONE);
}

/* The module part of a from-import binding: value "M.x" minus ".x". */
static const char *from_module(rl_arena *a, const rl_binding *b)
{
    size_t vl = strlen(b->value), al = b->attr ? strlen(b->attr) : 0;
    if (!b->attr || vl <= al + 1) return NULL;
    return rl_arena_strndup(a, b->value, vl - al - 1);
}

/* The module id of a from-import's module part, without allocating. */
static uint32_t from_module_id(const rl_graph *g, const rl_binding *b, uint32_t root)
{
    char buf[512];
    size_t vl = strlen(b->value), al = b->attr ? strlen(b->attr) : 0;
    if (!b->attr || vl <= al + 1 || vl - al - 1 >= sizeof buf) return RL_NONE;
    memcpy(buf, b->value, vl - al - 1);
    buf[vl - al - 1] = 0;
    return find_in_root(g, buf, root);
}

static bool split_in_root(const rl_graph *g, const char *qual, uint32_t root, uint32_t *module,
                          const char **attr)
{
    size_t len = strlen(qual);
    char buf[512];
    if (len >= sizeof buf) return false;
    memcpy(buf, qual, len + 1);
    for (;;) {
        uint32_t id = find_in_root(g, buf, root);
        if (id != RL_NONE) {
            *module = id;
            size_t ml = strlen(buf);
            *attr = qual[ml] == '.' ? qual + ml + 1 : qual + ml;
            return true;
        }
        char *dot = strrchr(buf, '.');
        if (!dot) return false;
        *dot = 0;
    }
}

bool rl_graph_split(const rl_graph *g, const char *qual, uint32_t file, uint32_t *module,
                    const char **attr)
{
    return split_in_root(g, qual, file != RL_NONE && file < g->nfiles ? g->file_root[file] : RL_NONE,
                         module, attr);
}

/* ---- origins ------------------------------------------------------------------- */

typedef struct visit {
    uint32_t module;
    const char *name;
} visit;

typedef struct origin_walk {
    const rl_project *p;
    rl_origin_vec *out;
    visit stack[RL_MAX_CHAIN];
    uint32_t depth;
} origin_walk;

static void push_origin(origin_walk *w, uint32_t module, rl_origin_kind kind, const rl_binding *b)
{
    for (uint32_t i = 0; i < w->out->len; i++)
        if (w->out->items[i].module == module && w->out->items[i].binding == b) return;
    rl_origin o = {module, kind, b};
    rl_vec_push(w->out, o);
}

static void origins(origin_walk *w, uint32_t module, const char *name, size_t namelen);

/* The origins of a qualified name seen from inside module `from`. An
 * attribute path past the first name ("C.method") belongs to the object of
 * that first name: it is re-created whenever that object is. */
static void origins_of_qual(origin_walk *w, const char *qual, uint32_t root)
{
    const rl_graph *g = w->p->graph;
    uint32_t m;
    const char *attr;
    if (!qual || rl_str_starts_with(qual, "builtins.")) return;
    if (!split_in_root(g, qual, root, &m, &attr) || !*attr) return; /* unknown, or a module object */
    const char *dot = strchr(attr, '.');
    size_t n = dot ? (size_t)(dot - attr) : strlen(attr);
    uint32_t before = w->out->len;
    origins(w, m, attr, n);
    if (dot)
        for (uint32_t i = before; i < w->out->len; i++)
            if (w->out->items[i].kind != RL_ORIGIN_LITERAL) w->out->items[i].kind = RL_ORIGIN_OBJECT;
}

/* Calls that hand out a cached, process-wide object. */
static bool is_cached_getter(const char *qual)
{
    static const char *const getters[] = {
        "logging.getLogger", "re.compile", "sys.intern", "codecs.lookup", "locale.getpreferredencoding",
    };
    for (size_t i = 0; i < sizeof getters / sizeof getters[0]; i++)
        if (strcmp(qual, getters[i]) == 0) return true;
    return false;
}

static void origins_of_binding(origin_walk *w, uint32_t module, const rl_binding *b)
{
    const rl_graph *g = w->p->graph;
    uint32_t root = g->modules.items[module].root;
    switch (b->kind) {
    case RL_BIND_DEF: push_origin(w, module, RL_ORIGIN_FUNCTION, b); break;
    case RL_BIND_CLASS: push_origin(w, module, RL_ORIGIN_CLASS, b); break;
    case RL_BIND_LITERAL: push_origin(w, module, RL_ORIGIN_LITERAL, b); break;
    case RL_BIND_CALL:
        if (b->qual && is_cached_getter(b->qual)) {
            /* logging.getLogger(), re.compile(): the same object comes back
               after a reload; it belongs to the getter's module */
            uint32_t m;
            const char *attr;
            if (split_in_root(g, b->qual, root, &m, &attr)) push_origin(w, m, RL_ORIGIN_OBJECT, NULL);
            break;
        }
        push_origin(w, module, RL_ORIGIN_OBJECT, b);
        break;
    case RL_BIND_CONTAINER:
    case RL_BIND_LAMBDA:
    case RL_BIND_LOOP_VAR:
    case RL_BIND_OTHER: push_origin(w, module, RL_ORIGIN_OBJECT, b); break;
    case RL_BIND_FROM_IMPORT: {
        /* `from pkg import sub` binds a module object when pkg/sub exists */
        uint32_t sub = find_in_root(g, b->value, root);
        if (sub != RL_NONE && g->modules.items[sub].file != RL_NONE) break;
        uint32_t m = from_module_id(g, b, root);
        if (m != RL_NONE) origins(w, m, b->attr, strlen(b->attr));
        break;
    }
    case RL_BIND_ALIAS:
        origins_of_qual(w, b->qual, root);
        break;
    default: /* import (a module object), declarations, deletions */
        break;
    }
}

static void origins(origin_walk *w, uint32_t module, const char *name, size_t namelen)
{
    const rl_project *p = w->p;
    const rl_module *mod = &p->graph->modules.items[module];
    if (mod->file == RL_NONE) {
        /* no source: whatever it exports, it creates */
        push_origin(w, module, RL_ORIGIN_OBJECT, NULL);
        return;
    }
    if (w->depth >= RL_MAX_CHAIN) return;
    for (uint32_t i = 0; i < w->depth; i++)
        if (w->stack[i].module == module && strncmp(w->stack[i].name, name, namelen) == 0 &&
            w->stack[i].name[namelen] == 0)
            return; /* a cycle: the other possibilities are already on the way */
    char key[256];
    if (namelen >= sizeof key) return;
    memcpy(key, name, namelen);
    key[namelen] = 0;
    const rl_file_facts *f = &p->files.items[mod->file].facts;
    w->stack[w->depth].module = module;
    w->stack[w->depth].name = key;
    w->depth++;

    uint32_t count, first = rl_bindings_of(f, 0, key, &count);
    bool bound = false;
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (b->flags & RL_BINDING_TYPE_CHECKING) continue;
        bound = true;
        origins_of_binding(w, module, b);
    }
    if (!bound) {
        /* a star import may supply it */
        uint32_t n, s = rl_bindings_of(f, 0, "*", &n);
        for (uint32_t k = 0; k < n; k++) {
            const rl_binding *b = &f->bindings.items[f->binding_index[s + k]];
            uint32_t m = find_in_root(p->graph, b->value, mod->root);
            if (m != RL_NONE && p->graph->modules.items[m].file != RL_NONE) origins(w, m, key, namelen);
        }
    }
    w->depth--;
}

void rl_graph_origins(const rl_project *p, uint32_t module, const char *name, rl_origin_vec *out)
{
    origin_walk w = {.p = p, .out = out};
    const char *dot = strchr(name, '.');
    uint32_t before = out->len;
    origins(&w, module, name, dot ? (size_t)(dot - name) : strlen(name));
    if (dot)
        for (uint32_t i = before; i < out->len; i++)
            if (out->items[i].kind != RL_ORIGIN_LITERAL) out->items[i].kind = RL_ORIGIN_OBJECT;
}

void rl_graph_origins_of_qual(const rl_project *p, uint32_t file, const char *qual, rl_origin_vec *out)
{
    origin_walk w = {.p = p, .out = out};
    const rl_graph *g = p->graph;
    origins_of_qual(&w, qual, file != RL_NONE && file < g->nfiles ? g->file_root[file] : RL_NONE);
}

/* ---- building ------------------------------------------------------------------ */

static void add_site(rl_graph *g, uint32_t module, uint32_t file, rl_span span, const char *helper)
{
    /* a target that names no module (an empty key recovered from broken
       syntax, sys.modules[""]) has no node to carry the site */
    if (module == RL_NONE) return;
    rl_module *m = &g->modules.items[module];
    for (uint32_t i = 0; i < m->sites.len; i++)
        if (m->sites.items[i].file == file && m->sites.items[i].span.line == span.line &&
            m->sites.items[i].span.col == span.col)
            return;
    rl_reload_site s = {file, span, helper};
    rl_vec_push(&m->sites, s);
}

static bool is_reload_event(const rl_event *e)
{
    return e->kind == RL_EV_CALL && (e->what == RL_RES_RELOAD_IMPORTLIB ||
                                     e->what == RL_RES_RELOAD_IMP || e->what == RL_RES_RELOAD_BUILTIN);
}

/* The import root of a file: its folder minus one level per package
 * component of its module name ("a/b/pkg/mod.py", "pkg.mod" -> "a/b"). */
static const char *root_of(rl_arena *a, const rl_file *f)
{
    const char *path = f->path, *end = path + strlen(path);
    uint32_t up = 1; /* the file name itself */
    for (const char *m = f->module; *m; m++) up += *m == '.';
    if (f->is_package) up++;
    while (up > 0 && end > path) {
        end--;
        while (end > path && *end != '/') end--;
        up--;
    }
    return rl_arena_strndup(a, path, (size_t)(end - path));
}

static void assign_roots(rl_graph *g, rl_project *p)
{
    RL_VEC(const char *) roots = {0};
    g->nfiles = p->files.len;
    g->file_root = rl_xcalloc(p->files.len ? p->files.len : 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        const char *r = f->module ? root_of(&p->arena, f) : "";
        uint32_t id = RL_NONE;
        for (uint32_t k = roots.len; k-- > 0 && id == RL_NONE;)
            if (strcmp(roots.items[k], r) == 0) id = k;
        if (id == RL_NONE) {
            rl_vec_push(&roots, r);
            id = roots.len - 1;
        }
        g->file_root[i] = id;
    }
    rl_vec_release(&roots);
}

static void add_nodes(rl_graph *g, rl_project *p)
{
    assign_roots(g, p);
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *file = &p->files.items[i];
        if (file->module && (file->status == RL_FILE_OK || file->status == RL_FILE_SYNTAX_ERROR))
            add_module(g, file->module, i, g->file_root[i]);
    }
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *file = &p->files.items[i];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        const rl_file_facts *f = &file->facts;
        for (uint32_t k = 0; k < f->bindings.len; k++) {
            const rl_binding *b = &f->bindings.items[k];
            if (b->kind == RL_BIND_IMPORT || b->kind == RL_BIND_STAR_IMPORT)
                add_with_parents(g, &p->arena, b->value);
            else if (b->kind == RL_BIND_FROM_IMPORT && b->value)
                add_with_parents(g, &p->arena, from_module(&p->arena, b));
        }
        for (uint32_t k = 0; k < f->events.len; k++) {
            const rl_event *e = &f->events.items[k];
            if (is_reload_event(e))
                for (uint32_t t = 0; t < e->ntargets; t++) add_with_parents(g, &p->arena, e->targets[t]);
        }
    }
}

/* The function a call reaches, when it is a re-export of a helper:
 * `pkg.refresh` where pkg/__init__ does `from .util import refresh`. */
static bool callee_is(const rl_project *p, uint32_t file, const char *callee, const char *helper)
{
    if (strcmp(callee, helper) == 0) return true;
    rl_origin_vec o = {0};
    rl_graph_origins_of_qual(p, file, callee, &o);
    bool match = false;
    for (uint32_t i = 0; i < o.len && !match; i++) {
        const rl_origin *x = &o.items[i];
        if (x->kind != RL_ORIGIN_FUNCTION || !x->binding) continue;
        const char *mod = p->graph->modules.items[x->module].name;
        size_t ml = strlen(mod);
        match = strncmp(helper, mod, ml) == 0 && helper[ml] == '.' && strcmp(helper + ml + 1, x->binding->name) == 0;
    }
    rl_vec_release(&o);
    return match;
}

typedef struct helper_ref {
    uint32_t file, event;
} helper_ref;

/* Calls of reload helpers name the modules they reload. */
static void add_helper_sites(rl_graph *g, rl_project *p)
{
    RL_VEC(helper_ref) helpers = {0};
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file_facts *f = &p->files.items[i].facts;
        for (uint32_t k = 0; k < f->events.len; k++)
            if (is_reload_event(&f->events.items[k]) && f->events.items[k].helper) {
                helper_ref h = {i, k};
                rl_vec_push(&helpers, h);
            }
    }
    for (uint32_t i = 0; i < p->files.len && helpers.len; i++) {
        rl_file_facts *f = &p->files.items[i].facts;
        for (uint32_t k = 0; k < f->events.len; k++) {
            const rl_event *call = &f->events.items[k];
            if (call->what != RL_RES_MODULE_ARG_CALL || !call->ntargets) continue;
            for (uint32_t h = 0; h < helpers.len; h++) {
                rl_event *reload = &p->files.items[helpers.items[h].file].facts.events.items[helpers.items[h].event];
                if (!callee_is(p, i, call->callee, reload->helper)) continue;
                const char *module = call->targets[0];
                add_with_parents(g, &p->arena, module);
                const char *dot = strrchr(reload->helper, '.');
                add_site(g, rl_graph_find_from(g, module, i), i, call->span, dot ? dot + 1 : reload->helper);
                /* the helper's own reload now has a known target (RL201's message) */
                bool known = false;
                for (uint32_t t = 0; t < reload->ntargets; t++) known |= strcmp(reload->targets[t], module) == 0;
                if (!known) {
                    const char **grown = rl_arena_alloc(&p->arena, sizeof(char *) * (reload->ntargets + 1));
                    if (reload->ntargets) memcpy(grown, reload->targets, sizeof(char *) * reload->ntargets);
                    grown[reload->ntargets++] = module;
                    reload->targets = grown;
                }
            }
        }
    }
    rl_vec_release(&helpers);
}

void rl_graph_build(rl_project *p)
{
    rl_graph *g = rl_arena_alloc(&p->arena, sizeof *g);
    p->graph = g;
    add_nodes(g, p);

    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file_facts *f = &p->files.items[i].facts;
        for (uint32_t k = 0; k < f->events.len; k++) {
            const rl_event *e = &f->events.items[k];
            if (!is_reload_event(e)) continue;
            for (uint32_t t = 0; t < e->ntargets; t++)
                add_site(g, rl_graph_find_from(g, e->targets[t], i), i, e->span, NULL);
        }
    }
    add_helper_sites(g, p);

    const rl_str_list *assumed = &p->options->assume_reloaded;
    for (uint32_t a = 0; a < assumed->len; a++) {
        const char *pattern = assumed->items[a];
        if (!rl_str_ends_with(pattern, ".*")) add_with_parents(g, &p->arena, pattern);
        for (uint32_t m = 0; m < g->modules.len; m++)
            if (rl_module_matches_pattern(g->modules.items[m].name, pattern)) g->modules.items[m].assumed = true;
    }
    for (uint32_t m = 0; m < g->modules.len; m++)
        g->any_reloaded |= rl_module_reloaded(&g->modules.items[m]);
}

void rl_graph_release(rl_graph *g)
{
    if (!g) return;
    for (uint32_t m = 0; m < g->modules.len; m++) rl_vec_release(&g->modules.items[m].sites);
    rl_vec_release(&g->modules);
    free(g->file_root);
    g->file_root = NULL;
    free(g->slots);
    g->slots = NULL;
    g->nslots = 0;
}
