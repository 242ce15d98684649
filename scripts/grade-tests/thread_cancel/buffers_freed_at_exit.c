/* thread_cancel, a wrong fix: the buffers are listed, and freed at the end of main
 *
 * The fix      Each worker files its buffer in a global list (under a mutex)
 *              as soon as it has one, and main frees the whole list just
 *              before it returns: "a cancelled thread cannot free, so main
 *              does".
 * Why wrong    End-of-main cleanup: a cancelled worker's 3600 bytes stay
 *              allocated until the end, one more per session, so the heap
 *              during main grows with the workload exactly as before. Only
 *              the exit-time detectors are satisfied. The buffer must be
 *              freed when its thread ends: a cleanup handler.
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

struct kept {
    struct kept *next;
    unsigned char *buf;
};
static struct kept *kept; /* every worker's buffer, freed at exit */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

/* Files buf on the kept list (which then owns it). Returns 0, or -1 when out
 * of memory. */
static int keep_buffer(unsigned char *buf)
{
    struct kept *k = malloc(sizeof *k);
    if (k == NULL)
        return -1;
    k->buf = buf;
    pthread_mutex_lock(&kept_lock);
    k->next = kept;
    kept = k;
    pthread_mutex_unlock(&kept_lock);
    return 0;
}

/* Frees every kept buffer and the list. */
static void free_kept(void)
{
    while (kept != NULL) {
        struct kept *next = kept->next;
        free(kept->buf);
        free(kept);
        kept = next;
    }
}

/* Returns a new BUF_SIZE scratch buffer, or NULL when out of memory.
 * The calling worker owns it and must free() it. */
static __attribute__((noinline)) unsigned char *alloc_buffer(void)
{
    return malloc(BUF_SIZE);
}

/* Thread body: reads job ids from fd *arg until end-of-file and replies to
 * each with a checksum (-1 if it has no buffer). Owns its buffer, not the fd. */
static void *worker_main(void *arg)
{
    int fd = *(int *)arg;
    unsigned char *buf = alloc_buffer();
    if (buf != NULL && keep_buffer(buf) != 0) { /* WRONG: freed only when main ends */
        free(buf);
        buf = NULL;
    }
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
    return NULL; /* the kept list owns buf */
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
    if (pthread_create(&tid, NULL, worker_main, &sv[1]) != 0)
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
    free_kept(); /* WRONG: the only place a buffer is freed */
    return 0;
}
