/*
 * exact_dedup.c -- the `exact_dedup` stage: the 64-bit XXH3 hash of the text
 * as it reaches the stage (computed in parallel); in input order, the first
 * document with a hash is kept and later ones are rejected as
 * `exact_duplicate` with duplicate_of = the kept copy's input position.
 *
 * Memory: the index is built to stay under 16 bytes per distinct document,
 * also while it grows.
 *  - 256 Robin Hood hash tables, picked by the hash's top 8 bits; a slot is
 *    11 packed bytes: the other 56 bits of the hash and the document's
 *    distinct index (32 bits). Any capacity (home slot by multiply-shift, not
 *    a mask), grown by 1.2x when 95% full: 1.05 to 1.27 slots per document,
 *    11.6 to 13.9 bytes. The tables grow one at a time, so the copy made while
 *    growing is 1/256 of the index.
 *  - The kept copies' positions in input order, which only grow: a varint
 *    of the difference to the previous one (1 byte for consecutive JSONL
 *    lines), with a {position, byte offset} entry every 256 documents.
 * A false match needs two different texts with the same 64-bit hash: about
 * n^2 / 2^65 among n distinct texts (0.03 for a billion). At most 2^32 - 1
 * distinct documents per run.
 */
#include "stage.h"
#include "../core/alloc.h"
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

enum { C_DISTINCT, C_N };
static const char *const counter_names[C_N] = {"distinct"};

#define POS_BLOCK 256
#define LOG_CHUNK ((size_t)1 << 20)
#define VARINT_MAX 10
typedef struct pos_block { uint64_t first; const unsigned char *at; } pos_block;
/* the log lives in chunks that are never moved or grown: no realloc copies */
typedef struct log_chunk {
    struct log_chunk *prev;
    size_t used;
    unsigned char data[];
} log_chunk;

#define SLOT 11   /* 7 bytes of hash (bits 0-55), 4 bytes of distinct index */
#define NSUB 256
#define KEY_MASK 0x00FFFFFFFFFFFFFFull

typedef struct sub {
    unsigned char *slot;  /* cap * SLOT bytes; key 0 = empty */
    size_t cap, used;
} sub;

typedef struct table {
    sub sub[NSUB];
    size_t used;       /* distinct documents */
    /* positions of distinct documents, in order */
    log_chunk *log;    /* varints of position deltas; a block never spans two chunks */
    pos_block *blocks; /* one per POS_BLOCK documents */
    size_t nblocks, blocks_cap;
    uint64_t last_pos;
} table;

static inline uint64_t key_at(const unsigned char *p)
{
    uint64_t k = 0;
    memcpy(&k, p, 7); /* little-endian */
    return k;
}
static inline uint32_t idx_at(const unsigned char *p)
{
    uint32_t i;
    memcpy(&i, p + 7, 4);
    return i;
}
static inline void put_slot(unsigned char *p, uint64_t k, uint32_t i)
{
    memcpy(p, &k, 7);
    memcpy(p + 7, &i, 4);
}
/* home slot of a 56-bit key: its bits read as a fraction of the capacity */
static inline size_t home(uint64_t k, size_t cap) { return (size_t)(((unsigned __int128)(k << 8) * cap) >> 64); }

static tamis_status global_create(const tms_config *cfg, void **out)
{
    (void)cfg;
    table *t = tms_calloc(1, sizeof *t);
    if (!t) return TAMIS_E_NOMEM;
    *out = t;
    return TAMIS_OK;
}

static void global_free(void *p)
{
    table *t = p;
    if (!t) return;
    for (size_t i = 0; i < NSUB; i++) tms_free(t->sub[i].slot);
    for (log_chunk *c = t->log, *prev; c; c = prev) {
        prev = c->prev;
        tms_free(c);
    }
    tms_free(t->blocks);
    tms_free(t);
}

/* Robin Hood insert of a key known to be absent. */
static void insert(unsigned char *slots, size_t cap, uint64_t k, uint32_t i)
{
    size_t j = home(k, cap), dist = 0;
    for (;;) {
        unsigned char *p = slots + j * SLOT;
        uint64_t kj = key_at(p);
        if (!kj) { put_slot(p, k, i); return; }
        size_t hj = home(kj, cap);
        size_t dj = j >= hj ? j - hj : j + cap - hj;
        if (dj < dist) { /* take the slot from the richer entry and carry that one on */
            uint32_t ij = idx_at(p);
            put_slot(p, k, i);
            k = kj;
            i = ij;
            dist = dj;
        }
        j = j + 1 == cap ? 0 : j + 1;
        dist++;
    }
}

