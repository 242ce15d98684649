/* leakcheck.c: runs a program under one leak detector and checks a verdict.
 *
 *   leakcheck --tool=lsan|memcheck|massif|census|native --expect=leak|clean
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
 * FILE.c with CFLAGS and read the compiler's diagnostics. The last line
 * printed names the report files; all that is printed on stdout is kept in
 * the report directory too, as leakcheck.stdout.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LEAKCHECK_REPORT_DIR
#define LEAKCHECK_REPORT_DIR "reports"
#endif

/* ---- the command line ---------------------------------------------------- */

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

/* The options' setters: each sets one field of o from the value v of
 * "--name=v" (NULL for a flag) and returns 0, or -1 with a message in err. */
typedef int setter(const char *v, struct options *o, struct text *err);

/* The string options' setter: the option's `field` of o points at v. */
static int set_string(const char *v, struct options *o, size_t field)
{
    *(const char **)((char *)o + field) = v;
    return 0;
}

static int set_expect(const char *v, struct options *o, struct text *err)
{
    if (strcmp(v, "leak") != 0 && strcmp(v, "clean") != 0)
        return text_setf(err, "--expect must be leak or clean, not '%s'", v), -1;
    o->expect = strcmp(v, "leak") == 0 ? EXPECT_LEAK : EXPECT_CLEAN;
    return 0;
}

static int set_timeout(const char *v, struct options *o, struct text *err)
{
    if (parse_number(v, 0.001, 86400, &o->timeout) != 0)
        return text_setf(err, "--timeout wants seconds in (0, 86400], not '%s'", v), -1;
    return 0;
}

static int set_max_output(const char *v, struct options *o, struct text *err)
{
    double d;
    if (parse_bytes(v, &d) != 0)
        return text_setf(err, "--max-output wants bytes, not '%s'", v), -1;
    o->max_output = d == 0 ? SIZE_MAX : (size_t)d; /* 0: no limit */
    return 0;
}

static int set_max_procs(const char *v, struct options *o, struct text *err)
{
    double d;
    if (parse_number(v, 0, 1e7, &d) != 0 || d != (long)d)
        return text_setf(err, "--max-procs wants a whole number, not '%s'", v), -1;
    o->max_procs = (long)d;
    return 0;
}

static int set_max_memory(const char *v, struct options *o, struct text *err)
{
    double d;
    if (parse_bytes(v, &d) != 0)
        return text_setf(err, "--max-memory wants bytes, not '%s'", v), -1;
    o->max_memory = (size_t)d;
    return 0;
}

static int set_max_cpu(const char *v, struct options *o, struct text *err)
{
    if (parse_number(v, 0, 86400, &o->max_cpu) != 0)
        return text_setf(err, "--max-cpu wants seconds in [0, 86400], not '%s'", v), -1;
    return 0;
}

static int set_max_file_size(const char *v, struct options *o, struct text *err)
{
    double d;
    if (parse_bytes(v, &d) != 0)
        return text_setf(err, "--max-file-size wants bytes, not '%s'", v), -1;
    o->max_file_size = (size_t)d;
    return 0;
}

static int set_leak_kinds(const char *v, struct options *o, struct text *err)
{
    if (parse_kinds(v, &o->leak_kinds) != 0)
        return text_setf(err, "--leak-kinds wants a list of definite,indirect,"
                              "possible,reachable, not '%s'", v), -1;
    return 0;
}

static int set_track_fds(const char *v, struct options *o, struct text *err)
{
    (void)v, (void)err;
    return o->track_fds = 1, 0;
}

static int set_text_log(const char *v, struct options *o, struct text *err)
{
    static const char *const whens[] = {"always", "on-failure", "never"};
    for (o->text_log = 0; o->text_log < 3 && strcmp(v, whens[o->text_log]) != 0;)
        o->text_log++;
    if (o->text_log == 3)
        return text_setf(err, "--text-log wants always, on-failure or never, not '%s'", v), -1;
    return 0;
}

static int set_pages_as_heap(const char *v, struct options *o, struct text *err)
{
    (void)v, (void)err;
    return o->pages_as_heap = 1, 0;
}

