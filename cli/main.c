/*
 * main.c -- the `tamis` program: parses the command line through the
 * library's options table, runs the pipeline, prints messages and progress.
 * It uses include/tamis.h only.
 */
#include "tamis.h"
#include "cli.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet;
static int progress_on;
static int progress_shown;
static tamis_pipeline *running;
/* messages come from the reading thread, progress from the writer thread */
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

void msgf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&stderr_lock);
    if (progress_shown) { fputs("\r\033[K", stderr); progress_shown = 0; }
    fputs("tamis: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&stderr_lock);
    va_end(ap);
}

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tamis: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\ntamis: try 'tamis --help' for more information\n", stderr);
    va_end(ap);
    return TAMIS_EXIT_USAGE;
}

int paths_and_output(int argc, char **argv, int first, const char *help, const char ***paths, size_t *n,
                     const char **out)
{
    *n = 0;
    if (!(*paths = malloc((size_t)argc * sizeof **paths))) {
        msgf("out of memory");
        return TAMIS_EXIT_INTERNAL;
    }
    for (int i = first; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (i + 1 >= argc) return usage_error("option '%s' needs a value", argv[i]);
            *out = argv[++i];
        } else if (!strncmp(argv[i], "--output=", 9)) {
            *out = argv[i] + 9;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(help, stdout);
            return -1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("unknown option '%s'", argv[i]);
        } else {
            (*paths)[(*n)++] = argv[i];
        }
    }
    return 0;
}

/* ==== Help and man page, generated from the options table ==== */

static const char *const categories[] = {"Input", "Stage", "Extract", "Lines", "Language", "Quality", "Dedup", "Output", "Performance", "Messages"};

static void opt_label(const tamis_option_info *o, char *buf, size_t n)
{
    char s[8] = "";
    if (o->short_name) snprintf(s, sizeof s, "-%c, ", o->short_name);
    if (o->arg == TAMIS_ARG_BOOL) snprintf(buf, n, "%s--[no-]%s", s, o->name);
    else if (o->arg == TAMIS_ARG_NONE) snprintf(buf, n, "%s--%s", s, o->name);
    else snprintf(buf, n, "%s--%s %s", s, o->name, o->metavar ? o->metavar : "X");
}

static void opt_help(const tamis_option_info *o, char *buf, size_t n)
{
    if (o->arg == TAMIS_ARG_CHOICE && o->metavar && !strcmp(o->metavar, o->choices)) /* --x on|off: said once */
        snprintf(buf, n, "%s (default %s)", o->help, o->defval);
    else if (o->arg == TAMIS_ARG_CHOICE) snprintf(buf, n, "%s: %s (default %s)", o->help, o->choices, o->defval);
    else if (o->defval[0] && strcmp(o->defval, "default") != 0) snprintf(buf, n, "%s (default %s)", o->help, o->defval);
    else snprintf(buf, n, "%s", o->help);
}

/* "  LABEL   help text" wrapped at 100 columns, continuation lines indented */
static void print_wrapped(FILE *f, const char *label, const char *help)
{
    enum { INDENT = 29, WIDTH = 100 };
    int col = fprintf(f, "  %-26s", label);
    if (col > INDENT - 1) fprintf(f, "\n%*s", INDENT, "");
    else fputc(' ', f);
    col = INDENT;
    const char *w = help;
    while (*w) {
        const char *e = strchr(w, ' ');
        int len = e ? (int)(e - w) : (int)strlen(w);
        if (col > INDENT && col + len > WIDTH) { fprintf(f, "\n%*s", INDENT, ""); col = INDENT; }
        else if (col > INDENT) { fputc(' ', f); col++; }
        fwrite(w, 1, (size_t)len, f);
        col += len;
        w += len;
        while (*w == ' ') w++;
    }
    fputc('\n', f);
}

/* Calls put(f, label, help) for each option of a category, in table order. */
static void each_option(FILE *f, const char *category, void (*put)(FILE *, const char *, const char *))
{
    for (size_t i = 0; tamis_option_at(i); i++) {
        const tamis_option_info *o = tamis_option_at(i);
        if (strcmp(o->category, category) != 0) continue;
        char label[64], help[512];
        opt_label(o, label, sizeof label);
        opt_help(o, help, sizeof help);
        put(f, label, help);
    }
}

