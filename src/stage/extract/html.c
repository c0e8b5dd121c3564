/*
 * html.c -- main-content extraction from one HTML page (see html.h; the
 * algorithm and its measurements are in docs/internals/EXTRACT.md).
 *
 * One parse (myhtml, whole buffer, depth-guarded), then one iterative walk
 * of the tree that
 *   - reads the metadata (<title>, <meta>, <link rel=canonical>, JSON-LD,
 *     <time datetime>, itemprop, <html lang>),
 *   - records the "elements" that matter for the choice (block-level ones
 *     and any element with a class/id/role hint) with their parent, their
 *     preorder range and their hints, and
 *   - writes the visible text as blocks (one per paragraph, heading, list
 *     item, table row, <br>-separated line), each with its owner element,
 *     its link characters and its nearest boilerplate element.
 * Then, without touching the tree again:
 *   - every block is classified good / near / bad from its length, link
 *     density and stop-word density (jusText's idea),
 *   - good and boilerplate mass are summed up the element tree, decayed
 *     with the distance,
 *   - the container with the best net score (boosted by semantic tags,
 *     class hints and holding the text under the headline) is chosen,
 *   - its blocks are written out, less the boilerplate inside it (and
 *     labels, photo credits, calls to action), plus the good blocks right
 *     next to it, with the page's headline first; with no container
 *     standing out, the good blocks of the whole page (outside
 *     boilerplate) are written.
 * Everything after the parse is linear in the size of the page.
 *
 * Compiled with -DTMS_HTML_DEBUG, every call prints the chosen container to
 * stderr, and with TMS_HTML_BLOCKS=1 in the environment every block with
 * the reason it was kept or left out (EXTRACT.md, "Debugging").
 */
#include "html.h"
#include "../../core/alloc.h"
#include "../../core/buf.h"
#include "../../core/utf8.h"
#include "../../text/stopwords.h"
#include <myhtml/api.h>
#include <string.h>
#ifdef TMS_HTML_DEBUG
#include <stdio.h>
#include <stdlib.h>
#endif

#define NONE UINT32_MAX
#define DEPTH_GUARD 5000                      /* deeper nodes are not built into the tree */
#define BIG_PAGE ((size_t)8 << 20)            /* after a page this large, the tree is recreated */
/* Scoring constants, measured on the two development sets (docs/internals/EXTRACT.md) */
#define GOOD_CHARS 50     /* a good block has at least this many characters, */
#define GOOD_SD 0.08      /* this share of stop words (when the language has a list) */
#define GOOD_LD 0.3       /* and at most this link density */
#define BAD_LD 0.65       /* above this link density a block is boilerplate */
#define NEAR_W 0.25       /* a near block counts this much of its text as good mass */
#define ANC_DECAY 0.9     /* a block counts for its owner x1, the owner's parent x0.9, ... */
#define ANC_LEVELS 24     /* ... up to this many levels */
#define SEM_W 1.3         /* score multipliers: article, main, role=main, itemprop=articleBody */
#define POS_W 1.15        /* a content class or id */
#define LEAD_W 1.5        /* holds the first good block after the headline */
#define NEG_W 0.3         /* inside boilerplate */
#define SAFE_RATIO 3      /* a container under soft boilerplate hints must beat the best other one by this */
#define EXPAND 0.3        /* widen to the parent while it adds good mass with less than this much boilerplate */
#define EXT_GAP 2         /* good blocks next to the container are taken across this many other blocks */
#define FALLBACK 0.5      /* below this share of the page's good mass in the container: fall back */
#define LABEL_CHARS 20    /* hard boilerplate this short does not stop the extension */
#define CTA_MAX 3         /* calls to action removed at the end of the text, at most */
#define CTA_CHARS 250     /* ... each at most this long */
#define CREDIT_CHARS 80   /* a line shorter than this naming a photo agency or "Photo:" is a credit */
#define FIGURE_CHARS 200  /* a paragraph shorter than this that starts "Figure", "Abbildung" is a caption */
#define HEAD_GAP 4         /* the headline is written when at most this many blocks lie before the text */
#define META_MAX 2048                         /* bytes kept of one metadata value */

/* ---- tag classes --------------------------------------------------------- */

enum {
    K_INLINE = 0, /* text flows through */
    K_BLOCK,      /* starts and ends a block */
    K_SKIP,       /* subtree dropped */
    K_BR,         /* line break */
    K_CELL,       /* td/th: tab inside the row's block */
    K_A,          /* link: inline, counted */
    K_PRE,        /* block, whitespace kept */
    K_HEAD,       /* <head>: only metadata inside */
    K_META,       /* handled by the metadata reader, not descended */
};

/* block kinds, from the owner element's tag */
enum { B_DIV = 0, B_P, B_H, B_LI, B_ROW, B_PRE, B_QUOTE };

/* element flags */
enum {
    F_POS = 1,      /* content hint in class/id */
    F_NEG = 2,      /* boilerplate hint (class/id/role) or tag (nav, aside, footer) */
    F_SEM = 4,      /* article, main, role=main, itemprop=articleBody */
    F_BLOCK = 8,    /* block-level element (may own blocks, may be chosen) */
    F_ROOTISH = 16, /* html, body: hints ignored */
    F_HARD = 32,    /* nav, aside, footer, comments: kept as boilerplate unless they hold nearly everything */
    F_FIRM = 64,    /* cookie notices, newsletter boxes, popups: never a layout class */
    F_TEASER = 128, /* its only boilerplate hints are "teaser": another article's summary, or this one's lead */
};

/* block classes */
enum { C_BAD = 0, C_NEAR, C_GOOD };

typedef struct el {
    uint32_t parent;  /* element index or NONE */
    uint32_t end;     /* one past the last descendant (preorder) */
    uint32_t negpar;  /* nearest F_NEG proper ancestor, or NONE */
    uint16_t tag;
    uint8_t flags;  /* F_... */
    uint8_t neg_off;  /* its F_NEG was dropped (it holds most of the page) */
    float good, bad;    /* good and boilerplate mass of the subtree, decayed with the distance (ANC_DECAY) */
    float gfull, bfull; /* the same, not decayed */
    float raw;          /* good mass of the subtree, boilerplate hints ignored */
} el;

typedef struct blk {
    size_t off;        /* in h->text */
    uint32_t len;
    uint32_t owner;    /* element that owns the block */
    uint32_t negel;    /* nearest F_NEG element (self or ancestor) when it began, or NONE */
    uint32_t chars;    /* visible code points (CJK counted twice) */
    uint32_t links;    /* of which inside <a> */
    uint32_t words, stops;
    uint8_t kind, cls, neg;
    uint8_t caption;   /* inside <figcaption> */
    uint8_t ext;       /* good text next to the container, taken with it */
    uint8_t why;       /* W_KEPT or the reason it is left out */
} blk;

typedef struct frame {
    myhtml_tree_node_t *node;
    uint32_t el;      /* element recorded for this node, or NONE */
    uint32_t blk_el;  /* nearest block-level element */
    uint32_t neg;     /* nearest F_NEG element */
    uint8_t kind;
    uint8_t in_sem;   /* inside article, main, role=main, itemprop=articleBody */
} frame;

enum { M_TITLE, M_AUTHOR, M_DATE, M_CANON, M_SITE, M_LANG, M_H1, M_N };

struct tms_html {
    myhtml_t *mh;
    myhtml_tree_t *tree;
    el *els;
    size_t nels, cap_els;
    blk *blks;
    size_t nblks, cap_blks;
    frame *stack;
    size_t nstack, cap_stack;
    tms_buf text;   /* all blocks, each followed by '\n' */
    tms_buf out;
    tms_buf scratch;
    tms_buf input;  /* the page without its NUL bytes, when it has some */
    tms_buf meta[M_N];
    int meta_prio[M_N];
    /* walk state */
    size_t blk_start;
    uint32_t cur_owner, cur_neg;
    uint32_t cur_links;
    int pending;      /* 0 none, 1 space, 2 tab */
    int in_a, in_pre, in_cap;
    bool cur_cap;
    bool title_raw;   /* M_TITLE holds <title>, to be cleaned */
    size_t head;      /* block of the page's headline, or SIZE_MAX */
};

/* ---- depth guard ---------------------------------------------------------- */

/* Each inserted node gets its parent's depth + 1 in its data slot; past the
 * limit tree building stops (the tokenizer runs on, linearly). */
static void on_insert(myhtml_tree_t *tree, myhtml_tree_node_t *node, void *ctx)
{
    (void)ctx;
    myhtml_tree_node_t *parent = myhtml_node_parent(node);
    uintptr_t d = (parent ? (uintptr_t)myhtml_node_get_data(parent) : 0) + 1;
    myhtml_node_set_data(node, (void *)d);
    if (d > DEPTH_GUARD) myhtml_tree_parse_flags_set(tree, MyHTML_TREE_PARSE_FLAGS_WITHOUT_PROCESS_TOKEN);
}

static tamis_status tree_new(tms_html *h)
{
    h->tree = myhtml_tree_create();
    if (!h->tree) return TAMIS_E_NOMEM;
    if (myhtml_tree_init(h->tree, h->mh) != MyHTML_STATUS_OK) {
        myhtml_tree_destroy(h->tree);
        h->tree = NULL;
        return TAMIS_E_NOMEM;
    }
    myhtml_callback_tree_node_insert_set(h->tree, on_insert, NULL);
    return TAMIS_OK;
}

tamis_status tms_html_create(tms_html **out)
{
    *out = NULL;
    tms_html *h = tms_calloc(1, sizeof *h);
    if (!h) return TAMIS_E_NOMEM;
    h->mh = myhtml_create();
    if (!h->mh || myhtml_init(h->mh, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0) != MyHTML_STATUS_OK) {
        if (h->mh) myhtml_destroy(h->mh);
        tms_free(h);
        return TAMIS_E_NOMEM;
    }
    if (tree_new(h) != TAMIS_OK) {
        myhtml_destroy(h->mh);
        tms_free(h);
        return TAMIS_E_NOMEM;
    }
    tms_buf_init(&h->text, SIZE_MAX / 4);
    tms_buf_init(&h->out, SIZE_MAX / 4);
    tms_buf_init(&h->scratch, SIZE_MAX / 4);
    tms_buf_init(&h->input, SIZE_MAX / 4);
    for (int i = 0; i < M_N; i++) tms_buf_init(&h->meta[i], META_MAX * 2);
    *out = h;
    return TAMIS_OK;
}

