/* options.c - command-line parsing.
 *
 * How to add an option: add an OPT_ id and a row to `options[]` (name,
 * metavar or NULL for a flag), handle it in apply_option(), document it in
 * the help text below and in SPEC "Command line". Both `--opt value` and
 * `--opt=value` work for every option that takes a value. */
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "modname.h"
#include "registry.h"
#include "rl_version.h"
#include "util.h"

/* Folders skipped during the walk unless named as a PATH; --exclude replaces
 * this list, --extend-exclude adds to it. */
static const char *const default_excludes[] = {
    ".git",          ".hg",         ".svn",          ".tox",        ".nox",
    ".venv",         "venv",        "__pycache__",   "node_modules", "build",
    "dist",          "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".eggs",         "*.egg-info",
};

#define RL_DEFAULT_MAX_FILE_SIZE (10u * 1024u * 1024u)
/* The front end takes a uint32_t length. */
#define RL_MAX_MAX_FILE_SIZE 0xFFFFFFFEu
#define RL_MAX_JOBS 1024u

typedef enum opt_id {
    OPT_FORMAT, OPT_OUTPUT, OPT_SELECT, OPT_IGNORE, OPT_ROOT, OPT_ASSUME_RELOADED,
    OPT_EXIT_ZERO, OPT_JOBS, OPT_CONFIG, OPT_LIST_RULES, OPT_EXPLAIN, OPT_VERSION,
    OPT_HELP, OPT_STATISTICS, OPT_STDIN_FILENAME, OPT_NO_CACHE, OPT_CACHE_DIR,
    OPT_MAX_FILE_SIZE, OPT_STATS, OPT_DUMP_MODEL, OPT_DIFF_BASE, OPT_EXCLUDE,
    OPT_EXTEND_EXCLUDE, OPT_COLOR,
} opt_id;

typedef struct opt_def {
    const char *name;    /* without the leading "--" */
    opt_id id;
    const char *metavar; /* NULL: a flag that takes no value */
} opt_def;

static const opt_def options[] = {
    {"format", OPT_FORMAT, "FORMAT"},
    {"output", OPT_OUTPUT, "FILE"},
    {"select", OPT_SELECT, "CODES"},
    {"ignore", OPT_IGNORE, "CODES"},
    {"root", OPT_ROOT, "DIR"},
    {"assume-reloaded", OPT_ASSUME_RELOADED, "MODULE"},
    {"exit-zero", OPT_EXIT_ZERO, NULL},
    {"jobs", OPT_JOBS, "N"},
    {"config", OPT_CONFIG, "FILE"},
    {"list-rules", OPT_LIST_RULES, NULL},
    {"explain", OPT_EXPLAIN, "CODE"},
    {"version", OPT_VERSION, NULL},
    {"help", OPT_HELP, NULL},
    {"statistics", OPT_STATISTICS, NULL},
    {"stdin-filename", OPT_STDIN_FILENAME, "PATH"},
    {"no-cache", OPT_NO_CACHE, NULL},
    {"cache-dir", OPT_CACHE_DIR, "DIR"},
    {"max-file-size", OPT_MAX_FILE_SIZE, "BYTES"},
    {"stats", OPT_STATS, NULL},
    {"dump-model", OPT_DUMP_MODEL, "PATH"},
    {"diff-base", OPT_DIFF_BASE, "REV"},
    {"exclude", OPT_EXCLUDE, "GLOBS"},
    {"extend-exclude", OPT_EXTEND_EXCLUDE, "GLOBS"},
    {"color", OPT_COLOR, "WHEN"},
};

