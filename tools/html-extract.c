/*
 * html-extract -- a developer tool: runs the main-content extractor
 * (src/stage/extract/html.c) alone on HTML files.
 *
 *   html-extract [--json] [--root DIR] [--time] [-n N] FILE...
 *   html-extract [--json] [--root DIR] [--time] [-n N] --list LISTFILE
 *
 * Each file is read whole and handed over as UTF-8: a page that is not valid
 * UTF-8 is decoded as the extract stage decodes it (charset.h, without an
 * HTTP header), and one that does not decode is read as windows-1252 (the
 * stage would reject it as undecodable). Decoding is outside the --time
 * figures. Without --json the text of each page is
 * printed after a "### ID" line; with --json one JSON line per page:
 * {"id", "found", "text", "title", "author", "date_published",
 * "canonical_url", "site_name", "html_lang"} (absent metadata: null). The id
 * is the path as given, or relative to --root DIR when it lies below it
 * (scripts/eval-html.py wants "html/x.html" and "aclu/source.html").
 * --time runs the extractor N times (-n, default 1) over all pages after
 * reading them and prints MB/s of HTML per CPU second to stderr (parse +
 * extract; one thread, so per core); the output is written once.
 */
#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"
#include "stage/extract/charset.h"
#include "stage/extract/html.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct page {
    char *path;
    char *data;
    size_t len;
} page;

static void die(const char *msg)
{
    fprintf(stderr, "html-extract: %s\n", msg);
    exit(2);
}

/* windows-1252 0x80..0x9F to Unicode (0 = undefined: U+FFFD) */
static const unsigned short cp1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
    0x0178,
};

static tms_charset *CS;

/* Makes p valid UTF-8: left alone when it is, else decoded as the extract
 * stage decodes it (charset.h: BOM, <meta charset>, uchardet), else (a
 * page the stage would reject as undecodable) every byte >= 0x80 read as
 * windows-1252. */
static void to_utf8(page *p)
{
    if (tms_utf8_valid_prefix(p->data, p->len) == p->len) return;
    if (!CS && tms_charset_create(&CS) != TAMIS_OK) die("out of memory");
    tms_buf ob;
    tms_buf_init(&ob, SIZE_MAX / 4);
    const char *u = NULL, *name = NULL;
    size_t ul = 0;
    tms_charset_source src = TMS_CS_NONE;
    uint64_t replaced = 0;
    if (tms_charset_decode(CS, p->data, p->len, NULL, &ob, &u, &ul, &src, &name, &replaced) == TAMIS_OK &&
        src != TMS_CS_NONE) {
        char *o = malloc(ul + 1);
        if (!o) die("out of memory");
        memcpy(o, u, ul);
        o[ul] = 0;
        free(p->data);
        p->data = o;
        p->len = ul;
        tms_buf_free(&ob);
        return;
    }
    tms_buf_free(&ob);
    char *o = malloc(p->len * 3 + 1);
    if (!o) die("out of memory");
    size_t k = 0;
    for (size_t i = 0; i < p->len; i++) {
        unsigned char c = (unsigned char)p->data[i];
        uint32_t cp = c < 0x80 ? c : c < 0xA0 ? (cp1252[c - 0x80] ? cp1252[c - 0x80] : 0xFFFD) : c;
        k += tms_utf8_encode(cp, o + k);
    }
    free(p->data);
    p->data = o;
    p->len = k;
}

static int read_page(const char *path, page *p)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) die("out of memory");
    for (;;) {
        if (len == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) die("out of memory");
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return -1;
    }
    p->data = buf;
    p->len = len;
    p->path = strdup(path);
    if (!p->path) die("out of memory");
    to_utf8(p);
    return 0;
}

