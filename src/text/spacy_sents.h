/*
 * spacy_sents.h -- the spaCy emulation's sentence spans, for tests and
 * tools that want the boundaries and not only tms_spacy_sentences' count.
 */
#ifndef TMS_SPACY_SENTS_H
#define TMS_SPACY_SENTS_H
#include "words.h"

/* Appends to sents the byte span of every sentence of s[0..n) as the
 * sentencizer cuts it (Span.text: whitespace tokens included, nothing
 * stripped, sentences of whitespace only included). scratch receives the
 * word spans. */
TMS_NODISCARD tamis_status tms_spacy_sentence_spans(int fr, const char *s, size_t n, tms_spans *scratch,
                                                    tms_spans *sents);
#endif
