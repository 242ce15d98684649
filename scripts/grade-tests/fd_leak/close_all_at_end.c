/* fd_leak, a wrong fix: every log is closed at the end of main
 *
 * The fix      Each rotation files the old log's fd in a growing table, and
 *              main closes every fd in it before removing the logs: "no fd is
 *              open when the program ends".
 * Why wrong    End-of-main cleanup: every log stays open until the end, one fd
 *              more per 64 records, so the fds open during main grow with the
 *              workload (32 at the default, over a thousand at ~40x, past the
 *              usual limit of 1024, where open() fails with EMFILE). A
 *              rotation must close the old log when it opens the new one.
 * Must fail: bounded_growth.fds leak_gone.memcheck leak_gone.census no_new_leak.lsan no_new_leak.massif
 * Must say: bounded_growth.fds: grew by
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>
#include <unistd.h>

#define PER_FILE 64 /* records written to a log before rotating to the next one */

/* Fills path with dir/log.NNN for file number n. Returns 0, or -1 if too long. */
static int log_path(char *path, size_t size, const char *dir, long n)
{
    int len = snprintf(path, size, "%s/log.%03ld", dir, n);
    return len < 0 || (size_t)len >= size ? -1 : 0;
}

/* Opens (creates) log file number n in dir. Returns its fd, or -1 on error.
 * The caller owns the fd and must close() it. */
static __attribute__((noinline)) int open_log(const char *dir, long n)
{
    char path[4096];
    if (log_path(path, sizeof path, dir, n) != 0)
        return -1;
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

/* Writes record `tick` to fd and folds its bytes into *sum. Returns 0 or -1. */
static int write_record(int fd, long tick, uint32_t *sum)
{
    char line[64];
    int len = snprintf(line, sizeof line, "tick %06ld: request served in %ld steps\n",
                       tick, tick % 17 + 1);
    for (int i = 0; i < len; i++)
        *sum = *sum * 31u + (unsigned char)line[i];
    return write(fd, line, (size_t)len) == len ? 0 : -1;
}

static int *old_fds; /* every rotated-out log, closed at the end */
static size_t nold, capacity;

/* Files fd (then owned here) until close_old_logs(). Returns 0, or -1 when
 * out of memory. */
static int keep_fd(int fd)
{
    if (nold == capacity) {
        size_t bigger = capacity ? 2 * capacity : 16;
        int *t = realloc(old_fds, bigger * sizeof *t);
        if (t == NULL)
            return -1;
        old_fds = t;
        capacity = bigger;
    }
    old_fds[nold++] = fd;
    return 0;
}

/* Closes every filed fd and frees the table. */
static void close_old_logs(void)
{
    for (size_t i = 0; i < nold; i++)
        close(old_fds[i]);
    free(old_fds);
}

/* Unlinks log files 0..files-1 in dir, then dir itself. Owns nothing. */
static void remove_logs(const char *dir, long files)
{
    char path[4096];
    for (long n = 0; n < files; n++)
        if (log_path(path, sizeof path, dir, n) == 0)
            unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    long records = argc > 1 ? strtol(argv[1], NULL, 10) : 2048;
    if (records <= 0 || records > 1000000) {
        fprintf(stderr, "usage: %s [RECORDS]  (1..1000000)\n", argv[0]);
        return 2;
    }
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || *tmp == '\0')
        tmp = "/tmp";
    char dir[4000];
    int len = snprintf(dir, sizeof dir, "%s/fd_leak.XXXXXX", tmp);
    if (len < 0 || (size_t)len >= sizeof dir || mkdtemp(dir) == NULL) {
        perror("fd_leak: cannot create a temporary directory");
        return 1;
    }
    int fd = -1, rc = 1;
    long files = 0;
    uint32_t sum = 0;
    for (long tick = 0; tick < records; tick++) {
        if (tick % PER_FILE == 0) { /* rotate */
            if (fd >= 0 && keep_fd(fd) != 0) { /* WRONG: closed only at the end */
                perror("fd_leak: out of memory");
                goto cleanup;
            }
            if ((fd = open_log(dir, files)) < 0) {
                perror("fd_leak: cannot open a log file");
                goto cleanup;
            }
            files++;
        }
        if (write_record(fd, tick, &sum) != 0) {
            perror("fd_leak: cannot write a record");
            goto cleanup;
        }
    }
    printf("fd_leak: %ld records in %ld files, checksum %08x\n", records, files, (unsigned)sum);
    rc = 0;
cleanup:
    if (fd >= 0)
        close(fd);
    close_old_logs(); /* WRONG: the only place an old log is closed */
    remove_logs(dir, files);
    return rc;
}
