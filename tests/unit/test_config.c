/* test_config.c - the configuration file: TOML forms of every key, errors with
 * their exact file:line messages, finding the file, precedence of the command
 * line over the file; file-level noqa, unknown noqa codes and per-file-ignores. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "extract.h"
#include "options.h"
#include "suppress.h"
#include "toml.h"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct parsed {
    rl_config c;
    rl_arena arena;
    int rc;
    char *err; /* what was printed on stderr */
} parsed;

/* Parses text as the file `pyproject.toml` (or `reloadlint.toml` when not
 * pyproject) in folder dir. */
static void parse_in(parsed *p, const char *dir, const char *text, bool pyproject)
{
    memset(p, 0, sizeof *p);
    capture_begin();
    p->rc = rl_config_parse(&p->c, &p->arena, pyproject ? "pyproject.toml" : "reloadlint.toml",
                            dir, text, (uint32_t)strlen(text), pyproject);
    p->err = capture_end();
}

static void parse_text(parsed *p, const char *text) { parse_in(p, "/nonexistent", text, true); }

static void parsed_release(parsed *p)
{
    rl_config_release(&p->c);
    rl_arena_release(&p->arena);
    free(p->err);
}

/* Parses text; it must fail with exactly the message want (without the
 * "reloadlint: error: " prefix and the newline). */
static void expect_error(const char *text, const char *want)
{
    parsed p;
    parse_text(&p, text);
    char full[1024];
    snprintf(full, sizeof full, "reloadlint: error: %s\n", want);
    if (p.rc != -1 || strcmp(p.err, full) != 0)
        print_error("for:\n%s\nwant: %sgot (rc %d): %s\n", text, full, p.rc, p.err);
    assert_int_equal(p.rc, -1);
    assert_string_equal(p.err, full);
    parsed_release(&p);
}

static bool rule_on(const rl_rule_set *s, rl_rule_id id) { return s->on[id]; }

/* A fresh temporary folder (heap path). */
static char *make_temp_dir(void)
{
    char tmpl[] = "/tmp/rl-config-test.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void make_dir(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(mkdir(path, 0755), 0);
}

static void remove_tree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- TOML forms ------------------------------------------------------------- */

static void test_every_form(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    make_dir(dir, "src");
    make_dir(dir, "lib");
    parsed p;
    parse_in(&p, dir,
             "# a pyproject.toml of a real project\n"
             "tool.reloadlint.extend-select = ['RL2']   # dotted key at the top level\n"
             "\n"
             "[project]\n"
             "name = \"demo\"\n"
             "dependencies = [\"a>=1\", 'b']\n"
             "\n"
             "[[project.authors]]\n"
             "name = \"x\"\n"
             "\n"
             "[tool.reloadlint]\n"
             "select = [\n"
             "    \"RL1\",     # removals\n"
             "    'RL3',      # literal string\n"
             "]\n"
             "ignore = [\"\"\"RL103\"\"\"]\n"
             "exclude = [ 'build/', \"gen\\u002Ddir\" ]\n"
             "\"extend-exclude\" = ['''migrations''']\n"
             "roots = [\"src\", 'lib/']\n"
             "assume-reloaded = [\"app.settings\", \"plugins.*\"]\n"
             "side-effect-calls = [\"app.plugins.register\"]\n"
             "per-file-ignores = { \"tests/*\" = [\"RL301\", \"RL302\"], \"!src/*\" = [\"RL2\"] }\n"
             "\n"
             "[tool.black]\n"
             "line-length = 100\n",
             true);
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.err, "");
    rl_config *c = &p.c;
    assert_true(c->found);
    assert_true(c->has_select);
    assert_int_equal(c->select.len, 2);
    assert_string_equal(c->select.items[0], "RL1");
    assert_string_equal(c->select.items[1], "RL3");
    assert_int_equal(c->extend_select.len, 1);
    assert_string_equal(c->extend_select.items[0], "RL2");
    assert_int_equal(c->ignore.len, 1);
    assert_string_equal(c->ignore.items[0], "RL103");
    assert_true(c->has_exclude);
    assert_int_equal(c->exclude.len, 2);
    assert_string_equal(c->exclude.items[0], "build"); /* trailing '/' dropped */
    assert_string_equal(c->exclude.items[1], "gen-dir"); /* \u escape */
    assert_int_equal(c->extend_exclude.len, 1);
    assert_string_equal(c->extend_exclude.items[0], "migrations");
    assert_true(c->has_roots);
    assert_int_equal(c->roots.len, 2);
    char want[1024];
    snprintf(want, sizeof want, "%s/src", dir);
    assert_string_equal(c->roots.items[0], want); /* relative to the file's folder */
    snprintf(want, sizeof want, "%s/lib", dir);
    assert_string_equal(c->roots.items[1], want);
    assert_int_equal(c->assume_reloaded.len, 2);
    assert_string_equal(c->assume_reloaded.items[1], "plugins.*");
    assert_int_equal(c->side_effect_calls.len, 1);
    assert_string_equal(c->side_effect_calls.items[0], "app.plugins.register");
    assert_int_equal(c->per_file_ignores.len, 2);
    const rl_per_file_ignore *t = &c->per_file_ignores.items[0];
    assert_string_equal(t->glob, "tests/*");
    assert_false(t->negated);
    assert_true(rule_on(&t->rules, RL_RL301));
    assert_true(rule_on(&t->rules, RL_RL302));
    assert_false(rule_on(&t->rules, RL_RL303));
    const rl_per_file_ignore *n = &c->per_file_ignores.items[1];
    assert_string_equal(n->glob, "src/*");
    assert_true(n->negated);
    assert_true(rule_on(&n->rules, RL_RL201)); /* a prefix */
    assert_false(rule_on(&n->rules, RL_RL101));
    parsed_release(&p);
    remove_tree(dir);
    free(dir);
}

