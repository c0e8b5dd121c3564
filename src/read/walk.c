/* walk.c -- recursive, sorted directory walk. */
#include "walk.h"
#include "../core/alloc.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const wanted_ext[] = {"txt", "jsonl", "json", "ndjson", "warc", "wet", "wat", "arc"};

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

static tamis_status walk_dir(tms_files *fs, const char *dir, size_t root_len, char *err, size_t errn)
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
        if (S_ISDIR(sb.st_mode)) st = walk_dir(fs, path, root_len, err, errn);
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
    if (S_ISDIR(sb.st_mode)) return walk_dir(fs, input, strlen(input), err, errn);
    return add(fs, input, input, (uint64_t)sb.st_size);
}

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