void tms_html_free(tms_html *h)
{
    if (!h) return;
    if (h->tree) myhtml_tree_destroy(h->tree);
    myhtml_destroy(h->mh);
    tms_free(h->els);
    tms_free(h->blks);
    tms_free(h->stack);
    tms_buf_free(&h->text);
    tms_buf_free(&h->out);
    tms_buf_free(&h->scratch);
    tms_buf_free(&h->input);
    for (int i = 0; i < M_N; i++) tms_buf_free(&h->meta[i]);
    tms_free(h);
}

/* ---- small string helpers ------------------------------------------------- */

static inline char lc(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c; }

static bool eq_ci(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m) return false;
    for (size_t i = 0; i < n; i++)
        if (lc(a[i]) != lc(lit[i])) return false;
    return true;
}

static bool has_ci_n(const char *a, size_t n, const char *b, size_t m)
{
    if (m > n) return false;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && lc(a[i + j]) == lc(b[j])) j++;
        if (j == m) return true;
    }
    return false;
}

static bool has_ci(const char *a, size_t n, const char *lit) { return has_ci_n(a, n, lit, strlen(lit)); }

static bool starts_ci(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (m > n) return false;
    for (size_t j = 0; j < m; j++)
        if (lc(a[j]) != lc(lit[j])) return false;
    return true;
}

/* ---- class/id hints ------------------------------------------------------- */

/* Boilerplate and content stems, matched inside a class/id token (split on
 * anything but ASCII letters and digits, compared case-insensitively), and
 * short words matched as whole tokens. Several languages: en, de, fr, es,
 * it, pl, pt, nl. read_attrs weighs them against each other. */
static const char *const neg_stems[] = {
    "sidebar", "footer", "comment", "cookie", "consent", "gdpr", "newsletter", "subscri", "breadcrumb",
    "related", "recommend", "teaser", "promo", "advert", "sponsor", "banner", "widget", "popup", "modal",
    "overlay", "social", "sharing", "share", "podcast", "player", "navigation", "navbar", "topbar", "menu",
    "masthead", "pagination", "pager", "outbrain", "taboola", "disqus", "signup", "login", "skiplink",
    "authorbio", "toolbar", "tagcloud", "newsticker", "trending", "mostread",
    "popular", "rating", "feedback", "paywall", "dropdown", "sronly", "screenreader",
    "visuallyhidden", "kommentar", "werbung", "anzeige", "teilen", "empfehl", "aehnlich",
    "fusszeile", "seitenleiste", "partage", "commentaire", "publicite", "compartir", "comentario",
    "publicidad", "relacionad", "reklama", "komentarz", "udostepnij", "powiazane", "commenti", "correlat",
    "pubblicita", "condivid", "reactie", "gerelateerd", "tags", "jump",
};
/* whole tokens only (too short to be stems) */
static const char *const neg_tokens[] = {
    "nav", "navi", "ad", "ads", "adv", "tag", "meta", "bio", "byline", "dateline", "header", "aside", "sns",
    "rss", "infobox", "copyright", "legal", "credits", "noprint", "foot", "print", "visually", "author", "autor",
    "date", "datum", "time", "disclaimer", "signature",
};
/* boilerplate that is never the page's layout: overlays and notices */
static const char *const firm_stems[] = {
    "cookie", "consent", "gdpr", "newsletter", "popup", "modal", "overlay", "signup", "login",
};
static const char *const pos_stems[] = {
    "article", "content", "entry", "story", "text", "body", "artikel", "inhalt", "contenu", "texto", "cuerpo",
    "tresc", "testo", "articolo", "beitrag", "bericht", "conteudo", "corpo", "noticia", "nachricht", "detail",
};
static const char *const pos_tokens[] = {"post", "main", "blog", "page", "single", "hentry", "prose", "rich"};

static bool token_in(const char *t, size_t n, const char *const *list, size_t k, bool stem)
{
    for (size_t i = 0; i < k; i++) {
        if (stem ? has_ci(t, n, list[i]) : eq_ci(t, n, list[i])) return true;
    }
    return false;
}

/* Counts the content and boilerplate tokens of a class or id value. A
 * token after "no", "has", "with", "without" or "hide" is a layout switch,
 * not a hint ("has-sidebar", "no-share"). */
typedef struct hcount {
    int pos, neg, hard, firm, teaser;
} hcount;

