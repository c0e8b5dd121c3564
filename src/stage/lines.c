/*
 * lines.c -- the `lines` stage: removes the lines that are not the document
 * (widgets, teasers, menus, cookie banners, prompts, footers), each with the
 * reason that weighed most, and rejects a document with no line left as
 * `no_content_left`.
 *
 * Two passes when the pipeline runs the corpus pass (the default; off with
 * --no-lines-corpus): first every document, as it would enter this stage,
 * gives the hashes of its lines and of their leading and trailing sentences
 * (lines_features.c); the pipeline adds them, in input order, to a table of
 * document counts. Then each line is scored with those counts among its
 * features. Without the first pass the same model runs with the counts at 0.
 */
#include "stage.h"
#include "lines.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/config.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { C_LINES, C_REMOVED, C_BYTES_REMOVED, C_REASON0 };
/* one removed_<reason> counter per tms_lines_reasons entry, in its order */
static const char *const counter_names[C_REASON0 + TMS_LINES_NREASONS] = {
    "lines", "lines_removed", "bytes_removed",
    "removed_no_sentence", "removed_truncated", "removed_menu", "removed_symbols", "removed_repeated_in_doc",
    "removed_repeated_segment", "removed_repeated_in_corpus", "removed_context", "removed_cookie_notice",
    "removed_share_widget", "removed_login_prompt", "removed_newsletter_prompt", "removed_navigation",
    "removed_legal_notice", "removed_comment_prompt",
};

typedef struct lines_global {
    tms_lines_corpus *corpus;
    bool use_corpus;      /* the lines are scored with corpus counts */
    bool corpus_pass;     /* the pipeline runs the first pass to get them */
    double z_min;         /* remove when the calibrated log-odds >= z_min */
    bool explain;
} lines_global;

typedef struct lines_worker {
    lines_global *g;
    tms_lines_worker *lw;
    tms_buf out, meta;
    unsigned char *removed; /* reason index + 1 per line, 0: kept */
    size_t rcap;
} lines_worker;

static tamis_status lines_global_create(const tms_config *cfg, void **out)
{
    lines_global *g = tms_calloc(1, sizeof *g);
    if (!g) return TAMIS_E_NOMEM;
    g->use_corpus = g->corpus_pass = cfg->lines_corpus;
    double t = cfg->lines_threshold;
    g->z_min = log(t / (1 - t));
    g->explain = cfg->explain;
    tamis_status st = tms_lines_corpus_create(&g->corpus);
    if (st != TAMIS_OK) {
        tms_free(g);
        return st;
    }
    *out = g;
    return TAMIS_OK;
}

static void lines_global_free(void *global)
{
    lines_global *g = global;
    if (!g) return;
    tms_lines_corpus_free(g->corpus);
    tms_free(g);
}

static tamis_status lines_worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)cfg;
    lines_worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    w->g = global;
    tms_buf_init(&w->out, (size_t)1 << 40);
    tms_buf_init(&w->meta, (size_t)1 << 40);
    tamis_status st = tms_lines_worker_create(&w->lw);
    if (st != TAMIS_OK) {
        tms_free(w);
        return st;
    }
    *out = w;
    return TAMIS_OK;
}

static void lines_worker_free(void *worker)
{
    lines_worker *w = worker;
    if (!w) return;
    tms_lines_worker_free(w->lw);
    tms_buf_free(&w->out);
    tms_buf_free(&w->meta);
    tms_free(w->removed);
    tms_free(w);
}

static void input_of(const tms_doc *doc, tms_lines_input *in)
{
    in->text = doc->text;
    in->len = doc->len;
    in->url = doc->rec.url ? doc->rec.url : doc->rec.doc_url;
    in->url_len = in->url ? strlen(in->url) : 0;
    in->lang = doc->lang;
    in->lang_len = doc->lang_len;
}

