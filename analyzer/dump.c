/* dump.c - the --dump-model text format.
 *
 * One record per line, fields as `key=value`, strings in double quotes with
 * terminal escapes (rl_text_append_escaped), absent values as `-`. The enum
 * switches have no default case on purpose: a kind added to facts.h without
 * a name here is a compile error (-Wswitch), not a silent "?". */
#include "dump.h"

#include "graph.h"

#include <string.h>

#include "emit.h"
#include "util.h"

static const char *scope_kind_name(rl_scope_kind k)
{
    switch (k) {
    case RL_SCOPE_MODULE: return "module";
    case RL_SCOPE_CLASS: return "class";
    case RL_SCOPE_FUNCTION: return "function";
    }
    return "?";
}

static const char *binding_kind_name(rl_binding_kind k)
{
    switch (k) {
    case RL_BIND_IMPORT: return "import";
    case RL_BIND_FROM_IMPORT: return "from-import";
    case RL_BIND_STAR_IMPORT: return "star-import";
    case RL_BIND_ALIAS: return "alias";
    case RL_BIND_DEF: return "def";
    case RL_BIND_CLASS: return "class";
    case RL_BIND_PARAM: return "param";
    case RL_BIND_GLOBAL_DECL: return "global";
    case RL_BIND_NONLOCAL_DECL: return "nonlocal";
    case RL_BIND_LITERAL: return "literal";
    case RL_BIND_CONTAINER: return "container";
    case RL_BIND_CALL: return "call";
    case RL_BIND_LAMBDA: return "lambda";
    case RL_BIND_LOOP_VAR: return "loop-var";
    case RL_BIND_DELETE: return "delete";
    case RL_BIND_OTHER: return "other";
    }
    return "?";
}

static const char *event_kind_name(rl_event_kind k)
{
    switch (k) {
    case RL_EV_BRANCH: return "BRANCH";
    case RL_EV_ARM: return "ARM";
    case RL_EV_LOOP: return "LOOP";
    case RL_EV_END: return "END";
    case RL_EV_EXIT: return "EXIT";
    case RL_EV_JUMP: return "JUMP";
    case RL_EV_CONTAINER_OP: return "CONTAINER_OP";
    case RL_EV_IMPORT: return "IMPORT";
    case RL_EV_CALL: return "CALL";
    case RL_EV_FROM_IMP: return "FROM_IMP";
    case RL_EV_MUTATE: return "MUTATE";
    case RL_EV_ATTR_ASSIGN: return "ATTR_ASSIGN";
    case RL_EV_DECORATOR: return "DECORATOR";
    }
    return "?";
}

static const char *container_op_name(rl_container_op op)
{
    switch (op) {
    case RL_OP_DEL: return "del";
    case RL_OP_POP: return "pop";
    case RL_OP_POPITEM: return "popitem";
    case RL_OP_CLEAR: return "clear";
    case RL_OP_MP_DELITEM: return "monkeypatch.delitem";
    case RL_OP_PATCH_CLEAR: return "patch.dict-clear";
    case RL_OP_SETITEM: return "setitem";
    case RL_OP_UPDATE: return "update";
    case RL_OP_SETDEFAULT: return "setdefault";
    case RL_OP_MP_SETITEM: return "monkeypatch.setitem";
    case RL_OP_PATCH_SET: return "patch.dict";
    }
    return "?";
}

static const char *key_kind_name(rl_key_kind k)
{
    switch (k) {
    case RL_KEY_LITERAL: return "literal";
    case RL_KEY_PREFIX: return "prefix";
    case RL_KEY_UNKNOWN: return "unknown";
    case RL_KEY_NAME_OF: return "name-of";
    case RL_KEY_ALL: return "all";
    }
    return "?";
}

static const char *target_kind_name(rl_target_kind k)
{
    switch (k) {
    case RL_TARGET_NONE: return "none";
    case RL_TARGET_NAME: return "name";
    case RL_TARGET_SUBSCRIPT: return "subscript";
    case RL_TARGET_STRING: return "string";
    case RL_TARGET_OTHER: return "other";
    case RL_TARGET_NAMES: return "names";
    }
    return "?";
}

static const char *resolved_name(rl_resolved r)
{
    switch (r) {
    case RL_RES_NONE: return "none";
    case RL_RES_SYSMOD_OP: return "sys.modules-op";
    case RL_RES_RELOAD_IMPORTLIB: return "importlib.reload";
    case RL_RES_RELOAD_IMP: return "imp.reload";
    case RL_RES_RELOAD_BUILTIN: return "builtin-reload";
    case RL_RES_IMPORT_MODULE: return "importlib.import_module";
    case RL_RES_DUNDER_IMPORT: return "__import__";
    case RL_RES_IMPORT: return "import";
    case RL_RES_MODULE_ARG_CALL: return "module-arg-call";
    case RL_RES_EFFECT: return "effect";
    }
    return "?";
}

