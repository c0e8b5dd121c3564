/*
 * gopher_repetition.c -- the `gopher_repetition` stage: Gopher's repetition
 * rules (Rae et al. 2021, table A1) as datatrove's GopherRepetitionFilter
 * computes them. Lengths are code points; L = length of the whole text.
 *
 *   paragraphs = text.strip() split on runs of 2+ "\n"
 *     duplicates / paragraphs > dup_para_frac            -> dup_para_frac
 *     chars of duplicates / L > dup_para_char_frac        -> dup_para_char_frac
 *   lines = text split on runs of "\n" (not stripped)
 *     the same two                                       -> dup_line_frac, dup_line_char_frac
 *   words (the rule set's splitter, punctuation included)
 *     for n in --gopher-top-ngrams: the most frequent n-gram (first seen
 *     wins a tie); len(" ".join(ngram)) * count / L > x  -> top_{n}_gram
 *     for n in --gopher-dup-ngrams: walk the words; an n-gram seen before
 *     (compared as "".join(ngram)) adds its length and skips n words,
 *     else it is remembered and the walk moves one word;
 *     repeated / L > x                                   -> duplicated_{n}_n_grams
 * A duplicate piece counts only from its second occurrence. Empty text is
 * rejected as `empty` (datatrove divides by zero there).
 *
 * Rule sets differ in the word splitter, and the tamis rule set scores a
 * top n-gram only when it occurs at least twice: the reference scores the
 * first n-gram of a document without any repeat, so every short document
 * ("Too short to be a document." has 0.33 for its first 2-gram) is
 * rejected as repetitive.
 *
 * Speed: a repeated (n+1)-gram starts with a repeated n-gram, so after one
 * full counting pass for the smallest n, each larger n only counts at the
 * positions whose (n-1)-gram repeats: a handful in most documents. The
 * duplicated-n-gram walks for n >= 5 (the defaults) then touch only
 * positions whose n-gram repeats as a word tuple. That is exact for word
 * tuples (the top_N_gram identity); for the "".join identity of
 * duplicated_N_n_grams it can differ only when two different sequences of
 * five or more words concatenate to the same string, which the golden data
 * never shows. Walks for n < 5, where that is likelier ("ab c" and "a bc"),
 * visit every position.
 *
 * Identity: words get dense ids (a hash table confirmed by comparing bytes),
 * and an n-gram is the exact pair (its (n-1)-gram's group, its last word),
 * so tuple counting trusts no hash. The "".join identity of the
 * duplicated-n-gram walks uses a polynomial hash of the bytes, confirmed by
 * comparing bytes. No collision can make a false duplicate.
 */
#include "quality.h"
#include "../core/alloc.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

enum { C_TOKENIZER_FALLBACK, C_N };
static const char *const counter_names[C_N] = {"tokenizer_fallback"};

#define B 0x100000001B3ull     /* polynomial hash base of the "".join identity */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
}

static size_t continuation_bytes(uint64_t x) /* bytes 10xxxxxx among 8 */
{
    uint64_t y = (x & ~(x << 1) & 0x8080808080808080ull) >> 7; /* 1 in each such byte */
    return (size_t)((y * 0x0101010101010101ull) >> 56);        /* summed into the top byte */
}

/* Per word: a hash of its bytes (wh, for word ids) and cpl[k], the code
 * points before word k. Words of up to 16 bytes not at the very end of the
 * text are read as two 8-byte loads. */
