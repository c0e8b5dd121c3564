/* stream.c -- decompressing buffered reader (zlib for gzip, libzstd for zstd). */
#include "stream.h"
#include "../core/alloc.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

struct tms_stream {
    int fd;                  /* -1 for memory streams */
    const unsigned char *mem; size_t mem_len, mem_pos;
    tms_codec codec;
    /* raw (compressed) input */
    unsigned char *in; size_t in_pos, in_len, in_cap;
    bool raw_eof;
    _Atomic uint64_t raw_total;
    /* decompressed bytes: [pos, len) are unread */
    char *buf; size_t pos, len, cap;
    uint64_t base;           /* stream offset of buf[0] */
    bool eof;                /* decoder produced its last byte */
    char err[160];
    z_stream z; bool z_init; bool z_member_done; uint64_t member_start;
    ZSTD_DStream *zs; size_t zs_last;
    const _Atomic int *cancel;
    bool detected;           /* the codec was picked (after the first read) */
};

void tms_stream_set_cancel(tms_stream *s, const _Atomic int *cancel) { s->cancel = cancel; }

static tamis_status raw_fill(tms_stream *s)
{
    if (s->in_pos < s->in_len) {
        memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
        s->in_len -= s->in_pos;
    } else {
        s->in_len = 0;
    }
    s->in_pos = 0;
    if (s->raw_eof) return TAMIS_OK;
    size_t room = s->in_cap - s->in_len;
    if (room == 0) return TAMIS_OK;
    ssize_t n;
    if (s->fd < 0) {
        size_t k = s->mem_len - s->mem_pos < room ? s->mem_len - s->mem_pos : room;
        memcpy(s->in + s->in_len, s->mem + s->mem_pos, k);
        s->mem_pos += k;
        n = (ssize_t)k;
    } else {
        for (;;) {
            n = read(s->fd, s->in + s->in_len, room);
            if (n >= 0 || errno != EINTR) break;
            if (s->cancel && atomic_load(s->cancel)) return TAMIS_E_INTERRUPTED;
        }
        if (n < 0) {
            snprintf(s->err, sizeof s->err, "read error: %s", strerror(errno));
            return TAMIS_E_IO;
        }
    }
    if (n == 0) s->raw_eof = true;
    s->in_len += (size_t)n;
    atomic_fetch_add_explicit(&s->raw_total, (uint64_t)n, memory_order_relaxed);
    return TAMIS_OK;
}

static tamis_status init_common(tms_stream *s)
{
    s->in_cap = TMS_IO_CHUNK;
    s->in = tms_malloc(s->in_cap);
    return s->in ? TAMIS_OK : TAMIS_E_NOMEM;
}

/* Reads the first bytes and picks the decoder from the magic bytes. Done
 * lazily, so that opening never blocks and a cancel flag set after opening
 * already applies to the first read. */
static tamis_status detect(tms_stream *s)
{
    s->detected = true;
    TMS_TRY(raw_fill(s));
    while (!s->raw_eof && s->in_len < 4) TMS_TRY(raw_fill(s));
    if (s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) return TAMIS_E_NOMEM;
        s->z_init = true;
        s->codec = TMS_CODEC_GZIP;
    } else if (s->in_len >= 4 && s->in[0] == 0x28 && s->in[1] == 0xb5 && s->in[2] == 0x2f && s->in[3] == 0xfd) {
        s->zs = ZSTD_createDStream();
        if (!s->zs) return TAMIS_E_NOMEM;
        ZSTD_initDStream(s->zs);
        s->codec = TMS_CODEC_ZSTD;
    }
    return TAMIS_OK;
}

tamis_status tms_stream_open(tms_stream **out, int fd)
{
    tms_stream *s = tms_calloc(1, sizeof *s);
    *out = NULL;
    if (!s) { close(fd); return TAMIS_E_NOMEM; }
    s->fd = fd;
    tamis_status st = init_common(s);
    if (st != TAMIS_OK) { tms_stream_free(s); return st; }
    *out = s;
    return TAMIS_OK;
}

