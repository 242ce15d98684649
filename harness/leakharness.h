/* leakharness.h: the harness library (libleakharness.a), which runs a
 * program under one leak detector and says what the detector found.
 *
 * leakcheck is its command line; any other C program (a grader, a report
 * writer) links the library and calls the same functions:
 *
 *     struct options o;
 *     struct findings f;
 *     harness_options_init(&o);          // the defaults of every option
 *     o.tool = "memcheck"; o.expect = EXPECT_LEAK; o.out_dir = dir; o.argv = argv;
 *     findings_init(&f);
 *     int rc = harness_prepare_out_dir(o.out_dir, &f.problem);
 *     if (rc == 0)
 *         rc = harness_judge(&o, &f);    // 0 judged, LC_UNJUDGED, LC_SKIP
 *     if (rc == 0)
 *         rc = harness_decide(&o, &f, NULL);   // LC_PASS or LC_FAIL
 *     harness_write_verdict(&o, rc, &f); // verdict.txt and verdict.json
 *     findings_free(&f);
 *
 * Each detector lives in its own tool_<name>.c and fills a struct findings
 * from the detector's own report files, never from the program's output.
 * docs/harness.md describes the verdict files.
 */
#ifndef LEAKHARNESS_H
#define LEAKHARNESS_H

#include <stdarg.h>
#include <stddef.h>

/* Exit statuses of leakcheck, also the return codes of the library. */
enum {
    LC_PASS = 0,     /* the expectation holds */
    LC_FAIL = 1,     /* it does not: expected and got differ */
    LC_UNJUDGED = 2, /* the program could not be judged, or bad usage */
    LC_SKIP = 77,    /* the detector is not installed here */
};

enum expect { EXPECT_LEAK, EXPECT_CLEAN };

/* When memcheck writes its text log (--text-log): always, only when the
 * expectation does not hold, or never. */
enum { TEXT_LOG_ALWAYS, TEXT_LOG_ON_FAILURE, TEXT_LOG_NEVER };

/* Memcheck's leak kinds, as valgrind names them (--show-leak-kinds). */
enum {
    KIND_DEFINITE = 1 << 0,
    KIND_INDIRECT = 1 << 1,
    KIND_POSSIBLE = 1 << 2,
    KIND_REACHABLE = 1 << 3,
};

/* ---- growable text (text.c) ---------------------------------------------- */

/* A NUL-terminated string that grows as text is added: nothing is ever cut.
 * If an allocation fails, `oom` is set and stays set (later additions are
 * ignored), so a caller checks it once at the end instead of after each
 * call. A zeroed struct text is an empty text. */
struct text {
    char *s;    /* the text, or NULL while empty (text_str gives "") */
    size_t len; /* strlen(s) */
    size_t cap; /* bytes allocated at s */
    int oom;    /* 1: an addition failed for lack of memory */
};

