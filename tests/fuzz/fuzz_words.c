/* fuzz_words.c -- libFuzzer target for the word and sentence splitters
 * (src/text/): spaCy en and fr, NLTK, tamis. The input is the text itself,
 * valid UTF-8 or not. Invariants: every word is a non-empty span inside the
 * text, after the previous one, with no Python whitespace at either end, and
 * on valid UTF-8 it starts and ends on code point boundaries; the sentence
 * count is at most the number of non-blank bytes; splitting the same text
 * twice gives the same words. */
#include "fuzz_common.h"
#include "core/utf8.h"
#include "text/uni.h"
#include "text/words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool boundary(const char *s, size_t n, size_t i)
{
    return i == 0 || i == n || ((unsigned char)s[i] & 0xC0) != 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool valid = tms_utf8_valid_prefix(s, size) == size;
    static const tms_tokenizer toks[] = {TMS_TOK_SPACY_EN, TMS_TOK_SPACY_FR, TMS_TOK_NLTK, TMS_TOK_TAMIS};
    tms_spans w = {0}, again = {0}, scratch = {0};
    for (size_t t = 0; t < sizeof toks / sizeof *toks; t++) {
        if (tms_words(toks[t], s, size, &w) != TAMIS_OK) continue; /* out of memory: nothing to check */
        size_t end = 0;
        for (size_t k = 0; k < w.n; k++) {
            size_t off = w.v[k].off, len = w.v[k].len;
            CHECK(len > 0);
            CHECK(off >= end && off + len <= size);
            end = off + len;
            fz_touch(s + off, len);
            if (valid) {
                CHECK(boundary(s, size, off) && boundary(s, size, off + len));
                size_t nx, st;
                CHECK(!tms_uni_isspace(tms_uni_next(s, size, off, &nx)));
                CHECK(!tms_uni_isspace(tms_uni_prev(s, off + len, &st)));
            }
        }
        if (tms_words(toks[t], s, size, &again) == TAMIS_OK) {
            CHECK(again.n == w.n);
            CHECK(!w.n || !memcmp(again.v, w.v, w.n * sizeof *w.v));
        }
        size_t count = 0;
        if (tms_sentences(toks[t], s, size, &scratch, &count) == TAMIS_OK) CHECK(count <= size);
    }
    tms_spans_free(&w);
    tms_spans_free(&again);
    tms_spans_free(&scratch);
    return 0;
}
