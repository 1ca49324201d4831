/* test_tsscan.c - analyzer/tsscan.c steps through tree-sitter's internal tree
 * layout for speed; this proves that it answers exactly what tree-sitter's
 * public API answers, on hand-written Python covering tricky grammar (error
 * recovery, aliases, extras such as comments between arguments, very deep and
 * very wide nodes) and on real files of the system's Python 3.11 library
 * (skipped, with a note, where missing):
 *   - rl_ts_kids, on every node: all visible children against a
 *     TSTreeCursor's children and field ids; named ones against
 *     ts_node_named_child and ts_node_field_name_for_named_child; a cap
 *     smaller than the count still returns the count, fills exactly the
 *     first cap entries and writes nothing past them;
 *   - rl_ts_scan, for several stop sets (named, anonymous and aliased kinds)
 *     and depth budgets, from the root, from every function and class body
 *     (found with ts_node_child_by_field_name) and from every node, against a
 *     preorder walk built with ts_node_child: the same nodes (identity,
 *     symbol, byte and point range) in the same order, with the same
 *     relative depths;
 *   - rl_ts_child and rl_ts_field, on every node, every index (one past the
 *     end too) and every field id, against ts_node_child, ts_node_named_child
 *     and ts_node_child_by_field_id (save where the latter answers a node that
 *     is not a child: see reached_through_child);
 *   - rl_ts_stop_table marks exactly the internal symbols of the kinds
 *     (stopping at ERROR is test_scan_stops_at_error, skipped while the
 *     table cannot mark it).
 * Node counts are printed so that a silent zero would show. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <tree_sitter/api.h>

#include "tsscan.h"

const TSLanguage *tree_sitter_python(void);

static const TSLanguage *lang;

/* ---- mismatch reporting and counters -------------------------------------------- */

#ifndef MAX_REPORTED
#define MAX_REPORTED 40 /* mismatches printed in full */
#endif

static const char *g_where = "?"; /* the source being checked */
static unsigned long g_mismatches;

#define MISMATCH(...)                                                          \
    do {                                                                       \
        if (g_mismatches++ < MAX_REPORTED) {                                   \
            print_error("MISMATCH [%s] ", g_where);                            \
            print_error(__VA_ARGS__);                                          \
            print_error("\n");                                                 \
        }                                                                      \
    } while (0)

typedef struct counts {
    unsigned long sources, nodes;
    unsigned long kids_nodes, kids_entries, named_entries, trunc_checks;
    unsigned long child_calls, field_calls, field_hits, field_through_child;
    unsigned long scan_runs, scan_reported, scan_walked;
    unsigned long leaves; /* children listed as leaves */
} counts;

static counts g_counts;

static void print_counts(const char *what, const counts *c, double secs)
{
    print_message("[ tsscan   ] %s: %lu sources, %lu nodes; rl_ts_kids: %lu nodes, %lu children, "
                  "%lu named children, %lu truncated calls; rl_ts_scan: %lu scans, %lu reported "
                  "nodes compared, %lu reference nodes walked; rl_ts_child: %lu calls; rl_ts_field: "
                  "%lu calls, %lu non-null, %lu reached through a visible child; %.2fs\n",
                  what, c->sources, c->nodes > c->kids_nodes ? c->nodes : c->kids_nodes, c->kids_nodes, c->kids_entries, c->named_entries,
                  c->trunc_checks, c->scan_runs, c->scan_reported, c->scan_walked, c->child_calls, c->field_calls,
                  c->field_hits, c->field_through_child, secs);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *describe(TSNode n, char *buf, size_t size)
{
    if (ts_node_is_null(n)) {
        snprintf(buf, size, "(null node)");
        return buf;
    }
    TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
    snprintf(buf, size, "%s%s%s bytes [%u,%u) at %u:%u-%u:%u (id %p)", ts_node_type(n),
             ts_node_is_named(n) ? "" : " (anonymous)", ts_node_is_extra(n) ? " (extra)" : "",
             ts_node_start_byte(n), ts_node_end_byte(n), a.row + 1, a.column, b.row + 1, b.column,
             n.id);
    return buf;
}

/* Same node as the public API reports it: identity (ts_node_eq compares only
 * id and tree) plus what the context holds: position and alias. */
static bool same_node(TSNode a, TSNode b)
{
    if (ts_node_is_null(a) || ts_node_is_null(b)) return ts_node_is_null(a) == ts_node_is_null(b);
    TSPoint as = ts_node_start_point(a), bs = ts_node_start_point(b);
    TSPoint ae = ts_node_end_point(a), be = ts_node_end_point(b);
    return ts_node_eq(a, b) && ts_node_start_byte(a) == ts_node_start_byte(b) &&
           ts_node_end_byte(a) == ts_node_end_byte(b) && as.row == bs.row &&
           as.column == bs.column && ae.row == be.row && ae.column == be.column &&
           ts_node_symbol(a) == ts_node_symbol(b) && ts_node_is_named(a) == ts_node_is_named(b);
}

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    assert_non_null(q);
    return q;
}

/* ---- rl_ts_kids against a cursor and ts_node_named_child --------------------------- */

static rl_ts_kid *g_kids, *g_trunc;
static uint32_t g_kids_cap;

/* rl_ts_kids into g_kids, grown to fit. */
static uint32_t all_kids(TSNode n, bool named_only)
{
    uint32_t got = rl_ts_kids(n, g_kids, g_kids_cap, named_only);
    if (got > g_kids_cap) {
        uint32_t cap = g_kids_cap * 2 > got ? g_kids_cap * 2 : got + 1;
        g_kids = xrealloc(g_kids, sizeof *g_kids * cap);
        g_trunc = xrealloc(g_trunc, sizeof *g_trunc * (cap + 1));
        g_kids_cap = cap;
        uint32_t again = rl_ts_kids(n, g_kids, g_kids_cap, named_only);
        if (again != got) MISMATCH("rl_ts_kids returned %u, then %u for the same node", got, again);
    }
    return got;
}

