/* record_out.c -- JSON line writer for documents. */
#include "record_out.h"
#include "../core/json.h"
#include "../core/utf8.h"
#include <string.h>

static tamis_status put_key(tms_buf *b, const char *k)
{
    TMS_TRY(tms_buf_addc(b, '"'));
    TMS_TRY(tms_buf_adds(b, k));
    return tms_buf_add(b, "\":", 2);
}

static tamis_status put_kvs(tms_buf *b, const tms_kv *kv, size_t n, bool comma, uint64_t *rep)
{
    for (size_t i = 0; i < n; i++) {
        if (!kv[i].val) continue; /* a removal */
        if (comma) TMS_TRY(tms_buf_addc(b, ','));
        comma = true;
        TMS_TRY(put_key(b, kv[i].key));
        if (kv[i].raw) TMS_TRY(tms_buf_add(b, kv[i].val, kv[i].len));
        else TMS_TRY(tms_json_put_string(b, kv[i].val, kv[i].len, rep));
    }
    return TAMIS_OK;
}

/* raw bytes from the input, made valid UTF-8 */
static tamis_status put_raw(tms_buf *b, const char *p, size_t n, uint64_t *rep)
{
    if (tms_utf8_valid_prefix(p, n) == n) return tms_buf_add(b, p, n);
    return tms_utf8_append_repaired(b, p, n, rep);
}

static bool overridden(const tms_json_member *m, const tms_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tms_json_key_is(m, kv[i].key)) return true;
    return false;
}

static tamis_status put_metadata(tms_buf *b, tms_arena *a, const tms_json_member *meta, const tms_kv *kv, size_t nkv,
                                 uint64_t *rep)
{
    if (!nkv) return put_raw(b, meta->val, meta->val_len, rep);
    tms_json_object obj;
    tms_json_error err;
    TMS_TRY(tms_json_scan_object(meta->val, meta->val_len, 1 << 20, a, &obj, &err));
    TMS_TRY(tms_buf_addc(b, '{'));
    bool comma = false;
    for (size_t i = 0; i < obj.n; i++) {
        if (overridden(&obj.m[i], kv, nkv)) continue;
        if (comma) TMS_TRY(tms_buf_addc(b, ','));
        TMS_TRY(tms_buf_addc(b, '"'));
        TMS_TRY(put_raw(b, obj.m[i].key, obj.m[i].key_len, rep));
        TMS_TRY(tms_buf_add(b, "\":", 2));
        TMS_TRY(put_raw(b, obj.m[i].val, obj.m[i].val_len, rep));
        comma = true;
    }
    TMS_TRY(put_kvs(b, kv, nkv, comma, rep));
    return tms_buf_addc(b, '}');
}

/* the text as a JSON string: text known to be valid UTF-8 is copied without checking */
static tamis_status put_text(tms_buf *b, const char *text, size_t len, bool text_valid, uint64_t *rep)
{
    return text_valid ? tms_json_put_string_utf8(b, text, len) : tms_json_put_string(b, text, len, rep);
}

static tamis_status write_record(tms_buf *b, tms_arena *a, const tms_record *rec, const char *text, size_t len,
                                bool text_valid, const tms_out_fields *f, const tms_kv *kv, size_t nkv, uint64_t *rep)
{
    TMS_TRY(tms_buf_addc(b, '{'));
    if (rec->kind != TMS_SRC_JSON) {
        TMS_TRY(put_key(b, f->id_field));
        TMS_TRY(tms_json_put_string(b, rec->id, rec->id_len, rep));
        TMS_TRY(tms_buf_addc(b, ','));
        TMS_TRY(put_key(b, f->text_field));
        TMS_TRY(put_text(b, text, len, text_valid, rep));
        TMS_TRY(tms_buf_add(b, ",\"metadata\":{", 13));
        TMS_TRY(put_kvs(b, kv, nkv, false, rep));
        return tms_buf_add(b, "}}\n", 3);
    }
    bool comma = false;
    /* an --html-field page rejected before its text was extracted: the HTML is in its own field already */
    bool still_html = rec->html_m && text == rec->text;
    if (!tms_json_get(&rec->obj, f->id_field)) { /* generated id comes first */
        TMS_TRY(put_key(b, f->id_field));
        TMS_TRY(tms_json_put_string(b, rec->id, rec->id_len, rep));
        comma = true;
    }
    for (size_t i = 0; i < rec->obj.n; i++) {
        const tms_json_member *m = &rec->obj.m[i];
        if (m != rec->meta_m && tms_json_key_is(m, "metadata")) continue; /* not an object: replaced */
        if (comma) TMS_TRY(tms_buf_addc(b, ','));
        comma = true;
        TMS_TRY(tms_buf_addc(b, '"'));
        TMS_TRY(put_raw(b, m->key, m->key_len, rep));
        TMS_TRY(tms_buf_add(b, "\":", 2));
        if (m == rec->text_m && !still_html) TMS_TRY(put_text(b, text, len, text_valid, rep));
        else if (m == rec->meta_m) TMS_TRY(put_metadata(b, a, m, kv, nkv, rep));
        else TMS_TRY(put_raw(b, m->val, m->val_len, rep));
    }
    if (rec->html_m && !rec->text_m && !still_html) { /* --html-field: the extracted text, in a text field of its own */
        if (comma) TMS_TRY(tms_buf_addc(b, ','));
        comma = true;
        TMS_TRY(put_key(b, f->text_field));
        TMS_TRY(put_text(b, text, len, text_valid, rep));
    }
    if (!rec->meta_m) {
        if (comma) TMS_TRY(tms_buf_addc(b, ','));
        TMS_TRY(tms_buf_add(b, "\"metadata\":{", 12));
        TMS_TRY(put_kvs(b, kv, nkv, false, rep));
        TMS_TRY(tms_buf_addc(b, '}'));
    }
    return tms_buf_add(b, "}\n", 2);
}

tamis_status tms_write_record(tms_buf *b, tms_arena *a, const tms_record *rec, const char *text, size_t len,
                              const tms_out_fields *f, const tms_kv *kv, size_t nkv, uint64_t *rep)
{
    return write_record(b, a, rec, text, len, false, f, kv, nkv, rep);
}

tamis_status tms_write_record_valid_text(tms_buf *b, tms_arena *a, const tms_record *rec, const char *text,
                                         size_t len, const tms_out_fields *f, const tms_kv *kv, size_t nkv,
                                         uint64_t *rep)
{
    return write_record(b, a, rec, text, len, true, f, kv, nkv, rep);
}
