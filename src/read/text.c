/* text.c -- a plain-text file is one document; its id is the path relative
 * to the directory named on the command line (the path as given for a file
 * named directly). A file over --max-doc-bytes is a too_large record. An
 * HTML file (.html, .htm, .xhtml, or content that starts like a page) is one
 * document the same way, flagged for the extract stage. */
#include "reader.h"
#include <string.h>

tamis_status tms_text_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof)
{
    if (r->done) { *eof = true; return TAMIS_OK; }
    r->done = true;
    const char *p;
    size_t n;
    TMS_TRY(tms_stream_peek(r->s, r->o->max_doc_bytes + 1, &p, &n));
    rec->kind = TMS_SRC_FRESH;
    rec->location = r->path;
    rec->pos_key = tms_pos_key(r->file_index, 0);
    rec->id = r->rel;
    rec->id_len = strlen(r->rel);
    if (n > r->o->max_doc_bytes) {
        uint64_t skipped = 0;
        bool found;
        tms_stream_consume(r->s, n);
        while (!tms_stream_eof(r->s)) TMS_TRY(tms_stream_skip_past(r->s, '\n', &skipped, &found));
        rec->bytes_in = n;
        tms_msg(r->m, TMS_MSG_ERROR, "%s: file exceeds --max-doc-bytes %zu: rejected as too_large", r->path,
                r->o->max_doc_bytes);
        rec->text = "";
        rec->reject = "too_large";
        return TAMIS_OK;
    }
    /* a BOM is not text; an HTML page keeps its bytes, BOM included: the extract stage decodes them */
    bool html = r->format == TMS_FMT_HTML;
    size_t skip = !html && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    char *t = tms_arena_strndup(a, p + skip, n - skip);
    if (!t) return TAMIS_E_NOMEM;
    tms_stream_consume(r->s, n);
    rec->text = t;
    rec->text_len = n - skip;
    rec->is_html = html;
    rec->bytes_in = n;
    tms_reader_stream_end(r);
    if (tms_stream_error(r->s)) {
        rec->reject = "malformed"; /* the file was cut short: its text is not the document */
    }
    return TAMIS_OK;
}
