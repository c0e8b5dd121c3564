/*
 * shard_file.c -- the work-directory files of sharded steps (shard_file.h).
 */
#include "shard_file.h"
#include "../core/alloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define MAGIC "TMSNDUP1"
#define VERSION 1u
#define HEADER (8 + 12 + 16)
static const char *const kind_names[] = {"",      "documents", "positions",   "band keys",
                                         "edges", "decisions", "line counts", "merged line counts"};
#define NKINDS (sizeof kind_names / sizeof *kind_names)

struct tms_sf_stream {
    FILE *f;
    bool writing;
    XXH64_state_t h;
    uint64_t len;              /* payload bytes written or read */
    uint64_t want_len, want_h; /* reader: from the header */
    char path[4200], tmp[4300];
};

static int mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    return mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static tamis_status step_dir(const char *work, const char *step, char *err, size_t errn)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", work, step);
    if (mkdirs(dir) == 0) return TAMIS_OK;
    snprintf(err, errn, "%s: cannot create directory: %s", dir, strerror(errno));
    return TAMIS_E_IO;
}

tamis_status tms_sf_create(const char *work, const char *step, const char *name, uint32_t kind, const char *config,
                           tms_sf_stream **out, char *err, size_t errn)
{
    TMS_TRY(step_dir(work, step, err, errn));
    tms_sf_stream *s = tms_calloc(1, sizeof *s);
    if (!s) return TAMIS_E_NOMEM;
    s->writing = true;
    snprintf(s->path, sizeof s->path, "%s/%s/%s", work, step, name);
    snprintf(s->tmp, sizeof s->tmp, "%s.tmp-%d", s->path, (int)getpid());
    s->f = fopen(s->tmp, "wb");
    if (!s->f) {
        snprintf(err, errn, "%s: cannot write: %s", s->tmp, strerror(errno));
        tms_free(s);
        return TAMIS_E_IO;
    }
    XXH64_reset(&s->h, 0);
    uint32_t h32[3] = {VERSION, kind, (uint32_t)strlen(config)};
    uint64_t h64[2] = {0, 0}; /* filled in at close */
    if (fwrite(MAGIC, 8, 1, s->f) != 1 || fwrite(h32, sizeof h32, 1, s->f) != 1 || fwrite(h64, sizeof h64, 1, s->f) != 1 ||
        fwrite(config, 1, h32[2], s->f) != h32[2]) {
        snprintf(err, errn, "%s: cannot write: %s", s->tmp, strerror(errno));
        tms_sf_abort(s);
        return TAMIS_E_IO;
    }
    *out = s;
    return TAMIS_OK;
}

tamis_status tms_sf_put(tms_sf_stream *s, const void *p, size_t n)
{
    if (!n) return TAMIS_OK;
    XXH64_update(&s->h, p, n);
    s->len += n;
    return fwrite(p, 1, n, s->f) == n ? TAMIS_OK : TAMIS_E_IO;
}

