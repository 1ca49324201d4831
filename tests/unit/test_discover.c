/* test_discover.c - the walk (order, skipped folders, explicit PATHs,
 * duplicates, errors), whole-project indexing around file PATHs, and module
 * naming, on a temporary tree. */
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

/* ---- whole-project indexing for file PATHs ---------------------------------------- */

static void write_files(const char *const *paths)
{
    for (; *paths; paths++) write_file(*paths);
}

static void make_dirs(const char *const *paths)
{
    for (; *paths; paths++) make_dir(*paths);
}

/* proj/      pyproject.toml  src/pkg/{__init__,a,b}.py  tools/t.py
 *            .venv/v.py (skipped)  sub/setup.py  sub/x.py (a nested project)
 * proj2/     .git (a file, as in a worktree)  m.py */
static void make_projects(void)
{
    make_dirs((const char *[]){"proj", "proj/src", "proj/src/pkg", "proj/tools", "proj/.venv",
                               "proj/sub", "proj2", NULL});
    write_files((const char *[]){"proj/pyproject.toml", "proj/src/pkg/__init__.py",
                                 "proj/src/pkg/a.py", "proj/src/pkg/b.py", "proj/tools/t.py",
                                 "proj/.venv/v.py", "proj/sub/setup.py", "proj/sub/x.py",
                                 "proj2/.git", "proj2/m.py", NULL});
}

static void expect_reported(const result *r, const char *path, bool reported)
{
    const rl_file *f = find(r, path);
    if (!f) fail_msg("`%s` was not discovered", path);
    if (f->reported != reported)
        fail_msg("`%s`: reported is %d, expected %d", path, f->reported, reported);
}

static void test_file_path_indexes_project(void **state)
{
    (void)state;
    make_projects();
    result r;
    /* The given file is reported; the rest of its project (nearest marker:
     * proj/pyproject.toml) is context, shown the way the argument is written;
     * tool folders stay skipped; the nested project proj/sub is walked as a
     * folder of proj (its own marker matters only for files given inside it). */
    run(&r, (const char *[]){"proj/src/pkg/a.py", NULL}, NULL);
    expect_paths(&r, (const char *[]){"proj/src/pkg/__init__.py", "proj/src/pkg/a.py",
                                      "proj/src/pkg/b.py", "proj/sub/setup.py", "proj/sub/x.py",
                                      "proj/tools/t.py", NULL});
    expect_reported(&r, "proj/src/pkg/a.py", true);
    expect_reported(&r, "proj/src/pkg/b.py", false);
    expect_reported(&r, "proj/tools/t.py", false);
    expect_module(&r, "proj/src/pkg/a.py", "pkg.a", false); /* src/ layout */
    expect_module(&r, "proj/src/pkg/b.py", "pkg.b", false);
    expect_module(&r, "proj/src/pkg/__init__.py", "pkg", true);
    expect_module(&r, "proj/tools/t.py", "t", false);
    release(&r);

    /* Two files of one project: walked once, both reported, no duplicates. */
    run(&r, (const char *[]){"proj/tools/t.py", "proj/src/pkg/a.py", NULL}, NULL);
    assert_int_equal(r.p.files.len, 6);
    expect_reported(&r, "proj/tools/t.py", true);
    expect_reported(&r, "proj/src/pkg/a.py", true);
    expect_reported(&r, "proj/src/pkg/b.py", false);
    release(&r);

    /* The nearest marker wins: proj/sub has its own setup.py. */
    run(&r, (const char *[]){"proj/sub/x.py", NULL}, NULL);
    expect_paths(&r, (const char *[]){"proj/sub/setup.py", "proj/sub/x.py", NULL});
    release(&r);

    /* Files of two projects: each indexed; `.git` may be a plain file. */
    run(&r, (const char *[]){"proj2/m.py", "proj/sub/x.py", NULL}, NULL);
    expect_paths(&r, (const char *[]){"proj/sub/setup.py", "proj/sub/x.py", "proj2/m.py", NULL});
    expect_reported(&r, "proj/sub/setup.py", false);
    release(&r);

    /* A folder PATH is reported whole; a file PATH inside it changes nothing. */
    run(&r, (const char *[]){"proj/src/pkg/a.py", "proj", NULL}, NULL);
    assert_int_equal(r.p.files.len, 6);
    for (uint32_t i = 0; i < r.p.files.len; i++) assert_true(r.p.files.items[i].reported);
    release(&r);

    /* "./" style is kept for context files. */
    run(&r, (const char *[]){"./proj/tools/t.py", NULL}, NULL);
    expect_reported(&r, "./proj/tools/t.py", true);
    expect_reported(&r, "./proj/src/pkg/b.py", false);
    release(&r);
    remove_tree("proj");
    remove_tree("proj2");
}

