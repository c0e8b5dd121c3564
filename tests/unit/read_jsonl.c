/* read_jsonl.c -- unit tests for src/read/jsonl.c (and the format sniffing of
 * reader.c): every record of an in-memory JSON Lines stream, ids, locations,
 * blank lines, too-long lines, malformed lines and metadata. */
#include "harness.h"
#include "core/alloc.h"
#include "read/reader.h"
#include "reader_fixture.h"
#include <stdint.h>
#include <zlib.h>

/* opens data as file `path` and reads every record */
static void read_all(ctx *c, const char *data, size_t n, const char *path, uint32_t file_index)
{
    read_file(c, data, n, path, path, file_index);
}


TEST(records_ids_locations)
{
    const char *data = "{\"id\":\"a1\",\"text\":\"hello\"}\n"
                       "\n"
                       "   \t\r\n"
                       "{\"text\":\"no id here\",\"metadata\":{\"k\":1}}\r\n"
                       "{\"id\":42,\"text\":\"numeric id\"}\n"
                       "{\"id\":null,\"text\":\"null id\"}\n"
                       "{\"id\":\"\\u00e9\\\"x\",\"text\":\"esc \\u00e9\\n\\ud83d\\ude00\"}";
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, data, strlen(data), "dir/f.jsonl", 3);
    CHECK(c.st == TAMIS_OK);
    CHECK(!strcmp(tms_reader_format(c.r), "jsonl"));
    CHECK(c.n == 5);
    if (c.n != 5) { teardown(&c); return; }
    for (size_t i = 0; i < 5; i++) {
        CHECK(c.rec[i].kind == TMS_SRC_JSON);
        CHECK(c.rec[i].reject == NULL);
        CHECK(c.rec[i].text_m != NULL);
        CHECK(c.rec[i].url == NULL && !c.rec[i].is_html);
    }
    tms_record *r = c.rec;
    CHECK(str_is(r[0].id, r[0].id_len, "a1"));
    CHECK(str_is(r[0].text, r[0].text_len, "hello"));
    CHECK(!strcmp(r[0].location, "dir/f.jsonl:1"));
    CHECK(r[0].pos_key == (((uint64_t)3 << 40) | 1));
    CHECK(str_is(r[0].raw, r[0].raw_len, "{\"id\":\"a1\",\"text\":\"hello\"}"));
    CHECK(r[0].bytes_in == r[0].raw_len + 1);
    CHECK(r[0].meta_m == NULL && r[0].obj.n == 2);
    /* lines 2 and 3 are blank */
    CHECK(skipped(&c.skips, "blank_line") == 2);
    CHECK(!strcmp(r[1].location, "dir/f.jsonl:4"));
    CHECK(r[1].pos_key == (((uint64_t)3 << 40) | 4));
    CHECK(str_is(r[1].id, r[1].id_len, "dir/f.jsonl:4")); /* generated */
    CHECK(str_is(r[1].text, r[1].text_len, "no id here"));
    CHECK(r[1].meta_m && str_is(r[1].meta_m->val, r[1].meta_m->val_len, "{\"k\":1}"));
    CHECK(r[1].raw_len > 0 && r[1].raw[r[1].raw_len - 1] == '}'); /* the \r is not part of the record */
    CHECK(r[1].bytes_in == r[1].raw_len + 2);
    CHECK(str_is(r[2].id, r[2].id_len, "42")); /* a number id is its JSON text */
    CHECK(!strcmp(r[2].location, "dir/f.jsonl:5"));
    CHECK(str_is(r[3].id, r[3].id_len, "dir/f.jsonl:6")); /* null: generated */
    /* the last line has no newline; escapes are decoded in id and text */
    CHECK(str_is(r[4].id, r[4].id_len, "\xc3\xa9\"x"));
    CHECK(str_is(r[4].text, r[4].text_len, "esc \xc3\xa9\n\xf0\x9f\x98\x80"));
    CHECK(!strcmp(r[4].location, "dir/f.jsonl:7"));
    CHECK(r[4].bytes_in == r[4].raw_len);
    CHECK(c.box.n == 0);
    teardown(&c);
}

