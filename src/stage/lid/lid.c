/*
 * lid.c -- the language-ID interface (lid.h): bounds the cost of long texts
 * by sampling, dispatches to a backend, maps CLD2's answers to tamis's codes
 * and calibrates its score, and names the text's dominant script.
 */
#include "lid.h"
#include "cld2_shim.h"
#include "../../text/uni.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* CLD2's calibration (see cld2_score), fitted by scripts/calibrate-cld2.py */
#define CLD2_CAL_B0 (-5.2720)
#define CLD2_CAL_PCT 2.2972
#define CLD2_CAL_REL 1.9335
#define CLD2_CAL_LEN 0.8682

const char *tms_lid_backend_name(tms_lid_backend b) { return b == TMS_LID_CLD2 ? "cld2" : "tamis"; }

int tms_lid_backend_parse(const char *name, size_t len)
{
    if (len == 5 && !memcmp(name, "tamis", 5)) return TMS_LID_TAMIS;
    if (len == 4 && !memcmp(name, "cld2", 4)) return TMS_LID_CLD2;
    return -1;
}

/* ---- the dominant script of the letters ---- */

/* Unicode blocks of the scripts language ID distinguishes, sorted; letters
 * outside them count for no script. */
static const struct { uint32_t lo, hi; char code[5]; } scripts[] = {
    {0x0041, 0x024F, "Latn"}, {0x0250, 0x02AF, "Latn"}, {0x0370, 0x03FF, "Grek"}, {0x0400, 0x052F, "Cyrl"},
    {0x0531, 0x058F, "Armn"}, {0x0591, 0x05FF, "Hebr"}, {0x0600, 0x06FF, "Arab"}, {0x0700, 0x074F, "Syrc"},
    {0x0750, 0x077F, "Arab"}, {0x0780, 0x07BF, "Thaa"}, {0x07C0, 0x07FF, "Nkoo"}, {0x08A0, 0x08FF, "Arab"},
    {0x0900, 0x097F, "Deva"}, {0x0980, 0x09FF, "Beng"}, {0x0A00, 0x0A7F, "Guru"}, {0x0A80, 0x0AFF, "Gujr"},
    {0x0B00, 0x0B7F, "Orya"}, {0x0B80, 0x0BFF, "Taml"}, {0x0C00, 0x0C7F, "Telu"}, {0x0C80, 0x0CFF, "Knda"},
    {0x0D00, 0x0D7F, "Mlym"}, {0x0D80, 0x0DFF, "Sinh"}, {0x0E00, 0x0E7F, "Thai"}, {0x0E80, 0x0EFF, "Laoo"},
    {0x0F00, 0x0FFF, "Tibt"}, {0x1000, 0x109F, "Mymr"}, {0x10A0, 0x10FF, "Geor"}, {0x1100, 0x11FF, "Hang"},
    {0x1200, 0x139F, "Ethi"}, {0x13A0, 0x13FF, "Cher"}, {0x1400, 0x167F, "Cans"}, {0x1680, 0x169F, "Ogam"},
    {0x16A0, 0x16FF, "Runr"}, {0x1780, 0x17FF, "Khmr"}, {0x1800, 0x18AF, "Mong"}, {0x18B0, 0x18FF, "Cans"},
    {0x1C90, 0x1CBF, "Geor"}, {0x1D00, 0x1DBF, "Latn"}, {0x1E00, 0x1EFF, "Latn"}, {0x1F00, 0x1FFF, "Grek"},
    {0x2C00, 0x2C5F, "Glag"}, {0x2C60, 0x2C7F, "Latn"}, {0x2D00, 0x2D2F, "Geor"}, {0x2D30, 0x2D7F, "Tfng"},
    {0x2D80, 0x2DDF, "Ethi"}, {0x2DE0, 0x2DFF, "Cyrl"}, {0x3040, 0x309F, "Hira"}, {0x30A0, 0x30FF, "Kana"},
    {0x3100, 0x312F, "Bopo"}, {0x3130, 0x318F, "Hang"}, {0x31F0, 0x31FF, "Kana"}, {0x3400, 0x4DBF, "Hani"},
    {0x4E00, 0x9FFF, "Hani"}, {0xA000, 0xA4CF, "Yiii"}, {0xA4D0, 0xA4FF, "Lisu"}, {0xA500, 0xA63F, "Vaii"},
    {0xA640, 0xA69F, "Cyrl"}, {0xA720, 0xA7FF, "Latn"}, {0xA980, 0xA9DF, "Java"}, {0xAA00, 0xAA5F, "Cham"},
    {0xAB30, 0xAB6F, "Latn"}, {0xAB70, 0xABBF, "Cher"}, {0xABC0, 0xABFF, "Mtei"}, {0xAC00, 0xD7AF, "Hang"},
    {0xF900, 0xFAFF, "Hani"}, {0xFB1D, 0xFB4F, "Hebr"}, {0xFB50, 0xFDFF, "Arab"}, {0xFE70, 0xFEFF, "Arab"},
    {0xFF21, 0xFF5A, "Latn"}, {0xFF66, 0xFF9F, "Kana"}, {0xFFA0, 0xFFDC, "Hang"}, {0x20000, 0x323AF, "Hani"},
};
enum { NSCRIPTS = sizeof scripts / sizeof scripts[0] };

