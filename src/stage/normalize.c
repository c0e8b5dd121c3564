/*
 * normalize.c -- the `normalize` stage, in one pass over the text:
 * invalid UTF-8 -> U+FFFD (counted); NUL, C0 and C1 controls other than
 * newline and tab removed; "\r\n" and "\r" -> "\n"; Unicode NFC (only the
 * pieces that may change are normalized); blanks (space, tab) at the end of
 * lines removed; blank lines at the start and end of the text removed; runs
 * of 3+ newlines collapsed to 2. Text that comes out empty is rejected as
 * `empty`. Text already normal is not copied.
 */
#include "stage.h"
#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/nfc.h"
#include "../core/utf8.h"
#include <pthread.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

enum { C_UTF8_REPAIRED, C_CONTROLS_REMOVED, C_NFC_CHANGED, C_DOCS_CHANGED, C_N };
static const char *const counter_names[C_N] = {"utf8_repaired", "controls_removed", "nfc_changed", "docs_changed"};

typedef struct worker { tms_buf out; } worker;

static void init_kinds(void);
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static tamis_status worker_create(void *global, const tms_config *cfg, void **out)
{
    (void)global; (void)cfg;
    tms_nfc_init();
    pthread_once(&kinds_once, init_kinds);
    worker *w = tms_calloc(1, sizeof *w);
    if (!w) return TAMIS_E_NOMEM;
    tms_buf_init(&w->out, SIZE_MAX / 8);
    *out = w;
    return TAMIS_OK;
}

static void worker_free(void *p)
{
    worker *w = p;
    if (!w) return;
    tms_buf_free(&w->out);
    tms_free(w);
}

/* byte classes */
enum { K_TEXT = 0, K_NL, K_CR, K_CTRL, K_HIGH };
static unsigned char kind[256];
static void init_kinds(void)
{
    for (int c = 0; c < 256; c++)
        kind[c] = c >= 0x80 ? K_HIGH : c == '\t' ? K_TEXT : c == '\n' ? K_NL : c == '\r' ? K_CR
                : c < 0x20 || c == 0x7F ? K_CTRL : K_TEXT;
}

/* NFC of the output from `seg` to the write position *d; then room for
 * `rest` more input bytes copied 1:1 (the buffer may move: *d follows it). */
static tamis_status nfc_piece(tms_buf *o, char **d, size_t seg, size_t rest, uint32_t *ctr, bool *changed)
{
    o->len = (size_t)(*d - o->data);
    bool ch = false;
    TMS_TRY(tms_nfc_tail(o, seg, &ch));
    if (ch) {
        *changed = true;
        ctr[C_NFC_CHANGED]++;
    }
    TMS_TRY(tms_buf_reserve(o, rest + 16));
    *d = o->data + o->len;
    return TAMIS_OK;
}

static tamis_status process(void *wp, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    worker *w = wp;

    const unsigned char *s = (const unsigned char *)doc->text, *end = s + doc->len;
    tms_buf *o = &w->out;
    tms_buf_reset(o);
    /* Invariant: room for the rest of the input copied 1:1, plus 16. Only
     * U+FFFD (3 bytes for 1) and NFC can write more than they read, and both
     * restore the invariant, so the buffer stays the size of the document. */
    if (doc->len > SIZE_MAX - 64) return TAMIS_E_TOO_BIG;
    TMS_TRY(tms_buf_reserve(o, doc->len + 16));
    bool changed = false;
    size_t line_start = 0;  /* output offset where the current line starts */
    int newlines = 2;       /* empty lines just written + 1; 2 at the start drops leading blank lines */
    size_t seg = 0;         /* start of the piece NFC may need to see */
    bool seg_unsafe = false;
    int last_ccc = 0;       /* combining class of the previous mark in this piece */
    char *d = o->data;

    while (s < end) {
        unsigned c = *s;
        switch (kind[c]) {
        case K_TEXT: {
            /* printable ASCII, space and tab: copied in runs, 8 bytes at a time */
            const unsigned char *run = s;
#if defined(__SSE2__)
            while (end - s >= 16) {
                __m128i x = _mm_loadu_si128((const __m128i *)s);
                __m128i ctl = _mm_andnot_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
                                               _mm_cmpeq_epi8(_mm_subs_epu8(x, _mm_set1_epi8(0x1F)), _mm_setzero_si128()));
                unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F))), x));
                if (m) { s += __builtin_ctz(m); goto run_end; }
                s += 16;
            }
#endif
            while (end - s >= 8) {
                uint64_t x;
                memcpy(&x, s, 8);
                /* any byte < 0x20 or > 0x7E ends the fast path */
                if (((x - 0x2020202020202020ull) | (x + 0x0101010101010101ull) | x) & 0x8080808080808080ull) break;
                s += 8;
            }
            while (s < end && kind[*s] == K_TEXT) s++;
#if defined(__SSE2__)
        run_end:
