/* test_rules.c -- the run report's inputs from the stages (stage.h, record.h):
 * every stage's table of rules (one entry per reason it can give, each with
 * a text and an existing option), the readers' tms_read_rules, tms_measure
 * and tms_removed_line (nothing recorded unless doc->collect), and, by
 * running documents through the stages, that every reason given is in the
 * stage's table, that every measure is made before its rule's test with the
 * rejection's own value and threshold, that kept documents are measured too,
 * and that the lines removed by `lines` and `c4_quality` point at the text
 * as it entered the stage. */
#include "harness.h"
#include "core/alloc.h"
#include "core/config.h"
#include "stage/lines.h"
#include "stage/stage.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>

static tms_arena A;

/* ==== the tables ==== */

static const tms_rule_info *rule_of(const tms_rule_info *r, size_t n, const char *reason)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].reason && !strcmp(r[i].reason, reason)) return &r[i];
    return NULL;
}

static const tms_rule_info *stage_rule(const tms_stage_vt *vt, const char *reason)
{
    return rule_of(vt->rules, vt->nrules, reason);
}

static void check_table(const char *who, const tms_rule_info *r, size_t n)
{
    if (!r || !n) {
        fprintf(stderr, "  %s: no rules\n", who);
        CHECK(r && n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        bool ok = r[i].reason && *r[i].reason && r[i].text && *r[i].text;
        CHECK(ok);
        if (!ok) continue;
        size_t len = strlen(r[i].text);
        bool text_ok = len <= 110 && r[i].text[len - 1] != '.' && r[i].text[len - 1] != ' ' && !strchr(r[i].text, '\n');
        if (!text_ok) fprintf(stderr, "  %s: %s: text \"%s\"\n", who, r[i].reason, r[i].text);
        CHECK(text_ok);
        for (size_t j = 0; j < i; j++)
            if (r[j].reason && !strcmp(r[j].reason, r[i].reason)) {
                fprintf(stderr, "  %s: reason %s twice\n", who, r[i].reason);
                CHECK(!"duplicate reason");
            }
        if (r[i].option && !tamis_option_find(r[i].option)) {
            fprintf(stderr, "  %s: %s: no option --%s\n", who, r[i].reason, r[i].option);
            CHECK(!"unknown option");
        }
        if (r[i].option) CHECK(r[i].option[0] != '-');
    }
}

TEST(tables)
{
    CHECK(tms_nstages == 10);
    for (size_t s = 0; s < tms_nstages; s++) check_table(tms_stages[s]->name, tms_stages[s]->rules, tms_stages[s]->nrules);
    size_t n = 0;
    while (tms_read_rules[n].reason) n++;
    check_table("read", tms_read_rules, n);
    CHECK(n == 4);
}

/* The reasons each stage gives, collected from the sources (grep tms_reject,
 * tms_reject_bare and "->reason =" in src/stage), and the readers'. */
static const char *const KNOWN[][24] = {
    {"extract", "http_error", "too_large", "undecodable", "no_main_content"},
    {"normalize", "empty"},
    {"exact_dedup", "exact_duplicate"},
    {"lines", "no_content_left", /* and the removed lines' */ "no_sentence", "truncated", "menu", "symbols",
     "repeated_in_doc", "repeated_segment", "repeated_in_corpus", "context", "cookie_notice", "share_widget",
     "login_prompt", "newsletter_prompt", "navigation", "legal_notice", "comment_prompt"},
    {"language", "language"},
    {"gopher_repetition", "empty", "dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac",
     "top_2_gram", "top_3_gram", "top_4_gram", "duplicated_5_n_grams", "duplicated_6_n_grams",
     "duplicated_7_n_grams", "duplicated_8_n_grams", "duplicated_9_n_grams", "duplicated_10_n_grams"},
    {"gopher_quality", "gopher_short_doc", "gopher_long_doc", "gopher_below_avg_threshold",
     "gopher_above_avg_threshold", "gopher_too_many_hashes", "gopher_too_many_ellipsis", "gopher_too_many_bullets",
     "gopher_too_many_end_ellipsis", "gopher_below_alpha_threshold", "gopher_enough_stop_words"},
    {"c4_quality", "lorem_ipsum", "curly_bracket", "too_few_sentences", /* and the removed lines' */
     "line-filter-too_long_word", "line-filter-no_terminal_punc", "line-filter-too_few_words",
     "line-filter-javascript", "line-filter-policy"},
    {"fineweb_quality", "empty", "line_punct_ratio", "short_line_ratio", "char_dup_ratio", "list_ratio"},
    {"near_dedup", "near_duplicate"},
};
static const char *const KNOWN_READ[] = {"malformed", "too_large", "not_html", "html_not_extracted"};

TEST(known_reasons)
{
    for (size_t k = 0; k < TMS_ARRAY_LEN(KNOWN); k++) {
        const tms_stage_vt *vt = tms_stage_find(KNOWN[k][0], strlen(KNOWN[k][0]));
        CHECK(vt != NULL);
        if (!vt) continue;
        size_t n = 0;
        for (size_t i = 1; i < TMS_ARRAY_LEN(KNOWN[k]) && KNOWN[k][i]; i++, n++) {
            if (!stage_rule(vt, KNOWN[k][i])) {
                fprintf(stderr, "  %s: no rule for %s\n", vt->name, KNOWN[k][i]);
                CHECK(!"reason missing");
            }
        }
        if (vt->nrules != n) fprintf(stderr, "  %s: %zu rules, %zu known reasons\n", vt->name, vt->nrules, n);
        CHECK(vt->nrules == n); /* and nothing else */
    }
    size_t n = 0;
    while (tms_read_rules[n].reason) n++;
    CHECK(n == TMS_ARRAY_LEN(KNOWN_READ));
    for (size_t i = 0; i < TMS_ARRAY_LEN(KNOWN_READ); i++) CHECK(rule_of(tms_read_rules, n, KNOWN_READ[i]) != NULL);
    /* the thresholds' options */
    CHECK(!strcmp(stage_rule(&tms_stage_gopher_quality, "gopher_short_doc")->option, "gopher-min-words"));
    CHECK(!strcmp(stage_rule(&tms_stage_fineweb_quality, "list_ratio")->option, "fineweb-new-line-ratio"));
    CHECK(!strcmp(stage_rule(&tms_stage_extract, "too_large")->option, "max-html-bytes"));
    CHECK(!strcmp(rule_of(tms_read_rules, n, "too_large")->option, "max-doc-bytes"));
    CHECK(stage_rule(&tms_stage_normalize, "empty")->option == NULL);
}

/* ==== tms_measure and tms_removed_line themselves ==== */

static void doc_init(tms_doc *d, const char *s, size_t n)
{
    memset(d, 0, sizeof *d);
    d->rec.text = s;
    d->rec.text_len = n;
    d->text = s;
    d->len = n;
    d->arena = &A;
    d->reject_at = -1;
    d->process_reject_at = -1;
    d->duplicate_of = UINT64_MAX;
}

TEST(measure_collect)
{
    tms_doc d;
    doc_init(&d, "abc\ndef", 7);
    d.stage = 3;
    CHECK(tms_measure(&d, "gopher_short_doc", 12, 50, TMS_SCALE_COUNT, false) == TAMIS_OK);
    CHECK(tms_removed_line(&d, d.text, 3, "menu") == TAMIS_OK);
    CHECK(d.measures == NULL && d.removed == NULL); /* collect is off */
    d.collect = true;
    CHECK(tms_measure(&d, "gopher_short_doc", 12, 50, TMS_SCALE_COUNT, false) == TAMIS_OK);
    CHECK(tms_measure(&d, "dup_line_frac", 0.5, 0.3, TMS_SCALE_FRAC, true) == TAMIS_OK);
    CHECK(tms_removed_line(&d, d.text + 4, 3, "menu") == TAMIS_OK);
    tms_measure_t *m = d.measures;
    CHECK(m && m->stage == 3 && !strcmp(m->reason, "dup_line_frac") && m->value == 0.5 && m->threshold == 0.3 &&
          m->scale == TMS_SCALE_FRAC && m->upper);
    m = m ? m->next : NULL;
    CHECK(m && m->stage == 3 && !strcmp(m->reason, "gopher_short_doc") && m->value == 12 && m->threshold == 50 &&
          m->scale == TMS_SCALE_COUNT && !m->upper && m->next == NULL);
    tms_removed *r = d.removed;
    CHECK(r && r->stage == 3 && r->line == d.text + 4 && r->len == 3 && !strcmp(r->reason, "menu") && !r->next);
    /* measures do not touch the verdict */
    CHECK(d.reason == NULL && !d.has_value);
}

/* ==== running the stages ==== */

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
    if (tms_config_resolve(OPT, &CFG, err, sizeof err) != TAMIS_OK) {
        fprintf(stderr, "setup: %s\n", err);
        abort();
    }
}

