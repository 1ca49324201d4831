/* facts.c - lifetime of one file's facts. */
#include "facts.h"

#include <string.h>

void rl_file_facts_release(rl_file_facts *f)
{
    /* Strings and per-record arrays live in the arena; the vectors are heap. */
    rl_vec_release(&f->scopes);
    rl_vec_release(&f->bindings);
    rl_vec_release(&f->events);
    rl_vec_release(&f->refs);
    rl_vec_release(&f->calls);
    rl_vec_release(&f->syntax_errors);
    rl_vec_release(&f->noqa);
    rl_arena_release(&f->arena);
    memset(f, 0, sizeof *f);
}
