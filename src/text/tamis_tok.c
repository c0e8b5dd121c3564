/*
 * tamis_tok.c -- tamis's own word and sentence splitter, for the `tamis`
 * rule set and every language. It needs no model and does not assume that
 * words are separated by spaces.
 *
 * Words. A word is a maximal run of letters (str.isalpha), digits (Unicode
 * N*), the combining marks (Mn Mc Me) that follow them, and in-word joiners:
 *   - an apostrophe ' or U+2019 between two letters: "don't", "rock'n'roll",
 *     and also French elision "l'homme", "qu'on" (one word each: splitting
 *     them would need a per-language list of elided forms; Gopher-style
 *     counts barely move either way);
 *   - a hyphen - (or U+2010, U+2011) between two letters: "well-known";
 *   - '.' or ',' between two digits: "3.14", "1,000";
 *   - ZWJ / ZWNJ (U+200D, U+200C) and the other invisible format characters
 *     (Cf: soft hyphen, word joiner, ...) between word characters (Persian,
 *     Indic); elsewhere they are ignored, never words of their own.
 * Scripts written without spaces are cut as follows:
 *   - every Han ideograph (CJK Unified Ideographs and extensions A-H,
 *     compatibility ideographs, 々 〇) is a word of its own;
 *   - a run of Hiragana and a run of Katakana (with the prolonged sound mark
 *     ー, half-width forms) is one word each;
 *   - a run of Thai, Lao, Khmer or Myanmar letters and marks is one word: we
 *     have no dictionary segmenter, so a Thai phrase between spaces counts as
 *     one word (Thai puts spaces between phrases, not words);
 *   - Hangul syllables are ordinary letters (Korean separates words with
 *     spaces; particles stay attached to their word).
 * Every other non-space character is a word of its own: punctuation,
 * symbols, emoji (with its variation selectors, skin-tone modifiers and
 * ZWJ sequences; a pair of regional indicators is one flag), except that a
 * run of one repeated punctuation character ("...", "!!!", "---") is one word.
 *
 * Sentences end after a run of Sentence_Terminal characters (. ! ? 。 ！ ？
 * । ؟ ...) and any closing quotes or brackets after it, and at every newline.
 * After '.', '!' or '?' the sentence ends only if no letter or digit follows
 * directly ("3.14", "e.g", "example.com" do not end one); the other
 * terminals (。！？ and those of other scripts) always end one. Abbreviations
 * ("Dr. Smith") do end a sentence: there is no per-language list. The count
 * is that of the sentences that are not blank.
 *
 * Speed. Both functions run over every document of the quality stages, so
 * their common cases have fast paths that give the same result: a table
 * gives the kind (and sentence flags) of every code point below 0x20000,
 * built once from the functions that define them (uni_kind,
 * tms_uni_terminal, closer). With SSE2, the words of 64 bytes at a time are
 * found with bit masks up to the first character the masks cannot express
 * (block_words), and a sentence is skipped 16 bytes at a time up to the
 * next byte that may be a newline or a terminal (sent_mask16); elsewhere
 * and in the last bytes, the rules above are applied character by
 * character.
 */
#include "words.h"
#include "uni.h"
#include <pthread.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum kind {
    K_SPACE,
    K_LETTER, /* letters of the scripts written with spaces, Hangul included */
    K_DIGIT,
    K_MARK,   /* Mn Mc Me */
    K_INVIS,  /* Cf: ZWJ, ZWNJ, soft hyphen, word joiner, ... */
    K_HAN,
    K_HIRA,
    K_KATA,
    K_SEA,    /* Thai, Lao, Khmer, Myanmar letters and marks */
    K_PUNCT,
    K_OTHER,  /* symbols, emoji, controls, unassigned */
    K_HIGH,   /* byte_kind only: a byte >= 0x80 (decode it) */
};

/* ASCII: letters, digits, whitespace; everything else is punctuation */
static inline enum kind ascii_kind(unsigned c)
{
    if (((c | 0x20u) - 'a') < 26u) return K_LETTER;
    if ((c - '0') < 10u) return K_DIGIT;
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) return K_SPACE;
    return K_PUNCT;
}

static bool is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0x30000 && c <= 0x323AF) || c == 0x3005 || c == 0x3007;
}