typedef struct run {
    tamis_status st;
    tms_verdict v;
    tms_doc d;
    uint32_t ctr[64];
} run;

#define STAGE_INDEX 6 /* what the pipeline would set doc->stage to */

/* One document through a stage's process() (and commit(), when kept). */
static void run_doc(const tms_stage_vt *vt, void *g, void *w, const char *s, size_t n, bool collect, run *r)
{
    memset(r, 0, sizeof *r);
    doc_init(&r->d, s, n);
    r->d.collect = collect;
    r->d.stage = STAGE_INDEX;
    r->v = TMS_KEEP;
    r->st = vt->process(w, &r->d, r->ctr, &r->v);
    if (r->st == TAMIS_OK && r->v == TMS_KEEP && vt->commit) r->st = vt->commit(g, &r->d, r->ctr, &r->v);
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] && !strcmp(list[i], s)) return true;
    return false;
}

/* the reasons the runs gave, per stage */
static const char *SEEN[TMS_MAX_STAGES][32];

static void seen(const tms_stage_vt *vt, const char *reason)
{
    for (size_t s = 0; s < tms_nstages; s++)
        if (tms_stages[s] == vt)
            for (size_t i = 0; i < 32; i++) {
                if (SEEN[s][i] && !strcmp(SEEN[s][i], reason)) return;
                if (!SEEN[s][i]) { SEEN[s][i] = reason; return; }
            }
}

