/* fuzz_quality.c -- libFuzzer target for the four quality stages
 * (src/stage/gopher_repetition.c, gopher_quality.c, c4_quality.c,
 * fineweb_quality.c) under each rule set. The first byte picks the rule set,
 * the language and a few thresholds; the rest is the document's text.
 * Invariants: a verdict is keep or reject; a rejection has a reason, and its
 * measured value and threshold are finite numbers; a text c4_quality rewrites
 * is valid UTF-8 and no longer than the input with every byte repaired. */
#include "fuzz_common.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/utf8.h"
#include "stage/stage.h"
#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tms_stage_vt *const stages[] = {&tms_stage_gopher_repetition, &tms_stage_gopher_quality,
                                             &tms_stage_c4_quality, &tms_stage_fineweb_quality};

static bool run(const tms_stage_vt *vt, void *w, tms_arena *a, const char *lang, const char *s, size_t n,
                tms_doc *d)
{
    uint32_t ctr[16] = {0};
    memset(d, 0, sizeof *d);
    d->text = s;
    d->len = n;
    d->rec.text = s;
    d->rec.text_len = n;
    d->arena = a;
    d->reject_at = -1;
    d->lang = lang;
    d->lang_len = lang ? strlen(lang) : 0;
    tms_verdict v = TMS_KEEP;
    if (vt->process(w, d, ctr, &v) != TAMIS_OK) return false;
    CHECK(v == TMS_KEEP || v == TMS_REJECT);
    if (v == TMS_REJECT) {
        CHECK(d->reason && *d->reason);
        if (d->has_value) CHECK(isfinite(d->value) && isfinite(d->threshold));
    }
    return v == TMS_KEEP;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const char *const rules[] = {"datatrove-current", "fineweb-2024", "tamis"};
    static const char *const langs[] = {NULL, "en", "fr", "zh", "de-AT", "ja"};
    uint8_t k = data[0];
    tamis_options *o;
    if (tamis_options_create(&o) != TAMIS_OK) return 0;
    tamis_options_set(o, "rules", rules[k % 3]);
    if (k & 0x08) tamis_options_set(o, "gopher-dup-ngrams", "2:0.05,3:0.05,5:0.15");
    if (k & 0x10) tamis_options_set(o, "c4-terminal-punct-rule", "off");
    if (k & 0x20) tamis_options_set(o, "c4-min-words-per-line", "0");
    tms_config cfg;
    char err[256];
    if (tms_config_resolve(o, &cfg, err, sizeof err) != TAMIS_OK) {
        tamis_options_free(o);
        return 0;
    }
    const char *lang = langs[(k >> 2) % 6];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    tms_arena a;
    tms_arena_init(&a, 1 << 16);
    for (size_t i = 0; i < sizeof stages / sizeof *stages; i++) {
        void *w = NULL;
        if (stages[i]->worker_create(NULL, &cfg, &w) != TAMIS_OK) continue;
        tms_doc d;
        bool kept = run(stages[i], w, &a, lang, s, n, &d);
        if (kept && stages[i] == &tms_stage_c4_quality && d.text != s) {
            CHECK(tms_utf8_valid_prefix(d.text, d.len) == d.len);
            CHECK(d.len <= 3 * n);
            fz_touch(d.text, d.len);
        }
        stages[i]->worker_free(w);
    }
    tms_arena_destroy(&a);
    tamis_options_free(o);
    return 0;
}
