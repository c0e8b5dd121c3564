/*
 * language.c -- the `language` stage: identifies the document's language
 * (lid/lid.h: tamis's model or CLD2, --lid-backend) and tags it:
 *   metadata.language          ISO 639-1 code where one exists, else 639-3
 *                              ("und" when the text has no letters); with
 *                              --lang-script the script too: "sr_Cyrl"
 *   metadata.language_score    calibrated 0-1 confidence
 *   metadata.language_runner_up the second guess, or null
 *   metadata.language_given    the input's own metadata.language, if any
 *   metadata.line_languages    --lid-lines: [{"line", "language", "score"}]
 *                              for lines whose language is not the
 *                              document's, with score >= 0.5 (lines count
 *                              from 1 in the text as it entered the stage)
 * Later stages read the detected language (stop words, tokenizers). With
 * --lang LIST, documents not detected in LIST with a score of at least
 * --lang-threshold are rejected as `language`.
 */
#include "stage.h"
#include "lid/lid.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/config.h"
#include "../core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_TAGGED, C_UNDETERMINED, C_GIVEN_DIFFERS, C_LINES_CHECKED, C_LINES_OTHER, C_N };
/* then one counter per language the backend knows, named when the run
 * starts: the summary's "languages" object */
#define MAX_LANGS 256
static const char *counter_names[C_N + MAX_LANGS] = {
    "tagged", "undetermined", "given_differs", "lines_checked", "lines_other_language",
};

#define LINE_MIN_SCORE 0.5f

typedef struct language_global {
    tms_lid_backend backend;
    char (*keep)[4];          /* --lang codes */
    size_t nkeep;
    double threshold;
    bool script, lines;
    struct lang_slot { const char *code; int slot; } *sorted; /* by code, for slot_of */
    size_t nlangs;
} language_global;

static int cmp_slot(const void *a, const void *b)
{
    return strcmp(((const struct lang_slot *)a)->code, ((const struct lang_slot *)b)->code);
}

/* the counter of a language, or -1 */
static int slot_of(const language_global *g, const char *lang)
{
    struct lang_slot key = {lang, 0};
    const struct lang_slot *hit = bsearch(&key, g->sorted, g->nlangs, sizeof *g->sorted, cmp_slot);
    return hit ? hit->slot : -1;
}

typedef struct language_worker {
    language_global *g;
    tms_buf meta;
} language_worker;

static tamis_status language_global_create(const tms_config *cfg, void **out)
{
    language_global *g = tms_calloc(1, sizeof *g);
    if (!g) return TAMIS_E_NOMEM;
    g->backend = cfg->lid_backend == TMS_LID_CLD2 ? TMS_LID_CLD2 : TMS_LID_TAMIS;
    g->threshold = cfg->lang_threshold;
    g->script = cfg->lang_script;
    g->lines = cfg->lid_lines;
    /* name the per-language counters (start() calls this before any worker) */
    g->nlangs = TMS_MIN(tms_lid_nlanguages(g->backend), (size_t)MAX_LANGS);
    g->sorted = tms_calloc(g->nlangs + 1, sizeof *g->sorted);
    if (!g->sorted) {
        tms_free(g);
        return TAMIS_E_NOMEM;
    }
    for (size_t i = 0; i < MAX_LANGS; i++) counter_names[C_N + i] = i < g->nlangs ? tms_lid_language(g->backend, i) : NULL;
    for (size_t i = 0; i < g->nlangs; i++) g->sorted[i] = (struct lang_slot){counter_names[C_N + i], (int)(C_N + i)};
    qsort(g->sorted, g->nlangs, sizeof *g->sorted, cmp_slot);
    size_t n = 0;
    for (const char *l = cfg->lang_list; *l; l++) n += *l == ',';
    if (*cfg->lang_list) {
        g->keep = tms_calloc(n + 1, sizeof *g->keep);
        if (!g->keep) {
            tms_free(g->sorted);
            tms_free(g);
            return TAMIS_E_NOMEM;
        }
        for (const char *l = cfg->lang_list; *l;) { /* validated: 2-3 letters each */
            size_t k = strcspn(l, ",");
            memcpy(g->keep[g->nkeep++], l, k < 3 ? k : 3);
            l += k + (l[k] == ',');
        }
    }
    *out = g;
    return TAMIS_OK;
}

static void language_global_free(void *global)
{
    language_global *g = global;
    if (!g) return;
    tms_free(g->keep);
    tms_free(g->sorted);
    tms_free(g);
}

static tamis_status language_worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)cfg;
    language_worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    w->g = global;
    tms_buf_init(&w->meta, (size_t)1 << 40);
    *out = w;
    return TAMIS_OK;
}

static void language_worker_free(void *worker)
{
    language_worker *w = worker;
    if (!w) return;
    tms_buf_free(&w->meta);
    tms_free(w);
}

static bool wanted(const language_global *g, const char *lang)
{
    for (size_t i = 0; i < g->nkeep; i++)
        if (!strcmp(g->keep[i], lang)) return true;
    return false;
}

