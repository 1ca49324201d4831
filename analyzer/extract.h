/* extract.h - the front end: Python source -> rl_file_facts.
 *
 * One cursor walk over the tree-sitter tree per file; the tree is freed before
 * returning. Safe to call from several threads at once (each call owns its
 * parser and the facts it fills). */
#ifndef RL_EXTRACT_H
#define RL_EXTRACT_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"

/* A file whose parse takes longer than this is stopped and listed in errors. */
#define RL_PARSE_TIME_LIMIT_SECONDS 10.0

typedef struct rl_extract_input {
    const char *src;        /* UTF-8 source, BOM removed; need not be NUL-terminated */
    uint32_t len;
    const char *module;     /* the file's dotted module name (for __name__ and relative imports) */
    bool is_package;        /* __init__.py: relative imports resolve against the module itself */
    bool keep_all;          /* keep markers and local bindings (--dump-model) */
    struct rl_extract_times *times; /* optional: where the time went (--stats) */
    struct rl_ts_heap *heap; /* optional: a worker's heap (tsheap.h), which the parse
                                allocates from and which takes the whole tree back at the
                                end; NULL: the tree is freed node by node */
} rl_extract_input;

/* Milliseconds one rl_extract call spent in each step, added to what is there. */
typedef struct rl_extract_times {
    double parse; /* tree-sitter */
    double walk;  /* the tree -> facts */
    double model; /* per-file resolution and pruning (model.c) */
} rl_extract_times;

/* Checks that the linked grammar provides every node and field the front end
 * uses and that its ABI is supported. Returns -1 with a message otherwise.
 * Installs the worker heaps' allocator in tree-sitter (tsheap.h). Call once at
 * start-up, before any worker starts and while no tree-sitter object exists. */
int rl_extract_init(void);

/* Fills facts (which must be zeroed, save for empty vectors with capacity:
 * rl_facts_mover_lend) from the source. Never fails on bad input:
 * syntax errors are recorded in facts->syntax_errors. */
void rl_extract(rl_file_facts *facts, const rl_extract_input *in);

/* Frees process-wide front-end state (rl_extract_init). */
void rl_extract_shutdown(void);

#endif