static bool was_seen(const tms_stage_vt *vt, const char *reason)
{
    for (size_t s = 0; s < tms_nstages; s++)
        if (tms_stages[s] == vt) return in_list(SEEN[s], 32, reason);
    return false;
}

/* What every run must satisfy: the reason and every measure's reason are
 * the stage's; a rejection with a value was measured last with that value
 * and threshold; a rule that passed measured a passing value; and without
 * collect, the same verdict and nothing recorded. */
static void check_run(const tms_stage_vt *vt, void *g, void *w, const char *s, size_t n, run *out)
{
    run r;
    run_doc(vt, g, w, s, n, true, &r);
    CHECK(r.st == TAMIS_OK);
    if (r.st != TAMIS_OK) return;
    if (r.v == TMS_REJECT) {
        seen(vt, r.d.reason);
        if (!stage_rule(vt, r.d.reason)) {
            fprintf(stderr, "  %s rejected as %s, not in its rules\n", vt->name, r.d.reason);
            CHECK(!"reason not in the rules");
        }
    }
    for (tms_measure_t *m = r.d.measures; m; m = m->next) {
        CHECK(m->stage == STAGE_INDEX && m->scale <= TMS_SCALE_SCALE && m->threshold > 0 && isfinite(m->value));
        if (!stage_rule(vt, m->reason)) {
            fprintf(stderr, "  %s measured %s, not in its rules\n", vt->name, m->reason);
            CHECK(!"measure not in the rules");
        }
        /* the stop-word count is not measured: it stops at the threshold */
        bool last = m == r.d.measures && r.v == TMS_REJECT && r.d.has_value &&
                    strcmp(r.d.reason, "gopher_enough_stop_words") != 0;
        if (last) {
            bool same = !strcmp(m->reason, r.d.reason) && m->value == r.d.value && m->threshold == r.d.threshold;
            if (!same) fprintf(stderr, "  %s: rejected as %s, last measure %s\n", vt->name, r.d.reason, m->reason);
            CHECK(same);
            CHECK(m->upper ? m->value >= m->threshold : m->value <= m->threshold);
        } else {
            bool pass = m->upper ? m->value <= m->threshold : m->value >= m->threshold;
            if (!pass)
                fprintf(stderr, "  %s: %s measured %g against %g, %s, yet passed\n", vt->name, m->reason, m->value,
                        m->threshold, m->upper ? "upper" : "lower");
            CHECK(pass);
            CHECK(!(r.v == TMS_REJECT && m == r.d.measures && !strcmp(m->reason, r.d.reason)));
        }
    }
    if (r.v == TMS_REJECT && r.d.has_value) CHECK(r.d.measures != NULL);
    for (tms_removed *x = r.d.removed; x; x = x->next) {
        CHECK(x->stage == STAGE_INDEX && x->reason && *x->reason);
        /* in the text as it entered the stage, or an arena copy of it */
        CHECK(x->len <= n);
    }
    run off;
    run_doc(vt, g, w, s, n, false, &off);
    CHECK(off.st == TAMIS_OK && off.v == r.v && off.d.measures == NULL && off.d.removed == NULL);
    CHECK(off.d.len == r.d.len && !memcmp(off.d.text, r.d.text, r.d.len));
    CHECK((off.d.reason == NULL) == (r.d.reason == NULL) && (!off.d.reason || !strcmp(off.d.reason, r.d.reason)));
    if (out) *out = r;
}

