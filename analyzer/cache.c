/* cache.c - the incremental cache (see cache.h).
 *
 * An entry is a fixed header followed by the payload:
 *
 *   header (80 bytes, little-endian)
 *     0  magic "RLFACTS\x1a"
 *     8  u32 RL_CACHE_FORMAT
 *    12  u32 reserved, 0
 *    16  char[32] RL_VERSION, NUL-padded
 *    48  u8[16] the key
 *    64  u64 payload length
 *    72  u64 XXH64 of the payload
 *   payload
 *     counts  16 x u32 (see enum count below)
 *     records scopes, bindings, events, refs, calls, syntax errors, noqa:
 *             fixed-size records of u32 fields (booleans are 0 or 1)
 *     pools   string refs (the elements of modules[], names[], targets[]),
 *             u32s (removals[], binding_index), keys (rl_key)
 *     strings the string table: every distinct string once, NUL-terminated
 *
 * A string is (offset, length) into the string table, an array (offset,
 * count) into its pool; offset RL_NONE means NULL. The sizes of every part
 * follow from the counts, so the payload length is checked exactly and every
 * record read afterwards is in bounds; then every offset, length, enum value
 * and index is checked before a pointer is made of it. Loading copies the
 * string table and the pools into the file's arena once and points into them:
 * no allocation per string.
 *
 * How to add a field to facts.h: encode it in the put_* function of its
 * record, decode and validate it in the matching get_*, adjust the record
 * size below, bump RL_CACHE_FORMAT (cache.h), copy it in
 * rl_file_facts_move (facts.c), update the sizes in the static assertions
 * (facts.h), and compare it in tests/unit/test_cache.c. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rl_version.h"

_Static_assert(sizeof(RL_VERSION) <= 32, "RL_VERSION does not fit the entry header");

/* ---- XXH64 ------------------------------------------------------------------ */

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

static inline uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t xxh_round(uint64_t acc, uint64_t input)
{
    acc += input * P2;
    acc = rotl64(acc, 31);
    return acc * P1;
}

static inline uint64_t xxh_merge(uint64_t acc, uint64_t val)
{
    acc ^= xxh_round(0, val);
    return acc * P1 + P4;
}

/* The 32-byte stripes of XXH64 for nseeds seeds in one pass over the data
 * (the key hashes every source twice). */
static inline void xxh_stripes(const uint8_t *p, size_t len, const uint64_t *seed, uint64_t *h, int nseeds)
{
    uint64_t v[2][4];
    for (int s = 0; s < nseeds; s++) {
        v[s][0] = seed[s] + P1 + P2;
        v[s][1] = seed[s] + P2;
        v[s][2] = seed[s];
        v[s][3] = seed[s] - P1;
    }
    for (const uint8_t *limit = p + len - 32; p <= limit; p += 32) {
        uint64_t in[4] = {ld64(p), ld64(p + 8), ld64(p + 16), ld64(p + 24)};
        for (int s = 0; s < nseeds; s++)
            for (int k = 0; k < 4; k++) v[s][k] = xxh_round(v[s][k], in[k]);
    }
    for (int s = 0; s < nseeds; s++) {
        uint64_t x = rotl64(v[s][0], 1) + rotl64(v[s][1], 7) + rotl64(v[s][2], 12) +
                     rotl64(v[s][3], 18);
        for (int k = 0; k < 4; k++) x = xxh_merge(x, v[s][k]);
        h[s] = x;
    }
}

