/* preload_lsan.c: libleakcheck-lsan.so, preloaded into a LeakSanitizer run.
 *
 * LSan writes every leak report of a process to one log (log_path; leakcheck
 * sets OUT/lsan.checks, so OUT/lsan.checks.PID): those of the checks the
 * program runs itself (__lsan_do_recoverable_leak_check, __lsan_do_leak_check)
 * and that of the check at exit, in the same words. To tell them apart, this
 * shim runs the exit-time check itself, into a file of its own (leakcheck:
 * OUT/lsan.log.PID, the file a student reads). Its exit handler is
 * registered when main starts, after every constructor has run: exit
 * handlers run last-registered first, so it runs after those the program
 * registers during main, and before LSan's own check. (Measured with clang
 * 14: the runtime registers that one while the executable's constructors
 * run, inside __libc_start_main; a handler registered in this shim's
 * constructor, or before __libc_start_main calls the real one, ran after
 * LSan's check.) It
 *
 *   1. switches the report path (__sanitizer_set_report_path) to
 *      LEAKCHECK_LSAN_EXIT, and creates LEAKCHECK_LSAN_EXIT.PID, empty: the
 *      file's existence says the exit-time check ran;
 *   2. calls __lsan_do_leak_check(), LSan's exit-time check itself (it then
 *      skips its own at exit, which would say the same);
 *   3. if that wrote nothing, calls __lsan_do_recoverable_leak_check() too:
 *      __lsan_do_leak_check() runs once per process, and the program may
 *      have called it already; the exit-time state is then checked anyway.
 *
 * Only the process whose pid is LEAKCHECK_PID acts (a fork()ed child keeps
 * the handler, and its own log). main is replaced by start_main, which
 * registers the handler and then jumps to main (a tail call, no frame of
 * its own), as __libc_start_main does to the real one: LSan's stacks show
 * the program's frames only. When the runtime has no
 * __sanitizer_set_report_path, or the shim is not loaded (a static build),
 * LEAKCHECK_LSAN_EXIT.PID is never created, and leakcheck reads the log as
 * LSan alone writes it. Either way the check is one LSan was asked for:
 * leakcheck sets detect_leaks=1 and leak_check_at_exit=1 after the user's
 * own options (tool_lsan.c).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preload_env.h"

static void (*set_report_path)(const char *);
static void (*do_leak_check)(void);
static int (*do_recoverable_leak_check)(void);
static pid_t watched_pid;
static char exit_prefix[4096];

/* The exit handler: the exit-time check, into EXIT_PREFIX.PID. */
static void exit_time_check(void)
{
    char path[4160];
    struct stat st;
    if (getpid() != watched_pid)
        return;
    snprintf(path, sizeof path, "%s.%ld", exit_prefix, (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return; /* no file, no claim: leakcheck reads the log as before */
    close(fd);
    set_report_path(exit_prefix);
    do_leak_check();
    if (stat(path, &st) == 0 && st.st_size == 0)
        do_recoverable_leak_check();
}

/* Before main: finds the runtime's functions, keeps LEAKCHECK_LSAN_EXIT,
 * and leaves the environment as the program would have it. */
__attribute__((constructor)) static void find_runtime(void)
{
    const char *pid = getenv("LEAKCHECK_PID");
    int mine = pid != NULL && atol(pid) == (long)getpid();
    keep_env("LEAKCHECK_LSAN_EXIT", exit_prefix, sizeof exit_prefix);
    scrub_environment();
    if (!mine || exit_prefix[0] == '\0')
        return;
    set_report_path = (void (*)(const char *))dlsym(RTLD_DEFAULT, "__sanitizer_set_report_path");
    do_leak_check = (void (*)(void))dlsym(RTLD_DEFAULT, "__lsan_do_leak_check");
    do_recoverable_leak_check = (int (*)(void))dlsym(RTLD_DEFAULT,
                                                    "__lsan_do_recoverable_leak_check");
    if (set_report_path == NULL || do_leak_check == NULL || do_recoverable_leak_check == NULL)
        return;
    watched_pid = getpid();
}

#if defined(__has_attribute)
#if __has_attribute(musttail)
#define TAIL_CALL __attribute__((musttail))
#endif
#endif
#ifndef TAIL_CALL
#define TAIL_CALL /* gcc makes the call a jump at -O2 anyway */
#endif

typedef int (*main_fn)(int, char **, char **);
typedef int start_fn(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void),
                     void *);
static main_fn real_main;

/* main's start: every constructor has run. Registers the exit handler and
 * jumps to main. */
static int start_main(int argc, char **argv, char **envp)
{
    atexit(exit_time_check);
    TAIL_CALL return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    start_fn *real = (start_fn *)dlsym(RTLD_NEXT, "__libc_start_main");
    if (watched_pid == getpid()) {
        real_main = main;
        main = start_main;
    }
    TAIL_CALL return real(main, argc, argv, init, fini, rtld_fini, stack_end);
}
