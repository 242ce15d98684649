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
 *       It also keeps the figures of main's whole run: the most threads
 *       alive at once and the most fds open at once (any fd number), and how
 *       many processes the program started (fork, posix_spawn, system,
 *       popen). Built with LEAKCHECK_FIGURES (libleakcheck-figures.so, for
 *       the census and native runs), it also counts the heap (bytes in use
 *       through malloc and friends) and the pages the program mapped itself
 *       (mmap, munmap, mremap), each as a peak during main and a level at
 *       main's end, relative to main's start.
 *   LEAKCHECK_MASSIF_START/END=FILE  (massif) asks massif, through a valgrind
 *       client request, for a detailed snapshot into FILE, so that growth can
 *       be measured over main's run and not over the exit handlers' teardown.
 *       Nothing is allocated on that path, so the heap being measured is the
 *       program's own.
 *
 * Before main runs, every LEAKCHECK_* variable is removed from the
 * environment, and the shim from LD_PRELOAD: the program cannot tell it is
 * being watched by looking there, and what it starts runs unwatched.
 *
 * Peaks are exact, not sampled on a clock: a count of fds only falls at a
 * close, so its highest value is the one just before some close (close,
 * fclose, closedir, pclose, dup2/dup3 onto an open fd, close_range) or the
 * one at main's end; the shim counts /proc/self/fd at each of those. Threads
 * are counted as they start and end (pthread_create is wrapped). Processes
 * started through a raw clone or vfork are not counted.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "preload_env.h"
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

/* The harness's variables, copied before they leave the environment. */
static char census_file[4096], massif_start_file[4096], massif_end_file[4096];

/* Bitmap of the fds open at main's start: every number the kernel allows
 * (fs.nr_open is at most 1 << 20 by default; BSS costs nothing untouched). */
#define MAX_FD_NUMBER (1 << 20)
static unsigned char *fds_at_start; /* mapped in census runs only (massif counts pages) */

/* ---- the figures of main's run -------------------------------------------- */

static atomic_int watching;       /* 1 while main runs, in the marked process */
static atomic_long live_threads;  /* threads started by pthread_create, still running */
static atomic_long peak_threads;  /* the most of them at once */
static atomic_long forks;         /* processes started during main */
static atomic_long fds_peak;      /* the most fds open at once */
static int fds_start, fds_end;

/* Raises *peak to v if v is higher. */
static void raise_peak(atomic_long *peak, long v)
{
    long old = atomic_load(peak);
    while (v > old && !atomic_compare_exchange_weak(peak, &old, v))
        ;
}

static int watched(void) { return atomic_load(&watching) && getpid() == marked_pid; }

/* Counts the open fds, as /proc/self/fd lists them, without allocating (the
 * heap is being measured) and without going through the wrapped close. */
static int count_fds(void)
{
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return -1;
    char buf[32768];
    int n = 0;
    for (long got; (got = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0;)
        for (long off = 0; off < got;) {
            struct { unsigned long ino; long off; unsigned short reclen; unsigned char type;
                     char name[]; } *e = (void *)(buf + off);
            if (e->name[0] != '.' && atoi(e->name) != dir)
                n++;
            off += e->reclen;
        }
    syscall(SYS_close, dir);
    return n;
}

/* Called just before fd may be closed: the count before is a candidate peak. */
static void before_close(int fd)
{
    if (watched() && (fd < 0 || fcntl(fd, F_GETFD) != -1))
        raise_peak(&fds_peak, count_fds());
}

int close(int fd)
{
    before_close(fd);
    return (int)syscall(SYS_close, fd);
}

typedef int file_close_fn(FILE *);

/* Counts the fds before fp's fd is closed, then calls the C library's function
 * `name` (fclose or pclose). */
static int counted_file_close(const char *name, file_close_fn **real, FILE *fp)
{
    if (*real == NULL)
        *real = (file_close_fn *)dlsym(RTLD_NEXT, name);
    if (fp != NULL)
        before_close(fileno(fp));
    return (*real)(fp);
}

int fclose(FILE *fp)
{
    static file_close_fn *real;
    return counted_file_close("fclose", &real, fp);
}

int pclose(FILE *fp)
{
    static file_close_fn *real;
    return counted_file_close("pclose", &real, fp);
}

int closedir(DIR *d)
{
    static int (*real)(DIR *);
    if (real == NULL)
        real = (int (*)(DIR *))dlsym(RTLD_NEXT, "closedir");
    before_close(dirfd(d));
    return real(d);
}

int dup2(int from, int to)
{
    before_close(to);
    return (int)syscall(SYS_dup2, from, to);
}

int dup3(int from, int to, int flags)
{
    before_close(to);
    return (int)syscall(SYS_dup3, from, to, flags);
}

int close_range(unsigned first, unsigned last, int flags)
{
    before_close(-1);
    return (int)syscall(SYS_close_range, first, last, flags);
}

/* ---- processes the program starts ----------------------------------------- */

static void count_fork(void)
{
    if (watched())
        atomic_fetch_add(&forks, 1);
}

typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                     const posix_spawnattr_t *, char *const[], char *const[]);

