/*
 * spacy.c -- spaCy 3.8's rule-based tokenizer of a blank "en" or "fr"
 * pipeline and its sentencizer, as datatrove v0.10 uses them
 * (SpaCyTokenizer.word_tokenize and sent_tokenize).
 *
 * Written from spaCy's sources (spacy/tokenizer.pyx, spacy/lang/
 * {char_classes,punctuation,tokenizer_exceptions}.py, spacy/lang/{en,fr}/,
 * spacy/matcher/phrasematcher.pyx, spacy/pipeline/sentencizer.pyx). spaCy's
 * regular expressions are hand-written matchers here with the same match
 * semantics: the prefix is the first alternative that matches at the start;
 * the suffix is the match of a `search` for `(alt1|alt2|...)$`, so the one
 * that starts leftmost; infixes are `finditer` matches (an empty match may
 * not follow an empty match at the same place); token_match and url_match
 * are full-match tests. The data (character classes, exceptions) is
 * spacy_tables.h, made by scripts/gen-spacy-tables.py.
 *
 * The text is cut into runs of whitespace (str.isspace) and non-whitespace.
 * A single ' ' after a token is that token's trailing space; any other
 * whitespace run is a token of its own (dropped by datatrove's strip, but it
 * still separates tokens for the special-case matcher and starts sentences).
 * Each non-whitespace run is, unless it is a special case (tokenizer
 * exception) as a whole, split by _split_affixes (prefixes and suffixes
 * peeled off until none is found, stopping early at a special case or a
 * token_match) and _attach_tokens (the remaining core: a special case,
 * token_match/url_match, else cut at infixes). Then _apply_special_cases:
 * the special cases that contain a prefix, suffix, infix or space are
 * patterns, each the token sequence that affix splitting makes of it; a
 * phrase matcher finds them over the whole token list, the longest-first
 * filter keeps non-overlapping ones, and those whose text is exactly the
 * special case (no whitespace inside) are replaced by its tokens.
 *
 * Fast paths (the general path, span_general, gives the same tokens; the
 * golden documents and a differential test against it check it). Characters
 * are "plain" when no rule looks at them (SC_INERT: letters of any script
 * ...) or ASCII digits: no prefix, suffix or infix starts or ends inside a
 * sequence of them, but for a unit after a digit. A run of plain characters
 * is one token unless it is a special case (or ends in such a unit); so is
 * a single character. A run of plain characters with one or two others
 * around them (a prefix, a suffix, an infix, an elision ...) has tokens that
 * a few tests find without decoding it: span_shapes. With SSE2, the scan
 * classifies 64 bytes at a time and takes the commonest runs (ASCII letters,
 * maybe then a suffix; letters and two-byte SC_INERT characters) by bit
 * arithmetic, and keys of up to 16 bytes are looked up as two words.
 *
 * Where the sources at hand were ambiguous: the golden output of spaCy 3.8.5
 * shows that '")' is no special case (it is in older emoticon lists); the
 * suffix is searched in the string after its prefix (find_suffix(string
 * [pre_len:]), as in the 3.x tokenizer.pyx read; searching the whole string
 * differs only on rare texts such as "°C.", and not on the golden ones).
 */
#include "words.h"
#include "uni.h"
#include "spacy_sents.h"
#include "../core/alloc.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "spacy_tables.h"

/* ==== character classes ==== */

static inline uint32_t cc(uint32_t c)
{
    if (c >= 0x110000) return 0;
    return spacy_cc_blocks[spacy_cc_index[c >> 7]][c & (SC_BLOCK - 1)];
}

static inline bool is_ascii_digit(uint32_t c) { return c - '0' < 10; }
static inline bool is_alpha(uint32_t c) { return cc(c) & SC_ALPHA; }
static inline bool is_fr_hyphen(uint32_t c)
{
    return c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2010 || c == 0x2011;
}
static inline bool is_elision(uint32_t c) { return c == '\'' || c == 0x2019; }

/* bytes loaded as they are, read as little-endian (the first byte lowest) */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
static inline uint32_t le32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t le64(uint64_t x) { return __builtin_bswap64(x); }
#else
static inline uint32_t le32(uint32_t x) { return x; }
static inline uint64_t le64(uint64_t x) { return x; }
#endif

/* tms_uni_next with the one-, two- and three-byte forms inline */
static inline uint32_t decode(const char *str, size_t n, size_t i, size_t *nx)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[i];
    if (c < 0x80) {
        *nx = i + 1;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
        *nx = i + 2;
        return (c & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu);
    }
    if (c >= 0xE0 && c < 0xF0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
        uint32_t cp = (c & 0x0Fu) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *nx = i + 3;
            return cp;
        }
    }
    return tms_uni_next(str, n, i, nx);
}

/* spacy_ascii (spacy_tables.h): bits of an ASCII byte */
#define A_WS 1u     /* str.isspace */
#define A_LETTER 2u
#define A_DIGIT 4u
#define A_INERT 8u  /* no rule looks at it (SC_INERT) */
#define A_PUNCT 16u /* SC_PUNCTCAT */
#define A_SENT 32u  /* one of the sentencizer's punct_chars */

/* ==== special cases and the phrase-matcher patterns, per language ==== */

#define E_SPECIAL 1u /* a tokenizer exception */
#define E_FIRST 2u   /* the first token of a special-case pattern */

typedef struct sp_entry {
    const char *key;
    uint16_t len, flags;
    int16_t exc; /* index of the exception, or -1 */
    int16_t pat; /* first one-token pattern of this token, or -1 */
    uint64_t second; /* bit sec_bit() of each token that follows it in a pattern */
} sp_entry;

/* the longer patterns, by their first two tokens */
typedef struct sp_pair {
    const sp_entry *first;
    const char *sec;
    uint16_t seclen;
    int16_t pat; /* first pattern, or -1 */
} sp_pair;

typedef struct sp_pat {
    int16_t exc;   /* the special case it stands for */
    int16_t next;  /* next pattern with the same first token, or -1 */
    uint16_t ntok; /* tokens, at tok[first .. first + ntok) */
    uint16_t first;
} sp_pat;

typedef struct sp_lang {
    bool fr;
    const struct spacy_exc *exc;
    size_t nexc;
    sp_entry *tab;
    uint32_t mask;
    sp_pat *pat;
    size_t npat;
    uint8_t (*tok)[2]; /* pattern tokens: byte offset and length in the key */
    size_t ntok;
    uint64_t *bloom;   /* BLOOM_BITS bits on (first two bytes, last byte, length) of every key */
    const sp_entry *byte1[256]; /* the one-byte keys */
    uint64_t unit_last[2];      /* the ASCII characters that end a unit or currency (suffixes after a digit) */
    uint64_t key_last[4];       /* the last bytes of the keys of two bytes or more */
    sp_pair *pairs;
    uint32_t pmask;
#if defined(__SSE2__)
    struct sp_short *shorts; /* the keys of 1..16 bytes, by short_hash */
    uint32_t smask;
    uint64_t *sfilter;       /* SFILTER_BITS bits on short_hash */
#endif
} sp_lang;

#if defined(__SSE2__)
/* Keys of 1..16 bytes compare as two words, zero-padded (e->len tells "ab"
 * from "ab\0"): a small filter then a table that holds the bytes, where most
 * lookups end. */
typedef struct sp_short {
    uint64_t lo, hi;
    const sp_entry *e; /* NULL: an empty slot */
} sp_short;
#define EN_SHORT 4096
#define FR_SHORT 1024
#define SFILTER_LOG 16
#define SFILTER_BITS (1u << SFILTER_LOG)
_Static_assert(EN_SHORT >= 2 * SPACY_EXC_EN_N && FR_SHORT >= 2 * SPACY_EXC_FR_N, "short tables too small");
static sp_short en_short[EN_SHORT], fr_short[FR_SHORT];
static uint64_t en_sfilter[SFILTER_BITS / 64], fr_sfilter[SFILTER_BITS / 64];
#define SHORT_INIT(x, X) , .shorts = x##_short, .smask = X##_SHORT - 1, .sfilter = x##_sfilter
#else
#define SHORT_INIT(x, X)
#endif

#define EN_TAB 8192
#define FR_TAB 2048
_Static_assert(EN_TAB >= 4 * SPACY_EXC_EN_N && FR_TAB >= 4 * SPACY_EXC_FR_N, "hash tables too small");
_Static_assert(SPACY_EXC_EN_N < 32768 && SPACY_EXC_FR_N < 32768, "int16 indices");
_Static_assert(SPACY_EXC_MAXLEN < 256, "keys fit the stack buffers");

static sp_entry en_tab[EN_TAB], fr_tab[FR_TAB];
static sp_pat en_pat[SPACY_EXC_EN_N], fr_pat[SPACY_EXC_FR_N];
static uint8_t en_tok[SPACY_EXC_EN_BYTES][2], fr_tok[SPACY_EXC_FR_BYTES][2];
#define BLOOM_BITS (1u << 17)
static uint64_t en_bloom[BLOOM_BITS / 64], fr_bloom[BLOOM_BITS / 64];
static sp_pair en_pairs[EN_TAB / 2], fr_pairs[FR_TAB / 2];
static sp_lang langs[2] = {
    {.fr = false, .exc = spacy_exc_en, .nexc = SPACY_EXC_EN_N, .tab = en_tab, .mask = EN_TAB - 1, .pat = en_pat,
     .tok = en_tok, .bloom = en_bloom, .pairs = en_pairs, .pmask = EN_TAB / 2 - 1 SHORT_INIT(en, EN)},
    {.fr = true, .exc = spacy_exc_fr, .nexc = SPACY_EXC_FR_N, .tab = fr_tab, .mask = FR_TAB - 1, .pat = fr_pat,
     .tok = fr_tok, .bloom = fr_bloom, .pairs = fr_pairs, .pmask = FR_TAB / 2 - 1 SHORT_INIT(fr, FR)},
};

/* Most words are no key: a one-probe filter avoids hashing them (the keys
 * of 2..16 bytes have their own filter with SSE2: lookup_short). */
static inline uint32_t bloom_bit(const char *p, size_t n)
{
    uint32_t h = (uint32_t)(unsigned char)p[0] | (uint32_t)(unsigned char)p[n > 1] << 8 |
                 (uint32_t)(unsigned char)p[n - 1] << 16 | (uint32_t)n << 24;
    return (h * 0x9E3779B1u) >> (32 - 17);
}

static inline uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        h = (h ^ x) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x |= (uint64_t)(unsigned char)p[i] << (8 * i);
    h = (h ^ x) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

static const sp_entry *probe(const sp_lang *L, const char *p, size_t n)
{
    uint32_t i = (uint32_t)hash_bytes(p, n) & L->mask;
    for (;;) {
        const sp_entry *e = &L->tab[i];
        if (!e->key) return NULL;
        if (e->len == n && memcmp(e->key, p, n) == 0) return e;
        i = (i + 1) & L->mask;
    }
}

/* The entry of the key s[p..p+n), or NULL. */
static inline const sp_entry *lookup(const sp_lang *L, const char *p, size_t n)
{
    if (n <= 1) return n ? L->byte1[(unsigned char)p[0]] : NULL;
    if (n > SPACY_EXC_MAXLEN) return NULL;
    uint32_t b = bloom_bit(p, n);
    if (!(L->bloom[b >> 6] >> (b & 63) & 1)) return NULL;
    return probe(L, p, n);
}

#if defined(__SSE2__)
static inline uint64_t short_hash(uint64_t lo, uint64_t hi)
{
    return (lo ^ hi) * 0x9E3779B97F4A7C15ull; /* the filter takes its top bits */
}

/* The first n bytes of v, n in 1..16, zero-padded: as two words */
static inline void short_key(__m128i v, size_t n, uint64_t *lo, uint64_t *hi)
{
    static const uint8_t ones[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    __m128i k = _mm_and_si128(v, _mm_loadu_si128((const __m128i *)(const void *)(ones + 16 - n)));
#if defined(__x86_64__)
    *lo = (uint64_t)_mm_cvtsi128_si64(k);
    *hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(k, k));
#else
    uint64_t w2[2];
    _mm_storeu_si128((__m128i *)(void *)w2, k);
    *lo = w2[0];
    *hi = w2[1];
#endif
}

/* The entry of the key of n bytes (1..16) in v, or NULL. */
static inline const sp_entry *lookup_short(const sp_lang *L, __m128i v, size_t n)
{
    uint64_t lo, hi;
    short_key(v, n, &lo, &hi);
    uint64_t h = short_hash(lo, hi);
    uint32_t b = (uint32_t)(h >> (64 - SFILTER_LOG));
    if (TMS_LIKELY(!(L->sfilter[b >> 6] >> (b & 63) & 1))) return NULL;
    for (uint32_t i = (uint32_t)(h >> 24) & L->smask;; i = (i + 1) & L->smask) {
        const sp_short *x = &L->shorts[i];
        if (!x->e) return NULL;
        if (x->lo == lo && x->hi == hi && x->e->len == n) return x->e;
    }
}

static void short_insert(sp_lang *L, const sp_entry *e)
{
    unsigned char buf[16] = {0};
    memcpy(buf, e->key, e->len);
    uint64_t lo, hi;
    short_key(_mm_loadu_si128((const __m128i *)(const void *)buf), e->len, &lo, &hi);
    uint64_t h = short_hash(lo, hi);
    uint32_t b = (uint32_t)(h >> (64 - SFILTER_LOG));
    L->sfilter[b >> 6] |= 1ull << (b & 63);
    uint32_t i = (uint32_t)(h >> 24) & L->smask;
    while (L->shorts[i].e) i = (i + 1) & L->smask;
    L->shorts[i] = (sp_short){lo, hi, e};
}

