/* bench/html_parse.c -- CPU throughput of one HTML parser backend, chosen at
 * compile time, on a set of real pages: parse only, and parse plus a DOM walk
 * that does what an extractor's first pass does (tag id of every element,
 * its class and id attributes, the text of every text node outside
 * script/style/template/noscript). It exists to choose tamis's HTML parser by
 * measurement; it is not part of the build.
 *
 *   cc -O2 -DHP_MYHTML  bench/html_parse.c -o hp-myhtml  -lmodest
 *   cc -O2 -DHP_GUMBO   bench/html_parse.c -o hp-gumbo   -lgumbo
 *   cc -O2 -DHP_LIBXML2 bench/html_parse.c -o hp-libxml2 $(pkg-config --cflags --libs libxml-2.0)
 *
 *   hp-X [-n N] [-m parse|walk|both] [-l LISTFILE] [-t] [-g DEPTH] [FILE...]
 *
 * Files are read into memory first; each is parsed N times per mode. MB/s is
 * HTML bytes (10^6) per second of process CPU time (CLOCK_PROCESS_CPUTIME_ID),
 * i.e. per core: every backend runs single-threaded here. -t prints the
 * walked text of every file once (to compare backends) and skips timing.
 * Input bytes are handed over as they are, declared as UTF-8: charset
 * handling is a separate step and is left out of the figures.
 *
 * -g DEPTH (myhtml only): once a node is inserted deeper than DEPTH, tree
 * building stops for the rest of the page (parse flag WITHOUT_PROCESS_TOKEN
 * set from the node-insert callback; the tokenizer still runs to the end, in
 * linear time) and the tree built so far is kept. The HTML5 tree builder
 * scans the stack of open elements for every start tag ("p in button
 * scope"), so parse time is quadratic in nesting depth; the guard bounds it
 * at O(bytes * DEPTH). Pages cut are counted. (Feeding chunks with
 * myhtml_parse_chunk and checking between them was tried first: Debian's
 * myhtml mis-tokenizes across chunk boundaries, e.g. a character reference
 * or an RCDATA end tag split between two chunks, so it is not used.)
 *
 * The walk is iterative (first child / next sibling / parent), never
 * recursive, so that depth is bounded by memory, not by the C stack. */

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- common ---------------------------------------------------------------- */

static size_t g_depth_guard = 0;  /* -g: 0 = off */
static uint64_t g_truncated = 0;  /* documents cut by the depth guard */

typedef struct {
    char *data;
    size_t len;
    const char *path;
} page;

typedef struct {
    char *buf;           /* collected text, reused across documents */
    size_t len, cap;
    uint64_t elements;   /* element nodes visited */
    uint64_t texts;      /* text nodes kept */
    uint64_t attr_bytes; /* bytes of class + id values seen */
    uint64_t max_depth;
} walk_stats;

static void die(const char *msg) {
    fprintf(stderr, "html_parse: %s\n", msg);
    exit(2);
}

static void text_append(walk_stats *w, const char *s, size_t n) {
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 1 << 16;
        while (w->len + n + 1 > cap) cap *= 2;
        char *p = realloc(w->buf, cap);
        if (!p) die("out of memory");
        w->buf = p;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len++] = ' '; /* a separator keeps segments from gluing */
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int read_file(const char *path, page *p) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) die("out of memory");
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) die("out of memory");
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    fclose(f);
    p->data = buf;
    p->len = len;
    p->path = path;
    return 0;
}

/* ---- backend: myhtml (Debian libmodest-dev, no pkg-config file) ------------ */
#if defined(HP_MYHTML)
#include <myhtml/api.h>

#define BACKEND "myhtml"
typedef struct {
    myhtml_t *h;
    myhtml_tree_t *tree;
    uintptr_t max_depth; /* deepest insertion so far, kept by on_insert */
} be_ctx;

/* Depth guard through the public API only: every inserted node gets its
 * parent's depth + 1 in its user-data slot (myhtml links parent before it
 * calls back). Nodes moved later (adoption agency) keep a stale depth; good
 * enough for a guard. */
