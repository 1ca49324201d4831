/* test_json.c - string escaping for JSON and the terminal, source-line
 * display, and the exact shape of the JSON and text reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "rl_version.h"

static char *json_of(const char *s, size_t n)
{
    rl_strbuf sb = {0};
    rl_json_append_string(&sb, s, n);
    return rl_strbuf_detach(&sb);
}

#define ASSERT_JSON(input, want)                                  \
    do {                                                          \
        char *got_ = json_of((input), sizeof(input) - 1);         \
        assert_string_equal(got_, (want));                        \
        free(got_);                                               \
    } while (0)

static void test_json_plain_and_specials(void **state)
{
    (void)state;
    ASSERT_JSON("", "\"\"");
    ASSERT_JSON("pkg/a.py", "\"pkg/a.py\"");
    ASSERT_JSON("say \"hi\" \\ there", "\"say \\\"hi\\\" \\\\ there\"");
    ASSERT_JSON("a\nb\rc\td\be\ff", "\"a\\nb\\rc\\td\\be\\ff\"");
    ASSERT_JSON("/ stays", "\"/ stays\"");
}

static void test_json_control_chars(void **state)
{
    (void)state;
    ASSERT_JSON("\x01", "\"\\u0001\"");
    ASSERT_JSON("\x1b[31mred", "\"\\u001b[31mred\"");
    ASSERT_JSON("\x1f\x7f", "\"\\u001f\\u007f\"");
    ASSERT_JSON("nul\0inside", "\"nul\\u0000inside\""); /* explicit length keeps the NUL */
}

