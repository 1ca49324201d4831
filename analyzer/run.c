/* run.c - the pipeline. See run.h for the order of phases and exit codes.
 *
 * Parallelism is limited to the per-file phase: workers take the next file
 * index from a shared atomic counter and touch only that file's rl_file and
 * its own result slot. Everything after (model, rules, sorting, output) runs
 * on one thread over data sorted by path, so the output does not depend on -j. */
#include "run.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "discover.h"
#include "dump.h"
#include "emit.h"
#include "history.h"
#include "extract.h"
#include "model.h"
#include "source.h"
#include "suppress.h"
#include "tsheap.h"
#include "util.h"

/* ---- timing (--stats) ------------------------------------------------------ */

enum { PH_DISCOVER, PH_EXTRACT, PH_MODEL, PH_RULES, PH_EMIT, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"discover", "parse+extract", "model", "rules",
                                                  "emit"};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- per-file work ----------------------------------------------------------- */

/* What a worker reports back for one file; the main thread copies messages
 * into the run arena (arenas are not thread-safe). */
typedef struct file_result {
    char *error;    /* heap */
    uint64_t bytes; /* source bytes read */
    double read_ms, cache_ms; /* --stats: reading and decoding; cache lookups and stores */
    rl_extract_times times;   /* --stats: parse, walk, per-file model */
} file_result;

typedef struct work {
    rl_project *project;
    file_result *results;
    rl_cache *cache; /* NULL: --no-cache, or no usable cache folder */
    atomic_uint next;
} work;

/* Each worker keeps its files' facts in a region of 1 MiB chunks. */
#define RL_FACT_REGION_CHUNK (1u << 20)

/* One worker thread: the files it takes, facts moved into its own region. */
typedef struct worker {
    work *work;
    rl_facts_mover mover;
} worker;

char *rl_syntax_error_message(const rl_file_facts *facts)
{
    rl_strbuf sb = {0};
    uint32_t lines[11], n = 0;
    for (uint32_t i = 0; i < facts->syntax_errors.len && n < 11; i++) {
        uint32_t line = facts->syntax_errors.items[i].line;
        bool seen = false;
        for (uint32_t k = 0; k < n; k++) seen |= lines[k] == line;
        if (!seen) lines[n++] = line;
    }
    if (n <= 1) {
        rl_strbuf_addf(&sb, "syntax error at line %u", n ? lines[0] : 0);
    } else {
        rl_strbuf_adds(&sb, "syntax errors at lines ");
        for (uint32_t k = 0; k < n && k < 10; k++)
            rl_strbuf_addf(&sb, "%s%u", k ? ", " : "", lines[k]);
        if (n > 10) rl_strbuf_adds(&sb, ", ...");
    }
    return rl_strbuf_detach(&sb);
}

static void process_file(work *w, uint32_t i, rl_ts_heap *heap, rl_facts_mover *mover)
{
    rl_project *p = w->project;
    rl_file *f = &p->files.items[i];
    file_result *res = &w->results[i];
    if (f->status != RL_FILE_OK) return; /* listed by discovery already */

    rl_source src = {0};
    const char *text;
    size_t len;
    if (f->from_stdin) {
        text = f->source;
        len = f->source_len;
    } else {
        double t = now_ms();
        rl_file_status st = rl_source_read_file(f->path, p->options->max_file_size, &src,
                                                &res->error);
        res->read_ms = now_ms() - t;
        if (st != RL_FILE_OK) {
            f->status = st;
            return;
        }
        text = src.text;
        len = src.len;
    }
    res->bytes = len;
    rl_extract_input in = {
        .src = text,
        .len = (uint32_t)len, /* --max-file-size is below 4 GiB */
        .module = f->module,
        .is_package = f->is_package,
        .keep_all = p->options->dump_model != NULL,
        .times = &res->times,
        .heap = heap,
    };
    /* an unchanged file's facts come from the cache: no parse, no walk */
    rl_cache_key key;
    double t = now_ms();
    bool hit = false;
    if (w->cache) {
        rl_cache_key_make(w->cache, &in, &key);
        hit = rl_cache_load(w->cache, &key, &f->facts);
    }
    res->cache_ms = now_ms() - t;
    if (!hit) {
        rl_facts_mover_lend(mover, &f->facts);
        rl_extract(&f->facts, &in);
        if (w->cache) {
            t = now_ms();
            rl_cache_store(w->cache, &key, &f->facts);
            res->cache_ms += now_ms() - t;
        }
    }
    rl_source_release(&src); /* facts keep copies; emitters re-read the file */
    /* decoded facts are already packed (a handful of exact blocks), and a
       warm run parses nothing for them to get in the way of */
    if (!hit) rl_file_facts_move(&f->facts, mover);
    if (f->facts.parse_timed_out) {
        f->status = RL_FILE_TOO_LARGE;
        rl_strbuf sb = {0};
        rl_strbuf_addf(&sb, "parsing took longer than %.0f s and was stopped (pathological input); "
                            "exclude the file with --extend-exclude", RL_PARSE_TIME_LIMIT_SECONDS);
        res->error = rl_strbuf_detach(&sb);
    } else if (f->facts.syntax_errors.len) {
        f->status = RL_FILE_SYNTAX_ERROR;
        res->error = rl_syntax_error_message(&f->facts);
    } else if (f->facts.truncated) {
        /* not a syntax error, but part of the file went unanalyzed: say so */
        f->status = RL_FILE_SYNTAX_ERROR;
        rl_strbuf sb = {0};
        rl_strbuf_addf(&sb, "nesting deeper than the analyzer follows at line %u; the code inside "
                            "was not analyzed", f->facts.truncated_line);
        res->error = rl_strbuf_detach(&sb);
    }
}

