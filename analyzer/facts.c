/* facts.c - lifetime of one file's facts. */
#include "facts.h"

#include <string.h>

void rl_file_facts_release(rl_file_facts *f)
{
    /* Strings and per-record arrays live in the arena, the vectors in the
       heap; moved facts live in their region, which frees them. */
    if (!f->in_region) {
        rl_vec_release(&f->scopes);
        rl_vec_release(&f->bindings);
        rl_vec_release(&f->events);
        rl_vec_release(&f->refs);
        rl_vec_release(&f->calls);
        rl_vec_release(&f->syntax_errors);
        rl_vec_release(&f->noqa);
    }
    rl_arena_release(&f->arena);
    memset(f, 0, sizeof *f);
}

/* ---- moving facts into a region ---------------------------------------------- */


struct rl_moved_str {
    const char *copy;    /* in the region */
    uint64_t hash;
    uint32_t len;
    uint32_t generation; /* the slot is in use for the file of this generation */
};

static uint64_t str_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a: the strings are short names */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    return h;
}

static void slots_grow(rl_facts_mover *m)
{
    uint32_t n = m->nslots ? m->nslots * 2 : 1024;
    rl_moved_str *slots = rl_xcalloc(n, sizeof *slots);
    for (uint32_t i = 0; i < m->nslots; i++) {
        const rl_moved_str *old = &m->slots[i];
        if (old->generation != m->generation) continue;
        uint32_t k = (uint32_t)old->hash & (n - 1);
        while (slots[k].generation == m->generation) k = (k + 1) & (n - 1);
        slots[k] = *old;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = n;
}

/* The region's copy of s; equal strings of one file share a copy. */
static const char *move_str(rl_facts_mover *m, const char *s)
{
    if (!s) return NULL;
    if ((m->nused + 1) * 2 > m->nslots) slots_grow(m);
    size_t len = strlen(s);
    uint64_t h = str_hash(s, len);
    uint32_t mask = m->nslots - 1, k = (uint32_t)h & mask;
    for (; m->slots[k].generation == m->generation; k = (k + 1) & mask) {
        const rl_moved_str *t = &m->slots[k];
        if (t->hash == h && t->len == len && memcmp(t->copy, s, len) == 0) return t->copy;
    }
    m->slots[k] = (rl_moved_str){rl_arena_strndup(m->region, s, len), h, (uint32_t)len,
                                 m->generation};
    m->nused++;
    return m->slots[k].copy;
}

static void *move_array(rl_facts_mover *m, const void *items, size_t size)
{
    if (!items || !size) return NULL;
    void *copy = rl_arena_alloc(m->region, size);
    memcpy(copy, items, size);
    return copy;
}

static const char **move_strs(rl_facts_mover *m, const char **items, uint32_t n)
{
    const char **copy = move_array(m, items, sizeof(char *) * n);
    for (uint32_t i = 0; copy && i < n; i++) copy[i] = move_str(m, items[i]);
    return copy;
}

/* The vectors' own storage goes to the mover's spares for the next file
 * (rl_facts_mover_lend) unless a bigger spare is there, or it is too big
 * to keep idle. */
#define RL_SPARE_MAX_BYTES (1u << 20)
#define MOVE_VEC(m, v, spare)                                                               \
    do {                                                                                    \
        void *copy_ = move_array(m, (v).items, sizeof(*(v).items) * (v).len);               \
        if ((v).cap > (spare).cap && sizeof(*(v).items) * (v).cap <= RL_SPARE_MAX_BYTES) { \
            free((spare).items);                                                            \
            (spare).items = (v).items;                                                      \
            (spare).cap = (v).cap;                                                          \
        } else {                                                                            \
            free((v).items);                                                                \
        }                                                                                   \
        (v).items = copy_;                                                                  \
        (v).cap = (v).len;                                                                  \
    } while (0)

void rl_file_facts_move(rl_file_facts *f, rl_facts_mover *m)
{
    if (f->in_region) return;
    if (++m->generation == 0) { /* wrapped: forget every slot for real */
        memset(m->slots, 0, sizeof *m->slots * m->nslots);
        m->generation = 1;
    }
    m->nused = 0;

    MOVE_VEC(m, f->scopes, m->spare.scopes);
    for (uint32_t i = 0; i < f->scopes.len; i++) {
        rl_scope *s = &f->scopes.items[i];
        s->name = move_str(m, s->name);
    }
    MOVE_VEC(m, f->bindings, m->spare.bindings);
    for (uint32_t i = 0; i < f->bindings.len; i++) {
        rl_binding *b = &f->bindings.items[i];
        b->name = move_str(m, b->name);
        b->value = move_str(m, b->value);
        b->attr = move_str(m, b->attr);
        b->qual = move_str(m, b->qual);
    }
    MOVE_VEC(m, f->events, m->spare.events);
    for (uint32_t i = 0; i < f->events.len; i++) {
        rl_event *e = &f->events.items[i];
        e->ref = move_str(m, e->ref);
        e->keys = move_array(m, e->keys, sizeof(rl_key) * e->nkeys);
        for (uint32_t k = 0; e->keys && k < e->nkeys; k++) e->keys[k].text = move_str(m, e->keys[k].text);
        e->target = move_str(m, e->target);
        e->modules = move_strs(m, e->modules, e->nmodules);
        e->names = move_strs(m, e->names, e->nnames);
        e->callee = move_str(m, e->callee);
        e->helper = move_str(m, e->helper);
        e->targets = move_strs(m, e->targets, e->ntargets);
        e->removals = move_array(m, e->removals, sizeof(uint32_t) * e->nremovals);
        e->paired = move_str(m, e->paired);
    }
    MOVE_VEC(m, f->refs, m->spare.refs);
    for (uint32_t i = 0; i < f->refs.len; i++) {
        rl_ref *r = &f->refs.items[i];
        r->dotted = move_str(m, r->dotted);
        r->param = move_str(m, r->param);
        r->qual = move_str(m, r->qual);
    }
    MOVE_VEC(m, f->calls, m->spare.calls);
    for (uint32_t i = 0; i < f->calls.len; i++) f->calls.items[i].callee = move_str(m, f->calls.items[i].callee);
    if (f->binding_index) /* indexed stays indexed, even with no bindings */
        f->binding_index = move_array(m, f->binding_index,
                                      sizeof(uint32_t) * (f->bindings.len ? f->bindings.len : 1));
    MOVE_VEC(m, f->syntax_errors, m->spare.syntax_errors);
    MOVE_VEC(m, f->noqa, m->spare.noqa);
    for (uint32_t i = 0; i < f->noqa.len; i++) f->noqa.items[i].codes = move_str(m, f->noqa.items[i].codes);

    rl_arena_release(&f->arena);
    f->in_region = true;
}

#define LEND_VEC(v, spare)    \
    do {                      \
        if (!(v).items) {     \
            (v) = (spare);    \
            (v).len = 0;      \
            (spare).items = NULL; \
            (spare).cap = 0;  \
        }                     \
    } while (0)

void rl_facts_mover_lend(rl_facts_mover *m, rl_file_facts *f)
{
    LEND_VEC(f->scopes, m->spare.scopes);
    LEND_VEC(f->bindings, m->spare.bindings);
    LEND_VEC(f->events, m->spare.events);
    LEND_VEC(f->refs, m->spare.refs);
    LEND_VEC(f->calls, m->spare.calls);
    LEND_VEC(f->syntax_errors, m->spare.syntax_errors);
    LEND_VEC(f->noqa, m->spare.noqa);
}

void rl_facts_mover_release(rl_facts_mover *m)
{
    free(m->slots);
    rl_file_facts_release(&m->spare);
    memset(m, 0, sizeof *m);
}
