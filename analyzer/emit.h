/* emit.h - formatting the results: text (ruff's "full" style), JSON (SPEC
 * "JSON"), SARIF 2.1.0 (code scanning) and GitHub workflow annotations.
 * Emitters only format: suppression, selection and sorting happened before
 * (suppress.h). Findings marked suppressed are skipped, except by SARIF,
 * which lists them as results with an in-source suppression. */
#ifndef RL_EMIT_H
#define RL_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "project.h"
#include "source.h"
#include "util.h"

/* How many files count as analyzed: reported ones (rl_file.reported) with
 * status OK. A file with syntax errors is analyzed as far as it parses but
 * listed in errors, not counted here, so that files_analyzed plus the errors
 * listed is the number of files reached, each counted once. Files indexed
 * only for context are not counted, nor listed in errors by the emitters. */
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

/* SARIF 2.1.0: one run with the rules of the registry (all of them, so
 * ruleIndex is the rule id), every finding including suppressed ones (with
 * `suppressions: [{"kind": "inSource"}]`), and a notification for each
 * reported file that could not be read or parsed. URIs are relative to the
 * working directory (uriBaseId %SRCROOT%) when the file lies under it. Source
 * lines are re-read for the fingerprints. statistics is ignored. */
void rl_emit_sarif(FILE *out, const rl_project *p, const rl_diags *d);

/* GitHub Actions workflow commands: one `::error|warning|notice file=..,
 * line=..,endLine=..,col=..,endColumn=..,title=reloadlint (CODE)::message`
 * line per unsuppressed finding, after one `::error file=..::message` line per
 * reported file listed in errors. statistics is ignored. */
void rl_emit_github(FILE *out, const rl_project *p, const rl_diags *d);

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

/* Source lines of the project's files, for emitters that show or hash them.
 * Holds one file at a time (findings come sorted by file, then line, so lines
 * are found by scanning forward). Zero-initialize; release when done. */
typedef struct rl_line_reader {
    uint32_t file;
    bool loaded, ok;
    rl_source src;      /* read from disk; empty for stdin files */
    const char *text;
    size_t len;
    uint32_t line;      /* line number starting at off */
    size_t off;
} rl_line_reader;

/* Finds line (1-based) of file: *start points into the reader's copy (valid
 * until the next call), *n excludes the newline and a CR before it. False when
 * the file has fewer lines or cannot be read any more. */
bool rl_line_reader_get(rl_line_reader *lr, const rl_project *p, uint32_t file, uint32_t line,
                        const char **start, size_t *n);
void rl_line_reader_release(rl_line_reader *lr);

/* Appends s[0..n) percent-encoded for a URI path (RFC 3986): unreserved
 * characters and '/' stay, every other byte (space, '#', '%', '?', ':',
 * controls, non-ASCII bytes) becomes %XX with uppercase hex. */
void rl_uri_append_path(rl_strbuf *sb, const char *s, size_t n);

/* The URI of path (as reached) for SARIF. cwd is the absolute working
 * directory without a trailing slash ("" for "/"), or NULL when unknown.
 * When the lexically normalized absolute path lies under cwd, appends the
 * encoded relative path and returns true (the caller adds uriBaseId
 * %SRCROOT%); otherwise appends a file:// URI (or, with cwd NULL, the encoded
 * path as is) and returns false. */
bool rl_sarif_append_uri(rl_strbuf *sb, const char *path, const char *cwd);

/* The value of partialFingerprints["reloadlint/v1"] without the occurrence
 * suffix: 16 lowercase hex digits of 64-bit FNV-1a over the rule code, module,
 * symbol, target and the source line with white space trimmed and runs of it
 * collapsed to one space. Line numbers do not enter, so the value survives
 * edits elsewhere in the file. Any string may be NULL. out holds 17 bytes. */
void rl_sarif_fingerprint(char out[17], const char *code, const char *module, const char *symbol,
                          const char *target, const char *line, size_t line_len);

/* Appends s, or when it is longer than max bytes (max >= 4) its first bytes
 * up to a whole UTF-8 sequence and "...", at most max bytes in all (SARIF
 * fullDescription is limited to 1024 characters). */
void rl_sarif_append_truncated(rl_strbuf *sb, const char *s, size_t max);

/* Appends s[0..n) escaped for a workflow command: `%`, CR and LF as %25, %0D,
 * %0A; with property, also `:` and `,` as %3A, %2C. Invalid UTF-8 bytes become
 * U+FFFD. */
void rl_github_append_escaped(rl_strbuf *sb, const char *s, size_t n, bool property);

#endif