static void test_tables_and_dotted_keys(void **state)
{
    (void)state;
    parsed p;
    /* [tool] + dotted key; a per-file-ignores header; dotted glob keys. */
    parse_text(&p, "[tool]\n"
                   "reloadlint.select = [\"RL201\"]\n"
                   "reloadlint.per-file-ignores.\"a.py\" = [\"RL201\"]\n"
                   "\n"
                   "[tool.reloadlint.per-file-ignores]\n"
                   "\"pkg/__init__.py\" = [ # comment inside\n"
                   "  \"RL204\",\n"
                   "]\n"
                   "'scripts/*.py' = []\n");
    assert_int_equal(p.rc, 0);
    assert_true(p.c.found);
    assert_int_equal(p.c.select.len, 1);
    assert_int_equal(p.c.per_file_ignores.len, 3);
    assert_string_equal(p.c.per_file_ignores.items[0].glob, "a.py");
    assert_string_equal(p.c.per_file_ignores.items[1].glob, "pkg/__init__.py");
    assert_true(rule_on(&p.c.per_file_ignores.items[1].rules, RL_RL204));
    assert_string_equal(p.c.per_file_ignores.items[2].glob, "scripts/*.py");
    for (int r = 0; r < RL_RULE_COUNT; r++)
        assert_false(p.c.per_file_ignores.items[2].rules.on[r]); /* an empty list: nothing */
    parsed_release(&p);

    /* Everything as inline tables. */
    parse_text(&p, "tool = { reloadlint = { ignore = [\"RL2\"], per-file-ignores = { x = [\"ALL\"] } } }\n");
    assert_int_equal(p.rc, 0);
    assert_true(p.c.found);
    assert_false(p.c.has_select);
    assert_int_equal(p.c.ignore.len, 1);
    assert_int_equal(p.c.per_file_ignores.len, 1);
    for (int r = 0; r < RL_RULE_COUNT; r++) assert_true(p.c.per_file_ignores.items[0].rules.on[r]);
    parsed_release(&p);

    /* An empty [tool.reloadlint] counts as found; `select = []` selects nothing. */
    parse_text(&p, "[tool.reloadlint]\n");
    assert_int_equal(p.rc, 0);
    assert_true(p.c.found);
    parsed_release(&p);
    parse_text(&p, "[tool.reloadlint]\nselect = []\n");
    assert_true(p.c.has_select);
    assert_int_equal(p.c.select.len, 0);
    parsed_release(&p);

    /* No [tool.reloadlint]: not found, the rest still has to parse. */
    parse_text(&p, "[project]\nname = 'x'\n[tool.ruff]\nselect = [\"E\"]\n[[tool.mypy.overrides]]\nmodule = \"a\"\n");
    assert_int_equal(p.rc, 0);
    assert_false(p.c.found);
    assert_string_equal(p.err, "");
    parsed_release(&p);

    /* A plain file holds the keys at its top level. */
    parse_in(&p, "/nonexistent", "select = [\"RL3\"]\n[per-file-ignores]\n\"t/*\" = [\"RL301\"]\n", false);
    assert_int_equal(p.rc, 0);
    assert_true(p.c.found);
    assert_int_equal(p.c.select.len, 1);
    assert_int_equal(p.c.per_file_ignores.len, 1);
    parsed_release(&p);
}

