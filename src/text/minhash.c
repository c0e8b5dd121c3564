/*
 * minhash.c -- datatrove-compatible MinHash signatures (see minhash.h).
 */
#include "minhash.h"
#include "uni.h"
#include "../core/utf8.h"
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define MERSENNE ((UINT64_C(1) << 61) - 1)

/* ==== numpy's RandomState: MT19937 seeded by init_genrand, randint by
 * masked rejection on 64-bit draws (high word first) ==== */

typedef struct mt19937 {
    uint32_t mt[624];
    int i;
} mt19937;

static void mt_seed(mt19937 *s, uint32_t seed)
{
    s->mt[0] = seed;
    for (int i = 1; i < 624; i++) s->mt[i] = 1812433253u * (s->mt[i - 1] ^ (s->mt[i - 1] >> 30)) + (uint32_t)i;
    s->i = 624;
}

static uint32_t mt_next(mt19937 *s)
{
    if (s->i >= 624) {
        for (int k = 0; k < 624; k++) {
            uint32_t y = (s->mt[k] & 0x80000000u) | (s->mt[(k + 1) % 624] & 0x7fffffffu);
            s->mt[k] = s->mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) ? 0x9908b0dfu : 0);
        }
        s->i = 0;
    }
    uint32_t y = s->mt[s->i++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* randint(off, off + rng + 1) for a 64-bit range */
static uint64_t bounded(mt19937 *s, uint64_t off, uint64_t rng)
{
    uint64_t mask = rng;
    for (int k = 1; k < 64; k <<= 1) mask |= mask >> k;
    uint64_t v;
    do {
        uint64_t hi = mt_next(s);
        v = ((hi << 32) | mt_next(s)) & mask;
    } while (v > rng);
    return off + v;
}

void tms_minhash_params_init(tms_minhash_params *p, uint32_t seed, size_t nhashes, size_t ngram, tms_shingle_hash hash)
{
    mt19937 s;
    mt_seed(&s, seed);
    p->nhashes = nhashes < TMS_MINHASH_MAX ? nhashes : TMS_MINHASH_MAX;
    p->ngram = ngram;
    p->hash = hash;
    for (size_t i = 0; i < p->nhashes; i++) p->a[i] = bounded(&s, 1, MERSENNE - 2); /* randint(1, 2^61 - 1) */
    for (size_t i = 0; i < p->nhashes; i++) p->b[i] = bounded(&s, 0, MERSENNE - 1); /* randint(0, 2^61 - 1) */
}

/* ==== simplify_text ==== */

static bool is_nd(uint32_t c)
{
    if (c < 128) return c >= '0' && c <= '9';
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_ND;
}

static bool is_num_sep(uint32_t c)
{
    return c == '.' || c == ',' || c == 0x060C || c == 0x066B || c == 0x2396 || c == 0x2397 || c == 0x2398;
}

/* appends the n (<= 4) bytes at p, with room kept for what remains of the
 * input (rest): no terminating NUL per character */
static inline tamis_status put_bytes(tms_buf *b, const char *p, size_t n, size_t rest)
{
    if (TMS_UNLIKELY(b->cap - b->len < n + 1 || !b->data)) TMS_TRY(tms_buf_reserve(b, rest + n + 8));
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return TAMIS_OK;
}

static tamis_status put_cp(tms_buf *b, uint32_t c)
{
    char u[4];
    return tms_buf_add(b, u, tms_utf8_encode(c, u));
}

/* ASCII: what lower_numbers_punct writes for a byte, 0 for digits */
static unsigned char ascii_map[128];
/* BMP code points each step copies unchanged: not a digit, not
 * PUNCTUATION, their own lower case (plain[]); NFD of themselves and not Mn
 * (stable[]) -- built once, so most text never calls utf8proc */
static uint64_t plain[0x10000 / 64], stable[0x10000 / 64];
static bool bit(const uint64_t *set, uint32_t c) { return c < 0x10000 && (set[c / 64] >> (c % 64) & 1); }

static void init_ascii_map(void)
{
    for (uint32_t c = 0x80; c < 0x10000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        utf8proc_int32_t d[8];
        int last = 0;
        if (!is_nd(c) && !tms_uni_punct_only(c) && !tms_uni_isspace(c) &&
            (uint32_t)utf8proc_tolower((utf8proc_int32_t)c) == c)
            plain[c / 64] |= UINT64_C(1) << (c % 64);
        if (utf8proc_decompose_char((utf8proc_int32_t)c, d, 8, UTF8PROC_DECOMPOSE, &last) == 1 && (uint32_t)d[0] == c &&
            utf8proc_category((utf8proc_int32_t)c) != UTF8PROC_CATEGORY_MN)
            stable[c / 64] |= UINT64_C(1) << (c % 64);
    }
    for (unsigned c = 0; c < 128; c++) {
        unsigned char m = (unsigned char)c;
        if (tms_uni_ascii[c] & (TMS_UNI_PUNCT | TMS_UNI_SPACE)) m = ' ';
        else if (c >= 'A' && c <= 'Z') m = (unsigned char)(c + 32);
        if (c >= '0' && c <= '9') m = 0;
        ascii_map[c] = m;
    }
}

/* lower case; numbers -> "0"; PUNCTUATION -> " "; then re.sub(r"\s+", " ",
 * text.strip()) -- one pass: a punctuation mark or a space only makes the
 * next word start after one space */
static tamis_status lower_numbers_punct_space(const char *s, size_t n, tms_buf *out, bool *nonascii)
{
    *nonascii = false;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_ascii_map);
    tms_buf_reset(out);
    TMS_TRY(tms_buf_reserve(out, n + 2));
    bool pending = false; /* a space is due before the next character */
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80 && ascii_map[b]) { /* the common case: no digit, one byte */
            unsigned char m = ascii_map[b];
            i++;
            if (m == ' ') {
                pending = out->len > 0;
                continue;
            }
            if (TMS_UNLIKELY(out->cap - out->len < 3)) TMS_TRY(tms_buf_reserve(out, n - i + 3)); /* case changes may lengthen */
            if (pending) out->data[out->len++] = ' ';
            out->data[out->len++] = (char)m;
            pending = false;
            continue;
        }
        size_t next;
        uint32_t c = tms_uni_next(s, n, i, &next);
        *nonascii |= b >= 0x80;
        if (bit(plain, c) && c != 0xFFFD) { /* (an invalid byte decodes as U+FFFD: written encoded, below) */
            if (pending) TMS_TRY(put_bytes(out, " ", 1, n - i));
            TMS_TRY(put_bytes(out, s + i, next - i, n - next));
            pending = false;
            i = next;
            continue;
        }
        if (is_nd(c)) { /* \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? */
            i = next;
            while (i < n && is_nd(c = tms_uni_next(s, n, i, &next))) i = next;
            if (i < n && is_num_sep(c)) {
                size_t after;
                if (next < n && is_nd(tms_uni_next(s, n, next, &after))) {
                    i = after;
                    while (i < n && is_nd(tms_uni_next(s, n, i, &next))) i = next;
                }
            }
            if (pending) TMS_TRY(put_bytes(out, " ", 1, n - i));
            TMS_TRY(put_bytes(out, "0", 1, n - i));
            pending = false;
            continue;
        }
        i = next;
        if (c < 128) { /* NUL: written as is */
            if (pending) TMS_TRY(put_bytes(out, " ", 1, n - i));
            TMS_TRY(put_bytes(out, (const char *)&b, 1, n - i));
            pending = false;
            continue;
        }
        if (!tms_uni_punct_only(c)) c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
        if (tms_uni_punct_only(c) || tms_uni_isspace(c)) {
            pending = out->len > 0;
            continue;
        }
        if (pending) TMS_TRY(put_bytes(out, " ", 1, n - i));
        TMS_TRY(put_cp(out, c));
        pending = false;
    }
    return TAMIS_OK;
}

