/*
 * tamis.h -- the public API of libtamis, the only installed header.
 *
 * Introduction
 * ------------
 * tamis turns raw web-crawled documents (JSONL, WARC/WET, .txt) into a clean,
 * deduplicated corpus and accounts for every document it removes. A run is:
 *
 *     tamis_options *o;  tamis_options_create(&o);
 *     tamis_options_set(o, "stages", "normalize,exact_dedup");
 *     tamis_options_add_input(o, "crawl/");
 *     tamis_options_set(o, "output", "out/");
 *     tamis_pipeline *p;  tamis_pipeline_create(o, &p);
 *     tamis_status st = tamis_pipeline_run(p);
 *     ... tamis_pipeline_errmsg(p), tamis_pipeline_totals(p, &t) ...
 *     tamis_pipeline_free(p);  tamis_options_free(o);
 *
 * Every option a front end can set is a row of the library's options table
 * (tamis_option_at); the CLI, its --help and its man page are generated from it.
 *
 * Ownership: inputs are borrowed, outputs belong to the caller unless a
 * function says otherwise. Strings returned by the library (errmsg, names)
 * stay valid until the object they came from is freed. Every _free accepts
 * NULL. Threading: one pipeline is driven by one thread; it starts and joins
 * its own workers inside tamis_pipeline_run. tamis_pipeline_interrupt is the
 * one call that is safe from another thread or a signal handler.
 */
#ifndef TAMIS_H
#define TAMIS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TAMIS_API __attribute__((visibility("default")))
#else
#define TAMIS_API
#endif

#define TAMIS_VERSION_MAJOR 0
#define TAMIS_VERSION_MINOR 1
#define TAMIS_VERSION_PATCH 0
#define TAMIS_VERSION_STRING "0.1.0"

/* Status codes. Values are stable: never renumbered. */
typedef enum tamis_status {
    TAMIS_OK = 0,
    TAMIS_E_USAGE = 1,     /* bad option name or value */
    TAMIS_E_IO = 2,        /* an input or output failure stopped the run */
    TAMIS_E_DATA = 3,      /* a data error, fatal only under --strict */
    TAMIS_E_NOMEM = 4,     /* out of memory */
    TAMIS_E_INTERNAL = 5,  /* a bug: please report it */
    TAMIS_E_INTERRUPTED = 6, /* tamis_pipeline_interrupt was called */
    TAMIS_E_TOO_BIG = 7    /* a size cap was reached */
} tamis_status;

/* Process exit codes of the tamis program (documented in --help and README). */
enum {
    TAMIS_EXIT_OK = 0,       /* run completed, malformed records included */
    TAMIS_EXIT_USAGE = 1,    /* usage error */
    TAMIS_EXIT_IO = 2,       /* input/output failure, or first data error under --strict */
    TAMIS_EXIT_INTERNAL = 3  /* internal error or out of memory */
};

/*! tamis_version() : @return the library version, e.g. "0.1.0". */
TAMIS_API const char *tamis_version(void);

/*! tamis_strerror() : @return static text for a status code. */
TAMIS_API const char *tamis_strerror(tamis_status st);

/*! tamis_exit_code() : maps a status to the program's exit code. */
TAMIS_API int tamis_exit_code(tamis_status st);

/* ==== Options ==== */

typedef struct tamis_options tamis_options;

typedef enum tamis_opt_arg {
    TAMIS_ARG_NONE = 0,   /* a switch: --explain */
    TAMIS_ARG_BOOL = 1,   /* a switch with a --no- form: --progress / --no-progress */
    TAMIS_ARG_INT = 2,
    TAMIS_ARG_SIZE = 3,   /* bytes, with optional K/M/G suffix (powers of 1024) */
    TAMIS_ARG_STRING = 4,
    TAMIS_ARG_CHOICE = 5, /* one of a |-separated list */
    TAMIS_ARG_FLOAT = 6   /* a decimal number */
} tamis_opt_arg;

/* One row of the options table. */
typedef struct tamis_option_info {
    const char *name;       /* long name without dashes: "threads" */
    char short_name;        /* 'j', or 0 */
    tamis_opt_arg arg;      /* argument type */
    const char *metavar;    /* "N", "DIR", "LIST", or NULL */
    const char *defval;     /* default as text ("" = none; "auto" = computed) */
    const char *choices;    /* "zstd|gzip|none" for TAMIS_ARG_CHOICE, else NULL */
    const char *category;   /* "Input", "Stage", "Quality", "Output", "Performance", "Messages" */
    const char *help;       /* one line, no trailing period */
} tamis_option_info;

/*! tamis_option_at() : @return row i of the options table, NULL past the end. */
TAMIS_API const tamis_option_info *tamis_option_at(size_t i);

