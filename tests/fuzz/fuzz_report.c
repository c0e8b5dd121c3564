/* fuzz_report.c -- libFuzzer target for the report renderer
 * (src/write/report.c) and the JSON tree it reads (src/write/jtree.h): the
 * input is a summary.json, a NUL byte, then a stats.json (none without the
 * NUL), as a damaged or hand-edited run directory could hold. Invariants:
 * the renderer answers OK or DATA (not JSON), never anything else; a page
 * it writes is one whole document whose only script and style are its own
 * (every string from the files is escaped: no markup can get in). */
#include "fuzz_common.h"
#include "core/buf.h"
#include "write/report.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const char *s, size_t n, const char *what)
{
    size_t k = 0, w = strlen(what);
    for (const char *p = s; p && (p = memmem(p, n - (size_t)(p - s), what, w)); p += w) k++;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    const char *nul = memchr(in, 0, size);
    size_t slen = nul ? (size_t)(nul - in) : size;
    const char *stats = nul ? nul + 1 : NULL;
    size_t stlen = nul ? size - slen - 1 : 0;
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 30);
    char err[256] = "";
    tamis_status st = tms_report_render(in, slen, stats, stlen, &b, err, sizeof err);
    CHECK(st == TAMIS_OK || st == TAMIS_E_DATA);
    if (st == TAMIS_E_DATA) CHECK(err[0] != 0);
    if (st == TAMIS_OK) {
        CHECK(b.len > 15 && !memcmp(b.data, "<!DOCTYPE html>", 15));
        CHECK(count(b.data, b.len, "<script") == 1 && count(b.data, b.len, "</script>") == 1);
        CHECK(count(b.data, b.len, "<style") == 1);
        CHECK(count(b.data, b.len, "<svg") == count(b.data, b.len, "</svg>"));
        CHECK(count(b.data, b.len, "</html>") == 1);
        fz_touch(b.data, b.len);
    }
    tms_buf_free(&b);
    return 0;
}
