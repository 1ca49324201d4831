/* toml.c - TOML text -> rl_toml_doc: parse with tree-sitter-toml, reject any
 * ERROR or MISSING node (the grammar is error-tolerant, TOML is not), then one
 * walk that flattens tables, dotted keys and inline tables into key paths and
 * decodes strings.
 *
 * Node kinds are compared as integer ids looked up per parse; a grammar that
 * lacks one is a build problem and fails loudly (RL_BUG). */
#include "toml.h"

#include <string.h>
#include <tree_sitter/api.h>

#include "util.h"

const TSLanguage *tree_sitter_toml(void);

/* Arrays and inline tables nested deeper than this are refused rather than
 * walked recursively (no configuration needs more than two levels). */
#define RL_TOML_MAX_DEPTH 64
#define RL_TOML_MAX_KEY_PARTS 256

/* (C name, node kind): `float` is a C keyword. */
#define RL_TOML_SYMBOLS(X)                                                              \
    X(document, "document") X(table, "table")                                           \
    X(table_array_element, "table_array_element") X(pair, "pair")                       \
    X(dotted_key, "dotted_key") X(bare_key, "bare_key") X(quoted_key, "quoted_key")     \
    X(string, "string") X(integer, "integer") X(float_, "float") X(boolean, "boolean")  \
    X(offset_date_time, "offset_date_time") X(local_date_time, "local_date_time")       \
    X(local_date, "local_date") X(local_time, "local_time") X(array, "array")           \
    X(inline_table, "inline_table")

typedef struct toml_syms {
#define RL_TOML_SYM_FIELD(n, kind) TSSymbol n;
    RL_TOML_SYMBOLS(RL_TOML_SYM_FIELD)
#undef RL_TOML_SYM_FIELD
} toml_syms;

typedef struct parser {
    rl_toml_doc *doc;
    const char *src;
    uint32_t len;
    toml_syms sym;
} parser;

static void lookup_symbols(toml_syms *s, const TSLanguage *lang)
{
#define RL_TOML_SYM_LOOKUP(n, kind)                                                  \
    s->n = ts_language_symbol_for_name(lang, kind, (uint32_t)strlen(kind), true);    \
    if (s->n == 0) RL_BUG("tree-sitter-toml grammar has no node kind `%s`", kind);
    RL_TOML_SYMBOLS(RL_TOML_SYM_LOOKUP)
#undef RL_TOML_SYM_LOOKUP
}

static uint32_t line_of(TSNode n) { return ts_node_start_point(n).row + 1; }

/* Records the first error; always returns -1. */
static int fail(parser *p, uint32_t line, const char *what)
{
    if (!p->doc->error) {
        p->doc->error_line = line;
        p->doc->error = rl_arena_strdup(&p->doc->arena, what);
    }
    return -1;
}

/* ---- syntax errors ---------------------------------------------------------- */

/* The first ERROR or MISSING node in document order, or a null node. Below
 * depth RL_TOML_MAX_DEPTH the node itself stands for whatever it holds. */
static TSNode first_error(TSNode n, unsigned depth)
{
    if (ts_node_is_missing(n) || depth > RL_TOML_MAX_DEPTH) return n;
    uint32_t c = ts_node_child_count(n);
    for (uint32_t i = 0; i < c; i++) {
        TSNode ch = ts_node_child(n, i);
        if (ts_node_is_missing(ch)) return ch;
        if (ts_node_is_error(ch)) {
            /* An ERROR that holds another one: the inner one is closer to
             * the mistake (the outer one often starts at the enclosing pair). */
            TSNode inner = first_error(ch, depth + 1);
            return ts_node_is_null(inner) ? ch : inner;
        }
        if (ts_node_has_error(ch)) {
            TSNode found = first_error(ch, depth + 1);
            if (!ts_node_is_null(found)) return found;
        }
    }
    return (TSNode){0};
}

/* Describes the syntax error at n: what is missing, or the text that could
 * not be parsed (its first line, shortened). */