/* Counts a spawn, then calls the C library's function `name`. */
static int counted_spawn(const char *name, spawn_fn **real, pid_t *pid, const char *path,
                         const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                         char *const argv[], char *const envp[])
{
    if (*real == NULL)
        *real = (spawn_fn *)dlsym(RTLD_NEXT, name);
    count_fork();
    return (*real)(pid, path, fa, attr, argv, envp);
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    static spawn_fn *real;
    return counted_spawn("posix_spawn", &real, pid, path, fa, attr, argv, envp);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    static spawn_fn *real;
    return counted_spawn("posix_spawnp", &real, pid, file, fa, attr, argv, envp);
}

int system(const char *command)
{
    static int (*real)(const char *);
    if (real == NULL)
        real = (int (*)(const char *))dlsym(RTLD_NEXT, "system");
    if (command != NULL)
        count_fork();
    return real(command);
}

FILE *popen(const char *command, const char *mode)
{
    static FILE *(*real)(const char *, const char *);
    if (real == NULL)
        real = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "popen");
    count_fork();
    return real(command, mode);
}

/* fork(), and daemon() through it: pthread_atfork's handler runs in the parent. */
static void before_fork(void) { count_fork(); }

#ifdef LEAKCHECK_FIGURES
/* ---- the heap and the pages mapped (libleakcheck-figures.so) -------------- */

/* glibc's own entry points: the real allocator, without a dlsym. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);
extern size_t malloc_usable_size(void *);

static atomic_long heap_now, heap_peak, pages_now, pages_peak;
static int heap_counted; /* the program's malloc is this shim's (not ASan's) */

/* The blocks allocated during main and their sizes, in an open-addressing
 * table (linear probing) mapped at main's start. A block's size is read
 * once, when it is allocated: a free() of anything else (a block from before
 * main, or a double free, which glibc then reports as usual) is not looked
 * into. With more blocks alive than the table holds, the heap is not
 * measured (heap_full): no figure rather than a wrong one. */
#define SLOT_BITS 21 /* 32 MiB of address space: 1.8 million live blocks */
#define SLOTS (1ul << SLOT_BITS)
struct slot {
    uintptr_t block;
    size_t size;
};
static struct slot *slots;
static unsigned long slots_used;
static int heap_full;
static atomic_flag slots_lock = ATOMIC_FLAG_INIT;

static unsigned long slot_of(uintptr_t block)
{
    return (unsigned long)(((block >> 4) * 0x9e3779b97f4a7c15u) >> (64 - SLOT_BITS));
}

static void lock_slots(void)
{
    while (atomic_flag_test_and_set_explicit(&slots_lock, memory_order_acquire))
        ;
}

static void unlock_slots(void) { atomic_flag_clear_explicit(&slots_lock, memory_order_release); }