/* 16 bytes from s[off] (n bytes there), zero-padded past the end */
static inline __m128i load16(const char *s, size_t off, size_t n)
{
    if (n - off >= 16) return _mm_loadu_si128((const __m128i *)(const void *)(s + off));
    unsigned char t[16] = {0};
    memcpy(t, s + off, n - off);
    return _mm_loadu_si128((const __m128i *)(const void *)t);
}
#endif

static inline unsigned sec_bit(const char *p, size_t n) { return ((unsigned char)p[0] + 7u * (unsigned)n) & 63u; }

static inline uint32_t pair_hash(const sp_entry *first, const char *sec, size_t n)
{
    return (uint32_t)((hash_bytes(sec, n) ^ ((uintptr_t)first * 0x9E3779B97F4A7C15ull)) >> 16);
}

static const sp_pair *pair_find(const sp_lang *L, const sp_entry *first, const char *sec, size_t n)
{
    for (uint32_t i = pair_hash(first, sec, n) & L->pmask;; i = (i + 1) & L->pmask) {
        const sp_pair *q = &L->pairs[i];
        if (!q->first) return NULL;
        if (q->first == first && q->seclen == n && memcmp(q->sec, sec, n) == 0) return q;
    }
}

static sp_pair *pair_insert(sp_lang *L, const sp_entry *first, const char *sec, size_t n)
{
    for (uint32_t i = pair_hash(first, sec, n) & L->pmask;; i = (i + 1) & L->pmask) {
        sp_pair *q = &L->pairs[i];
        if (!q->first) {
            *q = (sp_pair){first, sec, (uint16_t)n, -1};
            return q;
        }
        if (q->first == first && q->seclen == n && memcmp(q->sec, sec, n) == 0) return q;
    }
}

static sp_entry *insert(sp_lang *L, const char *p, size_t n)
{
    uint32_t i = (uint32_t)hash_bytes(p, n) & L->mask;
    for (;;) {
        sp_entry *e = &L->tab[i];
        if (!e->key) {
            e->key = p;
            e->len = (uint16_t)n;
            e->exc = e->pat = -1;
            uint32_t b = bloom_bit(p, n);
            L->bloom[b >> 6] |= 1ull << (b & 63);
            return e;
        }
        if (e->len == n && memcmp(e->key, p, n) == 0) return e;
        i = (i + 1) & L->mask;
    }
}

/* ==== French token_match: heads bucketed by their first letter ==== */

#define TM_NHEADS TMS_ARRAY_LEN(spacy_tm_heads)
static uint16_t tm_bucket[257];
static uint16_t tm_order[TM_NHEADS];