static void hints_of(const char *v, size_t n, hcount *hc, bool in_sem)
{
    size_t i = 0;
    bool skip = false;
    while (i < n) {
        while (i < n && !((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9')))
            i++;
        size_t s = i;
        while (i < n && ((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9')))
            i++;
        size_t len = i - s;
        if (!len || len > 64) continue;
        const char *t = v + s;
        bool was_skip = skip;
        skip = eq_ci(t, len, "no") || eq_ci(t, len, "has") || eq_ci(t, len, "with") || eq_ci(t, len, "without") ||
               eq_ci(t, len, "hide");
        if (was_skip || skip) continue;
        /* "CtxtMenu_Attached": the element has a (context) menu, it is not one */
        size_t nx = i;
        while (nx < n && (v[nx] == '_' || v[nx] == '-')) nx++;
        if (nx > i && nx + 8 <= n && starts_ci(v + nx, n - nx, "attached")) continue;
        if (has_ci(t, len, "commentary") || has_ci(t, len, "commented")) continue; /* an opinion piece; a state */
        if (in_sem && eq_ci(t, len, "header")) continue; /* the article's header ("entry-header"): headline, lead */
        if (token_in(t, len, neg_tokens, TMS_ARRAY_LEN(neg_tokens), false) ||
            token_in(t, len, neg_stems, TMS_ARRAY_LEN(neg_stems), true)) {
            hc->neg++;
            if (has_ci(t, len, "comment") || has_ci(t, len, "kommentar") || has_ci(t, len, "disqus")) hc->hard++;
            if (token_in(t, len, firm_stems, TMS_ARRAY_LEN(firm_stems), true)) hc->firm++;
            if (has_ci(t, len, "teaser")) hc->teaser++;
        } else if (token_in(t, len, pos_tokens, TMS_ARRAY_LEN(pos_tokens), false) ||
                   token_in(t, len, pos_stems, TMS_ARRAY_LEN(pos_stems), true))
            hc->pos++;
    }
}

/* ---- tag table -------------------------------------------------------------- */

static uint8_t kind_of(myhtml_tag_id_t t)
{
    switch (t) {
    case MyHTML_TAG_SCRIPT: case MyHTML_TAG_STYLE: case MyHTML_TAG_NOSCRIPT: case MyHTML_TAG_TEMPLATE:
    case MyHTML_TAG_SVG: case MyHTML_TAG_IFRAME: case MyHTML_TAG_OBJECT:
    case MyHTML_TAG_EMBED: case MyHTML_TAG_CANVAS: case MyHTML_TAG_SELECT: case MyHTML_TAG_TEXTAREA:
    case MyHTML_TAG_BUTTON: case MyHTML_TAG_INPUT: case MyHTML_TAG_OPTION: case MyHTML_TAG_OPTGROUP:
    case MyHTML_TAG_DATALIST: case MyHTML_TAG_AUDIO: case MyHTML_TAG_VIDEO: case MyHTML_TAG_MAP:
    case MyHTML_TAG_FRAMESET: case MyHTML_TAG_FRAME: case MyHTML_TAG_NOEMBED: case MyHTML_TAG_NOFRAMES:
    case MyHTML_TAG_APPLET: case MyHTML_TAG_DIALOG: case MyHTML_TAG_MENUITEM: case MyHTML_TAG_KEYGEN:
    case MyHTML_TAG_PARAM: case MyHTML_TAG_SOURCE: case MyHTML_TAG_TRACK: case MyHTML_TAG_RP:
    case MyHTML_TAG__COMMENT: case MyHTML_TAG__DOCTYPE:
        return K_SKIP;
    case MyHTML_TAG_TITLE: case MyHTML_TAG_META: case MyHTML_TAG_LINK: case MyHTML_TAG_BASE:
        return K_META;
    case MyHTML_TAG_HEAD:
        return K_HEAD;
    case MyHTML_TAG_BR: case MyHTML_TAG_HR:
        return K_BR;
    case MyHTML_TAG_TD: case MyHTML_TAG_TH:
        return K_CELL;
    case MyHTML_TAG_A:
        return K_A;
    case MyHTML_TAG_PRE: case MyHTML_TAG_LISTING: case MyHTML_TAG_XMP: case MyHTML_TAG_PLAINTEXT:
        return K_PRE;
    case MyHTML_TAG_ADDRESS: case MyHTML_TAG_ARTICLE: case MyHTML_TAG_ASIDE: case MyHTML_TAG_BLOCKQUOTE:
    case MyHTML_TAG_BODY: case MyHTML_TAG_CAPTION: case MyHTML_TAG_CENTER: case MyHTML_TAG_DD:
    case MyHTML_TAG_DETAILS: case MyHTML_TAG_DIR: case MyHTML_TAG_DIV: case MyHTML_TAG_DL: case MyHTML_TAG_DT:
    case MyHTML_TAG_FIELDSET: case MyHTML_TAG_FIGCAPTION: case MyHTML_TAG_FIGURE: case MyHTML_TAG_FOOTER:
    case MyHTML_TAG_FORM: case MyHTML_TAG_H1: case MyHTML_TAG_H2: case MyHTML_TAG_H3: case MyHTML_TAG_H4:
    case MyHTML_TAG_H5: case MyHTML_TAG_H6: case MyHTML_TAG_HEADER: case MyHTML_TAG_HGROUP:
    case MyHTML_TAG_HTML: case MyHTML_TAG_LEGEND: case MyHTML_TAG_LI: case MyHTML_TAG_MAIN:
    case MyHTML_TAG_MENU: case MyHTML_TAG_NAV: case MyHTML_TAG_OL: case MyHTML_TAG_P: case MyHTML_TAG_SECTION:
    case MyHTML_TAG_SUMMARY: case MyHTML_TAG_TABLE: case MyHTML_TAG_TBODY: case MyHTML_TAG_THEAD:
    case MyHTML_TAG_TFOOT: case MyHTML_TAG_TR: case MyHTML_TAG_UL:
        return K_BLOCK;
    default:
        /* custom elements (ids past the known table) behave like <div> */
        return t >= MyHTML_TAG_LAST_ENTRY ? K_BLOCK : K_INLINE;
    }
}

static uint8_t bkind_of(uint16_t t)
{
    switch (t) {
    case MyHTML_TAG_P: return B_P;
    case MyHTML_TAG_H1: case MyHTML_TAG_H2: case MyHTML_TAG_H3: case MyHTML_TAG_H4: case MyHTML_TAG_H5:
    case MyHTML_TAG_H6: return B_H;
    case MyHTML_TAG_LI: case MyHTML_TAG_DT: case MyHTML_TAG_DD: return B_LI;
    case MyHTML_TAG_TR: return B_ROW;
    case MyHTML_TAG_PRE: return B_PRE;
    case MyHTML_TAG_BLOCKQUOTE: return B_QUOTE;
    default: return B_DIV;
    }
}

/* ---- metadata ------------------------------------------------------------- */

/* Sets field f to v (whitespace collapsed, trimmed, capped) if prio beats
 * what it holds. */
static tamis_status meta_set(tms_html *h, int f, int prio, const char *v, size_t n)
{
    if (!v || prio <= h->meta_prio[f]) return TAMIS_OK;
    tms_buf *b = &h->meta[f];
    tms_buf_reset(b);
    TMS_TRY(tms_buf_reserve(b, TMS_MIN(n, (size_t)META_MAX) + 1));
    bool sp = false;
    for (size_t i = 0, k; i < n; i += k) {
        unsigned char c = (unsigned char)v[i];
        int32_t cp = c;
        k = c < 0x80 ? 1 : tms_utf8_decode((const unsigned char *)v + i, n - i, &cp);
        if (cp < 0 || c == 0x7f) continue; /* invalid UTF-8, DEL */
        if (c <= ' ' || cp == 0xA0) {
            sp = true;
            continue;
        }
        if (b->len + 1 + k > META_MAX) break;
        if (sp && b->len) b->data[b->len++] = ' ';
        sp = false;
        memcpy(b->data + b->len, v + i, k);
        b->len += k;
    }
    b->data[b->len] = 0;
    if (b->len) h->meta_prio[f] = prio;
    return TAMIS_OK;
}

static const char *attr(myhtml_tree_node_t *n, const char *key, size_t klen, size_t *vlen)
{
    myhtml_tree_attr_t *a = myhtml_attribute_by_key(n, key, klen);
    if (!a) return NULL;
    const char *v = myhtml_attribute_value(a, vlen);
    if (!v) *vlen = 0;
    return v ? v : "";
}

/* The text of an element's direct text children (title, script). */
static const char *child_text(myhtml_tree_node_t *n, size_t *len)
{
    for (myhtml_tree_node_t *c = myhtml_node_child(n); c; c = myhtml_node_next(c)) {
        if (myhtml_node_tag_id(c) == MyHTML_TAG__TEXT) {
            const char *s = myhtml_node_text(c, len);
            if (s) return s;
        }
    }
    *len = 0;
    return NULL;
}

/* -- JSON-LD: minimal, tolerant. Finds "key": "string", or "key": {... "name": "..."}
 *    or "key": [ first of those ], anywhere in the text. -- */

static size_t json_skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* Decodes the JSON string starting at s[i] == '"' into h->scratch. @return
 * true when a string was read. */
static bool json_string(tms_html *h, const char *s, size_t n, size_t i)
{
    tms_buf_reset(&h->scratch);
    if (i >= n || s[i] != '"') return false;
    for (i++; i < n && s[i] != '"'; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            c = s[++i];
            if (c == 'u' && i + 4 < n) {
                unsigned cp = 0;
                for (int k = 1; k <= 4; k++) {
                    char x = s[i + k];
                    cp = cp * 16 + (unsigned)(x >= '0' && x <= '9' ? x - '0' : x >= 'a' && x <= 'f' ? x - 'a' + 10 :
                                              x >= 'A' && x <= 'F' ? x - 'A' + 10 : 0);
                }
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* surrogates: not worth pairing here */
                char u[4];
                if (tms_buf_add(&h->scratch, u, tms_utf8_encode(cp, u)) != TAMIS_OK) return false;
                continue;
            }
            c = c == 'n' ? ' ' : c == 't' ? ' ' : c == 'r' ? ' ' : c == 'b' || c == 'f' ? ' ' : c;
        }
        if (tms_buf_addc(&h->scratch, c) != TAMIS_OK) return false;
        if (h->scratch.len > META_MAX) break;
    }
    return true;
}

/* Value of "key" at s[i..]: a string, or the "name" of an object, or of the
 * first element of an array. Result in h->scratch. */
static bool json_value_name(tms_html *h, const char *s, size_t n, size_t i)
{
    i = json_skip_ws(s, n, i);
    if (i < n && s[i] == '[') i = json_skip_ws(s, n, i + 1);
    if (i < n && s[i] == '"') return json_string(h, s, n, i);
    if (i < n && s[i] == '{') {
        /* the object's "name" at its own level */
        int depth = 0;
        bool instr = false;
        for (size_t j = i; j < n; j++) {
            char c = s[j];
            if (instr) {
                if (c == '\\') j++;
                else if (c == '"') instr = false;
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') {
                if (--depth <= 0) break;
            } else if (c == '"') {
                if (depth == 1 && j + 6 <= n && !memcmp(s + j, "\"name\"", 6)) {
                    size_t k = json_skip_ws(s, n, j + 6);
                    if (k < n && s[k] == ':') return json_string(h, s, n, json_skip_ws(s, n, k + 1));
                }
                instr = true;
            }
        }
    }
    return false;
}

/* Position just after `"key"` followed by ':' in s, or n. */
static size_t json_find_key(const char *s, size_t n, const char *key)
{
    size_t m = strlen(key);
    for (size_t i = 0; i + m + 2 <= n; i++) {
        if (s[i] == '"' && !memcmp(s + i + 1, key, m) && s[i + 1 + m] == '"') {
            size_t k = json_skip_ws(s, n, i + m + 2);
            if (k < n && s[k] == ':') return k + 1;
        }
    }
    return n;
}

static tamis_status read_jsonld(tms_html *h, const char *s, size_t n)
{
    size_t k;
    if ((k = json_find_key(s, n, "datePublished")) < n && json_value_name(h, s, n, k))
        TMS_TRY(meta_set(h, M_DATE, 4, h->scratch.data, h->scratch.len));
    if ((k = json_find_key(s, n, "author")) < n && json_value_name(h, s, n, k))
        TMS_TRY(meta_set(h, M_AUTHOR, 4, h->scratch.data, h->scratch.len));
    if ((k = json_find_key(s, n, "publisher")) < n && json_value_name(h, s, n, k))
        TMS_TRY(meta_set(h, M_SITE, 3, h->scratch.data, h->scratch.len));
    if ((k = json_find_key(s, n, "headline")) < n && json_value_name(h, s, n, k))
        TMS_TRY(meta_set(h, M_TITLE, 5, h->scratch.data, h->scratch.len));
    return TAMIS_OK;
}

/* <meta name|property|itemprop=... content=...> */
static tamis_status read_meta(tms_html *h, myhtml_tree_node_t *n)
{
    size_t kl = 0, vl = 0;
    const char *k = attr(n, "property", 8, &kl);
    if (!k || !kl) k = attr(n, "name", 4, &kl);
    if (!k || !kl) k = attr(n, "itemprop", 8, &kl);
    if (!k || !kl) return TAMIS_OK;
    const char *v = attr(n, "content", 7, &vl);
    if (!v || !vl) return TAMIS_OK;
    if (eq_ci(k, kl, "og:title")) return meta_set(h, M_TITLE, 6, v, vl);
    if (eq_ci(k, kl, "twitter:title")) return meta_set(h, M_TITLE, 2, v, vl);
    if (eq_ci(k, kl, "og:site_name")) return meta_set(h, M_SITE, 5, v, vl);
    if (eq_ci(k, kl, "application-name")) return meta_set(h, M_SITE, 1, v, vl);
    if (eq_ci(k, kl, "og:url")) return meta_set(h, M_CANON, 2, v, vl);
    if (eq_ci(k, kl, "article:published_time") || eq_ci(k, kl, "og:article:published_time") ||
        eq_ci(k, kl, "datepublished"))
        return meta_set(h, M_DATE, 5, v, vl);
    if (eq_ci(k, kl, "date") || eq_ci(k, kl, "pubdate") || eq_ci(k, kl, "publishdate") ||
        eq_ci(k, kl, "publish-date") || eq_ci(k, kl, "publish_date") || eq_ci(k, kl, "dc.date") ||
        eq_ci(k, kl, "dc.date.issued") || eq_ci(k, kl, "dcterms.date") || eq_ci(k, kl, "dcterms.created") ||
        eq_ci(k, kl, "sailthru.date") || eq_ci(k, kl, "parsely-pub-date") || eq_ci(k, kl, "article.published") ||
        eq_ci(k, kl, "citation_publication_date") || eq_ci(k, kl, "citation_date"))
        return meta_set(h, M_DATE, 3, v, vl);
    if (eq_ci(k, kl, "author") || eq_ci(k, kl, "dc.creator") || eq_ci(k, kl, "byl") ||
        eq_ci(k, kl, "sailthru.author") || eq_ci(k, kl, "parsely-author") || eq_ci(k, kl, "citation_author"))
        return meta_set(h, M_AUTHOR, 5, v, vl);
    if (eq_ci(k, kl, "article:author") && !starts_ci(v, vl, "http")) return meta_set(h, M_AUTHOR, 3, v, vl);
    return TAMIS_OK;
}

static tamis_status read_link(tms_html *h, myhtml_tree_node_t *n)
{
    size_t rl = 0, hl = 0;
    const char *rel = attr(n, "rel", 3, &rl);
    if (rel && eq_ci(rel, rl, "canonical")) {
        const char *href = attr(n, "href", 4, &hl);
        if (href) return meta_set(h, M_CANON, 5, href, hl);
    }
    return TAMIS_OK;
}

/* The <title> without its site-name part ("Story | Site", "Site - Story"):
 * split at the first separator, the side that matches the site name or the
 * first <h1> is dropped or kept; otherwise the left side is kept unless the
 * right one is much longer. Run once, at the end of the page. */
/* Is s (one side of a title) the site name, give or take a few characters? */
static bool is_site(const tms_buf *site, const char *s, size_t n)
{
    if (!site->len || n < 3) return false;
    if (n <= site->len + 4 && has_ci(s, n, site->data)) return true;
    return site->len <= n + 4 && n * 2 >= site->len && has_ci(site->data, site->len, s);
}

static void clean_title(tms_html *h, bool site_only)
{
    static const char *const seps[] = {" | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", " :: ", " \xc2\xbb ",
                                       " \xc2\xb7 ", " // ", " : "};
    tms_buf *t = &h->meta[M_TITLE];
    const char *s = t->data;
    size_t n = t->len, at = n, m = 0;
    for (size_t i = 0; i < TMS_ARRAY_LEN(seps); i++) {
        size_t k = strlen(seps[i]);
        for (size_t j = 0; j + k <= n && j < at; j++)
            if (!memcmp(s + j, seps[i], k)) {
                at = j, m = k;
                break;
            }
    }
    if (at == n) return;
    const char *l = s, *r = s + at + m;
    size_t ll = at, rl = n - at - m;
    const tms_buf *site = &h->meta[M_SITE], *h1 = &h->meta[M_H1];
    bool keep_left;
    if (is_site(site, r, rl)) keep_left = true;
    else if (is_site(site, l, ll)) keep_left = false;
    else if (site_only) return; /* og:title: only a site name is cut */
    else if (h1->len && ll >= 3 && has_ci(h1->data, h1->len, l)) keep_left = true;
    else if (h1->len && rl >= 3 && has_ci(h1->data, h1->len, r)) keep_left = false;
    else keep_left = ll * 2 >= rl;
    size_t keep = keep_left ? ll : rl;
    if (keep < 3) return;
    memmove(t->data, keep_left ? l : r, keep);
    t->len = keep;
    t->data[keep] = 0;
}

/* ---- text accumulation ------------------------------------------------------- */

static tamis_status flush_block(tms_html *h)
{
    tms_buf *t = &h->text;
    if (h->in_pre) /* trailing whitespace kept by <pre> */
        while (t->len > h->blk_start && (unsigned char)t->data[t->len - 1] <= ' ') t->len--;
    h->pending = 0;
    if (t->len == h->blk_start) return TAMIS_OK;
    if (h->nblks >= UINT32_MAX - 1 || TMS_GROW(h->blks, h->cap_blks, h->nblks, 256)) return TAMIS_E_NOMEM;
    blk *b = &h->blks[h->nblks++];
    memset(b, 0, sizeof *b);
    b->off = h->blk_start;
    b->len = (uint32_t)TMS_MIN(t->len - h->blk_start, (size_t)UINT32_MAX);
    b->owner = h->cur_owner;
    b->negel = h->cur_neg;
    b->links = h->cur_links;
    b->caption = h->cur_cap;
    b->kind = h->cur_owner != NONE ? bkind_of(h->els[h->cur_owner].tag) : B_DIV;
    h->cur_links = 0;
    TMS_TRY(tms_buf_addc(t, '\n'));
    h->blk_start = t->len;
    return TAMIS_OK;
}

/* Appends text-node bytes to the current block: whitespace collapsed
 * (kept in <pre>), soft hyphens and zero-width characters removed, Unicode
 * spaces made spaces. */
static tamis_status add_text(tms_html *h, const char *s, size_t n)
{
    tms_buf *t = &h->text;
    TMS_TRY(tms_buf_reserve(t, n + 2));
    char *o = t->data + t->len;
    const frame *top = &h->stack[h->nstack - 1];
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = 1;
        int sp = 0; /* 1: whitespace, 2: drop */
        if (c < 0x80) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') sp = 1;
            else if (c < 0x20 || c == 0x7f) sp = 2;
        } else {
            /* myhtml can hand over invalid UTF-8 (seen with NUL bytes in
             * text): invalid sequences are dropped */
            int32_t cp;
            k = tms_utf8_decode((const unsigned char *)s + i, n - i, &cp);
            if (cp < 0) sp = 2;
            else if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
                     cp == 0x205F || cp == 0x3000)
                sp = 1; /* Unicode spaces */
            else if (cp == 0xAD || cp <= 0x9F || cp == 0x200B || cp == 0x2060 || cp == 0xFEFF)
                sp = 2; /* soft hyphen, C1 controls, zero-width space, word joiner, BOM */
        }
        if (sp == 2) {
            i += k;
            continue;
        }
        if (sp == 1 && h->in_pre && c < 0x80 && c != '\r') {
            /* <pre>: its lines stay lines, inner spaces stay; but no line
             * starts or ends with a blank and none is empty (one block per
             * line, as everywhere) */
            char *start = t->data + h->blk_start;
            if (c == '\n') {
                while (o > start && (o[-1] == ' ' || o[-1] == '\t')) o--;
                if (o > start && o[-1] != '\n') *o++ = '\n';
            } else if (o > start && o[-1] != '\n') {
                *o++ = c == '\t' ? '\t' : ' ';
            }
            i += k;
            continue;
        }
        if (sp == 1) {
            if (!h->pending) h->pending = 1;
            i += k;
            continue;
        }
        if ((size_t)(o - t->data) == h->blk_start) { /* the block begins */
            h->cur_owner = top->blk_el;
            h->cur_neg = top->neg;
            h->cur_links = 0;
            h->cur_cap = h->in_cap > 0;
        } else {
            if (h->pending && o[-1] != '\n') *o++ = h->pending == 2 ? '\t' : ' ';
            /* the block began inside an inline boilerplate element (a
             * <span class="date"> opening a paragraph) and goes on after
             * it: the paragraph is not that element's */
            if (h->cur_neg != NONE && (top->neg == NONE || top->neg < h->cur_neg)) h->cur_neg = top->neg;
        }
        h->pending = 0;
        /* reserve was n + 2: one separator per run of whitespace fits */
        memcpy(o, s + i, k);
        o += k;
        if (h->in_a) h->cur_links++;
        i += k;
    }
    t->len = (size_t)(o - t->data);
    t->data[t->len] = 0;
    return TAMIS_OK;
}

/* ---- the walk ---------------------------------------------------------------- */

static bool hidden_style(const char *v, size_t n)
{
    /* display:none / visibility:hidden, spaces ignored */
    char buf[256];
    size_t m = 0;
    for (size_t i = 0; i < n && m < sizeof buf; i++)
        if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n') buf[m++] = lc(v[i]);
    return has_ci(buf, m, "display:none") || has_ci(buf, m, "visibility:hidden");
}

/* Reads an element's attributes once: hints, role, itemprop, hidden. */
typedef struct ainfo {
    int hints;  /* 1 pos, 2 neg, 4 sem, 8 hard, 16 firm, 32 teaser */
    bool hidden;
    bool itemprop_author, itemprop_date;
    const char *dt; /* datetime or content of a date element */
    size_t dtl;
} ainfo;

static void read_attrs(myhtml_tree_node_t *n, ainfo *ai, bool in_sem)
{
    memset(ai, 0, sizeof *ai);
    hcount hc = {0, 0, 0, 0, 0};
    for (myhtml_tree_attr_t *a = myhtml_node_attribute_first(n); a; a = myhtml_attribute_next(a)) {
        size_t kl = 0, vl = 0;
        const char *k = myhtml_attribute_key(a, &kl);
        const char *v = myhtml_attribute_value(a, &vl);
        if (!k) continue;
        if (!v) v = "", vl = 0;
        if (kl == 5 && !memcmp(k, "class", 5)) hints_of(v, vl, &hc, in_sem);
        else if (kl == 2 && !memcmp(k, "id", 2)) hints_of(v, vl, &hc, in_sem);
        else if (kl == 4 && !memcmp(k, "role", 4)) {
            if (eq_ci(v, vl, "main") || eq_ci(v, vl, "article")) ai->hints |= 4;
            else if (eq_ci(v, vl, "navigation") || eq_ci(v, vl, "banner") || eq_ci(v, vl, "contentinfo") ||
                     eq_ci(v, vl, "complementary") || eq_ci(v, vl, "search") || eq_ci(v, vl, "dialog") ||
                     eq_ci(v, vl, "alert") || eq_ci(v, vl, "menu") || eq_ci(v, vl, "menubar") ||
                     eq_ci(v, vl, "toolbar") || eq_ci(v, vl, "tablist"))
                ai->hints |= 2;
        } else if (kl == 8 && !memcmp(k, "itemprop", 8)) {
            if (eq_ci(v, vl, "articlebody") || eq_ci(v, vl, "articleBody")) ai->hints |= 4;
            else if (eq_ci(v, vl, "author") || eq_ci(v, vl, "creator")) ai->itemprop_author = true;
            else if (eq_ci(v, vl, "datepublished")) ai->itemprop_date = true;
        } else if (kl == 5 && !memcmp(k, "style", 5)) {
            if (hidden_style(v, vl)) ai->hidden = true;
        } else if (kl == 6 && !memcmp(k, "hidden", 6)) {
            ai->hidden = true;
        } else if (kl == 11 && !memcmp(k, "aria-hidden", 11)) {
            if (eq_ci(v, vl, "true")) ai->hidden = true;
        } else if ((kl == 8 && !memcmp(k, "datetime", 8)) || (kl == 7 && !memcmp(k, "content", 7))) {
            ai->dt = v, ai->dtl = vl;
        }
    }
    /* "blog_teaser_text" is text, "article-related" is not: more content
     * tokens than boilerplate ones, or a boilerplate hint */
    if (hc.hard || (hc.neg && hc.neg >= hc.pos)) ai->hints |= 2 | (hc.hard ? 8 : 0) | (hc.firm ? 16 : 0) |
                                                            (hc.teaser == hc.neg ? 32 : 0);
    else if (hc.pos) ai->hints |= 1;
}

static tamis_status push(tms_html *h, myhtml_tree_node_t *node, uint32_t e, uint32_t blk_el, uint32_t neg,
                         uint8_t kind)
{
    if (TMS_GROW(h->stack, h->cap_stack, h->nstack, 64)) return TAMIS_E_NOMEM;
    bool sem = (h->nstack && h->stack[h->nstack - 1].in_sem) || (e != NONE && (h->els[e].flags & F_SEM));
    h->stack[h->nstack++] = (frame){node, e, blk_el, neg, kind, sem};
    return TAMIS_OK;
}

/* Text of a small element (byline), read directly: the first text found. */
static tamis_status meta_from_text(tms_html *h, myhtml_tree_node_t *n, int f, int prio)
{
    /* bounded: at most 64 nodes looked at */
    myhtml_tree_node_t *c = myhtml_node_child(n);
    for (int i = 0; c && i < 64; i++) {
        if (myhtml_node_tag_id(c) == MyHTML_TAG__TEXT) {
            size_t l = 0;
            const char *s = myhtml_node_text(c, &l);
            size_t j = 0;
            while (j < l && (unsigned char)s[j] <= ' ') j++;
            if (j < l) return meta_set(h, f, prio, s, l);
        }
        myhtml_tree_node_t *nx = myhtml_node_child(c);
        if (!nx) nx = myhtml_node_next(c);
        if (!nx) {
            myhtml_tree_node_t *p = myhtml_node_parent(c);
            nx = (p && p != n) ? myhtml_node_next(p) : NULL;
        }
        c = nx;
    }
    return TAMIS_OK;
}

/* Called on entering an element; says whether to descend. */
static tamis_status enter(tms_html *h, myhtml_tree_node_t *n, myhtml_tag_id_t tag, bool *descend)
{
    *descend = false;
    uint8_t kind = kind_of(tag);
    const frame *top = &h->stack[h->nstack - 1];
    if (kind == K_SKIP) {
        if (tag == MyHTML_TAG_SCRIPT) {
            size_t tl = 0, sl = 0;
            const char *ty = attr(n, "type", 4, &tl);
            if (ty && has_ci(ty, tl, "ld+json")) {
                const char *s = child_text(n, &sl);
                if (s) TMS_TRY(read_jsonld(h, s, sl));
            }
        }
        return TAMIS_OK;
    }
    if (kind == K_META) {
        if (tag == MyHTML_TAG_TITLE) {
            size_t sl = 0;
            const char *s = child_text(n, &sl);
            /* a <title> inside <svg> is skipped with the svg; one in the body still names the page */
            if (s && h->meta_prio[M_TITLE] < 4) {
                TMS_TRY(meta_set(h, M_TITLE, 4, s, sl));
                h->title_raw = true;
            }
        } else if (tag == MyHTML_TAG_META) {
            TMS_TRY(read_meta(h, n));
        } else if (tag == MyHTML_TAG_LINK) {
            TMS_TRY(read_link(h, n));
        }
        return TAMIS_OK;
    }
    if (kind == K_HEAD) {
        TMS_TRY(push(h, n, NONE, top->blk_el, top->neg, K_HEAD));
        *descend = true;
        return TAMIS_OK;
    }
    if (top->kind == K_HEAD && kind != K_META) { /* stray elements in head: metadata only */
        TMS_TRY(push(h, n, NONE, top->blk_el, top->neg, K_HEAD));
        *descend = true;
        return TAMIS_OK;
    }
    if (tag == MyHTML_TAG_HTML) {
        size_t ll = 0;
        const char *l = attr(n, "lang", 4, &ll);
        if (!l || !ll) l = attr(n, "xml:lang", 8, &ll);
        if (l && ll) TMS_TRY(meta_set(h, M_LANG, 5, l, ll));
    }
    ainfo ai;
    read_attrs(n, &ai, top->in_sem);
    if (ai.hidden && tag != MyHTML_TAG_HTML && tag != MyHTML_TAG_BODY) return TAMIS_OK;
    if (ai.itemprop_author) TMS_TRY(meta_from_text(h, n, M_AUTHOR, 2));
    if (ai.itemprop_date && ai.dt) TMS_TRY(meta_set(h, M_DATE, 4, ai.dt, ai.dtl));
    if (tag == MyHTML_TAG_TIME && ai.dt) TMS_TRY(meta_set(h, M_DATE, 1, ai.dt, ai.dtl));
    if (tag == MyHTML_TAG_A) {
        size_t rl = 0;
        const char *rel = attr(n, "rel", 3, &rl);
        if (rel && eq_ci(rel, rl, "author")) TMS_TRY(meta_from_text(h, n, M_AUTHOR, 1));
    }
    if (tag == MyHTML_TAG_H1 && !h->meta[M_H1].len) TMS_TRY(meta_from_text(h, n, M_H1, 1));

    bool rootish = tag == MyHTML_TAG_HTML || tag == MyHTML_TAG_BODY;
    int hints = rootish ? 0 : ai.hints;
    if (tag == MyHTML_TAG_NAV || tag == MyHTML_TAG_ASIDE || tag == MyHTML_TAG_FOOTER || tag == MyHTML_TAG_MENU)
        hints |= 2;
    if (tag == MyHTML_TAG_HEADER) {
        /* the page's header, not an article's (headline, lead) */
        if (!top->in_sem) hints |= 2;
    }
    if (tag == MyHTML_TAG_NAV || tag == MyHTML_TAG_ASIDE || tag == MyHTML_TAG_FOOTER) hints |= 8;
    if (tag == MyHTML_TAG_ARTICLE || tag == MyHTML_TAG_MAIN) hints |= 4;
    if ((hints & 4) && tag != MyHTML_TAG_NAV && tag != MyHTML_TAG_ASIDE && tag != MyHTML_TAG_FOOTER &&
        tag != MyHTML_TAG_HEADER && tag != MyHTML_TAG_MENU)
        hints &= ~2; /* <main class="... overflow-hidden">: the semantic signal wins */
    if (hints & 2) hints &= ~1;
    bool block = kind == K_BLOCK || kind == K_PRE || kind == K_CELL;
    uint32_t e = NONE, blk_el = top->blk_el, neg = top->neg;
    if ((block || hints) && h->nels < UINT32_MAX - 1) {
        if (TMS_GROW(h->els, h->cap_els, h->nels, 256)) return TAMIS_E_NOMEM;
        e = (uint32_t)h->nels++;
        el *x = &h->els[e];
        memset(x, 0, sizeof *x);
        x->end = e + 1;
        /* parent: the nearest recorded element on the stack */
        x->parent = NONE;
        for (size_t i = h->nstack; i-- > 0;)
            if (h->stack[i].el != NONE) {
                x->parent = h->stack[i].el;
                break;
            }
        x->negpar = top->neg;
        x->tag = (uint16_t)(tag < 0xFFFF ? tag : 0xFFFF);
        x->flags = (uint8_t)((hints & 1 ? F_POS : 0) | (hints & 2 ? F_NEG : 0) | (hints & 4 ? F_SEM : 0) |
                             (block ? F_BLOCK : 0) | (rootish ? F_ROOTISH : 0) | (hints & 8 ? F_HARD : 0) |
                             (hints & 16 ? F_FIRM : 0) | (hints & 32 ? F_TEASER : 0));
        if (hints & 2) neg = e;
        if (block && kind != K_CELL) blk_el = e;
    }
    if (kind == K_BR) {
        TMS_TRY(flush_block(h));
        return TAMIS_OK;
    }
    if (kind == K_BLOCK || kind == K_PRE) TMS_TRY(flush_block(h));
    else if (kind == K_CELL && h->text.len > h->blk_start) h->pending = 2;
    else if (h->pending == 0 && h->text.len > h->blk_start && myhtml_node_namespace(n) == MyHTML_NAMESPACE_MATHML)
        h->pending = 1; /* MathML tokens (mi, mo, mn) are words of their own: "a x 2 + b" */
    if (kind == K_A) h->in_a++;
    if (kind == K_PRE) h->in_pre++;
    if (tag == MyHTML_TAG_FIGCAPTION) h->in_cap++;
    TMS_TRY(push(h, n, e, blk_el, neg, kind));
    *descend = true;
    return TAMIS_OK;
}

static tamis_status leave(tms_html *h)
{
    frame f = h->stack[--h->nstack];
    if (f.kind == K_HEAD) return TAMIS_OK;
    if (f.kind == K_BLOCK || f.kind == K_PRE) TMS_TRY(flush_block(h));
    if (f.kind == K_A) h->in_a--;
    if (f.kind == K_PRE) h->in_pre--;
    if (myhtml_node_tag_id(f.node) == MyHTML_TAG_FIGCAPTION) h->in_cap--;
    if (f.el != NONE) h->els[f.el].end = (uint32_t)h->nels;
    return TAMIS_OK;
}

static tamis_status walk(tms_html *h)
{
    myhtml_tree_node_t *root = myhtml_tree_get_document(h->tree);
    if (!root) return TAMIS_OK;
    TMS_TRY(push(h, root, NONE, NONE, NONE, K_BLOCK));
    myhtml_tree_node_t *n = myhtml_node_child(root);
    while (n) {
        myhtml_tag_id_t tag = myhtml_node_tag_id(n);
        bool descend = false;
        if (tag == MyHTML_TAG__TEXT) {
            if (h->stack[h->nstack - 1].kind != K_HEAD) {
                size_t len = 0;
                const char *s = myhtml_node_text(n, &len);
                if (s && len) TMS_TRY(add_text(h, s, len));
            }
        } else {
            TMS_TRY(enter(h, n, tag, &descend));
        }
        myhtml_tree_node_t *c;
        if (descend && (c = myhtml_node_child(n))) {
            n = c;
            continue;
        }
        if (descend) TMS_TRY(leave(h)); /* an element without children */
        while (n != root && !myhtml_node_next(n)) {
            n = myhtml_node_parent(n);
            if (!n) break;
            if (n != root) TMS_TRY(leave(h));
        }
        n = (n && n != root) ? myhtml_node_next(n) : NULL;
    }
    TMS_TRY(flush_block(h));
    while (h->nstack > 1) TMS_TRY(leave(h));
    return TAMIS_OK;
}

/* ---- scoring ------------------------------------------------------------------ */

/* Counts a block's characters (CJK twice), words and stop words. */
static void measure(tms_html *h, blk *b, const char *const *sw, size_t nsw)
{
    const char *s = h->text.data + b->off;
    uint32_t chars = 0, words = 0, stops = 0;
    char w[48];
    size_t wl = 0;
    bool inw = false;
    for (uint32_t i = 0; i <= b->len; i++) {
        unsigned char c = i < b->len ? (unsigned char)s[i] : ' ';
        bool letter;
        bool cjk = false;
        if (c < 0x80) letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        else {
            letter = true;
            cjk = c >= 0xE3 && c <= 0xED; /* U+3000..U+DFFF: kana, Han, Hangul */
        }
        if (c > ' ' && (c & 0xC0) != 0x80) chars += cjk ? 2 : 1;
        if (cjk) {
            /* every CJK character is a word of its own */
            if (inw) {
                words++;
                if (sw && wl <= sizeof w && tms_stopwords_has(sw, nsw, w, wl)) stops++;
            }
            size_t k = 3;
            if (i + k > b->len) k = b->len - i;
            words++;
            if (sw && tms_stopwords_has(sw, nsw, s + i, k)) stops++;
            i += (uint32_t)k - 1;
            inw = false;
            wl = 0;
            continue;
        }
        if (letter) {
            if (wl < sizeof w) w[wl] = lc((char)c);
            wl++;
            inw = true;
        } else if (inw) {
            words++;
            if (sw && wl <= sizeof w && tms_stopwords_has(sw, nsw, w, wl)) stops++;
            inw = false;
            wl = 0;
        }
    }
    b->chars = chars;
    b->words = words;
    b->stops = stops;
}

static uint8_t classify(const blk *b, bool have_sw)
{
    if (!b->chars) return C_BAD;
    double ld = (double)b->links / (double)b->chars;
    if (ld > BAD_LD) return C_BAD;
    double sd = b->words ? (double)b->stops / (double)b->words : 0;
    if (b->kind == B_H) return C_NEAR;
    if (b->chars >= GOOD_CHARS && ld <= GOOD_LD) {
        if (!have_sw || sd >= GOOD_SD) return C_GOOD;
        return C_NEAR;
    }
    if (b->chars < 20 && ld > 0.2) return C_BAD;
    return C_NEAR;
}

/* the effective negative element of a block: the nearest F_NEG ancestor
 * whose hint was not dropped */
static uint32_t eff_neg(const tms_html *h, uint32_t e)
{
    while (e != NONE && h->els[e].neg_off) e = h->els[e].negpar;
    return e;
}

/* A short line with a copyright notice ("(c) 2024 Example", "Copyright
 * 2024 ...") is the page's footer wherever it sits. */
static bool is_copyright(const char *s, size_t n)
{
    if (memmem(s, n, "\xc2\xa9", 2)) return true;
    for (size_t i = 0; i + 4 <= n; i++) {
        if ((s[i] == '(' && lc(s[i + 1]) == 'c' && s[i + 2] == ')') || starts_ci(s + i, n - i, "copyright"))
            return true;
    }
    return false;
}

/* Why a block is left out (0: it is written). */
enum { W_KEPT = 0, W_OUTSIDE, W_NEG, W_BAD, W_CREDIT, W_ALONE, W_LABEL };

/* A caption with a (c) sign, an agency's name or a "Photo:" is a photo
 * credit (trafilatura's annotators drop those; Readability's gold keeps
 * captions, but credits are few words) */
static const char *const credit_words[] = {
    "getty images", "istock", "shutterstock", "picture alliance", "picture-alliance", "imago", "/ dpa", "(dpa)",
    "/ afp", "(afp)", "/ reuters", "(reuters)", "photo by", "foto:", "fotos:", "bild:", "photo:", "photos:",
    "credit:", "cr\303\251dit", "fuente:", "quelle:", "image:", "source:",
};

static bool is_figure_label(const char *s, size_t n)
{
    static const char *const pre[] = {"abbildung", "abb.", "figure ", "fig. ", "image:", "imagen:"};
    for (size_t i = 0; i < TMS_ARRAY_LEN(pre); i++)
        if (starts_ci(s, n, pre[i])) return true;
    return false;
}

static bool is_credit(const char *s, size_t n)
{
    if (memmem(s, n, "\xc2\xa9", 2)) return true;
    for (size_t i = 0; i < TMS_ARRAY_LEN(credit_words); i++)
        if (has_ci(s, n, credit_words[i])) return true;
    return false;
}

static int why_dropped(const tms_html *h, size_t i, uint32_t best, bool fallback)
{
    const blk *b = &h->blks[i];
    if (!fallback) {
        if (b->owner == NONE || b->owner < best || b->owner >= h->els[best].end) {
            if (b->ext) return W_KEPT;
            return W_OUTSIDE;
        }
        uint32_t ng = eff_neg(h, b->negel);
        if (ng != NONE && ng > best) return W_NEG; /* boilerplate inside the container */
        if (b->cls == C_BAD) return W_BAD;
    } else {
        if (b->neg) return W_NEG;
        if (b->cls == C_BAD) return W_BAD;
        if (b->cls == C_NEAR && b->kind != B_H) {
            /* near blocks only next to good ones */
            bool ok = (i > 0 && h->blks[i - 1].cls == C_GOOD) || (i + 1 < h->nblks && h->blks[i + 1].cls == C_GOOD);
            if (!ok) return W_ALONE;
        }
    }
    if (b->caption && is_credit(h->text.data + b->off, b->len)) return W_CREDIT;
    /* a figure's caption written as a paragraph ("Abbildung 4: ...", "Figure 2. ...") */
    if (b->kind != B_H && b->chars < FIGURE_CHARS && is_figure_label(h->text.data + b->off, b->len)) return W_CREDIT;
    /* a short line with a credit, outside a <figcaption> ("Foto: dpa", "Bild: Getty Images") */
    if (!b->caption && b->chars < CREDIT_CHARS && b->kind != B_H && is_credit(h->text.data + b->off, b->len))
        return W_CREDIT;
    return W_KEPT;
}

static bool in_container(const tms_html *h, const blk *b, uint32_t best)
{
    return b->owner != NONE && b->owner >= best && b->owner < h->els[best].end;
}

/* Is block i alone in a teaser element (its only boilerplate hint is
 * "teaser"; not nav, aside, footer, comments, notices)? Such a block is
 * either another article's summary or this article's lead. */
static bool lone_neg(const tms_html *h, size_t i)
{
    uint32_t ng = eff_neg(h, h->blks[i].negel);
    if (ng == NONE || (h->els[ng].flags & (F_HARD | F_FIRM)) || !(h->els[ng].flags & F_TEASER)) return false;
    if (i > 0 && eff_neg(h, h->blks[i - 1].negel) == ng) return false;
    if (i + 1 < h->nblks && eff_neg(h, h->blks[i + 1].negel) == ng) return false;
    return true;
}

/* Marks the good blocks just before and after the container (a lead
 * paragraph in its own box, the end of an article split in two): good
 * blocks outside boilerplate, across at most EXT_GAP other blocks, never
 * past hard boilerplate; near blocks only between taken ones. */
static void extend(tms_html *h, uint32_t best)
{
    size_t first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < h->nblks; i++) {
        h->blks[i].ext = 0;
        if (in_container(h, &h->blks[i], best)) {
            if (first == SIZE_MAX) first = i;
            last = i;
        }
    }
    if (first == SIZE_MAX) return;
    for (int dir = -1; dir <= 1; dir += 2) {
        size_t i = dir < 0 ? first : last, good_at = i, gap = 0;
        for (;;) {
            if (dir < 0 ? i == 0 : i + 1 >= h->nblks) break;
            i = dir < 0 ? i - 1 : i + 1;
            blk *b = &h->blks[i];
            if (in_container(h, b, best)) continue;
            /* hard boilerplate stops it, unless it is a mere label (an
             * "Advertisement" slot, a "Comments" link) */
            if (b->neg && (eff_neg(h, b->negel) != NONE) && (h->els[eff_neg(h, b->negel)].flags & F_HARD) &&
                b->chars > LABEL_CHARS)
                break;
            /* list items and table rows without links count as good here
             * (a recipe's ingredients next to its instructions) */
            bool item = b->cls == C_NEAR && !b->links && (b->kind == B_LI || b->kind == B_ROW);
            /* a lead in a box of its own with a soft boilerplate hint
             * ("article-teaser", "teaser-text") just before the text */
            bool lead = dir < 0 && b->neg && b->cls == C_GOOD && lone_neg(h, i);
            if ((b->cls != C_GOOD && !item) || (b->neg && !lead)) {
                if (++gap > EXT_GAP) break;
                continue;
            }
            for (size_t j = good_at; j != i; j = dir < 0 ? j - 1 : j + 1) {
                blk *c = &h->blks[j];
                if (!in_container(h, c, best) && c->cls == C_NEAR && !c->neg) c->ext = 1;
            }
            b->ext = 1;
            good_at = i;
            gap = 0;
        }
    }
}

/* Link lists between the container's first and last good blocks are the
 * article's (a list of changes, of sources), not the page's: their items
 * stay, though mostly link text. */
static void keep_inner_lists(tms_html *h, uint32_t best)
{
    size_t first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < h->nblks; i++)
        if (h->blks[i].why == W_KEPT && h->blks[i].cls == C_GOOD && in_container(h, &h->blks[i], best)) {
            if (first == SIZE_MAX) first = i;
            last = i;
        }
    for (size_t i = first + 1; first != SIZE_MAX && i < last; i++)
        if (h->blks[i].why == W_BAD && h->blks[i].kind == B_LI) h->blks[i].why = W_KEPT;
}

