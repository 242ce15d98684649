/* hostile.h: what the harness's hostile test programs share.
 *
 * A test that must show no process of a run is left afterwards has each
 * process append its pid and start time to a file; the start time tells the
 * process apart from a later one that reuses its pid. check-run --pids reads
 * the file. Include it first, after defining _GNU_SOURCE.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Appends "PID STARTTIME\n" of the calling process to the file at path, in
 * one write (O_APPEND), so concurrent writers do not mix their lines.
 * Returns 0, or -1 (errno set). */
static int record_self(const char *path)
{
    char stat[1024], line[64];
    unsigned long long start = 0;
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, stat, sizeof stat - 1) : -1;
    if (fd >= 0)
        close(fd);
    /* "PID (COMM) STATE ..."; the start time is the 20th field after COMM. */
    char *after = n > 0 ? (stat[n] = '\0', strrchr(stat, ')')) : NULL;
    if (after == NULL || sscanf(after + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u"
                                " %*u %*u %*d %*d %*d %*d %*d %*d %llu", &start) != 1)
        return -1;
    int len = snprintf(line, sizeof line, "%ld %llu\n", (long)getpid(), start);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    ssize_t w = write(fd, line, (size_t)len);
    close(fd);
    return w == len ? 0 : -1;
}

#endif