static void test_file_path_display(void **state)
{
    tree *t = *state;
    make_projects();
    result r;
    /* Absolute argument: absolute context paths. */
    char abs_arg[256];
    snprintf(abs_arg, sizeof abs_arg, "%s/proj/tools/t.py", t->dir);
    run(&r, (const char *[]){abs_arg, NULL}, NULL);
    char abs_b[256];
    snprintf(abs_b, sizeof abs_b, "%s/proj/src/pkg/b.py", t->dir);
    expect_reported(&r, abs_arg, true);
    expect_reported(&r, abs_b, false);
    expect_module(&r, abs_b, "pkg.b", false);
    release(&r);

    /* Run from inside the project: files above the current folder get "../",
     * files inside it are shown relative to it, as a user would write them. */
    assert_int_equal(chdir("proj/src"), 0);
    run(&r, (const char *[]){"pkg/a.py", NULL}, NULL);
    expect_paths(&r, (const char *[]){"../sub/setup.py", "../sub/x.py", "../tools/t.py",
                                      "pkg/__init__.py", "pkg/a.py", "pkg/b.py", NULL});
    expect_reported(&r, "pkg/a.py", true);
    expect_module(&r, "pkg/b.py", "pkg.b", false);
    expect_module(&r, "../tools/t.py", "t", false);
    release(&r);
    assert_int_equal(chdir(t->dir), 0);
    remove_tree("proj");
    remove_tree("proj2");
}

static void test_file_path_without_project(void **state)
{
    tree *t = *state;
    rl_arena a = {0};
    /* Only meaningful when nothing above the temporary folder is a project. */
    if (rl_project_root(&a, rl_path_absolute(&a, "/", t->dir)) == NULL) {
        result r;
        run(&r, (const char *[]){"nopkg/c.py", NULL}, NULL);
        expect_paths(&r, (const char *[]){"nopkg/c.py", NULL});
        expect_reported(&r, "nopkg/c.py", true);
        release(&r);
    }
    rl_arena_release(&a);
}

static void test_stdin_in_project(void **state)
{
    (void)state;
    make_projects();
    result r;
    memset(&r, 0, sizeof r);
    rl_options_init(&r.o);
    rl_vec_push(&r.o.paths, ".");
    r.o.stdin_filename = "proj/src/pkg/a.py";
    r.p.options = &r.o;
    rl_discover(&r.p, &r.o);
    /* The stdin copy replaces the file on disk within its project; PATHs are
     * not walked. */
    assert_int_equal(r.p.files.len, 6);
    const rl_file *f = find(&r, "proj/src/pkg/a.py");
    assert_non_null(f);
    assert_true(f->from_stdin);
    assert_true(f->reported);
    for (uint32_t i = 0; i < r.p.files.len; i++)
        if (&r.p.files.items[i] != f) {
            assert_false(r.p.files.items[i].from_stdin);
            assert_false(r.p.files.items[i].reported);
        }
    release(&r);

    /* A path that does not exist yet (an unsaved buffer): still one file. */
    memset(&r, 0, sizeof r);
    rl_options_init(&r.o);
    r.o.stdin_filename = "proj/src/pkg/new.py";
    r.p.options = &r.o;
    rl_discover(&r.p, &r.o);
    assert_int_equal(r.p.files.len, 7);
    assert_true(find(&r, "proj/src/pkg/new.py")->from_stdin);
    expect_module(&r, "proj/src/pkg/new.py", "pkg.new", false);
    release(&r);
    remove_tree("proj");
    remove_tree("proj2");
}

static void test_project_root_and_prefix(void **state)
{
    (void)state;
    rl_arena a = {0};
    make_projects();
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *abs = rl_path_absolute(&a, cwd, "proj/src/pkg/a.py");
    const char *root = rl_project_root(&a, abs);
    assert_non_null(root);
    assert_string_equal(root, rl_path_absolute(&a, cwd, "proj"));
    assert_string_equal(rl_project_root(&a, rl_path_absolute(&a, cwd, "proj/sub/x.py")),
                        rl_path_absolute(&a, cwd, "proj/sub"));
    /* The file's own folder counts. */
    assert_string_equal(rl_project_root(&a, rl_path_absolute(&a, cwd, "proj2/m.py")),
                        rl_path_absolute(&a, cwd, "proj2"));
    remove_tree("proj");
    remove_tree("proj2");

    /* Display prefixes (pure): relative to cwd unless the argument is absolute. */
    assert_string_equal(rl_project_display_prefix(&a, "/w/p", "/w/p", "a.py"), "");
    assert_string_equal(rl_project_display_prefix(&a, "/w/p", "/w/p", "./a.py"), "./");
    assert_string_equal(rl_project_display_prefix(&a, "/w", "/w/p", "p/src/a.py"), "p/");
    assert_string_equal(rl_project_display_prefix(&a, "/w", "/w/p", "./p/a.py"), "./p/");
    assert_string_equal(rl_project_display_prefix(&a, "/w/p/src", "/w/p", "pkg/a.py"), "../");
    assert_string_equal(rl_project_display_prefix(&a, "/w/p/src", "/w/p", "./a.py"), "../");
    assert_string_equal(rl_project_display_prefix(&a, "/w/x", "/w/xy", "../xy/a.py"), "../xy/");
    assert_string_equal(rl_project_display_prefix(&a, "/w/x/y", "/", "a.py"), "../../../");
    assert_string_equal(rl_project_display_prefix(&a, "/", "/w", "w/a.py"), "w/");
    assert_string_equal(rl_project_display_prefix(&a, "/w", "/w/p", "/w/p/a.py"), "/w/p/");
    assert_string_equal(rl_project_display_prefix(&a, "/w", "/", "/a.py"), "/");
    rl_arena_release(&a);
}