/* the options the CLI handles itself (not rows of the library's table) */
static const char inputs_from_help[] =
    "read more inputs from FILE, one per line; a line 'PATH<TAB>REL' is a file found in a directory "
    "(REL, the end of PATH, is its path inside: the shard lists of tamis slurm run)";
static const char *const slurm_help[][2] = {
    {"--shards N", "split the input files into N shards, contiguous in input order and balanced by bytes "
                   "(default: about 1 GB of input each; never more shards than files)"},
    {"--dry-run", "print the shard lists, the options file and the sbatch scripts; write and submit nothing"},
    {"--wait", "wait until the merge job ends (sbatch --wait): exit 0 when it succeeded, 2 when it or a shard "
               "failed"},
    {"--sbatch-args ARGS", "more arguments for every sbatch call, split on blanks (e.g. \"--partition=cpu "
                           "--time=4:00:00 --cpus-per-task=8\")"},
};

static void print_help(FILE *f)
{
    fprintf(f,
            "tamis %s -- clean, deduplicate and account for web-crawled text\n\n"
            "Usage:\n"
            "  tamis run [OPTIONS] INPUT... -o OUT   clean INPUT (files, directories, - for stdin)\n"
            "  tamis slurm run [OPTIONS] [SLURM OPTIONS] INPUT... -o OUT\n"
            "                                       the same run as a Slurm job array over input shards:\n"
            "                                       OUT/shard-NNNNN/ each, then OUT/summary.json\n"
            "  tamis slurm dedup [OPTIONS] [SLURM OPTIONS] INPUT... -o OUT\n"
            "                                       the same with lines counted and near_dedup run across\n"
            "                                       the shards: the tamis dedup steps as dependent Slurm\n"
            "                                       jobs (--stages must include lines or near_dedup)\n"
            "  tamis summary merge DIR|FILE... [-o FILE]\n"
            "                                       one summary.json from the summaries of several runs\n"
            "  tamis report DIR... [-o FILE]        report.html again from a finished run, or one report\n"
            "                                       merged from several (the shards of a sharded run)\n"
            "  tamis dedup lines|lines-merge|sign|bucket|cluster|apply --work DIR ...\n"
            "                                       the lines counts and near_dedup as separate steps\n"
            "                                       over input shards\n"
            "                                       (tamis dedup --help)\n"
            "  tamis stages                         list the stages, in canonical order\n"
            "  tamis --help | --version\n\n",
            tamis_version());
    for (size_t c = 0; c < sizeof categories / sizeof *categories; c++) {
        fprintf(f, "%s options:\n", categories[c]);
        each_option(f, categories[c], print_wrapped);
        if (!strcmp(categories[c], "Input")) print_wrapped(f, "--inputs-from FILE", inputs_from_help);
        fputc('\n', f);
    }
    fputs("Slurm options (tamis slurm run and tamis slurm dedup):\n", f);
    for (size_t i = 0; i < sizeof slurm_help / sizeof *slurm_help; i++) print_wrapped(f, slurm_help[i][0], slurm_help[i][1]);
    fputc('\n', f);
    fprintf(f,
            "Outputs (-o DIR): DIR/kept.jsonl.zst (or DIR/kept/LANG.jsonl.zst with --split-by-language),\n"
            "DIR/rejected.jsonl.zst, DIR/summary.json, and (unless --no-report) DIR/report.html with the\n"
            "DIR/stats.json it is drawn from.\n"
            "Every input document ends in exactly one of kept or rejected.\n\n"
            "Exit status: 0 run completed (malformed records are rejected, not fatal); 1 usage error;\n"
            "2 input/output failure, interruption, or the first data error under --strict;\n"
            "3 internal error or out of memory.\n");
}

/* roff-escape: backslashes and leading dots/quotes; dashes as \- */
static void roff(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\') fputs("\\e", f);
        else if (*s == '-') fputs("\\-", f);
        else fputc(*s, f);
    }
}

static void man_option(FILE *f, const char *label, const char *help)
{
    fputs(".TP\n.B ", f);
    roff(f, label);
    fputc('\n', f);
    roff(f, help);
    fputs(".\n", f);
}

