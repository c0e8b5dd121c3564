/*
 * options.c -- the one options table. Every front end parses, documents and
 * reports options from these rows: the CLI's parser, --help and the man page,
 * and the "options" block of summary.json. Values are kept as validated text
 * and turned into a typed tms_config when a pipeline is created.
 */
#include "config.h"
#include "alloc.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct row {
    tamis_option_info info;
    long long min, max; /* for INT and SIZE */
} row;

#define KB 1024LL
static const row table[] = {
    /* Input */
    {{"format", 0, TAMIS_ARG_CHOICE, "FMT", "auto", "auto|jsonl|warc|txt|html", "Input",
      "input format for stdin and for files whose name and content do not tell"}, 0, 0},
    {{"text-field", 0, TAMIS_ARG_STRING, "NAME", "text", NULL, "Input", "JSONL field that holds the document text"}, 0, 0},
    {{"id-field", 0, TAMIS_ARG_STRING, "NAME", "id", NULL, "Input", "JSONL field that holds the document id"}, 0, 0},
    {{"html-field", 0, TAMIS_ARG_STRING, "NAME", "", NULL, "Input",
      "JSONL field that holds a page's HTML: a record with it is an HTML document for the extract stage, whose text goes to --text-field (the HTML field is written back as it was)"}, 0, 0},
    {{"max-doc-bytes", 0, TAMIS_ARG_SIZE, "SIZE", "64M", NULL, "Input",
      "reject larger documents (JSONL lines, WARC blocks, files) as too_large"}, 1, 1LL << 30},
    {{"max-json-depth", 0, TAMIS_ARG_INT, "N", "64", NULL, "Input", "reject JSON nested deeper than this as malformed"},
     1, 10000},
    /* Stages */
    {{"stages", 0, TAMIS_ARG_STRING, "LIST", "default", NULL, "Stage",
      "stages to run, comma-separated; they always run in canonical order; default: the stages `tamis stages` marks default"}, 0, 0},
    {{"explain", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Stage",
      "add metadata.explain to rejected documents: the rejecting stage's reason, measured value and threshold"}, 0, 0},
    {{"tag-only", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Stage",
      "reject nothing: write every readable document to kept, with metadata.would_reject naming the first reason it would have been rejected for; every stage sees every document"}, 0, 0},
    {{"config", 0, TAMIS_ARG_STRING, "FILE", "", NULL, "Stage",
      "read options from FILE, one 'name = value' per line ('#' starts a comment); options on the command line win"}, 0, 0},
    /* Extract */
    {{"max-html-bytes", 0, TAMIS_ARG_SIZE, "SIZE", "16M", NULL, "Extract",
      "extract: reject larger HTML pages as too_large (parsing takes about 10 times a page's size in memory, per thread)"}, 1, 1LL << 30},
    /* Lines */
    {{"lines-threshold", 0, TAMIS_ARG_FLOAT, "P", "0.5", NULL, "Lines",
      "lines: remove a line when the model's calibrated probability that it is boilerplate is at least P; higher keeps more (0 < P < 1)"}, 0, 0},
    {{"no-lines-corpus", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Lines",
      "lines: one pass only, without counting lines across documents (the corpus pass reads the input twice; stdin is first spooled to --tmp-dir)"}, 0, 0},
    /* Language */
    {{"lid-backend", 0, TAMIS_ARG_CHOICE, "NAME", "tamis", "tamis|cld2", "Language",
      "language: the language identifier, tamis's own model (built in) or CLD2 (libcld2)"}, 0, 0},
    {{"lang", 0, TAMIS_ARG_STRING, "LIST", "", NULL, "Language",
      "language: keep only documents detected in one of these languages (comma-separated codes, e.g. fr,en); others are rejected as language. Without it documents are only tagged"}, 0, 0},
    {{"lang-threshold", 0, TAMIS_ARG_FLOAT, "P", "0.65", NULL, "Language",
      "language: with --lang, also reject documents whose language score is below P (0 <= P < 1)"}, 0, 0},
    {{"lang-script", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Language",
      "language: write metadata.language with the script, as in fr_Latn or sr_Cyrl"}, 0, 0},
    {{"lid-lines", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Language",
      "language: also identify each line; write metadata.line_languages for lines confidently in another language than the document"}, 0, 0},
    /* Quality rules */
    {{"rules", 0, TAMIS_ARG_CHOICE, "SET", "tamis", "tamis|datatrove-current|fineweb-2024", "Quality",
      "how the quality stages count words, lines and stop words; the thresholds below are the same for all three"}, 0, 0},
    {{"default-lang", 0, TAMIS_ARG_STRING, "LANG", "auto", NULL, "Quality",
      "language for the quality and lines rules when the language stage has not identified one (it runs after lines, is off, or found no letters) and the input gives none in metadata.language (or a top-level \"language\"); auto: the tamis stop-word list with the most hits in the text, else en"}, 0, 0},
    {{"gopher-min-words", 0, TAMIS_ARG_INT, "N", "50", NULL, "Quality",
      "gopher_quality: fewest non-symbol words (gopher_short_doc); 0 disables"}, 0, 1000000000},
    {{"gopher-max-words", 0, TAMIS_ARG_INT, "N", "100000", NULL, "Quality",
      "gopher_quality: most non-symbol words (gopher_long_doc); 0 disables"}, 0, 1000000000},
    {{"gopher-min-avg-word-length", 0, TAMIS_ARG_FLOAT, "X", "3", NULL, "Quality",
      "gopher_quality: shortest mean word length in characters (gopher_below_avg_threshold); 0 disables"}, 0, 0},
    {{"gopher-max-avg-word-length", 0, TAMIS_ARG_FLOAT, "X", "10", NULL, "Quality",
      "gopher_quality: longest mean word length (gopher_above_avg_threshold); 0 disables"}, 0, 0},
    {{"gopher-max-symbol-word-ratio", 0, TAMIS_ARG_FLOAT, "X", "0.1", NULL, "Quality",
      "gopher_quality: most '#' per word, and most ellipses per word (gopher_too_many_hashes, gopher_too_many_ellipsis); 0 disables"}, 0, 0},
    {{"gopher-max-bullet-lines-ratio", 0, TAMIS_ARG_FLOAT, "X", "0.9", NULL, "Quality",
      "gopher_quality: largest fraction of lines starting with a bullet (gopher_too_many_bullets); 0 disables"}, 0, 0},
    {{"gopher-max-ellipsis-lines-ratio", 0, TAMIS_ARG_FLOAT, "X", "0.3", NULL, "Quality",
      "gopher_quality: largest fraction of lines ending with an ellipsis (gopher_too_many_end_ellipsis); 0 disables"}, 0, 0},
    {{"gopher-max-non-alpha-words-ratio", 0, TAMIS_ARG_FLOAT, "X", "0.8", NULL, "Quality",
      "gopher_quality: smallest fraction of words with a letter (gopher_below_alpha_threshold); 0 disables"}, 0, 0},
    {{"gopher-min-stop-words", 0, TAMIS_ARG_INT, "N", "2", NULL, "Quality",
      "gopher_quality: fewest stop words (gopher_enough_stop_words); 0 disables"}, 0, 1000000},
    {{"gopher-dup-para-frac", 0, TAMIS_ARG_FLOAT, "X", "0.3", NULL, "Quality",
      "gopher_repetition: largest fraction of duplicate paragraphs (dup_para_frac); 0 disables"}, 0, 0},
    {{"gopher-dup-para-char-frac", 0, TAMIS_ARG_FLOAT, "X", "0.2", NULL, "Quality",
      "gopher_repetition: largest fraction of characters in duplicate paragraphs (dup_para_char_frac); 0 disables"}, 0, 0},
    {{"gopher-dup-line-frac", 0, TAMIS_ARG_FLOAT, "X", "0.3", NULL, "Quality",
      "gopher_repetition: largest fraction of duplicate lines (dup_line_frac); 0 disables"}, 0, 0},
    {{"gopher-dup-line-char-frac", 0, TAMIS_ARG_FLOAT, "X", "0.2", NULL, "Quality",
      "gopher_repetition: largest fraction of characters in duplicate lines (dup_line_char_frac); 0 disables"}, 0, 0},
    {{"gopher-top-ngrams", 0, TAMIS_ARG_STRING, "N:X,...", "2:0.2,3:0.18,4:0.16", NULL, "Quality",
      "gopher_repetition: for each n, largest fraction of characters in the most frequent word n-gram (top_N_gram); n from 1 to 20, X 0 disables"}, 0, 0},
    {{"gopher-dup-ngrams", 0, TAMIS_ARG_STRING, "N:X,...", "5:0.15,6:0.14,7:0.13,8:0.12,9:0.11,10:0.1", NULL, "Quality",
      "gopher_repetition: for each n, largest fraction of characters in repeated word n-grams (duplicated_N_n_grams); n from 1 to 20, X 0 disables"}, 0, 0},
    {{"c4-terminal-punct-rule", 0, TAMIS_ARG_CHOICE, "on|off", "on", "on|off", "Quality",
      "c4_quality: drop lines that do not end in terminal punctuation (FineWeb ran C4 with off)"}, 0, 0},
    {{"c4-min-sentences", 0, TAMIS_ARG_INT, "N", "5", NULL, "Quality",
      "c4_quality: fewest sentences in the kept lines (too_few_sentences); 0 disables"}, 0, 1000000},
    {{"c4-min-words-per-line", 0, TAMIS_ARG_INT, "N", "3", NULL, "Quality",
      "c4_quality: drop lines with fewer words; 0 disables"}, 0, 1000000},
    {{"c4-max-word-length", 0, TAMIS_ARG_INT, "N", "1000", NULL, "Quality",
      "c4_quality: drop lines with a longer word (characters); 0 disables"}, 0, 1000000000},
    {{"c4-remove-citations", 0, TAMIS_ARG_CHOICE, "on|off", "on", "on|off", "Quality",
      "c4_quality: remove [1], [edit] and [citation needed] from lines"}, 0, 0},
    {{"c4-lorem-ipsum-rule", 0, TAMIS_ARG_CHOICE, "on|off", "on", "on|off", "Quality",
      "c4_quality: reject documents with a kept line containing 'lorem ipsum' (lorem_ipsum)"}, 0, 0},
    {{"c4-javascript-rule", 0, TAMIS_ARG_CHOICE, "on|off", "on", "on|off", "Quality",
      "c4_quality: drop lines mentioning javascript"}, 0, 0},
    {{"c4-curly-bracket-rule", 0, TAMIS_ARG_CHOICE, "on|off", "on", "on|off", "Quality",
      "c4_quality: reject documents with a kept line containing '{' (curly_bracket)"}, 0, 0},
    {{"c4-policy-rule", 0, TAMIS_ARG_CHOICE, "on|off", "on", "on|off", "Quality",
      "c4_quality: drop lines about terms of use, privacy and cookie policies"}, 0, 0},
    {{"fineweb-line-punct-thr", 0, TAMIS_ARG_FLOAT, "X", "0.12", NULL, "Quality",
      "fineweb_quality: smallest fraction of lines ending in terminal punctuation (line_punct_ratio); 0 disables"}, 0, 0},
    {{"fineweb-line-punct-exclude-zero", 0, TAMIS_ARG_CHOICE, "on|off", "off", "on|off", "Quality",
      "fineweb_quality: keep documents where no line ends in terminal punctuation"}, 0, 0},
    {{"fineweb-short-line-thr", 0, TAMIS_ARG_FLOAT, "X", "0.67", NULL, "Quality",
      "fineweb_quality: largest fraction of short lines (short_line_ratio); 0 disables"}, 0, 0},
    {{"fineweb-short-line-length", 0, TAMIS_ARG_INT, "N", "30", NULL, "Quality",
      "fineweb_quality: a line of at most this many characters is short"}, 0, 1000000000},
    {{"fineweb-char-dup-ratio", 0, TAMIS_ARG_FLOAT, "X", "0.01", NULL, "Quality",
      "fineweb_quality: largest fraction of characters in duplicate lines (char_dup_ratio); 0 disables"}, 0, 0},
    {{"fineweb-new-line-ratio", 0, TAMIS_ARG_FLOAT, "X", "0.3", NULL, "Quality",
      "fineweb_quality: most newlines per word (list_ratio); 0 disables"}, 0, 0},
    /* Near-duplicates */
    {{"keep", 0, TAMIS_ARG_CHOICE, "POLICY", "first", "first|longest|reference", "Dedup",
      "near_dedup: which document of a cluster is kept: the earliest, the longest (ties: earliest), or reference (datatrove's union by set size, ties to the earlier document)"}, 0, 0},
    {{"near-verify", 0, TAMIS_ARG_CHOICE, "on|off|auto", "auto", "on|off|auto", "Dedup",
      "near_dedup: check each candidate pair's estimated Jaccard similarity before joining it; auto: on, except with --rules datatrove-current or fineweb-2024 (the reference does not verify)"}, 0, 0},
    {{"near-verify-threshold", 0, TAMIS_ARG_FLOAT, "J", "0.5", NULL, "Dedup",
      "near_dedup: with verification, the lowest estimated Jaccard similarity of a pair that is joined (0 < J < 1)"}, 0, 0},
    {{"minhash-hash", 0, TAMIS_ARG_CHOICE, "FN", "auto", "auto|xxhash|sha1", "Dedup",
      "near_dedup: shingle hash: 64-bit XXH64, or the first 8 bytes of SHA-1 (as FineWeb used); auto: sha1 with --rules fineweb-2024, else xxhash"}, 0, 0},
    {{"minhash-ngram", 0, TAMIS_ARG_INT, "N", "5", NULL, "Dedup", "near_dedup: words per shingle"}, 1, 64},
    {{"minhash-bands", 0, TAMIS_ARG_INT, "N", "14", NULL, "Dedup", "near_dedup: LSH bands"}, 1, 64},
    {{"minhash-rows", 0, TAMIS_ARG_INT, "N", "8", NULL, "Dedup",
      "near_dedup: hashes per band (bands x rows hashes in all, at most 1024)"}, 1, 1024},
    {{"minhash-seed", 0, TAMIS_ARG_INT, "N", "1", NULL, "Dedup",
      "near_dedup: seed of the permutations (numpy RandomState, as datatrove draws them)"}, 0, 4294967295LL},
    {{"dedup-step", 0, TAMIS_ARG_CHOICE, "STEP", "none", "none|lines|sign|apply", "Dedup",
      "corpus-wide stages over shards (what tamis dedup lines|sign|apply set): lines writes this shard's line counts to --dedup-work and nothing else; sign writes its near_dedup signatures and nothing else; apply is the shard's run with the decisions of tamis dedup cluster and the counts of tamis dedup lines-merge instead of corpus passes (sign takes those counts too)"}, 0, 0},
    {{"dedup-work", 0, TAMIS_ARG_STRING, "DIR", "", NULL, "Dedup",
      "with --dedup-step: the directory the steps share"}, 0, 0},
    {{"dedup-shard", 0, TAMIS_ARG_INT, "I", "0", NULL, "Dedup",
      "with --dedup-step: this input shard's number, from 0, in input order"}, 0, 99999},
    /* Output */
    {{"output", 'o', TAMIS_ARG_STRING, "DIR", "", NULL, "Output",
      "output directory, or - to stream kept documents to stdout (required)"}, 0, 0},
    {{"compress", 0, TAMIS_ARG_CHOICE, "CODEC", "zstd", "zstd|gzip|none", "Output",
      "compression of kept and rejected files"}, 0, 0},
    {{"compress-level", 0, TAMIS_ARG_INT, "N", "3", NULL, "Output", "compression level (zstd 1-19, gzip 1-9)"}, 1, 19},
    {{"rejected", 0, TAMIS_ARG_STRING, "FILE", "", NULL, "Output",
      "write rejected documents to FILE (codec from its suffix) instead of DIR/rejected.*; with -o - and no --rejected they are only counted"}, 0, 0},
    {{"summary", 0, TAMIS_ARG_STRING, "FILE", "", NULL, "Output",
      "write the JSON summary to FILE instead of DIR/summary.json; with -o - and no --summary none is written"}, 0, 0},
    {{"split-by-language", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Output",
      "write kept documents to DIR/kept/LANG.jsonl.zst (one file per metadata.language) instead of DIR/kept.jsonl.zst"}, 0, 0},
    {{"report", 0, TAMIS_ARG_BOOL, NULL, "true", NULL, "Output",
      "write report.html (what was removed, why, with examples and histograms) and its stats.json beside the summary"}, 0, 0},
    /* Performance */
    {{"threads", 'j', TAMIS_ARG_INT, "N", "auto", NULL, "Performance", "worker threads (auto: all cores)"}, 1, 1024},
    {{"tmp-dir", 0, TAMIS_ARG_STRING, "DIR", "", NULL, "Performance",
      "scratch space (the spooled copy of stdin for the corpus pass); default $TMPDIR, else /tmp"}, 0, 0},
    /* Messages */
    {{"progress", 0, TAMIS_ARG_BOOL, NULL, "auto", NULL, "Messages",
      "show a progress line on stderr (auto: when stderr is a terminal)"}, 0, 0},
    {{"quiet", 'q', TAMIS_ARG_NONE, NULL, "", NULL, "Messages", "print no per-record messages, only fatal errors"}, 0, 0},
    {{"strict", 0, TAMIS_ARG_NONE, NULL, "", NULL, "Messages",
      "stop at the first malformed or too large record (exit status 2)"}, 0, 0},
};
#define NOPT TMS_ARRAY_LEN(table)