/* ---- module naming layouts (SPEC "Module model") ------------------------------------ */

static const char *name_of(rl_arena *a, const char *path, const char *const *roots, bool *pkg)
{
    rl_str_list list = {0};
    for (; roots && *roots; roots++) rl_vec_push(&list, *roots);
    const char *name = rl_module_name(a, path, &list, pkg);
    rl_vec_release(&list);
    return name;
}

static void test_module_naming_layouts(void **state)
{
    (void)state;
    make_dirs((const char *[]){"lay", "lay/src", "lay/src/app", "lay/src/app/core", "lay/lib",
                               "lay/lib/util", "lay/ns", "lay/ns/company", "lay/ns/company/tool",
                               "lay/ns/company/pkg", NULL});
    write_files((const char *[]){"lay/src/app/__init__.py", "lay/src/app/core/__init__.py",
                                 "lay/src/app/core/deep.py", "lay/lib/util/helpers.py",
                                 "lay/ns/company/tool/run.py", "lay/ns/company/pkg/__init__.py",
                                 "lay/ns/company/pkg/m.py", NULL});
    rl_arena a = {0};
    bool pkg = false;

    /* src layout and nested packages: walk up while __init__.py exists;
     * src/ has none, so it is the import root. */
    assert_string_equal(name_of(&a, "lay/src/app/core/deep.py", NULL, &pkg), "app.core.deep");
    assert_false(pkg);
    /* __init__.py names its package. */
    assert_string_equal(name_of(&a, "lay/src/app/core/__init__.py", NULL, &pkg), "app.core");
    assert_true(pkg);
    assert_string_equal(name_of(&a, "lay/src/app/__init__.py", NULL, &pkg), "app");
    assert_true(pkg);

    /* Namespace packages (PEP 420): without --root a folder lacking
     * __init__.py ends the name; under --root every folder is a component. */
    assert_string_equal(name_of(&a, "lay/ns/company/tool/run.py", NULL, &pkg), "run");
    const char *ns_root[] = {"lay/ns", NULL};
    assert_string_equal(name_of(&a, "lay/ns/company/tool/run.py", ns_root, &pkg),
                        "company.tool.run");
    assert_string_equal(name_of(&a, "lay/ns/company/pkg/m.py", ns_root, &pkg), "company.pkg.m");
    assert_string_equal(name_of(&a, "lay/ns/company/pkg/__init__.py", ns_root, &pkg),
                        "company.pkg");
    assert_true(pkg);

    /* Two roots: each file is named from the root that holds it; a file
     * under neither falls back to the __init__.py rule. */
    const char *two[] = {"lay/src", "./lay/lib", NULL};
    assert_string_equal(name_of(&a, "lay/src/app/core/deep.py", two, &pkg), "app.core.deep");
    assert_string_equal(name_of(&a, "lay/lib/util/helpers.py", two, &pkg), "util.helpers");
    assert_string_equal(name_of(&a, "lay/ns/company/pkg/m.py", two, &pkg), "pkg.m");
    /* Nested roots: the deepest wins. */
    const char *nested[] = {"lay", "lay/src", NULL};
    assert_string_equal(name_of(&a, "lay/src/app/core/deep.py", nested, &pkg), "app.core.deep");
    assert_string_equal(name_of(&a, "lay/lib/util/helpers.py", nested, &pkg), "lib.util.helpers");

    /* Discovery names files the same way whether they are reached from a
     * folder PATH or as context of a file PATH (consistent across a project). */
    write_file("lay/setup.cfg");
    result r;
    run(&r, (const char *[]){"lay/src/app/core/deep.py", NULL}, ns_root);
    expect_reported(&r, "lay/src/app/core/deep.py", true);
    expect_module(&r, "lay/src/app/core/deep.py", "app.core.deep", false);
    expect_module(&r, "lay/ns/company/tool/run.py", "company.tool.run", false);
    expect_module(&r, "lay/lib/util/helpers.py", "helpers", false);
    release(&r);
    run(&r, (const char *[]){"lay", NULL}, ns_root);
    expect_module(&r, "lay/src/app/core/deep.py", "app.core.deep", false);
    expect_module(&r, "lay/ns/company/tool/run.py", "company.tool.run", false);
    expect_module(&r, "lay/lib/util/helpers.py", "helpers", false);
    release(&r);

    rl_arena_release(&a);
    remove_tree("lay");
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
        cmocka_unit_test(test_file_path_indexes_project),
        cmocka_unit_test(test_file_path_display),
        cmocka_unit_test(test_file_path_without_project),
        cmocka_unit_test(test_stdin_in_project),
        cmocka_unit_test(test_project_root_and_prefix),
        cmocka_unit_test(test_module_naming_layouts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