TEST(malformed_lines)
{
    const char *data = "{\"text\":\"ok 1\"}\n"
                       "{\"text\":\"unterminated}\n"
                       "not json at all\n"
                       "{\"title\":\"no text field\"}\n"
                       "{\"text\":12}\n"
                       "{\"text\":null}\n"
                       "{\"text\":{\"nested\":\"x\"}}\n"
                       "[\"an\",\"array\"]\n"
                       "{\"text\":\"a\"} trailing\n"
                       "{\"text\":\"ok 10\"}\n";
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, data, strlen(data), "m.jsonl", 0);
    CHECK(c.st == TAMIS_OK && c.n == 10);
    if (c.n != 10) { teardown(&c); return; }
    tms_record *r = c.rec;
    CHECK(r[0].reject == NULL && r[9].reject == NULL);
    CHECK(str_is(r[9].text, r[9].text_len, "ok 10") && !strcmp(r[9].location, "m.jsonl:10"));
    for (int i = 1; i <= 8; i++) {
        CHECK(r[i].reject && !strcmp(r[i].reject, "malformed"));
        char loc[32];
        snprintf(loc, sizeof loc, "m.jsonl:%d", i + 1);
        CHECK(!strcmp(r[i].location, loc));
        CHECK(str_is(r[i].id, r[i].id_len, loc));
        CHECK(r[i].pos_key == (uint64_t)(i + 1));
    }
    /* invalid JSON keeps the raw line as its text (it cannot be written back as JSON) */
    CHECK(r[1].kind == TMS_SRC_FRESH && str_is(r[1].text, r[1].text_len, "{\"text\":\"unterminated}"));
    CHECK(str_is(r[2].text, r[2].text_len, "not json at all"));
    CHECK(str_is(r[7].text, r[7].text_len, "[\"an\",\"array\"]"));
    CHECK(str_is(r[8].text, r[8].text_len, "{\"text\":\"a\"} trailing"));
    /* valid JSON without a usable text field stays JSON, with an empty text */
    for (int i = 3; i <= 6; i++) CHECK(r[i].kind == TMS_SRC_JSON && r[i].text_len == 0 && r[i].text_m == NULL);
    CHECK(msg_has(&c.box, "m.jsonl:2: invalid JSON at byte 9: unterminated string"));
    CHECK(msg_has(&c.box, "m.jsonl:3: invalid JSON at byte 1: expected a JSON object"));
    CHECK(msg_has(&c.box, "m.jsonl:4: no field \"text\""));
    CHECK(msg_has(&c.box, "m.jsonl:5: non-string field \"text\""));
    CHECK(msg_has(&c.box, "m.jsonl:9: invalid JSON at byte 14: trailing data"));
    CHECK(c.box.n == 8);
    teardown(&c);
}

TEST(too_long_lines)
{
    /* max 100 bytes: a line of exactly 100 is read, 101 is too large */
    char line100[128], line101[128];
    memset(line100, 'a', sizeof line100);
    memcpy(line100, "{\"text\":\"", 9);
    memcpy(line100 + 98, "\"}", 2);
    line100[100] = 0;
    memcpy(line101, line100, 100);
    memcpy(line101 + 98, "a\"}", 3);
    line101[101] = 0;
    size_t big = 1 << 20; /* a 1 MiB line: passed over without being held */
    char *data = malloc(big + 1000);
    size_t n = 0;
    n += (size_t)sprintf(data + n, "%s\n%s\n", line100, line101);
    memset(data + n, 'x', big);
    n += big;
    n += (size_t)sprintf(data + n, "\n{\"text\":\"after\"}\n%s", line101); /* the last one without newline */
    ctx c;
    setup(&c, 100);
    read_all(&c, data, n, "big.jsonl", 1);
    CHECK(c.st == TAMIS_OK && c.n == 5);
    if (c.n == 5) {
        tms_record *r = c.rec;
        CHECK(r[0].reject == NULL && r[0].text_len == 89);
        CHECK(r[1].reject && !strcmp(r[1].reject, "too_large") && r[1].text_len == 0);
        CHECK(r[1].bytes_in == 102 && !strcmp(r[1].location, "big.jsonl:2"));
        CHECK(r[2].reject && !strcmp(r[2].reject, "too_large") && r[2].text_len == 0);
        CHECK(r[2].bytes_in == big + 1 && !strcmp(r[2].location, "big.jsonl:3"));
        CHECK(r[3].reject == NULL && str_is(r[3].text, r[3].text_len, "after"));
        CHECK(!strcmp(r[3].location, "big.jsonl:4"));
        CHECK(r[4].reject && !strcmp(r[4].reject, "too_large") && r[4].bytes_in == 101);
        CHECK(!strcmp(r[4].location, "big.jsonl:5"));
    }
    CHECK(msg_has(&c.box, "big.jsonl:3: line of 1048577 bytes exceeds --max-doc-bytes 100"));
    teardown(&c);
    free(data);
}

