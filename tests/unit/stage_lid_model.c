/* stage_lid_model.c -- unit tests for src/stage/lid/tamis_model.c, tamis's own
 * language-ID model: the embedded model file passes its checks and a damaged
 * copy does not; empty, digit-only and invalid input; mixed scripts; a few
 * clear-cut languages on sentences written for this test (never training
 * text); the same answer every time and from several threads. Every text is
 * passed in a buffer of exactly its length, so AddressSanitizer catches a
 * read past len. */
#include "harness.h"
#include "stage/lid/lid.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

extern const unsigned char tms_lid_model_data[];
extern const size_t tms_lid_model_size;
int tms_lid_tamis_validate(const void *data, size_t size);

/* detects text[0..n) from a heap copy of exactly n bytes */
static tms_lid_result detect_n(const char *text, size_t n)
{
    char *copy = malloc(n ? n : 1);
    memcpy(copy, text, n);
    tms_lid_result r;
    tms_lid_tamis_detect(copy, n, 0, &r);
    free(copy);
    return r;
}

static tms_lid_result detect(const char *text) { return detect_n(text, strlen(text)); }

static int is_lang(const char *text, const char *lang)
{
    tms_lid_result r = detect(text);
    if (strcmp(r.best.lang, lang)) {
        fprintf(stderr, "  %s: got %s %.3f (runner-up %s) for \"%.40s\"\n", lang, r.best.lang, (double)r.best.score,
                r.runner_up.lang, text);
        return 0;
    }
    return 1;
}

TEST(model_passes_its_checks)
{
    CHECK(tms_lid_tamis_validate(tms_lid_model_data, tms_lid_model_size) == 0);
    CHECK(tms_lid_model_size <= 10u << 20);
    size_t n = tms_lid_tamis_nlanguages();
    CHECK(n >= 150 && n < 256);
    /* codes: 2-3 lower-case letters, distinct; the languages of ../shared are there */
    const char *need[] = {"ar", "ca", "de", "en", "es", "fi", "fr", "hi", "id", "pt", "sv", "ur", "zh", "ja", "yue", "ceb"};
    int found[sizeof need / sizeof need[0]] = {0};
    for (size_t i = 0; i < n; i++) {
        const char *c = tms_lid_tamis_language(i);
        size_t len = strlen(c);
        CHECK(len >= 2 && len <= 3);
        for (size_t k = 0; k < len; k++) CHECK(c[k] >= 'a' && c[k] <= 'z');
        for (size_t j = 0; j < i; j++) CHECK(strcmp(c, tms_lid_tamis_language(j)) != 0);
        for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) found[k] |= !strcmp(c, need[k]);
    }
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) CHECK(found[k]);
    CHECK(tms_lid_tamis_language(n) == NULL);
}

TEST(damaged_model_is_refused)
{
    size_t n = tms_lid_model_size;
    unsigned char *copy = malloc(n);
    memcpy(copy, tms_lid_model_data, n);
    CHECK(tms_lid_tamis_validate(copy, n) == 0);
    copy[n / 2] ^= 0x40; /* the checksum */
    CHECK(tms_lid_tamis_validate(copy, n) != 0);
    copy[n / 2] ^= 0x40;
    copy[0] = 'X'; /* magic */
    CHECK(tms_lid_tamis_validate(copy, n) != 0);
    copy[0] = tms_lid_model_data[0];
    copy[8] = 99; /* version */
    CHECK(tms_lid_tamis_validate(copy, n) != 0);
    copy[8] = tms_lid_model_data[8];
    CHECK(tms_lid_tamis_validate(copy, n - 8) != 0); /* truncated */
    CHECK(tms_lid_tamis_validate(copy, 10) != 0);
    CHECK(tms_lid_tamis_validate(copy, 0) != 0);
    CHECK(tms_lid_tamis_validate(NULL, n) != 0);
    CHECK(tms_lid_tamis_validate(copy, n) == 0);
    free(copy);
}

