/*
 * c4_quality.c -- the `c4_quality` stage: C4's line and page rules (Raffel
 * et al. 2020) as datatrove's C4QualityFilter applies them. It rewrites the
 * text: the kept lines, stripped, joined with "\n". Not a default stage.
 *
 * For each line of str.splitlines(), stripped; words = line.split():
 *   a word longer than --c4-max-word-length characters   drop the line
 *   remove citations [12] [] [edit] [citation needed]     (--c4-remove-citations)
 *   not ending in . ? ! " ' or ending in "..."           drop the line (--c4-terminal-punct-rule)
 *   fewer than --c4-min-words-per-line words             drop the line
 *   "lorem ipsum" (any case)                             reject: lorem_ipsum
 *   "javascript" (any case)                              drop the line
 *   "{"                                                  reject: curly_bracket
 *   terms of use, privacy policy, cookie policy, uses cookies, use of cookies,
 *   use cookies (any case)                               drop the line
 *   else keep it and count its sentences.
 * Fewer than --c4-min-sentences sentences in all: too_few_sentences.
 * Words are counted before the citations go, as the reference does.
 *
 * Speed: under datatrove-current the sentences of a kept line (unchanged by
 * citation removal) are counted from one sentencizer pass over the whole
 * document: a line break is always a whitespace token, so spaCy splits the
 * line exactly as it splits that part of the document, and the sentencizer
 * is in the same state at every line's first token. The line's count is 1
 * plus the document's sentences that start inside it, after its first token.
 * make fuzz builds with TMS_C4_CHECK_SENTENCES, which compares both ways.
 *
 * Rule sets: sentences are spaCy's sentencizer (datatrove-current), NLTK's
 * punkt-style splitter (fineweb-2024) or tamis's. The tamis rule set ends a
 * line with any Unicode sentence terminator (。！？ ...), optionally followed
 * by closing quotes or brackets: a quote counts only after a terminator
 * ('He said "yes"' is not a sentence end, '"Yes."' is), and "..." or "…"
 * before the closers refuse the line. It counts words with tamis's splitter,
 * so that a line of Chinese is not one word.
 */
#include "quality.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include <string.h>
#include <utf8proc.h>
#include "../text/spacy_sents.h"
#include <stdlib.h>

enum {
    C_LINE_TOTAL, C_LINE_KEPT, C_TOO_LONG_WORD, C_NO_TERMINAL_PUNC, C_TOO_FEW_WORDS, C_JAVASCRIPT, C_POLICY,
    C_TOKENIZER_FALLBACK, C_N
};
static const char *const counter_names[C_N] = {
    "line-total", "line-kept", "line-filter-too_long_word", "line-filter-no_terminal_punc",
    "line-filter-too_few_words", "line-filter-javascript", "line-filter-policy", "tokenizer_fallback",
};

typedef struct worker {
    tms_qctx *q;
    tms_buf line;   /* a line without its citations */
    tms_buf out;    /* the kept lines */
    tms_spans dsents; /* the document's sentences (spaCy) */
} worker;

static tamis_status worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)global;
    worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    tms_buf_init(&w->line, SIZE_MAX / 8);
    tms_buf_init(&w->out, SIZE_MAX / 8);
    tamis_status st = tms_q_create(cfg, &w->q);
    if (st != TAMIS_OK) {
        tms_free(w);
        return st;
    }
    *out = w;
    return TAMIS_OK;
}

static void worker_free(void *p)
{
    worker *w = p;
    if (!w) return;
    tms_q_free(w->q);
    tms_buf_free(&w->line);
    tms_buf_free(&w->out);
    tms_spans_free(&w->dsents);
    tms_free(w);
}

static bool is_digit(const char *s, size_t n, size_t i, size_t *next)
{
    uint32_t c = tms_uni_next(s, n, i, next);
    if (c < 0x80) return c >= '0' && c <= '9';
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND;
}

/* Appends s[0..n) without matches of \[\d*]|\[edit]|\[citation needed] */
static tamis_status remove_citations(const char *s, size_t n, tms_buf *out)
{
    tms_buf_reset(out);
    size_t from = 0, i = 0;
    while (i < n) {
        const char *lb = memchr(s + i, '[', n - i);
        if (!lb) break;
        size_t at = (size_t)(lb - s), j = at + 1, nx;
        while (j < n && is_digit(s, n, j, &nx)) j = nx;
        size_t end = 0;
        if (j < n && s[j] == ']') end = j + 1;
        else if (n - at >= 6 && !memcmp(s + at, "[edit]", 6)) end = at + 6;
        else if (n - at >= 17 && !memcmp(s + at, "[citation needed]", 17)) end = at + 17;
        if (end) {
            TMS_TRY(tms_buf_add(out, s + from, at - from));
            from = i = end;
        } else {
            i = at + 1;
        }
    }
    return tms_buf_add(out, s + from, n - from);
}

