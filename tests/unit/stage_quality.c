/* stage_quality.c -- unit tests for the four quality stages
 * (src/stage/gopher_quality.c, gopher_repetition.c, c4_quality.c,
 * fineweb_quality.c) and their options: every rule just below, exactly at
 * and just above its threshold under each rule set, empty and one-word
 * documents, CJK text under the tamis rule set, the reasons, the --explain
 * measurement, the counters and c4_quality's rewritten text.
 *
 * Expected values are worked out by hand from datatrove's definitions (the
 * header comment of each stage), never copied from a run. The texts are
 * built so that every word splitter (spaCy, NLTK, tamis's) cuts them the
 * same way: lowercase words made of consonants (so no word is a stop word,
 * a contraction or an abbreviation) separated by single spaces, and
 * punctuation standing alone ("word ." rather than "word.") wherever words
 * are counted. "Exactly at the threshold" is exact in binary too: 6.0/60 and
 * strtod("0.1") are the same double (both are 1/10 correctly rounded).
 */
#include "harness.h"
#include "core/alloc.h"
#include "core/config.h"
#include "stage/stage.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

static tms_arena A;

/* ==== building texts ==== */

typedef struct tbuf {
    char *p;
    size_t n, cap;
} tbuf;

static tbuf T;      /* the document */
static tbuf E;      /* c4_quality: the text it should leave */

static void b_addn(tbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n + 1) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) abort();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void b_add(tbuf *b, const char *s) { b_addn(b, s, strlen(s)); }
static void b_reset(tbuf *b)
{
    b->n = 0;
    if (b->p) b->p[0] = 0;
}
static void t_reset(void) { b_reset(&T); }
static void t_add(const char *s) { b_add(&T, s); }
static void t_rep(const char *s, size_t k)
{
    while (k--) t_add(s);
}
static void t_set(const char *s)
{
    t_reset();
    t_add(s);
}

/* Python's len() */
static size_t ulen(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}
static size_t t_len(void) { return ulen(T.p, T.n); }

/* consonants without 'q': every generated word starts with its only 'q', so
 * words joined without separator still show where each one starts */
static const char CONS[] = "bcdfghjklmnprstvwxz";
static unsigned long WID; /* consecutive words differ */

/* A new word: `first` (one character) then letters, `len` characters in all. */
static const char *mkword(const char *first, size_t len)
{
    static char w[256];
    size_t k = strlen(first);
    unsigned long id = WID++;
    if (len > 200) abort();
    memcpy(w, first, k);
    for (size_t i = 1; i < len; i++) {
        w[k++] = CONS[id % 19];
        id /= 19;
    }
    w[k] = 0;
    return w;
}

static void t_sp(void)
{
    if (!T.n) return;
    char c = T.p[T.n - 1];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\v' && c != '\f') t_add(" ");
}
/* a token, after a space unless at the start of a line */
static void t_tok(const char *s)
{
    t_sp();
    t_add(s);
}
/* k new words of len letters */
static void t_words(size_t k, size_t len)
{
    while (k--) t_tok(mkword("q", len));
}
/* exactly n characters of new words separated by spaces */
static void t_fill(size_t n)
{
    while (n > 9) {
        t_add(mkword("q", 4));
        t_add(" ");
        n -= 5;
    }
    if (n) t_add(mkword("q", n));
}
/* a space and new words until the text is `target` characters long */
static void t_pad_to(size_t target)
{
    t_sp();
    size_t have = t_len();
    if (have >= target) {
        fprintf(stderr, "t_pad_to: text already %zu characters, want %zu\n", have, target);
        abort();
    }
    t_fill(target - have);
}

/* Three lines of Chinese: under the tamis rule set every ideograph is a word
 * and "，" "。" are punctuation words. 99 ideographs; each line is longer
 * than 30 characters and ends in "。". */
static const char ZH[] =
    "\xe6\x88\x91\xe4\xbb\xac\xe4\xbb\x8a\xe5\xa4\xa9\xe6\x97\xa9\xe4\xb8\x8a\xe5\x85\xab\xe7\x82\xb9\xe9\x92\x9f"
    "\xe5\x8e\xbb\xe5\xad\xa6\xe6\xa0\xa1\xe4\xb8\x8a\xe8\xaf\xbe\xef\xbc\x8c\xe8\x80\x81\xe5\xb8\x88\xe5\x9c\xa8"
    "\xe6\x95\x99\xe5\xae\xa4\xe9\x87\x8c\xe7\xbb\x99\xe6\x88\x91\xe4\xbb\xac\xe8\xae\xb2\xe4\xba\x86\xe4\xb8\x80"
    "\xe4\xb8\xaa\xe5\xbe\x88\xe6\x9c\x89\xe6\x84\x8f\xe6\x80\x9d\xe7\x9a\x84\xe6\x95\x85\xe4\xba\x8b\xe3\x80\x82"
    "\n"
    "\xe4\xb8\x8b\xe5\x8d\x88\xe6\x94\xbe\xe5\xad\xa6\xe4\xbb\xa5\xe5\x90\x8e\xe6\x88\x91\xe5\x92\x8c\xe5\x87\xa0"
    "\xe4\xb8\xaa\xe5\xa5\xbd\xe6\x9c\x8b\xe5\x8f\x8b\xe4\xb8\x80\xe8\xb5\xb7\xe5\x8e\xbb\xe5\x85\xac\xe5\x9b\xad"
    "\xe6\x95\xa3\xe6\xad\xa5\xef\xbc\x8c\xe7\x9c\x8b\xe5\x88\xb0\xe5\xbe\x88\xe5\xa4\x9a\xe5\xb0\x8f\xe6\x9c\x8b"
    "\xe5\x8f\x8b\xe5\x9c\xa8\xe8\x8d\x89\xe5\x9c\xb0\xe4\xb8\x8a\xe6\x94\xbe\xe9\xa3\x8e\xe7\xad\x9d\xe3\x80\x82"
    "\n"
    "\xe6\x99\x9a\xe4\xb8\x8a\xe5\xa6\x88\xe5\xa6\x88\xe5\x81\x9a\xe4\xba\x86\xe5\xbe\x88\xe5\xa4\x9a\xe5\xa5\xbd"
    "\xe5\x90\x83\xe7\x9a\x84\xe8\x8f\x9c\xef\xbc\x8c\xe6\x88\x91\xe4\xbb\xac\xe4\xb8\x80\xe5\xae\xb6\xe4\xba\xba"
    "\xe5\x9d\x90\xe5\x9c\xa8\xe4\xb8\x80\xe8\xb5\xb7\xe5\x90\x83\xe9\xa5\xad\xef\xbc\x8c\xe5\xa4\xa7\xe5\xae\xb6"
    "\xe9\x83\xbd\xe8\xa7\x89\xe5\xbe\x97\xe9\x9d\x9e\xe5\xb8\xb8\xe5\xbc\x80\xe5\xbf\x83\xe3\x80\x82";

/* ==== configuration, through the public options API ==== */

static tamis_options *OPT;
static tms_config CFG;

/* A rule set and then option name/value pairs, NULL-terminated. */
static void setup(const char *rules, ...)
{
    tamis_options_free(OPT);
    if (tamis_options_create(&OPT) != TAMIS_OK) abort();
    if (tamis_options_set(OPT, "rules", rules) != TAMIS_OK) abort();
    va_list ap;
    va_start(ap, rules);
    for (const char *k; (k = va_arg(ap, const char *));) {
        const char *v = va_arg(ap, const char *);
        if (tamis_options_set(OPT, k, v) != TAMIS_OK) {
            fprintf(stderr, "setup: --%s %s: %s\n", k, v, tamis_options_errmsg(OPT));
            abort();
        }
    }
    va_end(ap);
    char err[256];
    if (tms_config_resolve(OPT, &CFG, err, sizeof err) != TAMIS_OK) abort();
}

static const char *const RULESETS[] = {"datatrove-current", "fineweb-2024", "tamis"};

/* ==== running a stage on one document ==== */

typedef struct res {
    tamis_status st;
    tms_verdict v;
    const char *reason;
    double value, threshold;
    bool has_value, same, text_valid;
    const char *text;
    size_t len;
    uint32_t ctr[16];
} res;

static const tms_stage_vt *S;   /* the stage under test */
static const char *LANG;        /* the document's language (NULL: --default-lang) */
static res R;                   /* the last result */

static res run_with(const tms_stage_vt *vt, void *w, const char *lang, const char *s, size_t n)
{
    res r;
    memset(&r, 0, sizeof r);
    tms_doc d;
    memset(&d, 0, sizeof d);
    d.rec.text = s;
    d.rec.text_len = n;
    d.text = s;
    d.len = n;
    d.arena = &A;
    d.reject_at = -1;
    d.process_reject_at = -1;
    d.duplicate_of = UINT64_MAX;
    d.lang = lang;
    d.lang_len = lang ? strlen(lang) : 0;
    r.v = TMS_KEEP;
    r.st = vt->process(w, &d, r.ctr, &r.v);
    r.reason = d.reason;
    r.value = d.value;
    r.threshold = d.threshold;
    r.has_value = d.has_value;
    r.text = d.text;
    r.len = d.len;
    r.same = d.text == s;
    r.text_valid = d.text_valid;
    for (size_t i = vt->ncounters; i < TMS_ARRAY_LEN(r.ctr); i++)
        if (r.ctr[i]) r.st = (tamis_status)99; /* wrote past its counters */
    return r;
}

static res run_as(const tms_stage_vt *vt, const char *lang, const char *s, size_t n)
{
    void *w = NULL;
    tamis_status st = vt->worker_create(NULL, &CFG, &w);
    if (st != TAMIS_OK) {
        res r;
        memset(&r, 0, sizeof r);
        r.st = st;
        return r;
    }
    res r = run_with(vt, w, lang, s, n);
    vt->worker_free(w);
    return r;
}

static res run_t(void) { return R = run_as(S, LANG, T.p ? T.p : "", T.n); }

static bool close_to(double a, double b) { return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1); }

static void show_text(void)
{
    fprintf(stderr, "    text (%zu bytes): \"", T.n);
    for (size_t i = 0; i < T.n && i < 160; i++) {
        unsigned char c = (unsigned char)T.p[i];
        if (c == '\n') fprintf(stderr, "\\n");
        else if (c < 0x20 || c >= 0x7F) fprintf(stderr, "\\x%02x", c);
        else fputc(c, stderr);
    }
    fprintf(stderr, "%s\"\n", T.n > 160 ? "..." : "");
}

/* The last result is `reason` (NULL: kept) with this measurement (NAN: any). */
static int verdict_is(const char *reason, double value, double threshold)
{
    res r = R;
    int ok = r.st == TAMIS_OK;
    if (!reason) {
        ok &= r.v == TMS_KEEP && !r.reason && !r.has_value;
    } else {
        /* rules that measure nothing carry no value for --explain */
        bool bare = !strcmp(reason, "empty") || !strcmp(reason, "lorem_ipsum") || !strcmp(reason, "curly_bracket");
        ok &= r.v == TMS_REJECT && r.reason && !strcmp(r.reason, reason) && r.has_value == !bare;
        if (!isnan(value)) ok &= close_to(r.value, value);
        if (!isnan(threshold)) ok &= r.threshold == threshold;
    }
    if (!ok) {
        fprintf(stderr, "    %s [%s, lang %s]: got status %d, %s", S->name, tamis_options_get(OPT, "rules"),
                LANG ? LANG : "default", r.st, r.v == TMS_KEEP ? "kept" : r.reason ? r.reason : "(no reason)");
        if (r.has_value) fprintf(stderr, " value %.17g threshold %.17g", r.value, r.threshold);
        fprintf(stderr, "; want %s", reason ? reason : "kept");
        if (reason && !isnan(value)) fprintf(stderr, " value %.17g", value);
        if (reason && !isnan(threshold)) fprintf(stderr, " threshold %.17g", threshold);
        fprintf(stderr, "\n");
        show_text();
    }
    return ok;
}

