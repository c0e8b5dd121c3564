/* summary_merge.c -- one summary.json from the summaries of runs over parts
 * of one input (the shards of `tamis slurm run`).
 *
 * Each summary is read into a small tree (objects keep their member order),
 * then folded into the first: numbers are summed, objects merged key by key
 * (a key first seen in a later part is appended), arrays concatenated, other
 * values kept from the first part. A few top-level keys have their own rule:
 * "options" and "tamis_version" come from the first part, "complete" is true
 * when every part is, "started" is the earliest, "seconds" the span from the
 * earliest start to the latest end, "outputs" lists every part's files, and
 * "stages" are matched by name. The generic rule is what lets a stage add
 * counts (a "languages" object, a corpus pass) without touching this file. */
#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/json.h"
#include "jtree.h"
#include "stats.h"
#include "sink.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_SUMMARY_BYTES (64u << 20)
#define MAX_DEPTH 64

typedef struct merger {
    tms_arena a;
    char *err;
    size_t errn;
} merger;

static tamis_status fail(merger *m, tamis_status st, const char *fmt, const char *path, const char *what)
{
    snprintf(m->err, m->errn, fmt, path, what);
    return st;
}

static tamis_status add_kid(tms_arena *a, tms_jv *parent, tms_jv *kid)
{
    if (parent->n == parent->cap) {
        size_t ncap = parent->cap ? parent->cap * 2 : 8;
        tms_jv **nk = tms_arena_alloc(a, ncap * sizeof *nk);
        if (!nk) return TAMIS_E_NOMEM;
        if (parent->n) memcpy(nk, parent->kid, parent->n * sizeof *nk);
        parent->kid = nk;
        parent->cap = ncap;
    }
    parent->kid[parent->n++] = kid;
    return TAMIS_OK;
}

