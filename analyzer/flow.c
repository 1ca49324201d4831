/* flow.c - removal/import pairing along program paths (see flow.h). */
#include "flow.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

/* One live removal or replacement: event ev, its key number key, and the
 * names re-added to sys.modules since (for prefix and whole-dict removals,
 * which one import does not undo). `readded` is copy-on-write, arena-owned. */
typedef struct entry {
    uint32_t ev;
    uint32_t key;
    bool replace;
    const char **readded;
    uint32_t nreadded;
} entry;

typedef struct fstate {
    RL_VEC(entry) live;
    bool dead; /* no path reaches here */
} fstate;

typedef struct pair {
    uint32_t user;    /* the import or reload event */
    uint32_t removal; /* the removal or replacement event */
    const char *module;
} pair;

typedef struct flow {
    rl_file_facts *f;
    uint32_t *order; /* event indices of this flow scope, in program order */
    uint32_t n;
    rl_arena tmp;    /* readded lists; freed after the file */
    RL_VEC(pair) pairs;
    RL_VEC(fstate *) loop_escapes; /* break/continue states per enclosing loop */
} flow;

static fstate state_copy(const fstate *s)
{
    fstate c = {0};
    c.dead = s->dead;
    rl_vec_grow(&c.live, s->live.len);
    if (s->live.len) memcpy(c.live.items, s->live.items, sizeof(entry) * s->live.len);
    c.live.len = s->live.len;
    return c;
}

static void state_release(fstate *s) { rl_vec_release(&s->live); }

static bool readded_has(const entry *e, const char *name)
{
    for (uint32_t i = 0; i < e->nreadded; i++)
        if (strcmp(e->readded[i], name) == 0) return true;
    return false;
}

/* into := into ∪ from (may semantics); a removal live on both sides stays
 * undone only for names re-added on both sides. */
static void state_merge(flow *fl, fstate *into, const fstate *from)
{
    if (from->dead) return;
    if (into->dead) {
        state_release(into);
        *into = state_copy(from);
        return;
    }
    for (uint32_t i = 0; i < from->live.len; i++) {
        const entry *e = &from->live.items[i];
        entry *same = NULL;
        for (uint32_t j = 0; j < into->live.len; j++) {
            entry *x = &into->live.items[j];
            if (x->ev == e->ev && x->key == e->key && x->replace == e->replace) { same = x; break; }
        }
        if (!same) {
            rl_vec_push(&into->live, *e);
            continue;
        }
        uint32_t k = 0;
        const char **both = rl_arena_alloc(&fl->tmp, sizeof(char *) * (same->nreadded + 1));
        for (uint32_t j = 0; j < same->nreadded; j++)
            if (readded_has(e, same->readded[j])) both[k++] = same->readded[j];
        same->readded = both;
        same->nreadded = k;
    }
}

static bool key_matches(const rl_key *k, const char *module)
{
    switch (k->kind) {
    case RL_KEY_LITERAL: return strcmp(k->text, module) == 0;
    case RL_KEY_PREFIX: return rl_str_starts_with(module, k->text);
    case RL_KEY_ALL: return true;
    case RL_KEY_UNKNOWN:
    case RL_KEY_NAME_OF: return false; /* precision: a computed key may be anything */
    }
    return false;
}

static const rl_key *entry_key(const flow *fl, const entry *e)
{
    return &fl->f->events.items[e->ev].keys[e->key];
}

/* `module` is in sys.modules again: literal removals of it end, wider ones
 * remember the exception. */
static void readd(flow *fl, fstate *st, const char *module)
{
    for (uint32_t i = 0; i < st->live.len;) {
        entry *e = &st->live.items[i];
        const rl_key *k = entry_key(fl, e);
        if (!key_matches(k, module)) { i++; continue; }
        if (k->kind == RL_KEY_LITERAL) {
            st->live.items[i] = st->live.items[--st->live.len];
            continue;
        }
        if (!readded_has(e, module)) {
            const char **grown = rl_arena_alloc(&fl->tmp, sizeof(char *) * (e->nreadded + 1));
            if (e->nreadded) memcpy(grown, e->readded, sizeof(char *) * e->nreadded);
            grown[e->nreadded] = module;
            e->readded = grown;
            e->nreadded++;
        }
        i++;
    }
}

/* Records every live entry that `module` hits (removals; replacements too for reloads). */
static void pair_with(flow *fl, const fstate *st, uint32_t user, const char *module, bool replacements)
{
    for (uint32_t i = 0; i < st->live.len; i++) {
        const entry *e = &st->live.items[i];
        if (e->replace && !replacements) continue;
        if (!key_matches(entry_key(fl, e), module) || readded_has(e, module)) continue;
        pair p = {user, e->ev, module};
        rl_vec_push(&fl->pairs, p);
    }
}

static bool is_reload(rl_resolved what)
{
    return what == RL_RES_RELOAD_IMPORTLIB || what == RL_RES_RELOAD_IMP || what == RL_RES_RELOAD_BUILTIN;
}