static void print_man(FILE *f)
{
    fprintf(f, ".\\\" Generated by 'tamis --man' from the library's options table. Do not edit.\n");
    fprintf(f, ".TH TAMIS 1 \"\" \"tamis %s\" \"User Commands\"\n", tamis_version());
    fputs(".SH NAME\ntamis \\- clean, deduplicate and account for web\\-crawled text\n"
          ".SH SYNOPSIS\n.B tamis run\n[\\fIOPTIONS\\fR] \\fIINPUT\\fR... \\fB\\-o\\fR \\fIOUT\\fR\n.br\n"
          ".B tamis slurm run\n[\\fIOPTIONS\\fR] \\fIINPUT\\fR... \\fB\\-o\\fR \\fIOUT\\fR [\\fB\\-\\-shards\\fR \\fIN\\fR] "
          "[\\fB\\-\\-dry\\-run\\fR] [\\fB\\-\\-wait\\fR] [\\fB\\-\\-sbatch\\-args\\fR \\fIARGS\\fR]\n.br\n"
          ".B tamis slurm dedup\n[\\fIOPTIONS\\fR] \\fIINPUT\\fR... \\fB\\-o\\fR \\fIOUT\\fR [\\fISLURM OPTIONS\\fR]\n.br\n"
          ".B tamis summary merge\n\\fIDIR\\fR|\\fIFILE\\fR... [\\fB\\-o\\fR \\fIFILE\\fR]\n.br\n"
          ".B tamis report\n\\fIDIR\\fR... [\\fB\\-o\\fR \\fIFILE\\fR]\n.br\n"
          ".B tamis dedup\n\\fBlines\\fR|\\fBlines\\-merge\\fR|\\fBsign\\fR|\\fBbucket\\fR|\\fBcluster\\fR|\\fBapply\\fR \\fB\\-\\-work\\fR \\fIDIR\\fR ...\n.br\n"
          ".B tamis stages\n.br\n.B tamis\n\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n"
          ".SH DESCRIPTION\n"
          "tamis reads web\\-crawled documents (JSONL, WARC/WET/WAT, HTML pages, plain text; gzip or zstd compressed, "
          "detected from the content), runs the selected cleaning stages on each document and writes every "
          "document to exactly one of the kept and rejected outputs, each rejection with its stage and reason.\n"
          ".PP\nINPUT is a file, a directory (walked recursively in byte order; files ending in .txt, .jsonl, "
          ".json, .ndjson, .warc, .wet, .wat, .arc, .html, .htm, .xhtml, optionally .gz or .zst; the output "
          "directory and symlink loops are not entered) or \\- for stdin.\n"
          "A .txt or HTML file is one document whose id is its path relative to the directory named; HTML "
          "pages (files, WARC responses, \\fB\\-\\-html\\-field\\fR records) go through the extract stage.\n"
          ".SH STAGES\nStages run in the canonical order of the whole product, whatever the order given to "
          "\\fB\\-\\-stages\\fR: extract, normalize, exact_dedup, lines, language, gopher_repetition, "
          "gopher_quality, c4_quality, fineweb_quality, near_dedup. This version implements:\n",
          f);
    for (size_t i = 0; tamis_stage_at(i); i++) {
        const tamis_stage_info *s = tamis_stage_at(i);
        fputs(".TP\n.B ", f);
        roff(f, s->name);
        fputs(s->in_default ? " \\fR(default)\n" : "\n", f);
        roff(f, s->description);
        fputc('\n', f);
    }
    fputs(".SH OPTIONS\n", f);
    for (size_t c = 0; c < sizeof categories / sizeof *categories; c++) {
        fprintf(f, ".SS %s\n", categories[c]);
        each_option(f, categories[c], man_option);
        if (!strcmp(categories[c], "Input")) man_option(f, "--inputs-from FILE", inputs_from_help);
    }
    fputs(".SS Slurm (tamis slurm run and tamis slurm dedup)\n", f);
    for (size_t i = 0; i < sizeof slurm_help / sizeof *slurm_help; i++) man_option(f, slurm_help[i][0], slurm_help[i][1]);
    fputs(".SH OUTPUT\nWith \\fB\\-o\\fR \\fIDIR\\fR: \\fIDIR\\fR/kept.jsonl.zst, \\fIDIR\\fR/rejected.jsonl.zst, "
          "\\fIDIR\\fR/summary.json (\\fB\\-\\-compress\\fR changes the suffix to .jsonl.gz or .jsonl) and, "
          "unless \\fB\\-\\-no\\-report\\fR, \\fIDIR\\fR/report.html and \\fIDIR\\fR/stats.json beside the "
          "summary (see REPORT). "
          "Files are written under temporary names and renamed when the run completes; an interrupted run "
          "leaves \\fIname\\fR.partial files and a summary with \"complete\": false.\n"
          "With \\fB\\-o \\-\\fR kept documents go to stdout as plain JSONL.\n"
          ".PP\nEach record is the input record with its text replaced and tamis's keys added under "
          "\"metadata\": filter_reason, stage, duplicate_of, location (rejected records), url, warc_date "
          "(WARC/WET), content_type, http_status (WARC responses), explain (with \\fB\\-\\-explain\\fR), "
          "would_reject (with \\fB\\-\\-tag\\-only\\fR), removed_lines (with \\fB\\-\\-explain\\fR: "
          "[{\"line\": N, \"reason\": ...}] for the lines the lines stage removed, N counting from 1 the lines of "
          "the text as it entered the stage), language, language_score, language_runner_up and language_given "
          "(the language stage: ISO 639-1 code where one exists, else ISO 639-3, und without letters; a calibrated "
          "0-1 score; the second guess or null; the input's own metadata.language), line_languages (with "
          "\\fB\\-\\-lid\\-lines\\fR: [{\"line\": N, \"language\": ..., \"score\": ...}] for lines in another "
          "language), minhash_cluster_id and minhash_cluster_size (documents near_dedup kept: the cluster's number "
          "and size; a removed near-duplicate has duplicate_of).\n"
          ".PP\nWith \\fB\\-\\-split\\-by\\-language\\fR kept documents go to \\fIDIR\\fR/kept/\\fILANG\\fR.jsonl.zst, "
          "one file per metadata.language, instead of \\fIDIR\\fR/kept.jsonl.zst.\n"
          ".PP\nThe lines stage reads the input twice unless \\fB\\-\\-no\\-lines\\-corpus\\fR is given: a first pass "
          "counts, over the documents as they reach it, how many documents and pages of the same site hold each "
          "line; standard input is first copied to \\fB\\-\\-tmp\\-dir\\fR.\n"
          ".SH REPORT\n\\fIDIR\\fR/report.html is one self\\-contained page (inline CSS and SVG, no network "
          "access): the run's totals and throughput, the funnel of documents and text bytes through the stages, "
          "every stage:reason with its count and its rule in words (the option that sets it and this run's "
          "value), a few sampled documents per reason with the value the rule measured, the most frequent "
          "removed lines, and histograms of document length, languages, duplicate cluster sizes and every "
          "rule's measured values with its threshold. It is drawn only from summary.json and stats.json (the "
          "statistics collected during the run, bounded whatever the corpus: 6 samples per reason, at most "
          "4096 removed lines counted, fixed histogram bins). \\fBtamis report\\fR \\fIDIR\\fR writes it again; "
          "\\fBtamis report\\fR \\fIDIR\\fR... writes one report of several runs over parts of one input (the "
          "shards of \\fBtamis slurm run\\fR) to report.html in the directory that holds them, or "
          "\\fB\\-o\\fR \\fIFILE\\fR.\n"
          ".SH SLURM\n\\fBtamis slurm run\\fR lists the input files as \\fBtamis run\\fR would read them, splits "
          "them into shards (OUT/shards/shard\\-NNNNN.list), writes the run options to OUT/slurm/options and submits "
          "OUT/slurm/run.sbatch as a job array, one task per shard, each running \\fBtamis run\\fR into "
          "OUT/shard\\-NNNNN/ and leaving a .done marker when it succeeded; then OUT/slurm/merge.sbatch, after the "
          "array (afterok), runs \\fBtamis summary merge\\fR into OUT/summary.json and \\fBtamis report\\fR into "
          "OUT/report.html. Running the same command "
          "again submits only the shards without .done, and the merge; other options or inputs for the same OUT "
          "are refused. Stages with cross\\-document state (exact_dedup, the corpus pass of lines, near_dedup) "
          "see one shard at a time. Logs are in OUT/slurm/logs/.\n"
          ".PP\n\\fBtamis slurm dedup\\fR (\\fB\\-\\-stages\\fR must include near_dedup, or lines with its corpus "
          "counts) shards the same way and "
          "submits the steps of \\fBtamis dedup\\fR as a chain of jobs, each \\fBafterok\\fR on the one before: "
          "with lines, OUT/slurm/dedup\\-lines.sbatch (an array, one task per shard) and dedup\\-lines\\-merge.sbatch "
          "(one job); with near_dedup, dedup\\-sign.sbatch (one task per shard), dedup\\-bucket.sbatch (one task per "
          "band) and dedup\\-cluster.sbatch (one job); then dedup\\-apply.sbatch (one task per shard, into "
          "OUT/shard\\-NNNNN/) and merge.sbatch; the files between the steps go to OUT/dedup\\-work/. "
          "lines and near_dedup then see the whole input (exact_dedup still one shard at a time): the shards in "
          "order are the bytes of one \\fBtamis run\\fR. "
          "Running the same command again submits only the tasks whose markers are missing.\n"
          ".SH CORPUS\\-WIDE STAGES OVER SHARDS\n\\fBtamis dedup lines \\-\\-work\\fR \\fIDIR\\fR \\fB\\-\\-shard\\fR "
          "\\fII\\fR [\\fIRUN OPTIONS\\fR] \\fIINPUT\\fR... writes shard I's line counts (the lines stage's corpus "
          "pass) to DIR/lines; \\fBtamis dedup lines\\-merge \\-\\-work\\fR \\fIDIR\\fR \\fB\\-\\-shards\\fR \\fIN\\fR "
          "sums them into the corpus's counts (DIR/lines\\-merge), which sign and apply then use instead of a pass "
          "(needed when the stages include lines without \\fB\\-\\-no\\-lines\\-corpus\\fR). "
          "\\fBtamis dedup sign \\-\\-work\\fR \\fIDIR\\fR \\fB\\-\\-shard\\fR \\fII\\fR "
          "[\\fIRUN OPTIONS\\fR] \\fIINPUT\\fR... writes shard I's signatures (its near_dedup corpus pass) to DIR/sign; "
          "\\fBtamis dedup bucket \\-\\-work\\fR \\fIDIR\\fR \\fB\\-\\-band\\fR \\fIB\\fR \\fB\\-\\-shards\\fR \\fIN\\fR "
          "joins every shard's keys of band B into verified candidate pairs (DIR/bucket); \\fBtamis dedup cluster "
          "\\-\\-work\\fR \\fIDIR\\fR \\fB\\-\\-shards\\fR \\fIN\\fR joins the pairs into clusters under \\fB\\-\\-keep\\fR "
          "(DIR/cluster); \\fBtamis dedup apply \\-\\-work\\fR \\fIDIR\\fR \\fB\\-\\-shard\\fR \\fII\\fR "
          "[\\fIRUN OPTIONS\\fR] \\fIINPUT\\fR... \\fB\\-o\\fR \\fIOUT\\fR is shard I's run with those decisions. "
          "Shards are numbered in input order and lines, sign and apply take the same run options; the outputs of the "
          "shards, in order, are the bytes of one \\fBtamis run\\fR over all of them. Files carry a versioned "
          "header, the configuration and a checksum; a step refuses others with a message naming the file, and "
          "skips its work when its marker DIR/STEP/NNNNN.done exists.\n"
          ".SH EXIT STATUS\n0: the run completed, including when malformed records were rejected. "
          "1: usage error. 2: an input or output failure stopped the run, it was interrupted (a first SIGINT or SIGTERM "
          "stops reading and writes what was read; a second one ends tamis at once), or "
          "\\fB\\-\\-strict\\fR met a malformed record. 3: internal error or out of memory.\n"
          ".SH EXAMPLES\n.nf\ntamis run crawl/ \\-o out/\n"
          "zstd \\-dc dump.jsonl.zst | tamis run \\-\\-stages normalize \\- \\-o \\- > clean.jsonl\n"
          "tamis slurm run \\-\\-wait \\-\\-sbatch\\-args \"\\-\\-time=4:00:00\" crawl/ \\-o out/\n.fi\n"
          ".SH SEE ALSO\nzstd(1), jq(1)\n",
          f);
}