/* NFD, combining marks (Mn) dropped, then strip() */
static tamis_status drop_marks(const char *s, size_t n, tms_buf *out)
{
    tms_buf_reset(out);
    TMS_TRY(tms_buf_reserve(out, n + 1));
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            TMS_TRY(put_bytes(out, s + i, 1, n - i));
            i++;
            continue;
        }
        size_t next;
        uint32_t c = tms_uni_next(s, n, i, &next);
        if (bit(stable, c)) {
            TMS_TRY(put_bytes(out, s + i, next - i, n - next));
            i = next;
            continue;
        }
        i = next;
        utf8proc_int32_t d[32];
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)c, d, 32, UTF8PROC_DECOMPOSE, &last);
        if (k < 0 || k > 32) d[0] = (utf8proc_int32_t)c, k = 1;
        for (utf8proc_ssize_t j = 0; j < k; j++)
            if (utf8proc_category(d[j]) != UTF8PROC_CATEGORY_MN) TMS_TRY(put_cp(out, (uint32_t)d[j]));
    }
    /* strip() */
    size_t a = 0, e = out->len;
    while (a < e) {
        size_t next;
        if (!tms_uni_isspace(tms_uni_next(out->data, e, a, &next))) break;
        a = next;
    }
    while (e > a) {
        size_t start;
        if (!tms_uni_isspace(tms_uni_prev(out->data, e, &start))) break;
        e = start;
    }
    if (a) memmove(out->data, out->data + a, e - a);
    out->len = e - a;
    return TAMIS_OK;
}

tamis_status tms_minhash_simplify(const char *s, size_t n, tms_buf *out, tms_buf *scratch)
{
    bool nonascii;
    TMS_TRY(lower_numbers_punct_space(s, n, out, &nonascii));
    /* ASCII text is its own NFD, without marks, and already stripped */
    if (!nonascii) return TAMIS_OK;
    tms_buf t = *scratch; /* the marks pass reads out and writes scratch: swap them */
    *scratch = *out;
    *out = t;
    return drop_marks(scratch->data, scratch->len, out);
}

