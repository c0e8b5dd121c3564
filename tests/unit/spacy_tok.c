/* spacy_tok.c -- unit tests for src/text/spacy.c, the emulation of spaCy
 * 3.8's blank "en"/"fr" tokenizer and sentencizer: hand-checked cases of each
 * rule, robustness (invalid UTF-8, pathological runs, failed allocations,
 * threads), and every document of the golden token files
 * (../shared/golden/tokens_{en,fr}.jsonl.gz, made by datatrove v0.10 with
 * spaCy 3.8.5) when they are there. */
#include "harness.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/json.h"
#include "text/spacy_sents.h"
#include "text/uni.h"
#include "text/words.h"
#include <pthread.h>
#include <zlib.h>

enum { EN = 0, FR = 1 };

/* The words of text equal expect (NULL-terminated)? Prints both if not. */
static int words_are(int fr, const char *text, const char *const *expect)
{
    tms_spans w = {0};
    int ok = tms_spacy_words(fr, text, strlen(text), &w) == TAMIS_OK;
    size_t n = 0;
    while (expect[n]) n++;
    ok = ok && w.n == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = strlen(expect[i]) == w.v[i].len && memcmp(text + w.v[i].off, expect[i], w.v[i].len) == 0;
    if (!ok) {
        fprintf(stderr, "    %s %s ->", fr ? "fr" : "en", text);
        for (size_t i = 0; i < w.n; i++) fprintf(stderr, " [%.*s]", (int)w.v[i].len, text + w.v[i].off);
        fprintf(stderr, "\n    expected:");
        for (size_t i = 0; i < n; i++) fprintf(stderr, " [%s]", expect[i]);
        fprintf(stderr, "\n");
    }
    tms_spans_free(&w);
    return ok;
}
#define WORDS(fr, text, ...) CHECK(words_are(fr, text, (const char *const[]){__VA_ARGS__, NULL}))
#define NO_WORDS(fr, text) CHECK(words_are(fr, text, (const char *const[]){NULL}))

static size_t sentences(int fr, const char *text)
{
    tms_spans scratch = {0};
    size_t count = 0;
    if (tms_spacy_sentences(fr, text, strlen(text), &scratch, &count) != TAMIS_OK) count = (size_t)-1;
    tms_spans_free(&scratch);
    return count;
}

/* ---- English: exceptions, prefixes, suffixes, infixes ---- */

TEST(en_contractions_and_exceptions)
{
    WORDS(EN, "don't", "do", "n't");
    WORDS(EN, "(don't)", "(", "do", "n't", ")");
    WORDS(EN, "can't.", "ca", "n't", ".");
    WORDS(EN, "I'm I’m you're", "I", "'m", "I", "’m", "you", "'re"); /* ’ variants: update_exc */
    WORDS(EN, "gonna cannot", "gon", "na", "can", "not");
    WORDS(EN, "John's", "John", "'s");
    WORDS(EN, "It’s.", "It", "’s", ".");
    WORDS(EN, "U.S. e.g. Ph.D. Mr. Smith", "U.S.", "e.g.", "Ph.D.", "Mr.", "Smith");
    WORDS(EN, "(e.g.,", "(", "e.g.", ",");
    WORDS(EN, "9am 11p.m.", "9", "am", "11", "p.m.");
    WORDS(EN, "and/or w/o 3/4 C++", "and/or", "w/o", "3/4", "C++");
    WORDS(EN, "O'clock rock'n'roll", "O'clock", "rock'n'roll");
    /* "Ill", "its", "well" ... are excluded from the English exceptions */
    WORDS(EN, "Ill its well", "Ill", "its", "well");
}

TEST(en_affixes)
{
    WORDS(EN, "Hello, world!", "Hello", ",", "world", "!");
    WORDS(EN, "10km $100 3.5% US$10 1.5m²", "10", "km", "$", "100", "3.5", "%", "US$", "10", "1.5", "m²");
    WORDS(EN, "\"Other\")", "\"", "Other", "\"", ")");
    WORDS(EN, "...", "...");
    WORDS(EN, "°C.", "°", "C.");   /* the suffix is searched after the prefix */
    WORDS(EN, "5\xc2\xa0km", "5", "km"); /* U+00A0 is whitespace */
    WORDS(EN, "(8) 8) (: <3", "(", "8)", "8)", "(:", "<3");
}

