/* history.h - --diff-base REV (RL305): what each reloaded module bound at a
 * git revision and binds no more.
 *
 * `git` runs as a subprocess (no libgit2): `git -C DIR show REV:./FILE` for
 * each reloaded module with source; the old text goes through the same front
 * end (rl_extract) and its module-level names are compared with the current
 * facts. A file that did not exist at REV has no removed names. */
#ifndef RL_HISTORY_H
#define RL_HISTORY_H

#include "project.h"

/* Before any work: the first PATH (or ".") must lie in a git work tree and
 * REV must name a commit. Returns -1 with a clear message otherwise (the run
 * exits 2). */
int rl_history_check(const rl_options *o);

/* After rl_model_build: fills rl_module.removed of every reloaded module with
 * source (graph.h). Needs rl_extract_init(). */
void rl_history_load(rl_project *p);

#endif