#endif
            if (seg_unsafe) {
                TMS_TRY(nfc_piece(o, &d, seg, (size_t)(end - run), ctr, &changed));
                seg_unsafe = false;
            }
            size_t k = (size_t)(s - run);
            if (k <= 16 && end - run >= 16) memcpy(d, run, 16); /* short run: one fixed-size move (d has slack) */
            else memcpy(d, run, k);
            d += k;
            seg = (size_t)(d - o->data) - 1;
            last_ccc = 0;
            continue;
        }
        case K_CR:
            changed = true;
            if (s + 1 < end && s[1] == '\n') s++;
            /* fall through */
        case K_NL:
            s++;
            if (seg_unsafe) {
                TMS_TRY(nfc_piece(o, &d, seg, (size_t)(end - s), ctr, &changed));
                seg_unsafe = false;
            }
            while (d > o->data + line_start && (d[-1] == ' ' || d[-1] == '\t')) { d--; changed = true; }
            seg = (size_t)(d - o->data); /* it may have pointed into the blanks just dropped */
            if (d != o->data + line_start) newlines = 0;
            if (newlines >= 2) { changed = true; continue; }
            *d++ = '\n';
            newlines++;
            line_start = (size_t)(d - o->data);
            seg = line_start;
            last_ccc = 0;
            continue;
        case K_CTRL:
            s++;
            changed = true;
            ctr[C_CONTROLS_REMOVED]++;
            continue;
        default: {
            int32_t cp;
            size_t k;
            unsigned c1 = s + 1 < end ? s[1] : 0, c2 = s + 2 < end ? s[2] : 0;
            if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80) { /* valid 2-byte sequence */
                cp = (int32_t)(((c & 0x1F) << 6) | (c1 & 0x3F));
                k = 2;
            } else if (c >= 0xE0 && c <= 0xEF && (c2 & 0xC0) == 0x80 &&
                       (c == 0xE0 ? (c1 & 0xE0) == 0xA0 : c == 0xED ? (c1 & 0xE0) == 0x80 : (c1 & 0xC0) == 0x80)) {
                /* valid 3-byte sequence: no overlong (E0 A0..BF), no surrogate (ED 80..9F) */
                cp = (int32_t)(((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F));
                k = 3;
            } else {
                k = tms_utf8_decode(s, (size_t)(end - s), &cp);
            }
            s += k;
            if (cp >= 0x80 && cp < 0xA0) { /* C1 control */
                changed = true;
                ctr[C_CONTROLS_REMOVED]++;
                continue;
            }
            if (cp < 0) {
                if (o->cap - (size_t)(d - o->data) < (size_t)(end - s) + 3 + 16) {
                    o->len = (size_t)(d - o->data);
                    TMS_TRY(tms_buf_reserve(o, (size_t)(end - s) + (size_t)(end - s) / 2 + 3 + 16));
                    d = o->data + o->len;
                }
                memcpy(d, "\xEF\xBF\xBD", 3);
                d += 3;
                changed = true;
                ctr[C_UTF8_REPAIRED]++;
                last_ccc = 0;
            } else {
                if (end - (s - k) >= 4) memcpy(d, s - k, 4); /* fixed size: one move; d has slack */
                else memcpy(d, s - k, k);
                d += k;
                if (cp < TMS_NFC_FIRST_UNSAFE || seg_unsafe) {
                    last_ccc = 0;
                } else if (tms_nfc_qc_fails(cp)) {
                    seg_unsafe = true;
                } else if (tms_nfc_has_ccc(cp)) { /* a mark: NFC_QC Yes, but marks must be in canonical order */
                    int cc = tms_nfc_ccc(cp);
                    if (cc < last_ccc) seg_unsafe = true;
                    last_ccc = cc;
                } else {
                    last_ccc = 0;
                }
            }
            continue;
        }
        }
    }
    if (seg_unsafe) TMS_TRY(nfc_piece(o, &d, seg, 0, ctr, &changed));
    o->len = (size_t)(d - o->data);
    while (o->len > line_start && (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\t')) {
        o->len--;
        changed = true;
    }
    while (o->len && o->data[o->len - 1] == '\n') { o->len--; changed = true; }

    if (o->len == 0) {
        doc->reason = "empty";
        *v = TMS_REJECT;
        return TAMIS_OK;
    }
    if (changed) {
        char *t = tms_arena_strndup(doc->arena, o->data, o->len);
        if (!t) return TAMIS_E_NOMEM;
        tms_doc_set_text(doc, t, o->len);
        ctr[C_DOCS_CHANGED]++;
    }
    doc->text_valid = true; /* every byte was checked, invalid sequences replaced */
    *v = TMS_KEEP;
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"empty", NULL, "no text left once control characters, blanks at line ends and blank lines are removed"},
};

const tms_stage_vt tms_stage_normalize = {
    .name = "normalize",
    .description = "repair UTF-8, drop control characters, NFC, unify newlines, trim blanks; reject empty text",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .worker_create = worker_create,
    .worker_free = worker_free,
    .process = process,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
