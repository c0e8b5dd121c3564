/*
 * fineweb_quality.c -- the `fineweb_quality` stage: FineWeb's own line rules
 * (Penedo et al. 2024) as datatrove's FineWebQualityFilter computes them.
 *
 * datatrove-current (and tamis), on lines = text.split("\n") that are not
 * blank (none: `empty`):
 *   1. lines ending in terminal punctuation / lines < thr     line_punct_ratio
 *      (exactly 0 passes with --fineweb-line-punct-exclude-zero on)
 *   2. lines of <= short-line-length characters / lines > thr short_line_ratio
 *   3. characters in duplicate lines / characters of the text without "\n"
 *      > thr                                                  char_dup_ratio
 *   4. "\n" count / words > thr                               list_ratio
 * Terminal punctuation is Unicode's Sentence_Terminal set; the line must end
 * with it exactly (a trailing space or closing quote defeats it).
 *
 * fineweb-2024 (the code FineWeb was produced with): rules 1-2 on all lines
 * including blank ones, terminal punctuation . ' " ! ?, and inclusive
 * thresholds (<= thr for 1, >= thr for 2 and 3); no `empty` reason.
 *
 * tamis: as datatrove-current, but a line counts as punctuated when it ends
 * in terminal punctuation followed only by closing quotes or brackets and
 * spaces (« Il a dit : "Oui." » and "Fin. " both end a sentence).
 */
#include "quality.h"
#include <string.h>

enum { C_TOKENIZER_FALLBACK, C_N };
static const char *const counter_names[C_N] = {"tokenizer_fallback"};

static bool ends_punctuated(const char *s, size_t a, size_t b, tms_rules rules)
{
    if (b == a) return false;
    if (rules == TMS_RULES_FINEWEB2024) {
        char c = s[b - 1];
        return c == '.' || c == '\'' || c == '"' || c == '!' || c == '?';
    }
    size_t st;
    uint32_t c = tms_uni_prev(s, b, &st);
    if (rules == TMS_RULES_TAMIS) {
        while (st > a && (tms_uni_isspace(c) || tms_q_closing(c))) c = tms_uni_prev(s, st, &st);
    }
    return tms_uni_terminal(c);
}

static tamis_status process(void *wp, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    tms_qctx *c = wp;
    const tms_quality_config *q = c->q;
    const char *s;
    size_t n;
    TMS_TRY(tms_q_text(c, doc, &s, &n));
    bool era = q->rules == TMS_RULES_FINEWEB2024;

    /* lines = text.split("\n"); pieces = the non-blank ones */
    size_t all = 0, all_punct = 0, all_short = 0, nl = 0;
    size_t punct = 0, shorts = 0;
    tms_spans *lines = &c->pieces;
    lines->n = 0;
    for (size_t i = 0;;) {
        const char *e = memchr(s + i, '\n', n - i);
        size_t j = e ? (size_t)(e - s) : n;
        bool p = ends_punctuated(s, i, j, q->rules);
        bool sh = (long long)tms_uni_len(s + i, j - i) <= q->fw_short_line_length;
        all++;
        all_punct += p;
        all_short += sh;
        size_t a = i, b = j;
        tms_q_strip(s, &a, &b);
        if (a < b) {
            TMS_TRY(tms_spans_push(lines, i, j - i));
            punct += p;
            shorts += sh;
        }
        if (!e) break;
        nl++;
        i = j + 1;
    }
    if (era) {
        punct = all_punct;
        shorts = all_short;
    } else if (!lines->n) {
        return tms_reject_bare(doc, v, "empty");
    }
    double den = era ? (double)all : (double)lines->n;

    /* 1 */
    double x = (double)punct / den;
    if (q->fw_line_punct > 0) {
        TMS_TRY(tms_measure(doc, "line_punct_ratio", x, q->fw_line_punct, TMS_SCALE_FRAC, false));
        if ((era ? x <= q->fw_line_punct : x < q->fw_line_punct) && !(x == 0 && q->fw_exclude_zero))
            return tms_reject(doc, v, "line_punct_ratio", x, q->fw_line_punct);
    }
    /* 2 */
    x = (double)shorts / den;
    if (q->fw_short_line_ratio > 0) {
        TMS_TRY(tms_measure(doc, "short_line_ratio", x, q->fw_short_line_ratio, TMS_SCALE_FRAC, true));
        if (era ? x >= q->fw_short_line_ratio : x > q->fw_short_line_ratio)
            return tms_reject(doc, v, "short_line_ratio", x, q->fw_short_line_ratio);
    }
    /* 3 */
    if (q->fw_char_dup > 0) {
        size_t dups, dup_chars, chars = tms_uni_len(s, n) - nl;
        TMS_TRY(tms_q_find_duplicates(c, s, lines, &dups, &dup_chars));
        if (chars) {
            x = (double)dup_chars / (double)chars;
            TMS_TRY(tms_measure(doc, "char_dup_ratio", x, q->fw_char_dup, TMS_SCALE_FRAC, true));
            if (era ? x >= q->fw_char_dup : x > q->fw_char_dup)
                return tms_reject(doc, v, "char_dup_ratio", x, q->fw_char_dup);
        }
    }
    /* 4 */
    if (q->fw_new_line > 0) {
        tms_qlang lang;
        tms_q_lang(q, doc, &lang);
        ctr[C_TOKENIZER_FALLBACK] += lang.fallback;
        tms_spans words;
        TMS_TRY(tms_q_words(c, doc, lang.tok, s, n, &words));
        if (words.n) {
            x = (double)nl / (double)words.n;
            TMS_TRY(tms_measure(doc, "list_ratio", x, q->fw_new_line, TMS_SCALE_FRAC, true));
            if (x > q->fw_new_line) return tms_reject(doc, v, "list_ratio", x, q->fw_new_line);
        }
    }
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"empty", NULL, "no line with anything but blanks"},
    {"line_punct_ratio", "fineweb-line-punct-thr", "under 12% of the non-blank lines end in terminal punctuation"},
    {"short_line_ratio", "fineweb-short-line-thr", "over 67% of the non-blank lines are 30 characters long or shorter"},
    {"char_dup_ratio", "fineweb-char-dup-ratio",
     "over 1% of the characters (newlines aside) are in lines that repeat an earlier line"},
    {"list_ratio", "fineweb-new-line-ratio", "more than 0.3 newlines per word"},
};

const tms_stage_vt tms_stage_fineweb_quality = {
    .name = "fineweb_quality",
    .description = "FineWeb's line rules: terminal punctuation, short lines, duplicate lines, list-like text",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = tms_q_worker_create,
    .worker_free = tms_q_worker_free,
    .process = process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