/* First pass, in parallel: the document's corpus keys, into its arena. */
static tamis_status lines_observe(void *worker, tms_doc *doc)
{
    lines_worker *w = worker;
    tms_lines_input in;
    input_of(doc, &in);
    const uint64_t *keys;
    size_t n;
    TMS_TRY(tms_lines_keys(w->lw, &in, &keys, &n));
    uint64_t *copy = tms_arena_alloc(doc->arena, n * sizeof *copy + 1);
    if (!copy) return TAMIS_E_NOMEM;
    if (n) memcpy(copy, keys, n * sizeof *copy);
    doc->pass_data = copy;
    doc->pass_len = n;
    return TAMIS_OK;
}

/* First pass, in input order: counts them. */
static tamis_status lines_observe_commit(void *global, tms_doc *doc)
{
    lines_global *g = global;
    return tms_lines_corpus_add(g->corpus, doc->pass_data, doc->pass_len);
}

static bool lines_wants_pass(void *global) { return ((lines_global *)global)->corpus_pass; }

bool tms_lines_stage_uses_corpus(const void *global) { return ((const lines_global *)global)->use_corpus; }
const tms_lines_corpus *tms_lines_stage_corpus(const void *global) { return ((const lines_global *)global)->corpus; }

void tms_lines_stage_set_corpus(void *global, tms_lines_corpus *c)
{
    lines_global *g = global;
    tms_lines_corpus_free(g->corpus);
    g->corpus = c;
    g->corpus_pass = false; /* the counts are given */
}

static void lines_pass_stats(void *global, uint64_t *docs, uint64_t *keys, uint64_t *bytes)
{
    lines_global *g = global;
    *docs = tms_lines_corpus_docs(g->corpus);
    *keys = tms_lines_corpus_entries(g->corpus);
    *bytes = tms_lines_corpus_bytes(g->corpus);
}

static tamis_status lines_process(void *worker, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    lines_worker *w = worker;
    tms_lines_input in;
    input_of(doc, &in);
    const float *feat;
    const bool *blank;
    size_t nl;
    TMS_TRY(tms_lines_features(w->lw, w->g->use_corpus ? w->g->corpus : NULL, &in, &feat, &blank, &nl));
    if (nl > w->rcap) {
        tms_free(w->removed);
        w->removed = tms_malloc(nl);
        if (!w->removed) {
            w->rcap = 0;
            return TAMIS_E_NOMEM;
        }
        w->rcap = nl;
    }
    size_t nonblank = 0, nremoved = 0;
    for (size_t i = 0; i < nl; i++) {
        w->removed[i] = 0;
        if (blank[i]) continue;
        nonblank++;
        const float *row = feat + i * tms_lines_nfeat();
        if (tms_lines_logodds(row) >= w->g->z_min) {
            size_t r = tms_lines_reason_index(row);
            w->removed[i] = (unsigned char)(r + 1);
            nremoved++;
            ctr[C_REASON0 + r]++;
        }
    }
    ctr[C_LINES] += (uint32_t)nonblank;
    ctr[C_REMOVED] += (uint32_t)nremoved;
    if (!nremoved) return TAMIS_OK;

    /* the kept lines; blank lines kept between them, one at most in a row */
    tms_buf_reset(&w->out);
    tms_buf_reset(&w->meta);
    const char *t = doc->text;
    size_t pos = 0, bytes_removed = 0;
    bool pending_blank = false, any = false, first_meta = true;
    TMS_TRY(tms_buf_addc(&w->meta, '['));
    for (size_t i = 0; i < nl; i++) {
        const char *nlp = memchr(t + pos, '\n', doc->len - pos);
        size_t e = nlp ? (size_t)(nlp - t) : doc->len;
        if (w->removed[i]) {
            bytes_removed += e - pos + (nlp != NULL);
            TMS_TRY(tms_removed_line(doc, t + pos, e - pos, tms_lines_reasons[w->removed[i] - 1]));
            if (w->g->explain) {
                char item[96];
                int k = snprintf(item, sizeof item, "%s{\"line\":%zu,\"reason\":\"%s\"}", first_meta ? "" : ",", i + 1,
                                 tms_lines_reasons[w->removed[i] - 1]);
                TMS_TRY(tms_buf_add(&w->meta, item, (size_t)k));
                first_meta = false;
            }
        } else if (blank[i]) {
            pending_blank = any;
        } else {
            if (any) TMS_TRY(tms_buf_add(&w->out, pending_blank ? "\n\n" : "\n", pending_blank ? 2 : 1));
            TMS_TRY(tms_buf_add(&w->out, t + pos, e - pos));
            any = true;
            pending_blank = false;
        }
        pos = e + 1;
    }
    TMS_TRY(tms_buf_addc(&w->meta, ']'));
    ctr[C_BYTES_REMOVED] += (uint32_t)TMS_MIN(bytes_removed, UINT32_MAX);
    if (w->g->explain) {
        char *m = tms_arena_strndup(doc->arena, w->meta.data, w->meta.len);
        if (!m) return TAMIS_E_NOMEM;
        TMS_TRY(tms_doc_add_meta(doc, "removed_lines", m, w->meta.len));
    }
    if (nremoved == nonblank) return tms_reject_bare(doc, v, "no_content_left"); /* removed_lines says which */
    /* a text that ended with a newline still does */
    if (doc->len && t[doc->len - 1] == '\n') TMS_TRY(tms_buf_addc(&w->out, '\n'));
    char *text = tms_arena_strndup(doc->arena, w->out.data, w->out.len);
    if (!text) return TAMIS_E_NOMEM;
    bool valid = doc->text_valid;
    tms_doc_set_text(doc, text, w->out.len);
    doc->text_valid = valid; /* whole lines of valid UTF-8 are valid UTF-8 */
    return TAMIS_OK;
}

