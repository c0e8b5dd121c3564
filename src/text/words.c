/* words.c -- tokenizer dispatch and the span vector. */
#include "words.h"
#include "../core/alloc.h"

tamis_status tms_spans_grow(tms_spans *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    tms_span *v = tms_realloc(s->v, cap * sizeof *v);
    if (!v) return TAMIS_E_NOMEM;
    s->v = v;
    s->cap = cap;
    return TAMIS_OK;
}

void tms_spans_free(tms_spans *s)
{
    tms_free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

tamis_status tms_words(tms_tokenizer t, const char *s, size_t n, tms_spans *out)
{
    out->n = 0;
    switch (t) {
    case TMS_TOK_SPACY_EN: return tms_spacy_words(0, s, n, out);
    case TMS_TOK_SPACY_FR: return tms_spacy_words(1, s, n, out);
    case TMS_TOK_NLTK: return tms_nltk_words(s, n, out);
    case TMS_TOK_TAMIS: return tms_tamis_words(s, n, out);
    }
    return TAMIS_E_INTERNAL;
}

tamis_status tms_sentences(tms_tokenizer t, const char *s, size_t n, tms_spans *scratch, size_t *count)
{
    scratch->n = 0;
    *count = 0;
    switch (t) {
    case TMS_TOK_SPACY_EN: return tms_spacy_sentences(0, s, n, scratch, count);
    case TMS_TOK_SPACY_FR: return tms_spacy_sentences(1, s, n, scratch, count);
    case TMS_TOK_NLTK: return tms_nltk_sentences(s, n, scratch, count);
    case TMS_TOK_TAMIS: return tms_tamis_sentences(s, n, scratch, count);
    }
    return TAMIS_E_INTERNAL;
}