static uint32_t fold_slow(uint32_t c)
{
    size_t lo = 0, hi = TMS_ARRAY_LEN(spacy_tm_fold);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (spacy_tm_fold[mid].cp < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < TMS_ARRAY_LEN(spacy_tm_fold) && spacy_tm_fold[lo].cp == c ? spacy_tm_fold[lo].to : c;
}

static inline uint32_t fold(uint32_t c)
{
    if (c < 0x80) return (c - 'A' < 26) ? c + 32 : c;
    return fold_slow(c);
}

/* ==== per-call working state ==== */

#define W_INLINE 256
#define W_ARRAYS 10 /* cp bo hec ral rhae ra tmp flg pre suf */

typedef struct cand {
    uint32_t tok;
    const sp_entry *e;
} cand;

typedef struct match {
    uint32_t start, len;
    int16_t exc;
    bool valid; /* no whitespace between its tokens */
} match;

typedef struct work {
    const sp_lang *L;
    bool fr, specials;
    const char *s;
    size_t n;
    tms_spans *out;
    /* the current non-whitespace span, decoded: m code points, cp[i] at byte
     * bo[i] of s, bo[m] its end */
    uint32_t *cp, *bo;
    uint32_t *hec;       /* FR: hec[i] = hyphens and elisions in cp[0..i) */
    uint32_t *ral, *rhae, *ra; /* FR: end of the run of [al] / [-al'] / [a] (ignoring case) from i */
    uint32_t *tmp, *flg; /* url_match: positions of dots, what follows them */
    uint32_t *pre, *suf; /* affixes peeled off: where the string starts after each prefix,
                          * ends before each suffix */
    size_t m, cap;
    bool runs_ready;
    uint32_t *heap;
    uint32_t inl[W_ARRAYS * (W_INLINE + 1)];
    cand *cand; /* cand_inl, or on the heap */
    size_t ncand, candcap;
    cand cand_inl[256];
} work;

static tamis_status work_reserve(work *w, size_t m)
{
    if (m <= w->cap) return TAMIS_OK;
    size_t cap = w->cap * 2 > m ? w->cap * 2 : m;
    uint32_t *h = tms_realloc(w->heap, W_ARRAYS * (cap + 1) * sizeof *h);
    if (!h) return TAMIS_E_NOMEM;
    w->heap = h;
    w->cap = cap;
    return TAMIS_OK;
}

static void work_arrays(work *w)
{
    uint32_t *b = w->heap ? w->heap : w->inl;
    size_t k = w->cap + 1;
    w->cp = b;
    w->bo = b + k;
    w->hec = b + 2 * k;
    w->ral = b + 3 * k;
    w->rhae = b + 4 * k;
    w->ra = b + 5 * k;
    w->tmp = b + 6 * k;
    w->flg = b + 7 * k;
    w->pre = b + 8 * k;
    w->suf = b + 9 * k;
}

static void work_init(work *w, const sp_lang *L, bool specials, const char *s, tms_spans *out)
{
    w->L = L;
    w->fr = L->fr;
    w->specials = specials;
    w->s = s;
    w->n = 0;
    w->out = out;
    w->m = 0;
    w->cap = W_INLINE;
    w->heap = NULL;
    w->cand = w->cand_inl;
    w->ncand = 0;
    w->candcap = TMS_ARRAY_LEN(w->cand_inl);
    work_arrays(w);
}

static void work_free(work *w)
{
    tms_free(w->heap);
    if (w->cand != w->cand_inl) tms_free(w->cand);
}

/* ==== emitting tokens ==== */

/* The entry of the key s[off..off+len) when special cases apply, or NULL. */
static inline const sp_entry *find(const work *w, size_t off, size_t len)
{
    if (!w->specials) return NULL;
    if (len == 1) return w->L->byte1[(unsigned char)w->s[off]];
#if defined(__SSE2__)
    if (len - 1 < 16) return lookup_short(w->L, load16(w->s, off, w->n), len);
#endif
    return lookup(w->L, w->s + off, len);
}

static tamis_status add_cand(work *w, const sp_entry *e)
{
    if (w->ncand == w->candcap) {
        size_t cap = w->candcap * 2;
        cand *c = tms_realloc(w->cand == w->cand_inl ? NULL : w->cand, cap * sizeof *c);
        if (!c) return TAMIS_E_NOMEM;
        if (w->cand == w->cand_inl) memcpy(c, w->cand_inl, sizeof w->cand_inl);
        w->cand = c;
        w->candcap = cap;
    }
    w->cand[w->ncand].tok = (uint32_t)(w->out->n - 1);
    w->cand[w->ncand].e = e;
    w->ncand++;
    return TAMIS_OK;
}

/* A token of bytes s[off..off+len); e: its entry when already looked up. */
static inline tamis_status emit_known(work *w, size_t off, size_t len, const sp_entry *e)
{
    TMS_TRY(tms_spans_push(w->out, off, len));
    if (e && (e->flags & E_FIRST)) TMS_TRY(add_cand(w, e));
    return TAMIS_OK;
}

static tamis_status emit(work *w, size_t off, size_t len)
{
    const sp_entry *e = find(w, off, len);
    return emit_known(w, off, len, e);
}

static tamis_status emit_special(work *w, size_t off, int exc)
{
    const struct spacy_exc *x = &w->L->exc[exc];
    for (int i = 0; i < x->npieces; i++) {
        TMS_TRY(emit(w, off, x->piece[i]));
        off += x->piece[i];
    }
    return TAMIS_OK;
}

/* A special case spanning cp[lo..hi)? Returns its index or -1. */
static int special_at(const work *w, size_t lo, size_t hi)
{
    size_t a = w->bo[lo], b = w->bo[hi];
    const sp_entry *e = find(w, a, b - a);
    return e && (e->flags & E_SPECIAL) ? e->exc : -1;
}

/* ==== prefixes, suffixes, infixes (on cp[lo..hi)) ==== */

static size_t prefix_len(const work *w, size_t lo, size_t hi)
{
    const uint32_t *cp = w->cp;
    uint32_t c = cp[lo];
    if (c == '.') { /* \.\.+ */
        size_t k = lo + 1;
        while (k < hi && cp[k] == '.') k++;
        return k - lo >= 2 ? k - lo : 0;
    }
    if (c == '+') return lo + 1 < hi && is_ascii_digit(cp[lo + 1]) ? 0 : 1; /* \+(?![0-9]) */
    if (c == 'U' && lo + 2 < hi && cp[lo + 1] == 'S' && cp[lo + 2] == '$') return 3;
    if ((c == 'C' || c == 'A') && lo + 1 < hi && cp[lo + 1] == '$') return 2;
    if (cc(c) & SC_PFX1) return 1;
    /* French: (?:(d|l|n|D|L|N)['’])(?=[{ALPHA}]) */
    if (w->fr && (c == 'd' || c == 'l' || c == 'n' || c == 'D' || c == 'L' || c == 'N') && lo + 2 < hi &&
        is_elision(cp[lo + 1]) && is_alpha(cp[lo + 2]))
        return 2;
    return 0;
}

/* Does a word of spacy_after_digit / spacy_fr_hyphen_suffixes end at hi? */
static inline bool ends_with(const uint32_t *cp, size_t lo, size_t hi, const uint32_t *word, size_t len)
{
    if (hi - lo < len) return false;
    for (size_t i = len; i-- > 0;)
        if (cp[hi - len + i] != word[i]) return false;
    return true;
}

static size_t suffix_len(const work *w, size_t lo, size_t hi)
{
    if (hi <= lo) return 0;
    const uint32_t *cp = w->cp;
    size_t m = hi - lo, best = hi;
    uint32_t last = cp[hi - 1];
    uint32_t k1 = cc(last);
    if (k1 & (w->fr ? SC_SFX1_FR : SC_SFX1_EN)) best = hi - 1;
    if (m >= 2 && last == 0x2026 && cp[hi - 2] == 0x2026) best = hi - 2; /* "……" */
    if (last == '.') {
        size_t k = hi - 1;
        while (k > lo && cp[k - 1] == '.') k--;
        if (hi - k >= 2 && k < best) best = k; /* \.\.+ */
        if (m >= 2) {
            uint32_t p = cp[hi - 2];
            if (cc(p) & (w->fr ? SC_SUFLB_FR : SC_SUFLB_EN) && hi - 1 < best) best = hi - 1;
            if (m >= 3 && (cc(p) & SC_UPPER) && (cc(cp[hi - 3]) & SC_UPPER) && hi - 1 < best) best = hi - 1;
            if (m >= 3 && cp[hi - 3] == 0xB0 &&
                (p == 'F' || p == 'f' || p == 'C' || p == 'c' || p == 'K' || p == 'k') && hi - 1 < best)
                best = hi - 1;
        }
    }
    if (!w->fr && m >= 2 && (last == 's' || last == 'S') && (cp[hi - 2] == '\'' || cp[hi - 2] == 0x2019))
        if (hi - 2 < best) best = hi - 2; /* 's 'S ’s ’S */
    if (m >= 2 && (last == '+' || (w->fr && last == '%')) && is_ascii_digit(cp[hi - 2]) && hi - 1 < best)
        best = hi - 1;
    /* (?<=[0-9])(?:CURRENCY) and (?<=[0-9])(?:UNITS): a word of length L
     * after a digit */
    bool unit_end = last >= 128 || (w->L->unit_last[last >> 6] >> (last & 63) & 1);
    for (size_t len = 1; unit_end && len <= SPACY_AFTER_DIGIT_MAXLEN && len + 1 <= m && hi - len < best; len++) {
        if (!is_ascii_digit(cp[hi - len - 1])) continue;
        for (size_t i = spacy_after_digit_bylen[len - 1]; i < spacy_after_digit_bylen[len]; i++)
            if (ends_with(cp, lo, hi, spacy_after_digit_cp + spacy_after_digit[i].off, len)) {
                best = hi - len;
                break;
            }
    }
    /* French: (?<=[{ALPHA}])[{HYPHENS}](ce|clés|...|VOUS) */
    if (w->fr && (k1 & SC_ALPHA) && m >= 3 &&
        (is_fr_hyphen(cp[hi - 2]) || is_fr_hyphen(cp[hi - 3]) || (m >= 4 && is_fr_hyphen(cp[hi - 4])) ||
         (m >= 5 && is_fr_hyphen(cp[hi - 5])) || (m >= 6 && is_fr_hyphen(cp[hi - 6])))) {
        for (size_t i = 0; i < TMS_ARRAY_LEN(spacy_fr_hyphen_suffixes); i++) {
            size_t len = spacy_fr_hyphen_suffixes[i].len;
            if (m >= len + 2 && hi - len - 1 < best && is_fr_hyphen(cp[hi - len - 1]) &&
                is_alpha(cp[hi - len - 2]) &&
                ends_with(cp, lo, hi, spacy_fr_hyphen_suffixes_cp + spacy_fr_hyphen_suffixes[i].off, len))
                best = hi - len - 1;
        }
    }
    return hi - best;
}

/* The ASCII characters an infix (but the empty French one) starts with (no
 * ASCII character is in ICONS: gen-spacy-tables.py checks) */
static const bool infix_ascii[128] = {['.'] = true, ['+'] = true, ['-'] = true, ['*'] = true, ['^'] = true,
                                      [','] = true, ['~'] = true, [':'] = true, ['<'] = true, ['>'] = true,
                                      ['='] = true, ['/'] = true};

/* The infix that the combined infix regex matches first at p, given the
 * string cp[lo..hi): its length, 0 for the (French) empty elision infix when
 * allowed, -1 for none. */
static int infix_at(const work *w, size_t lo, size_t hi, size_t p, bool allow_empty)
{
    const uint32_t *cp = w->cp;
    if (p >= hi) return -1;
    uint32_t c = cp[p];
    if (c < 0x80 ? infix_ascii[c] : c == 0x2026 || c == 0x2013 || c == 0x2014 || (cc(c) & SC_ICON)) {
        if (c == '.' && p + 1 < hi && cp[p + 1] == '.') { /* \.\.+ */
            size_t k = p + 2;
            while (k < hi && cp[k] == '.') k++;
            return (int)(k - p);
        }
        if (c == 0x2026) return 1;     /* … */
        if (cc(c) & SC_ICON) return 1; /* [ICONS] */
        if (p > lo) {
            uint32_t b = cp[p - 1];
            uint32_t n1 = p + 1 < hi ? cp[p + 1] : 0;
            uint32_t kb = cc(b), kn = p + 1 < hi ? cc(n1) : 0;
            /* (?<=[0-9])[+\-\*^](?=[0-9-]) */
            if (is_ascii_digit(b) && (c == '+' || c == '-' || c == '*' || c == '^') && p + 1 < hi &&
                (is_ascii_digit(n1) || n1 == '-'))
                return 1;
            /* (?<=[{al}{q}])\.(?=[{au}{q}]) */
            if (c == '.' && (kb & SC_INFLB) && (kn & SC_INFLA)) return 1;
            /* (?<=[{a}]),(?=[{a}]) */
            if (c == ',' && (kb & SC_ALPHA) && (kn & SC_ALPHA)) return 1;
            /* en (?<=[{a}0-9])(?:{h})(?=[{a}]), fr (?<=[{a}])(?:{h})(?=[{a}]);
             * h = -|–|—|--|---|——|~, tried in that order */
            if ((kb & SC_ALPHA) || (!w->fr && is_ascii_digit(b))) {
                bool a1 = kn & SC_ALPHA;
                uint32_t n2 = p + 2 < hi ? cp[p + 2] : 0;
                if (c == '-') {
                    if (a1) return 1;
                    if (n1 == '-' && p + 2 < hi && is_alpha(n2)) return 2;
                    if (n1 == '-' && n2 == '-' && p + 3 < hi && is_alpha(cp[p + 3])) return 3;
                } else if (c == 0x2013 || c == '~') {
                    if (a1) return 1;
                } else if (c == 0x2014) {
                    if (a1) return 1;
                    if (n1 == 0x2014 && p + 2 < hi && is_alpha(n2)) return 2;
                }
            }
            /* (?<=[{a}0-9])[:<>=/](?=[{a}]) */
            if ((c == ':' || c == '<' || c == '>' || c == '=' || c == '/') &&
                ((kb & SC_ALPHA) || is_ascii_digit(b)) && (kn & SC_ALPHA))
                return 1;
        }
    }
    /* fr (?<=[{a}][{el}])(?=[{a}]) */
    if (w->fr && allow_empty && p >= lo + 2 && is_elision(cp[p - 1]) && is_alpha(cp[p - 2]) && is_alpha(c))
        return 0;
    return -1;
}

static bool infix_any(const work *w, size_t lo, size_t hi)
{
    for (size_t p = lo; p < hi; p++)
        if (infix_at(w, lo, hi, p, true) >= 0) return true;
    return false;
}

/* ==== French token_match ==== */

static void fr_runs(work *w)
{
    size_t m = w->m;
    const uint32_t *cp = w->cp;
    w->ral[m] = w->rhae[m] = w->ra[m] = (uint32_t)m;
    for (size_t i = m; i-- > 0;) {
        uint32_t k = cc(cp[i]);
        w->ral[i] = (k & SC_AL_I) ? w->ral[i + 1] : (uint32_t)i;
        w->rhae[i] = (k & SC_HAE_I) ? w->rhae[i + 1] : (uint32_t)i;
        w->ra[i] = (k & SC_A_I) ? w->ra[i + 1] : (uint32_t)i;
    }
    w->runs_ready = true;
}

static bool fr_token_match(work *w, size_t lo, size_t hi)
{
    if (hi - lo < 2 || w->hec[hi] == w->hec[lo]) return false; /* every pattern has a hyphen or elision */
    if (!w->runs_ready) fr_runs(w);
    const uint32_t *cp = w->cp;
    uint32_t f0 = fold(cp[lo]);
    if (f0 < 256) {
        for (size_t j = tm_bucket[f0]; j < tm_bucket[f0 + 1]; j++) {
            size_t h = tm_order[j], len = spacy_tm_heads[h].len;
            const uint32_t *hc = spacy_tm_chars + spacy_tm_heads[h].off;
            if (len > hi - lo) continue;
            size_t k = 1;
            for (; k < len; k++) {
                uint32_t c = cp[lo + k];
                if (hc[k] == 1 ? !is_fr_hyphen(c) : hc[k] == 2 ? !is_elision(c) : fold(c) != hc[k]) break;
            }
            if (k < len) continue;
            size_t x = lo + len;
            switch (spacy_tm_heads[h].tail) {
            case 0: /* [al]+$ */
                if (x < hi && w->ral[x] >= hi) return true;
                break;
            case 1: /* [al]*$ */
                if (x == hi || w->ral[x] >= hi) return true;
                break;
            default: /* [al][-al']*$ */
                if (x < hi && (cc(cp[x]) & SC_AL_I) && (x + 1 == hi || w->rhae[x + 1] >= hi)) return true;
                break;
            }
        }
    }
    /* ^[a]+[h]COMBO[h](?:l[el])?[a]+$ */
    size_t k = w->ra[lo] < hi ? w->ra[lo] : hi;
    if (k == lo || k >= hi || !is_fr_hyphen(cp[k])) return false;
    for (size_t i = 0; i < TMS_ARRAY_LEN(spacy_tm_combos); i++) {
        const unsigned char *cb = (const unsigned char *)spacy_tm_combos[i];
        size_t q = k + 1;
        /* the combos are short UTF-8 strings of Latin-1 letters */
        while (*cb && q < hi) {
            uint32_t want = *cb < 0x80 ? *cb : (uint32_t)((cb[0] & 0x1F) << 6 | (cb[1] & 0x3F));
            if (fold(cp[q]) != want) break;
            cb += *cb < 0x80 ? 1 : 2;
            q++;
        }
        if (*cb || q >= hi || !is_fr_hyphen(cp[q])) continue;
        size_t r = q + 1;
        if (r < hi && w->ra[r] >= hi) return true;
        if (r + 2 < hi && fold(cp[r]) == 'l' && is_elision(cp[r + 1]) && w->ra[r + 2] >= hi) return true;
    }
    return false;
}

/* ==== url_match (spacy/lang/tokenizer_exceptions.py URL_PATTERN) ==== */

static inline bool dg(const work *w, size_t i, size_t hi) { return i < hi && (cc(w->cp[i]) & SC_DIGIT); }
static inline bool at(const work *w, size_t i, size_t hi, uint32_t c) { return i < hi && w->cp[i] == c; }
static inline bool in_range(const work *w, size_t i, size_t hi, uint32_t a, uint32_t b)
{
    return i < hi && w->cp[i] >= a && w->cp[i] <= b;
}

/* (?:\.\d{1,3}){n} matches at i (some way)? */
static bool dotted(const work *w, size_t i, size_t hi, int n)
{
    if (n == 0) return true;
    if (!at(w, i, hi, '.')) return false;
    for (size_t k = 1; k <= 3 && dg(w, i + k, hi); k++)
        if (dotted(w, i + 1 + k, hi, n - 1)) return true;
    return false;
}

static bool starts(const work *w, size_t i, size_t hi, const char *lit)
{
    for (; *lit; lit++, i++)
        if (!at(w, i, hi, (unsigned char)*lit)) return false;
    return true;
}

/* (?::\d{2,5})?(?:[/?#]\S*)?$ from h */
static bool url_tail(const work *w, size_t h, size_t hi)
{
    if (h == hi) return true;
    uint32_t c = w->cp[h];
    if (c == '/' || c == '?' || c == '#') return true;
    if (c != ':') return false;
    for (size_t k = 1; k <= 5 && dg(w, h + k, hi); k++) {
        if (k < 2) continue;
        size_t t = h + 1 + k;
        if (t == hi || w->cp[t] == '/' || w->cp[t] == '?' || w->cp[t] == '#') return true;
    }
    return false;
}

/* end positions (bit i: q + i) of \.(?:1?\d{1,2}|2[0-4]\d|25[0-5]) (mid) or
 * \.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]) (last), from each position in set */
static uint32_t octet(const work *w, size_t q, size_t hi, uint32_t set, bool last)
{
    uint32_t out = 0;
    for (; set; set &= set - 1) {
        size_t e = (size_t)__builtin_ctz(set);
        if (!at(w, q + e, hi, '.')) continue;
        size_t x = q + e + 1;
        uint32_t r = 0;
        /* bit 1 + L: an octet of L characters, ending at q + e + 1 + L */
        if (!last) {
            if (dg(w, x, hi)) r |= 1u << 2;
            if (dg(w, x, hi) && dg(w, x + 1, hi)) r |= 1u << 3;
            if (at(w, x, hi, '1') && dg(w, x + 1, hi)) r |= 1u << 3;
            if (at(w, x, hi, '1') && dg(w, x + 1, hi) && dg(w, x + 2, hi)) r |= 1u << 4;
            if (at(w, x, hi, '2') && in_range(w, x + 1, hi, '0', '4') && dg(w, x + 2, hi)) r |= 1u << 4;
            if (at(w, x, hi, '2') && at(w, x + 1, hi, '5') && in_range(w, x + 2, hi, '0', '5')) r |= 1u << 4;
        } else {
            if (in_range(w, x, hi, '1', '9')) r |= 1u << 2;
            if (in_range(w, x, hi, '1', '9') && dg(w, x + 1, hi)) r |= 1u << 3;
            if (at(w, x, hi, '1') && dg(w, x + 1, hi) && dg(w, x + 2, hi)) r |= 1u << 4;
            if (at(w, x, hi, '2') && in_range(w, x + 1, hi, '0', '4') && dg(w, x + 2, hi)) r |= 1u << 4;
            if (at(w, x, hi, '2') && at(w, x + 1, hi, '5') && in_range(w, x + 2, hi, '0', '4')) r |= 1u << 4;
        }
        out |= r << e; /* an address has at most 15 characters: e + 5 < 32 */
    }
    return out;
}

static bool url_ip(const work *w, size_t q, size_t hi)
{
    if ((starts(w, q, hi, "10") && dotted(w, q + 2, hi, 3)) || (starts(w, q, hi, "127") && dotted(w, q + 3, hi, 3)))
        return false;
    if ((starts(w, q, hi, "169.254") || starts(w, q, hi, "192.168")) && dotted(w, q + 7, hi, 2)) return false;
    if (starts(w, q, hi, "172.") &&
        ((at(w, q + 4, hi, '1') && in_range(w, q + 5, hi, '6', '9')) || (at(w, q + 4, hi, '2') && dg(w, q + 5, hi)) ||
         (at(w, q + 4, hi, '3') && in_range(w, q + 5, hi, '0', '1'))) &&
        dotted(w, q + 6, hi, 2))
        return false;
    /* (?:[1-9]\d?|1\d\d|2[01]\d|22[0-3]) */
    uint32_t e = 0;
    if (in_range(w, q, hi, '1', '9')) e |= 1u << 1;
    if (in_range(w, q, hi, '1', '9') && dg(w, q + 1, hi)) e |= 1u << 2;
    if (at(w, q, hi, '1') && dg(w, q + 1, hi) && dg(w, q + 2, hi)) e |= 1u << 3;
    if (at(w, q, hi, '2') && in_range(w, q + 1, hi, '0', '1') && dg(w, q + 2, hi)) e |= 1u << 3;
    if (at(w, q, hi, '2') && at(w, q + 1, hi, '2') && in_range(w, q + 2, hi, '0', '3')) e |= 1u << 3;
    e = octet(w, q, hi, e, false);
    e = octet(w, q, hi, e, false);
    e = octet(w, q, hi, e, true);
    for (; e; e &= e - 1)
        if (url_tail(w, q + (size_t)__builtin_ctz(e), hi)) return true;
    return false;
}

/* [A-Za-z0-9\u00a1-\uffff] and the same with _ and - */
static inline bool url_x(uint32_t c)
{
    return (c < 0x80 && (spacy_ascii[c] & A_LETTER)) || is_ascii_digit(c) || (c >= 0xA1 && c <= 0xFFFF);
}
static inline bool url_y(uint32_t c) { return url_x(c) || c == '_' || c == '-'; }

/* a host label cp[a..b): [X](?:[Y]{0,62}[X])? in the regex's spelling */
static bool url_label(const work *w, size_t a, size_t b)
{
    if (b <= a || b - a > 64 || !url_x(w->cp[a]) || !url_x(w->cp[b - 1])) return false;
    for (size_t i = a + 1; i + 1 < b; i++)
        if (!url_y(w->cp[i])) return false;
    return true;
}

/* TLD [{ALPHA_LOWER}]{2,63} at r, then the tail */
static bool url_tld(const work *w, size_t r, size_t hi)
{
    size_t k = r;
    while (k < hi && k - r <= 63 && (cc(w->cp[k]) & SC_LOWER)) k++;
    return k - r >= 2 && k - r <= 63 && url_tail(w, k, hi);
}

static bool url_match(work *w, size_t lo, size_t hi)
{
    const uint32_t *cp = w->cp;
    uint32_t *dots = w->tmp;
    size_t nd = 0;
    bool maybe = false; /* a dot then a digit (an address) or two lower-case letters (a TLD) */
    for (size_t i = lo; i < hi; i++)
        if (cp[i] == '.') {
            dots[nd++] = (uint32_t)i;
            maybe |= i + 1 < hi && (is_ascii_digit(cp[i + 1]) ||
                                    (i + 2 < hi && (cc(cp[i + 1]) & SC_LOWER) && (cc(cp[i + 2]) & SC_LOWER)));
        }
    if (!maybe) return false; /* both host forms need one */
    /* domain: after dot k, the TLD (TLD) or labels then the TLD (OKF) */
    enum { TLD = 1, OKF = 2 };
    uint32_t *flg = w->flg;
    for (size_t k = nd; k-- > 0;) {
        size_t r = dots[k] + 1;
        flg[k] = url_tld(w, r, hi) ? TLD : 0;
        if (k + 1 < nd && url_label(w, r, dots[k + 1]) && flg[k + 1]) flg[k] |= OKF;
    }
    /* host starts: lo, after a protocol, after any '@' (but the first char) */
    size_t proto = lo;
    while (proto < hi && ((cc(cp[proto]) & SC_WORD) || cp[proto] == '+' || cp[proto] == '-' || cp[proto] == '.'))
        proto++;
    bool has_proto = proto - lo >= 2 && starts(w, proto, hi, "://");
    size_t d = 0; /* first dot at or after q */
    for (size_t q = lo; q < hi; q++) {
        bool start = q == lo || (has_proto && q == proto + 3) || (q >= lo + 2 && cp[q - 1] == '@');
        if (!start) {
            if (!has_proto || q > proto + 3) { /* the next start: after an '@' */
                while (q < hi && cp[q] != '@') q++;
                if (q + 1 >= hi) break;
            }
            continue;
        }
        while (d < nd && dots[d] < q) d++;
        if (url_ip(w, q, hi)) return true;
        if (d < nd && url_label(w, q, dots[d]) && flg[d]) return true;
    }
    return false;
}

/* ==== one non-whitespace run ==== */

static tamis_status infix_split(work *w, size_t lo, size_t hi)
{
    const uint32_t *bo = w->bo;
    size_t pos = lo, start = lo;
    bool must = false;
    while (pos <= hi) {
        size_t p = pos;
        int len = -1;
        for (; p < hi; p++) {
            uint32_t c = w->cp[p]; /* infix_at's first test, inline */
            if (c < 0x80 && !infix_ascii[c] && !(w->fr && p > lo && is_elision(w->cp[p - 1]))) continue;
            len = infix_at(w, lo, hi, p, !(must && p == pos));
            if (len >= 0) break;
        }
        if (len < 0) break;
        if (p != lo) { /* infix_start == 0: skipped */
            if (p != start) TMS_TRY(emit(w, bo[start], bo[p] - bo[start]));
            if (len > 0) TMS_TRY(emit(w, bo[p], bo[p + len] - bo[p]));
            start = p + (size_t)len;
        }
        must = len == 0;
        pos = p + (size_t)len;
    }
    if (start < hi) TMS_TRY(emit(w, bo[start], bo[hi] - bo[start]));
    return TAMIS_OK;
}

static tamis_status span_general(work *w, size_t a, size_t b)
{
    /* decode (no more characters than bytes) */
    TMS_TRY(work_reserve(w, b - a));
    work_arrays(w);
    size_t m = 0;
    w->hec[0] = 0;
    for (size_t i = a, nx; i < b; i = nx) {
        w->cp[m] = decode(w->s, b, i, &nx);
        w->bo[m++] = (uint32_t)i;
    }
    if (w->fr)
        for (size_t k = 0; k < m; k++) w->hec[k + 1] = w->hec[k] + (is_fr_hyphen(w->cp[k]) || is_elision(w->cp[k]));
    w->bo[m] = (uint32_t)b;
    w->m = m;
    w->runs_ready = false;

    /* _split_affixes */
    size_t lo = 0, hi = m, last = (size_t)-1, npre = 0, nsuf = 0;
    while (hi > lo && hi - lo != last) {
        if (w->fr && fr_token_match(w, lo, hi)) break;
        if (last != (size_t)-1 && special_at(w, lo, hi) >= 0) break; /* span_tok tested the whole span */
        last = hi - lo;
        size_t pre = prefix_len(w, lo, hi);
        if (pre && lo + pre < hi && special_at(w, lo + pre, hi) >= 0) {
            lo += pre;
            w->pre[npre++] = (uint32_t)lo;
            break;
        }
        size_t suf = suffix_len(w, lo + pre, hi); /* find_suffix(string[pre_len:]) */
        if (suf && hi - suf > lo && special_at(w, lo, hi - suf) >= 0) {
            hi -= suf;
            w->suf[nsuf++] = (uint32_t)hi;
            break;
        }
        if (pre && suf && pre + suf > hi - lo) suf = 0;
        if (pre) {
            lo += pre;
            w->pre[npre++] = (uint32_t)lo;
        }
        if (suf) {
            hi -= suf;
            w->suf[nsuf++] = (uint32_t)hi;
        }
    }

    /* _attach_tokens */
    const uint32_t *bo = w->bo;
    for (size_t i = 0; i < npre; i++) { /* prefix i: cp[pre[i-1] .. pre[i]) */
        size_t from = i ? w->pre[i - 1] : 0;
        TMS_TRY(emit(w, bo[from], bo[w->pre[i]] - bo[from]));
    }
    if (hi > lo) {
        int x = special_at(w, lo, hi);
        if (x >= 0) TMS_TRY(emit_special(w, bo[lo], x));
        else if ((w->fr && fr_token_match(w, lo, hi)) || url_match(w, lo, hi))
            TMS_TRY(emit(w, bo[lo], bo[hi] - bo[lo]));
        else
            TMS_TRY(infix_split(w, lo, hi));
    }
    for (size_t i = nsuf; i-- > 0;) { /* suffix i: cp[suf[i] .. suf[i-1]), innermost first */
        size_t to = i ? w->suf[i - 1] : m;
        TMS_TRY(emit(w, bo[w->suf[i]], bo[to] - bo[w->suf[i]]));
    }
    return TAMIS_OK;
}

/* ==== the shapes most runs have ==== */

/* What tokenize's scan learned of a run s[a..b). Characters are "plain"
 * when SC_INERT or ASCII digits: no prefix, suffix or infix rule starts or
 * ends inside a sequence of them but for the units after a digit. */
typedef struct run {
    bool single;   /* SC_INERT characters only, or ASCII digits only */
    bool head;     /* two bytes or more, all but the last ASCII letters or all but the last ASCII digits */
    unsigned nbad; /* characters that are not plain, counted up to 4 */
    size_t bad0, bad0_end, bad1, bad1_end; /* the first and the last of them (bytes) */
    size_t digits_end; /* the end of the last ASCII digit, or 0 */
} run;

/* A token whose entry e is known: its special case, or itself */
static inline tamis_status emit_entry(work *w, size_t off, size_t len, const sp_entry *e)
{
    if (e && (e->flags & E_SPECIAL)) return emit_special(w, off, e->exc);
    return emit_known(w, off, len, e);
}

/* A core s[off..off+len) that nothing splits: its special case, or one
 * token. */
static inline tamis_status emit_word(work *w, size_t off, size_t len)
{
    return emit_entry(w, off, len, find(w, off, len));
}

static inline bool is_special(const work *w, size_t off, size_t len)
{
    const sp_entry *e = find(w, off, len);
    return e && (e->flags & E_SPECIAL);
}

static inline uint32_t char_at(const char *s, size_t i, size_t end)
{
    size_t nx;
    return decode(s, end, i, &nx);
}

/* The character that ends at s[i] (exclusive), a plain character (valid
 * UTF-8); sets *start. */
static inline uint32_t char_before(const char *s, size_t i, size_t *start)
{
    if ((unsigned char)s[i - 1] < 0x80) {
        *start = i - 1;
        return (unsigned char)s[i - 1];
    }
    return tms_uni_prev(s, i, start);
}

/* Is s[t..b) one of the units and currencies that are suffixes after a
 * digit? */
static bool unit_at(const char *s, size_t t, size_t b)
{
    uint32_t cp[SPACY_AFTER_DIGIT_MAXLEN];
    size_t m = 0;
    for (size_t i = t, nx; i < b; i = nx) {
        if (m == SPACY_AFTER_DIGIT_MAXLEN) return false;
        cp[m++] = decode(s, b, i, &nx);
    }
    for (size_t i = spacy_after_digit_bylen[m - 1]; i < spacy_after_digit_bylen[m]; i++) {
        const uint32_t *u = spacy_after_digit_cp + spacy_after_digit[i].off;
        size_t k = m;
        while (k > 0 && u[k - 1] == cp[k - 1]) k--;
        if (k == 0) return true;
    }
    return false;
}

/* A core of plain characters s[x0..x1) (the last digit ending at ld, or ld
 * 0), what _split_affixes and _attach_tokens make of it: its special case,
 * or the unit after its last digit as a suffix, or one token. */
static tamis_status emit_plain(work *w, size_t x0, size_t x1, size_t ld)
{
    const sp_entry *e = find(w, x0, x1 - x0);
    if (e && (e->flags & E_SPECIAL)) return emit_special(w, x0, e->exc);
    if (ld > x0 && ld < x1 && unit_at(w->s, ld, x1)) {
        TMS_TRY(emit_word(w, x0, ld - x0));
        return emit(w, ld, x1 - ld);
    }
    return emit_known(w, x0, x1 - x0, e);
}

/* Is c, the last character after plain ones s[x0..x), a suffix of its own
 * (and the only one)? No other suffix ends with c: the longer ones that end
 * there would need c to be a dot, an ellipsis, a unit's last character (no
 * unit ends with a character that is a suffix of its own) or a French
 * hyphen suffix (that ends in letters). A '$' could make "C$" a prefix; in
 * French a hyphen or an elision could make a token_match. */
static bool lone_suffix(const work *w, size_t x0, size_t x, uint32_t c)
{
    if (c == '.') { /* (?<=[SUFLB])\. and (?<=[{au}][{au}])\. */
        size_t p0;
        uint32_t k = cc(char_before(w->s, x, &p0));
        if (k & (w->fr ? SC_SUFLB_FR : SC_SUFLB_EN)) return true;
        if (!(k & SC_UPPER) || p0 == x0) return false;
        return cc(char_before(w->s, p0, &p0)) & SC_UPPER;
    }
    if (c == '$' || (w->fr && (is_fr_hyphen(c) || is_elision(c)))) return false;
    return cc(c) & (w->fr ? SC_SFX1_FR : SC_SFX1_EN);
}

/* Is c, the first character before plain ones, a prefix of its own? ('.'
 * and '+' have rules of their own; in French a hyphen or an elision could
 * make a token_match.) */
static inline bool lone_prefix(const work *w, uint32_t c)
{
    if (c == '.' || c == '+' || (w->fr && (is_fr_hyphen(c) || is_elision(c)))) return false;
    return cc(c) & SC_PFX1;
}

/* Is c, the first character before plain ones, no prefix and the start of
 * no infix (that one would be skipped, but it could take the next characters
 * with it)? A dot could start a url, a French hyphen or elision a
 * token_match. */
static inline bool no_rule_at_start(const work *w, uint32_t c)
{
    if (c == '.' || c == '+' || c == 0x2026 || is_ascii_digit(c) || (w->fr && (is_fr_hyphen(c) || is_elision(c))))
        return false;
    return !(cc(c) & (SC_PFX1 | SC_ICON));
}

/* French: the token_match heads that could match X'Y (X, Y plain: no
 * hyphen, so a head whose first elision comes before any hyphen, and X is
 * what precedes it). */
#define TM_ELIDED_MAX 32
#define TM_ELIDED_LEN 8
static struct {
    uint8_t len;
    uint32_t cp[TM_ELIDED_LEN];
} tm_elided[TM_ELIDED_MAX];
static size_t tm_nelided;

/* X'Y with X = s[0..n) is no token_match (X in ASCII only: fold() maps
 * some other characters to ASCII letters) */
static bool elided_no_tm(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80) return false;
    for (size_t h = 0; h < tm_nelided; h++) {
        if (tm_elided[h].len != n) continue;
        size_t i = 0;
        while (i < n && fold(s[i]) == tm_elided[h].cp[i]) i++;
        if (i == n) return false;
    }
    return true;
}