/* Appends formatted text. */
void text_addf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends formatted text, the arguments in ap. */
void text_vaddf(struct text *t, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Replaces the text with formatted text. */
void text_setf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the text, "" when empty; valid until the next change. */
const char *text_str(const struct text *t);
/* Empties the text (keeping its memory and its oom flag). */
void text_clear(struct text *t);
/* Frees the text's memory; t is then empty and may be reused. */
void text_free(struct text *t);

/* A growable list of strings, each copied (the list owns its copies). Like
 * struct text, it has a sticky oom flag. A zeroed struct list is empty. */
struct list {
    char **item;
    size_t n, cap;
    int oom;
};

/* Appends a copy of s. */
void list_add(struct list *l, const char *s);
/* Frees every copy and the array; l is then empty. */
void list_free(struct list *l);

/* ---- what the caller asks for -------------------------------------------- */

/* Filled by the caller (harness_options_init gives the defaults); read-only
 * for the library. Strings are the caller's and must outlive the calls. */
struct options {
    const char *tool;     /* "lsan", "memcheck", "massif" or "census" */
    enum expect expect;
    const char *site;     /* FUNCTION that must be on a leak's stack, or NULL */
    const char *source;   /* static tools: the C file analysed, or NULL */
    const char *kinds;    /* comma-separated kinds that must be reported, or NULL */
    double timeout;       /* seconds, per run of the program */
    const char *out_dir;  /* where every report goes (harness_prepare_out_dir) */
    char *const *argv;    /* the program and its arguments, NULL-terminated; for a
                             static tool, the compile flags (possibly none) */
    const char *program;  /* argv[0] resolved to a path (a static tool: the
                             source): set by harness_judge */
    size_t max_output;    /* bytes of the program's stdout/stderr kept, each; 0: no limit */
    unsigned leak_kinds;  /* memcheck: which KIND_* count as a leak */
    int track_fds;        /* memcheck: fds open at exit count as a leak */
    int text_log;         /* memcheck: when to run valgrind a second time, in text
                             mode, for the memcheck.log a student reads (the
                             verdict is the same): TEXT_LOG_* */
    int pages_as_heap;    /* massif: measure pages mapped, not malloc'd bytes */
    double growth_share;  /* massif: late growth share that makes a leak */
    size_t min_growth;    /* massif: late growth, in bytes, that makes a leak */
    long max_procs;       /* processes and threads of a run, together; 0: no limit */
    size_t max_memory;    /* bytes of address space (ASan builds: of RSS); 0: no limit */
    double max_cpu;       /* CPU seconds per process; 0: no limit; < 0: the timeout */
    size_t max_file_size; /* bytes per file the program writes; 0: no limit */
};

/* Fills o with the default of every option; tool, argv and out_dir NULL. */
void harness_options_init(struct options *o);

/* ---- running the program (run.c) ---------------------------------------- */

enum run_end { RUN_EXITED, RUN_SIGNALED, RUN_TIMED_OUT, RUN_NOT_STARTED };

/* How one run of a program ended. run_program fills it; run_free frees it. */
struct run {
    enum run_end end;
    int code;            /* exit status, signal number, or errno of a failed start */
    long pid;            /* the program's process id */
    double seconds;      /* wall time of the run */
    int truncated;       /* the program's output went past max_output */
    int leftovers;       /* processes it left behind, killed when it ended */
    struct text limits;  /* "; "-separated resource limits it hit, as far as known */
    struct text hint;    /* a likely cause that is not a limit hit, e.g. memory use */
    struct text out_path, err_path; /* where its stdout and stderr were kept */
};

/* Runs argv (argv[0] a path) with env_add ("NAME=value" strings, NULL-ended,
 * set on top of our environment) in a new process group, stdin from
 * /dev/null, stdout and stderr kept in <out_dir>/<label>.stdout and .stderr
 * (capped at o->max_output), under the limits o->max_*, killed with all it
 * started after o->timeout. Whatever it left running when it exits is killed.
 * Returns 0 and fills r; returns -1 with errno set if it could not fork. In
 * both cases the caller frees r with run_free. */
int run_program(const struct options *o, const char *label, char *const argv[],
                char *const env_add[], struct run *r);

/* Frees what r holds. */
void run_free(struct run *r);

struct findings;
/* Returns 1 when the run ended with exit status `ok_code` and hit none of its
 * limits (a program refused a fork may take a path it would not take
 * unconstrained); otherwise writes why the program cannot be judged into
 * f->problem (with the tail of its output into f->context) and returns 0. */
int run_judgeable(const struct run *r, int ok_code, struct findings *f);

/* Which of a tool run's own outputs are reports (harness_run_tool). */
enum { KEEP_STDOUT = 1 << 0, KEEP_STDERR = 1 << 1 };

/* The opening every detector's judge() shares: runs argv (NULL: out of
 * memory) as `label` with env_add (run_program); adds to f->reports the
 * files of `reports` (NULL-ended, or NULL; those that exist), then the
 * run's stdout and stderr as `keep` says; judges the run (run_judgeable,
 * exit status 0) and keeps it in f (findings_keep_run). Returns 0 when the
 * run can be judged; else LC_UNJUDGED with f->problem saying why ("cannot
 * run WHAT" when it never started). */
int harness_run_tool(const struct options *o, const char *label, char *const argv[],
                     char *const env_add[], const char *what, const char *const reports[],
                     unsigned keep, struct findings *f);

/* Appends how a run ended ("exited 0 after 0.41 s", "was killed by signal
 * 11 (SIGSEGV) after 0.02 s"), with the limits it hit, to out. */
void run_describe(const struct run *r, struct text *out);

/* ---- what a detector found ----------------------------------------------- */

/* One figure of a detector: a count or a number of bytes. */
struct figure {
    const char *name; /* a static string, e.g. "direct_bytes" */
    long value;
};

/* What the detector found. findings_init, then harness_judge, then
 * findings_free. Every text field may be empty. */
struct findings {
    int leak;               /* 1: the detector reports a leak; 0: clean */
    int errors;             /* memory errors (not leaks) the detector reported */
    struct text got;        /* one line: what was found, with figures */
    struct text kinds;      /* comma-separated kinds seen, e.g. "direct,indirect" */
    int site_found;         /* 1 the site is on a leak's stack, 0 not, -1 unknown */
    struct text site_where; /* where it was found, or what stacks were seen */
    struct text context;    /* lines of the report that carry the evidence, each
                               indented by four spaces and ending in '\n' */
    struct list reports;    /* the report files, in the order they were written */
    struct text problem;    /* why the program could not be judged, if so */
    struct figure *figures; /* the detector's figures, in order (findings_figure) */
    size_t nfigures, figures_cap;
    int figures_oom;
    struct text checks;     /* checks the program ran itself, reported apart */
    int ran;                /* 1: `run` is the run that was judged */
    struct run run;         /* how that run of the program ended */
    struct text program;    /* the program's resolved path (harness_judge) */
};

void findings_init(struct findings *f);
void findings_free(struct findings *f);

/* Appends (name, value) to f's figures; name must be a static string. */
void findings_figure(struct findings *f, const char *name, long value);

/* Returns 1 if an addition to any field of f failed for lack of memory. */
int findings_oom(const struct findings *f);

/* Adds path to f->reports if the file exists. */
void add_report(struct findings *f, const char *path);

/* Keeps r as the judged run of f (f then owns what r held; r is emptied). */
void findings_keep_run(struct findings *f, struct run *r);

/* ---- the detectors -------------------------------------------------------- */

/* A detector. A static one (is_static) never runs the program: it analyses
 * o->source, compiled with the flags in o->argv, and its findings are claims
 * about paths, not observations of a run; no grade may come from them.
 * check() says whether it can run here: returns 0, or LC_SKIP or
 * LC_UNJUDGED with a reason in why. judge() runs the program under the
 * detector (as many times as it needs) and fills f; it returns 0 when the
 * program was judged, LC_UNJUDGED (with f->problem set) when it could not be. */
typedef int tool_check(const struct options *o, struct text *why);
typedef int tool_judge(const struct options *o, struct findings *f);

struct tool {
    const char *name;
    const char *what; /* one line for the usage message */
    int is_static;    /* 1: reads o->source (--source), does not run a program */
    tool_check *check;
    tool_judge *judge;
};

/* Each detector's check() and judge(), in its tool_<name>.c; the valgrind
 * tools share valgrind_check (util.c): LC_SKIP when valgrind is not
 * installed, LC_UNJUDGED for a sanitizer build (valgrind cannot run one),
 * else 0. */
tool_check lsan_check, valgrind_check, census_check, gcc_check, clang_check;
tool_judge lsan_judge, memcheck_judge, massif_judge, census_judge, native_judge, gcc_judge,
    clang_judge;

/* Every detector, in the order of the usage message; the last one's name is
 * NULL. */
extern const struct tool harness_tools[];

/* Returns the detector called name, or NULL. */
const struct tool *harness_tool(const char *name);

/* ---- the library's main calls (harness.c, verdict.c) ----------------------- */

/* Makes dir exist, be writable, and hold no report of an earlier run (only
 * files the harness itself writes are removed). Returns 0, or LC_UNJUDGED
 * with the reason in err. */
int harness_prepare_out_dir(const char *dir, struct text *err);

/* Resolves o->argv[0] (into f->program), checks that o->tool can run it
 * here, and runs it under the tool, filling f. Returns 0 when the program
 * was judged, LC_SKIP (tool missing here) or LC_UNJUDGED, with f->problem
 * saying why. o->out_dir must have been prepared. */
int harness_judge(const struct options *o, struct findings *f);

/* Compares judged findings with what o expects. Returns LC_PASS or LC_FAIL.
 * When says is not NULL, appends the verdict for a reader: a PASS line, or
 * FAIL with expected, got and the evidence. */
int harness_decide(const struct options *o, const struct findings *f, struct text *says);

/* Returns "pass", "fail", "unjudged" or "skipped" for an LC_* status. */
const char *harness_status_name(int status);

/* Writes verdict.txt (key=value lines) and verdict.json (docs/harness.md has
 * the schema) into o->out_dir and adds both to f->reports. `status` is the
 * LC_* outcome. Returns 0, or -1 with the reason in f->problem. */
int harness_write_verdict(const struct options *o, int status, struct findings *f);

/* ---- small helpers (util.c) --------------------------------------------- */

/* Returns the file's contents, NUL-terminated, or NULL (errno set). At most
 * `max` bytes are read. The caller frees the result. */
char *read_file(const char *path, size_t max, size_t *len);

/* Creates dir and its parents (mode 0755) where missing. Returns 0, or -1
 * with errno set. */
int make_dirs(const char *dir);

/* Returns dir/name as a new string (the caller frees it), or NULL when out
 * of memory. */
char *path_join(const char *dir, const char *name);

/* Returns the path of an executable called `name` found in PATH, as a new
 * string (the caller frees it), or NULL. A name with a '/' is checked as it
 * is. */
char *find_in_path(const char *name);
/* The harness's preload shims (harness/CMakeLists.txt builds them). */
enum shim {
    SHIM_PRELOAD, /* libleakcheck-preload.so: massif's marks of main's start and end */
    SHIM_FIGURES, /* libleakcheck-figures.so: the census and the figures of main's run */
    SHIM_LSAN,    /* libleakcheck-lsan.so: LSan's exit-time check, in a report of its own */
};

/* Returns the path of one of the harness's shims: the value of its
 * environment variable (LEAKCHECK_PRELOAD, LEAKCHECK_FIGURES_PRELOAD,
 * LEAKCHECK_LSAN_PRELOAD) when it is set, else its path in the build. */
const char *harness_shim(enum shim shim);

/* Returns "LD_PRELOAD=..." with the shim added to our own LD_PRELOAD, as a
 * new string (the caller frees it), or NULL when out of memory. */
char *shim_preload(enum shim shim);

/* Returns a new argv: the strings of prefix (NULL-ended, may be NULL), then
 * the program's resolved path and its arguments. The caller frees the array
 * (not the strings). Returns NULL when out of memory. */
char **command_argv(const char *const prefix[], const struct options *o);

/* Returns 1 if the program at path is built with AddressSanitizer (it
 * names __asan_init, statically linked or not), else 0. */
int is_asan_build(const char *path);

/* Returns 1 if the function name fn (len bytes, as a detector prints it)
 * is the --site `site`: the same name; or, for a C++ name, the same once
 * its parameter list is dropped ("ns::bad()" is the site "ns::bad") and,
 * when site names no scope, its last component ("ns::bad()" is "bad"). */
int site_matches(const char *site, const char *fn, size_t len);

/* Returns 1 if the program at path has a sanitizer runtime with LeakSanitizer
 * in it: an ASan build, or a standalone -fsanitize=leak build. */
int is_sanitizer_build(const char *path);

/* Adds `kind` to the comma-separated list f->kinds unless it is there. */
void add_kind(struct findings *f, const char *kind);

/* Returns 1 if `kind` is one of the comma-separated `list` (NULL: none). */
int kind_listed(const char *list, const char *kind);

/* For static tools: returns a new argv of prefix (NULL-ended), then the
 * compile flags o->argv, then suffix (NULL-ended). The caller frees the array
 * (not the strings). Returns NULL when out of memory. */
char **compile_argv(const char *const prefix[], const struct options *o,
                    const char *const suffix[]);

/* For static tools: runs an analyser as harness_run_tool does (argv NULL:
 * out of memory; `what` names it, e.g. "gcc"), in the C locale, keeping
 * `reports` and its stderr. When it ran and failed, f->problem ends in
 * "(WHAT could not DOING o->source)". Returns 0, or LC_UNJUDGED. */
int run_analyser(const struct options *o, const char *label, char *const argv[],
                 const char *what, const char *doing, const char *const reports[],
                 struct findings *f);

/* One warning of a static analyser, as its tool read it. Any field but
 * kind may be NULL. */
struct static_warning {
    const char *kind;     /* e.g. "malloc-leak", "use-after-free" */
    int leak;             /* 1: a leak warning */
    const char *file;     /* where the analyser puts it */
    long line;
    const char *message;  /* the analyser's message */
    const char *rule;     /* the analyser's name for the check */
    const char *function; /* a leak's allocating function, if named */
};

/* Adds warning w to f: its kind, an error if it is not a leak and o->kinds
 * does not list it, a context line, and the site when w's function is
 * o->site (described as `site_how`, then the place). */
void static_warning(const struct options *o, struct findings *f, const struct static_warning *w,
                    const char *site_how);

/* For static tools, once every warning is read into f: sets f->leak, the
 * figures and the summary from the counts, and f->site_where to `site_miss`
 * when --site was asked for and no leak warning names it. */
void static_findings(const struct options *o, struct findings *f, int warnings, int leaks,
                     const char *site_miss);

/* Returns 1 if the string `needle` occurs in the file at path, else 0. */
int file_contains(const char *path, const char *needle);

#endif
