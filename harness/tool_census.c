/* tool_census.c: threads and file descriptors left alive when main ends.
 *
 * C has no runtime.NumGoroutine() and no goleak; this is the nearest thing.
 * PROGRAM runs natively with the preload shim, which counts the threads in
 * /proc/self/task and the fds in /proc/self/fd when main starts and again
 * when it ends (returns, or calls exit()), and writes census.txt: how many
 * were left, each leftover thread's start function and the system call it is
 * blocked in, each leftover fd's target. A leak is any thread or fd alive at
 * the end that was not there at the start. Threads that finished but were
 * never joined are not counted (the kernel has already let them go).
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *shim_path(void)
{
    const char *env = getenv("LEAKCHECK_PRELOAD");
    return env != NULL ? env : LEAKCHECK_PRELOAD;
}

static int census_check(const struct options *o, struct text *why)
{
    (void)o;
    if (access(shim_path(), R_OK) != 0)
        return text_setf(why, "the preload shim %s is missing (build the leakcheck-preload"
                         " target, or set LEAKCHECK_PRELOAD)", shim_path()), LC_SKIP;
    return 0;
}

/* Reads "key=value" from the census text; returns -1 when absent. */
static long census_value(const char *text, const char *key)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\n%s=", key);
    const char *p = strstr(text, pattern);
    return p ? strtol(p + strlen(pattern), NULL, 10) : -1;
}

/* Returns 1 if the census line names a thread started at `site` (the shim
 * writes "... started at FUNCTION:..."). */
static int started_at(const char *line, const char *site)
{
    size_t n = strlen(site);
    for (const char *p = strstr(line, " started at "); p != NULL; p = strstr(p + 1, " started at "))
        if (strncmp(p + 12, site, n) == 0 && p[12 + n] == ':')
            return 1;
    return 0;
}

/* Copies the leftover thread and fd lines into the context, and looks for
 * the site among the threads' start functions. */
static void read_leftovers(const struct options *o, char *text, struct findings *f)
{
    int lines = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "thread ", 7) != 0 && strncmp(line, "fd ", 3) != 0)
            continue;
        if (lines++ < 12)
            text_addf(&f->context, "    %s\n", line);
        if (o->site != NULL && f->site_found != 1 && started_at(line, o->site)) {
            f->site_found = 1;
            text_setf(&f->site_where, "a leftover thread: %s", line);
        }
    }
    if (lines > 12)
        text_addf(&f->context, "    ... %d more in census.txt\n", lines - 12);
}

/* Fills f from the census text of a judged run. */
static void census_verdict(const struct options *o, char *text, struct findings *f)
{
    long threads = census_value(text, "left_threads"), fds = census_value(text, "left_fds");
    f->leak = threads > 0 || fds > 0;
    findings_figure(f, "left_threads", threads);
    findings_figure(f, "left_fds", fds);
    text_setf(&f->kinds, "%s%s%s", threads > 0 ? "threads" : "",
              threads > 0 && fds > 0 ? "," : "", fds > 0 ? "fds" : "");
    text_setf(&f->got, "%ld threads and %ld fds left alive when main ended"
              " (census.txt has where each thread waits and what each fd is)", threads, fds);
    read_leftovers(o, text, f);
    if (o->site != NULL && f->leak && f->site_found != 1) {
        f->site_found = 0;
        text_setf(&f->site_where, "no leftover thread started at it");
    }
}

static int census_judge(const struct options *o, struct findings *f)
{
    const char *old = getenv("LD_PRELOAD");
    char *path = path_join(o->out_dir, "census.txt"), *census_env = NULL, *preload = NULL;
    char **argv = command_argv(NULL, o), *text = NULL;
    struct run r = {0};
    int rc = LC_UNJUDGED;
    if (path == NULL || argv == NULL || asprintf(&census_env, "LEAKCHECK_CENSUS=%s", path) < 0 ||
        asprintf(&preload, "LD_PRELOAD=%s%s%s", old ? old : "", old ? " " : "",
                 shim_path()) < 0) {
        census_env = preload = NULL;
        text_setf(&f->problem, "out of memory");
        goto cleanup;
    }
    /* An ASan build's own leak check would end the run with status 1 first. */
    char *env[] = {census_env, preload, (char *)"ASAN_OPTIONS=detect_leaks=0", NULL};
    if (run_program(o, "program", argv, env, &r) != 0) {
        text_setf(&f->problem, "cannot run the program");
        goto cleanup;
    }
    add_report(f, path), add_report(f, text_str(&r.out_path)), add_report(f, text_str(&r.err_path));
    int judgeable = run_judgeable(&r, 0, f);
    long pid = r.pid;
    findings_keep_run(f, &r);
    if (!judgeable)
        goto cleanup;
    text = read_file(path, 16 << 20, NULL);
    if (text == NULL || census_value(text, "pid") != pid) {
        text_setf(&f->problem, "no census was written for pid %ld: the program ended without"
                  " returning from main or calling exit() (_exit?), or it is statically linked"
                  " so the shim could not load", pid);
        goto cleanup;
    }
    census_verdict(o, text, f);
    rc = 0;
cleanup:
    run_free(&r);
    free(path), free(census_env), free(preload), free(argv), free(text);
    return rc;
}

const struct tool tool_census = {
    .name = "census",
    .what = "threads and fds left alive when main ends (preload shim); any build",
    .check = census_check,
    .judge = census_judge,
};
