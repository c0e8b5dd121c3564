/* json.c -- JSON scanning (RFC 8259, as strict as Python's json.loads except
 * that invalid UTF-8 inside strings is left for the normalize stage to repair),
 * string decoding and escaping. */
#include "json.h"
#include "utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SWAR tests on 8 bytes at once (existence is exact; which byte is not told) */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static inline uint64_t has_zero(uint64_t v) { return (v - ONES) & ~v & HIGHS; }
static inline uint64_t has_byte(uint64_t x, unsigned char b) { return has_zero(x ^ (ONES * b)); }
static inline uint64_t has_less(uint64_t x, unsigned char n) { return (x - ONES * n) & ~x & HIGHS; }
static inline uint64_t load8(const void *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* offset of the first byte in p[0..16) that is < 0x20, '"' or '\\', or 16 */
static inline unsigned first_special16(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8(0x1F)), _mm_setzero_si128()));
    unsigned mask = (unsigned)_mm_movemask_epi8(m);
    return mask ? (unsigned)__builtin_ctz(mask) : 16;
}
#endif

typedef struct scanner {
    const unsigned char *p, *end, *start;
    int max_depth;
    tms_json_error *err;
} scanner;

static tamis_status fail(scanner *s, const unsigned char *at, const char *msg)
{
    s->err->msg = msg;
    s->err->offset = (size_t)(at - s->start);
    return TAMIS_E_DATA;
}

static inline void skip_ws(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) s->p++;
}

/* 1 for bytes that end the fast string loop: '"', '\\' and controls. */
static const unsigned char str_special[256] = {
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
};

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    return -1;
}

static tamis_status scan_string(scanner *s)
{
    const unsigned char *open = s->p++;
    for (;;) {
#if defined(__SSE2__)
        while (s->end - s->p >= 16) {
            unsigned k = first_special16(s->p);
            s->p += k;
            if (k < 16) break;
        }
#endif
        while (s->end - s->p >= 8) {
            uint64_t x = load8(s->p);
            if (has_byte(x, '"') | has_byte(x, '\\') | has_less(x, 0x20)) break;
            s->p += 8;
        }
        while (s->p < s->end && !str_special[*s->p]) s->p++;
        if (s->p >= s->end) return fail(s, open, "unterminated string");
        unsigned c = *s->p;
        if (c == '"') { s->p++; return TAMIS_OK; }
        if (c < 0x20) return fail(s, s->p, "control character in string");
        /* backslash */
        if (s->end - s->p < 2) return fail(s, open, "unterminated string");
        unsigned e = s->p[1];
        if (e == 'u') {
            if (s->end - s->p < 6) return fail(s, s->p, "truncated \\u escape");
            for (int i = 2; i < 6; i++)
                if (hexval(s->p[i]) < 0) return fail(s, s->p, "invalid \\u escape");
            s->p += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
            s->p += 2;
        } else {
            return fail(s, s->p, "invalid escape");
        }
    }
}

static tamis_status scan_number(scanner *s)
{
    const unsigned char *b = s->p;
    if (s->p < s->end && *s->p == '-') s->p++;
    if (s->p >= s->end) return fail(s, b, "invalid number");
    if (*s->p == '0') s->p++;
    else if (*s->p >= '1' && *s->p <= '9') while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    else return fail(s, b, "invalid number");
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (s->p >= s->end || *s->p < '0' || *s->p > '9') return fail(s, b, "invalid number");
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        if (s->p >= s->end || *s->p < '0' || *s->p > '9') return fail(s, b, "invalid number");
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') s->p++;
    }
    return TAMIS_OK;
}

static tamis_status scan_literal(scanner *s, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0) return fail(s, s->p, "invalid literal");
    s->p += n;
    return TAMIS_OK;
}

static tamis_status scan_value(scanner *s, int depth);