/* The tail (len % 32 bytes at p) and the final mix. */
static uint64_t xxh_finish(uint64_t h, const uint8_t *p, const uint8_t *end, size_t len)
{
    h += (uint64_t)len;
    for (; end - p >= 8; p += 8) {
        h ^= xxh_round(0, ld64(p));
        h = rotl64(h, 27) * P1 + P4;
    }
    if (end - p >= 4) {
        h ^= (uint64_t)ld32(p) * P1;
        h = rotl64(h, 23) * P2 + P3;
        p += 4;
    }
    for (; p < end; p++) {
        h ^= (uint64_t)*p * P5;
        h = rotl64(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* XXH64 of data with nseeds seeds (1 or 2) into out. */
static inline void xxh64_n(const void *data, size_t len, const uint64_t *seed, uint64_t *out, int nseeds)
{
    const uint8_t *p = data, *end = p + len;
    uint64_t h[2];
    if (len >= 32) {
        xxh_stripes(p, len, seed, h, nseeds);
        p += len / 32 * 32;
    } else {
        for (int s = 0; s < nseeds; s++) h[s] = seed[s] + P5;
    }
    for (int s = 0; s < nseeds; s++) out[s] = xxh_finish(h[s], p, end, len);
}

uint64_t rl_xxh64(const void *data, size_t len, uint64_t seed)
{
    uint64_t h;
    xxh64_n(data, len, &seed, &h, 1);
    return h;
}

void rl_xxh64_pair(const void *data, size_t len, const uint64_t seed[2], uint64_t out[2])
{
    xxh64_n(data, len, seed, out, 2);
}

/* Two seeds give two independent 64-bit hashes: a 128-bit key. */
#define SEED_A 0x52454c4f41444c31ull /* "RELOADL1" */
#define SEED_B 0x9b1c3f7e5a2d4c87ull
#define SEED_CHECKSUM 0x636865636b73756dull /* "checksum" */

/* ---- the header ---------------------------------------------------------------- */

#define HDR_SIZE 80u
static const uint8_t magic[8] = {'R', 'L', 'F', 'A', 'C', 'T', 'S', 0x1a};

/* Entries bigger than this are not ours (facts of a 10 MiB file are far smaller). */
#define MAX_ENTRY_SIZE (1024ull * 1024u * 1024u)

/* ---- the payload ------------------------------------------------------------- */

enum count {
    C_SCOPES,
    C_BINDINGS,
    C_EVENTS,
    C_REFS,
    C_CALLS,
    C_SYNTAX,
    C_NOQA,
    C_STRPOOL,
    C_U32POOL,
    C_KEYPOOL,
    C_STRTAB,
    C_NLINES,
    C_TRUNCATED,
    C_TRUNCATED_LINE,
    C_INDEX_OFF, /* binding_index: an array in the u32 pool */
    C_INDEX_LEN,
    C_COUNT
};

/* Record sizes in bytes: a string or array reference is 8, a span 16. */
enum {
    SZ_SCOPE = 4 + 4 + 8 + 16,
    SZ_BINDING = 4 + 4 + 4 + 8 * 4 + 4 + 16 + 16,
    SZ_EVENT = 4 * 3 + 16 + 8 + 4 + 8 + 4 + 8 + 8 + 4 + 4 + 8 + 8 + 8 + 4 + 8 + 8 + 8,
    SZ_REF = 4 + 4 + 8 * 3 + 4 + 16,
    SZ_CALL = 8 + 4 + 16,
    SZ_SYNTAX = 8,
    SZ_NOQA = 4 + 8 + 4,
    SZ_STRREF = 8,
    SZ_U32 = 4,
    SZ_KEY = 4 + 8,
};

/* ---- encoding -------------------------------------------------------------------- */

typedef struct strtab_slot {
    uint64_t hash;
    uint32_t off, len; /* off == RL_NONE: empty slot */
} strtab_slot;

typedef struct encoder {
    rl_strbuf rec, strpool, u32pool, keypool, strtab;
    uint32_t nstrpool, nu32pool, nkeypool;
    strtab_slot *slots; /* string table dedup: open addressing */
    uint32_t nslots, nused;
    bool overflow; /* something beyond the u32 offsets of the format */
} encoder;

static void put_u32(rl_strbuf *b, uint32_t v)
{
    char x[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
    rl_strbuf_addn(b, x, 4);
}

static void put_u64(rl_strbuf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_span(rl_strbuf *b, rl_span s)
{
    put_u32(b, s.line);
    put_u32(b, s.col);
    put_u32(b, s.end_line);
    put_u32(b, s.end_col);
}

static uint32_t checked_u32(encoder *e, size_t v)
{
    if (v >= RL_NONE) e->overflow = true;
    return (uint32_t)v;
}

static void slots_grow(encoder *e)
{
    uint32_t n = e->nslots ? e->nslots * 2 : 256;
    strtab_slot *s = rl_xmalloc(sizeof *s * n);
    for (uint32_t i = 0; i < n; i++) s[i].off = RL_NONE;
    for (uint32_t i = 0; i < e->nslots; i++) {
        if (e->slots[i].off == RL_NONE) continue;
        uint32_t k = (uint32_t)e->slots[i].hash & (n - 1);
        while (s[k].off != RL_NONE) k = (k + 1) & (n - 1);
        s[k] = e->slots[i];
    }
    free(e->slots);
    e->slots = s;
    e->nslots = n;
}

/* The offset of s in the string table, adding it the first time. */
static uint32_t intern(encoder *e, const char *s, size_t len)
{
    if ((e->nused + 1) * 2 > e->nslots) slots_grow(e);
    uint64_t h = rl_xxh64(s, len, 0);
    uint32_t k = (uint32_t)h & (e->nslots - 1);
    for (; e->slots[k].off != RL_NONE; k = (k + 1) & (e->nslots - 1)) {
        const strtab_slot *t = &e->slots[k];
        if (t->hash == h && t->len == len && memcmp(e->strtab.data + t->off, s, len) == 0)
            return t->off;
    }
    uint32_t off = checked_u32(e, e->strtab.len);
    rl_strbuf_addn(&e->strtab, s, len);
    rl_strbuf_addc(&e->strtab, '\0');
    e->slots[k] = (strtab_slot){h, off, (uint32_t)len};
    e->nused++;
    return off;
}

static void put_str_to(encoder *e, rl_strbuf *b, const char *s)
{
    if (!s) {
        put_u32(b, RL_NONE);
        put_u32(b, 0);
        return;
    }
    size_t len = strlen(s);
    put_u32(b, intern(e, s, len));
    put_u32(b, checked_u32(e, len));
}

static void put_str(encoder *e, const char *s) { put_str_to(e, &e->rec, s); }

static void put_array_ref(encoder *e, const void *items, uint32_t pool_start, uint32_t count)
{
    put_u32(&e->rec, items ? pool_start : RL_NONE);
    put_u32(&e->rec, items ? count : 0);
}

static void put_strings(encoder *e, const char *const *items, uint32_t n)
{
    put_array_ref(e, items, e->nstrpool, n);
    if (!items) return;
    for (uint32_t i = 0; i < n; i++) put_str_to(e, &e->strpool, items[i]);
    e->nstrpool = checked_u32(e, (size_t)e->nstrpool + n);
}

static void put_u32s(encoder *e, const uint32_t *items, uint32_t n)
{
    put_array_ref(e, items, e->nu32pool, n);
    if (!items) return;
    for (uint32_t i = 0; i < n; i++) put_u32(&e->u32pool, items[i]);
    e->nu32pool = checked_u32(e, (size_t)e->nu32pool + n);
}

static void put_keys(encoder *e, const rl_key *items, uint32_t n)
{
    put_array_ref(e, items, e->nkeypool, n);
    if (!items) return;
    for (uint32_t i = 0; i < n; i++) {
        put_u32(&e->keypool, (uint32_t)items[i].kind);
        put_str_to(e, &e->keypool, items[i].text);
    }
    e->nkeypool = checked_u32(e, (size_t)e->nkeypool + n);
}

static void put_scope(encoder *e, const rl_scope *s)
{
    put_u32(&e->rec, (uint32_t)s->kind);
    put_u32(&e->rec, s->parent);
    put_str(e, s->name);
    put_span(&e->rec, s->span);
}

static void put_binding(encoder *e, const rl_binding *b)
{
    put_u32(&e->rec, (uint32_t)b->kind);
    put_u32(&e->rec, b->scope);
    put_u32(&e->rec, b->flags);
    put_str(e, b->name);
    put_str(e, b->value);
    put_str(e, b->attr);
    put_str(e, b->qual);
    put_u32(&e->rec, b->qual_via_import);
    put_span(&e->rec, b->span);
    put_span(&e->rec, b->value_span);
}

static void put_event(encoder *e, const rl_event *v)
{
    put_u32(&e->rec, (uint32_t)v->kind);
    put_u32(&e->rec, v->scope);
    put_u32(&e->rec, v->flow);
    put_span(&e->rec, v->span);
    put_str(e, v->ref);
    put_u32(&e->rec, (uint32_t)v->op);
    put_keys(e, v->keys, v->nkeys);
    put_u32(&e->rec, (uint32_t)v->target_kind);
    put_str(e, v->target);
    put_strings(e, v->modules, v->nmodules);
    put_u32(&e->rec, v->type_checking);
    put_u32(&e->rec, v->guarded);
    put_strings(e, v->names, v->nnames);
    put_str(e, v->callee);
    put_str(e, v->helper);
    put_u32(&e->rec, (uint32_t)v->what);
    put_strings(e, v->targets, v->ntargets);
    put_u32s(e, v->removals, v->nremovals);
    put_str(e, v->paired);
}

static void put_ref(encoder *e, const rl_ref *r)
{
    put_u32(&e->rec, (uint32_t)r->kind);
    put_u32(&e->rec, r->scope);
    put_str(e, r->dotted);
    put_str(e, r->param);
    put_str(e, r->qual);
    put_u32(&e->rec, r->via_import);
    put_span(&e->rec, r->span);
}

static void put_call(encoder *e, const rl_call_site *c)
{
    put_str(e, c->callee);
    put_u32(&e->rec, c->scope);
    put_span(&e->rec, c->span);
}

static void put_noqa(encoder *e, const rl_noqa *n)
{
    put_u32(&e->rec, n->line);
    put_str(e, n->codes);
    put_u32(&e->rec, n->file_level);
}

bool rl_cache_encode(const rl_file_facts *f, const rl_cache_key *key, rl_strbuf *out)
{
    /* a parse stopped by the time limit says something about the machine's
       load, not about the file: never kept */
    if (f->parse_timed_out) return false;
    encoder e = {0};
    for (uint32_t i = 0; i < f->scopes.len; i++) put_scope(&e, &f->scopes.items[i]);
    for (uint32_t i = 0; i < f->bindings.len; i++) put_binding(&e, &f->bindings.items[i]);
    for (uint32_t i = 0; i < f->events.len; i++) put_event(&e, &f->events.items[i]);
    for (uint32_t i = 0; i < f->refs.len; i++) put_ref(&e, &f->refs.items[i]);
    for (uint32_t i = 0; i < f->calls.len; i++) put_call(&e, &f->calls.items[i]);
    for (uint32_t i = 0; i < f->syntax_errors.len; i++) {
        put_u32(&e.rec, f->syntax_errors.items[i].line);
        put_u32(&e.rec, f->syntax_errors.items[i].col);
    }
    for (uint32_t i = 0; i < f->noqa.len; i++) put_noqa(&e, &f->noqa.items[i]);
    uint32_t index_off = f->binding_index ? e.nu32pool : RL_NONE;
    uint32_t index_len = f->binding_index ? f->bindings.len : 0;
    if (f->binding_index)
        for (uint32_t i = 0; i < f->bindings.len; i++) put_u32(&e.u32pool, f->binding_index[i]);
    e.nu32pool = checked_u32(&e, (size_t)e.nu32pool + index_len);

    uint32_t counts[C_COUNT] = {
        [C_SCOPES] = f->scopes.len,
        [C_BINDINGS] = f->bindings.len,
        [C_EVENTS] = f->events.len,
        [C_REFS] = f->refs.len,
        [C_CALLS] = f->calls.len,
        [C_SYNTAX] = f->syntax_errors.len,
        [C_NOQA] = f->noqa.len,
        [C_STRPOOL] = e.nstrpool,
        [C_U32POOL] = e.nu32pool,
        [C_KEYPOOL] = e.nkeypool,
        [C_STRTAB] = checked_u32(&e, e.strtab.len),
        [C_NLINES] = f->nlines,
        [C_TRUNCATED] = f->truncated,
        [C_TRUNCATED_LINE] = f->truncated_line,
        [C_INDEX_OFF] = index_off,
        [C_INDEX_LEN] = index_len,
    };
    rl_strbuf payload = {0};
    for (int i = 0; i < C_COUNT; i++) put_u32(&payload, counts[i]);
    rl_strbuf *parts[] = {&e.rec, &e.strpool, &e.u32pool, &e.keypool, &e.strtab};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (parts[i]->len) rl_strbuf_addn(&payload, parts[i]->data, parts[i]->len);
        rl_strbuf_release(parts[i]);
    }
    free(e.slots);
    bool ok = !e.overflow;
    if (ok) {
        char version[32] = {0};
        memcpy(version, RL_VERSION, sizeof RL_VERSION);
        rl_strbuf_addn(out, (const char *)magic, sizeof magic);
        put_u32(out, RL_CACHE_FORMAT);
        put_u32(out, 0);
        rl_strbuf_addn(out, version, sizeof version);
        rl_strbuf_addn(out, (const char *)key->bytes, sizeof key->bytes);
        put_u64(out, payload.len);
        put_u64(out, rl_xxh64(payload.data, payload.len, SEED_CHECKSUM));
        rl_strbuf_addn(out, payload.data, payload.len);
    }
    rl_strbuf_release(&payload);
    return ok;
}

void rl_cache_reseal(void *buf, size_t len)
{
    uint8_t *b = buf;
    if (len < HDR_SIZE) return;
    uint64_t sum = rl_xxh64(b + HDR_SIZE, len - HDR_SIZE, SEED_CHECKSUM);
    for (int i = 0; i < 8; i++) b[72 + i] = (uint8_t)(sum >> (8 * i));
}

/* ---- decoding ----------------------------------------------------------------------- */

typedef struct decoder {
    const uint8_t *p;     /* the next record field */
    const uint8_t *tab;   /* the string table in the entry */
    uint32_t ntab;
    const char *strings;  /* its copy in the arena */
    const char **strpool; /* pools, decoded into the arena */
    uint32_t nstrpool;
    uint32_t *u32pool;
    uint32_t nu32pool;
    rl_key *keypool;
    uint32_t nkeypool;
    uint32_t nscopes, nevents;
    bool bad;
} decoder;

static uint32_t get_u32(decoder *d)
{
    uint32_t v = ld32(d->p);
    d->p += 4;
    return v;
}

static bool get_bool(decoder *d)
{
    uint32_t v = get_u32(d);
    if (v > 1) d->bad = true;
    return v == 1;
}

/* Which values each enum of facts.h has. A switch without a default: an
 * enumerator added to facts.h stops the build here (-Wswitch -Werror) until
 * it is listed, instead of every entry holding it being rejected at run time. */
#define VALID(...)                                                                         \
    switch (v) {                                                                           \
        __VA_ARGS__ return true;                                                           \
    }                                                                                      \
    return false

static bool valid_scope_kind(rl_scope_kind v)
{
    VALID(case RL_SCOPE_MODULE: case RL_SCOPE_CLASS: case RL_SCOPE_FUNCTION:);
}

static bool valid_binding_kind(rl_binding_kind v)
{
    VALID(case RL_BIND_IMPORT: case RL_BIND_FROM_IMPORT: case RL_BIND_STAR_IMPORT:
          case RL_BIND_ALIAS: case RL_BIND_DEF: case RL_BIND_CLASS: case RL_BIND_PARAM:
          case RL_BIND_GLOBAL_DECL: case RL_BIND_NONLOCAL_DECL: case RL_BIND_LITERAL:
          case RL_BIND_CONTAINER: case RL_BIND_CALL: case RL_BIND_LAMBDA:
          case RL_BIND_LOOP_VAR: case RL_BIND_DELETE: case RL_BIND_OTHER:);
}

static bool valid_ref_kind(rl_ref_kind v)
{
    VALID(case RL_REF_DEFAULT_ARG: case RL_REF_ISINSTANCE: case RL_REF_ISSUBCLASS:
          case RL_REF_EXCEPT: case RL_REF_TYPE_IS: case RL_REF_ATTR_LOAD: case RL_REF_GETATTR:
          case RL_REF_FROM_IMPORT:);
}

static bool valid_event_kind(rl_event_kind v)
{
    VALID(case RL_EV_BRANCH: case RL_EV_ARM: case RL_EV_LOOP: case RL_EV_END: case RL_EV_EXIT:
          case RL_EV_JUMP: case RL_EV_CONTAINER_OP: case RL_EV_IMPORT: case RL_EV_CALL:
          case RL_EV_FROM_IMP: case RL_EV_MUTATE: case RL_EV_ATTR_ASSIGN:
          case RL_EV_DECORATOR:);
}

static bool valid_container_op(rl_container_op v)
{
    VALID(case RL_OP_DEL: case RL_OP_POP: case RL_OP_POPITEM: case RL_OP_CLEAR:
          case RL_OP_MP_DELITEM: case RL_OP_PATCH_CLEAR: case RL_OP_SETITEM: case RL_OP_UPDATE:
          case RL_OP_SETDEFAULT: case RL_OP_MP_SETITEM: case RL_OP_PATCH_SET:);
}

static bool valid_key_kind(rl_key_kind v)
{
    VALID(case RL_KEY_LITERAL: case RL_KEY_PREFIX: case RL_KEY_UNKNOWN: case RL_KEY_NAME_OF:
          case RL_KEY_ALL:);
}

static bool valid_target_kind(rl_target_kind v)
{
    VALID(case RL_TARGET_NONE: case RL_TARGET_NAME: case RL_TARGET_SUBSCRIPT:
          case RL_TARGET_STRING: case RL_TARGET_OTHER: case RL_TARGET_NAMES:);
}

static bool valid_resolved(rl_resolved v)
{
    VALID(case RL_RES_NONE: case RL_RES_SYSMOD_OP: case RL_RES_RELOAD_IMPORTLIB:
          case RL_RES_RELOAD_IMP: case RL_RES_RELOAD_BUILTIN: case RL_RES_IMPORT_MODULE:
          case RL_RES_DUNDER_IMPORT: case RL_RES_IMPORT: case RL_RES_MODULE_ARG_CALL:
          case RL_RES_EFFECT:);
}
#undef VALID

/* get_scope_kind(d) ...: an enum value, checked by its valid_* function. */
#define ENUM_GETTER(name, type)                                                           \
    static type get_##name(decoder *d)                                                    \
    {                                                                                     \
        type v = (type)get_u32(d);                                                        \
        if (!valid_##name(v)) d->bad = true;                                              \
        return v;                                                                         \
    }
ENUM_GETTER(scope_kind, rl_scope_kind)
ENUM_GETTER(binding_kind, rl_binding_kind)
ENUM_GETTER(ref_kind, rl_ref_kind)
ENUM_GETTER(event_kind, rl_event_kind)
ENUM_GETTER(container_op, rl_container_op)
ENUM_GETTER(key_kind, rl_key_kind)
ENUM_GETTER(target_kind, rl_target_kind)
ENUM_GETTER(resolved, rl_resolved)
#undef ENUM_GETTER

/* An index below n (a scope id). */
static uint32_t get_index(decoder *d, uint32_t n)
{
    uint32_t v = get_u32(d);
    if (v >= n) d->bad = true;
    return v;
}

static rl_span get_span(decoder *d)
{
    rl_span s;
    s.line = get_u32(d);
    s.col = get_u32(d);
    s.end_line = get_u32(d);
    s.end_col = get_u32(d);
    return s;
}

/* A string reference at p: NULL, or a NUL-terminated string of the table
 * without a NUL inside. */
static const char *str_at(decoder *d, const uint8_t *p, bool required)
{
    uint32_t off = ld32(p), len = ld32(p + 4);
    if (off == RL_NONE) {
        if (len != 0 || required) d->bad = true;
        return NULL;
    }
    if (off >= d->ntab || len >= d->ntab - off || d->tab[off + len] != 0 ||
        memchr(d->tab + off, 0, len) != NULL) {
        d->bad = true;
        return NULL;
    }
    return d->strings + off;
}

static const char *get_str(decoder *d, bool required)
{
    const char *s = str_at(d, d->p, required);
    d->p += 8;
    return s;
}

/* An array reference into a pool of pool_len elements: the first element's
 * index, or RL_NONE for NULL; *count gets its length. */
static uint32_t get_array(decoder *d, uint32_t pool_len, uint32_t *count)
{
    uint32_t off = get_u32(d), n = get_u32(d);
    *count = 0;
    if (off == RL_NONE) {
        if (n != 0) d->bad = true;
        return RL_NONE;
    }
    if (off > pool_len || n > pool_len - off) {
        d->bad = true;
        return RL_NONE;
    }
    *count = n;
    return off;
}

static const char **get_strings(decoder *d, uint32_t *n)
{
    uint32_t off = get_array(d, d->nstrpool, n);
    return off == RL_NONE ? NULL : d->strpool + off;
}

static rl_key *get_keys(decoder *d, uint32_t *n)
{
    uint32_t off = get_array(d, d->nkeypool, n);
    return off == RL_NONE ? NULL : d->keypool + off;
}

/* removals[]: earlier events of this file. */
static uint32_t *get_event_ids(decoder *d, uint32_t *n)
{
    uint32_t off = get_array(d, d->nu32pool, n);
    if (off == RL_NONE) return NULL;
    for (uint32_t i = 0; i < *n; i++)
        if (d->u32pool[off + i] >= d->nevents) d->bad = true;
    return d->u32pool + off;
}

static void get_scope(decoder *d, rl_scope *s, uint32_t index)
{
    s->kind = get_scope_kind(d);
    /* scope 0 is the module; every other scope's parent comes before it, so
       walking parents always ends */
    s->parent = get_u32(d);
    if (index == 0 ? s->kind != RL_SCOPE_MODULE || s->parent != RL_NONE : s->parent >= index)
        d->bad = true;
    s->name = get_str(d, true);
    s->span = get_span(d);
}

static void get_binding(decoder *d, rl_binding *b)
{
    b->kind = get_binding_kind(d);
    b->scope = get_index(d, d->nscopes);
    b->flags = get_u32(d);
    b->name = get_str(d, true);
    b->value = get_str(d, false);
    b->attr = get_str(d, false);
    b->qual = get_str(d, false);
    b->qual_via_import = get_bool(d);
    b->span = get_span(d);
    b->value_span = get_span(d);
    /* the rules take a from-import's module part as value minus ".attr" */
    if (b->kind == RL_BIND_FROM_IMPORT && (!b->value || !b->attr)) d->bad = true;
}

static void get_event(decoder *d, rl_event *e)
{
    e->kind = get_event_kind(d);
    e->scope = get_index(d, d->nscopes);
    e->flow = get_index(d, d->nscopes);
    e->span = get_span(d);
    e->ref = get_str(d, false);
    e->op = get_container_op(d);
    e->keys = get_keys(d, &e->nkeys);
    e->target_kind = get_target_kind(d);
    e->target = get_str(d, false);
    e->modules = get_strings(d, &e->nmodules);
    e->type_checking = get_bool(d);
    e->guarded = get_bool(d);
    e->names = get_strings(d, &e->nnames);
    e->callee = get_str(d, false);
    e->helper = get_str(d, false);
    e->what = get_resolved(d);
    e->targets = get_strings(d, &e->ntargets);
    e->removals = get_event_ids(d, &e->nremovals);
    e->paired = get_str(d, false);
}

static void get_ref(decoder *d, rl_ref *r)
{
    r->kind = get_ref_kind(d);
    r->scope = get_index(d, d->nscopes);
    r->dotted = get_str(d, true);
    r->param = get_str(d, false);
    r->qual = get_str(d, false);
    r->via_import = get_bool(d);
    r->span = get_span(d);
}

static void get_call(decoder *d, rl_call_site *c)
{
    c->callee = get_str(d, true);
    c->scope = get_index(d, d->nscopes);
    c->span = get_span(d);
}

static void get_noqa(decoder *d, rl_noqa *n)
{
    n->line = get_u32(d);
    n->codes = get_str(d, false);
    n->file_level = get_bool(d);
}

/* A record vector of exactly n elements (heap, as the extractor's). */
#define ALLOC_VEC(v, n)                                                           \
    do {                                                                          \
        (v).len = (v).cap = (n);                                                  \
        (v).items = (n) ? rl_xmalloc(sizeof(*(v).items) * (n)) : NULL;            \
    } while (0)

/* binding_index: a permutation of the bindings sorted by (scope, name, id),
 * as rl_resolver_index makes it (resolve.c binary-searches it). */
static bool valid_binding_index(const rl_file_facts *f)
{
    uint32_t n = f->bindings.len;
    if (n == 0) return true;
    uint8_t *seen = rl_xcalloc(n, 1);
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        uint32_t k = f->binding_index[i];
        ok = k < n && !seen[k];
        if (!ok) break;
        seen[k] = 1;
        if (i == 0) continue;
        const rl_binding *a = &f->bindings.items[f->binding_index[i - 1]], *b = &f->bindings.items[k];
        int c = a->scope != b->scope ? (a->scope < b->scope ? -1 : 1) : strcmp(a->name, b->name);
        ok = c < 0 || (c == 0 && f->binding_index[i - 1] < k);
    }
    free(seen);
    return ok;
}

int rl_cache_decode(const void *buf, size_t len, const rl_cache_key *key, rl_file_facts *f)
{
    const uint8_t *b = buf;
    char version[32] = {0};
    memcpy(version, RL_VERSION, sizeof RL_VERSION);
    if (len < HDR_SIZE || memcmp(b, magic, sizeof magic) != 0 || ld32(b + 8) != RL_CACHE_FORMAT ||
        ld32(b + 12) != 0 || memcmp(b + 16, version, sizeof version) != 0 ||
        memcmp(b + 48, key->bytes, sizeof key->bytes) != 0 || ld64(b + 64) != len - HDR_SIZE ||
        ld64(b + 72) != rl_xxh64(b + HDR_SIZE, len - HDR_SIZE, SEED_CHECKSUM))
        return -1;

    const uint8_t *p = b + HDR_SIZE;
    uint64_t plen = len - HDR_SIZE;
    if (plen < 4u * C_COUNT) return -1;
    uint32_t n[C_COUNT];
    for (int i = 0; i < C_COUNT; i++) n[i] = ld32(p + 4 * i);
    /* every part's size follows from the counts: the payload must be exactly that */
    uint64_t size = 4u * C_COUNT + (uint64_t)n[C_SCOPES] * SZ_SCOPE +
                    (uint64_t)n[C_BINDINGS] * SZ_BINDING + (uint64_t)n[C_EVENTS] * SZ_EVENT +
                    (uint64_t)n[C_REFS] * SZ_REF + (uint64_t)n[C_CALLS] * SZ_CALL +
                    (uint64_t)n[C_SYNTAX] * SZ_SYNTAX + (uint64_t)n[C_NOQA] * SZ_NOQA +
                    (uint64_t)n[C_STRPOOL] * SZ_STRREF + (uint64_t)n[C_U32POOL] * SZ_U32 +
                    (uint64_t)n[C_KEYPOOL] * SZ_KEY + n[C_STRTAB];
    if (size != plen || n[C_SCOPES] == 0 || n[C_TRUNCATED] > 1) return -1;

    const uint8_t *rec = p + 4u * C_COUNT;
    const uint8_t *strpool = rec + (uint64_t)n[C_SCOPES] * SZ_SCOPE +
                             (uint64_t)n[C_BINDINGS] * SZ_BINDING +
                             (uint64_t)n[C_EVENTS] * SZ_EVENT + (uint64_t)n[C_REFS] * SZ_REF +
                             (uint64_t)n[C_CALLS] * SZ_CALL + (uint64_t)n[C_SYNTAX] * SZ_SYNTAX +
                             (uint64_t)n[C_NOQA] * SZ_NOQA;
    const uint8_t *u32pool = strpool + (uint64_t)n[C_STRPOOL] * SZ_STRREF;
    const uint8_t *keypool = u32pool + (uint64_t)n[C_U32POOL] * SZ_U32;
    const uint8_t *strtab = keypool + (uint64_t)n[C_KEYPOOL] * SZ_KEY;

    memset(f, 0, sizeof *f);
    decoder d = {
        .tab = strtab,
        .ntab = n[C_STRTAB],
        .nstrpool = n[C_STRPOOL],
        .nu32pool = n[C_U32POOL],
        .nkeypool = n[C_KEYPOOL],
        .nscopes = n[C_SCOPES],
        .nevents = n[C_EVENTS],
    };
    /* the string table and the pools: one arena block each */
    char *strings = rl_arena_alloc(&f->arena, d.ntab ? d.ntab : 1);
    if (d.ntab) memcpy(strings, strtab, d.ntab);
    d.strings = strings;
    d.strpool = rl_arena_alloc(&f->arena, sizeof(char *) * (d.nstrpool ? d.nstrpool : 1));
    for (uint32_t i = 0; i < d.nstrpool; i++)
        d.strpool[i] = str_at(&d, strpool + (size_t)i * SZ_STRREF, true);
    d.u32pool = rl_arena_alloc(&f->arena, sizeof(uint32_t) * (d.nu32pool ? d.nu32pool : 1));
    for (uint32_t i = 0; i < d.nu32pool; i++) d.u32pool[i] = ld32(u32pool + (size_t)i * SZ_U32);
    d.keypool = rl_arena_alloc(&f->arena, sizeof(rl_key) * (d.nkeypool ? d.nkeypool : 1));
    for (uint32_t i = 0; i < d.nkeypool && !d.bad; i++) {
        d.p = keypool + (size_t)i * SZ_KEY;
        rl_key *k = &d.keypool[i];
        k->kind = get_key_kind(&d);
        /* literal, prefix and X.__name__ keys carry their text */
        k->text = get_str(&d, k->kind != RL_KEY_UNKNOWN && k->kind != RL_KEY_ALL);
    }
    if (d.bad) goto fail;

    d.p = rec;
    ALLOC_VEC(f->scopes, n[C_SCOPES]);
    for (uint32_t i = 0; i < n[C_SCOPES]; i++) get_scope(&d, &f->scopes.items[i], i);
    ALLOC_VEC(f->bindings, n[C_BINDINGS]);
    for (uint32_t i = 0; i < n[C_BINDINGS]; i++) get_binding(&d, &f->bindings.items[i]);
    ALLOC_VEC(f->events, n[C_EVENTS]);
    for (uint32_t i = 0; i < n[C_EVENTS]; i++) get_event(&d, &f->events.items[i]);
    ALLOC_VEC(f->refs, n[C_REFS]);
    for (uint32_t i = 0; i < n[C_REFS]; i++) get_ref(&d, &f->refs.items[i]);
    ALLOC_VEC(f->calls, n[C_CALLS]);
    for (uint32_t i = 0; i < n[C_CALLS]; i++) get_call(&d, &f->calls.items[i]);
    ALLOC_VEC(f->syntax_errors, n[C_SYNTAX]);
    for (uint32_t i = 0; i < n[C_SYNTAX]; i++) {
        f->syntax_errors.items[i].line = get_u32(&d);
        f->syntax_errors.items[i].col = get_u32(&d);
    }
    ALLOC_VEC(f->noqa, n[C_NOQA]);
    for (uint32_t i = 0; i < n[C_NOQA]; i++) get_noqa(&d, &f->noqa.items[i]);
    if (d.bad || d.p != strpool) goto fail;

    f->nlines = n[C_NLINES];
    f->truncated = n[C_TRUNCATED] == 1;
    f->truncated_line = n[C_TRUNCATED_LINE];
    /* binding_index: NULL only without bindings (rl_resolver_init insists) */
    uint32_t index_off = n[C_INDEX_OFF], index_len = n[C_INDEX_LEN];
    if (index_off == RL_NONE) {
        if (index_len != 0 || f->bindings.len != 0) goto fail;
    } else {
        if (index_len != f->bindings.len || index_off > d.nu32pool ||
            index_len > d.nu32pool - index_off)
            goto fail;
        f->binding_index = d.u32pool + index_off;
        if (!valid_binding_index(f)) goto fail;
    }
    return 0;

fail:
    rl_file_facts_release(f);
    return -1;
}

/* ---- the folder ------------------------------------------------------------------------ */

struct rl_cache {
    char *dir;
    mode_t file_mode;  /* 0666 minus the umask: entries are ordinary files */
    uint8_t build[16]; /* hash of the running executable */
    time_t now;        /* when the cache was opened: every age is measured from it */
    atomic_bool no_store;
    atomic_flag warned;
    _Atomic uint64_t hits, misses, rejected, stored, bytes_read, bytes_written, pruned;
};

static const char cachedir_tag[] =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by reloadlint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n";

char *rl_cache_default_dir(void)
{
    rl_strbuf sb = {0};
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/') {
        rl_strbuf_addf(&sb, "%s/reloadlint", xdg);
    } else {
        if (!home || !*home) {
            struct passwd *pw = getpwuid(getuid()); /* before any worker starts */
            home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
        }
        if (!home) return NULL;
        rl_strbuf_addf(&sb, "%s/.cache/reloadlint", strcmp(home, "/") == 0 ? "" : home);
    }
    return rl_strbuf_detach(&sb);
}

/* The one warning of a run about the cache. */
static void warn_once(rl_cache *c, const char *what, int err)
{
    atomic_store(&c->no_store, true);
    if (atomic_flag_test_and_set(&c->warned)) return;
    rl_warning("cannot write to the cache folder %s: %s: %s; running without storing results "
               "(--cache-dir DIR chooses another folder, --no-cache turns the cache off)",
               c->dir, what, strerror(err));
}

/* mkdir -p. Returns 0, or -1 with errno set. */
static int make_dirs(const char *dir)
{
    char *path = rl_xstrdup(dir);
    int rc = 0;
    for (char *s = path + 1;; s++) {
        if (*s != '/' && *s != '\0') continue;
        char saved = *s;
        *s = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) rc = -1;
        *s = saved;
        if (!saved || rc) break;
    }
    int err = errno;
    struct stat st;
    if (rc == 0 && stat(path, &st) != 0) {
        err = errno;
        rc = -1;
    } else if (rc == 0 && !S_ISDIR(st.st_mode)) { /* a file of that name */
        err = ENOTDIR;
        rc = -1;
    }
    free(path);
    errno = err;
    return rc;
}

/* Writes data to path through a temporary file in the same folder and a
 * rename, so that readers never see a partial file. Returns 0, or -1 with
 * errno set and *what naming the step that failed. */
static int write_atomically(const char *folder, const char *path, const char *data, size_t len,
                            mode_t mode, const char **what)
{
    size_t n = strlen(folder);
    char *tmp = rl_xmalloc(n + sizeof "/.tmp-XXXXXX");
    memcpy(tmp, folder, n);
    memcpy(tmp + n, "/.tmp-XXXXXX", sizeof "/.tmp-XXXXXX");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        *what = "creating a file";
        int err = errno;
        free(tmp);
        errno = err;
        return -1;
    }
    int rc = 0;
    if (fchmod(fd, mode) != 0) { /* mkstemp makes 0600 */
        *what = "creating a file";
        rc = -1;
    }
    for (size_t done = 0; done < len && rc == 0;) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = EIO;
            *what = "writing";
            rc = -1;
        } else {
            done += (size_t)w;
        }
    }
    int err = errno;
    if (close(fd) != 0 && rc == 0) {
        err = errno;
        *what = "writing";
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        err = errno;
        *what = "renaming";
        rc = -1;
    }
    if (rc != 0) unlink(tmp);
    free(tmp);
    errno = err;
    return rc;
}

