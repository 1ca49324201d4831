/* diag.c - appending findings. Messages are copied into the run arena so a
 * rule may build them in a stack buffer. */
#include "diag.h"

#include <string.h>

rl_diag *rl_diag_add(rl_diags *d, rl_rule_id rule, uint32_t file, rl_span span,
                     const char *message)
{
    if ((unsigned)rule >= RL_RULE_COUNT) RL_BUG("rl_diag_add: bad rule id %d", (int)rule);
    if (!d->arena) RL_BUG("rl_diag_add: rl_diags has no arena");
    rl_diag diag = {
        .rule = rule,
        .file = file,
        .span = span,
        .message = rl_arena_strdup(d->arena, message ? message : ""),
    };
    rl_vec_push(&d->items, diag);
    return rl_vec_last(&d->items);
}

void rl_diag_add_related(rl_diags *d, rl_diag *diag, uint32_t file, rl_span span,
                         const char *message)
{
    /* Related lists are short (a few reload sites): copying the array into
     * the arena on each append is simpler than tracking a capacity. */
    rl_related *items = rl_arena_alloc(d->arena, sizeof(rl_related) * (diag->nrelated + 1));
    if (diag->nrelated) memcpy(items, diag->related, sizeof(rl_related) * diag->nrelated);
    items[diag->nrelated] = (rl_related){
        .file = file,
        .span = span,
        .message = rl_arena_strdup(d->arena, message ? message : ""),
    };
    diag->related = items;
    diag->nrelated++;
}
