/* fuzz_stream.c -- libFuzzer target for the decompressing stream
 * (src/read/stream.c): codec detection, gzip (multi-member) and zstd
 * (multi-frame) decoding, error detection, and the buffer management behind
 * peek / find / consume / skip_past / eof.
 *
 * Input layout: byte 0 seeds the access pattern (a sequence of peeks of
 * assorted sizes, partial consumes, finds with assorted caps, skip_pasts and
 * eof checks); byte 1 picks how the body is wrapped and delivered; the rest
 * is the body.
 *
 * Each input is run twice:
 *   raw      the body itself (the decoders run when it starts with gzip or
 *            zstd magic);
 *   wrapped  the body (optionally repeated past the 256 KiB buffer size)
 *            compressed here with zlib or libzstd: one or several gzip
 *            members, zstd frames around a skippable frame, a truncated
 *            stream, or trailing garbage.
 * Every run reads the stream once simply (peek, consume all) as the
 * reference, then again with the access pattern; the two must see the same
 * bytes at the same offsets and end the same way. A wrapped stream must
 * decode to exactly the body (a prefix plus an error when truncated; the
 * body plus an error with trailing garbage). Offsets never go backwards, eof
 * is stable, and the raw byte count ends at the input size.
 *
 * Byte 1 bit 5 delivers the bytes through a SOCK_SEQPACKET socket fed by a
 * thread in chunks of assorted sizes (deterministic short reads, as from a
 * pipe) instead of tms_stream_open_mem. */
#include "fuzz_common.h"
#include "read/stream.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK TMS_IO_CHUNK
#define REF_CAP ((size_t)8 << 20) /* a decompression bomb is compared up to here */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz_bytes { uint8_t *p; size_t n, cap; } fz_bytes;

static void fz_reserve(fz_bytes *b, size_t n)
{
    if (b->cap - b->n >= n) return;
    size_t nc = b->cap ? b->cap : 4096;
    while (nc - b->n < n) nc *= 2;
    b->p = realloc(b->p, nc);
    CHECK(b->p != NULL);
    b->cap = nc;
}