/* A fingerprint of the running executable: facts from another build, even
 * of the same version, are never trusted. Zero when it cannot be read. */
static void hash_executable(uint8_t out[16])
{
    memset(out, 0, 16);
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    enum { CHUNK = 1 << 16 };
    uint8_t *buf = rl_xmalloc(CHUNK);
    uint64_t a = SEED_A, b = SEED_B;
    for (;;) {
        ssize_t r = read(fd, buf, CHUNK);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        uint64_t seeds[2] = {a, b}, h[2];
        xxh64_n(buf, (size_t)r, seeds, h, 2);
        a = h[0], b = h[1];
    }
    close(fd);
    free(buf);
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(a >> (8 * i)), out[8 + i] = (uint8_t)(b >> (8 * i));
}

/* ---- eviction ------------------------------------------------------------------------- */

/* Every rebuilt or upgraded binary orphans all entries (the key holds its
 * hash), and edited files orphan theirs: without eviction the folder only
 * grows. Loads keep the entries in use young (rl_cache_load), so an entry
 * whose mtime is ENTRY_MAX_AGE old has not been used for that long. */
#define DAY (24 * 60 * 60)
#define ENTRY_MAX_AGE (30 * DAY)
/* Writing a temporary file takes milliseconds: one an hour old was left by a
 * run that crashed or was killed between mkstemp and rename. */