/* The phrases C4 looks for in a lowercased line, found in one pass without
 * a copy: ASCII letters compare case-insensitively, and the Kelvin sign
 * (U+212A), which Python lowercases to "k", matches "k". */
enum { F_LOREM = 1, F_JAVASCRIPT = 2, F_POLICY = 4 };
static const struct { const char *p; size_t n; int flag; } phrases[] = {
    {"lorem ipsum", 11, F_LOREM},     {"javascript", 10, F_JAVASCRIPT},  {"terms of use", 12, F_POLICY},
    {"privacy policy", 14, F_POLICY}, {"cookie policy", 13, F_POLICY},   {"uses cookies", 12, F_POLICY},
    {"use of cookies", 14, F_POLICY}, {"use cookies", 11, F_POLICY},
};

/* Does the phrase occur at s[i..n)? Returns the bytes it spans, or 0. */
static size_t phrase_at(const char *s, size_t n, size_t i, const char *p, size_t m)
{
    size_t j = i;
    for (size_t k = 0; k < m; k++) {
        if (j >= n) return 0;
        unsigned char c = (unsigned char)s[j];
        if (c == 0xE2 && p[k] == 'k' && j + 2 < n && (unsigned char)s[j + 1] == 0x84 && (unsigned char)s[j + 2] == 0xAA) {
            j += 3;
            continue;
        }
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)p[k]) return 0;
        j++;
    }
    return j - i;
}

static const unsigned char phrase_start[256] = { /* l j t p c u, either case, and the Kelvin sign's lead byte */
    ['l'] = 1, ['j'] = 1, ['t'] = 1, ['p'] = 1, ['c'] = 1, ['u'] = 1,
    ['L'] = 1, ['J'] = 1, ['T'] = 1, ['P'] = 1, ['C'] = 1, ['U'] = 1, [0xE2] = 1,
};

static int scan_phrases(const char *s, size_t n)
{
    int found = 0;
    uint32_t pre[TMS_ARRAY_LEN(phrases)];
    for (size_t k = 0; k < TMS_ARRAY_LEN(phrases); k++) memcpy(&pre[k], phrases[k].p, 4);
    bool kelvin = memchr(s, 0xE2, n) != NULL; /* a line that may hold U+212A goes the slow way */
    for (size_t i = 0; i < n; i++) {
        if (!phrase_start[(unsigned char)s[i]]) continue;
        uint32_t x = 0;
        bool quick = i + 4 <= n && !kelvin;
        if (quick) {
            memcpy(&x, s + i, 4);
            x |= 0x20202020u; /* ASCII letters to lowercase; may admit a few false candidates */
        }
        for (size_t k = 0; k < TMS_ARRAY_LEN(phrases); k++) {
            if (found & phrases[k].flag) continue;
            if (quick && x != pre[k]) continue;
            if (phrase_at(s, n, i, phrases[k].p, phrases[k].n)) found |= phrases[k].flag;
        }
    }
    return found;
}

static bool ends_sentence(const char *s, size_t n, tms_rules rules)
{
    if (rules != TMS_RULES_TAMIS) {
        if (!n) return false;
        char c = s[n - 1];
        bool end = c == '.' || c == '?' || c == '!' || c == '"' || c == '\'';
        return end && !tms_q_endswith(s, 0, n, "...", 3);
    }
    size_t at = n;
    while (at > 0) {
        size_t st;
        uint32_t c = tms_uni_prev(s, at, &st);
        if (tms_uni_terminal(c))
            return !tms_q_endswith(s, 0, at, "...", 3) && !tms_q_endswith(s, 0, at, "\xE2\x80\xA6", 3);
        if (!tms_q_closing(c)) return false;
        at = st;
    }
    return false;
}

/* words of a stripped line: str.split(), or tamis's non-punctuation words */
/* words of the stripped line s[a..b): str.split(), or under the tamis rule
 * set tamis's words that are not punctuation, taken from the document's
 * words (the splitter never joins across a line break), from *next on */
