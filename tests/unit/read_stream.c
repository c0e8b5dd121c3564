/* read_stream.c -- unit tests for src/read/stream.c: plain, gzip and zstd
 * memory streams (whole, concatenated, truncated, with trailing garbage),
 * and find/peek/consume/skip_past across the 256 KiB buffer boundaries. */
#include "harness.h"
#include "core/alloc.h"
#include "read/stream.h"
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define KiB ((size_t)1024)

/* deterministic text: words and newlines, compressible but not trivially */
static char *make_text(size_t n, uint32_t seed)
{
    char *t = malloc(n + 1);
    uint32_t x = seed * 2654435761u + 1;
    static const char *const words[] = {"lorem", "ipsum", "dolor", "sit", "amet", "caf\xc3\xa9", "tamis", "0123"};
    size_t i = 0;
    while (i < n) {
        x = x * 1103515245u + 12345u;
        const char *w = words[(x >> 16) & 7];
        for (size_t k = 0; w[k] && i < n; k++) t[i++] = w[k];
        if (i < n) t[i++] = ((x >> 8) & 15) == 0 ? '\n' : ' ';
    }
    t[n] = 0;
    return t;
}

/* one gzip member */
static size_t gz(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) abort();
    size_t k = cap - z.avail_out;
    deflateEnd(&z);
    return k;
}

/* one zstd frame, with or without the content checksum */
static size_t zst(const char *in, size_t n, unsigned char *out, size_t cap, int checksum)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
    size_t k = ZSTD_compress2(c, out, cap, in, n);
    if (ZSTD_isError(k)) abort();
    ZSTD_freeCCtx(c);
    return k;
}

/* reads the whole stream with peeks of `step` bytes */
static char *drain(tms_stream *s, size_t step, size_t *n)
{
    size_t cap = 1 << 20, len = 0;
    char *all = malloc(cap);
    for (;;) {
        const char *p;
        size_t avail;
        if (tms_stream_peek(s, step, &p, &avail) != TAMIS_OK) break;
        if (avail == 0) break;
        size_t k = avail < step ? avail : step;
        while (len + k > cap) all = realloc(all, cap *= 2);
        memcpy(all + len, p, k);
        len += k;
        tms_stream_consume(s, k);
    }
    *n = len;
    return all;
}

static tms_stream *open_mem(const void *p, size_t n)
{
    tms_stream *s = NULL;
    if (tms_stream_open_mem(&s, p, n) != TAMIS_OK || !s) abort();
    return s;
}

static int has(const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle)) return 1;
    fprintf(stderr, "    '%s' does not contain '%s'\n", hay ? hay : "(null)", needle);
    return 0;
}

TEST(plain_small)
{
    const char *d = "hello\nworld";
    tms_stream *s = open_mem(d, strlen(d));
    CHECK(tms_stream_codec(s) == TMS_CODEC_NONE);
    CHECK(!tms_stream_eof(s));
    const char *p;
    size_t len;
    bool found;
    CHECK(tms_stream_find(s, '\n', 100, &p, &len, &found) == TAMIS_OK);
    CHECK(found && len == 5 && !memcmp(p, "hello", 5));
    CHECK(tms_stream_offset(s) == 0);
    tms_stream_consume(s, 6);
    CHECK(tms_stream_offset(s) == 6);
    CHECK(tms_stream_find(s, '\n', 100, &p, &len, &found) == TAMIS_OK);
    CHECK(!found && len == 5 && !memcmp(p, "world", 5)); /* < max: end of stream */
    size_t avail;
    CHECK(tms_stream_peek(s, 1000, &p, &avail) == TAMIS_OK && avail == 5);
    tms_stream_consume(s, 5);
    CHECK(tms_stream_eof(s));
    CHECK(tms_stream_peek(s, 10, &p, &avail) == TAMIS_OK && avail == 0);
    CHECK(tms_stream_find(s, '\n', 100, &p, &len, &found) == TAMIS_OK && !found && len == 0);
    CHECK(tms_stream_offset(s) == 11);
    CHECK(tms_stream_error(s) == NULL);
    CHECK(tms_stream_raw_bytes(s) == 11);
    tms_stream_free(s);
    tms_stream_free(NULL);
}

