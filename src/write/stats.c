/* stats.c -- the report's statistics: bounded sketches fed in input order
 * (see stats.h), written as stats.json. */
#include "stats.h"
#include "../core/alloc.h"
#include "../core/json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* ==== Fixed bins ==== */

#define COUNT_PER_DOUBLING 4
#define COUNT_BINS (COUNT_PER_DOUBLING * 41) /* up to 2^41: 2 TB */

size_t tms_hist_nbins(int scale)
{
    switch (scale) {
    case TMS_HIST_FRAC: return 100;
    case TMS_HIST_SCALE: return 80;
    default: return COUNT_BINS;
    }
}

size_t tms_hist_bin(int scale, double v)
{
    size_t n = tms_hist_nbins(scale);
    double b;
    if (!(v > 0)) return 0; /* also NaN */
    switch (scale) {
    case TMS_HIST_FRAC: b = v * 100 + 1e-9; break; /* 0.3 is in [0.30, 0.31) */
    case TMS_HIST_SCALE: b = v * 4; break;
    default: b = log2(v + 1) * COUNT_PER_DOUBLING; break;
    }
    return b >= (double)(n - 1) ? n - 1 : (size_t)b;
}

double tms_hist_lo(int scale, size_t bin)
{
    switch (scale) {
    case TMS_HIST_FRAC: return (double)bin / 100;
    case TMS_HIST_SCALE: return (double)bin / 4;
    default: return exp2((double)bin / COUNT_PER_DOUBLING) - 1;
    }
}

typedef struct hist {
    const char *sp, *rp;       /* the stage and reason strings first seen: the lookup compares pointers */
    char key[80];              /* "stage:reason" */
    int scale;
    bool upper;
    double threshold;
    uint64_t n;
    uint64_t *bins;
} hist;

/* ==== Samples: bottom-k by hash of the id ==== */

typedef struct sample {
    uint64_t h;
    char *id, *location, *excerpt, *lang;
    size_t bytes;
    bool has_value, cut;
    double value, threshold;
} sample;

typedef struct sample_set {
    const char *sp, *rp;
    char key[80];
    uint64_t offered;
    sample v[TMS_SAMPLE_K];    /* sorted by h */
    size_t n;
} sample_set;

/* ==== Removed lines: Space-Saving with lazy eviction ==== */

typedef struct topline {
    uint64_t h;
    uint64_t count, error;     /* the true count is in [count - error, count] */
    char stage[24];
    const char *reason;        /* static strings of the stage */
    char text[TMS_TOPLINE_BYTES + 1];
    size_t len;                /* of the whole line */
} topline;

/* TL_LIMIT counters; when they are all used, the lower half (by count) goes
 * at once and its highest count becomes the base every new line starts
 * from: amortized O(1) per line, no heap. */
#define TL_LIMIT (TMS_TOPLINES_CAP * 2)
#define TL_SLOTS (TL_LIMIT * 2) /* hash slots: index + 1, 0 = empty */

/* ==== Clusters ==== */

typedef struct cluster { uint64_t key; uint32_t stage; uint32_t dups; } cluster;

struct tms_stats {
    size_t nstages;
    uint64_t *docs_in, *bytes_in;    /* per stage */
    uint64_t docs, kept, bytes_read, bytes_kept;
    uint64_t *len_before, *len_after;
    hist hists[TMS_MAX_MEASURES];
    size_t nhists, hint;             /* hint: where the next measure likely is (documents measure in one order) */
    sample_set *samples;
    size_t nsamples;
    uint64_t samples_dropped;        /* documents of reasons past TMS_MAX_SAMPLE_KEYS */
    topline *tl;                     /* TL_LIMIT counters */
    size_t ntl;
    uint64_t tl_base;                /* the highest count evicted */
    uint32_t *slot;                  /* line hash -> index + 1 */
    uint64_t lines_removed;
    cluster *cl;                     /* open addressing on (stage, key) */
    size_t ncl, clcap;
    char stage_names[8][24];         /* stages with clusters */
    size_t nstage_names;
    tms_buf rules;                   /* "stage:reason": {...} members, ready to write */
};