/* With caps below the count: the full count comes back, the first cap
 * entries equal g_kids[0..cap), nothing past them is written. */
static void check_truncation(TSNode n, uint32_t count, bool named_only)
{
    char b1[256];
    if (rl_ts_kids(n, NULL, 0, named_only) != count)
        MISMATCH("rl_ts_kids(NULL, cap 0, named_only %d) on %s: not %u", named_only,
                 describe(n, b1, sizeof b1), count);
    uint32_t caps[3] = {0, count / 2, count - 1};
    for (int c = 0; c < 3; c++) {
        uint32_t cap = caps[c];
        if (c > 0 && cap == caps[c - 1]) continue;
        memset(g_trunc, 0xA5, sizeof *g_trunc * (count + 1));
        uint32_t got = rl_ts_kids(n, g_trunc, cap, named_only);
        g_counts.trunc_checks++;
        if (got != count) {
            MISMATCH("rl_ts_kids(cap %u, named_only %d) on %s returned %u, want %u", cap,
                     named_only, describe(n, b1, sizeof b1), got, count);
            continue;
        }
        for (uint32_t i = 0; i < cap; i++)
            if (!same_node(g_trunc[i].node, g_kids[i].node) || g_trunc[i].field != g_kids[i].field) {
                MISMATCH("rl_ts_kids(cap %u, named_only %d) on %s: entry %u differs from the "
                         "uncapped call",
                         cap, named_only, describe(n, b1, sizeof b1), i);
                break;
            }
        const unsigned char *rest = (const unsigned char *)&g_trunc[cap];
        for (size_t i = 0; i < sizeof *g_trunc * (count + 1 - cap); i++)
            if (rest[i] != 0xA5) {
                MISMATCH("rl_ts_kids(cap %u, named_only %d) on %s wrote past the cap", cap,
                         named_only, describe(n, b1, sizeof b1));
                break;
            }
    }
}

/* rl_ts_kid.leaf: no children at all. A node whose children are all hidden
 * (string_content's escape-free runs) has no visible child but is no leaf, so
 * the public API can check one direction; an identifier is always a leaf. */
static bool leaf_ok(bool leaf, TSNode want)
{
    if (leaf) g_counts.leaves++;
    if (leaf && ts_node_child_count(want) != 0) return false;
    return leaf || strcmp(ts_node_type(want), "identifier") != 0;
}

static void check_kids_of(TSNode n, TSTreeCursor *children)
{
    char b1[256], b2[256], b3[256];
    g_counts.kids_nodes++;

    /* All visible children, against a cursor over them. */
    uint32_t count = all_kids(n, false);
    uint32_t k = 0;
    ts_tree_cursor_reset(children, n);
    if (ts_tree_cursor_goto_first_child(children)) {
        do {
            TSNode want = ts_tree_cursor_current_node(children);
            TSFieldId field = ts_tree_cursor_current_field_id(children);
            if (k < count && k < g_kids_cap) {
                if (!same_node(want, g_kids[k].node))
                    MISMATCH("rl_ts_kids(%s) child %u: want %s, got %s", describe(n, b1, sizeof b1),
                             k, describe(want, b2, sizeof b2),
                             describe(g_kids[k].node, b3, sizeof b3));
                else if (field != g_kids[k].field)
                    MISMATCH("rl_ts_kids(%s) child %u (%s): want field %u (%s), got %u (%s)",
                             describe(n, b1, sizeof b1), k, describe(want, b2, sizeof b2), field,
                             field ? ts_language_field_name_for_id(lang, field) : "none",
                             g_kids[k].field,
                             g_kids[k].field ? ts_language_field_name_for_id(lang, g_kids[k].field)
                                             : "none");
                else if (g_kids[k].symbol != ts_node_symbol(want))
                    MISMATCH("rl_ts_kids(%s) child %u (%s): symbol %u, ts_node_symbol %u",
                             describe(n, b1, sizeof b1), k, describe(want, b2, sizeof b2),
                             g_kids[k].symbol, ts_node_symbol(want));
                else if (!leaf_ok(g_kids[k].leaf, want))
                    MISMATCH("rl_ts_kids(%s) child %u (%s): leaf %d, ts_node_child_count %u",
                             describe(n, b1, sizeof b1), k, describe(want, b2, sizeof b2),
                             g_kids[k].leaf, ts_node_child_count(want));
            }
            k++;
            g_counts.kids_entries++;
        } while (ts_tree_cursor_goto_next_sibling(children));
    }
    if (k != count || k != ts_node_child_count(n))
        MISMATCH("rl_ts_kids(%s): %u children, the cursor has %u, ts_node_child_count %u",
                 describe(n, b1, sizeof b1), count, k, ts_node_child_count(n));
    if (count > 0 && count == k) check_truncation(n, count, false);

    /* Named children only, against ts_node_named_child. */
    count = all_kids(n, true);
    uint32_t named = ts_node_named_child_count(n);
    if (count != named)
        MISMATCH("rl_ts_kids(%s, named_only): %u children, ts_node_named_child_count %u",
                 describe(n, b1, sizeof b1), count, named);
    for (uint32_t i = 0; i < named && i < count; i++) {
        TSNode want = ts_node_named_child(n, i);
        const char *name = ts_node_field_name_for_named_child(n, i);
        TSFieldId field = name ? ts_language_field_id_for_name(lang, name, (uint32_t)strlen(name)) : 0;
        g_counts.named_entries++;
        if (!same_node(want, g_kids[i].node)) {
            MISMATCH("rl_ts_kids(%s, named_only) child %u: want %s, got %s",
                     describe(n, b1, sizeof b1), i, describe(want, b2, sizeof b2),
                     describe(g_kids[i].node, b3, sizeof b3));
        } else if (field != g_kids[i].field) {
            MISMATCH("rl_ts_kids(%s, named_only) child %u (%s): want field %u (%s), got %u (%s)",
                     describe(n, b1, sizeof b1), i, describe(want, b2, sizeof b2), field,
                     name ? name : "none", g_kids[i].field,
                     g_kids[i].field ? ts_language_field_name_for_id(lang, g_kids[i].field)
                                     : "none");
        } else if (g_kids[i].symbol != ts_node_symbol(want) || !leaf_ok(g_kids[i].leaf, want)) {
            MISMATCH("rl_ts_kids(%s, named_only) child %u (%s): symbol %u leaf %d, want %u %d",
                     describe(n, b1, sizeof b1), i, describe(want, b2, sizeof b2), g_kids[i].symbol,
                     g_kids[i].leaf, ts_node_symbol(want), ts_node_child_count(want) == 0);
        }
    }
    if (count > 0 && count == named) check_truncation(n, count, true);
}

