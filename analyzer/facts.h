/* facts.h - what the front end extracts from one Python file.
 *
 * The tree-sitter tree is freed as soon as a file's facts are extracted; rules
 * and the module model only ever see these compact records. Every string and
 * array here is owned by the file's arena (rl_file_facts.arena).
 *
 * Locations are 1-based lines and 1-based columns counted in Unicode code
 * points; end_col is exclusive. */
#ifndef RL_FACTS_H
#define RL_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "vec.h"

#define RL_NONE UINT32_MAX

typedef struct rl_span {
    uint32_t line, col, end_line, end_col;
} rl_span;

/* ---- scopes ------------------------------------------------------------ */

typedef enum rl_scope_kind {
    RL_SCOPE_MODULE,
    RL_SCOPE_CLASS,
    RL_SCOPE_FUNCTION, /* def and lambda bodies */
} rl_scope_kind;

typedef struct rl_scope {
    rl_scope_kind kind;
    uint32_t parent;     /* RL_NONE for the module scope (always scope 0) */
    const char *name;    /* function or class name; "<module>" for scope 0 */
    rl_span span;
} rl_scope;

/* ---- bindings ----------------------------------------------------------
 * One record per place where a name is bound. Resolution is flow-insensitive
 * within a scope (as Python decides locality), so every binding of a name in
 * a scope is a candidate for what the name refers to. */

typedef enum rl_binding_kind {
    RL_BIND_IMPORT,       /* import a.b.c binds a -> module "a"; import a.b as c binds c -> "a.b" */
    RL_BIND_FROM_IMPORT,  /* from M import x [as y]: value = "M.x" (module M absolute, attr x) */
    RL_BIND_STAR_IMPORT,  /* from M import *: name "*", value = "M" */
    RL_BIND_ALIAS,        /* y = <dotted name>: value = the dotted text, resolved later */
    RL_BIND_DEF,          /* def / async def */
    RL_BIND_CLASS,
    RL_BIND_PARAM,
    RL_BIND_GLOBAL_DECL,  /* `global x` in a function: lookups go to the module scope */
    RL_BIND_NONLOCAL_DECL,
    RL_BIND_LITERAL,      /* x = 1 / "s" / None / True / (1, 2): immutable value */
    RL_BIND_CONTAINER,    /* x = [] / {} / set() / dict() / comprehension: new mutable object */
    RL_BIND_CALL,         /* x = f(...): value = dotted callee when it has one */
    RL_BIND_LAMBDA,
    RL_BIND_LOOP_VAR,     /* for x in ...; with ... as x; except ... as x; walrus */
    RL_BIND_DELETE,       /* del x */
    RL_BIND_OTHER,        /* anything else: an opaque local object */
} rl_binding_kind;

enum {
    RL_BINDING_CONDITIONAL = 1u << 0, /* inside if/try/loop/with at its scope level */
    RL_BINDING_TYPE_CHECKING = 1u << 1, /* under `if TYPE_CHECKING:`: never runs */
    RL_BINDING_IN_TRY = 1u << 2,
    RL_BINDING_GUARDED = 1u << 3, /* under an idempotence guard (`if "X" not in globals():`) */
};

typedef struct rl_binding {
    rl_binding_kind kind;
    uint32_t scope;
    uint32_t flags;
    const char *name;
    const char *value;   /* see the kinds above; NULL when not meaningful */
    const char *attr;    /* FROM_IMPORT: the imported name ("x" of `from M import x as y`) */
    const char *qual;    /* ALIAS at module/class level: what value resolved to (model.c) */
    bool qual_via_import;/* ALIAS: the head of value is bound by an import (M.attr) */
    rl_span span;        /* the bound name; a star import: the statement */
    rl_span value_span;  /* ALIAS: the value expression */
} rl_binding;

/* ---- class and default-argument references (RL302, RL304) -------------- */

