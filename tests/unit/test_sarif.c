/* test_sarif.c - building blocks of the SARIF and GitHub emitters: URI
 * encoding and relative URIs, fingerprints, workflow-command escaping, and the
 * shape of both reports for a small project. tests/check_sarif.py checks the
 * real binary's SARIF against the schema. */
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

/* ---- URIs ------------------------------------------------------------------------ */

static char *encoded(const char *s)
{
    rl_strbuf sb = {0};
    rl_uri_append_path(&sb, s, strlen(s));
    rl_strbuf_addc(&sb, 0);
    return rl_strbuf_detach(&sb);
}

#define ASSERT_ENCODED(input, want)              \
    do {                                         \
        char *got_ = encoded(input);             \
        assert_string_equal(got_, (want));       \
        free(got_);                              \
    } while (0)

static void test_uri_encoding(void **state)
{
    (void)state;
    ASSERT_ENCODED("pkg/a_b-c.d~e.py", "pkg/a_b-c.d~e.py");
    ASSERT_ENCODED("sp ace#1%?.py", "sp%20ace%231%25%3F.py");
    ASSERT_ENCODED("a,b:c;d@e+f&g=h'i(j)k!l$m*n",
                   "a%2Cb%3Ac%3Bd%40e%2Bf%26g%3Dh%27i%28j%29k%21l%24m%2An");
    ASSERT_ENCODED("caf\xc3\xa9.py", "caf%C3%A9.py");
    ASSERT_ENCODED("new\nline\r.py", "new%0Aline%0D.py");
    ASSERT_ENCODED("bad\xff.py", "bad%FF.py");
    ASSERT_ENCODED("back\\slash", "back%5Cslash");
}

static char *uri_of(const char *path, const char *cwd, bool *relative)
{
    rl_strbuf sb = {0};
    *relative = rl_sarif_append_uri(&sb, path, cwd);
    rl_strbuf_addc(&sb, 0);
    return rl_strbuf_detach(&sb);
}

#define ASSERT_URI(path, cwd, want, want_relative)       \
    do {                                                 \
        bool rel_;                                       \
        char *got_ = uri_of((path), (cwd), &rel_);       \
        assert_string_equal(got_, (want));               \
        assert_int_equal(rel_, (want_relative));         \
        free(got_);                                      \
    } while (0)

static void test_sarif_uri(void **state)
{
    (void)state;
    ASSERT_URI("pkg/a.py", "/w", "pkg/a.py", true);
    ASSERT_URI("./pkg//./a.py", "/w", "pkg/a.py", true);
    ASSERT_URI("sub dir/a#b.py", "/w/x", "sub%20dir/a%23b.py", true);
    ASSERT_URI("/w/x/a b.py", "/w/x", "a%20b.py", true);
    ASSERT_URI("x/../y/a.py", "/w", "y/a.py", true);
    /* outside the working directory: absolute file URIs */
    ASSERT_URI("../o/a.py", "/w/x", "file:///w/o/a.py", false);
    ASSERT_URI("/w/xy/a.py", "/w/x", "file:///w/xy/a.py", false); /* not under /w/x */
    ASSERT_URI("a/../../../b.py", "/w", "file:///b.py", false);      /* never above / */
    ASSERT_URI("/elsewhere/\xc3\xa9 %.py", "/w", "file:///elsewhere/%C3%A9%20%25.py", false);
    /* the working directory is / */
    ASSERT_URI("a.py", "", "a.py", true);
    ASSERT_URI("/tmp/a.py", "", "tmp/a.py", true);
    /* unknown working directory: the path as reached */
    ASSERT_URI("a b.py", NULL, "a%20b.py", true);
}

/* ---- fingerprints ----------------------------------------------------------------- */

static void fp(char out[17], const char *module, const char *symbol, const char *line)
{
    rl_sarif_fingerprint(out, "RL301", module, symbol, "cfg", line, line ? strlen(line) : 0);
}

static void test_fingerprint(void **state)
{
    (void)state;
    char a[17], b[17];
    fp(a, "m", "f", "from cfg import f");
    assert_int_equal(strlen(a), 16);
    assert_int_equal(strspn(a, "0123456789abcdef"), 16);

    /* white space trimmed and collapsed */
    fp(b, "m", "f", "   from  cfg\timport   f \r");
    assert_string_equal(a, b);
    fp(b, "m", "f", "\tfrom cfg import f");
    assert_string_equal(a, b);

    /* the line text, the names and the rule all count */
    fp(b, "m", "f", "from cfg import f, g");
    assert_string_not_equal(a, b);
    fp(b, "m", "g", "from cfg import f");
    assert_string_not_equal(a, b);
    fp(b, "n", "f", "from cfg import f");
    assert_string_not_equal(a, b);
    fp(b, "m", "f", "fromcfg import f");
    assert_string_not_equal(a, b);
    rl_sarif_fingerprint(b, "RL302", "m", "f", "cfg", "from cfg import f", 17);
    assert_string_not_equal(a, b);

    /* fields are delimited: ("ab", "c") is not ("a", "bc"), NULL is not "" */
    fp(a, "ab", "c", "x");
    fp(b, "a", "bc", "x");
    assert_string_not_equal(a, b);
    fp(a, "m", NULL, "x");
    fp(b, "m", "", "x");
    assert_string_not_equal(a, b);

    /* no source line (file gone): still a value */
    fp(a, "m", "f", NULL);
    assert_int_equal(strlen(a), 16);
}