static void slots_put(void *p, size_t size)
{
    lock_slots();
    if (slots_used >= SLOTS / 8 * 7) {
        heap_full = 1;
    } else {
        unsigned long i = slot_of((uintptr_t)p);
        while (slots[i].block != 0 && slots[i].block != (uintptr_t)p)
            i = (i + 1) & (SLOTS - 1);
        slots_used += slots[i].block == 0;
        slots[i] = (struct slot){(uintptr_t)p, size};
    }
    unlock_slots();
}

/* Removes block p; returns its size, or -1 when it is not in the table. */
static long slots_take(void *p)
{
    long size = -1;
    lock_slots();
    unsigned long i = slot_of((uintptr_t)p);
    while (slots[i].block != 0 && slots[i].block != (uintptr_t)p)
        i = (i + 1) & (SLOTS - 1);
    if (slots[i].block != 0) {
        size = (long)slots[i].size;
        slots_used--;
        /* Backward-shift deletion: move up the entries that probed past i. */
        for (unsigned long j = i;;) {
            j = (j + 1) & (SLOTS - 1);
            if (slots[j].block == 0)
                break;
            unsigned long k = slot_of(slots[j].block);
            if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
                slots[i] = slots[j];
                i = j;
            }
        }
        slots[i].block = 0;
    }
    unlock_slots();
    return size;
}

static void heap_add(void *p)
{
    if (p == NULL || slots == NULL || !atomic_load(&watching))
        return;
    long n = (long)malloc_usable_size(p);
    slots_put(p, (size_t)n);
    raise_peak(&heap_peak, atomic_fetch_add(&heap_now, n) + n);
}

/* Call before the block is freed. Returns its size, or -1 if not counted. */
static long heap_sub(void *p)
{
    if (p == NULL || slots == NULL || !atomic_load(&watching))
        return -1;
    long n = slots_take(p);
    if (n > 0)
        atomic_fetch_sub(&heap_now, n);
    return n;
}

