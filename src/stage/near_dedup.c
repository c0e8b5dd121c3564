/*
 * near_dedup.c -- the `near_dedup` stage: MinHash LSH near-duplicate removal,
 * with datatrove's signatures (text/minhash.h) and an explicit keep policy.
 *
 * It always runs a corpus pass (the pipeline's, see docs/internals/PIPELINE.md):
 *  - observe(), in parallel: the document's signature -> its 14 band keys
 *    (XXH3 of each band's 8 hashes) and, with verification on, a 1-bit
 *    sketch (the low bit of each of the 112 hashes);
 *  - observe_commit(), in input order: document i looks each band key up in
 *    that band's table; a hit names an earlier document e sharing the whole
 *    band: a candidate pair. With verification, the pair is an edge only
 *    when the sketches estimate Jaccard >= --near-verify-threshold (b-bit
 *    minwise hashing: P(bits equal) = (1 + J) / 2); else it always is. A
 *    missing key is inserted (key -> i); a present one is left alone.
 * After the pass (at the first commit of the real pass) the edges are joined
 * by union-find under the keep policy:
 *   first      the earliest document of a cluster is kept;
 *   longest    the longest (text as it reached the stage), ties earliest;
 *   reference  datatrove's: pairs chained per band in document order, union
 *              by set size, a tie won by the root of the pair's earlier doc.
 * In the real pass, commit() numbers the documents the same way and rejects
 * every document that is not its cluster's root as `near_duplicate`, with
 * duplicate_of = the root's input position; kept documents get
 * minhash_cluster_id (the root's number among the documents the stage saw)
 * and minhash_cluster_size.
 *
 * Memory during the pass: per band, 256 tables of 8-byte slots (32 bits of
 * the key beyond the 8 that pick the table, and the document number), grown
 * by 1.2x at 90 % load: 14 x 8 / (0.75 to 0.9) = 124 to 149 bytes per
 * document, plus 14 bytes of sketch with verification on, about 1.3 bytes
 * of input position, plus 12 bytes per edge (duplicates only). A key is 40 bits: two unrelated documents share a band key by
 * accident with probability about n / 2^40 per band (1.3e-4 per document
 * at n = 10^8 over 14 bands); verification rejects those, datatrove-current
 * (no verification) keeps them.
 */
#include "stage.h"
#include "near_dedup.h"
#include "quality.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/config.h"
#include "../text/minhash.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

enum { C_NO_SIGNATURE, C_CANDIDATES, C_UNVERIFIED, C_CLUSTERS, C_N };
static const char *const counter_names[C_N] = {"no_signature", "candidate_pairs", "pairs_rejected_by_verification",
                                                "clusters"};

enum { KEEP_FIRST, KEEP_LONGEST, KEEP_REFERENCE };
#define NSUB 256
#define SKETCH_BYTES(nh) (((nh) + 7) / 8)

typedef struct band_sub {
    uint64_t *slot; /* (key rest << 32) | doc; 0 = empty (a rest of 0 is stored as 1) */
    uint32_t cap, used;
} band_sub;

typedef struct edge {
    uint32_t e, i;      /* e < i */
    uint8_t band;
} edge;

/* the input positions of all documents, in order: varints of the
 * differences (1 byte for consecutive JSONL lines), with the position and
 * byte offset of every POS_EVERY-th document */
#define POS_EVERY 64
typedef struct poslog {
    unsigned char *bytes;
    size_t len, cap;
    struct { uint64_t pos; size_t off; } *mark;
    size_t nmark, mark_cap;
    uint64_t last;
} poslog;

typedef struct nd_global {
    tms_minhash_params params;
    size_t bands, rows;
    tms_quality_config q;
    int keep;
    bool verify;
    double verify_threshold;
    /* the pass */
    band_sub *sub;          /* bands * NSUB */
    uint32_t ndocs;
    unsigned char *sketch;  /* ndocs * SKETCH_BYTES, with verification */
    size_t sketch_cap;
    uint32_t *len;          /* keep longest: text bytes per document */
    size_t len_cap;
    edge *edges;
    size_t nedges, edges_cap;
    poslog pos;             /* every document's input position */
    uint64_t candidates, unverified, nosig, keys;
    /* after the pass */
    bool finalized;
    uint32_t *parent;       /* cluster root of each document */
    uint32_t *size;         /* cluster size, valid at roots */
    uint32_t next;          /* documents committed in the real pass */
    uint64_t table_bytes_peak;
    /* the sharded steps (--dedup-step) */
    int mode;               /* 0 in process, 1 sign, 2 apply */
    uint8_t *has_sig;       /* sign: per document */
    size_t has_sig_cap;
    uint64_t *pos_key;      /* sign: per document */
    size_t pos_key_cap;
    tms_nd_rec *rec[64];    /* sign: per band, (key, document) */
    size_t nrec[64], rec_cap[64];
    tms_nd_decisions dec;   /* apply */
    bool has_dec;
} nd_global;

