/*
 * near_shard.h -- near-duplicate removal as separate steps over shards, with
 * files between them (tamis dedup sign | bucket | cluster | apply), giving
 * the same decisions as the in-process near_dedup stage:
 *   sign    per input shard: the stage's corpus pass, written out: per band,
 *           the (band key, document) pairs sorted by key; per document its
 *           sketch, length and input position;
 *   bucket  per band: every shard's pairs merged by key; in each group of
 *           equal keys, the first document and each later one are a
 *           candidate, verified as in process; the edges, sorted;
 *   cluster one task: the edges of every band joined by union-find under the
 *           keep policy; per shard, each document's cluster root and size,
 *           and the root's input position for the removed ones;
 *   apply   per input shard: the run itself, near_dedup taking its decisions
 *           from the cluster step.
 * Every file starts with a versioned header (magic, format version, kind,
 * the run's configuration, payload length and XXH64 checksum); a step
 * refuses files of another version, a damaged one, or one made with another
 * configuration, naming the file. Files are written under a temporary name
 * and renamed; a step's completion marker (NAME.done) is written last.
 */
#ifndef TMS_NEAR_SHARD_H
#define TMS_NEAR_SHARD_H
#include "../tamis_int.h"
#include "../core/buf.h"
#include "../stage/near_dedup.h"

/* path of a step's file: WORK/sign/shard-00003.band-05 and the like */
TMS_NODISCARD tamis_status tms_nd_write_sign(const char *work, uint32_t shard, const char *config,
                                             const tms_nd_sign *s, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_nd_bucket(const char *work, uint32_t band, uint32_t nshards, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_nd_cluster(const char *work, uint32_t nshards, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_nd_load_decisions(const char *work, uint32_t shard, const char *config,
                                                 tms_nd_decisions *out, char *err, size_t errn);
#endif
