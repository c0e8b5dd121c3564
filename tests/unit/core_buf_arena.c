/* core_buf_arena.c -- unit tests for src/core/buf.c, arena.c and alloc.c:
 * the size cap, take, arena alignment and big blocks, reset, and the
 * failure-injection hook. */
#include "harness.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include <stdint.h>

TEST(buf_basics)
{
    tms_buf b;
    tms_buf_init(&b, 1 << 20);
    CHECK(b.data == NULL && b.len == 0);
    CHECK(tms_buf_add(&b, "", 0) == TAMIS_OK);
    CHECK(b.data && b.len == 0 && b.data[0] == 0); /* NUL-terminated once allocated */
    CHECK(tms_buf_adds(&b, "hello") == TAMIS_OK);
    CHECK(tms_buf_addc(&b, ' ') == TAMIS_OK);
    CHECK(tms_buf_printf(&b, "%d-%s", 42, "x") == TAMIS_OK);
    CHECK(b.len == 10 && !strcmp(b.data, "hello 42-x"));
    /* a long printf (past its stack buffer) */
    char big[2000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(tms_buf_printf(&b, "[%s]", big) == TAMIS_OK);
    CHECK(b.len == 10 + 2001 && b.data[10] == '[' && b.data[b.len - 1] == ']' && b.data[b.len] == 0);
    tms_buf_reset(&b);
    CHECK(b.len == 0 && b.data[0] == 0);
    CHECK(b.cap >= 2011); /* reset keeps the memory */
    tms_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0 && b.max == (1 << 20));
}

TEST(buf_grows_past_many_doublings)
{
    tms_buf b;
    tms_buf_init(&b, SIZE_MAX / 8);
    char chunk[1000];
    for (int i = 0; i < 1000; i++) chunk[i] = (char)('a' + i % 26);
    for (int i = 0; i < 3000; i++) CHECK(tms_buf_add(&b, chunk, sizeof chunk) == TAMIS_OK);
    CHECK(b.len == 3000000 && b.cap >= b.len);
    int same = 1;
    for (size_t i = 0; i < b.len; i += 997) same &= b.data[i] == (char)('a' + (i % 1000) % 26);
    CHECK(same);
    tms_buf_free(&b);
}

TEST(buf_cap_enforced)
{
    tms_buf b;
    tms_buf_init(&b, 10);
    CHECK(tms_buf_adds(&b, "0123456789") == TAMIS_OK); /* exactly max */
    CHECK(b.len == 10 && b.cap == 10);
    CHECK(tms_buf_addc(&b, 'x') == TAMIS_E_TOO_BIG);
    CHECK(tms_buf_add(&b, "yz", 2) == TAMIS_E_TOO_BIG);
    CHECK(tms_buf_printf(&b, "%d", 7) == TAMIS_E_TOO_BIG);
    /* unchanged after the failures */
    CHECK(b.len == 10 && !strcmp(b.data, "0123456789"));
    tms_buf_reset(&b);
    CHECK(tms_buf_adds(&b, "0123") == TAMIS_OK);
    CHECK(tms_buf_adds(&b, "4567890") == TAMIS_E_TOO_BIG);
    CHECK(b.len == 4 && !strcmp(b.data, "0123"));
    /* a huge request does not overflow the size arithmetic */
    CHECK(tms_buf_grow(&b, SIZE_MAX) == TAMIS_E_TOO_BIG);
    CHECK(tms_buf_grow(&b, SIZE_MAX - 2) == TAMIS_E_TOO_BIG);
    CHECK(tms_buf_reserve(&b, SIZE_MAX) == TAMIS_E_TOO_BIG);
    CHECK(b.len == 4 && !strcmp(b.data, "0123"));
    tms_buf_free(&b);

    /* a cap of zero accepts nothing but empty appends */
    tms_buf z;
    tms_buf_init(&z, 0);
    CHECK(tms_buf_addc(&z, 'a') == TAMIS_E_TOO_BIG);
    tms_buf_free(&z);
}

