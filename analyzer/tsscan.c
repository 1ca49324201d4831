/* tsscan.c - a fast descent through a tree-sitter tree, for the front end.
 *
 * Why this reads tree-sitter's internals: a TSTreeCursor walk over every node
 * costs about 12% of the parse itself (bench/parse_floor --walk), and the
 * analyzer's whole budget over the parse is 15%. The cursor pays for work the
 * front end does not need on most nodes (entry stack, descendant indices, a
 * TSNode per node, field bookkeeping). Most nodes of a Python file are
 * punctuation, identifiers and expressions the rules never look at; this scan
 * steps over them with a few loads each and builds a TSNode only for the
 * kinds the caller stops at. It follows the same rules as the cursor:
 * invisible nodes are transparent, aliases come from the parent production's
 * alias sequence (extras take none), positions add padding and size.
 *
 * tree-sitter is pinned by version and integrity (third_party/deps.lock), so
 * the internal layout cannot change under us; tests/unit/test_tsscan.c checks
 * this scan against a TSTreeCursor walk on real files. */
#include "tsscan.h"

#include <stdlib.h>
#include <string.h>

#include "language.h"
#include "subtree.h"
#include "tree.h"
#include "util.h"

typedef struct frame {
    const Subtree *children;
    const TSSymbol *aliases; /* the parent production's alias sequence, or NULL */
    uint32_t count, next, structural;
    uint32_t rel_depth;      /* visible nodes between the start node and these children */
    Length position;         /* where children[next] starts, padding excluded */
} frame;

enum { INLINE_FRAMES = 48 };

/* ts_node_new (node.c), here so it is inlined: the scan and the children
 * lists make one for every node they hand out. */
static inline TSNode node_at(const TSTree *tree, const Subtree *subtree, Length position, TSSymbol alias)
{
    return (TSNode){{position.bytes, position.extent.row, position.extent.column, alias}, subtree, tree};
}

/* Where a node starts: what ts_node_start_byte and ts_node_start_point
 * read from it (node.c), without the two calls. */
static inline Length start_of(TSNode n)
{
    return (Length){n.context[0], {n.context[1], n.context[2]}};
}

/* The public kind of a visible subtree shown as alias (0: none). */
static inline TSSymbol public_kind(const TSLanguage *lang, Subtree t, TSSymbol alias)
{
    TSSymbol s = alias ? alias : ts_subtree_symbol(t);
    return s == ts_builtin_sym_error ? s : lang->public_symbol_map[s];
}

void rl_ts_scan(TSNode start, const bool *stop_at, uint32_t nsymbols, uint32_t depth_budget,
                rl_ts_scan_fn fn, void *ctx)
{
    Subtree root = *(const Subtree *)start.id;
    if (ts_subtree_child_count(root) == 0) return;
    const TSLanguage *lang = start.tree->language;
    frame inline_frames[INLINE_FRAMES];
    frame *stack = inline_frames;
    uint32_t cap = INLINE_FRAMES, top = 0;
    stack[top++] = (frame){
        .children = ts_subtree_children(root),
        .aliases = ts_language_alias_sequence(lang, root.ptr->production_id),
        .count = root.ptr->child_count,
        .position = start_of(start),
    };
    while (top) {
        frame *f = &stack[top - 1];
        if (f->next == f->count) {
            top--;
            continue;
        }
        const Subtree *child = &f->children[f->next];
        TSSymbol alias = 0;
        if (!ts_subtree_extra(*child)) {
            if (f->aliases) alias = f->aliases[f->structural];
            f->structural++;
        }
        if (f->next > 0) f->position = length_add(f->position, ts_subtree_padding(*child));
        Length at = f->position;
        f->position = length_add(f->position, ts_subtree_size(*child));
        f->next++;
        uint32_t rel = f->rel_depth;
        uint32_t nchildren = ts_subtree_child_count(*child);
        bool visible = ts_subtree_visible(*child) || alias;
        /* an invisible node wrapping one child (a supertype: expression >
           primary_expression > ...) is stepped into without a frame */
        while (!visible && nchildren == 1) {
            Subtree wrapper = *child;
            child = ts_subtree_children(wrapper);
            const TSSymbol *inner = ts_language_alias_sequence(lang, wrapper.ptr->production_id);
            alias = inner && !ts_subtree_extra(*child) ? inner[0] : 0;
            nchildren = ts_subtree_child_count(*child);
            visible = ts_subtree_visible(*child) || alias;
        }
        if (visible) {
            TSSymbol s = alias ? alias : ts_subtree_symbol(*child);
            if (rel >= depth_budget || (s < nsymbols && stop_at[s])) {
                fn(ctx, node_at(start.tree, child, at, alias), rel);
                continue;
            }
            rel++;
        }
        if (nchildren == 0) continue;
        if (top == cap) {
            frame *bigger = rl_xmalloc(sizeof(frame) * cap * 2);
            memcpy(bigger, stack, sizeof(frame) * cap);
            if (stack != inline_frames) free(stack);
            stack = bigger;
            cap *= 2;
        }
        stack[top++] = (frame){
            .children = ts_subtree_children(*child),
            .aliases = ts_language_alias_sequence(lang, child->ptr->production_id),
            .count = nchildren,
            .rel_depth = rel,
            .position = at,
        };
    }
    if (stack != inline_frames) free(stack);
}

