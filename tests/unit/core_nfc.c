/* core_nfc.c -- unit tests for src/core/nfc.c: the NFC-unsafe bitmap and
 * normalizing the tail of a buffer. */
#include "harness.h"
#include "core/alloc.h"
#include "core/nfc.h"
#include "core/utf8.h"
#include <stdlib.h>
#include <utf8proc.h>

TEST(unsafe_ascii_latin1_safe)
{
    for (int32_t cp = 0; cp < 0x300; cp++) CHECK(!tms_nfc_unsafe(cp));
    CHECK(!tms_nfc_unsafe('e'));
    CHECK(!tms_nfc_unsafe(0xE9));   /* é precomposed */
    CHECK(!tms_nfc_unsafe(0x4E00)); /* CJK */
    CHECK(!tms_nfc_unsafe(0x1F600));
    CHECK(!tms_nfc_unsafe(0xAC00)); /* a precomposed Hangul syllable is NFC */
    CHECK(!tms_nfc_unsafe(0x1100)); /* a leading jamo L only starts a composition */
}

TEST(unsafe_marks_and_composers)
{
    CHECK(tms_nfc_unsafe(0x301));  /* combining acute (ccc 230) */
    CHECK(tms_nfc_unsafe(0x323));  /* combining dot below (ccc 220) */
    CHECK(tms_nfc_unsafe(0x3099)); /* kana voiced mark */
    /* Hangul jamo V and T compose with what precedes them */
    CHECK(tms_nfc_unsafe(0x1161));
    CHECK(tms_nfc_unsafe(0x1175));
    CHECK(tms_nfc_unsafe(0x11A8));
    CHECK(tms_nfc_unsafe(0x11C2));
    /* characters NFC rewrites: singletons and composition exclusions */
    CHECK(tms_nfc_unsafe(0x212B)); /* ANGSTROM SIGN -> U+00C5 */
    CHECK(tms_nfc_unsafe(0x2126)); /* OHM SIGN -> U+03A9 */
    CHECK(tms_nfc_unsafe(0x0958)); /* DEVANAGARI QA: excluded from composition */
    /* a starter (ccc 0) that composes as the second character */
    CHECK(tms_nfc_unsafe(0x0B3E)); /* ORIYA AA: U+0B47 U+0B3E -> U+0B4B */
    CHECK(tms_nfc_unsafe(0x0CD5));
}

TEST(marks_that_never_compose)
{
    /* a mark that is no second half of any composition passes the quick
     * check (NFC_QC Yes); only its combining class matters */
    tms_nfc_init();
    CHECK(!tms_nfc_unsafe(0x305)); /* COMBINING OVERLINE */
    CHECK(tms_nfc_has_ccc(0x305) && tms_nfc_ccc(0x305) == 230);
    CHECK(tms_nfc_has_ccc(0x323) && tms_nfc_ccc(0x323) == 220);
    CHECK(!tms_nfc_has_ccc('a') && !tms_nfc_has_ccc(0xE9) && !tms_nfc_has_ccc(0x1161));
}

static int nfc_differs(utf8proc_option_t opt, int32_t cp)
{
    uint8_t in[4], *out = NULL;
    utf8proc_ssize_t k = utf8proc_encode_char(cp, in);
    utf8proc_ssize_t m = utf8proc_map(in, k, &out, UTF8PROC_STABLE | opt);
    int differs = m != k || memcmp(in, out, (size_t)k) != 0;
    free(out);
    return differs;
}

/* every code point that NFC changes on its own must be unsafe, and every
 * mark must be known with its combining class */
TEST(unsafe_covers_utf8proc)
{
    tms_nfc_init();
    int missed = 0, musts = 0, marks = 0, badccc = 0;
    for (int32_t cp = 0x300; cp < 0x30000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        if (cp == 0x3400) cp = 0xA000;   /* skip the big CJK blocks to stay fast */
        if (cp == 0x20000) cp = 0x2F800;
        const utf8proc_property_t *pr = utf8proc_get_property(cp);
        if (pr->category == UTF8PROC_CATEGORY_CN) continue;
        if (pr->combining_class != 0) {
            marks++;
            if (!tms_nfc_has_ccc(cp) || tms_nfc_ccc(cp) != pr->combining_class) badccc++;
        } else if (tms_nfc_has_ccc(cp)) {
            badccc++;
        }
        if (pr->decomp_seqindex == UINT16_MAX && !(cp >= 0xAC00 && cp <= 0xD7A3)) continue;
        if (nfc_differs(UTF8PROC_COMPOSE, cp)) {
            musts++;
            if (!tms_nfc_unsafe(cp) && missed++ < 5)
                fprintf(stderr, "    U+%04X changes under NFC but is not marked\n", (unsigned)cp);
        }
    }
    CHECK(missed == 0);
    CHECK(badccc == 0);
    CHECK(musts > 1000 && marks > 500); /* the loop really saw them */
}

/* the decomposed form of a composed character is not NFC, so some code
 * point after its first must make the quick check fail */
