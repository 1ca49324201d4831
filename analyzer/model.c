/* model.c - classifies every file's events through name resolution, then
 * pairs removals with imports and reloads (flow.c). See model.h. */
#include "model.h"

#include <string.h>

#include "flow.h"
#include "graph.h"
#include "resolve.h"
#include "util.h"

/* Qualified names of the functions that matter, whatever alias reaches them. */
static const struct {
    const char *qualname;
    rl_resolved what;
} known_calls[] = {
    {"importlib.reload", RL_RES_RELOAD_IMPORTLIB},
    {"six.moves.reload_module", RL_RES_RELOAD_IMPORTLIB},
    {"imp.reload", RL_RES_RELOAD_IMP},
    {"builtins.reload", RL_RES_RELOAD_BUILTIN},
    {"__builtin__.reload", RL_RES_RELOAD_BUILTIN},
    {"importlib.import_module", RL_RES_IMPORT_MODULE},
    {"builtins.__import__", RL_RES_DUNDER_IMPORT},
    {"importlib.__import__", RL_RES_DUNDER_IMPORT},
};

/* "a.b.c" -> {"a", "a.b", "a.b.c"}: importing a submodule imports its parents. */
static void set_modules_with_parents(rl_file_facts *f, rl_event *e, const char *name)
{
    uint32_t n = 1;
    for (const char *p = name; *p; p++) n += *p == '.';
    e->modules = rl_arena_alloc(&f->arena, sizeof(char *) * n);
    e->nmodules = 0;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == 0)
            e->modules[e->nmodules++] = rl_arena_strndup(&f->arena, name, (size_t)(p - name));
        if (*p == 0) break;
    }
}

static bool is_sys_modules(const rl_resolver *r, const rl_event *e, const char *ref)
{
    if (e->target_kind == RL_TARGET_STRING && e->kind == RL_EV_CONTAINER_OP)
        return strcmp(ref, "sys.modules") == 0; /* patch.dict("sys.modules", ...) */
    const char *q = rl_resolve(r, e->scope, ref);
    return q && strcmp(q, "sys.modules") == 0;
}

static void set_one_target(rl_file_facts *f, rl_event *e, const char *module)
{
    e->targets = rl_arena_alloc(&f->arena, sizeof(char *));
    e->targets[0] = module;
    e->ntargets = 1;
}

/* The module a reload call's argument names, when the source tells. */
static void resolve_reload_target(const rl_resolver *r, rl_file_facts *f, rl_event *e)
{
    if (e->target_kind == RL_TARGET_NAME) {
        const char *q = rl_resolve_module(r, e->scope, e->target);
        if (q && !rl_str_starts_with(q, "builtins.")) set_one_target(f, e, q);
    } else if (e->target_kind == RL_TARGET_NAMES) {
        e->targets = rl_arena_alloc(&f->arena, sizeof(char *) * e->nnames);
        for (uint32_t i = 0; i < e->nnames; i++) {
            const char *q = rl_resolve_module(r, e->scope, e->names[i]);
            if (q) e->targets[e->ntargets++] = q;
        }
    } else if (e->target_kind == RL_TARGET_SUBSCRIPT) {
        const char *q = rl_resolve(r, e->scope, e->target);
        if (!q || strcmp(q, "sys.modules") != 0) return;
        /* sys.modules[""] names no module (no import can make one) */
        uint32_t n = 0;
        for (uint32_t k = 0; k < e->nkeys; k++) n += e->keys[k].kind == RL_KEY_LITERAL && *e->keys[k].text;
        if (n == 0) return;
        e->targets = rl_arena_alloc(&f->arena, sizeof(char *) * n);
        for (uint32_t k = 0; k < e->nkeys; k++)
            if (e->keys[k].kind == RL_KEY_LITERAL && *e->keys[k].text) e->targets[e->ntargets++] = e->keys[k].text;
    }
}

