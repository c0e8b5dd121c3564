/* report.c -- report.html from summary.json and stats.json.
 *
 * One page a person can open anywhere: inline CSS and SVG, twenty lines of
 * plain script (sortable tables, details opened for printing), nothing
 * fetched. It follows the reader's light or dark setting, reflows down to a
 * phone's width and prints. Every chart is an <svg class="chart" role="img">
 * with a name, followed by its numbers as a table (the text alternative).
 * Everything shown comes from the two files; a missing stats.json (a run
 * with --no-report) leaves the sections that need it saying so. The page's
 * structure is the contract of tests/report/report_check.py: [data-total]
 * totals, #reasons rows [data-reason] with a .count cell and a #rule- link. */
#include "report.h"
#include "jtree.h"
#include "stats.h"
#include "sink.h"
#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct rctx {
    tms_buf *b;
    tms_arena a;
    const tms_jv *sum, *st;    /* st: NULL without stats.json */
    int nchart;
} rctx;

#define TRY TMS_TRY

/* ==== Text ==== */

static tamis_status esc_n(tms_buf *b, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *r = NULL;
        switch (s[i]) {
        case '&': r = "&amp;"; break;
        case '<': r = "&lt;"; break;
        case '>': r = "&gt;"; break;
        case '"': r = "&quot;"; break;
        case '\'': r = "&#39;"; break;
        case '\r': r = ""; break;
        default:
            /* C0 controls other than tab and newline are not allowed in HTML text */
            if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') r = "\xEF\xBF\xBD";
        }
        if (!r) continue;
        TRY(tms_buf_add(b, s + from, i - from));
        TRY(tms_buf_adds(b, r));
        from = i + 1;
    }
    return tms_buf_add(b, s + from, n - from);
}

static tamis_status esc(tms_buf *b, const char *s) { return s ? esc_n(b, s, strlen(s)) : TAMIS_OK; }

/* an id attribute for a key such as "stage:reason" */
static tamis_status put_id(tms_buf *b, const char *prefix, const char *key)
{
    TRY(tms_buf_adds(b, prefix));
    for (const char *p = key; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        TRY(ok ? tms_buf_addc(b, c) : tms_buf_adds(b, c == ':' ? "--" : "_"));
    }
    return TAMIS_OK;
}

/* 1234567 -> "1,234,567" */
static const char *exact(char *out, uint64_t v)
{
    char d[32];
    int n = snprintf(d, sizeof d, "%llu", (unsigned long long)v), k = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = 0;
    return out;
}

/* 1234567 -> "1.2 M"; bytes -> "1.2 MB" */
static const char *human(char *out, double v, const char *unit)
{
    static const char *const pre[] = {"", " k", " M", " G", " T", " P"};
    static const char *const bpre[] = {" B", " kB", " MB", " GB", " TB", " PB"};
    bool bytes = unit && !strcmp(unit, "B");
    int k = 0;
    while (fabs(v) >= 1000 && k < 5) v /= 1000, k++;
    if (k == 0 && !bytes) snprintf(out, 32, "%.0f%s%s", v, unit ? " " : "", unit ? unit : "");
    else if (bytes) snprintf(out, 32, v < 10 && k ? "%.1f%s" : "%.0f%s", v, bpre[k]);
    else snprintf(out, 32, v < 10 ? "%.1f%s%s%s" : "%.0f%s%s%s", v, pre[k], unit ? " " : "", unit ? unit : "");
    return out;
}

static const char *pct(char *out, double part, double whole)
{
    if (whole <= 0) snprintf(out, 16, "–");
    else if (part > 0 && part / whole < 0.001) snprintf(out, 16, "<0.1%%");
    else snprintf(out, 16, "%.1f%%", 100 * part / whole);
    return out;
}

/* a measured value: counts as people read them, shares and scales to two decimals */
static const char *fmt_value(char *out, int scale, double v)
{
    if (scale != TMS_HIST_COUNT) snprintf(out, 32, "%.4g", v);
    else if (v < 10000) snprintf(out, 32, "%.0f", ceil(v));
    else human(out, v, NULL);
    return out;
}

/* a count read from a file: what it says, within uint64_t (the files may be damaged or edited) */
static uint64_t u64(double d) { return !(d > 0) ? 0 : d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d; }

static uint64_t num_u(const tms_jv *obj, const char *key) { return u64(tms_jv_num(tms_jv_get(obj, key), 0)); }
static const char *str_of(rctx *c, const tms_jv *obj, const char *key) { return tms_jv_str(&c->a, tms_jv_get(obj, key)); }

/* ==== Charts ==== */

typedef struct chart {
    const char *name;          /* the accessible name: what is drawn */
    const char *xlabel;
    const char *const *labels; /* per bar */
    const double *v;
    const bool *rej;           /* per bar: on the rejected side (or NULL) */
    size_t n;
    double thr_at;             /* the threshold, in bars from the left (-1: none) */
    const char *thr_label;
    bool horizontal;           /* one labelled row per bar (stages, languages) */
    const char *const *notes;  /* per bar, after the value in horizontal charts (or NULL) */
    size_t tick;               /* an x label every tick bars (0: about six in all) */
    const char *unit;          /* of the values in horizontal charts ("B": bytes), or NULL */
} chart;

