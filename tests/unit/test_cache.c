/* test_cache.c - the incremental cache: XXH64 against the reference vectors,
 * exact round trips of extracted facts (every field, NULL vs ""), rejection
 * of corrupt, truncated and foreign entries (every byte flipped, every
 * length), the structural checks behind the checksum (resealed mutations:
 * whatever is accepted must survive the model and every rule), the folder
 * (CACHEDIR.TAG, hits, rebuilt entries, unusable folders: one warning),
 * eviction (the daily sweep of old entries and stale temporary files, nothing
 * foreign touched, loads refreshing entries), the default location and the
 * `cache-dir` configuration key. Also facts moved into a region
 * (rl_file_facts_move), checked with the same deep comparison. Run under ASan and UBSan in the asan build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "diag.h"
#include "extract.h"
#include "model.h"
#include "options.h"
#include "project.h"
#include "registry.h"
#include "resolve.h"
#include "suppress.h"

/* ---- helpers ---------------------------------------------------------------- */

static unsigned count_lines(const char *s)
{
    unsigned n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void extract(rl_file_facts *f, const char *text, const char *module, bool is_package,
                    bool keep_all)
{
    memset(f, 0, sizeof *f);
    rl_extract_input in = {.src = text,
                           .len = (uint32_t)strlen(text),
                           .module = module,
                           .is_package = is_package,
                           .keep_all = keep_all};
    rl_extract(f, &in);
}

static const rl_cache_key test_key = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};

/* ---- deep comparison ------------------------------------------------------- */

static void same_str(const char *a, const char *b)
{
    if (!a || !b) {
        assert_ptr_equal(a, b); /* both NULL */
        return;
    }
    assert_string_equal(a, b);
}

static void same_span(rl_span a, rl_span b)
{
    assert_int_equal(a.line, b.line);
    assert_int_equal(a.col, b.col);
    assert_int_equal(a.end_line, b.end_line);
    assert_int_equal(a.end_col, b.end_col);
}

static void same_strs(const char *const *a, uint32_t na, const char *const *b, uint32_t nb)
{
    assert_int_equal(na, nb);
    assert_int_equal(a == NULL, b == NULL);
    for (uint32_t i = 0; i < na; i++) same_str(a[i], b[i]);
}

static void same_facts(const rl_file_facts *a, const rl_file_facts *b)
{
    assert_int_equal(a->scopes.len, b->scopes.len);
    for (uint32_t i = 0; i < a->scopes.len; i++) {
        const rl_scope *x = &a->scopes.items[i], *y = &b->scopes.items[i];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->parent, y->parent);
        same_str(x->name, y->name);
        same_span(x->span, y->span);
    }
    assert_int_equal(a->bindings.len, b->bindings.len);
    for (uint32_t i = 0; i < a->bindings.len; i++) {
        const rl_binding *x = &a->bindings.items[i], *y = &b->bindings.items[i];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->scope, y->scope);
        assert_int_equal(x->flags, y->flags);
        same_str(x->name, y->name);
        same_str(x->value, y->value);
        same_str(x->attr, y->attr);
        same_str(x->qual, y->qual);
        assert_int_equal(x->qual_via_import, y->qual_via_import);
        same_span(x->span, y->span);
        same_span(x->value_span, y->value_span);
    }
    assert_int_equal(a->events.len, b->events.len);
    for (uint32_t i = 0; i < a->events.len; i++) {
        const rl_event *x = &a->events.items[i], *y = &b->events.items[i];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->scope, y->scope);
        assert_int_equal(x->flow, y->flow);
        same_span(x->span, y->span);
        same_str(x->ref, y->ref);
        assert_int_equal(x->op, y->op);
        assert_int_equal(x->nkeys, y->nkeys);
        assert_int_equal(x->keys == NULL, y->keys == NULL);
        for (uint32_t k = 0; k < x->nkeys; k++) {
            assert_int_equal(x->keys[k].kind, y->keys[k].kind);
            same_str(x->keys[k].text, y->keys[k].text);
        }
        assert_int_equal(x->target_kind, y->target_kind);
        same_str(x->target, y->target);
        same_strs(x->modules, x->nmodules, y->modules, y->nmodules);
        assert_int_equal(x->type_checking, y->type_checking);
        assert_int_equal(x->guarded, y->guarded);
        same_strs(x->names, x->nnames, y->names, y->nnames);
        same_str(x->callee, y->callee);
        same_str(x->helper, y->helper);
        assert_int_equal(x->what, y->what);
        same_strs(x->targets, x->ntargets, y->targets, y->ntargets);
        assert_int_equal(x->nremovals, y->nremovals);
        assert_int_equal(x->removals == NULL, y->removals == NULL);
        for (uint32_t k = 0; k < x->nremovals; k++) assert_int_equal(x->removals[k], y->removals[k]);
        same_str(x->paired, y->paired);
    }
    assert_int_equal(a->refs.len, b->refs.len);
    for (uint32_t i = 0; i < a->refs.len; i++) {
        const rl_ref *x = &a->refs.items[i], *y = &b->refs.items[i];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->scope, y->scope);
        same_str(x->dotted, y->dotted);
        same_str(x->param, y->param);
        same_str(x->qual, y->qual);
        assert_int_equal(x->via_import, y->via_import);
        same_span(x->span, y->span);
    }
    assert_int_equal(a->calls.len, b->calls.len);
    for (uint32_t i = 0; i < a->calls.len; i++) {
        const rl_call_site *x = &a->calls.items[i], *y = &b->calls.items[i];
        same_str(x->callee, y->callee);
        assert_int_equal(x->scope, y->scope);
        same_span(x->span, y->span);
    }
    assert_int_equal(a->binding_index == NULL, b->binding_index == NULL);
    if (a->binding_index)
        for (uint32_t i = 0; i < a->bindings.len; i++)
            assert_int_equal(a->binding_index[i], b->binding_index[i]);
    assert_int_equal(a->syntax_errors.len, b->syntax_errors.len);
    for (uint32_t i = 0; i < a->syntax_errors.len; i++) {
        assert_int_equal(a->syntax_errors.items[i].line, b->syntax_errors.items[i].line);
        assert_int_equal(a->syntax_errors.items[i].col, b->syntax_errors.items[i].col);
    }
    assert_int_equal(a->truncated, b->truncated);
    assert_int_equal(a->truncated_line, b->truncated_line);
    assert_int_equal(a->parse_timed_out, b->parse_timed_out);
    assert_int_equal(a->noqa.len, b->noqa.len);
    for (uint32_t i = 0; i < a->noqa.len; i++) {
        assert_int_equal(a->noqa.items[i].line, b->noqa.items[i].line);
        same_str(a->noqa.items[i].codes, b->noqa.items[i].codes);
        assert_int_equal(a->noqa.items[i].file_level, b->noqa.items[i].file_level);
    }
    assert_int_equal(a->nlines, b->nlines);
}

