/* RL103 sys-modules-replace
 *
 * Flags: `sys.modules[k] = v`, `sys.modules.update(...)`,
 * `sys.modules.setdefault(k, v)`, and the test helpers that do the same for
 * the length of a test: `monkeypatch.setitem(sys.modules, k, v)`,
 * `mock.patch.dict(sys.modules, {k: v})` (as RL101 flags their removing forms).
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
    d->help = "inject the dependency instead (a parameter or a factory), or keep the replacement "
              "inside a test and never reload the replaced module";
}

static void check(const rl_project *p, rl_diags *out) { rl_for_each_event(p, out, check_event); }

const rl_rule rl_rule_sys_modules_replace = {
    .code = "RL103",
    .name = "sys-modules-replace",
    .severity = RL_SEV_NOTE,
    .summary = "A `sys.modules` entry is replaced",
    .what = "Flags code that puts another object into `sys.modules`: `sys.modules[k] = v`, "
            "`.update(...)`, `.setdefault(k, v)`, and for the length of a test "
            "`monkeypatch.setitem(sys.modules, k, v)` and `mock.patch.dict(sys.modules, {k: v})`.",
    .why = "Imports that run later return the replacement; code that imported the module before "
           "keeps the original object, and `importlib.reload` of the original raises ImportError "
           "because `sys.modules` no longer maps its name to it. Legitimate for lazy modules and "
           "test doubles, but worth a look.",
    .example = "import sys\n\nsys.modules[\"requests\"] = fake_requests\n",
    .use_instead = "def fetch(url, http=requests):  # inject the dependency\n    return http.get(url)\n\n"
                   "fetch(url, http=fake_requests)\n",
    .check = check,
};