struct tamis_options {
    char *val[NOPT];      /* from the command line or the API; NULL: not set */
    char *file_val[NOPT]; /* from --config FILE; NULL: not set */
    char **inputs;
    size_t *input_rel;    /* per input: where its part inside a walked directory starts (0: an input to walk) */
    size_t ninputs, cap, rel_cap;
    char *command;
    char err[512];
};

const tamis_option_info *tamis_option_at(size_t i) { return i < NOPT ? &table[i].info : NULL; }

static int find_row(const char *name)
{
    for (size_t i = 0; i < NOPT; i++)
        if (!strcmp(table[i].info.name, name)) return (int)i;
    return -1;
}

const tamis_option_info *tamis_option_find(const char *name)
{
    int i = find_row(name);
    if (i < 0 && !strncmp(name, "no-", 3)) {
        i = find_row(name + 3);
        if (i >= 0 && table[i].info.arg != TAMIS_ARG_BOOL) i = -1;
    }
    return i < 0 ? NULL : &table[i].info;
}

tamis_status tamis_options_create(tamis_options **out)
{
    *out = tms_calloc(1, sizeof **out);
    return *out ? TAMIS_OK : TAMIS_E_NOMEM;
}

void tamis_options_free(tamis_options *o)
{
    if (!o) return;
    for (size_t i = 0; i < NOPT; i++) tms_free(o->val[i]), tms_free(o->file_val[i]);
    for (size_t i = 0; i < o->ninputs; i++) tms_free(o->inputs[i]);
    tms_free(o->inputs);
    tms_free(o->input_rel);
    tms_free(o->command);
    tms_free(o);
}

