/* run.c: runs the program under test in a child, the way a test runner must.
 *
 * The child gets its own process group, stdin from /dev/null, and resource
 * limits; its stdout and stderr are pumped through pipes into files, capped so
 * that a chatty program cannot fill the disk. The parent waits on a pidfd and
 * the pipes with one deadline: on a timeout the whole process group is killed,
 * and when the program exits whatever it left running in its group is killed
 * too, so no process of the run outlives it. A normal exit, a signal and a
 * timeout are reported differently.
 */
#define _GNU_SOURCE
#include "leakcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One captured stream: the pipe we read and the file we keep. */
struct stream {
    int pipe_fd; /* -1 once at EOF */
    int file_fd;
    size_t kept;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the child side ------------------------------------------------------ */

/* Sets the limits every run gets. Address space is left alone: sanitizer
 * and valgrind runs reserve terabytes of it. */
static void child_limits(const struct options *o)
{
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core); /* a crash must not leave a core file */
    rlim_t cpu = (rlim_t)o->timeout + 5;
    struct rlimit cpu_lim = {cpu, cpu + 5};
    setrlimit(RLIMIT_CPU, &cpu_lim);
}

/* Becomes the program: never returns. On failure writes errno to err_fd. */
static void child(const struct options *o, char *const argv[], char *const env_add[],
                  int out_w, int err_w, int err_fd)
{
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
        goto fail;
    for (size_t i = 0; env_add != NULL && env_add[i] != NULL; i++)
        if (putenv(env_add[i]) != 0)
            goto fail;
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv("LEAKCHECK_PID", pid, 1); /* the preload shim reports for this pid only */
    child_limits(o);
    execv(argv[0], argv);
fail:;
    int e = errno;
    if (write(err_fd, &e, sizeof e) < 0)
        _exit(127);
    _exit(127);
}

/* ---- the parent side ----------------------------------------------------- */

/* Moves what is readable on s into its file, up to cap; the rest is read and
 * dropped so the program never blocks on a full pipe. Sets *truncated. */
static void pump(struct stream *s, size_t cap, int *truncated)
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
    if (s->kept + keep > cap) {
        keep = cap > s->kept ? cap - s->kept : 0;
        *truncated = 1;
    }
    if (keep > 0 && write(s->file_fd, buf, keep) == (ssize_t)keep)
        s->kept += keep;
}

/* Waits for the child and its output until the deadline. Returns 1 when the
 * child exited (status in *status), 0 on timeout. */
static int supervise(pid_t pid, int pidfd, struct stream st[2], double deadline,
                     size_t cap, int *status, int *truncated)
{
    int exited = 0;
    for (;;) {
        if (!exited && waitpid(pid, status, WNOHANG) == pid) {
            exited = 1;
            kill(-pid, SIGKILL); /* leftovers in its group die with it */
        }
        if (exited && st[0].pipe_fd < 0 && st[1].pipe_fd < 0)
            return 1;
        double left = deadline - now();
        if (left <= 0)
            return exited;
        struct pollfd p[3] = {
            {st[0].pipe_fd, POLLIN, 0}, {st[1].pipe_fd, POLLIN, 0},
            {exited ? -1 : pidfd, POLLIN, 0}};
        int ms = left > 1.0 ? 1000 : (int)(left * 1000) + 1;
        if (poll(p, 3, ms) < 0 && errno != EINTR)
            return exited;
        for (int i = 0; i < 2; i++)
            if (st[i].pipe_fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                pump(&st[i], cap, truncated);
    }
}

static int open_capture(const struct options *o, const char *label, const char *ext,
                        char *path, size_t n)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", label, ext);
    if (path_join(path, n, o->out_dir, name) == NULL)
        return -1;
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

int run_program(const struct options *o, const char *label, char *const argv[],
                char *const env_add[], struct run *r)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1}, status_pipe[2] = {-1, -1};
    struct stream st[2] = {{-1, -1, 0}, {-1, -1, 0}};
    int pidfd = -1, rc = -1, status = 0;
    memset(r, 0, sizeof *r);
    r->end = RUN_NOT_STARTED;

    st[0].file_fd = open_capture(o, label, "stdout", r->out_path, sizeof r->out_path);
    st[1].file_fd = open_capture(o, label, "stderr", r->err_path, sizeof r->err_path);
    if (st[0].file_fd < 0 || st[1].file_fd < 0 || pipe2(out, O_CLOEXEC) < 0 ||
        pipe2(err, O_CLOEXEC) < 0 || pipe2(status_pipe, O_CLOEXEC) < 0)
        goto cleanup;
    double start = now();
    pid_t pid = fork();
    if (pid < 0)
        goto cleanup;
    if (pid == 0)
        child(o, argv, env_add, out[1], err[1], status_pipe[1]);
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
    if (supervise(pid, pidfd, st, start + o->timeout, o->max_output, &status,
                  &r->truncated)) {
        r->end = WIFSIGNALED(status) ? RUN_SIGNALED : RUN_EXITED;
        r->code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
    } else {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        r->end = RUN_TIMED_OUT;
    }
    r->seconds = now() - start;
    rc = 0;
cleanup:;
    int e = errno;
    int fds[] = {out[0], out[1], err[0], err[1], status_pipe[0], status_pipe[1], pidfd,
                 st[0].pipe_fd, st[1].pipe_fd, st[0].file_fd, st[1].file_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    errno = e;
    return rc;
}

const char *run_describe(const struct run *r, char *buf, size_t n)
{
    switch (r->end) {
    case RUN_EXITED:
        snprintf(buf, n, "exited %d after %.2f s", r->code, r->seconds);
        break;
    case RUN_SIGNALED:
        snprintf(buf, n, "killed by signal %d (SIG%s) after %.2f s", r->code,
                 sigabbrev_np(r->code) ? sigabbrev_np(r->code) : "?", r->seconds);
        break;
    case RUN_TIMED_OUT:
        snprintf(buf, n, "timed out after %.2f s: its process group was killed",
                 r->seconds);
        break;
    case RUN_NOT_STARTED:
        snprintf(buf, n, "could not be started: %s", strerror(r->code));
        break;
    }
    return buf;
}

/* Appends the last `lines` lines of the file at path to buf, indented. */
static void tail_into(char *buf, size_t n, const char *label, const char *path, int lines)
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
    appendf(buf, n, "  last lines of its %s (%s):\n", label, path);
    for (char *line = strtok(p, "\n"); line != NULL; line = strtok(NULL, "\n"))
        appendf(buf, n, "    %s\n", line);
    free(text);
}

int run_judgeable(const struct run *r, int ok_code, struct findings *f)
{
    if (r->end == RUN_EXITED && r->code == ok_code)
        return 1;
    char how[160];
    snprintf(f->problem, sizeof f->problem, "the program %s", run_describe(r, how, sizeof how));
    if (r->end == RUN_EXITED && r->code != 0)
        appendf(f->problem, sizeof f->problem, " (a judged run must exit 0)");
    tail_into(f->context, sizeof f->context, "stderr", r->err_path, 12);
    tail_into(f->context, sizeof f->context, "stdout", r->out_path, 6);
    return 0;
}