typedef struct nd_worker {
    nd_global *g;
    tms_buf simple, scratch, shingle;
    tms_spans words;
    uint64_t sig[TMS_MINHASH_MAX];
} nd_worker;

/* what observe() leaves in the document's arena */
typedef struct nd_obs {
    bool has_sig;
    uint32_t len;
    uint64_t band[64];
    unsigned char sketch[SKETCH_BYTES(TMS_MINHASH_MAX)];
} nd_obs;

static tamis_status nd_global_create(const tms_config *cfg, void **out)
{
    nd_global *g = tms_calloc(1, sizeof *g);
    if (!g) return TAMIS_E_NOMEM;
    g->bands = cfg->minhash_bands;
    g->rows = cfg->minhash_rows;
    tms_minhash_params_init(&g->params, cfg->minhash_seed, g->bands * g->rows, cfg->minhash_ngram,
                            cfg->minhash_sha1 ? TMS_SHINGLE_SHA1 : TMS_SHINGLE_XXH64);
    g->q = cfg->q;
    g->keep = cfg->near_keep;
    g->verify = cfg->near_verify;
    g->verify_threshold = cfg->near_verify_threshold;
    g->mode = cfg->dedup_step;
    g->sub = tms_calloc(g->bands * NSUB, sizeof *g->sub);
    if (!g->sub) {
        tms_free(g);
        return TAMIS_E_NOMEM;
    }
    *out = g;
    return TAMIS_OK;
}

static void free_tables(nd_global *g)
{
    if (!g->sub) return;
    for (size_t i = 0; i < g->bands * NSUB; i++) tms_free(g->sub[i].slot);
    tms_free(g->sub);
    g->sub = NULL;
    tms_free(g->sketch);
    g->sketch = NULL;
}

static void nd_global_free(void *global)
{
    nd_global *g = global;
    if (!g) return;
    free_tables(g);
    tms_free(g->len);
    tms_free(g->edges);
    tms_free(g->pos.bytes);
    tms_free(g->pos.mark);
    tms_free(g->parent);
    tms_free(g->size);
    tms_free(g->has_sig);
    tms_free(g->pos_key);
    for (int b = 0; b < 64; b++) tms_free(g->rec[b]);
    tms_nd_decisions_free(&g->dec);
    tms_free(g);
}

void tms_nd_decisions_free(tms_nd_decisions *d)
{
    tms_free(d->root);
    tms_free(d->size);
    tms_free(d->dup_off);
    tms_free(d->dup_text);
    memset(d, 0, sizeof *d);
}

void tms_near_dedup_set_decisions(void *global, tms_nd_decisions *d)
{
    nd_global *g = global;
    tms_nd_decisions_free(&g->dec);
    g->dec = *d;
    g->has_dec = true;
    memset(d, 0, sizeof *d);
}

void tms_near_dedup_export(void *global, tms_nd_sign *out, const uint64_t **pos_key)
{
    nd_global *g = global;
    memset(out, 0, sizeof *out);
    out->params = (tms_nd_params){(uint32_t)g->keep, g->verify, (uint32_t)g->params.nhashes, (uint32_t)g->bands,
                                  g->verify_threshold};
    out->ndocs = g->ndocs;
    out->has_sig = g->has_sig;
    out->len = g->len;
    out->sketch = g->sketch;
    out->band = g->rec;
    out->nband = g->nrec;
    *pos_key = g->pos_key;
}

static tamis_status nd_worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)cfg;
    nd_worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    w->g = global;
    tms_buf_init(&w->simple, (size_t)1 << 40);
    tms_buf_init(&w->scratch, (size_t)1 << 40);
    tms_buf_init(&w->shingle, (size_t)1 << 40);
    *out = w;
    return TAMIS_OK;
}

