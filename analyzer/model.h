/* model.h - the import-semantics model built over every file's facts.
 *
 * Resolves names through bindings (aliases, shadowing), classifies events
 * (which container ops touch sys.modules, which calls reload or import), and
 * pairs removals with later imports/reloads on the same path (flow.c). Rules
 * query the model; they never look at syntax. */
#ifndef RL_MODEL_H
#define RL_MODEL_H

#include "project.h"

/* Builds the model for every analyzed file of the project. Single-threaded,
 * after extraction; results are stored in the project's run arena. */
void rl_model_build(rl_project *project);

#endif