static int syntax_error(parser *p, TSNode root)
{
    TSNode n = first_error(root, 0);
    if (ts_node_is_null(n)) n = root;
    rl_strbuf sb = {0};
    if (ts_node_is_missing(n)) {
        const char *type = ts_node_type(n);
        if (type[0] == '_' || strcmp(type, "_line_ending_or_eof") == 0)
            rl_strbuf_adds(&sb, "expected the end of the line");
        else
            rl_strbuf_addf(&sb, "missing `%s`", type);
    } else {
        uint32_t sb_ = ts_node_start_byte(n), eb = ts_node_end_byte(n);
        if (eb > p->len) eb = p->len;
        const char *s = p->src + sb_;
        uint32_t k = 0, max = sb_ < eb ? eb - sb_ : 0;
        while (k < max && s[k] != '\n' && s[k] != '\r' && k < 40) k++;
        bool more = k < max && s[k] != '\n' && s[k] != '\r'; /* cut at 40 bytes */
        while (more && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--; /* not mid-character */
        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
        if (k == 0) {
            rl_strbuf_adds(&sb, sb_ >= p->len ? "unexpected end of file"
                                              : "unexpected end of line");
        } else {
            /* Backticks in the snippet would garble the quoting. */
            rl_strbuf_adds(&sb, "unexpected `");
            for (uint32_t i = 0; i < k; i++) rl_strbuf_addc(&sb, s[i] == '`' ? '\'' : s[i]);
            rl_strbuf_adds(&sb, more ? "...`" : "`");
        }
    }
    int rc = fail(p, line_of(n), sb.data);
    rl_strbuf_release(&sb);
    return rc;
}

/* ---- strings ---------------------------------------------------------------- */

static void add_utf8(rl_strbuf *sb, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        b[0] = (char)cp;
        rl_strbuf_addn(sb, b, 1);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        rl_strbuf_addn(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        rl_strbuf_addn(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        rl_strbuf_addn(sb, b, 4);
    }
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Decodes the escapes of a basic string body s[0..n) into sb. Returns false
 * on an invalid escape (the grammar already refuses most of them). */
static bool unescape(rl_strbuf *sb, const char *s, uint32_t n, bool multiline)
{
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            rl_strbuf_addc(sb, s[i]);
            continue;
        }
        if (++i >= n) return false;
        char c = s[i];
        switch (c) {
        case 'b': rl_strbuf_addc(sb, '\b'); continue;
        case 't': rl_strbuf_addc(sb, '\t'); continue;
        case 'n': rl_strbuf_addc(sb, '\n'); continue;
        case 'f': rl_strbuf_addc(sb, '\f'); continue;
        case 'r': rl_strbuf_addc(sb, '\r'); continue;
        case '"': rl_strbuf_addc(sb, '"'); continue;
        case '\\': rl_strbuf_addc(sb, '\\'); continue;
        case 'u':
        case 'U': {
            uint32_t digits = c == 'u' ? 4 : 8, cp = 0;
            if (i + digits >= n) return false;
            for (uint32_t k = 1; k <= digits; k++) {
                int h = hex_value(s[i + k]);
                if (h < 0) return false;
                cp = cp * 16 + (uint32_t)h;
            }
            /* Unicode scalar values only: no surrogates, nothing past U+10FFFF. */
            if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
            add_utf8(sb, cp);
            i += digits;
            continue;
        }
        default:
            break;
        }
        /* A line-ending backslash (multi-line strings only) swallows the
         * line break and all white space and line breaks after it. */
        uint32_t k = i;
        while (k < n && is_blank(s[k])) k++;
        if (!multiline || k >= n || (s[k] != '\n' && s[k] != '\r')) return false;
        while (k < n && (is_blank(s[k]) || s[k] == '\n' || s[k] == '\r')) k++;
        i = k - 1;
    }
    return true;
}

/* The decoded value of a string or quoted-key node. */
static int decode_string(parser *p, TSNode n, const char **out, uint32_t *out_len)
{
    uint32_t sb_ = ts_node_start_byte(n), eb = ts_node_end_byte(n);
    if (eb > p->len || sb_ >= eb) return fail(p, line_of(n), "broken string");
    const char *s = p->src + sb_;
    uint32_t n_ = eb - sb_;
    char q = s[0];
    bool multi = n_ >= 6 && s[1] == q && s[2] == q;
    uint32_t delim = multi ? 3 : 1;
    if ((q != '"' && q != '\'') || n_ < 2 * delim)
        return fail(p, line_of(n), "broken string");
    const char *body = s + delim;
    uint32_t blen = n_ - 2 * delim;
    /* A line break right after the opening delimiter is not part of the string. */
    if (multi && blen >= 1 && body[0] == '\n') body++, blen--;
    else if (multi && blen >= 2 && body[0] == '\r' && body[1] == '\n') body += 2, blen -= 2;

    rl_strbuf sb = {0};
    rl_strbuf_addn(&sb, "", 0);
    if (q == '\'') {
        rl_strbuf_addn(&sb, body, blen);
    } else if (!unescape(&sb, body, blen, multi)) {
        rl_strbuf_release(&sb);
        return fail(p, line_of(n), "invalid escape sequence in a string");
    }
    *out = rl_arena_strndup(&p->doc->arena, sb.data, sb.len);
    *out_len = (uint32_t)sb.len;
    rl_strbuf_release(&sb);
    return 0;
}

/* ---- keys ------------------------------------------------------------------- */

typedef RL_VEC(const char *) key_vec;

/* Appends the components of a key node (bare, quoted or dotted) to out. A
 * dotted key nests one level per dot. */
static int collect_key_at(parser *p, TSNode n, key_vec *out, unsigned depth)
{
    TSSymbol s = ts_node_symbol(n);
    if (s == p->sym.dotted_key) {
        if (depth > RL_TOML_MAX_KEY_PARTS)
            return fail(p, line_of(n), "a dotted key with too many parts");
        uint32_t c = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < c; i++) {
            TSNode ch = ts_node_named_child(n, i);
            if (ts_node_is_extra(ch)) continue;
            if (collect_key_at(p, ch, out, depth + 1) < 0) return -1;
        }
        return 0;
    }
    if (s == p->sym.bare_key) {
        uint32_t sb_ = ts_node_start_byte(n), eb = ts_node_end_byte(n);
        rl_vec_push(out, rl_arena_strndup(&p->doc->arena, p->src + sb_, eb - sb_));
        return 0;
    }
    if (s == p->sym.quoted_key) {
        const char *text;
        uint32_t len;
        if (decode_string(p, n, &text, &len) < 0) return -1;
        rl_vec_push(out, text);
        return 0;
    }
    return fail(p, line_of(n), "expected a key");
}