/* p[0..n) is a validated JSON value */
static tamis_status parse(tms_arena *a, const char *p, size_t n, int depth, tms_jv **out)
{
    while (n && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
    tms_jv *v = tms_arena_alloc(a, sizeof *v);
    if (!v) return TAMIS_E_NOMEM;
    memset(v, 0, sizeof *v);
    v->raw = p;
    v->raw_len = n;
    *out = v;
    if (n && (*p == '{' || *p == '[')) {
        tms_json_object o;
        tms_json_error e;
        v->t = *p == '{' ? TMS_JV_OBJ : TMS_JV_ARR;
        TMS_TRY(v->t == TMS_JV_OBJ ? tms_json_scan_object(p, n, MAX_DEPTH - depth, a, &o, &e)
                               : tms_json_scan_array(p, n, MAX_DEPTH - depth, a, &o, &e));
        for (size_t i = 0; i < o.n; i++) {
            tms_jv *k;
            TMS_TRY(parse(a, o.m[i].val, o.m[i].val_len, depth + 1, &k));
            k->key = o.m[i].key;
            k->key_len = o.m[i].key_len;
            TMS_TRY(add_kid(a, v, k));
        }
    } else if (n && (*p == '-' || (*p >= '0' && *p <= '9'))) {
        char num[64];
        size_t l = n < sizeof num - 1 ? n : sizeof num - 1;
        memcpy(num, p, l);
        num[l] = 0;
        v->t = TMS_JV_NUM;
        v->is_float = strpbrk(num, ".eE-") != NULL;
        if (v->is_float) v->d = strtod(num, NULL);
        else v->u = strtoull(num, NULL, 10);
    } else {
        v->t = TMS_JV_OTHER;
    }
    return TAMIS_OK;
}

static bool key_is(const tms_jv *v, const char *key)
{
    return v->key && v->key_len == strlen(key) && !memcmp(v->key, key, v->key_len);
}

static tms_jv *member(const tms_jv *obj, const char *key, size_t key_len)
{
    for (size_t i = 0; obj && i < obj->n; i++)
        if (obj->kid[i]->key_len == key_len && !memcmp(obj->kid[i]->key, key, key_len)) return obj->kid[i];
    return NULL;
}

static tms_jv *get(const tms_jv *obj, const char *key) { return member(obj, key, strlen(key)); }

static bool raw_is(const tms_jv *v, const char *s) { return v && v->raw && v->raw_len == strlen(s) && !memcmp(v->raw, s, v->raw_len); }

static tamis_status merge(merger *m, tms_jv *acc, tms_jv *x);

/* objects: key by key, new keys appended */
static tamis_status merge_members(merger *m, tms_jv *acc, tms_jv *x)
{
    for (size_t i = 0; i < x->n; i++) {
        tms_jv *k = x->kid[i], *have = member(acc, k->key, k->key_len);
        TMS_TRY(have ? merge(m, have, k) : add_kid(&m->a, acc, k));
    }
    return TAMIS_OK;
}

static tamis_status merge(merger *m, tms_jv *acc, tms_jv *x)
{
    if (acc->t != x->t) return TAMIS_OK; /* not the same shape: the first part's value stays */
    switch (acc->t) {
    case TMS_JV_NUM:
        if (acc->key && acc->key_len == 9 && !memcmp(acc->key, "threshold", 9)) return TAMIS_OK; /* a setting */
        if (acc->is_float || x->is_float) {
            acc->d = (acc->is_float ? acc->d : (double)acc->u) + (x->is_float ? x->d : (double)x->u);
            acc->is_float = true;
        } else {
            acc->u += x->u;
        }
        acc->raw = NULL;
        return TAMIS_OK;
    case TMS_JV_OBJ: return merge_members(m, acc, x);
    case TMS_JV_ARR:
        for (size_t i = 0; i < x->n; i++) TMS_TRY(add_kid(&m->a, acc, x->kid[i]));
        return TAMIS_OK;
    case TMS_JV_OTHER: return TAMIS_OK;
    }
    return TAMIS_OK;
}

/* ---- stats.json: kept bounded and exact over any number of parts ---- */

static uint64_t num_of(const tms_jv *obj, const char *key)
{
    const tms_jv *v = get(obj, key);
    return v && v->t == TMS_JV_NUM ? (v->is_float ? (uint64_t)(v->d > 0 ? v->d : 0) : v->u) : 0;
}

static void set_num(tms_jv *obj, const char *key, uint64_t u)
{
    tms_jv *v = get(obj, key);
    if (!v || v->t != TMS_JV_NUM) return;
    v->u = u;
    v->is_float = false;
    v->raw = NULL;
}

static bool same_raw(const tms_jv *a, const tms_jv *b, const char *key)
{
    const tms_jv *x = get(a, key), *y = get(b, key);
    return x && y && x->raw && y->raw && x->raw_len == y->raw_len && !memcmp(x->raw, y->raw, x->raw_len);
}

static int cmp_line_count(const void *a, const void *b)
{
    uint64_t x = num_of(*(const tms_jv *const *)a, "count"), y = num_of(*(const tms_jv *const *)b, "count");
    return (x < y) - (x > y);
}

/* The most frequent removed lines of two parts. A line one part did not
 * write was counted there at most that part's removed_lines_floor times, so
 * it gets that much added to its count and to its error: the true count
 * stays in [count - error, count]. The list is then cut to the usual
 * length, and the floor becomes the highest count cut. */
static tamis_status merge_lines(merger *m, tms_jv *acc, tms_jv *x)
{
    tms_jv *al = get(acc, "removed_lines"), *xl = get(x, "removed_lines");
    if (!al || !xl || al->t != TMS_JV_ARR || xl->t != TMS_JV_ARR) return TAMIS_OK;
    uint64_t fa = num_of(acc, "removed_lines_floor"), fx = num_of(x, "removed_lines_floor");
    size_t n0 = al->n;
    bool *seen = tms_arena_alloc(&m->a, n0 + 1);
    if (!seen) return TAMIS_E_NOMEM;
    memset(seen, 0, n0 + 1);
    for (size_t i = 0; i < xl->n; i++) {
        tms_jv *y = xl->kid[i];
        size_t k = 0;
        while (k < n0 && !(same_raw(al->kid[k], y, "text") && same_raw(al->kid[k], y, "reason") &&
                           same_raw(al->kid[k], y, "stage")))
            k++;
        if (k < n0) {
            set_num(al->kid[k], "count", num_of(al->kid[k], "count") + num_of(y, "count"));
            set_num(al->kid[k], "error", num_of(al->kid[k], "error") + num_of(y, "error"));
            seen[k] = true;
        } else {
            set_num(y, "count", num_of(y, "count") + fa);
            set_num(y, "error", num_of(y, "error") + fa);
            TMS_TRY(add_kid(&m->a, al, y));
        }
    }
    for (size_t k = 0; k < n0; k++)
        if (!seen[k]) {
            set_num(al->kid[k], "count", num_of(al->kid[k], "count") + fx);
            set_num(al->kid[k], "error", num_of(al->kid[k], "error") + fx);
        }
    uint64_t floor = fa + fx;
    if (al->n > 1) qsort(al->kid, al->n, sizeof *al->kid, cmp_line_count); /* kid is NULL when empty */
    if (al->n > TMS_TOPLINES_OUT) {
        uint64_t cut = num_of(al->kid[TMS_TOPLINES_OUT], "count");
        if (cut > floor) floor = cut;
        al->n = TMS_TOPLINES_OUT;
    }
    set_num(acc, "removed_lines_floor", floor);
    return TAMIS_OK;
}

static int cmp_sample_h(const void *a, const void *b)
{
    const tms_jv *x = get(*(const tms_jv *const *)a, "h"), *y = get(*(const tms_jv *const *)b, "h");
    if (!x || !x->raw || !y || !y->raw) return (x && x->raw) - (y && y->raw);
    size_t n = x->raw_len < y->raw_len ? x->raw_len : y->raw_len;
    int d = memcmp(x->raw, y->raw, n);
    return d ? d : (x->raw_len > y->raw_len) - (x->raw_len < y->raw_len);
}

/* each reason's sample: the TMS_SAMPLE_K smallest hashes of the parts' samples */
static void prune_samples(tms_jv *samples)
{
    for (size_t i = 0; samples && samples->t == TMS_JV_OBJ && i < samples->n; i++) {
        tms_jv *docs = get(samples->kid[i], "docs");
        if (!docs || docs->t != TMS_JV_ARR || docs->n <= TMS_SAMPLE_K) continue;
        /* stable for equal hashes: the first part's first (insertion sort, a dozen entries) */
        for (size_t k = 1; k < docs->n; k++)
            for (size_t j = k; j > 0 && cmp_sample_h(&docs->kid[j - 1], &docs->kid[j]) > 0; j--) {
                tms_jv *t = docs->kid[j - 1];
                docs->kid[j - 1] = docs->kid[j];
                docs->kid[j] = t;
            }
        docs->n = TMS_SAMPLE_K;
    }
}

/* "stages": [{name, ...}]: matched by name, the others appended in order */
static tamis_status merge_stages(merger *m, tms_jv *acc, tms_jv *x)
{
    if (acc->t != TMS_JV_ARR || x->t != TMS_JV_ARR) return TAMIS_OK;
    for (size_t i = 0; i < x->n; i++) {
        tms_jv *st = x->kid[i], *name = get(st, "name"), *have = NULL;
        for (size_t j = 0; name && j < acc->n && !have; j++) {
            tms_jv *an = get(acc->kid[j], "name");
            if (an && an->raw_len == name->raw_len && !memcmp(an->raw, name->raw, an->raw_len)) have = acc->kid[j];
        }
        TMS_TRY(have ? merge_members(m, have, st) : add_kid(&m->a, acc, st));
    }
    return TAMIS_OK;
}

/* a value wrapped in a one-element array (the first part's "outputs") */
static tamis_status wrap(merger *m, tms_jv *v, tms_jv **out)
{
    tms_jv *arr = tms_arena_alloc(&m->a, sizeof *arr);
    if (!arr) return TAMIS_E_NOMEM;
    memset(arr, 0, sizeof *arr);
    arr->t = TMS_JV_ARR;
    arr->key = v->key;
    arr->key_len = v->key_len;
    *out = arr;
    return add_kid(&m->a, arr, v);
}

static tamis_status merge_outputs(merger *m, tms_jv *acc, tms_jv *x)
{
    if (acc->t != TMS_JV_OBJ || x->t != TMS_JV_OBJ) return TAMIS_OK;
    for (size_t i = 0; i < x->n; i++) {
        tms_jv *k = x->kid[i], *have = member(acc, k->key, k->key_len);
        if (have) {
            TMS_TRY(add_kid(&m->a, have, k));
        } else {
            tms_jv *arr;
            TMS_TRY(wrap(m, k, &arr));
            TMS_TRY(add_kid(&m->a, acc, arr));
        }
    }
    return TAMIS_OK;
}

/* "2026-11-29T12:40:01Z" -> seconds since the epoch, or -1 */
static double parse_time(const tms_jv *v)
{
    if (!v || !v->raw || v->raw_len < 22 || v->raw[0] != '"') return -1;
    char s[32];
    size_t l = v->raw_len - 2 < sizeof s - 1 ? v->raw_len - 2 : sizeof s - 1;
    memcpy(s, v->raw + 1, l);
    s[l] = 0;
    struct tm tmv;
    memset(&tmv, 0, sizeof tmv);
    char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tmv);
    if (!end || (*end && *end != 'Z')) return -1;
    return (double)timegm(&tmv);
}

