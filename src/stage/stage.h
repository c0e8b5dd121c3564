/*
 * stage.h -- the stage interface. A stage sees one document at a time and
 * returns keep or reject(reason); it may replace the document's text with
 * text written into the document's arena. It owns no I/O and knows no other
 * stage. Work happens in two parts:
 *   process()  in parallel on worker threads, any order, speculatively;
 *   commit()   optional, strictly in input order on one thread, for decisions
 *              that depend on earlier documents (exact and near dedup). A
 *              commit never changes text, so later stages' parallel work on
 *              the same document stays valid; the pipeline discards it when
 *              an earlier commit rejects the document.
 * Counters: a stage declares names; per document it adds to its own slots,
 * and the pipeline sums them only for documents that reached the stage.
 */
#ifndef TMS_STAGE_H
#define TMS_STAGE_H
#include "../core/arena.h"
#include "../read/record.h"

typedef struct tms_config tms_config;

#define TMS_MAX_STAGES 16

typedef struct tms_doc {
    tms_record rec;            /* what the reader yielded */
    const char *text;          /* current text: rec.text, or rewritten by a stage */
    size_t len;
    tms_arena *arena;          /* where stages allocate (the batch arena) */
    /* verdict */
    int reject_at;             /* index of the rejecting stage in the run, -1 = kept, TMS_AT_READ */
    const char *reason;        /* bare reason string, e.g. "exact_duplicate" */
    const char *text_at[TMS_MAX_STAGES]; /* text as it entered each stage (for rejected output) */
    size_t len_at[TMS_MAX_STAGES];
    uint32_t *counters;        /* per-stage counter slots (arena) */
    /* stage results */
    uint64_t hash;             /* exact_dedup: hash of the text as it reached the stage */
    uint64_t duplicate_of;     /* position key of the kept copy, or UINT64_MAX */
    const char *duplicate_of_text; /* or the kept copy's position as text (sharded near_dedup), or NULL */
    int process_reject_at;     /* first stage whose process() rejected, or -1 */
    const char *process_reason;
    bool text_valid;           /* text is valid UTF-8 (set by normalize, cleared by tms_doc_set_text) */
    /* the rejecting rule's measurement, for --explain (has_value false: none) */
    double value, threshold;
    bool has_value;
    /* the document's language: the language stage's result, else the input's
     * metadata.language, else NULL (stages then use --default-lang) */
    const char *lang;
    size_t lang_len;
    /* --default-lang auto: the stop-word guess for the text at guess_text */
    const char *lang_guess, *guess_text;
    size_t guess_len;
    /* words of the current text, shared by the stages that count words
     * (see stage/quality.c): valid while text, len and splitter match */
    const char *words_text;
    size_t words_len, nwords;
    int words_tok;             /* tms_tokenizer + 1; 0: none */
    struct tms_span *words;
    /* --tag-only: every rejection a stage would have made, in any order */
    struct tms_note *notes;
    /* metadata the stages add (e.g. lines' removed_lines), in stage order */
    struct tms_meta *meta, **meta_tail;
    /* the corpus pass: what the observing stage saw of this document */
    const void *pass_data;
    size_t pass_len;
    /* the run report: when collect is set (by the pipeline), stages record
     * what their rules measured (tms_measure) and the lines they removed
     * (tms_removed_line); stage is the running stage's index */
    bool collect;
    int stage;
    struct tms_measure *measures;
    struct tms_removed *removed;
} tms_doc;

/* How a measured value is binned in the report's histograms (fixed bins, so
 * the histograms of shards add up):
 *   FRAC   a share in [0, 1]: 100 bins of 0.01 (above 1: the last bin);
 *   COUNT  a count or a size: 4 bins per doubling (log scale);
 *   SCALE  a value in [0, 20]: 80 bins of 0.25 (an average word length). */
typedef enum tms_scale { TMS_SCALE_FRAC = 0, TMS_SCALE_COUNT = 1, TMS_SCALE_SCALE = 2 } tms_scale;

typedef struct tms_measure {
    int stage;
    const char *reason;        /* the rule's reason, as in tms_reject */
    double value, threshold;
    uint8_t scale;             /* tms_scale */
    bool upper;                /* values above threshold are rejected (else below) */
    struct tms_measure *next;
} tms_measure_t;

typedef struct tms_removed {
    int stage;
    const char *line;          /* in the text as it entered the stage */
    size_t len;
    const char *reason;
    struct tms_removed *next;
} tms_removed;


typedef struct tms_meta {
    const char *key;           /* ASCII, no escaping needed */
    const char *json;          /* the value, as JSON */
    size_t len;
    struct tms_meta *next;
} tms_meta;

typedef struct tms_note {
    int stage;                 /* index in the run */
    const char *reason;
    double value, threshold;
    bool has_value;
    struct tms_note *next;
} tms_note;


#define TMS_AT_READ (-2)

typedef enum tms_verdict { TMS_KEEP = 0, TMS_REJECT = 1 } tms_verdict;

/* Sets the verdict and its reason, for rules that measure nothing. */
static inline tamis_status tms_reject_bare(tms_doc *doc, tms_verdict *v, const char *reason)
{
    doc->reason = reason;
    doc->has_value = false;
    *v = TMS_REJECT;
    return TAMIS_OK;
}

