/* tool_gcc_analyzer.c: gcc's static analyser, -fanalyzer (gcc 12).
 *
 * A static tool: nothing runs. gcc compiles --source with the caller's
 * CFLAGS and -fanalyzer, which walks the paths through each function and
 * warns where it believes a path loses the last pointer to an allocation.
 * gcc 12 writes every diagnostic as one JSON array on stderr
 * (-fdiagnostics-format=json; SARIF comes only with gcc 13): kept as
 * gcc-analyzer.stderr and read with libjansson.
 *
 * A diagnostic counts when its "option" is one of gcc's analyser warnings
 * (-Wanalyzer-*). Its kind is the option without -Wanalyzer-: the leaks are
 * malloc-leak, file-leak (FILE *) and fd-leak (gcc 13 on; gcc 12 has no fd
 * checker). Any other analyser warning (use-after-free, null-dereference,
 * ...) is a memory error unless --kinds lists it, so a fixed twin that draws
 * a known false alarm can be asserted with the alarm named. Ordinary compiler
 * warnings are ignored.
 *
 * --site: a leak's path events include the one where the memory was
 * allocated ("allocated here", "opened here" for a FILE *, "when 'pipe'
 * succeeds" and the like for an fd), and each event names its function; the
 * site must be that function.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPTION_PREFIX "-Wanalyzer-"

int gcc_check(const struct options *o, struct text *why)
{
    (void)o;
    char *gcc = find_in_path("gcc");
    free(gcc);
    if (gcc == NULL)
        return text_setf(why, "gcc is not installed (apt-get install gcc)"), LC_SKIP;
    return 0;
}

/* Returns the function of the path event where the leaked memory was
 * allocated (or the FILE opened; for an fd, fd != 0, the event "when 'pipe'
 * succeeds" and the like), or NULL when the path has none. */
static const char *allocating_function(json_t *diag, int fd)
{
    size_t i;
    json_t *event;
    json_array_foreach(json_object_get(diag, "path"), i, event) {
        const char *what = json_string_value(json_object_get(event, "description"));
        if (what != NULL && (strcmp(what, "allocated here") == 0 ||
                             strcmp(what, "opened here") == 0 ||
                             (fd && strncmp(what, "when '", 6) == 0 &&
                              strstr(what, "' succeeds") != NULL)))
            return json_string_value(json_object_get(event, "function"));
    }
    return NULL;
}

/* Reads one diagnostic into f; returns 1 if it is a leak warning. */
static int read_diagnostic(const struct options *o, json_t *diag, struct findings *f)
{
    const char *option = json_string_value(json_object_get(diag, "option"));
    if (option == NULL || strncmp(option, OPTION_PREFIX, strlen(OPTION_PREFIX)) != 0)
        return 0;
    const char *kind = option + strlen(OPTION_PREFIX);
    const char *message = json_string_value(json_object_get(diag, "message"));
    json_t *caret = json_object_get(json_array_get(json_object_get(diag, "locations"), 0), "caret");
    const char *file = json_string_value(json_object_get(caret, "file"));
    long line = (long)json_integer_value(json_object_get(caret, "line"));
    int fd = strcmp(kind, "fd-leak") == 0;
    int leak = fd || strcmp(kind, "malloc-leak") == 0 || strcmp(kind, "file-leak") == 0;
    const char *fn = leak ? allocating_function(diag, fd) : NULL;

    struct static_warning w = {kind, leak, file, line, message, option, fn};
    static_warning(o, f, &w, "the allocation event of a leak warning");
    return leak;
}

int gcc_judge(const struct options *o, struct findings *f)
{
    char *gcc = find_in_path("gcc"), *object = path_join(o->out_dir, "gcc-analyzer.o");
    const char *const prefix[] = {gcc, "-fanalyzer", "-fdiagnostics-format=json", NULL};
    const char *const suffix[] = {"-c", o->source, "-o", object, NULL};
    char **argv = gcc && object ? compile_argv(prefix, o, suffix) : NULL;
    char *json_path = NULL;
    json_t *root = NULL;
    /* gcc writes its JSON diagnostics to stderr */
    int rc = run_analyser(o, "gcc-analyzer", argv, "gcc", "compile", NULL, f);
    if (rc != 0)
        goto cleanup;
    rc = LC_UNJUDGED;
    json_path = strdup(text_str(&f->run.err_path));
    json_error_t jerr;
    root = json_path ? json_load_file(json_path, 0, &jerr) : NULL;
    if (!json_is_array(root)) {
        text_setf(&f->problem, "%s is not gcc's JSON diagnostics (line %d: %s)",
                  json_path ? json_path : "gcc's stderr", json_path ? jerr.line : 0,
                  json_path ? jerr.text : "out of memory");
        goto cleanup;
    }
    int leaks = 0, warnings = 0;
    size_t i;
    json_t *diag;
    json_array_foreach(root, i, diag) {
        const char *option = json_string_value(json_object_get(diag, "option"));
        warnings += option != NULL && strncmp(option, OPTION_PREFIX, strlen(OPTION_PREFIX)) == 0;
        leaks += read_diagnostic(o, diag, f);
    }
    static_findings(o, f, warnings, leaks, "no leak warning's allocation event is in it");
    rc = 0;
cleanup:
    json_decref(root);
    free(gcc), free(object), free(argv), free(json_path);
    return rc;
}