tamis_status tms_sf_open(const char *work, const char *step, const char *name, uint32_t kind, char **config_io,
                         bool config_given, tms_sf_stream **out, char *err, size_t errn)
{
    tms_sf_stream *s = tms_calloc(1, sizeof *s);
    if (!s) return TAMIS_E_NOMEM;
    snprintf(s->path, sizeof s->path, "%s/%s/%s", work, step, name);
    const char *path = s->path;
    s->f = fopen(path, "rb");
    if (!s->f) {
        snprintf(err, errn, "%s: cannot read: %s (did the previous step finish?)", path, strerror(errno));
        tms_free(s);
        return TAMIS_E_IO;
    }
    char magic[8];
    uint32_t h32[3];
    uint64_t h64[2];
    tamis_status st = TAMIS_OK;
    char *cfg = NULL;
    if (fread(magic, 8, 1, s->f) != 1 || memcmp(magic, MAGIC, 8) || fread(h32, sizeof h32, 1, s->f) != 1 ||
        fread(h64, sizeof h64, 1, s->f) != 1) {
        snprintf(err, errn, "%s: not a tamis dedup file", path);
        st = TAMIS_E_DATA;
    } else if (h32[0] != VERSION) {
        snprintf(err, errn, "%s: format version %u, this tamis reads version %u", path, h32[0], VERSION);
        st = TAMIS_E_DATA;
    } else if (h32[1] != kind) {
        snprintf(err, errn, "%s: holds %s, expected %s", path, h32[1] < NKINDS ? kind_names[h32[1]] : "?",
                 kind_names[kind]);
        st = TAMIS_E_DATA;
    } else if (h32[2] > (1u << 20) || !(cfg = tms_malloc((size_t)h32[2] + 1)) || fread(cfg, 1, h32[2], s->f) != h32[2]) {
        snprintf(err, errn, "%s: damaged header", path);
        st = TAMIS_E_DATA;
    } else if (h64[0] > ((uint64_t)1 << 46)) {
        snprintf(err, errn, "%s: truncated or too long", path);
        st = TAMIS_E_DATA;
    } else {
        cfg[h32[2]] = 0;
        if (config_given && strcmp(cfg, *config_io) != 0) {
            const char *a = cfg, *b = *config_io;
            while (*a && *a == *b) a++, b++;
            while (a > cfg && a[-1] != '\n') a--, b--;
            snprintf(err, errn, "%s: made with another configuration: '%.*s' there, '%.*s' here", path,
                     (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
            st = TAMIS_E_USAGE;
        }
    }
    if (st != TAMIS_OK) {
        tms_free(cfg);
        fclose(s->f);
        tms_free(s);
        return st;
    }
    if (!config_given) *config_io = cfg;
    else tms_free(cfg);
    s->want_len = h64[0];
    s->want_h = h64[1];
    XXH64_reset(&s->h, 0);
    *out = s;
    return TAMIS_OK;
}

size_t tms_sf_get(tms_sf_stream *s, void *p, size_t n)
{
    uint64_t left = s->want_len - s->len;
    size_t want = n < left ? n : (size_t)left;
    size_t k = want ? fread(p, 1, want, s->f) : 0;
    XXH64_update(&s->h, p, k);
    s->len += k;
    return k; /* short before the declared end: close reports it */
}

uint64_t tms_sf_payload_len(const tms_sf_stream *s) { return s->writing ? s->len : s->want_len; }

void tms_sf_abort(tms_sf_stream *s)
{
    if (!s) return;
    if (s->f) fclose(s->f);
    if (s->writing) unlink(s->tmp);
    tms_free(s);
}

tamis_status tms_sf_close(tms_sf_stream *s, char *err, size_t errn)
{
    tamis_status st = TAMIS_OK;
    if (s->writing) {
        uint64_t h64[2] = {s->len, XXH64_digest(&s->h)};
        bool ok = !ferror(s->f) && fseek(s->f, 8 + 12, SEEK_SET) == 0 && fwrite(h64, sizeof h64, 1, s->f) == 1;
        ok = fclose(s->f) == 0 && ok;
        s->f = NULL;
        if (!ok || rename(s->tmp, s->path) != 0) {
            snprintf(err, errn, "%s: cannot write: %s", s->path, strerror(errno));
            st = TAMIS_E_IO;
        }
    } else {
        /* what was not read is read now, for the checksum */
        char tail[1 << 14];
        while (tms_sf_get(s, tail, sizeof tail) == sizeof tail) continue;
        if (s->len != s->want_len || fgetc(s->f) != EOF) {
            snprintf(err, errn, "%s: truncated or too long", s->path);
            st = TAMIS_E_DATA;
        } else if (XXH64_digest(&s->h) != s->want_h) {
            snprintf(err, errn, "%s: checksum mismatch (damaged file)", s->path);
            st = TAMIS_E_DATA;
        }
    }
    if (st != TAMIS_OK) {
        tms_sf_abort(s);
        return st;
    }
    if (s->f) fclose(s->f);
    tms_free(s);
    return TAMIS_OK;
}

tamis_status tms_sf_write(const char *work, const char *step, const char *name, uint32_t kind, const char *config,
                          const tms_buf *payload, char *err, size_t errn)
{
    tms_sf_stream *s;
    TMS_TRY(tms_sf_create(work, step, name, kind, config, &s, err, errn));
    if (tms_sf_put(s, payload->data, payload->len) != TAMIS_OK) {
        snprintf(err, errn, "%s: cannot write: %s", s->tmp, strerror(errno));
        tms_sf_abort(s);
        return TAMIS_E_IO;
    }
    return tms_sf_close(s, err, errn);
}

tamis_status tms_sf_read(const char *work, const char *step, const char *name, uint32_t kind, char **config_io,
                         bool config_given, tms_buf *payload, char *err, size_t errn)
{
    tms_sf_stream *s;
    char *cfg = config_given ? *config_io : NULL;
    TMS_TRY(tms_sf_open(work, step, name, kind, &cfg, config_given, &s, err, errn));
    tms_buf_reset(payload);
    size_t n = (size_t)s->want_len;
    tamis_status st = tms_buf_reserve(payload, n + 1);
    if (st != TAMIS_OK) snprintf(err, errn, "%s: %llu bytes: too large to read", s->path, (unsigned long long)n);
    if (st == TAMIS_OK) {
        payload->len = tms_sf_get(s, payload->data, n);
        payload->data[payload->len] = 0;
        st = tms_sf_close(s, err, errn);
    } else {
        tms_sf_abort(s);
    }
    if (!config_given) {
        if (st == TAMIS_OK) *config_io = cfg;
        else tms_free(cfg);
    }
    return st;
}

tamis_status tms_sf_mark(const char *work, const char *step, uint32_t index, char *err, size_t errn)
{
    TMS_TRY(step_dir(work, step, err, errn));
    char path[4200];
    snprintf(path, sizeof path, "%s/%s/%05u.done", work, step, index);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        snprintf(err, errn, "%s: cannot write: %s", path, strerror(errno));
        return TAMIS_E_IO;
    }
    close(fd);
    return TAMIS_OK;
}

bool tms_sf_done(const char *work, const char *step, uint32_t index)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s/%05u.done", work, step, index);
    return access(path, F_OK) == 0;
}
