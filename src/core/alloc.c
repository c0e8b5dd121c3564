/* alloc.c -- allocation wrappers with a failure-injection hook for tests. */
#include "alloc.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static _Atomic uint64_t fail_countdown;

void tms_alloc_fail_at(uint64_t n) { atomic_store(&fail_countdown, n); }
uint64_t tms_alloc_fail_armed(void) { return atomic_load(&fail_countdown); }

static int should_fail(void)
{
    uint64_t c = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (c == 0) return 0;
    return atomic_fetch_sub(&fail_countdown, 1) == 1;
}

void *tms_malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }
void *tms_calloc(size_t n, size_t size) { return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1); }
void *tms_realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }
void tms_free(void *p) { free(p); }

char *tms_strndup(const char *s, size_t n)
{
    char *d = tms_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *tms_strdup(const char *s) { return tms_strndup(s, strlen(s)); }

int tms_grow_array(void **pp, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap > SIZE_MAX / size) return -1;
    void *np = tms_realloc(*pp, ncap * size);
    if (!np) return -1;
    *pp = np;
    *cap = ncap;
    return 0;
}

int tms_reserve_array(void **pp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / size) return -1;
    void *np = tms_realloc(*pp, ncap * size);
    if (!np) return -1;
    *pp = np;
    *cap = ncap;
    return 0;
}