TEST(custom_fields_and_metadata)
{
    const char *data = "{\"doc_id\":\"D1\",\"content\":\"body\",\"text\":\"not this\",\"metadata\":\"a string\"}\n"
                       "{\"content\":\"two\",\"metadata\":{},\"metadata\":[1]}\n"
                       "{\"content\":\"three\",\"metadata\":[1],\"metadata\":{\"last\":true}}\n"
                       "{\"text\":\"no content\"}\n";
    ctx c;
    setup(&c, 1 << 20);
    c.o.text_field = "content";
    c.o.id_field = "doc_id";
    read_all(&c, data, strlen(data), "c.jsonl", 0);
    CHECK(c.st == TAMIS_OK && c.n == 4);
    if (c.n != 4) { teardown(&c); return; }
    tms_record *r = c.rec;
    CHECK(str_is(r[0].id, r[0].id_len, "D1") && str_is(r[0].text, r[0].text_len, "body"));
    CHECK(r[0].meta_m == NULL); /* not an object: left for the writer to replace */
    CHECK(r[0].text_m && str_is(r[0].text_m->key, r[0].text_m->key_len, "content"));
    CHECK(str_is(r[1].text, r[1].text_len, "two") && r[1].meta_m == NULL); /* the last metadata wins */
    CHECK(r[2].meta_m && str_is(r[2].meta_m->val, r[2].meta_m->val_len, "{\"last\":true}"));
    CHECK(r[3].reject && !strcmp(r[3].reject, "malformed"));
    CHECK(msg_has(&c.box, "no field \"content\""));
    teardown(&c);
}

TEST(json_depth)
{
    const char *data = "{\"text\":\"ok\",\"a\":{\"b\":1}}\n{\"text\":\"deep\",\"a\":{\"b\":[1]}}\n";
    ctx c;
    setup(&c, 1 << 20);
    c.o.max_json_depth = 2;
    read_all(&c, data, strlen(data), "d.jsonl", 0);
    CHECK(c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject == NULL);
        CHECK(c.rec[1].reject && !strcmp(c.rec[1].reject, "malformed"));
    }
    CHECK(msg_has(&c.box, "nesting too deep"));
    teardown(&c);
}

TEST(empty_and_blank_only)
{
    ctx c;
    setup(&c, 1 << 20);
    c.o.format = TMS_FMT_JSONL;
    read_all(&c, "", 0, "e.jsonl", 0);
    CHECK(c.st == TAMIS_OK && c.n == 0);
    teardown(&c);
    setup(&c, 1 << 20);
    read_all(&c, "\n\n  \n\r\n", 7, "b.jsonl", 0);
    CHECK(c.st == TAMIS_OK && c.n == 0);
    CHECK(skipped(&c.skips, "blank_line") == 4);
    teardown(&c);
}

