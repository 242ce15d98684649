/* leakgrade.c: grades a student's fix of one scenario's leak.
 *
 *   leakgrade [--work=DIR] [--json=FILE|-] [--seed=N] [--timeout=S] [--build=DIR]
 *             [--reference=PROGRAM] [--jobs=N] SCENARIO FILE.c
 *
 * Builds FILE.c as the lab builds its scenarios (plain and ASan), runs it and
 * the reference at several workloads, and every detector of the scenario's
 * matrix rows, each run through leakcheck (its containment: process group,
 * subreaper, limits, timeout); reads each run's verdict.json, never its
 * prose; prints each check of the rubric with its points and writes the
 * scoreboard in Gradescope's results.json shape. docs/exercises.md explains
 * the checks, the workloads, the seed and the growth rule.
 *
 * Exit status: 0 every check passed; 1 a check failed; 2 not graded (bad
 * usage, the lab not built); 77 no check failed but a detector is missing.
 */
#define _GNU_SOURCE
#include "grade_common.h"
#include "grade_heap.h"
#include "grade_keep.h"
#include "leakharness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grade_figures.h"

#ifndef LEAKGRADE_BUILD_DIR
#define LEAKGRADE_BUILD_DIR "build"
#endif

/* ---- the rubric: ids, points, dependencies (docs/exercises.md) ----------- */

/* A family of checks: one check, or one per resource or detector (".RES",
 * ".TOOL"), splitting the points. A check whose dependency did not pass is
 * not run and scores 0. */
static const struct family {
    const char *id;
    int points;
    const char *depends; /* space-separated families */
    const char *passes;
} rubric[] = {
    {"compiles", 10, "", "both builds (plain and ASan) compile and link with the lab's flags, no warning"},
    {"same_output", 20, "compiles", "exit 0 and the reference's output at every workload"},
    {"own_process", 0, "compiles", "no process started that the reference does not start"},
    {"bounded_growth", 30, "same_output own_process", "peak during main and level at main's end grow no faster than the reference's"},
    {"leak_gone", 20, "same_output own_process bounded_growth", "clean, where the leaky program gets a leak"},
    {"no_new_leak", 10, "same_output own_process bounded_growth", "clean, as for the leaky program and the reference fix"},
    {"no_crash_or_hang", 10, "compiles", "every run ends on its own, with no memory error"},
};
enum { F_COMPILES, F_SAME_OUTPUT, F_OWN_PROCESS, F_GROWTH, F_LEAK_GONE, F_NO_NEW_LEAK, F_CRASH,
       N_FAMILIES };

/* The growth rule: allowed growth = reference growth x GROWTH_FACTOR + slack. */
#define GROWTH_FACTOR 1.25
static const struct resource {
    const char *name, *peak_key, *end_key, *unit;
    long slack;
} resources[] = {
    {"heap", "heap_peak", "heap_end", "B", 64 << 10},
    {"pages", "pages_peak", "pages_end", "B", 64 << 10},
    {"threads", "threads_peak", "threads_end", "threads", 2},
    {"fds", "fds_peak", "fds_end", "fds", 2},
};
#define N_RES 4

/* ---- small helpers -------------------------------------------------------- */

static void write_not_graded(const char *reason);

/* Says why the file is not graded, writes that as its results (when their
 * files are known: a grade that cannot start still gets its results.json),
 * and exits 2. */
void die(const char *fmt, ...)
{
    char why[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    fprintf(stderr, "grade: %s\n", why);
    write_not_graded(why);
    exit(2);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (d == NULL)
        die("out of memory");
    return d;
}

/* The files the grader reads (sources, logs, outputs) are read whole, up to
 * this many bytes. */
#define READ_MAX ((size_t)1 << 30)

/* Shows a path relative to the current directory when below it. */
static char cwd[PATH_MAX];
static const char *show(const char *path)
{
    size_t n = strlen(cwd);
    return strncmp(path, cwd, n) == 0 && path[n] == '/' ? path + n + 1 : path;
}

/* ---- the lab (grade/lab.conf, written by cmake/Grader.cmake) -------------- */

struct scenario {
    char *name, *reference;
    long deflt, max;
};
struct row {
    char *tool, *kinds, *options;
    int leaky;
};

static struct lab {
    char *source, *cc, *leakcheck;
    char *figures; /* the student edition's reference figures file, or NULL */
    struct list cflags, ldflags, asan_cflags, asan_ldflags, threads;
    struct scenario scen[64];
    int n_scen;
    char *rows[256];
    int n_rows;
} lab;

static void read_lab(const char *build)
{
    char *path = xprintf("%s/grade/lab.conf", build);
    char *text = read_file(path, READ_MAX, NULL);
    if (text == NULL)
        die("%s is missing: configure and build the lab first (scripts/build)", path);
    for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (line[0] == '#' || eq == NULL || eq[1] == '\0')
            continue;
        *eq = '\0';
        const char *k = line, *v = eq + 1;
        if (!strcmp(k, "source")) lab.source = xstrdup(v);
        else if (!strcmp(k, "cc")) lab.cc = xstrdup(v);
        else if (!strcmp(k, "leakcheck")) lab.leakcheck = xstrdup(v);
        else if (!strcmp(k, "figures")) lab.figures = xstrdup(v);
        else if (!strcmp(k, "cflag")) list_add(&lab.cflags, v);
        else if (!strcmp(k, "ldflag")) list_add(&lab.ldflags, v);
        else if (!strcmp(k, "asan_cflag")) list_add(&lab.asan_cflags, v);
        else if (!strcmp(k, "asan_ldflag")) list_add(&lab.asan_ldflags, v);
        else if (!strcmp(k, "threads")) {
            char *t = xstrdup(v);
            for (char *s2, *w = strtok_r(t, " ", &s2); w; w = strtok_r(NULL, " ", &s2))
                list_add(&lab.threads, w);
        } else if (!strcmp(k, "reference") || !strcmp(k, "workload")) {
            /* reference=NAME=PATH, workload=NAME=DEFAULT=MAX */
            char *name = xstrdup(v), *rest = strchr(name, '=');
            if (rest == NULL)
                continue;
            *rest++ = '\0';
            struct scenario *s = NULL;
            for (int i = 0; i < lab.n_scen; i++)
                if (!strcmp(lab.scen[i].name, name))
                    s = &lab.scen[i];
            if (s == NULL && lab.n_scen < 64)
                s = &lab.scen[lab.n_scen++], s->name = name;
            if (s == NULL)
                continue;
            if (!strcmp(k, "reference"))
                s->reference = xstrdup(rest);
            else if (sscanf(rest, "%ld=%ld", &s->deflt, &s->max) != 2)
                die("%s: bad workload line for %s", path, name);
        } else if (!strcmp(k, "row") && lab.n_rows < 256)
            lab.rows[lab.n_rows++] = xstrdup(v);
    }
    free(text);
    if (lab.cflags.oom || lab.ldflags.oom || lab.asan_cflags.oom || lab.asan_ldflags.oom ||
        lab.threads.oom)
        die("out of memory");
    if (lab.cc == NULL || lab.leakcheck == NULL)
        die("%s lacks cc= or leakcheck=: reconfigure the lab (scripts/build)", path);
    free(path);
}

/* ---- the workloads ---------------------------------------------------------- */

enum { W_DEFAULT, W_X10, W_X40, W_SEEDED, N_WORK };
static const char *const work_names[N_WORK] = {"default", "x10", "x40", "seeded"};
static long work_size[N_WORK];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* The sizes: the default; ~10x and ~40x, not round (10d+3, 40d+11), below
 * the scenario's maximum; and one drawn from the seed in [2d+1, 40d]. */
static void plan_workloads(const struct scenario *s, uint64_t seed)
{
    long d = s->deflt, cap = s->max - 5;
    work_size[W_DEFAULT] = d;
    work_size[W_X10] = 10 * d + 3 < cap ? 10 * d + 3 : (d + cap) / 2 | 1;
    work_size[W_X40] = 40 * d + 11 < cap ? 40 * d + 11 : cap;
    long lo = 2 * d + 1, hi = work_size[W_X40];
    uint64_t x = seed;
    work_size[W_SEEDED] = lo + (long)(splitmix64(&x) % (uint64_t)(hi > lo ? hi - lo : 1));
}

/* ---- running leakcheck (and the compiler), a few at a time ------------------ */

struct job {
    char *label, *dir;   /* dir: its --out, and where its own output goes */
    struct list argv;
    pid_t pid;
    int status;          /* exit status of leakcheck / the compiler */
    json_t *verdict;     /* its verdict.json, once done (NULL for the compiler) */
    int done, skipped;
    char *key;           /* a reference run's key in the store (grade_keep.h), to keep it */
};

static struct job jobs[128];
static int n_jobs, max_parallel = 2;
static double job_deadline_s = 600;

static struct job *new_job(const char *label, const char *dir)
{
    if (n_jobs == 128)
        die("too many runs");
    struct job *j = &jobs[n_jobs++];
    memset(j, 0, sizeof *j);
    j->label = xstrdup(label), j->dir = xstrdup(dir);
    if (make_dirs(dir) != 0)
        die("cannot create %s: %s", dir, strerror(errno));
    return j;
}