static const char help_text[] =
    "reloadlint: find risky Python module-reload patterns\n"
    "\n"
    "Usage: reloadlint [OPTIONS] [PATH]...\n"
    "\n"
    "Arguments:\n"
    "  [PATH]...  Files or directories to analyze [default: .]. For a file, the\n"
    "             rest of its project (nearest folder with pyproject.toml,\n"
    "             setup.py, setup.cfg or .git) is read as context, and only\n"
    "             findings that touch the given files are reported\n"
    "\n"
    "Rule selection:\n"
    "      --select <CODES>          Enable only these rules: comma-separated codes or\n"
    "                                prefixes (RL101,RL3) or ALL [default: ALL]\n"
    "      --ignore <CODES>          Disable these rules (codes or prefixes)\n"
    "      --list-rules              List every rule and exit\n"
    "      --explain <CODE>          Show the documentation of a rule and exit\n"
    "      --assume-reloaded <MODULE>\n"
    "                                Treat MODULE as reloaded (impact analysis of a hot\n"
    "                                reload): a dotted name, or `pkg.*` for a package\n"
    "                                and everything below it; comma-separated,\n"
    "                                repeatable\n"
    "\n"
    "File selection:\n"
    "      --root <DIR>              Import root that module names are relative to;\n"
    "                                repeatable [default: first folder without\n"
    "                                __init__.py above each file]\n"
    "      --exclude <GLOBS>         Comma-separated globs of files and folders to skip,\n"
    "                                replacing the default list (.git, .venv, venv,\n"
    "                                __pycache__, node_modules, build, dist, ...)\n"
    "      --extend-exclude <GLOBS>  Globs to skip in addition to the default list\n"
    "      --max-file-size <BYTES>   Larger files are listed as errors, not parsed;\n"
    "                                suffixes K, M, G allowed [default: 10M]\n"
    "      --stdin-filename <PATH>   Read the source of PATH from standard input\n"
    "\n"
    "Output:\n"
    "      --format <FORMAT>         text, json, sarif or github [default: text]\n"
    "      --output <FILE>           Write the report to FILE [default: stdout]\n"
    "      --statistics              Show counts per rule instead of the findings\n"
    "      --exit-zero               Exit with status 0 even when there are findings\n"
    "      --color <WHEN>            auto, always or never [default: auto; NO_COLOR\n"
    "                                disables auto]\n"
    "\n"
    "Execution:\n"
    "  -j, --jobs <N>                Worker threads [default: 0 = all cores]\n"
    "      --config <FILE>           Configuration file: a pyproject.toml (read under\n"
    "                                [tool.reloadlint]) or a TOML file with the keys at\n"
    "                                its top level [default: the nearest pyproject.toml\n"
    "                                with [tool.reloadlint], from the current folder up]\n"
    "      --no-cache                Do not read or write the cache of per-file facts\n"
    "      --cache-dir <DIR>         Where to keep the cache [default: cache-dir of the\n"
    "                                configuration, else $XDG_CACHE_HOME/reloadlint,\n"
    "                                else ~/.cache/reloadlint]\n"
    "      --diff-base <REV>         Git revision to compare reloaded modules against\n"
    "                                (RL305)\n"
    "\n"
    "Debugging:\n"
    "      --stats                   Print per-phase timings on stderr\n"
    "      --dump-model <PATH>       Print the facts extracted from PATH and exit\n"
    "\n"
    "  -h, --help                    Print this help and exit\n"
    "      --version                 Print the version and exit\n"
    "\n"
    "Exit status:\n"
    "  0  no findings\n"
    "  1  findings, or files with syntax errors\n"
    "  2  usage error, unreadable input or internal error\n"
    "\n"
    "Suppress a finding with `# noqa: RL301` (or a bare `# noqa`) on the reported line, or\n"
    "in a whole file with `# reloadlint: noqa: RL301` (or `# reloadlint: noqa`) on a line\n"
    "of its own.\n";

/* ---- small parsers ---------------------------------------------------------- */

static bool parse_uint(const char *s, uint64_t *out)
{
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool rl_parse_size(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    unsigned shift = 0;
    if (n > 1) {
        switch (s[n - 1]) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        default: break;
        }
    }
    char digits[32];
    size_t nd = shift ? n - 1 : n;
    if (nd == 0 || nd >= sizeof digits) return false;
    memcpy(digits, s, nd);
    digits[nd] = '\0';
    uint64_t v;
    if (!parse_uint(digits, &v)) return false;
    if (shift && v > (UINT64_MAX >> shift)) return false;
    *out = v << shift;
    return true;
}

/* Splits a comma-separated list into list (strings in the options arena),
 * trimming blanks around items and dropping blank items. For globs
 * (strip_slash) a trailing "/" is removed too ("build/" means the folder,
 * which is what a name match does anyway). */
