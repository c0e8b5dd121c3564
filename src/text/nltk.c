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

#define NONE SIZE_MAX
#if defined(__GNUC__)
#define COLD __attribute__((noinline))
#else
#define COLD
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

static inline uint64_t swar_space(uint64_t v)
{
    uint64_t x = v ^ (' ' * SWAR_1);
    return ~((x & ~SWAR_H) + 0x7F * SWAR_1) & ~x & SWAR_H;
}

static inline uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define SWAR_OK 1
#else
#define SWAR_OK 0
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

static inline uint32_t dec(const char *s, size_t end, size_t i, size_t *nx)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { *nx = i + 1; return c; }
    return tms_uni_next(s, end, i, nx);
}

static inline bool space_at(const char *s, size_t end, size_t i, size_t *nx)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { *nx = i + 1; return ascii_space(c); }
    return tms_uni_isspace(tms_uni_next(s, end, i, nx));
}

/* c is a (non-NUL) member of set */
static inline bool in_set(const char *set, char c) { return c != 0 && strchr(set, c) != NULL; }

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

/* The lists as sorted 64-bit keys (a word of up to 8 bytes, zero-padded),
 * built once: membership is a binary search over integers. */
static uint64_t abbrev_keys[TMS_ARRAY_LEN(ABBREVS)], starter_keys[TMS_ARRAY_LEN(STARTERS)];

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
        size_t j = i;
        for (; j > 0 && keys[j - 1] > k; j--) keys[j] = keys[j - 1];
        keys[j] = k;
    }
}

/* lower-cased s[0..n) in the list? (non-ASCII never is) */
static bool in_keys(const uint64_t *keys, size_t count, const char *s, size_t n)
{
    if (n == 0 || n > 8) return false;
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) return false;
        k |= (uint64_t)(unsigned char)ascii_lower((char)c) << (56 - 8 * i);
    }
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo < count && keys[lo] == k;
}
static void tables_init(void)
{
    byte_class_init();
    keys_init(abbrev_keys, ABBREVS, TMS_ARRAY_LEN(ABBREVS));
    keys_init(starter_keys, STARTERS, TMS_ARRAY_LEN(STARTERS));
}

#define IS_ABBREV(p, n) in_keys(abbrev_keys, TMS_ARRAY_LEN(abbrev_keys), (p), (n))
#define IS_STARTER(p, n) in_keys(starter_keys, TMS_ARRAY_LEN(starter_keys), (p), (n))

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
static void punkt_first_pass(const char *s, ptok *t)
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
    t->sentbreak = t->abbr = t->ellipsis = false;
    bool all_dots = len >= 2;
    for (size_t i = a; i < b && all_dots; i++) all_dots = s[i] == '.';
    if (len == 1 && (s[a] == '.' || s[a] == '?' || s[a] == '!')) {
        t->sentbreak = true;
    } else if (all_dots) {
        t->ellipsis = true;
    } else if (t->period_final && !(len >= 2 && s[b - 2] == '.')) {
        size_t e = b - 1, h = e;
        while (h > a && s[h - 1] != '-') h--;
        if (IS_ABBREV(s + a, e - a) || (h > a && IS_ABBREV(s + h, e - h)))
            t->abbr = true;
        else
            t->sentbreak = true;
    }
}

/* type_no_sentperiod in the starters (which stand in for the model's
 * sentence starters and orthographic contexts); needed for the token after
 * a period only */