static int keeps(void)
{
    run_t();
    return verdict_is(NULL, NAN, NAN);
}
static int rejects(const char *reason, double value, double threshold)
{
    run_t();
    return verdict_is(reason, value, threshold);
}
static int keeps_s(const char *s)
{
    t_set(s);
    return keeps();
}
static int rejects_s(const char *s, const char *reason, double value, double threshold)
{
    t_set(s);
    return rejects(reason, value, threshold);
}

/* counters of each stage, as declared */
enum { GQ_FALLBACK, GQ_NO_STOPWORDS, GQ_AVG_SKIPPED };
enum { GR_FALLBACK };
enum { C4_TOTAL, C4_KEPT, C4_LONG_WORD, C4_NO_PUNC, C4_FEW_WORDS, C4_JAVASCRIPT, C4_POLICY, C4_FALLBACK };
enum { FW_FALLBACK };

TEST(stage_table)
{
    const tms_stage_vt *gq = &tms_stage_gopher_quality, *gr = &tms_stage_gopher_repetition;
    const tms_stage_vt *c4 = &tms_stage_c4_quality, *fw = &tms_stage_fineweb_quality;
    CHECK(!strcmp(gq->name, "gopher_quality") && gq->in_default);
    CHECK(!strcmp(gr->name, "gopher_repetition") && gr->in_default);
    CHECK(!strcmp(c4->name, "c4_quality") && !c4->in_default);
    CHECK(!strcmp(fw->name, "fineweb_quality") && fw->in_default);
    CHECK(gq->ncounters == 3 && !strcmp(gq->counter_names[GQ_FALLBACK], "tokenizer_fallback") &&
          !strcmp(gq->counter_names[GQ_NO_STOPWORDS], "no_stopword_list") &&
          !strcmp(gq->counter_names[GQ_AVG_SKIPPED], "avg_length_skipped_unsegmented"));
    CHECK(gr->ncounters == 1 && !strcmp(gr->counter_names[GR_FALLBACK], "tokenizer_fallback"));
    CHECK(fw->ncounters == 1 && !strcmp(fw->counter_names[FW_FALLBACK], "tokenizer_fallback"));
    static const char *const c4names[] = {"line-total", "line-kept", "line-filter-too_long_word",
                                          "line-filter-no_terminal_punc", "line-filter-too_few_words",
                                          "line-filter-javascript", "line-filter-policy", "tokenizer_fallback"};
    CHECK(c4->ncounters == TMS_ARRAY_LEN(c4names));
    for (size_t i = 0; i < c4->ncounters && i < TMS_ARRAY_LEN(c4names); i++) CHECK(!strcmp(c4->counter_names[i], c4names[i]));
    const tms_stage_vt *all[] = {gq, gr, c4, fw};
    for (size_t i = 0; i < 4; i++) {
        CHECK(all[i]->process && all[i]->worker_create && all[i]->worker_free);
        CHECK(!all[i]->commit && !all[i]->global_create);
        CHECK(tms_stage_find(all[i]->name, strlen(all[i]->name)) == all[i]);
        all[i]->worker_free(NULL);
    }
    /* canonical order: repetition, quality, c4, fineweb (datatrove's FineWeb pipeline) */
    CHECK(tms_stage_canonical_index("gopher_repetition", 17) < tms_stage_canonical_index("gopher_quality", 14));
    CHECK(tms_stage_canonical_index("gopher_quality", 14) < tms_stage_canonical_index("c4_quality", 10));
    CHECK(tms_stage_canonical_index("c4_quality", 10) < tms_stage_canonical_index("fineweb_quality", 15));
}

/* ==== options ==== */

static tamis_options *fresh(void)
{
    tamis_options *o = NULL;
    if (tamis_options_create(&o) != TAMIS_OK) abort();
    return o;
}

static int get_is(const tamis_options *o, const char *name, const char *want)
{
    const char *v = tamis_options_get(o, name);
    if (v && !strcmp(v, want)) return 1;
    fprintf(stderr, "    %s = '%s', want '%s'\n", name, v ? v : "(null)", want);
    return 0;
}

static int has(const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle)) return 1;
    fprintf(stderr, "    '%s' does not contain '%s'\n", hay ? hay : "(null)", needle);
    return 0;
}

static void check_default_thresholds(const tms_quality_config *q)
{
    CHECK(!strcmp(q->default_lang, "auto"));
    CHECK(q->g_min_words == 50 && q->g_max_words == 100000 && q->g_min_stop_words == 2);
    CHECK(q->g_min_avg_len == 3 && q->g_max_avg_len == 10);
    CHECK(q->g_symbol_ratio == 0.1 && q->g_bullet_ratio == 0.9 && q->g_ellipsis_ratio == 0.3);
    CHECK(q->g_alpha_ratio == 0.8);
    CHECK(q->r_para_frac == 0.3 && q->r_para_char_frac == 0.2 && q->r_line_frac == 0.3 && q->r_line_char_frac == 0.2);
    CHECK(q->r_ntop == 3);
    CHECK(q->r_top[0].n == 2 && q->r_top[0].frac == 0.2 && q->r_top[1].n == 3 && q->r_top[1].frac == 0.18 &&
          q->r_top[2].n == 4 && q->r_top[2].frac == 0.16);
    CHECK(q->r_ndup == 6);
    static const double dup[] = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
    for (size_t i = 0; i < 6 && i < q->r_ndup; i++) CHECK(q->r_dup[i].n == (int)i + 5 && q->r_dup[i].frac == dup[i]);
    CHECK(q->c4_terminal && q->c4_citations && q->c4_lorem && q->c4_javascript && q->c4_curly && q->c4_policy);
    CHECK(q->c4_min_sentences == 5 && q->c4_min_words_per_line == 3 && q->c4_max_word_length == 1000);
    CHECK(q->fw_line_punct == 0.12 && !q->fw_exclude_zero && q->fw_short_line_ratio == 0.67);
    CHECK(q->fw_short_line_length == 30 && q->fw_char_dup == 0.01 && q->fw_new_line == 0.3);
}

TEST(options_defaults)
{
    /* no --rules: the tamis rule set */
    tamis_options *o = fresh();
    tms_config c;
    char err[256];
    CHECK(get_is(o, "rules", "tamis"));
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.q.rules == TMS_RULES_TAMIS);
    check_default_thresholds(&c.q);
    tamis_options_free(o);
    /* the thresholds are the same under every rule set */
    static const tms_rules want[] = {TMS_RULES_DATATROVE, TMS_RULES_FINEWEB2024, TMS_RULES_TAMIS};
    for (size_t i = 0; i < 3; i++) {
        setup(RULESETS[i], NULL);
        CHECK(CFG.q.rules == want[i]);
        check_default_thresholds(&CFG.q);
    }
    o = fresh();
    CHECK(tamis_options_set(o, "rules", "datatrove") == TAMIS_E_USAGE);
    CHECK(has(tamis_options_errmsg(o), "--rules"));
    CHECK(get_is(o, "rules", "tamis"));
    CHECK(tamis_options_set(o, "default-lang", "fr") == TAMIS_OK);
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK && !strcmp(c.q.default_lang, "fr"));
    tamis_options_free(o);
}

TEST(options_floats)
{
    tamis_options *o = fresh();
    static const struct { const char *in, *canon; double x; } ok[] = {
        {"0.10", "0.1", 0.1}, {"1e-2", "0.01", 0.01}, {".5", "0.5", 0.5}, {"3", "3", 3}, {"0", "0", 0},
        {"0.670", "0.67", 0.67}, {"1e9", "1000000000", 1e9},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(ok); i++) {
        CHECK(tamis_options_set(o, "fineweb-char-dup-ratio", ok[i].in) == TAMIS_OK);
        CHECK(get_is(o, "fineweb-char-dup-ratio", ok[i].canon));
        tms_config c;
        char err[128];
        CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK && c.q.fw_char_dup == ok[i].x);
    }
    CHECK(tamis_options_set(o, "gopher-dup-para-frac", "0.10") == TAMIS_OK);
    CHECK(get_is(o, "gopher-dup-para-frac", "0.1"));
    static const char *const bad[] = {"-0.1", "abc", "", "nan", "inf", "1e10", "0.1x", "0,1", NULL};
    for (size_t i = 0; i < TMS_ARRAY_LEN(bad); i++) {
        CHECK(tamis_options_set(o, "gopher-dup-para-frac", bad[i]) == TAMIS_E_USAGE);
        CHECK(has(tamis_options_errmsg(o), "--gopher-dup-para-frac"));
        CHECK(get_is(o, "gopher-dup-para-frac", "0.1")); /* unchanged */
    }
    /* whole numbers with a range */
    CHECK(tamis_options_set(o, "gopher-min-words", "-1") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "gopher-min-words", "1.5") == TAMIS_E_USAGE);
    CHECK(tamis_options_set(o, "c4-min-sentences", "0") == TAMIS_OK);
    CHECK(tamis_options_set(o, "c4-terminal-punct-rule", "no") == TAMIS_E_USAGE);
    CHECK(get_is(o, "gopher-min-words", "50"));
    tamis_options_free(o);
}

TEST(options_ngram_lists)
{
    tamis_options *o = fresh();
    static const char *const names[] = {"gopher-top-ngrams", "gopher-dup-ngrams"};
    static const char *const bad[] = {
        "0:0.1", "21:0.1", "2", "2:", ":0.1", "2:-0.1", "x:0.1", "2:0.1;3:0.2", "2:0.1 3:0.2", "2:nan", "2:inf",
        "2:1e10", "", "2:0.1,,3:0.2", "-2:0.1", "2.5:0.1", "2:0.1:3", NULL,
        "1:0,2:0,3:0,4:0,5:0,6:0,7:0,8:0,9:0,10:0,11:0,12:0,13:0,14:0,15:0,16:0,17:0", /* 17 pairs */
    };
    for (size_t k = 0; k < 2; k++) {
        const char *before = k ? "5:0.15,6:0.14,7:0.13,8:0.12,9:0.11,10:0.1" : "2:0.2,3:0.18,4:0.16";
        for (size_t i = 0; i < TMS_ARRAY_LEN(bad); i++) {
            CHECK(tamis_options_set(o, names[k], bad[i]) == TAMIS_E_USAGE);
            CHECK(has(tamis_options_errmsg(o), names[k]));
            CHECK(get_is(o, names[k], before));
        }
    }
    tms_config c;
    char err[128];
    CHECK(tamis_options_set(o, "gopher-top-ngrams", "1:0.5,20:0.1,3:0") == TAMIS_OK);
    CHECK(tamis_options_set(o, "gopher-dup-ngrams",
                            "1:0,2:0,3:0,4:0,5:0,6:0,7:0,8:0,9:0,10:0,11:0,12:0,13:0,14:0,15:0,16:0.25") == TAMIS_OK);
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.q.r_ntop == 3 && c.q.r_top[0].n == 1 && c.q.r_top[0].frac == 0.5 && c.q.r_top[1].n == 20 &&
          c.q.r_top[1].frac == 0.1 && c.q.r_top[2].n == 3 && c.q.r_top[2].frac == 0);
    CHECK(c.q.r_ndup == 16 && c.q.r_dup[15].n == 16 && c.q.r_dup[15].frac == 0.25 && c.q.r_dup[0].n == 1);
    tamis_options_free(o);
}

