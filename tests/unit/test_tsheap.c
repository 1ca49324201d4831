/* test_tsheap.c - the worker heaps tree-sitter allocates from (tsheap.c):
 *   - blocks of every size class boundary and beyond (the big blocks from
 *     libc), under random malloc / calloc / realloc / free traffic, keep their
 *     contents and never overlap; blocks allocated outside a heap (libc) may
 *     be freed and grown inside one and the other way round;
 *   - leaving takes everything back: the big blocks the tree still held are
 *     freed (LSan in the asan build sees a leak otherwise), and the next
 *     file's blocks come from the same memory;
 *   - under AddressSanitizer, a freed block and everything after leaving are
 *     poisoned, so a use after free in tree-sitter or the walk is reported;
 *   - parsing real files on a heap gives the same trees, node by node, as
 *     parsing on libc, and rl_extract on a heap reused file after file gives
 *     the same facts (same cache encoding) as rl_extract without one.
 * Run under ASan and UBSan in the asan build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tree_sitter/api.h>

#include "cache.h"
#include "extract.h"
#include "facts.h"
#include "tsheap.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif
#ifdef HAVE_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* What tree-sitter calls (alloc.c): the functions rl_ts_heap_install set. */
extern void *(*ts_current_malloc)(size_t);
extern void *(*ts_current_calloc)(size_t, size_t);
extern void *(*ts_current_realloc)(void *, size_t);
extern void (*ts_current_free)(void *);

const TSLanguage *tree_sitter_python(void);

static int setup(void **state)
{
    (void)state;
    return rl_extract_init() == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rl_extract_shutdown();
    return 0;
}

/* ---- blocks ------------------------------------------------------------------ */

typedef struct block {
    unsigned char *p;
    size_t n;
    unsigned char fill;
} block;

static void fill(block *b)
{
    for (size_t i = 0; i < b->n; i++) b->p[i] = (unsigned char)(b->fill + i * 7);
}

static void check(const block *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->p[i] != (unsigned char)(b->fill + i * 7))
            fail_msg("block of %zu bytes changed at byte %zu", b->n, i);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Sizes around every boundary a size class or the big-block limit makes. */
static size_t some_size(void)
{
    static const size_t edges[] = {0,   1,   8,    15,   16,    17,    80,    96,    112,   127,
                                   128, 129, 160,  161,  255,   256,   257,   1000,  4096,  4097,
                                   65535, 65536, 65537, 100000, 200000};
    uint64_t r = next_random();
    if (r % 3 == 0) return edges[(r >> 8) % (sizeof edges / sizeof *edges)];
    return (size_t)((r >> 8) % (r % 5 == 0 ? 140000 : 600));
}

static void traffic(rl_ts_heap *h, block *outside, size_t noutside)
{
    enum { NBLOCKS = 600, STEPS = 20000 };
    block *blocks = calloc(NBLOCKS, sizeof *blocks);
    /* blocks from libc, made before the heap was entered, live in it too */
    for (size_t i = 0; i < noutside; i++) blocks[i] = outside[i];
    if (h) rl_ts_heap_enter(h);
    for (int step = 0; step < STEPS; step++) {
        block *b = &blocks[next_random() % NBLOCKS];
        uint64_t op = next_random() % 4;
        if (b->p) check(b);
        if (!b->p || op == 0) {
            if (b->p) ts_current_free(b->p);
            b->n = some_size();
            b->fill = (unsigned char)step;
            if (op == 0 && b->n % 2) {
                b->p = ts_current_calloc(1, b->n);
                for (size_t i = 0; i < b->n; i++) assert_int_equal(b->p[i], 0);
            } else {
                b->p = ts_current_malloc(b->n);
            }
            fill(b);
        } else if (op == 1) {
            ts_current_free(b->p);
            b->p = NULL;
        } else {
            /* grow or shrink: the bytes both sizes have are kept */
            size_t n = some_size(), keep = n < b->n ? n : b->n;
            b->p = ts_current_realloc(b->p, n);
            for (size_t i = 0; i < keep; i++)
                if (b->p[i] != (unsigned char)(b->fill + i * 7))
                    fail_msg("realloc %zu -> %zu lost byte %zu", b->n, n, i);
            b->n = n;
            fill(b);
        }
    }
    for (size_t i = 0; i < NBLOCKS; i++) {
        if (blocks[i].p) check(&blocks[i]);
        if (blocks[i].p) ts_current_free(blocks[i].p);
    }
    if (h) rl_ts_heap_leave(h);
    free(blocks);
}

