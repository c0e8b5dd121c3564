/* stage_lines.c -- unit tests for src/stage/lines*.c: the features the model
 * sees (truncation, repeated lines and segments in the document and across
 * the corpus, per site, words of scripts without spaces, the stop-word
 * language), the corpus table, the model header against the code, and the
 * stage's mechanics (no_content_left, blank lines, removed_lines) at the
 * extremes of --lines-threshold, where the weights do not matter. */
#include "harness.h"
#include "core/alloc.h"
#include "core/config.h"
#include "stage/lines.h"
#include "stage/lines_model.h"
#include "stage/stage.h"
#include "text/stopwords.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static tms_lines_worker *W;

static size_t fi(const char *name)
{
    for (size_t i = 0; i < tms_lines_nfeat(); i++)
        if (!strcmp(tms_lines_feat_name(i), name)) return i;
    fprintf(stderr, "no feature %s\n", name);
    abort();
}

/* features of line `line` (from 1) of text; corpus may be NULL */
static float feat(const char *text, const tms_lines_corpus *c, const char *url, size_t line, const char *name)
{
    tms_lines_input in = {text, strlen(text), url, url ? strlen(url) : 0, NULL, 0};
    const float *f;
    const bool *blank;
    size_t n;
    if (tms_lines_features(W, c, &in, &f, &blank, &n) != TAMIS_OK || line < 1 || line > n) return NAN;
    return f[(line - 1) * tms_lines_nfeat() + fi(name)];
}

static void add_doc(tms_lines_corpus *c, const char *text, const char *url)
{
    tms_lines_input in = {text, strlen(text), url, url ? strlen(url) : 0, NULL, 0};
    const uint64_t *keys;
    size_t n;
    CHECK(tms_lines_keys(W, &in, &keys, &n) == TAMIS_OK);
    for (size_t i = 1; i < n; i++) CHECK(keys[i - 1] < keys[i]); /* sorted, distinct */
    CHECK(tms_lines_corpus_add(c, keys, n) == TAMIS_OK);
}

TEST(model_matches_features)
{
    CHECK(tms_lines_nfeat() == TMS_LINES_NFEAT);
    for (size_t i = 0; i < TMS_LINES_NFEAT; i++) CHECK(!strcmp(tms_lines_feat_name(i), tms_lines_feat_names[i]));
    for (size_t t = 0; t < TMS_LINES_NTREES; t++)
        for (size_t n = 0; n < (1u << TMS_LINES_DEPTH) - 1; n++) CHECK(tms_lines_split_feat[t][n] < TMS_LINES_NFEAT);
    CHECK(tms_lines_threshold > 0 && tms_lines_threshold < 1);
}

TEST(truncation)
{
    const char *t = "The mayor announced that the new bridge would be named after the engineer who...\n"
                    "It was over. ...\n"
                    "Lire la suite […]\n"
                    "Prices rose by 3,...\n"
                    "A complete sentence.\n"
                    "Wait for it…";
    CHECK(feat(t, NULL, NULL, 1, "truncated") == 1 && feat(t, NULL, NULL, 1, "end_ellipsis") == 1);
    CHECK(feat(t, NULL, NULL, 2, "truncated") == 0 && feat(t, NULL, NULL, 2, "end_ellipsis") == 1);
    CHECK(feat(t, NULL, NULL, 3, "truncated") == 1);
    CHECK(feat(t, NULL, NULL, 4, "truncated") == 1);
    CHECK(feat(t, NULL, NULL, 5, "truncated") == 0 && feat(t, NULL, NULL, 5, "end_terminal") == 1);
    CHECK(feat(t, NULL, NULL, 6, "truncated") == 1);
    CHECK(feat(t, NULL, NULL, 5, "next_truncated") == 1 && feat(t, NULL, NULL, 2, "prev_truncated") == 1);
}