static tamis_status svg_chart(rctx *c, const chart *ch)
{
    tms_buf *b = c->b;
    double max = 0;
    for (size_t i = 0; i < ch->n; i++) max = ch->v[i] > max ? ch->v[i] : max;
    c->nchart++;
    TRY(tms_buf_printf(b, "<figure class=\"fig\"><svg class=\"chart%s\" role=\"img\" aria-labelledby=\"ch%d\" ",
                       max > 0 ? "" : " empty", c->nchart));
    char h[32];
    if (ch->horizontal) {
        double row = 22, W = 640, lab = 150, H = row * (double)ch->n + 6;
        TRY(tms_buf_printf(b, "viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"xMinYMin meet\"><title id=\"ch%d\">",
                           W, H, c->nchart));
        TRY(esc(b, ch->name));
        TRY(tms_buf_adds(b, "</title>"));
        for (size_t i = 0; i < ch->n; i++) {
            double y = 3 + row * (double)i, w = max > 0 ? (W - lab - 170) * ch->v[i] / max : 0;
            TRY(tms_buf_printf(b, "<text class=\"lab\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", lab - 6, y + 15));
            TRY(esc(b, ch->labels[i]));
            TRY(tms_buf_printf(b, "</text><rect class=\"bar%s\" x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\"/>",
                               ch->rej && ch->rej[i] ? " rej" : "", lab, y + 2, w > 0 && w < 1 ? 1 : w, row - 6));
            TRY(tms_buf_printf(b, "<text class=\"val\" x=\"%.1f\" y=\"%.1f\">%s", lab + w + 5, y + 15,
                               human(h, ch->v[i], ch->unit)));
            if (ch->notes && ch->notes[i]) {
                TRY(tms_buf_adds(b, " "));
                TRY(esc(b, ch->notes[i]));
            }
            TRY(tms_buf_adds(b, "</text>"));
        }
        return tms_buf_adds(b, "</svg></figure>\n");
    }
    double W = 640, H = 220, L = 52, R = 12, T = 16, B = 42, pw = W - L - R, ph = H - T - B;
    TRY(tms_buf_printf(b, "viewBox=\"0 0 %.0f %.0f\"><title id=\"ch%d\">", W, H, c->nchart));
    TRY(esc(b, ch->name));
    TRY(tms_buf_adds(b, "</title>"));
    /* y axis: 0 and the maximum */
    TRY(tms_buf_printf(b, "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>", L, T + ph, L + pw,
                       T + ph));
    TRY(tms_buf_printf(b, "<text class=\"lab\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>", L - 4, T + 8,
                       human(h, max, NULL)));
    TRY(tms_buf_printf(b, "<text class=\"lab\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>", L - 4, T + ph));
    double bw = ch->n ? pw / (double)ch->n : pw;
    for (size_t i = 0; i < ch->n; i++) {
        if (ch->v[i] <= 0) continue;
        double bh = ph * ch->v[i] / max;
        if (bh < 1) bh = 1;
        TRY(tms_buf_printf(b, "<rect class=\"bar%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                           ch->rej && ch->rej[i] ? " rej" : "", L + bw * (double)i + (bw > 4 ? 0.5 : 0), T + ph - bh,
                           bw > 4 ? bw - 1 : bw, bh));
        TRY(esc(b, ch->labels[i]));
        TRY(tms_buf_printf(b, ": %s</title></rect>", exact(h, u64(ch->v[i]))));
    }
    /* x labels: about six, evenly spaced */
    size_t step = ch->tick ? ch->tick : ch->n > 6 ? (ch->n + 5) / 6 : 1;
    for (size_t i = 0; i < ch->n; i += step) {
        TRY(tms_buf_printf(b, "<text class=\"lab\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">", L + bw * ((double)i + 0.5),
                           T + ph + 14));
        TRY(esc(b, ch->labels[i]));
        TRY(tms_buf_adds(b, "</text>"));
    }
    if (ch->xlabel) {
        TRY(tms_buf_printf(b, "<text class=\"lab\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">", L + pw / 2, H - 6));
        TRY(esc(b, ch->xlabel));
        TRY(tms_buf_adds(b, "</text>"));
    }
    if (ch->thr_at >= 0) {
        double x = L + bw * ch->thr_at;
        TRY(tms_buf_printf(b, "<line class=\"thr\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\"/>", x, T - 4, x, T + ph));
        TRY(tms_buf_printf(b, "<text class=\"thrl\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">", x + (x > W / 2 ? -4 : 4),
                           T + 6, x > W / 2 ? "end" : "start"));
        TRY(esc(b, ch->thr_label));
        TRY(tms_buf_adds(b, "</text>"));
    }
    return tms_buf_adds(b, "</svg></figure>\n");
}

/* the text alternative: the chart's numbers as a table, folded */
static tamis_status data_table(rctx *c, const char *what, const char *col, const char *const *labels, const double *v,
                               size_t n)
{
    tms_buf *b = c->b;
    double total = 0;
    for (size_t i = 0; i < n; i++) total += v[i];
    TRY(tms_buf_adds(b, "<details class=\"data\"><summary>"));
    TRY(esc(b, what));
    TRY(tms_buf_adds(b, " as a table</summary><div class=\"scroll\"><table><thead><tr><th>"));
    TRY(esc(b, col));
    TRY(tms_buf_adds(b, "</th><th class=\"num\">documents</th><th class=\"num\">share</th></tr></thead><tbody>"));
    char e[32], p[16];
    for (size_t i = 0; i < n; i++) {
        if (v[i] <= 0) continue;
        TRY(tms_buf_adds(b, "<tr><td>"));
        TRY(esc(b, labels[i]));
        TRY(tms_buf_printf(b, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>", exact(e, u64(v[i])),
                           pct(p, v[i], total)));
    }
    return tms_buf_adds(b, "</tbody></table></div></details>\n");
}

/* a histogram of fixed bins (stats.h) from {"bin": count}; the bins shown
 * run from the first to the last non-empty one (and the threshold's) */
static tamis_status histogram(rctx *c, const char *name, const char *xlabel, const tms_jv *bins, int scale,
                              bool has_thr, double thr, bool upper, const char *thr_label, uint64_t *near_out)
{
    size_t nb = tms_hist_nbins(scale), lo = nb, hi = 0;
    double *v = tms_arena_alloc(&c->a, nb * sizeof *v);
    if (!v) return TAMIS_E_NOMEM;
    memset(v, 0, nb * sizeof *v);
    for (size_t i = 0; bins && i < bins->n; i++) {
        const char *k = tms_jv_key(&c->a, bins->kid[i]);
        if (!k) continue;
        size_t bin = (size_t)strtoul(k, NULL, 10);
        if (bin >= nb) continue;
        v[bin] += tms_jv_num(bins->kid[i], 0);
        if (v[bin] > 0) lo = bin < lo ? bin : lo, hi = bin > hi ? bin : hi;
    }
    size_t tb = has_thr ? tms_hist_bin(scale, thr) : 0;
    if (scale == TMS_HIST_FRAC) lo = 0, hi = nb - 1;
    else if (lo > hi) lo = hi = tb;
    else if (has_thr) lo = tb < lo ? tb : lo, hi = tb > hi ? tb : hi;
    if (lo > 0 && scale != TMS_HIST_FRAC) lo--;
    if (hi + 1 < nb && scale != TMS_HIST_FRAC) hi++;
    size_t n = hi - lo + 1;
    const char **labels = tms_arena_alloc(&c->a, n * sizeof *labels);
    bool *rej = tms_arena_alloc(&c->a, n * sizeof *rej);
    if (!labels || !rej) return TAMIS_E_NOMEM;
    uint64_t near = 0;
    for (size_t i = 0; i < n; i++) {
        double a = tms_hist_lo(scale, lo + i), z = tms_hist_lo(scale, lo + i + 1);
        labels[i] = scale == TMS_HIST_COUNT ? tms_arena_printf(&c->a, "%.0f", ceil(a))
                    : tms_arena_printf(&c->a, scale == TMS_HIST_FRAC ? "%.2f" : "%.2g", a);
        if (!labels[i]) return TAMIS_E_NOMEM;
        /* a bin is on the rejected side when all of it is */
        rej[i] = has_thr && (upper ? a > thr : z <= thr);
        if (has_thr && lo + i + 1 >= tb && lo + i <= tb) near += u64(v[lo + i]);
    }
    if (near_out) *near_out = near;
    if (near_out && has_thr) { /* the range "near" covers: the bin below the threshold's and its own */
        near_out[1] = (uint64_t)(tb > 0 ? tb - 1 : 0);
        near_out[2] = (uint64_t)tb + 1;
    }
    double at = -1;
    if (has_thr) {
        double a = tms_hist_lo(scale, tb), z = tms_hist_lo(scale, tb + 1);
        at = (double)(tb - lo) + (z > a ? (thr - a) / (z - a) : 0);
        if (at < 0) at = 0;
        if (at > (double)n) at = (double)n;
    }
    chart ch = {name, xlabel, labels, v + lo, rej, n, at, thr_label, false, NULL, scale == TMS_HIST_FRAC ? 20 : 0};
    TRY(svg_chart(c, &ch));
    const char **rl = tms_arena_alloc(&c->a, n * sizeof *rl);
    if (!rl) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        double a = tms_hist_lo(scale, lo + i), z = tms_hist_lo(scale, lo + i + 1);
        rl[i] = lo + i + 1 == nb ? tms_arena_printf(&c->a, scale == TMS_HIST_FRAC ? "%.2f or more" : "%.4g or more", a)
                : scale == TMS_HIST_COUNT ? tms_arena_printf(&c->a, "%.0f – %.0f", ceil(a), ceil(z) - 1 < ceil(a) ? ceil(a) : ceil(z) - 1)
                : tms_arena_printf(&c->a, "%.4g – %.4g", a, z);
        if (!rl[i]) return TAMIS_E_NOMEM;
    }
    return data_table(c, name, xlabel, rl, v + lo, n);
}

/* ==== Sections ==== */

static const char css[] =
    ":root{color-scheme:light dark;--fg:#1d2024;--mut:#5c6570;--bg:#fff;--card:#f4f6f8;--line:#d6dbe0;"
    "--bar:#2f6db3;--rej:#c0392b;--thr:#c77c02;--code:#eef1f4}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--mut:#a3acb6;--bg:#15181c;--card:#1f242a;--line:#343b44;"
    "--bar:#6ea8ea;--rej:#f0776a;--thr:#f2b84b;--code:#252b32}}"
    "*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "main{max-width:1100px;margin:0 auto;padding:16px}h1{font-size:1.5em;margin:.2em 0}"
    "h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}"
    "h3{font-size:1em;margin:1.2em 0 .3em}.mut{color:var(--mut)}code,pre{font:13px/1.45 ui-monospace,Menlo,Consolas,monospace}"
    "code{background:var(--code);padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}"
    "pre{background:var(--code);padding:.6em;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}"
    ".card{background:var(--card);border-radius:6px;padding:10px 12px}.card .k{font-size:.85em;color:var(--mut)}"
    ".card .v{font-size:1.35em;font-weight:600;font-variant-numeric:tabular-nums}.card .h{font-size:.85em;color:var(--mut)}"
    ".warn{border-left:4px solid var(--rej);padding:.4em .8em;background:var(--card)}"
    ".scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;width:100%;font-size:.92em}"
    "th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid var(--line);vertical-align:top}"
    "th{font-weight:600;white-space:nowrap}th[data-sort]{cursor:pointer}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "td.line{overflow-wrap:anywhere}.fig{margin:.4em 0}svg.chart{width:100%;height:auto;max-width:760px;display:block}"
    ".bar{fill:var(--bar)}.bar.rej{fill:var(--rej)}.axis{stroke:var(--line)}.thr{stroke:var(--thr);stroke-width:2;stroke-dasharray:4 3}"
    ".lab,.val{fill:var(--mut);font-size:11px}.thrl{fill:var(--thr);font-size:11px;font-weight:600}"
    ".meter{display:inline-block;height:.7em;background:var(--rej);border-radius:2px;vertical-align:middle}"
    "details{margin:.3em 0}details.data summary,details.ex summary{color:var(--mut);font-size:.9em;cursor:pointer}"
    ".grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,440px),1fr));gap:12px 20px}"
    "h3{overflow-wrap:anywhere}"
    ".sample{border-top:1px solid var(--line);padding:.4em 0}.rule{margin:.2em 0 .6em}dt{font-weight:600}dd{margin:0 0 .6em 1em}"
    ":target{outline:2px solid var(--thr);outline-offset:2px}nav a{margin-right:.8em}"
    "@media (max-width:600px){main{padding:10px}.card .v{font-size:1.15em}th,td{padding:.25em .3em}}"
    "@media print{body{font-size:11px;background:#fff;color:#000}nav,details.data{display:none}"
    "h2{break-after:avoid}figure,tr,.sample{break-inside:avoid}}";

/* sortable tables and details opened for printing: the only script */
static const char script[] =
    "document.querySelectorAll('th[data-sort]').forEach(function(th){th.addEventListener('click',function(){"
    "var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,num=th.dataset.sort==='num',"
    "d=th.dataset.dir==='asc'?-1:1;th.dataset.dir=d>0?'asc':'desc';"
    "var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){var a=x.cells[i].innerText,"
    "c=y.cells[i].innerText;if(num){a=parseFloat(a.replace(/[^0-9.]/g,''))||0;c=parseFloat(c.replace(/[^0-9.]/g,''))||0;"
    "return d*(a-c);}return d*a.localeCompare(c);});rows.forEach(function(r){b.appendChild(r);});});});"
    "function openHash(){var e=location.hash&&document.getElementById(location.hash.slice(1));"
    "for(;e;e=e.parentElement)if(e.tagName==='DETAILS')e.open=true;}"
    "window.addEventListener('hashchange',openHash);openHash();"
    "window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(e){"
    "e.setAttribute('open','');});});";

static tamis_status card(rctx *c, const char *label, const char *total_key, uint64_t v, const char *unit,
                         const char *note)
{
    char e[32], h[32];
    TRY(tms_buf_adds(c->b, "<div class=\"card\"><div class=\"k\">"));
    TRY(esc(c->b, label));
    TRY(tms_buf_adds(c->b, "</div><div class=\"v\""));
    if (total_key) TRY(tms_buf_printf(c->b, " data-total=\"%s\"", total_key));
    TRY(tms_buf_printf(c->b, ">%s</div><div class=\"h\">%s", exact(e, v), human(h, (double)v, unit)));
    if (note) {
        TRY(tms_buf_adds(c->b, " · "));
        TRY(esc(c->b, note));
    }
    return tms_buf_adds(c->b, "</div></div>");
}

static tamis_status section_run(rctx *c)
{
    tms_buf *b = c->b;
    const tms_jv *s = c->sum;
    const char *ver = str_of(c, s, "tamis_version"), *cmd = str_of(c, s, "command"), *started = str_of(c, s, "started");
    double secs = tms_jv_num(tms_jv_get(s, "seconds"), 0);
    uint64_t din = num_u(s, "docs_in"), dk = num_u(s, "docs_kept"), dr = num_u(s, "docs_rejected");
    uint64_t bin = num_u(s, "bytes_in"), bout = num_u(s, "bytes_out"), ib = num_u(s, "input_bytes");
    uint64_t shards = num_u(s, "shards");
    char h[32], p[16], note[96];
    TRY(tms_buf_adds(b, "<header><h1>tamis run report</h1><p class=\"mut\">tamis "));
    TRY(esc(b, ver ? ver : "?"));
    TRY(tms_buf_adds(b, " · started "));
    TRY(esc(b, started ? started : "?"));
    TRY(tms_buf_printf(b, " UTC · %.1f s", secs));
    if (shards) TRY(tms_buf_printf(b, " · merged from %llu shards", (unsigned long long)shards));
    TRY(tms_buf_adds(b, "</p>"));
    const tms_jv *complete = tms_jv_get(s, "complete");
    if (!complete || !complete->raw || strncmp(complete->raw, "true", 4) != 0) {
        const char *why = str_of(c, s, "stopped");
        TRY(tms_buf_adds(b, "<p class=\"warn\"><strong>Incomplete run</strong>: "));
        TRY(esc(b, why ? why : "the run did not finish"));
        TRY(tms_buf_adds(b, ". Counts cover what was read before it stopped.</p>"));
    }
    TRY(tms_buf_adds(b, "<pre><code>"));
    TRY(esc(b, cmd ? cmd : ""));
    TRY(tms_buf_adds(b, "</code></pre></header>\n"));
    TRY(tms_buf_adds(b, "<nav class=\"mut\"><a href=\"#totals\">Totals</a><a href=\"#funnel\">Funnel</a>"
                        "<a href=\"#reasons-h\">Reasons</a><a href=\"#examples\">Examples</a>"
                        "<a href=\"#lines\">Removed lines</a><a href=\"#distributions\">Distributions</a>"
                        "<a href=\"#rules\">Rules</a><a href=\"#run\">Inputs and options</a></nav>\n"));
    TRY(tms_buf_adds(b, "<section id=\"totals\"><h2>Totals</h2><div class=\"cards\">"));
    TRY(card(c, "documents in", "docs_in", din, NULL, NULL));
    TRY(card(c, "kept", "docs_kept", dk, NULL, pct(p, (double)dk, (double)din)));
    TRY(card(c, "rejected", "docs_rejected", dr, NULL, pct(p, (double)dr, (double)din)));
    TRY(card(c, "text bytes in", "bytes_in", bin, "B", NULL));
    snprintf(note, sizeof note, "%s of the text", pct(p, (double)bout, (double)bin));
    TRY(card(c, "text bytes kept", "bytes_out", bout, "B", note));
    snprintf(note, sizeof note, "%s/s", secs > 0 ? human(h, (double)ib / secs, "B") : "–");
    TRY(card(c, "input bytes read", NULL, ib, "B", note));
    snprintf(note, sizeof note, "%s docs/s", secs > 0 ? human(h, (double)din / secs, NULL) : "–");
    TRY(tms_buf_adds(b, "<div class=\"card\"><div class=\"k\">time</div><div class=\"v\">"));
    TRY(tms_buf_printf(b, "%.1f s</div><div class=\"h\">", secs));
    TRY(esc(b, note));
    TRY(tms_buf_adds(b, "</div></div>"));
    const tms_jv *skipped = tms_jv_get(s, "records_skipped");
    uint64_t nskip = 0;
    for (size_t i = 0; skipped && i < skipped->n; i++) nskip += u64(tms_jv_num(skipped->kid[i], 0));
    TRY(card(c, "records skipped", NULL, nskip, NULL, "not documents: warcinfo, requests, metadata"));
    return tms_buf_adds(b, "</div></section>\n");
}

/* stage names in order, with docs_in, docs_rejected and (from stats) bytes_in */
static tamis_status section_funnel(rctx *c)
{
    tms_buf *b = c->b;
    const tms_jv *stages = tms_jv_get(c->sum, "stages"), *sst = c->st ? tms_jv_get(c->st, "stages") : NULL;
    size_t n = stages ? stages->n : 0;
    const char **labels = tms_arena_alloc(&c->a, (n + 1) * sizeof *labels);
    const char **notes = tms_arena_alloc(&c->a, (n + 1) * sizeof *notes);
    double *docs = tms_arena_alloc(&c->a, (n + 1) * sizeof *docs), *bytes = tms_arena_alloc(&c->a, (n + 1) * sizeof *bytes);
    if (!labels || !notes || !docs || !bytes) return TAMIS_E_NOMEM;
    bool have_bytes = sst != NULL;
    char h[32], p[16], e[32];
    uint64_t din = num_u(c->sum, "docs_in"), bin = num_u(c->sum, "bytes_in");
    TRY(tms_buf_adds(b, "<section id=\"funnel\"><h2>Funnel</h2><p class=\"mut\">Documents and text bytes entering each "
                        "stage, in the order they run; the last row is what was kept. Text bytes fall at extract when HTML "
                        "pages become their main text, and at lines when lines are removed.</p>"));
    TRY(tms_buf_adds(b, "<div class=\"scroll\"><table><thead><tr><th>stage</th><th class=\"num\">documents in</th>"
                        "<th class=\"num\">rejected</th><th class=\"num\">share of its input</th>"
                        "<th class=\"num\">text bytes in</th></tr></thead><tbody>"));
    for (size_t i = 0; i < n; i++) {
        const tms_jv *st = stages->kid[i];
        const char *name = str_of(c, st, "name");
        labels[i] = name ? name : "?";
        docs[i] = (double)num_u(st, "docs_in");
        uint64_t rej = num_u(st, "docs_rejected");
        bytes[i] = -1;
        if (!strcmp(labels[i], "read")) bytes[i] = (double)bin;
        for (size_t k = 0; sst && k < sst->n; k++) {
            const char *sn = str_of(c, sst->kid[k], "name");
            if (sn && !strcmp(sn, labels[i])) bytes[i] = (double)num_u(sst->kid[k], "bytes_in");
        }
        notes[i] = rej ? tms_arena_printf(&c->a, "(−%s)", human(h, (double)rej, NULL)) : NULL;
        TRY(tms_buf_adds(b, "<tr><td>"));
        TRY(esc(b, labels[i]));
        TRY(tms_buf_printf(b, "</td><td class=\"num\">%s</td>", exact(e, u64(docs[i]))));
        TRY(tms_buf_printf(b, "<td class=\"num\">%s</td>", exact(e, rej)));
        TRY(tms_buf_printf(b, "<td class=\"num\">%s</td>", pct(p, (double)rej, docs[i])));
        TRY(tms_buf_printf(b, "<td class=\"num\">%s</td></tr>", bytes[i] >= 0 ? human(h, bytes[i], "B") : "–"));
    }
    labels[n] = "kept";
    notes[n] = NULL;
    docs[n] = (double)num_u(c->sum, "docs_kept");
    bytes[n] = (double)num_u(c->sum, "bytes_out");
    TRY(tms_buf_printf(b, "<tr><td><strong>kept</strong></td><td class=\"num\">%s</td><td></td><td class=\"num\">%s of "
                          "the input</td>", exact(e, u64(docs[n])), pct(p, docs[n], (double)din)));
    TRY(tms_buf_printf(b, "<td class=\"num\">%s</td></tr></tbody></table></div>", human(h, bytes[n], "B")));
    TRY(tms_buf_adds(b, "<div class=\"grid2\">"));
    chart ch = {"Documents entering each stage, then kept", NULL, labels, docs, NULL, n + 1, -1, NULL, true, notes};
    TRY(svg_chart(c, &ch));
    if (have_bytes) {
        for (size_t i = 0; i <= n; i++) {
            if (bytes[i] < 0) bytes[i] = 0;
            notes[i] = tms_arena_printf(&c->a, "(%s)", pct(p, bytes[i], (double)bin));
        }
        chart cb = {"Text bytes entering each stage, then kept", NULL, labels, bytes, NULL, n + 1, -1, NULL, true, notes,
                    0, "B"};
        TRY(svg_chart(c, &cb));
    }
    return tms_buf_adds(b, "</div></section>\n");
}

typedef struct reason_row { const char *key; uint64_t n; } reason_row;

static int cmp_reason(const void *a, const void *b)
{
    const reason_row *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

static const tms_jv *rule_of(rctx *c, const char *key) { return c->st ? tms_jv_get(tms_jv_get(c->st, "rules"), key) : NULL; }

static tamis_status rule_text(rctx *c, const char *key)
{
    const tms_jv *r = rule_of(c, key);
    const char *t = r ? str_of(c, r, "text") : NULL, *opt = r ? str_of(c, r, "option") : NULL;
    const char *val = r ? str_of(c, r, "value") : NULL;
    TRY(esc(c->b, t ? t : "no explanation recorded (stats.json is missing or does not name this reason)"));
    if (opt) {
        TRY(tms_buf_adds(c->b, " <span class=\"mut\">(set by <code>--"));
        TRY(esc(c->b, opt));
        TRY(tms_buf_adds(c->b, "</code>"));
        const char *def = r ? str_of(c, r, "default") : NULL;
        if (val && *val) {
            TRY(tms_buf_adds(c->b, "; this run: <code>"));
            TRY(esc(c->b, val));
            TRY(tms_buf_adds(c->b, "</code>"));
            if (def && *def && strcmp(def, val) != 0) { /* the sentence gives the default's numbers */
                TRY(tms_buf_adds(c->b, ", not the default <code>"));
                TRY(esc(c->b, def));
                TRY(tms_buf_adds(c->b, "</code> the sentence describes"));
            }
        } else {
            TRY(tms_buf_adds(c->b, "; not set in this run"));
        }
        TRY(tms_buf_adds(c->b, ")</span>"));
    }
    return TAMIS_OK;
}

static tamis_status section_reasons(rctx *c, reason_row *rows, size_t n, bool would)
{
    tms_buf *b = c->b;
    uint64_t din = num_u(c->sum, "docs_in"), dr = would ? num_u(c->sum, "docs_would_reject") : num_u(c->sum, "docs_rejected");
    char e[32], p[16], p2[16];
    TRY(tms_buf_adds(b, "<section><h2 id=\"reasons-h\">Why documents were removed</h2>"));
    if (would)
        TRY(tms_buf_adds(b, "<p class=\"warn\">Run with <code>--tag-only</code>: nothing was removed after reading. "
                            "The table counts what each stage <em>would</em> have removed (a document may count "
                            "under several reasons).</p>"));
    TRY(tms_buf_adds(b, "<p class=\"mut\">Every <code>stage:reason</code> of the run. Each reason links to its rule; "
                        "click a column to sort.</p><div class=\"scroll\"><table id=\"reasons\"><thead><tr>"
                        "<th data-sort=\"txt\">stage</th><th data-sort=\"txt\">reason</th>"
                        "<th class=\"num\" data-sort=\"num\">documents</th><th class=\"num\" data-sort=\"num\">of input</th>"
                        "<th class=\"num\" data-sort=\"num\">of removed</th><th>examples</th></tr></thead><tbody>"));
    uint64_t max = n ? rows[0].n : 0;
    for (size_t i = 0; i < n; i++) {
        const char *colon = strchr(rows[i].key, ':');
        size_t sl = colon ? (size_t)(colon - rows[i].key) : strlen(rows[i].key);
        TRY(tms_buf_adds(b, "<tr data-reason=\""));
        TRY(esc(b, rows[i].key));
        TRY(tms_buf_adds(b, "\"><td>"));
        TRY(esc_n(b, rows[i].key, sl));
        TRY(tms_buf_adds(b, "</td><td><a href=\"#"));
        TRY(put_id(b, "rule-", rows[i].key));
        TRY(tms_buf_adds(b, "\">"));
        TRY(esc(b, colon ? colon + 1 : rows[i].key));
        TRY(tms_buf_printf(b, "</a></td><td class=\"num count\">%s</td><td class=\"num\">%s "
                              "<span class=\"meter\" style=\"width:%.1fem\" aria-hidden=\"true\"></span></td>"
                              "<td class=\"num\">%s</td><td>",
                           exact(e, rows[i].n), pct(p, (double)rows[i].n, (double)din),
                           max ? 4.0 * (double)rows[i].n / (double)max : 0, pct(p2, (double)rows[i].n, (double)dr)));
        if (c->st && tms_jv_get(tms_jv_get(c->st, "samples"), rows[i].key)) {
            TRY(tms_buf_adds(b, "<a href=\"#"));
            TRY(put_id(b, "ex-", rows[i].key));
            TRY(tms_buf_adds(b, "\">examples</a>"));
        }
        TRY(tms_buf_adds(b, "</td></tr>"));
    }
    if (!n) TRY(tms_buf_adds(b, "<tr><td colspan=\"6\" class=\"mut\">No document was removed.</td></tr>"));
    return tms_buf_adds(b, "</tbody></table></div></section>\n");
}

static tamis_status put_sample(rctx *c, const tms_jv *x)
{
    tms_buf *b = c->b;
    const char *id = str_of(c, x, "id"), *loc = str_of(c, x, "location"), *lang = str_of(c, x, "language");
    const char *exc = str_of(c, x, "excerpt");
    const tms_jv *val = tms_jv_get(x, "value"), *thr = tms_jv_get(x, "threshold"), *cut = tms_jv_get(x, "cut");
    char h[32];
    TRY(tms_buf_adds(b, "<div class=\"sample\"><div><code>"));
    TRY(esc(b, id ? id : "?"));
    TRY(tms_buf_adds(b, "</code>"));
    if (loc) {
        TRY(tms_buf_adds(b, " <span class=\"mut\">at "));
        TRY(esc(b, loc));
        TRY(tms_buf_adds(b, "</span>"));
    }
    TRY(tms_buf_printf(b, " <span class=\"mut\">· %s", human(h, tms_jv_num(tms_jv_get(x, "bytes"), 0), "B")));
    if (lang) {
        TRY(tms_buf_adds(b, " · "));
        TRY(esc(b, lang));
    }
    TRY(tms_buf_adds(b, "</span>"));
    if (val && val->t == TMS_JV_NUM) {
        double v = tms_jv_num(val, 0), t = tms_jv_num(thr, 0);
        TRY(tms_buf_printf(b, " · measured <strong>%.4g</strong> %s threshold %.4g", v, v > t ? "&gt;" : v < t ? "&lt;" : "=",
                           t));
    }
    TRY(tms_buf_adds(b, "</div><pre>"));
    TRY(esc(b, exc ? exc : ""));
    if (cut && cut->raw && !strncmp(cut->raw, "true", 4)) TRY(tms_buf_adds(b, " <span class=\"mut\">[…]</span>"));
    return tms_buf_adds(b, "</pre></div>");
}

typedef struct hashed { const char *h; const tms_jv *v; size_t at; } hashed;

static int cmp_hashed(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    int d = strcmp(x->h, y->h);
    return d ? d : (x->at > y->at) - (x->at < y->at); /* ties: the first part's first */
}

static tamis_status section_examples(rctx *c, reason_row *rows, size_t n)
{
    tms_buf *b = c->b;
    TRY(tms_buf_adds(b, "<section id=\"examples\"><h2>Examples</h2>"));
    const tms_jv *samples = c->st ? tms_jv_get(c->st, "samples") : NULL;
    if (!samples) return tms_buf_adds(b, "<p class=\"mut\">No samples: the run was made with <code>--no-report</code> "
                                         "(no stats.json).</p></section>\n");
    char e[32];
    TRY(tms_buf_printf(b, "<p class=\"mut\">For each reason, up to %d documents, chosen by a hash of their id "
                          "(a uniform sample that does not depend on threads or shards): the text as the rule saw it, "
                          "cut at %d bytes, and the value it measured.</p>", TMS_SAMPLE_K, TMS_EXCERPT_BYTES));
    for (size_t i = 0; i <= n; i++) {
        const char *key = i < n ? rows[i].key : "kept";
        const tms_jv *set = tms_jv_get(samples, key), *docs = tms_jv_get(set, "docs");
        if (!docs || !docs->n) continue;
        TRY(tms_buf_adds(b, "<details class=\"ex\" id=\""));
        TRY(put_id(b, "ex-", key));
        TRY(tms_buf_adds(b, "\"><summary><strong>"));
        TRY(esc(b, i < n ? key : "kept documents"));
        uint64_t offered = num_u(set, "offered");
        TRY(tms_buf_printf(b, "</strong> <span class=\"mut\">· %s document%s", exact(e, offered), offered == 1 ? "" : "s"));
        TRY(tms_buf_adds(b, "</span></summary>"));
        if (i < n) {
            TRY(tms_buf_adds(b, "<p class=\"rule\">"));
            TRY(rule_text(c, key));
            TRY(tms_buf_adds(b, "</p>"));
        }
        /* a merged report holds every shard's sample: the smallest hashes are the sample */
        size_t m = docs->n;
        hashed *v = tms_arena_alloc(&c->a, m * sizeof *v);
        if (!v) return TAMIS_E_NOMEM;
        for (size_t k = 0; k < m; k++) {
            const char *h = str_of(c, docs->kid[k], "h");
            v[k] = (hashed){h ? h : "", docs->kid[k], k};
        }
        qsort(v, m, sizeof *v, cmp_hashed);
        for (size_t k = 0; k < m && k < TMS_SAMPLE_K; k++) TRY(put_sample(c, v[k].v));
        TRY(tms_buf_adds(b, "</details>\n"));
    }
    return tms_buf_adds(b, "</section>\n");
}

typedef struct line_row { const tms_jv *v; uint64_t count, error; const char *text, *stage, *reason; } line_row;

static int cmp_line(const void *a, const void *b)
{
    const line_row *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

static int cmp_line_key(const void *a, const void *b)
{
    const line_row *x = a, *y = b;
    int d = strcmp(x->text, y->text);
    if (!d) d = strcmp(x->reason, y->reason);
    return d ? d : strcmp(x->stage, y->stage);
}

static tamis_status section_lines(rctx *c)
{
    tms_buf *b = c->b;
    TRY(tms_buf_adds(b, "<section id=\"lines\"><h2>Most frequent removed lines</h2>"));
    const tms_jv *lines = c->st ? tms_jv_get(c->st, "removed_lines") : NULL;
    if (!lines || !lines->n)
        return tms_buf_adds(b, c->st ? "<p class=\"mut\">No line was removed.</p></section>\n"
                                     : "<p class=\"mut\">No stats.json: run without <code>--no-report</code>.</p></section>\n");
    /* merged shards list a line once per shard: add them up */
    size_t n = 0;
    line_row *rows = tms_arena_alloc(&c->a, lines->n * sizeof *rows);
    if (!rows) return TAMIS_E_NOMEM;
    for (size_t i = 0; i < lines->n; i++) {
        const tms_jv *x = lines->kid[i];
        line_row r = {x, num_u(x, "count"), num_u(x, "error"), str_of(c, x, "text"), str_of(c, x, "stage"),
                      str_of(c, x, "reason")};
        if (!r.text || !r.stage || !r.reason) continue;
        rows[n++] = r;
    }
    /* sorted by line, then the same lines added up (O(n log n) over any number of shards) */
    qsort(rows, n, sizeof *rows, cmp_line_key);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && !cmp_line_key(&rows[m - 1], &rows[i])) {
            rows[m - 1].count += rows[i].count;
            rows[m - 1].error += rows[i].error;
        } else {
            rows[m++] = rows[i];
        }
    }
    n = m;
    qsort(rows, n, sizeof *rows, cmp_line);
    char e[32], e2[32], p[16];
    uint64_t total = num_u(c->st, "lines_removed");
    TRY(tms_buf_printf(b, "<p class=\"mut\">%s lines were removed in all. The lines removed most often, as they "
                          "were. The counting keeps %d lines in memory, whatever the corpus: a line that came back after "
                          "being dropped shows the range its true count is in.</p>",
                       exact(e, total), 2 * TMS_TOPLINES_CAP));
    TRY(tms_buf_adds(b, "<div class=\"scroll\"><table id=\"removed-lines\"><thead><tr><th class=\"num\" data-sort=\"num\">"
                        "times</th><th class=\"num\">share</th><th data-sort=\"txt\">reason</th><th>line</th></tr></thead><tbody>"));
    for (size_t i = 0; i < n && i < 40; i++) {
        if (rows[i].error) /* Space-Saving: the true count is in [count - error, count] */
            TRY(tms_buf_printf(b, "<tr><td class=\"num\">%s–%s", exact(e2, rows[i].count - rows[i].error),
                               exact(e, rows[i].count)));
        else
            TRY(tms_buf_printf(b, "<tr><td class=\"num\">%s", exact(e, rows[i].count)));
        TRY(tms_buf_printf(b, "</td><td class=\"num\">%s</td><td><a href=\"#", pct(p, (double)rows[i].count, (double)total)));
        char key[128];
        snprintf(key, sizeof key, "%s:%s", rows[i].stage, rows[i].reason);
        TRY(put_id(b, "rule-", key));
        TRY(tms_buf_adds(b, "\">"));
        TRY(esc(b, key));
        TRY(tms_buf_adds(b, "</a></td><td class=\"line\"><code>"));
        TRY(esc(b, rows[i].text));
        TRY(tms_buf_adds(b, "</code></td></tr>"));
    }
    return tms_buf_adds(b, "</tbody></table></div></section>\n");
}

static tamis_status section_distributions(rctx *c)
{
    tms_buf *b = c->b;
    TRY(tms_buf_adds(b, "<section id=\"distributions\"><h2>Distributions</h2>"));
    /* languages, from the summary */
    const tms_jv *stages = tms_jv_get(c->sum, "stages"), *langs = NULL;
    for (size_t i = 0; stages && i < stages->n && !langs; i++) langs = tms_jv_get(stages->kid[i], "languages");
    if (langs && langs->n) {
        size_t n = langs->n, show = n > 16 ? 15 : n;
        reason_row *r = tms_arena_alloc(&c->a, n * sizeof *r);
        if (!r) return TAMIS_E_NOMEM;
        double total = 0;
        for (size_t i = 0; i < n; i++) {
            r[i].key = tms_jv_key(&c->a, langs->kid[i]);
            r[i].n = u64(tms_jv_num(langs->kid[i], 0));
            if (!r[i].key) r[i].key = "?";
            total += (double)r[i].n;
        }
        qsort(r, n, sizeof *r, cmp_reason);
        const char **labels = tms_arena_alloc(&c->a, (show + 1) * sizeof *labels);
        const char **notes = tms_arena_alloc(&c->a, (show + 1) * sizeof *notes);
        double *v = tms_arena_alloc(&c->a, (show + 1) * sizeof *v);
        if (!labels || !v || !notes) return TAMIS_E_NOMEM;
        char p[16];
        for (size_t i = 0; i < show; i++) labels[i] = r[i].key, v[i] = (double)r[i].n;
        if (show < n) {
            labels[show] = tms_arena_printf(&c->a, "%zu others", n - show);
            v[show] = 0;
            for (size_t i = show; i < n; i++) v[show] += (double)r[i].n;
            show++;
        }
        for (size_t i = 0; i < show; i++) notes[i] = tms_arena_printf(&c->a, "(%s)", pct(p, v[i], total));
        TRY(tms_buf_adds(b, "<h3>Languages</h3><p class=\"mut\">Documents the language stage tagged, by language "
                            "(<code>und</code>: undetermined).</p>"));
        chart ch = {"Documents by language", NULL, labels, v, NULL, show, -1, NULL, true, notes};
        TRY(svg_chart(c, &ch));
        TRY(data_table(c, "Documents by language", "language", labels, v, show));
    }
    if (!c->st) return tms_buf_adds(b, "<p class=\"mut\">The other distributions need stats.json: run without "
                                       "<code>--no-report</code>.</p></section>\n");
    TRY(tms_buf_adds(b, "<h3>Document length</h3><p class=\"mut\">Text bytes per document, on a log scale: every "
                        "document as read, and every kept document as written.</p><div class=\"grid2\"><div>"));
    TRY(histogram(c, "Length of every document as read (bytes)", "bytes", tms_jv_get(c->st, "length_before"),
                  TMS_HIST_COUNT, false, 0, false, NULL, NULL));
    TRY(tms_buf_adds(b, "</div><div>"));
    TRY(histogram(c, "Length of every kept document (bytes)", "bytes", tms_jv_get(c->st, "length_after"),
                  TMS_HIST_COUNT, false, 0, false, NULL, NULL));
    TRY(tms_buf_adds(b, "</div></div>"));

    const tms_jv *cl = tms_jv_get(c->st, "cluster_sizes");
    for (size_t i = 0; cl && i < cl->n; i++) {
        const tms_jv *sizes = cl->kid[i];
        const char *stage = tms_jv_key(&c->a, sizes);
        if (!stage || !sizes->n) continue;
        size_t n = sizes->n;
        reason_row *r = tms_arena_alloc(&c->a, n * sizeof *r);
        const char **labels = tms_arena_alloc(&c->a, n * sizeof *labels);
        double *v = tms_arena_alloc(&c->a, n * sizeof *v);
        if (!r || !labels || !v) return TAMIS_E_NOMEM;
        for (size_t k = 0; k < n; k++) {
            const char *key = tms_jv_key(&c->a, sizes->kid[k]);
            r[k].key = key ? key : "0";
            r[k].n = u64(tms_jv_num(sizes->kid[k], 0));
        }
        for (size_t k = 1; k < n; k++) /* by size */
            for (size_t j = k; j > 0 && strtoull(r[j - 1].key, NULL, 10) > strtoull(r[j].key, NULL, 10); j--) {
                reason_row t = r[j - 1];
                r[j - 1] = r[j];
                r[j] = t;
            }
        for (size_t k = 0; k < n; k++) {
            unsigned long long lo = strtoull(r[k].key, NULL, 10);
            labels[k] = lo <= 64 ? r[k].key
                        : tms_arena_printf(&c->a, "%llu–%llu", lo, lo == 65 ? 127ull : 2 * lo - 1);
            v[k] = (double)r[k].n;
        }
        TRY(tms_buf_adds(b, "<h3>Duplicate clusters: "));
        TRY(esc(b, stage));
        TRY(tms_buf_adds(b, "</h3><p class=\"mut\">Clusters with at least one duplicate, by size (the kept copy and "
                            "its duplicates).</p>"));
        char *name = tms_arena_printf(&c->a, "Duplicate clusters of %s by size", stage);
        if (!name) return TAMIS_E_NOMEM;
        chart ch = {name, "documents in the cluster", labels, v, NULL, n, -1, NULL, n <= 12, NULL};
        TRY(svg_chart(c, &ch));
        TRY(data_table(c, name, "cluster size", labels, v, n));
    }

    const tms_jv *ms = tms_jv_get(c->st, "measures");
    if (ms && ms->n) {
        TRY(tms_buf_adds(b, "<h3 id=\"measures\">What each rule measured</h3><p class=\"mut\">Every document a rule "
                            "looked at, kept or not, by the value it measured. The dashed line is the threshold; red "
                            "bars are wholly on the rejected side. A rule runs only on the documents that the rules "
                            "before it kept.</p><div class=\"grid2\">"));
        /* in the order of the reasons table's rules: stage order, as measured */
        for (size_t i = ms->n; i-- > 0;) {
            const tms_jv *m = ms->kid[i];
            const char *key = tms_jv_key(&c->a, m), *scale = str_of(c, m, "scale"), *rejects = str_of(c, m, "rejects");
            if (!key || !scale) continue;
            int sc = !strcmp(scale, "frac") ? TMS_HIST_FRAC : !strcmp(scale, "scale") ? TMS_HIST_SCALE : TMS_HIST_COUNT;
            bool upper = rejects && !strcmp(rejects, "above");
            const tms_jv *tj = tms_jv_get(m, "threshold");
            bool has_thr = tj && tj->t == TMS_JV_NUM;
            double thr = tms_jv_num(tj, 0);
            char *name = tms_arena_printf(&c->a, "%s: %s documents measured", key,
                                          exact((char[32]){0}, num_u(m, "n")));
            char tv[32];
            char *tl = tms_arena_printf(&c->a, "%s %s", upper ? "rejects above" : "rejects below", fmt_value(tv, sc, thr));
            if (!name || !tl) return TAMIS_E_NOMEM;
            TRY(tms_buf_adds(b, "<div><h3 class=\"mut\" style=\"margin-top:.4em\"><a href=\"#"));
            TRY(put_id(b, "rule-", key));
            TRY(tms_buf_adds(b, "\">"));
            TRY(esc(b, key));
            TRY(tms_buf_adds(b, "</a></h3>"));
            uint64_t near[3] = {0, 0, 0};
            TRY(histogram(c, name, "measured value", tms_jv_get(m, "bins"), sc, has_thr, thr, upper, tl, near));
            char e[32], p[16], a[32], z[32];
            if (has_thr)
                TRY(tms_buf_printf(b, "<p class=\"mut\">Near the threshold: %s documents (%s) measured from %s to "
                                      "under %s.</p>",
                                   exact(e, near[0]), pct(p, (double)near[0], tms_jv_num(tms_jv_get(m, "n"), 0)),
                                   fmt_value(a, sc, tms_hist_lo(sc, near[1])), fmt_value(z, sc, tms_hist_lo(sc, near[2]))));
            TRY(tms_buf_adds(b, "</div>"));
        }
        TRY(tms_buf_adds(b, "</div>"));
    }
    return tms_buf_adds(b, "</section>\n");
}

static tamis_status section_rules(rctx *c, reason_row *rows, size_t n)
{
    tms_buf *b = c->b;
    TRY(tms_buf_adds(b, "<section id=\"rules\"><h2>Rules</h2><p class=\"mut\">What each reason means, with the option "
                        "that sets it and the value this run used. Reasons this run gave are in bold.</p><dl>"));
    const tms_jv *rules = c->st ? tms_jv_get(c->st, "rules") : NULL;
    /* the reasons given, even without stats.json, so every link of the table lands */
    for (size_t i = 0; i < n; i++) {
        if (rules && tms_jv_get(rules, rows[i].key)) continue;
        TRY(tms_buf_adds(b, "<dt id=\""));
        TRY(put_id(b, "rule-", rows[i].key));
        TRY(tms_buf_adds(b, "\"><code>"));
        TRY(esc(b, rows[i].key));
        TRY(tms_buf_adds(b, "</code></dt><dd>"));
        TRY(rule_text(c, rows[i].key));
        TRY(tms_buf_adds(b, "</dd>"));
    }
    for (size_t i = 0; rules && i < rules->n; i++) {
        const char *key = tms_jv_key(&c->a, rules->kid[i]);
        if (!key) continue;
        bool given = false;
        for (size_t k = 0; k < n && !given; k++) given = !strcmp(rows[k].key, key);
        TRY(tms_buf_adds(b, "<dt id=\""));
        TRY(put_id(b, "rule-", key));
        TRY(tms_buf_adds(b, given ? "\"><code><strong>" : "\"><code>"));
        TRY(esc(b, key));
        TRY(tms_buf_adds(b, given ? "</strong></code></dt><dd>" : "</code></dt><dd>"));
        TRY(rule_text(c, key));
        TRY(tms_buf_adds(b, "</dd>"));
    }
    return tms_buf_adds(b, "</dl></section>\n");
}

static tamis_status section_inputs(rctx *c)
{
    tms_buf *b = c->b;
    TRY(tms_buf_adds(b, "<section id=\"run\"><h2>Inputs and options</h2>"));
    const tms_jv *in = tms_jv_get(c->sum, "inputs"), *opts = tms_jv_get(c->sum, "options"),
                 *outs = tms_jv_get(c->sum, "outputs");
    char e[32], h[32];
    TRY(tms_buf_printf(b, "<p>%s input files, %s.</p><details><summary>Inputs (%zu)</summary><ul>",
                       exact(e, num_u(c->sum, "input_files")), human(h, (double)num_u(c->sum, "input_bytes"), "B"),
                       in ? in->n : 0));
    for (size_t i = 0; in && i < in->n && i < 1000; i++) {
        TRY(tms_buf_adds(b, "<li><code>"));
        TRY(esc(b, tms_jv_str(&c->a, in->kid[i])));
        TRY(tms_buf_adds(b, "</code></li>"));
    }
    if (in && in->n > 1000) TRY(tms_buf_printf(b, "<li>and %zu more</li>", in->n - 1000));
    TRY(tms_buf_adds(b, "</ul></details><details><summary>Outputs</summary><ul>"));
    for (size_t i = 0; outs && i < outs->n; i++) {
        const tms_jv *o = outs->kid[i];
        for (size_t k = 0; k < (o->t == TMS_JV_ARR ? o->n : 1); k++) {
            const char *s = tms_jv_str(&c->a, o->t == TMS_JV_ARR ? o->kid[k] : o);
            if (!s) continue;
            TRY(tms_buf_adds(b, "<li>"));
            TRY(esc(b, tms_jv_key(&c->a, o)));
            TRY(tms_buf_adds(b, ": <code>"));
            TRY(esc(b, s));
            TRY(tms_buf_adds(b, "</code></li>"));
        }
    }
    TRY(tms_buf_adds(b, "</ul></details><details><summary>Options</summary><div class=\"scroll\"><table><tbody>"));
    for (size_t i = 0; opts && i < opts->n; i++) {
        const tms_jv *o = opts->kid[i];
        TRY(tms_buf_adds(b, "<tr><td><code>--"));
        TRY(esc(b, tms_jv_key(&c->a, o)));
        TRY(tms_buf_adds(b, "</code></td><td><code>"));
        const char *s = tms_jv_str(&c->a, o);
        if (s) TRY(esc(b, s));
        else TRY(esc_n(b, o->raw ? o->raw : "", o->raw ? o->raw_len : 0));
        TRY(tms_buf_adds(b, "</code></td></tr>"));
    }
    return tms_buf_adds(b, "</tbody></table></div></details></section>\n");
}

tamis_status tms_report_render(const char *summary, size_t slen, const char *stats, size_t stlen, tms_buf *out,
                               char *err, size_t errn)
{
    rctx c = {.b = out};
    tms_arena_init(&c.a, 64 << 10);
    tms_jv *sum = NULL, *st = NULL;
    tamis_status r = tms_jv_parse(&c.a, summary, slen, &sum, err, errn);
    if (r == TAMIS_OK && stats) r = tms_jv_parse(&c.a, stats, stlen, &st, err, errn);
    c.sum = sum;
    c.st = st;
    bool would = false;
    const tms_jv *reasons = NULL;
    if (r == TAMIS_OK) {
        const tms_jv *tag = tms_jv_get(tms_jv_get(sum, "options"), "tag-only");
        would = tag && tag->raw && !strncmp(tag->raw, "true", 4) && tms_jv_get(sum, "would_reject_by_reason");
        reasons = tms_jv_get(sum, would ? "would_reject_by_reason" : "rejected_by_reason");
        if (reasons && reasons->t != TMS_JV_OBJ) reasons = NULL; /* a damaged file: no reasons to list */
    }
    size_t n = reasons ? reasons->n : 0;
    reason_row *rows = n ? tms_arena_alloc(&c.a, n * sizeof *rows) : NULL;
    if (n && !rows) r = TAMIS_E_NOMEM;
    for (size_t i = 0; r == TAMIS_OK && i < n; i++) {
        rows[i].key = tms_jv_key(&c.a, reasons->kid[i]);
        rows[i].n = u64(tms_jv_num(reasons->kid[i], 0));
        if (!rows[i].key) rows[i].key = "?";
    }
    if (r == TAMIS_OK && n) qsort(rows, n, sizeof *rows, cmp_reason);
    if (r == TAMIS_OK)
        r = tms_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                              "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                              "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
                              "<title>tamis report</title><style>");
    if (r == TAMIS_OK) r = tms_buf_adds(out, css);
    if (r == TAMIS_OK) r = tms_buf_adds(out, "</style></head><body><main>\n");
    if (r == TAMIS_OK) r = section_run(&c);
    if (r == TAMIS_OK) r = section_funnel(&c);
    if (r == TAMIS_OK) r = section_reasons(&c, rows, n, would);
    if (r == TAMIS_OK) r = section_examples(&c, rows, n);
    if (r == TAMIS_OK) r = section_lines(&c);
    if (r == TAMIS_OK) r = section_distributions(&c);
    if (r == TAMIS_OK) r = section_rules(&c, rows, n);
    if (r == TAMIS_OK) r = section_inputs(&c);
    if (r == TAMIS_OK)
        r = tms_buf_printf(out, "<footer><p class=\"mut\">Written by tamis %s from summary.json%s. "
                                "This page loads nothing: it works offline and copied off a cluster.</p></footer>"
                                "</main><script>",
                           TAMIS_VERSION_STRING, st ? " and stats.json" : " (no stats.json)");
    if (r == TAMIS_OK) r = tms_buf_adds(out, script);
    if (r == TAMIS_OK) r = tms_buf_adds(out, "</script></body></html>\n");
    if (r == TAMIS_E_NOMEM && errn && !err[0]) snprintf(err, errn, "out of memory");
    tms_arena_destroy(&c.a);
    return r;
}