/* Maps the table; called at main's start, before the heap is watched. */
static void heap_watch(void)
{
    void *m = (void *)syscall(SYS_mmap, NULL, SLOTS * sizeof *slots, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    slots = m == MAP_FAILED ? NULL : m;
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    heap_add(p);
    return p;
}

void *calloc(size_t k, size_t n)
{
    void *p = __libc_calloc(k, n);
    heap_add(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    long was = heap_sub(old);
    void *p = __libc_realloc(old, n);
    if (p != NULL)
        heap_add(p);
    else if (n != 0 && was >= 0) { /* it failed: the old block is still there */
        slots_put(old, (size_t)was);
        atomic_fetch_add(&heap_now, was);
    }
    return p;
}

void free(void *p)
{
    heap_sub(p);
    __libc_free(p);
}

void *memalign(size_t align, size_t n)
{
    void *p = __libc_memalign(align, n);
    heap_add(p);
    return p;
}

void *aligned_alloc(size_t align, size_t n) { return memalign(align, n); }

int posix_memalign(void **out, size_t align, size_t n)
{
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return 22; /* EINVAL */
    void *p = memalign(align, n);
    if (p == NULL && n != 0)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    void *p = __libc_valloc(n);
    heap_add(p);
    return p;
}

void *pvalloc(size_t n)
{
    void *p = __libc_pvalloc(n);
    heap_add(p);
    return p;
}

/* Pages: the program's own mmap calls (malloc's are heap, and never come
 * through here: glibc calls its internal mmap). */
static long page_round(size_t n)
{
    long page = sysconf(_SC_PAGESIZE);
    return (long)((n + (size_t)page - 1) / (size_t)page * (size_t)page);
}

void *mmap(void *addr, size_t n, int prot, int flags, int fd, off_t off)
{
    void *p = (void *)syscall(SYS_mmap, addr, n, prot, flags, fd, off);
    if (p != MAP_FAILED && atomic_load(&watching))
        raise_peak(&pages_peak, atomic_fetch_add(&pages_now, page_round(n)) + page_round(n));
    return p;
}

int munmap(void *addr, size_t n)
{
    int rc = (int)syscall(SYS_munmap, addr, n);
    if (rc == 0 && atomic_load(&watching))
        atomic_fetch_sub(&pages_now, page_round(n));
    return rc;
}

void *mremap(void *old, size_t old_n, size_t n, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    void *new_addr = va_arg(ap, void *);
    va_end(ap);
    void *p = (void *)syscall(SYS_mremap, old, old_n, n, flags, new_addr);
    if (p != MAP_FAILED && atomic_load(&watching)) {
        long d = page_round(n) - page_round(old_n);
        raise_peak(&pages_peak, atomic_fetch_add(&pages_now, d) + d);
    }
    return p;
}
#endif

/* ---- thread start functions --------------------------------------------- */

struct start {
    void *(*fn)(void *);
    void *arg;
    _Atomic pid_t tid;
};
static struct start starts[4096];
static atomic_int n_starts;

static void thread_ended(void *unused)
{
    (void)unused;
    atomic_fetch_sub(&live_threads, 1);
}

/* Runs a thread's start function, counting the thread while it runs (to its
 * return, pthread_exit or cancellation: the cleanup handler runs for each). */
static void *trampoline(void *p)
{
    struct start *s = p;
    void *(*fn)(void *) = s->fn, *arg = s->arg, *ret;
    s->tid = (pid_t)syscall(SYS_gettid);
    raise_peak(&peak_threads, atomic_fetch_add(&live_threads, 1) + 1);
    pthread_cleanup_push(thread_ended, NULL);
    ret = fn(arg);
    pthread_cleanup_pop(1);
    return ret;
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
    static struct start spare[256]; /* past `starts`: counted, start function not named */
    static atomic_int n_spare;
    if (real == NULL)
        real = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
            dlsym(RTLD_NEXT, "pthread_create");
    int i = census_path != NULL ? atomic_fetch_add(&n_starts, 1) : -1;
    struct start *s = NULL;
    if (i >= 0 && i < (int)(sizeof starts / sizeof starts[0]))
        s = &starts[i];
    else if (i >= 0) /* reused round-robin: only fn and arg are read, at once */
        s = &spare[atomic_fetch_add(&n_spare, 1) % 256];
    if (s == NULL)
        return real(t, attr, fn, arg);
    s->fn = fn, s->arg = arg;
    return real(t, attr, trampoline, s);
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

/* Counts the entries of a /proc directory; with a bitmap, marks each as a
 * number (an fd) in it. */
static int count_entries(const char *dir, unsigned char *bitmap)
{
    DIR *d = opendir(dir);
    int n = 0, self = d ? dirfd(d) : -1;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == self)
            continue;
        n++;
        int fd = atoi(e->d_name);
        if (bitmap != NULL && fd >= 0 && fd < MAX_FD_NUMBER)
            bitmap[fd / 8] |= (unsigned char)(1u << (fd % 8));
    }
    if (d != NULL)
        closedir(d);
    return n;
}

static int open_at_start(int fd)
{
    return fd >= 0 && fd < MAX_FD_NUMBER && fds_at_start != NULL &&
           (fds_at_start[fd / 8] >> (fd % 8) & 1);
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

/* Writes the census: what main's run left, and the figures of the run. */
static void census_report(const char *point)
{
    if (census_path == NULL || census_done++)
        return;
    int threads = count_entries("/proc/self/task", NULL);
    int out = open(census_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0)
        return;
    int left_fds = 0;
    DIR *d = opendir("/proc/self/fd");
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d) && atoi(e->d_name) != out)
            left_fds += !open_at_start(atoi(e->d_name));
    if (d != NULL)
        closedir(d);
    dprintf(out, "# leakcheck census: threads and file descriptors alive when main ended,\n"
                 "# against those alive when main started\npid=%ld\npoint=%s\n"
                 "threads_start=%d\nthreads_end=%d\nleft_threads=%d\nleft_fds=%d\n",
            (long)getpid(), point, census_threads_start, threads,
            threads - census_threads_start, left_fds);
    /* The figures of main's run: peaks during main, levels at its end. */
    long peak = census_threads_start + atomic_load(&peak_threads);
    dprintf(out, "threads_peak=%ld\nfds_start=%d\nfds_end=%d\nfds_peak=%ld\nforks=%ld\n",
            peak > threads ? peak : threads, fds_start, fds_end,
            atomic_load(&fds_peak), atomic_load(&forks));
#ifdef LEAKCHECK_FIGURES
    if (heap_counted && slots != NULL && !heap_full)
        dprintf(out, "heap_end=%ld\nheap_peak=%ld\n", atomic_load(&heap_now),
                atomic_load(&heap_peak));
    dprintf(out, "pages_end=%ld\npages_peak=%ld\n", atomic_load(&pages_now),
            atomic_load(&pages_peak));
#endif
    d = opendir("/proc/self/task");
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.' && atoi(e->d_name) != getpid())
            describe_thread(out, atoi(e->d_name));
    if (d != NULL)
        closedir(d);
    d = opendir("/proc/self/fd");
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        char desc[160];
        int fd = atoi(e->d_name);
        if (e->d_name[0] == '.' || fd == dirfd(d) || fd == out || open_at_start(fd))
            continue;
        describe_fd(fd, desc, sizeof desc);
        dprintf(out, "fd %d -> %s\n", fd, desc);
    }
    if (d != NULL)
        closedir(d);
    close(out);
}