/* the document's reason, then each removed line's: the evidence that pushed its score up most */
static const tms_rule_info rules[] = {
    {"no_content_left", "lines-threshold",
     "every non-blank line removed as boilerplate (model probability at least 0.5)"},
    {"no_sentence", "lines-threshold", "line removed: no sentence (few words, no terminal punctuation)"},
    {"truncated", "lines-threshold", "line removed: cut off mid-sentence, as teasers and snippets are"},
    {"menu", "lines-threshold", "line removed: a run of short unpunctuated lines, as menus are"},
    {"symbols", "lines-threshold", "line removed: mostly symbols, digits or punctuation"},
    {"repeated_in_doc", "lines-threshold", "line removed: the same line occurs elsewhere in the document"},
    {"repeated_segment", "lines-threshold",
     "line removed: its first or last sentence starts or ends other lines (a widget glued to teasers)"},
    {"repeated_in_corpus", "lines-threshold",
     "line removed: the same line (CCNet-normalized) is in other documents or pages of the same site"},
    {"context", "lines-threshold", "line removed: its neighbours and position are boilerplate's"},
    {"cookie_notice", "lines-threshold", "line removed: a cookie or consent notice"},
    {"share_widget", "lines-threshold", "line removed: a share, like or follow widget"},
    {"login_prompt", "lines-threshold", "line removed: a sign-in or account prompt"},
    {"newsletter_prompt", "lines-threshold", "line removed: a newsletter or subscription prompt"},
    {"navigation", "lines-threshold", "line removed: navigation (breadcrumbs, next and previous, skip links)"},
    {"legal_notice", "lines-threshold", "line removed: a copyright, legal or rights notice"},
    {"comment_prompt", "lines-threshold", "line removed: a comment prompt or comment count"},
};
_Static_assert(TMS_ARRAY_LEN(rules) == 1 + TMS_LINES_NREASONS, "a rule per line reason");

const tms_stage_vt tms_stage_lines = {
    .name = "lines",
    .description = "remove boilerplate lines (widgets, teasers, menus, banners, prompts) with a learned model "
                   "over line, context and corpus evidence",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = TMS_ARRAY_LEN(counter_names),
    .global_create = lines_global_create,
    .global_free = lines_global_free,
    .worker_create = lines_worker_create,
    .worker_free = lines_worker_free,
    .process = lines_process,
    .wants_pass = lines_wants_pass,
    .observe = lines_observe,
    .observe_commit = lines_observe_commit,
    .pass_stats = lines_pass_stats,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