TEST(nothing_to_say_is_und)
{
    const char *none[] = {"", " ", "12345 678,90 -- 2024-11-29", "\n\t  !!! ??? ...", "\xff\xfe\xfd\xc3", "\xe2\x82",
                          "3.14159 + 2.71828 = 5.85987 (42%)"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        tms_lid_result r = detect(none[i]);
        CHECK(!strcmp(r.best.lang, "und"));
        CHECK(r.best.score == 0);
        CHECK(r.runner_up.lang[0] == 0);
    }
    tms_lid_result r;
    tms_lid_tamis_detect(NULL, 10, 0, &r);
    CHECK(!strcmp(r.best.lang, "und"));
}

TEST(clear_cut_sentences)
{
    /* written for this test */
    CHECK(is_lang("The weather was so nice yesterday that we walked all the way to the old harbour.", "en"));
    CHECK(is_lang("Nous avons pris le train de nuit pour arriver à Marseille avant le lever du soleil.", "fr"));
    CHECK(is_lang("Gestern Abend haben wir mit den Nachbarn im Garten gegrillt und lange geredet.", "de"));
    CHECK(is_lang("Mañana por la mañana iremos al mercado a comprar fruta fresca y pan.", "es"));
    CHECK(is_lang("La biblioteca del quartiere resta chiusa per lavori fino alla fine del mese.", "it"));
    CHECK(is_lang("O restaurante da esquina serve um peixe grelhado que vale muito a pena.", "pt"));
    CHECK(is_lang("Vi åkte ut till skärgården i helgen och badade trots att vattnet var kallt.", "sv"));
    CHECK(is_lang("Kävimme eilen mökillä saunomassa ja uimassa järvessä koko illan.", "fi"));
    CHECK(is_lang("De fietsenmaker in onze straat heeft mijn band binnen tien minuten geplakt.", "nl"));
    CHECK(is_lang("Wczoraj wieczorem poszliśmy do kina na nowy film o podróżach w czasie.", "pl"));
    CHECK(is_lang("Вчера вечером мы долго гуляли по набережной и разговаривали о работе.", "ru"));
    CHECK(is_lang("Ο καιρός σήμερα είναι υπέροχος και θα πάμε για μπάνιο στη θάλασσα.", "el"));
    CHECK(is_lang("ذهبنا أمس إلى السوق القديم واشترينا الكثير من الفواكه والخضروات.", "ar"));
    CHECK(is_lang("कल शाम हम अपने दोस्तों के साथ बाज़ार गए और वहाँ बहुत मज़ा आया।", "hi"));
    CHECK(is_lang("Kemarin sore kami pergi ke pasar untuk membeli sayuran dan buah-buahan segar.", "id"));
    CHECK(is_lang("Ahir setmana vam anar a la platja amb els nens i vam menjar paella.", "ca"));
    CHECK(is_lang("昨日は友達と一緒に新しいレストランで晩ご飯を食べました。", "ja"));
    CHECK(is_lang("我们昨天晚上在公园里散步，天气非常好。", "zh"));
    CHECK(is_lang("어제 저녁에 친구들과 함께 시장에 가서 맛있는 음식을 먹었습니다.", "ko"));
    CHECK(is_lang("เมื่อวานนี้เราไปเที่ยวทะเลกับครอบครัวและกินอาหารทะเลอร่อยมาก", "th"));
}

TEST(long_document_and_score)
{
    /* a French text long enough to be read in chunks */
    char doc[8192];
    size_t n = 0;
    const char *s = "Le conseil municipal se réunira jeudi prochain pour discuter du budget de la commune. ";
    while (n + strlen(s) < sizeof doc) {
        memcpy(doc + n, s, strlen(s));
        n += strlen(s);
    }
    tms_lid_result r = detect_n(doc, n);
    CHECK(!strcmp(r.best.lang, "fr"));
    CHECK(r.best.score > 0.9f && r.best.score <= 1.0f);
    CHECK(r.runner_up.score >= 0 && r.runner_up.score <= r.best.score);
    CHECK(r.bytes_used == n);
}

