/* RL102 reimport-after-delete
 *
 * Flags: an import of module M (`import M`, `from M import x`,
 * `importlib.import_module("M")`, `__import__("M")`) that runs after M was
 * removed from sys.modules earlier on the same path of the same scope.
 * Reported at the import; the related location is the removal.
 *
 * Why: the import executes M's body again into a new module object. Modules
 * that imported M before the removal keep the old object, so the program now
 * holds two copies of M with separate state ("split brain").
 *
 * Example:
 *     del sys.modules["foo"]
 *     import foo               # bar.foo is still the old module
 */
#include "rule_util.h"

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_file_facts *f = &p->files.items[file].facts;
    const rl_event *e = &f->events.items[ev];
    if (e->nremovals == 0 || rl_is_reload(e)) return;
    const char *m = e->paired;
    rl_diag *d = rl_report(out, RL_RL102, p, file, e,
                           rl_arena_printf(out->arena, "`%s` imported again after its removal from "
                                           "`sys.modules`: a second module object, while earlier "
                                           "importers keep the old one", m));
    d->target = m;
    d->help = rl_arena_printf(out->arena, "keep one module object: refresh it with "
                              "`importlib.reload(%s)` instead of removing and re-importing it", m);
    for (uint32_t i = 0; i < e->nremovals; i++) {
        const rl_event *r = &f->events.items[e->removals[i]];
        rl_diag_add_related(out, d, file, r->span,
                            rl_arena_printf(out->arena, "%s removed from `sys.modules` here",
                                            rl_describe_keys(out, r)));
    }
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_reimport_after_delete = {
    .code = "RL102",
    .name = "reimport-after-delete",
    .severity = RL_SEV_WARNING,
    .summary = "A module is imported again after its removal from `sys.modules`",
    .what = "Flags an import of module `M` (`import M`, `from M import x`, "
            "`importlib.import_module(\"M\")`, `__import__(\"M\")`) that runs after `M` was removed "
            "from `sys.modules` earlier on the same path of the same scope (module body or one "
            "function). Branches of one `if`/`else` or `try`/`except` do not pair with each other.",
    .why = "The import executes `M` again into a brand-new module object. Every module that "
           "imported `M` before the removal still holds the old object, so the program now runs "
           "two copies of `M` with separate globals: state set through one is invisible through "
           "the other, and their classes are different types.",
    .example = "import sys\nimport foo\n\ndel sys.modules[\"foo\"]\nimport foo  # modules that "
               "imported foo earlier keep the old object\n",
    .use_instead = "import importlib\nimport foo\n\nimportlib.reload(foo)  # same object, new code\n",
    .check = check,
};
