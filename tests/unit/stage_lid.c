/* stage_lid.c -- unit tests for the language-ID interface
 * (src/stage/lid/lid.c) on both backends: texts with nothing to identify
 * (empty, digits, symbols), invalid and hostile input, the script tag of
 * mixed-script text, the sampling bound on long texts, and clear-cut
 * sentences (written for this test, in no training text). */
#include "harness.h"
#include "stage/lid/lid.h"
#include <stdint.h>

static const tms_lid_backend backends[] = {TMS_LID_TAMIS, TMS_LID_CLD2};
#define EACH_BACKEND for (size_t bi_ = 0; bi_ < 2; bi_++) for (tms_lid_backend b = backends[bi_], once_ = 1; once_; once_ = 0)

static tms_lid_result detect(tms_lid_backend b, const char *s, size_t n, unsigned flags)
{
    tms_lid_result r;
    memset(&r, 0x5a, sizeof r); /* everything must be written */
    CHECK(tms_lid_detect(b, s, n, flags, &r));
    CHECK(memchr(r.best.lang, 0, sizeof r.best.lang) && memchr(r.best.script, 0, sizeof r.best.script));
    CHECK(memchr(r.runner_up.lang, 0, sizeof r.runner_up.lang));
    CHECK(r.best.score >= 0 && r.best.score <= 1);
    CHECK(r.runner_up.score >= 0 && r.runner_up.score <= r.best.score + 1e-6f);
    return r;
}
#define LANG(b, s) detect((b), (s), strlen(s), 0).best.lang

TEST(nothing_to_identify)
{
    static const char *const texts[] = {"", " \n\t ", "12345 678 90 -- 3.14", "2024-11-29 12:30:00 +0100",
                                        "!!! ??? ... *** ### @@@", "\xf0\x9f\x98\x80\xf0\x9f\x91\x8d \xe2\x9c\x94 42"};
    EACH_BACKEND {
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            tms_lid_result r = detect(b, texts[i], strlen(texts[i]), 0);
            CHECK(!strcmp(r.best.lang, "und"));
            CHECK(r.best.score == 0);
            CHECK(r.best.script[0] == 0);
            CHECK(r.runner_up.lang[0] == 0);
            CHECK(!strcmp(detect(b, texts[i], strlen(texts[i]), TMS_LID_SHORT).best.lang, "und"));
        }
        tms_lid_result r;
        CHECK(tms_lid_detect(b, NULL, 0, 0, &r) && !strcmp(r.best.lang, "und"));
    }
}

TEST(clear_sentences)
{
    EACH_BACKEND {
        CHECK(!strcmp(LANG(b, "Le conseil municipal a voté hier soir la rénovation de la piscine, malgré "
                               "l'opposition de plusieurs habitants du quartier."), "fr"));
        CHECK(!strcmp(LANG(b, "The city council voted last night to renovate the swimming pool, despite "
                               "objections from several people living nearby."), "en"));
        CHECK(!strcmp(LANG(b, "Der Gemeinderat hat gestern Abend beschlossen, das Schwimmbad zu renovieren, "
                               "obwohl mehrere Anwohner dagegen waren."), "de"));
        CHECK(!strcmp(LANG(b, "El ayuntamiento aprobó anoche la renovación de la piscina, a pesar de las "
                               "quejas de varios vecinos del barrio."), "es"));
        CHECK(!strcmp(LANG(b, "Городской совет вчера вечером проголосовал за ремонт бассейна, несмотря на "
                               "возражения жителей."), "ru"));
        CHECK(!strcmp(LANG(b, "Το δημοτικό συμβούλιο ψήφισε χθες το βράδυ την ανακαίνιση της πισίνας."), "el"));
        CHECK(!strcmp(LANG(b, "市議会は昨夜、住民の反対にもかかわらず、プールの改修を決めました。"), "ja"));
        CHECK(!strcmp(LANG(b, "시의회는 어젯밤 주민들의 반대에도 불구하고 수영장 보수를 결정했습니다."), "ko"));
        CHECK(!strcmp(LANG(b, "صوّت المجلس البلدي مساء أمس على تجديد المسبح رغم اعتراض عدد من السكان."), "ar"));
    }
}

