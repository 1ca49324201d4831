/* test_scope.c - which findings a run reports when file PATHs bring in their
 * project for context (SPEC "Files and scope"): rl_diags_scope keeps a
 * finding when its file or a related location's file is reported. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suppress.h"

typedef struct fixture {
    rl_project project;
    rl_diags diags;
} fixture;

static void add_file(fixture *fx, const char *path, bool reported)
{
    rl_file f = {.path = path, .module = "m", .status = RL_FILE_OK, .reported = reported};
    rl_vec_push(&fx->project.files, f);
}

static rl_span line_span(uint32_t line) { return (rl_span){line, 1, line, 4}; }

/* A finding at file:line with related locations in the files listed. */
static void add_finding(fixture *fx, uint32_t file, uint32_t line, const uint32_t *related,
                        uint32_t nrelated)
{
    rl_diag *d = rl_diag_add(&fx->diags, RL_RL201, file, line_span(line), "finding");
    for (uint32_t i = 0; i < nrelated; i++)
        rl_diag_add_related(&fx->diags, d, related[i], line_span(1), "related");
}

static void test_scope_keeps_findings_touching_reported_files(void **state)
{
    (void)state;
    fixture fx = {0};
    fx.diags.arena = &fx.project.arena;
    add_file(&fx, "changed.py", true);   /* 0: the file PATH */
    add_file(&fx, "consumer.py", false); /* 1: context */
    add_file(&fx, "config.py", false);   /* 2: context */

    add_finding(&fx, 0, 1, NULL, 0);                      /* in the given file: kept */
    add_finding(&fx, 1, 2, (const uint32_t[]){2, 0}, 2);  /* made stale by it: kept */
    add_finding(&fx, 1, 3, (const uint32_t[]){2}, 1);     /* context only: dropped */
    add_finding(&fx, 2, 4, NULL, 0);                      /* context only: dropped */
    add_finding(&fx, 2, 5, (const uint32_t[]){0}, 1);     /* related to it: kept */

    rl_diags_scope(&fx.diags, &fx.project);
    assert_int_equal(fx.diags.items.len, 3);
    assert_int_equal(fx.diags.items.items[0].span.line, 1);
    assert_int_equal(fx.diags.items.items[1].span.line, 2);
    assert_int_equal(fx.diags.items.items[2].span.line, 5);

    rl_vec_release(&fx.project.files);
    rl_vec_release(&fx.diags.items);
    rl_arena_release(&fx.project.arena);
}

static void test_scope_all_reported_keeps_everything(void **state)
{
    (void)state;
    fixture fx = {0};
    fx.diags.arena = &fx.project.arena;
    add_file(&fx, "a.py", true);
    add_file(&fx, "b.py", true);
    for (uint32_t i = 0; i < 4; i++) add_finding(&fx, i % 2, i + 1, NULL, 0);
    rl_diags_scope(&fx.diags, &fx.project);
    assert_int_equal(fx.diags.items.len, 4);
    rl_vec_release(&fx.project.files);
    rl_vec_release(&fx.diags.items);
    rl_arena_release(&fx.project.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope_keeps_findings_touching_reported_files),
        cmocka_unit_test(test_scope_all_reported_keeps_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
