/* run.c: runs the program under test in a child, the way a test runner must.
 *
 * The harness runs code it did not write, so every run is contained:
 *
 *   time       the run is killed at --timeout, and each of its processes gets
 *              --max-cpu seconds of CPU (RLIMIT_CPU; default the timeout);
 *   processes  --max-procs processes and threads in all: counted by a pids
 *              cgroup made for the run when one can be made (as root, with a
 *              writable cgroup file system), otherwise by RLIMIT_NPROC, which
 *              the kernel does not apply to root;
 *   memory     --max-memory of address space (RLIMIT_AS); a sanitizer build
 *              (ASan, standalone LSan) reserves terabytes of address space at
 *              startup, so there leakcheck watches the program's RSS instead
 *              and kills it past the limit (the sanitizer's own
 *              soft_rss_limit_mb would start a thread whose TLS LSan can
 *              report as a leak);
 *   files      --max-file-size per file written (RLIMIT_FSIZE), no core file;
 *              4096 fds (RLIMIT_NOFILE) and an 8 MiB stack (RLIMIT_STACK),
 *              whatever the shell had (lowered to its hard limit if below);
 *   output     stdout and stderr are pumped through pipes into files capped at
 *              --max-output each; the rest is read and dropped, so a chatty
 *              program neither blocks nor fills the disk;
 *   leftovers  the program gets its own process group, and leakcheck is a
 *              child subreaper: whatever the program started is reparented
 *              here when its parent dies, whichever group or session it moved
 *              to. When the program exits or times out, its group and every
 *              such process are killed and reaped, so nothing of a run
 *              outlives it. If leakcheck itself is killed, the program gets
 *              SIGKILL (PR_SET_PDEATHSIG); what the program started does not.
 *
 * A normal exit, a signal and a timeout are reported differently, with the
 * limit the run hit when that is known. docs/harness.md has the threat model.
 */
#define _GNU_SOURCE
#include "leakharness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One captured stream: the pipe we read and the file we keep. */
struct stream {
    int pipe_fd; /* -1 once at EOF */
    int file_fd;
    size_t kept, dropped;
};

/* The limits of one run, worked out by the parent before it forks. */
struct limits {
    rlim_t cpu, address_space, file_size, nproc; /* RLIM_INFINITY: not set */
    size_t rss_limit;  /* a sanitizer build's RSS limit in bytes, or 0 */
    int rss_killed;    /* the program was killed for passing rss_limit */
    char cgroup[512];  /* the run's pids cgroup directory, or "" */
    int cgroup_procs;  /* its cgroup.procs, open for the child to join; or -1 */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- processes, as /proc shows them -------------------------------------- */

struct proc_entry {
    pid_t pid, ppid;
    uid_t uid;    /* owner of /proc/PID: the effective uid */
    long threads;
};

/* Reads the next process of the /proc listing d into p. Returns 1, or 0 at
 * the end. Processes that vanish while being read are skipped. */
static int next_proc(DIR *d, struct proc_entry *p)
{
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[64], stat_line[1024];
        struct stat sb;
        char *end = NULL;
        long pid = strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end != '\0' || fstatat(dirfd(d), e->d_name, &sb, 0) != 0)
            continue;
        snprintf(path, sizeof path, "%ld/stat", pid);
        int fd = openat(dirfd(d), path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, stat_line, sizeof stat_line - 1);
        close(fd);
        /* "PID (COMM) STATE PPID ..."; COMM may hold spaces and parentheses. */
        char *after = n > 0 ? (stat_line[n] = '\0', strrchr(stat_line, ')')) : NULL;
        int ppid;
        long threads;
        if (after == NULL || sscanf(after + 1, " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
                                    " %*u %*u %*d %*d %*d %*d %ld", &ppid, &threads) != 2)
            continue;
        *p = (struct proc_entry){(pid_t)pid, (pid_t)ppid, sb.st_uid, threads};
        return 1;
    }
    return 0;
}