/* Short near blocks that introduce something left out ("Related
 * articles:", "Share this:", "What do you think?") go with it. */
static void trim_edges(tms_html *h)
{
    size_t n = h->nblks;
    for (size_t i = 0; i + 1 < n; i++) {
        blk *b = &h->blks[i];
        if (b->why != W_KEPT || b->cls != C_NEAR || b->chars >= 80) continue;
        if (i == h->head) continue; /* the headline is the article's */
        char last = h->text.data[b->off + b->len - 1];
        if ((last == '.' || last == '!') && b->kind != B_H) continue; /* a sentence ends the text; a label introduces */
        /* table rows and list items are the content's (the last row of a
         * table before a share bar) unless what follows is in the same
         * list: a label in a list introduces the items after it */
        const blk *nx = &h->blks[i + 1];
        if ((b->kind == B_ROW || b->kind == B_LI) &&
            (b->owner == NONE || nx->owner == NONE || h->els[nx->owner].parent != h->els[b->owner].parent))
            continue;
        if (h->blks[i + 1].why == W_NEG || h->blks[i + 1].why == W_BAD) b->why = W_LABEL;
        /* "Further information:", "Contact:" closing the container */
        else if (last == ':' && h->blks[i + 1].why == W_OUTSIDE && !h->blks[i + 1].ext) b->why = W_LABEL;
    }
}

