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
 * Fast paths (the general path gives the same tokens; the golden documents
 * and a differential test check it): a run of characters no rule looks at
 * (letters of any script, ...) or of ASCII digits is one token unless it is
 * a special case; so is a single character; ASCII letters or digits followed
 * by one closing punctuation mark are those two tokens.
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

/* spacy_ascii (spacy_tables.h): bits of an ASCII byte */
#define A_WS 1u     /* str.isspace */
#define A_LETTER 2u
#define A_DIGIT 4u
#define A_INERT 8u  /* no rule looks at it (SC_INERT) */

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
    sp_pair *pairs;
    uint32_t pmask;
} sp_lang;

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
    {false, spacy_exc_en, SPACY_EXC_EN_N, en_tab, EN_TAB - 1, en_pat, 0, en_tok, 0, en_bloom, {0}, en_pairs, EN_TAB / 2 - 1},
    {true, spacy_exc_fr, SPACY_EXC_FR_N, fr_tab, FR_TAB - 1, fr_pat, 0, fr_tok, 0, fr_bloom, {0}, fr_pairs, FR_TAB / 2 - 1},
};

/* Most words are no key: a one-probe filter avoids hashing them. */
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

static uint32_t fold(uint32_t c)
{
    if (c < 0x80) return (c - 'A' < 26) ? c + 32 : c;
    size_t lo = 0, hi = TMS_ARRAY_LEN(spacy_tm_fold);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (spacy_tm_fold[mid].cp < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < TMS_ARRAY_LEN(spacy_tm_fold) && spacy_tm_fold[lo].cp == c ? spacy_tm_fold[lo].to : c;
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
    cand *cand;
    size_t ncand, candcap;
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
    w->out = out;
    w->m = 0;
    w->cap = W_INLINE;
    w->heap = NULL;
    w->cand = NULL;
    w->ncand = w->candcap = 0;
    work_arrays(w);
}

static void work_free(work *w)
{
    tms_free(w->heap);
    tms_free(w->cand);
}

/* ==== emitting tokens ==== */

static tamis_status add_cand(work *w, const sp_entry *e)
{
    if (w->ncand == w->candcap) {
        size_t cap = w->candcap ? w->candcap * 2 : 64;
        cand *c = tms_realloc(w->cand, cap * sizeof *c);
        if (!c) return TAMIS_E_NOMEM;
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
    const sp_entry *e = w->specials ? lookup(w->L, w->s + off, len) : NULL;
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
    if (!w->specials) return -1;
    size_t a = w->bo[lo], b = w->bo[hi];
    const sp_entry *e = lookup(w->L, w->s + a, b - a);
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
    for (size_t len = 1; len <= SPACY_AFTER_DIGIT_MAXLEN && len + 1 <= m && hi - len < best; len++) {
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

/* The infix that the combined infix regex matches first at p, given the
 * string cp[lo..hi): its length, 0 for the (French) empty elision infix when
 * allowed, -1 for none. */
static int infix_at(const work *w, size_t lo, size_t hi, size_t p, bool allow_empty)
{
    const uint32_t *cp = w->cp;
    if (p >= hi) return -1;
    uint32_t c = cp[p];
    /* no infix starts at an ASCII letter or digit (but the empty French one) */
    if (c < 0x80 && (spacy_ascii[c] & (A_LETTER | A_DIGIT)) && !(w->fr && p > lo && is_elision(cp[p - 1])))
        return -1;
    if (c == '.' && p + 1 < hi && cp[p + 1] == '.') { /* \.\.+ */
        size_t k = p + 2;
        while (k < hi && cp[k] == '.') k++;
        return (int)(k - p);
    }
    if (c == 0x2026) return 1;        /* … */
    if (cc(c) & SC_ICON) return 1;    /* [ICONS] */
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
            uint32_t n2 = p + 2 < hi ? cp[p + 2] : 0, n3 = p + 3 < hi ? cp[p + 3] : 0;
            bool a1 = kn & SC_ALPHA, a2 = p + 2 < hi && is_alpha(n2), a3 = p + 3 < hi && is_alpha(n3);
            if (c == '-') {
                if (a1) return 1;
                if (n1 == '-' && a2) return 2;
                if (n1 == '-' && n2 == '-' && a3) return 3;
            } else if (c == 0x2013 || c == '~') {
                if (a1) return 1;
            } else if (c == 0x2014) {
                if (a1) return 1;
                if (n1 == 0x2014 && a2) return 2;
            }
        }
        /* (?<=[{a}0-9])[:<>=/](?=[{a}]) */
        if ((c == ':' || c == '<' || c == '>' || c == '=' || c == '/') && ((kb & SC_ALPHA) || is_ascii_digit(b)) &&
            (kn & SC_ALPHA))
            return 1;
    }
    /* fr (?<=[{a}][{el}])(?=[{a}]) */
    if (w->fr && allow_empty && p >= lo + 2 && is_alpha(cp[p - 2]) && is_elision(cp[p - 1]) && is_alpha(c))
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
    for (size_t e = 0; e < 32; e++) {
        if (!(set >> e & 1) || !at(w, q + e, hi, '.')) continue;
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
    for (size_t i = 0; i < 32; i++)
        if ((e >> i & 1) && url_tail(w, q + i, hi)) return true;
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
    for (size_t i = lo; i < hi; i++)
        if (cp[i] == '.') dots[nd++] = (uint32_t)i;
    if (nd == 0) return false; /* both host forms need a dot */
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
        if (!start) continue;
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
    for (size_t i = a; i < b;) {
        size_t nx;
        uint32_t c = tms_uni_next(w->s, b, i, &nx);
        w->cp[m] = c;
        w->bo[m] = (uint32_t)i;
        if (w->fr) w->hec[m + 1] = w->hec[m] + (is_fr_hyphen(c) || is_elision(c));
        m++;
        i = nx;
    }
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

/* One non-whitespace run s[a..b). single: it is SC_INERT characters only,
 * or ASCII digits only (no rule applies: one token unless a special case);
 * head: all but the last byte are ASCII letters, or all are ASCII digits. */
static tamis_status span_tok(work *w, size_t a, size_t b, bool single, bool head)
{
    const sp_entry *e = w->specials ? lookup(w->L, w->s + a, b - a) : NULL;
    if (e && (e->flags & E_SPECIAL)) return emit_special(w, a, e->exc);
    if (single) return emit_known(w, a, b - a, e);
    if (b - a <= 4) { /* one character: nothing to split */
        size_t nx;
        (void)tms_uni_next(w->s, b, a, &nx);
        if (nx == b) return emit_known(w, a, b - a, e);
    }
    if (head) {
        /* letters then one of , ; : ! ? ) ] } " (or a '.' that the suffix
         * rules split: after a lower-case letter or two capitals): that
         * character is the only suffix, and the letters are one token or a
         * special case */
        unsigned char c = (unsigned char)w->s[b - 1], l1 = (unsigned char)w->s[b - 2];
        bool suffix = c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
                      c == '}' || c == '"';
        if (c == '.')
            suffix = (unsigned)(l1 - '0') < 10 || (unsigned)(l1 - 'a') < 26 ||
                     (b - a >= 3 && (unsigned)(l1 - 'A') < 26 && (unsigned)((unsigned char)w->s[b - 3] - 'A') < 26);
        if (suffix) {
            e = w->specials ? lookup(w->L, w->s + a, b - 1 - a) : NULL;
            if (e && (e->flags & E_SPECIAL)) TMS_TRY(emit_special(w, a, e->exc));
            else TMS_TRY(emit_known(w, a, b - 1 - a, e));
            return emit(w, b - 1, 1);
        }
    }
    return span_general(w, a, b);
}

/* _tokenize_affixes over the whole text: the non-whitespace tokens */
static tamis_status tokenize(work *w, size_t n)
{
    const unsigned char *s = (const unsigned char *)w->s;
    size_t i = 0;
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
        size_t a = i;
        /* acc: A_LETTER while all ASCII letters, A_INERT while all inert,
         * A_DIGIT while all ASCII digits; before: acc but for the last byte */
        unsigned acc = A_LETTER | A_INERT | A_DIGIT, before = acc;
        while (i < n) {
            if (i + 8 <= n) { /* skip ASCII letters eight at a time */
                uint64_t v;
                memcpy(&v, s + i, 8);
                if (!(v & 0x8080808080808080ull)) {
                    uint64_t x = v | 0x2020202020202020ull; /* letters to lower case */
                    uint64_t nl = ~((x + 0x1F1F1F1F1F1F1F1Full) & ~(x + 0x0505050505050505ull)) &
                                  0x8080808080808080ull; /* bit 7: not in a..z */
                    size_t k = nl ? (size_t)__builtin_ctzll(nl) >> 3 : 8;
                    if (k) {
                        before = k >= 2 ? acc & (A_LETTER | A_INERT) : acc;
                        acc &= A_LETTER | A_INERT;
                        i += k;
                        continue;
                    }
                }
            }
            c = s[i];
            if (c < 0x80) {
                unsigned k = spacy_ascii[c];
                if (k & A_WS) break;
                before = acc;
                acc &= k;
                i++;
            } else {
                size_t nx;
                uint32_t cp;
                if (c >= 0xC2 && c < 0xE0 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) { /* two bytes */
                    cp = (c & 0x1Fu) << 6 | (s[i + 1] & 0x3Fu);
                    nx = i + 2;
                    if (cp == 0x85 || cp == 0xA0) break; /* the only whitespace there */
                } else {
                    cp = tms_uni_next(w->s, n, i, &nx);
                    if (tms_uni_isspace(cp)) break;
                }
                before = acc;
                acc &= (cc(cp) & SC_INERT) ? A_INERT : 0;
                i = nx;
            }
        }
        TMS_TRY(span_tok(w, a, i, (acc & (A_INERT | A_DIGIT)) != 0, (before & (A_LETTER | A_DIGIT)) && i - a >= 2));
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
    tms_spans nw = {0};
    size_t i = 0;
    for (size_t k = 0; k < nkeep && st == TAMIS_OK; k++) {
        for (; i < ms[k].start && st == TAMIS_OK; i++) st = tms_spans_push(&nw, out->v[i].off, out->v[i].len);
        const struct spacy_exc *x = &L->exc[ms[k].exc];
        size_t off = out->v[i].off;

        for (int p = 0; p < x->npieces && st == TAMIS_OK; p++) {
            st = tms_spans_push(&nw, off, x->piece[p]);
            off += x->piece[p];
        }
        i += ms[k].len;
    }
    for (; i < out->n && st == TAMIS_OK; i++) st = tms_spans_push(&nw, out->v[i].off, out->v[i].len);
    if (st != TAMIS_OK) {
        tms_spans_free(&nw);
        goto done;
    }
    tms_spans_free(out);
    *out = nw;
done:
    tms_free(ms);
    return st;
}

/* ==== initialisation: hash tables and patterns ==== */

static pthread_once_t once[2] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};
static tamis_status init_status[2];

static tamis_status lang_init(sp_lang *L)
{
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
}

static void byte1_init(sp_lang *L)
{
    for (int c = 0; c < 256; c++) {
        char k = (char)c;
        L->byte1[c] = probe(L, &k, 1);
    }
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

typedef struct sent_state {
    bool seen_period;
    bool started;       /* a sentence is open */
    size_t start, end;  /* its first byte, the end of its last token */
    bool content;       /* it has a non-whitespace token */
    size_t count;
    tms_spans *sents;   /* or NULL: count only */
} sent_state;

static tamis_status sent_close(sent_state *ss)
{
    if (ss->started) {
        if (ss->sents) TMS_TRY(tms_spans_push(ss->sents, ss->start, ss->end - ss->start));
        if (ss->content) ss->count++;
    }
    return TAMIS_OK;
}

/* The sentencizer on one token s[off..end): a token that is neither
 * punctuation nor a sentence-final character starts a sentence after a
 * sentence-final one. */
static tamis_status sent_token(sent_state *ss, size_t off, size_t end, bool is_punct, bool in_punct_chars, bool ws)
{
    bool boundary = ss->seen_period && !is_punct && !in_punct_chars;
    if (!ss->started || boundary) {
        TMS_TRY(sent_close(ss));
        ss->started = true;
        ss->start = off;
        ss->content = false;
    }
    if (boundary) ss->seen_period = false;
    else if (in_punct_chars) ss->seen_period = true;
    if (!ws) ss->content = true;
    ss->end = end;
    return TAMIS_OK;
}

/* the whitespace token in s[a..b) (between tokens, or at the text's ends),
 * if there is one: a lone ' ' after a token is its trailing space */
static tamis_status sent_gap(sent_state *ss, const char *s, size_t a, size_t b, bool at_start)
{
    if (b <= a) return TAMIS_OK;
    if (!at_start) {
        if (s[a] == ' ') a++;
        if (b <= a) return TAMIS_OK;
    }
    return sent_token(ss, a, b, false, false, true);
}

static tamis_status sentences(int fr, const char *s, size_t n, tms_spans *scratch, size_t *count, tms_spans *sents)
{
    scratch->n = 0;
    TMS_TRY(tms_spacy_words(fr, s, n, scratch));
    sent_state ss = {false, false, 0, 0, false, 0, sents};
    size_t prev = 0;
    for (size_t t = 0; t < scratch->n; t++) {
        const tms_span *tk = &scratch->v[t];
        TMS_TRY(sent_gap(&ss, s, prev, tk->off, t == 0));
        bool punct = true, pc = false;
        size_t i = tk->off, e = tk->off + tk->len, nx;
        uint32_t c = tms_uni_next(s, e, i, &nx);
        if (nx == e) pc = in_sent_punct(c);
        for (; i < e; i = nx) {
            c = tms_uni_next(s, e, i, &nx);
            if (!(cc(c) & SC_PUNCTCAT)) {
                punct = false;
                break;
            }
        }
        TMS_TRY(sent_token(&ss, tk->off, e, punct, pc, false));
        prev = e;
    }
    TMS_TRY(sent_gap(&ss, s, prev, n, scratch->n == 0));
    TMS_TRY(sent_close(&ss));
    *count = ss.count;
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
