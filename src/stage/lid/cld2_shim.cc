// cld2_shim.cc -- the thin extern "C" layer over CLD2 (Debian libcld2-dev),
// whose API is C++. Everything else about CLD2 (code mapping, calibration,
// sampling, sanitizing) is C, in lid.c. Linking this file makes libtamis need
// libstdc++ and libcld2 (see the Makefile: CLD2_LIBS).
#include "cld2_shim.h"
#include <climits>
#include <cstdio>   // compact_lang_det.h uses FILE without including <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

extern "C" int tms_cld2_raw_detect(const char *s, size_t len, int best_effort, tms_cld2_raw *out)
{
    if (len > (size_t)INT_MAX) return -1;
    CLD2::CLDHints hints = {NULL, NULL, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
    // the CheckUTF8 variant returns early without writing these: pre-fill
    CLD2::Language lang3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE};
    int pct3[3] = {0, 0, 0};
    double score3[3] = {0, 0, 0};
    int text_bytes = 0, valid_prefix = 0;
    bool reliable = false;
    try {
        CLD2::ExtDetectLanguageSummaryCheckUTF8(s, (int)len, true, &hints, best_effort ? CLD2::kCLDFlagBestEffort : 0,
                                                lang3, pct3, score3, NULL, &text_bytes, &reliable, &valid_prefix);
    } catch (...) {
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        out->code[i] = CLD2::LanguageCode(lang3[i]);
        out->percent[i] = pct3[i];
        out->nscore[i] = score3[i];
    }
    out->text_bytes = text_bytes;
    out->reliable = reliable;
    return 0;
}

extern "C" int tms_cld2_raw_count(void) { return CLD2::NUM_LANGUAGES; }
extern "C" const char *tms_cld2_raw_code(int i) { return CLD2::LanguageCode((CLD2::Language)i); }