TEST(repeats_in_document)
{
    /* a widget sentence glued to a different teaser each time; prices that
     * differ only in digits; a line said once */
    const char *t = "Press play to listen. The council met on Monday to discuss the budget.\n"
                    "Press play to listen. Schools will reopen next week after the storm.\n"
                    "Price: 12 EUR\n"
                    "Price: 35 EUR\n"
                    "A line said once, with nothing else like it.";
    CHECK(feat(t, NULL, NULL, 1, "lead_dup_in_doc") == 1 && feat(t, NULL, NULL, 2, "lead_dup_in_doc") == 1);
    CHECK(feat(t, NULL, NULL, 1, "dup_in_doc") == 0);
    CHECK(feat(t, NULL, NULL, 3, "dup_in_doc") == 1 && feat(t, NULL, NULL, 4, "dup_in_doc") == 1);
    CHECK(feat(t, NULL, NULL, 5, "dup_in_doc") == 0 && feat(t, NULL, NULL, 5, "lead_dup_in_doc") == 0);
    /* rows of a listing: the same first (or last) two words, different in between */
    const char *l = "Posted by Anna on the harbour wall\nPosted by Bert about the library hours\nNothing alike here at all\n"
                    "Red kettle, free delivery\nBlue teapot, free delivery";
    CHECK(feat(l, NULL, NULL, 1, "first_words_dup_in_doc") == 1 && feat(l, NULL, NULL, 2, "first_words_dup_in_doc") == 1);
    CHECK(feat(l, NULL, NULL, 3, "first_words_dup_in_doc") == 0 && feat(l, NULL, NULL, 3, "last_words_dup_in_doc") == 0);
    CHECK(feat(l, NULL, NULL, 4, "last_words_dup_in_doc") == 1 && feat(l, NULL, NULL, 5, "last_words_dup_in_doc") == 1);
    CHECK(feat("Price 12 € only", NULL, NULL, 1, "currency") == 1 && feat("Price on request", NULL, NULL, 1, "currency") == 0);
    /* CCNet normalization: case, digits and Unicode punctuation do not matter */
    const char *u = "«Hello», World 2023\nhello, world 1999";
    CHECK(feat(u, NULL, NULL, 1, "dup_in_doc") == 1);
}

TEST(corpus_and_site)
{
    tms_lines_corpus *c;
    CHECK(tms_lines_corpus_create(&c) == TAMIS_OK);
    const char *a = "Subscribe to the weekly letter\nA first article about the harbour wall and the storms of the winter.";
    const char *b = "Subscribe to the weekly letter\nA second article, on the library and its new opening hours.";
    const char *o = "Subscribe to the weekly letter\nSomething else entirely, from another site, about apple trees.";
    add_doc(c, a, "https://www.gazette.test/a");
    add_doc(c, b, "http://gazette.test/b");
    add_doc(c, o, "https://other.test/x");
    CHECK(tms_lines_corpus_docs(c) == 3);
    /* without the corpus, nothing is known */
    CHECK(feat(a, NULL, NULL, 1, "corpus_repeated") == 0);
    CHECK(feat(a, c, "https://www.gazette.test/a", 1, "corpus_repeated") == 1);
    CHECK(feat(a, c, "https://www.gazette.test/a", 1, "corpus_docs_log") == (float)log2(3.0)); /* 2 others */
    CHECK(feat(a, c, "https://www.gazette.test/a", 1, "site_docs_log") == 1);                  /* 1 other on the site */
    CHECK(feat(o, c, "https://other.test/x", 1, "site_docs_log") == 0);
    CHECK(feat(a, c, "https://www.gazette.test/a", 2, "corpus_repeated") == 0);
    tms_lines_corpus_free(c);
}

/* A table rebuilt from the sorted pairs of count >= 2 (what sharded runs
 * load; a key it lacks counts 1, the scored document itself) gives every
 * line the features of the table it came from. */
