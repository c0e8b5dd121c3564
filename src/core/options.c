/*
 * options.c -- the one options table. Every front end parses, documents and
 * reports options from these rows: the CLI's parser, --help and the man page,
 * and the "options" block of summary.json. Values are kept as validated text
 * and turned into a typed tms_config when a pipeline is created.
 */
#include "config.h"
#include "alloc.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct row {
    tamis_option_info info;
    long long min, max; /* for INT and SIZE */
} row;

#define KB 1024LL
static const row table[] = {
    /* Input */
    {{"format", 0, TAMIS_ARG_CHOICE, "FMT", "auto", "auto|jsonl|warc|txt", "Input",
      "input format for stdin and for files whose name and content do not tell"}, 0, 0},
    {{"text-field", 0, TAMIS_ARG_STRING, "NAME", "text", NULL, "Input", "JSONL field that holds the document text"}, 0, 0},
    {{"id-field", 0, TAMIS_ARG_STRING, "NAME", "id", NULL, "Input", "JSONL field that holds the document id"}, 0, 0},
    {{"max-doc-bytes", 0, TAMIS_ARG_SIZE, "SIZE", "64M", NULL, "Input",
      "reject larger documents (JSONL lines, WARC blocks, files) as too_large"}, 1, 1LL << 30},
    {{"max-json-depth", 0, TAMIS_ARG_INT, "N", "64", NULL, "Input", "reject JSON nested deeper than this as malformed"},
     1, 10000},
    /* Stages */
    {{"stages", 0, TAMIS_ARG_STRING, "LIST", "default", NULL, "Stage",
      "stages to run, comma-separated; they always run in canonical order; default: the stages `tamis stages` marks default"}, 0, 0},
    {{"explain", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Stage", "add metadata.explain to rejected documents"}, 0, 0},
    /* Output */
    {{"output", 'o', TAMIS_ARG_STRING, "DIR", "", NULL, "Output",
      "output directory, or - to stream kept documents to stdout (required)"}, 0, 0},
    {{"compress", 0, TAMIS_ARG_CHOICE, "CODEC", "zstd", "zstd|gzip|none", "Output",
      "compression of kept and rejected files"}, 0, 0},
    {{"compress-level", 0, TAMIS_ARG_INT, "N", "3", NULL, "Output", "compression level (zstd 1-19, gzip 1-9)"}, 1, 19},
    {{"rejected", 0, TAMIS_ARG_STRING, "FILE", "", NULL, "Output",
      "write rejected documents to FILE (codec from its suffix) instead of DIR/rejected.*; with -o - and no --rejected they are only counted"}, 0, 0},
    {{"summary", 0, TAMIS_ARG_STRING, "FILE", "", NULL, "Output",
      "write the JSON summary to FILE instead of DIR/summary.json; with -o - and no --summary none is written"}, 0, 0},
    /* Performance */
    {{"threads", 'j', TAMIS_ARG_INT, "N", "auto", NULL, "Performance", "worker threads (auto: all cores)"}, 1, 1024},
    /* Messages */
    {{"progress", 0, TAMIS_ARG_BOOL, NULL, "auto", NULL, "Messages",
      "show a progress line on stderr (auto: when stderr is a terminal)"}, 0, 0},
    {{"quiet", 'q', TAMIS_ARG_NONE, NULL, "", NULL, "Messages", "print no per-record messages, only fatal errors"}, 0, 0},
    {{"strict", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Messages",
      "stop at the first malformed or too large record (exit status 2)"}, 0, 0},
};
#define NOPT TMS_ARRAY_LEN(table)

struct tamis_options {
    char *val[NOPT];     /* NULL: default */
    char **inputs;
    size_t ninputs, cap;
    char *command;
    char err[512];
};

const tamis_option_info *tamis_option_at(size_t i) { return i < NOPT ? &table[i].info : NULL; }

static int find_row(const char *name)
{
    for (size_t i = 0; i < NOPT; i++)
        if (!strcmp(table[i].info.name, name)) return (int)i;
    return -1;
}

const tamis_option_info *tamis_option_find(const char *name)
{
    int i = find_row(name);
    if (i < 0 && !strncmp(name, "no-", 3)) {
        i = find_row(name + 3);
        if (i >= 0 && table[i].info.arg != TAMIS_ARG_BOOL) i = -1;
    }
    return i < 0 ? NULL : &table[i].info;
}

tamis_status tamis_options_create(tamis_options **out)
{
    *out = tms_calloc(1, sizeof **out);
    return *out ? TAMIS_OK : TAMIS_E_NOMEM;
}

void tamis_options_free(tamis_options *o)
{
    if (!o) return;
    for (size_t i = 0; i < NOPT; i++) tms_free(o->val[i]);
    for (size_t i = 0; i < o->ninputs; i++) tms_free(o->inputs[i]);
    tms_free(o->inputs);
    tms_free(o->command);
    tms_free(o);
}

const char *tamis_options_errmsg(const tamis_options *o) { return o->err; }
void tms_options_set_error(tamis_options *o, const char *msg) { snprintf(o->err, sizeof o->err, "%s", msg); }

static tamis_status usage(tamis_options *o, const char *fmt, ...) TMS_PRINTF(2, 3);
static tamis_status usage(tamis_options *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err, sizeof o->err, fmt, ap);
    va_end(ap);
    return TAMIS_E_USAGE;
}

/* "64M" -> bytes; -1 on error */
static long long parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0) return -1;
    long long mul = 1;
    switch (*end) {
    case 0: break;
    case 'k': case 'K': mul = KB; end++; break;
    case 'm': case 'M': mul = KB * KB; end++; break;
    case 'g': case 'G': mul = KB * KB * KB; end++; break;
    default: return -1;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v > LLONG_MAX / mul) return -1;
    return v * mul;
}

