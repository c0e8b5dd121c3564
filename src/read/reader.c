/* reader.c -- picks the format (forced, content signature, extension) and
 * dispatches to the format's reader. */
#include "reader.h"
#include "../core/alloc.h"
#include <string.h>
#include <strings.h>

/* The reasons of documents rejected when read (the pseudo-stage "read"):
 * set by the readers (jsonl.c, text.c, warc.c), and html_not_extracted by the
 * pipeline for an HTML page in a run without the extract stage. */
const tms_rule_info tms_read_rules[] = {
    {"malformed", NULL,
     "an unreadable record: invalid or too deeply nested JSON, no string text field, a broken record"},
    {"too_large", "max-doc-bytes", "a record (JSONL line, WARC block or file) larger than 64 MiB"},
    {"not_html", NULL, "a WARC response that is not an HTML page (an image, a script, a PDF)"},
    {"html_not_extracted", "stages", "an HTML page in a run without the extract stage"},
    {NULL, NULL, NULL},
};

void tms_skip_count(tms_skip_counts *c, const char *type, size_t len)
{
    if (len >= sizeof c->type[0]) len = sizeof c->type[0] - 1;
    for (size_t i = 0; i < c->used; i++)
        if (strlen(c->type[i]) == len && memcmp(c->type[i], type, len) == 0) { c->n[i]++; return; }
    size_t i;
    if (c->used < TMS_SKIP_TYPES_MAX - 1) { /* the last slot is kept for "other" */
        i = c->used++;
        memcpy(c->type[i], type, len);
        c->type[i][len] = 0;
    } else {
        i = TMS_SKIP_TYPES_MAX - 1;
        if (c->used == i) { strcpy(c->type[i], "other"); c->n[i] = 0; c->used++; }
    }
    c->n[i]++;
}

/* The extension, ignoring a compression suffix: "a.jsonl.gz" -> "jsonl". */
static const char *base_ext(const char *path, char *tmp, size_t tmpn)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t n = strlen(name);
    if (n >= tmpn) return "";
    memcpy(tmp, name, n + 1);
    for (int pass = 0; pass < 2; pass++) {
        char *dot = strrchr(tmp, '.');
        if (!dot || dot == tmp) return "";
        if (pass == 0 && (!strcasecmp(dot, ".gz") || !strcasecmp(dot, ".zst") || !strcasecmp(dot, ".zstd"))) {
            *dot = 0;
            continue;
        }
        return dot + 1;
    }
    return "";
}

#define SNIFF_BYTES 256 /* enough for a BOM, blank lines and "<!DOCTYPE html" */

static tms_format sniff(tms_stream *s, const char *path)
{
    const char *p;
    size_t n;
    if (tms_stream_peek(s, SNIFF_BYTES, &p, &n) != TAMIS_OK) return TMS_FMT_TEXT;
    if (n >= 5 && memcmp(p, "WARC/", 5) == 0) return TMS_FMT_WARC;
    char tmp[256];
    const char *ext = base_ext(path, tmp, sizeof tmp);
    if (!strcasecmp(ext, "txt")) return TMS_FMT_TEXT;
    if (!strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml")) return TMS_FMT_HTML;
    if (!strcasecmp(ext, "jsonl") || !strcasecmp(ext, "json") || !strcasecmp(ext, "ndjson")) return TMS_FMT_JSONL;
    if (!strcasecmp(ext, "warc") || !strcasecmp(ext, "wet") || !strcasecmp(ext, "wat") || !strcasecmp(ext, "arc"))
        return TMS_FMT_WARC;
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i < n && p[i] == '{') return TMS_FMT_JSONL;
    if (i < n && p[i] == '<') { /* a page: <!doctype html>, <html>, or a comment or <head> first */
        const char *q = p + i;
        size_t k = n - i;
        if ((k >= 9 && !strncasecmp(q, "<!doctype", 9)) || (k >= 5 && !strncasecmp(q, "<html", 5)) ||
            (k >= 5 && !strncasecmp(q, "<head", 5)) || (k >= 4 && !strncmp(q, "<!--", 4)))
            return TMS_FMT_HTML;
    }
    return TMS_FMT_TEXT;
}

tamis_status tms_reader_open(tms_reader **out, tms_stream *s, const char *path, const char *rel, uint32_t file_index,
                             const tms_read_opts *o, const tms_msgs *m, tms_skip_counts *skips)
{
    *out = NULL;
    tms_reader *r = tms_calloc(1, sizeof *r);
    if (!r) { tms_stream_free(s); return TAMIS_E_NOMEM; }
    r->s = s;
    r->path = path;
    r->rel = rel;
    r->file_index = file_index;
    r->o = o;
    r->m = m;
    r->skips = skips;
    if (o->format == TMS_FMT_AUTO) {
        /* out of memory must not pass for content that says nothing (sniff
         * then picks text); an I/O error shows again on the first read */
        const char *p;
        size_t n;
        if (tms_stream_peek(s, SNIFF_BYTES, &p, &n) == TAMIS_E_NOMEM) {
            tms_reader_free(r);
            return TAMIS_E_NOMEM;
        }
    }
    r->format = o->format != TMS_FMT_AUTO ? o->format : sniff(s, path);
    *out = r;
    return TAMIS_OK;
}

tamis_status tms_reader_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof)
{
    memset(rec, 0, sizeof *rec);
    *eof = false;
    switch (r->format) {
    case TMS_FMT_JSONL: return tms_jsonl_next(r, a, rec, eof);
    case TMS_FMT_WARC: return tms_warc_next(r, a, rec, eof);
    default: return tms_text_next(r, a, rec, eof); /* an HTML file is one document too */
    }
}

const char *tms_location(tms_arena *a, const char *path, tms_format fmt, uint64_t where)
{
    switch (fmt) {
    case TMS_FMT_JSONL: return tms_arena_printf(a, "%s:%llu", path, (unsigned long long)where);
    case TMS_FMT_WARC: return tms_arena_printf(a, "%s@%llu", path, (unsigned long long)where);
    default: return path;
    }
}

void tms_reader_stream_end(tms_reader *r)
{
    const char *e = tms_stream_error(r->s);
    if (e && !r->warned_stream) {
        tms_msg(r->m, TMS_MSG_ERROR, "%s: %s", r->path, e);
        r->warned_stream = true;
    }
}

const char *tms_reader_format(const tms_reader *r)
{
    switch (r->format) {
    case TMS_FMT_JSONL: return "jsonl";
    case TMS_FMT_WARC: return "warc";
    case TMS_FMT_HTML: return "html";
    default: return "txt";
    }
}

uint64_t tms_reader_raw_bytes(tms_reader *r) { return tms_stream_raw_bytes(r->s); }

void tms_reader_free(tms_reader *r)
{
    if (!r) return;
    tms_stream_free(r->s);
    tms_free(r);
}
