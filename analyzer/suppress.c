/* suppress.c - noqa, selection and ordering of findings. */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "util.h"

/* ---- noqa parsing ---------------------------------------------------------- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_word(char c)
{
    return is_upper(c) || is_digit(c) || (c >= 'a' && c <= 'z') || c == '_';
}

/* Only white space and commas: an empty code list. */
static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space(s[i]) && s[i] != ',') return false;
    return true;
}

static bool match_noqa_word(const char *s, size_t n)
{
    static const char word[] = "noqa";
    if (n < 4) return false;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != word[i]) return false;
    }
    return n == 4 || !is_word(s[4]); /* "# noqa" but not "# noqafoo" */
}

bool rl_noqa_parse_comment(const char *comment, size_t len, const char **codes,
                           size_t *codes_len)
{
    for (size_t i = 0; i < len; i++) {
        if (comment[i] != '#') continue;
        size_t j = i + 1;
        while (j < len && is_space(comment[j])) j++;
        if (!match_noqa_word(comment + j, len - j)) continue;
        j += 4;
        *codes = NULL;
        *codes_len = 0;
        if (j < len && comment[j] == ':') {
            j++;
            /* "# noqa:" with nothing after it counts as a bare noqa. */
            if (!is_blank(comment + j, len - j)) {
                *codes = comment + j;
                *codes_len = len - j;
            }
        }
        return true;
    }
    return false;
}

/* Scans the next token of a noqa code list from *i: LETTERS+DIGITS is a
 * code; anything else is prose, which ends the list. False at the end. */
static bool next_token(const char *codes, size_t len, size_t *i, size_t *start, size_t *letters,
                       bool *code)
{
    while (*i < len && (is_space(codes[*i]) || codes[*i] == ',')) (*i)++;
    if (*i >= len) return false;
    *start = *i;
    while (*i < len && is_upper(codes[*i])) (*i)++;
    *letters = *i - *start;
    while (*i < len && is_digit(codes[*i])) (*i)++;
    size_t digits = *i - *start - *letters;
    *code = *letters > 0 && digits > 0 && !(*i < len && is_word(codes[*i]));
    return true;
}

size_t rl_noqa_split(const char *codes, size_t len, const char **starts, size_t *lens,
                     size_t max)
{
    size_t count = 0, i = 0, start, letters;
    bool code;
    while (next_token(codes, len, &i, &start, &letters, &code) && code) {
        if (count < max) {
            starts[count] = codes + start;
            lens[count] = i - start;
        }
        count++;
    }
    return count;
}

bool rl_noqa_covers(const char *codes, const char *code)
{
    if (!codes) return true;
    size_t len = strlen(codes), want = strlen(code);
    enum { MAX_CODES = 64 };
    const char *starts[MAX_CODES];
    size_t lens[MAX_CODES];
    size_t n = rl_noqa_split(codes, len, starts, lens, MAX_CODES);
    if (n == 0) return is_blank(codes, len); /* "# noqa:" alone acts as a bare noqa */
    if (n > MAX_CODES) n = MAX_CODES;
    for (size_t i = 0; i < n; i++)
        if (lens[i] == want && memcmp(starts[i], code, want) == 0) return true;
    return false;
}

/* ---- unknown codes in noqa comments ------------------------------------------ */

static bool is_rl(const char *s, size_t n)
{
    return n >= 2 && (s[0] == 'R' || s[0] == 'r') && (s[1] == 'L' || s[1] == 'l');
}

size_t rl_noqa_unknown_codes(const char *codes, size_t len, const char **starts, size_t *lens,
                             size_t max)
{
    size_t count = 0, i = 0, start, letters;
    bool code;
    while (next_token(codes, len, &i, &start, &letters, &code)) {
        if (!code) {
            /* Prose ends the list; an RL-like word in front of it is a typo. */
            i = start;
            while (i < len && is_word(codes[i])) i++;
        }
        bool unknown = is_rl(codes + start, letters ? letters : i - start) &&
                       (code ? letters == 2 : true);
        if (unknown && code) {
            char buf[32];
            size_t n = i - start < sizeof buf ? i - start : sizeof buf - 1;
            memcpy(buf, codes + start, n);
            buf[n] = '\0';
            unknown = rl_rule_find(buf) == NULL;
        }
        if (unknown) {
            if (count < max) {
                starts[count] = codes + start;
                lens[count] = i - start;
            }
            count++;
        }
        if (!code) break;
    }
    return count;
}

