/*
 * warc.c -- WARC 1.0/1.1 (and WARC/0.x version lines), as written by
 * Common Crawl (WARC, WET, WAT), Heritrix, wget and JWAT.
 *
 * Accepted: a record is a "WARC/" version line, header lines "Name: value"
 * up to an empty line (CRLF or LF), a block of exactly Content-Length bytes,
 * then CRLF CRLF (any run of CR/LF is tolerated between records).
 * Documents: "conversion" records (WET text) and "response" records whose
 * HTTP payload is HTML (flagged for the extract stage); other responses are
 * rejected as not_html, "dns:" responses are skipped. warcinfo, request,
 * metadata, revisit, resource and any other type are skipped and counted.
 * Malformed: bytes that are not a record (a file starting mid-record), a
 * header without Content-Length or WARC-Type, a block cut short by the end of
 * input, a Content-Length that does not land on a record boundary. Each is
 * one malformed record at FILE@OFFSET (decompressed offset), and reading
 * resumes at the next line that starts with "WARC/".
 */
#include "reader.h"
#include "../core/buf.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct warc_head {
    const char *type, *id, *uri, *date, *ctype;
    size_t type_len;
    uint64_t clen;
    bool has_clen;
} warc_head;

static bool at_record_start(const char *p, size_t n) { return n >= 5 && memcmp(p, "WARC/", 5) == 0; }

static tamis_status skip_newlines(tms_reader *r)
{
    for (;;) {
        const char *p;
        size_t n, i = 0;
        TMS_TRY(tms_stream_peek(r->s, 64, &p, &n));
        while (i < n && (p[i] == '\r' || p[i] == '\n')) i++;
        tms_stream_consume(r->s, i);
        if (i < n || n == 0) return TAMIS_OK;
    }
}

/* Consumes bytes until a line starting with "WARC/" (or the end), keeping up
 * to max_doc_bytes of them as the malformed record's text. */
static tamis_status resync(tms_reader *r, tms_arena *a, tms_record *rec, uint64_t start, const char *why)
{
    tms_buf keep;
    tms_buf_init(&keep, r->o->max_doc_bytes);
    uint64_t total = 0;
    tamis_status st = TAMIS_OK;
    bool first = true;
    for (;;) {
        const char *p;
        size_t len;
        bool found;
        st = tms_stream_find(r->s, '\n', TMS_IO_CHUNK, &p, &len, &found);
        if (st != TAMIS_OK) break;
        if (!found && len == 0) break;
        if (!first && at_record_start(p, len)) break;
        first = false;
        size_t take = len + found;
        if (keep.len + take <= keep.max) st = tms_buf_add(&keep, p, take);
        if (st == TAMIS_E_NOMEM) break;
        st = TAMIS_OK;
        tms_stream_consume(r->s, take);
        total += take;
    }
    if (st == TAMIS_OK) {
        rec->kind = TMS_SRC_FRESH;
        rec->location = tms_location(a, r->path, TMS_FMT_WARC, start);
        rec->text = keep.len ? tms_arena_strndup(a, keep.data, keep.len) : "";
        rec->text_len = keep.len;
        if (!rec->location || !rec->text) st = TAMIS_E_NOMEM;
        else {
            rec->id = rec->location;
            rec->id_len = strlen(rec->location);
            rec->pos_key = tms_pos_key(r->file_index, start);
            rec->bytes_in = total;
            rec->reject = "malformed";
            tms_msg(r->m, TMS_MSG_ERROR, "%s: %s; skipped %llu bytes to the next record", rec->location, why,
                    (unsigned long long)total);
        }
    }
    tms_buf_free(&keep);
    if (st == TAMIS_OK && tms_stream_eof(r->s)) tms_reader_stream_end(r);
    return st;
}

static const char *trim_dup(tms_arena *a, const char *v, size_t n, bool strip_angle)
{
    while (n && (*v == ' ' || *v == '\t')) { v++; n--; }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r')) n--;
    if (strip_angle && n >= 2 && v[0] == '<' && v[n - 1] == '>') { v++; n -= 2; }
    return tms_arena_strndup(a, v, n);
}