static bool is_sea_block(uint32_t c)
{
    return (c >= 0x0E00 && c <= 0x0EFF) ||   /* Thai, Lao */
           (c >= 0x1000 && c <= 0x109F) ||   /* Myanmar */
           (c >= 0x1780 && c <= 0x17FF) ||   /* Khmer */
           (c >= 0x19E0 && c <= 0x19FF) ||   /* Khmer symbols */
           (c >= 0xA9E0 && c <= 0xA9FF) ||   /* Myanmar extended-B */
           (c >= 0xAA60 && c <= 0xAA7F);     /* Myanmar extended-A */
}

static enum kind uni_kind(uint32_t c)
{
    if (c < 0x80) return ascii_kind(c);
    if (tms_uni_isspace(c)) return K_SPACE;
    if (c >= 0x3040 && c <= 0x30FF) {
        if (c == 0x30FC) return K_KATA;                  /* ー: also continues a Hiragana run */
        if (c >= 0x3099 && c <= 0x309C) return K_MARK;   /* (semi-)voiced sound marks */
        if (c <= 0x309F) return c == 0x3040 ? K_OTHER : K_HIRA;
        if (c == 0x30A0 || c == 0x30FB) return K_PUNCT; /* ゠ ・ */
        return K_KATA;
    }
    if ((c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F)) return K_KATA;
    if (is_han(c)) return K_HAN;
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    switch (k) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return is_sea_block(c) ? K_SEA : K_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return is_sea_block(c) ? K_SEA : K_MARK;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return K_DIGIT;
    case UTF8PROC_CATEGORY_CF:
        return K_INVIS;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
        return K_PUNCT;
    default:
        return tms_uni_punct(c) ? K_PUNCT : K_OTHER;
    }
}

/* closing quotes and brackets that stay with the sentence before them */
static bool closer(uint32_t c)
{
    if (c < 0x80) return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}';
    switch (utf8proc_category((utf8proc_int32_t)c)) {
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PF:
        return true;
    default:
        return c == 0x00BB || c == 0x201C || c == 0x201E; /* » and the German closing “ */
    }
}

/* ---------------- the tables ---------------- */

/* a code point's properties: its kind and the sentence flags */
enum { P_KIND = 15, P_TERM = 16, P_CLOSER = 32 };
#define PROPS_LIMIT 0x20000u /* the BMP and plane 1 (emoji); beyond, computed */
static uint8_t props[PROPS_LIMIT];
static uint8_t byte_kind[256]; /* the kind of an ASCII byte; K_HIGH for the others */
static pthread_once_t props_once = PTHREAD_ONCE_INIT;

static unsigned props_of(uint32_t c)
{
    return (unsigned)uni_kind(c) | (tms_uni_terminal(c) ? P_TERM : 0u) | (closer(c) ? P_CLOSER : 0u);
}

static void props_init(void)
{
    for (uint32_t c = 0; c < PROPS_LIMIT; c++) props[c] = (uint8_t)props_of(c);
    for (unsigned b = 0; b < 256; b++) byte_kind[b] = (uint8_t)(b < 0x80 ? ascii_kind(b) : K_HIGH);
}

static inline unsigned cp_props(uint32_t c) { return c < PROPS_LIMIT ? props[c] : props_of(c); }

/* tms_uni_next with its common cases (ASCII, two and three bytes) inline */
static inline uint32_t next_cp(const char *s, size_t n, size_t i, size_t *nx)
{
    const unsigned char *p = (const unsigned char *)s + i;
    unsigned c = p[0];
    if (c < 0x80) {
        *nx = i + 1;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0 && n - i >= 2 && (p[1] & 0xC0) == 0x80) {
        *nx = i + 2;
        return ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    }
    if (c >= 0xE0 && c < 0xF0 && n - i >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *nx = i + 3;
            return cp;
        }
    }
    return tms_uni_next(s, n, i, nx);
}

static inline enum kind kind_at(const char *s, size_t n, size_t i, size_t *nx, uint32_t *cp)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *nx = i + 1;
        *cp = b;
        return (enum kind)byte_kind[b];
    }
    *cp = next_cp(s, n, i, nx);
    return (enum kind)(cp_props(*cp) & P_KIND);
}

/* ---------------- the fast paths ---------------- */

static inline bool ascii_alnum(unsigned b) { return ((b | 0x20u) - 'a') < 26u || (b - '0') < 10u; }

