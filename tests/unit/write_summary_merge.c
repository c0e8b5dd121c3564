/* write_summary_merge.c -- unit tests for src/write/summary_merge.c: the
 * summaries of shards fold into one (sums, stages by name, per-stage objects
 * such as "languages", outputs listed per shard, complete only when all are). */
#include "harness.h"
#include "tamis.h"
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/tamis-merge-XXXXXX";

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static const char *A =
    "{\"tamis_version\": \"0.1.0\", \"complete\": true, \"command\": \"tamis run a\", \"started\": \"2026-01-01T00:00:00Z\",\n"
    " \"seconds\": 2.5, \"options\": {\"stages\": \"normalize,language\", \"lang-threshold\": 0.65},\n"
    " \"inputs\": [\"a.jsonl\"], \"outputs\": {\"kept\": \"s0/kept.jsonl.zst\", \"rejected\": \"s0/rejected.jsonl.zst\"},\n"
    " \"input_files\": 1, \"docs_in\": 10, \"docs_kept\": 7, \"docs_rejected\": 3,\n"
    " \"rejected_by_reason\": {\"normalize:empty\": 3}, \"records_skipped\": {},\n"
    " \"stages\": [{\"name\": \"read\", \"seconds\": 0.5, \"docs_in\": 10, \"docs_rejected\": 0},\n"
    "   {\"name\": \"normalize\", \"seconds\": 0.25, \"docs_in\": 10, \"docs_rejected\": 3, \"counters\": {\"nfc_changed\": 1}},\n"
    "   {\"name\": \"language\", \"seconds\": 0.125, \"docs_in\": 7, \"docs_rejected\": 0, \"counters\": {\"tagged\": 7},"
    " \"languages\": {\"en\": 5, \"fr\": 2}}]}\n";
static const char *B =
    "{\"tamis_version\": \"0.1.0\", \"complete\": true, \"command\": \"tamis run b\", \"started\": \"2026-01-01T00:00:01Z\",\n"
    " \"seconds\": 3, \"options\": {\"stages\": \"normalize,language\", \"lang-threshold\": 0.65},\n"
    " \"inputs\": [\"b.jsonl\"], \"outputs\": {\"kept\": \"s1/kept.jsonl.zst\", \"rejected\": null},\n"
    " \"input_files\": 1, \"docs_in\": 5, \"docs_kept\": 3, \"docs_rejected\": 2,\n"
    " \"rejected_by_reason\": {\"read:malformed\": 1, \"normalize:empty\": 1}, \"records_skipped\": {\"warcinfo\": 4},\n"
    " \"stages\": [{\"name\": \"read\", \"seconds\": 0.5, \"docs_in\": 5, \"docs_rejected\": 1},\n"
    "   {\"name\": \"normalize\", \"seconds\": 0.25, \"docs_in\": 4, \"docs_rejected\": 1, \"counters\": {\"nfc_changed\": 2}},\n"
    "   {\"name\": \"language\", \"seconds\": 0.125, \"docs_in\": 3, \"docs_rejected\": 0, \"counters\": {\"tagged\": 3},"
    " \"languages\": {\"de\": 1, \"en\": 2}}]}\n";

TEST(sums_and_stages)
{
    put("a.json", A);
    put("b.json", B);
    char pa[256], pb[256], po[256];
    snprintf(pa, sizeof pa, "%s/a.json", dir);
    snprintf(pb, sizeof pb, "%s/b.json", dir);
    snprintf(po, sizeof po, "%s/out.json", dir);
    const char *paths[] = {pa, pb};
    char err[512];
    CHECK(tamis_summary_merge(paths, 2, po, "tamis summary merge a b", err, sizeof err) == TAMIS_OK);
    const char *s = slurp("out.json");
    CHECK(s != NULL);
    if (!s) return;
    CHECK(strstr(s, "\"complete\": true,\n") != NULL);
    CHECK(strstr(s, "\"command\": \"tamis summary merge a b\",\n  \"shards\": 2,\n") != NULL);
    CHECK(strstr(s, "\"started\": \"2026-01-01T00:00:00Z\"") != NULL);
    CHECK(strstr(s, "\"seconds\": 4.000") != NULL); /* 00:00:00 to 00:00:01 + 3 s */
    CHECK(strstr(s, "\"lang-threshold\": 0.65") != NULL); /* options: the first shard's, not summed */
    CHECK(strstr(s, "\"inputs\": [\"a.jsonl\", \"b.jsonl\"]") != NULL);
    CHECK(strstr(s, "\"outputs\": {\"kept\": [\"s0/kept.jsonl.zst\", \"s1/kept.jsonl.zst\"], "
                    "\"rejected\": [\"s0/rejected.jsonl.zst\", null]}") != NULL);
    CHECK(strstr(s, "\"docs_in\": 15,\n  \"docs_kept\": 10,\n  \"docs_rejected\": 5,") != NULL);
    CHECK(strstr(s, "\"rejected_by_reason\": {\"normalize:empty\": 4, \"read:malformed\": 1}") != NULL);
    CHECK(strstr(s, "\"records_skipped\": {\"warcinfo\": 4}") != NULL);
    CHECK(strstr(s, "{\"name\": \"read\", \"seconds\": 1.000, \"docs_in\": 15, \"docs_rejected\": 1}") != NULL);
    CHECK(strstr(s, "{\"name\": \"normalize\", \"seconds\": 0.500, \"docs_in\": 14, \"docs_rejected\": 4, "
                    "\"counters\": {\"nfc_changed\": 3}}") != NULL);
    CHECK(strstr(s, "\"languages\": {\"en\": 7, \"fr\": 2, \"de\": 1}") != NULL);
}

TEST(incomplete_and_errors)
{
    char b2[4096];
    snprintf(b2, sizeof b2, "%s", B);
    char *c = strstr(b2, "\"complete\": true");
    memcpy(c, "\"complete\": 0   ", 16); /* not true: incomplete */
    put("b2.json", b2);
    char pa[256], pb[256], po[256];
    snprintf(pa, sizeof pa, "%s/a.json", dir);
    snprintf(pb, sizeof pb, "%s/b2.json", dir);
    snprintf(po, sizeof po, "%s/out2.json", dir);
    const char *paths[] = {pa, pb};
    char err[512];
    CHECK(tamis_summary_merge(paths, 2, po, "m", err, sizeof err) == TAMIS_OK);
    const char *s = slurp("out2.json");
    CHECK(s && strstr(s, "\"complete\": false,\n  \"stopped\": ") != NULL);

    put("bad.json", "{\"docs_in\": 1}");
    snprintf(pb, sizeof pb, "%s/bad.json", dir);
    CHECK(tamis_summary_merge(paths, 2, po, "m", err, sizeof err) == TAMIS_E_DATA);
    CHECK(strstr(err, "not a tamis summary") != NULL);
    put("bad.json", "{\"docs_in\": 1, ");
    CHECK(tamis_summary_merge(paths, 2, po, "m", err, sizeof err) == TAMIS_E_DATA);
    snprintf(pb, sizeof pb, "%s/missing", dir);
    CHECK(tamis_summary_merge(paths, 2, po, "m", err, sizeof err) == TAMIS_E_IO);
    CHECK(tamis_summary_merge(paths, 0, po, "m", err, sizeof err) == TAMIS_E_USAGE);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    RUN(sums_and_stages);
    RUN(incomplete_and_errors);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    DONE("write_summary_merge");
}
