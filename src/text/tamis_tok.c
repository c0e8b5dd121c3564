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
 */
#include "words.h"
#include "uni.h"
#include <utf8proc.h>

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

static inline enum kind kind_at(const char *s, size_t n, size_t i, size_t *nx, uint32_t *cp)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *nx = i + 1;
        *cp = b;
        return ascii_kind(b);
    }
    *cp = tms_uni_next(s, n, i, nx);
    return uni_kind(*cp);
}

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

/* end of the letters-and-digits word that starts at i with kind k */
static size_t word_end(const char *s, size_t n, size_t i, enum kind k)
{
    enum kind last = k; /* K_LETTER or K_DIGIT: the last base character */
    size_t nx;
    uint32_t cp;
    kind_at(s, n, i, &nx, &cp);
    i = nx;
    while (i < n) {
        unsigned b = (unsigned char)s[i];
        /* ASCII letters and digits: the common case */
        if (b < 0x80 && (((b | 0x20u) - 'a') < 26u || (b - '0') < 10u)) {
            last = (b - '0') < 10u ? K_DIGIT : K_LETTER;
            i++;
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

tamis_status tms_tamis_words(const char *s, size_t n, tms_spans *out)
{
    size_t i = 0, nx, e;
    uint32_t cp;
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        if (b == ' ' || b == '\n') { i++; continue; }
        enum kind k = kind_at(s, n, i, &nx, &cp);
        switch (k) {
        case K_SPACE:
        case K_INVIS:
            i = nx;
            continue;
        case K_LETTER:
        case K_DIGIT:
            e = word_end(s, n, i, k);
            break;
        case K_HAN:
            e = run_end(s, n, nx, 1u << K_MARK);
            break;
        case K_HIRA:
            e = run_end(s, n, nx, 1u << K_HIRA | 1u << K_MARK | 1u << K_INVIS);
            /* ー continues a Hiragana run too */
            while (e < n && kind_at(s, n, e, &nx, &cp) == K_KATA && cp == 0x30FC)
                e = run_end(s, n, nx, 1u << K_HIRA | 1u << K_MARK | 1u << K_INVIS);
            break;
        case K_KATA:
            e = run_end(s, n, nx, 1u << K_KATA | 1u << K_MARK | 1u << K_INVIS);
            break;
        case K_SEA:
            e = run_end(s, n, nx, 1u << K_SEA | 1u << K_MARK | 1u << K_INVIS);
            break;
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
            break;
        }
        case K_MARK:   /* a mark with no base: a symbol of its own */
        case K_OTHER:
        default:
            e = symbol_end(s, n, i, cp, nx);
            break;
        }
        TMS_TRY(tms_spans_push(out, i, e - i));
        i = e;
    }
    return TAMIS_OK;
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

tamis_status tms_tamis_sentences(const char *s, size_t n, tms_spans *scratch, size_t *count)
{
    (void)scratch;
    size_t k = 0, i = 0, nx;
    bool content = false; /* the current sentence has a non-space character */
    while (i < n) {
        unsigned char b = (unsigned char)s[i];
        if (b == '\n') {
            k += content;
            content = false;
            i++;
            continue;
        }
        uint32_t c = b < 0x80 ? (nx = i + 1, b) : tms_uni_next(s, n, i, &nx);
        if (b < 0x80 ? (b != '.' && b != '!' && b != '?') : !tms_uni_terminal(c)) {
            if (!content && !tms_uni_isspace(c)) content = true;
            i = nx;
            continue;
        }
        /* a run of terminals, then closers */
        bool latin = true;
        size_t j = i;
        while (j < n) {
            size_t jn;
            uint32_t t = tms_uni_next(s, n, j, &jn);
            if (!tms_uni_terminal(t)) break;
            latin &= t == '.' || t == '!' || t == '?';
            j = jn;
        }
        while (j < n) {
            size_t jn;
            uint32_t t = tms_uni_next(s, n, j, &jn);
            if (!closer(t)) break;
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
