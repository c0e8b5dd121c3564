/* read_text_walk.c -- unit tests for src/read/text.c (a file is one
 * document) and src/read/walk.c (inputs to the sorted list of files). */
#include "harness.h"
#include "core/alloc.h"
#include "read/reader.h"
#include "reader_fixture.h"
#include "read/walk.h"
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static void read_all(ctx *c, const void *data, size_t n, const char *path, const char *rel, size_t max_doc)
{
    setup(c, max_doc);
    read_file(c, data, n, path, rel, 5);
}

TEST(text_one_document)
{
    const char *t = "\xEF\xBB\xBFTitle\n\nBody with {braces} and caf\xc3\xa9.\n";
    ctx c;
    read_all(&c, t, strlen(t), "corpus/sub/a.txt", "sub/a.txt", 1 << 20);
    CHECK(c.st == TAMIS_OK && c.n == 1);
    CHECK(!strcmp(tms_reader_format(c.r), "txt"));
    if (c.n == 1) {
        tms_record *r = &c.rec[0];
        CHECK(r->kind == TMS_SRC_FRESH && r->reject == NULL);
        CHECK(r->text_len == strlen(t) - 3 && !memcmp(r->text, t + 3, r->text_len)); /* the BOM is dropped */
        CHECK(r->id_len == 9 && !memcmp(r->id, "sub/a.txt", 9));
        CHECK(!strcmp(r->location, "corpus/sub/a.txt"));
        CHECK(r->pos_key == ((uint64_t)5 << 40));
        CHECK(r->bytes_in == strlen(t));
    }
    CHECK(c.box.n == 0);
    teardown(&c);
}

TEST(text_empty_and_big)
{
    ctx c;
    read_all(&c, "", 0, "e.txt", "e.txt", 100);
    CHECK(c.st == TAMIS_OK && c.n == 1);
    if (c.n == 1) CHECK(c.rec[0].text_len == 0 && c.rec[0].reject == NULL);
    teardown(&c);
    /* bigger than the read chunk, with NULs inside: all of it, byte for byte */
    size_t n = 700 * 1024;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i++) big[i] = (char)(i % 251);
    read_all(&c, big, n, "big.txt", "big.txt", n);
    CHECK(c.st == TAMIS_OK && c.n == 1);
    if (c.n == 1) CHECK(c.rec[0].text_len == n && !memcmp(c.rec[0].text, big, n) && c.rec[0].reject == NULL);
    teardown(&c);
    /* one byte over the limit */
    read_all(&c, big, n, "big.txt", "big.txt", n - 1);
    CHECK(c.st == TAMIS_OK && c.n == 1);
    if (c.n == 1) {
        CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "too_large"));
        CHECK(c.rec[0].text_len == 0);
        CHECK(!strcmp(c.rec[0].location, "big.txt"));
    }
    CHECK(c.box.n == 1 && strstr(c.box.m[0], "big.txt: file exceeds --max-doc-bytes"));
    teardown(&c);
    free(big);
}

TEST(text_truncated_gzip_is_malformed)
{
    char plain[4000];
    uint32_t x = 1;
    for (size_t i = 0; i < sizeof plain; i++) {
        x = x * 1103515245u + 12345u;
        plain[i] = (char)('a' + (x >> 16) % 26);
    }
    unsigned char gz[8000];
    z_stream z;
    memset(&z, 0, sizeof z);
    CHECK(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    z.next_in = (unsigned char *)plain;
    z.avail_in = sizeof plain;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    size_t gn = sizeof gz - z.avail_out;
    deflateEnd(&z);
    ctx c;
    read_all(&c, gz, gn, "w.txt.gz", "w.txt.gz", 1 << 20);
    CHECK(c.n == 1 && c.rec[0].reject == NULL && c.rec[0].text_len == sizeof plain);
    teardown(&c);
    read_all(&c, gz, gn / 2, "w.txt.gz", "w.txt.gz", 1 << 20);
    CHECK(c.n == 1);
    if (c.n == 1) CHECK(c.rec[0].reject && !strcmp(c.rec[0].reject, "malformed"));
    CHECK(c.box.n == 1 && strstr(c.box.m[0], "w.txt.gz: truncated gzip member"));
    teardown(&c);
}

/* ---- walk ---- */

static char root[64];

static void touch(const char *rel, const char *content)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (!f) { perror(p); abort(); }
    fputs(content, f);
    fclose(f);
}

static void mk(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    if (mkdir(p, 0755) != 0) { perror(p); abort(); }
}

static void rm_tree(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "    could not remove %s\n", root);
}

TEST(walk_wanted)
{
    const char *yes[] = {"a.txt", "a.jsonl", "a.json", "a.ndjson", "a.warc", "a.wet", "a.wat", "a.arc",
                         "a.txt.gz", "a.jsonl.zst", "a.warc.zstd", "A.TXT", "CC.warc.wet.gz", "x.y.jsonl"};
    const char *no[] = {".hidden.txt", "a.md", "a.gz", "a.tar.gz", "noext", "txt", "a.txt.bz2", "a.zst", ""};
    for (size_t i = 0; i < TMS_ARRAY_LEN(yes); i++)
        if (!tms_walk_wanted(yes[i])) { fprintf(stderr, "    not wanted: %s\n", yes[i]); CHECK(0); }
    for (size_t i = 0; i < TMS_ARRAY_LEN(no); i++)
        if (tms_walk_wanted(no[i])) { fprintf(stderr, "    wanted: %s\n", no[i]); CHECK(0); }
}