/* `sys.modules[m.__name__]` names module m when m is bound to one. */
static void resolve_name_of_keys(const rl_resolver *r, rl_event *e)
{
    for (uint32_t k = 0; k < e->nkeys; k++) {
        rl_key *key = &e->keys[k];
        if (key->kind != RL_KEY_NAME_OF) continue;
        const char *q = rl_resolve_module(r, e->scope, key->text);
        key->kind = q ? RL_KEY_LITERAL : RL_KEY_UNKNOWN;
        key->text = q;
    }
}

/* reload(mod) where mod is the first parameter of a module-level function:
 * that function is a reload helper, and its callers name the targets. */
static const char *reload_helper(const rl_file_facts *f, const rl_event *e, const char *module)
{
    if (e->target_kind != RL_TARGET_NAME || strchr(e->target, '.') || !module) return NULL;
    const rl_scope *fn = &f->scopes.items[e->flow];
    if (fn->kind != RL_SCOPE_FUNCTION || fn->parent != 0) return NULL;
    for (uint32_t i = 0; i < f->bindings.len; i++) {
        const rl_binding *b = &f->bindings.items[i];
        if (b->scope != e->flow || b->kind != RL_BIND_PARAM) continue;
        if (strcmp(b->name, e->target) != 0) return NULL; /* not the first parameter */
        return rl_arena_printf((rl_arena *)&f->arena, "%s.%s", module, fn->name);
    }
    return NULL;
}

/* What a receiver names: "sys.path", "other.REGISTRY"; an own module-level
 * object created by a call is "<callee>()" ("logging.getLogger()"), since
 * what matters is whether that call returns a shared object. */
static const char *effect_receiver(const rl_resolver *r, const rl_file_facts *f, const rl_event *e)
{
    const char *q = rl_resolve(r, e->scope, e->ref);
    if (!q || rl_str_starts_with(q, "builtins.")) return NULL;
    if (!r->module || strchr(e->ref, '.')) return q;
    size_t ml = strlen(r->module);
    if (strncmp(q, r->module, ml) != 0 || q[ml] != '.') return q;
    uint32_t count, first = rl_bindings_of(f, 0, q + ml + 1, &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (b->kind == RL_BIND_CALL && b->value) {
            const char *callee = rl_resolve(r, 0, b->value);
            if (callee) return rl_arena_printf(r->arena, "%s()", callee);
        }
    }
    return q;
}

/* Classifies e. A call of something reached through an import also goes to
 * f->calls: `plugins.register(f)` may fill plugins' registry (RL402). */
static void classify(const rl_resolver *r, rl_file_facts *f, rl_event *e)
{
    if (e->kind == RL_EV_MUTATE || e->kind == RL_EV_ATTR_ASSIGN || e->kind == RL_EV_DECORATOR) {
        e->callee = effect_receiver(r, f, e);
        e->what = e->callee ? RL_RES_EFFECT : RL_RES_NONE;
        return;
    }
    if (e->kind == RL_EV_CONTAINER_OP) {
        e->what = is_sys_modules(r, e, e->ref) ? RL_RES_SYSMOD_OP : RL_RES_NONE;
        if (e->what == RL_RES_SYSMOD_OP) resolve_name_of_keys(r, e);
        return;
    }
    if (e->kind != RL_EV_CALL) return;
    e->what = RL_RES_NONE;
    bool via_import;
    const char *q = e->ref ? rl_resolve_ex(r, e->scope, e->ref, &via_import) : NULL;
    if (!q) return;
    if (via_import) {
        rl_call_site c = {q, e->scope, e->span};
        rl_vec_push(&f->calls, c);
    }
    /* every known qualname starts with one of these letters: most calls stop here */
    if (strchr("bis_", q[0]) && q[0])
        for (size_t i = 0; i < sizeof known_calls / sizeof known_calls[0]; i++)
            if (strcmp(q, known_calls[i].qualname) == 0) e->what = known_calls[i].what;
    if (e->what == RL_RES_NONE && e->target_kind == RL_TARGET_NAME &&
        !rl_str_starts_with(q, "builtins.")) {
        const char *module = rl_resolve_module(r, e->scope, e->target);
        if (module) {
            e->what = RL_RES_MODULE_ARG_CALL;
            e->callee = q;
            set_one_target(f, e, module);
            return;
        }
    }
    if (e->what == RL_RES_NONE && e->flow == 0 && !rl_str_starts_with(q, "builtins.")) {
        e->what = RL_RES_EFFECT; /* a module-level call: RL401 judges it */
        e->callee = q;
        return;
    }
    if (e->what == RL_RES_IMPORT_MODULE || e->what == RL_RES_DUNDER_IMPORT) {
        if (e->target_kind == RL_TARGET_STRING && e->target && *e->target) {
            set_one_target(f, e, e->target);
            set_modules_with_parents(f, e, e->target);
        }
    } else if (e->what != RL_RES_NONE) {
        if (e->target_kind == RL_TARGET_SUBSCRIPT) resolve_name_of_keys(r, e);
        resolve_reload_target(r, f, e);
        if (e->ntargets == 0) e->helper = reload_helper(f, e, r->module);
    }
}

