/* rule_util.c - helpers shared by the rule files (see rule_util.h). */
#include "rule_util.h"

#include <string.h>

#include "graph.h"

void rl_for_each_event(const rl_project *p, rl_diags *out, rl_event_fn fn)
{
    for (uint32_t f = 0; f < p->files.len; f++) {
        const rl_file *file = &p->files.items[f];
        if (file->status != RL_FILE_OK && file->status != RL_FILE_SYNTAX_ERROR) continue;
        for (uint32_t e = 0; e < file->facts.events.len; e++) fn(p, f, e, out);
    }
}

const char *rl_single_literal_key(const rl_event *e)
{
    if (e->nkeys == 1 && e->keys[0].kind == RL_KEY_LITERAL) return e->keys[0].text;
    return NULL;
}

const char *rl_describe_keys(rl_diags *out, const rl_event *e)
{
    rl_strbuf sb = {0};
    for (uint32_t k = 0; k < e->nkeys; k++) {
        const rl_key *key = &e->keys[k];
        if (k) rl_strbuf_adds(&sb, k + 1 == e->nkeys ? " and " : ", ");
        switch (key->kind) {
        case RL_KEY_LITERAL: rl_strbuf_addf(&sb, "`%s`", key->text); break;
        case RL_KEY_PREFIX: rl_strbuf_addf(&sb, "modules starting with `%s`", key->text); break;
        case RL_KEY_ALL: rl_strbuf_adds(&sb, "every module"); break;
        case RL_KEY_UNKNOWN:
        case RL_KEY_NAME_OF: rl_strbuf_adds(&sb, "a computed entry"); break;
        }
    }
    const char *s = rl_arena_strdup(out->arena, sb.data ? sb.data : "an entry");
    rl_strbuf_release(&sb);
    return s;
}

rl_diag *rl_report(rl_diags *out, rl_rule_id rule, const rl_project *p, uint32_t file,
                   const rl_event *e, const char *message)
{
    rl_diag *d = rl_diag_add(out, rule, file, e->span, message);
    d->module = p->files.items[file].module;
    return d;
}

bool rl_is_reload(const rl_event *e)
{
    return e->kind == RL_EV_CALL &&
           (e->what == RL_RES_RELOAD_IMPORTLIB || e->what == RL_RES_RELOAD_IMP ||
            e->what == RL_RES_RELOAD_BUILTIN);
}

const char *rl_reload_function_name(const rl_event *e)
{
    switch (e->what) {
    case RL_RES_RELOAD_IMP: return "imp.reload";
    case RL_RES_RELOAD_BUILTIN: return "reload";
    default: return "importlib.reload";
    }
}

void rl_add_reload_sites(rl_diags *out, rl_diag *d, const rl_project *p, uint32_t module)
{
    const rl_module *m = &p->graph->modules.items[module];
    for (uint32_t i = 0; i < m->sites.len; i++) {
        const rl_reload_site *s = &m->sites.items[i];
        const char *msg = s->helper
            ? rl_arena_printf(out->arena, "`%s` reloaded here through `%s()`", m->name, s->helper)
            : rl_arena_printf(out->arena, "`%s` reloaded here", m->name);
        rl_diag_add_related(out, d, s->file, s->span, msg);
    }
}

const char *rl_assumed_note(const rl_project *p, uint32_t module)
{
    const rl_module *m = &p->graph->modules.items[module];
    return m->sites.len == 0 && m->assumed ? " (--assume-reloaded)" : "";
}

const char *rl_origin_word(int origin_kind)
{
    switch ((rl_origin_kind)origin_kind) {
    case RL_ORIGIN_FUNCTION: return "function";
    case RL_ORIGIN_CLASS: return "class";
    case RL_ORIGIN_LITERAL: return "value";
    case RL_ORIGIN_OBJECT: break;
    }
    return "object";
}

bool rl_scope_runs_at_import(const rl_file_facts *f, uint32_t scope)
{
    for (uint32_t s = scope; s != RL_NONE; s = f->scopes.items[s].parent)
        if (f->scopes.items[s].kind == RL_SCOPE_FUNCTION) return false;
    return true;
}