/* Why a code is unknown, when there is more to say than that. */
static const char *unknown_code_hint(const char *code, size_t n)
{
    bool prefix = false, lower_known = false;
    for (int r = 0; r < RL_RULE_COUNT; r++) {
        const char *known = rl_rule_get((rl_rule_id)r)->code;
        if (strlen(known) > n && memcmp(known, code, n) == 0) prefix = true;
        if (strlen(known) == n && strncasecmp(known, code, n) == 0) lower_known = true;
    }
    if (lower_known) return " (codes are upper case)";
    if (prefix) return " (noqa takes whole codes, not prefixes)";
    return "";
}

void rl_noqa_warn_unknown(FILE *out, const rl_project *p)
{
    enum { MAX_CODES = 64 };
    const char *starts[MAX_CODES];
    size_t lens[MAX_CODES];
    bool any = false;
    for (uint32_t i = 0; i < p->files.len; i++) {
        const rl_file *f = &p->files.items[i];
        if (!f->reported || (f->status != RL_FILE_OK && f->status != RL_FILE_SYNTAX_ERROR))
            continue;
        for (uint32_t k = 0; k < f->facts.noqa.len; k++) {
            const rl_noqa *n = &f->facts.noqa.items[k];
            if (!n->codes) continue;
            size_t count = rl_noqa_unknown_codes(n->codes, strlen(n->codes), starts, lens, MAX_CODES);
            for (size_t c = 0; c < count && c < MAX_CODES; c++) {
                if (!any) fflush(stdout);
                any = true;
                /* the path and the code come from the analyzed tree: escaped */
                rl_strbuf sb = {0};
                rl_strbuf_add_escaped(&sb, f->path, strlen(f->path));
                rl_strbuf_addf(&sb, ":%u: warning: unknown rule code `", n->line);
                rl_strbuf_add_escaped(&sb, starts[c], lens[c]);
                rl_strbuf_addf(&sb, "` in noqa comment%s\n", unknown_code_hint(starts[c], lens[c]));
                fwrite(sb.data, 1, sb.len, out);
                rl_strbuf_release(&sb);
            }
        }
    }
    if (any) fflush(out);
}

/* ---- per-file-ignores -------------------------------------------------------- */

void rl_diags_per_file_ignores(rl_diags *d, const rl_project *p)
{
    const rl_options *o = p->options;
    if (!o || o->per_file_ignores.len == 0 || d->items.len == 0) return;
    uint32_t nfiles = p->files.len;
    rl_rule_set *off = rl_xcalloc(nfiles, sizeof *off);
    bool *done = rl_xcalloc(nfiles, sizeof *done);
    char *cwd = rl_current_dir(); /* NULL: match the shown path and base name only */
    rl_arena tmp = {0};
    uint32_t kept = 0;
    for (uint32_t i = 0; i < d->items.len; i++) {
        const rl_diag *diag = &d->items.items[i];
        if (diag->file >= nfiles) RL_BUG("finding in file %u of %u", diag->file, nfiles);
        if (!done[diag->file]) {
            done[diag->file] = true;
            const char *path = p->files.items[diag->file].path;
            const char *rel = cwd ? rl_config_relative(&tmp, o->config_dir, cwd, path) : NULL;
            for (uint32_t g = 0; g < o->per_file_ignores.len; g++) {
                const rl_per_file_ignore *pfi = &o->per_file_ignores.items[g];
                if (rl_config_glob_matches(pfi->glob, path, rel) == pfi->negated) continue;
                for (int r = 0; r < RL_RULE_COUNT; r++) off[diag->file].on[r] |= pfi->rules.on[r];
            }
        }
        if (!off[diag->file].on[diag->rule]) d->items.items[kept++] = *diag;
    }
    d->items.len = kept;
    rl_arena_release(&tmp);
    free(cwd);
    free(done);
    free(off);
}

/* ---- post-passes ------------------------------------------------------------- */

static bool suppressed_by_noqa(const rl_file *f, const rl_diag *d, const char *code)
{
    if (f->status != RL_FILE_OK && f->status != RL_FILE_SYNTAX_ERROR) return false;
    for (uint32_t i = 0; i < f->facts.noqa.len; i++) {
        const rl_noqa *n = &f->facts.noqa.items[i];
        if ((n->file_level || n->line == d->span.line) && rl_noqa_covers(n->codes, code))
            return true;
    }
    return false;
}

