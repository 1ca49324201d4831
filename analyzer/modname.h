/* modname.h - pure helpers on dotted module names ("pkg.a.b") and on the
 * module patterns of --assume-reloaded ("pkg.mod", "pkg.*").
 *
 * Names are compared component by component, never as raw prefixes: "pkg"
 * holds "pkg.a" but not "pkgx". Nothing here touches the file system. */
#ifndef RL_MODNAME_H
#define RL_MODNAME_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* Whether name is one or more identifiers joined by single dots ("a", "a.b_2").
 * Identifiers are ASCII letters, digits and '_' (not starting with a digit);
 * bytes >= 0x80 are accepted as identifier characters so that non-ASCII
 * (PEP 3131) names pass. Keywords are not rejected. */
bool rl_is_valid_module_name(const char *name);

/* Whether pattern is a valid --assume-reloaded value: a module name
 * (rl_is_valid_module_name), optionally ending in ".*" ("pkg.*"). A bare "*",
 * "pkg*", "pkg.*.a" and empty components are invalid. */
bool rl_is_valid_module_pattern(const char *pattern);

/* Whether module matches a valid pattern: "pkg.*" matches "pkg" and every
 * module below it ("pkg.x", "pkg.x.y"); a plain "a.b" matches only "a.b". */
bool rl_module_matches_pattern(const char *module, const char *pattern);

/* Whether child is pkg itself or a module below it: ("pkg.a.b", "pkg") and
 * ("pkg", "pkg") are, ("pkgx", "pkg") and ("pkg", "pkg.a") are not. */
bool rl_module_is_within(const char *child, const char *pkg);

/* The length of the parent package name in module: 5 for "pkg.a.b" ("pkg.a"),
 * 0 for a top-level module. */
size_t rl_module_parent_len(const char *module);

/* The parent package of module ("pkg.a" for "pkg.a.b"), allocated in a; NULL
 * for a top-level module. */
const char *rl_module_parent(rl_arena *a, const char *module);

#endif
