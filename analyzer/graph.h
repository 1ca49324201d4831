/* graph.h - the module graph of the whole analyzed project.
 *
 * Nodes are modules: every analyzed file, plus every module an import names
 * that has no source here (stdlib, third party). The graph answers the two
 * questions the stale-binding rules ask:
 *   - which modules are reloaded, and where (reload calls whose target
 *     resolves to the module, calls of reload helpers, --assume-reloaded);
 *   - where does the object behind `M.name` come from: which module creates
 *     it (def, class, call, container, literal), following re-exports
 *     (`from .x import y`, `y = x.y`) through the graph, cycle-safe, keeping
 *     every possibility of conditional definitions.
 * Built single-threaded after extraction; everything is owned by the run
 * arena or by the graph's own vectors (rl_graph_release). */
#ifndef RL_GRAPH_H
#define RL_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "vec.h"

struct rl_project;

typedef struct rl_reload_site {
    uint32_t file;      /* where the reload happens */
    rl_span span;
    const char *helper; /* "refresh" when it happens through a reload helper, else NULL */
} rl_reload_site;

typedef struct rl_module {
    const char *name;
    uint32_t file;      /* RL_NONE: no source in the analyzed tree */
    uint32_t root;      /* import root id of file; RL_NONE without source */
    bool assumed;       /* named by --assume-reloaded */
    RL_VEC(rl_reload_site) sites;
    /* --diff-base REV (history.h): the module-level names the module bound at
       REV and its current source binds no more, sorted; run-arena owned */
    const char **removed;
    uint32_t nremoved;
} rl_module;

typedef struct rl_graph {
    RL_VEC(rl_module) modules;
    uint32_t *slots;    /* open-addressing hash: module id + 1, 0 = empty */
    uint32_t nslots;
    uint32_t *file_root; /* per file index: import root id (files under one root see each other) */
    uint32_t nfiles;
    bool any_reloaded;
} rl_graph;

/* How the object behind a name came to be, in the module that creates it. */
typedef enum rl_origin_kind {
    RL_ORIGIN_FUNCTION,
    RL_ORIGIN_CLASS,
    RL_ORIGIN_OBJECT,   /* call result, container, lambda, computed value */
    RL_ORIGIN_LITERAL,  /* immutable constant: a value copy */
} rl_origin_kind;

typedef struct rl_origin {
    uint32_t module;            /* the creating module */
    rl_origin_kind kind;
    const rl_binding *binding;  /* the creating binding; NULL for modules without source */
} rl_origin;

typedef RL_VEC(rl_origin) rl_origin_vec;

/* Builds the graph of project and marks reloaded modules; stored in
 * project->graph. */
void rl_graph_build(struct rl_project *project);
void rl_graph_release(rl_graph *g);

/* The module id of name, or RL_NONE: the first module with source of that
 * name, else the node without source. */
uint32_t rl_graph_find(const rl_graph *g, const char *name);

/* The module id of name as the given file sees it: the module of that file's
 * import root when there is one (several roots may hold the same name). */
uint32_t rl_graph_find_from(const rl_graph *g, const char *name, uint32_t file);

static inline bool rl_module_reloaded(const rl_module *m) { return m->assumed || m->sites.len > 0; }

/* Splits a qualified name into the longest known module prefix and the rest:
 * "pkg.core.helper" -> (pkg.core, "helper"). *attr is "" when qual names a
 * module, NULL-free; returns false when no prefix is a known module. */
bool rl_graph_split(const rl_graph *g, const char *qual, uint32_t file, uint32_t *module,
                    const char **attr);

/* Appends to out every origin of the module-level name `name` of module
 * `module` (an attribute path "C.method" is the object of C's origin). Module
 * objects, builtins and unknown names have no origin. */
void rl_graph_origins(const struct rl_project *p, uint32_t module, const char *name,
                      rl_origin_vec *out);

/* The origins of a qualified name as resolve.h returns it ("pkg.mod.f"),
 * resolved from inside `file`. */
void rl_graph_origins_of_qual(const struct rl_project *p, uint32_t file, const char *qual,
                              rl_origin_vec *out);

#endif
