/* walk.c -- recursive, sorted directory walk. */
#include "walk.h"
#include "../core/alloc.h"
#include "../core/config.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const wanted_ext[] = {"txt", "jsonl", "json", "ndjson", "warc", "wet", "wat", "arc", "html", "htm", "xhtml"};

bool tms_walk_wanted(const char *name)
{
    if (name[0] == '.') return false;
    char tmp[512];
    size_t n = strlen(name);
    if (n >= sizeof tmp) return false;
    memcpy(tmp, name, n + 1);
    char *dot = strrchr(tmp, '.');
    if (dot && (!strcasecmp(dot, ".gz") || !strcasecmp(dot, ".zst") || !strcasecmp(dot, ".zstd"))) {
        *dot = 0;
        dot = strrchr(tmp, '.');
    }
    if (!dot) return false;
    for (size_t i = 0; i < TMS_ARRAY_LEN(wanted_ext); i++)
        if (!strcasecmp(dot + 1, wanted_ext[i])) return true;
    return false;
}

static tamis_status add(tms_files *fs, const char *path, const char *rel, uint64_t size)
{
    if (TMS_GROW(fs->f, fs->cap, fs->n, 16)) return TAMIS_E_NOMEM;
    tms_file *f = &fs->f[fs->n];
    f->path = tms_strdup(path);
    f->rel = tms_strdup(rel);
    f->size = size;
    f->format = 0;
    if (!f->path || !f->rel) { tms_free(f->path); tms_free(f->rel); return TAMIS_E_NOMEM; }
    fs->n++;
    return TAMIS_OK;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void tms_files_exclude_dir(tms_files *fs, const char *dir)
{
    struct stat sb;
    fs->exclude = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
    fs->exclude_dev = fs->exclude ? (uint64_t)sb.st_dev : 0;
    fs->exclude_ino = fs->exclude ? (uint64_t)sb.st_ino : 0;
}

#define MAX_DEPTH 256
typedef struct ancestors {
    uint64_t dev[MAX_DEPTH], ino[MAX_DEPTH];
    int n;
} ancestors;

/* true if the directory must not be entered: excluded, a loop, or too deep */
static bool skip_dir(const tms_files *fs, const ancestors *up, const struct stat *sb)
{
    if (fs->exclude && (uint64_t)sb->st_dev == fs->exclude_dev && (uint64_t)sb->st_ino == fs->exclude_ino) return true;
    for (int i = 0; i < up->n; i++)
        if (up->dev[i] == (uint64_t)sb->st_dev && up->ino[i] == (uint64_t)sb->st_ino) return true;
    return up->n == MAX_DEPTH;
}

static tamis_status walk_dir(tms_files *fs, const char *dir, size_t root_len, ancestors *up, char *err, size_t errn)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errn, "%s: cannot open directory: %s", dir, strerror(errno));
        return TAMIS_E_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    tamis_status st = TAMIS_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (TMS_GROW(names, cap, n, 64)) { st = TAMIS_E_NOMEM; break; }
        if (!(names[n] = tms_strdup(e->d_name))) { st = TAMIS_E_NOMEM; break; }
        n++;
    }
    closedir(d);
    if (st == TAMIS_OK && n > 1) qsort(names, n, sizeof *names, cmp_names); /* names is NULL when n is 0 */
    for (size_t i = 0; i < n && st == TAMIS_OK; i++) {
        char path[TMS_MAX_PATH_BYTES];
        bool slash = dir[strlen(dir) - 1] == '/';
        if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, slash ? "" : "/", names[i]) >= sizeof path) {
            snprintf(err, errn, "%s/%s: path too long", dir, names[i]);
            st = TAMIS_E_IO;
            break;
        }
        struct stat sb;
        if (stat(path, &sb) != 0) {
            snprintf(err, errn, "%s: %s", path, strerror(errno));
            st = TAMIS_E_IO;
            break;
        }
        const char *rel = path + root_len;
        while (*rel == '/') rel++;
        if (S_ISDIR(sb.st_mode) && !skip_dir(fs, up, &sb)) {
            up->dev[up->n] = (uint64_t)sb.st_dev;
            up->ino[up->n++] = (uint64_t)sb.st_ino;
            st = walk_dir(fs, path, root_len, up, err, errn);
            up->n--;
        }
        else if (S_ISREG(sb.st_mode) && tms_walk_wanted(names[i])) st = add(fs, path, rel, (uint64_t)sb.st_size);
    }
    for (size_t i = 0; i < n; i++) tms_free(names[i]);
    tms_free(names);
    return st;
}