static int collect_key(parser *p, TSNode n, key_vec *out) { return collect_key_at(p, n, out, 0); }

/* The first and second named children that are not comments. */
static TSNode named_nth(TSNode n, uint32_t want)
{
    uint32_t c = ts_node_named_child_count(n), seen = 0;
    for (uint32_t i = 0; i < c; i++) {
        TSNode ch = ts_node_named_child(n, i);
        if (ts_node_is_extra(ch)) continue;
        if (seen++ == want) return ch;
    }
    return (TSNode){0};
}

static const char **key_copy(parser *p, const key_vec *k)
{
    const char **out = rl_arena_alloc(&p->doc->arena, sizeof(char *) * (k->len ? k->len : 1));
    for (uint32_t i = 0; i < k->len; i++) out[i] = k->items[i];
    return out;
}

/* ---- values ----------------------------------------------------------------- */

static int walk_pairs(parser *p, TSNode container, uint32_t first, key_vec *prefix,
                      bool in_table_array, unsigned depth);

/* Fills v from a value node. Inline tables are TABLE values; their keys are
 * added as entries under path by the caller (walk_pair). */
static int read_value(parser *p, TSNode n, rl_toml_value *v, unsigned depth)
{
    if (depth > RL_TOML_MAX_DEPTH)
        return fail(p, line_of(n), "arrays or inline tables nested too deeply");
    TSSymbol s = ts_node_symbol(n);
    uint32_t sb_ = ts_node_start_byte(n), eb = ts_node_end_byte(n);
    v->line = line_of(n);
    if (s == p->sym.string) {
        v->type = RL_TOML_STRING;
        return decode_string(p, n, &v->text, &v->len);
    }
    v->text = rl_arena_strndup(&p->doc->arena, p->src + sb_, eb - sb_);
    v->len = eb - sb_;
    if (s == p->sym.integer) v->type = RL_TOML_INTEGER;
    else if (s == p->sym.float_) v->type = RL_TOML_FLOAT;
    else if (s == p->sym.boolean) {
        v->type = RL_TOML_BOOLEAN;
        v->boolean = strcmp(v->text, "true") == 0;
    } else if (s == p->sym.offset_date_time || s == p->sym.local_date_time ||
               s == p->sym.local_date || s == p->sym.local_time) {
        v->type = RL_TOML_DATETIME;
    } else if (s == p->sym.inline_table) {
        v->type = RL_TOML_TABLE;
    } else if (s == p->sym.array) {
        v->type = RL_TOML_ARRAY;
        uint32_t c = ts_node_named_child_count(n), k = 0;
        for (uint32_t i = 0; i < c; i++) k += !ts_node_is_extra(ts_node_named_child(n, i));
        v->items = rl_arena_alloc(&p->doc->arena, sizeof(rl_toml_value) * (k ? k : 1));
        for (uint32_t i = 0; i < c; i++) {
            TSNode ch = ts_node_named_child(n, i);
            if (ts_node_is_extra(ch)) continue;
            if (read_value(p, ch, &v->items[v->nitems++], depth + 1) < 0) return -1;
        }
    } else {
        return fail(p, line_of(n), "expected a value");
    }
    return 0;
}