TEST(buf_take)
{
    tms_buf b;
    tms_buf_init(&b, 100);
    CHECK(tms_buf_adds(&b, "taken") == TAMIS_OK);
    size_t n = 0;
    char *d = tms_buf_take(&b, &n);
    CHECK(d && n == 5 && !strcmp(d, "taken"));
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0 && b.max == 100);
    /* the buffer is usable after a take */
    CHECK(tms_buf_adds(&b, "again") == TAMIS_OK && !strcmp(b.data, "again"));
    CHECK(b.data != d);
    tms_free(d);
    tms_buf_free(&b);
    /* take of an empty buffer */
    tms_buf e;
    tms_buf_init(&e, 100);
    CHECK(tms_buf_take(&e, NULL) == NULL);
}

TEST(buf_nomem_leaves_buffer)
{
    tms_buf b;
    tms_buf_init(&b, 1 << 20);
    tms_alloc_fail_at(1);
    CHECK(tms_buf_adds(&b, "x") == TAMIS_E_NOMEM);
    CHECK(b.data == NULL && b.len == 0);
    CHECK(tms_buf_adds(&b, "abc") == TAMIS_OK);
    char big[600];
    memset(big, 'q', sizeof big);
    tms_alloc_fail_at(1);
    CHECK(tms_buf_add(&b, big, sizeof big) == TAMIS_E_NOMEM); /* needs a realloc */
    CHECK(b.len == 3 && !strcmp(b.data, "abc"));
    tms_alloc_fail_at(0);
    CHECK(tms_buf_add(&b, big, sizeof big) == TAMIS_OK && b.len == 603);
    tms_buf_free(&b);
}

TEST(alloc_fail_at_counts)
{
    /* the n-th allocation from now fails, the others do not */
    tms_alloc_fail_at(3);
    void *a = tms_malloc(8), *b = tms_calloc(2, 8), *c = tms_malloc(8), *d = tms_malloc(8);
    CHECK(a && b && !c && d);
    tms_free(a); tms_free(b); tms_free(d);
    tms_alloc_fail_at(1);
    CHECK(tms_strdup("x") == NULL);
    char *s = tms_strndup("hello", 3);
    CHECK(s && !strcmp(s, "hel"));
    tms_free(s);
    tms_alloc_fail_at(1);
    void *r = tms_realloc(NULL, 10);
    CHECK(r == NULL);
    tms_alloc_fail_at(0);
    tms_free(NULL);
}

TEST(arena_alignment)
{
    tms_arena a;
    tms_arena_init(&a, 4096);
    char *prev = NULL;
    for (size_t n = 1; n < 40; n++) {
        char *p = tms_arena_alloc(&a, n);
        CHECK(p != NULL);
        CHECK(((uintptr_t)p & 7) == 0);
        if (prev) CHECK(p != prev);
        memset(p, 0xAB, n); /* ASan checks the block is really n bytes */
        prev = p;
    }
    /* two allocations never overlap */
    char *x = tms_arena_alloc(&a, 3), *y = tms_arena_alloc(&a, 3);
    CHECK(x && y && (y >= x + 3 || x >= y + 3));
    tms_arena_destroy(&a);
}

TEST(arena_big_and_many)
{
    tms_arena a;
    tms_arena_init(&a, 1024);
    char *small = tms_arena_alloc(&a, 16);
    memcpy(small, "0123456789abcdef", 16);
    /* a block bigger than a chunk gets its own */
    char *big = tms_arena_alloc(&a, 100000);
    CHECK(big != NULL && ((uintptr_t)big & 7) == 0);
    memset(big, 'b', 100000);
    /* the current chunk keeps filling after a one-off block */
    char *small2 = tms_arena_alloc(&a, 16);
    CHECK(small2 == small + 16);
    /* many allocations across many chunks keep their contents */
    char *ptrs[500];
    for (int i = 0; i < 500; i++) {
        ptrs[i] = tms_arena_printf(&a, "item-%d", i);
        CHECK(ptrs[i] != NULL);
    }
    int ok = 1;
    for (int i = 0; i < 500; i++) {
        char want[32];
        snprintf(want, sizeof want, "item-%d", i);
        ok &= ptrs[i] && !strcmp(ptrs[i], want);
    }
    CHECK(ok);
    CHECK(!memcmp(small, "0123456789abcdef", 16));
    CHECK(big[0] == 'b' && big[99999] == 'b');
    tms_arena_destroy(&a);
}