/* Boolean form of same_facts, for the fuzz loops (no assertion per byte). */
static bool equal_facts(const rl_file_facts *a, const rl_file_facts *b)
{
    rl_strbuf x = {0}, y = {0};
    /* the encoding is canonical: equal facts encode to equal bytes */
    bool ok = rl_cache_encode(a, &test_key, &x) && rl_cache_encode(b, &test_key, &y) &&
              x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    rl_strbuf_release(&x);
    rl_strbuf_release(&y);
    return ok;
}

/* Encodes f, decodes it, and compares every field. */
static void round_trip(const rl_file_facts *f)
{
    rl_strbuf entry = {0};
    assert_true(rl_cache_encode(f, &test_key, &entry));
    rl_file_facts g = {0};
    assert_int_equal(rl_cache_decode(entry.data, entry.len, &test_key, &g), 0);
    same_facts(f, &g);
    /* and the loaded facts encode to the same bytes */
    rl_strbuf again = {0};
    assert_true(rl_cache_encode(&g, &test_key, &again));
    assert_int_equal(again.len, entry.len);
    assert_memory_equal(again.data, entry.data, entry.len);
    rl_strbuf_release(&again);
    rl_strbuf_release(&entry);
    rl_file_facts_release(&g);
}

/* Every record kind: scopes, every binding kind, removals paired with
 * imports and reloads, loops over names, keys, refs, calls, noqa. */
static const char rich_source[] =
    "import sys, importlib\n"
    "import importlib as il\n"
    "import ext.mod as pm\n"
    "from ext import thing  # noqa: RL301\n"
    "from . import sibling\n"
    "from ext.other import *\n"
    "alias = pm.attr\n"
    "REGISTRY = {}\n"
    "made = pm.factory()\n"
    "empty = ''\n"
    "class C(pm.Base):\n"
    "    def f(self, x=pm.DEFAULT, *a, **k):\n"
    "        global REGISTRY\n"
    "        try:\n"
    "            return isinstance(x, pm.Kind)\n"
    "        except pm.Error as e:\n"
    "            return type(x) is pm.Kind\n"
    "    g = lambda self: 1\n"
    "print(issubclass(made, pm.Kind))\n"
    "for name in (\"ext.a\", \"ext.b\"):\n"
    "    importlib.reload(sys.modules[name])\n"
    "for mod in (pm, sibling):\n"
    "    importlib.reload(mod)\n"
    "for k in list(sys.modules):\n"
    "    if k.startswith(\"ext.\"):\n"
    "        del sys.modules[k]\n"
    "del sys.modules[\"ext.mod\"]\n"
    "sys.modules.pop(pm.__name__, None)\n"
    "sys.modules[\"x\"] = pm\n"
    "import ext.mod\n"
    "il.reload(pm)\n"
    "importlib.import_module(\"ext.mod\")\n"
    "__import__(\"ext.mod\")\n"
    "reload(ext)\n"
    "pm.registry.append(1)\n"
    "pm.value = 2\n"
    "pm.register(C)\n"
    "@pm.plugin\n"
    "def refresh(m):\n"
    "    importlib.reload(m)\n"
    "def fill():\n"
    "    pm.REGISTRY.update(a=1)\n"
    "refresh(pm)\n"
    "sys.modules.clear()\n"
    "if TYPE_CHECKING:\n"
    "    import typing_only\n"
    "# reloadlint: noqa: RL205\n"
    "x = 1  # noqa\n";

static const char broken_source[] = "import sys\n"
                                    "def f(:\n"
                                    "    del sys.modules['a']\n"
                                    "import a\n"
                                    "x = (\n";

/* ---- XXH64 --------------------------------------------------------------------- */

static void test_xxh64_vectors(void **state)
{
    (void)state;
    assert_true(rl_xxh64("", 0, 0) == 0xEF46DB3751D8E999ull);
    assert_true(rl_xxh64("abc", 3, 0) == 0x44BC2CF5AD770999ull);
    const char *s = "Nobody inspects the spammish repetition"; /* 39 bytes: stripes and tail */
    assert_true(rl_xxh64(s, strlen(s), 0) == 0xFBCEA83C8A378BF1ull);
    assert_true(rl_xxh64("abc", 3, 1) != rl_xxh64("abc", 3, 0));
    /* the one-pass pair equals two single hashes, at every stripe and tail length */
    uint8_t data[200];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 37 + 11);
    const uint64_t seeds[2] = {7, 0x9E3779B185EBCA87ull};
    for (size_t n = 0; n <= sizeof data; n++) {
        uint64_t pair[2];
        rl_xxh64_pair(data, n, seeds, pair);
        assert_true(pair[0] == rl_xxh64(data, n, seeds[0]));
        assert_true(pair[1] == rl_xxh64(data, n, seeds[1]));
    }
}

/* ---- round trips ------------------------------------------------------------------ */