/* One `key = value` below prefix: an entry, then (for an inline table) the
 * entries of its own keys. */
static int walk_pair(parser *p, TSNode pair, key_vec *prefix, bool in_table_array, unsigned depth)
{
    TSNode key = named_nth(pair, 0), value = named_nth(pair, 1);
    if (ts_node_is_null(key) || ts_node_is_null(value))
        return fail(p, line_of(pair), "expected `key = value`");
    uint32_t base = prefix->len;
    int rc = collect_key(p, key, prefix);
    if (rc == 0) {
        rl_toml_entry e = {
            .key = key_copy(p, prefix),
            .nkey = prefix->len,
            .line = line_of(key),
            .in_table_array = in_table_array,
        };
        rc = read_value(p, value, &e.value, depth);
        if (rc == 0) rl_vec_push(&p->doc->entries, e);
        if (rc == 0 && e.value.type == RL_TOML_TABLE)
            rc = walk_pairs(p, value, 0, prefix, in_table_array, depth + 1);
    }
    prefix->len = base;
    return rc;
}

/* The pairs among the named children of container, from the first-th on. */
static int walk_pairs(parser *p, TSNode container, uint32_t first, key_vec *prefix,
                      bool in_table_array, unsigned depth)
{
    if (depth > RL_TOML_MAX_DEPTH)
        return fail(p, line_of(container), "arrays or inline tables nested too deeply");
    uint32_t c = ts_node_named_child_count(container);
    for (uint32_t i = first; i < c; i++) {
        TSNode ch = ts_node_named_child(container, i);
        if (ts_node_symbol(ch) != p->sym.pair) continue; /* comments */
        if (walk_pair(p, ch, prefix, in_table_array, depth) < 0) return -1;
    }
    return 0;
}

/* A [header] or [[header]] and the pairs below it. */
static int walk_table(parser *p, TSNode table, bool array)
{
    key_vec path = {0};
    uint32_t c = ts_node_named_child_count(table), i = 0;
    while (i < c && ts_node_is_extra(ts_node_named_child(table, i))) i++;
    int rc = i < c ? collect_key(p, ts_node_named_child(table, i), &path)
                   : fail(p, line_of(table), "expected a table name");
    if (rc == 0) {
        rl_toml_entry e = {
            .key = key_copy(p, &path),
            .nkey = path.len,
            .line = line_of(table),
            .header = true,
            .value = {.type = array ? RL_TOML_TABLE_ARRAY : RL_TOML_TABLE,
                      .line = line_of(table)},
        };
        rl_vec_push(&p->doc->entries, e);
        rc = walk_pairs(p, table, i + 1, &path, array, 0);
    }
    rl_vec_release(&path);
    return rc;
}