/* A leakcheck run of PROGRAM at workload w (size 0: no argument). */
static struct job *leakcheck_job(const char *label, const char *dir, const char *tool,
                                 const char *options, const char *program, long size,
                                 double timeout)
{
    struct job *j = new_job(label, dir);
    list_add(&j->argv, lab.leakcheck);
    list_add(&j->argv, xprintf("--tool=%s", tool));
    if (strcmp(tool, "native") != 0)
        list_add(&j->argv, "--expect=clean");
    if (strcmp(tool, "memcheck") == 0) /* one valgrind run; the text log if it fails */
        list_add(&j->argv, "--text-log=on-failure");
    list_add(&j->argv, xprintf("--timeout=%g", timeout));
    list_add(&j->argv, xprintf("--out=%s", dir));
    char *opts = xstrdup(options ? options : "");
    for (char *s, *w = strtok_r(opts, " ", &s); w; w = strtok_r(NULL, " ", &s))
        if (strncmp(w, "--site=", 7) != 0 && strncmp(w, "--kinds=", 8) != 0)
            list_add(&j->argv, w);
    free(opts);
    list_add(&j->argv, "--");
    list_add(&j->argv, program);
    if (size > 0)
        list_add(&j->argv, xprintf("%ld", size));
    return j;
}

static void start_job(struct job *j, const char *cwd_dir)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    char *out = xprintf("%s/leakcheck.txt", j->dir);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addchdir_np(&fa, cwd_dir);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    extern char **environ;
    char **argv = calloc(j->argv.n + 1, sizeof *argv);
    if (argv == NULL || j->argv.oom)
        die("out of memory");
    memcpy(argv, j->argv.item, j->argv.n * sizeof *argv);
    if (posix_spawn(&j->pid, argv[0], &fa, &at, argv, environ) != 0)
        j->pid = -1, j->done = 1, j->status = 127;
    free(argv);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(out);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs jobs [from, n_jobs) that are not done, max_parallel at a time, in the
 * work directory; reads each leakcheck job's verdict.json. */
static void run_jobs(int from, const char *run_dir)
{
    int next = from, running = 0;
    double deadline = now() + job_deadline_s;
    while (next < n_jobs || running > 0) {
        while (running < max_parallel && next < n_jobs) {
            struct job *j = &jobs[next++];
            if (j->done || j->skipped)
                continue;
            start_job(j, run_dir);
            running += j->pid > 0;
        }
        if (running == 0)
            continue;
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid == 0) {
            if (now() > deadline)
                for (int i = from; i < n_jobs; i++)
                    if (jobs[i].pid > 0 && !jobs[i].done)
                        kill(-jobs[i].pid, SIGKILL);
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL); /* polling for the end of a child, not a synchronisation */
            continue;
        }
        if (pid < 0)
            break;
        for (int i = from; i < n_jobs; i++)
            if (jobs[i].pid == pid && !jobs[i].done) {
                struct job *j = &jobs[i];
                j->done = 1, running--;
                j->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                char *vp = xprintf("%s/verdict.json", j->dir);
                j->verdict = json_load_file(vp, 0, NULL);
                free(vp);
            }
    }
}

/* Verdict fields. */
static const char *v_str(const struct job *j, const char *key)
{
    json_t *v = j && j->verdict ? json_object_get(j->verdict, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : "";
}

static const char *v_run_end(const struct job *j)
{
    json_t *run = j && j->verdict ? json_object_get(j->verdict, "run") : NULL;
    json_t *e = run ? json_object_get(run, "end") : NULL;
    return json_is_string(e) ? json_string_value(e) : "";
}

/* The exit status, or the signal number of a run killed by one. */
static long v_run_code(const struct job *j)
{
    json_t *run = j && j->verdict ? json_object_get(j->verdict, "run") : NULL;
    json_t *code = run ? json_object_get(run, "exit_code") : NULL;
    if (!json_is_integer(code) && run != NULL)
        code = json_object_get(run, "signal");
    return json_is_integer(code) ? (long)json_integer_value(code) : -1;
}

/* An array of strings of the verdict (at `key`, or run.`key`), joined. */
static char *v_lines(const struct job *j, const char *key, int in_run, const char *sep)
{
    json_t *obj = j && j->verdict ? j->verdict : NULL;
    if (obj != NULL && in_run)
        obj = json_object_get(obj, "run");
    json_t *a = obj ? json_object_get(obj, key) : NULL;
    char *out = xstrdup("");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (json_is_string(v))
    {
        char *more = xprintf("%s%s%s", out, *out ? sep : "", json_string_value(v));
        free(out);
        out = more;
    }
    return out;
}

static const char *v_run_limits(const struct job *j) { return v_lines(j, "limits", 1, "; "); }

/* A figure, or LONG_MIN when it was not measured. */
static long v_figure(const struct job *j, const char *key)
{
    json_t *f = j && j->verdict ? json_object_get(j->verdict, "figures") : NULL;
    json_t *v = f ? json_object_get(f, key) : NULL;
    return json_is_integer(v) ? (long)json_integer_value(v) : LONG_MIN;
}

/* How a native run ended, in words. */
static char *how_it_ended(const struct job *j)
{
    const char *end = v_run_end(j);
    long code = v_run_code(j);
    if (j->verdict == NULL)
        return xprintf("could not be run (leakcheck exited %d, no verdict.json)", j->status);
    if (!strcmp(end, "signaled"))
        return xprintf("was killed by SIG%s", sigabbrev_np((int)code) ? sigabbrev_np((int)code) : "?");
    if (!strcmp(end, "timed_out"))
        return xprintf("did not finish in time, so it was killed (a hang?)");
    if (v_run_limits(j)[0])
        return xprintf("exited %ld, having hit a limit: %s", code, v_run_limits(j));
    if (!strcmp(end, "exited"))
        return xprintf("exited %ld", code);
    return xprintf("could not be judged: %s", v_str(j, "problem"));
}

static int ran_ok(const struct job *j)
{
    return j->verdict && !strcmp(v_run_end(j), "exited") && v_run_code(j) == 0 &&
           !v_run_limits(j)[0];
}

/* Returns 1 when j's verdict is of a run that exited 0 and passed. */
static int ended_well(const struct job *j)
{
    return ran_ok(j) && !strcmp(v_str(j, "status"), "pass");
}

static int crashed(const struct job *j)
{
    const char *end = v_run_end(j);
    json_t *e = j->verdict ? json_object_get(j->verdict, "errors") : NULL;
    return !strcmp(end, "signaled") || !strcmp(end, "timed_out") || v_run_limits(j)[0] ||
           (json_is_integer(e) && json_integer_value(e) > 0);
}

/* ---- the reference's runs, kept (grade_keep.h) ------------------------------ */

/* The store of kept reference runs: BUILD/grade/reference-runs, or NULL
 * (--rerun-reference: every run made again, none kept). */
static char *keep_dir;
static int n_kept, n_reference_runs;

/* A leakcheck run of the reference, as leakcheck_job(): copied into dir when
 * an earlier grade kept the same run; else run there, and kept by
 * keep_reference_runs() if it ended well. */
static struct job *reference_job(const char *label, const char *dir, const char *tool,
                                 const char *program, long size, double timeout)
{
    struct job *j = leakcheck_job(label, dir, tool, "", program, size, timeout);
    n_reference_runs++;
    if (keep_dir == NULL)
        return j;
    /* The files a run reads besides its arguments: found once. */
    static const char *inputs[4];
    if (inputs[0] == NULL) {
        inputs[0] = harness_shim(SHIM_FIGURES), inputs[1] = harness_shim(SHIM_PRELOAD);
        inputs[2] = find_in_path("valgrind"), inputs[3] = find_in_path("ms_print");
    }
    char *key = keep_key(j->argv.item, j->argv.n, inputs, sizeof inputs / sizeof *inputs);
    if (key == NULL)
        return j;
    char *vp = xprintf("%s/verdict.json", dir);
    int fetched = keep_fetch(keep_dir, key, dir) == 0 &&
                  (j->verdict = json_load_file(vp, 0, NULL)) != NULL && ended_well(j);
    free(vp);
    if (fetched) { /* done: not run at all */
        j->done = 1, n_kept++;
        free(key);
        return j;
    }
    json_decref(j->verdict), j->verdict = NULL; /* run it, over what was copied */
    j->key = key;
    return j;
}

/* Keeps each reference run of jobs [from, n_jobs) that was run, not copied,
 * and ended well (a failure to keep one is not the grade's). */
static void keep_reference_runs(int from)
{
    for (int i = from; i < n_jobs; i++) {
        struct job *j = &jobs[i];
        if (j->key != NULL && j->done && ended_well(j))
            keep_store(keep_dir, j->key, j->dir);
        free(j->key), j->key = NULL;
    }
}

/* ---- the checks and the scoreboard --------------------------------------- */

struct check {
    char id[64];
    int family, max, score;
    const char *result; /* "pass", "fail", "skipped" */
    char *expected, *got, *evidence, *report, *guide, *workload;
};
static struct check checks[32];
static int n_checks;
static FILE *say_to, *grade_txt;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(say_to, fmt, ap);
    va_end(ap);
    va_start(ap, fmt);
    if (grade_txt)
        vfprintf(grade_txt, fmt, ap);
    va_end(ap);
}