static void nd_worker_free(void *worker)
{
    nd_worker *w = worker;
    if (!w) return;
    tms_buf_free(&w->simple);
    tms_buf_free(&w->scratch);
    tms_buf_free(&w->shingle);
    tms_spans_free(&w->words);
    tms_free(w);
}

/* the word splitter of the rule set: datatrove's spaCy (en, or fr for French
 * documents), NLTK for fineweb-2024, else tamis's */
static tms_tokenizer tokenizer_of(const nd_global *g, tms_doc *doc)
{
    if (g->q.rules == TMS_RULES_TAMIS) return TMS_TOK_TAMIS;
    if (g->q.rules == TMS_RULES_FINEWEB2024) return TMS_TOK_NLTK;
    tms_qlang l;
    tms_q_lang(&g->q, doc, &l);
    return !strcmp(l.primary, "fr") ? TMS_TOK_SPACY_FR : TMS_TOK_SPACY_EN;
}

/* ==== the pass ==== */

static tamis_status nd_observe(void *worker, tms_doc *doc)
{
    nd_worker *w = worker;
    nd_global *g = w->g;
    nd_obs *o = tms_arena_alloc(doc->arena, sizeof *o);
    if (!o) return TAMIS_E_NOMEM;
    memset(o, 0, offsetof(nd_obs, band));
    memset(o->sketch, 0, sizeof o->sketch);
    o->len = (uint32_t)TMS_MIN(doc->len, UINT32_MAX);
    TMS_TRY(tms_minhash_simplify(doc->text, doc->len, &w->simple, &w->scratch));
    TMS_TRY(tms_words(tokenizer_of(g, doc), w->simple.data ? w->simple.data : "", w->simple.len, &w->words));
    TMS_TRY(tms_minhash_signature(&g->params, w->simple.data, w->words.v, w->words.n, w->sig, &o->has_sig, &w->shingle));
    if (o->has_sig) {
        for (size_t b = 0; b < g->bands; b++) o->band[b] = XXH3_64bits(w->sig + b * g->rows, g->rows * sizeof(uint64_t));
        if (g->verify || g->mode == TMS_STEP_SIGN) {
            memset(o->sketch, 0, SKETCH_BYTES(g->params.nhashes));
            for (size_t i = 0; i < g->params.nhashes; i++) o->sketch[i / 8] |= (unsigned char)((w->sig[i] & 1) << (i % 8));
        }
    }
    doc->pass_data = o;
    doc->pass_len = sizeof *o;
    return TAMIS_OK;
}

static inline size_t home_of(uint32_t rest, uint32_t cap) { return (size_t)(((uint64_t)rest * 0x9E3779B1u) % cap); }

static tamis_status sub_grow(band_sub *s)
{
    uint32_t ncap = s->cap ? s->cap + s->cap / 5 + 1 : 16;
    uint64_t *n = tms_calloc(ncap, sizeof *n);
    if (!n) return TAMIS_E_NOMEM;
    for (uint32_t k = 0; k < s->cap; k++) {
        uint64_t v = s->slot[k];
        if (!v) continue;
        size_t h = home_of((uint32_t)(v >> 32), ncap);
        while (n[h]) h = h + 1 == ncap ? 0 : h + 1;
        n[h] = v;
    }
    tms_free(s->slot);
    s->slot = n;
    s->cap = ncap;
    return TAMIS_OK;
}

/* the band key as the index compares it: 40 bits (the 8 that pick the
 * sub-table and 32 more, 0 stored as 1) -- the sharded steps compare the same */
static inline uint64_t key40(uint64_t key)
{
    uint32_t rest = (uint32_t)(key >> 8);
    return (uint64_t)(rest ? rest : 1) << 8 | (key & 0xFF);
}

/* the document that first had this band key, or inserts doc and says none */
static tamis_status band_lookup(band_sub *s, uint64_t key, uint32_t doc, uint32_t *first, bool *found)
{
    uint32_t rest = (uint32_t)(key40(key) >> 8);
    *found = false;
    if (s->cap) {
        for (size_t h = home_of(rest, s->cap);; h = h + 1 == s->cap ? 0 : h + 1) {
            uint64_t v = s->slot[h];
            if (!v) break;
            if ((uint32_t)(v >> 32) == rest) {
                *first = (uint32_t)v;
                *found = true;
                return TAMIS_OK;
            }
        }
    }
    if ((uint64_t)(s->used + 1) * 10 > (uint64_t)s->cap * 9) TMS_TRY(sub_grow(s));
    size_t h = home_of(rest, s->cap);
    while (s->slot[h]) h = h + 1 == s->cap ? 0 : h + 1;
    s->slot[h] = (uint64_t)rest << 32 | doc;
    s->used++;
    return TAMIS_OK;
}

