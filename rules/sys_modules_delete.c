/* RL101 sys-modules-delete
 *
 * Flags: every removal of a `sys.modules` entry - `del sys.modules[k]`,
 * `.pop`, `.popitem`, `.clear`, deletion loops, `monkeypatch.delitem(sys.modules, k)`,
 * `mock.patch.dict(sys.modules, clear=True)` - through any alias of `sys` or
 * `sys.modules`.
 *
 * Why: `import m` only runs m's body when "m" is missing from sys.modules.
 * After the removal the next import builds a NEW module object while every
 * module that imported m before keeps the old one: two live copies.
 *
 * Example:
 *     del sys.modules["config"]
 *     import config            # a second `config`; others still see the first
 */
#include "rule_util.h"

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_event *e = &p->files.items[file].facts.events.items[ev];
    if (e->what != RL_RES_SYSMOD_OP || !rl_container_op_removes(e->op)) return;
    const char *one = rl_single_literal_key(e);
    const char *msg;
    if (e->nkeys == 1 && e->keys[0].kind == RL_KEY_ALL)
        msg = "`sys.modules` cleared: every later import creates a second copy of its module";
    else if (one)
        msg = rl_arena_printf(out->arena, "`%s` removed from `sys.modules`: the next `import %s` "
                              "creates a second module object", one, one);
    else
        msg = rl_arena_printf(out->arena, "%s removed from `sys.modules`: importing again creates "
                              "a second module object", rl_describe_keys(out, e));
    rl_diag *d = rl_report(out, RL_RL101, p, file, e, msg);
    d->target = one;
    d->help = one ? rl_arena_printf(out->arena, "refresh the module in place with "
                                    "`importlib.reload(%s)`, or restore the entry afterwards", one)
                  : "refresh modules in place with `importlib.reload`, or restore the entries afterwards";
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_sys_modules_delete = {
    .code = "RL101",
    .name = "sys-modules-delete",
    .severity = RL_SEV_WARNING,
    .summary = "An entry is removed from `sys.modules`",
    .what = "Flags every removal of a `sys.modules` entry: `del sys.modules[k]`, `.pop()`, "
            "`.popitem()`, `.clear()`, deletion loops, `monkeypatch.delitem(sys.modules, ...)` and "
            "`mock.patch.dict(sys.modules, clear=True)`, through any alias of `sys` or `sys.modules`.",
    .why = "`import m` runs the module body only when `\"m\"` is missing from `sys.modules`. After a "
           "removal, the next import creates a NEW module object while every module that imported "
           "`m` before keeps the old one: two live copies of one module, with separate globals, "
           "classes that fail `isinstance` checks, and registries that disagree.",
    .example = "import sys\n\ndel sys.modules[\"config\"]\nimport config  # a second `config`\n",
    .use_instead = "import importlib\n\nimport config\n\nimportlib.reload(config)  # one module object, refreshed in place\n",
    .check = check,
};
