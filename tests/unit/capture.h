/* capture.h - what code under test writes, as a string, for the unit tests
 * that check messages and reports. Include after <cmocka.h>. */
#ifndef RL_TEST_CAPTURE_H
#define RL_TEST_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* stderr goes to a temporary file between capture_begin() and capture_end(),
 * which returns what was written (heap; the caller frees). */
static int saved_stderr = -1;
static FILE *capture_file;

static inline void capture_begin(void)
{
    fflush(stderr);
    capture_file = tmpfile();
    assert_non_null(capture_file);
    saved_stderr = dup(2);
    assert_true(saved_stderr >= 0);
    assert_true(dup2(fileno(capture_file), 2) >= 0);
}

static inline char *capture_end(void)
{
    fflush(stderr);
    assert_true(dup2(saved_stderr, 2) >= 0);
    close(saved_stderr);
    long n = ftell(capture_file);
    char *out = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
    rewind(capture_file);
    if (n > 0) assert_int_equal(fread(out, 1, (size_t)n, capture_file), (size_t)n);
    fclose(capture_file);
    return out;
}

/* What emit(f, arg) writes to a stream (heap; the caller frees). */
static inline char *capture(void (*emit)(FILE *, void *), void *arg)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    emit(f, arg);
    long n = ftell(f);
    rewind(f);
    char *buf = calloc(1, (size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

#endif