const char *tamis_options_errmsg(const tamis_options *o) { return o->err; }
void tms_options_set_error(tamis_options *o, const char *msg) { snprintf(o->err, sizeof o->err, "%s", msg); }

static tamis_status usage(tamis_options *o, const char *fmt, ...) TMS_PRINTF(2, 3);
static tamis_status usage(tamis_options *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err, sizeof o->err, fmt, ap);
    va_end(ap);
    return TAMIS_E_USAGE;
}

/* "64M" -> bytes; -1 on error */
static long long parse_size(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0) return -1;
    long long mul = 1;
    switch (*end) {
    case 0: break;
    case 'k': case 'K': mul = KB; end++; break;
    case 'm': case 'M': mul = KB * KB; end++; break;
    case 'g': case 'G': mul = KB * KB * KB; end++; break;
    default: return -1;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v > LLONG_MAX / mul) return -1;
    return v * mul;
}

static long long parse_int(const char *s, bool *ok)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    *ok = !errno && end != s && !*end;
    return v;
}

/* "2:0.2,3:0.18": n from 1 to 20, X a ratio >= 0; at most TMS_MAX_NGRAM_RULES pairs */
static bool valid_ngram_list(const char *s)
{
    size_t k = 0;
    while (*s) {
        char *end;
        errno = 0;
        long n = strtol(s, &end, 10);
        if (errno || end == s || *end != ':' || n < 1 || n > 20) return false;
        s = end + 1;
        double x = strtod(s, &end);
        if (end == s || !(x >= 0) || x > 1e9) return false;
        s = end;
        if (++k > TMS_MAX_NGRAM_RULES) return false;
        if (*s == ',' && s[1]) s++;
        else if (*s) return false;
    }
    return true;
}

