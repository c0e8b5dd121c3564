/*
 * tamis_model.c -- tamis's own language-ID model (lid.h, TMS_LID_TAMIS).
 *
 * The model (model.bin, written by scripts/train-lid.py, embedded by model.S)
 * is a table of hashed features: per bucket a short list of (language,
 * weight). A text is read as code points; the model's character table maps
 * each to its lower case when it is a letter (L*, M*) and to 0 otherwise (a
 * word boundary). Each word, padded with a space on both sides, gives its
 * character n-grams (orders 1-5) and the whole word as features; each
 * feature's list adds its weights to the languages it names. The language
 * with the highest sum wins; the score is a softmax of the sums with a
 * temperature that grows with the number of features (fitted on a
 * calibration split of the training text). docs/internals/LID_MODEL.md has
 * the details and the file format; scripts/lid_common.py computes the same
 * features in Python.
 *
 * The model is checked once (magic, version, sizes, checksum) at first use;
 * a bad model makes every answer "und". No allocation, no global state
 * written after that check: thread-safe.
 */
#include "lid.h"
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

extern const unsigned char tms_lid_model_data[];
extern const size_t tms_lid_model_size;

#define LID_MAGIC "TMSLID\0\1"
#define LID_VERSION 1u
#define LID_HEADER 80u
#define LID_MAX_LANGS 256u
#define LID_MAX_ORDER 6
#define LID_WORD_ORDER 7
#define FNV_SEED 0x811C9DC5u
#define FNV_PRIME 0x01000193u
#define ORDER_MIX 0x9E3779B9u
#define LID_SCRIPT_BLOCK 128
#define LID_NSCRIPTS 64

typedef struct lid_model {
    const unsigned char *langs;    /* nlang x 8 bytes, NUL-padded */
    const unsigned char *priors;   /* f32 per language: log prior (nats) */
    const unsigned char *cidx;     /* u16 per block of 256 code points */
    const unsigned char *cblocks;  /* i16 deltas, -32768 = no letter */
    const unsigned char *sclass;   /* u8 script class per 128 code points (0 = none) */
    const unsigned char *table;    /* 2^bits x slots u16: language | weight << 8, by weight, 0 = empty */
    uint32_t nlang, bits, slots, orders, word_max, ncblocks, ncidx, max_order;
    float temp_a, temp_b, qscale, cal[3];
    uint32_t order_key[LID_MAX_ORDER + 2]; /* n * ORDER_MIX */
    int32_t ascii[128];                    /* the character table's first 128 entries */
    float prior[LID_MAX_LANGS];            /* the priors, copied */
    uint64_t smask[LID_MAX_LANGS];         /* per language, its script classes */
} lid_model;

static lid_model M;
static int M_ok;
static pthread_once_t M_once = PTHREAD_ONCE_INIT;

