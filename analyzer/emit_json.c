/* emit_json.c - the SPEC's JSON object, two-space indented.
 *
 * Everything is built in one buffer and written at once. Every string goes
 * through rl_json_append_string(), so file names and messages with control
 * characters or invalid UTF-8 still give valid JSON. */
#include <string.h>

#include "emit.h"
#include "registry.h"
#include "rl_version.h"
#include "util.h"

void rl_json_append_string(rl_strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    rl_strbuf_addc(sb, '"');
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t k = rl_utf8_decode(s + i, n - i, NULL);
            if (k) {
                rl_strbuf_addn(sb, s + i, k);
                i += k;
            } else {
                rl_strbuf_adds(sb, "\xEF\xBF\xBD"); /* U+FFFD for each bad byte */
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': rl_strbuf_adds(sb, "\\\""); break;
        case '\\': rl_strbuf_adds(sb, "\\\\"); break;
        case '\n': rl_strbuf_adds(sb, "\\n"); break;
        case '\r': rl_strbuf_adds(sb, "\\r"); break;
        case '\t': rl_strbuf_adds(sb, "\\t"); break;
        case '\b': rl_strbuf_adds(sb, "\\b"); break;
        case '\f': rl_strbuf_adds(sb, "\\f"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                rl_strbuf_adds(sb, esc);
            } else {
                rl_strbuf_addc(sb, (char)c);
            }
        }
        i++;
    }
    rl_strbuf_addc(sb, '"');
}

static void indent(rl_strbuf *sb, int level)
{
    for (int i = 0; i < level; i++) rl_strbuf_adds(sb, "  ");
}

/* `"key": ` at the given depth, after a comma unless first. */
static void key(rl_strbuf *sb, int level, bool *first, const char *name)
{
    rl_strbuf_adds(sb, *first ? "\n" : ",\n");
    *first = false;
    indent(sb, level);
    rl_json_append_string(sb, name, strlen(name));
    rl_strbuf_adds(sb, ": ");
}

static void str_or_null(rl_strbuf *sb, const char *s)
{
    if (s) rl_json_append_string(sb, s, strlen(s));
    else rl_strbuf_adds(sb, "null");
}

static void field_str(rl_strbuf *sb, int level, bool *first, const char *name, const char *v)
{
    key(sb, level, first, name);
    str_or_null(sb, v);
}

static void field_u32(rl_strbuf *sb, int level, bool *first, const char *name, uint32_t v)
{
    key(sb, level, first, name);
    rl_strbuf_addf(sb, "%u", v);
}

static const char *path_of(const rl_project *p, uint32_t file)
{
    return file < p->files.len ? p->files.items[file].path : "";
}

static void emit_related(rl_strbuf *sb, const rl_project *p, const rl_diag *d, int level)
{
    if (d->nrelated == 0) {
        rl_strbuf_adds(sb, "[]");
        return;
    }
    rl_strbuf_addc(sb, '[');
    for (uint32_t i = 0; i < d->nrelated; i++) {
        const rl_related *r = &d->related[i];
        rl_strbuf_adds(sb, i ? ",\n" : "\n");
        indent(sb, level + 1);
        rl_strbuf_addc(sb, '{');
        bool first = true;
        field_str(sb, level + 2, &first, "path", path_of(p, r->file));
        field_u32(sb, level + 2, &first, "line", r->span.line);
        field_u32(sb, level + 2, &first, "column", r->span.col);
        field_str(sb, level + 2, &first, "message", r->message ? r->message : "");
        rl_strbuf_addc(sb, '\n');
        indent(sb, level + 1);
        rl_strbuf_addc(sb, '}');
    }
    rl_strbuf_addc(sb, '\n');
    indent(sb, level);
    rl_strbuf_addc(sb, ']');
}

