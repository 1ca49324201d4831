/* config.c - reading [tool.reloadlint]: find the file, parse it as TOML
 * (toml.h), then check each key against the table below and keep its values.
 *
 * How to add a key: add a K_ id and a row to `keys[]` (name and an example
 * value for messages), store it in read_list_key(), give rl_config a field,
 * merge it in options.c (finish_config), and document it in the README's
 * configuration reference. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "modname.h"
#include "source.h"
#include "toml.h"
#include "util.h"

/* Configuration files are small; anything bigger is a mistake. */
#define RL_CONFIG_MAX_SIZE (16u * 1024u * 1024u)

typedef enum key_id {
    K_SELECT,
    K_IGNORE,
    K_EXTEND_SELECT,
    K_PER_FILE_IGNORES,
    K_EXCLUDE,
    K_EXTEND_EXCLUDE,
    K_ROOTS,
    K_ASSUME_RELOADED,
    K_SIDE_EFFECT_CALLS,
    K_CACHE_DIR,
    K_COUNT
} key_id;

static const struct key_def {
    const char *name;
    const char *example; /* a value, for "must be a list of strings (e.g. ...)" */
} keys[K_COUNT] = {
    [K_SELECT] = {"select", "[\"RL1\", \"RL301\"]"},
    [K_IGNORE] = {"ignore", "[\"RL201\"]"},
    [K_EXTEND_SELECT] = {"extend-select", "[\"RL3\"]"},
    [K_PER_FILE_IGNORES] = {"per-file-ignores", "{\"tests/*\" = [\"RL301\"]}"},
    [K_EXCLUDE] = {"exclude", "[\"migrations\"]"},
    [K_EXTEND_EXCLUDE] = {"extend-exclude", "[\"migrations\"]"},
    [K_ROOTS] = {"roots", "[\"src\"]"},
    [K_ASSUME_RELOADED] = {"assume-reloaded", "[\"app.settings\"]"},
    [K_SIDE_EFFECT_CALLS] = {"side-effect-calls", "[\"app.plugins.register\"]"},
    [K_CACHE_DIR] = {"cache-dir", "\"/tmp/reloadlint-cache\""},
};

static const char *const pyproject_table[] = {"tool", "reloadlint"};

/* ---- rule codes -------------------------------------------------------------- */

bool rl_rule_set_apply_code(rl_rule_set *set, const char *code, size_t n, bool on)
{
    bool all = n == 3 && memcmp(code, "ALL", 3) == 0;
    bool matched = false;
    for (int i = 0; i < RL_RULE_COUNT; i++) {
        const char *c = rl_rule_get((rl_rule_id)i)->code;
        if (all || (n > 0 && strlen(c) >= n && memcmp(c, code, n) == 0)) {
            set->on[i] = on;
            matched = true;
        }
    }
    return matched;
}

void rl_rule_set_apply_quiet(rl_rule_set *set, const char *list, bool on)
{
    while (*list) {
        const char *end = strchr(list, ',');
        if (!end) end = list + strlen(list);
        const char *a = list, *b = end;
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
        if (b > a) rl_rule_set_apply_code(set, a, (size_t)(b - a), on);
        list = *end ? end + 1 : end;
    }
}

/* A code or prefix of the SPEC's numbering (RL1xx..RL4xx) that this version
 * lacks: a configuration written for a newer version keeps working (the same
 * leniency as --select, registry.c). */
static bool is_contract_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 5 || s[0] != 'R' || s[1] != 'L') return false;
    if (n >= 3 && (s[2] < '1' || s[2] > '4')) return false;
    for (size_t i = 3; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* ---- globs -------------------------------------------------------------------- */

bool rl_config_glob_matches(const char *glob, const char *path, const char *rel)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (fnmatch(glob, path, 0) == 0 || fnmatch(glob, base, 0) == 0) return true;
    if (path[0] == '.' && path[1] == '/' && fnmatch(glob, path + 2, 0) == 0) return true;
    return rel && fnmatch(glob, rel, 0) == 0;
}

const char *rl_config_relative(rl_arena *a, const char *config_dir, const char *cwd,
                               const char *path)
{
    if (!config_dir) return NULL;
    const char *abs = rl_path_absolute(a, cwd, path);
    if (strcmp(config_dir, "/") == 0) return abs + 1;
    size_t n = strlen(config_dir);
    return strncmp(abs, config_dir, n) == 0 && abs[n] == '/' ? abs + n + 1 : NULL;
}

