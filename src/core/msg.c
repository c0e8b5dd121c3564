/* msg.c -- formats a message and hands it to the callback. Newlines and
 * other control characters in the text are replaced so a message is always
 * exactly one line. */
#include "msg.h"
#include <stdarg.h>
#include <stdio.h>

void tms_msg(const tms_msgs *m, int level, const char *fmt, ...)
{
    if (!m || !m->fn) return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20) *c = ' ';
    m->fn(m->ctx, level, line);
}