TEST(corpus_sorted_and_loaded)
{
    tms_lines_corpus *c, *l;
    CHECK(tms_lines_corpus_create(&c) == TAMIS_OK);
    CHECK(tms_lines_corpus_create(&l) == TAMIS_OK);
    const char *a = "Subscribe to the weekly letter\nA first article about the harbour wall and the storms of the winter.";
    const char *b = "Subscribe to the weekly letter\nA second article, on the library and its new opening hours.";
    add_doc(c, a, "https://www.gazette.test/a");
    add_doc(c, b, "https://www.gazette.test/b");
    add_doc(c, b, "https://www.gazette.test/c");
    tms_lines_count *v;
    size_t n;
    CHECK(tms_lines_corpus_sorted(c, &v, &n) == TAMIS_OK);
    CHECK(n == tms_lines_corpus_entries(c));
    size_t repeated = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) CHECK(v[i - 1].key < v[i].key);
        if (v[i].count < 2) continue;
        repeated++;
        /* put adds: two parts give the sum, as shards do */
        CHECK(tms_lines_corpus_put(l, v[i].key, v[i].count - 1) == TAMIS_OK);
        CHECK(tms_lines_corpus_put(l, v[i].key, 1) == TAMIS_OK);
    }
    CHECK(repeated > 0 && repeated < n);
    CHECK(tms_lines_corpus_entries(l) == repeated);
    tms_lines_corpus_set_loaded(l, 3, 1);
    CHECK(tms_lines_corpus_docs(l) == 3);
    const char *docs[] = {a, b}, *urls[] = {"https://www.gazette.test/a", "https://www.gazette.test/b"};
    const char *names[] = {"corpus_docs_log", "corpus_repeated", "site_docs_log", "lead_corpus_log"};
    for (size_t d = 0; d < 2; d++)
        for (size_t line = 1; line <= 2; line++)
            for (size_t k = 0; k < 4; k++)
                CHECK(feat(docs[d], l, urls[d], line, names[k]) == feat(docs[d], c, urls[d], line, names[k]));
    CHECK(feat(b, l, urls[1], 2, "corpus_repeated") == 1); /* b's second line is in two documents */
    CHECK(feat(a, l, urls[0], 2, "corpus_repeated") == 0);
    free(v);
    tms_lines_corpus_free(c);
    tms_lines_corpus_free(l);
}

TEST(corpus_table_grows)
{
    tms_lines_corpus *c;
    CHECK(tms_lines_corpus_create(&c) == TAMIS_OK);
    uint64_t *k = malloc(200000 * sizeof *k);
    for (size_t i = 0; i < 200000; i++) k[i] = (i + 1) * 0x9E3779B97F4A7C15ull | 1;
    CHECK(tms_lines_corpus_add(c, k, 200000) == TAMIS_OK);
    CHECK(tms_lines_corpus_add(c, k, 1000) == TAMIS_OK);
    CHECK(tms_lines_corpus_entries(c) == 200000);
    /* at most 70 % full: 12 bytes a slot */
    CHECK(tms_lines_corpus_bytes(c) >= 200000 * 12 * 10 / 7 && tms_lines_corpus_bytes(c) <= 200000 * 12 * 4);
    free(k);
    tms_lines_corpus_free(c);
}

TEST(words_and_languages)
{
    CHECK(feat("今天天气很好", NULL, NULL, 1, "words_6_9") == 1);       /* 6 Han characters: 6 words */
    CHECK(feat("Hello world", NULL, NULL, 1, "words_2") == 1);
    const char *fr = "Le président a déclaré que la situation était sous contrôle et que les habitants pouvaient rentrer chez eux.";
    const char *g = tms_stopwords_guess(fr, strlen(fr));
    CHECK(g && !strcmp(g, "fr"));
    CHECK(feat(fr, NULL, NULL, 1, "stop_lang_known") == 1 && feat(fr, NULL, NULL, 1, "stop_frac") > 0.2f);
    CHECK(tms_stopwords_guess("12345 ---", 9) == NULL);
    /* menu shape */
    const char *m = "Home | World | Business | Sport";
    CHECK(feat(m, NULL, NULL, 1, "separated_short_items") == 1 && feat(m, NULL, NULL, 1, "separators_log") == 2);
}

TEST(lexicon)
{
    /* one word, two and three words, across punctuation and case; a prefix
     * that does not complete a phrase matches nothing */
    const char *t = "We use COOKIES here.\nShare on: Facebook\nPlease leave a reply below\nLire la suite\n"
                    "Lire la page entière\nA leave of absence";
    CHECK(feat(t, NULL, NULL, 1, "lx_cookie") == 1);
    CHECK(feat(t, NULL, NULL, 2, "lx_share") == 1 && feat(t, NULL, NULL, 2, "lx_cookie") == 0);
    CHECK(feat(t, NULL, NULL, 3, "lx_comment") == 1);
    CHECK(feat(t, NULL, NULL, 4, "lx_nav") == 1);
    CHECK(feat(t, NULL, NULL, 5, "lx_nav") == 0);
    CHECK(feat(t, NULL, NULL, 6, "lx_comment") == 0);
    CHECK(feat(t, NULL, NULL, 2, "prev_phrase") == 1 && feat(t, NULL, NULL, 6, "prev_phrase") == 0);
}

