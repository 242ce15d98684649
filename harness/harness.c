/* harness.c: the library's entry points: the defaults, the detectors, the
 * findings, the report directory, and judging one program under one tool.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every detector: its name, its line of the usage message, whether it is
 * static, and its check() and judge() (tool_<name>.c). */
const struct tool harness_tools[] = {
    {"lsan", "LeakSanitizer; PROGRAM is an ASan (or -fsanitize=leak) build", 0,
     lsan_check, lsan_judge},
    {"memcheck", "Valgrind memcheck (XML verdict, text log kept); PROGRAM is a plain build", 0,
     valgrind_check, memcheck_judge},
    {"massif", "Valgrind massif: does the heap keep growing with work? PROGRAM is a plain build",
     0, valgrind_check, massif_judge},
    {"census", "threads and fds left alive when main ends (preload shim); any build", 0,
     census_check, census_judge},
    {"native", "no detector: the contained run, its output and its figures (peaks during main)",
     0, census_check, native_judge},
    {"gcc-analyzer", "gcc -fanalyzer on --source, read from its JSON diagnostics", 1,
     gcc_check, gcc_judge},
    {"clang-analyzer", "clang --analyze on --source, read from its SARIF output", 1,
     clang_check, clang_judge},
    {NULL, NULL, 0, NULL, NULL},
};

void harness_options_init(struct options *o)
{
    *o = (struct options){.timeout = 60, .max_output = 1 << 20,
                          .leak_kinds = KIND_DEFINITE | KIND_INDIRECT,
                          .text_log = TEXT_LOG_ALWAYS,
                          .growth_share = 0.25, .min_growth = 16384,
                          .max_procs = 256, .max_memory = (size_t)4 << 30, .max_cpu = -1,
                          .max_file_size = (size_t)1 << 30};
}

const struct tool *harness_tool(const char *name)
{
    for (const struct tool *t = harness_tools; t->name != NULL; t++)
        if (strcmp(name, t->name) == 0)
            return t;
    return NULL;
}

/* ---- findings ------------------------------------------------------------- */

void findings_init(struct findings *f)
{
    *f = (struct findings){.site_found = -1};
}

void findings_free(struct findings *f)
{
    struct text *texts[] = {&f->got, &f->kinds, &f->site_where, &f->context, &f->problem,
                            &f->checks, &f->program};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        text_free(texts[i]);
    list_free(&f->reports);
    free(f->figures);
    run_free(&f->run);
    findings_init(f);
}

void findings_figure(struct findings *f, const char *name, long value)
{
    if (f->figures_oom)
        return;
    if (f->nfigures == f->figures_cap) {
        size_t cap = f->figures_cap ? f->figures_cap * 2 : 16;
        struct figure *bigger = realloc(f->figures, cap * sizeof *bigger);
        if (bigger == NULL) {
            f->figures_oom = 1;
            return;
        }
        f->figures = bigger, f->figures_cap = cap;
    }
    f->figures[f->nfigures++] = (struct figure){name, value};
}

int findings_oom(const struct findings *f)
{
    const struct text *texts[] = {&f->got, &f->kinds, &f->site_where, &f->context,
                                  &f->problem, &f->checks, &f->program, &f->run.limits,
                                  &f->run.hint, &f->run.out_path, &f->run.err_path};
    int oom = f->figures_oom || f->reports.oom;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        oom |= texts[i]->oom;
    return oom;
}

void add_report(struct findings *f, const char *path)
{
    if (path != NULL && access(path, R_OK) == 0)
        list_add(&f->reports, path);
}

void findings_keep_run(struct findings *f, struct run *r)
{
    run_free(&f->run);
    f->run = *r;
    f->ran = 1;
    *r = (struct run){0};
}