TEST(mixed_scripts)
{
    /* mostly Russian with a Latin brand name: Russian */
    CHECK(is_lang("Мы купили новый ноутбук Lenovo и очень довольны его работой и батареей.", "ru"));
    /* Japanese with kanji, hiragana, katakana and a Latin word */
    CHECK(is_lang("新しいスマートフォンのアプリをダウンロードして、Wi-Fiに接続しました。", "ja"));
    /* an Arabic sentence with an email address */
    CHECK(is_lang("يمكنكم التواصل معنا عبر البريد الإلكتروني في أي وقت خلال ساعات العمل info@example.com", "ar"));
    /* Latin names never unseen-script languages */
    tms_lid_result r = detect("Michael Hyatt (Jolene Newman)");
    CHECK(strcmp(r.best.lang, "zh") && strcmp(r.best.lang, "ar") && strcmp(r.best.lang, "ja"));
}

TEST(invalid_utf8_is_skipped)
{
    CHECK(is_lang("Nous sommes \xff\xfe arrivés à la gare \xc3 juste avant le départ du \xe2\x82 dernier train.", "fr"));
    /* a cut multi-byte sequence at the very end */
    const char *t = "Wir haben den ganzen Tag im Büro gearbeitet \xc3";
    CHECK(!strcmp(detect(t).best.lang, "de"));
    /* the same text cut inside its last character */
    const char *u = "Wir haben den ganzen Tag im Büro gearbeitet und dann gegessen";
    tms_lid_result r = detect_n(u, 40);
    CHECK(!strcmp(r.best.lang, "de"));
    /* overlong encodings and surrogates are no letters */
    r = detect("\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80");
    CHECK(!strcmp(r.best.lang, "und"));
}

TEST(same_answer_every_time)
{
    const char *t = "Det regnade hela dagen så vi stannade inne och spelade kort.";
    tms_lid_result a = detect(t), b = detect(t);
    CHECK(!strcmp(a.best.lang, b.best.lang) && a.best.score == b.best.score);
    CHECK(!strcmp(a.runner_up.lang, b.runner_up.lang) && a.runner_up.score == b.runner_up.score);
}

static const char *thread_texts[] = {
    "The weather was so nice yesterday that we walked all the way to the old harbour.",
    "Nous avons pris le train de nuit pour arriver à Marseille avant le lever du soleil.",
    "Kävimme eilen mökillä saunomassa ja uimassa järvessä koko illan.",
    "ذهبنا أمس إلى السوق القديم واشترينا الكثير من الفواكه والخضروات.",
};
enum { NTEXTS = sizeof thread_texts / sizeof thread_texts[0] };
static tms_lid_result thread_expect[NTEXTS];

static void *thread_run(void *arg)
{
    int *bad = arg;
    for (int k = 0; k < 200; k++) {
        size_t i = (size_t)k % NTEXTS;
        tms_lid_result r;
        tms_lid_tamis_detect(thread_texts[i], strlen(thread_texts[i]), 0, &r);
        if (strcmp(r.best.lang, thread_expect[i].best.lang) || r.best.score != thread_expect[i].best.score) (*bad)++;
    }
    return NULL;
}

TEST(threads_agree)
{
    for (size_t i = 0; i < NTEXTS; i++) thread_expect[i] = detect(thread_texts[i]);
    pthread_t th[4];
    int bad[4] = {0};
    for (int i = 0; i < 4; i++) CHECK(pthread_create(&th[i], NULL, thread_run, &bad[i]) == 0);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) CHECK(bad[i] == 0);
}

int main(void)
{
    RUN(model_passes_its_checks);
    RUN(damaged_model_is_refused);
    RUN(nothing_to_say_is_und);
    RUN(clear_cut_sentences);
    RUN(long_document_and_score);
    RUN(mixed_scripts);
    RUN(invalid_utf8_is_skipped);
    RUN(same_answer_every_time);
    RUN(threads_agree);
    DONE("stage_lid_model");
}
