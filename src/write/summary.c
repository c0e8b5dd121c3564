/* summary.c -- renders summary.json (escaping every string). */
#include "summary.h"
#include "../core/json.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct opt_ctx { tms_buf *b; bool first; tamis_status st; } opt_ctx;

static tamis_status str(tms_buf *b, const char *s) { return tms_json_put_string(b, s, strlen(s), NULL); }

static void put_option(void *p, const tamis_option_info *row, const char *value)
{
    opt_ctx *c = p;
    if (c->st != TAMIS_OK) return;
    tms_buf *b = c->b;
    tamis_status st = tms_buf_adds(b, c->first ? "\n    " : ",\n    ");
    c->first = false;
    if (st == TAMIS_OK) st = str(b, row->name);
    if (st == TAMIS_OK) st = tms_buf_adds(b, ": ");
    if (st == TAMIS_OK) {
        bool number = (row->arg == TAMIS_ARG_INT || row->arg == TAMIS_ARG_FLOAT) && strcmp(value, "auto") != 0;
        bool boolean = (row->arg == TAMIS_ARG_NONE || row->arg == TAMIS_ARG_BOOL) &&
                       (!strcmp(value, "true") || !strcmp(value, "false"));
        if (number || boolean) st = tms_buf_adds(b, value);
        else if (!*value) st = tms_buf_adds(b, "null");
        else st = str(b, value);
    }
    c->st = st;
}

static tamis_status num(tms_buf *b, const char *key, uint64_t v, bool last)
{
    return tms_buf_printf(b, "  \"%s\": %llu%s\n", key, (unsigned long long)v, last ? "" : ",");
}