static void test_toml_values(void **state)
{
    (void)state;
    rl_toml_doc d = {0};
    const char *text = "a = \"tab\\there \\\"q\\\" \\u00e9 \\U0001F600\"\n"
                       "b = 'C:\\path\\no-escape'\n"
                       "c = \"\"\"\n"
                       "first \\\n"
                       "    second\"\"\"\n"
                       "d = '''\n"
                       "raw\\n'''\n"
                       "e = [1, 2.5, true, 1979-05-27, [\"x\"], {k = 1}]\n"
                       "\"quoted key\".bare = false\n";
    assert_int_equal(rl_toml_parse(&d, text, (uint32_t)strlen(text)), 0);
    assert_int_equal(d.entries.len, 6);
    assert_string_equal(d.entries.items[0].value.text, "tab\there \"q\" \xc3\xa9 \xf0\x9f\x98\x80");
    assert_string_equal(d.entries.items[1].value.text, "C:\\path\\no-escape");
    assert_string_equal(d.entries.items[2].value.text, "first second");
    assert_string_equal(d.entries.items[3].value.text, "raw\\n");
    const rl_toml_value *e = &d.entries.items[4].value;
    assert_int_equal(e->type, RL_TOML_ARRAY);
    assert_int_equal(e->nitems, 6);
    assert_int_equal(e->items[0].type, RL_TOML_INTEGER);
    assert_int_equal(e->items[1].type, RL_TOML_FLOAT);
    assert_int_equal(e->items[2].type, RL_TOML_BOOLEAN);
    assert_true(e->items[2].boolean);
    assert_int_equal(e->items[3].type, RL_TOML_DATETIME);
    assert_int_equal(e->items[4].type, RL_TOML_ARRAY);
    assert_int_equal(e->items[5].type, RL_TOML_TABLE);
    const rl_toml_entry *q = &d.entries.items[5];
    assert_int_equal(q->nkey, 2);
    assert_string_equal(q->key[0], "quoted key");
    assert_string_equal(rl_toml_key_string(&d.arena, q->key, q->nkey), "\"quoted key\".bare");
    assert_int_equal(q->line, 9);
    rl_toml_release(&d);

    /* CRLF line ends and a BOM. */
    rl_toml_doc d2 = {0};
    const char *crlf = "\xEF\xBB\xBFx = [\r\n  \"a\",\r\n]\r\n";
    assert_int_equal(rl_toml_parse(&d2, crlf, (uint32_t)strlen(crlf)), 0);
    assert_int_equal(d2.entries.len, 1);
    assert_int_equal(d2.entries.items[0].value.nitems, 1);
    rl_toml_release(&d2);
}

/* ---- errors ----------------------------------------------------------------- */

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("[tool.reloadlint]\nselect = [\"RL1\"\nignore = []\n",
                 "pyproject.toml:3: TOML syntax error: unexpected `ignore = [`");
    expect_error("a = 1\n[tool.reloadlint\nselect = []\n",
                 "pyproject.toml:2: TOML syntax error: unexpected end of line");
    expect_error("[a]\nx = 1\n\n= 3\n", "pyproject.toml:4: TOML syntax error: unexpected `= 3`");
    expect_error("x = \"\\x41\"\n", "pyproject.toml:1: TOML syntax error: unexpected `\\`");
    expect_error("x = \"\\uD800\"\n",
                 "pyproject.toml:1: TOML syntax error: invalid escape sequence in a string");
    /* Outside [tool.reloadlint] too: the whole file must be TOML. */
    expect_error("[project]\nname = \"x\"\nversion = \n", "pyproject.toml:3: TOML syntax error: "
                                                          "unexpected `version =`");
}