static void emit_finding(rl_strbuf *sb, const rl_project *p, const rl_diag *d, int level)
{
    const rl_rule *r = rl_rule_get(d->rule);
    indent(sb, level);
    rl_strbuf_addc(sb, '{');
    bool first = true;
    int l = level + 1;
    field_str(sb, l, &first, "rule", r->code);
    field_str(sb, l, &first, "name", r->name);
    field_str(sb, l, &first, "severity", rl_severity_name(r->severity));
    field_str(sb, l, &first, "path", path_of(p, d->file));
    field_u32(sb, l, &first, "line", d->span.line);
    field_u32(sb, l, &first, "column", d->span.col);
    field_u32(sb, l, &first, "end_line", d->span.end_line);
    field_u32(sb, l, &first, "end_column", d->span.end_col);
    field_str(sb, l, &first, "message", d->message ? d->message : "");
    field_str(sb, l, &first, "module", d->module);
    field_str(sb, l, &first, "symbol", d->symbol);
    field_str(sb, l, &first, "target", d->target);
    key(sb, l, &first, "related");
    emit_related(sb, p, d, l);
    rl_strbuf_addc(sb, '\n');
    indent(sb, level);
    rl_strbuf_addc(sb, '}');
}

static void emit_findings(rl_strbuf *sb, const rl_project *p, const rl_diags *d)
{
    bool any = false;
    for (uint32_t i = 0; i < d->items.len; i++) {
        const rl_diag *diag = &d->items.items[i];
        if (diag->suppressed) continue;
        rl_strbuf_adds(sb, any ? ",\n" : "[\n");
        any = true;
        emit_finding(sb, p, diag, 2);
    }
    rl_strbuf_adds(sb, any ? "\n  ]" : "[]");
}

static void emit_statistics(rl_strbuf *sb, const rl_diags *d)
{
    uint32_t counts[RL_RULE_COUNT] = {0};
    for (uint32_t i = 0; i < d->items.len; i++)
        if (!d->items.items[i].suppressed) counts[d->items.items[i].rule]++;
    bool any = false;
    for (int id = 0; id < RL_RULE_COUNT; id++) {
        if (!counts[id]) continue;
        const rl_rule *r = rl_rule_get((rl_rule_id)id);
        rl_strbuf_adds(sb, any ? ",\n" : "{\n");
        any = true;
        indent(sb, 2);
        rl_json_append_string(sb, r->code, strlen(r->code));
        rl_strbuf_adds(sb, ": {");
        bool first = true;
        field_str(sb, 3, &first, "name", r->name);
        field_str(sb, 3, &first, "severity", rl_severity_name(r->severity));
        field_u32(sb, 3, &first, "count", counts[id]);
        rl_strbuf_adds(sb, "\n    }");
    }
    rl_strbuf_adds(sb, any ? "\n  }" : "{}");
}

static void emit_errors(rl_strbuf *sb, const rl_project *p)
{
    bool any = false;
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        if (f->status == RL_FILE_OK || !f->reported) continue;
        rl_strbuf_adds(sb, any ? ",\n" : "[\n");
        any = true;
        indent(sb, 2);
        rl_strbuf_addc(sb, '{');
        bool first = true;
        field_str(sb, 3, &first, "path", f->path);
        field_str(sb, 3, &first, "message", f->error ? f->error : "");
        if (f->status == RL_FILE_SYNTAX_ERROR && f->facts.syntax_errors.len)
            field_u32(sb, 3, &first, "line", f->facts.syntax_errors.items[0].line);
        rl_strbuf_addc(sb, '\n');
        indent(sb, 2);
        rl_strbuf_addc(sb, '}');
    }
    rl_strbuf_adds(sb, any ? "\n  ]" : "[]");
}

void rl_emit_json(FILE *out, const rl_project *p, const rl_diags *d, bool statistics)
{
    rl_strbuf sb = {0};
    bool first = true;
    rl_strbuf_addc(&sb, '{');
    field_str(&sb, 1, &first, "version", RL_VERSION);
    if (statistics) {
        key(&sb, 1, &first, "statistics");
        emit_statistics(&sb, d);
    } else {
        key(&sb, 1, &first, "findings");
        emit_findings(&sb, p, d);
    }
    key(&sb, 1, &first, "errors");
    emit_errors(&sb, p);
    field_u32(&sb, 1, &first, "files_analyzed", rl_files_analyzed(p));
    rl_strbuf_adds(&sb, "\n}\n");
    fwrite(sb.data, 1, sb.len, out);
    rl_strbuf_release(&sb);
}