/* ==== Progress ==== */

static void on_msg(void *ctx, int level, const char *msg)
{
    (void)ctx;
    if (quiet) return; /* per-record messages are data, not failures */
    msgf("%s%s", level == 1 ? "warning: " : "", msg);
}

static void on_progress(void *ctx, const tamis_progress *p)
{
    (void)ctx;
    if (!progress_on) return;
    double mb = (double)p->text_bytes_done / 1e6;
    double rate = p->seconds > 0 ? mb / p->seconds : 0;
    pthread_mutex_lock(&stderr_lock);
    fprintf(stderr, "\r\033[Ktamis: %llu docs, %.1f MB, %.1f MB/s", (unsigned long long)p->docs_done, mb, rate);
    if (p->input_bytes_total)
        fprintf(stderr, ", %.0f%% of input", 100.0 * (double)p->input_bytes_done / (double)p->input_bytes_total);
    progress_shown = 1;
    pthread_mutex_unlock(&stderr_lock);
}

/* First SIGINT/SIGTERM: stop reading, write what was read, mark the run
 * incomplete. A second one: die at once, the default way. */
static volatile sig_atomic_t signalled;
static void on_signal(int sig)
{
    if (signalled) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    signalled = 1;
    if (running) tamis_pipeline_interrupt(running);
}

