/*
 * near_shard.c -- the steps of sharded near-duplicate removal that are not a
 * run: sign's files, bucket, cluster, and apply's loading (near_shard.h).
 * The files themselves: shard_file.c.
 */
#include "near_shard.h"
#include "shard_file.h"
#include "../core/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADD(b, v) TMS_TRY(tms_buf_add((b), &(v), sizeof(v)))

/* ==== sign ==== */

static int cmp_rec(const void *a, const void *b)
{
    const tms_nd_rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

tamis_status tms_nd_write_sign(const char *work, uint32_t shard, const char *config, const tms_nd_sign *s, char *err,
                               size_t errn)
{
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 40);
    char name[64];
    tamis_status st = TAMIS_OK;
    size_t sb = (s->params.nhashes + 7) / 8;
    /* documents: params, count, then per document has_sig, len, sketch */
    if (tms_buf_add(&b, &s->params, sizeof s->params) != TAMIS_OK || tms_buf_add(&b, &s->ndocs, 4) != TAMIS_OK)
        st = TAMIS_E_NOMEM;
    for (uint32_t i = 0; st == TAMIS_OK && i < s->ndocs; i++)
        if (tms_buf_add(&b, &s->has_sig[i], 1) != TAMIS_OK || tms_buf_add(&b, &s->len[i], 4) != TAMIS_OK ||
            tms_buf_add(&b, s->sketch + (size_t)i * sb, sb) != TAMIS_OK)
            st = TAMIS_E_NOMEM;
    snprintf(name, sizeof name, "shard-%05u.docs", shard);
    if (st == TAMIS_OK) st = tms_sf_write(work, "sign", name, TMS_SF_DOCS, config, &b, err, errn);
    /* positions: count, offsets, text */
    tms_buf_reset(&b);
    uint32_t off = 0;
    if (st == TAMIS_OK && tms_buf_add(&b, &s->ndocs, 4) != TAMIS_OK) st = TAMIS_E_NOMEM;
    for (uint32_t i = 0; st == TAMIS_OK && i <= s->ndocs; i++) {
        if (tms_buf_add(&b, &off, 4) != TAMIS_OK) st = TAMIS_E_NOMEM;
        if (i < s->ndocs && s->pos[i]) off += (uint32_t)strlen(s->pos[i]);
    }
    for (uint32_t i = 0; st == TAMIS_OK && i < s->ndocs; i++)
        if (s->pos[i] && tms_buf_add(&b, s->pos[i], strlen(s->pos[i])) != TAMIS_OK) st = TAMIS_E_NOMEM;
    snprintf(name, sizeof name, "shard-%05u.pos", shard);
    if (st == TAMIS_OK) st = tms_sf_write(work, "sign", name, TMS_SF_POS, config, &b, err, errn);
    /* per band: the pairs sorted by key */
    for (uint32_t band = 0; st == TAMIS_OK && band < s->params.bands; band++) {
        if (s->nband[band]) qsort(s->band[band], s->nband[band], sizeof(tms_nd_rec), cmp_rec);
        tms_buf_reset(&b);
        for (size_t k = 0; st == TAMIS_OK && k < s->nband[band]; k++)
            if (tms_buf_add(&b, &s->band[band][k].key, 8) != TAMIS_OK || tms_buf_add(&b, &s->band[band][k].idx, 4) != TAMIS_OK)
                st = TAMIS_E_NOMEM;
        snprintf(name, sizeof name, "shard-%05u.band-%02u", shard, band);
        if (st == TAMIS_OK) st = tms_sf_write(work, "sign", name, TMS_SF_BAND, config, &b, err, errn);
    }
    tms_buf_free(&b);
    if (st == TAMIS_OK) st = tms_sf_mark(work, "sign", shard, err, errn);
    return st;
}

/* ==== what every later step reads of the sign step ==== */

typedef struct shard_docs {
    tms_nd_params params;
    uint32_t ndocs, offset;
    tms_buf buf;          /* the documents file's payload */
} shard_docs;

