/* emit_sarif.c - SARIF 2.1.0 for GitHub code scanning and other viewers.
 *
 * One log, one run:
 *   tool.driver      name, version, informationUri, and rules[] built from the
 *                    registry docs (every rule, in registry order, so a result's
 *                    ruleIndex is its rule id);
 *   results[]        every finding in the JSON order, suppressed ones included
 *                    with `suppressions: [{"kind": "inSource"}]`; one location,
 *                    related locations numbered 1..n and linked from the message
 *                    as `[text](id)`; partialFingerprints from the rule, the
 *                    names and the normalized source line (no line numbers);
 *   invocations[0]   executionSuccessful (false when a file was unreadable: exit
 *                    code 2) and a notification per reported file not analyzed
 *                    or with syntax errors;
 *   columnKind       unicodeCodePoints: our columns count code points, and end
 *                    columns are exclusive, as SARIF's endColumn is;
 *   originalUriBaseIds  %SRCROOT% = the working directory; artifact URIs are
 *                    relative to it and percent-encoded.
 *
 * Every string goes through rl_json_append_string(), so hostile file names and
 * messages still give valid JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"
#include "registry.h"
#include "rl_version.h"
#include "util.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFORMATION_URI "https://github.com/reloadlint/reloadlint"
#define SRCROOT "%SRCROOT%"
#define FULL_DESCRIPTION_MAX 1024 /* GitHub's limit for fullDescription.text */

/* ---- a small JSON writer ------------------------------------------------------- */

/* Two-space indented output; `first` tells whether the open container is
 * still empty. */
typedef struct jw {
    rl_strbuf *sb;
    int depth;
    bool first;
} jw;

static void jw_newline(jw *w)
{
    rl_strbuf_addc(w->sb, '\n');
    for (int i = 0; i < w->depth; i++) rl_strbuf_adds(w->sb, "  ");
}

/* Before a value in an array, or a key in an object. */
static void jw_item(jw *w)
{
    if (!w->first) rl_strbuf_addc(w->sb, ',');
    w->first = false;
    jw_newline(w);
}

static void jw_key(jw *w, const char *k)
{
    jw_item(w);
    rl_json_append_string(w->sb, k, strlen(k));
    rl_strbuf_adds(w->sb, ": ");
}

static void jw_open(jw *w, char c)
{
    rl_strbuf_addc(w->sb, c);
    w->depth++;
    w->first = true;
}

static void jw_close(jw *w, char c)
{
    w->depth--;
    if (!w->first) jw_newline(w);
    rl_strbuf_addc(w->sb, c);
    w->first = false;
}

static void jw_open_obj(jw *w, const char *k)
{
    if (k) jw_key(w, k);
    else jw_item(w);
    jw_open(w, '{');
}

static void jw_open_arr(jw *w, const char *k)
{
    jw_key(w, k);
    jw_open(w, '[');
}

static void jw_strn(jw *w, const char *k, const char *v, size_t n)
{
    if (k) jw_key(w, k);
    else jw_item(w);
    rl_json_append_string(w->sb, v, n);
}

static void jw_str(jw *w, const char *k, const char *v)
{
    jw_strn(w, k, v ? v : "", v ? strlen(v) : 0);
}

static void jw_u32(jw *w, const char *k, uint32_t v)
{
    jw_key(w, k);
    rl_strbuf_addf(w->sb, "%u", v);
}

static void jw_bool(jw *w, const char *k, bool v)
{
    jw_key(w, k);
    rl_strbuf_adds(w->sb, v ? "true" : "false");
}

/* {"text": v} under key k. */
static void jw_message(jw *w, const char *k, const char *text, size_t n)
{
    jw_open_obj(w, k);
    jw_strn(w, "text", text, n);
    jw_close(w, '}');
}

/* ---- URIs ------------------------------------------------------------------------ */

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

void rl_uri_append_path(rl_strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c) || c == '/') {
            rl_strbuf_addc(sb, (char)c);
        } else {
            char esc[4] = {'%', hex[c >> 4], hex[c & 15], 0};
            rl_strbuf_adds(sb, esc);
        }
    }
}

/* Lexically normalizes an absolute path in place: no empty or "." segments,
 * ".." removes the segment before it (never above "/"). Result starts with '/'
 * and has no trailing slash, except "/" itself. */
