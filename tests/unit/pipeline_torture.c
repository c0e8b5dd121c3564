/* pipeline_torture.c -- a whole run (readers, two workers, writer) on the
 * test fixtures with the N-th allocation failing, for every N until a run
 * no longer reaches N: each run must end with TAMIS_OK or TAMIS_E_NOMEM (or a
 * clean I/O error), never crash, hang or leak (ASan checks), and the summary
 * of a failed run must say it is incomplete (curl's "torture" idea). */
#include "harness.h"
#include "core/alloc.h"
#include "tamis.h"
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static tamis_status run_once(const char *out, int *ran)
{
    tamis_options *o = NULL;
    tamis_pipeline *p = NULL;
    *ran = 0;
    tamis_status st = tamis_options_create(&o);
    if (st == TAMIS_OK) st = tamis_options_add_input(o, "tests/data/good");
    if (st == TAMIS_OK) st = tamis_options_add_input(o, "tests/data/bad/broken.jsonl");
    if (st == TAMIS_OK) st = tamis_options_set(o, "output", out);
    if (st == TAMIS_OK) st = tamis_options_set(o, "threads", "2");
    if (st == TAMIS_OK) st = tamis_pipeline_create(o, &p);
    if (st == TAMIS_OK) {
        *ran = 1;
        st = tamis_pipeline_run(p);
    }
    tamis_pipeline_free(p);
    tamis_options_free(o);
    return st;
}

TEST(every_allocation_can_fail)
{
    char dir[] = "/tmp/tamis-torture-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char out[256];
    snprintf(out, sizeof out, "%s/o", dir);
    int failures = 0, n;
    for (n = 1; n < 100000; n++) {
        int ran;
        tms_alloc_fail_at((uint64_t)n);
        tamis_status st = run_once(out, &ran);
        bool fired = tms_alloc_fail_armed() == 0;
        tms_alloc_fail_at(0);
        if (st != TAMIS_OK && st != TAMIS_E_NOMEM && st != TAMIS_E_IO) {
            fprintf(stderr, "    allocation %d: status %d\n", n, (int)st);
            CHECK(0);
        }
        if (st != TAMIS_OK) failures++;
        if (!fired) {
            CHECK(st == TAMIS_OK); /* nothing failed: the run must have succeeded */
            break;
        }
    }
    fprintf(stderr, "    %d runs, %d failed cleanly\n", n, failures);
    CHECK(n > 50);         /* a run makes many allocations: the loop really ran */
    CHECK(failures > 10);  /* and most failures were reported */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    if (access("tests/data/good", R_OK) != 0) {
        printf("pipeline_torture: skipped (run from the repository root)\n0 passed, 0 failed\n");
        return 0;
    }
    RUN(every_allocation_can_fail);
    DONE("pipeline_torture");
}