static void split_list(rl_options *o, rl_str_list *list, const char *s, bool strip_slash)
{
    while (*s) {
        const char *end = strchr(s, ',');
        if (!end) end = s + strlen(s);
        const char *a = s, *b = end;
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
        while (strip_slash && b - a > 1 && b[-1] == '/') b--;
        if (b > a) rl_vec_push(list, rl_arena_strndup(&o->arena, a, (size_t)(b - a)));
        s = *end ? end + 1 : end;
    }
}

static void split_globs(rl_options *o, rl_str_list *list, const char *s)
{
    split_list(o, list, s, true);
}

/* ---- informational actions ---------------------------------------------- */

static void print_rule_table(FILE *out)
{
    int wcode = (int)strlen("CODE"), wname = (int)strlen("NAME"), wsev = (int)strlen("SEVERITY");
    for (int i = 0; i < RL_RULE_COUNT; i++) {
        const rl_rule *r = rl_rule_get((rl_rule_id)i);
        int n;
        if ((n = (int)strlen(r->code)) > wcode) wcode = n;
        if ((n = (int)strlen(r->name)) > wname) wname = n;
        if ((n = (int)strlen(rl_severity_name(r->severity))) > wsev) wsev = n;
    }
    fprintf(out, "%-*s  %-*s  %-*s  %s\n", wcode, "CODE", wname, "NAME", wsev, "SEVERITY",
            "SUMMARY");
    for (int i = 0; i < RL_RULE_COUNT; i++) {
        const rl_rule *r = rl_rule_get((rl_rule_id)i);
        fprintf(out, "%-*s  %-*s  %-*s  %s\n", wcode, r->code, wname, r->name, wsev,
                rl_severity_name(r->severity), r->summary ? r->summary : "");
    }
}

/* Prints text with a guaranteed final newline (docs may or may not end in one). */
static void print_block(FILE *out, const char *text)
{
    size_t n = strlen(text);
    fputs(text, out);
    if (n == 0 || text[n - 1] != '\n') fputc('\n', out);
}

static void print_code_block(FILE *out, const char *heading, const char *code)
{
    if (!code || !*code) return;
    fprintf(out, "\n## %s\n\n```python\n", heading);
    print_block(out, code);
    fputs("```\n", out);
}

/* The rule's documentation, in the order ruff uses for `ruff rule CODE`. */
static void print_rule_doc(FILE *out, const rl_rule *r)
{
    fprintf(out, "# %s (%s)\n\n", r->name, r->code);
    fprintf(out, "Severity: %s\n", rl_severity_name(r->severity));
    if (r->summary && *r->summary) fprintf(out, "Summary: %s\n", r->summary);
    if (r->what && *r->what) {
        fputs("\n## What it does\n\n", out);
        print_block(out, r->what);
    }
    if (r->why && *r->why) {
        fputs("\n## Why is this bad?\n\n", out);
        print_block(out, r->why);
    }
    print_code_block(out, "Example", r->example);
    print_code_block(out, "Use instead", r->use_instead);
}

/* ---- parsing ----------------------------------------------------------------- */

void rl_options_init(rl_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = RL_FORMAT_TEXT;
    o->jobs = 0;
    o->max_file_size = RL_DEFAULT_MAX_FILE_SIZE;
    o->color = RL_COLOR_AUTO;
    for (int i = 0; i < RL_RULE_COUNT; i++) o->rules.on[i] = true;
    for (size_t i = 0; i < sizeof default_excludes / sizeof *default_excludes; i++)
        rl_vec_push(&o->exclude, default_excludes[i]);
}

void rl_options_release(rl_options *o)
{
    rl_vec_release(&o->paths);
    rl_vec_release(&o->roots);
    rl_vec_release(&o->assume_reloaded);
    rl_vec_release(&o->side_effect_calls);
    rl_vec_release(&o->per_file_ignores);
    rl_vec_release(&o->exclude);
    rl_vec_release(&o->extend_exclude);
    rl_arena_release(&o->arena);
}

/* State that lives only while parsing. */
typedef struct parse_state {
    rl_str_list select, ignore;
    bool exclude_seen;      /* the first --exclude drops the defaults */
    bool list_rules;
    const char *explain;
} parse_state;

/* Like rl_error(), plus a pointer to --help: for mistakes in the command line. */
static int usage_error(const char *fmt, ...) RL_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("reloadlint: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nRun `reloadlint --help` for usage.\n", stderr);
    return -1;
}