tamis_status tms_stats_create(size_t nstages, tms_stats **out)
{
    tms_stats *s = tms_calloc(1, sizeof *s);
    if (!s) return TAMIS_E_NOMEM;
    *out = s;
    s->nstages = nstages;
    s->docs_in = tms_calloc(nstages + 1, sizeof *s->docs_in);
    s->bytes_in = tms_calloc(nstages + 1, sizeof *s->bytes_in);
    s->len_before = tms_calloc(COUNT_BINS, sizeof(uint64_t));
    s->len_after = tms_calloc(COUNT_BINS, sizeof(uint64_t));
    s->samples = tms_calloc(TMS_MAX_SAMPLE_KEYS, sizeof *s->samples);
    s->tl = tms_calloc(TL_LIMIT, sizeof *s->tl);
    s->slot = tms_calloc(TL_SLOTS, sizeof *s->slot);
    tms_buf_init(&s->rules, (size_t)16 << 20);
    if (!s->docs_in || !s->bytes_in || !s->len_before || !s->len_after || !s->samples || !s->tl || !s->slot) {
        tms_stats_free(s);
        *out = NULL;
        return TAMIS_E_NOMEM;
    }
    return TAMIS_OK;
}

static void sample_clear(sample *x)
{
    tms_free(x->id);
    tms_free(x->location);
    tms_free(x->excerpt);
    tms_free(x->lang);
    memset(x, 0, sizeof *x);
}

void tms_stats_free(tms_stats *s)
{
    if (!s) return;
    tms_free(s->docs_in);
    tms_free(s->bytes_in);
    tms_free(s->len_before);
    tms_free(s->len_after);
    for (size_t i = 0; i < s->nhists; i++) tms_free(s->hists[i].bins);
    for (size_t i = 0; i < s->nsamples; i++)
        for (size_t k = 0; k < s->samples[i].n; k++) sample_clear(&s->samples[i].v[k]);
    tms_free(s->samples);
    tms_free(s->tl);
    tms_free(s->slot);
    tms_free(s->cl);
    tms_buf_free(&s->rules);
    tms_free(s);
}

void tms_stats_doc(tms_stats *s, size_t entered, const size_t *len_at, size_t len_read, bool kept, size_t len_out)
{
    s->docs++;
    s->bytes_read += len_read;
    s->len_before[tms_hist_bin(TMS_HIST_COUNT, (double)len_read)]++;
    for (size_t si = 0; si < entered && si < s->nstages; si++) {
        s->docs_in[si]++;
        s->bytes_in[si] += len_at[si];
    }
    if (kept) {
        s->kept++;
        s->bytes_kept += len_out;
        s->len_after[tms_hist_bin(TMS_HIST_COUNT, (double)len_out)]++;
    }
}

static void make_key(char *key, size_t n, const char *stage, const char *reason)
{
    snprintf(key, n, "%s%s%s", stage, reason ? ":" : "", reason ? reason : "");
}

static hist *find_hist(tms_stats *s, const char *stage, const char *reason)
{
    size_t n = s->nhists;
    for (size_t k = 0; k < n; k++) { /* from the hint on: one step when documents measure in the same order */
        size_t i = (s->hint + k) % n;
        if (s->hists[i].sp == stage && s->hists[i].rp == reason) {
            s->hint = i + 1;
            return &s->hists[i];
        }
    }
    char key[80];
    make_key(key, sizeof key, stage, reason);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s->hists[i].key, key)) return &s->hists[i];
    return NULL;
}

tamis_status tms_stats_measure(tms_stats *s, const char *stage, const char *reason, double value, double threshold,
                               int scale, bool upper)
{
    hist *h = find_hist(s, stage, reason);
    if (!h) {
        if (s->nhists == TMS_MAX_MEASURES) return TAMIS_OK;
        h = &s->hists[s->nhists];
        h->bins = tms_calloc(tms_hist_nbins(scale), sizeof(uint64_t));
        if (!h->bins) return TAMIS_E_NOMEM;
        s->nhists++;
        make_key(h->key, sizeof h->key, stage, reason);
        h->sp = stage;
        h->rp = reason;
        h->scale = scale;
        h->upper = upper;
        h->threshold = threshold;
    }
    h->n++;
    h->bins[tms_hist_bin(h->scale, value)]++;
    return TAMIS_OK;
}

/* a copy of at most max bytes of p, cut at a character boundary */
static char *clip(const char *p, size_t n, size_t max, bool *cut)
{
    size_t m = n;
    if (m > max) {
        m = max;
        for (int k = 0; k < 3 && m > 0 && ((unsigned char)p[m] & 0xC0) == 0x80; k++) m--; /* a character's start */
    }
    if (cut) *cut = m < n;
    char *c = tms_malloc(m + 1);
    if (!c) return NULL;
    memcpy(c, p, m);
    c[m] = 0;
    return c;
}