tamis_status tms_stream_open_mem(tms_stream **out, const void *p, size_t n)
{
    tms_stream *s = tms_calloc(1, sizeof *s);
    *out = NULL;
    if (!s) return TAMIS_E_NOMEM;
    s->fd = -1;
    s->mem = p;
    s->mem_len = n;
    tamis_status st = init_common(s);
    if (st != TAMIS_OK) { tms_stream_free(s); return st; }
    *out = s;
    return TAMIS_OK;
}

void tms_stream_free(tms_stream *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    if (s->z_init) inflateEnd(&s->z);
    if (s->zs) ZSTD_freeDStream(s->zs);
    tms_free(s->in);
    tms_free(s->buf);
    tms_free(s);
}

tms_codec tms_stream_codec(tms_stream *s)
{
    if (!s->detected && detect(s) != TAMIS_OK) return TMS_CODEC_NONE;
    return s->codec;
}
const char *tms_stream_error(const tms_stream *s) { return s->err[0] ? s->err : NULL; }
uint64_t tms_stream_offset(const tms_stream *s) { return s->base + s->pos; }
uint64_t tms_stream_raw_bytes(tms_stream *s) { return atomic_load_explicit(&s->raw_total, memory_order_relaxed); }

static void stop(tms_stream *s, const char *fmt, uint64_t off)
{
    snprintf(s->err, sizeof s->err, fmt, (unsigned long long)off);
    s->eof = true;
}

/* Appends decompressed bytes to buf (which has room). */
static tamis_status decode_more(tms_stream *s)
{
    if (!s->detected) TMS_TRY(detect(s));
    size_t room = s->cap - s->len;
    if (s->in_pos >= s->in_len) TMS_TRY(raw_fill(s));
    size_t avail = s->in_len - s->in_pos;
    if (s->codec == TMS_CODEC_NONE) {
        if (avail == 0) { s->eof = true; return TAMIS_OK; }
        size_t k = avail < room ? avail : room;
        memcpy(s->buf + s->len, s->in + s->in_pos, k);
        s->in_pos += k;
        s->len += k;
        return TAMIS_OK;
    }
    uint64_t consumed_before = atomic_load(&s->raw_total) - (s->in_len - s->in_pos);
    if (s->codec == TMS_CODEC_GZIP) {
        if (s->z_member_done) {
            /* another member, or the end */
            if (avail == 0) { s->eof = true; return TAMIS_OK; }
            if (avail < 2 && !s->raw_eof) { TMS_TRY(raw_fill(s)); avail = s->in_len - s->in_pos; }
            if (avail < 2 || s->in[s->in_pos] != 0x1f || s->in[s->in_pos + 1] != 0x8b) {
                stop(s, "trailing garbage after the last gzip member (compressed offset %llu)", consumed_before);
                return TAMIS_OK;
            }
            inflateReset(&s->z);
            s->z_member_done = false;
            s->member_start = consumed_before;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)avail;
        s->z.next_out = (unsigned char *)s->buf + s->len;
        s->z.avail_out = (uInt)room;
        int r = inflate(&s->z, Z_NO_FLUSH);
        size_t used = avail - s->z.avail_in;
        size_t made = room - s->z.avail_out;
        s->in_pos += used;
        s->len += made;
        if (r == Z_STREAM_END) { s->z_member_done = true; return TAMIS_OK; }
        if (r == Z_OK) return TAMIS_OK;
        if (r == Z_BUF_ERROR && s->raw_eof && s->in_pos >= s->in_len) {
            stop(s, "truncated gzip member (starting at compressed offset %llu)", s->member_start);
            return TAMIS_OK;
        }
        if (r == Z_BUF_ERROR) return TAMIS_OK; /* needs more input */
        if (r == Z_MEM_ERROR) return TAMIS_E_NOMEM;
        stop(s, "corrupt gzip data (member starting at compressed offset %llu)", s->member_start);
        return TAMIS_OK;
    }
    /* zstd */
    if (avail == 0 && s->raw_eof) {
        if (s->zs_last != 0) stop(s, "truncated zstd frame (at compressed offset %llu)", consumed_before);
        else s->eof = true;
        return TAMIS_OK;
    }
    /* On error zstd does not report the output it made in that call, so how
     * much was lost would depend on the caller's peeks and on read sizes.
     * Feed one block at a time: zstd's hint is the rest of the block plus the
     * 3-byte header of the next one (left for the next call, so a bad header
     * fails alone); 5 bytes, the frame header prefix, at a frame start. */
    size_t feed = s->zs_last > 3 ? s->zs_last - 3 : s->zs_last ? s->zs_last : 5;
    ZSTD_inBuffer ib = {s->in + s->in_pos, avail < feed ? avail : feed, 0};
    ZSTD_outBuffer ob = {s->buf + s->len, room, 0};
    size_t r = ZSTD_decompressStream(s->zs, &ob, &ib);
    s->in_pos += ib.pos;
    s->len += ob.pos;
    if (ZSTD_isError(r)) {
        snprintf(s->err, sizeof s->err, "corrupt zstd data (compressed offset %llu): %s",
                 (unsigned long long)consumed_before, ZSTD_getErrorName(r));
        s->eof = true;
        return TAMIS_OK;
    }
    s->zs_last = r;
    return TAMIS_OK;
}

