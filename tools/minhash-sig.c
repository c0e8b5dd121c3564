/*
 * minhash-sig -- a developer and test tool: MinHash signatures of texts or
 * of given word lists, for tests/golden/minhash.py (bit-for-bit against
 * datatrove's) and for timing. Input rows on stdin, fields separated by a tab,
 * backslash escapes \n \t \\ in the text:
 *   minhash-sig words           "id<TAB>w1<US>w2<US>..." (US = 0x1F)
 *   minhash-sig text spacy_en|spacy_fr|tamis   "id<TAB>text"
 * Output per row: "id<TAB>n_words<TAB>h0 h1 ... h111" (nothing after
 * n_words when there is no signature); with text, also "<TAB>simplified".
 */
#include "core/buf.h"
#include "text/minhash.h"
#include "text/words.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1]) {
            p++;
            *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return (size_t)(o - s);
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "words") && (strcmp(argv[1], "text") || argc < 3))) {
        fprintf(stderr, "usage: minhash-sig words | minhash-sig text spacy_en|spacy_fr|tamis\n");
        return 2;
    }
    bool words_mode = !strcmp(argv[1], "words");
    tms_tokenizer tok = TMS_TOK_TAMIS;
    if (!words_mode) tok = !strcmp(argv[2], "spacy_en") ? TMS_TOK_SPACY_EN : !strcmp(argv[2], "spacy_fr") ? TMS_TOK_SPACY_FR : TMS_TOK_TAMIS;
    static tms_minhash_params P;
    tms_minhash_params_init(&P, 1, 112, 5, TMS_SHINGLE_XXH64);
    tms_buf simple, scratch, joined;
    tms_buf_init(&simple, (size_t)1 << 34);
    tms_buf_init(&scratch, (size_t)1 << 34);
    tms_buf_init(&joined, (size_t)1 << 34);
    tms_spans spans = {0};
    uint64_t sig[TMS_MINHASH_MAX];
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        char *body = tab + 1;
        const char *text;
        spans.n = 0;
        if (words_mode) {
            size_t len = unescape(body);
            tms_buf_reset(&joined);
            for (size_t i = 0, start = 0; i <= len; i++) {
                if (i < len && body[i] != 0x1F) continue;
                if (tms_spans_push(&spans, start, i - start) != TAMIS_OK) return 3;
                start = i + 1;
            }
            if (len == 0) spans.n = 0;
            text = body;
        } else {
            size_t len = unescape(body);
            if (tms_minhash_simplify(body, len, &simple, &scratch) != TAMIS_OK) return 3;
            if (tms_words(tok, simple.data ? simple.data : "", simple.len, &spans) != TAMIS_OK) return 3;
            text = simple.data;
        }
        bool has;
        if (tms_minhash_signature(&P, text, spans.v, spans.n, sig, &has, &scratch) != TAMIS_OK) return 3;
        printf("%s\t%zu\t", line, spans.n);
        for (size_t i = 0; has && i < P.nhashes; i++) printf(i ? " %llu" : "%llu", (unsigned long long)sig[i]);
        if (!words_mode) printf("\t%.*s", (int)simple.len, simple.data ? simple.data : "");
        printf("\n");
    }
    free(line);
    tms_buf_free(&simple);
    tms_buf_free(&scratch);
    tms_buf_free(&joined);
    tms_spans_free(&spans);
    return 0;
}