#if defined(__SSE2__)
/* bit j set where p[j] is an ASCII letter or digit */
static inline unsigned alnum_mask16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* x + (0x80 - lo) < 0x80 + len, signed, is lo <= x < lo + len */
    __m128i l = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(0x80 - 'a')));
    __m128i d = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0')));
    __m128i m = _mm_or_si128(_mm_cmplt_epi8(l, _mm_set1_epi8((char)(0x80 + 26))),
                             _mm_cmplt_epi8(d, _mm_set1_epi8((char)(0x80 + 10))));
    return (unsigned)_mm_movemask_epi8(m);
}

/* bit j set where p[j] is '\n' or a Latin terminal, or where its first two
 * bytes may start another Sentence_Terminal character (all are below
 * U+20000; by first and second byte: D6 89, D8 9D-9F, DB 94, DC 80-82,
 * DF B9, E0 A0/A5, E1 any, E2 80-81/B8-B9, E3 80, EA 80-AF, EF B9-BD,
 * F0 90-9D). p[0..17) are read. */
static inline unsigned sent_mask16(const char *p)
{
#define EQ(x, c) _mm_cmpeq_epi8((x), _mm_set1_epi8((char)(c)))
#define IN(x, lo, hi) \
    _mm_cmplt_epi8(_mm_add_epi8((x), _mm_set1_epi8((char)(0x80 - (lo)))), _mm_set1_epi8((char)(0x80 + (hi) - (lo) + 1)))
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(EQ(v, '\n'), EQ(v, '.')),
                                                          _mm_or_si128(EQ(v, '!'), EQ(v, '?'))));
    if (!_mm_movemask_epi8(v)) return m;
    __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
    __m128i t2 = _mm_or_si128(
        _mm_or_si128(_mm_and_si128(EQ(v, 0xD6), EQ(w, 0x89)), _mm_and_si128(EQ(v, 0xD8), IN(w, 0x9D, 0x9F))),
        _mm_or_si128(_mm_or_si128(_mm_and_si128(EQ(v, 0xDB), EQ(w, 0x94)), _mm_and_si128(EQ(v, 0xDC), IN(w, 0x80, 0x82))),
                     _mm_and_si128(EQ(v, 0xDF), EQ(w, 0xB9))));
    __m128i t3 = _mm_or_si128(
        _mm_or_si128(_mm_and_si128(EQ(v, 0xE0), _mm_or_si128(EQ(w, 0xA0), EQ(w, 0xA5))), EQ(v, 0xE1)),
        _mm_or_si128(_mm_and_si128(EQ(v, 0xE2), _mm_or_si128(IN(w, 0x80, 0x81), IN(w, 0xB8, 0xB9))),
                     _mm_and_si128(EQ(v, 0xE3), EQ(w, 0x80))));
    __m128i t4 = _mm_or_si128(_mm_or_si128(_mm_and_si128(EQ(v, 0xEA), IN(w, 0x80, 0xAF)),
                                           _mm_and_si128(EQ(v, 0xEF), IN(w, 0xB9, 0xBD))),
                              _mm_and_si128(EQ(v, 0xF0), IN(w, 0x90, 0x9D)));
    return m | (unsigned)_mm_movemask_epi8(_mm_or_si128(t2, _mm_or_si128(t3, t4)));
#undef EQ
#undef IN
}
#endif

/* the end of the run of ASCII letters and digits at i */
static inline size_t alnum_end(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        unsigned m = ~alnum_mask16(s + i) & 0xFFFFu;
        if (m) return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < n && ascii_alnum((unsigned char)s[i])) i++;
    return i;
}

/* the first '\n', '.', '!', '?' or other Sentence_Terminal at or after i
 * (in the last bytes, the first non-ASCII byte); what lies before is none,
 * so a sentence with content goes on. i is a character boundary, and so is
 * every byte sent_mask16 stops at (an ASCII byte or a first byte). */
static inline size_t sent_stop(const char *s, size_t i, size_t n)
{
#if defined(__SSE2__)
    while (i + 17 <= n) {
        size_t base = i, nx;
        for (unsigned m = sent_mask16(s + base); m; m &= m - 1) {
            size_t p = base + (size_t)__builtin_ctz(m);
            if (p < i) continue;
            if ((unsigned char)s[p] < 0x80 || (cp_props(next_cp(s, n, p, &nx)) & P_TERM)) return p;
            i = nx;
        }
        if (i < base + 16) i = base + 16;
    }
#endif
    for (; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x80 || b == '\n' || b == '.' || b == '!' || b == '?') break;
    }
    return i;
}

