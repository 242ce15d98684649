/* leakcheck.c: runs a program under one leak detector and checks a verdict.
 *
 *   leakcheck --tool=lsan|memcheck|massif|census --expect=leak|clean
 *             [--site=FUNCTION] [--timeout=SECONDS] [--out=DIR] [...]
 *             -- PROGRAM [ARGS...]
 *   leakcheck --tool=gcc-analyzer|clang-analyzer --expect=leak|clean
 *             --source=FILE.c [--site=FUNCTION] [...] -- [CFLAGS...]
 *
 * Exit status: 0 the expectation holds; 1 it does not (expected, got and the
 * evidence are printed); 2 the program could not be judged (crash, signal,
 * timeout, non-zero exit, missing) or the command line is wrong; 77 the
 * detector is not installed here. PROGRAM's arguments reach it verbatim: no
 * shell is involved. The static analysers never run a program: they compile
 * FILE.c with CFLAGS and read the compiler's diagnostics. The last line printed names the report files.
 */
#define _GNU_SOURCE
#include "leakcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LEAKCHECK_REPORT_DIR
#define LEAKCHECK_REPORT_DIR "reports"
#endif

static const struct tool *const tools[] = {&tool_lsan, &tool_memcheck, &tool_massif,
                                           &tool_census, &tool_gcc_analyzer,
                                           &tool_clang_analyzer};

/* ---- the command line ---------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: leakcheck --tool=TOOL --expect=leak|clean [OPTIONS] -- PROGRAM [ARGS...]\n"
            "       leakcheck --tool=STATIC --expect=leak|clean --source=FILE.c [OPTIONS]\n"
            "                 -- [CFLAGS...]\n"
            "\n"
            "Runs PROGRAM under TOOL and checks that it leaks (or does not); a STATIC\n"
            "tool compiles FILE.c with CFLAGS instead and reads what the compiler's\n"
            "analyser claims. TOOL is one of:\n");
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        fprintf(to, "  %-14s %s%s\n", tools[i]->name, tools[i]->is_static ? "(STATIC) " : "",
                tools[i]->what);
    fprintf(to,
            "Options:\n"
            "  --site=FUNCTION     with --expect=leak: a leak's allocation stack must\n"
            "                      contain FUNCTION (census: a leftover thread's start)\n"
"  --source=FILE.c     static tools: the C file to analyse\n"
            "  --kinds=LIST        the detector must report each of these kinds (e.g.\n"
            "                      direct,indirect; see docs/harness.md), leak or not\n"
            "  --timeout=SECONDS   per run of PROGRAM (default 60); then it is killed,\n"
            "                      with all it started, and the run is not judged\n"
            "  --out=DIR           report directory (default %s/NAME.TOOL)\n"
            "  --max-output=BYTES  PROGRAM's stdout and stderr kept, each (default 1M)\n"
            "  --max-procs=N       processes and threads of a run, together (default 256)\n"
            "  --max-memory=BYTES  address space of each process; of an ASan build, its\n"
            "                      RSS (default 4G)\n"
            "  --max-cpu=SECONDS   CPU time of each process (default: the timeout)\n"
            "  --max-file-size=BYTES  size of each file PROGRAM writes (default 1G)\n"
            "  --leak-kinds=LIST   memcheck: kinds that count as a leak, from definite,\n"
            "                      indirect,possible,reachable (default definite,indirect)\n"
            "  --track-fds         memcheck: file descriptors open at exit count as a leak\n"
            "  --pages-as-heap     massif: measure mapped pages (mmap) instead of malloc\n"
            "  --growth-share=F    massif: share of main's peak rise that must come in the\n"
            "                      second half of main's run to call it a leak (default 0.25)\n"
            "  --min-growth=BYTES  massif: and at least this many bytes (default 16384)\n"
            "BYTES may end in K, M or G (KiB, MiB, GiB). A --max-* of 0 means no limit;\n"
            "docs/harness.md says what each limit contains and what it does not.\n"
            "Exit status: 0 expectation holds, 1 it does not, 2 not judged or bad usage,\n"
            "77 the tool is not installed.\n",
            LEAKCHECK_REPORT_DIR);
}

/* Returns the value of "--name=value" if arg is that option, else NULL. */
static const char *opt_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1 : NULL;
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

