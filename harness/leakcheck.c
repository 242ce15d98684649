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

/* The setters of the options that are not one of the kinds below: each
 * sets its field of o from the value v of "--name=v" and returns 0, or -1
 * with a message in err. */
typedef int setter(const char *v, struct options *o, struct text *err);

static int set_expect(const char *v, struct options *o, struct text *err)
{
    if (strcmp(v, "leak") != 0 && strcmp(v, "clean") != 0)
        return text_setf(err, "--expect must be leak or clean, not '%s'", v), -1;
    o->expect = strcmp(v, "leak") == 0 ? EXPECT_LEAK : EXPECT_CLEAN;
    return 0;
}

static int set_leak_kinds(const char *v, struct options *o, struct text *err)
{
    if (parse_kinds(v, &o->leak_kinds) != 0)
        return text_setf(err, "--leak-kinds wants a list of definite,indirect,"
                              "possible,reachable, not '%s'", v), -1;
    return 0;
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

/* How an option's value is read, and the type of the field of struct
 * options it sets. */
enum option_kind {
    OPT_STRING, /* const char *: the value, as given */
    OPT_FLAG,   /* int: 1 (the option takes no value) */
    OPT_NUMBER, /* double: a number in [lo, hi] */
    OPT_COUNT,  /* long: a whole number in [lo, hi] */
    OPT_BYTES,  /* size_t: a byte count, which may end in K, M or G */
    OPT_OTHER,  /* its own setter */
};

/* Every option of leakcheck, in the order usage() and docs/harness.md list
 * them: the parser, the usage message and the docs' table (leakcheck
 * --options-table, which the test docs.options compares with the docs) all
 * read this one table. */
static const struct option_spec {
    const char *name;      /* "--site" */
    const char *arg;       /* what follows "=", e.g. "FUNCTION"; NULL: a flag */
    int non_empty;         /* 1: an empty value is an unknown option */
    const char *deflt;     /* the default, as the docs write it; "" none */
    enum option_kind kind; /* how the value is read */
    size_t field;          /* offsetof(struct options, ...) of the field it sets */
    setter *set;           /* OPT_OTHER: sets the option instead */
    double lo, hi;         /* OPT_NUMBER, OPT_COUNT: the values allowed */
    const char *wants;     /* numbers: what a bad value is told the option wants */
    const char *help;      /* what it means (Markdown: `code`) */
} option_specs[] = {
    {"--tool", "TOOL", 0, "(required)", OPT_STRING, offsetof(struct options, tool),
     .help = "`lsan`, `memcheck`, `massif`, `census`, `native`, or the static `gcc-analyzer`, "
             "`clang-analyzer` (below)"},
    {"--expect", "leak|clean", 0, "(required; not for `native`)", OPT_OTHER, .set = set_expect,
     .help = "the expectation to check"},
    {"--source", "FILE.c", 1, "", OPT_STRING, offsetof(struct options, source),
     .help = "static tools (required there, refused elsewhere): the C file to analyse"},
    {"--site", "FUNCTION", 1, "", OPT_STRING, offsetof(struct options, site),
     .help = "with `--expect=leak`: a leak's allocation stack must contain FUNCTION (census: a "
             "leftover thread must have started there). A C++ frame matches by its name "
             "without the parameter list: `ns::bad()` is found by `--site=ns::bad`, "
             "`--site=ns::bad()`, and by the unqualified `--site=bad`; not by "
             "`--site=other::bad`"},
    {"--kinds", "LIST", 1, "", OPT_STRING, offsetof(struct options, kinds),
     .help = "the detector must report each of these kinds, leak or not (the kinds are listed "
             "per tool below); for a static tool, a listed non-leak warning is expected rather "
             "than an error"},
    {"--timeout", "SECONDS", 0, "60", OPT_NUMBER, offsetof(struct options, timeout),
     .lo = 0.001, .hi = 86400, .wants = "seconds in (0, 86400]",
     .help = "wall time of each run of the program; then it is killed, with everything it "
             "started, and the run is not judged"},
    {"--out", "DIR", 1, "`build/reports/NAME-HASH.TOOL`",
     OPT_STRING, offsetof(struct options, out_dir),
     .help = "the report directory; made if missing, and checked by creating a file in it "
             "before anything runs. In the default, HASH (8 hex digits) is that of the "
             "program's full path, so a leaky and a fixed twin of one name keep their own "
             "reports"},
    {"--max-output", "BYTES", 0, "1M", OPT_BYTES, offsetof(struct options, max_output),
     .wants = "bytes", .help = "how much of the program's stdout, and of its stderr, is kept"},
    {"--max-procs", "N", 0, "256", OPT_COUNT, offsetof(struct options, max_procs),
     .lo = 0, .hi = 1e7, .wants = "a whole number",
     .help = "processes and threads of one run, together"},
    {"--max-memory", "BYTES", 0, "4G", OPT_BYTES, offsetof(struct options, max_memory),
     .wants = "bytes",
     .help = "address space of each process; RSS of the program for a sanitizer build (ASan "
             "or standalone LSan)"},
    {"--max-cpu", "SECONDS", 0, "the timeout", OPT_NUMBER, offsetof(struct options, max_cpu),
     .lo = 0, .hi = 86400, .wants = "seconds in [0, 86400]",
     .help = "CPU time of each process"},
    {"--max-file-size", "BYTES", 0, "1G", OPT_BYTES, offsetof(struct options, max_file_size),
     .wants = "bytes", .help = "size of each file the program writes"},
    {"--leak-kinds", "LIST", 0, "`definite,indirect`", OPT_OTHER, .set = set_leak_kinds,
     .help = "memcheck: the kinds that count as a leak"},
    {"--track-fds", NULL, 0, "", OPT_FLAG, offsetof(struct options, track_fds),
     .help = "memcheck: file descriptors open at exit count as a leak"},
    {"--text-log", "WHEN", 0, "`always`", OPT_OTHER, .set = set_text_log,
     .help = "memcheck: when to run valgrind a second time, in text mode, for `memcheck.log`: "
             "`always`, `on-failure` (only when the expectation does not hold) or `never`. The "
             "verdict comes from the XML run either way; one run costs about half of two "
             "(`scripts/bench --memcheck`). The swap tests say `never`, the grader "
             "`on-failure`"},
    {"--pages-as-heap", NULL, 0, "", OPT_FLAG, offsetof(struct options, pages_as_heap),
     .help = "massif: measure mapped pages instead of `malloc`"},
    {"--growth-share", "F", 0, "0.25", OPT_NUMBER, offsetof(struct options, growth_share),
     .lo = 0.01, .hi = 1, .wants = "a number in [0.01, 1]",
     .help = "massif: share of the rise that must come late to call it a leak"},
    {"--min-growth", "BYTES", 0, "16K", OPT_BYTES, offsetof(struct options, min_growth),
     .wants = "bytes", .help = "massif: and at least this many bytes"},
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
    for (const struct tool *t = harness_tools; t->name != NULL; t++)
        fprintf(to, "  %-14s %s%s\n", t->name, t->is_static ? "(STATIC) " : "", t->what);
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
        if (p->kind == OPT_STRING && p->field == offsetof(struct options, out_dir))
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
    for (const struct tool *t = harness_tools; t->name != NULL; t++)
        printf("%s\t%s\n", t->name, t->is_static ? "static" : "runtime");
}

/* Sets the field of o that option p sets from the value v of "--name=v"
 * (NULL for a flag). Returns 0, or -1 with a message in err. */
static int set_option(const struct option_spec *p, const char *v, struct options *o,
                      struct text *err)
{
    char *field = (char *)o + p->field;
    double d;
    switch (p->kind) {
    case OPT_STRING:
        *(const char **)field = v;
        return 0;
    case OPT_FLAG:
        *(int *)field = 1;
        return 0;
    case OPT_NUMBER:
        if (parse_number(v, p->lo, p->hi, (double *)field) == 0)
            return 0;
        break;
    case OPT_COUNT:
        if (parse_number(v, p->lo, p->hi, &d) == 0 && d == (long)d) {
            *(long *)field = (long)d;
            return 0;
        }
        break;
    case OPT_BYTES:
        if (parse_bytes(v, &d) == 0) {
            *(size_t *)field = (size_t)d;
            return 0;
        }
        break;
    case OPT_OTHER:
        return p->set(v, o, err);
    }
    /* a number, count or byte count that is not one */
    return text_setf(err, "%s wants %s, not '%s'", p->name, p->wants, v), -1;
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
            return set_option(p, NULL, o, err);
        if (p->arg != NULL && a[n] == '=' && !(p->non_empty && a[n + 1] == '\0'))
            return set_option(p, a + n + 1, o, err);
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
        for (const struct tool *t = harness_tools; t->name != NULL; t++)
            text_addf(err, "%s%s", t > harness_tools ? ", " : "", t->name);
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
