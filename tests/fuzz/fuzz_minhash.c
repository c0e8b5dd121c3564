/* fuzz_minhash.c -- libFuzzer target for near-duplicate signatures
 * (src/text/minhash.c: simplify_text's number, punctuation, whitespace and
 * NFD passes; shingles; both shingle hashes) on arbitrary bytes. Byte 0 picks
 * the tokenizer, the shingle hash and the n-gram size.
 * Invariants: the simplified text is valid UTF-8, no longer than 4x the input, has no
 * leading or trailing space and no ASCII digit other than '0'; simplifying
 * it again never lengthens it; a signature exists exactly when there are n words; every value
 * is below 2^61 - 1; the same input gives the same signature twice. */
#include "fuzz_common.h"
#include "text/minhash.h"
#include "text/words.h"
#include "core/utf8.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static tms_minhash_params p;
    static tms_buf out, again, scratch, sh;
    static tms_spans w;
    static bool init;
    if (!init) {
        tms_buf_init(&out, 1 << 26);
        tms_buf_init(&again, 1 << 26);
        tms_buf_init(&scratch, 1 << 26);
        tms_buf_init(&sh, 1 << 26);
        init = true;
    }
    uint8_t k = data[0];
    static const tms_tokenizer toks[] = {TMS_TOK_TAMIS, TMS_TOK_SPACY_EN, TMS_TOK_SPACY_FR, TMS_TOK_NLTK};
    tms_minhash_params_init(&p, 1, 112, 1 + (k >> 4) % 8, (k & 4) ? TMS_SHINGLE_SHA1 : TMS_SHINGLE_XXH64);
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    CHECK(tms_minhash_simplify(s, n, &out, &scratch) == TAMIS_OK);
    CHECK(out.len <= 4 * n + 4);
    if (out.len) CHECK(out.data[0] != ' ' && out.data[out.len - 1] != ' ');
    for (size_t i = 0; i < out.len; i++) CHECK(!(out.data[i] >= '1' && out.data[i] <= '9'));
    /* simplifying again never makes it longer */
    CHECK(tms_minhash_simplify(out.data ? out.data : "", out.len, &again, &scratch) == TAMIS_OK);
    CHECK(again.len <= out.len);
    /* always valid UTF-8, as the word splitters want */
    tms_tokenizer tok = toks[k & 3];
    CHECK(tms_utf8_valid_prefix(out.data ? out.data : "", out.len) == out.len);
    CHECK(tms_words(tok, out.data ? out.data : "", out.len, &w) == TAMIS_OK);
    uint64_t sig[112], sig2[112];
    bool has, has2;
    CHECK(tms_minhash_signature(&p, out.data, w.v, w.n, sig, &has, &sh) == TAMIS_OK);
    CHECK(has == (w.n >= p.ngram));
    for (size_t i = 0; has && i < 112; i++) CHECK(sig[i] < (UINT64_C(1) << 61) - 1);
    CHECK(tms_minhash_signature(&p, out.data, w.v, w.n, sig2, &has2, &sh) == TAMIS_OK);
    CHECK(has == has2 && (!has || !memcmp(sig, sig2, sizeof sig)));
    return 0;
}
