/* options.h - the command line (SPEC "Command line") -> rl_options.
 *
 * Strings in rl_options point into argv (which outlives the run) or into
 * o->arena; rl_options_release() frees what the parser allocated. */
#ifndef RL_OPTIONS_H
#define RL_OPTIONS_H

#include <stdint.h>

#include "project.h"

/* Sets the defaults: text format, all cores, 10 MiB limit, every rule
 * selected, the default --exclude globs. Call rl_options_release() later. */
void rl_options_init(rl_options *o);

/* Initializes o and parses argv into it, then (unless an informational action
 * was asked for) reads the configuration - --config FILE, or the nearest
 * pyproject.toml with [tool.reloadlint] from the current folder upwards - and
 * merges it under the command line (config.h; flags win). Returns 0 to run the
 * analysis, 1 when an informational action (--help, --version, --list-rules,
 * --explain) was printed on stdout (exit 0), or -1 after printing a usage or
 * configuration error (exit 2). Call rl_options_release() whatever it returns. */
int rl_options_parse(rl_options *o, int argc, char **argv);

/* Frees the lists and the strings the parser made; argv is not touched. */
void rl_options_release(rl_options *o);

/* Parses a byte count: digits with an optional binary suffix K, M or G
 * ("10M" = 10485760). Returns false for anything else or on overflow. */
bool rl_parse_size(const char *s, uint64_t *out);

#endif