TEST(walk_directory_sorted)
{
    snprintf(root, sizeof root, "/tmp/tamis-unit-walk-XXXXXX");
    if (!mkdtemp(root)) { perror("mkdtemp"); CHECK(0); return; }
    touch("b.txt", "bb");
    touch("a.jsonl", "{}\n");
    touch("Z.TXT", "z");
    touch("notes.md", "no");
    touch("x.tar.gz", "no");
    touch(".hidden.txt", "no");
    touch("data.jsonl.zst", "zz");
    mk("sub");
    touch("sub/c.warc.gz", "c");
    touch("sub/a b.txt", "space");
    mk("sub/deeper");
    touch("sub/deeper/d.wet", "dd");
    mk(".git");
    touch(".git/e.txt", "no");
    mk("empty");
    mk("b.txt.d");
    touch("b.txt.d/f.txt", "ff");

    tms_files fs = {0};
    char err[256] = "";
    CHECK(tms_walk(&fs, root, err, sizeof err) == TAMIS_OK);
    const char *want[] = {"Z.TXT", "a.jsonl", "b.txt", "b.txt.d/f.txt", "data.jsonl.zst",
                          "sub/a b.txt", "sub/c.warc.gz", "sub/deeper/d.wet"};
    const uint64_t sizes[] = {1, 3, 2, 2, 2, 5, 1, 2};
    CHECK(fs.n == TMS_ARRAY_LEN(want));
    for (size_t i = 0; i < fs.n && i < TMS_ARRAY_LEN(want); i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", root, want[i]);
        if (strcmp(fs.f[i].rel, want[i]) != 0 || strcmp(fs.f[i].path, path) != 0 || fs.f[i].size != sizes[i]) {
            fprintf(stderr, "    [%zu] %s (%s, %llu), want %s\n", i, fs.f[i].rel, fs.f[i].path,
                    (unsigned long long)fs.f[i].size, want[i]);
            CHECK(0);
        }
    }
    /* a trailing slash does not double up */
    tms_files fs2 = {0};
    char with_slash[80];
    snprintf(with_slash, sizeof with_slash, "%s/", root);
    CHECK(tms_walk(&fs2, with_slash, err, sizeof err) == TAMIS_OK);
    CHECK(fs2.n == fs.n);
    if (fs2.n >= 1) {
        char path[256];
        snprintf(path, sizeof path, "%s/Z.TXT", root);
        CHECK(!strcmp(fs2.f[0].path, path) && !strcmp(fs2.f[0].rel, "Z.TXT"));
    }
    /* a file named directly is taken whatever its name, and inputs accumulate */
    char md[256];
    snprintf(md, sizeof md, "%s/notes.md", root);
    CHECK(tms_walk(&fs2, md, err, sizeof err) == TAMIS_OK);
    CHECK(fs2.n == fs.n + 1 && !strcmp(fs2.f[fs.n].path, md) && !strcmp(fs2.f[fs.n].rel, md));
    CHECK(fs2.f[fs.n].size == 2);
    CHECK(tms_walk(&fs2, "-", err, sizeof err) == TAMIS_OK);
    CHECK(fs2.n == fs.n + 2 && !strcmp(fs2.f[fs.n + 1].path, "-") && fs2.f[fs.n + 1].size == 0);
    tms_files_free(&fs);
    tms_files_free(&fs2);
    CHECK(fs.n == 0 && fs.f == NULL);

    /* an empty directory gives no files, and no error */
    tms_files fe = {0};
    char empty[80];
    snprintf(empty, sizeof empty, "%s/empty", root);
    CHECK(tms_walk(&fe, empty, err, sizeof err) == TAMIS_OK && fe.n == 0);
    tms_files_free(&fe);

    /* out of memory at every allocation of a walk: an error, no leak */
    int saw_ok = 0;
    for (uint64_t k = 1; k < 80; k++) {
        tms_files fm = {0};
        tms_alloc_fail_at(k);
        tamis_status st = tms_walk(&fm, root, err, sizeof err);
        tms_alloc_fail_at(0);
        CHECK(st == TAMIS_OK || st == TAMIS_E_NOMEM);
        if (st == TAMIS_OK) { CHECK(fm.n == TMS_ARRAY_LEN(want)); saw_ok = 1; }
        tms_files_free(&fm);
    }
    CHECK(saw_ok);
    rm_tree();
}

TEST(walk_missing)
{
    tms_files fs = {0};
    char err[256] = "";
    CHECK(tms_walk(&fs, "/nonexistent/tamis/input.txt", err, sizeof err) == TAMIS_E_IO);
    CHECK(strstr(err, "/nonexistent/tamis/input.txt") != NULL);
    CHECK(fs.n == 0);
    tms_files_free(&fs);
}

int main(void)
{
    RUN(text_one_document);
    RUN(text_empty_and_big);
    RUN(text_truncated_gzip_is_malformed);
    RUN(walk_wanted);
    RUN(walk_directory_sorted);
    RUN(walk_missing);
    DONE("read_text_walk");
}
