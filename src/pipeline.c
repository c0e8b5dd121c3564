/*
 * pipeline.c -- runs readers -> stages -> writers across threads; the only
 * part that knows all three.
 *
 * Documents travel in batches (TMS_BATCH_DOCS documents or TMS_BATCH_BYTES of
 * text, whichever comes first; boundaries depend on the input only). A ring
 * of batches bounds memory. Each batch goes through:
 *   READ       the calling thread fills it from the readers, in input order;
 *   STAGED     a worker ran every stage's process() on it (in parallel with
 *              other batches);
 *   COMMITTED  one thread at a time, strictly in batch order, ran the stages'
 *              commit() parts (dedup decisions), fixed every document's final
 *              verdict and added the statistics, in input order;
 *   ENCODED    a worker wrote the JSON lines and compressed them as one frame;
 *   written    the writer thread appended the frames in batch order.
 * So the output is byte-identical whatever the thread count.
 */
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/json.h"
#include "core/msg.h"
#include "read/reader.h"
#include "read/walk.h"
#include "stage/stage.h"
#include "write/record_out.h"
#include "write/sink.h"
#include "write/summary.h"
#include "write/stats.h"
#include "write/report.h"
#include "shard/lines_shard.h"
#include "shard/near_shard.h"
#include "stage/lines.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define TMS_SPLIT_KEY 24 /* longest language key of a split file name, with its NUL */

enum { B_EMPTY, B_READ, B_STAGING, B_STAGED, B_COMMITTING, B_COMMITTED, B_ENCODING, B_ENCODED };

typedef struct batch {
    uint64_t seq;
    int state;
    tms_arena arena;
    tms_doc *docs;
    size_t ndocs, cap;
    size_t text_bytes;
    tms_buf zkept, zrej;       /* compressed output of this batch */
    tms_buf zsplit;            /* --split-by-language: entries of split_entry + frame */
    double seconds[TMS_MAX_STAGES];
    uint64_t bytes_out;
} batch;

typedef struct worker {
    struct tamis_pipeline *p;
    pthread_t th;
    void *state[TMS_MAX_STAGES];
    tms_compressor *zk, *zr;
    tms_buf kept, rej;         /* uncompressed JSON lines of the batch */
    /* --split-by-language: where each kept record of the batch is in kept */
    struct split_rec { size_t off, len; char lang[TMS_SPLIT_KEY]; } *recs;
    size_t nrecs, recs_cap;
    tms_buf one_lang;          /* the records of one language, uncompressed */
} worker;

/* one language's compressed records of a batch, followed by the frame */
typedef struct split_entry {
    char lang[TMS_SPLIT_KEY];
    uint64_t len;
} split_entry;

/* --split-by-language: an output file per language, opened on first use */
typedef struct split_file {
    char lang[TMS_SPLIT_KEY];
    tms_sink sink;
} split_file;

#define MAX_REASONS 512 /* distinct stage:reason pairs; later ones are counted as "other:other" */

typedef struct reason_table {
    tms_reason_count v[MAX_REASONS];  /* sorted by key */
    size_t n;
} reason_table;

struct tamis_pipeline {
    tamis_options *opts;
    tms_config cfg;
    const tms_stage_vt *stage[TMS_MAX_STAGES];
    void *global[TMS_MAX_STAGES];
    size_t ctr_off[TMS_MAX_STAGES], nctr;
    size_t nstages;
    bool has_extract;
    tms_read_opts ropts;
    tms_out_fields fields;
    tms_files files;
    uint64_t raw_total;
    tms_msgs msgs;
    tamis_progress_fn progress_fn;
    void *progress_ctx;

    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_write, cv_read;
    batch *ring;
    size_t nring;
    uint64_t next_read, next_commit, next_write, total;
    bool reading_done, committing;
    tamis_status fatal;
    _Atomic int interrupted;
    _Atomic uint64_t raw_done;
    worker *workers;
    int nworkers;

    /* the corpus pass: a first pass over the input for the stage at
     * pass_stage (lines), running only the stages before it */
    int pass_stage;                 /* the stage of the corpus pass running, or -1 */
    int pass_stages[TMS_MAX_STAGES]; /* every stage that wants a pass, in order */
    int npass_stages;
    int passes_done;                /* corpus passes finished (for progress) */
    int pass;                       /* 1 during the corpus pass, else 0 */
    int spool_fd;                   /* stdin, spooled for the two passes, or -1 */

    tms_sink kept, rej;
    bool write_kept, write_rej;
    split_file *split;              /* --split-by-language: DIR/kept/LANG.jsonl.zst */
    int near_stage;                 /* --dedup-step: the near_dedup stage's index, or -1 */
    int lines_stage;                /* --dedup-step: the lines stage's index when it uses corpus counts, or -1 */
    char *dedup_config;             /* --dedup-step: the configuration the steps share */
    size_t nsplit, split_cap;
    char *kept_path, *rej_path, *summary_path;
    tms_stats *stats;               /* --report: what report.html shows beyond the summary, or NULL */
    char *stats_path, *report_path; /* beside the summary */

    /* statistics, updated in input order by the committing thread */
    uint64_t docs_in, docs_kept, docs_rejected, bytes_in, bytes_out, data_errors;
    tms_stage_summary sstats[TMS_MAX_STAGES + 1]; /* [0] is "read" */
    reason_table reasons;           /* rejected documents */
    reason_table would;             /* --tag-only: every rejection a stage would have made */
    uint64_t docs_would_reject;     /* --tag-only: documents with at least one */
    tms_skip_counts skips;
    double t0;
    char started[32];
    bool complete;
    const char *stopped;
    char errmsg[512];
    char strict_msg[256];
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *tamis_version(void) { return TAMIS_VERSION_STRING; }

const char *tamis_strerror(tamis_status st)
{
    switch (st) {
    case TAMIS_OK: return "ok";
    case TAMIS_E_USAGE: return "usage error";
    case TAMIS_E_IO: return "input/output error";
    case TAMIS_E_DATA: return "data error";
    case TAMIS_E_NOMEM: return "out of memory";
    case TAMIS_E_INTERNAL: return "internal error";
    case TAMIS_E_INTERRUPTED: return "interrupted";
    case TAMIS_E_TOO_BIG: return "size limit reached";
    }
    return "unknown status";
}

int tamis_exit_code(tamis_status st)
{
    switch (st) {
    case TAMIS_OK: return TAMIS_EXIT_OK;
    case TAMIS_E_USAGE: return TAMIS_EXIT_USAGE;
    case TAMIS_E_IO: case TAMIS_E_DATA: case TAMIS_E_INTERRUPTED: return TAMIS_EXIT_IO;
    default: return TAMIS_EXIT_INTERNAL;
    }
}

static tamis_stage_info stage_infos[TMS_MAX_STAGES];

const tamis_stage_info *tamis_stage_at(size_t i)
{
    if (i >= tms_nstages) return NULL;
    stage_infos[i].name = tms_stages[i]->name;
    stage_infos[i].in_default = tms_stages[i]->in_default;
    stage_infos[i].description = tms_stages[i]->description;
    return &stage_infos[i];
}

/* ==== Creation ==== */

static tamis_status resolve_stages(tamis_pipeline *p, char *err, size_t errn)
{
    bool want[TMS_MAX_STAGES] = {0};
    const char *s = p->cfg.stages;
    if (!strcmp(s, "default")) {
        for (size_t i = 0; i < tms_nstages; i++) want[i] = tms_stages[i]->in_default;
    } else {
        while (*s) {
            const char *comma = strchr(s, ',');
            size_t l = comma ? (size_t)(comma - s) : strlen(s);
            while (l && *s == ' ') { s++; l--; }
            while (l && s[l - 1] == ' ') l--;
            if (l) {
                const tms_stage_vt *vt = tms_stage_find(s, l);
                if (!vt) {
                    if (tms_stage_canonical_index(s, l) >= 0)
                        snprintf(err, errn, "--stages: stage '%.*s' is not implemented in tamis %s", (int)l, s,
                                 TAMIS_VERSION_STRING);
                    else
                        snprintf(err, errn, "--stages: unknown stage '%.*s' (see 'tamis stages')", (int)l, s);
                    return TAMIS_E_USAGE;
                }
                for (size_t i = 0; i < tms_nstages; i++)
                    if (tms_stages[i] == vt) want[i] = true;
            }
            if (!comma) break;
            s = comma + 1;
        }
    }
    p->nstages = 0;
    for (size_t i = 0; i < tms_nstages; i++) {
        if (!want[i]) continue;
        p->stage[p->nstages] = tms_stages[i];
        p->ctr_off[p->nstages] = p->nctr;
        p->nctr += tms_stages[i]->ncounters;
        if (!strcmp(tms_stages[i]->name, "extract")) p->has_extract = true;
        p->nstages++;
    }
    return TAMIS_OK;
}

tamis_status tamis_pipeline_create(tamis_options *o, tamis_pipeline **out)
{
    *out = NULL;
    TMS_TRY(tamis_options_validate(o));
    tamis_pipeline *p = tms_calloc(1, sizeof *p);
    if (!p) return TAMIS_E_NOMEM;
    p->opts = o;
    p->kept.fd = p->rej.fd = -1;
    p->spool_fd = -1;
    p->pass_stage = -1;
    tamis_status st = tms_config_resolve(o, &p->cfg, p->errmsg, sizeof p->errmsg);
    if (st == TAMIS_OK) st = resolve_stages(p, p->errmsg, sizeof p->errmsg);
    if (st == TAMIS_E_USAGE) tms_options_set_error(o, p->errmsg);
    if (st != TAMIS_OK) { tms_free(p); return st; }
    p->ropts.text_field = p->cfg.text_field;
    p->ropts.id_field = p->cfg.id_field;
    p->ropts.html_field = p->cfg.html_field;
    p->ropts.max_doc_bytes = p->cfg.max_doc_bytes;
    p->ropts.max_json_depth = p->cfg.max_json_depth;
    p->ropts.format = (tms_format)p->cfg.format;
    p->fields.text_field = p->cfg.text_field;
    p->fields.id_field = p->cfg.id_field;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv_work, NULL);
    pthread_cond_init(&p->cv_write, NULL);
    pthread_cond_init(&p->cv_read, NULL);
    *out = p;
    return TAMIS_OK;
}

