/* test_options.c - command-line parsing: defaults, both value spellings,
 * rule selection, exclude lists and the usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

/* Parses a NULL-terminated argument list (argv[0] is added). */
#define PARSE(o, ...) parse_args((o), (const char *[]){"reloadlint", __VA_ARGS__, NULL})

static int parse_args(rl_options *o, const char **args)
{
    int argc = 0;
    while (args[argc]) argc++;
    return rl_options_parse(o, argc, (char **)args);
}

static bool on(const rl_options *o, rl_rule_id id) { return o->rules.on[id]; }

static void test_defaults(void **state)
{
    (void)state;
    rl_options o;
    const char *args[] = {"reloadlint", NULL};
    assert_int_equal(parse_args(&o, args), 0);
    assert_int_equal(o.paths.len, 1);
    assert_string_equal(o.paths.items[0], ".");
    assert_int_equal(o.format, RL_FORMAT_TEXT);
    assert_int_equal(o.jobs, 0);
    assert_int_equal(o.max_file_size, 10u * 1024 * 1024);
    assert_int_equal(o.color, RL_COLOR_AUTO);
    assert_null(o.output);
    assert_false(o.exit_zero);
    for (int i = 0; i < RL_RULE_COUNT; i++) assert_true(o.rules.on[i]);
    /* The default skip list is in place. */
    bool venv = false;
    for (uint32_t i = 0; i < o.exclude.len; i++) venv |= strcmp(o.exclude.items[i], ".venv") == 0;
    assert_true(venv);
    assert_int_equal(o.extend_exclude.len, 0);
    rl_options_release(&o);
}

static void test_values_both_spellings(void **state)
{
    (void)state;
    rl_options o;
    assert_int_equal(PARSE(&o, "--format", "json", "--output=out.json", "-j4", "--max-file-size",
                           "2M", "--assume-reloaded", "a.b", "--assume-reloaded=c",
                           "--exit-zero", "--statistics", "--color=never", "--stats",
                           "--no-cache", "--cache-dir", "cache", "--dump-model=x.py",
                           "--diff-base", "HEAD~1", "src", "tests"),
                     0);
    assert_int_equal(o.format, RL_FORMAT_JSON);
    assert_string_equal(o.output, "out.json");
    assert_int_equal(o.jobs, 4);
    assert_int_equal(o.max_file_size, 2u * 1024 * 1024);
    assert_int_equal(o.assume_reloaded.len, 2);
    assert_string_equal(o.assume_reloaded.items[1], "c");
    assert_true(o.exit_zero);
    assert_true(o.statistics);
    assert_true(o.stats);
    assert_true(o.no_cache);
    assert_string_equal(o.cache_dir, "cache");
    assert_string_equal(o.dump_model, "x.py");
    assert_string_equal(o.diff_base, "HEAD~1");
    assert_int_equal(o.color, RL_COLOR_NEVER);
    assert_int_equal(o.paths.len, 2);
    assert_string_equal(o.paths.items[0], "src");
    assert_string_equal(o.paths.items[1], "tests");
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "-j", "8", "--format=sarif"), 0);
    assert_int_equal(o.jobs, 8);
    assert_int_equal(o.format, RL_FORMAT_SARIF); /* accepted; rl_run refuses it for now */
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "--jobs=3", "--format", "github", "--color", "always"), 0);
    assert_int_equal(o.jobs, 3);
    assert_int_equal(o.format, RL_FORMAT_GITHUB);
    assert_int_equal(o.color, RL_COLOR_ALWAYS);
    rl_options_release(&o);
}

static void test_double_dash_ends_options(void **state)
{
    (void)state;
    rl_options o;
    assert_int_equal(PARSE(&o, "--exit-zero", "--", "--format", "-"), 0);
    assert_int_equal(o.paths.len, 2);
    assert_string_equal(o.paths.items[0], "--format");
    assert_string_equal(o.paths.items[1], "-");
    rl_options_release(&o);
}

static void test_select_ignore(void **state)
{
    (void)state;
    rl_options o;
    assert_int_equal(PARSE(&o, "--select", "RL1"), 0);
    assert_true(on(&o, RL_RL101) && on(&o, RL_RL102) && on(&o, RL_RL103));
    assert_false(on(&o, RL_RL201) || on(&o, RL_RL205));
    rl_options_release(&o);

    /* --ignore applies after every --select, whatever the order. */
    assert_int_equal(PARSE(&o, "--ignore=RL201", "--select", "RL2", "--select=RL101"), 0);
    assert_true(on(&o, RL_RL101) && on(&o, RL_RL202) && on(&o, RL_RL203));
    assert_false(on(&o, RL_RL201) || on(&o, RL_RL102));
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "--select", "RL10", "--ignore", " RL102 , ,RL103,"), 0);
    assert_true(on(&o, RL_RL101));
    assert_false(on(&o, RL_RL102) || on(&o, RL_RL103) || on(&o, RL_RL201));
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "--ignore", "ALL", "--select", "RL205"), 0);
    for (int i = 0; i < RL_RULE_COUNT; i++) assert_false(o.rules.on[i]);
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "--select=ALL"), 0);
    for (int i = 0; i < RL_RULE_COUNT; i++) assert_true(o.rules.on[i]);
    rl_options_release(&o);
}

static void test_excludes(void **state)
{
    (void)state;
    rl_options o;
    assert_int_equal(PARSE(&o, "--exclude", "a, b/ ,", "--exclude=c", "--extend-exclude",
                           "gen/*,*.pb.py"),
                     0);
    assert_int_equal(o.exclude.len, 3); /* the defaults are gone */
    assert_string_equal(o.exclude.items[0], "a");
    assert_string_equal(o.exclude.items[1], "b");
    assert_string_equal(o.exclude.items[2], "c");
    assert_int_equal(o.extend_exclude.len, 2);
    assert_string_equal(o.extend_exclude.items[0], "gen/*");
    assert_string_equal(o.extend_exclude.items[1], "*.pb.py");
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "--exclude="), 0);
    assert_int_equal(o.exclude.len, 0); /* skip nothing */
    rl_options_release(&o);
}

