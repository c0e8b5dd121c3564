/* stage_exact_dedup.c -- unit tests for src/stage/exact_dedup.c: process +
 * commit in input order, duplicate_of, growth of the index with many
 * documents, crafted hashes that crowd one table, and memory failures. */
#include "harness.h"
#include "core/alloc.h"
#include "stage/stage.h"
#include <stdint.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

static const tms_stage_vt *S = &tms_stage_exact_dedup;

static void doc_init(tms_doc *d, const char *text, size_t len, uint64_t pos)
{
    memset(d, 0, sizeof *d);
    d->rec.text = text;
    d->rec.text_len = len;
    d->rec.pos_key = pos;
    d->text = text;
    d->len = len;
    d->reject_at = -1;
    d->duplicate_of = UINT64_MAX;
}

/* process then commit, as the pipeline does; returns the verdict */
static tms_verdict put(void *g, tms_doc *d, uint32_t *ctr)
{
    tms_verdict v = TMS_KEEP;
    if (S->process(NULL, d, ctr, &v) != TAMIS_OK || v != TMS_KEEP) return (tms_verdict)99;
    if (S->commit(g, d, ctr, &v) != TAMIS_OK) return (tms_verdict)98;
    return v;
}

TEST(stage_table)
{
    CHECK(!strcmp(S->name, "exact_dedup"));
    CHECK(S->ncounters == 1 && !strcmp(S->counter_names[0], "distinct"));
    CHECK(S->global_create && S->global_free && S->process && S->commit);
    CHECK(tms_stage_find("exact_dedup", 11) == S);
    CHECK(tms_stage_find("exact", 5) == NULL);
    CHECK(tms_stage_canonical_index("normalize", 9) < tms_stage_canonical_index("exact_dedup", 11));
}

TEST(first_kept_later_rejected)
{
    void *g = NULL;
    CHECK(S->global_create(NULL, &g) == TAMIS_OK && g);
    uint32_t ctr[1] = {0};
    const char *texts[] = {"alpha", "beta", "alpha", "gamma", "beta", "alpha", "", "", "Alpha", "alpha "};
    const uint64_t pos[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    const int dup_of[] = {-1, -1, 0, -1, 1, 0, -1, 6, -1, -1};
    for (size_t i = 0; i < TMS_ARRAY_LEN(texts); i++) {
        tms_doc d;
        doc_init(&d, texts[i], strlen(texts[i]), pos[i]);
        tms_verdict v = put(g, &d, ctr);
        CHECK(d.hash == XXH3_64bits(texts[i], strlen(texts[i])));
        if (dup_of[i] < 0) {
            CHECK(v == TMS_KEEP && d.reason == NULL && d.duplicate_of == UINT64_MAX);
        } else {
            CHECK(v == TMS_REJECT && d.reason && !strcmp(d.reason, "exact_duplicate"));
            CHECK(d.duplicate_of == pos[dup_of[i]]);
        }
    }
    CHECK(ctr[0] == 6); /* alpha beta gamma "" Alpha "alpha " */
    S->global_free(g);
    S->global_free(NULL);
}

TEST(hash_of_current_text)
{
    /* the text as it reaches the stage, not the text as read */
    void *g = NULL;
    CHECK(S->global_create(NULL, &g) == TAMIS_OK);
    uint32_t ctr[1] = {0};
    tms_doc a, b;
    doc_init(&a, "raw one", 7, 1);
    a.text = "same";
    a.len = 4;
    doc_init(&b, "raw two", 7, 2);
    b.text = "same";
    b.len = 4;
    CHECK(put(g, &a, ctr) == TMS_KEEP);
    CHECK(put(g, &b, ctr) == TMS_REJECT && b.duplicate_of == 1);
    /* and only the bytes inside len */
    tms_doc c;
    doc_init(&c, "same but longer", 4, 3);
    CHECK(put(g, &c, ctr) == TMS_REJECT && c.duplicate_of == 1);
    S->global_free(g);
}

TEST(many_documents_grow_the_index)
{
    void *g = NULL;
    CHECK(S->global_create(NULL, &g) == TAMIS_OK);
    uint32_t ctr[1] = {0};
    enum { N = 100000 };
    uint64_t *pos = malloc(N * sizeof *pos);
    /* positions as the pipeline makes them: (file, line) packed, increasing,
     * with jumps of every size, and one "unknown" position */
    uint64_t file = 0, line = 0;
    uint32_t x = 99;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        if ((x >> 16) % 5000 == 0) { file++; line = 0; }
        line += 1 + ((x >> 8) % 7 == 0 ? (x >> 12) % 100000 : 0);
        pos[i] = tms_pos_key((uint32_t)file, line);
    }
    pos[N / 3] = UINT64_MAX;
    char text[32];
    int bad = 0;
    for (size_t i = 0; i < N; i++) {
        int n = snprintf(text, sizeof text, "document number %zu", i);
        tms_doc d;
        doc_init(&d, text, (size_t)n, pos[i]);
        if (put(g, &d, ctr) != TMS_KEEP) bad++;
    }
    CHECK(bad == 0);
    CHECK(ctr[0] == N);
    /* every one again, in another order: each is a duplicate of its first copy */
    bad = 0;
    for (size_t j = 0; j < N; j++) {
        size_t i = (j * 7919) % N;
        int n = snprintf(text, sizeof text, "document number %zu", i);
        tms_doc d;
        doc_init(&d, text, (size_t)n, UINT64_MAX - 1);
        tms_verdict v = put(g, &d, ctr);
        if (v != TMS_REJECT || d.duplicate_of != pos[i]) {
            if (bad++ < 3) fprintf(stderr, "    doc %zu: verdict %d, duplicate_of %llx, want %llx\n", i, v,
                                   (unsigned long long)d.duplicate_of, (unsigned long long)pos[i]);
        }
    }
    CHECK(bad == 0);
    CHECK(ctr[0] == N);
    /* new texts are still new */
    for (size_t i = N; i < N + 1000; i++) {
        int n = snprintf(text, sizeof text, "document number %zu", i);
        tms_doc d;
        doc_init(&d, text, (size_t)n, i);
        CHECK(put(g, &d, ctr) == TMS_KEEP);
    }
    CHECK(ctr[0] == N + 1000);
    free(pos);
    S->global_free(g);
}