void tamis_pipeline_set_msg(tamis_pipeline *p, tamis_msg_fn fn, void *ctx)
{
    p->msgs.fn = fn;
    p->msgs.ctx = ctx;
}

void tamis_pipeline_set_progress(tamis_pipeline *p, tamis_progress_fn fn, void *ctx)
{
    p->progress_fn = fn;
    p->progress_ctx = ctx;
}

void tamis_pipeline_interrupt(tamis_pipeline *p) { atomic_store(&p->interrupted, 1); }
const char *tamis_pipeline_errmsg(const tamis_pipeline *p) { return p->errmsg; }

void tamis_pipeline_totals(const tamis_pipeline *p, tamis_totals *t)
{
    memset(t, 0, sizeof *t);
    t->docs_in = p->docs_in;
    t->docs_kept = p->docs_kept;
    t->docs_rejected = p->docs_rejected;
    t->bytes_in = p->bytes_in;
    t->bytes_out = p->bytes_out;
    for (size_t i = 0; i < p->skips.used; i++) t->records_skipped += p->skips.n[i];
    t->data_errors = p->data_errors;
    t->seconds = p->t0 ? now() - p->t0 : 0;
    t->complete = p->complete;
}

/* ==== Stage, commit and encode work on one batch ==== */

static void fail(tamis_pipeline *p, tamis_status st, const char *what)
{
    pthread_mutex_lock(&p->mu);
    if (p->fatal == TAMIS_OK) {
        p->fatal = st;
        if (!p->errmsg[0]) snprintf(p->errmsg, sizeof p->errmsg, "%s: %s", what, tamis_strerror(st));
    }
    pthread_cond_broadcast(&p->cv_work);
    pthread_cond_broadcast(&p->cv_write);
    pthread_cond_broadcast(&p->cv_read);
    pthread_mutex_unlock(&p->mu);
}

/* --tag-only: remembers a rejection the stage would have made, and lets the
 * document go on */
static tamis_status add_note(tms_doc *d, int stage)
{
    tms_note *n = tms_arena_alloc(d->arena, sizeof *n);
    if (!n) return TAMIS_E_NOMEM;
    *n = (tms_note){stage, d->reason, d->value, d->threshold, d->has_value, d->notes};
    d->notes = n;
    d->reason = NULL;
    d->has_value = false;
    return TAMIS_OK;
}

/* the note of the earliest stage */
static const tms_note *first_note(const tms_doc *d)
{
    const tms_note *f = NULL;
    for (const tms_note *n = d->notes; n; n = n->next)
        if (!f || n->stage < f->stage) f = n;
    return f;
}

static tamis_status stage_batch(worker *w, batch *b)
{
    tamis_pipeline *p = w->p;
    size_t nstages = p->pass ? (size_t)p->pass_stage : p->nstages;
    bool collect = p->stats && !p->pass;
    for (size_t si = 0; si < nstages; si++) {
        const tms_stage_vt *vt = p->stage[si];
        double t = now();
        for (size_t i = 0; i < b->ndocs; i++) {
            tms_doc *d = &b->docs[i];
            if (d->reject_at != -1 || d->process_reject_at != -1) continue;
            d->text_at[si] = d->text;
            d->len_at[si] = d->len;
            d->collect = collect;
            d->stage = (int)si;
            tms_verdict v = TMS_KEEP;
            TMS_TRY(vt->process(w->state[si], d, d->counters + p->ctr_off[si], &v));
            if (v == TMS_REJECT && p->cfg.tag_only) {
                TMS_TRY(add_note(d, (int)si));
            } else if (v == TMS_REJECT) {
                d->process_reject_at = (int)si;
                d->process_reason = d->reason;
            }
        }
        b->seconds[si] += now() - t;
    }
    if (p->pass) { /* what the observing stage needs of the documents that reach it */
        int ps = p->pass_stage;
        double t = now();
        for (size_t i = 0; i < b->ndocs; i++) {
            tms_doc *d = &b->docs[i];
            if (d->reject_at != -1 || d->process_reject_at != -1) continue;
            TMS_TRY(p->stage[ps]->observe(w->state[ps], d));
        }
        b->seconds[ps] += now() - t;
    }
    return TAMIS_OK;
}

static void count_reason(reason_table *t, const char *stage, const char *reason)
{
    char key[64];
    snprintf(key, sizeof key, "%s:%s", stage, reason);
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key)) { t->v[i].n++; return; }
    if (t->n == MAX_REASONS) { /* full: keep the sum right */
        snprintf(t->v[MAX_REASONS - 1].key, sizeof t->v[0].key, "other:other");
        t->v[MAX_REASONS - 1].n++;
        return;
    }
    /* kept sorted by key, so the summary lists reasons in a stable order */
    size_t at = t->n;
    while (at > 0 && strcmp(t->v[at - 1].key, key) > 0) at--;
    memmove(&t->v[at + 1], &t->v[at], (t->n - at) * sizeof t->v[0]);
    snprintf(t->v[at].key, sizeof t->v[at].key, "%s", key);
    t->v[at].n = 1;
    t->n++;
}

/* In input order: serial decisions, final verdicts, statistics. A document
 * is counted only once its fate is fixed, so a failing commit leaves the
 * counts adding up. */
static tamis_status commit_pass(tamis_pipeline *p, batch *b)
{
    int ps = p->pass_stage;
    for (size_t si = 0; si <= (size_t)ps; si++) p->sstats[ps + 1].pass_seconds += b->seconds[si];
    double t = now();
    for (size_t i = 0; i < b->ndocs; i++) {
        tms_doc *d = &b->docs[i];
        if (d->reject_at != -1 || d->process_reject_at != -1) continue;
        bool rejected = false;
        for (int si = 0; si < ps && !rejected; si++) {
            tms_verdict v = TMS_KEEP;
            if (p->stage[si]->commit) TMS_TRY(p->stage[si]->commit(p->global[si], d, d->counters + p->ctr_off[si], &v));
            rejected = v == TMS_REJECT && !p->cfg.tag_only;
        }
        if (!rejected) TMS_TRY(p->stage[ps]->observe_commit(p->global[ps], d));
    }
    p->sstats[ps + 1].pass_seconds += now() - t;
    return TAMIS_OK;
}

/* What the report shows of one document whose fate is fixed, in input order
 * (so the sketches do not depend on the thread count). Only the stages the
 * document went through count, as for the counters. */
