/*
 * lines_shard.h -- the lines stage's corpus counts over shards (CCNet's
 * line deduplication, tamis dedup lines | lines-merge), so that every shard
 * scores its lines with the counts of the whole input, as one process does:
 *   lines        per input shard: the stage's corpus pass, its table written
 *                out sorted by key (WORK/lines/shard-NNNNN.counts);
 *   lines-merge  one task: the shards' tables summed by a k-way merge of the
 *                sorted files, keeping the keys of 2 or more documents
 *                (WORK/lines-merge/counts);
 *   then each shard's sign (near_dedup) and apply steps load the merged
 *   table instead of running the pass; a key not in it counts 1, the
 *   document itself.
 * The files are shard_file.h's: versioned, checksummed, configuration-bound.
 */
#ifndef TMS_LINES_SHARD_H
#define TMS_LINES_SHARD_H
#include "../tamis_int.h"
#include "../stage/lines.h"

TMS_NODISCARD tamis_status tms_ls_write_counts(const char *work, uint32_t shard, const char *config,
                                               const tms_lines_corpus *c, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_ls_merge(const char *work, uint32_t nshards, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_ls_load(const char *work, const char *config, tms_lines_corpus **out, char *err,
                                       size_t errn);
#endif