static inline uint16_t rd16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}
static inline int16_t rdi16(const unsigned char *p)
{
    int16_t v;
    memcpy(&v, p, 2);
    return v;
}
/* the header's fields, read byte by byte (the file is little-endian) */
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static float lef32(const unsigned char *p)
{
    uint32_t u = le32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

/* the character table: 0 = no letter, else the lower-case code point */
static inline uint32_t cmap_slow(const lid_model *m, uint32_t c)
{
    if ((c >> 8) >= m->ncidx) return 0;
    uint32_t b = rd16(m->cidx + 2 * (c >> 8));
    int16_t d = rdi16(m->cblocks + 2 * ((size_t)b * 256 + (c & 0xFF)));
    return d == -32768 ? 0 : (uint32_t)((int32_t)c + d);
}

/* Checks a model file and points *out into it: 0, or a negative number
 * naming the first check that failed. */
static int parse(const unsigned char *p, size_t size, lid_model *out)
{
    const uint16_t one = 1;
    unsigned char endian;
    memcpy(&endian, &one, 1);
    if (endian != 1) return -1; /* the tables are read in host order: little-endian hosts only */
    if (size < LID_HEADER || memcmp(p, LID_MAGIC, 8) || le32(p + 8) != LID_VERSION || le32(p + 12) != LID_HEADER)
        return -2;
    lid_model m;
    memset(&m, 0, sizeof m);
    m.nlang = le32(p + 16);
    m.bits = le32(p + 20);
    m.slots = le32(p + 24);
    m.orders = le32(p + 28);
    m.word_max = le32(p + 32);
    m.ncblocks = le32(p + 36);
    m.ncidx = le32(p + 40);
    m.temp_a = lef32(p + 44);
    m.temp_b = lef32(p + 48);
    m.qscale = lef32(p + 52);
    for (int i = 0; i < 3; i++) m.cal[i] = lef32(p + 56 + 4 * i);
    uint32_t total = le32(p + 68), sum = le32(p + 72);
    if (total != size || m.nlang == 0 || m.nlang > LID_MAX_LANGS || m.bits < 8 || m.bits > 24 || m.slots == 0 || m.slots > 64 ||
        m.ncidx == 0 || m.ncidx > 0x1100 || m.ncblocks == 0 || m.ncblocks > m.ncidx ||
        (m.orders & ~(uint32_t)(0x7E | 1u << LID_WORD_ORDER)) || !(m.temp_a > 0) || !(m.qscale > 0) ||
        !isfinite(m.temp_b) || !isfinite(m.cal[0]) || !isfinite(m.cal[1]) || !isfinite(m.cal[2]))
        return -3;
    /* checksum: 32-bit FNV-1a over the file, its own field read as zeros */
    uint32_t h = FNV_SEED;
    for (size_t i = 0; i < size; i++)
        h = (h ^ (i >= 72 && i < 76 ? 0 : p[i])) * FNV_PRIME;
    if (h != sum) return -4;
    /* the sections, in order, each padded to 8 bytes: their offsets first,
     * pointers only once they are known to be inside the file */
    size_t nb = (size_t)1 << m.bits, off[7], at = LID_HEADER;
    const size_t len[7] = {(size_t)m.nlang * 8, (size_t)m.nlang * 4, (size_t)m.ncidx * 2, (size_t)m.ncblocks * 512,
                           (size_t)m.ncidx * 256 / LID_SCRIPT_BLOCK, (size_t)m.nlang * 8, nb * m.slots * 2};
    for (int i = 0; i < 7; i++) {
        off[i] = at;
        at += pad8(len[i]);
    }
    if (at != size) return -5;
    m.langs = p + off[0];
    m.priors = p + off[1];
    m.cidx = p + off[2];
    m.cblocks = p + off[3];
    m.sclass = p + off[4];
    const unsigned char *smask = p + off[5];
    m.table = p + off[6];
    for (uint32_t l = 0; l < m.nlang; l++) {
        const unsigned char *c = m.langs + 8 * l;
        if (!c[0] || c[7]) return -6;
    }
    for (uint32_t i = 0; i < m.ncidx; i++)
        if (rd16(m.cidx + 2 * i) >= m.ncblocks) return -7;
    for (size_t i = 0; i < (size_t)m.ncidx * 256 / LID_SCRIPT_BLOCK; i++)
        if (m.sclass[i] >= LID_NSCRIPTS) return -8;
    for (uint32_t l = 0; l < m.nlang; l++) memcpy(&m.smask[l], smask + 8 * l, 8);
    for (uint32_t l = 0; l < m.nlang; l++) {
        float pr;
        memcpy(&pr, m.priors + 4 * l, 4);
        if (!(pr < 20 && pr > -100)) return -9;
        m.prior[l] = pr;
    }
    /* entries name known languages; the lists end at the first empty slot */
    for (size_t i = 0; i < nb * m.slots; i++) {
        uint16_t v = rd16(m.table + 2 * i);
        if ((v & 0xFF) >= m.nlang || (v && (v >> 8) == 0)) return -10;
    }
    for (uint32_t n = 0; n < LID_MAX_ORDER + 2; n++) m.order_key[n] = n * ORDER_MIX;
    for (uint32_t n = 1; n <= LID_MAX_ORDER; n++)
        if (m.orders >> n & 1) m.max_order = n;
    for (uint32_t c = 0; c < 128; c++) m.ascii[c] = (int32_t)cmap_slow(&m, c);
    *out = m;
    return 0;
}

int tms_lid_tamis_validate(const void *data, size_t size);
/* 0 when data[0..size) is a valid model (for the unit tests) */
int tms_lid_tamis_validate(const void *data, size_t size)
{
    lid_model m;
    return data ? parse(data, size, &m) : -100;
}

static void load(void)
{
    lid_model m;
    if (parse(tms_lid_model_data, tms_lid_model_size, &m) == 0) {
        M = m;
        M_ok = 1;
    }
}

static const lid_model *model(void)
{
    pthread_once(&M_once, load);
    return M_ok ? &M : NULL;
}

/* murmur3's finalizer */
static inline uint32_t fmix(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

/* Buckets are looked up in batches: each feature's bucket is prefetched when
 * its hash is known and its weights added LID_BATCH features later, so that
 * the table's cache misses overlap. */
#define LID_BATCH 32

typedef struct pending {
    const unsigned char *e[LID_BATCH];
    unsigned n;
    int32_t *acc;
} pending;

static inline void flush(const lid_model *m, pending *q)
{
    int32_t *acc = q->acc;
    for (unsigned i = 0; i < q->n; i++) {
        const unsigned char *e = q->e[i];
        for (uint32_t k = 0; k < m->slots; k++) {
            uint16_t v = rd16(e + 2 * k);
            if (!v) break;
            acc[v & 0xFF] += v >> 8;
        }
    }
    q->n = 0;
}

static inline void add(const lid_model *m, pending *q, uint32_t h, uint32_t order)
{
    uint32_t b = fmix(h ^ m->order_key[order]) >> (32 - m->bits);
    const unsigned char *e = m->table + 2 * (size_t)b * m->slots;
#if defined(__GNUC__)
    __builtin_prefetch(e);
#endif
    q->e[q->n++] = e;
    if (q->n == LID_BATCH) flush(m, q);
}

/* the state of the word being read */
typedef struct word_state {
    uint32_t h[LID_MAX_ORDER + 1]; /* h[n]: FNV-1a of the last n code points of the padded word */
    uint32_t plen;                 /* code points of the padded word so far */
    uint32_t whash, wlen;          /* the bare word */
} word_state;

/* appends code point c (a letter, or the closing space) to the padded word */
static inline size_t push(const lid_model *m, pending *acc, word_state *w, uint32_t c, int closing)
{
    size_t nf = 0;
    uint32_t maxn = w->plen + 1 < m->max_order ? w->plen + 1 : m->max_order;
    for (uint32_t n = maxn; n >= 1; n--) {
        uint32_t prev = n == 1 ? FNV_SEED : w->h[n - 1];
        w->h[n] = (prev ^ c) * FNV_PRIME;
        if ((m->orders >> n & 1) && !(closing && n == 1)) {
            add(m, acc, w->h[n], n);
            nf++;
        }
    }
    w->plen++;
    return nf;
}

static inline void open_word(word_state *w)
{
    w->h[1] = (FNV_SEED ^ 32u) * FNV_PRIME;
    w->plen = 1;
    w->whash = FNV_SEED;
    w->wlen = 0;
}

static size_t close_word(const lid_model *m, pending *acc, word_state *w)
{
    size_t nf = push(m, acc, w, 32u, 1);
    if ((m->orders >> LID_WORD_ORDER & 1) && w->wlen <= m->word_max) {
        add(m, acc, w->whash, LID_WORD_ORDER);
        nf++;
    }
    return nf;
}

/* Decodes one code point of s[i..n); an invalid sequence is one byte that is
 * no letter (returned as 0). */
static inline uint32_t next_cp(const unsigned char *s, size_t n, size_t *i)
{
    size_t k = *i;
    unsigned c = s[k];
    size_t left = n - k;
    if (c >= 0xC2 && c < 0xE0 && left >= 2 && (s[k + 1] & 0xC0) == 0x80) {
        *i = k + 2;
        return ((c & 0x1Fu) << 6) | (s[k + 1] & 0x3Fu);
    }
    if (c >= 0xE0 && c < 0xF0 && left >= 3 && (s[k + 1] & 0xC0) == 0x80 && (s[k + 2] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x0Fu) << 12) | ((s[k + 1] & 0x3Fu) << 6) | (s[k + 2] & 0x3Fu);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *i = k + 3;
            return cp;
        }
    }
    if (c >= 0xF0 && c < 0xF5 && left >= 4 && (s[k + 1] & 0xC0) == 0x80 && (s[k + 2] & 0xC0) == 0x80 &&
        (s[k + 3] & 0xC0) == 0x80) {
        uint32_t cp = ((c & 0x07u) << 18) | ((s[k + 1] & 0x3Fu) << 12) | ((s[k + 2] & 0x3Fu) << 6) | (s[k + 3] & 0x3Fu);
        if (cp >= 0x10000 && cp <= 0x10FFFF) {
            *i = k + 4;
            return cp;
        }
    }
    *i = k + 1;
    return 0;
}