static tamis_status log_pos(poslog *l, uint32_t idx, uint64_t pos)
{
    if (idx % POS_EVERY == 0) {
        if (TMS_RESERVE(l->mark, l->mark_cap, l->nmark + 1) != 0) return TAMIS_E_NOMEM;
        l->mark[l->nmark].pos = pos;
        l->mark[l->nmark++].off = l->len;
        l->last = pos;
        return TAMIS_OK;
    }
    if (TMS_RESERVE(l->bytes, l->cap, l->len + 10) != 0) return TAMIS_E_NOMEM;
    uint64_t d = pos - l->last; /* positions only grow (UINT64_MAX, too large, wraps harmlessly) */
    l->last = pos;
    do {
        l->bytes[l->len++] = (unsigned char)((d & 0x7F) | (d > 0x7F ? 0x80 : 0));
        d >>= 7;
    } while (d);
    return TAMIS_OK;
}

static uint64_t pos_at(const poslog *l, uint32_t idx)
{
    uint64_t pos = l->mark[idx / POS_EVERY].pos;
    size_t off = l->mark[idx / POS_EVERY].off;
    for (uint32_t k = 0; k < idx % POS_EVERY; k++) {
        uint64_t d = 0;
        int shift = 0;
        unsigned char c;
        do {
            c = l->bytes[off++];
            d |= (uint64_t)(c & 0x7F) << shift;
            shift += 7;
        } while (c & 0x80);
        pos += d;
    }
    return pos;
}

static tamis_status nd_observe_commit(void *global, tms_doc *doc)
{
    nd_global *g = global;
    const nd_obs *o = doc->pass_data;
    if (g->ndocs == UINT32_MAX) return TAMIS_E_TOO_BIG;
    uint32_t i = g->ndocs++;
    TMS_TRY(log_pos(&g->pos, i, doc->rec.pos_key));
    if (g->mode == TMS_STEP_SIGN) { /* sign: everything, for the later steps */
        size_t sb = SKETCH_BYTES(g->params.nhashes);
        if (TMS_RESERVE(g->has_sig, g->has_sig_cap, g->ndocs) != 0 || TMS_RESERVE(g->pos_key, g->pos_key_cap, g->ndocs) != 0 ||
            TMS_RESERVE(g->len, g->len_cap, g->ndocs) != 0 || TMS_RESERVE(g->sketch, g->sketch_cap, (size_t)g->ndocs * sb) != 0)
            return TAMIS_E_NOMEM;
        g->has_sig[i] = o->has_sig;
        g->pos_key[i] = doc->rec.pos_key;
        g->len[i] = o->len;
        memcpy(g->sketch + (size_t)i * sb, o->sketch, sb);
        if (!o->has_sig) return TAMIS_OK;
        for (size_t b = 0; b < g->bands; b++) {
            if (TMS_RESERVE(g->rec[b], g->rec_cap[b], g->nrec[b] + 1) != 0) return TAMIS_E_NOMEM;
            g->rec[b][g->nrec[b]++] = (tms_nd_rec){key40(o->band[b]), i};
        }
        return TAMIS_OK;
    }
    if (g->keep == KEEP_LONGEST) {
        if (TMS_RESERVE(g->len, g->len_cap, g->ndocs) != 0) return TAMIS_E_NOMEM;
        g->len[i] = o->len;
    }
    size_t sb = SKETCH_BYTES(g->params.nhashes);
    if (g->verify) {
        if (TMS_RESERVE(g->sketch, g->sketch_cap, (size_t)g->ndocs * sb) != 0) return TAMIS_E_NOMEM;
        memcpy(g->sketch + (size_t)i * sb, o->sketch, sb);
    }
    if (!o->has_sig) {
        g->nosig++;
        return TAMIS_OK;
    }
    for (size_t b = 0; b < g->bands; b++) {
        uint64_t key = o->band[b];
        uint32_t e;
        bool found;
        TMS_TRY(band_lookup(&g->sub[b * NSUB + (key & 0xFF)], key, i, &e, &found));
        if (!found) {
            g->keys++;
            continue;
        }
        g->candidates++;
        if (g->verify) {
            const unsigned char *se = g->sketch + (size_t)e * sb, *si = o->sketch;
            size_t same = 0;
            for (size_t k = 0; k < g->params.nhashes; k++) same += ((se[k / 8] ^ si[k / 8]) >> (k % 8) & 1) == 0;
            double j = 2.0 * (double)same / (double)g->params.nhashes - 1.0;
            if (j < g->verify_threshold) {
                g->unverified++;
                continue;
            }
        }
        if (TMS_RESERVE(g->edges, g->edges_cap, g->nedges + 1) != 0) return TAMIS_E_NOMEM;
        g->edges[g->nedges++] = (edge){e, i, (uint8_t)b};
    }
    return TAMIS_OK;
}

