/* test_suppress.c - noqa parsing, suppression, rule filtering and the
 * total order of findings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suppress.h"

/* ---- noqa comments ------------------------------------------------------------ */

static bool parse(const char *comment, const char **codes)
{
    size_t n = 0;
    return rl_noqa_parse_comment(comment, strlen(comment), codes, &n);
}

static void test_parse_comment(void **state)
{
    (void)state;
    const char *codes;
    assert_true(parse("# noqa", &codes));
    assert_null(codes);
    assert_true(parse("#noqa", &codes));
    assert_null(codes);
    assert_true(parse("# NOQA", &codes));
    assert_null(codes);
    assert_true(parse("# noqa: RL301, RL302", &codes));
    assert_string_equal(codes, " RL301, RL302");
    assert_true(parse("# noqa:RL301", &codes));
    assert_string_equal(codes, "RL301");
    assert_true(parse("# type: ignore  # noqa: RL201", &codes));
    assert_string_equal(codes, " RL201");
    assert_true(parse("# noqa:", &codes));
    assert_null(codes); /* no code after the colon: bare */
    assert_true(parse("# noqa - explained", &codes));
    assert_null(codes);
    assert_true(parse("# noqa: see above", &codes));
    assert_string_equal(codes, " see above"); /* prose: suppresses nothing */

    assert_false(parse("# noqafoo", &codes));
    assert_false(parse("# no qa", &codes));
    assert_false(parse("# see noqa", &codes)); /* "noqa" must follow a '#' */
    assert_false(parse("#", &codes));
    assert_false(parse("", &codes));
}

static size_t split(const char *codes, const char **starts, size_t *lens)
{
    return rl_noqa_split(codes, strlen(codes), starts, lens, 8);
}

static void test_split(void **state)
{
    (void)state;
    const char *s[8];
    size_t l[8];
    assert_int_equal(split("RL301, RL302", s, l), 2);
    assert_int_equal(l[0], 5);
    assert_memory_equal(s[1], "RL302", 5);
    assert_int_equal(split("RL301 RL302,RL303", s, l), 3);
    assert_memory_equal(s[2], "RL303", 5);
    assert_int_equal(split("  RL101,,  E501\t", s, l), 2);
    assert_memory_equal(s[1], "E501", 4);
    /* The list ends at the first token that is not a code. */
    assert_int_equal(split("RL101 because the test needs it RL102", s, l), 1);
    assert_int_equal(split("rl101", s, l), 0);     /* case-sensitive */
    assert_int_equal(split("RL101x, RL102", s, l), 0);
    assert_int_equal(split("RL, RL102", s, l), 0); /* no digits */
    assert_int_equal(split("", s, l), 0);
    /* Counting without storing. */
    assert_int_equal(rl_noqa_split("A1 B2 C3", 8, NULL, NULL, 0), 3);
}

static void test_covers(void **state)
{
    (void)state;
    assert_true(rl_noqa_covers(NULL, "RL301"));
    assert_true(rl_noqa_covers(" RL301, RL302", "RL302"));
    assert_true(rl_noqa_covers("RL101 RL301", "RL301"));
    assert_false(rl_noqa_covers(" RL301, RL302", "RL303"));
    assert_false(rl_noqa_covers("RL3", "RL301"));    /* no prefixes */
    assert_false(rl_noqa_covers("RL3010", "RL301"));
    assert_false(rl_noqa_covers("rl301", "RL301")); /* case-sensitive: a lowercase list is prose */
    assert_false(rl_noqa_covers("E501", "RL301"));
    assert_true(rl_noqa_covers("", "RL301"));        /* "# noqa:" */
    assert_true(rl_noqa_covers(" , ", "RL301"));
    assert_false(rl_noqa_covers(" see above", "RL301"));
}

/* ---- post-passes ------------------------------------------------------------------ */

typedef struct fixture {
    rl_project project;
    rl_diags diags;
} fixture;

static void add_file(fixture *fx, const char *path)
{
    rl_file f = {.path = path, .module = "m", .status = RL_FILE_OK};
    rl_vec_push(&fx->project.files, f);
}

static void fixture_release(fixture *fx)
{
    for (uint32_t i = 0; i < fx->project.files.len; i++)
        rl_file_facts_release(&fx->project.files.items[i].facts);
    rl_vec_release(&fx->project.files);
    rl_vec_release(&fx->diags.items);
    rl_arena_release(&fx->project.arena);
}

static rl_span at(uint32_t line, uint32_t col) { return (rl_span){line, col, line, col + 3}; }