static tamis_status scan_container(scanner *s, int depth, tms_arena *a, tms_json_object *obj)
{
    unsigned char close = *s->p == '{' ? '}' : ']';
    int is_obj = close == '}';
    const unsigned char *open = s->p;
    if (depth >= s->max_depth) return fail(s, s->p, "nesting too deep");
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == close) { s->p++; return TAMIS_OK; }
    size_t cap = 0;
    for (;;) {
        skip_ws(s);
        tms_json_member m = {0};
        if (is_obj) {
            if (s->p >= s->end) return fail(s, open, "unterminated object");
            if (*s->p != '"') return fail(s, s->p, "expected a string key");
            const unsigned char *k = s->p;
            TMS_TRY(scan_string(s));
            m.key = (const char *)k + 1;
            m.key_len = (size_t)(s->p - k) - 2;
            skip_ws(s);
            if (s->p >= s->end || *s->p != ':') return fail(s, s->p, "expected ':'");
            s->p++;
            skip_ws(s);
        }
        const unsigned char *v = s->p;
        TMS_TRY(scan_value(s, depth + 1));
        if (obj) {
            m.val = (const char *)v;
            m.val_len = (size_t)(s->p - v);
            if (obj->n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                tms_json_member *nm = tms_arena_alloc(a, ncap * sizeof *nm);
                if (!nm) return TAMIS_E_NOMEM;
                if (obj->n) memcpy(nm, obj->m, obj->n * sizeof *nm);
                obj->m = nm;
                cap = ncap;
            }
            obj->m[obj->n++] = m;
        }
        skip_ws(s);
        if (s->p >= s->end) return fail(s, open, is_obj ? "unterminated object" : "unterminated array");
        if (*s->p == ',') { s->p++; continue; }
        if (*s->p == close) { s->p++; return TAMIS_OK; }
        return fail(s, s->p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static tamis_status scan_value(scanner *s, int depth)
{
    if (s->p >= s->end) return fail(s, s->p, "unexpected end of input");
    switch (*s->p) {
    case '"': return scan_string(s);
    case '{': case '[': return scan_container(s, depth, NULL, NULL);
    case 't': return scan_literal(s, "true");
    case 'f': return scan_literal(s, "false");
    case 'n': return scan_literal(s, "null");
    default:
        if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9')) return scan_number(s);
        return fail(s, s->p, "unexpected character");
    }
}

tamis_status tms_json_scan_object(const char *p, size_t n, int max_depth, tms_arena *a,
                                  tms_json_object *obj, tms_json_error *err)
{
    scanner s = {(const unsigned char *)p, (const unsigned char *)p + n, (const unsigned char *)p,
                 max_depth, err};
    obj->m = NULL;
    obj->n = 0;
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '{') return fail(&s, s.p, "expected a JSON object");
    TMS_TRY(scan_container(&s, 0, a, obj));
    skip_ws(&s);
    if (s.p != s.end) return fail(&s, s.p, "trailing data after the object");
    return TAMIS_OK;
}

tamis_status tms_json_scan_array(const char *p, size_t n, int max_depth, tms_arena *a, tms_json_object *arr,
                                 tms_json_error *err)
{
    scanner s = {(const unsigned char *)p, (const unsigned char *)p + n, (const unsigned char *)p,
                 max_depth, err};
    arr->m = NULL;
    arr->n = 0;
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '[') return fail(&s, s.p, "expected a JSON array");
    TMS_TRY(scan_container(&s, 0, a, arr));
    skip_ws(&s);
    if (s.p != s.end) return fail(&s, s.p, "trailing data after the array");
    return TAMIS_OK;
}

static uint32_t hex4(const char *p)
{
    uint32_t v = 0;
    for (int j = 0; j < 4; j++) v = v * 16 + (uint32_t)hexval((unsigned char)p[j]);
    return v;
}

