/*
 * lines_features.c -- what the `lines` stage knows about each line: the line
 * itself, its neighbours and place, and how often it (or its first or last
 * sentence) occurs in other documents and other pages of the same site.
 * The model (lines_model.h) weighs these; docs/internals/LINES.md lists them.
 *
 * One pass over the document's bytes classifies characters and splits words
 * (maximal runs of letters and digits; each Han, kana, Hangul or Thai
 * character is a word of its own), looks every word and word pair/triple up
 * in one small table (stop words of 30 languages and the boilerplate phrase
 * lexicon), and hashes the line's CCNet normalization (RULES.md 2.9:
 * lower-cased, digits to 0, Unicode punctuation and controls deleted) with
 * XXH3 instead of SHA-1 -- the counts are tamis's own, nothing needs CCNet's
 * exact hash values.
 */
#include "lines.h"
#include "lines_lexicon.h"
#include "lines_model.h"
#include "../core/alloc.h"
#include "../text/stopwords.h"
#include "../text/uni.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ==== The features: name and reason group, in model order ==== */

enum group {
    G_NOSENT,    /* no_sentence: short, no sentence punctuation, few stop words */
    G_TRUNC,     /* truncated */
    G_MENU,      /* menu */
    G_SYMBOLS,   /* symbols */
    G_DUPDOC,    /* repeated_in_doc */
    G_SEGMENT,   /* repeated_segment */
    G_CORPUS,    /* repeated_in_corpus */
    G_CONTEXT,   /* context */
    G_LX0,       /* boilerplate phrase, one group per lexicon category */
    G_N = G_LX0 + TMS_LX_NCAT
};

const char *const tms_lines_reasons[TMS_LINES_NREASONS] = {
    "no_sentence", "truncated", "menu", "symbols", "repeated_in_doc", "repeated_segment", "repeated_in_corpus",
    "context", "cookie_notice", "share_widget", "login_prompt", "newsletter_prompt", "navigation", "legal_notice",
    "comment_prompt",
};
_Static_assert(TMS_LINES_NREASONS == G_N, "one reason per group");

#define FEATURES(X)                                                                                      \
    X(WORDS_0, "words_0", G_NOSENT)                                                                      \
    X(WORDS_1, "words_1", G_NOSENT)                                                                      \
    X(WORDS_2, "words_2", G_NOSENT)                                                                      \
    X(WORDS_3, "words_3", G_NOSENT)                                                                      \
    X(WORDS_4_5, "words_4_5", G_NOSENT)                                                                  \
    X(WORDS_6_9, "words_6_9", G_NOSENT)                                                                  \
    X(WORDS_10_19, "words_10_19", G_NOSENT)                                                              \
    X(WORDS_20_39, "words_20_39", G_NOSENT)                                                              \
    X(LOG_CHARS, "log_chars", G_NOSENT)                                                                  \
    X(END_TERM, "end_terminal", G_NOSENT)                                                                \
    X(END_ALNUM, "end_alnum", G_NOSENT)                                                                  \
    X(END_COLON, "end_colon", G_NOSENT)                                                                  \
    X(START_UPPER, "start_upper", G_NOSENT)                                                              \
    X(STOP_KNOWN, "stop_lang_known", G_NOSENT)                                                           \
    X(STOP_FRAC, "stop_frac", G_NOSENT)                                                                  \
    X(NO_STOP, "no_stop_4plus", G_NOSENT)                                                                \
    X(END_ELLIPSIS, "end_ellipsis", G_TRUNC)                                                             \
    X(TRUNCATED, "truncated", G_TRUNC)                                                                   \
    X(SEP_LOG, "separators_log", G_MENU)                                                                 \
    X(SEP_SHORT, "separated_short_items", G_MENU)                                                        \
    X(CAPWORD_FRAC, "capitalized_word_frac", G_MENU)                                                     \
    X(START_BULLET, "start_bullet", G_MENU)                                                              \
    X(RUN_SHORT, "short_run_log", G_MENU)                                                                \
    X(ALPHA_FRAC, "alpha_frac", G_SYMBOLS)                                                               \
    X(DIGIT_FRAC, "digit_frac", G_SYMBOLS)                                                               \
    X(PUNCT_FRAC, "punct_frac", G_SYMBOLS)                                                               \
    X(UPPER_FRAC, "upper_frac", G_SYMBOLS)                                                               \
    X(DIGITWORD_FRAC, "digit_word_frac", G_SYMBOLS)                                                      \
    X(URL, "url_or_email", G_SYMBOLS)                                                                    \
    X(PIPE_EDGE, "pipe_at_edge", G_SYMBOLS)                                                              \
    X(LX_COOKIE, "lx_cookie", G_LX0 + TMS_LX_COOKIE)                                                     \
    X(LX_SHARE, "lx_share", G_LX0 + TMS_LX_SHARE)                                                        \
    X(LX_LOGIN, "lx_login", G_LX0 + TMS_LX_LOGIN)                                                        \
    X(LX_NEWSLETTER, "lx_newsletter", G_LX0 + TMS_LX_NEWSLETTER)                                         \
    X(LX_NAV, "lx_nav", G_LX0 + TMS_LX_NAV)                                                              \
    X(LX_LEGAL, "lx_legal", G_LX0 + TMS_LX_LEGAL)                                                        \
    X(LX_COMMENT, "lx_comment", G_LX0 + TMS_LX_COMMENT)                                                  \
    X(DUP_DOC, "dup_in_doc", G_DUPDOC)                                                                   \
    X(DUP_DOC_SHORT, "dup_in_doc_short", G_DUPDOC)                                                       \
    X(LEAD_DOC, "lead_dup_in_doc", G_SEGMENT)                                                            \
    X(TAIL_DOC, "tail_dup_in_doc", G_SEGMENT)                                                            \
    X(PRE2_DOC, "first_words_dup_in_doc", G_DUPDOC)                                                      \
    X(SUF2_DOC, "last_words_dup_in_doc", G_DUPDOC)                                                       \
    X(CURRENCY, "currency", G_SYMBOLS)                                                                   \
    X(CORPUS_LOG, "corpus_docs_log", G_CORPUS)                                                           \
    X(CORPUS_REP, "corpus_repeated", G_CORPUS)                                                           \
    X(CORPUS_REP_SHORT, "corpus_repeated_short", G_CORPUS)                                               \
    X(SITE_LOG, "site_docs_log", G_CORPUS)                                                               \
    X(LEAD_CORPUS, "lead_corpus_log", G_SEGMENT)                                                         \
    X(TAIL_CORPUS, "tail_corpus_log", G_SEGMENT)                                                         \
    X(POS_TOP, "pos_top", G_CONTEXT)                                                                     \
    X(POS_BOTTOM, "pos_bottom", G_CONTEXT)                                                               \
    X(POS_REL, "pos_rel", G_CONTEXT)                                                                     \
    X(PREV_BLANK, "prev_blank", G_CONTEXT)                                                               \
    X(NEXT_BLANK, "next_blank", G_CONTEXT)                                                               \
    X(PREV_SHORT, "prev_short_nopunct", G_CONTEXT)                                                       \
    X(NEXT_SHORT, "next_short_nopunct", G_CONTEXT)                                                       \
    X(PREV_WORDS, "prev_words_log", G_CONTEXT)                                                           \
    X(NEXT_WORDS, "next_words_log", G_CONTEXT)                                                           \
    X(PREV_TERM, "prev_end_terminal", G_CONTEXT)                                                         \
    X(NEXT_TERM, "next_end_terminal", G_CONTEXT)                                                         \
    X(PREV_LX, "prev_phrase", G_CONTEXT)                                                                 \
    X(NEXT_LX, "next_phrase", G_CONTEXT)                                                                 \
    X(PREV_REP, "prev_repeated", G_CONTEXT)                                                              \
    X(NEXT_REP, "next_repeated", G_CONTEXT)                                                              \
    X(PREV_TRUNC, "prev_truncated", G_CONTEXT)                                                           \
    X(NEXT_TRUNC, "next_truncated", G_CONTEXT)                                                           \
    X(HEADING, "heading_shape", G_CONTEXT)                                                               \
    X(DOC_LINES, "doc_lines_log", G_CONTEXT)                                                             \
    X(DOC_TERM, "doc_terminal_frac", G_CONTEXT)                                                          \
    X(DOC_SHORT, "doc_short_frac", G_CONTEXT)                                                            \
    X(DOC_PIPE, "doc_pipe_frac", G_CONTEXT)                                                              \
    X(DOC_STOP, "doc_stop_mean", G_CONTEXT)                                                              \
    X(DOC_DUP, "doc_dup_frac", G_CONTEXT)                                                                \
    X(DOC_BULLET, "doc_bullet_frac", G_CONTEXT)                                                          \
    X(REL_WORDS, "words_vs_doc", G_CONTEXT)                                                              \
    X(WIN_WORDS, "window_words_log", G_CONTEXT)                                                          \
    X(WIN_TERM, "window_terminal_frac", G_CONTEXT)                                                       \
    X(WIN_STOP, "window_stop_mean", G_CONTEXT)                                                           \
    X(WIN_SHORT, "window_short_frac", G_CONTEXT)                                                         \
    X(WIN_PIPE, "window_pipe_frac", G_CONTEXT)                                                           \
    X(WIN_BULLET, "window_bullet_frac", G_CONTEXT)