/* What _split_affixes and _attach_tokens make of X c Y (X, Y plain, not
 * empty; c at q..qe not plain, and no unit after the last digit: the caller
 * checks): no prefix (but French elisions), no suffix (but 's), no url (no
 * dot); an infix at c, or none. */
typedef enum {
    XCY_GENERAL, /* left to span_general */
    XCY_ONE,     /* one token */
    XCY_THREE,   /* X, c, Y */
    XCY_ELIDED,  /* Xc, Y: the empty infix after an elision */
    XCY_PREFIX,  /* Xc, Y: the prefix (d|l|n)['’], Y a core */
    XCY_S,       /* X a core, c's the suffix */
    XCY_HSUF,    /* X a core, cY a French suffix (-ce, -il ...) */
} xcy;

/* French token_match on s[a..b) (decoded into w's arrays); -1 when too long
 * to try here */
static int fr_tm_range(work *w, size_t a, size_t b)
{
    if (b - a > W_INLINE) return -1;
    size_t m = 0;
    w->hec[0] = 0;
    for (size_t i = a, nx; i < b; i = nx, m++) {
        w->cp[m] = decode(w->s, b, i, &nx);
        w->bo[m] = (uint32_t)i;
        w->hec[m + 1] = w->hec[m] + (is_fr_hyphen(w->cp[m]) || is_elision(w->cp[m]));
    }
    w->bo[m] = (uint32_t)b;
    w->m = m;
    w->runs_ready = false;
    return fr_token_match(w, 0, m);
}