bool tms_json_key_is(const tms_json_member *m, const char *key)
{
    size_t kl = strlen(key);
    if (!memchr(m->key, '\\', m->key_len)) return m->key_len == kl && memcmp(m->key, key, kl) == 0;
    /* rare: escaped key; decode it as tms_json_decode_string would, comparing as we go */
    size_t o = 0;
    for (size_t i = 0; i < m->key_len; i++) {
        char tmp[4];
        size_t k = 1;
        if (m->key[i] != '\\') {
            tmp[0] = m->key[i];
        } else {
            char e = m->key[++i];
            if (e == 'u') {
                uint32_t v = hex4(m->key + i + 1);
                i += 4;
                if (v >= 0xD800 && v <= 0xDBFF && m->key_len - i > 6 && m->key[i + 1] == '\\' && m->key[i + 2] == 'u') {
                    uint32_t lo = hex4(m->key + i + 3);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                k = tms_utf8_encode(v >= 0xD800 && v <= 0xDFFF ? 0xFFFD : v, tmp);
            } else {
                tmp[0] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
            }
        }
        if (k > kl - o || memcmp(key + o, tmp, k) != 0) return false;
        o += k;
    }
    return o == kl;
}

const tms_json_member *tms_json_get(const tms_json_object *obj, const char *key)
{
    for (size_t i = obj->n; i-- > 0;)
        if (tms_json_key_is(&obj->m[i], key)) return &obj->m[i];
    return NULL;
}

tamis_status tms_json_decode_string(const char *raw, size_t raw_len, tms_arena *a, const char **out,
                                    size_t *out_len)
{
    assert(raw_len >= 2 && raw[0] == '"' && raw[raw_len - 1] == '"');
    const char *p = raw + 1, *end = raw + raw_len - 1;
    const char *bs = memchr(p, '\\', (size_t)(end - p));
    if (!bs) { *out = p; *out_len = (size_t)(end - p); return TAMIS_OK; }
    char *o = tms_arena_alloc(a, (size_t)(end - p) + 1); /* decoding never grows */
    if (!o) return TAMIS_E_NOMEM;
    char *w = o;
    while (p < end) {
        bs = memchr(p, '\\', (size_t)(end - p));
        size_t run = bs ? (size_t)(bs - p) : (size_t)(end - p);
        memcpy(w, p, run);
        w += run;
        p += run;
        if (!bs) break;
        char e = p[1];
        p += 2;
        switch (e) {
        case 'n': *w++ = '\n'; break;
        case 't': *w++ = '\t'; break;
        case 'r': *w++ = '\r'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'u': {
            uint32_t v = 0;
            for (int i = 0; i < 4; i++) v = v * 16 + (uint32_t)hexval((unsigned char)p[i]);
            p += 4;
            if (v >= 0xD800 && v <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                uint32_t lo = 0;
                for (int i = 2; i < 6; i++) lo = lo * 16 + (uint32_t)hexval((unsigned char)p[i]);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            if (v >= 0xD800 && v <= 0xDFFF) v = 0xFFFD; /* lone surrogate */
            w += tms_utf8_encode(v, w);                 /* <= 6 raw bytes become <= 4 */
            break;
        }
        default: *w++ = e; break; /* " \ / */
        }
    }
    *w = 0;
    *out = o;
    *out_len = (size_t)(w - o);
    return TAMIS_OK;
}

/* 0: copy as is; 1: needs an escape; 2: non-ASCII, validate */
static const unsigned char esc_class[256] = {
    1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
    0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,
    2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
    2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
    2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
    2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,
};

/* Writes the escape of c (class 1 of esc_class) at w; returns the new end. */
static inline char *put_escape(char *w, unsigned c)
{
    static const char hx[] = "0123456789abcdef";
    *w++ = '\\';
    switch (c) {
    case '"': *w++ = '"'; break;
    case '\\': *w++ = '\\'; break;
    case '\n': *w++ = 'n'; break;
    case '\t': *w++ = 't'; break;
    case '\r': *w++ = 'r'; break;
    case '\b': *w++ = 'b'; break;
    case '\f': *w++ = 'f'; break;
    default:
        *w++ = 'u'; *w++ = '0'; *w++ = '0';
        *w++ = hx[c >> 4]; *w++ = hx[c & 15];
    }
    return w;
}

#if defined(__SSE2__)
/* offset of the first byte in p[0..16) that is < 0x20, '"', '\\' or 0x7F
 * (and >= 0x80 unless `high_ok`), or 16 */
static inline unsigned first_escape16(const unsigned char *p, bool high_ok)
{
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_or_si128(_mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8(0x1F)), _mm_setzero_si128()),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))));
    unsigned mask = (unsigned)_mm_movemask_epi8(m) | (high_ok ? 0u : (unsigned)_mm_movemask_epi8(v));
    return mask ? (unsigned)__builtin_ctz(mask) : 16;
}
#endif

