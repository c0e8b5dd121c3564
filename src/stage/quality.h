/*
 * quality.h -- what the four quality stages (gopher_repetition,
 * gopher_quality, c4_quality, fineweb_quality) share:
 *   - the document's language and, under the rule set, its word splitter;
 *   - a valid-UTF-8 view of the text (a stage run without normalize may see
 *     invalid bytes: it measures a repaired copy and leaves the text alone);
 *   - Python's line splitting (str.splitlines) and stripping;
 *   - a hash set of pieces of the text, for counting duplicates, whose hits
 *     are always confirmed by comparing bytes (no false duplicates).
 * The rules themselves, with their reference semantics, live in the stages.
 */
#ifndef TMS_QUALITY_H
#define TMS_QUALITY_H
#include "stage.h"
#include "../core/buf.h"
#include "../core/config.h"
#include "../text/uni.h"
#include "../text/words.h"
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ==== Language and word splitter ==== */

typedef struct tms_qlang {
    const char *code;          /* as given (metadata or --default-lang) */
    size_t len;
    char primary[4];           /* "en", "fr", ...: lowercase primary subtag, 3-letter en/fr codes mapped */
    tms_tokenizer tok;
    bool fallback;             /* datatrove-current without a spaCy port for this language: tamis's splitter */
} tms_qlang;

void tms_q_lang(const tms_quality_config *q, tms_doc *d, tms_qlang *out);

/* ==== Per-worker scratch ==== */

typedef struct tms_qslot {
    uint64_t h;
    uint32_t idx;              /* the caller's id of the first occurrence */
    uint32_t count;            /* 0: empty slot */
} tms_qslot;

/* A reset clears only the slots the document will use (16 bytes each,
 * sized for the document), which also brings them into cache. */
typedef struct tms_qset {
    tms_qslot *v;
    size_t cap;                /* slots in use: a power of two */
    size_t alloc;              /* slots allocated */
    tms_qslot *spare;          /* where a rehash copies to, then swapped with v */
    size_t spare_alloc;
} tms_qset;

typedef struct tms_qctx {
    const tms_quality_config *q;
    tms_buf repaired;          /* valid copy of invalid input */
    tms_spans words, sents, pieces;
    tms_qset set;
    /* per-word arrays for n-gram counting (see gopher_repetition.c) */
    uint64_t *wh;              /* word hash */
    uint64_t *ph, *pw;         /* polynomial hash of a word's bytes, B^bytes (dup walks) */
    uint32_t *cpl;             /* code points before word k */
    uint32_t *wid;             /* first position of the same word */
    uint32_t *grp;             /* first position of the same n-gram */
    uint8_t *level;            /* largest n whose n-gram at k occurs again (valid at candidates) */
    uint32_t *cand, *dup;      /* candidates of the next n-gram pass / positions whose 5-gram repeats, ascending */
    uint32_t *slot;            /* per candidate: its slot in set */
    size_t ncand, ndup;
    size_t pcap;
} tms_qctx;

TMS_NODISCARD tamis_status tms_q_create(const tms_config *cfg, tms_qctx **out);
void tms_q_free(tms_qctx *c);
/* The same as a stage's worker_create / worker_free, for stages whose
 * worker is just a tms_qctx. */
tamis_status tms_q_worker_create(void *global, const tms_config *cfg, void **out);
void tms_q_worker_free(void *w);

/* The text to measure: doc's text if it is valid UTF-8, else a repaired copy. */
TMS_NODISCARD tamis_status tms_q_text(tms_qctx *c, tms_doc *doc, const char **s, size_t *n);

/* The words of s[0..n) (the text tms_q_text gave) by splitter tok, as a
 * read-only view. Computed once per document text and kept in the batch
 * arena, so the next stage counting words on the same text reuses them. */
TMS_NODISCARD tamis_status tms_q_words(tms_qctx *c, tms_doc *doc, tms_tokenizer tok, const char *s, size_t n,
                                       tms_spans *view);

