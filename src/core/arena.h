/* arena.h -- a bump allocator for one batch of documents: every record's
 * parsed fields and the stages' rewritten text live here, and the whole
 * arena is reset at once when the batch has been written (no per-field frees). */
#ifndef TMS_ARENA_H
#define TMS_ARENA_H
#include "../tamis_int.h"

typedef struct tms_arena_chunk tms_arena_chunk;
typedef struct tms_arena {
    tms_arena_chunk *head;  /* chunk being filled; older chunks follow */
    tms_arena_chunk *spare; /* standard chunks kept by reset for reuse */
    size_t chunk_size;      /* default size of a new chunk */
} tms_arena;

void tms_arena_init(tms_arena *a, size_t chunk_size);
/* Empties the arena. Standard-size chunks are kept for reuse (a reused arena
 * neither mallocs nor page-faults); one-off giant blocks are freed. */
void tms_arena_reset(tms_arena *a);
void tms_arena_destroy(tms_arena *a);
/* n bytes aligned to 8; NULL on out of memory. */
void *tms_arena_alloc(tms_arena *a, size_t n);
/* Copies n bytes and a NUL. */
char *tms_arena_strndup(tms_arena *a, const char *s, size_t n);
char *tms_arena_printf(tms_arena *a, const char *fmt, ...) TMS_PRINTF(2, 3);
#endif