/* Opens and closes path: it must exist, be readable and be a regular file.
 * O_NONBLOCK so that a FIFO given by mistake does not hang the parser. */
static int check_readable_file(const char *opt, const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return rl_error("%s `%s`: %s", opt, path, strerror(errno));
    struct stat st;
    bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    if (!regular) return rl_error("%s `%s`: not a regular file", opt, path);
    return 0;
}

static int check_directory(const char *opt, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return rl_error("%s `%s`: %s", opt, path, strerror(errno));
    if (!S_ISDIR(st.st_mode)) return rl_error("%s `%s`: not a directory", opt, path);
    return 0;
}

/* --assume-reloaded MODULE[,MODULE...]: each item (blanks around it trimmed)
 * must be a dotted module name, optionally ending in ".*"; the items are kept
 * as written, in order, in o->assume_reloaded. */
static int add_assume_reloaded(rl_options *o, const char *v)
{
    uint32_t before = o->assume_reloaded.len;
    rl_str_list items = {0};
    split_list(o, &items, v, false);
    int rc = 0;
    for (uint32_t i = 0; i < items.len && rc == 0; i++) {
        if (rl_is_valid_module_pattern(items.items[i]))
            rl_vec_push(&o->assume_reloaded, items.items[i]);
        else
            rc = usage_error("invalid module `%s` for --assume-reloaded (expected a dotted "
                             "name such as `pkg.mod`, or `pkg.*` for a package and all below "
                             "it)", items.items[i]);
    }
    if (rc == 0 && o->assume_reloaded.len == before)
        rc = usage_error("--assume-reloaded needs a module name");
    rl_vec_release(&items);
    return rc;
}

/* Returns 1 when --help/--version was printed, -1 on error, 0 otherwise. */
static int apply_option(rl_options *o, parse_state *ps, const opt_def *d, const char *v)
{
    uint64_t n;
    switch (d->id) {
    case OPT_FORMAT:
        if (strcmp(v, "text") == 0) o->format = RL_FORMAT_TEXT;
        else if (strcmp(v, "json") == 0) o->format = RL_FORMAT_JSON;
        else if (strcmp(v, "sarif") == 0) o->format = RL_FORMAT_SARIF;
        else if (strcmp(v, "github") == 0) o->format = RL_FORMAT_GITHUB;
        else
            return usage_error("invalid value `%s` for --format (expected text, json, sarif "
                               "or github)", v);
        return 0;
    case OPT_COLOR:
        if (strcmp(v, "auto") == 0) o->color = RL_COLOR_AUTO;
        else if (strcmp(v, "always") == 0) o->color = RL_COLOR_ALWAYS;
        else if (strcmp(v, "never") == 0) o->color = RL_COLOR_NEVER;
        else
            return usage_error("invalid value `%s` for --color (expected auto, always or "
                               "never)", v);
        return 0;
    case OPT_OUTPUT:
        if (!*v) return usage_error("--output needs a file name");
        o->output = v;
        return 0;
    case OPT_SELECT: rl_vec_push(&ps->select, v); return 0;
    case OPT_IGNORE: rl_vec_push(&ps->ignore, v); return 0;
    case OPT_ROOT:
        if (check_directory("--root", v) < 0) return -1;
        rl_vec_push(&o->roots, v);
        return 0;
    case OPT_ASSUME_RELOADED: return add_assume_reloaded(o, v);
    case OPT_EXIT_ZERO: o->exit_zero = true; return 0;
    case OPT_JOBS:
        if (!parse_uint(v, &n) || n > RL_MAX_JOBS)
            return usage_error("invalid value `%s` for --jobs (expected a number of threads "
                               "from 1 to 1024, or 0 for all cores)", v);
        o->jobs = (unsigned)n;
        return 0;
    case OPT_CONFIG:
        if (check_readable_file("--config", v) < 0) return -1;
        o->config = v;
        return 0;
    case OPT_LIST_RULES: ps->list_rules = true; return 0;
    case OPT_EXPLAIN: ps->explain = v; return 0;
    case OPT_VERSION: printf("reloadlint %s\n", RL_VERSION); return 1;
    case OPT_HELP: fputs(help_text, stdout); return 1;
    case OPT_STATISTICS: o->statistics = true; return 0;
    case OPT_STDIN_FILENAME:
        if (!*v) return usage_error("--stdin-filename needs a path");
        o->stdin_filename = v;
        return 0;
    case OPT_NO_CACHE: o->no_cache = true; return 0;
    case OPT_CACHE_DIR: o->cache_dir = v; return 0;
    case OPT_MAX_FILE_SIZE:
        if (!rl_parse_size(v, &n) || n == 0 || n > RL_MAX_MAX_FILE_SIZE)
            return usage_error("invalid value `%s` for --max-file-size (expected a byte count "
                               "from 1 to 4294967294, optionally with a K, M or G suffix)",
                               v);
        o->max_file_size = n;
        return 0;
    case OPT_STATS: o->stats = true; return 0;
    case OPT_DUMP_MODEL:
        if (!*v) return usage_error("--dump-model needs a path");
        o->dump_model = v;
        return 0;
    case OPT_DIFF_BASE: o->diff_base = v; return 0;
    case OPT_EXCLUDE:
        if (!ps->exclude_seen) o->exclude.len = 0; /* replaces the defaults */
        ps->exclude_seen = true;
        split_globs(o, &o->exclude, v);
        return 0;
    case OPT_EXTEND_EXCLUDE: split_globs(o, &o->extend_exclude, v); return 0;
    }
    RL_BUG("unhandled option id %d", (int)d->id);
}