static tamis_status word_arrays(tms_qctx *c, const char *s, size_t n, const tms_spans *w)
{
    size_t need = w->n + 1;
    if (need > c->pcap) {
        size_t cap = need + need / 2;
        uint64_t *a = tms_realloc(c->wh, cap * 8);
        if (a) c->wh = a;
        uint32_t *f = a ? tms_realloc(c->cpl, cap * 4) : NULL;
        if (f) c->cpl = f;
        uint32_t *g = f ? tms_realloc(c->wid, cap * 4) : NULL;
        if (g) c->wid = g;
        uint32_t *h = g ? tms_realloc(c->grp, cap * 4) : NULL;
        if (h) c->grp = h;
        uint8_t *l = h ? tms_realloc(c->level, cap) : NULL;
        if (l) c->level = l;
        uint32_t *m = l ? tms_realloc(c->cand, cap * 4) : NULL;
        if (m) c->cand = m;
        uint32_t *d = m ? tms_realloc(c->dup, cap * 4) : NULL;
        if (d) c->dup = d;
        uint64_t *e = d ? tms_realloc(c->ph, cap * 8) : NULL;
        if (e) c->ph = e;
        uint64_t *f2 = e ? tms_realloc(c->pw, cap * 8) : NULL;
        if (f2) c->pw = f2;
        uint32_t *sl = f2 ? tms_realloc(c->slot, cap * 4) : NULL;
        if (sl) c->slot = sl;
        if (!sl) return TAMIS_E_NOMEM;
        c->pcap = cap;
    }
    uint32_t cpl = 0;
    for (size_t k = 0; k < w->n; k++) {
        size_t off = w->v[k].off, len = w->v[k].len;
        const char *p = s + off;
        uint64_t h;
        size_t cps;
        if (len <= 16) { /* the same hash whether or not 16 bytes can be read */
            uint64_t x0 = 0, x1 = 0;
            if (off + 16 <= n) {
                memcpy(&x0, p, 8);
                memcpy(&x1, p + 8, 8);
                if (len < 8) x0 &= (1ull << (8 * len)) - 1, x1 = 0;
                else if (len < 16) x1 &= (1ull << (8 * (len - 8))) - 1;
            } else {
                unsigned char t[16] = {0};
                memcpy(t, p, len);
                memcpy(&x0, t, 8);
                memcpy(&x1, t + 8, 8);
            }
            h = mix64(x0 ^ mix64(x1 ^ len));
            cps = len - continuation_bytes(x0) - continuation_bytes(x1);
        } else {
            h = tms_q_hash(p, len);
            cps = tms_uni_len(p, len);
        }
        c->wh[k] = h;
        c->cpl[k] = cpl;
        cpl += (uint32_t)cps;
    }
    c->cpl[w->n] = cpl;
    return TAMIS_OK;
}

static bool same_word(const char *s, const tms_span *a, const tms_span *b)
{
    return a->len == b->len && memcmp(s + a->off, s + b->off, a->len) == 0;
}

typedef struct word_eq {
    const char *s;
    const tms_span *w;
    size_t cur;
} word_eq;

static bool word_equal(void *ctx, uint32_t idx)
{
    word_eq *e = ctx;
    return same_word(e->s, &e->w[idx], &e->w[e->cur]);
}

static bool key_equal(void *ctx, uint32_t idx) { (void)ctx; (void)idx; return true; }

/* Level 1: dense word ids (wid[k] = position of the first occurrence of
 * word k, through a hash table confirmed by comparing bytes, grown as
 * distinct words appear), level[k] = 1 where the word occurs again, and the
 * candidates of the 2-gram pass: positions whose word and next word both
 * repeat. The most frequent word gives top_chars for a top_1_gram rule. */