/* ==== Commands ==== */

static int cmd_stages(void)
{
    for (size_t i = 0; tamis_stage_at(i); i++) {
        const tamis_stage_info *s = tamis_stage_at(i);
        printf("%-17s %-8s %s\n", s->name, s->in_default ? "default" : "-", s->description);
    }
    return 0;
}

/* --inputs-from FILE: one input per line; "PATH<TAB>REL" names a file found
 * in a directory (REL, the end of PATH, is its path inside: the shard lists of
 * `tamis slurm run`) */
static int inputs_from(tamis_options *o, const char *file)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
    if (!f) { msgf("%s: %s", file, strerror(errno)); return TAMIS_EXIT_IO; }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len && line[len - 1] == '\n') line[--len] = 0;
        if (!len) continue;
        char *tab = strchr(line, '\t');
        tamis_status st;
        if (tab) {
            *tab = 0;
            size_t pl = strlen(line), rl = strlen(tab + 1);
            if (rl == 0 || rl >= pl || strcmp(line + pl - rl, tab + 1) != 0) {
                rc = usage_error("%s:%u: '%s' does not end with '%s'", file, lineno, line, tab + 1);
                break;
            }
            st = tamis_options_add_input_file(o, line, pl - rl);
        } else {
            st = tamis_options_add_input(o, line);
        }
        if (st == TAMIS_E_USAGE) rc = usage_error("%s:%u: %s", file, lineno, tamis_options_errmsg(o));
        else if (st != TAMIS_OK) { msgf("%s", tamis_strerror(st)); rc = tamis_exit_code(st); }
    }
    if (rc == 0 && ferror(f)) { msgf("%s: %s", file, strerror(errno)); rc = TAMIS_EXIT_IO; }
    free(line);
    if (f != stdin) fclose(f);
    return rc;
}

