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
#include "leakharness.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* What the LSan log files of one run said. */
struct lsan_report {
    long direct_bytes, direct_objs, indirect_bytes, indirect_objs;
    int records, main_has_leaks, fatal;
    struct text asan_error;   /* the first "ERROR: AddressSanitizer" line */
    struct text check_failed; /* the sanitizer runtime's "CHECK failed" line */
};

/* The llvm-symbolizer to give LSan: the one of the clang that built the lab
 * (found at configure time, LEAKCHECK_SYMBOLIZER), else the one on PATH.
 * Returns its path (the caller frees it), or NULL. */
static char *symbolizer(void)
{
    static const char *const names[] = {LEAKCHECK_SYMBOLIZER, "llvm-symbolizer"};
    char *found = NULL;
    for (size_t i = 0; found == NULL && i < sizeof names / sizeof names[0]; i++)
        found = find_in_path(names[i]);
    return found;
}

static int lsan_check(const struct options *o, struct text *why)
{
    if (!is_sanitizer_build(o->program))
        return text_setf(why, "%s is not built with -fsanitize=address or -fsanitize=leak:"
                         " lsan needs that build (valgrind tools need the plain one)",
                         o->program), LC_UNJUDGED;
    char *sym = o->site != NULL ? symbolizer() : NULL;
    free(sym);
    if (o->site != NULL && sym == NULL)
        return text_setf(why, "llvm-symbolizer is not installed: LSan's stacks would"
                         " have no function names to find --site in"), LC_SKIP;
    if (strchr(o->out_dir, '"') != NULL)
        return text_setf(why, "the report directory's path must not contain '\"'"),
               LC_UNJUDGED;
    return 0;
}

/* Returns the length of the function name of a frame line "    #1 0x... in
 * FUNC FILE:LINE", pointing *fn at it, or 0 for a frame without a symbol. */
static size_t frame_function(const char *line, const char **fn)
{
    const char *in = strstr(line, " in ");
    if (strncmp(line, "    #", 5) != 0 || in == NULL)
        return 0;
    *fn = in + 4;
    return strcspn(in + 4, " ");
}

/* Reads one LSan log file into rep and f (site, context). */
static void parse_log(const struct options *o, const char *path, int is_main,
                      struct lsan_report *rep, struct findings *f)
{
    char *text = read_file(path, 64 << 20, NULL);
    if (text == NULL)
        return;
    const char *err = strstr(text, "ERROR: AddressSanitizer: ");
    if (err != NULL && rep->asan_error.len == 0)
        text_setf(&rep->asan_error, "%.*s", (int)strcspn(err, "\n"), err);
    if (strstr(text, "LeakSanitizer has encountered a fatal error") != NULL)
        rep->fatal = 1;
    const char *check = strstr(text, "CHECK failed: ");
    if (check != NULL && rep->check_failed.len == 0) /* the runtime died, maybe before main */
        text_setf(&rep->check_failed, "%.*s", (int)strcspn(check, "\n"), check);
    int in_record = 0, context_lines = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        long bytes, objs;
        char kind[16];
        const char *fn = NULL;
        size_t fn_len = 0;
        if (is_main &&
            sscanf(line, "%15s leak of %ld byte(s) in %ld object(s)", kind, &bytes, &objs) == 3) {
            int direct = strcmp(kind, "Direct") == 0;
            *(direct ? &rep->direct_bytes : &rep->indirect_bytes) += bytes;
            *(direct ? &rep->direct_objs : &rep->indirect_objs) += objs;
            rep->records++;
            rep->main_has_leaks |= is_main;
            in_record = 1;
            if (rep->records == 1)
                text_addf(&f->context, "    (from %s)\n", path);
        } else if (in_record && (fn_len = frame_function(line, &fn)) > 0 && o->site != NULL &&
                   f->site_found != 1 && site_matches(o->site, fn, fn_len)) {
            f->site_found = 1;
            text_setf(&f->site_where, "on the stack of a leak record (%s)", fn);
        } else if (strncmp(line, "    #", 5) != 0)
            in_record = 0;
        if (rep->records == 1 && (in_record || strncmp(line, "SUMMARY", 7) == 0) &&
            context_lines++ < 10)
            text_addf(&f->context, "    %s\n", line);
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
        if (strncmp(e->d_name, "lsan.log.", 9) != 0)
            continue;
        char *path = path_join(o->out_dir, e->d_name);
        if (path == NULL) {
            rep->asan_error.oom = 1;
            break;
        }
        parse_log(o, path, strtol(e->d_name + 9, NULL, 10) == main_pid, rep, f);
        add_report(f, path);
        free(path);
    }
    closedir(d);
}

