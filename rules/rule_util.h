/* rule_util.h - the few helpers every rule file shares: iterating judged
 * events, naming sys.modules keys in messages, and filling a finding's
 * module/target fields. Rules read facts only, never syntax. */
#ifndef RL_RULE_UTIL_H
#define RL_RULE_UTIL_H

#include "project.h"

/* Calls fn(project, file index, event index, out) for every event of every analyzed file. */
typedef void (*rl_event_fn)(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out);
void rl_for_each_event(const rl_project *p, rl_diags *out, rl_event_fn fn);

/* "`foo`", "modules starting with `pkg`", "every module", "an entry": what a
 * removal or replacement names, for messages. Run-arena owned. */
const char *rl_describe_keys(rl_diags *out, const rl_event *e);

/* The single literal key of e, or NULL. */
const char *rl_single_literal_key(const rl_event *e);

/* Adds a finding at e's span with the file's module filled in. */
rl_diag *rl_report(rl_diags *out, rl_rule_id rule, const rl_project *p, uint32_t file,
                   const rl_event *e, const char *message);

/* True for the reload functions: importlib.reload, imp.reload, builtin reload. */
bool rl_is_reload(const rl_event *e);

/* How the reload function was reached, for messages: "importlib.reload". */
const char *rl_reload_function_name(const rl_event *e);

/* ---- stale-binding rules (RL204, RL3xx) ---- */

struct rl_graph;

/* Adds one related location per reload site of module (graph id). */
void rl_add_reload_sites(rl_diags *out, rl_diag *d, const rl_project *p, uint32_t module);

/* " (--assume-reloaded)" when the module is reloaded only by assumption, else "". */
const char *rl_assumed_note(const rl_project *p, uint32_t module);

/* "function", "class", "object", "value": what an origin kind re-creates. */
const char *rl_origin_word(int origin_kind);

/* True when scope is the module or a class body not nested in a function:
 * code that runs once, at import time. */
bool rl_scope_runs_at_import(const rl_file_facts *f, uint32_t scope);

#endif
