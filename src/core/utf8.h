/* utf8.h -- UTF-8 validation, decoding and repair (invalid sequences become
 * U+FFFD, one per maximal invalid subpart, as the Unicode standard recommends). */
#ifndef TMS_UTF8_H
#define TMS_UTF8_H
#include "../tamis_int.h"
#include "buf.h"

/* Length of the valid UTF-8 prefix of p[0..n): n when all of it is valid. */
size_t tms_utf8_valid_prefix(const char *p, size_t n);

/* Decodes one code point at p (n > 0 bytes left). Returns the number of bytes
 * consumed (>= 1) and stores the code point, or -1 in *cp for an invalid
 * sequence (then the return value is the length of the maximal invalid subpart). */
size_t tms_utf8_decode(const unsigned char *p, size_t n, int32_t *cp);

/* Encodes cp (<= 0x10FFFF, not a surrogate) into out; returns 1..4. */
size_t tms_utf8_encode(uint32_t cp, char *out);

/* Appends p[0..n) to b, replacing invalid sequences by U+FFFD. *repaired
 * (may be NULL) is increased by the number of replacements. */
TMS_NODISCARD tamis_status tms_utf8_append_repaired(tms_buf *b, const char *p, size_t n, uint64_t *repaired);
#endif
