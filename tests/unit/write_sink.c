/* write_sink.c -- unit tests for src/write/sink.c: per-batch zstd / gzip /
 * plain frames that decompress back (alone and concatenated), and output
 * files written under a temporary name and renamed when complete. */
#include "harness.h"
#include "core/alloc.h"
#include "core/config.h"
#include "write/sink.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

static char *make_text(size_t n, uint32_t seed)
{
    char *t = malloc(n + 1);
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        t[i] = (x >> 16) % 9 == 0 ? '\n' : (char)('a' + (x >> 16) % 20);
    }
    t[n] = 0;
    return t;
}

/* all gzip members of z, inflated; NULL on any error */
static char *gunzip_all(const unsigned char *z, size_t zn, size_t *out_n, int *members)
{
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    *members = 0;
    size_t at = 0;
    while (at < zn) {
        z_stream s;
        memset(&s, 0, sizeof s);
        if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) abort();
        s.next_in = (unsigned char *)(uintptr_t)(z + at);
        s.avail_in = (uInt)(zn - at);
        int r;
        do {
            if (n == cap) out = realloc(out, cap *= 2);
            s.next_out = (unsigned char *)out + n;
            s.avail_out = (uInt)(cap - n);
            r = inflate(&s, Z_NO_FLUSH);
            n = cap - s.avail_out;
        } while (r == Z_OK);
        at = zn - s.avail_in;
        inflateEnd(&s);
        if (r != Z_STREAM_END) { free(out); return NULL; }
        (*members)++;
    }
    *out_n = n;
    return out;
}

/* all zstd frames of z: decompressed, with the number of frames and whether all carry a checksum */
static char *unzstd_all(const unsigned char *z, size_t zn, size_t *out_n, int *frames, int *checksums)
{
    *frames = *checksums = 0;
    size_t at = 0, total = 0;
    while (at < zn) {
        /* magic, then the frame header descriptor: bit 2 is the content checksum flag */
        if (zn - at < 5 || z[at] != 0x28 || z[at + 1] != 0xb5 || z[at + 2] != 0x2f || z[at + 3] != 0xfd) return NULL;
        *checksums += (z[at + 4] >> 2) & 1;
        size_t fs = ZSTD_findFrameCompressedSize(z + at, zn - at);
        if (ZSTD_isError(fs)) return NULL;
        unsigned long long c = ZSTD_getFrameContentSize(z + at, fs);
        if (c == ZSTD_CONTENTSIZE_ERROR) return NULL;
        if (c != ZSTD_CONTENTSIZE_UNKNOWN) total += (size_t)c;
        else total += 1 << 20;
        (*frames)++;
        at += fs;
    }
    char *out = malloc(total + 1);
    size_t r = ZSTD_decompress(out, total + 1, z, zn); /* decodes every frame */
    if (ZSTD_isError(r)) { free(out); return NULL; }
    *out_n = r;
    return out;
}

static tms_compressor *make(int codec, int level)
{
    tms_compressor *c = NULL;
    if (tms_compressor_create(&c, codec, level) != TAMIS_OK || !c) abort();
    return c;
}

TEST(zstd_frames)
{
    tms_compressor *c = make(TMS_COMPRESS_ZSTD, 3);
    size_t n = 300000;
    char *t = make_text(n, 1);
    tms_buf out;
    tms_buf_init(&out, SIZE_MAX / 4);
    CHECK(tms_compress(c, t, n, &out) == TAMIS_OK);
    CHECK(out.len > 0 && out.len < n); /* it did compress */
    size_t got;
    int frames, sums;
    char *back = unzstd_all((unsigned char *)out.data, out.len, &got, &frames, &sums);
    CHECK(back && got == n && !memcmp(back, t, n));
    CHECK(frames == 1 && sums == 1);
    free(back);
    /* three batches, one frame each: the concatenation is one valid stream */
    size_t first = out.len;
    CHECK(tms_compress(c, "second batch\n", 13, &out) == TAMIS_OK);
    CHECK(tms_compress(c, t, 1000, &out) == TAMIS_OK);
    CHECK(out.len > first);
    back = unzstd_all((unsigned char *)out.data, out.len, &got, &frames, &sums);
    CHECK(back && frames == 3 && sums == 3);
    CHECK(back && got == n + 13 + 1000 && !memcmp(back, t, n) && !memcmp(back + n, "second batch\n", 13) &&
          !memcmp(back + n + 13, t, 1000));
    free(back);
    /* nothing for an empty batch, an empty frame on request */
    size_t before = out.len;
    CHECK(tms_compress(c, "", 0, &out) == TAMIS_OK && out.len == before);
    CHECK(tms_compress_frame(c, "", 0, &out) == TAMIS_OK && out.len > before);
    back = unzstd_all((unsigned char *)out.data + before, out.len - before, &got, &frames, &sums);
    CHECK(back && got == 0 && frames == 1);
    free(back);
    tms_buf_free(&out);
    free(t);
    tms_compressor_free(c);
    tms_compressor_free(NULL);
}