static void normalize_abs(rl_strbuf *abs)
{
    char *s = abs->data;
    size_t in = 0, out = 0, len = abs->len;
    while (in < len) {
        while (in < len && s[in] == '/') in++;
        size_t start = in;
        while (in < len && s[in] != '/') in++;
        size_t seg = in - start;
        if (seg == 0 || (seg == 1 && s[start] == '.')) continue;
        if (seg == 2 && s[start] == '.' && s[start + 1] == '.') {
            while (out > 0 && s[out - 1] != '/') out--;
            if (out > 0) out--; /* the slash before the removed segment */
            continue;
        }
        s[out++] = '/';
        memmove(s + out, s + start, seg);
        out += seg;
    }
    if (out == 0) s[out++] = '/';
    s[out] = 0;
    abs->len = out;
}

bool rl_sarif_append_uri(rl_strbuf *sb, const char *path, const char *cwd)
{
    if (!cwd) {
        rl_uri_append_path(sb, path, strlen(path));
        return path[0] != '/';
    }
    rl_strbuf abs = {0};
    if (path[0] != '/') rl_strbuf_addf(&abs, "%s/", cwd);
    rl_strbuf_adds(&abs, path);
    normalize_abs(&abs);
    size_t cl = strlen(cwd);
    bool under = abs.len > cl + 1 && memcmp(abs.data, cwd, cl) == 0 && abs.data[cl] == '/';
    if (under) {
        rl_uri_append_path(sb, abs.data + cl + 1, abs.len - cl - 1);
    } else {
        rl_strbuf_adds(sb, "file://");
        rl_uri_append_path(sb, abs.data, abs.len);
    }
    rl_strbuf_release(&abs);
    return under;
}

/* The working directory without a trailing slash ("" for "/"); heap, or NULL. */
static char *working_dir(void)
{
    size_t cap = 256;
    for (;;) {
        char *buf = rl_xmalloc(cap);
        if (getcwd(buf, cap)) {
            size_t n = strlen(buf);
            if (n && buf[n - 1] == '/') buf[n - 1] = 0;
            return buf;
        }
        free(buf);
        if (errno != ERANGE || cap > (1u << 20)) return NULL;
        cap *= 2;
    }
}

/* "artifactLocation": {"uri": ..., "uriBaseId": "%SRCROOT%"} */
static void artifact_location(jw *w, const char *path, const char *cwd)
{
    rl_strbuf uri = {0};
    bool relative = rl_sarif_append_uri(&uri, path, cwd);
    jw_open_obj(w, "artifactLocation");
    jw_strn(w, "uri", uri.data, uri.len);
    if (relative) jw_str(w, "uriBaseId", SRCROOT);
    jw_close(w, '}');
    rl_strbuf_release(&uri);
}

/* "region": start and end, 1-based; SARIF's endColumn is exclusive like ours.
 * A span without a line (0) gives no region. */
static void region(jw *w, rl_span s)
{
    if (s.line == 0) return;
    jw_open_obj(w, "region");
    jw_u32(w, "startLine", s.line);
    if (s.col) jw_u32(w, "startColumn", s.col);
    if (s.end_line >= s.line) {
        jw_u32(w, "endLine", s.end_line);
        if (s.col && s.end_col && (s.end_line > s.line || s.end_col >= s.col))
            jw_u32(w, "endColumn", s.end_col);
    }
    jw_close(w, '}');
}

static const char *path_of(const rl_project *p, uint32_t file)
{
    return file < p->files.len ? p->files.items[file].path : "";
}

static void physical_location(jw *w, const rl_project *p, uint32_t file, rl_span span,
                              const char *cwd)
{
    jw_open_obj(w, "physicalLocation");
    artifact_location(w, path_of(p, file), cwd);
    region(w, span);
    jw_close(w, '}');
}

/* ---- rules ----------------------------------------------------------------------- */

static const char *level_of(rl_severity s)
{
    switch (s) {
    case RL_SEV_ERROR: return "error";
    case RL_SEV_WARNING: return "warning";
    case RL_SEV_NOTE: return "note";
    }
    RL_BUG("level_of: bad severity %d", (int)s);
}

/* GitHub's "problem.severity" for non-security rules. */
static const char *problem_severity(rl_severity s)
{
    return s == RL_SEV_NOTE ? "recommendation" : level_of(s);
}

/* The family of a rule from its code: RL1xx sys.modules edits, RL2xx reload
 * calls, RL3xx stale bindings, RL4xx what a reload re-runs. */
static const char *family_tag(const rl_rule *r)
{
    switch (r->code[2]) {
    case '1': return "sys-modules";
    case '2': return "reload";
    case '3': return "stale-binding";
    default: return "reload-side-effects";
    }
}