/* a new empty file in /tmp: its name in path[32] */
static void temp_file(char *path)
{
    strcpy(path, "/tmp/tamis-unit-quality-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    close(fd);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}

TEST(options_config_file)
{
    char path[32];
    temp_file(path);
    write_file(path, "# quality settings\n"
                     "rules = fineweb-2024\n"
                     "  gopher-min-words=10   # a comment after the value\n"
                     "--gopher-max-words = 20\n"
                     "\n"
                     "fineweb-char-dup-ratio = 0.050\n"
                     "c4-terminal-punct-rule = off\n"
                     "gopher-top-ngrams = 2:0.25,3:0.5\n"
                     "explain = yes\n");
    /* flags win over the file, before or after --config; the file wins over defaults */
    tamis_options *o = fresh();
    CHECK(tamis_options_set(o, "gopher-min-words", "7") == TAMIS_OK);
    CHECK(tamis_options_set(o, "config", path) == TAMIS_OK);
    CHECK(tamis_options_set(o, "gopher-max-words", "30") == TAMIS_OK);
    CHECK(get_is(o, "rules", "fineweb-2024"));
    CHECK(get_is(o, "gopher-min-words", "7"));
    CHECK(get_is(o, "gopher-max-words", "30"));
    CHECK(get_is(o, "fineweb-char-dup-ratio", "0.05"));
    CHECK(get_is(o, "c4-terminal-punct-rule", "off"));
    CHECK(get_is(o, "explain", "true"));
    CHECK(get_is(o, "gopher-min-stop-words", "2"));
    tms_config c;
    char err[128];
    CHECK(tms_config_resolve(o, &c, err, sizeof err) == TAMIS_OK);
    CHECK(c.q.rules == TMS_RULES_FINEWEB2024 && c.q.g_min_words == 7 && c.q.g_max_words == 30);
    CHECK(c.q.fw_char_dup == 0.05 && !c.q.c4_terminal && c.q.c4_citations && c.q.g_min_stop_words == 2);
    CHECK(c.q.r_ntop == 2 && c.q.r_top[0].frac == 0.25 && c.q.r_top[1].n == 3 && c.q.r_top[1].frac == 0.5);
    CHECK(c.explain);
    tamis_options_free(o);

    /* errors name FILE:LINE */
    static const struct { const char *text; int line; const char *word; } bad[] = {
        {"rules = tamis\n# fine\nno-such-option = 1\n", 3, "no-such-option"},
        {"gopher-top-ngrams = 2:0.1;3:0.2\n", 1, "gopher-top-ngrams"},
        {"\n\ngopher-min-avg-word-length = -3\n", 3, "gopher-min-avg-word-length"},
        {"rules = datatrove\n", 1, "rules"},
        {"rules tamis\n", 1, "name = value"},
        {"config = other.conf\n", 1, "another"},
        {"c4-policy-rule = maybe\n", 1, "c4-policy-rule"},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(bad); i++) {
        write_file(path, bad[i].text);
        o = fresh();
        char where[128];
        snprintf(where, sizeof where, "%s:%d", path, bad[i].line);
        CHECK(tamis_options_set(o, "config", path) == TAMIS_E_USAGE);
        CHECK(has(tamis_options_errmsg(o), where));
        CHECK(has(tamis_options_errmsg(o), bad[i].word));
        tamis_options_free(o);
    }
    unlink(path);
    o = fresh();
    CHECK(tamis_options_set(o, "config", path) == TAMIS_E_USAGE); /* missing file */
    CHECK(has(tamis_options_errmsg(o), path));
    tamis_options_free(o);
}

/* include/tamis.h: "the options are unchanged after a failure" */
TEST(options_config_error_changes_nothing)
{
    char path[32];
    temp_file(path);
    write_file(path, "gopher-min-words = 10\nrules = fineweb-2024\nbogus = 1\n");
    tamis_options *o = fresh();
    CHECK(tamis_options_set(o, "config", path) == TAMIS_E_USAGE);
    CHECK(get_is(o, "gopher-min-words", "50"));
    CHECK(get_is(o, "rules", "tamis"));
    CHECK(get_is(o, "config", ""));
    tamis_options_free(o);
    unlink(path);
}

/* ==== gopher_quality ==== */

/* "the and" and k more words of len letters: k + 2 non-symbol words */
static void g_base(size_t k, size_t len)
{
    t_set("the and");
    t_words(k, len);
}

/* "the and" and na - 2 more words, with a `sym` after each of the first k
 * (the text ends with a word when k < na - 2) */
static void g_sym(size_t na, size_t k, const char *sym)
{
    t_set("the and");
    for (size_t i = 0; i + 2 < na; i++) {
        t_words(1, 4);
        if (i < k) t_tok(sym);
    }
}

TEST(gq_word_count)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        g_base(47, 4);
        CHECK(rejects("gopher_short_doc", 49, 50));
        g_base(48, 4);
        CHECK(keeps());
        g_base(49, 4);
        CHECK(keeps());
        /* punctuation marks are words, but not non-symbol words */
        g_base(47, 4);
        t_rep(" .", 10);
        CHECK(rejects("gopher_short_doc", 49, 50));
        CHECK(rejects_s("", "gopher_short_doc", 0, 50));
        CHECK(rejects_s("hello", "gopher_short_doc", 1, 50));
        CHECK(rejects_s(" \n\t ", "gopher_short_doc", 0, 50));
        /* the default maximum */
        g_base(99998, 4);
        CHECK(keeps());
        g_base(99999, 4);
        CHECK(rejects("gopher_long_doc", 100001, 100000));
        /* a set maximum; 0 disables the minimum */
        setup(RULESETS[r], "gopher-max-words", "60", NULL);
        g_base(58, 4);
        CHECK(keeps());
        g_base(59, 4);
        CHECK(rejects("gopher_long_doc", 61, 60));
        setup(RULESETS[r], "gopher-min-words", "0", NULL);
        CHECK(rejects_s("", "gopher_enough_stop_words", 0, 2)); /* no ratio has a denominator */
        CHECK(keeps_s("the and"));
        CHECK(rejects_s("hello", "gopher_enough_stop_words", 0, 2));
    }
}

/* "the and", then n2, n3, n4 words of 2, 3, 4 letters */
static void g_avg(size_t n2, size_t n3, size_t n4)
{
    t_set("the and");
    t_words(n2, 2);
    t_words(n3, 3);
    t_words(n4, 4);
}

/* "the and", n11 words of 11 characters, n10 of 10 starting with `first10` */
static void g_long(size_t n11, size_t n10, const char *first10)
{
    t_set("the and");
    t_words(n11, 11);
    while (n10--) t_tok(mkword(first10, 10));
}

TEST(gq_avg_word_length)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        /* mean of 50 words: (3 + 3 + 24*2 + 24*4) / 50 = 3 exactly */
        g_avg(24, 0, 24);
        CHECK(keeps());
        g_avg(24, 1, 23);
        CHECK(rejects("gopher_below_avg_threshold", 149.0 / 50, 3));
        g_avg(23, 1, 24);
        CHECK(keeps());
        /* (6 + 14*11 + 34*10) / 50 = 10 exactly */
        g_long(14, 34, "q");
        CHECK(keeps());
        g_long(15, 33, "q");
        CHECK(rejects("gopher_above_avg_threshold", 501.0 / 50, 10));
        g_long(13, 35, "q");
        CHECK(keeps());
        /* lengths are characters, not bytes: "é" and 9 letters is 10 long */
        g_long(14, 34, "\xc3\xa9");
        CHECK(keeps());
        g_long(15, 33, "\xc3\xa9");
        CHECK(rejects("gopher_above_avg_threshold", 501.0 / 50, 10));
    }
    /* punctuation words are left out of the mean (1-letter "." would bring it to 155/55) */
    setup("datatrove-current", NULL);
    g_avg(24, 0, 24);
    t_rep(" .", 5);
    CHECK(keeps());
    g_avg(24, 1, 23);
    t_rep(" ,", 5);
    CHECK(rejects("gopher_below_avg_threshold", 149.0 / 50, 3));
    /* set thresholds; 0 disables */
    setup("datatrove-current", "gopher-min-avg-word-length", "3.5", "gopher-max-avg-word-length", "0", NULL);
    g_avg(0, 25, 23); /* (6 + 75 + 92) / 50 = 3.46 */
    CHECK(rejects("gopher_below_avg_threshold", 173.0 / 50, 3.5));
    g_long(40, 8, "q");
    CHECK(keeps());
}

TEST(gq_hashes)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        g_sym(54, 5, "#");
        CHECK(keeps());
        g_sym(54, 6, "#"); /* 6 / 60 */
        CHECK(keeps());
        g_sym(54, 7, "#");
        CHECK(rejects("gopher_too_many_hashes", 7.0 / 61, 0.1));
    }
    /* the threshold is --gopher-max-symbol-word-ratio */
    setup("datatrove-current", "gopher-max-symbol-word-ratio", "0.05", NULL);
    g_sym(57, 3, "#"); /* 3 / 60 */
    CHECK(keeps());
    g_sym(56, 3, "#");
    CHECK(rejects("gopher_too_many_hashes", 3.0 / 59, 0.05));
    setup("datatrove-current", "gopher-max-symbol-word-ratio", "0", NULL);
    g_sym(54, 12, "#"); /* 12 / 66 */
    CHECK(keeps());
}

TEST(gq_ellipsis)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        g_sym(54, 6, "\xe2\x80\xa6");
        CHECK(keeps());
        g_sym(54, 7, "\xe2\x80\xa6");
        CHECK(rejects("gopher_too_many_ellipsis", 7.0 / 61, 0.1));
        g_sym(54, 5, "\xe2\x80\xa6");
        CHECK(keeps());
    }
    /* "..." is one word for spaCy and NLTK (tamis's splitter may make three) */
    for (size_t r = 0; r < 2; r++) {
        setup(RULESETS[r], NULL);
        g_sym(54, 6, "...");
        CHECK(keeps());
        g_sym(54, 7, "...");
        CHECK(rejects("gopher_too_many_ellipsis", 7.0 / 61, 0.1));
        /* "......" holds two "..." (one word for spaCy, two for NLTK): 6 in 53 or 56 words; one each would be 3 / 53 */
        g_sym(50, 3, "......");
        run_t();
        CHECK(verdict_is("gopher_too_many_ellipsis", NAN, 0.1));
        CHECK(close_to(R.value, 6.0 / 53) || close_to(R.value, 6.0 / 56));
        /* both kinds count together */
        t_set("the and");
        for (size_t i = 0; i < 52; i++) {
            t_words(1, 4);
            if (i < 7) t_tok(i < 3 ? "\xe2\x80\xa6" : "...");
        }
        CHECK(rejects("gopher_too_many_ellipsis", 7.0 / 61, 0.1));
    }
}

/* nlines lines of 5 words (the first starts with "the and"); lines 1..b start
 * with pre[(i-1) % npre]; lines are joined with sep */
static void g_bullets(size_t nlines, size_t b, const char *const *pre, size_t npre, const char *sep)
{
    t_set("the and");
    t_words(5, 4);
    for (size_t i = 1; i < nlines; i++) {
        t_add(sep);
        if (i <= b) t_add(pre[(i - 1) % npre]);
        t_words(5, 4);
    }
}

TEST(gq_bullets)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    static const char *const plain[] = {"- ", "\xe2\x80\xa2 "};
    static const char *const indented[] = {"  - ", "\t\xe2\x80\xa2 ", " \t-", "\xe3\x80\x80\xe2\x80\xa2 "};
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        g_bullets(20, 17, plain, 2, "\n");
        CHECK(keeps());
        g_bullets(20, 18, plain, 2, "\n"); /* 18 / 20 */
        CHECK(keeps());
        g_bullets(20, 19, plain, 2, "\n");
        CHECK(rejects("gopher_too_many_bullets", 19.0 / 20, 0.9));
        /* leading blanks are skipped (lstrip; U+3000 is a blank too) */
        g_bullets(20, 19, indented, 4, "\n");
        CHECK(rejects("gopher_too_many_bullets", 19.0 / 20, 0.9));
        /* a dash inside a line is no bullet */
        g_bullets(19, 18, plain, 2, "\n"); /* 18 bullets in 19 lines... */
        t_add("\n");
        t_words(2, 4);
        t_add(" - ");
        t_words(2, 4); /* ...and a 20th line with a dash inside: 18 / 20 */
        CHECK(keeps());
        /* empty lines count in the denominator: 18 / 20 (18 / 19 without the empty line) */
        g_bullets(19, 18, plain, 2, "\n");
        t_add("\n\n");
        CHECK(keeps());
        g_bullets(20, 19, plain, 2, "\n");
        t_add("\n\n"); /* 19 / 21 */
        CHECK(rejects("gopher_too_many_bullets", 19.0 / 21, 0.9));
        /* lines are str.splitlines(): every one of these is one line break */
        static const char *const seps[] = {"\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\xc2\x85",
                                           "\xe2\x80\xa8", "\xe2\x80\xa9"};
        for (size_t i = 0; i < TMS_ARRAY_LEN(seps); i++) {
            g_bullets(20, 19, plain, 2, seps[i]);
            CHECK(rejects("gopher_too_many_bullets", 19.0 / 20, 0.9));
        }
        g_bullets(20, 19, plain, 2, "\t"); /* one line, no bullet */
        CHECK(keeps());
    }
    /* tamis's rule set knows more bullets */
    static const char *const more[] = {"* ", "\xc2\xb7 ", "\xe2\x97\xa6 ", "\xe2\x80\xa3 ", "\xe2\x96\xaa ",
                                       "\xe2\x97\x8f ", "\xe2\x97\x8b ", "\xe2\x96\xa0 ", "\xe2\x96\xa1 ",
                                       "\xe2\x80\x93 ", "\xe2\x80\x94 ", "\xe2\x96\xba ", "\xe2\x9e\xa2 ",
                                       "\xe2\x9c\x93 "};
    for (size_t i = 0; i < TMS_ARRAY_LEN(more); i++) {
        setup("tamis", NULL);
        g_bullets(20, 19, &more[i], 1, "\n");
        CHECK(rejects("gopher_too_many_bullets", 19.0 / 20, 0.9));
        setup("datatrove-current", NULL);
        CHECK(keeps());
        setup("fineweb-2024", NULL);
        CHECK(keeps());
    }
    setup("datatrove-current", "gopher-max-bullet-lines-ratio", "0", NULL);
    g_bullets(20, 19, plain, 2, "\n");
    CHECK(keeps());
}

