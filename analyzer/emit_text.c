/* emit_text.c - human-readable output in the style of ruff's "full" format:
 *
 *   pkg/a.py:3:17: RL301 [warning] `hello` is a stale copy after `pkg.foo` is reloaded
 *     |
 *   3 | from pkg.foo import hello
 *     |                     ^^^^^ RL301
 *     |
 *     = help: access it as `pkg.foo.hello`
 *     = note: pkg/b.py:9:5: `pkg.foo` reloaded here
 *
 * Everything taken from the analyzed tree (paths, messages, source lines) is
 * escaped, so a file name or a string literal cannot inject terminal escapes
 * or fake an extra line. Columns of findings count code points; the caret is
 * placed by display width after tabs are expanded. */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "registry.h"
#include "source.h"
#include "util.h"

#define TAB_WIDTH 4

/* ANSI styles; empty strings when color is off. */
typedef struct style {
    const char *bold, *reset, *gutter, *help;
    const char *sev[3]; /* by rl_severity */
} style;

static style make_style(bool color)
{
    if (!color) return (style){"", "", "", "", {"", "", ""}};
    return (style){
        .bold = "\x1b[1m",
        .reset = "\x1b[0m",
        .gutter = "\x1b[1;34m",
        .help = "\x1b[1;36m",
        .sev = {"\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m"},
    };
}

/* ---- escaping ------------------------------------------------------------------ */

static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

static bool is_line_separator(uint32_t cp) { return cp == 0x2028 || cp == 0x2029 || cp == 0x85; }

void rl_text_append_escaped(rl_strbuf *sb, const char *s, size_t n)
{
    rl_strbuf_add_escaped(sb, s, n);
}

static void add_escaped_str(rl_strbuf *sb, const char *s)
{
    if (s) rl_text_append_escaped(sb, s, strlen(s));
}

/* Display width of a code point: 0 for combining marks, 2 for East Asian
 * wide and emoji ranges, else 1. Approximate on purpose (no locale needed). */
static uint32_t cp_width(uint32_t cp)
{
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

void rl_text_append_source_line(rl_strbuf *sb, const char *line, size_t n, uint32_t col,
                                uint32_t end_col, uint32_t *disp_col, uint32_t *disp_end)
{
    uint32_t cp_index = 1, disp = 0;
    bool have_col = false, have_end = false;
    size_t i = 0;
    while (i < n) {
        if (cp_index == col) *disp_col = disp, have_col = true;
        if (cp_index == end_col) *disp_end = disp, have_end = true;
        unsigned char c = (unsigned char)line[i];
        uint32_t cp = 0;
        size_t k = c < 0x80 ? 1 : rl_utf8_decode(line + i, n - i, &cp);
        if (c < 0x80) cp = c;
        if (c == '\t') {
            uint32_t w = TAB_WIDTH - disp % TAB_WIDTH;
            for (uint32_t s = 0; s < w; s++) rl_strbuf_addc(sb, ' ');
            disp += w;
        } else if (k == 0 || is_bidi_control(cp) || is_line_separator(cp) ||
                   (cp >= 0x80 && cp <= 0x9f)) {
            rl_strbuf_adds(sb, "\xEF\xBF\xBD"); /* U+FFFD */
            disp += 1;
        } else if (cp < 0x20 || cp == 0x7f) {
            /* Control Pictures: U+2400 + c, U+2421 for DEL; width 1. */
            uint32_t pic = cp == 0x7f ? 0x2421 : 0x2400 + cp;
            char u[4] = {(char)(0xE0 | (pic >> 12)), (char)(0x80 | ((pic >> 6) & 0x3F)),
                         (char)(0x80 | (pic & 0x3F)), 0};
            rl_strbuf_adds(sb, u);
            disp += 1;
        } else {
            rl_strbuf_addn(sb, line + i, k);
            disp += cp_width(cp);
        }
        i += k ? k : 1;
        cp_index++;
    }
    /* Columns at or past the end of the line (a span reaching the newline). */
    if (!have_col) *disp_col = disp;
    if (!have_end) *disp_end = disp;
}

/* ---- findings -------------------------------------------------------------------- */

static const char *path_of(const rl_project *p, uint32_t file)
{
    return file < p->files.len ? p->files.items[file].path : "";
}

static void add_spaces(rl_strbuf *sb, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) rl_strbuf_addc(sb, ' ');
}

