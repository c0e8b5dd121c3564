/* core_options.c -- unit tests for src/core/options.c: the options table,
 * tamis_options_set for every argument type, defaults, validation and the
 * typed config. */
#include "harness.h"
#include "core/alloc.h"
#include "core/config.h"

static tamis_options *fresh(void)
{
    tamis_options *o = NULL;
    if (tamis_options_create(&o) != TAMIS_OK) abort();
    return o;
}

static int has(const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle)) return 1;
    fprintf(stderr, "    '%s' does not contain '%s'\n", hay ? hay : "(null)", needle);
    return 0;
}

static int get_is(const tamis_options *o, const char *name, const char *want)
{
    const char *v = tamis_options_get(o, name);
    if (v && !strcmp(v, want)) return 1;
    fprintf(stderr, "    %s = '%s', want '%s'\n", name, v ? v : "(null)", want);
    return 0;
}

TEST(table_is_consistent)
{
    size_t n = 0;
    for (const tamis_option_info *r; (r = tamis_option_at(n)); n++) {
        CHECK(r->name && r->name[0] && r->name[0] != '-');
        CHECK(r->help && r->help[0] && r->help[strlen(r->help) - 1] != '.');
        CHECK(r->category && r->category[0]);
        CHECK(r->defval != NULL);
        CHECK((r->arg == TAMIS_ARG_CHOICE) == (r->choices != NULL));
        CHECK(tamis_option_find(r->name) == r);
        /* names are unique, short names too */
        for (size_t j = 0; j < n; j++) {
            CHECK(strcmp(tamis_option_at(j)->name, r->name) != 0);
            if (r->short_name) CHECK(tamis_option_at(j)->short_name != r->short_name);
        }
        /* a choice's default is one of its choices */
        if (r->arg == TAMIS_ARG_CHOICE) {
            size_t dl = strlen(r->defval);
            const char *c = strstr(r->choices, r->defval);
            CHECK(c && (c == r->choices || c[-1] == '|') && (c[dl] == 0 || c[dl] == '|'));
        }
    }
    CHECK(n >= 16);
    CHECK(tamis_option_at(n) == NULL);
    CHECK(tamis_option_at((size_t)-1) == NULL);
}

TEST(find)
{
    const tamis_option_info *p = tamis_option_find("progress");
    CHECK(p && p->arg == TAMIS_ARG_BOOL);
    CHECK(tamis_option_find("no-progress") == p);
    CHECK(tamis_option_find("no-threads") == NULL); /* only bools have a no- form */
    CHECK(tamis_option_find("no-quiet") == NULL);
    CHECK(tamis_option_find("thread") == NULL);
    CHECK(tamis_option_find("") == NULL);
    CHECK(tamis_option_find("no-") == NULL);
    const tamis_option_info *j = tamis_option_find("threads");
    CHECK(j && j->short_name == 'j' && j->arg == TAMIS_ARG_INT);
    const tamis_option_info *o = tamis_option_find("output");
    CHECK(o && o->short_name == 'o' && o->arg == TAMIS_ARG_STRING);
}

TEST(defaults)
{
    tamis_options *o = fresh();
    CHECK(get_is(o, "format", "auto"));
    CHECK(get_is(o, "text-field", "text"));
    CHECK(get_is(o, "id-field", "id"));
    CHECK(get_is(o, "max-doc-bytes", "64M"));
    CHECK(get_is(o, "max-json-depth", "64"));
    CHECK(get_is(o, "stages", "default"));
    CHECK(get_is(o, "explain", "false"));
    CHECK(get_is(o, "output", ""));
    CHECK(get_is(o, "compress", "zstd"));
    CHECK(get_is(o, "compress-level", "3"));
    CHECK(get_is(o, "threads", "auto"));
    CHECK(get_is(o, "progress", "auto"));
    CHECK(get_is(o, "quiet", "false"));
    CHECK(get_is(o, "strict", "false"));
    CHECK(tamis_options_get(o, "nope") == NULL);
    CHECK(tamis_options_get(o, "no-progress") == NULL);
    /* the typed config of the defaults */
    tms_config c;
    char err[256] = "";
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.max_doc_bytes == (size_t)64 << 20);
    CHECK(c.max_json_depth == 64);
    CHECK(c.compress == TMS_COMPRESS_ZSTD && c.compress_level == 3);
    CHECK(c.threads >= 1);
    CHECK(c.progress == -1);
    CHECK(!c.explain && !c.strict && !c.quiet);
    CHECK(c.output == NULL && c.rejected_path == NULL && c.summary_path == NULL);
    CHECK(c.format == 0 && !strcmp(c.text_field, "text") && !strcmp(c.id_field, "id"));
    CHECK(c.ninputs == 0 && c.command && !strcmp(c.command, ""));
    tamis_options_free(o);
}