/* Empties the set and sizes it for `expected` distinct entries. */
TMS_NODISCARD tamis_status tms_qset_reset(tms_qset *s, size_t expected);
/* Resizes the set for `expected` entries, keeping its entries (slot
 * addresses change). */
TMS_NODISCARD tamis_status tms_qset_rehash(tms_qset *s, size_t expected);
void tms_qset_free(tms_qset *s);

/* Slot for hash h: either the matching slot (eq(ctx, slot->idx) said the
 * pieces are equal) or the empty slot where it belongs (count == 0: the
 * caller fills it, or the slot stays empty). */
static inline tms_qslot *tms_qset_find(tms_qset *s, uint64_t h, bool (*eq)(void *ctx, uint32_t idx), void *ctx)
{
    size_t mask = s->cap - 1, i = (size_t)((h * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    for (;; i = (i + 1) & mask) {
        tms_qslot *sl = &s->v[i];
        if (!sl->count) return sl;
        if (sl->h == h && eq(ctx, sl->idx)) return sl;
    }
}

/* ==== Python string helpers on valid UTF-8 ==== */

/* Next line of s[0..n) as str.splitlines() cuts it: [*ls, *le) with the
 * break excluded; *pos moves past the break. False when no line is left
 * (no empty line after a final break, none for empty text). */
static inline bool tms_q_splitline(const char *s, size_t n, size_t *pos, size_t *ls, size_t *le)
{
    size_t i = *pos;
    if (i >= n) return false;
    *ls = i;
    for (; i < n; i++) {
#if defined(__SSE2__)
        /* skip 16 bytes at a time while none can start a line break */
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
            __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1E)), v); /* v <= 0x1E */
            __m128i c2 = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2));
            __m128i e2 = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2));
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(c2, e2)));
            if (m) {
                i += (size_t)__builtin_ctz(m);
                break;
            }
            i += 16;
        }
        if (i >= n) break;
#endif
        unsigned char c = (unsigned char)s[i];
        if (c > 0x1E && c != 0xC2 && c != 0xE2) continue;
        if (c == '\n' || c == '\v' || c == '\f' || c == 0x1C || c == 0x1D || c == 0x1E) {
            *le = i;
            *pos = i + 1;
            return true;
        }
        if (c == '\r') {
            *le = i;
            *pos = i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
            return true;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) {
            *le = i;
            *pos = i + 2;
            return true;
        }
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            *le = i;
            *pos = i + 3;
            return true;
        }
    }
    *le = n;
    *pos = n;
    return true;
}

/* str.strip / lstrip / rstrip on [*a, *b) */
static inline void tms_q_lstrip(const char *s, size_t *a, size_t b)
{
    while (*a < b) {
        size_t nx;
        uint32_t c = tms_uni_next(s, b, *a, &nx);
        if (!tms_uni_isspace(c)) break;
        *a = nx;
    }
}
static inline void tms_q_rstrip(const char *s, size_t a, size_t *b)
{
    while (*b > a) {
        size_t st;
        uint32_t c = tms_uni_prev(s, *b, &st);
        if (st < a || !tms_uni_isspace(c)) break;
        *b = st;
    }
}
static inline void tms_q_strip(const char *s, size_t *a, size_t *b)
{
    tms_q_lstrip(s, a, *b);
    tms_q_rstrip(s, *a, b);
}

/* About one word: its code points, whether a character is outside
 * PUNCTUATION_SET (a "non-symbol" word) and whether one is a letter; the
 * first code point. One table lookup per byte for ASCII words. */
typedef struct tms_qword {
    size_t cps;
    bool non_symbol, alpha, ascii;
    uint32_t first;
} tms_qword;

/* ASCII words of up to 16 bytes with 16 readable bytes at p: classified
 * with SSE2 compares, no loop (an ASCII byte outside PUNCTUATION_SET is a
 * letter, a digit, \t, \n or space). Returns false when the word is not
 * such a word. */