/* the code as written in metadata: "fr", or "fr_Latn" with --lang-script */
static int code_of(const language_global *g, const tms_lid_guess *x, char *out, size_t n)
{
    if (g->script && x->script[0]) return snprintf(out, n, "\"%s_%s\"", x->lang, x->script);
    return snprintf(out, n, "\"%s\"", x->lang);
}

static tamis_status add_meta(tms_doc *doc, const char *key, const char *s, size_t n)
{
    char *m = tms_arena_strndup(doc->arena, s, n);
    if (!m) return TAMIS_E_NOMEM;
    return tms_doc_add_meta(doc, key, m, n);
}

/* --lid-lines: the lines whose language is confidently another one */
static tamis_status line_languages(language_worker *w, tms_doc *doc, const char *lang, uint32_t *ctr)
{
    tms_buf *b = &w->meta;
    tms_buf_reset(b);
    TMS_TRY(tms_buf_addc(b, '['));
    bool first = true;
    size_t line = 0;
    for (size_t pos = 0; pos < doc->len;) {
        const char *t = doc->text + pos;
        const char *nl = memchr(t, '\n', doc->len - pos);
        size_t n = nl ? (size_t)(nl - t) : doc->len - pos;
        line++;
        pos += n + 1;
        bool letter = false;
        for (size_t i = 0; i < n && !letter; i++) {
            unsigned char c = (unsigned char)t[i];
            letter = c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
        }
        if (!letter) continue;
        tms_lid_result r;
        tms_lid_detect(w->g->backend, t, n, TMS_LID_SHORT, &r);
        ctr[C_LINES_CHECKED]++;
        if (!strcmp(r.best.lang, "und") || !strcmp(r.best.lang, lang) || r.best.score < LINE_MIN_SCORE) continue;
        ctr[C_LINES_OTHER]++;
        char code[32];
        code_of(w->g, &r.best, code, sizeof code);
        TMS_TRY(tms_buf_printf(b, "%s{\"line\":%zu,\"language\":%s,\"score\":%.4f}", first ? "" : ",", line, code,
                               (double)r.best.score));
        first = false;
    }
    if (first) return TAMIS_OK;
    TMS_TRY(tms_buf_addc(b, ']'));
    return add_meta(doc, "line_languages", b->data, b->len);
}

static tamis_status language_process(void *worker, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    language_worker *w = worker;
    const language_global *g = w->g;
    tms_lid_result r;
    tms_lid_detect(g->backend, doc->text, doc->len, 0, &r);
    bool und = !strcmp(r.best.lang, "und");
    ctr[und ? C_UNDETERMINED : C_TAGGED]++;
    int slot = und ? -1 : slot_of(g, r.best.lang);
    if (slot >= 0) ctr[slot]++;

    char s[64];
    int n = code_of(g, &r.best, s, sizeof s);
    TMS_TRY(add_meta(doc, "language", s, (size_t)n));
    n = snprintf(s, sizeof s, "%.4f", (double)r.best.score);
    TMS_TRY(add_meta(doc, "language_score", s, (size_t)n));
    n = r.runner_up.lang[0] ? code_of(g, &r.runner_up, s, sizeof s) : snprintf(s, sizeof s, "null");
    TMS_TRY(add_meta(doc, "language_runner_up", s, (size_t)n));
    if (doc->rec.lang) {
        tms_buf *b = &w->meta;
        tms_buf_reset(b);
        TMS_TRY(tms_json_put_string(b, doc->rec.lang, doc->rec.lang_len, NULL));
        TMS_TRY(add_meta(doc, "language_given", b->data, b->len));
        ctr[C_GIVEN_DIFFERS] += und || doc->rec.lang_len != strlen(r.best.lang) ||
                                memcmp(doc->rec.lang, r.best.lang, doc->rec.lang_len) != 0;
    }
    if (!und) {
        char *code = tms_arena_strndup(doc->arena, r.best.lang, strlen(r.best.lang));
        if (!code) return TAMIS_E_NOMEM;
        doc->lang = code;
        doc->lang_len = strlen(code);
    }
    if (g->lines) TMS_TRY(line_languages(w, doc, r.best.lang, ctr));

    if (g->nkeep) {
        /* the score of the best wanted language among the two guesses */
        double value = wanted(g, r.best.lang)       ? r.best.score
                     : wanted(g, r.runner_up.lang) ? r.runner_up.score
                                                    : 0;
        TMS_TRY(tms_measure(doc, "language", value, g->threshold, TMS_SCALE_FRAC, false));
        if (!wanted(g, r.best.lang) || r.best.score < g->threshold)
            return tms_reject(doc, v, "language", value, g->threshold);
    }
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"language", "lang",
     "with --lang: the best guess is not a listed language, or its score is under 0.65 (--lang-threshold)"},
};

const tms_stage_vt tms_stage_language = {
    .name = "language",
    .description = "identify the language (tamis's model or CLD2) and tag metadata.language; "
                   "with --lang, keep only the listed languages",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N + MAX_LANGS,
    .sparse_name = "languages",
    .sparse_first = C_N,
    .global_create = language_global_create,
    .global_free = language_global_free,
    .worker_create = language_worker_create,
    .worker_free = language_worker_free,
    .process = language_process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