#define TEMP_MAX_AGE (60 * 60)
/* Its mtime is the last sweep: one a day at most, whatever the runs. */
#define STAMP "last-prune"

static bool is_lower_hex(char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); }

/* "<folder>/<32 hex digits>" starting with the folder's 2 digits (entry_paths). */
static bool is_entry_name(const char *name, const char *folder)
{
    if (name[0] != folder[0] || name[1] != folder[1]) return false;
    for (int i = 0; i < 32; i++)
        if (!is_lower_hex(name[i])) return false;
    return name[32] == '\0';
}

/* ".tmp-XXXXXX" as mkstemp fills it (letters and digits; write_atomically). */
static bool is_temp_name(const char *name)
{
    if (strncmp(name, ".tmp-", 5) != 0) return false;
    for (int i = 5; i < 11; i++) {
        char ch = name[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return false;
    }
    return name[11] == '\0';
}

/* Unlinks name in the folder dfd if it is a regular file (a symlink is not
 * followed, nor removed) older than max_age. */
static bool remove_if_older(const rl_cache *c, int dfd, const char *name, time_t max_age)
{
    struct stat st;
    return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
           c->now - st.st_mtime > max_age && unlinkat(dfd, name, 0) == 0;
}

/* Removes the entries of one subfolder (fd, closed here) unused for
 * ENTRY_MAX_AGE and its stale temporary files; returns how many entries. */
static uint64_t sweep_folder(rl_cache *c, int fd, const char *folder, bool *removed_any)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    uint64_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        bool entry = is_entry_name(e->d_name, folder);
        if (!entry && !is_temp_name(e->d_name)) continue; /* not ours */
        if (!remove_if_older(c, dirfd(d), e->d_name, entry ? ENTRY_MAX_AGE : TEMP_MAX_AGE))
            continue;
        n += entry;
        *removed_any = true;
    }
    closedir(d);
    return n;
}