static int script_index(uint32_t c)
{
    size_t lo = 0, hi = NSCRIPTS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < scripts[mid].lo) hi = mid;
        else if (c > scripts[mid].hi) lo = mid + 1;
        else return (int)mid;
    }
    return -1;
}

/* The script most letters of s are written in; Japanese text (Han with kana)
 * is "Jpan", Korean with Han "Kore". "" when there is no letter. */
static void dominant_script(const char *s, size_t n, char out[8])
{
    unsigned count[NSCRIPTS] = {0};
    unsigned latin = 0, letters = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            latin += ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
            i++;
            continue;
        }
        size_t next;
        uint32_t c = tms_uni_next(s, n, i, &next);
        i = next;
        if (!tms_uni_isalpha(c)) continue;
        int k = script_index(c);
        if (k >= 0) count[k]++;
    }
    /* merge blocks of one script into its first entry */
    unsigned by[NSCRIPTS] = {0};
    int first[NSCRIPTS];
    for (int k = 0; k < NSCRIPTS; k++) {
        first[k] = k;
        for (int j = 0; j < k; j++)
            if (!memcmp(scripts[j].code, scripts[k].code, 4)) { first[k] = j; break; }
        by[first[k]] += count[k];
        letters += count[k];
    }
    by[0] += latin;
    letters += latin;
    out[0] = 0;
    if (!letters) return;
    int best = 0;
    for (int k = 1; k < NSCRIPTS; k++)
        if (by[k] > by[best]) best = k;
    memcpy(out, scripts[best].code, 5);
    int hani = script_index(0x4E00), hira = script_index(0x3040), kana = script_index(0x30A0);
    int hang = script_index(0xAC00);
    unsigned kanas = by[hira] + by[first[kana]];
    if ((best == first[hani] || best == hira || best == first[kana]) && kanas * 20 >= by[first[hani]] + kanas && kanas)
        memcpy(out, "Jpan", 5);
    else if (best == first[hani] && by[first[hang]] * 5 >= by[best])
        memcpy(out, "Kore", 5);
    else if (best == first[hang] && by[first[hani]])
        memcpy(out, "Kore", 5);
}

/* ---- bounding the cost: samples of long texts ---- */

/* Copies TMS_LID_SAMPLES pieces of s, spread evenly, cut at UTF-8
 * boundaries and joined by newlines, into buf (TMS_LID_MAX_BYTES + SAMPLES). */
static size_t sample(const char *s, size_t n, char *buf)
{
    size_t piece = TMS_LID_MAX_BYTES / TMS_LID_SAMPLES, out = 0;
    for (size_t k = 0; k < TMS_LID_SAMPLES; k++) {
        size_t at = k * ((n - piece) / (TMS_LID_SAMPLES - 1)), end = at + piece;
        while (at < end && ((unsigned char)s[at] & 0xC0) == 0x80) at++;
        while (end > at && end < n && ((unsigned char)s[end] & 0xC0) == 0x80) end--;
        memcpy(buf + out, s + at, end - at);
        out += end - at;
        buf[out++] = '\n';
    }
    return out;
}

/* ---- CLD2 ---- */

/* CLD2 rejects a whole text that is not interchange-valid UTF-8, and reads a
 * byte past its end: a copy with each bad byte sequence, control character
 * or noncharacter replaced by as many spaces, and a NUL after it. */
static void sanitize(const char *s, size_t n, char *out)
{
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            out[i] = (b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') || b == 0x7F ? ' ' : (char)b;
            i++;
            continue;
        }
        size_t next;
        uint32_t c = tms_uni_next(s, n, i, &next);
        bool bad = (c == 0xFFFD && next == i + 1) || c < 0xA0 || (c >= 0xFDD0 && c <= 0xFDEF) ||
                   (c & 0xFFFE) == 0xFFFE;
        if (bad) memset(out + i, ' ', next - i);
        else memcpy(out + i, s + i, next - i);
        i = next;
    }
    out[n] = 0;
}

