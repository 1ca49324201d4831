/* source.h - reading one Python source: size limit, regular-file check,
 * encoding. What the parser gets is UTF-8 with `\n` line breaks where Python
 * sees them, so that lines and columns (code points) match Python's and an
 * editor's: a UTF-8 BOM is removed, a PEP 263 declaration of another encoding
 * (`# -*- coding: latin-1 -*-`, cp1252, ...) is decoded to UTF-8, a lone
 * `\r` (old Mac line break) becomes `\n`. Safe to call from several threads
 * at once. */
#ifndef RL_SOURCE_H
#define RL_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "project.h"

typedef struct rl_source {
    const char *text; /* the source, UTF-8 BOM removed; NUL-terminated; inside buf */
    size_t len;       /* bytes of text, without the NUL */
    char *buf;        /* the heap block: owned, freed by rl_source_release() */
} rl_source;

/* Reads the file at path into out. Returns RL_FILE_OK, or RL_FILE_UNREADABLE,
 * RL_FILE_TOO_LARGE (over max_size bytes), RL_FILE_NOT_REGULAR or
 * RL_FILE_BAD_ENCODING with *error set to a heap message the caller frees
 * (out is then empty). Bytes are kept as they are: invalid UTF-8 is parsed. */
rl_file_status rl_source_read_file(const char *path, uint64_t max_size, rl_source *out,
                                   char **error);

/* Same for an already open descriptor read to its end (stdin for
 * --stdin-filename); the descriptor is not closed. */
rl_file_status rl_source_read_fd(int fd, uint64_t max_size, rl_source *out, char **error);

/* Removes a UTF-8 BOM from s, decodes a PEP 263 declared encoding to UTF-8
 * and turns lone `\r` into `\n` (s must own its buffer). A UTF-16 or UTF-32
 * BOM, an unknown declared encoding, bytes invalid in the declared one or a
 * BOM with a non-UTF-8 declaration are RL_FILE_BAD_ENCODING with *error set
 * (heap) and s released. Invalid UTF-8 is kept as it is (the parser copes).
 * Used by the readers; exposed for tests and the fuzzers. */
rl_file_status rl_source_check_encoding(rl_source *s, char **error);

/* Frees the buffer; s is empty afterwards. */
void rl_source_release(rl_source *s);

/* "12 bytes", "3.5 KiB", "10.0 MiB": sizes in messages. Heap; caller frees. */
char *rl_human_size(uint64_t bytes);

#endif