/* The daily sweep: what nothing used for a month, temporary files of crashed
 * runs. Runs before the workers start, so it races only other processes, and
 * harmlessly: an entry they store or load meanwhile may go, which costs one
 * rebuild; a store that finds its subfolder removed makes it again
 * (rl_cache_store). Never fails the run and never warns: errors leave files. */
static void prune(rl_cache *c)
{
    /* what most runs pay: one lstat. A stamp in the future (another
       machine's clock) counts as fresh, up to a day. */
    rl_strbuf path = {0};
    rl_strbuf_addf(&path, "%s/" STAMP, c->dir);
    struct stat st;
    bool fresh = lstat(path.data, &st) == 0 && st.st_mtime > c->now - DAY &&
                 st.st_mtime < c->now + DAY;
    rl_strbuf_release(&path);
    int root = fresh ? -1 : open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return;
    /* the stamp first, so that concurrent runs do not all sweep; none that
       cannot be written (a read-only folder): then nothing could be removed */
    int fd = openat(root, STAMP, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, c->file_mode);
    bool stamped = fd >= 0 && futimens(fd, NULL) == 0;
    if (fd >= 0) close(fd);
    DIR *d = stamped ? fdopendir(root) : NULL;
    if (!d) {
        close(root);
        return;
    }
    for (struct dirent *e; (e = readdir(d));) {
        const char *name = e->d_name;
        if (is_temp_name(name)) { /* of CACHEDIR.TAG */
            remove_if_older(c, dirfd(d), name, TEMP_MAX_AGE);
            continue;
        }
        if (!is_lower_hex(name[0]) || !is_lower_hex(name[1]) || name[2] != '\0') continue;
        int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        bool removed_any = false;
        atomic_fetch_add(&c->pruned, sweep_folder(c, sub, name, &removed_any));
        if (removed_any) unlinkat(dirfd(d), name, AT_REMOVEDIR); /* if now empty */
    }
    closedir(d);
}