#define X_ENUM(id, name, group) F_##id,
enum { FEATURES(X_ENUM) NF };
#define X_NAME(id, name, group) name,
static const char *const feat_names[NF] = {FEATURES(X_NAME)};
#define X_GROUP(id, name, group) group,
static const unsigned char feat_group[NF] = {FEATURES(X_GROUP)};

_Static_assert(TMS_LINES_NFEAT == NF, "lines_model.h was trained on another feature set: run make model-lines");

size_t tms_lines_nfeat(void) { return NF; }
const char *tms_lines_feat_name(size_t i) { return i < NF ? feat_names[i] : NULL; }

/* ==== The word table: stop words (a bit per language) and lexicon phrases ==== */

typedef struct wentry {
    uint64_t key;      /* 0: empty */
    uint32_t stop;     /* bit i: a stop word of stop_langs[i] */
    uint8_t cat;       /* lexicon category + 1, or 0 */
    uint8_t prefix;    /* the first word (1) or first two words (2) of a longer phrase */
} wentry;

#define WBITS 13
#define WSIZE ((size_t)1 << WBITS)
static wentry wtab[WSIZE];
/* at most half full: three entries a phrase, 32 lists of at most 20 stop words */
_Static_assert(TMS_ARRAY_LEN(tms_lx_phrases) * 3 + 32 * 20 < WSIZE / 2, "grow WBITS");
static char stop_langs[32][4];
static size_t nstop_langs;
static pthread_once_t wtab_once = PTHREAD_ONCE_INIT;

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h | 1; /* never 0 */
}
static inline uint64_t word_hash(const char *p, size_t n) { return XXH3_64bits(p, n) | 1; }
static inline uint64_t comb(uint64_t a, uint64_t b) { return mix(a * 0x9E3779B97F4A7C15ull + b); }

static wentry *wslot(uint64_t key)
{
    size_t i = (size_t)(key >> (64 - WBITS));
    while (wtab[i].key && wtab[i].key != key) i = (i + 1) & (WSIZE - 1);
    return &wtab[i];
}
static inline const wentry *wfind(uint64_t key)
{
    size_t i = (size_t)(key >> (64 - WBITS));
    for (;;) {
        const wentry *e = &wtab[i];
        if (e->key == key) return e;
        if (!e->key) return NULL;
        i = (i + 1) & (WSIZE - 1);
    }
}

/* the hash of a phrase of space-separated words, as the scanner combines them */
static uint64_t phrase_hash(const char *s)
{
    uint64_t h = 0;
    int k = 0;
    while (*s) {
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        uint64_t hw = word_hash(s, n);
        h = k++ ? comb(h, hw) : hw;
        s += n + (e != NULL);
    }
    return h;
}

static void wtab_build(void)
{
    const char *langs = tms_stopwords_languages();
    while (*langs && nstop_langs < 32) {
        size_t n = strcspn(langs, " ");
        memcpy(stop_langs[nstop_langs], langs, n < 3 ? n : 3);
        size_t count;
        const char *const *words = tms_stopwords(langs, n, &count);
        for (size_t i = 0; words && i < count; i++) {
            wentry *e = wslot(word_hash(words[i], strlen(words[i])));
            e->key = word_hash(words[i], strlen(words[i]));
            e->stop |= 1u << nstop_langs;
        }
        nstop_langs++;
        langs += n;
        while (*langs == ' ') langs++;
    }
    for (size_t i = 0; i < TMS_ARRAY_LEN(tms_lx_phrases); i++) {
        const char *ph = tms_lx_phrases[i].phrase;
        uint64_t h = phrase_hash(ph);
        wentry *e = wslot(h);
        e->key = h;
        e->cat = (uint8_t)(tms_lx_phrases[i].cat + 1);
        /* its first one and two words, so that the scanner looks pairs and
         * triples up only after a word that can start one */
        const char *sp = strchr(ph, ' ');
        if (!sp) continue;
        uint64_t h1 = word_hash(ph, (size_t)(sp - ph));
        e = wslot(h1);
        e->key = h1;
        e->prefix |= 1;
        const char *sp2 = strchr(sp + 1, ' ');
        if (!sp2) continue;
        uint64_t h2 = comb(h1, word_hash(sp + 1, (size_t)(sp2 - sp - 1)));
        e = wslot(h2);
        e->key = h2;
        e->prefix |= 2;
    }
}

static int stop_lang_index(const char *lang, size_t n)
{
    size_t count;
    const char *const *list = tms_stopwords(lang, n, &count);
    if (!list) return -1;
    for (size_t i = 0; i < nstop_langs; i++) {
        size_t c2;
        if (tms_stopwords(stop_langs[i], strlen(stop_langs[i]), &c2) == list) return (int)i;
    }
    return -1;
}

/* ==== The corpus: document counts per key ==== */

struct tms_lines_corpus {
    uint64_t *keys;   /* 0: empty */
    uint32_t *count;  /* documents that contain the key (saturating) */
    size_t cap, used;
    uint64_t docs;
    uint32_t absent;  /* the count of a key not in the table (tms_lines_corpus_set_loaded) */
};

