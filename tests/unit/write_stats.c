/* write_stats.c -- the report's sketches: bounded whatever the input, the
 * sample is exactly the bottom-k of the id hashes, Space-Saving finds the
 * frequent lines with honest counts, bins are fixed, and stats.json is JSON
 * that renders into a report. */
#include "harness.h"
#include "../../src/core/buf.h"
#include "../../src/core/json.h"
#include "../../src/core/arena.h"
#include "../../src/write/jtree.h"
#include "../../src/write/report.h"
#include "../../src/write/stats.h"
#include <math.h>
#include <stdint.h>
#include <xxhash.h>
#include <stdlib.h>
#include <unistd.h>

static char *write_json(tms_stats *s, size_t *len)
{
    static const char *const names[] = {"normalize", "lines", "gopher_quality"};
    tms_buf b;
    tms_buf_init(&b, (size_t)1 << 30);
    if (tms_stats_write(s, names, &b) != TAMIS_OK) return NULL;
    return tms_buf_take(&b, len);
}

static const tms_jv *parse(tms_arena *a, const char *text, size_t len)
{
    tms_jv *v = NULL;
    char err[128];
    return tms_jv_parse(a, text, len, &v, err, sizeof err) == TAMIS_OK ? v : NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

TEST(bins_are_fixed_and_ordered)
{
    CHECK(tms_hist_bin(TMS_HIST_FRAC, 0) == 0);
    CHECK(tms_hist_bin(TMS_HIST_FRAC, 0.3) == 30);    /* a threshold starts its bin */
    CHECK(tms_hist_bin(TMS_HIST_FRAC, 0.29) == 29);
    CHECK(tms_hist_bin(TMS_HIST_FRAC, 1.0) == tms_hist_nbins(TMS_HIST_FRAC) - 1);
    CHECK(tms_hist_bin(TMS_HIST_FRAC, 7.0) == tms_hist_nbins(TMS_HIST_FRAC) - 1);
    CHECK(tms_hist_bin(TMS_HIST_FRAC, NAN) == 0);
    CHECK(tms_hist_bin(TMS_HIST_FRAC, -1) == 0);
    CHECK(tms_hist_bin(TMS_HIST_SCALE, 3.0) == 12);
    CHECK(tms_hist_bin(TMS_HIST_COUNT, 0) == 0);
    CHECK(tms_hist_bin(TMS_HIST_COUNT, 1e30) == tms_hist_nbins(TMS_HIST_COUNT) - 1);
    /* every value is in the bin whose bounds hold it */
    for (int sc = 0; sc < 3; sc++)
        for (double v = 0; v < (sc == TMS_HIST_COUNT ? 1e6 : 1.0); v = v * 1.37 + 0.013) {
            size_t b = tms_hist_bin(sc, v);
            CHECK(tms_hist_lo(sc, b) <= v + 1e-9);
            if (b + 1 < tms_hist_nbins(sc)) CHECK(v < tms_hist_lo(sc, b + 1) + 1e-9);
        }
}

TEST(sample_is_bottom_k_and_bounded)
{
    tms_stats *s;
    CHECK(tms_stats_create(3, &s) == TAMIS_OK);
    enum { N = 200000 };
    static uint64_t h[N];
    char id[32], text[4000];
    memset(text, 'x', sizeof text);
    for (int i = 0; i < N; i++) {
        int n = snprintf(id, sizeof id, "doc-%d", i);
        h[i] = XXH3_64bits(id, (size_t)n);
        tms_sample_doc d = {id, (size_t)n, NULL, text, sizeof text, true, i * 0.5, 3, "en", 2};
        CHECK(tms_stats_sample(s, "gopher_quality", "gopher_short_doc", &d) == TAMIS_OK);
    }
    qsort(h, N, sizeof h[0], cmp_u64);
    size_t len;
    char *json = write_json(s, &len);
    CHECK(json != NULL);
    tms_arena a;
    tms_arena_init(&a, 1 << 16);
    const tms_jv *root = parse(&a, json, len);
    CHECK(root != NULL);
    const tms_jv *set = tms_jv_get(tms_jv_get(root, "samples"), "gopher_quality:gopher_short_doc");
    const tms_jv *docs = tms_jv_get(set, "docs");
    CHECK(tms_jv_num(tms_jv_get(set, "offered"), 0) == N);
    CHECK(docs && docs->n == TMS_SAMPLE_K);
    for (size_t k = 0; docs && k < docs->n; k++) {
        char want[20];
        snprintf(want, sizeof want, "%016llx", (unsigned long long)h[k]);
        const char *got = tms_jv_str(&a, tms_jv_get(docs->kid[k], "h"));
        CHECK(got && !strcmp(got, want));
        const char *exc = tms_jv_str(&a, tms_jv_get(docs->kid[k], "excerpt"));
        CHECK(exc && strlen(exc) == TMS_EXCERPT_BYTES); /* cut, whatever the text */
        CHECK(tms_jv_num(tms_jv_get(docs->kid[k], "threshold"), 0) == 3);
    }
    /* the file does not grow with the number of documents */
    CHECK(len < 20000);
    tms_arena_destroy(&a);
    free(json);
    tms_stats_free(s);
}

TEST(excerpt_cut_on_a_character)
{
    tms_stats *s;
    CHECK(tms_stats_create(1, &s) == TAMIS_OK);
    char text[TMS_EXCERPT_BYTES + 8];
    memset(text, 'a', sizeof text);
    memcpy(text + TMS_EXCERPT_BYTES - 1, "\xC3\xA9", 2); /* é across the cut */
    tms_sample_doc d = {"x", 1, "f.jsonl:3", text, sizeof text, false, 0, 0, NULL, 0};
    CHECK(tms_stats_sample(s, "read", "too_large", &d) == TAMIS_OK);
    size_t len;
    char *json = write_json(s, &len);
    tms_arena a;
    tms_arena_init(&a, 1 << 16);
    const tms_jv *root = parse(&a, json, len);
    const tms_jv *x = tms_jv_get(tms_jv_get(tms_jv_get(root, "samples"), "read:too_large"), "docs");
    CHECK(x && x->n == 1);
    const char *exc = x && x->n ? tms_jv_str(&a, tms_jv_get(x->kid[0], "excerpt")) : NULL;
    CHECK(exc && strlen(exc) == TMS_EXCERPT_BYTES - 1);
    CHECK(x && x->n && !tms_jv_get(x->kid[0], "value")); /* nothing measured: no value */
    const char *loc = x && x->n ? tms_jv_str(&a, tms_jv_get(x->kid[0], "location")) : NULL;
    CHECK(loc && !strcmp(loc, "f.jsonl:3"));
    tms_arena_destroy(&a);
    free(json);
    tms_stats_free(s);
}

/* lines with Zipf-like frequencies among many distinct ones: the frequent
 * lines come first with counts whose range holds the truth */
TEST(space_saving_finds_frequent_lines)
{
    tms_stats *s;
    CHECK(tms_stats_create(2, &s) == TAMIS_OK);
    enum { HEAVY = 30, NOISE = 300000 };
    static uint64_t truth[HEAVY];
    char line[64];
    uint64_t rng = 42;
    for (int i = 0; i < NOISE; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        int n = snprintf(line, sizeof line, "noise %llu", (unsigned long long)(rng >> 20));
        CHECK(tms_stats_removed_line(s, "lines", line, (size_t)n, "menu") == TAMIS_OK);
        if (i % 7 == 0) {
            int k = (int)((rng >> 40) % HEAVY);
            if (((rng >> 8) & 3) == 0 || k < 5) { /* heavy k, more so for the first five */
                n = snprintf(line, sizeof line, "Share this article %d", k);
                CHECK(tms_stats_removed_line(s, "lines", line, (size_t)n, "share_widget") == TAMIS_OK);
                truth[k]++;
            }
        }
    }
    size_t len;
    char *json = write_json(s, &len);
    tms_arena a;
    tms_arena_init(&a, 1 << 16);
    const tms_jv *root = parse(&a, json, len);
    const tms_jv *lines = tms_jv_get(root, "removed_lines");
    CHECK(lines && lines->n == TMS_TOPLINES_OUT);
    uint64_t total = (uint64_t)tms_jv_num(tms_jv_get(root, "lines_removed"), 0);
    uint64_t heavy_total = 0;
    for (int k = 0; k < HEAVY; k++) heavy_total += truth[k];
    CHECK(total == NOISE + heavy_total);
    /* the five heaviest lines lead, each count range holds the true count */
    for (size_t i = 0; lines && i < 5; i++) {
        const char *t = tms_jv_str(&a, tms_jv_get(lines->kid[i], "text"));
        const char *r = tms_jv_str(&a, tms_jv_get(lines->kid[i], "reason"));
        int k = -1;
        CHECK(t && sscanf(t, "Share this article %d", &k) == 1 && k >= 0 && k < 5);
        CHECK(r && !strcmp(r, "share_widget"));
        uint64_t c = (uint64_t)tms_jv_num(tms_jv_get(lines->kid[i], "count"), 0);
        uint64_t e = (uint64_t)tms_jv_num(tms_jv_get(lines->kid[i], "error"), 0);
        if (k >= 0 && k < HEAVY) CHECK(c - e <= truth[k] && truth[k] <= c);
    }
    /* counts never rise down the list */
    for (size_t i = 1; lines && i < lines->n; i++)
        CHECK(tms_jv_num(tms_jv_get(lines->kid[i], "count"), 0) <= tms_jv_num(tms_jv_get(lines->kid[i - 1], "count"), 0));
    tms_arena_destroy(&a);
    free(json);
    tms_stats_free(s);
}

TEST(clusters_lengths_measures_and_a_report)
{
    tms_stats *s;
    CHECK(tms_stats_create(3, &s) == TAMIS_OK);
    size_t len_at[3] = {100, 90, 80};
    for (int i = 0; i < 10; i++) tms_stats_doc(s, 3, len_at, 100, i < 6, 80);
    tms_stats_doc(s, 1, len_at, 100, false, 0);
    /* clusters: copy 1 has 1 duplicate, copy 2 has 3, copy 3 has 3 */
    uint64_t dups[] = {1, 2, 2, 2, 3, 3, 3};
    for (size_t i = 0; i < TMS_ARRAY_LEN(dups); i++) CHECK(tms_stats_duplicate(s, "near_dedup", dups[i]) == TAMIS_OK);
    CHECK(tms_stats_duplicate(s, "exact_dedup", 1) == TAMIS_OK); /* the same key in another stage */
    for (int i = 0; i < 10; i++)
        CHECK(tms_stats_measure(s, "gopher_quality", "gopher_short_doc", i * 10.0, 50, TMS_HIST_COUNT, false) == TAMIS_OK);
    CHECK(tms_stats_rule(s, "gopher_quality", "gopher_short_doc", "gopher-min-words", "50", "50", "fewer than 50 words") ==
          TAMIS_OK);
    size_t len;
    char *json = write_json(s, &len);
    tms_arena a;
    tms_arena_init(&a, 1 << 16);
    const tms_jv *root = parse(&a, json, len);
    CHECK(root != NULL);
    const tms_jv *nd = tms_jv_get(tms_jv_get(root, "cluster_sizes"), "near_dedup");
    CHECK(tms_jv_num(tms_jv_get(nd, "2"), 0) == 1 && tms_jv_num(tms_jv_get(nd, "4"), 0) == 2);
    CHECK(tms_jv_num(tms_jv_get(tms_jv_get(tms_jv_get(root, "cluster_sizes"), "exact_dedup"), "2"), 0) == 1);
    const tms_jv *st = tms_jv_get(root, "stages");
    CHECK(st && st->n == 3 && tms_jv_num(tms_jv_get(st->kid[0], "docs_in"), 0) == 11 &&
          tms_jv_num(tms_jv_get(st->kid[2], "bytes_in"), 0) == 800);
    CHECK(tms_jv_num(tms_jv_get(root, "docs_kept"), 0) == 6);
    const tms_jv *m = tms_jv_get(tms_jv_get(root, "measures"), "gopher_quality:gopher_short_doc");
    CHECK(tms_jv_num(tms_jv_get(m, "n"), 0) == 10 && tms_jv_num(tms_jv_get(m, "threshold"), 0) == 50);
    /* a report of these stats and a minimal summary: charts with bars, every reason linked */
    static const char summary[] =
        "{\"tamis_version\": \"0.1.0\", \"complete\": true, \"command\": \"tamis run <x> -o y\", \"seconds\": 1.5,"
        "\"docs_in\": 11, \"docs_kept\": 6, \"docs_rejected\": 5, \"bytes_in\": 1100, \"bytes_out\": 480,"
        "\"rejected_by_reason\": {\"gopher_quality:gopher_short_doc\": 4, \"normalize:empty\": 1},"
        "\"stages\": [{\"name\": \"read\", \"docs_in\": 11, \"docs_rejected\": 0}]}";
    tms_buf h;
    tms_buf_init(&h, (size_t)1 << 30);
    char err[128] = "";
    CHECK(tms_report_render(summary, sizeof summary - 1, json, len, &h, err, sizeof err) == TAMIS_OK);
    CHECK(h.data && strstr(h.data, "data-reason=\"gopher_quality:gopher_short_doc\""));
    CHECK(h.data && strstr(h.data, "id=\"rule-gopher_quality--gopher_short_doc\""));
    CHECK(h.data && strstr(h.data, "id=\"rule-normalize--empty\"")); /* no rule recorded: still a target */
    CHECK(h.data && strstr(h.data, "tamis run &lt;x&gt; -o y"));      /* escaped */
    CHECK(h.data && !strstr(h.data, "http://") && !strstr(h.data, "https://")); /* nothing to fetch */
    tms_buf_free(&h);
    /* and without stats.json */
    tms_buf_init(&h, (size_t)1 << 30);
    CHECK(tms_report_render(summary, sizeof summary - 1, NULL, 0, &h, err, sizeof err) == TAMIS_OK);
    CHECK(h.data && strstr(h.data, "--no-report"));
    tms_buf_free(&h);
    /* a damaged stats.json is an error with a message, not a crash */
    tms_buf_init(&h, (size_t)1 << 30);
    CHECK(tms_report_render(summary, sizeof summary - 1, json, len / 2, &h, err, sizeof err) == TAMIS_E_DATA);
    CHECK(err[0] != 0);
    tms_buf_free(&h);
    tms_arena_destroy(&a);
    free(json);
    tms_stats_free(s);
}

static void write_to(tms_stats *s, const char *dir)
{
    size_t len;
    char *json = write_json(s, &len);
    char path[256];
    snprintf(path, sizeof path, "%s/stats.json", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f && json && fwrite(json, 1, len, f) == len);
    if (f) fclose(f);
    free(json);
}

/* Two shards: the merged removed lines keep the true count in [count - error, count] even for a line one
 * shard counted but did not write, and each reason's sample is the smallest hashes of both. */
TEST(merge_over_shards_stays_exact_and_bounded)
{
    char a[] = "/tmp/tms-stats-aXXXXXX", b[] = "/tmp/tms-stats-bXXXXXX";
    CHECK(mkdtemp(a) && mkdtemp(b));
    tms_stats *sa = NULL, *sb = NULL;
    CHECK(tms_stats_create(3, &sa) == TAMIS_OK && tms_stats_create(3, &sb) == TAMIS_OK);
    char line[64];
    for (int i = 0; i < 5; i++) CHECK(tms_stats_removed_line(sa, "lines", "Share this", 10, "share_widget") == TAMIS_OK);
    CHECK(tms_stats_removed_line(sb, "lines", "Share this", 10, "share_widget") == TAMIS_OK); /* 1: below b's 200 */
    for (int k = 0; k < 300; k++)
        for (int r = 0; r < 2; r++) {
            int n = snprintf(line, sizeof line, "menu item %d", k);
            CHECK(tms_stats_removed_line(sb, "lines", line, (size_t)n, "menu") == TAMIS_OK);
        }
    for (int i = 0; i < 40; i++) { /* samples from both */
        int n = snprintf(line, sizeof line, "doc-%d", i);
        tms_sample_doc d = {line, (size_t)n, NULL, "text", 4, false, 0, 0, NULL, 0};
        CHECK(tms_stats_sample(i % 2 ? sa : sb, "normalize", "empty", &d) == TAMIS_OK);
    }
    write_to(sa, a);
    write_to(sb, b);
    const char *dirs[] = {a, b};
    tms_buf m;
    tms_buf_init(&m, (size_t)1 << 30);
    char err[256] = "";
    CHECK(tms_json_merge(dirs, 2, "stats.json", NULL, &m, err, sizeof err) == TAMIS_OK);
    tms_arena ar;
    tms_arena_init(&ar, 1 << 16);
    const tms_jv *root = parse(&ar, m.data, m.len);
    CHECK(root != NULL);
    const tms_jv *lines = tms_jv_get(root, "removed_lines");
    CHECK(lines && lines->n == TMS_TOPLINES_OUT);
    bool found = false;
    for (size_t i = 0; lines && i < lines->n; i++) {
        const char *t = tms_jv_str(&ar, tms_jv_get(lines->kid[i], "text"));
        if (!t || strcmp(t, "Share this")) continue;
        found = true;
        uint64_t c = (uint64_t)tms_jv_num(tms_jv_get(lines->kid[i], "count"), 0);
        uint64_t e = (uint64_t)tms_jv_num(tms_jv_get(lines->kid[i], "error"), 0);
        CHECK(c - e <= 6 && 6 <= c); /* counted 5 + 1 times */
        CHECK(e > 0);                /* b did not write it: its floor went in */
    }
    CHECK(found);
    CHECK(tms_jv_num(tms_jv_get(root, "lines_removed"), 0) == 5 + 1 + 600);
    const tms_jv *docs = tms_jv_get(tms_jv_get(tms_jv_get(root, "samples"), "normalize:empty"), "docs");
    CHECK(docs && docs->n == TMS_SAMPLE_K);
    uint64_t hs[40];
    for (int i = 0; i < 40; i++) {
        int n = snprintf(line, sizeof line, "doc-%d", i);
        hs[i] = XXH3_64bits(line, (size_t)n);
    }
    qsort(hs, 40, sizeof hs[0], cmp_u64);
    for (size_t k = 0; docs && k < docs->n; k++) {
        char want[20];
        snprintf(want, sizeof want, "%016llx", (unsigned long long)hs[k]);
        const char *got = tms_jv_str(&ar, tms_jv_get(docs->kid[k], "h"));
        CHECK(got && !strcmp(got, want));
    }
    CHECK(tms_jv_num(tms_jv_get(tms_jv_get(tms_jv_get(root, "samples"), "normalize:empty"), "offered"), 0) == 40);
    tms_arena_destroy(&ar);
    tms_buf_free(&m);
    tms_stats_free(sa);
    tms_stats_free(sb);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", a, b);
    CHECK(system(cmd) == 0);
}

/* shards that removed no line (the slurm merge of a run without lines) */
TEST(merge_of_empty_stats)
{
    char a[] = "/tmp/tms-stats-eXXXXXX", b[] = "/tmp/tms-stats-fXXXXXX";
    CHECK(mkdtemp(a) && mkdtemp(b));
    tms_stats *sa = NULL, *sb = NULL;
    CHECK(tms_stats_create(3, &sa) == TAMIS_OK && tms_stats_create(3, &sb) == TAMIS_OK);
    write_to(sa, a);
    write_to(sb, b);
    const char *dirs[] = {a, b};
    tms_buf m;
    tms_buf_init(&m, (size_t)1 << 30);
    char err[256] = "";
    CHECK(tms_json_merge(dirs, 2, "stats.json", NULL, &m, err, sizeof err) == TAMIS_OK);
    CHECK(m.data && strstr(m.data, "\"removed_lines\": []"));
    tms_buf_free(&m);
    tms_stats_free(sa);
    tms_stats_free(sb);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", a, b);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    RUN(bins_are_fixed_and_ordered);
    RUN(sample_is_bottom_k_and_bounded);
    RUN(excerpt_cut_on_a_character);
    RUN(space_saving_finds_frequent_lines);
    RUN(clusters_lengths_measures_and_a_report);
    RUN(merge_over_shards_stays_exact_and_bounded);
    RUN(merge_of_empty_stats);
    DONE("write_stats");
}