static tamis_status collect_doc(tamis_pipeline *p, const tms_doc *d, size_t entered, int final_at)
{
    tms_stats *s = p->stats;
    bool kept = d->reject_at == -1;
    tms_stats_doc(s, entered, d->len_at, d->rec.text_len, kept, d->len);
    for (const tms_measure_t *m = d->measures; m; m = m->next)
        if ((size_t)m->stage < entered)
            TMS_TRY(tms_stats_measure(s, p->stage[m->stage]->name, m->reason, m->value, m->threshold, m->scale, m->upper));
    for (const tms_removed *r = d->removed; r; r = r->next)
        if ((size_t)r->stage < entered) TMS_TRY(tms_stats_removed_line(s, p->stage[r->stage]->name, r->line, r->len, r->reason));
    tms_sample_doc x = {d->rec.id, d->rec.id_len, d->rec.location, d->text, d->len, false, 0, 0, d->lang, d->lang_len};
    if (kept) {
        TMS_TRY(tms_stats_sample(s, "kept", NULL, &x));
        for (const tms_note *n = d->notes; n; n = n->next) { /* --tag-only */
            x.text = d->text_at[n->stage];
            x.len = d->len_at[n->stage];
            x.has_value = n->has_value;
            x.value = n->value;
            x.threshold = n->threshold;
            TMS_TRY(tms_stats_sample(s, p->stage[n->stage]->name, n->reason, &x));
        }
        return TAMIS_OK;
    }
    const char *stage = "read";
    if (final_at >= 0) {
        stage = p->stage[final_at]->name;
        x.text = d->text_at[final_at];
        x.len = d->len_at[final_at];
        x.has_value = d->has_value;
        x.value = d->value;
        x.threshold = d->threshold;
        if (d->duplicate_of != UINT64_MAX) TMS_TRY(tms_stats_duplicate(s, stage, d->duplicate_of));
        else if (d->duplicate_of_text)
            TMS_TRY(tms_stats_duplicate(s, stage, XXH3_64bits(d->duplicate_of_text, strlen(d->duplicate_of_text))));
    } else {
        x.text = d->rec.text ? d->rec.text : "";
        x.len = d->rec.text ? d->rec.text_len : 0;
    }
    return tms_stats_sample(s, stage, d->reason, &x);
}

static tamis_status commit_batch(tamis_pipeline *p, batch *b)
{
    if (p->pass) return commit_pass(p, b);
    for (size_t si = 0; si < p->nstages; si++) p->sstats[si + 1].seconds += b->seconds[si];
    for (size_t i = 0; i < b->ndocs; i++) {
        tms_doc *d = &b->docs[i];
        int final_at = -1;
        size_t entered = 0; /* stages the document went through */
        if (d->reject_at != TMS_AT_READ) {
            size_t last = d->process_reject_at >= 0 ? (size_t)d->process_reject_at : p->nstages - 1;
            for (size_t si = 0; p->nstages && si <= last; si++) {
                entered = si + 1;
                tms_verdict v = TMS_KEEP;
                if ((int)si == d->process_reject_at) {
                    d->reason = d->process_reason;
                    v = TMS_REJECT;
                } else if (p->stage[si]->commit) {
                    TMS_TRY(p->stage[si]->commit(p->global[si], d, d->counters + p->ctr_off[si], &v));
                }
                if (v == TMS_REJECT && p->cfg.tag_only) {
                    TMS_TRY(add_note(d, (int)si));
                } else if (v == TMS_REJECT) {
                    final_at = (int)si;
                    break;
                }
            }
            d->reject_at = final_at;
        }
        p->docs_in++;
        p->bytes_in += d->rec.text_len;
        p->sstats[0].docs_in++;
        for (size_t si = 0; si < entered; si++) {
            tms_stage_summary *ss = &p->sstats[si + 1];
            const uint32_t *c = d->counters + p->ctr_off[si];
            ss->docs_in++;
            for (size_t k = 0; k < p->stage[si]->ncounters; k++) ss->counters[k] += c[k];
        }
        if (p->stats) TMS_TRY(collect_doc(p, d, entered, final_at));
        if (d->reject_at == TMS_AT_READ) {
            p->sstats[0].docs_rejected++;
            p->docs_rejected++;
            count_reason(&p->reasons, "read", d->reason);
        } else if (final_at >= 0) {
            p->sstats[final_at + 1].docs_rejected++;
            p->docs_rejected++;
            count_reason(&p->reasons, p->stage[final_at]->name, d->reason);
        } else {
            p->docs_kept++;
            p->bytes_out += d->len;
            p->docs_would_reject += d->notes != NULL;
            for (const tms_note *n = d->notes; n; n = n->next) {
                p->sstats[n->stage + 1].docs_would_reject++;
                count_reason(&p->would, p->stage[n->stage]->name, n->reason);
            }
        }
    }
    return TAMIS_OK;
}

/* "FILE:LINE", "FILE@OFFSET" or "FILE" of a position key, as the reader
 * of that file wrote its locations */
static const char *format_pos(tamis_pipeline *p, tms_arena *a, uint64_t key)
{
    if (key == UINT64_MAX) return NULL;
    size_t file = tms_pos_file(key);
    if (file >= p->files.n) return NULL;
    return tms_location(a, p->files.f[file].path, (tms_format)p->files.f[file].format, tms_pos_where(key));
}

/* A double as JSON: the shortest of 15-17 significant digits that reads back
 * as the same value (what Python's repr prints) */
static tamis_status explain_entry(tms_buf *e, const char *stage, const char *reason, bool has_value, double value,
                                  double threshold)
{
    TMS_TRY(tms_json_put_string(e, stage, strlen(stage), NULL));
    TMS_TRY(tms_buf_adds(e, ":{\"reason\":"));
    TMS_TRY(tms_json_put_string(e, reason, strlen(reason), NULL));
    if (has_value) {
        TMS_TRY(tms_buf_adds(e, ",\"value\":"));
        TMS_TRY(tms_json_put_double(e, value));
        TMS_TRY(tms_buf_adds(e, ",\"threshold\":"));
        TMS_TRY(tms_json_put_double(e, threshold));
    }
    return tms_buf_addc(e, '}');
}

/* metadata.explain: {"STAGE": {"reason", "value", "threshold"}} for the
 * rejecting stage, or under --tag-only for every stage that would have
 * rejected, in stage order */
static tamis_status explain_json(tamis_pipeline *p, const tms_doc *d, tms_arena *a, char **out, size_t *len)
{
    tms_buf e;
    tms_buf_init(&e, (size_t)1 << 20);
    tamis_status st = tms_buf_addc(&e, '{');
    if (d->reject_at != -1) {
        const char *stage = d->reject_at == TMS_AT_READ ? "read" : p->stage[d->reject_at]->name;
        if (st == TAMIS_OK) st = explain_entry(&e, stage, d->reason, d->has_value, d->value, d->threshold);
    } else {
        bool any = false;
        for (int si = 0; si < (int)p->nstages && st == TAMIS_OK; si++)
            for (const tms_note *n = d->notes; n && st == TAMIS_OK; n = n->next) {
                if (n->stage != si) continue;
                if (any) st = tms_buf_addc(&e, ',');
                if (st == TAMIS_OK) st = explain_entry(&e, p->stage[si]->name, n->reason, n->has_value, n->value, n->threshold);
                any = true;
            }
    }
    if (st == TAMIS_OK) st = tms_buf_addc(&e, '}');
    *out = st == TAMIS_OK ? tms_arena_strndup(a, e.data, e.len) : NULL;
    *len = e.len;
    tms_buf_free(&e);
    if (st != TAMIS_OK) return st;
    return *out ? TAMIS_OK : TAMIS_E_NOMEM;
}

/* --split-by-language: the language a kept document is filed under, safe as
 * a file name: metadata.language as the language stage wrote it, else the
 * input's own, else "und" */
static void split_key(const tms_doc *d, char key[TMS_SPLIT_KEY])
{
    const char *s = NULL;
    size_t n = 0;
    for (const tms_meta *m = d->meta; m; m = m->next)
        if (!strcmp(m->key, "language") && m->len >= 2 && m->json[0] == '"') s = m->json + 1, n = m->len - 2;
    if (!s && d->rec.lang) s = d->rec.lang, n = d->rec.lang_len;
    bool ok = s && n > 0 && n < TMS_SPLIT_KEY;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
    if (!ok) s = "und", n = 3;
    memcpy(key, s, n);
    key[n] = 0;
}