static void judge(flow *fl, fstate *st, uint32_t idx)
{
    rl_event *e = &fl->f->events.items[idx];
    if (e->type_checking) return;
    if (e->what == RL_RES_SYSMOD_OP) {
        bool removes = rl_container_op_removes(e->op);
        for (uint32_t k = 0; k < e->nkeys; k++) {
            if (!removes && e->keys[k].kind == RL_KEY_LITERAL) readd(fl, st, e->keys[k].text);
            entry en = {idx, k, !removes, NULL, 0};
            rl_vec_push(&st->live, en);
        }
    } else if (e->what == RL_RES_IMPORT || e->what == RL_RES_IMPORT_MODULE ||
               e->what == RL_RES_DUNDER_IMPORT) {
        for (uint32_t m = 0; m < e->nmodules; m++) pair_with(fl, st, idx, e->modules[m], false);
        for (uint32_t m = 0; m < e->nmodules; m++) readd(fl, st, e->modules[m]);
    } else if (is_reload(e->what)) {
        for (uint32_t t = 0; t < e->ntargets; t++) pair_with(fl, st, idx, e->targets[t], true);
    }
}

/* Runs events from position i until the ARM or END that closes this block (or
 * the end); returns the position of that marker. */
static uint32_t run_block(flow *fl, uint32_t i, fstate *st)
{
    while (i < fl->n) {
        const rl_event *e = &fl->f->events.items[fl->order[i]];
        switch (e->kind) {
        case RL_EV_ARM:
        case RL_EV_END:
            return i;
        case RL_EV_BRANCH: {
            fstate in = state_copy(st), out = {0};
            out.dead = true;
            i++;
            while (i < fl->n && fl->f->events.items[fl->order[i]].kind == RL_EV_ARM) {
                fstate arm = state_copy(&in);
                i = run_block(fl, i + 1, &arm);
                state_merge(fl, &out, &arm);
                state_release(&arm);
            }
            state_release(&in);
            state_release(st);
            *st = out;
            i++; /* END */
            break;
        }
        case RL_EV_LOOP: {
            fstate escape = {0};
            escape.dead = true;
            rl_vec_push(&fl->loop_escapes, &escape);
            fstate first = state_copy(st);
            uint32_t end = run_block(fl, i + 1, &first);
            fstate second = state_copy(st);
            state_merge(fl, &second, &first);
            state_merge(fl, &second, &escape);
            run_block(fl, i + 1, &second);
            fl->loop_escapes.len--;
            /* the loop may run zero, one or more times */
            state_merge(fl, st, &first);
            state_merge(fl, st, &second);
            state_merge(fl, st, &escape);
            state_release(&first);
            state_release(&second);
            state_release(&escape);
            i = end + 1;
            break;
        }
        case RL_EV_EXIT:
            st->dead = true;
            st->live.len = 0;
            i++;
            break;
        case RL_EV_JUMP:
            if (fl->loop_escapes.len) state_merge(fl, *rl_vec_last(&fl->loop_escapes), st);
            st->dead = true;
            st->live.len = 0;
            i++;
            break;
        default:
            if (!st->dead) judge(fl, st, fl->order[i]);
            i++;
            break;
        }
    }
    return i;
}

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->user != y->user) return x->user < y->user ? -1 : 1;
    if (x->removal != y->removal) return x->removal < y->removal ? -1 : 1;
    return strcmp(x->module, y->module);
}

static bool starts_something(const rl_event *e)
{
    return e->what == RL_RES_SYSMOD_OP && !e->type_checking;
}

void rl_flow_pair(rl_file_facts *f)
{
    uint32_t nscopes = f->scopes.len, nev = f->events.len;
    /* which flow scopes hold a removal or replacement at all */
    bool *active = rl_xcalloc(nscopes ? nscopes : 1, sizeof(bool));
    bool any = false;
    for (uint32_t i = 0; i < nev; i++)
        if (starts_something(&f->events.items[i]) && f->events.items[i].flow < nscopes)
            any = active[f->events.items[i].flow] = true;
    if (!any) { free(active); return; }

    flow fl = {0};
    fl.f = f;
    fl.order = rl_xmalloc(sizeof(uint32_t) * nev);
    for (uint32_t s = 0; s < nscopes; s++) {
        if (!active[s]) continue;
        fl.n = 0;
        for (uint32_t i = 0; i < nev; i++)
            if (f->events.items[i].flow == s) fl.order[fl.n++] = i;
        fstate st = {0};
        /* stray ARM/END (unbalanced input) end a block early: keep going */
        uint32_t i = 0;
        while (i < fl.n) i = run_block(&fl, i, &st) + 1;
        state_release(&st);
    }

    if (fl.pairs.len) qsort(fl.pairs.items, fl.pairs.len, sizeof(pair), cmp_pair);
    for (uint32_t i = 0; i < fl.pairs.len;) {
        uint32_t j = i, uniq = 0;
        rl_event *user = &f->events.items[fl.pairs.items[i].user];
        while (j < fl.pairs.len && fl.pairs.items[j].user == fl.pairs.items[i].user) j++;
        user->removals = rl_arena_alloc(&f->arena, sizeof(uint32_t) * (j - i));
        for (uint32_t k = i; k < j; k++)
            if (uniq == 0 || user->removals[uniq - 1] != fl.pairs.items[k].removal)
                user->removals[uniq++] = fl.pairs.items[k].removal;
        user->nremovals = uniq;
        user->paired = rl_arena_strdup(&f->arena, fl.pairs.items[i].module);
        i = j;
    }
    rl_vec_release(&fl.pairs);
    rl_vec_release(&fl.loop_escapes);
    rl_arena_release(&fl.tmp);
    free(fl.order);
    free(active);
}
