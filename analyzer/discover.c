/* discover.c - walking the PATH arguments and naming modules. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "vec.h"

/* ---- paths ---------------------------------------------------------------- */

char *rl_path_absolute(rl_arena *a, const char *cwd, const char *path)
{
    rl_strbuf sb = {0};
    /* Components are kept in sb with a leading '/', so ".." is "cut back to
     * the previous '/'", never above the root. */
    const char *parts[2] = {path[0] == '/' ? "" : cwd, path};
    for (int k = 0; k < 2; k++) {
        const char *p = parts[k];
        while (*p) {
            while (*p == '/') p++;
            const char *end = p + strcspn(p, "/");
            size_t n = (size_t)(end - p);
            if (n == 0 || (n == 1 && p[0] == '.')) {
                /* nothing */
            } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                while (sb.len > 0 && sb.data[sb.len - 1] != '/') sb.len--;
                if (sb.len > 0) sb.len--; /* the '/' itself */
                if (sb.data) sb.data[sb.len] = '\0';
            } else {
                rl_strbuf_addc(&sb, '/');
                rl_strbuf_addn(&sb, p, n);
            }
            p = end;
        }
    }
    char *out = rl_arena_strdup(a, sb.len ? sb.data : "/");
    rl_strbuf_release(&sb);
    return out;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- module names --------------------------------------------------------- */

/* Remembers which folders hold an __init__.py: files of one folder share
 * their ancestors, so each folder is checked once. Open addressing over
 * absolute folder paths. */
typedef struct init_cache {
    rl_arena *arena;
    struct init_slot { const char *dir; bool has_init; } *slots;
    uint32_t cap, len;
} init_cache;

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static bool has_init(init_cache *c, const char *dir, size_t n)
{
    if (c->len * 2 >= c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 64;
        struct init_slot *slots = rl_xcalloc(cap, sizeof *slots);
        for (uint32_t i = 0; i < c->cap; i++) {
            if (!c->slots[i].dir) continue;
            uint32_t h = hash_str(c->slots[i].dir, strlen(c->slots[i].dir)) & (cap - 1);
            while (slots[h].dir) h = (h + 1) & (cap - 1);
            slots[h] = c->slots[i];
        }
        free(c->slots);
        c->slots = slots;
        c->cap = cap;
    }
    uint32_t h = hash_str(dir, n) & (c->cap - 1);
    for (; c->slots[h].dir; h = (h + 1) & (c->cap - 1))
        if (strlen(c->slots[h].dir) == n && memcmp(c->slots[h].dir, dir, n) == 0)
            return c->slots[h].has_init;
    char *key = rl_arena_strndup(c->arena, dir, n);
    char *probe = rl_arena_printf(c->arena, "%s/__init__.py", key);
    struct stat st;
    bool yes = stat(probe, &st) == 0 && S_ISREG(st.st_mode);
    c->slots[h] = (struct init_slot){key, yes};
    c->len++;
    return yes;
}

typedef struct span_ref { const char *s; size_t n; } span_ref;
typedef RL_VEC(span_ref) span_list;

/* The file name without its extension: "b.py" -> "b", "tool" -> "tool". */
static span_ref stem_of(const char *base)
{
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return (span_ref){base, n};
}

