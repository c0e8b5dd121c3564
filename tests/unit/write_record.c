/* write_record.c -- unit tests for src/write/record_out.c: JSON input written
 * back with its other fields untouched, the text replaced and metadata
 * merged; fresh {"id","text","metadata"} records; every line valid JSON. */
#include "harness.h"
#include "core/alloc.h"
#include "write/record_out.h"

static tms_arena A;
static const tms_out_fields F = {"text", "id"};

/* a record as the JSONL reader makes it from `line` (line number 3 of f.jsonl) */
static tms_record json_rec(const char *line, const tms_out_fields *f)
{
    tms_record r;
    memset(&r, 0, sizeof r);
    r.kind = TMS_SRC_JSON;
    r.raw = line;
    r.raw_len = strlen(line);
    tms_json_error e;
    if (tms_json_scan_object(line, r.raw_len, 64, &A, &r.obj, &e) != TAMIS_OK) abort();
    r.text_m = tms_json_get(&r.obj, f->text_field);
    if (r.text_m && r.text_m->val[0] != '"') r.text_m = NULL;
    r.meta_m = tms_json_get(&r.obj, "metadata");
    if (r.meta_m && r.meta_m->val[0] != '{') r.meta_m = NULL;
    r.id = "f.jsonl:3";
    r.id_len = 9;
    r.location = "f.jsonl:3";
    return r;
}

/* checks that out is one line of valid JSON whose text field decodes to text */
static int valid_line(const char *out, size_t n, const char *field, const char *text, size_t tlen)
{
    if (n == 0 || out[n - 1] != '\n' || memchr(out, '\n', n - 1)) {
        fprintf(stderr, "    not one line\n");
        return 0;
    }
    tms_json_object o;
    tms_json_error e;
    if (tms_json_scan_object(out, n - 1, 64, &A, &o, &e) != TAMIS_OK) {
        fprintf(stderr, "    invalid JSON: %s at %zu\n", e.msg, e.offset);
        return 0;
    }
    const tms_json_member *t = tms_json_get(&o, field);
    if (!t || t->val[0] != '"') { fprintf(stderr, "    no text\n"); return 0; }
    const char *d;
    size_t dl;
    if (tms_json_decode_string(t->val, t->val_len, &A, &d, &dl) != TAMIS_OK) return 0;
    if (dl != tlen || memcmp(d, text, tlen) != 0) { fprintf(stderr, "    text differs\n"); return 0; }
    return 1;
}

/* writes rec with text and kv; compares with want (without the newline) */
static int writes(const tms_record *rec, const char *text, size_t tlen, const tms_kv *kv, size_t nkv,
                  const tms_out_fields *f, const char *want, uint64_t want_rep)
{
    tms_buf b;
    tms_buf_init(&b, 1 << 20);
    uint64_t rep = 0;
    tamis_status st = tms_write_record(&b, &A, rec, text, tlen, f, kv, nkv, &rep);
    int ok = st == TAMIS_OK;
    size_t wl = strlen(want);
    ok = ok && b.len == wl + 1 && !memcmp(b.data, want, wl) && b.data[wl] == '\n' && rep == want_rep;
    if (!ok) fprintf(stderr, "    st %d, repaired %llu, wrote:\n    %.*s\n    want:\n    %s\n", st,
                     (unsigned long long)rep, (int)b.len, b.data ? b.data : "", want);
    /* the text in the output is valid UTF-8 even when the text given is not */
    if (ok && want_rep == 0) ok = valid_line(b.data, b.len, f->text_field, text, tlen);
    else if (ok) {
        tms_json_object o;
        tms_json_error e;
        ok = tms_json_scan_object(b.data, b.len - 1, 64, &A, &o, &e) == TAMIS_OK;
    }
    tms_buf_free(&b);
    return ok;
}

static const tms_kv KV2[] = {
    {"filter_reason", "exact_duplicate", 15, false},
    {"stage", "exact_dedup", 11, false},
};