static void on_insert(myhtml_tree_t *tree, myhtml_tree_node_t *node, void *ctx) {
    myhtml_tree_node_t *parent = myhtml_node_parent(node);
    uintptr_t d = (parent ? (uintptr_t)myhtml_node_get_data(parent) : 0) + 1;
    myhtml_node_set_data(node, (void *)d);
    be_ctx *c = ctx;
    if (d > c->max_depth) c->max_depth = d;
    if (d > g_depth_guard) /* stop building; the tokenizer runs on, linear */
        myhtml_tree_parse_flags_set(tree, MyHTML_TREE_PARSE_FLAGS_WITHOUT_PROCESS_TOKEN);
}

static void be_init(be_ctx *c) {
    c->h = myhtml_create();
    /* PARSE_MODE_SINGLE: no worker threads; tamis parallelizes per document. */
    if (!c->h || myhtml_init(c->h, MyHTML_OPTIONS_PARSE_MODE_SINGLE, 1, 0) != MyHTML_STATUS_OK)
        die("myhtml_init failed");
    c->tree = myhtml_tree_create();
    if (!c->tree || myhtml_tree_init(c->tree, c->h) != MyHTML_STATUS_OK) die("myhtml_tree_init failed");
    if (g_depth_guard) myhtml_callback_tree_node_insert_set(c->tree, on_insert, c);
}

static void be_parse(be_ctx *c, const page *p) {
    /* Flags persist across parses: clear the guard's "stop building" bit. */
    myhtml_tree_parse_flags_set(c->tree, MyHTML_TREE_PARSE_FLAGS_CLEAN);
    c->max_depth = 0;
    /* One tree reused for every document: myhtml_parse cleans it first. */
    if (myhtml_parse(c->tree, MyENCODING_UTF_8, p->data, p->len) != MyHTML_STATUS_OK)
        die("myhtml_parse failed");
    if (c->max_depth > g_depth_guard && g_depth_guard) g_truncated++;
}

static int skip_tag(myhtml_tag_id_t t) {
    return t == MyHTML_TAG_SCRIPT || t == MyHTML_TAG_STYLE || t == MyHTML_TAG_TEMPLATE ||
           t == MyHTML_TAG_NOSCRIPT || t == MyHTML_TAG__COMMENT;
}

static void be_walk(be_ctx *c, walk_stats *w) {
    myhtml_tree_node_t *root = myhtml_tree_get_document(c->tree);
    myhtml_tree_node_t *n = myhtml_node_child(root);
    uint64_t depth = 1;
    while (n) {
        myhtml_tag_id_t t = myhtml_node_tag_id(n);
        int descend = 0;
        if (t == MyHTML_TAG__TEXT) {
            size_t len = 0;
            const char *s = myhtml_node_text(n, &len);
            if (s && len) {
                text_append(w, s, len);
                w->texts++;
            }
        } else if (t != MyHTML_TAG__DOCTYPE && !skip_tag(t)) {
            w->elements++;
            size_t len;
            myhtml_tree_attr_t *a = myhtml_attribute_by_key(n, "class", 5);
            if (a && myhtml_attribute_value(a, &len)) w->attr_bytes += len;
            a = myhtml_attribute_by_key(n, "id", 2);
            if (a && myhtml_attribute_value(a, &len)) w->attr_bytes += len;
            descend = 1;
        }
        if (depth > w->max_depth) w->max_depth = depth;
        myhtml_tree_node_t *next;
        if (descend && (next = myhtml_node_child(n))) {
            depth++;
            n = next;
            continue;
        }
        while (n && n != root && !myhtml_node_next(n)) {
            n = myhtml_node_parent(n);
            depth--;
        }
        n = (n && n != root) ? myhtml_node_next(n) : NULL;
    }
}

static void be_release(be_ctx *c) { (void)c; /* the next myhtml_parse reuses the tree */ }

static void be_fini(be_ctx *c) {
    myhtml_tree_destroy(c->tree);
    myhtml_destroy(c->h);
}

/* ---- backend: gumbo (Debian libgumbo-dev, pkg-config gumbo) --------------- */
#elif defined(HP_GUMBO)
#include <gumbo.h>

#define BACKEND "gumbo"
typedef struct {
    GumboOptions opt;
    GumboOutput *out;
} be_ctx;

static void be_init(be_ctx *c) {
    c->opt = kGumboDefaultOptions;
    c->opt.max_errors = 0; /* do not record parse errors: we never read them */
    c->out = NULL;
}

