/* diag.h - findings ("diagnostics") as data.
 *
 * Rules append rl_diag records; suppression (# noqa), --select/--ignore and
 * sorting are post-passes over the whole list, and the emitters (text, json,
 * later sarif/github) only format. Strings are owned by the run arena. */
#ifndef RL_DIAG_H
#define RL_DIAG_H

#include <stdint.h>

#include "arena.h"
#include "facts.h"
#include "registry.h"
#include "vec.h"

typedef struct rl_related {
    uint32_t file;        /* index into rl_project.files */
    rl_span span;
    const char *message;
} rl_related;

typedef struct rl_diag {
    rl_rule_id rule;
    uint32_t file;        /* index into rl_project.files */
    rl_span span;
    const char *message;  /* fragment, no trailing period, identifiers in backticks */
    const char *help;     /* imperative one-liner, may be NULL */
    const char *module;   /* module holding the finding, may be NULL */
    const char *symbol;   /* bound or checked name, may be NULL */
    const char *target;   /* module reloaded or removed, may be NULL */
    rl_related *related;
    uint32_t nrelated;
    bool suppressed;      /* matched by # noqa: dropped from text/json, kept for sarif */
} rl_diag;

typedef struct rl_diags {
    RL_VEC(rl_diag) items;
    rl_arena *arena;      /* the run arena: owns messages and related arrays */
} rl_diags;

/* Appends a finding; returns it so the caller can fill optional fields.
 * The pointer is valid until the next rl_diag_add. */
rl_diag *rl_diag_add(rl_diags *d, rl_rule_id rule, uint32_t file, rl_span span,
                     const char *message);
/* Appends a related location to the last diag added. */
void rl_diag_add_related(rl_diags *d, rl_diag *diag, uint32_t file, rl_span span,
                         const char *message);

#endif
