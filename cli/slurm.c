/*
 * slurm.c -- `tamis slurm run`: the whole pipeline as a Slurm job array over
 * input shards, then a job that merges the shards' summaries;
 * `tamis slurm dedup`: the same with the corpus-wide stages across the
 * shards, as the chain of `tamis dedup` steps (lines -> lines-merge when the
 * lines stage counts lines over the corpus; sign -> bucket -> cluster with
 * near_dedup; then apply; each an array but for the merges and cluster, each
 * afterok on the one before), then the merge; and
 * `tamis summary merge`. The sbatch scripts are written here; the work is
 * done by `tamis run` (or `tamis dedup`) in each task and by the library's
 * summary merge.
 *
 * OUT/shards/shard-NNNNN.list  the files of a shard, one per line
 * OUT/slurm/options            the run options of every shard (a --config file)
 * OUT/slurm/run.sbatch         the array job: task i runs shard FIRST + i
 * OUT/slurm/dedup-STEP.sbatch  tamis slurm dedup: a step's job (an array but for lines-merge and cluster)
 * OUT/slurm/merge.sbatch       tamis summary merge OUT/shard-* -o OUT/summary.json, then
 *                              tamis report OUT/shard-* -o OUT/report.html
 * OUT/slurm/logs/              one log per shard (every attempt appended) and Slurm's
 * OUT/dedup-work/              tamis slurm dedup: the files between the steps, and their markers
 * OUT/shard-NNNNN/             a shard's outputs; .done once its run succeeded
 */
#include "cli.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHARD_BYTES (1ull << 30) /* default: about 1 GB of input per shard */
#define DEFAULT_MAX_ARRAY 1001   /* Slurm's default MaxArraySize */

typedef struct slurm_args {
    long shards;              /* 0: from the input size */
    int dry_run, wait;
    const char *sbatch_args;  /* extra sbatch arguments, split on blanks */
} slurm_args;

/* options that change how a shard runs, not what it writes: given to each
 * task on its command line, not part of OUT/slurm/options */
static const char *const runtime_options[] = {"config", "output", "rejected", "summary",
                                              "threads", "tmp-dir", "progress", "quiet"};

static int is_runtime(const char *name)
{
    for (size_t i = 0; i < sizeof runtime_options / sizeof *runtime_options; i++)
        if (!strcmp(name, runtime_options[i])) return 1;
    return 0;
}

static int slurm_extra(void *ctx, int argc, char **argv, int *i)
{
    slurm_args *s = ctx;
    const char *a = argv[*i];
    const char *names[] = {"--shards", "--sbatch-args"};
    for (int k = 0; k < 2; k++) {
        size_t l = strlen(names[k]);
        if (strncmp(a, names[k], l) != 0 || (a[l] && a[l] != '=')) continue;
        const char *v = a[l] == '=' ? a + l + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        if (!v) return usage_error("option '%s' needs a value", names[k]);
        if (k == 1) { s->sbatch_args = v; return 0; }
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < 1 || n > 10000000)
            return usage_error("option '--shards' takes a whole number from 1, not '%s'", v);
        s->shards = n;
        return 0;
    }
    if (!strcmp(a, "--dry-run")) { s->dry_run = 1; return 0; }
    if (!strcmp(a, "--wait")) { s->wait = 1; return 0; }
    return -1;
}

/* ---- text helpers ---- */

typedef struct text { char *p; size_t len; FILE *f; } text;

static void text_open(text *t) { t->p = NULL; t->len = 0; t->f = open_memstream(&t->p, &t->len); }
static int text_close(text *t)
{
    int ok = t->f && !ferror(t->f);
    if (t->f && fclose(t->f) != 0) ok = 0;
    t->f = NULL;
    return ok;
}

/* 'single-quoted' for sh */
static void sq(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputs("'\\''", f);
        else fputc(*s, f);
    }
    fputc('\'', f);
}

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    text t;
    text_open(&t);
    char buf[65536];
    size_t n;
    while (t.f && (n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, t.f);
    int err = ferror(f);
    fclose(f);
    if (!text_close(&t) || err) { free(t.p); return -1; }
    *out = t.p;
    *len = t.len;
    return 0;
}

static int write_file(const char *path, const char *p, size_t n, int mode)
{
    char tmp[8192];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) { msgf("%s: %s", tmp, strerror(errno)); return -1; }
    int ok = fwrite(p, 1, n, f) == n;
    if (fclose(f) != 0) ok = 0;
    if (ok && mode) ok = chmod(tmp, (mode_t)mode) == 0;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) { msgf("%s: %s", path, strerror(errno)); unlink(tmp); return -1; }
    return 0;
}

static int mkdir_p(const char *dir)
{
    char p[8192];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) { msgf("%s: %s", p, strerror(errno)); return -1; }
        *s = '/';
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST) { msgf("%s: %s", p, strerror(errno)); return -1; }
    return 0;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- running sbatch and scontrol ---- */

/* Runs argv with stdout captured into out (NUL-terminated, truncated to outn).
 * With `announce`, prints it (a format taking the first line) as soon as the
 * first line arrives (sbatch --wait prints the job id, then waits).
 * @return the exit status, 127 when the program could not be run, -1 on a signal. */
