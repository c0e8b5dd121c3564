/* read_warc.c -- unit tests for src/read/warc.c: WET conversion records,
 * WARC responses (HTML, not HTML), skipped record types, and every kind of
 * damage: a file starting mid-record, Content-Length too long or too short,
 * a block cut short, missing headers; LF-only files and old version lines. */
#include "harness.h"
#include "core/alloc.h"
#include "read/reader.h"
#include "reader_fixture.h"
#include <stdarg.h>
#include <stdint.h>
#include <zlib.h>

static void read_all(ctx *c, const char *data, size_t n, const char *path)
{
    read_file(c, data, n, path, path, 2);
}

/* a growing byte string */
typedef struct sb {
    char d[1 << 16];
    size_t n;
} sb;

static void add(sb *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->d + b->n, sizeof b->d - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

/* appends a record; clen < 0 means the true length. Returns its offset. */
static size_t record(sb *b, const char *type, const char *headers, const char *block, long clen)
{
    size_t at = b->n;
    size_t bl = strlen(block);
    add(b, "WARC/1.0\r\nWARC-Type: %s\r\n%sContent-Length: %ld\r\n\r\n", type, headers, clen < 0 ? (long)bl : clen);
    memcpy(b->d + b->n, block, bl);
    b->n += bl;
    add(b, "\r\n\r\n");
    return at;
}


static char loc_buf[128];
static const char *loc(const char *path, size_t off)
{
    snprintf(loc_buf, sizeof loc_buf, "%s@%zu", path, off);
    return loc_buf;
}

TEST(wet_conversion_records)
{
    static sb b;
    b.n = 0;
    record(&b, "warcinfo", "WARC-Record-ID: <urn:uuid:info>\r\n", "software: test\r\n", -1);
    size_t a1 = record(&b, "conversion",
                       "WARC-Target-URI: http://example.com/a\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n"
                       "WARC-Record-ID: <urn:uuid:1111>\r\nContent-Type: text/plain\r\n",
                       "First page.\nSecond line.", -1);
    size_t a2 = record(&b, "conversion", "WARC-Target-URI: <http://example.com/b>\r\n", "caf\xc3\xa9", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "x.warc.wet");
    CHECK(c.st == TAMIS_OK);
    CHECK(!strcmp(tms_reader_format(c.r), "warc"));
    CHECK(c.n == 2);
    if (c.n == 2) {
        tms_record *r = c.rec;
        CHECK(r[0].kind == TMS_SRC_FRESH && r[0].reject == NULL && !r[0].is_html);
        CHECK(str_is(r[0].text, r[0].text_len, "First page.\nSecond line."));
        CHECK(str_is(r[0].id, r[0].id_len, "<urn:uuid:1111>"));
        CHECK(r[0].url && !strcmp(r[0].url, "http://example.com/a"));
        CHECK(r[0].warc_date && !strcmp(r[0].warc_date, "2024-01-02T03:04:05Z"));
        CHECK(!strcmp(r[0].location, loc("x.warc.wet", a1)));
        CHECK(r[0].pos_key == (((uint64_t)2 << 40) | a1));
        CHECK(r[0].bytes_in == a2 - a1 - 4); /* header and block, not the CRLFs after */
        CHECK(r[0].http_status == 0 && r[0].content_type == NULL);
        /* no WARC-Record-ID: the location is the id; <...> around the URI is dropped */
        CHECK(str_is(r[1].text, r[1].text_len, "caf\xc3\xa9"));
        CHECK(str_is(r[1].id, r[1].id_len, loc("x.warc.wet", a2)));
        CHECK(r[1].url && !strcmp(r[1].url, "http://example.com/b"));
        CHECK(r[1].warc_date == NULL);
    }
    CHECK(skipped(&c.skips, "warcinfo") == 1);
    CHECK(c.box.n == 0);
    teardown(&c);
}

TEST(warc_responses_and_skipped_types)
{
    static sb b;
    b.n = 0;
    const char *http = "Content-Type: application/http; msgtype=response\r\n";
    record(&b, "warcinfo", "", "x", -1);
    record(&b, "request", http, "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", -1);
    size_t html = record(&b, "response",
                         "WARC-Target-URI: http://example.com/\r\nContent-Type: application/http; msgtype=response\r\n",
                         "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Other: 1\r\n\r\n"
                         "<html><body>Hi</body></html>", -1);
    record(&b, "metadata", "", "fetchTimeMs: 12\r\n", -1);
    size_t img = record(&b, "response", http, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n", -1);
    record(&b, "response", "WARC-Target-URI: dns:example.com\r\nContent-Type: text/dns\r\n", "20240101 1.2.3.4", -1);
    record(&b, "revisit", http, "HTTP/1.1 304 Not Modified\r\n\r\n", -1);
    record(&b, "resource", "", "a resource", -1);
    size_t sniffed = record(&b, "response", http, "HTTP/1.0 404 Not Found\r\n\r\n  <!DOCTYPE html><p>gone</p>", -1);
    size_t direct = record(&b, "response", "Content-Type: text/html\r\n", "<p>stored without HTTP headers</p>", -1);
    record(&b, "request", http, "GET /2 HTTP/1.1\r\n\r\n", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "y.warc");
    CHECK(c.st == TAMIS_OK && c.n == 4);
    if (c.n == 4) {
        tms_record *r = c.rec;
        CHECK(!strcmp(r[0].location, loc("y.warc", html)));
        CHECK(r[0].reject == NULL && r[0].is_html);
        CHECK(str_is(r[0].text, r[0].text_len, "<html><body>Hi</body></html>")); /* the HTTP payload only */
        CHECK(r[0].http_status == 200);
        CHECK(r[0].content_type && !strcmp(r[0].content_type, "text/html; charset=utf-8"));
        CHECK(r[0].url && !strcmp(r[0].url, "http://example.com/"));
        CHECK(!strcmp(r[1].location, loc("y.warc", img)));
        CHECK(r[1].reject && !strcmp(r[1].reject, "not_html") && !r[1].is_html);
        CHECK(r[1].text_len == 0 && r[1].content_type && !strcmp(r[1].content_type, "image/png"));
        /* no Content-Type in the HTTP headers: the payload is sniffed */
        CHECK(!strcmp(r[2].location, loc("y.warc", sniffed)));
        CHECK(r[2].reject == NULL && r[2].is_html && r[2].http_status == 404);
        CHECK(str_is(r[2].text, r[2].text_len, "  <!DOCTYPE html><p>gone</p>"));
        CHECK(!strcmp(r[3].location, loc("y.warc", direct)));
        CHECK(r[3].is_html && str_is(r[3].text, r[3].text_len, "<p>stored without HTTP headers</p>"));
        CHECK(r[3].http_status == 0);
    }
    CHECK(skipped(&c.skips, "warcinfo") == 1);
    CHECK(skipped(&c.skips, "request") == 2);
    CHECK(skipped(&c.skips, "metadata") == 1);
    CHECK(skipped(&c.skips, "dns") == 1);
    CHECK(skipped(&c.skips, "revisit") == 1);
    CHECK(skipped(&c.skips, "resource") == 1);
    CHECK(skipped(&c.skips, "response") == 0);
    CHECK(c.box.n == 0);
    teardown(&c);
}

TEST(starts_mid_record)
{
    static sb b;
    b.n = 0;
    add(&b, "the end of a block that began in another file\r\nmore of it\r\n\r\n");
    size_t g = b.n;
    size_t a = record(&b, "conversion", "", "real text", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "mid.wet");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "malformed"));
        CHECK(!strcmp(c.rec[0].location, "mid.wet@0") && str_is(c.rec[0].id, c.rec[0].id_len, "mid.wet@0"));
        CHECK(c.rec[0].pos_key == ((uint64_t)2 << 40));
        CHECK(c.rec[0].text_len == g && !memcmp(c.rec[0].text, b.d, g));
        CHECK(c.rec[0].bytes_in == g);
        CHECK(c.rec[1].reject == NULL && str_is(c.rec[1].text, c.rec[1].text_len, "real text"));
        CHECK(!strcmp(c.rec[1].location, loc("mid.wet", a)));
    }
    CHECK(msg_has(&c.box, "mid.wet@0: not a WARC record"));
    teardown(&c);
}

