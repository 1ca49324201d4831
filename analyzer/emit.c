/* emit.c - what the emitters share. */
#include "emit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint32_t rl_files_analyzed(const rl_project *p)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->files.len; i++) {
        rl_file_status s = p->files.items[i].status;
        if (p->files.items[i].reported && s == RL_FILE_OK) n++;
    }
    return n;
}

bool rl_color_enabled(rl_color mode, FILE *f)
{
    if (mode == RL_COLOR_ALWAYS) return true;
    if (mode == RL_COLOR_NEVER) return false;
    const char *no_color = getenv("NO_COLOR"); /* https://no-color.org */
    if (no_color && *no_color) return false;
    return isatty(fileno(f)) == 1;
}

/* ---- source lines --------------------------------------------------------------- */

static void reader_load(rl_line_reader *lr, const rl_project *p, uint32_t file)
{
    if (lr->loaded && lr->file == file) return;
    rl_source_release(&lr->src);
    *lr = (rl_line_reader){.file = file, .loaded = true, .line = 1};
    if (file >= p->files.len) return;
    const rl_file *f = &p->files.items[file];
    if (f->from_stdin) {
        lr->ok = f->source != NULL;
        lr->text = f->source;
        lr->len = f->source_len;
        return;
    }
    char *err = NULL;
    uint64_t limit = p->options ? p->options->max_file_size : UINT32_MAX;
    if (rl_source_read_file(f->path, limit, &lr->src, &err) == RL_FILE_OK) {
        lr->ok = true;
        lr->text = lr->src.text;
        lr->len = lr->src.len;
    }
    free(err);
}

bool rl_line_reader_get(rl_line_reader *lr, const rl_project *p, uint32_t file, uint32_t line,
                        const char **start, size_t *n)
{
    reader_load(lr, p, file);
    if (!lr->ok || line == 0) return false;
    if (line < lr->line) lr->line = 1, lr->off = 0;
    while (lr->line < line) {
        const char *nl = memchr(lr->text + lr->off, '\n', lr->len - lr->off);
        if (!nl) return false;
        lr->off = (size_t)(nl - lr->text) + 1;
        lr->line++;
    }
    const char *s = lr->text + lr->off;
    const char *nl = memchr(s, '\n', lr->len - lr->off);
    size_t len = nl ? (size_t)(nl - s) : lr->len - lr->off;
    if (len && s[len - 1] == '\r') len--;
    *start = s;
    *n = len;
    return true;
}

void rl_line_reader_release(rl_line_reader *lr)
{
    rl_source_release(&lr->src);
    *lr = (rl_line_reader){0};
}
