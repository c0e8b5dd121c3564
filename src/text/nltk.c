/*
 * nltk.c -- NLTK's English word_tokenize and sent_tokenize as FineWeb ran
 * them in 2024 (NLTK 3.8.1), reimplemented by hand, without a regex engine.
 *
 * sent_tokenize(text) is punkt (nltk/tokenize/punkt.py): every '.', '?' or
 * '!' followed by a non-word character or by whitespace and a token is a
 * candidate; the word before it, the mark and what follows are tokenized with
 * punkt's word regex and annotated (first pass: abbreviation, ellipsis,
 * sentence break; second pass: orthographic heuristic, initials, numbers);
 * then closing quotes and brackets after a break are realigned onto the
 * sentence before. word_tokenize(text) runs NLTKWordTokenizer (the improved
 * Treebank tokenizer, nltk/tokenize/destructive.py) on each sentence.
 *
 * The Treebank tokenizer is a cascade of regex substitutions that pad
 * characters with spaces, then text.split(). Here the sentence keeps its
 * bytes and a flag per byte says "a space was inserted before this byte"
 * (F_SP) or "this quote was converted"; each substitution is one pass, in
 * NLTK's order, over the sentence's special characters only, testing its
 * regex's context exactly as the regex would on the padded text (including
 * the non-overlapping scan where it matters, e.g. ",," and "---"). Letters
 * are touched once, when the words are emitted (the contraction rules).
 *
 * Speed (the results are those of the plain code paths): the specials are
 * found 64 bytes at a time (SSE2); a pass visits only the specials of its
 * kind; the words of all the sentences are emitted at once, 64 bytes at a
 * time with bit masks (tb_block); and punkt's commonest contexts ("word.
 * Next") are annotated without running its tokenizer (punkt_context_break).
 *
 * Where this deliberately differs from NLTK:
 *  - Spans, not strings. NLTK rewrites '"' as `` (opening) or '' (closing),
 *    and an opening '' as ``; we return the span of the original characters,
 *    so such a word is '"' (or '' / ``) in the text. Counts are unchanged.
 *  - The punkt model. NLTK loads a model trained on news text
 *    (english.pickle: abbreviations, collocations, frequent sentence starters
 *    and the case each word type was seen in). We do not ship trained data;
 *    punkt's decision procedure runs with hand-written parameters instead:
 *    ABBREVS (common English abbreviations), no collocations, and STARTERS,
 *    common words that begin sentences: each counts as a frequent sentence
 *    starter and as a type seen lower-case inside sentences and capitalised
 *    at their start. Consequences: "Dr. Jones" and "Inc. Smith" do not break,
 *    "etc. The" and "p.m. We" do, "J. Bach" does not; after an ordinary word
 *    a period always breaks.
 *  - Case-insensitive matches in the contraction rules are ASCII-only (Python
 *    would also match dotless i and long s).
 *  - None, otherwise: this is NLTK 3.8.1's algorithm to the letter, quirks
 *    included (",,a" gives "," and ",a"; "don’t" gives "don", "’", "t";
 *    there is no "\s+ -> space" step before the clitic rules, added after
 *    3.8.1, so "he's\tgood" keeps "he's" whole, as FineWeb did). It was
 *    checked token for token against NLTK 3.8 (Debian's python3-nltk) running
 *    the same hand-written punkt parameters, on real web pages and on random
 *    strings built from quotes, apostrophes, clitics and punctuation.
 */
#include "words.h"
#include "uni.h"
#include "../core/alloc.h"
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define NONE SIZE_MAX
#if defined(__GNUC__)
#define COLD __attribute__((noinline))
#define ALWAYS_INLINE __attribute__((always_inline))
#else
#define COLD
#define ALWAYS_INLINE
#endif

/* ================= character classes (Python's re meanings) ================= */

static inline bool ascii_word(unsigned c)
{
    return ((c | 0x20u) - 'a') < 26u || (c - '0') < 10u || c == '_';
}

static inline bool ascii_space(unsigned c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
}

