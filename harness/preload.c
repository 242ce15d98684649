/* preload.c: libleakcheck-preload.so, preloaded into the program under test.
 *
 * It wraps main through __libc_start_main and marks two moments: when main
 * starts, and when main returns (or calls exit(), before any exit handler
 * runs). It acts only in the process whose pid is in LEAKCHECK_PID, so
 * children and the valgrind launcher are left alone. At those moments:
 *
 *   LEAKCHECK_CENSUS=FILE      (census) counts the threads (/proc/self/task)
 *       and file descriptors (/proc/self/fd) alive at each moment and writes
 *       what was left behind to FILE: for each thread, the function it was
 *       started at and the system call it is blocked in; for each fd, what it
 *       points to. pthread_create is wrapped to learn the start functions.
 *   LEAKCHECK_MASSIF_START/END=FILE  (massif) asks massif, through a valgrind
 *       client request, for a detailed snapshot into FILE, so that growth can
 *       be measured over main's run and not over the exit handlers' teardown.
 *       Nothing is allocated on that path, so the heap being measured is the
 *       program's own.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#define VALGRIND_MONITOR_COMMAND(cmd) ((void)(cmd), 0)
#endif

typedef int (*main_fn)(int, char **, char **);

static main_fn real_main;
static pid_t marked_pid; /* the process the marks are for: not a fork()ed child */
static const char *census_path;
static int census_threads_start, census_done, massif_end_done;
static unsigned char fds_at_start[1024 / 8]; /* bitmap of fds open at main's start */

/* ---- thread start functions --------------------------------------------- */

struct start {
    void *(*fn)(void *);
    void *arg;
    _Atomic pid_t tid;
};
static struct start starts[4096];
static atomic_int n_starts;

static void *trampoline(void *p)
{
    struct start *s = p;
    s->tid = (pid_t)syscall(SYS_gettid);
    return s->fn(s->arg);
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    if (real == NULL)
        real = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
            dlsym(RTLD_NEXT, "pthread_create");
    int i = census_path != NULL ? atomic_fetch_add(&n_starts, 1) : -1;
    if (i < 0 || i >= (int)(sizeof starts / sizeof starts[0]))
        return real(t, attr, fn, arg);
    starts[i].fn = fn, starts[i].arg = arg;
    return real(t, attr, trampoline, &starts[i]);
}

/* Writes the name of the function at addr into buf, looking in the ELF
 * symbol table of its object when it is not exported (a static function). */
static void symbol_name(void *addr, char *buf, size_t n)
{
    Dl_info info;
    snprintf(buf, n, "%p", addr);
    if (dladdr(addr, &info) == 0)
        return;
    if (info.dli_sname != NULL && info.dli_saddr == addr) {
        snprintf(buf, n, "%s", info.dli_sname);
        return;
    }
    int fd = open(info.dli_fname[0] ? info.dli_fname : "/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        return;
    }
    const unsigned char *img = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (img == MAP_FAILED)
        return;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
    uintptr_t off = (uintptr_t)addr - (eh->e_type == ET_EXEC ? 0 : (uintptr_t)info.dli_fbase);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_SYMTAB)
            continue;
        const Elf64_Sym *sym = (const Elf64_Sym *)(img + sh[i].sh_offset);
        const char *names = (const char *)(img + sh[sh[i].sh_link].sh_offset);
        for (size_t k = 0; k < sh[i].sh_size / sizeof *sym; k++)
            if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC && off >= sym[k].st_value &&
                off < sym[k].st_value + (sym[k].st_size ? sym[k].st_size : 1))
                snprintf(buf, n, "%s", names + sym[k].st_name);
    }
    munmap((void *)img, (size_t)sb.st_size);
}

/* ---- the census ---------------------------------------------------------- */

static int count_entries(const char *dir, unsigned char *bitmap)
{
    DIR *d = opendir(dir);
    int n = 0, self = d ? dirfd(d) : -1;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == self)
            continue;
        n++;
        int fd = atoi(e->d_name);
        if (bitmap != NULL && fd >= 0 && fd < 1024)
            bitmap[fd / 8] |= (unsigned char)(1u << (fd % 8));
    }
    if (d != NULL)
        closedir(d);
    return n;
}

