/* arena.c - chunked bump allocator.
 *
 * Small allocations are carved from the head chunk; when it is full a new
 * chunk becomes the head. An allocation bigger than a quarter of the chunk
 * size gets a chunk of its own, linked behind the head, so it neither wastes
 * the rest of the current chunk nor forces the next small allocation into a
 * fresh one. Chunks are calloc'ed, so handed-out memory is already zeroed.
 * A per-file arena's chunks grow from 2 KiB to 64 KiB; an arena with a
 * chunk_size (a worker's region of moved facts) takes chunks of that size. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define RL_ARENA_ALIGN 16u
/* Chunks start small and double up to the maximum: most files' facts fit in
 * a few KiB, and a run holds one arena per file (a fixed 64 KiB first chunk
 * cost 100 MB over the standard library). */
#define RL_ARENA_FIRST_CHUNK (2u * 1024u)
#define RL_ARENA_CHUNK_SIZE (64u * 1024u)

struct rl_arena_chunk {
    rl_arena_chunk *next;
    size_t used, cap; /* bytes of data[] in use / available */
    unsigned char data[];
};

/* cap bytes plus slack so the first allocation can be aligned whatever
 * alignment malloc gave the header. */
static rl_arena_chunk *chunk_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(rl_arena_chunk) - RL_ARENA_ALIGN)
        RL_BUG("arena allocation of %zu bytes overflows", cap);
    rl_arena_chunk *c = rl_xcalloc(1, sizeof(rl_arena_chunk) + cap + RL_ARENA_ALIGN);
    c->cap = cap + RL_ARENA_ALIGN;
    return c;
}

/* Returns a pointer for n bytes inside c aligned to align, or NULL if it does not fit. */
static void *chunk_take(rl_arena_chunk *c, size_t n, size_t align)
{
    uintptr_t base = (uintptr_t)c->data;
    uintptr_t p = (base + c->used + (align - 1)) & ~(uintptr_t)(align - 1);
    size_t offset = (size_t)(p - base);
    if (offset > c->cap || c->cap - offset < n) return NULL;
    c->used = offset + n;
    return (void *)p;
}

static void *arena_take(rl_arena *a, size_t n, size_t align)
{
    if (n == 0) n = 1; /* distinct pointers for distinct allocations */
    a->used_total += n;
    if (a->head) {
        void *p = chunk_take(a->head, n, align);
        if (p) return p;
    }
    size_t max_chunk = a->chunk_size ? a->chunk_size : RL_ARENA_CHUNK_SIZE;
    if (n > max_chunk / 4) {
        rl_arena_chunk *big = chunk_new(n);
        if (a->head) {
            big->next = a->head->next;
            a->head->next = big;
        } else {
            a->head = big;
        }
        return chunk_take(big, n, align);
    }
    size_t cap = a->chunk_size          ? a->chunk_size
                 : a->head              ? a->head->cap * 2
                                        : RL_ARENA_FIRST_CHUNK;
    if (cap > max_chunk) cap = max_chunk;
    while (cap < n) cap *= 2;
    rl_arena_chunk *c = chunk_new(cap);
    c->next = a->head;
    a->head = c;
    return chunk_take(c, n, align);
}

void *rl_arena_alloc(rl_arena *a, size_t n) { return arena_take(a, n, RL_ARENA_ALIGN); }

char *rl_arena_strndup(rl_arena *a, const char *s, size_t n)
{
    char *p = arena_take(a, n + 1, 1); /* strings need no alignment */
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rl_arena_strdup(rl_arena *a, const char *s) { return rl_arena_strndup(a, s, strlen(s)); }

char *rl_arena_join(rl_arena *a, const char *x, size_t xlen, char sep, const char *y)
{
    size_t ylen = strlen(y), n = xlen + (sep != 0) + ylen;
    char *p = arena_take(a, n + 1, 1);
    memcpy(p, x, xlen);
    if (sep) p[xlen] = sep;
    memcpy(p + xlen + (sep != 0), y, ylen + 1);
    return p;
}

char *rl_arena_printf(rl_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) RL_BUG("vsnprintf failed for format \"%s\"", fmt);
    char *p = arena_take(a, (size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void rl_arena_release(rl_arena *a)
{
    rl_arena_chunk *c = a->head;
    while (c) {
        rl_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_total = 0;
}
