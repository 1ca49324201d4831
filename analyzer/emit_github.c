/* emit_github.c - GitHub Actions workflow commands, which the runner turns
 * into annotations on the pull request:
 *
 *   ::error file=bad.py,line=2::syntax error at line 2
 *   ::warning file=pkg/a.py,line=3,endLine=3,col=17,endColumn=22,title=reloadlint (RL301)::...
 *
 * Files listed in errors come first, then one line per unsuppressed finding,
 * in the JSON order; nothing else (no summary). Severity error -> ::error,
 * warning -> ::warning, note -> ::notice. endColumn is exclusive, as in the
 * JSON output (ruff does the same). Values are escaped as @actions/core does:
 * `%`, CR and LF in the message, plus `:` and `,` in properties, so a file
 * name or message cannot end the command or start another one. */
#include <string.h>

#include "emit.h"
#include "registry.h"
#include "util.h"

void rl_github_append_escaped(rl_strbuf *sb, const char *s, size_t n, bool property)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = rl_utf8_decode(s + i, n - i, NULL);
            if (k) rl_strbuf_addn(sb, s + i, k), i += k;
            else rl_strbuf_adds(sb, "\xEF\xBF\xBD"), i++; /* U+FFFD per bad byte */
            continue;
        }
        if (c == '%') rl_strbuf_adds(sb, "%25");
        else if (c == '\r') rl_strbuf_adds(sb, "%0D");
        else if (c == '\n') rl_strbuf_adds(sb, "%0A");
        else if (property && c == ':') rl_strbuf_adds(sb, "%3A");
        else if (property && c == ',') rl_strbuf_adds(sb, "%2C");
        else rl_strbuf_addc(sb, (char)c);
        i++;
    }
}

static void add_escaped(rl_strbuf *sb, const char *s, bool property)
{
    if (s) rl_github_append_escaped(sb, s, strlen(s), property);
}

static const char *command_of(rl_severity s)
{
    switch (s) {
    case RL_SEV_ERROR: return "error";
    case RL_SEV_WARNING: return "warning";
    case RL_SEV_NOTE: return "notice";
    }
    RL_BUG("command_of: bad severity %d", (int)s);
}

static void emit_file_errors(rl_strbuf *sb, const rl_project *p)
{
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        if (f->status == RL_FILE_OK || !f->reported) continue;
        rl_strbuf_adds(sb, "::error file=");
        add_escaped(sb, f->path, true);
        if (f->status == RL_FILE_SYNTAX_ERROR && f->facts.syntax_errors.len &&
            f->facts.syntax_errors.items[0].line)
            rl_strbuf_addf(sb, ",line=%u", f->facts.syntax_errors.items[0].line);
        rl_strbuf_adds(sb, "::");
        add_escaped(sb, f->error ? f->error : "not analyzed", false);
        rl_strbuf_addc(sb, '\n');
    }
}

static void emit_finding(rl_strbuf *sb, const rl_project *p, const rl_diag *d)
{
    const rl_rule *r = rl_rule_get(d->rule);
    rl_strbuf_addf(sb, "::%s file=", command_of(r->severity));
    add_escaped(sb, d->file < p->files.len ? p->files.items[d->file].path : "", true);
    rl_strbuf_addf(sb, ",line=%u,endLine=%u,col=%u,endColumn=%u,title=", d->span.line,
                   d->span.end_line, d->span.col, d->span.end_col);
    rl_strbuf_adds(sb, "reloadlint (");
    add_escaped(sb, r->code, true);
    rl_strbuf_adds(sb, ")::");
    add_escaped(sb, d->message ? d->message : "", false);
    rl_strbuf_addc(sb, '\n');
}

void rl_emit_github(FILE *out, const rl_project *p, const rl_diags *d)
{
    rl_strbuf sb = {0};
    emit_file_errors(&sb, p);
    for (uint32_t i = 0; i < d->items.len; i++) {
        if (d->items.items[i].suppressed) continue;
        emit_finding(&sb, p, &d->items.items[i]);
        if (sb.len > (1u << 16)) {
            fwrite(sb.data, 1, sb.len, out);
            sb.len = 0;
        }
    }
    if (sb.len) fwrite(sb.data, 1, sb.len, out);
    rl_strbuf_release(&sb);
}