/* Every node of the tree, visited with a cursor. */
static void check_kids_everywhere(TSTree *tree)
{
    TSTreeCursor walk = ts_tree_cursor_new(ts_tree_root_node(tree));
    TSTreeCursor children = ts_tree_cursor_new(ts_tree_root_node(tree));
    for (;;) {
        check_kids_of(ts_tree_cursor_current_node(&walk), &children);
        if (ts_tree_cursor_goto_first_child(&walk)) continue;
        bool more = false;
        do {
            if (ts_tree_cursor_goto_next_sibling(&walk)) {
                more = true;
                break;
            }
        } while (ts_tree_cursor_goto_parent(&walk));
        if (!more) break;
    }
    ts_tree_cursor_delete(&children);
    ts_tree_cursor_delete(&walk);
}

/* ---- rl_ts_child and rl_ts_field against ts_node_child, ts_node_named_child and
 * ts_node_child_by_field_id ------------------------------------------------------- */

/* ts_node_child_by_field_id follows a field the grammar inherits from a hidden
 * rule even when that rule is aliased visible: match_statement's
 * `alternative` (declared in _match_block, which the statement aliases to
 * block) answers the first case_clause, a child of the block. rl_ts_field
 * answers from n's own visible children (as a cursor and rl_ts_kids list
 * them) and gives a null node there. Counted and shown once, not failed. */
static bool reached_through_child(TSNode n, TSNode want, TSNode got)
{
    if (!ts_node_is_null(got) || ts_node_is_null(want)) return false;
    TSNode parent = ts_node_parent(want);
    if (ts_node_is_null(parent) || same_node(parent, n)) return false;
    char b1[256], b2[256];
    if (g_counts.field_through_child++ == 0)
        print_message("[ tsscan   ] note [%s]: ts_node_child_by_field_id(%s) answers %s, not a "
                      "child of it; rl_ts_field answers a null node (such cases are counted)\n",
                      g_where, describe(n, b1, sizeof b1), describe(want, b2, sizeof b2));
    return true;
}

/* Indices to try of count children: all of them for a small node, a sample
 * (start, end, a stride between) for a wide one; rl_ts_child and
 * ts_node_child both cost O(index). */
static uint32_t next_index(uint32_t i, uint32_t count)
{
    if (count <= 256 || i < 64 || i + 64 >= count) return i + 1;
    return i + 97 < count - 64 ? i + 97 : count - 64;
}

static void check_child_and_field_of(TSNode n)
{
    char b1[256], b2[256], b3[256];
    for (int named = 0; named < 2; named++) {
        uint32_t count = named ? ts_node_named_child_count(n) : ts_node_child_count(n);
        for (uint32_t i = 0; i <= count; i = next_index(i, count)) { /* count: past the end */
            TSNode want = named ? ts_node_named_child(n, i) : ts_node_child(n, i);
            TSNode got = rl_ts_child(n, i, named);
            g_counts.child_calls++;
            if (!same_node(want, got))
                MISMATCH("rl_ts_child(%s, %u, named_only %d): want %s, got %s",
                         describe(n, b1, sizeof b1), i, named, describe(want, b2, sizeof b2),
                         describe(got, b3, sizeof b3));
        }
    }
    uint32_t nfields = ts_language_field_count(lang);
    for (TSFieldId f = 0; f <= nfields + 1; f++) { /* 0 and one past the last: none */
        TSNode want = ts_node_child_by_field_id(n, f);
        TSNode got = rl_ts_field(n, f);
        g_counts.field_calls++;
        g_counts.field_hits += !ts_node_is_null(got);
        if (!same_node(want, got) && !reached_through_child(n, want, got))
            MISMATCH("rl_ts_field(%s, %u `%s`): want %s, got %s", describe(n, b1, sizeof b1), f,
                     f && f <= nfields ? ts_language_field_name_for_id(lang, f) : "none",
                     describe(want, b2, sizeof b2), describe(got, b3, sizeof b3));
    }
}

static void check_child_and_field_everywhere(TSTree *tree)
{
    TSTreeCursor walk = ts_tree_cursor_new(ts_tree_root_node(tree));
    for (;;) {
        check_child_and_field_of(ts_tree_cursor_current_node(&walk));
        if (ts_tree_cursor_goto_first_child(&walk)) continue;
        bool more = false;
        do {
            if (ts_tree_cursor_goto_next_sibling(&walk)) {
                more = true;
                break;
            }
        } while (ts_tree_cursor_goto_parent(&walk));
        if (!more) break;
    }
    ts_tree_cursor_delete(&walk);
}

/* ---- rl_ts_scan against a ts_node_child preorder --------------------------------- */