/* Returns how many processes and threads the user `uid` has now, or -1. */
static long tasks_of(uid_t uid)
{
    DIR *d = opendir("/proc");
    long tasks = 0;
    if (d == NULL)
        return -1;
    for (struct proc_entry p; next_proc(d, &p);)
        if (p.uid == uid)
            tasks += p.threads;
    closedir(d);
    return tasks;
}

/* Kills what is left of a run: its process group, then every process whose
 * parent is us (the run's orphans, reparented here), reaping each, until no
 * child is left. A killed process's own children come to us as it dies, so
 * the loop reaches the whole tree. Call it once the program itself has been
 * reaped. Returns the number of processes reaped here: those the program
 * left behind, running or dead but not reaped. */
static int kill_leftovers(pid_t pgid)
{
    int reaped = 0, found;
    pid_t self = getpid();
    do {
        found = 0;
        kill(-pgid, SIGKILL);
        DIR *d = opendir("/proc");
        if (d == NULL)
            return reaped;
        for (struct proc_entry p; next_proc(d, &p);) {
            if (p.ppid != self)
                continue;
            kill(p.pid, SIGKILL);
            while (waitpid(p.pid, NULL, 0) < 0 && errno == EINTR)
                ;
            found++;
        }
        closedir(d);
        reaped += found;
    } while (found > 0);
    return reaped;
}

/* ---- the run's pids cgroup ------------------------------------------------ */

/* Writes the directory of our own pids cgroup into buf: the pids hierarchy
 * of cgroup v1, else our cgroup v2 directory (which has the pids controller
 * only if its parent enabled it: cgroup_make checks). Returns 0 or -1. */