static int run_capture(char *const argv[], char *out, size_t outn, const char *announce, int no_stderr)
{
    int fd[2];
    if (pipe(fd) != 0) return 127;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) { close(fd[0]); close(fd[1]); return 127; }
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        if (no_stderr) {
            int dn = open("/dev/null", O_WRONLY);
            if (dn >= 0) dup2(dn, STDERR_FILENO);
        }
        close(fd[0]);
        close(fd[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    size_t len = 0;
    int announced = !announce;
    for (;;) {
        char buf[4096];
        ssize_t n = read(fd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        size_t take = (size_t)n < outn - 1 - len ? (size_t)n : outn - 1 - len;
        memcpy(out + len, buf, take);
        len += take;
        out[len] = 0;
        char *nl = strchr(out, '\n');
        if (!announced && nl) {
            printf(announce, (int)(nl - out), out);
            fflush(stdout);
            announced = 1;
        }
    }
    out[len] = 0;
    close(fd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 127;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* MaxArraySize from `scontrol show config`, or 0 when scontrol cannot tell */
static long max_array_size(int dry_run)
{
    char out[1 << 16];
    /* a configured Slurm whose controller is down takes ~10 s to say so */
    char *argv[] = {"timeout", dry_run ? "2" : "30", "scontrol", "show", "config", NULL};
    if (run_capture(argv, out, sizeof out, NULL, 1) != 0) return 0;
    for (char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, "MaxArraySize", 12) != 0) continue;
        char *eq = strchr(l, '=');
        long n = eq ? strtol(eq + 1, NULL, 10) : 0;
        return n > 0 ? n : 0;
    }
    return 0;
}

/* JobState of a job ("COMPLETED", "CANCELLED", ...) from scontrol; "" when unknown */
static void merge_state(char *job, char *state, size_t n)
{
    char out[1 << 14];
    char *argv[] = {"timeout", "30", "scontrol", "-o", "show", "job", job, NULL};
    state[0] = 0;
    if (run_capture(argv, out, sizeof out, NULL, 1) != 0) return;
    const char *s = strstr(out, "JobState=");
    if (s) snprintf(state, n, "%.*s", (int)strcspn(s + 9, " \n"), s + 9);
}

/* ---- the plan ---- */

typedef struct plan {
    const char *out;          /* OUT, absolute */
    const char *cwd;          /* where the tasks run: the directory tamis slurm run was started in */
    const char *self;         /* this tamis binary */
    tamis_input_file *files;
    size_t nfiles;
    uint64_t total;
    size_t nshards;
    size_t *first;            /* shard s holds files first[s] .. first[s+1]-1 */
    char *options;            /* OUT/slurm/options */
    const char *cmd;          /* "run" or "dedup": tamis slurm CMD */
    int dedup;                /* tamis slurm dedup */
    int lines, near;          /* dedup: the chain has the lines steps, the near_dedup steps */
    size_t bands;             /* dedup: --minhash-bands, one bucket task each */
    char *work;               /* dedup: OUT/dedup-work */
    size_t nscripts;
    const char *script_name[8]; /* in OUT/slurm/, in the order they are submitted */
    char *script[8];
    long max_array;
} plan;

/* contiguous shards in walk order, balanced by bytes: a file goes to the
 * shard its middle byte falls in, each shard gets at least one file */
static void split(plan *p)
{
    size_t n = p->nfiles, k = p->nshards, i = 0;
    uint64_t cum = 0;
    for (size_t s = 0; s < k; s++) {
        p->first[s] = i;
        unsigned __int128 target = (unsigned __int128)p->total * (s + 1) / k;
        while (i < n && n - i > k - s - 1 &&
               (i == p->first[s] || s == k - 1 || (unsigned __int128)cum + p->files[i].size / 2 < target)) {
            cum += p->files[i].size;
            i++;
        }
    }
    p->first[k] = n;
}

static void shard_list(const plan *p, size_t s, text *t)
{
    text_open(t);
    for (size_t i = p->first[s]; t->f && i < p->first[s + 1]; i++) {
        const tamis_input_file *f = &p->files[i];
        if (strcmp(f->path, f->rel) != 0) fprintf(t->f, "%s\t%s\n", f->path, f->rel);
        else fprintf(t->f, "%s\n", f->path);
    }
    text_close(t);
}

static int make_options(plan *p, const tamis_options *o)
{
    text t;
    text_open(&t);
    if (!t.f) return -1;
    if (p->dedup)
        fputs("# Written by tamis slurm dedup: the options of every shard's lines, sign and apply steps (tamis run --config).\n",
              t.f);
    else
        fputs("# Written by tamis slurm run: the options every shard runs with (tamis run --config).\n", t.f);
    for (size_t i = 0; tamis_option_at(i); i++) {
        const tamis_option_info *r = tamis_option_at(i);
        if (is_runtime(r->name)) continue;
        const char *v = tamis_options_get(o, r->name);
        const char *def = r->arg == TAMIS_ARG_NONE ? "false" : r->defval;
        if (!v || !strcmp(v, def)) continue;
        if (strpbrk(v, "#\n\r") || v[0] == ' ' || (*v && v[strlen(v) - 1] == ' ')) {
            text_close(&t);
            free(t.p);
            return usage_error("--%s '%s': tamis slurm %s cannot pass a value with '#', a newline or "
                               "leading or trailing blanks to its tasks", r->name, v, p->cmd);
        }
        fprintf(t.f, "%s = %s\n", r->name, v);
    }
    if (!text_close(&t)) { free(t.p); return TAMIS_EXIT_INTERNAL; }
    p->options = t.p;
    return 0;
}

/* a task's options that are not in OUT/slurm/options */
static void task_options(FILE *f, const tamis_options *o)
{
    fputs(" --no-progress", f);
    const char *j = tamis_options_get(o, "threads");
    if (strcmp(j, "auto") != 0) fprintf(f, " -j %s", j);
    else fputs(" -j \"${SLURM_CPUS_PER_TASK:-1}\"", f);
    const char *tmp = tamis_options_get(o, "tmp-dir");
    if (*tmp) { fputs(" --tmp-dir ", f); sq(f, tmp); }
    if (!strcmp(tamis_options_get(o, "quiet"), "true")) fputs(" -q", f);
}

static int make_merge_script(plan *p, char **out)
{
    text t;
    text_open(&t);
    if (!t.f) return -1;
    FILE *f = t.f;
    if (p->dedup)
        fputs("#!/bin/sh\n"
              "# Written by tamis slurm dedup: once every shard's apply step succeeded, one summary for the whole run.\n",
              f);
    else
        fputs("#!/bin/sh\n"
              "# Written by tamis slurm run: once every shard succeeded, one summary for the whole run.\n", f);
    fprintf(f, "#SBATCH --job-name=tamis-merge\n"
               "#SBATCH --output=%s/slurm/logs/merge-%%j.out\n",
            p->out);
    fputs("out=", f);
    sq(f, p->out);
    fputs("\ncd ", f);
    sq(f, p->cwd);
    fputs(" || exit 2\n", f);
    sq(f, p->self);
    fputs(" summary merge \"$out\"/shard-[0-9]* -o \"$out/summary.json\" || exit $?\n"
          "# the shards wrote reports (not --no-report): one report of them all\n"
          "for d in \"$out\"/shard-[0-9]*; do [ -f \"$d/report.html\" ] || exit 0; break; done\nexec ", f);
    sq(f, p->self);
    fputs(" report \"$out\"/shard-[0-9]* -o \"$out/report.html\"\n", f);
    if (!text_close(&t)) { free(t.p); return -1; }
    *out = t.p;
    return 0;
}

/* the steps of the chain, in order; p->lines and p->near say which run */
static const char *const all_steps[] = {"lines", "lines-merge", "sign", "bucket", "cluster", "apply"};
static int step_runs(const plan *p, const char *step)
{
    if (!strcmp(step, "lines") || !strcmp(step, "lines-merge")) return p->lines;
    if (!strcmp(step, "apply")) return 1;
    return p->near;
}

/* the script of dedup step `step` (one of all_steps) */
static int make_dedup_script(plan *p, const tamis_options *o, const char *step, char **out)
{
    static const char *const about[][2] = {
        {"lines", "one array task per input shard\n"
                  "# (OUT/shards/shard-NNNNN.list) counts its lines into OUT/dedup-work/lines/. Submitted as:\n"
                  "# sbatch --array=LIST dedup-lines.sbatch FIRST; task i counts shard FIRST + i. A shard whose\n"
                  "# marker OUT/dedup-work/lines/NNNNN.done exists is skipped.\n"},
        {"lines-merge", "one job sums every shard's line\n"
                        "# counts (OUT/dedup-work/lines-merge/); skipped when OUT/dedup-work/lines-merge/00000.done exists.\n"},
        {"sign", "one array task per input shard\n"
                 "# (OUT/shards/shard-NNNNN.list) writes its signatures to OUT/dedup-work/sign/. Submitted as:\n"
                 "# sbatch --array=LIST dedup-sign.sbatch FIRST; task i signs shard FIRST + i. A shard whose\n"
                 "# marker OUT/dedup-work/sign/NNNNN.done exists is skipped.\n"},
        {"bucket", "one array task per LSH band joins\n"
                   "# every shard's keys of the band into candidate pairs (OUT/dedup-work/bucket/). Submitted as:\n"
                   "# sbatch --array=LIST dedup-bucket.sbatch FIRST; task i does band FIRST + i. A band whose\n"
                   "# marker OUT/dedup-work/bucket/NNNNN.done exists is skipped.\n"},
        {"cluster", "one job joins the pairs of every\n"
                    "# band into clusters and writes each shard's decisions (OUT/dedup-work/cluster/); skipped\n"
                    "# when OUT/dedup-work/cluster/00000.done exists.\n"},
        {"apply", "one array task per input shard\n"
                  "# runs it with what the steps before found into OUT/shard-NNNNN/. Submitted as:\n"
                  "# sbatch --array=LIST dedup-apply.sbatch FIRST; task i runs shard FIRST + i. A shard whose\n"
                  "# OUT/shard-NNNNN/.done exists is skipped.\n"},
    };
    int nth = 0, of = 0;
    for (size_t k = 0; k < sizeof all_steps / sizeof *all_steps; k++)
        if (step_runs(p, all_steps[k])) {
            of++;
            if (!strcmp(all_steps[k], step)) nth = of;
        }
    int array = strcmp(step, "cluster") != 0 && strcmp(step, "lines-merge") != 0, apply = !strcmp(step, "apply"),
        bucket = !strcmp(step, "bucket");
    const char *var = bucket ? "band" : "shard";
    size_t n = bucket ? p->bands : p->nshards;
    size_t first_array = n < (size_t)p->max_array ? n : (size_t)p->max_array;
    const char *text_about = "";
    for (size_t k = 0; k < sizeof about / sizeof *about; k++)
        if (!strcmp(about[k][0], step)) text_about = about[k][1];
    text t;
    text_open(&t);
    if (!t.f) return -1;
    FILE *f = t.f;
    fprintf(f, "#!/bin/sh\n# Written by tamis slurm dedup (rewritten by each run of it). Step %d of %d: %s", nth, of,
            text_about);
    fprintf(f, "#SBATCH --job-name=tamis-dedup-%s\n", step);
    if (array)
        fprintf(f, "#SBATCH --array=0-%zu\n#SBATCH --output=%s/slurm/logs/slurm-%%A_%%a.out\n", first_array - 1, p->out);
    else
        fprintf(f, "#SBATCH --output=%s/slurm/logs/%s-%%j.out\n", p->out, step);
    fputs("out=", f);
    sq(f, p->out);
    fputs("\ncd ", f);
    sq(f, p->cwd);
    fputs(" || exit 2\n", f);
    if (array) {
        fprintf(f, "i=$((${1:-0} + SLURM_ARRAY_TASK_ID))\n"
                   "%s=$(printf '%%05d' \"$i\")\n",
                var);
        fprintf(f, "exec >>\"$out/slurm/logs/%s-$%s.log\" 2>&1\n"
                   "echo \"tamis-slurm: %s $%s: job ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID} on $(hostname) "
                   "at $(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"\n",
                step, var, step, var);
    } else {
        fprintf(f, "exec >>\"$out/slurm/logs/%s.log\" 2>&1\n"
                   "echo \"tamis-slurm: %s: job ${SLURM_JOB_ID:-?} on $(hostname) at $(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"\n",
                step, step);
    }
    if (apply)
        fputs("dir=\"$out/shard-$shard\"\n"
              "if [ -e \"$dir/.done\" ]; then\n"
              "    echo \"tamis-slurm: apply $shard: already done\"\n"
              "    exit 0\n"
              "fi\n"
              "rm -rf \"$dir\"\n"
              "rm -f \"$out/dedup-work/apply/$shard.done\"\n",
              f);
    sq(f, p->self);
    fprintf(f, " dedup %s --work \"$out/dedup-work\"", step);
    if (bucket) fprintf(f, " --band \"$i\" --shards %zu", p->nshards);
    else if (!array) fprintf(f, " --shards %zu", p->nshards);
    else {
        fputs(" --shard \"$i\" --config \"$out/slurm/options\" --inputs-from \"$out/shards/shard-$shard.list\"", f);
        if (apply) fputs(" -o \"$dir\"", f);
        task_options(f, o);
    }
    fputs("\nrc=$?\n", f);
    if (apply) fputs("if [ \"$rc\" -eq 0 ]; then touch \"$dir/.done\" || rc=2; fi\n", f);
    if (array)
        fprintf(f, "echo \"tamis-slurm: %s $%s: exit status $rc at $(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"\n", step, var);
    else
        fprintf(f, "echo \"tamis-slurm: %s: exit status $rc at $(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\"\n", step);
    fputs("exit \"$rc\"\n", f);
    if (!text_close(&t)) { free(t.p); return -1; }
    *out = t.p;
    return 0;
}

static int make_scripts(plan *p, const tamis_options *o)
{
    if (p->dedup) {
        static const char *const names[] = {"dedup-lines.sbatch", "dedup-lines-merge.sbatch", "dedup-sign.sbatch",
                                            "dedup-bucket.sbatch", "dedup-cluster.sbatch", "dedup-apply.sbatch"};
        for (size_t k = 0; k < sizeof all_steps / sizeof *all_steps; k++) {
            if (!step_runs(p, all_steps[k])) continue;
            p->script_name[p->nscripts] = names[k];
            if (make_dedup_script(p, o, all_steps[k], &p->script[p->nscripts])) return -1;
            p->nscripts++;
        }
        p->script_name[p->nscripts] = "merge.sbatch";
        if (make_merge_script(p, &p->script[p->nscripts])) return -1;
        p->nscripts++;
        return 0;
    }
    text t;
    size_t first_array = p->nshards < (size_t)p->max_array ? p->nshards : (size_t)p->max_array;
    text_open(&t);
    if (!t.f) return -1;
    FILE *f = t.f;
    fprintf(f, "#!/bin/sh\n"
               "# Written by tamis slurm run (rewritten by each run of it). One array task per input\n"
               "# shard: OUT/shards/shard-NNNNN.list -> OUT/shard-NNNNN/. A task whose shard has a .done\n"
               "# marker does nothing, so running the same tamis slurm run again redoes only the\n"
               "# shards that did not finish. Submitted as: sbatch --array=LIST run.sbatch FIRST;\n"
               "# task i runs shard FIRST + i (an array has at most MaxArraySize tasks).\n"
               "#SBATCH --job-name=tamis-run\n"
               "#SBATCH --array=0-%zu\n"
               "#SBATCH --output=%s/slurm/logs/slurm-%%A_%%a.out\n",
            first_array - 1, p->out);
    fputs("out=", f);
    sq(f, p->out);
    fputs("\ncd ", f);
    sq(f, p->cwd);
    fputs(" || exit 2\n"
          "shard=$(printf '%05d' $((${1:-0} + SLURM_ARRAY_TASK_ID)))\n"
          "dir=\"$out/shard-$shard\"\n"
          "exec >>\"$out/slurm/logs/shard-$shard.log\" 2>&1\n"
          "echo \"tamis-slurm: shard $shard: job ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID} on $(hostname) "
          "at $(date -u +%Y-%m-%dT%H:%M:%SZ)\"\n"
          "if [ -e \"$dir/.done\" ]; then\n"
          "    echo \"tamis-slurm: shard $shard: already done\"\n"
          "    exit 0\n"
          "fi\n"
          "rm -rf \"$dir\"\n",
          f);
    sq(f, p->self);
    fputs(" run --config \"$out/slurm/options\" --inputs-from \"$out/shards/shard-$shard.list\" -o \"$dir\"", f);
    task_options(f, o);
    fputs("\nrc=$?\n"
          "if [ \"$rc\" -eq 0 ]; then touch \"$dir/.done\" || rc=2; fi\n"
          "echo \"tamis-slurm: shard $shard: exit status $rc at $(date -u +%Y-%m-%dT%H:%M:%SZ)\"\n"
          "exit \"$rc\"\n",
          f);
    if (!text_close(&t)) { free(t.p); return -1; }
    p->script_name[0] = "run.sbatch";
    p->script[0] = t.p;
    p->nscripts = 1;
    p->script_name[1] = "merge.sbatch";
    if (make_merge_script(p, &p->script[1])) return -1;
    p->nscripts = 2;
    return 0;
}

/* "0-3,5,7-9" from sorted task indices */
static void ranges(FILE *f, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && idx[j + 1] == idx[j] + 1) j++;
        fprintf(f, "%s%zu", i ? "," : "", idx[i]);
        if (j > i) fprintf(f, "-%zu", idx[j]);
        i = j + 1;
    }
}

static char *path_of(const plan *p, const char *fmt, size_t s)
{
    char *r = NULL;
    char name[64];
    snprintf(name, sizeof name, fmt, s);
    if (asprintf(&r, "%s/%s", p->out, name) < 0) return NULL;
    return r;
}

static int shard_done(const plan *p, size_t s)
{
    char *d = path_of(p, "shard-%05zu/.done", s);
    int done = d && exists(d);
    free(d);
    return done;
}

/* the first line where a and b differ, for the message */
static void first_difference(const char *a, const char *b, char *out, size_t n)
{
    while (*a && *b) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        if (la != lb || memcmp(a, b, la) != 0) break;
        a += la + (ea != NULL);
        b += lb + (eb != NULL);
    }
    size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
    if (!*a) a = "(end of file)", la = strlen(a);
    if (!*b) b = "(end of file)", lb = strlen(b);
    snprintf(out, n, "first submitted with '%.*s', now '%.*s'", (int)(la < 200 ? la : 200), a, (int)(lb < 200 ? lb : 200), b);
}

