/* nfc.h -- Unicode NFC that costs nothing on text that is already NFC.
 * Text is cut before every ASCII character (ASCII never composes with what
 * precedes it, so NFC of the whole is the concatenation of NFC of the
 * pieces), and a piece goes to utf8proc only when the quick check of UAX #15
 * fails on it: a code point whose NFC_Quick_Check is No or Maybe (it changes
 * under NFC, or may compose with what precedes it), or combining marks out of
 * canonical order. Both properties come from bitmaps built once from
 * utf8proc's own tables (tms_nfc_init, about 280 KB, a few milliseconds). */
#ifndef TMS_NFC_H
#define TMS_NFC_H
#include "../tamis_int.h"
#include "buf.h"

#define TMS_NFC_FIRST_UNSAFE 0x300 /* below U+0300 every code point is NFC_QC=Yes with ccc 0 */
extern uint8_t tms_nfc_qc_bits[0x110000 / 8];  /* NFC_QC is No or Maybe */
extern uint8_t tms_nfc_ccc_bits[0x110000 / 8]; /* canonical combining class is not 0 */

/* Builds the bitmaps (thread-safe, once). Must be called before the inline lookups. */
void tms_nfc_init(void);

static inline bool tms_nfc_qc_fails(int32_t cp) { return (tms_nfc_qc_bits[cp >> 3] >> (cp & 7)) & 1; }
static inline bool tms_nfc_has_ccc(int32_t cp) { return (tms_nfc_ccc_bits[cp >> 3] >> (cp & 7)) & 1; }
/* the canonical combining class (0-254) */
int tms_nfc_ccc(int32_t cp);

/* true if cp alone may make a piece of text change under NFC (NFC_QC No or Maybe) */
bool tms_nfc_unsafe(int32_t cp);

/* Replaces b->data[start..b->len) by its NFC form. *changed is set when it
 * differs. @return TAMIS_OK or TAMIS_E_NOMEM / TAMIS_E_TOO_BIG. */
TMS_NODISCARD tamis_status tms_nfc_tail(tms_buf *b, size_t start, bool *changed);
#endif
