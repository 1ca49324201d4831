/* fuzz_config.c - libFuzzer target: the configuration file.
 *
 * The input is a TOML document. It goes through rl_toml_parse (the flat list
 * of key paths and values, with key strings for messages), then through
 * rl_config_parse twice: as a pyproject.toml ([tool.reloadlint]) and as a
 * file holding the keys at its top level. Error messages are printed on
 * stderr by the library; set FUZZ_VERBOSE=1 to see them (they are sent to
 * /dev/null otherwise; sanitizer reports still reach file descriptor 2).
 * Build: make fuzz. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "toml.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *verbose = getenv("FUZZ_VERBOSE");
    if (!verbose || !*verbose) {
        FILE *null = fopen("/dev/null", "w");
        if (null) stderr = null; /* glibc: stderr is an assignable FILE * */
    }
    return 0;
}

static void walk_value(const rl_toml_value *v, unsigned depth)
{
    if (depth > 1000) abort(); /* the parser promises bounded nesting */
    if (v->text && v->len) (void)((volatile const char *)v->text)[v->len - 1];
    for (uint32_t i = 0; i < v->nitems; i++) walk_value(&v->items[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024) return -1;
    const char *text = (const char *)data;

    rl_toml_doc doc = {0};
    if (rl_toml_parse(&doc, text, (uint32_t)size) == 0) {
        for (uint32_t i = 0; i < doc.entries.len; i++) {
            const rl_toml_entry *e = &doc.entries.items[i];
            (void)rl_toml_key_string(&doc.arena, e->key, e->nkey);
            (void)rl_toml_type_name(e->value.type);
            walk_value(&e->value, 0);
        }
    } else if (!doc.error) {
        abort(); /* a failed parse always says why */
    }
    rl_toml_release(&doc);

    for (int pyproject = 0; pyproject < 2; pyproject++) {
        rl_arena arena = {0};
        rl_config c = {0};
        rl_config_parse(&c, &arena, pyproject ? "pyproject.toml" : "reloadlint.toml",
                        "/nonexistent/project", text, (uint32_t)size, pyproject);
        rl_config_release(&c);
        rl_arena_release(&arena);
    }
    return 0;
}
