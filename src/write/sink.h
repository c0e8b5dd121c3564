/* sink.h -- output files written under a temporary name and renamed when
 * complete (a killed run never leaves a file that looks finished), and the
 * per-batch compressor: each batch becomes one independent zstd frame or gzip
 * member, so workers compress in parallel and the concatenation is a valid
 * stream whatever the thread count. */
#ifndef TMS_SINK_H
#define TMS_SINK_H
#include "../core/buf.h"

typedef struct tms_sink {
    int fd;            /* -1 when closed */
    char *path;        /* final name */
    char *tmp;         /* temporary name, NULL for stdout */
    uint64_t bytes;    /* bytes written */
} tms_sink;

/* path "-" is stdout. */
TMS_NODISCARD tamis_status tms_sink_open(tms_sink *s, const char *path, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_sink_write(tms_sink *s, const void *p, size_t n, char *err, size_t errn);
/* complete: rename to the final name; else keep the bytes as "<name>.partial". */
TMS_NODISCARD tamis_status tms_sink_close(tms_sink *s, bool complete, char *err, size_t errn);
void tms_sink_discard(tms_sink *s);
/* A whole file at once: open, write p[0..n), close complete (or discard on failure). */
TMS_NODISCARD tamis_status tms_sink_write_file(const char *path, const void *p, size_t n, char *err, size_t errn);

typedef struct tms_compressor tms_compressor;
TMS_NODISCARD tamis_status tms_compressor_create(tms_compressor **out, int codec, int level);
void tms_compressor_free(tms_compressor *c);
/* Appends in[0..n) compressed as one frame/member to out (nothing for n = 0). */
TMS_NODISCARD tamis_status tms_compress(tms_compressor *c, const char *in, size_t n, tms_buf *out);
/* The same, but an empty input still makes a (valid, empty) frame. */
TMS_NODISCARD tamis_status tms_compress_frame(tms_compressor *c, const char *in, size_t n, tms_buf *out);
/* ".jsonl.zst", ".jsonl.gz" or ".jsonl" */
const char *tms_codec_suffix(int codec);
/* codec implied by a file name: .zst, .gz, else none */
int tms_codec_for_path(const char *path);
#endif
