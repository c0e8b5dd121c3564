/* tokenizers.c -- unit tests for src/text/nltk.c (NLTK word_tokenize and
 * sent_tokenize, checked on examples from NLTK's documentation and doctests),
 * src/text/tamis_tok.c (the script-aware splitter) and src/text/stopwords.c.
 * Expected words are the original text of each span: where NLTK prints ``
 * or '' for a '"', the span is the '"'. */
#include "harness.h"
#include "core/alloc.h"
#include "text/stopwords.h"
#include "text/uni.h"
#include "text/words.h"

/* words of s are exactly the NULL-terminated list want */
static int words_are(tms_tokenizer t, const char *s, const char *const *want)
{
    tms_spans sp = {0};
    size_t n = strlen(s), k = 0;
    int ok = tms_words(t, s, n, &sp) == TAMIS_OK;
    for (; ok && want[k]; k++) {
        if (k >= sp.n || strlen(want[k]) != sp.v[k].len || memcmp(s + sp.v[k].off, want[k], sp.v[k].len)) ok = 0;
    }
    if (ok && k != sp.n) ok = 0;
    if (!ok) {
        fprintf(stderr, "    %s\n    got:", s);
        for (size_t i = 0; i < sp.n; i++) fprintf(stderr, " [%.*s]", (int)sp.v[i].len, s + sp.v[i].off);
        fprintf(stderr, "\n");
    }
    tms_spans_free(&sp);
    return ok;
}

static size_t sentences(tms_tokenizer t, const char *s)
{
    tms_spans scratch = {0};
    size_t c = 0;
    if (tms_sentences(t, s, strlen(s), &scratch, &c) != TAMIS_OK) c = (size_t)-1;
    tms_spans_free(&scratch);
    return c;
}

#define W(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---------------- NLTK: nltk/test/tokenize.doctest ---------------- */

