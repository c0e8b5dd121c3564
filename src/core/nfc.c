/* nfc.c -- a bitmap of NFC-unsafe code points, built once from utf8proc's
 * tables (about 140 KB, a few milliseconds), and the slow path. */
#include "nfc.h"
#include "alloc.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define NFC_FIRST_UNSAFE 0x300 /* below U+0300 every code point is NFC-stable */
static uint8_t unsafe_bits[0x110000 / 8];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void mark(int32_t cp) { unsafe_bits[cp >> 3] |= (uint8_t)(1u << (cp & 7)); }

static void build(void)
{
    for (int32_t cp = NFC_FIRST_UNSAFE; cp < 0x110000; cp++) {
        const utf8proc_property_t *pr = utf8proc_get_property(cp);
        if (pr->category == UTF8PROC_CATEGORY_CN) continue;
        if (pr->combining_class != 0) { mark(cp); continue; }
        bool hangul = cp >= 0xAC00 && cp <= 0xD7A3;
        if (!hangul && (pr->decomp_seqindex == UINT16_MAX || pr->decomp_type != 0)) continue;
        /* has a canonical decomposition: its non-first parts can compose as a
         * second character; the character itself is unsafe if NFC changes it */
        utf8proc_int32_t d[8];
        int bc = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &bc);
        for (utf8proc_ssize_t i = 1; i < n && i < 8; i++) mark(d[i]);
        uint8_t in[4], *out = NULL;
        utf8proc_ssize_t k = utf8proc_encode_char(cp, in);
        utf8proc_ssize_t m = utf8proc_map(in, k, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m != k || memcmp(in, out, (size_t)k) != 0) mark(cp);
        free(out);
    }
    /* Hangul: a syllable LV can take a trailing T; jamo V and T compose */
    for (int32_t cp = 0x1161; cp <= 0x1175; cp++) mark(cp);
    for (int32_t cp = 0x11A8; cp <= 0x11C2; cp++) mark(cp);
}

bool tms_nfc_unsafe(int32_t cp)
{
    if (cp < NFC_FIRST_UNSAFE) return false;
    pthread_once(&once, build);
    return (unsafe_bits[cp >> 3] >> (cp & 7)) & 1;
}

tamis_status tms_nfc_tail(tms_buf *b, size_t start, bool *changed)
{
    size_t n = b->len - start;
    uint8_t *out = NULL;
    utf8proc_ssize_t m = utf8proc_map((const uint8_t *)b->data + start, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (m < 0) return m == UTF8PROC_ERROR_NOMEM ? TAMIS_E_NOMEM : TAMIS_E_INTERNAL;
    if ((size_t)m == n && memcmp(out, b->data + start, n) == 0) {
        free(out);
        return TAMIS_OK;
    }
    *changed = true;
    b->len = start;
    tamis_status st = tms_buf_add(b, out, (size_t)m);
    free(out);
    return st;
}
