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
 *       into the program's stderr; only the files there are read;
 *   detect_leaks=1:leak_check_at_exit=1  the verdict is the exit-time check:
 *       a user's ASAN_OPTIONS or LSAN_OPTIONS that turns it off must not
 *       make a leaky program "clean".
 * They come after the user's own options (the runtime keeps the last value
 * of each); when the user's options set either of the last two, the finding
 * says so.
 * LSan writes the reports of leak checks the program runs itself
 * (__lsan_do_recoverable_leak_check, __lsan_do_leak_check) to the same log,
 * in the same words as the exit-time one. So, when libleakcheck-lsan.so is
 * built, the run preloads it (preload_lsan.c) and the log path is
 * OUT/lsan.checks: reports go to lsan.checks.PID until the shim, at exit,
 * switches the path to OUT/lsan.log and runs the exit-time check, whose
 * report is then lsan.log.PID (created empty first). Only lsan.log.PID
 * counts; the program's own checks in lsan.checks.PID are reported apart
 * (f->checks). Without lsan.log.PID (a static build, where nothing is
 * preloaded; a runtime without __sanitizer_set_report_path)
 * lsan.checks.PID is read as the exit-time report, as LSan alone writes it.
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
#include <unistd.h>


/* What the LSan log files of one run said. */
struct lsan_report {
    long direct_bytes, direct_objs, indirect_bytes, indirect_objs;
    int records, main_has_leaks, fatal;
    int own_records;          /* records of the program's own checks, not counted */
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

int lsan_check(const struct options *o, struct text *why)
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

/* Whose reports a log file holds: a child's (kept, not read), the
 * program's own checks (listed apart), or the exit-time check (counted). */
enum log_role { LOG_CHILD, LOG_OWN_CHECKS, LOG_EXIT };

/* Reads one LSan log file into rep and f (site, context). */
static void parse_log(const struct options *o, const char *path, enum log_role role,
                      struct lsan_report *rep, struct findings *f)
{
    int is_main = role == LOG_EXIT;
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
        if (role == LOG_OWN_CHECKS &&
            sscanf(line, "%15s leak of %ld byte(s) in %ld object(s)", kind, &bytes, &objs) == 3) {
            rep->own_records++;
            text_addf(&f->checks, "    %s\n", line);
            in_record = 0;
        } else if (is_main &&
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

/* Returns 1 if OUT/lsan.log.PID, the exit-time check's report, exists for
 * the program's process. */
static int have_exit_report(const struct options *o, long main_pid)
{
    char name[64];
    snprintf(name, sizeof name, "lsan.log.%ld", main_pid);
    char *path = path_join(o->out_dir, name);
    int found = path != NULL && access(path, F_OK) == 0;
    free(path);
    return found;
}

/* Reads every lsan.log.PID and lsan.checks.PID of the run (forked children
 * write their own). */
static void read_logs(const struct options *o, long main_pid, struct lsan_report *rep,
                      struct findings *f)
{
    int exit_report = have_exit_report(o, main_pid);
    DIR *d = opendir(o->out_dir);
    if (d == NULL)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        int is_log = strncmp(e->d_name, "lsan.log.", 9) == 0;
        if (!is_log && strncmp(e->d_name, "lsan.checks.", 12) != 0)
            continue;
        int is_main = strtol(e->d_name + (is_log ? 9 : 12), NULL, 10) == main_pid;
        enum log_role role = !is_main ? LOG_CHILD
                             : !is_log && exit_report ? LOG_OWN_CHECKS : LOG_EXIT;
        char *path = path_join(o->out_dir, e->d_name);
        if (path == NULL) {
            rep->asan_error.oom = 1;
            break;
        }
        parse_log(o, path, role, rep, f);
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

/* The separators of a sanitizer options string. */
#define OPTION_SEPARATORS ": ,\t\n\r"

/* Returns 1 if the options string opts (NULL: none) sets `flag`
 * ("flag=VALUE"), else 0. */
static int sets_flag(const char *opts, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = opts; p != NULL && *(p += strspn(p, OPTION_SEPARATORS)) != '\0';
         p += strcspn(p, OPTION_SEPARATORS))
        if (strncmp(p, flag, n) == 0 && p[n] == '=')
            return 1;
    return 0;
}

/* Appends to f->got which of the leak check's own flags the user's
 * ASAN_OPTIONS and LSAN_OPTIONS set: leakcheck sets them after those. */
static void note_user_options(struct findings *f)
{
    static const char *const vars[] = {"ASAN_OPTIONS", "LSAN_OPTIONS"};
    static const char *const flags[] = {"detect_leaks", "leak_check_at_exit"};
    struct text which = {0};
    for (size_t v = 0; v < 2; v++)
        for (size_t i = 0; i < 2; i++)
            if (sets_flag(getenv(vars[v]), flags[i]))
                text_addf(&which, "%s%s's %s", which.len > 0 ? ", " : "", vars[v], flags[i]);
    if (which.len > 0)
        text_addf(&f->got, "; overridden: %s (the verdict is LSan's exit-time check:"
                  " leakcheck sets detect_leaks=1:leak_check_at_exit=1)", text_str(&which));
    f->got.oom |= which.oom;
    text_free(&which);
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
    if (rep->own_records > 0)
        text_addf(&f->got, "; %d leak records of leak checks the program ran itself before"
                  " exit, not counted", rep->own_records);
    note_user_options(f);
    if (o->site != NULL && f->leak && f->site_found != 1) {
        f->site_found = 0;
        text_setf(&f->site_where, "not on any leak record's stack");
    }
}

int lsan_judge(const struct options *o, struct findings *f)
{
    struct text added = {0};
    struct lsan_report rep = {0};
    struct run r = {0};
    char *sym = getenv("ASAN_SYMBOLIZER_PATH") == NULL ? symbolizer() : NULL;
    char *env[6] = {NULL}, **argv = NULL;
    int rc = LC_UNJUDGED;

    /* verify_asan_link_order=0: a -shared-libasan build still runs with the shim */
    /* The shim, when built: without it the log is read as LSan alone writes it. */
    int shim = access(harness_shim(SHIM_LSAN), R_OK) == 0;
    const char *log = shim ? "lsan.checks" : "lsan.log";
    text_setf(&added, "detect_leaks=1:leak_check_at_exit=1:verify_asan_link_order=0:"
              "log_path=\"%s/%s\"", o->out_dir, log);
    env[0] = env_options("ASAN_OPTIONS", text_str(&added));
    text_setf(&added, "detect_leaks=1:leak_check_at_exit=1:use_stacks=0:use_registers=0:"
              "exitcode=0:log_path=\"%s/%s\"", o->out_dir, log);
    env[1] = env_options("LSAN_OPTIONS", text_str(&added));
    if (shim)
        env[2] = shim_preload(SHIM_LSAN);
    if (shim && asprintf(&env[3], "LEAKCHECK_LSAN_EXIT=%s/lsan.log", o->out_dir) < 0)
        env[3] = NULL;
    if (sym != NULL && asprintf(&env[shim ? 4 : 2], "ASAN_SYMBOLIZER_PATH=%s", sym) < 0)
        env[shim ? 4 : 2] = NULL;
    argv = command_argv(NULL, o);
    if (added.oom || env[0] == NULL || env[1] == NULL ||
        (shim && (env[2] == NULL || env[3] == NULL)) ||
        (sym != NULL && env[shim ? 4 : 2] == NULL) || argv == NULL) {
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
    for (size_t i = 0; i < 5; i++)
        free(env[i]);
    free(argv), free(sym);
    return rc;
}