/* Parses a byte count with an optional K, M or G suffix (KiB, MiB, GiB). */
static int parse_bytes(const char *s, double *out)
{
    static const char suffixes[] = "KMG";
    char number[64];
    size_t len = strlen(s);
    const char *unit = len > 0 ? strchr(suffixes, s[len - 1]) : NULL;
    if (unit == NULL)
        return parse_number(s, 0, 1e15, out);
    if (snprintf(number, sizeof number, "%.*s", (int)len - 1, s) >= (int)sizeof number ||
        parse_number(number, 0, 1e15 / 1073741824.0, out) != 0)
        return -1;
    *out *= (double)(1L << (10 * (unit - suffixes + 1)));
    return 0;
}

static int parse_kinds(const char *s, unsigned *kinds)
{
    static const struct { const char *name; unsigned bit; } names[] = {
        {"definite", KIND_DEFINITE}, {"indirect", KIND_INDIRECT},
        {"possible", KIND_POSSIBLE}, {"reachable", KIND_REACHABLE}};
    *kinds = 0;
    for (const char *p = s; *p != '\0';) {
        size_t len = strcspn(p, ","), i;
        for (i = 0; i < 4; i++)
            if (strlen(names[i].name) == len && strncmp(p, names[i].name, len) == 0)
                break;
        if (i == 4)
            return -1;
        *kinds |= names[i].bit;
        p += len + (p[len] == ',');
    }
    return *kinds ? 0 : -1;
}

/* Parses one option into o. Returns 0, or -1 with a message in err. */
static int parse_option(const char *a, struct options *o, char *err, size_t n)
{
    const char *v;
    double d;
    if ((v = opt_value(a, "--tool")) != NULL)
        o->tool = v;
    else if ((v = opt_value(a, "--expect")) != NULL) {
        if (strcmp(v, "leak") != 0 && strcmp(v, "clean") != 0)
            return snprintf(err, n, "--expect must be leak or clean, not '%s'", v), -1;
        o->expect = strcmp(v, "leak") == 0 ? EXPECT_LEAK : EXPECT_CLEAN;
    } else if ((v = opt_value(a, "--site")) != NULL && *v != '\0')
        o->site = v;
    else if ((v = opt_value(a, "--source")) != NULL && *v != '\0')
        o->source = v;
    else if ((v = opt_value(a, "--kinds")) != NULL && *v != '\0')
        o->kinds = v;
    else if ((v = opt_value(a, "--timeout")) != NULL) {
        if (parse_number(v, 0.001, 86400, &o->timeout) != 0)
            return snprintf(err, n, "--timeout wants seconds in (0, 86400], not '%s'", v), -1;
    } else if ((v = opt_value(a, "--out")) != NULL && *v != '\0')
        o->out_dir = v;
    else if ((v = opt_value(a, "--max-output")) != NULL) {
        if (parse_bytes(v, &d) != 0)
            return snprintf(err, n, "--max-output wants bytes, not '%s'", v), -1;
        o->max_output = d == 0 ? SIZE_MAX : (size_t)d; /* 0: no limit */
    } else if ((v = opt_value(a, "--max-procs")) != NULL) {
        if (parse_number(v, 0, 1e7, &d) != 0 || d != (long)d)
            return snprintf(err, n, "--max-procs wants a whole number, not '%s'", v), -1;
        o->max_procs = (long)d;
    } else if ((v = opt_value(a, "--max-memory")) != NULL) {
        if (parse_bytes(v, &d) != 0)
            return snprintf(err, n, "--max-memory wants bytes, not '%s'", v), -1;
        o->max_memory = (size_t)d;
    } else if ((v = opt_value(a, "--max-cpu")) != NULL) {
        if (parse_number(v, 0, 86400, &o->max_cpu) != 0)
            return snprintf(err, n, "--max-cpu wants seconds in [0, 86400], not '%s'", v), -1;
    } else if ((v = opt_value(a, "--max-file-size")) != NULL) {
        if (parse_bytes(v, &d) != 0)
            return snprintf(err, n, "--max-file-size wants bytes, not '%s'", v), -1;
        o->max_file_size = (size_t)d;
    } else if ((v = opt_value(a, "--leak-kinds")) != NULL) {
        if (parse_kinds(v, &o->leak_kinds) != 0)
            return snprintf(err, n, "--leak-kinds wants a list of definite,indirect,"
                                    "possible,reachable, not '%s'", v), -1;
    } else if (strcmp(a, "--track-fds") == 0)
        o->track_fds = 1;
    else if (strcmp(a, "--pages-as-heap") == 0)
        o->pages_as_heap = 1;
    else if ((v = opt_value(a, "--growth-share")) != NULL) {
        if (parse_number(v, 0.01, 1.0, &o->growth_share) != 0)
            return snprintf(err, n, "--growth-share wants a number in [0.01, 1], not '%s'", v), -1;
    } else if ((v = opt_value(a, "--min-growth")) != NULL) {
        if (parse_bytes(v, &d) != 0)
            return snprintf(err, n, "--min-growth wants bytes, not '%s'", v), -1;
        o->min_growth = (long)d;
    } else
        return snprintf(err, n, "unknown option '%s'", a), -1;
    return 0;
}

