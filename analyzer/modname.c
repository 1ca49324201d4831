/* modname.c - dotted module names and --assume-reloaded patterns. */
#include "modname.h"

#include <string.h>

static bool is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/* Whether s[0..n) is identifiers joined by single dots. */
static bool valid_dotted(const char *s, size_t n)
{
    if (n == 0) return false;
    bool at_start = true; /* at the first byte of a component */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (at_start) return false; /* ".a", "a..b" */
            at_start = true;
        } else {
            if (at_start ? !is_ident_start(c) : !is_ident_char(c)) return false;
            at_start = false;
        }
    }
    return !at_start; /* "a." */
}

bool rl_is_valid_module_name(const char *name) { return valid_dotted(name, strlen(name)); }

/* The length of the package in a "pkg.*" pattern, or 0 for a plain name. */
static size_t wildcard_base_len(const char *pattern)
{
    size_t n = strlen(pattern);
    return n > 2 && pattern[n - 1] == '*' && pattern[n - 2] == '.' ? n - 2 : 0;
}

bool rl_is_valid_module_pattern(const char *pattern)
{
    size_t base = wildcard_base_len(pattern);
    return base ? valid_dotted(pattern, base) : rl_is_valid_module_name(pattern);
}

bool rl_module_matches_pattern(const char *module, const char *pattern)
{
    size_t base = wildcard_base_len(pattern);
    if (!base) return strcmp(module, pattern) == 0;
    return strncmp(module, pattern, base) == 0 && (module[base] == '\0' || module[base] == '.');
}

bool rl_module_is_within(const char *child, const char *pkg)
{
    size_t n = strlen(pkg);
    return strncmp(child, pkg, n) == 0 && (child[n] == '\0' || child[n] == '.');
}

size_t rl_module_parent_len(const char *module)
{
    const char *dot = strrchr(module, '.');
    return dot ? (size_t)(dot - module) : 0;
}

const char *rl_module_parent(rl_arena *a, const char *module)
{
    size_t n = rl_module_parent_len(module);
    return n ? rl_arena_strndup(a, module, n) : NULL;
}