/* Reads header lines up to the empty line. *ok is false when the header is
 * cut short or too long (the caller resyncs). */
static tamis_status read_head(tms_reader *r, tms_arena *a, warc_head *h, bool *ok, const char **why)
{
    size_t total = 0;
    bool first = true;
    *ok = false;
    for (;;) {
        const char *p;
        size_t len;
        bool found;
        TMS_TRY(tms_stream_find(r->s, '\n', TMS_MAX_WARC_HEADER_BYTES, &p, &len, &found));
        if (!found) { *why = len ? "WARC header too long or cut short" : "WARC header cut short by the end of input"; return TAMIS_OK; }
        total += len + 1;
        if (total > TMS_MAX_WARC_HEADER_BYTES) { *why = "WARC header too long"; return TAMIS_OK; }
        size_t n = len;
        if (n && p[n - 1] == '\r') n--;
        if (n == 0 && !first) { tms_stream_consume(r->s, len + 1); *ok = true; return TAMIS_OK; }
        if (!first && at_record_start(p, n)) { *why = "WARC header without its empty line"; return TAMIS_OK; }
        first = false;
        const char *colon = memchr(p, ':', n);
        if (colon) {
            size_t kn = (size_t)(colon - p);
            const char *v = colon + 1;
            size_t vn = n - kn - 1;
            if (kn == 9 && !strncasecmp(p, "WARC-Type", 9)) {
                h->type = trim_dup(a, v, vn, false);
                if (!h->type) return TAMIS_E_NOMEM;
                h->type_len = strlen(h->type);
            } else if (kn == 14 && !strncasecmp(p, "WARC-Record-ID", 14)) {
                if (!(h->id = trim_dup(a, v, vn, false))) return TAMIS_E_NOMEM;
            } else if (kn == 15 && !strncasecmp(p, "WARC-Target-URI", 15)) {
                if (!(h->uri = trim_dup(a, v, vn, true))) return TAMIS_E_NOMEM;
            } else if (kn == 9 && !strncasecmp(p, "WARC-Date", 9)) {
                if (!(h->date = trim_dup(a, v, vn, false))) return TAMIS_E_NOMEM;
            } else if (kn == 12 && !strncasecmp(p, "Content-Type", 12)) {
                if (!(h->ctype = trim_dup(a, v, vn, false))) return TAMIS_E_NOMEM;
            } else if (kn == 14 && !strncasecmp(p, "Content-Length", 14)) {
                char num[32];
                size_t i = 0;
                while (vn && (*v == ' ' || *v == '\t')) { v++; vn--; }
                while (i < vn && i < sizeof num - 1 && v[i] >= '0' && v[i] <= '9') { num[i] = v[i]; i++; }
                num[i] = 0;
                while (i < vn && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r')) i++;
                if (num[0] && i == vn && strlen(num) < 20) {
                    h->clen = strtoull(num, NULL, 10);
                    h->has_clen = true;
                }
            }
        }
        tms_stream_consume(r->s, len + 1);
    }
}

static bool is_type(const warc_head *h, const char *t) { return h->type && !strcasecmp(h->type, t); }

/* Finds the HTTP payload of a response block and its Content-Type and status. */
static void parse_http(tms_arena *a, const char *b, size_t n, tms_record *rec, const char **body, size_t *body_len)
{
    *body = b;
    *body_len = n;
    if (n < 5 || memcmp(b, "HTTP/", 5) != 0) return;
    size_t lim = n < TMS_MAX_HTTP_HEADER_BYTES ? n : TMS_MAX_HTTP_HEADER_BYTES;
    const char *sp = memchr(b, ' ', lim);
    if (sp && sp + 4 <= b + n) { /* atoi on a copy: the block is not NUL-terminated */
        char num[10];
        size_t k = (size_t)(b + n - (sp + 1)) < sizeof num - 1 ? (size_t)(b + n - (sp + 1)) : sizeof num - 1;
        memcpy(num, sp + 1, k);
        num[k] = 0;
        rec->http_status = atoi(num);
    }
    size_t i = 0;
    while (i < lim) {
        const char *nl = memchr(b + i, '\n', lim - i);
        if (!nl) return;
        size_t ll = (size_t)(nl - (b + i));
        const char *line = b + i;
        size_t l = ll && line[ll - 1] == '\r' ? ll - 1 : ll;
        i += ll + 1;
        if (l == 0) { *body = b + i; *body_len = n - i; return; }
        if (l > 13 && !strncasecmp(line, "Content-Type:", 13))
            rec->content_type = trim_dup(a, line + 13, l - 13, false);
    }
}

static bool looks_html(const char *ct, const char *body, size_t n)
{
    if (ct) return strcasestr(ct, "html") != NULL;
    size_t i = 0;
    while (i < n && i < 512 && isspace((unsigned char)body[i])) i++;
    return (n - i >= 9 && !strncasecmp(body + i, "<!doctype", 9)) || (n - i >= 5 && !strncasecmp(body + i, "<html", 5));
}

/* Skips n bytes of the stream without holding them. */
static tamis_status skip_bytes(tms_reader *r, uint64_t n, uint64_t *done)
{
    *done = 0;
    while (*done < n) {
        const char *p;
        size_t avail;
        uint64_t left = n - *done;
        TMS_TRY(tms_stream_peek(r->s, left < TMS_IO_CHUNK ? (size_t)left : TMS_IO_CHUNK, &p, &avail));
        if (avail == 0) return TAMIS_OK;
        size_t k = avail < left ? avail : (size_t)left;
        tms_stream_consume(r->s, k);
        *done += k;
    }
    return TAMIS_OK;
}

tamis_status tms_warc_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof)
{
    for (;;) {
        memset(rec, 0, sizeof *rec); /* a record skipped below must leave nothing behind */
        TMS_TRY(skip_newlines(r));
        const char *p;
        size_t n;
        TMS_TRY(tms_stream_peek(r->s, 8, &p, &n));
        if (n == 0) {
            tms_reader_stream_end(r);
            *eof = true;
            return TAMIS_OK;
        }
        uint64_t start = tms_stream_offset(r->s);
        if (!at_record_start(p, n))
            return resync(r, a, rec, start, "not a WARC record (input starts or continues mid-record)");
        warc_head h = {0};
        bool ok;
        const char *why = NULL;
        TMS_TRY(read_head(r, a, &h, &ok, &why));
        if (ok && !h.has_clen) { ok = false; why = "WARC record without a valid Content-Length"; }
        if (ok && !h.type) { ok = false; why = "WARC record without WARC-Type"; }
        if (!ok) {
            memset(rec, 0, sizeof *rec);
            return resync(r, a, rec, start, why);
        }
        bool doc = is_type(&h, "conversion") || is_type(&h, "response");
        if (is_type(&h, "response") && h.uri && !strncasecmp(h.uri, "dns:", 4)) doc = false;
        if (!doc && is_type(&h, "response")) { h.type = "dns"; h.type_len = 3; } /* counted as such below */

        rec->kind = TMS_SRC_FRESH;
        rec->location = tms_location(a, r->path, TMS_FMT_WARC, start);
        if (!rec->location) return TAMIS_E_NOMEM;
        rec->pos_key = tms_pos_key(r->file_index, start);
        rec->id = h.id ? h.id : rec->location;
        rec->id_len = strlen(rec->id);
        rec->url = h.uri;
        rec->warc_date = h.date;
        uint64_t head_len = tms_stream_offset(r->s) - start;

        if (h.clen > r->o->max_doc_bytes) {
            uint64_t done;
            TMS_TRY(skip_bytes(r, h.clen, &done));
            if (!doc) {
                tms_skip_count(r->skips, h.type, h.type_len);
                continue;
            }
            rec->bytes_in = head_len + done;
            rec->text = "";
            rec->reject = done < h.clen ? "malformed" : "too_large";
            tms_msg(r->m, TMS_MSG_ERROR, "%s: %s record of %llu bytes exceeds --max-doc-bytes %zu: rejected as %s",
                    rec->location, h.type, (unsigned long long)h.clen, r->o->max_doc_bytes, rec->reject);
            if (done < h.clen) tms_reader_stream_end(r);
            return TAMIS_OK;
        }
        size_t cl = (size_t)h.clen;
        TMS_TRY(tms_stream_peek(r->s, cl + 9, &p, &n));
        bool cut = n < cl;
        for (const char *q = p; cut && q < p + n;) { /* a record inside: the length lied, not the file */
            q = memchr(q, '\n', (size_t)(p + n - q));
            if (!q) break;
            q++;
            if (at_record_start(q, (size_t)(p + n - q))) cut = false;
        }
        if (cut) {
            /* cut short by the end of input (a truncated file or gzip member) */
            rec->text = tms_arena_strndup(a, p, n);
            if (!rec->text) return TAMIS_E_NOMEM;
            rec->text_len = n;
            rec->bytes_in = head_len + n;
            tms_stream_consume(r->s, n);
            if (!doc) {
                tms_msg(r->m, TMS_MSG_WARNING, "%s: %s record cut short (%zu of %zu bytes)", rec->location, h.type, n, cl);
                tms_skip_count(r->skips, h.type, h.type_len);
                tms_reader_stream_end(r);
                continue;
            }
            tms_msg(r->m, TMS_MSG_ERROR, "%s: record cut short: Content-Length %zu, %zu bytes before the end of input",
                    rec->location, cl, n);
            tms_reader_stream_end(r);
            rec->reject = "malformed";
            return TAMIS_OK;
        }
        /* the block must end on a record boundary */
        size_t i = cl;
        while (i < n && i < cl + 4 && (p[i] == '\r' || p[i] == '\n')) i++;
        bool boundary = n >= cl && (i == n || i == cl + 4 || at_record_start(p + i, n - i));
        if (!boundary) {
            /* Content-Length lies: find the real next record inside or after the block */
            const char *hit = NULL;
            size_t want = cl + 9, from = 0;
            for (;;) {
                for (const char *q = p + from; q < p + n;) {
                    q = memchr(q, '\n', (size_t)(p + n - q));
                    if (!q) break;
                    q++;
                    if (at_record_start(q, (size_t)(p + n - q))) { hit = q; break; }
                }
                if (hit || n < want || want > r->o->max_doc_bytes) break;
                from = n > 8 ? n - 8 : 0;
                want *= 2;
                TMS_TRY(tms_stream_peek(r->s, want, &p, &n));
            }
            size_t upto = hit ? (size_t)(hit - p) : n;
            size_t keep = upto < r->o->max_doc_bytes ? upto : r->o->max_doc_bytes; /* the search may pass the cap */
            rec->text = tms_arena_strndup(a, p, keep);
            if (!rec->text) return TAMIS_E_NOMEM;
            rec->text_len = keep;
            rec->bytes_in = head_len + upto;
            tms_stream_consume(r->s, upto);
            tms_msg(r->m, TMS_MSG_ERROR, "%s: Content-Length %zu does not end on a record boundary", rec->location, cl);
            if (!doc) {
                tms_skip_count(r->skips, h.type, h.type_len);
                continue;
            }
            rec->reject = "malformed";
            return TAMIS_OK;
        }
        if (!doc) {
            tms_stream_consume(r->s, cl);
            tms_skip_count(r->skips, h.type, h.type_len);
            continue;
        }
        rec->bytes_in = head_len + cl;
        const char *body = p;
        size_t body_len = cl;
        if (is_type(&h, "response")) {
            if (!h.ctype || strcasestr(h.ctype, "application/http")) parse_http(a, p, cl, rec, &body, &body_len);
            else rec->content_type = h.ctype;
            if (!looks_html(rec->content_type, body, body_len)) {
                tms_stream_consume(r->s, cl);
                rec->text = "";
                rec->reject = "not_html";
                return TAMIS_OK;
            }
            rec->is_html = true;
        }
        char *t = tms_arena_strndup(a, body, body_len);
        if (!t) return TAMIS_E_NOMEM;
        tms_stream_consume(r->s, cl);
        rec->text = t;
        rec->text_len = body_len;
        return TAMIS_OK;
    }
}
