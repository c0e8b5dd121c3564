/* stage_normalize.c -- unit tests for src/stage/normalize.c: each rule on
 * hand-made documents, counters, "not copied when already normal", the
 * user's seed document, and random documents against a plain reference
 * implementation of the same rules (NFC of the whole text by utf8proc). */
#include "harness.h"
#include "core/alloc.h"
#include "core/utf8.h"
#include "stage/stage.h"
#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

enum { C_UTF8_REPAIRED, C_CONTROLS_REMOVED, C_NFC_CHANGED, C_DOCS_CHANGED };

static void *W;
static tms_arena A;

typedef struct result {
    tms_verdict v;
    tamis_status st;
    const char *text;
    size_t len;
    bool same_pointer;
    const char *reason;
    uint32_t ctr[8];
} result;

static result run(const char *in, size_t n)
{
    result r;
    memset(&r, 0, sizeof r);
    tms_doc d;
    memset(&d, 0, sizeof d);
    d.rec.text = in;
    d.rec.text_len = n;
    d.text = in;
    d.len = n;
    d.arena = &A;
    d.reject_at = -1;
    r.st = tms_stage_normalize.process(W, &d, r.ctr, &r.v);
    r.text = d.text;
    r.len = d.len;
    r.same_pointer = d.text == in;
    r.reason = d.reason;
    return r;
}

static int norm_is(const char *in, size_t n, const char *want)
{
    result r = run(in, n);
    size_t wl = strlen(want);
    int ok = r.st == TAMIS_OK && r.v == TMS_KEEP && r.len == wl && !memcmp(r.text, want, wl);
    /* the stage copies exactly when the text changes */
    ok &= r.same_pointer == (n == wl && !memcmp(in, want, wl));
    if (!ok) {
        fprintf(stderr, "    got (st %d, v %d, same %d):", r.st, r.v, r.same_pointer);
        for (size_t i = 0; i < r.len && i < 80; i++) fprintf(stderr, " %02x", (unsigned char)r.text[i]);
        fprintf(stderr, "\n    want:");
        for (size_t i = 0; i < wl && i < 80; i++) fprintf(stderr, " %02x", (unsigned char)want[i]);
        fprintf(stderr, "\n");
    }
    return ok;
}
#define NORM(in, want) norm_is(in, sizeof(in) - 1, want)

TEST(stage_table)
{
    CHECK(!strcmp(tms_stage_normalize.name, "normalize"));
    CHECK(tms_stage_normalize.ncounters == 4);
    CHECK(!strcmp(tms_stage_normalize.counter_names[C_UTF8_REPAIRED], "utf8_repaired"));
    CHECK(!strcmp(tms_stage_normalize.counter_names[C_CONTROLS_REMOVED], "controls_removed"));
    CHECK(!strcmp(tms_stage_normalize.counter_names[C_NFC_CHANGED], "nfc_changed"));
    CHECK(!strcmp(tms_stage_normalize.counter_names[C_DOCS_CHANGED], "docs_changed"));
    CHECK(tms_stage_normalize.commit == NULL);
    CHECK(tms_stage_find("normalize", 9) == &tms_stage_normalize);
}