static void check_text(const tms_stage_vt *vt, const char *s, run *out)
{
    void *g = NULL, *w = NULL;
    if (vt->global_create) CHECK(vt->global_create(&CFG, &g) == TAMIS_OK);
    if (vt->worker_create) CHECK(vt->worker_create(g, &CFG, &w) == TAMIS_OK);
    check_run(vt, g, w, s, strlen(s), out);
    if (vt->worker_free) vt->worker_free(w);
    if (vt->global_free) vt->global_free(g);
}

/* ==== documents ==== */

static char *cat(const char *first, ...)
{
    size_t n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *)) n += strlen(p);
    va_end(ap);
    char *b = tms_arena_alloc(&A, n + 1);
    if (!b) abort();
    n = 0;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *)) {
        memcpy(b + n, p, strlen(p));
        n += strlen(p);
    }
    va_end(ap);
    b[n] = 0;
    return b;
}

static char *rep(const char *s, size_t k)
{
    size_t n = strlen(s);
    char *b = tms_arena_alloc(&A, n * k + 1);
    if (!b) abort();
    for (size_t i = 0; i < k; i++) memcpy(b + i * n, s, n);
    b[n * k] = 0;
    return b;
}

#define PROSE                                                                                                     \
    "The river that runs through the old town has been the center of its life for many centuries.\n"             \
    "Boats carried grain and wool to the coast, and the mills along its banks turned with the current.\n"        \
    "In the spring the water rises quickly, and the people who live near it have learned to watch the sky.\n"    \
    "Today most of the mills are gone, but a few of them have been restored as small museums for visitors.\n"    \
    "A walk along the towpath takes about two hours and passes several bridges that date from the middle ages.\n" \
    "Local guides say that the best time to come is early in the morning, when the mist still lies on the fields.\n"

static const char *docs[40];
static size_t ndocs;