/* Is s[a..b) one of the words of the French suffixes after a hyphen? */
static bool fr_hyphen_word(const char *s, size_t a, size_t b)
{
    uint32_t cp[SPACY_FR_HYPHEN_SUFFIXES_MAXLEN];
    size_t m = 0;
    for (size_t i = a, nx; i < b; i = nx) {
        if (m == SPACY_FR_HYPHEN_SUFFIXES_MAXLEN) return false;
        cp[m++] = decode(s, b, i, &nx);
    }
    for (size_t i = 0; i < TMS_ARRAY_LEN(spacy_fr_hyphen_suffixes); i++)
        if (spacy_fr_hyphen_suffixes[i].len == m &&
            memcmp(cp, spacy_fr_hyphen_suffixes_cp + spacy_fr_hyphen_suffixes[i].off, m * sizeof *cp) == 0)
            return true;
    return false;
}

static xcy xcy_plan(work *w, size_t a, size_t q, size_t qe, size_t b)
{
    const char *s = w->s;
    uint32_t c = char_at(s, q, b);
    if (c == '$') return XCY_GENERAL;
    size_t x0;
    uint32_t xl = char_before(s, q, &x0), yf = char_at(s, qe, b);
    if (w->fr && is_fr_hyphen(c)) {
        int tm = fr_tm_range(w, a, b);
        if (tm) return tm > 0 ? XCY_ONE : XCY_GENERAL;
        if ((cc(xl) & SC_ALPHA) && fr_hyphen_word(s, qe, b)) return XCY_HSUF; /* (?<=[{a}])[{h}](ce|...)$ */
        if (is_ascii_digit(xl) && c == '-' && is_ascii_digit(yf)) return XCY_THREE; /* (?<=[0-9])[+\-\*^](?=[0-9-]) */
        /* (?<=[{a}])(?:{h})(?=[{a}]), h = - – — (‐ ‑ are no infixes) */
        return c != 0x2010 && c != 0x2011 && (cc(xl) & SC_ALPHA) && (cc(yf) & SC_ALPHA) ? XCY_THREE : XCY_ONE;
    }
    if (c == '.') { /* url_match with one dot: a host label then a TLD; else (?<=[{al}{q}])\.(?=[{au}{q}]) */
        size_t nx, nxl = 0, nyl = 0;
        bool label = true, tld = true;
        for (size_t i = a; i < q && label; i = nx, nxl++) {
            uint32_t x = decode(s, q, i, &nx);
            if (x == '@') return XCY_GENERAL; /* a host may start after it */
            label = url_x(x);
        }
        for (size_t i = qe; i < b && tld; i = nx, nyl++) tld = cc(decode(s, b, i, &nx)) & SC_LOWER;
        if (label && nxl <= 64 && tld && nyl >= 2 && nyl <= 63) return XCY_ONE;
        return (cc(xl) & SC_INFLB) && (cc(yf) & SC_INFLA) ? XCY_THREE : XCY_ONE;
    }
    bool ax = cc(xl) & SC_ALPHA, ay = cc(yf) & SC_ALPHA, dx = is_ascii_digit(xl);
    if (c == 0x2026 || (cc(c) & SC_ICON)) return XCY_THREE;
    if (dx && (c == '+' || c == '-' || c == '*' || c == '^') && is_ascii_digit(yf)) return XCY_THREE;
    if (c == ',') return ax && ay ? XCY_THREE : XCY_ONE; /* (?<=[{a}]),(?=[{a}]) */
    if (c == '-' || c == 0x2013 || c == 0x2014 || c == '~') /* (?<=[{a}0-9])(?:{h})(?=[{a}]), French (?<=[{a}]) */
        return (ax || (!w->fr && dx)) && ay ? XCY_THREE : XCY_ONE;
    if (c == ':' || c == '<' || c == '>' || c == '=' || c == '/') /* (?<=[{a}0-9])[:<>=/](?=[{a}]) */
        return (ax || dx) && ay ? XCY_THREE : XCY_ONE;
    if (!is_elision(c)) return XCY_ONE; /* no rule looks at c there */
    if (!w->fr) return qe + 1 == b && (s[qe] == 's' || s[qe] == 'S') ? XCY_S : XCY_ONE;
    if (!elided_no_tm((const unsigned char *)s + a, q - a)) return XCY_GENERAL;
    if (q - a == 1 && (xl == 'd' || xl == 'l' || xl == 'n' || xl == 'D' || xl == 'L' || xl == 'N') && ay)
        return XCY_PREFIX;
    return ax && ay ? XCY_ELIDED : XCY_ONE; /* (?<=[{a}][{el}])(?=[{a}]) */
}

/* X c Y as planned (ld: the end of its last digit, or 0; e: its entry) */
static tamis_status emit_xcy(work *w, xcy plan, size_t a, size_t q, size_t qe, size_t b, size_t ld,
                             const sp_entry *e)
{
    switch (plan) {
    case XCY_THREE:
        TMS_TRY(emit(w, a, q - a));
        TMS_TRY(emit(w, q, qe - q));
        return emit(w, qe, b - qe);
    case XCY_ELIDED:
        TMS_TRY(emit(w, a, qe - a));
        return emit(w, qe, b - qe);
    case XCY_PREFIX:
        TMS_TRY(emit(w, a, qe - a));
        return emit_word(w, qe, b - qe);
    case XCY_S:
    case XCY_HSUF:
        TMS_TRY(emit_plain(w, a, q, ld));
        return emit(w, q, b - q);
    default:
        return emit_known(w, a, b - a, e);
    }
}

/* What _split_affixes makes of X c1 c2 (X = s[x0..q) plain, not empty; c1
 * = s[q..y), c2 = s[y..b) not plain): c2 the suffix, then c1 or X c1 a
 * special case. */
typedef enum {
    XCC_GENERAL, /* left to span_general */
    XCC_SPECIAL, /* X c1 a special case, c2 */
    XCC_SPLIT,   /* X a core, c1, c2 */
    XCC_DOT,     /* X. one token (no rule splits it), c2 */
} xcc;

static xcc xcc_plan(const work *w, size_t x0, size_t q, size_t y, size_t b)
{
    const char *s = w->s;
    uint32_t c1 = char_at(s, q, b), c2 = char_at(s, y, b);
    bool suf2;
    if (c2 == '.') suf2 = c1 != '.' && (cc(c1) & (w->fr ? SC_SUFLB_FR : SC_SUFLB_EN));
    else suf2 = c2 != 0x2026 && lone_suffix(w, q, y, c2);
    if (!suf2 || (w->fr && (is_fr_hyphen(c1) || is_elision(c1)))) return XCC_GENERAL;
    if (is_special(w, x0, y - x0)) return XCC_SPECIAL;
    if (lone_suffix(w, x0, q, c1)) return XCC_SPLIT;
    return c1 == '.' ? XCC_DOT : XCC_GENERAL;
}

static tamis_status emit_xcc(work *w, xcc plan, size_t x0, size_t q, size_t y, size_t b, size_t ld)
{
    if (plan == XCC_SPECIAL) {
        TMS_TRY(emit_word(w, x0, y - x0));
    } else if (plan == XCC_SPLIT) {
        TMS_TRY(emit_plain(w, x0, q, ld));
        TMS_TRY(emit(w, q, y - q));
    } else {
        TMS_TRY(emit(w, x0, y - x0));
    }
    return emit(w, y, b - y);
}

/* X c1 Y c2 Z ...: plain characters with single others between them (no
 * dot, dollar, elision or French hyphen: no url, prefix or token_match),
 * each an infix or not by its neighbours alone. Returns false to leave the
 * run to span_general (before emitting anything). */
static bool emit_infixes(work *w, size_t a, size_t b, size_t ld, const sp_entry *e, tamis_status *st)
{
    const char *s = w->s;
    if (ld && ld < b && unit_at(s, ld, b)) return false;
    size_t q[16], nq = 0, nx;
    bool any = false, prev_bad = true; /* the first character must be plain */
    for (size_t i = a; i < b; i = nx) {
        uint32_t c = decode(s, b, i, &nx);
        if (c < 0x80 ? (spacy_ascii[c] & (A_INERT | A_DIGIT)) : (cc(c) & SC_INERT)) {
            prev_bad = false;
            continue;
        }
        if (prev_bad || nq == TMS_ARRAY_LEN(q) || c == '.' || c == '$' || is_elision(c) || (w->fr && is_fr_hyphen(c)))
            return false;
        prev_bad = true;
        q[nq++] = i;
    }
    if (prev_bad) return false; /* the last one too */
    bool split[16];
    for (size_t k = 0; k < nq; k++) {
        size_t qe;
        (void)decode(s, b, q[k], &qe);
        xcy plan = xcy_plan(w, a, q[k], qe, b);
        split[k] = plan == XCY_THREE;
        any |= split[k];
    }
    if (!any) {
        *st = emit_known(w, a, b - a, e);
        return true;
    }
    size_t start = a;
    for (size_t k = 0; k < nq; k++) {
        if (!split[k]) continue;
        size_t qe;
        (void)decode(s, b, q[k], &qe);
        if ((*st = emit(w, start, q[k] - start)) != TAMIS_OK || (*st = emit(w, q[k], qe - q[k])) != TAMIS_OK)
            return true;
        start = qe;
    }
    *st = emit(w, start, b - start);
    return true;
}

/* The run when it is plain characters with one or two others around them:
 * X, X c, P X, P X c, X c1 c2, X c Y, X c Y c2 (X, Y plain, not empty; c,
 * P not), X.. and .. What _split_affixes and _attach_tokens make of these
 * shapes without decoding; span_general does the rest. e: the entry of the
 * whole, not a special case. */
