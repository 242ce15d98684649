/* leakcheck.h: the interface shared by the leakcheck driver and its detectors.
 *
 * leakcheck runs one program under one detector and compares what the
 * detector reports with what the caller expected (a leak, or none). Each
 * detector lives in its own tool_<name>.c and fills a struct findings from
 * the detector's own report files; the driver (leakcheck.c) owns the command
 * line, the report directory and the verdict.
 */
#ifndef LEAKCHECK_H
#define LEAKCHECK_H

#include <stddef.h>

/* Exit statuses of leakcheck, also used as return codes inside it. */
enum {
    LC_PASS = 0,     /* the expectation holds */
    LC_FAIL = 1,     /* it does not: expected and got differ */
    LC_UNJUDGED = 2, /* the program could not be judged, or bad usage */
    LC_SKIP = 77,    /* the detector is not installed here */
};

enum expect { EXPECT_LEAK, EXPECT_CLEAN };

/* Memcheck's leak kinds, as valgrind names them (--show-leak-kinds). */
enum {
    KIND_DEFINITE = 1 << 0,
    KIND_INDIRECT = 1 << 1,
    KIND_POSSIBLE = 1 << 2,
    KIND_REACHABLE = 1 << 3,
};

/* What the caller asked for. Filled by the driver; read-only for tools. */
struct options {
    const char *tool;
    enum expect expect;
    const char *site;     /* FUNCTION that must be on a leak's stack, or NULL */
    const char *source;   /* static tools: the C file analysed, or NULL */
    const char *kinds;    /* comma-separated kinds that must be reported, or NULL */
    double timeout;       /* seconds, per run of the program */
    const char *out_dir;  /* where every report goes; exists and is writable */
    char *const *argv;    /* the program and its arguments, NULL-terminated; for a
                             static tool, the compile flags (possibly none) */
    const char *program;  /* argv[0] resolved to a path; a static tool: the source */
    size_t max_output;    /* bytes of the program's stdout/stderr kept, each */
    unsigned leak_kinds;  /* memcheck: which KIND_* count as a leak */
    int track_fds;        /* memcheck: fds open at exit count as a leak */
    int pages_as_heap;    /* massif: measure pages mapped, not malloc'd bytes */
    double growth_share;  /* massif: late growth share that makes a leak */
    long min_growth;      /* massif: late growth, in bytes, that makes a leak */
    long max_procs;       /* processes and threads of a run, together; 0: no limit */
    size_t max_memory;    /* bytes of address space (ASan builds: of RSS); 0: no limit */
    double max_cpu;       /* CPU seconds per process; 0: no limit; < 0: the timeout */
    size_t max_file_size; /* bytes per file the program writes; 0: no limit */
};

/* What a detector found. Text fields are NUL-terminated, possibly empty. */
struct findings {
    int leak;              /* 1: the detector reports a leak; 0: clean */
    int errors;            /* memory errors (not leaks) the detector reported */
    char got[256];         /* one line: what was found, with figures */
    char kinds[128];       /* comma-separated kinds seen, e.g. "direct,indirect" */
    int site_found;        /* 1 the site is on a leak's stack, 0 not, -1 unknown */
    char site_where[256];  /* where it was found, or what stacks were seen */
    char context[4096];    /* lines of the report that carry the evidence */
    char reports[1024];    /* space-separated report files, for the last line */
    char problem[512];     /* why the program could not be judged, if so */
    char metrics[512];     /* "name=number" lines for verdict.txt (bytes, counts) */
};

/* A detector. A static one (is_static) never runs the program: it analyses
 * o->source, compiled with the flags in o->argv, and its findings are claims
 * about paths, not observations; graders must not award points from them.
 * check() says whether it can run here: returns 0, or LC_SKIP or
 * LC_UNJUDGED with a reason in why. judge() runs the program under the
 * detector (as many times as it needs) and fills f; it returns 0 when the
 * program was judged, LC_UNJUDGED (with f->problem set) when it could not be. */
struct tool {
    const char *name;
    const char *what; /* one line for the usage message */
    int is_static;    /* 1: reads the source (--source), does not run it */
    int (*check)(const struct options *o, char *why, size_t n);
    int (*judge)(const struct options *o, struct findings *f);
};