int cli_parse_run_args(int argc, char **argv, int first, tamis_options *o, cli_extra_fn extra, void *ctx)
{
    int rc = TAMIS_EXIT_OK;
    int only_inputs = 0;
    for (int i = first; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        tamis_status st = TAMIS_OK;
        int mine;
        if (only_inputs || a[0] != '-' || !strcmp(a, "-")) {
            st = tamis_options_add_input(o, a);
        } else if (!strcmp(a, "--")) {
            only_inputs = 1;
            continue;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_help(stdout);
            return -1;
        } else if (extra && (mine = extra(ctx, argc, argv, &i)) >= 0) {
            rc = mine;
            continue;
        } else if (!strncmp(a, "--inputs-from", 13) && (a[13] == 0 || a[13] == '=')) {
            if (a[13] == '=') rc = inputs_from(o, a + 14);
            else if (i + 1 < argc) rc = inputs_from(o, argv[++i]);
            else rc = usage_error("option '--inputs-from' needs a value");
            continue;
        } else if (a[1] == '-') {
            char name[128];
            const char *eq = strchr(a + 2, '=');
            size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (nl >= sizeof name) { rc = usage_error("unknown option '%s'", a); break; }
            memcpy(name, a + 2, nl);
            name[nl] = 0;
            const tamis_option_info *info = tamis_option_find(name);
            if (!info) { rc = usage_error("unknown option '--%s'", name); break; }
            const char *val = NULL;
            if (info->arg != TAMIS_ARG_NONE && info->arg != TAMIS_ARG_BOOL) {
                if (eq) val = eq + 1;
                else if (i + 1 < argc) val = argv[++i];
                else { rc = usage_error("option '--%s' needs a value", name); break; }
            } else if (eq) {
                rc = usage_error("option '--%s' takes no value", name);
                break;
            }
            st = tamis_options_set(o, name, val);
        } else {
            /* short options: -j4, -j 4, -o DIR, -q */
            char c = a[1];
            const tamis_option_info *info = NULL;
            for (size_t k = 0; tamis_option_at(k); k++)
                if (tamis_option_at(k)->short_name == c) info = tamis_option_at(k);
            if (!info) { rc = usage_error("unknown option '-%c'", c); break; }
            const char *val = NULL;
            if (info->arg != TAMIS_ARG_NONE && info->arg != TAMIS_ARG_BOOL) {
                if (a[2]) val = a + 2;
                else if (i + 1 < argc) val = argv[++i];
                else { rc = usage_error("option '-%c' needs a value", c); break; }
            } else if (a[2]) {
                rc = usage_error("option '-%c' takes no value", c);
                break;
            }
            st = tamis_options_set(o, info->name, val);
        }
        if (st == TAMIS_E_USAGE) rc = usage_error("%s", tamis_options_errmsg(o));
        else if (st != TAMIS_OK) { msgf("%s", tamis_strerror(st)); rc = tamis_exit_code(st); }
    }
    return rc;
}