/* Findings that rest on one file's syntax are "high"; those inferred across
 * the module graph (re-exports, provenance: RL204, RL3xx, RL4xx) "medium". */
static const char *precision_of(const rl_rule *r)
{
    bool graph = r->code[2] >= '3' || strcmp(r->code, "RL204") == 0;
    return graph ? "medium" : "high";
}

void rl_sarif_append_truncated(rl_strbuf *sb, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        rl_strbuf_addn(sb, s, n);
        return;
    }
    size_t cut = max - 3;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--; /* not mid-sequence */
    rl_strbuf_addn(sb, s, cut);
    rl_strbuf_adds(sb, "...");
}

/* Text with a final newline. */
static void add_block(rl_strbuf *sb, const char *text)
{
    size_t n = strlen(text);
    rl_strbuf_addn(sb, text, n);
    if (n == 0 || text[n - 1] != '\n') rl_strbuf_addc(sb, '\n');
}

/* help.text (plain) or help.markdown: What / Why / Example / Use instead, as
 * `reloadlint --explain` prints them. */
static void rule_help(rl_strbuf *sb, const rl_rule *r, bool markdown)
{
    struct {
        const char *heading, *text;
        bool code;
    } parts[] = {{"What it does", r->what, false},
                 {"Why is this bad?", r->why, false},
                 {"Example", r->example, true},
                 {"Use instead", r->use_instead, true}};
    bool any = false;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (!parts[i].text || !*parts[i].text) continue;
        if (any) rl_strbuf_addc(sb, '\n');
        any = true;
        rl_strbuf_addf(sb, markdown ? "## %s\n\n" : "%s\n\n", parts[i].heading);
        if (parts[i].code && markdown) {
            rl_strbuf_adds(sb, "```python\n");
            add_block(sb, parts[i].text);
            rl_strbuf_adds(sb, "```\n");
        } else if (parts[i].code) {
            /* indented like a plain-text code sample */
            const char *t = parts[i].text;
            while (*t) {
                const char *nl = strchr(t, '\n');
                size_t len = nl ? (size_t)(nl - t) : strlen(t);
                if (len) rl_strbuf_adds(sb, "    ");
                rl_strbuf_addn(sb, t, len);
                rl_strbuf_addc(sb, '\n');
                t += len + (nl != NULL);
            }
        } else {
            add_block(sb, parts[i].text);
        }
    }
}

static void emit_rule(jw *w, const rl_rule *r)
{
    rl_strbuf sb = {0};
    jw_open_obj(w, NULL);
    jw_str(w, "id", r->code);
    jw_str(w, "name", r->name);
    const char *summary = r->summary && *r->summary ? r->summary : r->name;
    jw_message(w, "shortDescription", summary, strlen(summary));
    rl_sarif_append_truncated(&sb, r->what && *r->what ? r->what : summary, FULL_DESCRIPTION_MAX);
    jw_message(w, "fullDescription", sb.data, sb.len);
    jw_open_obj(w, "help");
    sb.len = 0;
    rule_help(&sb, r, false);
    jw_strn(w, "text", sb.data ? sb.data : "", sb.len);
    sb.len = 0;
    rule_help(&sb, r, true);
    jw_strn(w, "markdown", sb.data ? sb.data : "", sb.len);
    jw_close(w, '}');
    jw_open_obj(w, "defaultConfiguration");
    jw_str(w, "level", level_of(r->severity));
    jw_close(w, '}');
    jw_open_obj(w, "properties");
    jw_open_arr(w, "tags");
    jw_str(w, NULL, "correctness");
    jw_str(w, NULL, family_tag(r));
    jw_close(w, ']');
    jw_str(w, "precision", precision_of(r));
    jw_str(w, "problem.severity", problem_severity(r->severity));
    jw_close(w, '}');
    jw_close(w, '}');
    rl_strbuf_release(&sb);
}

/* ---- results ------------------------------------------------------------------- */

/* Message text with `\`, `[` and `]` escaped, as SARIF wants in a message that
 * embeds links (SARIF 2.1.0 section 3.11.6). */
static void add_link_escaped(rl_strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == '[' || *s == ']') rl_strbuf_addc(sb, '\\');
        rl_strbuf_addc(sb, *s);
    }
}

