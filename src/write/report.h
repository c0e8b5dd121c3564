/* report.h -- report.html: one self-contained page (inline CSS and SVG, a
 * few lines of plain script, nothing fetched) drawn from what a run wrote:
 * its summary.json and stats.json. */
#ifndef TMS_REPORT_H
#define TMS_REPORT_H
#include "../core/buf.h"

/* Renders the report of summary[0..slen) and stats[0..stlen) (stats NULL:
 * a run without --report; the page then shows the summary only). */
TMS_NODISCARD tamis_status tms_report_render(const char *summary, size_t slen, const char *stats, size_t stlen,
                                             tms_buf *out, char *err, size_t errn);
#endif