static const unsigned char *doc_at(const shard_docs *d, uint32_t i)
{
    size_t sb = (d->params.nhashes + 7) / 8;
    return (const unsigned char *)d->buf.data + sizeof(tms_nd_params) + 4 + (size_t)i * (5 + sb);
}

/* reads every shard's documents file, all with one configuration */
static tamis_status load_docs(const char *work, uint32_t nshards, shard_docs **out, char **config, uint64_t *total,
                              char *err, size_t errn)
{
    shard_docs *d = tms_calloc(nshards ? nshards : 1, sizeof *d);
    if (!d) return TAMIS_E_NOMEM;
    *out = d;
    *config = NULL;
    *total = 0;
    for (uint32_t s = 0; s < nshards; s++) {
        if (!tms_sf_done(work, "sign", s)) {
            snprintf(err, errn, "%s/sign: shard %u is not signed yet (no %05u.done)", work, s, s);
            return TAMIS_E_USAGE;
        }
        char name[64];
        snprintf(name, sizeof name, "shard-%05u.docs", s);
        tms_buf_init(&d[s].buf, (size_t)1 << 40);
        TMS_TRY(tms_sf_read(work, "sign", name, TMS_SF_DOCS, config, s > 0, &d[s].buf, err, errn));
        if (d[s].buf.len < sizeof(tms_nd_params) + 4) {
            snprintf(err, errn, "%s/sign/%s: too short", work, name);
            return TAMIS_E_DATA;
        }
        memcpy(&d[s].params, d[s].buf.data, sizeof d[s].params);
        memcpy(&d[s].ndocs, d[s].buf.data + sizeof(tms_nd_params), 4);
        size_t sb = (d[s].params.nhashes + 7) / 8;
        if (d[s].buf.len != sizeof(tms_nd_params) + 4 + (size_t)d[s].ndocs * (5 + sb) || d[s].params.bands > 64 ||
            d[s].params.nhashes > 1024) {
            snprintf(err, errn, "%s/sign/%s: inconsistent sizes", work, name);
            return TAMIS_E_DATA;
        }
        d[s].offset = (uint32_t)*total;
        *total += d[s].ndocs;
        if (*total >= UINT32_MAX) {
            snprintf(err, errn, "%s: more than 2^32 - 1 documents in all", work);
            return TAMIS_E_TOO_BIG;
        }
    }
    return TAMIS_OK;
}

static void free_docs(shard_docs *d, uint32_t n)
{
    if (!d) return;
    for (uint32_t s = 0; s < n; s++) tms_buf_free(&d[s].buf);
    tms_free(d);
}

/* the shard of global document g */
static uint32_t shard_of(const shard_docs *d, uint32_t n, uint32_t g)
{
    uint32_t lo = 0, hi = n;
    while (hi - lo > 1) {
        uint32_t mid = (lo + hi) / 2;
        if (d[mid].offset <= g) lo = mid;
        else hi = mid;
    }
    while (lo + 1 < n && d[lo].ndocs == 0 && d[lo + 1].offset <= g) lo++;
    return lo;
}

/* ==== bucket ==== */

typedef struct edge { uint32_t e, i; } edge;

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->e != y->e) return x->e < y->e ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

