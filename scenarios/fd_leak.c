/* fd_leak: the leaky twin (its fix: fixed/fd_leak.c)
 *
 * What leaks    A logger rotates to a new file every 64 records: open_log()
 *               opens log.NNN in a fresh temporary directory, and the rotation
 *               forgets to close() the previous log: one fd lost per rotation.
 *               The files are unlinked at the end, so nothing stays on disk,
 *               but every lost fd still holds its (deleted) file open.
 * Rule broken   Whoever opens a file descriptor must close it when replacing
 *               it, exactly as with an owned pointer.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: no heap memory is involved
 *   memcheck  leak (fd, with --track-fds): one fd per rotation, in its text log only
 *   massif    blind: the heap stays flat
 *   census    leak (fds): one fd per rotation, each on a deleted log file
 *   gcc-analyzer blind: gcc 12 has no fd checker (only FILE *)
 *   clang-analyzer blind: clang 14 has no fd checker
 * Usage         fd_leak [RECORDS]      (default 2048; the logs go in $TMPDIR or /tmp)
 * Prints        one line: the record and file counts and a checksum of all records.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
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
            /* LEAK: the old log's fd is overwritten below without close(fd) */
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
    remove_logs(dir, files);
    return rc;
}