static tamis_status read_summary(merger *m, const char *path, const char *leaf, tms_jv **out, char *name, size_t namen)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) snprintf(name, namen, "%s/%s", path, leaf);
    else snprintf(name, namen, "%s", path);
    FILE *f = fopen(name, "rb");
    if (!f) return fail(m, TAMIS_E_IO, "%s: %s", name, strerror(errno));
    tms_buf b;
    tms_buf_init(&b, MAX_SUMMARY_BYTES);
    tamis_status st = TAMIS_OK;
    char chunk[65536];
    size_t got;
    while (st == TAMIS_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0) st = tms_buf_add(&b, chunk, got);
    if (st == TAMIS_OK && ferror(f)) st = fail(m, TAMIS_E_IO, "%s: %s", name, strerror(errno));
    fclose(f);
    if (st == TAMIS_E_TOO_BIG) st = fail(m, TAMIS_E_DATA, "%s: %s", name, "too large for a summary");
    char *text = NULL;
    size_t len = 0;
    if (st == TAMIS_OK) {
        text = tms_arena_strndup(&m->a, b.data ? b.data : "", b.len);
        len = b.len;
        if (!text) st = TAMIS_E_NOMEM;
    }
    tms_buf_free(&b);
    if (st != TAMIS_OK) return st;
    tms_json_object o;
    tms_json_error e;
    st = tms_json_scan_object(text, len, MAX_DEPTH, &m->a, &o, &e);
    if (st == TAMIS_E_DATA) return fail(m, st, "%s: not JSON: %s", name, e.msg);
    TMS_TRY(st);
    TMS_TRY(parse(&m->a, text, len, 0, out));
    if (!strcmp(leaf, "stats.json")) {
        tms_jv *fmt = get(*out, "format");
        if (!raw_is(fmt, "\"tamis-stats-1\""))
            return fail(m, TAMIS_E_DATA, "%s: %s", name, "not tamis statistics (format is not tamis-stats-1)");
        return TAMIS_OK;
    }
    tms_jv *docs = get(*out, "docs_in"), *stages = get(*out, "stages");
    if (!docs || docs->t != TMS_JV_NUM || !stages || stages->t != TMS_JV_ARR)
        return fail(m, TAMIS_E_DATA, "%s: %s", name, "not a tamis summary (no docs_in or stages)");
    return TAMIS_OK;
}