TEST(plain_empty)
{
    tms_stream *s = open_mem("", 0);
    CHECK(tms_stream_eof(s));
    const char *p;
    size_t n;
    bool found;
    uint64_t skipped = 99;
    CHECK(tms_stream_peek(s, 4, &p, &n) == TAMIS_OK && n == 0 && p != NULL);
    CHECK(tms_stream_find(s, '\n', 10, &p, &n, &found) == TAMIS_OK && !found && n == 0);
    CHECK(tms_stream_skip_past(s, '\n', &skipped, &found) == TAMIS_OK && !found && skipped == 0);
    CHECK(tms_stream_codec(s) == TMS_CODEC_NONE);
    CHECK(tms_stream_error(s) == NULL);
    tms_stream_free(s);
    /* a one-byte stream that starts like a gzip magic is plain */
    s = open_mem("\x1f", 1);
    CHECK(tms_stream_codec(s) == TMS_CODEC_NONE);
    CHECK(tms_stream_peek(s, 4, &p, &n) == TAMIS_OK && n == 1 && p[0] == 0x1f);
    tms_stream_free(s);
}

TEST(find_across_chunk_boundaries)
{
    /* lines ending exactly around each 256 KiB boundary */
    size_t n = 3 * 256 * KiB + 100;
    char *d = malloc(n);
    memset(d, 'x', n);
    const size_t nl[] = {10, 256 * KiB - 1, 256 * KiB, 256 * KiB + 1, 512 * KiB - 2, 512 * KiB + 7, 768 * KiB,
                         n - 1};
    for (size_t i = 0; i < TMS_ARRAY_LEN(nl); i++) d[nl[i]] = '\n';
    tms_stream *s = open_mem(d, n);
    size_t at = 0;
    for (size_t i = 0; i < TMS_ARRAY_LEN(nl); i++) {
        const char *p;
        size_t len;
        bool found;
        CHECK(tms_stream_find(s, '\n', SIZE_MAX / 2, &p, &len, &found) == TAMIS_OK);
        CHECK(found && len == nl[i] - at);
        CHECK(tms_stream_offset(s) == at);
        CHECK(p && !memcmp(p, d + at, len) && p[len] == '\n');
        tms_stream_consume(s, len + 1);
        at = nl[i] + 1;
    }
    CHECK(tms_stream_eof(s));
    CHECK(tms_stream_offset(s) == n);
    tms_stream_free(s);
    free(d);
}

TEST(find_respects_max)
{
    size_t n = 600 * KiB;
    char *d = malloc(n);
    memset(d, 'y', n);
    d[300 * KiB] = '\n';
    tms_stream *s = open_mem(d, n);
    const char *p;
    size_t len;
    bool found;
    /* the newline lies past max: not found, and at least max bytes are buffered */
    CHECK(tms_stream_find(s, '\n', 1000, &p, &len, &found) == TAMIS_OK);
    CHECK(!found && len == 1000); /* only the searched bytes: the rest may hold the newline */
    CHECK(tms_stream_find(s, '\n', 300 * KiB, &p, &len, &found) == TAMIS_OK);
    CHECK(!found && len == 300 * KiB);
    /* one more byte of room finds it */
    CHECK(tms_stream_find(s, '\n', 300 * KiB + 1, &p, &len, &found) == TAMIS_OK);
    CHECK(found && len == 300 * KiB);
    tms_stream_consume(s, len + 1);
    /* the rest has no newline: not found, len < max means end of stream */
    CHECK(tms_stream_find(s, '\n', SIZE_MAX / 2, &p, &len, &found) == TAMIS_OK);
    CHECK(!found && len == n - 300 * KiB - 1);
    CHECK(p[0] == 'y' && p[len - 1] == 'y');
    tms_stream_free(s);
    free(d);
}

TEST(peek_large_and_consume)
{
    size_t n = 900 * KiB + 3;
    char *d = make_text(n, 1);
    tms_stream *s = open_mem(d, n);
    const char *p;
    size_t avail;
    /* peek more than a chunk at once */
    CHECK(tms_stream_peek(s, 600 * KiB, &p, &avail) == TAMIS_OK);
    CHECK(avail >= 600 * KiB && !memcmp(p, d, 600 * KiB));
    tms_stream_consume(s, 123457);
    CHECK(tms_stream_peek(s, 700 * KiB, &p, &avail) == TAMIS_OK);
    CHECK(avail >= 700 * KiB && !memcmp(p, d + 123457, 700 * KiB));
    CHECK(tms_stream_offset(s) == 123457);
    /* asking for more than is left gives what is left */
    CHECK(tms_stream_peek(s, 2 * n, &p, &avail) == TAMIS_OK);
    CHECK(avail == n - 123457 && !memcmp(p, d + 123457, avail));
    tms_stream_free(s);
    /* small steps give back exactly the input */
    s = open_mem(d, n);
    size_t got;
    char *all = drain(s, 4093, &got);
    CHECK(got == n && !memcmp(all, d, n));
    free(all);
    tms_stream_free(s);
    free(d);
}