TEST(set_switches)
{
    tamis_options *o = fresh();
    CHECK(tamis_options_set(o, "explain", NULL) == TAMIS_OK);
    CHECK(get_is(o, "explain", "true"));
    CHECK(tamis_options_set(o, "quiet", "yes") == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "--quiet"));
    CHECK(get_is(o, "quiet", "false"));
    /* a bool and its --no- form */
    CHECK(tamis_options_set(o, "no-progress", NULL) == TAMIS_OK);
    CHECK(get_is(o, "progress", "false"));
    CHECK(tamis_options_set(o, "progress", NULL) == TAMIS_OK);
    CHECK(get_is(o, "progress", "true"));
    CHECK(tamis_options_set(o, "no-progress", "1") == TAMIS_E_USAGE);
    CHECK(get_is(o, "progress", "true"));
    /* a plain switch has no --no- form */
    CHECK(tamis_options_set(o, "no-quiet", NULL) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "no-quiet"));
    tms_config c;
    char err[128];
    CHECK(tamis_options_set(o, "no-progress", NULL) == TAMIS_OK);
    CHECK(tamis_options_set(o, "strict", NULL) == TAMIS_OK);
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.progress == 0 && c.strict && c.explain && !c.quiet);
    tamis_options_free(o);
}

TEST(set_ints)
{
    tamis_options *o = fresh();
    CHECK(tamis_options_set(o, "threads", "4") == TAMIS_OK);
    CHECK(get_is(o, "threads", "4"));
    const char *bad[] = {"abc", "4x", "", "1.5", "0x10", "99999999999999999999"};
    for (size_t i = 0; i < TMS_ARRAY_LEN(bad); i++) {
        CHECK(tamis_options_set(o, "threads", bad[i]) == TAMIS_E_USAGE);
        CHECK(has(tamis_options_errmsg(o), "--threads"));
    }
    CHECK(has(tamis_options_errmsg(o), "99999999999999999999"));
    /* range: 1..1024 */
    CHECK(tamis_options_set(o, "threads", "0") == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "1024"));
    CHECK(tamis_options_set(o, "threads", "-3") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "threads", "1025") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "threads", NULL) == TAMIS_E_USAGE);
    /* the options are unchanged after every failure */
    CHECK(get_is(o, "threads", "4"));
    CHECK(tamis_options_set(o, "threads", "1024") == TAMIS_OK);
    CHECK(tamis_options_set(o, "threads", "1") == TAMIS_OK);
    /* "auto" is accepted where it is the default, and only there */
    CHECK(tamis_options_set(o, "threads", "auto") == TAMIS_OK);
    CHECK(get_is(o, "threads", "auto"));
    CHECK(tamis_options_set(o, "compress-level", "auto") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "compress-level", "19") == TAMIS_OK);
    CHECK(tamis_options_set(o, "compress-level", "20") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "compress-level", "0") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "max-json-depth", "10000") == TAMIS_OK);
    CHECK(tamis_options_set(o, "max-json-depth", "10001") == TAMIS_E_USAGE);
    tms_config c;
    char err[128];
    CHECK(tamis_options_set(o, "threads", "7") == TAMIS_OK);
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.threads == 7 && c.compress_level == 19 && c.max_json_depth == 10000);
    tamis_options_free(o);
}

