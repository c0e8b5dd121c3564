/*
 * gopher_quality.c -- the `gopher_quality` stage: Gopher's quality rules
 * (Rae et al. 2021) as datatrove's GopherQualityFilter computes them, in
 * its order; the first failing rule is the reason.
 *
 *   words = the rule set's words (punctuation marks are words);
 *   non-symbol words = words with a character outside PUNCTUATION_SET
 *   1. non-symbol words < min / > max         gopher_short_doc / gopher_long_doc
 *   2. mean length of non-symbol words < min / > max
 *                                              gopher_below_avg_threshold / gopher_above_avg_threshold
 *   3. count("#") / words > ratio             gopher_too_many_hashes
 *   4. (count("...") + count("…")) / words > ratio  gopher_too_many_ellipsis
 *   5. lines (str.splitlines) whose lstrip starts with a bullet / lines > ratio
 *                                              gopher_too_many_bullets
 *   6. lines whose rstrip ends with "..." or "…" / lines > ratio
 *                                              gopher_too_many_end_ellipsis
 *   7. words with a letter (str.isalpha) / words < ratio   gopher_below_alpha_threshold
 *   8. stop words found < min                 gopher_enough_stop_words
 *
 * Rule sets:
 *   datatrove-current  spaCy words (en, fr; tamis's splitter otherwise);
 *                      bullets "•" and "-"; stop words: datatrove's English
 *                      eight, case-sensitive, distinct words counted.
 *   fineweb-2024       NLTK words; the English eight counted with multiplicity.
 *   tamis              tamis's words; bullets also * · ◦ ‣ ▪ ● ○ ■ □ – — ► ➢ ✓;
 *                      the language's own stop words (text/stopwords.c),
 *                      lowercased, distinct (no list: rule 8 is skipped and
 *                      counted); rule 2 is skipped when most words are in
 *                      scripts written without spaces (Han, kana, Thai...),
 *                      where a word is a character or a whole phrase.
 * A ratio whose denominator is zero is not evaluated (datatrove raises).
 */
#include "quality.h"
#include "../text/stopwords.h"
#include <string.h>
#include <strings.h>

enum { C_TOKENIZER_FALLBACK, C_NO_STOPWORD_LIST, C_AVG_SKIPPED_UNSEGMENTED, C_N };
static const char *const counter_names[C_N] = {"tokenizer_fallback", "no_stopword_list", "avg_length_skipped_unsegmented"};

static const char *const gopher_stop_words[] = {"the", "be", "to", "of", "and", "that", "have", "with"};

static bool english_stop(const char *w, size_t n, size_t *which)
{
    if (n < 2 || n > 4 || w[0] < 'a' || w[0] > 'w') return false;
    for (size_t i = 0; i < TMS_ARRAY_LEN(gopher_stop_words); i++)
        if (gopher_stop_words[i][0] == w[0] && strlen(gopher_stop_words[i]) == n && !memcmp(gopher_stop_words[i], w, n)) {
            *which = i;
            return true;
        }
    return false;
}

/* Hash of a word's first 16 bytes with bit 5 set in every byte (ASCII
 * letters lowercase), and its length. Words and list words are hashed alike;
 * a hit is always confirmed by comparing, so the fold only has to be the
 * same on both sides. avail: bytes readable from p (>= n). */
static uint32_t fold_hash(const char *p, size_t n, size_t avail)
{
    uint64_t x0 = 0, x1 = 0;
    size_t m = n < 16 ? n : 16;
    if (avail >= 16) {
        memcpy(&x0, p, 8);
        memcpy(&x1, p + 8, 8);
        if (m < 8) x0 &= (1ull << (8 * m)) - 1, x1 = 0;
        else if (m < 16) x1 &= (1ull << (8 * (m - 8))) - 1;
    } else {
        unsigned char t[16] = {0};
        memcpy(t, p, m);
        memcpy(&x0, t, 8);
        memcpy(&x1, t + 8, 8);
    }
    uint64_t mask0 = m >= 8 ? ~0ull : (1ull << (8 * m)) - 1;
    uint64_t mask1 = m >= 16 ? ~0ull : m > 8 ? (1ull << (8 * (m - 8))) - 1 : 0;
    x0 |= 0x2020202020202020ull & mask0;
    x1 |= 0x2020202020202020ull & mask1;
    uint64_t h = (x0 * 0x9E3779B97F4A7C15ull) ^ (x1 * 0xC2B2AE3D27D4EB4Full) ^ n;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return (uint32_t)(h >> 40);
}

