/* vec.h - a typed growable array, after tree-sitter's array.h.
 *
 *   RL_VEC(int) v = {0};
 *   rl_vec_push(&v, 42);
 *   rl_vec_release(&v);
 *
 * Elements live in one heap block owned by the vector; pointers into it are
 * invalidated by a push, so keep indices (uint32_t ids), not pointers. */
#ifndef RL_VEC_H
#define RL_VEC_H

#include <stdint.h>
#include <stdlib.h>

#include "util.h"

#define RL_VEC(T) struct { T *items; uint32_t len, cap; }

#define rl_vec_grow(v, extra)                                                   \
    do {                                                                        \
        if ((v)->len + (uint32_t)(extra) > (v)->cap) {                          \
            uint32_t rl_newcap_ = (v)->cap ? (v)->cap * 2 : 8;                  \
            while (rl_newcap_ < (v)->len + (uint32_t)(extra)) rl_newcap_ *= 2;  \
            (v)->items = rl_xrealloc((v)->items, sizeof(*(v)->items) * rl_newcap_); \
            (v)->cap = rl_newcap_;                                              \
        }                                                                       \
    } while (0)

#define rl_vec_push(v, value)                                                   \
    do {                                                                        \
        rl_vec_grow(v, 1);                                                      \
        (v)->items[(v)->len++] = (value);                                       \
    } while (0)

#define rl_vec_last(v) (&(v)->items[(v)->len - 1])

#define rl_vec_release(v)                                                       \
    do {                                                                        \
        free((v)->items);                                                       \
        (v)->items = NULL;                                                      \
        (v)->len = (v)->cap = 0;                                                \
    } while (0)

#endif
