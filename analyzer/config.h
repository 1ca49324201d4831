/* config.h - the configuration file: `[tool.reloadlint]` in pyproject.toml,
 * or a TOML file named with --config.
 *
 * Which file: --config FILE, else the nearest pyproject.toml that holds a
 * [tool.reloadlint] table, searched from the current folder upwards to the
 * file-system root (a pyproject.toml without one is passed over, as ruff does).
 * A file named pyproject.toml is read under [tool.reloadlint]; any other file
 * (reloadlint.toml, ci.toml...) holds the same keys at its top level.
 *
 * Keys: select, ignore, extend-select (codes or prefixes), per-file-ignores
 * (glob -> codes), exclude, extend-exclude (globs), roots (folders relative to
 * the file's folder), assume-reloaded (module patterns), side-effect-calls
 * (dotted call names): lists of strings; cache-dir (a folder relative to the
 * file's folder): a string. Mistakes are errors that name file:line. How the values combine with the command line is
 * options.c's business (rl_options_parse). */
#ifndef RL_CONFIG_H
#define RL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "project.h"
#include "registry.h"

typedef struct rl_config {
    const char *path;          /* the file read, as shown in messages; NULL: none */
    const char *dir;           /* its folder, absolute */
    bool found;                /* the file has a [tool.reloadlint] table (a non-pyproject
                                  file always counts) */
    bool has_select, has_exclude, has_roots, has_assume_reloaded;
    rl_str_list select;        /* codes or prefixes, validated */
    rl_str_list ignore;
    rl_str_list extend_select;
    rl_str_list exclude;       /* globs, trailing '/' removed */
    rl_str_list extend_exclude;
    rl_str_list roots;         /* absolute folders */
    rl_str_list assume_reloaded;
    rl_str_list side_effect_calls;
    RL_VEC(rl_per_file_ignore) per_file_ignores;
    const char *cache_dir;     /* absolute folder; NULL: not set */
} rl_config;

/* Reads the configuration in text (the contents of the file shown as path,
 * whose folder is the absolute dir) into c, which must be zeroed: under
 * [tool.reloadlint] when pyproject is true, else from the top level. Strings
 * are allocated in a. Returns 0, or -1 after printing
 * "reloadlint: error: PATH:LINE: ..." (TOML syntax error, unknown key with a
 * did-you-mean, wrong type, unknown rule code, invalid value). A code of the
 * SPEC's numbering that this version lacks is a warning, not an error. */
int rl_config_parse(rl_config *c, rl_arena *a, const char *path, const char *dir,
                    const char *text, uint32_t len, bool pyproject);

/* Reads the file at path (read under [tool.reloadlint] when its name is
 * pyproject.toml); cwd is the absolute current folder. Returns 0 or -1 after
 * printing an error. */
int rl_config_read(rl_config *c, rl_arena *a, const char *path, const char *cwd);

/* Looks for the nearest pyproject.toml with a [tool.reloadlint] table from the
 * absolute folder cwd upwards and reads it into c (zeroed); c->found says
 * whether one was. Paths in messages are relative to cwd ("pyproject.toml",
 * "../pyproject.toml"). Returns 0, or -1 after printing an error (a
 * pyproject.toml on the way that is not valid TOML is an error too). */
int rl_config_find(rl_config *c, rl_arena *a, const char *cwd);

/* Frees the lists (the strings belong to the arena given to the readers). */
void rl_config_release(rl_config *c);

/* Sets the rules that code[0..n) names ("RL301", a prefix "RL3", or "ALL")
 * to on in set. Returns whether it named any; prints nothing. */
bool rl_rule_set_apply_code(rl_rule_set *set, const char *code, size_t n, bool on);

/* rl_rule_set_apply_code for each item of a comma-separated list (blanks
 * around items ignored); unknown items are skipped silently (they were
 * reported when the list was first validated). */
void rl_rule_set_apply_quiet(rl_rule_set *set, const char *list, bool on);

/* Whether a per-file-ignores glob matches the file shown as path: fnmatch
 * against the path itself, its base name, and rel (its path relative to the
 * configuration folder; may be NULL). Negation ('!') is the caller's. */
bool rl_config_glob_matches(const char *glob, const char *path, const char *rel);

/* The path of the file shown as path (relative to the absolute folder cwd, or
 * absolute) relative to the absolute folder config_dir, allocated in a; NULL
 * when it lies outside, or config_dir is NULL. */
const char *rl_config_relative(rl_arena *a, const char *config_dir, const char *cwd,
                               const char *path);

/* The current folder (heap; the caller frees), or NULL with errno set. */
char *rl_current_dir(void);

/* The nearest edit-distance match for word among the configuration keys
 * (`selct` -> "select", `per_file_ignores` -> "per-file-ignores"), or NULL. */
const char *rl_config_suggest_key(const char *word);

#endif
