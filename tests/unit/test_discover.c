/* test_discover.c - the walk (order, skipped folders, explicit PATHs,
 * duplicates, errors) and module naming, on a temporary tree. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "options.h"

/* ---- a temporary tree --------------------------------------------------------- */

typedef struct tree {
    char dir[64];
    char old_cwd[4096];
} tree;

static void write_file(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("x = 1\n", f);
    fclose(f);
}

static void make_dir(const char *path) { assert_int_equal(mkdir(path, 0755), 0); }

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, de->d_name);
            remove_tree(child);
        }
        if (d) closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* The tree every test runs in (it becomes the current directory):
 *
 *   Alpha.py  plain.py  weird-name.py  notes.txt  zeta.py
 *   pkg/__init__.py  pkg/a.py  pkg/sub/__init__.py  pkg/sub/b.py
 *   src/app/__init__.py  src/app/m.py
 *   nopkg/c.py
 *   .venv/x.py  build/y.py  dist.egg-info/z.py  node_modules/q.py  __pycache__/p.py
 *   link_to_pkg -> pkg  (not followed)   link.py -> plain.py  (a duplicate) */
static int setup(void **state)
{
    tree *t = calloc(1, sizeof *t);
    strcpy(t->dir, "/tmp/rl_test_discover_XXXXXX");
    if (!mkdtemp(t->dir) || !getcwd(t->old_cwd, sizeof t->old_cwd) || chdir(t->dir) != 0) return -1;
    const char *dirs[] = {"pkg", "pkg/sub", "src", "src/app", "nopkg", ".venv", "build",
                          "dist.egg-info", "node_modules", "__pycache__"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) make_dir(dirs[i]);
    const char *files[] = {"Alpha.py", "plain.py", "weird-name.py", "notes.txt", "zeta.py",
                           "pkg/__init__.py", "pkg/a.py", "pkg/sub/__init__.py", "pkg/sub/b.py",
                           "src/app/__init__.py", "src/app/m.py", "nopkg/c.py", ".venv/x.py",
                           "build/y.py", "dist.egg-info/z.py", "node_modules/q.py",
                           "__pycache__/p.py"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) write_file(files[i]);
    if (symlink("pkg", "link_to_pkg") != 0 || symlink("plain.py", "link.py") != 0) return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tree *t = *state;
    if (chdir(t->old_cwd) != 0) return -1;
    remove_tree(t->dir);
    free(t);
    return 0;
}

/* ---- helpers --------------------------------------------------------------------- */

typedef struct result {
    rl_options o;
    rl_project p;
} result;

static void run(result *r, const char *const *paths, const char *const *roots)
{
    memset(r, 0, sizeof *r);
    rl_options_init(&r->o);
    for (; paths && *paths; paths++) rl_vec_push(&r->o.paths, *paths);
    for (; roots && *roots; roots++) rl_vec_push(&r->o.roots, *roots);
    r->p.options = &r->o;
    rl_discover(&r->p, &r->o);
}

static void release(result *r)
{
    rl_vec_release(&r->p.files);
    rl_arena_release(&r->p.arena);
    rl_options_release(&r->o);
}

static const rl_file *find(const result *r, const char *path)
{
    for (uint32_t i = 0; i < r->p.files.len; i++)
        if (strcmp(r->p.files.items[i].path, path) == 0) return &r->p.files.items[i];
    return NULL;
}

static void expect_paths(const result *r, const char *const *want)
{
    uint32_t n = 0;
    while (want[n]) n++;
    for (uint32_t i = 0; i < r->p.files.len && i < n; i++)
        assert_string_equal(r->p.files.items[i].path, want[i]);
    assert_int_equal(r->p.files.len, n);
}

