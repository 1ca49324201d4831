/* registry.h - the one table of rules.
 *
 * RL_RULES lists every rule once: code, C identifier. It drives the rule id
 * enum here, the dispatch table and --list-rules / --explain (registry.c), and
 * the README table. Each rule lives in rules/<identifier>.c, which defines
 * `const rl_rule rl_rule_<identifier>` with its documentation and check.
 *
 * How to add a rule: add one RL_RULES line, write rules/<identifier>.c (doc
 * first, then a short check function), add fixtures/<CODE>/ with positive and
 * negative cases and an expected.txt. */
#ifndef RL_REGISTRY_H
#define RL_REGISTRY_H

#include <stdbool.h>

#define RL_RULES(X)                              \
    X(RL101, sys_modules_delete)                 \
    X(RL102, reimport_after_delete)              \
    X(RL103, sys_modules_replace)                \
    X(RL201, reload_call)                        \
    X(RL202, reload_of_removed_module)           \
    X(RL203, deprecated_reload)                  \
    X(RL204, reload_skips_submodules)            \
    X(RL205, reload_of_special_module)           \
    X(RL301, stale_from_import)                  \
    X(RL302, stale_alias)                        \
    X(RL303, stale_star_import)                  \
    X(RL304, stale_class_identity)               \
    X(RL305, reload_masks_removed_name)          \
    X(RL401, reload_repeats_side_effects)        \
    X(RL402, reload_resets_state)

typedef enum rl_rule_id {
#define RL_RULE_ENUM(code, ident) RL_##code,
    RL_RULES(RL_RULE_ENUM)
#undef RL_RULE_ENUM
    RL_RULE_COUNT
} rl_rule_id;

typedef enum rl_severity {
    RL_SEV_ERROR,   /* certain runtime failure */
    RL_SEV_WARNING, /* likely bug */
    RL_SEV_NOTE,    /* worth a look */
} rl_severity;

struct rl_project;
struct rl_diags;

typedef struct rl_rule {
    const char *code;        /* "RL101" */
    const char *name;        /* kebab-case: "sys-modules-delete" */
    rl_severity severity;
    const char *summary;     /* one line: what it flags */
    const char *what;        /* What it does */
    const char *why;         /* Why is this bad? */
    const char *example;     /* Example (Python source) */
    const char *use_instead; /* Use instead (Python source), may be NULL */
    /* Appends this rule's findings for the whole project to out. */
    void (*check)(const struct rl_project *project, struct rl_diags *out);
} rl_rule;

#define RL_RULE_DECL(code, ident) extern const rl_rule rl_rule_##ident;
RL_RULES(RL_RULE_DECL)
#undef RL_RULE_DECL

/* The rule for an id; ids are dense, in code order. */
const rl_rule *rl_rule_get(rl_rule_id id);
/* The rule with this exact code ("RL101"), or NULL. */
const rl_rule *rl_rule_find(const char *code);
const char *rl_severity_name(rl_severity s);

/* Selection: a bit per rule. */
typedef struct rl_rule_set {
    bool on[RL_RULE_COUNT];
} rl_rule_set;

/* Applies a comma-separated list of codes or prefixes ("RL3", "RL101", "ALL")
 * to set with value on. Returns -1 with an error printed for an unknown code. */
int rl_rule_set_apply(rl_rule_set *set, const char *list, bool on);

#endif