tamis_status tms_nd_bucket(const char *work, uint32_t band, uint32_t nshards, char *err, size_t errn)
{
    shard_docs *d = NULL;
    char *config = NULL;
    uint64_t total;
    tms_buf *keys = tms_calloc(nshards ? nshards : 1, sizeof *keys);
    size_t *at = tms_calloc(nshards ? nshards : 1, sizeof *at);
    edge *edges = NULL;
    size_t nedges = 0, cap = 0;
    uint64_t candidates = 0, unverified = 0;
    tamis_status st = keys && at ? load_docs(work, nshards, &d, &config, &total, err, errn) : TAMIS_E_NOMEM;
    if (st == TAMIS_OK && nshards && band >= d[0].params.bands) {
        snprintf(err, errn, "--band %u: the run has %u bands", band, d[0].params.bands);
        st = TAMIS_E_USAGE;
    }
    for (uint32_t s = 0; st == TAMIS_OK && s < nshards; s++) {
        char name[64];
        snprintf(name, sizeof name, "shard-%05u.band-%02u", s, band);
        tms_buf_init(&keys[s], (size_t)1 << 40);
        st = tms_sf_read(work, "sign", name, TMS_SF_BAND, &config, true, &keys[s], err, errn);
        if (st == TAMIS_OK && keys[s].len % 12) {
            snprintf(err, errn, "%s/sign/%s: damaged", work, name);
            st = TAMIS_E_DATA;
        }
    }
    /* k-way merge by (key, shard, document): shards are in input order */
    uint64_t group_key = 0;
    uint32_t first = 0;
    bool in_group = false;
    size_t sb = nshards ? (d[0].params.nhashes + 7) / 8 : 0;
    while (st == TAMIS_OK) {
        int best = -1;
        uint64_t bk = 0;
        for (uint32_t s = 0; s < nshards; s++) {
            if (at[s] >= keys[s].len) continue;
            uint64_t k;
            memcpy(&k, keys[s].data + at[s], 8);
            if (best < 0 || k < bk) best = (int)s, bk = k;
        }
        if (best < 0) break;
        uint32_t idx;
        memcpy(&idx, keys[best].data + at[best] + 8, 4);
        at[best] += 12;
        if (idx >= d[best].ndocs) {
            snprintf(err, errn, "%s/sign: shard %d names document %u of %u", work, best, idx, d[best].ndocs);
            st = TAMIS_E_DATA;
            break;
        }
        uint32_t g = d[best].offset + idx;
        if (!in_group || bk != group_key) {
            in_group = true, group_key = bk, first = g;
            continue;
        }
        candidates++;
        if (d[0].params.verify) {
            uint32_t fs = shard_of(d, nshards, first);
            const unsigned char *se = doc_at(&d[fs], first - d[fs].offset) + 5, *si = doc_at(&d[best], idx) + 5;
            size_t same = 0;
            for (size_t k = 0; k < d[0].params.nhashes; k++) same += ((se[k / 8] ^ si[k / 8]) >> (k % 8) & 1) == 0;
            if (2.0 * (double)same / (double)d[0].params.nhashes - 1.0 < d[0].params.threshold) {
                unverified++;
                continue;
            }
        }
        if (TMS_RESERVE(edges, cap, nedges + 1) != 0) {
            st = TAMIS_E_NOMEM;
            break;
        }
        edges[nedges++] = (edge){first, g};
    }
    (void)sb;
    if (st == TAMIS_OK && nedges) qsort(edges, nedges, sizeof *edges, cmp_edge);
    tms_buf out;
    tms_buf_init(&out, (size_t)1 << 40);
    if (st == TAMIS_OK &&
        (tms_buf_add(&out, &candidates, 8) != TAMIS_OK || tms_buf_add(&out, &unverified, 8) != TAMIS_OK ||
         (nedges && tms_buf_add(&out, edges, nedges * sizeof *edges) != TAMIS_OK)))
        st = TAMIS_E_NOMEM;
    char name[64];
    snprintf(name, sizeof name, "band-%02u.edges", band);
    if (st == TAMIS_OK) st = tms_sf_write(work, "bucket", name, TMS_SF_EDGES, config ? config : "", &out, err, errn);
    if (st == TAMIS_OK) st = tms_sf_mark(work, "bucket", band, err, errn);
    tms_buf_free(&out);
    for (uint32_t s = 0; keys && s < nshards; s++) tms_buf_free(&keys[s]);
    tms_free(keys);
    tms_free(at);
    tms_free(edges);
    tms_free(config);
    free_docs(d, nshards);
    return st;
}