typedef enum rl_ref_kind {
    RL_REF_DEFAULT_ARG, /* def f(x=M.attr): evaluated once, at definition time */
    RL_REF_ISINSTANCE,  /* isinstance(x, C) */
    RL_REF_ISSUBCLASS,  /* issubclass(x, C) */
    RL_REF_EXCEPT,      /* except C: */
    RL_REF_TYPE_IS,     /* type(x) is C / type(x) == C */
    RL_REF_ATTR_LOAD,   /* X.a.b read (the outermost identifier chain): kept by the model
                           only when the head X is bound by an import, and at most
                           RL_ATTR_LOADS_PER_NAME times per file and qualified name (RL305) */
    RL_REF_GETATTR,     /* getattr(X, "name") with two arguments: dotted = "X.name"; kept
                           like ATTR_LOAD (RL305) */
    RL_REF_FROM_IMPORT, /* `from M import name` in a function (its binding is compacted away):
                           dotted = qual = "M.name", param = the imported name (RL305) */
} rl_ref_kind;

typedef struct rl_ref {
    rl_ref_kind kind;
    uint32_t scope;
    const char *dotted;  /* the referenced name as written */
    const char *param;   /* DEFAULT_ARG: the parameter it is the default of */
    const char *qual;    /* what it resolved to (model.c); NULL when local or unknown */
    bool via_import;     /* the head name is bound by an import */
    rl_span span;
} rl_ref;

/* Module-level pseudo-bindings (kind RL_BIND_OTHER, scope 0) that no Python
 * name can collide with (RL305 asks "does M still bind name?"):
 *   "<dynamic>": M writes its namespace dynamically (globals()[k] = v,
 *                globals().update, vars() writes, sys.modules[__name__]
 *                .__dict__ writes, setattr(sys.modules[__name__], ...));
 *                value = how.
 *   "<global>":  a function of M declares `global value`: calling it binds
 *                value at module level. */
#define RL_PSEUDO_DYNAMIC "<dynamic>"
#define RL_PSEUDO_GLOBAL "<global>"

/* ---- events ------------------------------------------------------------
 * Program-ordered records of the things the rules judge, with the control
 * structure of each flow scope (module body or one function body) kept as
 * markers, so that "A happens before B on the same path" can be decided on
 * facts alone (see flow.h). Class bodies execute inline: their events belong
 * to the enclosing flow scope. */

typedef enum rl_event_kind {
    /* control structure markers */
    RL_EV_BRANCH,    /* starts an if/elif/else or try/except: arms follow */
    RL_EV_ARM,       /* the next arm of the innermost BRANCH */
    RL_EV_LOOP,      /* starts a loop body (for/while); may run 0, 1 or many times */
    RL_EV_END,       /* ends the innermost BRANCH or LOOP */
    RL_EV_EXIT,      /* return / raise: the rest of this path is not reached */
    RL_EV_JUMP,      /* break / continue: the rest of this arm is not reached */
    /* judged events */
    RL_EV_CONTAINER_OP, /* an operation on a dict-like container that may be sys.modules */
    RL_EV_IMPORT,       /* import statement: modules[] are the absolute names it loads */
    RL_EV_CALL,         /* a call whose callee may be a reload or import function */
    RL_EV_FROM_IMP,     /* `from imp import ...` (RL203) */
    RL_EV_MUTATE,       /* X.append(...) / X[k] = v / X += ...: ref = X, target = the method
                           ("__setitem__", "+=" for the statements) */
    RL_EV_ATTR_ASSIGN,  /* X.attr = v, setattr(X, "attr", v): ref = X, target = attr */
    RL_EV_DECORATOR,    /* @ref or @ref(...) on a def or class */
} rl_event_kind;

typedef enum rl_container_op {
    RL_OP_DEL,          /* del C[k] */
    RL_OP_POP,          /* C.pop(k[, d]) */
    RL_OP_POPITEM,      /* C.popitem() */
    RL_OP_CLEAR,        /* C.clear() */
    RL_OP_MP_DELITEM,   /* monkeypatch.delitem(C, k) */
    RL_OP_PATCH_CLEAR,  /* mock.patch.dict(C, ..., clear=True) */
    RL_OP_SETITEM,      /* C[k] = v */
    RL_OP_UPDATE,       /* C.update(...) */
    RL_OP_SETDEFAULT,   /* C.setdefault(k, v) */
    RL_OP_MP_SETITEM,   /* monkeypatch.setitem(C, k, v) */
    RL_OP_PATCH_SET,    /* mock.patch.dict(C, {...}) without clear */
} rl_container_op;

static inline bool rl_container_op_removes(rl_container_op op) { return op <= RL_OP_PATCH_CLEAR; }

