/* RL401 reload-repeats-side-effects
 *
 * Flags: module-level statements of a reloaded module (also inside top-level
 * if/try blocks and class bodies, which run at import) that register or
 * change state outside the module: atexit/signal/codecs/copyreg/warnings/
 * logging configuration calls, handlers added to shared loggers, sys.path /
 * meta_path / path_hooks edits, os.environ writes, threads started,
 * monkey patches of other modules (`other.attr = x`, `setattr(other, ...)`),
 * `.append/.add/.update/.register/.connect/...` on other modules' objects,
 * and registering decorators (`@other.register`, `@app.route(...)`,
 * `@receiver(...)`, `@atexit.register`). Guarded, idempotent forms
 * (`if h not in logger.handlers:`, `if p not in sys.path:`) are not flagged.
 *
 * Why: a reload re-runs the whole top level; everything it registered
 * outside the module is registered again - log lines printed twice, exit
 * handlers run twice, patches stacked on patches.
 *
 * Example:
 *     logging.getLogger().addHandler(StreamHandler())   # one more per reload
 */
#include "graph.h"
#include "rule_util.h"

#include <string.h>

/* Calls that register with or configure the interpreter or a library. */
static const char *const effect_calls[] = {
    "atexit.register", "signal.signal", "logging.basicConfig", "logging.config.dictConfig",
    "logging.config.fileConfig", "logging.captureWarnings", "logging.setLoggerClass",
    "logging.disable", "warnings.filterwarnings", "warnings.simplefilter",
    "codecs.register", "copyreg.pickle", "os.putenv", "sys.settrace", "sys.setprofile",
    "sys.addaudithook", "sys.setrecursionlimit", "threading.Thread().start", "threading.settrace",
    "faulthandler.enable", "faulthandler.register", "socket.setdefaulttimeout",
    "mimetypes.add_type", "readline.set_completer", "gc.disable", "os.register_at_fork",
    "signal.siginterrupt", "sys.set_asyncgen_hooks", "threading.setprofile", "sys.set_int_max_str_digits",
};