/* The message; with related locations: "<message>. See [<related>](1), ...". */
static void result_message(rl_strbuf *sb, const rl_diag *d)
{
    const char *msg = d->message ? d->message : "";
    if (d->nrelated == 0) {
        rl_strbuf_adds(sb, msg);
        return;
    }
    add_link_escaped(sb, msg);
    rl_strbuf_adds(sb, ". See ");
    for (uint32_t i = 0; i < d->nrelated; i++) {
        const char *rel = d->related[i].message;
        rl_strbuf_adds(sb, i ? ", [" : "[");
        add_link_escaped(sb, rel && *rel ? rel : "related location");
        rl_strbuf_addf(sb, "](%u)", i + 1);
    }
}

static void hash_bytes(uint64_t *h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *h ^= (unsigned char)s[i];
        *h *= 0x100000001b3ULL;
    }
}

/* A string and its terminator, so ("ab", "c") and ("a", "bc") differ. */
static void hash_field(uint64_t *h, const char *s)
{
    if (s) hash_bytes(h, s, strlen(s));
    hash_bytes(h, s ? "\x1f" : "\x1e", 1);
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

static uint64_t fingerprint(const char *code, const char *module, const char *symbol,
                            const char *target, const char *line, size_t line_len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    hash_field(&h, code);
    hash_field(&h, module);
    hash_field(&h, symbol);
    hash_field(&h, target);
    bool pending_space = false, any = false;
    for (size_t i = 0; line && i < line_len; i++) {
        if (is_ws(line[i])) {
            pending_space = any;
            continue;
        }
        if (pending_space) hash_bytes(&h, " ", 1);
        pending_space = false;
        any = true;
        hash_bytes(&h, line + i, 1);
    }
    return h;
}

static void hex64(char out[17], uint64_t h)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) out[i] = hex[(h >> (60 - 4 * i)) & 15];
    out[16] = 0;
}

void rl_sarif_fingerprint(char out[17], const char *code, const char *module, const char *symbol,
                          const char *target, const char *line, size_t line_len)
{
    hex64(out, fingerprint(code, module, symbol, target, line, line_len));
}

/* Fingerprints already given in the current file, so that two findings with
 * the same hash (the same statement twice) get ":1", ":2" as GitHub's own
 * primaryLocationLineHash does. */
typedef struct seen_hashes {
    uint32_t file;
    RL_VEC(uint64_t) items;
} seen_hashes;

static uint32_t occurrence(seen_hashes *seen, uint32_t file, uint64_t h)
{
    if (seen->file != file) seen->items.len = 0, seen->file = file;
    uint32_t n = 1;
    for (uint32_t i = 0; i < seen->items.len; i++) n += seen->items.items[i] == h;
    rl_vec_push(&seen->items, h);
    return n;
}

static void emit_result(jw *w, const rl_project *p, const rl_diag *d, const char *cwd,
                        rl_line_reader *lr, seen_hashes *seen)
{
    const rl_rule *r = rl_rule_get(d->rule);
    rl_strbuf sb = {0};
    jw_open_obj(w, NULL);
    jw_str(w, "ruleId", r->code);
    jw_u32(w, "ruleIndex", (uint32_t)d->rule);
    jw_str(w, "level", level_of(r->severity));
    result_message(&sb, d);
    jw_message(w, "message", sb.data ? sb.data : "", sb.len);

    jw_open_arr(w, "locations");
    jw_open_obj(w, NULL);
    physical_location(w, p, d->file, d->span, cwd);
    jw_close(w, '}');
    jw_close(w, ']');

    if (d->nrelated) {
        jw_open_arr(w, "relatedLocations");
        for (uint32_t i = 0; i < d->nrelated; i++) {
            const rl_related *rel = &d->related[i];
            jw_open_obj(w, NULL);
            jw_u32(w, "id", i + 1);
            physical_location(w, p, rel->file, rel->span, cwd);
            jw_message(w, "message", rel->message ? rel->message : "",
                       rel->message ? strlen(rel->message) : 0);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }

    const char *line = NULL;
    size_t n = 0;
    if (!rl_line_reader_get(lr, p, d->file, d->span.line, &line, &n)) line = NULL, n = 0;
    uint64_t h = fingerprint(r->code, d->module, d->symbol, d->target, line, n);
    char hex[17];
    hex64(hex, h);
    sb.len = 0;
    rl_strbuf_addf(&sb, "%s:%u", hex, occurrence(seen, d->file, h));
    jw_open_obj(w, "partialFingerprints");
    jw_strn(w, "reloadlint/v1", sb.data, sb.len);
    jw_close(w, '}');

    if (d->suppressed) {
        jw_open_arr(w, "suppressions");
        jw_open_obj(w, NULL);
        jw_str(w, "kind", "inSource");
        jw_close(w, '}');
        jw_close(w, ']');
    }
    jw_close(w, '}');
    rl_strbuf_release(&sb);
}

/* ---- invocation -------------------------------------------------------------------- */

static bool execution_successful(const rl_project *p)
{
    for (uint32_t i = 0; i < p->files.len; i++)
        if (p->files.items[i].reported && p->files.items[i].status == RL_FILE_UNREADABLE)
            return false;
    return true;
}

static void emit_invocation(jw *w, const rl_project *p, const char *cwd)
{
    jw_open_arr(w, "invocations");
    jw_open_obj(w, NULL);
    jw_bool(w, "executionSuccessful", execution_successful(p));
    bool any = false;
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        if (f->status == RL_FILE_OK || !f->reported) continue;
        if (!any) jw_open_arr(w, "toolExecutionNotifications");
        any = true;
        jw_open_obj(w, NULL);
        jw_str(w, "level", f->status == RL_FILE_UNREADABLE ? "error" : "warning");
        jw_message(w, "message", f->error ? f->error : "not analyzed",
                   strlen(f->error ? f->error : "not analyzed"));
        jw_open_arr(w, "locations");
        jw_open_obj(w, NULL);
        jw_open_obj(w, "physicalLocation");
        artifact_location(w, f->path, cwd);
        if (f->status == RL_FILE_SYNTAX_ERROR && f->facts.syntax_errors.len &&
            f->facts.syntax_errors.items[0].line) {
            jw_open_obj(w, "region");
            jw_u32(w, "startLine", f->facts.syntax_errors.items[0].line);
            jw_close(w, '}');
        }
        jw_close(w, '}');
        jw_close(w, '}');
        jw_close(w, ']');
        jw_close(w, '}');
    }
    if (any) jw_close(w, ']');
    jw_close(w, '}');
    jw_close(w, ']');
}

