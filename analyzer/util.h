/* util.h - allocation that never returns NULL, error helpers, small string tools.
 *
 * Allocation failure aborts (as tree-sitter's own allocator does), so callers
 * never check for NULL. rl_error() prints "reloadlint: error: ..." on stderr
 * and returns -1, so failure paths are one line: `return rl_error(...)`. */
#ifndef RL_UTIL_H
#define RL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define RL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define RL_NORETURN __attribute__((noreturn))
#else
#define RL_PRINTF(a, b)
#define RL_NORETURN
#endif

/* Abort with a message naming the broken invariant; for bugs, never for bad input. */
#define RL_BUG(...) rl_bug(__FILE__, __LINE__, __VA_ARGS__)
RL_NORETURN void rl_bug(const char *file, int line, const char *fmt, ...) RL_PRINTF(3, 4);

/* Heap allocation that aborts on failure. The caller owns the result. */
void *rl_xmalloc(size_t n);
void *rl_xcalloc(size_t count, size_t size);
void *rl_xrealloc(void *p, size_t n);
char *rl_xstrdup(const char *s);
char *rl_xstrndup(const char *s, size_t n);

/* Print "reloadlint: error: <msg>" on stderr; always returns -1. */
int rl_error(const char *fmt, ...) RL_PRINTF(1, 2);
/* Print "reloadlint: warning: <msg>" on stderr. */
void rl_warning(const char *fmt, ...) RL_PRINTF(1, 2);

/* Growable string buffer; `data` is always NUL-terminated once anything was added. */
typedef struct rl_strbuf {
    char *data;
    size_t len, cap;
} rl_strbuf;

void rl_strbuf_addn(rl_strbuf *sb, const char *s, size_t n);
void rl_strbuf_adds(rl_strbuf *sb, const char *s);
void rl_strbuf_addc(rl_strbuf *sb, char c);
void rl_strbuf_addf(rl_strbuf *sb, const char *fmt, ...) RL_PRINTF(2, 3);
void rl_strbuf_release(rl_strbuf *sb);
/* Returns the heap string and resets the buffer; the caller frees it. */
char *rl_strbuf_detach(rl_strbuf *sb);
/* Appends s[0..n) for a terminal: control characters, DEL and invalid UTF-8
 * bytes as \xNN, C1 controls, line separators and bidirectional overrides as
 * \u{XXXX}, everything else as is. Text from the analyzed tree (paths,
 * messages, configuration values) goes through this before reaching a
 * terminal, so it cannot inject escapes or fake a new line. */
void rl_strbuf_add_escaped(rl_strbuf *sb, const char *s, size_t n);

bool rl_str_starts_with(const char *s, const char *prefix);
bool rl_str_ends_with(const char *s, const char *suffix);

/* Number of Unicode code points in the first n bytes of UTF-8 text; an invalid
 * byte counts as one character, so columns stay monotonic on broken input. */
uint32_t rl_utf8_count(const char *s, size_t n);
/* Decodes one well-formed UTF-8 sequence at s (at most n bytes) into *cp (may
 * be NULL); returns its length, or 0 for an invalid or truncated sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid). */
size_t rl_utf8_decode(const char *s, size_t n, uint32_t *cp);

#endif
