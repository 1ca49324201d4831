/* source.c - reading sources. */
#include "source.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char *heap_printf(const char *fmt, ...) RL_PRINTF(1, 2);
static char *heap_printf(const char *fmt, ...)
{
    rl_strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap); /* messages here are short */
    va_end(ap);
    rl_strbuf_adds(&sb, tmp);
    return rl_strbuf_detach(&sb);
}

char *rl_human_size(uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) return heap_printf("%llu bytes", (unsigned long long)bytes);
    double v = (double)bytes / 1024.0;
    int u = 0;
    while (v >= 1024.0 && u < 3) v /= 1024.0, u++;
    return heap_printf("%.1f %s", v, units[u]);
}

/* size: the file's size, or 0 when unknown (a stream read up to the limit). */
static rl_file_status too_large(uint64_t size, uint64_t max_size, char **error)
{
    char *limit = rl_human_size(max_size);
    if (size) {
        char *have = rl_human_size(size);
        *error = heap_printf("file is %s (%llu bytes), over the limit of %s (%llu bytes); not "
                             "analyzed (raise the limit with --max-file-size)",
                             have, (unsigned long long)size, limit, (unsigned long long)max_size);
        free(have);
    } else {
        *error = heap_printf("input is over the limit of %s (%llu bytes); not analyzed (raise "
                             "the limit with --max-file-size)",
                             limit, (unsigned long long)max_size);
    }
    free(limit);
    return RL_FILE_TOO_LARGE;
}

void rl_source_release(rl_source *s)
{
    free(s->buf);
    s->buf = NULL;
    s->text = NULL;
    s->len = 0;
}

/* ---- PEP 263 -------------------------------------------------------------- */

/* The encoding that a `# -*- coding: NAME -*-` comment declares in line[0..n)
 * (one line, without its newline), as Python's tokenizer finds it:
 * `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`. Returns the name's length (0:
 * none) and sets *name. */
static size_t coding_in_line(const char *line, size_t n, const char **name)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) i++;
    if (i == n || line[i] != '#') return 0;
    for (; i + 7 <= n; i++) {
        if (memcmp(line + i, "coding", 6) != 0 || (line[i + 6] != ':' && line[i + 6] != '='))
            continue;
        size_t k = i + 7;
        while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
        size_t start = k;
        while (k < n && (isalnum((unsigned char)line[k]) || line[k] == '-' || line[k] == '_' ||
                         line[k] == '.'))
            k++;
        if (k > start) {
            *name = line + start;
            return k - start;
        }
    }
    return 0;
}

/* Whether line[0..n) is blank or only a comment (so a declaration on the
 * next line still counts). */
static bool blank_or_comment(const char *line, size_t n)
{
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f' || line[i] == '\r')) i++;
    return i == n || line[i] == '#';
}

/* The declared encoding of text (first or second line), or 0 with *line_no 0. */
static size_t declared_coding(const char *text, size_t len, const char **name, int *line_no)
{
    const char *p = text, *end = text + len;
    *line_no = 0;
    for (int line = 1; line <= 2 && p < end; line++) {
        const char *nl = p;
        while (nl < end && *nl != '\n' && *nl != '\r') nl++;
        size_t n = coding_in_line(p, (size_t)(nl - p), name);
        if (n) {
            *line_no = line;
            return n;
        }
        if (!blank_or_comment(p, (size_t)(nl - p))) break;
        p = nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n' ? nl + 2 : nl + 1;
    }
    return 0;
}

/* Python's normalization of an encoding name: lower case, '_' as '-'. */
static void normal_name(const char *name, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = name[i] == '_' ? '-' : (char)tolower((unsigned char)name[i]);
    out[k] = '\0';
}

static bool is_name_or_variant(const char *name, const char *base)
{
    size_t n = strlen(base);
    return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '-');
}

/* Replaces s's text by its UTF-8 form decoded from Latin-1 (every byte is
 * the code point of the same value). */
