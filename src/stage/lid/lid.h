/*
 * lid.h -- language identification: one interface, two backends.
 *   TMS_LID_TAMIS  tamis's own character n-gram model, plain C, embedded in
 *                  the library (lid/model.bin, built by `make model`);
 *   TMS_LID_CLD2   Google's CLD2 from Debian (libcld2), through a C++ shim.
 * Both take any bytes (invalid UTF-8 is skipped, never read past len), bound
 * their own cost (long texts are sampled, see tms_lid_detect), and return the
 * best language and the runner-up with a calibrated 0-1 score. Thread-safe;
 * no state to create or free.
 */
#ifndef TMS_LID_H
#define TMS_LID_H
#include <stdbool.h>
#include <stddef.h>

typedef enum tms_lid_backend { TMS_LID_TAMIS = 0, TMS_LID_CLD2 = 1 } tms_lid_backend;

/* A language: ISO 639-1 where it exists, else ISO 639-3 ("fr", "yue");
 * "und" when nothing can be said (no letters). Script: ISO 15924 ("Latn"),
 * "" when unknown. */
typedef struct tms_lid_guess {
    char lang[8];
    char script[8];
    float score;     /* calibrated: the share of texts given this answer at
                        this score that are in that language (dev-set fit) */
} tms_lid_guess;

typedef struct tms_lid_result {
    tms_lid_guess best;
    tms_lid_guess runner_up;  /* lang "" when there is none */
    size_t bytes_used;        /* bytes of the text the backend looked at */
} tms_lid_result;

/* flags */
#define TMS_LID_SHORT 1u      /* a short text such as one line (CLD2: best-effort mode) */

/* The most bytes of a text that are looked at: longer texts are sampled
 * (TMS_LID_SAMPLES pieces of equal size, spread evenly, cut at UTF-8
 * boundaries), so the cost per document is bounded. */
#define TMS_LID_MAX_BYTES 16384
#define TMS_LID_SAMPLES 4

/* Identifies the language of text[0..len). Always fills *out (lang "und" when
 * unknown); returns false only when the backend is not available. */
bool tms_lid_detect(tms_lid_backend backend, const char *text, size_t len, unsigned flags, tms_lid_result *out);

/* Backend name ("tamis", "cld2"); parse one: -1 when unknown. */
const char *tms_lid_backend_name(tms_lid_backend backend);
int tms_lid_backend_parse(const char *name, size_t len);

/* Number of languages the backend can answer, and the i-th one's code. */
size_t tms_lid_nlanguages(tms_lid_backend backend);
const char *tms_lid_language(tms_lid_backend backend, size_t i);

/* ---- backends (called by tms_lid_detect on at most TMS_LID_MAX_BYTES) ---- */
/* tamis's model (lid/tamis_model.c). */
void tms_lid_tamis_detect(const char *text, size_t len, unsigned flags, tms_lid_result *out);
size_t tms_lid_tamis_nlanguages(void);
const char *tms_lid_tamis_language(size_t i);
/* CLD2 (lid/cld2_shim.cc, through lid.c). */
size_t tms_lid_cld2_nlanguages(void);
const char *tms_lid_cld2_language(size_t i);
#endif