tamis_status tms_lines_corpus_create(tms_lines_corpus **out)
{
    tms_lines_corpus *c = tms_calloc(1, sizeof *c);
    if (!c) return TAMIS_E_NOMEM;
    c->cap = (size_t)1 << 16;
    c->keys = tms_calloc(c->cap, sizeof *c->keys);
    c->count = tms_calloc(c->cap, sizeof *c->count);
    if (!c->keys || !c->count) {
        tms_lines_corpus_free(c);
        return TAMIS_E_NOMEM;
    }
    *out = c;
    return TAMIS_OK;
}

void tms_lines_corpus_free(tms_lines_corpus *c)
{
    if (!c) return;
    tms_free(c->keys);
    tms_free(c->count);
    tms_free(c);
}

static inline size_t chome(uint64_t k, size_t cap) { return (size_t)(mix(k) & (cap - 1)); }

static tamis_status corpus_grow(tms_lines_corpus *c)
{
    size_t cap = c->cap * 2;
    uint64_t *keys = tms_calloc(cap, sizeof *keys);
    uint32_t *count = tms_calloc(cap, sizeof *count);
    if (!keys || !count) {
        tms_free(keys);
        tms_free(count);
        return TAMIS_E_NOMEM;
    }
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->keys[i]) continue;
        size_t j = chome(c->keys[i], cap);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = c->keys[i];
        count[j] = c->count[i];
    }
    tms_free(c->keys);
    tms_free(c->count);
    c->keys = keys;
    c->count = count;
    c->cap = cap;
    return TAMIS_OK;
}

tamis_status tms_lines_corpus_add(tms_lines_corpus *c, const uint64_t *keys, size_t n)
{
    c->docs++;
    for (size_t k = 0; k < n; k++) {
        if ((c->used + 1) * 10 > c->cap * 7) TMS_TRY(corpus_grow(c));
        size_t j = chome(keys[k], c->cap);
        while (c->keys[j] && c->keys[j] != keys[k]) j = (j + 1) & (c->cap - 1);
        if (!c->keys[j]) {
            c->keys[j] = keys[k];
            c->used++;
        }
        if (c->count[j] != UINT32_MAX) c->count[j]++;
    }
    return TAMIS_OK;
}

static uint32_t corpus_count(const tms_lines_corpus *c, uint64_t key)
{
    if (!c) return 0;
    if (!c->used) return c->absent;
    size_t j = chome(key, c->cap);
    for (;;) {
        if (c->keys[j] == key) return c->count[j];
        if (!c->keys[j]) return c->absent;
        j = (j + 1) & (c->cap - 1);
    }
}

static int cmp_count(const void *a, const void *b)
{
    const tms_lines_count *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

tamis_status tms_lines_corpus_sorted(const tms_lines_corpus *c, tms_lines_count **out, size_t *n)
{
    tms_lines_count *v = tms_malloc((c->used ? c->used : 1) * sizeof *v);
    if (!v) return TAMIS_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < c->cap; i++)
        if (c->keys[i]) v[k++] = (tms_lines_count){c->keys[i], c->count[i]};
    if (k) qsort(v, k, sizeof *v, cmp_count);
    *out = v;
    *n = k;
    return TAMIS_OK;
}

tamis_status tms_lines_corpus_put(tms_lines_corpus *c, uint64_t key, uint32_t count)
{
    if (!key) return TAMIS_OK; /* 0 marks an empty slot (a 2^-64 chance for a real key) */
    if ((c->used + 1) * 10 > c->cap * 7) TMS_TRY(corpus_grow(c));
    size_t j = chome(key, c->cap);
    while (c->keys[j] && c->keys[j] != key) j = (j + 1) & (c->cap - 1);
    if (!c->keys[j]) {
        c->keys[j] = key;
        c->used++;
        c->count[j] = 0;
    }
    uint64_t sum = (uint64_t)c->count[j] + count;
    c->count[j] = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
    return TAMIS_OK;
}

void tms_lines_corpus_set_loaded(tms_lines_corpus *c, uint64_t docs, uint32_t absent)
{
    c->docs = docs;
    c->absent = absent;
}

size_t tms_lines_corpus_entries(const tms_lines_corpus *c) { return c ? c->used : 0; }
size_t tms_lines_corpus_bytes(const tms_lines_corpus *c)
{
    return c ? c->cap * (sizeof *c->keys + sizeof *c->count) : 0;
}
uint64_t tms_lines_corpus_docs(const tms_lines_corpus *c) { return c ? c->docs : 0; }

/* key kinds: the same hash counted as a line, a leading or a trailing
 * segment, and each again for the document's site */
enum { K_LINE = 1, K_LEAD = 2, K_TAIL = 3, K_PRE2 = 4, K_SUF2 = 5 };
static inline uint64_t kkey(uint64_t h, int kind, uint64_t site) { return mix(h + (uint64_t)kind * 0x632BE59BD9B4E019ull + site); }

/* ==== Per-line facts ==== */

enum { END_NONE, END_TERM, END_ELLIPSIS, END_COLON, END_ALNUM, END_OTHER };

typedef struct lfact {
    size_t start, end;          /* the line's bytes, without '\n' */
    uint32_t nchars, nwords, nalpha, ndigit, nupper, npunct, nspace;
    uint32_t nsep, ncap, ndigitword, w0, nw; /* words: index of the first in the word array, count */
    uint32_t nstop;
    uint8_t lx;                 /* bit per lexicon category */
    uint8_t end_kind;
    bool truncated, bullet, url, pipe_edge, start_upper, blank, currency;
    uint64_t h, hlead, htail;   /* normalized line and segments (0: none) */
    uint64_t hpre2, hsuf2;      /* its first and last two words, when it has 3 or more (0: none) */
} lfact;

/* the kinds of recent non-ASCII code points (a page uses few of them) */
typedef struct ucache_entry {
    uint32_t cp, lower;
    uint16_t kind;
} ucache_entry;
#define UCACHE 512

struct tms_lines_worker {
    bool keys_only;             /* scanning for tms_lines_keys: no words */
    ucache_entry ucache[UCACHE];
    lfact *f;
    size_t fcap;
    uint32_t *wstop;            /* stop-word mask of every word of the document */
    size_t wcap, nwords;
    char *norm;                 /* one line's normalization */
    size_t normcap;
    char low[256];              /* one lower-cased word (longer words are hashed as cut) */
    float *feat;
    size_t featcap;
    bool *blank, *rep;
    size_t blankcap, repcap;
    size_t *nbidx;              /* indexes of the non-blank lines */
    size_t nbcap;
    uint64_t *keys;
    size_t kcap;
    /* in-document repeats: a small open-addressing set of (kind, hash) -> count */
    uint64_t *dkeys;
    uint16_t *dcount;
    size_t dcap;
};

static void akind_build(void);
static pthread_once_t akind_once = PTHREAD_ONCE_INIT;
static void lg_build(void);
static pthread_once_t lg_once = PTHREAD_ONCE_INIT;