TEST(content_length_too_long)
{
    static sb b;
    b.n = 0;
    /* the claimed block runs 10 bytes into the next record's header */
    size_t a = record(&b, "conversion", "", "first text", 20);
    size_t n2 = record(&b, "conversion", "WARC-Record-ID: <urn:uuid:2>\r\n", "second text, long enough", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "long.wet");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "malformed"));
        CHECK(!strcmp(c.rec[0].location, loc("long.wet", a)));
        CHECK(c.rec[1].reject == NULL && str_is(c.rec[1].text, c.rec[1].text_len, "second text, long enough"));
        CHECK(!strcmp(c.rec[1].location, loc("long.wet", n2)));
    }
    CHECK(msg_has(&c.box, "Content-Length 20 does not end on a record boundary"));
    teardown(&c);
}

TEST(content_length_too_long_past_the_end)
{
    /* the claimed block runs past the end of input, over a whole next record:
     * that record is still read */
    static sb b;
    b.n = 0;
    size_t a = record(&b, "conversion", "", "first text", 500);
    size_t n2 = record(&b, "conversion", "", "second", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "long2.wet");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "malformed"));
        CHECK(!strcmp(c.rec[0].location, loc("long2.wet", a)));
        CHECK(c.rec[1].reject == NULL && str_is(c.rec[1].text, c.rec[1].text_len, "second"));
        CHECK(!strcmp(c.rec[1].location, loc("long2.wet", n2)));
    }
    teardown(&c);
}