rl_cache *rl_cache_open(const char *dir)
{
    char *path = dir ? rl_xstrdup(dir) : rl_cache_default_dir();
    if (!path) {
        rl_warning("no cache folder: neither XDG_CACHE_HOME nor HOME is set; running without "
                   "the cache (--cache-dir DIR names one)");
        return NULL;
    }
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') path[--n] = '\0';
    if (make_dirs(path) != 0) {
        rl_warning("cannot create the cache folder %s: %s; running without the cache "
                   "(--cache-dir DIR chooses another folder, --no-cache turns it off)",
                   path, strerror(errno));
        free(path);
        return NULL;
    }
    rl_cache *c = rl_xcalloc(1, sizeof *c);
    c->dir = path;
    mode_t mask = umask(0); /* before any worker starts: umask() is process-wide */
    umask(mask);
    c->file_mode = 0666 & ~mask;
    c->now = time(NULL);
    atomic_init(&c->no_store, false);
    atomic_flag_clear(&c->warned);
    hash_executable(c->build);

    rl_strbuf tag = {0};
    rl_strbuf_addf(&tag, "%s/CACHEDIR.TAG", path);
    if (access(tag.data, F_OK) != 0) {
        const char *what = NULL;
        if (write_atomically(path, tag.data, cachedir_tag, sizeof cachedir_tag - 1,
                             c->file_mode, &what) != 0)
            warn_once(c, "CACHEDIR.TAG", errno);
    }
    rl_strbuf_release(&tag);
    /* at open, before any worker, rather than at close: --stats, printed
       before rl_cache_close, counts what it removed */
    prune(c);
    return c;
}

