/* fuzz_pipeline.c - libFuzzer target: bytes -> the whole pipeline.
 *
 * The input is split into up to four files at lines that are exactly
 * "#####"; a file whose first line is "#@ NAME" gets the module name NAME
 * ("#@ pkg/" makes it the package pkg's __init__), others are m0..m3. Each
 * file goes through what a file read from disk goes through (encoding checks,
 * PEP 263 decoding, line breaks: rl_source_check_encoding), then rl_extract
 * (parse on a worker heap, reused across files as a worker does; facts;
 * per-file model), the project-wide model, every rule with
 * and again with every module named by --assume-reloaded, the post-passes (scope, noqa, per-file
 * ignores, sort) and every emitter into a memory stream, plus --dump-model.
 * Files are marked as read from stdin, so emitters take their source lines
 * from memory and nothing touches the disk.
 *
 * Build: make fuzz (build-fuzz/fuzz_pipeline). Seeds: fuzz/seed_corpus.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "emit.h"
#include "extract.h"
#include "model.h"
#include "options.h"
#include "source.h"
#include "suppress.h"
#include "tsheap.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_FILES = 4 };

static rl_ts_heap *g_heap; /* a worker's: every file of every input parses on it */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (rl_extract_init() < 0) abort();
    g_heap = rl_ts_heap_new();
    return 0;
}

/* Where the next "#####" separator line starts in data[from..size), or size. */
static size_t next_separator(const uint8_t *data, size_t from, size_t size)
{
    static const char sep[] = "\n#####\n";
    for (size_t i = from; i + 7 <= size; i++)
        if (memcmp(data + i, sep, 7) == 0) return i;
    return size;
}

static void add_file(rl_project *p, const char *text, size_t len, unsigned index)
{
    rl_arena *a = &p->arena;
    rl_file f = {.from_stdin = true, .reported = index != 1, .status = RL_FILE_OK};
    /* The module name from a "#@ NAME" first line. */
    const char *module = rl_arena_printf(a, "m%u", index);
    if (len > 3 && memcmp(text, "#@ ", 3) == 0) {
        size_t n = 3;
        while (n < len && n < 64 && text[n] != '\n' && text[n] != '\r') n++;
        if (n > 3) {
            module = rl_arena_strndup(a, text + 3, n - 3);
            size_t m = strlen(module);
            if (m && module[m - 1] == '/') {
                f.is_package = true;
                module = rl_arena_strndup(a, module, m - 1);
            }
        }
    }
    f.module = module;
    f.path = f.is_package ? rl_arena_printf(a, "%s/__init__.py", module)
                          : rl_arena_printf(a, "%s.py", module);

    /* The reader's treatment of bytes from disk. */
    rl_source src = {.buf = rl_xmalloc(len + 1)};
    memcpy(src.buf, text, len);
    src.buf[len] = '\0';
    src.text = src.buf;
    src.len = len;
    char *error = NULL;
    rl_file_status st = rl_source_check_encoding(&src, &error);
    if (st != RL_FILE_OK) {
        f.status = st;
        f.error = rl_arena_strdup(a, error);
        free(error);
        rl_vec_push(&p->files, f);
        return;
    }
    f.source = rl_arena_strndup(a, src.text, src.len);
    f.source_len = (uint32_t)src.len;
    rl_source_release(&src);

    rl_extract_input in = {
        .src = f.source,
        .len = f.source_len,
        .module = f.module,
        .is_package = f.is_package,
        .keep_all = index == 0,
        .heap = g_heap,
    };
    rl_extract(&f.facts, &in);
    if (f.facts.syntax_errors.len) f.status = RL_FILE_SYNTAX_ERROR;
    rl_vec_push(&p->files, f);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const rl_file *)a)->path, ((const rl_file *)b)->path);
}

static void run_once(const uint8_t *data, size_t size, rl_options *o, FILE *out, bool assume)
{
    rl_project p = {.options = o};
    size_t at = 0;
    for (unsigned i = 0; i < MAX_FILES && at <= size; i++) {
        size_t end = i + 1 == MAX_FILES ? size : next_separator(data, at, size);
        add_file(&p, (const char *)data + at, end - at, i);
        at = end + 7;
    }
    /* Discovery hands the files over sorted by path, each path once. */
    qsort(p.files.items, p.files.len, sizeof(rl_file), cmp_file);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < p.files.len; i++) {
        if (kept && strcmp(p.files.items[kept - 1].path, p.files.items[i].path) == 0) {
            rl_file_facts_release(&p.files.items[i].facts);
            continue;
        }
        p.files.items[kept++] = p.files.items[i];
    }
    p.files.len = kept;
    /* Impact analysis: every module counts as reloaded, so the RL3xx/RL4xx
     * rules look at everything. */
    o->assume_reloaded.len = 0;
    if (assume)
        for (uint32_t i = 0; i < p.files.len; i++)
            rl_vec_push(&o->assume_reloaded, p.files.items[i].module);

    rl_model_build(&p);
    rl_diags d = {.arena = &p.arena};
    for (int id = 0; id < RL_RULE_COUNT; id++)
        if (o->rules.on[id]) rl_rule_get((rl_rule_id)id)->check(&p, &d);
    rl_diags_scope(&d, &p);
    rl_diags_filter(&d, &o->rules);
    rl_diags_per_file_ignores(&d, &p);
    rl_diags_suppress(&d, &p);
    rl_noqa_warn_unknown(out, &p);
    rl_diags_sort(&d, &p);

    rl_emit_text_errors(out, &p, true);
    rl_emit_text(out, &p, &d, false, true);
    rl_emit_text(out, &p, &d, true, false);
    rl_emit_json(out, &p, &d, false);
    rl_emit_json(out, &p, &d, true);
    rl_emit_sarif(out, &p, &d);
    rl_emit_github(out, &p, &d);
    if (!assume)
        for (uint32_t i = 0; i < p.files.len; i++)
            if (p.files.items[i].status == RL_FILE_OK ||
                p.files.items[i].status == RL_FILE_SYNTAX_ERROR)
                rl_dump_file(out, &p, i);

    rl_vec_release(&d.items);
    rl_model_release(&p);
    for (uint32_t i = 0; i < p.files.len; i++) rl_file_facts_release(&p.files.items[i].facts);
    rl_vec_release(&p.files);
    rl_arena_release(&p.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024) return -1; /* keep runs fast; big inputs add nothing */
    char *buf = NULL;
    size_t buf_len = 0;
    FILE *out = open_memstream(&buf, &buf_len);
    if (!out) abort();

    rl_options o;
    rl_options_init(&o);
    o.color = RL_COLOR_ALWAYS;
    run_once(data, size, &o, out, false);
    run_once(data, size, &o, out, true);
    rl_options_release(&o);

    fclose(out);
    free(buf);
    return 0;
}