static int walk_document(parser *p, TSNode root)
{
    key_vec prefix = {0};
    int rc = 0;
    uint32_t c = ts_node_named_child_count(root);
    for (uint32_t i = 0; i < c && rc == 0; i++) {
        TSNode ch = ts_node_named_child(root, i);
        TSSymbol s = ts_node_symbol(ch);
        if (s == p->sym.pair) rc = walk_pair(p, ch, &prefix, false, 0);
        else if (s == p->sym.table) rc = walk_table(p, ch, false);
        else if (s == p->sym.table_array_element) rc = walk_table(p, ch, true);
    }
    rl_vec_release(&prefix);
    return rc;
}

/* ---- the API ---------------------------------------------------------------- */

int rl_toml_parse(rl_toml_doc *doc, const char *text, uint32_t len)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3, len -= 3;
    parser p = {.doc = doc, .src = text, .len = len};
    const TSLanguage *lang = tree_sitter_toml();
    lookup_symbols(&p.sym, lang);
    TSParser *ts = ts_parser_new();
    if (!ts_parser_set_language(ts, lang)) {
        ts_parser_delete(ts);
        uint32_t abi = ts_language_abi_version(lang);
        rl_strbuf sb = {0};
        rl_strbuf_addf(&sb, "the tree-sitter-toml grammar (ABI %u) is not supported by this "
                            "tree-sitter (ABI %u..%u); rebuild with the pinned sources "
                            "(third_party/fetch.sh)",
                       abi, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
                       TREE_SITTER_LANGUAGE_VERSION);
        int rc = fail(&p, 0, sb.data);
        rl_strbuf_release(&sb);
        return rc;
    }
    int rc;
    /* NUL bytes are not TOML; tree-sitter would read on past them. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        uint32_t line = 1;
        for (const char *q = text; q < nul; q++) line += *q == '\n';
        ts_parser_delete(ts);
        return fail(&p, line, "NUL byte");
    }
    TSTree *tree = ts_parser_parse_string(ts, NULL, text, len);
    TSNode root = ts_tree_root_node(tree);
    if (ts_node_has_error(root) || ts_node_is_error(root)) rc = syntax_error(&p, root);
    else rc = walk_document(&p, root);
    ts_tree_delete(tree);
    ts_parser_delete(ts);
    return rc;
}

void rl_toml_release(rl_toml_doc *doc)
{
    rl_vec_release(&doc->entries);
    rl_arena_release(&doc->arena);
    doc->error = NULL;
    doc->error_line = 0;
}

static bool is_bare_key(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

const char *rl_toml_key_string(rl_arena *a, const char *const *key, uint32_t nkey)
{
    rl_strbuf sb = {0};
    rl_strbuf_addn(&sb, "", 0);
    for (uint32_t i = 0; i < nkey; i++) {
        if (i) rl_strbuf_addc(&sb, '.');
        if (is_bare_key(key[i])) {
            rl_strbuf_adds(&sb, key[i]);
            continue;
        }
        rl_strbuf_addc(&sb, '"');
        for (const char *s = key[i]; *s; s++) {
            if (*s == '"' || *s == '\\') rl_strbuf_addc(&sb, '\\');
            rl_strbuf_addc(&sb, *s);
        }
        rl_strbuf_addc(&sb, '"');
    }
    const char *out = rl_arena_strdup(a, sb.data);
    rl_strbuf_release(&sb);
    return out;
}

const char *rl_toml_type_name(rl_toml_type t)
{
    switch (t) {
    case RL_TOML_STRING: return "a string";
    case RL_TOML_INTEGER: return "an integer";
    case RL_TOML_FLOAT: return "a float";
    case RL_TOML_BOOLEAN: return "a boolean";
    case RL_TOML_DATETIME: return "a date-time";
    case RL_TOML_ARRAY: return "an array";
    case RL_TOML_TABLE: return "a table";
    case RL_TOML_TABLE_ARRAY: return "an array of tables";
    }
    RL_BUG("rl_toml_type_name: bad type %d", (int)t);
}