TEST(en_infixes)
{
    WORDS(EN, "well-known e-mail", "well", "-", "known", "e", "-", "mail");
    WORDS(EN, "3-D x--y a—b", "3", "-", "D", "x", "--", "y", "a", "—", "b");
    WORDS(EN, "2024-12-20", "2024", "-", "12", "-", "20");
    WORDS(EN, "New York-based U.K.-based", "New", "York", "-", "based", "U.K.-based");
    WORDS(EN, "end.Start a,b", "end", ".", "Start", "a", ",", "b");
}

TEST(en_urls)
{
    WORDS(EN, "http://example.com/a?b=1.", "http://example.com/a?b=1", ".");
    WORDS(EN, "see www.example.co.uk, user@mail.example.com", "see", "www.example.co.uk", ",",
          "user@mail.example.com");
    WORDS(EN, "8.8.8.8:80/x 10.0.0.1", "8.8.8.8:80/x", "10.0.0.1");
}

/* _apply_special_cases: special cases that affix splitting broke apart are
 * put back together, but not across a space */
TEST(en_special_case_matcher)
{
    WORDS(EN, "Hello:)", "Hello", ":)");
    WORDS(EN, "(Note):", "(", "Note", "):");
    WORDS(EN, "x: )", "x", ":", ")");
    WORDS(EN, "fix\xef\xbf\xbd" "e.", "fix", "\xef\xbf\xbd", "e.");
}

TEST(en_whitespace)
{
    WORDS(EN, "  a  b\n\nc\t", "a", "b", "c");
    NO_WORDS(EN, "");
    NO_WORDS(EN, " \n\t\xc2\xa0\xe3\x80\x80");
}

/* ---- French ---- */

TEST(fr_elision)
{
    WORDS(FR, "l'homme qu'il d’abord jusqu'à", "l'", "homme", "qu'", "il", "d’", "abord", "jusqu'", "à");
    WORDS(FR, "(l'homme)", "(", "l'", "homme", ")");
    WORDS(FR, "l’Europe.", "l’", "Europe", ".");
    WORDS(FR, "aujourd'hui Aujourd’hui", "aujourd'hui", "Aujourd’hui");
    WORDS(FR, "c'est-à-dire", "c'", "est", "-", "à", "-", "dire");
}

TEST(fr_hyphens)
{
    WORDS(FR, "est-ce a-t-il y a-t-il", "est", "-ce", "a", "-t", "-il", "y", "a", "-t", "-il");
    WORDS(FR, "mange-t-il dit-il celui-là vas-y", "mange", "-t", "-il", "dit", "-il", "celui", "-là", "vas", "-",
          "y");
    WORDS(FR, "peut-être rendez-vous, J.-C.", "peut-être", "rendez-vous", ",", "J.", "-C.");
    /* token_match: hyphenated prefixes, compounds, fixed words (ignoring case) */
    WORDS(FR, "porte-parole anti-inflammatoire Saint-Denis grand-mère", "porte-parole", "anti-inflammatoire",
          "Saint-Denis", "grand-mère");
    WORDS(FR, "Pas-de-Calais pet-en-l'air Etats-Unis prud'hommes", "Pas-de-Calais", "pet-en-l'air", "Etats-Unis",
          "prud'hommes");
    WORDS(FR, "l'anti-inflammatoire week-end", "l'", "anti-inflammatoire", "week", "-", "end");
    WORDS(FR, "2024-12-20", "2024", "-", "12", "-", "20");
}

TEST(fr_other)
{
    WORDS(FR, "etc.) M. Dupont n°5 Vol.", "etc.", ")", "M.", "Dupont", "n°", "5", "Vol.");
    WORDS(FR, "compréhension :)Cours", "compréhension", ":)", "Cours");
    WORDS(FR, "4% 10€", "4", "%", "10", "€");
}

/* ---- the fast paths (spacy.c takes most runs by their shape; the general
 * path and these agree with spaCy) ---- */

