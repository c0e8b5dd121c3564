/*
 * charset.h -- an HTML page's bytes to UTF-8, for the extract stage.
 *
 * The encoding is decided in this order, first answer wins:
 *   1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE); after a UTF-8 BOM,
 *      invalid sequences become U+FFFD (counted);
 *   2. bytes that are valid UTF-8 are UTF-8 (text in another encoding that
 *      has non-ASCII bytes almost never is), whatever the page declares;
 *   3. UTF-8 with a few invalid sequences (at most 16 plus 1 per KiB), when
 *      the server or the page says UTF-8, or when the page has more valid
 *      multi-byte sequences than invalid ones: each becomes U+FFFD, as
 *      browsers show them, and the count is reported (a UTF-8 page with one
 *      stray Latin-1 byte is common; uchardet calls such a page Latin-1 and
 *      would garble all the rest);
 *   4. the charset the HTTP Content-Type declares, then a <meta charset>,
 *      <meta http-equiv=Content-Type> or <?xml encoding> in the first 64 KiB
 *      (not only the 1024 bytes of the HTML spec's prescan: 1 page in 8 of
 *      the trafilatura set declares later), when the bytes convert cleanly;
 *   5. uchardet's guess, when the bytes convert cleanly.
 * Labels map as browsers map them (WHATWG): latin1, iso-8859-1 and ascii are
 * windows-1252, gb2312 is GB18030, euc-kr is CP949, shift_jis is CP932, ...;
 * the bytes 0x80-0x9F a windows code page leaves unassigned become the C1
 * controls of the same value, as in browsers, and a page cut in the middle
 * of its last character ends with U+FFFD. Conversion is glibc's iconv. A page
 * none of these decode cleanly is undecodable: the stage rejects it rather
 * than guess. (ISO-2022-JP, being 7-bit, reads as UTF-8: not supported.)
 */
#ifndef TMS_EXTRACT_CHARSET_H
#define TMS_EXTRACT_CHARSET_H
#include "../../tamis_int.h"
#include "../../core/buf.h"

typedef struct tms_charset tms_charset; /* per thread: uchardet and iconv handles */
TMS_NODISCARD tamis_status tms_charset_create(tms_charset **out);
void tms_charset_free(tms_charset *c);

typedef enum tms_charset_source {
    TMS_CS_NONE = 0,   /* undecodable */
    TMS_CS_BOM,
    TMS_CS_UTF8,       /* valid UTF-8 (ASCII included) */
    TMS_CS_HTTP,       /* the HTTP header's charset */
    TMS_CS_META,       /* the page's own declaration */
    TMS_CS_DETECTED,   /* uchardet */
    TMS_CS_REPAIRED,   /* UTF-8, a few invalid sequences replaced by U+FFFD */
} tms_charset_source;
extern const char *const tms_charset_source_names[];

/* Decodes page (n bytes) to UTF-8. http_ct: the HTTP Content-Type, or NULL.
 * On success *out points to UTF-8 text: page itself when it was UTF-8
 * already (with a UTF-8 BOM skipped), else into out_buf; *src and *name say
 * how and from what (name: the iconv name used, valid until the next call on c);
 * *replaced: the invalid sequences replaced (TMS_CS_REPAIRED only). Returns
 * TAMIS_OK with *src == TMS_CS_NONE when nothing decodes the page, or
 * TAMIS_E_NOMEM / TAMIS_E_TOO_BIG (out_buf's cap). */
TMS_NODISCARD tamis_status tms_charset_decode(tms_charset *c, const char *page, size_t n, const char *http_ct,
                                              tms_buf *out_buf, const char **out, size_t *out_len,
                                              tms_charset_source *src, const char **name, uint64_t *replaced);

/* The iconv name for a charset label (case and blanks ignored), or NULL
 * for a label not known; exposed for tests. */
const char *tms_charset_label(const char *label, size_t n);
#endif