/* Fills o from argv. Returns the tool, or NULL with a message in err. */
static const struct tool *parse_args(int argc, char **argv, struct options *o, int *expect_set,
                                     char *err, size_t n)
{
    int i;
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strncmp(argv[i], "--expect=", 9) == 0)
            *expect_set = 1;
        if (parse_option(argv[i], o, err, n) != 0)
            return NULL;
    }
    if (o->tool == NULL || !*expect_set)
        return snprintf(err, n, "--tool and --expect are required"), NULL;
    const struct tool *tool = NULL;
    for (size_t t = 0; t < sizeof tools / sizeof tools[0]; t++)
        if (strcmp(o->tool, tools[t]->name) == 0)
            tool = tools[t];
    if (tool == NULL) {
        int w = snprintf(err, n, "unknown tool '%s' (", o->tool);
        for (size_t t = 0; w > 0 && (size_t)w < n && t < sizeof tools / sizeof tools[0]; t++)
            w += snprintf(err + w, n - (size_t)w, "%s%s", t ? ", " : "", tools[t]->name);
        return appendf(err, n, ")"), NULL;
    }
    if (i >= argc)
        return snprintf(err, n, "missing '--' before %s", tool->is_static ? "CFLAGS" : "PROGRAM"),
               NULL;
    if (i + 1 >= argc && !tool->is_static)
        return snprintf(err, n, "missing PROGRAM after '--'"), NULL;
    o->argv = argv + i + 1;
    if (tool->is_static && o->source == NULL)
        return snprintf(err, n, "%s analyses a source file: --source=FILE.c is required",
                        tool->name), NULL;
    if (!tool->is_static && o->source != NULL)
        return snprintf(err, n, "--source is for the static tools; %s runs PROGRAM",
                        tool->name), NULL;
    if (o->site != NULL && o->expect != EXPECT_LEAK)
        return snprintf(err, n, "--site only makes sense with --expect=leak"), NULL;
    return tool;
}

/* ---- the report directory ------------------------------------------------ */

/* Creates dir and its parents (mode 0755). Returns 0 or -1 with errno. */
static int make_dirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return errno = ENAMETOOLONG, -1;
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Makes o->out_dir exist, be writable, and hold no report of an earlier run
 * (only files leakcheck itself writes are removed). Returns 0, or -1 with a
 * message in err. */
