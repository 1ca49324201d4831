/* history.c - --diff-base REV: the names reloaded modules lost since REV. See history.h. */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "extract.h"
#include "graph.h"
#include "resolve.h"
#include "util.h"

/* 'text' for sh, with embedded quotes escaped. */
static void quote(rl_strbuf *sb, const char *s)
{
    rl_strbuf_addc(sb, '\'');
    for (; *s; s++) {
        if (*s == '\'') rl_strbuf_adds(sb, "'\\''");
        else rl_strbuf_addc(sb, *s);
    }
    rl_strbuf_addc(sb, '\'');
}

/* Runs the shell command; its stdout in *out (malloc'd, NUL-terminated) when
 * out is not NULL. Returns the exit status (-1 when it could not run). */
static int run(const char *cmd, char **out, size_t *len)
{
    fflush(NULL);
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    rl_strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (out) rl_strbuf_addn(&sb, buf, n);
    int st = pclose(f);
    int code = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (out) {
        rl_strbuf_addc(&sb, 0);
        *len = sb.len - 1;
        *out = sb.data;
    } else {
        rl_strbuf_release(&sb);
    }
    return code;
}

/* The folder of path ("." when it has none); path itself when it is one. */
static char *folder_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return rl_xstrdup(path);
    const char *slash = strrchr(path, '/');
    if (!slash) return rl_xstrdup(".");
    if (slash == path) return rl_xstrdup("/");
    char *d = rl_xmalloc((size_t)(slash - path) + 1);
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = 0;
    return d;
}

static int git_ok(const char *dir, const char *args_then_quoted, const char *quoted_arg)
{
    rl_strbuf cmd = {0};
    rl_strbuf_adds(&cmd, "git -C ");
    quote(&cmd, dir);
    rl_strbuf_addc(&cmd, ' ');
    rl_strbuf_adds(&cmd, args_then_quoted);
    if (quoted_arg) quote(&cmd, quoted_arg);
    rl_strbuf_adds(&cmd, " >/dev/null 2>&1");
    rl_strbuf_addc(&cmd, 0);
    int rc = run(cmd.data, NULL, NULL);
    rl_strbuf_release(&cmd);
    return rc;
}

int rl_history_check(const rl_options *o)
{
    const char *rev = o->diff_base;
    if (!rev || !*rev) return rl_error("--diff-base needs a git revision (e.g. HEAD)");
    char *dir = folder_of(o->stdin_filename ? o->stdin_filename : o->paths.len ? o->paths.items[0] : ".");
    int rc = git_ok(dir, "rev-parse --is-inside-work-tree", NULL);
    if (rc != 0) {
        int r = rc == 127 || rc < 0
            ? rl_error("--diff-base %s: cannot run `git` (is it installed and on PATH?)", rev)
            : rl_error("--diff-base %s: `%s` is not inside a git work tree", rev, dir);
        free(dir);
        return r;
    }
    char *spec = rl_xmalloc(strlen(rev) + 10);
    sprintf(spec, "%s^{commit}", rev);
    rc = rev[0] == '-' ? 1 : git_ok(dir, "rev-parse --verify --quiet ", spec);
    free(spec);
    free(dir);
    if (rc != 0) return rl_error("--diff-base: unknown git revision `%s`", rev);
    return 0;
}

static bool bound_now(const rl_file_facts *f, const char *name)
{
    uint32_t count, first = rl_bindings_of(f, 0, name, &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (b->kind != RL_BIND_DELETE && !(b->flags & RL_BINDING_TYPE_CHECKING)) return true;
    }
    first = rl_bindings_of(f, 0, RL_PSEUDO_GLOBAL, &count);
    for (uint32_t k = 0; k < count; k++) {
        const rl_binding *b = &f->bindings.items[f->binding_index[first + k]];
        if (b->value && strcmp(b->value, name) == 0) return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names old binds at module level that cur does not, sorted, unique. */
static void removed_names(rl_project *p, const rl_file_facts *old, const rl_file_facts *cur, rl_module *m)
{
    RL_VEC(const char *) names = {0};
    for (uint32_t i = 0; i < old->bindings.len; i++) {
        const rl_binding *b = &old->bindings.items[i];
        if (b->scope != 0 || b->kind == RL_BIND_DELETE || (b->flags & RL_BINDING_TYPE_CHECKING)) continue;
        const char *name = b->name;
        if (strcmp(name, RL_PSEUDO_GLOBAL) == 0) name = b->value;
        if (!name || name[0] == '<' || strcmp(name, "*") == 0 || bound_now(cur, name)) continue;
        rl_vec_push(&names, name);
    }
    if (names.len) qsort(names.items, names.len, sizeof(char *), cmp_str);
    uint32_t n = 0;
    for (uint32_t i = 0; i < names.len; i++)
        if (n == 0 || strcmp(names.items[n - 1], names.items[i]) != 0) names.items[n++] = names.items[i];
    if (n) {
        m->removed = rl_arena_alloc(&p->arena, sizeof(char *) * n);
        for (uint32_t i = 0; i < n; i++) m->removed[i] = rl_arena_strdup(&p->arena, names.items[i]);
        m->nremoved = n;
    }
    rl_vec_release(&names);
}

void rl_history_load(rl_project *p)
{
    const char *rev = p->options->diff_base;
    rl_graph *g = p->graph;
    if (!rev || !g) return;
    for (uint32_t i = 0; i < g->modules.len; i++) {
        rl_module *m = &g->modules.items[i];
        if (m->file == RL_NONE || !rl_module_reloaded(m)) continue;
        const rl_file *file = &p->files.items[m->file];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        char *dir = folder_of(file->path);
        const char *slash = strrchr(file->path, '/');
        const char *base = slash ? slash + 1 : file->path;
        rl_strbuf cmd = {0}, spec = {0};
        rl_strbuf_adds(&spec, rev);
        rl_strbuf_adds(&spec, ":./");
        rl_strbuf_adds(&spec, base);
        rl_strbuf_addc(&spec, 0);
        rl_strbuf_adds(&cmd, "git -C ");
        quote(&cmd, dir);
        rl_strbuf_adds(&cmd, " show ");
        quote(&cmd, spec.data);
        rl_strbuf_adds(&cmd, " 2>/dev/null");
        rl_strbuf_addc(&cmd, 0);
        char *src = NULL;
        size_t len = 0;
        int rc = run(cmd.data, &src, &len);
        rl_strbuf_release(&cmd);
        rl_strbuf_release(&spec);
        free(dir);
        if (rc == 0 && len < (size_t)UINT32_MAX) {
            const char *text = src;
            if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3, len -= 3;
            rl_file_facts old = {0};
            rl_extract_input in = {.src = text, .len = (uint32_t)len, .module = m->name, .is_package = file->is_package};
            rl_extract(&old, &in);
            if (!old.parse_timed_out) removed_names(p, &old, &file->facts, m);
            rl_file_facts_release(&old);
        }
        free(src);
    }
}
