/*
 * extract_charset.c -- an HTML page's bytes to UTF-8 (src/stage/extract/
 * charset.c): BOMs, valid UTF-8 whatever the page claims, the HTTP charset
 * before the page's, a declaration past the spec's first 1024 bytes, labels
 * read the way browsers read them, detection when nothing is declared, a few
 * stray bytes in a UTF-8 page, and pages nothing decodes.
 */
#include "harness.h"
#include "../../src/stage/extract/charset.h"
#include "../../src/core/utf8.h"
#include <stdint.h>

static tms_charset *cs;
static tms_buf out;
static const char *text, *name;
static size_t len;
static tms_charset_source src;
static uint64_t replaced;

static tms_charset_source decode(const char *page, size_t n, const char *ct)
{
    CHECK(tms_charset_decode(cs, page, n, ct, &out, &text, &len, &src, &name, &replaced) == TAMIS_OK);
    if (src != TMS_CS_NONE) CHECK(tms_utf8_valid_prefix(text, len) == len);
    return src;
}

static int has(const char *s) { return src != TMS_CS_NONE && memmem(text, len, s, strlen(s)) != NULL; }

TEST(boms_and_utf8)
{
    const char u8bom[] = "\xEF\xBB\xBF<p>caf\xC3\xA9</p>";
    CHECK(decode(u8bom, sizeof u8bom - 1, NULL) == TMS_CS_BOM && len == sizeof u8bom - 4 && has("café"));
    const char u16[] = "\xFF\xFE<\0p\0>\0\xE9\0"; /* <p>é in UTF-16LE */
    CHECK(decode(u16, sizeof u16 - 1, NULL) == TMS_CS_BOM && !strcmp(name, "UTF-16LE") && has("<p>é"));
    /* after a UTF-8 BOM, a stray byte is U+FFFD, even with a declaration that says otherwise */
    const char u8bad[] = "\xEF\xBB\xBF<meta charset=windows-1252><p>caf\xE9</p>";
    CHECK(decode(u8bad, sizeof u8bad - 1, NULL) == TMS_CS_REPAIRED && replaced == 1 && !memcmp(text, "<meta", 5) &&
          has("caf\xEF\xBF\xBD</p>"));
    /* UTF-16 with an odd byte count: the cut last character is U+FFFD */
    const char u16odd[] = "\xFE\xFF\0<\0p\0>\0";
    CHECK(decode(u16odd, sizeof u16odd - 1, NULL) == TMS_CS_BOM && has("<p>\xEF\xBF\xBD"));
    /* valid UTF-8 is UTF-8, whatever the server and the page say */
    const char page[] = "<meta charset=iso-8859-1><p>caf\xC3\xA9</p>";
    CHECK(decode(page, sizeof page - 1, "text/html; charset=windows-1252") == TMS_CS_UTF8 && text == page);
}

TEST(declarations)
{
    const char lat[] = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
                       "</head><body><p>caf\xE9 \x80 \x9C</p></body></html>";
    /* latin1 is read as windows-1252, as browsers do: 0x80 is the euro sign */
    CHECK(decode(lat, sizeof lat - 1, NULL) == TMS_CS_META && !strcmp(name, "WINDOWS-1252") && has("café € œ"));
    /* the HTTP header comes first */
    const char l2[] = "<meta charset=\"koi8-r\"><p>\xE1\xE2</p>";
    CHECK(decode(l2, sizeof l2 - 1, "text/html;charset=\"windows-1251\"") == TMS_CS_HTTP && has("бв"));
    /* a header naming an encoding the bytes are not in: the page's own declaration */
    CHECK(decode(l2, sizeof l2 - 1, "text/html; charset=utf-16") == TMS_CS_META && !strcmp(name, "KOI8-R"));
    /* a declaration after 1024 bytes of head (1 page in 8 does that) */
    char late[4096];
    size_t k = (size_t)snprintf(late, sizeof late, "<html><head><script>%0*d</script><meta charset=windows-1250>"
                                "</head><p>\x9A\x9D\x9E \xB9</p>", 2000, 0);
    CHECK(decode(late, k, NULL) == TMS_CS_META && !strcmp(name, "WINDOWS-1250") && has("šťž ą"));
    /* the bytes a windows code page leaves unassigned are the C1 controls of the same value */
    const char c1[] = "<meta charset=windows-1252><p>a\x81z</p>";
    CHECK(decode(c1, sizeof c1 - 1, NULL) == TMS_CS_META && has("a\xC2\x81z"));
    const char c1b[] = "<meta charset=windows-1251><p>\xE1\x98\xE2</p>";
    CHECK(decode(c1b, sizeof c1b - 1, NULL) == TMS_CS_META && has("б\xC2\x98в"));
    /* a Shift_JIS page cut in its last character: U+FFFD for it, the rest decoded */
    const char cut[] = "<meta charset=shift_jis><p>\x89\x77\x91\x4F\x82";
    CHECK(decode(cut, sizeof cut - 1, NULL) == TMS_CS_META && has("<p>駅前\xEF\xBF\xBD"));
    /* labels */
    CHECK(!strcmp(tms_charset_label(" GB2312 ", 8), "GB18030"));
    CHECK(!strcmp(tms_charset_label("Shift_JIS", 9), "CP932"));
    CHECK(!strcmp(tms_charset_label("cp1251", 6), "WINDOWS-1251"));
    CHECK(!strcmp(tms_charset_label("\"utf-8\"", 7), "UTF-8"));
    CHECK(tms_charset_label("x-made-up", 9) == NULL);
}

TEST(detection_repair_and_refusal)
{
    /* nothing declared: uchardet */
    const char sjis[] = "<p>\x89\x77\x91\x4F\x82\xCC\x8B\x69\x92\x83\x93\x58\x82\xAA\x94\xBC\x94\x4E\x82\xCC\x89\xFC"
                        "\x91\x95\x8D\x48\x8E\x96\x82\xF0\x8F\x49\x82\xA6\x82\xC4\x8D\xC4\x8A\x4A\x82\xB5\x82\xDC"
                        "\x82\xB5\x82\xBD\x81\x42</p>";
    CHECK(decode(sjis, sizeof sjis - 1, NULL) == TMS_CS_DETECTED && has("駅前の喫茶店が"));
    /* a UTF-8 page with two stray Latin-1 bytes: repaired, counted */
    char page[8192];
    size_t k = (size_t)snprintf(page, sizeof page, "<meta charset=utf-8><p>K\xFC"
                                "chenblogs \xE4</p><p>%0*d \xC3\xA9t\xC3\xA9</p>", 3000, 0);
    CHECK(decode(page, k, NULL) == TMS_CS_REPAIRED && replaced == 2 && has("K\xEF\xBF\xBD" "chenblogs") && has("été"));
    /* mostly invalid "UTF-8": not repaired into noise (decoded from what the detector says, or refused) */
    char bad[600];
    memcpy(bad, "<meta charset=utf-8>", 20);
    for (size_t i = 20; i < sizeof bad; i++) bad[i] = (char)(i % 2 ? 0xC1 : 0xFF);
    CHECK(decode(bad, sizeof bad, NULL) != TMS_CS_REPAIRED);
}

int main(void)
{
    CHECK(tms_charset_create(&cs) == TAMIS_OK);
    tms_buf_init(&out, (size_t)1 << 30);
    RUN(boms_and_utf8);
    RUN(declarations);
    RUN(detection_repair_and_refusal);
    tms_buf_free(&out);
    tms_charset_free(cs);
    DONE("extract_charset");
}