static void test_truncation(void **state)
{
    (void)state;
    rl_strbuf sb = {0};
    rl_sarif_append_truncated(&sb, "short", 1024);
    assert_string_equal(sb.data, "short");
    sb.len = 0;
    rl_sarif_append_truncated(&sb, "abcdefgh", 8);
    assert_string_equal(sb.data, "abcdefgh");
    sb.len = 0;
    rl_sarif_append_truncated(&sb, "abcdefghi", 8);
    assert_string_equal(sb.data, "abcde...");
    sb.len = 0;
    /* "ab" + U+20AC (3 bytes) + "cd": a cut inside the euro sign drops it whole */
    rl_sarif_append_truncated(&sb, "ab\xe2\x82\xac" "cdefgh", 7);
    assert_string_equal(sb.data, "ab...");
    sb.len = 0;
    rl_sarif_append_truncated(&sb, "ab\xe2\x82\xac" "cdefgh", 8);
    assert_string_equal(sb.data, "ab\xe2\x82\xac...");
    assert_int_equal(sb.len, 8);
    rl_strbuf_release(&sb);
}

/* ---- GitHub escaping --------------------------------------------------------------- */

static char *gh(const char *s, bool property)
{
    rl_strbuf sb = {0};
    rl_github_append_escaped(&sb, s, strlen(s), property);
    rl_strbuf_addc(&sb, 0);
    return rl_strbuf_detach(&sb);
}

static void test_github_escaping(void **state)
{
    (void)state;
    char *s = gh("100% a\r\nb: c, d", false);
    assert_string_equal(s, "100%25 a%0D%0Ab: c, d");
    free(s);
    s = gh("100% a\r\nb: c, d", true);
    assert_string_equal(s, "100%25 a%0D%0Ab%3A c%2C d");
    free(s);
    s = gh("caf\xc3\xa9 \xff", true);
    assert_string_equal(s, "caf\xc3\xa9 \xef\xbf\xbd");
    free(s);
    s = gh("::error::x", false); /* cannot start a command mid-line; kept as data */
    assert_string_equal(s, "::error::x");
    free(s);
}

/* ---- whole reports ----------------------------------------------------------------- */

typedef struct report {
    rl_project project;
    rl_diags diags;
} report;

static const char src[] = "import importlib\n\timportlib.reload(m)  # x\nimport sys  # noqa\n";

static void report_init(report *r)
{
    memset(r, 0, sizeof *r);
    r->diags.arena = &r->project.arena;
    rl_file a = {
        .path = "a, b:%.py", .module = "a", .status = RL_FILE_OK, .from_stdin = true,
        .reported = true, .source = src, .source_len = sizeof src - 1,
    };
    rl_file b = {.path = "b.py", .module = "b", .status = RL_FILE_SYNTAX_ERROR,
                 .reported = true, .error = "syntax error at line 3"};
    rl_vec_push(&b.facts.syntax_errors, ((rl_syntax_error){3, 1}));
    rl_file c = {.path = "c\n.py", .module = "c", .status = RL_FILE_UNREADABLE,
                 .reported = true, .error = "cannot read: Permission denied"};
    rl_file ctx = {.path = "ctx.py", .module = "ctx", .status = RL_FILE_UNREADABLE,
                   .reported = false, .error = "context files are not listed"};
    rl_vec_push(&r->project.files, a);
    rl_vec_push(&r->project.files, b);
    rl_vec_push(&r->project.files, c);
    rl_vec_push(&r->project.files, ctx);
    rl_diag *d = rl_diag_add(&r->diags, RL_RL201, 0, (rl_span){2, 2, 2, 21},
                             "`m` reloaded \"here\" [1]\n100%");
    d->module = "a";
    d->target = "m";
    rl_diag_add_related(&r->diags, d, 1, (rl_span){1, 5, 1, 9}, "see [also]");
    d = rl_diag_add(&r->diags, RL_RL203, 0, (rl_span){3, 1, 3, 11}, "suppressed one");
    d->suppressed = true;
    d = rl_diag_add(&r->diags, RL_RL103, 1, (rl_span){1, 1, 2, 4}, "a note");
}

static void report_release(report *r)
{
    for (uint32_t i = 0; i < r->project.files.len; i++)
        rl_file_facts_release(&r->project.files.items[i].facts);
    rl_vec_release(&r->project.files);
    rl_vec_release(&r->diags.items);
    rl_arena_release(&r->project.arena);
}

static void emit_github_cb(FILE *f, void *arg)
{
    report *r = arg;
    rl_emit_github(f, &r->project, &r->diags);
}