/* Returns "NAME=OLD:ADDED" (OLD the variable's current value, if any) as a
 * new string the caller frees, or NULL when out of memory. */
static char *env_options(const char *name, const char *added)
{
    const char *old = getenv(name);
    char *s = NULL;
    if (asprintf(&s, "%s=%s%s%s", name, old ? old : "", old && *old ? ":" : "", added) < 0)
        return NULL;
    return s;
}

/* Fills f's verdict from the reports of a judged run. */
static void lsan_verdict(const struct options *o, const struct lsan_report *rep,
                         struct findings *f)
{
    f->leak = rep->main_has_leaks; /* children's reports are kept, not counted */
    findings_figure(f, "direct_bytes", rep->direct_bytes);
    findings_figure(f, "direct_objects", rep->direct_objs);
    findings_figure(f, "indirect_bytes", rep->indirect_bytes);
    findings_figure(f, "indirect_objects", rep->indirect_objs);
    text_setf(&f->kinds, "%s%s%s", rep->direct_objs ? "direct" : "",
              rep->direct_objs && rep->indirect_objs ? "," : "",
              rep->indirect_objs ? "indirect" : "");
    if (f->leak)
        text_setf(&f->got, "%d leak records: direct %ld B in %ld objects,"
                  " indirect %ld B in %ld objects", rep->records, rep->direct_bytes,
                  rep->direct_objs, rep->indirect_bytes, rep->indirect_objs);
    else
        text_setf(&f->got, "no leak report");
    if (o->site != NULL && f->leak && f->site_found != 1) {
        f->site_found = 0;
        text_setf(&f->site_where, "not on any leak record's stack");
    }
}

static int lsan_judge(const struct options *o, struct findings *f)
{
    struct text added = {0};
    struct lsan_report rep = {0};
    struct run r = {0};
    char *sym = getenv("ASAN_SYMBOLIZER_PATH") == NULL ? symbolizer() : NULL;
    char *env[4] = {NULL}, **argv = NULL;
    int rc = LC_UNJUDGED;

    text_setf(&added, "detect_leaks=1:log_path=\"%s/lsan.log\"", o->out_dir);
    env[0] = env_options("ASAN_OPTIONS", text_str(&added));
    text_setf(&added, "use_stacks=0:use_registers=0:exitcode=0:log_path=\"%s/lsan.log\"",
              o->out_dir);
    env[1] = env_options("LSAN_OPTIONS", text_str(&added));
    if (sym != NULL && asprintf(&env[2], "ASAN_SYMBOLIZER_PATH=%s", sym) < 0)
        env[2] = NULL;
    argv = command_argv(NULL, o);
    if (added.oom || env[0] == NULL || env[1] == NULL || (sym != NULL && env[2] == NULL) ||
        argv == NULL) {
        text_setf(&f->problem, "out of memory");
        goto cleanup;
    }
    if (run_program(o, "program", argv, env, &r) != 0) {
        text_setf(&f->problem, "cannot run the program: %s", strerror(errno));
        goto cleanup;
    }
    read_logs(o, r.pid, &rep, f);
    add_report(f, text_str(&r.out_path)), add_report(f, text_str(&r.err_path));
    if (rep.asan_error.len > 0 && ++f->errors) /* a memory error, in the verdict's errors */
        text_setf(&f->problem, "AddressSanitizer stopped the program: %s",
                  text_str(&rep.asan_error) + strlen("ERROR: AddressSanitizer: "));
    else if (rep.check_failed.len > 0)
        text_setf(&f->problem, "the sanitizer runtime failed, so the program may never have"
                  " reached main: %s", text_str(&rep.check_failed));
    else if (rep.fatal)
        text_setf(&f->problem, "LeakSanitizer could not run here"
                  " (it needs ptrace; see the lsan.log file)");
    else if (run_judgeable(&r, 0, f)) {
        lsan_verdict(o, &rep, f);
        rc = 0;
    }
    findings_keep_run(f, &r);
cleanup:
    if (rep.asan_error.oom || rep.check_failed.oom)
        f->problem.oom = 1;
    text_free(&rep.asan_error), text_free(&rep.check_failed), text_free(&added);
    run_free(&r);
    for (size_t i = 0; i < 3; i++)
        free(env[i]);
    free(argv), free(sym);
    return rc;
}

const struct tool tool_lsan = {
    .name = "lsan",
    .what = "LeakSanitizer; PROGRAM is an ASan (or -fsanitize=leak) build",
    .check = lsan_check,
    .judge = lsan_judge,
};
