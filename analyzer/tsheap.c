/* tsheap.c - the worker heaps tree-sitter allocates from (see tsheap.h).
 *
 * Layout: every block starts with an 8-byte header saying where it came
 * from. Blocks up to 64 KiB come from the heap's 1 MiB chunks, in size
 * classes 16 bytes apart up to 128 and four per doubling above (a tree node
 * is 80 bytes, plus 8 per child; a realloc that stays within its class costs
 * nothing); a freed one goes on its class's free list and is handed out again
 * during the same file. Bigger blocks come from libc, linked into the heap so
 * that leaving it frees the ones the tree still held. Blocks are 8-byte
 * aligned, which is all tree-sitter's types need. */
#include "tsheap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define RL_TSHEAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RL_TSHEAP_ASAN 1
#endif
#endif
#ifdef RL_TSHEAP_ASAN
/* AddressSanitizer sees a heap's blocks as it sees malloc's: a read past the
   size asked for, or of a freed block, or of anything after leaving, is
   reported. */
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

enum {
    SMALL_CLASSES = 8,          /* 16, 32, ..., 128 bytes */
    NCLASSES = SMALL_CLASSES + 4 * 9, /* then 4 per doubling: 160, 192, 224, 256, ..., 64 KiB */
    CLASS_BIG = 0xfffe,         /* from libc, linked into the heap */
    CLASS_LIBC = 0xffff,        /* from libc, allocated outside any heap */
};
#define MAX_CLASS_SIZE ((size_t)64 << 10)
#define CHUNK_SIZE ((size_t)1 << 20)
/* Chunks a heap keeps for the next file; the rest go back when it leaves (a
   huge file's parse does not hold its peak for the rest of the run). */
#define KEEP_CHUNKS 4u

typedef struct header {
    uint32_t cls;
    uint32_t size;              /* asked for: what a growing realloc copies */
} header;

typedef struct big_links {      /* before the header of a CLASS_BIG block */
    struct big_links *prev, *next;
} big_links;

_Static_assert(sizeof(header) == 8 && sizeof(big_links) % 8 == 0,
               "blocks stay aligned for pointers and 64-bit integers");

struct rl_ts_heap {
    char **chunks;
    uint32_t nchunks, cur;      /* chunks[cur] is being carved */
    char *bump, *end;
    void *free_list[NCLASSES];  /* linked through each free block's first word */
    big_links bigs;             /* circular, with this as the sentinel */
    size_t big_bytes, peak;
};

/* The heap this thread's tree-sitter allocates from; NULL: libc. A block is
   only ever freed by the thread, and within the file, that allocated it. */
static _Thread_local rl_ts_heap *current;

static inline unsigned class_of(size_t n)
{
    if (n <= 128) return n ? (unsigned)((n - 1) >> 4) : 0;
    unsigned b = 63u - (unsigned)__builtin_clzll((unsigned long long)(n - 1)); /* 2^b < n <= 2^(b+1) */
    return SMALL_CLASSES + (b - 7) * 4 + (unsigned)(((n - 1) - ((size_t)1 << b)) >> (b - 2));
}

static inline size_t class_size(unsigned cls)
{
    if (cls < SMALL_CLASSES) return (size_t)(cls + 1) << 4;
    unsigned b = 7 + (cls - SMALL_CLASSES) / 4, step = (cls - SMALL_CLASSES) % 4 + 1;
    return ((size_t)1 << b) + ((size_t)step << (b - 2));
}

static inline header *header_of(void *p) { return (header *)p - 1; }

/* The heap a block being freed or grown came from: the thread's, since a
   block never outlives the file (and the heap) it was allocated for. */
static inline rl_ts_heap *owner(void)
{
    if (!current) RL_BUG("a block of a worker heap is freed or grown outside the heap");
    return current;
}

static void note_peak(rl_ts_heap *h)
{
    size_t held = (size_t)h->nchunks * CHUNK_SIZE + h->big_bytes;
    if (held > h->peak) h->peak = held;
}

static void next_chunk(rl_ts_heap *h)
{
    if (h->nchunks == 0 || h->cur + 1 == h->nchunks) {
        h->chunks = rl_xrealloc(h->chunks, (h->nchunks + 1) * sizeof(char *));
        h->chunks[h->nchunks] = rl_xmalloc(CHUNK_SIZE);
        POISON(h->chunks[h->nchunks], CHUNK_SIZE);
        h->cur = h->nchunks++;
        note_peak(h);
    } else {
        h->cur++;
    }
    h->bump = h->chunks[h->cur];
    h->end = h->bump + CHUNK_SIZE;
}

static void *big_alloc(rl_ts_heap *h, size_t n)
{
    if (n > UINT32_MAX - 64) RL_BUG("tree-sitter asked for %zu bytes", n);
    big_links *l = rl_xmalloc(sizeof(big_links) + sizeof(header) + n);
    l->prev = &h->bigs;
    l->next = h->bigs.next;
    l->next->prev = l;
    h->bigs.next = l;
    h->big_bytes += n;
    note_peak(h);
    header *b = (header *)(l + 1);
    *b = (header){.cls = CLASS_BIG, .size = (uint32_t)n};
    return b + 1;
}

