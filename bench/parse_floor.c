/* parse_floor.c - the parse-only floor reloadlint is measured against: read
 * every file named on stdin (one path a line) and parse it with the same
 * pinned tree-sitter and tree-sitter-python, on N threads, then free the
 * tree. No walk, no facts. Prints "files bytes seconds".
 * --walk adds a full cursor walk over every node (what visiting the whole tree
 * costs before any analysis), and prints the node count after the seconds.
 * --heap parses each file on a worker heap, as reloadlint does (tsheap.h: a
 * parser per file, the tree taken back whole instead of ts_tree_delete), for
 * a reference: how much of reloadlint's time the heap saves before analysis.
 * Without it, this is plain tree-sitter on libc malloc: the floor the
 * performance targets are measured against.
 *
 *   find DIR -name '*.py' | build/parse_floor -j 2 [--walk] [--heap] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

#include "tsheap.h"

const TSLanguage *tree_sitter_python(void);

typedef struct job {
    char **paths;
    size_t n;
    atomic_size_t next;
    atomic_ullong bytes;
    atomic_ullong nodes;
    int walk, heap;
} job;

/* Every node once, depth first, with one cursor: the cheapest full visit. */
static unsigned long long walk_tree(TSTree *t)
{
    unsigned long long n = 0;
    TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
    for (;;) {
        n++;
        if (ts_tree_cursor_goto_first_child(&c)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&c))
            if (!ts_tree_cursor_goto_parent(&c)) {
                ts_tree_cursor_delete(&c);
                return n;
            }
    }
}

static void *worker(void *arg)
{
    job *j = arg;
    TSParser *parser = ts_parser_new();
    if (!ts_parser_set_language(parser, tree_sitter_python())) {
        fprintf(stderr, "parse_floor: grammar rejected\n");
        exit(2);
    }
    rl_ts_heap *heap = NULL;
    if (j->heap) { /* a parser per file, made on the heap */
        ts_parser_delete(parser);
        heap = rl_ts_heap_new();
    }
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n) break;
        FILE *f = fopen(j->paths[i], "rb");
        if (!f) continue;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        if (len < 0) { fclose(f); continue; }
        char *buf = malloc((size_t)len + 1);
        size_t got = fread(buf, 1, (size_t)len, f);
        fclose(f);
        if (heap) {
            rl_ts_heap_enter(heap);
            parser = ts_parser_new();
            ts_parser_set_language(parser, tree_sitter_python());
        }
        TSTree *t = ts_parser_parse_string(parser, NULL, buf, (uint32_t)got);
        if (j->walk) atomic_fetch_add(&j->nodes, walk_tree(t));
        if (heap) {
            ts_parser_delete(parser);
            rl_ts_heap_leave(heap);
        } else {
            ts_tree_delete(t);
        }
        free(buf);
        atomic_fetch_add(&j->bytes, got);
    }
    if (heap) rl_ts_heap_delete(heap);
    else ts_parser_delete(parser);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = 1;
    job j = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strncmp(argv[i], "-j", 2) == 0) threads = atoi(argv[i] + 2);
        else if (strcmp(argv[i], "--walk") == 0) j.walk = 1;
        else if (strcmp(argv[i], "--heap") == 0) j.heap = 1;
    }
    if (j.heap) rl_ts_heap_install();
    if (threads < 1) threads = 1;
    size_t cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!*line) continue;
        if (j.n == cap) j.paths = realloc(j.paths, (cap = cap ? cap * 2 : 1024) * sizeof(char *));
        j.paths[j.n++] = strdup(line);
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    pthread_t *t = calloc((size_t)threads, sizeof(pthread_t));
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &j);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%zu %llu %.3f", j.n, (unsigned long long)atomic_load(&j.bytes),
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
    if (j.walk) printf(" %llu", (unsigned long long)atomic_load(&j.nodes));
    printf("\n");
    for (size_t i = 0; i < j.n; i++) free(j.paths[i]);
    free(j.paths);
    free(t);
    return 0;
}