bool *rl_ts_stop_table(const TSLanguage *lang, const TSSymbol *kinds, uint32_t nkinds,
                       uint32_t *nsymbols)
{
    /* every TSSymbol has an entry, ERROR (65535) included */
    uint32_t n = ts_language_symbol_count(lang), size = (uint32_t)UINT16_MAX + 1;
    bool *table = rl_xcalloc(size, sizeof(bool));
    for (uint32_t s = 0; s < n; s++) {
        TSSymbol pub = ts_language_public_symbol(lang, (TSSymbol)s);
        for (uint32_t k = 0; k < nkinds; k++) table[s] |= pub == kinds[k];
    }
    for (uint32_t k = 0; k < nkinds; k++)
        if (kinds[k] == ts_builtin_sym_error) table[ts_builtin_sym_error] = true;
    *nsymbols = size;
    return table;
}

/* ---- children with their fields ------------------------------------------------ */

typedef struct kids_ctx {
    const TSTree *tree;
    const TSLanguage *lang;
    rl_ts_kid *out;
    uint32_t cap, n;
    bool named_only;
    uint32_t stop_index;  /* stop once child stop_index is stored (UINT32_MAX: never) */
    TSFieldId stop_field; /* stop at the first child in this field (0: never) */
    rl_ts_kid found;
} kids_ctx;

/* Invisible nodes cannot nest without bound in a real tree (repetitions are
 * balanced); past this the rest of a hostile one is not listed. */
#define RL_MAX_HIDDEN_DEPTH 1000

/* The field a production gives its structural child i itself (not through
 * an invisible node), or 0. */
static TSFieldId own_field(const TSFieldMapEntry *map, const TSFieldMapEntry *map_end, uint32_t i)
{
    for (const TSFieldMapEntry *m = map; m < map_end; m++)
        if (!m->inherited && m->child_index == i) return m->field_id;
    return 0;
}

/* The visible children under parent, which is n itself or an invisible node
 * inside it. A child's field is its own entry in parent's field map, else
 * the field of the invisible node it sits in, as the cursor reports it.
 * Returns true when the search is over. */