static void test_key_errors(void **state)
{
    (void)state;
    expect_error("[tool.reloadlint]\nselct = [\"RL1\"]\n",
                 "pyproject.toml:2: unknown key `selct` in [tool.reloadlint] (did you mean "
                 "`select`?)");
    expect_error("[tool.reloadlint]\n\nper_file_ignores = {}\n",
                 "pyproject.toml:3: unknown key `per_file_ignores` in [tool.reloadlint] (did you "
                 "mean `per-file-ignores`?)");
    expect_error("[tool.reloadlint]\nroot = [\"src\"]\n",
                 "pyproject.toml:2: unknown key `root` in [tool.reloadlint] (did you mean "
                 "`roots`?)");
    expect_error("tool.reloadlint.line-length = 3\n",
                 "pyproject.toml:1: unknown key `line-length` in [tool.reloadlint] (known keys: "
                 "select, ignore, extend-select, per-file-ignores, exclude, extend-exclude, roots, "
                 "assume-reloaded, side-effect-calls, cache-dir)");
    expect_error("[tool.reloadlint.selected]\n",
                 "pyproject.toml:1: unknown key `selected` in [tool.reloadlint] (did you mean "
                 "`select`?)");
    expect_error("[tool.reloadlint]\nselect = [\"RL1\"]\nignore = []\nselect = [\"RL2\"]\n",
                 "pyproject.toml:4: `select` is defined twice in [tool.reloadlint] (first on line "
                 "2)");
    expect_error("[tool.reloadlint]\n[tool.reloadlint]\n",
                 "pyproject.toml:2: table `[tool.reloadlint]` is defined twice (first on line "
                 "1)");
    expect_error("[tool.reloadlint.per-file-ignores]\n[tool.reloadlint.per-file-ignores]\n",
                 "pyproject.toml:2: table `[tool.reloadlint.per-file-ignores]` is defined twice "
                 "(first on line 1)");
    expect_error("[tool.reloadlint.per-file-ignores]\n'a' = []\n\"a\" = [\"RL1\"]\n",
                 "pyproject.toml:3: `per-file-ignores.a` is defined twice in [tool.reloadlint] "
                 "(first on line 2)");

    parsed p;
    parse_in(&p, "/nonexistent", "[tool.reloadlint]\nselect = []\n", false);
    assert_int_equal(p.rc, -1);
    assert_string_equal(p.err, "reloadlint: error: reloadlint.toml:1: unknown key `tool`: a "
                               "[tool.reloadlint] table is read only from a file named "
                               "pyproject.toml; in other files the keys go at the top level\n");
    parsed_release(&p);
    parse_in(&p, "/nonexistent", "ignores = []\n", false);
    assert_string_equal(p.err, "reloadlint: error: reloadlint.toml:1: unknown key `ignores` (did "
                               "you mean `ignore`?)\n");
    parsed_release(&p);
}

static void test_type_errors(void **state)
{
    (void)state;
    expect_error("[tool.reloadlint]\nselect = \"RL1\"\n",
                 "pyproject.toml:2: `select` must be a list of strings (e.g. `select = [\"RL1\", "
                 "\"RL301\"]`), not a string");
    expect_error("[tool.reloadlint]\nexclude = [\n  \"a\",\n  3,\n]\n",
                 "pyproject.toml:4: `exclude` must be a list of strings; item 2 is an integer");
    expect_error("[tool.reloadlint]\nroots = true\n",
                 "pyproject.toml:2: `roots` must be a list of strings (e.g. `roots = [\"src\"]`), "
                 "not a boolean");
    expect_error("[tool.reloadlint.ignore]\n",
                 "pyproject.toml:1: `ignore` must be a list of strings (e.g. `ignore = "
                 "[\"RL201\"]`), not a table");
    expect_error("[tool.reloadlint]\nper-file-ignores = [\"RL1\"]\n",
                 "pyproject.toml:2: `per-file-ignores` must be a table of globs to lists of codes "
                 "(e.g. `per-file-ignores = {\"tests/*\" = [\"RL301\"]}`), not an array");
    expect_error("[tool.reloadlint.per-file-ignores]\n\"tests/*\" = \"RL301\"\n",
                 "pyproject.toml:2: `per-file-ignores.\"tests/*\"` must be a list of strings "
                 "(e.g. `per-file-ignores.\"tests/*\" = [\"RL301\"]`), not a string");
    expect_error("tool.reloadlint = 1\n",
                 "pyproject.toml:1: `tool.reloadlint` must be a table, not an integer");
    expect_error("[[tool.reloadlint]]\nselect = []\n",
                 "pyproject.toml:1: `tool.reloadlint` must be a table, not an array of tables");
}