TEST(shapes)
{
    WORDS(FR, "EST-IL\xe3\x80\x82 est-ce\xe3\x80\x82 km~gonna z'yeutent ch'tiis prud'hommes", "EST-IL\xe3\x80\x82", "est-ce\xe3\x80\x82", "km", "~", "gonna", "z'yeutent", "ch'", "tiis", "prud'hommes");
    WORDS(EN, "_______ [[:\xe2\x80\x8bmorrotskaka|Morrotskaka]] km~g", "_", "_", "_", "_", "_", "_", "_", "[", "[:", "\xe2\x80\x8bmorrotskaka|Morrotskaka", "]", "]", "km", "~", "g");
    WORDS(FR, "l'homme, qu'il. C\xe2\x80\x99" "est-\xc3\xa0-dire \xc2\xabmot\xc2\xbb, grand-m\xc3\xa8re. a-t-il", "l'", "homme", ",", "qu'", "il", ".", "C\xe2\x80\x99", "est", "-", "\xc3\xa0", "-", "dire", "\xc2\xab", "mot", "\xc2\xbb", ",", "grand-m\xc3\xa8re", ".", "a", "-t", "-il");
    WORDS(EN, "don't, it's. John's, rock'n'roll. 90's", "do", "n't", ",", "it", "'s", ".", "John", "'s", ",", "rock'n'roll", ".", "90", "'s");
    WORDS(EN, "3.5km 5km, 10% +5 -5 5+ US$5 $5 5$ (2018). (e.g., Mr., U.S., St.,", "3.5", "km", "5", "km", ",", "10", "%", "+5", "-5", "5", "+", "US$", "5", "$", "5", "5", "$", "(", "2018", ")", ".", "(", "e.g.", ",", "Mr.", ",", "U.S.", ",", "St.", ",");
    WORDS(EN, "A.B. end.Start example.com, user@mail.com 0.0.0 10:30:45 2024-12-20 1,000,000 a.b.c.d", "A.B.", "end", ".", "Start", "example.com", ",", "user@mail.com", "0.0.0", "10:30:45", "2024", "-", "12", "-", "20", "1,000,000", "a.b.c.d");
    WORDS(EN, "caf\xc3\xa9, na\xc3\xafve. \xce\xa9mega foo\xc2\xa0" "bar \xe2\x80\x9cword\xe2\x80\x9d (x) [y], {z}; \"q\"", "caf\xc3\xa9", ",", "na\xc3\xafve", ".", "\xce\xa9mega", "foo", "bar", "\xe2\x80\x9c", "word", "\xe2\x80\x9d", "(", "x", ")", "[", "y", "]", ",", "{", "z", "}", ";", "\"", "q", "\"");
    WORDS(EN, "well-known x-ray,  3-D a-b-c 10-20-30 and/or w/o hello...  ... \xe2\x80\xa6word word\xe2\x80\xa6 x@y.z", "well", "-", "known", "x", "-", "ray", ",", "3", "-", "D", "a", "-", "b", "-", "c", "10", "-", "20", "-", "30", "and/or", "w/o", "hello", "...", "...", "\xe2\x80\xa6", "word", "word", "\xe2\x80\xa6", "x@y.z");
    WORDS(FR, "aujourd'hui jusqu'\xc3\xa0 l'Europe. d'un(e) rendez-vous, peut-\xc3\xaatre. 4% 10\xe2\x82\xac", "aujourd'hui", "jusqu'", "\xc3\xa0", "l'", "Europe", ".", "d'", "un(e", ")", "rendez-vous", ",", "peut-\xc3\xaatre", ".", "4", "%", "10", "\xe2\x82\xac");
}

/* The same text at every offset, then padded: a run's tokens do not depend
 * on where the 64-byte blocks of the scan fall, nor on the text's end. */
