/*
 * tamis_int.h -- declarations shared inside libtamis: size caps, error
 * helpers and attributes. Nothing here is public; include/tamis.h is.
 */
#ifndef TAMIS_INT_H
#define TAMIS_INT_H

#include "tamis.h"
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define TMS_NODISCARD __attribute__((warn_unused_result))
#define TMS_LIKELY(x) __builtin_expect(!!(x), 1)
#define TMS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TMS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TMS_NODISCARD
#define TMS_LIKELY(x) (x)
#define TMS_UNLIKELY(x) (x)
#define TMS_PRINTF(a, b)
#endif

/* ==== Size caps: every limit lives here; the ones users may change are options ==== */
#define TMS_DEFAULT_MAX_DOC_BYTES ((size_t)64 << 20)  /* --max-doc-bytes */
#define TMS_DEFAULT_MAX_JSON_DEPTH 64                   /* --max-json-depth */
#define TMS_MAX_WARC_HEADER_BYTES ((size_t)256 << 10)  /* a WARC header block */
#define TMS_MAX_HTTP_HEADER_BYTES ((size_t)256 << 10)  /* HTTP headers inside a response */
#define TMS_MAX_PATH_BYTES 4096
#define TMS_BATCH_DOCS 4096                             /* documents per batch */
#define TMS_BATCH_BYTES ((size_t)2 << 20)               /* text bytes per batch */
#define TMS_MAX_NGRAM_RULES 16                          /* pairs in --gopher-top-ngrams / --gopher-dup-ngrams */
#define TMS_IO_CHUNK ((size_t)256 << 10)                /* read size */

/* Propagate a status: TRY(f(x)); */
#define TMS_TRY(expr)                                   \
    do {                                                \
        tamis_status tms_st_ = (expr);                  \
        if (TMS_UNLIKELY(tms_st_ != TAMIS_OK)) return tms_st_; \
    } while (0)

#define TMS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define TMS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TMS_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif /* TAMIS_INT_H */