TEST(json_round_trip_metadata_merged)
{
    tms_record r = json_rec("{\"url\":\"http://x/\", \"text\" : \"old \\u00e9\",\"n\":[1, 2,{\"a\":null}],"
                            "\"metadata\":{\"src\":\"cc\",\"stage\":\"old\",\"deep\":{\"x\":[1]},\"filter_reason\":\"x\"},"
                            "\"z\":true}", &F);
    CHECK(writes(&r, "new text\n", 9, KV2, 2, &F,
                 "{\"id\":\"f.jsonl:3\",\"url\":\"http://x/\",\"text\":\"new text\\n\",\"n\":[1, 2,{\"a\":null}],"
                 "\"metadata\":{\"src\":\"cc\",\"deep\":{\"x\":[1]},\"filter_reason\":\"exact_duplicate\","
                 "\"stage\":\"exact_dedup\"},\"z\":true}",
                 0));
}

TEST(json_existing_id_kept)
{
    tms_record r = json_rec("{\"text\":\"t\",\"id\":7}", &F);
    CHECK(writes(&r, "T", 1, NULL, 0, &F, "{\"text\":\"T\",\"id\":7,\"metadata\":{}}", 0));
    r = json_rec("{\"id\":\"given\",\"text\":\"t\"}", &F);
    CHECK(writes(&r, "T", 1, KV2, 1, &F,
                 "{\"id\":\"given\",\"text\":\"T\",\"metadata\":{\"filter_reason\":\"exact_duplicate\"}}", 0));
    /* a null id is the input's: written as it was, not replaced */
    r = json_rec("{\"id\":null,\"text\":\"t\"}", &F);
    CHECK(writes(&r, "t", 1, NULL, 0, &F, "{\"id\":null,\"text\":\"t\",\"metadata\":{}}", 0));
}

TEST(json_metadata_created_or_replaced)
{
    tms_record r = json_rec("{\"text\":\"a\",\"b\":1}", &F);
    CHECK(writes(&r, "A", 1, KV2 + 1, 1, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"A\",\"b\":1,\"metadata\":{\"stage\":\"exact_dedup\"}}", 0));
    /* not an object: dropped from its place, a new one at the end */
    r = json_rec("{\"metadata\":\"a string\",\"text\":\"a\",\"x\":[]}", &F);
    CHECK(r.meta_m == NULL);
    CHECK(writes(&r, "a", 1, KV2 + 1, 1, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"a\",\"x\":[],\"metadata\":{\"stage\":\"exact_dedup\"}}", 0));
    r = json_rec("{\"text\":\"a\",\"metadata\":null}", &F);
    CHECK(writes(&r, "a", 1, NULL, 0, &F, "{\"id\":\"f.jsonl:3\",\"text\":\"a\",\"metadata\":{}}", 0));
    /* two metadata members: the last one counts, the first is dropped */
    r = json_rec("{\"metadata\":{\"a\":1},\"text\":\"t\",\"metadata\":{\"b\":2}}", &F);
    CHECK(writes(&r, "t", 1, KV2 + 1, 1, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"t\",\"metadata\":{\"b\":2,\"stage\":\"exact_dedup\"}}", 0));
    /* an object metadata without keys to add is copied as it was */
    r = json_rec("{\"text\":\"t\",\"metadata\":{ \"a\" : [1, 2] }}", &F);
    CHECK(writes(&r, "t", 1, NULL, 0, &F, "{\"id\":\"f.jsonl:3\",\"text\":\"t\",\"metadata\":{ \"a\" : [1, 2] }}", 0));
    r = json_rec("{\"text\":\"t\",\"metadata\":{}}", &F);
    CHECK(writes(&r, "t", 1, KV2, 2, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"t\",\"metadata\":{\"filter_reason\":\"exact_duplicate\","
                 "\"stage\":\"exact_dedup\"}}", 0));
}

