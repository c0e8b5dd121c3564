/* quality.c -- helpers shared by the quality stages (see quality.h). */
#include "quality.h"
#include "../core/alloc.h"
#include "../core/utf8.h"
#include "../text/stopwords.h"
#include <utf8proc.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

static char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

void tms_q_lang(const tms_quality_config *q, tms_doc *d, tms_qlang *out)
{
    memset(out, 0, sizeof *out);
    const char *dflt = q->default_lang;
    if (!strcmp(dflt, "auto")) {
        /* guessed once per text, from the stop words of the text as it is now */
        if (d->guess_text != d->text || d->guess_len != d->len) {
            d->lang_guess = tms_stopwords_guess(d->text, d->len);
            d->guess_text = d->text;
            d->guess_len = d->len;
        }
        dflt = d->lang_guess ? d->lang_guess : "en";
    }
    out->code = d->lang && d->lang_len ? d->lang : dflt;
    out->len = d->lang && d->lang_len ? d->lang_len : strlen(dflt);
    size_t k = 0;
    while (k < out->len && k < 3 && out->code[k] != '-' && out->code[k] != '_') {
        out->primary[k] = lower_ascii(out->code[k]);
        k++;
    }
    if (k < out->len && out->code[k] != '-' && out->code[k] != '_') k = 0; /* a longer subtag: no match */
    out->primary[k] = 0;
    if (!strcmp(out->primary, "eng")) strcpy(out->primary, "en");
    if (!strcmp(out->primary, "fra") || !strcmp(out->primary, "fre")) strcpy(out->primary, "fr");
    switch (q->rules) {
    case TMS_RULES_DATATROVE:
        if (!strcmp(out->primary, "en")) out->tok = TMS_TOK_SPACY_EN;
        else if (!strcmp(out->primary, "fr")) out->tok = TMS_TOK_SPACY_FR;
        else out->tok = TMS_TOK_TAMIS, out->fallback = true;
        break;
    case TMS_RULES_FINEWEB2024: out->tok = TMS_TOK_NLTK; break;
    case TMS_RULES_TAMIS: out->tok = TMS_TOK_TAMIS; break;
    }
}

tamis_status tms_q_create(const tms_config *cfg, tms_qctx **out)
{
    tms_qctx *c = tms_calloc(1, sizeof *c);
    if (!c) return TAMIS_E_NOMEM;
    c->q = &cfg->q;
    tms_buf_init(&c->repaired, SIZE_MAX / 8);
    *out = c;
    return TAMIS_OK;
}

void tms_q_free(tms_qctx *c)
{
    if (!c) return;
    tms_buf_free(&c->repaired);
    tms_spans_free(&c->words);
    tms_spans_free(&c->sents);
    tms_spans_free(&c->pieces);
    tms_qset_free(&c->set);
    tms_free(c->wh);
    tms_free(c->ph);
    tms_free(c->pw);
    tms_free(c->cpl);
    tms_free(c->wid);
    tms_free(c->grp);
    tms_free(c->level);
    tms_free(c->cand);
    tms_free(c->dup);
    tms_free(c->slot);
    tms_free(c);
}

tamis_status tms_q_worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)global;
    return tms_q_create(cfg, (tms_qctx **)out);
}

void tms_q_worker_free(void *w) { tms_q_free(w); }

tamis_status tms_q_text(tms_qctx *c, tms_doc *doc, const char **s, size_t *n)
{
    if (doc->text_valid || tms_utf8_valid_prefix(doc->text, doc->len) == doc->len) {
        doc->text_valid = true; /* later stages need not check again */
        *s = doc->text;
        *n = doc->len;
        return TAMIS_OK;
    }
    tms_buf_reset(&c->repaired);
    TMS_TRY(tms_utf8_append_repaired(&c->repaired, doc->text, doc->len, NULL));
    *s = c->repaired.data;
    *n = c->repaired.len;
    return TAMIS_OK;
}

tamis_status tms_q_words(tms_qctx *c, tms_doc *doc, tms_tokenizer tok, const char *s, size_t n, tms_spans *view)
{
    if (doc->words_tok == (int)tok + 1 && doc->words_text == s && doc->words_len == n) {
        *view = (tms_spans){doc->words, doc->nwords, doc->nwords};
        return TAMIS_OK;
    }
    TMS_TRY(tms_words(tok, s, n, &c->words));
    *view = c->words;
    if (s != doc->text) return TAMIS_OK; /* a repaired copy: not the document's text */
    tms_span *keep = tms_arena_alloc(doc->arena, c->words.n * sizeof *keep + 1);
    if (!keep) return TAMIS_E_NOMEM;
    if (c->words.n) memcpy(keep, c->words.v, c->words.n * sizeof *keep);
    doc->words = keep;
    doc->nwords = c->words.n;
    doc->words_text = s;
    doc->words_len = n;
    doc->words_tok = (int)tok + 1;
    return TAMIS_OK;
}

