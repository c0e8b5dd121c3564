/*
 * html.h -- main-content extraction from one HTML page (html.c), for the
 * `extract` stage (extract.c) and tools/html-extract.c.
 *
 * The page comes in as UTF-8 (the stage decodes it first: charset.c); it is
 * parsed by myhtml (an HTML5 parser, libmodest-dev) and the main content is
 * written as plain text: one block (paragraph, heading, list item, table
 * row) per line, in reading order. Page chrome -- navigation, headers,
 * footers, sidebars, comments, share bars, cookie banners, related-article
 * lists, audio/player widgets, forms, scripts and styles -- is left out.
 * See docs/internals/EXTRACT.md.
 */
#ifndef TMS_EXTRACT_HTML_H
#define TMS_EXTRACT_HTML_H
#include "../../tamis_int.h"

/* Per-thread state (parser, tree, scratch): create once, reuse for many pages. */
typedef struct tms_html tms_html;
TMS_NODISCARD tamis_status tms_html_create(tms_html **out);
void tms_html_free(tms_html *h);

typedef struct tms_html_result {
    const char *text;  /* the main content, one block per line, '\n'-separated, no final '\n'; "" if none */
    size_t len;
    bool found;        /* false: no main content could be found (the stage rejects as no_main_content) */
    /* metadata, each NUL-terminated UTF-8 or NULL when the page does not say */
    const char *title;          /* og:title, <title> (site name suffix removed), or the first h1 */
    const char *author;         /* meta author, article:author, schema.org JSON-LD author, byline */
    const char *date_published; /* article:published_time, JSON-LD datePublished, <time datetime>; as given */
    const char *canonical_url;  /* <link rel=canonical>, og:url */
    const char *site_name;      /* og:site_name, JSON-LD publisher name */
    const char *html_lang;      /* <html lang>, as given */
} tms_html_result;

/* Extracts the main content of html (UTF-8, len bytes; need not be
 * NUL-terminated). url may be NULL (used only to resolve nothing; hints).
 * The result's pointers are valid until the next call on h or its free.
 * Returns TAMIS_OK (even when nothing is found) or TAMIS_E_NOMEM. Bounded
 * in time and memory whatever the input: nesting deeper than a fixed limit
 * is not built into the tree (the text below it is still tokenized). */
TMS_NODISCARD tamis_status tms_html_extract(tms_html *h, const char *html, size_t len, const char *url,
                                            tms_html_result *out);
#endif
