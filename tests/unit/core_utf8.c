/* core_utf8.c -- unit tests for src/core/utf8.c: validation, decoding,
 * encoding and repair with one U+FFFD per maximal invalid subpart. */
#include "harness.h"
#include "core/alloc.h"
#include "core/utf8.h"

#define FFFD "\xef\xbf\xbd"

static size_t vp(const char *s) { return tms_utf8_valid_prefix(s, strlen(s)); }

TEST(valid_prefix_valid_text)
{
    CHECK(tms_utf8_valid_prefix("", 0) == 0);
    CHECK(vp("hello, world") == 12);
    CHECK(vp("caf\xc3\xa9") == 5);                      /* 2-byte */
    CHECK(vp("\xe2\x82\xac 5") == 5);                   /* 3-byte */
    CHECK(vp("\xf0\x9f\x98\x80!") == 5);                /* 4-byte */
    CHECK(vp("\xc2\x80\xdf\xbf") == 4);                 /* 2-byte bounds U+0080, U+07FF */
    CHECK(vp("\xe0\xa0\x80\xef\xbf\xbf") == 6);         /* 3-byte bounds U+0800, U+FFFF */
    CHECK(vp("\xed\x9f\xbf\xee\x80\x80") == 6);         /* U+D7FF, U+E000 around the surrogates */
    CHECK(vp("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf") == 8); /* U+10000, U+10FFFF */
    /* NUL is valid UTF-8 */
    CHECK(tms_utf8_valid_prefix("a\0b", 3) == 3);
}

TEST(valid_prefix_stops_at_first_invalid)
{
    CHECK(vp("abc\xc0\x80") == 3);          /* overlong NUL */
    CHECK(vp("\xc1\xbf") == 0);             /* overlong 2-byte */
    CHECK(vp("ab\xe0\x80\x80") == 2);       /* overlong 3-byte */
    CHECK(vp("\xe0\x9f\xbf") == 0);         /* overlong U+07FF in 3 bytes */
    CHECK(vp("\xf0\x8f\xbf\xbf") == 0);     /* overlong 4-byte */
    CHECK(vp("x\xed\xa0\x80") == 1);        /* surrogate U+D800 */
    CHECK(vp("x\xed\xbf\xbf") == 1);        /* surrogate U+DFFF */
    CHECK(vp("\xf4\x90\x80\x80") == 0);     /* U+110000 */
    CHECK(vp("\xf5\x80\x80\x80") == 0);
    CHECK(vp("\xff") == 0);
    CHECK(vp("ok\x80") == 2);               /* lone continuation */
    CHECK(vp("ok\xe2\x82") == 2);           /* truncated 3-byte */
    CHECK(vp("ok\xf0\x9f\x98") == 2);       /* truncated 4-byte */
    CHECK(vp("ok\xc3") == 2);               /* truncated 2-byte */
    CHECK(vp("\xe2\x82" "A") == 0);
    /* the 8-byte ASCII fast path does not skip over an invalid byte */
    for (size_t at = 0; at < 24; at++) {
        char s[32];
        memset(s, 'a', sizeof s);
        s[at] = (char)0x80;
        CHECK(tms_utf8_valid_prefix(s, sizeof s) == at);
    }
    /* nor does it read past n */
    CHECK(tms_utf8_valid_prefix("abcdefgh\xff", 8) == 8);
    CHECK(tms_utf8_valid_prefix("abc\xe2\x82\xac", 5) == 3);
}

TEST(decode)
{
    int32_t cp;
    CHECK(tms_utf8_decode((const unsigned char *)"A", 1, &cp) == 1 && cp == 'A');
    CHECK(tms_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp) == 2 && cp == 0xE9);
    CHECK(tms_utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp) == 3 && cp == 0x20AC);
    CHECK(tms_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
    CHECK(tms_utf8_decode((const unsigned char *)"\xf4\x8f\xbf\xbf", 4, &cp) == 4 && cp == 0x10FFFF);
    /* invalid: -1 and the length of the maximal invalid subpart */
    CHECK(tms_utf8_decode((const unsigned char *)"\xc0\x80", 2, &cp) == 1 && cp == -1);
    CHECK(tms_utf8_decode((const unsigned char *)"\xe0\x80\x80", 3, &cp) == 1 && cp == -1);
    CHECK(tms_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp) == 1 && cp == -1);
    CHECK(tms_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp) == 1 && cp == -1);
    CHECK(tms_utf8_decode((const unsigned char *)"\xe2\x82" "A", 3, &cp) == 2 && cp == -1);
    CHECK(tms_utf8_decode((const unsigned char *)"\xf0\x9f\x98" "A", 4, &cp) == 3 && cp == -1);
    CHECK(tms_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 3, &cp) == 3 && cp == -1); /* n cuts it */
    CHECK(tms_utf8_decode((const unsigned char *)"\x80", 1, &cp) == 1 && cp == -1);
}