static void test_round_trip_sources(void **state)
{
    (void)state;
    const char *sources[] = {rich_source, broken_source, "", "\n", "x = 1\n",
                             "def f():\n    import m\n    del sys.modules['m']\n"};
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        for (int keep = 0; keep < 2; keep++) {
            for (int pkg = 0; pkg < 2; pkg++) {
                rl_file_facts f;
                extract(&f, sources[i], "pkg.mod", pkg, keep);
                round_trip(&f);
                rl_file_facts_release(&f);
            }
        }
    }
    /* the rich source really has every record kind */
    rl_file_facts f;
    extract(&f, rich_source, "pkg.mod", false, false);
    assert_true(f.scopes.len >= 3 && f.bindings.len >= 8 && f.events.len >= 10);
    assert_true(f.refs.len >= 3 && f.calls.len >= 1 && f.noqa.len >= 2);
    bool removals = false, keys = false, names = false, targets = false;
    for (uint32_t i = 0; i < f.events.len; i++) {
        removals |= f.events.items[i].nremovals > 0;
        keys |= f.events.items[i].nkeys > 0;
        names |= f.events.items[i].nnames > 0;
        targets |= f.events.items[i].ntargets > 0;
    }
    assert_true(removals && keys && names && targets);
    rl_file_facts_release(&f);
    extract(&f, broken_source, "m", false, false);
    assert_true(f.syntax_errors.len > 0);
    rl_file_facts_release(&f);
}

/* ---- moving facts into a region (facts.h) ------------------------------------------ */

/* A run moves each file's facts into its worker's region: every field must
 * read the same afterwards (compared with a decoded copy, and by encoding),
 * long after later files were moved by the same mover (its string table
 * forgets each file; ASan sees the originals freed once, and nothing of the
 * region freed by rl_file_facts_release). Equal strings share one copy. The
 * vectors a moved file leaves behind are lent to the next: extracting into
 * them gives the same facts as extracting into fresh ones. */
static void test_move_into_region(void **state)
{
    (void)state;
    const char *sources[] = {rich_source, broken_source, "", "x = 1\n",
                             "def f():\n    import m\n    del sys.modules['m']\n"};
    enum { NSOURCES = sizeof sources / sizeof *sources, NFILES = NSOURCES * 2 };
    /* small chunks: records outgrow them and take chunks of their own */
    rl_arena region = {.chunk_size = 4096};
    rl_facts_mover mover = {.region = &region};
    rl_file_facts files[NFILES];
    rl_strbuf entries[NFILES];
    uint32_t lent_capacity = 0;
    for (uint32_t k = 0; k < NFILES; k++) {
        const char *src = sources[k % NSOURCES];
        bool keep_all = k >= NSOURCES;
        rl_file_facts fresh;
        extract(&fresh, src, "pkg.mod", false, keep_all);
        entries[k] = (rl_strbuf){0};
        assert_true(rl_cache_encode(&fresh, &test_key, &entries[k]));
        rl_file_facts_release(&fresh);
        /* extracted into the vectors earlier files left behind: the same facts */
        memset(&files[k], 0, sizeof files[k]);
        rl_facts_mover_lend(&mover, &files[k]);
        lent_capacity += files[k].events.cap + files[k].bindings.cap + files[k].scopes.cap;
        rl_extract_input in = {.src = src, .len = (uint32_t)strlen(src), .module = "pkg.mod",
                               .keep_all = keep_all};
        rl_extract(&files[k], &in);
        rl_strbuf lent = {0};
        assert_true(rl_cache_encode(&files[k], &test_key, &lent));
        assert_int_equal(lent.len, entries[k].len);
        assert_memory_equal(lent.data, entries[k].data, lent.len);
        rl_strbuf_release(&lent);
        rl_file_facts_move(&files[k], &mover);
        assert_true(files[k].in_region);
        assert_null(files[k].arena.head); /* the file's own storage is gone */
        rl_file_facts_move(&files[k], &mover); /* moving again changes nothing */
    }
    for (uint32_t k = 0; k < NFILES; k++) {
        rl_file_facts reference = {0};
        assert_int_equal(rl_cache_decode(entries[k].data, entries[k].len, &test_key, &reference), 0);
        same_facts(&reference, &files[k]);
        rl_strbuf again = {0};
        assert_true(rl_cache_encode(&files[k], &test_key, &again));
        assert_int_equal(again.len, entries[k].len);
        assert_memory_equal(again.data, entries[k].data, again.len);
        rl_strbuf_release(&again);
        rl_file_facts_release(&reference);
    }
    assert_true(lent_capacity > 0); /* later files did get earlier files' vectors */
    /* rich_source refers to pm.Kind three times: one copy */
    const rl_file_facts *rich = &files[0];
    uint32_t kinds = 0;
    const char *kind = NULL;
    for (uint32_t i = 0; i < rich->refs.len; i++) {
        const char *d = rich->refs.items[i].dotted;
        if (!d || strcmp(d, "pm.Kind") != 0) continue;
        if (kind) assert_ptr_equal(d, kind);
        kind = d;
        kinds++;
    }
    assert_int_equal(kinds, 3);
    for (uint32_t k = 0; k < NFILES; k++) {
        rl_file_facts_release(&files[k]);
        rl_strbuf_release(&entries[k]);
    }
    rl_facts_mover_release(&mover);
    rl_arena_release(&region);
}

/* Deep nesting: truncated and truncated_line. */
static void test_round_trip_truncated(void **state)
{
    (void)state;
    rl_strbuf sb = {0};
    for (int i = 0; i < 3000; i++) rl_strbuf_adds(&sb, "(");
    rl_strbuf_adds(&sb, "1");
    for (int i = 0; i < 3000; i++) rl_strbuf_adds(&sb, ")");
    rl_strbuf_adds(&sb, "\nimport a\n");
    rl_file_facts f;
    extract(&f, sb.data, "m", false, false);
    assert_true(f.truncated);
    assert_int_equal(f.truncated_line, 1);
    round_trip(&f);
    rl_file_facts_release(&f);
    rl_strbuf_release(&sb);
}

/* Every .py file below dir: extracted, round-tripped. Returns how many. */
static unsigned round_trip_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        rl_strbuf path = {0};
        rl_strbuf_addf(&path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode)) {
            n += round_trip_tree(path.data);
        } else if (rl_str_ends_with(e->d_name, ".py")) {
            FILE *fp = fopen(path.data, "rb");
            assert_non_null(fp);
            rl_strbuf text = {0};
            char buf[4096];
            size_t r;
            while ((r = fread(buf, 1, sizeof buf, fp)) > 0) rl_strbuf_addn(&text, buf, r);
            fclose(fp);
            rl_file_facts f;
            extract(&f, text.data ? text.data : "", "pkg.mod", false, false);
            round_trip(&f);
            rl_file_facts_release(&f);
            rl_strbuf_release(&text);
            n++;
        }
        rl_strbuf_release(&path);
    }
    closedir(d);
    return n;
}