/* what has been read of a text */
typedef struct tally {
    int32_t acc[LID_MAX_LANGS];      /* summed weights per language */
    uint32_t scripts[LID_NSCRIPTS]; /* letters per script class */
    size_t nf;                      /* features */
} tally;

/* Adds every feature of s[0..n) to t. */
static void score_text(const lid_model *m, const char *text, size_t n, tally *t)
{
    const unsigned char *s = (const unsigned char *)text;
    const size_t nsc = (size_t)m->ncidx * 256 / LID_SCRIPT_BLOCK;
    pending q, *acc = &q;
    q.n = 0;
    q.acc = t->acc;
    word_state w;
    int in_word = 0;
    size_t nf = 0;
    memset(&w, 0, sizeof w);
    for (size_t i = 0; i < n;) {
        uint32_t c = s[i], lc;
        if (c < 0x80) {
            lc = (uint32_t)m->ascii[c];
            i++;
        } else {
            c = next_cp(s, n, &i);
            lc = c ? cmap_slow(m, c) : 0;
        }
        if (lc) {
            if (!in_word) {
                open_word(&w);
                in_word = 1;
            }
            nf += push(m, acc, &w, lc, 0);
            w.whash = (w.whash ^ lc) * FNV_PRIME;
            w.wlen++;
            if (lc / LID_SCRIPT_BLOCK < nsc) t->scripts[m->sclass[lc / LID_SCRIPT_BLOCK]]++;
        } else if (in_word) {
            nf += close_word(m, acc, &w);
            in_word = 0;
        }
    }
    if (in_word) nf += close_word(m, acc, &w);
    flush(m, &q);
    t->nf += nf;
}

