/* record_out.h -- writes one document as a JSON line. JSON input is written
 * back as itself with the text field replaced and tamis's keys merged into
 * "metadata" (created if absent); every other field keeps its bytes and its
 * place. Other input is written as {"id","text","metadata"}. The writer
 * knows the format, not the rules: the keys come from the caller. */
#ifndef TMS_RECORD_OUT_H
#define TMS_RECORD_OUT_H
#include "../core/arena.h"
#include "../core/buf.h"
#include "../read/record.h"

typedef struct tms_kv {
    const char *key;   /* ASCII key, no escaping needed */
    const char *val;   /* a string value, raw JSON when raw is set, or NULL: remove the key */
    size_t len;
    bool raw;
} tms_kv;

typedef struct tms_out_fields {
    const char *text_field, *id_field;
} tms_out_fields;

TMS_NODISCARD tamis_status tms_write_record(tms_buf *b, tms_arena *a, const tms_record *rec, const char *text,
                                            size_t len, const tms_out_fields *f, const tms_kv *kv, size_t nkv,
                                            uint64_t *repaired);
/* The same when `text` is known to be valid UTF-8 (normalize's output): it is
 * escaped without being decoded again. */
TMS_NODISCARD tamis_status tms_write_record_valid_text(tms_buf *b, tms_arena *a, const tms_record *rec,
                                                       const char *text, size_t len, const tms_out_fields *f,
                                                       const tms_kv *kv, size_t nkv, uint64_t *repaired);
#endif