/* OUT/slurm/options and the shard lists: written at the first submit; a
 * later run must find them identical */
static int write_or_check(const char *path, const char *want, const char *what)
{
    char *have;
    size_t len;
    if (read_file(path, &have, &len) == 0) {
        int same = len == strlen(want) && !memcmp(have, want, len);
        static const char by[] = "# Written by tamis slurm ";
        size_t hl = strcspn(have, ":\n"), wl = strcspn(want, ":\n");
        if (!same && !strncmp(have, by, sizeof by - 1) && !strncmp(want, by, sizeof by - 1) &&
            (hl != wl || memcmp(have, want, hl) != 0)) {
            msgf("%s: this output directory was first submitted by %.*s, not %.*s: give another -o", path,
                 (int)(hl - 13), have + 13, (int)(wl - 13), want + 13);
        } else if (!same) {
            char diff[512];
            first_difference(have, want, diff, sizeof diff);
            msgf("%s: %s differ from the first submission to this output directory (%s): "
                 "give the same ones to resume, or another -o",
                 path, what, diff);
        }
        free(have);
        return same ? 0 : TAMIS_EXIT_USAGE;
    }
    if (errno != ENOENT) { msgf("%s: %s", path, strerror(errno)); return TAMIS_EXIT_IO; }
    return write_file(path, want, strlen(want), 0) ? TAMIS_EXIT_IO : 0;
}