static void make_docs(void)
{
    ndocs = 0;
    docs[ndocs++] = PROSE;
    docs[ndocs++] = "";
    docs[ndocs++] = "\n \n\t\n";
    docs[ndocs++] = "Too short to be a document.";
    docs[ndocs++] = rep("This line is the same in every row of the page.\n", 12);
    docs[ndocs++] = cat(PROSE, "\n", rep("Read more about this.\n\n", 9), NULL);
    docs[ndocs++] = cat(PROSE, rep("#tag #news #river ", 30), NULL);
    docs[ndocs++] = cat(PROSE, rep("and then... ", 30), NULL);
    docs[ndocs++] = rep("- the bullet item of the list, with the words of the river\n", 20);
    docs[ndocs++] = cat(PROSE, rep("and the story goes on and on...\n", 10), NULL);
    docs[ndocs++] = cat(rep("12 34 56 78 90 ", 20), PROSE, NULL);
    docs[ndocs++] = rep("incomprehensibilities characteristically ", 40);
    docs[ndocs++] = rep("a b c d e f g h i j ", 10);
    docs[ndocs++] = cat(PROSE, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n", NULL);
    docs[ndocs++] = cat(PROSE, "Write it as { the value of the thing } in the text.\n", NULL);
    docs[ndocs++] = cat(PROSE, "Please enable JavaScript in your browser to see it.\n",
                        "By using this site you agree to the terms of use and our privacy policy.\n", "Menu\n",
                        "Home | About | Contact\n", NULL);
    docs[ndocs++] = cat(rep("Home\nAbout us\nContact\n", 6), "One sentence here.\n", NULL);
    docs[ndocs++] = cat(PROSE, rep("river bank river bank river bank ", 30), NULL);
    docs[ndocs++] = cat(rep("the quick brown fox jumps over the lazy dog and runs away ", 6), "\n", PROSE, NULL);
    docs[ndocs++] = rep("word\n", 80);
    /* invalid UTF-8: the quality stages measure a repaired copy */
    docs[ndocs++] = cat(PROSE, "Bad \xff\xfe bytes here.\n", "Click here\n", "Subscribe to our newsletter\n", NULL);
    /* Chinese: words are characters under the tamis rule set */
    docs[ndocs++] = rep("\xe6\x88\x91\xe4\xbb\xac\xe4\xbb\x8a\xe5\xa4\xa9\xe6\x97\xa9\xe4\xb8\x8a\xe5\x8e\xbb"
                        "\xe5\xad\xa6\xe6\xa0\xa1\xe4\xb8\x8a\xe8\xaf\xbe\xe3\x80\x82\n", 8);
}

static const char *const RULESETS[] = {"tamis", "datatrove-current", "fineweb-2024"};

TEST(quality_stages)
{
    const tms_stage_vt *const vts[] = {&tms_stage_gopher_repetition, &tms_stage_gopher_quality, &tms_stage_c4_quality,
                                       &tms_stage_fineweb_quality};
    for (size_t rs = 0; rs < TMS_ARRAY_LEN(RULESETS); rs++) {
        for (int variant = 0; variant < 2; variant++) {
            if (variant == 0) setup(RULESETS[rs], "default-lang", "en", NULL);
            else /* thresholds moved so that other rules get their turn */
                setup(RULESETS[rs], "default-lang", "en", "gopher-min-words", "5", "gopher-dup-line-frac", "0.9",
                      "gopher-dup-line-char-frac", "0.9", "gopher-dup-para-frac", "0", "fineweb-line-punct-thr", "0.01",
                      "fineweb-short-line-thr", "0.99", "c4-min-sentences", "1", "gopher-max-words", "60", NULL);
            for (size_t k = 0; k < TMS_ARRAY_LEN(vts); k++)
                for (size_t i = 0; i < ndocs; i++) check_text(vts[k], docs[i], NULL);
        }
    }
    /* the documents above give these (among others) */
    static const char *const want[][2] = {
        {"gopher_repetition", "dup_line_frac"},  {"gopher_repetition", "empty"},
        {"gopher_quality", "gopher_short_doc"},  {"gopher_quality", "gopher_too_many_hashes"},
        {"gopher_quality", "gopher_too_many_bullets"}, {"gopher_quality", "gopher_long_doc"},
        {"c4_quality", "lorem_ipsum"},           {"c4_quality", "curly_bracket"},
        {"c4_quality", "too_few_sentences"},     {"fineweb_quality", "empty"},
        {"fineweb_quality", "short_line_ratio"}, {"fineweb_quality", "line_punct_ratio"},
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(want); i++) {
        const tms_stage_vt *vt = tms_stage_find(want[i][0], strlen(want[i][0]));
        if (!was_seen(vt, want[i][1])) fprintf(stderr, "  %s never gave %s\n", want[i][0], want[i][1]);
        CHECK(was_seen(vt, want[i][1]));
    }
}

/* A kept document was measured by every rule that ran. */
TEST(kept_documents_measured)
{
    setup("tamis", "default-lang", "en", NULL);
    run r;
    check_text(&tms_stage_gopher_quality, PROSE, &r);
    CHECK(r.v == TMS_KEEP);
    size_t n = 0;
    for (tms_measure_t *m = r.d.measures; m; m = m->next) n++;
    /* every gopher_quality rule measures a number; the stop-word count is not recorded (it stops at the threshold) */
    CHECK(n == tms_stage_gopher_quality.nrules - 1);
    for (size_t i = 0; i < tms_stage_gopher_quality.nrules; i++) {
        bool found = !strcmp(tms_stage_gopher_quality.rules[i].reason, "gopher_enough_stop_words");
        for (tms_measure_t *m = r.d.measures; m; m = m->next) found |= !strcmp(m->reason, tms_stage_gopher_quality.rules[i].reason);
        CHECK(found);
    }
    /* the two word-count rules: separate measures of one count */
    for (tms_measure_t *m = r.d.measures; m; m = m->next) {
        if (!strcmp(m->reason, "gopher_short_doc")) CHECK(m->threshold == 50 && !m->upper && m->scale == TMS_SCALE_COUNT);
        if (!strcmp(m->reason, "gopher_long_doc")) CHECK(m->threshold == 100000 && m->upper);
        if (!strcmp(m->reason, "gopher_below_avg_threshold")) CHECK(m->scale == TMS_SCALE_SCALE && !m->upper);
    }
    check_text(&tms_stage_fineweb_quality, PROSE, &r);
    CHECK(r.v == TMS_KEEP);
    n = 0;
    for (tms_measure_t *m = r.d.measures; m; m = m->next) n++;
    CHECK(n == 4); /* all but empty */
    check_text(&tms_stage_gopher_repetition, PROSE, &r);
    CHECK(r.v == TMS_KEEP && r.d.measures != NULL);
    check_text(&tms_stage_c4_quality, PROSE, &r);
    CHECK(r.v == TMS_KEEP && r.d.measures && !strcmp(r.d.measures->reason, "too_few_sentences") &&
          r.d.measures->value == 6 && !r.d.measures->next);

    /* a disabled rule is not measured */
    setup("tamis", "default-lang", "en", "gopher-min-words", "0", "gopher-min-stop-words", "0", NULL);
    check_text(&tms_stage_gopher_quality, PROSE, &r);
    for (tms_measure_t *m = r.d.measures; m; m = m->next)
        CHECK(strcmp(m->reason, "gopher_short_doc") && strcmp(m->reason, "gopher_enough_stop_words"));
}

/* c4_quality's dropped lines, with their line rule, in the text as it entered */
TEST(c4_removed_lines)
{
    setup("tamis", "default-lang", "en", NULL);
    const char *t = docs[15]; /* PROSE, a javascript line, a policy line, "Menu", "Home | About | Contact" */
    run r;
    check_text(&tms_stage_c4_quality, t, &r);
    CHECK(r.v == TMS_KEEP && r.d.text != t);
    const char *want[][2] = {
        {"Home | About | Contact", "line-filter-no_terminal_punc"},
        {"Menu", "line-filter-no_terminal_punc"},
        {"By using this site you agree to the terms of use and our privacy policy.", "line-filter-policy"},
        {"Please enable JavaScript in your browser to see it.", "line-filter-javascript"},
    };
    tms_removed *x = r.d.removed;
    for (size_t i = 0; i < TMS_ARRAY_LEN(want); i++, x = x ? x->next : NULL) {
        CHECK(x && x->len == strlen(want[i][0]) && !memcmp(x->line, want[i][0], x->len) && !strcmp(x->reason, want[i][1]));
        CHECK(x && x->line >= t && x->line + x->len <= t + strlen(t)); /* in the text itself */
    }
    CHECK(x == NULL);
    /* invalid UTF-8: the stage measures a repaired copy; the record is a copy in the arena */
    const char *bad = docs[20];
    check_text(&tms_stage_c4_quality, bad, &r);
    x = r.d.removed;
    CHECK(x && x->len == strlen("Subscribe to our newsletter") && !memcmp(x->line, "Subscribe to our newsletter", x->len));
    CHECK(x && (x->line < bad || x->line >= bad + strlen(bad)));
}

/* lines: the removed lines, with the stage's per-line reason */
TEST(lines_removed)
{
    setup("tamis", "no-lines-corpus", NULL, NULL);
    const char *t = "Accept all cookies\n"
                    "The river that runs through the old town has been the center of its life for many centuries.\n"
                    "\n"
                    "Share on Facebook\n"
                    "Boats carried grain and wool to the coast, and the mills along its banks turned with the current.\n"
                    "Read more\n";
    /* a threshold between the lines' scores, so that some go and some stay */
    tms_lines_worker *lw;
    CHECK(tms_lines_worker_create(&lw) == TAMIS_OK);
    tms_lines_input in = {t, strlen(t), NULL, 0, "en", 2};
    const float *feat;
    const bool *blank;
    size_t nl;
    CHECK(tms_lines_features(lw, NULL, &in, &feat, &blank, &nl) == TAMIS_OK);
    double z[16];
    size_t nz = 0;
    for (size_t i = 0; i < nl && nz < 16; i++)
        if (!blank[i]) z[nz++] = tms_lines_logodds(feat + i * tms_lines_nfeat());
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < nz; i++) lo = fmin(lo, z[i]), hi = fmax(hi, z[i]);
    CHECK(hi - lo > 1e-3);
    /* the middle of the largest gap */
    double best = 0, cut = (lo + hi) / 2;
    for (size_t i = 0; i < nz; i++) {
        double next = INFINITY;
        for (size_t j = 0; j < nz; j++)
            if (z[j] > z[i] && z[j] < next) next = z[j];
        if (isfinite(next) && next - z[i] > best) best = next - z[i], cut = (z[i] + next) / 2;
    }
    size_t expect = 0;
    for (size_t i = 0; i < nz; i++) expect += z[i] >= cut;
    tms_lines_worker_free(lw);
    CFG.lines_threshold = 1 / (1 + exp(-cut));
    run r;
    check_text(&tms_stage_lines, t, &r);
    CHECK(r.v == TMS_KEEP && expect > 0 && expect < nz);
    size_t n = 0;
    for (tms_removed *x = r.d.removed; x; x = x->next, n++) {
        CHECK(x->line >= t && x->line + x->len <= t + strlen(t) && (x->line == t || x->line[-1] == '\n'));
        CHECK(x->line[x->len] == '\n' || x->line[x->len] == 0);
        CHECK(in_list(tms_lines_reasons, TMS_LINES_NREASONS, x->reason));
        /* the line is not in the kept text */
        char line[200];
        memcpy(line, x->line, x->len);
        line[x->len] = 0;
        CHECK(!strstr(r.d.text, line) || !x->len);
    }
    CHECK(n == expect && r.ctr[1] == expect); /* lines_removed */
    /* everything removed: no_content_left, the lines recorded all the same */
    CFG.lines_threshold = 1e-12;
    check_text(&tms_stage_lines, t, &r);
    CHECK(r.v == TMS_REJECT && !strcmp(r.d.reason, "no_content_left"));
    n = 0;
    for (tms_removed *x = r.d.removed; x; x = x->next) n++;
    CHECK(n == nz);
}