/* A sys.modules key as far as the source tells it. */
typedef enum rl_key_kind {
    RL_KEY_LITERAL, /* "a.b", or __name__ resolved to the file's module name */
    RL_KEY_PREFIX,  /* every key starting with text (k.startswith("pkg") in a loop over sys.modules) */
    RL_KEY_UNKNOWN, /* computed key */
    RL_KEY_NAME_OF, /* X.__name__: text = dotted X; the model turns it into LITERAL when X is a module */
    RL_KEY_ALL,     /* clear(), patch.dict(clear=True): every module */
} rl_key_kind;

typedef struct rl_key {
    rl_key_kind kind;
    const char *text; /* NULL for UNKNOWN and ALL */
} rl_key;

/* The argument of a reload call, before resolution. */
typedef enum rl_target_kind {
    RL_TARGET_NONE,      /* no argument */
    RL_TARGET_NAME,      /* a dotted name: ref */
    RL_TARGET_SUBSCRIPT, /* C[key] with C a dotted name (sys.modules["x"]): ref = C, keys */
    RL_TARGET_STRING,    /* a string literal (import_module("x"), __import__("x")) */
    RL_TARGET_OTHER,
    RL_TARGET_NAMES,     /* a loop variable over a literal tuple of dotted names: names[] */
} rl_target_kind;

/* What the model resolved an event to (model.c). */
typedef enum rl_resolved {
    RL_RES_NONE,            /* not interesting after all (a plain dict, a local function) */
    RL_RES_SYSMOD_OP,       /* CONTAINER_OP on sys.modules */
    RL_RES_RELOAD_IMPORTLIB,/* importlib.reload */
    RL_RES_RELOAD_IMP,      /* imp.reload */
    RL_RES_RELOAD_BUILTIN,  /* Python 2 builtin reload, no local definition */
    RL_RES_IMPORT_MODULE,   /* importlib.import_module("x") */
    RL_RES_DUNDER_IMPORT,   /* __import__("x") */
    RL_RES_IMPORT,          /* an import statement (always) */
    RL_RES_MODULE_ARG_CALL, /* f(m) with m a module: f may be a reload helper (graph.c) */
    RL_RES_EFFECT,          /* MUTATE / ATTR_ASSIGN / DECORATOR / a module-level call whose
                               target resolved: callee = its qualified name */
} rl_resolved;

typedef struct rl_event {
    rl_event_kind kind;
    uint32_t scope;       /* name-resolution scope (may be a class scope) */
    uint32_t flow;        /* flow scope: the module scope or a function scope */
    rl_span span;         /* what a finding on this event points at */
    /* CONTAINER_OP: container = dotted name of the container, op, keys.
     * CALL: callee = dotted name of the called function, target = first argument.
     * IMPORT / FROM_IMP: modules = absolute names loaded, first = the named module. */
    const char *ref;      /* container or callee dotted name */
    rl_container_op op;
    rl_key *keys;
    uint32_t nkeys;
    rl_target_kind target_kind;
    const char *target;   /* NAME: dotted text; STRING: the literal; SUBSCRIPT: container dotted text */
    const char **modules;
    uint32_t nmodules;
    bool type_checking;   /* inside `if TYPE_CHECKING:` */
    bool guarded;         /* inside an idempotence guard: `if h not in logger.handlers:` */
    const char **names;   /* TARGET_NAMES: the dotted names the loop variable takes */
    uint32_t nnames;
    /* filled by the model (model.c) */
    const char *callee;   /* MODULE_ARG_CALL: the callee's qualified name */
    const char *helper;   /* a reload of the first parameter of a module-level function:
                             that function's qualified name ("pkg.util.refresh") */
    rl_resolved what;
    const char **targets;   /* reload/import call: resolved module names (RL_NONE-free) */
    uint32_t ntargets;
    uint32_t *removals;     /* import/reload: earlier removal (or, for reload, replacement)
                               events of the same flow scope that are live on this path */
    uint32_t nremovals;
    const char *paired;     /* the module name an import/reload matched a removal on */
} rl_event;

/* ---- syntax errors ------------------------------------------------------ */

typedef struct rl_syntax_error {
    uint32_t line, col;
} rl_syntax_error;

