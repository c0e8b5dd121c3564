/* fuzz_lid.c -- libFuzzer target for language identification
 * (src/stage/lid/: lid.c's sampling, sanitizing and script count, tamis's
 * model scorer, CLD2 through its shim). Byte 0 picks the backend, the
 * short-text flag and a length multiplier (inputs repeated past
 * TMS_LID_MAX_BYTES exercise the sampler); the rest is the text.
 * Invariants: a result always comes back; codes are NUL-terminated, 2-3
 * lower-case letters or "und"; scores lie in 0..1, the runner-up's no
 * higher than the best and never the same language; "und" has score 0 and
 * no script; bytes_used never exceeds the bound. */
#include "fuzz_common.h"
#include "stage/lid/lid.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_code(const char *c, size_t cap)
{
    CHECK(memchr(c, 0, cap) != NULL);
    size_t n = strlen(c);
    CHECK(n == 0 || n == 2 || n == 3);
    for (size_t i = 0; i < n; i++) CHECK(c[i] >= 'a' && c[i] <= 'z');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t k = data[0];
    tms_lid_backend b = (k & 1) ? TMS_LID_CLD2 : TMS_LID_TAMIS;
    unsigned flags = (k & 2) ? TMS_LID_SHORT : 0;
    size_t reps = (k & 4) ? 1 + (size_t)(k >> 3) * 64 : 1;
    size_t n = size - 1;
    char *text = malloc(n * reps + 1);
    CHECK(text != NULL);
    for (size_t r = 0; r < reps; r++) memcpy(text + r * n, data + 1, n);
    size_t len = n * reps;
    tms_lid_result res;
    CHECK(tms_lid_detect(b, text, len, flags, &res));
    check_code(res.best.lang, sizeof res.best.lang);
    check_code(res.runner_up.lang, sizeof res.runner_up.lang);
    CHECK(memchr(res.best.script, 0, sizeof res.best.script) != NULL);
    CHECK(res.best.lang[0] != 0);
    CHECK(res.best.score >= 0 && res.best.score <= 1);
    CHECK(res.runner_up.score >= 0 && res.runner_up.score <= res.best.score + 1e-6f);
    CHECK(!res.runner_up.lang[0] || strcmp(res.runner_up.lang, res.best.lang) != 0);
    if (!strcmp(res.best.lang, "und")) CHECK(res.best.score == 0 && !res.best.script[0] && !res.runner_up.lang[0]);
    CHECK(res.bytes_used <= (len > TMS_LID_MAX_BYTES ? TMS_LID_MAX_BYTES + TMS_LID_SAMPLES : len));
    free(text);
    return 0;
}