TEST(block_alignment)
{
    static const char text[] =
        "Hello, world! The quick (brown) fox--jumped over \"lazy\" dogs. It's 10:30, e.g. 3.5km and/or 50% "
        "caf\xc3\xa9 na\xc3\xafve \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0, \xe4\xbd\xa0\xe5\xa5\xbd\xe3\x80\x82 "
        "\xe1\x80\x80\xe1\x80\x81\xe1\x80\x82 foo\xc2\xa0" "bar \xe2\x80\x83 x\ty\nz "
        "http://example.com/a?b=1. user@mail.example.com supercalifragilisticexpialidocious "
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz, "
        "l'homme qu'il est-ce a-t-il :) <3 \x01\x02ctrl \xff\xfe bad \xe2\x80\x9cquoted\xe2\x80\x9d ... U.S. Mr. "
        "don't can't gonna (e.g., x) [1] {2} 2024-12-20 1,000,000 \xc2\xabmot\xc2\xbb \xe2\x80\xa6 end.";
    size_t n = strlen(text);
    char *buf = malloc(n + 300);
    for (int fr = 0; fr < 2; fr++) {
        tms_spans ref = {0}, w = {0};
        CHECK(tms_spacy_words(fr, text, n, &ref) == TAMIS_OK);
        for (size_t k = 0; k < 140; k++) {
            memset(buf, ' ', k);
            memcpy(buf + k, text, n);
            w.n = 0;
            CHECK(tms_spacy_words(fr, buf, n + k, &w) == TAMIS_OK);
            int same = w.n == ref.n;
            for (size_t i = 0; same && i < w.n; i++)
                same = w.v[i].off == ref.v[i].off + k && w.v[i].len == ref.v[i].len;
            CHECK(same);
        }
        /* every tail of it alone, then followed by spaces */
        for (size_t a = 0; a < n; a += 7) {
            tms_spans t1 = {0}, t2 = {0};
            memcpy(buf, text + a, n - a);
            memset(buf + n - a, ' ', 150);
            CHECK(tms_spacy_words(fr, buf, n - a, &t1) == TAMIS_OK);
            CHECK(tms_spacy_words(fr, buf, n - a + 150, &t2) == TAMIS_OK);
            CHECK(t1.n == t2.n && (t1.n == 0 || memcmp(t1.v, t2.v, t1.n * sizeof *t1.v) == 0));
            tms_spans_free(&t1);
            tms_spans_free(&t2);
        }
        tms_spans_free(&ref);
        tms_spans_free(&w);
    }
    free(buf);
}

/* more special-case candidates ("a" may start "a.") than spacy.c keeps
 * inline, then special cases that affix splitting broke apart */
TEST(many_candidates)
{
    size_t n = 0;
    char *s = malloc(4000);
    for (int i = 0; i < 600; i++) n += (size_t)sprintf(s + n, "a ");
    n += (size_t)sprintf(s + n, "Hello:) (Note):");
    tms_spans w = {0};
    CHECK(tms_spacy_words(EN, s, n, &w) == TAMIS_OK);
    CHECK(w.n == 605);
    if (w.n == 605) {
        CHECK_EQ_STR(s + w.v[601].off, ":)", w.v[601].len);
        CHECK_EQ_STR(s + w.v[604].off, "):", w.v[604].len);
    }
    tms_spans_free(&w);
    free(s);
}

/* ---- the sentencizer ---- */

TEST(sentences)
{
    CHECK(sentences(EN, "Hello world. This is a test! Is it? Yes") == 4);
    CHECK(sentences(EN, "Hello world.") == 1);
    CHECK(sentences(EN, "") == 0);
    CHECK(sentences(EN, " \n ") == 0);
    CHECK(sentences(EN, "Mr. Smith went home.") == 1); /* "Mr." is a token, not "." */
    CHECK(sentences(EN, "He left... Then") == 1);      /* "..." is punctuation, not a sentence end */
    CHECK(sentences(EN, "Wait!!! Really?! Yes.") == 3); /* "!" "!" "!": one suffix at a time */
    CHECK(sentences(EN, "Wait!!!Really") == 1);         /* one token: '!' is no infix */
    CHECK(sentences(EN, "Done. (Really.) Yes") == 3);
    CHECK(sentences(EN, "Go. \"Now.\" Then") == 3); /* the quote after "." stays in the sentence */
    CHECK(sentences(EN, "A. B. C") == 1);             /* "A." is one token: no "." */
    /* a whitespace token after a sentence end starts the next sentence: here
     * it holds the "!" that follows */
    CHECK(sentences(EN, "Hello. \n !") == 2);
    CHECK(sentences(EN, "Hello. !") == 1);
    CHECK(sentences(FR, "Bonjour. Comment ça va ? Bien") == 3);
    CHECK(sentences(EN, "\xe4\xbd\xa0\xe5\xa5\xbd\xe3\x80\x82 \xe5\x86\x8d\xe8\xa7\x81") == 2); /* 。 */

    const char *t = "One. Two.\n\nThree";
    tms_spans scratch = {0}, s = {0};
    CHECK(tms_spacy_sentence_spans(EN, t, strlen(t), &scratch, &s) == TAMIS_OK);
    CHECK(s.n == 3);
    if (s.n == 3) {
        CHECK_EQ_STR(t + s.v[0].off, "One.", s.v[0].len);
        CHECK_EQ_STR(t + s.v[1].off, "Two.", s.v[1].len);
        CHECK_EQ_STR(t + s.v[2].off, "\n\nThree", s.v[2].len); /* the whitespace token starts it */
    }
    tms_spans_free(&scratch);
    tms_spans_free(&s);
}