static void set_lang(tms_lid_guess *g, const lid_model *m, uint32_t l, float score)
{
    memcpy(g->lang, m->langs + 8 * (size_t)l, 8);
    g->script[0] = 0;
    g->score = score;
}

/* The logits: acc / (qscale * T(nf)) + prior, T(n) = a * n^b; -inf for the
 * languages written in none of the text's main script classes (those with at
 * least a quarter as many letters as the most frequent one), unless no
 * language is. */
static void logits(const lid_model *m, const tally *t, double *z)
{
    uint32_t top = 0;
    for (uint32_t c = 1; c < LID_NSCRIPTS; c++)
        if (t->scripts[c] > top) top = t->scripts[c];
    uint64_t main = 0;
    for (uint32_t c = 1; c < LID_NSCRIPTS && top; c++)
        if ((uint64_t)t->scripts[c] * 4 >= top) main |= (uint64_t)1 << c;
    int any = 0;
    for (uint32_t l = 0; l < m->nlang && main && !any; l++) any = (m->smask[l] & main) != 0;
    double k = 1.0 / ((double)m->qscale * (double)m->temp_a * pow((double)t->nf, (double)m->temp_b));
    for (uint32_t l = 0; l < m->nlang; l++)
        z[l] = !any || (m->smask[l] & main) ? t->acc[l] * k + m->prior[l] : -INFINITY;
}

