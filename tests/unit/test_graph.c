/* test_graph.c - the module graph: reload targets (calls, loops, helpers,
 * --assume-reloaded), and origins of names through re-export chains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "extract.h"
#include "graph.h"
#include "model.h"
#include "project.h"

typedef struct src {
    const char *module;
    bool is_package;
    const char *text;
    const char *path; /* default: the module name */
} src;

static rl_options opts;

/* A project of in-memory files; the caller frees it with release(). */
static void build(rl_project *p, const src *files, size_t n)
{
    memset(p, 0, sizeof *p);
    p->options = &opts;
    for (size_t i = 0; i < n; i++) {
        rl_file f = {0};
        f.path = files[i].path ? files[i].path : files[i].module;
        f.module = files[i].module;
        f.is_package = files[i].is_package;
        rl_vec_push(&p->files, f);
        rl_extract_input in = {.src = files[i].text, .len = (uint32_t)strlen(files[i].text),
                               .module = files[i].module, .is_package = files[i].is_package};
        rl_extract(&p->files.items[i].facts, &in);
    }
    rl_model_build(p);
}

static void release(rl_project *p)
{
    rl_model_release(p);
    for (uint32_t i = 0; i < p->files.len; i++) rl_file_facts_release(&p->files.items[i].facts);
    rl_vec_release(&p->files);
    rl_arena_release(&p->arena);
}

static const rl_module *module(const rl_project *p, const char *name)
{
    uint32_t id = rl_graph_find(p->graph, name);
    assert_int_not_equal(id, RL_NONE);
    return &p->graph->modules.items[id];
}

/* The single origin of module.name: its creating module and kind. */
static void assert_origin(const rl_project *p, const char *mod, const char *name, const char *creator,
                          rl_origin_kind kind)
{
    rl_origin_vec o = {0};
    rl_graph_origins(p, rl_graph_find(p->graph, mod), name, &o);
    assert_int_equal(o.len, 1);
    assert_string_equal(p->graph->modules.items[o.items[0].module].name, creator);
    assert_int_equal(o.items[0].kind, kind);
    rl_vec_release(&o);
}

static void assert_no_origin(const rl_project *p, const char *mod, const char *name)
{
    rl_origin_vec o = {0};
    rl_graph_origins(p, rl_graph_find(p->graph, mod), name, &o);
    assert_int_equal(o.len, 0);
    rl_vec_release(&o);
}

static int setup(void **state)
{
    (void)state;
    return rl_extract_init();
}

static void test_origins_follow_reexports(void **state)
{
    (void)state;
    const src files[] = {
        {"pkg", true, "from .core import helper\nfrom . import core\nfrom collections import OrderedDict as OD\nVERSION = '1.0'\n", NULL},
        {"pkg.core", false, "import os\ndef helper(): pass\nclass Thing: pass\nTABLE = {}\nalias = helper\nsep = os.sep\n", NULL},
        {"app", false, "import pkg.core\nfrom pkg import helper, core, VERSION\nh = pkg.core.helper\n", NULL},
    };
    rl_project p;
    build(&p, files, 3);
    assert_origin(&p, "pkg", "helper", "pkg.core", RL_ORIGIN_FUNCTION);
    assert_origin(&p, "pkg.core", "Thing", "pkg.core", RL_ORIGIN_CLASS);
    assert_origin(&p, "pkg.core", "TABLE", "pkg.core", RL_ORIGIN_OBJECT);
    assert_origin(&p, "pkg.core", "alias", "pkg.core", RL_ORIGIN_FUNCTION);
    assert_origin(&p, "pkg", "VERSION", "pkg", RL_ORIGIN_LITERAL);
    assert_origin(&p, "app", "helper", "pkg.core", RL_ORIGIN_FUNCTION);
    assert_origin(&p, "app", "h", "pkg.core", RL_ORIGIN_FUNCTION);
    /* modules without source create what they export */
    assert_origin(&p, "pkg", "OD", "collections", RL_ORIGIN_OBJECT);
    assert_origin(&p, "pkg.core", "sep", "os", RL_ORIGIN_OBJECT);
    /* module objects have no origin */
    assert_no_origin(&p, "pkg", "core");
    assert_no_origin(&p, "app", "core");
    assert_no_origin(&p, "app", "missing");
    release(&p);
}