TEST(skip_past)
{
    size_t n = 700 * KiB;
    char *d = malloc(n);
    memset(d, 'z', n);
    d[500 * KiB] = '\n';
    memcpy(d + n - 4, "rest", 4);
    tms_stream *s = open_mem(d, n);
    const char *p;
    size_t avail;
    /* skip from a partly buffered position */
    CHECK(tms_stream_peek(s, 10, &p, &avail) == TAMIS_OK);
    tms_stream_consume(s, 10);
    uint64_t skipped;
    bool found;
    CHECK(tms_stream_skip_past(s, '\n', &skipped, &found) == TAMIS_OK);
    CHECK(found && skipped == 500 * KiB + 1 - 10);
    CHECK(tms_stream_offset(s) == 500 * KiB + 1);
    CHECK(tms_stream_peek(s, 1, &p, &avail) == TAMIS_OK && avail >= 1 && p[0] == 'z');
    /* no more newlines: skips to the end */
    CHECK(tms_stream_skip_past(s, '\n', &skipped, &found) == TAMIS_OK);
    CHECK(!found && skipped == n - (500 * KiB + 1));
    CHECK(tms_stream_eof(s) && tms_stream_offset(s) == n);
    tms_stream_free(s);
    free(d);
}

TEST(real_fd)
{
    char path[] = "/tmp/tamis-unit-stream-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    size_t n = 300 * KiB;
    char *d = make_text(n, 7);
    unsigned char *z = malloc(n + 1024);
    size_t zn = gz(d, n, z, n + 1024);
    CHECK(write(fd, z, zn) == (ssize_t)zn);
    lseek(fd, 0, SEEK_SET);
    unlink(path);
    tms_stream *s = NULL;
    CHECK(tms_stream_open(&s, fd) == TAMIS_OK && s); /* owns fd from now on */
    if (s) {
        CHECK(tms_stream_codec(s) == TMS_CODEC_GZIP);
        size_t got;
        char *all = drain(s, 100000, &got);
        CHECK(got == n && !memcmp(all, d, n));
        CHECK(tms_stream_error(s) == NULL);
        CHECK(tms_stream_raw_bytes(s) == zn);
        free(all);
        tms_stream_free(s);
    }
    free(z);
    free(d);
}

TEST(gzip_one_member)
{
    size_t n = 1000 * KiB;
    char *d = make_text(n, 2);
    unsigned char *z = malloc(n + 1024);
    size_t zn = gz(d, n, z, n + 1024);
    tms_stream *s = open_mem(z, zn);
    CHECK(tms_stream_codec(s) == TMS_CODEC_GZIP);
    size_t got;
    char *all = drain(s, 70000, &got);
    CHECK(got == n && !memcmp(all, d, n));
    CHECK(tms_stream_error(s) == NULL);
    CHECK(tms_stream_eof(s));
    CHECK(tms_stream_offset(s) == n);
    CHECK(tms_stream_raw_bytes(s) == zn);
    free(all);
    tms_stream_free(s);
    free(z);
    free(d);
}

TEST(gzip_two_members)
{
    size_t n1 = 400 * KiB, n2 = 5;
    char *d1 = make_text(n1, 3);
    const char *d2 = "tail\n";
    unsigned char *z = malloc(n1 + 2048);
    size_t zn = gz(d1, n1, z, n1 + 1024);
    zn += gz(d2, n2, z + zn, 1024);
    tms_stream *s = open_mem(z, zn);
    size_t got;
    char *all = drain(s, 1 << 20, &got);
    CHECK(got == n1 + n2 && !memcmp(all, d1, n1) && !memcmp(all + n1, d2, n2));
    CHECK(tms_stream_error(s) == NULL);
    free(all);
    tms_stream_free(s);
    /* an empty member in the middle is fine too */
    unsigned char z2[256];
    size_t k = gz("a", 1, z2, sizeof z2);
    k += gz("", 0, z2 + k, sizeof z2 - k);
    k += gz("b", 1, z2 + k, sizeof z2 - k);
    s = open_mem(z2, k);
    all = drain(s, 10, &got);
    CHECK(got == 2 && !memcmp(all, "ab", 2) && tms_stream_error(s) == NULL);
    free(all);
    tms_stream_free(s);
    free(z);
    free(d1);
}