static const opt_def *find_option(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        if (strlen(options[i].name) == n && memcmp(options[i].name, name, n) == 0)
            return &options[i];
    return NULL;
}

static const opt_def *option_by_id(opt_id id)
{
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        if (options[i].id == id) return &options[i];
    RL_BUG("no option with id %d", (int)id);
}

/* A following argument that is itself an option is not taken as a value:
 * `--select --ignore RL1` is a missing value, not an unknown rule `--ignore`. */
static bool looks_like_option(const char *s)
{
    return s[0] == '-' && s[1] == '-' && s[2] && find_option(s + 2, strcspn(s + 2, "=")) != NULL;
}

static int parse_args(rl_options *o, parse_state *ps, int argc, char **argv)
{
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_paths || arg[0] != '-' || arg[1] == '\0') {
            rl_vec_push(&o->paths, arg);
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_paths = true;
            continue;
        }
        const opt_def *d;
        const char *value = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2, *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            d = find_option(name, n);
            if (!d) return usage_error("unknown option `%s`", arg);
            if (eq && !d->metavar)
                return usage_error("option `--%s` takes no value (got `%s`)", d->name, eq + 1);
            if (eq) value = eq + 1;
        } else if (arg[1] == 'h' && arg[2] == '\0') {
            d = option_by_id(OPT_HELP);
        } else if (arg[1] == 'j') {
            d = option_by_id(OPT_JOBS);
            if (arg[2]) value = arg + 2; /* -j4 */
        } else {
            return usage_error("unknown option `%s`", arg);
        }
        if (d->metavar && !value) {
            if (i + 1 >= argc || looks_like_option(argv[i + 1]))
                return usage_error("option `%s` needs a value: %s", arg, d->metavar);
            value = argv[++i];
        }
        int rc = apply_option(o, ps, d, value);
        if (rc != 0) return rc;
    }
    return 0;
}

/* ---- the configuration file ------------------------------------------------ */

static void copy_list(rl_str_list *dst, const rl_str_list *src)
{
    for (uint32_t i = 0; i < src->len; i++) rl_vec_push(dst, src->items[i]);
}

/* The rules that run. A --select on the command line starts a fresh
 * selection, as in ruff: the file's select, extend-select and ignore are
 * dropped. Otherwise the file's select (default ALL), plus its extend-select,
 * minus its ignore. The command line's --ignore applies last either way. */