static void test_value_errors(void **state)
{
    (void)state;
    expect_error("[tool.reloadlint]\nselect = [\n  \"RL1\",\n  \"RL999\",\n]\n",
                 "pyproject.toml:4: unknown rule code or prefix `RL999` in `select` (run "
                 "`reloadlint --list-rules` to see every rule)");
    expect_error("[tool.reloadlint]\nignore = [\"rl101\"]\n",
                 "pyproject.toml:2: unknown rule code or prefix `rl101` in `ignore` (run "
                 "`reloadlint --list-rules` to see every rule)");
    expect_error("[tool.reloadlint.per-file-ignores]\n\"a.py\" = [\"F401\"]\n",
                 "pyproject.toml:2: unknown rule code or prefix `F401` in "
                 "`per-file-ignores.\"a.py\"` (run `reloadlint --list-rules` to see every rule)");
    expect_error("[tool.reloadlint]\nassume-reloaded = [\"app..x\"]\n",
                 "pyproject.toml:2: `assume-reloaded`: `app..x` is not a module (expected a "
                 "dotted name such as `pkg.mod`, or `pkg.*` for a package and all below it)");
    expect_error("[tool.reloadlint]\nside-effect-calls = [\"register\"]\n",
                 "pyproject.toml:2: `side-effect-calls`: `register` is not a dotted call name "
                 "(expected `module.function`, e.g. `atexit.register`)");
    expect_error("[tool.reloadlint]\nside-effect-calls = [\"app.register()\"]\n",
                 "pyproject.toml:2: `side-effect-calls`: `app.register()` is not a dotted call "
                 "name (expected `module.function`, e.g. `atexit.register`)");
    expect_error("[tool.reloadlint]\nroots = [\"no-such-dir\"]\n",
                 "pyproject.toml:2: `roots`: `no-such-dir` (relative to the folder of "
                 "pyproject.toml): No such file or directory");

    /* A code of the SPEC's numbering that this version lacks: a warning. */
    parsed p;
    parse_text(&p, "[tool.reloadlint]\nextend-select = [\"RL499\"]\n");
    assert_int_equal(p.rc, 0);
    assert_string_equal(p.err, "reloadlint: warning: pyproject.toml:2: `RL499` in `extend-select` "
                               "matches no rule of this version (see `reloadlint --list-rules`)\n");
    parsed_release(&p);
}

static void test_suggestions(void **state)
{
    (void)state;
    assert_string_equal(rl_config_suggest_key("selct"), "select");
    assert_string_equal(rl_config_suggest_key("Extend_Select"), "extend-select");
    assert_string_equal(rl_config_suggest_key("extend-exlude"), "extend-exclude");
    assert_string_equal(rl_config_suggest_key("side_effect_calls"), "side-effect-calls");
    assert_null(rl_config_suggest_key("line-length"));
    assert_null(rl_config_suggest_key("x"));
}

/* ---- finding the file and the command line over it -------------------------- */

typedef struct project_dir {
    char *root;
    char old_cwd[4096];
} project_dir;

static void enter(project_dir *pd, const char *sub)
{
    assert_non_null(getcwd(pd->old_cwd, sizeof pd->old_cwd));
    char path[1200];
    snprintf(path, sizeof path, "%s%s%s", pd->root, sub ? "/" : "", sub ? sub : "");
    assert_int_equal(chdir(path), 0);
}

static void leave(project_dir *pd)
{
    assert_int_equal(chdir(pd->old_cwd), 0);
}

#define PARSE(o, ...) parse_args((o), (const char *[]){"reloadlint", __VA_ARGS__, NULL})

static int parse_args(rl_options *o, const char **args)
{
    int argc = 0;
    while (args[argc]) argc++;
    return rl_options_parse(o, argc, (char **)args);
}

static bool has(const rl_str_list *l, const char *s)
{
    for (uint32_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0) return true;
    return false;
}