static void *worker_main(void *arg)
{
    worker *self = arg;
    work *w = self->work;
    rl_ts_heap *heap = NULL; /* one per worker: its chunks are reused across files */
    for (;;) {
        unsigned i = atomic_fetch_add(&w->next, 1u);
        if (i >= w->project->files.len) break;
        if (!heap) heap = rl_ts_heap_new();
        process_file(w, i, heap, &self->mover);
    }
    rl_ts_heap_delete(heap);
    rl_facts_mover_release(&self->mover);
    return NULL;
}

static unsigned thread_count(const rl_options *o, uint32_t nfiles)
{
    unsigned n = o->jobs;
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (n > nfiles) n = nfiles;
    return n ? n : 1;
}

/* Returns -1 when no thread could be started (the caller reports it). */
static int extract_all(rl_project *p, file_result *results, unsigned nthreads, rl_cache *cache)
{
    work w = {.project = p, .results = results, .cache = cache};
    atomic_init(&w.next, 0u);
    p->fact_regions = rl_xcalloc(nthreads, sizeof(rl_arena));
    p->nfact_regions = nthreads;
    worker *workers = rl_xcalloc(nthreads, sizeof(worker));
    for (unsigned t = 0; t < nthreads; t++) {
        p->fact_regions[t].chunk_size = RL_FACT_REGION_CHUNK;
        workers[t] = (worker){.work = &w, .mover = {.region = &p->fact_regions[t]}};
    }
    if (nthreads <= 1) {
        worker_main(&workers[0]);
        free(workers);
        return 0;
    }
    pthread_t *threads = rl_xcalloc(nthreads, sizeof(pthread_t));
    unsigned started = 0;
    for (; started < nthreads; started++) {
        int err = pthread_create(&threads[started], NULL, worker_main, &workers[started]);
        if (err) {
            /* Fewer threads is fine: the started ones (or this one) finish the work. */
            rl_warning("could only start %u of %u worker threads: %s", started, nthreads,
                       strerror(err));
            break;
        }
    }
    if (started == 0) worker_main(&workers[0]);
    for (unsigned t = 0; t < started; t++) pthread_join(threads[t], NULL);
    free(threads);
    free(workers);
    return 0;
}

/* ---- the run ------------------------------------------------------------------ */

/* --stdin-filename: that file's source comes from standard input; the rest
 * of its project is read from disk as usual. */
static void read_stdin_file(rl_project *p, file_result *results)
{
    uint32_t i = 0;
    while (i < p->files.len && !p->files.items[i].from_stdin) i++;
    if (i == p->files.len) RL_BUG("--stdin-filename given but no file reads stdin");
    rl_file *f = &p->files.items[i];
    file_result *res = &results[i];
    rl_source src;
    rl_file_status st = rl_source_read_fd(0, p->options->max_file_size, &src, &res->error);
    if (st != RL_FILE_OK) {
        f->status = st;
        return;
    }
    f->source = rl_arena_strndup(&p->arena, src.text, src.len);
    f->source_len = (uint32_t)src.len;
    rl_source_release(&src);
}

/* The index of the file --dump-model names (same device and inode, or the
 * --stdin-filename path), or -1. */
static long find_dump_file(const rl_project *p, const char *path)
{
    struct stat want, st;
    bool have = stat(path, &want) == 0;
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        if (f->from_stdin || !have) {
            if (strcmp(f->path, path) == 0) return (long)i;
        } else if (stat(f->path, &st) == 0 && st.st_dev == want.st_dev &&
                   st.st_ino == want.st_ino) {
            return (long)i;
        }
    }
    return -1;
}