TEST(other_stages)
{
    setup("tamis", NULL);
    run r;
    /* normalize */
    check_text(&tms_stage_normalize, " \t\n\n\x01\n", &r);
    CHECK(r.v == TMS_REJECT && !strcmp(r.d.reason, "empty"));
    /* exact_dedup: the second copy */
    {
        void *g;
        CHECK(tms_stage_exact_dedup.global_create(&CFG, &g) == TAMIS_OK);
        run_doc(&tms_stage_exact_dedup, g, NULL, "same text", 9, true, &r);
        CHECK(r.v == TMS_KEEP && !r.d.measures);
        run_doc(&tms_stage_exact_dedup, g, NULL, "same text", 9, true, &r);
        CHECK(r.v == TMS_REJECT && stage_rule(&tms_stage_exact_dedup, r.d.reason) && !r.d.measures);
        tms_stage_exact_dedup.global_free(g);
    }
    /* language, with --lang: measured against --lang-threshold */
    setup("tamis", "lang", "fr", NULL);
    check_text(&tms_stage_language, PROSE, &r);
    CHECK(r.v == TMS_REJECT && !strcmp(r.d.reason, "language"));
    CHECK(r.d.measures && !strcmp(r.d.measures->reason, "language") && r.d.measures->threshold == CFG.lang_threshold);
    setup("tamis", "lang", "en", NULL);
    check_text(&tms_stage_language, PROSE, &r);
    CHECK(r.v == TMS_KEEP && r.d.measures && r.d.measures->value >= CFG.lang_threshold);
    setup("tamis", NULL); /* without --lang the rule does not run */
    check_text(&tms_stage_language, PROSE, &r);
    CHECK(r.v == TMS_KEEP && !r.d.measures);
}