/* Checks `value` for row r and returns the canonical text to store in *out. */
static tamis_status check_value(tamis_options *o, const row *r, const char *value, bool negated, const char *where,
                                char **out)
{
    const char *name = r->info.name;
    const char *v = value;
    char num[64];
    *out = NULL;
    switch (r->info.arg) {
    case TAMIS_ARG_NONE:
    case TAMIS_ARG_BOOL:
        if (where) { /* a config file spells switches out */
            bool t = value && (!strcmp(value, "true") || !strcmp(value, "on") || !strcmp(value, "yes") || !strcmp(value, "1"));
            bool f = value && (!strcmp(value, "false") || !strcmp(value, "off") || !strcmp(value, "no") || !strcmp(value, "0"));
            if (!t && !f) return usage(o, "%s: '%s' takes true or false, not '%s'", where, name, value ? value : "");
            v = t ? "true" : "false";
            break;
        }
        if (value) return usage(o, "option '--%s' takes no value", name);
        v = negated ? "false" : "true";
        break;
    case TAMIS_ARG_INT: {
        bool ok;
        if (!value) return usage(o, "option '--%s' needs a value", name);
        if (!strcmp(r->info.defval, "auto") && !strcmp(value, "auto")) break;
        long long n = parse_int(value, &ok);
        if (!ok) return usage(o, "option '--%s' takes a whole number, not '%s'", name, value);
        if (n < r->min || n > r->max)
            return usage(o, "option '--%s' must be between %lld and %lld, not %lld", name, r->min, r->max, n);
        break;
    }
    case TAMIS_ARG_FLOAT: {
        if (!value) return usage(o, "option '--%s' needs a value", name);
        char *end;
        errno = 0;
        double x = strtod(value, &end);
        if (errno || end == value || *end || !(x >= 0) || x > 1e9)
            return usage(o, "option '--%s' takes a number from 0 to 1e9, not '%s'", name, value);
        snprintf(num, sizeof num, "%.15g", x); /* canonical, and valid JSON in the summary */
        v = num;
        break;
    }
    case TAMIS_ARG_SIZE: {
        if (!value) return usage(o, "option '--%s' needs a value", name);
        long long n = parse_size(value);
        if (n < 0) return usage(o, "option '--%s' takes a size like 512K, 64M or 2G, not '%s'", name, value);
        if (n < r->min || n > r->max)
            return usage(o, "option '--%s' must be between %lld and %lld bytes", name, r->min, r->max);
        break;
    }
    case TAMIS_ARG_CHOICE: {
        if (!value) return usage(o, "option '--%s' needs a value", name);
        const char *c = r->info.choices;
        size_t vl = strlen(value);
        bool found = false;
        while (*c) {
            const char *bar = strchr(c, '|');
            size_t l = bar ? (size_t)(bar - c) : strlen(c);
            if (l == vl && !memcmp(c, value, l)) found = true;
            c += l + (bar ? 1 : 0);
        }
        if (!found) return usage(o, "option '--%s' takes one of %s, not '%s'", name, r->info.choices, value);
        break;
    }
    case TAMIS_ARG_STRING:
        if (!value) return usage(o, "option '--%s' needs a value", name);
        if (!*value) return usage(o, "option '--%s' needs a non-empty value", name);
        if (strstr(name, "-ngrams") && !valid_ngram_list(value))
            return usage(o, "option '--%s' takes N:X pairs separated by commas (N from 1 to 20, at most %d pairs), not '%s'",
                         name, TMS_MAX_NGRAM_RULES, value);
        break;
    }
    *out = tms_strdup(v);
    return *out ? TAMIS_OK : TAMIS_E_NOMEM;
}