tamis_status tms_stats_sample(tms_stats *s, const char *stage, const char *reason, const tms_sample_doc *d)
{
    sample_set *set = NULL;
    for (size_t i = 0; i < s->nsamples && !set; i++)
        if (s->samples[i].sp == stage && s->samples[i].rp == reason) set = &s->samples[i];
    if (!set) {
        char key[80];
        make_key(key, sizeof key, stage, reason);
        for (size_t i = 0; i < s->nsamples && !set; i++)
            if (!strcmp(s->samples[i].key, key)) set = &s->samples[i];
        if (!set) {
            if (s->nsamples == TMS_MAX_SAMPLE_KEYS) { s->samples_dropped++; return TAMIS_OK; }
            set = &s->samples[s->nsamples++];
            memcpy(set->key, key, sizeof key);
            set->sp = stage;
            set->rp = reason;
        }
    }
    set->offered++;
    uint64_t h = XXH3_64bits(d->id ? d->id : "", d->id ? d->id_len : 0);
    if (set->n == TMS_SAMPLE_K && h >= set->v[TMS_SAMPLE_K - 1].h) return TAMIS_OK;
    sample x = {.h = h, .bytes = d->len, .has_value = d->has_value, .value = d->value, .threshold = d->threshold};
    x.id = clip(d->id ? d->id : "", d->id ? d->id_len : 0, TMS_SAMPLE_ID_BYTES, NULL);
    x.location = d->location ? clip(d->location, strlen(d->location), TMS_SAMPLE_ID_BYTES, NULL) : NULL;
    x.excerpt = clip(d->text, d->len, TMS_EXCERPT_BYTES, &x.cut);
    x.lang = d->lang ? clip(d->lang, d->lang_len, 16, NULL) : NULL;
    if (!x.id || !x.excerpt || (d->location && !x.location) || (d->lang && !x.lang)) {
        sample_clear(&x);
        return TAMIS_E_NOMEM;
    }
    if (set->n == TMS_SAMPLE_K) sample_clear(&set->v[--set->n]);
    size_t at = set->n;
    while (at > 0 && set->v[at - 1].h > h) {
        set->v[at] = set->v[at - 1];
        at--;
    }
    set->v[at] = x;
    set->n++;
    return TAMIS_OK;
}

/* ---- Space-Saving ---- */

static size_t tl_find(const tms_stats *s, uint64_t h)
{
    size_t i = (size_t)h & (TL_SLOTS - 1);
    while (s->slot[i] && s->tl[s->slot[i] - 1].h != h) i = (i + 1) & (TL_SLOTS - 1);
    return i;
}