static const char *status_name(rl_file_status s)
{
    switch (s) {
    case RL_FILE_OK: return "ok";
    case RL_FILE_SYNTAX_ERROR: return "syntax-error";
    case RL_FILE_UNREADABLE: return "unreadable";
    case RL_FILE_TOO_LARGE: return "too-large";
    case RL_FILE_NOT_REGULAR: return "not-regular";
    case RL_FILE_BAD_ENCODING: return "bad-encoding";
    }
    return "?";
}

static void quoted(rl_strbuf *sb, const char *s)
{
    if (!s) {
        rl_strbuf_addc(sb, '-');
        return;
    }
    rl_strbuf_addc(sb, '"');
    rl_text_append_escaped(sb, s, strlen(s));
    rl_strbuf_addc(sb, '"');
}

static void span(rl_strbuf *sb, rl_span s)
{
    rl_strbuf_addf(sb, "%u:%u-%u:%u", s.line, s.col, s.end_line, s.end_col);
}

static void str_list(rl_strbuf *sb, const char *const *items, uint32_t n)
{
    rl_strbuf_addc(sb, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i) rl_strbuf_adds(sb, ", ");
        quoted(sb, items[i]);
    }
    rl_strbuf_addc(sb, ']');
}

static void dump_scopes(rl_strbuf *sb, const rl_file_facts *f)
{
    rl_strbuf_addf(sb, "\nscopes (%u):\n", f->scopes.len);
    for (uint32_t i = 0; i < f->scopes.len; i++) {
        const rl_scope *s = &f->scopes.items[i];
        rl_strbuf_addf(sb, "  #%u %s ", i, scope_kind_name(s->kind));
        quoted(sb, s->name);
        rl_strbuf_adds(sb, " parent=");
        if (s->parent == RL_NONE) rl_strbuf_addc(sb, '-');
        else rl_strbuf_addf(sb, "#%u", s->parent);
        rl_strbuf_adds(sb, " at=");
        span(sb, s->span);
        rl_strbuf_addc(sb, '\n');
    }
}

static const char *origin_kind_name(rl_origin_kind k)
{
    switch (k) {
    case RL_ORIGIN_FUNCTION: return "function";
    case RL_ORIGIN_CLASS: return "class";
    case RL_ORIGIN_OBJECT: return "object";
    case RL_ORIGIN_LITERAL: return "literal";
    }
    return "?";
}

/* " origin=[created-by pkg.core function, ...]" for module-level names:
 * where the object behind the name is created, after following re-exports. */
static void dump_origins(rl_strbuf *sb, const rl_project *p, const rl_file *file, const rl_binding *b)
{
    if (!p->graph || b->scope != 0 || !file->module || b->kind == RL_BIND_STAR_IMPORT) return;
    uint32_t m = rl_graph_find_from(p->graph, file->module, (uint32_t)(file - p->files.items));
    if (m == RL_NONE) return;
    rl_origin_vec o = {0};
    rl_graph_origins(p, m, b->name, &o);
    rl_strbuf_adds(sb, " origin=[");
    for (uint32_t i = 0; i < o.len; i++) {
        const rl_module *om = &p->graph->modules.items[o.items[i].module];
        rl_strbuf_addf(sb, "%s%s %s%s", i ? ", " : "", origin_kind_name(o.items[i].kind), om->name,
                       rl_module_reloaded(om) ? " (reloaded)" : "");
    }
    rl_strbuf_adds(sb, o.len ? "]" : "none: module object, builtin or unknown]");
    rl_vec_release(&o);
}

static const char *ref_kind_name(rl_ref_kind k)
{
    switch (k) {
    case RL_REF_DEFAULT_ARG: return "default-arg";
    case RL_REF_ISINSTANCE: return "isinstance";
    case RL_REF_ISSUBCLASS: return "issubclass";
    case RL_REF_EXCEPT: return "except";
    case RL_REF_TYPE_IS: return "type-is";
    case RL_REF_ATTR_LOAD: return "attr-load";
    case RL_REF_GETATTR: return "getattr";
    case RL_REF_FROM_IMPORT: return "from-import";
    }
    return "?";
}