/* nlines lines of 6 words (the first starts with "the and"); lines 1..e end with `end` */
static void g_endell(size_t nlines, size_t e, const char *end)
{
    t_set("the and");
    t_words(6, 4);
    for (size_t i = 1; i < nlines; i++) {
        t_add("\n");
        t_words(6, 4);
        if (i <= e) t_add(end);
    }
}

TEST(gq_end_ellipsis)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    static const char *const ends[] = {" \xe2\x80\xa6", "\xe2\x80\xa6", " ...", "...", " \xe2\x80\xa6  ", " ...\t",
                                       "....", " \xe2\x80\xa6\xc2\xa0"};
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        for (size_t i = 0; i < TMS_ARRAY_LEN(ends); i++) {
            g_endell(10, 2, ends[i]);
            CHECK(keeps());
            g_endell(10, 3, ends[i]); /* 3 / 10 */
            CHECK(keeps());
            g_endell(10, 4, ends[i]);
            CHECK(rejects("gopher_too_many_end_ellipsis", 0.4, 0.3));
        }
        /* not at the end */
        g_endell(10, 6, " \xe2\x80\xa6 qbcd");
        CHECK(keeps());
        /* empty lines count: 3 / 10 (3 / 9 without the empty line) */
        g_endell(9, 3, " \xe2\x80\xa6");
        t_add("\n\n");
        CHECK(keeps());
        g_endell(10, 4, " \xe2\x80\xa6");
        t_add("\n"); /* no line after a final break */
        CHECK(rejects("gopher_too_many_end_ellipsis", 0.4, 0.3));
    }
    setup("datatrove-current", "gopher-max-ellipsis-lines-ratio", "0.5", NULL);
    g_endell(10, 5, " \xe2\x80\xa6");
    CHECK(keeps());
    g_endell(10, 6, " \xe2\x80\xa6");
    CHECK(rejects("gopher_too_many_end_ellipsis", 0.6, 0.5));
}

/* "the and", na - 2 more words with a "," after each of the first np, then nd numbers */
static void g_alpha(size_t na, size_t nd, size_t np)
{
    t_set("the and");
    for (size_t i = 0; i + 2 < na; i++) {
        t_words(1, 4);
        if (i < np) t_tok(",");
    }
    for (size_t i = 0; i < nd; i++) {
        char num[16];
        snprintf(num, sizeof num, "%zu", 1000 + i * 7);
        t_tok(num);
    }
}

TEST(gq_alpha_ratio)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        /* numbers are non-symbol words without a letter; "," counts in the denominator */
        g_alpha(48, 2, 10); /* 48 / 60 */
        CHECK(keeps());
        g_alpha(47, 3, 10);
        CHECK(rejects("gopher_below_alpha_threshold", 47.0 / 60, 0.8));
        g_alpha(49, 1, 10);
        CHECK(keeps());
        g_alpha(50, 0, 13);
        CHECK(rejects("gopher_below_alpha_threshold", 50.0 / 63, 0.8));
        g_alpha(50, 0, 12);
        CHECK(keeps());
        /* letters of any script */
        g_alpha(47, 0, 10);
        t_tok("\xce\xb1\xce\xb2\xce\xb3\xce\xb4 \xd0\xb0\xd0\xb1\xd0\xb2\xd0\xb3 \xc3\xa9t\xc3\xa9");
        CHECK(keeps());
    }
    setup("datatrove-current", "gopher-max-non-alpha-words-ratio", "0", NULL);
    g_alpha(47, 3, 20);
    CHECK(keeps());
}

/* `lead`, then k more words */
static void g_stop(const char *lead, size_t k)
{
    t_set(lead);
    t_words(k, 4);
}

TEST(gq_stop_words)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    /* datatrove-current: distinct, case-sensitive */
    setup("datatrove-current", NULL);
    g_stop("the and", 48);
    CHECK(keeps());
    g_stop("the with", 48);
    CHECK(keeps());
    g_stop("that have", 48);
    CHECK(keeps());
    g_stop("the the the", 48);
    CHECK(rejects("gopher_enough_stop_words", 1, 2));
    g_stop("The And", 48);
    CHECK(rejects("gopher_enough_stop_words", 0, 2));
    g_stop("THE and", 48);
    CHECK(rejects("gopher_enough_stop_words", 1, 2));
    g_stop("qbcd", 49);
    CHECK(rejects("gopher_enough_stop_words", 0, 2));
    /* fineweb-2024: counted with multiplicity */
    setup("fineweb-2024", NULL);
    g_stop("the the the", 48);
    CHECK(keeps());
    g_stop("the the", 48);
    CHECK(keeps());
    g_stop("the", 49);
    CHECK(rejects("gopher_enough_stop_words", 1, 2));
    g_stop("The And", 48);
    CHECK(rejects("gopher_enough_stop_words", 0, 2));
    g_stop("the and", 48);
    CHECK(keeps());
    /* tamis: the language's list, lowercased, distinct */
    setup("tamis", NULL);
    g_stop("The And", 48);
    CHECK(keeps());
    g_stop("THE and", 48);
    CHECK(keeps());
    g_stop("the the the", 48);
    CHECK(rejects("gopher_enough_stop_words", 1, 2));
    g_stop("qbcd", 49);
    CHECK(rejects("gopher_enough_stop_words", 0, 2));
    /* a language without a list: the rule is skipped and counted */
    LANG = "zxx";
    g_stop("qbcd", 49);
    CHECK(keeps());
    CHECK(R.ctr[GQ_NO_STOPWORDS] == 1);
    LANG = NULL;
    g_stop("qbcd", 49);
    run_t();
    CHECK(R.ctr[GQ_NO_STOPWORDS] == 0);
    /* a set minimum; 0 disables */
    setup("datatrove-current", "gopher-min-stop-words", "3", NULL);
    g_stop("the and", 48);
    CHECK(rejects("gopher_enough_stop_words", 2, 3));
    g_stop("the and of", 47);
    CHECK(keeps());
    setup("datatrove-current", "gopher-min-stop-words", "0", NULL);
    g_stop("qbcd", 49);
    CHECK(keeps());
}

TEST(gq_rule_order)
{
    S = &tms_stage_gopher_quality;
    LANG = NULL;
    setup("datatrove-current", NULL);
    /* hashes (3) before letters (7): 20 / 70 and 50 / 70 */
    g_sym(50, 20, "#");
    CHECK(rejects("gopher_too_many_hashes", 20.0 / 70, 0.1));
    /* short (1) before everything */
    g_sym(20, 15, "#");
    CHECK(rejects("gopher_short_doc", 20, 50));
    /* ellipsis count (4) before bullets (5) */
    static const char *const dash[] = {"- "};
    g_bullets(20, 19, dash, 1, "\n");
    t_rep(" \xe2\x80\xa6", 20);
    CHECK(rejects("gopher_too_many_ellipsis", 20.0 / 141, 0.1));
    /* bullets (5) before end ellipsis (6): 19 / 20 and 4 / 20 */
    t_set("the and");
    t_words(5, 4);
    for (size_t i = 1; i < 20; i++) {
        t_add("\n- ");
        t_words(5, 4);
        if (i <= 4) t_add(" \xe2\x80\xa6");
    }
    CHECK(rejects("gopher_too_many_bullets", 19.0 / 20, 0.9));
    /* end ellipsis (6) before letters (7) */
    g_endell(10, 4, " \xe2\x80\xa6");
    t_rep(" ,", 20);
    CHECK(rejects("gopher_too_many_end_ellipsis", 0.4, 0.3));
}

TEST(gq_language_and_counters)
{
    S = &tms_stage_gopher_quality;
    static const struct { const char *lang; unsigned fallback; } cases[] = {
        {NULL, 0}, {"", 0}, {"en", 0}, {"EN", 0}, {"en-GB", 0}, {"en_US", 0}, {"eng", 0}, {"fr", 0}, {"fra", 0},
        {"fre", 0}, {"fr-CA", 0}, {"de", 1}, {"zh", 1}, {"deu", 1}, {"x", 1},
    };
    setup("datatrove-current", NULL);
    for (size_t i = 0; i < TMS_ARRAY_LEN(cases); i++) {
        LANG = cases[i].lang;
        g_base(48, 4);
        CHECK(keeps());
        if (R.ctr[GQ_FALLBACK] != cases[i].fallback)
            fprintf(stderr, "    lang '%s': tokenizer_fallback %u\n", LANG ? LANG : "(null)", R.ctr[GQ_FALLBACK]);
        CHECK(R.ctr[GQ_FALLBACK] == cases[i].fallback);
        CHECK(R.ctr[GQ_NO_STOPWORDS] == 0 && R.ctr[GQ_AVG_SKIPPED] == 0);
    }
    /* --default-lang stands in for a missing language */
    setup("datatrove-current", "default-lang", "de", NULL);
    LANG = NULL;
    g_base(48, 4);
    CHECK(keeps() && R.ctr[GQ_FALLBACK] == 1);
    LANG = "en";
    CHECK(keeps() && R.ctr[GQ_FALLBACK] == 0);
    /* the other rule sets have no fallback */
    for (size_t r = 1; r < 3; r++) {
        setup(RULESETS[r], NULL);
        LANG = "de";
        g_base(48, 4);
        run_t();
        CHECK(R.ctr[GQ_FALLBACK] == 0);
    }
    LANG = NULL;
}

/* Needs the real tamis splitter (src/text/tamis_tok.c): one word per ideograph. */
TEST(gq_cjk)
{
    S = &tms_stage_gopher_quality;
    setup("tamis", NULL);
    LANG = "zh";
    t_set(ZH);
    /* 99 one-character words: the mean length is not evaluated */
    CHECK(keeps());
    CHECK(R.ctr[GQ_AVG_SKIPPED] == 1 && R.ctr[GQ_FALLBACK] == 0);
    /* datatrove-current has no Chinese splitter: tamis's, and the mean is 1 */
    setup("datatrove-current", NULL);
    CHECK(rejects("gopher_below_avg_threshold", 1, 3));
    CHECK(R.ctr[GQ_FALLBACK] == 1 && R.ctr[GQ_AVG_SKIPPED] == 0);
    /* a word count from characters: 49 ideographs are too few */
    setup("tamis", NULL);
    t_reset();
    for (size_t i = 0; i < 49; i++) {
        char c[4] = {(char)0xe4, (char)(0xb8 + i / 64), (char)(0x80 + i % 64), 0};
        t_add(c);
    }
    CHECK(rejects("gopher_short_doc", 49, 50));
    LANG = NULL;
}

