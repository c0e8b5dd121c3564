/* fuzz_charset.c -- libFuzzer target for the extract stage's charset
 * decoding (src/stage/extract/charset.c). The first byte picks an HTTP
 * Content-Type (none, a charset the page may contradict, a bogus one); the
 * rest is the page. Invariants: a decoded page is valid UTF-8 and its
 * source and name agree (UTF-8 sources give the input back, a converted one
 * names its charset); decoding the same bytes twice gives the same answer. */
#include "fuzz_common.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "stage/extract/charset.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const char *const cts[] = {NULL, "text/html; charset=utf-8", "text/html; charset=ISO-8859-1",
                                      "text/html;charset=\"shift_jis\"", "text/html; charset=gb2312",
                                      "text/html; charset=x-bogus", "text/html; charset=", "charset=utf-16"};
    const char *ct = cts[data[0] % (sizeof cts / sizeof *cts)];
    const char *page = (const char *)data + 1;
    size_t n = size - 1;
    static tms_charset *c;
    if (!c) CHECK(tms_charset_create(&c) == TAMIS_OK);
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 30);
    const char *out, *name;
    size_t len;
    tms_charset_source src;
    uint64_t rep;
    CHECK(tms_charset_decode(c, page, n, ct, &b, &out, &len, &src, &name, &rep) == TAMIS_OK);
    if (src != TMS_CS_NONE) {
        CHECK(out && name);
        fz_touch(out, len);
        CHECK(tms_utf8_valid_prefix(out, len) == len);
        if (src == TMS_CS_UTF8) CHECK(out == page && len == n);
        if (src != TMS_CS_UTF8 && src != TMS_CS_BOM && src != TMS_CS_REPAIRED) CHECK(strcmp(name, "UTF-8") != 0);
        if (src == TMS_CS_REPAIRED) CHECK(rep > 0);
        if (src == TMS_CS_REPAIRED && !(n >= 3 && !memcmp(page, "\xEF\xBB\xBF", 3))) CHECK(rep <= 16 + n / 1024);
        if (n >= 3 && !memcmp(page, "\xEF\xBB\xBF", 3)) { /* a UTF-8 BOM decides, and is not text (a second one is) */
            CHECK(src == TMS_CS_BOM || src == TMS_CS_REPAIRED);
            if (src == TMS_CS_BOM) CHECK(out == page + 3 && len == n - 3);
        }
        /* the same bytes, the same answer */
        tms_buf b2;
        tms_buf_init(&b2, (size_t)1 << 30);
        const char *out2, *name2;
        size_t len2;
        tms_charset_source src2;
        uint64_t rep2;
        CHECK(tms_charset_decode(c, page, n, ct, &b2, &out2, &len2, &src2, &name2, &rep2) == TAMIS_OK);
        CHECK(rep2 == rep);
        CHECK(src2 == src && len2 == len && !strcmp(name2, name) && !memcmp(out2, out, len));
        tms_buf_free(&b2);
    } else {
        CHECK(tms_utf8_valid_prefix(page, n) != n); /* valid UTF-8 is always decodable */
    }
    tms_buf_free(&b);
    return 0;
}
