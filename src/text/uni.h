/*
 * uni.h -- the character classes the published rules are written in, with
 * Python's meanings (the reference implementations are Python):
 *   tms_uni_isspace   str.isspace / str.strip / str.split()
 *   tms_uni_isalpha   str.isalpha (general categories Lu Ll Lt Lm Lo)
 *   tms_uni_punct     datatrove's PUNCTUATION_SET (PUNCTUATION + TERMINAL_PUNCTUATION)
 *   tms_uni_terminal  datatrove's TERMINAL_PUNCTUATION (Unicode Sentence_Terminal)
 * and UTF-8 helpers that never fail: an invalid byte decodes as U+FFFD and
 * advances one byte.
 */
#ifndef TMS_UNI_H
#define TMS_UNI_H
#include "../tamis_int.h"

bool tms_uni_isspace_slow(uint32_t c);
bool tms_uni_isalpha_slow(uint32_t c);
bool tms_uni_punct_slow(uint32_t c);
bool tms_uni_punct_only(uint32_t c); /* PUNCTUATION (without TERMINAL_PUNCTUATION) */
bool tms_uni_terminal(uint32_t c);

/* ASCII classes: one table lookup */
enum { TMS_UNI_SPACE = 1, TMS_UNI_ALPHA = 2, TMS_UNI_PUNCT = 4, TMS_UNI_DIGIT = 8 };
extern const unsigned char tms_uni_ascii[128];

static inline bool tms_uni_isspace(uint32_t c)
{
    return c < 128 ? (tms_uni_ascii[c] & TMS_UNI_SPACE) != 0 : tms_uni_isspace_slow(c);
}
static inline bool tms_uni_isalpha(uint32_t c)
{
    return c < 128 ? (tms_uni_ascii[c] & TMS_UNI_ALPHA) != 0 : tms_uni_isalpha_slow(c);
}
/* PUNCTUATION_SET = PUNCTUATION + TERMINAL_PUNCTUATION */
static inline bool tms_uni_punct(uint32_t c)
{
    return c < 128 ? (tms_uni_ascii[c] & TMS_UNI_PUNCT) != 0 : tms_uni_punct_slow(c);
}

/* Decodes the code point at s[i] (i < n); sets *next. */
static inline uint32_t tms_uni_next(const char *s, size_t n, size_t i, size_t *next)
{
    const unsigned char *p = (const unsigned char *)s + i;
    unsigned c = p[0];
    if (c < 0x80) { *next = i + 1; return c; }
    size_t left = n - i;
    if (c >= 0xC2 && c < 0xE0 && left >= 2 && (p[1] & 0xC0) == 0x80) {
        *next = i + 2;
        return ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    }
    if (c >= 0xE0 && c < 0xF0 && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) { *next = i + 3; return cp; }
    }
    if (c >= 0xF0 && c < 0xF5 && left >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
        (p[3] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        if (cp >= 0x10000 && cp <= 0x10FFFF) { *next = i + 4; return cp; }
    }
    *next = i + 1;
    return 0xFFFD;
}

/* Decodes the code point that ends at s[i] (exclusive, i > 0); sets *start. */
static inline uint32_t tms_uni_prev(const char *s, size_t i, size_t *start)
{
    size_t j = i - 1, k = 0;
    while (j > 0 && k < 3 && ((unsigned char)s[j] & 0xC0) == 0x80) j--, k++;
    size_t nx;
    uint32_t c = tms_uni_next(s, i, j, &nx);
    if (nx != i) { *start = i - 1; return 0xFFFD; }
    *start = j;
    return c;
}

/* Number of code points of valid UTF-8 s[0..n) (Python's len). */
size_t tms_uni_len(const char *s, size_t n);
#endif