/* The article's headline starts the text: when it sits just before the
 * first block written (outside the container: in the page's header, a
 * title box), it is written too. Only blocks that are not good text (a
 * byline, a date, a share bar) may lie between them. */
static void keep_headline(tms_html *h)
{
    size_t hd = h->head;
    if (hd == SIZE_MAX) return;
    blk *hb = &h->blks[hd];
    if (hb->why == W_BAD || hb->why == W_LABEL) { /* in the container; a linked headline (a permalink) is bad */
        hb->why = W_KEPT;
        return;
    }
    if (hb->why != W_OUTSIDE) return;
    for (size_t j = hd + 1, n = 0; j < h->nblks && n <= HEAD_GAP; j++, n++) {
        const blk *b = &h->blks[j];
        if (b->why == W_KEPT) {
            h->blks[hd].why = W_KEPT;
            return;
        }
        if (b->cls == C_GOOD) return;
    }
}

/* The article's lead in a "teaser" box of its own at the top of the
 * container (the extension takes it when it sits just before) */
static void keep_lead(tms_html *h, uint32_t best)
{
    for (size_t i = 0; i < h->nblks; i++) {
        blk *b = &h->blks[i];
        if (b->why == W_KEPT && b->cls == C_GOOD) break;
        if (b->why == W_NEG && b->cls == C_GOOD && in_container(h, b, best) && lone_neg(h, i)) b->why = W_KEPT;
    }
}

