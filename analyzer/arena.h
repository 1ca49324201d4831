/* arena.h - bump allocator. One arena per file (facts) and one per run.
 *
 * Everything allocated from an arena is freed at once by rl_arena_release();
 * nothing allocated here may be passed to free(). Not thread-safe: each
 * worker owns the arenas of the files it is processing. */
#ifndef RL_ARENA_H
#define RL_ARENA_H

#include <stddef.h>

typedef struct rl_arena_chunk rl_arena_chunk;

typedef struct rl_arena {
    rl_arena_chunk *head;
    size_t used_total; /* bytes handed out, for --stats */
    size_t chunk_size; /* 0: chunks grow from 2 KiB to 64 KiB (one arena per file);
                          else every chunk is this big (a region holding the facts of
                          many files at their exact size: rl_file_facts_move) */
} rl_arena;

/* Zeroed memory, aligned for any type; owned by the arena. */
void *rl_arena_alloc(rl_arena *a, size_t n);
/* NUL-terminated copy of s[0..n) owned by the arena. */
char *rl_arena_strndup(rl_arena *a, const char *s, size_t n);
char *rl_arena_strdup(rl_arena *a, const char *s);
/* a[0..alen) + sep + b, NUL-terminated, owned by the arena; sep 0 joins
 * without a separator. The hot paths' "%s.%s" without printf's cost. */
char *rl_arena_join(rl_arena *a, const char *x, size_t xlen, char sep, const char *y);
/* printf into the arena. */
char *rl_arena_printf(rl_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Frees every chunk; the arena can be reused afterwards. */
void rl_arena_release(rl_arena *a);

#endif
