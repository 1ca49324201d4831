/* cache.h - the incremental cache: one file's facts (rl_file_facts after
 * rl_extract, per-file model included) stored on disk under a key made of
 * everything extraction depends on, so that an unchanged file is neither
 * parsed nor walked again.
 *
 * Where: --cache-dir DIR (or `cache-dir` in the configuration), else
 * $XDG_CACHE_HOME/reloadlint, else ~/.cache/reloadlint: never inside the
 * analyzed tree. The folder carries a CACHEDIR.TAG. An entry is the file
 * <dir>/<first key byte in hex>/<key in hex>.
 *
 * Key: a 128-bit hash of the source bytes the extractor sees (BOM removed),
 * the module name, is_package and keep_all, the reloadlint version, a hash of
 * the running executable (a rebuilt binary never trusts old facts) and the
 * entry format version. Entries are written to a temporary file and renamed
 * into place, so concurrent runs and readers only ever see whole entries. A
 * corrupt, truncated or foreign entry is rejected by validation and rebuilt.
 * An unusable cache folder costs speed only: one warning per run.
 *
 * Eviction: a rebuilt binary orphans every entry, an edited file its own.
 * A load refreshes the mtime of an entry older than a day (futimens), so an
 * entry's mtime tells when it was last used, to a day. At most once a day
 * (the mtime of <dir>/last-prune, touched first), rl_cache_open sweeps the
 * subfolders: entries unused for 30 days go, and temporary files an hour old
 * (left by a run killed before its rename). Only regular files named like an
 * entry or a temporary file are removed, symlinks are never followed, a
 * subfolder left empty goes; errors are silent and never fail the run.
 *
 * Thread safety: one rl_cache is shared by every worker; rl_cache_key,
 * rl_cache_load and rl_cache_store may run concurrently. */
#ifndef RL_CACHE_H
#define RL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "facts.h"
#include "util.h"

/* Bumped whenever the entry layout changes (cache.c "How to add a field"). */
#define RL_CACHE_FORMAT 1u

typedef struct rl_cache rl_cache;

typedef struct rl_cache_key {
    uint8_t bytes[16];
} rl_cache_key;

typedef struct rl_cache_stats {
    uint64_t hits;          /* facts loaded from an entry */
    uint64_t misses;        /* no usable entry: extracted (rejected ones included) */
    uint64_t rejected;      /* entries found but invalid (corrupt, truncated, foreign) */
    uint64_t stored;        /* entries written */
    uint64_t bytes_read;    /* bytes of the entries loaded */
    uint64_t bytes_written; /* bytes of the entries stored */
    uint64_t pruned;        /* entries removed by the sweep, unused for 30 days */
} rl_cache_stats;

/* The cache folder to use when no --cache-dir or configuration names one:
 * $XDG_CACHE_HOME/reloadlint (an absolute XDG_CACHE_HOME only, as the XDG
 * spec says), else $HOME/.cache/reloadlint, else the password database's home.
 * Heap, the caller frees; NULL when there is no home at all. */
char *rl_cache_default_dir(void);

/* Opens the cache in dir (NULL: rl_cache_default_dir()), creating the folder
 * and its CACHEDIR.TAG when missing, and sweeps it when the last sweep is a
 * day old (see Eviction above; before any worker starts). Returns NULL after
 * one warning on stderr when the folder cannot be created or read; a folder
 * that exists but cannot be written is still read (the warning comes at the
 * first failed write). Free with rl_cache_close(). */
rl_cache *rl_cache_open(const char *dir);

/* Frees the cache object (the folder is left as it is). NULL is fine. */
void rl_cache_close(rl_cache *c);

/* The folder the cache lives in (owned by c). */
const char *rl_cache_dir(const rl_cache *c);

/* The key of the facts rl_extract(in) would produce. */
void rl_cache_key_make(const rl_cache *c, const rl_extract_input *in, rl_cache_key *key);

/* Fills facts, which must be zeroed, from the entry for key. Returns false on
 * a miss or an invalid entry (facts are left zeroed); counts either way. A
 * loaded entry older than a day gets a fresh mtime. */
bool rl_cache_load(rl_cache *c, const rl_cache_key *key, rl_file_facts *facts);

/* Writes facts as the entry for key, replacing any entry there. A failure
 * prints one warning per cache and turns storing off; it never fails the run. */
void rl_cache_store(rl_cache *c, const rl_cache_key *key, const rl_file_facts *facts);

/* Counters so far (--stats). */
void rl_cache_stats_get(const rl_cache *c, rl_cache_stats *out);

/* ---- the entry format, exposed for tests ---------------------------------- */

/* Appends the entry for facts under key (header and payload) to out. Returns
 * false, appending nothing, for facts that are not kept: a parse stopped by
 * the time limit, or facts beyond the format's 32-bit offsets. */
bool rl_cache_encode(const rl_file_facts *facts, const rl_cache_key *key, rl_strbuf *out);

/* Rebuilds facts (zeroed on entry) from an entry of len bytes. Everything is
 * validated before it is trusted: header, checksum, sizes, string and array
 * bounds, enum values, scope/event/binding indices, the binding index. Returns
 * 0, or -1 with facts left zeroed. Strings and arrays are allocated in
 * facts->arena, the record vectors on the heap (rl_file_facts_release). */
int rl_cache_decode(const void *buf, size_t len, const rl_cache_key *key, rl_file_facts *facts);

/* Recomputes the payload checksum of an entry in place (tests use it to reach
 * the structural checks behind the checksum). Does nothing to a buffer too
 * short to hold a header. */
void rl_cache_reseal(void *buf, size_t len);

/* XXH64 of data (the reference algorithm; key and checksum hashes). */
uint64_t rl_xxh64(const void *data, size_t len, uint64_t seed);

/* rl_xxh64 with two seeds in one pass over the data: out[i] for seed[i]. */
void rl_xxh64_pair(const void *data, size_t len, const uint64_t seed[2], uint64_t out[2]);

#endif
