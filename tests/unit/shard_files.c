/*
 * shard_files.c -- the files of sharded steps (src/shard/shard_file.c):
 * whole and streamed round trips, and a reader that refuses another kind,
 * another configuration, a damaged payload or a cut file; and the line
 * counts merge (src/shard/lines_shard.c): k-way sums, only repeated keys
 * kept, shards out of order refused.
 */
#include "harness.h"
#include "../../src/shard/lines_shard.h"
#include "../../src/shard/shard_file.h"
#include "../../src/core/alloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char work[256];

static void make_work(void)
{
    snprintf(work, sizeof work, "/tmp/tamis-shard-files-XXXXXX");
    CHECK(mkdtemp(work) != NULL);
}

static void remove_work(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    CHECK(system(cmd) == 0);
}

static void flip(const char *step, const char *name, long from_end)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", work, step, name);
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (!f) return;
    fseek(f, -from_end, SEEK_END);
    int c = fgetc(f);
    fseek(f, -from_end, SEEK_END);
    fputc(c ^ 0xFF, f);
    fclose(f);
}

TEST(round_trips_and_refusals)
{
    make_work();
    char err[512] = "";
    tms_buf b, r;
    tms_buf_init(&b, 1 << 20);
    tms_buf_init(&r, 1 << 20);
    for (int i = 0; i < 1000; i++) CHECK(tms_buf_add(&b, &i, sizeof i) == TAMIS_OK);
    CHECK(tms_sf_write(work, "s", "a", TMS_SF_EDGES, "x = 1\n", &b, err, sizeof err) == TAMIS_OK);
    char *cfg = NULL;
    CHECK(tms_sf_read(work, "s", "a", TMS_SF_EDGES, &cfg, false, &r, err, sizeof err) == TAMIS_OK);
    CHECK(cfg && !strcmp(cfg, "x = 1\n"));
    CHECK(r.len == b.len && !memcmp(r.data, b.data, b.len));
    tms_free(cfg);
    /* streamed: the same bytes, in pieces */
    tms_sf_stream *s;
    CHECK(tms_sf_create(work, "s", "b", TMS_SF_EDGES, "x = 1\n", &s, err, sizeof err) == TAMIS_OK);
    for (size_t off = 0; off < b.len; off += 7) CHECK(tms_sf_put(s, b.data + off, b.len - off < 7 ? b.len - off : 7) == TAMIS_OK);
    CHECK(tms_sf_close(s, err, sizeof err) == TAMIS_OK);
    char *want = "x = 1\n";
    CHECK(tms_sf_read(work, "s", "b", TMS_SF_EDGES, &want, true, &r, err, sizeof err) == TAMIS_OK);
    CHECK(r.len == b.len && !memcmp(r.data, b.data, b.len));
    /* refusals, each naming the file */
    CHECK(tms_sf_read(work, "s", "b", TMS_SF_DEC, &want, true, &r, err, sizeof err) == TAMIS_E_DATA);
    CHECK(strstr(err, "/s/b: holds edges, expected decisions") != NULL);
    char *other = "x = 2\n";
    CHECK(tms_sf_read(work, "s", "b", TMS_SF_EDGES, &other, true, &r, err, sizeof err) == TAMIS_E_USAGE);
    CHECK(strstr(err, "'x = 1' there, 'x = 2' here") != NULL);
    flip("s", "b", 100);
    CHECK(tms_sf_read(work, "s", "b", TMS_SF_EDGES, &want, true, &r, err, sizeof err) == TAMIS_E_DATA);
    CHECK(strstr(err, "checksum mismatch") != NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/s/a", work);
    CHECK(truncate(path, 200) == 0);
    CHECK(tms_sf_read(work, "s", "a", TMS_SF_EDGES, &want, true, &r, err, sizeof err) == TAMIS_E_DATA);
    CHECK(strstr(err, "truncated") != NULL);
    /* markers */
    CHECK(!tms_sf_done(work, "t", 3));
    CHECK(tms_sf_mark(work, "t", 3, err, sizeof err) == TAMIS_OK);
    CHECK(tms_sf_done(work, "t", 3));
    tms_buf_free(&b);
    tms_buf_free(&r);
    remove_work();
}

/* two shards' tables: the merge sums them and keeps the keys of 2 or more */
TEST(lines_merge)
{
    make_work();
    char err[512] = "";
    tms_lines_corpus *s0, *s1;
    CHECK(tms_lines_corpus_create(&s0) == TAMIS_OK);
    CHECK(tms_lines_corpus_create(&s1) == TAMIS_OK);
    uint64_t a[] = {10, 20, 30}, b[] = {20, 40}, c[] = {30};
    CHECK(tms_lines_corpus_add(s0, a, 3) == TAMIS_OK); /* 10:1 20:1 30:1 */
    CHECK(tms_lines_corpus_add(s1, b, 2) == TAMIS_OK); /* 20:1 40:2 30:1 */
    CHECK(tms_lines_corpus_add(s1, c, 1) == TAMIS_OK);
    CHECK(tms_lines_corpus_add(s1, b + 1, 1) == TAMIS_OK);
    CHECK(tms_ls_merge(work, 2, err, sizeof err) == TAMIS_E_USAGE); /* nothing counted yet */
    CHECK(strstr(err, "shard 0 has no line counts yet") != NULL);
    CHECK(tms_ls_write_counts(work, 0, "c\n", s0, err, sizeof err) == TAMIS_OK);
    CHECK(tms_ls_write_counts(work, 1, "c\n", s1, err, sizeof err) == TAMIS_OK);
    CHECK(tms_ls_merge(work, 2, err, sizeof err) == TAMIS_OK);
    tms_lines_corpus *m;
    CHECK(tms_ls_load(work, "c\n", &m, err, sizeof err) == TAMIS_OK);
    CHECK(tms_lines_corpus_docs(m) == 4);
    CHECK(tms_lines_corpus_entries(m) == 3); /* 20, 30, 40 */
    tms_lines_count *v;
    size_t n;
    CHECK(tms_lines_corpus_sorted(m, &v, &n) == TAMIS_OK);
    CHECK(n == 3 && v[0].key == 20 && v[0].count == 2 && v[1].key == 30 && v[1].count == 2 && v[2].key == 40 &&
          v[2].count == 2);
    free(v);
    tms_lines_corpus_free(m);
    CHECK(tms_ls_load(work, "d\n", &m, err, sizeof err) == TAMIS_E_USAGE); /* another configuration */
    /* a damaged shard: the merge fails and leaves no merged file behind */
    char path[512];
    snprintf(path, sizeof path, "%s/lines-merge/00000.done", work);
    unlink(path);
    snprintf(path, sizeof path, "%s/lines-merge/counts", work);
    unlink(path);
    flip("lines", "shard-00001.counts", 3);
    CHECK(tms_ls_merge(work, 2, err, sizeof err) == TAMIS_E_DATA);
    CHECK(access(path, F_OK) != 0);
    CHECK(tms_ls_load(work, "c\n", &m, err, sizeof err) == TAMIS_E_USAGE);
    CHECK(strstr(err, "not merged yet") != NULL);
    tms_lines_corpus_free(s0);
    tms_lines_corpus_free(s1);
    remove_work();
}

int main(void)
{
    RUN(round_trips_and_refusals);
    RUN(lines_merge);
    DONE("shard_files");
}
