/*
 * minhash.h -- MinHash signatures as datatrove computes them (its
 * MinhashDedupSignature with the default MinhashConfig), bit for bit:
 *   1. simplify_text: lower case; a run of decimal digits, with at most one
 *      inner separator [.,،٫⎖⎗⎘] followed by digits, becomes "0"; every
 *      character of datatrove's PUNCTUATION becomes a space; whitespace runs
 *      become one space and the ends are stripped; NFD, then combining marks
 *      (Mn) are dropped; stripped again.
 *   2. words of the simplified text (the caller's tokenizer: spaCy for the
 *      reference, tamis's splitter by default);
 *   3. shingles: every N consecutive words joined by one space, hashed with
 *      XXH64 (seed 0) or the first 8 bytes of SHA-1 read little-endian;
 *   4. hash i of the signature: min over shingles of
 *      ((s * a[i] + b[i]) mod 2^64) mod (2^61 - 1)  -- numpy's uint64
 *      arithmetic wraps before the Mersenne modulus, and so does this --
 *      with a[], b[] drawn as numpy's RandomState(seed).randint does
 *      (MT19937, masked rejection), all a first, then all b.
 * A text with fewer than N words has no signature.
 */
#ifndef TMS_MINHASH_H
#define TMS_MINHASH_H
#include "../core/buf.h"
#include "words.h"

#define TMS_MINHASH_MAX 1024   /* most hashes per signature */

typedef enum tms_shingle_hash { TMS_SHINGLE_XXH64, TMS_SHINGLE_SHA1 } tms_shingle_hash;

typedef struct tms_minhash_params {
    size_t nhashes;            /* bands * rows, <= TMS_MINHASH_MAX */
    size_t ngram;              /* words per shingle */
    tms_shingle_hash hash;
    uint64_t a[TMS_MINHASH_MAX], b[TMS_MINHASH_MAX];
} tms_minhash_params;

/* Draws the permutations numpy's RandomState(seed) gives datatrove. */
void tms_minhash_params_init(tms_minhash_params *p, uint32_t seed, size_t nhashes, size_t ngram,
                             tms_shingle_hash hash);

/* datatrove's simplify_text of s[0..n) into out (replaced). out is always
 * valid UTF-8: an invalid byte of s becomes U+FFFD. */
TMS_NODISCARD tamis_status tms_minhash_simplify(const char *s, size_t n, tms_buf *out, tms_buf *scratch);

/* The signature of words (spans of text): sig[0..nhashes). *has_sig is false
 * when there are fewer than ngram words. scratch holds a shingle's bytes. */
TMS_NODISCARD tamis_status tms_minhash_signature(const tms_minhash_params *p, const char *text, const tms_span *words,
                                                 size_t nwords, uint64_t *sig, bool *has_sig, tms_buf *scratch);

/* The hash of one shingle's bytes. */
uint64_t tms_minhash_shingle(tms_shingle_hash h, const char *s, size_t n);
#endif
