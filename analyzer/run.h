/* run.h - one run of the analyzer, top to bottom:
 *   discover files -> per file in parallel: read, parse, extract facts, free
 *   the tree -> build the model -> run the selected rules -> suppress, filter,
 *   sort -> emit. */
#ifndef RL_RUN_H
#define RL_RUN_H

#include "project.h"

/* Runs the analysis that o describes and prints the report (or the
 * --dump-model view). Returns the exit status: 0 no findings; 1 findings
 * (unless --exit-zero), or files with syntax errors or not analyzed (too
 * large, not regular, bad encoding); 2 unreadable or missing input, an
 * unsupported option value or an internal error. Owns nothing of o. */
int rl_run(const rl_options *o);

/* The message listed in errors[] for a file with syntax errors:
 * "syntax error at line 3" or "syntax errors at lines 3, 7, 12". Heap; the
 * caller frees. */
char *rl_syntax_error_message(const rl_file_facts *facts);

#endif