/*! tamis_option_find() : looks an option up by long name ("no-progress" finds
 * "progress"). @return the row or NULL. */
TAMIS_API const tamis_option_info *tamis_option_find(const char *name);

/*! tamis_options_create() : options holding every default. @return TAMIS_OK or
 * TAMIS_E_NOMEM; *out is NULL on failure. */
TAMIS_API tamis_status tamis_options_create(tamis_options **out /* OUT */);
TAMIS_API void tamis_options_free(tamis_options *o);

/*! tamis_options_set() : sets option `name` (long name, or "no-NAME" for a
 * bool) to `value` (NULL for switches). Validates the value's type and range.
 * @return TAMIS_OK, or TAMIS_E_USAGE with the reason in tamis_options_errmsg;
 * the options are unchanged after a failure. */
TAMIS_API tamis_status tamis_options_set(tamis_options *o, const char *name, const char *value);

/*! tamis_options_get() : the effective value of option `name` as text (its
 * default when unset; "true"/"false" for switches), or NULL for an unknown name. */
TAMIS_API const char *tamis_options_get(const tamis_options *o, const char *name);

/*! tamis_options_add_input() : appends an input: a file, a directory (walked
 * recursively, sorted) or "-" for stdin. */
TAMIS_API tamis_status tamis_options_add_input(tamis_options *o, const char *path);

/*! tamis_options_add_input_file() : appends one file that a directory walk
 * found: `path` is its name (the directory as given joined with the file's
 * path inside it) and path + rel_from that path inside (it follows a '/'), as
 * in tamis_inputs_list. A run over part of a walk's files, each added this way,
 * reads them exactly as the run over the directory does (ids of .txt documents
 * are relative to the directory). */
TAMIS_API tamis_status tamis_options_add_input_file(tamis_options *o, const char *path, size_t rel_from);

/* One input file, as a run would read it. */
typedef struct tamis_input_file {
    const char *path;   /* its name in ids and messages: the input as given, joined with the path inside a directory */
    const char *rel;    /* relative to the directory named (== path for a file named on its own, or "-") */
    uint64_t size;      /* bytes on disk (0 for stdin) */
} tamis_input_file;

/*! tamis_inputs_list() : the files a run with these options reads, in the
 * order it reads them (directories walked, the output directory left out).
 * *files (free with tamis_inputs_free) holds *n entries; NULL when none.
 * @return TAMIS_OK, TAMIS_E_IO or TAMIS_E_USAGE (message in tamis_options_errmsg)
 * or TAMIS_E_NOMEM. */
TAMIS_API tamis_status tamis_inputs_list(tamis_options *o, tamis_input_file **files /* OUT */, size_t *n /* OUT */);
TAMIS_API void tamis_inputs_free(tamis_input_file *files);

/*! tamis_options_set_command() : records the command line for summary.json. */
TAMIS_API tamis_status tamis_options_set_command(tamis_options *o, int argc, char **argv);

/*! tamis_options_validate() : cross-option checks (names both options in
 * the message). Called by tamis_pipeline_create too. */
TAMIS_API tamis_status tamis_options_validate(tamis_options *o);

/*! tamis_options_errmsg() : the last error of tamis_options_set/validate. */
TAMIS_API const char *tamis_options_errmsg(const tamis_options *o);

/* ==== Summaries ==== */

/*! tamis_summary_merge() : merges the summary.json of several runs over parts
 * of one input (the shards of `tamis slurm run`) into one, written to out_path
 * atomically ("-": stdout). Each path is a summary.json or a directory holding
 * one. Counts are summed (totals, rejected_by_reason, records_skipped, each
 * stage's docs_in, docs_rejected, counters and other counts such as
 * "languages", matched by stage name), "complete" is true when every part is,
 * "inputs" are concatenated and "outputs" list every part's files; "command"
 * is `command`. @return TAMIS_OK, TAMIS_E_IO or TAMIS_E_DATA (a file that is
 * not a summary; message in err) or TAMIS_E_NOMEM. */
TAMIS_API tamis_status tamis_summary_merge(const char *const *paths, size_t n, const char *out_path,
                                           const char *command, char *err, size_t errn);

/* ==== Reports ==== */

/*! tamis_report() : (re)writes the report of finished runs: dirs[0..n) are
 * the output directories of one run (n = 1) or of runs over parts of one
 * input (the shards of `tamis slurm run`: a merged report). Each holds
 * summary.json and, unless it was run with --no-report, stats.json (the
 * report then shows what the summaries hold only). out_path NULL: DIR/report.html
 * for one directory, else report.html in the directory that holds them all
 * (an error when they do not share one). The file is written atomically.
 * @return TAMIS_OK, TAMIS_E_USAGE, TAMIS_E_IO or TAMIS_E_DATA (a file that is
 * not tamis's; message in err) or TAMIS_E_NOMEM. */
