/* tsscan.h - a fast descent through a tree-sitter tree (see tsscan.c for why
 * it reads tree-sitter's internals). */
#ifndef RL_TSSCAN_H
#define RL_TSSCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

/* Called for each node the scan stops at; rel_depth counts the visible nodes
 * between the start node and it (0: a child of the start node). */
typedef void (*rl_ts_scan_fn)(void *ctx, TSNode node, uint32_t rel_depth);

/* Visits the visible descendants of start in document order. A node whose
 * kind is marked in stop_at (a table from rl_ts_stop_table), or that lies
 * depth_budget or more visible levels down, goes to fn and is not descended
 * into; any other node is descended into without a call; leaves that are not
 * marked are skipped. */
void rl_ts_scan(TSNode start, const bool *stop_at, uint32_t nsymbols, uint32_t depth_budget,
                rl_ts_scan_fn fn, void *ctx);

/* A stop table for rl_ts_scan marking the node kinds `kinds` (public symbols,
 * as ts_node_symbol returns them), indexed by the grammar's internal symbols
 * and aliases; ERROR (ts_builtin_sym_error) can be marked too. The caller
 * frees it. */
bool *rl_ts_stop_table(const TSLanguage *lang, const TSSymbol *kinds, uint32_t nkinds,
                       uint32_t *nsymbols);

/* A visible child, the field it fills (0: none), its kind (the public
 * symbol, as rl_ts_symbol answers) and whether it is a leaf (no children,
 * visible or hidden: a node whose children are all hidden is not one). What
 * the walk asks of a child first, known here without another look at it. */
typedef struct rl_ts_kid {
    TSNode node;
    TSFieldId field;
    TSSymbol symbol;
    bool leaf;
} rl_ts_kid;

/* The visible children of n (only the named ones with named_only) in order,
 * each with its field, in one pass: what ts_node_child_by_field_id and
 * ts_node_named_child would answer one call at a time. Stores the first cap
 * into out and returns how many there are. */
uint32_t rl_ts_kids(TSNode n, rl_ts_kid *out, uint32_t cap, bool named_only);

/* Child index of n (among the named ones with named_only), or a null node;
 * stops there. */
TSNode rl_ts_child(TSNode n, uint32_t index, bool named_only);

/* The first child of n in field, or a null node: ts_node_child_by_field_id,
 * except where the grammar declares a field inside a hidden rule that a
 * visible child replaces (match_statement's `alternative` lives in its
 * `body` block): there tree-sitter reaches through the child and this does
 * not, as a cursor does not (tests/unit/test_tsscan.c counts the cases). */
TSNode rl_ts_field(TSNode n, TSFieldId field);

/* ts_node_is_null, ts_node_start_byte and ts_node_start_point, inlined: a
 * TSNode carries its start (api.h), and the walk asks for it everywhere. */
static inline bool rl_ts_is_null(TSNode n) { return n.id == NULL; }
static inline uint32_t rl_ts_start_byte(TSNode n) { return n.context[0]; }
static inline TSPoint rl_ts_start_point(TSNode n) { return (TSPoint){n.context[1], n.context[2]}; }

/* ts_node_symbol of a non-null node, without its two calls into the library:
 * the walk asks for node kinds more than for anything else. */
TSSymbol rl_ts_symbol(TSNode n);

#endif