static void test_round_trip_fixtures(void **state)
{
    (void)state;
    assert_true(round_trip_tree("fixtures") > 50); /* run from the source root */
}

/* NULL and "" are different strings; a NULL array and an empty one too. */
static void test_null_versus_empty(void **state)
{
    (void)state;
    rl_file_facts f = {0};
    rl_vec_push(&f.scopes, ((rl_scope){RL_SCOPE_MODULE, RL_NONE, "<module>", {1, 1, 1, 1}}));
    rl_vec_push(&f.scopes, ((rl_scope){RL_SCOPE_FUNCTION, 0, "", {2, 1, 3, 1}}));
    rl_binding b = {.kind = RL_BIND_FROM_IMPORT, .scope = 0, .name = "", .value = "", .attr = "",
                    .qual = NULL, .qual_via_import = true};
    rl_vec_push(&f.bindings, b);
    b = (rl_binding){.kind = RL_BIND_ALIAS, .scope = 1, .name = "a", .value = NULL, .qual = ""};
    rl_vec_push(&f.bindings, b);
    rl_resolver_index(&f);
    static rl_key keys[1];
    static const char *strs[1];
    static uint32_t ids[1];
    rl_event e = {.kind = RL_EV_IMPORT, .flow = 0, .ref = "", .keys = keys, .nkeys = 0,
                  .target = NULL, .modules = strs, .nmodules = 0, .names = NULL,
                  .targets = strs, .ntargets = 0, .removals = ids, .nremovals = 0, .paired = ""};
    rl_vec_push(&f.events, e);
    rl_vec_push(&f.noqa, ((rl_noqa){3, "", true}));
    rl_vec_push(&f.noqa, ((rl_noqa){4, NULL, false}));
    rl_vec_push(&f.refs, ((rl_ref){.dotted = "", .param = NULL, .qual = ""}));
    f.nlines = 7;
    round_trip(&f);

    rl_strbuf entry = {0};
    assert_true(rl_cache_encode(&f, &test_key, &entry));
    rl_file_facts g = {0};
    assert_int_equal(rl_cache_decode(entry.data, entry.len, &test_key, &g), 0);
    assert_string_equal(g.bindings.items[0].value, "");
    assert_null(g.bindings.items[0].qual);
    assert_null(g.bindings.items[1].value);
    assert_string_equal(g.bindings.items[1].qual, "");
    assert_non_null(g.events.items[0].keys);
    assert_non_null(g.events.items[0].modules);
    assert_null(g.events.items[0].names);
    assert_non_null(g.events.items[0].removals);
    assert_null(g.events.items[0].target);
    assert_string_equal(g.noqa.items[0].codes, "");
    assert_null(g.noqa.items[1].codes);
    rl_file_facts_release(&g);
    rl_strbuf_release(&entry);
    rl_file_facts_release(&f);
}

/* ---- rejection ----------------------------------------------------------------------- */

/* The whole pipeline after the front end on facts that passed validation:
 * model, graph and every rule must not crash. */
static void run_rules_on(rl_file_facts *facts)
{
    rl_options o;
    rl_options_init(&o);
    rl_project p = {.options = &o};
    rl_file file = {.path = "pkg/mod.py", .module = "pkg.mod", .reported = true, .facts = *facts};
    rl_vec_push(&p.files, file);
    rl_model_build(&p);
    rl_diags d = {.arena = &p.arena};
    for (int id = 0; id < RL_RULE_COUNT; id++) rl_rule_get((rl_rule_id)id)->check(&p, &d);
    rl_diags_sort(&d, &p);
    rl_vec_release(&d.items);
    rl_model_release(&p);
    *facts = p.files.items[0].facts; /* still the caller's to release */
    rl_vec_release(&p.files);
    rl_arena_release(&p.arena);
    rl_options_release(&o);
}

static void fuzz_entry(const char *source, bool keep_all)
{
    rl_file_facts f;
    extract(&f, source, "pkg.mod", false, keep_all);
    rl_strbuf entry = {0};
    assert_true(rl_cache_encode(&f, &test_key, &entry));
    size_t len = entry.len;
    uint8_t *buf = malloc(len + 1);
    unsigned accepted_raw = 0, accepted_resealed = 0;

    /* every length short of the whole: rejected */
    for (size_t n = 0; n < len; n++) {
        memcpy(buf, entry.data, n);
        rl_file_facts g = {0};
        assert_int_equal(rl_cache_decode(buf, n, &test_key, &g), -1);
        assert_null(g.scopes.items); /* left zeroed */
    }
    /* a byte more: rejected */
    memcpy(buf, entry.data, len);
    buf[len] = 0;
    rl_file_facts g0 = {0};
    assert_int_equal(rl_cache_decode(buf, len + 1, &test_key, &g0), -1);

    static const uint8_t masks[] = {0x01, 0x80, 0xff};
    for (size_t i = 0; i < len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(buf, entry.data, len);
            buf[i] ^= masks[m];
            /* as found on disk: rejected, or (never, in practice) identical */
            rl_file_facts g = {0};
            if (rl_cache_decode(buf, len, &test_key, &g) == 0) {
                accepted_raw++;
                assert_true(equal_facts(&f, &g));
                rl_file_facts_release(&g);
            }
            /* behind a valid checksum: the structural checks decide; what
               they let through must be safe for everything downstream */
            rl_cache_reseal(buf, len);
            if (rl_cache_decode(buf, len, &test_key, &g) == 0) {
                accepted_resealed++;
                run_rules_on(&g);
                rl_file_facts_release(&g);
            }
        }
    }
    assert_int_equal(accepted_raw, 0);
    /* a flipped span, flag or line is accepted; most flips are not */
    assert_true(accepted_resealed > 0);
    assert_true(accepted_resealed < 3 * len);
    free(buf);
    rl_strbuf_release(&entry);
    rl_file_facts_release(&f);
}