TEST(sniffing)
{
    struct { const char *path, *data, *fmt; } cases[] = {
        {"a.jsonl", "plain text", "jsonl"},     /* the name decides */
        {"a.JSONL.gz", "x", "jsonl"},           /* a compression suffix is looked through */
        {"a.ndjson", "x", "jsonl"},
        {"a.json.zst", "x", "jsonl"},
        {"a.txt", "{\"text\":1}", "txt"},
        {"a.dat", "  \n{\"text\":\"x\"}", "jsonl"}, /* unknown name: content */
        {"-", "\xEF\xBB\xBF{\"text\":\"x\"}", "jsonl"},
        {"-", "just words", "txt"},
        {"a.jsonl", "WARC/1.0\r\n", "warc"},    /* the WARC signature beats the name */
        {"a.wet", "x", "warc"},
        {"noext", "", "txt"},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(cases); i++) {
        ctx c;
        setup(&c, 1 << 20);
        tms_stream *s;
        CHECK(tms_stream_open_mem(&s, cases[i].data, strlen(cases[i].data)) == TAMIS_OK);
        CHECK(tms_reader_open(&c.r, s, cases[i].path, cases[i].path, 0, &c.o, &c.msgs, &c.skips) == TAMIS_OK);
        if (strcmp(tms_reader_format(c.r), cases[i].fmt) != 0) {
            fprintf(stderr, "    %s: read as %s, want %s\n", cases[i].path, tms_reader_format(c.r), cases[i].fmt);
            CHECK(0);
        }
        teardown(&c);
    }
    /* a forced format wins over everything */
    ctx c;
    setup(&c, 1 << 20);
    c.o.format = TMS_FMT_TEXT;
    read_all(&c, "{\"text\":\"x\"}\n", 13, "f.jsonl", 0);
    CHECK(!strcmp(tms_reader_format(c.r), "txt") && c.n == 1);
    teardown(&c);
}

TEST(gzip_input)
{
    /* the reader sees through compression: a gzip member of two lines */
    const char *plain = "{\"text\":\"a\"}\n{\"text\":\"b\"}\n";
    unsigned char gz[256];
    z_stream z;
    memset(&z, 0, sizeof z);
    CHECK(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)plain;
    z.avail_in = (uInt)strlen(plain);
    z.next_out = gz;
    z.avail_out = sizeof gz;
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    size_t n = sizeof gz - z.avail_out;
    deflateEnd(&z);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, (const char *)gz, n, "z.jsonl.gz", 0);
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(str_is(c.rec[0].text, c.rec[0].text_len, "a"));
        CHECK(str_is(c.rec[1].text, c.rec[1].text_len, "b"));
        CHECK(!strcmp(c.rec[1].location, "z.jsonl.gz:2"));
    }
    teardown(&c);
}

TEST(messages_are_one_line)
{
    /* a file name with a newline and a tab still makes one-line messages */
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, "oops\n", 5, "we\nird\t.jsonl", 0);
    CHECK(c.n == 1 && c.box.n == 1);
    for (int i = 0; i < c.box.n; i++)
        for (const char *m = c.box.m[i]; *m; m++) CHECK((unsigned char)*m >= 0x20);
    CHECK(msg_has(&c.box, "we ird .jsonl:1: invalid JSON"));
    teardown(&c);
    /* no callback: messages are dropped */
    setup(&c, 1 << 20);
    c.msgs.fn = NULL;
    read_all(&c, "oops\n", 5, "x.jsonl", 0);
    CHECK(c.n == 1 && c.box.n == 0);
    teardown(&c);
}

TEST(no_memory)
{
    const char *data = "{\"id\":\"x\",\"text\":\"t\\u00e9\",\"metadata\":{}}\n\n{\"text\":\"two\"}\nbad\n";
    int saw_ok = oom_sweep(data, strlen(data), "n.jsonl", 40, 3) > 0;
    CHECK(saw_ok);
}

int main(void)
{
    RUN(records_ids_locations);
    RUN(malformed_lines);
    RUN(too_long_lines);
    RUN(custom_fields_and_metadata);
    RUN(json_depth);
    RUN(empty_and_blank_only);
    RUN(sniffing);
    RUN(gzip_input);
    RUN(messages_are_one_line);
    RUN(no_memory);
    DONE("read_jsonl");
}