TEST(content_length_too_short)
{
    static sb b;
    b.n = 0;
    size_t a = record(&b, "conversion", "", "0123456789 and more", 10);
    size_t n2 = record(&b, "conversion", "", "next", -1);
    record(&b, "conversion", "", "third", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "short.wet");
    CHECK(c.st == TAMIS_OK && c.n == 3);
    if (c.n == 3) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "malformed"));
        CHECK(!strcmp(c.rec[0].location, loc("short.wet", a)));
        CHECK(c.rec[1].reject == NULL && str_is(c.rec[1].text, c.rec[1].text_len, "next"));
        CHECK(!strcmp(c.rec[1].location, loc("short.wet", n2)));
        CHECK(c.rec[2].reject == NULL && str_is(c.rec[2].text, c.rec[2].text_len, "third"));
    }
    CHECK(msg_has(&c.box, "Content-Length 10 does not end on a record boundary"));
    teardown(&c);
}

TEST(truncated_block_at_eof)
{
    static sb b;
    b.n = 0;
    record(&b, "conversion", "", "whole", -1);
    size_t a = b.n;
    add(&b, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 100\r\n\r\nonly part of it");
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "cut.wet");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject == NULL);
        CHECK(c.rec[1].reject && !strcmp(c.rec[1].reject, "malformed"));
        CHECK(!strcmp(c.rec[1].location, loc("cut.wet", a)));
        CHECK(str_is(c.rec[1].text, c.rec[1].text_len, "only part of it"));
        CHECK(c.rec[1].bytes_in == b.n - a);
    }
    CHECK(msg_has(&c.box, "cut short"));
    teardown(&c);
    /* a header cut short */
    b.n = 0;
    record(&b, "conversion", "", "whole", -1);
    add(&b, "WARC/1.0\r\nWARC-Type: conv");
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "cut2.wet");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) CHECK(c.rec[1].reject && !strcmp(c.rec[1].reject, "malformed"));
    teardown(&c);
}

TEST(missing_headers)
{
    static sb b;
    b.n = 0;
    size_t a = b.n;
    add(&b, "WARC/1.0\r\nWARC-Type: conversion\r\n\r\nno length\r\n\r\n");
    size_t a2 = b.n;
    add(&b, "WARC/1.0\r\nContent-Length: 7\r\n\r\nno type\r\n\r\n");
    add(&b, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 12x\r\n\r\nbad length\r\n\r\n");
    record(&b, "conversion", "", "fine", -1);
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "h.wet");
    CHECK(c.st == TAMIS_OK && c.n == 4);
    if (c.n == 4) {
        for (int i = 0; i < 3; i++) CHECK(c.rec[i].reject && !strcmp(c.rec[i].reject, "malformed"));
        CHECK(!strcmp(c.rec[0].location, loc("h.wet", a)));
        CHECK(!strcmp(c.rec[1].location, loc("h.wet", a2)));
        CHECK(c.rec[3].reject == NULL && str_is(c.rec[3].text, c.rec[3].text_len, "fine"));
    }
    CHECK(msg_has(&c.box, "without a valid Content-Length"));
    CHECK(msg_has(&c.box, "without WARC-Type"));
    teardown(&c);
}

