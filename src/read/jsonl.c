/* jsonl.c -- JSON Lines: one object per line. Blank lines are skipped and
 * counted ("blank_line"); a line that is not one valid JSON object, or whose
 * text field is missing or not a string, is a malformed record; a line longer
 * than --max-doc-bytes is a too_large record (skipped without buffering). */
#include "reader.h"
#include <stdio.h>
#include <string.h>

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return false;
    return true;
}


/* A string field of the document as datatrove sees it: metadata.NAME, else a
 * top-level NAME (datatrove's JSONL reader merges top-level fields into
 * metadata). Only a non-empty string counts; *out stays NULL otherwise. */
static tamis_status find_field(tms_reader *r, tms_arena *a, tms_record *rec, const char *name, const char **out,
                               size_t *out_len)
{
    const tms_json_member *l = NULL;
    char quoted[32];
    int qn = snprintf(quoted, sizeof quoted, "\"%s\"", name);
    if (rec->meta_m && memmem(rec->meta_m->val, rec->meta_m->val_len, quoted, (size_t)qn)) {
        tms_json_object meta;
        tms_json_error err;
        if (tms_json_scan_object(rec->meta_m->val, rec->meta_m->val_len, r->o->max_json_depth, a, &meta, &err) == TAMIS_OK)
            l = tms_json_get(&meta, name);
    }
    if (!l || l->val[0] != '"') l = tms_json_get(&rec->obj, name);
    if (!l || l->val[0] != '"' || l->val_len <= 2) return TAMIS_OK;
    return tms_json_decode_string(l->val, l->val_len, a, out, out_len);
}

static tamis_status reject(tms_record *rec, const char *why) { rec->reject = why; return TAMIS_OK; }

tamis_status tms_jsonl_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof)
{
    const char *p;
    size_t len;
    bool found;
    for (;;) {
        TMS_TRY(tms_stream_find(r->s, '\n', r->o->max_doc_bytes + 1, &p, &len, &found));
        if (!found && len == 0) {
            tms_reader_stream_end(r);
            *eof = true;
            return TAMIS_OK;
        }
        r->line++;
        if (!found && len > r->o->max_doc_bytes) break; /* too large: handled below */
        if (!blank(p, len)) break;
        tms_stream_consume(r->s, len + found);
        tms_skip_count(r->skips, "blank_line", 10);
    }
    rec->kind = TMS_SRC_JSON;
    rec->location = tms_location(a, r->path, TMS_FMT_JSONL, r->line);
    rec->pos_key = tms_pos_key(r->file_index, r->line);
    if (!rec->location) return TAMIS_E_NOMEM;
    rec->id = rec->location;
    rec->id_len = strlen(rec->location);

    if (!found && len > r->o->max_doc_bytes) {
        uint64_t skipped;
        tms_stream_consume(r->s, len);
        TMS_TRY(tms_stream_skip_past(r->s, '\n', &skipped, &found));
        rec->bytes_in = len + skipped;
        tms_msg(r->m, TMS_MSG_ERROR, "%s: line of %llu bytes exceeds --max-doc-bytes %zu: rejected as too_large",
                rec->location, (unsigned long long)rec->bytes_in, r->o->max_doc_bytes);
        rec->kind = TMS_SRC_FRESH;
        rec->text = "";
        return reject(rec, "too_large");
    }
    size_t n = len;
    if (n && p[n - 1] == '\r') n--;
    if (r->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) { /* a BOM is not part of the JSON */
        p += 3;
        n -= 3;
        len -= 3;
        tms_stream_consume(r->s, 3);
    }
    char *raw = tms_arena_strndup(a, p, n);
    if (!raw) return TAMIS_E_NOMEM;
    tms_stream_consume(r->s, len + found);
    rec->raw = raw;
    rec->raw_len = n;
    rec->bytes_in = len + found;

    tms_json_error jerr = {0};
    tamis_status st = tms_json_scan_object(raw, n, r->o->max_json_depth, a, &rec->obj, &jerr);
    if (st == TAMIS_E_NOMEM) return st;
    if (st != TAMIS_OK) {
        tms_msg(r->m, TMS_MSG_ERROR, "%s: invalid JSON at byte %zu: %s", rec->location, jerr.offset + 1, jerr.msg);
        rec->kind = TMS_SRC_FRESH;   /* cannot round-trip: keep the raw line as the text */
        rec->text = raw;
        rec->text_len = n;
        return reject(rec, "malformed");
    }
    const tms_json_member *t = tms_json_get(&rec->obj, r->o->text_field);
    rec->meta_m = tms_json_get(&rec->obj, "metadata");
    if (rec->meta_m && rec->meta_m->val[0] != '{') rec->meta_m = NULL; /* a non-object is left alone */
    TMS_TRY(find_field(r, a, rec, "language", &rec->lang, &rec->lang_len));
    size_t url_len;
    TMS_TRY(find_field(r, a, rec, "url", &rec->doc_url, &url_len));
    const tms_json_member *id = tms_json_get(&rec->obj, r->o->id_field);
    if (id && id->val[0] == '"') {
        TMS_TRY(tms_json_decode_string(id->val, id->val_len, a, &rec->id, &rec->id_len));
    } else if (id && strncmp(id->val, "null", 4) != 0) {
        rec->id = id->val;  /* a number or other scalar: its JSON text */
        rec->id_len = id->val_len;
    }
    const tms_json_member *h = r->o->html_field ? tms_json_get(&rec->obj, r->o->html_field) : NULL;
    if (h && h->val[0] == '"') { /* a page: the extract stage writes its text to the text field */
        rec->text_m = t; /* of any type: replaced by the extracted text, or added when absent */
        rec->html_m = h;
        rec->is_html = true;
        return tms_json_decode_string(h->val, h->val_len, a, &rec->text, &rec->text_len);
    }
    if (!t || t->val[0] != '"') {
        tms_msg(r->m, TMS_MSG_ERROR, "%s: %s field \"%s\"", rec->location, t ? "non-string" : "no", r->o->text_field);
        rec->text = "";
        return reject(rec, "malformed");
    }
    rec->text_m = t;
    return tms_json_decode_string(t->val, t->val_len, a, &rec->text, &rec->text_len);
}