static tamis_status encode_doc(tamis_pipeline *p, worker *w, batch *b, tms_doc *d)
{
    tms_kv kv[32];
    size_t n = 0;
    bool rejected = d->reject_at != -1;
    const char *text = d->text;
    size_t len = d->len;
    if (rejected) {
        const char *stage = d->reject_at == TMS_AT_READ ? "read" : p->stage[d->reject_at]->name;
        if (d->reject_at >= 0) {
            text = d->text_at[d->reject_at];
            len = d->len_at[d->reject_at];
        }
        kv[n++] = (tms_kv){"filter_reason", d->reason, strlen(d->reason), false};
        kv[n++] = (tms_kv){"stage", stage, strlen(stage), false};
        if (d->duplicate_of_text) {
            kv[n++] = (tms_kv){"duplicate_of", d->duplicate_of_text, strlen(d->duplicate_of_text), false};
        } else if (d->duplicate_of != UINT64_MAX) {
            const char *s = format_pos(p, &b->arena, d->duplicate_of);
            if (s) kv[n++] = (tms_kv){"duplicate_of", s, strlen(s), false};
        }
        if (d->reject_at == TMS_AT_READ && d->rec.location)
            kv[n++] = (tms_kv){"location", d->rec.location, strlen(d->rec.location), false};
    }
    if (d->rec.url) kv[n++] = (tms_kv){"url", d->rec.url, strlen(d->rec.url), false};
    if (d->rec.warc_date) kv[n++] = (tms_kv){"warc_date", d->rec.warc_date, strlen(d->rec.warc_date), false};
    if (d->rec.content_type)
        kv[n++] = (tms_kv){"content_type", d->rec.content_type, strlen(d->rec.content_type), false};
    if (d->rec.http_status) {
        char *s = tms_arena_printf(&b->arena, "%d", d->rec.http_status);
        if (!s) return TAMIS_E_NOMEM;
        kv[n++] = (tms_kv){"http_status", s, strlen(s), true};
    }
    for (const tms_meta *m = d->meta; m && n < TMS_ARRAY_LEN(kv) - 8; m = m->next)
        kv[n++] = (tms_kv){m->key, m->json, m->len, true};
    const tms_note *first = rejected ? NULL : first_note(d);
    if (first) kv[n++] = (tms_kv){"would_reject", first->reason, strlen(first->reason), false};
    bool explain = p->cfg.explain && (rejected || first);
    /* keys tamis owns: an input value is dropped unless tamis sets one */
    static const char *const owned[] = {"filter_reason", "stage", "duplicate_of", "location", "explain", "would_reject",
                                        "removed_lines"};
    for (size_t k = 0; k < TMS_ARRAY_LEN(owned); k++) {
        bool set = false;
        for (size_t j = 0; j < n; j++) set |= !strcmp(kv[j].key, owned[k]);
        if (!set && !(explain && !strcmp(owned[k], "explain"))) kv[n++] = (tms_kv){owned[k], NULL, 0, false};
    }
    if (explain) {
        char *s;
        size_t elen;
        TMS_TRY(explain_json(p, d, &b->arena, &s, &elen));
        kv[n++] = (tms_kv){"explain", s, elen, true};
    }
    tms_buf *out = rejected ? &w->rej : &w->kept;
    if (rejected && !p->write_rej) return TAMIS_OK;
    size_t off = out->len;
    if (!rejected && d->text_valid)
        TMS_TRY(tms_write_record_valid_text(out, &b->arena, &d->rec, text, len, &p->fields, kv, n, NULL));
    else
        TMS_TRY(tms_write_record(out, &b->arena, &d->rec, text, len, &p->fields, kv, n, NULL));
    if (rejected || !p->cfg.split_by_language) return TAMIS_OK;
    if (TMS_RESERVE(w->recs, w->recs_cap, w->nrecs + 1) != 0) return TAMIS_E_NOMEM;
    struct split_rec *r = &w->recs[w->nrecs++];
    r->off = off;
    r->len = out->len - off;
    split_key(d, r->lang);
    return TAMIS_OK;
}

/* --split-by-language: the batch's kept records, one frame per language, in
 * order of first appearance (each file gets its records in input order) */
static tamis_status encode_split(worker *w, batch *b)
{
    for (size_t i = 0; i < w->nrecs; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(w->recs[j].lang, w->recs[i].lang);
        if (seen) continue;
        tms_buf_reset(&w->one_lang);
        for (size_t j = i; j < w->nrecs; j++)
            if (!strcmp(w->recs[j].lang, w->recs[i].lang))
                TMS_TRY(tms_buf_add(&w->one_lang, w->kept.data + w->recs[j].off, w->recs[j].len));
        split_entry e;
        memset(&e, 0, sizeof e);
        memcpy(e.lang, w->recs[i].lang, sizeof e.lang);
        size_t at = b->zsplit.len;
        TMS_TRY(tms_buf_add(&b->zsplit, &e, sizeof e));
        TMS_TRY(tms_compress(w->zk, w->one_lang.data, w->one_lang.len, &b->zsplit));
        e.len = b->zsplit.len - at - sizeof e;
        memcpy(b->zsplit.data + at, &e, sizeof e);
    }
    return TAMIS_OK;
}

static tamis_status encode_batch(worker *w, batch *b)
{
    tamis_pipeline *p = w->p;
    if (p->pass) return TAMIS_OK; /* the corpus pass writes nothing */
    tms_buf_reset(&w->kept);
    tms_buf_reset(&w->rej);
    w->nrecs = 0;
    for (size_t i = 0; i < b->ndocs; i++) TMS_TRY(encode_doc(p, w, b, &b->docs[i]));
    if (p->cfg.split_by_language) TMS_TRY(encode_split(w, b));
    else TMS_TRY(tms_compress(w->zk, w->kept.data, w->kept.len, &b->zkept));
    if (p->write_rej) TMS_TRY(tms_compress(w->zr, w->rej.data, w->rej.len, &b->zrej));
    return TAMIS_OK;
}

/* ==== Threads ==== */

/* With the lock held: commits every STAGED batch that is next in order. */
static void commit_ready(tamis_pipeline *p)
{
    if (p->committing) return;
    p->committing = true;
    for (;;) {
        batch *b = &p->ring[p->next_commit % p->nring];
        if (p->fatal || b->seq != p->next_commit || b->state != B_STAGED) break;
        b->state = B_COMMITTING;
        pthread_mutex_unlock(&p->mu);
        tamis_status st = commit_batch(p, b);
        pthread_mutex_lock(&p->mu);
        if (st != TAMIS_OK) {
            pthread_mutex_unlock(&p->mu);
            fail(p, st, "commit");
            pthread_mutex_lock(&p->mu);
            break;
        }
        b->state = B_COMMITTED;
        p->next_commit++;
        pthread_cond_broadcast(&p->cv_work);
    }
    p->committing = false;
}

static batch *find_state(tamis_pipeline *p, int state)
{
    batch *best = NULL;
    for (size_t i = 0; i < p->nring; i++) {
        batch *b = &p->ring[i];
        if (b->state == state && (!best || b->seq < best->seq)) best = b;
    }
    return best;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    tamis_pipeline *p = w->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->fatal) break;
        batch *b = find_state(p, B_COMMITTED);
        if (b) {
            b->state = B_ENCODING;
            pthread_mutex_unlock(&p->mu);
            tamis_status st = encode_batch(w, b);
            if (st != TAMIS_OK) { fail(p, st, "writing records"); pthread_mutex_lock(&p->mu); break; }
            pthread_mutex_lock(&p->mu);
            b->state = B_ENCODED;
            pthread_cond_broadcast(&p->cv_write);
            continue;
        }
        b = find_state(p, B_READ);
        if (b) {
            b->state = B_STAGING;
            pthread_mutex_unlock(&p->mu);
            tamis_status st = stage_batch(w, b);
            if (st != TAMIS_OK) { fail(p, st, "running stages"); pthread_mutex_lock(&p->mu); break; }
            pthread_mutex_lock(&p->mu);
            b->state = B_STAGED;
            commit_ready(p);
            continue;
        }
        if (p->reading_done && p->next_commit == p->total && !find_state(p, B_COMMITTED)) break;
        pthread_cond_wait(&p->cv_work, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void report_progress(tamis_pipeline *p, uint64_t docs, uint64_t text_bytes)
{
    if (!p->progress_fn) return;
    tamis_progress pr = {docs, text_bytes, atomic_load(&p->raw_done), p->raw_total, now() - p->t0};
    if (p->npass_stages) { /* the input is read once per corpus pass, then once more */
        pr.input_bytes_done += (uint64_t)p->passes_done * p->raw_total;
        pr.input_bytes_total *= (uint64_t)p->npass_stages + 1;
    }
    p->progress_fn(p->progress_ctx, &pr);
}

/* --split-by-language: appends each language's frame of the batch to its
 * file, DIR/kept/LANG.jsonl.zst, opened the first time */
static tamis_status write_split(tamis_pipeline *p, batch *b, char *err, size_t errn)
{
    for (size_t at = 0; at < b->zsplit.len;) {
        split_entry e;
        memcpy(&e, b->zsplit.data + at, sizeof e);
        at += sizeof e;
        split_file *f = NULL;
        for (size_t i = 0; i < p->nsplit && !f; i++)
            if (!strcmp(p->split[i].lang, e.lang)) f = &p->split[i];
        if (!f) {
            if (TMS_RESERVE(p->split, p->split_cap, p->nsplit + 1) != 0) return TAMIS_E_NOMEM;
            f = &p->split[p->nsplit];
            memcpy(f->lang, e.lang, sizeof f->lang);
            f->sink.fd = -1;
            char path[TMS_MAX_PATH_BYTES];
            snprintf(path, sizeof path, "%s%s%s", p->kept_path, e.lang, tms_codec_suffix(p->cfg.compress));
            TMS_TRY(tms_sink_open(&f->sink, path, err, errn));
            p->nsplit++;
        }
        TMS_TRY(tms_sink_write(&f->sink, b->zsplit.data + at, (size_t)e.len, err, errn));
        at += (size_t)e.len;
    }
    return TAMIS_OK;
}

static void *writer_main(void *arg)
{
    tamis_pipeline *p = arg;
    double last = 0;
    uint64_t docs = 0, text_bytes = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->fatal) break;
        if (p->reading_done && p->next_write == p->total) break;
        batch *b = &p->ring[p->next_write % p->nring];
        if (b->seq != p->next_write || b->state != B_ENCODED) {
            pthread_cond_wait(&p->cv_write, &p->mu);
            continue;
        }
        pthread_mutex_unlock(&p->mu);
        char err[512] = "";
        tamis_status st = TAMIS_OK;
        if (p->write_kept && !p->pass) st = tms_sink_write(&p->kept, b->zkept.data, b->zkept.len, err, sizeof err);
        if (st == TAMIS_OK && p->cfg.split_by_language && !p->pass) st = write_split(p, b, err, sizeof err);
        if (st == TAMIS_OK && p->write_rej && !p->pass)
            st = tms_sink_write(&p->rej, b->zrej.data, b->zrej.len, err, sizeof err);
        if (!p->pass) docs += b->ndocs;
        for (size_t i = 0; i < b->ndocs && !p->pass; i++) text_bytes += b->docs[i].rec.text_len;
        tms_arena_reset(&b->arena);
        b->ndocs = 0;
        b->text_bytes = 0;
        tms_buf_reset(&b->zkept);
        tms_buf_reset(&b->zrej);
        tms_buf_reset(&b->zsplit);
        memset(b->seconds, 0, sizeof b->seconds);
        double t = now();
        if (t - last > 0.16) { report_progress(p, docs, text_bytes); last = t; }
        if (st != TAMIS_OK) {
            pthread_mutex_lock(&p->mu);
            if (!p->errmsg[0]) snprintf(p->errmsg, sizeof p->errmsg, "%s", err);
            pthread_mutex_unlock(&p->mu);
            fail(p, st, "write");
            pthread_mutex_lock(&p->mu);
            break;
        }
        pthread_mutex_lock(&p->mu);
        b->state = B_EMPTY;
        p->next_write++;
        pthread_cond_broadcast(&p->cv_read);
    }
    pthread_mutex_unlock(&p->mu);
    report_progress(p, docs, text_bytes);
    return NULL;
}

