/* flow.h - "A happens before B on the same path" for one flow scope.
 *
 * Walks the events of a module body or one function body in program order,
 * following the structure markers: arms of one if/elif/else, try/except or
 * match start from the state before the construct and never see each other;
 * loop bodies run twice so a removal late in the body reaches an import early
 * in the next iteration; return/raise end a path; break/continue leave it for
 * the loop exit. The state is the set of sys.modules removals (and, for
 * reloads, replacements) that may be live: "may" semantics, so an import
 * after `if c: del sys.modules["m"]` pairs with the removal.
 *
 * Results: for every import event (statement, import_module, __import__) the
 * removals it re-imports after, and for every reload the removals or
 * replacements that make it fail; stored in rl_event.removals / .paired. */
#ifndef RL_FLOW_H
#define RL_FLOW_H

#include "facts.h"

/* Pairs events of every flow scope of f that holds a removal or replacement.
 * Events must already be classified (rl_event.what). Arrays it stores are
 * owned by f->arena. */
void rl_flow_pair(rl_file_facts *f);

#endif