TEST(gzip_members)
{
    for (int level = 1; level <= 9; level += 8) {
        tms_compressor *c = make(TMS_COMPRESS_GZIP, level);
        size_t n = 200000;
        char *t = make_text(n, 2);
        tms_buf out;
        tms_buf_init(&out, SIZE_MAX / 4);
        CHECK(tms_compress(c, t, n, &out) == TAMIS_OK);
        CHECK(out.len > 18 && out.len < n && (unsigned char)out.data[0] == 0x1f && (unsigned char)out.data[1] == 0x8b);
        size_t got;
        int members;
        char *back = gunzip_all((unsigned char *)out.data, out.len, &got, &members);
        CHECK(back && got == n && !memcmp(back, t, n) && members == 1);
        free(back);
        /* the compressor is reused for the next members */
        CHECK(tms_compress(c, "b2\n", 3, &out) == TAMIS_OK);
        CHECK(tms_compress(c, t + 5, 70000, &out) == TAMIS_OK);
        size_t before = out.len;
        CHECK(tms_compress(c, "", 0, &out) == TAMIS_OK && out.len == before);
        CHECK(tms_compress_frame(c, "", 0, &out) == TAMIS_OK && out.len > before);
        back = gunzip_all((unsigned char *)out.data, out.len, &got, &members);
        CHECK(back && members == 4 && got == n + 3 + 70000);
        CHECK(back && !memcmp(back + n, "b2\n", 3) && !memcmp(back + n + 3, t + 5, 70000));
        free(back);
        tms_buf_free(&out);
        free(t);
        tms_compressor_free(c);
    }
}

TEST(incompressible_and_none)
{
    /* random bytes grow a little: the bound must hold */
    size_t n = 100000;
    unsigned char *r = malloc(n);
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        r[i] = (unsigned char)x;
    }
    int codecs[] = {TMS_COMPRESS_ZSTD, TMS_COMPRESS_GZIP};
    for (int k = 0; k < 2; k++) {
        tms_compressor *c = make(codecs[k], k ? 9 : 19);
        tms_buf out;
        tms_buf_init(&out, SIZE_MAX / 4);
        CHECK(tms_compress(c, (char *)r, n, &out) == TAMIS_OK);
        size_t got;
        int f, s;
        char *back = k ? gunzip_all((unsigned char *)out.data, out.len, &got, &f)
                       : unzstd_all((unsigned char *)out.data, out.len, &got, &f, &s);
        CHECK(back && got == n && !memcmp(back, r, n));
        free(back);
        tms_buf_free(&out);
        tms_compressor_free(c);
    }
    /* none: the bytes as they are, appended */
    tms_compressor *c = make(TMS_COMPRESS_NONE, 0);
    tms_buf out;
    tms_buf_init(&out, 1 << 20);
    CHECK(tms_compress(c, "abc", 3, &out) == TAMIS_OK);
    CHECK(tms_compress(c, "def", 3, &out) == TAMIS_OK);
    CHECK(out.len == 6 && !memcmp(out.data, "abcdef", 6));
    tms_buf_free(&out);
    /* past the output buffer's cap */
    tms_buf_init(&out, 4);
    CHECK(tms_compress(c, "abcdef", 6, &out) == TAMIS_E_TOO_BIG);
    tms_buf_free(&out);
    tms_compressor_free(c);
    c = make(TMS_COMPRESS_ZSTD, 3);
    tms_buf_init(&out, 8);
    CHECK(tms_compress(c, (char *)r, 1000, &out) == TAMIS_E_TOO_BIG);
    tms_buf_free(&out);
    tms_compressor_free(c);
    free(r);
}

TEST(suffixes)
{
    CHECK(!strcmp(tms_codec_suffix(TMS_COMPRESS_ZSTD), ".jsonl.zst"));
    CHECK(!strcmp(tms_codec_suffix(TMS_COMPRESS_GZIP), ".jsonl.gz"));
    CHECK(!strcmp(tms_codec_suffix(TMS_COMPRESS_NONE), ".jsonl"));
    CHECK(tms_codec_for_path("out/rejected.jsonl.zst") == TMS_COMPRESS_ZSTD);
    CHECK(tms_codec_for_path("r.gz") == TMS_COMPRESS_GZIP);
    CHECK(tms_codec_for_path("r.jsonl") == TMS_COMPRESS_NONE);
    CHECK(tms_codec_for_path(".zst") == TMS_COMPRESS_NONE);
    CHECK(tms_codec_for_path("gz") == TMS_COMPRESS_NONE);
    CHECK(tms_codec_for_path("-") == TMS_COMPRESS_NONE);
}