static tamis_status count_words(const char *s, size_t n_text, size_t a, size_t b, tms_rules rules,
                                const tms_spans *dw, size_t *next, size_t *count, size_t *longest)
{
    *count = *longest = 0;
    if (rules == TMS_RULES_TAMIS) {
        size_t k = *next;
        while (k < dw->n && dw->v[k].off < a) k++;
        for (; k < dw->n && dw->v[k].off < b; k++) {
            tms_qword qw = tms_q_word(s + dw->v[k].off, dw->v[k].len, n_text - dw->v[k].off);
            *count += qw.non_symbol;
            if (qw.cps > *longest) *longest = qw.cps;
        }
        *next = k;
        return TAMIS_OK;
    }
    size_t i = a, n = b;
    while (i < n) {
        size_t nx;
        uint32_t c = tms_uni_next(s, n, i, &nx);
        if (tms_uni_isspace(c)) { i = nx; continue; }
        size_t cps = 0;
        while (i < n) {
            c = tms_uni_next(s, n, i, &nx);
            if (tms_uni_isspace(c)) break;
            cps++;
            i = nx;
        }
        (*count)++;
        if (cps > *longest) *longest = cps;
    }
    return TAMIS_OK;
}

/* For the report: a line the line rules dropped, [ls, le) of s, the text the
 * stage measures. The record must point into text that outlives the batch:
 * doc->text, or a copy in the arena when s is a repaired copy of it. */
static tamis_status record_removed(tms_doc *doc, const char *s, size_t ls, size_t le, int why)
{
    if (!doc->collect) return TAMIS_OK;
    const char *line = s + ls;
    if (s != doc->text && !(line = tms_arena_strndup(doc->arena, line, le - ls))) return TAMIS_E_NOMEM;
    return tms_removed_line(doc, line, le - ls, counter_names[why]);
}

