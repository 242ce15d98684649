/* thread_cancel, a wrong fix: static buffers for the first 64 sessions
 *
 * The fix      alloc_buffer() hands session n the static buffer pool[n]
 *              ("static memory cannot leak"), 64 of them, twice the default
 *              workload; a later session, "which the tests never reach",
 *              still gets a malloc()ed one.
 * Why wrong    A bound above the default workload: the worker is still
 *              cancelled in read() with no cleanup handler, so from session
 *              64 on each malloc()ed buffer is lost, 3600 bytes per session,
 *              exactly the leak of the leaky program. The default run is
 *              clean; the larger workloads are not.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
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

#define STATIC_SESSIONS 64 /* WRONG: a bound chosen above the default workload */
static unsigned char pool[STATIC_SESSIONS][BUF_SIZE];

/* Returns the scratch buffer of session `session`: a static one for the
 * first STATIC_SESSIONS, else a new one (NULL when out of memory), which
 * the calling worker owns and must free(). */
static __attribute__((noinline)) unsigned char *alloc_buffer(uint32_t session)
{
    return session < STATIC_SESSIONS ? pool[session] : malloc(BUF_SIZE);
}

struct worker_args {
    int fd;
    uint32_t session;
};

/* Thread body: reads job ids from fd *arg until end-of-file and replies to
 * each with a checksum (-1 if it has no buffer). Owns its buffer, not the fd. */
static void *worker_main(void *arg)
{
    const struct worker_args *a = arg;
    int fd = a->fd;
    unsigned char *buf = alloc_buffer(a->session);
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
    if (a->session >= STATIC_SESSIONS)
        free(buf); /* WRONG: never reached: the worker is cancelled in read() */
    return NULL;
}

/* Runs one session: starts a worker, sends it JOBS jobs from `first` on, folds
 * its replies into *sum, then cancels and joins it. Returns 0, or -1 on
 * failure. Owns the socket pair, closed before returning. */
static int run_session(uint32_t first, uint32_t *sum)
{
    int sv[2], rc = -1; /* main talks on sv[0], the worker on sv[1] */
    pthread_t tid;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    struct worker_args args = {.fd = sv[1], .session = first / JOBS};
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