static void dump_refs(rl_strbuf *sb, const rl_file_facts *f)
{
    rl_strbuf_addf(sb, "\nrefs (%u):\n", f->refs.len);
    for (uint32_t i = 0; i < f->refs.len; i++) {
        const rl_ref *r = &f->refs.items[i];
        rl_strbuf_addf(sb, "  #%u scope=#%u %s ", i, r->scope, ref_kind_name(r->kind));
        quoted(sb, r->dotted);
        rl_strbuf_adds(sb, " => ");
        quoted(sb, r->qual);
        rl_strbuf_adds(sb, r->via_import ? " via-import at=" : " at=");
        span(sb, r->span);
        rl_strbuf_addc(sb, '\n');
    }
}

/* The file's module as the graph sees it: reloaded where, and by what. */
static void dump_graph_view(rl_strbuf *sb, const rl_project *p, const rl_file *file)
{
    if (!p->graph || !file->module) return;
    uint32_t id = rl_graph_find_from(p->graph, file->module, (uint32_t)(file - p->files.items));
    if (id == RL_NONE) return;
    const rl_module *m = &p->graph->modules.items[id];
    rl_strbuf_addf(sb, "\nreloaded: %s%s\n", rl_module_reloaded(m) ? "yes" : "no",
                   m->assumed ? " (--assume-reloaded)" : "");
    for (uint32_t i = 0; i < m->sites.len; i++) {
        const rl_reload_site *s = &m->sites.items[i];
        rl_strbuf_adds(sb, "  at ");
        quoted(sb, p->files.items[s->file].path);
        rl_strbuf_addc(sb, ':');
        span(sb, s->span);
        if (s->helper) rl_strbuf_addf(sb, " through %s()", s->helper);
        rl_strbuf_addc(sb, '\n');
    }
}

static void dump_bindings(rl_strbuf *sb, const rl_project *p, const rl_file *file)
{
    const rl_file_facts *f = &file->facts;
    rl_strbuf_addf(sb, "\nbindings (%u):\n", f->bindings.len);
    for (uint32_t i = 0; i < f->bindings.len; i++) {
        const rl_binding *b = &f->bindings.items[i];
        rl_strbuf_addf(sb, "  #%u scope=#%u %s ", i, b->scope, binding_kind_name(b->kind));
        quoted(sb, b->name);
        rl_strbuf_adds(sb, " value=");
        quoted(sb, b->value);
        rl_strbuf_adds(sb, " at=");
        span(sb, b->span);
        if (b->flags & RL_BINDING_CONDITIONAL) rl_strbuf_adds(sb, " conditional");
        if (b->flags & RL_BINDING_TYPE_CHECKING) rl_strbuf_adds(sb, " type-checking");
        if (b->flags & RL_BINDING_IN_TRY) rl_strbuf_adds(sb, " in-try");
        if (b->qual) {
            rl_strbuf_adds(sb, " resolves=");
            quoted(sb, b->qual);
        }
        dump_origins(sb, p, file, b);
        rl_strbuf_addc(sb, '\n');
    }
}

static void dump_event(rl_strbuf *sb, const rl_event *e)
{
    switch (e->kind) {
    case RL_EV_CONTAINER_OP:
        rl_strbuf_adds(sb, " container=");
        quoted(sb, e->ref);
        rl_strbuf_addf(sb, " op=%s keys=[", container_op_name(e->op));
        for (uint32_t k = 0; k < e->nkeys; k++) {
            if (k) rl_strbuf_adds(sb, ", ");
            rl_strbuf_adds(sb, key_kind_name(e->keys[k].kind));
            if (e->keys[k].text) {
                rl_strbuf_addc(sb, ' ');
                quoted(sb, e->keys[k].text);
            }
        }
        rl_strbuf_addc(sb, ']');
        break;
    case RL_EV_CALL:
        rl_strbuf_adds(sb, " callee=");
        quoted(sb, e->ref);
        rl_strbuf_addf(sb, " target=%s ", target_kind_name(e->target_kind));
        quoted(sb, e->target);
        if (e->target_kind == RL_TARGET_SUBSCRIPT) {
            rl_strbuf_adds(sb, " keys=[");
            for (uint32_t k = 0; k < e->nkeys; k++) {
                if (k) rl_strbuf_adds(sb, ", ");
                rl_strbuf_adds(sb, key_kind_name(e->keys[k].kind));
                if (e->keys[k].text) {
                    rl_strbuf_addc(sb, ' ');
                    quoted(sb, e->keys[k].text);
                }
            }
            rl_strbuf_addc(sb, ']');
        }
        break;
    case RL_EV_IMPORT:
    case RL_EV_FROM_IMP:
        rl_strbuf_adds(sb, " modules=");
        str_list(sb, e->modules, e->nmodules);
        break;
    case RL_EV_MUTATE:
    case RL_EV_ATTR_ASSIGN:
    case RL_EV_DECORATOR:
        rl_strbuf_adds(sb, " of=");
        quoted(sb, e->ref);
        if (e->target) {
            rl_strbuf_adds(sb, " name=");
            quoted(sb, e->target);
        }
        break;
    case RL_EV_BRANCH:
    case RL_EV_ARM:
    case RL_EV_LOOP:
    case RL_EV_END:
    case RL_EV_EXIT:
    case RL_EV_JUMP:
        break;
    }
    if (e->type_checking) rl_strbuf_adds(sb, " type-checking");
    if (e->guarded) rl_strbuf_adds(sb, " guarded");
    if (e->callee) {
        rl_strbuf_adds(sb, " resolved=");
        quoted(sb, e->callee);
    }
    if (e->what != RL_RES_NONE || e->ntargets || e->nremovals) {
        rl_strbuf_addf(sb, " => %s", resolved_name(e->what));
        if (e->ntargets) {
            rl_strbuf_adds(sb, " targets=");
            str_list(sb, e->targets, e->ntargets);
        }
        if (e->nremovals) {
            rl_strbuf_adds(sb, " removals=[");
            for (uint32_t k = 0; k < e->nremovals; k++)
                rl_strbuf_addf(sb, "%s#%u", k ? ", " : "", e->removals[k]);
            rl_strbuf_addc(sb, ']');
        }
    }
}