/* \w: str.isalnum() or '_' */
static bool uni_word_slow(uint32_t c)
{
    if (tms_uni_isalpha(c)) return true;
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

static inline bool uni_word(uint32_t c) { return c < 0x80 ? ascii_word(c) : uni_word_slow(c); }

/* \d: str.isdecimal() */
static bool uni_decimal(uint32_t c)
{
    if (c < 0x80) return (c - '0') < 10u;
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND;
}

/* str.isupper() / str.islower() of one character: Lu / Ll plus the
 * Other_Uppercase / Other_Lowercase code points. 1 upper, -1 lower, 0 neither. */
static int uni_case(uint32_t c)
{
    if (c < 0x80) return (c - 'A') < 26u ? 1 : (c - 'a') < 26u ? -1 : 0;
    switch (utf8proc_category((utf8proc_int32_t)c)) {
    case UTF8PROC_CATEGORY_LU: return 1;
    case UTF8PROC_CATEGORY_LL: return -1;
    default: break;
    }
    if ((c >= 0x2160 && c <= 0x216F) || (c >= 0x24B6 && c <= 0x24CF) || (c >= 0x1F130 && c <= 0x1F149) ||
        (c >= 0x1F150 && c <= 0x1F169) || (c >= 0x1F170 && c <= 0x1F189))
        return 1;
    if (c == 0xAA || c == 0xBA || (c >= 0x2B0 && c <= 0x2B8) || c == 0x2C0 || c == 0x2C1 ||
        (c >= 0x2E0 && c <= 0x2E4) || c == 0x345 || c == 0x37A || (c >= 0x1D2C && c <= 0x1D6A) || c == 0x1D78 ||
        (c >= 0x1D9B && c <= 0x1DBF) || c == 0x2071 || c == 0x207F || (c >= 0x2090 && c <= 0x209C) ||
        (c >= 0x2170 && c <= 0x217F) || (c >= 0x24D0 && c <= 0x24E9) || c == 0x2C7C || c == 0x2C7D ||
        c == 0xA69C || c == 0xA69D || c == 0xA770 || c == 0xA7F8 || c == 0xA7F9 || (c >= 0xAB5C && c <= 0xAB5F))
        return -1;
    return 0;
}

/* Byte classes for the hot loops, built once. */
enum {
    B_NONWORD = 1,  /* ASCII, not \w */
    B_SPACE = 2,    /* ASCII whitespace (str.isspace) */
    B_SPECIAL = 4,  /* a character some Treebank rule looks for */
    B_HIGH = 8,     /* >= 0x80 */
    B_QLEAD = 16,   /* first byte of « » “ ” ‘ ’ „ */
    B_END = 32,     /* . ? ! (punkt candidates) */
    B_PYWS = 64,    /* string.whitespace: ' ', \t..\r */
};
static uint8_t byte_class[256];
/* which Treebank passes a special byte concerns (G_*), so that a sentence
 * skips the passes none of its characters concern */
enum {
    G_SQ1 = 1,    /* ` « “ ‘ „ */
    G_DQ = 2,     /* " */
    G_AP = 4,     /* ' */
    G_CC = 8,     /* , : */
    G_PUNCT = 16, /* . ; @ # $ % & ? ! */
    G_PAD = 32,   /* * brackets - » ” ’ */
};
static uint8_t byte_group[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void byte_class_init(void)
{
    for (unsigned c = 0; c < 256; c++) {
        uint8_t k = 0;
        if (c >= 0x80) k |= B_HIGH;
        else if (!ascii_word(c)) k |= B_NONWORD;
        if (c < 0x80 && ascii_space(c)) k |= B_SPACE;
        if (c < 0x80 && c && strchr("\"'`()[]{}<>.,:;@#$%&?!*-", (int)c)) k |= B_SPECIAL;
        if (c == 0xC2 || c == 0xE2) k |= B_QLEAD;
        if (c == '.' || c == '?' || c == '!') k |= B_END;
        if (c == ' ' || (c >= 0x09 && c <= 0x0D)) k |= B_PYWS;
        byte_class[c] = k;
        uint8_t g = 0;
        if (c == '`') g = G_SQ1;
        else if (c == '"') g = G_DQ;
        else if (c == '\'') g = G_AP;
        else if (c == ',' || c == ':') g = G_CC;
        else if (c && strchr(".;@#$%&?!", (int)c)) g = G_PUNCT;
        else if (c && strchr("*[](){}<>-", (int)c)) g = G_PAD;
        else if (c == 0xC2 || c == 0xE2) g = G_SQ1 | G_PAD;
        byte_group[c] = g;
    }
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define SWAR_OK 1
#else
#define SWAR_OK 0
#endif

#if SWAR_OK
/* Eight bytes at a time: the high bit of each byte of the result is set
 * where v has an ASCII \w byte ([A-Za-z0-9_]), resp. a ' '. Byte sums stay
 * below 0x100 (bytes are masked to 7 bits first), so nothing carries. */
#define SWAR_H 0x8080808080808080ull
#define SWAR_1 0x0101010101010101ull
static inline uint64_t swar_word(uint64_t v)
{
    uint64_t x = v & ~SWAR_H, l = x | (0x20 * SWAR_1);
    uint64_t letter = (l + (0x80 - 'a') * SWAR_1) & ~(l + (0x80 - 'z' - 1) * SWAR_1);
    uint64_t digit = (x + (0x80 - '0') * SWAR_1) & ~(x + (0x80 - '9' - 1) * SWAR_1);
    uint64_t under = ~((x ^ ('_' * SWAR_1)) + 0x7F * SWAR_1);
    return (letter | digit | under) & ~v & SWAR_H;
}

#if !defined(__SSE2__)
static inline uint64_t swar_space(uint64_t v)
{
    uint64_t x = v ^ (' ' * SWAR_1);
    return ~((x & ~SWAR_H) + 0x7F * SWAR_1) & ~x & SWAR_H;
}
#endif

static inline uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
#endif

/* the end of the run of ASCII \w bytes starting at i (< end) */
static inline size_t word_run_end(const char *s, size_t i, size_t end)
{
#if SWAR_OK
    while (i + 8 <= end) {
        uint64_t stop = ~swar_word(load8(s + i)) & SWAR_H;
        if (stop) return i + ((size_t)__builtin_ctzll(stop) >> 3);
        i += 8;
    }
#endif
    while (i < end && !byte_class[(unsigned char)s[i]]) i++;
    return i;
}

/* the same where the bytes up to n >= end may be read (short ranges: eight
 * bytes at a time past end, then the end) */
static inline size_t word_run_end_in(const char *s, size_t i, size_t end, size_t n)
{
#if SWAR_OK
    while (i < end && i + 8 <= n) {
        uint64_t stop = ~swar_word(load8(s + i)) & SWAR_H;
        if (stop) {
            i += (size_t)__builtin_ctzll(stop) >> 3;
            return i < end ? i : end;
        }
        i += 8;
    }
    if (i >= end) return end;
#else
    (void)n;
#endif
    while (i < end && !byte_class[(unsigned char)s[i]]) i++;
    return i;
}

static inline uint32_t dec(const char *s, size_t end, size_t i, size_t *nx)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { *nx = i + 1; return c; }
    return tms_uni_next(s, end, i, nx);
}

/* tms_uni_prev with ASCII inline */
static inline uint32_t prev_cp(const char *s, size_t i, size_t *start)
{
    unsigned char c = (unsigned char)s[i - 1];
    if (c < 0x80) { *start = i - 1; return c; }
    return tms_uni_prev(s, i, start);
}

static inline bool space_at(const char *s, size_t end, size_t i, size_t *nx)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { *nx = i + 1; return byte_class[c] & B_SPACE; }
    return tms_uni_isspace(tms_uni_next(s, end, i, nx));
}

/* the length of the non-ASCII whitespace character at s[p] (p < end), 0 if
 * there is none: tms_uni_isspace(tms_uni_next(s, end, p, ...)) without the
 * decoding (U+0085 U+00A0 U+1680 U+2000..U+200A U+2028 U+2029 U+202F
 * U+205F U+3000) */
static inline size_t uspace_len(const char *s, size_t end, size_t p)
{
    const unsigned char *u = (const unsigned char *)s + p;
    size_t left = end - p;
    switch (u[0]) {
    case 0xC2:
        return left >= 2 && (u[1] == 0x85 || u[1] == 0xA0) ? 2 : 0;
    case 0xE1:
        return left >= 3 && u[1] == 0x9A && u[2] == 0x80 ? 3 : 0;
    case 0xE2:
        if (left < 3) return 0;
        if (u[1] == 0x80) return (u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF ? 3 : 0;
        return u[1] == 0x81 && u[2] == 0x9F ? 3 : 0;
    case 0xE3:
        return left >= 3 && u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
    default:
        return 0;
    }
}

/* the first whitespace (space_at's) at or after i, or end. Non-ASCII bytes
 * are looked at one by one: whitespace starts with C2 or E1..E3, which never
 * continue a character, so this finds what decoding would. */
static inline size_t space_end(const char *s, size_t i, size_t end)
{
    for (;;) {
        i = word_run_end(s, i, end); /* (\w is never whitespace) */
        if (i >= end) return i;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 ? (byte_class[c] & B_SPACE) != 0 : (c == 0xC2 || (c >= 0xE1 && c <= 0xE3)) && uspace_len(s, end, i))
            return i;
        i++;
    }
}

/* c is a (non-NUL) member of set */
static inline bool in_set(const char *set, char c)
{
    for (; *set; set++)
        if (*set == c) return true;
    return false;
}

static inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* s[0..n) equals lower-case ASCII w, ignoring ASCII case */
static bool eq_ci(const char *s, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (!w[i] || ascii_lower(s[i]) != w[i]) return false;
    return w[n] == 0;
}

/* ================= punkt's parameters (hand-written, see the top) ================= */

/* Abbreviation types: lower-case, without the final period (at most 8 bytes). */
static const char *const ABBREVS[] = {
    "a.m", "adm", "al", "approx", "apr", "assn", "asst", "aug", "ave", "blvd", "bros", "capt", "cf", "cmdr",
    "co", "col", "corp", "cpl", "dec", "dept", "dist", "dr", "e.g", "ed", "eds", "esp", "esq", "est", "etc",
    "feb", "fig", "figs", "fri", "ft", "gen", "gov", "hon", "i.e", "inc", "jan", "jr", "jul", "jun", "lt",
    "ltd", "maj", "messrs", "mfg", "mon", "mr", "mrs", "ms", "mt", "nov", "oct", "p.m", "ph.d", "pp", "prof",
    "rd", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "supt", "thu", "thurs", "tue", "tues", "u.k",
    "u.n", "u.s", "u.s.a", "univ", "vol", "vols", "vs",
};

/* Frequent sentence starters, lower-case (at most 8 bytes). */
static const char *const STARTERS[] = {
    "a", "after", "all", "also", "an", "and", "as", "at", "because", "before", "but", "by", "during", "each",
    "for", "from", "he", "her", "here", "his", "how", "however", "if", "in", "it", "its", "many", "most", "my",
    "no", "now", "on", "once", "one", "our", "she", "since", "so", "some", "such", "that", "the", "their",
    "then", "there", "these", "they", "this", "those", "thus", "to", "today", "we", "what", "when", "where",
    "which", "while", "who", "why", "with", "yet", "you", "your",
};

/* The lists as 64-bit keys (a word of up to 8 bytes, zero-padded) in hash
 * tables built once (open addressing, 0 = empty): membership is a probe or
 * two. */
#define KEY_SLOTS 256
static uint64_t abbrev_keys[KEY_SLOTS], starter_keys[KEY_SLOTS];

static inline size_t key_slot(uint64_t k) { return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 56); }

static uint64_t word_key(const char *w, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) k |= (uint64_t)(unsigned char)w[i] << (56 - 8 * i);
    return k;
}

static void keys_init(uint64_t *keys, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t k = word_key(list[i], strlen(list[i]));
        size_t j = key_slot(k);
        while (keys[j]) j = (j + 1) % KEY_SLOTS;
        keys[j] = k;
    }
}

/* lower-cased s[a..a+len) in the list? s has n bytes. (Non-ASCII never is;
 * a NUL byte adds nothing to the key: "however\0" is "however".) */
static bool in_keys(const uint64_t *keys, const char *s, size_t a, size_t len, size_t n)
{
    if (len == 0 || len > 8) return false;
    uint64_t k = 0;
#if SWAR_OK
    if (a + 8 <= n) {
        /* the word's bytes in one load: no byte >= 0x80, A-Z + 0x20, in
         * word_key's order */
        uint64_t v = load8(s + a) & (len >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * len)) - 1);
        if (v & SWAR_H) return false;
        v |= ((v + (0x80 - 'A') * SWAR_1) & ~(v + (0x80 - 'Z' - 1) * SWAR_1) & SWAR_H) >> 2;
        k = __builtin_bswap64(v);
    } else
#endif
    {
        (void)n;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[a + i];
            if (c >= 0x80) return false;
            k |= (uint64_t)(unsigned char)ascii_lower((char)c) << (56 - 8 * i);
        }
    }
    if (!k) return false; /* all NULs: not a word of the lists (and 0 marks empty slots) */
    for (size_t j = key_slot(k); keys[j]; j = (j + 1) % KEY_SLOTS)
        if (keys[j] == k) return true;
    return false;
}
static void tables_init(void)
{
    byte_class_init();
    keys_init(abbrev_keys, ABBREVS, TMS_ARRAY_LEN(ABBREVS));
    keys_init(starter_keys, STARTERS, TMS_ARRAY_LEN(STARTERS));
}

/* s[a..a+len) (the text has n bytes) */
#define IS_ABBREV(s, a, len, n) in_keys(abbrev_keys, (s), (a), (len), (n))
#define IS_STARTER(s, a, len, n) in_keys(starter_keys, (s), (a), (len), (n))

/* ================= punkt ================= */

/* _re_non_word_chars: characters that cannot appear within words */
static inline bool punkt_nonword(unsigned char c)
{
    switch (c) {
    case ')': case '"': case ';': case '}': case ']': case '*': case ':': case '@': case '\'':
    case '(': case '{': case '[': case '!': case '?':
        return true;
    default:
        return false;
    }
}