static uint32_t digits(uint32_t v)
{
    uint32_t d = 1;
    while (v >= 10) v /= 10, d++;
    return d;
}

static void emit_finding(rl_strbuf *sb, const rl_project *p, const rl_diag *d, rl_line_reader *lr,
                         const style *st)
{
    const rl_rule *r = rl_rule_get(d->rule);
    const char *sev = st->sev[r->severity];

    rl_strbuf_adds(sb, st->bold);
    add_escaped_str(sb, path_of(p, d->file));
    rl_strbuf_addf(sb, "%s:%u:%u: %s%s%s %s[%s]%s ", st->reset, d->span.line, d->span.col, sev,
                   r->code, st->reset, sev, rl_severity_name(r->severity), st->reset);
    add_escaped_str(sb, d->message);
    rl_strbuf_addc(sb, '\n');

    uint32_t width = digits(d->span.line);
    const char *line;
    size_t n;
    if (rl_line_reader_get(lr, p, d->file, d->span.line, &line, &n)) {
        /* The caret covers the span on its first line (to the line's end when
         * the span continues on later lines); at least one character. */
        uint32_t end_col = d->span.end_line == d->span.line ? d->span.end_col : UINT32_MAX;
        uint32_t dc = 0, de = 0;
        rl_strbuf text = {0};
        rl_text_append_source_line(&text, line, n, d->span.col, end_col, &dc, &de);
        if (de <= dc) de = dc + 1;

        add_spaces(sb, width + 1);
        rl_strbuf_addf(sb, "%s|%s\n", st->gutter, st->reset);
        rl_strbuf_addf(sb, "%s%u |%s", st->gutter, d->span.line, st->reset);
        if (text.len) {
            rl_strbuf_addc(sb, ' ');
            rl_strbuf_addn(sb, text.data, text.len);
        }
        rl_strbuf_addc(sb, '\n');
        add_spaces(sb, width + 1);
        rl_strbuf_addf(sb, "%s|%s ", st->gutter, st->reset);
        add_spaces(sb, dc);
        rl_strbuf_adds(sb, sev);
        for (uint32_t i = dc; i < de; i++) rl_strbuf_addc(sb, '^');
        rl_strbuf_addf(sb, " %s%s\n", r->code, st->reset);
        add_spaces(sb, width + 1);
        rl_strbuf_addf(sb, "%s|%s\n", st->gutter, st->reset);
        rl_strbuf_release(&text);
    }
    if (d->help) {
        add_spaces(sb, width + 1);
        rl_strbuf_addf(sb, "%s=%s %shelp%s: ", st->gutter, st->reset, st->bold, st->reset);
        add_escaped_str(sb, d->help);
        rl_strbuf_addc(sb, '\n');
    }
    for (uint32_t i = 0; i < d->nrelated; i++) {
        const rl_related *rel = &d->related[i];
        add_spaces(sb, width + 1);
        rl_strbuf_addf(sb, "%s=%s %snote%s: ", st->gutter, st->reset, st->bold, st->reset);
        add_escaped_str(sb, path_of(p, rel->file));
        rl_strbuf_addf(sb, ":%u:%u: ", rel->span.line, rel->span.col);
        add_escaped_str(sb, rel->message);
        rl_strbuf_addc(sb, '\n');
    }
    rl_strbuf_addc(sb, '\n');
}