TEST(lf_only_and_old_versions)
{
    static sb b;
    b.n = 0;
    add(&b, "WARC/0.18\nWARC-Type: conversion\nwarc-record-id: <urn:x>\nContent-Length: 5\n\nhello\n\n");
    size_t a2 = b.n;
    add(&b, "WARC/1.1\nWARC-Type: conversion\nContent-Length:   6  \n\nworld!\n\n\n\n\n");
    add(&b, "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 4\r\n\r\nlast"); /* no CRLFs at the end */
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, b.d, b.n, "lf.warc");
    CHECK(c.st == TAMIS_OK && c.n == 3);
    if (c.n == 3) {
        CHECK(c.rec[0].reject == NULL && str_is(c.rec[0].text, c.rec[0].text_len, "hello"));
        CHECK(str_is(c.rec[0].id, c.rec[0].id_len, "<urn:x>")); /* header names are case-insensitive */
        CHECK(c.rec[1].reject == NULL && str_is(c.rec[1].text, c.rec[1].text_len, "world!"));
        CHECK(!strcmp(c.rec[1].location, loc("lf.warc", a2)));
        CHECK(c.rec[2].reject == NULL && str_is(c.rec[2].text, c.rec[2].text_len, "last"));
    }
    CHECK(c.box.n == 0);
    teardown(&c);
}

TEST(too_large_records)
{
    static sb b;
    b.n = 0;
    char big[300];
    memset(big, 'B', sizeof big - 1);
    big[sizeof big - 1] = 0;
    record(&b, "warcinfo", "", big, -1);                /* skipped, whatever its size */
    size_t a = record(&b, "conversion", "", big, -1);   /* too large */
    record(&b, "conversion", "", "small", -1);
    ctx c;
    setup(&c, 100);
    read_all(&c, b.d, b.n, "big.wet");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "too_large"));
        CHECK(c.rec[0].text_len == 0 && !strcmp(c.rec[0].location, loc("big.wet", a)));
        CHECK(c.rec[1].reject == NULL && str_is(c.rec[1].text, c.rec[1].text_len, "small"));
    }
    CHECK(skipped(&c.skips, "warcinfo") == 1);
    CHECK(msg_has(&c.box, "exceeds --max-doc-bytes 100"));
    teardown(&c);
}

/* a record skipped after a lying Content-Length must leave nothing behind in
 * the record that is returned next */
TEST(skipped_damage_leaves_no_trace)
{
    static sb b;
    b.n = 0;
    record(&b, "metadata", "", "0123456789 metadata that is longer than claimed", 10);
    record(&b, "response", "Content-Type: application/http; msgtype=response\r\n",
           "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\n\r\nGIF89a", -1);
    record(&b, "request", "", "0123456789 a request that is longer than claimed", 10);
    char big[300];
    memset(big, 'B', sizeof big - 1);
    big[sizeof big - 1] = 0;
    record(&b, "conversion", "", big, -1);
    ctx c;
    setup(&c, 100);
    read_all(&c, b.d, b.n, "trace.warc");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "not_html"));
        CHECK(c.rec[0].text_len == 0);
        CHECK(c.rec[0].bytes_in > 0 && c.rec[0].bytes_in < 200);
        CHECK(c.rec[1].reject && !strcmp(c.rec[1].reject, "too_large"));
        CHECK(c.rec[1].text_len == 0);
    }
    CHECK(skipped(&c.skips, "metadata") == 1 && skipped(&c.skips, "request") == 1);
    teardown(&c);
}

TEST(dns_records_counted_as_dns)
{
    /* a dns: response is counted as "dns" whatever shape it is in */
    static sb b;
    b.n = 0;
    const char *dns = "WARC-Target-URI: dns:example.com\r\n";
    char big[300];
    memset(big, 'D', sizeof big - 1);
    big[sizeof big - 1] = 0;
    record(&b, "response", dns, "20240101 1.2.3.4", -1);
    record(&b, "response", dns, big, -1);                     /* over --max-doc-bytes */
    record(&b, "response", dns, "20240101 5.6.7.8 and more", 8); /* a lying length */
    record(&b, "conversion", "", "doc", -1);
    add(&b, "WARC/1.0\r\nWARC-Type: response\r\n%sContent-Length: 90\r\n\r\ncut", dns); /* cut short */
    ctx c;
    setup(&c, 100);
    read_all(&c, b.d, b.n, "dns.warc");
    CHECK(c.st == TAMIS_OK && c.n == 1);
    CHECK(skipped(&c.skips, "dns") == 4);
    CHECK(skipped(&c.skips, "response") == 0);
    teardown(&c);
}