TAMIS_API tamis_status tamis_report(const char *const *dirs, size_t n, const char *out_path, char *err, size_t errn);

/* ==== Stages ==== */

/*! The corpus-wide stages over shards (see README, "Over shards"): the
 * lines stage's corpus counts and near-duplicate removal. The lines, sign and
 * apply steps are `tamis run` with --dedup-step; these are the steps between
 * them, on the files in WORK. Each writes its files, then its completion
 * marker; err gets a message naming the file. */
TAMIS_API tamis_status tamis_dedup_lines_merge(const char *work, unsigned nshards, char *err, size_t errn);
TAMIS_API tamis_status tamis_dedup_bucket(const char *work, unsigned band, unsigned nshards, char *err, size_t errn);
TAMIS_API tamis_status tamis_dedup_cluster(const char *work, unsigned nshards, char *err, size_t errn);
/*! Whether step ("lines", "lines-merge", "sign", "bucket", "cluster",
 * "apply") finished for index (a shard, a band, or 0 for lines-merge and
 * cluster). */
TAMIS_API int tamis_dedup_done(const char *work, const char *step, unsigned index);
/*! Marks step done for index (the CLI marks apply after a complete run). */
TAMIS_API tamis_status tamis_dedup_mark(const char *work, const char *step, unsigned index, char *err, size_t errn);

typedef struct tamis_stage_info {
    const char *name;        /* as in --stages, reasons, summary and report */
    int in_default;          /* 1 if in the default stage set */
    const char *description; /* one line */
} tamis_stage_info;

/*! tamis_stage_at() : implemented stages in canonical order; NULL past the end. */
TAMIS_API const tamis_stage_info *tamis_stage_at(size_t i);

/* ==== Pipeline ==== */

typedef struct tamis_pipeline tamis_pipeline;

/* Messages: one line each, no trailing newline, e.g.
 * "data/a.jsonl:12: invalid JSON: unterminated string". level 0 = error,
 * 1 = warning, 2 = note. Called from the thread that reads input. */
typedef void (*tamis_msg_fn)(void *ctx, int level, const char *msg);

/* Progress, called at most ~6 times a second from the writer thread. */
typedef struct tamis_progress {
    uint64_t docs_done;      /* documents written (kept + rejected) */
    uint64_t text_bytes_done;   /* their text bytes, as read */
    uint64_t input_bytes_done;  /* input file bytes consumed (compressed) */
    uint64_t input_bytes_total; /* input file bytes to read (0 = unknown, e.g. stdin) */
    double seconds;          /* since the run started */
} tamis_progress;
typedef void (*tamis_progress_fn)(void *ctx, const tamis_progress *p);

typedef struct tamis_totals {
    uint64_t docs_in, docs_kept, docs_rejected;
    uint64_t bytes_in, bytes_out;   /* document text bytes read, kept text bytes written */
    uint64_t records_skipped;       /* non-document records (warcinfo, request, ...) */
    uint64_t data_errors;           /* malformed or too-large records */
    double seconds;
    int complete;                   /* 1 if every input was read to its end */
} tamis_totals;

/*! tamis_pipeline_create() : checks the options, resolves stages and inputs.
 * Does not open outputs yet. @return TAMIS_OK, TAMIS_E_USAGE (message in
 * tamis_options_errmsg) or TAMIS_E_NOMEM. The options must outlive the pipeline. */
TAMIS_API tamis_status tamis_pipeline_create(tamis_options *o, tamis_pipeline **out /* OUT */);
TAMIS_API void tamis_pipeline_set_msg(tamis_pipeline *p, tamis_msg_fn fn, void *ctx);
TAMIS_API void tamis_pipeline_set_progress(tamis_pipeline *p, tamis_progress_fn fn, void *ctx);

/*! tamis_pipeline_run() : reads every input, runs the stages, writes the
 * outputs (under temporary names, renamed when complete) and the summary
 * (also when the run stops early, with "complete": false).
 * @return TAMIS_OK when the run completed (malformed records are rejected
 * documents, not failures), else the status that stopped it. */
TAMIS_API tamis_status tamis_pipeline_run(tamis_pipeline *p);

/*! tamis_pipeline_interrupt() : asks a running pipeline to stop; async-signal-safe. */
TAMIS_API void tamis_pipeline_interrupt(tamis_pipeline *p);

TAMIS_API const char *tamis_pipeline_errmsg(const tamis_pipeline *p);
TAMIS_API void tamis_pipeline_totals(const tamis_pipeline *p, tamis_totals *out /* OUT */);
TAMIS_API void tamis_pipeline_free(tamis_pipeline *p);

#ifdef __cplusplus
}
#endif
#endif /* TAMIS_H */