static int own_cgroup(char *buf, size_t n)
{
    FILE *fp = fopen("/proc/self/cgroup", "re");
    char line[1024], v2[1024] = "";
    int found = -1;
    while (found != 0 && fp != NULL && fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *controllers = strchr(line, ':'), *path;
        if (controllers == NULL || (path = strchr(++controllers, ':')) == NULL)
            continue;
        *path++ = '\0';
        if (strcmp(path, "/") == 0)
            path = "";
        if (*controllers == '\0')
            snprintf(v2, sizeof v2, "%s", path);
        for (char *c = strtok(controllers, ","); c != NULL; c = strtok(NULL, ","))
            if (strcmp(c, "pids") == 0 && snprintf(buf, n, "/sys/fs/cgroup/pids%s", path) < (int)n)
                found = 0;
    }
    if (fp != NULL)
        fclose(fp);
    if (found != 0 && access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
        found = snprintf(buf, n, "/sys/fs/cgroup%s", v2) < (int)n ? 0 : -1;
    else if (found != 0 && access("/sys/fs/cgroup/unified/cgroup.controllers", F_OK) == 0)
        found = snprintf(buf, n, "/sys/fs/cgroup/unified%s", v2) < (int)n ? 0 : -1;
    return found;
}

/* Writes text into the file dir/name. Returns 0, or -1 with errno set. */
static int write_text(const char *dir, const char *name, const char *text)
{
    char path[600];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return errno = ENAMETOOLONG, -1;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t w = write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    return w == (ssize_t)strlen(text) ? 0 : (errno = e, -1);
}

/* Makes a pids cgroup for one run, allowing `max` processes and threads, and
 * opens its cgroup.procs into lim. Returns 0, or -1 with why it could not. */
static int cgroup_make(long max, struct limits *lim, char *why, size_t n)
{
    static unsigned runs;
    char parent[400], text[32];
    if (own_cgroup(parent, sizeof parent) != 0)
        return snprintf(why, n, "no cgroup file system found"), -1;
    snprintf(lim->cgroup, sizeof lim->cgroup, "%s/leakcheck.%ld.%u", parent, (long)getpid(),
             runs++);
    if (mkdir(lim->cgroup, 0755) != 0) {
        snprintf(why, n, "cannot make %s: %s", lim->cgroup, strerror(errno));
        lim->cgroup[0] = '\0';
        return -1;
    }
    snprintf(text, sizeof text, "%ld", max);
    char procs[600];
    snprintf(procs, sizeof procs, "%s/cgroup.procs", lim->cgroup);
    if (write_text(lim->cgroup, "pids.max", text) != 0 ||
        (lim->cgroup_procs = open(procs, O_WRONLY | O_CLOEXEC)) < 0) {
        snprintf(why, n, "%s has no pids controller: %s", lim->cgroup, strerror(errno));
        rmdir(lim->cgroup);
        lim->cgroup[0] = '\0';
        return -1;
    }
    return 0;
}

/* Returns how many forks and thread creations the run's cgroup refused. */
static long cgroup_refused(const struct limits *lim)
{
    char path[600];
    long refused = 0;
    snprintf(path, sizeof path, "%s/pids.events", lim->cgroup);
    char *text = read_file(path, 4096, NULL);
    if (text != NULL)
        sscanf(text, "max %ld", &refused);
    free(text);
    return refused;
}

/* ---- the limits ------------------------------------------------------------ */

/* Returns v rounded up, or RLIM_INFINITY when v is 0 (no limit). */
static rlim_t or_infinity(double v)
{
    rlim_t whole = (rlim_t)v;
    return v > 0 ? whole + ((double)whole < v) : RLIM_INFINITY;
}

/* Works out the limits of a run of argv[0]: lim is filled, and a pids cgroup
 * made when one can be. Says once, on stderr, when --max-procs cannot be
 * enforced at all. */
static void plan_limits(const struct options *o, const char *path, struct limits *lim)
{
    static int warned;
    char why[700];
    *lim = (struct limits){.cpu = or_infinity(o->max_cpu < 0 ? o->timeout : o->max_cpu),
                           .address_space = or_infinity((double)o->max_memory),
                           .file_size = or_infinity((double)o->max_file_size),
                           .nproc = RLIM_INFINITY, .cgroup_procs = -1};
    if (o->max_memory > 0 && is_sanitizer_build(path)) {
        lim->address_space = RLIM_INFINITY;
        lim->rss_limit = o->max_memory;
    }
    if (o->max_procs <= 0 || cgroup_make(o->max_procs, lim, why, sizeof why) == 0)
        return;
    long tasks = getuid() != 0 ? tasks_of(getuid()) : -1;
    if (tasks >= 0)
        lim->nproc = (rlim_t)(tasks + o->max_procs); /* the count is per user */
    else if (!warned++)
        fprintf(stderr, "leakcheck: warning: --max-procs=%ld cannot be enforced here: running"
                " as root (RLIMIT_NPROC does not apply) and %s\n", o->max_procs, why);
}

/* Applies lim to this process (the child). Returns 0, or -1 with errno. */
static int apply_limits(const struct limits *lim)
{
    const struct { int resource; rlim_t soft, hard; } set[] = {
        {RLIMIT_CORE, 0, 0}, /* a crash must not leave a core file */
        {RLIMIT_CPU, lim->cpu, lim->cpu == RLIM_INFINITY ? RLIM_INFINITY : lim->cpu + 1},
        {RLIMIT_AS, lim->address_space, lim->address_space},
        {RLIMIT_FSIZE, lim->file_size, lim->file_size},
        {RLIMIT_NPROC, lim->nproc, lim->nproc},
        /* The same fd table and stack on every machine (a login's soft limit
         * is often 1024 fds; some shells set the stack unlimited), so a
         * verdict does not depend on the shell leakcheck was started from. */
        {RLIMIT_NOFILE, 4096, 4096},
        {RLIMIT_STACK, (rlim_t)8 << 20, (rlim_t)8 << 20},
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++) {
        struct rlimit now, want = {set[i].soft, set[i].hard};
        if (set[i].soft == RLIM_INFINITY || getrlimit(set[i].resource, &now) != 0)
            continue;
        if (want.rlim_max > now.rlim_max) /* only root may raise a hard limit */
            want.rlim_max = now.rlim_max;
        if (want.rlim_cur > want.rlim_max)
            want.rlim_cur = want.rlim_max;
        if (setrlimit(set[i].resource, &want) != 0)
            return -1;
    }
    return 0;
}

/* Appends to r->limits what the run's end says about the limits it hit. */
static void note_limits(const struct options *o, const struct limits *lim,
                        const struct rusage *ru, struct run *r)
{
    double cpu = (double)ru->ru_utime.tv_sec + (double)ru->ru_stime.tv_sec +
                 (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
    int sig = r->end == RUN_SIGNALED ? r->code : 0;
    long refused = lim->cgroup[0] ? cgroup_refused(lim) : 0;
    long peak_mb = ru->ru_maxrss / 1024, max_mb = (long)(o->max_memory >> 20);
    if (sig == SIGXCPU || (sig == SIGKILL && lim->cpu != RLIM_INFINITY && cpu >= (double)lim->cpu))
        text_addf(&r->limits, "; it used up its CPU time (--max-cpu=%lu s)",
                  (unsigned long)lim->cpu);
    if (sig == SIGXFSZ)
        text_addf(&r->limits, "; it wrote a file past --max-file-size=%zu bytes",
                  o->max_file_size);
    if (lim->rss_killed)
        text_addf(&r->limits, "; its memory use (RSS) passed --max-memory=%zu MiB, and"
                  " leakcheck killed it", o->max_memory >> 20);
    if (refused > 0)
        text_addf(&r->limits, "; its process limit (--max-procs=%ld) refused %ld"
                  " forks or threads", o->max_procs, refused);
    if (max_mb > 0 && peak_mb >= max_mb / 2 && !(r->end == RUN_EXITED && r->code == 0))
        text_addf(&r->hint, "; its memory use reached %ld MiB of --max-memory=%ld MiB",
                  peak_mb, max_mb);
}

/* ---- the child side ------------------------------------------------------ */

/* Becomes the program: never returns. On failure writes errno to err_fd. */
static void child(const struct limits *lim, pid_t parent, char *const argv[],
                  char *const env_add[], int out_w, int err_w, int err_fd)
{
    sigset_t none;
    sigemptyset(&none);
    setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127); /* leakcheck is gone already */
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    if (lim->cgroup_procs >= 0 && write(lim->cgroup_procs, pid, strlen(pid)) < 0)
        goto fail;
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        goto fail;
    /* The program gets fds 0-2 only, whatever leakcheck was started with: the
     * fds it opens are then numbered the same on every run. */
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    /* The program sees none of the harness's variables: none inherited, and
     * those a tool adds for the preload shim are removed by the shim before
     * main runs. */
    extern char **environ;
    char **kept = environ; /* environ compacted in place, as unsetenv does: any name length */
    for (char **e = environ; e != NULL && *e != NULL; e++)
        if (strncmp(*e, "LEAKCHECK_", 10) != 0 && strncmp(*e, "_=", 2) != 0)
            *kept++ = *e;
    if (kept != NULL)
        *kept = NULL;
    int shim_vars = 0;
    for (size_t i = 0; env_add != NULL && env_add[i] != NULL; i++) {
        shim_vars |= strncmp(env_add[i], "LEAKCHECK_", 10) == 0;
        if (putenv(env_add[i]) != 0)
            goto fail;
    }
    if (shim_vars) /* the preload shim reports for this pid only */
        setenv("LEAKCHECK_PID", pid, 1);
    if (apply_limits(lim) != 0)
        goto fail;
    execv(argv[0], argv);
fail:;
    int e = errno;
    if (write(err_fd, &e, sizeof e) < 0)
        _exit(127);
    _exit(127);
}

/* ---- the parent side ----------------------------------------------------- */

/* Moves what is readable on s into its file, up to cap; the rest is read and
 * dropped so the program never blocks on a full pipe. */
static void pump(struct stream *s, size_t cap)
{
    char buf[65536];
    ssize_t n = read(s->pipe_fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        close(s->pipe_fd);
        s->pipe_fd = -1;
        return;
    }
    size_t keep = (size_t)n;
    if (s->kept + keep > cap)
        keep = cap > s->kept ? cap - s->kept : 0;
    s->dropped += (size_t)n - keep;
    if (keep > 0 && write(s->file_fd, buf, keep) == (ssize_t)keep)
        s->kept += keep;
}

/* Returns the resident set size of process pid in bytes, or 0. */
static size_t rss_of(pid_t pid)
{
    char path[64], buf[128];
    long pages = 0;
    snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0 || (buf[n] = '\0', sscanf(buf, "%*ld %ld", &pages)) != 1)
        return 0;
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Waits for the child and its output until the deadline; once the child has
 * exited, kills what it left running and reads its pipes to the end. With
 * lim->rss_limit set, checks the child's RSS every 20 ms and kills its group
 * past the limit (lim->rss_killed). Returns 1 when the child exited (status
 * in *status, usage in *ru), 0 on timeout. */
static int supervise(pid_t pid, int pidfd, struct stream st[2], double deadline, size_t cap,
                     struct limits *lim, int *status, struct rusage *ru, int *leftovers)
{
    int exited = 0;
    for (;;) {
        if (!exited && wait4(pid, status, WNOHANG, ru) == pid) {
            exited = 1;
            *leftovers = kill_leftovers(pid);
        }
        if (exited && st[0].pipe_fd < 0 && st[1].pipe_fd < 0)
            return 1;
        if (!exited && lim->rss_limit > 0 && !lim->rss_killed && rss_of(pid) > lim->rss_limit) {
            lim->rss_killed = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        double left = deadline - now();
        if (left <= 0)
            return exited;
        struct pollfd p[3] = {
            {st[0].pipe_fd, POLLIN, 0}, {st[1].pipe_fd, POLLIN, 0},
            {exited ? -1 : pidfd, POLLIN, 0}};
        int most = lim->rss_limit > 0 && !exited ? 20 : 1000;
        int ms = left * 1000 > most ? most : (int)(left * 1000) + 1;
        if (poll(p, 3, ms) < 0 && errno != EINTR)
            return exited;
        for (int i = 0; i < 2; i++)
            if (st[i].pipe_fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                pump(&st[i], cap);
    }
}

/* Opens <out_dir>/<label>.<ext> for a captured stream, its path into path.
 * Returns the fd, or -1 with errno set. */
static int open_capture(const struct options *o, const char *label, const char *ext,
                        struct text *path)
{
    text_setf(path, "%s/%s.%s", o->out_dir, label, ext);
    if (path->oom)
        return errno = ENOMEM, -1;
    return open(path->s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

/* Ends a capped capture file with a line saying how much was dropped. */
static void mark_truncated(const struct stream *s, size_t cap)
{
    char line[160];
    int n = snprintf(line, sizeof line, "\n[leakcheck: output cut at --max-output=%zu bytes;"
                     " %zu more bytes were dropped]\n", cap, s->dropped);
    if (s->dropped > 0 && write(s->file_fd, line, (size_t)n) < 0)
        return;
}

int run_program(const struct options *o, const char *label, char *const argv[],
                char *const env_add[], struct run *r)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1}, status_pipe[2] = {-1, -1};
    struct stream st[2] = {{-1, -1, 0, 0}, {-1, -1, 0, 0}};
    struct limits lim = {.cgroup_procs = -1};
    struct rusage ru = {0};
    int pidfd = -1, rc = -1, status = 0;
    pid_t pid = -1;
    size_t cap = o->max_output > 0 ? o->max_output : SIZE_MAX; /* 0: no limit */
    *r = (struct run){.end = RUN_NOT_STARTED};

    prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans of the run come to us */
    st[0].file_fd = open_capture(o, label, "stdout", &r->out_path);
    st[1].file_fd = open_capture(o, label, "stderr", &r->err_path);
    if (st[0].file_fd < 0 || st[1].file_fd < 0 || pipe2(out, O_CLOEXEC) < 0 ||
        pipe2(err, O_CLOEXEC) < 0 || pipe2(status_pipe, O_CLOEXEC) < 0)
        goto cleanup;
    plan_limits(o, argv[0], &lim);
    pid_t self = getpid();
    double start = now();
    pid = fork();
    if (pid < 0)
        goto cleanup;
    if (pid == 0)
        child(&lim, self, argv, env_add, out[1], err[1], status_pipe[1]);
    setpgid(pid, pid); /* also here, so a kill(-pid) cannot miss the group */
    r->pid = (long)pid;
    close(out[1]), close(err[1]), close(status_pipe[1]);
    out[1] = err[1] = status_pipe[1] = -1;
    st[0].pipe_fd = out[0], st[1].pipe_fd = err[0];
    out[0] = err[0] = -1;
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

    int exec_errno = 0;
    if (read(status_pipe[0], &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
        waitpid(pid, &status, 0);
        r->code = exec_errno;
        rc = 0;
        goto cleanup;
    }
    if (supervise(pid, pidfd, st, start + o->timeout, cap, &lim, &status, &ru,
                  &r->leftovers)) {
        r->end = WIFSIGNALED(status) ? RUN_SIGNALED : RUN_EXITED;
        r->code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
    } else {
        kill(pid, SIGKILL); /* it may have left its group */
        kill(-pid, SIGKILL);
        while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
            ;
        r->leftovers = kill_leftovers(pid);
        r->end = RUN_TIMED_OUT;
    }
    r->seconds = now() - start;
    for (int i = 0; i < 2; i++) {
        r->truncated |= st[i].dropped > 0;
        mark_truncated(&st[i], cap);
    }
    note_limits(o, &lim, &ru, r);
    rc = 0;
cleanup:;
    int e = errno;
    int fds[] = {out[0], out[1], err[0], err[1], status_pipe[0], status_pipe[1], pidfd,
                 st[0].pipe_fd, st[1].pipe_fd, st[0].file_fd, st[1].file_fd,
                 lim.cgroup_procs};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (lim.cgroup[0] != '\0' && rmdir(lim.cgroup) != 0)
        fprintf(stderr, "leakcheck: warning: cannot remove %s: %s\n", lim.cgroup,
                strerror(errno));
    errno = e;
    return rc;
}

void run_free(struct run *r)
{
    text_free(&r->limits), text_free(&r->hint);
    text_free(&r->out_path), text_free(&r->err_path);
}

void run_describe(const struct run *r, struct text *out)
{
    switch (r->end) {
    case RUN_EXITED:
        text_addf(out, "exited %d after %.2f s", r->code, r->seconds);
        break;
    case RUN_SIGNALED:
        text_addf(out, "was killed by signal %d (SIG%s) after %.2f s", r->code,
                  sigabbrev_np(r->code) ? sigabbrev_np(r->code) : "?", r->seconds);
        break;
    case RUN_TIMED_OUT:
        text_addf(out, "timed out after %.2f s: its process group was killed", r->seconds);
        break;
    case RUN_NOT_STARTED:
        text_addf(out, "could not be started: %s", strerror(r->code));
        break;
    }
    if (r->leftovers > 0)
        text_addf(out, "; %d processes it started were still there and were killed",
                  r->leftovers);
    text_addf(out, "%s%s", text_str(&r->limits), text_str(&r->hint));
}

/* Appends the last `lines` lines of the file at path to out, indented. */
static void tail_into(struct text *out, const char *label, const char *path, int lines)
{
    size_t len = 0;
    char *text = read_file(path, 1 << 20, &len);
    if (text == NULL || len == 0) {
        free(text);
        return;
    }
    char *p = text + len;
    for (int seen = 0; p > text; p--)
        if (p[-1] == '\n' && p != text + len && ++seen == lines)
            break;
    text_addf(out, "  last lines of its %s (%s):\n", label, path);
    for (char *line = strtok(p, "\n"); line != NULL; line = strtok(NULL, "\n"))
        text_addf(out, "    %s\n", line);
    free(text);
}

int run_judgeable(const struct run *r, int ok_code, struct findings *f)
{
    if (r->end == RUN_EXITED && r->code == ok_code && r->limits.len == 0)
        return 1;
    text_setf(&f->problem, "the program ");
    run_describe(r, &f->problem);
    if (r->end == RUN_EXITED && r->code != 0)
        text_addf(&f->problem, " (a judged run must exit 0)");
    else if (r->end == RUN_EXITED && r->code == ok_code)
        text_addf(&f->problem, " (a run that hit a limit is not judged)");
    tail_into(&f->context, "stderr", text_str(&r->err_path), 12);
    tail_into(&f->context, "stdout", text_str(&r->out_path), 6);
    return 0;
}