static void decode_latin1(rl_source *s)
{
    size_t extra = 0;
    for (size_t i = 0; i < s->len; i++) extra += (unsigned char)s->text[i] >= 0x80;
    char *buf = rl_xmalloc(s->len + extra + 1), *o = buf;
    for (size_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->text[i];
        if (c < 0x80) {
            *o++ = (char)c;
        } else {
            *o++ = (char)(0xC0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *o = '\0';
    free(s->buf);
    *s = (rl_source){.text = buf, .len = (size_t)(o - buf), .buf = buf};
}

/* Replaces s's text by its UTF-8 form decoded from the encoding iconv calls
 * name. Returns 0, or -1 when iconv does not know name (*bad_name set) or
 * the text is not valid in it (*bad_offset set to the byte offset). */
static int decode_iconv(rl_source *s, const char *name, bool *bad_name, size_t *bad_offset)
{
    /* Python's spellings that glibc's iconv does not know */
    static const char *const aliases[][2] = {
        {"mac-roman", "MACINTOSH"}, {"macroman", "MACINTOSH"}, {"iso2022-jp", "ISO-2022-JP"},
        {"iso2022-jp-2", "ISO-2022-JP-2"}, {"iso2022-kr", "ISO-2022-KR"}, {"cp65001", "UTF-8"},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcmp(name, aliases[i][0]) == 0) name = aliases[i][1];
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) {
        *bad_name = true;
        return -1;
    }
    size_t cap = s->len * 2 + 16, used = 0;
    char *buf = rl_xmalloc(cap + 1);
    char *in = (char *)s->text;
    size_t in_left = s->len;
    int rc = 0;
    while (in_left > 0) {
        char *out = buf + used;
        size_t out_left = cap - used;
        size_t r = iconv(cd, &in, &in_left, &out, &out_left);
        used = (size_t)(out - buf);
        if (r != (size_t)-1) continue;
        if (errno == E2BIG) {
            cap *= 2;
            buf = rl_xrealloc(buf, cap + 1);
            continue;
        }
        *bad_offset = (size_t)(in - s->text); /* EILSEQ, EINVAL: invalid or cut short */
        rc = -1;
        break;
    }
    iconv_close(cd);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[used] = '\0';
    free(s->buf);
    *s = (rl_source){.text = buf, .len = used, .buf = buf};
    return 0;
}

static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* PEP 263: a source that declares another encoding than UTF-8 is decoded to
 * UTF-8, so that columns count its characters. */
static rl_file_status decode_declared(rl_source *s, bool had_bom, char **error)
{
    const char *name;
    int line;
    size_t n = declared_coding(s->text, s->len, &name, &line);
    if (!n) return RL_FILE_OK;
    char norm[64];
    normal_name(name, n, norm, sizeof norm);
    if (is_name_or_variant(norm, "utf-8") || strcmp(norm, "utf8") == 0) return RL_FILE_OK;
    if (had_bom) {
        *error = heap_printf("a UTF-8 byte order mark and a `%s` encoding declaration on line %d "
                             "disagree; not analyzed",
                             norm, line);
        rl_source_release(s);
        return RL_FILE_BAD_ENCODING;
    }
    /* ASCII is the same in every encoding Python accepts for source files. */
    if (all_ascii(s->text, s->len)) return RL_FILE_OK;
    if (is_name_or_variant(norm, "latin-1") || is_name_or_variant(norm, "iso-8859-1") ||
        is_name_or_variant(norm, "iso-latin-1") || strcmp(norm, "latin1") == 0) {
        decode_latin1(s);
        return RL_FILE_OK;
    }
    bool bad_name = false;
    size_t offset = 0;
    if (decode_iconv(s, norm, &bad_name, &offset) == 0) return RL_FILE_OK;
    if (bad_name)
        *error = heap_printf("unknown encoding `%s` declared on line %d; not analyzed", norm, line);
    else
        *error = heap_printf("not valid `%s` text at byte %zu (encoding declared on line %d); "
                             "not analyzed",
                             norm, offset, line);
    rl_source_release(s);
    return RL_FILE_BAD_ENCODING;
}

/* Python reads `\r` alone as a line break, as editors do; tree-sitter counts
 * only `\n`. A lone `\r` becomes `\n` (same length, so offsets hold);
 * `\r\n` stays as it is. */
static void normalize_line_breaks(rl_source *s)
{
    char *p = memchr(s->text, '\r', s->len);
    if (!p) return;
    char *end = (char *)s->text + s->len;
    for (; p && p < end; p = memchr(p + 1, '\r', (size_t)(end - p - 1)))
        if (p + 1 == end || p[1] != '\n') *p = '\n';
}

rl_file_status rl_source_check_encoding(rl_source *s, char **error)
{
    const unsigned char *u = (const unsigned char *)s->text;
    size_t n = s->len;
    const char *what = NULL;
    /* UTF-32 first: its little-endian BOM starts like UTF-16's. */
    if (n >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) ||
                   (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF)))
        what = "UTF-32";
    else if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        what = "UTF-16";
    if (what) {
        *error = heap_printf("%s source is not supported; save the file as UTF-8", what);
        rl_source_release(s);
        return RL_FILE_BAD_ENCODING;
    }
    bool bom = n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    if (bom) {
        s->text += 3;
        s->len -= 3;
    }
    rl_file_status st = decode_declared(s, bom, error);
    if (st == RL_FILE_OK && s->buf) normalize_line_breaks(s);
    return st;
}

