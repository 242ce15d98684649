/* grade_common.c: the graders' formatted strings (grade_common.h). */
#define _GNU_SOURCE
#include "grade_common.h"

#include "leakharness.h"

#include <stdarg.h>
#include <string.h>

char *xprintf(const char *fmt, ...)
{
    struct text t = {0};
    va_list ap;
    va_start(ap, fmt);
    text_vaddf(&t, fmt, ap);
    va_end(ap);
    if (t.oom || (t.s == NULL && (t.s = strdup("")) == NULL))
        die("out of memory");
    return t.s;
}
