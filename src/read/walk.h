/* walk.h -- turns the inputs named on the command line into the sorted list
 * of files to read: a file as named, a directory walked recursively in
 * byte order (hidden entries and files of unknown type are left out), or "-". */
#ifndef TMS_WALK_H
#define TMS_WALK_H
#include "../tamis_int.h"

typedef struct tms_file {
    char *path;     /* as given, joined with the relative path inside a directory */
    char *rel;      /* relative to the directory named (the path as given for a file) */
    uint64_t size;  /* bytes on disk (0 for stdin) */
    int format;     /* tms_format it was read as, once opened */
} tms_file;

typedef struct tms_files {
    tms_file *f;
    size_t n, cap;
    bool exclude;                  /* a directory the walk never enters (the output directory) */
    uint64_t exclude_dev, exclude_ino;
} tms_files;

/* Makes later walks skip directory `dir` (when it exists): a run whose
 * output directory sits inside an input directory must not read its own
 * (or an earlier run's) output. */
void tms_files_exclude_dir(tms_files *fs, const char *dir);

/* Appends the files of one input. Directories are walked depth first in
 * byte order; a directory already on the current path (a symlink loop) or
 * the excluded one is skipped. @return TAMIS_OK, TAMIS_E_IO (message in err) or TAMIS_E_NOMEM. */
TMS_NODISCARD tamis_status tms_walk(tms_files *out, const char *input, char *err, size_t errn);
struct tms_config;
struct tms_config;
/* Appends the files of every input of a run, in order, leaving the output
 * directory out (cfg->input_rel marks files named with their directory:
 * tamis_options_add_input_file). */
TMS_NODISCARD tamis_status tms_walk_inputs(tms_files *out, const struct tms_config *cfg, char *err, size_t errn);
void tms_files_free(tms_files *fs);
/* true for names tamis reads when walking a directory */
bool tms_walk_wanted(const char *name);
#endif