/* ==== Reading ==== */

typedef struct read_state {
    size_t file;          /* index of the file being read */
    tms_reader *r;
    uint64_t raw_before;  /* raw bytes of the files already finished */
} read_state;

static tamis_status open_next(tamis_pipeline *p, read_state *rs)
{
    const tms_file *f = &p->files.f[rs->file];
    int fd = STDIN_FILENO;
    if (strcmp(f->path, "-") != 0) {
        fd = open(f->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(p->errmsg, sizeof p->errmsg, "%s: cannot open: %s", f->path, strerror(errno));
            return TAMIS_E_IO;
        }
    } else if (p->spool_fd >= 0) {
        fd = dup(p->spool_fd);
        if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
            if (fd >= 0) close(fd);
            snprintf(p->errmsg, sizeof p->errmsg, "stdin spool: %s", strerror(errno));
            return TAMIS_E_IO;
        }
    } else {
        fd = dup(STDIN_FILENO);
        if (fd < 0) return TAMIS_E_IO;
    }
    tms_stream *s;
    TMS_TRY(tms_stream_open(&s, fd));
    tms_stream_set_cancel(s, &p->interrupted);
    TMS_TRY(tms_reader_open(&rs->r, s, f->path, f->rel, (uint32_t)rs->file, &p->ropts, &p->msgs, &p->skips));
    p->files.f[rs->file].format = (int)rs->r->format;
    return TAMIS_OK;
}

/* Fills one batch; *more is false when the input is exhausted. */
static tamis_status fill_batch(tamis_pipeline *p, read_state *rs, batch *b, bool *more)
{
    *more = true;
    double t = now();
    while (b->ndocs < TMS_BATCH_DOCS && b->text_bytes < TMS_BATCH_BYTES) {
        if (atomic_load(&p->interrupted)) {
            p->stopped = "interrupted";
            *more = false;
            break;
        }
        if (!rs->r) {
            if (rs->file >= p->files.n) { *more = false; break; }
            TMS_TRY(open_next(p, rs));
        }
        if (TMS_GROW(b->docs, b->cap, b->ndocs, 256)) return TAMIS_E_NOMEM;
        tms_doc *d = &b->docs[b->ndocs];
        bool eof;
        tamis_status st = tms_reader_next(rs->r, &b->arena, &d->rec, &eof);
        atomic_store(&p->raw_done, rs->raw_before + tms_reader_raw_bytes(rs->r));
        if (st == TAMIS_E_INTERRUPTED) {
            p->stopped = "interrupted";
            *more = false;
            break;
        }
        if (st != TAMIS_OK) {
            if (!p->errmsg[0]) {
                const char *e = tms_stream_error(rs->r->s);
                snprintf(p->errmsg, sizeof p->errmsg, "%s: %s", p->files.f[rs->file].path, e ? e : tamis_strerror(st));
            }
            return st;
        }
        if (eof) {
            rs->raw_before += tms_reader_raw_bytes(rs->r);
            tms_reader_free(rs->r);
            rs->r = NULL;
            rs->file++;
            continue;
        }
        d->text = d->rec.text;
        d->len = d->rec.text_len;
        d->arena = &b->arena;
        d->reject_at = -1;
        d->process_reject_at = -1;
        d->reason = NULL;
        d->has_value = false;
        d->notes = NULL;
        d->meta = NULL;
        d->meta_tail = &d->meta;
        d->pass_data = NULL;
        d->pass_len = 0;
        d->collect = false;
        d->measures = NULL;
        d->removed = NULL;
        d->words_tok = 0;
        d->lang = d->rec.lang;
        d->guess_text = NULL;
        d->lang_len = d->rec.lang_len;
        d->duplicate_of = UINT64_MAX;
        d->duplicate_of_text = NULL;
        d->text_valid = false;
        d->counters = NULL;
        if (p->nctr) {
            d->counters = tms_arena_alloc(&b->arena, p->nctr * sizeof(uint32_t));
            if (!d->counters) return TAMIS_E_NOMEM;
            memset(d->counters, 0, p->nctr * sizeof(uint32_t));
        }
        bool data_error = false;
        if (d->rec.reject) {
            d->reject_at = TMS_AT_READ;
            d->reason = d->rec.reject;
            data_error = !strcmp(d->rec.reject, "malformed") || !strcmp(d->rec.reject, "too_large");
            p->data_errors += data_error;
        } else if (d->rec.is_html && !p->has_extract) {
            d->reject_at = TMS_AT_READ;
            d->reason = "html_not_extracted";
        }
        b->text_bytes += d->len + 64;
        b->ndocs++;
        if (p->cfg.strict && data_error) {
            snprintf(p->strict_msg, sizeof p->strict_msg, "%s: %s record (--strict)",
                     d->rec.location ? d->rec.location : "?", d->reason);
            p->stopped = "strict";
            *more = false;
            break;
        }
    }
    p->sstats[0].seconds += now() - t;
    return TAMIS_OK;
}

/* ==== Run ==== */

/* mkdir -p */
static int mkdir_p(const char *dir)
{
    char tmp[TMS_MAX_PATH_BYTES];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) { errno = ENAMETOOLONG; return -1; }
    for (char *c = tmp + 1; *c; c++) {
        if (*c != '/') continue;
        *c = 0;
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
        *c = '/';
    }
    return mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static tamis_status add_rule(tamis_pipeline *p, const char *stage, const tms_rule_info *r)
{
    const tamis_option_info *o = r->option ? tamis_option_find(r->option) : NULL;
    return tms_stats_rule(p->stats, stage, r->reason, r->option, o ? tamis_options_get(p->opts, r->option) : NULL,
                          o ? o->defval : NULL, r->text);
}

/* --report: stats.json and report.html beside the summary, and every
 * reason of the run's stages explained with its threshold's value */
