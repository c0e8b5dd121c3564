/*
 * lines-features -- a developer tool: the `lines` stage's features of every
 * line of a JSONL file, as TSV, for scripts/train-lines.py. The file is its
 * own corpus: a first pass counts its lines as the stage's corpus pass does
 * (without normalize or exact_dedup: the labelled data is read as it is).
 *
 *   lines-features [--no-corpus] FILE.jsonl > features.tsv
 *
 * Output: a header "doc<TAB>line<TAB>name..." and one row per line of every
 * document (doc from 0 in file order, line from 1).
 */
#include "core/arena.h"
#include "core/msg.h"
#include "read/reader.h"
#include "read/stream.h"
#include "stage/lines.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int die(const char *what, tamis_status st)
{
    fprintf(stderr, "lines-features: %s: %s\n", what, tamis_strerror(st));
    return 1;
}

/* Calls fn for every record of path. */
static int each_record(const char *path, int (*fn)(void *ctx, const tms_record *rec), void *ctx)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    tms_stream *s;
    tamis_status st = tms_stream_open(&s, fd);
    if (st != TAMIS_OK) return die(path, st);
    tms_read_opts ro = {.text_field = "text", .id_field = "id", .max_doc_bytes = (size_t)1 << 30, .max_json_depth = 64,
                        .format = TMS_FMT_AUTO};
    tms_msgs msgs = {0};
    tms_skip_counts skips = {0};
    tms_reader *r;
    st = tms_reader_open(&r, s, path, path, 0, &ro, &msgs, &skips);
    if (st != TAMIS_OK) return die(path, st);
    tms_arena a;
    tms_arena_init(&a, (size_t)1 << 20);
    int rc = 0;
    for (;;) {
        tms_record rec;
        memset(&rec, 0, sizeof rec);
        bool eof;
        st = tms_reader_next(r, &a, &rec, &eof);
        if (st != TAMIS_OK) {
            rc = die(path, st);
            break;
        }
        if (eof) break;
        if ((rc = fn(ctx, &rec)) != 0) break;
        tms_arena_reset(&a);
    }
    tms_reader_free(r);
    tms_arena_destroy(&a);
    return rc;
}

typedef struct ctx {
    tms_lines_worker *w;
    tms_lines_corpus *corpus;
    size_t doc;
} ctx;

static void input_of(const tms_record *rec, tms_lines_input *in)
{
    in->text = rec->text;
    in->len = rec->text_len;
    in->url = rec->url ? rec->url : rec->doc_url;
    in->url_len = in->url ? strlen(in->url) : 0;
    in->lang = rec->lang;
    in->lang_len = rec->lang_len;
}

static int count(void *p, const tms_record *rec)
{
    ctx *c = p;
    tms_lines_input in;
    input_of(rec, &in);
    const uint64_t *keys;
    size_t n;
    tamis_status st = tms_lines_keys(c->w, &in, &keys, &n);
    if (st == TAMIS_OK) st = tms_lines_corpus_add(c->corpus, keys, n);
    return st == TAMIS_OK ? 0 : die("corpus", st);
}

static int dump(void *p, const tms_record *rec)
{
    ctx *c = p;
    tms_lines_input in;
    input_of(rec, &in);
    const float *feat;
    const bool *blank;
    size_t nl, nf = tms_lines_nfeat();
    tamis_status st = tms_lines_features(c->w, c->corpus, &in, &feat, &blank, &nl);
    if (st != TAMIS_OK) return die("features", st);
    for (size_t i = 0; i < nl; i++) {
        printf("%zu\t%zu", c->doc, i + 1);
        for (size_t k = 0; k < nf; k++) printf("\t%.6g", (double)feat[i * nf + k]);
        putchar('\n');
    }
    c->doc++;
    return 0;
}

int main(int argc, char **argv)
{
    bool corpus = true;
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--no-corpus")) corpus = false, i++;
    if (i + 1 != argc) {
        fprintf(stderr, "usage: lines-features [--no-corpus] FILE.jsonl > features.tsv\n");
        return 2;
    }
    ctx c = {0};
    tamis_status st = tms_lines_worker_create(&c.w);
    if (st == TAMIS_OK && corpus) st = tms_lines_corpus_create(&c.corpus);
    if (st != TAMIS_OK) return die("init", st);
    if (corpus && each_record(argv[i], count, &c)) return 1;
    printf("doc\tline");
    for (size_t k = 0; k < tms_lines_nfeat(); k++) printf("\t%s", tms_lines_feat_name(k));
    putchar('\n');
    int rc = each_record(argv[i], dump, &c);
    tms_lines_worker_free(c.w);
    tms_lines_corpus_free(c.corpus);
    return rc;
}