/* ---------------- words ---------------- */

static inline bool is_apostrophe(uint32_t c) { return c == '\'' || c == 0x2019; }
static inline bool is_hyphen(uint32_t c) { return c == '-' || c == 0x2010 || c == 0x2011; }

/* the kind of the first character at or after i that is not invisible */
static enum kind next_visible(const char *s, size_t n, size_t i)
{
    size_t nx;
    uint32_t cp;
    while (i < n) {
        enum kind k = kind_at(s, n, i, &nx, &cp);
        if (k != K_INVIS) return k;
        i = nx;
    }
    return K_SPACE;
}

/* end of the letters-and-digits word whose characters before i end with a
 * base character of kind last (K_LETTER or K_DIGIT) */
static size_t word_tail(const char *s, size_t n, size_t i, enum kind last)
{
    size_t nx;
    uint32_t cp;
    while (i < n) {
        unsigned b = (unsigned char)s[i];
        /* ASCII letters and digits: the common case */
        if (ascii_alnum((unsigned char)b)) {
            i = alnum_end(s, i + 1, n);
            last = ((unsigned)(unsigned char)s[i - 1] - '0') < 10u ? K_DIGIT : K_LETTER;
            continue;
        }
        enum kind c = kind_at(s, n, i, &nx, &cp);
        if (c == K_LETTER || c == K_DIGIT) {
            last = c;
        } else if (c == K_MARK) {
            /* stays with its base */
        } else if (c == K_INVIS) {
            enum kind v = next_visible(s, n, nx);
            if (v != K_LETTER && v != K_DIGIT && v != K_MARK) break;
        } else if (is_apostrophe(cp) || is_hyphen(cp)) {
            if (last != K_LETTER || nx >= n || kind_at(s, n, nx, &nx, &cp) != K_LETTER) break;
        } else if (cp == '.' || cp == ',') {
            if (last != K_DIGIT || nx >= n || kind_at(s, n, nx, &nx, &cp) != K_DIGIT) break;
        } else {
            break;
        }
        i = nx;
    }
    return i;
}

/* end of a run of the kinds in mask (1 << kind), marks and invisibles included */
static size_t run_end(const char *s, size_t n, size_t i, unsigned mask)
{
    size_t nx;
    uint32_t cp;
    while (i < n) {
        enum kind k = kind_at(s, n, i, &nx, &cp);
        if (!((mask >> k) & 1)) break;
        i = nx;
    }
    return i;
}

static inline bool regional(uint32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }

/* end of a symbol / emoji: modifiers, variation selectors, keycaps, tags,
 * ZWJ-joined symbols; two regional indicators make one flag */
static size_t symbol_end(const char *s, size_t n, size_t i, uint32_t first, size_t nx)
{
    uint32_t cp;
    size_t j;
    if (regional(first) && nx < n) {
        kind_at(s, n, nx, &j, &cp);
        if (regional(cp)) return j;
    }
    i = nx;
    while (i < n) {
        enum kind k = kind_at(s, n, i, &j, &cp);
        if (k == K_MARK || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F)) {
            i = j;
        } else if (cp == 0x200D && j < n) {
            size_t j2;
            enum kind k2 = kind_at(s, n, j, &j2, &cp);
            if (k2 != K_OTHER) break;
            i = j2;
        } else {
            break;
        }
    }
    return i;
}

/* the word that starts with the non-ASCII character at i (which decodes to
 * cp, of kind k, and ends at nx); returns its end */
static size_t high_word_end(const char *s, size_t n, size_t i, uint32_t cp, enum kind k, size_t nx)
{
    size_t e;
    switch (k) {
    case K_LETTER:
    case K_DIGIT:
        return word_tail(s, n, nx, k);
    case K_HAN:
        return run_end(s, n, nx, 1u << K_MARK);
    case K_HIRA:
        e = run_end(s, n, nx, 1u << K_HIRA | 1u << K_MARK | 1u << K_INVIS);
        /* ー continues a Hiragana run too */
        while (e < n && kind_at(s, n, e, &nx, &cp) == K_KATA && cp == 0x30FC)
            e = run_end(s, n, nx, 1u << K_HIRA | 1u << K_MARK | 1u << K_INVIS);
        return e;
    case K_KATA:
        return run_end(s, n, nx, 1u << K_KATA | 1u << K_MARK | 1u << K_INVIS);
    case K_SEA:
        return run_end(s, n, nx, 1u << K_SEA | 1u << K_MARK | 1u << K_INVIS);
    case K_PUNCT: {
        /* a run of the same character */
        uint32_t first = cp;
        e = nx;
        while (e < n) {
            size_t j;
            kind_at(s, n, e, &j, &cp);
            if (cp != first) break;
            e = j;
        }
        return e;
    }
    case K_MARK:   /* a mark with no base: a symbol of its own */
    case K_OTHER:
    default:
        return symbol_end(s, n, i, cp, nx);
    }
}

