/* text_minhash.c -- unit tests for src/text/minhash.c: datatrove's
 * simplify_text step by step, numpy's MT19937 and bounded integers, the
 * shingle hashes (XXH64 and SHA-1 against their published test vectors),
 * and the signature's invariants. (Bit-for-bit agreement with datatrove's
 * own signatures is tests/golden/minhash.py.) */
#include "harness.h"
#include "text/minhash.h"
#include "text/words.h"
#include <stdint.h>

static tms_buf out, scratch;

static const char *simplify(const char *s)
{
    CHECK(tms_minhash_simplify(s, strlen(s), &out, &scratch) == TAMIS_OK);
    CHECK(tms_buf_add(&out, "", 1) == TAMIS_OK); /* NUL-terminate */
    return out.data;
}

TEST(simplify_steps)
{
    CHECK(!strcmp(simplify("Hello, World!"), "hello world"));
    /* a run of digits, with at most one inner separator followed by digits */
    CHECK(!strcmp(simplify("pi is 3.14159 and 1,234,567 people"), "pi is 0 and 0 0 people"));
    CHECK(!strcmp(simplify("in 2024."), "in 0"));
    CHECK(!strcmp(simplify("v2.0.1"), "v0 0"));
    CHECK(!strcmp(simplify("١٢٣٫٤٥ and ４２"), "0 and 0")); /* Arabic-Indic and full-width digits */
    /* accents: NFD, then combining marks dropped */
    CHECK(!strcmp(simplify("Élève à l'école"), "eleve a l ecole"));
    /* whitespace runs, ends, NBSP */
    CHECK(!strcmp(simplify("  a \t\n b\xc2\xa0\xc2\xa0 c  "), "a b c"));
    /* empty and punctuation only */
    CHECK(!strcmp(simplify(""), ""));
    CHECK(!strcmp(simplify("...!?"), ""));
    /* non-Latin letters are kept, lower-cased */
    CHECK(!strcmp(simplify("ΑΘΗΝΑ Москва"), "αθηνα москва"));
}

TEST(numpy_parameters)
{
    static tms_minhash_params p, q;
    tms_minhash_params_init(&p, 1, 112, 5, TMS_SHINGLE_XXH64);
    tms_minhash_params_init(&q, 1, 112, 5, TMS_SHINGLE_XXH64);
    bool in_range = true, same = true;
    for (size_t i = 0; i < 112; i++) {
        in_range &= p.a[i] >= 1 && p.a[i] < (UINT64_C(1) << 61) - 1 && p.b[i] < (UINT64_C(1) << 61) - 1;
        same &= p.a[i] == q.a[i] && p.b[i] == q.b[i];
    }
    CHECK(in_range && same);
    tms_minhash_params_init(&q, 2, 112, 5, TMS_SHINGLE_XXH64);
    CHECK(q.a[0] != p.a[0]);
}

TEST(shingle_hashes)
{
    /* XXH64 of "" with seed 0, and SHA-1("abc") = a9993e36 4706816a ...,
     * whose first 8 bytes read little-endian are 0x6a81064736 3e99a9 */
    CHECK(tms_minhash_shingle(TMS_SHINGLE_XXH64, "", 0) == UINT64_C(0xEF46DB3751D8E999));
    CHECK(tms_minhash_shingle(TMS_SHINGLE_SHA1, "abc", 3) == UINT64_C(0x6a810647363e99a9));
    /* a message over one 64-byte block */
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* SHA-1: 84983e44 1c3bd26e ... */
    CHECK(tms_minhash_shingle(TMS_SHINGLE_SHA1, m, strlen(m)) == UINT64_C(0x6ed23b1c443e9884));
}

static bool sig_of(const tms_minhash_params *p, const char *text, uint64_t *sig)
{
    static tms_spans w;
    const char *s = simplify(text);
    CHECK(tms_words(TMS_TOK_TAMIS, s, strlen(s), &w) == TAMIS_OK);
    bool has;
    static tms_buf sc;
    CHECK(tms_minhash_signature(p, s, w.v, w.n, sig, &has, &sc) == TAMIS_OK);
    return has;
}

TEST(signature_invariants)
{
    static tms_minhash_params p;
    tms_minhash_params_init(&p, 1, 112, 5, TMS_SHINGLE_XXH64);
    uint64_t a[112], b[112];
    CHECK(!sig_of(&p, "only four words here", a));
    CHECK(sig_of(&p, "now there are five words", a));
    /* case and punctuation do not matter */
    CHECK(sig_of(&p, "The cat sat on the mat, and the dog sat on the rug.", a));
    CHECK(sig_of(&p, "the CAT sat on the mat and the dog sat on the rug", b));
    CHECK(!memcmp(a, b, sizeof a));
    /* one more shingle can only lower values */
    CHECK(sig_of(&p, "the cat sat on the mat and the dog sat on the rug today", b));
    bool lower_or_equal = true, changed = false;
    for (int i = 0; i < 112; i++) lower_or_equal &= b[i] <= a[i], changed |= b[i] != a[i];
    CHECK(lower_or_equal && changed);
    /* every value is below the Mersenne prime */
    bool below = true;
    for (int i = 0; i < 112; i++) below &= a[i] < (UINT64_C(1) << 61) - 1;
    CHECK(below);
}

int main(void)
{
    tms_buf_init(&out, 1 << 24);
    tms_buf_init(&scratch, 1 << 24);
    RUN(simplify_steps);
    RUN(numpy_parameters);
    RUN(shingle_hashes);
    RUN(signature_invariants);
    tms_buf_free(&out);
    tms_buf_free(&scratch);
    DONE("text_minhash");
}