static void test_config_and_root(void **state)
{
    (void)state;
    char dir[] = "/tmp/rl_test_options_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char file[sizeof dir + 16];
    snprintf(file, sizeof file, "%s/cfg.toml", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);

    rl_options o;
    assert_int_equal(PARSE(&o, "--config", file, "--root", dir, "--root=."), 0);
    assert_string_equal(o.config, file);
    assert_int_equal(o.roots.len, 2);
    rl_options_release(&o);

    assert_int_equal(PARSE(&o, "--config", dir), -1); /* a folder */
    rl_options_release(&o);
    assert_int_equal(PARSE(&o, "--root", file), -1); /* not a folder */
    rl_options_release(&o);

    unlink(file);
    rmdir(dir);
    assert_int_equal(PARSE(&o, "--config", file), -1); /* missing */
    rl_options_release(&o);
}

static void test_informational(void **state)
{
    (void)state;
    rl_options o;
    assert_int_equal(PARSE(&o, "--version"), 1);
    rl_options_release(&o);
    assert_int_equal(PARSE(&o, "-h"), 1);
    rl_options_release(&o);
    assert_int_equal(PARSE(&o, "--list-rules"), 1);
    rl_options_release(&o);
    assert_int_equal(PARSE(&o, "--explain", "RL201"), 1);
    rl_options_release(&o);
    assert_int_equal(PARSE(&o, "--explain=RL2"), -1); /* a prefix is not a rule */
    rl_options_release(&o);
}

static void test_usage_errors(void **state)
{
    (void)state;
    const char *bad[][4] = {
        {"--bogus", NULL},
        {"-x", NULL},
        {"--format", NULL},
        {"--format", "xml", NULL},
        {"--color=sometimes", NULL},
        {"-j", NULL},
        {"-jfour", NULL},
        {"--jobs", "-1", NULL},
        {"--jobs", "99999", NULL},
        {"--max-file-size", "0", NULL},
        {"--max-file-size", "10X", NULL},
        {"--max-file-size", "5G", NULL}, /* over 4 GiB */
        {"--max-file-size", "99999999999999999999999", NULL},
        {"--select", "RL999", NULL},
        {"--ignore", "RL101,BOGUS", NULL},
        {"--select", "--ignore", "RL1", NULL}, /* missing value, not a rule named --ignore */
        {"--exit-zero=yes", NULL},
        {"--output=", NULL},
        {"--stdin-filename", "x.py", "a", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *args[6] = {"reloadlint"};
        for (int k = 0; k < 4 && bad[i][k]; k++) args[k + 1] = bad[i][k];
        if (i == sizeof bad / sizeof *bad - 1) args[4] = "b"; /* two PATHs */
        rl_options o;
        int rc = parse_args(&o, args);
        if (rc != -1) fail_msg("expected a usage error for `%s`", bad[i][0]);
        rl_options_release(&o);
    }
    rl_options o;
    assert_int_equal(PARSE(&o, "--stdin-filename", "x.py", "a"), 0); /* one PATH is fine */
    rl_options_release(&o);
}

static void test_assume_reloaded(void **state)
{
    (void)state;
    rl_options o;
    /* Repeatable and comma-separated; blanks trimmed; order kept. */
    assert_int_equal(PARSE(&o, "--assume-reloaded", "pkg.config, app.*", "--assume-reloaded=m",
                           "--assume-reloaded", "_priv.x_2,"),
                     0);
    assert_int_equal(o.assume_reloaded.len, 4);
    assert_string_equal(o.assume_reloaded.items[0], "pkg.config");
    assert_string_equal(o.assume_reloaded.items[1], "app.*");
    assert_string_equal(o.assume_reloaded.items[2], "m");
    assert_string_equal(o.assume_reloaded.items[3], "_priv.x_2");
    rl_options_release(&o);

    const char *bad[] = {"", " , ", "*", ".*", "pkg.", ".pkg", "a..b", "pkg*", "pkg.*.a",
                         "pkg/", "pkg/a", "1st", "a.2b", "a-b", "a b", "ok,bad-one"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *args[] = {"reloadlint", "--assume-reloaded", bad[i], NULL};
        if (parse_args(&o, args) != -1)
            fail_msg("expected a usage error for --assume-reloaded `%s`", bad[i]);
        rl_options_release(&o);
    }
}

static void test_parse_size(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(rl_parse_size("123", &v));
    assert_int_equal(v, 123);
    assert_true(rl_parse_size("4k", &v));
    assert_int_equal(v, 4096);
    assert_true(rl_parse_size("10M", &v));
    assert_int_equal(v, 10u * 1024 * 1024);
    assert_true(rl_parse_size("1G", &v));
    assert_int_equal(v, 1024u * 1024 * 1024);
    assert_false(rl_parse_size("", &v));
    assert_false(rl_parse_size("M", &v));
    assert_false(rl_parse_size("-1", &v));
    assert_false(rl_parse_size("1.5M", &v));
    assert_false(rl_parse_size("1MB", &v));
    assert_false(rl_parse_size("18446744073709551615G", &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values_both_spellings),
        cmocka_unit_test(test_double_dash_ends_options),
        cmocka_unit_test(test_select_ignore),
        cmocka_unit_test(test_excludes),
        cmocka_unit_test(test_config_and_root),
        cmocka_unit_test(test_informational),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_assume_reloaded),
        cmocka_unit_test(test_parse_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