static bool is_bullet(uint32_t c, bool extended)
{
    if (c == 0x2022 || c == '-') return true;
    if (!extended) return false;
    switch (c) {
    case '*': case 0x00B7: case 0x25E6: case 0x2023: case 0x25AA: case 0x25CF: case 0x25CB: case 0x25A0:
    case 0x25A1: case 0x2013: case 0x2014: case 0x25BA: case 0x27A2: case 0x2713: case 0x2043: case 0x2219:
        return true;
    default:
        return false;
    }
}

/* Scripts written without spaces between words */
static bool unsegmented(uint32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0x0E00 && c <= 0x0EFF) ||
           (c >= 0x1780 && c <= 0x17FF) || (c >= 0x1000 && c <= 0x109F);
}

static tamis_status process(void *wp, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    tms_qctx *c = wp;
    const tms_quality_config *q = c->q;
    const char *s;
    size_t n;
    TMS_TRY(tms_q_text(c, doc, &s, &n));
    tms_qlang lang;
    tms_q_lang(q, doc, &lang);
    ctr[C_TOKENIZER_FALLBACK] += lang.fallback;
    bool tamis = q->rules == TMS_RULES_TAMIS;
    tms_spans words;
    TMS_TRY(tms_q_words(c, doc, lang.tok, s, n, &words));
    const tms_spans *w = &words;

    /* one pass over the words: non-symbol count and length, letters, stop words */
    size_t nw = w->n, nsym_words = 0, ns_len = 0, alpha_words = 0, unseg = 0, stop_hits = 0;
    uint32_t stop_seen_en = 0;
    const char *const *stop_list = NULL;
    size_t stop_n = 0;
    if (tamis) stop_list = tms_stopwords(lang.code, lang.len, &stop_n);
    uint64_t seen_bits = 0; /* distinct tamis stop words (lists are short) */
    long long stop_enough = q->g_min_stop_words > 0 ? q->g_min_stop_words : 0;
    /* the list in a small hash table, keyed by the lowercase bytes */
    uint8_t slot[64] = {0}, stop_len[40]; /* index + 1; byte lengths */
    uint64_t stop_lens = 0;                /* bit l: a word of l bytes */
    size_t stop_max = 0;
    if (stop_n > 40) stop_n = 40;
    for (size_t j = 0; j < stop_n; j++) {
        size_t l = strlen(stop_list[j]);
        stop_len[j] = (uint8_t)TMS_MIN(l, 255);
        stop_lens |= 1ull << TMS_MIN(l, 63);
        stop_max = TMS_MAX(stop_max, l);
        uint32_t h = fold_hash(stop_list[j], l, 0) & 63;
        while (slot[h]) h = (h + 1) & 63;
        slot[h] = (uint8_t)(j + 1);
    }
    for (size_t k = 0; k < nw; k++) {
        const char *p = s + w->v[k].off;
        size_t len = w->v[k].len;
        tms_qword qw = tms_q_word(p, len, n - w->v[k].off);
        if (!qw.ascii) unseg += unsegmented(qw.first);
        nsym_words += qw.non_symbol;
        ns_len += qw.non_symbol ? qw.cps : 0;
        alpha_words += qw.alpha;
        if ((long long)stop_hits >= stop_enough) continue; /* rule 8 already passes: no need to count on */
        if (!tamis) {
            size_t which;
            if (len <= 4 && english_stop(p, len, &which)) {
                if (q->rules == TMS_RULES_FINEWEB2024) stop_hits++;
                else if (!(stop_seen_en & (1u << which))) stop_seen_en |= 1u << which, stop_hits++;
            }
        } else if (stop_list && len <= stop_max + 4) { /* lowercasing changes a length by a few bytes at most */
            char low[256];
            const char *lw = low;
            size_t ll;
            uint32_t h;
            if (qw.ascii) { /* ASCII: the hash folds the case, no copy */
                if (!((stop_lens >> TMS_MIN(len, 63)) & 1)) continue;
                h = fold_hash(p, len, n - w->v[k].off);
                lw = p;
                ll = len;
            } else {
                ll = tms_q_lower(p, len, low, sizeof low);
                if (!ll) continue;
                h = fold_hash(low, ll, 0);
            }
            for (h &= 63; slot[h]; h = (h + 1) & 63) {
                size_t j = slot[h] - 1u;
                if (stop_len[j] == ll && (lw == low ? !memcmp(stop_list[j], low, ll) : !strncasecmp(stop_list[j], lw, ll))) {
                    if (!(seen_bits & (1ull << j))) seen_bits |= 1ull << j, stop_hits++;
                    break;
                }
            }
        }
    }

    /* 1 */
    if (q->g_min_words > 0) {
        TMS_TRY(tms_measure(doc, "gopher_short_doc", (double)nsym_words, (double)q->g_min_words, TMS_SCALE_COUNT, false));
        if ((long long)nsym_words < q->g_min_words)
            return tms_reject(doc, v, "gopher_short_doc", (double)nsym_words, (double)q->g_min_words);
    }
    if (q->g_max_words > 0) {
        TMS_TRY(tms_measure(doc, "gopher_long_doc", (double)nsym_words, (double)q->g_max_words, TMS_SCALE_COUNT, true));
        if ((long long)nsym_words > q->g_max_words)
            return tms_reject(doc, v, "gopher_long_doc", (double)nsym_words, (double)q->g_max_words);
    }
    /* 2 */
    bool skip_avg = tamis && nw && unseg * 2 > nw;
    ctr[C_AVG_SKIPPED_UNSEGMENTED] += skip_avg;
    if (nsym_words && !skip_avg) {
        double avg = (double)ns_len / (double)nsym_words;
        if (q->g_min_avg_len > 0) {
            TMS_TRY(tms_measure(doc, "gopher_below_avg_threshold", avg, q->g_min_avg_len, TMS_SCALE_SCALE, false));
            if (avg < q->g_min_avg_len) return tms_reject(doc, v, "gopher_below_avg_threshold", avg, q->g_min_avg_len);
        }
        if (q->g_max_avg_len > 0) {
            TMS_TRY(tms_measure(doc, "gopher_above_avg_threshold", avg, q->g_max_avg_len, TMS_SCALE_SCALE, true));
            if (avg > q->g_max_avg_len) return tms_reject(doc, v, "gopher_above_avg_threshold", avg, q->g_max_avg_len);
        }
    }
    /* 3, 4 */
    if (nw && q->g_symbol_ratio > 0) {
        double x = (double)tms_q_count(s, n, "#", 1) / (double)nw;
        TMS_TRY(tms_measure(doc, "gopher_too_many_hashes", x, q->g_symbol_ratio, TMS_SCALE_FRAC, true));
        if (x > q->g_symbol_ratio) return tms_reject(doc, v, "gopher_too_many_hashes", x, q->g_symbol_ratio);
        x = (double)(tms_q_count(s, n, "...", 3) + tms_q_count(s, n, "\xE2\x80\xA6", 3)) / (double)nw;
        TMS_TRY(tms_measure(doc, "gopher_too_many_ellipsis", x, q->g_symbol_ratio, TMS_SCALE_FRAC, true));
        if (x > q->g_symbol_ratio) return tms_reject(doc, v, "gopher_too_many_ellipsis", x, q->g_symbol_ratio);
    }
    /* 5, 6 */
    if (q->g_bullet_ratio > 0 || q->g_ellipsis_ratio > 0) {
        size_t lines = 0, bullets = 0, ellipses = 0, pos = 0, ls, le;
        while (tms_q_splitline(s, n, &pos, &ls, &le)) {
            lines++;
            size_t a = ls, b = le;
            tms_q_lstrip(s, &a, le);
            if (a < le) {
                size_t nx;
                bullets += is_bullet(tms_uni_next(s, le, a, &nx), tamis);
            }
            tms_q_rstrip(s, ls, &b);
            ellipses += tms_q_endswith(s, ls, b, "...", 3) || tms_q_endswith(s, ls, b, "\xE2\x80\xA6", 3);
        }
        if (lines) {
            double x = (double)bullets / (double)lines;
            if (q->g_bullet_ratio > 0) {
                TMS_TRY(tms_measure(doc, "gopher_too_many_bullets", x, q->g_bullet_ratio, TMS_SCALE_FRAC, true));
                if (x > q->g_bullet_ratio) return tms_reject(doc, v, "gopher_too_many_bullets", x, q->g_bullet_ratio);
            }
            x = (double)ellipses / (double)lines;
            if (q->g_ellipsis_ratio > 0) {
                TMS_TRY(tms_measure(doc, "gopher_too_many_end_ellipsis", x, q->g_ellipsis_ratio, TMS_SCALE_FRAC, true));
                if (x > q->g_ellipsis_ratio)
                    return tms_reject(doc, v, "gopher_too_many_end_ellipsis", x, q->g_ellipsis_ratio);
            }
        }
    }
    /* 7 */
    if (nw && q->g_alpha_ratio > 0) {
        double x = (double)alpha_words / (double)nw;
        TMS_TRY(tms_measure(doc, "gopher_below_alpha_threshold", x, q->g_alpha_ratio, TMS_SCALE_FRAC, false));
        if (x < q->g_alpha_ratio) return tms_reject(doc, v, "gopher_below_alpha_threshold", x, q->g_alpha_ratio);
    }
    /* 8 */
    if (q->g_min_stop_words > 0) {
        if (tamis && !stop_list) {
            ctr[C_NO_STOPWORD_LIST]++;
        } else {
            /* not measured for the report: counting stops at the threshold (see above), so its
             * histogram would only say below or not */
            if ((long long)stop_hits < q->g_min_stop_words)
                return tms_reject(doc, v, "gopher_enough_stop_words", (double)stop_hits, (double)q->g_min_stop_words);
        }
    }
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"gopher_short_doc", "gopher-min-words", "fewer than 50 words that are not only punctuation"},
    {"gopher_long_doc", "gopher-max-words", "more than 100,000 words that are not only punctuation"},
    {"gopher_below_avg_threshold", "gopher-min-avg-word-length",
     "mean length of the words that are not only punctuation under 3 characters"},
    {"gopher_above_avg_threshold", "gopher-max-avg-word-length",
     "mean length of the words that are not only punctuation over 10 characters"},
    {"gopher_too_many_hashes", "gopher-max-symbol-word-ratio", "more than 0.1 '#' per word"},
    {"gopher_too_many_ellipsis", "gopher-max-symbol-word-ratio",
     "more than 0.1 ellipses ('...' or '\xE2\x80\xA6') per word"},
    {"gopher_too_many_bullets", "gopher-max-bullet-lines-ratio", "over 90% of the lines start with a bullet"},
    {"gopher_too_many_end_ellipsis", "gopher-max-ellipsis-lines-ratio", "over 30% of the lines end with an ellipsis"},
    {"gopher_below_alpha_threshold", "gopher-max-non-alpha-words-ratio", "under 80% of the words contain a letter"},
    {"gopher_enough_stop_words", "gopher-min-stop-words",
     "fewer than 2 distinct stop words of the document's language"},
};

const tms_stage_vt tms_stage_gopher_quality = {
    .name = "gopher_quality",
    .description = "Gopher's quality rules: word count and length, symbols, bullets, ellipses, letters, stop words",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = tms_q_worker_create,
    .worker_free = tms_q_worker_free,
    .process = process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