static void select_rules(rl_options *o, const parse_state *ps, const rl_config *c)
{
    bool cli_select = ps->select.len > 0;
    bool base = !cli_select && !c->has_select;
    for (int r = 0; r < RL_RULE_COUNT; r++) o->rules.on[r] = base;
    if (cli_select) {
        for (uint32_t i = 0; i < ps->select.len; i++)
            rl_rule_set_apply_quiet(&o->rules, ps->select.items[i], true);
    } else {
        const rl_str_list *lists[3] = {&c->select, &c->extend_select, &c->ignore};
        for (int l = 0; l < 3; l++)
            for (uint32_t i = 0; i < lists[l]->len; i++)
                rl_rule_set_apply_code(&o->rules, lists[l]->items[i], strlen(lists[l]->items[i]),
                                       l < 2);
    }
    for (uint32_t i = 0; i < ps->ignore.len; i++)
        rl_rule_set_apply_quiet(&o->rules, ps->ignore.items[i], false);
}

/* Reads --config FILE or the nearest [tool.reloadlint] and merges it under
 * the command line: a flag given there replaces the file's value (--select,
 * --exclude, --root, --assume-reloaded), --extend-exclude adds to the file's
 * extend-exclude, --cache-dir replaces cache-dir. per-file-ignores and
 * side-effect-calls exist only in the file. Strings live in o->arena. */
static int load_config(rl_options *o, const parse_state *ps)
{
    char *cwd = rl_current_dir();
    if (!cwd) return rl_error("cannot determine the current folder: %s", strerror(errno));
    rl_config c = {0};
    int rc = o->config ? rl_config_read(&c, &o->arena, o->config, cwd)
                       : rl_config_find(&c, &o->arena, cwd);
    free(cwd);
    if (rc == 0 && o->config && !c.found)
        rl_warning("%s has no [tool.reloadlint] table; using the defaults", o->config);
    if (rc == 0 && c.found) {
        o->config = c.path;
        o->config_dir = c.dir;
        if (!ps->exclude_seen && c.has_exclude) {
            o->exclude.len = 0;
            copy_list(&o->exclude, &c.exclude);
        }
        rl_str_list cli_extend = o->extend_exclude;
        o->extend_exclude = (rl_str_list){0};
        copy_list(&o->extend_exclude, &c.extend_exclude);
        copy_list(&o->extend_exclude, &cli_extend);
        rl_vec_release(&cli_extend);
        if (o->roots.len == 0) copy_list(&o->roots, &c.roots);
        if (o->assume_reloaded.len == 0) copy_list(&o->assume_reloaded, &c.assume_reloaded);
        copy_list(&o->side_effect_calls, &c.side_effect_calls);
        if (!o->cache_dir) o->cache_dir = c.cache_dir; /* --cache-dir wins */
        for (uint32_t i = 0; i < c.per_file_ignores.len; i++)
            rl_vec_push(&o->per_file_ignores, c.per_file_ignores.items[i]);
    }
    if (rc == 0) select_rules(o, ps, c.found ? &c : &(rl_config){0});
    rl_config_release(&c);
    return rc;
}

/* Checks made once every option is known. */
static int finish(rl_options *o, parse_state *ps)
{
    /* Unknown codes on the command line are reported here, once; the
     * selection itself is made with the configuration (select_rules). */
    rl_rule_set check = {{0}};
    for (uint32_t i = 0; i < ps->select.len; i++)
        if (rl_rule_set_apply(&check, ps->select.items[i], true) < 0) return -1;
    for (uint32_t i = 0; i < ps->ignore.len; i++)
        if (rl_rule_set_apply(&check, ps->ignore.items[i], false) < 0) return -1;

    if (ps->explain) {
        const rl_rule *r = rl_rule_find(ps->explain);
        if (!r)
            return rl_error("unknown rule code `%s` (run `reloadlint --list-rules` to see "
                            "every rule)", ps->explain);
        print_rule_doc(stdout, r);
        return 1;
    }
    if (ps->list_rules) {
        print_rule_table(stdout);
        return 1;
    }
    if (o->stdin_filename && o->paths.len > 1)
        return usage_error("--stdin-filename reads one file from standard input; it cannot be "
                           "combined with several PATH arguments");
    if (load_config(o, ps) < 0) return -1;
    if (o->paths.len == 0) rl_vec_push(&o->paths, ".");
    return 0;
}

int rl_options_parse(rl_options *o, int argc, char **argv)
{
    rl_options_init(o);
    parse_state ps = {0};
    int rc = parse_args(o, &ps, argc, argv);
    if (rc == 0) rc = finish(o, &ps);
    rl_vec_release(&ps.select);
    rl_vec_release(&ps.ignore);
    return rc;
}