/* Ensures room for `extra` more bytes after len, compacting or growing. */
static tamis_status make_room(tms_stream *s, size_t extra)
{
    if (s->pos > 0 && (s->pos >= s->len || s->cap - s->len < extra)) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->base += s->pos;
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->cap - s->len >= extra && s->buf) return TAMIS_OK;
    size_t ncap = s->cap ? s->cap : TMS_IO_CHUNK;
    while (ncap - s->len < extra) ncap *= 2;
    char *nb = tms_realloc(s->buf, ncap);
    if (!nb) return TAMIS_E_NOMEM;
    s->buf = nb;
    s->cap = ncap;
    return TAMIS_OK;
}

tamis_status tms_stream_peek(tms_stream *s, size_t want, const char **p, size_t *avail)
{
    while (s->len - s->pos < want && !s->eof) {
        size_t need = want - (s->len - s->pos);
        TMS_TRY(make_room(s, need < TMS_IO_CHUNK ? TMS_IO_CHUNK : need));
        TMS_TRY(decode_more(s));
    }
    *p = s->buf ? s->buf + s->pos : "";
    *avail = s->len - s->pos;
    return TAMIS_OK;
}

tamis_status tms_stream_find(tms_stream *s, char c, size_t max, const char **p, size_t *len, bool *found)
{
    size_t scanned = 0;
    for (;;) {
        size_t have = s->len - s->pos;
        size_t lim = have < max ? have : max;
        const char *hit = lim > scanned ? memchr(s->buf + s->pos + scanned, c, lim - scanned) : NULL;
        if (hit) {
            *p = s->buf + s->pos;
            *len = (size_t)(hit - *p);
            *found = true;
            return TAMIS_OK;
        }
        scanned = lim;
        if (have >= max || s->eof) {
            *p = s->buf ? s->buf + s->pos : "";
            *len = lim; /* not `have`: bytes past max may hold c and must not be consumed blindly */
            *found = false;
            return TAMIS_OK;
        }
        TMS_TRY(make_room(s, TMS_IO_CHUNK));
        TMS_TRY(decode_more(s));
    }
}

void tms_stream_consume(tms_stream *s, size_t n)
{
    assert(n <= s->len - s->pos);
    s->pos += n;
}

tamis_status tms_stream_skip_past(tms_stream *s, char c, uint64_t *skipped, bool *found)
{
    *skipped = 0;
    *found = false;
    for (;;) {
        size_t have = s->len - s->pos;
        const char *hit = have ? memchr(s->buf + s->pos, c, have) : NULL;
        if (hit) {
            size_t k = (size_t)(hit - (s->buf + s->pos)) + 1;
            s->pos += k;
            *skipped += k;
            *found = true;
            return TAMIS_OK;
        }
        s->pos += have;
        *skipped += have;
        if (s->eof) return TAMIS_OK;
        TMS_TRY(make_room(s, TMS_IO_CHUNK));
        TMS_TRY(decode_more(s));
    }
}

bool tms_stream_eof(tms_stream *s)
{
    if (s->pos < s->len) return false;
    const char *p;
    size_t n;
    if (tms_stream_peek(s, 1, &p, &n) != TAMIS_OK) return true;
    return n == 0;
}