/* CLD2's codes in tamis's: ISO 639-1 where it exists, else 639-3. */
static const char *cld2_code(const char *c)
{
    static const char *const map[][2] = {
        {"iw", "he"}, {"jw", "jv"}, {"no", "nb"}, {"zh-Hant", "zh"}, {"sr-ME", "sr"},
    };
    if (!c || !*c || !strcmp(c, "un") || !strcmp(c, "xxx") || !strncmp(c, "xx-", 3) || !strncmp(c, "zz", 2))
        return "und";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(c, map[i][0])) return map[i][1];
    return c;
}

/* CLD2's share of letters, its reliability flag and the letters it saw,
 * mapped to the chance that its answer is right: a logistic fit on the
 * UDHR's calibration articles (scripts/calibrate-cld2.py; docs/internals/LID.md) */
static float cld2_score(int percent, int reliable, int text_bytes)
{
    double z = CLD2_CAL_B0 + CLD2_CAL_PCT * percent / 100.0 + CLD2_CAL_REL * reliable +
               CLD2_CAL_LEN * log1p((double)text_bytes);
    return (float)(1.0 / (1.0 + exp(-z)));
}

/* len <= TMS_LID_MAX_BYTES + TMS_LID_SAMPLES: tms_lid_detect has sampled longer texts */
static void cld2_detect(const char *text, size_t len, unsigned flags, tms_lid_result *out)
{
    char buf[TMS_LID_MAX_BYTES + TMS_LID_SAMPLES + 1];
    sanitize(text, len, buf);
    tms_cld2_raw raw;
    memset(out, 0, sizeof *out);
    memcpy(out->best.lang, "und", 4);
    if (tms_cld2_raw_detect(buf, len, (flags & TMS_LID_SHORT) != 0, &raw) != 0) return;
    const char *best = cld2_code(raw.code[0]);
    if (!strcmp(best, "und") || raw.text_bytes == 0) return;
    snprintf(out->best.lang, sizeof out->best.lang, "%s", best);
    out->best.score = cld2_score(raw.percent[0], raw.reliable, raw.text_bytes);
    for (int k = 1; k < 3; k++) {
        const char *c = cld2_code(raw.code[k]);
        if (strcmp(c, "und") && strcmp(c, out->best.lang) && raw.percent[k] > 0) {
            snprintf(out->runner_up.lang, sizeof out->runner_up.lang, "%s", c);
            out->runner_up.score = cld2_score(raw.percent[k], 0, raw.text_bytes) * raw.percent[k] / 100.0f;
            break;
        }
    }
}

/* the distinct languages CLD2 can answer, in its order */
static const char *cld2_langs[1024];
static size_t cld2_nlangs;
static pthread_once_t cld2_once = PTHREAD_ONCE_INIT;

static void cld2_list(void)
{
    for (int i = 0; i < tms_cld2_raw_count() && cld2_nlangs < sizeof cld2_langs / sizeof *cld2_langs; i++) {
        const char *c = cld2_code(tms_cld2_raw_code(i));
        bool seen = !strcmp(c, "und");
        for (size_t j = 0; j < cld2_nlangs && !seen; j++) seen = !strcmp(cld2_langs[j], c);
        if (!seen) cld2_langs[cld2_nlangs++] = c;
    }
}

size_t tms_lid_cld2_nlanguages(void)
{
    pthread_once(&cld2_once, cld2_list);
    return cld2_nlangs;
}

const char *tms_lid_cld2_language(size_t i)
{
    pthread_once(&cld2_once, cld2_list);
    return i < cld2_nlangs ? cld2_langs[i] : NULL;
}

/* ---- the interface ---- */

bool tms_lid_detect(tms_lid_backend backend, const char *text, size_t len, unsigned flags, tms_lid_result *out)
{
    char buf[TMS_LID_MAX_BYTES + TMS_LID_SAMPLES];
    if (!text) len = 0;
    if (len > TMS_LID_MAX_BYTES) {
        len = sample(text, len, buf);
        text = buf;
    }
    if (backend == TMS_LID_CLD2) cld2_detect(text, len, flags, out);
    else tms_lid_tamis_detect(text, len, flags, out);
    out->bytes_used = len;
    out->best.script[0] = out->runner_up.script[0] = 0;
    if (strcmp(out->best.lang, "und")) dominant_script(text, len, out->best.script);
    return true;
}

size_t tms_lid_nlanguages(tms_lid_backend backend)
{
    return backend == TMS_LID_CLD2 ? tms_lid_cld2_nlanguages() : tms_lid_tamis_nlanguages();
}

const char *tms_lid_language(tms_lid_backend backend, size_t i)
{
    return backend == TMS_LID_CLD2 ? tms_lid_cld2_language(i) : tms_lid_tamis_language(i);
}