/* Last names of decorators that register the decorated function somewhere. */
static const char *const registering_decorators[] = {
    "register", "route", "connect", "receiver", "subscribe", "listen", "listens_for",
    "add_route", "hookimpl", "on",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static const char *last_name(const char *q)
{
    const char *dot = strrchr(q, '.');
    return dot ? dot + 1 : q;
}

/* Whether q names something owned by another module than `self` (graph id):
 * "sys.path", "other.REGISTRY", or a shared object from a getter
 * ("logging.getLogger()"); with module_ok, also a module itself ("json" of
 * `json.dumps = ...`). A method call on a module is a plain call, judged by
 * the call list instead. */
static bool outside(const rl_project *p, uint32_t file, uint32_t self, const char *q, bool module_ok)
{
    if (rl_str_starts_with(q, "logging.getLogger()") || rl_str_starts_with(q, "logging.root")) return true;
    if (strstr(q, "()")) return false; /* an object the module creates by a call: recreated on reload */
    uint32_t m;
    const char *attr;
    if (!rl_graph_split(p->graph, q, file, &m, &attr)) return false;
    return m != self && (module_ok || *attr);
}

/* How to name what a mutation reaches, for the message. */
static const char *reached(rl_diags *out, const char *q)
{
    if (rl_str_starts_with(q, "logging.getLogger()")) return "a logger shared by the whole process";
    return rl_arena_printf(out->arena, "`%s`", q);
}

static const char *describe(const rl_event *e)
{
    switch (e->kind) {
    case RL_EV_MUTATE: return "changes";
    case RL_EV_ATTR_ASSIGN: return "patches";
    case RL_EV_DECORATOR: return "registers with";
    default: return "calls";
    }
}

/* The message for an event that repeats a side effect, or NULL. */
static const char *judge(const rl_project *p, uint32_t file, uint32_t self, const rl_event *e, rl_diags *out)
{
    const char *q = e->callee;
    if (!q || e->guarded || e->type_checking || e->flow != 0) return NULL;
    switch (e->kind) {
    case RL_EV_CALL: {
        const rl_str_list *extra = &p->options->side_effect_calls;
        bool listed = in_list(q, effect_calls, sizeof effect_calls / sizeof effect_calls[0]);
        for (uint32_t i = 0; i < extra->len && !listed; i++) listed = strcmp(q, extra->items[i]) == 0;
        if (!listed) return NULL;
        return rl_arena_printf(out->arena, "`%s(...)` runs again on every reload of `%s`: it registers twice",
                               q, p->graph->modules.items[self].name);
    }
    case RL_EV_MUTATE:
        if (!outside(p, file, self, q, false)) return NULL;
        return rl_arena_printf(out->arena, "`%s.%s` %s %s, which outlives a reload of `%s`: it runs again "
                               "on every reload", e->ref, e->target, describe(e), reached(out, q),
                               p->graph->modules.items[self].name);
    case RL_EV_ATTR_ASSIGN:
        if (!outside(p, file, self, q, true)) return NULL;
        return rl_arena_printf(out->arena, "assignment to `%s.%s` patches another module's object: it is "
                               "applied again on every reload of `%s`", e->ref, e->target,
                               p->graph->modules.items[self].name);
    case RL_EV_DECORATOR:
        if (strcmp(q, "atexit.register") != 0 &&
            !(in_list(last_name(q), registering_decorators,
                      sizeof registering_decorators / sizeof registering_decorators[0]) &&
              outside(p, file, self, q, true)))
            return NULL;
        return rl_arena_printf(out->arena, "decorator `@%s` registers the function again on every reload "
                               "of `%s`: the old registration stays", e->ref, p->graph->modules.items[self].name);
    default:
        return NULL;
    }
}

static void check(const rl_project *p, rl_diags *out)
{
    if (!p->graph || !p->graph->any_reloaded) return;
    const rl_graph *g = p->graph;
    for (uint32_t m = 0; m < g->modules.len; m++) {
        const rl_module *mod = &g->modules.items[m];
        if (mod->file == RL_NONE || !rl_module_reloaded(mod)) continue;
        const rl_file_facts *f = &p->files.items[mod->file].facts;
        for (uint32_t i = 0; i < f->events.len; i++) {
            const rl_event *e = &f->events.items[i];
            const char *msg = judge(p, mod->file, m, e, out);
            if (!msg) continue;
            rl_diag *d = rl_diag_add(out, RL_RL401, mod->file, e->span,
                                     rl_arena_printf(out->arena, "%s%s", msg, rl_assumed_note(p, m)));
            d->module = mod->name;
            d->symbol = e->kind == RL_EV_CALL ? e->callee : e->ref;
            d->target = mod->name;
            d->help = "make it idempotent (check before registering) or move it out of the reloaded module";
            rl_add_reload_sites(out, d, p, m);
        }
    }
}

const rl_rule rl_rule_reload_repeats_side_effects = {
    .code = "RL401",
    .name = "reload-repeats-side-effects",
    .severity = RL_SEV_WARNING,
    .summary = "Top-level code of a reloaded module registers or mutates state outside it",
    .what = "Flags module-level statements of a reloaded module (including top-level `if`/`try` "
            "blocks and class bodies) that register or change state outside the module: "
            "`atexit.register`, `signal.signal`, logging configuration and handlers on shared "
            "loggers, `sys.path`/`sys.meta_path` edits, `os.environ` writes, `warnings` filters, "
            "`codecs.register`, `copyreg.pickle`, started threads, monkey patches of other modules, "
            "`.append`/`.register`/`.connect`... on other modules' objects, and registering "
            "decorators. Idempotent forms guarded by `if x not in ...:` are not flagged.",
    .why = "A reload re-executes the module's whole top level. Whatever it registered outside "
           "itself is registered again: every log line is printed twice, exit handlers and signal "
           "handlers run twice, patches stack on patches, and plugin hooks fire once per reload.",
    .example = "import logging\n\nlogging.getLogger().addHandler(logging.StreamHandler())\n",
    .use_instead = "import logging\n\n_handler = logging.StreamHandler()\nroot = logging.getLogger()\n"
                   "if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):\n"
                   "    root.addHandler(_handler)\n",
    .check = check,
};
