/*
 * stopwords.h -- the tamis stop-word lists, one per language (see
 * stopwords.c and docs/STOPWORDS.md).
 */
#ifndef TMS_STOPWORDS_H
#define TMS_STOPWORDS_H
#include "../tamis_int.h"

/* The tamis stop-word list for a language code (ISO 639-1 "de", or with a
 * region/script suffix "de-AT", "zh_Hans": matched on the primary subtag,
 * case-insensitive; ISO 639-2/3 codes such as "deu" or FineWeb-2's
 * "cmn_Hani" are accepted too); NULL if none. Words are lower-case UTF-8. */
const char *const *tms_stopwords(const char *lang, size_t lang_len, size_t *count);

/* Is word w (length n) in the list? Lists have at most 20 words: a linear
 * scan that looks at first bytes first. */
bool tms_stopwords_has(const char *const *list, size_t count, const char *w, size_t n);

/* The language whose list has the most hits among the words (runs of
 * letters, marks and digits, lower-cased) of the first
 * TMS_STOPWORDS_GUESS_BYTES of text, or NULL when no list has at least 3
 * hits and 2 % of the words: a cheap guess, not language identification. */
#define TMS_STOPWORDS_GUESS_BYTES 16384
const char *tms_stopwords_guess(const char *text, size_t len);

/* Languages that have a list, space-separated, for docs/--help. */
const char *tms_stopwords_languages(void);
#endif