static tamis_status word_ids(tms_qctx *c, const char *s, const tms_spans *w, double *top_chars, uint32_t *top_count)
{
    size_t distinct = 0, cap_for = TMS_MIN(w->n, 1024);
    TMS_TRY(tms_qset_reset(&c->set, cap_for));
    word_eq e = {s, w->v, 0};
    for (size_t k = 0; k < w->n; k++) {
        if (distinct + 1 > cap_for) { /* keep the table small: most words repeat */
            cap_for *= 2;
            TMS_TRY(tms_qset_rehash(&c->set, cap_for));
        }
        e.cur = k;
        uint64_t h = c->wh[k];
        tms_qslot *sl = tms_qset_find(&c->set, h, word_equal, &e);
        if (!sl->count) {
            sl->h = h;
            sl->idx = (uint32_t)k;
            sl->count = 1;
            distinct++;
        }
        c->wid[k] = sl->idx;
    }
    uint32_t *cnt = c->grp; /* occurrences per id, indexed by first position */
    memset(cnt, 0, w->n * sizeof *cnt);
    for (size_t k = 0; k < w->n; k++) cnt[c->wid[k]]++;
    uint32_t best = 0, best_idx = 0;
    for (size_t k = 0; k < w->n; k++) {
        uint32_t m = cnt[c->wid[k]];
        c->level[k] = m >= 2;
        if (m > best) best = m, best_idx = (uint32_t)k; /* ascending: the earliest group wins a tie */
    }
    *top_chars = w->n ? (double)(c->cpl[best_idx + 1] - c->cpl[best_idx]) * best : 0;
    *top_count = best;
    c->ncand = 0;
    for (size_t k = 0; k + 1 < w->n; k++)
        if (c->level[k] && c->level[k + 1]) c->cand[c->ncand++] = (uint32_t)k;
    for (size_t k = 0; k < w->n; k++) c->grp[k] = c->wid[k]; /* the 1-gram groups */
    return TAMIS_OK;
}

/* One counting pass over the n-grams (n >= 2) that can repeat: the
 * positions in c->cand, ascending, whose (n-1)-gram and whose (n-1)-gram one
 * word later both repeat. An n-gram is the exact pair (group of its
 * (n-1)-gram, id of its last word), so no hash is trusted: the 64-bit key is
 * the identity. grp[i] becomes the first position of the n-gram at i;
 * positions whose n-gram occurs again get level n and make the next
 * candidates. The most frequent n-gram (first seen wins a tie; without
 * repeats the first one) gives top_chars = len(" ".join(ngram)) * count. */
static tamis_status tuple_pass(tms_qctx *c, const tms_spans *w, size_t n, double *top_chars, uint32_t *top_count)
{
    size_t count = w->n - n + 1, ncand = c->ncand;
    while (ncand && c->cand[ncand - 1] >= count) ncand--; /* too close to the end for n words */
    uint32_t best = 1, best_idx = 0;
    if (ncand) TMS_TRY(tms_qset_reset(&c->set, ncand));
    for (size_t k = 0; k < ncand; k++) {
        size_t i = c->cand[k];
        uint64_t key = ((uint64_t)c->grp[i] << 32) | c->wid[i + n - 1];
        tms_qslot *sl = tms_qset_find(&c->set, key, key_equal, NULL);
        if (!sl->count) {
            sl->h = key;
            sl->idx = (uint32_t)i;
        }
        sl->count++;
        c->slot[k] = (uint32_t)(sl - c->set.v);
        if (sl->count > best || (sl->count == best && sl->idx < best_idx)) {
            best = sl->count;
            best_idx = sl->idx;
        }
    }
    size_t kept = 0;
    for (size_t k = 0; k < ncand; k++) {
        size_t i = c->cand[k];
        const tms_qslot *sl = &c->set.v[c->slot[k]];
        c->grp[i] = sl->idx;
        if (sl->count >= 2) {
            c->level[i] = (uint8_t)n;
            if (n == 5) c->dup[c->ndup++] = (uint32_t)i; /* the duplicated-n-gram walks start from these */
        }
    }
    /* next candidates: the n-gram here and the one a word later repeat */
    for (size_t k = 0; k < ncand; k++) {
        size_t i = c->cand[k];
        if (c->level[i] == n && i + 1 < count && c->level[i + 1] == n) c->cand[kept++] = (uint32_t)i;
    }
    c->ncand = kept;
    size_t len = c->cpl[best_idx + n] - c->cpl[best_idx] + (n - 1);
    *top_chars = (double)len * best;
    *top_count = best;
    return TAMIS_OK;
}

typedef struct cat_eq {
    const char *s;
    const tms_span *w;
    size_t cur, n;
} cat_eq;