static void fz_add(fz_bytes *b, const void *p, size_t n)
{
    fz_reserve(b, n);
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* ---- delivery: memory, or a socket with one packet per read ---- */

typedef struct feeder { int fd; const uint8_t *p; size_t n; uint64_t seed; pthread_t th; bool on; } feeder;

static void *feed(void *arg)
{
    feeder *f = arg;
    fz_rng r = {f->seed};
    size_t off = 0;
    while (off < f->n) {
        size_t k;
        switch (fz_below(&r, 4)) {
        case 0: k = 1 + fz_below(&r, 3); break;
        case 1: k = 1 + fz_below(&r, 64); break;
        case 2: k = 1 + fz_below(&r, 8192); break;
        default: k = 1 + fz_below(&r, 65536); break;
        }
        if (k > f->n - off) k = f->n - off;
        ssize_t w = send(f->fd, f->p + off, k, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break; /* the reader stopped early and closed its end */
        off += (size_t)w;
    }
    close(f->fd);
    return NULL;
}

static tms_stream *fz_open(const uint8_t *p, size_t n, bool use_fd, uint64_t seed, feeder *f)
{
    tms_stream *s = NULL;
    f->on = false;
    int sv[2];
    if (use_fd && socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0) {
        *f = (feeder){sv[1], p, n, seed, 0, true};
        CHECK(pthread_create(&f->th, NULL, feed, f) == 0);
        CHECK(tms_stream_open(&s, sv[0]) == TAMIS_OK);
        return s;
    }
    CHECK(tms_stream_open_mem(&s, p, n) == TAMIS_OK);
    return s;
}

static void fz_close(tms_stream *s, feeder *f)
{
    tms_stream_free(s);
    if (f->on) pthread_join(f->th, NULL);
}

/* ---- the reference read: peek whatever is there, consume it all ---- */

typedef struct ref {
    fz_bytes b;
    bool capped;   /* stopped at REF_CAP: b is a prefix of the stream */
    bool err;      /* the stream ended with an error */
    uint64_t raw;  /* compressed bytes read */
} ref;

static void ref_read(tms_stream *s, ref *rf)
{
    for (;;) {
        CHECK(tms_stream_offset(s) == rf->b.n);
        const char *p;
        size_t n;
        CHECK(tms_stream_peek(s, 1, &p, &n) == TAMIS_OK);
        if (n == 0) break;
        if (rf->b.n + n > REF_CAP) { rf->capped = true; break; }
        fz_add(&rf->b, p, n);
        tms_stream_consume(s, n);
    }
    if (!rf->capped) CHECK(tms_stream_eof(s));
    rf->err = tms_stream_error(s) != NULL;
    rf->raw = tms_stream_raw_bytes(s);
}

/* p[0..n) was seen at offset off: it must match the reference where they overlap */
static void same_bytes(const ref *rf, uint64_t off, const char *p, size_t n)
{
    if (!rf->capped) CHECK(off + n <= rf->b.n);
    if (off >= rf->b.n) return;
    size_t k = rf->b.n - off < n ? (size_t)(rf->b.n - off) : n;
    CHECK(memcmp(p, rf->b.p + off, k) == 0);
}

static const size_t sizes[] = {0, 1, 2, 3, 4, 5, 8, 9, 63, 64, 4095, 4096, 65536, CHUNK - 1, CHUNK, CHUNK + 1,
                               2 * CHUNK + 3};

static size_t pick_size(fz_rng *r)
{
    size_t i = fz_below(r, TMS_ARRAY_LEN(sizes) + 2);
    return i < TMS_ARRAY_LEN(sizes) ? sizes[i] : fz_below(r, 3 * CHUNK);
}

static char pick_byte(fz_rng *r, const ref *rf)
{
    switch (fz_below(r, 3)) {
    case 0: return '\n';
    case 1: if (rf->b.n) return (char)rf->b.p[fz_below(r, rf->b.n)]; /* fall through */
    default: return (char)fz_next(r);
    }
}

static void pattern_read(tms_stream *s, const ref *rf, uint8_t seed, tms_codec codec)
{
    fz_rng r = {0x5EED0000u + seed};
    uint64_t off = tms_stream_offset(s), total = rf->b.n;
    CHECK(off == 0);
    size_t nops = 1 + fz_below(&r, 64);
    for (size_t i = 0; i < nops && !(rf->capped && off >= total); i++) {
        const char *p;
        size_t n, len;
        bool found;
        switch (fz_below(&r, 6)) {
        case 0: { /* peek, then consume some of it */
            size_t want = pick_size(&r);
            CHECK(tms_stream_peek(s, want, &p, &n) == TAMIS_OK);
            CHECK(tms_stream_offset(s) == off);
            same_bytes(rf, off, p, n);
            if (!rf->capped) CHECK(n >= want || off + n == total); /* fewer only at the end */
            size_t k = fz_below(&r, 3) == 0 ? n : fz_below(&r, n + 1);
            tms_stream_consume(s, k);
            break;
        }
        case 1: { /* find a byte under a cap, then consume up to it (or some) */
            char c = pick_byte(&r, rf);
            size_t max = pick_size(&r);
            CHECK(tms_stream_find(s, c, max, &p, &len, &found) == TAMIS_OK);
            CHECK(tms_stream_offset(s) == off);
            same_bytes(rf, off, p, len + found);
            if (found) {
                CHECK(len < max && p[len] == c && memchr(p, c, len) == NULL);
            } else {
                CHECK(len <= max && memchr(p, c, len) == NULL); /* len: the bytes searched */
                if (!rf->capped) CHECK(len == max || off + len == total);
            }
            size_t k = fz_below(&r, 2) ? len + found : fz_below(&r, len + found + 1);
            tms_stream_consume(s, k);
            break;
        }
        case 2: { /* skip past a byte */
            char c = pick_byte(&r, rf);
            uint64_t skipped;
            CHECK(tms_stream_skip_past(s, c, &skipped, &found) == TAMIS_OK);
            uint64_t now = tms_stream_offset(s);
            CHECK(now == off + skipped);
            uint64_t scan_end = now - found; /* bytes before the hit hold no c */
            if (scan_end > total) scan_end = total;
            if (scan_end > off) CHECK(memchr(rf->b.p + off, c, (size_t)(scan_end - off)) == NULL);
            if (found && now <= total) CHECK(now >= 1 && rf->b.p[now - 1] == (uint8_t)c);
            if (!rf->capped) CHECK(now <= total);
            if (!found && !rf->capped) CHECK(now == total);
            break;
        }
        case 3: { /* eof is a pure question */
            bool e = tms_stream_eof(s);
            CHECK(tms_stream_offset(s) == off);
            if (!rf->capped) CHECK(e == (off == total));
            else if (off < total) CHECK(!e);
            break;
        }
        case 4:
            CHECK(tms_stream_codec(s) == codec);
            break;
        default: { /* a big peek consumed whole */
            CHECK(tms_stream_peek(s, CHUNK + fz_below(&r, CHUNK), &p, &n) == TAMIS_OK);
            same_bytes(rf, off, p, n);
            tms_stream_consume(s, n);
            break;
        }
        }
        uint64_t now = tms_stream_offset(s);
        CHECK(now >= off); /* offsets never go backwards */
        off = now;
    }
    if (rf->capped) return;
    /* drain, then the end must be the reference's end, and stable */
    for (;;) {
        const char *p;
        size_t n;
        CHECK(tms_stream_peek(s, 4096, &p, &n) == TAMIS_OK);
        same_bytes(rf, off, p, n);
        if (n == 0) break;
        tms_stream_consume(s, n);
        off += n;
        CHECK(tms_stream_offset(s) == off);
    }
    CHECK(off == total);
    for (int k = 0; k < 2; k++) {
        const char *p;
        size_t n;
        uint64_t skipped;
        bool found;
        CHECK(tms_stream_eof(s));
        CHECK(tms_stream_peek(s, 1, &p, &n) == TAMIS_OK && n == 0);
        CHECK(tms_stream_skip_past(s, '\n', &skipped, &found) == TAMIS_OK && skipped == 0 && !found);
        CHECK(tms_stream_offset(s) == total);
    }
    CHECK((tms_stream_error(s) != NULL) == rf->err);
    if (!rf->err) CHECK(tms_stream_raw_bytes(s) == rf->raw); /* with an error: how far the source was read varies */
}

static tms_codec magic_codec(const uint8_t *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return TMS_CODEC_GZIP;
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) return TMS_CODEC_ZSTD;
    return TMS_CODEC_NONE;
}

/* Runs the reference and the pattern read over p[0..n); returns the reference. */
static void run(const uint8_t *p, size_t n, uint8_t seed, bool use_fd, ref *rf)
{
    feeder f;
    tms_codec codec = magic_codec(p, n);
    tms_stream *s = fz_open(p, n, use_fd, seed * 7919u + n, &f);
    CHECK(tms_stream_codec(s) == codec);
    ref_read(s, rf);
    CHECK(rf->raw <= n);
    if (!rf->capped && !rf->err) CHECK(rf->raw == n); /* read to the end */
    fz_close(s, &f);
    s = fz_open(p, n, use_fd, seed * 104729u + n, &f);
    pattern_read(s, rf, seed, codec);
    fz_close(s, &f);
}

/* ---- compressing the body ---- */

static void gzip_member(fz_bytes *out, const uint8_t *p, size_t n, int level)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    CHECK(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    size_t bound = deflateBound(&z, (uLong)n) + 32;
    fz_reserve(out, bound);
    z.next_in = (unsigned char *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = out->p + out->n;
    z.avail_out = (uInt)(out->cap - out->n);
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out->n += z.total_out;
    deflateEnd(&z);
}

static void zstd_frame(fz_bytes *out, const uint8_t *p, size_t n, int level, bool checksum, bool size_flag)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    CHECK(c != NULL);
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum);
    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, size_flag);
    size_t bound = ZSTD_compressBound(n);
    fz_reserve(out, bound);
    size_t k = ZSTD_compress2(c, out->p + out->n, out->cap - out->n, p, n);
    CHECK(!ZSTD_isError(k));
    out->n += k;
    ZSTD_freeCCtx(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t seed = size > 0 ? data[0] : 0;
    uint8_t mode = size > 1 ? data[1] : 0;
    const uint8_t *body = size > 2 ? data + 2 : data;
    size_t bn = size > 2 ? size - 2 : 0;
    bool use_fd = mode & 0x20;

    /* raw: with no magic the stream is the body itself */
    ref raw = {0};
    run(body, bn, seed, use_fd, &raw);
    if (magic_codec(body, bn) == TMS_CODEC_NONE)
        CHECK(!raw.err && !raw.capped && raw.b.n == bn && (bn == 0 || memcmp(raw.b.p, body, bn) == 0));
    free(raw.b.p);

    /* wrapped */
    fz_rng r = {0xC0DEu + (uint64_t)seed * 31 + mode};
    fz_bytes plain = {0}, z = {0};
    fz_reserve(&plain, 1); /* never NULL, even for an empty body */
    size_t rep = 1;
    if (bn && (mode & 0x18) == 0x10) rep = CHUNK / bn + 1 + fz_below(&r, 3);
    if (bn && (mode & 0x18) == 0x18) rep = (4 * CHUNK + 5) / bn + 1;
    for (size_t i = 0; i < rep; i++) fz_add(&plain, body, bn);
    static const int gz_level[] = {1, 6, 0, 9}, zs_level[] = {1, 3, -5, 7};
    int lv = mode >> 6, kind = mode & 7;
    bool checksum = fz_below(&r, 2), size_flag = fz_below(&r, 2);
    if (kind == 1) { /* several gzip members, maybe empty ones */
        size_t a = fz_below(&r, plain.n + 1), b = a + fz_below(&r, plain.n - a + 1);
        gzip_member(&z, plain.p, a, gz_level[lv]);
        gzip_member(&z, plain.p + a, b - a, gz_level[lv]);
        gzip_member(&z, plain.p + b, plain.n - b, gz_level[lv]);
    } else if (kind == 3) { /* zstd frames around a skippable frame */
        size_t a = fz_below(&r, plain.n + 1);
        zstd_frame(&z, plain.p, a, zs_level[lv], checksum, size_flag);
        uint8_t skip[8 + 5] = {0x50 + (uint8_t)fz_below(&r, 16), 0x2a, 0x4d, 0x18, 5, 0, 0, 0, 'x', 'y', 'z', 0, 1};
        fz_add(&z, skip, sizeof skip);
        zstd_frame(&z, plain.p + a, plain.n - a, zs_level[lv], checksum, size_flag);
    } else if (kind & 1) {
        zstd_frame(&z, plain.p, plain.n, zs_level[lv], checksum, size_flag);
    } else {
        gzip_member(&z, plain.p, plain.n, gz_level[lv]);
    }
    bool is_zstd = kind & 1;
    bool damaged = kind >= 4;
    if (kind == 4 || kind == 5) { /* truncated, the magic kept */
        size_t keep = is_zstd ? 4 : 2;
        size_t room = z.n - keep;
        size_t cut = 1 + (fz_below(&r, 2) ? fz_below(&r, room < 16 ? room : 16) : fz_below(&r, room));
        z.n -= cut;
    } else if (kind >= 6) { /* 1 to 5 bytes of trailing garbage: never a whole member or frame */
        size_t g = 1 + fz_below(&r, 5);
        for (size_t i = 0; i < g; i++) {
            uint8_t c = (uint8_t)fz_next(&r);
            fz_add(&z, &c, 1);
        }
    }
    ref w = {0};
    run(z.p, z.n, seed, use_fd, &w);
    CHECK(!w.capped);
    CHECK(w.err == damaged);
    if (kind == 4 || kind == 5) CHECK(w.b.n <= plain.n);
    else CHECK(w.b.n == plain.n);
    CHECK(w.b.n == 0 || memcmp(w.b.p, plain.p, w.b.n) == 0);
    free(w.b.p);
    free(plain.p);
    free(z.p);
    return 0;
}