TEST(gzip_members_per_record)
{
    /* WARC files are written one gzip member per record */
    static sb plain;
    plain.n = 0;
    size_t cuts[4];
    cuts[0] = record(&plain, "warcinfo", "", "info", -1);
    cuts[1] = record(&plain, "conversion", "", "doc one", -1);
    static char two[3001];
    uint32_t x = 7;
    memcpy(two, "doc two", 7);
    for (size_t i = 7; i < 3000; i++) { /* letters that do not compress to nothing */
        x = x * 1103515245u + 12345u;
        two[i] = (char)('a' + (x >> 16) % 26);
    }
    cuts[2] = record(&plain, "conversion", "", two, -1);
    cuts[3] = plain.n;
    static unsigned char gz[16384];
    size_t gn = 0, last_member = 0;
    for (int i = 0; i < 3; i++) {
        last_member = gn;
        z_stream z;
        memset(&z, 0, sizeof z);
        CHECK(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
        z.next_in = (unsigned char *)plain.d + cuts[i];
        z.avail_in = (uInt)(cuts[i + 1] - cuts[i]);
        z.next_out = gz + gn;
        z.avail_out = (uInt)(sizeof gz - gn);
        CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
        gn = sizeof gz - z.avail_out;
        deflateEnd(&z);
    }
    ctx c;
    setup(&c, 1 << 20);
    read_all(&c, (const char *)gz, gn, "z.warc.gz");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) {
        CHECK(str_is(c.rec[1].text, c.rec[1].text_len, two));
        CHECK(!strcmp(c.rec[1].location, loc("z.warc.gz", cuts[2]))); /* decompressed offset */
    }
    CHECK(c.box.n == 0);
    teardown(&c);
    /* the last member cut short: the record is malformed, the stream error reported once */
    setup(&c, 1 << 20);
    read_all(&c, (const char *)gz, last_member + (gn - last_member) / 2, "t.warc.gz");
    CHECK(c.st == TAMIS_OK && c.n == 2);
    if (c.n == 2) CHECK(c.rec[1].reject && !strcmp(c.rec[1].reject, "malformed"));
    CHECK(msg_has(&c.box, "truncated gzip member"));
    teardown(&c);
}

TEST(skip_count_overflow)
{
    tms_skip_counts k;
    memset(&k, 0, sizeof k);
    char name[32];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "type%02d", i);
        tms_skip_count(&k, name, strlen(name));
        tms_skip_count(&k, name, strlen(name));
    }
    CHECK(k.used == TMS_SKIP_TYPES_MAX);
    CHECK(k.n[0] == 2 && !strcmp(k.type[0], "type00"));
    CHECK(!strcmp(k.type[TMS_SKIP_TYPES_MAX - 1], "other"));
    uint64_t total = 0;
    for (size_t i = 0; i < k.used; i++) total += k.n[i];
    CHECK(total == 80);
    /* a long type name is cut, not overflowed */
    tms_skip_counts l;
    memset(&l, 0, sizeof l);
    tms_skip_count(&l, "a-very-long-record-type-name-indeed", 35);
    CHECK(l.used == 1 && strlen(l.type[0]) == sizeof l.type[0] - 1);
}

TEST(no_memory)
{
    static sb b;
    b.n = 0;
    add(&b, "junk\r\n");
    record(&b, "warcinfo", "", "x", -1);
    record(&b, "conversion", "WARC-Record-ID: <urn:1>\r\nWARC-Target-URI: http://a/\r\n", "one", -1);
    record(&b, "response", "Content-Type: application/http\r\n", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>", -1);
    record(&b, "conversion", "", "lying", 2);
    record(&b, "conversion", "", "last", -1);
    int saw_ok = oom_sweep(b.d, b.n, "n.warc", 60, 5) > 0;
    CHECK(saw_ok);
}

int main(void)
{
    RUN(wet_conversion_records);
    RUN(warc_responses_and_skipped_types);
    RUN(starts_mid_record);
    RUN(content_length_too_long);
    RUN(content_length_too_long_past_the_end);
    RUN(content_length_too_short);
    RUN(truncated_block_at_eof);
    RUN(missing_headers);
    RUN(lf_only_and_old_versions);
    RUN(too_large_records);
    RUN(skipped_damage_leaves_no_trace);
    RUN(dns_records_counted_as_dns);
    RUN(gzip_members_per_record);
    RUN(skip_count_overflow);
    RUN(no_memory);
    DONE("read_warc");
}
