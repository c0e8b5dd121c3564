/*
 * lines_shard.c -- line counts over shards (lines_shard.h).
 *
 * Payloads, little-endian as written by this machine's tamis:
 *   lines/shard-NNNNN.counts  u64 documents counted, then (u64 key, u32 count)
 *                             pairs in strictly increasing key order;
 *   lines-merge/counts        u64 documents, u64 shards, then the pairs whose
 *                             summed count is 2 or more, in key order.
 * The merge holds one pair per shard (a heap), so its memory does not grow
 * with the corpus; the table a shard loads holds the repeated keys only.
 */
#include "lines_shard.h"
#include "shard_file.h"
#include "../core/alloc.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

enum { PAIR = 12 };

tamis_status tms_ls_write_counts(const char *work, uint32_t shard, const char *config, const tms_lines_corpus *c,
                                 char *err, size_t errn)
{
    tms_lines_count *v;
    size_t n;
    TMS_TRY(tms_lines_corpus_sorted(c, &v, &n));
    char name[64];
    snprintf(name, sizeof name, "shard-%05u.counts", shard);
    tms_sf_stream *s;
    tamis_status st = tms_sf_create(work, "lines", name, TMS_SF_LCOUNTS, config, &s, err, errn);
    if (st != TAMIS_OK) {
        tms_free(v);
        return st;
    }
    uint64_t docs = tms_lines_corpus_docs(c);
    st = tms_sf_put(s, &docs, 8);
    for (size_t i = 0; st == TAMIS_OK && i < n; i++) {
        unsigned char rec[PAIR];
        memcpy(rec, &v[i].key, 8);
        memcpy(rec + 8, &v[i].count, 4);
        st = tms_sf_put(s, rec, PAIR);
    }
    tms_free(v);
    if (st != TAMIS_OK) {
        snprintf(err, errn, "%s/lines/%s: cannot write: %s", work, name, strerror(errno));
        tms_sf_abort(s);
        return st;
    }
    TMS_TRY(tms_sf_close(s, err, errn));
    return tms_sf_mark(work, "lines", shard, err, errn);
}

/* ==== merge ==== */

typedef struct cursor {
    tms_sf_stream *s;
    uint64_t key;
    uint32_t count;
    uint32_t shard;
} cursor;

/* the next pair of c; false at the end (or a damaged file: err set) */
static bool next(cursor *c, const char *work, bool *bad, char *err, size_t errn)
{
    unsigned char rec[PAIR];
    size_t got = tms_sf_get(c->s, rec, PAIR);
    if (got == 0) return false;
    uint64_t key;
    memcpy(&key, rec, 8);
    if (got != PAIR || key <= c->key) {
        if (!*bad) snprintf(err, errn, "%s/lines/shard-%05u.counts: damaged (pairs out of order or cut)", work, c->shard);
        *bad = true;
        return false;
    }
    c->key = key;
    memcpy(&c->count, rec + 8, 4);
    return true;
}

static void sift_down(cursor **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l]->key < h[m]->key) m = l;
        if (l + 1 < n && h[l + 1]->key < h[m]->key) m = l + 1;
        if (m == i) return;
        cursor *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* one open file per shard: raise the soft limit as far as allowed */
static tamis_status enough_files(uint32_t nshards, char *err, size_t errn)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return TAMIS_OK;
    rlim_t want = (rlim_t)nshards + 64;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < want) {
            snprintf(err, errn, "lines-merge: %u shards need %llu open files; the limit is %llu (ulimit -n)", nshards,
                     (unsigned long long)want, (unsigned long long)rl.rlim_cur);
            return TAMIS_E_IO;
        }
    }
    return TAMIS_OK;
}

