/* extract.c - the front end: one walk over a tree-sitter tree -> rl_file_facts.
 *
 * The walk records three things and nothing else: bindings (what each name of
 * each scope is bound to, as written), events (imports, candidate reload and
 * import calls, candidate operations on sys.modules) in program order with the
 * control structure of each flow scope kept as markers, and per-line noqa
 * comments. Names are NOT resolved here: a function may use a name that is
 * bound further down the file, so resolution waits for the whole file
 * (model.c), like pyflakes' deferred function bodies.
 *
 * Node kinds and fields are compared as integer ids looked up once in
 * rl_extract_init(); a grammar that lacks one fails loudly at start-up. */
#include "extract.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <tree_sitter/api.h>

#include "model.h"
#include "resolve.h"
#include "tsheap.h"
#include "tsscan.h"
#include "util.h"

const TSLanguage *tree_sitter_python(void);

/* Deeper nesting than this is hostile or generated input; the subtree is
 * skipped (and the file marked truncated) instead of overflowing the C stack. */
#define RL_MAX_DEPTH 400

/* ---- grammar ids --------------------------------------------------------- */

#define RL_SYMBOLS(X)                                                      \
    X(module) X(identifier) X(attribute) X(call) X(subscript) X(string)     \
    X(concatenated_string) X(string_content) X(interpolation)              \
    X(argument_list) X(keyword_argument) X(comment) X(block)               \
    X(import_statement) X(import_from_statement) X(future_import_statement) \
    X(aliased_import) X(dotted_name) X(relative_import) X(import_prefix)   \
    X(wildcard_import) X(function_definition) X(class_definition)          \
    X(decorated_definition) X(lambda) X(parameters) X(lambda_parameters)   \
    X(default_parameter) X(typed_parameter) X(typed_default_parameter)     \
    X(list_splat_pattern) X(dictionary_splat_pattern)                      \
    X(if_statement) X(elif_clause) X(else_clause) X(for_statement)         \
    X(while_statement) X(try_statement) X(except_clause) X(finally_clause) \
    X(with_statement) X(with_clause) X(with_item) X(as_pattern)            \
    X(match_statement) X(case_clause) X(return_statement)                  \
    X(raise_statement) X(break_statement) X(continue_statement)            \
    X(delete_statement) X(expression_statement) X(assignment)              \
    X(augmented_assignment) X(global_statement) X(nonlocal_statement)      \
    X(named_expression) X(tuple) X(list) X(set) X(dictionary) X(pair)      \
    X(parenthesized_expression) X(pattern_list) X(tuple_pattern)           \
    X(list_pattern) X(expression_list) X(list_comprehension)               \
    X(set_comprehension) X(dictionary_comprehension)                       \
    X(generator_expression) X(for_in_clause) X(if_clause)                  \
    X(integer) X(float) X(true) X(false) X(none) X(unary_operator)         \
    X(not_operator) X(boolean_operator) X(comparison_operator)             \
    X(ellipsis) X(binary_operator) X(print_statement) X(exec_statement)   \
    X(decorator)

#define RL_FIELDS(X)                                                        \
    X(name) X(alias) X(module_name) X(body) X(parameters) X(value)          \
    X(condition) X(consequence) X(alternative) X(left) X(right)             \
    X(function) X(arguments) X(object) X(attribute) X(subscript)            \
    X(definition) X(superclasses) X(operators) X(argument) X(operator)      \
    X(return_type) X(type) X(key) X(subject)

static struct {
#define RL_SYM_FIELD(n) TSSymbol s_##n;
    RL_SYMBOLS(RL_SYM_FIELD)
#undef RL_SYM_FIELD
} sym;

static struct {
#define RL_FLD_FIELD(n) TSFieldId n;
    RL_FIELDS(RL_FLD_FIELD)
#undef RL_FLD_FIELD
} fld;

/* Node kinds (internal symbols) the fast descent stops at: see visit(). */
static bool *special_kinds;
static uint32_t nsymbols;

