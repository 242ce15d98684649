/* tool_clang_analyzer.c: the clang static analyser (clang 14, --analyze).
 *
 * A static tool: nothing runs. clang analyses --source with the caller's
 * CFLAGS and its default checkers, and writes its results as SARIF 2.1
 * (--analyzer-output sarif) to clang-analyzer.sarif, read with libjansson.
 *
 * The analyser follows each loop only so many times and drops every path that
 * goes further (-analyzer-max-loop, default 4): a leak that is only reached
 * after a loop of 21 rounds is never seen at 4. LOOP_BOUND is high enough
 * for the lab's loops; docs/reading-analyzers.md shows what it costs.
 *
 * A result counts as a leak when its message says "Potential leak of memory"
 * or "Potential memory leak": clang's SARIF has no finer rule than the
 * checker (unix.Malloc also reports double free and use after free). Its kind
 * is "memory-leak"; any other result is a memory error of kind ruleId, unless
 * --kinds lists that rule.
 *
 * --site: SARIF gives no function names, so the allocating function is taken
 * from the code flow: the innermost "Calling 'F'" not yet matched by a
 * "Returning from 'F'" when the flow reaches "Memory is allocated". An
 * allocation in the function the analysis started from has no such call,
 * and no site can be named for it.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOP_BOUND "24"
#define MAX_DEPTH 64

/* Returns the path of clang as a new string (the caller frees it), or NULL. */
static char *clang_path(void)
{
    char *path = find_in_path("clang");
    return path != NULL ? path : find_in_path("clang-14");
}

int clang_check(const struct options *o, struct text *why)
{
    (void)o;
    char *clang = clang_path();
    free(clang);
    if (clang == NULL)
        return text_setf(why, "clang is not installed (apt-get install clang)"), LC_SKIP;
    return 0;
}

static int is_leak_message(const char *text)
{
    return text != NULL && (strncmp(text, "Potential leak of memory", 24) == 0 ||
                            strncmp(text, "Potential memory leak", 21) == 0);
}

/* A function's name inside a flow message: not NUL-terminated. */
struct name {
    const char *s;
    size_t len;
};

/* Points *fn at the name F of a "<verb> 'F'" flow message; returns 1, or 0
 * when text is not such a message. */
static int called(const char *text, const char *verb, struct name *fn)
{
    size_t len = strlen(verb);
    if (text == NULL || strncmp(text, verb, len) != 0 || text[len] != '\'')
        return 0;
    const char *end = strchr(text + len + 1, '\'');
    if (end == NULL || end[1] != '\0')
        return 0;
    *fn = (struct name){text + len + 1, (size_t)(end - text - len - 1)};
    return 1;
}

/* Returns the function that was executing when the result's code flow says
 * "Memory is allocated", as a new string (the caller frees it), or NULL when
 * it cannot be named (or out of memory). */
static char *allocating_function(json_t *result)
{
    struct name stack[MAX_DEPTH], fn;
    int depth = 0;
    size_t i;
    json_t *step;
    json_t *flow = json_object_get(json_array_get(json_object_get(result, "codeFlows"), 0),
                                   "threadFlows");
    json_array_foreach(json_object_get(json_array_get(flow, 0), "locations"), i, step) {
        const char *text = json_string_value(
            json_object_get(json_object_get(json_object_get(step, "location"), "message"), "text"));
        if (called(text, "Calling ", &fn) && depth < MAX_DEPTH)
            stack[depth++] = fn;
        else if (called(text, "Returning from ", &fn) && depth > 0)
            depth--;
        else if (text != NULL && strcmp(text, "Memory is allocated") == 0)
            return depth > 0 ? strndup(stack[depth - 1].s, stack[depth - 1].len) : NULL;
    }
    return NULL;
}

/* Reads one SARIF result into f; returns 1 if it is a leak. */
static int read_result(const struct options *o, json_t *result, struct findings *f)
{
    const char *rule = json_string_value(json_object_get(result, "ruleId"));
    const char *text = json_string_value(json_object_get(json_object_get(result, "message"),
                                                         "text"));
    json_t *where = json_object_get(json_array_get(json_object_get(result, "locations"), 0),
                                    "physicalLocation");
    const char *uri = json_string_value(
        json_object_get(json_object_get(where, "artifactLocation"), "uri"));
    long line = (long)json_integer_value(
        json_object_get(json_object_get(where, "region"), "startLine"));
    int leak = is_leak_message(text);
    const char *kind = leak ? "memory-leak" : rule ? rule : "unknown";
    char *fn = leak ? allocating_function(result) : NULL;

    if (uri != NULL && strncmp(uri, "file://", 7) == 0)
        uri += 7;
    struct static_warning w = {kind, leak, uri, line, text, rule, fn};
    static_warning(o, f, &w, "the function that allocates in a leak's code flow");
    free(fn);
    return leak;
}

int clang_judge(const struct options *o, struct findings *f)
{
    char *clang = clang_path(), *sarif = path_join(o->out_dir, "clang-analyzer.sarif");
    const char *const prefix[] = {clang, "--analyze", "--analyzer-output", "sarif",
                                  "-Xanalyzer", "-analyzer-max-loop", "-Xanalyzer", LOOP_BOUND,
                                  NULL};
    const char *const suffix[] = {o->source, "-o", sarif, NULL};
    char **argv = clang && sarif ? compile_argv(prefix, o, suffix) : NULL;
    const char *const reports[] = {sarif, NULL};
    json_t *root = NULL;
    int rc = run_analyser(o, "clang-analyzer", argv, "clang", "analyse", reports, f);
    if (rc != 0)
        goto cleanup;
    rc = LC_UNJUDGED;
    json_error_t jerr;
    root = json_load_file(sarif, 0, &jerr);
    json_t *runs = json_object_get(root, "runs");
    if (!json_is_array(runs) || json_array_size(runs) == 0) {
        text_setf(&f->problem, "%s is not a SARIF log with a run (line %d: %s)", sarif,
                  jerr.line, jerr.text);
        goto cleanup;
    }
    int leaks = 0, results = 0;
    size_t i, j;
    json_t *run, *result;
    json_array_foreach(runs, i, run) {
        json_array_foreach(json_object_get(run, "results"), j, result) {
            results++;
            leaks += read_result(o, result, f);
        }
    }
    static_findings(o, f, results, leaks, "no leak's code flow allocates in it");
    rc = 0;
cleanup:
    json_decref(root);
    free(clang), free(sarif), free(argv);
    return rc;
}