/* The visible nodes of a tree in preorder, from ts_node_child; end[i] is the
 * index just past i's descendants. */
typedef struct mirror {
    TSNode *node;
    TSSymbol *sym;
    uint32_t *depth, *end;
    uint32_t n, cap;
} mirror;

static void mirror_add(mirror *m, TSNode n, uint32_t depth)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->node = xrealloc(m->node, sizeof *m->node * m->cap);
        m->sym = xrealloc(m->sym, sizeof *m->sym * m->cap);
        m->depth = xrealloc(m->depth, sizeof *m->depth * m->cap);
        m->end = xrealloc(m->end, sizeof *m->end * m->cap);
    }
    uint32_t i = m->n++;
    m->node[i] = n;
    m->sym[i] = ts_node_symbol(n);
    m->depth[i] = depth;
    uint32_t kids = ts_node_child_count(n);
    for (uint32_t c = 0; c < kids; c++) mirror_add(m, ts_node_child(n, c), depth + 1);
    m->end[i] = m->n;
}

static void mirror_free(mirror *m)
{
    free(m->node);
    free(m->sym);
    free(m->depth);
    free(m->end);
    memset(m, 0, sizeof *m);
}

typedef struct stop_set {
    const char *label;
    const char *names[8]; /* kind names; a leading '\1' marks an anonymous kind */
    uint32_t nkinds;
    TSSymbol kinds[8];
    bool *table;
    uint32_t nsymbols;
} stop_set;

static stop_set g_sets[] = {
    {.label = "{}", .names = {NULL}},
    {.label = "{call}", .names = {"call"}},
    {.label = "{identifier, comment}", .names = {"identifier", "comment"}},
    {.label = "{attribute, call, string, comment}", .names = {"attribute", "call", "string", "comment"}},
    {.label = "{function_definition, class_definition, decorated_definition, lambda}",
     .names = {"function_definition", "class_definition", "decorated_definition", "lambda"}},
    {.label = "{block, keyword_argument, expression_statement}",
     .names = {"block", "keyword_argument", "expression_statement"}},
    {.label = "{as_pattern_target, format_expression, interpolation} (aliases)",
     .names = {"as_pattern_target", "format_expression", "interpolation"}},
    {.label = "{'(', ',', ':', 'import'} (anonymous)", .names = {"\1(", "\1,", "\1:", "\1import"}},
    /* Last: only test_scan_stops_at_error uses it (ts_node_symbol gives ERROR
     * nodes ts_builtin_sym_error, 65535, past the grammar's symbols). */
    {.label = "{ERROR}", .names = {"ERROR"}},
};
enum { NSETS = sizeof g_sets / sizeof g_sets[0], ERROR_SET = NSETS - 1 };

static const uint32_t NO_BUDGET = UINT32_MAX;

typedef struct scan_config {
    int set;
    uint32_t budget;
} scan_config;

static const scan_config g_all_configs[] = {
    {1, NO_BUDGET}, {2, NO_BUDGET}, {3, NO_BUDGET}, {4, NO_BUDGET}, {5, NO_BUDGET},
    {6, NO_BUDGET}, {7, NO_BUDGET}, {0, 0},         {0, 1},         {0, 3},
    {1, 2},         {3, 1},         {7, 4},
};
static const scan_config g_every_node_configs[] = {{3, 2}, {2, NO_BUDGET}, {0, 1}};

/* What check_scan_everywhere runs: every configuration from the root and the
 * function and class bodies, a few from every node. */
typedef struct scan_plan {
    const scan_config *all;
    size_t nall;
    const scan_config *every_node;
    size_t nevery_node;
} scan_plan;

static const scan_plan g_default_plan = {
    g_all_configs, sizeof g_all_configs / sizeof g_all_configs[0],
    g_every_node_configs, sizeof g_every_node_configs / sizeof g_every_node_configs[0]};
static const scan_plan *g_plan = &g_default_plan;

static void stop_sets_init(void)
{
    for (int s = 0; s < NSETS; s++) {
        stop_set *set = &g_sets[s];
        set->nkinds = 0;
        for (int k = 0; k < 8 && set->names[k]; k++) {
            const char *name = set->names[k];
            bool named = name[0] != '\1';
            if (!named) name++;
            TSSymbol sym = ts_language_symbol_for_name(lang, name, (uint32_t)strlen(name), named);
            if (!sym) fail_msg("no %s kind `%s` in the Python grammar", named ? "named" : "anonymous", name);
            set->kinds[set->nkinds++] = sym;
        }
        set->table = rl_ts_stop_table(lang, set->kinds, set->nkinds, &set->nsymbols);
        assert_non_null(set->table);
    }
}

static void stop_sets_free(void)
{
    for (int s = 0; s < NSETS; s++) {
        free(g_sets[s].table);
        g_sets[s].table = NULL;
    }
}

static bool in_set(const stop_set *set, TSSymbol sym)
{
    for (uint32_t k = 0; k < set->nkinds; k++)
        if (set->kinds[k] == sym) return true;
    return false;
}

typedef struct hit {
    TSNode node;
    uint32_t rel;
} hit;

typedef struct hits {
    hit *v;
    uint32_t n, cap;
} hits;

static hits g_hits;

static void on_stop(void *ctx, TSNode node, uint32_t rel_depth)
{
    hits *h = ctx;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = xrealloc(h->v, sizeof *h->v * h->cap);
    }
    h->v[h->n++] = (hit){node, rel_depth};
}

/* rl_ts_scan from start (the node at m->node[at], as another API gave it)
 * against the preorder: a node goes to fn when its kind is in the set or it
 * is budget or more levels down, and is then not descended into. */
