/* stream.h -- a buffered byte stream over a file descriptor that undoes
 * gzip (multi-member) and zstd compression transparently, detected from the
 * magic bytes. Readers peek, search and consume; they never see compression.
 * A decompression error (truncated member, corrupt data, trailing garbage)
 * ends the stream: tms_stream_error() then says what and where. */
#ifndef TMS_STREAM_H
#define TMS_STREAM_H
#include "../tamis_int.h"
#include <stdatomic.h>

typedef struct tms_stream tms_stream;

typedef enum { TMS_CODEC_NONE, TMS_CODEC_GZIP, TMS_CODEC_ZSTD } tms_codec;

/* Takes ownership of fd (closed by tms_stream_free). */
TMS_NODISCARD tamis_status tms_stream_open(tms_stream **out, int fd);
/* A stream over memory (tests, fuzzing); the bytes are copied lazily, not owned. */
TMS_NODISCARD tamis_status tms_stream_open_mem(tms_stream **out, const void *p, size_t n);
void tms_stream_free(tms_stream *s);
/* A flag that, once non-zero, makes a read interrupted by a signal fail with
 * TAMIS_E_INTERRUPTED instead of being retried (NULL: always retry). */
void tms_stream_set_cancel(tms_stream *s, const _Atomic int *cancel);

tms_codec tms_stream_codec(tms_stream *s); /* reads the first bytes if needed */

/* Makes at least `want` bytes available (fewer only at end of stream or past
 * `limit` growth of the buffer). *p points at the unread bytes, *avail says
 * how many. @return TAMIS_OK, TAMIS_E_IO (read error) or TAMIS_E_NOMEM. */
TMS_NODISCARD tamis_status tms_stream_peek(tms_stream *s, size_t want, const char **p, size_t *avail);

/* Finds byte c in the unread bytes, reading more as needed but holding at
 * most `max` unread bytes. Sets *len to the number of bytes before c (c not
 * included) and *found to whether c was seen; when not found, *len is the
 * number of bytes searched, min(buffered, max): == max means the cap was hit
 * (c may still follow), < max means end of stream. */
TMS_NODISCARD tamis_status tms_stream_find(tms_stream *s, char c, size_t max, const char **p,
                                           size_t *len, bool *found);

void tms_stream_consume(tms_stream *s, size_t n);
/* Skips up to and including the next byte c, without buffering; returns
 * the number of bytes skipped through *skipped. */
TMS_NODISCARD tamis_status tms_stream_skip_past(tms_stream *s, char c, uint64_t *skipped, bool *found);

bool tms_stream_eof(tms_stream *s);      /* no unread bytes and nothing more to read */
uint64_t tms_stream_offset(const tms_stream *s);  /* decompressed offset of the next unread byte */
const char *tms_stream_error(const tms_stream *s); /* NULL, or what ended the stream early */
/* Compressed bytes read from the file so far (safe to read from another thread). */
uint64_t tms_stream_raw_bytes(tms_stream *s);
#endif