static int set_growth_share(const char *v, struct options *o, struct text *err)
{
    if (parse_number(v, 0.01, 1.0, &o->growth_share) != 0)
        return text_setf(err, "--growth-share wants a number in [0.01, 1], not '%s'", v), -1;
    return 0;
}

static int set_min_growth(const char *v, struct options *o, struct text *err)
{
    double d;
    if (parse_bytes(v, &d) != 0)
        return text_setf(err, "--min-growth wants bytes, not '%s'", v), -1;
    o->min_growth = (long)d;
    return 0;
}

/* Every option of leakcheck, in the order usage() and docs/harness.md list
 * them: the parser, the usage message and the docs' table (leakcheck
 * --options-table, which the test docs.options compares with the docs) all
 * read this one table. */
static const struct option_spec {
    const char *name;  /* "--site" */
    const char *arg;   /* what follows "=", e.g. "FUNCTION"; NULL: a flag */
    int non_empty;     /* 1: an empty value is an unknown option */
    const char *deflt; /* the default, as the docs write it; "" none */
    const char *help;  /* what it means (Markdown: `code`) */
    setter *set;       /* NULL: a string option, kept as given in o's `field` */
    size_t field;      /* offsetof(struct options, ...) of a string option */
} option_specs[] = {
    {"--tool", "TOOL", 0, "(required)",
     "`lsan`, `memcheck`, `massif`, `census`, `native`, or the static `gcc-analyzer`, "
     "`clang-analyzer` (below)", NULL, offsetof(struct options, tool)},
    {"--expect", "leak|clean", 0, "(required; not for `native`)", "the expectation to check",
     set_expect, 0},
    {"--source", "FILE.c", 1, "",
     "static tools (required there, refused elsewhere): the C file to analyse",
     NULL, offsetof(struct options, source)},
    {"--site", "FUNCTION", 1, "",
     "with `--expect=leak`: a leak's allocation stack must contain FUNCTION (census: a "
     "leftover thread must have started there). A C++ frame matches by its name without the "
     "parameter list: `ns::bad()` is found by `--site=ns::bad`, `--site=ns::bad()`, and by the "
     "unqualified `--site=bad`; not by `--site=other::bad`", NULL, offsetof(struct options, site)},
    {"--kinds", "LIST", 1, "",
     "the detector must report each of these kinds, leak or not (the kinds are listed per "
     "tool below); for a static tool, a listed non-leak warning is expected rather than an "
     "error", NULL, offsetof(struct options, kinds)},
    {"--timeout", "SECONDS", 0, "60",
     "wall time of each run of the program; then it is killed, with everything it started, "
     "and the run is not judged", set_timeout, 0},
    {"--out", "DIR", 1, "`build/reports/NAME-HASH.TOOL`",
     "the report directory; made if missing, and checked by creating a file in it before "
     "anything runs. In the default, HASH (8 hex digits) is that of the program's full path, "
     "so a leaky and a fixed twin of one name keep their own reports",
     NULL, offsetof(struct options, out_dir)},
    {"--max-output", "BYTES", 0, "1M", "how much of the program's stdout, and of its stderr, "
     "is kept", set_max_output, 0},
    {"--max-procs", "N", 0, "256", "processes and threads of one run, together", set_max_procs, 0},
    {"--max-memory", "BYTES", 0, "4G", "address space of each process; RSS of the program for "
     "a sanitizer build (ASan or standalone LSan)", set_max_memory, 0},
    {"--max-cpu", "SECONDS", 0, "the timeout", "CPU time of each process", set_max_cpu, 0},
    {"--max-file-size", "BYTES", 0, "1G", "size of each file the program writes",
     set_max_file_size, 0},
    {"--leak-kinds", "LIST", 0, "`definite,indirect`", "memcheck: the kinds that count as a leak",
     set_leak_kinds, 0},
    {"--track-fds", NULL, 0, "", "memcheck: file descriptors open at exit count as a leak",
     set_track_fds, 0},
    {"--text-log", "WHEN", 0, "`always`",
     "memcheck: when to run valgrind a second time, in text mode, for `memcheck.log`: "
     "`always`, `on-failure` (only when the expectation does not hold) or `never`. The verdict "
     "comes from the XML run either way; one run costs about half of two (`scripts/bench "
     "--memcheck`). The swap tests say `never`, the grader `on-failure`", set_text_log, 0},
    {"--pages-as-heap", NULL, 0, "", "massif: measure mapped pages instead of `malloc`",
     set_pages_as_heap, 0},
    {"--growth-share", "F", 0, "0.25",
     "massif: share of the rise that must come late to call it a leak", set_growth_share, 0},
    {"--min-growth", "BYTES", 0, "16K", "massif: and at least this many bytes", set_min_growth, 0},
};
#define NOPTIONS (sizeof option_specs / sizeof option_specs[0])