void rl_cache_close(rl_cache *c)
{
    if (!c) return;
    free(c->dir);
    free(c);
}

const char *rl_cache_dir(const rl_cache *c) { return c->dir; }

void rl_cache_stats_get(const rl_cache *c, rl_cache_stats *out)
{
    out->hits = atomic_load(&c->hits);
    out->misses = atomic_load(&c->misses);
    out->rejected = atomic_load(&c->rejected);
    out->stored = atomic_load(&c->stored);
    out->bytes_read = atomic_load(&c->bytes_read);
    out->bytes_written = atomic_load(&c->bytes_written);
    out->pruned = atomic_load(&c->pruned);
}

void rl_cache_key_make(const rl_cache *c, const rl_extract_input *in, rl_cache_key *key)
{
    /* Everything rl_extract reads, plus what identifies the extractor. A
       field added to rl_extract_input that changes facts belongs here. */
    static const uint64_t seeds[2] = {SEED_A, SEED_B};
    uint64_t h[2], k[2];
    xxh64_n(in->src, in->len, seeds, h, 2);
    rl_strbuf sb = {0};
    put_u32(&sb, RL_CACHE_FORMAT);
    rl_strbuf_addn(&sb, RL_VERSION, sizeof RL_VERSION); /* with its NUL */
    static const uint8_t none[16];
    rl_strbuf_addn(&sb, (const char *)(c ? c->build : none), 16);
    rl_strbuf_addc(&sb, in->module ? 'm' : '-');
    if (in->module) rl_strbuf_addn(&sb, in->module, strlen(in->module) + 1);
    rl_strbuf_addc(&sb, in->is_package ? 'p' : '-');
    rl_strbuf_addc(&sb, in->keep_all ? 'k' : '-');
    put_u64(&sb, in->len);
    put_u64(&sb, h[0]);
    put_u64(&sb, h[1]);
    xxh64_n(sb.data, sb.len, seeds, k, 2);
    rl_strbuf_release(&sb);
    for (int i = 0; i < 8; i++) {
        key->bytes[i] = (uint8_t)(k[0] >> (8 * i));
        key->bytes[8 + i] = (uint8_t)(k[1] >> (8 * i));
    }
}