/* ==== gopher_repetition ==== */

/* 'u': a new paragraph of 8 words (39 characters), 'x': the paragraph "x";
 * joined with sep */
static void r_pattern(const char *pat, const char *sep)
{
    t_reset();
    for (const char *p = pat; *p; p++) {
        if (p != pat) t_add(sep);
        if (*p == 'x') {
            t_add("x");
        } else {
            t_add(mkword("q", 4));
            t_words(7, 4);
        }
    }
}

/* u1 sep A sep u2 sep A with A = d times "é", L characters in all */
static void r_dupchars(size_t d, const char *sep, size_t L)
{
    size_t rest = L - 2 * d - 3 * strlen(sep);
    t_reset();
    t_fill(rest / 2);
    t_add(sep);
    t_rep("\xc3\xa9", d);
    t_add(sep);
    t_fill(rest - rest / 2);
    t_add(sep);
    t_rep("\xc3\xa9", d);
    CHECK(t_len() == L);
}

TEST(gr_empty_and_tiny)
{
    S = &tms_stage_gopher_repetition;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        CHECK(rejects_s("", "empty", NAN, NAN));
        CHECK(keeps_s("hello"));
        /* the reference scores the first n-gram even when nothing repeats:
         * "hello world" is its only 2-gram, 11 * 1 / 11; the tamis rule set
         * scores only n-grams that occur twice */
        if (r < 2) {
            CHECK(rejects_s("hello world", "top_2_gram", 1, 0.2));
            CHECK(rejects_s("Too short to be a document .", "top_2_gram", 9.0 / 28, 0.2));
        } else {
            CHECK(keeps_s("hello world"));
            CHECK(keeps_s("Too short to be a document ."));
        }
        CHECK(keeps_s("   "));
        /* "\n\n": one empty paragraph, but lines ["", ""]: one duplicate in two */
        CHECK(rejects_s("\n\n", "dup_line_frac", 0.5, 0.3));
    }
}

TEST(gr_paragraphs_and_lines)
{
    S = &tms_stage_gopher_repetition;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        /* paragraphs: x repeated; only the repeats count */
        r_pattern("uxuxuxuxuuu", "\n\n"); /* 3 / 11 */
        CHECK(keeps());
        r_pattern("uxuxuxuxuu", "\n\n"); /* 3 / 10 */
        CHECK(keeps());
        r_pattern("uxuxuxuxuxuuu", "\n\n");
        CHECK(rejects("dup_para_frac", 4.0 / 13, 0.3));
        r_pattern("uxuxuxuxuxu", "\n\n");
        CHECK(rejects("dup_para_frac", 4.0 / 11, 0.3));
        /* runs of 3+ newlines split paragraphs too; surrounding blanks are stripped */
        r_pattern("uxuxuxuxuxu", "\n\n\n");
        CHECK(rejects("dup_para_frac", 4.0 / 11, 0.3));
        /* paragraphs come from the stripped text: x u x, not " " x u x "\t" */
        t_set(" \n\nx\n\n");
        t_words(8, 4);
        t_add("\n\nx\n\n\t");
        CHECK(rejects("dup_para_frac", 1.0 / 3, 0.3));
        /* lines: the same patterns on single newlines */
        r_pattern("uxuxuxuxuuu", "\n");
        CHECK(keeps());
        r_pattern("uxuxuxuxuu", "\n");
        CHECK(keeps());
        r_pattern("uxuxuxuxuxuuu", "\n");
        CHECK(rejects("dup_line_frac", 4.0 / 13, 0.3));
        r_pattern("uxuxuxuxuxu", "\n");
        CHECK(rejects("dup_line_frac", 4.0 / 11, 0.3));
        /* lines are not stripped: a leading or final "\n" makes an empty line */
        t_set("x\n");
        t_fill(200);
        t_add("\nx");
        CHECK(rejects("dup_line_frac", 1.0 / 3, 0.3));
        t_set("\nx\n");
        t_fill(200);
        t_add("\nx");
        CHECK(keeps());
        t_set("x\n");
        t_fill(200);
        t_add("\nx\n");
        CHECK(keeps());
    }
    /* 0 disables: the next rule decides */
    setup("datatrove-current", "gopher-dup-para-frac", "0", NULL);
    r_pattern("uxuxuxuxuxu", "\n\n");
    CHECK(rejects("dup_line_frac", 4.0 / 11, 0.3));
    setup("datatrove-current", "gopher-dup-para-frac", "0", "gopher-dup-line-frac", "0", NULL);
    CHECK(keeps());
    setup("datatrove-current", "gopher-dup-para-frac", "0.4", NULL);
    CHECK(rejects("dup_line_frac", 4.0 / 11, 0.3));
    setup("datatrove-current", "gopher-dup-line-frac", "0.5", NULL);
    r_pattern("uxuxuxuxuxu", "\n");
    CHECK(keeps());
}

TEST(gr_duplicate_characters)
{
    S = &tms_stage_gopher_repetition;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        /* paragraphs u1 A u2 A: 1 duplicate in 4; A's characters over all 200 (bytes would be 80 / 280) */
        r_dupchars(39, "\n\n", 200);
        CHECK(keeps());
        r_dupchars(40, "\n\n", 200);
        CHECK(keeps());
        r_dupchars(41, "\n\n", 200);
        CHECK(rejects("dup_para_char_frac", 41.0 / 200, 0.2));
        /* the same as lines */
        r_dupchars(39, "\n", 200);
        CHECK(keeps());
        r_dupchars(40, "\n", 200);
        CHECK(keeps());
        r_dupchars(41, "\n", 200);
        CHECK(rejects("dup_line_char_frac", 41.0 / 200, 0.2));
    }
    setup("datatrove-current", "gopher-dup-para-char-frac", "0", NULL);
    r_dupchars(41, "\n\n", 200);
    CHECK(rejects("dup_line_char_frac", 41.0 / 200, 0.2));
    setup("datatrove-current", "gopher-dup-para-char-frac", "0", "gopher-dup-line-char-frac", "0.25", NULL);
    CHECK(keeps());
}

/* "xx yy" 4 times with 2 new words between, then new words to L characters */
static void r_top2(size_t L)
{
    t_reset();
    for (size_t i = 0; i < 4; i++) {
        t_tok("xx yy");
        if (i < 3) t_words(2, 4);
    }
    t_pad_to(L);
}

TEST(gr_top_ngrams)
{
    S = &tms_stage_gopher_repetition;
    LANG = NULL;
    /* "aa bb" and "cccccc dddddd" both twice; "aa bb" was seen first */
    static const char tie[] = "aa bb cccccc dddddd cccccc dddddd qfff qggg aa bb qhhh";
    const double tl = (double)strlen(tie);
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        r_top2(100); /* 5 * 4 / 100 */
        CHECK(keeps());
        r_top2(101);
        CHECK(keeps());
        r_top2(99);
        CHECK(rejects("top_2_gram", 20.0 / 99, 0.2));
        setup(RULESETS[r], "gopher-top-ngrams", "2:0.01", NULL);
        CHECK(rejects_s(tie, "top_2_gram", 10 / tl, 0.01));
        /* punctuation marks are words: "qbcd ." twice */
        CHECK(rejects_s("qbcd . qbcf . qbcd . qbcg .", "top_2_gram", 12.0 / 27, 0.01));
        /* every 3-gram occurs once: the reference scores the first one */
        setup(RULESETS[r], "gopher-top-ngrams", "3:0.01", NULL);
        CHECK(r < 2 ? rejects_s(tie, "top_3_gram", 12 / tl, 0.01) : keeps_s(tie));
        CHECK(keeps_s("aa bb")); /* fewer words than n */
        /* checked in the order given */
        setup(RULESETS[r], "gopher-top-ngrams", "4:0.01,2:0.01", NULL);
        CHECK(r < 2 ? rejects_s(tie, "top_4_gram", 19 / tl, 0.01) : rejects_s(tie, "top_2_gram", 10 / tl, 0.01));
        setup(RULESETS[r], "gopher-top-ngrams", "2:0.01,4:0.01", NULL);
        CHECK(rejects_s(tie, "top_2_gram", 10 / tl, 0.01));
        setup(RULESETS[r], "gopher-top-ngrams", "2:0", NULL);
        CHECK(keeps_s("hello world"));
        setup(RULESETS[r], "gopher-top-ngrams", "1:0.5", NULL);
        CHECK(keeps_s("ab ab cd")); /* 2 * 2 / 8 */
        CHECK(rejects_s("ab ab c", "top_1_gram", 4.0 / 7, 0.5));
    }
}

/* three 5-grams of 3-letter words (15 characters joined), each twice, with 2
 * new words after each; then new words to L characters */
static void r_dup5(size_t L)
{
    char g[3][5][8];
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 5; j++) snprintf(g[i][j], sizeof g[i][j], "%s", mkword("q", 3));
    t_reset();
    for (size_t rep = 0; rep < 2; rep++)
        for (size_t i = 0; i < 3; i++) {
            for (size_t j = 0; j < 5; j++) t_tok(g[i][j]);
            t_words(2, 4);
        }
    t_pad_to(L);
}

TEST(gr_duplicated_ngrams)
{
    S = &tms_stage_gopher_repetition;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        r_dup5(300); /* 45 / 300 */
        CHECK(keeps());
        r_dup5(301);
        CHECK(keeps());
        r_dup5(299);
        CHECK(rejects("duplicated_5_n_grams", 45.0 / 299, 0.15));
        setup(RULESETS[r], "gopher-dup-ngrams", "5:0,6:0.14", NULL);
        r_dup5(299);
        CHECK(keeps());
        /* a repeat skips n words: p q p q p q repeats "pq" twice, not three times */
        setup(RULESETS[r], "gopher-top-ngrams", "2:0", "gopher-dup-ngrams", "2:0.01", NULL);
        CHECK(rejects_s("pqrs tvwx pqrs tvwx pqrs tvwx", "duplicated_2_n_grams", 16.0 / 29, 0.01));
        /* The reference compares n-grams joined without separator, so "ab c"
         * repeats as "a bc" ("ab c xy a bc": 3 / 12). The stage documents that
         * it only looks at n-grams that repeat as word tuples, so that case
         * is not asserted here. */
        CHECK(keeps_s("ab c xy a bd"));
        CHECK(rejects_s("ab c xy ab c", "duplicated_2_n_grams", 3.0 / 12, 0.01));
        setup(RULESETS[r], "gopher-top-ngrams", "2:0", "gopher-dup-ngrams", "3:0.01,2:0.01", NULL);
        CHECK(rejects_s("ab c xy ab c", "duplicated_2_n_grams", 3.0 / 12, 0.01));
        CHECK(rejects_s("ab c xy ab c xy", "duplicated_3_n_grams", 5.0 / 15, 0.01));
    }
}

TEST(gr_counters)
{
    S = &tms_stage_gopher_repetition;
    setup("datatrove-current", NULL);
    LANG = "de";
    g_base(48, 4);
    CHECK(keeps() && R.ctr[GR_FALLBACK] == 1);
    CHECK(rejects_s("\n\n", "dup_line_frac", 0.5, 0.3) && R.ctr[GR_FALLBACK] == 0); /* no words needed */
    LANG = "en";
    g_base(48, 4);
    CHECK(keeps() && R.ctr[GR_FALLBACK] == 0);
    setup("tamis", NULL);
    LANG = "de";
    CHECK(keeps() && R.ctr[GR_FALLBACK] == 0);
    LANG = NULL;
}

/* Needs the real tamis splitter: with one word per line, the first 2-gram
 * would be most of the text. */
TEST(gr_cjk)
{
    S = &tms_stage_gopher_repetition;
    LANG = "zh";
    setup("tamis", NULL);
    t_set(ZH);
    CHECK(keeps());
    setup("datatrove-current", NULL);
    CHECK(keeps() && R.ctr[GR_FALLBACK] == 1);
    LANG = NULL;
}

/* ==== c4_quality ==== */

static size_t TL, EL; /* lines in T and E */