static void add(page **pages, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        page *np = realloc(*pages, *cap * sizeof **pages);
        if (!np) die("out of memory");
        *pages = np;
    }
    if (read_page(path, &(*pages)[*n]) != 0) {
        fprintf(stderr, "html-extract: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    (*n)++;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void put_field(tms_buf *b, const char *key, const char *v)
{
    if (tms_buf_printf(b, ",\"%s\":", key) != TAMIS_OK) die("out of memory");
    if (!v) {
        if (tms_buf_adds(b, "null") != TAMIS_OK) die("out of memory");
        return;
    }
    if (tms_json_put_string(b, v, strlen(v), NULL) != TAMIS_OK) die("out of memory");
}

static const char *id_of(const char *path, const char *root)
{
    if (!root) return path;
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/') n--;
    if (!strncmp(path, root, n) && path[n] == '/') return path + n + 1;
    return path;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: html-extract [--json] [--root DIR] [--time] [-n N] (FILE... | --list LISTFILE)\n");
}

int main(int argc, char **argv)
{
    bool json = false, timing = false;
    const char *root = NULL, *list = NULL;
    int iters = 1;
    page *pages = NULL;
    size_t np = 0, cap = 0;
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = true;
        else if (!strcmp(argv[i], "--time")) timing = true;
        else if (!strcmp(argv[i], "--root") && i + 1 < argc) root = argv[++i];
        else if (!strcmp(argv[i], "--list") && i + 1 < argc) list = argv[++i];
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) iters = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--")) {
            first_file = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "html-extract: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            first_file = i;
            break;
        }
    }
    if (iters < 1) iters = 1;
    if (list) {
        FILE *f = fopen(list, "r");
        if (!f) {
            fprintf(stderr, "html-extract: %s: %s\n", list, strerror(errno));
            return 2;
        }
        char *line = NULL;
        size_t lcap = 0;
        ssize_t got;
        while ((got = getline(&line, &lcap, f)) > 0) {
            while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
            if (got) add(&pages, &np, &cap, line);
        }
        free(line);
        fclose(f);
    }
    for (int i = first_file; i < argc; i++) add(&pages, &np, &cap, argv[i]);
    if (!np) {
        usage(stderr);
        return 2;
    }

    tms_html *h;
    if (tms_html_create(&h) != TAMIS_OK) die("out of memory");
    if (timing) {
        uint64_t total = 0, outb = 0;
        for (size_t i = 0; i < np; i++) total += pages[i].len;
        double t0 = cpu_now();
        for (int it = 0; it < iters; it++)
            for (size_t i = 0; i < np; i++) {
                tms_html_result r;
                if (tms_html_extract(h, pages[i].data, pages[i].len, NULL, &r) != TAMIS_OK) die("out of memory");
                outb += r.len;
            }
        double dt = cpu_now() - t0;
        fprintf(stderr, "html-extract: %zu pages, %.2f MB, %d iterations, %.3f s CPU, %.1f MB/s, %.1f pages/s, text %.1f%%\n",
                np, (double)total / 1e6, iters, dt, (double)total * iters / 1e6 / dt, (double)np * iters / dt,
                100.0 * (double)outb / (double)total / iters);
    }
    tms_buf b;
    tms_buf_init(&b, SIZE_MAX / 4);
    for (size_t i = 0; i < np; i++) {
        tms_html_result r;
        if (tms_html_extract(h, pages[i].data, pages[i].len, NULL, &r) != TAMIS_OK) die("out of memory");
        const char *id = id_of(pages[i].path, root);
        tms_buf_reset(&b);
        if (json) {
            if (tms_buf_adds(&b, "{\"id\":") != TAMIS_OK || tms_json_put_string(&b, id, strlen(id), NULL) != TAMIS_OK ||
                tms_buf_printf(&b, ",\"found\":%s,\"text\":", r.found ? "true" : "false") != TAMIS_OK ||
                tms_json_put_string(&b, r.text, r.len, NULL) != TAMIS_OK)
                die("out of memory");
            put_field(&b, "title", r.title);
            put_field(&b, "author", r.author);
            put_field(&b, "date_published", r.date_published);
            put_field(&b, "canonical_url", r.canonical_url);
            put_field(&b, "site_name", r.site_name);
            put_field(&b, "html_lang", r.html_lang);
            if (tms_buf_adds(&b, "}\n") != TAMIS_OK) die("out of memory");
        } else {
            if (tms_buf_printf(&b, "### %s%s\n", id, r.found ? "" : " (no main content)") != TAMIS_OK ||
                tms_buf_add(&b, r.text, r.len) != TAMIS_OK || tms_buf_addc(&b, '\n') != TAMIS_OK)
                die("out of memory");
        }
        if (fwrite(b.data, 1, b.len, stdout) != b.len) die("write error");
    }
    tms_buf_free(&b);
    tms_html_free(h);
    tms_charset_free(CS);
    for (size_t i = 0; i < np; i++) {
        free(pages[i].data);
        free(pages[i].path);
    }
    free(pages);
    return fflush(stdout) == 0 ? 0 : 2;
}
