/* thread_cancel, a right fix: the session owns the worker's buffer
 *
 * The fix      run_session() allocates the worker's buffer and hands it to
 *              the thread with its socket; after pthread_join() it frees it.
 *              The worker owns nothing, so cancelling it loses nothing.
 * Why right    The buffer's owner outlives the thread: it is freed after the
 *              join on every path, one session at a time, so the heap holds
 *              one 3600-byte buffer at any workload and none at main's end.
 *              A design of its own: ownership moves to the joiner instead of
 *              a cleanup handler in the thread.
 * Must fail:
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 3600 /* easy to spot in a report: 3600 bytes per worker */
#define JOBS 8        /* jobs served by each worker */

/* Returns a new BUF_SIZE scratch buffer, or NULL when out of memory.
 * The caller owns it and must free() it. */
static __attribute__((noinline)) unsigned char *alloc_buffer(void)
{
    return malloc(BUF_SIZE);
}

struct worker_args {
    int fd;
    unsigned char *buf; /* FIX: owned by run_session(), borrowed by the worker */
};

/* Thread body: reads job ids from a->fd until end-of-file and replies to
 * each with a checksum (-1 if it has no buffer). Owns nothing. */
static void *worker_main(void *arg)
{
    const struct worker_args *a = arg;
    int fd = a->fd;
    unsigned char *buf = a->buf;
    uint32_t job;
    while (read(fd, &job, sizeof job) == sizeof job) { /* a cancellation point */
        int64_t reply = -1;
        if (buf != NULL) {
            memset(buf, (int)('a' + job % 26), BUF_SIZE);
            uint32_t sum = job;
            for (size_t i = 0; i < BUF_SIZE; i += 64)
                sum = sum * 31u + buf[i];
            reply = sum;
        }
        if (write(fd, &reply, sizeof reply) != sizeof reply)
            break;
    }
    return NULL; /* FIX: nothing to free: buf is the session's */
}

/* Runs one session: starts a worker, sends it JOBS jobs from `first` on, folds
 * its replies into *sum, then cancels and joins it. Returns 0, or -1 on
 * failure. Owns the socket pair, closed before returning. */
static int run_session(uint32_t first, uint32_t *sum)
{
    int sv[2], rc = -1; /* main talks on sv[0], the worker on sv[1] */
    pthread_t tid;
    struct worker_args args = {.buf = alloc_buffer()}; /* FIX: the session owns it */
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        free(args.buf);
        return -1;
    }
    args.fd = sv[1];
    if (pthread_create(&tid, NULL, worker_main, &args) != 0)
        goto cleanup;
    rc = 0;
    for (uint32_t job = first; job < first + JOBS; job++) {
        int64_t reply;
        if (write(sv[0], &job, sizeof job) != sizeof job ||
            read(sv[0], &reply, sizeof reply) != sizeof reply || reply < 0) {
            rc = -1;
            break;
        }
        *sum = *sum * 31u + (uint32_t)reply;
    }
    pthread_cancel(tid); /* the worker now waits in read() for the next job */
    pthread_join(tid, NULL);
cleanup:
    free(args.buf); /* FIX: after the join: the worker can no longer use it */
    close(sv[0]);
    close(sv[1]);
    return rc;
}

int main(int argc, char **argv)
{
    long sessions = argc > 1 ? strtol(argv[1], NULL, 10) : 32;
    if (sessions <= 0 || sessions > 1000000) {
        fprintf(stderr, "usage: %s [SESSIONS]  (1..1000000)\n", argv[0]);
        return 2;
    }
    uint32_t sum = 0;
    for (long i = 0; i < sessions; i++) {
        if (run_session((uint32_t)i * JOBS, &sum) != 0) {
            fprintf(stderr, "%s: cannot run session %ld\n", argv[0], i);
            return 1;
        }
    }
    printf("thread_cancel: %ld sessions, checksum %08x\n", sessions, (unsigned)sum);
    return 0;
}