static const char *module_name_cached(init_cache *cache, const char *cwd, const char *path,
                                      const char *const *roots, uint32_t nroots,
                                      bool *is_package)
{
    rl_arena *a = cache->arena;
    const char *abs = rl_path_absolute(a, cwd, path);
    const char *base = base_name(abs);
    bool pkg = strcmp(base, "__init__.py") == 0;
    if (is_package) *is_package = pkg;

    /* The deepest --root that holds the file. */
    const char *root = NULL;
    size_t root_len = 0;
    for (uint32_t i = 0; i < nroots; i++) {
        size_t n = strlen(roots[i]);
        if (n == 1) n = 0; /* "/" */
        if (strncmp(abs, roots[i], n) == 0 && abs[n] == '/' && (!root || n > root_len))
            root = roots[i], root_len = n;
    }

    span_list comps = {0};
    size_t dir_len = (size_t)(base - abs) - 1; /* abs[0..dir_len) is the folder */
    if (root) {
        const char *p = abs + root_len + 1;
        while (p < base) {
            const char *slash = strchr(p, '/');
            rl_vec_push(&comps, ((span_ref){p, (size_t)(slash - p)}));
            p = slash + 1;
        }
    } else {
        /* Walk up while the folder is a package; collect names innermost first. */
        size_t n = dir_len;
        while (n > 0 && has_init(cache, abs, n)) {
            size_t start = n;
            while (start > 0 && abs[start - 1] != '/') start--;
            rl_vec_push(&comps, ((span_ref){abs + start, n - start}));
            n = start - 1;
        }
        for (uint32_t i = 0; i < comps.len / 2; i++) {
            span_ref t = comps.items[i];
            comps.items[i] = comps.items[comps.len - 1 - i];
            comps.items[comps.len - 1 - i] = t;
        }
    }
    if (!pkg) rl_vec_push(&comps, stem_of(base));
    if (comps.len == 0) {
        /* An __init__.py that is its own import root (--root pointing at the
         * package folder): name it after the folder. */
        size_t start = dir_len;
        while (start > 0 && abs[start - 1] != '/') start--;
        if (dir_len > start) rl_vec_push(&comps, ((span_ref){abs + start, dir_len - start}));
        else rl_vec_push(&comps, ((span_ref){"__init__", 8}));
    }
    rl_strbuf sb = {0};
    for (uint32_t i = 0; i < comps.len; i++) {
        if (i) rl_strbuf_addc(&sb, '.');
        rl_strbuf_addn(&sb, comps.items[i].s, comps.items[i].n);
    }
    const char *name = rl_arena_strdup(a, sb.data);
    rl_strbuf_release(&sb);
    rl_vec_release(&comps);
    return name;
}

static char *current_dir(void)
{
    size_t cap = 256;
    for (;;) {
        char *buf = rl_xmalloc(cap);
        if (getcwd(buf, cap)) return buf;
        free(buf);
        if (errno != ERANGE) {
            rl_warning("cannot determine the current directory (%s); module names may be "
                       "wrong", strerror(errno));
            return rl_xstrdup("/");
        }
        cap *= 2;
    }
}

/* Absolute, normalized forms of the --root folders. */
static const char **absolute_roots(rl_arena *a, const char *cwd, const rl_str_list *roots)
{
    uint32_t n = roots ? roots->len : 0;
    const char **out = rl_arena_alloc(a, sizeof(char *) * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) out[i] = rl_path_absolute(a, cwd, roots->items[i]);
    return out;
}

const char *rl_module_name(rl_arena *a, const char *path, const rl_str_list *roots,
                           bool *is_package)
{
    char *cwd = current_dir();
    init_cache cache = {.arena = a};
    const char **abs_roots = absolute_roots(a, cwd, roots);
    const char *name = module_name_cached(&cache, cwd, path, abs_roots, roots ? roots->len : 0,
                                          is_package);
    free(cache.slots);
    free(cwd);
    return name;
}

/* ---- exclusion -------------------------------------------------------------- */

static bool glob_list_matches(const rl_str_list *globs, const char *name, const char *path,
                              const char *rel_path)
{
    for (uint32_t i = 0; i < globs->len; i++) {
        const char *g = globs->items[i];
        if (fnmatch(g, name, 0) == 0 || fnmatch(g, path, 0) == 0 ||
            (rel_path && fnmatch(g, rel_path, 0) == 0))
            return true;
    }
    return false;
}

bool rl_discover_excluded(const rl_options *o, const char *name, const char *path,
                          const char *rel_path)
{
    return glob_list_matches(&o->exclude, name, path, rel_path) ||
           glob_list_matches(&o->extend_exclude, name, path, rel_path);
}

/* ---- the walk ------------------------------------------------------------------ */

typedef struct found {
    const char *path;      /* display path (run arena) */
    rl_file_status status;
    const char *error;     /* run arena, NULL when OK */
    bool has_id;           /* dev/ino known: used to drop files reached twice */
    bool via_symlink;      /* reached through a symlink: the real path is preferred */
    bool reported;         /* asked for by the user (see rl_file.reported) */
    bool from_stdin;       /* the --stdin-filename file */
    dev_t dev;
    ino_t ino;
    uint32_t seq;          /* order reached: the first one reached is kept */
} found;

