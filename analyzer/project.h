/* project.h - one run: the options, the files reached, their facts, and the
 * findings. The pipeline (run.c) reads top to bottom:
 *   discover files (and, for file PATHs, the rest of their project as context)
 *   -> per file in parallel: read, parse, extract facts, free the tree,
 *   resolve names, pair removals with imports -> module graph -> run rules on
 *   facts -> suppress, keep findings touching reported files, filter, sort
 *   -> emit. */
#ifndef RL_PROJECT_H
#define RL_PROJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "facts.h"
#include "registry.h"
#include "vec.h"

typedef enum rl_format {
    RL_FORMAT_TEXT,
    RL_FORMAT_JSON,
    RL_FORMAT_SARIF,
    RL_FORMAT_GITHUB,
} rl_format;

typedef enum rl_color { RL_COLOR_AUTO, RL_COLOR_ALWAYS, RL_COLOR_NEVER } rl_color;

typedef RL_VEC(const char *) rl_str_list;

/* One `per-file-ignores` entry of the configuration (config.h). */
typedef struct rl_per_file_ignore {
    const char *glob;     /* as written, without a leading '!' */
    bool negated;         /* "!glob": applies to the files the glob does NOT match */
    rl_rule_set rules;    /* the rules turned off in those files */
} rl_per_file_ignore;

typedef struct rl_options {
    rl_str_list paths;            /* PATH arguments; "." when none */
    rl_format format;
    const char *output;           /* NULL: stdout */
    rl_rule_set rules;            /* after --select / --ignore */
    rl_str_list roots;            /* --root */
    rl_str_list assume_reloaded;  /* --assume-reloaded */
    rl_str_list side_effect_calls;/* config `side-effect-calls`: more registering calls for RL401 */
    rl_str_list exclude;          /* --exclude globs (replace the defaults) */
    rl_str_list extend_exclude;   /* --extend-exclude globs */
    bool exit_zero;
    unsigned jobs;                /* 0: all cores */
    const char *config;           /* the configuration file read: --config FILE, or the
                                     nearest pyproject.toml with [tool.reloadlint]; NULL
                                     when none */
    const char *config_dir;       /* its folder (absolute): roots and per-file-ignores
                                     globs are relative to it */
    RL_VEC(rl_per_file_ignore) per_file_ignores; /* from the configuration */
    bool statistics;
    const char *stdin_filename;
    bool no_cache;
    const char *cache_dir;
    uint64_t max_file_size;       /* bytes; default 10 MiB */
    bool stats;
    const char *dump_model;       /* --dump-model PATH */
    const char *diff_base;
    rl_color color;
    rl_arena arena;               /* owns the strings the parser made (split globs) */
} rl_options;

/* Why a reached file is not (fully) analyzed. */
typedef enum rl_file_status {
    RL_FILE_OK,
    RL_FILE_SYNTAX_ERROR,   /* analyzed, with errors listed */
    RL_FILE_UNREADABLE,     /* exit code 2 */
    RL_FILE_TOO_LARGE,
    RL_FILE_NOT_REGULAR,    /* FIFO, device...: never opened */
    RL_FILE_BAD_ENCODING,
} rl_file_status;

typedef struct rl_file {
    const char *path;        /* as reached from the PATH arguments (display and output) */
    const char *module;      /* dotted module name, e.g. "pkg.a.b"; "__main__"-free */
    bool is_package;         /* an __init__.py */
    bool from_stdin;         /* source read from stdin (--stdin-filename) */
    bool reported;           /* asked for by the user: reached from a directory PATH, or
                                a file PATH / --stdin-filename itself. False for files of
                                the project around a file PATH that are indexed only for
                                context (SPEC "Files and scope"): their findings are kept
                                only when a related location lies in a reported file, and
                                they are neither counted in files_analyzed nor listed in
                                errors. */
    rl_file_status status;
    const char *error;       /* message for errors[] when status != OK (run arena) */
    rl_file_facts facts;     /* valid when status is OK or SYNTAX_ERROR */
    const char *source;      /* from_stdin only: the text read (run arena), kept for the
                                emitters, which re-read other files; NULL otherwise */
    uint32_t source_len;
} rl_file;

typedef struct rl_project {
    const rl_options *options;
    rl_arena arena;              /* run arena: paths, module names, messages */
    RL_VEC(rl_file) files;       /* sorted by path */
    struct rl_graph *graph;      /* the module graph (graph.h), built by rl_model_build */
    rl_arena *fact_regions;      /* one per worker: the files' facts once moved
                                    (rl_file_facts_move); freed after the files' facts */
    unsigned nfact_regions;
} rl_project;

#endif