/* Writes what fd points to ("pipe:[123] (write end)", "/tmp/x") into buf. */
static void describe_fd(int fd, char *buf, size_t n)
{
    char link[64], flags_path[64], info[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, buf, n - 1);
    buf[len > 0 ? len : 0] = '\0';
    snprintf(flags_path, sizeof flags_path, "/proc/self/fdinfo/%d", fd);
    int ifd = open(flags_path, O_RDONLY | O_CLOEXEC);
    ssize_t got = ifd >= 0 ? read(ifd, info, sizeof info - 1) : -1;
    if (ifd >= 0)
        close(ifd);
    info[got > 0 ? got : 0] = '\0';
    char *fl = strstr(info, "flags:");
    if (strncmp(buf, "pipe:", 5) == 0 && fl != NULL) {
        long flags = strtol(fl + 6, NULL, 8);
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, " (%s end)", (flags & 3) == O_WRONLY ? "write" : "read");
    }
}

/* Returns the fd of the write end of the pipe `target` ("pipe:[123]") that
 * this process holds, or -1. A reader blocked on such a pipe waits for ever:
 * end of file comes only when every write end is closed. */
static int pipe_writer(const char *target)
{
    DIR *d = opendir("/proc/self/fd");
    int found = -1;
    for (struct dirent *e; d != NULL && found < 0 && (e = readdir(d)) != NULL;) {
        char desc[160], want[160];
        if (e->d_name[0] == '.')
            continue;
        describe_fd(atoi(e->d_name), desc, sizeof desc);
        snprintf(want, sizeof want, "%s (write end)", target);
        if (strcmp(desc, want) == 0)
            found = atoi(e->d_name);
    }
    if (d != NULL)
        closedir(d);
    return found;
}

/* Names a system call a thread is blocked in; fd_arg is set when its first
 * argument is a file descriptor. */
static const char *syscall_name(long nr, int *fd_arg)
{
    static const struct { long nr; const char *name; int fd; } table[] = {
        {SYS_read, "read", 1}, {SYS_write, "write", 1}, {SYS_readv, "readv", 1},
        {SYS_futex, "futex (a mutex, condvar or join)", 0}, {SYS_ppoll, "ppoll", 0},
        {SYS_pselect6, "pselect6", 0}, {SYS_epoll_pwait, "epoll_pwait", 1},
        {SYS_clock_nanosleep, "clock_nanosleep", 0}, {SYS_nanosleep, "nanosleep", 0},
        {SYS_accept4, "accept4", 1}, {SYS_recvfrom, "recvfrom", 1}, {SYS_recvmsg, "recvmsg", 1},
        {SYS_wait4, "wait4", 0}, {SYS_waitid, "waitid", 0}, {SYS_rt_sigtimedwait, "sigwait", 0},
#ifdef SYS_poll
        {SYS_poll, "poll", 0}, {SYS_select, "select", 0}, {SYS_accept, "accept", 1},
        {SYS_epoll_wait, "epoll_wait", 1}, {SYS_pause, "pause", 0},
#endif
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].nr == nr)
            return *fd_arg = table[i].fd, table[i].name;
    return *fd_arg = 0, NULL;
}

/* Writes one line about thread tid: its start function and where it waits. */
static void describe_thread(int out, int tid)
{
    char path[96], sys[256] = "", wchan[64] = "", start[128] = "?", fd_desc[160];
    int n_start = atomic_load(&n_starts);
    for (int i = 0; i < n_start && i < (int)(sizeof starts / sizeof starts[0]); i++)
        if (starts[i].tid == tid)
            symbol_name((void *)starts[i].fn, start, sizeof start);
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, sys, sizeof sys - 1) : -1;
    sys[got > 0 ? got : 0] = '\0';
    if (fd >= 0)
        close(fd);
    snprintf(path, sizeof path, "/proc/self/task/%d/wchan", tid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    got = fd >= 0 ? read(fd, wchan, sizeof wchan - 1) : -1;
    wchan[got > 0 ? got : 0] = '\0';
    if (fd >= 0)
        close(fd);
    long nr = -1, arg0 = -1;
    int is_fd = 0;
    const char *name = sscanf(sys, "%ld %lx", &nr, &arg0) >= 1 ? syscall_name(nr, &is_fd) : NULL;
    dprintf(out, "thread %d started at %s: ", tid, start);
    if (name == NULL)
        dprintf(out, "%s", strncmp(sys, "running", 7) == 0 ? "running" : "in system call ");
    if (name == NULL && nr >= 0)
        dprintf(out, "%ld", nr);
    else if (name != NULL && is_fd) {
        describe_fd((int)arg0, fd_desc, sizeof fd_desc);
        dprintf(out, "blocked in %s(fd %ld -> %s)", name, arg0, fd_desc);
        char *end = strstr(fd_desc, " (read end)");
        int writer = -1;
        if (end != NULL) {
            *end = '\0';
            writer = pipe_writer(fd_desc);
        }
        if (writer >= 0)
            dprintf(out, "; its write end is fd %d, still open in this process", writer);
    } else if (name != NULL)
        dprintf(out, "blocked in %s", name);
    dprintf(out, "%s%s%s\n", wchan[0] && wchan[0] != '0' ? " [kernel: " : "",
            wchan[0] && wchan[0] != '0' ? wchan : "", wchan[0] && wchan[0] != '0' ? "]" : "");
}