TEST(set_sizes)
{
    tamis_options *o = fresh();
    tms_config c;
    char err[128];
    struct { const char *v; size_t bytes; } good[] = {
        {"1", 1}, {"512", 512}, {"512K", 512 << 10}, {"512k", 512 << 10}, {"64M", (size_t)64 << 20},
        {"64m", (size_t)64 << 20}, {"1G", (size_t)1 << 30}, {"1024M", (size_t)1 << 30},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(good); i++) {
        CHECK(tamis_options_set(o, "max-doc-bytes", good[i].v) == TAMIS_OK);
        CHECK(get_is(o, "max-doc-bytes", good[i].v));
        CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
        CHECK(c.max_doc_bytes == good[i].bytes);
    }
    CHECK(tamis_options_set(o, "max-doc-bytes", "64M") == TAMIS_OK);
    /* over the 1G cap, zero, and malformed sizes */
    const char *bad[] = {"2G", "1025M", "0", "0K", "-1", "-5M", "64X", "M", "", "1.5G", "64 M", "9223372036854775807G"};
    for (size_t i = 0; i < TMS_ARRAY_LEN(bad); i++) {
        if (tamis_options_set(o, "max-doc-bytes", bad[i]) != TAMIS_E_USAGE) {
            fprintf(stderr, "    accepted --max-doc-bytes '%s'\n", bad[i]);
            CHECK(0);
        }
        CHECK(has(tamis_options_errmsg(o), "--max-doc-bytes"));
    }
    CHECK(tamis_options_set(o, "max-doc-bytes", NULL) == TAMIS_E_USAGE);
    CHECK(get_is(o, "max-doc-bytes", "64M"));
    tamis_options_free(o);
}

TEST(set_choices_and_strings)
{
    tamis_options *o = fresh();
    const char *codecs[] = {"zstd", "gzip", "none"};
    const int want[] = {TMS_COMPRESS_ZSTD, TMS_COMPRESS_GZIP, TMS_COMPRESS_NONE};
    tms_config c;
    char err[128];
    for (int i = 0; i < 3; i++) {
        CHECK(tamis_options_set(o, "compress", codecs[i]) == TAMIS_OK);
        CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK && c.compress == want[i]);
    }
    const char *bad[] = {"zst", "zstdx", "ZSTD", "", "gzip|none", "|", "bz2"};
    for (size_t i = 0; i < TMS_ARRAY_LEN(bad); i++) CHECK(tamis_options_set(o, "compress", bad[i]) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "zstd|gzip|none"));
    CHECK(get_is(o, "compress", "none"));
    const char *fmts[] = {"auto", "jsonl", "warc", "txt"};
    for (int i = 0; i < 4; i++) {
        CHECK(tamis_options_set(o, "format", fmts[i]) == TAMIS_OK);
        CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK && c.format == i);
    }
    CHECK(tamis_options_set(o, "format", "json") == TAMIS_E_USAGE);
    /* strings: any non-empty value */
    CHECK(tamis_options_set(o, "text-field", "content") == TAMIS_OK);
    CHECK(get_is(o, "text-field", "content"));
    CHECK(tamis_options_set(o, "text-field", "") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "text-field", NULL) == TAMIS_E_USAGE);
    CHECK(get_is(o, "text-field", "content"));
    CHECK(tamis_options_set(o, "output", "out/dir") == TAMIS_OK);
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(!strcmp(c.output, "out/dir") && !strcmp(c.text_field, "content"));
    tamis_options_free(o);
}

TEST(set_unknown)
{
    tamis_options *o = fresh();
    CHECK(tamis_options_set(o, "bogus", "1") == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "--bogus"));
    CHECK(tamis_options_set(o, "no-bogus", NULL) == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "", NULL) == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "Threads", "2") == TAMIS_E_USAGE); /* names are case-sensitive */
    tamis_options_free(o);
    tamis_options_free(NULL);
}

static tamis_options *runnable(void)
{
    tamis_options *o = fresh();
    if (tamis_options_set(o, "output", "out") != TAMIS_OK || tamis_options_add_input(o, "in.jsonl") != TAMIS_OK) abort();
    return o;
}

