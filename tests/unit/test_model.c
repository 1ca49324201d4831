/* test_model.c - the front end and the per-file model on small sources:
 * alias tracking, shadowing, key resolution, and removal/import pairing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "extract.h"
#include "model.h"

typedef struct parsed {
    rl_file_facts facts;
} parsed;

static rl_file_facts *parse(parsed *p, const char *src, const char *module, bool is_package)
{
    memset(p, 0, sizeof *p);
    rl_extract_input in = {.src = src, .len = (uint32_t)strlen(src), .module = module,
                           .is_package = is_package};
    rl_extract(&p->facts, &in);
    return &p->facts;
}

/* The n-th (0-based) event that resolved to `what`, or NULL. */
static const rl_event *nth(const rl_file_facts *f, rl_resolved what, int n)
{
    for (uint32_t i = 0; i < f->events.len; i++)
        if (f->events.items[i].what == what && n-- == 0) return &f->events.items[i];
    return NULL;
}

static int count(const rl_file_facts *f, rl_resolved what)
{
    int c = 0;
    for (uint32_t i = 0; i < f->events.len; i++) c += f->events.items[i].what == what;
    return c;
}

static int setup(void **state)
{
    (void)state;
    return rl_extract_init();
}

static void test_reload_aliases(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import importlib as il\n"
                             "from importlib import reload as r\n"
                             "import imp\n"
                             "import a.b as m\n"
                             "il.reload(m)\n"
                             "r(m)\n"
                             "imp.reload(m)\n"
                             "def f():\n"
                             "    reload(m)\n",
                             "main", false);
    assert_int_equal(count(f, RL_RES_RELOAD_IMPORTLIB), 2);
    assert_int_equal(count(f, RL_RES_RELOAD_IMP), 1);
    assert_int_equal(count(f, RL_RES_RELOAD_BUILTIN), 1);
    const rl_event *e = nth(f, RL_RES_RELOAD_IMPORTLIB, 0);
    assert_non_null(e);
    assert_int_equal(e->ntargets, 1);
    assert_string_equal(e->targets[0], "a.b");
    assert_int_equal(e->span.line, 5);
    assert_int_equal(e->span.col, 1);
    assert_int_equal(e->span.end_col, 13);
    rl_file_facts_release(f);
}

static void test_shadowing_defeats_matches(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import sys\n"
                             "def reload(m): pass\n"
                             "reload(sys)\n"
                             "def g(sys):\n"
                             "    del sys.modules['x']\n"
                             "class C:\n"
                             "    modules = {}\n"
                             "    def m(self):\n"
                             "        self.modules.pop('x')\n"
                             "modules = {}\n"
                             "del modules['y']\n",
                             "main", false);
    assert_int_equal(count(f, RL_RES_RELOAD_BUILTIN), 0);
    assert_int_equal(count(f, RL_RES_RELOAD_IMPORTLIB), 0);
    assert_int_equal(count(f, RL_RES_SYSMOD_OP), 0);
    rl_file_facts_release(f);
}

static void test_sys_modules_aliases_and_keys(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import sys as _s\n"
                             "from sys import modules as mm\n"
                             "mods = _s.modules\n"
                             "del mods['a']\n"
                             "mm.pop(__name__, None)\n"
                             "for k in list(_s.modules):\n"
                             "    if k.startswith('pkg.'):\n"
                             "        del _s.modules[k]\n"
                             "for n in ('x', 'y'):\n"
                             "    _s.modules.pop(n)\n"
                             "_s.modules.clear()\n",
                             "pkg.main", false);
    assert_int_equal(count(f, RL_RES_SYSMOD_OP), 5);
    const rl_event *e = nth(f, RL_RES_SYSMOD_OP, 0);
    assert_int_equal(e->keys[0].kind, RL_KEY_LITERAL);
    assert_string_equal(e->keys[0].text, "a");
    e = nth(f, RL_RES_SYSMOD_OP, 1);
    assert_string_equal(e->keys[0].text, "pkg.main");
    e = nth(f, RL_RES_SYSMOD_OP, 2);
    assert_int_equal(e->keys[0].kind, RL_KEY_PREFIX);
    assert_string_equal(e->keys[0].text, "pkg.");
    e = nth(f, RL_RES_SYSMOD_OP, 3);
    assert_int_equal(e->nkeys, 2);
    assert_string_equal(e->keys[1].text, "y");
    e = nth(f, RL_RES_SYSMOD_OP, 4);
    assert_int_equal(e->keys[0].kind, RL_KEY_ALL);
    rl_file_facts_release(f);
}

static void test_pairing_same_path(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import sys, importlib\n"
                             "import foo, bar\n"
                             "del sys.modules['foo']\n"
                             "import foo\n"          /* pairs */
                             "import foo\n"          /* re-added: no pair */
                             "del sys.modules['bar']\n"
                             "importlib.reload(bar)\n", /* pairs (RL202) */
                             "main", false);
    const rl_event *imp = nth(f, RL_RES_IMPORT, 4);
    assert_int_equal(imp->span.line, 4);
    assert_int_equal(imp->nremovals, 1);
    assert_string_equal(imp->paired, "foo");
    imp = nth(f, RL_RES_IMPORT, 5);
    assert_int_equal(imp->span.line, 5);
    assert_int_equal(imp->nremovals, 0);
    const rl_event *rel = nth(f, RL_RES_RELOAD_IMPORTLIB, 0);
    assert_int_equal(rel->nremovals, 1);
    rl_file_facts_release(f);
}

