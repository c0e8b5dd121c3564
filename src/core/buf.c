/* buf.c -- capped growable buffer. */
#include "buf.h"
#include "alloc.h"
#include <stdarg.h>
#include <stdio.h>

void tms_buf_init(tms_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void tms_buf_free(tms_buf *b)
{
    tms_free(b->data);
    tms_buf_init(b, b->max);
}

tamis_status tms_buf_grow(tms_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra) return TAMIS_E_TOO_BIG;
    size_t need = b->len + extra;
    if (b->data && need <= b->cap) return TAMIS_OK;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need) ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (ncap > b->max) ncap = b->max;
    char *d = tms_realloc(b->data, ncap + 1);
    if (!d) return TAMIS_E_NOMEM;
    if (!b->data) d[0] = 0;
    b->data = d;
    b->cap = ncap;
    return TAMIS_OK;
}

tamis_status tms_buf_printf(tms_buf *b, const char *fmt, ...)
{
    va_list ap;
    char tmp[512];
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return TAMIS_E_INTERNAL;
    if ((size_t)n < sizeof tmp) return tms_buf_add(b, tmp, (size_t)n);
    TMS_TRY(tms_buf_reserve(b, (size_t)n));
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return TAMIS_OK;
}

char *tms_buf_take(tms_buf *b, size_t *len)
{
    char *d = b->data;
    if (len) *len = b->len;
    tms_buf_init(b, b->max);
    return d;
}