static struct check *add_check(int family, const char *suffix, int max, const char *expected)
{
    struct check *c = &checks[n_checks++];
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s%s%s", rubric[family].id, suffix ? "." : "",
             suffix ? suffix : "");
    c->family = family, c->max = max, c->expected = xstrdup(expected);
    c->result = "fail";
    return c;
}

/* Text safe for a report: control characters but tab and newline dropped,
 * at most `lines` lines of at most 200 characters. */
static char *text_safe(const char *s, int lines)
{
    size_t n = strlen(s ? s : "");
    char *out = malloc(n + 1), *o = out;
    int line = 0, col = 0;
    for (const char *p = s ? s : ""; *p && line < lines; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\n')
            line++, col = 0, *o++ = '\n';
        else if ((ch >= 32 && ch != 127) || ch == '\t') {
            if (col++ < 200)
                *o++ = (char)ch;
        }
    }
    while (o > out && o[-1] == '\n')
        o--;
    *o = '\0';
    return out;
}

static void settle(struct check *c, const char *result, const char *got, const char *evidence,
                   const char *report, const char *guide, const char *workload)
{
    c->result = result;
    c->score = !strcmp(result, "pass") ? c->max : 0;
    c->got = text_safe(got, 3), c->evidence = text_safe(evidence, 12);
    c->report = xstrdup(report), c->guide = xstrdup(guide), c->workload = xstrdup(workload);
}

/* Which families of dependencies of c did not pass; "" when all did. */
static char *unmet(const struct check *c)
{
    char *deps = xstrdup(rubric[c->family].depends), *missing = xstrdup("");
    for (char *s, *d = strtok_r(deps, " ", &s); d; d = strtok_r(NULL, " ", &s))
        for (int i = 0; i < n_checks; i++) {
            const char *id = checks[i].id;
            size_t n = strlen(d);
            if (strncmp(id, d, n) == 0 && (id[n] == '\0' || id[n] == '.') &&
                strcmp(checks[i].result, "pass") != 0) {
                char *m = xprintf("%s%s%s", missing, *missing ? ", " : "", id);
                free(missing);
                missing = m;
            }
        }
    free(deps);
    return missing;
}

static void print_check(const struct check *c)
{
    const char *word = !strcmp(c->result, "pass") ? "PASS" : !strcmp(c->result, "skipped") ? "SKIP" : "FAIL";
    say("%s  %-22s %5d/%-3d", word, c->id, c->score, c->max);
    if (!strcmp(c->result, "pass")) {
        say(" %.90s%s\n", c->got, strlen(c->got) > 90 ? "..." : "");
        return;
    }
    say("\n");
    if (c->workload[0])
        say("      workload  %s\n", c->workload);
    say("      expected  %s\n      got       %s\n", c->expected, c->got);
    int first = 1;
    char *ev = xstrdup(c->evidence);
    for (char *s, *l = strtok_r(ev, "\n", &s); l; l = strtok_r(NULL, "\n", &s), first = 0)
        say("      %-8s  %s\n", first ? "evidence" : "", l);
    free(ev);
    if (c->report[0])
        say("      open      %s\n", show(c->report));
    if (c->guide[0])
        say("      read      %s\n", c->guide);
}

/* The section of the guide at path a failure points to: `section`, or, when
 * the page has no such heading (the student edition's guides have no "The
 * fix"), the section where the guide reads the detectors' output. */
static const char *guide_section(const char *path, const char *section)
{
    if (section == NULL)
        return NULL;
    char *text = read_file(path, READ_MAX, NULL), *heading = xprintf("\n## %s\n", section);
    int found = text == NULL || strstr(text, heading) != NULL;
    free(text);
    free(heading);
    return found ? section : "Read the output";
}

/* The guide a failure points to: a path that resolves from the current
 * directory (relative below it, absolute elsewhere), and a section. */
static char *guide(const char *page, const char *section)
{
    char *path = xprintf("%s/%s", lab.source, page);
    section = guide_section(path, section);
    char *g = section ? xprintf("%s \"## %s\"", show(path), section) : xprintf("%s", show(path));
    free(path);
    return g;
}

static json_t *scoreboard(const char *scenario, const char *file, const char *work,
                          const char *summary, const char *verdict, int total, uint64_t seed,
                          double seconds)
{
    json_t *b = json_object(), *tests = json_array(), *w = json_object();
    json_object_set_new(b, "score", json_integer(total));
    json_object_set_new(b, "output", json_string(summary));
    json_object_set_new(b, "execution_time", json_real(seconds));
    for (int i = 0; i < n_checks; i++) {
        const struct check *c = &checks[i];
        json_t *t = json_object(), *x = json_object();
        json_object_set_new(t, "name", json_string(c->id));
        json_object_set_new(t, "score", json_integer(c->score));
        json_object_set_new(t, "max_score", json_integer(c->max));
        json_object_set_new(t, "status", json_string(!strcmp(c->result, "pass") ? "passed" : "failed"));
        char *out = !strcmp(c->result, "pass") ? xstrdup(c->got)
                    : xprintf("%s%s%sexpected  %s\ngot       %s%s%s%s%s%s%s",
                              c->workload[0] ? "workload  " : "", c->workload, c->workload[0] ? "\n" : "",
                              c->expected, c->got, c->evidence[0] ? "\nevidence\n" : "", c->evidence,
                              c->report[0] ? "\nopen      " : "", c->report,
                              c->guide[0] ? "\nread      " : "", c->guide);
        json_object_set_new(t, "output", json_string(out));
        free(out);
        json_object_set_new(x, "result", json_string(c->result));
        json_object_set_new(x, "workload", json_string(c->workload));
        json_object_set_new(x, "expected", json_string(c->expected));
        json_object_set_new(x, "got", json_string(c->got));
        json_object_set_new(x, "evidence", json_string(c->evidence));
        json_object_set_new(x, "report", json_string(c->report));
        json_object_set_new(x, "guide", json_string(c->guide));
        json_object_set_new(t, "extra_data", x);
        json_array_append_new(tests, t);
    }
    json_object_set_new(b, "tests", tests);
    json_t *extra = json_object();
    json_object_set_new(extra, "scenario", json_string(scenario));
    json_object_set_new(extra, "file", json_string(file));
    json_object_set_new(extra, "work", json_string(work));
    json_object_set_new(extra, "max_score", json_integer(100));
    json_object_set_new(extra, "verdict", json_string(verdict));
    json_object_set_new(extra, "seed", json_integer((json_int_t)(seed & 0x7fffffffffffffff)));
    for (int k = 0; k < N_WORK; k++)
        json_object_set_new(w, work_names[k], json_integer(work_size[k]));
    json_object_set_new(extra, "workloads", w);
    json_object_set_new(b, "extra_data", extra);
    return b;
}

/* ---- the results files: --json (Gradescope) and --classroom --------------- */

/* Where the results go, and what they are about: set as soon as the
 * arguments say, so that die() can write a not-graded result too. */
static struct {
    const char *json, *classroom; /* a path, "-" (stdout), or NULL */
    const char *scenario, *file;
    int written;
} results;

/* GitHub Classroom's runner result (what autograding-grading-reporter reads,
 * base64-encoded, from a step's "result" output), made from the Gradescope
 * board b: the same tests, scores and texts. */
static json_t *classroom_json(json_t *b)
{
    json_t *r = json_object(), *tests = json_array(), *t;
    json_t *extra = json_object_get(b, "extra_data");
    const char *verdict = json_string_value(json_object_get(extra, "verdict"));
    size_t i;
    json_array_foreach(json_object_get(b, "tests"), i, t) {
        json_t *c = json_object();
        int passed = !strcmp(json_string_value(json_object_get(t, "status")), "passed");
        json_object_set(c, "name", json_object_get(t, "name"));
        json_object_set_new(c, "status", json_string(passed ? "pass" : "fail"));
        json_object_set(c, "score", json_object_get(t, "score"));
        json_object_set(c, "message", json_object_get(t, "output"));
        json_array_append_new(tests, c);
    }
    if (json_array_size(tests) == 0) { /* not graded: one test that says why */
        json_t *c = json_object();
        json_object_set_new(c, "name", json_string("graded"));
        json_object_set_new(c, "status", json_string("error"));
        json_object_set_new(c, "score", json_integer(0));
        json_object_set(c, "message", json_object_get(b, "output"));
        json_array_append_new(tests, c);
    }
    json_object_set_new(r, "version", json_integer(1));
    json_object_set_new(r, "status", json_string(verdict && !strcmp(verdict, "pass") ? "pass"
                                                 : verdict && !strcmp(verdict, "not_graded") ? "error"
                                                                                          : "fail"));
    json_object_set_new(r, "max_score", json_integer(100));
    json_object_set_new(r, "tests", tests);
    return r;
}