static tamis_status report_setup(tamis_pipeline *p)
{
    const char *slash = strrchr(p->summary_path, '/');
    int dlen = slash ? (int)(slash - p->summary_path + 1) : 0;
    char path[TMS_MAX_PATH_BYTES];
    snprintf(path, sizeof path, "%.*sstats.json", dlen, p->summary_path);
    p->stats_path = tms_strdup(path);
    snprintf(path, sizeof path, "%.*sreport.html", dlen, p->summary_path);
    p->report_path = tms_strdup(path);
    if (!p->stats_path || !p->report_path) return TAMIS_E_NOMEM;
    TMS_TRY(tms_stats_create(p->nstages, &p->stats));
    for (const tms_rule_info *r = tms_read_rules; r->reason; r++) TMS_TRY(add_rule(p, "read", r));
    for (size_t si = 0; si < p->nstages; si++)
        for (size_t k = 0; k < p->stage[si]->nrules; k++) TMS_TRY(add_rule(p, p->stage[si]->name, &p->stage[si]->rules[k]));
    return TAMIS_OK;
}

static tamis_status open_outputs(tamis_pipeline *p)
{
    const tms_config *c = &p->cfg;
    char path[TMS_MAX_PATH_BYTES];
    bool to_stdout = !strcmp(c->output, "-");
    if (!to_stdout) {
        if (mkdir_p(c->output) != 0) {
            snprintf(p->errmsg, sizeof p->errmsg, "%s: cannot create directory: %s", c->output, strerror(errno));
            return TAMIS_E_IO;
        }
        struct stat sb;
        if (stat(c->output, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            snprintf(p->errmsg, sizeof p->errmsg, "%s: not a directory", c->output);
            return TAMIS_E_IO;
        }
        if (c->split_by_language) {
            snprintf(path, sizeof path, "%s/kept/", c->output);
            if (mkdir_p(path) != 0) {
                snprintf(p->errmsg, sizeof p->errmsg, "%.400s: cannot create directory: %s", path, strerror(errno));
                return TAMIS_E_IO;
            }
        } else {
            snprintf(path, sizeof path, "%s/kept%s", c->output, tms_codec_suffix(c->compress));
        }
        p->kept_path = tms_strdup(path);
        snprintf(path, sizeof path, "%s/rejected%s", c->output, tms_codec_suffix(c->compress));
        p->rej_path = tms_strdup(c->rejected_path ? c->rejected_path : path);
        snprintf(path, sizeof path, "%s/summary.json", c->output);
        p->summary_path = tms_strdup(c->summary_path ? c->summary_path : path);
        if (!p->kept_path || !p->rej_path || !p->summary_path) return TAMIS_E_NOMEM;
    } else {
        p->kept_path = tms_strdup("-");
        if (!p->kept_path) return TAMIS_E_NOMEM;
        if (c->rejected_path && !(p->rej_path = tms_strdup(c->rejected_path))) return TAMIS_E_NOMEM;
        if (c->summary_path && !(p->summary_path = tms_strdup(c->summary_path))) return TAMIS_E_NOMEM;
    }
    if (c->report && p->summary_path && strcmp(p->summary_path, "-") != 0) TMS_TRY(report_setup(p));
    p->write_kept = !c->split_by_language;
    p->write_rej = p->rej_path != NULL;
    if (p->write_kept) TMS_TRY(tms_sink_open(&p->kept, p->kept_path, p->errmsg, sizeof p->errmsg));
    if (p->write_rej) TMS_TRY(tms_sink_open(&p->rej, p->rej_path, p->errmsg, sizeof p->errmsg));
    return TAMIS_OK;
}

static int kept_codec(const tamis_pipeline *p)
{
    return !strcmp(p->cfg.output, "-") ? TMS_COMPRESS_NONE : p->cfg.compress;
}

static int rej_codec(const tamis_pipeline *p)
{
    if (p->cfg.rejected_path) return tms_codec_for_path(p->cfg.rejected_path);
    return p->cfg.compress;
}

/* a whole file, written under a temporary name and renamed */
static tamis_status write_file(tamis_pipeline *p, const char *path, const tms_buf *b)
{
    char err[512];
    tamis_status st = tms_sink_write_file(path, b->data, b->len, err, sizeof err);
    if (st != TAMIS_OK && !p->errmsg[0]) snprintf(p->errmsg, sizeof p->errmsg, "%s", err);
    return st;
}

/* stats.json, then report.html from what the run wrote: the summary and the stats */
static tamis_status write_report(tamis_pipeline *p, const tms_buf *summary)
{
    const char *names[TMS_MAX_STAGES];
    for (size_t si = 0; si < p->nstages; si++) names[si] = p->stage[si]->name;
    tms_buf b, h;
    tms_buf_init(&b, (size_t)1 << 30);
    tms_buf_init(&h, (size_t)1 << 30);
    tamis_status st = tms_stats_write(p->stats, names, &b);
    if (st == TAMIS_OK) st = write_file(p, p->stats_path, &b);
    char err[256] = "";
    if (st == TAMIS_OK) st = tms_report_render(summary->data, summary->len, b.data, b.len, &h, err, sizeof err);
    if (st == TAMIS_OK) st = write_file(p, p->report_path, &h);
    else if (!p->errmsg[0]) snprintf(p->errmsg, sizeof p->errmsg, "%s: %s", p->report_path, err[0] ? err : tamis_strerror(st));
    tms_buf_free(&b);
    tms_buf_free(&h);
    return st;
}

static tamis_status write_summary(tamis_pipeline *p)
{
    if (!p->summary_path) return TAMIS_OK;
    tms_summary s = {0};
    s.opts = p->opts;
    s.cfg = &p->cfg;
    s.started = p->started;
    s.seconds = now() - p->t0;
    s.complete = p->complete;
    s.stopped = p->stopped;
    s.docs_in = p->docs_in;
    s.docs_kept = p->docs_kept;
    s.docs_rejected = p->docs_rejected;
    s.bytes_in = p->bytes_in;
    s.bytes_out = p->bytes_out;
    s.input_files = p->files.n;
    s.input_bytes = atomic_load(&p->raw_done);
    s.skips = &p->skips;
    s.reasons = p->reasons.v;
    s.nreasons = p->reasons.n;
    s.tag_only = p->cfg.tag_only;
    s.would = p->would.v;
    s.nwould = p->would.n;
    s.docs_would_reject = p->docs_would_reject;
    s.stages = p->sstats;
    s.nstages = p->nstages + 1;
    s.kept_path = p->kept_path;
    s.rejected_path = p->write_rej ? p->rej_path : NULL;
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 30);
    tamis_status st = tms_summary_write(&s, &b);
    if (st == TAMIS_OK) st = write_file(p, p->summary_path, &b); /* complete or not: the summary says which */
    if (st == TAMIS_OK && p->stats) st = write_report(p, &b);
    tms_buf_free(&b);
    return st;
}

/* The configuration the sharded near_dedup steps must share: every option
 * that can change which documents reach near_dedup or what it decides, as
 * 'name = value' lines (a step made with other values is refused). */
static void dedup_config_line(void *ctx, const tamis_option_info *row, const char *value)
{
    static const char *const skip[] = {"output", "threads", "progress", "quiet", "dedup-step", "dedup-shard", "dedup-work",
                                       "rejected", "summary", "compress", "compress-level", "tmp-dir", "strict",
                                       "split-by-language", "config", "explain", NULL};
    for (int i = 0; skip[i]; i++)
        if (!strcmp(row->name, skip[i])) return;
    tms_buf *b = ctx;
    if (tms_buf_printf(b, "%s = %s\n", row->name, value) != TAMIS_OK) b->len = SIZE_MAX / 2; /* marks the failure */
}

static tamis_status dedup_config(tamis_pipeline *p)
{
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 24);
    tms_options_each(p->opts, dedup_config_line, &b);
    if (b.len >= SIZE_MAX / 2) {
        tms_buf_free(&b);
        return TAMIS_E_NOMEM;
    }
    p->dedup_config = tms_strndup(b.data ? b.data : "", b.len);
    tms_buf_free(&b);
    return p->dedup_config ? TAMIS_OK : TAMIS_E_NOMEM;
}

/* A step of a sharded run (--dedup-step): what it needs in --stages, and
 * what it takes from the steps before it in --dedup-work: sign and apply
 * score lines with the counts merged over every shard (tamis dedup
 * lines-merge) instead of a pass, and apply takes the cluster step's
 * near-duplicate decisions. */