static void split_args(char *s, char **argv, int *argc, int max)
{
    for (char *tok = strtok(s, " \t\n"); tok && *argc < max; tok = strtok(NULL, " \t\n")) argv[(*argc)++] = tok;
}

static int step_done(const plan *p, const char *step, size_t i)
{
    return tamis_dedup_done(p->work, step, (unsigned)i);
}
static int lines_done(const plan *p, size_t s) { return step_done(p, "lines", s); }
static int lines_merge_done(const plan *p, size_t i) { return step_done(p, "lines-merge", i); }
static int sign_done(const plan *p, size_t s) { return step_done(p, "sign", s); }
static int bucket_done(const plan *p, size_t b) { return step_done(p, "bucket", b); }
static int cluster_done(const plan *p, size_t i) { return step_done(p, "cluster", i); }

static size_t count_done(const plan *p, int (*done)(const plan *, size_t), size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += done(p, i) != 0;
    return k;
}

/* "4 shards of 32 files (4269521 bytes), 1 already done" and the like */
static void print_counts(const plan *p)
{
    printf("%zu shards of %zu files (%llu bytes), ", p->nshards, p->nfiles, (unsigned long long)p->total);
    if (!p->dedup) printf("%zu already done", count_done(p, shard_done, p->nshards));
    else {
        if (p->near) printf("%zu bands; ", p->bands);
        fputs("already done:", stdout);
        if (p->lines)
            printf(" lines %zu, lines-merge %zu,", count_done(p, lines_done, p->nshards),
                   count_done(p, lines_merge_done, 1));
        if (p->near)
            printf(" sign %zu, bucket %zu, cluster %zu,", count_done(p, sign_done, p->nshards),
                   count_done(p, bucket_done, p->bands), count_done(p, cluster_done, 1));
        printf(" apply %zu", count_done(p, shard_done, p->nshards));
    }
}