typedef struct walker {
    rl_project *project;
    const rl_options *o;
    const char *cwd;        /* absolute; file PATHs are placed in their project from it */
    RL_VEC(found) found;
    const char *arg_prefix; /* display prefix of the PATH argument being walked */
    const char *walk_real;  /* the folder being walked, symlinks resolved (realpath): a
                               symlink met inside it is followed only when its target
                               lies inside too; NULL when unknown */
    const char *walk_shown; /* that folder as shown in messages ("." or "src") */
    bool reported;          /* what the walk in progress reaches is reported (false while
                               indexing the project around a file PATH, for context) */
    rl_str_list projects;   /* absolute roots of the projects indexed so far (run arena) */
} walker;

static found *add_found(walker *w, const char *path, rl_file_status status, const char *error,
                        const struct stat *st)
{
    found f = {
        .path = path,
        .status = status,
        .error = error,
        .has_id = st != NULL,
        .reported = w->reported,
        .dev = st ? st->st_dev : 0,
        .ino = st ? st->st_ino : 0,
        .seq = w->found.len,
    };
    rl_vec_push(&w->found, f);
    return rl_vec_last(&w->found);
}

static const char *file_type_name(mode_t m)
{
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISSOCK(m)) return "a socket";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISDIR(m)) return "a directory";
    return "not a regular file";
}

/* Whether the real path of the symlink at path (whose target exists) lies
 * inside the folder being walked. Symlinks out of a PATH argument are not
 * followed: the tree a user names is the tree analyzed. */
static bool link_stays_inside(const walker *w, const char *path)
{
    if (!w->walk_real) return true;
    char *real = realpath(path, NULL);
    if (!real) return false;
    size_t n = strlen(w->walk_real);
    bool inside = strcmp(w->walk_real, "/") == 0 ||
                  (strncmp(real, w->walk_real, n) == 0 && (real[n] == '/' || real[n] == '\0'));
    free(real);
    return inside;
}

/* A file to analyze, after following symlinks: regular files are queued,
 * anything else is listed as an error and never opened. */
