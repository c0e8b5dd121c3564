/* config.h -- the resolved, typed options of one run (built from the
 * options table's text values by tms_config_resolve). */
#ifndef TMS_CONFIG_H
#define TMS_CONFIG_H
#include "../tamis_int.h"

enum { TMS_COMPRESS_ZSTD, TMS_COMPRESS_GZIP, TMS_COMPRESS_NONE };

struct tms_config {
    const char *const *inputs;  /* as given on the command line */
    size_t ninputs;
    const char *output;         /* DIR, or "-" for stdout */
    const char *rejected_path;  /* NULL: DIR/rejected.jsonl.* (or counted only with -o -) */
    const char *summary_path;   /* NULL: DIR/summary.json (or none with -o -) */
    int compress;               /* TMS_COMPRESS_* */
    int compress_level;
    const char *stages;         /* "default" or a comma list */
    int threads;                /* >= 1 */
    size_t max_doc_bytes;
    int max_json_depth;
    const char *text_field, *id_field;
    int format;                 /* tms_format */
    bool explain, strict, quiet;
    int progress;               /* -1 auto, 0 off, 1 on */
    const char *command;        /* the command line, for the summary */
};
typedef struct tms_config tms_config;

struct tamis_options;
/* Fills cfg from the options; strings point into the options. */
tamis_status tms_config_resolve(const struct tamis_options *o, tms_config *cfg, char *err, size_t errn);
/* Sets the message tamis_options_errmsg returns. */
void tms_options_set_error(struct tamis_options *o, const char *msg);
/* Calls fn for every option with its effective value as text and its type. */
void tms_options_each(const struct tamis_options *o, void (*fn)(void *ctx, const tamis_option_info *row,
                                                                  const char *value), void *ctx);
#endif
