/*
 * words.h -- word and sentence splitting as the quality rules count them.
 *
 * A word is a byte span of the text: a tokenizer's token with surrounding
 * whitespace stripped, empty tokens dropped (datatrove's split_into_words).
 * Punctuation marks are words of their own. Text must be valid UTF-8 (the
 * stages repair it first when it is not).
 *
 * Tokenizers:
 *   TMS_TOK_SPACY_EN, TMS_TOK_SPACY_FR  spaCy 3.8's rule-based tokenizer of a
 *       blank "en"/"fr" pipeline and its sentencizer: what datatrove v0.10
 *       uses for English and French (rule set datatrove-current).
 *   TMS_TOK_NLTK  NLTK word_tokenize (Treebank rules) and a punkt-style
 *       sentence splitter: what FineWeb used in 2024 (rule set fineweb-2024).
 *   TMS_TOK_TAMIS  tamis's own script-aware splitter: words are runs of
 *       letters, digits and joiners; every CJK ideograph, kana run ... (see
 *       text/tamis_tok.c); punctuation marks are words of their own.
 */
#ifndef TMS_WORDS_H
#define TMS_WORDS_H
#include "../tamis_int.h"

typedef struct tms_span {
    uint32_t off, len;           /* bytes into the text */
} tms_span;

typedef struct tms_spans {
    tms_span *v;
    size_t n, cap;
} tms_spans;

TMS_NODISCARD tamis_status tms_spans_grow(tms_spans *s);
static inline tamis_status tms_spans_push(tms_spans *s, size_t off, size_t len)
{
    if (TMS_UNLIKELY(s->n == s->cap)) TMS_TRY(tms_spans_grow(s));
    s->v[s->n].off = (uint32_t)off;
    s->v[s->n].len = (uint32_t)len;
    s->n++;
    return TAMIS_OK;
}
void tms_spans_free(tms_spans *s);

typedef enum tms_tokenizer {
    TMS_TOK_SPACY_EN,
    TMS_TOK_SPACY_FR,
    TMS_TOK_NLTK,
    TMS_TOK_TAMIS,
} tms_tokenizer;

/* Replaces out's contents with the words of s[0..n). */
TMS_NODISCARD tamis_status tms_words(tms_tokenizer t, const char *s, size_t n, tms_spans *out);

/* Number of sentences of s[0..n) (the tokenizer's sentence splitter; sentences
 * that are empty after stripping whitespace are not counted). scratch is
 * working memory the caller keeps between calls. */
TMS_NODISCARD tamis_status tms_sentences(tms_tokenizer t, const char *s, size_t n, tms_spans *scratch, size_t *count);

/* Per-tokenizer entry points (tms_words / tms_sentences dispatch to them). */
TMS_NODISCARD tamis_status tms_spacy_words(int fr, const char *s, size_t n, tms_spans *out);
TMS_NODISCARD tamis_status tms_spacy_sentences(int fr, const char *s, size_t n, tms_spans *scratch, size_t *count);
TMS_NODISCARD tamis_status tms_nltk_words(const char *s, size_t n, tms_spans *out);
TMS_NODISCARD tamis_status tms_nltk_sentences(const char *s, size_t n, tms_spans *scratch, size_t *count);
TMS_NODISCARD tamis_status tms_tamis_words(const char *s, size_t n, tms_spans *out);
TMS_NODISCARD tamis_status tms_tamis_sentences(const char *s, size_t n, tms_spans *scratch, size_t *count);
#endif