/* ---- robustness ---- */

static uint64_t rng = 88172645463325252ull;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

/* tokens are in order, inside the text, not empty, not whitespace */
static int spans_sane(const char *s, size_t n, const tms_spans *w)
{
    size_t prev = 0;
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].len == 0 || w->v[i].off < prev || w->v[i].off + w->v[i].len > n) return 0;
        size_t nx;
        if (tms_uni_isspace(tms_uni_next(s, n, w->v[i].off, &nx))) return 0;
        prev = w->v[i].off + w->v[i].len;
    }
    return 1;
}

TEST(random_bytes)
{
    static const char alphabet[] = "aZ9 .,'\"()-:;/?!@#$%&*+=<>[]{}|~^`_\\\n\t\x80\xbf\xc3\xa9\xe2\x80\x99\xf0\x9f";
    char buf[512];
    tms_spans w = {0}, scratch = {0};
    for (int round = 0; round < 3000; round++) {
        size_t n = next_rand() % sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = (next_rand() & 3) ? alphabet[next_rand() % (sizeof alphabet - 1)] : (char)next_rand();
        for (int fr = 0; fr < 2; fr++) {
            w.n = 0;
            CHECK(tms_spacy_words(fr, buf, n, &w) == TAMIS_OK);
            CHECK(spans_sane(buf, n, &w));
            size_t count;
            CHECK(tms_spacy_sentences(fr, buf, n, &scratch, &count) == TAMIS_OK);
            CHECK(count <= scratch.n);
        }
    }
    tms_spans_free(&w);
    tms_spans_free(&scratch);
}

/* long runs without whitespace stay linear (each would be quadratic with a
 * naive prefix loop) */
TEST(pathological_runs)
{
    static const char *const units[] = {"(", ".", "a-", "l'", "@a.", "\xe2\x80\xa6", ":)", "-", "'", "\xc2\xb0"};
    size_t n = 200000;
    char *s = malloc(n + 1);
    tms_spans w = {0};
    for (size_t u = 0; u < TMS_ARRAY_LEN(units); u++) {
        size_t ul = strlen(units[u]), k = 0;
        while (k + ul <= n) memcpy(s + k, units[u], ul), k += ul;
        s[k++] = 'x';
        for (int fr = 0; fr < 2; fr++) {
            w.n = 0;
            CHECK(tms_spacy_words(fr, s, k, &w) == TAMIS_OK);
            CHECK(w.n >= 1 && spans_sane(s, k, &w));
        }
    }
    /* a word wrapped in as many prefixes and suffixes as characters */
    static const size_t lens[] = {100, 127, 128, 200, 300, 1000, 50000};
    for (size_t l = 0; l < TMS_ARRAY_LEN(lens); l++) {
        size_t k = 0;
        for (size_t i = 0; i < lens[l]; i++) s[k++] = '(';
        s[k++] = 'x';
        for (size_t i = 0; i < 2 * lens[l]; i++) s[k++] = i & 1 ? '!' : ')';
        for (int fr = 0; fr < 2; fr++) {
            w.n = 0;
            CHECK(tms_spacy_words(fr, s, k, &w) == TAMIS_OK);
            CHECK(w.n == k && spans_sane(s, k, &w)); /* one token per character */
        }
    }
    free(s);
    tms_spans_free(&w);
}

