/* sink.c -- atomic output files and per-batch compression. */
#include "sink.h"
#include "../core/alloc.h"
#include "../core/config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#define ZLIB_CONST
#include <zlib.h>
#include <zstd.h>

tamis_status tms_sink_open(tms_sink *s, const char *path, char *err, size_t errn)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (!strcmp(path, "-")) {
        s->fd = STDOUT_FILENO;
        return TAMIS_OK;
    }
    s->path = tms_strdup(path);
    size_t n = strlen(path) + 32;
    s->tmp = tms_malloc(n);
    if (!s->path || !s->tmp) { tms_sink_discard(s); return TAMIS_E_NOMEM; }
    snprintf(s->tmp, n, "%s.tmp-%ld", path, (long)getpid());
    s->fd = open(s->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s->fd < 0) {
        snprintf(err, errn, "%s: cannot create: %s", s->tmp, strerror(errno));
        tms_sink_discard(s);
        return TAMIS_E_IO;
    }
    return TAMIS_OK;
}

tamis_status tms_sink_write(tms_sink *s, const void *p, size_t n, char *err, size_t errn)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(s->fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            snprintf(err, errn, "%s: write failed: %s", s->path ? s->path : "stdout", strerror(errno));
            return TAMIS_E_IO;
        }
        c += w;
        n -= (size_t)w;
        s->bytes += (uint64_t)w;
    }
    return TAMIS_OK;
}

tamis_status tms_sink_close(tms_sink *s, bool complete, char *err, size_t errn)
{
    tamis_status st = TAMIS_OK;
    if (s->fd < 0) return TAMIS_OK;
    if (!s->tmp) { s->fd = -1; return TAMIS_OK; } /* stdout stays open */
    if (close(s->fd) != 0) {
        snprintf(err, errn, "%s: close failed: %s", s->path, strerror(errno));
        st = TAMIS_E_IO;
    }
    s->fd = -1;
    char partial[TMS_MAX_PATH_BYTES + 16];
    const char *dest = s->path;
    if (!complete || st != TAMIS_OK) {
        snprintf(partial, sizeof partial, "%s.partial", s->path);
        dest = partial;
    }
    if (rename(s->tmp, dest) != 0 && st == TAMIS_OK) {
        snprintf(err, errn, "%s: cannot rename to %s: %s", s->tmp, dest, strerror(errno));
        st = TAMIS_E_IO;
    }
    tms_sink_discard(s);
    return st;
}

void tms_sink_discard(tms_sink *s)
{
    if (s->fd >= 0 && s->tmp) {
        close(s->fd);
        unlink(s->tmp);
    }
    s->fd = -1;
    tms_free(s->path);
    tms_free(s->tmp);
    s->path = s->tmp = NULL;
}

tamis_status tms_sink_write_file(const char *path, const void *p, size_t n, char *err, size_t errn)
{
    tms_sink sk;
    TMS_TRY(tms_sink_open(&sk, path, err, errn));
    tamis_status st = tms_sink_write(&sk, p, n, err, errn);
    if (st == TAMIS_OK) return tms_sink_close(&sk, true, err, errn);
    tms_sink_discard(&sk);
    return st;
}

struct tms_compressor {
    int codec, level;
    ZSTD_CCtx *z;
    z_stream gz;
    bool gz_init;
};

tamis_status tms_compressor_create(tms_compressor **out, int codec, int level)
{
    tms_compressor *c = tms_calloc(1, sizeof *c);
    *out = NULL;
    if (!c) return TAMIS_E_NOMEM;
    c->codec = codec;
    c->level = level;
    if (codec == TMS_COMPRESS_ZSTD) {
        c->z = ZSTD_createCCtx();
        if (!c->z) { tms_free(c); return TAMIS_E_NOMEM; }
        ZSTD_CCtx_setParameter(c->z, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(c->z, ZSTD_c_checksumFlag, 1);
    } else if (codec == TMS_COMPRESS_GZIP) {
        if (deflateInit2(&c->gz, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            tms_free(c);
            return TAMIS_E_NOMEM;
        }
        c->gz_init = true;
    }
    *out = c;
    return TAMIS_OK;
}

void tms_compressor_free(tms_compressor *c)
{
    if (!c) return;
    if (c->z) ZSTD_freeCCtx(c->z);
    if (c->gz_init) deflateEnd(&c->gz);
    tms_free(c);
}

tamis_status tms_compress(tms_compressor *c, const char *in, size_t n, tms_buf *out)
{
    return n ? tms_compress_frame(c, in, n, out) : TAMIS_OK;
}

tamis_status tms_compress_frame(tms_compressor *c, const char *in, size_t n, tms_buf *out)
{
    if (c->codec == TMS_COMPRESS_NONE) return tms_buf_add(out, in, n);
    if (c->codec == TMS_COMPRESS_ZSTD) {
        size_t bound = ZSTD_compressBound(n);
        TMS_TRY(tms_buf_reserve(out, bound));
        size_t r = ZSTD_compress2(c->z, out->data + out->len, bound, in, n);
        if (ZSTD_isError(r)) return TAMIS_E_INTERNAL;
        out->len += r;
        return TAMIS_OK;
    }
    size_t bound = deflateBound(&c->gz, (uLong)n) + 32;
    TMS_TRY(tms_buf_reserve(out, bound));
    deflateReset(&c->gz);
    c->gz.next_in = (const Bytef *)(n ? in : "");
    c->gz.avail_in = (uInt)n;
    c->gz.next_out = (Bytef *)out->data + out->len;
    c->gz.avail_out = (uInt)bound;
    int r = deflate(&c->gz, Z_FINISH);
    if (r != Z_STREAM_END) return TAMIS_E_INTERNAL;
    out->len += bound - c->gz.avail_out;
    return TAMIS_OK;
}

const char *tms_codec_suffix(int codec)
{
    return codec == TMS_COMPRESS_ZSTD ? ".jsonl.zst" : codec == TMS_COMPRESS_GZIP ? ".jsonl.gz" : ".jsonl";
}

int tms_codec_for_path(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && !strcmp(path + n - 4, ".zst")) return TMS_COMPRESS_ZSTD;
    if (n > 3 && !strcmp(path + n - 3, ".gz")) return TMS_COMPRESS_GZIP;
    return TMS_COMPRESS_NONE;
}