static tamis_status span_shapes(work *w, size_t a, size_t b, const run *r, const sp_entry *e)
{
    const char *s = w->s;
    size_t ld = r->digits_end;
    if (r->nbad == 0) return emit_plain(w, a, b, ld); /* letters and digits */
    if (r->bad1_end == b && b - a >= 2 && s[b - 1] == '.' && s[b - 2] == '.') { /* \.\.+ */
        size_t k = b - 2;
        while (k > a && s[k - 1] == '.') k--;
        if (k == a) return emit_known(w, a, b - a, e); /* the prefix: all of it */
        if (k == r->bad0) { /* the suffix */
            TMS_TRY(emit_plain(w, a, k, ld));
            return emit(w, k, b - k);
        }
        return span_general(w, a, b);
    }
    if (r->nbad == 1 && r->bad0_end == b) {
        if (r->bad0 == a) return emit_known(w, a, b - a, e); /* one character */
        size_t x = r->bad0; /* X c */
        uint32_t c = char_at(s, x, b);
        if (lone_suffix(w, a, x, c) ||
            (ld == x && (c == '+' || (w->fr && c == '%') || unit_at(s, x, b)))) { /* or a unit after a digit */
            TMS_TRY(emit_plain(w, a, x, ld));
            return emit(w, x, b - x);
        }
        if (c == '.') return emit_known(w, a, b - a, e); /* no rule splits X. */
        return span_general(w, a, b);
    }
    if (r->nbad == 1 && r->bad0 == a) { /* P X */
        size_t x = r->bad0_end;
        uint32_t c = char_at(s, a, b);
        if (no_rule_at_start(w, c)) return emit_plain(w, a, b, ld);
        if (!lone_prefix(w, c)) return span_general(w, a, b);
        if (!is_special(w, x, b - x) && ld > x && ld < b && unit_at(s, ld, b)) {
            if (is_special(w, a, ld - a)) { /* the suffix, when P X's rest is a special case */
                TMS_TRY(emit_word(w, a, ld - a));
                return emit(w, ld, b - ld);
            }
            TMS_TRY(emit(w, a, x - a));
            TMS_TRY(emit_word(w, x, ld - x));
            return emit(w, ld, b - ld);
        }
        TMS_TRY(emit(w, a, x - a));
        return emit_word(w, x, b - x);
    }
    if (r->nbad != 2 || r->bad1_end != b) {
        if (r->nbad == 1 && !(ld && ld < b && unit_at(s, ld, b))) { /* X c Y */
            xcy plan = xcy_plan(w, a, r->bad0, r->bad0_end, b);
            if (plan != XCY_GENERAL) return emit_xcy(w, plan, a, r->bad0, r->bad0_end, b, ld, e);
        }
        if (r->bad0 == a && r->nbad == 3 && r->bad1_end == b) { /* P X c1 c2? */
            size_t x = r->bad0_end, y = r->bad1, q = y;
            if (q > x) (void)char_before(s, q, &q);
            xcc plan = q > x && lone_prefix(w, char_at(s, a, b)) ? xcc_plan(w, x, q, y, b) : XCC_GENERAL;
            if (plan != XCC_GENERAL && q > x && !(ld && ld > q)) {
                size_t z;
                (void)decode(s, b, q, &z);
                if (z == y) { /* c1 and c2 the only others after P */
                    if (is_special(w, x, b - x)) { /* the prefix, X c1 c2 a special case */
                        TMS_TRY(emit(w, a, x - a));
                        return emit_word(w, x, b - x);
                    }
                    if (is_special(w, a, y - a)) { /* the suffix, P X c1 a special case */
                        TMS_TRY(emit_word(w, a, y - a));
                        return emit(w, y, b - y);
                    }
                    TMS_TRY(emit(w, a, x - a));
                    return emit_xcc(w, plan, x, q, y, b, ld);
                }
            }
        }
        if (r->nbad >= 2 && r->bad0 > a && r->bad1_end < b) { /* X c1 Y c2 Z ... */
            tamis_status st;
            if (emit_infixes(w, a, b, ld, e, &st)) return st;
        }
        return span_general(w, a, b);
    }
    size_t y = r->bad1;
    if (r->bad0 == a && r->bad0_end < y) { /* P X c */
        size_t x = r->bad0_end;
        uint32_t p = char_at(s, a, b), c = char_at(s, y, b);
        if (no_rule_at_start(w, p) && lone_suffix(w, x, y, c)) { /* P X then c */
            TMS_TRY(emit_plain(w, a, y, ld));
            return emit(w, y, b - y);
        }
        if (!lone_prefix(w, p) || !lone_suffix(w, x, y, c)) return span_general(w, a, b);
        /* _split_affixes: the prefix, unless X c is a special case; the
         * suffix, unless P X is */
        if (is_special(w, x, b - x)) {
            TMS_TRY(emit(w, a, x - a));
            return emit_word(w, x, b - x);
        }
        if (is_special(w, a, y - a)) {
            TMS_TRY(emit_word(w, a, y - a));
            return emit(w, y, b - y);
        }
        TMS_TRY(emit(w, a, x - a));
        TMS_TRY(emit_plain(w, x, y, ld));
        return emit(w, y, b - y);
    }
    if (r->bad0 == a) return span_general(w, a, b);
    size_t q = r->bad0;
    uint32_t c2 = char_at(s, y, b);
    if (r->bad0_end == y) { /* X c1 c2: c2 the suffix, then c1 */
        xcc plan = xcc_plan(w, a, q, y, b);
        if (plan == XCC_GENERAL) return span_general(w, a, b);
        return emit_xcc(w, plan, a, q, y, b, ld);
    }
    /* X c Y c2: c2 the suffix (after a French prefix), then X c Y */
    size_t qe = r->bad0_end;
    if (!lone_suffix(w, qe, y, c2) || (ld && ld < y && unit_at(s, ld, y))) return span_general(w, a, b);
    if (w->fr && is_fr_hyphen(char_at(s, q, b))) { /* a token_match may take c2 (a letter of [al] too) */
        int tm = fr_tm_range(w, a, b);
        if (tm) return tm > 0 ? emit_known(w, a, b - a, e) : span_general(w, a, b);
    }
    xcy plan = xcy_plan(w, a, q, qe, y);
    if (plan == XCY_GENERAL) return span_general(w, a, b);
    if (plan == XCY_PREFIX && is_special(w, qe, b - qe)) { /* the prefix, Y c2 a special case */
        TMS_TRY(emit(w, a, qe - a));
        return emit_word(w, qe, b - qe);
    }
    const sp_entry *ec = find(w, a, y - a);
    if (ec && (ec->flags & E_SPECIAL)) TMS_TRY(emit_special(w, a, ec->exc));
    else TMS_TRY(emit_xcy(w, plan, a, q, qe, y, ld, ec));
    return emit(w, y, b - y);
}

/* Can a key of two bytes or more end with byte c? */
static inline bool may_end_key(const sp_lang *L, unsigned char c) { return L->key_last[c >> 6] >> (c & 63) & 1; }

/* One non-whitespace run s[a..b). */
static tamis_status span_tok(work *w, size_t a, size_t b, const run *r)
{
    const sp_entry *e = b - a == 1 || may_end_key(w->L, (unsigned char)w->s[b - 1]) ? find(w, a, b - a) : NULL;
    if (e && (e->flags & E_SPECIAL)) return emit_special(w, a, e->exc);
    if (r->single) return emit_known(w, a, b - a, e); /* no rule applies */
    if (r->head) {
        /* letters or digits then one of , ; : ! ? ) ] } " (or a '.' that
         * the suffix rules split: after a digit, a lower-case letter or two
         * capitals): that character is the only suffix, and the letters are
         * one token or a special case */
        unsigned char c = (unsigned char)w->s[b - 1], l1 = (unsigned char)w->s[b - 2];
        bool suffix = c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
                      c == '}' || c == '"';
        if (c == '.')
            suffix = (unsigned)(l1 - '0') < 10 || (unsigned)(l1 - 'a') < 26 ||
                     (b - a >= 3 && (unsigned)(l1 - 'A') < 26 && (unsigned)((unsigned char)w->s[b - 3] - 'A') < 26);
        if (suffix) {
            TMS_TRY(emit_word(w, a, b - 1 - a));
            return emit(w, b - 1, 1);
        }
    }
    return span_shapes(w, a, b, r, e);
}

#if defined(__SSE2__)
/* bytes of v in [lo, lo + len] (unsigned) */
static inline __m128i in_range16(__m128i v, char lo, char len)
{
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(len)), d);
}

/* 16 bytes from s[a] (n bytes there), padded with spaces: a run ends by the
 * text's end */
static inline __m128i load16_spaced(const unsigned char *s, size_t n, size_t a)
{
    if (n - a >= 16) return _mm_loadu_si128((const __m128i *)(const void *)(s + a));
    unsigned char t[16];
    memset(t, ' ', sizeof t);
    memcpy(t, s + a, n - a);
    return _mm_loadu_si128((const __m128i *)(const void *)t);
}

/* ASCII upper-case letters of v, a bit a byte */
static inline unsigned v_upper(__m128i v) { return (unsigned)_mm_movemask_epi8(in_range16(v, 'A', 'Z' - 'A')); }

/* span_tok's head suffixes after ASCII letters: 1 always, 2 a '.' (after a
 * lower-case letter or two capitals) */
static const uint8_t head_suffix[128] = {[','] = 1, [';'] = 1, [':'] = 1, ['!'] = 1, ['?'] = 1, [')'] = 1,
                                         [']'] = 1, ['}'] = 1, ['"'] = 1, ['.'] = 2};

/* What tokenize's loop would learn of the ASCII run of len bytes at v[0]
 * (letters: its ASCII letters, a bit a byte) */
static inline void classify16(__m128i v, size_t a, unsigned len, unsigned letters, unsigned digits, run *r)
{
    unsigned all = (1u << len) - 1, most = all >> 1;
    r->head = len >= 2 && ((letters & most) == most || (digits & most) == most);
    /* SC_INERT in ASCII: letters, @ \ | DEL and the controls but whitespace */
    __m128i in = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('|')), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))));
    unsigned bad = all & ~(letters | (unsigned)_mm_movemask_epi8(_mm_or_si128(in, in_range16(v, 0, 31))));
    r->single = !bad || (digits & all) == all;
    if (digits & all) r->digits_end = a + 32 - (unsigned)__builtin_clz(digits & all);
    bad &= ~digits;
    if (bad) {
        unsigned rest = bad & (bad - 1);
        unsigned rest2 = rest & (rest - 1);
        r->nbad = !rest ? 1 : !rest2 ? 2 : !(rest2 & (rest2 - 1)) ? 3 : 4;
        r->bad0 = a + (unsigned)__builtin_ctz(bad);
        r->bad1 = a + 31 - (unsigned)__builtin_clz(bad);
        r->bad0_end = r->bad0 + 1;
        r->bad1_end = r->bad1 + 1;
    }
}

/* The ASCII run of len bytes (2..16 or 1) at s[i], its first 16 bytes in v,
 * ended by whitespace or the text's end */
static tamis_status short_run(work *w, size_t i, __m128i v, unsigned len)
{
    const unsigned char *s = (const unsigned char *)w->s;
    unsigned letters =
        (unsigned)_mm_movemask_epi8(in_range16(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z' - 'a'));
    unsigned all = (1u << len) - 1, most = all >> 1, c1 = s[i + len - 1];
    unsigned digits = (unsigned)_mm_movemask_epi8(in_range16(v, '0', 9));
    if (!(~letters & all) || !(~digits & all) || len == 1) {
        /* letters, or digits, or one character: one token or a special case */
        const sp_entry *e = !w->specials ? NULL : len == 1 ? w->L->byte1[c1] : lookup_short(w->L, v, len);
        if (TMS_LIKELY(!e)) return tms_spans_push(w->out, i, len);
        return emit_entry(w, i, len, e);
    }
    if (w->specials && (!(~letters & most) || !(~digits & most)) &&
        (head_suffix[c1] == 1 ||
         (head_suffix[c1] == 2 && (((letters & ~v_upper(v)) | digits) >> (len - 2) & 1 ||
                                   (len >= 3 && !(~v_upper(v) & (3u << (len - 3)))))))) {
        /* letters or digits then a suffix: span_tok's head, inline */
        const sp_entry *e = may_end_key(w->L, (unsigned char)c1) ? lookup_short(w->L, v, len) : NULL;
        if (e && (e->flags & E_SPECIAL)) return emit_special(w, i, e->exc);
        TMS_TRY(emit_entry(w, i, len - 1, lookup_short(w->L, v, len - 1)));
        return emit_known(w, i + len - 1, 1, w->L->byte1[c1]);
    }
    run r = {false, false, 0, 0, 0, 0, 0, 0};
    classify16(v, i, len, letters, digits, &r);
    return span_tok(w, i, i + len, &r);
}
#endif

/* The run at s[a] (not whitespace), character by character; sets its end */
static tamis_status long_run(work *w, size_t a, size_t n, size_t *end)
{
    const unsigned char *s = (const unsigned char *)w->s;
    size_t i = a;
    run r = {false, false, 0, 0, 0, 0, 0, 0};
    /* acc: A_LETTER while all ASCII letters, A_INERT while all inert,
     * A_DIGIT while all ASCII digits; before: acc but for the last byte */
    unsigned acc = A_LETTER | A_INERT | A_DIGIT, before = acc;
    while (i < n) {
        unsigned c = s[i];
        size_t nx;
        if (c < 0x80) {
            unsigned k = spacy_ascii[c];
            if (k & A_WS) break;
            if ((k & A_LETTER) && i + 8 <= n) { /* ASCII letters eight at a time */
                uint64_t v;
                memcpy(&v, s + i, 8);
                v = le64(v);
                uint64_t x = v | 0x2020202020202020ull; /* letters to lower case */
                uint64_t nl = (~((x + 0x1F1F1F1F1F1F1F1Full) & ~(x + 0x0505050505050505ull)) | v) &
                              0x8080808080808080ull; /* bit 7: not in a..z */
                size_t m = nl ? (size_t)__builtin_ctzll(nl) >> 3 : 8; /* >= 1 */
                before = m >= 2 ? acc & (A_LETTER | A_INERT) : acc;
                acc &= A_LETTER | A_INERT;
                i += m;
                continue;
            }
            before = acc;
            acc &= k;
            nx = i + 1;
            if (k & A_DIGIT) r.digits_end = nx;
            if (k & (A_INERT | A_DIGIT)) {
                i = nx;
                continue;
            }
        } else {
            uint32_t cp;
            uint32_t x;
            /* two- and three-byte characters of 64-code-point blocks that are
             * all SC_INERT, by their first two bytes */
            size_t j = i, nch = 0;
            for (; j + 4 <= n; nch++) {
                memcpy(&x, s + j, 4);
                x = le32(x);
                unsigned b0 = x & 0xFF;
                if (b0 >= 0xE0 && b0 < 0xF0 && (x & 0xC0C000u) == 0x808000u) {
                    uint32_t blk = (b0 & 0x0Fu) << 6 | (x >> 8 & 0x3Fu); /* cp >> 6, >= 32 unless overlong */
                    if (blk < 32 || !(spacy_inert64[blk >> 6] >> (blk & 63) & 1)) break;
                    j += 3;
                } else if (b0 >= 0xC2 && b0 < 0xE0 && (x & 0xC000u) == 0x8000u && (spacy_inert64[0] >> (b0 & 0x1Fu) & 1)) {
                    j += 2;
                } else {
                    break;
                }
            }
            if (j != i) {
                before = nch >= 2 ? acc & A_INERT : acc;
                acc &= A_INERT;
                i = j;
                continue;
            }
            if (i + 4 <= n && (memcpy(&x, s + i, 4), c < 0xF0)) { /* two or three bytes, inline */
                x = le32(x);
                if (c >= 0xE0 && (x & 0xC0C000u) == 0x808000u) {
                    cp = (c & 0x0Fu) << 12 | (x >> 2 & 0xFC0u) | (x >> 16 & 0x3Fu);
                    nx = i + 3;
                    if (cp < 0x800 || cp - 0xD800u < 0x800u) cp = tms_uni_next(w->s, n, i, &nx);
                } else if (c >= 0xC2 && c < 0xE0 && (x & 0xC000u) == 0x8000u) {
                    cp = (c & 0x1Fu) << 6 | (x >> 8 & 0x3Fu);
                    nx = i + 2;
                } else {
                    cp = tms_uni_next(w->s, n, i, &nx);
                }
            } else {
                cp = tms_uni_next(w->s, n, i, &nx);
            }
            if (cc(cp) & SC_INERT) {
                before = acc;
                acc &= A_INERT;
                i = nx;
                continue;
            }
            if (tms_uni_isspace(cp)) break; /* whitespace is not SC_INERT */
            before = acc;
            acc = 0;
        }
        if (r.nbad == 0) r.bad0 = i, r.bad0_end = nx;
        if (r.nbad < 4) r.nbad++;
        r.bad1 = i;
        r.bad1_end = nx;
        i = nx;
    }
    r.single = (acc & (A_INERT | A_DIGIT)) != 0;
    r.head = (before & (A_LETTER | A_DIGIT)) && i - a >= 2;
    *end = i;
    return span_tok(w, a, i, &r);
}

/* The run at s[i] (not whitespace); sets its end */
static tamis_status one_run(work *w, size_t i, size_t n, size_t *end)
{
#if defined(__SSE2__)
    const unsigned char *s = (const unsigned char *)w->s;
    if (s[i] < 0x80) { /* most runs: ASCII, ending at ASCII whitespace within 16 bytes */
        __m128i v = load16_spaced(s, n, i);
        /* the run ends at the first byte up to ' ' that is whitespace (the
         * others are controls, SC_INERT) */
        unsigned low = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v));
        unsigned len = (unsigned)__builtin_ctz(low | (unsigned)_mm_movemask_epi8(v) | 0x10000u);
        if ((low >> len & 1) && (i + len == n || spacy_ascii[s[i + len]] & A_WS)) {
            *end = i + len;
            return short_run(w, i, v, len);
        }
    }
#endif
    return long_run(w, i, n, end);
}