static void *heap_alloc(rl_ts_heap *h, size_t n)
{
    if (n > MAX_CLASS_SIZE) return big_alloc(h, n);
    unsigned cls = class_of(n);
    void *p = h->free_list[cls];
    if (p) {
        UNPOISON(p, sizeof(void *));
        h->free_list[cls] = *(void **)p;
        POISON(p, sizeof(void *));
    } else {
        size_t need = sizeof(header) + class_size(cls);
        if ((size_t)(h->end - h->bump) < need) next_chunk(h);
        p = h->bump + sizeof(header);
        h->bump += need;
        UNPOISON(header_of(p), sizeof(header));
    }
    *header_of(p) = (header){.cls = cls, .size = (uint32_t)n};
    UNPOISON(p, n);
    return p;
}

static void *libc_alloc(size_t n)
{
    if (n > SIZE_MAX - sizeof(header)) RL_BUG("tree-sitter asked for %zu bytes", n);
    header *b = rl_xmalloc(sizeof(header) + n);
    *b = (header){.cls = CLASS_LIBC};
    return b + 1;
}

static void *ts_heap_malloc(size_t n)
{
    return current ? heap_alloc(current, n) : libc_alloc(n);
}

static void *ts_heap_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) RL_BUG("tree-sitter asked for %zu x %zu bytes", count, size);
    void *p = ts_heap_malloc(count * size);
    memset(p, 0, count * size);
    return p;
}

static void ts_heap_free(void *p)
{
    if (!p) return;
    header *b = header_of(p);
    if (b->cls == CLASS_LIBC) {
        free(b);
    } else if (b->cls == CLASS_BIG) {
        big_links *l = (big_links *)b - 1;
        l->prev->next = l->next;
        l->next->prev = l->prev;
        owner()->big_bytes -= b->size;
        free(l);
    } else {
        rl_ts_heap *h = owner();
        UNPOISON(p, sizeof(void *)); /* a block asked for under 8 bytes */
        *(void **)p = h->free_list[b->cls];
        h->free_list[b->cls] = p;
        POISON(p, class_size(b->cls));
    }
}

static void *ts_heap_realloc(void *p, size_t n)
{
    if (!p) return ts_heap_malloc(n);
    header *b = header_of(p);
    if (b->cls == CLASS_LIBC) {
        if (n > SIZE_MAX - sizeof(header)) RL_BUG("tree-sitter asked for %zu bytes", n);
        b = rl_xrealloc(b, sizeof(header) + n);
        return b + 1;
    }
    if (b->cls == CLASS_BIG && n > MAX_CLASS_SIZE) {
        if (n > UINT32_MAX - 64) RL_BUG("tree-sitter asked for %zu bytes", n);
        rl_ts_heap *h = owner();
        h->big_bytes += n - b->size; /* wraps back when smaller */
        big_links *moved = rl_xrealloc((big_links *)b - 1, sizeof(big_links) + sizeof(header) + n);
        moved->prev->next = moved;
        moved->next->prev = moved;
        b = (header *)(moved + 1);
        b->size = (uint32_t)n;
        note_peak(h);
        return b + 1;
    }
    if (b->cls != CLASS_BIG && n <= class_size(b->cls)) {
        UNPOISON(p, n);
        if (n < b->size) POISON((char *)p + n, b->size - n);
        b->size = (uint32_t)n;
        return p;
    }
    /* to another class, or between big and small: copy what was asked for */
    void *q = heap_alloc(owner(), n);
    memcpy(q, p, b->size < n ? b->size : n);
    ts_heap_free(p);
    return q;
}

void rl_ts_heap_install(void)
{
    ts_set_allocator(ts_heap_malloc, ts_heap_calloc, ts_heap_realloc, ts_heap_free);
}

rl_ts_heap *rl_ts_heap_new(void)
{
    rl_ts_heap *h = rl_xcalloc(1, sizeof *h);
    h->bigs.prev = h->bigs.next = &h->bigs;
    return h;
}

void rl_ts_heap_enter(rl_ts_heap *h)
{
    current = h;
}

void rl_ts_heap_leave(rl_ts_heap *h)
{
    if (current == h) current = NULL;
    for (big_links *l = h->bigs.next, *next; l != &h->bigs; l = next) {
        next = l->next;
        free(l);
    }
    h->bigs.prev = h->bigs.next = &h->bigs;
    h->big_bytes = 0;
    memset(h->free_list, 0, sizeof h->free_list);
    for (uint32_t i = 0; i < h->nchunks; i++) {
        if (i < KEEP_CHUNKS) {
            POISON(h->chunks[i], CHUNK_SIZE);
        } else {
            UNPOISON(h->chunks[i], CHUNK_SIZE);
            free(h->chunks[i]);
        }
    }
    if (h->nchunks > KEEP_CHUNKS) h->nchunks = KEEP_CHUNKS;
    h->cur = 0;
    h->bump = h->nchunks ? h->chunks[0] : NULL;
    h->end = h->nchunks ? h->bump + CHUNK_SIZE : NULL;
}

void rl_ts_heap_delete(rl_ts_heap *h)
{
    if (!h) return;
    rl_ts_heap_leave(h);
    for (uint32_t i = 0; i < h->nchunks; i++) {
        UNPOISON(h->chunks[i], CHUNK_SIZE);
        free(h->chunks[i]);
    }
    free(h->chunks);
    free(h);
}

size_t rl_ts_heap_peak(const rl_ts_heap *h) { return h->peak; }
