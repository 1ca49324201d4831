/* toml.h - a TOML document as a flat list of key paths and values, read with
 * the tree-sitter TOML grammar (third_party/tree-sitter-toml).
 *
 * Only what the configuration needs: every key that is assigned (at the top
 * level, under a [table] or [[table]] header, inside an inline table) becomes
 * one entry holding its full path from the document root, so
 * `[tool.reloadlint]` + `select = [...]`, `tool.reloadlint.select = [...]` and
 * `tool = {reloadlint = {select = [...]}}` all give the path
 * tool/reloadlint/select. Headers are entries too (value type TABLE or
 * TABLE_ARRAY). Strings are decoded (escapes, multi-line forms); numbers and
 * dates keep their source text. Everything is owned by the document's arena. */
#ifndef RL_TOML_H
#define RL_TOML_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "vec.h"

typedef enum rl_toml_type {
    RL_TOML_STRING,
    RL_TOML_INTEGER,
    RL_TOML_FLOAT,
    RL_TOML_BOOLEAN,
    RL_TOML_DATETIME,    /* offset or local date-time, local date, local time */
    RL_TOML_ARRAY,
    RL_TOML_TABLE,       /* a [header] or an inline table: its keys are entries of their own */
    RL_TOML_TABLE_ARRAY, /* a [[header]] */
} rl_toml_type;

typedef struct rl_toml_value rl_toml_value;
struct rl_toml_value {
    rl_toml_type type;
    uint32_t line;          /* 1-based line where the value starts */
    const char *text;       /* STRING: the decoded text; others: the source text */
    uint32_t len;           /* bytes in text (a decoded string may hold a NUL) */
    bool boolean;           /* BOOLEAN */
    rl_toml_value *items;   /* ARRAY: the elements, in order */
    uint32_t nitems;
};

typedef struct rl_toml_entry {
    const char **key;       /* the path from the document root, one component each */
    uint32_t nkey;
    uint32_t line;          /* line of the key, or of the header */
    bool header;            /* a [table] / [[table]] header (value.type TABLE / TABLE_ARRAY) */
    bool in_table_array;    /* assigned below a [[header]]: the path names a table of
                               that array, not one table */
    rl_toml_value value;
} rl_toml_entry;

typedef struct rl_toml_doc {
    rl_arena arena;                 /* owns everything below */
    RL_VEC(rl_toml_entry) entries;  /* in source order; an inline table's keys follow it */
    uint32_t error_line;            /* after a failed parse: the line of the first error */
    const char *error;              /* after a failed parse: what is wrong (arena) */
} rl_toml_doc;

/* Parses len bytes of text (a UTF-8 BOM is skipped) into doc, which must be
 * zeroed. Returns 0, or -1 when the text is not valid TOML, with
 * doc->error_line and doc->error set ("missing `]`", "unexpected `= 3`"); nothing
 * is printed. Call rl_toml_release() whatever it returns. */
int rl_toml_parse(rl_toml_doc *doc, const char *text, uint32_t len);

/* Frees the entries and the arena. */
void rl_toml_release(rl_toml_doc *doc);

/* "a.b.\"c d\"": a key path for messages, quoting components that are not
 * bare keys. Allocated in a. */
const char *rl_toml_key_string(rl_arena *a, const char *const *key, uint32_t nkey);

/* "a string", "an array", "a table"... for type errors. */
const char *rl_toml_type_name(rl_toml_type t);

#endif
