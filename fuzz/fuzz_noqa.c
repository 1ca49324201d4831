/* fuzz_noqa.c - libFuzzer target: noqa comments and suppression.
 *
 * The input is one comment's text. It goes through the pure parsers
 * (rl_noqa_parse_comment, rl_noqa_split, rl_noqa_covers for every rule code,
 * rl_noqa_unknown_codes), then into a small source twice - after a reload
 * call on the finding's line, and alone on a line as a file-level directive -
 * which runs through the front end (comment scanning), the rules, the noqa
 * post-pass and the unknown-code warnings. Build: make fuzz. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "model.h"
#include "options.h"
#include "suppress.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (rl_extract_init() < 0) abort();
    return 0;
}

static void parsers(const char *text, size_t n)
{
    const char *codes = NULL;
    size_t codes_len = 0;
    if (!rl_noqa_parse_comment(text, n, &codes, &codes_len)) return;
    char *list = codes ? rl_xstrndup(codes, codes_len) : NULL;
    const char *starts[8];
    size_t lens[8];
    size_t k = rl_noqa_split(codes ? codes : "", codes_len, starts, lens, 8);
    for (size_t i = 0; i < k && i < 8; i++)
        if (starts[i] < (codes ? codes : "") || lens[i] > codes_len) abort();
    for (int id = 0; id < RL_RULE_COUNT; id++) rl_noqa_covers(list, rl_rule_get((rl_rule_id)id)->code);
    rl_noqa_covers(list, "RL3");
    rl_noqa_unknown_codes(codes ? codes : "", codes_len, starts, lens, 8);
    free(list);
}

static void pipeline(const char *prefix, const char *comment, size_t n, FILE *out)
{
    rl_options o;
    rl_options_init(&o);
    rl_project p = {.options = &o};
    rl_strbuf sb = {0};
    rl_strbuf_adds(&sb, prefix);
    rl_strbuf_addn(&sb, comment, n);
    rl_strbuf_adds(&sb, "\nimportlib.reload(sys)\ndel sys.modules['m']\n");
    rl_file f = {.path = "m.py", .module = "m", .from_stdin = true, .reported = true};
    f.source = rl_arena_strndup(&p.arena, sb.data, sb.len);
    f.source_len = (uint32_t)sb.len;
    rl_strbuf_release(&sb);
    rl_extract_input in = {.src = f.source, .len = f.source_len, .module = "m"};
    rl_extract(&f.facts, &in);
    rl_vec_push(&p.files, f);
    rl_model_build(&p);
    rl_diags d = {.arena = &p.arena};
    for (int id = 0; id < RL_RULE_COUNT; id++) rl_rule_get((rl_rule_id)id)->check(&p, &d);
    rl_diags_suppress(&d, &p);
    rl_noqa_warn_unknown(out, &p);
    rl_vec_release(&d.items);
    rl_model_release(&p);
    rl_file_facts_release(&p.files.items[0].facts);
    rl_vec_release(&p.files);
    rl_arena_release(&p.arena);
    rl_options_release(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return -1;
    const char *text = (const char *)data;
    parsers(text, size);
    FILE *out = fopen("/dev/null", "w");
    if (!out) abort();
    pipeline("import importlib, sys\nimportlib.reload(sys)  ", text, size, out);
    pipeline("", text, size, out);
    fclose(out);
    return 0;
}
