/* emit.h - formatting the results: text (ruff's "full" style) and JSON
 * (SPEC "JSON"). Emitters only format: suppression, selection and sorting
 * happened before (suppress.h). Findings marked suppressed are skipped. */
#ifndef RL_EMIT_H
#define RL_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "project.h"
#include "util.h"

/* How many files count as analyzed: reported ones (rl_file.reported) with
 * status OK or SYNTAX_ERROR. Files indexed only for context are not counted,
 * nor listed in errors by the emitters. */
uint32_t rl_files_analyzed(const rl_project *p);

/* Text: each finding with its framed source line, help and notes, then a
 * summary line ("Found 3 findings (1 error, 2 warnings) in 2 files.").
 * With statistics, per-rule counts replace the findings. Source lines are
 * re-read from the files (or taken from rl_file.source for stdin). color:
 * ANSI escapes (see rl_color_enabled). */
void rl_emit_text(FILE *out, const rl_project *p, const rl_diags *d, bool statistics, bool color);

/* Text: one `path: error: message` line per file listed in errors, for stderr. */
void rl_emit_text_errors(FILE *err, const rl_project *p, bool color);

/* JSON: the SPEC object (version, findings, errors, files_analyzed), two-space
 * indented; with statistics, "statistics" (an object keyed by rule code)
 * replaces "findings". */
void rl_emit_json(FILE *out, const rl_project *p, const rl_diags *d, bool statistics);

/* Whether to color output going to stream f: --color always, or auto when f is
 * a terminal and NO_COLOR is unset or empty. */
bool rl_color_enabled(rl_color mode, FILE *f);

/* ---- building blocks, exposed for tests ------------------------------------- */

/* Appends s[0..n) as a JSON string literal (with quotes): `"` `\` and control
 * characters escaped (\n, \t, ..., else \u00XX), DEL as \u007f, every byte
 * of invalid UTF-8 replaced by U+FFFD, so the output is always valid JSON. */
void rl_json_append_string(rl_strbuf *sb, const char *s, size_t n);

/* Appends s[0..n) for a terminal: control characters, DEL and invalid UTF-8
 * bytes as \xNN, C1 controls and bidirectional overrides as \u{XXXX}, a
 * backslash as is. A file name cannot inject escapes or fake a new line. */
void rl_text_append_escaped(rl_strbuf *sb, const char *s, size_t n);

/* Appends one source line (no newline) as displayed: tabs expanded to the
 * next multiple of 4 columns, control characters as Control Pictures (U+2400..),
 * invalid UTF-8 bytes and bidirectional controls as U+FFFD. The 1-based
 * code-point columns col and end_col (exclusive) are mapped to 0-based display
 * columns *disp_col and *disp_end (wide characters count 2), for the caret. */
void rl_text_append_source_line(rl_strbuf *sb, const char *line, size_t n, uint32_t col,
                                uint32_t end_col, uint32_t *disp_col, uint32_t *disp_end);

#endif
