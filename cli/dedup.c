/*
 * dedup.c -- `tamis dedup lines|lines-merge|sign|bucket|cluster|apply`: the
 * corpus-wide stages (the lines stage's corpus counts, near_dedup) as
 * separate steps over input shards, with files in WORK between them (the
 * chain `tamis slurm dedup` submits). lines, sign and apply are `tamis run`
 * with --dedup-step; lines-merge, bucket and cluster call the library. A step
 * whose completion marker exists is skipped, so a rerun resumes.
 */
#include "cli.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dedup_usage(FILE *f)
{
    fputs("usage: tamis dedup lines       --work DIR --shard I [RUN OPTIONS] INPUT...\n"
          "       tamis dedup lines-merge --work DIR --shards N\n"
          "       tamis dedup sign        --work DIR --shard I [RUN OPTIONS] INPUT...\n"
          "       tamis dedup bucket      --work DIR --band B --shards N\n"
          "       tamis dedup cluster     --work DIR --shards N\n"
          "       tamis dedup apply       --work DIR --shard I [RUN OPTIONS] INPUT... -o OUT\n"
          "The steps in order: lines and lines-merge when the stages include lines with its corpus\n"
          "counts (the default), sign, bucket and cluster when they include near_dedup, then apply.\n"
          "lines, sign and apply take the run options of `tamis run`, the same for every shard and step;\n"
          "shards are numbered from 0 in input order. Every step writes a completion marker in\n"
          "DIR/STEP/ and skips its work when that marker exists.\n",
          f);
}

static int number(const char *opt, const char *v, unsigned max, unsigned *out)
{
    char *end;
    unsigned long n = v ? strtoul(v, &end, 10) : 0;
    if (!v || !*v || *end || n > max) return usage_error("%s %s: expected a number from 0 to %u", opt, v ? v : "", max);
    *out = (unsigned)n;
    return 0;
}

int cmd_dedup(int argc, char **argv)
{
    if (argc < 3 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) {
        dedup_usage(argc < 3 ? stderr : stdout);
        return argc < 3 ? TAMIS_EXIT_USAGE : 0;
    }
    char *step = argv[2];
    bool run_step = !strcmp(step, "lines") || !strcmp(step, "sign") || !strcmp(step, "apply");
    if (!run_step && strcmp(step, "lines-merge") && strcmp(step, "bucket") && strcmp(step, "cluster"))
        return usage_error("dedup: unknown step '%s' (lines, lines-merge, sign, bucket, cluster, apply)", step);
    char *work = NULL;
    unsigned shard = 0, band = 0, shards = 0;
    bool have_shard = false, have_band = false, have_shards = false;
    /* our own options first, anywhere; the rest goes to `tamis run` */
    char **rest = calloc((size_t)argc + 8, sizeof *rest);
    if (!rest) { msgf("out of memory"); return TAMIS_EXIT_INTERNAL; }
    int n = 0, rc = 0;
    rest[n++] = argv[0];
    rest[n++] = (char *)"run";
    for (int i = 3; i < argc && !rc; i++) {
        const char *a = argv[i];
        char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--work")) {
            if (!v) rc = usage_error("--work needs a directory");
            work = v;
            i++;
        } else if (!strcmp(a, "--shard")) {
            rc = number(a, v, 99999, &shard);
            have_shard = true;
            i++;
        } else if (!strcmp(a, "--band")) {
            rc = number(a, v, 63, &band);
            have_band = true;
            i++;
        } else if (!strcmp(a, "--shards")) {
            rc = number(a, v, 100000, &shards);
            have_shards = true;
            i++;
        } else if (run_step) {
            rest[n++] = argv[i];
        } else {
            rc = usage_error("dedup %s: unexpected argument '%s'", step, a);
        }
    }
    if (!rc && !work) rc = usage_error("dedup %s: give --work DIR", step);
    if (!rc && run_step && !have_shard) rc = usage_error("dedup %s: give --shard I", step);
    if (!rc && !strcmp(step, "bucket") && (!have_band || !have_shards)) rc = usage_error("dedup bucket: give --band B and --shards N");
    if (!rc && (!strcmp(step, "cluster") || !strcmp(step, "lines-merge")) && !have_shards)
        rc = usage_error("dedup %s: give --shards N", step);
    if (!rc && have_shards && shards == 0) rc = usage_error("--shards 0: there must be at least one shard");
    if (rc) { free(rest); return rc; }
    unsigned index = run_step ? shard : !strcmp(step, "bucket") ? band : 0;
    if (tamis_dedup_done(work, step, index)) {
        msgf("dedup %s %u: already done (%s/%s/%05u.done)", step, index, work, step, index);
        free(rest);
        return 0;
    }
    char err[1024] = "";
    if (!run_step) {
        tamis_status st = !strcmp(step, "bucket")    ? tamis_dedup_bucket(work, band, shards, err, sizeof err)
                          : !strcmp(step, "cluster") ? tamis_dedup_cluster(work, shards, err, sizeof err)
                                                     : tamis_dedup_lines_merge(work, shards, err, sizeof err);
        free(rest);
        if (st == TAMIS_E_USAGE) return usage_error("%s", err);
        if (st != TAMIS_OK) msgf("%s", err[0] ? err : tamis_strerror(st));
        return tamis_exit_code(st);
    }
    char shard_text[16];
    snprintf(shard_text, sizeof shard_text, "%u", shard);
    char *extra[] = {(char *)"--dedup-step", step, (char *)"--dedup-work", work, (char *)"--dedup-shard", shard_text};
    /* the step options go first: the user's run options follow */
    char **args = calloc((size_t)n + 8, sizeof *args);
    if (!args) { free(rest); msgf("out of memory"); return TAMIS_EXIT_INTERNAL; }
    int m = 0;
    args[m++] = rest[0];
    args[m++] = rest[1];
    for (int k = 0; k < 6; k++) args[m++] = extra[k];
    for (int k = 2; k < n; k++) args[m++] = rest[k];
    rc = cmd_run(m, args, 2);
    if (rc == 0 && !strcmp(step, "apply") && tamis_dedup_mark(work, step, shard, err, sizeof err) != TAMIS_OK) {
        msgf("%s", err);
        rc = TAMIS_EXIT_IO;
    }
    free(args);
    free(rest);
    return rc;
}