/* ---- the log ------------------------------------------------------------------------ */

void rl_emit_sarif(FILE *out, const rl_project *p, const rl_diags *d)
{
    char *cwd = working_dir();
    rl_strbuf sb = {0};
    jw w = {.sb = &sb, .first = true};
    jw_open(&w, '{');
    jw_str(&w, "$schema", SARIF_SCHEMA);
    jw_str(&w, "version", "2.1.0");
    jw_open_arr(&w, "runs");
    jw_open_obj(&w, NULL);

    jw_open_obj(&w, "tool");
    jw_open_obj(&w, "driver");
    jw_str(&w, "name", "reloadlint");
    jw_str(&w, "version", RL_VERSION);
    jw_str(&w, "semanticVersion", RL_VERSION);
    jw_str(&w, "informationUri", INFORMATION_URI);
    jw_open_arr(&w, "rules");
    for (int id = 0; id < RL_RULE_COUNT; id++) emit_rule(&w, rl_rule_get((rl_rule_id)id));
    jw_close(&w, ']');
    jw_close(&w, '}');
    jw_close(&w, '}');

    emit_invocation(&w, p, cwd);

    if (cwd) {
        jw_open_obj(&w, "originalUriBaseIds");
        jw_open_obj(&w, SRCROOT);
        rl_strbuf uri = {0};
        rl_strbuf_adds(&uri, "file://");
        rl_uri_append_path(&uri, cwd, strlen(cwd));
        rl_strbuf_addc(&uri, '/');
        jw_strn(&w, "uri", uri.data, uri.len);
        rl_strbuf_release(&uri);
        jw_close(&w, '}');
        jw_close(&w, '}');
    }
    jw_str(&w, "columnKind", "unicodeCodePoints");

    jw_open_arr(&w, "results");
    rl_line_reader lr = {0};
    seen_hashes seen = {.file = UINT32_MAX};
    for (uint32_t i = 0; i < d->items.len; i++) {
        emit_result(&w, p, &d->items.items[i], cwd, &lr, &seen);
        /* Flush now and then: a large report need not sit in memory. */
        if (sb.len > (1u << 16)) {
            fwrite(sb.data, 1, sb.len, out);
            sb.len = 0;
        }
    }
    rl_line_reader_release(&lr);
    rl_vec_release(&seen.items);
    jw_close(&w, ']');

    jw_close(&w, '}');
    jw_close(&w, ']');
    jw_close(&w, '}');
    rl_strbuf_addc(&sb, '\n');
    fwrite(sb.data, 1, sb.len, out);
    rl_strbuf_release(&sb);
    free(cwd);
}