/* ==== cluster ==== */

tamis_status tms_nd_cluster(const char *work, uint32_t nshards, char *err, size_t errn)
{
    shard_docs *d = NULL;
    char *config = NULL;
    uint64_t total = 0, candidates = 0, unverified = 0, nosig = 0;
    tamis_status st = load_docs(work, nshards, &d, &config, &total, err, errn);
    uint32_t *parent = NULL, *size = NULL, *len = NULL;
    tms_buf b, pos;
    tms_buf_init(&b, (size_t)1 << 40);
    tms_buf_init(&pos, (size_t)1 << 40);
    size_t n = total ? (size_t)total : 1;
    if (st == TAMIS_OK && (!(parent = tms_malloc(n * 4)) || !(size = tms_malloc(n * 4)) || !(len = tms_malloc(n * 4))))
        st = TAMIS_E_NOMEM;
    for (uint32_t s = 0; st == TAMIS_OK && s < nshards; s++)
        for (uint32_t i = 0; i < d[s].ndocs; i++) {
            uint32_t g = d[s].offset + i;
            const unsigned char *r = doc_at(&d[s], i);
            parent[g] = g, size[g] = 1;
            memcpy(&len[g], r + 1, 4);
            nosig += r[0] == 0;
        }
    const tms_nd_params *p = nshards ? &d[0].params : NULL;
    for (uint32_t band = 0; st == TAMIS_OK && p && band < p->bands; band++) {
        char name[64];
        snprintf(name, sizeof name, "band-%02u.edges", band);
        if (!tms_sf_done(work, "bucket", band)) {
            snprintf(err, errn, "%s/bucket: band %u is not bucketed yet (no %05u.done)", work, band, band);
            st = TAMIS_E_USAGE;
            break;
        }
        st = tms_sf_read(work, "bucket", name, TMS_SF_EDGES, &config, true, &b, err, errn);
        if (st != TAMIS_OK) break;
        if (b.len < 16 || (b.len - 16) % sizeof(edge)) {
            snprintf(err, errn, "%s/bucket/%s: damaged", work, name);
            st = TAMIS_E_DATA;
            break;
        }
        uint64_t c[2];
        memcpy(c, b.data, 16);
        candidates += c[0], unverified += c[1];
        size_t ne = (b.len - 16) / sizeof(edge);
        edge prev = {0, 0};
        for (size_t k = 0; k < ne; k++) {
            edge x;
            memcpy(&x, b.data + 16 + k * sizeof x, sizeof x);
            if (x.e >= total || x.i >= total) {
                snprintf(err, errn, "%s/bucket/%s: an edge names a document past the last", work, name);
                st = TAMIS_E_DATA;
                break;
            }
            tms_nd_join((int)p->keep, parent, size, len, k > 0 && prev.e == x.e ? prev.i : x.e, x.i);
            prev = x;
        }
    }
    for (uint64_t g = 0; st == TAMIS_OK && g < total; g++) parent[g] = tms_nd_find(parent, (uint32_t)g);
    /* the positions of the roots that have removed members, one shard's
     * positions file at a time: root_pos[k] for the k-th such root (in
     * order), found by binary search in roots[] */
    uint32_t *roots = NULL, *root_off = NULL;
    size_t nroots = 0, roots_cap = 0;
    tms_buf root_text, sp;
    tms_buf_init(&root_text, (size_t)1 << 40);
    tms_buf_init(&sp, (size_t)1 << 40);
    for (uint64_t g = 0; st == TAMIS_OK && g < total; g++)
        if (parent[g] == g && size[g] > 1) {
            if (TMS_RESERVE(roots, roots_cap, nroots + 1) != 0) st = TAMIS_E_NOMEM;
            else roots[nroots++] = (uint32_t)g;
        }
    if (st == TAMIS_OK && !(root_off = tms_malloc((nroots + 1) * sizeof *root_off))) st = TAMIS_E_NOMEM;
    size_t k = 0;
    for (uint32_t s = 0; st == TAMIS_OK && s < nshards; s++) {
        if (k >= nroots || roots[k] >= d[s].offset + d[s].ndocs) continue; /* no root here */
        char name[64];
        snprintf(name, sizeof name, "shard-%05u.pos", s);
        st = tms_sf_read(work, "sign", name, TMS_SF_POS, &config, true, &sp, err, errn);
        size_t text0 = 4 + 4 * ((size_t)d[s].ndocs + 1);
        if (st == TAMIS_OK && sp.len < text0) {
            snprintf(err, errn, "%s/sign/%s: damaged", work, name);
            st = TAMIS_E_DATA;
        }
        for (; st == TAMIS_OK && k < nroots && roots[k] < d[s].offset + d[s].ndocs; k++) {
            uint32_t ri = roots[k] - d[s].offset, a, z;
            memcpy(&a, sp.data + 4 + 4 * (size_t)ri, 4);
            memcpy(&z, sp.data + 4 + 4 * ((size_t)ri + 1), 4);
            if (z < a || text0 + z > sp.len) {
                snprintf(err, errn, "%s/sign/%s: damaged", work, name);
                st = TAMIS_E_DATA;
                break;
            }
            root_off[k] = (uint32_t)root_text.len;
            if (tms_buf_add(&root_text, sp.data + text0 + a, z - a) != TAMIS_OK) st = TAMIS_E_NOMEM;
        }
    }
    if (st == TAMIS_OK) root_off[nroots] = (uint32_t)root_text.len;
    tms_buf_free(&sp);
    /* per shard: root and size per document, and the roots' positions for the removed ones */
    for (uint32_t s = 0; st == TAMIS_OK && s < nshards; s++) {
        tms_buf_reset(&b);
        uint32_t off = 0;
        if (tms_buf_add(&b, &d[s].ndocs, 4) != TAMIS_OK || tms_buf_add(&b, &d[s].offset, 4) != TAMIS_OK ||
            tms_buf_add(&b, &candidates, 8) != TAMIS_OK || tms_buf_add(&b, &unverified, 8) != TAMIS_OK ||
            tms_buf_add(&b, &nosig, 8) != TAMIS_OK)
            st = TAMIS_E_NOMEM;
        for (uint32_t i = 0; st == TAMIS_OK && i < d[s].ndocs; i++) {
            uint32_t g = d[s].offset + i;
            if (tms_buf_add(&b, &parent[g], 4) != TAMIS_OK || tms_buf_add(&b, &size[g], 4) != TAMIS_OK)
                st = TAMIS_E_NOMEM;
        }
        /* dup text offsets, then text: the root's position string */
        tms_buf_reset(&pos);
        for (uint32_t i = 0; st == TAMIS_OK && i < d[s].ndocs; i++) {
            if (tms_buf_add(&b, &off, 4) != TAMIS_OK) st = TAMIS_E_NOMEM;
            uint32_t g = d[s].offset + i, r = parent[g];
            if (r == g || st != TAMIS_OK) continue;
            size_t lo = 0, hi = nroots; /* r is in roots[] */
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (roots[mid] < r) lo = mid + 1;
                else hi = mid;
            }
            uint32_t a = root_off[lo], z = root_off[lo + 1];
            if (tms_buf_add(&pos, root_text.data + a, z - a) != TAMIS_OK) st = TAMIS_E_NOMEM;
            off += z - a;
        }
        if (st == TAMIS_OK && (tms_buf_add(&b, &off, 4) != TAMIS_OK || (pos.len && tms_buf_add(&b, pos.data, pos.len) != TAMIS_OK)))
            st = TAMIS_E_NOMEM;
        char name[64];
        snprintf(name, sizeof name, "shard-%05u.dec", s);
        if (st == TAMIS_OK) st = tms_sf_write(work, "cluster", name, TMS_SF_DEC, config ? config : "", &b, err, errn);
    }
    if (st == TAMIS_OK) st = tms_sf_mark(work, "cluster", 0, err, errn);
    tms_free(roots);
    tms_free(root_off);
    tms_buf_free(&root_text);
    tms_buf_free(&b);
    tms_buf_free(&pos);
    tms_free(parent);
    tms_free(size);
    tms_free(len);
    tms_free(config);
    free_docs(d, nshards);
    return st;
}