void rl_diags_suppress(rl_diags *d, const rl_project *p)
{
    for (uint32_t i = 0; i < d->items.len; i++) {
        rl_diag *diag = &d->items.items[i];
        if (diag->file >= p->files.len)
            RL_BUG("finding in file %u of %u", diag->file, p->files.len);
        if (suppressed_by_noqa(&p->files.items[diag->file], diag, rl_rule_get(diag->rule)->code))
            diag->suppressed = true;
    }
}

static bool file_reported(const rl_project *p, uint32_t file)
{
    if (file >= p->files.len) RL_BUG("location in file %u of %u", file, p->files.len);
    return p->files.items[file].reported;
}

static bool concerns_reported_file(const rl_project *p, const rl_diag *d)
{
    if (file_reported(p, d->file)) return true;
    for (uint32_t i = 0; i < d->nrelated; i++)
        if (file_reported(p, d->related[i].file)) return true;
    return false;
}

void rl_diags_scope(rl_diags *d, const rl_project *p)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < d->items.len; i++)
        if (concerns_reported_file(p, &d->items.items[i])) d->items.items[kept++] = d->items.items[i];
    d->items.len = kept;
}

void rl_diags_filter(rl_diags *d, const rl_rule_set *selected)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < d->items.len; i++)
        if (selected->on[d->items.items[i].rule]) d->items.items[kept++] = d->items.items[i];
    d->items.len = kept;
}

static int cmp_u32(uint32_t a, uint32_t b) { return a < b ? -1 : a > b; }

/* NULL sorts first. */
static int cmp_opt_str(const char *a, const char *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_span(rl_span a, rl_span b)
{
    int c;
    if ((c = cmp_u32(a.line, b.line))) return c;
    if ((c = cmp_u32(a.col, b.col))) return c;
    if ((c = cmp_u32(a.end_line, b.end_line))) return c;
    return cmp_u32(a.end_col, b.end_col);
}

static const char *file_path(const rl_project *p, uint32_t file)
{
    return file < p->files.len ? p->files.items[file].path : "";
}

int rl_diag_compare(const rl_project *p, const rl_diag *a, const rl_diag *b)
{
    int c;
    if ((c = strcmp(file_path(p, a->file), file_path(p, b->file)))) return c;
    if ((c = cmp_u32(a->span.line, b->span.line))) return c;
    if ((c = cmp_u32(a->span.col, b->span.col))) return c;
    if ((c = strcmp(rl_rule_get(a->rule)->code, rl_rule_get(b->rule)->code))) return c;
    if ((c = cmp_span(a->span, b->span))) return c;
    if ((c = cmp_opt_str(a->message, b->message))) return c;
    if ((c = cmp_opt_str(a->symbol, b->symbol))) return c;
    if ((c = cmp_opt_str(a->target, b->target))) return c;
    if ((c = cmp_opt_str(a->module, b->module))) return c;
    if ((c = cmp_opt_str(a->help, b->help))) return c;
    if ((c = cmp_u32(a->nrelated, b->nrelated))) return c;
    for (uint32_t i = 0; i < a->nrelated; i++) {
        const rl_related *x = &a->related[i], *y = &b->related[i];
        if ((c = strcmp(file_path(p, x->file), file_path(p, y->file)))) return c;
        if ((c = cmp_span(x->span, y->span))) return c;
        if ((c = cmp_opt_str(x->message, y->message))) return c;
    }
    return cmp_u32(a->suppressed, b->suppressed);
}

/* qsort has no context argument in C11: sort (project, diag) pairs. */
typedef struct sort_item {
    const rl_project *p;
    rl_diag diag;
} sort_item;

static int cmp_sort_item(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    return rl_diag_compare(x->p, &x->diag, &y->diag);
}

void rl_diags_sort(rl_diags *d, const rl_project *p)
{
    uint32_t n = d->items.len;
    if (n < 2) return;
    sort_item *tmp = rl_xmalloc(sizeof(sort_item) * n);
    for (uint32_t i = 0; i < n; i++) tmp[i] = (sort_item){p, d->items.items[i]};
    qsort(tmp, n, sizeof(sort_item), cmp_sort_item);
    for (uint32_t i = 0; i < n; i++) d->items.items[i] = tmp[i].diag;
    free(tmp);
}
