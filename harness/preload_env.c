/* preload_env.c: the environment of a watched program, for the preload shims
 * (libleakcheck-preload.so, -figures.so, -lsan.so). */
#define _GNU_SOURCE
#include "preload_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies the variable `name` into buf ("" when unset). */
void keep_env(const char *name, char *buf, size_t n)
{
    const char *v = getenv(name);
    snprintf(buf, n, "%s", v != NULL ? v : "");
}

/* Removes every LEAKCHECK_* variable from the environment, and this shim
 * from LD_PRELOAD (unset if nothing else is left there). */
void scrub_environment(void)
{
    extern char **environ;
    /* The variables are dropped from environ itself, which is compacted in
     * place (as unsetenv does): no copy of a name, so a name of any length
     * goes, and nothing is allocated. */
    char **kept = environ;
    for (char **e = environ; e != NULL && *e != NULL; e++)
        if (strncmp(*e, "LEAKCHECK_", 10) != 0)
            *kept++ = *e;
    if (kept != NULL)
        *kept = NULL;
    /* LD_PRELOAD is edited in place (the result is shorter): nothing is
     * allocated, so the heap massif measures from main's start is the
     * program's own. */
    char *preload = getenv("LD_PRELOAD");
    if (preload == NULL)
        return;
    char *out = preload;
    for (char *p = preload; *p != '\0';) {
        size_t len = strcspn(p, " :");
        char *base = p;
        for (char *q = p; q < p + len; q++)
            if (*q == '/')
                base = q + 1;
        if (len > 0 && strncmp(base, "libleakcheck-", 13) != 0) {
            if (out != preload)
                *out++ = ' ';
            memmove(out, p, len);
            out += len;
        }
        p += len;
        while (*p == ' ' || *p == ':')
            p++;
    }
    *out = '\0';
    if (out == preload)
        unsetenv("LD_PRELOAD");
}