static void test_blocks_keep_their_contents(void **state)
{
    (void)state;
    block outside[40];
    for (size_t i = 0; i < 40; i++) {
        outside[i] = (block){.n = some_size(), .fill = (unsigned char)i};
        outside[i].p = ts_current_malloc(outside[i].n);
        fill(&outside[i]);
    }
    rl_ts_heap *h = rl_ts_heap_new();
    traffic(h, outside, 40);
    traffic(h, NULL, 0);            /* the same heap again: its chunks reused */
    assert_true(rl_ts_heap_peak(h) >= (size_t)1 << 20);
    rl_ts_heap_delete(h);
    traffic(NULL, NULL, 0);         /* no heap: libc, as tree-sitter always did */
}

static void test_leaving_takes_everything_back(void **state)
{
    (void)state;
    rl_ts_heap *h = rl_ts_heap_new();
    void *first = NULL;
    for (int file = 0; file < 3; file++) {
        rl_ts_heap_enter(h);
        void *small = ts_current_malloc(24);
        if (file == 0) first = small;
        else assert_ptr_equal(small, first); /* the next file parses into the same memory */
        /* never freed: leaving takes them back (LSan reports the big ones otherwise) */
        for (int i = 0; i < 5; i++) memset(ts_current_malloc(300000), i, 300000);
        void *grown = ts_current_realloc(ts_current_malloc(70000), 900000);
        memset(grown, 1, 900000);
        for (int i = 0; i < 20000; i++) ts_current_malloc(100); /* past one chunk */
        rl_ts_heap_leave(h);
#ifdef HAVE_ASAN
        assert_true(__asan_address_is_poisoned(small));
#endif
    }
    /* chunks and big blocks held at once: 5 x 300 kB + 900 kB + 2 MB of small ones */
    assert_true(rl_ts_heap_peak(h) >= 4000000);
    assert_true(rl_ts_heap_peak(h) < 8000000);
    /* outside a heap, blocks are libc's again */
    void *libc = ts_current_malloc(10);
    ts_current_free(libc);
    rl_ts_heap_delete(h);
}

static void test_free_poisons(void **state)
{
    (void)state;
#ifdef HAVE_ASAN
    rl_ts_heap *h = rl_ts_heap_new();
    rl_ts_heap_enter(h);
    char *p = ts_current_malloc(100);
    assert_false(__asan_address_is_poisoned(p + 99));
    assert_true(__asan_address_is_poisoned(p + 100)); /* past what was asked for */
    p = ts_current_realloc(p, 40);                  /* shrunk in place */
    assert_true(__asan_address_is_poisoned(p + 40));
    ts_current_free(p);
    assert_true(__asan_address_is_poisoned(p));
    rl_ts_heap_leave(h);
    rl_ts_heap_delete(h);
#else
    skip();
#endif
}

/* ---- real files ---------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n + 65536 > cap) buf = realloc(buf, cap = (n + 65536) * 2);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

static const char *const g_files[] = {
    "/usr/lib/python3.11/typing.py",
    "/usr/lib/python3.11/test/test_grammar.py",
    "/usr/lib/python3.11/test/test_descr.py", /* big: arrays past 64 KiB */
    "/usr/lib/python3.11/test/test_fstring.py",
    "/usr/lib/python3.11/test/badsyntax_3131.py",
    "/usr/lib/python3.11/pydoc_data/topics.py",
    "/usr/lib/python3.11/lib2to3/tests/data/py2_test_grammar.py",
    "/usr/lib/python3.11/importlib/__init__.py",
    "fixtures/examples/seed/main.py",
};

