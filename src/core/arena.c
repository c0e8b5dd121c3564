/* arena.c -- chunked bump allocator. */
#include "arena.h"
#include "alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct tms_arena_chunk {
    tms_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void tms_arena_init(tms_arena *a, size_t chunk_size)
{
    a->head = a->spare = NULL;
    a->chunk_size = chunk_size ? chunk_size : 1 << 16;
}

void tms_arena_reset(tms_arena *a)
{
    tms_arena_chunk *c = a->head;
    while (c) {
        tms_arena_chunk *n = c->next;
        if (c->size == a->chunk_size) {
            c->used = 0;
            c->next = a->spare;
            a->spare = c;
        } else {
            tms_free(c);
        }
        c = n;
    }
    a->head = NULL;
}

static void free_list(tms_arena_chunk *c)
{
    while (c) {
        tms_arena_chunk *n = c->next;
        tms_free(c);
        c = n;
    }
}

void tms_arena_destroy(tms_arena *a)
{
    free_list(a->head);
    free_list(a->spare);
    a->head = a->spare = NULL;
}

void *tms_arena_alloc(tms_arena *a, size_t n)
{
    if (n > SIZE_MAX / 2) return NULL; /* no such block; also keeps the rounding from wrapping */
    n = (n + 7) & ~(size_t)7;
    tms_arena_chunk *c = a->head;
    if (TMS_LIKELY(c && c->size - c->used >= n)) {
        void *p = c->data + c->used;
        c->used += n;
        return p;
    }
    size_t sz = n > a->chunk_size / 4 ? n : a->chunk_size;
    if (sz > SIZE_MAX - sizeof(tms_arena_chunk)) return NULL;
    tms_arena_chunk *nc;
    if (sz == a->chunk_size && a->spare) {
        nc = a->spare;
        a->spare = nc->next;
    } else if (!(nc = tms_malloc(sizeof(tms_arena_chunk) + sz))) {
        return NULL;
    }
    nc->size = sz;
    nc->used = n;
    if (c && sz != a->chunk_size) {
        /* a big one-off block goes behind the current chunk, so the current keeps filling */
        nc->next = c->next;
        c->next = nc;
    } else {
        nc->next = c;
        a->head = nc;
    }
    return nc->data;
}

char *tms_arena_strndup(tms_arena *a, const char *s, size_t n)
{
    char *d = tms_arena_alloc(a, n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *tms_arena_printf(tms_arena *a, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof tmp) return tms_arena_strndup(a, tmp, (size_t)n);
    char *d = tms_arena_alloc(a, (size_t)n + 1);
    if (!d) return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