/* The slot holding key k, or NULL. */
static const unsigned char *find(const sub *s, uint64_t k)
{
    if (!s->cap) return NULL;
    size_t j = home(k, s->cap), dist = 0;
    for (;;) {
        const unsigned char *p = s->slot + j * SLOT;
        uint64_t kj = key_at(p);
        if (!kj) return NULL;
        if (kj == k) return p;
        size_t hj = home(kj, s->cap);
        size_t dj = j >= hj ? j - hj : j + s->cap - hj;
        if (dj < dist) return NULL; /* k would have been placed before this entry */
        j = j + 1 == s->cap ? 0 : j + 1;
        dist++;
    }
}

static tamis_status grow(sub *s)
{
    size_t ncap = s->cap < 64 ? 64 : s->cap + s->cap / 5;
    unsigned char *ns = tms_calloc(ncap, SLOT);
    if (!ns) return TAMIS_E_NOMEM;
    for (size_t j = 0; j < s->cap; j++) {
        const unsigned char *p = s->slot + j * SLOT;
        uint64_t k = key_at(p);
        if (k) insert(ns, ncap, k, idx_at(p));
    }
    tms_free(s->slot);
    s->slot = ns;
    s->cap = ncap;
    return TAMIS_OK;
}

static tamis_status log_position(table *t, uint64_t pos)
{
    if (t->used % POS_BLOCK == 0) {
        if (TMS_GROW(t->blocks, t->blocks_cap, t->nblocks, 64)) return TAMIS_E_NOMEM;
        if (!t->log || LOG_CHUNK - t->log->used < (POS_BLOCK - 1) * VARINT_MAX) {
            log_chunk *c = tms_malloc(sizeof *c + LOG_CHUNK);
            if (!c) return TAMIS_E_NOMEM;
            c->prev = t->log;
            c->used = 0;
            t->log = c;
        }
        t->blocks[t->nblocks++] = (pos_block){pos, t->log->data + t->log->used};
        t->last_pos = pos;
        return TAMIS_OK;
    }
    uint64_t d = pos - t->last_pos; /* wraps for the rare UINT64_MAX "unknown" */
    unsigned char *v = t->log->data + t->log->used; /* room was set aside for the block */
    do {
        *v = (unsigned char)(d & 0x7F);
        d >>= 7;
        if (d) *v |= 0x80;
        v++;
    } while (d);
    t->log->used = (size_t)(v - t->log->data);
    t->last_pos = pos;
    return TAMIS_OK;
}

static uint64_t position_of(const table *t, uint32_t i)
{
    const pos_block *b = &t->blocks[i / POS_BLOCK];
    uint64_t pos = b->first;
    const unsigned char *p = b->at;
    for (uint32_t k = 0; k < i % POS_BLOCK; k++) {
        uint64_t d = 0;
        int shift = 0;
        do {
            d |= (uint64_t)(*p & 0x7F) << shift;
            shift += 7;
        } while (*p++ & 0x80);
        pos += d;
    }
    return pos;
}

static tamis_status process(void *w, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    (void)w; (void)ctr;
    uint64_t h = XXH3_64bits(doc->text, doc->len);
    doc->hash = h;
    *v = TMS_KEEP;
    return TAMIS_OK;
}

static tamis_status commit(void *g, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    table *t = g;
    uint64_t k = doc->hash & KEY_MASK;
    if (!k) k = 1; /* 0 marks an empty slot */
    sub *s = &t->sub[doc->hash >> 56];
    const unsigned char *p = find(s, k);
    if (p) {
        doc->duplicate_of = position_of(t, idx_at(p));
        return tms_reject_bare(doc, v, "exact_duplicate"); /* also clears a later stage's measurement */
    }
    if (t->used == UINT32_MAX) return TAMIS_E_TOO_BIG;
    if ((s->used + 1) * 20 > s->cap * 19) TMS_TRY(grow(s));
    TMS_TRY(log_position(t, doc->rec.pos_key));
    insert(s->slot, s->cap, k, (uint32_t)t->used);
    s->used++;
    t->used++;
    ctr[C_DISTINCT]++;
    *v = TMS_KEEP;
    return TAMIS_OK;
}

static const tms_rule_info rules[] = {
    {"exact_duplicate", NULL,
     "text byte for byte the same as an earlier document's (64-bit XXH3 hash); the first is kept"},
};

const tms_stage_vt tms_stage_exact_dedup = {
    .name = "exact_dedup",
    .description = "drop documents whose text is byte-identical to an earlier one (64-bit hash)",
    .in_default = true,
    .counter_names = counter_names,
    .ncounters = C_N,
    .global_create = global_create,
    .global_free = global_free,
    .process = process,
    .commit = commit,
    .rules = rules,
    .nrules = TMS_ARRAY_LEN(rules),
};