/* ---- submitting ---- */

/* one job of the chain: a script submitted as arrays over its tasks not done
 * yet (in pieces of at most MaxArraySize tasks), or as one job */
typedef struct step {
    const char *script;       /* in OUT/slurm/ */
    const char *label;        /* printed before the job id */
    const char *noun;         /* what a task does ("shard", "band"); NULL: one job, not an array */
    size_t n;                 /* tasks */
    int (*done)(const plan *, size_t);
    const char *placeholder;  /* the job ids in the commands --dry-run prints */
} step;

typedef struct chain {
    plan *p;
    int dry;                  /* print the sbatch commands instead of running them */
    char *xargv[64];          /* --sbatch-args */
    int xn;
    char *deps;               /* ":ID:ID..." of the last step that submitted something ("" when none) */
} chain;

static void would_run(char *const *argv)
{
    fputs("# would run:", stdout);
    for (size_t i = 0; argv[i]; i++) printf(" %s", argv[i]);
    putchar('\n');
}

/* submits the step's tasks that are not done, afterok on c->deps; then c->deps
 * holds the new job ids (when there were any) */
static int submit_step(chain *c, const step *st)
{
    plan *p = c->p;
    size_t per = st->noun ? (size_t)p->max_array : 1, n = st->noun ? st->n : 1;
    size_t *idx = malloc(((per < n ? per : n) + 1) * sizeof *idx);
    char *dep = NULL, *script = NULL;
    text ids;
    text_open(&ids);
    if (!idx || !ids.f || asprintf(&script, "%s/slurm/%s", p->out, st->script) < 0 ||
        (*c->deps && asprintf(&dep, "--dependency=afterok%s", c->deps) < 0)) {
        free(idx);
        free(script);
        text_close(&ids);
        free(ids.p);
        return TAMIS_EXIT_INTERNAL;
    }
    int rc = 0, any = 0;
    for (size_t c0 = 0; c0 < n && !rc; c0 += per) {
        size_t c1 = c0 + per < n ? c0 + per : n, k = 0;
        for (size_t s = c0; s < c1; s++)
            if (!st->done(p, s)) idx[k++] = s - c0;
        if (!k) continue;
        char *spec = NULL;
        size_t speclen = 0;
        if (st->noun) {
            FILE *sf = open_memstream(&spec, &speclen);
            if (!sf) { rc = TAMIS_EXIT_INTERNAL; break; }
            fputs("--array=", sf);
            ranges(sf, idx, k);
            fclose(sf);
        }
        char first[32];
        snprintf(first, sizeof first, "%zu", c0);
        char *argv[80];
        int m = 0;
        argv[m++] = "sbatch";
        argv[m++] = "--parsable";
        if (spec) argv[m++] = spec;
        if (dep) { argv[m++] = dep; argv[m++] = "--kill-on-invalid-dep=yes"; }
        for (int x = 0; x < c->xn; x++) argv[m++] = c->xargv[x];
        argv[m++] = script;
        if (st->noun) argv[m++] = first;
        argv[m] = NULL;
        if (c->dry) {
            would_run(argv);
            if (!any) fprintf(ids.f, ":%s", st->placeholder);
        } else {
            char out[4096];
            int r = run_capture(argv, out, sizeof out, NULL, 0);
            out[strcspn(out, ";\n")] = 0;
            if (r == 127) {
                msgf("cannot run sbatch: is Slurm installed?");
                rc = TAMIS_EXIT_IO;
            } else if (r != 0 || !*out) {
                if (st->noun) msgf("sbatch failed (status %d) for %ss %zu-%zu", r, st->noun, c0, c1 - 1);
                else msgf("sbatch failed (status %d) for %s", r, st->script);
                rc = TAMIS_EXIT_IO;
            } else {
                printf("%s %s", st->label, out);
                if (st->noun)
                    printf(": %zu %s%s (%s from %s %zu)", k, st->noun, k == 1 ? "" : "s", spec + 8, st->noun, c0);
                if (*c->deps) printf("%s after %s", st->noun ? "," : ":", c->deps + 1);
                putchar('\n');
                fprintf(ids.f, ":%s", out);
            }
        }
        any = 1;
        free(spec);
    }
    if (!text_close(&ids) && !rc) rc = TAMIS_EXIT_INTERNAL;
    if (!rc && any) { free(c->deps); c->deps = ids.p; }
    else free(ids.p);
    free(idx);
    free(dep);
    free(script);
    return rc;
}