static void test_json_utf8(void **state)
{
    (void)state;
    ASSERT_JSON("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d",
                "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d\"");
    /* Every invalid byte becomes U+FFFD. */
    ASSERT_JSON("\xff", "\"\xef\xbf\xbd\"");
    ASSERT_JSON("a\x80z", "\"a\xef\xbf\xbdz\"");
    ASSERT_JSON("\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\"");             /* truncated */
    ASSERT_JSON("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");             /* overlong '/' */
    ASSERT_JSON("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
    ASSERT_JSON("\xf4\x90\x80\x80", /* past U+10FFFF */
                "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    ASSERT_JSON("\xe2\x82\xac\xe2", "\"\xe2\x82\xac\xef\xbf\xbd\"");
}

static void test_utf8_count(void **state)
{
    (void)state;
    assert_int_equal(rl_utf8_count("abc", 3), 3);
    assert_int_equal(rl_utf8_count("caf\xc3\xa9", 5), 4);
    assert_int_equal(rl_utf8_count("\xf0\x9f\x90\x8d!", 5), 2);
    assert_int_equal(rl_utf8_count("\xff\xfe", 2), 2);    /* invalid bytes count one each */
    assert_int_equal(rl_utf8_count("\xe2\x82", 2), 2);
}

/* ---- terminal text ----------------------------------------------------------------- */

static char *escaped(const char *s)
{
    rl_strbuf sb = {0};
    rl_text_append_escaped(&sb, s, strlen(s));
    return rl_strbuf_detach(&sb);
}

static void test_text_escaping(void **state)
{
    (void)state;
    char *s = escaped("evil\x1b[2J\nfake.py:1:1: RL101");
    assert_string_equal(s, "evil\\x1b[2J\\x0afake.py:1:1: RL101");
    free(s);
    s = escaped("caf\xc3\xa9\xff");
    assert_string_equal(s, "caf\xc3\xa9\\xff");
    free(s);
    s = escaped("\xe2\x80\xae" "cba"); /* RIGHT-TO-LEFT OVERRIDE */
    assert_string_equal(s, "\\u{202e}cba");
    free(s);
    s = escaped("\xc2\x9b" "31m"); /* C1 CSI */
    assert_string_equal(s, "\\u{009b}31m");
    free(s);
}

static char *line_of(const char *s, uint32_t col, uint32_t end, uint32_t *dc, uint32_t *de)
{
    rl_strbuf sb = {0};
    rl_text_append_source_line(&sb, s, strlen(s), col, end, dc, de);
    return rl_strbuf_detach(&sb);
}

static void test_source_line(void **state)
{
    (void)state;
    uint32_t dc, de;
    char *s = line_of("x = reload(m)", 5, 14, &dc, &de);
    assert_string_equal(s, "x = reload(m)");
    assert_int_equal(dc, 4);
    assert_int_equal(de, 13);
    free(s);

    /* A tab expands to the next multiple of 4; the caret follows. */
    s = line_of("\tf(x)", 2, 6, &dc, &de);
    assert_string_equal(s, "    f(x)");
    assert_int_equal(dc, 4);
    assert_int_equal(de, 8);
    free(s);
    s = line_of("ab\tc", 4, 5, &dc, &de);
    assert_string_equal(s, "ab  c");
    assert_int_equal(dc, 4);
    free(s);

    /* Control characters as Control Pictures (width 1), invalid bytes as U+FFFD. */
    s = line_of("a\x1b" "b\xff" "c", 5, 6, &dc, &de);
    assert_string_equal(s, "a\xe2\x90\x9b" "b\xef\xbf\xbd" "c");
    assert_int_equal(dc, 4);
    assert_int_equal(de, 5);
    free(s);

    /* Columns count code points; wide characters take two cells. */
    s = line_of("\xe5\xa4\x89 = f()", 5, 8, &dc, &de);
    assert_int_equal(dc, 5);
    assert_int_equal(de, 8);
    free(s);

    /* A span past the end of the line stops at the end. */
    s = line_of("abc", 2, 99, &dc, &de);
    assert_int_equal(dc, 1);
    assert_int_equal(de, 3);
    free(s);
}

/* ---- whole reports ----------------------------------------------------------------- */

typedef struct report {
    rl_project project;
    rl_diags diags;
} report;

static void report_init(report *r)
{
    memset(r, 0, sizeof *r);
    r->diags.arena = &r->project.arena;
    static const char src[] = "import importlib\n\timportlib.reload(m)  # x\n";
    rl_file a = {
        .path = "a\x1b.py", .module = "a", .status = RL_FILE_OK, .from_stdin = true,
        .reported = true,
        .source = src, .source_len = sizeof src - 1,
    };
    rl_file b = {.path = "b.py", .module = "b", .status = RL_FILE_SYNTAX_ERROR,
                 .reported = true, .error = "syntax error at line 3"};
    rl_vec_push(&b.facts.syntax_errors, ((rl_syntax_error){3, 1}));
    rl_file c = {.path = "c.py", .module = "c", .status = RL_FILE_UNREADABLE,
                 .reported = true, .error = "cannot read: Permission denied"};
    rl_vec_push(&r->project.files, a);
    rl_vec_push(&r->project.files, b);
    rl_vec_push(&r->project.files, c);
    rl_diag *d = rl_diag_add(&r->diags, RL_RL201, 0, (rl_span){2, 2, 2, 21},
                             "`m` reloaded \"here\"");
    d->module = "a";
    d->target = "m";
    d->help = "do the other thing";
    rl_diag_add_related(&r->diags, d, 1, (rl_span){1, 5, 1, 9}, "see also");
    d = rl_diag_add(&r->diags, RL_RL101, 0, (rl_span){1, 1, 1, 2}, "suppressed one");
    d->suppressed = true;
}

static void report_release(report *r)
{
    for (uint32_t i = 0; i < r->project.files.len; i++)
        rl_file_facts_release(&r->project.files.items[i].facts);
    rl_vec_release(&r->project.files);
    rl_vec_release(&r->diags.items);
    rl_arena_release(&r->project.arena);
}

static void emit_json_cb(FILE *f, void *arg)
{
    report *r = arg;
    rl_emit_json(f, &r->project, &r->diags, false);
}

static void test_json_report(void **state)
{
    (void)state;
    report r;
    report_init(&r);
    char *got = capture(emit_json_cb, &r);
    const char *want =
        "{\n"
        "  \"version\": \"" RL_VERSION "\",\n"
        "  \"findings\": [\n"
        "    {\n"
        "      \"rule\": \"RL201\",\n"
        "      \"name\": \"reload-call\",\n"
        "      \"severity\": \"warning\",\n"
        "      \"path\": \"a\\u001b.py\",\n"
        "      \"line\": 2,\n"
        "      \"column\": 2,\n"
        "      \"end_line\": 2,\n"
        "      \"end_column\": 21,\n"
        "      \"message\": \"`m` reloaded \\\"here\\\"\",\n"
        "      \"module\": \"a\",\n"
        "      \"symbol\": null,\n"
        "      \"target\": \"m\",\n"
        "      \"related\": [\n"
        "        {\n"
        "          \"path\": \"b.py\",\n"
        "          \"line\": 1,\n"
        "          \"column\": 5,\n"
        "          \"message\": \"see also\"\n"
        "        }\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        "  \"errors\": [\n"
        "    {\n"
        "      \"path\": \"b.py\",\n"
        "      \"message\": \"syntax error at line 3\",\n"
        "      \"line\": 3\n"
        "    },\n"
        "    {\n"
        "      \"path\": \"c.py\",\n"
        "      \"message\": \"cannot read: Permission denied\"\n"
        "    }\n"
        "  ],\n"
        "  \"files_analyzed\": 1\n"
        "}\n";
    assert_string_equal(got, want);
    free(got);
    report_release(&r);
}

static void emit_json_empty_cb(FILE *f, void *arg)
{
    rl_project *p = arg;
    rl_diags d = {.arena = &p->arena};
    rl_emit_json(f, p, &d, false);
}

static void test_json_empty_report(void **state)
{
    (void)state;
    rl_project p = {0};
    char *got = capture(emit_json_empty_cb, &p);
    assert_string_equal(got, "{\n  \"version\": \"" RL_VERSION "\",\n  \"findings\": [],\n"
                             "  \"errors\": [],\n  \"files_analyzed\": 0\n}\n");
    free(got);
}

static void emit_stats_cb(FILE *f, void *arg)
{
    report *r = arg;
    rl_emit_json(f, &r->project, &r->diags, true);
}

static void test_json_statistics(void **state)
{
    (void)state;
    report r;
    report_init(&r);
    char *got = capture(emit_stats_cb, &r);
    assert_non_null(strstr(got, "  \"statistics\": {\n    \"RL201\": {\n      \"name\": "
                                "\"reload-call\",\n      \"severity\": \"warning\",\n"
                                "      \"count\": 1\n    }\n  },\n"));
    assert_null(strstr(got, "RL101")); /* suppressed */
    free(got);
    report_release(&r);
}

static void emit_text_cb(FILE *f, void *arg)
{
    report *r = arg;
    rl_emit_text(f, &r->project, &r->diags, false, false);
}

static void test_text_report(void **state)
{
    (void)state;
    report r;
    report_init(&r);
    char *got = capture(emit_text_cb, &r);
    const char *want =
        "a\\x1b.py:2:2: RL201 [warning] `m` reloaded \"here\"\n"
        "  |\n"
        "2 |     importlib.reload(m)  # x\n"
        "  |     ^^^^^^^^^^^^^^^^^^^ RL201\n"
        "  |\n"
        "  = help: do the other thing\n"
        "  = note: b.py:1:5: see also\n"
        "\n"
        "Found 1 finding (1 warning) in 1 file; 2 files with errors.\n";
    assert_string_equal(got, want);
    free(got);
    report_release(&r);
}

static void emit_errors_cb(FILE *f, void *arg)
{
    report *r = arg;
    rl_emit_text_errors(f, &r->project, false);
}

static void test_text_errors(void **state)
{
    (void)state;
    report r;
    report_init(&r);
    char *got = capture(emit_errors_cb, &r);
    assert_string_equal(got, "b.py: error: syntax error at line 3\n"
                             "c.py: error: cannot read: Permission denied\n");
    free(got);
    report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_plain_and_specials),
        cmocka_unit_test(test_json_control_chars),
        cmocka_unit_test(test_json_utf8),
        cmocka_unit_test(test_utf8_count),
        cmocka_unit_test(test_text_escaping),
        cmocka_unit_test(test_source_line),
        cmocka_unit_test(test_json_report),
        cmocka_unit_test(test_json_empty_report),
        cmocka_unit_test(test_json_statistics),
        cmocka_unit_test(test_text_report),
        cmocka_unit_test(test_text_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