static int prepare_out_dir(const char *dir, char *err, size_t n)
{
    static const char *const ours[] = {
        "verdict.txt", "program.stdout", "program.stderr", "memcheck.xml", "memcheck.log",
        "memcheck-text.stdout", "memcheck-text.stderr", "massif.out", "massif.start",
        "massif.end", "ms_print.txt", "ms_print.stdout", "ms_print.stderr", "census.txt",
        "gcc-analyzer.stdout", "gcc-analyzer.stderr", "gcc-analyzer.o", "clang-analyzer.sarif",
        "clang-analyzer.stdout", "clang-analyzer.stderr"};
    struct stat sb;
    if (make_dirs(dir) != 0 || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return snprintf(err, n, "cannot create report directory '%s': %s", dir,
                        strerror(errno ? errno : ENOTDIR)), -1;
    DIR *d = opendir(dir);
    if (d == NULL)
        return snprintf(err, n, "cannot read report directory '%s': %s", dir, strerror(errno)), -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const char *pid = strncmp(e->d_name, "lsan.log.", 9) == 0 ? e->d_name + 9 : NULL;
        int mine = pid != NULL && *pid != '\0' && strspn(pid, "0123456789") == strlen(pid);
        for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
            mine |= strcmp(e->d_name, ours[i]) == 0;
        if (mine)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    /* access() says yes to root even where nothing can be created: try it. */
    int fd = openat(dirfd(d), "verdict.txt", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int e = errno;
    if (fd >= 0)
        close(fd), unlinkat(dirfd(d), "verdict.txt", 0);
    closedir(d);
    if (fd < 0)
        return snprintf(err, n, "cannot write to report directory '%s': %s", dir,
                        strerror(e)), -1;
    return 0;
}

/* ---- the verdict ---------------------------------------------------------- */

static const char *word(int leak) { return leak ? "leak" : "clean"; }

/* Writes verdict.txt: one key=value per line, for scripts and graders.
 * static=1 marks a static tool's verdict, which no grade may come from. */
static void write_verdict(const struct options *o, int is_static, const char *status,
                          const struct findings *f)
{
    char path[4096];
    FILE *fp = path_join(path, sizeof path, o->out_dir, "verdict.txt") ? fopen(path, "w") : NULL;
    if (fp == NULL)
        return;
    fprintf(fp, "tool=%s\nstatic=%d\nexpect=%s\nstatus=%s\n", o->tool, is_static,
            o->expect == EXPECT_LEAK ? "leak" : "clean", status);
    if (strcmp(status, "unjudged") != 0 && strcmp(status, "skipped") != 0)
        fprintf(fp, "got=%s\nerrors=%d\n", word(f->leak), f->errors);
    fputs(f->metrics, fp);
    fprintf(fp, "summary=%s\nkinds=%s\nproblem=%s\nreports=%s\n", f->got, f->kinds,
            f->problem, f->reports);
    fclose(fp);
}

/* Returns the first kind of the list `want` that `got` lacks, copied into
 * buf, or NULL when got has them all. Both are comma-separated. */
static const char *missing_kind(const char *want, const char *got, char *buf, size_t n)
{
    for (const char *p = want; p != NULL && *p != '\0';) {
        size_t len = strcspn(p, ",");
        int found = 0;
        for (const char *q = got; *q != '\0';) {
            size_t qlen = strcspn(q, ",");
            found |= qlen == len && strncmp(p, q, len) == 0;
            q += qlen + (q[qlen] == ',');
        }
        if (!found)
            return snprintf(buf, n, "%.*s", (int)len, p), buf;
        p += len + (p[len] == ',');
    }
    return NULL;
}

/* Compares what was found with what was expected. Returns LC_PASS or LC_FAIL
 * and prints the verdict with its evidence. */
static int decide(const struct options *o, const struct findings *f)
{
    char lacking[64];
    int want_leak = o->expect == EXPECT_LEAK;
    int kinds_ok = missing_kind(o->kinds, f->kinds, lacking, sizeof lacking) == NULL;
    int ok = f->leak == want_leak && f->errors == 0 && kinds_ok;
    int site_ok = !(want_leak && o->site != NULL && f->leak) || f->site_found == 1;
    if (want_leak && o->site != NULL && f->leak)
        printf("  site     %s: %s\n", o->site, f->site_where);
    if (ok && site_ok) {
        printf("PASS     expected %s, got %s%s%s\n", word(want_leak), word(f->leak),
               f->kinds[0] ? ": " : "", f->kinds);
        return LC_PASS;
    }
    if (!ok && kinds_ok)
        printf("FAIL     expected %s, got %s%s\n", word(want_leak), word(f->leak),
               f->errors ? " with memory errors" : "");
    else if (!ok)
        printf("FAIL     expected the kinds %s, got %s (no %s)\n", o->kinds,
               f->kinds[0] ? f->kinds : "none", lacking);
    else
        printf("FAIL     expected a leak allocated under %s, got leaks elsewhere\n", o->site);
    printf("  expected %s%s%s\n", want_leak ? (o->site ? "a leak, with the site on its stack"
                                                     : "a leak")
                                          : "no leak and no memory error",
           o->kinds ? ", reported as " : "", o->kinds ? o->kinds : "");
    printf("  got      %s\n", f->got);
    if (f->context[0] != '\0')
        printf("  context\n%s", f->context);
    return LC_FAIL;
}

int main(int argc, char **argv)
{
    struct options o = {.timeout = 60, .max_output = 1 << 20,
                        .leak_kinds = KIND_DEFINITE | KIND_INDIRECT,
                        .growth_share = 0.25, .min_growth = 16384,
                        .max_procs = 256, .max_memory = (size_t)4 << 30, .max_cpu = -1,
                        .max_file_size = (size_t)1 << 30};
    struct findings f;
    char err[1024], program[4096], out_dir[4096], why[512];
    int expect_set = 0;
    memset(&f, 0, sizeof f);
    f.site_found = -1;

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout), 0;
    const struct tool *tool = parse_args(argc, argv, &o, &expect_set, err, sizeof err);
    if (tool == NULL) {
        fprintf(stderr, "leakcheck: %s\n\n", err);
        usage(stderr);
        return LC_UNJUDGED;
    }
    const char *subject = tool->is_static ? o.source : o.argv[0];
    if (o.out_dir == NULL) {
        const char *base = strrchr(subject, '/');
        snprintf(out_dir, sizeof out_dir, "%s/%s.%s", LEAKCHECK_REPORT_DIR,
                 base ? base + 1 : subject, o.tool);
        o.out_dir = out_dir;
    }
    if (prepare_out_dir(o.out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "leakcheck: %s\n", err);
        return LC_UNJUDGED;
    }
    printf("leakcheck %s:", o.tool);
    if (tool->is_static)
        printf(strpbrk(o.source, " \t'\"$\\") ? " '%s' with" : " %s with", o.source);
    for (char *const *a = o.argv; *a != NULL; a++)
        printf(strpbrk(*a, " \t'\"$\\") || **a == '\0' ? " '%s'" : " %s", *a);
    printf("\n");

    int rc;
    struct stat sb;
    if (tool->is_static) {
        o.program = o.source;
        if (stat(o.source, &sb) != 0 || !S_ISREG(sb.st_mode) || access(o.source, R_OK) != 0) {
            snprintf(f.problem, sizeof f.problem, "source '%s' not found or not readable",
                     o.source);
            rc = LC_UNJUDGED;
        } else if ((rc = tool->check(&o, why, sizeof why)) != 0)
            snprintf(f.problem, sizeof f.problem, "%s", why);
        else if ((rc = tool->judge(&o, &f)) == 0) {
            printf("  found    %s\n", f.got);
            rc = decide(&o, &f);
        }
    } else if ((o.program = find_in_path(o.argv[0], program, sizeof program)) == NULL) {
        snprintf(f.problem, sizeof f.problem, "program '%s' not found or not executable",
                 o.argv[0]);
        rc = LC_UNJUDGED;
    } else if ((rc = tool->check(&o, why, sizeof why)) != 0) {
        snprintf(f.problem, sizeof f.problem, "%s", why);
    } else if ((rc = tool->judge(&o, &f)) == 0) {
        printf("  found    %s\n", f.got);
        rc = decide(&o, &f);
    }
    if (rc == LC_SKIP)
        printf("SKIP     %s\n", f.problem);
    else if (rc == LC_UNJUDGED) {
        printf("ERROR    not judged: %s\n", f.problem);
        if (f.context[0] != '\0')
            printf("%s", f.context);
    }
    write_verdict(&o, tool->is_static, rc == LC_PASS ? "pass" : rc == LC_FAIL ? "fail"
                      : rc == LC_SKIP ? "skipped" : "unjudged", &f);
    char verdict[4096];
    if (path_join(verdict, sizeof verdict, o.out_dir, "verdict.txt") != NULL)
        add_report(&f, verdict);
    printf("reports  %s\n", f.reports[0] ? f.reports : "(none)");
    return rc;
}