static void check_scan(const mirror *m, uint32_t at, TSNode start, const scan_config *cfg)
{
    char b1[256], b2[256], b3[256];
    const stop_set *set = &g_sets[cfg->set];
    g_hits.n = 0;
    rl_ts_scan(start, set->table, set->nsymbols, cfg->budget, on_stop, &g_hits);
    g_counts.scan_runs++;
    uint32_t k = 0, i = at + 1;
    while (i < m->end[at]) {
        g_counts.scan_walked++;
        uint32_t rel = m->depth[i] - m->depth[at] - 1;
        if (rel < cfg->budget && !in_set(set, m->sym[i])) {
            i++;
            continue;
        }
        if (k >= g_hits.n) {
            MISMATCH("rl_ts_scan(%s, stop %s, budget %u): reported %u nodes, the reference "
                     "has more, the next being %s at depth %u",
                     describe(start, b1, sizeof b1), set->label, cfg->budget, g_hits.n,
                     describe(m->node[i], b2, sizeof b2), rel);
            return;
        }
        if (!same_node(m->node[i], g_hits.v[k].node) || rel != g_hits.v[k].rel) {
            MISMATCH("rl_ts_scan(%s, stop %s, budget %u) report %u: want %s at depth %u, got %s "
                     "at depth %u",
                     describe(start, b1, sizeof b1), set->label, cfg->budget, k,
                     describe(m->node[i], b2, sizeof b2), rel,
                     describe(g_hits.v[k].node, b3, sizeof b3), g_hits.v[k].rel);
            return;
        }
        g_counts.scan_reported++;
        k++;
        i = m->end[i];
    }
    if (k != g_hits.n)
        MISMATCH("rl_ts_scan(%s, stop %s, budget %u): reported %u nodes, the reference %u; first "
                 "extra: %s",
                 describe(start, b1, sizeof b1), set->label, cfg->budget, g_hits.n, k,
                 describe(g_hits.v[k].node, b2, sizeof b2));
}

static void check_scan_everywhere(TSTree *tree)
{
    mirror m = {0};
    mirror_add(&m, ts_tree_root_node(tree), 0);
    g_counts.nodes += m.n;

    /* From the root, every configuration. */
    for (size_t c = 0; c < g_plan->nall; c++) check_scan(&m, 0, m.node[0], &g_plan->all[c]);

    TSSymbol fn = ts_language_symbol_for_name(lang, "function_definition", 19, true);
    TSSymbol cls = ts_language_symbol_for_name(lang, "class_definition", 16, true);
    for (uint32_t i = 0; i < m.n; i++) {
        /* From every function and class body, every configuration. */
        if (m.sym[i] == fn || m.sym[i] == cls) {
            TSNode body = ts_node_child_by_field_name(m.node[i], "body", 4);
            uint32_t at = 0;
            for (uint32_t j = i + 1; !ts_node_is_null(body) && j < m.end[i]; j = m.end[j])
                if (same_node(m.node[j], body)) {
                    at = j;
                    break;
                }
            if (at)
                for (size_t c = 0; c < g_plan->nall; c++) check_scan(&m, at, body, &g_plan->all[c]);
        }
        /* From every node, a few configurations. */
        for (size_t c = 0; c < g_plan->nevery_node; c++)
            check_scan(&m, i, m.node[i], &g_plan->every_node[c]);
    }
    mirror_free(&m);
}

/* ---- sources --------------------------------------------------------------------- */

static void check_source(const char *name, const char *src, uint32_t len, bool kids, bool scan,
                         bool *has_error)
{
    g_where = name;
    TSParser *parser = ts_parser_new();
    assert_true(ts_parser_set_language(parser, lang));
    TSTree *tree = ts_parser_parse_string(parser, NULL, src, len);
    assert_non_null(tree);
    g_counts.sources++;
    if (has_error) *has_error = ts_node_has_error(ts_tree_root_node(tree));
    if (kids) check_kids_everywhere(tree);
    if (kids) check_child_and_field_everywhere(tree);
    if (scan) check_scan_everywhere(tree);
    ts_tree_delete(tree);
    ts_parser_delete(parser);
    g_where = "?";
}

typedef struct snippet {
    const char *name, *src;
} snippet;