/* the span vector, its count and capacity in registers */
typedef struct sink {
    tms_span *v;
    size_t n, cap;
    tms_spans *out;
} sink;

static inline tamis_status sink_push(sink *k, size_t a, size_t e)
{
    if (TMS_UNLIKELY(k->n == k->cap)) {
        k->out->n = k->n;
        TMS_TRY(tms_spans_grow(k->out));
        k->v = k->out->v;
        k->cap = k->out->cap;
    }
    k->v[k->n].off = (uint32_t)a;
    k->v[k->n].len = (uint32_t)(e - a);
    k->n++;
    return TAMIS_OK;
}

#if defined(__SSE2__)
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* (x86-64's baseline has no popcnt instruction) */
static inline size_t popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (size_t)((x * 0x0101010101010101ull) >> 56);
}

/* block_words' non-ASCII characters, in order (each starts at a character
 * boundary: everything before it is ASCII or whole characters). In the
 * masks a byte >= 0x80 in alnum belongs to a letter or a mark after a
 * letter, so it counts as a letter for the joiners; `more` links the bytes
 * of the other characters (and a joining apostrophe or hyphen). A
 * character the masks cannot express clears the spaces from it on.
 * (Not inlined: the masks stay in registers.) */
NOINLINE static void block_high(const char *s, size_t i, uint64_t high, uint64_t *palnum, uint64_t *pspace,
                                uint64_t *pmore)
{
    uint64_t alnum = *palnum, space = *pspace, more = 0;
    while (high) {
        unsigned h = (unsigned)__builtin_ctzll(high), len;
        /* two- and three-byte characters (a call would spill the masks) */
        const unsigned char *u = (const unsigned char *)s + i + h;
        uint32_t cp;
        if (u[0] >= 0xC2 && u[0] < 0xE0 && h + 2 <= 64 && (u[1] & 0xC0) == 0x80) {
            cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
            len = 2;
        } else if (u[0] >= 0xE0 && u[0] < 0xF0 && h + 3 <= 64 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
            cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            len = 3;
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) goto stop;
        } else {
            goto stop;
        }
        unsigned e = h + len;
        uint64_t bits = (((uint64_t)1 << len) - 1) << h;
        enum kind kd = (enum kind)(props[cp] & P_KIND);
        /* the byte before is a letter's (a mark stays with its base when
         * that is a letter: a digit's mark would look like a letter's to
         * the joiners); '0' stands for the start of the block */
        unsigned c = h ? (unsigned char)s[i + h - 1] : '0';
        bool after_letter = ((alnum >> (h ? h - 1 : 0)) & 1) & ((c - '0') >= 10u);
        if ((kd == K_LETTER) | ((kd == K_MARK) & after_letter)) {
            alnum |= bits;
        } else if (kd == K_SPACE) {
            space |= bits;
        } else if ((kd == K_PUNCT || kd == K_OTHER) && e < 64 && (unsigned char)s[i + e] < 0x80) {
            /* a word of its own (a run of one character or a symbol ends
             * at the ASCII byte), or a joiner between two letters */
            unsigned x = (unsigned char)s[i + e];
            bool joins = (is_apostrophe(cp) || is_hyphen(cp)) && after_letter && ((x | 0x20u) - 'a') < 26u;
            more |= joins ? bits | bits << 1 : bits & (bits << 1);
        } else {
            goto stop;
        }
        high &= ~bits;
        continue;
    stop:
        space &= ((uint64_t)1 << h) - 1; /* the region ends before this character */
        break;
    }
    *palnum = alnum;
    *pspace = space;
    *pmore = more;
}

