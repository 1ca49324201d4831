/* RL103 sys-modules-replace
 *
 * Flags: `sys.modules[k] = v`, `sys.modules.update(...)`,
 * `sys.modules.setdefault(k, v)`. Not `mock.patch.dict(sys.modules, {...})`
 * or `monkeypatch.setitem(...)`: those restore the original entry when the
 * test ends, which is the safe way to do it.
 *
 * Why: later imports of k return the replacement, while code that imported k
 * before keeps the original; `importlib.reload` of the original now raises
 * ImportError. Sometimes intended (lazy modules, test doubles), worth a look.
 *
 * Example:
 *     sys.modules["requests"] = fake_requests
 */
#include "rule_util.h"

static void check_event(const rl_project *p, uint32_t file, uint32_t ev, rl_diags *out)
{
    const rl_event *e = &p->files.items[file].facts.events.items[ev];
    if (e->what != RL_RES_SYSMOD_OP || rl_container_op_removes(e->op)) return;
    if (e->op == RL_OP_PATCH_SET || e->op == RL_OP_MP_SETITEM) return; /* restored afterwards */
    const char *one = rl_single_literal_key(e);
    const char *msg;
    if (one)
        msg = rl_arena_printf(out->arena, "`sys.modules[\"%s\"]` replaced: later imports of `%s` "
                              "get the replacement while earlier importers keep the original",
                              one, one);
    else
        msg = rl_arena_printf(out->arena, "%s of `sys.modules` replaced: later imports get the "
                              "replacement while earlier importers keep the original",
                              rl_describe_keys(out, e));
    rl_diag *d = rl_report(out, RL_RL103, p, file, e, msg);
    d->target = one;
    d->help = "confine the replacement to a test with `mock.patch.dict(sys.modules, ...)` so the "
              "original is restored, and do not reload the replaced module";
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_sys_modules_replace = {
    .code = "RL103",
    .name = "sys-modules-replace",
    .severity = RL_SEV_NOTE,
    .summary = "A `sys.modules` entry is replaced",
    .what = "Flags assignments that put another object into `sys.modules`: `sys.modules[k] = v`, "
            "`.update(...)` and `.setdefault(k, v)`. `mock.patch.dict(sys.modules, {...})` and "
            "`monkeypatch.setitem(sys.modules, ...)` are not flagged: they restore the entry.",
    .why = "Imports that run later return the replacement; code that imported the module before "
           "keeps the original object, and `importlib.reload` of the original raises ImportError "
           "because `sys.modules` no longer maps its name to it. Legitimate for lazy modules and "
           "test doubles, but worth a look.",
    .example = "import sys\n\nsys.modules[\"requests\"] = fake_requests\n",
    .use_instead = "from unittest import mock\n\nwith mock.patch.dict(sys.modules, {\"requests\": "
                   "fake_requests}):\n    run_tests()\n",
    .check = check,
};