TEST(gzip_truncated)
{
    size_t n = 500 * KiB;
    char *d = make_text(n, 4);
    unsigned char *z = malloc(n + 1024);
    size_t zn = gz(d, n, z, n + 1024);
    const size_t cuts[] = {zn / 2, zn - 4, zn - 1, 12};
    for (size_t c = 0; c < TMS_ARRAY_LEN(cuts); c++) {
        tms_stream *s = open_mem(z, cuts[c]);
        size_t got;
        char *all = drain(s, 65536, &got);
        CHECK(got <= n && !memcmp(all, d, got)); /* a prefix of the text */
        CHECK(has(tms_stream_error(s), "truncated"));
        CHECK(tms_stream_eof(s));
        free(all);
        tms_stream_free(s);
    }
    /* the second of two members cut: the first is whole, the error names the second */
    size_t k = gz("first\n", 6, z, n);
    size_t k2 = gz(d, 100 * KiB, z + k, n);
    tms_stream *s = open_mem(z, k + k2 / 2);
    size_t got;
    char *all = drain(s, 65536, &got);
    CHECK(got >= 6 && !memcmp(all, "first\n", 6));
    char want[64];
    snprintf(want, sizeof want, "offset %zu", k);
    CHECK(has(tms_stream_error(s), "truncated") && has(tms_stream_error(s), want));
    free(all);
    tms_stream_free(s);
    free(z);
    free(d);
}

TEST(gzip_trailing_garbage_and_corruption)
{
    unsigned char z[512];
    size_t k = gz("payload\n", 8, z, sizeof z);
    memcpy(z + k, "garbage!", 8);
    tms_stream *s = open_mem(z, k + 8);
    size_t got;
    char *all = drain(s, 100, &got);
    CHECK(got == 8 && !memcmp(all, "payload\n", 8));
    CHECK(has(tms_stream_error(s), "trailing garbage"));
    free(all);
    tms_stream_free(s);
    /* a single stray byte after the member */
    z[k] = 0;
    s = open_mem(z, k + 1);
    all = drain(s, 100, &got);
    CHECK(got == 8 && has(tms_stream_error(s), "trailing garbage"));
    free(all);
    tms_stream_free(s);
    /* a damaged CRC is corrupt data, not a clean end */
    k = gz("payload\n", 8, z, sizeof z);
    z[k - 8] ^= 0xFF;
    s = open_mem(z, k);
    all = drain(s, 100, &got);
    CHECK(has(tms_stream_error(s), "corrupt"));
    free(all);
    tms_stream_free(s);
}

TEST(zstd_frames)
{
    size_t n = 1000 * KiB;
    char *d = make_text(n, 5);
    size_t cap = ZSTD_compressBound(n) + 1024;
    unsigned char *z = malloc(cap);
    for (int checksum = 0; checksum <= 1; checksum++) {
        size_t zn = zst(d, n, z, cap, checksum);
        tms_stream *s = open_mem(z, zn);
        CHECK(tms_stream_codec(s) == TMS_CODEC_ZSTD);
        size_t got;
        char *all = drain(s, 50000, &got);
        CHECK(got == n && !memcmp(all, d, n));
        if (tms_stream_error(s)) fprintf(stderr, "    checksum %d: %s\n", checksum, tms_stream_error(s));
        CHECK(tms_stream_error(s) == NULL);
        CHECK(tms_stream_raw_bytes(s) == zn);
        free(all);
        tms_stream_free(s);
    }
    /* two frames back to back */
    size_t k = zst(d, 300 * KiB, z, cap, 1);
    k += zst("end\n", 4, z + k, cap - k, 0);
    tms_stream *s = open_mem(z, k);
    size_t got;
    char *all = drain(s, 1 << 20, &got);
    CHECK(got == 300 * KiB + 4 && !memcmp(all, d, 300 * KiB) && !memcmp(all + 300 * KiB, "end\n", 4));
    CHECK(tms_stream_error(s) == NULL);
    free(all);
    tms_stream_free(s);
    free(z);
    free(d);
}