char *rl_current_dir(void)
{
    size_t cap = 256;
    for (;;) {
        char *buf = rl_xmalloc(cap);
        if (getcwd(buf, cap)) return buf;
        int err = errno;
        free(buf);
        errno = err;
        if (err != ERANGE) return NULL;
        cap *= 2;
    }
}

/* ---- did you mean ------------------------------------------------------------- */

/* Lower case, '_' as '-': `Extend_Select` and `extend-select` are one key. */
static void normalize_key(char *out, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) {
        char c = s[i];
        out[i] = c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[i] = '\0';
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (up + 1 < best) best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *rl_config_suggest_key(const char *word)
{
    char w[80];
    normalize_key(w, sizeof w, word);
    size_t n = strlen(w);
    size_t limit = n >= 5 ? 2 : 1;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (int k = 0; k < K_COUNT; k++) {
        size_t d = edit_distance(w, keys[k].name);
        if (d < best_d) best = keys[k].name, best_d = d;
    }
    return best;
}

/* ---- reading -------------------------------------------------------------------- */

typedef struct seen_key {
    const char *key;  /* the path below the table, as text; headers start with '[' */
    uint32_t line;
} seen_key;

typedef struct reader {
    rl_config *c;
    rl_arena *a;
    rl_arena scratch;                 /* key strings for messages */
    const char *path;
    bool pyproject;
    uint32_t nbase;                   /* 2 for tool.reloadlint, 0 for a plain file */
    RL_VEC(seen_key) seen;
} reader;

static int config_error(reader *r, uint32_t line, const char *fmt, ...) RL_PRINTF(3, 4);
static int config_error(reader *r, uint32_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) RL_BUG("vsnprintf failed for \"%s\"", fmt);
    if ((size_t)n < sizeof small) return rl_error("%s:%u: %s", r->path, line, small);
    char *big = rl_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rl_error("%s:%u: %s", r->path, line, big);
    free(big);
    return -1;
}

/* The key below the table as written in messages: `select`,
 * `per-file-ignores."tests/conftest.py"`. */
static const char *key_text(reader *r, const char *const *key, uint32_t n)
{
    return rl_toml_key_string(&r->scratch, key, n);
}

static const char *table_name(const reader *r)
{
    return r->pyproject ? " in [tool.reloadlint]" : "";
}

/* A key (or a [table] header, key "[full.name]") may be defined once, as in
 * TOML itself. */
static int check_unique(reader *r, const char *key, uint32_t line)
{
    for (uint32_t i = 0; i < r->seen.len; i++) {
        if (strcmp(r->seen.items[i].key, key) != 0) continue;
        if (key[0] == '[')
            return config_error(r, line, "table `%s` is defined twice (first on line %u)", key,
                                r->seen.items[i].line);
        return config_error(r, line, "`%s` is defined twice%s (first on line %u)", key,
                            table_name(r), r->seen.items[i].line);
    }
    rl_vec_push(&r->seen, ((seen_key){key, line}));
    return 0;
}

static key_id find_key(const char *name)
{
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(keys[k].name, name) == 0) return (key_id)k;
    return K_COUNT;
}

static int unknown_key(reader *r, const char *name, uint32_t line)
{
    const char *shown = key_text(r, &name, 1);
    const char *suggestion = rl_config_suggest_key(name);
    if (suggestion)
        return config_error(r, line, "unknown key `%s`%s (did you mean `%s`?)", shown,
                            table_name(r), suggestion);
    if (!r->pyproject && strcmp(name, "tool") == 0)
        return config_error(r, line, "unknown key `tool`: a [tool.reloadlint] table is read only "
                                     "from a file named pyproject.toml; in other files the keys go "
                                     "at the top level");
    rl_strbuf known = {0};
    for (int k = 0; k < K_COUNT; k++) rl_strbuf_addf(&known, "%s%s", k ? ", " : "", keys[k].name);
    int rc = config_error(r, line, "unknown key `%s`%s (known keys: %s)", shown, table_name(r),
                          known.data);
    rl_strbuf_release(&known);
    return rc;
}

