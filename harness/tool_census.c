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
 * verdict.txt's figures): the most threads alive and fds open at once during
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
#include "leakcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LEAKCHECK_FIGURES_PRELOAD
#define LEAKCHECK_FIGURES_PRELOAD "libleakcheck-figures.so"
#endif

static const char *shim_path(void)
{
    const char *env = getenv("LEAKCHECK_FIGURES_PRELOAD");
    return env != NULL ? env : LEAKCHECK_FIGURES_PRELOAD;
}

static int census_check(const struct options *o, char *why, size_t n)
{
    (void)o;
    if (access(shim_path(), R_OK) != 0)
        return snprintf(why, n, "the preload shim %s is missing (build the leakcheck-preload"
                        " target, or set LEAKCHECK_FIGURES_PRELOAD)", shim_path()), LC_SKIP;
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

/* Copies the leftover thread and fd lines into the context, and looks for
 * the site among the threads' start functions. */
static void read_leftovers(const struct options *o, char *text, struct findings *f)
{
    int lines = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strncmp(line, "thread ", 7) != 0 && strncmp(line, "fd ", 3) != 0)
            continue;
        if (lines++ < 12)
            appendf(f->context, sizeof f->context, "    %s\n", line);
        char want[300];
        snprintf(want, sizeof want, " started at %s:", o->site ? o->site : "");
        if (o->site != NULL && f->site_found != 1 && strstr(line, want) != NULL) {
            f->site_found = 1;
            snprintf(f->site_where, sizeof f->site_where, "a leftover thread: %s", line);
        }
    }
    if (lines > 12)
        appendf(f->context, sizeof f->context, "    ... %d more in census.txt\n", lines - 12);
}

/* The figures of main's run that census.txt may hold, in verdict order. */
static const char *const figure_keys[] = {
    "threads_start", "threads_end", "threads_peak", "fds_start", "fds_end", "fds_peak",
    "forks", "heap_end", "heap_peak", "pages_end", "pages_peak"};

/* Runs the program once with the figures shim; on success returns 0 with
 * the census text in *text (the caller frees it). Else LC_UNJUDGED. */
static int census_run(const struct options *o, struct findings *f, char **text)
{
    char path[4200], census_env[4300], preload[4400];
    *text = NULL;
    path_join(path, sizeof path, o->out_dir, "census.txt");
    snprintf(census_env, sizeof census_env, "LEAKCHECK_CENSUS=%s", path);
    const char *old = getenv("LD_PRELOAD");
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s%s%s", old ? old : "", old ? " " : "",
             shim_path());
    /* An ASan build's own leak check would end the run with status 1 first. */
    char *env[] = {census_env, preload, (char *)"ASAN_OPTIONS=detect_leaks=0", NULL};
    struct run r;
    char **argv = command_argv(NULL, o);
    int rc = argv ? run_program(o, "program", argv, env, &r) : -1;
    free(argv);
    if (rc != 0)
        return snprintf(f->problem, sizeof f->problem, "cannot run the program"), LC_UNJUDGED;
    add_report(f, path), add_report(f, r.out_path), add_report(f, r.err_path);
    if (!run_judgeable(&r, 0, f))
        return LC_UNJUDGED;
    *text = read_file(path, 16 << 20, NULL);
    if (*text == NULL || census_value(*text, "pid") != r.pid) {
        free(*text);
        *text = NULL;
        return snprintf(f->problem, sizeof f->problem, "no census was written for pid %ld: the"
                        " program ended without returning from main or calling exit() (_exit?),"
                        " or it is statically linked so the shim could not load", r.pid),
               LC_UNJUDGED;
    }
    for (size_t i = 0; i < sizeof figure_keys / sizeof figure_keys[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "\n%s=", figure_keys[i]);
        if (strstr(*text, key) != NULL) /* absent: not measured in this build */
            appendf(f->metrics, sizeof f->metrics, "%s=%ld\n", figure_keys[i],
                    census_value(*text, figure_keys[i]));
    }
    return 0;
}

static int census_judge(const struct options *o, struct findings *f)
{
    char *text;
    int rc = census_run(o, f, &text);
    if (rc != 0)
        return rc;
    long threads = census_value(text, "left_threads"), fds = census_value(text, "left_fds");
    f->leak = threads > 0 || fds > 0;
    appendf(f->metrics, sizeof f->metrics, "left_threads=%ld\nleft_fds=%ld\n", threads, fds);
    snprintf(f->kinds, sizeof f->kinds, "%s%s%s", threads > 0 ? "threads" : "",
             threads > 0 && fds > 0 ? "," : "", fds > 0 ? "fds" : "");
    snprintf(f->got, sizeof f->got, "%ld threads and %ld fds left alive when main ended"
             " (census.txt has where each thread waits and what each fd is)", threads, fds);
    read_leftovers(o, text, f);
    if (o->site != NULL && f->leak && f->site_found != 1) {
        f->site_found = 0;
        snprintf(f->site_where, sizeof f->site_where, "no leftover thread started at it");
    }
    free(text);
    return 0;
}

/* The native run: contained, with the figures, and no leak verdict. */
static int native_judge(const struct options *o, struct findings *f)
{
    char *text;
    int rc = census_run(o, f, &text);
    if (rc != 0)
        return rc;
    snprintf(f->got, sizeof f->got, "ran: peaks during main: %ld threads, %ld fds, heap %ld B,"
             " pages %ld B; %ld processes started", census_value(text, "threads_peak"),
             census_value(text, "fds_peak"), census_value(text, "heap_peak"),
             census_value(text, "pages_peak"), census_value(text, "forks"));
    free(text);
    return 0;
}

const struct tool tool_native = {
    .name = "native",
    .what = "no detector: the contained run, its output and its figures (peaks during main)",
    .check = census_check,
    .judge = native_judge,
};

const struct tool tool_census = {
    .name = "census",
    .what = "threads and fds left alive when main ends (preload shim); any build",
    .check = census_check,
    .judge = census_judge,
};
