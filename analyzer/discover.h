/* discover.h - PATH arguments -> the sorted list of files to analyze, each
 * with its display path and dotted module name (SPEC "Module model").
 *
 * Directories are walked in strcmp order, collecting *.py and skipping the
 * folders matched by --exclude (default: tool and virtualenv folders) and
 * --extend-exclude unless named as a PATH. Symlinks to directories are not
 * followed during the walk; symlinks to files are when the file lies inside the
 * folder walked (its real path), else they are listed as not followed
 * (NOT_REGULAR): a symlink out of a PATH argument is followed only when it is
 * the PATH argument itself. Files reached twice (same device and inode, e.g. a
 * symlink to a file of the tree) are listed once. Nothing is opened for
 * reading here: FIFOs, devices and sockets named *.py are listed, never read.
 *
 * Scope (SPEC "Files and scope"): everything reached from a directory PATH is
 * reported. A file PATH (and --stdin-filename) is reported too, and the whole
 * project holding it (nearest ancestor folder with pyproject.toml, setup.py,
 * setup.cfg or .git) is walked the same way for context: those files feed the
 * module graph but are not reported (rl_file.reported is false). Each project
 * is walked once, and not at all when it is a directory PATH itself. */
#ifndef RL_DISCOVER_H
#define RL_DISCOVER_H

#include <stdbool.h>

#include "arena.h"
#include "project.h"

/* Appends the files reached from o->paths (or the one --stdin-filename file,
 * which has from_stdin set), with the projects around file PATHs, to
 * project->files, sorted by path. Paths, module names and error messages
 * are allocated in project->arena. Input problems become entries with an error
 * status: a missing PATH or an unreadable folder is UNREADABLE (exit code 2),
 * a FIFO/device/socket named *.py is NOT_REGULAR. */
void rl_discover(rl_project *project, const rl_options *o);

/* The dotted module name of the file at path (absolute, or relative to the
 * current directory): relative to the deepest of roots (--root, may be NULL)
 * that holds it, else to the first folder above it without an __init__.py.
 * `pkg/__init__.py` is `pkg` (*is_package set), `pkg/a/b.py` is `pkg.a.b`.
 * Looks at the file system (__init__.py checks). The name is allocated in a. */
const char *rl_module_name(rl_arena *a, const char *path, const rl_str_list *roots,
                           bool *is_package);

/* The nearest folder holding the file at abs_path (absolute, normalized; its
 * own folder first, then upwards) that contains pyproject.toml, setup.py,
 * setup.cfg or .git, as an absolute path ("/" for the root), or NULL when
 * there is none. Allocated in a. */
const char *rl_project_root(rl_arena *a, const char *abs_path);

/* The display prefix of the files found under the project folder abs_root,
 * written the way the file PATH arg that led there is: absolute when arg is
 * ("/w/proj/"), else relative to cwd (absolute) - "" for cwd itself, "src/"
 * below it, "../" above it - with arg's leading "./" kept when the root is not
 * above cwd. So `src/pkg/a.py` run from the project root gives context files
 * `src/pkg/b.py`. (When the root is above cwd, rl_discover then shows context
 * files inside cwd relative to it: `pkg/b.py`, not `../src/pkg/b.py`.)
 * Allocated in a. */
const char *rl_project_display_prefix(rl_arena *a, const char *cwd, const char *abs_root,
                                      const char *arg);

/* The absolute form of path with "." and ".." resolved lexically (symlinks
 * are not followed), relative to cwd when path is relative. Allocated in a. */
char *rl_path_absolute(rl_arena *a, const char *cwd, const char *path);

/* Whether an entry met during the walk is skipped: one of o->exclude or
 * o->extend_exclude matches (fnmatch) its base name, its display path or its
 * path relative to the PATH argument being walked (rel_path, may be NULL). */
bool rl_discover_excluded(const rl_options *o, const char *name, const char *path,
                          const char *rel_path);

#endif