static tamis_status dedup_setup(tamis_pipeline *p)
{
    int step = p->cfg.dedup_step;
    p->near_stage = p->lines_stage = -1;
    for (size_t si = 0; si < p->nstages; si++) {
        if (p->stage[si] == &tms_stage_near_dedup) p->near_stage = (int)si;
        if (p->stage[si] == &tms_stage_lines && tms_lines_stage_uses_corpus(p->global[si])) p->lines_stage = (int)si;
    }
    const char *need = step == TMS_STEP_SIGN && p->near_stage < 0    ? "sign needs the near_dedup stage in --stages"
                       : step == TMS_STEP_LINES && p->lines_stage < 0 ? "lines needs the lines stage in --stages, with its "
                                                                        "corpus counts (not --no-lines-corpus)"
                       : step == TMS_STEP_APPLY && p->near_stage < 0 && p->lines_stage < 0
                           ? "apply needs near_dedup, or lines with its corpus counts, in --stages"
                           : NULL;
    if (need) {
        snprintf(p->errmsg, sizeof p->errmsg, "--dedup-step %s", need);
        return TAMIS_E_USAGE;
    }
    TMS_TRY(dedup_config(p));
    if (p->lines_stage >= 0 && step != TMS_STEP_LINES) {
        tms_lines_corpus *c;
        TMS_TRY(tms_ls_load(p->cfg.dedup_work, p->dedup_config, &c, p->errmsg, sizeof p->errmsg));
        tms_lines_stage_set_corpus(p->global[p->lines_stage], c);
    }
    if (step == TMS_STEP_APPLY && p->near_stage >= 0) {
        tms_nd_decisions dec;
        TMS_TRY(tms_nd_load_decisions(p->cfg.dedup_work, p->cfg.dedup_shard, p->dedup_config, &dec, p->errmsg,
                                      sizeof p->errmsg));
        tms_near_dedup_set_decisions(p->global[p->near_stage], &dec);
    }
    return TAMIS_OK;
}

/* sign: near_dedup's corpus pass, written to --dedup-work for the bucket step */
static tamis_status write_signatures(tamis_pipeline *p)
{
    tms_nd_sign s;
    const uint64_t *pos_key;
    tms_near_dedup_export(p->global[p->near_stage], &s, &pos_key);
    tms_arena a;
    tms_arena_init(&a, (size_t)1 << 20);
    const char **pos = tms_calloc(s.ndocs ? s.ndocs : 1, sizeof *pos);
    tamis_status st = pos ? TAMIS_OK : TAMIS_E_NOMEM;
    for (uint32_t i = 0; st == TAMIS_OK && i < s.ndocs; i++) pos[i] = format_pos(p, &a, pos_key[i]);
    s.pos = pos;
    if (st == TAMIS_OK)
        st = tms_nd_write_sign(p->cfg.dedup_work, p->cfg.dedup_shard, p->dedup_config, &s, p->errmsg, sizeof p->errmsg);
    tms_free(pos);
    tms_arena_destroy(&a);
    return st;
}

static tamis_status start(tamis_pipeline *p)
{
    TMS_TRY(tms_walk_inputs(&p->files, &p->cfg, p->errmsg, sizeof p->errmsg));
    for (size_t i = 0; i < p->files.n; i++) p->raw_total += p->files.f[i].size;
    if (p->files.n >= (1u << 24))
        tms_msg(&p->msgs, TMS_MSG_WARNING, "more than 16M input files: duplicate_of is omitted past the 16M-th");
    p->sstats[0].name = "read";
    for (size_t si = 0; si < p->nstages; si++) {
        const tms_stage_vt *vt = p->stage[si];
        p->sstats[si + 1].name = vt->name;
        p->sstats[si + 1].counter_names = vt->counter_names;
        p->sstats[si + 1].ncounters = vt->ncounters;
        p->sstats[si + 1].sparse_name = vt->sparse_name;
        p->sstats[si + 1].sparse_first = vt->sparse_first;
        if (vt->global_create) TMS_TRY(vt->global_create(&p->cfg, &p->global[si]));
    }
    if (p->cfg.dedup_step) TMS_TRY(dedup_setup(p));
    for (size_t si = 0; si < p->nstages; si++) {
        const tms_stage_vt *vt = p->stage[si];
        /* the lines step stops after the lines stage's pass */
        if (p->cfg.dedup_step == TMS_STEP_LINES && (int)si > p->lines_stage) break;
        if (vt->wants_pass && vt->wants_pass(p->global[si])) p->pass_stages[p->npass_stages++] = (int)si;
    }
    if (p->cfg.dedup_step != TMS_STEP_SIGN && p->cfg.dedup_step != TMS_STEP_LINES) TMS_TRY(open_outputs(p));
    p->nworkers = p->cfg.threads;
    p->nring = (size_t)p->nworkers * 2 + 2;
    p->ring = tms_calloc(p->nring, sizeof *p->ring);
    p->workers = tms_calloc((size_t)p->nworkers, sizeof *p->workers);
    if (!p->ring || !p->workers) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < p->nring; i++) {
        tms_arena_init(&p->ring[i].arena, (size_t)1 << 20);
        tms_buf_init(&p->ring[i].zkept, (size_t)1 << 40);
        tms_buf_init(&p->ring[i].zsplit, (size_t)1 << 40);
        tms_buf_init(&p->ring[i].zrej, (size_t)1 << 40);
        p->ring[i].seq = UINT64_MAX;
    }
    for (int i = 0; i < p->nworkers; i++) {
        worker *w = &p->workers[i];
        w->p = p;
        tms_buf_init(&w->kept, (size_t)1 << 40);
        tms_buf_init(&w->one_lang, (size_t)1 << 40);
        tms_buf_init(&w->rej, (size_t)1 << 40);
        for (size_t si = 0; si < p->nstages; si++)
            if (p->stage[si]->worker_create)
                TMS_TRY(p->stage[si]->worker_create(p->global[si], &p->cfg, &w->state[si]));
        TMS_TRY(tms_compressor_create(&w->zk, kept_codec(p), p->cfg.compress_level));
        TMS_TRY(tms_compressor_create(&w->zr, rej_codec(p), p->cfg.compress_level));
    }
    return TAMIS_OK;
}

static tamis_status write_empty_frame(tamis_pipeline *p, tms_sink *s, tms_compressor *c, char *err)
{
    (void)p;
    tms_buf b;
    tms_buf_init(&b, 1 << 16);
    tamis_status st = tms_compress_frame(c, "", 0, &b);
    if (st == TAMIS_OK && b.len) st = tms_sink_write(s, b.data, b.len, err, 512);
    tms_buf_free(&b);
    return st;
}

/* One pass over the whole input: threads up, read every batch, threads down. */
static void run_pass(tamis_pipeline *p)
{
    p->next_read = p->next_commit = p->next_write = p->total = 0;
    p->reading_done = p->committing = false;
    pthread_t writer;
    int started_workers = 0;
    bool writer_started = pthread_create(&writer, NULL, writer_main, p) == 0;
    for (int i = 0; writer_started && i < p->nworkers; i++) {
        if (pthread_create(&p->workers[i].th, NULL, worker_main, &p->workers[i]) != 0) break;
        started_workers++;
    }
    if (!writer_started || started_workers == 0) {
        fail(p, TAMIS_E_INTERNAL, "cannot start threads");
    }

    read_state rs = {0};
    bool more = writer_started && started_workers > 0;
    while (more) {
        pthread_mutex_lock(&p->mu);
        batch *b = &p->ring[p->next_read % p->nring];
        while (!p->fatal && b->state != B_EMPTY) pthread_cond_wait(&p->cv_read, &p->mu);
        bool stop = p->fatal != TAMIS_OK;
        pthread_mutex_unlock(&p->mu);
        if (stop) break;
        tamis_status rst = fill_batch(p, &rs, b, &more);
        if (rst != TAMIS_OK) { fail(p, rst, "read"); break; }
        pthread_mutex_lock(&p->mu);
        if (b->ndocs > 0) {
            b->seq = p->next_read++;
            b->state = B_READ;
            pthread_cond_broadcast(&p->cv_work);
        }
        pthread_mutex_unlock(&p->mu);
    }
    tms_reader_free(rs.r);
    pthread_mutex_lock(&p->mu);
    p->total = p->next_read;
    p->reading_done = true;
    pthread_cond_broadcast(&p->cv_work);
    pthread_cond_broadcast(&p->cv_write);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started_workers; i++) pthread_join(p->workers[i].th, NULL);
    if (writer_started) pthread_join(writer, NULL);
}