static void add_file(walker *w, const char *path, const struct stat *st, bool via_symlink)
{
    rl_arena *a = &w->project->arena;
    found *f;
    if (S_ISREG(st->st_mode))
        f = add_found(w, path, RL_FILE_OK, NULL, st);
    else
        f = add_found(w, path, RL_FILE_NOT_REGULAR,
                      rl_arena_printf(a, "not a regular file (%s); not read",
                                      file_type_name(st->st_mode)),
                      st);
    f->via_symlink = via_symlink;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* prefix: the display prefix of children ("" for ".", else "dir/"). */
static void walk_dir(walker *w, const char *fs_path, const char *prefix, unsigned depth)
{
    rl_arena *a = &w->project->arena;
    if (depth > 256) {
        add_found(w, fs_path, RL_FILE_UNREADABLE,
                  "folder nesting deeper than 256 levels; not walked", NULL);
        return;
    }
    DIR *dir = opendir(fs_path);
    if (!dir) {
        add_found(w, fs_path, RL_FILE_UNREADABLE,
                  rl_arena_printf(a, "cannot read folder: %s", strerror(errno)), NULL);
        return;
    }
    /* Names first, then sort: readdir order is file-system dependent. */
    RL_VEC(char *) names = {0};
    struct dirent *de;
    for (;;) {
        errno = 0;
        de = readdir(dir);
        if (!de) break;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        /* The type rides in front of the name so both sort together. */
        size_t n = strlen(de->d_name);
        char *entry = rl_xmalloc(n + 2);
        memcpy(entry, de->d_name, n + 1);
        entry[n + 1] = (char)de->d_type;
        rl_vec_push(&names, entry);
    }
    int read_errno = errno;
    closedir(dir);
    if (read_errno)
        add_found(w, fs_path, RL_FILE_UNREADABLE,
                  rl_arena_printf(a, "error while reading folder: %s", strerror(read_errno)),
                  NULL);
    qsort(names.items, names.len, sizeof(char *), cmp_str_ptr);

    size_t arg_len = strlen(w->arg_prefix);
    for (uint32_t i = 0; i < names.len; i++) {
        const char *name = names.items[i];
        unsigned char d_type = (unsigned char)name[strlen(name) + 1];
        char *path = rl_arena_printf(a, "%s%s", prefix, name);
        const char *rel = strlen(path) > arg_len ? path + arg_len : NULL;
        bool py = rl_str_ends_with(name, ".py");
        struct stat st;
        bool is_dir = d_type == DT_DIR, is_link = d_type == DT_LNK;
        if (d_type == DT_UNKNOWN) {
            if (lstat(path, &st) != 0) continue; /* vanished meanwhile */
            is_dir = S_ISDIR(st.st_mode);
            is_link = S_ISLNK(st.st_mode);
        }
        if (is_dir) {
            if (rl_discover_excluded(w->o, name, path, rel)) continue;
            walk_dir(w, path, rl_arena_printf(a, "%s/", path), depth + 1);
            continue;
        }
        if (!py) continue; /* symlinks to folders are not followed either */
        if (rl_discover_excluded(w->o, name, path, rel)) continue;
        if (stat(path, &st) != 0) {
            const char *why = is_link && errno == ENOENT ? "dangling symbolic link"
                              : errno == ELOOP               ? "symbolic link loop"
                                                             : strerror(errno);
            add_found(w, path, RL_FILE_UNREADABLE, rl_arena_printf(a, "cannot read: %s", why),
                      NULL);
            continue;
        }
        if (S_ISDIR(st.st_mode)) continue; /* a symlink to a folder named *.py */
        if (is_link && S_ISREG(st.st_mode) && !link_stays_inside(w, path)) {
            add_found(w, path, RL_FILE_NOT_REGULAR,
                      rl_arena_printf(a, "symbolic link to a file outside `%s`; not followed "
                                         "(name the file itself as a PATH to analyze it)",
                                      w->walk_shown),
                      NULL);
            continue;
        }
        add_file(w, path, &st, is_link);
    }
    for (uint32_t i = 0; i < names.len; i++) free(names.items[i]);
    rl_vec_release(&names);
}

/* ---- the project around a file PATH ------------------------------------------ */

static const char *const project_markers[] = {"pyproject.toml", "setup.py", "setup.cfg", ".git"};

/* Whether the folder abs[0..n) ("/" when n is 0) holds a project marker. Any
 * file type counts: `.git` is a file in worktrees and submodules. */
static bool holds_project_marker(const char *abs, size_t n)
{
    rl_strbuf sb = {0};
    bool found_one = false;
    for (size_t i = 0; i < sizeof project_markers / sizeof *project_markers && !found_one; i++) {
        sb.len = 0;
        rl_strbuf_addf(&sb, "%.*s/%s", (int)n, abs, project_markers[i]);
        struct stat st;
        found_one = stat(sb.data, &st) == 0;
    }
    rl_strbuf_release(&sb);
    return found_one;
}

const char *rl_project_root(rl_arena *a, const char *abs_path)
{
    const char *slash = strrchr(abs_path, '/');
    if (!slash) return NULL; /* not absolute: a caller's mistake, but no crash */
    size_t n = (size_t)(slash - abs_path); /* abs_path[0..n) is the file's folder */
    for (;;) {
        if (holds_project_marker(abs_path, n)) return n ? rl_arena_strndup(a, abs_path, n) : "/";
        if (n == 0) return NULL;
        while (n > 0 && abs_path[n - 1] != '/') n--;
        n--; /* the '/' before the last component */
    }
}

/* Number of '/'-separated components in s ("" and "/" have none). */
static unsigned component_count(const char *s)
{
    unsigned n = 0;
    for (; *s; s++)
        if (*s != '/' && (s[1] == '/' || s[1] == '\0')) n++;
    return n;
}

/* Appends abs (absolute, normalized) relative to cwd (the same), lexically:
 * nothing for cwd itself, "src/pkg" below it, "../tools" beside it. Lexical
 * ".." is safe here because cwd comes from getcwd(), which holds no symlink. */
static void add_relative(rl_strbuf *sb, const char *cwd, const char *abs)
{
    /* The longest common leading run of whole components. */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        char c = cwd[i], r = abs[i];
        bool c_end = c == '\0' || c == '/', r_end = r == '\0' || r == '/';
        if (c_end && r_end) common = i;
        if (c != r || c == '\0') break;
    }
    unsigned ups = component_count(cwd + common);
    const char *rest = abs + common;
    while (*rest == '/') rest++;
    for (unsigned i = 0; i < ups; i++) rl_strbuf_adds(sb, i + 1 < ups || *rest ? "../" : "..");
    rl_strbuf_adds(sb, rest);
}