/* ==== tamis report DIR... ==== */

/* where the report of dirs goes when no path is given */
static char *default_out(const char *const *dirs, size_t n, char *err, size_t errn)
{
    char parent[TMS_MAX_PATH_BYTES] = "";
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dirs[i]);
        while (len > 1 && dirs[i][len - 1] == '/') len--;
        const char *slash = memrchr(dirs[i], '/', len);
        char p[TMS_MAX_PATH_BYTES];
        snprintf(p, sizeof p, "%.*s", slash ? (int)(slash - dirs[i]) + (slash == dirs[i]) : 1, slash ? dirs[i] : ".");
        if (i == 0) snprintf(parent, sizeof parent, "%s", p);
        else if (strcmp(parent, p) != 0) {
            snprintf(err, errn, "%s and %s are not in one directory: name the report with -o FILE", dirs[0], dirs[i]);
            return NULL;
        }
    }
    size_t len = strlen(parent) + 16;
    char *out = tms_malloc(len);
    if (out) snprintf(out, len, "%s/report.html", parent);
    return out;
}

tamis_status tamis_report(const char *const *dirs, size_t n, const char *out_path, char *err, size_t errn)
{
    if (errn) err[0] = 0;
    if (!n) {
        snprintf(err, errn, "no run directory given");
        return TAMIS_E_USAGE;
    }
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(dirs[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            snprintf(err, errn, "%s: not a run's output directory", dirs[i]);
            return TAMIS_E_USAGE;
        }
    }
    char *out = NULL;
    if (!out_path && n == 1) {
        size_t len = strlen(dirs[0]) + 16;
        if ((out = tms_malloc(len))) snprintf(out, len, "%s/report.html", dirs[0]);
        if (!out) return TAMIS_E_NOMEM;
    } else if (!out_path) {
        out = default_out(dirs, n, err, errn);
        if (!out) return err[0] ? TAMIS_E_USAGE : TAMIS_E_NOMEM;
    }
    /* stats.json from every part, or the report goes without */
    bool stats = true;
    for (size_t i = 0; i < n && stats; i++) {
        char path[TMS_MAX_PATH_BYTES];
        snprintf(path, sizeof path, "%s/stats.json", dirs[i]);
        stats = access(path, R_OK) == 0;
    }
    tms_buf sum, st, html;
    tms_buf_init(&sum, (size_t)1 << 30);
    tms_buf_init(&st, (size_t)1 << 30);
    tms_buf_init(&html, (size_t)1 << 30);
    tamis_status r = tms_json_merge(dirs, n, "summary.json", NULL, &sum, err, errn);
    if (r == TAMIS_OK && stats) r = tms_json_merge(dirs, n, "stats.json", NULL, &st, err, errn);
    if (r == TAMIS_OK)
        r = tms_report_render(sum.data, sum.len, stats ? st.data : NULL, st.len, &html, err, errn);
    if (r == TAMIS_OK) r = tms_sink_write_file(out_path ? out_path : out, html.data, html.len, err, errn);
    if (r == TAMIS_E_NOMEM && errn) snprintf(err, errn, "out of memory");
    tms_buf_free(&sum);
    tms_buf_free(&st);
    tms_buf_free(&html);
    tms_free(out);
    return r;
}