static void expect_module(const result *r, const char *path, const char *module, bool package)
{
    const rl_file *f = find(r, path);
    if (!f) fail_msg("`%s` was not discovered", path);
    assert_string_equal(f->module, module);
    assert_int_equal(f->is_package, package);
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_walk_sorted_and_skipping(void **state)
{
    (void)state;
    result r;
    run(&r, (const char *[]){".", NULL}, NULL);
    /* strcmp order (uppercase first), tool folders skipped, the folder symlink
     * not followed, the file symlink dropped as a duplicate of plain.py. */
    expect_paths(&r, (const char *[]){"Alpha.py", "nopkg/c.py", "pkg/__init__.py", "pkg/a.py",
                                      "pkg/sub/__init__.py", "pkg/sub/b.py", "plain.py",
                                      "src/app/__init__.py", "src/app/m.py", "weird-name.py",
                                      "zeta.py", NULL});
    for (uint32_t i = 0; i < r.p.files.len; i++)
        assert_int_equal(r.p.files.items[i].status, RL_FILE_OK);
    release(&r);
}

static void test_module_names(void **state)
{
    (void)state;
    result r;
    run(&r, (const char *[]){".", NULL}, NULL);
    expect_module(&r, "plain.py", "plain", false);
    expect_module(&r, "pkg/__init__.py", "pkg", true);
    expect_module(&r, "pkg/a.py", "pkg.a", false);
    expect_module(&r, "pkg/sub/__init__.py", "pkg.sub", true);
    expect_module(&r, "pkg/sub/b.py", "pkg.sub.b", false);
    expect_module(&r, "src/app/m.py", "app.m", false); /* src/ has no __init__.py */
    expect_module(&r, "nopkg/c.py", "c", false);
    expect_module(&r, "weird-name.py", "weird-name", false); /* not an identifier: still named */
    release(&r);
}

static void test_explicit_paths(void **state)
{
    (void)state;
    result r;
    /* A skipped folder named as a PATH is walked; a file PATH is always taken,
     * whatever its suffix; a file reached twice is listed once; "dir/" gives
     * `dir/x.py`; the package context is found above a PATH. */
    run(&r, (const char *[]){".venv/", "notes.txt", "pkg/sub", "pkg/sub/b.py", NULL}, NULL);
    expect_paths(&r, (const char *[]){".venv/x.py", "notes.txt", "pkg/sub/__init__.py",
                                      "pkg/sub/b.py", NULL});
    expect_module(&r, "pkg/sub/b.py", "pkg.sub.b", false);
    expect_module(&r, "notes.txt", "notes", false);
    expect_module(&r, ".venv/x.py", "x", false);
    release(&r);

    run(&r, (const char *[]){"./pkg", NULL}, NULL);
    expect_paths(&r, (const char *[]){"./pkg/__init__.py", "./pkg/a.py", "./pkg/sub/__init__.py",
                                      "./pkg/sub/b.py", NULL});
    expect_module(&r, "./pkg/a.py", "pkg.a", false);
    release(&r);

    run(&r, (const char *[]){"link_to_pkg", NULL}, NULL); /* an explicit symlink is followed */
    assert_int_equal(r.p.files.len, 4);
    release(&r);
}

static void test_roots(void **state)
{
    (void)state;
    result r;
    run(&r, (const char *[]){".", NULL}, (const char *[]){"src", "pkg", "./pkg/sub", NULL});
    expect_module(&r, "src/app/m.py", "app.m", false);
    expect_module(&r, "pkg/a.py", "a", false);
    expect_module(&r, "pkg/sub/b.py", "b", false);         /* the deepest root wins */
    expect_module(&r, "pkg/sub/__init__.py", "sub", true); /* its own root: the folder name */
    expect_module(&r, "plain.py", "plain", false);         /* under no root: the default rule */
    release(&r);

    rl_arena a = {0};
    bool pkg = false;
    rl_str_list roots = {0};
    rl_vec_push(&roots, ".");
    assert_string_equal(rl_module_name(&a, "pkg/sub/b.py", &roots, &pkg), "pkg.sub.b");
    assert_string_equal(rl_module_name(&a, "pkg/__init__.py", NULL, &pkg), "pkg");
    assert_true(pkg);
    assert_string_equal(rl_module_name(&a, "nowhere/new.py", NULL, &pkg), "new");
    assert_false(pkg);
    rl_vec_release(&roots);
    rl_arena_release(&a);
}

static void test_errors(void **state)
{
    (void)state;
    result r;
    run(&r, (const char *[]){"missing.py", "plain.py", "missing.py", NULL}, NULL);
    expect_paths(&r, (const char *[]){"missing.py", "plain.py", NULL});
    const rl_file *f = find(&r, "missing.py");
    assert_int_equal(f->status, RL_FILE_UNREADABLE);
    assert_string_equal(f->error, "no such file or directory");
    release(&r);

    assert_int_equal(mkfifo("pipe.py", 0644), 0);
    assert_int_equal(symlink("gone.py", "dangling.py"), 0);
    run(&r, (const char *[]){".", NULL}, NULL);
    f = find(&r, "pipe.py");
    assert_non_null(f);
    assert_int_equal(f->status, RL_FILE_NOT_REGULAR);
    f = find(&r, "dangling.py");
    assert_non_null(f);
    assert_int_equal(f->status, RL_FILE_UNREADABLE);
    release(&r);
    unlink("pipe.py");
    unlink("dangling.py");
}

static void test_excludes(void **state)
{
    (void)state;
    result r;
    memset(&r, 0, sizeof r);
    rl_options_init(&r.o);
    rl_vec_push(&r.o.paths, ".");
    rl_vec_push(&r.o.extend_exclude, "pkg/sub");
    rl_vec_push(&r.o.extend_exclude, "z*.py");
    r.p.options = &r.o;
    rl_discover(&r.p, &r.o);
    assert_null(find(&r, "pkg/sub/b.py"));
    assert_null(find(&r, "zeta.py"));
    assert_non_null(find(&r, "pkg/a.py"));
    release(&r);

    /* --exclude replaces the defaults: .venv and build are walked. */
    memset(&r, 0, sizeof r);
    rl_options_init(&r.o);
    r.o.exclude.len = 0;
    rl_vec_push(&r.o.exclude, "node_modules");
    rl_vec_push(&r.o.paths, ".");
    r.p.options = &r.o;
    rl_discover(&r.p, &r.o);
    assert_non_null(find(&r, ".venv/x.py"));
    assert_non_null(find(&r, "build/y.py"));
    assert_null(find(&r, "node_modules/q.py"));
    release(&r);

    rl_options o;
    rl_options_init(&o);
    assert_true(rl_discover_excluded(&o, "x.egg-info", "a/x.egg-info", NULL));
    assert_true(rl_discover_excluded(&o, "site-packages", "lib/site-packages", NULL));
    assert_false(rl_discover_excluded(&o, "builder", "builder", NULL));
    rl_vec_push(&o.extend_exclude, "tests/fixtures");
    assert_true(rl_discover_excluded(&o, "fixtures", "proj/tests/fixtures", "tests/fixtures"));
    rl_options_release(&o);
}

static void test_path_absolute(void **state)
{
    (void)state;
    rl_arena a = {0};
    assert_string_equal(rl_path_absolute(&a, "/w", "pkg/./a/../b.py"), "/w/pkg/b.py");
    assert_string_equal(rl_path_absolute(&a, "/w/x", "../../.."), "/");
    assert_string_equal(rl_path_absolute(&a, "/w", "/abs//p/"), "/abs/p");
    assert_string_equal(rl_path_absolute(&a, "/w", "."), "/w");
    rl_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_sorted_and_skipping),
        cmocka_unit_test(test_module_names),
        cmocka_unit_test(test_explicit_paths),
        cmocka_unit_test(test_roots),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_excludes),
        cmocka_unit_test(test_path_absolute),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