/* commit with a chosen hash (process skipped) */
static tms_verdict commit_hash(void *g, uint64_t h, uint64_t pos, uint64_t *dup, uint32_t *ctr)
{
    tms_doc d;
    doc_init(&d, "", 0, pos);
    d.hash = h;
    tms_verdict v = (tms_verdict)97;
    if (S->commit(g, &d, ctr, &v) != TAMIS_OK) return (tms_verdict)98;
    *dup = d.duplicate_of;
    return v;
}

TEST(crafted_hashes)
{
    void *g = NULL;
    CHECK(S->global_create(NULL, &g) == TAMIS_OK);
    uint32_t ctr[1] = {0};
    uint64_t dup;
    /* 3000 hashes in one sub-table whose keys all want the same home slot */
    enum { M = 3000 };
    int bad = 0;
    for (uint64_t i = 0; i < M; i++)
        if (commit_hash(g, 0x4200000000000000ull | (i + 2), 1000 + i, &dup, ctr) != TMS_KEEP) bad++;
    CHECK(bad == 0);
    for (uint64_t i = 0; i < M; i++) {
        tms_verdict v = commit_hash(g, 0x4200000000000000ull | (i + 2), 5, &dup, ctr);
        if (v != TMS_REJECT || dup != 1000 + i) bad++;
    }
    CHECK(bad == 0);
    /* the same low 56 bits under another top byte is another text */
    CHECK(commit_hash(g, 0x4300000000000000ull | 2, 7, &dup, ctr) == TMS_KEEP);
    CHECK(commit_hash(g, 0x4300000000000000ull | 2, 8, &dup, ctr) == TMS_REJECT && dup == 7);
    /* hashes that differ only in the top byte, or only in the lowest bit */
    CHECK(commit_hash(g, 0xFFFFFFFFFFFFFFFFull, 9, &dup, ctr) == TMS_KEEP);
    CHECK(commit_hash(g, 0xFFFFFFFFFFFFFFFEull, 10, &dup, ctr) == TMS_KEEP);
    CHECK(commit_hash(g, 0x7FFFFFFFFFFFFFFFull, 11, &dup, ctr) == TMS_KEEP);
    CHECK(commit_hash(g, 0xFFFFFFFFFFFFFFFFull, 12, &dup, ctr) == TMS_REJECT && dup == 9);
    CHECK(commit_hash(g, 0x7FFFFFFFFFFFFFFFull, 13, &dup, ctr) == TMS_REJECT && dup == 11);
    /* a key not inserted in the crowded table is not found */
    CHECK(commit_hash(g, 0x4200000000000000ull | (M + 2), 14, &dup, ctr) == TMS_KEEP);
    CHECK(ctr[0] == M + 1 + 3 + 1);
    S->global_free(g);
}

TEST(no_memory)
{
    void *g = (void *)1;
    tms_alloc_fail_at(1);
    CHECK(S->global_create(NULL, &g) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    /* a commit that cannot grow the index fails cleanly; the index still works */
    CHECK(S->global_create(NULL, &g) == TAMIS_OK);
    uint32_t ctr[1] = {0};
    int saw_nomem = 0;
    char text[32];
    size_t kept = 0;
    for (size_t i = 0; i < 2000; i++) {
        int n = snprintf(text, sizeof text, "t%zu", i);
        tms_doc d;
        doc_init(&d, text, (size_t)n, i);
        tms_verdict v;
        CHECK(S->process(NULL, &d, ctr, &v) == TAMIS_OK);
        tms_alloc_fail_at(1);
        tamis_status st = S->commit(g, &d, ctr, &v);
        tms_alloc_fail_at(0);
        if (st == TAMIS_E_NOMEM) {
            saw_nomem = 1;
            st = S->commit(g, &d, ctr, &v); /* again, with memory */
        }
        CHECK(st == TAMIS_OK && v == TMS_KEEP);
        kept += v == TMS_KEEP;
    }
    CHECK(saw_nomem);
    CHECK(kept == 2000 && ctr[0] == 2000);
    for (size_t i = 0; i < 2000; i += 97) {
        int n = snprintf(text, sizeof text, "t%zu", i);
        tms_doc d;
        doc_init(&d, text, (size_t)n, 5000);
        CHECK(put(g, &d, ctr) == TMS_REJECT && d.duplicate_of == i);
    }
    S->global_free(g);
}

int main(void)
{
    RUN(stage_table);
    RUN(first_kept_later_rejected);
    RUN(hash_of_current_text);
    RUN(many_documents_grow_the_index);
    RUN(crafted_hashes);
    RUN(no_memory);
    DONE("stage_exact_dedup");
}
