/*
 * exact_dedup.c -- the `exact_dedup` stage: the 64-bit XXH3 hash of the text
 * as it reaches the stage (computed in parallel); in input order, the first
 * document with a hash is kept and later ones are rejected as
 * `exact_duplicate` with duplicate_of = the kept copy's input position.
 *
 * Index: open addressing with linear probing, 16-byte slots {hash, position},
 * grown x2 at 3/4 load: 21 to 43 bytes per distinct document. A false match
 * needs two different texts with the same 64-bit hash: expected
 * n^2 / 2^65 of them among n distinct texts (0.03 for a billion).
 */
#include "stage.h"
#include "../core/alloc.h"
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

enum { C_DISTINCT, C_N };
static const char *const counter_names[C_N] = {"distinct"};

typedef struct slot { uint64_t hash, pos; } slot;
typedef struct table {
    slot *s;
    size_t cap, used; /* cap is a power of two */
} table;

static tamis_status global_create(const tms_config *cfg, void **out)
{
    (void)cfg;
    table *t = tms_calloc(1, sizeof *t);
    if (!t) return TAMIS_E_NOMEM;
    t->cap = 1 << 12;
    t->s = tms_calloc(t->cap, sizeof(slot));
    if (!t->s) { tms_free(t); return TAMIS_E_NOMEM; }
    *out = t;
    return TAMIS_OK;
}

static void global_free(void *p)
{
    table *t = p;
    if (!t) return;
    tms_free(t->s);
    tms_free(t);
}

static slot *find(slot *s, size_t cap, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    while (s[i].hash && s[i].hash != h) i = (i + 1) & (cap - 1);
    return &s[i];
}

static tamis_status grow(table *t)
{
    size_t ncap = t->cap * 2;
    slot *ns = tms_calloc(ncap, sizeof(slot));
    if (!ns) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < t->cap; i++)
        if (t->s[i].hash) *find(ns, ncap, t->s[i].hash) = t->s[i];
    tms_free(t->s);
    t->s = ns;
    t->cap = ncap;
    return TAMIS_OK;
}

static tamis_status process(void *w, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    (void)w; (void)ctr;
    uint64_t h = XXH3_64bits(doc->text, doc->len);
    doc->hash = h ? h : 1; /* 0 marks an empty slot */
    *v = TMS_KEEP;
    return TAMIS_OK;
}

static tamis_status commit(void *g, tms_doc *doc, uint32_t *ctr, tms_verdict *v)
{
    table *t = g;
    if (t->used + 1 > t->cap / 4 * 3) TMS_TRY(grow(t));
    slot *s = find(t->s, t->cap, doc->hash);
    if (s->hash) {
        doc->duplicate_of = s->pos;
        doc->reason = "exact_duplicate";
        *v = TMS_REJECT;
        return TAMIS_OK;
    }
    s->hash = doc->hash;
    s->pos = doc->rec.pos_key;
    t->used++;
    ctr[C_DISTINCT]++;
    *v = TMS_KEEP;
    return TAMIS_OK;
}

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
};