/* Events worth keeping after classification: structure, imports, and
 * candidates that resolved to something. */
static bool keep(const rl_event *e)
{
    switch (e->kind) {
    case RL_EV_CONTAINER_OP:
    case RL_EV_CALL:
    case RL_EV_MUTATE:
    case RL_EV_ATTR_ASSIGN:
    case RL_EV_DECORATOR:
        return e->what != RL_RES_NONE;
    default:
        return true;
    }
}

/* Module- and class-level aliases (`f = m.f`) keep what they resolve to: the
 * stale-binding rules follow them across modules. */
static void resolve_aliases(const rl_resolver *r, rl_file_facts *f)
{
    for (uint32_t i = 0; i < f->bindings.len; i++) {
        rl_binding *b = &f->bindings.items[i];
        if ((b->kind != RL_BIND_ALIAS && b->kind != RL_BIND_CALL) || !b->value) continue;
        if (f->scopes.items[b->scope].kind == RL_SCOPE_FUNCTION) continue;
        bool via_import;
        b->qual = rl_resolve_ex(r, b->scope, b->value, &via_import); /* CALL: the callee */
        b->qual_via_import = b->kind == RL_BIND_ALIAS && via_import;
    }
}

/* Class checks count only through the real builtins. */
static const char *const ref_builtin[] = {
    [RL_REF_DEFAULT_ARG] = NULL,
    [RL_REF_ISINSTANCE] = "isinstance",
    [RL_REF_ISSUBCLASS] = "issubclass",
    [RL_REF_EXCEPT] = NULL,
    [RL_REF_TYPE_IS] = "type",
    [RL_REF_ATTR_LOAD] = NULL,
    [RL_REF_GETATTR] = "getattr",
    [RL_REF_FROM_IMPORT] = NULL,
};

/* The strings of kept attribute loads, one copy per distinct text in the
 * file's arena: `os.path.join` read fifty times costs one string. */
typedef struct interned {
    const char *text;
    uint32_t uses;
} interned;

typedef struct interner {
    interned *slots;
    uint32_t mask;
    rl_arena *arena;
} interner;

static interned *intern(interner *t, const char *s)
{
    uint32_t h = 2166136261u;
    for (const char *p = s; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
        if (!t->slots[i].text) t->slots[i].text = rl_arena_strdup(t->arena, s);
        if (strcmp(t->slots[i].text, s) == 0) return &t->slots[i];
    }
}

/* A run over the standard library holds tens of thousands of module
 * attribute reads (`os.path` ...): a file keeps the first few reads of each
 * qualified name, enough to point at every place a removed name breaks. */
#define RL_ATTR_LOADS_PER_NAME 4

/* RL305 attribute loads and getattr literals: kept only when the head is
 * bound by an import. Their text lives in the extractor's scratch arena and
 * resolution allocates in a scratch arena of its own; the few kept are copied
 * into the file's arena. */