/* `key` must be a list of strings: checks the value and each item. */
static int check_string_list(reader *r, const char *shown, const char *example,
                             const rl_toml_entry *e)
{
    const rl_toml_value *v = &e->value;
    if (v->type != RL_TOML_ARRAY)
        return config_error(r, e->line, "`%s` must be a list of strings (e.g. `%s = %s`), not %s",
                            shown, shown, example, rl_toml_type_name(v->type));
    for (uint32_t i = 0; i < v->nitems; i++) {
        const rl_toml_value *item = &v->items[i];
        if (item->type != RL_TOML_STRING)
            return config_error(r, item->line, "`%s` must be a list of strings; item %u is %s",
                                shown, i + 1, rl_toml_type_name(item->type));
        if (strlen(item->text) != item->len)
            return config_error(r, item->line, "`%s`: item %u holds a NUL character", shown, i + 1);
    }
    return 0;
}

/* Each item must name at least one rule ("ALL", a code or a prefix). */
static int check_codes(reader *r, const char *shown, const rl_toml_value *v)
{
    for (uint32_t i = 0; i < v->nitems; i++) {
        const char *code = v->items[i].text;
        rl_rule_set scratch = {{0}};
        if (rl_rule_set_apply_code(&scratch, code, strlen(code), true)) continue;
        if (is_contract_code(code)) {
            rl_warning("%s:%u: `%s` in `%s` matches no rule of this version (see `reloadlint "
                       "--list-rules`)",
                       r->path, v->items[i].line, code, shown);
            continue;
        }
        return config_error(r, v->items[i].line,
                            "unknown rule code or prefix `%s` in `%s` (run `reloadlint "
                            "--list-rules` to see every rule)",
                            code, shown);
    }
    return 0;
}

/* A glob as written, without trailing '/' ("build/" means the folder, which is
 * what a name match does anyway). */
static const char *trim_glob(reader *r, const char *g)
{
    size_t n = strlen(g);
    while (n > 1 && g[n - 1] == '/') n--;
    return rl_arena_strndup(r->a, g, n);
}

/* Stores the validated items of a list key. */
static int read_list_key(reader *r, key_id k, const rl_toml_entry *e)
{
    const char *name = keys[k].name;
    const rl_toml_value *v = &e->value;
    if (check_string_list(r, name, keys[k].example, e) < 0) return -1;
    rl_config *c = r->c;
    if (k == K_SELECT || k == K_IGNORE || k == K_EXTEND_SELECT) {
        if (check_codes(r, name, v) < 0) return -1;
        rl_str_list *dst = k == K_SELECT ? &c->select : k == K_IGNORE ? &c->ignore
                                                                       : &c->extend_select;
        for (uint32_t i = 0; i < v->nitems; i++)
            rl_vec_push(dst, rl_arena_strdup(r->a, v->items[i].text));
        c->has_select |= k == K_SELECT;
        return 0;
    }
    for (uint32_t i = 0; i < v->nitems; i++) {
        const char *s = v->items[i].text;
        uint32_t line = v->items[i].line;
        switch (k) {
        case K_EXCLUDE:
        case K_EXTEND_EXCLUDE:
            if (!*s) return config_error(r, line, "`%s`: empty glob", name);
            rl_vec_push(k == K_EXCLUDE ? &c->exclude : &c->extend_exclude, trim_glob(r, s));
            break;
        case K_ROOTS: {
            if (!*s) return config_error(r, line, "`roots`: empty folder name");
            const char *abs = rl_path_absolute(r->a, c->dir, s);
            struct stat st;
            if (stat(abs, &st) != 0)
                return config_error(r, line, "`roots`: `%s` (relative to the folder of %s): %s",
                                    s, r->path, strerror(errno));
            if (!S_ISDIR(st.st_mode))
                return config_error(r, line, "`roots`: `%s` is not a folder", s);
            rl_vec_push(&c->roots, abs);
            break;
        }
        case K_ASSUME_RELOADED:
            if (!rl_is_valid_module_pattern(s))
                return config_error(r, line,
                                    "`assume-reloaded`: `%s` is not a module (expected a dotted "
                                    "name such as `pkg.mod`, or `pkg.*` for a package and all "
                                    "below it)",
                                    s);
            rl_vec_push(&c->assume_reloaded, rl_arena_strdup(r->a, s));
            break;
        case K_SIDE_EFFECT_CALLS:
            if (!rl_is_valid_module_name(s) || !strchr(s, '.'))
                return config_error(r, line,
                                    "`side-effect-calls`: `%s` is not a dotted call name "
                                    "(expected `module.function`, e.g. `atexit.register`)",
                                    s);
            rl_vec_push(&c->side_effect_calls, rl_arena_strdup(r->a, s));
            break;
        default: RL_BUG("read_list_key: key %d", (int)k);
        }
    }
    c->has_exclude |= k == K_EXCLUDE;
    c->has_roots |= k == K_ROOTS;
    c->has_assume_reloaded |= k == K_ASSUME_RELOADED;
    return 0;
}

