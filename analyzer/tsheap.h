/* tsheap.h - where tree-sitter's memory comes from while a worker parses.
 *
 * tree-sitter builds a tree node by node: a big file costs hundreds of
 * thousands of mallocs and reallocs while it parses, and as many frees when
 * the tree is deleted, node by node, long after the nodes left the cache.
 * A worker gives its parser a heap instead: memory handed out from chunks the
 * worker keeps, with a free list per size class, and taken back all at once
 * when the file is done. No tree is ever freed node by node, and the next
 * file parses into memory that is still in the cache.
 *
 * Every block says who owns it (a heap, or libc), so tree-sitter used outside
 * a heap (tests, the configuration's TOML parser) allocates from libc as it
 * always did. */
#ifndef RL_TSHEAP_H
#define RL_TSHEAP_H

#include <stddef.h>

typedef struct rl_ts_heap rl_ts_heap;

/* Makes tree-sitter allocate through this file (ts_set_allocator). Call once,
 * before any parser exists; until a thread enters a heap, it allocates from
 * libc. */
void rl_ts_heap_install(void);

rl_ts_heap *rl_ts_heap_new(void);
/* Frees the heap's chunks; nothing it handed out may be in use. */
void rl_ts_heap_delete(rl_ts_heap *h);

/* From now on, tree-sitter's allocations on this thread come from h. */
void rl_ts_heap_enter(rl_ts_heap *h);
/* Takes back everything h handed out since rl_ts_heap_enter: every parser,
 * tree and cursor made in between is gone without being freed one by one.
 * The thread allocates from libc again. */
void rl_ts_heap_leave(rl_ts_heap *h);

/* The most memory h held at once, in bytes (chunks and big blocks). */
size_t rl_ts_heap_peak(const rl_ts_heap *h);

#endif