/* ---- calls into other modules (RL402) ------------------------------------ */

typedef struct rl_call_site {
    const char *callee;  /* qualified name: "plugins.register" */
    uint32_t scope;
    rl_span span;
} rl_call_site;

/* ---- suppression comments --------------------------------------------- */

/* A `# noqa` comment on a line. codes == NULL means a bare `# noqa` (all
 * codes); otherwise a comma/space separated list as written ("RL301, RL302").
 * file_level: a `# reloadlint: noqa[: codes]` comment on a line of its own,
 * which covers the whole file (line is where it is written). */
typedef struct rl_noqa {
    uint32_t line;
    const char *codes;
    bool file_level;
} rl_noqa;

/* ---- the facts of one file ---------------------------------------------- */

typedef struct rl_file_facts {
    rl_arena arena;                  /* owns every string and array below */
    RL_VEC(rl_scope) scopes;         /* scope 0 is the module */
    RL_VEC(rl_binding) bindings;     /* in source order */
    RL_VEC(rl_event) events;         /* in source order, with structure markers */
    RL_VEC(rl_ref) refs;             /* default arguments and class checks, in source order */
    RL_VEC(rl_call_site) calls;      /* calls of functions reached through an import (RL402) */
    uint32_t *binding_index;         /* binding ids sorted by (scope, name); arena-owned (resolve.h) */
    RL_VEC(rl_syntax_error) syntax_errors;
    bool truncated;                  /* nesting too deep: part of the file was not analyzed */
    uint32_t truncated_line;         /* where the first skipped subtree starts */
    bool parse_timed_out;            /* the parser gave up (time limit): no facts */
    RL_VEC(rl_noqa) noqa;            /* noqa comments, by line */
    uint32_t nlines;
    bool in_region;                  /* moved (rl_file_facts_move): the vectors and strings
                                        belong to a region, the arena is empty */
} rl_file_facts;

/* A field added to a facts record changes its size: this stops the build
 * until the two places that copy every field learn it: the cache's encoder
 * and decoder (cache.c, "How to add a field") and rl_file_facts_move. */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(rl_scope) == 32, "rl_scope changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_binding) == 88, "rl_binding changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_ref) == 56, "rl_ref changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_key) == 16, "rl_key changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_event) == 168, "rl_event changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_syntax_error) == 8, "rl_syntax_error changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_call_site) == 32, "rl_call_site changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_noqa) == 24, "rl_noqa changed: update cache.c and rl_file_facts_move");
_Static_assert(sizeof(rl_file_facts) == 168, "rl_file_facts changed: update cache.c and rl_file_facts_move");
#endif

void rl_file_facts_release(rl_file_facts *f);

/* Moving the facts a run keeps into their exact size. While a file is
 * extracted its vectors grow by doubling and its arena by chunks; the run
 * keeps every file's facts, and kept as they are the standard library's
 * take 136 MB of peak RSS at -j2 instead of 41 MB. A mover copies each
 * file's facts, once the per-file model is done, into one region (an arena
 * of large chunks) at their exact size with equal strings stored once, and
 * frees the originals or lends their vectors to the worker's next file.
 * (Until tree-sitter got its own worker heaps, tsheap.h, this also kept the
 * facts from spreading between freed trees in libc's heap.) */
typedef struct rl_moved_str rl_moved_str;
typedef struct rl_facts_mover {
    rl_arena *region;     /* where moved facts live; owned by the caller */
    rl_moved_str *slots;  /* string table of the file being moved (open addressing) */
    uint32_t nslots, nused, generation;
    rl_file_facts spare;  /* empty vectors with the capacity moved files left behind,
                             lent to the next file so its vectors need not grow again */
} rl_facts_mover;

/* Copies f's records, arrays and strings into m->region, frees f's own
 * storage and marks f in_region: afterwards f reads exactly as before, and
 * rl_file_facts_release leaves the memory to the region. */
void rl_file_facts_move(rl_file_facts *f, rl_facts_mover *m);
/* Gives f's unallocated vectors the mover's spare capacity (len 0), so a
 * worker's files reuse one set of buffers instead of growing new ones. */
void rl_facts_mover_lend(rl_facts_mover *m, rl_file_facts *f);
void rl_facts_mover_release(rl_facts_mover *m);

#endif
