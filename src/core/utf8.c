/* utf8.c -- UTF-8 helpers with an 8-bytes-at-a-time ASCII fast path. */
#include "utf8.h"
#include <string.h>

static inline int all_ascii8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return (w & 0x8080808080808080ull) == 0;
}

size_t tms_utf8_decode(const unsigned char *p, size_t n, int32_t *cp)
{
    unsigned c = p[0];
    if (c < 0x80) { *cp = (int32_t)c; return 1; }
    size_t need;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) { need = 1; v = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2; v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3; v = c & 0x07;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else { *cp = -1; return 1; }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n) { *cp = -1; return i; }
        unsigned b = p[i];
        unsigned l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h) { *cp = -1; return i; }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = (int32_t)v;
    return need + 1;
}

size_t tms_utf8_valid_prefix(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n && all_ascii8(p + i)) { i += 8; continue; }
        if ((unsigned char)p[i] < 0x80) { i++; continue; }
        int32_t cp;
        size_t k = tms_utf8_decode((const unsigned char *)p + i, n - i, &cp);
        if (cp < 0) return i;
        i += k;
    }
    return n;
}

size_t tms_utf8_encode(uint32_t cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

tamis_status tms_utf8_append_repaired(tms_buf *b, const char *p, size_t n, uint64_t *repaired)
{
    while (n) {
        size_t ok = tms_utf8_valid_prefix(p, n);
        TMS_TRY(tms_buf_add(b, p, ok));
        p += ok;
        n -= ok;
        if (!n) break;
        int32_t cp;
        size_t k = tms_utf8_decode((const unsigned char *)p, n, &cp);
        TMS_TRY(tms_buf_add(b, "\xEF\xBF\xBD", 3));
        if (repaired) (*repaired)++;
        p += k;
        n -= k;
    }
    return TAMIS_OK;
}
