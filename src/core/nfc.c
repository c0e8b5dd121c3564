/* nfc.c -- the NFC quick-check bitmaps, built once from utf8proc's tables,
 * and the slow path through utf8proc_map. */
#include "nfc.h"
#include "alloc.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

uint8_t tms_nfc_qc_bits[0x110000 / 8];
uint8_t tms_nfc_ccc_bits[0x110000 / 8];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void mark(uint8_t *bits, int32_t cp) { bits[cp >> 3] |= (uint8_t)(1u << (cp & 7)); }

static void build(void)
{
    /* from U+00C0, the first composite: the second halves of composites below
     * U+0300 (U+030C caron, U+0328 ogonek, ...) must be marked too */
    for (int32_t cp = 0xC0; cp < 0x110000; cp++) {
        const utf8proc_property_t *pr = utf8proc_get_property(cp);
        if (pr->category == UTF8PROC_CATEGORY_CN) continue;
        if (pr->combining_class != 0) mark(tms_nfc_ccc_bits, cp);
        bool hangul = cp >= 0xAC00 && cp <= 0xD7A3;
        if (!hangul && (pr->decomp_seqindex == UINT16_MAX || pr->decomp_type != 0)) continue;
        /* A canonical decomposition: its non-first parts may compose with what
         * precedes them (Maybe); the character itself is No if NFC changes it. */
        utf8proc_int32_t d[8];
        int bc = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &bc);
        for (utf8proc_ssize_t i = 1; i < n && i < 8; i++) mark(tms_nfc_qc_bits, d[i]);
        uint8_t in[4], *out = NULL;
        utf8proc_ssize_t k = utf8proc_encode_char(cp, in);
        utf8proc_ssize_t m = utf8proc_map(in, k, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m != k || memcmp(in, out, (size_t)k) != 0) mark(tms_nfc_qc_bits, cp);
        free(out);
    }
    /* Hangul: jamo V follow an L, jamo T follow an LV syllable */
    for (int32_t cp = 0x1161; cp <= 0x1175; cp++) mark(tms_nfc_qc_bits, cp);
    for (int32_t cp = 0x11A8; cp <= 0x11C2; cp++) mark(tms_nfc_qc_bits, cp);
}

void tms_nfc_init(void) { pthread_once(&once, build); }

int tms_nfc_ccc(int32_t cp) { return utf8proc_get_property(cp)->combining_class; }

bool tms_nfc_unsafe(int32_t cp)
{
    if (cp < TMS_NFC_FIRST_UNSAFE) return false;
    tms_nfc_init();
    return tms_nfc_qc_fails(cp);
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
