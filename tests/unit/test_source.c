/* test_source.c - what the parser gets from a file's bytes: BOMs, PEP 263
 * encodings decoded to UTF-8, line breaks, and the files that are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

/* Runs rl_source_check_encoding over a copy of bytes[0..n); returns the
 * status, the text (heap, or NULL) and the error (heap, or NULL). */
static rl_file_status decode(const char *bytes, size_t n, char **text, size_t *len, char **error)
{
    rl_source s = {.buf = rl_xmalloc(n + 1)};
    memcpy(s.buf, bytes, n);
    s.buf[n] = '\0';
    s.text = s.buf;
    s.len = n;
    *error = NULL;
    rl_file_status st = rl_source_check_encoding(&s, error);
    *text = st == RL_FILE_OK ? rl_xstrndup(s.text, s.len) : NULL;
    *len = st == RL_FILE_OK ? s.len : 0;
    rl_source_release(&s);
    return st;
}

static void expect_text(const char *bytes, size_t n, const char *want)
{
    char *text, *error;
    size_t len;
    assert_int_equal(decode(bytes, n, &text, &len, &error), RL_FILE_OK);
    assert_null(error);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(text, want, len);
    free(text);
}

static void expect_refused(const char *bytes, size_t n, const char *in_message)
{
    char *text, *error;
    size_t len;
    assert_int_equal(decode(bytes, n, &text, &len, &error), RL_FILE_BAD_ENCODING);
    assert_null(text);
    assert_non_null(error);
    if (!strstr(error, in_message)) fail_msg("`%s` not in `%s`", in_message, error);
    free(error);
}

#define S(lit) lit, sizeof lit - 1

static void test_utf8_and_bom(void **state)
{
    (void)state;
    expect_text(S("x = 1\n"), "x = 1\n");
    expect_text(S("\xef\xbb\xbfx = '\xc3\xa9'\n"), "x = '\xc3\xa9'\n");
    expect_text(S(""), "");
    /* invalid UTF-8 is kept: the parser copes, each bad byte one column */
    expect_text(S("x = '\xff\xc3('\n"), "x = '\xff\xc3('\n");
    expect_text(S("\xef\xbb\xbf# coding: utf-8\n"), "# coding: utf-8\n");
    expect_text(S("# -*- coding: UTF_8 -*-\ns = '\xc3\xa9'\n"), "# -*- coding: UTF_8 -*-\ns = '\xc3\xa9'\n");
}

static void test_refused(void **state)
{
    (void)state;
    expect_refused(S("\xff\xfei\x00m\x00"), "UTF-16");
    expect_refused(S("\xfe\xff\x00i\x00m"), "UTF-16");
    expect_refused(S("\xff\xfe\x00\x00i\x00\x00\x00"), "UTF-32");
    expect_refused(S("# coding: no-such-codec\ns = '\xe9'\n"), "unknown encoding `no-such-codec`");
    expect_refused(S("\xef\xbb\xbf# coding: latin-1\ns = '\xe9'\n"), "disagree");
    expect_refused(S("# coding: cp1252\ns = '\x81'\n"), "not valid `cp1252` text at byte 22");
}

static void test_pep263(void **state)
{
    (void)state;
    /* latin-1 and its spellings, decoded to UTF-8 */
    expect_text(S("# -*- coding: latin-1 -*-\ns = '\xe9\xff'\n"),
                "# -*- coding: latin-1 -*-\ns = '\xc3\xa9\xc3\xbf'\n");
    expect_text(S("#!/usr/bin/python\n# vim: set fileencoding=iso-8859-1 :\n\xe9 = 1\n"),
                "#!/usr/bin/python\n# vim: set fileencoding=iso-8859-1 :\n\xc3\xa9 = 1\n");
    expect_text(S("# coding=Latin_1\n\xe9\n"), "# coding=Latin_1\n\xc3\xa9\n");
    /* cp1252 through iconv: the euro sign and curly quotes */
    expect_text(S("# coding: cp1252\ns = '\x80\x93'\n"), "# coding: cp1252\ns = '\xe2\x82\xac\xe2\x80\x9c'\n");
    /* a declaration counts on line 2 only after a blank or comment line */
    expect_text(S("x = 1\n# coding: latin-1\ns = '\xe9'\n"), "x = 1\n# coding: latin-1\ns = '\xe9'\n");
    /* not on line 3 */
    expect_text(S("#\n#\n# coding: latin-1\n\xe9\n"), "#\n#\n# coding: latin-1\n\xe9\n");
    /* ASCII text needs no decoding whatever the name */
    expect_text(S("# coding: no-such-codec\nx = 1\n"), "# coding: no-such-codec\nx = 1\n");
    /* "coding" must be followed by ':' or '=' */
    expect_text(S("# encoding latin-1\ns = '\xe9'\n"), "# encoding latin-1\ns = '\xe9'\n");
}

static void test_line_breaks(void **state)
{
    (void)state;
    /* a lone CR is a line break for Python and editors; tree-sitter counts \n */
    expect_text(S("a = 1\rb = 2\r"), "a = 1\nb = 2\n");
    expect_text(S("a = 1\r\nb = 2\r\n"), "a = 1\r\nb = 2\r\n");
    expect_text(S("a\r\r\nb\n\rc\r"), "a\n\r\nb\n\nc\n");
    /* a declaration after a CR-only first line */
    expect_text(S("#!python\r# coding: latin-1\r\xe9\r"), "#!python\n# coding: latin-1\n\xc3\xa9\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_and_bom),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_pep263),
        cmocka_unit_test(test_line_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
