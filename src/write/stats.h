/*
 * stats.h -- what the run report shows beyond summary.json, collected in
 * input order by the pipeline's committing thread and written as stats.json
 * beside the summary. Every part is bounded whatever the corpus size, and
 * every part depends only on the documents and their order, never on the
 * thread count:
 *   - per stage: documents and text bytes that entered it;
 *   - histograms on fixed bins (so shards' histograms add up): document
 *     length before and after, and every rule's measured value;
 *   - per reason, a sample of TMS_SAMPLE_K documents: the K smallest hashes
 *     of their ids (bottom-k sampling: a uniform sample that two shards'
 *     samples merge into exactly);
 *   - the most frequent removed lines (Space-Saving with lazy eviction:
 *     at most 2 x TMS_TOPLINES_CAP counters; the true count is in
 *     [count - error, count], exact when "error" is 0);
 *   - duplicate cluster sizes (one counter per kept copy that has
 *     duplicates: the only part that grows with the corpus, by 16 bytes per
 *     cluster, next to the dedup stages' own tables).
 * The format is described in docs/internals/REPORT.md.
 */
#ifndef TMS_STATS_H
#define TMS_STATS_H
#include "../core/buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TMS_SAMPLE_K 6             /* sampled documents per reason (and kept) */
#define TMS_EXCERPT_BYTES 700      /* of each sampled document's text */
#define TMS_SAMPLE_ID_BYTES 200
#define TMS_MAX_SAMPLE_KEYS 256    /* reasons sampled; later ones are counted only */
#define TMS_TOPLINES_CAP 2048      /* removed lines counted: between this and twice this */
#define TMS_TOPLINE_BYTES 240      /* of a removed line kept for display */
#define TMS_TOPLINES_OUT 200       /* most frequent removed lines written */
#define TMS_MAX_MEASURES 128       /* distinct stage:reason histograms */

typedef struct tms_stats tms_stats;

/* scale: tms_scale of stage.h (FRAC, COUNT, SCALE) */
enum { TMS_HIST_FRAC = 0, TMS_HIST_COUNT = 1, TMS_HIST_SCALE = 2 };
size_t tms_hist_nbins(int scale);
size_t tms_hist_bin(int scale, double v);
/* the bin's lower bound */
double tms_hist_lo(int scale, size_t bin);

TMS_NODISCARD tamis_status tms_stats_create(size_t nstages, tms_stats **out);
void tms_stats_free(tms_stats *s);

/* A document's way through the stages: it entered stages [0, entered)
 * with len_at[si] text bytes; len_read is its text as read, len_out its
 * text when kept (kept false: rejected). */
void tms_stats_doc(tms_stats *s, size_t entered, const size_t *len_at, size_t len_read, bool kept, size_t len_out);

/* A measured value of the rule `key` ("stage:reason"). */
TMS_NODISCARD tamis_status tms_stats_measure(tms_stats *s, const char *stage, const char *reason, double value,
                                             double threshold, int scale, bool upper);

/* Offers a document to the sample of `key` ("stage:reason", or "kept"). */
typedef struct tms_sample_doc {
    const char *id; size_t id_len;
    const char *location;      /* or NULL */
    const char *text; size_t len;
    bool has_value;
    double value, threshold;
    const char *lang;          /* or NULL */
    size_t lang_len;
} tms_sample_doc;
TMS_NODISCARD tamis_status tms_stats_sample(tms_stats *s, const char *stage, const char *reason,
                                            const tms_sample_doc *d);

/* A line the stage removed from a document. */
TMS_NODISCARD tamis_status tms_stats_removed_line(tms_stats *s, const char *stage, const char *line, size_t len,
                                                  const char *reason);

/* A document rejected as a duplicate of the kept copy `key` (a hash of its
 * position or name) by stage `stage`. */
TMS_NODISCARD tamis_status tms_stats_duplicate(tms_stats *s, const char *stage, uint64_t key);

/* One line of explanation of a reason, with its threshold's option, this
 * run's value and the default (which the line's numbers describe). */
TMS_NODISCARD tamis_status tms_stats_rule(tms_stats *s, const char *stage, const char *reason, const char *option,
                                          const char *value, const char *defval, const char *text);

/* stats.json: stage_names[0..nstages) name the stages counted by tms_stats_doc. */
TMS_NODISCARD tamis_status tms_stats_write(const tms_stats *s, const char *const *stage_names, tms_buf *out);
#endif