static bool kids_in(kids_ctx *k, Subtree parent, Length position, TSFieldId outer_field,
                    uint32_t depth)
{
    if (depth > RL_MAX_HIDDEN_DEPTH) return false;
    const TSFieldMapEntry *map, *map_end;
    ts_language_field_map(k->lang, parent.ptr->production_id, &map, &map_end);
    const TSSymbol *aliases = ts_language_alias_sequence(k->lang, parent.ptr->production_id);
    const Subtree *children = ts_subtree_children(parent);
    uint32_t structural = 0;
    for (uint32_t i = 0; i < parent.ptr->child_count; i++) {
        const Subtree *c = &children[i];
        if (i > 0) position = length_add(position, ts_subtree_padding(*c));
        TSSymbol alias = 0;
        TSFieldId field = 0;
        bool extra = ts_subtree_extra(*c);
        if (!extra) {
            if (aliases) alias = aliases[structural];
            field = own_field(map, map_end, structural);
            if (!field) field = outer_field;
            structural++;
        }
        /* Most invisible children wrap exactly one node (the grammar's
           supertypes: an argument is expression > primary_expression >
           identifier): step into them here, as the recursion below would,
           without a call per level. The wrapper starts where its child does. */
        uint32_t hidden = depth;
        while (!(ts_subtree_visible(*c) || alias) && ts_subtree_child_count(*c) == 1 &&
               hidden < RL_MAX_HIDDEN_DEPTH) {
            Subtree wrapper = *c;
            c = ts_subtree_children(wrapper);
            hidden++;
            if (ts_subtree_extra(*c)) {
                alias = 0;
                field = 0;
                continue;
            }
            const TSSymbol *inner_aliases = ts_language_alias_sequence(k->lang, wrapper.ptr->production_id);
            const TSFieldMapEntry *inner_map, *inner_end;
            ts_language_field_map(k->lang, wrapper.ptr->production_id, &inner_map, &inner_end);
            alias = inner_aliases ? inner_aliases[0] : 0;
            TSFieldId inner_field = own_field(inner_map, inner_end, 0);
            if (inner_field) field = inner_field;
        }
        if (ts_subtree_visible(*c) || alias) {
            bool named = alias ? ts_language_symbol_metadata(k->lang, alias).named : ts_subtree_named(*c);
            if (!k->named_only || named) {
                if (k->n == k->stop_index || (k->stop_field && field == k->stop_field)) {
                    k->found = (rl_ts_kid){node_at(k->tree, c, position, alias), field, 0, false};
                    return true;
                }
                if (k->n < k->cap)
                    k->out[k->n] = (rl_ts_kid){node_at(k->tree, c, position, alias), field,
                                               public_kind(k->lang, *c, alias),
                                               ts_subtree_child_count(*c) == 0};
                k->n++;
            }
        } else if (ts_subtree_child_count(*c) > 0) {
            if (kids_in(k, *c, position, field, hidden + 1)) return true;
        }
        position = length_add(position, ts_subtree_size(children[i]));
    }
    return false;
}

static bool kids_start(kids_ctx *k, TSNode n)
{
    if (!n.id) return false; /* ts_node_is_null */
    Subtree self = *(const Subtree *)n.id;
    if (ts_subtree_child_count(self) == 0) return false;
    k->tree = n.tree;
    k->lang = n.tree->language;
    return kids_in(k, self, start_of(n), 0, 0);
}

uint32_t rl_ts_kids(TSNode n, rl_ts_kid *out, uint32_t cap, bool named_only)
{
    kids_ctx k = {.out = out, .cap = cap, .named_only = named_only, .stop_index = UINT32_MAX};
    kids_start(&k, n);
    return k.n;
}

TSNode rl_ts_child(TSNode n, uint32_t index, bool named_only)
{
    kids_ctx k = {.named_only = named_only, .stop_index = index};
    return kids_start(&k, n) ? k.found.node : (TSNode){0};
}

TSNode rl_ts_field(TSNode n, TSFieldId field)
{
    kids_ctx k = {.stop_index = UINT32_MAX, .stop_field = field};
    return field && kids_start(&k, n) ? k.found.node : (TSNode){0};
}

TSSymbol rl_ts_symbol(TSNode n)
{
    /* context[3] is the alias, if any */
    return public_kind(n.tree->language, *(const Subtree *)n.id, (TSSymbol)n.context[3]);
}