tamis_status tms_ls_merge(const char *work, uint32_t nshards, char *err, size_t errn)
{
    if (errn) err[0] = 0;
    TMS_TRY(enough_files(nshards, err, errn));
    for (uint32_t i = 0; i < nshards; i++)
        if (!tms_sf_done(work, "lines", i)) {
            snprintf(err, errn, "%s/lines: shard %u has no line counts yet (no %05u.done)", work, i, i);
            return TAMIS_E_USAGE;
        }
    cursor *cur = tms_calloc(nshards ? nshards : 1, sizeof *cur);
    cursor **heap = tms_calloc(nshards ? nshards : 1, sizeof *heap);
    char *config = NULL;
    tms_sf_stream *out = NULL;
    uint64_t docs = 0;
    bool bad = false;
    tamis_status st = cur && heap ? TAMIS_OK : TAMIS_E_NOMEM;
    size_t nh = 0;
    for (uint32_t i = 0; st == TAMIS_OK && i < nshards; i++) {
        char name[64];
        snprintf(name, sizeof name, "shard-%05u.counts", i);
        cur[i].shard = i;
        st = tms_sf_open(work, "lines", name, TMS_SF_LCOUNTS, &config, i > 0, &cur[i].s, err, errn);
        uint64_t d = 0;
        if (st == TAMIS_OK && tms_sf_get(cur[i].s, &d, 8) != 8) {
            snprintf(err, errn, "%s/lines/%s: damaged (too short)", work, name);
            st = TAMIS_E_DATA;
        }
        docs += d;
        cur[i].key = 0; /* keys are never 0, so the first is greater */
        if (st == TAMIS_OK && next(&cur[i], work, &bad, err, errn)) heap[nh++] = &cur[i];
    }
    if (st == TAMIS_OK && bad) st = TAMIS_E_DATA;
    if (st == TAMIS_OK) st = tms_sf_create(work, "lines-merge", "counts", TMS_SF_LMERGED, config ? config : "", &out, err, errn);
    uint64_t ns = nshards;
    if (st == TAMIS_OK && (tms_sf_put(out, &docs, 8) != TAMIS_OK || tms_sf_put(out, &ns, 8) != TAMIS_OK)) st = TAMIS_E_IO;
    for (size_t i = nh / 2; i-- > 0;) sift_down(heap, nh, i);
    while (st == TAMIS_OK && nh) {
        uint64_t key = heap[0]->key, sum = 0;
        while (nh && heap[0]->key == key) {
            sum += heap[0]->count;
            if (!next(heap[0], work, &bad, err, errn)) heap[0] = heap[--nh];
            sift_down(heap, nh, 0);
        }
        if (bad) st = TAMIS_E_DATA;
        if (st == TAMIS_OK && sum >= 2) {
            uint32_t c = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
            unsigned char rec[PAIR];
            memcpy(rec, &key, 8);
            memcpy(rec + 8, &c, 4);
            if (tms_sf_put(out, rec, PAIR) != TAMIS_OK) st = TAMIS_E_IO;
        }
    }
    if (st == TAMIS_E_IO && out && !err[0]) snprintf(err, errn, "%s/lines-merge/counts: cannot write: %s", work, strerror(errno));
    /* the inputs' checksums, before the output counts as written */
    for (uint32_t i = 0; cur && i < nshards; i++) {
        if (!cur[i].s) continue;
        if (st == TAMIS_OK) st = tms_sf_close(cur[i].s, err, errn);
        else tms_sf_abort(cur[i].s);
    }
    if (out) {
        if (st == TAMIS_OK) st = tms_sf_close(out, err, errn);
        else tms_sf_abort(out);
    }
    tms_free(config);
    tms_free(heap);
    tms_free(cur);
    if (st != TAMIS_OK) return st;
    return tms_sf_mark(work, "lines-merge", 0, err, errn);
}

/* ==== load ==== */

tamis_status tms_ls_load(const char *work, const char *config, tms_lines_corpus **out, char *err, size_t errn)
{
    *out = NULL;
    if (!tms_sf_done(work, "lines-merge", 0)) {
        snprintf(err, errn, "%s/lines-merge: the line counts are not merged yet (no 00000.done): the lines stage over "
                 "shards needs tamis dedup lines, then lines-merge, first", work);
        return TAMIS_E_USAGE;
    }
    char *cfg = tms_strdup(config);
    if (!cfg) return TAMIS_E_NOMEM;
    tms_sf_stream *s;
    tamis_status st = tms_sf_open(work, "lines-merge", "counts", TMS_SF_LMERGED, &cfg, true, &s, err, errn);
    tms_free(cfg);
    TMS_TRY(st);
    tms_lines_corpus *c = NULL;
    uint64_t head[2];
    st = tms_lines_corpus_create(&c);
    if (st == TAMIS_OK && tms_sf_get(s, head, 16) != 16) {
        snprintf(err, errn, "%s/lines-merge/counts: damaged (too short)", work);
        st = TAMIS_E_DATA;
    }
    unsigned char rec[PAIR];
    size_t got = 0;
    while (st == TAMIS_OK && (got = tms_sf_get(s, rec, PAIR)) == PAIR) {
        uint64_t key;
        uint32_t count;
        memcpy(&key, rec, 8);
        memcpy(&count, rec + 8, 4);
        st = tms_lines_corpus_put(c, key, count);
    }
    if (st == TAMIS_OK && got != 0 && got != PAIR) {
        snprintf(err, errn, "%s/lines-merge/counts: damaged (a pair cut short)", work);
        st = TAMIS_E_DATA;
    }
    if (st == TAMIS_OK) st = tms_sf_close(s, err, errn);
    else tms_sf_abort(s);
    if (st != TAMIS_OK) {
        tms_lines_corpus_free(c);
        return st;
    }
    tms_lines_corpus_set_loaded(c, head[0], 1);
    *out = c;
    return TAMIS_OK;
}

TAMIS_API tamis_status tamis_dedup_lines_merge(const char *work, unsigned nshards, char *err, size_t errn)
{
    return tms_ls_merge(work, nshards, err, errn);
}