TEST(allocation_failures)
{
    /* a long span (heap buffers), special-case matches, many tokens */
    size_t n = 0;
    char *s = malloc(70000);
    for (int i = 0; i < 2000; i++) n += (size_t)sprintf(s + n, "Hello:) (Note): x");
    memset(s + n, 'a', 3000), n += 3000;
    tms_spans ref = {0};
    CHECK(tms_spacy_words(EN, s, n, &ref) == TAMIS_OK);
    int failed = 0, done = 0;
    for (uint64_t k = 1; k < 200 && !done; k++) {
        tms_spans w = {0};
        tms_alloc_fail_at(k);
        tamis_status st = tms_spacy_words(EN, s, n, &w);
        done = tms_alloc_fail_armed() != 0; /* the armed failure never fired: no more allocations */
        tms_alloc_fail_at(0);
        if (st == TAMIS_E_NOMEM) failed++;
        else CHECK(st == TAMIS_OK && w.n == ref.n);
        tms_spans_free(&w);
    }
    CHECK(failed > 0 && done);
    free(s);
    tms_spans_free(&ref);
}

static void *thread_main(void *arg)
{
    const char *t = "L'homme est-ce qu'il (e.g. don't) va:) bien?";
    long ok = 1;
    for (int i = 0; i < 200; i++) {
        tms_spans w = {0};
        ok &= tms_spacy_words((int)(long)arg & 1, t, strlen(t), &w) == TAMIS_OK && w.n > 5;
        tms_spans_free(&w);
    }
    return (void *)ok;
}

TEST(threads)
{
    pthread_t th[8];
    for (long i = 0; i < 8; i++) CHECK(pthread_create(&th[i], NULL, thread_main, (void *)i) == 0);
    for (int i = 0; i < 8; i++) {
        void *r = NULL;
        CHECK(pthread_join(th[i], &r) == 0 && r == (void *)1);
    }
}

/* ---- the golden documents ---- */

static char *read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    int r;
    while (buf && (r = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)r;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    gzclose(f);
    *len = n;
    return buf;
}

/* The next JSON string of an array of strings at *p (raw, quotes included). */
static int next_string(const char **p, const char *end, const char **raw, size_t *raw_len)
{
    while (*p < end && **p != '"' && **p != ']') (*p)++;
    if (*p >= end || **p != '"') return 0;
    const char *q = *p + 1;
    while (q < end && *q != '"') q += *q == '\\' ? 2 : 1;
    if (q >= end) return 0;
    *raw = *p;
    *raw_len = (size_t)(q + 1 - *p);
    *p = q + 1;
    return 1;
}

static const char *member(const tms_json_object *o, const char *key, size_t *len)
{
    const tms_json_member *m = tms_json_get(o, key);
    if (!m) return NULL;
    *len = m->val_len;
    return m->val;
}

typedef struct golden_stats {
    int docs, words_same, count_same;
} golden_stats;