TEST(scripts)
{
    EACH_BACKEND {
        const char *ru = "Москва — столица России, и в ней живёт больше двенадцати миллионов человек (Moscow, 12 M).";
        tms_lid_result r = detect(b, ru, strlen(ru), 0);
        CHECK(!strcmp(r.best.lang, "ru") && !strcmp(r.best.script, "Cyrl"));
        const char *ja = "東京は日本の首都で、たくさんの人が住んでいます。";
        r = detect(b, ja, strlen(ja), 0);
        CHECK(!strcmp(r.best.script, "Jpan"));
        const char *el = "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.";
        CHECK(!strcmp(detect(b, el, strlen(el), 0).best.script, "Grek"));
        const char *fr = "Une phrase française ordinaire, avec quelques accents : été, où, ça.";
        CHECK(!strcmp(detect(b, fr, strlen(fr), 0).best.script, "Latn"));
    }
}

TEST(invalid_input)
{
    /* a French sentence with invalid bytes, lone continuation bytes, an
     * overlong encoding, a surrogate and controls inside */
    const char fr[] = "Le conseil \xff municipal a vot\xc3 hier \x80\x80 soir la r\xc3\xa9novation \xc0\xaf de la "
                      "\xed\xa0\x80 piscine\x01, malgr\xc3\xa9 l'opposition \x7f de plusieurs habitants du quartier.";
    EACH_BACKEND {
        CHECK(!strcmp(detect(b, fr, sizeof fr - 1, 0).best.lang, "fr"));
        /* every prefix: a cut mid-character must not read past the end */
        for (size_t n = 0; n < sizeof fr - 1; n += 7) {
            char *copy = malloc(n ? n : 1);
            memcpy(copy, fr, n);
            detect(b, copy, n, 0);
            detect(b, copy, n, TMS_LID_SHORT);
            free(copy);
        }
        /* bytes with no structure at all */
        unsigned char junk[4096];
        uint32_t x = 2463534242u;
        for (size_t i = 0; i < sizeof junk; i++) x ^= x << 13, x ^= x >> 17, x ^= x << 5, junk[i] = (unsigned char)x;
        detect(b, (const char *)junk, sizeof junk, 0);
        char zeros[300] = {0};
        CHECK(!strcmp(detect(b, zeros, sizeof zeros, 0).best.lang, "und"));
    }
}

TEST(long_texts_are_sampled)
{
    const char *s = "Les habitants du quartier se sont réunis samedi pour discuter de l'avenir de la piscine. ";
    size_t n = strlen(s), total = 0, cap = 1 << 20;
    char *big = malloc(cap);
    while (total + n <= cap) memcpy(big + total, s, n), total += n;
    EACH_BACKEND {
        tms_lid_result r = detect(b, big, total, 0);
        CHECK(!strcmp(r.best.lang, "fr"));
        CHECK(r.bytes_used <= TMS_LID_MAX_BYTES + TMS_LID_SAMPLES);
        CHECK(r.bytes_used >= TMS_LID_MAX_BYTES - 4 * TMS_LID_SAMPLES);
        /* short texts are read whole */
        CHECK(detect(b, big, 1000, 0).bytes_used == 1000);
    }
    free(big);
}

TEST(backends_and_languages)
{
    CHECK(tms_lid_backend_parse("tamis", 5) == TMS_LID_TAMIS);
    CHECK(tms_lid_backend_parse("cld2", 4) == TMS_LID_CLD2);
    CHECK(tms_lid_backend_parse("cld3", 4) == -1);
    CHECK(!strcmp(tms_lid_backend_name(TMS_LID_CLD2), "cld2"));
    EACH_BACKEND {
        size_t n = tms_lid_nlanguages(b);
        CHECK(n >= 150);
        bool fr = false, und = false, dup = false, shape = true;
        for (size_t i = 0; i < n; i++) {
            const char *c = tms_lid_language(b, i);
            size_t len = c ? strlen(c) : 0;
            shape &= len == 2 || len == 3;
            for (size_t k = 0; k < len; k++) shape &= c[k] >= 'a' && c[k] <= 'z';
            fr |= c && !strcmp(c, "fr");
            und |= c && !strcmp(c, "und");
            for (size_t j = 0; j < i && c; j++) dup |= !strcmp(tms_lid_language(b, j), c);
        }
        CHECK(fr && !und && !dup && shape);
        CHECK(tms_lid_language(b, n) == NULL);
    }
    /* CLD2's own codes are mapped to ISO 639: Hebrew is he, not iw */
    const char *he = "מועצת העיר הצביעה אתמול בערב על שיפוץ הבריכה, למרות התנגדות התושבים.";
    CHECK(!strcmp(detect(TMS_LID_CLD2, he, strlen(he), 0).best.lang, "he"));
}

int main(void)
{
    RUN(nothing_to_identify);
    RUN(clear_sentences);
    RUN(scripts);
    RUN(invalid_input);
    RUN(long_texts_are_sampled);
    RUN(backends_and_languages);
    DONE("stage_lid");
}
