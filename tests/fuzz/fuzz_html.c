/* fuzz_html.c -- libFuzzer target for main-content extraction
 * (src/stage/extract/html.c) on any bytes made valid UTF-8 the way the
 * stage would (charset.c), and pages built from fragments: deep nesting,
 * unclosed tags, cut-off markup. Invariants: the call returns; the text is
 * valid UTF-8 without NUL bytes, holds no empty line and no line that starts
 * or ends with a blank; found is false exactly when there is no text; the
 * metadata strings are valid UTF-8; the same page twice (the tree reused)
 * gives the same text. */
#include "fuzz_common.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "stage/extract/charset.h"
#include "stage/extract/html.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s)
{
    if (s) CHECK(tms_utf8_valid_prefix(s, strlen(s)) == strlen(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tms_html *h;
    static tms_charset *c;
    if (!h) CHECK(tms_html_create(&h) == TAMIS_OK);
    if (!c) CHECK(tms_charset_create(&c) == TAMIS_OK);
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 30);
    const char *page, *name;
    size_t n;
    tms_charset_source src;
    uint64_t rep;
    CHECK(tms_charset_decode(c, (const char *)data, size, NULL, &b, &page, &n, &src, &name, &rep) == TAMIS_OK);
    if (src == TMS_CS_NONE) {
        tms_buf_free(&b);
        return 0;
    }
    tms_html_result r;
    CHECK(tms_html_extract(h, page, n, NULL, &r) == TAMIS_OK);
    fz_touch(r.text, r.len);
    CHECK(tms_utf8_valid_prefix(r.text, r.len) == r.len);
    CHECK(!memchr(r.text, 0, r.len));
    CHECK(r.found == (r.len > 0));
    for (size_t i = 0; i < r.len; i++) {
        if (r.text[i] != '\n') continue;
        CHECK(i > 0 && r.text[i - 1] != '\n');     /* no empty line */
        CHECK(r.text[i - 1] != ' ');               /* no trailing blank */
        CHECK(i + 1 < r.len && r.text[i + 1] != ' '); /* no leading blank, no final newline */
    }
    if (r.len) CHECK(r.text[0] != ' ' && r.text[r.len - 1] != ' ' && r.text[r.len - 1] != '\n');
    check_str(r.title), check_str(r.author), check_str(r.date_published);
    check_str(r.canonical_url), check_str(r.site_name), check_str(r.html_lang);
    /* the same page again, on the reused tree */
    tms_buf t;
    tms_buf_init(&t, (size_t)1 << 30);
    CHECK(tms_buf_add(&t, r.text, r.len) == TAMIS_OK);
    tms_html_result r2;
    CHECK(tms_html_extract(h, page, n, NULL, &r2) == TAMIS_OK);
    CHECK(r2.len == t.len && (!t.len || !memcmp(r2.text, t.data, t.len)));
    tms_buf_free(&t);
    tms_buf_free(&b);
    return 0;
}
