/* alloc.h -- every allocation of libtamis goes through these wrappers, so
 * tests can fail the N-th allocation (tms_alloc_fail_at). */
#ifndef TMS_ALLOC_H
#define TMS_ALLOC_H
#include <stddef.h>
#include <stdint.h>

void *tms_malloc(size_t n);
void *tms_calloc(size_t n, size_t size);
void *tms_realloc(void *p, size_t n);
void tms_free(void *p);
char *tms_strdup(const char *s);
char *tms_strndup(const char *s, size_t n);

/* Makes room for one more element in an array *pp of *cap elements of
 * `size` bytes holding n, doubling (first: the first capacity). Use through
 * TMS_GROW. @return 0, or -1 on out of memory (the array is unchanged). */
int tms_grow_array(void **pp, size_t *cap, size_t n, size_t size, size_t first);
#define TMS_GROW(ptr, cap, n, first) tms_grow_array((void **)&(ptr), &(cap), (n), sizeof *(ptr), (first))

/* Makes room for at least `need` elements (doubling from 64). @return 0, or
 * -1 on out of memory (the array is unchanged). Use through TMS_RESERVE. */
int tms_reserve_array(void **pp, size_t *cap, size_t need, size_t size);
#define TMS_RESERVE(ptr, cap, need) tms_reserve_array((void **)&(ptr), &(cap), (need), sizeof *(ptr))

/* Test hook: make the n-th allocation from now fail (0 = never). */
void tms_alloc_fail_at(uint64_t n);
/* Allocations left before the armed failure (0: it fired, or none is armed). */
uint64_t tms_alloc_fail_armed(void);
#endif
