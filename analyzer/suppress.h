/* suppress.h - post-passes over the findings: `# noqa` suppression, rule
 * selection and the deterministic output order. Plus the pure noqa parsers. */
#ifndef RL_SUPPRESS_H
#define RL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "project.h"

/* Finds a `# noqa` directive in the text of one comment (from its '#'):
 * "# noqa", "#noqa", "# NOQA: RL301, RL302", also after other text
 * ("# type: ignore  # noqa"). Returns false when there is none. On true,
 * *codes points at the code list after the colon (to the end of the comment,
 * *codes_len bytes), or is NULL for a bare noqa (no colon, or nothing after
 * it). Pointers are into comment. */
bool rl_noqa_parse_comment(const char *comment, size_t len, const char **codes,
                           size_t *codes_len);

/* Splits a code list as written ("RL301, RL302", "RL301 RL302") into codes:
 * each code is uppercase letters then digits; separators are commas and
 * white space; the list ends at the first token that is not a code (an
 * explanation). Writes up to max codes as (start, length) pairs into
 * starts/lens (either may be NULL when max is 0); returns how many there are. */
size_t rl_noqa_split(const char *codes, size_t len, const char **starts, size_t *lens,
                     size_t max);

/* Whether a noqa code list (NULL: bare noqa) suppresses code. Codes match
 * exactly and case-sensitively: a prefix such as "RL3" suppresses nothing.
 * An empty list (a bare "# noqa:") acts as a bare noqa; a list of prose
 * without any code ("# noqa: see above", "# noqa: rl301") suppresses nothing. */
bool rl_noqa_covers(const char *codes, const char *code);

/* Marks each finding whose start line carries a noqa covering its rule, or
 * whose file carries a file-level `# reloadlint: noqa` covering it. */
void rl_diags_suppress(rl_diags *d, const rl_project *p);

/* Finds the codes in a noqa code list that look like reloadlint's but name no
 * rule: "RL999", a prefix such as "RL3" (noqa codes are exact), and words
 * starting with RL/rl that are not codes at all ("RLX", "rl301"; the list
 * ends there, as in rl_noqa_split). Other tools' codes ("F401", "E501") are
 * not reported. Writes up to max (start, length) pairs; returns how many
 * there are. */
size_t rl_noqa_unknown_codes(const char *codes, size_t len, const char **starts, size_t *lens,
                             size_t max);

/* Prints "PATH:LINE: warning: unknown rule code `RL999` in noqa comment" on
 * out for each unknown code (rl_noqa_unknown_codes) in the noqa comments of
 * the reported files, in path and line order. Never changes the exit code. */
void rl_noqa_warn_unknown(FILE *out, const rl_project *p);

/* Drops the findings that the configuration's per-file-ignores turn off in
 * their file: a glob matches the file's path as shown, its base name or its
 * path relative to the configuration's folder; "!glob" applies to the files
 * it does not match. */
void rl_diags_per_file_ignores(rl_diags *d, const rl_project *p);

/* Drops findings that concern no reported file (SPEC "Files and scope"): a
 * finding is kept when its own file or the file of any related location is
 * reported (rl_file.reported). Context files are indexed around a file PATH
 * so that a change in the given file can be shown where it makes another
 * file stale; their other findings are not the user's question. */
void rl_diags_scope(rl_diags *d, const rl_project *p);

/* Drops findings of rules that are not selected. */
void rl_diags_filter(rl_diags *d, const rl_rule_set *selected);

/* Orders two findings: path, line, column, rule code, then end position,
 * message, symbol, target and related locations, so the order is total and
 * the output is the same whatever -j is. */
int rl_diag_compare(const rl_project *p, const rl_diag *a, const rl_diag *b);

/* Sorts the findings with rl_diag_compare. */
void rl_diags_sort(rl_diags *d, const rl_project *p);

#endif