/* ==== apply: one shard's decisions ==== */

tamis_status tms_nd_load_decisions(const char *work, uint32_t shard, const char *config, tms_nd_decisions *out,
                                   char *err, size_t errn)
{
    memset(out, 0, sizeof *out);
    if (!tms_sf_done(work, "cluster", 0)) {
        snprintf(err, errn, "%s/cluster: not clustered yet (no 00000.done)", work);
        return TAMIS_E_USAGE;
    }
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 40);
    char name[64];
    snprintf(name, sizeof name, "shard-%05u.dec", shard);
    char *cfg = tms_strdup(config);
    tamis_status st = cfg ? tms_sf_read(work, "cluster", name, TMS_SF_DEC, &cfg, true, &b, err, errn) : TAMIS_E_NOMEM;
    tms_free(cfg);
    size_t fixed = 8 + 24;
    if (st == TAMIS_OK && b.len < fixed) st = TAMIS_E_DATA;
    if (st == TAMIS_OK) {
        memcpy(&out->ndocs, b.data, 4);
        memcpy(&out->offset, b.data + 4, 4);
        memcpy(&out->candidates, b.data + 8, 8);
        memcpy(&out->unverified, b.data + 16, 8);
        memcpy(&out->nosig, b.data + 24, 8);
        size_t n = out->ndocs, need = fixed + n * 8 + (n + 1) * 4;
        if (b.len < need) st = TAMIS_E_DATA;
        else if (!(out->root = tms_malloc(n * 4 + 4)) || !(out->size = tms_malloc(n * 4 + 4)) ||
                 !(out->dup_off = tms_malloc((n + 1) * 4)) || !(out->dup_text = tms_malloc(b.len - need + 1)))
            st = TAMIS_E_NOMEM;
        else {
            for (size_t i = 0; i < n; i++) {
                memcpy(&out->root[i], b.data + fixed + i * 8, 4);
                memcpy(&out->size[i], b.data + fixed + i * 8 + 4, 4);
            }
            memcpy(out->dup_off, b.data + fixed + n * 8, (n + 1) * 4);
            memcpy(out->dup_text, b.data + need, b.len - need);
            out->dup_text[b.len - need] = 0;
            for (size_t i = 0; i < n && st == TAMIS_OK; i++)
                if (out->dup_off[i] > out->dup_off[i + 1] || out->dup_off[i + 1] > b.len - need) st = TAMIS_E_DATA;
        }
        if (st == TAMIS_E_DATA) snprintf(err, errn, "%s/cluster/%s: damaged", work, name);
    }
    tms_buf_free(&b);
    if (st != TAMIS_OK) tms_nd_decisions_free(out);
    return st;
}

/* ==== the public API ==== */

TAMIS_API tamis_status tamis_dedup_bucket(const char *work, unsigned band, unsigned nshards, char *err, size_t errn)
{
    return tms_nd_bucket(work, band, nshards, err, errn);
}

TAMIS_API tamis_status tamis_dedup_cluster(const char *work, unsigned nshards, char *err, size_t errn)
{
    return tms_nd_cluster(work, nshards, err, errn);
}

TAMIS_API int tamis_dedup_done(const char *work, const char *step, unsigned index)
{
    return tms_sf_done(work, step, index);
}

TAMIS_API tamis_status tamis_dedup_mark(const char *work, const char *step, unsigned index, char *err, size_t errn)
{
    return tms_sf_mark(work, step, index, err, errn);
}