/* characters excluded from starting a word (_re_word_start) */
static inline bool punkt_nostart(unsigned char c)
{
    switch (c) {
    case '(': case '"': case '`': case '{': case '[': case ':': case ';': case '&': case '#': case '*':
    case '@': case ')': case '}': case ']': case '-': case ',':
        return true;
    default:
        return false;
    }
}

/* _re_multi_char_punct at s[i] (line ends at e): (?:\-{2,}|\.{2,}|(?:\.\s){2,}\.);
 * returns its length, 0 if none. */
static size_t punkt_multichar(const char *s, size_t i, size_t e)
{
    if (i + 1 < e && s[i] == '-' && s[i + 1] == '-') {
        size_t j = i + 2;
        while (j < e && s[j] == '-') j++;
        return j - i;
    }
    if (i + 1 < e && s[i] == '.' && s[i + 1] == '.') {
        size_t j = i + 2;
        while (j < e && s[j] == '.') j++;
        return j - i;
    }
    if (i < e && s[i] == '.') {
        size_t p = i, prev = i, k = 0, nx;
        while (p + 1 < e && s[p] == '.' && space_at(s, e, p + 1, &nx)) { prev = p; p = nx; k++; }
        if (k >= 2 && p < e && s[p] == '.') return p + 1 - i;
        if (k >= 3) return prev + 1 - i;
    }
    return 0;
}

/* punkt_multichar, for i < e, without the call when it cannot match */
static inline size_t multichar_at(const char *s, size_t i, size_t e)
{
    return s[i] == '-' || s[i] == '.' ? punkt_multichar(s, i, e) : 0;
}

typedef struct ptok {
    size_t a, b;
    bool period_final, sentbreak, abbr, ellipsis, initial, number, upper, lower, punct, starter;
} ptok;

enum { ORTHO_FALSE, ORTHO_TRUE, ORTHO_UNKNOWN };

static bool is_number_type(const char *s, size_t a, size_t b)
{
    /* ^-?[\.,]?\d[\d,\.-]*\.?$ */
    size_t i = a, nx;
    if (i < b && s[i] == '-') i++;
    if (i < b && (s[i] == '.' || s[i] == ',')) i++;
    if (i >= b || !uni_decimal(dec(s, b, i, &nx))) return false;
    for (i = nx; i < b; i = nx) {
        uint32_t c = dec(s, b, i, &nx);
        if (c != ',' && c != '.' && c != '-' && !uni_decimal(c)) return false;
    }
    return true;
}

/* PunktToken's properties and the first annotation pass. */
static void punkt_first_pass(const char *s, size_t n, ptok *t)
{
    size_t a = t->a, b = t->b, len = b - a, nx;
    uint32_t c0 = dec(s, b, a, &nx);
    size_t l0 = nx - a;
    int cs = uni_case(c0);
    t->upper = cs > 0;
    t->lower = cs < 0;
    t->period_final = s[b - 1] == '.';
    t->punct = len == 1 && in_set(";:,.!?", s[a]);
    t->number = is_number_type(s, a, b);
    t->initial = len == l0 + 1 && s[b - 1] == '.' && uni_word(c0) && !uni_decimal(c0);
    t->sentbreak = t->abbr = t->ellipsis = t->starter = false;
    bool all_dots = len >= 2;
    for (size_t i = a; i < b && all_dots; i++) all_dots = s[i] == '.';
    if (len == 1 && (s[a] == '.' || s[a] == '?' || s[a] == '!')) {
        t->sentbreak = true;
    } else if (all_dots) {
        t->ellipsis = true;
    } else if (t->period_final && !(len >= 2 && s[b - 2] == '.')) {
        size_t e = b - 1, h = e;
        while (h > a && s[h - 1] != '-') h--;
        if (IS_ABBREV(s, a, e - a, n) || (h > a && IS_ABBREV(s, h, e - h, n)))
            t->abbr = true;
        else
            t->sentbreak = true;
    }
}

/* type_no_sentperiod in the starters (which stand in for the model's
 * sentence starters and orthographic contexts); needed for the token after
 * a period only */
static bool punkt_starter(const char *s, size_t n, const ptok *t)
{
    size_t e = t->b;
    if (t->sentbreak && e - t->a > 1 && s[e - 1] == '.') e--;
    return !t->number && IS_STARTER(s, t->a, e - t->a, n);
}

static int punkt_ortho(const ptok *t)
{
    if (t->punct) return ORTHO_FALSE;
    /* a starter's context is "capitalised at sentence starts, lower-case
     * inside"; anything else was never seen */
    if (t->upper && t->starter) return ORTHO_TRUE;
    if (t->lower) return ORTHO_FALSE;
    return ORTHO_UNKNOWN;
}

static void punkt_second_pass(const char *s, size_t n, ptok *t1, ptok *t2)
{
    if (!t1->period_final) return;
    t2->starter = punkt_starter(s, n, t2);
    /* no collocations are known */
    if ((t1->abbr || t1->ellipsis) && !t1->initial) {
        if (punkt_ortho(t2) == ORTHO_TRUE) { t1->sentbreak = true; return; }
        if (t2->upper && t2->starter) { t1->sentbreak = true; return; }
    }
    if (t1->initial || t1->number) {
        int h = punkt_ortho(t2);
        if (h == ORTHO_FALSE) { t1->sentbreak = false; t1->abbr = true; return; }
        if (h == ORTHO_UNKNOWN && t1->initial && t2->upper && !t2->starter) {
            t1->sentbreak = false;
            t1->abbr = true;
        }
    }
}

typedef struct pann {
    const char *s;
    size_t n;    /* the text's length */
    ptok tok[2]; /* the previous token and this one, in turn (not copied) */
    unsigned prev;
    bool have_prev, found;
} pann;

/* feeds one token; sets found when a token after a sentence break arrives */
static void pann_token(pann *p, size_t a, size_t b)
{
    ptok *t = &p->tok[p->prev ^ 1u];
    t->a = a;
    t->b = b;
    punkt_first_pass(p->s, p->n, t);
    if (p->have_prev) {
        ptok *prev = &p->tok[p->prev];
        punkt_second_pass(p->s, p->n, prev, t);
        if (prev->sentbreak) p->found = true;
    }
    p->prev ^= 1u;
    p->have_prev = true;
}

/* PunktLanguageVars.word_tokenize on one line [ls, le) */
static void punkt_line_tokens(pann *p, size_t ls, size_t le)
{
    const char *s = p->s;
    size_t i = ls, nx;
    while (i < le && !p->found) {
        if (space_at(s, le, i, &nx)) { i = nx; continue; }
        size_t m = multichar_at(s, i, le);
        if (m) { pann_token(p, i, i + m); i += m; continue; }
        if (punkt_nostart((unsigned char)s[i])) { pann_token(p, i, nx); i = nx; continue; }
        /* (?=WordStart)\S+? up to whitespace, end, a non-word character, a
         * multi-character mark, or a comma at the end of a word */
        size_t j = nx;
        for (;;) {
            j = word_run_end_in(s, j, le, p->n); /* ASCII \w never ends a word */
            if (j >= le) break;
            size_t nj;
            if (space_at(s, le, j, &nj)) break;
            unsigned char c = (unsigned char)s[j];
            if (punkt_nonword(c) || multichar_at(s, j, le)) break;
            if (c == ',') {
                size_t n2;
                if (j + 1 >= le || space_at(s, le, j + 1, &n2) || punkt_nonword((unsigned char)s[j + 1]) ||
                    multichar_at(s, j + 1, le))
                    break;
            }
            j = nj;
        }
        pann_token(p, i, j);
        i = j;
    }
}

/* text_contains_sentbreak(text[a..b)) */
static bool punkt_contains_break(const char *s, size_t n, size_t a, size_t b)
{
    pann p = {.s = s, .n = n};
    size_t ls = a;
    while (ls < b && !p.found) {
        const char *nl = memchr(s + ls, '\n', b - ls);
        size_t le = nl ? (size_t)(nl - s) : b;
        punkt_line_tokens(&p, ls, le);
        ls = le + 1;
    }
    return p.found;
}

/* the end of the run from p of ASCII \w bytes and of non-ASCII bytes that
 * do not start whitespace (for punkt's tokenizer, all word characters) */
static inline size_t plain_run_end(const char *s, size_t p, size_t end)
{
    for (;;) {
        p = word_run_end(s, p, end);
        for (; p < end; p++) {
            unsigned char c = (unsigned char)s[p];
            if (c < 0x80) break;
            if ((c == 0xC2 || (c >= 0xE1 && c <= 0xE3)) && uspace_len(s, end, p)) return p;
        }
        if (p >= end || byte_class[(unsigned char)s[p]]) return p;
    }
}

/* s[a..i) is one punkt token with what follows at i: a plain run, then any
 * number of '.', '-' or ',' each followed by more ("U.S", "e-mail",
 * "1,000": the tokenizer does not cut there) */