tamis_status tms_summary_write(const tms_summary *s, tms_buf *b)
{
    TMS_TRY(tms_buf_adds(b, "{\n  \"tamis_version\": "));
    TMS_TRY(str(b, tamis_version()));
    TMS_TRY(tms_buf_adds(b, ",\n  \"complete\": "));
    TMS_TRY(tms_buf_adds(b, s->complete ? "true" : "false"));
    if (s->stopped) {
        TMS_TRY(tms_buf_adds(b, ",\n  \"stopped\": "));
        TMS_TRY(str(b, s->stopped));
    }
    TMS_TRY(tms_buf_adds(b, ",\n  \"command\": "));
    TMS_TRY(str(b, s->cfg->command));
    TMS_TRY(tms_buf_adds(b, ",\n  \"started\": "));
    TMS_TRY(str(b, s->started));
    TMS_TRY(tms_buf_printf(b, ",\n  \"seconds\": %.3f,\n  \"options\": {", s->seconds));
    opt_ctx oc = {b, true, TAMIS_OK};
    tms_options_each(s->opts, put_option, &oc);
    TMS_TRY(oc.st);
    TMS_TRY(tms_buf_adds(b, "\n  },\n  \"inputs\": ["));
    for (size_t i = 0; i < s->cfg->ninputs; i++) {
        TMS_TRY(tms_buf_adds(b, i ? ", " : ""));
        TMS_TRY(str(b, s->cfg->inputs[i]));
    }
    TMS_TRY(tms_buf_adds(b, "],\n  \"outputs\": {\"kept\": "));
    TMS_TRY(s->kept_path ? str(b, s->kept_path) : tms_buf_adds(b, "null"));
    TMS_TRY(tms_buf_adds(b, ", \"rejected\": "));
    TMS_TRY(s->rejected_path ? str(b, s->rejected_path) : tms_buf_adds(b, "null"));
    TMS_TRY(tms_buf_adds(b, "},\n"));
    TMS_TRY(num(b, "input_files", s->input_files, false));
    TMS_TRY(num(b, "input_bytes", s->input_bytes, false));
    TMS_TRY(num(b, "docs_in", s->docs_in, false));
    TMS_TRY(num(b, "docs_kept", s->docs_kept, false));
    TMS_TRY(num(b, "docs_rejected", s->docs_rejected, false));
    TMS_TRY(num(b, "bytes_in", s->bytes_in, false));
    TMS_TRY(num(b, "bytes_out", s->bytes_out, false));
    TMS_TRY(tms_buf_adds(b, "  \"rejected_by_reason\": {"));
    for (size_t i = 0; i < s->nreasons; i++) {
        TMS_TRY(tms_buf_adds(b, i ? ", " : ""));
        TMS_TRY(str(b, s->reasons[i].key));
        TMS_TRY(tms_buf_printf(b, ": %llu", (unsigned long long)s->reasons[i].n));
    }
    if (s->tag_only) { /* --tag-only: what the stages would have rejected */
        TMS_TRY(tms_buf_printf(b, "},\n  \"docs_would_reject\": %llu,\n  \"would_reject_by_reason\": {",
                               (unsigned long long)s->docs_would_reject));
        for (size_t i = 0; i < s->nwould; i++) {
            TMS_TRY(tms_buf_adds(b, i ? ", " : ""));
            TMS_TRY(str(b, s->would[i].key));
            TMS_TRY(tms_buf_printf(b, ": %llu", (unsigned long long)s->would[i].n));
        }
    }
    TMS_TRY(tms_buf_adds(b, "},\n  \"records_skipped\": {"));
    for (size_t i = 0; i < s->skips->used; i++) {
        TMS_TRY(tms_buf_adds(b, i ? ", " : ""));
        TMS_TRY(str(b, s->skips->type[i]));
        TMS_TRY(tms_buf_printf(b, ": %llu", (unsigned long long)s->skips->n[i]));
    }
    TMS_TRY(tms_buf_adds(b, "},\n  \"stages\": ["));
    for (size_t i = 0; i < s->nstages; i++) {
        const tms_stage_summary *st = &s->stages[i];
        TMS_TRY(tms_buf_adds(b, i ? ",\n    {\"name\": " : "\n    {\"name\": "));
        TMS_TRY(str(b, st->name));
        TMS_TRY(tms_buf_printf(b, ", \"seconds\": %.3f, \"docs_in\": %llu, \"docs_rejected\": %llu", st->seconds,
                               (unsigned long long)st->docs_in, (unsigned long long)st->docs_rejected));
        if (s->tag_only)
            TMS_TRY(tms_buf_printf(b, ", \"docs_would_reject\": %llu", (unsigned long long)st->docs_would_reject));
        size_t dense = st->sparse_name ? st->sparse_first : st->ncounters;
        if (dense) {
            TMS_TRY(tms_buf_adds(b, ", \"counters\": {"));
            for (size_t k = 0; k < dense; k++) {
                TMS_TRY(tms_buf_adds(b, k ? ", " : ""));
                TMS_TRY(str(b, st->counter_names[k]));
                TMS_TRY(tms_buf_printf(b, ": %llu", (unsigned long long)st->counters[k]));
            }
            TMS_TRY(tms_buf_addc(b, '}'));
        }
        if (st->sparse_name) {
            TMS_TRY(tms_buf_adds(b, ", "));
            TMS_TRY(str(b, st->sparse_name));
            TMS_TRY(tms_buf_adds(b, ": {"));
            bool any = false;
            for (size_t k = dense; k < st->ncounters; k++) {
                if (!st->counters[k] || !st->counter_names[k]) continue;
                TMS_TRY(tms_buf_adds(b, any ? ", " : ""));
                TMS_TRY(str(b, st->counter_names[k]));
                TMS_TRY(tms_buf_printf(b, ": %llu", (unsigned long long)st->counters[k]));
                any = true;
            }
            TMS_TRY(tms_buf_addc(b, '}'));
        }
        if (st->has_pass)
            TMS_TRY(tms_buf_printf(b, ", \"corpus_pass\": {\"seconds\": %.3f, \"docs\": %llu, \"distinct_keys\": %llu, "
                                      "\"table_bytes\": %llu}",
                                   st->pass_seconds, (unsigned long long)st->pass_docs,
                                   (unsigned long long)st->pass_keys, (unsigned long long)st->pass_bytes));
        TMS_TRY(tms_buf_addc(b, '}'));
    }
    return tms_buf_adds(b, "\n  ]\n}\n");
}