const char *rl_project_display_prefix(rl_arena *a, const char *cwd, const char *abs_root,
                                      const char *arg)
{
    if (arg[0] == '/') return strcmp(abs_root, "/") == 0 ? "/" : rl_arena_printf(a, "%s/", abs_root);
    rl_strbuf sb = {0};
    add_relative(&sb, cwd, abs_root);
    const char *rel = sb.data ? sb.data : "";
    /* "./src/a.py" stays in its own style: "./src/b.py", not "src/b.py". */
    bool dot = arg[0] == '.' && arg[1] == '/' && !rl_str_starts_with(rel, "..");
    const char *prefix = rl_arena_printf(a, "%s%s%s", dot ? "./" : "", rel, *rel ? "/" : "");
    rl_strbuf_release(&sb);
    return prefix;
}

/* A context file of a project above the current folder was reached as
 * `../src/pkg/b.py`; inside the current folder a user knows it as
 * `pkg/b.py`, so that is how it is shown (files outside keep their `../`). */
static const char *tidy_context_path(rl_arena *a, const char *cwd, const char *path)
{
    if (!rl_str_starts_with(path, "../")) return path;
    rl_strbuf sb = {0};
    add_relative(&sb, cwd, rl_path_absolute(a, cwd, path));
    const char *out = rl_arena_strdup(a, sb.data ? sb.data : path);
    rl_strbuf_release(&sb);
    return out;
}

/* Walks the folder that display prefix names ("" or "./": the current folder),
 * children displayed as prefix + name. */
static void walk_prefixed(walker *w, const char *prefix)
{
    rl_arena *a = &w->project->arena;
    size_t n = strlen(prefix);
    const char *fs_path = n == 0 || strcmp(prefix, "./") == 0 ? "."
                          : n == 1                            ? "/" /* prefix "/" */
                                                              : rl_arena_strndup(a, prefix, n - 1);
    w->arg_prefix = prefix;
    w->walk_shown = n == 0 ? "." : n == 1 ? "/" : rl_arena_strndup(a, prefix, n - 1);
    char *real = realpath(fs_path, NULL);
    w->walk_real = real ? rl_arena_strdup(a, real) : NULL;
    free(real);
    walk_dir(w, fs_path, prefix, 0);
    w->walk_real = NULL;
}

static bool project_seen(const walker *w, const char *abs_dir)
{
    for (uint32_t i = 0; i < w->projects.len; i++)
        if (strcmp(w->projects.items[i], abs_dir) == 0) return true;
    return false;
}

/* A file PATH (or --stdin-filename) at arg: every Python file of the project
 * holding it is indexed for context (not reported), so that the module graph
 * sees the modules a changed file can make stale. Each project is walked once;
 * no project marker above the file: only the file itself is analyzed. */
static void index_project_of(walker *w, const char *arg)
{
    rl_arena *a = &w->project->arena;
    const char *root = rl_project_root(a, rl_path_absolute(a, w->cwd, arg));
    if (!root || project_seen(w, root)) return;
    rl_vec_push(&w->projects, root);
    bool reported = w->reported;
    w->reported = false;
    walk_prefixed(w, rl_project_display_prefix(a, w->cwd, root, arg));
    w->reported = reported;
}

/* One PATH argument: a file is always taken (whatever its name), a folder is
 * walked even if an exclude glob matches it. */
static void walk_arg(walker *w, const char *arg)
{
    rl_arena *a = &w->project->arena;
    struct stat st;
    if (stat(arg, &st) != 0) {
        const char *why = errno == ENOENT || errno == ENOTDIR
                              ? "no such file or directory"
                              : rl_arena_printf(a, "cannot access: %s", strerror(errno));
        add_found(w, rl_arena_strdup(a, arg), RL_FILE_UNREADABLE, why, NULL);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        struct stat lst;
        bool link = lstat(arg, &lst) == 0 && S_ISLNK(lst.st_mode);
        add_file(w, rl_arena_strdup(a, arg), &st, link);
        index_project_of(w, arg);
        return;
    }
    /* "." and "./" list children as `sub/x.py`; "dir/" and "dir" as `dir/x.py`. */
    size_t n = strlen(arg);
    while (n > 1 && arg[n - 1] == '/') n--;
    const char *prefix;
    if ((n == 1 && arg[0] == '.') || (n == 2 && arg[0] == '.' && arg[1] == '/'))
        prefix = "";
    else if (n == 1 && arg[0] == '/')
        prefix = "/";
    else
        prefix = rl_arena_printf(a, "%.*s/", (int)n, arg);
    /* A folder walked whole is a project a file PATH need not walk again. */
    rl_vec_push(&w->projects, rl_path_absolute(a, w->cwd, arg));
    walk_prefixed(w, prefix);
}