int cmd_run(int argc, char **argv, int first)
{
    tamis_options *o;
    if (tamis_options_create(&o) != TAMIS_OK) { msgf("out of memory"); return TAMIS_EXIT_INTERNAL; }
    int rc = cli_parse_run_args(argc, argv, first, o, NULL, NULL);
    if (rc < 0) { tamis_options_free(o); return 0; }
    if (rc) { tamis_options_free(o); return rc; }
    if (tamis_options_set_command(o, argc, argv) != TAMIS_OK) { tamis_options_free(o); return TAMIS_EXIT_INTERNAL; }

    tamis_pipeline *p = NULL;
    tamis_status st = tamis_pipeline_create(o, &p);
    if (st == TAMIS_E_USAGE) { rc = usage_error("%s", tamis_options_errmsg(o)); tamis_options_free(o); return rc; }
    if (st != TAMIS_OK) { msgf("%s", tamis_strerror(st)); tamis_options_free(o); return tamis_exit_code(st); }

    quiet = !strcmp(tamis_options_get(o, "quiet"), "true");
    const char *pr = tamis_options_get(o, "progress");
    progress_on = !strcmp(pr, "auto") ? isatty(STDERR_FILENO) && !quiet : !strcmp(pr, "true");
    tamis_pipeline_set_msg(p, on_msg, NULL);
    tamis_pipeline_set_progress(p, on_progress, NULL);
    running = p;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    st = tamis_pipeline_run(p);
    running = NULL;
    tamis_totals t;
    tamis_pipeline_totals(p, &t);
    if (progress_shown) { fputs("\r\033[K", stderr); progress_shown = 0; }
    if (st != TAMIS_OK) msgf("%s", tamis_pipeline_errmsg(p));
    if (!quiet && (st == TAMIS_OK || t.docs_in > 0)) {
        double pct = t.docs_in ? 100.0 * (double)t.docs_kept / (double)t.docs_in : 0;
        fprintf(stderr, "tamis: %llu docs in, %llu kept (%.1f%%), %llu rejected; %.1f MB in %.2f s (%.1f MB/s)%s\n",
                (unsigned long long)t.docs_in, (unsigned long long)t.docs_kept, pct,
                (unsigned long long)t.docs_rejected, (double)t.bytes_in / 1e6, t.seconds,
                t.seconds > 0 ? (double)t.bytes_in / 1e6 / t.seconds : 0.0, t.complete ? "" : " [incomplete]");
    }
    rc = tamis_exit_code(st);
    tamis_pipeline_free(p);
    tamis_options_free(o);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage_error("no command given");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) { print_help(stdout); return 0; }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) { printf("tamis %s\n", tamis_version()); return 0; }
    if (!strcmp(cmd, "--man")) { print_man(stdout); return 0; }
    if (!strcmp(cmd, "stages")) return cmd_stages();
    if (!strcmp(cmd, "run")) return cmd_run(argc, argv, 2);
    if (!strcmp(cmd, "slurm")) return cmd_slurm(argc, argv);
    if (!strcmp(cmd, "summary")) return cmd_summary(argc, argv);
    if (!strcmp(cmd, "report")) return cmd_report(argc, argv);
    if (!strcmp(cmd, "dedup")) return cmd_dedup(argc, argv);
    return usage_error("unknown command '%s'", cmd);
}