extern const struct tool tool_lsan, tool_memcheck, tool_massif, tool_census;
extern const struct tool tool_gcc_analyzer, tool_clang_analyzer;

/* ---- running the program (run.c) ---------------------------------------- */

enum run_end { RUN_EXITED, RUN_SIGNALED, RUN_TIMED_OUT, RUN_NOT_STARTED };

struct run {
    enum run_end end;
    int code;          /* exit status, or signal number */
    long pid;          /* the program's process id */
    double seconds;    /* wall time of the run */
    int truncated;     /* the program's output went past max_output */
    int leftovers;     /* processes it left behind, killed when it ended */
    char limits[256];  /* "; "-separated resource limits it hit, as far as known */
    char hint[160];    /* a likely cause that is not a limit hit, e.g. memory use */
    char out_path[512];
    char err_path[512];
};

/* Runs argv (argv[0] a path) with env_add ("NAME=value" strings, NULL-ended,
 * set on top of our environment) in a new process group, stdin from
 * /dev/null, stdout and stderr kept in <out_dir>/<label>.stdout and .stderr
 * (capped at o->max_output), under the limits o->max_*, killed with all it
 * started after o->timeout. Whatever it left running when it exits is killed.
 * Returns 0 and fills r; returns -1 with errno set if it could not fork. */
int run_program(const struct options *o, const char *label, char *const argv[],
                char *const env_add[], struct run *r);

/* Describes how a run ended ("exited 0 after 0.41 s", "was killed by signal
 * 11 (SIGSEGV) after 0.02 s"), with the limits it hit, into buf; returns buf. */
const char *run_describe(const struct run *r, char *buf, size_t n);

/* Returns 1 when the run ended with exit status `ok_code` and hit none of its
 * limits (a program refused a fork may take a path it would not take
 * unconstrained); otherwise writes why the program cannot be judged into
 * f->problem (with the tail of its output into f->context) and returns 0. */
int run_judgeable(const struct run *r, int ok_code, struct findings *f);

/* ---- small helpers (util.c) --------------------------------------------- */

/* Returns the file's contents, NUL-terminated, or NULL (errno set). At most
 * `max` bytes are read. The caller frees the result. */
char *read_file(const char *path, size_t max, size_t *len);

/* Joins dir and name into buf; returns buf, or NULL if it does not fit. */
char *path_join(char *buf, size_t n, const char *dir, const char *name);

/* Appends formatted text to buf (of size n), truncating silently. */
void appendf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds path to f->reports if the file exists. */
void add_report(struct findings *f, const char *path);

/* Returns the path of an executable called `name` found in PATH, written
 * into buf, or NULL. A name with a '/' is checked as it is. */
char *find_in_path(const char *name, char *buf, size_t n);

/* Returns a new argv: the strings of prefix (NULL-ended, may be NULL), then
 * the program's resolved path and its arguments. The caller frees the array
 * (not the strings). Returns NULL when out of memory. */
char **command_argv(const char *const prefix[], const struct options *o);

/* Returns 1 if the program at path is built with AddressSanitizer (it
 * names __asan_init, statically linked or not), else 0. */
int is_asan_build(const char *path);

/* The check() of the valgrind tools: LC_SKIP when valgrind is not installed,
 * LC_UNJUDGED for an ASan build (valgrind cannot run one), else 0. */
int valgrind_check(const struct options *o, char *why, size_t n);

/* Adds `kind` to the comma-separated list f->kinds unless it is there. */
void add_kind(struct findings *f, const char *kind);

/* Returns 1 if `kind` is one of the comma-separated `list` (NULL: none). */
int kind_listed(const char *list, const char *kind);

/* For static tools: returns a new argv of prefix (NULL-ended), then the
 * compile flags o->argv, then suffix (NULL-ended). The caller frees the array
 * (not the strings). Returns NULL when out of memory. */
char **compile_argv(const char *const prefix[], const struct options *o,
                    const char *const suffix[]);

/* For static tools, once every warning is read into f: sets f->leak, the
 * metrics and the summary from the counts, and f->site_where to `site_miss`
 * when --site was asked for and no leak warning names it. */
void static_findings(const struct options *o, struct findings *f, int warnings, int leaks,
                     const char *site_miss);

/* Returns 1 if the string `needle` occurs in the file at path, else 0. */
int file_contains(const char *path, const char *needle);

#endif