int rl_extract_init(void)
{
    const TSLanguage *lang = tree_sitter_python();
    uint32_t abi = ts_language_abi_version(lang);
    if (abi < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || abi > TREE_SITTER_LANGUAGE_VERSION)
        return rl_error("tree-sitter-python grammar ABI %u is not supported by this tree-sitter "
                        "(supports %u..%u); rebuild with the pinned sources (third_party/fetch.sh)",
                        abi, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, TREE_SITTER_LANGUAGE_VERSION);
#define RL_SYM_LOOKUP(n)                                                              \
    sym.s_##n = ts_language_symbol_for_name(lang, #n, (uint32_t)strlen(#n), true);    \
    if (sym.s_##n == 0)                                                               \
        return rl_error("tree-sitter-python grammar has no node kind `%s`", #n);
    RL_SYMBOLS(RL_SYM_LOOKUP)
#undef RL_SYM_LOOKUP
#define RL_FLD_LOOKUP(n)                                                              \
    fld.n = ts_language_field_id_for_name(lang, #n, (uint32_t)strlen(#n));            \
    if (fld.n == 0)                                                                   \
        return rl_error("tree-sitter-python grammar has no field `%s`", #n);
    RL_FIELDS(RL_FLD_LOOKUP)
#undef RL_FLD_LOOKUP
    /* The kinds visit() does more with than visit its children. */
    const TSSymbol special[] = {
        sym.s_comment, sym.s_import_statement, sym.s_import_from_statement,
        sym.s_future_import_statement, sym.s_function_definition, sym.s_lambda,
        sym.s_class_definition, sym.s_if_statement, sym.s_for_statement, sym.s_while_statement,
        sym.s_try_statement, sym.s_with_statement, sym.s_match_statement, sym.s_assignment,
        sym.s_delete_statement, sym.s_global_statement, sym.s_nonlocal_statement,
        sym.s_return_statement, sym.s_raise_statement, sym.s_break_statement,
        sym.s_continue_statement, sym.s_augmented_assignment, sym.s_decorator,
        sym.s_comparison_operator, sym.s_named_expression, sym.s_call, sym.s_attribute,
        sym.s_string,
    };
    free(special_kinds);
    special_kinds = rl_ts_stop_table(lang, special, sizeof special / sizeof special[0], &nsymbols);
    rl_ts_heap_install();
    /* The same check every parser does, once, with a clear message. */
    TSParser *parser = ts_parser_new();
    bool ok = ts_parser_set_language(parser, lang);
    ts_parser_delete(parser);
    if (!ok)
        return rl_error("ts_parser_set_language rejected the tree-sitter-python grammar");
    return 0;
}

void rl_extract_shutdown(void)
{
    free(special_kinds);
    special_kinds = NULL;
}

/* ---- walker state --------------------------------------------------------- */

/* A `for` loop whose variable can name sys.modules keys. */
typedef struct loop_ctx {
    const char *var;        /* loop variable name (first name of a tuple target) */
    rl_key *keys;           /* literal keys when iterating a literal tuple/list of strings */
    uint32_t nkeys;
    const char *prefix;     /* startswith() filter of a comprehension in the iterable */
    const char **names;     /* dotted names when iterating a literal tuple of names (modules) */
    uint32_t nnames;
} loop_ctx;

/* An `if` condition constraining a loop variable (k.startswith("pkg"), k == "x"). */
typedef struct constraint {
    const char *var;
    rl_key *keys;
    uint32_t nkeys;
} constraint;

typedef RL_VEC(rl_key) key_vec;

/* An attribute load (RL305) seen by the walk: most read a local object
 * (`node.value`) and are dropped once the file's imported names are known,
 * before any string or position is made for them. */
typedef struct pending_load {
    rl_ref_kind kind;
    uint32_t scope;
    const char *text; /* NULL: the source bytes [start, start + len) */
    uint32_t start, len;
    TSNode at;        /* where the finding points */
} pending_load;

typedef struct walker {
    rl_file_facts *f;
    const char *src;
    uint32_t len;
    const char *module;
    bool is_package;
    uint32_t scope;          /* current name-resolution scope */
    uint32_t flow;           /* current flow scope */
    uint32_t depth;
    uint32_t cond_depth;     /* >0: inside if/try/loop/with of the current scope */
    uint32_t try_depth;
    uint32_t handler_depth;  /* inside an except clause */
    uint32_t guard_depth;    /* inside `if x not in y:`-style idempotence guards */
    bool type_checking;
    RL_VEC(loop_ctx) loops;
    RL_VEC(constraint) constraints;
    rl_strbuf scratch;       /* dotted()'s buffer, reused across calls */
    rl_strbuf cond_text;     /* an if condition's text while it is judged */
    rl_arena loads;          /* RL_REF_ATTR_LOAD / GETATTR text: the model keeps few of them
                                and copies those into the file's arena (model.c) */
    RL_VEC(struct pending_load) pending; /* attribute loads, judged after the walk */
    bool prune;              /* drop events the model would drop, at function exit (not for --dump-model) */
    struct scope_name *scope_names; /* prune_function_events' table, reused */
    uint32_t scope_names_cap;
} walker;

/* ---- small helpers ----------------------------------------------------------- */

static rl_arena *A(walker *w) { return &w->f->arena; }

static rl_span span_of(walker *w, TSNode n)
{
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    TSPoint sp = rl_ts_start_point(n), ep = ts_node_end_point(n);
    if (sb > w->len) sb = w->len;
    if (eb > w->len) eb = w->len;
    uint32_t sline = sb >= sp.column ? sb - sp.column : 0;
    uint32_t eline = eb >= ep.column ? eb - ep.column : 0;
    rl_span s;
    s.line = sp.row + 1;
    s.col = rl_utf8_count(w->src + sline, sb - sline) + 1;
    s.end_line = ep.row + 1;
    s.end_col = rl_utf8_count(w->src + eline, eb - eline) + 1;
    return s;
}

static const char *text_of(walker *w, TSNode n)
{
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    if (eb > w->len) eb = w->len;
    if (sb > eb) sb = eb;
    return rl_arena_strndup(A(w), w->src + sb, eb - sb);
}

static bool is(TSNode n, TSSymbol s) { return n.id && rl_ts_symbol(n) == s; }

static TSNode field(TSNode n, TSFieldId id) { return rl_ts_field(n, id); }

/* Several fields of n with one pass over its children (each field's first
 * child): the hot nodes are asked for two or more. */
static void fields_of(TSNode n, const TSFieldId *ids, TSNode *out, uint32_t nids)
{
    rl_ts_kid k[12];
    uint32_t c = rl_ts_kids(n, k, 12, false);
    for (uint32_t j = 0; j < nids; j++) out[j] = (TSNode){0};
    if (c > 12) {
        for (uint32_t j = 0; j < nids; j++) out[j] = field(n, ids[j]);
        return;
    }
    for (uint32_t i = c; i-- > 0;) /* backwards: the first child of a field wins */
        for (uint32_t j = 0; j < nids; j++)
            if (k[i].field == ids[j]) out[j] = k[i].node;
}

static void two_fields(TSNode n, TSFieldId a, TSNode *na, TSFieldId b, TSNode *nb)
{
    const TSFieldId ids[2] = {a, b};
    TSNode out[2];
    fields_of(n, ids, out, 2);
    *na = out[0];
    *nb = out[1];
}

/* Whether n's source text is exactly s (no copy). */
static bool text_is(const walker *w, TSNode n, const char *s)
{
    if (rl_ts_is_null(n)) return false;
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    size_t l = strlen(s);
    return eb <= w->len && sb <= eb && eb - sb == l && memcmp(w->src + sb, s, l) == 0;
}

/* Named child i (ts_node_named_child, through the faster tsscan.c). */
static TSNode named_child(TSNode n, uint32_t i) { return rl_ts_child(n, i, true); }

/* The named children of n in one pass (named_child(n, i) in a loop walks
 * from the first child each time). */
typedef struct named_list {
    uint32_t n;
    rl_ts_kid *k;
    rl_ts_kid small[12];
} named_list;

static void named_list_init(named_list *l, TSNode n)
{
    l->k = l->small;
    l->n = rl_ts_kids(n, l->small, 12, true);
    if (l->n > 12) {
        l->k = rl_xmalloc(sizeof(rl_ts_kid) * l->n);
        rl_ts_kids(n, l->k, l->n, true);
    }
}

static void named_list_release(named_list *l)
{
    if (l->k != l->small) free(l->k);
}

typedef RL_VEC(TSNode) node_vec;

/* Every child of n in field id (if/elif/else alternatives, imported names),
 * in one pass. The caller releases out. */
static void field_children(TSNode n, TSFieldId id, node_vec *out)
{
    rl_ts_kid small[16];
    uint32_t count = rl_ts_kids(n, small, 16, false);
    rl_ts_kid *all = small;
    if (count > 16) {
        all = rl_xmalloc(sizeof(rl_ts_kid) * count);
        rl_ts_kids(n, all, count, false);
    }
    for (uint32_t i = 0; i < count; i++)
        if (all[i].field == id) rl_vec_push(out, all[i].node);
    if (all != small) free(all);
}

/* [A-Za-z0-9_], by table: plain_chain asks it of every byte of every attribute chain. */
static const bool name_bytes[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['_'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
    ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

static bool is_name_byte(unsigned char c) { return name_bytes[c]; }

/* An attribute chain written as plain ASCII names and single dots, without
 * spaces, parentheses or comments (`os.path.join`), is its own dotted text:
 * returns it in the source (not NUL-terminated) with its length, or NULL for
 * anything else, which takes the tree path. */
static const char *plain_chain(const walker *w, TSNode n, uint32_t *len)
{
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    if (eb > w->len || sb >= eb) return NULL;
    const unsigned char *p = (const unsigned char *)w->src;
    bool after_dot = true;
    uint32_t dots = 0;
    for (uint32_t i = sb; i < eb; i++) {
        if (p[i] == '.') {
            /* dotted_into follows 64 levels: a longer chain is hostile, and
               its every prefix would become a module name */
            if (after_dot || ++dots > 64) return NULL;
            after_dot = true;
        } else if (is_name_byte(p[i])) {
            after_dot = false;
        } else {
            return NULL;
        }
    }
    if (after_dot) return NULL;
    *len = eb - sb;
    return w->src + sb;
}

/* Appends `a.b.c` for identifier / attribute chains of identifiers; false otherwise. */
static bool dotted_into(walker *w, TSNode n, rl_strbuf *sb, uint32_t depth)
{
    if (depth > 64 || rl_ts_is_null(n)) return false;
    TSSymbol s = rl_ts_symbol(n);
    if (s == sym.s_identifier) {
        uint32_t sbyte = rl_ts_start_byte(n), ebyte = ts_node_end_byte(n);
        if (ebyte > w->len || sbyte > ebyte) return false;
        rl_strbuf_addn(sb, w->src + sbyte, ebyte - sbyte);
        return true;
    }
    if (s == sym.s_attribute) {
        TSNode obj, attr;
        two_fields(n, fld.object, &obj, fld.attribute, &attr);
        if (rl_ts_is_null(obj) || rl_ts_is_null(attr)) return false;
        if (!dotted_into(w, obj, sb, depth + 1)) return false;
        rl_strbuf_addc(sb, '.');
        return dotted_into(w, attr, sb, depth + 1);
    }
    if (s == sym.s_dotted_name) {
        named_list parts;
        named_list_init(&parts, n);
        bool ok = parts.n > 0;
        for (uint32_t i = 0; i < parts.n && ok; i++) {
            if (i) rl_strbuf_addc(sb, '.');
            ok = dotted_into(w, parts.k[i].node, sb, depth + 1);
        }
        named_list_release(&parts);
        return ok;
    }
    if (s == sym.s_parenthesized_expression && ts_node_named_child_count(n) == 1)
        return dotted_into(w, named_child(n, 0), sb, depth + 1);
    return false;
}

/* The dotted text of a name expression ("sys.modules"), arena-owned, or NULL. */
static const char *dotted(walker *w, TSNode n)
{
    if (rl_ts_is_null(n)) return NULL;
    TSSymbol s = rl_ts_symbol(n);
    if (s == sym.s_identifier) return text_of(w, n); /* the common case */
    uint32_t plain_len;
    const char *plain = s == sym.s_attribute ? plain_chain(w, n, &plain_len) : NULL;
    if (plain) return rl_arena_strndup(A(w), plain, plain_len);
    rl_strbuf *sb = &w->scratch; /* reused: this runs for every call of every file */
    sb->len = 0;
    const char *out = NULL;
    if (dotted_into(w, n, sb, 0) && sb->len) out = rl_arena_strndup(A(w), sb->data, sb->len);
    return out;
}

/* Like dotted(), but a call may stand in the chain: `logging.getLogger("x")`
 * -> "logging.getLogger()", `threading.Thread(...).start` ->
 * "threading.Thread().start". Resolution treats "()" as part of the name. */
static bool chain_into(walker *w, TSNode n, rl_strbuf *sb, uint32_t depth)
{
    if (depth > 16) return false;
    if (is(n, sym.s_call)) {
        if (!chain_into(w, field(n, fld.function), sb, depth + 1)) return false;
        rl_strbuf_adds(sb, "()");
        return true;
    }
    if (is(n, sym.s_attribute)) {
        TSNode obj = field(n, fld.object), attr = field(n, fld.attribute);
        if (rl_ts_is_null(attr) || !chain_into(w, obj, sb, depth + 1)) return false;
        rl_strbuf_addc(sb, '.');
        return dotted_into(w, attr, sb, depth + 1);
    }
    return dotted_into(w, n, sb, depth + 1);
}

static const char *dotted_chain(walker *w, TSNode n)
{
    if (rl_ts_is_null(n)) return NULL;
    rl_strbuf *sb = &w->scratch;
    sb->len = 0;
    const char *out = NULL;
    if (chain_into(w, n, sb, 0) && sb->len) out = rl_arena_strndup(A(w), sb->data, sb->len);
    return out;
}

static const char *last_component(const char *d)
{
    const char *dot = strrchr(d, '.');
    return dot ? dot + 1 : d;
}

/* The value of a plain string literal (no interpolation, no escapes decoded
 * except that the literal must not contain backslashes), or NULL. Adjacent
 * literals ("a" "b") are joined. */
static const char *string_value(walker *w, TSNode n)
{
    if (is(n, sym.s_parenthesized_expression) && ts_node_named_child_count(n) == 1)
        return string_value(w, named_child(n, 0));
    if (is(n, sym.s_concatenated_string)) {
        rl_strbuf sb = {0};
        named_list parts;
        named_list_init(&parts, n);
        for (uint32_t i = 0; i < parts.n; i++) {
            const char *part = string_value(w, parts.k[i].node);
            if (!part) { rl_strbuf_release(&sb); named_list_release(&parts); return NULL; }
            rl_strbuf_adds(&sb, part);
        }
        named_list_release(&parts);
        const char *out = rl_arena_strndup(A(w), sb.data ? sb.data : "", sb.len);
        rl_strbuf_release(&sb);
        return out;
    }
    if (!is(n, sym.s_string)) return NULL;
    /* string: string_start (string_content | interpolation | escape...)* string_end */
    named_list parts;
    named_list_init(&parts, n);
    const char *value = "";
    bool plain = true;
    for (uint32_t i = 0; i < parts.n && plain; i++) {
        TSNode ch = parts.k[i].node;
        TSSymbol s = parts.k[i].symbol;
        if (s == sym.s_string_content) {
            plain = ts_node_named_child_count(ch) == 0; /* escapes */
            if (plain) value = text_of(w, ch);
        } else if (s == sym.s_interpolation) {
            plain = false;
        }
    }
    named_list_release(&parts);
    if (!plain) return NULL;
    /* A byte string prefix (b"...") still names nothing importable. */
    const char *start = w->src + rl_ts_start_byte(n);
    for (const char *p = start; p < w->src + w->len && *p != '"' && *p != '\''; p++)
        if (*p == 'b' || *p == 'B' || *p == 'f' || *p == 'F') return NULL;
    return value;
}

static void add_binding(walker *w, rl_binding_kind kind, const char *name, const char *value,
                        TSNode at)
{
    rl_binding b = {0};
    b.kind = kind;
    b.scope = w->scope;
    b.name = name;
    b.value = value;
    b.span = span_of(w, at);
    if (w->cond_depth) b.flags |= RL_BINDING_CONDITIONAL;
    if (w->type_checking) b.flags |= RL_BINDING_TYPE_CHECKING;
    if (w->try_depth) b.flags |= RL_BINDING_IN_TRY;
    if (w->guard_depth) b.flags |= RL_BINDING_GUARDED;
    rl_vec_push(&w->f->bindings, b);
}

static rl_event *add_event(walker *w, rl_event_kind kind, TSNode at)
{
    rl_event e = {0};
    e.kind = kind;
    e.scope = w->scope;
    e.flow = w->flow;
    if (!rl_ts_is_null(at)) e.span = span_of(w, at);
    e.type_checking = w->type_checking;
    rl_vec_push(&w->f->events, e);
    return rl_vec_last(&w->f->events);
}

static void marker(walker *w, rl_event_kind kind) { add_event(w, kind, (TSNode){0}); }

/* Records a reference to a dotted name (M.attr, C) for the class and
 * default-argument rules; anything else (a call, a subscript) is skipped. */
static void add_ref(walker *w, rl_ref_kind kind, TSNode n, bool need_dot)
{
    const char *d = dotted(w, n);
    if (!d || (need_dot && !strchr(d, '.'))) return;
    rl_ref r = {kind, w->scope, d, NULL, NULL, false, span_of(w, n)};
    rl_vec_push(&w->f->refs, r);
}

/* RL305: `X.name` read, X.name the outermost identifier chain (children are
 * identifiers only, so nothing else is visited). Kept pending until the walk
 * ends (keep_pending_loads). */
static void add_attr_load_text(walker *w, rl_ref_kind kind, const char *text, size_t len, TSNode at)
{
    if (!memchr(text, '.', len)) return; /* a bare name in parentheses */
    if ((len > 5 && memcmp(text, "self.", 5) == 0) || (len > 4 && memcmp(text, "cls.", 4) == 0))
        return; /* never a module: not worth a record */
    uintptr_t t = (uintptr_t)text, src = (uintptr_t)w->src;
    bool in_source = t >= src && t < src + w->len;
    pending_load p = {kind, w->scope, in_source ? NULL : text,
                      in_source ? (uint32_t)(text - w->src) : 0, (uint32_t)len, at};
    rl_vec_push(&w->pending, p);
}

/* An attribute load whose chain is plain text (see plain_chain). */
static bool add_plain_attr_load(walker *w, TSNode n)
{
    uint32_t len;
    const char *text = plain_chain(w, n, &len);
    if (!text) return false;
    add_attr_load_text(w, RL_REF_ATTR_LOAD, text, len, n);
    return true;
}

static bool add_attr_load(walker *w, rl_ref_kind kind, TSNode n, const char *lit)
{
    if (!lit && add_plain_attr_load(w, n)) return true;
    rl_strbuf *sb = &w->scratch;
    sb->len = 0;
    if (!dotted_into(w, n, sb, 0) || !sb->len) return false;
    if (lit) {
        rl_strbuf_addc(sb, '.');
        rl_strbuf_adds(sb, lit);
    }
    add_attr_load_text(w, kind, rl_arena_strndup(&w->loads, sb->data, sb->len), sb->len, n);
    return true;
}

/* Names an attribute load can reach a module through: bound by an import or
 * an alias anywhere in the file (a star import may bind anything). */
typedef struct name_set {
    const char **slots;
    uint32_t mask;
    bool any; /* a star import: every name may be one */
} name_set;

static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static bool name_set_has(const name_set *set, const char *s, size_t len)
{
    if (set->any) return true;
    for (uint32_t i = name_hash(s, len) & set->mask; set->slots[i]; i = (i + 1) & set->mask)
        if (strncmp(set->slots[i], s, len) == 0 && set->slots[i][len] == 0) return true;
    return false;
}

static void import_names(const rl_file_facts *f, name_set *set)
{
    uint32_t n = 16;
    while (n < 2 * f->bindings.len) n *= 2;
    set->slots = rl_xcalloc(n, sizeof(char *));
    set->mask = n - 1;
    set->any = false;
    for (uint32_t b = 0; b < f->bindings.len; b++) {
        const rl_binding *bd = &f->bindings.items[b];
        if (bd->kind == RL_BIND_STAR_IMPORT) set->any = true;
        if (bd->kind != RL_BIND_IMPORT && bd->kind != RL_BIND_FROM_IMPORT && bd->kind != RL_BIND_ALIAS)
            continue;
        size_t len = strlen(bd->name);
        if (name_set_has(set, bd->name, len)) continue;
        uint32_t i = name_hash(bd->name, len) & set->mask;
        while (set->slots[i]) i = (i + 1) & set->mask;
        set->slots[i] = bd->name;
    }
}

/* The pending loads whose head can be a module become refs, in source order;
 * the others (locals, parameters, builtins) would resolve to nothing. */
static void keep_pending_loads(walker *w)
{
    if (w->pending.len == 0) return;
    name_set set;
    import_names(w->f, &set);
    for (uint32_t i = 0; i < w->pending.len; i++) {
        const pending_load *p = &w->pending.items[i];
        const char *text = p->text ? p->text : w->src + p->start;
        const char *dot = memchr(text, '.', p->len);
        if (!name_set_has(&set, text, (size_t)(dot - text))) continue;
        rl_ref r = {p->kind, p->scope, p->text ? p->text : rl_arena_strndup(&w->loads, text, p->len),
                    NULL, NULL, false, span_of(w, p->at)};
        rl_vec_push(&w->f->refs, r);
    }
    free(set.slots);
}

/* An expression that is the module's own namespace dict: globals(), vars(),
 * X[...].__dict__ (sys.modules[__name__].__dict__), vars(X[...]). */
/* Whether fn's text may hold a namespace dict (globals(), vars(), __dict__):
 * a byte scan spares the tree lookups on nearly every method call. */
static bool may_name_namespace(const walker *w, TSNode fn)
{
    uint32_t sb = rl_ts_start_byte(fn), eb = ts_node_end_byte(fn);
    if (eb > w->len || sb >= eb) return false;
    const char *p = w->src + sb, *end = w->src + eb;
    for (; p + 4 <= end; p++)
        if ((p[0] == 'g' && end - p >= 7 && memcmp(p, "globals", 7) == 0) ||
            (p[0] == 'v' && memcmp(p, "vars", 4) == 0) ||
            (p[0] == '_' && end - p >= 8 && memcmp(p, "__dict__", 8) == 0))
            return true;
    return false;
}

static bool is_namespace_dict(walker *w, TSNode n)
{
    if (rl_ts_is_null(n)) return false;
    TSSymbol s = rl_ts_symbol(n);
    if ((s != sym.s_call && s != sym.s_attribute) || !may_name_namespace(w, n)) return false;
    if (s == sym.s_call) {
        TSNode fn, args;
        two_fields(n, fld.function, &fn, fld.arguments, &args);
        bool globals = text_is(w, fn, "globals"), vars = !globals && text_is(w, fn, "vars");
        if (!is(fn, sym.s_identifier) || !(globals || vars)) return false;
        if (is(args, sym.s_argument_list) && ts_node_named_child_count(args) == 0) return true;
        return vars && is(named_child(args, 0), sym.s_subscript);
    }
    if (s != sym.s_attribute) return false;
    TSNode object, attr;
    two_fields(n, fld.object, &object, fld.attribute, &attr);
    return text_is(w, attr, "__dict__") && is(object, sym.s_subscript);
}

/* RL305: the module binds names nobody can list (see facts.h). */
static void add_dynamic_namespace(walker *w, const char *how, TSNode at)
{
    uint32_t scope = w->scope;
    w->scope = 0;
    add_binding(w, RL_BIND_OTHER, RL_PSEUDO_DYNAMIC, how, at);
    w->scope = scope;
}

/* A statement that may change state outside its module (RL401, RL402). */
static void add_effect(walker *w, rl_event_kind kind, const char *ref, const char *name, TSNode at)
{
    if (!ref) return;
    rl_event *e = add_event(w, kind, at);
    e->ref = ref;
    e->target = name;
    e->guarded = w->guard_depth > 0;
}

/* Methods that add to a container or a registry: repeating them on reload
 * registers twice. (setdefault is idempotent and not here.) */
static bool is_mutating_method(const char *m)
{
    static const char *const names[] = {
        "append", "extend", "insert", "add", "update", "register", "connect", "subscribe",
        "addHandler", "addFilter", "add_handler", "appendleft", "extendleft", "setLevel",
        "__setitem__", "add_route", "add_url_rule", "listen",
    };
    if (!strchr("aeiurcsl_", m[0]) || !m[0]) return false; /* most method names: one test */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(m, names[i]) == 0) return true;
    return false;
}

/* C, M.C, or a (possibly parenthesized) tuple of them. */
static void add_class_refs(walker *w, rl_ref_kind kind, TSNode n)
{
    while (is(n, sym.s_parenthesized_expression) && ts_node_named_child_count(n) == 1)
        n = named_child(n, 0);
    if (is(n, sym.s_tuple) || is(n, sym.s_expression_list)) {
        named_list items;
        named_list_init(&items, n);
        for (uint32_t i = 0; i < items.n && i < 64; i++) add_class_refs(w, kind, items.k[i].node);
        named_list_release(&items);
        return;
    }
    add_ref(w, kind, n, false);
}

static uint32_t new_scope(walker *w, rl_scope_kind kind, const char *name, TSNode at)
{
    rl_scope s = {kind, w->scope, name, span_of(w, at)};
    rl_vec_push(&w->f->scopes, s);
    return w->f->scopes.len - 1;
}

/* ---- keys ------------------------------------------------------------------ */

static rl_key *one_key(walker *w, rl_key_kind kind, const char *text)
{
    rl_key *k = rl_arena_alloc(A(w), sizeof *k);
    k->kind = kind;
    k->text = text;
    return k;
}

/* Strings of a literal tuple/list/set of strings, as LITERAL keys. */
static bool literal_string_keys(walker *w, TSNode n, rl_key **keys, uint32_t *nkeys)
{
    if (is(n, sym.s_parenthesized_expression) && ts_node_named_child_count(n) == 1)
        n = named_child(n, 0);
    if (!(is(n, sym.s_tuple) || is(n, sym.s_list) || is(n, sym.s_set))) return false;
    named_list items;
    named_list_init(&items, n);
    if (items.n == 0) return false;
    rl_key *ks = rl_arena_alloc(A(w), sizeof *ks * items.n);
    uint32_t k = 0;
    for (uint32_t i = 0; i < items.n; i++) {
        if (items.k[i].symbol == sym.s_comment) continue;
        const char *v = string_value(w, items.k[i].node);
        if (!v) {
            named_list_release(&items);
            return false;
        }
        ks[k].kind = RL_KEY_LITERAL;
        ks[k++].text = v;
    }
    named_list_release(&items);
    *keys = ks;
    *nkeys = k;
    return k > 0;
}

/* The dotted names of a literal tuple/list of names: `(config, plugins.a)`. */
static void literal_names(walker *w, TSNode n, const char ***names, uint32_t *nnames)
{
    *names = NULL;
    *nnames = 0;
    if (is(n, sym.s_parenthesized_expression) && ts_node_named_child_count(n) == 1)
        n = named_child(n, 0);
    if (!(is(n, sym.s_tuple) || is(n, sym.s_list))) return;
    named_list items;
    named_list_init(&items, n);
    uint32_t c = items.n;
    const char **out = rl_arena_alloc(A(w), sizeof(char *) * (c ? c : 1));
    for (uint32_t i = 0; i < c; i++) {
        const char *d = dotted(w, items.k[i].node);
        if (!d) {
            named_list_release(&items);
            return;
        }
        out[i] = d;
    }
    named_list_release(&items);
    *names = out;
    *nnames = c;
}

/* The keys an expression used as a sys.modules key can take. */
static void key_of(walker *w, TSNode n, rl_key **keys, uint32_t *nkeys)
{
    *nkeys = 1;
    const char *lit = string_value(w, n);
    if (lit) { *keys = one_key(w, RL_KEY_LITERAL, lit); return; }
    if (is(n, sym.s_attribute) && strcmp(text_of(w, field(n, fld.attribute)), "__name__") == 0) {
        const char *of = dotted(w, field(n, fld.object));
        if (of) { *keys = one_key(w, RL_KEY_NAME_OF, of); return; }
    }
    if (is(n, sym.s_identifier)) {
        const char *name = text_of(w, n);
        if (strcmp(name, "__name__") == 0 && w->module) {
            *keys = one_key(w, RL_KEY_LITERAL, w->module);
            return;
        }
        /* innermost constraint first (if k.startswith(...)), then the loop itself */
        for (uint32_t i = w->constraints.len; i-- > 0;) {
            constraint *c = &w->constraints.items[i];
            if (strcmp(c->var, name) == 0) { *keys = c->keys; *nkeys = c->nkeys; return; }
        }
        for (uint32_t i = w->loops.len; i-- > 0;) {
            loop_ctx *l = &w->loops.items[i];
            if (strcmp(l->var, name) != 0) continue;
            if (l->nkeys) { *keys = l->keys; *nkeys = l->nkeys; return; }
            if (l->prefix) { *keys = one_key(w, RL_KEY_PREFIX, l->prefix); return; }
            break;
        }
    }
    *keys = one_key(w, RL_KEY_UNKNOWN, NULL);
}

/* k.startswith("p") / k.startswith(("p", "q")) / k == "x" / k in ("x", "y"),
 * possibly joined by `or`: the keys the variable is constrained to, else false. */
static bool condition_keys(walker *w, TSNode cond, const char **var, key_vec *out,
                           uint32_t depth)
{
    if (depth > 16 || rl_ts_is_null(cond)) return false;
    TSSymbol s = rl_ts_symbol(cond);
    if (s == sym.s_parenthesized_expression && ts_node_named_child_count(cond) == 1)
        return condition_keys(w, named_child(cond, 0), var, out, depth + 1);
    if (s == sym.s_boolean_operator) {
        TSNode op = field(cond, fld.operator);
        if (rl_ts_is_null(op)) return false;
        const char *optext = text_of(w, op);
        if (strcmp(optext, "or") != 0) {
            /* `and`: either side constrains the variable */
            return condition_keys(w, field(cond, fld.left), var, out, depth + 1) ||
                   condition_keys(w, field(cond, fld.right), var, out, depth + 1);
        }
        return condition_keys(w, field(cond, fld.left), var, out, depth + 1) &&
               condition_keys(w, field(cond, fld.right), var, out, depth + 1);
    }
    if (s == sym.s_call) {
        TSNode fn = field(cond, fld.function);
        if (!is(fn, sym.s_attribute)) return false;
        TSNode obj = field(fn, fld.object), attr = field(fn, fld.attribute);
        if (!is(obj, sym.s_identifier) || strcmp(text_of(w, attr), "startswith") != 0) return false;
        const char *v = text_of(w, obj);
        if (*var && strcmp(*var, v) != 0) return false;
        *var = v;
        TSNode args = field(cond, fld.arguments);
        if (ts_node_named_child_count(args) < 1) return false;
        TSNode a0 = named_child(args, 0);
        const char *p = string_value(w, a0);
        if (p) {
            rl_key k = {RL_KEY_PREFIX, p};
            rl_vec_push(out, k);
            return true;
        }
        rl_key *ks;
        uint32_t nks;
        if (!literal_string_keys(w, a0, &ks, &nks)) return false;
        for (uint32_t i = 0; i < nks; i++) {
            rl_key k = {RL_KEY_PREFIX, ks[i].text};
            rl_vec_push(out, k);
        }
        return true;
    }
    if (s == sym.s_comparison_operator && ts_node_named_child_count(cond) == 2) {
        TSNode l = named_child(cond, 0), r = named_child(cond, 1);
        TSNode op = rl_ts_child(cond, 1, false);
        if (!is(l, sym.s_identifier)) return false;
        const char *optext = text_of(w, op);
        const char *v = text_of(w, l);
        if (*var && strcmp(*var, v) != 0) return false;
        if (strcmp(optext, "==") == 0) {
            const char *lit = string_value(w, r);
            if (!lit) return false;
            *var = v;
            rl_key k = {RL_KEY_LITERAL, lit};
            rl_vec_push(out, k);
            return true;
        }
        if (strcmp(optext, "in") == 0) {
            rl_key *ks;
            uint32_t nks;
            if (!literal_string_keys(w, r, &ks, &nks)) return false;
            *var = v;
            for (uint32_t i = 0; i < nks; i++) rl_vec_push(out, ks[i]);
            return true;
        }
    }
    return false;
}

static bool push_constraint(walker *w, TSNode cond)
{
    const char *var = NULL;
    key_vec keys = {0};
    bool ok = condition_keys(w, cond, &var, &keys, 0) && var && keys.len;
    if (ok) {
        constraint c = {var, rl_arena_alloc(A(w), sizeof(rl_key) * keys.len), keys.len};
        memcpy(c.keys, keys.items, sizeof(rl_key) * keys.len);
        rl_vec_push(&w->constraints, c);
    }
    rl_vec_release(&keys);
    return ok;
}

/* ---- imports ----------------------------------------------------------------- */

/* "a.b.c" -> loads a, a.b, a.b.c (parents are imported first). */
static void set_loaded_modules(walker *w, rl_event *e, const char *name)
{
    uint32_t n = 1;
    for (const char *p = name; *p; p++) n += *p == '.';
    e->modules = rl_arena_alloc(A(w), sizeof(char *) * n);
    e->nmodules = 0;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == 0) e->modules[e->nmodules++] = rl_arena_strndup(A(w), name, (size_t)(p - name));
        if (*p == 0) break;
    }
}

/* The absolute module of a relative import: `level` dots then `rest` (may be NULL). */
static const char *resolve_relative(walker *w, uint32_t level, const char *rest)
{
    if (!w->module) return NULL;
    size_t base = strlen(w->module);
    /* a package's own name is the base; a plain module starts from its parent */
    uint32_t up = w->is_package ? level - 1 : level;
    for (uint32_t i = 0; i < up; i++) {
        while (base > 0 && w->module[base - 1] != '.') base--;
        if (base == 0) return NULL; /* beyond the top-level package */
        base--;
    }
    if (base == 0) return rest ? rest : NULL;
    if (!rest || !*rest) return rl_arena_strndup(A(w), w->module, base);
    return rl_arena_join(A(w), w->module, base, '.', rest);
}

static void visit_import(walker *w, TSNode n)
{
    named_list names;
    named_list_init(&names, n);
    for (uint32_t i = 0; i < names.n; i++) {
        TSNode ch = names.k[i].node;
        if (is(ch, sym.s_dotted_name)) {
            const char *full = dotted(w, ch);
            if (!full) continue;
            rl_event *e = add_event(w, RL_EV_IMPORT, n);
            e->what = RL_RES_IMPORT;
            set_loaded_modules(w, e, full);
            const char *dot = strchr(full, '.');
            const char *head = dot ? rl_arena_strndup(A(w), full, (size_t)(dot - full)) : full;
            add_binding(w, RL_BIND_IMPORT, head, head, ch);
        } else if (is(ch, sym.s_aliased_import)) {
            const char *full = dotted(w, field(ch, fld.name));
            TSNode alias = field(ch, fld.alias);
            if (!full || rl_ts_is_null(alias)) continue;
            rl_event *e = add_event(w, RL_EV_IMPORT, n);
            e->what = RL_RES_IMPORT;
            set_loaded_modules(w, e, full);
            add_binding(w, RL_BIND_IMPORT, text_of(w, alias), full, alias);
        }
    }
    named_list_release(&names);
}

static void visit_import_from(walker *w, TSNode n)
{
    TSNode modnode = field(n, fld.module_name);
    const char *module = NULL;
    if (is(modnode, sym.s_relative_import)) {
        uint32_t level = 0;
        const char *rest = NULL;
        uint32_t c = ts_node_named_child_count(modnode);
        for (uint32_t i = 0; i < c; i++) {
            TSNode ch = named_child(modnode, i);
            if (is(ch, sym.s_import_prefix)) level = ts_node_end_byte(ch) - rl_ts_start_byte(ch);
            else if (is(ch, sym.s_dotted_name)) rest = dotted(w, ch);
        }
        module = resolve_relative(w, level, rest);
    } else {
        module = dotted(w, modnode);
    }
    if (module) {
        rl_event *e = add_event(w, RL_EV_IMPORT, n);
        e->what = RL_RES_IMPORT;
        set_loaded_modules(w, e, module);
    }
    if (module) {
        named_list parts;
        named_list_init(&parts, n);
        for (uint32_t i = 0; i < parts.n; i++)
            if (parts.k[i].symbol == sym.s_wildcard_import)
                add_binding(w, RL_BIND_STAR_IMPORT, "*", module, n);
        named_list_release(&parts);
    }
    /* names: every `name` field child (dotted_name or aliased_import) */
    bool imp_reload = false;
    node_vec names = {0};
    field_children(n, fld.name, &names);
    for (uint32_t i = 0; i < names.len; i++) {
        TSNode ch = names.items[i];
        const char *name = NULL, *bound = NULL;
        TSNode at = ch;
        if (is(ch, sym.s_aliased_import)) {
            name = dotted(w, field(ch, fld.name));
            TSNode alias = field(ch, fld.alias);
            if (!rl_ts_is_null(alias)) { bound = text_of(w, alias); at = alias; }
        } else {
            name = dotted(w, ch);
            bound = name;
        }
        if (!name || !bound) continue;
        const char *value = module ? rl_arena_join(A(w), module, strlen(module), '.', name) : NULL;
        add_binding(w, module ? RL_BIND_FROM_IMPORT : RL_BIND_OTHER, bound, value, at);
        rl_vec_last(&w->f->bindings)->attr = name;
        if (module && strcmp(module, "imp") == 0 && strcmp(name, "reload") == 0) imp_reload = true;
    }
    rl_vec_release(&names);
    /* inside try/except it is a fallback for old Pythons (or guarded by one):
       the calls it serves are still judged on their own */
    if (imp_reload && !w->type_checking && !w->try_depth && !w->handler_depth) {
        rl_event *e = add_event(w, RL_EV_FROM_IMP, n);
        e->target_kind = RL_TARGET_STRING;
        e->target = "imp";
    }
}

/* ---- calls and container operations ------------------------------------------ */

/* Only a name that can be sys.modules (or an alias of it) is worth an event:
 * `sys.modules`, `_sys.modules`, `modules`, `mods`; never `self.cache`. */
static bool may_be_sys_modules(const char *container)
{
    return strchr(container, '.') == NULL || strcmp(last_component(container), "modules") == 0;
}

static TSNode nth_positional(const named_list *a, uint32_t n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < a->n; i++) {
        TSNode ch = a->k[i].node;
        TSSymbol s = a->k[i].symbol;
        if (s == sym.s_keyword_argument || s == sym.s_comment || s == sym.s_list_splat_pattern ||
            s == sym.s_dictionary_splat_pattern)
            continue;
        if (k++ == n) return ch;
    }
    return (TSNode){0};
}

static TSNode keyword_arg(walker *w, const named_list *a, const char *name)
{
    for (uint32_t i = 0; i < a->n; i++) {
        if (a->k[i].symbol != sym.s_keyword_argument) continue;
        TSNode ch = a->k[i].node;
        TSNode kname, value;
        two_fields(ch, fld.name, &kname, fld.value, &value);
        if (text_is(w, kname, name)) return value;
    }
    return (TSNode){0};
}

static void container_op(walker *w, TSNode at, const char *container, rl_container_op op,
                         TSNode keynode)
{
    rl_event *e = add_event(w, RL_EV_CONTAINER_OP, at);
    e->ref = container;
    e->op = op;
    if (op == RL_OP_CLEAR || op == RL_OP_POPITEM || op == RL_OP_PATCH_CLEAR) {
        e->keys = one_key(w, op == RL_OP_POPITEM ? RL_KEY_UNKNOWN : RL_KEY_ALL, NULL);
        e->nkeys = 1;
    } else if (!rl_ts_is_null(keynode)) {
        key_of(w, keynode, &e->keys, &e->nkeys);
    } else {
        e->keys = one_key(w, RL_KEY_UNKNOWN, NULL);
        e->nkeys = 1;
    }
}

/* mock.patch.dict(target, values=(), clear=False, **kw): the target may be the
 * string "sys.modules". Without clear and without values it only snapshots and
 * restores the dict, which removes and replaces nothing. */
static void visit_patch_dict(walker *w, TSNode call, const named_list *args)
{
    TSNode target = nth_positional(args, 0);
    if (rl_ts_is_null(target)) return;
    const char *container = string_value(w, target);
    bool absolute = container != NULL;
    if (!container) container = dotted(w, target);
    if (!container || !may_be_sys_modules(container)) return;
    TSNode clear = keyword_arg(w, args, "clear");
    if (rl_ts_is_null(clear)) clear = nth_positional(args, 2);
    TSNode values = keyword_arg(w, args, "values");
    if (rl_ts_is_null(values)) values = nth_positional(args, 1);

    if (is(clear, sym.s_true)) {
        container_op(w, call, container, RL_OP_PATCH_CLEAR, (TSNode){0});
    } else {
        bool dict_literal = is(values, sym.s_dictionary);
        if (rl_ts_is_null(values) || (dict_literal && ts_node_named_child_count(values) == 0))
            return;
        key_vec ks = {0};
        named_list pairs = {0};
        if (dict_literal) named_list_init(&pairs, values);
        for (uint32_t i = 0; i < pairs.n; i++) {
            TSNode p = pairs.k[i].node;
            const char *k = pairs.k[i].symbol == sym.s_pair ? string_value(w, field(p, fld.key)) : NULL;
            rl_key key = {k ? RL_KEY_LITERAL : RL_KEY_UNKNOWN, k};
            rl_vec_push(&ks, key);
        }
        named_list_release(&pairs);
        if (ks.len == 0) {
            rl_key key = {RL_KEY_UNKNOWN, NULL};
            rl_vec_push(&ks, key);
        }
        rl_event *e = add_event(w, RL_EV_CONTAINER_OP, call);
        e->ref = container;
        e->op = RL_OP_PATCH_SET;
        e->keys = rl_arena_alloc(A(w), sizeof(rl_key) * ks.len);
        memcpy(e->keys, ks.items, sizeof(rl_key) * ks.len);
        e->nkeys = ks.len;
        rl_vec_release(&ks);
    }
    /* a string target names sys.modules absolutely, not through bindings */
    rl_vec_last(&w->f->events)->target_kind = absolute ? RL_TARGET_STRING : RL_TARGET_NAME;
}

/* Calls whose receiver is itself a call: `logging.getLogger().addHandler(h)`,
 * `threading.Thread(target=f).start()`. */
static void visit_chained_call(walker *w, TSNode n, TSNode fn)
{
    if (!is(fn, sym.s_attribute)) return;
    TSNode obj = field(fn, fld.object);
    if (is(obj, sym.s_subscript)) {
        /* M.BY_KIND["csv"].append(f): fills the container M.BY_KIND */
        const char *container = dotted(w, field(obj, fld.value));
        const char *m = text_of(w, field(fn, fld.attribute));
        if (container && is_mutating_method(m)) add_effect(w, RL_EV_MUTATE, container, m, n);
        return;
    }
    const char *receiver = dotted_chain(w, obj);
    const char *method = text_of(w, field(fn, fld.attribute));
    if (!receiver) return;
    if (is_mutating_method(method)) add_effect(w, RL_EV_MUTATE, receiver, method, n);
    if (w->flow == 0) {
        rl_event *e = add_event(w, RL_EV_CALL, n);
        e->ref = rl_arena_join(A(w), receiver, strlen(receiver), '.', method);
        e->target_kind = RL_TARGET_NONE;
        e->guarded = w->guard_depth > 0;
    }
}

static void call_facts_args(walker *w, TSNode n, const char *callee, const named_list *args);
static void visit(walker *w, TSNode n);
static void visit_children(walker *w, TSNode n);

/* The facts of one call; *callee_out is the callee's dotted text when known.
 * args: the argument list's named children, or NULL (a generator argument). */
static void call_facts(walker *w, TSNode n, TSNode fn, const named_list *args, const char **callee_out)
{
    if (is(fn, sym.s_attribute) && may_name_namespace(w, fn) && is_namespace_dict(w, field(fn, fld.object)))
        add_dynamic_namespace(w, "update", n); /* globals().update(...), .setdefault, ... */
    if (!args) return;
    const char *callee = dotted(w, fn);
    if (!callee) {
        visit_chained_call(w, n, fn);
        return;
    }
    *callee_out = callee;
    call_facts_args(w, n, callee, args);
}

static void visit_call(walker *w, TSNode n)
{
    rl_ts_kid k[8];
    uint32_t nk = rl_ts_kids(n, k, 8, false);
    TSNode fn = {0}, args = {0};
    TSSymbol fn_kind = 0, args_kind = 0;
    if (nk > 8) {
        two_fields(n, fld.function, &fn, fld.arguments, &args);
        fn_kind = fn.id ? rl_ts_symbol(fn) : 0;
        args_kind = args.id ? rl_ts_symbol(args) : 0;
    } else {
        for (uint32_t i = nk; i-- > 0;) {
            if (k[i].field == fld.function) fn = k[i].node, fn_kind = k[i].symbol;
            if (k[i].field == fld.arguments) args = k[i].node, args_kind = k[i].symbol;
        }
    }
    const char *callee = NULL;
    named_list al;
    bool have_args = args_kind == sym.s_argument_list;
    if (have_args) named_list_init(&al, args);
    call_facts(w, n, fn, have_args ? &al : NULL, &callee);
    if (nk > 8) {
        visit_children(w, n);
    } else {
        /* then the parts, in order; the callee's attribute chain is already
           spelled out, so its load is recorded without walking it again, and
           the arguments are visited from the list already made */
        for (uint32_t i = 0; i < nk; i++) {
            TSNode c = k[i].node;
            if (c.id == fn.id && fn_kind == sym.s_identifier) continue;
            if (c.id == fn.id && callee && fn_kind == sym.s_attribute) {
                add_attr_load_text(w, RL_REF_ATTR_LOAD, callee, strlen(callee), fn);
                continue;
            }
            if (c.id == args.id && have_args && w->depth < RL_MAX_DEPTH) {
                w->depth++; /* the depth visit(args) would have */
                for (uint32_t a = 0; a < al.n; a++) {
                    /* a name or a number: nothing below it to visit (a
                       comment is a leaf visit() records; at the depth limit
                       visit() marks the file truncated, so it goes there) */
                    if (al.k[a].leaf && al.k[a].symbol != sym.s_comment && w->depth < RL_MAX_DEPTH)
                        continue;
                    visit(w, al.k[a].node);
                }
                w->depth--;
                continue;
            }
            visit(w, c);
        }
    }
    if (have_args) named_list_release(&al);
}

/* s equals lit; the first bytes are compared inline, since the checks below
 * run for every call and nearly all of them fail there. */
static bool is_str(const char *s, const char *lit) { return s[0] == lit[0] && strcmp(s, lit) == 0; }

/* The receiver's text (callee without ".method"), copied on first use: most
 * calls never need it. */
static const char *receiver_of(walker *w, const char *callee, const char *method, const char **made)
{
    if (!*made) *made = rl_arena_strndup(A(w), callee, (size_t)(method - callee - 1));
    return *made;
}

/* The methods through which a dict-like container loses or gains keys. */
static bool is_container_method(const char *m)
{
    return is_str(m, "pop") || is_str(m, "__delitem__") || is_str(m, "__setitem__") ||
           is_str(m, "popitem") || is_str(m, "clear") || is_str(m, "setdefault") || is_str(m, "update");
}

static void call_facts_args(walker *w, TSNode n, const char *callee, const named_list *args)
{
    const char *method = last_component(callee);
    bool has_receiver = method != callee;
    const char *receiver = NULL; /* receiver_of() */

    if (has_receiver && is_mutating_method(method))
        add_effect(w, RL_EV_MUTATE, receiver_of(w, callee, method, &receiver), method, n);
    bool noop_again = is_str(method, "basicConfig") && !is(keyword_arg(w, args, "force"), sym.s_true);
    if (!has_receiver && is_str(callee, "setattr")) {
        const char *attr = string_value(w, nth_positional(args, 1));
        add_effect(w, RL_EV_ATTR_ASSIGN, dotted(w, nth_positional(args, 0)), attr ? attr : "?", n);
        if (is(nth_positional(args, 0), sym.s_subscript)) add_dynamic_namespace(w, "setattr", n);
    }
    if (!has_receiver && is_str(callee, "getattr") && args->n == 2) {
        const char *attr = string_value(w, nth_positional(args, 1)); /* no default: it raises */
        TSNode obj = nth_positional(args, 0);
        uint32_t before = w->pending.len;
        if (attr && *attr && is(obj, sym.s_identifier)) add_attr_load(w, RL_REF_GETATTR, obj, attr);
        if (w->pending.len > before) rl_vec_last(&w->pending)->at = nth_positional(args, 1);
    }
    if (!has_receiver && (is_str(callee, "isinstance") || is_str(callee, "issubclass")))
        add_class_refs(w, callee[2] == 'i' ? RL_REF_ISINSTANCE : RL_REF_ISSUBCLASS,
                       nth_positional(args, 1));

    /* A bare name may be an alias (`from importlib import reload as r`) bound
       anywhere in the file, and `helpers.refresh(config)` may call a reload
       helper: keep such calls; the model drops the ones that resolve to
       nothing of interest before the file's facts are kept. */
    TSNode first = nth_positional(args, 0);
    bool name_arg = is(first, sym.s_identifier) || is(first, sym.s_attribute);
    /* module-level calls are all kept: RL401 judges what they register */
    if (!has_receiver || name_arg || w->flow == 0 || is_str(method, "reload") ||
        is_str(method, "reload_module") || is_str(method, "import_module") || is_str(method, "__import__")) {
        rl_event *e = add_event(w, RL_EV_CALL, n);
        e->ref = callee;
        /* basicConfig() does nothing once the root logger has handlers */
        e->guarded = w->guard_depth > 0 || noop_again;
        TSNode a0 = nth_positional(args, 0);
        if (rl_ts_is_null(a0)) a0 = keyword_arg(w, args, is_str(method, "reload") ? "module" : "name");
        if (rl_ts_is_null(a0)) {
            e->target_kind = RL_TARGET_NONE;
        } else if ((e->target = string_value(w, a0)) != NULL) {
            e->target_kind = RL_TARGET_STRING;
            /* import_module(".x", __package__ or "pkg") */
            TSNode a1 = nth_positional(args, 1);
            if (e->target[0] == '.') {
                uint32_t level = 0;
                while (e->target[level] == '.') level++;
                const char *pkg = string_value(w, a1);
                if (is(a1, sym.s_identifier) && strcmp(text_of(w, a1), "__package__") == 0) {
                    e->target = resolve_relative(w, level, e->target[level] ? e->target + level : NULL);
                } else if (pkg) {
                    e->target = rl_arena_printf(A(w), "%s.%s", pkg, e->target + level);
                } else {
                    e->target = NULL;
                }
                if (!e->target) e->target_kind = RL_TARGET_OTHER;
            }
        } else if ((e->target = dotted(w, a0)) != NULL) {
            e->target_kind = RL_TARGET_NAME;
            /* for m in (a, b): reload(m) */
            for (uint32_t i = w->loops.len; i-- > 0 && is(a0, sym.s_identifier);) {
                loop_ctx *l = &w->loops.items[i];
                if (strcmp(l->var, e->target) != 0) continue;
                if (l->nnames) {
                    e->target_kind = RL_TARGET_NAMES;
                    e->names = l->names;
                    e->nnames = l->nnames;
                }
                break;
            }
        } else if (is(a0, sym.s_subscript) && (e->target = dotted(w, field(a0, fld.value))) != NULL) {
            e->target_kind = RL_TARGET_SUBSCRIPT;
            key_of(w, field(a0, fld.subscript), &e->keys, &e->nkeys);
        } else {
            e->target_kind = RL_TARGET_OTHER;
        }
        /* the same call may also be an operation on sys.modules (below) */
    }
    if (has_receiver && is_container_method(method) &&
        may_be_sys_modules(receiver_of(w, callee, method, &receiver))) {
        if (strcmp(method, "pop") == 0)
            container_op(w, n, receiver, RL_OP_POP, nth_positional(args, 0));
        else if (strcmp(method, "__delitem__") == 0)
            container_op(w, n, receiver, RL_OP_DEL, nth_positional(args, 0));
        else if (strcmp(method, "__setitem__") == 0)
            container_op(w, n, receiver, RL_OP_SETITEM, nth_positional(args, 0));
        else if (strcmp(method, "popitem") == 0)
            container_op(w, n, receiver, RL_OP_POPITEM, (TSNode){0});
        else if (strcmp(method, "clear") == 0)
            container_op(w, n, receiver, RL_OP_CLEAR, (TSNode){0});
        else if (strcmp(method, "setdefault") == 0)
            container_op(w, n, receiver, RL_OP_SETDEFAULT, nth_positional(args, 0));
        else if (strcmp(method, "update") == 0) {
            TSNode a0 = nth_positional(args, 0);
            rl_event *e = add_event(w, RL_EV_CONTAINER_OP, n);
            e->ref = receiver;
            e->op = RL_OP_UPDATE;
            e->keys = one_key(w, RL_KEY_UNKNOWN, NULL);
            e->nkeys = 1;
            if (is(a0, sym.s_dictionary) && ts_node_named_child_count(a0) == 1) {
                TSNode p = named_child(a0, 0);
                const char *k = is(p, sym.s_pair) ? string_value(w, field(p, fld.key)) : NULL;
                if (k) e->keys = one_key(w, RL_KEY_LITERAL, k);
            }
        }
    }
    if ((is_str(method, "delitem") || is_str(method, "setitem")) && has_receiver) {
        TSNode target = nth_positional(args, 0);
        const char *container = dotted(w, target);
        if (container && may_be_sys_modules(container))
            container_op(w, n, container, method[0] == 'd' ? RL_OP_MP_DELITEM : RL_OP_MP_SETITEM,
                         nth_positional(args, 1));
        return;
    }
    if (is_str(method, "dict") && has_receiver &&
        strcmp(last_component(receiver_of(w, callee, method, &receiver)), "patch") == 0)
        visit_patch_dict(w, n, args);
}

/* ---- the walk --------------------------------------------------------------- */

static void visit_scanned(void *ctx, TSNode n, uint32_t rel_depth)
{
    walker *w = ctx;
    w->depth += rel_depth;
    visit(w, n);
    w->depth -= rel_depth;
}

/* Visits what matters below n: the descent steps over every node visit()
 * would only pass through (most of them), and hands the rest to visit() at
 * the depth it has in the tree, so the nesting limit applies as before. */
static void visit_children(walker *w, TSNode n)
{
    rl_ts_scan(n, special_kinds, nsymbols, RL_MAX_DEPTH - w->depth, visit_scanned, w);
}

static void visit_conditional(walker *w, TSNode n)
{
    w->cond_depth++;
    visit(w, n);
    w->cond_depth--;
}

/* Binds every name of an assignment/loop/with target. */
static void bind_target(walker *w, TSNode t, rl_binding_kind kind, const char *value, uint32_t depth)
{
    if (rl_ts_is_null(t) || depth > 32) return;
    TSSymbol s = rl_ts_symbol(t);
    if (s == sym.s_identifier) {
        add_binding(w, kind, text_of(w, t), value, t);
    } else if (s == sym.s_pattern_list || s == sym.s_tuple_pattern || s == sym.s_list_pattern ||
               s == sym.s_tuple || s == sym.s_list || s == sym.s_expression_list ||
               s == sym.s_parenthesized_expression || s == sym.s_list_splat_pattern) {
        named_list parts;
        named_list_init(&parts, t);
        for (uint32_t i = 0; i < parts.n; i++)
            bind_target(w, parts.k[i].node, kind == RL_BIND_ALIAS ? RL_BIND_OTHER : kind, NULL,
                        depth + 1);
        named_list_release(&parts);
    } else if (s == sym.s_attribute) {
        visit(w, field(t, fld.object)); /* a store, not a load of the attribute */
    } else {
        /* subscript target: evaluate it for calls inside */
        visit(w, t);
    }
}

/* How a right-hand side binds: value is the dotted text for ALIAS and CALL. */
static rl_binding_kind value_kind(walker *w, TSNode v, const char **value)
{
    *value = NULL;
    if (rl_ts_is_null(v)) return RL_BIND_OTHER;
    TSSymbol s = rl_ts_symbol(v);
    if (s == sym.s_identifier || s == sym.s_attribute) {
        *value = dotted(w, v);
        return *value ? RL_BIND_ALIAS : RL_BIND_OTHER;
    }
    if (s == sym.s_call) {
        *value = dotted(w, field(v, fld.function));
        return RL_BIND_CALL;
    }
    if (s == sym.s_string || s == sym.s_concatenated_string || s == sym.s_integer || s == sym.s_float ||
        s == sym.s_true || s == sym.s_false || s == sym.s_none || s == sym.s_unary_operator ||
        s == sym.s_ellipsis)
        return RL_BIND_LITERAL;
    if (s == sym.s_tuple) {
        named_list items;
        named_list_init(&items, v);
        rl_binding_kind kind = RL_BIND_LITERAL;
        for (uint32_t i = 0; i < items.n && kind == RL_BIND_LITERAL; i++) {
            const char *ignored;
            if (value_kind(w, items.k[i].node, &ignored) != RL_BIND_LITERAL) kind = RL_BIND_OTHER;
        }
        named_list_release(&items);
        return kind;
    }
    if (s == sym.s_list || s == sym.s_dictionary || s == sym.s_set || s == sym.s_list_comprehension ||
        s == sym.s_set_comprehension || s == sym.s_dictionary_comprehension)
        return RL_BIND_CONTAINER;
    if (s == sym.s_lambda) return RL_BIND_LAMBDA;
    return RL_BIND_OTHER;
}

static void visit_assignment(walker *w, TSNode n)
{
    /* a = b = value: the innermost right side is the value of every target */
    enum { MAX_CHAIN = 8 };
    TSNode assign[MAX_CHAIN], targets[MAX_CHAIN], value = n;
    uint32_t nchain = 0;
    while (is(value, sym.s_assignment) && nchain < MAX_CHAIN) {
        assign[nchain] = value;
        two_fields(value, fld.left, &targets[nchain], fld.right, &value);
        nchain++;
    }
    while (is(value, sym.s_assignment)) value = field(value, fld.right); /* a = b = ... = 9 more */
    if (rl_ts_is_null(value)) return; /* bare annotation `x: int` binds nothing */
    const char *v;
    rl_binding_kind kind = value_kind(w, value, &v);
    if (is_namespace_dict(w, value)) add_dynamic_namespace(w, "alias", n); /* d = globals() */
    visit(w, value);
    uint32_t link = 0;
    for (TSNode t = n; is(t, sym.s_assignment); link++) {
        TSNode target;
        if (link < nchain) {
            t = assign[link];
            target = targets[link];
        } else {
            target = field(t, fld.left);
        }
        if (is(target, sym.s_subscript)) {
            TSNode tvalue, tsub;
            two_fields(target, fld.value, &tvalue, fld.subscript, &tsub);
            if (is_namespace_dict(w, tvalue)) add_dynamic_namespace(w, "setitem", t);
            const char *container = dotted(w, tvalue);
            if (container && may_be_sys_modules(container))
                container_op(w, t, container, RL_OP_SETITEM, tsub);
            add_effect(w, RL_EV_MUTATE, container, "__setitem__", t);
            visit(w, tsub);
        } else if (is(target, sym.s_attribute)) {
            TSNode tobj, tattr;
            two_fields(target, fld.object, &tobj, fld.attribute, &tattr);
            add_effect(w, RL_EV_ATTR_ASSIGN, dotted(w, tobj), text_of(w, tattr), t);
            visit(w, tobj);
        } else {
            uint32_t before = w->f->bindings.len;
            bind_target(w, target, kind, v, 0);
            if (kind == RL_BIND_ALIAS)
                for (uint32_t i = before; i < w->f->bindings.len; i++)
                    w->f->bindings.items[i].value_span = span_of(w, value);
        }
        t = link + 1 < nchain ? assign[link + 1] : field(t, fld.right);
    }
}

static void visit_delete(walker *w, TSNode n)
{
    named_list targets;
    named_list_init(&targets, n);
    for (uint32_t i = 0; i < targets.n; i++) {
        TSNode t = targets.k[i].node;
        if (is(t, sym.s_expression_list)) { visit_delete(w, t); continue; }
        if (is(t, sym.s_subscript)) {
            const char *container = dotted(w, field(t, fld.value));
            if (container && may_be_sys_modules(container))
                container_op(w, n, container, RL_OP_DEL, field(t, fld.subscript));
            visit(w, field(t, fld.subscript));
        } else if (is(t, sym.s_identifier)) {
            add_binding(w, RL_BIND_DELETE, text_of(w, t), NULL, t);
        }
    }
    named_list_release(&targets);
}

static void bind_parameters(walker *w, const named_list *params)
{
    for (uint32_t i = 0; i < params->n; i++) {
        TSNode p = params->k[i].node;
        TSSymbol s = params->k[i].symbol;
        TSNode name = p;
        if (s == sym.s_default_parameter || s == sym.s_typed_default_parameter)
            name = field(p, fld.name);
        else if (s == sym.s_typed_parameter || s == sym.s_list_splat_pattern ||
                 s == sym.s_dictionary_splat_pattern)
            name = named_child(p, 0);
        if (is(name, sym.s_list_splat_pattern) || is(name, sym.s_dictionary_splat_pattern))
            name = named_child(name, 0);
        if (is(name, sym.s_identifier)) add_binding(w, RL_BIND_PARAM, text_of(w, name), NULL, name);
    }
}

/* Default values and annotations run in the enclosing scope, at definition time. */
static void visit_parameter_defaults(walker *w, const named_list *params)
{
    for (uint32_t i = 0; i < params->n; i++) {
        TSNode p = params->k[i].node;
        TSSymbol s = params->k[i].symbol;
        if (s == sym.s_default_parameter || s == sym.s_typed_default_parameter) {
            TSNode pname, value;
            two_fields(p, fld.name, &pname, fld.value, &value);
            uint32_t before = w->f->refs.len;
            add_ref(w, RL_REF_DEFAULT_ARG, value, false);
            if (w->f->refs.len > before && is(pname, sym.s_identifier))
                rl_vec_last(&w->f->refs)->param = text_of(w, pname);
            visit(w, value);
        }
    }
}

/* The names a function scope binds, for prune_function_events: slots of an
 * open-addressing table reused across functions (walker.scope_names). */
enum { NAME_LOCAL = 1, NAME_DECLARED = 2 };
typedef struct scope_name {
    const char *name; /* NULL: empty slot */
    uint8_t how;      /* NAME_LOCAL | NAME_DECLARED */
} scope_name;

static scope_name *scope_name_slot(scope_name *slots, uint32_t mask, const char *name, size_t len)
{
    uint32_t i = name_hash(name, len) & mask;
    while (slots[i].name && (strncmp(slots[i].name, name, len) != 0 || slots[i].name[len]))
        i = (i + 1) & mask;
    return &slots[i];
}

/* Leaving function scope `scope`, whose bindings are complete now: its calls
 * and effects on a local object (`self.items.append(x)`, `parser.parse()`,
 * most calls in a method) resolve to nothing, so the model would drop them
 * (classify, keep); they go now, while the events are still in cache. When
 * only control-flow markers are left since the scope began, they go too:
 * markers only place judged events of their own flow scope, and there are
 * none. Both keep the file's events a fraction of the size on real code. */
static void prune_function_events(walker *w, uint32_t scope, uint32_t first_event, uint32_t first_binding)
{
    rl_file_facts *f = w->f;
    uint32_t n = 16;
    while (n < 2 * (f->bindings.len - first_binding)) n *= 2;
    if (n > w->scope_names_cap) {
        free(w->scope_names);
        w->scope_names = rl_xcalloc(n, sizeof(scope_name));
        w->scope_names_cap = n;
    } else {
        memset(w->scope_names, 0, n * sizeof(scope_name));
    }
    scope_name *slots = w->scope_names;
    for (uint32_t i = first_binding; i < f->bindings.len; i++) {
        const rl_binding *b = &f->bindings.items[i];
        if (b->scope != scope) continue;
        scope_name *slot = scope_name_slot(slots, n - 1, b->name, strlen(b->name));
        slot->name = b->name;
        if (b->kind == RL_BIND_GLOBAL_DECL || b->kind == RL_BIND_NONLOCAL_DECL) slot->how |= NAME_DECLARED;
        /* as resolution sees it (resolve.c): TYPE_CHECKING bindings never run */
        else if (!(b->flags & RL_BINDING_TYPE_CHECKING) && rl_binding_is_local_object(b)) slot->how |= NAME_LOCAL;
    }
    uint32_t kept = first_event;
    bool judged = false;
    for (uint32_t i = first_event; i < f->events.len; i++) {
        const rl_event *e = &f->events.items[i];
        bool effect = e->kind == RL_EV_CALL || e->kind == RL_EV_MUTATE || e->kind == RL_EV_ATTR_ASSIGN ||
                      e->kind == RL_EV_DECORATOR;
        if (effect && e->scope == scope) {
            if (!e->ref) continue;
            const char *dot = strchr(e->ref, '.');
            size_t len = dot ? (size_t)(dot - e->ref) : strlen(e->ref);
            if (scope_name_slot(slots, n - 1, e->ref, len)->how == NAME_LOCAL) continue;
        }
        judged |= e->kind > RL_EV_JUMP;
        if (kept != i) f->events.items[kept] = *e;
        kept++;
    }
    f->events.len = judged ? kept : first_event;
}

static void visit_function(walker *w, TSNode n, bool is_lambda)
{
    TSNode name = {0}, params = {0}, body = {0};
    rl_ts_kid k[12];
    uint32_t nk = rl_ts_kids(n, k, 12, false);
    if (nk > 12) {
        name = field(n, fld.name), params = field(n, fld.parameters), body = field(n, fld.body);
    } else {
        for (uint32_t i = nk; i-- > 0;) { /* backwards: the first child of a field wins */
            if (k[i].field == fld.name) name = k[i].node;
            if (k[i].field == fld.parameters) params = k[i].node;
            if (k[i].field == fld.body) body = k[i].node;
        }
    }
    const char *fname = is_lambda ? "<lambda>" : text_of(w, name);
    if (!is_lambda) add_binding(w, RL_BIND_DEF, fname, NULL, name);
    named_list plist = {0};
    if (!rl_ts_is_null(params)) named_list_init(&plist, params);
    visit_parameter_defaults(w, &plist);

    uint32_t saved_scope = w->scope, saved_flow = w->flow, saved_cond = w->cond_depth,
             saved_try = w->try_depth, saved_handler = w->handler_depth, saved_loops = w->loops.len,
             saved_constraints = w->constraints.len;
    uint32_t id = new_scope(w, RL_SCOPE_FUNCTION, fname, is_lambda ? n : name);
    w->scope = w->flow = id;
    w->cond_depth = w->try_depth = w->handler_depth = 0;
    /* loop variables of the enclosing code are not this body's loop variables */
    w->loops.len = 0;
    w->constraints.len = 0;
    uint32_t first_event = w->f->events.len, first_binding = w->f->bindings.len;
    bind_parameters(w, &plist);
    named_list_release(&plist);
    visit(w, body);
    if (w->prune) prune_function_events(w, id, first_event, first_binding);
    /* the vectors may have grown; restore the enclosing view */
    w->loops.len = saved_loops;
    w->constraints.len = saved_constraints;
    w->scope = saved_scope;
    w->flow = saved_flow;
    w->cond_depth = saved_cond;
    w->try_depth = saved_try;
    w->handler_depth = saved_handler;
}

static void visit_class(walker *w, TSNode n)
{
    const TSFieldId ids[3] = {fld.name, fld.superclasses, fld.body};
    TSNode f[3];
    fields_of(n, ids, f, 3);
    TSNode name = f[0];
    const char *cname = text_of(w, name);
    visit(w, f[1]);
    uint32_t saved_scope = w->scope;
    w->scope = new_scope(w, RL_SCOPE_CLASS, cname, name);
    visit(w, f[2]); /* class bodies run inline: same flow scope */
    w->scope = saved_scope;
    add_binding(w, RL_BIND_CLASS, cname, NULL, name);
}

/* Whether an `if` makes its body idempotent across reloads: the body runs
 * again after a reload only when the condition, evaluated against state that
 * survives the reload, says so. Guards:
 *   `p not in sys.path`, `"_x" not in globals()`  (values compared by equality)
 *   `not root.handlers`, `logging.root.handlers is None` (state outside the module)
 * Not guards: `_handler not in log.handlers` (the module's own new object is
 * never in there after a reload), `not _done` / `_x is None` (the module's own
 * globals are re-initialised first), `not any(isinstance(f, _Tag) ...)` (a new
 * class), `hasattr(signal, "SIGUSR2")` (a platform check, not a guard). */
/* n's source text, NUL-terminated in a buffer reused across calls: judging
 * every `if` condition would otherwise copy each into the file's arena. */
static const char *cond_text(walker *w, TSNode n)
{
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    if (eb > w->len) eb = w->len;
    if (sb > eb) sb = eb;
    w->cond_text.len = 0;
    rl_strbuf_addn(&w->cond_text, w->src + sb, eb - sb);
    rl_strbuf_addc(&w->cond_text, 0);
    return w->cond_text.data;
}

static bool is_idempotence_guard(walker *w, TSNode cond)
{
    if (rl_ts_is_null(cond)) return false;
    const char *t = cond_text(w, cond);
    if (strstr(t, "isinstance(")) return false;
    const char *notin = strstr(t, " not in ");
    if (notin) {
        size_t left = (size_t)(notin - t);
        bool bare = left > 0 && strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == left;
        bool identity_list = rl_str_ends_with(t, "handlers") || rl_str_ends_with(t, "filters");
        return !(bare && identity_list);
    }
    if (strncmp(t, "not ", 4) == 0) {
        /* `not _done` tests a global the reload just reset; `not hasattr(json, "x")`,
           `not any(h.name == "x" for h in root.handlers)` test what survives */
        const char *rest = t + 4;
        return strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(rest);
    }
    if (rl_str_ends_with(t, " is None")) return memchr(t, '.', strlen(t) - 8) != NULL;
    return false;
}

/* `if __name__ == "__main__":` never runs on import or reload. */
static bool is_main_check(walker *w, TSNode cond)
{
    const char *t = cond_text(w, cond);
    return strstr(t, "__name__") && strstr(t, "__main__") && strstr(t, "==");
}

static bool is_type_checking(walker *w, TSNode cond)
{
    const char *d = dotted(w, cond);
    return d && strcmp(last_component(d), "TYPE_CHECKING") == 0;
}

static void visit_if(walker *w, TSNode n)
{
    /* condition, consequence and every alternative in one pass */
    rl_ts_kid small[16];
    uint32_t nk = rl_ts_kids(n, small, 16, false);
    rl_ts_kid *k = small;
    if (nk > 16) { /* a long elif chain */
        k = rl_xmalloc(sizeof(rl_ts_kid) * nk);
        rl_ts_kids(n, k, nk, false);
    }
    TSNode cond = {0}, consequence = {0};
    for (uint32_t i = nk; i-- > 0;) {
        if (k[i].field == fld.condition) cond = k[i].node;
        if (k[i].field == fld.consequence) consequence = k[i].node;
    }
    visit(w, cond);
    marker(w, RL_EV_BRANCH);
    marker(w, RL_EV_ARM);
    bool saved_tc = w->type_checking;
    if (is_type_checking(w, cond)) w->type_checking = true;
    bool constrained = push_constraint(w, cond);
    bool guard = is_idempotence_guard(w, cond) || is_main_check(w, cond);
    w->guard_depth += guard;
    visit_conditional(w, consequence);
    w->guard_depth -= guard;
    if (constrained) w->constraints.len--;
    w->type_checking = saved_tc;
    bool has_else = false;
    for (uint32_t i = 0; i < nk; i++) {
        if (k[i].field != fld.alternative) continue;
        TSNode alt = k[i].node;
        marker(w, RL_EV_ARM);
        if (is(alt, sym.s_elif_clause)) {
            TSNode econd, econsequence;
            two_fields(alt, fld.condition, &econd, fld.consequence, &econsequence);
            visit(w, econd);
            bool econstrained = push_constraint(w, econd);
            visit_conditional(w, econsequence);
            if (econstrained) w->constraints.len--;
        } else {
            has_else = true;
            visit_conditional(w, field(alt, fld.body));
        }
    }
    if (k != small) free(k);
    if (!has_else) marker(w, RL_EV_ARM); /* the fall-through path */
    marker(w, RL_EV_END);
}

/* The keys a `for` variable takes: a literal tuple of names, or sys.modules
 * filtered by a comprehension's startswith() condition. */
static void visit_for(walker *w, TSNode n)
{
    const TSFieldId ids[4] = {fld.left, fld.right, fld.body, fld.alternative};
    TSNode f[4];
    fields_of(n, ids, f, 4);
    TSNode left = f[0], right = f[1];
    visit(w, right);
    loop_ctx l = {0};
    TSNode var = left;
    if (is(var, sym.s_pattern_list) || is(var, sym.s_tuple_pattern)) var = named_child(var, 0);
    if (is(var, sym.s_identifier)) {
        l.var = text_of(w, var);
        if (!literal_string_keys(w, right, &l.keys, &l.nkeys)) {
            l.keys = NULL;
            l.nkeys = 0;
            literal_names(w, right, &l.names, &l.nnames);
            /* list([k for k in sys.modules if k.startswith("p")]) and friends */
            TSNode it = right;
            for (int hops = 0; hops < 4; hops++) {
                if (is(it, sym.s_call)) {
                    TSNode a = field(it, fld.arguments);
                    it = ts_node_named_child_count(a) ? named_child(a, 0) : (TSNode){0};
                } else if (is(it, sym.s_parenthesized_expression)) {
                    it = named_child(it, 0);
                } else {
                    break;
                }
            }
            if (is(it, sym.s_list_comprehension) || is(it, sym.s_generator_expression) ||
                is(it, sym.s_set_comprehension)) {
                uint32_t c = ts_node_named_child_count(it);
                for (uint32_t i = 0; i < c; i++) {
                    TSNode clause = named_child(it, i);
                    if (!is(clause, sym.s_if_clause) || ts_node_named_child_count(clause) < 1) continue;
                    const char *cv = NULL;
                    key_vec ks = {0};
                    if (condition_keys(w, named_child(clause, 0), &cv, &ks, 0) && ks.len &&
                        ks.items[0].kind == RL_KEY_PREFIX)
                        l.prefix = ks.items[0].text;
                    rl_vec_release(&ks);
                }
            }
        }
    }
    bind_target(w, left, RL_BIND_LOOP_VAR, NULL, 0);
    marker(w, RL_EV_LOOP);
    if (l.var) rl_vec_push(&w->loops, l);
    visit_conditional(w, f[2]);
    if (l.var) w->loops.len--;
    marker(w, RL_EV_END);
    visit_conditional(w, f[3]);
}

static void visit_while(walker *w, TSNode n)
{
    const TSFieldId ids[3] = {fld.condition, fld.body, fld.alternative};
    TSNode f[3];
    fields_of(n, ids, f, 3);
    visit(w, f[0]);
    marker(w, RL_EV_LOOP);
    visit_conditional(w, f[1]);
    marker(w, RL_EV_END);
    visit_conditional(w, f[2]);
}

static void visit_try(walker *w, TSNode n)
{
    named_list parts;
    named_list_init(&parts, n);
    uint32_t c = parts.n;
    bool has_handlers = false;
    for (uint32_t i = 0; i < c; i++)
        if (parts.k[i].symbol == sym.s_except_clause) has_handlers = true;
    if (has_handlers) {
        marker(w, RL_EV_BRANCH);
        marker(w, RL_EV_ARM);
    }
    w->try_depth++;
    visit_conditional(w, field(n, fld.body));
    w->try_depth--;
    /* else: runs after the body, on the body's path */
    for (uint32_t i = 0; i < c; i++) {
        TSNode ch = parts.k[i].node;
        if (parts.k[i].symbol == sym.s_else_clause) visit_conditional(w, field(ch, fld.body));
    }
    for (uint32_t i = 0; i < c; i++) {
        TSNode ch = parts.k[i].node;
        if (parts.k[i].symbol != sym.s_except_clause) continue;
        marker(w, RL_EV_ARM);
        TSNode alias = field(ch, fld.alias);
        if (!rl_ts_is_null(alias)) bind_target(w, alias, RL_BIND_LOOP_VAR, NULL, 0);
        TSNode caught = field(ch, fld.value);
        if (!rl_ts_is_null(caught)) add_class_refs(w, RL_REF_EXCEPT, caught);
        named_list handler;
        named_list_init(&handler, ch);
        /* `try: NAME` / `except NameError: ...` runs only while NAME is unbound:
           a reload keeps the module's globals, so it runs once */
        bool once = !rl_ts_is_null(caught) && strcmp(text_of(w, caught), "NameError") == 0;
        w->guard_depth += once;
        w->handler_depth++;
        for (uint32_t j = 0; j < handler.n; j++) {
            TSNode part = handler.k[j].node;
            if (part.id == alias.id) continue;
            visit_conditional(w, part);
        }
        named_list_release(&handler);
        w->handler_depth--;
        w->guard_depth -= once;
    }
    if (has_handlers) marker(w, RL_EV_END);
    for (uint32_t i = 0; i < c; i++)
        if (parts.k[i].symbol == sym.s_finally_clause) visit_conditional(w, parts.k[i].node);
    named_list_release(&parts);
}

static void visit_with(walker *w, TSNode n)
{
    named_list parts;
    named_list_init(&parts, n);
    for (uint32_t i = 0; i < parts.n; i++) {
        if (parts.k[i].symbol != sym.s_with_clause) continue;
        named_list items;
        named_list_init(&items, parts.k[i].node);
        for (uint32_t j = 0; j < items.n; j++) {
            TSNode item = items.k[j].node;
            TSNode value = is(item, sym.s_with_item) ? field(item, fld.value) : item;
            if (is(value, sym.s_as_pattern)) {
                visit(w, named_child(value, 0));
                TSNode alias = field(value, fld.alias);
                if (!rl_ts_is_null(alias) && ts_node_named_child_count(alias) > 0)
                    alias = named_child(alias, 0);
                bind_target(w, alias, RL_BIND_LOOP_VAR, NULL, 0);
            } else {
                visit(w, value);
            }
        }
        named_list_release(&items);
    }
    named_list_release(&parts);
    visit_conditional(w, field(n, fld.body));
}

static void visit_match(walker *w, TSNode n)
{
    visit(w, field(n, fld.subject));
    marker(w, RL_EV_BRANCH);
    named_list cases = {0};
    TSNode body = field(n, fld.body);
    if (!rl_ts_is_null(body)) named_list_init(&cases, body);
    for (uint32_t i = 0; i < cases.n; i++) {
        if (cases.k[i].symbol != sym.s_case_clause) continue;
        marker(w, RL_EV_ARM);
        visit_conditional(w, field(cases.k[i].node, fld.consequence));
    }
    named_list_release(&cases);
    marker(w, RL_EV_ARM); /* no case matched */
    marker(w, RL_EV_END);
}

/* type(x) is C, type(x) == C, C is type(x) (and the negations). */
static void visit_type_check(walker *w, TSNode n)
{
    if (ts_node_named_child_count(n) != 2) return;
    /* nearly every comparison has no `type(` in it: a byte scan says so */
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    if (eb > w->len || sb >= eb) return;
    bool maybe = false;
    for (const char *p = w->src + sb, *end = w->src + eb; p + 4 <= end && !maybe; p++)
        maybe = p[0] == 't' && memcmp(p, "type", 4) == 0;
    if (!maybe) return;
    TSNode l = named_child(n, 0), r = named_child(n, 1);
    const char *op = text_of(w, rl_ts_child(n, 1, false));
    if (strcmp(op, "is") != 0 && strcmp(op, "==") != 0 && strcmp(op, "!=") != 0 &&
        strncmp(op, "is", 2) != 0)
        return;
    for (int side = 0; side < 2; side++) {
        TSNode call = side ? r : l, other = side ? l : r;
        if (!is(call, sym.s_call)) continue;
        const char *fn = dotted(w, field(call, fld.function));
        if (fn && strcmp(fn, "type") == 0) add_ref(w, RL_REF_TYPE_IS, other, false);
    }
}

static void visit_names_statement(walker *w, TSNode n, rl_binding_kind kind)
{
    named_list names;
    named_list_init(&names, n);
    for (uint32_t i = 0; i < names.n; i++)
        if (names.k[i].symbol == sym.s_identifier)
            add_binding(w, kind, text_of(w, names.k[i].node), NULL, names.k[i].node);
    named_list_release(&names);
}

/* `# noqa`, `# noqa: RL101, RL102` (case-insensitive "noqa", as flake8/ruff),
 * and `# reloadlint: noqa[: codes]` at the start of a comment: file-level when
 * the comment is alone on its line, a plain line noqa after code. */
static void visit_comment(walker *w, TSNode n)
{
    uint32_t sb = rl_ts_start_byte(n), eb = ts_node_end_byte(n);
    if (eb > w->len || sb >= eb) return;
    const char *start = w->src + sb, *end = w->src + eb;
    for (const char *p = start; p < end; p++) {
        if (*p != '#') continue;
        const char *q = p + 1;
        while (q < end && (*q == ' ' || *q == '\t')) q++;
        bool file_level = false;
        if (p == start && end - q >= 10 && strncasecmp(q, "reloadlint", 10) == 0) {
            const char *r = q + 10;
            while (r < end && (*r == ' ' || *r == '\t')) r++;
            if (r < end && *r == ':') {
                for (r++; r < end && (*r == ' ' || *r == '\t'); r++) {}
                q = r;
                uint32_t bol = sb; /* only blanks between the line start and the comment? */
                while (bol > 0 && (w->src[bol - 1] == ' ' || w->src[bol - 1] == '\t')) bol--;
                file_level = bol == 0 || w->src[bol - 1] == '\n' || w->src[bol - 1] == '\r' ||
                             w->src[bol - 1] == '\f';
            }
        }
        if (end - q < 4 || strncasecmp(q, "noqa", 4) != 0) continue;
        q += 4;
        if (q < end && *q != ':' && *q != ' ' && *q != '\t' && *q != '#')
            continue; /* "# noqafoo" is not a noqa */
        rl_noqa nq = {rl_ts_start_point(n).row + 1, NULL, file_level};
        if (q < end && *q == ':') {
            q++;
            const char *stop = q;
            while (stop < end && *stop != '#') stop++;
            nq.codes = rl_arena_strndup(A(w), q, (size_t)(stop - q));
        }
        rl_vec_push(&w->f->noqa, nq);
        return;
    }
}

/* An f-string (its prefix has an f): the only strings with interpolations. */
static bool is_fstring(const walker *w, TSNode n)
{
    for (uint32_t i = rl_ts_start_byte(n); i < w->len; i++) {
        char c = w->src[i];
        if (c == '"' || c == '\'') return false;
        if (c == 'f' || c == 'F') return true;
    }
    return false;
}

static void record_syntax_error(walker *w, TSNode n)
{
    if (w->f->syntax_errors.len >= 64) return;
    TSPoint p = rl_ts_start_point(n);
    rl_span s = span_of(w, n);
    rl_syntax_error e = {p.row + 1, s.col};
    /* one entry per line is enough to point the user at it */
    if (w->f->syntax_errors.len && rl_vec_last(&w->f->syntax_errors)->line == e.line) return;
    rl_vec_push(&w->f->syntax_errors, e);
}

static void visit(walker *w, TSNode n)
{
    if (rl_ts_is_null(n)) return;
    if (w->depth >= RL_MAX_DEPTH) {
        if (!w->f->truncated) w->f->truncated_line = rl_ts_start_point(n).row + 1;
        w->f->truncated = true;
        return;
    }
    w->depth++;
    TSSymbol s = rl_ts_symbol(n);
    /* the kinds the scan stops at most often first */
    if (s == sym.s_call) {
        visit_call(w, n); /* and its parts */
    } else if (s == sym.s_attribute) {
        if (!add_attr_load(w, RL_REF_ATTR_LOAD, n, NULL)) visit_children(w, n);
    } else if (s == sym.s_string) {
        /* only interpolations can hold code, and only f-strings have them */
        if (is_fstring(w, n)) {
            named_list parts;
            named_list_init(&parts, n);
            for (uint32_t i = 0; i < parts.n; i++)
                if (parts.k[i].symbol == sym.s_interpolation) visit_children(w, parts.k[i].node);
            named_list_release(&parts);
        }
    } else if (s == sym.s_comment) visit_comment(w, n);
    else if (s == sym.s_import_statement) visit_import(w, n);
    else if (s == sym.s_import_from_statement) visit_import_from(w, n);
    else if (s == sym.s_future_import_statement) { /* no runtime import */ }
    else if (s == sym.s_function_definition) visit_function(w, n, false);
    else if (s == sym.s_lambda) visit_function(w, n, true);
    else if (s == sym.s_class_definition) visit_class(w, n);
    else if (s == sym.s_if_statement) visit_if(w, n);
    else if (s == sym.s_for_statement) visit_for(w, n);
    else if (s == sym.s_while_statement) visit_while(w, n);
    else if (s == sym.s_try_statement) visit_try(w, n);
    else if (s == sym.s_with_statement) visit_with(w, n);
    else if (s == sym.s_match_statement) visit_match(w, n);
    else if (s == sym.s_assignment) visit_assignment(w, n);
    else if (s == sym.s_delete_statement) visit_delete(w, n);
    else if (s == sym.s_global_statement) visit_names_statement(w, n, RL_BIND_GLOBAL_DECL);
    else if (s == sym.s_nonlocal_statement) visit_names_statement(w, n, RL_BIND_NONLOCAL_DECL);
    else if (s == sym.s_return_statement || s == sym.s_raise_statement) {
        visit_children(w, n);
        marker(w, RL_EV_EXIT);
    } else if (s == sym.s_break_statement || s == sym.s_continue_statement) {
        marker(w, RL_EV_JUMP);
    } else if (s == sym.s_augmented_assignment) {
        TSNode left = field(n, fld.left);
        if (is(left, sym.s_subscript)) left = field(left, fld.value);
        const char *d = dotted(w, left);
        if (d && strchr(d, '.')) add_effect(w, RL_EV_MUTATE, d, "+=", n);
        visit_children(w, n);
    } else if (s == sym.s_decorator) {
        TSNode expr = ts_node_named_child_count(n) ? named_child(n, 0) : (TSNode){0};
        add_effect(w, RL_EV_DECORATOR, dotted(w, is(expr, sym.s_call) ? field(expr, fld.function) : expr),
                   NULL, n);
        visit_children(w, n);
    } else if (s == sym.s_comparison_operator) {
        visit_type_check(w, n);
        visit_children(w, n);
    } else if (s == sym.s_named_expression) {
        visit(w, field(n, fld.value));
        bind_target(w, field(n, fld.name), RL_BIND_LOOP_VAR, NULL, 0);
    } else {
        visit_children(w, n);
    }
    w->depth--;
}

/* ---- parsing with a time limit ----------------------------------------------- */

typedef struct parse_input {
    const char *src;
    uint32_t len;
} parse_input;

static const char *read_source(void *payload, uint32_t byte, TSPoint at, uint32_t *bytes_read)
{
    (void)at;
    const parse_input *in = payload;
    if (byte >= in->len) {
        *bytes_read = 0;
        return "";
    }
    *bytes_read = in->len - byte;
    return in->src + byte;
}

typedef struct parse_deadline {
    double at;
    bool hit;
} parse_deadline;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* tree-sitter's progress callback: a pathological file cannot hold a worker
 * for ever. Returning true cancels the parse. */
static bool past_deadline(TSParseState *state)
{
    parse_deadline *d = state->payload;
    if (now_seconds() > d->at) d->hit = true;
    return d->hit;
}

/* Only files with errors pay for this second, iterative pass (no recursion:
 * a broken file may be arbitrarily deep). Records each ERROR or MISSING node
 * that is not inside another one. */
static void scan_syntax_errors(walker *w, TSNode root)
{
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        /* Error recovery can wrap most of a file in one ERROR node: descend to
           the innermost errors, which point at the offending line. */
        bool inner_errors = false;
        if (ts_node_is_error(n)) {
            /* siblings through the cursor: ts_node_child(n, i) walks from the
               first child each time, quadratic in an ERROR node with 100,000
               children (unclosed brackets) */
            if (ts_tree_cursor_goto_first_child(&c)) {
                do inner_errors = ts_node_has_error(ts_tree_cursor_current_node(&c));
                while (!inner_errors && ts_tree_cursor_goto_next_sibling(&c));
                ts_tree_cursor_goto_parent(&c);
            }
            if (!inner_errors) record_syntax_error(w, n);
        } else if (ts_node_is_missing(n)) {
            record_syntax_error(w, n);
        }
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c)) {
                ts_tree_cursor_delete(&c);
                return;
            }
        }
    }
}