static bool punkt_starter(const char *s, const ptok *t)
{
    size_t e = t->b;
    if (t->sentbreak && e - t->a > 1 && s[e - 1] == '.') e--;
    return !t->number && IS_STARTER(s + t->a, e - t->a);
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

static void punkt_second_pass(const char *s, ptok *t1, ptok *t2)
{
    if (!t1->period_final) return;
    t2->starter = punkt_starter(s, t2);
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
    ptok prev;
    bool have_prev, found;
} pann;

/* feeds one token; sets found when a token after a sentence break arrives */
static void pann_token(pann *p, size_t a, size_t b)
{
    ptok t = {.a = a, .b = b};
    punkt_first_pass(p->s, &t);
    if (p->have_prev) {
        punkt_second_pass(p->s, &p->prev, &t);
        if (p->prev.sentbreak) p->found = true;
    }
    p->prev = t;
    p->have_prev = true;
}

/* PunktLanguageVars.word_tokenize on one line [ls, le) */
static void punkt_line_tokens(pann *p, size_t ls, size_t le)
{
    const char *s = p->s;
    size_t i = ls, nx;
    while (i < le && !p->found) {
        if (space_at(s, le, i, &nx)) { i = nx; continue; }
        size_t m = punkt_multichar(s, i, le);
        if (m) { pann_token(p, i, i + m); i += m; continue; }
        if (punkt_nostart((unsigned char)s[i])) { pann_token(p, i, nx); i = nx; continue; }
        /* (?=WordStart)\S+? up to whitespace, end, a non-word character, a
         * multi-character mark, or a comma at the end of a word */
        size_t j = nx;
        for (;;) {
            while (j < le && !byte_class[(unsigned char)s[j]]) j++; /* ASCII \w never ends a word */
            if (j >= le) break;
            size_t nj;
            if (space_at(s, le, j, &nj)) break;
            unsigned char c = (unsigned char)s[j];
            if (punkt_nonword(c) || punkt_multichar(s, j, le)) break;
            if (c == ',') {
                size_t n2;
                if (j + 1 >= le || space_at(s, le, j + 1, &n2) || punkt_nonword((unsigned char)s[j + 1]) ||
                    punkt_multichar(s, j + 1, le))
                    break;
            }
            j = nj;
        }
        pann_token(p, i, j);
        i = j;
    }
}

/* text_contains_sentbreak(text[a..b)) */
static bool punkt_contains_break(const char *s, size_t a, size_t b)
{
    pann p = {.s = s};
    size_t ls = a;
    while (ls < b && !p.found) {
        const char *nl = memchr(s + ls, '\n', b - ls);
        size_t le = nl ? (size_t)(nl - s) : b;
        punkt_line_tokens(&p, ls, le);
        ls = le + 1;
    }
    return p.found;
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

static inline bool ascii_ws_py(unsigned char c) /* string.whitespace */
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

/* PunktSentenceTokenizer.span_tokenize: calls fn for each sentence. The
 * candidates ('.', '?', '!') are found by scanning, or taken from sp[0..nsp),
 * the offsets of all special bytes when the caller has them. */
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
                while (j < n && !space_at(s, n, j, &nx)) j = nx;
                after = j;
            }
        }
        /* the word before this candidate starts after the last ASCII
         * whitespace since the previous candidate (one at index 0 does not
         * count, as in NLTK), else where the previous candidate's word did */
        size_t word_a = slice_a;
        if (!at_end) {
            for (size_t k = i; k > slice_b + 1; k--)
                if (ascii_ws_py((unsigned char)s[k - 1])) { word_a = k; break; }
        }
        if (have_prev && (at_end || slice_b <= word_a)) {
            if (punkt_contains_break(s, slice_a, prev_after)) {
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
    uint8_t *fl;        /* per byte of the text (+1), F_* */
    uint32_t *sp;       /* offsets of the text's special characters */
    size_t nsp, capsp;
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
    return TAMIS_OK;
}

static tamis_status tb_specials(tb *t, const char *s, size_t n)
{
    size_t i = 0;
#if SWAR_OK
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
    } else if (te - ts == 1) { /* one punctuation byte */
        return tms_spans_push(t->out, ts, 1);
    } else {
        /* a cheap look at the ASCII runs first: a contraction needs a run
         * of d, t.., m... or 5-6 letters from c, g, l, w (non-ASCII bytes cut
         * runs here, which can only make more candidates) */
        const char *s = t->s;
        bool maybe = false;
        for (size_t i = ts; i < te && !maybe;) {
            if (byte_class[(unsigned char)s[i]]) { i++; continue; }
            size_t r = i;
            i = word_run_end(s, i + 1, te);
            size_t len = i - r;
            unsigned c = (unsigned char)s[r] | 0x20u;
            maybe = (len == 1 && c == 'd') || (len == 3 && c == 't') || (len == 4 && (c == 'm' || c == 't')) ||
                    ((len == 5 || len == 6) && (c == 'c' || c == 'g' || c == 'l' || c == 'w'));
        }
        if (!maybe) return tms_spans_push(t->out, ts, te - ts);
    }
    return tb_token_slow(t, sa, ts, te);
}