/* Prints s without its Markdown backticks, wrapped at 78 columns, each line
 * after the first indented by `indent` spaces; `col` is where s starts. */
static void print_wrapped(FILE *to, const char *s, int col, int indent)
{
    while (*s != '\0') {
        size_t word = strcspn(s, " ");
        size_t shown = word;
        for (size_t i = 0; i < word; i++)
            shown -= s[i] == '`';
        if (col > indent && col + 1 + (int)shown > 78) {
            fprintf(to, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent)
            fputc(' ', to), col++;
        for (size_t i = 0; i < word; i++)
            if (s[i] != '`')
                fputc(s[i], to);
        col += (int)shown;
        s += word;
        s += strspn(s, " ");
    }
    fputc('\n', to);
}

/* Prints the options as the Markdown table of docs/harness.md. */
static void options_table(void)
{
    printf("| option | default | meaning |\n|---|---|---|\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_spec *p = &option_specs[i];
        printf("| `%s", p->name);
        if (p->arg != NULL) {
            printf("=");
            for (const char *c = p->arg; *c != '\0'; c++)
                printf(*c == '|' ? "\\|" : "%c", *c); /* a | would end the cell */
        }
        printf("` | %s | %s |\n", p->deflt, p->help);
    }
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: leakcheck --tool=TOOL --expect=leak|clean [OPTIONS] -- PROGRAM [ARGS...]\n"
            "       leakcheck --tool=STATIC --expect=leak|clean --source=FILE.c [OPTIONS]\n"
            "                 -- [CFLAGS...]\n"
            "       leakcheck --list-tools | --options-table\n"
            "                 (each tool and whether it is static | the options, in Markdown)\n"
            "\n"
            "Runs PROGRAM under TOOL and checks that it leaks (or does not); a STATIC\n"
            "tool compiles FILE.c with CFLAGS instead and reads what the compiler's\n"
            "analyser claims. TOOL is one of:\n");
    for (size_t i = 0; harness_tools[i] != NULL; i++)
        fprintf(to, "  %-14s %s%s\n", harness_tools[i]->name,
                harness_tools[i]->is_static ? "(STATIC) " : "", harness_tools[i]->what);
    fprintf(to, "Options:\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_spec *p = &option_specs[i];
        if (i < 2)
            continue; /* --tool and --expect: in the usage lines above */
        int col = fprintf(to, "  %s%s%s", p->name, p->arg ? "=" : "", p->arg ? p->arg : "");
        if (col < 22)
            col += fprintf(to, "%*s", 22 - col, "");
        else
            col += fprintf(to, " ");
        struct text help = {0};
        text_setf(&help, "%s", p->help);
        if (p->field == offsetof(struct options, out_dir) && p->set == NULL)
            text_addf(&help, " (default %s/NAME-HASH.TOOL)", LEAKCHECK_REPORT_DIR);
        else if (*p->deflt != '\0')
            text_addf(&help, " (default %s)", p->deflt);
        print_wrapped(to, help.oom ? p->help : text_str(&help), col - 1, 22);
        text_free(&help);
    }
    fprintf(to,
            "BYTES may end in K, M or G (KiB, MiB, GiB). A --max-* of 0 means no limit;\n"
            "docs/harness.md says what each limit contains and what it does not.\n"
            "Exit status: 0 expectation holds, 1 it does not, 2 not judged or bad usage,\n"
            "77 the tool is not installed.\n");
}