static tamis_status read_config(tamis_options *o, const char *path);

tamis_status tamis_options_set(tamis_options *o, const char *name, const char *value)
{
    int i = find_row(name);
    bool negated = false;
    if (i < 0 && !strncmp(name, "no-", 3)) {
        i = find_row(name + 3);
        if (i >= 0 && table[i].info.arg != TAMIS_ARG_BOOL) i = -1;
        negated = i >= 0;
    }
    if (i < 0) return usage(o, "unknown option '--%s'", name);
    char *copy;
    TMS_TRY(check_value(o, &table[i], value, negated, NULL, &copy));
    if (!strcmp(table[i].info.name, "config")) {
        tamis_status st = read_config(o, copy); /* all of the file, or nothing */
        if (st != TAMIS_OK) {
            tms_free(copy);
            return st;
        }
    }
    tms_free(o->val[i]);
    o->val[i] = copy;
    return TAMIS_OK;
}

/* --config FILE: "name = value" lines; '#' comments and blank lines skipped.
 * Values land below the command line's: a flag given before or after
 * --config still wins. */
static tamis_status read_config(tamis_options *o, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return usage(o, "cannot read --config %s: %s", path, strerror(errno));
    char line[4096], where[TMS_MAX_PATH_BYTES + 32];
    char *vals[NOPT] = {0};
    unsigned lineno = 0;
    tamis_status st = TAMIS_OK;
    while (st == TAMIS_OK && fgets(line, sizeof line, f)) {
        lineno++;
        snprintf(where, sizeof where, "%s:%u", path, lineno);
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') { st = usage(o, "%s: line too long", where); break; }
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) *--e = 0;
        if (!*p) continue;
        char *eq = strchr(p, '=');
        if (!eq) { st = usage(o, "%s: expected 'name = value', got '%s'", where, p); break; }
        char *k = eq;
        while (k > p && (k[-1] == ' ' || k[-1] == '\t')) k--;
        *k = 0;
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t') v++;
        if (!strncmp(p, "--", 2)) p += 2;
        int i = find_row(p);
        if (i < 0) { st = usage(o, "%s: unknown option '%s'", where, p); break; }
        if (!strcmp(p, "config")) { st = usage(o, "%s: a config file cannot include another", where); break; }
        char *copy = NULL;
        st = check_value(o, &table[i], v, false, where, &copy);
        if (st == TAMIS_E_USAGE && strncmp(o->err, where, strlen(where)) != 0) {
            char msg[sizeof o->err];
            memcpy(msg, o->err, sizeof msg);
            if (snprintf(o->err, sizeof o->err, "%s: %s", where, msg) < 0) o->err[0] = 0;
        }
        if (st != TAMIS_OK) break;
        tms_free(vals[i]);
        vals[i] = copy;
    }
    if (st == TAMIS_OK && ferror(f)) st = usage(o, "cannot read --config %s: %s", path, strerror(errno));
    fclose(f);
    for (size_t i = 0; i < NOPT; i++) {
        if (st == TAMIS_OK && vals[i]) {
            tms_free(o->file_val[i]);
            o->file_val[i] = vals[i];
        } else {
            tms_free(vals[i]);
        }
    }
    return st;
}