static bool plain_word(const char *s, size_t a, size_t i)
{
    if (a >= i || plain_run_end(s, a, i) == a) return false;
    for (size_t p = plain_run_end(s, a, i); p < i; p = plain_run_end(s, p + 1, i))
        if ((s[p] != '.' && s[p] != '-' && s[p] != ',') || p + 1 >= i || plain_run_end(s, p + 1, i) == p + 1)
            return false;
    return true;
}

/* punkt_contains_break(s, n, a, b) for the context of the candidate at i
 * (next: its next_tok, or NONE), with its commonest shapes done without the
 * tokenizer (they give the same tokens; ASCII whitespace after i):
 *  - "?" or "!" and a token: a break;
 *  - a plain_word and "." (not followed by ". ." after one whitespace
 *    character), then the next token: a plain_word up to the end, or up to
 *    a final "." (one token), or a plain run up to a character that ends it
 *    (non-word, or a comma at the end or before one) with no . ? ! after it
 *    (no further break): the first pass of both and the second. */
static bool punkt_context_break(const char *s, size_t n, size_t a, size_t i, size_t next, size_t b)
{
    if (next == NONE || next >= b || !(byte_class[(unsigned char)s[i + 1]] & B_SPACE)) goto generic;
    for (size_t k = i + 2; k < next; k++)
        if ((unsigned char)s[k] >= 0x80) goto generic;
    if (s[i] != '.') return true;
    if (s[i + 2] == '.' || !plain_word(s, a, i)) goto generic;
    size_t r = plain_run_end(s, next, b);
    if (r == next) goto generic;
    if (r < b) {
        if (s[b - 1] == '.' && plain_word(s, next, b - 1)) {
            r = b;
        } else {
            unsigned char c = (unsigned char)s[r];
            bool cut = punkt_nonword(c) || (c == ',' && (r + 1 == b || punkt_nonword((unsigned char)s[r + 1])));
            if (!cut) goto generic;
            for (size_t k = r; k < b; k++)
                if (byte_class[(unsigned char)s[k]] & B_END) goto generic;
        }
    }
    ptok t1, t2;
    t1.a = a, t1.b = i + 1, t2.a = next, t2.b = r;
    punkt_first_pass(s, n, &t1);
    punkt_first_pass(s, n, &t2);
    punkt_second_pass(s, n, &t1, &t2);
    return t1.sentbreak;
generic:
    return punkt_contains_break(s, n, a, b);
}

typedef tamis_status (*sent_fn)(void *ud, size_t a, size_t b);

typedef struct punkt {
    const char *s;
    size_t n;
    sent_fn fn;
    void *ud;
    /* _realign_boundaries: the slice waiting for its successor */
    bool have_cur;
    size_t cur_a, cur_b, realign;
} punkt;

static tamis_status realign_pair(punkt *p, size_t a1, size_t b1, bool have2, size_t a2, size_t b2)
{
    const char *s = p->s;
    a1 += p->realign;
    if (!have2) {
        if (a1 < b1) return p->fn(p->ud, a1, b1);
        return TAMIS_OK;
    }
    /* re_boundary_realignment: ["')\]}]+?(?:\s+|(?=--)|$) matched at a2 */
    size_t j = a2;
    while (j < b2 && in_set("\"')]}", s[j])) j++;
    size_t end = NONE, nx;
    if (j > a2) {
        if (j < b2 && space_at(s, b2, j, &nx)) {
            end = nx;
            while (end < b2 && space_at(s, b2, end, &nx)) end = nx;
        } else if (j + 1 < b2 && s[j] == '-' && s[j + 1] == '-') {
            end = j;
        } else if (j == b2) {
            end = j;
        }
    }
    if (end != NONE) {
        p->realign = end - a2;
        return p->fn(p->ud, a1, j);
    }
    p->realign = 0;
    if (a1 < b1) return p->fn(p->ud, a1, b1);
    return TAMIS_OK;
}

static tamis_status punkt_slice(punkt *p, size_t a, size_t b)
{
    if (p->have_cur) TMS_TRY(realign_pair(p, p->cur_a, p->cur_b, true, a, b));
    p->have_cur = true;
    p->cur_a = a;
    p->cur_b = b;
    return TAMIS_OK;
}


/* PunktSentenceTokenizer.span_tokenize: calls fn for each sentence. The
 * candidates ('.', '?', '!') are found by scanning, or taken from sp[0..nsp)
 * when the caller has their offsets (others there are skipped). */
static tamis_status punkt_run(const char *s, size_t n, const uint32_t *sp, size_t nsp, sent_fn fn, void *ud)
{
    punkt p = {.s = s, .n = n, .fn = fn, .ud = ud};
    size_t last_break = 0, ci = 0;
    /* the previous candidate of _match_potential_end_contexts */
    bool have_prev = false;
    size_t prev_i = 0, prev_after = 0, prev_next = NONE, slice_a = 0, slice_b = 0;
    for (size_t i = 0;; i++) {
        if (sp) {
            while (ci < nsp && !(byte_class[(unsigned char)s[sp[ci]]] & B_END)) ci++;
            i = ci < nsp ? sp[ci++] : n;
        } else {
#if defined(__SSE2__)
            for (; i + 16 <= n; i += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
                __m128i e = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')), _mm_cmpeq_epi8(v, _mm_set1_epi8('!'))));
                unsigned m = (unsigned)_mm_movemask_epi8(e);
                if (m) { i += (size_t)__builtin_ctz(m); break; }
            }
#endif
            while (i < n && !(byte_class[(unsigned char)s[i]] & B_END)) i++;
        }
        bool at_end = i >= n;
        size_t after = 0, next = NONE;
        if (!at_end) {
            /* (?=(?P<after_tok>NonWord|\s+(?P<next_tok>\S+))) */
            size_t nx;
            if (i + 1 >= n) continue;
            if (punkt_nonword((unsigned char)s[i + 1])) {
                after = i + 2;
            } else {
                size_t j = i + 1;
                while (j < n && space_at(s, n, j, &nx)) j = nx;
                if (j == i + 1 || j >= n) continue;
                next = j;
                after = space_end(s, j, n);
            }
        }
        /* the word before this candidate starts after the last ASCII
         * whitespace since the previous candidate (one at index 0 does not
         * count, as in NLTK), else where the previous candidate's word did */
        size_t word_a = slice_a;
        if (!at_end) {
            for (size_t k = i; k > slice_b + 1; k--)
                if (byte_class[(unsigned char)s[k - 1]] & B_PYWS) { word_a = k; break; }
        }
        if (have_prev && (at_end || slice_b <= word_a)) {
            if (punkt_context_break(s, n, slice_a, prev_i, prev_next, prev_after)) {
                TMS_TRY(punkt_slice(&p, last_break, prev_i + 1));
                last_break = prev_next != NONE ? prev_next : prev_i + 1;
            }
        }
        if (at_end) break;
        have_prev = true;
        prev_i = i;
        prev_after = after;
        prev_next = next;
        slice_a = word_a;
        slice_b = i;
    }
    size_t end = n;
    while (end > 0) {
        size_t st;
        uint32_t c = tms_uni_prev(s, end, &st);
        if (!tms_uni_isspace(c)) break;
        end = st;
    }
    TMS_TRY(punkt_slice(&p, last_break, end < last_break ? last_break : end));
    if (p.have_cur) TMS_TRY(realign_pair(&p, p.cur_a, p.cur_b, false, 0, 0));
    return TAMIS_OK;
}

/* ================= NLTKWordTokenizer ================= */

enum {
    F_SP = 1,     /* a space was inserted before this byte */
    F_OPEN = 2,   /* '"' or the first ' of '' turned into `` */
    F_PAIR2 = 4,  /* the second ' of an opening '' */
    F_CLOSE = 8,  /* '"' turned into '' */
};
#define F_CONV (F_OPEN | F_PAIR2 | F_CLOSE)

typedef struct tb {
    const char *s;
    size_t n;           /* the text's length */
    uint8_t *fl;        /* per byte of the text (+1), F_* */
    uint32_t *sp;       /* offsets of the text's special characters */
    size_t nsp, capsp;
    uint32_t *ep;       /* the specials that are . ? ! (punkt's candidates) */
    size_t nep, capep;
    size_t cur;         /* first special of the next sentence */
    tms_spans *out;
} tb;


/* « “ ‘ „ (padded as starting quotes) = 1; » ” ’ (ending quotes) = 2 */
static inline int tb_uquote(const char *s, size_t b, size_t p)
{
    const unsigned char *u = (const unsigned char *)s + p;
    if (u[0] == 0xC2 && p + 1 < b) return u[1] == 0xAB ? 1 : u[1] == 0xBB ? 2 : 0;
    if (u[0] == 0xE2 && p + 2 < b && u[1] == 0x80) {
        switch (u[2]) {
        case 0x9C: case 0x98: case 0x9E: return 1;
        case 0x9D: case 0x99: return 2;
        default: return 0;
        }
    }
    return 0;
}

/* collects the offsets of the special characters of s[0..n) */
static inline tamis_status tb_special_push(tb *t, size_t i)
{
    if (TMS_UNLIKELY(t->nsp == t->capsp) && TMS_GROW(t->sp, t->capsp, t->nsp, 256)) return TAMIS_E_NOMEM;
    t->sp[t->nsp++] = (uint32_t)i;
    if (byte_class[(unsigned char)t->s[i]] & B_END) {
        if (TMS_UNLIKELY(t->nep == t->capep) && TMS_GROW(t->ep, t->capep, t->nep, 64)) return TAMIS_E_NOMEM;
        t->ep[t->nep++] = (uint32_t)i;
    }
    return TAMIS_OK;
}