static void be_parse(be_ctx *c, const page *p) {
    c->out = gumbo_parse_with_options(&c->opt, p->data, p->len);
    if (!c->out) die("gumbo_parse failed");
}

static int skip_tag(GumboTag t) {
    return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_NOSCRIPT;
}

/* Gumbo nodes know their parent and their index in it: that is the sibling link. */
static GumboNode *next_sibling(GumboNode *n) {
    GumboNode *p = n->parent;
    if (!p) return NULL;
    const GumboVector *v = p->type == GUMBO_NODE_DOCUMENT ? &p->v.document.children : &p->v.element.children;
    size_t i = n->index_within_parent + 1;
    return i < v->length ? v->data[i] : NULL;
}

static void be_walk(be_ctx *c, walk_stats *w) {
    GumboNode *root = c->out->document;
    GumboNode *n = root->v.document.children.length ? root->v.document.children.data[0] : NULL;
    uint64_t depth = 1;
    while (n) {
        int descend = 0;
        switch (n->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA: {
            size_t len = strlen(n->v.text.text);
            if (len) {
                text_append(w, n->v.text.text, len);
                w->texts++;
            }
            break;
        }
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE:
            if (skip_tag(n->v.element.tag)) break;
            w->elements++;
            GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, "class");
            if (a) w->attr_bytes += strlen(a->value);
            a = gumbo_get_attribute(&n->v.element.attributes, "id");
            if (a) w->attr_bytes += strlen(a->value);
            descend = 1;
            break;
        default:
            break;
        }
        if (depth > w->max_depth) w->max_depth = depth;
        if (descend && n->v.element.children.length) {
            depth++;
            n = n->v.element.children.data[0];
            continue;
        }
        GumboNode *next = NULL;
        while (n != root && !(next = next_sibling(n))) {
            n = n->parent;
            depth--;
        }
        n = n != root ? next : NULL;
    }
}

static void be_release(be_ctx *c) {
    gumbo_destroy_output(&c->opt, c->out);
    c->out = NULL;
}

static void be_fini(be_ctx *c) { (void)c; }

/* ---- backend: libxml2 HTMLparser (HTML 4 era, not HTML5; reference) ------- */
#elif defined(HP_LIBXML2)
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#define BACKEND "libxml2"
typedef struct {
    htmlDocPtr doc;
    int opts;
} be_ctx;

static void be_init(be_ctx *c) {
    xmlInitParser();
    c->doc = NULL;
    c->opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
              HTML_PARSE_COMPACT;
#ifdef HP_LIBXML2_HUGE
    c->opts |= XML_PARSE_HUGE; /* lifts the 256 nesting limit to 2048 */
#endif
}

static void be_parse(be_ctx *c, const page *p) {
    c->doc = htmlReadMemory(p->data, (int)p->len, NULL, "UTF-8", c->opts);
    if (!c->doc) die("htmlReadMemory failed");
}

static int skip_name(const xmlChar *name) {
    const char *s = (const char *)name;
    return !strcmp(s, "script") || !strcmp(s, "style") || !strcmp(s, "template") || !strcmp(s, "noscript");
}

static void be_walk(be_ctx *c, walk_stats *w) {
    xmlNodePtr root = (xmlNodePtr)c->doc;
    xmlNodePtr n = root->children;
    uint64_t depth = 1;
    while (n) {
        int descend = 0;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            size_t len = n->content ? strlen((const char *)n->content) : 0;
            if (len) {
                text_append(w, (const char *)n->content, len);
                w->texts++;
            }
        } else if (n->type == XML_ELEMENT_NODE && !skip_name(n->name)) {
            w->elements++;
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                if ((!strcmp((const char *)a->name, "class") || !strcmp((const char *)a->name, "id")) &&
                    a->children && a->children->content)
                    w->attr_bytes += strlen((const char *)a->children->content);
            }
            descend = 1;
        }
        if (depth > w->max_depth) w->max_depth = depth;
        if (descend && n->children) {
            depth++;
            n = n->children;
            continue;
        }
        while (n != root && !n->next) {
            n = n->parent;
            depth--;
        }
        n = n != root ? n->next : NULL;
    }
}

static void be_release(be_ctx *c) {
    xmlFreeDoc(c->doc);
    c->doc = NULL;
}

static void be_fini(be_ctx *c) {
    (void)c;
    xmlCleanupParser();
}

