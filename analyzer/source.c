/* source.c - reading sources. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
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
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        s->text += 3;
        s->len -= 3;
    }
    return RL_FILE_OK;
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