/* ==== shingles and the signature ==== */

/* SHA-1 (FIPS 180-4), only for the first 8 bytes of a shingle's digest */
static uint64_t sha1_first8(const unsigned char *m, size_t n)
{
    uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    unsigned char block[64];
    uint64_t bits = (uint64_t)n * 8;
    size_t total = ((n + 8) / 64 + 1) * 64;
    for (size_t off = 0; off < total; off += 64) {
        for (size_t j = 0; j < 64; j++) {
            size_t k = off + j;
            block[j] = k < n ? m[k] : k == n ? 0x80 : 0;
        }
        if (off + 64 == total)
            for (int j = 0; j < 8; j++) block[56 + j] = (unsigned char)(bits >> (56 - 8 * j));
        uint32_t w[80];
        for (int t = 0; t < 16; t++)
            w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 | (uint32_t)block[4 * t + 2] << 8 |
                   block[4 * t + 3];
        for (int t = 16; t < 80; t++) {
            uint32_t x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
            w[t] = x << 1 | x >> 31;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int t = 0; t < 80; t++) {
            uint32_t f, k;
            if (t < 20) f = (b & c) | (~b & d), k = 0x5A827999u;
            else if (t < 40) f = b ^ c ^ d, k = 0x6ED9EBA1u;
            else if (t < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDCu;
            else f = b ^ c ^ d, k = 0xCA62C1D6u;
            uint32_t tmp = (a << 5 | a >> 27) + f + e + k + w[t];
            e = d, d = c, c = b << 30 | b >> 2, b = a, a = tmp;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    /* digest bytes 0..7 = h[0], h[1] big-endian; read them little-endian */
    unsigned char dg[8];
    for (int j = 0; j < 4; j++) dg[j] = (unsigned char)(h[0] >> (24 - 8 * j)), dg[4 + j] = (unsigned char)(h[1] >> (24 - 8 * j));
    uint64_t v = 0;
    for (int j = 7; j >= 0; j--) v = v << 8 | dg[j];
    return v;
}

uint64_t tms_minhash_shingle(tms_shingle_hash h, const char *s, size_t n)
{
    return h == TMS_SHINGLE_SHA1 ? sha1_first8((const unsigned char *)s, n) : XXH64(s, n, 0);
}

/* sig[i] = min(sig[i], permutation i of each shingle hash): the hot loop,
 * written so that compilers vectorize it over i (AVX-512 has 64-bit
 * multiplies and unsigned minima; the clones pick the widest the CPU has) */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"), optimize("O3")))
#endif
static void permute_min(const uint64_t *restrict a, const uint64_t *restrict b, size_t nh, const uint64_t *restrict sh,
                        size_t nsh, uint64_t *restrict sig)
{
    for (size_t k = 0; k < nsh; k++) {
        uint64_t s = sh[k];
        for (size_t i = 0; i < nh; i++) {
            uint64_t v = s * a[i] + b[i];
            v = (v & MERSENNE) + (v >> 61);
            v = v >= MERSENNE ? v - MERSENNE : v;
            sig[i] = v < sig[i] ? v : sig[i];
        }
    }
}

tamis_status tms_minhash_signature(const tms_minhash_params *p, const char *text, const tms_span *words, size_t nwords,
                                   uint64_t *sig, bool *has_sig, tms_buf *scratch)
{
    size_t k = p->ngram, nh = p->nhashes;
    *has_sig = nwords >= k && k > 0;
    if (!*has_sig) return TAMIS_OK;
    for (size_t i = 0; i < nh; i++) sig[i] = UINT64_MAX;
    enum { BATCH = 64 };
    uint64_t sh[BATCH];
    size_t nsh = 0;
    for (size_t w = 0; w + k <= nwords; w++) {
        /* the words joined by single spaces: often already so in the text */
        size_t first = words[w].off, last = words[w + k - 1].off + words[w + k - 1].len;
        bool contiguous = true;
        for (size_t j = 0; j + 1 < k && contiguous; j++)
            contiguous = words[w + j].off + words[w + j].len + 1 == words[w + j + 1].off &&
                         text[words[w + j].off + words[w + j].len] == ' ';
        if (contiguous) {
            sh[nsh++] = tms_minhash_shingle(p->hash, text + first, last - first);
        } else {
            tms_buf_reset(scratch);
            for (size_t j = 0; j < k; j++) {
                if (j) TMS_TRY(tms_buf_addc(scratch, ' '));
                TMS_TRY(tms_buf_add(scratch, text + words[w + j].off, words[w + j].len));
            }
            sh[nsh++] = tms_minhash_shingle(p->hash, scratch->data, scratch->len);
        }
        if (nsh == BATCH) {
            permute_min(p->a, p->b, nh, sh, nsh, sig);
            nsh = 0;
        }
    }
    permute_min(p->a, p->b, nh, sh, nsh, sig);
    return TAMIS_OK;
}