static void census_report(const char *point)
{
    if (census_path == NULL || census_done++)
        return;
    unsigned char fds_now[sizeof fds_at_start] = {0};
    int threads = count_entries("/proc/self/task", NULL);
    int left_fds = 0;
    count_entries("/proc/self/fd", fds_now);
    int out = open(census_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0)
        return;
    for (int fd = 0; fd < 1024; fd++)
        left_fds += (fds_now[fd / 8] >> (fd % 8) & 1) && !(fds_at_start[fd / 8] >> (fd % 8) & 1);
    dprintf(out, "# leakcheck census: threads and file descriptors alive when main ended,\n"
                 "# against those alive when main started\npid=%ld\npoint=%s\n"
                 "threads_start=%d\nthreads_end=%d\nleft_threads=%d\nleft_fds=%d\n",
            (long)getpid(), point, census_threads_start, threads,
            threads - census_threads_start, left_fds);
    DIR *d = opendir("/proc/self/task");
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.' && atoi(e->d_name) != getpid())
            describe_thread(out, atoi(e->d_name));
    if (d != NULL)
        closedir(d);
    for (int fd = 0; fd < 1024; fd++) {
        char desc[160];
        if ((fds_now[fd / 8] >> (fd % 8) & 1) && !(fds_at_start[fd / 8] >> (fd % 8) & 1)) {
            describe_fd(fd, desc, sizeof desc);
            dprintf(out, "fd %d -> %s\n", fd, desc);
        }
    }
    close(out);
}

/* ---- the two moments ---------------------------------------------------- */

/* Asks massif for a detailed snapshot into the file named by $env. The
 * monitor command splits its words at spaces, so the file is opened here
 * and named to massif as /proc/self/fd/N, a path without any. */
static void massif_mark(const char *env)
{
    char cmd[64];
    const char *path = getenv(env);
    if (path == NULL || !RUNNING_ON_VALGRIND)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    snprintf(cmd, sizeof cmd, "detailed_snapshot /proc/self/fd/%d", fd);
    VALGRIND_MONITOR_COMMAND(cmd);
    close(fd);
}

static void main_ended(const char *point)
{
    if (getpid() != marked_pid)
        return;
    census_report(point);
    if (!massif_end_done++)
        massif_mark("LEAKCHECK_MASSIF_END");
}

static int wrapped_main(int argc, char **argv, char **envp)
{
    massif_mark("LEAKCHECK_MASSIF_START");
    if (census_path != NULL) {
        census_threads_start = count_entries("/proc/self/task", NULL);
        count_entries("/proc/self/fd", fds_at_start);
    }
    int rc = real_main(argc, argv, envp);
    main_ended("main returned");
    return rc;
}

/* exit() called by the program: the moment is before any exit handler. */
void exit(int status)
{
    typedef void (*exit_fn)(int) __attribute__((noreturn));
    static exit_fn real_exit;
    if (real_exit == NULL)
        real_exit = (exit_fn)dlsym(RTLD_NEXT, "exit");
    if (real_main != NULL)
        main_ended("exit() called");
    real_exit(status);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    int (*real)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *) =
        (int (*)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *))
            dlsym(RTLD_NEXT, "__libc_start_main");
    const char *pid = getenv("LEAKCHECK_PID");
    if (pid != NULL && atol(pid) == (long)getpid()) {
        real_main = main;
        main = wrapped_main;
        marked_pid = getpid();
        census_path = getenv("LEAKCHECK_CENSUS");
    }
    return real(main, argc, argv, init, fini, rtld_fini, stack_end);
}
