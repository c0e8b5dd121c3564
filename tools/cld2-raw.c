/*
 * cld2-raw -- a developer tool: CLD2's raw answer for each row of a TSV
 * ("label<TAB>short(0|1)<TAB>text", \n in text escaped as \\n), as
 * "label<TAB>code<TAB>percent<TAB>reliable<TAB>text_bytes", for
 * scripts/calibrate-cld2.py, which fits the calibration in lid.c.
 */
#include "stage/lid/cld2_shim.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) continue;
        *t1 = *t2 = 0;
        char *text = t2 + 1, *o = text;
        for (char *p = text; *p; p++) { /* unescape \n and \\ */
            if (p[0] == '\\' && p[1] == 'n') *o++ = '\n', p++;
            else if (p[0] == '\\' && p[1] == '\\') *o++ = '\\', p++;
            else *o++ = *p;
        }
        *o = 0;
        tms_cld2_raw r;
        if (tms_cld2_raw_detect(text, (size_t)(o - text), atoi(t1 + 1), &r) != 0) return 1;
        printf("%s\t%s\t%d\t%d\t%d\n", line, r.code[0], r.percent[0], r.reliable, r.text_bytes);
    }
    free(line);
    return 0;
}
