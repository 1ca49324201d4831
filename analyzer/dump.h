/* dump.h - --dump-model: the facts of one file as stable, readable text (a
 * debugging view, like ruff's AST printer). */
#ifndef RL_DUMP_H
#define RL_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "project.h"

/* Prints file `file` of the project: module, status, scopes, bindings,
 * events (indented by their control structure, with the fields the model
 * resolved), syntax errors and noqa comments. Strings are escaped. */
void rl_dump_file(FILE *out, const rl_project *p, uint32_t file);

#endif