#if defined(__SSE2__)
/* ASCII whitespace, ASCII letters and bytes >= 0x80 of s[0..64), a bit a
 * byte */
static inline void masks64(const unsigned char *s, uint64_t *ws, uint64_t *letters, uint64_t *high)
{
    uint64_t w = 0, l = 0, h = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        __m128i sp = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                  _mm_or_si128(in_range16(v, 9, 4), in_range16(v, 28, 3)));
        w |= (uint64_t)(unsigned)_mm_movemask_epi8(sp) << (16 * k);
        l |= (uint64_t)(unsigned)_mm_movemask_epi8(in_range16(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z' - 'a'))
             << (16 * k);
        h |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * k);
    }
    *ws = w;
    *letters = l;
    *high = h;
}

/* continuation bytes and the leading bytes 0xC3..SPACY_INERT_LEAD_HI of
 * s[0..64), a bit a byte */
static inline void masks64_utf8(const unsigned char *s, uint64_t *cont, uint64_t *lead)
{
    uint64_t c = 0, l = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        c |= (uint64_t)(unsigned)_mm_movemask_epi8(in_range16(v, (char)0x80, 0x3F)) << (16 * k);
        l |= (uint64_t)(unsigned)_mm_movemask_epi8(in_range16(v, (char)0xC3, SPACY_INERT_LEAD_HI - 0xC3)) << (16 * k);
    }
    *cont = c;
    *lead = l;
}

/* A run of SC_INERT characters, or one of them then a head suffix (hs: the
 * suffix's byte, or 0): its special case, or the token(s) */
static tamis_status emit_inert(work *w, size_t a, size_t len, unsigned hs)
{
    if (!hs) return emit_entry(w, a, len, find(w, a, len));
    const sp_entry *e = may_end_key(w->L, (unsigned char)hs) ? find(w, a, len) : NULL;
    if (e && (e->flags & E_SPECIAL)) return emit_special(w, a, e->exc);
    TMS_TRY(emit_entry(w, a, len - 1, find(w, a, len - 1)));
    return emit_known(w, a + len - 1, 1, w->L->byte1[hs]);
}

/* The runs of s[p..), 64 bytes at a time (classified at once: most runs are
 * then found by bit arithmetic), while 80 bytes or more are left. p is at
 * whitespace or a run's start; returns where it stopped, the same. */
static size_t blocks(work *w, size_t p, size_t n, tamis_status *st)
{
    const unsigned char *s = (const unsigned char *)w->s;
    const sp_lang *L = w->L;
    tms_spans *out = w->out;
    if (n - p < 80) return p;
    uint64_t ws, letters, high;
    masks64(s + p, &ws, &letters, &high);
    unsigned skip = 0; /* the block's first bytes: the end of a run of the block before */
    for (;;) {
        /* the next block's, for the run that goes on into it */
        bool more = n - p >= 144;
        uint64_t ws2 = 0, letters2 = 0, high2 = 0;
        if (more) masks64(s + p + 64, &ws2, &letters2, &high2);
        uint64_t nonws = ~ws, todo = nonws & ~(nonws << 1) & (~0ull << skip); /* where runs start */
        uint64_t cont = 0, lead = 0;
        if (high) masks64_utf8(s + p, &cont, &lead);
        skip = 0;
        for (; todo; todo &= todo - 1) {
            unsigned b = (unsigned)__builtin_ctzll(todo);
            size_t a = p + b, e;
            /* other whitespace (it starts with 0xC2 or 0xE1..0xE3) */
            if (high >> b & 1 && (s[a] == 0xC2 || s[a] - 0xE1u < 3) && tms_uni_isspace(decode(w->s, n, a, &e))) return a;
            uint64_t after = ws >> b;
            if (!after) { /* it goes on into the next block */
                unsigned k = (unsigned)__builtin_ctzll(ws2 | (1ull << 63)), len = 64 - b + k;
                uint64_t m2 = (1ull << k) - 1;
                if (!more || !(ws2 & (1ull << k)) || high >> b || (high2 & m2) || len > 16) {
                    *st = one_run(w, a, n, &e);
                    return e;
                }
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + a));
                if (letters >> b == ~0ull >> b && (letters2 & m2) == m2) {
                    const sp_entry *x = lookup_short(L, v, len);
                    if (TMS_LIKELY(!x)) *st = tms_spans_push(out, a, len);
                    else *st = emit_entry(w, a, len, x);
                } else {
                    *st = short_run(w, a, v, len);
                }
                if (*st != TAMIS_OK) return a + len;
                skip = k;
                break;
            }
            unsigned len = (unsigned)__builtin_ctzll(after);
            uint64_t m = ((1ull << len) - 1) << b;
            if (high & m) {
                /* ASCII letters and two-byte SC_INERT characters (maybe then
                 * a head suffix): no whitespace there, one token */
                uint64_t lm = lead & m, cm = cont & m, plain = (letters | lm | cm) & m, last = 1ull << (b + len - 1);
                unsigned c1 = s[a + len - 1], hs = 0;
                if (plain == (m & ~last) && c1 < 0x80 &&
                    (head_suffix[c1] == 1 || (c1 == '.' && lone_suffix(w, a, a + len - 1, '.'))))
                    hs = c1;
                if (cm == lm << 1 && (plain == m || hs || (plain == (m & ~last) && c1 == '.'))) {
                    /* (X. with no suffix: one token) */
                    if ((*st = emit_inert(w, a, len, hs)) != TAMIS_OK) return a + len;
                    continue;
                }
                /* ASCII letters and one other character (not whitespace):
                 * its shape, without the scan */
                uint64_t hm = high & m;
                unsigned hb = (unsigned)__builtin_ctzll(hm);
                size_t h0 = p + hb, h1;
                uint32_t cp = decode(w->s, n, h0, &h1);
                if ((letters & m) == (m & ~hm) && hm == ((1ull << (h1 - h0)) - 1) << hb && !tms_uni_isspace(cp)) {
                    run r = {false, false, 0, 0, 0, 0, 0, 0};
                    r.single = cc(cp) & SC_INERT;
                    if (!r.single) r.nbad = 1, r.bad0 = r.bad1 = h0, r.bad0_end = r.bad1_end = h1;
                    if ((*st = span_tok(w, a, a + len, &r)) != TAMIS_OK) return a + len;
                    continue;
                }
                /* not ASCII: it may end at other whitespace */
                if ((*st = long_run(w, a, n, &e)) != TAMIS_OK || e != a + len) return e;
                continue;
            }
            if (len > 16) {
                if ((*st = long_run(w, a, n, &e)) != TAMIS_OK) return e;
                continue;
            }
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + a));
            if ((letters & m) == m) { /* letters: one token or a special case */
                const sp_entry *x = lookup_short(L, v, len);
                if (TMS_LIKELY(!x) && out->n < out->cap) {
                    out->v[out->n++] = (tms_span){(uint32_t)a, len};
                    continue;
                }
                if ((*st = emit_entry(w, a, len, x)) != TAMIS_OK) return a + len;
                continue;
            }
            unsigned c1 = s[a + len - 1];
            if (len >= 2 && (letters & m) == (m >> 1 & m) &&
                (head_suffix[c1] == 1 ||
                 (head_suffix[c1] == 2 && (s[a + len - 2] & 0x20 || (len >= 3 && !(s[a + len - 3] & 0x20)))))) {
                /* letters then a suffix: span_tok's head, inline (before a
                 * '.': a lower-case letter, or two capitals) */
                const sp_entry *x = may_end_key(L, (unsigned char)c1) ? lookup_short(L, v, len) : NULL;
                if (x && (x->flags & E_SPECIAL)) {
                    if ((*st = emit_special(w, a, x->exc)) != TAMIS_OK) return a + len;
                    continue;
                }
                x = lookup_short(L, v, len - 1);
                if ((*st = emit_entry(w, a, len - 1, x)) != TAMIS_OK ||
                    (*st = emit_known(w, a + len - 1, 1, L->byte1[c1])) != TAMIS_OK)
                    return a + len;
                continue;
            }
            if ((*st = short_run(w, a, v, len)) != TAMIS_OK) return a + len;
        }
        p += 64;
        if (!more) return p;
        ws = ws2;
        letters = letters2;
        high = high2;
    }
}
#endif

/* _tokenize_affixes over the whole text: the non-whitespace tokens */
static tamis_status tokenize(work *w, size_t n)
{
    const unsigned char *s = (const unsigned char *)w->s;
    size_t i = 0;
    w->n = n;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (spacy_ascii[c] & A_WS) {
                i++;
                continue;
            }
        } else {
            size_t nx;
            if (tms_uni_isspace(tms_uni_next(w->s, n, i, &nx))) {
                i = nx;
                continue;
            }
        }
#if defined(__SSE2__)
        if (w->specials && n - i >= 80) {
            tamis_status st = TAMIS_OK;
            i = blocks(w, i, n, &st);
            TMS_TRY(st);
            continue;
        }
#endif
        TMS_TRY(one_run(w, i, n, &i));
    }
    return TAMIS_OK;
}

/* ==== _apply_special_cases ==== */

/* Is there a whitespace token between tokens a and b (adjacent in out)? A
 * gap of exactly one ' ' is a trailing space, not a token. */
static inline bool ws_token_between(const char *s, const tms_span *a, const tms_span *b)
{
    size_t gap = b->off - (a->off + a->len);
    return gap > 1 || (gap == 1 && s[a->off + a->len] != ' ');
}