/* "".join(words[idx..idx+n)) == "".join(words[cur..cur+n)), byte by byte */
static bool concat_equal(void *ctx, uint32_t idx)
{
    cat_eq *e = ctx;
    size_t ai = idx, bi = e->cur, ao = 0, bo = 0;
    const tms_span *w = e->w;
    for (;;) {
        while (ai < idx + e->n && ao == w[ai].len) ai++, ao = 0;
        while (bi < e->cur + e->n && bo == w[bi].len) bi++, bo = 0;
        bool aend = ai == idx + e->n, bend = bi == e->cur + e->n;
        if (aend || bend) return aend && bend;
        size_t m = TMS_MIN(w[ai].len - ao, w[bi].len - bo);
        if (memcmp(e->s + w[ai].off + ao, e->s + w[bi].off + bo, m)) return false;
        ao += m;
        bo += m;
    }
}

/* find_all_duplicate: characters of repeated n-grams ("".join identity),
 * overlaps skipped: an n-gram seen before adds its length and the walk jumps
 * n words, else it is remembered and the walk moves one word. For n >= 5 the
 * walk visits only positions whose n-gram repeats as a word tuple (from
 * c->dup, the positions whose 5-gram repeats): elsewhere it would only step. */
static tamis_status dup_ngrams(tms_qctx *c, const char *s, const tms_spans *w, size_t n, size_t *repeated)
{
    *repeated = 0;
    if (w->n < n) return TAMIS_OK;
    size_t count = w->n - n + 1;
    bool all = n < 5; /* short windows: every position (see the top of the file) */
    size_t ncand = all ? count : c->ndup;
    if (!ncand) return TAMIS_OK;
    /* per word of the windows visited: polynomial hash of its bytes and B^bytes */
    size_t done = 0;
    for (size_t k = 0; k < ncand; k++) {
        size_t p = all ? k : c->dup[k];
        for (size_t j = TMS_MAX(p, done); j < p + n && j < w->n; j++) {
            const unsigned char *b = (const unsigned char *)s + w->v[j].off;
            uint64_t h = 0, bl = 1;
            for (uint32_t i = 0; i < w->v[j].len; i++) h = h * B + b[i] + 1, bl *= B;
            c->ph[j] = h;
            c->pw[j] = bl;
        }
        done = TMS_MAX(done, p + n);
    }
    TMS_TRY(tms_qset_reset(&c->set, ncand));
    cat_eq e = {s, w->v, 0, n};
    size_t idx = 0;
    for (size_t k = 0; k < ncand; k++) {
        size_t p = all ? k : c->dup[k];
        if (p < idx || p >= count || (!all && c->level[p] < n)) continue;
        uint64_t h = 0; /* polynomial over the bytes: equal for equal concatenations */
        for (size_t j = p; j < p + n; j++) h = h * c->pw[j] + c->ph[j];
        e.cur = p;
        tms_qslot *sl = tms_qset_find(&c->set, h, concat_equal, &e);
        if (sl->count) {
            *repeated += c->cpl[p + n] - c->cpl[p];
            idx = p + n;
        } else {
            sl->h = h;
            sl->idx = (uint32_t)p;
            sl->count = 1;
            idx = p + 1;
        }
    }
    return TAMIS_OK;
}

/* Pieces of s[a..b) between runs of at least `min` newlines. */
static tamis_status split_newline_runs(const char *s, size_t a, size_t b, size_t min, tms_spans *out)
{
    out->n = 0;
    size_t start = a, i = a;
    while (i < b) {
        const char *nl = memchr(s + i, '\n', b - i);
        if (!nl) break;
        size_t j = (size_t)(nl - s), k = j;
        while (k < b && s[k] == '\n') k++;
        if (k - j >= min) {
            TMS_TRY(tms_spans_push(out, start, j - start));
            start = k;
        }
        i = k;
    }
    return tms_spans_push(out, start, b - start);
}