static tamis_status tb_specials(tb *t, const char *s, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    /* sixty-four bytes at a time: the candidates are the ASCII bytes that
     * are neither \w nor ' ', and the first bytes of the Unicode quotes */
    for (; i + 64 <= n; i += 64) {
        uint64_t m = 0;
        for (unsigned q = 0; q < 64; q += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i + q));
            __m128i l = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(0x80 - 'a')));
            __m128i d = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0')));
            __m128i plain = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(l, _mm_set1_epi8((char)(0x80 + 26))),
                                                      _mm_cmplt_epi8(d, _mm_set1_epi8((char)(0x80 + 10)))),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), _mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
            __m128i qt = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2)));
            unsigned c = ((unsigned)_mm_movemask_epi8(_mm_or_si128(plain, v)) ^ 0xFFFFu) | (unsigned)_mm_movemask_epi8(qt);
            m |= (uint64_t)c << q;
        }
        if (!m) continue;
        /* room for 64, then a store per candidate that counts only when it
         * is special */
        while (TMS_UNLIKELY(t->capsp - t->nsp < 64))
            if (TMS_GROW(t->sp, t->capsp, t->capsp, 256)) return TAMIS_E_NOMEM;
        while (TMS_UNLIKELY(t->capep - t->nep < 64))
            if (TMS_GROW(t->ep, t->capep, t->capep, 64)) return TAMIS_E_NOMEM;
        uint32_t *sp = t->sp, *ep = t->ep;
        size_t nsp = t->nsp, nep = t->nep;
        do {
            size_t j = i + (size_t)__builtin_ctzll(m);
            m &= m - 1;
            uint8_t k = byte_class[(unsigned char)s[j]];
            sp[nsp] = ep[nep] = (uint32_t)j;
            nsp += (k & B_SPECIAL) != 0;
            nep += (k & B_END) != 0;
            if (TMS_UNLIKELY(k & B_QLEAD)) nsp += tb_uquote(s, n, j) != 0;
        } while (m);
        t->nsp = nsp;
        t->nep = nep;
    }
#elif SWAR_OK
    /* eight bytes at a time: only bytes that are neither ASCII \w nor spaces
     * can be special */
    for (; i + 8 <= n; i += 8) {
        uint64_t v = load8(s + i), m = ~(swar_word(v) | swar_space(v)) & SWAR_H;
        while (m) {
            size_t j = i + ((size_t)__builtin_ctzll(m) >> 3);
            m &= m - 1;
            uint8_t k = byte_class[(unsigned char)s[j]];
            if ((k & B_SPECIAL) || ((k & B_QLEAD) && tb_uquote(s, n, j))) TMS_TRY(tb_special_push(t, j));
        }
    }
#endif
    for (; i < n; i++) {
        uint8_t k = byte_class[(unsigned char)s[i]];
        if ((k & B_SPECIAL) || ((k & B_QLEAD) && tb_uquote(s, n, i))) TMS_TRY(tb_special_push(t, i));
    }
    return TAMIS_OK;
}

static inline void pad(uint8_t *fl, size_t p, size_t len)
{
    fl[p] |= F_SP;
    fl[p + len] |= F_SP;
}

/* the character before p in the padded text is a space (inserted or ' ') */
static inline bool tprev_space(const tb *t, size_t a, size_t p)
{
    return (t->fl[p] & F_SP) || (p > a && t->s[p - 1] == ' ');
}

/* the character after the one ending at q is a literal space; the end of
 * the sentence counts when `padded` (NLTK adds " " around the text) */
static inline bool tnext_space(const tb *t, size_t b, size_t q, bool padded)
{
    if (t->fl[q] & F_SP) return true;
    if (q >= b) return padded;
    return t->s[q] == ' ';
}

static inline bool raw_apos(const tb *t, size_t p) { return t->s[p] == '\'' && !(t->fl[p] & F_CONV); }

/* ([^' ]) before p, for the ending-quote rules (text padded by then) */
static inline bool tprev_plain(const tb *t, size_t a, size_t p)
{
    if ((t->fl[p] & F_SP) || p == a) return false;
    char c = t->s[p - 1];
    return c != '\'' && c != ' ';
}

static tamis_status tb_push(tb *t, size_t a, size_t b)
{
    if (b > a) return tms_spans_push(t->out, a, b - a);
    return TAMIS_OK;
}

/* r[0..len) (5 or 6 bytes) is, ignoring ASCII case, a word CONTRACTIONS2
 * splits when it is a whole token */
static bool contraction2(const char *r, size_t len)
{
    switch (r[0] | 0x20) {
    case 'c': return len == 6 && eq_ci(r, 6, "cannot");
    case 'g': return len == 5 && (eq_ci(r, 5, "gimme") || eq_ci(r, 5, "gonna") || eq_ci(r, 5, "gotta"));
    case 'l': return len == 5 && eq_ci(r, 5, "lemme");
    case 'w': return len == 5 && eq_ci(r, 5, "wanna");
    default: return false;
    }
}

/* CONTRACTIONS2/3 inside one token [ts, te) of the padded text, then push.
 * Runs of \w are the units: cannot, gimme, gonna, gotta, lemme, wanna
 * (before whitespace), d'ye, more'n, and 'tis / 'twas after a space. */
COLD static tamis_status tb_token_slow(tb *t, size_t sa, size_t ts, size_t te)
{
    const char *s = t->s;
    /* the spaces CONTRACTIONS2 and the 'tis rule put after their matches
     * are seen by the rules that run after them ('tis, then 'twas) */
    size_t last = ts, i = ts, nx, c2_end = NONE, tis_end = NONE;
#define CUT(x)                                     \
    do {                                           \
        size_t c_ = (x);                           \
        if (c_ > last) { TMS_TRY(tb_push(t, last, c_)); last = c_; } \
    } while (0)
    while (i < te) {
        uint32_t c = dec(s, te, i, &nx);
        if (!uni_word(c)) { i = nx; continue; }
        size_t r0 = i;
        bool ascii = c < 0x80;
        i = nx;
        while (i < te) {
            c = dec(s, te, i, &nx);
            if (!uni_word(c)) break;
            ascii &= c < 0x80;
            i = nx;
        }
        size_t r1 = i, len = r1 - r0;
        if (!ascii) continue;
        const char *r = s + r0;
        if (len == 6 && eq_ci(r, 6, "cannot")) {
            CUT(r0); CUT(r0 + 3); CUT(r1);
            c2_end = r1;
        } else if (len == 5 && (eq_ci(r, 5, "gimme") || eq_ci(r, 5, "gonna") || eq_ci(r, 5, "gotta") ||
                                eq_ci(r, 5, "lemme") || (r1 == te && eq_ci(r, 5, "wanna")))) {
            CUT(r0); CUT(r0 + 3); CUT(r1);
            c2_end = r1;
        } else if ((len == 1 && (*r | 0x20) == 'd') || (len == 4 && eq_ci(r, 4, "more"))) {
            /* d'ye, more'n: the apostrophe and the next run */
            const char *tail = len == 1 ? "ye" : "n";
            size_t tl = strlen(tail), q = r1 + 1, e = q;
            if (r1 < te && s[r1] == '\'') {
                while (e < te && ascii_word((unsigned char)s[e])) e++;
                size_t nx2;
                bool wend = e >= te || (unsigned char)s[e] < 0x80 || !uni_word(dec(s, te, e, &nx2));
                if (wend && e - q == tl && eq_ci(s + q, tl, tail)) {
                    CUT(r0); CUT(r1); CUT(e);
                    i = c2_end = e;
                }
            }
        } else if ((len == 3 && eq_ci(r, 3, "tis")) || (len == 4 && eq_ci(r, 4, "twas"))) {
            /* " ('t)(is)\b": a space (or the start of the sentence) before
             * the apostrophe */
            size_t q = r0 - 1;
            bool sp = r0 > ts && s[q] == '\'' &&
                      ((q == ts && (q == sa || tprev_space(t, sa, q))) || q == c2_end || (len == 4 && q == tis_end));
            if (sp) {
                CUT(q); CUT(r0 + 1); CUT(r1);
                if (len == 3) tis_end = r1;
            }
        }
    }
#undef CUT
    return tb_push(t, last, te);
}

