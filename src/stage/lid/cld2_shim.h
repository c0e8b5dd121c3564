/*
 * cld2_shim.h -- the C side of the only C++ file in tamis: CLD2's answer,
 * raw. lid.c maps its codes and calibrates its score. CLD2 wants
 * interchange-valid UTF-8 followed by a readable byte: callers pass a
 * sanitized copy with a NUL after len (lid.c does).
 */
#ifndef TMS_CLD2_SHIM_H
#define TMS_CLD2_SHIM_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
typedef struct tms_cld2_raw {
    const char *code[3];   /* CLD2's codes: "en", "iw", "zh-Hant", "un" */
    int percent[3];        /* share of the scored letters, 0-100 */
    double nscore[3];      /* score per 1K bytes, relative to normal text */
    int text_bytes;        /* letter bytes scored */
    int reliable;
} tms_cld2_raw;

/* 0 on success, -1 on error (len > INT_MAX or an exception). */
int tms_cld2_raw_detect(const char *nul_terminated, size_t len, int best_effort, tms_cld2_raw *out);
/* CLD2's language codes, index 0 .. count-1 (as it counts them). */
int tms_cld2_raw_count(void);
const char *tms_cld2_raw_code(int i);
#ifdef __cplusplus
}
#endif
#endif