/* ---- writing ---- */

static tamis_status put(tms_buf *b, const tms_jv *v, int style);

static tamis_status put_key(tms_buf *b, const tms_jv *v)
{
    TMS_TRY(tms_buf_addc(b, '"'));
    TMS_TRY(tms_buf_add(b, v->key, v->key_len));
    return tms_buf_adds(b, "\": ");
}

enum { INLINE, LINES_OBJ, LINES_ARR };

static tamis_status put(tms_buf *b, const tms_jv *v, int style)
{
    if (v->raw && v->t != TMS_JV_OBJ && v->t != TMS_JV_ARR) return tms_buf_add(b, v->raw, v->raw_len);
    switch (v->t) {
    case TMS_JV_NUM:
        return v->is_float ? tms_buf_printf(b, "%.3f", v->d) : tms_buf_printf(b, "%llu", (unsigned long long)v->u);
    case TMS_JV_OBJ:
    case TMS_JV_ARR: {
        bool obj = v->t == TMS_JV_OBJ;
        TMS_TRY(tms_buf_addc(b, obj ? '{' : '['));
        for (size_t i = 0; i < v->n; i++) {
            TMS_TRY(tms_buf_adds(b, style != INLINE ? (i ? ",\n    " : "\n    ") : i ? ", " : ""));
            if (obj) TMS_TRY(put_key(b, v->kid[i]));
            TMS_TRY(put(b, v->kid[i], INLINE));
        }
        if (style != INLINE && v->n) TMS_TRY(tms_buf_adds(b, "\n  "));
        return tms_buf_addc(b, obj ? '}' : ']');
    }
    case TMS_JV_OTHER: break;
    }
    return tms_buf_add(b, v->raw, v->raw_len);
}