static tamis_status add_input(tamis_options *o, const char *path, size_t rel)
{
    if (!path || !*path) return usage(o, "empty input path");
    if (TMS_GROW(o->inputs, o->cap, o->ninputs, 8)) return TAMIS_E_NOMEM;
    if (TMS_RESERVE(o->input_rel, o->rel_cap, o->ninputs + 1)) return TAMIS_E_NOMEM;
    if (!(o->inputs[o->ninputs] = tms_strdup(path))) return TAMIS_E_NOMEM;
    o->input_rel[o->ninputs++] = rel;
    return TAMIS_OK;
}

tamis_status tamis_options_add_input(tamis_options *o, const char *path) { return add_input(o, path, 0); }

tamis_status tamis_options_add_input_file(tamis_options *o, const char *path, size_t rel_from)
{
    if (!path || rel_from == 0 || rel_from >= strlen(path) || path[rel_from] == '/' || path[rel_from - 1] != '/')
        return usage(o, "%s: the part inside its directory must follow a '/'", path ? path : "");
    return add_input(o, path, rel_from);
}

tamis_status tamis_options_set_command(tamis_options *o, int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *c = tms_malloc(n), *w = c;
    if (!c) return TAMIS_E_NOMEM;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        memcpy(w, argv[i], l);
        w += l;
        *w++ = i + 1 < argc ? ' ' : 0;
    }
    if (argc == 0) *w = 0;
    tms_free(o->command);
    o->command = c;
    return TAMIS_OK;
}

static const char *value_of(const tamis_options *o, const char *name)
{
    int i = find_row(name);
    assert(i >= 0);
    if (o->val[i]) return o->val[i];
    if (o->file_val[i]) return o->file_val[i];
    return table[i].info.arg == TAMIS_ARG_NONE ? "false" : table[i].info.defval;
}

const char *tamis_options_get(const tamis_options *o, const char *name)
{
    int i = find_row(name);
    if (i < 0) return NULL;
    return value_of(o, name);
}

void tms_options_each(const tamis_options *o, void (*fn)(void *, const tamis_option_info *, const char *), void *ctx)
{
    for (size_t i = 0; i < NOPT; i++) fn(ctx, &table[i].info, value_of(o, table[i].info.name));
}

static bool flag(const tamis_options *o, const char *name) { return !strcmp(value_of(o, name), "true"); }

static long long int_of(const tamis_options *o, const char *name) { return strtoll(value_of(o, name), NULL, 10); }
static double float_of(const tamis_options *o, const char *name) { return strtod(value_of(o, name), NULL); }
static bool on(const tamis_options *o, const char *name) { return !strcmp(value_of(o, name), "on"); }

static size_t ngram_rules(const char *s, tms_ngram_rule *out)
{
    size_t k = 0;
    while (*s && k < TMS_MAX_NGRAM_RULES) { /* validated when set */
        char *end;
        out[k].n = (int)strtol(s, &end, 10);
        out[k].frac = strtod(end + 1, &end);
        k++;
        s = *end == ',' ? end + 1 : end;
    }
    return k;
}

