/* tool_lsan.c: LeakSanitizer, the leak checker built into clang's ASan.
 *
 * PROGRAM must be built with -fsanitize=address (or =leak). It runs natively;
 * at exit LSan scans memory for pointers to each heap block and reports the
 * blocks nothing points to: "Direct leak" for a block no other block points
 * to, "Indirect leak" for one reachable only from leaked blocks.
 *
 * Options chosen here, and why:
 *   use_stacks=0:use_registers=0  stale copies of a pointer on the stack or in
 *       a register must not make a lost block look reachable (measured: with
 *       the defaults, LSan missed a whole dropped tree);
 *   exitcode=0                    LSan leaves the program's own exit status
 *       alone (and its stdio is flushed as usual): a program that leaks and
 *       then exits non-zero is not judged, like any run that exits non-zero;
 *   log_path=OUT/lsan.log         the report goes to lsan.log.PID, never mixed
 *       into the program's stderr; only that file is read.
 * A leak verdict needs a report for the program's own process and an exit
 * status of 0; a report of an AddressSanitizer error (use after free, overflow...) means the program
 * crashed and is not judged.
 */
#define _GNU_SOURCE
#include "leakcheck.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* What the LSan log files of one run said. */
struct lsan_report {
    long direct_bytes, direct_objs, indirect_bytes, indirect_objs;
    int records, main_has_leaks, fatal;
    char asan_error[160];
};

/* The llvm-symbolizer to give LSan: the one of the clang that built the lab
 * (found at configure time, LEAKCHECK_SYMBOLIZER), else the one on PATH.
 * Writes its path into buf; returns buf, or NULL when there is none. */
static const char *symbolizer(char *buf, size_t n)
{
    static const char *const names[] = {LEAKCHECK_SYMBOLIZER, "llvm-symbolizer"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (find_in_path(names[i], buf, n) != NULL)
            return buf;
    return NULL;
}

static int lsan_check(const struct options *o, char *why, size_t n)
{
    char buf[4096];
    if (!file_contains(o->program, "__lsan_") && !is_asan_build(o->program))
        return snprintf(why, n, "%s is not built with -fsanitize=address or -fsanitize=leak:"
                        " lsan needs that build (valgrind tools need the plain one)",
                        o->program), LC_UNJUDGED;
    if (o->site != NULL && symbolizer(buf, sizeof buf) == NULL)
        return snprintf(why, n, "llvm-symbolizer is not installed: LSan's stacks would"
                        " have no function names to find --site in"), LC_SKIP;
    if (strchr(o->out_dir, '"') != NULL)
        return snprintf(why, n, "the report directory's path must not contain '\"'"),
               LC_UNJUDGED;
    return 0;
}

/* Returns the function name of a frame line "    #1 0x... in FUNC FILE:LINE",
 * copied into buf, or NULL for a frame without a symbol. */
static const char *frame_function(const char *line, char *buf, size_t n)
{
    const char *in = strstr(line, " in ");
    if (strncmp(line, "    #", 5) != 0 || in == NULL)
        return NULL;
    snprintf(buf, n, "%.*s", (int)strcspn(in + 4, " "), in + 4);
    return buf;
}

/* Reads one LSan log file into rep and f (site, context). */
static void parse_log(const struct options *o, const char *path, int is_main,
                      struct lsan_report *rep, struct findings *f)
{
    char *text = read_file(path, 64 << 20, NULL), fn[256];
    if (text == NULL)
        return;
    const char *err = strstr(text, "ERROR: AddressSanitizer: ");
    if (err != NULL && rep->asan_error[0] == '\0')
        snprintf(rep->asan_error, sizeof rep->asan_error, "%.*s", (int)strcspn(err, "\n"), err);
    if (strstr(text, "LeakSanitizer has encountered a fatal error") != NULL)
        rep->fatal = 1;
    int in_record = 0, context_lines = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        long bytes, objs;
        char kind[16];
        if (is_main &&
            sscanf(line, "%15s leak of %ld byte(s) in %ld object(s)", kind, &bytes, &objs) == 3) {
            int direct = strcmp(kind, "Direct") == 0;
            *(direct ? &rep->direct_bytes : &rep->indirect_bytes) += bytes;
            *(direct ? &rep->direct_objs : &rep->indirect_objs) += objs;
            rep->records++;
            rep->main_has_leaks |= is_main;
            in_record = 1;
            if (rep->records == 1)
                appendf(f->context, sizeof f->context, "    (from %s)\n", path);
        } else if (in_record && frame_function(line, fn, sizeof fn) != NULL && o->site != NULL &&
                   f->site_found != 1 && strcmp(fn, o->site) == 0) {
            f->site_found = 1;
            snprintf(f->site_where, sizeof f->site_where, "on the stack of a leak record (%s)",
                     strstr(line, " in ") + 4);
        } else if (strncmp(line, "    #", 5) != 0)
            in_record = 0;
        if (rep->records == 1 && (in_record || strncmp(line, "SUMMARY", 7) == 0) &&
            context_lines++ < 10)
            appendf(f->context, sizeof f->context, "    %s\n", line);
    }
    free(text);
}

