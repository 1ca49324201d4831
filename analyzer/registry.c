/* registry.c - the rule table, built from RL_RULES in code order, and rule
 * selection (--select / --ignore). */
#include "registry.h"

#include <string.h>

#include "util.h"

static const rl_rule *const rules[RL_RULE_COUNT] = {
#define RL_RULE_PTR(code, ident) &rl_rule_##ident,
    RL_RULES(RL_RULE_PTR)
#undef RL_RULE_PTR
};

const rl_rule *rl_rule_get(rl_rule_id id)
{
    if ((unsigned)id >= RL_RULE_COUNT) RL_BUG("rl_rule_get: bad rule id %d", (int)id);
    return rules[id];
}

const rl_rule *rl_rule_find(const char *code)
{
    for (int i = 0; i < RL_RULE_COUNT; i++)
        if (strcmp(rules[i]->code, code) == 0) return rules[i];
    return NULL;
}

const char *rl_severity_name(rl_severity s)
{
    switch (s) {
    case RL_SEV_ERROR: return "error";
    case RL_SEV_WARNING: return "warning";
    case RL_SEV_NOTE: return "note";
    }
    RL_BUG("rl_severity_name: bad severity %d", (int)s);
}

/* Applies one trimmed item; returns false when it matches no rule. */
static bool apply_item(rl_rule_set *set, const char *item, size_t n, bool on)
{
    bool all = n == 3 && memcmp(item, "ALL", 3) == 0;
    bool matched = false;
    for (int i = 0; i < RL_RULE_COUNT; i++) {
        if (all || (strlen(rules[i]->code) >= n && memcmp(rules[i]->code, item, n) == 0)) {
            set->on[i] = on;
            matched = true;
        }
    }
    return matched;
}

/* A code or prefix of the SPEC's numbering (RL1xx..RL4xx) that this version
 * does not implement yet: configurations written for newer versions keep
 * working, with a warning, instead of failing the run. */
static bool is_contract_code(const char *item, size_t n)
{
    if (n < 2 || n > 5 || item[0] != 'R' || item[1] != 'L') return false;
    if (n >= 3 && (item[2] < '1' || item[2] > '4')) return false;
    for (size_t i = 3; i < n; i++)
        if (item[i] < '0' || item[i] > '9') return false;
    return true;
}

int rl_rule_set_apply(rl_rule_set *set, const char *list, bool on)
{
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
        /* Empty items ("RL101,,RL102", a trailing comma) are harmless. */
        if (b > a && !apply_item(set, a, (size_t)(b - a), on) && is_contract_code(a, (size_t)(b - a)))
            rl_warning("`%.*s` matches no rule of this version (see `reloadlint --list-rules`)",
                       (int)(b - a), a);
        else if (b > a && !apply_item(set, a, (size_t)(b - a), on))
            return rl_error("unknown rule code or prefix `%.*s` (run `reloadlint --list-rules` "
                            "to see every rule)",
                            (int)(b - a), a);
        p = *end ? end + 1 : end;
    }
    return 0;
}
