/* report.c -- `tamis report DIR... [-o FILE]`: report.html again from
 * finished runs, or one report merged from the shards of a sharded run. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_report(int argc, char **argv)
{
    const char **dirs;
    size_t n;
    const char *out = NULL;
    int rc = paths_and_output(argc, argv, 2,
                              "Usage: tamis report DIR... [-o FILE]\n"
                              "Writes the report of a finished run again from DIR/summary.json and DIR/stats.json, to\n"
                              "DIR/report.html; given several run directories (the shards of tamis slurm run), one report\n"
                              "of them all, to report.html in the directory that holds them (or FILE).\n",
                              &dirs, &n, &out);
    if (rc < 0) {
        free(dirs);
        return 0;
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
