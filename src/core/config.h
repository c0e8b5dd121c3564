/* config.h -- the resolved, typed options of one run (built from the
 * options table's text values by tms_config_resolve). */
#ifndef TMS_CONFIG_H
#define TMS_CONFIG_H
#include "../tamis_int.h"

enum { TMS_COMPRESS_ZSTD, TMS_COMPRESS_GZIP, TMS_COMPRESS_NONE };

/* --rules */
typedef enum tms_rules { TMS_RULES_TAMIS, TMS_RULES_DATATROVE, TMS_RULES_FINEWEB2024 } tms_rules;

typedef struct tms_ngram_rule {
    int n;
    double frac;        /* 0: disabled */
} tms_ngram_rule;

/* The quality stages' thresholds (a value of 0 disables its check). */
typedef struct tms_quality_config {
    tms_rules rules;
    const char *default_lang;
    /* gopher_quality */
    long long g_min_words, g_max_words, g_min_stop_words;
    double g_min_avg_len, g_max_avg_len, g_symbol_ratio, g_bullet_ratio, g_ellipsis_ratio, g_alpha_ratio;
    /* gopher_repetition */
    double r_para_frac, r_para_char_frac, r_line_frac, r_line_char_frac;
    tms_ngram_rule r_top[TMS_MAX_NGRAM_RULES], r_dup[TMS_MAX_NGRAM_RULES];
    size_t r_ntop, r_ndup;
    /* c4_quality */
    bool c4_terminal, c4_citations, c4_lorem, c4_javascript, c4_curly, c4_policy;
    long long c4_min_sentences, c4_min_words_per_line, c4_max_word_length;
    /* fineweb_quality */
    double fw_line_punct, fw_short_line_ratio, fw_char_dup, fw_new_line;
    bool fw_exclude_zero;
    long long fw_short_line_length;
} tms_quality_config;

struct tms_config {
    const char *const *inputs;  /* as given on the command line */
    size_t ninputs;
    const size_t *input_rel;    /* per input (NULL: none): 0, or where the part inside its directory starts */
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
    const char *html_field;     /* --html-field, or NULL */
    int format;                 /* tms_format */
    bool explain, strict, quiet;
    bool tag_only;              /* --tag-only: nothing is rejected after reading */
    tms_quality_config q;
    size_t max_html_bytes;      /* extract: --max-html-bytes */
    bool lines_corpus;          /* lines: run the corpus pass (not --no-lines-corpus) */
    double lines_threshold;     /* --lines-threshold */
    int lid_backend;            /* --lid-backend: tms_lid_backend */
    const char *lang_list;      /* --lang: "" or comma-separated codes */
    double lang_threshold;      /* --lang-threshold */
    bool lang_script;           /* --lang-script */
    bool lid_lines;             /* --lid-lines */
    bool split_by_language;     /* --split-by-language */
    bool report;                /* --report: collect stats.json and write report.html beside the summary */
    /* near_dedup */
    int near_keep;              /* --keep: 0 first, 1 longest, 2 reference */
    bool near_verify;           /* --near-verify, resolved against --rules */
    double near_verify_threshold;
    bool minhash_sha1;          /* --minhash-hash, resolved */
    size_t minhash_ngram, minhash_bands, minhash_rows;
    uint32_t minhash_seed;
    int dedup_step;             /* --dedup-step: TMS_STEP_* */
    const char *dedup_work;     /* --dedup-work */
    uint32_t dedup_shard;       /* --dedup-shard */
    const char *tmp_dir;        /* --tmp-dir, $TMPDIR or /tmp */
    int progress;               /* -1 auto, 0 off, 1 on */
    const char *command;        /* the command line, for the summary */
};
/* --dedup-step: which step of a sharded run this run is (README, "over shards") */
enum { TMS_STEP_NONE = 0, TMS_STEP_SIGN = 1, TMS_STEP_APPLY = 2, TMS_STEP_LINES = 3 };

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
