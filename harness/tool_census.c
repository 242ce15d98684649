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
 *
 * The census also gives the figures of main's whole run (census.txt, and
 * the verdict's figures): the most threads alive and fds open at once during
 * main, the processes main started, and with the figures shim
 * (libleakcheck-figures.so) the heap in use and the pages mapped, each as a
 * peak during main and a level at its end, relative to main's start.
 *
 * --tool=native is the same contained run with no verdict on leaks: the
 * program's output, how it ended and its figures, for callers that judge
 * those themselves (leakgrade). --expect is not needed; a run that exits 0
 * within its limits passes.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int census_check(const struct options *o, struct text *why)
{
    (void)o;
    const char *shim = harness_shim(SHIM_FIGURES);
    if (access(shim, R_OK) != 0)
        return text_setf(why, "the preload shim %s is missing (build the leakcheck-preload"
                         " target, or set LEAKCHECK_FIGURES_PRELOAD)", shim), LC_SKIP;
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

/* The figures of main's run census.txt may hold (absent: not measured). */
static const char *const figure_keys[] = {
    "threads_start", "threads_end", "threads_peak", "fds_start", "fds_end", "fds_peak",
    "forks", "heap_end", "heap_peak", "pages_end", "pages_peak"};

static void read_figures(const char *text, struct findings *f)
{
    for (size_t i = 0; i < sizeof figure_keys / sizeof figure_keys[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "\n%s=", figure_keys[i]);
        if (strstr(text, key) != NULL)
            findings_figure(f, figure_keys[i], census_value(text, figure_keys[i]));
    }
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

/* Runs the program once with the figures shim; on success returns 0 with the
 * census text in *text (the caller frees it), the figures read into f. */
static int census_run(const struct options *o, struct findings *f, char **text_out)
{
    char *path = path_join(o->out_dir, "census.txt"), *census_env = NULL;
    char *preload = shim_preload(SHIM_FIGURES), **argv = command_argv(NULL, o), *text = NULL;
    *text_out = NULL;
    int rc = LC_UNJUDGED;
    if (path != NULL && asprintf(&census_env, "LEAKCHECK_CENSUS=%s", path) < 0)
        census_env = NULL;
    if (census_env == NULL || preload == NULL || argv == NULL) {
        text_setf(&f->problem, "out of memory");
        goto cleanup;
    }
    /* A sanitizer build's own leak check would end the run with status 1 (ASan)
     * or 23 (standalone LSan) first. */
    char *env[] = {census_env, preload, (char *)"ASAN_OPTIONS=detect_leaks=0",
                   (char *)"LSAN_OPTIONS=detect_leaks=0", NULL};
    const char *const reports[] = {path, NULL};
    if (harness_run_tool(o, "program", argv, env, "the program", reports,
                         KEEP_STDOUT | KEEP_STDERR, f) != 0)
        goto cleanup;
    long pid = f->run.pid;
    text = read_file(path, 16 << 20, NULL);
    if (text == NULL || census_value(text, "pid") != pid) {
        text_setf(&f->problem, "no census was written for pid %ld: the program ended without"
                  " returning from main or calling exit() (_exit?), or it is statically linked"
                  " so the shim could not load", pid);
        goto cleanup;
    }
    read_figures(text, f);
    *text_out = text, text = NULL;
    rc = 0;
cleanup:
    free(path), free(census_env), free(preload), free(argv), free(text);
    return rc;
}

int census_judge(const struct options *o, struct findings *f)
{
    char *text = NULL;
    int rc = census_run(o, f, &text);
    if (rc == 0)
        census_verdict(o, text, f);
    free(text);
    return rc;
}

/* The native run: contained, with the figures, and no leak verdict. */
int native_judge(const struct options *o, struct findings *f)
{
    char *text = NULL;
    int rc = census_run(o, f, &text);
    if (rc == 0)
        text_setf(&f->got, "ran: peaks during main: %ld threads, %ld fds, heap %ld B, pages %ld B;"
                  " %ld processes started", census_value(text, "threads_peak"),
                  census_value(text, "fds_peak"), census_value(text, "heap_peak"),
                  census_value(text, "pages_peak"), census_value(text, "forks"));
    free(text);
    return rc;
}