static void resolve_quality(const tamis_options *o, tms_quality_config *q)
{
    const char *r = value_of(o, "rules");
    q->rules = !strcmp(r, "datatrove-current") ? TMS_RULES_DATATROVE
             : !strcmp(r, "fineweb-2024")      ? TMS_RULES_FINEWEB2024
                                               : TMS_RULES_TAMIS;
    q->default_lang = value_of(o, "default-lang");
    q->g_min_words = int_of(o, "gopher-min-words");
    q->g_max_words = int_of(o, "gopher-max-words");
    q->g_min_avg_len = float_of(o, "gopher-min-avg-word-length");
    q->g_max_avg_len = float_of(o, "gopher-max-avg-word-length");
    q->g_symbol_ratio = float_of(o, "gopher-max-symbol-word-ratio");
    q->g_bullet_ratio = float_of(o, "gopher-max-bullet-lines-ratio");
    q->g_ellipsis_ratio = float_of(o, "gopher-max-ellipsis-lines-ratio");
    q->g_alpha_ratio = float_of(o, "gopher-max-non-alpha-words-ratio");
    q->g_min_stop_words = int_of(o, "gopher-min-stop-words");
    q->r_para_frac = float_of(o, "gopher-dup-para-frac");
    q->r_para_char_frac = float_of(o, "gopher-dup-para-char-frac");
    q->r_line_frac = float_of(o, "gopher-dup-line-frac");
    q->r_line_char_frac = float_of(o, "gopher-dup-line-char-frac");
    q->r_ntop = ngram_rules(value_of(o, "gopher-top-ngrams"), q->r_top);
    q->r_ndup = ngram_rules(value_of(o, "gopher-dup-ngrams"), q->r_dup);
    q->c4_terminal = on(o, "c4-terminal-punct-rule");
    q->c4_citations = on(o, "c4-remove-citations");
    q->c4_lorem = on(o, "c4-lorem-ipsum-rule");
    q->c4_javascript = on(o, "c4-javascript-rule");
    q->c4_curly = on(o, "c4-curly-bracket-rule");
    q->c4_policy = on(o, "c4-policy-rule");
    q->c4_min_sentences = int_of(o, "c4-min-sentences");
    q->c4_min_words_per_line = int_of(o, "c4-min-words-per-line");
    q->c4_max_word_length = int_of(o, "c4-max-word-length");
    q->fw_line_punct = float_of(o, "fineweb-line-punct-thr");
    q->fw_exclude_zero = on(o, "fineweb-line-punct-exclude-zero");
    q->fw_short_line_ratio = float_of(o, "fineweb-short-line-thr");
    q->fw_short_line_length = int_of(o, "fineweb-short-line-length");
    q->fw_char_dup = float_of(o, "fineweb-char-dup-ratio");
    q->fw_new_line = float_of(o, "fineweb-new-line-ratio");
}

