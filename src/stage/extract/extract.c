/*
 * extract.c -- the `extract` stage: an HTML document (a WARC response, an
 * .html file, a JSONL record's --html-field) becomes its main text, one
 * block per line, with the page's title, author, date, canonical URL, site
 * name and language in metadata. Documents that are not HTML pass through
 * untouched.
 *
 *   1. a WARC response whose HTTP status is not 2xx: http_error;
 *   2. a page over --max-html-bytes: too_large;
 *   3. its bytes to UTF-8 (charset.c): undecodable when nothing decodes them;
 *   4. parse and extract (html.c): no_main_content when nothing is found.
 * (WARC responses that are not HTML at all were rejected by the reader as
 * not_html.) See docs/internals/EXTRACT.md.
 */
#include "../stage.h"
#include "charset.h"
#include "html.h"
#include "../../core/alloc.h"
#include "../../core/buf.h"
#include "../../core/config.h"
#include "../../core/json.h"
#include <string.h>

enum {
    C_PAGES, C_PASSED, C_HTML_BYTES, C_TEXT_BYTES,
    C_CS_BOM, C_CS_UTF8, C_CS_HTTP, C_CS_META, C_CS_DETECTED, C_CS_REPAIRED, /* in tms_charset_source order */
    C_N
};
static const char *const counter_names[C_N] = {
    "pages", "not_html_passed", "html_bytes", "text_bytes", "charset_bom", "charset_utf8", "charset_http",
    "charset_meta", "charset_detected", "charset_utf8_repaired",
};

typedef struct ex_worker {
    size_t max_bytes;
    tms_charset *cs;
    tms_html *html;
    tms_buf utf8, json;
} ex_worker;

static tamis_status ex_worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)global;
    ex_worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    w->max_bytes = cfg->max_html_bytes;
    tms_buf_init(&w->utf8, (size_t)1 << 40);
    tms_buf_init(&w->json, (size_t)1 << 40);
    tamis_status st = tms_charset_create(&w->cs);
    if (st == TAMIS_OK) st = tms_html_create(&w->html);
    if (st != TAMIS_OK) {
        tms_charset_free(w->cs);
        tms_free(w);
        return st;
    }
    *out = w;
    return TAMIS_OK;
}

static void ex_worker_free(void *worker)
{
    ex_worker *w = worker;
    if (!w) return;
    tms_charset_free(w->cs);
    tms_html_free(w->html);
    tms_buf_free(&w->utf8);
    tms_buf_free(&w->json);
    tms_free(w);
}

/* metadata KEY = the JSON string of s, when s says something */
static tamis_status add_string(ex_worker *w, tms_doc *doc, const char *key, const char *s)
{
    if (!s || !*s) return TAMIS_OK;
    tms_buf_reset(&w->json);
    TMS_TRY(tms_json_put_string_utf8(&w->json, s, strlen(s)));
    char *v = tms_arena_strndup(doc->arena, w->json.data, w->json.len);
    if (!v) return TAMIS_E_NOMEM;
    return tms_doc_add_meta(doc, key, v, w->json.len);
}

static tamis_status ex_process(void *worker, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    ex_worker *w = worker;
    if (!doc->rec.is_html) {
        ctr[C_PASSED]++;
        return TAMIS_OK;
    }
    ctr[C_PAGES]++;
    ctr[C_HTML_BYTES] += (uint32_t)(doc->len < UINT32_MAX ? doc->len : UINT32_MAX);
    int status = doc->rec.http_status;
    if (status && (status < 200 || status > 299)) return tms_reject(doc, v, "http_error", status, 299);
    TMS_TRY(tms_measure(doc, "too_large", (double)doc->len, (double)w->max_bytes, TMS_SCALE_COUNT, true));
    if (doc->len > w->max_bytes) return tms_reject(doc, v, "too_large", (double)doc->len, (double)w->max_bytes);
    const char *utf8, *name;
    size_t n;
    tms_charset_source src;
    uint64_t replaced;
    TMS_TRY(tms_charset_decode(w->cs, doc->text, doc->len, doc->rec.content_type, &w->utf8, &utf8, &n, &src, &name,
                               &replaced));
    if (src == TMS_CS_NONE) return tms_reject_bare(doc, v, "undecodable");
    ctr[C_CS_BOM + (src - TMS_CS_BOM)]++;
    tms_html_result r;
    TMS_TRY(tms_html_extract(w->html, utf8, n, doc->rec.url ? doc->rec.url : doc->rec.doc_url, &r));
    /* the page's metadata, kept or rejected */
    TMS_TRY(add_string(w, doc, "title", r.title));
    TMS_TRY(add_string(w, doc, "author", r.author));
    TMS_TRY(add_string(w, doc, "date_published", r.date_published));
    TMS_TRY(add_string(w, doc, "canonical_url", r.canonical_url));
    TMS_TRY(add_string(w, doc, "site_name", r.site_name));
    TMS_TRY(add_string(w, doc, "html_lang", r.html_lang));
    if (src != TMS_CS_UTF8 && src != TMS_CS_BOM && src != TMS_CS_REPAIRED) TMS_TRY(add_string(w, doc, "charset", name));
    if (src == TMS_CS_REPAIRED) {
        char *k = tms_arena_printf(doc->arena, "%llu", (unsigned long long)replaced);
        if (!k) return TAMIS_E_NOMEM;
        TMS_TRY(tms_doc_add_meta(doc, "invalid_utf8_replaced", k, strlen(k)));
    }
    if (!r.found || !r.len) return tms_reject_bare(doc, v, "no_main_content");
    char *text = tms_arena_strndup(doc->arena, r.text, r.len);
    if (!text) return TAMIS_E_NOMEM;
    ctr[C_TEXT_BYTES] += (uint32_t)(r.len < UINT32_MAX ? r.len : UINT32_MAX);
    tms_doc_set_text(doc, text, r.len);
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"http_error", NULL, "an HTTP status outside 200-299 (errors, redirects)"},
    {"too_large", "max-html-bytes", "an HTML page larger than 16 MiB"},
    {"undecodable", NULL, "no character encoding decodes the page's bytes"},
    {"no_main_content", NULL, "no main text found in the page"},
};

const tms_stage_vt tms_stage_extract = {
    .name = "extract",
    .description = "turn HTML pages (WARC responses, .html files, --html-field) into their main text, one block "
                   "per line, with title, author, date and language in metadata; other documents pass through",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = ex_worker_create,
    .worker_free = ex_worker_free,
    .process = ex_process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