static tamis_status process(void *wp, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    worker *w = wp;
    const tms_quality_config *q = w->q->q;
    const char *s;
    size_t n;
    TMS_TRY(tms_q_text(w->q, doc, &s, &n));
    tms_qlang lang;
    tms_q_lang(q, doc, &lang);
    tms_buf_reset(&w->out);
    size_t sentences = 0, pos = 0, ls, le, next_word = 0, next_sent = 0;
    /* spaCy's sentences of a line are the document's sentences that start
     * inside it, plus one: a line break is always a whitespace token, so no
     * token crosses it and the sentencizer's state is the same at every line's
     * first token (see the top of the file) */
    bool spacy = lang.tok == TMS_TOK_SPACY_EN || lang.tok == TMS_TOK_SPACY_FR, doc_sents_done = false;
    tms_spans dwords = {0};
    if (q->rules == TMS_RULES_TAMIS) TMS_TRY(tms_q_words(w->q, doc, TMS_TOK_TAMIS, s, n, &dwords));
    bool any_kept = false, sentence_tok_used = false;
    while (tms_q_splitline(s, n, &pos, &ls, &le)) {
        ctr[C_LINE_TOTAL]++;
        tms_q_strip(s, &ls, &le);
        size_t nwords, longest;
        TMS_TRY(count_words(s, n, ls, le, q->rules, &dwords, &next_word, &nwords, &longest));
        if (q->c4_max_word_length > 0 && (long long)longest > q->c4_max_word_length) {
            ctr[C_TOO_LONG_WORD]++;
            TMS_TRY(record_removed(doc, s, ls, le, C_TOO_LONG_WORD));
            continue;
        }
        const char *line = s + ls;
        size_t len = le - ls;
        if (q->c4_citations && memchr(line, '[', len)) {
            TMS_TRY(remove_citations(line, len, &w->line));
            if (w->line.len != len) { /* something was removed */
                line = w->line.data;
                len = w->line.len;
            }
        }
        if (q->c4_terminal && !ends_sentence(line, len, q->rules)) {
            ctr[C_NO_TERMINAL_PUNC]++;
            TMS_TRY(record_removed(doc, s, ls, le, C_NO_TERMINAL_PUNC));
            continue;
        }
        if (q->c4_min_words_per_line > 0 && (long long)nwords < q->c4_min_words_per_line) {
            ctr[C_TOO_FEW_WORDS]++;
            TMS_TRY(record_removed(doc, s, ls, le, C_TOO_FEW_WORDS));
            continue;
        }
        int found = scan_phrases(line, len);
        if (q->c4_lorem && (found & F_LOREM)) return tms_reject_bare(doc, v, "lorem_ipsum");
        if (q->c4_javascript && (found & F_JAVASCRIPT)) {
            ctr[C_JAVASCRIPT]++;
            TMS_TRY(record_removed(doc, s, ls, le, C_JAVASCRIPT));
            continue;
        }
        if (q->c4_curly && memchr(line, '{', len)) return tms_reject_bare(doc, v, "curly_bracket");
        if (q->c4_policy && (found & F_POLICY)) {
            ctr[C_POLICY]++;
            TMS_TRY(record_removed(doc, s, ls, le, C_POLICY));
            continue;
        }
        size_t ns;
        if (spacy && line == s + ls) { /* the line as it is in the text: from the document's sentences */
            if (!doc_sents_done) {
                w->dsents.n = 0;
                TMS_TRY(tms_spacy_sentence_spans(lang.tok == TMS_TOK_SPACY_FR, s, n, &w->q->sents, &w->dsents));
                doc_sents_done = true;
            }
            ns = len > 0; /* an empty line (kept with both line rules off) has no sentence */
            while (next_sent < w->dsents.n && w->dsents.v[next_sent].off <= ls) next_sent++;
            for (size_t k = next_sent; k < w->dsents.n && w->dsents.v[k].off < le; k++) ns++;
#ifdef TMS_C4_CHECK_SENTENCES /* the fuzz build checks the shortcut against the line's own split */
            size_t ns2;
            TMS_TRY(tms_sentences(lang.tok, line, len, &w->q->sents, &ns2));
            if (ns != ns2) abort();
#endif
        } else {
            TMS_TRY(tms_sentences(lang.tok, line, len, &w->q->sents, &ns));
        }
        sentence_tok_used = true;
        sentences += ns;
        if (any_kept) TMS_TRY(tms_buf_addc(&w->out, '\n'));
        TMS_TRY(tms_buf_add(&w->out, line, len));
        any_kept = true;
        ctr[C_LINE_KEPT]++;
    }
    ctr[C_TOKENIZER_FALLBACK] += lang.fallback && sentence_tok_used;
    if (q->c4_min_sentences > 0) {
        TMS_TRY(tms_measure(doc, "too_few_sentences", (double)sentences, (double)q->c4_min_sentences, TMS_SCALE_COUNT,
                            false));
        if ((long long)sentences < q->c4_min_sentences)
            return tms_reject(doc, v, "too_few_sentences", (double)sentences, (double)q->c4_min_sentences);
    }
    /* "\n".join(kept).strip(): only empty kept lines (with both line rules
     * off) leave something to strip */
    size_t a = 0, b = w->out.len;
    tms_q_strip(w->out.data ? w->out.data : "", &a, &b);
    if (b - a == doc->len && (!doc->len || !memcmp(w->out.data + a, doc->text, doc->len))) return TAMIS_OK;
    char *t = tms_arena_strndup(doc->arena, w->out.data ? w->out.data + a : "", b - a);
    if (!t) return TAMIS_E_NOMEM;
    tms_doc_set_text(doc, t, b - a);
    doc->text_valid = true;
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"lorem_ipsum", "c4-lorem-ipsum-rule",
     "a line passing the word and punctuation rules contains 'lorem ipsum' (any case)"},
    {"curly_bracket", "c4-curly-bracket-rule",
     "a line passing the word, punctuation and javascript rules contains '{'"},
    {"too_few_sentences", "c4-min-sentences", "fewer than 5 sentences in the lines the line rules keep"},
    /* removed lines */
    {"line-filter-too_long_word", "c4-max-word-length", "line removed: a word longer than 1000 characters"},
    {"line-filter-no_terminal_punc", "c4-terminal-punct-rule",
     "line removed: ends in an ellipsis, or in none of . ? ! \" '"},
    {"line-filter-too_few_words", "c4-min-words-per-line", "line removed: fewer than 3 words"},
    {"line-filter-javascript", "c4-javascript-rule", "line removed: contains 'javascript' (any case)"},
    {"line-filter-policy", "c4-policy-rule",
     "line removed: mentions terms of use, a privacy or cookie policy, or the use of cookies (any case)"},
};

const tms_stage_vt tms_stage_c4_quality = {
    .name = "c4_quality",
    .description = "C4's rules: keeps punctuated lines of 3+ words, drops boilerplate lines, needs 5 sentences",
    .in_default = false,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = worker_create,
    .worker_free = worker_free,
    .process = process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