static tamis_status put_string(tms_buf *b, const char *s) { return tms_json_put_string(b, s, strlen(s), NULL); }

tamis_status tms_json_merge(const char *const *paths, size_t n, const char *leaf, const char *command, tms_buf *out,
                            char *err, size_t errn)
{
    if (errn) err[0] = 0;
    if (n == 0) {
        snprintf(err, errn, "no summary to merge");
        return TAMIS_E_USAGE;
    }
    merger m = {.err = err, .errn = errn};
    tms_arena_init(&m.a, 64 << 10);
    tms_buf b = *out;
    tamis_status st = TAMIS_OK;
    tms_jv *acc = NULL;
    bool stats = !strcmp(leaf, "stats.json");
    bool complete = true;
    char stopped[1024] = "";
    double first_start = -1, last_end = -1;
    char name[TMS_MAX_PATH_BYTES + 16];
    for (size_t i = 0; i < n && st == TAMIS_OK; i++) {
        tms_jv *x;
        st = read_summary(&m, paths[i], leaf, &x, name, sizeof name);
        if (st != TAMIS_OK) break;
        tms_jv *c = get(x, "complete"), *stp = get(x, "stopped");
        if (!raw_is(c, "true")) {
            complete = false;
            if (!stopped[0])
                snprintf(stopped, sizeof stopped, "%s: %.*s", paths[i], stp && stp->raw_len >= 2 ? (int)stp->raw_len - 2 : 10,
                         stp && stp->raw_len >= 2 ? stp->raw + 1 : "incomplete");
        }
        double t0 = parse_time(get(x, "started"));
        tms_jv *secs = get(x, "seconds");
        double t1 = t0 + (secs && secs->t == TMS_JV_NUM ? (secs->is_float ? secs->d : (double)secs->u) : 0);
        if (t0 >= 0 && (first_start < 0 || t0 < first_start)) first_start = t0;
        if (t0 >= 0 && t1 > last_end) last_end = t1;
        if (!acc) {
            acc = x;
            tms_jv *outs = get(acc, "outputs");
            for (size_t k = 0; outs && outs->t == TMS_JV_OBJ && k < outs->n && st == TAMIS_OK; k++)
                st = wrap(&m, outs->kid[k], &outs->kid[k]);
            continue;
        }
        for (size_t k = 0; k < x->n && st == TAMIS_OK; k++) {
            tms_jv *xm = x->kid[k], *have = member(acc, xm->key, xm->key_len);
            if (key_is(xm, "options") || key_is(xm, "tamis_version") || key_is(xm, "command") ||
                key_is(xm, "started") || key_is(xm, "seconds") || key_is(xm, "complete") || key_is(xm, "stopped"))
                continue;
            if (!have) st = add_kid(&m.a, acc, xm);
            else if (key_is(xm, "stages")) st = merge_stages(&m, have, xm);
            else if (key_is(xm, "outputs")) st = merge_outputs(&m, have, xm);
            else if (stats && key_is(xm, "removed_lines")) st = merge_lines(&m, acc, x);
            else if (stats && key_is(xm, "removed_lines_floor")) continue; /* merge_lines sets it */
            else st = merge(&m, have, xm);
            if (st == TAMIS_OK && stats && key_is(xm, "samples")) prune_samples(have);
        }
    }
    /* the merged summary, in the first part's key order */
    for (size_t k = 0; st == TAMIS_OK && k < acc->n; k++) {
        tms_jv *v = acc->kid[k];
        if (key_is(v, "stopped")) continue;
        st = tms_buf_adds(&b, k ? ",\n  " : "{\n  ");
        if (st == TAMIS_OK) st = put_key(&b, v);
        if (st != TAMIS_OK) break;
        if (key_is(v, "complete")) {
            st = tms_buf_adds(&b, complete ? "true" : "false");
            if (st == TAMIS_OK && !complete) st = tms_buf_adds(&b, ",\n  \"stopped\": ");
            if (st == TAMIS_OK && !complete) st = put_string(&b, stopped);
        } else if (key_is(v, "command")) {
            st = command ? put_string(&b, command) : put(&b, v, INLINE); /* NULL: the first part's */
            if (st == TAMIS_OK && (command || n > 1)) st = tms_buf_printf(&b, ",\n  \"shards\": %zu", n);
        } else if (key_is(v, "started") && first_start >= 0) {
            char s[32];
            time_t t = (time_t)first_start;
            struct tm tmv;
            gmtime_r(&t, &tmv);
            strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tmv);
            st = put_string(&b, s);
        } else if (key_is(v, "seconds") && first_start >= 0) {
            st = tms_buf_printf(&b, "%.3f", last_end - first_start);
        } else {
            st = put(&b, v, key_is(v, "options") ? LINES_OBJ : key_is(v, "stages") ? LINES_ARR : INLINE);
        }
    }
    if (st == TAMIS_OK) st = tms_buf_adds(&b, "\n}\n");
    if (st == TAMIS_E_NOMEM && errn) snprintf(err, errn, "out of memory");
    if (st == TAMIS_E_TOO_BIG) {
        snprintf(err, errn, "merged %s too large", leaf);
        st = TAMIS_E_DATA;
    }
    *out = b;
    tms_arena_destroy(&m.a);
    return st;
}