/* Calls to action closing an article ("Follow us on Twitter", "Subscribe
 * to our newsletter", "Get our app"): up to CTA_MAX short blocks at the
 * very end of the text, each asking for a subscription, a follow or an
 * app, go. */
static const char *const cta_words[] = {
    "newsletter", "subscri", "abonnier", "abonnez", "suscr", "follow us", "follow the", "folgen sie uns",
    "folge uns", "s\xc3\xadguenos", "suivez-nous", "telegram", "whatsapp", "our app", "the app", " apps for",
    "unsere app", "nuestra app", "notre application", "sign up", "anmelden", "inscri",
};

static void trim_cta(tms_html *h)
{
    int k = 0;
    for (size_t i = h->nblks; i-- > 0 && k < CTA_MAX;) {
        blk *b = &h->blks[i];
        if (b->why != W_KEPT) continue;
        if (i == h->head || b->chars > CTA_CHARS) break;
        const char *s = h->text.data + b->off;
        bool cta = false;
        for (size_t j = 0; j < TMS_ARRAY_LEN(cta_words) && !cta; j++) cta = has_ci(s, b->len, cta_words[j]);
        if (!cta) break;
        b->why = W_LABEL;
        k++;
    }
}

static tamis_status emit(tms_html *h, uint32_t best, bool fallback)
{
    if (!fallback) extend(h, best);
    for (size_t i = 0; i < h->nblks; i++) h->blks[i].why = (uint8_t)why_dropped(h, i, best, fallback);
    if (!fallback) {
        keep_inner_lists(h, best);
        keep_lead(h, best);
        /* the caption of the picture above the article (before its first
         * paragraph) is the picture's, not the text's */
        for (size_t i = 0; i < h->nblks; i++) {
            blk *b = &h->blks[i];
            if (b->why == W_KEPT && b->cls == C_GOOD && !b->caption) break;
            if (b->why == W_KEPT && b->caption) b->why = W_CREDIT;
        }
        trim_edges(h);
    }
    trim_cta(h);
    if (!fallback) keep_headline(h);
    /* only short text under boilerplate hints (a footer line, a nav
     * label): the page has no main content */
    bool real = false;
    for (size_t i = 0; i < h->nblks && !real; i++) {
        const blk *b = &h->blks[i];
        if (b->why == W_KEPT && (!b->neg || b->cls == C_GOOD)) real = true;
    }
    tms_buf *o = &h->out;
    tms_buf_reset(o);
    for (size_t i = 0; i < h->nblks; i++) {
        const blk *b = &h->blks[i];
#ifdef TMS_HTML_DEBUG
        if (getenv("TMS_HTML_BLOCKS"))
            fprintf(stderr, "B\t%d\t%d\t%u\t%u\t%.*s\t%d\t%d\n", b->why, b->cls, b->owner, b->negel, (int)b->len,
                    h->text.data + b->off, b->ext, b->kind);
#endif
        if (b->why != W_KEPT || !real) continue;
        if (o->len) TMS_TRY(tms_buf_addc(o, '\n'));
        TMS_TRY(tms_buf_add(o, h->text.data + b->off, b->len));
    }
    return TAMIS_OK;
}