int harness_run_tool(const struct options *o, const char *label, char *const argv[],
                     char *const env_add[], const char *what, const char *const reports[],
                     unsigned keep, struct findings *f)
{
    struct run r = {0};
    if (argv == NULL || run_program(o, label, argv, env_add, &r) != 0) {
        run_free(&r);
        return text_setf(&f->problem, "cannot run %s", what), LC_UNJUDGED;
    }
    for (size_t i = 0; reports != NULL && reports[i] != NULL; i++)
        add_report(f, reports[i]);
    if (keep & KEEP_STDOUT)
        add_report(f, text_str(&r.out_path));
    if (keep & KEEP_STDERR)
        add_report(f, text_str(&r.err_path));
    int judgeable = run_judgeable(&r, 0, f);
    findings_keep_run(f, &r);
    return judgeable ? 0 : LC_UNJUDGED;
}

/* ---- the report directory ------------------------------------------------ */

/* Returns 1 if `name` is a file the harness writes into a report directory. */
static int is_ours(const char *name)
{
    static const char *const ours[] = {
        "verdict.txt", "verdict.json", "program.stdout", "program.stderr", "memcheck.xml",
        "memcheck.log", "memcheck-fds.log", "memcheck-text.stdout", "memcheck-text.stderr",
        "massif.out", "massif.start", "massif.end", "heap.svg", "heap.svg.tmp", "ms_print.txt",
        "ms_print.stdout", "ms_print.stderr", "census.txt", "gcc-analyzer.stdout",
        "gcc-analyzer.stderr", "gcc-analyzer.o", "clang-analyzer.sarif", "clang-analyzer.stdout",
        "clang-analyzer.stderr", "leakcheck.stdout"};
    const char *pid = strncmp(name, "lsan.log.", 9) == 0      ? name + 9
                      : strncmp(name, "lsan.checks.", 12) == 0 ? name + 12
                                                               : NULL;
    if (pid != NULL && *pid != '\0' && strspn(pid, "0123456789") == strlen(pid))
        return 1;
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
        if (strcmp(name, ours[i]) == 0)
            return 1;
    return 0;
}

int harness_prepare_out_dir(const char *dir, struct text *err)
{
    struct stat sb;
    errno = 0;
    if (make_dirs(dir) != 0 || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return text_setf(err, "cannot create report directory '%s': %s", dir,
                         strerror(errno ? errno : ENOTDIR)), LC_UNJUDGED;
    DIR *d = opendir(dir);
    if (d == NULL)
        return text_setf(err, "cannot read report directory '%s': %s", dir, strerror(errno)),
               LC_UNJUDGED;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (is_ours(e->d_name))
            unlinkat(dirfd(d), e->d_name, 0);
    /* access() says yes to root even where nothing can be created: try it. */
    int fd = openat(dirfd(d), "verdict.txt", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int e = errno;
    if (fd >= 0)
        close(fd), unlinkat(dirfd(d), "verdict.txt", 0);
    closedir(d);
    if (fd < 0)
        return text_setf(err, "cannot write to report directory '%s': %s", dir, strerror(e)),
               LC_UNJUDGED;
    return 0;
}

/* ---- judging ---------------------------------------------------------------- */

int harness_judge(const struct options *o, struct findings *f)
{
    const struct tool *tool = harness_tool(o->tool);
    if (tool == NULL)
        return text_setf(&f->problem, "unknown tool '%s'", o->tool), LC_UNJUDGED;
    if (tool->is_static) {
        struct stat sb;
        if (o->source == NULL || stat(o->source, &sb) != 0 || !S_ISREG(sb.st_mode) ||
            access(o->source, R_OK) != 0)
            return text_setf(&f->problem, "source '%s' not found or not readable",
                             o->source ? o->source : "(none)"), LC_UNJUDGED;
        text_setf(&f->program, "%s", o->source);
    } else {
        char *program = find_in_path(o->argv[0]);
        if (program == NULL)
            return text_setf(&f->problem, "program '%s' not found or not executable",
                             o->argv[0]), LC_UNJUDGED;
        text_setf(&f->program, "%s", program);
        free(program);
    }
    struct options resolved = *o;
    resolved.program = text_str(&f->program);
    int rc = tool->check(&resolved, &f->problem);
    if (rc == 0)
        rc = tool->judge(&resolved, f);
    if (rc == 0 && findings_oom(f))
        rc = LC_UNJUDGED, text_setf(&f->problem, "out of memory while reading the reports");
    return rc;
}