void rl_extract(rl_file_facts *facts, const rl_extract_input *in)
{
    walker w = {0};
    w.f = facts;
    w.src = in->src;
    w.len = in->len;
    w.module = in->module;
    w.is_package = in->is_package;
    w.prune = !in->keep_all;

    rl_scope top = {RL_SCOPE_MODULE, RL_NONE, "<module>", {1, 1, 1, 1}};
    rl_vec_push(&facts->scopes, top);

    uint32_t lines = 1; /* memchr: vectorised, a byte loop was 3% of the walk */
    for (const char *p = in->src, *end = in->src + in->len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        lines++;
    facts->nlines = lines;

    double t0 = in->times ? now_seconds() : 0;
    if (in->heap) rl_ts_heap_enter(in->heap);
    TSParser *parser = ts_parser_new(); /* a few small blocks: one per file keeps the heap's
                                           contents to this file */
    ts_parser_set_language(parser, tree_sitter_python()); /* checked by rl_extract_init */
    parse_input pin = {in->src, in->len};
    parse_deadline deadline = {now_seconds() + RL_PARSE_TIME_LIMIT_SECONDS, false};
    TSInput input = {&pin, read_source, TSInputEncodingUTF8, NULL};
    TSParseOptions options = {&deadline, past_deadline};
    TSTree *tree = ts_parser_parse_with_options(parser, NULL, input, options);
    facts->parse_timed_out = deadline.hit;
    double t1 = in->times ? now_seconds() : 0;
    if (tree) {
        TSNode root = ts_tree_root_node(tree);
        visit(&w, root);
        keep_pending_loads(&w);
        if (ts_node_has_error(root)) scan_syntax_errors(&w, root);
    }
    double t2 = in->times ? now_seconds() : 0;
    /* making the parser and giving back its tree are the parse's cost: the
       floor pays them too */
    ts_parser_delete(parser); /* the scanner's own state is libc's: always freed */
    if (in->heap) rl_ts_heap_leave(in->heap); /* takes the tree back whole */
    else if (tree) ts_tree_delete(tree);
    double t3 = in->times ? now_seconds() : 0;
    /* judge what the names mean while this worker still owns the facts, so
       the candidates that mean nothing are dropped early */
    rl_model_file(facts, in->module, in->keep_all);
    if (in->times) {
        in->times->parse += (t1 - t0 + t3 - t2) * 1e3;
        in->times->walk += (t2 - t1) * 1e3;
        in->times->model += (now_seconds() - t3) * 1e3;
    }
    rl_strbuf_release(&w.scratch);
    rl_strbuf_release(&w.cond_text);
    rl_arena_release(&w.loads);
    rl_vec_release(&w.loops);
    rl_vec_release(&w.pending);
    rl_vec_release(&w.constraints);
    free(w.scope_names);
}
