/* grade_figures.c: the reference figures file of the student edition
 * (grade_figures.h says what it holds, and who writes and reads it). */
#define _GNU_SOURCE
#include "grade_figures.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

json_t *figures_new(const char *cc)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "about",
                        json_string("The fixed twins' figures, measured natively by the instructor "
                                    "edition (leakgrade --write-figures): the growth check's "
                                    "reference in the student edition (docs/student-edition.md)."));
    json_object_set_new(doc, "cc", json_string(cc ? cc : ""));
    json_object_set_new(doc, "scenarios", json_object());
    return doc;
}

int figures_add(json_t *doc, const char *scenario, const char *workload, long size,
                const json_t *figures)
{
    json_t *all = json_object_get(doc, "scenarios");
    if (!json_is_object(figures) || !json_is_object(all))
        return -1;
    json_t *sc = json_object_get(all, scenario);
    if (sc == NULL) {
        sc = json_object();
        json_object_set_new(all, scenario, sc);
    }
    json_t *w = json_object();
    json_object_set_new(w, "size", json_integer(size));
    json_object_set_new(w, "figures", json_deep_copy(figures));
    return json_object_set_new(sc, workload, w);
}

int figures_write(const json_t *doc, const char *path)
{
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp%ld", path, (long)getpid()) < 0)
        return -1;
    int rc = json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return rc;
}

json_t *figures_load(const char *path, char **why)
{
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err);
    *why = NULL;
    if (doc == NULL) {
        if (asprintf(why, "%s: %s (line %d)", path, err.text, err.line) < 0)
            *why = NULL;
        return NULL;
    }
    if (!json_is_object(json_object_get(doc, "scenarios"))) {
        if (asprintf(why, "%s: no \"scenarios\" object: not a reference figures file", path) < 0)
            *why = NULL;
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int figures_get(const json_t *doc, const char *scenario, const char *workload, long size,
                const char *key, long *value, char **why)
{
    json_t *sc = json_object_get(json_object_get(doc, "scenarios"), scenario);
    json_t *w = sc ? json_object_get(sc, workload) : NULL;
    json_t *at = w ? json_object_get(w, "size") : NULL;
    *why = NULL;
    if (!json_is_integer(at)) {
        if (asprintf(why, "no reference figures for %s at workload %s", scenario, workload) < 0)
            *why = NULL;
        return -1;
    }
    if (json_integer_value(at) != size) {
        if (asprintf(why, "the reference figures of %s at %s were measured at %lld, this lab plans %ld",
                     scenario, workload, (long long)json_integer_value(at), size) < 0)
            *why = NULL;
        return -1;
    }
    json_t *v = json_object_get(json_object_get(w, "figures"), key);
    *value = json_is_integer(v) ? (long)json_integer_value(v) : LONG_MIN;
    return 0;
}