static void test_precedence(void **state)
{
    (void)state;
    project_dir pd = {.root = make_temp_dir()};
    make_dir(pd.root, "src");
    make_dir(pd.root, "other");
    make_dir(pd.root, "sub");
    write_file(pd.root, "pyproject.toml",
               "[tool.reloadlint]\n"
               "select = [\"RL2\", \"RL3\"]\n"
               "extend-select = [\"RL101\"]\n"
               "ignore = [\"RL201\"]\n"
               "exclude = [\"gen\"]\n"
               "extend-exclude = [\"migrations\"]\n"
               "roots = [\"src\"]\n"
               "assume-reloaded = [\"app.settings\"]\n"
               "side-effect-calls = [\"app.hooks.add\"]\n"
               "per-file-ignores = {\"tests/*\" = [\"RL301\"]}\n");
    /* A pyproject.toml without [tool.reloadlint] on the way up is passed over. */
    write_file(pd.root, "sub/pyproject.toml", "[project]\nname = \"sub\"\n");
    enter(&pd, "sub");
    rl_options o;

    /* The file alone. */
    assert_int_equal(PARSE(&o, "."), 0);
    assert_string_equal(o.config, "../pyproject.toml");
    assert_string_equal(o.config_dir, pd.root);
    assert_true(o.rules.on[RL_RL202]);
    assert_true(o.rules.on[RL_RL301]);
    assert_true(o.rules.on[RL_RL101]);  /* extend-select */
    assert_false(o.rules.on[RL_RL102]);
    assert_false(o.rules.on[RL_RL201]); /* ignore */
    assert_int_equal(o.exclude.len, 1);
    assert_string_equal(o.exclude.items[0], "gen");
    assert_int_equal(o.extend_exclude.len, 1);
    assert_int_equal(o.roots.len, 1);
    char want[1200];
    snprintf(want, sizeof want, "%s/src", pd.root);
    assert_string_equal(o.roots.items[0], want);
    assert_int_equal(o.assume_reloaded.len, 1);
    assert_int_equal(o.side_effect_calls.len, 1);
    assert_string_equal(o.side_effect_calls.items[0], "app.hooks.add");
    assert_int_equal(o.per_file_ignores.len, 1);
    rl_options_release(&o);

    /* --select starts afresh: the file's extend-select and ignore go too;
     * --ignore applies on top. */
    assert_int_equal(PARSE(&o, "--select", "RL2", "--ignore", "RL203"), 0);
    assert_true(o.rules.on[RL_RL201]);
    assert_false(o.rules.on[RL_RL203]);
    assert_false(o.rules.on[RL_RL101]);
    assert_false(o.rules.on[RL_RL301]);
    rl_options_release(&o);

    /* --ignore alone adds to the file's ignore. */
    assert_int_equal(PARSE(&o, "--ignore", "RL3"), 0);
    assert_true(o.rules.on[RL_RL202]);
    assert_false(o.rules.on[RL_RL201]);
    assert_false(o.rules.on[RL_RL301]);
    rl_options_release(&o);

    /* --exclude replaces, --extend-exclude adds, --root and --assume-reloaded
     * replace. */
    assert_int_equal(PARSE(&o, "--exclude", "vendor", "--extend-exclude", "docs", "--root",
                           "../other", "--assume-reloaded", "x.y"),
                     0);
    assert_int_equal(o.exclude.len, 1);
    assert_string_equal(o.exclude.items[0], "vendor");
    assert_int_equal(o.extend_exclude.len, 2);
    assert_true(has(&o.extend_exclude, "migrations"));
    assert_true(has(&o.extend_exclude, "docs"));
    assert_int_equal(o.roots.len, 1);
    assert_string_equal(o.roots.items[0], "../other");
    assert_int_equal(o.assume_reloaded.len, 1);
    assert_string_equal(o.assume_reloaded.items[0], "x.y");
    rl_options_release(&o);

    /* --config names another file: a plain one holds the keys at the top. */
    write_file(pd.root, "sub/ci.toml", "select = [\"RL205\"]\n");
    assert_int_equal(PARSE(&o, "--config", "ci.toml"), 0);
    assert_string_equal(o.config, "ci.toml");
    for (int r = 0; r < RL_RULE_COUNT; r++) assert_int_equal(o.rules.on[r], r == RL_RL205);
    assert_int_equal(o.per_file_ignores.len, 0);
    rl_options_release(&o);

    /* --config pyproject.toml without the table: a warning, the defaults. */
    capture_begin();
    assert_int_equal(PARSE(&o, "--config", "pyproject.toml"), 0);
    char *err = capture_end();
    assert_string_equal(err, "reloadlint: warning: pyproject.toml has no [tool.reloadlint] table; "
                             "using the defaults\n");
    free(err);
    for (int r = 0; r < RL_RULE_COUNT; r++) assert_true(o.rules.on[r]);
    rl_options_release(&o);

    /* An error in the file fails the parse (exit 2), with file:line. */
    write_file(pd.root, "sub/bad.toml", "select = [\"RL1\"]\nignore = [\"RL1\"] x\n");
    capture_begin();
    assert_int_equal(PARSE(&o, "--config", "bad.toml"), -1);
    err = capture_end();
    assert_string_equal(err, "reloadlint: error: bad.toml:2: TOML syntax error: unexpected "
                             "`ignore = [\"RL1\"] x`\n");
    free(err);
    rl_options_release(&o);

    /* Informational actions do not read the file. */
    capture_begin();
    assert_int_equal(PARSE(&o, "--config", "bad.toml", "--version"), 1);
    free(capture_end());
    rl_options_release(&o);
    leave(&pd);

    /* No configuration anywhere above: the defaults. */
    char *empty = make_temp_dir();
    project_dir pe = {.root = empty};
    enter(&pe, NULL);
    assert_int_equal(PARSE(&o, "."), 0);
    assert_null(o.config);
    for (int r = 0; r < RL_RULE_COUNT; r++) assert_true(o.rules.on[r]);
    rl_options_release(&o);
    leave(&pe);

    remove_tree(empty);
    free(empty);
    remove_tree(pd.root);
    free(pd.root);
}