static void c4_begin(void)
{
    t_reset();
    b_reset(&E);
    TL = EL = 0;
}
/* a line of the document, and what is left of it (NULL: dropped) */
static void c4_line(const char *in, const char *kept)
{
    if (TL++) t_add("\n");
    t_add(in);
    if (kept) {
        if (EL++) b_add(&E, "\n");
        b_add(&E, kept);
    }
}
/* k lines of 4 new words and "." (one sentence each) */
static void c4_good(size_t k)
{
    while (k--) {
        char line[64];
        int n = snprintf(line, sizeof line, "%s", mkword("q", 4));
        for (int i = 0; i < 3; i++) n += snprintf(line + n, sizeof line - (size_t)n, " %s", mkword("q", 4));
        snprintf(line + n, sizeof line - (size_t)n, ".");
        c4_line(line, line);
    }
}

/* kept, with E as the text; the same pointer when nothing changed */
static int c4_keeps(void)
{
    run_t();
    int ok = verdict_is(NULL, NAN, NAN);
    bool unchanged = T.n == E.n && (!T.n || !memcmp(T.p, E.p, T.n));
    if (ok && (R.len != E.n || (E.n && memcmp(R.text, E.p, E.n)) || R.same != unchanged || (!unchanged && !R.text_valid))) {
        fprintf(stderr, "    c4_quality: same pointer %d (want %d), text (%zu bytes):\n      \"%.*s\"\n    want (%zu bytes):\n      \"%.*s\"\n",
                R.same, unchanged, R.len, (int)(R.len > 300 ? 300 : R.len), R.text, E.n, (int)(E.n > 300 ? 300 : E.n),
                E.p ? E.p : "");
        ok = 0;
    }
    return ok;
}

TEST(c4_sentences)
{
    S = &tms_stage_c4_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        c4_begin();
        c4_good(5);
        CHECK(c4_keeps());
        CHECK(R.ctr[C4_TOTAL] == 5 && R.ctr[C4_KEPT] == 5 && R.ctr[C4_NO_PUNC] == 0);
        c4_begin();
        c4_good(4);
        CHECK(rejects("too_few_sentences", 4, 5));
        CHECK(R.ctr[C4_TOTAL] == 4 && R.ctr[C4_KEPT] == 4);
        c4_begin();
        c4_good(6);
        CHECK(c4_keeps());
        /* two sentences in a line */
        c4_begin();
        c4_line("Qbcd qbcf qbcg. Qbch qbcj qbck.", "Qbcd qbcf qbcg. Qbch qbcj qbck.");
        c4_line("Qbcl qbcm qbcn! Qbcp qbcr qbcs?", "Qbcl qbcm qbcn! Qbcp qbcr qbcs?");
        CHECK(rejects("too_few_sentences", 4, 5));
        c4_good(1);
        CHECK(c4_keeps());
        /* empty and one-word documents */
        CHECK(rejects_s("", "too_few_sentences", 0, 5));
        CHECK(R.ctr[C4_TOTAL] == 0);
        CHECK(rejects_s("hello", "too_few_sentences", 0, 5));
        CHECK(R.ctr[C4_TOTAL] == 1 && R.ctr[C4_NO_PUNC] == 1 && R.ctr[C4_KEPT] == 0);
        CHECK(rejects_s("hello.", "too_few_sentences", 0, 5));
        CHECK(R.ctr[C4_FEW_WORDS] == 1);
        /* a set minimum; 0 disables */
        setup(RULESETS[r], "c4-min-sentences", "4", NULL);
        c4_begin();
        c4_good(4);
        CHECK(c4_keeps());
        c4_begin();
        c4_good(3);
        CHECK(rejects("too_few_sentences", 3, 4));
        setup(RULESETS[r], "c4-min-sentences", "0", NULL);
        c4_begin();
        CHECK(c4_keeps()); /* "" */
        c4_begin();
        c4_line("hello", NULL);
        CHECK(c4_keeps()); /* now "" */
        CHECK(R.len == 0);
    }
}

TEST(c4_rewrites_text)
{
    S = &tms_stage_c4_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        /* kept lines stripped and joined with "\n" */
        c4_begin();
        c4_line("  qbcd qbcf qbcg qbch.  ", "qbcd qbcf qbcg qbch.");
        c4_line("\tqbcj qbck qbcl qbcm.\r", "qbcj qbck qbcl qbcm.");
        c4_line("", NULL);
        c4_line("bad line", NULL);
        c4_good(3);
        t_add("\n");
        CHECK(c4_keeps());
        CHECK(R.ctr[C4_TOTAL] == 7 && R.ctr[C4_KEPT] == 5 && R.ctr[C4_NO_PUNC] == 2);
        /* only a final line break: still rewritten */
        c4_begin();
        c4_good(5);
        t_add("\n");
        CHECK(c4_keeps());
        CHECK(!R.same && R.text_valid);
        /* every str.splitlines() break */
        static const char *const seps[] = {"\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\xc2\x85",
                                           "\xe2\x80\xa8", "\xe2\x80\xa9"};
        for (size_t i = 0; i < TMS_ARRAY_LEN(seps); i++) {
            c4_begin();
            c4_good(5);
            for (size_t k = 0; k < T.n; k++)
                if (T.p[k] == '\n') {
                    char rest[512];
                    snprintf(rest, sizeof rest, "%s%s", seps[i], T.p + k + 1);
                    T.n = k;
                    t_add(rest);
                    k += strlen(seps[i]) - 1;
                }
            CHECK(c4_keeps());
            CHECK(R.ctr[C4_TOTAL] == 5);
        }
    }
}

TEST(c4_line_rules)
{
    S = &tms_stage_c4_quality;
    LANG = NULL;
    setup("datatrove-current", NULL);
    static const struct { const char *in, *out; int ctr; } cases[] = {
        /* terminal punctuation: . ? ! " ' but not "..." */
        {"qbcd qbcf qbcg?", "qbcd qbcf qbcg?", -1},
        {"qbcd qbcf qbcg!", "qbcd qbcf qbcg!", -1},
        {"qbcd qbcf \"qbcg\"", "qbcd qbcf \"qbcg\"", -1},
        {"qbcd qbcf 'qbcg'", "qbcd qbcf 'qbcg'", -1},
        {"qbcd qbcf qbcg", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg...", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg....", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg\xe2\x80\xa6", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg:", NULL, C4_NO_PUNC},
        {"qbcd qbcf (qbcg.)", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg\xe3\x80\x82", NULL, C4_NO_PUNC},
        /* citations go before the punctuation test */
        {"qbcd qbcf qbcg.[1]", "qbcd qbcf qbcg.", -1},
        {"qbcd qbcf qbcg.[12][3]", "qbcd qbcf qbcg.", -1},
        {"qbcd[2] qbcf[edit] qbcg[citation needed].", "qbcd qbcf qbcg.", -1},
        {"qbcd qbcf qbcg.[]", "qbcd qbcf qbcg.", -1},
        {"qbcd qbcf qbcg.[\xd9\xa1\xd9\xa2]", "qbcd qbcf qbcg.", -1},
        {"[[1]] qbcd qbcf.", "[] qbcd qbcf.", -1},
        {"qbcd qbcf qbcg.[1a]", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg.[Edit]", NULL, C4_NO_PUNC},
        {"qbcd qbcf qbcg. [1]", NULL, C4_NO_PUNC},
        /* words are counted before the citations go */
        {"qbcd [1] [2].", "qbcd  .", -1},
        /* at least 3 words (str.split) */
        {"qbcd qbcf.", NULL, C4_FEW_WORDS},
        {"qbcd qbcf .", "qbcd qbcf .", -1},
        {"qbcd\xc2\xa0qbcf\xe2\x80\x83qbcg.", "qbcd\xc2\xa0qbcf\xe2\x80\x83qbcg.", -1},
        /* javascript, any case */
        {"Please enable JavaScript to continue.", NULL, C4_JAVASCRIPT},
        {"enable javascript { now }.", NULL, C4_JAVASCRIPT}, /* dropped before the bracket test */
        /* policies, any case (the Kelvin sign lowercases to k) */
        {"Read our Privacy Policy here.", NULL, C4_POLICY},
        {"This site uses cookies.", NULL, C4_POLICY},
        {"We use cookies here.", NULL, C4_POLICY},
        {"See the terms of use.", NULL, C4_POLICY},
        {"No use of cookies here.", NULL, C4_POLICY},
        {"Our cookie policy applies.", NULL, C4_POLICY},
        {"This site uses coo\xe2\x84\xaaies.", NULL, C4_POLICY},
        {"A policy is here.", "A policy is here.", -1},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(cases); i++) {
        c4_begin();
        c4_good(5);
        c4_line(cases[i].in, cases[i].out);
        if (!c4_keeps()) fprintf(stderr, "    case %zu: '%s'\n", i, cases[i].in);
        CHECK(R.ctr[C4_TOTAL] == 6 && R.ctr[C4_KEPT] == (cases[i].out ? 6u : 5u));
        if (cases[i].ctr >= 0) CHECK(R.ctr[cases[i].ctr] == 1);
        unsigned drops = R.ctr[C4_LONG_WORD] + R.ctr[C4_NO_PUNC] + R.ctr[C4_FEW_WORDS] + R.ctr[C4_JAVASCRIPT] +
                         R.ctr[C4_POLICY];
        CHECK(drops == (cases[i].out ? 0u : 1u));
    }
    /* a word of 1000 characters is allowed, 1001 drop the line (characters, not bytes) */
    for (size_t len = 999; len <= 1001; len++) {
        tbuf line = {0};
        b_add(&line, "qbcd ");
        for (size_t k = 0; k < len; k++) b_add(&line, "\xc3\xa9");
        b_add(&line, " qbcf.");
        c4_begin();
        c4_good(5);
        c4_line(line.p, len <= 1000 ? line.p : NULL);
        CHECK(c4_keeps());
        CHECK(R.ctr[C4_LONG_WORD] == (len > 1000));
        /* tested before the punctuation */
        line.n -= 1;
        line.p[line.n] = 0;
        c4_begin();
        c4_good(5);
        c4_line(line.p, NULL);
        CHECK(c4_keeps());
        CHECK(R.ctr[C4_LONG_WORD] == (len > 1000) && R.ctr[C4_NO_PUNC] == (len <= 1000));
        free(line.p);
    }
    setup("datatrove-current", "c4-max-word-length", "5", NULL);
    c4_begin();
    c4_good(5);
    c4_line("qbcd qbcfghj qbcg.", NULL);
    CHECK(c4_keeps() && R.ctr[C4_LONG_WORD] == 1);
    setup("datatrove-current", "c4-min-words-per-line", "5", NULL);
    c4_begin();
    c4_good(5);
    CHECK(rejects("too_few_sentences", 0, 5) && R.ctr[C4_FEW_WORDS] == 5);
}

TEST(c4_document_rules)
{
    S = &tms_stage_c4_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        static const struct { const char *line, *reason; } rejecting[] = {
            {"Lorem Ipsum dolor sit.", "lorem_ipsum"},
            {"qbcd lorem[1] ipsum qbcf.", "lorem_ipsum"}, /* after the citation goes */
            {"lorem ipsum javascript here.", "lorem_ipsum"}, /* before javascript */
            {"the set {qbcd} is here.", "curly_bracket"},
            {"privacy policy {x} here.", "curly_bracket"}, /* before the policy test */
        };
        for (size_t i = 0; i < TMS_ARRAY_LEN(rejecting); i++) {
            c4_begin();
            c4_good(5);
            c4_line(rejecting[i].line, NULL);
            CHECK(rejects(rejecting[i].reason, NAN, NAN));
            /* at once, before counting sentences */
            c4_begin();
            c4_line(rejecting[i].line, NULL);
            CHECK(rejects(rejecting[i].reason, NAN, NAN));
        }
        /* only lines that survived the line rules */
        static const char *const harmless[] = {
            "lorem ipsum dolor sit", "lorem ipsum.", "{qbcd} qbcf qbcg", "{qbcd}.", "qbcd {qbcf qbcg...",
        };
        for (size_t i = 0; i < TMS_ARRAY_LEN(harmless); i++) {
            c4_begin();
            c4_good(5);
            c4_line(harmless[i], NULL);
            CHECK(c4_keeps());
        }
        tbuf line = {0};
        b_add(&line, "lorem ipsum ");
        for (size_t k = 0; k < 1001; k++) b_add(&line, "x");
        b_add(&line, " {.");
        c4_begin();
        c4_good(5);
        c4_line(line.p, NULL);
        CHECK(c4_keeps());
        free(line.p);
    }
}

TEST(c4_switches)
{
    S = &tms_stage_c4_quality;
    LANG = NULL;
    /* FineWeb's setting: no punctuation rule */
    setup("datatrove-current", "c4-terminal-punct-rule", "off", NULL);
    c4_begin();
    for (size_t i = 0; i < 5; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "%s", mkword("q", 4));
        n += snprintf(line + n, sizeof line - (size_t)n, " %s", mkword("q", 4));
        snprintf(line + n, sizeof line - (size_t)n, " %s", mkword("q", 4));
        c4_line(line, line); /* one sentence each, without a mark */
    }
    CHECK(c4_keeps());
    c4_line("qbcd qbcf qbcg...", "qbcd qbcf qbcg...");
    c4_line("qbcd qbcf", NULL);
    CHECK(c4_keeps() && R.ctr[C4_FEW_WORDS] == 1 && R.ctr[C4_NO_PUNC] == 0);
    c4_line("lorem ipsum dolor sit", NULL);
    CHECK(rejects("lorem_ipsum", NAN, NAN));
    static const struct { const char *opt, *line; } off[] = {
        {"c4-lorem-ipsum-rule", "Lorem Ipsum dolor sit."},
        {"c4-javascript-rule", "Please enable JavaScript to continue."},
        {"c4-curly-bracket-rule", "the set {qbcd} is here."},
        {"c4-policy-rule", "Read our Privacy Policy here."},
        {"c4-remove-citations", "qbcd qbcf[1] qbcg."},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(off); i++) {
        setup("datatrove-current", off[i].opt, "off", NULL);
        c4_begin();
        c4_good(5);
        c4_line(off[i].line, off[i].line);
        CHECK(c4_keeps());
    }
    setup("datatrove-current", "c4-remove-citations", "off", NULL);
    c4_begin();
    c4_good(5);
    c4_line("qbcd qbcf qbcg.[1]", NULL);
    CHECK(c4_keeps() && R.ctr[C4_NO_PUNC] == 1);
    setup("datatrove-current", "c4-min-words-per-line", "0", NULL);
    c4_begin();
    c4_good(4);
    c4_line("qbcd.", "qbcd.");
    CHECK(c4_keeps());
    setup("datatrove-current", "c4-max-word-length", "0", NULL);
    c4_begin();
    c4_good(5);
    {
        tbuf line = {0};
        b_add(&line, "qbcd ");
        for (size_t k = 0; k < 3000; k++) b_add(&line, "x");
        b_add(&line, " qbcf.");
        c4_line(line.p, line.p);
        CHECK(c4_keeps());
        free(line.p);
    }
}