static inline tamis_status tb_token(tb *t, size_t sa, size_t ts, size_t te, bool plain)
{
    if (plain) { /* one ASCII run of \w: only CONTRACTIONS2 can apply, to
                  * 5 or 6 letters starting with c, g, l or w */
        unsigned c = ((unsigned char)t->s[ts] | 0x20u) - 'a';
        bool maybe = (te - ts - 5 < 2) & (c < 26) & ((0x400844u >> (c & 31)) & 1);
        if (TMS_LIKELY(!maybe)) return tms_spans_push(t->out, ts, te - ts);
        /* the run is the whole token: tb_token_slow would split it only
         * when it is one of these ("could", "world" stay whole) */
        if (!contraction2(t->s + ts, te - ts)) return tms_spans_push(t->out, ts, te - ts);
    } else if (te - ts == 1) { /* one punctuation byte */
        return tms_spans_push(t->out, ts, 1);
    } else {
        /* a cheap look at the ASCII runs first: a contraction needs a run
         * of d, t.., m... or 5-6 letters from c, g, l, w (non-ASCII bytes cut
         * runs here, which can only make more candidates), and no non-ASCII
         * word character right after it (the run would not be ASCII) */
        const char *s = t->s;
        bool maybe = false;
        for (size_t i = ts; i < te && !maybe;) {
            if (byte_class[(unsigned char)s[i]]) { i++; continue; }
            size_t r = i, nx;
            i = word_run_end(s, i + 1, te);
            size_t len = i - r;
            unsigned c = (unsigned char)s[r] | 0x20u;
            maybe = (len == 1 && c == 'd') || (len == 3 && c == 't') || (len == 4 && (c == 'm' || c == 't')) ||
                    ((len == 5 || len == 6) && (c == 'c' || c == 'g' || c == 'l' || c == 'w'));
            if (maybe && i < te && (unsigned char)s[i] >= 0x80 && uni_word(dec(s, te, i, &nx))) maybe = false;
        }
        if (!maybe) return tms_spans_push(t->out, ts, te - ts);
    }
    return tb_token_slow(t, sa, ts, te);
}

#if defined(__SSE2__)
/* contraction2(s + p, len) for a text of n bytes: one load and compares
 * when eight bytes can be read (| 0x20 lower-cases the letters and makes
 * no letter of anything else) */
static inline bool contraction2_at(const char *s, size_t p, size_t len, size_t n)
{
#if SWAR_OK
    if (p + 8 <= n) {
        uint64_t v = load8(s + p) | 0x2020202020202020ull, w[6];
        memcpy(&w[0], "cannot\0", 8);
        memcpy(&w[1], "gimme\0\0", 8);
        memcpy(&w[2], "gonna\0\0", 8);
        memcpy(&w[3], "gotta\0\0", 8);
        memcpy(&w[4], "lemme\0\0", 8);
        memcpy(&w[5], "wanna\0\0", 8);
        if (len == 6) return (v & 0xFFFFFFFFFFFFull) == w[0];
        v &= 0xFFFFFFFFFFull;
        return v == w[1] || v == w[2] || v == w[3] || v == w[4] || v == w[5];
    }
#endif
    return contraction2(s + p, len);
}

/* (x86-64's baseline has no popcnt instruction) */
static inline size_t popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (size_t)((x * 0x0101010101010101ull) >> 56);
}

/* tb_emit's tokens that end in s[i..i+64) (i < b, i + 64 <= the text's
 * end; i starts a token or is whitespace), found with bit masks (bit j for
 * byte i + j): whitespace and everything from b on separate tokens, and a
 * token also ends before an inserted space (F_SP). Sets *pi to the start of
 * the token still open at the end of the block, or past the block; *pi == i
 * means a token longer than the block (tb_emit's loop takes it). */
static tamis_status tb_block(tb *t, size_t sa, size_t b, size_t *pi)
{
    const char *s = t->s;
    size_t i = *pi;
    uint64_t word = 0, space = 0, flag = 0, high = 0, cglw = 0, ld_d = 0, ld_t = 0, ld_m = 0;
    /* the sixteen-byte pieces before b; what follows b is space */
    size_t lim = b - i < 64 ? b - i : 64;
    for (unsigned q = 0; q < lim; q += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i + q));
        __m128i f = _mm_loadu_si128((const __m128i *)(const void *)(t->fl + i + q));
        /* x + (0x80 - lo) < 0x80 + len, signed, is lo <= x < lo + len */
        __m128i lc = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i l = _mm_add_epi8(lc, _mm_set1_epi8((char)(0x80 - 'a')));
        __m128i d = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0')));
        __m128i w = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(l, _mm_set1_epi8((char)(0x80 + 26))),
                                              _mm_cmplt_epi8(d, _mm_set1_epi8((char)(0x80 + 10)))),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
        /* ' ', \t..\r, \x1c..\x1f */
        __m128i c1 = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 0x09)));
        __m128i c2 = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 0x1C)));
        __m128i sp = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                  _mm_or_si128(_mm_cmplt_epi8(c1, _mm_set1_epi8((char)(0x80 + 5))),
                                               _mm_cmplt_epi8(c2, _mm_set1_epi8((char)(0x80 + 4)))));
        __m128i fs = _mm_cmpeq_epi8(_mm_and_si128(f, _mm_set1_epi8(F_SP)), _mm_set1_epi8(F_SP));
        /* c, g, l, w; d; t; m in either case (tb_token's tests) */
        __m128i cg = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(lc, _mm_set1_epi8('c')), _mm_cmpeq_epi8(lc, _mm_set1_epi8('g'))),
                                  _mm_or_si128(_mm_cmpeq_epi8(lc, _mm_set1_epi8('l')), _mm_cmpeq_epi8(lc, _mm_set1_epi8('w'))));
        word |= (uint64_t)(unsigned)_mm_movemask_epi8(w) << q;
        space |= (uint64_t)(unsigned)_mm_movemask_epi8(sp) << q;
        flag |= (uint64_t)(unsigned)_mm_movemask_epi8(fs) << q;
        high |= (uint64_t)(unsigned)_mm_movemask_epi8(v) << q;
        cglw |= (uint64_t)(unsigned)_mm_movemask_epi8(cg) << q;
        ld_d |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(lc, _mm_set1_epi8('d'))) << q;
        ld_t |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(lc, _mm_set1_epi8('t'))) << q;
        ld_m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(lc, _mm_set1_epi8('m'))) << q;
    }
    if (lim < 64) space |= ~(uint64_t)0 << lim;
    size_t past = i + 64; /* where the next block starts when no token is open */
    if (high &= ~space) {
        /* the non-ASCII whitespace: its first byte is C2 (U+0085, U+00A0)
         * or E1..E3 */
        uint64_t lead = 0;
        for (unsigned q = 0; q < lim; q += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i + q));
            __m128i e = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - 0xE1)));
            __m128i ld = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                      _mm_cmplt_epi8(e, _mm_set1_epi8((char)(0x80 + 3))));
            lead |= (uint64_t)(unsigned)_mm_movemask_epi8(ld) << q;
        }
        for (lead &= high; lead; lead &= lead - 1) {
            size_t j = (size_t)__builtin_ctzll(lead), len = uspace_len(s, b, i + j);
            if (len) {
                size_t e = j + len;
                if (e > 64) past = i + e, e = 64;
                space |= (~(uint64_t)0 >> (64 - (e - j))) << j;
            }
        }
    }
    uint64_t tok = ~space;
    word &= tok;
    uint64_t starts = tok & (~(tok << 1) | flag), ends = (tok << 1) & (space | flag), nonword = tok & ~word;
    /* The k-th end closes the k-th start. tb_token pushes most tokens as
     * they are, and they are written here directly; `slow` marks a byte of
     * each of the others, where a contraction rule may apply (tb_token's
     * tests): in a token that is one run of \w, the first byte of cannot,
     * gimme, gonna, gotta, lemme or wanna (any case); in the others, the
     * first byte of a run of \w (between non-\w bytes) of d, t.., m... or
     * t..., or 5-6 bytes from c, g, l, w. gk: the runs of k bytes or more. */
    uint64_t cont = word & (word << 1) & ~flag;
    uint64_t g1 = word & ~cont, g2 = g1 & (cont >> 1), g3 = g2 & (cont >> 2), g4 = g3 & (cont >> 3);
    uint64_t g5 = g4 & (cont >> 4), g6 = g5 & (cont >> 5), g7 = g6 & (cont >> 6);
    uint64_t r5 = g5 & ~g6, r6 = g6 & ~g7, whole5 = r5 & starts & (ends >> 5), whole6 = r6 & starts & (ends >> 6);
    uint64_t slow = (g1 & ~g2 & ld_d & ~(starts & (ends >> 1))) | (g3 & ~g4 & ld_t & ~(starts & (ends >> 3))) |
                    (g4 & ~g5 & (ld_m | ld_t) & ~(starts & (ends >> 4))) | (((r5 & ~whole5) | (r6 & ~whole6)) & cglw);
    for (uint64_t c2 = (whole5 | whole6) & cglw; c2; c2 &= c2 - 1) {
        unsigned r = (unsigned)__builtin_ctzll(c2);
        if (contraction2_at(s, i + r, ((whole5 >> r) & 1) ? 5 : 6, t->n)) slow |= (uint64_t)1 << r;
    }
    tms_spans *out = t->out;
    while (starts && ends) {
        /* the tokens that end at or before the next slow byte */
        uint64_t upto = slow ? ends & (((uint64_t)2 << __builtin_ctzll(slow)) - 1) : ends;
        if (upto) {
            /* room for them all, then four at a time (the extra slots get
             * garbage that is not counted: bit 63 is no end) */
            while (TMS_UNLIKELY(out->cap - out->n < 64)) TMS_TRY(tms_spans_grow(out));
            unsigned last = 63u - (unsigned)__builtin_clzll(upto);
            uint64_t st_m = starts & (((uint64_t)1 << last) - 1), en_m = upto;
            size_t k = popcount64(upto);
            tms_span *o = out->v + out->n;
            for (size_t m = 0; m < k; m += 4, o += 4) {
                for (unsigned u = 0; u < 4; u++) {
                    uint32_t st = (uint32_t)__builtin_ctzll(st_m | (uint64_t)1 << 63);
                    uint32_t en = (uint32_t)__builtin_ctzll(en_m | (uint64_t)1 << 63);
                    o[u].off = (uint32_t)i + st;
                    o[u].len = en - st;
                    st_m &= st_m - 1;
                    en_m &= en_m - 1;
                }
            }
            out->n += k;
            starts &= ~(((uint64_t)1 << last) - 1);
            ends &= ~(((uint64_t)2 << last) - 1);
        }
        if (!slow || !ends) break; /* done, or the slow token is still open */
        /* the token of the slow byte */
        size_t st = (size_t)__builtin_ctzll(starts), en = (size_t)__builtin_ctzll(ends);
        starts &= starts - 1;
        ends &= ends - 1;
        bool plain = !(nonword & (~(uint64_t)0 >> (64 - (en - st))) << st);
        TMS_TRY(tb_token(t, sa, i + st, i + en, plain));
        slow &= ~(((uint64_t)1 << en) - 1);
    }
    *pi = starts ? i + (size_t)__builtin_ctzll(starts) : past;
    return TAMIS_OK;
}
#endif