/* a frame without checksum whose last block is still being flushed when the
 * input runs out must not look truncated, whatever the read pattern */
TEST(zstd_no_checksum_read_patterns)
{
    const size_t sizes[] = {256 * KiB, 256 * KiB + 1, 384 * KiB, 512 * KiB, 600 * KiB + 17};
    const size_t steps[] = {1, 4096, 256 * KiB, 1 << 20};
    for (size_t i = 0; i < TMS_ARRAY_LEN(sizes); i++) {
        char *d = make_text(sizes[i], (uint32_t)i + 40);
        size_t cap = ZSTD_compressBound(sizes[i]);
        unsigned char *z = malloc(cap);
        size_t zn = zst(d, sizes[i], z, cap, 0);
        for (size_t j = 0; j < TMS_ARRAY_LEN(steps); j++) {
            if (steps[j] == 1 && sizes[i] > 256 * KiB + 1) continue; /* keep it fast */
            tms_stream *s = open_mem(z, zn);
            size_t got;
            char *all = drain(s, steps[j], &got);
            CHECK(got == sizes[i] && !memcmp(all, d, got));
            if (tms_stream_error(s))
                fprintf(stderr, "    %zu bytes, step %zu: %s\n", sizes[i], steps[j], tms_stream_error(s));
            CHECK(tms_stream_error(s) == NULL);
            free(all);
            tms_stream_free(s);
        }
        free(z);
        free(d);
    }
}

TEST(zstd_truncated_and_garbage)
{
    size_t n = 400 * KiB;
    char *d = make_text(n, 6);
    size_t cap = ZSTD_compressBound(n) + 64;
    unsigned char *z = malloc(cap);
    size_t zn = zst(d, n, z, cap, 1);
    const size_t cuts[] = {zn / 2, zn - 1, 10};
    for (size_t c = 0; c < TMS_ARRAY_LEN(cuts); c++) {
        tms_stream *s = open_mem(z, cuts[c]);
        size_t got;
        char *all = drain(s, 65536, &got);
        CHECK(got <= n && !memcmp(all, d, got)); /* all of it when only the checksum is cut */
        CHECK(has(tms_stream_error(s), "truncated"));
        CHECK(tms_stream_eof(s));
        free(all);
        tms_stream_free(s);
    }
    /* bytes after the last frame that are not a frame */
    zn = zst("ok\n", 3, z, cap, 1);
    memcpy(z + zn, "not a frame", 11);
    tms_stream *s = open_mem(z, zn + 11);
    size_t got;
    char *all = drain(s, 100, &got);
    CHECK(got == 3 && !memcmp(all, "ok\n", 3));
    CHECK(has(tms_stream_error(s), "zstd"));
    free(all);
    tms_stream_free(s);
    free(z);
    free(d);
}

TEST(no_memory)
{
    char d[100];
    memset(d, 'a', sizeof d);
    for (uint64_t k = 1; k <= 3; k++) {
        tms_stream *s = (tms_stream *)1;
        tms_alloc_fail_at(k);
        tamis_status st = tms_stream_open_mem(&s, d, sizeof d);
        const char *p;
        size_t n = 0;
        if (st == TAMIS_OK) st = tms_stream_peek(s, 10, &p, &n);
        tms_alloc_fail_at(0);
        if (k <= 2) CHECK(st == TAMIS_E_NOMEM);
        if (k == 1) CHECK(s == NULL);
        if (k == 3) CHECK(st == TAMIS_E_NOMEM); /* the decoded-bytes buffer */
        /* the stream still works once memory is back */
        if (s) {
            CHECK(tms_stream_peek(s, 10, &p, &n) == TAMIS_OK && n == 100);
            tms_stream_free(s);
        }
    }
}

int main(void)
{
    RUN(plain_small);
    RUN(plain_empty);
    RUN(find_across_chunk_boundaries);
    RUN(find_respects_max);
    RUN(peek_large_and_consume);
    RUN(skip_past);
    RUN(real_fd);
    RUN(gzip_one_member);
    RUN(gzip_two_members);
    RUN(gzip_truncated);
    RUN(gzip_trailing_garbage_and_corruption);
    RUN(zstd_frames);
    RUN(zstd_no_checksum_read_patterns);
    RUN(zstd_truncated_and_garbage);
    RUN(no_memory);
    DONE("read_stream");
}