tamis_status tms_walk(tms_files *fs, const char *input, char *err, size_t errn)
{
    if (!strcmp(input, "-")) return add(fs, "-", "-", 0);
    struct stat sb;
    if (stat(input, &sb) != 0) {
        snprintf(err, errn, "%s: %s", input, strerror(errno));
        return TAMIS_E_IO;
    }
    if (S_ISDIR(sb.st_mode)) {
        if (skip_dir(fs, &(ancestors){.n = 0}, &sb)) return TAMIS_OK;
        ancestors *up = tms_malloc(sizeof *up);
        if (!up) return TAMIS_E_NOMEM;
        up->dev[0] = (uint64_t)sb.st_dev;
        up->ino[0] = (uint64_t)sb.st_ino;
        up->n = 1;
        tamis_status st = walk_dir(fs, input, strlen(input), up, err, errn);
        tms_free(up);
        return st;
    }
    return add(fs, input, input, (uint64_t)sb.st_size);
}

/* one file of a directory walked before: path as named, rel inside it */
static tamis_status walk_file(tms_files *fs, const char *path, const char *rel, char *err, size_t errn)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(err, errn, "%s: %s", path, strerror(errno));
        return TAMIS_E_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errn, "%s: not a regular file", path);
        return TAMIS_E_IO;
    }
    return add(fs, path, rel, (uint64_t)sb.st_size);
}

tamis_status tms_walk_inputs(tms_files *fs, const tms_config *cfg, char *err, size_t errn)
{
    if (cfg->output && strcmp(cfg->output, "-") != 0) tms_files_exclude_dir(fs, cfg->output);
    for (size_t i = 0; i < cfg->ninputs; i++) {
        size_t rel = cfg->input_rel ? cfg->input_rel[i] : 0;
        const char *in = cfg->inputs[i];
        TMS_TRY(rel ? walk_file(fs, in, in + rel, err, errn) : tms_walk(fs, in, err, errn));
    }
    return TAMIS_OK;
}

tamis_status tamis_inputs_list(tamis_options *o, tamis_input_file **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    tms_config cfg;
    char err[TMS_MAX_PATH_BYTES + 128];
    tamis_status st = tms_config_resolve(o, &cfg, err, sizeof err);
    tms_files fs = {0};
    if (st == TAMIS_OK) st = tms_walk_inputs(&fs, &cfg, err, sizeof err);
    if (st == TAMIS_OK && fs.n) {
        /* one block: the array, then the strings */
        size_t bytes = fs.n * sizeof **out;
        for (size_t i = 0; i < fs.n; i++) bytes += strlen(fs.f[i].path) + strlen(fs.f[i].rel) + 2;
        tamis_input_file *r = tms_malloc(bytes);
        if (!r) st = TAMIS_E_NOMEM;
        char *w = r ? (char *)(r + fs.n) : NULL;
        for (size_t i = 0; r && i < fs.n; i++) {
            size_t pl = strlen(fs.f[i].path) + 1, rl = strlen(fs.f[i].rel) + 1;
            r[i].path = memcpy(w, fs.f[i].path, pl);
            w += pl;
            r[i].rel = memcpy(w, fs.f[i].rel, rl);
            w += rl;
            r[i].size = fs.f[i].size;
        }
        *out = r;
        if (r) *n = fs.n;
    }
    if (st != TAMIS_OK && st != TAMIS_E_NOMEM) tms_options_set_error(o, err);
    tms_files_free(&fs);
    return st;
}

void tamis_inputs_free(tamis_input_file *files) { tms_free(files); }

void tms_files_free(tms_files *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        tms_free(fs->f[i].path);
        tms_free(fs->f[i].rel);
    }
    tms_free(fs->f);
    fs->f = NULL;
    fs->n = fs->cap = 0;
}
