/*
 * shard_file.h -- the files that sharded steps leave for each other in a
 * work directory (tamis dedup), and their completion markers.
 *
 * A file is a header, then a payload:
 *   "TMSNDUP1", u32 format version, u32 kind, u32 configuration length,
 *   u64 payload length, u64 XXH64 of the payload, the configuration text.
 * The configuration is every run option that changes a decision (pipeline.c,
 * dedup_config()); a reader refuses a file of another version or kind, a
 * damaged one (length, checksum), or one made with another configuration,
 * naming the file and the first differing option. Files are written under
 * NAME.tmp-PID and renamed, so a reader never sees half of one; a step's
 * marker WORK/STEP/NNNNN.done is written after its files.
 */
#ifndef TMS_SHARD_FILE_H
#define TMS_SHARD_FILE_H
#include "../tamis_int.h"
#include "../core/buf.h"
#include <stdio.h>

enum {
    TMS_SF_DOCS = 1,     /* near_dedup sign: per document, sketch and length */
    TMS_SF_POS = 2,      /* near_dedup sign: input positions */
    TMS_SF_BAND = 3,     /* near_dedup sign: one band's (key, document) pairs */
    TMS_SF_EDGES = 4,    /* near_dedup bucket */
    TMS_SF_DEC = 5,      /* near_dedup cluster: one shard's decisions */
    TMS_SF_LCOUNTS = 6,  /* lines: one shard's (line key, documents) counts */
    TMS_SF_LMERGED = 7,  /* lines-merge: the corpus's counts of 2 or more */
};

/* Whole files: payload in and out of a tms_buf. *config_io: when
 * config_given, the configuration the file must have; else it receives the
 * file's (tms_malloc'ed). */
TMS_NODISCARD tamis_status tms_sf_write(const char *work, const char *step, const char *name, uint32_t kind,
                                        const char *config, const tms_buf *payload, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_sf_read(const char *work, const char *step, const char *name, uint32_t kind,
                                       char **config_io, bool config_given, tms_buf *payload, char *err, size_t errn);

/* Streamed files, for payloads that need not fit in memory. The writer
 * buffers, hashes as it goes and fills in length and checksum at close; the
 * reader checks the header at open and the length and checksum at close
 * (so a caller must not act on what it read before close says OK). */
typedef struct tms_sf_stream tms_sf_stream;
TMS_NODISCARD tamis_status tms_sf_create(const char *work, const char *step, const char *name, uint32_t kind,
                                         const char *config, tms_sf_stream **out, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_sf_open(const char *work, const char *step, const char *name, uint32_t kind,
                                       char **config_io, bool config_given, tms_sf_stream **out, char *err, size_t errn);
TMS_NODISCARD tamis_status tms_sf_put(tms_sf_stream *s, const void *p, size_t n);
/* reads up to n bytes of the payload: fewer only at its end (or when the
 * file is cut short, which close reports) */
size_t tms_sf_get(tms_sf_stream *s, void *p, size_t n);
uint64_t tms_sf_payload_len(const tms_sf_stream *s);
/* Writer: completes and renames the file. Reader: checks the length and
 * the checksum. Either way frees s. tms_sf_abort: frees s, and a writer's
 * temporary file is removed. */
TMS_NODISCARD tamis_status tms_sf_close(tms_sf_stream *s, char *err, size_t errn);
void tms_sf_abort(tms_sf_stream *s);

/* Markers: WORK/STEP/NNNNN.done. */
TMS_NODISCARD tamis_status tms_sf_mark(const char *work, const char *step, uint32_t index, char *err, size_t errn);
bool tms_sf_done(const char *work, const char *step, uint32_t index);
#endif