tamis_status tms_config_resolve(const tamis_options *o, tms_config *c, char *err, size_t errn)
{
    memset(c, 0, sizeof *c);
    c->inputs = (const char *const *)o->inputs;
    c->ninputs = o->ninputs;
    c->input_rel = o->input_rel;
    const char *out = value_of(o, "output");
    c->output = *out ? out : NULL;
    c->rejected_path = *value_of(o, "rejected") ? value_of(o, "rejected") : NULL;
    c->summary_path = *value_of(o, "summary") ? value_of(o, "summary") : NULL;
    const char *z = value_of(o, "compress");
    c->compress = !strcmp(z, "zstd") ? TMS_COMPRESS_ZSTD : !strcmp(z, "gzip") ? TMS_COMPRESS_GZIP : TMS_COMPRESS_NONE;
    c->compress_level = atoi(value_of(o, "compress-level"));
    c->stages = value_of(o, "stages");
    const char *j = value_of(o, "threads");
    if (!strcmp(j, "auto")) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->threads = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
    } else {
        c->threads = atoi(j);
    }
    c->max_doc_bytes = (size_t)parse_size(value_of(o, "max-doc-bytes"));
    c->max_json_depth = atoi(value_of(o, "max-json-depth"));
    c->text_field = value_of(o, "text-field");
    c->id_field = value_of(o, "id-field");
    const char *f = value_of(o, "format");
    c->format = !strcmp(f, "jsonl") ? 1 : !strcmp(f, "warc") ? 2 : !strcmp(f, "txt") ? 3 : !strcmp(f, "html") ? 4 : 0;
    c->html_field = *value_of(o, "html-field") ? value_of(o, "html-field") : NULL;
    if (c->html_field && (!strcmp(c->html_field, c->text_field) || !strcmp(c->html_field, c->id_field))) {
        snprintf(err, errn, "--html-field %s: must differ from --text-field and --id-field (the HTML is kept as it was)",
                 c->html_field);
        return TAMIS_E_USAGE;
    }
    c->explain = flag(o, "explain");
    c->strict = flag(o, "strict");
    c->quiet = flag(o, "quiet");
    const char *pr = value_of(o, "progress");
    c->progress = !strcmp(pr, "auto") ? -1 : !strcmp(pr, "true");
    c->command = o->command ? o->command : "";
    c->tag_only = flag(o, "tag-only");
    c->max_html_bytes = (size_t)parse_size(value_of(o, "max-html-bytes"));
    c->lines_corpus = !flag(o, "no-lines-corpus");
    c->lines_threshold = float_of(o, "lines-threshold");
    if (!(c->lines_threshold > 0 && c->lines_threshold < 1)) {
        snprintf(err, errn, "--lines-threshold %s: must be between 0 and 1, both excluded", value_of(o, "lines-threshold"));
        return TAMIS_E_USAGE;
    }
    c->lid_backend = !strcmp(value_of(o, "lid-backend"), "cld2") ? 1 : 0;
    c->lang_list = value_of(o, "lang");
    c->lang_threshold = float_of(o, "lang-threshold");
    if (!(c->lang_threshold >= 0 && c->lang_threshold < 1)) {
        snprintf(err, errn, "--lang-threshold %s: must be at least 0 and below 1", value_of(o, "lang-threshold"));
        return TAMIS_E_USAGE;
    }
    for (const char *l = c->lang_list; *l;) {
        size_t n = strcspn(l, ",");
        bool ok = n >= 2 && n <= 3;
        for (size_t i = 0; i < n; i++) ok &= l[i] >= 'a' && l[i] <= 'z';
        if (!ok) {
            snprintf(err, errn, "--lang %s: expected comma-separated ISO 639 codes such as fr,en,yue", c->lang_list);
            return TAMIS_E_USAGE;
        }
        l += n + (l[n] == ',');
    }
    const char *keep = value_of(o, "keep");
    c->near_keep = !strcmp(keep, "longest") ? 1 : !strcmp(keep, "reference") ? 2 : 0;
    const char *nv = value_of(o, "near-verify");
    const char *rules = value_of(o, "rules");
    bool reference = !strcmp(rules, "datatrove-current") || !strcmp(rules, "fineweb-2024");
    c->near_verify = !strcmp(nv, "on") || (!strcmp(nv, "auto") && !reference);
    c->near_verify_threshold = float_of(o, "near-verify-threshold");
    if (!(c->near_verify_threshold > 0 && c->near_verify_threshold < 1)) {
        snprintf(err, errn, "--near-verify-threshold %s: must be between 0 and 1, both excluded",
                 value_of(o, "near-verify-threshold"));
        return TAMIS_E_USAGE;
    }
    const char *mh = value_of(o, "minhash-hash");
    c->minhash_sha1 = !strcmp(mh, "sha1") || (!strcmp(mh, "auto") && !strcmp(rules, "fineweb-2024"));
    c->minhash_ngram = (size_t)int_of(o, "minhash-ngram");
    c->minhash_bands = (size_t)int_of(o, "minhash-bands");
    c->minhash_rows = (size_t)int_of(o, "minhash-rows");
    c->minhash_seed = (uint32_t)int_of(o, "minhash-seed");
    if (c->minhash_bands * c->minhash_rows > 1024) {
        snprintf(err, errn, "--minhash-bands %zu x --minhash-rows %zu: at most 1024 hashes", c->minhash_bands,
                 c->minhash_rows);
        return TAMIS_E_USAGE;
    }
    const char *step = value_of(o, "dedup-step");
    c->dedup_step = !strcmp(step, "sign")    ? TMS_STEP_SIGN
                    : !strcmp(step, "apply") ? TMS_STEP_APPLY
                    : !strcmp(step, "lines") ? TMS_STEP_LINES
                                             : TMS_STEP_NONE;
    c->dedup_work = value_of(o, "dedup-work");
    c->dedup_shard = (uint32_t)int_of(o, "dedup-shard");
    if (c->dedup_step && !*c->dedup_work) {
        snprintf(err, errn, "--dedup-step %s needs --dedup-work DIR", step);
        return TAMIS_E_USAGE;
    }
    /* lines and sign write only their files in --dedup-work */
    if ((c->dedup_step == TMS_STEP_SIGN || c->dedup_step == TMS_STEP_LINES) && !c->output) c->output = "-";
    c->lang_script = flag(o, "lang-script");
    c->lid_lines = flag(o, "lid-lines");
    c->split_by_language = flag(o, "split-by-language");
    c->report = flag(o, "report");
    c->tmp_dir = *value_of(o, "tmp-dir") ? value_of(o, "tmp-dir") : getenv("TMPDIR");
    if (!c->tmp_dir || !*c->tmp_dir) c->tmp_dir = "/tmp";
    resolve_quality(o, &c->q);
    if (c->compress == TMS_COMPRESS_GZIP && c->compress_level > 9) {
        snprintf(err, errn, "--compress-level %d is out of range for --compress gzip (1-9)", c->compress_level);
        return TAMIS_E_USAGE;
    }
    return TAMIS_OK;
}

tamis_status tamis_options_validate(tamis_options *o)
{
    tms_config c;
    if (tms_config_resolve(o, &c, o->err, sizeof o->err) != TAMIS_OK) return TAMIS_E_USAGE;
    if (!c.output) return usage(o, "no output: give -o DIR (or -o - for stdout)");
    if (c.ninputs == 0) return usage(o, "no input: give files, directories or - for stdin");
    size_t stdin_count = 0;
    for (size_t i = 0; i < c.ninputs; i++) stdin_count += !strcmp(c.inputs[i], "-");
    if (stdin_count > 1) return usage(o, "stdin (-) can be read only once");
    bool to_stdout = !strcmp(c.output, "-");
    if (to_stdout && c.rejected_path && !strcmp(c.rejected_path, "-"))
        return usage(o, "--rejected - and -o - would both write to stdout");
    if (to_stdout && c.summary_path && !strcmp(c.summary_path, "-"))
        return usage(o, "--summary - and -o - would both write to stdout");
    if (to_stdout && c.split_by_language) return usage(o, "--split-by-language needs an output directory, not -o -");
    return TAMIS_OK;
}