/* Prints every tool, one a line: its name, a tab, and "static" (it reads
 * --source) or "runtime" (it runs PROGRAM), in the order of harness_tools[]:
 * the one list of tools, which the scripts and CMake's tests read. */
static void list_tools(void)
{
    for (size_t i = 0; harness_tools[i] != NULL; i++)
        printf("%s\t%s\n", harness_tools[i]->name,
               harness_tools[i]->is_static ? "static" : "runtime");
}

/* Parses one option into o. Returns 0, or -1 with a message in err. */
static int parse_option(const char *a, struct options *o, struct text *err)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option_spec *p = &option_specs[i];
        size_t n = strlen(p->name);
        if (strncmp(a, p->name, n) != 0)
            continue;
        if (p->arg == NULL && a[n] == '\0')
            return p->set(NULL, o, err);
        if (p->arg != NULL && a[n] == '=' && !(p->non_empty && a[n + 1] == '\0'))
            return p->set ? p->set(a + n + 1, o, err) : set_string(a + n + 1, o, p->field);
    }
    return text_setf(err, "unknown option '%s'", a), -1;
}

/* Fills o from argv. Returns the tool, or NULL with a message in err. */
static int parse_args(int argc, char **argv, struct options *o, struct text *err)
{
    int i, expect_set = 0;
    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strncmp(argv[i], "--expect=", 9) == 0)
            expect_set = 1;
        if (parse_option(argv[i], o, err) != 0)
            return -1;
    }
    const struct tool *tool = o->tool ? harness_tool(o->tool) : NULL;
    int is_static = tool != NULL && tool->is_static;
    if (i >= argc)
        return text_setf(err, "missing '--' before %s", is_static ? "CFLAGS" : "PROGRAM"), -1;
    if (i + 1 >= argc && !is_static)
        return text_setf(err, "missing PROGRAM after '--'"), -1;
    o->argv = argv + i + 1;
    if (o->tool != NULL && strcmp(o->tool, "native") == 0 && !expect_set)
        o->expect = EXPECT_CLEAN, expect_set = 1; /* native judges no leak */
    if (o->tool == NULL || !expect_set)
        return text_setf(err, "--tool and --expect are required"), -1;
    if (tool == NULL) {
        text_setf(err, "unknown tool '%s' (", o->tool);
        for (size_t t = 0; harness_tools[t] != NULL; t++)
            text_addf(err, "%s%s", t ? ", " : "", harness_tools[t]->name);
        return text_addf(err, ")"), -1;
    }
    if (is_static && o->source == NULL)
        return text_setf(err, "%s analyses a source file: --source=FILE.c is required",
                         tool->name), -1;
    if (!is_static && o->source != NULL)
        return text_setf(err, "--source is for the static tools; %s runs PROGRAM", tool->name),
               -1;
    if (o->site != NULL && o->expect != EXPECT_LEAK)
        return text_setf(err, "--site only makes sense with --expect=leak"), -1;
    return 0;
}

/* ---- the run -------------------------------------------------------------- */

/* Returns the 32-bit FNV-1a hash of s. */
static unsigned long fnv1a(const char *s)
{
    unsigned long h = 2166136261UL;
    for (; *s != '\0'; s++)
        h = ((h ^ (unsigned char)*s) * 16777619UL) & 0xffffffffUL;
    return h;
}

/* Returns the default report directory, LEAKCHECK_REPORT_DIR/NAME-HASH.TOOL,
 * written into buf: NAME is the program's file name, HASH that of its full
 * path, so two programs of one name (a leaky and a fixed twin) never share
 * one. A program not found keeps the name as given. */
static const char *default_out_dir(const struct options *o, struct text *buf)
{
    const char *subject = o->source != NULL ? o->source : o->argv[0];
    const char *base = strrchr(subject, '/');
    char *found = o->source != NULL ? strdup(o->source) : find_in_path(subject);
    char *full = found != NULL ? realpath(found, NULL) : NULL;
    text_setf(buf, "%s/%s-%08lx.%s", LEAKCHECK_REPORT_DIR, base ? base + 1 : subject,
              fnv1a(full ? full : subject), o->tool);
    free(full), free(found);
    return text_str(buf);
}

/* ---- the transcript ---------------------------------------------------- */

