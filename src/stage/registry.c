/* registry.c -- the stages this build implements, in canonical order. */
#include "stage.h"
#include <string.h>

static const char *const canonical[] = {
    "extract", "normalize", "exact_dedup", "lines", "language", "gopher_repetition",
    "gopher_quality", "c4_quality", "fineweb_quality", "near_dedup",
};

const tms_stage_vt *const tms_stages[] = {
    &tms_stage_extract,
    &tms_stage_normalize,
    &tms_stage_exact_dedup,
    &tms_stage_lines,
    &tms_stage_language,
    &tms_stage_gopher_repetition,
    &tms_stage_gopher_quality,
    &tms_stage_c4_quality,
    &tms_stage_fineweb_quality,
    &tms_stage_near_dedup,
};
const size_t tms_nstages = TMS_ARRAY_LEN(tms_stages);

int tms_stage_canonical_index(const char *name, size_t len)
{
    for (size_t i = 0; i < TMS_ARRAY_LEN(canonical); i++)
        if (strlen(canonical[i]) == len && memcmp(canonical[i], name, len) == 0) return (int)i;
    return -1;
}

const tms_stage_vt *tms_stage_find(const char *name, size_t len)
{
    for (size_t i = 0; i < tms_nstages; i++)
        if (strlen(tms_stages[i]->name) == len && memcmp(tms_stages[i]->name, name, len) == 0) return tms_stages[i];
    return NULL;
}
