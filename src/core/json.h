/* json.h -- a validating JSON scanner that records the byte spans of an
 * object's members (so a record can be rewritten with every other field
 * left byte-for-byte as it was), a string decoder and an escaping writer. */
#ifndef TMS_JSON_H
#define TMS_JSON_H
#include "../tamis_int.h"
#include "arena.h"
#include "buf.h"

typedef struct tms_json_member {
    const char *key;    /* raw key bytes, without quotes (escapes not decoded) */
    size_t key_len;
    const char *val;    /* raw value bytes, quotes included for strings */
    size_t val_len;
} tms_json_member;

typedef struct tms_json_object {
    tms_json_member *m;  /* members in document order (arena memory) */
    size_t n;
} tms_json_object;

typedef struct tms_json_error {
    const char *msg;     /* static text: "unterminated string" */
    size_t offset;       /* byte offset in the scanned text */
} tms_json_error;

/* Scans p[0..n) as exactly one JSON object (surrounding whitespace allowed),
 * validating every nested value up to max_depth levels, and records its direct
 * members in `obj`. @return TAMIS_OK, TAMIS_E_DATA (err filled) or TAMIS_E_NOMEM. */
TMS_NODISCARD tamis_status tms_json_scan_object(const char *p, size_t n, int max_depth,
                                                tms_arena *a, tms_json_object *obj, tms_json_error *err);

/* The same for exactly one JSON array: its elements land in `arr` with key NULL. */
TMS_NODISCARD tamis_status tms_json_scan_array(const char *p, size_t n, int max_depth, tms_arena *a,
                                               tms_json_object *arr, tms_json_error *err);

/* Finds a member whose key equals `key` exactly (keys written with escapes
 * are compared after decoding). @return the member or NULL (the last one wins,
 * as in Python's json). */
const tms_json_member *tms_json_get(const tms_json_object *obj, const char *key);

/* Key equality, decoding escapes when the raw key has any. */
bool tms_json_key_is(const tms_json_member *m, const char *key);

/* Decodes a validated JSON string value (raw bytes with quotes) into UTF-8.
 * Lone surrogates become U+FFFD. The result is written to the arena; *out
 * points into the raw bytes when there was nothing to decode. */
TMS_NODISCARD tamis_status tms_json_decode_string(const char *raw, size_t raw_len, tms_arena *a,
                                                  const char **out, size_t *out_len);

/* Appends p[0..n) as a JSON string with quotes. Invalid UTF-8 is written as
 * U+FFFD so the output is always valid JSON; *repaired counts replacements.
 * Needs at most 6 x 16 KiB of room at a time, whatever n. On failure the
 * buffer is left as it was. */
TMS_NODISCARD tamis_status tms_json_put_string(tms_buf *b, const char *p, size_t n, uint64_t *repaired);
/* The same for text known to be valid UTF-8 (normalize's output): not decoded again. */
TMS_NODISCARD tamis_status tms_json_put_string_utf8(tms_buf *b, const char *p, size_t n);

/* Appends x with the fewest digits (15 to 17) that read back as x. */
TMS_NODISCARD tamis_status tms_json_put_double(tms_buf *b, double x);
#endif