/* "<dir>/ab" and "<dir>/ab/<32 hex digits>" (heap; the caller frees both). */
static void entry_paths(const rl_cache *c, const rl_cache_key *key, char **folder, char **file)
{
    static const char hex[] = "0123456789abcdef";
    char name[33];
    for (int i = 0; i < 16; i++) {
        name[2 * i] = hex[key->bytes[i] >> 4];
        name[2 * i + 1] = hex[key->bytes[i] & 15];
    }
    name[32] = '\0';
    size_t n = strlen(c->dir);
    *folder = rl_xmalloc(n + 4);
    memcpy(*folder, c->dir, n);
    (*folder)[n] = '/';
    memcpy(*folder + n + 1, name, 2);
    (*folder)[n + 3] = '\0';
    *file = rl_xmalloc(n + 4 + 33);
    memcpy(*file, *folder, n + 3);
    (*file)[n + 3] = '/';
    memcpy(*file + n + 4, name, 33);
}

/* Reads the whole regular file at path (heap, the caller frees) if its size
 * could be an entry; NULL otherwise. The file stays open in *fd (-1: there
 * is none; the caller closes it), its mtime in *mtime. */
static uint8_t *read_entry(const char *path, size_t *len, int *fd_out, time_t *mtime)
{
    int fd = *fd_out = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)HDR_SIZE &&
        (uint64_t)st.st_size <= MAX_ENTRY_SIZE) {
        *mtime = st.st_mtime;
        size_t size = (size_t)st.st_size, done = 0;
        buf = rl_xmalloc(size);
        while (done < size) {
            ssize_t r = read(fd, buf + done, size - done);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            done += (size_t)r;
        }
        if (done != size) {
            free(buf);
            buf = NULL;
        }
        *len = size;
    }
    return buf;
}

bool rl_cache_load(rl_cache *c, const rl_cache_key *key, rl_file_facts *facts)
{
    char *folder, *file;
    entry_paths(c, key, &folder, &file);
    size_t len = 0;
    int fd;
    time_t mtime = 0;
    uint8_t *buf = read_entry(file, &len, &fd, &mtime);
    free(folder);
    free(file);
    bool ok = buf && rl_cache_decode(buf, len, key, facts) == 0;
    free(buf);
    if (ok) {
        atomic_fetch_add(&c->hits, 1);
        atomic_fetch_add(&c->bytes_read, len);
        /* an entry in use stays young, so the sweep (prune) keeps it; a day's
           slack leaves a warm run without an extra system call */
        if (c->now - mtime > DAY) futimens(fd, NULL); /* a read-only folder: no matter */
    } else {
        atomic_fetch_add(&c->misses, 1);
        if (fd >= 0) atomic_fetch_add(&c->rejected, 1); /* the store replaces it */
    }
    if (fd >= 0) close(fd);
    return ok;
}

void rl_cache_store(rl_cache *c, const rl_cache_key *key, const rl_file_facts *facts)
{
    if (atomic_load(&c->no_store)) return;
    rl_strbuf entry = {0};
    if (!rl_cache_encode(facts, key, &entry)) {
        rl_strbuf_release(&entry);
        return;
    }
    char *folder, *file;
    entry_paths(c, key, &folder, &file);
    const char *what = NULL;
    int rc = write_atomically(folder, file, entry.data, entry.len, c->file_mode, &what);
    if (rc != 0 && errno == ENOENT) { /* the first entry of its folder */
        what = "creating a folder";
        rc = mkdir(folder, 0777) == 0 || errno == EEXIST ? 0 : -1;
        if (rc == 0) rc = write_atomically(folder, file, entry.data, entry.len, c->file_mode, &what);
    }
    if (rc != 0) {
        warn_once(c, what, errno);
    } else {
        atomic_fetch_add(&c->stored, 1);
        atomic_fetch_add(&c->bytes_written, entry.len);
    }
    free(folder);
    free(file);
    rl_strbuf_release(&entry);
}