/* The string writer. `valid`: p is known to be valid UTF-8 (normalize's
 * output), so bytes >= 0x80 are copied as they come; otherwise every
 * sequence is checked and invalid ones become U+FFFD. Works in rounds of
 * CHUNK input bytes, so the buffer needs 6 x CHUNK of room, not 6 x n. */
static tamis_status put_string(tms_buf *b, const char *p, size_t n, bool valid, uint64_t *repaired)
{
    enum { CHUNK = 16384 };
    TMS_TRY(tms_buf_addc(b, '"'));
    if (n == 0) return tms_buf_addc(b, '"'); /* p may be NULL */
    const unsigned char *s = (const unsigned char *)p, *end = s + n;
    while (s < end) {
        const unsigned char *cend = end - s > CHUNK ? s + CHUNK : end;
        /* worst case: every byte becomes \u00XX (6 bytes); a sequence may run 3 bytes past cend */
        TMS_TRY(tms_buf_reserve(b, (size_t)(cend - s) * 6 + 32));
        char *w = b->data + b->len;
        while (s < cend) {
            const unsigned char *run = s;
            for (;;) {
#if defined(__SSE2__)
                unsigned k = 16;
                while (cend - s >= 16 && (k = first_escape16(s, valid)) == 16) s += 16;
                if (k < 16) s += k;
                else
#endif
                {
                    while (cend - s >= 8) {
                        uint64_t x = load8(s);
                        if (has_byte(x, '"') | has_byte(x, '\\') | has_less(x, 0x20) | has_byte(x, 0x7F) |
                            (valid ? 0 : x & HIGHS))
                            break;
                        s += 8;
                    }
                    while (s < cend && (esc_class[*s] == 0 || (valid && esc_class[*s] == 2))) s++;
                }
                if (valid || s >= cend || *s < 0xC2) break;
                /* valid 2- and 3-byte sequences inline; anything else is decoded below */
                if (*s <= 0xDF && end - s >= 2 && (s[1] & 0xC0) == 0x80) { s += 2; continue; }
                if (*s >= 0xE0 && *s <= 0xEF && end - s >= 3 && (s[2] & 0xC0) == 0x80 &&
                    (*s == 0xE0 ? (s[1] & 0xE0) == 0xA0 : *s == 0xED ? (s[1] & 0xE0) == 0x80 : (s[1] & 0xC0) == 0x80)) {
                    s += 3;
                    continue;
                }
                break;
            }
            memcpy(w, run, (size_t)(s - run));
            w += s - run;
            if (s >= cend) break;
            unsigned c = *s;
            if (esc_class[c] == 1) {
                w = put_escape(w, c);
                s++;
                continue;
            }
            int32_t cp;
            size_t k = tms_utf8_decode(s, (size_t)(end - s), &cp);
            if (cp < 0) {
                memcpy(w, "\xEF\xBF\xBD", 3);
                w += 3;
                if (repaired) (*repaired)++;
            } else {
                memcpy(w, s, k);
                w += k;
            }
            s += k;
        }
        b->len = (size_t)(w - b->data);
        b->data[b->len] = 0;
    }
    return tms_buf_addc(b, '"');
}

/* On failure the buffer is left as it was. */
static tamis_status put_string_whole(tms_buf *b, const char *p, size_t n, bool valid, uint64_t *repaired)
{
    size_t start = b->len;
    tamis_status st = put_string(b, p, n, valid, repaired);
    if (st != TAMIS_OK && b->data) {
        b->len = start;
        b->data[start] = 0;
    }
    return st;
}

tamis_status tms_json_put_string(tms_buf *b, const char *p, size_t n, uint64_t *repaired)
{
    return put_string_whole(b, p, n, false, repaired);
}

tamis_status tms_json_put_string_utf8(tms_buf *b, const char *p, size_t n)
{
    return put_string_whole(b, p, n, true, NULL);
}

tamis_status tms_json_put_double(tms_buf *b, double x)
{
    char t[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, x);
        if (strtod(t, NULL) == x) break;
    }
    return tms_buf_adds(b, t);
}