/* the k-th smallest of c[0..n) (quickselect, middle pivot: c is reordered) */
static uint64_t select_kth(uint64_t *c, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint64_t pivot = c[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (c[i] < pivot) i++;
            while (c[j] > pivot) j--;
            if (i <= j) {
                uint64_t t = c[i];
                c[i] = c[j];
                c[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return c[k];
    }
    return c[k];
}

/* all counters used: the lines counted at most the median go */
static tamis_status tl_purge(tms_stats *s)
{
    uint64_t *c = tms_malloc(s->ntl * sizeof *c);
    if (!c) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < s->ntl; i++) c[i] = s->tl[i].count;
    uint64_t t = select_kth(c, s->ntl, s->ntl / 2);
    tms_free(c);
    size_t k = 0;
    for (size_t i = 0; i < s->ntl; i++)
        if (s->tl[i].count > t) s->tl[k++] = s->tl[i];
    s->ntl = k;
    if (t > s->tl_base) s->tl_base = t;
    memset(s->slot, 0, TL_SLOTS * sizeof *s->slot);
    for (size_t i = 0; i < s->ntl; i++) s->slot[tl_find(s, s->tl[i].h)] = (uint32_t)i + 1;
    return TAMIS_OK;
}

tamis_status tms_stats_removed_line(tms_stats *s, const char *stage, const char *line, size_t len, const char *reason)
{
    /* the same line from a different stage or reason is a different entry */
    uint64_t h = XXH3_64bits_withSeed(line, len, XXH3_64bits(reason, strlen(reason)) ^ XXH3_64bits(stage, strlen(stage)));
    s->lines_removed++;
    size_t i = tl_find(s, h);
    if (s->slot[i]) {
        s->tl[s->slot[i] - 1].count++;
        return TAMIS_OK;
    }
    if (s->ntl == TL_LIMIT) {
        TMS_TRY(tl_purge(s));
        i = tl_find(s, h);
    }
    topline *t = &s->tl[s->ntl];
    t->h = h;
    t->count = s->tl_base + 1; /* it may have been counted, then evicted, up to base times */
    t->error = s->tl_base;
    snprintf(t->stage, sizeof t->stage, "%s", stage);
    t->reason = reason;
    size_t m = len;
    if (m > TMS_TOPLINE_BYTES) {
        m = TMS_TOPLINE_BYTES;
        for (int k = 0; k < 3 && m > 0 && ((unsigned char)line[m] & 0xC0) == 0x80; k++) m--;
    }
    memcpy(t->text, line, m);
    t->text[m] = 0;
    t->len = len;
    s->slot[i] = (uint32_t)++s->ntl;
    return TAMIS_OK;
}

/* ---- clusters ---- */

static uint32_t stage_id(tms_stats *s, const char *stage)
{
    for (size_t i = 0; i < s->nstage_names; i++)
        if (!strcmp(s->stage_names[i], stage)) return (uint32_t)i;
    if (s->nstage_names == 8) return 7;
    snprintf(s->stage_names[s->nstage_names], sizeof s->stage_names[0], "%s", stage);
    return (uint32_t)s->nstage_names++;
}

tamis_status tms_stats_duplicate(tms_stats *s, const char *stage, uint64_t key)
{
    uint32_t sid = stage_id(s, stage);
    if (2 * (s->ncl + 1) > s->clcap) {
        size_t ncap = s->clcap ? s->clcap * 2 : 1024;
        cluster *n = tms_calloc(ncap, sizeof *n);
        if (!n) return TAMIS_E_NOMEM;
        for (size_t i = 0; i < s->clcap; i++) {
            if (!s->cl[i].dups) continue;
            size_t j = (size_t)XXH3_64bits(&s->cl[i].key, 8) & (ncap - 1);
            while (n[j].dups) j = (j + 1) & (ncap - 1);
            n[j] = s->cl[i];
        }
        tms_free(s->cl);
        s->cl = n;
        s->clcap = ncap;
    }
    uint64_t k = key ^ ((uint64_t)sid << 58);
    size_t j = (size_t)XXH3_64bits(&k, 8) & (s->clcap - 1);
    while (s->cl[j].dups && !(s->cl[j].key == k && s->cl[j].stage == sid)) j = (j + 1) & (s->clcap - 1);
    if (!s->cl[j].dups) {
        s->cl[j] = (cluster){k, sid, 0};
        s->ncl++;
    }
    s->cl[j].dups++;
    return TAMIS_OK;
}

tamis_status tms_stats_rule(tms_stats *s, const char *stage, const char *reason, const char *option, const char *value,
                            const char *defval, const char *text)
{
    char key[80];
    make_key(key, sizeof key, stage, reason);
    tms_buf *b = &s->rules;
    TMS_TRY(tms_buf_adds(b, b->len ? ",\n    " : "\n    "));
    TMS_TRY(tms_json_put_string(b, key, strlen(key), NULL));
    TMS_TRY(tms_buf_adds(b, ": {\"text\": "));
    TMS_TRY(tms_json_put_string(b, text, strlen(text), NULL));
    if (option) {
        TMS_TRY(tms_buf_adds(b, ", \"option\": "));
        TMS_TRY(tms_json_put_string(b, option, strlen(option), NULL));
        TMS_TRY(tms_buf_adds(b, ", \"value\": "));
        TMS_TRY(value ? tms_json_put_string(b, value, strlen(value), NULL) : tms_buf_adds(b, "null"));
        if (defval) {
            TMS_TRY(tms_buf_adds(b, ", \"default\": "));
            TMS_TRY(tms_json_put_string(b, defval, strlen(defval), NULL));
        }
    }
    return tms_buf_addc(b, '}');
}

/* ==== stats.json ==== */

static tamis_status put_str(tms_buf *b, const char *s) { return tms_json_put_string(b, s, strlen(s), NULL); }

/* a measured value or threshold (a merge keeps the first part's "threshold") */
static tamis_status put_fixed(tms_buf *b, double v)
{
    return isfinite(v) ? tms_json_put_double(b, v) : tms_buf_adds(b, "null");
}

/* bins as {"index": count}, the empty ones left out (a merge adds them key by key) */
static tamis_status put_bins(tms_buf *b, const uint64_t *bins, size_t n)
{
    TMS_TRY(tms_buf_addc(b, '{'));
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!bins[i]) continue;
        TMS_TRY(tms_buf_printf(b, "%s\"%zu\": %llu", first ? "" : ", ", i, (unsigned long long)bins[i]));
        first = false;
    }
    return tms_buf_addc(b, '}');
}

