/* fuzz_jsonl.c -- libFuzzer target for the JSON Lines reader (src/read/jsonl.c),
 * the JSON scanner and string decoder under it (src/core/json.c) and the
 * JSON-lines writer on what it yields (src/write/record_out.c).
 * The input is a .jsonl file (raw, or gzip/zstd when it starts with their magic).
 * See fuzz_reader.h for the invariants and tests/fuzz/README.md to run it. */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader_target(data, size, TMS_FMT_JSONL);
    return 0;
}