/* What leakcheck prints on stdout, kept to be written to leakcheck.stdout
 * in the report directory as well: `shown` bytes of it are printed. */
struct transcript {
    struct text said;
    size_t shown;
};

/* Prints what was added to t since the last call. */
static void show(struct transcript *t)
{
    fputs(text_str(&t->said) + t->shown, stdout);
    fflush(stdout);
    t->shown = t->said.len;
}

/* Writes t to DIR/leakcheck.stdout. Returns 0, or -1 with the reason in err. */
static int keep_transcript(const char *dir, const struct transcript *t, struct text *err)
{
    char *path = path_join(dir, "leakcheck.stdout");
    FILE *fp = path != NULL ? fopen(path, "w") : NULL;
    int ok = fp != NULL && !t->said.oom && fputs(text_str(&t->said), fp) >= 0;
    if (fp != NULL && fclose(fp) != 0)
        ok = 0;
    if (!ok)
        text_setf(err, "cannot write %s%s", path ? path : "the transcript",
                  t->said.oom ? ": out of memory" : "");
    free(path);
    return ok ? 0 : -1;
}

/* Adds the command being judged, quoting the arguments a shell would split. */
static void say_command(const struct options *o, struct text *t)
{
    text_addf(t, "leakcheck %s:", o->tool);
    if (o->source != NULL)
        text_addf(t, strpbrk(o->source, " \t'\"$\\") ? " '%s' with" : " %s with", o->source);
    for (char *const *a = o->argv; *a != NULL; a++)
        text_addf(t, strpbrk(*a, " \t'\"$\\") || **a == '\0' ? " '%s'" : " %s", *a);
    text_addf(t, "\n");
}

/* Adds the outcome of a run that was not judged (unjudged or skipped). */
static void say_unjudged(int rc, const struct findings *f, struct text *t)
{
    const char *problem = findings_oom(f) ? "out of memory" : text_str(&f->problem);
    if (rc == LC_SKIP) {
        text_addf(t, "SKIP     %s\n", problem);
        return;
    }
    text_addf(t, "ERROR    not judged: %s\n", problem);
    text_addf(t, "%s", text_str(&f->context));
}

int main(int argc, char **argv)
{
    struct options o;
    struct findings f;
    struct text err = {0}, out_dir = {0};
    struct transcript t = {0};
    harness_options_init(&o);
    findings_init(&f);

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return usage(stdout), 0;
    if (argc == 2 && strcmp(argv[1], "--list-tools") == 0)
        return list_tools(), 0;
    if (argc == 2 && strcmp(argv[1], "--options-table") == 0)
        return options_table(), 0;
    if (parse_args(argc, argv, &o, &err) != 0) {
        fprintf(stderr, "leakcheck: %s\n\n", text_str(&err));
        usage(stderr);
        return LC_UNJUDGED;
    }
    if (o.out_dir == NULL)
        o.out_dir = default_out_dir(&o, &out_dir);
    if (harness_prepare_out_dir(o.out_dir, &err) != 0) {
        fprintf(stderr, "leakcheck: %s\n", text_str(&err));
        return LC_UNJUDGED;
    }
    say_command(&o, &t.said);
    show(&t);
    int rc = harness_judge(&o, &f);
    if (rc == 0) {
        text_addf(&t.said, "  found    %s\n", text_str(&f.got));
        rc = harness_decide(&o, &f, &t.said);
    } else
        say_unjudged(rc, &f, &t.said);
    if (harness_write_verdict(&o, rc, &f) != 0)
        fprintf(stderr, "leakcheck: %s\n", text_str(&f.problem));
    text_addf(&t.said, "reports  ");
    for (size_t i = 0; i < f.reports.n; i++)
        text_addf(&t.said, "%s%s", i ? " " : "", f.reports.item[i]);
    text_addf(&t.said, "%s\n", f.reports.n ? "" : "(none)");
    show(&t);
    if (keep_transcript(o.out_dir, &t, &err) != 0)
        fprintf(stderr, "leakcheck: %s\n", text_str(&err));
    findings_free(&f);
    text_free(&err), text_free(&out_dir), text_free(&t.said);
    return rc;
}