static void test_fuzz_rich_entry(void **state)
{
    (void)state;
    fuzz_entry(rich_source, false);
}

static void test_fuzz_broken_entry(void **state)
{
    (void)state;
    fuzz_entry(broken_source, true);
}

/* Garbage with a valid header and checksum: rejected by the structure. */
static void test_garbage_payloads(void **state)
{
    (void)state;
    rl_file_facts f;
    extract(&f, "import a\n", "m", false, false);
    rl_strbuf entry = {0};
    assert_true(rl_cache_encode(&f, &test_key, &entry));
    uint8_t *buf = malloc(entry.len);
    uint32_t seed = 12345;
    for (int round = 0; round < 2000; round++) {
        memcpy(buf, entry.data, entry.len);
        for (size_t i = 80; i < entry.len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (uint8_t)(seed >> 16);
        }
        rl_cache_reseal(buf, entry.len);
        rl_file_facts g = {0};
        if (rl_cache_decode(buf, entry.len, &test_key, &g) == 0) {
            run_rules_on(&g);
            rl_file_facts_release(&g);
        }
    }
    free(buf);
    rl_strbuf_release(&entry);
    rl_file_facts_release(&f);
}

/* Another key, version, format or magic: a foreign entry. */
static void test_foreign_entries(void **state)
{
    (void)state;
    rl_file_facts f;
    extract(&f, rich_source, "pkg.mod", false, false);
    rl_strbuf entry = {0};
    assert_true(rl_cache_encode(&f, &test_key, &entry));
    rl_file_facts g = {0};
    rl_cache_key other = test_key;
    other.bytes[15] ^= 1;
    assert_int_equal(rl_cache_decode(entry.data, entry.len, &other, &g), -1);
    size_t fields[] = {0, 7, 8, 12, 16, 20, 47};  /* magic, format, reserved, version */
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        uint8_t *buf = malloc(entry.len);
        memcpy(buf, entry.data, entry.len);
        buf[fields[i]] ^= 0x20;
        rl_cache_reseal(buf, entry.len);
        assert_int_equal(rl_cache_decode(buf, entry.len, &test_key, &g), -1);
        free(buf);
    }
    assert_int_equal(rl_cache_decode(entry.data, entry.len, &test_key, &g), 0);
    rl_file_facts_release(&g);
    rl_strbuf_release(&entry);
    rl_file_facts_release(&f);
}

/* A timed-out parse is never kept. */
static void test_timed_out_not_encoded(void **state)
{
    (void)state;
    rl_file_facts f;
    extract(&f, "import a\n", "m", false, false);
    f.parse_timed_out = true;
    rl_strbuf entry = {0};
    assert_false(rl_cache_encode(&f, &test_key, &entry));
    assert_int_equal(entry.len, 0);
    rl_file_facts_release(&f);
}

/* ---- keys ------------------------------------------------------------------------------- */

static void test_key_inputs(void **state)
{
    (void)state;
    rl_extract_input in = {.src = "import a\n", .len = 9, .module = "pkg.m"};
    rl_cache_key base, k;
    rl_cache_key_make(NULL, &in, &base);
    rl_cache_key_make(NULL, &in, &k);
    assert_memory_equal(base.bytes, k.bytes, 16);
    rl_extract_input changed[5] = {in, in, in, in, in};
    changed[0].src = "import b\n";
    changed[1].module = "pkg.n";
    changed[2].is_package = true;
    changed[3].keep_all = true;
    changed[4].len = 8;
    for (int i = 0; i < 5; i++) {
        rl_cache_key_make(NULL, &changed[i], &k);
        assert_memory_not_equal(base.bytes, k.bytes, 16);
    }
}

/* ---- the folder --------------------------------------------------------------------------- */

static char *temp_dir(void)
{
    char *t = strdup("/tmp/rl-test-cache.XXXXXX");
    assert_non_null(mkdtemp(t));
    return t;
}

static void remove_tree(const char *path)
{
    rl_strbuf cmd = {0};
    rl_strbuf_addf(&cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", path, path);
    assert_int_equal(system(cmd.data), 0);
    rl_strbuf_release(&cmd);
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    rl_strbuf sb = {0};
    char buf[4096];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, fp)) > 0) rl_strbuf_addn(&sb, buf, r);
    fclose(fp);
    rl_strbuf_addn(&sb, "", 0);
    return rl_strbuf_detach(&sb);
}

/* The entry file of key in dir (heap). */
static char *entry_file(const char *dir, const rl_cache_key *key)
{
    rl_strbuf sb = {0};
    rl_strbuf_addf(&sb, "%s/%02x/", dir, key->bytes[0]);
    for (int i = 0; i < 16; i++) rl_strbuf_addf(&sb, "%02x", key->bytes[i]);
    return rl_strbuf_detach(&sb);
}

