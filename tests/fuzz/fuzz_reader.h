/* fuzz_reader.h -- the body of fuzz_jsonl and fuzz_warc: reads every record
 * of the input with the format forced, checks what a reader promises about a
 * record (record.h, reader.h), writes each record with the JSON-lines writer
 * as the pipeline does, and checks the line is one valid JSON object that
 * keeps the input's fields and carries the metadata it was given (and that
 * the valid-UTF-8 writer variant writes the same line).
 *
 * The input is read twice: once with the usual caps (1 MiB documents, JSON
 * depth 64) and once with small caps derived from the input size, so the
 * too_large and "nesting too deep" paths run on ordinary-sized inputs. */
#ifndef TMS_FUZZ_READER_H
#define TMS_FUZZ_READER_H
#include "fuzz_common.h"
#include "core/json.h"
#include "core/utf8.h"
#include "read/reader.h"
#include "write/record_out.h"
#include <stdlib.h>

#define FZ_PATH "fuzz.in"
#define FZ_MAX_DECODED ((uint64_t)2 << 20) /* stop reading a decompression bomb here (2 x the 1 MiB cap) */

static bool fz_utf8(const char *p, size_t n) { return tms_utf8_valid_prefix(p, n) == n; }

/* Decodes a JSON string member value and compares it with want[0..n). */
static void fz_check_string(tms_arena *a, const tms_json_member *m, const char *want, size_t n)
{
    CHECK(m && m->val_len >= 2 && m->val[0] == '"');
    const char *d;
    size_t dn;
    CHECK(tms_json_decode_string(m->val, m->val_len, a, &d, &dn) == TAMIS_OK);
    if (fz_utf8(want, n)) CHECK(dn == n && memcmp(d, want, n) == 0);
    else CHECK(fz_utf8(d, dn)); /* repaired: invalid bytes became U+FFFD */
}

static size_t fz_count_key(const tms_json_object *o, const char *key)
{
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) k += tms_json_key_is(&o->m[i], key);
    return k;
}

/* What must hold for every record a reader yields. `delta` is how far the
 * stream moved during the call that produced it. */
static void fz_check_record(const tms_record *rec, tms_format fmt, const tms_read_opts *o, uint64_t before,
                            uint64_t delta, tms_arena *a)
{
    CHECK(rec->text != NULL);
    fz_touch(rec->text, rec->text_len);
    CHECK(rec->text_len <= o->max_doc_bytes);
    CHECK(rec->text_len <= rec->bytes_in);
    CHECK(rec->bytes_in <= delta);
    CHECK(rec->location != NULL);
    fz_touch(rec->location, strlen(rec->location));
    CHECK(rec->id != NULL);
    fz_touch(rec->id, rec->id_len);
    if (rec->url) fz_touch(rec->url, strlen(rec->url));
    if (rec->warc_date) fz_touch(rec->warc_date, strlen(rec->warc_date));
    if (rec->content_type) fz_touch(rec->content_type, strlen(rec->content_type));
    CHECK(rec->reject == NULL || !strcmp(rec->reject, "malformed") || !strcmp(rec->reject, "too_large") ||
          !strcmp(rec->reject, "not_html"));
    CHECK(rec->kind == TMS_SRC_JSON || rec->kind == TMS_SRC_FRESH);

    if (fmt == TMS_FMT_JSONL) {
        CHECK(rec->url == NULL && rec->warc_date == NULL && rec->content_type == NULL);
        CHECK(!rec->is_html && rec->http_status == 0);
        CHECK(rec->reject == NULL || strcmp(rec->reject, "not_html") != 0);
        /* location is FILE:LINE and pos_key packs the same line */
        const char *colon = strrchr(rec->location, ':');
        CHECK(colon && (size_t)(colon - rec->location) == strlen(FZ_PATH));
        CHECK(strtoull(colon + 1, NULL, 10) == rec->pos_key);
    } else {
        CHECK(rec->kind == TMS_SRC_FRESH);
        CHECK(!rec->is_html || rec->reject == NULL);
        /* location is FILE@OFFSET, an offset inside what this call consumed */
        const char *at = strrchr(rec->location, '@');
        CHECK(at && (size_t)(at - rec->location) == strlen(FZ_PATH));
        uint64_t off = strtoull(at + 1, NULL, 10);
        CHECK(off == rec->pos_key);
        CHECK(off >= before && off < before + delta);
    }

    if (rec->kind == TMS_SRC_JSON) {
        CHECK(rec->raw != NULL && rec->raw_len <= rec->bytes_in);
        fz_touch(rec->raw, rec->raw_len);
        /* the members recorded are spans of raw */
        for (size_t i = 0; i < rec->obj.n; i++) {
            const tms_json_member *m = &rec->obj.m[i];
            CHECK(m->key >= rec->raw && m->key + m->key_len <= rec->raw + rec->raw_len);
            CHECK(m->val >= rec->raw && m->val_len > 0 && m->val + m->val_len <= rec->raw + rec->raw_len);
        }
        CHECK(rec->text_m == NULL || (rec->text_m >= rec->obj.m && rec->text_m < rec->obj.m + rec->obj.n));
        CHECK(rec->meta_m == NULL || (rec->meta_m >= rec->obj.m && rec->meta_m < rec->obj.m + rec->obj.n));
        if (rec->text_m) CHECK(rec->text_m->val[0] == '"' && tms_json_key_is(rec->text_m, o->text_field));
        if (rec->meta_m) CHECK(rec->meta_m->val[0] == '{' && tms_json_key_is(rec->meta_m, "metadata"));
        if (!rec->reject) CHECK(rec->text_m != NULL);
        /* the raw object rescans the same way */
        tms_json_object again;
        tms_json_error err;
        CHECK(tms_json_scan_object(rec->raw, rec->raw_len, o->max_json_depth, a, &again, &err) == TAMIS_OK);
        CHECK(again.n == rec->obj.n);
    }
}