TEST(kv_raw_and_removal)
{
    const tms_kv kv[] = {
        {"http_status", "200", 3, true},
        {"explain", NULL, 0, false},            /* remove it if the input has it */
        {"explain2", "{\"a\":[1]}", 9, true},
        {"q", "say \"hi\"\n", 9, false},
    };
    tms_record r = json_rec("{\"text\":\"t\",\"metadata\":{\"explain\":{\"old\":1},\"keep\":1,\"http_status\":404}}", &F);
    CHECK(writes(&r, "t", 1, kv, 4, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"t\",\"metadata\":{\"keep\":1,\"http_status\":200,"
                 "\"explain2\":{\"a\":[1]},\"q\":\"say \\\"hi\\\"\\n\"}}", 0));
    /* only removals: an empty object, no stray comma */
    r = json_rec("{\"text\":\"t\",\"metadata\":{\"explain\":1}}", &F);
    CHECK(writes(&r, "t", 1, kv + 1, 1, &F, "{\"id\":\"f.jsonl:3\",\"text\":\"t\",\"metadata\":{}}", 0));
    tms_record fr;
    memset(&fr, 0, sizeof fr);
    fr.kind = TMS_SRC_FRESH;
    fr.id = "x";
    fr.id_len = 1;
    CHECK(writes(&fr, "t", 1, kv + 1, 2, &F, "{\"id\":\"x\",\"text\":\"t\",\"metadata\":{\"explain2\":{\"a\":[1]}}}", 0));
}

TEST(text_escaping_and_repair)
{
    tms_record r = json_rec("{\"text\":\"old\"}", &F);
    const char t[] = "q\"b\\s\x01\x7f\ttab\xc3\xa9";
    CHECK(writes(&r, t, sizeof t - 1, NULL, 0, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"q\\\"b\\\\s\\u0001\\u007f\\ttab\xc3\xa9\",\"metadata\":{}}", 0));
    /* invalid UTF-8 in the text, and in other fields kept from the input */
    r = json_rec("{\"text\":\"old\",\"other\":\"b\xff\",\"m\\u00e9\xfe\":1}", &F);
    CHECK(writes(&r, "x\xc0y", 3, NULL, 0, &F,
                 "{\"id\":\"f.jsonl:3\",\"text\":\"x\xef\xbf\xbdy\",\"other\":\"b\xef\xbf\xbd\",\"m\\u00e9\xef\xbf\xbd\":1,"
                 "\"metadata\":{}}", 3));
    /* a key written with escapes keeps its bytes */
    r = json_rec("{\"te\\u0078t\":\"old\",\"a\":1}", &F);
    CHECK(r.text_m != NULL);
    CHECK(writes(&r, "new", 3, NULL, 0, &F, "{\"id\":\"f.jsonl:3\",\"te\\u0078t\":\"new\",\"a\":1,\"metadata\":{}}", 0));
}

TEST(json_without_usable_text)
{
    /* a malformed record (text missing or not a string) is written back whole */
    tms_record r = json_rec("{\"title\":\"t\",\"text\":5}", &F);
    CHECK(r.text_m == NULL);
    tms_buf b;
    tms_buf_init(&b, 4096);
    CHECK(tms_write_record(&b, &A, &r, "", 0, &F, KV2, 1, NULL) == TAMIS_OK);
    const char *want = "{\"id\":\"f.jsonl:3\",\"title\":\"t\",\"text\":5,\"metadata\":{\"filter_reason\":\"exact_duplicate\"}}\n";
    CHECK(b.len == strlen(want) && !memcmp(b.data, want, b.len));
    tms_buf_free(&b);
}

TEST(custom_fields)
{
    const tms_out_fields f = {"content", "doc_id"};
    tms_record r = json_rec("{\"text\":\"not me\",\"content\":\"old\"}", &f);
    CHECK(writes(&r, "new", 3, NULL, 0, &f,
                 "{\"doc_id\":\"f.jsonl:3\",\"text\":\"not me\",\"content\":\"new\",\"metadata\":{}}", 0));
    tms_record fr;
    memset(&fr, 0, sizeof fr);
    fr.kind = TMS_SRC_FRESH;
    fr.id = "a/b.txt";
    fr.id_len = 7;
    CHECK(writes(&fr, "body", 4, NULL, 0, &f, "{\"doc_id\":\"a/b.txt\",\"content\":\"body\",\"metadata\":{}}", 0));
}