static golden_stats golden(const char *dir, const char *lang)
{
    golden_stats g = {0, 0, 0};
    char path[512];
    size_t in_len, tok_len;
    snprintf(path, sizeof path, "%s/input_%s.jsonl.gz", dir, lang);
    char *in = read_gz(path, &in_len);
    snprintf(path, sizeof path, "%s/tokens_%s.jsonl.gz", dir, lang);
    char *tok = read_gz(path, &tok_len);
    CHECK(in && tok);
    if (!in || !tok) goto out;
    tms_arena ain, a; /* the inputs; one reference document */
    tms_arena_init(&ain, 1 << 20);
    tms_arena_init(&a, 1 << 20);
    /* the inputs by id */
    size_t nin = 0, cap = 1024;
    const char **ids = malloc(cap * sizeof *ids), **texts = malloc(cap * sizeof *texts);
    size_t *id_len = malloc(cap * sizeof *id_len), *text_len = malloc(cap * sizeof *text_len);
    for (char *line = in, *end; line < in + in_len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(in + in_len - line));
        if (!end) end = in + in_len;
        tms_json_object o;
        tms_json_error err;
        if (end == line || tms_json_scan_object(line, (size_t)(end - line), 64, &ain, &o, &err) != TAMIS_OK) continue;
        size_t l1, l2;
        const char *id = member(&o, "id", &l1), *text = member(&o, "text", &l2);
        if (!id || !text || nin == cap) continue;
        CHECK(tms_json_decode_string(id, l1, &ain, &ids[nin], &id_len[nin]) == TAMIS_OK);
        CHECK(tms_json_decode_string(text, l2, &ain, &texts[nin], &text_len[nin]) == TAMIS_OK);
        nin++;
    }
    tms_spans w = {0}, scratch = {0};
    for (char *line = tok, *end; line < tok + tok_len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(tok + tok_len - line));
        if (!end) end = tok + tok_len;
        tms_json_object o;
        tms_json_error err;
        if (end == line || tms_json_scan_object(line, (size_t)(end - line), 64, &a, &o, &err) != TAMIS_OK) continue;
        size_t lid, lwords, lsents;
        const char *rid = member(&o, "id", &lid), *words = member(&o, "words", &lwords),
                   *sents = member(&o, "sentences", &lsents);
        const char *id;
        size_t idn;
        if (!rid || !words || !sents || tms_json_decode_string(rid, lid, &a, &id, &idn) != TAMIS_OK) continue;
        size_t k = 0;
        while (k < nin && !(id_len[k] == idn && memcmp(ids[k], id, idn) == 0)) k++;
        CHECK(k < nin);
        if (k == nin) continue;
        g.docs++;
        /* words */
        w.n = 0;
        int same = tms_spacy_words(*lang == 'f', texts[k], text_len[k], &w) == TAMIS_OK;
        const char *p = words, *raw, *dec;
        size_t raw_len, dec_len, i = 0;
        while (same && next_string(&p, words + lwords, &raw, &raw_len)) {
            same = tms_json_decode_string(raw, raw_len, &a, &dec, &dec_len) == TAMIS_OK && i < w.n &&
                   w.v[i].len == dec_len && memcmp(texts[k] + w.v[i].off, dec, dec_len) == 0;
            i++;
        }
        same = same && i == w.n;
        if (!same) fprintf(stderr, "    %s: words differ from token %zu\n", id, i ? i - 1 : 0);
        g.words_same += same;
        /* sentences that are not empty after strip() */
        size_t ref = 0, count = (size_t)-1;
        p = sents;
        while (next_string(&p, sents + lsents, &raw, &raw_len)) {
            if (tms_json_decode_string(raw, raw_len, &a, &dec, &dec_len) != TAMIS_OK) break;
            for (size_t j = 0, nx; j < dec_len; j = nx)
                if (!tms_uni_isspace(tms_uni_next(dec, dec_len, j, &nx))) {
                    ref++;
                    break;
                }
        }
        CHECK(tms_spacy_sentences(*lang == 'f', texts[k], text_len[k], &scratch, &count) == TAMIS_OK);
        if (count != ref) fprintf(stderr, "    %s: %zu sentences, reference %zu\n", id, count, ref);
        g.count_same += count == ref;
        tms_arena_reset(&a);
    }
    tms_spans_free(&w);
    tms_spans_free(&scratch);
    tms_arena_destroy(&a);
    tms_arena_destroy(&ain);
    free(ids), free(texts), free(id_len), free(text_len);
out:
    free(in);
    free(tok);
    return g;
}

TEST(golden_documents)
{
    const char *dir = "../shared/golden";
    gzFile probe = gzopen("../shared/golden/tokens_en.jsonl.gz", "rb");
    if (!probe) {
        printf("SKIP: ../shared/golden absent\n");
        return;
    }
    gzclose(probe);
    golden_stats en = golden(dir, "en"), fr = golden(dir, "fr");
    printf("golden: en %d/%d docs with the same words, %d/%d the same sentence count; "
           "fr %d/%d, %d/%d\n", en.words_same, en.docs, en.count_same, en.docs, fr.words_same, fr.docs,
           fr.count_same, fr.docs);
    CHECK(en.docs == 60 && en.words_same == 60 && en.count_same == 60);
    CHECK(fr.docs == 49 && fr.words_same == 49 && fr.count_same == 49);
}

int main(void)
{
    RUN(en_contractions_and_exceptions);
    RUN(en_affixes);
    RUN(en_infixes);
    RUN(en_urls);
    RUN(en_special_case_matcher);
    RUN(en_whitespace);
    RUN(fr_elision);
    RUN(fr_hyphens);
    RUN(fr_other);
    RUN(shapes);
    RUN(block_alignment);
    RUN(many_candidates);
    RUN(sentences);
    RUN(random_bytes);
    RUN(pathological_runs);
    RUN(allocation_failures);
    RUN(threads);
    RUN(golden_documents);
    DONE("spacy_tok");
}