static const char *const top_reasons[21] = {
    "top_0_gram", "top_1_gram", "top_2_gram", "top_3_gram", "top_4_gram", "top_5_gram", "top_6_gram",
    "top_7_gram", "top_8_gram", "top_9_gram", "top_10_gram", "top_11_gram", "top_12_gram", "top_13_gram",
    "top_14_gram", "top_15_gram", "top_16_gram", "top_17_gram", "top_18_gram", "top_19_gram", "top_20_gram",
};
static const char *const dup_reasons[21] = {
    "duplicated_0_n_grams", "duplicated_1_n_grams", "duplicated_2_n_grams", "duplicated_3_n_grams",
    "duplicated_4_n_grams", "duplicated_5_n_grams", "duplicated_6_n_grams", "duplicated_7_n_grams",
    "duplicated_8_n_grams", "duplicated_9_n_grams", "duplicated_10_n_grams", "duplicated_11_n_grams",
    "duplicated_12_n_grams", "duplicated_13_n_grams", "duplicated_14_n_grams", "duplicated_15_n_grams",
    "duplicated_16_n_grams", "duplicated_17_n_grams", "duplicated_18_n_grams", "duplicated_19_n_grams",
    "duplicated_20_n_grams",
};

static tamis_status process(void *wp, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    tms_qctx *c = wp;
    const tms_quality_config *q = c->q;
    const char *s;
    size_t n;
    TMS_TRY(tms_q_text(c, doc, &s, &n));
    if (n == 0) return tms_reject_bare(doc, v, "empty");
    double L = (double)tms_uni_len(s, n);
    size_t dups, dup_chars;

    /* paragraphs */
    size_t a = 0, b = n;
    tms_q_strip(s, &a, &b);
    TMS_TRY(split_newline_runs(s, a, b, 2, &c->pieces));
    TMS_TRY(tms_q_find_duplicates(c, s, &c->pieces, &dups, &dup_chars));
    double x = (double)dups / (double)c->pieces.n;
    if (q->r_para_frac > 0) {
        TMS_TRY(tms_measure(doc, "dup_para_frac", x, q->r_para_frac, TMS_SCALE_FRAC, true));
        if (x > q->r_para_frac) return tms_reject(doc, v, "dup_para_frac", x, q->r_para_frac);
    }
    x = (double)dup_chars / L;
    if (q->r_para_char_frac > 0) {
        TMS_TRY(tms_measure(doc, "dup_para_char_frac", x, q->r_para_char_frac, TMS_SCALE_FRAC, true));
        if (x > q->r_para_char_frac) return tms_reject(doc, v, "dup_para_char_frac", x, q->r_para_char_frac);
    }

    /* lines */
    TMS_TRY(split_newline_runs(s, 0, n, 1, &c->pieces));
    TMS_TRY(tms_q_find_duplicates(c, s, &c->pieces, &dups, &dup_chars));
    x = (double)dups / (double)c->pieces.n;
    if (q->r_line_frac > 0) {
        TMS_TRY(tms_measure(doc, "dup_line_frac", x, q->r_line_frac, TMS_SCALE_FRAC, true));
        if (x > q->r_line_frac) return tms_reject(doc, v, "dup_line_frac", x, q->r_line_frac);
    }
    x = (double)dup_chars / L;
    if (q->r_line_char_frac > 0) {
        TMS_TRY(tms_measure(doc, "dup_line_char_frac", x, q->r_line_char_frac, TMS_SCALE_FRAC, true));
        if (x > q->r_line_char_frac) return tms_reject(doc, v, "dup_line_char_frac", x, q->r_line_char_frac);
    }

    /* words */
    if (!q->r_ntop && !q->r_ndup) return TAMIS_OK;
    tms_qlang lang;
    tms_q_lang(q, doc, &lang);
    ctr[C_TOKENIZER_FALLBACK] += lang.fallback;
    tms_spans words;
    TMS_TRY(tms_q_words(c, doc, lang.tok, s, n, &words));
    const tms_spans *w = &words;
    if (w->n >= UINT32_MAX) return TAMIS_E_TOO_BIG;
    TMS_TRY(word_arrays(c, s, n, w));
    /* counting passes from the smallest n to the largest any rule needs */
    size_t n1 = 0;
    for (size_t k = 0; k < q->r_ntop; k++)
        if (q->r_top[k].frac > 0) n1 = TMS_MAX(n1, (size_t)q->r_top[k].n);
    for (size_t k = 0; k < q->r_ndup; k++)
        if (q->r_dup[k].frac > 0) n1 = TMS_MAX(n1, (size_t)q->r_dup[k].n);
    if (!n1) return TAMIS_OK;
    double top_chars[21] = {0};
    uint32_t top_count[21] = {0};
    c->ndup = 0;
    TMS_TRY(word_ids(c, s, w, &top_chars[1], &top_count[1]));
    for (size_t g = 2; g <= n1 && g <= w->n; g++) TMS_TRY(tuple_pass(c, w, g, &top_chars[g], &top_count[g]));
    for (size_t k = 0; k < q->r_ntop; k++) {
        size_t g = (size_t)q->r_top[k].n;
        if (q->r_top[k].frac <= 0 || w->n < g) continue;
        /* tamis: an n-gram seen once is not repetition (the reference
         * scores the first n-gram of a short document, and rejects it) */
        if (q->rules == TMS_RULES_TAMIS && top_count[g] < 2) continue;
        x = top_chars[g] / L;
        TMS_TRY(tms_measure(doc, top_reasons[g], x, q->r_top[k].frac, TMS_SCALE_FRAC, true));
        if (x > q->r_top[k].frac) return tms_reject(doc, v, top_reasons[g], x, q->r_top[k].frac);
    }
    for (size_t k = 0; k < q->r_ndup; k++) {
        size_t g = (size_t)q->r_dup[k].n, rep;
        if (q->r_dup[k].frac <= 0) continue;
        TMS_TRY(dup_ngrams(c, s, w, g, &rep));
        x = (double)rep / L;
        TMS_TRY(tms_measure(doc, dup_reasons[g], x, q->r_dup[k].frac, TMS_SCALE_FRAC, true));
        if (x > q->r_dup[k].frac) return tms_reject(doc, v, dup_reasons[g], x, q->r_dup[k].frac);
    }
    return TAMIS_OK;
}