static const snippet g_snippets[] = {
    {"empty", ""},
    {"only a comment", "# nothing here\n"},
    {"decorators",
     "@decorator\n"
     "@module.attr(arg, key=1)  # trailing\n"
     "# between decorators\n"
     "@(lambda f: f)\n"
     "def f(a, b: int = 2, *args, c, d: 'str' = \"x\", **kw) -> None:\n"
     "    '''doc'''\n"
     "    return a\n"
     "@dataclass(frozen=True)\n"
     "class C(Base, metaclass=Meta):\n"
     "    x: int = 3\n"
     "    @property\n"
     "    def y(self): return self.x\n"
     "    @y.setter\n"
     "    def y(self, v): self.x = v\n"},
    {"if/elif/else",
     "if a:\n    pass\nelif b:\n    x = 1\nelif c or d and not e:\n    y = 2\nelse:\n    z = 3\n"
     "if x: y()\nelse: z()\n"
     "v = a if b else c if d else e\n"},
    {"try/except/else/finally",
     "try:\n    import reload_me\nexcept ImportError as e:\n    raise RuntimeError('x') from e\n"
     "except (KeyError, ValueError):\n    pass\nexcept:\n    raise\nelse:\n    ok()\nfinally:\n"
     "    done()\n"
     "try:\n    pass\nexcept* OSError as eg:\n    pass\n"},
    {"with items",
     "with open(p) as f, lock:\n    pass\n"
     "with (open(a) as x, open(b) as y,):\n    pass\n"
     "async def g():\n    async with s as (a, b):\n        async for i in it:\n"
     "            await i\n        yield x\n        yield from y\n"},
    {"match/case",
     "match command.split():\n"
     "    case [action]:\n        pass\n"
     "    case [action, obj] if obj:\n        pass\n"
     "    case Point(x=0, y=0) | {'k': v, **rest}:\n        pass\n"
     "    case [1, 2, *others] as whole:\n        pass\n"
     "    case str() | bytes() as s:\n        pass\n"
     "    case -1 | 1.5 | 2j | None | True:\n        pass\n"
     "    case _:\n        pass\n"
     "match = 1\ncase = match\n"},
    {"lambda and comprehensions",
     "f = lambda: 0\ng = lambda x, *a, y=1, **k: (x, a, y, k)\n"
     "l = [x * y for x in range(3) if x for y in range(x) if y if not y % 2]\n"
     "s = {x for x in xs}\nd = {k: v for k, v in items}\n"
     "gen = (i async for i in aiter() if await i)\n"
     "m = sum(x for x in xs)\n"},
    {"f-strings",
     "a = f'{x!r:>{width}} {y.z(1, key=f\"{q}\")} {{literal}} {d[\"k\"]=}'\n"
     "b = rf\"\\d{n}\" f'''{\n  x  # comment in a triple-quoted f-string\n}''' 'plain' b'bytes'\n"
     "c = f'{lambda_:{fmt}}{x:{\"nested\"}}'\n"
     "d = u'unicode' R'raw' \"\"\"triple\"\"\"\n"},
    {"comments in parentheses and between arguments",
     "x = (  # opening\n    1 +  # plus\n    2  # two\n)\n"
     "call(  # first\n    a,  # after a\n    # own line\n    b=2,  # keyword\n    *args,\n"
     "    **kw  # last\n)\n"
     "l = [\n    1,  # one\n    # nothing\n]\n"
     "def f(\n    a,  # param\n    # between params\n    b=1,\n):  # colon\n    pass\n"
     "x = a[  # sub\n    1:2  # slice\n]\n"},
    {"imports",
     "import os\nimport os.path as osp, sys\n"
     "from . import (a as b, c)\nfrom .. import d\nfrom .pkg.mod import e as f, g\n"
     "from ... import (h,)\nfrom __future__ import annotations\nfrom m import *\n"
     "import importlib\nimportlib.reload(os)\n"},
    {"python 2",
     "print 'hello'\nprint >>sys.stderr, 'x', y\nprint\nexec 'code' in ns\n"
     "try:\n    pass\nexcept Exception, e:\n    pass\n"
     "raise E, 'message'\nx = `y`\nn = 0777L\ndef f((a, b), c):\n    pass\n"
     "print('as a function', file=sys.stderr)\nprint = 3\nexec = print\n"},
    {"broken code",
     "def broken(:\n    pass\nclass (:\n  x = [1, 2\ny = )\nz = 'unterminated\n"
     "if x\n    pass\nfor in y:\n    pass\nlambda: yield\n@\n"},
    {"keywords, defaults, scopes",
     "def outer(a, /, b, *, c=1, d: int = 2):\n"
     "    global g1, g2\n"
     "    def inner():\n        nonlocal a\n        a += 1\n    return inner\n"
     "f(1, *a, key=value, **{'k': 1}, other=lambda: 0)\n"},
    {"walrus, comparisons, assignments",
     "if (n := len(a)) > 10 and 0 < x <= y < z != w is not None not in s:\n    pass\n"
     "x: int = 3\ny: list[int]\nfirst, *rest = items\n*a, b = c\n(a, b), c = d\n"
     "a = b = c = 1\nx += 1; y -= 2; z @= m; w **= 2; v //= 3; u >>= 1\n"
     "del a[0], b.c\nassert x, 'msg'\n"},
    {"newer syntax",
     "type Alias[T] = list[T]\n"
     "def generic[T: int, *Ts, **P](x: T) -> T:\n    return x\n"
     "class Box[T]:\n    pass\n"
     "x = a[1:2, ::3, ...]\n"
     "if True: x = 1; y = 2\n"
     "s = 'line one' \\\n    'line two'\n"},
    {"CRLF, tabs and BOM",
     "\xef\xbb\xbfimport os\r\nif x:\r\n\tpass\r\nelse:\r\n\t# c\r\n\ty = (1,\r\n\t 2)\r\n"},
    {"non-ASCII and invalid UTF-8",
     "\xc3\xa9t\xc3\xa9 = '\xe2\x82\xac'  # \xf0\x9f\x98\x80\n\xe2\x82\xac = 1\nx = '\xff\xfe'\n"
     "def \xce\xbb(\xcf\x80=3.14): return \xcf\x80\n"},
};
enum { NSNIPPETS = sizeof g_snippets / sizeof g_snippets[0] };

/* A growing string. */
typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

