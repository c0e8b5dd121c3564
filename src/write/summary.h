/* summary.h -- summary.json, written from the merged run statistics only. */
#ifndef TMS_SUMMARY_H
#define TMS_SUMMARY_H
#include "../core/buf.h"
#include "../core/config.h"
#include "../read/reader.h"

/* the most counters one stage may declare */
#define TMS_MAX_COUNTERS 320

typedef struct tms_stage_summary {
    const char *name;
    double seconds;
    uint64_t docs_in, docs_rejected;
    uint64_t docs_would_reject;   /* --tag-only */
    const char *const *counter_names;
    size_t ncounters;
    uint64_t counters[TMS_MAX_COUNTERS];
    /* counters from sparse_first on are written only when not 0, in an
     * object of their own named sparse_name (e.g. language's "languages") */
    const char *sparse_name;
    size_t sparse_first;
    /* the corpus pass this stage asked for (lines) */
    bool has_pass;
    double pass_seconds;
    uint64_t pass_docs, pass_keys, pass_bytes;
} tms_stage_summary;

typedef struct tms_reason_count {
    char key[64];   /* "stage:reason" */
    uint64_t n;
} tms_reason_count;

typedef struct tms_summary {
    const struct tamis_options *opts;
    const tms_config *cfg;
    const char *started;          /* ISO 8601 UTC */
    double seconds;
    bool complete;
    const char *stopped;          /* why an incomplete run stopped, or NULL */
    uint64_t docs_in, docs_kept, docs_rejected, bytes_in, bytes_out;
    uint64_t input_files, input_bytes;
    const tms_skip_counts *skips;
    const tms_reason_count *reasons;
    size_t nreasons;
    bool tag_only;
    const tms_reason_count *would;  /* --tag-only */
    size_t nwould;
    uint64_t docs_would_reject;
    const tms_stage_summary *stages;
    size_t nstages;
    const char *kept_path, *rejected_path;  /* NULL when not written */
} tms_summary;

TMS_NODISCARD tamis_status tms_summary_write(const tms_summary *s, tms_buf *out);
#endif