TEST(c4_rule_sets)
{
    S = &tms_stage_c4_quality;
    LANG = NULL;
    /* tamis: a terminal mark followed by closing quotes or brackets ends a
     * line, any script's terminal marks count, and "…" is refused like "..." */
    static const struct { const char *line; bool dt, tamis; } cases[] = {
        {"qbcd qbcf (qbcg.)", false, true},
        {"qbcd qbcf \"qbcg.\"", true, true},
        {"qbcd qbcf qbcg.\xe2\x80\x9d", false, true},
        {"qbcd qbcf qbcg\xe3\x80\x82", false, true},
        {"qbcd qbcf qbcg\xef\xbc\x81", false, true},
        {"qbcd qbcf qbcg\xe0\xa5\xa4", false, true},
        {"qbcd qbcf qbcg\xe2\x80\xa6", false, false},
        {"qbcd qbcf qbcg...", false, false},
        {"qbcd qbcf qbcg.", true, true},
        {"qbcd qbcf qbcg:", false, false},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(cases); i++) {
        for (int t = 0; t < 2; t++) {
            setup(t ? "tamis" : "datatrove-current", NULL);
            bool kept = t ? cases[i].tamis : cases[i].dt;
            c4_begin();
            c4_good(5);
            c4_line(cases[i].line, kept ? cases[i].line : NULL);
            if (!c4_keeps()) fprintf(stderr, "    [%s] line '%s'\n", t ? "tamis" : "datatrove-current", cases[i].line);
            CHECK(R.ctr[C4_NO_PUNC] == !kept);
        }
    }
    /* the sentence splitter depends on the language only under datatrove-current */
    setup("datatrove-current", NULL);
    LANG = "de";
    c4_begin();
    c4_good(5);
    CHECK(c4_keeps() && R.ctr[C4_FALLBACK] == 1);
    CHECK(rejects_s("", "too_few_sentences", 0, 5) && R.ctr[C4_FALLBACK] == 0); /* no sentence split */
    LANG = "en";
    c4_begin();
    c4_good(5);
    CHECK(c4_keeps() && R.ctr[C4_FALLBACK] == 0);
    setup("tamis", NULL);
    LANG = "de";
    CHECK(c4_keeps() && R.ctr[C4_FALLBACK] == 0);
    LANG = NULL;
}

/* Needs the real tamis splitter (words) and sentence splitter. */
TEST(c4_cjk)
{
    S = &tms_stage_c4_quality;
    LANG = "zh";
    setup("tamis", "c4-min-sentences", "3", NULL);
    c4_begin();
    t_set(ZH);
    b_add(&E, ZH);
    CHECK(c4_keeps()); /* three lines of many words, one sentence each */
    CHECK(R.ctr[C4_KEPT] == 3);
    setup("tamis", "c4-min-sentences", "4", NULL);
    CHECK(rejects("too_few_sentences", 3, 4));
    setup("datatrove-current", "c4-min-sentences", "3", NULL);
    CHECK(rejects("too_few_sentences", 0, 3)); /* "。" does not end a line */
    CHECK(R.ctr[C4_NO_PUNC] == 3);
    LANG = NULL;
}

/* ==== fineweb_quality ==== */

/* n lines of 7 words (34 characters); the first p end with `end` */
static void fw_lines(size_t n, size_t p, const char *end)
{
    t_reset();
    for (size_t i = 0; i < n; i++) {
        if (i) t_add("\n");
        t_add(mkword("q", 4));
        t_words(6, 4);
        if (i < p) t_add(end);
    }
}

/* ns lines "word word." (10 characters), then nl lines of 1 + more words and "." */
static void fw_short_w(size_t ns, size_t nl, size_t more)
{
    t_reset();
    for (size_t i = 0; i < ns + nl; i++) {
        if (i) t_add("\n");
        t_add(mkword("q", 4));
        t_words(i < ns ? 1 : more, 4);
        t_add(".");
    }
}
/* ... with long lines of 7 words (35 characters) */
static void fw_short(size_t ns, size_t nl) { fw_short_w(ns, nl, 6); }

/* d, 12 lines of 35, d2, 12 lines of 35, and a line that brings the text
 * without its newlines to 1000 characters; every line ends in "." */
static void fw_chardup(const char *d, const char *d2)
{
    t_set(d);
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < 12; i++) {
            t_add("\n");
            t_add(mkword("q", 4));
            t_words(5, 4);
            t_tok(".");
        }
        t_add("\n");
        if (!k) t_add(d2);
    }
    t_pad_to(1000 + 26 - 1);
    t_add(".");
    CHECK(t_len() - 26 == 1000);
}

/* n lines of two 14-letter words and " ." (31 characters, 3 words) */
static void fw_list(size_t n)
{
    t_reset();
    for (size_t i = 0; i < n; i++) {
        if (i) t_add("\n");
        t_add(mkword("q", 14));
        t_tok(mkword("q", 14));
        t_tok(".");
    }
}

TEST(fw_line_punct)
{
    S = &tms_stage_fineweb_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        bool era = r == 1;
        setup(RULESETS[r], NULL);
        fw_lines(25, 4, ".");
        CHECK(keeps());
        fw_lines(25, 3, "."); /* 3 / 25 = 0.12: kept, but <= under fineweb-2024 */
        CHECK(era ? rejects("line_punct_ratio", 0.12, 0.12) : keeps());
        fw_lines(24, 3, "."); /* 0.125 */
        CHECK(keeps());
        fw_lines(25, 2, ".");
        CHECK(rejects("line_punct_ratio", 0.08, 0.12));
        fw_lines(25, 0, ".");
        CHECK(rejects("line_punct_ratio", 0, 0.12));
        static const char *const ok[] = {"!", "?"};
        for (size_t i = 0; i < 2; i++) {
            fw_lines(25, 4, ok[i]);
            CHECK(keeps());
        }
        /* a trailing space defeats the mark, except under tamis */
        fw_lines(25, 4, ". ");
        CHECK(r == 2 ? keeps() : rejects("line_punct_ratio", 0, 0.12));
        /* quotes: stop characters of fineweb-2024; tamis skips closing quotes */
        fw_lines(25, 4, ".\"");
        CHECK(r == 0 ? rejects("line_punct_ratio", 0, 0.12) : keeps());
        fw_lines(25, 4, "'");
        CHECK(era ? keeps() : rejects("line_punct_ratio", 0, 0.12));
        fw_lines(25, 4, ".)");
        CHECK(r == 2 ? keeps() : rejects("line_punct_ratio", 0, 0.12));
        /* other scripts' terminal marks (not fineweb-2024's five) */
        static const char *const marks[] = {"\xe3\x80\x82", "\xe0\xa5\xa4", "\xef\xbc\x81", "\xe2\x80\xbc", "\xd8\x9f"};
        for (size_t i = 0; i < TMS_ARRAY_LEN(marks); i++) {
            fw_lines(25, 4, marks[i]);
            CHECK(era ? rejects("line_punct_ratio", 0, 0.12) : keeps());
        }
        /* "…" and ":" end nothing */
        fw_lines(25, 4, "\xe2\x80\xa6");
        CHECK(rejects("line_punct_ratio", 0, 0.12));
        fw_lines(25, 4, ":");
        CHECK(rejects("line_punct_ratio", 0, 0.12));
        /* blank lines: ignored, but counted by fineweb-2024 (4 / 35) */
        static const char *const blanks[] = {"\n", "\n \t", "\n\xc2\xa0"};
        for (size_t b = 0; b < TMS_ARRAY_LEN(blanks); b++) {
            fw_lines(25, 4, ".");
            for (size_t i = 0; i < 10; i++) t_add(blanks[b]);
            CHECK(era ? rejects("line_punct_ratio", 4.0 / 35, 0.12) : keeps());
        }
        /* exclude-zero keeps documents with no punctuated line at all */
        setup(RULESETS[r], "fineweb-line-punct-exclude-zero", "on", NULL);
        fw_lines(25, 0, ".");
        CHECK(keeps());
        fw_lines(25, 2, ".");
        CHECK(rejects("line_punct_ratio", 0.08, 0.12));
        setup(RULESETS[r], "fineweb-line-punct-thr", "0", NULL);
        fw_lines(25, 0, ".");
        CHECK(keeps());
        setup(RULESETS[r], "fineweb-line-punct-thr", "0.5", NULL);
        fw_lines(20, 10, ".");
        CHECK(era ? rejects("line_punct_ratio", 0.5, 0.5) : keeps());
        fw_lines(20, 9, ".");
        CHECK(rejects("line_punct_ratio", 0.45, 0.5));
    }
}