tamis_status tms_qset_reset(tms_qset *s, size_t expected)
{
    size_t cap = 16;
    while (cap < expected + expected / 2 + 1) cap *= 2; /* load at most 2/3 */
    if (cap > s->alloc) {
        tms_qslot *v = tms_malloc(cap * sizeof *v);
        if (!v) return TAMIS_E_NOMEM;
        tms_free(s->v);
        s->v = v;
        s->alloc = cap;
    }
    s->cap = cap; /* only the part in use is cleared and probed */
    memset(s->v, 0, cap * sizeof *s->v);
    return TAMIS_OK;
}

tamis_status tms_qset_rehash(tms_qset *s, size_t expected)
{
    size_t cap = 16;
    while (cap < expected + expected / 2 + 1) cap *= 2;
    if (cap <= s->cap) return TAMIS_OK;
    if (cap > s->spare_alloc) { /* kept across documents */
        tms_qslot *v = tms_malloc(cap * sizeof *v);
        if (!v) return TAMIS_E_NOMEM;
        tms_free(s->spare);
        s->spare = v;
        s->spare_alloc = cap;
    }
    tms_qslot *v = s->spare;
    memset(v, 0, cap * sizeof *v);
    for (size_t i = 0; i < s->cap; i++) {
        const tms_qslot *o = &s->v[i];
        if (!o->count) continue;
        size_t j = (size_t)((o->h * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1); /* as tms_qset_find */
        while (v[j].count) j = (j + 1) & (cap - 1);
        v[j] = *o;
    }
    size_t valloc = s->spare_alloc;
    s->spare = s->v;
    s->spare_alloc = s->alloc;
    s->v = v;
    s->alloc = valloc;
    s->cap = cap;
    return TAMIS_OK;
}

void tms_qset_free(tms_qset *s)
{
    tms_free(s->spare);
    s->spare = NULL;
    s->spare_alloc = 0;
    tms_free(s->v);
    s->v = NULL;
    s->cap = s->alloc = 0;
}

size_t tms_q_count(const char *s, size_t n, const char *pat, size_t m)
{
    size_t k = 0; /* memchr finds the candidates (glibc's memmem is slow for short needles) */
    const char *p = s, *end = s + n;
    while ((size_t)(end - p) >= m) {
        const char *f = memchr(p, pat[0], (size_t)(end - p) - m + 1);
        if (!f) break;
        if (!memcmp(f, pat, m)) {
            k++;
            p = f + m;
        } else {
            p = f + 1;
        }
    }
    return k;
}

uint64_t tms_q_hash(const char *p, size_t n) { return XXH3_64bits(p, n); }

typedef struct piece_eq {
    const char *s;
    const tms_spans *pieces;
    size_t cur;
} piece_eq;

static bool pieces_equal(void *ctx, uint32_t idx)
{
    piece_eq *e = ctx;
    const tms_span *a = &e->pieces->v[idx], *b = &e->pieces->v[e->cur];
    return a->len == b->len && memcmp(e->s + a->off, e->s + b->off, a->len) == 0;
}

tamis_status tms_q_find_duplicates(tms_qctx *c, const char *s, const tms_spans *pieces, size_t *dup_count,
                                   size_t *dup_chars)
{
    *dup_count = *dup_chars = 0;
    TMS_TRY(tms_qset_reset(&c->set, pieces->n));
    piece_eq e = {s, pieces, 0};
    for (size_t i = 0; i < pieces->n; i++) {
        const tms_span *p = &pieces->v[i];
        uint64_t h = tms_q_hash(s + p->off, p->len);
        e.cur = i;
        tms_qslot *sl = tms_qset_find(&c->set, h, pieces_equal, &e);
        if (sl->count) {
            sl->count++;
            (*dup_count)++;
            *dup_chars += tms_uni_len(s + p->off, p->len);
        } else {
            sl->h = h;
            sl->idx = (uint32_t)i;
            sl->count = 1;
        }
    }
    return TAMIS_OK;
}

size_t tms_q_lower(const char *w, size_t n, char *buf, size_t cap)
{
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char b = (unsigned char)w[i];
        if (b < 0x80) {
            if (o + 1 > cap) return 0;
            buf[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            i++;
            continue;
        }
        size_t nx;
        uint32_t c = tms_uni_next(w, n, i, &nx);
        c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
        if (o + 4 > cap) return 0;
        o += tms_utf8_encode(c, buf + o);
        i = nx;
    }
    return o;
}
