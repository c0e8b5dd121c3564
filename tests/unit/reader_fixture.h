/* reader_fixture.h -- what the reader tests share: a message box, and a
 * context that opens bytes as an in-memory file and reads every record. */
#ifndef TAMIS_READER_FIXTURE_H
#define TAMIS_READER_FIXTURE_H
#include "read/reader.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct msgbox {
    char m[64][512];
    int n;
} msgbox;

static inline void on_msg(void *ctx, int level, const char *msg)
{
    msgbox *b = ctx;
    (void)level;
    if (b->n < 64) snprintf(b->m[b->n++], sizeof b->m[0], "%s", msg);
}

static inline int msg_has(const msgbox *b, const char *needle)
{
    for (int i = 0; i < b->n; i++)
        if (strstr(b->m[i], needle)) return 1;
    fprintf(stderr, "    no message contains '%s' (%d messages)\n", needle, b->n);
    for (int i = 0; i < b->n; i++) fprintf(stderr, "      %s\n", b->m[i]);
    return 0;
}

/* p[0..n) is the string want; says what it was when not */
static inline int str_is(const char *p, size_t n, const char *want)
{
    if (p && n == strlen(want) && !memcmp(p, want, n)) return 1;
    fprintf(stderr, "    '%.*s' (%zu bytes) is not '%s'\n", p ? (int)n : 0, p ? p : "", n, want);
    return 0;
}

/* how many records of a type were skipped */
static inline uint64_t skipped(const tms_skip_counts *k, const char *type)
{
    for (size_t i = 0; i < k->used; i++)
        if (!strcmp(k->type[i], type)) return k->n[i];
    return 0;
}

/* everything a test needs to read one stream */
typedef struct ctx {
    tms_read_opts o;
    msgbox box;
    tms_msgs msgs;
    tms_skip_counts skips;
    tms_arena arena;
    tms_reader *r;
    tms_record rec[64];
    size_t n;
    tamis_status st;
} ctx;

static inline void setup(ctx *c, size_t max_doc)
{
    memset(c, 0, sizeof *c);
    c->o.text_field = "text";
    c->o.id_field = "id";
    c->o.max_doc_bytes = max_doc;
    c->o.max_json_depth = 64;
    c->o.format = TMS_FMT_AUTO;
    c->msgs.fn = on_msg;
    c->msgs.ctx = &c->box;
    tms_arena_init(&c->arena, 1 << 16);
}

/* opens data as file `path` (id `rel` for one-document files) and reads every record */
static inline void read_file(ctx *c, const void *data, size_t n, const char *path, const char *rel, uint32_t file_index)
{
    tms_stream *s;
    if (tms_stream_open_mem(&s, data, n) != TAMIS_OK) abort();
    if (tms_reader_open(&c->r, s, path, rel, file_index, &c->o, &c->msgs, &c->skips) != TAMIS_OK) abort();
    for (;;) {
        bool eof;
        tms_record rec;
        c->st = tms_reader_next(c->r, &c->arena, &rec, &eof);
        if (c->st != TAMIS_OK || eof || c->n == 64) break;
        c->rec[c->n++] = rec;
    }
}

static inline void teardown(ctx *c)
{
    tms_reader_free(c->r);
    tms_arena_destroy(&c->arena);
}

/* Reads data as `path` with the k-th allocation failing, for k = 1..max_k:
 * every read must end with TAMIS_OK or TAMIS_E_NOMEM, and one that ends OK
 * must have seen all `want` records. @return how many reads ended OK (the
 * caller checks there was one: the sweep went past the last allocation).
 * Needs harness.h (CHECK) and core/alloc.h. */
static inline int oom_sweep(const char *data, size_t n, const char *path, uint64_t max_k, size_t want)
{
    int ok = 0;
    for (uint64_t k = 1; k < max_k; k++) {
        ctx c;
        setup(&c, 1 << 20);
        tms_stream *s = NULL;
        tms_alloc_fail_at(k);
        tamis_status st = tms_stream_open_mem(&s, data, n);
        if (st == TAMIS_OK) st = tms_reader_open(&c.r, s, path, path, 0, &c.o, &c.msgs, &c.skips);
        size_t got = 0;
        while (st == TAMIS_OK) {
            bool eof;
            tms_record rec;
            st = tms_reader_next(c.r, &c.arena, &rec, &eof);
            if (st != TAMIS_OK || eof) break;
            got++;
        }
        tms_alloc_fail_at(0);
        CHECK(st == TAMIS_OK || st == TAMIS_E_NOMEM);
        if (st == TAMIS_OK) {
            if (got != want) fprintf(stderr, "    k=%llu: %zu records\n", (unsigned long long)k, got);
            CHECK(got == want);
            ok++;
        }
        teardown(&c);
    }
    return ok;
}
#endif