static char dir[64];

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    if (!f) return NULL;
    char *b = malloc(1 << 16);
    *n = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

TEST(sink_rename_on_close)
{
    snprintf(dir, sizeof dir, "/tmp/tamis-unit-sink-XXXXXX");
    if (!mkdtemp(dir)) { perror("mkdtemp"); CHECK(0); return; }
    char final[128], tmp[160], partial[160], err[256] = "";
    snprintf(final, sizeof final, "%s/kept.jsonl", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", final, (long)getpid());
    snprintf(partial, sizeof partial, "%s.partial", final);

    tms_sink s;
    CHECK(tms_sink_open(&s, final, err, sizeof err) == TAMIS_OK);
    CHECK(s.fd >= 0 && s.tmp && !strcmp(s.tmp, tmp) && !strcmp(s.path, final));
    CHECK(exists(tmp) && !exists(final)); /* nothing that looks finished while writing */
    CHECK(tms_sink_write(&s, "line 1\n", 7, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_write(&s, "line 2\n", 7, err, sizeof err) == TAMIS_OK);
    CHECK(s.bytes == 14);
    CHECK(!exists(final));
    CHECK(tms_sink_close(&s, true, err, sizeof err) == TAMIS_OK);
    CHECK(exists(final) && !exists(tmp) && !exists(partial));
    size_t n;
    char *b = slurp(final, &n);
    CHECK(b && n == 14 && !memcmp(b, "line 1\nline 2\n", 14));
    free(b);
    CHECK(s.fd == -1 && s.path == NULL && s.tmp == NULL);
    CHECK(tms_sink_close(&s, true, err, sizeof err) == TAMIS_OK); /* closing twice is harmless */

    /* an incomplete run keeps its bytes under .partial, and never the final name */
    unlink(final);
    CHECK(tms_sink_open(&s, final, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_write(&s, "half", 4, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_close(&s, false, err, sizeof err) == TAMIS_OK);
    CHECK(exists(partial) && !exists(final) && !exists(tmp));
    b = slurp(partial, &n);
    CHECK(b && n == 4 && !memcmp(b, "half", 4));
    free(b);
    unlink(partial);

    /* a reopened sink truncates what a previous attempt left under the temporary name */
    FILE *f = fopen(tmp, "w");
    if (f) { fputs("stale stale stale", f); fclose(f); }
    CHECK(tms_sink_open(&s, final, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_write(&s, "new", 3, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_close(&s, true, err, sizeof err) == TAMIS_OK);
    b = slurp(final, &n);
    CHECK(b && n == 3 && !memcmp(b, "new", 3));
    free(b);
    unlink(final);

    /* discard: the temporary file goes away, nothing is left */
    CHECK(tms_sink_open(&s, final, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_write(&s, "x", 1, err, sizeof err) == TAMIS_OK);
    tms_sink_discard(&s);
    CHECK(!exists(tmp) && !exists(final) && !exists(partial));
    CHECK(s.fd == -1);

    /* a directory that does not exist: an I/O error naming the file */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/no/such/dir/k.jsonl", dir);
    err[0] = 0;
    CHECK(tms_sink_open(&s, bad, err, sizeof err) == TAMIS_E_IO);
    CHECK(strstr(err, "no/such/dir/k.jsonl") != NULL);
    CHECK(s.fd == -1 && s.path == NULL && s.tmp == NULL);

    /* out of memory while opening */
    for (uint64_t k = 1; k <= 2; k++) {
        tms_alloc_fail_at(k);
        tamis_status st = tms_sink_open(&s, final, err, sizeof err);
        tms_alloc_fail_at(0);
        CHECK(st == TAMIS_E_NOMEM && s.fd == -1 && !exists(tmp));
    }
    rmdir(dir);
    CHECK(!exists(dir)); /* the directory was left empty */
}

TEST(sink_stdout)
{
    tms_sink s;
    char err[64];
    CHECK(tms_sink_open(&s, "-", err, sizeof err) == TAMIS_OK);
    CHECK(s.fd == STDOUT_FILENO && s.tmp == NULL);
    CHECK(tms_sink_write(&s, "", 0, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sink_close(&s, true, err, sizeof err) == TAMIS_OK);
    CHECK(s.fd == -1);
    CHECK(fcntl(STDOUT_FILENO, F_GETFD) != -1); /* stdout stays open */
}

int main(void)
{
    RUN(zstd_frames);
    RUN(gzip_members);
    RUN(incompressible_and_none);
    RUN(suffixes);
    RUN(sink_rename_on_close);
    RUN(sink_stdout);
    DONE("write_sink");
}