/* the merge job, afterok on c->deps; with --wait, waits for it and tells how it ended */
static int submit_merge(chain *c, const slurm_args *a, time_t submitted)
{
    plan *p = c->p;
    char *argv[80], *dep = NULL, merge[8192];
    snprintf(merge, sizeof merge, "%s/slurm/merge.sbatch", p->out);
    if (*c->deps && asprintf(&dep, "--dependency=afterok%s", c->deps) < 0) return TAMIS_EXIT_INTERNAL;
    int k = 0, rc = 0;
    argv[k++] = "sbatch";
    argv[k++] = "--parsable";
    if (a->wait) argv[k++] = "--wait";
    if (dep) { argv[k++] = dep; argv[k++] = "--kill-on-invalid-dep=yes"; }
    for (int x = 0; x < c->xn; x++) argv[k++] = c->xargv[x];
    argv[k++] = merge;
    argv[k] = NULL;
    if (c->dry) { would_run(argv); free(dep); return 0; }
    char out[4096];
    printf("outputs: %s/shard-NNNNN/, logs: %s/slurm/logs/, summary: %s/summary.json\n", p->out, p->out, p->out);
    int st = run_capture(argv, out, sizeof out, a->wait ? "merge job %.*s: waiting for it\n" : NULL, 0);
    out[strcspn(out, ";\n")] = 0;
    if (st == 127) { msgf("cannot run sbatch: is Slurm installed?"); rc = TAMIS_EXIT_IO; }
    else if (!a->wait && (st != 0 || !*out)) { msgf("sbatch failed (status %d) for the merge job", st); rc = TAMIS_EXIT_IO; }
    else if (!a->wait) printf("merge job %s: after %s\n", out, *c->deps ? c->deps + 1 : "nothing");
    else {
        /* sbatch --wait returns 0 for a job cancelled because a shard failed: ask for its state */
        char state[64] = "", why[96];
        if (st == 0) merge_state(out, state, sizeof state);
        if (st == 0 && !*state) { /* scontrol could not tell: the summary tells */
            char sp[8192];
            snprintf(sp, sizeof sp, "%s/summary.json", p->out);
            struct stat sb;
            snprintf(state, sizeof state, "%s", stat(sp, &sb) == 0 && sb.st_mtime >= submitted ? "COMPLETED" : "unknown");
        }
        if (st != 0) snprintf(why, sizeof why, "sbatch --wait exit status %d", st);
        else snprintf(why, sizeof why, "job state %s", state);
        if (st != 0 || strcmp(state, "COMPLETED") != 0) {
            msgf("the merge job did not succeed (%s): %s, or the merge did; "
                 "see %s/slurm/logs/; run the same command again to redo what did not finish",
                 why, p->dedup ? "a dedup step failed or was cancelled" : "a shard failed or was cancelled", p->out);
            rc = TAMIS_EXIT_IO;
        } else {
            printf("done: %s/summary.json\n", p->out);
        }
    }
    free(dep);
    return rc;
}

/* the steps, in order, then the merge; with dry, prints the commands instead */
static int submit_chain(plan *p, const slurm_args *a, int dry)
{
    chain c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.dry = dry;
    c.deps = strdup("");
    char *extra = a->sbatch_args ? strdup(a->sbatch_args) : NULL;
    if (!c.deps || (a->sbatch_args && !extra)) { free(c.deps); free(extra); return TAMIS_EXIT_INTERNAL; }
    if (extra) split_args(extra, c.xargv, &c.xn, 48);
    const step run_steps[] = {{"run.sbatch", "array job", "shard", p->nshards, shard_done, "ARRAY_JOB_IDS"}};
    const step all[] = {
        {"dedup-lines.sbatch", "lines job", "shard", p->nshards, lines_done, "LINES_JOB_IDS"},
        {"dedup-lines-merge.sbatch", "lines-merge job", NULL, 1, lines_merge_done, "LINES_MERGE_JOB_ID"},
        {"dedup-sign.sbatch", "sign job", "shard", p->nshards, sign_done, "SIGN_JOB_IDS"},
        {"dedup-bucket.sbatch", "bucket job", "band", p->bands, bucket_done, "BUCKET_JOB_IDS"},
        {"dedup-cluster.sbatch", "cluster job", NULL, 1, cluster_done, "CLUSTER_JOB_ID"},
        {"dedup-apply.sbatch", "apply job", "shard", p->nshards, shard_done, "APPLY_JOB_IDS"},
    };
    step dedup_steps[sizeof all / sizeof *all];
    size_t ndedup = 0;
    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        if (step_runs(p, all_steps[k])) dedup_steps[ndedup++] = all[k];
    const step *steps = p->dedup ? dedup_steps : run_steps;
    size_t nsteps = p->dedup ? ndedup : 1;
    time_t submitted = time(NULL);
    int rc = 0;
    for (size_t i = 0; i < nsteps && !rc; i++) rc = submit_step(&c, &steps[i]);
    if (!rc) rc = submit_merge(&c, a, submitted);
    free(c.deps);
    free(extra);
    return rc;
}