static int match_cmp(const void *x, const void *y)
{
    const match *a = x, *b = y;
    if (a->len != b->len) return a->len > b->len ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

static tamis_status apply_special_cases(work *w)
{
    const sp_lang *L = w->L;
    tms_spans *out = w->out;
    const char *s = w->s;
    match *ms = NULL;
    size_t nm = 0, mcap = 0;
    tamis_status st = TAMIS_OK;
    for (size_t c = 0; c < w->ncand; c++) {
        size_t i = w->cand[c].tok;
        /* the one-token patterns of this token, then those of its pair
         * with the next token */
        int chains[2] = {w->cand[c].e->pat, -1};
        if (i + 1 < out->n && (w->cand[c].e->second >> sec_bit(s + out->v[i + 1].off, out->v[i + 1].len) & 1) &&
            !ws_token_between(s, &out->v[i], &out->v[i + 1])) {
            const sp_pair *q = pair_find(L, w->cand[c].e, s + out->v[i + 1].off, out->v[i + 1].len);
            if (q) chains[1] = q->pat;
        }
        for (int ch = 0; ch < 2; ch++)
            for (int p = chains[ch]; p >= 0; p = L->pat[p].next) {
                const sp_pat *P = &L->pat[p];
                if (i + P->ntok > out->n) continue;
                const char *key = L->exc[P->exc].key;
                bool ok = true, valid = true;
                for (size_t j = 1; j < P->ntok && ok; j++) {
                    const tms_span *t = &out->v[i + j];
                    const uint8_t *pt = L->tok[P->first + j];
                    if (t->len != pt[1] || memcmp(s + t->off, key + pt[0], pt[1]) != 0) ok = false;
                    else if (ws_token_between(s, &out->v[i + j - 1], t)) ok = false;
                    else if (t->off != out->v[i + j - 1].off + out->v[i + j - 1].len) valid = false;
                }
                if (!ok) continue;
                if (nm == mcap) {
                    size_t cap = mcap ? mcap * 2 : 16;
                    match *nms = tms_realloc(ms, cap * sizeof *nms);
                    if (!nms) {
                        st = TAMIS_E_NOMEM;
                        goto done;
                    }
                    ms = nms;
                    mcap = cap;
                }
                ms[nm++] = (match){(uint32_t)i, P->ntok, P->exc, valid};
            }
    }
    if (nm == 0) goto done;
    /* _filter_special_spans: longest first, then leftmost; a span is kept
     * when neither its first nor its last token was seen; every span marks
     * its tokens seen, kept or not */
    qsort(ms, nm, sizeof *ms, match_cmp);
    uint8_t *seen = tms_calloc(out->n, 1);
    if (!seen) {
        st = TAMIS_E_NOMEM;
        goto done;
    }
    size_t nkeep = 0;
    for (size_t k = 0; k < nm; k++) {
        match mk = ms[k];
        bool keep = !seen[mk.start] && !seen[mk.start + mk.len - 1];
        memset(seen + mk.start, 1, mk.len);
        if (keep && mk.valid) ms[nkeep++] = mk;
    }
    tms_free(seen);
    if (nkeep == 0) goto done;
    /* back in text order; replace each by its special case's tokens */
    for (size_t k = 1; k < nkeep; k++) {
        match x = ms[k];
        size_t j = k;
        for (; j > 0 && ms[j - 1].start > x.start; j--) ms[j] = ms[j - 1];
        ms[j] = x;
    }
    /* in place when no special case has more pieces than tokens */
    size_t total = out->n;
    bool grows = false;
    for (size_t k = 0; k < nkeep; k++) {
        total += (size_t)L->exc[ms[k].exc].npieces - ms[k].len;
        grows |= L->exc[ms[k].exc].npieces > ms[k].len;
    }
    tms_span *v = out->v;
    if (grows && !(v = tms_malloc(total * sizeof *v))) {
        st = TAMIS_E_NOMEM;
        goto done;
    }
    size_t i = 0, j = 0;
    for (size_t k = 0; k < nkeep; k++) {
        memmove(v + j, out->v + i, (ms[k].start - i) * sizeof *v);
        j += ms[k].start - i;
        i = ms[k].start;
        const struct spacy_exc *x = &L->exc[ms[k].exc];
        uint32_t off = out->v[i].off;
        for (int p = 0; p < x->npieces; p++) {
            v[j++] = (tms_span){off, x->piece[p]};
            off += x->piece[p];
        }
        i += ms[k].len;
    }
    memmove(v + j, out->v + i, (out->n - i) * sizeof *v);
    if (grows) {
        tms_free(out->v);
        out->v = v;
        out->cap = total;
    }
    out->n = total;
done:
    tms_free(ms);
    return st;
}

/* ==== initialisation: hash tables and patterns ==== */

static pthread_once_t once[2] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};
static tamis_status init_status[2];

static tamis_status lang_init(sp_lang *L)
{
    for (size_t i = 0; i < TMS_ARRAY_LEN(spacy_after_digit); i++) {
        uint32_t c = spacy_after_digit_cp[spacy_after_digit[i].off + spacy_after_digit[i].len - 1];
        if (c < 128) L->unit_last[c >> 6] |= 1ull << (c & 63);
    }
    for (size_t i = 0; i < L->nexc; i++) {
        sp_entry *e = insert(L, L->exc[i].key, L->exc[i].len);
        e->flags |= E_SPECIAL;
        e->exc = (int16_t)i;
    }
    /* Tokenizer.add_special_case: a special case with a prefix, suffix or
     * infix (or a space) becomes a phrase-matcher pattern, the tokens that
     * affix splitting without special cases makes of it. */
    for (size_t i = 0; i < L->nexc; i++) {
        const struct spacy_exc *x = &L->exc[i];
        tms_span buf[256];
        tms_spans toks = {buf, 0, TMS_ARRAY_LEN(buf)};
        work w;
        work_init(&w, L, false, x->key, &toks);
        /* decode the key to test prefix/suffix/infix on it whole */
        size_t m = 0;
        bool space = false;
        for (size_t k = 0; k < x->len;) {
            size_t nx;
            w.cp[m] = tms_uni_next(x->key, x->len, k, &nx);
            space |= w.cp[m] == ' ';
            w.bo[m++] = (uint32_t)k;
            k = nx;
        }
        w.bo[m] = x->len;
        w.m = m;
        bool pattern = space || prefix_len(&w, 0, m) || suffix_len(&w, 0, m) || infix_any(&w, 0, m);
        if (!pattern) continue;
        TMS_TRY(tokenize(&w, x->len));
        work_free(&w);
        assert(toks.v == buf);
        /* one token equal to the key changes nothing when replaced by a
         * one-piece special case */
        if (toks.n == 0 || (toks.n == 1 && x->npieces == 1)) continue;
        sp_pat *P = &L->pat[L->npat];
        P->exc = (int16_t)i;
        P->ntok = (uint16_t)toks.n;
        P->first = (uint16_t)L->ntok;
        for (size_t t = 0; t < toks.n; t++) {
            L->tok[L->ntok][0] = (uint8_t)toks.v[t].off;
            L->tok[L->ntok][1] = (uint8_t)toks.v[t].len;
            L->ntok++;
        }
        sp_entry *e = insert(L, x->key + toks.v[0].off, toks.v[0].len);
        e->flags |= E_FIRST;
        if (toks.n == 1) {
            P->next = e->pat;
            e->pat = (int16_t)L->npat;
        } else {
            sp_pair *q = pair_insert(L, e, x->key + toks.v[1].off, toks.v[1].len);
            e->second |= 1ull << sec_bit(x->key + toks.v[1].off, toks.v[1].len);
            P->next = q->pat;
            q->pat = (int16_t)L->npat;
        }
        L->npat++;
    }
    return TAMIS_OK;
}

static void tm_init(void)
{
    /* counting sort of the token_match heads by first letter */
    uint16_t count[257] = {0};
    for (size_t h = 0; h < TM_NHEADS; h++) {
        uint32_t f = spacy_tm_chars[spacy_tm_heads[h].off];
        assert(f < 256);
        count[f + 1]++;
    }
    for (size_t i = 0; i < 256; i++) count[i + 1] += count[i];
    memcpy(tm_bucket, count, sizeof count);
    for (size_t h = 0; h < TM_NHEADS; h++) tm_order[count[spacy_tm_chars[spacy_tm_heads[h].off]]++] = (uint16_t)h;
    /* what precedes the first elision of each head, when no hyphen does
     * (span_shapes' X'Y) */
    for (size_t h = 0; h < TM_NHEADS; h++) {
        const uint32_t *hc = spacy_tm_chars + spacy_tm_heads[h].off;
        size_t k = 0;
        while (k < spacy_tm_heads[h].len && hc[k] != 1 && hc[k] != 2 && !is_elision(hc[k])) k++;
        if (k == spacy_tm_heads[h].len || hc[k] == 1) continue;
        assert(k <= TM_ELIDED_LEN && tm_nelided < TM_ELIDED_MAX);
        tm_elided[tm_nelided].len = (uint8_t)k;
        memcpy(tm_elided[tm_nelided].cp, hc, k * sizeof *hc);
        tm_nelided++;
    }
}

static void byte1_init(sp_lang *L)
{
    for (uint32_t i = 0; i <= L->mask; i++)
        if (L->tab[i].key && L->tab[i].len >= 2) {
            unsigned c = (unsigned char)L->tab[i].key[L->tab[i].len - 1];
            L->key_last[c >> 6] |= 1ull << (c & 63);
        }
    for (int c = 0; c < 256; c++) {
        char k = (char)c;
        L->byte1[c] = probe(L, &k, 1);
    }
#if defined(__SSE2__)
    for (uint32_t i = 0; i <= L->mask; i++)
        if (L->tab[i].key && L->tab[i].len - 1u < 16u) short_insert(L, &L->tab[i]);
#endif
}

static void init_en(void)
{
    init_status[0] = lang_init(&langs[0]);
    byte1_init(&langs[0]);
}
static void init_fr(void)
{
    tm_init();
    init_status[1] = lang_init(&langs[1]);
    byte1_init(&langs[1]);
}

static tamis_status lang_get(int fr, const sp_lang **L)
{
    int k = fr ? 1 : 0;
    pthread_once(&once[k], k ? init_fr : init_en);
    *L = &langs[k];
    return init_status[k];
}

/* ==== entry points ==== */

tamis_status tms_spacy_words(int fr, const char *s, size_t n, tms_spans *out)
{
    const sp_lang *L;
    TMS_TRY(lang_get(fr, &L));
    work w;
    work_init(&w, L, true, s, out);
    tamis_status st = tokenize(&w, n);
    if (st == TAMIS_OK && w.ncand) st = apply_special_cases(&w);
    work_free(&w);
    return st;
}

static bool in_sent_punct(uint32_t c)
{
    size_t lo = 0, hi = TMS_ARRAY_LEN(spacy_sent_punct);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (spacy_sent_punct[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < TMS_ARRAY_LEN(spacy_sent_punct) && spacy_sent_punct[lo] == c;
}

/* The sentencizer over the tokens: a token that is neither punctuation nor a
 * sentence-final character starts a sentence after a sentence-final one.
 * Whitespace tokens (any whitespace between tokens but a lone ' ' after a
 * token, its trailing space) count too: they are not punctuation. */
static tamis_status sentences(int fr, const char *s, size_t n, tms_spans *scratch, size_t *count, tms_spans *sents)
{
    scratch->n = 0;
    TMS_TRY(tms_spacy_words(fr, s, n, scratch));
    bool seen_period = false, started = false, content = false; /* content: a non-whitespace token */
    size_t start = 0, end = 0, nsent = 0;                      /* the open sentence's first byte, its last token's end */
/* sent_token, on s[OFF..END) */
#define SENT_TOKEN(OFF, END, PUNCT, PC, WS)                                                        \
    do {                                                                                           \
        bool boundary_ = seen_period && !(PUNCT) && !(PC);                                         \
        if (!started || boundary_) {                                                               \
            if (started) {                                                                         \
                if (sents) TMS_TRY(tms_spans_push(sents, start, end - start));                     \
                nsent += content;                                                                  \
            }                                                                                      \
            started = true;                                                                        \
            start = (OFF);                                                                         \
            content = false;                                                                       \
        }                                                                                          \
        if (boundary_) seen_period = false;                                                        \
        else if (PC) seen_period = true;                                                           \
        if (!(WS)) content = true;                                                                 \
        end = (END);                                                                               \
    } while (0)
    const tms_span *tok = scratch->v;
    size_t prev = 0, ntok = scratch->n;
    for (size_t t = 0; t <= ntok; t++) {
        size_t off = t < ntok ? tok[t].off : n;
        /* the whitespace token before it, if any */
        if (off > prev) {
            size_t a = prev + (t != 0 && s[prev] == ' ' && ntok != 0);
            if (off > a) SENT_TOKEN(a, off, false, false, true);
        }
        if (t == ntok) break;
        size_t e = off + tok[t].len;
        bool punct = true, pc = false;
        unsigned c0 = (unsigned char)s[off];
        if (c0 < 0x80 && !(spacy_ascii[c0] & A_PUNCT)) { /* most tokens */
            punct = false;
        } else {
            size_t i = off, nx;
            uint32_t c = decode(s, e, i, &nx);
            if (nx == e) pc = c < 0x80 ? (spacy_ascii[c] & A_SENT) != 0 : in_sent_punct(c);
            for (; i < e; i = nx) {
                c = decode(s, e, i, &nx);
                if (!(c < 0x80 ? spacy_ascii[c] & A_PUNCT : cc(c) & SC_PUNCTCAT)) {
                    punct = false;
                    break;
                }
            }
        }
        SENT_TOKEN(off, e, punct, pc, false);
        prev = e;
    }
#undef SENT_TOKEN
    if (started) {
        if (sents) TMS_TRY(tms_spans_push(sents, start, end - start));
        nsent += content;
    }
    *count = nsent;
    return TAMIS_OK;
}

tamis_status tms_spacy_sentences(int fr, const char *s, size_t n, tms_spans *scratch, size_t *count)
{
    return sentences(fr, s, n, scratch, count, NULL);
}

tamis_status tms_spacy_sentence_spans(int fr, const char *s, size_t n, tms_spans *scratch, tms_spans *sents)
{
    size_t count;
    return sentences(fr, s, n, scratch, &count, sents);
}
