/* clean_dir.c -- the smallest use of libtamis: clean INPUT into OUTDIR with
 * the default stages, print the totals. Uses include/tamis.h only.
 *   cc clean_dir.c $(pkg-config --cflags --libs tamis) -o clean_dir
 *   ./clean_dir crawl/ out/ */
#include <stdio.h>
#include <tamis.h>

static void on_msg(void *ctx, int level, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "%s%s\n", level == 1 ? "warning: " : "", msg);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INPUT OUTDIR\n", argv[0]);
        return 1;
    }
    tamis_options *o = NULL;
    tamis_pipeline *p = NULL;
    tamis_status st = tamis_options_create(&o);
    if (st == TAMIS_OK) st = tamis_options_add_input(o, argv[1]);
    if (st == TAMIS_OK) st = tamis_options_set(o, "output", argv[2]);
    if (st == TAMIS_OK) st = tamis_options_set(o, "threads", "2");
    if (st == TAMIS_OK) st = tamis_pipeline_create(o, &p);
    if (st == TAMIS_E_USAGE) fprintf(stderr, "%s\n", tamis_options_errmsg(o));
    if (st == TAMIS_OK) {
        tamis_pipeline_set_msg(p, on_msg, NULL);
        st = tamis_pipeline_run(p);
        if (st != TAMIS_OK) fprintf(stderr, "%s\n", tamis_pipeline_errmsg(p));
        tamis_totals t;
        tamis_pipeline_totals(p, &t);
        printf("tamis %s: %llu in, %llu kept, %llu rejected, complete: %s\n", tamis_version(),
               (unsigned long long)t.docs_in, (unsigned long long)t.docs_kept,
               (unsigned long long)t.docs_rejected, t.complete ? "yes" : "no");
    }
    tamis_pipeline_free(p);
    tamis_options_free(o);
    return tamis_exit_code(st);
}