static void top2(const lid_model *m, const double *z, uint32_t *best, uint32_t *second)
{
    uint32_t b = 0, s = m->nlang > 1 ? 1 : 0;
    if (m->nlang > 1 && z[1] > z[0]) b = 1, s = 0;
    for (uint32_t l = 2; l < m->nlang; l++) {
        if (z[l] > z[b]) s = b, b = l;
        else if (z[l] > z[s]) s = l;
    }
    *best = b;
    *second = s;
}

/* Long texts are read in chunks of about LID_CHUNK bytes, cut after a blank,
 * in an order that spreads them over the text (0, 1/2, 1/4, 3/4, ...); once
 * two chunks are read, reading stops when the runner-up's logit is LID_STOP
 * below the best's (its probability under 1/20000 of the best's). */
#define LID_CHUNK 256
#define LID_STOP 10.0

static size_t cut(const unsigned char *s, size_t n, size_t p)
{
    if (p == 0 || p >= n) return p >= n ? n : 0;
    for (size_t i = p; i < n && i < p + 64; i++)
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t') return i + 1;
    while (p < n && (s[p] & 0xC0) == 0x80) p++;
    return p;
}

static void score_chunked(const lid_model *m, const char *text, size_t n, tally *t)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t k = (n + LID_CHUNK - 1) / LID_CHUNK, p2 = 1, done = 0;
    while (p2 < k) p2 <<= 1;
    unsigned bits = 0;
    while (((size_t)1 << bits) < p2) bits++;
    for (size_t j = 0; j < p2; j++) {
        size_t r = 0; /* j with its bits reversed */
        for (unsigned b = 0; b < bits; b++) r |= ((j >> b) & 1) << (bits - 1 - b);
        if (r >= k) continue;
        size_t a = cut(s, n, r * n / k), e = cut(s, n, (r + 1) * n / k);
        if (e > a) score_text(m, text + a, e - a, t);
        if (++done >= 2 && t->nf) {
            double z[LID_MAX_LANGS];
            uint32_t b1, b2;
            logits(m, t, z);
            top2(m, z, &b1, &b2);
            if (z[b1] - z[b2] >= LID_STOP) break;
        }
    }
}

void tms_lid_tamis_detect(const char *text, size_t len, unsigned flags, tms_lid_result *out)
{
    (void)flags; /* one model for short and long text */
    memset(out, 0, sizeof *out);
    memcpy(out->best.lang, "und", 4);
    out->bytes_used = len;
    const lid_model *m = model();
    if (!m || !text || !len) return;
    tally t;
    memset(&t, 0, sizeof t);
    if (len > 2 * LID_CHUNK) score_chunked(m, text, len, &t);
    else score_text(m, text, len, &t);
    if (!t.nf) return;
    double z[LID_MAX_LANGS], sum = 0;
    uint32_t best, second;
    logits(m, &t, z);
    top2(m, z, &best, &second);
    for (uint32_t l = 0; l < m->nlang; l++)
        if (z[l] - z[best] > -40) sum += exp(z[l] - z[best]);
    /* the score: a logistic function of the softmax probability's logit and
     * of the log of the number of features (fitted with the temperature);
     * the runner-up's probability scaled alike */
    double p = 1.0 / sum, pc = p < 1e-9 ? 1e-9 : p > 1 - 1e-9 ? 1 - 1e-9 : p;
    double score = 1.0 / (1.0 + exp(-(m->cal[0] + m->cal[1] * log(pc / (1 - pc)) + m->cal[2] * log((double)t.nf))));
    set_lang(&out->best, m, best, (float)score);
    if (second != best && z[second] - z[best] > -40) {
        double r = exp(z[second] - z[best]) / sum * score / p;
        set_lang(&out->runner_up, m, second, (float)(r < 1 - score ? r : 1 - score));
    }
}

size_t tms_lid_tamis_nlanguages(void)
{
    const lid_model *m = model();
    return m ? m->nlang : 0;
}

const char *tms_lid_tamis_language(size_t i)
{
    const lid_model *m = model();
    return m && i < m->nlang ? (const char *)m->langs + 8 * i : NULL;
}
