/*
 * lines.h -- the `lines` stage's parts, for the stage itself, its tests and
 * the training tool (tools/lines-features.c). See lines.c and
 * docs/internals/LINES.md.
 *
 * A line is kept or removed by a logistic model (weights in lines_model.h,
 * trained by scripts/train-lines.py) over features of three kinds: the line
 * itself, its context in the document, and -- when a first pass over the
 * corpus ran -- how many other documents (and documents of the same site)
 * contain the same line or the same leading/trailing sentence.
 */
#ifndef TMS_LINES_H
#define TMS_LINES_H
#include "../tamis_int.h"

/* Line hashes counted over a corpus: how many documents contain each
 * normalized line, leading or trailing segment, overall and per site.
 * Written by one thread (tms_lines_corpus_add, in input order), then only
 * read (tms_lines_features) by any number. */
typedef struct tms_lines_corpus tms_lines_corpus;
TMS_NODISCARD tamis_status tms_lines_corpus_create(tms_lines_corpus **out);
void tms_lines_corpus_free(tms_lines_corpus *c);
/* Adds one document's distinct keys (from tms_lines_keys). */
TMS_NODISCARD tamis_status tms_lines_corpus_add(tms_lines_corpus *c, const uint64_t *keys, size_t n);
size_t tms_lines_corpus_entries(const tms_lines_corpus *c);
size_t tms_lines_corpus_bytes(const tms_lines_corpus *c);
uint64_t tms_lines_corpus_docs(const tms_lines_corpus *c);

/* For line counts over shards (src/shard/lines_shard.c): the table's
 * (key, documents) pairs sorted by key, in a tms_malloc'ed array; and a
 * table loaded from them: tms_lines_corpus_put adds count to key's, and
 * tms_lines_corpus_set_loaded gives the corpus's document count and the
 * count of a key not in the table (1 when only keys of 2 or more documents
 * were kept: every key the stage looks up is one of its own document's). */
typedef struct tms_lines_count {
    uint64_t key;
    uint32_t count;
} tms_lines_count;
TMS_NODISCARD tamis_status tms_lines_corpus_sorted(const tms_lines_corpus *c, tms_lines_count **out, size_t *n);
TMS_NODISCARD tamis_status tms_lines_corpus_put(tms_lines_corpus *c, uint64_t key, uint32_t count);
void tms_lines_corpus_set_loaded(tms_lines_corpus *c, uint64_t docs, uint32_t absent);

/* The stage's side of it (lines.c), for the pipeline: whether the stage
 * uses corpus counts; its table (after its pass); and counts merged over
 * shards given to it instead of its own pass (it takes c). */
bool tms_lines_stage_uses_corpus(const void *global);
const tms_lines_corpus *tms_lines_stage_corpus(const void *global);
void tms_lines_stage_set_corpus(void *global, tms_lines_corpus *c);

/* Per-thread scratch. */
typedef struct tms_lines_worker tms_lines_worker;
TMS_NODISCARD tamis_status tms_lines_worker_create(tms_lines_worker **out);
void tms_lines_worker_free(tms_lines_worker *w);

/* One document as the stage sees it. */
typedef struct tms_lines_input {
    const char *text;
    size_t len;
    const char *url;      /* or NULL: no site evidence */
    size_t url_len;
    const char *lang;     /* or NULL: the stop-word language is guessed */
    size_t lang_len;
} tms_lines_input;

/* The distinct corpus keys of a document (lines, segments, their site
 * variants), sorted; valid until the next call on w. */
TMS_NODISCARD tamis_status tms_lines_keys(tms_lines_worker *w, const tms_lines_input *in, const uint64_t **keys,
                                          size_t *n);

/* Features of every line (split on '\n'; a final '\n' ends the last line):
 * *feat has *nlines rows of TMS_LINES_NFEAT floats; corpus may be NULL.
 * *blank[i] is true for lines of spaces only (never scored or removed).
 * Valid until the next call on w. */
TMS_NODISCARD tamis_status tms_lines_features(tms_lines_worker *w, const tms_lines_corpus *corpus,
                                              const tms_lines_input *in, const float **feat,
                                              const bool **blank, size_t *nlines);
size_t tms_lines_nfeat(void);
const char *tms_lines_feat_name(size_t i);

/* Decision for one row: the probability of noise, shifted so that the
 * model's own threshold is 0.5 (the stage removes when it is at least
 * --lines-threshold), or the same as log-odds; and the index in
 * tms_lines_reasons of the line evidence that pushed hardest towards removal. */
double tms_lines_score(const float *row);
double tms_lines_logodds(const float *row); /* the same as log-odds: remove when >= logit(threshold) */
/* The reasons a removed line can carry, for the summary's counters. */
#define TMS_LINES_NREASONS 15
extern const char *const tms_lines_reasons[TMS_LINES_NREASONS];
size_t tms_lines_reason_index(const float *row);
#endif