static const char *scale_name(int scale)
{
    return scale == TMS_HIST_FRAC ? "frac" : scale == TMS_HIST_SCALE ? "scale" : "count";
}

static int cmp_topline(const void *a, const void *b)
{
    const topline *x = *(const topline *const *)a, *y = *(const topline *const *)b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return x->h < y->h ? -1 : x->h > y->h;
}

tamis_status tms_stats_write(const tms_stats *s, const char *const *stage_names, tms_buf *b)
{
    TMS_TRY(tms_buf_adds(b, "{\n  \"format\": \"tamis-stats-1\",\n  \"stages\": ["));
    for (size_t si = 0; si < s->nstages; si++) {
        TMS_TRY(tms_buf_adds(b, si ? ",\n    {\"name\": " : "\n    {\"name\": "));
        TMS_TRY(put_str(b, stage_names[si]));
        TMS_TRY(tms_buf_printf(b, ", \"docs_in\": %llu, \"bytes_in\": %llu}", (unsigned long long)s->docs_in[si],
                               (unsigned long long)s->bytes_in[si]));
    }
    TMS_TRY(tms_buf_printf(b, "\n  ],\n  \"docs\": %llu,\n  \"docs_kept\": %llu,\n  \"bytes_read\": %llu,\n"
                              "  \"bytes_kept\": %llu,\n  \"length_before\": ",
                           (unsigned long long)s->docs, (unsigned long long)s->kept,
                           (unsigned long long)s->bytes_read, (unsigned long long)s->bytes_kept));
    TMS_TRY(put_bins(b, s->len_before, COUNT_BINS));
    TMS_TRY(tms_buf_adds(b, ",\n  \"length_after\": "));
    TMS_TRY(put_bins(b, s->len_after, COUNT_BINS));
    TMS_TRY(tms_buf_adds(b, ",\n  \"measures\": {"));
    for (size_t i = 0; i < s->nhists; i++) {
        const hist *h = &s->hists[i];
        TMS_TRY(tms_buf_adds(b, i ? ",\n    " : "\n    "));
        TMS_TRY(put_str(b, h->key));
        TMS_TRY(tms_buf_adds(b, ": {\"scale\": "));
        TMS_TRY(put_str(b, scale_name(h->scale)));
        TMS_TRY(tms_buf_adds(b, ", \"rejects\": "));
        TMS_TRY(put_str(b, h->upper ? "above" : "below"));
        TMS_TRY(tms_buf_adds(b, ", \"threshold\": "));
        TMS_TRY(put_fixed(b, h->threshold));
        TMS_TRY(tms_buf_printf(b, ", \"n\": %llu, \"bins\": ", (unsigned long long)h->n));
        TMS_TRY(put_bins(b, h->bins, tms_hist_nbins(h->scale)));
        TMS_TRY(tms_buf_addc(b, '}'));
    }
    TMS_TRY(tms_buf_adds(b, s->nhists ? "\n  },\n  \"samples\": {" : "},\n  \"samples\": {"));
    for (size_t i = 0; i < s->nsamples; i++) {
        const sample_set *set = &s->samples[i];
        TMS_TRY(tms_buf_adds(b, i ? ",\n    " : "\n    "));
        TMS_TRY(put_str(b, set->key));
        TMS_TRY(tms_buf_printf(b, ": {\"offered\": %llu, \"docs\": [", (unsigned long long)set->offered));
        for (size_t k = 0; k < set->n; k++) {
            const sample *x = &set->v[k];
            TMS_TRY(tms_buf_printf(b, "%s\n      {\"h\": \"%016llx\", \"id\": ", k ? "," : "", (unsigned long long)x->h));
            TMS_TRY(put_str(b, x->id));
            if (x->location) {
                TMS_TRY(tms_buf_adds(b, ", \"location\": "));
                TMS_TRY(put_str(b, x->location));
            }
            if (x->lang) {
                TMS_TRY(tms_buf_adds(b, ", \"language\": "));
                TMS_TRY(put_str(b, x->lang));
            }
            TMS_TRY(tms_buf_printf(b, ", \"bytes\": %zu", x->bytes));
            if (x->has_value) {
                TMS_TRY(tms_buf_adds(b, ", \"value\": "));
                TMS_TRY(put_fixed(b, x->value));
                TMS_TRY(tms_buf_adds(b, ", \"threshold\": "));
                TMS_TRY(put_fixed(b, x->threshold));
            }
            TMS_TRY(tms_buf_adds(b, ", \"excerpt\": "));
            TMS_TRY(put_str(b, x->excerpt));
            TMS_TRY(tms_buf_printf(b, ", \"cut\": %s}", x->cut ? "true" : "false"));
        }
        TMS_TRY(tms_buf_adds(b, "]}"));
    }
    TMS_TRY(tms_buf_printf(b, "%s},\n  \"samples_not_kept\": %llu,\n  \"lines_removed\": %llu,\n",
                           s->nsamples ? "\n  " : "", (unsigned long long)s->samples_dropped,
                           (unsigned long long)s->lines_removed));
    /* the most frequent removed lines, most counted first; a line not written was counted at most
     * removed_lines_floor times (what a merge adds to the count and error of a line a part lacks) */
    const topline **order = tms_malloc((s->ntl + 1) * sizeof *order);
    if (!order) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < s->ntl; i++) order[i] = &s->tl[i];
    qsort(order, s->ntl, sizeof order[0], cmp_topline);
    size_t nout = s->ntl < TMS_TOPLINES_OUT ? s->ntl : TMS_TOPLINES_OUT;
    uint64_t floor = s->tl_base;
    if (nout < s->ntl && order[nout]->count > floor) floor = order[nout]->count;
    tamis_status st = tms_buf_printf(b, "  \"removed_lines_floor\": %llu,\n  \"removed_lines\": [", (unsigned long long)floor);

    for (size_t i = 0; i < nout && st == TAMIS_OK; i++) {
        const topline *t = order[i];
        st = tms_buf_adds(b, i ? ",\n    {\"stage\": " : "\n    {\"stage\": ");
        if (st == TAMIS_OK) st = put_str(b, t->stage);
        if (st == TAMIS_OK) st = tms_buf_adds(b, ", \"reason\": ");
        if (st == TAMIS_OK) st = put_str(b, t->reason);
        if (st == TAMIS_OK)
            st = tms_buf_printf(b, ", \"count\": %llu, \"error\": %llu, \"bytes\": %zu, \"text\": ",
                                (unsigned long long)t->count, (unsigned long long)t->error, t->len);
        if (st == TAMIS_OK) st = put_str(b, t->text);
        if (st == TAMIS_OK) st = tms_buf_addc(b, '}');
    }
    tms_free(order);
    TMS_TRY(st);
    TMS_TRY(tms_buf_adds(b, nout ? "\n  ],\n  \"cluster_sizes\": {" : "],\n  \"cluster_sizes\": {"));
    for (size_t sid = 0; sid < s->nstage_names; sid++) {
        /* sizes up to 64 exactly, then by doubling */
        uint64_t sizes[64 + 40] = {0};
        for (size_t i = 0; i < s->clcap; i++) {
            if (!s->cl[i].dups || s->cl[i].stage != sid) continue;
            uint64_t size = (uint64_t)s->cl[i].dups + 1;
            size_t bin = size <= 64 ? (size_t)size : 65 + (size_t)log2((double)size / 64);
            if (bin >= TMS_ARRAY_LEN(sizes)) bin = TMS_ARRAY_LEN(sizes) - 1;
            sizes[bin]++;
        }
        TMS_TRY(tms_buf_adds(b, sid ? ",\n    " : "\n    "));
        TMS_TRY(put_str(b, s->stage_names[sid]));
        TMS_TRY(tms_buf_adds(b, ": {"));
        bool first = true;
        for (size_t k = 0; k < TMS_ARRAY_LEN(sizes); k++) {
            if (!sizes[k]) continue;
            uint64_t lo = k <= 65 ? k : (uint64_t)64 << (k - 65); /* 65: 65-127, 66: 128-255, ... */
            TMS_TRY(tms_buf_printf(b, "%s\"%llu\": %llu", first ? "" : ", ", (unsigned long long)lo,
                                   (unsigned long long)sizes[k]));
            first = false;
        }
        TMS_TRY(tms_buf_addc(b, '}'));
    }
    TMS_TRY(tms_buf_adds(b, s->nstage_names ? "\n  },\n  \"rules\": {" : "},\n  \"rules\": {"));
    TMS_TRY(tms_buf_add(b, s->rules.data ? s->rules.data : "", s->rules.len));
    return tms_buf_adds(b, s->rules.len ? "\n  }\n}\n" : "}\n}\n");
}