/* The block of the page's headline: the first <h1>-<h3> outside
 * boilerplate whose text is the page's title (or part of it, or holds it),
 * else the first <h1> outside boilerplate; SIZE_MAX if none. */
static size_t headline(const tms_html *h)
{
    const tms_buf *t = &h->meta[M_TITLE];
    size_t first_h1 = SIZE_MAX;
    for (size_t i = 0; i < h->nblks; i++) {
        const blk *b = &h->blks[i];
        if (b->neg || b->owner == NONE) continue;
        uint16_t tag = h->els[b->owner].tag;
        if (tag != MyHTML_TAG_H1 && tag != MyHTML_TAG_H2 && tag != MyHTML_TAG_H3) continue;
        const char *s = h->text.data + b->off;
        if (t->len >= 8 && b->len >= 8 && (has_ci_n(t->data, t->len, s, b->len) || has_ci_n(s, b->len, t->data, t->len)))
            return i;
        if (tag == MyHTML_TAG_H1 && first_h1 == SIZE_MAX) first_h1 = i;
    }
    return first_h1;
}

/* Sums good and boilerplate mass up the element tree and picks the
 * container. @return the page's good mass outside boilerplate. */
static double choose(tms_html *h, uint32_t *best_out, double *score_out)
{
    double total_good = 0;
    for (size_t i = 0; i < h->nels; i++) h->els[i].good = h->els[i].bad = h->els[i].gfull = h->els[i].bfull = 0;
    for (size_t i = 0; i < h->nblks; i++) {
        blk *b = &h->blks[i];
        b->neg = eff_neg(h, b->negel) != NONE;
        if (b->owner == NONE) continue;
        double good = 0, bad = b->links;
        if (b->neg) bad += 0.5 * b->chars;
        else if (b->cls == C_GOOD) good = b->chars - b->links;
        else if (b->cls == C_NEAR) good = NEAR_W * (b->chars - b->links);
        else bad += b->chars - b->links;
        total_good += good;
        /* to the owner and its ancestors, less and less: a container of
         * paragraphs beats the page wrapper that also holds teasers */
        double w = 1;
        for (uint32_t e = b->owner, d = 0; e != NONE && d < ANC_LEVELS; e = h->els[e].parent, d++) {
            el *x = &h->els[e];
            x->good += (float)(good * w);
            x->bad += (float)(bad * w);
            w *= ANC_DECAY;
        }
        if (b->owner != NONE) {
            h->els[b->owner].gfull += (float)good;
            h->els[b->owner].bfull += (float)bad;
        }
    }
    for (size_t i = h->nels; i-- > 1;) {
        el *x = &h->els[i];
        if (x->parent == NONE) continue;
        h->els[x->parent].gfull += x->gfull;
        h->els[x->parent].bfull += x->bfull;
    }
    /* the first good block after the page's headline (the first <h1>
     * outside boilerplate) starts the article, most of the time */
    size_t head = headline(h), lead = SIZE_MAX;
    h->head = head;
    for (size_t j = head + 1; head != SIZE_MAX && j < h->nblks; j++)
        if (h->blks[j].cls == C_GOOD && !h->blks[j].neg) {
            lead = j;
            break;
        }
    uint32_t lead_el = lead != SIZE_MAX ? h->blks[lead].owner : NONE;
    /* the container: best good - bad, hints as multipliers */
    uint32_t best = NONE;
    double best_score = 0;
    for (size_t i = 0; i < h->nels; i++) {
        const el *x = &h->els[i];
        if (!(x->flags & F_BLOCK) || x->good <= 0) continue;
        double s = x->good - x->bad;
        if (s <= 0) continue;
        if (x->flags & F_SEM) s *= SEM_W;
        if (x->flags & F_POS) s *= POS_W;
        if (lead_el != NONE && lead_el >= i && lead_el < x->end) s *= LEAD_W;
        if (eff_neg(h, (x->flags & F_NEG) ? (uint32_t)i : x->negpar) != NONE) s *= NEG_W;
        if (s > best_score) best_score = s, best = (uint32_t)i;
    }
    /* widen to the parent while it adds much good text and little boilerplate */
    while (best != NONE && h->els[best].parent != NONE) {
        const el *x = &h->els[best], *p = &h->els[x->parent];
        double add_g = p->gfull - x->gfull, add_b = p->bfull - x->bfull;
        if (add_g > 0 && add_b <= EXPAND * add_g) best = x->parent;
        else break;
    }
    *best_out = best;
    *score_out = best_score;
    return total_good;
}

