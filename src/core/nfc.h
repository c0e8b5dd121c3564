/* nfc.h -- Unicode NFC that costs nothing on text that is already NFC.
 * Text is cut before every ASCII character (ASCII never composes with what
 * precedes it), and only the pieces that hold a code point that may change
 * under NFC (a combining mark, a character NFC rewrites, or one that can be
 * the second half of a composition) are handed to utf8proc. */
#ifndef TMS_NFC_H
#define TMS_NFC_H
#include "../tamis_int.h"
#include "buf.h"

/* true if cp might not survive NFC unchanged in every context */
bool tms_nfc_unsafe(int32_t cp);

/* Replaces b->data[start..b->len) by its NFC form. *changed is set when it
 * differs. @return TAMIS_OK or TAMIS_E_NOMEM / TAMIS_E_TOO_BIG. */
TMS_NODISCARD tamis_status tms_nfc_tail(tms_buf *b, size_t start, bool *changed);
#endif