static void test_sort_order(void **state)
{
    (void)state;
    fixture fx = {0};
    fx.diags.arena = &fx.project.arena;
    /* File indexes deliberately not in path order. */
    add_file(&fx, "b.py"); /* 0 */
    add_file(&fx, "a.py"); /* 1 */
    rl_diag_add(&fx.diags, RL_RL201, 0, at(1, 1), "b1");
    rl_diag_add(&fx.diags, RL_RL203, 1, at(2, 5), "a2-203");
    rl_diag_add(&fx.diags, RL_RL201, 1, at(2, 5), "a2-201");
    rl_diag_add(&fx.diags, RL_RL101, 1, at(10, 1), "a10");
    rl_diag_add(&fx.diags, RL_RL101, 1, at(2, 1), "a2-col1");
    rl_diag_add(&fx.diags, RL_RL101, 1, at(2, 5), "z-same-place-later-message");
    rl_diag_add(&fx.diags, RL_RL101, 1, at(2, 5), "a-same-place");
    rl_diags_sort(&fx.diags, &fx.project);

    const char *want[] = {"a2-col1", "a-same-place", "z-same-place-later-message",
                          "a2-201",  "a2-203",       "a10",
                          "b1"};
    assert_int_equal(fx.diags.items.len, 7);
    for (uint32_t i = 0; i < 7; i++) assert_string_equal(fx.diags.items.items[i].message, want[i]);
    fixture_release(&fx);
}

static void test_sort_related_breaks_ties(void **state)
{
    (void)state;
    fixture fx = {0};
    fx.diags.arena = &fx.project.arena;
    add_file(&fx, "a.py");
    rl_diag *d = rl_diag_add(&fx.diags, RL_RL201, 0, at(1, 1), "same");
    rl_diag_add_related(&fx.diags, d, 0, at(9, 1), "later");
    d = rl_diag_add(&fx.diags, RL_RL201, 0, at(1, 1), "same");
    rl_diag_add_related(&fx.diags, d, 0, at(3, 1), "earlier");
    rl_diags_sort(&fx.diags, &fx.project);
    assert_string_equal(fx.diags.items.items[0].related[0].message, "earlier");
    assert_int_equal(rl_diag_compare(&fx.project, &fx.diags.items.items[0],
                                     &fx.diags.items.items[0]),
                     0);
    assert_true(rl_diag_compare(&fx.project, &fx.diags.items.items[0],
                                &fx.diags.items.items[1]) < 0);
    fixture_release(&fx);
}

static void test_suppress_and_filter(void **state)
{
    (void)state;
    fixture fx = {0};
    fx.diags.arena = &fx.project.arena;
    add_file(&fx, "a.py");
    rl_file *f = &fx.project.files.items[0];
    rl_vec_push(&f->facts.noqa, ((rl_noqa){.line = 3, .codes = NULL}));
    rl_vec_push(&f->facts.noqa, ((rl_noqa){.line = 5, .codes = " RL201, RL203"}));
    rl_vec_push(&f->facts.noqa, ((rl_noqa){.line = 7, .codes = " RL2"}));

    rl_diag_add(&fx.diags, RL_RL101, 0, at(3, 1), "bare noqa");          /* suppressed */
    rl_diag_add(&fx.diags, RL_RL201, 0, at(5, 1), "listed");             /* suppressed */
    rl_diag_add(&fx.diags, RL_RL202, 0, at(5, 1), "not listed");
    rl_diag_add(&fx.diags, RL_RL201, 0, at(7, 1), "prefix does not count");
    rl_diag_add(&fx.diags, RL_RL201, 0, (rl_span){4, 1, 5, 2}, "starts on line 4");
    rl_diag_add(&fx.diags, RL_RL103, 0, at(8, 1), "unselected");
    rl_diags_suppress(&fx.diags, &fx.project);
    bool want[] = {true, true, false, false, false, false};
    for (uint32_t i = 0; i < 6; i++) assert_int_equal(fx.diags.items.items[i].suppressed, want[i]);

    rl_rule_set set = {0};
    for (int i = 0; i < RL_RULE_COUNT; i++) set.on[i] = true;
    set.on[RL_RL103] = false;
    rl_diags_filter(&fx.diags, &set);
    assert_int_equal(fx.diags.items.len, 5);
    for (uint32_t i = 0; i < fx.diags.items.len; i++)
        assert_int_not_equal(fx.diags.items.items[i].rule, RL_RL103);
    fixture_release(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_comment),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_sort_order),
        cmocka_unit_test(test_sort_related_breaks_ties),
        cmocka_unit_test(test_suppress_and_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