static inline bool tms_q_word_sse(const char *p, size_t len, size_t avail, tms_qword *r)
{
#if defined(__SSE2__)
    if (len > 16 || avail < 16) return false;
    static const unsigned char ones[32] = {
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    };
    __m128i m = _mm_loadu_si128((const __m128i *)(ones + 16 - len)); /* len bytes of 0xFF */
    __m128i v = _mm_and_si128(_mm_loadu_si128((const __m128i *)p), m);
    if (_mm_movemask_epi8(v)) return false; /* a byte >= 0x80 */
    __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1)));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    /* \t \n and space are outside PUNCTUATION_SET too (never inside a word, but be exact) */
    digit = _mm_or_si128(digit, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')))));
    alpha = _mm_and_si128(alpha, m);
    digit = _mm_and_si128(digit, m);
    r->cps = len;
    r->alpha = _mm_movemask_epi8(alpha) != 0;
    r->non_symbol = _mm_movemask_epi8(_mm_or_si128(alpha, digit)) != 0;
    r->ascii = true;
    r->first = (unsigned char)p[0];
    return true;
#else
    (void)p, (void)len, (void)avail, (void)r;
    return false;
#endif
}

/* avail: bytes readable from p (>= len) */
static inline tms_qword tms_q_word(const char *p, size_t len, size_t avail)
{
    tms_qword r = {0, false, false, true, 0};
    if (tms_q_word_sse(p, len, avail, &r)) return r;
    unsigned hi = 0, any = 0, all = TMS_UNI_PUNCT;
    for (size_t j = 0; j < len; j++) {
        unsigned char b = (unsigned char)p[j];
        hi |= b;
        unsigned t = tms_uni_ascii[b & 127];
        any |= t;
        all &= t;
    }
    if (!(hi & 0x80)) {
        r.cps = len;
        r.non_symbol = !(all & TMS_UNI_PUNCT);
        r.alpha = (any & TMS_UNI_ALPHA) != 0;
        r.first = len ? (unsigned char)p[0] : 0;
        return r;
    }
    r.ascii = false;
    for (size_t i = 0; i < len;) {
        size_t nx;
        uint32_t ch = tms_uni_next(p, len, i, &nx);
        if (!i) r.first = ch;
        if (!r.non_symbol && !tms_uni_punct(ch)) r.non_symbol = true;
        if (!r.alpha && tms_uni_isalpha(ch)) r.alpha = true;
        r.cps++;
        i = nx;
    }
    return r;
}

/* A closing quote or bracket, which the tamis rule set lets follow a
 * sentence terminator at the end of a line */
static inline bool tms_q_closing(uint32_t c)
{
    switch (c) {
    case '"': case '\'': case ')': case ']': case 0x00BB: case 0x201D: case 0x2019: case 0x300D: case 0x300F:
    case 0xFF09: case 0x3011:
        return true;
    default:
        return false;
    }
}

/* Non-overlapping occurrences of pat (m > 0 bytes) in s[0..n), as str.count. */
size_t tms_q_count(const char *s, size_t n, const char *pat, size_t m);

/* s[a..b) ends with the m bytes of suf */
static inline bool tms_q_endswith(const char *s, size_t a, size_t b, const char *suf, size_t m)
{
    return b - a >= m && memcmp(s + b - m, suf, m) == 0;
}

/* Lowercases a word (str.lower, one code point at a time) into buf; returns
 * its length, or 0 when it does not fit. */
size_t tms_q_lower(const char *w, size_t n, char *buf, size_t cap);

/* 64-bit hash of bytes (XXH3) */
uint64_t tms_q_hash(const char *p, size_t n);

/* Counts of the find_duplicates pass shared by the repetition rules: how
 * many pieces repeat an earlier one, and how many code points they hold.
 * Pieces are spans of s. */
TMS_NODISCARD tamis_status tms_q_find_duplicates(tms_qctx *c, const char *s, const tms_spans *pieces,
                                                 size_t *dup_count, size_t *dup_chars);
#endif