/* the n-gram reasons of the default --gopher-top-ngrams and --gopher-dup-ngrams */
static const tms_rule_info rules[] = {
    {"empty", NULL, "empty text (no repetition to measure)"},
    {"dup_para_frac", "gopher-dup-para-frac", "over 30% of the paragraphs repeat an earlier paragraph"},
    {"dup_para_char_frac", "gopher-dup-para-char-frac",
     "over 20% of the characters are in paragraphs that repeat an earlier one"},
    {"dup_line_frac", "gopher-dup-line-frac", "over 30% of the lines repeat an earlier line"},
    {"dup_line_char_frac", "gopher-dup-line-char-frac",
     "over 20% of the characters are in lines that repeat an earlier one"},
    {"top_2_gram", "gopher-top-ngrams", "the most frequent word 2-gram, repeated, covers over 20% of the characters"},
    {"top_3_gram", "gopher-top-ngrams", "the most frequent word 3-gram, repeated, covers over 18% of the characters"},
    {"top_4_gram", "gopher-top-ngrams", "the most frequent word 4-gram, repeated, covers over 16% of the characters"},
    {"duplicated_5_n_grams", "gopher-dup-ngrams", "over 15% of the characters are in repeats of word 5-grams"},
    {"duplicated_6_n_grams", "gopher-dup-ngrams", "over 14% of the characters are in repeats of word 6-grams"},
    {"duplicated_7_n_grams", "gopher-dup-ngrams", "over 13% of the characters are in repeats of word 7-grams"},
    {"duplicated_8_n_grams", "gopher-dup-ngrams", "over 12% of the characters are in repeats of word 8-grams"},
    {"duplicated_9_n_grams", "gopher-dup-ngrams", "over 11% of the characters are in repeats of word 9-grams"},
    {"duplicated_10_n_grams", "gopher-dup-ngrams", "over 10% of the characters are in repeats of word 10-grams"},
};

const tms_stage_vt tms_stage_gopher_repetition = {
    .name = "gopher_repetition",
    .description = "Gopher's repetition rules: duplicate paragraphs, lines and word n-grams",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = tms_q_worker_create,
    .worker_free = tms_q_worker_free,
    .process = process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