/* --stdin-filename PATH: one file whose source is read later from stdin, plus
 * the project around PATH. Its device and inode (when PATH exists) let the
 * copy met by the project walk be dropped in favour of this one. */
static void add_stdin_file(walker *w, const char *path)
{
    rl_arena *a = &w->project->arena;
    struct stat st;
    bool on_disk = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    found *f = add_found(w, rl_arena_strdup(a, path), RL_FILE_OK, NULL, on_disk ? &st : NULL);
    f->from_stdin = true;
    index_project_of(w, path);
}

static int cmp_found_id(const void *pa, const void *pb)
{
    const found *a = pa, *b = pb;
    if (a->has_id != b->has_id) return a->has_id ? -1 : 1;
    if (a->has_id) {
        if (a->dev != b->dev) return a->dev < b->dev ? -1 : 1;
        if (a->ino != b->ino) return a->ino < b->ino ? -1 : 1;
        /* The copy the user named (and the stdin one) beats a context copy. */
        if (a->from_stdin != b->from_stdin) return a->from_stdin ? -1 : 1;
        if (a->reported != b->reported) return a->reported ? -1 : 1;
        if (a->via_symlink != b->via_symlink) return a->via_symlink ? 1 : -1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_found_path(const void *pa, const void *pb)
{
    const found *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    return c ? c : (a->seq < b->seq ? -1 : a->seq > b->seq);
}

void rl_discover(rl_project *project, const rl_options *o)
{
    char *cwd = current_dir();
    walker w = {.project = project, .o = o, .cwd = cwd, .arg_prefix = "", .reported = true};
    rl_arena *a = &project->arena;
    if (o->stdin_filename) {
        add_stdin_file(&w, o->stdin_filename);
    } else {
        for (uint32_t i = 0; i < o->paths.len; i++) walk_arg(&w, o->paths.items[i]);
    }

    /* Drop files reached twice (overlapping PATHs, symlinks to files, a file
     * PATH met again by its project walk): keep the stdin or user-named copy,
     * else one reached without a symlink, else the one reached first. */
    qsort(w.found.items, w.found.len, sizeof(found), cmp_found_id);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < w.found.len; i++) {
        found *f = &w.found.items[i];
        if (kept > 0) {
            found *prev = &w.found.items[kept - 1];
            if (f->has_id && prev->has_id && f->dev == prev->dev && f->ino == prev->ino)
                continue;
        }
        w.found.items[kept++] = *f;
    }
    w.found.len = kept;
    for (uint32_t i = 0; i < w.found.len; i++)
        if (!w.found.items[i].reported)
            w.found.items[i].path = tidy_context_path(a, cwd, w.found.items[i].path);
    qsort(w.found.items, w.found.len, sizeof(found), cmp_found_path);

    init_cache cache = {.arena = a};
    const char **roots = absolute_roots(a, cwd, &o->roots);
    for (uint32_t i = 0; i < w.found.len; i++) {
        const found *f = &w.found.items[i];
        /* The same missing PATH given twice is one error. */
        if (i > 0 && strcmp(f->path, w.found.items[i - 1].path) == 0) {
            rl_vec_last(&project->files)->reported |= f->reported;
            continue;
        }
        rl_file file = {
            .path = f->path,
            .from_stdin = f->from_stdin,
            .reported = f->reported,
            .status = f->status,
            .error = f->error,
        };
        file.module = module_name_cached(&cache, cwd, f->path, roots, o->roots.len,
                                         &file.is_package);
        rl_vec_push(&project->files, file);
    }
    free(cache.slots);
    free(cwd);
    rl_vec_release(&w.found);
    rl_vec_release(&w.projects);
}