static tamis_status extract_main(tms_html *h)
{
    /* language: a guess from the page's longer blocks (pages often declare
     * a wrong <html lang>, a template's default), else <html lang> */
    size_t nsw = 0;
    const char *const *sw = NULL;
    tms_buf_reset(&h->scratch);
    for (size_t i = 0; i < h->nblks && h->scratch.len < TMS_STOPWORDS_GUESS_BYTES; i++) {
        const blk *b = &h->blks[i];
        if (b->len < 80) continue;
        TMS_TRY(tms_buf_add(&h->scratch, h->text.data + b->off, b->len + 1));
    }
    const char *lg = tms_stopwords_guess(h->scratch.len ? h->scratch.data : h->text.data ? h->text.data : "",
                                        h->scratch.len ? h->scratch.len : h->text.len);
    if (lg) sw = tms_stopwords(lg, strlen(lg), &nsw);
    if (!sw && h->meta[M_LANG].len) sw = tms_stopwords(h->meta[M_LANG].data, h->meta[M_LANG].len, &nsw);
    /* block classes, and each element's good mass regardless of hints */
    double total_raw = 0;
    for (size_t i = 0; i < h->nblks; i++) {
        blk *b = &h->blks[i];
        measure(h, b, sw, nsw);
        if (b->links > b->chars) b->links = b->chars;
        b->cls = classify(b, sw != NULL);
        if (b->chars < 100 && is_copyright(h->text.data + b->off, b->len)) b->cls = C_BAD;
        double g = b->cls == C_GOOD ? b->chars - b->links : b->cls == C_NEAR ? NEAR_W * (b->chars - b->links) : 0;
        if (b->owner != NONE) h->els[b->owner].raw += (float)g;
        total_raw += g;
    }
    for (size_t i = h->nels; i-- > 1;) {
        el *x = &h->els[i];
        if (x->parent != NONE) h->els[x->parent].raw += x->raw;
    }
    /* a boilerplate hint on an element holding most of the page's good
     * text is a layout class ("elementor-widget", "cb-sidebar-right"), not
     * boilerplate */
    for (size_t i = 0; i < h->nels; i++) {
        el *x = &h->els[i];
        if ((x->flags & F_NEG) && total_raw > 0 && !(x->flags & (F_HARD | F_FIRM)) && x->raw > 0.5 * total_raw &&
            x->raw >= GOOD_CHARS) /* not on a page that is only a footer line */
            x->neg_off = 1;
    }
    uint32_t best;
    double best_score;
    double total_good = choose(h, &best, &best_score);
    if (total_good < 0.5 * total_raw) {
        /* much of the page's good text sits under boilerplate hints: if a
         * container there beats the best one elsewhere by far, the hints
         * are wrong (a "teaser" class on the article): keep only the hard
         * ones (nav, aside, footer, comments) */
        for (size_t i = 0; i < h->nels; i++)
            if ((h->els[i].flags & F_NEG) && !(h->els[i].flags & F_HARD) && !h->els[i].neg_off) h->els[i].neg_off = 2;
        uint32_t best2;
        double score2;
        double total2 = choose(h, &best2, &score2);
        if (score2 > SAFE_RATIO * best_score && best2 != NONE && h->els[best2].gfull >= GOOD_CHARS) {
            best = best2, best_score = score2, total_good = total2;
        } else {
            for (size_t i = 0; i < h->nels; i++)
                if (h->els[i].neg_off == 2) h->els[i].neg_off = 0;
            total_good = choose(h, &best, &best_score);
        }
    }
    bool fallback = best == NONE || h->els[best].gfull < FALLBACK * total_good;

#ifdef TMS_HTML_DEBUG
    fprintf(stderr, "els %zu blks %zu best %u score %.0f fallback %d total_good %.0f\n", h->nels, h->nblks, best,
            best_score, fallback, total_good);
    if (best != NONE) {
        for (uint32_t e = best; e != NONE; e = h->els[e].parent)
            fprintf(stderr, "  anc %u tag %u flags %u good %.0f bad %.0f\n", e, h->els[e].tag, h->els[e].flags,
                    h->els[e].good, h->els[e].bad);
    }
#endif
    return emit(h, best, fallback);
}

/* ---- entry point ---------------------------------------------------------------- */

static void reset(tms_html *h)
{
    h->nels = h->nblks = h->nstack = 0;
    tms_buf_reset(&h->text);
    tms_buf_reset(&h->out);
    for (int i = 0; i < M_N; i++) {
        tms_buf_reset(&h->meta[i]);
        h->meta_prio[i] = 0;
    }
    h->blk_start = 0;
    h->cur_owner = h->cur_neg = NONE;
    h->cur_links = 0;
    h->pending = 0;
    h->in_a = h->in_pre = h->in_cap = 0;
    h->title_raw = false;
    h->head = SIZE_MAX;
}

/* Large scratch arrays are released after a large page (not out and meta:
 * the result points into them). */
static void shrink(tms_html *h)
{
    if (h->cap_els > ((size_t)1 << 20)) {
        tms_free(h->els);
        h->els = NULL;
        h->cap_els = 0;
    }
    if (h->cap_blks > ((size_t)1 << 20)) {
        tms_free(h->blks);
        h->blks = NULL;
        h->cap_blks = 0;
    }
    if (h->cap_stack > ((size_t)1 << 16)) {
        tms_free(h->stack);
        h->stack = NULL;
        h->cap_stack = 0;
    }
    if (h->text.cap > ((size_t)16 << 20)) tms_buf_free(&h->text);
    if (h->scratch.cap > ((size_t)1 << 20)) tms_buf_free(&h->scratch);
    if (h->input.cap > ((size_t)16 << 20)) tms_buf_free(&h->input);
}

static const char *field(const tms_html *h, int f) { return h->meta[f].len ? h->meta[f].data : NULL; }

tamis_status tms_html_extract(tms_html *h, const char *html, size_t len, const char *url, tms_html_result *out)
{
    (void)url;
    memset(out, 0, sizeof *out);
    out->text = "";
    reset(h);
    if (!h->tree) TMS_TRY(tree_new(h));
    myhtml_tree_parse_flags_set(h->tree, MyHTML_TREE_PARSE_FLAGS_CLEAN);
    tamis_status st = TAMIS_OK;
    if (len && memchr(html, 0, len)) {
        /* NUL bytes go before parsing: myhtml merges the text around an
         * ignored NUL with an overlapping memcpy (garbled, even invalid,
         * UTF-8; found by fuzz_html). HTML5 ignores or replaces them anyway. */
        tms_buf_reset(&h->input);
        TMS_TRY(tms_buf_reserve(&h->input, len));
        for (size_t i = 0; i < len; i++)
            if (html[i]) h->input.data[h->input.len++] = html[i];
        h->input.data[h->input.len] = 0;
        html = h->input.data;
        len = h->input.len;
    }
    /* a page cut off inside a tag: the tag goes (HTML5 drops it too); myhtml
     * would merge text over overlapping memory (see above). The first tag
     * opening after the last '>' is cut. */
    const char *gt = len ? memrchr(html, '>', len) : NULL;
    for (const char *p = gt ? gt + 1 : html; p + 1 < html + len; p++) {
        if (*p != '<') continue;
        char c = p[1];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?') {
            len = (size_t)(p - html);
            break;
        }
    }
    if (len && myhtml_parse(h->tree, MyENCODING_UTF_8, html, len) != MyHTML_STATUS_OK) st = TAMIS_E_NOMEM;
    if (st == TAMIS_OK && len) st = walk(h);
    if (st == TAMIS_OK) st = extract_main(h);
    if (len > BIG_PAGE) {
        myhtml_tree_destroy(h->tree);
        h->tree = NULL;
        tamis_status st2 = tree_new(h);
        if (st == TAMIS_OK) st = st2;
    }
    if (st != TAMIS_OK) {
        reset(h);
        shrink(h);
        return st;
    }
    if (h->out.len) {
        out->text = h->out.data;
        out->len = h->out.len;
        out->found = true;
    }
    if (h->meta[M_TITLE].len) clean_title(h, !(h->title_raw && h->meta_prio[M_TITLE] == 4));
    if (!h->meta[M_TITLE].len && h->meta[M_H1].len) {
        tms_buf t = h->meta[M_TITLE];
        h->meta[M_TITLE] = h->meta[M_H1];
        h->meta[M_H1] = t;
    }
    out->title = field(h, M_TITLE);
    out->author = field(h, M_AUTHOR);
    out->date_published = field(h, M_DATE);
    out->canonical_url = field(h, M_CANON);
    out->site_name = field(h, M_SITE);
    out->html_lang = field(h, M_LANG);
    if (len > BIG_PAGE) shrink(h); /* the result points into out and meta, which stay */
    return TAMIS_OK;
}
