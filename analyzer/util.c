/* util.c - allocation that aborts on failure, error helpers, string tools. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rl_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "reloadlint: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nThis is a bug in reloadlint; please report it.\n", stderr);
    abort();
}

/* Out of memory is not recoverable for a command-line analyzer: say so and
 * stop, so no caller ever has to handle NULL. */
static RL_NORETURN void out_of_memory(size_t n)
{
    fprintf(stderr, "reloadlint: error: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *rl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory(n);
    return p;
}

void *rl_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) out_of_memory(count * size);
    return p;
}

void *rl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory(n);
    return q;
}

char *rl_xstrdup(const char *s) { return rl_xstrndup(s, strlen(s)); }

char *rl_xstrndup(const char *s, size_t n)
{
    char *p = rl_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Prints "reloadlint: LEVEL: " and the message with its control characters
 * escaped (rl_strbuf_add_escaped): messages quote paths, codes and values
 * from the analyzed tree and its configuration, which must not reach a
 * terminal raw. */
static void print_message(const char *level, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    char *text = small;
    if (n >= (int)sizeof small) {
        text = rl_xmalloc((size_t)n + 1);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    }
    rl_strbuf sb = {0};
    rl_strbuf_adds(&sb, "reloadlint: ");
    rl_strbuf_adds(&sb, level);
    rl_strbuf_adds(&sb, ": ");
    if (n > 0) rl_strbuf_add_escaped(&sb, text, (size_t)n);
    rl_strbuf_addc(&sb, '\n');
    if (text != small) free(text);
    fflush(stdout); /* keep stdout/stderr interleaving readable on a terminal */
    fwrite(sb.data, 1, sb.len, stderr);
    rl_strbuf_release(&sb);
}

int rl_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_message("error", fmt, ap);
    va_end(ap);
    return -1;
}

void rl_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_message("warning", fmt, ap);
    va_end(ap);
}

/* ---- rl_strbuf ---------------------------------------------------------- */

static void strbuf_reserve(rl_strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1; /* +1: the terminating NUL */
    if (need <= sb->cap) return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need) cap *= 2;
    sb->data = rl_xrealloc(sb->data, cap);
    sb->cap = cap;
}

void rl_strbuf_addn(rl_strbuf *sb, const char *s, size_t n)
{
    strbuf_reserve(sb, n);
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void rl_strbuf_adds(rl_strbuf *sb, const char *s) { rl_strbuf_addn(sb, s, strlen(s)); }

void rl_strbuf_addc(rl_strbuf *sb, char c) { rl_strbuf_addn(sb, &c, 1); }

void rl_strbuf_addf(rl_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) RL_BUG("vsnprintf failed for format \"%s\"", fmt);
    if ((size_t)n < sizeof small) {
        rl_strbuf_addn(sb, small, (size_t)n);
        return;
    }
    strbuf_reserve(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void rl_strbuf_release(rl_strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

char *rl_strbuf_detach(rl_strbuf *sb)
{
    char *s = sb->data ? sb->data : rl_xstrdup("");
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

/* ---- strings -------------------------------------------------------------- */

bool rl_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool rl_str_ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

size_t rl_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) return 0;
    unsigned char c = u[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        if (cp) *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (u[i] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and values past U+10FFFF are invalid. */
    if (v < min || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return 0;
    if (cp) *cp = v;
    return len;
}

uint32_t rl_utf8_count(const char *s, size_t n)
{
    uint32_t count = 0;
    size_t i = 0;
    /* columns are counted for every fact: ASCII runs eight bytes at a time */
    while (i + 8 <= n) {
        uint64_t word;
        memcpy(&word, s + i, 8);
        if (word & 0x8080808080808080ull) break;
        i += 8;
        count += 8;
    }
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) { /* the tail of an ASCII run */
            i++;
            count++;
            continue;
        }
        size_t k = rl_utf8_decode(s + i, n - i, NULL);
        i += k ? k : 1; /* an invalid byte is one character */
        count++;
    }
    return count;
}

static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

static bool is_line_separator(uint32_t cp) { return cp == 0x2028 || cp == 0x2029 || cp == 0x85; }

void rl_strbuf_add_escaped(rl_strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            char esc[5] = {'\\', 'x', hex[c >> 4], hex[c & 15], 0};
            rl_strbuf_adds(sb, esc);
            i++;
            continue;
        }
        if (c < 0x80) {
            rl_strbuf_addc(sb, (char)c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = rl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            char esc[5] = {'\\', 'x', hex[c >> 4], hex[c & 15], 0};
            rl_strbuf_adds(sb, esc);
            i++;
        } else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp) || is_line_separator(cp)) {
            rl_strbuf_addf(sb, "\\u{%04x}", cp);
            i += k;
        } else {
            rl_strbuf_addn(sb, s + i, k);
            i += k;
        }
    }
}