/* text.split() of the padded sentence [a, b), with the contraction rules.
 * Inserted spaces sit next to the special character that caused them, so
 * inside a run of ASCII word bytes the only one possible is the n't rule's,
 * before the n: the hot loop reads the flags only at the edges of runs. */
static tamis_status tb_emit(tb *t, size_t a, size_t b)
{
    const char *s = t->s;
    const uint8_t *fl = t->fl;
    size_t i = a, nx = a;
    while (i < b) {
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

/* NLTKWordTokenizer.tokenize(text[a..b)) */
static tamis_status tb_sentence(tb *t, size_t a, size_t b)
{
    const char *s = t->s;
    uint8_t *fl = t->fl;
    memset(fl + a, 0, b - a + 1);
    /* this sentence's specials (sentences come in order; only whitespace
     * lies between them). A quote found by the whole-text scan is one here
     * too unless it is cut by the sentence's end. */
    size_t lo = t->cur;
    while (lo < t->nsp && t->sp[lo] < a) lo++;
    size_t hi = lo;
    unsigned groups = 0;
    while (hi < t->nsp && t->sp[hi] < b) groups |= byte_group[(unsigned char)s[t->sp[hi++]]];
    t->cur = hi;
    size_t nsp = hi - lo;
    const uint32_t *sp = nsp ? t->sp + lo : NULL;

    /* STARTING_QUOTES: ([«“‘„]|[`]+) -> " \1 "; ^" -> ``; (``) -> " \1 " */
    for (size_t k = 0; k < nsp && (groups & G_SQ1); k++) {
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
    for (size_t k = 0; k < nsp && (groups & (G_DQ | G_AP)); k++) {
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
    for (size_t k = 0; k < nsp && (groups & G_AP); k++) {
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
            uint32_t c = tms_uni_prev(s, e, &st);
            if (st < a || !tms_uni_isspace(c)) break;
            e = st;
        }
        size_t q = e;
        while (q > a) {
            uint32_t c = tms_uni_prev(s, q, &st);
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
    for (size_t k = 0; k < nsp && (groups & G_CC); k++) {
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
    for (size_t k = 0; k < nsp && (groups & G_PUNCT); k++) {
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
    for (size_t k = 0; k < nsp && (groups & G_AP); k++) {
        size_t p = sp[k];
        if (!raw_apos(t, p) || !tnext_space(t, b, p + 1, false)) continue;
        if ((fl[p] & F_SP) || (p > a && s[p - 1] != '\'')) fl[p] |= F_SP;
    }
    /* [*] ; PARENS_BRACKETS ; DOUBLE_DASHES -- ; then ENDING_QUOTES [»”’] */
    for (size_t k = 0; k < nsp && (groups & G_PAD); k++) {
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
    for (size_t k = 0; k < nsp && (groups & (G_DQ | G_AP)); k++) {
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
    for (size_t k = 0; k < nsp && (groups & G_AP); k++) {
        size_t p = sp[k], j = p + 1;
        if (!raw_apos(t, p) || !tprev_plain(t, a, p)) continue;
        bool m;
        if (j < b && !(fl[j] & F_SP) && in_set("sSmMdD", s[j])) m = tnext_space(t, b, j + 1, true);
        else m = tnext_space(t, b, j, true);
        if (m) fl[p] |= F_SP;
    }
    /* ([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) -> "\1 \2 " */
    for (size_t k = 0; k < nsp && (groups & G_AP); k++) {
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
    return tb_emit(t, a, b);
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
    words_ctx w = {.t = {.s = s, .out = out}};
    pthread_once(&tables_once, tables_init);
    w.t.fl = n + 1 <= sizeof small ? small : tms_malloc(n + 1);
    if (!w.t.fl) return TAMIS_E_NOMEM;
    tamis_status st = tb_specials(&w.t, s, n);
    if (st == TAMIS_OK) st = punkt_run(s, n, w.t.sp, w.t.nsp, words_sentence, &w);
    if (w.t.fl != small) tms_free(w.t.fl);
    tms_free(w.t.sp);
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