TEST(already_normal_is_not_copied)
{
    CHECK(NORM("Hello, world.", "Hello, world."));
    CHECK(NORM("Two\n\nparagraphs\twith tab", "Two\n\nparagraphs\twith tab"));
    CHECK(NORM("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xea\xb0\x81", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xea\xb0\x81"));
    CHECK(NORM("  leading blanks stay", "  leading blanks stay"));
    CHECK(NORM("\xc2\xa0nbsp is not a blank\xc2\xa0", "\xc2\xa0nbsp is not a blank\xc2\xa0"));
    CHECK(NORM("x\xcc\x85", "x\xcc\x85")); /* a mark that composes with nothing */
    result r = run("plain", 5);
    CHECK(r.ctr[C_DOCS_CHANGED] == 0 && r.ctr[C_NFC_CHANGED] == 0);
}

TEST(invalid_utf8)
{
    CHECK(NORM("a\xff" "b", "a\xef\xbf\xbd" "b"));
    CHECK(NORM("\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd"));
    CHECK(NORM("\xed\xa0\x80!", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!"));
    CHECK(NORM("x\xe2\x82", "x\xef\xbf\xbd"));
    CHECK(NORM("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"));
    result r = run("a\xff\xfe" "b\xc0", 5);
    CHECK(r.ctr[C_UTF8_REPAIRED] == 3 && r.ctr[C_DOCS_CHANGED] == 1);
    /* U+FFFD itself is valid text */
    r = run("\xef\xbf\xbd", 3);
    CHECK(r.same_pointer && r.ctr[C_UTF8_REPAIRED] == 0);
}

TEST(controls_removed)
{
    CHECK(NORM("a\0b", "ab"));
    CHECK(NORM("a\x01\x02\x1f" "b\x7f" "c", "abc"));
    CHECK(NORM("\x0b\x0c" "form feed", "form feed"));
    CHECK(NORM("c1:\xc2\x80\xc2\x85\xc2\x9f.", "c1:."));
    CHECK(NORM("\xc2\xa0kept", "\xc2\xa0kept")); /* U+00A0 is not a control */
    CHECK(NORM("tab\tkept", "tab\tkept"));
    result r = run("a\0b\x01\xc2\x85", 6);
    CHECK(r.ctr[C_CONTROLS_REMOVED] == 3 && r.ctr[C_DOCS_CHANGED] == 1);
    /* a control between a letter and its mark: the mark still composes */
    CHECK(NORM("e\x01\xcc\x81", "\xc3\xa9"));
}

TEST(newlines)
{
    CHECK(NORM("a\r\nb", "a\nb"));
    CHECK(NORM("a\rb", "a\nb"));
    CHECK(NORM("a\r\rb", "a\n\nb"));
    CHECK(NORM("a\n\rb", "a\n\nb"));
    CHECK(NORM("a\r\n\r\n\r\nb", "a\n\nb"));
    CHECK(NORM("a\r", "a"));
    /* 3+ newlines become 2; 2 stay */
    CHECK(NORM("a\n\nb", "a\n\nb"));
    CHECK(NORM("a\n\n\nb", "a\n\nb"));
    CHECK(NORM("a\n\n\n\n\n\n\nb\n\n\n\nc", "a\n\nb\n\nc"));
    /* blank lines (blanks only) count as empty */
    CHECK(NORM("a\n \n\t\n  \nb", "a\n\nb"));
}

TEST(blanks_and_blank_lines)
{
    CHECK(NORM("a  \nb\t\n", "a\nb"));
    CHECK(NORM("a \t \r\nb", "a\nb"));
    CHECK(NORM("end   ", "end"));
    CHECK(NORM("\n\n\nstart", "start"));
    CHECK(NORM("  \n\t\n  x", "  x"));
    CHECK(NORM("x\n\n \n\t", "x"));
    CHECK(NORM("x\n", "x"));
    /* a line's leading blanks are kept */
    CHECK(NORM("a\n  b", "a\n  b"));
    /* blanks after a character NFC works on are trailing blanks too */
    CHECK(NORM("e\xcc\x81  \nx", "\xc3\xa9\nx"));
    CHECK(NORM("e\xcc\x81 \t", "\xc3\xa9"));
    CHECK(NORM("\xe1\x85\xa1  \nx", "\xe1\x85\xa1\nx"));
    CHECK(NORM("x\xcc\x85  ", "x\xcc\x85"));
    /* a dropped blank line, then a line that starts with a mark */
    CHECK(NORM("  \n\xcc\xa3x", "\xcc\xa3x"));
    CHECK(NORM("      \n\xcc\x81", "\xcc\x81"));
    CHECK(NORM("a\n\n      \n\xcc\x81x\ne\xcc\x81", "a\n\n\xcc\x81x\n\xc3\xa9"));
}

TEST(nfc)
{
    CHECK(NORM("Cafe\xcc\x81", "Caf\xc3\xa9"));
    CHECK(NORM("e\xcc\x81t\xc3\xa9", "\xc3\xa9t\xc3\xa9"));
    CHECK(NORM("\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80"));                    /* Hangul L + V */
    CHECK(NORM("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", "\xea\xb0\x81"));        /* L + V + T */
    CHECK(NORM("\xea\xb0\x80\xe1\x86\xa8", "\xea\xb0\x81"));                    /* LV + T */
    CHECK(NORM("\xe2\x84\xab", "\xc3\x85"));                                    /* U+212B */
    CHECK(NORM("a\xcc\x81\xcc\xa3", "\xe1\xba\xa1\xcc\x81"));                   /* reorder, compose */
    CHECK(NORM("x\xcc\x81\xcc\xa3", "x\xcc\xa3\xcc\x81"));                      /* reorder only */
    CHECK(NORM("x\xcc\x85\xcc\x96", "x\xcc\x96\xcc\x85"));                      /* marks of class 230, 220 */
    /* Czech and Polish written decomposed (second halves of composites below U+0300) */
    CHECK(NORM("c\xcc\x8c" "e\xcc\x8c" "z\xcc\x8c", "\xc4\x8d\xc4\x9b\xc5\xbe"));
    CHECK(NORM("A\xcc\xa8", "\xc4\x84"));
    CHECK(NORM("O\xcc\x9b", "\xc6\xa0"));
    CHECK(NORM("s\xcc\xa6", "\xc8\x99"));
    CHECK(NORM("\xe3\x81\x8b\xe3\x82\x99", "\xe3\x81\x8c"));                    /* か + U+3099 -> が */
    /* a mark at the start of the text or of a line has nothing to compose with */
    CHECK(NORM("\xcc\x81x", "\xcc\x81x"));
    CHECK(NORM("e\n\xcc\x81", "e\n\xcc\x81"));
    result r = run("e\xcc\x81 and e\xcc\x81", 11);
    CHECK(r.ctr[C_NFC_CHANGED] >= 1 && r.ctr[C_DOCS_CHANGED] == 1);
}

TEST(empty_rejected)
{
    const char *empties[] = {"", " ", "\n", "\r\n\r\n", " \t \n\t\n   ", "\x01\x02", "\xc2\x85\n"};
    for (size_t i = 0; i < TMS_ARRAY_LEN(empties); i++) {
        result r = run(empties[i], strlen(empties[i]));
        CHECK(r.st == TAMIS_OK && r.v == TMS_REJECT && r.reason && !strcmp(r.reason, "empty"));
    }
    result r = run("\0", 1);
    CHECK(r.v == TMS_REJECT);
    /* a replacement character is not empty */
    r = run("\xff", 1);
    CHECK(r.v == TMS_KEEP && r.len == 3);
}

TEST(big_document)
{
    /* past the buffers' first sizes, with work at both ends and in the middle */
    size_t n = 3 << 20;
    char *in = malloc(n);
    for (size_t i = 0; i < n; i++) in[i] = (char)('a' + i % 26);
    for (size_t i = 1000; i < n; i += 1000) in[i] = '\n';
    memcpy(in + n / 2, "e\xcc\x81  \r\n", 7);
    in[0] = '\x01';
    in[n - 1] = ' ';
    result r = run(in, n);
    CHECK(r.st == TAMIS_OK && r.v == TMS_KEEP && !r.same_pointer);
    CHECK(r.len == n - 1 - 1 - 1 - 2 - 1); /* \x01, the composed mark, two blanks, \r, final blank */
    CHECK(r.text[0] == 'b' && r.ctr[C_CONTROLS_REMOVED] == 1 && r.ctr[C_NFC_CHANGED] >= 1);
    CHECK(memchr(r.text, '\r', r.len) == NULL);
    free(in);
}

TEST(seed_document_unchanged)
{
    const char *path = "../shared/seed/000_5b2c931548e4c558.txt";
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("stage_normalize: %s not found, seed test skipped\n", path);
        return;
    }
    char *buf = malloc(1 << 20);
    size_t n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    CHECK(n > 1000);
    result r = run(buf, n);
    CHECK(r.st == TAMIS_OK && r.v == TMS_KEEP);
    CHECK(r.same_pointer && r.len == n);
    CHECK(r.ctr[C_DOCS_CHANGED] == 0 && r.ctr[C_UTF8_REPAIRED] == 0 && r.ctr[C_CONTROLS_REMOVED] == 0);
    free(buf);
}

/* ---- the reference: the rules of the README applied one after another ---- */

static char *reference(const char *in, size_t n, size_t *out_len)
{
    tms_buf rep;
    tms_buf_init(&rep, SIZE_MAX / 8);
    if (tms_utf8_append_repaired(&rep, in, n, NULL) != TAMIS_OK || tms_buf_add(&rep, "", 0) != TAMIS_OK) abort();
    /* controls out, CR LF and CR to LF */
    char *c = malloc(rep.len + 1);
    size_t cl = 0;
    for (size_t i = 0; i < rep.len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const uint8_t *)rep.data + i, (utf8proc_ssize_t)(rep.len - i), &cp);
        if (k <= 0) abort();
        if (cp == '\r') {
            c[cl++] = '\n';
            i += (i + 1 < rep.len && rep.data[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        bool ctrl = (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
        if (!ctrl) memcpy(c + cl, rep.data + i, (size_t)k), cl += (size_t)k;
        i += (size_t)k;
    }
    tms_buf_free(&rep);
    /* NFC of the whole text */
    uint8_t *nfc = NULL;
    utf8proc_ssize_t m = utf8proc_map((const uint8_t *)c, (utf8proc_ssize_t)cl, &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    free(c);
    if (m < 0) abort();
    /* lines: trailing blanks off; at most one empty line between lines; none at the ends */
    char *o = malloc((size_t)m + 1);
    size_t ol = 0;
    int pending = 0; /* newlines owed before the next non-empty line */
    bool any = false;
    for (utf8proc_ssize_t i = 0; i <= m;) {
        utf8proc_ssize_t j = i;
        while (j < m && nfc[j] != '\n') j++;
        utf8proc_ssize_t e = j;
        while (e > i && (nfc[e - 1] == ' ' || nfc[e - 1] == '\t')) e--;
        if (e > i) {
            if (any) {
                int nl = pending > 2 ? 2 : pending;
                for (int k = 0; k < nl; k++) o[ol++] = '\n';
            }
            memcpy(o + ol, nfc + i, (size_t)(e - i));
            ol += (size_t)(e - i);
            any = true;
            pending = 0;
        }
        pending++;
        i = j + 1;
    }
    free(nfc);
    *out_len = ol;
    return o;
}

TEST(random_documents_match_reference)
{
    static const char *const tok[] = {
        "a", "e", "x", "Z", " ", "  ", "\t", "\n", "\n", "\r", "\r\n", "\0", "\x01", "\x7f", "\xc2\x85",
        "\xc2\xa0", "\xc3\xa9", "e\xcc\x81", "\xcc\x81", "\xcc\xa3", "\xcc\x85", "\xcc\x96", "\xcc\xa8", "\xcc\x8c",
        "\xcc\x9b", "\xe1\x84\x80", "\xe1\x85\xa1", "\xe1\x86\xa8", "\xea\xb0\x80", "\xe2\x84\xab", "\xe0\xa5\x98",
        "\xe0\xa4\xbc", "\xe3\x81\x8b", "\xe3\x82\x99", "\xff", "\xe2\x82", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
        "\xe1\xba\xa1", "\xc6\xa0", "\xe0\xad\x87", "\xe0\xac\xbe", "\xe2\x80\x8b", "\xef\xbf\xbd", "\xd7\x90",
        "\xd6\xb8", "\xd6\xbc"};
    /* the NUL token has length 1 */
    size_t tl[TMS_ARRAY_LEN(tok)];
    for (size_t i = 0; i < TMS_ARRAY_LEN(tok); i++) tl[i] = tok[i][0] ? strlen(tok[i]) : 1;
    uint32_t x = 12345;
    int bad = 0;
    char in[1024];
    for (int doc = 0; doc < 20000; doc++) {
        size_t n = 0;
        x = x * 1103515245u + 12345u;
        int ntok = 1 + (int)((x >> 16) % 24);
        for (int t = 0; t < ntok; t++) {
            x = x * 1103515245u + 12345u;
            size_t k = (x >> 16) % TMS_ARRAY_LEN(tok);
            memcpy(in + n, tok[k], tl[k]);
            n += tl[k];
        }
        size_t wl;
        char *want = reference(in, n, &wl);
        result r = run(in, n);
        bool ok = r.st == TAMIS_OK;
        if (wl == 0) ok &= r.v == TMS_REJECT;
        else ok &= r.v == TMS_KEEP && r.len == wl && !memcmp(r.text, want, wl);
        if (!ok && bad++ < 3) {
            fprintf(stderr, "    input:");
            for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", (unsigned char)in[i]);
            fprintf(stderr, "\n    got:  ");
            for (size_t i = 0; i < r.len; i++) fprintf(stderr, " %02x", (unsigned char)r.text[i]);
            fprintf(stderr, "\n    want: ");
            for (size_t i = 0; i < wl; i++) fprintf(stderr, " %02x", (unsigned char)want[i]);
            fprintf(stderr, "\n");
        }
        free(want);
        if (doc % 1000 == 999) tms_arena_reset(&A);
    }
    CHECK(bad == 0);
}

TEST(no_memory)
{
    /* the copy into the arena fails */
    tms_arena small;
    tms_arena_init(&small, 64);
    tms_doc d;
    memset(&d, 0, sizeof d);
    d.text = "a\r\nb";
    d.len = 4;
    d.arena = &small;
    uint32_t ctr[8] = {0};
    tms_verdict v;
    tms_alloc_fail_at(1);
    CHECK(tms_stage_normalize.process(W, &d, ctr, &v) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    tms_arena_destroy(&small);
    /* a worker whose buffer cannot grow */
    void *w2 = NULL;
    tms_alloc_fail_at(1);
    CHECK(tms_stage_normalize.worker_create(NULL, NULL, &w2) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    CHECK(tms_stage_normalize.worker_create(NULL, NULL, &w2) == TAMIS_OK);
    d.text = "fine";
    d.len = 4;
    d.arena = &A;
    tms_alloc_fail_at(1);
    CHECK(tms_stage_normalize.process(w2, &d, ctr, &v) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    CHECK(tms_stage_normalize.process(w2, &d, ctr, &v) == TAMIS_OK && v == TMS_KEEP);
    tms_stage_normalize.worker_free(w2);
    tms_stage_normalize.worker_free(NULL);
}

int main(void)
{
    tms_arena_init(&A, 1 << 16);
    if (tms_stage_normalize.worker_create(NULL, NULL, &W) != TAMIS_OK) return 1;
    RUN(stage_table);
    RUN(already_normal_is_not_copied);
    RUN(invalid_utf8);
    RUN(controls_removed);
    RUN(newlines);
    RUN(blanks_and_blank_lines);
    RUN(nfc);
    RUN(empty_rejected);
    RUN(big_document);
    RUN(seed_document_unchanged);
    RUN(random_documents_match_reference);
    RUN(no_memory);
    tms_stage_normalize.worker_free(W);
    tms_arena_destroy(&A);
    DONE("stage_normalize");
}
