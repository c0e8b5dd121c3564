/* fuzz_common.h -- helpers shared by the libFuzzer targets: invariant checks
 * that trap (so libFuzzer saves the input), a byte toucher that makes
 * AddressSanitizer look at every byte a record claims to own, and a small
 * deterministic PRNG for access patterns. Header-only: the Makefile compiles
 * each tests/fuzz/fuzz_T.c on its own with every library source. */
#ifndef TMS_FUZZ_COMMON_H
#define TMS_FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* An invariant of the library: on violation print which one, then trap. */
#define CHECK(c)                                                                     \
    do {                                                                             \
        if (!(c)) {                                                                  \
            fprintf(stderr, "fuzz invariant violated: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
            __builtin_trap();                                                        \
        }                                                                            \
    } while (0)

/* Reads every byte of p[0..n) (ASan flags any that is not owned memory). */
static inline uint64_t fz_touch(const void *p, size_t n)
{
    const volatile unsigned char *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* splitmix64: the whole access pattern derives from one seed byte. */
typedef struct fz_rng { uint64_t s; } fz_rng;
static inline uint64_t fz_next(fz_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static inline size_t fz_below(fz_rng *r, size_t n) { return n ? (size_t)(fz_next(r) % n) : 0; }
#endif