/* Sixty-four bytes at a time. The words of s[i..i+L) are found with bit
 * masks (bit b for s[i + b]), L the last space of s[i..i+64) before the
 * first character the masks cannot express, and *pi moves to i + L + 1
 * (it stays when there is no such space). i must start a word or be a
 * space. The masks express ASCII, and the non-ASCII characters that are
 * whitespace, letters, marks after a letter, or punctuation and symbols
 * followed by an ASCII byte (then they are one-character words, or an
 * apostrophe or hyphen that joins two letters). */
static inline tamis_status block_words(const char *s, size_t *pi, sink *k)
{
    size_t i = *pi;
    uint64_t alnum = 0, space = 0, high = 0;
    for (unsigned q = 0; q < 64; q += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i + q));
        /* x + (0x80 - lo) < 0x80 + len, signed, is lo <= x < lo + len */
        __m128i l = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(0x80 - 'a')));
        __m128i d = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0')));
        __m128i a = _mm_or_si128(_mm_cmplt_epi8(l, _mm_set1_epi8((char)(0x80 + 26))),
                                 _mm_cmplt_epi8(d, _mm_set1_epi8((char)(0x80 + 10))));
        /* ' ', \t..\r, \x1c..\x1f */
        __m128i c1 = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 0x09)));
        __m128i c2 = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 0x1C)));
        __m128i sp = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                  _mm_or_si128(_mm_cmplt_epi8(c1, _mm_set1_epi8((char)(0x80 + 5))),
                                               _mm_cmplt_epi8(c2, _mm_set1_epi8((char)(0x80 + 4)))));
        alnum |= (uint64_t)(unsigned)_mm_movemask_epi8(a) << q;
        space |= (uint64_t)(unsigned)_mm_movemask_epi8(sp) << q;
        high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << q;
    }
    uint64_t more = 0;
    if (high) block_high(s, i, high, &alnum, &space, &more);
    if (!space) return TAMIS_OK;
    unsigned L = 63u - (unsigned)__builtin_clzll(space);
    uint64_t r = ((uint64_t)1 << L) - 1; /* the region: bits 0..L-1 (at most 62) */
    uint64_t a = alnum & r, t = r & ~space, p = t & ~a;
    /* s[i + b] continues the word of s[i + b - 1] */
    uint64_t cont = (a & (a << 1)) | (more & r);
    /* ASCII punctuation between two letters or digits: the joiners of
     * word_tail (' - between letters, . , between digits) */
    for (uint64_t jc = p & (a << 1) & (a >> 1); jc; jc &= jc - 1) {
        unsigned b = (unsigned)__builtin_ctzll(jc);
        unsigned c = (unsigned char)s[i + b];
        unsigned x = (unsigned char)s[i + b - 1] - (unsigned)'0', y = (unsigned char)s[i + b + 1] - (unsigned)'0';
        bool digits = (x < 10u) & (y < 10u), letters = (x >= 10u) & (y >= 10u);
        if (((c == '\'' || c == '-') && letters) || ((c == '.' || c == ',') && digits)) cont |= (uint64_t)3 << b;
    }
    /* a run of one repeated ASCII punctuation character */
    for (uint64_t pp = p & (p << 1) & ~more; pp; pp &= pp - 1) {
        unsigned b = (unsigned)__builtin_ctzll(pp);
        if (s[i + b] == s[i + b - 1]) cont |= (uint64_t)1 << b;
    }
    uint64_t starts = t & ~cont, ends = t & ~(cont >> 1);
    /* at most 63 words: make room for 64 once, then write them four at a
     * time (bit 63 is never in the region: extra slots get garbage that is
     * not counted) */
    size_t cnt = popcount64(starts);
    while (TMS_UNLIKELY(k->cap - k->n < 64)) {
        k->out->n = k->n;
        TMS_TRY(tms_spans_grow(k->out));
        k->v = k->out->v;
        k->cap = k->out->cap;
    }
    tms_span *o = k->v + k->n;
    const uint64_t top = (uint64_t)1 << 63;
    for (size_t m = 0; m < cnt; m += 4, o += 4) {
        for (unsigned u = 0; u < 4; u++) {
            uint32_t st = (uint32_t)__builtin_ctzll(starts | top), en = (uint32_t)__builtin_ctzll(ends | top);
            o[u].off = (uint32_t)i + st;
            o[u].len = en - st + 1;
            starts &= starts - 1;
            ends &= ends - 1;
        }
    }
    k->n += cnt;
    *pi = i + L + 1;
    return TAMIS_OK;
}
#endif