/* Every node of a tree in preorder, as a running hash and a count. */
static void shape(TSTree *t, uint64_t *hash, uint64_t *count)
{
    TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
    uint64_t h = 1469598103934665603u, n = 0;
    for (;;) {
        TSNode x = ts_tree_cursor_current_node(&c);
        uint64_t v[5] = {ts_node_symbol(x), ts_node_start_byte(x), ts_node_end_byte(x),
                         ts_node_is_missing(x), ts_tree_cursor_current_field_id(&c)};
        for (int i = 0; i < 5; i++) h = (h ^ v[i]) * 1099511628211u;
        n++;
        if (ts_tree_cursor_goto_first_child(&c)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&c))
            if (!ts_tree_cursor_goto_parent(&c)) {
                ts_tree_cursor_delete(&c);
                *hash = h;
                *count = n;
                return;
            }
    }
}

static void test_same_trees_on_a_heap(void **state)
{
    (void)state;
    rl_ts_heap *h = rl_ts_heap_new();
    unsigned files = 0;
    uint64_t nodes = 0;
    for (size_t i = 0; i < sizeof g_files / sizeof *g_files; i++) {
        size_t len;
        char *src = read_all(g_files[i], &len);
        if (!src) continue;
        uint64_t want_hash, want_count, got_hash, got_count;
        TSParser *p = ts_parser_new();
        assert_true(ts_parser_set_language(p, tree_sitter_python()));
        TSTree *t = ts_parser_parse_string(p, NULL, src, (uint32_t)len);
        shape(t, &want_hash, &want_count);
        ts_tree_delete(t);
        ts_parser_delete(p);

        rl_ts_heap_enter(h);
        p = ts_parser_new();
        assert_true(ts_parser_set_language(p, tree_sitter_python()));
        t = ts_parser_parse_string(p, NULL, src, (uint32_t)len);
        shape(t, &got_hash, &got_count);
        ts_parser_delete(p);
        rl_ts_heap_leave(h); /* the tree with it */

        assert_int_equal(got_count, want_count);
        assert_int_equal(got_hash, want_hash);
        files++;
        nodes += want_count;
        free(src);
    }
    print_message("[ tsheap   ] %u files, %llu nodes parsed alike on a heap and on libc; "
                  "heap peak %zu bytes\n", files, (unsigned long long)nodes, rl_ts_heap_peak(h));
    assert_true(files >= 2); /* the fixture at least, and the stdlib files CI installs */
    rl_ts_heap_delete(h);
}

static const rl_cache_key key = {{7}};

static void encode_extracted(const char *src, size_t len, rl_ts_heap *h, rl_strbuf *out)
{
    rl_file_facts f = {0};
    rl_extract_input in = {.src = src, .len = (uint32_t)len, .module = "pkg.mod", .heap = h};
    rl_extract(&f, &in);
    *out = (rl_strbuf){0};
    assert_true(rl_cache_encode(&f, &key, out));
    rl_file_facts_release(&f);
}

static void test_same_facts_on_a_heap(void **state)
{
    (void)state;
    rl_ts_heap *h = rl_ts_heap_new(); /* one heap for every file, as a worker has */
    unsigned files = 0;
    for (size_t i = 0; i < sizeof g_files / sizeof *g_files; i++) {
        size_t len;
        char *src = read_all(g_files[i], &len);
        if (!src) continue;
        rl_strbuf want, got;
        encode_extracted(src, len, NULL, &want);
        encode_extracted(src, len, h, &got);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        rl_strbuf_release(&want);
        rl_strbuf_release(&got);
        free(src);
        files++;
    }
    assert_true(files >= 2);
    rl_ts_heap_delete(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_keep_their_contents),
        cmocka_unit_test(test_leaving_takes_everything_back),
        cmocka_unit_test(test_free_poisons),
        cmocka_unit_test(test_same_trees_on_a_heap),
        cmocka_unit_test(test_same_facts_on_a_heap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