static long long parse_int(const char *s, bool *ok)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    *ok = !errno && end != s && !*end;
    return v;
}

tamis_status tamis_options_set(tamis_options *o, const char *name, const char *value)
{
    int i = find_row(name);
    bool negated = false;
    if (i < 0 && !strncmp(name, "no-", 3)) {
        i = find_row(name + 3);
        if (i >= 0 && table[i].info.arg != TAMIS_ARG_BOOL) i = -1;
        negated = i >= 0;
    }
    if (i < 0) return usage(o, "unknown option '--%s'", name);
    const row *r = &table[i];
    const char *v = value;
    switch (r->info.arg) {
    case TAMIS_ARG_NONE:
    case TAMIS_ARG_BOOL:
        if (value) return usage(o, "option '--%s' takes no value", name);
        v = negated ? "false" : "true";
        break;
    case TAMIS_ARG_INT: {
        bool ok;
        if (!value) return usage(o, "option '--%s' needs a value", name);
        if (!strcmp(r->info.defval, "auto") && !strcmp(value, "auto")) break;
        long long n = parse_int(value, &ok);
        if (!ok) return usage(o, "option '--%s' takes a whole number, not '%s'", name, value);
        if (n < r->min || n > r->max)
            return usage(o, "option '--%s' must be between %lld and %lld, not %lld", name, r->min, r->max, n);
        break;
    }
    case TAMIS_ARG_SIZE: {
        if (!value) return usage(o, "option '--%s' needs a value", name);
        long long n = parse_size(value);
        if (n < 0) return usage(o, "option '--%s' takes a size like 512K, 64M or 2G, not '%s'", name, value);
        if (n < r->min || n > r->max)
            return usage(o, "option '--%s' must be between %lld and %lld bytes", name, r->min, r->max);
        break;
    }
    case TAMIS_ARG_CHOICE: {
        if (!value) return usage(o, "option '--%s' needs a value", name);
        const char *c = r->info.choices;
        size_t vl = strlen(value);
        bool found = false;
        while (*c) {
            const char *bar = strchr(c, '|');
            size_t l = bar ? (size_t)(bar - c) : strlen(c);
            if (l == vl && !memcmp(c, value, l)) found = true;
            c += l + (bar ? 1 : 0);
        }
        if (!found) return usage(o, "option '--%s' takes one of %s, not '%s'", name, r->info.choices, value);
        break;
    }
    case TAMIS_ARG_STRING:
        if (!value) return usage(o, "option '--%s' needs a value", name);
        if (!*value) return usage(o, "option '--%s' needs a non-empty value", name);
        break;
    }
    char *copy = tms_strdup(v);
    if (!copy) return TAMIS_E_NOMEM;
    tms_free(o->val[i]);
    o->val[i] = copy;
    return TAMIS_OK;
}

tamis_status tamis_options_add_input(tamis_options *o, const char *path)
{
    if (!path || !*path) return usage(o, "empty input path");
    if (TMS_GROW(o->inputs, o->cap, o->ninputs, 8)) return TAMIS_E_NOMEM;
    if (!(o->inputs[o->ninputs] = tms_strdup(path))) return TAMIS_E_NOMEM;
    o->ninputs++;
    return TAMIS_OK;
}

