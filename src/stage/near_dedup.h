/*
 * near_dedup.h -- what the near_dedup stage exchanges with the sharded steps
 * (src/shard/near_shard.h): the sign step's export of its corpus pass, and
 * the apply step's decisions. The stage owns no files: the pipeline hands
 * these over.
 */
#ifndef TMS_NEAR_DEDUP_H
#define TMS_NEAR_DEDUP_H
#include "../tamis_int.h"

/* what the sign step hands over (near_dedup's export, positions formatted) */
typedef struct tms_nd_params {
    uint32_t keep, verify, nhashes, bands;
    double threshold;
} tms_nd_params;

typedef struct tms_nd_sign {
    tms_nd_params params;
    uint32_t ndocs;
    const uint8_t *has_sig;        /* per document */
    const uint32_t *len;           /* per document: text bytes (keep longest) */
    const uint8_t *sketch;         /* ndocs * (nhashes + 7) / 8 */
    const char *const *pos;        /* per document: "FILE:LINE" (may be NULL) */
    struct tms_nd_rec *const *band; /* per band: (key, document) pairs, any order (sorted here) */
    const size_t *nband;
} tms_nd_sign;

/* a band key (40 bits, as the in-process index compares them) and a document */
typedef struct tms_nd_rec {
    uint64_t key;
    uint32_t idx;
} tms_nd_rec;

/* decisions of one shard for the apply step */
typedef struct tms_nd_decisions {
    uint32_t ndocs;
    uint32_t offset;               /* global number of the shard's first document */
    uint32_t *root;                /* per document: global number of its cluster's root */
    uint32_t *size;                /* per document: its cluster's size (at roots) */
    uint32_t *dup_off;             /* ndocs + 1 offsets into dup_text */
    char *dup_text;                /* the root's position, for removed documents */
    uint64_t candidates, unverified, nosig; /* run totals, counted at global document 0 */
} tms_nd_decisions;

/* sign step: what the corpus pass gathered (valid until the stage is freed);
 * pos_key[i] is document i's input position, for the pipeline to format */
void tms_near_dedup_export(void *global, tms_nd_sign *out, const uint64_t **pos_key);
/* apply step: the decisions to take instead of a corpus pass (owned by the stage) */
void tms_near_dedup_set_decisions(void *global, tms_nd_decisions *d);
void tms_nd_decisions_free(tms_nd_decisions *d);

/* The clusters, shared by the stage and the cluster step so both decide
 * alike: the root of x (compressing the path), and the join of the sets of x
 * and y (x < y) under a keep policy (0 first: the lower root; 1 longest: the
 * larger len, ties lower; 2 reference: the larger set, ties the root of x). */
uint32_t tms_nd_find(uint32_t *parent, uint32_t x);
void tms_nd_join(int keep, uint32_t *parent, uint32_t *size, const uint32_t *len, uint32_t x, uint32_t y);
#endif
