/* cli.h -- what the files of the tamis program share (cli/ uses include/tamis.h only). */
#ifndef TAMIS_CLI_H
#define TAMIS_CLI_H
#include "tamis.h"

/* "tamis: ..." on stderr */
void msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the message, a hint to try --help; @return TAMIS_EXIT_USAGE */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The arguments of `tamis summary merge` and `tamis report` from argv[first]
 * on: paths, and -o/--output FILE (*out keeps its value when absent); -h
 * prints help. *paths (free it) holds *n entries. @return 0, -1 after the
 * help, or an exit code after a message. */
int paths_and_output(int argc, char **argv, int first, const char *help, const char ***paths, size_t *n,
                     const char **out);

/* Options of a command that come before the run options: called with argv[*i]
 * (starting with '-'); returns -1 when the argument is not its own, else 0 or
 * an exit code, having advanced *i past any value it took. */
typedef int (*cli_extra_fn)(void *ctx, int argc, char **argv, int *i);

/* Parses run options and inputs (argv[first..]) into o, as `tamis run` does
 * (--inputs-from included). @return 0, an exit code, or -1 when --help was printed. */
int cli_parse_run_args(int argc, char **argv, int first, tamis_options *o, cli_extra_fn extra, void *ctx);

/* main.c: `tamis run` with the arguments from argv[first] */
int cmd_run(int argc, char **argv, int first);

/* dedup.c */
int cmd_dedup(int argc, char **argv);

/* slurm.c */
int cmd_slurm(int argc, char **argv);
int cmd_summary(int argc, char **argv);
/* tamis report (cli/report.c) */
int cmd_report(int argc, char **argv);
#endif