static bool keep_attr_load(const rl_resolver *scratch, interner *t, rl_ref *ref)
{
    const char *builtin = ref_builtin[ref->kind];
    if (builtin) {
        const char *q = rl_resolve(scratch, ref->scope, builtin);
        if (!q || !rl_str_starts_with(q, "builtins.")) return false; /* shadowed */
    }
    const char *q = rl_resolve_module(scratch, ref->scope, ref->dotted);
    if (!q || rl_str_starts_with(q, "builtins.")) return false;
    interned *qi = intern(t, q);
    if (++qi->uses > RL_ATTR_LOADS_PER_NAME) return false;
    ref->qual = qi->text;
    ref->dotted = strcmp(q, ref->dotted) == 0 ? qi->text : intern(t, ref->dotted)->text;
    ref->via_import = true;
    return true;
}

static void resolve_refs(const rl_resolver *r, rl_file_facts *f)
{
    uint32_t kept = 0;
    rl_arena scratch_arena = {0};
    rl_resolver scratch;
    rl_resolver_init(&scratch, f, r->module, &scratch_arena);
    interner t = {NULL, 0, &f->arena};
    uint32_t nslots = 16;
    while (nslots < 2 * f->refs.len) nslots *= 2;
    t.slots = rl_xcalloc(nslots, sizeof(interned));
    t.mask = nslots - 1;
    for (uint32_t i = 0; i < f->refs.len; i++) {
        rl_ref *ref = &f->refs.items[i];
        if (ref->kind == RL_REF_ATTR_LOAD || ref->kind == RL_REF_GETATTR) {
            if (keep_attr_load(&scratch, &t, ref)) f->refs.items[kept++] = *ref;
            continue;
        }
        const char *builtin = ref_builtin[ref->kind];
        if (builtin) {
            const char *q = rl_resolve(r, ref->scope, builtin);
            if (!q || !rl_str_starts_with(q, "builtins.")) continue; /* shadowed */
        }
        ref->qual = rl_resolve_ex(r, ref->scope, ref->dotted, &ref->via_import);
        if (!ref->qual || rl_str_starts_with(ref->qual, "builtins.")) continue;
        f->refs.items[kept++] = *ref;
    }
    f->refs.len = kept;
    free(t.slots);
    rl_arena_release(&scratch_arena);
}

static bool in_function(const rl_file_facts *f, uint32_t scope)
{
    for (uint32_t s = scope; s != RL_NONE; s = f->scopes.items[s].parent)
        if (f->scopes.items[s].kind == RL_SCOPE_FUNCTION) return true;
    return false;
}

/* RL305 facts that compaction would lose with the function-scope bindings:
 * function-local `from M import name` become RL_REF_FROM_IMPORT refs, and
 * `global x` declarations a module-level "<global>" pseudo-binding. */
static void keep_local_import_facts(rl_file_facts *f)
{
    uint32_t n = f->bindings.len;
    bool added = false;
    for (uint32_t i = 0; i < n; i++) {
        rl_binding b = f->bindings.items[i];
        if (!in_function(f, b.scope)) continue;
        if (b.kind == RL_BIND_FROM_IMPORT && b.value && b.attr &&
            !(b.flags & (RL_BINDING_TYPE_CHECKING | RL_BINDING_IN_TRY))) {
            rl_ref ref = {RL_REF_FROM_IMPORT, b.scope, b.value, b.attr, b.value, true, b.span};
            rl_vec_push(&f->refs, ref);
        } else if (b.kind == RL_BIND_GLOBAL_DECL) {
            rl_binding g = {0};
            g.kind = RL_BIND_OTHER;
            g.scope = 0;
            g.name = RL_PSEUDO_GLOBAL;
            g.value = b.name;
            g.span = b.span;
            rl_vec_push(&f->bindings, g);
            added = true;
        }
    }
    if (added) rl_resolver_index(f);
}

/* After the per-file model, what the project-wide phase never reads goes:
 * control-flow markers (the flow pairing is done) and bindings of function
 * scopes (names are resolved). Events keep their order; pairing indices are
 * renumbered. The vectors keep their capacity: a run moves the facts it
 * holds into a region where they take their exact size (facts.h), and lends
 * the vectors to its next file. */