TEST(fresh_records)
{
    tms_record r;
    memset(&r, 0, sizeof r);
    r.kind = TMS_SRC_FRESH;
    r.id = "<urn:uuid:1>";
    r.id_len = 12;
    const tms_kv kv[] = {
        {"url", "http://a/\"q\"", 12, false},
        {"warc_date", "2024-01-01T00:00:00Z", 20, false},
        {"http_status", "200", 3, true},
    };
    CHECK(writes(&r, "line one\nline two", 17, kv, 3, &F,
                 "{\"id\":\"<urn:uuid:1>\",\"text\":\"line one\\nline two\",\"metadata\":{\"url\":\"http://a/\\\"q\\\"\","
                 "\"warc_date\":\"2024-01-01T00:00:00Z\",\"http_status\":200}}", 0));
    CHECK(writes(&r, "", 0, NULL, 0, &F, "{\"id\":\"<urn:uuid:1>\",\"text\":\"\",\"metadata\":{}}", 0));
    /* an id with bytes that need escaping or repair */
    r.id = "a\"b\n\xff";
    r.id_len = 5;
    CHECK(writes(&r, "t", 1, NULL, 0, &F, "{\"id\":\"a\\\"b\\n\xef\xbf\xbd\",\"text\":\"t\",\"metadata\":{}}", 1));
}

TEST(appends_and_caps)
{
    /* lines are appended to what the buffer holds */
    tms_buf b;
    tms_buf_init(&b, 1 << 16);
    tms_record r = json_rec("{\"text\":\"a\"}", &F);
    for (int i = 0; i < 3; i++) CHECK(tms_write_record(&b, &A, &r, "x", 1, &F, NULL, 0, NULL) == TAMIS_OK);
    const char *line = "{\"id\":\"f.jsonl:3\",\"text\":\"x\",\"metadata\":{}}\n";
    CHECK(b.len == 3 * strlen(line) && !memcmp(b.data + 2 * strlen(line), line, strlen(line)));
    tms_buf_free(&b);
    /* a buffer too small fails with TOO_BIG */
    tms_buf_init(&b, 20);
    CHECK(tms_write_record(&b, &A, &r, "x", 1, &F, NULL, 0, NULL) == TAMIS_E_TOO_BIG);
    tms_buf_free(&b);
    /* out of memory anywhere: NOMEM, no crash, no leak */
    tms_record m = json_rec("{\"text\":\"a\",\"metadata\":{\"k\":1}}", &F);
    int saw_ok = 0;
    for (uint64_t k = 1; k < 10; k++) {
        tms_arena a2;
        tms_arena_init(&a2, 256);
        tms_buf_init(&b, 1 << 16);
        tms_alloc_fail_at(k);
        tamis_status st = tms_write_record(&b, &a2, &m, "x", 1, &F, KV2, 2, NULL);
        tms_alloc_fail_at(0);
        CHECK(st == TAMIS_OK || st == TAMIS_E_NOMEM);
        saw_ok |= st == TAMIS_OK;
        tms_buf_free(&b);
        tms_arena_destroy(&a2);
    }
    CHECK(saw_ok);
}

int main(void)
{
    tms_arena_init(&A, 1 << 16);
    RUN(json_round_trip_metadata_merged);
    RUN(json_existing_id_kept);
    RUN(json_metadata_created_or_replaced);
    RUN(kv_raw_and_removal);
    RUN(text_escaping_and_repair);
    RUN(json_without_usable_text);
    RUN(custom_fields);
    RUN(fresh_records);
    RUN(appends_and_caps);
    tms_arena_destroy(&A);
    DONE("write_record");
}