TEST(validate)
{
    tamis_options *o = runnable();
    CHECK(tamis_options_validate(o) == TAMIS_OK);
    tamis_options_free(o);

    o = fresh();
    CHECK(tamis_options_add_input(o, "x.txt") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "no output"));
    tamis_options_free(o);

    o = fresh();
    CHECK(tamis_options_set(o, "output", "out") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "no input"));
    CHECK(tamis_options_add_input(o, "") == TAMIS_E_USAGE);
    CHECK(tamis_options_add_input(o, "-") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_OK);
    CHECK(tamis_options_add_input(o, "a.txt") == TAMIS_OK);
    CHECK(tamis_options_add_input(o, "-") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "stdin"));
    tamis_options_free(o);

    /* two writers to stdout */
    o = runnable();
    CHECK(tamis_options_set(o, "output", "-") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_OK);
    CHECK(tamis_options_set(o, "rejected", "-") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "--rejected"));
    CHECK(tamis_options_set(o, "rejected", "rej.jsonl") == TAMIS_OK);
    CHECK(tamis_options_set(o, "summary", "-") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "--summary"));
    tamis_options_free(o);

    /* a gzip level past 9 names both options */
    o = runnable();
    CHECK(tamis_options_set(o, "compress-level", "12") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_OK); /* fine for zstd */
    CHECK(tamis_options_set(o, "compress", "gzip") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "--compress-level"));
    CHECK(has(tamis_options_errmsg(o), "--compress gzip"));
    CHECK(tamis_options_set(o, "compress-level", "9") == TAMIS_OK);
    CHECK(tamis_options_validate(o) == TAMIS_OK);
    tamis_options_free(o);
}

TEST(inputs_and_command)
{
    tamis_options *o = fresh();
    char name[32];
    for (int i = 0; i < 40; i++) { /* past the first growth */
        snprintf(name, sizeof name, "f%02d.txt", i);
        CHECK(tamis_options_add_input(o, name) == TAMIS_OK);
    }
    char *argv[] = {"tamis", "run", "-o", "out", "in dir"};
    CHECK(tamis_options_set_command(o, 5, argv) == TAMIS_OK);
    CHECK(tamis_options_set_command(o, 2, argv) == TAMIS_OK); /* replaces, no leak */
    tms_config c;
    char err[64];
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.ninputs == 40 && !strcmp(c.inputs[0], "f00.txt") && !strcmp(c.inputs[39], "f39.txt"));
    CHECK(!strcmp(c.command, "tamis run"));
    CHECK(tamis_options_set_command(o, 0, argv) == TAMIS_OK);
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK && !strcmp(c.command, ""));
    tamis_options_free(o);
}

static void count_row(void *ctx, const tamis_option_info *row, const char *value)
{
    int *n = ctx;
    (*n)++;
    if (!strcmp(row->name, "threads") && strcmp(value, "3") != 0) *n = -1000;
    if (!strcmp(row->name, "explain") && strcmp(value, "false") != 0) *n = -1000;
}

TEST(each)
{
    tamis_options *o = fresh();
    CHECK(tamis_options_set(o, "threads", "3") == TAMIS_OK);
    int n = 0;
    tms_options_each(o, count_row, &n);
    size_t rows = 0;
    while (tamis_option_at(rows)) rows++;
    CHECK(n == (int)rows);
    tamis_options_free(o);
}

TEST(no_memory)
{
    /* every allocation of create/set/add_input/set_command failing in turn */
    for (uint64_t k = 1; k < 20; k++) {
        tamis_options *o = NULL;
        tms_alloc_fail_at(k);
        tamis_status st = tamis_options_create(&o);
        if (st == TAMIS_OK) st = tamis_options_set(o, "output", "out");
        if (st == TAMIS_OK) st = tamis_options_set(o, "output", "out2");
        if (st == TAMIS_OK) st = tamis_options_add_input(o, "a");
        char *argv[] = {"tamis", "x"};
        if (st == TAMIS_OK) st = tamis_options_set_command(o, 2, argv);
        tms_alloc_fail_at(0);
        CHECK(st == TAMIS_OK || st == TAMIS_E_NOMEM);
        if (st == TAMIS_E_NOMEM && o) {
            /* what did succeed is still there and consistent */
            const char *out = tamis_options_get(o, "output");
            CHECK(!strcmp(out, "") || !strcmp(out, "out") || !strcmp(out, "out2"));
        }
        if (k == 1) CHECK(st == TAMIS_E_NOMEM && o == NULL);
        if (k == 19) CHECK(st == TAMIS_OK);
        tamis_options_free(o);
    }
}

int main(void)
{
    RUN(table_is_consistent);
    RUN(find);
    RUN(defaults);
    RUN(set_switches);
    RUN(set_ints);
    RUN(set_sizes);
    RUN(set_choices_and_strings);
    RUN(set_unknown);
    RUN(validate);
    RUN(inputs_and_command);
    RUN(each);
    RUN(no_memory);
    DONE("core_options");
}
