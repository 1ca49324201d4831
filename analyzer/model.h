/* model.h - the import-semantics model built over every file's facts.
 *
 * Resolves names through bindings (aliases, shadowing), classifies events
 * (which container ops touch sys.modules, which calls reload or import), and
 * pairs removals with later imports/reloads on the same path (flow.c). Rules
 * query the model; they never look at syntax. */
#ifndef RL_MODEL_H
#define RL_MODEL_H

#include "project.h"

/* The per-file part of the model, run by the front end right after a file's
 * walk: classifies events through the file's bindings, drops candidate events
 * that turned out to mean nothing (a call of a local function, an operation on
 * a plain dict), then pairs removals with imports and reloads (flow.h).
 * Unless keep_all (--dump-model), it then drops what only it needed:
 * control-flow markers and function-local bindings. */
void rl_model_file(rl_file_facts *facts, const char *module, bool keep_all);

/* Builds the project-wide model over every analyzed file. Single-threaded,
 * after extraction; results are stored in the project's run arena. */
void rl_model_build(rl_project *project);

/* Frees what rl_model_build allocated outside the run arena. */
void rl_model_release(rl_project *project);

#endif