/* Sets the verdict, its reason and measurement: return tms_reject(doc, v, ...). */
static inline tamis_status tms_reject(tms_doc *doc, tms_verdict *v, const char *reason, double value, double threshold)
{
    doc->reason = reason;
    doc->value = value;
    doc->threshold = threshold;
    doc->has_value = true;
    *v = TMS_REJECT;
    return TAMIS_OK;
}

typedef struct tms_stage_vt {
    const char *name;            /* as in --stages, reasons, summary and report */
    const char *description;     /* one line, for `tamis stages` */
    bool in_default;             /* part of the default stage set */
    const char *const *counter_names;
    size_t ncounters;            /* at most TMS_MAX_COUNTERS */
    /* counters from sparse_first on are named at run time (by global_create)
     * and summarized, when not 0, under sparse_name; NULL: none */
    const char *sparse_name;
    size_t sparse_first;
    /* shared state for the run (e.g. the dedup table); may be NULL */
    tamis_status (*global_create)(const tms_config *cfg, void **global);
    void (*global_free)(void *global);
    /* per-worker scratch; may be NULL */
    tamis_status (*worker_create)(void *global, const tms_config *cfg, void **worker);
    void (*worker_free)(void *worker);
    /* parallel part; sets doc->reason when rejecting */
    tamis_status (*process)(void *worker, tms_doc *doc, uint32_t *ctr, tms_verdict *v);
    /* serial part, in input order; may be NULL */
    tamis_status (*commit)(void *global, tms_doc *doc, uint32_t *ctr, tms_verdict *v);
    /* The corpus pass (all NULL for most stages). When wants_pass says so, the
     * pipeline first reads the whole input, runs the earlier stages on it,
     * and shows this stage every document that would reach it: observe() in
     * parallel (it may set doc->pass_data in the document's arena), then
     * observe_commit() in input order. Then the real run starts. */
    bool (*wants_pass)(void *global);
    tamis_status (*observe)(void *worker, tms_doc *doc);
    tamis_status (*observe_commit)(void *global, tms_doc *doc);
    /* what the pass left in memory, for the summary */
    void (*pass_stats)(void *global, uint64_t *docs, uint64_t *keys, uint64_t *bytes);
    /* every reason the stage can give, explained (for the report) */
    const tms_rule_info *rules;
    size_t nrules;
} tms_stage_vt;

/* Stages in canonical order (implemented ones only). */
extern const tms_stage_vt *const tms_stages[];
extern const size_t tms_nstages;
const tms_stage_vt *tms_stage_find(const char *name, size_t len);
/* The canonical order of the whole product, including stages still to come:
 * index of a stage name, or -1. */
int tms_stage_canonical_index(const char *name, size_t len);

extern const tms_stage_vt tms_stage_extract;
extern const tms_stage_vt tms_stage_normalize;
extern const tms_stage_vt tms_stage_exact_dedup;
extern const tms_stage_vt tms_stage_lines;
extern const tms_stage_vt tms_stage_language;
extern const tms_stage_vt tms_stage_gopher_repetition;
extern const tms_stage_vt tms_stage_gopher_quality;
extern const tms_stage_vt tms_stage_c4_quality;
extern const tms_stage_vt tms_stage_fineweb_quality;
extern const tms_stage_vt tms_stage_near_dedup;

/* Adds metadata KEY = JSON (JSON must live in doc->arena or longer). */
static inline tamis_status tms_doc_add_meta(tms_doc *doc, const char *key, const char *json, size_t len)
{
    tms_meta *m = (tms_meta *)tms_arena_alloc(doc->arena, sizeof *m);
    if (!m) return TAMIS_E_NOMEM;
    *m = (tms_meta){key, json, len, NULL};
    if (!doc->meta) doc->meta_tail = &doc->meta;
    *doc->meta_tail = m;
    doc->meta_tail = &m->next;
    return TAMIS_OK;
}

/* Records what a rule measured, rejecting or not, for the report's
 * histograms: call it before the rule's test, with the same reason,
 * value and threshold as its tms_reject. A no-op unless the pipeline
 * collects for the report. */
static inline tamis_status tms_measure(tms_doc *doc, const char *reason, double value, double threshold,
                                       tms_scale scale, bool upper)
{
    if (!doc->collect) return TAMIS_OK;
    tms_measure_t *m = (tms_measure_t *)tms_arena_alloc(doc->arena, sizeof *m);
    if (!m) return TAMIS_E_NOMEM;
    *m = (tms_measure_t){doc->stage, reason, value, threshold, (uint8_t)scale, upper, doc->measures};
    doc->measures = m;
    return TAMIS_OK;
}

/* Records a removed line (line points into the text as it entered the
 * stage), for the report's most frequent removed lines. A no-op unless the
 * pipeline collects for the report. */
static inline tamis_status tms_removed_line(tms_doc *doc, const char *line, size_t len, const char *reason)
{
    if (!doc->collect) return TAMIS_OK;
    tms_removed *r = (tms_removed *)tms_arena_alloc(doc->arena, sizeof *r);
    if (!r) return TAMIS_E_NOMEM;
    *r = (tms_removed){doc->stage, line, len, reason, doc->removed};
    doc->removed = r;
    return TAMIS_OK;
}

/* Replaces the document's text (p must live in doc->arena or longer). */
static inline void tms_doc_set_text(tms_doc *doc, const char *p, size_t n) { doc->text = p; doc->len = n; doc->text_valid = false; }
#endif