static void test_folder_store_load(void **state)
{
    (void)state;
    char *tmp = temp_dir();
    rl_strbuf dir = {0};
    rl_strbuf_addf(&dir, "%s/a/b/", tmp); /* created, trailing '/' dropped */
    rl_cache *c = rl_cache_open(dir.data);
    assert_non_null(c);
    char *tag_path = NULL;
    {
        rl_strbuf sb = {0};
        rl_strbuf_addf(&sb, "%s/a/b/CACHEDIR.TAG", tmp);
        tag_path = rl_strbuf_detach(&sb);
    }
    char *tag = read_text(tag_path);
    assert_non_null(tag);
    assert_true(rl_str_starts_with(tag, "Signature: 8a477f597d28d172789f06886806bc55\n"));

    rl_extract_input in = {.src = rich_source, .len = (uint32_t)strlen(rich_source),
                           .module = "pkg.mod"};
    rl_cache_key key;
    rl_cache_key_make(c, &in, &key);
    rl_file_facts f = {0}, g = {0};
    assert_false(rl_cache_load(c, &key, &g)); /* a miss */
    rl_extract(&f, &in);
    rl_cache_store(c, &key, &f);
    assert_true(rl_cache_load(c, &key, &g)); /* a hit */
    same_facts(&f, &g);
    rl_file_facts_release(&g);

    /* a corrupt entry on disk: rejected, rebuilt by the next store */
    char *file = entry_file(dir.data, &key);
    FILE *fp = fopen(file, "wb");
    assert_non_null(fp);
    fputs("garbage", fp);
    fclose(fp);
    assert_false(rl_cache_load(c, &key, &g));
    rl_cache_store(c, &key, &f);
    assert_true(rl_cache_load(c, &key, &g));
    same_facts(&f, &g);
    rl_file_facts_release(&g);

    rl_cache_stats s;
    rl_cache_stats_get(c, &s);
    assert_int_equal(s.hits, 2);
    assert_int_equal(s.misses, 2);
    assert_int_equal(s.rejected, 1);
    assert_int_equal(s.stored, 2);
    assert_true(s.bytes_read > 0 && s.bytes_read == s.bytes_written);

    /* no temporary file is left behind */
    rl_strbuf sub = {0};
    rl_strbuf_addf(&sub, "%s/%02x", dir.data, key.bytes[0]);
    DIR *d = opendir(sub.data);
    assert_non_null(d);
    struct dirent *e;
    unsigned files = 0;
    while ((e = readdir(d))) files += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(files, 1);

    rl_cache_close(c);
    rl_file_facts_release(&f);
    free(file);
    free(tag);
    free(tag_path);
    rl_strbuf_release(&sub);
    rl_strbuf_release(&dir);
    remove_tree(tmp);
    free(tmp);
}

/* A folder that cannot be created (below a regular file): NULL, one warning. */
static void test_folder_uncreatable(void **state)
{
    (void)state;
    char *tmp = temp_dir();
    rl_strbuf file = {0};
    rl_strbuf_addf(&file, "%s/file.txt", tmp);
    FILE *fp = fopen(file.data, "w");
    assert_non_null(fp);
    fclose(fp);
    rl_strbuf_adds(&file, "/sub");
    capture_begin();
    rl_cache *c = rl_cache_open(file.data);
    char *err = capture_end();
    assert_null(c);
    assert_int_equal(count_lines(err), 1);
    assert_true(rl_str_starts_with(err, "reloadlint: warning: cannot create the cache folder "));
    free(err);
    rl_strbuf_release(&file);
    remove_tree(tmp);
    free(tmp);
}

/* Stores that fail (the entry's subfolder is taken by a file): one warning
 * however many stores, then no more attempts; loads still work. */
static void test_folder_unwritable(void **state)
{
    (void)state;
    char *tmp = temp_dir();
    rl_cache *c = rl_cache_open(tmp);
    assert_non_null(c);
    rl_file_facts f;
    extract(&f, "import a\n", "m", false, false);
    rl_cache_key keys[3];
    for (int i = 0; i < 3; i++) {
        memset(&keys[i], 0, sizeof keys[i]);
        keys[i].bytes[0] = 0xab;
        keys[i].bytes[1] = (uint8_t)i;
    }
    rl_cache_key good = {{0x12}};
    rl_cache_store(c, &good, &f);
    rl_strbuf blocker = {0};
    rl_strbuf_addf(&blocker, "%s/ab", tmp);
    FILE *fp = fopen(blocker.data, "w");
    assert_non_null(fp);
    fclose(fp);
    capture_begin();
    for (int i = 0; i < 3; i++) rl_cache_store(c, &keys[i], &f);
    char *err = capture_end();
    assert_int_equal(count_lines(err), 1);
    assert_true(rl_str_starts_with(err, "reloadlint: warning: cannot write to the cache folder "));
    free(err);
    rl_file_facts g = {0};
    assert_true(rl_cache_load(c, &good, &g));
    same_facts(&f, &g);
    rl_file_facts_release(&g);
    rl_cache_close(c);

    if (geteuid() != 0) { /* root writes anywhere: chmod proves nothing then */
        assert_int_equal(chmod(tmp, 0555), 0);
        capture_begin();
        c = rl_cache_open(tmp);
        for (int i = 0; i < 3; i++) rl_cache_store(c, &keys[i], &f);
        err = capture_end();
        assert_non_null(c);
        assert_int_equal(count_lines(err), 1);
        free(err);
        assert_true(rl_cache_load(c, &good, &g));
        rl_file_facts_release(&g);
        rl_cache_close(c);
    }
    rl_strbuf_release(&blocker);
    rl_file_facts_release(&f);
    remove_tree(tmp);
    free(tmp);
}

/* ---- eviction ---------------------------------------------------------------------------- */

#define DAYS (24 * 60 * 60)

/* Heap "<dir>/<rel>". */
static char *path_in(const char *dir, const char *rel)
{
    rl_strbuf sb = {0};
    rl_strbuf_addf(&sb, "%s/%s", dir, rel);
    return rl_strbuf_detach(&sb);
}