static bool nd_wants_pass(void *global)
{
    return ((nd_global *)global)->mode != TMS_STEP_APPLY; /* apply takes the cluster step's decisions */
}

static uint64_t table_bytes(const nd_global *g)
{
    uint64_t n = 0;
    if (g->sub)
        for (size_t i = 0; i < g->bands * NSUB; i++) n += (uint64_t)g->sub[i].cap * sizeof(uint64_t);
    if (g->verify) n += (uint64_t)g->ndocs * SKETCH_BYTES(g->params.nhashes);
    if (g->keep == KEEP_LONGEST) n += (uint64_t)g->ndocs * sizeof(uint32_t);
    return n + g->nedges * sizeof(edge) + g->pos.cap + g->pos.mark_cap * sizeof *g->pos.mark;
}

static void nd_pass_stats(void *global, uint64_t *docs, uint64_t *keys, uint64_t *bytes)
{
    nd_global *g = global;
    *docs = g->ndocs;
    *keys = g->keys;
    *bytes = g->finalized ? g->table_bytes_peak : table_bytes(g);
}

/* ==== clusters ==== */

uint32_t tms_nd_find(uint32_t *parent, uint32_t x)
{
    uint32_t r = x;
    while (parent[r] != r) r = parent[r];
    while (parent[x] != r) {
        uint32_t nx = parent[x];
        parent[x] = r;
        x = nx;
    }
    return r;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->band != y->band) return x->band < y->band ? -1 : 1;
    if (x->e != y->e) return x->e < y->e ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

void tms_nd_join(int keep, uint32_t *parent, uint32_t *size, const uint32_t *len, uint32_t x, uint32_t y)
{
    uint32_t rx = tms_nd_find(parent, x), ry = tms_nd_find(parent, y);
    if (rx == ry) return;
    uint32_t root;
    if (keep == KEEP_REFERENCE)
        root = size[rx] > size[ry] ? rx : size[ry] > size[rx] ? ry : rx;
    else if (keep == KEEP_LONGEST)
        root = len[rx] > len[ry] ? rx : len[ry] > len[rx] ? ry : (rx < ry ? rx : ry);
    else
        root = rx < ry ? rx : ry;
    uint32_t other = root == rx ? ry : rx;
    parent[other] = root;
    size[root] += size[other];
}

static tamis_status finalize(nd_global *g)
{
    g->table_bytes_peak = table_bytes(g);
    free_tables(g);
    g->finalized = true;
    size_t n = g->ndocs ? g->ndocs : 1;
    g->parent = tms_malloc(n * sizeof *g->parent);
    g->size = tms_malloc(n * sizeof *g->size);
    if (!g->parent || !g->size) return TAMIS_E_NOMEM;
    for (uint32_t k = 0; k < g->ndocs; k++) g->parent[k] = k, g->size[k] = 1;
    /* datatrove's order: band by band; within a band, the documents sharing
     * a key chained in document order (each edge is (first holder, later)) */
    if (g->nedges) qsort(g->edges, g->nedges, sizeof *g->edges, cmp_edge);
    for (size_t k = 0; k < g->nedges; k++) {
        const edge *x = &g->edges[k];
        bool chained = k > 0 && g->edges[k - 1].band == x->band && g->edges[k - 1].e == x->e;
        tms_nd_join(g->keep, g->parent, g->size, g->len, chained ? g->edges[k - 1].i : x->e, x->i);
    }
    for (uint32_t k = 0; k < g->ndocs; k++) g->parent[k] = tms_nd_find(g->parent, k);
    tms_free(g->edges);
    g->edges = NULL;
    g->edges_cap = 0;
    return TAMIS_OK;
}