TEST(arena_strndup_printf)
{
    tms_arena a;
    tms_arena_init(&a, 0); /* 0 picks the default chunk size */
    CHECK(a.chunk_size > 0);
    char *s = tms_arena_strndup(&a, "abcdef", 3);
    CHECK(s && !strcmp(s, "abc"));
    char *e = tms_arena_strndup(&a, "", 0);
    CHECK(e && e[0] == 0);
    char *p = tms_arena_printf(&a, "%s:%llu", "file.jsonl", 12ULL);
    CHECK(p && !strcmp(p, "file.jsonl:12"));
    /* longer than printf's stack buffer */
    char long_arg[3000];
    memset(long_arg, 'L', sizeof long_arg - 1);
    long_arg[sizeof long_arg - 1] = 0;
    char *l = tms_arena_printf(&a, "<%s>", long_arg);
    CHECK(l && strlen(l) == 3001 && l[0] == '<' && l[1] == 'L' && l[3000] == '>');
    tms_arena_destroy(&a);
}

TEST(arena_reset_keeps_working)
{
    tms_arena a;
    tms_arena_init(&a, 256);
    for (int round = 0; round < 5; round++) {
        char *ptrs[100];
        for (int i = 0; i < 100; i++) {
            ptrs[i] = tms_arena_alloc(&a, 40);
            CHECK(ptrs[i] != NULL);
            if (ptrs[i]) memset(ptrs[i], round + i, 40);
        }
        char *big = tms_arena_alloc(&a, 10000);
        CHECK(big != NULL);
        if (big) memset(big, 1, 10000);
        int intact = 1;
        for (int i = 0; i < 100; i++) intact &= ptrs[i] && ptrs[i][0] == (char)(round + i) && ptrs[i][39] == (char)(round + i);
        CHECK(intact);
        tms_arena_reset(&a);
        /* a reset arena reuses its memory: no allocation is needed */
        tms_alloc_fail_at(1);
        char *first = tms_arena_alloc(&a, 8);
        char *second = tms_arena_alloc(&a, 8);
        tms_alloc_fail_at(0);
        CHECK(first && second == first + 8);
        tms_arena_reset(&a);
    }
    /* reset of a never-used arena and of an arena whose only block is a giant */
    tms_arena b;
    tms_arena_init(&b, 256);
    tms_arena_reset(&b);
    CHECK(tms_arena_alloc(&b, 5000) != NULL);
    tms_arena_reset(&b);
    char *p = tms_arena_alloc(&b, 8);
    CHECK(p != NULL);
    tms_arena_destroy(&b);
    tms_arena_destroy(&a);
    tms_arena_destroy(&a); /* destroy twice is harmless */
}

TEST(arena_nomem)
{
    tms_arena a;
    tms_arena_init(&a, 128);
    tms_alloc_fail_at(1);
    CHECK(tms_arena_alloc(&a, 8) == NULL);
    CHECK(tms_arena_alloc(&a, 8) != NULL);
    /* fill the chunk, then fail the next one */
    for (int i = 0; i < 15; i++) (void)tms_arena_alloc(&a, 8);
    tms_alloc_fail_at(1);
    CHECK(tms_arena_alloc(&a, 64) == NULL);
    tms_alloc_fail_at(1);
    CHECK(tms_arena_strndup(&a, "hello world this is long", 24) == NULL); /* needs a new chunk */
    tms_alloc_fail_at(1);
    CHECK(tms_arena_alloc(&a, 1 << 20) == NULL);
    tms_alloc_fail_at(0);
    /* an impossible size fails instead of wrapping around to a tiny block */
    CHECK(tms_arena_alloc(&a, SIZE_MAX - 3) == NULL);
    CHECK(tms_arena_alloc(&a, SIZE_MAX - 64) == NULL);
    /* and the arena still works */
    char *ok = tms_arena_strndup(&a, "fine", 4);
    CHECK(ok && !strcmp(ok, "fine"));
    tms_arena_destroy(&a);
}

int main(void)
{
    RUN(buf_basics);
    RUN(buf_grows_past_many_doublings);
    RUN(buf_cap_enforced);
    RUN(buf_take);
    RUN(buf_nomem_leaves_buffer);
    RUN(alloc_fail_at_counts);
    RUN(arena_alignment);
    RUN(arena_big_and_many);
    RUN(arena_strndup_printf);
    RUN(arena_reset_keeps_working);
    RUN(arena_nomem);
    DONE("core_buf_arena");
}