static int submit(plan *p, const slurm_args *a)
{
    int rc = 0;
    char *dirs[] = {"", "/shards", "/slurm", "/slurm/logs"};
    for (size_t i = 0; i < 4 && !rc; i++) {
        char d[8192];
        snprintf(d, sizeof d, "%s%s", p->out, dirs[i]);
        if (mkdir_p(d)) rc = TAMIS_EXIT_IO;
    }
    char path[8192];
    snprintf(path, sizeof path, "%s/slurm/options", p->out);
    if (!rc) rc = write_or_check(path, p->options, "the run options");
    for (size_t s = 0; s < p->nshards && !rc; s++) {
        text t;
        shard_list(p, s, &t);
        char *lp = path_of(p, "shards/shard-%05zu.list", s);
        rc = !t.p || !lp ? TAMIS_EXIT_INTERNAL : write_or_check(lp, t.p, "the inputs or --shards");
        free(lp);
        free(t.p);
    }
    if (!rc) { /* a list past the last shard: the first submission had more shards */
        char *lp = path_of(p, "shards/shard-%05zu.list", p->nshards);
        if (lp && exists(lp)) {
            msgf("%s: the inputs or --shards differ from the first submission to this output directory "
                 "(it had more shards): give the same ones to resume, or another -o", lp);
            rc = TAMIS_EXIT_USAGE;
        }
        free(lp);
    }
    for (size_t i = 0; i < p->nscripts && !rc; i++) {
        snprintf(path, sizeof path, "%s/slurm/%s", p->out, p->script_name[i]);
        if (write_file(path, p->script[i], strlen(p->script[i]), 0755)) rc = TAMIS_EXIT_IO;
    }
    if (rc) return rc;
    printf("tamis slurm %s: ", p->cmd);
    print_counts(p);
    putchar('\n');
    return submit_chain(p, a, 0);
}

static int dry_run(plan *p, const slurm_args *a)
{
    printf("# tamis slurm %s --dry-run: nothing is written or submitted\n# ", p->cmd);
    print_counts(p);
    printf("; MaxArraySize %ld\n", p->max_array);
    for (size_t s = 0; s < p->nshards; s++) {
        uint64_t bytes = 0;
        for (size_t i = p->first[s]; i < p->first[s + 1]; i++) bytes += p->files[i].size;
        text t;
        shard_list(p, s, &t);
        printf("==> %s/shards/shard-%05zu.list (%zu files, %llu bytes) <==\n%s", p->out, s,
               p->first[s + 1] - p->first[s], (unsigned long long)bytes, t.p ? t.p : "");
        free(t.p);
    }
    printf("==> %s/slurm/options <==\n%s", p->out, p->options);
    for (size_t i = 0; i < p->nscripts; i++) printf("==> %s/slurm/%s <==\n%s", p->out, p->script_name[i], p->script[i]);
    return submit_chain(p, a, 1);
}

/* OUT made absolute (without resolving symlinks: OUT may not exist yet) */
static char *absolute(const char *cwd, const char *path)
{
    while (path[0] == '.' && path[1] == '/') path += 2;
    char *r = NULL;
    if (path[0] == '/' ) r = strdup(path);
    else if (!strcmp(path, ".")) r = strdup(cwd);
    else if (asprintf(&r, "%s/%s", cwd, path) < 0) r = NULL;
    if (!r) return NULL;
    size_t n = strlen(r);
    while (n > 1 && r[n - 1] == '/') r[--n] = 0;
    return r;
}

/* whether --stages (a comma-separated list, or "default") runs stage `name` */
static int runs_stage(const char *stages, const char *name)
{
    size_t nl = strlen(name);
    if (!strcmp(stages, "default")) {
        for (size_t i = 0; tamis_stage_at(i); i++)
            if (!strcmp(tamis_stage_at(i)->name, name)) return tamis_stage_at(i)->in_default;
        return 0;
    }
    for (const char *s = stages; *s;) {
        size_t l = strcspn(s, ",");
        const char *w = s;
        size_t wl = l;
        while (wl && *w == ' ') { w++; wl--; }
        while (wl && w[wl - 1] == ' ') wl--;
        if (wl == nl && !memcmp(w, name, nl)) return 1;
        s += l + (s[l] == ',');
    }
    return 0;
}