static int dump_model(const rl_project *p, const char *path)
{
    long i = find_dump_file(p, path);
    if (i < 0) return rl_error("--dump-model `%s`: not among the analyzed files", path), 2;
    const rl_file *f = &p->files.items[i];
    if (f->status != RL_FILE_OK && f->status != RL_FILE_SYNTAX_ERROR)
        return rl_error("--dump-model `%s`: %s", path, f->error ? f->error : "not analyzed"), 2;
    rl_dump_file(stdout, p, (uint32_t)i);
    return fflush(stdout) == 0 ? 0 : 2;
}

/* out: stdout or the --output file, opened before the analysis so that a bad
 * path fails fast; closed here. */
static int emit(const rl_options *o, const rl_project *p, const rl_diags *d, FILE *out)
{
    if (o->format == RL_FORMAT_JSON) {
        rl_emit_json(out, p, d, o->statistics);
    } else if (o->format == RL_FORMAT_SARIF) {
        rl_emit_sarif(out, p, d); /* errors are toolExecutionNotifications */
    } else if (o->format == RL_FORMAT_GITHUB) {
        rl_emit_github(out, p, d); /* errors are ::error lines */
    } else {
        /* Errors first, on stderr, so they are not lost above a long report. */
        rl_emit_text_errors(stderr, p, rl_color_enabled(o->color, stderr));
        fflush(stderr);
        rl_emit_text(out, p, d, o->statistics, rl_color_enabled(o->color, out));
    }
    int failed = ferror(out);
    failed |= out == stdout ? fflush(out) != 0 : fclose(out) != 0;
    if (failed)
        return rl_error("cannot write the report to %s: %s", o->output ? o->output : "stdout",
                        strerror(errno));
    return 0;
}

/* Only reported files count: a broken file of the project around a file PATH
 * is not listed in errors, so it must not fail the run either. */
static int exit_status(const rl_options *o, const rl_project *p, const rl_diags *d)
{
    bool unreadable = false, incomplete = false, findings = false;
    for (uint32_t i = 0; i < p->files.len; i++) {
        if (!p->files.items[i].reported) continue;
        switch (p->files.items[i].status) {
        case RL_FILE_OK: break;
        case RL_FILE_UNREADABLE: unreadable = true; break;
        case RL_FILE_SYNTAX_ERROR:
        case RL_FILE_TOO_LARGE:
        case RL_FILE_NOT_REGULAR:
        case RL_FILE_BAD_ENCODING: incomplete = true; break;
        }
    }
    for (uint32_t i = 0; i < d->items.len && !findings; i++)
        findings = !d->items.items[i].suppressed;
    if (unreadable) return 2;
    if (incomplete || (findings && !o->exit_zero)) return 1;
    return 0;
}

static void print_stats(const rl_project *p, const file_result *results, const double *ms,
                        unsigned nthreads, const rl_diags *d, const rl_cache *cache)
{
    uint64_t bytes = 0;
    uint32_t errors = 0, context = 0;
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        bytes += results[i].bytes;
        errors += f->reported && f->status != RL_FILE_OK;
        context += !f->reported;
    }
    uint32_t suppressed = 0;
    for (uint32_t i = 0; i < d->items.len; i++) suppressed += d->items.items[i].suppressed;
    double total = 0;
    fprintf(stderr, "reloadlint stats: %u files (%u analyzed, %u with errors, %u indexed for "
                    "context), %llu bytes read, %u %s, %u findings (%u suppressed)\n",
            p->files.len, rl_files_analyzed(p), errors, context, (unsigned long long)bytes, nthreads,
            nthreads == 1 ? "thread" : "threads", d->items.len - suppressed, suppressed);
    for (int ph = 0; ph < PH_COUNT; ph++) {
        fprintf(stderr, "  %-14s %9.2f ms\n", phase_names[ph], ms[ph]);
        total += ms[ph];
    }
    fprintf(stderr, "  %-14s %9.2f ms\n", "total", total);
    /* where the workers' time went, summed over threads */
    double read = 0, cache_ms = 0, parse = 0, walk = 0, model = 0;
    for (uint32_t i = 0; i < p->files.len; i++) {
        read += results[i].read_ms;
        cache_ms += results[i].cache_ms;
        parse += results[i].times.parse;
        walk += results[i].times.walk;
        model += results[i].times.model;
    }
    fprintf(stderr, "  %s, summed over %u %s:\n", phase_names[PH_EXTRACT], nthreads,
            nthreads == 1 ? "thread" : "threads");
    fprintf(stderr, "    %-12s %9.2f ms\n", "read", read);
    fprintf(stderr, "    %-12s %9.2f ms\n", "parse", parse);
    fprintf(stderr, "    %-12s %9.2f ms\n", "facts", walk);
    fprintf(stderr, "    %-12s %9.2f ms\n", "file model", model);
    fprintf(stderr, "    %-12s %9.2f ms\n", "cache", cache_ms);
    if (!cache) {
        fprintf(stderr, "  %-14s off\n", "cache");
        return;
    }
    rl_cache_stats cs;
    rl_cache_stats_get(cache, &cs);
    fprintf(stderr, "  %-14s %llu hits, %llu misses (%llu invalid entries), %llu bytes read, "
                    "%llu bytes written, %llu old entries removed (%s)\n",
            "cache", (unsigned long long)cs.hits, (unsigned long long)cs.misses,
            (unsigned long long)cs.rejected, (unsigned long long)cs.bytes_read,
            (unsigned long long)cs.bytes_written, (unsigned long long)cs.pruned,
            rl_cache_dir(cache));
}