static void test_cycles_and_star_imports(void **state)
{
    (void)state;
    const src files[] = {
        {"a", false, "from b import x\nfrom c import *\n", NULL},
        {"b", false, "from a import x\n", NULL},
        {"c", false, "def star_fn(): pass\n", NULL},
        {"d", false, "try:\n    from c import star_fn as f\nexcept ImportError:\n    def f(): pass\n", NULL},
    };
    rl_project p;
    build(&p, files, 4);
    assert_no_origin(&p, "a", "x"); /* a <-> b cycle: terminates, nothing creates x */
    assert_origin(&p, "a", "star_fn", "c", RL_ORIGIN_FUNCTION);
    rl_origin_vec o = {0};
    rl_graph_origins(&p, rl_graph_find(p.graph, "d"), "f", &o);
    assert_int_equal(o.len, 2); /* conditional definitions keep every possibility */
    rl_vec_release(&o);
    release(&p);
}

static void test_reload_targets(void **state)
{
    (void)state;
    const src files[] = {
        {"util", false, "import importlib\ndef refresh(mod):\n    return importlib.reload(mod)\n", NULL},
        {"main", false,
         "import importlib, sys\nimport a.b as m\nimport config, plugins, settings\nfrom util import refresh\n"
         "importlib.reload(m)\n"
         "for x in (config, plugins):\n    importlib.reload(x)\n"
         "importlib.reload(sys.modules['other'])\n"
         "refresh(settings)\n", NULL},
        {"config", false, "X = 1\n", NULL},
    };
    rl_project p;
    build(&p, files, 3);
    assert_int_equal(module(&p, "a.b")->sites.len, 1);
    assert_int_equal(module(&p, "config")->sites.len, 1);
    assert_int_equal(module(&p, "plugins")->sites.len, 1);
    assert_int_equal(module(&p, "other")->sites.len, 1);
    const rl_module *s = module(&p, "settings");
    assert_int_equal(s->sites.len, 1);
    assert_string_equal(s->sites.items[0].helper, "refresh");
    assert_int_equal(s->sites.items[0].span.line, 9);
    assert_false(rl_module_reloaded(module(&p, "util")));
    release(&p);
}

static void test_assume_reloaded_patterns(void **state)
{
    (void)state;
    const char *patterns[] = {"pkg.*", "solo"};
    rl_options o = {0};
    for (int i = 0; i < 2; i++) rl_vec_push(&o.assume_reloaded, patterns[i]);
    opts = o;
    const src files[] = {
        {"pkg", true, "X = 1\n", NULL},
        {"pkg.sub", false, "Y = []\n", NULL},
        {"pkgx", false, "Z = 1\n", NULL},
        {"solo", false, "W = 1\n", NULL},
        {"solo.child", false, "V = 1\n", NULL},
    };
    rl_project p;
    build(&p, files, 5);
    assert_true(module(&p, "pkg")->assumed);
    assert_true(module(&p, "pkg.sub")->assumed);
    assert_false(module(&p, "pkgx")->assumed);
    assert_true(module(&p, "solo")->assumed);
    assert_false(module(&p, "solo.child")->assumed);
    release(&p);
    rl_vec_release(&o.assume_reloaded);
    memset(&opts, 0, sizeof opts);
}

static void test_split(void **state)
{
    (void)state;
    const src files[] = {
        {"pkg", true, "", NULL},
        {"pkg.core", false, "def f(): pass\n", NULL},
    };
    rl_project p;
    build(&p, files, 2);
    uint32_t m;
    const char *attr;
    assert_true(rl_graph_split(p.graph, "pkg.core.f", RL_NONE, &m, &attr));
    assert_string_equal(p.graph->modules.items[m].name, "pkg.core");
    assert_string_equal(attr, "f");
    assert_true(rl_graph_split(p.graph, "pkg.core", RL_NONE, &m, &attr));
    assert_string_equal(attr, "");
    assert_false(rl_graph_split(p.graph, "elsewhere.x", RL_NONE, &m, &attr));
    release(&p);
}

static void test_same_module_name_in_two_roots(void **state)
{
    (void)state;
    const src files[] = {
        {"foo", false, "def hello(): pass\n", "one/foo.py"},
        {"main", false, "import importlib, foo\nimportlib.reload(foo)\n", "one/main.py"},
        {"foo", false, "def hello(): pass\n", "two/foo.py"},
        {"use", false, "from foo import hello\n", "two/use.py"},
    };
    rl_project p;
    build(&p, files, 4);
    uint32_t one = rl_graph_find_from(p.graph, "foo", 1), two = rl_graph_find_from(p.graph, "foo", 3);
    assert_int_not_equal(one, two);
    assert_true(rl_module_reloaded(&p.graph->modules.items[one]));
    assert_false(rl_module_reloaded(&p.graph->modules.items[two])); /* two/ never reloads its foo */
    release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origins_follow_reexports),
        cmocka_unit_test(test_cycles_and_star_imports),
        cmocka_unit_test(test_reload_targets),
        cmocka_unit_test(test_assume_reloaded_patterns),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_same_module_name_in_two_roots),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