/* text.split() of the padded sentences in [a, b) (tms_nltk_words: the whole
 * text), with the contraction rules; 64 bytes at a time (tb_block) where
 * they can be read. Inserted spaces sit next to the special character that
 * caused them (or start a sentence, which never starts inside a run of
 * ASCII word bytes), so inside such a run the only one possible is the n't
 * rule's, before the n: the loop here reads the flags only at the edges of
 * runs. */
static tamis_status tb_emit(tb *t, size_t a, size_t b)
{
    const char *s = t->s;
    const uint8_t *fl = t->fl;
    size_t i = a, nx = a;
    while (i < b) {
#if defined(__SSE2__)
        if (i + 64 <= t->n) {
            size_t i0 = i;
            TMS_TRY(tb_block(t, a, b, &i));
            if (i != i0) continue;
        }
#endif
        unsigned char c = (unsigned char)s[i];
        uint8_t k = byte_class[c];
        if (k & B_SPACE) { i++; continue; }
        if ((k & B_HIGH) && tms_uni_isspace(tms_uni_next(s, b, i, &nx))) { i = nx; continue; }
        /* a token: up to whitespace or an inserted space; i is its first
         * character, k that character's class (nx its end when B_HIGH) */
        size_t ts = i;
        bool plain = true;
        for (;;) {
            if (!k) {
                size_t r = i;
                i = word_run_end(s, i + 1, b);
                if (i < b && s[i] == '\'' && i - 1 > r && (fl[i - 1] & F_SP)) {
                    TMS_TRY(tb_token(t, a, ts, i - 1, plain));
                    ts = i - 1;
                    plain = true;
                }
            } else {
                i = (k & B_HIGH) ? nx : i + 1;
                plain = false;
            }
            if (i >= b || (fl[i] & F_SP)) break;
            c = (unsigned char)s[i];
            k = byte_class[c];
            if (k & B_SPACE) break;
            if ((k & B_HIGH) && tms_uni_isspace(tms_uni_next(s, b, i, &nx))) break;
        }
        TMS_TRY(tb_token(t, a, ts, i, plain));
    }
    return TAMIS_OK;
}

/* the passes' loops over the specials of their groups: the set bits of m
 * (few), or every special, k < n (each pass tests its characters anyway) */
typedef struct spit {
    uint64_t m;
    size_t k, n;
} spit;

static inline bool spit_next(spit *it, bool few, size_t *k)
{
    if (few) {
        if (!it->m) return false;
        *k = (size_t)__builtin_ctzll(it->m);
        it->m &= it->m - 1;
        return true;
    }
    if (it->k >= it->n) return false;
    *k = it->k++;
    return true;
}

