/* harness.h -- a tiny unit-test harness (after redis testhelp.h and lexbor's
 * TEST_BEGIN/TEST_ADD). A test file defines TEST(name) { ... } blocks and a
 * main() that lists them with RUN(name); CHECK(cond) records a failure with
 * file:line and goes on; the last line is "N passed, N failed". */
#ifndef TAMIS_HARNESS_H
#define TAMIS_HARNESS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int h_failed_checks, h_tests_passed, h_tests_failed;
static const char *h_current;

#define TEST(name) static void test_##name(void)
#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            h_failed_checks++;                                                             \
            fprintf(stderr, "  FAIL %s:%d: %s: %s\n", __FILE__, __LINE__, h_current, #cond); \
        }                                                                                  \
    } while (0)
#define CHECK_EQ_STR(a, b, n) CHECK(strlen(b) == (n) && memcmp((a), (b), (n)) == 0)
#define RUN(name)                                                 \
    do {                                                          \
        int before_ = h_failed_checks;                            \
        h_current = #name;                                        \
        test_##name();                                            \
        if (h_failed_checks == before_) h_tests_passed++;         \
        else { h_tests_failed++; fprintf(stderr, "not ok %s\n", #name); } \
    } while (0)
#define DONE(suite)                                                              \
    do {                                                                         \
        printf("%s: %d passed, %d failed\n", suite, h_tests_passed, h_tests_failed); \
        return h_tests_failed ? 1 : 0;                                           \
    } while (0)
#endif