/* Writes the record as the pipeline does and checks the line. */
static void fz_check_write(const tms_record *rec, const tms_read_opts *o, tms_arena *a, tms_buf *out)
{
    tms_kv kv[8];
    size_t nkv = 0;
    char status[16];
    if (rec->reject) {
        kv[nkv++] = (tms_kv){"filter_reason", rec->reject, strlen(rec->reject), false};
        kv[nkv++] = (tms_kv){"stage", "read", 4, false};
        kv[nkv++] = (tms_kv){"location", rec->location, strlen(rec->location), false};
    }
    if (rec->url) kv[nkv++] = (tms_kv){"url", rec->url, strlen(rec->url), false};
    if (rec->warc_date) kv[nkv++] = (tms_kv){"warc_date", rec->warc_date, strlen(rec->warc_date), false};
    if (rec->content_type) kv[nkv++] = (tms_kv){"content_type", rec->content_type, strlen(rec->content_type), false};
    if (rec->http_status) {
        int k = snprintf(status, sizeof status, "%d", rec->http_status);
        kv[nkv++] = (tms_kv){"http_status", status, (size_t)k, true};
    }
    tms_out_fields f = {o->text_field, o->id_field};
    uint64_t repaired = 0;
    tms_buf_reset(out);
    CHECK(tms_write_record(out, a, rec, rec->text, rec->text_len, &f, kv, nkv, &repaired) == TAMIS_OK);

    /* one line, valid UTF-8, one JSON object */
    const char *line = out->data;
    size_t n = out->len;
    if (fz_utf8(rec->text, rec->text_len)) {
        /* the writer for text known to be valid UTF-8 writes the very same line */
        tms_buf same;
        tms_buf_init(&same, out->max);
        CHECK(tms_write_record_valid_text(&same, a, rec, rec->text, rec->text_len, &f, kv, nkv, NULL) == TAMIS_OK);
        CHECK(same.len == n && memcmp(same.data, line, n) == 0);
        tms_buf_free(&same);
    }
    CHECK(n >= 3 && line[n - 1] == '\n');
    CHECK(memchr(line, '\n', n - 1) == NULL);
    CHECK(fz_utf8(line, n));
    tms_json_object obj;
    tms_json_error err;
    int depth = o->max_json_depth > 2 ? o->max_json_depth : 2;
    CHECK(tms_json_scan_object(line, n - 1, depth, a, &obj, &err) == TAMIS_OK);

    /* exactly one "metadata", an object holding each key given exactly once */
    CHECK(fz_count_key(&obj, "metadata") == 1);
    const tms_json_member *meta = tms_json_get(&obj, "metadata");
    CHECK(meta && meta->val[0] == '{');
    tms_json_object mobj;
    CHECK(tms_json_scan_object(meta->val, meta->val_len, depth, a, &mobj, &err) == TAMIS_OK);
    for (size_t i = 0; i < nkv; i++) {
        CHECK(fz_count_key(&mobj, kv[i].key) == 1);
        const tms_json_member *m = tms_json_get(&mobj, kv[i].key);
        if (kv[i].raw) CHECK(m->val_len == kv[i].len && memcmp(m->val, kv[i].val, kv[i].len) == 0);
        else fz_check_string(a, m, kv[i].val, kv[i].len);
    }

    if (rec->kind == TMS_SRC_FRESH) {
        CHECK(obj.n == 3);
        CHECK(tms_json_key_is(&obj.m[0], o->id_field) && tms_json_key_is(&obj.m[1], o->text_field));
        fz_check_string(a, &obj.m[0], rec->id, rec->id_len);
        fz_check_string(a, &obj.m[1], rec->text, rec->text_len);
        return;
    }
    /* JSON input: every member keeps its place and (valid UTF-8) bytes; the
     * text is replaced, non-object "metadata" members dropped, a generated id
     * put first when there was none, and "metadata" appended when absent */
    bool gen_id = tms_json_get(&rec->obj, o->id_field) == NULL;
    size_t j = 0;
    if (gen_id) {
        CHECK(obj.n > 0 && tms_json_key_is(&obj.m[0], o->id_field));
        fz_check_string(a, &obj.m[0], rec->id, rec->id_len);
        j = 1;
    }
    for (size_t i = 0; i < rec->obj.n; i++) {
        const tms_json_member *in = &rec->obj.m[i];
        if (in != rec->meta_m && tms_json_key_is(in, "metadata")) continue;
        CHECK(j < obj.n);
        const tms_json_member *got = &obj.m[j++];
        if (fz_utf8(in->key, in->key_len))
            CHECK(got->key_len == in->key_len && memcmp(got->key, in->key, in->key_len) == 0);
        if (in == rec->text_m) fz_check_string(a, got, rec->text, rec->text_len);
        else if (in == rec->meta_m) CHECK(got == meta);
        else if (fz_utf8(in->val, in->val_len))
            CHECK(got->val_len == in->val_len && memcmp(got->val, in->val, in->val_len) == 0);
    }
    if (!rec->meta_m) {
        CHECK(j < obj.n && &obj.m[j] == meta);
        j++;
    }
    CHECK(j == obj.n);
}