TEST(encode_round_trip)
{
    const uint32_t cps[] = {0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
    const size_t lens[] = {1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4};
    for (size_t i = 0; i < TMS_ARRAY_LEN(cps); i++) {
        char o[4];
        size_t k = tms_utf8_encode(cps[i], o);
        CHECK(k == lens[i]);
        int32_t cp;
        CHECK(tms_utf8_decode((const unsigned char *)o, k, &cp) == k && cp == (int32_t)cps[i]);
    }
    char o[4];
    CHECK(tms_utf8_encode(0xE9, o) == 2 && !memcmp(o, "\xc3\xa9", 2));
    CHECK(tms_utf8_encode(0x1F600, o) == 4 && !memcmp(o, "\xf0\x9f\x98\x80", 4));
}

static int repairs_to(const char *in, size_t n, const char *want, uint64_t want_rep)
{
    tms_buf b;
    tms_buf_init(&b, 1 << 16);
    uint64_t rep = 5; /* added to, not reset */
    tamis_status st = tms_utf8_append_repaired(&b, in, n, &rep);
    int ok = st == TAMIS_OK && b.len == strlen(want) && (b.len == 0 || !memcmp(b.data, want, b.len)) &&
             rep == 5 + want_rep;
    if (!ok) fprintf(stderr, "    got %zu bytes, %llu repaired\n", b.len, (unsigned long long)(rep - 5));
    tms_buf_free(&b);
    return ok;
}

TEST(append_repaired)
{
    CHECK(repairs_to("", 0, "", 0));
    CHECK(repairs_to("valid caf\xc3\xa9", 11, "valid caf\xc3\xa9", 0));
    CHECK(repairs_to("a\xff" "b", 3, "a" FFFD "b", 1));
    CHECK(repairs_to("\xc0\x80", 2, FFFD FFFD, 2));
    CHECK(repairs_to("\xe0\x80\x80", 3, FFFD FFFD FFFD, 3));
    CHECK(repairs_to("\xed\xa0\x80", 3, FFFD FFFD FFFD, 3));
    CHECK(repairs_to("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4));
    /* a truncated sequence is one maximal subpart, whatever follows it */
    CHECK(repairs_to("\xe2\x82" "A", 3, FFFD "A", 1));
    CHECK(repairs_to("\xf0\x9f\x98", 3, FFFD, 1));
    CHECK(repairs_to("\xf0\x9f\x98\xf0\x9f\x98\x80", 7, FFFD "\xf0\x9f\x98\x80", 1));
    /* the example of the Unicode standard (section 3.9, table 3-8) */
    CHECK(repairs_to("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64", 13,
                     "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d", 6));
    /* NULL counter */
    tms_buf b;
    tms_buf_init(&b, 64);
    CHECK(tms_utf8_append_repaired(&b, "\xff\xff", 2, NULL) == TAMIS_OK && b.len == 6);
    tms_buf_free(&b);
}

TEST(append_repaired_appends_and_caps)
{
    tms_buf b;
    tms_buf_init(&b, 8);
    CHECK(tms_buf_adds(&b, "ab") == TAMIS_OK);
    CHECK(tms_utf8_append_repaired(&b, "\xff", 1, NULL) == TAMIS_OK);
    CHECK(b.len == 5 && !memcmp(b.data, "ab" FFFD, 5));
    /* past the cap: TOO_BIG, not a silent cut */
    CHECK(tms_utf8_append_repaired(&b, "\xff\xff", 2, NULL) == TAMIS_E_TOO_BIG);
    tms_buf_free(&b);
    tms_buf_init(&b, 1024);
    tms_alloc_fail_at(1);
    CHECK(tms_utf8_append_repaired(&b, "x\xff", 2, NULL) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    tms_buf_free(&b);
}

int main(void)
{
    RUN(valid_prefix_valid_text);
    RUN(valid_prefix_stops_at_first_invalid);
    RUN(decode);
    RUN(encode_round_trip);
    RUN(append_repaired);
    RUN(append_repaired_appends_and_caps);
    DONE("core_utf8");
}