/* the passes of tb_sentence, specialised on few (nsp <= 64) */
ALWAYS_INLINE static inline tamis_status tb_passes(tb *t, size_t a, size_t b, const uint32_t *sp, size_t nsp,
                                                   unsigned groups, const uint64_t *gm, bool few)
{
    const char *s = t->s;
    uint8_t *fl = t->fl;
    size_t k;

    /* STARTING_QUOTES: ([«“‘„]|[`]+) -> " \1 "; ^" -> ``; (``) -> " \1 " */
    for (spit it = {gm[0], 0, (groups & G_SQ1) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        unsigned char c = (unsigned char)s[p];
        if (c >= 0x80) {
            if (tb_uquote(s, b, p) == 1) pad(fl, p, c == 0xC2 ? 2 : 3);
        } else if (c == '`' && (p == a || s[p - 1] != '`')) {
            size_t q = p;
            while (q < b && s[q] == '`') q++;
            fl[p] |= F_SP;
            for (size_t m = p + 2; m < q; m += 2) fl[m] |= F_SP;
            fl[q] |= F_SP;
        }
    }
    if (b > a && s[a] == '"') {
        fl[a] |= F_OPEN;
        pad(fl, a, 1);
    }
    /* ([ \(\[{<])(\"|\'{2}) -> "\1 `` " (scanned without overlap) */
    size_t prev_end = NONE;
    bool prev_end_sp = false;
    for (spit it = {gm[1] | gm[2], 0, (groups & (G_DQ | G_AP)) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        char c = s[p];
        if ((c != '"' && c != '\'') || (fl[p] & F_CONV)) continue;
        size_t ql = 1;
        if (c == '\'') {
            if (p + 1 >= b || s[p + 1] != '\'' || (fl[p + 1] & F_SP)) continue;
            ql = 2;
        }
        bool ok;
        if (p == prev_end) ok = prev_end_sp;
        else ok = tprev_space(t, a, p) || (p > a && in_set("([{<", s[p - 1]));
        if (!ok) continue;
        fl[p] |= F_OPEN | F_SP;
        if (ql == 2) fl[p + 1] |= F_PAIR2;
        prev_end = p + ql;
        prev_end_sp = fl[prev_end] & F_SP;
        fl[prev_end] |= F_SP;
    }
    /* (?i)(\')(?!re|ve|ll|m|t|s|d|n)(\w)\b -> "\1 \2" */
    for (spit it = {gm[2], 0, (groups & G_AP) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k], j = p + 1, nx, nx2;
        if (!raw_apos(t, p) || j >= b || (fl[j] & F_SP)) continue;
        uint32_t x = dec(s, b, j, &nx);
        if (!uni_word(x) || (x < 0x80 && in_set("mtsdnMTSDN", (char)x)) || x == 0x17F) continue;
        if (nx < b && !(fl[nx] & F_SP) && uni_word(dec(s, b, nx, &nx2))) continue;
        fl[j] |= F_SP;
    }

    /* PUNCTUATION, first rule: the final period,
     * ([^\.])(\.)([\]\)}>"\'»”’ ]*)\s*$ -> "\1 \2 \3 " */
    bool final_period = false;
    {
        size_t e = b, st;
        while (e > a) {
            uint32_t c = prev_cp(s, e, &st);
            if (st < a || !tms_uni_isspace(c)) break;
            e = st;
        }
        size_t q = e;
        while (q > a) {
            uint32_t c = prev_cp(s, q, &st);
            if (st < a) break;
            bool in = c == ' ' || c == ']' || c == ')' || c == '}' || c == '>' || c == 0xBB || c == 0x201D ||
                      c == 0x2019 || ((c == '"' || c == '\'') && !(fl[st] & F_CONV));
            if (!in) break;
            q = st;
        }
        if (q > a && s[q - 1] == '.') {
            size_t d = q - 1;
            if ((fl[d] & F_SP) || (d > a && s[d - 1] != '.')) {
                final_period = true;
                pad(fl, d, 1);
                /* "\3 ": a space after the closing characters (the class
                 * includes ' ', so they run to the first other whitespace) */
                size_t z = q;
                while (z < b) {
                    unsigned char c = (unsigned char)s[z];
                    bool in = c == ' ' || c == ']' || c == ')' || c == '}' || c == '>' ||
                              ((c == '"' || c == '\'') && !(fl[z] & F_CONV)) || (c >= 0x80 && tb_uquote(s, b, z) == 2);
                    if (!in) break;
                    z += c < 0x80 ? 1 : c == 0xC2 ? 2 : 3;
                }
                fl[z] |= F_SP;
            }
        }
    }
    /* ([:,])([^\d]) -> " \1 \2" (the \2 is consumed) */
    size_t skip = 0;
    for (spit it = {gm[3], 0, (groups & G_CC) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k], j = p + 1, nx;
        if ((s[p] != ',' && s[p] != ':') || p < skip) continue;
        if (fl[j] & F_SP) {
            skip = j;
        } else {
            if (j >= b || uni_decimal(dec(s, b, j, &nx))) continue;
            skip = nx;
        }
        pad(fl, p, 1);
    }
    /* ([:,])$ -> " \1 " */
    if (!final_period && b > a) {
        size_t z = NONE;
        if ((s[b - 1] == ',' || s[b - 1] == ':') && !(fl[b] & F_SP)) z = b - 1;
        else if (b - a >= 2 && s[b - 1] == '\n' && (s[b - 2] == ',' || s[b - 2] == ':') && !(fl[b - 1] & F_SP))
            z = b - 2;
        if (z != NONE) pad(fl, z, 1);
    }
    /* \.{2,} ; [;@#$%&] ; the final period again (a no-op by now) ; [?!] */
    for (spit it = {gm[4], 0, (groups & G_PUNCT) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        switch (s[p]) {
        case '.':
            if (p == a || s[p - 1] != '.') {
                size_t q = p;
                while (q < b && s[q] == '.') q++;
                if (q - p >= 2) { fl[p] |= F_SP; fl[q] |= F_SP; }
            }
            break;
        case ';': case '@': case '#': case '$': case '%': case '&': case '?': case '!':
            pad(fl, p, 1);
            break;
        default:
            break;
        }
    }
    /* ([^'])' -> "\1 ' " */
    for (spit it = {gm[2], 0, (groups & G_AP) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        if (!raw_apos(t, p) || !tnext_space(t, b, p + 1, false)) continue;
        if ((fl[p] & F_SP) || (p > a && s[p - 1] != '\'')) fl[p] |= F_SP;
    }
    /* [*] ; PARENS_BRACKETS ; DOUBLE_DASHES -- ; then ENDING_QUOTES [»”’] */
    for (spit it = {gm[5], 0, (groups & G_PAD) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        unsigned char c = (unsigned char)s[p];
        switch (c) {
        case '*': case '[': case ']': case '(': case ')': case '{': case '}': case '<': case '>':
            pad(fl, p, 1);
            break;
        case '-':
            if (p == a || s[p - 1] != '-') {
                size_t q = p;
                while (q < b && s[q] == '-') q++;
                for (size_t m = p; m + 2 <= q; m += 2) pad(fl, m, 2);
            }
            break;
        default:
            if (c >= 0x80 && tb_uquote(s, b, p) == 2) pad(fl, p, 3 - (c == 0xC2));
            break;
        }
    }
    /* '' -> " '' " (pairs from the left in each run) ; " -> " '' " */
    for (spit it = {gm[1] | gm[2], 0, (groups & (G_DQ | G_AP)) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        if (s[p] == '"') {
            if (!(fl[p] & F_CONV)) { fl[p] |= F_CLOSE; pad(fl, p, 1); }
            continue;
        }
        if (!raw_apos(t, p) || (p > a && raw_apos(t, p - 1) && !(fl[p] & F_SP))) continue;
        size_t q = p + 1;
        while (q < b && raw_apos(t, q) && !(fl[q] & F_SP)) q++;
        for (size_t m = p; m + 2 <= q; m += 2) pad(fl, m, 2);
    }
    /* ([^' ])('[sS]|'[mM]|'[dD]|') -> "\1 \2 " */
    for (spit it = {gm[2], 0, (groups & G_AP) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k], j = p + 1;
        if (!raw_apos(t, p) || !tprev_plain(t, a, p)) continue;
        bool m;
        if (j < b && !(fl[j] & F_SP) && in_set("sSmMdD", s[j])) m = tnext_space(t, b, j + 1, true);
        else m = tnext_space(t, b, j, true);
        if (m) fl[p] |= F_SP;
    }
    /* ([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) -> "\1 \2 " */
    for (spit it = {gm[2], 0, (groups & G_AP) ? nsp : 0}; spit_next(&it, few, &k);) {
        size_t p = sp[k];
        if (!raw_apos(t, p)) continue;
        if (p + 2 < b + 0 && !(fl[p + 1] & F_SP) && !(fl[p + 2] & F_SP) && tnext_space(t, b, p + 3, true)) {
            char x = s[p + 1], y = s[p + 2];
            if (((x == 'l' && y == 'l') || (x == 'L' && y == 'L') || (x == 'r' && y == 'e') ||
                 (x == 'R' && y == 'E') || (x == 'v' && y == 'e') || (x == 'V' && y == 'E')) &&
                tprev_plain(t, a, p))
                fl[p] |= F_SP;
        }
        if (p > a && p + 1 < b && !(fl[p] & F_SP) && !(fl[p + 1] & F_SP) && tnext_space(t, b, p + 2, true) &&
            ((s[p - 1] == 'n' && s[p + 1] == 't') || (s[p - 1] == 'N' && s[p + 1] == 'T')) &&
            tprev_plain(t, a, p - 1))
            fl[p - 1] |= F_SP;
    }
    /* the sentence's tokens are emitted with the others, by one tb_emit
     * over the whole text (tms_nltk_words): an inserted space at a keeps
     * them apart from those of the sentence before, and stands for the
     * space NLTK puts before the text (see tprev_space) */
    fl[a] |= F_SP;
    return TAMIS_OK;
}

/* NLTKWordTokenizer.tokenize(text[a..b)) */
static tamis_status tb_sentence(tb *t, size_t a, size_t b)
{
    const char *s = t->s;
    /* fl[a..b] is still zero (tms_nltk_words clears it all; sentences come
     * in order and do not overlap, and one writes fl up to its b), but for
     * fl[a], the b of the sentence before when it ends right here */
    t->fl[a] = 0;
    /* this sentence's specials (sentences come in order; only whitespace
     * lies between them). A quote found by the whole-text scan is one here
     * too unless it is cut by the sentence's end. */
    size_t lo = t->cur;
    while (lo < t->nsp && t->sp[lo] < a) lo++;
    size_t hi = lo;
    unsigned groups = 0;
    /* which passes concern which specials: bit k of gm[j] for the k-th
     * special in group 1 << j. Sentences of at most 64 specials; longer
     * ones run every pass over all of them. */
    uint64_t g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0;
    for (; hi < t->nsp && t->sp[hi] < b; hi++) {
        uint64_t g = byte_group[(unsigned char)s[t->sp[hi]]];
        unsigned sh = (unsigned)(hi - lo) & 63;
        groups |= (unsigned)g;
        g0 |= (g & 1) << sh;
        g1 |= ((g >> 1) & 1) << sh;
        g2 |= ((g >> 2) & 1) << sh;
        g3 |= ((g >> 3) & 1) << sh;
        g4 |= ((g >> 4) & 1) << sh;
        g5 |= ((g >> 5) & 1) << sh;
    }
    const uint64_t gm[6] = {g0, g1, g2, g3, g4, g5};
    t->cur = hi;
    size_t nsp = hi - lo;
    const uint32_t *sp = nsp ? t->sp + lo : NULL;
    if (nsp <= 64) return tb_passes(t, a, b, sp, nsp, groups, gm, true);
    return tb_passes(t, a, b, sp, nsp, groups, gm, false);
}

/* ================= entry points ================= */

typedef struct words_ctx {
    tb t;
} words_ctx;

static tamis_status words_sentence(void *ud, size_t a, size_t b)
{
    return tb_sentence(&((words_ctx *)ud)->t, a, b);
}

tamis_status tms_nltk_words(const char *s, size_t n, tms_spans *out)
{
    if (n == 0) return TAMIS_OK;
    uint8_t small[4096];
    words_ctx w = {.t = {.s = s, .n = n, .out = out}};
    pthread_once(&tables_once, tables_init);
    w.t.fl = n + 1 <= sizeof small ? small : tms_malloc(n + 1);
    if (!w.t.fl) return TAMIS_E_NOMEM;
    memset(w.t.fl, 0, n + 1);
    /* The sentences' rules, then text.split() of them all at once: they
     * come in order, only whitespace lies between them, and one's rules
     * write fl only up to its end, so its tokens are the same; an inserted
     * space at each start separates them. */
    tamis_status st = tb_specials(&w.t, s, n);
    if (st == TAMIS_OK) st = punkt_run(s, n, w.t.ep, w.t.nep, words_sentence, &w);
    if (st == TAMIS_OK) st = tb_emit(&w.t, 0, n);
    if (w.t.fl != small) tms_free(w.t.fl);
    tms_free(w.t.sp);
    tms_free(w.t.ep);
    return st;
}

typedef struct count_ctx {
    const char *s;
    size_t count;
} count_ctx;

static tamis_status count_sentence(void *ud, size_t a, size_t b)
{
    count_ctx *c = ud;
    size_t nx;
    for (size_t i = a; i < b; i = nx)
        if (!space_at(c->s, b, i, &nx)) { c->count++; break; }
    return TAMIS_OK;
}

tamis_status tms_nltk_sentences(const char *s, size_t n, tms_spans *scratch, size_t *count)
{
    (void)scratch;
    count_ctx c = {.s = s};
    pthread_once(&tables_once, tables_init);
    tamis_status st = punkt_run(s, n, NULL, 0, count_sentence, &c);
    *count = c.count;
    return st;
}
