/* emit.c - what the text and JSON emitters share. */
#include "emit.h"

#include <stdlib.h>
#include <unistd.h>

uint32_t rl_files_analyzed(const rl_project *p)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->files.len; i++) {
        rl_file_status s = p->files.items[i].status;
        if (p->files.items[i].reported && (s == RL_FILE_OK || s == RL_FILE_SYNTAX_ERROR)) n++;
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