/* Discovery; --dump-model PATH is analyzed along with the PATH arguments, so
 * the model sees the project around it (discovery drops it if reached twice). */
static void discover(rl_project *p, const rl_options *o)
{
    if (!o->dump_model || o->stdin_filename) {
        rl_discover(p, o);
        return;
    }
    rl_options with_dump = *o; /* shallow: only the path list is new */
    with_dump.paths = (rl_str_list){0};
    for (uint32_t i = 0; i < o->paths.len; i++) rl_vec_push(&with_dump.paths, o->paths.items[i]);
    rl_vec_push(&with_dump.paths, o->dump_model);
    rl_discover(p, &with_dump);
    rl_vec_release(&with_dump.paths);
}

static int unsupported(const rl_options *o)
{
    if (o->diff_base && rl_history_check(o) < 0) return -1;
    return 0;
}

int rl_run(const rl_options *o)
{
    if (unsupported(o) < 0) return 2;
    FILE *out = stdout;
    if (o->output && !o->dump_model) {
        out = fopen(o->output, "w");
        if (!out) return rl_error("cannot write --output `%s`: %s", o->output, strerror(errno)), 2;
    }
    if (rl_extract_init() < 0) {
        if (out != stdout) fclose(out);
        return 2;
    }

    double ms[PH_COUNT] = {0}, t = now_ms();
    rl_project project = {.options = o};
    discover(&project, o);

    uint32_t nfiles = project.files.len;
    file_result *results = rl_xcalloc(nfiles ? nfiles : 1, sizeof(file_result));
    if (o->stdin_filename) read_stdin_file(&project, results);
    ms[PH_DISCOVER] = now_ms() - t, t = now_ms();

    unsigned nthreads = thread_count(o, nfiles);
    /* --cache-dir (or the configuration's cache-dir), else the user's cache folder */
    rl_cache *cache = o->no_cache || nfiles == 0 ? NULL : rl_cache_open(o->cache_dir);
    extract_all(&project, results, nthreads, cache);
    for (uint32_t i = 0; i < nfiles; i++) {
        rl_file *f = &project.files.items[i];
        if (results[i].error) f->error = rl_arena_strdup(&project.arena, results[i].error);
        free(results[i].error);
        results[i].error = NULL;
    }
    ms[PH_EXTRACT] = now_ms() - t, t = now_ms();

    rl_model_build(&project);
    if (o->diff_base) rl_history_load(&project); /* RL305: names removed since REV */
    ms[PH_MODEL] = now_ms() - t, t = now_ms();

    rl_diags diags = {.arena = &project.arena};
    int status;
    if (o->dump_model) {
        status = dump_model(&project, o->dump_model);
    } else {
        for (int id = 0; id < RL_RULE_COUNT; id++)
            if (o->rules.on[id]) rl_rule_get((rl_rule_id)id)->check(&project, &diags);
        rl_diags_scope(&diags, &project);
        rl_diags_filter(&diags, &o->rules);
        rl_diags_per_file_ignores(&diags, &project); /* configuration per-file-ignores */
        rl_diags_suppress(&diags, &project);
        rl_noqa_warn_unknown(stderr, &project);      /* `# noqa: RL999`: a warning only */
        rl_diags_sort(&diags, &project);
        ms[PH_RULES] = now_ms() - t, t = now_ms();

        status = emit(o, &project, &diags, out) < 0 ? 2 : exit_status(o, &project, &diags);
        ms[PH_EMIT] = now_ms() - t;
    }
    if (o->stats) print_stats(&project, results, ms, nthreads, &diags, cache);
    rl_cache_close(cache);

    free(results);
    rl_vec_release(&diags.items);
    rl_model_release(&project);
    for (uint32_t i = 0; i < nfiles; i++) rl_file_facts_release(&project.files.items[i].facts);
    for (unsigned k = 0; k < project.nfact_regions; k++) rl_arena_release(&project.fact_regions[k]);
    free(project.fact_regions);
    rl_vec_release(&project.files);
    rl_arena_release(&project.arena);
    rl_extract_shutdown();
    return status;
}