tamis_status tms_lines_worker_create(tms_lines_worker **out)
{
    pthread_once(&wtab_once, wtab_build);
    pthread_once(&akind_once, akind_build);
    pthread_once(&lg_once, lg_build);
    tms_lines_worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < UCACHE; i++) w->ucache[i].cp = 0; /* code point 0 is ASCII: never looked up */
    *out = w;
    return TAMIS_OK;
}

void tms_lines_worker_free(tms_lines_worker *w)
{
    if (!w) return;
    tms_free(w->f);
    tms_free(w->wstop);
    tms_free(w->norm);
    tms_free(w->feat);
    tms_free(w->blank);
    tms_free(w->rep);
    tms_free(w->nbidx);
    tms_free(w->keys);
    tms_free(w->dkeys);
    tms_free(w->dcount);
    tms_free(w);
}

static inline bool is_sep(uint32_t c)
{
    return c == '|' || c == 0x203A /* › */ || c == 0x2022 /* • */ || c == 0xB7 /* · */ || c == 0x25BA /* ► */ ||
           c == 0x25B8 /* ▸ */ || c == 0x2192 /* → */ || c == 0x25AA /* ▪ */ || c == 0x2039 /* ‹ */;
}
static inline bool is_cjk(uint32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0x0E00 && c <= 0x0E7F) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}
static inline bool is_digit_u(uint32_t c)
{
    if (c < 128) return c >= '0' && c <= '9';
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND;
}
/* CCNet's UNICODE_PUNCT keys, deleted by its normalization */
static bool ccnet_punct(uint32_t c)
{
    static const uint32_t set[] = {0x2C, 0xFF0C, 0x3002, 0x3001, 0x201E, 0x201D, 0x201C, 0xAB, 0xBB, 0xFF11,
                                   0x300D, 0x300C, 0x300A, 0x300B, 0xB4, 0x2236, 0xFF1A, 0xFF1F, 0xFF01, 0xFF08,
                                   0xFF09, 0xFF1B, 0x2013, 0x2014, 0xFF0E, 0xFF5E, 0x2019, 0x2026, 0x2501, 0x3008,
                                   0x3009, 0x3010, 0x3011, 0xFF05, 0x25BA};
    if (c < 0x80) return false; /* ASCII punctuation is kept (the 0x2C above is never reached) */
    if (c < 0x2013) return c == 0xAB || c == 0xBB || c == 0xB4; /* most letters of most scripts */
    if (c > 0x3011 && c < 0xFF01) return false;
    for (size_t i = 0; i < TMS_ARRAY_LEN(set); i++)
        if (set[i] == c) return true;
    return false;
}
static inline bool closing(uint32_t c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0xBB || c == 0x201D || c == 0x2019 || c == 0x300D ||
           c == 0x300F || c == 0xFF09;
}
static inline bool sentence_end(uint32_t c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x061F ||
           c == 0x0964 || c == 0x2026;
}

/* character kinds, one table lookup for ASCII */
enum {
    K_ALPHA = 1, K_UPPER = 2, K_DIGIT = 4, K_SPACE = 8, K_PUNCT = 16, K_SEP = 32, K_SENT = 64, K_CLOSE = 128,
    K_CJK = 256, K_DELETE = 512, /* dropped by the CCNet normalization */
    K_URLCH = 1024,              /* '/' or '@': the line may hold a URL or an address */
    K_CURRENCY = 2048
};
static uint16_t akind[128];
static unsigned char anorm[128];

static void akind_build(void)
{
    for (unsigned c = 0; c < 128; c++) {
        uint16_t k = 0;
        unsigned char cl = tms_uni_ascii[c];
        if (cl & TMS_UNI_ALPHA) k |= K_ALPHA | (c >= 'A' && c <= 'Z' ? K_UPPER : 0);
        else if (cl & TMS_UNI_DIGIT) k |= K_DIGIT;
        else if (cl & TMS_UNI_SPACE) k |= K_SPACE;
        else k |= K_PUNCT;
        if (is_sep(c)) k |= K_SEP;
        if (sentence_end(c)) k |= K_SENT;
        if (closing(c)) k |= K_CLOSE;
        if (c < 0x20 || c == 0x7F) k |= K_DELETE;
        if (c == '/' || c == '@') k |= K_URLCH;
        if (c == '$') k |= K_CURRENCY;
        akind[c] = k;
        anorm[c] = (unsigned char)(c >= '0' && c <= '9' ? '0' : (c >= 'A' && c <= 'Z' ? c | 0x20 : c));
    }
}

/* the kind of a non-ASCII code point, and its lower case */
static uint16_t ukind(uint32_t c, uint32_t *lower)
{
    uint16_t k = 0;
    *lower = c;
    if (tms_uni_isalpha(c)) {
        *lower = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
        k = K_ALPHA | (*lower != c ? K_UPPER : 0) | (is_cjk(c) ? K_CJK : 0);
    } else if (is_digit_u(c)) {
        k = K_DIGIT;
        *lower = '0';
    } else if (tms_uni_isspace(c)) {
        k = K_SPACE;
    } else {
        k = K_PUNCT;
    }
    if (is_sep(c)) k |= K_SEP;
    if (sentence_end(c)) k |= K_SENT;
    if (closing(c)) k |= K_CLOSE;
    if ((c >= 0x80 && c <= 0x9F) || ccnet_punct(c)) k |= K_DELETE;
    if (c == 0x20AC || c == 0xA3 || c == 0xA5 || c == 0x20B9 || c == 0x20BD || c == 0x20A9) k |= K_CURRENCY;
    return k;
}

static inline size_t put_utf8(char *p, uint32_t c)
{
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)c, (utf8proc_uint8_t *)p);
}

/* Ends the word in w->low: its stop-word mask, and the lexicon's phrases
 * ending with it. */
typedef struct wstate {
    uint64_t h1, h2;  /* hashes of the previous word and pair */
    bool p1, p2;      /* they start a longer phrase */
    uint64_t first2;  /* the line's first two words */
    unsigned n;       /* words so far */
} wstate;

static tamis_status end_word(tms_lines_worker *w, lfact *f, wstate *ws, size_t wl, bool digits)
{
    uint64_t hw = word_hash(w->low, wl);
    const wentry *we = wfind(hw);
    uint32_t stop = we ? we->stop : 0;
    if (we && we->cat) f->lx |= (uint8_t)(1u << (we->cat - 1));
    bool p2 = false;
    if (ws->p2) {
        const wentry *et = wfind(comb(ws->h2, hw));
        if (et && et->cat) f->lx |= (uint8_t)(1u << (et->cat - 1));
    }
    if (ws->p1) {
        uint64_t hb = comb(ws->h1, hw);
        const wentry *eb = wfind(hb);
        if (eb && eb->cat) f->lx |= (uint8_t)(1u << (eb->cat - 1));
        p2 = eb && (eb->prefix & 2);
    }
    ws->p2 = p2;
    if (ws->n == 1) ws->first2 = comb(ws->h1, hw);
    ws->n++;
    ws->h2 = comb(ws->h1, hw); /* the last pair, whatever the lexicon says */
    ws->h1 = hw;
    ws->p1 = we && (we->prefix & 1);
    w->wstop[w->nwords++] = stop; /* room reserved by scan_doc */
    f->nwords++;
    f->ndigitword += digits;
    return TAMIS_OK;
}