tamis_status tms_tamis_words(const char *s, size_t n, tms_spans *out)
{
    pthread_once(&props_once, props_init);
    sink k = {out->v, out->n, out->cap, out};
    tamis_status st = TAMIS_OK;
    size_t i = 0, e;
#if defined(__SSE2__)
    /* after a block that could not be done with masks, the next try is
     * after an ASCII space (text without spaces goes word by word) */
    bool try_block = true;
#define BLOCK_AGAIN() (try_block = true)
#else
#define BLOCK_AGAIN() ((void)0)
#endif
    while (i < n) {
#if defined(__SSE2__)
        if (try_block && i + 64 <= n) {
            size_t i0 = i;
            if ((st = block_words(s, &i, &k)) != TAMIS_OK) break;
            if (i != i0) continue;
            try_block = false;
        }
#endif
        unsigned b = (unsigned char)s[i];
        enum kind kd = (enum kind)byte_kind[b];
        if (kd == K_SPACE) {
            i++;
            BLOCK_AGAIN();
            continue;
        }
        if (kd == K_LETTER || kd == K_DIGIT) {
            e = alnum_end(s, i + 1, n);
            if (e < n) {
                unsigned c = (unsigned char)s[e];
                enum kind ke = (enum kind)byte_kind[c];
                if (ke == K_SPACE) { /* the usual end of a word: skip the space too */
                    if ((st = sink_push(&k, i, e)) != TAMIS_OK) break;
                    i = e + 1;
                    BLOCK_AGAIN();
                    continue;
                }
                if (ke != K_PUNCT || c == '\'' || c == '-' || c == '.' || c == ',')
                    e = word_tail(s, n, e, ((unsigned)(unsigned char)s[e - 1] - '0') < 10u ? K_DIGIT : K_LETTER);
            }
        } else if (kd == K_PUNCT) {
            /* a run of the same character */
            e = i + 1;
            while (e < n && (unsigned char)s[e] == b) e++;
        } else {
            size_t nx;
            uint32_t cp = next_cp(s, n, i, &nx);
            kd = (enum kind)(cp_props(cp) & P_KIND);
            if (kd == K_SPACE || kd == K_INVIS) {
                i = nx;
                continue;
            }
            e = high_word_end(s, n, i, cp, kd, nx);
        }
        if ((st = sink_push(&k, i, e)) != TAMIS_OK) break;
        i = e;
    }
#undef BLOCK_AGAIN
    out->n = k.n;
    return st;
}

/* ---------------- sentences ---------------- */

tamis_status tms_tamis_sentences(const char *s, size_t n, tms_spans *scratch, size_t *count)
{
    (void)scratch;
    pthread_once(&props_once, props_init);
    size_t k = 0, i = 0, nx;
    bool content = false; /* the current sentence has a non-space character */
    while (i < n) {
        /* inside a sentence, only newlines and terminals matter */
        if (content && (i = sent_stop(s, i, n)) >= n) break;
        unsigned char b = (unsigned char)s[i];
        if (b == '\n') {
            k += content;
            content = false;
            i++;
            continue;
        }
        unsigned pr;
        if (b < 0x80) {
            nx = i + 1;
            pr = props[b];
        } else {
            pr = cp_props(next_cp(s, n, i, &nx));
        }
        if (!(pr & P_TERM)) {
            content |= (pr & P_KIND) != K_SPACE;
            i = nx;
            continue;
        }
        /* a run of terminals, then closers */
        bool latin = true;
        size_t j = i;
        while (j < n) {
            size_t jn;
            uint32_t t = next_cp(s, n, j, &jn);
            if (!(cp_props(t) & P_TERM)) break;
            latin &= t == '.' || t == '!' || t == '?';
            j = jn;
        }
        while (j < n) {
            size_t jn;
            uint32_t t = next_cp(s, n, j, &jn);
            if (!(cp_props(t) & P_CLOSER)) break;
            j = jn;
        }
        bool ends = true;
        if (latin && j < n) { /* not when a word character follows directly */
            uint32_t t;
            enum kind w = kind_at(s, n, j, &nx, &t);
            ends = w == K_SPACE || w == K_INVIS || w == K_PUNCT || w == K_OTHER;
        }
        if (ends) {
            k++;
            content = false;
        } else {
            content = true;
        }
        i = j;
    }
    *count = k + content;
    return TAMIS_OK;
}