/* Reads every lsan.log.PID of the run (forked children write their own). */
static void read_logs(const struct options *o, long main_pid, struct lsan_report *rep,
                      struct findings *f)
{
    DIR *d = opendir(o->out_dir);
    if (d == NULL)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[4096];
        if (strncmp(e->d_name, "lsan.log.", 9) != 0 ||
            path_join(path, sizeof path, o->out_dir, e->d_name) == NULL)
            continue;
        parse_log(o, path, strtol(e->d_name + 9, NULL, 10) == main_pid, rep, f);
        add_report(f, path);
    }
    closedir(d);
}

static int lsan_judge(const struct options *o, struct findings *f)
{
    char asan[8192], lsan[8192], sym[4096], sym_env[4200];
    const char *old_asan = getenv("ASAN_OPTIONS"), *old_lsan = getenv("LSAN_OPTIONS");
    snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sdetect_leaks=1:log_path=\"%s/lsan.log\"",
             old_asan ? old_asan : "", old_asan && *old_asan ? ":" : "", o->out_dir);
    snprintf(lsan, sizeof lsan, "LSAN_OPTIONS=%s%suse_stacks=0:use_registers=0:exitcode=0:"
             "log_path=\"%s/lsan.log\"", old_lsan ? old_lsan : "",
             old_lsan && *old_lsan ? ":" : "", o->out_dir);
    char *env[] = {asan, lsan, NULL, NULL};
    if (getenv("ASAN_SYMBOLIZER_PATH") == NULL && symbolizer(sym, sizeof sym) != NULL)
        snprintf(sym_env, sizeof sym_env, "ASAN_SYMBOLIZER_PATH=%s", sym), env[2] = sym_env;
    struct run r;
    struct lsan_report rep = {0};
    char **argv = command_argv(NULL, o);
    int rc = argv ? run_program(o, "program", argv, env, &r) : -1;
    free(argv);
    if (rc != 0)
        return snprintf(f->problem, sizeof f->problem, "cannot run the program"), LC_UNJUDGED;
    read_logs(o, r.pid, &rep, f);
    add_report(f, r.out_path), add_report(f, r.err_path);

    if (rep.asan_error[0] != '\0') {
        snprintf(f->problem, sizeof f->problem, "AddressSanitizer stopped the program: %s",
                 rep.asan_error + strlen("ERROR: AddressSanitizer: "));
        return LC_UNJUDGED;
    }
    if (rep.fatal)
        return snprintf(f->problem, sizeof f->problem, "LeakSanitizer could not run here"
                        " (it needs ptrace; see the lsan.log file)"), LC_UNJUDGED;
    if (!run_judgeable(&r, 0, f))
        return LC_UNJUDGED;

    f->leak = rep.main_has_leaks; /* children's reports are kept, not counted */
    snprintf(f->metrics, sizeof f->metrics, "direct_bytes=%ld\ndirect_objects=%ld\n"
             "indirect_bytes=%ld\nindirect_objects=%ld\n", rep.direct_bytes, rep.direct_objs,
             rep.indirect_bytes, rep.indirect_objs);
    snprintf(f->kinds, sizeof f->kinds, "%s%s%s", rep.direct_objs ? "direct" : "",
             rep.direct_objs && rep.indirect_objs ? "," : "", rep.indirect_objs ? "indirect" : "");
    if (f->leak)
        snprintf(f->got, sizeof f->got, "%d leak records: direct %ld B in %ld objects,"
                 " indirect %ld B in %ld objects", rep.records, rep.direct_bytes,
                 rep.direct_objs, rep.indirect_bytes, rep.indirect_objs);
    else
        snprintf(f->got, sizeof f->got, "no leak report");
    if (o->site != NULL && f->leak && f->site_found != 1) {
        f->site_found = 0;
        snprintf(f->site_where, sizeof f->site_where, "not on any leak record's stack");
    }
    return 0;
}

const struct tool tool_lsan = {
    .name = "lsan",
    .what = "LeakSanitizer; PROGRAM is an ASan (or -fsanitize=leak) build",
    .check = lsan_check,
    .judge = lsan_judge,
};