/* Scans one line: facts, words (their stop masks appended to w->wstop),
 * normalized hashes. */
static tamis_status scan_line(tms_lines_worker *w, const char *s, lfact *f)
{
    size_t i = f->start, e = f->end;
    /* trim */
    size_t ts = i, te = e, nx;
    while (ts < te) {
        uint32_t c = tms_uni_next(s, te, ts, &nx);
        if (!tms_uni_isspace(c)) break;
        ts = nx;
    }
    while (te > ts) {
        size_t st;
        uint32_t c = tms_uni_prev(s, te, &st);
        if (!tms_uni_isspace(c)) break;
        te = st;
    }
    f->blank = ts == te;
    f->w0 = (uint32_t)w->nwords;
    if (f->blank) return TAMIS_OK;
    /* at most 3 bytes out per byte in: an invalid byte becomes U+FFFD (3 bytes);
     * lower-casing lengthens a code point by one byte at most */
    if (TMS_RESERVE(w->norm, w->normcap, 3 * (te - ts) + 8)) return TAMIS_E_NOMEM;
    char *norm = w->norm;
    size_t nn = 0;                       /* normalized bytes */
    size_t lead_end = 0, tail_start = 0; /* segment bounds in norm (0: none) */
    bool in_word = false, word_digits = true, first_alnum = true, pending_seg = false;
    size_t wl = 0;                       /* bytes in w->low */
    wstate ws = {0, 0, false, false, 0, 0};
    uint32_t nchars = 0, nalpha = 0, nupper = 0, ndigit = 0, nspace = 0, npunct = 0, nsep = 0, ncap = 0;
    uint16_t kinds = 0; /* every kind seen */
    for (size_t p = ts; p < te; p = nx) {
        if (in_word) {
            /* inside a word, runs of ASCII lower-case letters (most bytes of most
             * text) need no decision: copy them to the normalization and the word */
            size_t q = p;
            while (q < te && (unsigned char)(s[q] - 'a') < 26) q++;
            if (q > p) {
                size_t len = q - p;
                memcpy(norm + nn, s + p, len);
                nn += len;
                size_t room = wl <= sizeof w->low - 4 ? sizeof w->low - 3 - wl : 0; /* as one byte at a time would */
                size_t cp = len < room ? len : room;
                memcpy(w->low + wl, s + p, cp);
                wl += cp;
                nchars += (uint32_t)len;
                nalpha += (uint32_t)len;
                kinds |= K_ALPHA;
                word_digits = false;
                pending_seg = false;
                p = q;
                if (p >= te) {
                    nx = te;
                    continue;
                }
            }
        }
        uint32_t c = (unsigned char)s[p], lc;
        uint16_t k;
        if (c < 0x80) {
            nx = p + 1;
            k = akind[c];
            lc = anorm[c];
        } else {
            c = tms_uni_next(s, te, p, &nx);
            ucache_entry *u = &w->ucache[c % UCACHE];
            if (u->cp != c) {
                u->cp = c;
                u->kind = ukind(c, &u->lower);
            }
            k = u->kind;
            lc = u->lower;
        }
        nchars++;
        kinds |= k;
        nalpha += (k & K_ALPHA) != 0;
        nupper += (k & K_UPPER) != 0;
        ndigit += (k & K_DIGIT) != 0;
        nspace += (k & K_SPACE) != 0;
        npunct += (k & K_PUNCT) != 0;
        nsep += (k & K_SEP) != 0;
        /* normalization (CCNet): lower-case, digits to 0, its punctuation and controls dropped */
        if (!(k & K_DELETE)) {
            if (lc < 0x80) norm[nn++] = (char)lc;
            else nn += put_utf8(norm + nn, lc);
        }
        /* segment boundaries: a sentence end, then a space, then more */
        if (pending_seg && (k & K_SPACE)) {
            if (!lead_end) lead_end = nn;
            tail_start = nn;
            pending_seg = false;
        } else {
            pending_seg = (k & K_SENT) || (pending_seg && (k & K_CLOSE));
        }
        /* words */
        if (w->keys_only) continue; /* the corpus pass needs the hashes only */
        if ((k & (K_ALPHA | K_DIGIT)) && !(k & K_CJK)) {
            if (!in_word) {
                in_word = true;
                word_digits = true;
                wl = 0;
                if (first_alnum) f->start_upper = (k & K_UPPER) != 0;
                ncap += (k & K_UPPER) != 0;
                first_alnum = false;
            }
            word_digits &= (k & K_DIGIT) != 0;
            if (wl + 4 <= sizeof w->low) {
                if (lc < 0x80 && !(k & K_DIGIT)) w->low[wl++] = (char)lc;
                else if (c < 0x80) w->low[wl++] = (char)c; /* ASCII digits stay digits in words */
                else wl += put_utf8(w->low + wl, (k & K_DIGIT) ? c : lc);
            }
            continue;
        }
        if (in_word) {
            TMS_TRY(end_word(w, f, &ws, wl, word_digits));
            in_word = false;
        }
        if (k & K_CJK) { /* each Han, kana, Hangul or Thai character is a word */
            w->wstop[w->nwords++] = 0;
            f->nwords++;
            ws.p1 = ws.p2 = false;
            first_alnum = false;
        }
    }
    if (in_word) TMS_TRY(end_word(w, f, &ws, wl, word_digits));
    f->nchars = nchars;
    f->nalpha = nalpha;
    f->nupper = nupper;
    f->ndigit = ndigit;
    f->nspace = nspace;
    f->npunct = npunct;
    f->nsep = nsep;
    f->ncap = ncap;
    f->currency = (kinds & K_CURRENCY) != 0;
    if (ws.n >= 3) {
        f->hpre2 = ws.first2;
        f->hsuf2 = ws.h2;
    }
    f->nw = (uint32_t)(w->nwords - f->w0);
    /* the end */
    size_t st, st2;
    uint32_t last = tms_uni_prev(s, te, &st);
    while (closing(last) && st > ts) last = tms_uni_prev(s, st, &st);
    if (last == 0x2026 || (last == '.' && st >= ts + 2 && s[st - 1] == '.' && s[st - 2] == '.')) {
        f->end_kind = END_ELLIPSIS;
        size_t before = last == 0x2026 ? st : st - 2;
        /* "[...]" and "(…)" count as ellipses too */
        if (before > ts) {
            uint32_t b = tms_uni_prev(s, before, &st2);
            if (b == '[' || b == '(') b = before - 1 > ts ? tms_uni_prev(s, st2, &st2) : ' ';
            while (b == ' ' && st2 > ts) b = tms_uni_prev(s, st2, &st2);
            /* cut mid-sentence: a letter, digit or comma right before the ellipsis */
            f->truncated = tms_uni_isalpha(b) || is_digit_u(b) || b == ',';
        }
    } else if (sentence_end(last)) {
        f->end_kind = END_TERM;
    } else if (last == ':') {
        f->end_kind = END_COLON;
    } else if (tms_uni_isalpha(last) || is_digit_u(last)) {
        f->end_kind = END_ALNUM;
    } else {
        f->end_kind = END_OTHER;
    }
    uint32_t first = tms_uni_next(s, te, ts, &nx);
    f->bullet = first == '-' || first == '*' || first == 0x2022 || first == 0xB7 || first == 0x25BA ||
                first == 0x25AA || first == '>' || first == 0x2013;
    f->pipe_edge = first == '|' || s[te - 1] == '|';
    f->url = (kinds & K_URLCH) && (memmem(s + ts, te - ts, "http", 4) || memmem(s + ts, te - ts, "www.", 4));
    if (!f->url && (kinds & K_URLCH)) {
        const char *at = memchr(s + ts, '@', te - ts);
        f->url = at && memchr(at, '.', (size_t)(s + te - at)) != NULL;
    }
    f->h = XXH3_64bits(w->norm, nn) | 1;
    f->hlead = f->htail = 0;
    if (lead_end && lead_end < nn) {
        f->hlead = XXH3_64bits(w->norm, lead_end) | 1;
        f->htail = XXH3_64bits(w->norm + tail_start, nn - tail_start) | 1;
    }
    return TAMIS_OK;
}

