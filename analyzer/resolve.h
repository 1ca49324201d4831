/* resolve.h - what a dotted name in a scope refers to, through the bindings
 * of one file: `il.reload` -> "importlib.reload" after `import importlib as il`,
 * `mods` -> "sys.modules" after `mods = sys.modules`.
 *
 * Python decides locality per scope, not per statement, so resolution is
 * flow-insensitive within a scope: every binding of the name in the scope that
 * owns it is a candidate. A name bound to anything that is not an import or an
 * alias (a def, a parameter, a class attribute, a computed value) is local and
 * resolves to nothing, which is how shadowing defeats a match. */
#ifndef RL_RESOLVE_H
#define RL_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "facts.h"

typedef struct rl_resolver {
    const rl_file_facts *facts;
    const char *module;   /* the file's module name: module-level definitions are "<module>.<name>" */
    rl_arena *arena;      /* owns the returned strings */
    const uint32_t *by_name; /* facts->binding_index */
} rl_resolver;

/* Whether b makes its name a local object of its scope (a def, a parameter, a
 * computed value): anything but an import, an alias, a del, a declaration or
 * the star import. Such a binding shadows every import of the name, so
 * whatever is reached through it resolves to nothing outside module scope. */
bool rl_binding_is_local_object(const rl_binding *b);

/* Sorts the bindings of facts by (scope, name) into facts->binding_index
 * (owned by the file's arena). Once per file, before any resolver. */
void rl_resolver_index(rl_file_facts *facts);

/* A resolver over indexed facts; the strings it returns are allocated in
 * arena (the file's arena in a worker, the run arena afterwards). */
void rl_resolver_init(rl_resolver *r, const rl_file_facts *facts, const char *module, rl_arena *arena);

/* The qualified name of `dotted` as seen from scope: "sys.modules",
 * "importlib.reload"; "<module>.<name>" for a module-level definition of this
 * file; "builtins.<name>" when the head name is bound nowhere (and no star
 * import could supply it); NULL when the head is a function-local object
 * (parameter, local def, computed value...). Strings are arena-owned. */
const char *rl_resolve(const rl_resolver *r, uint32_t scope, const char *dotted);

/* Like rl_resolve, but only when the head name is bound by an import (a module
 * object or a from-import that may be one); NULL otherwise. */
const char *rl_resolve_module(const rl_resolver *r, uint32_t scope, const char *dotted);

/* Both at once: rl_resolve's answer, and *via_import set when rl_resolve_module
 * would return the same string rather than NULL. */
const char *rl_resolve_ex(const rl_resolver *r, uint32_t scope, const char *dotted, bool *via_import);

/* The bindings of `name` in `scope`: returns the first position in
 * f->binding_index and sets *count (RL_NONE and 0 when there are none). */
uint32_t rl_bindings_of(const rl_file_facts *f, uint32_t scope, const char *name, uint32_t *count);

#endif
