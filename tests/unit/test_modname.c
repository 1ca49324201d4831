/* test_modname.c - dotted module names and --assume-reloaded patterns
 * (analyzer/modname.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "modname.h"

static void test_valid_names(void **state)
{
    (void)state;
    const char *good[] = {"a", "pkg.mod", "_p.x_2", "A.B.C", "caf\xc3\xa9.m"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!rl_is_valid_module_name(good[i])) fail_msg("`%s` should be a valid name", good[i]);
    const char *bad[] = {"", ".", "a.", ".a", "a..b", "1a", "a.1b", "a-b", "a b", "a.*", "*"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (rl_is_valid_module_name(bad[i])) fail_msg("`%s` should be invalid", bad[i]);
}

static void test_valid_patterns(void **state)
{
    (void)state;
    const char *good[] = {"a", "pkg.mod", "pkg.*", "a.b.c.*"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!rl_is_valid_module_pattern(good[i])) fail_msg("`%s` should be valid", good[i]);
    const char *bad[] = {"", "*", ".*", "pkg*", "pkg.*.a", "pkg.**", "pkg..*", "pkg.", "*.pkg",
                         "pkg/"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (rl_is_valid_module_pattern(bad[i])) fail_msg("`%s` should be invalid", bad[i]);
}

static void test_matches_pattern(void **state)
{
    (void)state;
    /* "pkg.*": the package itself and everything below it. */
    assert_true(rl_module_matches_pattern("pkg", "pkg.*"));
    assert_true(rl_module_matches_pattern("pkg.x", "pkg.*"));
    assert_true(rl_module_matches_pattern("pkg.x.y", "pkg.*"));
    assert_false(rl_module_matches_pattern("pkgx", "pkg.*"));
    assert_false(rl_module_matches_pattern("pkgx.y", "pkg.*"));
    assert_false(rl_module_matches_pattern("other.pkg", "pkg.*"));
    assert_true(rl_module_matches_pattern("a.b.c", "a.b.*"));
    assert_false(rl_module_matches_pattern("a", "a.b.*"));
    /* A plain name matches only itself. */
    assert_true(rl_module_matches_pattern("a.b", "a.b"));
    assert_false(rl_module_matches_pattern("a.b.c", "a.b"));
    assert_false(rl_module_matches_pattern("a", "a.b"));
    assert_false(rl_module_matches_pattern("a.bc", "a.b"));
}

static void test_within_and_parent(void **state)
{
    (void)state;
    assert_true(rl_module_is_within("pkg", "pkg"));
    assert_true(rl_module_is_within("pkg.a.b", "pkg"));
    assert_true(rl_module_is_within("pkg.a.b", "pkg.a"));
    assert_false(rl_module_is_within("pkgx", "pkg"));
    assert_false(rl_module_is_within("pkg", "pkg.a"));
    assert_false(rl_module_is_within("a.pkg", "pkg"));

    assert_int_equal(rl_module_parent_len("pkg.a.b"), 5);
    assert_int_equal(rl_module_parent_len("top"), 0);
    rl_arena a = {0};
    assert_string_equal(rl_module_parent(&a, "pkg.a.b"), "pkg.a");
    assert_string_equal(rl_module_parent(&a, "pkg.a"), "pkg");
    assert_null(rl_module_parent(&a, "pkg"));
    rl_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_names),
        cmocka_unit_test(test_valid_patterns),
        cmocka_unit_test(test_matches_pattern),
        cmocka_unit_test(test_within_and_parent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