/* the host of a URL, without "www.": a site's identity */
static uint64_t site_of(const char *url, size_t n)
{
    if (!url || !n) return 0;
    const char *p = memmem(url, n, "://", 3);
    size_t i = p ? (size_t)(p - url) + 3 : 0;
    size_t j = i;
    while (j < n && url[j] != '/' && url[j] != ':' && url[j] != '?' && url[j] != '#') j++;
    if (j - i > 4 && (url[i] | 0x20) == 'w' && (url[i + 1] | 0x20) == 'w' && (url[i + 2] | 0x20) == 'w' &&
        url[i + 3] == '.')
        i += 4;
    if (j <= i) return 0;
    char host[256];
    size_t k = 0;
    for (; i < j && k < sizeof host; i++) host[k++] = (char)(url[i] >= 'A' && url[i] <= 'Z' ? url[i] | 0x20 : url[i]);
    return XXH3_64bits(host, k) | 1;
}

/* Splits into lines and scans them. */
static tamis_status scan_doc(tms_lines_worker *w, const tms_lines_input *in, size_t *nlines)
{
    size_t n = 0, i = 0;
    w->nwords = 0;
    /* a word takes at least one byte and a separator, or one CJK character (3 bytes) */
    if (TMS_RESERVE(w->wstop, w->wcap, in->len / 2 + 2)) return TAMIS_E_NOMEM;
    while (i < in->len || (i == 0 && in->len == 0)) {
        const char *nl = memchr(in->text + i, '\n', in->len - i);
        size_t e = nl ? (size_t)(nl - in->text) : in->len;
        if (TMS_RESERVE(w->f, w->fcap, n + 1)) return TAMIS_E_NOMEM;
        lfact *f = &w->f[n++];
        memset(f, 0, sizeof *f);
        f->start = i;
        f->end = e;
        TMS_TRY(scan_line(w, in->text, f));
        i = e + 1;
        if (!nl) break;
    }
    *nlines = n;
    return TAMIS_OK;
}

/* ---- in-document repeats ---- */
static tamis_status dset_init(tms_lines_worker *w, size_t n)
{
    size_t cap = 64;
    while (cap < n * 2) cap *= 2;
    if (cap > w->dcap) {
        tms_free(w->dkeys);
        tms_free(w->dcount);
        w->dkeys = tms_calloc(cap, sizeof *w->dkeys);
        w->dcount = tms_calloc(cap, sizeof *w->dcount);
        if (!w->dkeys || !w->dcount) {
            w->dcap = 0;
            return TAMIS_E_NOMEM;
        }
        w->dcap = cap;
    } else {
        memset(w->dkeys, 0, w->dcap * sizeof *w->dkeys);
        memset(w->dcount, 0, w->dcap * sizeof *w->dcount);
    }
    return TAMIS_OK;
}
static size_t dslot(const tms_lines_worker *w, uint64_t k)
{
    size_t j = (size_t)(mix(k) & (w->dcap - 1));
    while (w->dkeys[j] && w->dkeys[j] != k) j = (j + 1) & (w->dcap - 1);
    return j;
}
static void dadd(tms_lines_worker *w, uint64_t k)
{
    size_t j = dslot(w, k);
    w->dkeys[j] = k;
    if (w->dcount[j] != UINT16_MAX) w->dcount[j]++;
}
static unsigned dget(const tms_lines_worker *w, uint64_t k) { return w->dcount[dslot(w, k)]; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

tamis_status tms_lines_keys(tms_lines_worker *w, const tms_lines_input *in, const uint64_t **keys, size_t *n)
{
    size_t nl;
    w->keys_only = true;
    tamis_status st = scan_doc(w, in, &nl);
    w->keys_only = false;
    TMS_TRY(st);
    uint64_t site = site_of(in->url, in->url_len);
    size_t k = 0;
    for (size_t i = 0; i < nl; i++) {
        const lfact *f = &w->f[i];
        if (f->blank) continue;
        if (TMS_RESERVE(w->keys, w->kcap, k + 6)) return TAMIS_E_NOMEM;
        w->keys[k++] = kkey(f->h, K_LINE, 0);
        if (site) w->keys[k++] = kkey(f->h, K_LINE, site);
        if (f->hlead) {
            w->keys[k++] = kkey(f->hlead, K_LEAD, 0);
            w->keys[k++] = kkey(f->htail, K_TAIL, 0);
        }
    }
    if (k) qsort(w->keys, k, sizeof *w->keys, cmp_u64); /* (qsort wants a non-null base even for 0) */
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || w->keys[u - 1] != w->keys[i]) w->keys[u++] = w->keys[i];
    *keys = w->keys;
    *n = u;
    return TAMIS_OK;
}

static float lg_table[1024];
static void lg_build(void)
{
    for (size_t i = 0; i < 1024; i++) lg_table[i] = (float)log2(1.0 + (double)i);
}
/* log2(1 + x) for counts */
static inline float lg(double x) { return x >= 0 && x < 1024 && x == (double)(size_t)x ? lg_table[(size_t)x] : (float)log2(1.0 + x); }
static inline bool short_nopunct(const lfact *f) { return !f->blank && f->nwords <= 4 && f->end_kind != END_TERM; }