TEST(blank_lines_and_context)
{
    /* a final newline ends the last line: it does not start another */
    const char *t = "Title\n\n  \nA long paragraph of text that goes on and on, as the paragraphs of articles in the news "
                    "usually do for a while.\n";
    tms_lines_input in = {t, strlen(t), NULL, 0, NULL, 0};
    const float *f;
    const bool *blank;
    size_t n;
    CHECK(tms_lines_features(W, NULL, &in, &f, &blank, &n) == TAMIS_OK);
    CHECK(n == 4 && !blank[0] && blank[1] && blank[2] && !blank[3]);
    CHECK(feat(t, NULL, NULL, 1, "heading_shape") == 1);
    CHECK(feat(t, NULL, NULL, 4, "prev_blank") == 1 && feat(t, NULL, NULL, 1, "next_blank") == 1);
    CHECK(feat(t, NULL, NULL, 1, "pos_top") == 1 && feat(t, NULL, NULL, 4, "pos_bottom") == 1);
}

/* ---- the stage ---- */

static tms_arena A;

typedef struct run_result {
    tms_verdict v;
    const char *text;
    size_t len;
    const char *reason;
    const char *meta;
    uint32_t ctr[32];
} run_result;

static run_result run_stage(const char *text, double threshold)
{
    run_result r;
    memset(&r, 0, sizeof r);
    tms_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.lines_threshold = threshold;
    cfg.explain = true;
    void *g, *w;
    CHECK(tms_stage_lines.global_create(&cfg, &g) == TAMIS_OK);
    CHECK(tms_stage_lines.worker_create(g, &cfg, &w) == TAMIS_OK);
    tms_doc d;
    memset(&d, 0, sizeof d);
    d.text = text;
    d.len = strlen(text);
    d.arena = &A;
    d.reject_at = -1;
    CHECK(tms_stage_lines.process(w, &d, r.ctr, &r.v) == TAMIS_OK);
    r.text = d.text;
    r.len = d.len;
    r.reason = r.v == TMS_REJECT ? d.reason : NULL;
    r.meta = d.meta ? tms_arena_strndup(&A, d.meta->json, d.meta->len) : NULL;
    tms_stage_lines.worker_free(w);
    tms_stage_lines.global_free(g);
    return r;
}

TEST(stage_extremes)
{
    const char *t = "First line of the text.\n\nSecond line, after a blank one.\nThird.\n";
    run_result all = run_stage(t, 1e-12); /* everything is boilerplate */
    CHECK(all.v == TMS_REJECT && all.reason && !strcmp(all.reason, "no_content_left"));
    CHECK(all.ctr[0] == 3 && all.ctr[1] == 3);   /* lines, lines_removed: blank lines are not counted */
    CHECK(all.meta && !strncmp(all.meta, "[{\"line\":1,\"reason\":\"", 21) && strstr(all.meta, "{\"line\":4,"));
    CHECK(!strstr(all.meta, "\"line\":2,") && !strstr(all.meta, "\"line\":5,")); /* blank lines never listed */
    run_result none = run_stage(t, 1 - 1e-12); /* nothing is */
    CHECK(none.v == TMS_KEEP && none.text == t && none.ctr[1] == 0 && none.meta == NULL);
}

int main(void)
{
    tms_arena_init(&A, 1 << 16);
    if (tms_lines_worker_create(&W) != TAMIS_OK) return 1;
    RUN(model_matches_features);
    RUN(truncation);
    RUN(repeats_in_document);
    RUN(corpus_and_site);
    RUN(corpus_table_grows);
    RUN(words_and_languages);
    RUN(corpus_sorted_and_loaded);
    RUN(lexicon);
    RUN(blank_lines_and_context);
    RUN(stage_extremes);
    tms_lines_worker_free(W);
    tms_arena_destroy(&A);
    DONE("stage_lines");
}