TEST(fw_short_lines)
{
    S = &tms_stage_fineweb_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        bool era = r == 1;
        setup(RULESETS[r], NULL);
        fw_short(66, 34);
        CHECK(keeps());
        fw_short(67, 33); /* 0.67: kept, but >= under fineweb-2024 */
        CHECK(era ? rejects("short_line_ratio", 0.67, 0.67) : keeps());
        fw_short(68, 32);
        CHECK(rejects("short_line_ratio", 0.68, 0.67));
        /* a line of 30 characters is short, 31 is not (characters, not bytes) */
        for (size_t len = 30; len <= 31; len++) {
            fw_short(66, 33);
            t_add("\n");
            size_t at = t_len();
            t_add("\xc3\xa9\xc3\xa9");
            t_pad_to(at + len - 1);
            t_add(".");
            CHECK(t_len() - at == len);
            CHECK(era && len == 30 ? rejects("short_line_ratio", 0.67, 0.67) : keeps());
        }
        /* fineweb-2024 counts blank lines, as short ones: 60 + 10 of 100 */
        fw_short_w(60, 30, 15);
        t_rep("\n", 10);
        CHECK(era ? rejects("short_line_ratio", 0.7, 0.67) : keeps());
        setup(RULESETS[r], "fineweb-short-line-length", "9", NULL);
        fw_short(68, 32);
        CHECK(keeps());
        setup(RULESETS[r], "fineweb-short-line-thr", "0", NULL);
        fw_short(68, 32);
        CHECK(keeps());
    }
}

TEST(fw_char_dup)
{
    S = &tms_stage_fineweb_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        bool era = r == 1;
        setup(RULESETS[r], NULL);
        fw_chardup("qbcd qbcf.", "qbcd qbcf."); /* 10 / 1000 */
        CHECK(era ? rejects("char_dup_ratio", 0.01, 0.01) : keeps());
        fw_chardup("qbcd qbcfg.", "qbcd qbcfg.");
        CHECK(rejects("char_dup_ratio", 0.011, 0.01));
        fw_chardup("qbcd qbc.", "qbcd qbc.");
        CHECK(keeps());
        /* characters, not bytes */
        fw_chardup("\xc3\xa9qbc qbcd.", "\xc3\xa9qbc qbcd.");
        CHECK(era ? rejects("char_dup_ratio", 0.01, 0.01) : keeps());
        fw_chardup("\xc3\xa9qbc qbcdf.", "\xc3\xa9qbc qbcdf.");
        CHECK(rejects("char_dup_ratio", 0.011, 0.01));
        /* whole lines are compared, blanks included */
        fw_chardup("qbcd qbcfg.", "qbcd qbcfg. ");
        CHECK(keeps());
        fw_chardup("qbcd qbcfg.", " qbcd qbcfg.");
        CHECK(keeps());
        setup(RULESETS[r], "fineweb-char-dup-ratio", "0.02", NULL);
        fw_chardup("qbcd qbcfg.", "qbcd qbcfg.");
        CHECK(keeps());
        setup(RULESETS[r], "fineweb-char-dup-ratio", "0", NULL);
        fw_chardup("qbcd qbcfg.", "qbcd qbcfg.");
        CHECK(keeps());
    }
    /* blank lines are never duplicates (they are not lines) */
    setup("datatrove-current", NULL);
    fw_lines(25, 25, ".");
    for (size_t i = 0; i < 5; i++) t_add("\n   ");
    CHECK(keeps());
}

TEST(fw_list_ratio)
{
    S = &tms_stage_fineweb_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r++) {
        setup(RULESETS[r], NULL);
        fw_list(9); /* 8 / 27 */
        CHECK(keeps());
        fw_list(10); /* 9 / 30 */
        CHECK(keeps());
        fw_list(11);
        CHECK(rejects("list_ratio", 10.0 / 33, 0.3));
        /* every "\n" counts, a final one too */
        fw_list(10);
        t_add("\n");
        CHECK(rejects("list_ratio", 10.0 / 30, 0.3));
        setup(RULESETS[r], "fineweb-new-line-ratio", "0", NULL);
        fw_list(11);
        CHECK(keeps());
        setup(RULESETS[r], "fineweb-new-line-ratio", "0.35", NULL);
        fw_list(11);
        CHECK(keeps());
        fw_list(10);
        t_add("\n");
        CHECK(keeps());
    }
}

TEST(fw_empty_and_tiny)
{
    S = &tms_stage_fineweb_quality;
    LANG = NULL;
    for (size_t r = 0; r < 3; r += 2) {
        setup(RULESETS[r], NULL);
        CHECK(rejects_s("", "empty", NAN, NAN));
        CHECK(rejects_s("\n", "empty", NAN, NAN));
        CHECK(rejects_s(" \n\t\n  \xe2\x80\x83", "empty", NAN, NAN));
        CHECK(rejects_s("hello", "line_punct_ratio", 0, 0.12));
        CHECK(rejects_s("hello.", "short_line_ratio", 1, 0.67));
    }
    /* fineweb-2024 has no `empty`: [""] is one unpunctuated, short line */
    setup("fineweb-2024", NULL);
    CHECK(rejects_s("", "line_punct_ratio", 0, 0.12));
    CHECK(rejects_s("\n", "line_punct_ratio", 0, 0.12));
    CHECK(rejects_s("hello", "line_punct_ratio", 0, 0.12));
    CHECK(rejects_s("hello.", "short_line_ratio", 1, 0.67));
    setup("fineweb-2024", "fineweb-line-punct-exclude-zero", "on", NULL);
    CHECK(rejects_s("", "short_line_ratio", 1, 0.67));
    setup("datatrove-current", "fineweb-line-punct-exclude-zero", "on", NULL);
    CHECK(rejects_s("", "empty", NAN, NAN));
}

TEST(fw_counters)
{
    S = &tms_stage_fineweb_quality;
    setup("datatrove-current", NULL);
    LANG = "de";
    fw_lines(25, 25, ".");
    CHECK(keeps() && R.ctr[FW_FALLBACK] == 1);
    fw_lines(25, 0, ".");
    CHECK(rejects("line_punct_ratio", 0, 0.12) && R.ctr[FW_FALLBACK] == 0); /* words not needed */
    LANG = "en";
    fw_lines(25, 25, ".");
    CHECK(keeps() && R.ctr[FW_FALLBACK] == 0);
    setup("tamis", NULL);
    LANG = "de";
    CHECK(keeps() && R.ctr[FW_FALLBACK] == 0);
    LANG = NULL;
}

/* Needs the real tamis splitter: with one word per line, 2 newlines per 3
 * words would be a list. */
TEST(fw_cjk)
{
    S = &tms_stage_fineweb_quality;
    LANG = "zh";
    setup("tamis", NULL);
    t_set(ZH);
    CHECK(keeps());
    setup("datatrove-current", NULL);
    CHECK(keeps() && R.ctr[FW_FALLBACK] == 1);
    setup("fineweb-2024", NULL);
    CHECK(rejects("line_punct_ratio", 0, 0.12)); /* "。" is not one of its five */
    LANG = NULL;
}

/* ==== all stages ==== */

static const tms_stage_vt *const STAGES[] = {&tms_stage_gopher_repetition, &tms_stage_gopher_quality,
                                             &tms_stage_c4_quality, &tms_stage_fineweb_quality};

/* a document that every stage keeps after evaluating every rule (and that
 * c4_quality rewrites) */
static void all_rules_doc(void)
{
    c4_begin();
    c4_line("  qbcd the qbcf and qbcg qbch qbcj qbck[1].", "qbcd the qbcf and qbcg qbch qbcj qbck.");
    for (size_t i = 0; i < 9; i++) {
        t_add("\n");
        t_words(8, 4);
        t_add(".");
    }
    t_add("\n");
}

TEST(invalid_utf8_measured_repaired)
{
    setup("datatrove-current", NULL);
    LANG = NULL;
    /* measured as U+FFFD, text left alone */
    S = &tms_stage_fineweb_quality;
    CHECK(rejects_s("\xff\xfe", "line_punct_ratio", 0, 0.12) && R.same);
    CHECK(rejects_s("qbcd\xff.", "short_line_ratio", 1, 0.67) && R.same);
    S = &tms_stage_gopher_repetition;
    CHECK(rejects_s("\xff\n\xfe", "dup_line_frac", 0.5, 0.3) && R.same); /* both are "\ufffd" */
    S = &tms_stage_gopher_quality;
    g_base(48, 4);
    t_add(" \xc3");
    CHECK(keeps() && R.same);
    /* c4_quality writes the kept lines of the measured text */
    S = &tms_stage_c4_quality;
    c4_begin();
    c4_good(5);
    c4_line("qbcd qbcf\xff qbcg.", "qbcd qbcf\xef\xbf\xbd qbcg.");
    CHECK(c4_keeps());
}

TEST(worker_reuse)
{
    setup("datatrove-current", NULL);
    LANG = NULL;
    for (size_t s = 0; s < 4; s++) {
        void *w = NULL;
        CHECK(STAGES[s]->worker_create(NULL, &CFG, &w) == TAMIS_OK);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 6; k++) {
                switch (k) {
                case 0: g_base(5000, 5); break;
                case 1: t_set(""); break;
                case 2: all_rules_doc(); break;
                case 3: r_dup5(299); break;
                case 4: fw_short(68, 32); break;
                default: t_set("hello"); break;
                }
                res a = run_as(STAGES[s], NULL, T.p, T.n);
                res b = run_with(STAGES[s], w, NULL, T.p, T.n);
                CHECK(a.st == TAMIS_OK && b.st == TAMIS_OK && a.v == b.v);
                CHECK((!a.reason && !b.reason) || (a.reason && b.reason && !strcmp(a.reason, b.reason)));
                CHECK(a.value == b.value && a.len == b.len && !memcmp(a.text, b.text, a.len));
                CHECK(!memcmp(a.ctr, b.ctr, sizeof a.ctr));
            }
        }
        STAGES[s]->worker_free(w);
    }
}

TEST(no_memory)
{
    setup("datatrove-current", NULL);
    for (size_t s = 0; s < 4; s++) {
        all_rules_doc();
        res ref = run_as(STAGES[s], "de", T.p, T.n);
        CHECK(ref.st == TAMIS_OK && ref.v == TMS_KEEP);
        size_t k;
        for (k = 1; k < 1000; k++) {
            tms_alloc_fail_at(k);
            res r = run_as(STAGES[s], "de", T.p, T.n);
            bool fired = tms_alloc_fail_armed() == 0;
            tms_alloc_fail_at(0);
            CHECK(r.st == TAMIS_OK || r.st == TAMIS_E_NOMEM);
            if (r.st == TAMIS_OK) CHECK(r.v == ref.v && r.len == ref.len && !memcmp(r.text, ref.text, r.len));
            if (!fired) break;
            CHECK(r.st == TAMIS_E_NOMEM); /* a failed allocation is never swallowed */
        }
        CHECK(k > 1 && k < 1000);
    }
}

int main(void)
{
    tms_arena_init(&A, 1 << 16);
    RUN(stage_table);
    RUN(options_defaults);
    RUN(options_floats);
    RUN(options_ngram_lists);
    RUN(options_config_file);
    RUN(options_config_error_changes_nothing);
    RUN(gq_word_count);
    RUN(gq_avg_word_length);
    RUN(gq_hashes);
    RUN(gq_ellipsis);
    RUN(gq_bullets);
    RUN(gq_end_ellipsis);
    RUN(gq_alpha_ratio);
    RUN(gq_stop_words);
    RUN(gq_rule_order);
    RUN(gq_language_and_counters);
    RUN(gq_cjk);
    RUN(gr_empty_and_tiny);
    RUN(gr_paragraphs_and_lines);
    RUN(gr_duplicate_characters);
    RUN(gr_top_ngrams);
    RUN(gr_duplicated_ngrams);
    RUN(gr_counters);
    RUN(gr_cjk);
    RUN(c4_sentences);
    RUN(c4_rewrites_text);
    RUN(c4_line_rules);
    RUN(c4_document_rules);
    RUN(c4_switches);
    RUN(c4_rule_sets);
    RUN(c4_cjk);
    RUN(fw_line_punct);
    RUN(fw_short_lines);
    RUN(fw_char_dup);
    RUN(fw_list_ratio);
    RUN(fw_empty_and_tiny);
    RUN(fw_counters);
    RUN(fw_cjk);
    RUN(invalid_utf8_measured_repaired);
    RUN(worker_reuse);
    RUN(no_memory);
    tamis_options_free(OPT);
    tms_arena_destroy(&A);
    free(T.p);
    free(E.p);
    DONE("stage_quality");
}