tamis_status tms_lines_features(tms_lines_worker *w, const tms_lines_corpus *corpus, const tms_lines_input *in,
                                const float **feat, const bool **blank, size_t *nlines)
{
    size_t nl;
    TMS_TRY(scan_doc(w, in, &nl));
    *nlines = nl;
    if (TMS_RESERVE(w->feat, w->featcap, nl * NF)) return TAMIS_E_NOMEM;
    if (TMS_RESERVE(w->blank, w->blankcap, nl)) return TAMIS_E_NOMEM;
    memset(w->feat, 0, nl * NF * sizeof *w->feat);

    /* the stop-word language: the document's own, else the list with most hits */
    int sl = in->lang ? stop_lang_index(in->lang, in->lang_len) : -1;
    if (sl < 0) {
        uint32_t hits[32] = {0};
        for (size_t i = 0; i < w->nwords; i++)
            for (uint32_t m = w->wstop[i]; m; m &= m - 1) hits[__builtin_ctz(m)]++;
        uint32_t best = 0;
        for (size_t l = 0; l < nstop_langs; l++)
            if (hits[l] > best) best = hits[l], sl = (int)l;
        if (best < 3 || best * 50 < w->nwords) sl = -1; /* too little evidence for any language */
    }
    size_t nonblank = 0, nterm = 0;
    TMS_TRY(dset_init(w, nl * 5));
    for (size_t i = 0; i < nl; i++) {
        lfact *f = &w->f[i];
        w->blank[i] = f->blank;
        if (f->blank) continue;
        nonblank++;
        nterm += f->end_kind == END_TERM;
        if (sl >= 0)
            for (uint32_t k = 0; k < f->nw; k++) f->nstop += (w->wstop[f->w0 + k] >> sl) & 1;
        dadd(w, kkey(f->h, K_LINE, 0));
        if (f->hlead) {
            dadd(w, kkey(f->hlead, K_LEAD, 0));
            dadd(w, kkey(f->htail, K_TAIL, 0));
        }
        if (f->hpre2) {
            dadd(w, kkey(f->hpre2, K_PRE2, 0));
            dadd(w, kkey(f->hsuf2, K_SUF2, 0));
        }
    }
    uint64_t site = site_of(in->url, in->url_len);
    float doc_lines = lg((double)nonblank), doc_term = nonblank ? (float)nterm / (float)nonblank : 0;

    /* per line: own features first; repeats, for the neighbours' */
    if (TMS_RESERVE(w->rep, w->repcap, nl)) return TAMIS_E_NOMEM;
    bool *rep = w->rep;
    memset(rep, 0, nl * sizeof *rep);
    for (size_t i = 0; i < nl; i++) {
        const lfact *f = &w->f[i];
        if (f->blank) continue;
        float *x = w->feat + i * NF;
        uint32_t nw = f->nwords;
        x[F_WORDS_0] = nw == 0;
        x[F_WORDS_1] = nw == 1;
        x[F_WORDS_2] = nw == 2;
        x[F_WORDS_3] = nw == 3;
        x[F_WORDS_4_5] = nw >= 4 && nw <= 5;
        x[F_WORDS_6_9] = nw >= 6 && nw <= 9;
        x[F_WORDS_10_19] = nw >= 10 && nw <= 19;
        x[F_WORDS_20_39] = nw >= 20 && nw <= 39;
        x[F_LOG_CHARS] = lg(f->nchars);
        x[F_END_TERM] = f->end_kind == END_TERM;
        x[F_END_ALNUM] = f->end_kind == END_ALNUM;
        x[F_END_COLON] = f->end_kind == END_COLON;
        x[F_START_UPPER] = f->start_upper;
        x[F_STOP_KNOWN] = sl >= 0;
        x[F_STOP_FRAC] = sl >= 0 && nw ? (float)f->nstop / (float)nw : 0;
        x[F_NO_STOP] = sl >= 0 && nw >= 4 && f->nstop == 0;
        x[F_END_ELLIPSIS] = f->end_kind == END_ELLIPSIS;
        x[F_TRUNCATED] = f->truncated;
        x[F_SEP_LOG] = lg(f->nsep);
        x[F_SEP_SHORT] = f->nsep >= 2 && nw <= 3 * (f->nsep + 1);
        x[F_CAPWORD_FRAC] = nw ? (float)f->ncap / (float)nw : 0;
        x[F_START_BULLET] = f->bullet;
        uint32_t visible = f->nchars - f->nspace;
        x[F_ALPHA_FRAC] = visible ? (float)f->nalpha / (float)visible : 0;
        x[F_DIGIT_FRAC] = visible ? (float)f->ndigit / (float)visible : 0;
        x[F_PUNCT_FRAC] = visible ? (float)f->npunct / (float)visible : 0;
        x[F_UPPER_FRAC] = f->nalpha ? (float)f->nupper / (float)f->nalpha : 0;
        x[F_DIGITWORD_FRAC] = nw ? (float)f->ndigitword / (float)nw : 0;
        x[F_URL] = f->url;
        x[F_PIPE_EDGE] = f->pipe_edge;
        for (int c = 0; c < TMS_LX_NCAT; c++) x[F_LX_COOKIE + c] = (f->lx >> c) & 1;
        unsigned dd = dget(w, kkey(f->h, K_LINE, 0));
        x[F_DUP_DOC] = dd > 1;
        x[F_DUP_DOC_SHORT] = dd > 1 && nw <= 5;
        if (f->hlead) {
            x[F_LEAD_DOC] = dget(w, kkey(f->hlead, K_LEAD, 0)) > 1;
            x[F_TAIL_DOC] = dget(w, kkey(f->htail, K_TAIL, 0)) > 1;
        }
        if (f->hpre2) {
            x[F_PRE2_DOC] = dget(w, kkey(f->hpre2, K_PRE2, 0)) > 1;
            x[F_SUF2_DOC] = dget(w, kkey(f->hsuf2, K_SUF2, 0)) > 1;
        }
        x[F_CURRENCY] = f->currency;
        if (corpus && (corpus->used || corpus->absent)) {
            /* this document was counted once in the first pass: the others are count - 1 */
            uint32_t c = corpus_count(corpus, kkey(f->h, K_LINE, 0));
            uint32_t other = c > 0 ? c - 1 : 0;
            x[F_CORPUS_LOG] = lg(other);
            x[F_CORPUS_REP] = other > 0;
            x[F_CORPUS_REP_SHORT] = other > 0 && nw <= 5;
            if (site) {
                uint32_t cs = corpus_count(corpus, kkey(f->h, K_LINE, site));
                x[F_SITE_LOG] = lg(cs > 0 ? cs - 1 : 0);
            }
            if (f->hlead) {
                uint32_t cl = corpus_count(corpus, kkey(f->hlead, K_LEAD, 0));
                uint32_t ct = corpus_count(corpus, kkey(f->htail, K_TAIL, 0));
                x[F_LEAD_CORPUS] = lg(cl > 0 ? cl - 1 : 0);
                x[F_TAIL_CORPUS] = lg(ct > 0 ? ct - 1 : 0);
            }
        }
        rep[i] = x[F_DUP_DOC] > 0 || x[F_CORPUS_REP] > 0 || x[F_LEAD_DOC] > 0 || x[F_LEAD_CORPUS] > 0;
        x[F_DOC_LINES] = doc_lines;
        x[F_DOC_TERM] = doc_term;
    }
    /* context: position among the non-blank lines, neighbours, runs */
    size_t k = 0;
    for (size_t i = 0; i < nl; i++) {
        const lfact *f = &w->f[i];
        if (f->blank) continue;
        float *x = w->feat + i * NF;
        x[F_POS_TOP] = k < 3;
        x[F_POS_BOTTOM] = nonblank - 1 - k < 3;
        x[F_POS_REL] = nonblank > 1 ? (float)k / (float)(nonblank - 1) : 0;
        k++;
        x[F_PREV_BLANK] = i > 0 && w->f[i - 1].blank;
        x[F_NEXT_BLANK] = i + 1 < nl && w->f[i + 1].blank;
        size_t pi = i, ni = i + 1;
        while (pi > 0 && w->f[pi - 1].blank) pi--;
        while (ni < nl && w->f[ni].blank) ni++;
        if (pi > 0) {
            const lfact *p = &w->f[pi - 1];
            const float *px = w->feat + (pi - 1) * NF;
            x[F_PREV_SHORT] = short_nopunct(p);
            x[F_PREV_WORDS] = lg(p->nwords);
            x[F_PREV_TERM] = p->end_kind == END_TERM;
            x[F_PREV_LX] = p->lx != 0;
            x[F_PREV_REP] = rep[pi - 1];
            x[F_PREV_TRUNC] = px[F_TRUNCATED];
        }
        if (ni < nl) {
            const lfact *q = &w->f[ni];
            const float *qx = w->feat + ni * NF;
            x[F_NEXT_SHORT] = short_nopunct(q);
            x[F_NEXT_WORDS] = lg(q->nwords);
            x[F_NEXT_TERM] = q->end_kind == END_TERM;
            x[F_NEXT_LX] = q->lx != 0;
            x[F_NEXT_REP] = rep[ni];
            x[F_NEXT_TRUNC] = qx[F_TRUNCATED];
            x[F_HEADING] = f->nwords >= 1 && f->nwords <= 12 && f->end_kind != END_TERM &&
                           f->end_kind != END_ELLIPSIS && q->nwords >= 20 && q->end_kind == END_TERM;
        }
    }
    /* runs of short lines without sentence punctuation (blank lines do not break a run) */
    for (size_t i = 0; i < nl;) {
        if (w->f[i].blank || !short_nopunct(&w->f[i])) {
            i++;
            continue;
        }
        size_t j = i, len = 0;
        while (j < nl && (w->f[j].blank || short_nopunct(&w->f[j]))) len += !w->f[j].blank, j++;
        for (size_t t = i; t < j; t++)
            if (!w->f[t].blank) w->feat[t * NF + F_RUN_SHORT] = lg(len - 1);
        i = j;
    }
    /* the document and a window of 3 non-blank lines on each side */
    double s_short = 0, s_pipe = 0, s_stop = 0, s_dup = 0, s_bullet = 0, s_words = 0;
    for (size_t i = 0; i < nl; i++) {
        const lfact *f = &w->f[i];
        if (f->blank) continue;
        const float *x = w->feat + i * NF;
        s_short += short_nopunct(f);
        s_pipe += f->pipe_edge;
        s_stop += x[F_STOP_FRAC];
        s_dup += x[F_DUP_DOC];
        s_bullet += f->bullet;
        s_words += lg(f->nwords);
    }
    double inv = nonblank ? 1.0 / (double)nonblank : 0;
    if (TMS_RESERVE(w->nbidx, w->nbcap, nonblank + 1)) return TAMIS_E_NOMEM;
    size_t *nb = w->nbidx;
    size_t m = 0;
    for (size_t i = 0; i < nl; i++)
        if (!w->f[i].blank) nb[m++] = i;
    for (size_t q = 0; q < m; q++) {
        size_t i = nb[q];
        const lfact *f = &w->f[i];
        float *x = w->feat + i * NF;
        x[F_DOC_SHORT] = (float)(s_short * inv);
        x[F_DOC_PIPE] = (float)(s_pipe * inv);
        x[F_DOC_STOP] = (float)(s_stop * inv);
        x[F_DOC_DUP] = (float)(s_dup * inv);
        x[F_DOC_BULLET] = (float)(s_bullet * inv);
        x[F_REL_WORDS] = (float)(lg(f->nwords) - s_words * inv);
        double ww = 0, wt = 0, wsp = 0, wsh = 0, wp = 0, wb = 0;
        size_t cnt = 0;
        for (size_t j = q >= 3 ? q - 3 : 0; j <= q + 3 && j < m; j++) {
            if (j == q) continue;
            const lfact *g = &w->f[nb[j]];
            ww += lg(g->nwords);
            wt += g->end_kind == END_TERM;
            wsp += w->feat[nb[j] * NF + F_STOP_FRAC];
            wsh += short_nopunct(g);
            wp += g->pipe_edge;
            wb += g->bullet;
            cnt++;
        }
        if (cnt) {
            double c = 1.0 / (double)cnt;
            x[F_WIN_WORDS] = (float)(ww * c);
            x[F_WIN_TERM] = (float)(wt * c);
            x[F_WIN_STOP] = (float)(wsp * c);
            x[F_WIN_SHORT] = (float)(wsh * c);
            x[F_WIN_PIPE] = (float)(wp * c);
            x[F_WIN_BULLET] = (float)(wb * c);
        }
    }
    *feat = w->feat;
    *blank = w->blank;
    return TAMIS_OK;
}

