/* record.h -- what a reader yields: one input record, its text and identity,
 * and for JSON input the byte spans needed to write it back with every other
 * field untouched. All pointers live in the batch arena or in `raw`. */
#ifndef TMS_RECORD_H
#define TMS_RECORD_H
#include "../core/json.h"

typedef enum tms_src_kind {
    TMS_SRC_JSON = 0,  /* a JSONL line: written back as itself, text and metadata replaced */
    TMS_SRC_FRESH = 1  /* .txt, WARC/WET: written as {"id","text","metadata"} */
} tms_src_kind;

typedef struct tms_record {
    tms_src_kind kind;
    const char *raw;           /* JSON: the whole object (arena) */
    size_t raw_len;
    tms_json_object obj;       /* JSON: top-level members */
    const tms_json_member *text_m, *meta_m; /* JSON: the text field and "metadata", or NULL */
    const tms_json_member *html_m; /* JSON with --html-field: the HTML field (text_m may then be NULL: added;
                                    * while the text is still the HTML, the text field is left as it was) */
    const char *text;          /* decoded text (not yet normalized) */
    size_t text_len;
    const char *lang;          /* metadata.language (or a top-level "language"), or NULL */
    size_t lang_len;
    const char *id;            /* decoded id, or the generated one */
    size_t id_len;
    const char *location;      /* "FILE:LINE", "FILE@OFFSET" or "FILE" */
    uint64_t pos_key;          /* packed (file, line or offset) for duplicate_of; UINT64_MAX if too large */
    const char *url, *warc_date;    /* WARC/WET, or NULL */
    const char *doc_url;       /* JSON: metadata.url (or a top-level "url"), or NULL; never written back */
    const char *content_type;  /* WARC response: the HTTP Content-Type */
    int http_status;           /* WARC response: the HTTP status, or 0 */
    bool is_html;              /* an HTML response that needs the extract stage */
    const char *reject;        /* a reader-level rejection: "malformed", "too_large", "not_html" */
    uint64_t bytes_in;         /* bytes this record occupied in the (decompressed) input */
} tms_record;

/* One line of what a reason means, for the report and `tamis stages`;
 * stages declare theirs in their tms_stage_vt, the readers in tms_read_rules:
 * the reason, the option that holds its threshold (or NULL) and the rule in
 * words ("fewer than N words (counting only words with a letter)"). */
typedef struct tms_rule_info {
    const char *reason;
    const char *option;
    const char *text;
} tms_rule_info;

/* Position keys: 24 bits of file index, 40 bits of line or offset. */
static inline uint64_t tms_pos_key(uint32_t file, uint64_t where)
{
    if (file >= (1u << 24) || where >= ((uint64_t)1 << 40)) return UINT64_MAX;
    return ((uint64_t)file << 40) | where;
}
static inline uint32_t tms_pos_file(uint64_t key) { return (uint32_t)(key >> 40); }
static inline uint64_t tms_pos_where(uint64_t key) { return key & (((uint64_t)1 << 40) - 1); }
/* the reasons of documents rejected when read (stage "read"), NULL-terminated */
extern const tms_rule_info tms_read_rules[];
#endif