/* Writes j to path ("-": stdout), whole or not at all. Returns 0 or -1. */
static int dump_json(json_t *j, const char *path)
{
    if (!strcmp(path, "-"))
        return json_dumpf(j, stdout, JSON_INDENT(2)) != 0 || fputc('\n', stdout) == EOF ? -1 : 0;
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    if (json_dump_file(j, tmp, JSON_INDENT(2)) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Writes the board to --json and its Classroom shape to --classroom.
 * Returns 0, or -1 naming the file it could not write in *failed. */
static int write_results(json_t *b, const char **failed)
{
    results.written = 1;
    if (results.json && dump_json(b, results.json) != 0)
        return *failed = results.json, -1;
    json_t *r = results.classroom ? classroom_json(b) : NULL;
    int rc = r && dump_json(r, results.classroom) != 0 ? -1 : 0;
    if (rc != 0)
        *failed = results.classroom;
    json_decref(r);
    return rc;
}

/* The results of a file that could not be graded: score 0, the reason as
 * the output, no tests (extra_data.verdict "not_graded"). */
static void write_not_graded(const char *reason)
{
    if (results.written || (!results.json && !results.classroom))
        return;
    const char *scenario = results.scenario ? results.scenario : "?", *failed = NULL;
    json_t *b = json_object(), *extra = json_object();
    char out[1200];
    snprintf(out, sizeof out, "%s: 0/100, NOT GRADED: %s", scenario, reason);
    json_object_set_new(b, "score", json_integer(0));
    json_object_set_new(b, "output", json_string(out));
    json_object_set_new(b, "tests", json_array());
    json_object_set_new(extra, "scenario", json_string(scenario));
    json_object_set_new(extra, "file", json_string(results.file ? results.file : ""));
    json_object_set_new(extra, "max_score", json_integer(100));
    json_object_set_new(extra, "verdict", json_string("not_graded"));
    json_object_set_new(extra, "reason", json_string(reason));
    json_object_set_new(b, "extra_data", extra);
    if (write_results(b, &failed) != 0)
        fprintf(stderr, "grade: cannot write %s either\n", failed);
    json_decref(b);
}

/* Splits total into n shares, the first ones taking the remainder. */
static int share(int total, int n, int i) { return n ? total / n + (i < total % n) : 0; }

/* ---- the source file ------------------------------------------------------ */

/* Why the file cannot be C source, or NULL. */
static const char *not_c(const char *path)
{
    size_t n;
    char *text = read_file(path, READ_MAX, &n);
    const char *why = NULL;
    size_t blank = 0;
    while (text != NULL && blank < n && strchr(" \t\r\n\f\v", text[blank]) != NULL)
        blank++;
    if (text == NULL)
        why = "it cannot be read";
    else if (blank == n)
        why = n ? "it holds only white space" : "it is empty";
    else if (n >= 4 && memcmp(text, "\177ELF", 4) == 0)
        why = "it is an executable (ELF): give the .c file";
    else if (memchr(text, '\0', n) != NULL)
        why = "it holds NUL bytes, so it is binary data";
    else if (n >= 2 && memcmp(text, "#!", 2) == 0)
        why = "it starts with #!, like a script";
    free(text);
    return why;
}

static int count_in(const char *path, const char *needle)
{
    char *t = read_file(path, READ_MAX, NULL);
    int n = 0;
    for (char *p = t; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    free(t);
    return n;
}

/* Returns how many warnings in the compiler's log at path are about code:
 * "FILE:LINE:COL: warning: ...". A line whose text before ": warning:" holds
 * no ':' is the compiler driver's remark on the grader's own command line
 * ("clang: warning: argument unused during compilation"), not on the code. */
static int count_code_warnings(const char *path)
{
    char *t = read_file(path, READ_MAX, NULL);
    int n = 0;
    for (char *line = t; line != NULL && *line != '\0';) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char *w = memmem(line, len, ": warning:", 10);
        n += w != NULL && memchr(line, ':', (size_t)(w - line)) != NULL;
        line = end ? end + 1 : NULL;
    }
    free(t);
    return n;
}

/* The file to grade in a student's folder: its SCENARIO.c, or else its only
 * .c file. Dies (not graded) when there is neither, saying what it holds. */
static char *in_folder(const char *dir, const char *scenario)
{
    char *want = xprintf("%s/%s.c", dir, scenario), *only = NULL;
    if (access(want, F_OK) == 0)
        return want;
    DIR *d = opendir(dir);
    if (d == NULL)
        die("%s: cannot read the folder: %s", dir, strerror(errno));
    struct text held = {0};
    int n_c = 0, n_all = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        text_addf(&held, "%s%s", n_all++ ? ", " : "", e->d_name);
        if (len > 2 && !strcmp(e->d_name + len - 2, ".c") && n_c++ == 0)
            only = xprintf("%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n_c == 1)
        return only;
    die("%s holds no %s.c%s (it holds %s)", dir, scenario,
        n_c > 1 ? ", and more than one other .c file" : "", n_all ? text_str(&held) : "nothing");
}

/* ---- the heap pictures (grade_heap.c) --------------------------------------- */

/* The massif runs drawn: [workload][0] the submission's, [1] the reference's. */
static struct job *heap_runs[N_WORK][2];

/* Adds a massif run of the submission's plain build and one of the reference
 * at every workload, in WORK/heap/WORKLOAD/{submission,reference}. */
static void heap_picture_jobs(const char *work, const char *plain, const char *reference,
                              double timeout)
{
    for (int k = 0; k < N_WORK; k++) {
        long size = k == W_DEFAULT ? 0 : work_size[k];
        heap_runs[k][0] = leakcheck_job(work_names[k],
                                        xprintf("%s/heap/%s/submission", work, work_names[k]),
                                        "massif", "", plain, size, timeout);
        heap_runs[k][1] = reference_job(work_names[k],
                                        xprintf("%s/heap/%s/reference", work, work_names[k]),
                                        "massif", reference, size, timeout);
    }
}

/* Draws WORK/heap/WORKLOAD.svg for the runs heap_picture_jobs() added and
 * the page WORK/heap/index.html. Returns the page's path, or NULL when
 * nothing was run or the page cannot be written. */
static char *heap_picture_page(const char *work, const char *scenario, const char *file)
{
    struct grade_heap_run runs[N_WORK];
    size_t n = 0;
    for (int k = 0; k < N_WORK; k++)
        if (heap_runs[k][0] != NULL)
            runs[n++] = (struct grade_heap_run){work_names[k], work_size[k], heap_runs[k][0]->dir,
                                                heap_runs[k][1]->dir};
    char *dir = xprintf("%s/heap", work);
    if (n == 0 || grade_heap_pictures(dir, scenario, file, runs, n) < 0)
        return NULL;
    return xprintf("%s/index.html", dir);
}

/* Names the page and each workload's picture in the scoreboard's extra_data:
 * "heap_pictures": {"page": PATH, "svg": {WORKLOAD: PATH...}}. */
static void heap_picture_json(json_t *board, const char *page, const char *work)
{
    json_t *h = json_object(), *svg = json_object();
    json_object_set_new(h, "page", json_string(page));
    for (int k = 0; k < N_WORK; k++) {
        char *path = xprintf("%s/heap/%s.svg", work, work_names[k]);
        if (heap_runs[k][0] != NULL && access(path, R_OK) == 0)
            json_object_set_new(svg, work_names[k], json_string(path));
        free(path);
    }
    json_object_set_new(h, "svg", svg);
    json_object_set_new(json_object_get(board, "extra_data"), "heap_pictures", h);
}

/* ---- grading -------------------------------------------------------------- */

struct grade_options {
    const char *work, *json, *classroom, *build, *reference, *scenario, *file;
    uint64_t seed;
    int seed_given;
    int pictures; /* draw the heap pictures (8 more massif runs) */
    int rerun_reference; /* keep no reference run, copy none */
    double timeout;
};

static void usage(FILE *to)
{
    fprintf(to,
            "usage: scripts/grade [OPTIONS] SCENARIO [FILE.c]\n"
            "\n"
            "Grades FILE.c (default ./SCENARIO.c), a fix of SCENARIO's leak: builds it as\n"
            "the lab builds its scenarios, runs it at several workloads against the\n"
            "reference, and under every detector, and prints each check with its points.\n"
            "FILE may be a folder: its SCENARIO.c, or its only .c file, is graded.\n"
            "docs/exercises.md explains the checks.\n"
            "\n"
            "Options:\n"
            "  --json[=FILE]      also write the scoreboard (Gradescope's results.json) to\n"
            "                     FILE, or to stdout (the report then goes to stderr);\n"
            "                     written even when the file cannot be graded (score 0)\n"
            "  --classroom=FILE   also write it in GitHub Classroom's runner shape\n"
            "  --work=DIR         where the builds and reports go (default: a new\n"
            "                     directory BUILD/grade/runs/SCENARIO.XXXXXX per grade)\n"
            "  --seed=N           the seed of the drawn workload (default: random; the\n"
            "                     report prints it, and --seed=N grades the same again)\n"
            "  --timeout=SECS     how long each run of the program may take (default 10)\n"
            "  --reference=PROG   the program whose output and growth are the reference\n"
            "                     (default: the lab's, from grade/lab.conf)\n"
            "  --jobs=N           runs at once (default 2)\n"
            "  --no-pictures      do not draw the heap pictures (they cost a massif run of\n"
            "                     the submission and of the reference at every workload)\n"
            "  --rerun-reference  run the reference again at every workload, and keep\n"
            "                     nothing (default: a run of it that an earlier grade made\n"
            "                     and kept in BUILD/grade/reference-runs is copied)\n"
            "  --write-figures=FILE  grade nothing: measure each scenario's reference (the\n"
            "                     fixed twin) and write its figures to FILE, for the\n"
            "                     student edition (with --build and --jobs only)\n"
            "  --build=DIR        the lab's build directory (default: %s)\n"
            "  --list             list the scenarios\n"
            "  -h, --help         this message\n"
            "\n"
            "Exit status: 0 every check passed; 1 a check failed; 2 not graded (bad usage,\n"
            "the lab not built, no such file); 77 no check failed but a detector is not installed here.\n",
            LEAKGRADE_BUILD_DIR);
}

static void parse_args(int argc, char **argv, struct grade_options *o)
{
    const char *pos[2];
    int n_pos = 0, list = 0;
    /* The results files first, so that a bad argument after them is said there. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (!strcmp(argv[i], "--json"))
            results.json = "-";
        else if (!strncmp(argv[i], "--json=", 7) && argv[i][7])
            results.json = argv[i] + 7;
        else if (!strncmp(argv[i], "--classroom=", 12) && argv[i][12])
            results.classroom = argv[i] + 12;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            o->json = "-";
        else if (!strncmp(a, "--json=", 7) && a[7])
            o->json = a + 7;
        else if (!strncmp(a, "--classroom=", 12) && a[12])
            o->classroom = a + 12;
        else if (!strncmp(a, "--work=", 7) && a[7])
            o->work = a + 7;
        else if (!strncmp(a, "--build=", 8) && a[8])
            o->build = a + 8;
        else if (!strncmp(a, "--reference=", 12) && a[12])
            o->reference = a + 12;
        else if (!strncmp(a, "--seed=", 7)) {
            char *end;
            errno = 0;
            o->seed = strtoull(a + 7, &end, 10);
            if (errno || end == a + 7 || *end || a[7] == '-')
                die("--seed wants a whole number, not '%s'", a + 7);
            o->seed_given = 1;
        } else if (!strncmp(a, "--timeout=", 10)) {
            char *end;
            o->timeout = strtod(a + 10, &end);
            if (end == a + 10 || *end || !(o->timeout > 0 && o->timeout <= 3600))
                die("--timeout wants seconds (a positive number), not '%s'", a + 10);
        } else if (!strncmp(a, "--jobs=", 7)) {
            max_parallel = atoi(a + 7);
            if (max_parallel < 1 || max_parallel > 64)
                die("--jobs wants a number from 1 to 64, not '%s'", a + 7);
        } else if (!strcmp(a, "--no-pictures"))
            o->pictures = 0;
        else if (!strcmp(a, "--pictures"))
            o->pictures = 1;
        else if (!strcmp(a, "--rerun-reference"))
            o->rerun_reference = 1;
        else if (!strcmp(a, "--list"))
            list = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            usage(stdout), exit(0);
        else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "grade: unknown option %s\n\n", a);
            usage(stderr);
            exit(2);
        } else if (n_pos < 2) {
            pos[n_pos++] = a;
            if (n_pos == 1)
                results.scenario = a;
        }
        else
            usage(stderr), exit(2);
    }
    read_lab(o->build);
    if (list) {
        for (int i = 0; i < lab.n_scen; i++)
            printf("%s\n", lab.scen[i].name);
        exit(0);
    }
    if (n_pos < 1)
        usage(stderr), exit(2);
    o->scenario = pos[0];
    o->file = n_pos > 1 ? pos[1] : NULL;
}

/* ---- the reference figures file (the student edition) ------------------ */

/* The student edition has no fixed twin: its lab.conf names the figures the
 * instructor edition measured on them (grade_figures.h), and its growth
 * check reads the reference's figures from there; its output check still
 * runs the reference program of lab.conf, the leaky twin, which prints the
 * same. NULL: the reference's own runs give its figures. */
static json_t *reference_doc;

static void load_reference_figures(void)
{
    char *why = NULL;
    reference_doc = figures_load(lab.figures, &why);
    if (reference_doc == NULL)
        die("the reference figures cannot be read: %s (the student edition gets them from"
            " scripts/student-edition)", why ? why : lab.figures);
}

/* The reference's figure KEY at workload k: from the figures file when there
 * is one, else from its run ref[k]. The file holds the default, ~10x and
 * ~40x; at the seeded workload (only "forks" is read there) it gives the
 * most of those three. LONG_MIN: not measured. */
static long reference_figure(const struct scenario *sc, struct job *ref[], int k, const char *key)
{
    if (reference_doc == NULL)
        return v_figure(ref[k], key);
    long most = LONG_MIN;
    for (int w = W_DEFAULT; w <= W_X40; w++) {
        long v;
        char *why = NULL;
        if (k != W_SEEDED && w != k)
            continue;
        if (figures_get(reference_doc, sc->name, work_names[w], work_size[w], key, &v, &why) != 0)
            die("%s: %s: write the student edition again (scripts/student-edition)", lab.figures,
                why ? why : "unreadable");
        most = v > most ? v : most;
    }
    return most;
}

/* leakgrade --write-figures=FILE [--build=DIR] [--jobs=N]: runs every
 * scenario's reference (its fixed twin) natively at the default, ~10x and
 * ~40x workloads, through leakcheck as a grade does, and writes their figures
 * to FILE (grade_figures.h). Returns the exit status: 0, or 2 (by die()). */
static int write_figures(int argc, char **argv)
{
    const char *file = NULL, *build = LEAKGRADE_BUILD_DIR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strncmp(a, "--write-figures=", 16) && a[16])
            file = a + 16;
        else if (!strncmp(a, "--build=", 8) && a[8])
            build = a + 8;
        else if (!strncmp(a, "--jobs=", 7) && atoi(a + 7) >= 1 && atoi(a + 7) <= 64)
            max_parallel = atoi(a + 7);
        else
            die("--write-figures=FILE takes only --build=DIR and --jobs=N, not '%s'", a);
    }
    if (file == NULL)
        die("--write-figures wants a FILE");
    read_lab(build);
    if (lab.figures != NULL)
        die("this lab has no fixed twins (lab.conf reads its figures from %s): write the figures"
            " in the instructor edition", lab.figures);
    char *base = xprintf("%s/grade/runs", build), *work = xprintf("%s/figures.XXXXXX", base);
    if (make_dirs(base) != 0 || mkdtemp(work) == NULL)
        die("cannot create a work directory under %s: %s", base, strerror(errno));
    long size[64][W_X40 + 1];
    for (int i = 0; i < lab.n_scen; i++) {
        const struct scenario *s = &lab.scen[i];
        if (s->reference == NULL || access(s->reference, X_OK) != 0 || s->deflt <= 0)
            die("the reference of %s is not built: build the lab first (scripts/build)", s->name);
        plan_workloads(s, 0);
        for (int k = W_DEFAULT; k <= W_X40; k++) {
            size[i][k] = work_size[k];
            leakcheck_job(work_names[k], xprintf("%s/%s/%s", work, s->name, work_names[k]), "native",
                          "", s->reference, k == W_DEFAULT ? 0 : work_size[k], 60);
        }
    }
    run_jobs(0, work);
    json_t *doc = figures_new(lab.cc);
    for (int i = 0, j = 0; i < lab.n_scen; i++)
        for (int k = W_DEFAULT; k <= W_X40; k++, j++) {
            if (!ran_ok(&jobs[j]))
                die("the reference %s %s at workload %s (see %s)", lab.scen[i].reference,
                    how_it_ended(&jobs[j]), work_names[k], jobs[j].dir);
            if (figures_add(doc, lab.scen[i].name, work_names[k], size[i][k],
                            json_object_get(jobs[j].verdict, "figures")) != 0)
                die("%s/verdict.json has no figures", jobs[j].dir);
        }
    if (figures_write(doc, file) != 0)
        die("cannot write %s: %s", file, strerror(errno));
    printf("%s: the figures of %d references at the default, ~10x and ~40x workloads (runs in %s)\n",
           file, lab.n_scen, show(work));
    json_decref(doc);
    return 0;
}

int main(int argc, char **argv)
{
    struct grade_options o = {.build = LEAKGRADE_BUILD_DIR, .timeout = 10, .pictures = 1};
    double t0 = now();
    if (getcwd(cwd, sizeof cwd) == NULL)
        die("cannot tell the current directory");
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "--write-figures=", 16))
            return write_figures(argc, argv);
    parse_args(argc, argv, &o);
    if (!o.rerun_reference) { /* absolute: leakcheck runs in the work directory */
        char *store = xprintf("%s/grade/reference-runs", o.build);
        keep_dir = make_dirs(store) == 0 ? realpath(store, NULL) : NULL;
        free(store);
    }
    if (lab.figures != NULL && o.reference == NULL)
        load_reference_figures();

    const struct scenario *sc = NULL;
    for (int i = 0; i < lab.n_scen; i++)
        if (!strcmp(lab.scen[i].name, o.scenario))
            sc = &lab.scen[i];
    if (sc == NULL) {
        char *all = xstrdup("");
        for (int i = 0; i < lab.n_scen; i++) {
            char *a = xprintf("%s %s", all, lab.scen[i].name);
            free(all), all = a;
        }
        die("no scenario '%s'; the scenarios are:%s", o.scenario, all);
    }
    char *file_arg = o.file ? xstrdup(o.file) : xprintf("%s.c", sc->name);
    results.file = file_arg;
    struct stat sb;
    if (stat(file_arg, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        results.file = file_arg = in_folder(file_arg, sc->name);
        stat(file_arg, &sb);
    }
    if (stat(file_arg, &sb) != 0)
        die(o.file ? "%s: no such file" : "no FILE given and no ./%s here: name the file to grade,"
                     " or make a copy to fix with scripts/exercise", file_arg);
    if (!S_ISREG(sb.st_mode))
        die("%s: not a regular file", file_arg);
    if (access(file_arg, R_OK) != 0)
        die("%s: cannot read it", file_arg);
    char file[PATH_MAX];
    if (realpath(file_arg, file) == NULL)
        die("%s: %s", file_arg, strerror(errno));
    results.file = file;
    const char *reference = o.reference ? o.reference : sc->reference;
    if (reference == NULL || access(reference, X_OK) != 0)
        die("the reference program %s is not built: build the lab first (scripts/build)",
            reference ? reference : "(none in lab.conf)");
    if (access(lab.leakcheck, X_OK) != 0)
        die("%s is not built: build the lab first (scripts/build)", lab.leakcheck);
    if (sc->deflt <= 0)
        die("lab.conf gives no workload for %s: reconfigure the lab", sc->name);
    if (!o.seed_given && getrandom(&o.seed, sizeof o.seed, 0) != sizeof o.seed)
        o.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid();
    o.seed %= 1000000000u; /* short enough to type */
    plan_workloads(sc, o.seed);

    /* The work directory: one per grade unless named. */
    char work[PATH_MAX];
    if (o.work != NULL) {
        if (make_dirs(o.work) != 0 || realpath(o.work, work) == NULL)
            die("cannot create the work directory %s: %s", o.work, strerror(errno));
        char src[PATH_MAX], bld[PATH_MAX];
        if (realpath(lab.source, src) && realpath(o.build, bld) &&
            !strncmp(work, src, strlen(src)) && (work[strlen(src)] == '/' || !work[strlen(src)]) &&
            strncmp(work, bld, strlen(bld)) != 0)
            die("--work=%s is inside the lab's tracked files: choose a directory outside %s"
                " (or under %s)", work, src, bld);
    } else {
        char *base = xprintf("%s/grade/runs", o.build), *tmpl = xprintf("%s/%s.XXXXXX", base, sc->name);
        if (make_dirs(base) != 0 || mkdtemp(tmpl) == NULL || realpath(tmpl, work) == NULL)
            die("cannot create a work directory under %s: %s", base, strerror(errno));
    }
    char *bdir = xprintf("%s/build", work), *rdir = xprintf("%s/run", work);
    if (strncmp(file, bdir, strlen(bdir)) == 0 && file[strlen(bdir)] == '/')
        die("%s is inside %s, where the grader writes its builds", file, bdir);
    if (make_dirs(bdir) != 0 || make_dirs(rdir) != 0)
        die("cannot write to the work directory %s", work);
    char *plain = xprintf("%s/%s", bdir, sc->name), *asan = xprintf("%s/%s-asan", bdir, sc->name);
    unlink(plain), unlink(asan);
    char *txt_path = xprintf("%s/grade.txt", work);
    grade_txt = fopen(txt_path, "w");
    FILE *json_out = NULL;
    const char *outs[2] = {o.json, o.classroom};
    for (int k = 0; k < 2; k++)
        if (outs[k] && strcmp(outs[k], "-") != 0) {
            char *tmp = xprintf("%s.tmp%ld", outs[k], (long)getpid());
            if ((json_out = fopen(tmp, "w")) == NULL)
                die("%s: cannot write it: %s", outs[k], strerror(errno));
            fclose(json_out), unlink(tmp);
        }
    say_to = o.json && !strcmp(o.json, "-") ? stderr : stdout;

    say("grade %s: %s\n  work in %s\n", sc->name, show(file), show(work));
    say("  workloads: default %ld, ~10x %ld, ~40x %ld, seeded %ld (--seed=%llu reproduces it)\n\n",
        work_size[W_DEFAULT], work_size[W_X10], work_size[W_X40], work_size[W_SEEDED],
        (unsigned long long)o.seed);

    /* The scenario's rows and resources. */
    struct row rows[16];
    int n_rows = 0, has_res[N_RES] = {0}, n_leak = 0, n_blind = 0;
    for (int i = 0; i < lab.n_rows && n_rows < 16; i++) {
        char *r = xstrdup(lab.rows[i]), *f[5] = {0}, *p = r;
        for (int k = 0; k < 5; k++)
            f[k] = strsep(&p, "|");
        if (f[4] == NULL || strcmp(f[0], sc->name) != 0)
            continue;
        if (strcmp(f[1], "lsan") && strcmp(f[1], "memcheck") && strcmp(f[1], "massif") &&
            strcmp(f[1], "census"))
            continue; /* a static analyser's row: it gives no points */
        struct row *w = &rows[n_rows++];
        w->tool = f[1], w->leaky = !strcmp(f[2], "leak"), w->kinds = f[3], w->options = f[4];
        n_leak += w->leaky, n_blind += !w->leaky;
        if (w->leaky && !strcmp(w->tool, "massif"))
            has_res[strstr(w->options, "--pages-as-heap") ? 1 : 0] = 1;
        if (w->leaky && !strcmp(w->tool, "census")) {
            has_res[2] |= strstr(w->kinds, "threads") != NULL;
            has_res[3] |= strstr(w->kinds, "fds") != NULL;
        }
    }
    int n_res = has_res[0] + has_res[1] + has_res[2] + has_res[3];

    /* compiles, and the reference's runs alongside. */
    struct check *c_comp = add_check(F_COMPILES, NULL, rubric[F_COMPILES].points, rubric[F_COMPILES].passes);
    const char *why_not_c = not_c(file);
    char *log = xprintf("%s/compile.log", bdir), *alog = xprintf("%s/compile-asan.log", bdir);
    int first = n_jobs;
    struct job *ref[N_WORK], *sub[N_WORK] = {NULL};
    for (int k = 0; k < N_WORK; k++)
        ref[k] = reference_job(work_names[k], xprintf("%s/reference/%s", rdir, work_names[k]),
                               "native", reference, k == W_DEFAULT ? 0 : work_size[k], 60);
    struct job *cj = NULL, *acj = NULL;
    if (why_not_c == NULL) {
        cj = new_job("compile", bdir), acj = new_job("compile-asan", xprintf("%s/asan", bdir));
        struct { struct job *j; struct list *fl, *ld; const char *out; } b[2] = {
            {cj, &lab.cflags, &lab.ldflags, plain}, {acj, &lab.asan_cflags, &lab.asan_ldflags, asan}};
        for (int k = 0; k < 2; k++) {
            list_add(&b[k].j->argv, lab.cc);
            for (size_t i = 0; i < b[k].fl->n; i++)
                list_add(&b[k].j->argv, b[k].fl->item[i]);
            list_add(&b[k].j->argv, "-o");
            list_add(&b[k].j->argv, b[k].out);
            list_add(&b[k].j->argv, "-x");
            list_add(&b[k].j->argv, "c");
            list_add(&b[k].j->argv, file); /* no "-x none" after it: clang 19 warns */
            for (size_t i = 0; i < b[k].ld->n; i++)
                list_add(&b[k].j->argv, b[k].ld->item[i]);
            for (size_t i = 0; i < lab.threads.n; i++)
                list_add(&b[k].j->argv, lab.threads.item[i]);
        }
    }
    run_jobs(first, rdir);
    keep_reference_runs(first);
    for (int k = 0; k < N_WORK; k++)
        if (!ran_ok(ref[k]))
            die("the reference %s %s at workload %s: rebuild the lab (scripts/build)", reference,
                how_it_ended(ref[k]), work_names[k]);
    if (cj != NULL) { /* the compiler's output is in DIR/leakcheck.txt: keep it as the logs */
        char *a = xprintf("%s/leakcheck.txt", cj->dir), *b = xprintf("%s/leakcheck.txt", acj->dir);
        rename(a, log), rename(b, alog);
    }
    const char *not_run = NULL;
    if (why_not_c != NULL) {
        not_run = xprintf("%s is not C source", show(file));
        settle(c_comp, "fail", xprintf("not C source: %s", why_not_c), "", file,
               guide("docs/exercises.md", "The checks"), "");
    } else if (cj->status != 0 || acj->status != 0) {
        const char *shown = cj->status != 0 ? log : alog;
        not_run = xprintf("%s%s does not compile", show(file), cj->status ? "" : "'s ASan build");
        settle(c_comp, "fail", xprintf("%s does not compile: %d error(s) (the compiler exited %d)",
                                       cj->status ? "it" : "its ASan build", count_in(shown, "error:"),
                                       cj->status ? cj->status : acj->status),
               read_file(shown, READ_MAX, NULL), shown, guide("docs/exercises.md", "The checks"), "");
    } else if (count_code_warnings(log) + count_code_warnings(alog) > 0) {
        const char *shown = count_code_warnings(log) ? log : alog;
        settle(c_comp, "fail", xprintf("it compiles, with %d warning(s)", count_code_warnings(shown)),
               read_file(shown, READ_MAX, NULL), shown, guide("docs/exercises.md", "The checks"), "");
    } else
        settle(c_comp, "pass", "plain and ASan builds, no warning", "", log, "", "");

    /* same_output, own_process, bounded_growth: the native runs. */
    struct check *c_out = add_check(F_SAME_OUTPUT, NULL, 20, xprintf(
        "exit status 0 and the reference's output, at every workload (%ld, %ld, %ld, %ld)",
        work_size[0], work_size[1], work_size[2], work_size[3]));
    struct check *c_own = add_check(F_OWN_PROCESS, NULL, 0, "");
    struct check *c_res[N_RES] = {0};
    for (int r = 0, i = 0; r < N_RES; r++)
        if (has_res[r])
            c_res[r] = add_check(F_GROWTH, resources[r].name,
                                 share(rubric[F_GROWTH].points, n_res, i++), "");
    int crashes = 0;
    char *crash_what = NULL, *crash_report = NULL;
    /* The default first, alone: a program that hangs there is not run at the
     * larger workloads, which get three times the timeout (they do up to 40
     * times the work, and the machine may be loaded). */
    for (int k = 0; k < N_WORK && !not_run; k++) {
        if (k <= 1)
            first = n_jobs;
        sub[k] = leakcheck_job(work_names[k], xprintf("%s/%s", rdir, work_names[k]), "native", "",
                               plain, k == W_DEFAULT ? 0 : work_size[k],
                               k == W_DEFAULT ? o.timeout : 3 * o.timeout);
        if (k == W_DEFAULT) {
            run_jobs(first, rdir);
            if (!strcmp(v_run_end(sub[k]), "timed_out"))
                break;
        }
    }
    for (int k = 1; k < N_WORK && sub[W_DEFAULT] != NULL; k++)
        if (sub[k] == NULL) /* not run: the default hung */
            sub[k] = sub[W_DEFAULT];
    run_jobs(first, rdir);
    const char *fix_guide = xprintf("docs/scenarios/%s.md", sc->name);
    char *out_dep = unmet(c_out);
    if (not_run || *out_dep) {
        settle(c_out, "fail", xprintf("not run: %s", not_run ? not_run : xprintf("needs %s", out_dep)),
               "", "", guide("docs/exercises.md", "The checks"), "");
        if (not_run == NULL)
            not_run = xprintf("needs %s", out_dep);
    } else {
        settle(c_out, "pass", "", "", "", "", "");
        for (int k = 0; k < N_WORK; k++) {
            char *wl = k == W_DEFAULT ? xprintf("default (%ld)", work_size[k]) : xprintf("%s (%ld)", work_names[k], work_size[k]);
            char *out = xprintf("%s/program.stdout", sub[k]->dir), *err = xprintf("%s/program.stderr", sub[k]->dir);
            char *ref_out = xprintf("%s/program.stdout", ref[k]->dir);
            if (crashed(sub[k]) && !crashes++) {
                crash_what = xprintf("natively: it %s (at workload %s)", how_it_ended(sub[k]), wl);
                crash_report = err;
            }
            if (!ran_ok(sub[k])) {
                int hang = !strcmp(v_run_end(sub[k]), "timed_out");
                if (hang)
                    not_run = "the program hangs (see same_output)";
                settle(c_out, "fail", xprintf("it %s", how_it_ended(sub[k])),
                       v_lines(sub[k], "evidence", 0, "\n"), err,
                       crashed(sub[k]) ? guide("docs/exercises.md", "Crashes and hangs")
                                       : guide(fix_guide, "The fix"), wl);
                break;
            }
            size_t ln, lr;
            char *got = read_file(out, READ_MAX, &ln), *want = read_file(ref_out, READ_MAX, &lr);
            if (got == NULL || want == NULL || ln != lr || memcmp(got, want, ln) != 0) {
                /* the first line that differs */
                const char *g = got ? got : "", *e = want ? want : "";
                int line = 1;
                while (*g && *g == *e) {
                    if (*g == '\n')
                        line++;
                    g++, e++;
                }
                while (g > (got ? got : "") && g[-1] != '\n')
                    g--, e--;
                char *eline = xprintf("%.*s", (int)strcspn(e, "\n"), e);
                char *gline = xprintf("%.*s", (int)strcspn(g, "\n"), g);
                settle(c_out, "fail", xprintf("a different output at line %d (- expected, + got)", line),
                       xprintf("-%s\n+%s", eline, gline), out, guide(fix_guide, "The fix"), wl);
                break;
            }
            if (k == W_DEFAULT)
                c_out->got = text_safe(got, 1);
        }
        if (!strcmp(c_out->result, "pass"))
            c_out->got = xprintf("%s (and the same as the reference at %ld, %ld, %ld)", c_out->got,
                                 work_size[1], work_size[2], work_size[3]);
    }

    /* own_process */
    {
        char *dep = unmet(c_own);
        long sub_forks = 0, ref_forks = 0;
        int worst = 0;
        for (int k = 0; k < N_WORK && !*dep && !not_run; k++) {
            long f = v_figure(sub[k], "forks"), r = reference_figure(sc, ref, k, "forks");
            if (f > sub_forks)
                sub_forks = f, worst = k;
            ref_forks = r > ref_forks ? r : ref_forks;
        }
        c_own->expected = xprintf("no more processes started during main than the reference (%ld)", ref_forks);
        if (*dep || not_run)
            settle(c_own, "fail", xprintf("not run: %s", *dep ? xprintf("needs %s", dep) : not_run), "", "",
                   guide("docs/exercises.md", "The checks"), "");
        else if (sub_forks > ref_forks)
            settle(c_own, "fail", xprintf("it started %ld process(es) during main (fork, posix_spawn, "
                   "system or popen): work done in a child escapes every detector", sub_forks),
                   "", xprintf("%s/census.txt", sub[worst]->dir), guide("docs/exercises.md", "The checks"),
                   xprintf("%s (%ld)", work_names[worst], work_size[worst]));
        else
            settle(c_own, "pass", xprintf("%ld processes started, as the reference", sub_forks), "", "", "", "");
    }

    /* bounded_growth.RES. (The pictures of the submission's heap against the
     * reference's are drawn from massif runs alongside the detectors'.) */
    for (int r = 0; r < N_RES; r++) {
        struct check *c = c_res[r];
        if (c == NULL)
            continue;
        const struct resource *R = &resources[r];
        char *dep = unmet(c);
        long rp = reference_figure(sc, ref, W_X40, R->peak_key) - reference_figure(sc, ref, W_X10, R->peak_key);
        long re = reference_figure(sc, ref, W_X40, R->end_key) - reference_figure(sc, ref, W_X10, R->end_key);
        long ap = (long)(GROWTH_FACTOR * (double)(rp > 0 ? rp : 0)) + R->slack;
        long ae = (long)(GROWTH_FACTOR * (double)(re > 0 ? re : 0)) + R->slack;
        c->expected = xprintf("from ~10x (%ld) to ~40x (%ld), the %s peak during main grows by at most %ld %s"
                              " and its level at main's end by at most %ld %s (the reference: %ld and %ld,"
                              " x %.2f + %ld)", work_size[W_X10], work_size[W_X40], R->name, ap, R->unit,
                              ae, R->unit, rp, re, GROWTH_FACTOR, R->slack);
        const char *g = guide(fix_guide, "The fix");
        if (*dep || not_run) {
            settle(c, "fail", xprintf("not run: %s", *dep ? xprintf("needs %s", dep) : not_run), "", "",
                   guide("docs/exercises.md", "The growth rule"), "");
            continue;
        }
        long p10 = v_figure(sub[W_X10], R->peak_key), p40 = v_figure(sub[W_X40], R->peak_key);
        long e10 = v_figure(sub[W_X10], R->end_key), e40 = v_figure(sub[W_X40], R->end_key);
        char *census = xprintf("%s/census.txt", sub[W_X40]->dir);
        char *evidence = xprintf("~10x (%ld): peak %ld %s, at main's end %ld %s\n"
                                 "~40x (%ld): peak %ld %s, at main's end %ld %s",
                                 work_size[W_X10], p10, R->unit, e10, R->unit,
                                 work_size[W_X40], p40, R->unit, e40, R->unit);
        if (p10 == LONG_MIN || p40 == LONG_MIN)
            settle(c, "fail", xprintf("the %s could not be measured (the program does not use the C"
                   " library's allocator, or is statically linked)", R->name), "", census, g, "");
        else if (p40 - p10 > ap)
            settle(c, "fail", xprintf("the %s peak during main grew by %ld %s (allowed %ld): it keeps"
                   " more the more work it does, even if it gives it back at the end", R->name,
                   p40 - p10, R->unit, ap), evidence, census, guide("docs/exercises.md", "The growth rule"),
                   "x10 and x40");
        else if (e40 - e10 > ae)
            settle(c, "fail", xprintf("the %s level at main's end grew by %ld %s (allowed %ld)", R->name,
                   e40 - e10, R->unit, ae), evidence, census, guide("docs/exercises.md", "The growth rule"),
                   "x10 and x40");
        else
            settle(c, "pass", xprintf("bounded: peak +%ld %s, end +%ld %s from ~10x to ~40x (the reference:"
                   " +%ld, +%ld)", p40 - p10, R->unit, e40 - e10, R->unit, rp, re), "", census, "", "");
        (void)g;
    }

    /* leak_gone.TOOL and no_new_leak.TOOL: each detector at default and ~10x. */
    struct check *c_det[16];
    struct job *dj[16][2] = {{0}};
    int li = 0, bi = 0;
    for (int i = 0; i < n_rows; i++) {
        int fam = rows[i].leaky ? F_LEAK_GONE : F_NO_NEW_LEAK;
        const char *at_x10 = strcmp(rows[i].tool, "lsan") && strcmp(rows[i].tool, "census")
                                 ? "" : " and at ~10x";
        int pts = rows[i].leaky ? share(n_blind ? 20 : 30, n_leak, li++) : share(n_blind ? 10 : 0, n_blind, bi++);
        char *exp = rows[i].leaky
            ? xprintf("clean at the default workload%s, where the leaky program gets a leak%s%s", at_x10,
                      strcmp(rows[i].kinds, "-") ? ": " : "", strcmp(rows[i].kinds, "-") ? rows[i].kinds : "")
            : xprintf("clean at the default workload%s, as for the leaky program and the reference", at_x10);
        c_det[i] = add_check(fam, rows[i].tool, pts, exp);
    }
    first = n_jobs;
    for (int i = 0; i < n_rows; i++) {
        char *dep = unmet(c_det[i]);
        if (*dep || not_run)
            continue;
        const char *bin = !strcmp(rows[i].tool, "lsan") ? asan : plain;
        for (int k = 0; k < 2; k++) {
            /* valgrind's tools run at the default only: at ~10x they would take
             * most of a grade's time (memcheck ~6x the default's); the native
             * exit-time detectors (lsan, census) run at ~10x too. */
            if (k == 1 && (!strcmp(rows[i].tool, "massif") || !strcmp(rows[i].tool, "memcheck")))
                continue;
            int wk = k == 0 ? W_DEFAULT : W_X10;
            dj[i][k] = leakcheck_job(work_names[wk], xprintf("%s/%s/%s", work, rows[i].tool, work_names[wk]),
                                     rows[i].tool, rows[i].options, bin, k ? work_size[wk] : 0,
                                     o.timeout * 6);
        }
    }
    /* Whatever the checks say: the program runs. Not in the student edition
     * (reference_doc): its reference program is the leaky one, no picture
     * to draw a fix against. */
    int pictures = o.pictures && !not_run && reference_doc == NULL;
    if (pictures)
        heap_picture_jobs(work, plain, reference, o.timeout * 6);
    run_jobs(first, rdir);
    keep_reference_runs(first);
    char *heap_page = pictures ? heap_picture_page(work, sc->name, file) : NULL;
    for (int i = 0; i < n_rows; i++) {
        struct check *c = c_det[i];
        char *dep = unmet(c);
        const char *rg = guide(xprintf("docs/reading-%s.md", rows[i].tool), NULL);
        if (*dep || not_run) {
            settle(c, "fail", xprintf("not run: %s", *dep ? xprintf("needs %s", dep) : not_run), "", "",
                   guide("docs/exercises.md", "The checks"), "");
            continue;
        }
        settle(c, "pass", "", "", "", "", "");
        for (int k = 0; k < 2; k++) {
            struct job *j = dj[i][k];
            if (j == NULL)
                continue;
            const char *status = v_str(j, "status");
            char *wl = xprintf("%s (%ld)", k ? "x10" : "default", work_size[k ? W_X10 : W_DEFAULT]);
            json_t *reps = j->verdict ? json_object_get(j->verdict, "reports") : NULL;
            const char *report = json_is_array(reps) && json_array_size(reps)
                ? json_string_value(json_array_get(reps, 0)) : xprintf("%s/leakcheck.txt", j->dir);
            if (crashed(j) && !crashes++) {
                crash_what = xprintf("under %s: %s (at workload %s)", rows[i].tool,
                                     v_str(j, "problem")[0] ? v_str(j, "problem") : v_str(j, "summary"), wl);
                crash_report = xstrdup(report);
            }
            if (!strcmp(status, "pass")) {
                if (k == 0 || !c->got[0])
                    c->got = text_safe(v_str(j, "summary"), 1);
                continue;
            }
            if (!strcmp(status, "skipped")) {
                settle(c, "skipped", xprintf("not run here: %s", v_str(j, "problem")), "", "", "", wl);
                break;
            }
            char *g = rows[i].leaky ? xprintf("%s; %s", guide(fix_guide, "Read the output"), rg)
                                    : xprintf("%s; %s", rg, guide(fix_guide, "The fix"));
            settle(c, "fail", !strcmp(status, "fail") ? v_str(j, "summary")
                                                      : xprintf("not judged: %s", v_str(j, "problem")),
                   v_lines(j, "evidence", 0, "\n"), report, g, wl);
            break;
        }
    }

    /* no_crash_or_hang */
    struct check *c_crash = add_check(F_CRASH, NULL, 10, "every run (natively and under each detector, "
                                      "at every workload) ends on its own, with no memory error");
    char *crash_dep = unmet(c_crash);
    if (*crash_dep)
        settle(c_crash, "fail", xprintf("not run: needs %s", crash_dep), "", "",
               guide("docs/exercises.md", "The checks"), "");
    else if (crashes)
        settle(c_crash, "fail", crash_what, xprintf("%d run(s) crashed, hung, hit a limit or had a memory error", crashes),
               crash_report, guide("docs/exercises.md", "Crashes and hangs"), "");
    else if (not_run && !strcmp(c_comp->result, "fail"))
        settle(c_crash, "fail", xprintf("not run: %s", not_run), "", "", guide("docs/exercises.md", "The checks"), "");
    else {
        int runs = 0;
        for (int i = 0; i < n_jobs; i++)
            runs += jobs[i].verdict != NULL;
        settle(c_crash, "pass", xprintf("%d runs, each ended on its own", runs), "", "", "", "");
    }

    /* A program that crashes or hangs scores 0, its compile points too: what
     * passed before it is failed, saying why. */
    if (!strcmp(c_crash->result, "fail") && crashes)
        for (int i = 0; i < n_checks; i++) {
            struct check *c = &checks[i];
            if (c != c_crash && c->max > 0 && !strcmp(c->result, "pass"))
                settle(c, "fail", xprintf("%s, but it scores 0: the program crashed or hung"
                                          " (see no_crash_or_hang)", c->got),
                       c->evidence, *c->report ? c->report : c_crash->report,
                       guide("docs/exercises.md", "Crashes and hangs"),
                       c->workload);
        }

    /* The score, printed in the rubric's order. */
    static const int order[] = {F_COMPILES, F_SAME_OUTPUT, F_OWN_PROCESS, F_GROWTH, F_LEAK_GONE,
                                F_NO_NEW_LEAK, F_CRASH};
    int total = 0, failed = 0, skipped = 0;
    char *failed_ids = xstrdup(""), *skipped_ids = xstrdup("");
    for (size_t f = 0; f < sizeof order / sizeof order[0]; f++)
        for (int i = 0; i < n_checks; i++) {
            struct check *c = &checks[i];
            if (c->family != order[f])
                continue;
            print_check(c);
            total += c->score;
            if (!strcmp(c->result, "fail"))
                failed++, failed_ids = xprintf("%s%s%s", failed_ids, *failed_ids ? " " : "", c->id);
            if (!strcmp(c->result, "skipped"))
                skipped++, skipped_ids = xprintf("%s%s%s", skipped_ids, *skipped_ids ? " " : "", c->id);
        }
    const char *verdict = failed ? "fail" : skipped ? "incomplete" : "pass";
    char *summary = failed ? xprintf("%s: %d/100, FAIL: %d of %d checks failed (%s)", sc->name, total,
                                     failed, n_checks, failed_ids)
                  : skipped ? xprintf("%s: %d/100, INCOMPLETE: not run here: %s", sc->name, total, skipped_ids)
                            : xprintf("%s: %d/100, PASS: every check passed", sc->name, total);
    say("\nscore %s\n", summary);
    if (failed || skipped)
        say("the checks are explained in %s; every report is under %s\n",
            guide("docs/exercises.md", NULL), show(work));
    if (heap_page != NULL)
        say("the heap, the submission's against the reference's at each workload: %s\n",
            show(heap_page));
    if (n_kept > 0)
        say("the reference's runs: %d of %d copied from earlier grades' (kept in %s;"
            " --rerun-reference makes them again)\n", n_kept, n_reference_runs, show(keep_dir));
    say("to grade again with the same workloads: --seed=%llu\n", (unsigned long long)o.seed);
    if (grade_txt)
        fclose(grade_txt);

    if (results.json || results.classroom) {
        json_t *b = scoreboard(sc->name, file, work, summary, verdict, total, o.seed, now() - t0);
        if (heap_page != NULL)
            heap_picture_json(b, heap_page, work);
        json_object_set_new(json_object_get(b, "extra_data"), "reference_runs",
                            json_pack("{s:i, s:i, s:s?}", "runs", n_reference_runs, "copied",
                                      n_kept, "store", keep_dir));
        const char *unwritten = NULL;
        if (write_results(b, &unwritten) != 0)
            die("cannot write %s", unwritten);
        json_decref(b);
    }
    return failed ? 1 : skipped ? 77 : 0;
}