/* `cache-dir`: the one key whose value is a single string (a folder, relative
 * to the configuration's folder; it need not exist yet), as in ruff. */
static int read_cache_dir(reader *r, const rl_toml_entry *e, uint32_t nrel)
{
    const char *name = keys[K_CACHE_DIR].name;
    const rl_toml_value *v = &e->value;
    if (nrel > 1 || v->type != RL_TOML_STRING)
        return config_error(r, e->line, "`%s` must be a string (e.g. `%s = %s`), not %s", name,
                            name, keys[K_CACHE_DIR].example,
                            nrel > 1 ? "a table" : rl_toml_type_name(v->type));
    if (!*v->text) return config_error(r, v->line, "`%s`: empty folder name", name);
    if (strlen(v->text) != v->len)
        return config_error(r, v->line, "`%s` holds a NUL character", name);
    r->c->cache_dir = rl_path_absolute(r->a, r->c->dir, v->text);
    return 0;
}

/* `per-file-ignores` itself (a table), or one of its globs (a list of codes). */
static int read_per_file_ignores(reader *r, const rl_toml_entry *e, const char *const *rel,
                                 uint32_t nrel)
{
    const char *name = keys[K_PER_FILE_IGNORES].name;
    if (nrel == 1) {
        if (e->value.type != RL_TOML_TABLE)
            return config_error(r, e->line,
                                "`%s` must be a table of globs to lists of codes (e.g. `%s = "
                                "%s`), not %s",
                                name, name, keys[K_PER_FILE_IGNORES].example,
                                rl_toml_type_name(e->value.type));
        return 0;
    }
    const char *shown = key_text(r, rel, 2);
    if (nrel > 2 || e->header)
        return config_error(r, e->line, "`%s` must be a list of codes (e.g. `%s = [\"RL301\"]`), "
                                        "not a table",
                            shown, shown);
    if (check_string_list(r, shown, "[\"RL301\"]", e) < 0) return -1;
    if (check_codes(r, shown, &e->value) < 0) return -1;
    const char *glob = rel[1];
    bool negated = glob[0] == '!';
    if (negated) glob++;
    if (!*glob) return config_error(r, e->line, "`%s`: empty glob", name);
    rl_per_file_ignore pfi = {.glob = trim_glob(r, glob), .negated = negated};
    for (uint32_t i = 0; i < e->value.nitems; i++) {
        const char *code = e->value.items[i].text;
        rl_rule_set_apply_code(&pfi.rules, code, strlen(code), true);
    }
    rl_vec_push(&r->c->per_file_ignores, pfi);
    return 0;
}

/* One entry of the document: skipped unless it lies in [tool.reloadlint]
 * (for a plain file: everything does). */
static int read_entry(reader *r, const rl_toml_entry *e)
{
    uint32_t nb = r->nbase;
    for (uint32_t i = 0; i < nb; i++)
        if (i >= e->nkey || strcmp(e->key[i], pyproject_table[i]) != 0) return 0;
    if (e->nkey == nb) { /* tool.reloadlint itself */
        if (e->value.type != RL_TOML_TABLE)
            return config_error(r, e->line, "`tool.reloadlint` must be a table, not %s",
                                rl_toml_type_name(e->value.type));
        r->c->found = true;
        return e->header ? check_unique(r, "[tool.reloadlint]", e->line) : 0;
    }
    r->c->found = true;
    if (e->in_table_array)
        return config_error(r, e->line, "`%s` is set inside an array of tables; %s must be a "
                                        "plain table",
                            key_text(r, e->key, e->nkey),
                            r->pyproject ? "[tool.reloadlint]" : "the configuration");
    const char *const *rel = e->key + nb;
    uint32_t nrel = e->nkey - nb;
    key_id k = find_key(rel[0]);
    if (k == K_COUNT) return unknown_key(r, rel[0], e->line);
    /* Each key (and each [header]) once. */
    const char *id = e->header ? rl_arena_printf(&r->scratch, "[%s]",
                                                 key_text(r, e->key, e->nkey))
                               : key_text(r, rel, nrel);
    if (e->header || e->value.type != RL_TOML_TABLE)
        if (check_unique(r, id, e->line) < 0) return -1;
    if (k == K_PER_FILE_IGNORES) return read_per_file_ignores(r, e, rel, nrel);
    if (k == K_CACHE_DIR) return read_cache_dir(r, e, nrel);
    if (nrel > 1 || e->value.type == RL_TOML_TABLE || e->value.type == RL_TOML_TABLE_ARRAY)
        return config_error(r, e->line, "`%s` must be a list of strings (e.g. `%s = %s`), not %s",
                            keys[k].name, keys[k].name, keys[k].example,
                            nrel > 1 ? "a table" : rl_toml_type_name(e->value.type));
    return read_list_key(r, k, e);
}