/* tamis slurm run|dedup */
static int slurm_cmd(int argc, char **argv, int dedup)
{
    slurm_args a = {0};
    tamis_options *o;
    if (tamis_options_create(&o) != TAMIS_OK) { msgf("out of memory"); return TAMIS_EXIT_INTERNAL; }
    plan p;
    memset(&p, 0, sizeof p);
    p.dedup = dedup;
    p.cmd = dedup ? "dedup" : "run";
    char *cwd = NULL, *out = NULL, self[4096];
    int rc = cli_parse_run_args(argc, argv, 3, o, slurm_extra, &a);
    if (rc < 0) { tamis_options_free(o); return 0; }
    const char *dir = tamis_options_get(o, "output");
    if (!rc && !*dir) rc = usage_error("tamis slurm %s needs -o DIR", p.cmd);
    if (!rc && !strcmp(dir, "-")) rc = usage_error("tamis slurm %s writes to a directory, not to stdout (-o -)", p.cmd);
    if (!rc && (*tamis_options_get(o, "rejected") || *tamis_options_get(o, "summary")))
        rc = usage_error("--rejected and --summary do not go with tamis slurm %s: each shard writes its own", p.cmd);
    if (!rc && a.wait && a.dry_run) rc = usage_error("--wait and --dry-run do not go together");
    if (!rc && (strcmp(tamis_options_get(o, "dedup-step"), "none") || *tamis_options_get(o, "dedup-work") ||
                strcmp(tamis_options_get(o, "dedup-shard"), "0")))
        rc = usage_error("--dedup-step, --dedup-work and --dedup-shard do not go with tamis slurm %s%s", p.cmd,
                         dedup ? ": it sets them for each task" : ": use tamis slurm dedup");
    if (dedup) {
        const char *stages = tamis_options_get(o, "stages");
        p.near = runs_stage(stages, "near_dedup");
        p.lines = runs_stage(stages, "lines") && strcmp(tamis_options_get(o, "no-lines-corpus"), "true") != 0;
    }
    if (!rc && dedup && !p.near && !p.lines)
        rc = usage_error("tamis slurm dedup runs the corpus-wide stages across the shards: give --stages with "
                         "near_dedup, or lines with its corpus counts (e.g. --stages normalize,lines,near_dedup); "
                         "without them, use tamis slurm run");
    if (!rc && dedup && a.shards > 100000)
        rc = usage_error("tamis slurm dedup takes at most 100000 shards, not %ld", a.shards);
    if (!rc && (tamis_options_validate(o) != TAMIS_OK)) rc = usage_error("%s", tamis_options_errmsg(o));
    if (!rc && p.near) {
        p.bands = (size_t)strtoul(tamis_options_get(o, "minhash-bands"), NULL, 10);
        if (p.bands < 1 || p.bands > 64) rc = usage_error("--minhash-bands %s: expected 1 to 64", tamis_options_get(o, "minhash-bands"));
    }
    if (!rc) {
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        cwd = getcwd(NULL, 0);
        out = cwd ? absolute(cwd, dir) : NULL;
        if (n <= 0 || !cwd || !out) { msgf("cannot find this program or the current directory: %s", strerror(errno)); rc = TAMIS_EXIT_IO; }
        else self[n] = 0;
    }
    if (!rc) {
        tamis_status st = tamis_inputs_list(o, &p.files, &p.nfiles);
        if (st == TAMIS_E_USAGE) rc = usage_error("%s", tamis_options_errmsg(o));
        else if (st != TAMIS_OK) { msgf("%s", st == TAMIS_E_NOMEM ? "out of memory" : tamis_options_errmsg(o)); rc = tamis_exit_code(st); }
        else if (!p.nfiles) rc = usage_error("no input files to shard");
    }
    for (size_t i = 0; !rc && i < p.nfiles; i++) {
        if (!strcmp(p.files[i].path, "-")) rc = usage_error("tamis slurm %s cannot read stdin (-): name files", p.cmd);
        else if (strpbrk(p.files[i].path, "\t\n")) {
            msgf("%s: a file name with a tab or newline cannot go in a shard list", p.files[i].path);
            rc = TAMIS_EXIT_USAGE;
        }
        else p.total += p.files[i].size;
    }
    if (!rc) {
        p.out = out;
        p.cwd = cwd;
        p.self = self;
        if (dedup && asprintf(&p.work, "%s/dedup-work", out) < 0) {
            p.work = NULL;
            rc = TAMIS_EXIT_INTERNAL;
        }
        size_t n = a.shards ? (size_t)a.shards : (size_t)((p.total + SHARD_BYTES - 1) / SHARD_BYTES);
        if (n < 1) n = 1;
        if (n > p.nfiles) {
            if (a.shards) msgf("note: %zu shards asked for, %zu input files: %zu shards", n, p.nfiles, p.nfiles);
            n = p.nfiles;
        }
        p.nshards = n;
        p.first = rc ? NULL : malloc((n + 1) * sizeof *p.first);
        if (!p.first) rc = TAMIS_EXIT_INTERNAL;
        else split(&p);
    }
    if (!rc) {
        p.max_array = max_array_size(a.dry_run);
        if (!p.max_array && !a.dry_run) {
            msgf("cannot read MaxArraySize from 'scontrol show config': is Slurm installed and running?");
            rc = TAMIS_EXIT_IO;
        }
        if (!p.max_array) {
            msgf("note: no answer from 'scontrol show config': assuming MaxArraySize %d", DEFAULT_MAX_ARRAY);
            p.max_array = DEFAULT_MAX_ARRAY;
        }
    }
    if (!rc) rc = make_options(&p, o);
    if (!rc && make_scripts(&p, o)) rc = TAMIS_EXIT_INTERNAL;
    if (!rc && a.dry_run) rc = dry_run(&p, &a);
    else if (!rc) rc = submit(&p, &a);
    free(p.first);
    free(p.options);
    for (size_t i = 0; i < p.nscripts; i++) free(p.script[i]);
    free(p.work);
    tamis_inputs_free(p.files);
    free(out);
    free(cwd);
    tamis_options_free(o);
    return rc;
}

int cmd_slurm(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[2], "run")) return slurm_cmd(argc, argv, 0);
    if (argc >= 3 && !strcmp(argv[2], "dedup")) return slurm_cmd(argc, argv, 1);
    return usage_error("tamis slurm: expected 'run' or 'dedup'");
}

/* tamis summary merge SUMMARY|DIR... -o FILE */
int cmd_summary(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[2], "merge") != 0) return usage_error("tamis summary: expected 'merge'");
    const char **paths;
    size_t n;
    const char *out = "-";
    int rc = paths_and_output(argc, argv, 3,
                              "Usage: tamis summary merge SUMMARY|DIR... [-o FILE]\n"
                              "Merges the summary.json of runs over parts of one input (the shards of tamis slurm run)\n"
                              "into one, written to FILE (default: stdout).\n",
                              &paths, &n, &out);
    if (rc < 0) {
        free(paths);
        return 0;
    }
    if (!rc && !n) rc = usage_error("tamis summary merge: no summary to merge");
    if (!rc) {
        size_t len = 1;
        for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
        char *cmd = malloc(len), *w = cmd;
        for (int i = 0; cmd && i < argc; i++) w += sprintf(w, "%s%s", i ? " " : "", argv[i]);
        char err[8192];
        tamis_status st = cmd ? tamis_summary_merge(paths, n, out, cmd, err, sizeof err) : TAMIS_E_NOMEM;
        if (st != TAMIS_OK) { msgf("%s", st == TAMIS_E_NOMEM ? "out of memory" : err); rc = tamis_exit_code(st); }
        free(cmd);
    }
    free(paths);
    return rc;
}
