/* fuzz_lines.c -- libFuzzer target for the lines stage (src/stage/lines.c,
 * lines_features.c). The first byte picks the language hint, a URL and the
 * threshold; the rest is split in two documents at the first 0xFF byte (or
 * not): both are counted into a corpus, then the first is cleaned.
 * Invariants: the corpus keys are sorted and distinct; every line has finite
 * features; the number of lines is the number of '\n' plus one (a final
 * '\n' ends the last line); the stage keeps or rejects (no_content_left
 * only when it removed every non-blank line); a rewritten text is made of
 * whole input lines, is no longer than the input, and stays valid UTF-8 when
 * the input was; removed_lines is a JSON array of increasing line numbers. */
#include "fuzz_common.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/utf8.h"
#include "stage/lines.h"
#include "stage/stage.h"
#include <math.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_keys(tms_lines_worker *w, tms_lines_corpus *c, const tms_lines_input *in)
{
    const uint64_t *keys;
    size_t n;
    CHECK(tms_lines_keys(w, in, &keys, &n) == TAMIS_OK);
    for (size_t i = 1; i < n; i++) CHECK(keys[i - 1] < keys[i]);
    CHECK(tms_lines_corpus_add(c, keys, n) == TAMIS_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const char *const langs[] = {NULL, "en", "fr", "zh", "de-AT", "xx"};
    static const char *const urls[] = {NULL, "https://www.example.test/a", "ftp:", "//", "http://WWW.Example.test:80/"};
    uint8_t k = data[0];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    const char *cut = memchr(s, 0xFF, n);
    size_t n1 = cut ? (size_t)(cut - s) : n;
    tms_lines_input a = {s, n1, urls[k % 5], 0, langs[(k >> 3) % 6], 0};
    a.url_len = a.url ? strlen(a.url) : 0;
    a.lang_len = a.lang ? strlen(a.lang) : 0;
    tms_lines_input b = a;
    b.text = cut ? cut + 1 : s;
    b.len = cut ? n - n1 - 1 : n;

    tms_lines_worker *w;
    tms_lines_corpus *c;
    if (tms_lines_worker_create(&w) != TAMIS_OK) return 0;
    if (tms_lines_corpus_create(&c) != TAMIS_OK) return 0;
    check_keys(w, c, &a);
    check_keys(w, c, &b);
    const float *feat;
    const bool *blank;
    size_t nl;
    CHECK(tms_lines_features(w, c, &a, &feat, &blank, &nl) == TAMIS_OK);
    size_t newlines = 0;
    for (size_t i = 0; i < n1; i++) newlines += s[i] == '\n';
    CHECK(nl == newlines + 1 - (n1 > 0 && s[n1 - 1] == '\n'));
    for (size_t i = 0; i < nl * tms_lines_nfeat(); i++) CHECK(isfinite(feat[i]));
    for (size_t i = 0; i < nl; i++) {
        double p = tms_lines_score(feat + i * tms_lines_nfeat());
        CHECK(p >= 0 && p <= 1);
        CHECK(tms_lines_reason_index(feat + i * tms_lines_nfeat()) < TMS_LINES_NREASONS);
    }

    /* the stage */
    tms_config cfg;
    memset(&cfg, 0, sizeof cfg);
    static const double thr[] = {0.5, 1e-9, 0.999999, 0.2};
    cfg.lines_threshold = thr[(k >> 6) & 3];
    cfg.explain = true;
    cfg.lines_corpus = true;
    void *g, *sw;
    CHECK(tms_stage_lines.global_create(&cfg, &g) == TAMIS_OK);
    CHECK(tms_stage_lines.worker_create(g, &cfg, &sw) == TAMIS_OK);
    tms_arena ar;
    tms_arena_init(&ar, 1 << 16);
    tms_doc d;
    memset(&d, 0, sizeof d);
    d.text = s;
    d.len = n1;
    d.arena = &ar;
    d.reject_at = -1;
    bool valid = tms_utf8_valid_prefix(s, n1) == n1;
    d.text_valid = valid;
    uint32_t ctr[32] = {0};
    tms_verdict v = TMS_KEEP;
    CHECK(tms_stage_lines.process(sw, &d, ctr, &v) == TAMIS_OK);
    CHECK(ctr[1] <= ctr[0]); /* removed <= lines */
    if (v == TMS_REJECT) {
        CHECK(!strcmp(d.reason, "no_content_left") && ctr[1] == ctr[0] && ctr[0] > 0);
    } else if (d.text != s) {
        CHECK(d.len <= n1);
        if (valid) CHECK(tms_utf8_valid_prefix(d.text, d.len) == d.len);
        /* every kept line is an input line */
        size_t i = 0;
        while (i < d.len) {
            const char *e = memchr(d.text + i, '\n', d.len - i);
            size_t len = e ? (size_t)(e - (d.text + i)) : d.len - i;
            if (len) CHECK(memmem(s, n1, d.text + i, len) != NULL);
            i += len + 1;
        }
        fz_touch(d.text, d.len);
    }
    if (d.meta) {
        CHECK(!strcmp(d.meta->key, "removed_lines") && d.meta->json[0] == '[' && d.meta->json[d.meta->len - 1] == ']');
        long last = 0;
        for (const char *p = d.meta->json; (p = strstr(p, "\"line\":")); ) {
            long ln = strtol(p + 7, NULL, 10);
            CHECK(ln > last && (size_t)ln <= nl);
            last = ln;
            p += 7;
        }
    }
    tms_arena_destroy(&ar);
    tms_stage_lines.worker_free(sw);
    tms_stage_lines.global_free(g);
    tms_lines_corpus_free(c);
    tms_lines_worker_free(w);
    return 0;
}