tamis_status tamis_options_set_command(tamis_options *o, int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *c = tms_malloc(n), *w = c;
    if (!c) return TAMIS_E_NOMEM;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        memcpy(w, argv[i], l);
        w += l;
        *w++ = i + 1 < argc ? ' ' : 0;
    }
    if (argc == 0) *w = 0;
    tms_free(o->command);
    o->command = c;
    return TAMIS_OK;
}

static const char *value_of(const tamis_options *o, const char *name)
{
    int i = find_row(name);
    assert(i >= 0);
    if (o->val[i]) return o->val[i];
    return table[i].info.arg == TAMIS_ARG_NONE ? "false" : table[i].info.defval;
}

const char *tamis_options_get(const tamis_options *o, const char *name)
{
    int i = find_row(name);
    if (i < 0) return NULL;
    return value_of(o, name);
}

void tms_options_each(const tamis_options *o, void (*fn)(void *, const tamis_option_info *, const char *), void *ctx)
{
    for (size_t i = 0; i < NOPT; i++) fn(ctx, &table[i].info, value_of(o, table[i].info.name));
}

static bool flag(const tamis_options *o, const char *name) { return !strcmp(value_of(o, name), "true"); }

tamis_status tms_config_resolve(const tamis_options *o, tms_config *c, char *err, size_t errn)
{
    memset(c, 0, sizeof *c);
    c->inputs = (const char *const *)o->inputs;
    c->ninputs = o->ninputs;
    const char *out = value_of(o, "output");
    c->output = *out ? out : NULL;
    c->rejected_path = *value_of(o, "rejected") ? value_of(o, "rejected") : NULL;
    c->summary_path = *value_of(o, "summary") ? value_of(o, "summary") : NULL;
    const char *z = value_of(o, "compress");
    c->compress = !strcmp(z, "zstd") ? TMS_COMPRESS_ZSTD : !strcmp(z, "gzip") ? TMS_COMPRESS_GZIP : TMS_COMPRESS_NONE;
    c->compress_level = atoi(value_of(o, "compress-level"));
    c->stages = value_of(o, "stages");
    const char *j = value_of(o, "threads");
    if (!strcmp(j, "auto")) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->threads = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
    } else {
        c->threads = atoi(j);
    }
    c->max_doc_bytes = (size_t)parse_size(value_of(o, "max-doc-bytes"));
    c->max_json_depth = atoi(value_of(o, "max-json-depth"));
    c->text_field = value_of(o, "text-field");
    c->id_field = value_of(o, "id-field");
    const char *f = value_of(o, "format");
    c->format = !strcmp(f, "jsonl") ? 1 : !strcmp(f, "warc") ? 2 : !strcmp(f, "txt") ? 3 : 0;
    c->explain = flag(o, "explain");
    c->strict = flag(o, "strict");
    c->quiet = flag(o, "quiet");
    const char *pr = value_of(o, "progress");
    c->progress = !strcmp(pr, "auto") ? -1 : !strcmp(pr, "true");
    c->command = o->command ? o->command : "";
    if (c->compress == TMS_COMPRESS_GZIP && c->compress_level > 9) {
        snprintf(err, errn, "--compress-level %d is out of range for --compress gzip (1-9)", c->compress_level);
        return TAMIS_E_USAGE;
    }
    return TAMIS_OK;
}

tamis_status tamis_options_validate(tamis_options *o)
{
    tms_config c;
    if (tms_config_resolve(o, &c, o->err, sizeof o->err) != TAMIS_OK) return TAMIS_E_USAGE;
    if (!c.output) return usage(o, "no output: give -o DIR (or -o - for stdout)");
    if (c.ninputs == 0) return usage(o, "no input: give files, directories or - for stdin");
    size_t stdin_count = 0;
    for (size_t i = 0; i < c.ninputs; i++) stdin_count += !strcmp(c.inputs[i], "-");
    if (stdin_count > 1) return usage(o, "stdin (-) can be read only once");
    bool to_stdout = !strcmp(c.output, "-");
    if (to_stdout && c.rejected_path && !strcmp(c.rejected_path, "-"))
        return usage(o, "--rejected - and -o - would both write to stdout");
    if (to_stdout && c.summary_path && !strcmp(c.summary_path, "-"))
        return usage(o, "--summary - and -o - would both write to stdout");
    return TAMIS_OK;
}