static void sb_add(strbuf *b, const char *text)
{
    size_t len = strlen(text);
    if (b->n + len + 1 > b->cap) {
        b->cap = (b->n + len + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, text, len + 1);
    b->n += len;
}

/* Generated sources: deep nesting, wide nodes, long repetitions. */
static char *generated(int which, const char **name)
{
    strbuf b = {0};
    char line[96];
    sb_add(&b, "");
    switch (which) {
    case 0:
        *name = "300 nested parentheses";
        sb_add(&b, "x = ");
        for (int i = 0; i < 300; i++) sb_add(&b, "(");
        sb_add(&b, "f(a, # c\n b)");
        for (int i = 0; i < 300; i++) sb_add(&b, ")");
        sb_add(&b, "\n");
        break;
    case 1:
        *name = "a call with 5000 arguments";
        sb_add(&b, "call(");
        for (int i = 0; i < 5000; i++) {
            snprintf(line, sizeof line, i % 3 == 0 ? "a%d, " : i % 3 == 1 ? "k%d=x, " : "*s%d, ", i);
            sb_add(&b, line);
            if (i % 250 == 0) sb_add(&b, "# comment\n");
        }
        sb_add(&b, ")\n");
        break;
    case 2:
        *name = "nested lists, calls and lambdas";
        sb_add(&b, "y = ");
        for (int i = 0; i < 120; i++) sb_add(&b, i % 3 == 0 ? "[" : i % 3 == 1 ? "g(" : "lambda: {");
        sb_add(&b, "0");
        for (int i = 119; i >= 0; i--) sb_add(&b, i % 3 == 0 ? "]" : i % 3 == 1 ? ")" : "}");
        sb_add(&b, "\n");
        break;
    case 3:
        *name = "400-branch elif chain and 3000 statements";
        sb_add(&b, "if x == 0:\n    pass\n");
        for (int i = 1; i < 400; i++) {
            snprintf(line, sizeof line, "elif x == %d:  # branch\n    y = f(%d)\n", i, i);
            sb_add(&b, line);
        }
        sb_add(&b, "else:\n    pass\n");
        for (int i = 0; i < 3000; i++) {
            snprintf(line, sizeof line, "v%d = m.attr%d(%d)\n", i, i, i);
            sb_add(&b, line);
        }
        break;
    case 4:
        *name = "deeply nested blocks";
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < i; j++) sb_add(&b, " ");
            sb_add(&b, i % 2 ? "def f(x):\n" : "if x:\n");
        }
        for (int j = 0; j < 60; j++) sb_add(&b, " ");
        sb_add(&b, "return reload(x)\n");
        break;
    default:
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- tests ----------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    lang = tree_sitter_python();
    if (!lang) return -1;
    g_kids_cap = 64;
    g_kids = xrealloc(NULL, sizeof *g_kids * g_kids_cap);
    g_trunc = xrealloc(NULL, sizeof *g_trunc * (g_kids_cap + 1));
    stop_sets_init();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_sets_free();
    free(g_kids);
    free(g_trunc);
    free(g_hits.v);
    g_kids = g_trunc = NULL;
    g_hits = (hits){0};
    return 0;
}

static void run_snippets(bool kids, bool scan)
{
    bool any_error = false, err;
    for (int i = 0; i < NSNIPPETS; i++) {
        check_source(g_snippets[i].name, g_snippets[i].src, (uint32_t)strlen(g_snippets[i].src),
                     kids, scan, &err);
        any_error |= err;
    }
    for (int i = 0;; i++) {
        const char *name;
        char *src = generated(i, &name);
        if (!src) break;
        check_source(name, src, (uint32_t)strlen(src), kids, scan, &err);
        any_error |= err;
        free(src);
    }
    assert_true(any_error); /* error recovery (ERROR, MISSING) was exercised */
}

static void test_stop_table(void **state)
{
    (void)state;
    uint32_t n = ts_language_symbol_count(lang);
    for (int s = 0; s < NSETS; s++) {
        const stop_set *set = &g_sets[s];
        assert_true(set->nsymbols >= n);
        uint32_t marked = 0;
        for (uint32_t sym = n; sym < set->nsymbols; sym++) /* beyond the grammar's symbols */
            if (set->table[sym] != in_set(set, (TSSymbol)sym))
                fail_msg("stop table %s: symbol %u marked %d", set->label, sym, set->table[sym]);
        for (uint32_t sym = 0; sym < n; sym++) {
            /* The public symbol of an internal one is the first symbol of the
             * same name and type; compare by name and type. */
            bool want = false;
            for (uint32_t k = 0; k < set->nkinds; k++)
                want |= strcmp(ts_language_symbol_name(lang, (TSSymbol)sym),
                               ts_language_symbol_name(lang, set->kinds[k])) == 0 &&
                        ts_language_symbol_type(lang, (TSSymbol)sym) ==
                            ts_language_symbol_type(lang, set->kinds[k]);
            if (set->table[sym] != want)
                fail_msg("stop table %s: symbol %u (%s) marked %d, want %d", set->label, sym,
                         ts_language_symbol_name(lang, (TSSymbol)sym), set->table[sym], want);
            marked += set->table[sym];
        }
        if (s != ERROR_SET) assert_true(marked >= set->nkinds);
        /* Each kind can be stopped at: some entry of the table is marked for
         * it (ERROR is test_scan_stops_at_error's business). */
        for (uint32_t k = 0; s != ERROR_SET && k < set->nkinds; k++) {
            bool found = false;
            for (uint32_t sym = 0; sym < n && !found; sym++)
                found = set->table[sym] &&
                        strcmp(ts_language_symbol_name(lang, (TSSymbol)sym),
                               ts_language_symbol_name(lang, set->kinds[k])) == 0;
            if (!found) fail_msg("stop table %s: nothing marked for %s", set->label, set->names[k]);
        }
    }
    uint32_t none;
    bool *t = rl_ts_stop_table(lang, NULL, 0, &none);
    assert_true(none >= n);
    for (uint32_t sym = 0; sym < none; sym++) assert_false(t[sym]);
    free(t);

    rl_ts_kid k;
    assert_int_equal(rl_ts_kids((TSNode){0}, &k, 1, false), 0);
    assert_true(ts_node_is_null(rl_ts_child((TSNode){0}, 0, false)));
    assert_true(ts_node_is_null(rl_ts_field((TSNode){0}, 1)));
}

/* Runs the snippets with fresh counters and prints what was compared. */
static void run_counted(const char *label, bool kids, bool scan)
{
    g_counts = (counts){0};
    g_mismatches = 0;
    double t0 = now();
    run_snippets(kids, scan);
    print_counts(label, &g_counts, now() - t0);
}

static void test_kids_snippets(void **state)
{
    (void)state;
    run_counted("snippets, rl_ts_kids", true, false);
    assert_true(g_counts.kids_nodes > 0);
    assert_true(g_counts.kids_entries > 0);
    assert_true(g_counts.named_entries > 0);
    assert_true(g_counts.trunc_checks > 0);
    assert_true(g_counts.child_calls > 0);
    assert_true(g_counts.field_hits > 0);
    assert_true(g_counts.leaves > 0);
    assert_int_equal(g_mismatches, 0);
}

