/* jtree.h -- a small JSON tree over the core scanner, for the files tamis
 * reads back (summary.json, stats.json): objects keep their member order,
 * values keep their raw bytes. Everything lives in the caller's arena. */
#ifndef TMS_JTREE_H
#define TMS_JTREE_H
#include "../core/arena.h"
#include "../core/buf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { TMS_JV_OBJ, TMS_JV_ARR, TMS_JV_NUM, TMS_JV_OTHER } tms_jv_type;

typedef struct tms_jv tms_jv;
struct tms_jv {
    tms_jv_type t;
    const char *key;       /* raw key bytes of an object member, else NULL */
    size_t key_len;
    const char *raw;       /* the value's bytes as read; NULL once a sum replaced it */
    size_t raw_len;
    bool is_float;
    uint64_t u;
    double d;
    tms_jv **kid;
    size_t n, cap;
};

/* Parses the JSON object text[0..len) (validated first). TAMIS_E_DATA with
 * the scanner's message in err when it is not JSON. */
TMS_NODISCARD tamis_status tms_jv_parse(tms_arena *a, const char *text, size_t len, tms_jv **out, char *err,
                                        size_t errn);
/* the member `key` of an object, or NULL */
const tms_jv *tms_jv_get(const tms_jv *obj, const char *key);
/* a number's value (dflt when v is not a number) */
double tms_jv_num(const tms_jv *v, double dflt);
/* a string's decoded value in a, or NULL when v is not a string */
const char *tms_jv_str(tms_arena *a, const tms_jv *v);
/* a member's key, decoded, in a */
const char *tms_jv_key(tms_arena *a, const tms_jv *v);

/* Merges the JSON files of several runs over parts of one input into out:
 * each path is the file or a directory holding `leaf` ("summary.json" or
 * "stats.json"). The rules are those of tamis_summary_merge (README). */
TMS_NODISCARD tamis_status tms_json_merge(const char *const *paths, size_t n, const char *leaf,
                                          const char *command, tms_buf *out, char *err, size_t errn);
#endif