/* ---- noqa --------------------------------------------------------------------- */

static uint32_t unknown(const char *codes, const char **first)
{
    const char *s[8];
    size_t l[8];
    size_t n = rl_noqa_unknown_codes(codes, strlen(codes), s, l, 8);
    static char buf[64];
    buf[0] = '\0';
    if (n) snprintf(buf, sizeof buf, "%.*s", (int)l[0], s[0]);
    *first = buf;
    return (uint32_t)n;
}

static void test_noqa_unknown_codes(void **state)
{
    (void)state;
    const char *first;
    assert_int_equal(unknown(" RL301, RL302", &first), 0);
    assert_int_equal(unknown(" F401, E501, W3", &first), 0); /* other tools: silent */
    assert_int_equal(unknown(" RUF100", &first), 0);
    assert_int_equal(unknown(" RL999", &first), 1);
    assert_string_equal(first, "RL999");
    assert_int_equal(unknown(" E501,RL3", &first), 1);
    assert_string_equal(first, "RL3");
    assert_int_equal(unknown(" RLX", &first), 1);
    assert_string_equal(first, "RLX");
    assert_int_equal(unknown(" rl301 because", &first), 1);
    assert_string_equal(first, "rl301");
    assert_int_equal(unknown(" RL301: explained, RL999 is prose here", &first), 0);
    assert_int_equal(unknown(" see above", &first), 0);
    assert_int_equal(unknown(" RL998 RL999", &first), 2);
}

/* Extracts source and returns its noqa records. */
static void extract(rl_file_facts *f, const char *src)
{
    memset(f, 0, sizeof *f);
    rl_extract_input in = {.src = src, .len = (uint32_t)strlen(src), .module = "m"};
    rl_extract(f, &in);
}

static void test_file_level_noqa(void **state)
{
    (void)state;
    assert_int_equal(rl_extract_init(), 0);
    rl_file_facts f;
    extract(&f, "# reloadlint: noqa\n"
                "import x  # reloadlint: noqa: RL201\n"
                "    #RELOADLINT:NOQA:RL301,RL302\n"
                "y = 1  # noqa: RL101\n"
                "# reloadlint: noqafoo\n"
                "# see # reloadlint: noqa\n");
    assert_int_equal(f.noqa.len, 4);
    assert_int_equal(f.noqa.items[0].line, 1);
    assert_true(f.noqa.items[0].file_level);
    assert_null(f.noqa.items[0].codes);
    assert_int_equal(f.noqa.items[1].line, 2);
    assert_false(f.noqa.items[1].file_level); /* after code: a line noqa */
    assert_string_equal(f.noqa.items[1].codes, " RL201");
    assert_int_equal(f.noqa.items[2].line, 3);
    assert_true(f.noqa.items[2].file_level);
    assert_string_equal(f.noqa.items[2].codes, "RL301,RL302");
    assert_int_equal(f.noqa.items[3].line, 4);
    assert_false(f.noqa.items[3].file_level);
    rl_file_facts_release(&f);
    rl_extract_shutdown();
}

/* ---- per-file-ignores and file-level noqa on findings -------------------------- */