static void test_scan_snippets(void **state)
{
    (void)state;
    run_counted("snippets, rl_ts_scan", false, true);
    assert_true(g_counts.nodes > 0);
    assert_true(g_counts.scan_runs > 0);
    assert_true(g_counts.scan_reported > 0);
    assert_int_equal(g_mismatches, 0);
}

/* ERROR nodes in a stop set: ts_node_symbol gives them ts_builtin_sym_error
 * (65535), which rl_ts_stop_table must cover like any other kind. */
static void test_scan_stops_at_error(void **state)
{
    (void)state;
    const stop_set *set = &g_sets[ERROR_SET];
    assert_int_equal(set->nkinds, 1);
    assert_true(set->kinds[0] < set->nsymbols);
    static const scan_config configs[] = {{ERROR_SET, NO_BUDGET}, {ERROR_SET, 2}};
    static const scan_plan plan = {configs, 2, configs, 2};
    g_plan = &plan;
    run_counted("snippets, rl_ts_scan stopping at ERROR", false, true);
    g_plan = &g_default_plan;
    assert_true(g_counts.scan_reported > 0);
    assert_int_equal(g_mismatches, 0);
}

/* Files of the system's Python library, by the end of their path. */
static const char *const g_file_suffixes[] = {
    "/typing.py",
    "/ast.py",
    "/argparse.py",
    "/dataclasses.py",
    "/logging/__init__.py",
    "/asyncio/base_events.py",
    "/test/test_grammar.py",
    "/test/test_syntax.py",
    "/test/test_patma.py",
    "/test/test_fstring.py",
    "/test/test_string_literals.py",
    "/test/test_unicode_identifiers.py",
    "/test/badsyntax_3131.py",
    "/test/badsyntax_pep3120.py",
    "/test/bad_coding2.py",
    "/lib2to3/tests/data/py2_test_grammar.py",
    "/lib2to3/tests/data/py3_test_grammar.py",
    "/lib2to3/tests/data/crlf.py",
    "/lib2to3/tests/data/bom.py",
    "/lib2to3/tests/data/different_encoding.py",
};
enum { NSUFFIXES = sizeof g_file_suffixes / sizeof g_file_suffixes[0] };
static const char *const g_stdlib_root = "/usr/lib/python3.11";

static char **g_found;
static size_t g_nfound;
static bool g_suffix_seen[NSUFFIXES];

static void add_if_wanted(const char *path)
{
    size_t len = strlen(path);
    for (int s = 0; s < NSUFFIXES; s++) {
        size_t sl = strlen(g_file_suffixes[s]);
        if (len >= sl && strcmp(path + len - sl, g_file_suffixes[s]) == 0) {
            g_suffix_seen[s] = true;
            g_found = xrealloc(g_found, sizeof *g_found * (g_nfound + 1));
            g_found[g_nfound] = xrealloc(NULL, len + 1);
            memcpy(g_found[g_nfound++], path, len + 1);
            return;
        }
    }
}

/* The regular files under dir, symbolic links not followed. */
static void collect(const char *dir, int depth)
{
    if (depth > 32) return;
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = xrealloc(NULL, len);
        snprintf(path, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode)) collect(path, depth + 1);
            else if (S_ISREG(st.st_mode)) add_if_wanted(path);
        }
        free(path);
    }
    closedir(d);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, uint32_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    strbuf b = {0};
    char chunk[65536];
    size_t got;
    sb_add(&b, "");
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.n + got + 1 > b.cap) {
            b.cap = (b.n + got + 1) * 2;
            b.s = xrealloc(b.s, b.cap);
        }
        memcpy(b.s + b.n, chunk, got);
        b.n += got;
        b.s[b.n] = '\0';
    }
    fclose(f);
    *len = (uint32_t)b.n;
    return b.s;
}

static void test_stdlib_files(void **state)
{
    (void)state;
    g_counts = (counts){0};
    g_mismatches = 0;
    g_found = NULL;
    g_nfound = 0;
    memset(g_suffix_seen, 0, sizeof g_suffix_seen);
    double t0 = now();
    struct stat st;
    if (stat(g_stdlib_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_message("[ tsscan   ] note: %s does not exist; no library files checked\n", g_stdlib_root);
        return;
    }
    collect(g_stdlib_root, 0);
    for (int s = 0; s < NSUFFIXES; s++)
        if (!g_suffix_seen[s])
            print_message("[ tsscan   ] note: no file ending in %s under %s; skipped\n",
                          g_file_suffixes[s], g_stdlib_root);
    if (g_nfound) qsort(g_found, g_nfound, sizeof *g_found, by_path);
    for (size_t i = 0; i < g_nfound; i++) {
        uint32_t len;
        char *src = read_file(g_found[i], &len);
        if (!src) {
            print_message("[ tsscan   ] note: cannot read %s; skipped\n", g_found[i]);
        } else {
            unsigned long before = g_counts.nodes;
            double t = now();
            check_source(g_found[i], src, len, true, true, NULL);
            print_message("[ tsscan   ]   %s: %u bytes, %lu nodes, %.2fs\n", g_found[i], len,
                          g_counts.nodes - before, now() - t);
            free(src);
        }
        free(g_found[i]);
    }
    free(g_found);
    g_found = NULL;
    print_counts("library files, both", &g_counts, now() - t0);
    assert_int_equal(g_mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_table),
        cmocka_unit_test(test_kids_snippets),
        cmocka_unit_test(test_scan_snippets),
        cmocka_unit_test(test_scan_stops_at_error),
        cmocka_unit_test(test_stdlib_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
