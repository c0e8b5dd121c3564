/* report.c -- `tamis report DIR... [-o FILE]`: report.html again from
 * finished runs, or one report merged from the shards of a sharded run. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_report(int argc, char **argv)
{
    const char **dirs = malloc((size_t)argc * sizeof *dirs);
    if (!dirs) { msgf("out of memory"); return TAMIS_EXIT_INTERNAL; }
    size_t n = 0;
    const char *out = NULL;
    int rc = 0;
    for (int i = 2; i < argc && !rc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (i + 1 < argc) out = argv[++i];
            else rc = usage_error("option '%s' needs a value", argv[i]);
        } else if (!strncmp(argv[i], "--output=", 9)) {
            out = argv[i] + 9;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("Usage: tamis report DIR... [-o FILE]\n"
                   "Writes the report of a finished run again from DIR/summary.json and DIR/stats.json, to\n"
                   "DIR/report.html; given several run directories (the shards of tamis slurm run), one report\n"
                   "of them all, to report.html in the directory that holds them (or FILE).\n");
            free(dirs);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = usage_error("unknown option '%s'", argv[i]);
        } else {
            dirs[n++] = argv[i];
        }
    }
    if (!rc && !n) rc = usage_error("tamis report: no run directory given");
    if (!rc) {
        char err[8192];
        tamis_status st = tamis_report(dirs, n, out, err, sizeof err);
        if (st != TAMIS_OK) {
            msgf("%s", err[0] ? err : tamis_strerror(st));
            rc = tamis_exit_code(st);
        }
    }
    free(dirs);
    return rc;
}