/* The mtime (and atime) of path, not following a symlink, set seconds ago. */
static void backdate(const char *path, time_t seconds)
{
    struct timespec ts[2] = {{.tv_sec = time(NULL) - seconds}, {.tv_sec = time(NULL) - seconds}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Seconds since path's mtime. */
static time_t age(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return time(NULL) - st.st_mtime;
}

static void make_file(const char *path, time_t seconds_old)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("not an entry\n", fp);
    fclose(fp);
    backdate(path, seconds_old);
}

static uint64_t pruned(const rl_cache *c)
{
    rl_cache_stats s;
    rl_cache_stats_get(c, &s);
    return s.pruned;
}

/* A key of the subfolder `folder` (its first byte); the rest tells keys apart. */
static rl_cache_key key_in(uint8_t folder, uint8_t n)
{
    rl_cache_key k = {{folder, n, 0x5a}};
    return k;
}

/* The daily sweep in rl_cache_open: entries unused for 30 days and temporary
 * files an hour old go, a subfolder left empty goes; young entries, entries a
 * load refreshed, and whatever is not named like ours (or is a symlink, a
 * folder, outside the cache) stay; the stamp allows one sweep a day. */
static void test_eviction(void **state)
{
    (void)state;
    char *tmp = temp_dir(), *outside = temp_dir();
    rl_cache *c = rl_cache_open(tmp); /* no stamp yet: an empty sweep, the stamp */
    assert_non_null(c);
    char *stamp = path_in(tmp, "last-prune");
    assert_true(exists(stamp));
    assert_true(age(stamp) < 60);
    assert_int_equal(pruned(c), 0);

    rl_file_facts f;
    extract(&f, "import a\n", "m", false, false);
    rl_cache_key old = key_in(0xab, 1), young = key_in(0xab, 2), used = key_in(0xab, 3),
                 lone = key_in(0xcd, 1), later = key_in(0xab, 4);
    rl_cache_store(c, &old, &f);
    rl_cache_store(c, &young, &f);
    rl_cache_store(c, &used, &f);
    rl_cache_store(c, &lone, &f);
    rl_cache_close(c);
    char *old_file = entry_file(tmp, &old), *young_file = entry_file(tmp, &young),
         *used_file = entry_file(tmp, &used), *lone_file = entry_file(tmp, &lone),
         *later_file = entry_file(tmp, &later);
    backdate(old_file, 40 * DAYS);
    backdate(used_file, 40 * DAYS);
    backdate(lone_file, 40 * DAYS);
    backdate(young_file, 2 * 60 * 60);

    /* temporary files: stale ones go (in a subfolder and beside CACHEDIR.TAG) */
    const char *stale_temps[] = {"ab/.tmp-Ab3xY9", ".tmp-Zz9zz0"};
    for (size_t i = 0; i < 2; i++) {
        char *p = path_in(tmp, stale_temps[i]);
        make_file(p, 2 * 60 * 60);
        free(p);
    }
    /* what is not ours, or too young, stays, however old */
    const char *kept[] = {
        "ab/.tmp-Qq1111",                       /* a temporary file 10 minutes old */
        "ab/.tmp-abc",                          /* not mkstemp's name */
        "ab/.tmp-abc-de",                       /* nor this */
        "ab/.tmp-Abcdef7",                      /* nor this */
        "ab/notes.txt",                         /* a foreign file */
        "ab/ABABABABABABABABABABABABABABABAB", /* upper case: not our name */
        "ab/ab0102030405060708090a0b0c0d0e0f0", /* 33 digits */
        "ab/cd0102030405060708090a0b0c0d0e0f",  /* another folder's name */
        "ab0102030405060708090a0b0c0d0e0f",     /* an entry name beside the subfolders */
        "zz",                                   /* not a subfolder name */
        "CACHEDIR.TAG",
    };
    size_t nkept = sizeof kept / sizeof *kept;
    for (size_t i = 0; i < nkept; i++) {
        char *p = path_in(tmp, kept[i]);
        if (strcmp(kept[i], "CACHEDIR.TAG") != 0) make_file(p, 40 * DAYS);
        backdate(p, strcmp(kept[i], "ab/.tmp-Qq1111") == 0 ? 10 * 60 : 40 * DAYS);
        free(p);
    }
    /* a folder and a symlink named like entries, a symlinked subfolder: the
       files they lead to (outside the cache) and they themselves stay */
    char *victim = path_in(outside, "victim"), *outside_entry = path_in(outside, "ef0102030405060708090a0b0c0d0e0f");
    make_file(victim, 40 * DAYS);
    make_file(outside_entry, 40 * DAYS);
    char *dir_entry = path_in(tmp, "ab/ab1112131415161718191a1b1c1d1e1f"),
         *link_entry = path_in(tmp, "ab/ab2122232425262728292a2b2c2d2e2f"),
         *link_folder = path_in(tmp, "ef");
    assert_int_equal(mkdir(dir_entry, 0777), 0);
    backdate(dir_entry, 40 * DAYS);
    assert_int_equal(symlink(victim, link_entry), 0);
    backdate(link_entry, 40 * DAYS);
    assert_int_equal(symlink(outside, link_folder), 0);
    backdate(link_folder, 40 * DAYS);

    /* within a day of the last sweep: none; a load refreshes an old entry, not
       one used within the day */
    c = rl_cache_open(tmp);
    assert_int_equal(pruned(c), 0);
    assert_true(exists(old_file));
    rl_file_facts g = {0};
    assert_true(rl_cache_load(c, &used, &g));
    rl_file_facts_release(&g);
    assert_true(age(used_file) < 60);
    assert_true(rl_cache_load(c, &young, &g));
    rl_file_facts_release(&g);
    assert_true(age(young_file) >= 2 * 60 * 60 - 60);
    rl_cache_close(c);

    /* a day later: the sweep */
    backdate(stamp, 25 * 60 * 60);
    c = rl_cache_open(tmp);
    assert_int_equal(pruned(c), 2);
    assert_true(age(stamp) < 60);
    assert_false(exists(old_file));
    assert_false(exists(lone_file));
    char *lone_folder = path_in(tmp, "cd");
    assert_false(exists(lone_folder)); /* left empty: removed */
    assert_true(exists(young_file));
    assert_true(exists(used_file));
    for (size_t i = 0; i < 2; i++) {
        char *p = path_in(tmp, stale_temps[i]);
        assert_false(exists(p));
        free(p);
    }
    for (size_t i = 0; i < nkept; i++) {
        char *p = path_in(tmp, kept[i]);
        if (!exists(p)) fail_msg("%s was removed", kept[i]);
        free(p);
    }
    assert_true(exists(victim));
    assert_true(exists(outside_entry));
    assert_true(exists(dir_entry));
    assert_true(exists(link_entry));
    assert_true(exists(link_folder));
    assert_true(rl_cache_load(c, &used, &g)); /* still a valid entry */
    rl_file_facts_release(&g);
    rl_cache_store(c, &later, &f);
    rl_cache_close(c);

    /* an entry old right after the sweep waits for the next day's */
    backdate(later_file, 40 * DAYS);
    c = rl_cache_open(tmp);
    assert_int_equal(pruned(c), 0);
    assert_true(exists(later_file));
    rl_cache_close(c);
    /* no stamp: a sweep */
    assert_int_equal(unlink(stamp), 0);
    c = rl_cache_open(tmp);
    assert_int_equal(pruned(c), 1);
    assert_false(exists(later_file));
    assert_true(exists(used_file));
    assert_true(exists(stamp));
    rl_cache_close(c);

    rl_file_facts_release(&f);
    char *files[] = {stamp,      old_file,  young_file, used_file,     lone_file, later_file,
                     victim,     dir_entry, link_entry, outside_entry, link_folder, lone_folder};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) free(files[i]);
    remove_tree(tmp);
    remove_tree(outside);
    free(tmp);
    free(outside);
}