/* ---- the two moments ---------------------------------------------------- */

/* Asks massif for a detailed snapshot into the file at path. The monitor
 * command splits its words at spaces, so the file is opened here and named
 * to massif as /proc/self/fd/N, a path without any. */
static void massif_mark(const char *path)
{
    char cmd[64];
    if (path[0] == '\0' || !RUNNING_ON_VALGRIND)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    snprintf(cmd, sizeof cmd, "detailed_snapshot /proc/self/fd/%d", fd);
    VALGRIND_MONITOR_COMMAND(cmd);
    close(fd);
}

/* main has ended: the figures stop, and the census is written. */
static void main_ended(const char *point)
{
    if (getpid() != marked_pid)
        return;
    if (atomic_load(&watching)) {
        fds_end = count_fds();
        raise_peak(&fds_peak, fds_end);
        atomic_store(&watching, 0);
    }
    census_report(point);
    if (!massif_end_done++)
        massif_mark(massif_end_file);
}

static int wrapped_main(int argc, char **argv, char **envp)
{
    scrub_environment(); /* here, once the C library is up, and before main */
    massif_mark(massif_start_file);
    if (census_path != NULL) {
        census_threads_start = count_entries("/proc/self/task", NULL);
        void *bitmap = (void *)syscall(SYS_mmap, NULL, MAX_FD_NUMBER / 8, PROT_READ | PROT_WRITE,
                                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        fds_at_start = bitmap == MAP_FAILED ? NULL : bitmap;
        count_entries("/proc/self/fd", fds_at_start);
        fds_start = count_fds();
        atomic_store(&fds_peak, fds_start);
        pthread_atfork(before_fork, NULL, NULL);
#ifdef LEAKCHECK_FIGURES
        heap_counted = dlsym(RTLD_DEFAULT, "malloc") == (void *)malloc;
        heap_watch();
#endif
        atomic_store(&watching, 1);
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
    /* Under valgrind, the launcher (/usr/bin/valgrind) runs first, with the
     * program's pid: it is left alone, environment included, for the
     * program it starts. */
    int launcher = getenv("LEAKCHECK_VALGRIND") != NULL && !RUNNING_ON_VALGRIND;
    if (pid != NULL && atol(pid) == (long)getpid() && !launcher) {
        real_main = main;
        main = wrapped_main;
        marked_pid = getpid();
        keep_env("LEAKCHECK_CENSUS", census_file, sizeof census_file);
        keep_env("LEAKCHECK_MASSIF_START", massif_start_file, sizeof massif_start_file);
        keep_env("LEAKCHECK_MASSIF_END", massif_end_file, sizeof massif_end_file);
        census_path = census_file[0] != '\0' ? census_file : NULL;
    }
    return real(main, argc, argv, init, fini, rtld_fini, stack_end);
}