static void dump_events(rl_strbuf *sb, const rl_file_facts *f)
{
    rl_strbuf_addf(sb, "\nevents (%u):\n", f->events.len);
    uint32_t depth = 0;
    for (uint32_t i = 0; i < f->events.len; i++) {
        const rl_event *e = &f->events.items[i];
        /* Markers indent what they enclose; ARM sits at its BRANCH's level. */
        if (e->kind == RL_EV_END && depth > 0) depth--;
        uint32_t ind = depth - (e->kind == RL_EV_ARM && depth > 0 ? 1 : 0);
        rl_strbuf_addf(sb, "  #%-3u", i);
        for (uint32_t k = 0; k < ind; k++) rl_strbuf_adds(sb, "  ");
        rl_strbuf_addf(sb, " %s flow=#%u scope=#%u at=", event_kind_name(e->kind), e->flow,
                       e->scope);
        span(sb, e->span);
        dump_event(sb, e);
        rl_strbuf_addc(sb, '\n');
        if (e->kind == RL_EV_BRANCH || e->kind == RL_EV_LOOP) depth++;
    }
}

void rl_dump_file(FILE *out, const rl_project *p, uint32_t file)
{
    const rl_file *f = &p->files.items[file];
    const rl_file_facts *facts = &f->facts;
    rl_strbuf sb = {0};
    rl_strbuf_adds(&sb, "file ");
    quoted(&sb, f->path);
    rl_strbuf_adds(&sb, "\nmodule ");
    quoted(&sb, f->module);
    rl_strbuf_addf(&sb, "%s\nstatus %s", f->is_package ? " (package)" : "", status_name(f->status));
    if (f->error) {
        rl_strbuf_addc(&sb, ' ');
        quoted(&sb, f->error);
    }
    rl_strbuf_addf(&sb, "\nlines %u%s\n", facts->nlines,
                   facts->truncated ? " (truncated: nesting too deep)" : "");
    dump_scopes(&sb, facts);
    dump_graph_view(&sb, p, f);
    dump_bindings(&sb, p, f);
    dump_events(&sb, facts);
    dump_refs(&sb, facts);
    rl_strbuf_addf(&sb, "\nsyntax errors (%u):\n", facts->syntax_errors.len);
    for (uint32_t i = 0; i < facts->syntax_errors.len; i++)
        rl_strbuf_addf(&sb, "  %u:%u\n", facts->syntax_errors.items[i].line,
                       facts->syntax_errors.items[i].col);
    rl_strbuf_addf(&sb, "\nnoqa (%u):\n", facts->noqa.len);
    for (uint32_t i = 0; i < facts->noqa.len; i++) {
        rl_strbuf_addf(&sb, "  line %u ", facts->noqa.items[i].line);
        if (facts->noqa.items[i].codes) quoted(&sb, facts->noqa.items[i].codes);
        else rl_strbuf_adds(&sb, "all");
        rl_strbuf_addc(&sb, '\n');
    }
    fwrite(sb.data, 1, sb.len, out);
    rl_strbuf_release(&sb);
}