/* ==== The model: gradient-boosted trees (lines_model.h) ====
 * Complete binary trees of depth TMS_LINES_DEPTH: node n splits on
 * x[feat] < thr (left, 2n+1) else right (2n+2); the leaves' values add up to
 * the log-odds that the line is boilerplate. Every node also stores the mean
 * value of its training rows, so the change from a node to the child taken
 * is that split's contribution to the score: summed per feature group, the
 * largest names the reason (path attribution, as in Saabas's method). */

#define NSPLIT ((1 << TMS_LINES_DEPTH) - 1)

double tms_lines_score(const float *row) { return 1 / (1 + exp(-tms_lines_logodds(row))); }

double tms_lines_logodds(const float *row)
{
    double z = tms_lines_bias;
    for (size_t t = 0; t < TMS_LINES_NTREES; t++) {
        size_t n = 0;
        while (n < NSPLIT) n = row[tms_lines_split_feat[t][n]] < tms_lines_split_thr[t][n] ? 2 * n + 1 : 2 * n + 2;
        z += tms_lines_node_value[t][n];
    }
    /* the model's own threshold maps to 0.5 */
    double th = tms_lines_threshold;
    return z - log(th / (1 - th));
}

/* Features that describe the whole document (the same on every line): they
 * move every line's score, so they name no line's reason. */
static bool doc_wide(unsigned f)
{
    return f == F_DOC_LINES || f == F_DOC_TERM || f == F_DOC_SHORT || f == F_DOC_PIPE || f == F_DOC_STOP ||
           f == F_DOC_DUP || f == F_DOC_BULLET || f == F_STOP_KNOWN;
}

size_t tms_lines_reason_index(const float *row)
{
    double g[G_N] = {0};
    for (size_t t = 0; t < TMS_LINES_NTREES; t++) {
        size_t n = 0;
        while (n < NSPLIT) {
            unsigned f = tms_lines_split_feat[t][n];
            size_t c = row[f] < tms_lines_split_thr[t][n] ? 2 * n + 1 : 2 * n + 2;
            if (!doc_wide(f)) g[feat_group[f]] += (double)tms_lines_node_value[t][c] - (double)tms_lines_node_value[t][n];
            n = c;
        }
    }
    size_t best = G_CONTEXT; /* when no line evidence pushed up: the document as a whole did */
    for (size_t i = 0; i < G_N; i++)
        if (g[i] > g[best] || (best == G_CONTEXT && g[i] > 0 && g[best] <= 0)) best = i;
    return best;
}