tamis_status tamis_summary_merge(const char *const *paths, size_t n, const char *out_path, const char *command,
                                 char *err, size_t errn)
{
    tms_buf b;
    tms_buf_init(&b, (size_t)MAX_SUMMARY_BYTES * 4);
    tamis_status st = tms_json_merge(paths, n, "summary.json", command, &b, err, errn);
    if (st == TAMIS_OK) st = tms_sink_write_file(out_path, b.data, b.len, err, errn);
    tms_buf_free(&b);
    return st;
}

/* ==== the tree, for readers of these files ==== */

tamis_status tms_jv_parse(tms_arena *a, const char *text, size_t len, tms_jv **out, char *err, size_t errn)
{
    tms_json_object o;
    tms_json_error e;
    tamis_status st = tms_json_scan_object(text, len, MAX_DEPTH, a, &o, &e);
    if (st == TAMIS_E_DATA) snprintf(err, errn, "not JSON: %s", e.msg);
    TMS_TRY(st);
    return parse(a, text, len, 0, out);
}

const tms_jv *tms_jv_get(const tms_jv *obj, const char *key) { return obj && obj->t == TMS_JV_OBJ ? get(obj, key) : NULL; }

double tms_jv_num(const tms_jv *v, double dflt)
{
    if (!v || v->t != TMS_JV_NUM) return dflt;
    return v->is_float ? v->d : (double)v->u;
}

static const char *decode(tms_arena *a, const char *raw, size_t n)
{
    if (n < 2 || raw[0] != '"') return NULL;
    const char *s;
    size_t len;
    if (tms_json_decode_string(raw, n, a, &s, &len) != TAMIS_OK) return NULL;
    return tms_arena_strndup(a, s, len);
}

const char *tms_jv_str(tms_arena *a, const tms_jv *v) { return v && v->raw ? decode(a, v->raw, v->raw_len) : NULL; }

const char *tms_jv_key(tms_arena *a, const tms_jv *v)
{
    if (!v || !v->key) return NULL;
    /* the scanner gives keys without their quotes */
    char *q = tms_arena_alloc(a, v->key_len + 3);
    if (!q) return NULL;
    q[0] = '"';
    memcpy(q + 1, v->key, v->key_len);
    q[v->key_len + 1] = '"';
    q[v->key_len + 2] = 0;
    return decode(a, q, v->key_len + 2);
}
