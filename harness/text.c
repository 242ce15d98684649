/* text.c: growable strings and string lists, so that no text is ever cut.
 *
 * Both types start zeroed and keep a sticky out-of-memory flag: once an
 * allocation fails, later additions are ignored and the flag stays set, so
 * the caller checks it once, when the text is complete.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `more` bytes after the text and its NUL. Returns 0, or -1
 * (and sets oom) when memory runs out. */
static int text_reserve(struct text *t, size_t more)
{
    if (t->oom)
        return -1;
    if (t->len + more + 1 <= t->cap)
        return 0;
    size_t cap = t->cap ? t->cap : 64;
    while (cap < t->len + more + 1)
        cap *= 2;
    char *s = realloc(t->s, cap);
    if (s == NULL)
        return t->oom = 1, -1;
    t->s = s, t->cap = cap;
    return 0;
}

void text_vaddf(struct text *t, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0)
        t->oom = 1;
    else if (text_reserve(t, (size_t)n) == 0) {
        vsnprintf(t->s + t->len, (size_t)n + 1, fmt, again);
        t->len += (size_t)n;
    }
    va_end(again);
}

void text_addf(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_vaddf(t, fmt, ap);
    va_end(ap);
}

void text_setf(struct text *t, const char *fmt, ...)
{
    va_list ap;
    text_clear(t);
    va_start(ap, fmt);
    text_vaddf(t, fmt, ap);
    va_end(ap);
}

const char *text_str(const struct text *t)
{
    return t->s != NULL ? t->s : "";
}

void text_clear(struct text *t)
{
    t->len = 0;
    if (t->s != NULL)
        t->s[0] = '\0';
}

void text_free(struct text *t)
{
    free(t->s);
    *t = (struct text){0};
}

void list_add(struct list *l, const char *s)
{
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **item = realloc(l->item, cap * sizeof *item);
        if (item == NULL) {
            l->oom = 1;
            return;
        }
        l->item = item, l->cap = cap;
    }
    if ((l->item[l->n] = strdup(s)) == NULL)
        l->oom = 1;
    else
        l->n++;
}

void list_free(struct list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->item[i]);
    free(l->item);
    *l = (struct list){0};
}