int rl_config_parse(rl_config *c, rl_arena *a, const char *path, const char *dir,
                    const char *text, uint32_t len, bool pyproject)
{
    c->path = rl_arena_strdup(a, path);
    c->dir = rl_arena_strdup(a, dir);
    c->found = !pyproject;
    reader r = {.c = c, .a = a, .path = path, .pyproject = pyproject, .nbase = pyproject ? 2 : 0};
    rl_toml_doc doc = {0};
    int rc = 0;
    if (rl_toml_parse(&doc, text, len) < 0) {
        rc = config_error(&r, doc.error_line, "TOML syntax error: %s", doc.error);
    } else {
        for (uint32_t i = 0; i < doc.entries.len && rc == 0; i++)
            rc = read_entry(&r, &doc.entries.items[i]);
    }
    rl_toml_release(&doc);
    rl_vec_release(&r.seen);
    rl_arena_release(&r.scratch);
    return rc;
}

/* Reads fs_path, shown as path in messages. */
static int read_file(rl_config *c, rl_arena *a, const char *fs_path, const char *path,
                     const char *dir)
{
    rl_source src = {0};
    char *why = NULL;
    if (rl_source_read_file(fs_path, RL_CONFIG_MAX_SIZE, &src, &why) != RL_FILE_OK) {
        rl_error("cannot read the configuration %s: %s", path, why ? why : "unknown error");
        free(why);
        return -1;
    }
    const char *slash = strrchr(path, '/');
    bool pyproject = strcmp(slash ? slash + 1 : path, "pyproject.toml") == 0;
    int rc = rl_config_parse(c, a, path, dir, src.text, (uint32_t)src.len, pyproject);
    rl_source_release(&src);
    return rc;
}

/* The folder of the absolute path abs ("/" for a file at the root). */
static const char *folder_of(rl_arena *a, const char *abs)
{
    const char *slash = strrchr(abs, '/');
    return slash && slash != abs ? rl_arena_strndup(a, abs, (size_t)(slash - abs)) : "/";
}

int rl_config_read(rl_config *c, rl_arena *a, const char *path, const char *cwd)
{
    const char *abs = rl_path_absolute(a, cwd, path);
    return read_file(c, a, path, path, folder_of(a, abs));
}

int rl_config_find(rl_config *c, rl_arena *a, const char *cwd)
{
    rl_strbuf shown = {0}, fs = {0};
    const char *dir = rl_path_absolute(a, cwd, ".");
    int rc = 0;
    for (unsigned ups = 0;; ups++) {
        fs.len = 0;
        rl_strbuf_addf(&fs, "%s/pyproject.toml", strcmp(dir, "/") == 0 ? "" : dir);
        struct stat st;
        if (stat(fs.data, &st) == 0 && S_ISREG(st.st_mode)) {
            shown.len = 0;
            rl_strbuf_addn(&shown, "", 0);
            for (unsigned i = 0; i < ups; i++) rl_strbuf_adds(&shown, "../");
            rl_strbuf_adds(&shown, "pyproject.toml");
            rc = read_file(c, a, fs.data, shown.data, dir);
            if (rc < 0 || c->found) break;
            rl_config_release(c); /* no [tool.reloadlint]: keep looking upwards */
        }
        if (strcmp(dir, "/") == 0) break;
        dir = folder_of(a, dir);
    }
    rl_strbuf_release(&shown);
    rl_strbuf_release(&fs);
    return rc;
}

void rl_config_release(rl_config *c)
{
    rl_vec_release(&c->select);
    rl_vec_release(&c->ignore);
    rl_vec_release(&c->extend_select);
    rl_vec_release(&c->exclude);
    rl_vec_release(&c->extend_exclude);
    rl_vec_release(&c->roots);
    rl_vec_release(&c->assume_reloaded);
    rl_vec_release(&c->side_effect_calls);
    rl_vec_release(&c->per_file_ignores);
    *c = (rl_config){0};
}