static void fz_read_all(const uint8_t *data, size_t size, tms_format fmt, size_t max_doc, int depth)
{
    tms_stream *s;
    CHECK(tms_stream_open_mem(&s, data, size) == TAMIS_OK);
    tms_read_opts o = {.text_field = "text", .id_field = "id", .max_doc_bytes = max_doc, .max_json_depth = depth,
                       .format = fmt};
    tms_msgs msgs = {NULL, NULL};
    tms_skip_counts skips;
    memset(&skips, 0, sizeof skips);
    tms_reader *r;
    CHECK(tms_reader_open(&r, s, FZ_PATH, FZ_PATH, 0, &o, &msgs, &skips) == TAMIS_OK);
    CHECK(r->format == fmt);
    tms_arena a;
    tms_arena_init(&a, 1 << 16);
    tms_buf out;
    tms_buf_init(&out, (size_t)256 << 20);
    uint64_t prev_key = 0;
    size_t nrec = 0;
    bool eof = false;
    tms_record rec;
    for (;;) {
        tms_arena_reset(&a);
        uint64_t before = tms_stream_offset(r->s);
        CHECK(tms_reader_next(r, &a, &rec, &eof) == TAMIS_OK);
        uint64_t after = tms_stream_offset(r->s);
        CHECK(after >= before);
        if (eof) break;
        CHECK(after > before); /* every record consumes input: no endless loop */
        if (tms_stream_codec(r->s) == TMS_CODEC_NONE) CHECK(after <= size);
        CHECK(nrec == 0 || rec.pos_key > prev_key); /* lines and offsets only grow */
        prev_key = rec.pos_key;
        nrec++;
        fz_check_record(&rec, fmt, &o, before, after - before, &a);
        fz_check_write(&rec, &o, &a, &out);
        if (after > FZ_MAX_DECODED) break;
    }
    if (eof) {
        /* the end is stable: more calls keep saying eof and read nothing */
        uint64_t end = tms_stream_offset(r->s);
        CHECK(tms_stream_eof(r->s));
        if (tms_stream_codec(r->s) == TMS_CODEC_NONE) CHECK(end == size);
        for (int k = 0; k < 2; k++) {
            CHECK(tms_reader_next(r, &a, &rec, &eof) == TAMIS_OK);
            CHECK(eof && tms_stream_offset(r->s) == end);
        }
    }
    CHECK(skips.used <= TMS_SKIP_TYPES_MAX);
    for (size_t i = 0; i < skips.used; i++) CHECK(strlen(skips.type[i]) < sizeof skips.type[i] && skips.n[i] > 0);
    tms_buf_free(&out);
    tms_arena_destroy(&a);
    tms_reader_free(r);
}

static void fz_reader_target(const uint8_t *data, size_t size, tms_format fmt)
{
    fz_read_all(data, size, fmt, (size_t)1 << 20, 64);
    fz_read_all(data, size, fmt, 1 + size / 3, 1 + (int)(size % 5));
}
#endif