static void test_github_report(void **state)
{
    (void)state;
    report r;
    report_init(&r);
    char *got = capture(emit_github_cb, &r);
    const char *want =
        "::error file=b.py,line=3::syntax error at line 3\n"
        "::error file=c%0A.py::cannot read: Permission denied\n"
        "::warning file=a%2C b%3A%25.py,line=2,endLine=2,col=2,endColumn=21,"
        "title=reloadlint (RL201)::`m` reloaded \"here\" [1]%0A100%25\n"
        "::notice file=b.py,line=1,endLine=2,col=1,endColumn=4,title=reloadlint (RL103)::a note\n";
    assert_string_equal(got, want);
    free(got);
    report_release(&r);
}

static void emit_sarif_cb(FILE *f, void *arg)
{
    report *r = arg;
    rl_emit_sarif(f, &r->project, &r->diags);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing from the SARIF log: %s", needle);
}

static void test_sarif_report(void **state)
{
    (void)state;
    report r;
    report_init(&r);
    char *got = capture(emit_sarif_cb, &r);
    assert_contains(got, "\"version\": \"2.1.0\"");
    assert_contains(got, "\"columnKind\": \"unicodeCodePoints\"");
    assert_contains(got, "\"%SRCROOT%\": {\n");
    /* ruleIndex is the registry position */
    assert_contains(got, "\"ruleId\": \"RL201\",\n          \"ruleIndex\": 3,\n"
                         "          \"level\": \"warning\"");
    assert_contains(got, "\"ruleId\": \"RL103\",\n          \"ruleIndex\": 2,\n"
                         "          \"level\": \"note\"");
    /* the message links the related location; brackets escaped */
    assert_contains(got, "\"text\": \"`m` reloaded \\\"here\\\" \\\\[1\\\\]\\n100%. "
                         "See [see \\\\[also\\\\]](1)\"");
    assert_contains(got, "\"id\": 1,");
    assert_contains(got, "\"uri\": \"a%2C%20b%3A%25.py\",\n");
    assert_contains(got, "\"uriBaseId\": \"%SRCROOT%\"");
    assert_contains(got, "\"startLine\": 2,\n"
                         "                  \"startColumn\": 2,\n"
                         "                  \"endLine\": 2,\n"
                         "                  \"endColumn\": 21\n");
    /* the suppressed finding is a result, with its suppression */
    assert_contains(got, "\"ruleId\": \"RL203\"");
    assert_contains(got, "\"suppressions\": [\n"
                         "            {\n"
                         "              \"kind\": \"inSource\"\n");
    assert_null(strstr(strstr(got, "\"suppressions\"") + 1, "\"suppressions\""));
    /* notifications: reported files only; unreadable -> error, exit 2 -> not successful */
    assert_contains(got, "\"executionSuccessful\": false");
    assert_contains(got, "\"level\": \"error\",\n              \"message\": {\n"
                         "                \"text\": \"cannot read: Permission denied\"");
    assert_contains(got, "\"uri\": \"c%0A.py\"");
    assert_contains(got, "\"level\": \"warning\",\n              \"message\": {\n"
                         "                \"text\": \"syntax error at line 3\"");
    assert_null(strstr(got, "context files are not listed"));
    /* the fingerprint hashes the normalized line 2 of the stdin source */
    char hex[17], want[64];
    const char line[] = "importlib.reload(m) # x";
    rl_sarif_fingerprint(hex, "RL201", "a", NULL, "m", line, sizeof line - 1);
    snprintf(want, sizeof want, "\"reloadlint/v1\": \"%s:1\"", hex);
    assert_contains(got, want);
    /* every rule of the registry */
    assert_contains(got, "\"id\": \"RL101\"");
    assert_contains(got, "\"markdown\": \"## What it does\\n\\n");
    assert_contains(got, "```python\\n");
    free(got);
    report_release(&r);
}

/* Two findings with the same hash in one file: occurrence 1 and 2. */
static void test_sarif_duplicate_fingerprints(void **state)
{
    (void)state;
    report r;
    memset(&r, 0, sizeof r);
    r.diags.arena = &r.project.arena;
    static const char twice[] = "del sys.modules['x']\n  del sys.modules['x']\n";
    rl_file a = {.path = "a.py", .module = "a", .status = RL_FILE_OK, .from_stdin = true,
                 .reported = true, .source = twice, .source_len = sizeof twice - 1};
    rl_vec_push(&r.project.files, a);
    rl_diag_add(&r.diags, RL_RL101, 0, (rl_span){1, 1, 1, 21}, "removed");
    rl_diag_add(&r.diags, RL_RL101, 0, (rl_span){2, 3, 2, 23}, "removed");
    char *got = capture(emit_sarif_cb, &r);
    const char *one = strstr(got, ":1\"");
    const char *two = strstr(got, ":2\"");
    assert_non_null(one);
    assert_non_null(two);
    assert_memory_equal(one - 16, two - 16, 16);
    assert_contains(got, "\"executionSuccessful\": true");
    assert_null(strstr(got, "toolExecutionNotifications"));
    free(got);
    report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_encoding),
        cmocka_unit_test(test_sarif_uri),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_github_escaping),
        cmocka_unit_test(test_github_report),
        cmocka_unit_test(test_sarif_report),
        cmocka_unit_test(test_sarif_duplicate_fingerprints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
