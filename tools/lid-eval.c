/*
 * lid-eval -- a developer tool: runs language identification (lid.h) on
 * labelled texts, for scripts/eval-lid.py.
 *
 *   lid-eval [--backend tamis|cld2|both] [--short] [--repeat N] [--languages] [FILE.tsv]
 *
 * Input (FILE or stdin): one text a line, "label<TAB>text", the text with
 * "\n", "\t" and "\\" escaped. Output: a header, then per text and backend
 * "row<TAB>backend<TAB>label<TAB>lang<TAB>score<TAB>runner_up<TAB>runner_score",
 * then per backend a line "#speed<TAB>backend<TAB>texts<TAB>bytes<TAB>cpu_seconds<TAB>MB/s"
 * (CPU time of the calling thread spent in tms_lid_detect, best of --repeat
 * runs). --short passes TMS_LID_SHORT (CLD2's best-effort mode).
 * --languages lists each backend's languages instead.
 */
#include "stage/lid/lid.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct row {
    char *label, *text;
    size_t len;
} row;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Unescapes s in place; returns the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            s[o++] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
        } else {
            s[o++] = s[i];
        }
    }
    return o;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (!got) break;
        n += got;
    }
    if (n == cap) { /* room for the NUL after the last line */
        char *nb = realloc(buf, cap + 1);
        if (!nb) {
            free(buf);
            return NULL;
        }
        buf = nb;
    }
    *len = n;
    return buf;
}

static void run(tms_lid_backend b, const row *rows, size_t nrows, unsigned flags, int repeat, int print)
{
    tms_lid_result *res = calloc(nrows ? nrows : 1, sizeof *res);
    if (!res) {
        perror("lid-eval");
        exit(1);
    }
    double best = -1;
    size_t bytes = 0;
    for (int r = 0; r < repeat; r++) {
        bytes = 0;
        double t0 = cpu_now();
        for (size_t i = 0; i < nrows; i++) {
            tms_lid_detect(b, rows[i].text, rows[i].len, flags, &res[i]);
            bytes += rows[i].len;
        }
        double t = cpu_now() - t0;
        if (best < 0 || t < best) best = t;
    }
    const char *name = tms_lid_backend_name(b);
    if (print)
        for (size_t i = 0; i < nrows; i++)
            printf("%zu\t%s\t%s\t%s\t%.4f\t%s\t%.4f\n", i, name, rows[i].label, res[i].best.lang,
                   (double)res[i].best.score, res[i].runner_up.lang[0] ? res[i].runner_up.lang : "-",
                   (double)res[i].runner_up.score);
    printf("#speed\t%s\t%zu\t%zu\t%.6f\t%.2f\n", name, nrows, bytes, best,
           best > 0 ? bytes / best / 1e6 : 0.0);
    free(res);
}

int main(int argc, char **argv)
{
    int which = 3, repeat = 1, print = 1;
    unsigned flags = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
            const char *b = argv[++i];
            which = !strcmp(b, "both") ? 3 : tms_lid_backend_parse(b, strlen(b)) == TMS_LID_CLD2 ? 2 : 1;
            if (strcmp(b, "both") && tms_lid_backend_parse(b, strlen(b)) < 0) {
                fprintf(stderr, "lid-eval: unknown backend %s\n", b);
                return 2;
            }
        } else if (!strcmp(argv[i], "--short")) {
            flags |= TMS_LID_SHORT;
        } else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
            repeat = atoi(argv[++i]);
            if (repeat < 1) repeat = 1;
        } else if (!strcmp(argv[i], "--quiet")) {
            print = 0;
        } else if (!strcmp(argv[i], "--languages")) {
            for (int b = 0; b < 2; b++) {
                if (!(which & (1 << b))) continue;
                size_t n = tms_lid_nlanguages((tms_lid_backend)b);
                printf("%s\t%zu", tms_lid_backend_name((tms_lid_backend)b), n);
                for (size_t k = 0; k < n; k++) printf("%c%s", k ? ' ' : '\t', tms_lid_language((tms_lid_backend)b, k));
                printf("\n");
            }
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "usage: lid-eval [--backend tamis|cld2|both] [--short] [--repeat N] [--quiet] [--languages] [FILE.tsv]\n");
            return 2;
        } else {
            path = argv[i];
        }
    }
    FILE *f = path ? fopen(path, "rb") : stdin;
    if (!f) {
        perror(path);
        return 1;
    }
    size_t n;
    char *buf = read_all(f, &n);
    if (f != stdin) fclose(f);
    if (!buf) {
        perror("lid-eval");
        return 1;
    }
    size_t nrows = 0, cap = 1024;
    row *rows = malloc(cap * sizeof *rows);
    if (!rows) return 1;
    for (size_t i = 0; i < n;) {
        char *line = buf + i, *nl = memchr(line, '\n', n - i);
        size_t ll = nl ? (size_t)(nl - line) : n - i;
        i += ll + 1;
        char *tab = memchr(line, '\t', ll);
        if (!tab) continue;
        if (nrows == cap) {
            row *nr = realloc(rows, (cap *= 2) * sizeof *rows);
            if (!nr) return 1;
            rows = nr;
        }
        *tab = 0;
        line[ll] = 0;
        rows[nrows].label = line;
        rows[nrows].text = tab + 1;
        rows[nrows].len = unescape(tab + 1, ll - (size_t)(tab + 1 - line));
        nrows++;
    }
    printf("row\tbackend\tlabel\tlang\tscore\trunner_up\trunner_score\n");
    if (which & 1) run(TMS_LID_TAMIS, rows, nrows, flags, repeat, print);
    if (which & 2) run(TMS_LID_CLD2, rows, nrows, flags, repeat, print);
    free(rows);
    free(buf);
    return 0;
}