static void test_branches_do_not_pair(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import sys\n"
                             "if c:\n"
                             "    del sys.modules['foo']\n"
                             "else:\n"
                             "    import foo\n"
                             "try:\n"
                             "    del sys.modules['bar']\n"
                             "except KeyError:\n"
                             "    import bar\n"
                             "def f():\n"
                             "    del sys.modules['baz']\n"
                             "    return\n"
                             "def g():\n"
                             "    import baz\n"
                             "def h():\n"
                             "    if c:\n"
                             "        del sys.modules['q']\n"
                             "        return\n"
                             "    import q\n",
                             "main", false);
    for (uint32_t i = 0; i < f->events.len; i++) assert_int_equal(f->events.items[i].nremovals, 0);
    rl_file_facts_release(f);
}

static void test_loops_and_conditionals_pair(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import sys\n"
                             "for i in range(3):\n"
                             "    import foo\n"            /* pairs on the 2nd iteration */
                             "    del sys.modules['foo']\n"
                             "if c:\n"
                             "    sys.modules.pop('bar', None)\n"
                             "import bar\n"                /* may be removed: pairs */
                             "for k in list(sys.modules):\n"
                             "    if k.startswith('pkg'):\n"
                             "        del sys.modules[k]\n"
                             "import pkg.sub\n",           /* prefix pairs */
                             "main", false);
    int paired = 0;
    for (uint32_t i = 0; i < f->events.len; i++) paired += f->events.items[i].nremovals > 0;
    assert_int_equal(paired, 3);
    assert_int_equal(nth(f, RL_RES_IMPORT, 1)->nremovals, 1); /* line 3 */
    rl_file_facts_release(f);
}

static void test_relative_imports(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p, "from . import x\nfrom ..c import d\nfrom .e import f\n", "a.b.mod", false);
    const rl_event *e = nth(f, RL_RES_IMPORT, 0);
    assert_string_equal(e->modules[e->nmodules - 1], "a.b");
    e = nth(f, RL_RES_IMPORT, 1);
    assert_string_equal(e->modules[e->nmodules - 1], "a.c");
    e = nth(f, RL_RES_IMPORT, 2);
    assert_string_equal(e->modules[e->nmodules - 1], "a.b.e");
    rl_file_facts_release(f);

    f = parse(&p, "from . import x\nfrom .sub import y\n", "pkg", true);
    assert_string_equal(nth(f, RL_RES_IMPORT, 0)->modules[0], "pkg");
    e = nth(f, RL_RES_IMPORT, 1);
    assert_string_equal(e->modules[e->nmodules - 1], "pkg.sub");
    rl_file_facts_release(f);
}

static void test_type_checking_and_noqa(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p,
                             "import sys\n"
                             "from typing import TYPE_CHECKING\n"
                             "del sys.modules['m']  # noqa: RL101, RL102\n"
                             "if TYPE_CHECKING:\n"
                             "    import m\n"
                             "x = 1  # NOQA\n",
                             "main", false);
    for (uint32_t i = 0; i < f->events.len; i++) assert_int_equal(f->events.items[i].nremovals, 0);
    assert_int_equal(f->noqa.len, 2);
    assert_int_equal(f->noqa.items[0].line, 3);
    assert_non_null(strstr(f->noqa.items[0].codes, "RL102"));
    assert_null(f->noqa.items[1].codes);
    rl_file_facts_release(f);
}

static void test_columns_count_characters(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p, "import importlib\nx = 'é€'; importlib.reload(m)\n", "main", false);
    const rl_event *e = nth(f, RL_RES_RELOAD_IMPORTLIB, 0);
    assert_int_equal(e->span.line, 2);
    assert_int_equal(e->span.col, 11);
    rl_file_facts_release(f);
}

static void test_syntax_errors_are_recorded(void **state)
{
    (void)state;
    parsed p;
    rl_file_facts *f = parse(&p, "import sys\ndef broken(:\n    pass\ndel sys.modules['x']\n", "main", false);
    assert_true(f->syntax_errors.len >= 1);
    assert_int_equal(f->syntax_errors.items[0].line, 2);
    assert_int_equal(count(f, RL_RES_SYSMOD_OP), 1); /* the rest is still analyzed */
    rl_file_facts_release(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reload_aliases),
        cmocka_unit_test(test_shadowing_defeats_matches),
        cmocka_unit_test(test_sys_modules_aliases_and_keys),
        cmocka_unit_test(test_pairing_same_path),
        cmocka_unit_test(test_branches_do_not_pair),
        cmocka_unit_test(test_loops_and_conditionals_pair),
        cmocka_unit_test(test_relative_imports),
        cmocka_unit_test(test_type_checking_and_noqa),
        cmocka_unit_test(test_columns_count_characters),
        cmocka_unit_test(test_syntax_errors_are_recorded),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