/* A read-only cache folder: no sweep (no stamp can be written) and no
 * warning from it; entries are still loaded. */
static void test_eviction_read_only(void **state)
{
    (void)state;
    if (geteuid() == 0) return; /* root writes anywhere: chmod proves nothing then */
    char *tmp = temp_dir();
    rl_cache *c = rl_cache_open(tmp);
    rl_file_facts f;
    extract(&f, "import a\n", "m", false, false);
    rl_cache_key k = key_in(0x12, 1);
    rl_cache_store(c, &k, &f);
    rl_cache_close(c);
    char *file = entry_file(tmp, &k), *stamp = path_in(tmp, "last-prune");
    backdate(file, 40 * DAYS);
    assert_int_equal(unlink(stamp), 0);
    char *sub = path_in(tmp, "12");
    assert_int_equal(chmod(sub, 0555), 0);
    assert_int_equal(chmod(tmp, 0555), 0);
    capture_begin();
    c = rl_cache_open(tmp);
    rl_file_facts g = {0};
    bool hit = rl_cache_load(c, &k, &g);
    uint64_t n = pruned(c);
    rl_cache_close(c);
    char *err = capture_end();
    assert_string_equal(err, "");
    assert_true(hit);
    assert_int_equal(n, 0);
    assert_true(exists(file));
    assert_false(exists(stamp));
    rl_file_facts_release(&g);
    rl_file_facts_release(&f);
    free(err);
    free(file);
    free(stamp);
    free(sub);
    remove_tree(tmp);
    free(tmp);
}

static void restore_env(const char *name, char *saved)
{
    if (saved) {
        setenv(name, saved, 1);
        free(saved);
    } else {
        unsetenv(name);
    }
}

static void test_default_dir(void **state)
{
    (void)state;
    char *xdg = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
    char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("XDG_CACHE_HOME", "/xdg/cache", 1);
    setenv("HOME", "/home/u", 1);
    char *d = rl_cache_default_dir();
    assert_string_equal(d, "/xdg/cache/reloadlint");
    free(d);
    setenv("XDG_CACHE_HOME", "relative", 1); /* ignored, as the XDG spec says */
    d = rl_cache_default_dir();
    assert_string_equal(d, "/home/u/.cache/reloadlint");
    free(d);
    unsetenv("XDG_CACHE_HOME");
    d = rl_cache_default_dir();
    assert_string_equal(d, "/home/u/.cache/reloadlint");
    free(d);
    restore_env("XDG_CACHE_HOME", xdg);
    restore_env("HOME", home);
}

/* ---- configuration ------------------------------------------------------------------------ */

static int parse_config(const char *text, rl_config *c, rl_arena *a, char **err)
{
    memset(c, 0, sizeof *c);
    memset(a, 0, sizeof *a);
    capture_begin();
    int rc = rl_config_parse(c, a, "pyproject.toml", "/proj", text, (uint32_t)strlen(text), true);
    *err = capture_end();
    return rc;
}

static void test_config_cache_dir(void **state)
{
    (void)state;
    rl_config c;
    rl_arena a;
    char *err;
    assert_int_equal(parse_config("[tool.reloadlint]\ncache-dir = \".cache/rl\"\n", &c, &a, &err), 0);
    assert_string_equal(c.cache_dir, "/proj/.cache/rl");
    assert_string_equal(err, "");
    free(err);
    rl_config_release(&c);
    rl_arena_release(&a);

    assert_int_equal(parse_config("[tool.reloadlint]\ncache-dir = \"/abs/dir\"\n", &c, &a, &err), 0);
    assert_string_equal(c.cache_dir, "/abs/dir");
    free(err);
    rl_config_release(&c);
    rl_arena_release(&a);

    assert_int_equal(parse_config("[tool.reloadlint]\ncache-dir = [\"x\"]\n", &c, &a, &err), -1);
    assert_string_equal(err, "reloadlint: error: pyproject.toml:2: `cache-dir` must be a string "
                             "(e.g. `cache-dir = \"/tmp/reloadlint-cache\"`), not an array\n");
    free(err);
    rl_config_release(&c);
    rl_arena_release(&a);

    assert_int_equal(parse_config("[tool.reloadlint]\ncache-dir = \"\"\n", &c, &a, &err), -1);
    assert_string_equal(err, "reloadlint: error: pyproject.toml:2: `cache-dir`: empty folder name\n");
    free(err);
    rl_config_release(&c);
    rl_arena_release(&a);

    assert_int_equal(parse_config("[tool.reloadlint]\ncache_dir = \"x\"\n", &c, &a, &err), -1);
    assert_true(strstr(err, "did you mean `cache-dir`?") != NULL);
    free(err);
    rl_config_release(&c);
    rl_arena_release(&a);
}

static int setup(void **state)
{
    (void)state;
    return rl_extract_init() < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    rl_extract_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xxh64_vectors),
        cmocka_unit_test(test_round_trip_sources),
        cmocka_unit_test(test_round_trip_truncated),
        cmocka_unit_test(test_round_trip_fixtures),
        cmocka_unit_test(test_move_into_region),
        cmocka_unit_test(test_null_versus_empty),
        cmocka_unit_test(test_fuzz_rich_entry),
        cmocka_unit_test(test_fuzz_broken_entry),
        cmocka_unit_test(test_garbage_payloads),
        cmocka_unit_test(test_foreign_entries),
        cmocka_unit_test(test_timed_out_not_encoded),
        cmocka_unit_test(test_key_inputs),
        cmocka_unit_test(test_folder_store_load),
        cmocka_unit_test(test_folder_uncreatable),
        cmocka_unit_test(test_folder_unwritable),
        cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_eviction_read_only),
        cmocka_unit_test(test_default_dir),
        cmocka_unit_test(test_config_cache_dir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
