/* buf.h -- a growable byte buffer with a mandatory size cap (after curl's
 * dynbuf): appending past `max` fails with TAMIS_E_TOO_BIG and leaves the
 * buffer as it was. The data is always NUL-terminated when cap > 0. */
#ifndef TMS_BUF_H
#define TMS_BUF_H
#include "../tamis_int.h"
#include <string.h>

typedef struct tms_buf {
    char *data;  /* bytes, NUL-terminated once allocated */
    size_t len;  /* bytes used */
    size_t cap;  /* bytes allocated, excluding the NUL */
    size_t max;  /* the cap: len never exceeds it */
} tms_buf;

void tms_buf_init(tms_buf *b, size_t max);
void tms_buf_free(tms_buf *b);
TMS_NODISCARD tamis_status tms_buf_grow(tms_buf *b, size_t extra);
TMS_NODISCARD tamis_status tms_buf_printf(tms_buf *b, const char *fmt, ...) TMS_PRINTF(2, 3);
/* Hands the data over to the caller (who frees it with tms_free); the buffer is empty after. */
char *tms_buf_take(tms_buf *b, size_t *len);

static inline void tms_buf_reset(tms_buf *b) { b->len = 0; if (b->data) b->data[0] = 0; }

static inline TMS_NODISCARD tamis_status tms_buf_reserve(tms_buf *b, size_t extra)
{
    if (TMS_LIKELY(b->cap - b->len >= extra && b->data)) return TAMIS_OK;
    return tms_buf_grow(b, extra);
}

static inline TMS_NODISCARD tamis_status tms_buf_add(tms_buf *b, const void *p, size_t n)
{
    TMS_TRY(tms_buf_reserve(b, n));
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return TAMIS_OK;
}

static inline TMS_NODISCARD tamis_status tms_buf_addc(tms_buf *b, char c)
{
    TMS_TRY(tms_buf_reserve(b, 1));
    b->data[b->len++] = c;
    b->data[b->len] = 0;
    return TAMIS_OK;
}

static inline TMS_NODISCARD tamis_status tms_buf_adds(tms_buf *b, const char *s)
{
    return tms_buf_add(b, s, strlen(s));
}
#endif
