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
#include <stdio.h>
#include <string.h>

enum { C_TOKENIZER_FALLBACK, C_N };
static const char *const counter_names[C_N] = {"tokenizer_fallback"};

#define B 0x100000001B3ull     /* polynomial hash base */

/* Per word: polynomial hash of its bytes (wh) and B^bytes (wb), so that the
 * hash of words joined without separator is a Horner fold over the words;
 * cpl[k] = code points before word k. */
static tamis_status word_arrays(tms_qctx *c, const char *s, const tms_spans *w)
{
    size_t need = w->n + 1;
    if (need > c->pcap) {
        size_t cap = need + need / 2;
        uint64_t *a = tms_realloc(c->wh, cap * 8);
        if (a) c->wh = a;
        uint64_t *b2 = a ? tms_realloc(c->wb, cap * 8) : NULL;
        if (b2) c->wb = b2;
        uint32_t *f = b2 ? tms_realloc(c->cpl, cap * 4) : NULL;
        if (f) c->cpl = f;
        uint32_t *g = f ? tms_realloc(c->wid, cap * 4) : NULL;
        if (g) c->wid = g;
        uint32_t *h = g ? tms_realloc(c->grp, cap * 4) : NULL;
        if (h) c->grp = h;
        uint8_t *l = h ? tms_realloc(c->level, cap) : NULL;
        if (l) c->level = l;
        if (!l) return TAMIS_E_NOMEM;
        c->pcap = cap;
    }
    uint32_t cpl = 0;
    for (size_t k = 0; k < w->n; k++) {
        const unsigned char *p = (const unsigned char *)s + w->v[k].off;
        uint64_t h = 0, bl = 1;
        uint32_t cps = 0;
        for (uint32_t i = 0; i < w->v[k].len; i++) {
            h = h * B + p[i] + 1;
            bl *= B;
            cps += (p[i] & 0xC0) != 0x80;
        }
        c->wh[k] = h;
        c->wb[k] = bl;
        c->cpl[k] = cpl;
        cpl += cps;
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

/* Dense word ids: wid[k] = position of the first occurrence of word k. */
static tamis_status word_ids(tms_qctx *c, const char *s, const tms_spans *w)
{
    TMS_TRY(tms_qset_reset(&c->set, w->n));
    word_eq e = {s, w->v, 0};
    for (size_t k = 0; k < w->n; k++) {
        e.cur = k;
        uint64_t h = c->wh[k] ^ ((uint64_t)w->v[k].len << 56);
        tms_qslot *sl = tms_qset_find(&c->set, h, word_equal, &e);
        if (!sl->count) {
            sl->h = h;
            sl->idx = (uint32_t)k;
        }
        sl->count++;
        c->wid[k] = sl->idx;
    }
    return TAMIS_OK;
}

/* One counting pass over the n-grams that can repeat: every position on the
 * first pass, then only those whose (n-1)-gram repeats. An n-gram is the
 * exact pair (group of its (n-1)-gram, id of its last word), so no hash is
 * trusted: the 64-bit key is the identity. grp[i] becomes the first position
 * of the n-gram at i; level[i] = n when that n-gram occurs again. The most
 * frequent n-gram (first seen wins a tie; without repeats the first one)
 * gives top_chars = len(" ".join(ngram)) * count. */
static tamis_status tuple_pass(tms_qctx *c, const tms_spans *w, size_t n, bool first, double *top_chars,
                               uint32_t *top_count)
{
    size_t count = w->n - n + 1, cand = 0;
    uint8_t *level = c->level;
    if (first) {
        cand = count;
    } else {
        for (size_t i = 0; i < count; i++) cand += level[i] >= n - 1;
    }
    uint32_t best = 1, best_idx = 0;
    if (cand) TMS_TRY(tms_qset_reset(&c->set, cand));
    for (size_t i = 0; i < count && cand; i++) {
        if (!first && level[i] < n - 1) continue;
        uint64_t left = n == 1 ? 0 : first ? c->wid[i] : c->grp[i];
        uint64_t key = (left << 32) | c->wid[i + n - 1];
        tms_qslot *sl = tms_qset_find(&c->set, key, key_equal, NULL);
        if (!sl->count) {
            sl->h = key;
            sl->idx = (uint32_t)i;
        }
        sl->count++;
        c->grp[i] = (uint32_t)(sl - c->set.v); /* slot for now: turned into the first position below */
        if (sl->count > best || (sl->count == best && sl->idx < best_idx)) {
            best = sl->count;
            best_idx = sl->idx;
        }
    }
    for (size_t i = 0; i < count && cand; i++) {
        if (!first && level[i] < n - 1) continue;
        const tms_qslot *sl = &c->set.v[c->grp[i]];
        c->grp[i] = sl->idx;
        if (sl->count >= 2) level[i] = (uint8_t)n;
    }
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
 * overlaps skipped. Positions whose n-gram never repeats as a word tuple
 * are stepped over without touching the set. */
static tamis_status dup_ngrams(tms_qctx *c, const char *s, const tms_spans *w, size_t n, size_t *repeated)
{
    *repeated = 0;
    if (w->n < n) return TAMIS_OK;
    size_t count = w->n - n + 1, cand = 0;
    uint8_t need = n >= 5 ? (uint8_t)n : 0; /* short windows: every position (see the top of the file) */
    for (size_t i = 0; i < count; i++) cand += c->level[i] >= need;
    if (!cand) return TAMIS_OK;
    TMS_TRY(tms_qset_reset(&c->set, cand));
    cat_eq e = {s, w->v, 0, n};
    size_t idx = 0;
    while (idx < count) {
        if (c->level[idx] < need) {
            idx++;
            continue;
        }
        uint64_t h = 0;
        for (size_t k = idx; k < idx + n; k++) h = h * c->wb[k] + c->wh[k];
        e.cur = idx;
        tms_qslot *sl = tms_qset_find(&c->set, h, concat_equal, &e);
        if (sl->count) {
            *repeated += c->cpl[idx + n] - c->cpl[idx];
            idx += n;
        } else {
            sl->h = h;
            sl->idx = (uint32_t)idx;
            sl->count = 1;
            idx++;
        }
    }
    return TAMIS_OK;
}

static tamis_status worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)global;
    return tms_q_create(cfg, (tms_qctx **)out);
}

static void worker_free(void *w) { tms_q_free(w); }

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
    if (q->r_para_frac > 0 && x > q->r_para_frac) return tms_reject(doc, v, "dup_para_frac", x, q->r_para_frac);
    x = (double)dup_chars / L;
    if (q->r_para_char_frac > 0 && x > q->r_para_char_frac)
        return tms_reject(doc, v, "dup_para_char_frac", x, q->r_para_char_frac);

    /* lines */
    TMS_TRY(split_newline_runs(s, 0, n, 1, &c->pieces));
    TMS_TRY(tms_q_find_duplicates(c, s, &c->pieces, &dups, &dup_chars));
    x = (double)dups / (double)c->pieces.n;
    if (q->r_line_frac > 0 && x > q->r_line_frac) return tms_reject(doc, v, "dup_line_frac", x, q->r_line_frac);
    x = (double)dup_chars / L;
    if (q->r_line_char_frac > 0 && x > q->r_line_char_frac)
        return tms_reject(doc, v, "dup_line_char_frac", x, q->r_line_char_frac);

    /* words */
    if (!q->r_ntop && !q->r_ndup) return TAMIS_OK;
    tms_qlang lang;
    tms_q_lang(q, doc, &lang);
    ctr[C_TOKENIZER_FALLBACK] += lang.fallback;
    tms_spans words;
    TMS_TRY(tms_q_words(c, doc, lang.tok, s, n, &words));
    const tms_spans *w = &words;
    if (w->n >= UINT32_MAX) return TAMIS_E_TOO_BIG;
    TMS_TRY(word_arrays(c, s, w));
    TMS_TRY(word_ids(c, s, w));
    /* counting passes from the smallest n to the largest any rule needs */
    size_t n0 = SIZE_MAX, n1 = 0;
    for (size_t k = 0; k < q->r_ntop; k++)
        if (q->r_top[k].frac > 0) n0 = TMS_MIN(n0, (size_t)q->r_top[k].n), n1 = TMS_MAX(n1, (size_t)q->r_top[k].n);
    for (size_t k = 0; k < q->r_ndup; k++)
        if (q->r_dup[k].frac > 0) n0 = TMS_MIN(n0, (size_t)q->r_dup[k].n), n1 = TMS_MAX(n1, (size_t)q->r_dup[k].n);
    if (!n1) return TAMIS_OK;
    n0 = TMS_MIN(n0, 2); /* the first pass is exact for n <= 2: later ones build on it */
    memset(c->level, (int)(n0 - 1), w->n);
    double top_chars[21] = {0};
    uint32_t top_count[21] = {0};
    for (size_t g = n0; g <= n1 && g <= w->n; g++)
        TMS_TRY(tuple_pass(c, w, g, g == n0, &top_chars[g], &top_count[g]));
    for (size_t k = 0; k < q->r_ntop; k++) {
        size_t g = (size_t)q->r_top[k].n;
        if (q->r_top[k].frac <= 0 || w->n < g) continue;
        /* tamis: an n-gram seen once is not repetition (the reference
         * scores the first n-gram of a short document, and rejects it) */
        if (q->rules == TMS_RULES_TAMIS && top_count[g] < 2) continue;
        x = top_chars[g] / L;
        if (x > q->r_top[k].frac) return tms_reject(doc, v, top_reasons[g], x, q->r_top[k].frac);
    }
    for (size_t k = 0; k < q->r_ndup; k++) {
        size_t g = (size_t)q->r_dup[k].n, rep;
        if (q->r_dup[k].frac <= 0) continue;
        TMS_TRY(dup_ngrams(c, s, w, g, &rep));
        x = (double)rep / L;
        if (x > q->r_dup[k].frac) return tms_reject(doc, v, dup_reasons[g], x, q->r_dup[k].frac);
    }
    return TAMIS_OK;
}

const tms_stage_vt tms_stage_gopher_repetition = {
    .name = "gopher_repetition",
    .description = "Gopher's repetition rules: duplicate paragraphs, lines and word n-grams",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = worker_create,
    .worker_free = worker_free,
    .process = process,
};
