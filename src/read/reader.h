/* reader.h -- one reader per input format behind one interface. A reader
 * yields records from a stream; it knows formats, never cleaning rules.
 * Malformed input becomes a record with reject = "malformed" and a message
 * naming FILE:LINE or FILE@OFFSET; only I/O and memory failures are fatal. */
#ifndef TMS_READER_H
#define TMS_READER_H
#include "../core/arena.h"
#include "../core/msg.h"
#include "record.h"
#include "stream.h"

typedef enum tms_format {
    TMS_FMT_AUTO = 0, TMS_FMT_JSONL, TMS_FMT_WARC, TMS_FMT_TEXT, TMS_FMT_HTML
} tms_format;

typedef struct tms_read_opts {
    const char *text_field;  /* JSONL: the field holding the text ("text") */
    const char *id_field;    /* JSONL: the field holding the id ("id") */
    size_t max_doc_bytes;    /* records larger than this are rejected as too_large */
    int max_json_depth;
    tms_format format;       /* forced format, or AUTO to sniff */
    const char *html_field;  /* JSONL: the field holding a page's HTML, or NULL */
} tms_read_opts;

#define TMS_SKIP_TYPES_MAX 16
typedef struct tms_skip_counts {
    char type[TMS_SKIP_TYPES_MAX][24];  /* "warcinfo", "request", ..., "blank_line" */
    uint64_t n[TMS_SKIP_TYPES_MAX];
    size_t used;
} tms_skip_counts;
void tms_skip_count(tms_skip_counts *c, const char *type, size_t len);

typedef struct tms_reader tms_reader;

/* Opens a reader on `s` (owned from now on, even on failure). `path` is the
 * file as named in messages and generated ids, `rel` the id of a one-document
 * file. Both must outlive the reader. */
TMS_NODISCARD tamis_status tms_reader_open(tms_reader **out, tms_stream *s, const char *path, const char *rel,
                                           uint32_t file_index, const tms_read_opts *o, const tms_msgs *m,
                                           tms_skip_counts *skips);

/* The location of a position in a file read as `fmt`, as records and
 * duplicate_of name it: "FILE:LINE" (JSONL), "FILE@OFFSET" (WARC), "FILE"
 * (a one-document file). NULL on out of memory. */
const char *tms_location(tms_arena *a, const char *path, tms_format fmt, uint64_t where);

/* Reads the next record into *rec (memory from `a`). Sets *eof at the end.
 * @return TAMIS_OK, TAMIS_E_IO or TAMIS_E_NOMEM. */
TMS_NODISCARD tamis_status tms_reader_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof);
const char *tms_reader_format(const tms_reader *r);
uint64_t tms_reader_raw_bytes(tms_reader *r);
void tms_reader_free(tms_reader *r);

/* ---- for the format files ---- */
struct tms_reader {
    tms_format format;
    tms_stream *s;
    const char *path, *rel;
    uint32_t file_index;
    const tms_read_opts *o;
    const tms_msgs *m;
    tms_skip_counts *skips;
    uint64_t line;       /* JSONL: lines read so far */
    bool done;           /* text: the one document was read */
    bool warned_stream;  /* the stream's error was reported */
};
tamis_status tms_jsonl_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof);
tamis_status tms_warc_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof);
tamis_status tms_text_next(tms_reader *r, tms_arena *a, tms_record *rec, bool *eof);
/* Reports the stream's decompression error once, at the end of input. */
void tms_reader_stream_end(tms_reader *r);
#endif