static const char *plural(uint32_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void emit_summary(rl_strbuf *sb, const rl_project *p, const rl_diags *d)
{
    uint32_t total = 0, files = 0, by_sev[3] = {0};
    uint32_t last_file = UINT32_MAX;
    for (uint32_t i = 0; i < d->items.len; i++) {
        const rl_diag *diag = &d->items.items[i];
        if (diag->suppressed) continue;
        total++;
        by_sev[rl_rule_get(diag->rule)->severity]++;
        if (diag->file != last_file) files++, last_file = diag->file; /* sorted by file */
    }
    uint32_t errors = 0;
    for (uint32_t i = 0; i < p->files.len; i++)
        if (p->files.items[i].reported && p->files.items[i].status != RL_FILE_OK) errors++;
    uint32_t analyzed = rl_files_analyzed(p);

    if (total == 0) {
        if (errors == 0)
            rl_strbuf_addf(sb, "All checks passed: %u %s analyzed.\n", analyzed,
                           plural(analyzed, "file", "files"));
        else
            rl_strbuf_addf(sb, "No findings: %u %s analyzed, %u %s with errors.\n", analyzed,
                           plural(analyzed, "file", "files"), errors,
                           plural(errors, "file", "files"));
        return;
    }
    static const char *const names[3][2] = {
        {"error", "errors"}, {"warning", "warnings"}, {"note", "notes"}};
    rl_strbuf_addf(sb, "Found %u %s (", total, plural(total, "finding", "findings"));
    bool first = true;
    for (int s = 0; s < 3; s++) {
        if (!by_sev[s]) continue;
        rl_strbuf_addf(sb, "%s%u %s", first ? "" : ", ", by_sev[s], names[s][by_sev[s] != 1]);
        first = false;
    }
    rl_strbuf_addf(sb, ") in %u %s", files, plural(files, "file", "files"));
    if (errors) rl_strbuf_addf(sb, "; %u %s with errors", errors, plural(errors, "file", "files"));
    rl_strbuf_adds(sb, ".\n");
}

static void emit_statistics(rl_strbuf *sb, const rl_diags *d, const style *st)
{
    uint32_t counts[RL_RULE_COUNT] = {0}, max = 0;
    for (uint32_t i = 0; i < d->items.len; i++)
        if (!d->items.items[i].suppressed) counts[d->items.items[i].rule]++;
    for (int id = 0; id < RL_RULE_COUNT; id++)
        if (counts[id] > max) max = counts[id];
    int w = (int)digits(max);
    for (int id = 0; id < RL_RULE_COUNT; id++) {
        if (!counts[id]) continue;
        const rl_rule *r = rl_rule_get((rl_rule_id)id);
        rl_strbuf_addf(sb, "  %*u  %s%s%s  %s\n", w, counts[id], st->sev[r->severity], r->code,
                       st->reset, r->name);
    }
    if (max) rl_strbuf_addc(sb, '\n');
}

void rl_emit_text(FILE *out, const rl_project *p, const rl_diags *d, bool statistics, bool color)
{
    style st = make_style(color);
    rl_strbuf sb = {0};
    if (statistics) {
        emit_statistics(&sb, d, &st);
    } else {
        rl_line_reader lr = {0};
        for (uint32_t i = 0; i < d->items.len; i++) {
            if (d->items.items[i].suppressed) continue;
            emit_finding(&sb, p, &d->items.items[i], &lr, &st);
            /* Flush now and then: a large report need not sit in memory. */
            if (sb.len > (1u << 16)) {
                fwrite(sb.data, 1, sb.len, out);
                sb.len = 0;
            }
        }
        rl_line_reader_release(&lr);
    }
    emit_summary(&sb, p, d);
    fwrite(sb.data, 1, sb.len, out);
    rl_strbuf_release(&sb);
}

void rl_emit_text_errors(FILE *err, const rl_project *p, bool color)
{
    style st = make_style(color);
    rl_strbuf sb = {0};
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        if (f->status == RL_FILE_OK || !f->reported) continue;
        rl_strbuf_adds(&sb, st.bold);
        add_escaped_str(&sb, f->path);
        rl_strbuf_addf(&sb, "%s: %serror%s: ", st.reset, st.sev[RL_SEV_ERROR], st.reset);
        add_escaped_str(&sb, f->error ? f->error : "not analyzed");
        rl_strbuf_addc(&sb, '\n');
    }
    if (sb.len) fwrite(sb.data, 1, sb.len, err);
    rl_strbuf_release(&sb);
}