/* extract: documents flagged as HTML pages */
TEST(extract)
{
    setup("tamis", "max-html-bytes", "100", NULL);
    const char *page = "<!doctype html><html><head><title>T</title></head><body><article><p>"
                       "A paragraph of the article, long enough to be the main content of this small page, with "
                       "several words and a full stop at the end of it.</p></article></body></html>";
    void *w;
    CHECK(tms_stage_extract.worker_create(NULL, &CFG, &w) == TAMIS_OK);
    run r;
    memset(&r, 0, sizeof r);
    doc_init(&r.d, page, strlen(page));
    r.d.rec.is_html = true;
    r.d.collect = true;
    r.d.rec.http_status = 404;
    CHECK(tms_stage_extract.process(w, &r.d, r.ctr, &r.v) == TAMIS_OK);
    CHECK(r.v == TMS_REJECT && !strcmp(r.d.reason, "http_error") && stage_rule(&tms_stage_extract, r.d.reason));
    doc_init(&r.d, page, strlen(page));
    r.d.rec.is_html = true;
    r.d.collect = true;
    r.v = TMS_KEEP;
    CHECK(tms_stage_extract.process(w, &r.d, r.ctr, &r.v) == TAMIS_OK);
    CHECK(r.v == TMS_REJECT && !strcmp(r.d.reason, "too_large"));
    CHECK(r.d.measures && !strcmp(r.d.measures->reason, "too_large") && r.d.measures->value == (double)strlen(page) &&
          r.d.measures->threshold == 100 && r.d.measures->upper && r.d.measures->scale == TMS_SCALE_COUNT);
    tms_stage_extract.worker_free(w);
    setup("tamis", NULL);
    CHECK(tms_stage_extract.worker_create(NULL, &CFG, &w) == TAMIS_OK);
    const char *empty = "<!doctype html><html><head><title>T</title></head><body></body></html>";
    doc_init(&r.d, empty, strlen(empty));
    r.d.rec.is_html = true;
    r.d.collect = true;
    r.v = TMS_KEEP;
    CHECK(tms_stage_extract.process(w, &r.d, r.ctr, &r.v) == TAMIS_OK);
    CHECK(r.v == TMS_REJECT && !strcmp(r.d.reason, "no_main_content"));
    CHECK(r.d.measures && !strcmp(r.d.measures->reason, "too_large") && r.d.measures->value < r.d.measures->threshold);
    tms_stage_extract.worker_free(w);
}

int main(void)
{
    tms_arena_init(&A, 1 << 20);
    make_docs();
    RUN(tables);
    RUN(known_reasons);
    RUN(measure_collect);
    RUN(quality_stages);
    RUN(kept_documents_measured);
    RUN(c4_removed_lines);
    RUN(lines_removed);
    RUN(other_stages);
    RUN(extract);
    tamis_options_free(OPT);
    tms_arena_destroy(&A);
    DONE("test_rules");
}