TEST(unsafe_covers_decompositions)
{
    int checked = 0, missed = 0;
    for (int32_t cp = 0xC0; cp < 0x30000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        if (cp == 0xD7A4) cp = 0xF900;
        if (cp == 0x11000) cp = 0x1D100;
        if (cp == 0x1D200) break;
        if (nfc_differs(UTF8PROC_COMPOSE, cp) || !nfc_differs(UTF8PROC_DECOMPOSE, cp)) continue;
        uint8_t in[4], *nfd = NULL;
        utf8proc_ssize_t k = utf8proc_encode_char(cp, in);
        utf8proc_ssize_t m = utf8proc_map(in, k, &nfd, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
        bool any = false;
        utf8proc_int32_t c;
        utf8proc_ssize_t i = utf8proc_iterate(nfd, m, &c); /* the first code point may stay */
        for (i = i > 0 ? i : m; i < m;) {
            utf8proc_ssize_t step = utf8proc_iterate(nfd + i, m - i, &c);
            if (step <= 0) break;
            any |= tms_nfc_unsafe(c);
            i += step;
        }
        free(nfd);
        checked++;
        if (!any && missed++ < 5) fprintf(stderr, "    NFD of U+%04X would be left alone\n", (unsigned)cp);
    }
    CHECK(missed == 0);
    CHECK(checked > 12000); /* Latin, Greek, Cyrillic, Indic, Hangul ... */
}

/* normalizes in[0..n) appended after prefix; checks the result and *changed */
static int nfc_is(const char *prefix, const char *in, const char *want, bool want_changed)
{
    tms_buf b;
    tms_buf_init(&b, 1 << 16);
    if (tms_buf_adds(&b, prefix) != TAMIS_OK || tms_buf_adds(&b, in) != TAMIS_OK) return 0;
    bool changed = false;
    tamis_status st = tms_nfc_tail(&b, strlen(prefix), &changed);
    size_t pl = strlen(prefix);
    int ok = st == TAMIS_OK && changed == want_changed && b.len == pl + strlen(want) &&
             !memcmp(b.data, prefix, pl) && !memcmp(b.data + pl, want, strlen(want)) && b.data[b.len] == 0;
    if (!ok) {
        fprintf(stderr, "    st %d changed %d, got:", st, changed);
        for (size_t i = 0; i < b.len; i++) fprintf(stderr, " %02x", (unsigned char)b.data[i]);
        fprintf(stderr, "\n");
    }
    tms_buf_free(&b);
    return ok;
}

TEST(tail_composes)
{
    CHECK(nfc_is("", "e\xcc\x81", "\xc3\xa9", true));                      /* e + U+0301 -> é */
    CHECK(nfc_is("", "Cafe\xcc\x81!", "Caf\xc3\xa9!", true));
    CHECK(nfc_is("", "\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80", true));   /* L + V -> U+AC00 */
    CHECK(nfc_is("", "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", "\xea\xb0\x81", true)); /* L+V+T -> U+AC01 */
    CHECK(nfc_is("", "\xea\xb0\x80\xe1\x86\xa8", "\xea\xb0\x81", true));   /* LV + T -> LVT */
    CHECK(nfc_is("", "\xe2\x84\xab", "\xc3\x85", true));                   /* U+212B -> U+00C5 */
    CHECK(nfc_is("", "\xe0\xa5\x98", "\xe0\xa4\x95\xe0\xa4\xbc", true));   /* U+0958 -> U+0915 U+093C */
    /* marks are put in canonical order, then composed where possible */
    CHECK(nfc_is("", "a\xcc\x81\xcc\xa3", "\xe1\xba\xa1\xcc\x81", true)); /* a U+0301 U+0323 -> U+1EA1 U+0301 */
}

TEST(tail_leaves_nfc_alone)
{
    CHECK(nfc_is("", "caf\xc3\xa9", "caf\xc3\xa9", false));
    CHECK(nfc_is("", "plain ascii", "plain ascii", false));
    CHECK(nfc_is("", "\xea\xb0\x81 \xe4\xb8\x80", "\xea\xb0\x81 \xe4\xb8\x80", false));
    /* a lone mark after a space stays as it is */
    CHECK(nfc_is("", " \xcc\x81", " \xcc\x81", false));
    CHECK(nfc_is("", "", "", false));
}

TEST(tail_only_touches_the_tail)
{
    /* the prefix is not normalized even when it is not NFC */
    CHECK(nfc_is("e\xcc\x81|", "e\xcc\x81", "\xc3\xa9", true));
    CHECK(nfc_is("e\xcc\x81|", "ok", "ok", false));
    /* a tail that starts with a mark cannot reach into the prefix */
    CHECK(nfc_is("e", "\xcc\x81", "\xcc\x81", false));
}

TEST(tail_errors)
{
    /* NFC may grow the text: past the buffer's cap it is TOO_BIG */
    tms_buf b;
    tms_buf_init(&b, 4);
    CHECK(tms_buf_adds(&b, "\xe0\xa5\x98") == TAMIS_OK);
    bool changed = false;
    CHECK(tms_nfc_tail(&b, 0, &changed) == TAMIS_E_TOO_BIG);
    tms_buf_free(&b);
    /* and out of memory when the buffer cannot grow */
    tms_buf_init(&b, 1 << 20);
    char text[256 * 3];
    for (int i = 0; i < 256; i++) memcpy(text + 3 * i, "\xe0\xa5\x98", 3); /* 768 bytes -> 1536 */
    CHECK(tms_buf_add(&b, text, sizeof text) == TAMIS_OK);
    size_t cap = b.cap;
    tms_alloc_fail_at(1);
    tamis_status st = tms_nfc_tail(&b, 0, &changed);
    tms_alloc_fail_at(0);
    CHECK(cap < 1536);
    CHECK(st == TAMIS_E_NOMEM);
    tms_buf_free(&b);
}

int main(void)
{
    RUN(unsafe_ascii_latin1_safe);
    RUN(unsafe_marks_and_composers);
    RUN(marks_that_never_compose);
    RUN(unsafe_covers_utf8proc);
    RUN(unsafe_covers_decompositions);
    RUN(tail_composes);
    RUN(tail_leaves_nfc_alone);
    RUN(tail_only_touches_the_tail);
    RUN(tail_errors);
    DONE("core_nfc");
}