/* ==== the real pass ==== */

static tamis_status add_cluster_meta(tms_doc *doc, uint32_t id, uint32_t size)
{
    char s[64];
    int n = snprintf(s, sizeof s, "%u", id);
    char *m = tms_arena_strndup(doc->arena, s, (size_t)n);
    if (!m) return TAMIS_E_NOMEM;
    TMS_TRY(tms_doc_add_meta(doc, "minhash_cluster_id", m, (size_t)n));
    n = snprintf(s, sizeof s, "%u", size);
    if (!(m = tms_arena_strndup(doc->arena, s, (size_t)n))) return TAMIS_E_NOMEM;
    return tms_doc_add_meta(doc, "minhash_cluster_size", m, (size_t)n);
}

static tamis_status nd_process(void *worker, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    (void)worker, (void)doc, (void)ctr, (void)v; /* decided in commit(), from the pass */
    return TAMIS_OK;
}

/* apply: the cluster step's decision for the next document */
static tamis_status commit_decided(nd_global *g, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    const tms_nd_decisions *d = &g->dec;
    if (g->next >= d->ndocs) return TAMIS_E_INTERNAL; /* the shard has more documents than it had when signed */
    uint32_t i = g->next++, self = d->offset + i;
    if (self == 0) {
        ctr[C_CANDIDATES] += (uint32_t)TMS_MIN(d->candidates, UINT32_MAX);
        ctr[C_UNVERIFIED] += (uint32_t)TMS_MIN(d->unverified, UINT32_MAX);
        ctr[C_NO_SIGNATURE] += (uint32_t)TMS_MIN(d->nosig, UINT32_MAX);
    }
    if (d->root[i] != self) {
        size_t n = d->dup_off[i + 1] - d->dup_off[i];
        char *s = tms_arena_strndup(doc->arena, d->dup_text + d->dup_off[i], n);
        if (!s) return TAMIS_E_NOMEM;
        doc->duplicate_of_text = n ? s : NULL;
        return tms_reject_bare(doc, v, "near_duplicate");
    }
    ctr[C_CLUSTERS] += d->size[i] > 1;
    return add_cluster_meta(doc, self, d->size[i]);
}

static tamis_status nd_commit(void *global, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    nd_global *g = global;
    if (g->mode == TMS_STEP_APPLY) {
        if (!g->has_dec) return TAMIS_E_INTERNAL;
        return commit_decided(g, doc, ctr, v);
    }
    if (!g->finalized) TMS_TRY(finalize(g));
    if (g->next >= g->ndocs) return TAMIS_E_INTERNAL; /* the real pass saw more documents than the pass */
    uint32_t i = g->next++;
    uint32_t r = g->parent[i];
    if (i == 0) { /* the pass's totals, counted once */
        ctr[C_CANDIDATES] += (uint32_t)TMS_MIN(g->candidates, UINT32_MAX);
        ctr[C_UNVERIFIED] += (uint32_t)TMS_MIN(g->unverified, UINT32_MAX);
        ctr[C_NO_SIGNATURE] += (uint32_t)TMS_MIN(g->nosig, UINT32_MAX);
    }
    if (r != i) {
        doc->duplicate_of = pos_at(&g->pos, r);
        return tms_reject_bare(doc, v, "near_duplicate");
    }
    ctr[C_CLUSTERS] += g->size[i] > 1;
    return add_cluster_meta(doc, i, g->size[i]);
}

static const tms_rule_info rules[] = {
    {"near_duplicate", "keep",
     "a near-copy (MinHash LSH, 14 bands of 8) of another document of its cluster, kept instead"},
};

const tms_stage_vt tms_stage_near_dedup = {
    .name = "near_dedup",
    .description = "remove near-duplicates: datatrove's MinHash (5-grams, 14 bands x 8), candidate pairs verified, "
                   "clusters kept by --keep (reads the input once more)",
    .in_default = false,
    .counter_names = counter_names,
    .ncounters = C_N,
    .global_create = nd_global_create,
    .global_free = nd_global_free,
    .worker_create = nd_worker_create,
    .worker_free = nd_worker_free,
    .process = nd_process,
    .commit = nd_commit,
    .wants_pass = nd_wants_pass,
    .observe = nd_observe,
    .observe_commit = nd_observe_commit,
    .pass_stats = nd_pass_stats,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