static void compact(rl_file_facts *f)
{
    uint32_t *renum = rl_xmalloc(sizeof(uint32_t) * (f->events.len ? f->events.len : 1));
    uint32_t kept = 0;
    for (uint32_t k = 0; k < f->events.len; k++) {
        rl_event *e = &f->events.items[k];
        bool marker = e->kind <= RL_EV_JUMP;
        renum[k] = marker ? RL_NONE : kept;
        if (!marker) f->events.items[kept++] = *e;
    }
    f->events.len = kept;
    for (uint32_t k = 0; k < kept; k++) {
        rl_event *e = &f->events.items[k];
        for (uint32_t i = 0; i < e->nremovals; i++) e->removals[i] = renum[e->removals[i]];
    }
    free(renum);

    kept = 0;
    uint32_t nbindings = f->bindings.len;
    renum = rl_xmalloc(sizeof(uint32_t) * (nbindings ? nbindings : 1));
    for (uint32_t i = 0; i < nbindings; i++) {
        const rl_binding *b = &f->bindings.items[i];
        bool local = in_function(f, b->scope);
        renum[i] = local ? RL_NONE : kept;
        if (!local) f->bindings.items[kept++] = *b;
    }
    if (kept != nbindings && f->binding_index) {
        /* the index stays sorted: dropping entries and renumbering the rest
           in order keeps (scope, name, id) order without sorting again */
        uint32_t n = 0;
        for (uint32_t i = 0; i < nbindings; i++) {
            uint32_t k = renum[f->binding_index[i]];
            if (k != RL_NONE) f->binding_index[n++] = k;
        }
    }
    f->bindings.len = kept;
    free(renum);
}

void rl_model_file(rl_file_facts *f, const char *module, bool keep_all)
{
    rl_resolver r;
    rl_resolver_index(f);
    rl_resolver_init(&r, f, module, &f->arena);
    uint32_t kept = 0;
    for (uint32_t k = 0; k < f->events.len; k++) {
        rl_event *e = &f->events.items[k];
        classify(&r, f, e);
        if (keep(e)) f->events.items[kept++] = *e;
    }
    f->events.len = kept;
    resolve_aliases(&r, f);
    resolve_refs(&r, f);
    rl_flow_pair(f);
    keep_local_import_facts(f);
    if (!keep_all) compact(f);
}

/* RL305's attribute loads only matter when they reach a reloaded module with
 * source; once the graph knows which, the rest go (most of them: `os.path`). */
static void prune_attr_loads(rl_project *project)
{
    const rl_graph *g = project->graph;
    for (uint32_t fi = 0; fi < project->files.len; fi++) {
        rl_file_facts *f = &project->files.items[fi].facts;
        uint32_t kept = 0;
        for (uint32_t i = 0; i < f->refs.len; i++) {
            const rl_ref *r = &f->refs.items[i];
            uint32_t m;
            const char *rest;
            if ((r->kind != RL_REF_ATTR_LOAD && r->kind != RL_REF_GETATTR) ||
                (g->any_reloaded && r->qual && rl_graph_split(g, r->qual, fi, &m, &rest) && *rest &&
                 g->modules.items[m].file != RL_NONE && rl_module_reloaded(&g->modules.items[m])))
                f->refs.items[kept++] = *r;
        }
        if (kept == f->refs.len) continue;
        f->refs.len = kept;
        if (f->in_region) continue; /* the region keeps the space until the run ends */
        f->refs.items = kept ? rl_xrealloc(f->refs.items, sizeof(rl_ref) * kept) : (free(f->refs.items), NULL);
        f->refs.cap = kept;
    }
}

void rl_model_build(rl_project *project)
{
    /* the per-file part already ran in the workers (rl_model_file) */
    rl_graph_build(project);
    if (project->graph) prune_attr_loads(project);
}

void rl_model_release(rl_project *project)
{
    rl_graph_release(project->graph);
    project->graph = NULL;
}