/* Copies stdin to an unlinked file in --tmp-dir, so both passes can read it. */
static tamis_status spool_stdin(tamis_pipeline *p)
{
    char path[TMS_MAX_PATH_BYTES];
    if (snprintf(path, sizeof path, "%s/tamis-stdin-XXXXXX", p->cfg.tmp_dir) >= (int)sizeof path) return TAMIS_E_USAGE;
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(p->errmsg, sizeof p->errmsg, "%s: cannot create the stdin spool file: %s", p->cfg.tmp_dir,
                 strerror(errno));
        return TAMIS_E_IO;
    }
    unlink(path);
    char *buf = tms_malloc(TMS_IO_CHUNK);
    if (!buf) {
        close(fd);
        return TAMIS_E_NOMEM;
    }
    uint64_t total = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, TMS_IO_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            snprintf(p->errmsg, sizeof p->errmsg, "-: %s", strerror(errno));
            break;
        }
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t k = write(fd, buf + off, (size_t)(n - off));
            if (k < 0 && errno == EINTR) continue;
            if (k < 0) {
                snprintf(p->errmsg, sizeof p->errmsg, "%s: writing the stdin spool file: %s", p->cfg.tmp_dir,
                         strerror(errno));
                tms_free(buf);
                close(fd);
                return TAMIS_E_IO;
            }
            off += k;
        }
        total += (uint64_t)n;
    }
    tms_free(buf);
    if (p->errmsg[0]) {
        close(fd);
        return TAMIS_E_IO;
    }
    p->spool_fd = fd;
    for (size_t i = 0; i < p->files.n; i++)
        if (!strcmp(p->files.f[i].path, "-")) {
            p->files.f[i].size = total;
            p->raw_total += total;
        }
    return TAMIS_OK;
}

static bool is_pass_stage(const tamis_pipeline *p, int si)
{
    for (int k = 0; k < p->npass_stages; k++)
        if (p->pass_stages[k] == si) return true;
    return false;
}

/* The corpus pass of pass_stage: the stages before it, then its observe
 * hooks; nothing is written or counted, and no message is printed twice.
 * After it, those stages start again from scratch, except earlier pass
 * stages, which keep what their own pass gathered. */
static tamis_status corpus_pass(tamis_pipeline *p)
{
    for (size_t i = 0; i < p->files.n; i++)
        if (!strcmp(p->files.f[i].path, "-") && p->spool_fd < 0) TMS_TRY(spool_stdin(p));
    tamis_msg_fn fn = p->msgs.fn;
    p->msgs.fn = NULL;
    p->pass = 1;
    run_pass(p);
    p->pass = 0;
    p->msgs.fn = fn;
    if (p->fatal) return p->fatal;
    int ps = p->pass_stage;
    tms_stage_summary *ss = &p->sstats[ps + 1];
    ss->has_pass = true;
    if (p->stage[ps]->pass_stats) p->stage[ps]->pass_stats(p->global[ps], &ss->pass_docs, &ss->pass_keys, &ss->pass_bytes);
    for (int si = 0; si < ps; si++) {
        if (!p->stage[si]->global_create || is_pass_stage(p, si)) continue;
        p->stage[si]->global_free(p->global[si]);
        p->global[si] = NULL;
        TMS_TRY(p->stage[si]->global_create(&p->cfg, &p->global[si]));
        for (int i = 0; i < p->nworkers; i++) {
            if (!p->stage[si]->worker_create) continue;
            p->stage[si]->worker_free(p->workers[i].state[si]);
            p->workers[i].state[si] = NULL;
            TMS_TRY(p->stage[si]->worker_create(p->global[si], &p->cfg, &p->workers[i].state[si]));
        }
    }
    /* what reading counted belongs to the real pass */
    p->data_errors = 0;
    p->sstats[0].seconds = 0;
    memset(&p->skips, 0, sizeof p->skips);
    p->stopped = NULL;
    atomic_store(&p->raw_done, 0);
    return TAMIS_OK;
}

tamis_status tamis_pipeline_run(tamis_pipeline *p)
{
    p->t0 = now();
    time_t wall = time(NULL);
    struct tm tmv;
    gmtime_r(&wall, &tmv);
    strftime(p->started, sizeof p->started, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    tamis_status st = start(p);
    for (int k = 0; st == TAMIS_OK && k < p->npass_stages && !p->stopped; k++) {
        p->pass_stage = p->pass_stages[k];
        st = corpus_pass(p);
        p->passes_done++;
        if (st != TAMIS_OK && !p->fatal) fail(p, st, "corpus pass");
        if (atomic_load(&p->interrupted)) p->stopped = "interrupted";
    }
    p->pass_stage = -1;
    if (st != TAMIS_OK && !p->fatal) {
        if (!p->errmsg[0]) snprintf(p->errmsg, sizeof p->errmsg, "%s", tamis_strerror(st));
        tms_sink_discard(&p->kept);
        tms_sink_discard(&p->rej);
        return st;
    }
    if (p->cfg.dedup_step == TMS_STEP_SIGN || p->cfg.dedup_step == TMS_STEP_LINES) { /* the corpus pass was the job */
        if (st == TAMIS_OK && p->stopped) st = TAMIS_E_INTERRUPTED;
        if (st == TAMIS_OK && p->cfg.dedup_step == TMS_STEP_SIGN) st = write_signatures(p);
        if (st == TAMIS_OK && p->cfg.dedup_step == TMS_STEP_LINES)
            st = tms_ls_write_counts(p->cfg.dedup_work, p->cfg.dedup_shard, p->dedup_config,
                                     tms_lines_stage_corpus(p->global[p->lines_stage]), p->errmsg, sizeof p->errmsg);
        return st;
    }
    if (st == TAMIS_OK && !p->stopped) run_pass(p);

    st = p->fatal;
    if (st == TAMIS_OK && p->stopped && !strcmp(p->stopped, "strict")) {
        st = TAMIS_E_DATA;
        snprintf(p->errmsg, sizeof p->errmsg, "%s", p->strict_msg);
    }
    if (st == TAMIS_OK && p->stopped) {
        st = TAMIS_E_INTERRUPTED;
        snprintf(p->errmsg, sizeof p->errmsg, "interrupted");
    }
    p->complete = st == TAMIS_OK;
    if (!p->complete && !p->stopped) p->stopped = tamis_strerror(st);
    char err[512] = "";
    tamis_status cst = TAMIS_OK;
    /* an empty output is still a valid compressed stream */
    if (p->write_kept && p->kept.bytes == 0 && p->workers) cst = write_empty_frame(p, &p->kept, p->workers[0].zk, err);
    if (cst == TAMIS_OK && p->write_rej && p->rej.bytes == 0 && p->workers)
        cst = write_empty_frame(p, &p->rej, p->workers[0].zr, err);
    if (p->write_kept) cst = tms_sink_close(&p->kept, p->complete, err, sizeof err);
    for (size_t i = 0; i < p->nsplit; i++) {
        tamis_status r2 = tms_sink_close(&p->split[i].sink, p->complete, err, sizeof err);
        if (cst == TAMIS_OK) cst = r2;
    }
    if (p->write_rej) {
        tamis_status r2 = tms_sink_close(&p->rej, p->complete, err, sizeof err);
        if (cst == TAMIS_OK) cst = r2;
    }
    if (cst != TAMIS_OK && st == TAMIS_OK) {
        st = cst;
        p->complete = false;
        snprintf(p->errmsg, sizeof p->errmsg, "%s", err);
    }
    tamis_status sst = write_summary(p);
    if (sst != TAMIS_OK && st == TAMIS_OK) st = sst;
    return st;
}

void tamis_pipeline_free(tamis_pipeline *p)
{
    if (!p) return;
    if (p->workers) {
        for (int i = 0; i < p->nworkers; i++) {
            worker *w = &p->workers[i];
            for (size_t si = 0; si < p->nstages; si++)
                if (p->stage[si]->worker_free) p->stage[si]->worker_free(w->state[si]);
            tms_compressor_free(w->zk);
            tms_compressor_free(w->zr);
            tms_buf_free(&w->kept);
            tms_buf_free(&w->rej);
            tms_buf_free(&w->one_lang);
            tms_free(w->recs);
        }
        tms_free(p->workers);
    }
    if (p->ring) {
        for (size_t i = 0; i < p->nring; i++) {
            tms_arena_destroy(&p->ring[i].arena);
            tms_free(p->ring[i].docs);
            tms_buf_free(&p->ring[i].zkept);
            tms_buf_free(&p->ring[i].zsplit);
            tms_buf_free(&p->ring[i].zrej);
        }
        tms_free(p->ring);
    }
    for (size_t si = 0; si < p->nstages; si++)
        if (p->stage[si]->global_free) p->stage[si]->global_free(p->global[si]);
    tms_sink_discard(&p->kept);
    tms_sink_discard(&p->rej);
    for (size_t i = 0; i < p->nsplit; i++) tms_sink_discard(&p->split[i].sink);
    tms_free(p->split);
    if (p->spool_fd >= 0) close(p->spool_fd);
    tms_files_free(&p->files);
    tms_free(p->kept_path);
    tms_free(p->dedup_config);
    tms_free(p->rej_path);
    tms_free(p->summary_path);
    tms_free(p->stats_path);
    tms_free(p->report_path);
    tms_stats_free(p->stats);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv_work);
    pthread_cond_destroy(&p->cv_write);
    pthread_cond_destroy(&p->cv_read);
    tms_free(p);
}