TEST(nltk_treebank_doctest)
{
    CHECK(words_are(TMS_TOK_NLTK,
                    "On a $50,000 mortgage of 30 years at 8 percent, the monthly payment would be $366.88.",
                    W("On", "a", "$", "50,000", "mortgage", "of", "30", "years", "at", "8", "percent", ",", "the",
                      "monthly", "payment", "would", "be", "$", "366.88", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "\"We beat some pretty good teams to get here,\" Slocum said.",
                    W("\"", "We", "beat", "some", "pretty", "good", "teams", "to", "get", "here", ",", "\"",
                      "Slocum", "said", ".")));
    CHECK(words_are(TMS_TOK_NLTK,
                    "Well, we couldn't have this predictable, cliche-ridden, \"Touched by an Angel\" (a show "
                    "creator John Masius worked on) wanna-be if she didn't.",
                    W("Well", ",", "we", "could", "n't", "have", "this", "predictable", ",", "cliche-ridden", ",",
                      "\"", "Touched", "by", "an", "Angel", "\"", "(", "a", "show", "creator", "John", "Masius",
                      "worked", "on", ")", "wanna-be", "if", "she", "did", "n't", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "I cannot cannot work under these conditions!",
                    W("I", "can", "not", "can", "not", "work", "under", "these", "conditions", "!")));
    CHECK(words_are(TMS_TOK_NLTK, "The company spent 40.75% of its income last year.",
                    W("The", "company", "spent", "40.75", "%", "of", "its", "income", "last", "year", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "He arrived at 3:00 pm.", W("He", "arrived", "at", "3:00", "pm", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "I bought these items: books, pencils, and pens.",
                    W("I", "bought", "these", "items", ":", "books", ",", "pencils", ",", "and", "pens", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "Though there were 150, 100 of them were old.",
                    W("Though", "there", "were", "150", ",", "100", "of", "them", "were", "old", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "There were 300,000, but that wasn't enough.",
                    W("There", "were", "300,000", ",", "but", "that", "was", "n't", "enough", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "It's more'n enough.", W("It", "'s", "more", "'n", "enough", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "\xc2\xabNow that I can do.\xc2\xbb",
                    W("\xc2\xab", "Now", "that", "I", "can", "do", ".", "\xc2\xbb")));
    CHECK(words_are(TMS_TOK_NLTK,
                    "The unicode 201C and 201D \xe2\x80\x9cLEFT(RIGHT) DOUBLE QUOTATION MARK\xe2\x80\x9d is also "
                    "OPEN_PUNCT and CLOSE_PUNCT.",
                    W("The", "unicode", "201C", "and", "201D", "\xe2\x80\x9c", "LEFT", "(", "RIGHT", ")", "DOUBLE",
                      "QUOTATION", "MARK", "\xe2\x80\x9d", "is", "also", "OPEN_PUNCT", "and", "CLOSE_PUNCT", ".")));
    /* the span doctest: '' turned into `` and " into '' keep their own text */
    CHECK(words_are(TMS_TOK_NLTK,
                    "I said, \"I'd like to buy some ''good muffins\" which cost $3.88\n each in New (York).\"",
                    W("I", "said", ",", "\"", "I", "'d", "like", "to", "buy", "some", "''", "good", "muffins", "\"",
                      "which", "cost", "$", "3.88", "each", "in", "New", "(", "York", ")", ".", "\"")));
}

TEST(nltk_word_tokenize_uses_punkt)
{
    /* nltk/tokenize/__init__.py and tokenize.doctest */
    CHECK(words_are(TMS_TOK_NLTK, "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\n\nThanks.",
                    W("Good", "muffins", "cost", "$", "3.88", "in", "New", "York", ".", "Please", "buy", "me",
                      "two", "of", "them", ".", "Thanks", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "I called Dr. Jones. I called Dr. Jones.",
                    W("I", "called", "Dr.", "Jones", ".", "I", "called", "Dr.", "Jones", ".")));
    CHECK(words_are(TMS_TOK_NLTK,
                    "Ich muss unbedingt daran denken, Mehl, usw. fur einen Kuchen einzukaufen. Ich muss.",
                    W("Ich", "muss", "unbedingt", "daran", "denken", ",", "Mehl", ",", "usw", ".", "fur", "einen",
                      "Kuchen", "einzukaufen", ".", "Ich", "muss", ".")));
    CHECK(words_are(TMS_TOK_NLTK, "We'll see... Wait!!! It's 5 p.m. The end.",
                    W("We", "'ll", "see", "...", "Wait", "!", "!", "!", "It", "'s", "5", "p.m", ".", "The", "end",
                      ".")));
    /* NLTK 3.8.1: a clitic before a tab is not split (FineWeb's behaviour) */
    CHECK(words_are(TMS_TOK_NLTK, "he's\tgood, isn't he?", W("he's", "good", ",", "is", "n't", "he", "?")));
    CHECK(words_are(TMS_TOK_NLTK, "", W(NULL)));
    CHECK(words_are(TMS_TOK_NLTK, " \n\t ", W(NULL)));
}

TEST(nltk_sentences_punkt_doctest)
{
    /* punkt.py's module doctest */
    CHECK(sentences(TMS_TOK_NLTK, "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark "
                                  "sentence boundaries.  And sometimes sentences\ncan start with non-capitalized "
                                  "words.  i is a good variable\nname.") == 3);
    CHECK(sentences(TMS_TOK_NLTK, "(How does it deal with this parenthesis?)  \"It should be part of the\n"
                                  "previous sentence.\" \"(And the same with this one.)\" ('And this one!')\n"
                                  "\"('(And (this)) '?)\" [(and this. )]") == 6);
    /* tokenize.doctest */
    CHECK(sentences(TMS_TOK_NLTK, "See Section 3).  Or Section 2).  ") == 2);
    CHECK(sentences(TMS_TOK_NLTK, ". This input starts with a dot. This used to cause issues.") == 3);
    CHECK(sentences(TMS_TOK_NLTK, "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\n\nThanks.") ==
          3);
    CHECK(sentences(TMS_TOK_NLTK, "") == 0);
    CHECK(sentences(TMS_TOK_NLTK, "   \n ") == 0);
    CHECK(sentences(TMS_TOK_NLTK, "no final stop") == 1);
    /* the hand-written model: abbreviations, initials, starters */
    CHECK(sentences(TMS_TOK_NLTK, "It costs 5 dollars etc. The shop is closed.") == 2);
    CHECK(sentences(TMS_TOK_NLTK, "Ask Acme Inc. Smith knows.") == 1);
    CHECK(sentences(TMS_TOK_NLTK, "Use e.g. this one. Then stop.") == 2);
}

TEST(nltk_bad_bytes_and_edges)
{
    /* invalid UTF-8, NULs, lone marks: no crash, spans inside the text */
    static const char bad[] = "\xff\xfe abc\x80. \"\xe2\x80 ''x\xc2\" \0'\0s --- ``` (\xe2\x80\x9c";
    tms_spans sp = {0}, sc = {0};
    size_t n = sizeof bad - 1, c = 0;
    CHECK(tms_words(TMS_TOK_NLTK, bad, n, &sp) == TAMIS_OK);
    for (size_t i = 0; i < sp.n; i++) CHECK(sp.v[i].len > 0 && sp.v[i].off + sp.v[i].len <= n);
    CHECK(tms_sentences(TMS_TOK_NLTK, bad, n, &sc, &c) == TAMIS_OK);
    CHECK(tms_words(TMS_TOK_TAMIS, bad, n, &sp) == TAMIS_OK);
    for (size_t i = 0; i < sp.n; i++) CHECK(sp.v[i].len > 0 && sp.v[i].off + sp.v[i].len <= n);
    CHECK(tms_sentences(TMS_TOK_TAMIS, bad, n, &sc, &c) == TAMIS_OK);
    /* one long sentence (heap working memory) and many short ones */
    size_t big = 200000;
    char *t = tms_malloc(big);
    for (size_t i = 0; i < big; i++) t[i] = "ab 'c,d\". "[i % 10];
    CHECK(tms_words(TMS_TOK_NLTK, t, big, &sp) == TAMIS_OK && sp.n > big / 10);
    CHECK(tms_sentences(TMS_TOK_NLTK, t, big, &sc, &c) == TAMIS_OK && c > 1000);
    tms_free(t);
    /* an allocation failure is reported, not a crash */
    char u[8000];
    for (size_t i = 0; i < sizeof u; i++) u[i] = "x, y. "[i % 6];
    tms_spans fresh = {0};
    tms_alloc_fail_at(1);
    CHECK(tms_words(TMS_TOK_NLTK, u, sizeof u, &fresh) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    tms_spans_free(&fresh);
    tms_spans_free(&sp);
    tms_spans_free(&sc);
}

/* ---------------- tamis ---------------- */

TEST(tamis_latin)
{
    CHECK(words_are(TMS_TOK_TAMIS, "Don't stop-believing, it's 3.14 and 1,000! Really...",
                    W("Don't", "stop-believing", ",", "it's", "3.14", "and", "1,000", "!", "Really", "...")));
    /* French elision stays one word (documented in tamis_tok.c) */
    CHECK(words_are(TMS_TOK_TAMIS, "L'homme qu'on aime aujourd\xe2\x80\x99hui.",
                    W("L'homme", "qu'on", "aime", "aujourd\xe2\x80\x99hui", ".")));
    CHECK(words_are(TMS_TOK_TAMIS, "a-b -c d- x'y 'q' 3-4 3.a 1,2,3, snake_case",
                    W("a-b", "-", "c", "d", "-", "x'y", "'", "q", "'", "3", "-", "4", "3", ".", "a", "1,2,3", ",",
                      "snake", "_", "case")));
    CHECK(words_are(TMS_TOK_TAMIS, "Wait... what?!! --- ok", W("Wait", "...", "what", "?", "!!", "---", "ok")));
    CHECK(words_are(TMS_TOK_TAMIS, "\xc2\xab" "Bonjour\xc2\xbb, dit-il.",
                    W("\xc2\xab", "Bonjour", "\xc2\xbb", ",", "dit-il", ".")));
    CHECK(words_are(TMS_TOK_TAMIS, "", W(NULL)));
}

TEST(tamis_scripts)
{
    CHECK(words_are(TMS_TOK_TAMIS, "Привет, мир! Как дела?", W("Привет", ",", "мир", "!", "Как", "дела", "?")));
    CHECK(words_are(TMS_TOK_TAMIS, "Καλημέρα κόσμε.", W("Καλημέρα", "κόσμε", ".")));
    /* Arabic with its vowel marks; Persian with ZWNJ inside a word */
    CHECK(words_are(TMS_TOK_TAMIS, "مَرْحَبًا بالعالم", W("مَرْحَبًا", "بالعالم")));
    CHECK(words_are(TMS_TOK_TAMIS, "روزنامه\xe2\x80\x8cنگار و", W("روزنامه\xe2\x80\x8cنگار", "و")));
    CHECK(words_are(TMS_TOK_TAMIS, "שלום עולם", W("שלום", "עולם")));
    CHECK(words_are(TMS_TOK_TAMIS, "नमस्ते दुनिया।", W("नमस्ते", "दुनिया", "।")));
    CHECK(words_are(TMS_TOK_TAMIS, "你好世界", W("你", "好", "世", "界")));
    CHECK(words_are(TMS_TOK_TAMIS, "你好，世界。", W("你", "好", "，", "世", "界", "。")));
    CHECK(words_are(TMS_TOK_TAMIS, "2024年の東京", W("2024", "年", "の", "東", "京")));
    /* Kanji one by one, a Hiragana run, a Katakana run with ー */
    CHECK(words_are(TMS_TOK_TAMIS, "私はコーヒーを飲みます。すごーい",
                    W("私", "は", "コーヒー", "を", "飲", "みます", "。", "すごーい")));
    CHECK(words_are(TMS_TOK_TAMIS, "ｶﾀｶﾅ", W("ｶﾀｶﾅ")));
    CHECK(words_are(TMS_TOK_TAMIS, "안녕하세요 세계. 잘 지내요?", W("안녕하세요", "세계", ".", "잘", "지내요", "?")));
    /* Thai: a run of letters and marks is one word (no segmenter) */
    CHECK(words_are(TMS_TOK_TAMIS, "สวัสดีครับ ผมชื่อ", W("สวัสดีครับ", "ผมชื่อ")));
}

TEST(tamis_symbols_and_emoji)
{
    /* variation selector, skin tone, ZWJ family, two flags, keycap */
    CHECK(words_are(TMS_TOK_TAMIS,
                    "I \xe2\x9d\xa4\xef\xb8\x8f NY \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd "
                    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 "
                    "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa 1\xef\xb8\x8f\xe2\x83\xa3",
                    W("I", "\xe2\x9d\xa4\xef\xb8\x8f", "NY", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
                      "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
                      "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa", "1\xef\xb8\x8f\xe2\x83\xa3")));
    CHECK(words_are(TMS_TOK_TAMIS, "a+b=c $5 50% \xe2\x82\xac" "3",
                    W("a", "+", "b", "=", "c", "$", "5", "50", "%", "\xe2\x82\xac", "3")));
    /* invisible format characters are never words */
    CHECK(words_are(TMS_TOK_TAMIS, "\xe2\x80\x8b x \xc2\xad", W("x")));
}

TEST(tamis_sentences)
{
    CHECK(sentences(TMS_TOK_TAMIS, "Hello world. How are you? Fine!") == 3);
    CHECK(sentences(TMS_TOK_TAMIS, "Pi is 3.14 and e.g. this. See example.com today") == 3);
    CHECK(sentences(TMS_TOK_TAMIS, "\xc2\xab" "Bonjour.\xc2\xbb Dit-il. (Oui.) Non") == 4);
    CHECK(sentences(TMS_TOK_TAMIS, "你好。我很好！谢谢") == 3);
    CHECK(sentences(TMS_TOK_TAMIS, "line one\nline two\n\n  \nline three") == 3);
    CHECK(sentences(TMS_TOK_TAMIS, "Wait... what?!") == 2);
    CHECK(sentences(TMS_TOK_TAMIS, "") == 0);
    CHECK(sentences(TMS_TOK_TAMIS, " \n \n") == 0);
    CHECK(sentences(TMS_TOK_TAMIS, "नमस्ते। दुनिया।") == 2);
}

/* ---------------- the fast paths ----------------
 * The splitters take 16 or 64 bytes at a time where they can (bit masks,
 * SSE2) and go character by character elsewhere (a text under 64 bytes
 * gets its words that way): a fragment gives the same result alone and
 * after padding that moves it across the blocks' boundaries. */

/* words of t over s[0..n), as offsets and lengths */
static int spans_of(tms_tokenizer t, const char *s, size_t n, tms_spans *sp)
{
    sp->n = 0;
    return tms_words(t, s, n, sp) == TAMIS_OK;
}

/* "x x x ... " (pad bytes and a space, every offset), frag, and for tamis
 * " y y ..." (after = 1): the words are the x's, frag's and the y's */
static int same_words_padded(tms_tokenizer t, const char *frag, size_t flen, int after)
{
    tms_spans one = {0}, many = {0};
    char buf[1024];
    int ok = flen < 64 && spans_of(t, frag, flen, &one);
    for (size_t pad = 0; ok && pad <= 140; pad++) {
        size_t k = 0;
        for (; k < pad; k++) buf[k] = k % 2 ? ' ' : 'x';
        buf[k++] = ' ';
        memcpy(buf + k, frag, flen);
        size_t n = k + flen, ny = 0;
        if (after)
            for (; ny < 60; ny++) buf[n++] = ' ', buf[n++] = 'y';
        size_t nx = (pad + 1) / 2;
        ok = spans_of(t, buf, n, &many) && many.n == nx + one.n + ny;
        for (size_t i = 0; ok && i < many.n; i++) {
            tms_span w = many.v[i];
            if (i < nx) ok = w.off == 2 * i && w.len == 1;
            else if (i < nx + one.n) ok = w.off == k + one.v[i - nx].off && w.len == one.v[i - nx].len;
            else ok = w.len == 1 && buf[w.off] == 'y';
        }
        if (!ok) fprintf(stderr, "    differs after %zu bytes of padding: %.*s\n", pad, (int)flen, frag);
    }
    tms_spans_free(&one);
    tms_spans_free(&many);
    return ok;
}

#define SAME_PADDED(t, lit, after) CHECK(same_words_padded((t), (lit), sizeof(lit) - 1, (after)))

/* the same for tamis's sentences: "x\n" lines before, "\ny" lines after */
static int same_sentences_padded(const char *frag, size_t flen)
{
    tms_spans scratch = {0};
    char buf[1024];
    size_t c1 = 0, c2 = 0;
    int ok = flen < 64 && tms_sentences(TMS_TOK_TAMIS, frag, flen, &scratch, &c1) == TAMIS_OK;
    for (size_t pad = 0; ok && pad <= 70; pad++) {
        size_t k = 0, n;
        for (; k < 2 * pad; k++) buf[k] = k % 2 ? '\n' : 'x';
        memcpy(buf + k, frag, flen);
        n = k + flen;
        for (size_t i = 0; i < 40; i++) buf[n++] = '\n', buf[n++] = 'y';
        ok = tms_sentences(TMS_TOK_TAMIS, buf, n, &scratch, &c2) == TAMIS_OK && c2 == pad + c1 + 40;
        if (!ok) fprintf(stderr, "    %zu sentences, not %zu, after %zu lines: %.*s\n", c2, pad + c1 + 40, pad, (int)flen, frag);
    }
    tms_spans_free(&scratch);
    return ok;
}

#define SAME_SENTENCES_PADDED(lit) CHECK(same_sentences_padded((lit), sizeof(lit) - 1))

/* fragments with every edge of the splitters (each under 64 bytes) */
static const char *const TAMIS_EDGES[] = {
    "don't rock'n'roll well-known 3.14 1,000 x'y 'q' 3-4 3.a",
    "a-b -c d- 1,2,3, snake_case __ '' -- a--b a''b 9.-1 z.,.",
    "Wait... what?!! --- ok \"quoted\" (paren) [x]{y}<z>",
    "L'homme qu'on aime aujourd\xe2\x80\x99hui. don\xe2\x80\x99t 3\xe2\x80\x99s",
    "x\xe2\x80\x99-y a\xe2\x80\x90" "b c\xe2\x80\x91" "d e\xe2\x80\x99\xe2\x80\x99" "f \xe2\x80\x99g",
    "caf\xc3\xa9 na\xc3\xafve \xc3\x85ngstr\xc3\xb6m Stra\xc3\x9f" "e se\xc3\xb1or \xc3\x97 \xc3\xb7x",
    "e\xcc\x81te\xcc\x81 1\xcc\x81.2 a\xcc\x81-b \xcc\x81x 1\xcc\x81x a\xcc\x81'b 2\xcc\x81,3",
    "\xc2\xa0x\xc2\xa0\xc2\xa0y a\xe2\x80\x83" "b c\xe3\x80\x80" "d e\xc2\x85" "f g\xe1\x9a\x80h",
    "\xd9\x85\xd9\x8e\xd8\xb1\xd9\x92\xd8\xad\xd9\x8e\xd8\xa8\xd9\x8b\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84 "
    "\xd8\xb1\xd9\x88\xd8\xb2\xe2\x80\x8c\xd9\x86\xda\xaf\xd8\xa7\xd8\xb1",
    "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87 \xe0\xa5\xa4 "
    "\xd9\xa1\xd9\xa2\xd9\xa3 \xc2\xb2\xc2\xb3 \xc2\xbd",
    "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe7\xa7\x81\xe3\x81\xaf\xe3\x82\xb3\xe3\x83\xbc\xe3\x83\x92"
    "\xe3\x83\xbc\xe3\x81\x99\xe3\x81\x94\xe3\x83\xbc\xe3\x81\x84",
    "I \xe2\x9d\xa4\xef\xb8\x8f NY \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xf0\x9f\x87\xab\xf0\x9f\x87\xb7 "
    "1\xef\xb8\x8f\xe2\x83\xa3",
    "ab\xff\xfe cd\xc3 \xe2\x80 x\x80y \xed\xa0\x80z \xf0\x9f\x98 q\xc3\xa9\xc3",
    "\xe2\x80\x8b x \xc2\xad y a\xe2\x80\x8d" "b a\xc2\xad" "b \xef\xbb\xbf" "c",
    "a\xe2\x80\x9c" "b\xe2\x80\x9d c\xe2\x80\xa6 \xe2\x80\x94 \xc2\xa9x \xef\xbf\xbdy \xe2\x80\xa2z",
    "ab\x01" "cd\x7f ef\tgh\rij\x1c" "kl\x0bmn\x0cop",
};

TEST(tamis_blocks)
{
    for (size_t i = 0; i < TMS_ARRAY_LEN(TAMIS_EDGES); i++) {
        CHECK(same_words_padded(TMS_TOK_TAMIS, TAMIS_EDGES[i], strlen(TAMIS_EDGES[i]), 1));
        CHECK(same_sentences_padded(TAMIS_EDGES[i], strlen(TAMIS_EDGES[i])));
    }
    SAME_PADDED(TMS_TOK_TAMIS, "a\0b \0 c\0", 1);
    SAME_SENTENCES_PADDED("Hi. 3.14 e.g. x.y \xe3\x80\x82z!?\"' (a.) b\xe2\x80\x9d. c");
    SAME_SENTENCES_PADDED("\xe0\xa4\xa8\xe0\xa5\xa4 \xd8\x9f \xd6\x89 \xef\xbc\x81\xe2\x80\xbc a\xc2\xbb." "b");
    /* every Sentence_Terminal character and its neighbours, between letters */
    for (uint32_t c = 0x80; c < 0x110000; c++) {
        if (!tms_uni_terminal(c)) continue;
        for (uint32_t d = c - 1; d <= c + 1; d++) {
            char f[8] = "x";
            size_t l = 1;
            if (d < 0x800) f[l++] = (char)(0xC0 | d >> 6);
            else if (d < 0x10000) f[l++] = (char)(0xE0 | d >> 12), f[l++] = (char)(0x80 | (d >> 6 & 0x3F));
            else f[l++] = (char)(0xF0 | d >> 18), f[l++] = (char)(0x80 | (d >> 12 & 0x3F)), f[l++] = (char)(0x80 | (d >> 6 & 0x3F));
            f[l++] = (char)(0x80 | (d & 0x3F));
            f[l++] = ' ';
            f[l++] = 'y';
            CHECK(same_sentences_padded(f, l));
        }
    }
    /* text without spaces: every Han character, then a 100-byte URL, one word */
    char cjk[300], url[120];
    for (size_t i = 0; i < 100; i++) memcpy(cjk + 3 * i, "\xe5\xad\x97", 3);
    tms_spans sp = {0};
    CHECK(spans_of(TMS_TOK_TAMIS, cjk, 300, &sp) && sp.n == 100 && sp.v[99].off == 297 && sp.v[99].len == 3);
    for (size_t i = 0; i < sizeof url; i++) url[i] = "abcdefgh12"[i % 10];
    CHECK(spans_of(TMS_TOK_TAMIS, url, sizeof url, &sp) && sp.n == 1 && sp.v[0].len == sizeof url);
    tms_spans_free(&sp);
}

static const char *const NLTK_EDGES[] = {
    "I said, \"I'd like to buy some ''good muffins\" which cost $3.88",
    "They'll save and invest more. It's more'n enough, isn't it?",
    "I cannot cannot work. Gimme that, lemme see: we gonna win",
    "Could, would, world, great, large, Wanna, GOTTA, gotta. d'ye",
    "\xc2\xabNow\xc2\xbb \xe2\x80\x9cLEFT(RIGHT)\xe2\x80\x9d don\xe2\x80\x99t x\xc2\xa0\xc2\xa0y.",
    "Mr. Smith paid $5.00 (i.e. a lot)... Dr. Jones, Ph.D., left",
    "at 3:00 p.m. e-mail: x@y.com #tag 50% &c. U.S.A. I. J. Bach",
    "ab\xff \"q\xe2\x80 ''x\xc2\" \0'\0s --- ``` (\xe2\x80\x9c **a** <b> [c] {d}",
    "caf\xc3\xa9 na\xc3\xafve. \xc3\x89t\xc3\xa9 d\xe2\x80\x99\xc3\xa9t\xc3\xa9\xe2\x80\x83x \xe3\x80\x80y",
    "\"Hi,\" she said. \"Bye!\" he said? (Ok.) [Yes.] Done",
};

TEST(nltk_blocks)
{
    for (size_t i = 0; i < TMS_ARRAY_LEN(NLTK_EDGES); i++)
        CHECK(same_words_padded(TMS_TOK_NLTK, NLTK_EDGES[i], strlen(NLTK_EDGES[i]), 0));
    SAME_PADDED(TMS_TOK_NLTK, "ab\xff\0 \"q\" x\0. 'tis", 0);
    /* a NUL adds nothing to a word of the punkt lists: "However\0" is
     * "however", a starter, so the initial "A." ends a sentence */
    static const char nul[] = "A. However\0.";
    tms_spans sc = {0};
    size_t c = 0;
    CHECK(tms_sentences(TMS_TOK_NLTK, nul, sizeof nul - 1, &sc, &c) == TAMIS_OK && c == 2);
    tms_spans_free(&sc);
    /* 'tis after the start of a sentence that is not the text's */
    CHECK(words_are(TMS_TOK_NLTK, "I know. 'Tis true, and 'twas so.",
                    W("I", "know", ".", "'T", "is", "true", ",", "and", "'t", "was", "so", ".")));
}

/* ---------------- stop words ---------------- */

static bool has(const char *lang, const char *w)
{
    size_t n;
    const char *const *l = tms_stopwords(lang, strlen(lang), &n);
    return l && tms_stopwords_has(l, n, w, strlen(w));
}

TEST(stopwords_lookup)
{
    size_t n = 99;
    CHECK(tms_stopwords("en", 2, &n) != NULL && n >= 8);
    CHECK(has("en", "the") && has("en", "with") && has("en", "have"));
    CHECK(!has("en", "th") && !has("en", "thee") && !has("en", "The") && !has("en", ""));
    CHECK(has("zh-Hans", "的") && has("zh_Hant", "這") && has("ZH", "是"));
    CHECK(has("PT-br", "não") && has("pt", "de"));
    CHECK(has("de-AT", "und") && has("deu", "und") && has("rus_Cyrl", "не") && has("cmn_Hani", "的"));
    CHECK(has("ja", "の") && has("ko", "그리고") && has("ar", "في") && has("uk", "і") && has("nb", "og"));
    CHECK(has("ro", "și") && has("ro", "şi"));
    n = 99;
    CHECK(tms_stopwords("xx", 2, &n) == NULL && n == 0);
    CHECK(tms_stopwords("", 0, &n) == NULL && n == 0);
    CHECK(tms_stopwords("e", 1, &n) == NULL);
    CHECK(tms_stopwords("english", 7, &n) == NULL);
    CHECK(tms_stopwords("th", 2, &n) == NULL); /* no Thai list, on purpose */
    CHECK(tms_stopwords("en", 1, &n) == NULL); /* only the given length counts */
    const char *langs = tms_stopwords_languages();
    CHECK(strstr(langs, "en") && strstr(langs, "zh") && strstr(langs, "ko"));
}

TEST(stopwords_are_tamis_words)
{
    /* every listed word is one tamis word, and >= 8 per language */
    const char *langs = tms_stopwords_languages();
    size_t nlang = 0;
    for (const char *p = langs; *p;) {
        size_t l = strcspn(p, " "), n = 0;
        const char *const *list = tms_stopwords(p, l, &n);
        CHECK(list != NULL && n >= 8 && n <= 20);
        for (size_t i = 0; list && i < n; i++) {
            const char *w = list[i];
            tms_spans sp = {0};
            CHECK(tms_words(TMS_TOK_TAMIS, w, strlen(w), &sp) == TAMIS_OK);
            if (sp.n != 1 || sp.v[0].len != strlen(w)) {
                fprintf(stderr, "    %.*s: '%s' is not one tamis word\n", (int)l, p, w);
                CHECK(0);
            }
            CHECK(tms_stopwords_has(list, n, w, strlen(w)));
            tms_spans_free(&sp);
        }
        nlang++;
        p += l;
        while (*p == ' ') p++;
    }
    CHECK(nlang >= 20);
}

int main(void)
{
    RUN(nltk_treebank_doctest);
    RUN(nltk_word_tokenize_uses_punkt);
    RUN(nltk_sentences_punkt_doctest);
    RUN(nltk_bad_bytes_and_edges);
    RUN(tamis_latin);
    RUN(tamis_scripts);
    RUN(tamis_symbols_and_emoji);
    RUN(tamis_sentences);
    RUN(tamis_blocks);
    RUN(nltk_blocks);
    RUN(stopwords_lookup);
    RUN(stopwords_are_tamis_words);
    DONE("tokenizers");
}