static void test_apply_to_findings(void **state)
{
    (void)state;
    rl_options o;
    rl_options_init(&o);
    o.config_dir = "/proj";
    rl_per_file_ignore tests = {.glob = "tests/*"}, not_src = {.glob = "src/*", .negated = true};
    tests.rules.on[RL_RL301] = true;
    not_src.rules.on[RL_RL201] = true;
    rl_vec_push(&o.per_file_ignores, tests);
    rl_vec_push(&o.per_file_ignores, not_src);

    rl_project p = {.options = &o};
    const char *paths[] = {"/proj/tests/t.py", "/proj/src/a.py", "/elsewhere/b.py"};
    for (int i = 0; i < 3; i++) {
        rl_file f = {.path = paths[i], .reported = true};
        rl_vec_push(&p.files, f);
    }
    rl_vec_push(&p.files.items[1].facts.noqa,
                ((rl_noqa){.line = 9, .codes = "RL202", .file_level = true}));
    rl_diags d = {.arena = &p.arena};
    rl_span at = {1, 1, 1, 2};
    rl_diag_add(&d, RL_RL301, 0, at, "tests: ignored");
    rl_diag_add(&d, RL_RL201, 0, at, "tests: not under src/, ignored");
    rl_diag_add(&d, RL_RL301, 1, at, "src: kept");
    rl_diag_add(&d, RL_RL201, 1, at, "src: kept");
    rl_diag_add(&d, RL_RL202, 1, at, "src: file-level noqa");
    rl_diag_add(&d, RL_RL201, 2, at, "elsewhere: ignored by the negated glob");
    rl_diag_add(&d, RL_RL301, 2, at, "elsewhere: kept");
    rl_diags_per_file_ignores(&d, &p);
    rl_diags_suppress(&d, &p);
    assert_int_equal(d.items.len, 4);
    assert_string_equal(d.items.items[0].message, "src: kept");
    assert_string_equal(d.items.items[1].message, "src: kept");
    assert_string_equal(d.items.items[2].message, "src: file-level noqa");
    assert_true(d.items.items[2].suppressed);
    assert_false(d.items.items[1].suppressed);
    assert_string_equal(d.items.items[3].message, "elsewhere: kept");

    /* Unknown codes in noqa comments of reported files, in order. */
    rl_vec_push(&p.files.items[1].facts.noqa, ((rl_noqa){.line = 12, .codes = " RL3, F401"}));
    FILE *out = tmpfile();
    rl_noqa_warn_unknown(out, &p);
    char buf[512] = {0};
    rewind(out);
    assert_true(fread(buf, 1, sizeof buf - 1, out) > 0);
    fclose(out);
    assert_string_equal(buf, "/proj/src/a.py:12: warning: unknown rule code `RL3` in noqa comment "
                             "(noqa takes whole codes, not prefixes)\n");

    for (uint32_t i = 0; i < p.files.len; i++) rl_file_facts_release(&p.files.items[i].facts);
    rl_vec_release(&p.files);
    rl_vec_release(&d.items);
    rl_arena_release(&p.arena);
    rl_options_release(&o);
}

static void test_globs_and_relative_paths(void **state)
{
    (void)state;
    assert_true(rl_config_glob_matches("tests/*", "tests/a/b.py", NULL)); /* '*' crosses '/' */
    assert_true(rl_config_glob_matches("__init__.py", "pkg/__init__.py", NULL)); /* base name */
    assert_true(rl_config_glob_matches("src/*", "./src/a.py", NULL));
    assert_true(rl_config_glob_matches("pkg/*.py", "../proj/pkg/a.py", "pkg/a.py"));
    assert_false(rl_config_glob_matches("tests/*", "src/tests.py", "src/tests.py"));

    rl_arena a = {0};
    assert_string_equal(rl_config_relative(&a, "/proj", "/proj/sub", "a.py"), "sub/a.py");
    assert_string_equal(rl_config_relative(&a, "/proj", "/proj/sub", "../b.py"), "b.py");
    assert_string_equal(rl_config_relative(&a, "/proj", "/x", "/proj/c/d.py"), "c/d.py");
    assert_null(rl_config_relative(&a, "/proj", "/x", "e.py"));
    assert_null(rl_config_relative(&a, "/proj", "/projx", "e.py"));
    assert_string_equal(rl_config_relative(&a, "/", "/x", "e.py"), "x/e.py");
    assert_null(rl_config_relative(&a, NULL, "/x", "e.py"));
    rl_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_form),
        cmocka_unit_test(test_tables_and_dotted_keys),
        cmocka_unit_test(test_toml_values),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_type_errors),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_noqa_unknown_codes),
        cmocka_unit_test(test_file_level_noqa),
        cmocka_unit_test(test_apply_to_findings),
        cmocka_unit_test(test_globs_and_relative_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