/* Reads fd to its end into a heap buffer, stopping once more than max_size
 * bytes arrived. size_hint: the expected size (fstat), 0 if unknown. */
static rl_file_status read_all(int fd, uint64_t size_hint, uint64_t max_size, rl_source *out,
                               char **error)
{
    size_t cap = (size_t)(size_hint ? size_hint + 1 : 64 * 1024);
    size_t len = 0;
    char *buf = rl_xmalloc(cap + 1);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = rl_xrealloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR) continue;
            *error = heap_printf("cannot read: %s", strerror(errno));
            free(buf);
            return RL_FILE_UNREADABLE;
        }
        if (r == 0) break;
        len += (size_t)r;
        if (len > max_size) {
            free(buf);
            return too_large(0, max_size, error);
        }
    }
    buf[len] = '\0';
    *out = (rl_source){.text = buf, .len = len, .buf = buf};
    return rl_source_check_encoding(out, error);
}

rl_file_status rl_source_read_fd(int fd, uint64_t max_size, rl_source *out, char **error)
{
    *out = (rl_source){0};
    *error = NULL;
    struct stat st;
    uint64_t hint = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uint64_t)st.st_size > max_size)
            return too_large((uint64_t)st.st_size, max_size, error);
        hint = (uint64_t)st.st_size;
    }
    return read_all(fd, hint, max_size, out, error);
}

rl_file_status rl_source_read_file(const char *path, uint64_t max_size, rl_source *out,
                                   char **error)
{
    *out = (rl_source){0};
    *error = NULL;
    /* O_NONBLOCK: if a FIFO replaced the file since discovery, open() must
     * not wait for a writer; fstat below rejects it. No effect on files. */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *error = heap_printf("cannot read: %s", strerror(errno));
        return RL_FILE_UNREADABLE;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *error = heap_printf("cannot read: %s", strerror(errno));
        close(fd);
        return RL_FILE_UNREADABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        *error = heap_printf("not a regular file; not read");
        close(fd);
        return RL_FILE_NOT_REGULAR;
    }
    rl_file_status status;
    if ((uint64_t)st.st_size > max_size)
        status = too_large((uint64_t)st.st_size, max_size, error);
    else
        status = read_all(fd, (uint64_t)st.st_size, max_size, out, error);
    close(fd);
    return status;
}