#else
#error "define one of HP_MYHTML, HP_GUMBO, HP_LIBXML2"
#endif

/* ---- driver ---------------------------------------------------------------- */

static void add_page(page **pages, size_t *n, size_t *cap, const char *path) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *pages = realloc(*pages, *cap * sizeof **pages);
        if (!*pages) die("out of memory");
    }
    if (read_file(path, &(*pages)[*n]) != 0) {
        fprintf(stderr, "html_parse: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    (*n)++;
}

static void run(be_ctx *c, const page *pages, size_t np, int iters, int walk, uint64_t total) {
    walk_stats w = {0};
    g_truncated = 0;
    double t0 = cpu_now();
    for (int it = 0; it < iters; it++) {
        for (size_t i = 0; i < np; i++) {
            be_parse(c, &pages[i]);
            if (walk) {
                w.len = 0;
                be_walk(c, &w);
            }
            be_release(c);
        }
    }
    double dt = cpu_now() - t0;
    double mb = (double)total * iters / 1e6;
    printf("%-8s %-10s files=%zu MB=%.2f iters=%d cpu_s=%.3f MB/s=%.2f", BACKEND, walk ? "parse+walk" : "parse",
           np, (double)total / 1e6, iters, dt, mb / dt);
    if (walk)
        printf(" elements=%llu texts=%llu attr_bytes=%llu max_depth=%llu", (unsigned long long)(w.elements / iters),
               (unsigned long long)(w.texts / iters), (unsigned long long)(w.attr_bytes / iters),
               (unsigned long long)w.max_depth);
    if (g_depth_guard) printf(" depth_guard=%zu cut_docs=%llu", g_depth_guard,
                              (unsigned long long)(g_truncated / (uint64_t)iters));
    printf("\n");
    free(w.buf);
}

int main(int argc, char **argv) {
    int iters = 3, mode = 3, dump = 0, opt;
    const char *list = NULL;
    while ((opt = getopt(argc, argv, "n:m:l:tg:")) != -1) {
        switch (opt) {
        case 'n': iters = atoi(optarg); break;
        case 'm': mode = !strcmp(optarg, "parse") ? 1 : !strcmp(optarg, "walk") ? 2 : 3; break;
        case 'l': list = optarg; break;
        case 't': dump = 1; break;
        case 'g': g_depth_guard = (size_t)atol(optarg); break;
        default:
            fprintf(stderr, "usage: %s [-n N] [-m parse|walk|both] [-l LISTFILE] [-t] [-g DEPTH] [FILE...]\n",
                    argv[0]);
            return 2;
        }
    }
    if (iters < 1) iters = 1;
#ifndef HP_MYHTML
    if (g_depth_guard) die("-g is implemented for the myhtml backend only");
#endif
    page *pages = NULL;
    size_t np = 0, cap = 0;
    if (list) { /* one path per line; paths may hold spaces */
        FILE *f = fopen(list, "r");
        if (!f) die("cannot open list file");
        char *line = NULL;
        size_t lcap = 0;
        ssize_t got;
        while ((got = getline(&line, &lcap, f)) > 0) {
            while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = 0;
            if (got) add_page(&pages, &np, &cap, strdup(line));
        }
        free(line);
        fclose(f);
    }
    for (int i = optind; i < argc; i++) add_page(&pages, &np, &cap, argv[i]);
    if (!np) die("no input files");
    uint64_t total = 0;
    for (size_t i = 0; i < np; i++) total += pages[i].len;

    be_ctx c;
    be_init(&c);
    if (dump) {
        walk_stats w = {0};
        for (size_t i = 0; i < np; i++) {
            be_parse(&c, &pages[i]);
            w.len = 0;
            be_walk(&c, &w);
            be_release(&c);
            printf("### %s elements=%llu max_depth=%llu\n", pages[i].path, (unsigned long long)w.elements,
                   (unsigned long long)w.max_depth);
            fwrite(w.buf, 1, w.len, stdout);
            printf("\n");
            w.elements = w.max_depth = 0;
        }
        free(w.buf);
    } else {
        if (mode & 1) run(&c, pages, np, iters, 0, total);
        if (mode & 2) run(&c, pages, np, iters, 1, total);
    }
    be_fini(&c);
    for (size_t i = 0; i < np; i++) free(pages[i].data);
    free(pages);
    return 0;
}
