/* blocked_thread_pipe: the fixed twin (the leak: scenarios/blocked_thread_pipe.c)
 *
 * What leaks    Each job gets a pipe, a 7000-byte buffer and a worker thread
 *               (start_worker()) that reads its job, publishes the result and
 *               loops back to read() for more, like Go's `for v := range ch`
 *               on a channel nobody closes: the write end stays open, so each
 *               worker blocks in read() for ever with its buffer and fds.
 * Rule broken   Whoever starts a thread must be able to stop it and must join
 *               it; whoever opens an fd must close it.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under
 *               all but where a line says otherwise.
 *   lsan      blind: the job table still points to the buffers
 *   memcheck  blind (possible,reachable):
 *               272 B per thread possibly lost (glibc's thread block, noise), the 7000 B buffers
 *               still reachable; the fds only with --track-fds
 *   massif    leak (growing) in start_worker: a small rise: 7000 B per job, never released
 *   census    leak (threads,fds) in worker_main: JOBS extra threads blocked in read(), 2 x JOBS fds
 *   gcc-analyzer leak (malloc-leak) in start_worker: the same false alarm on both twins: it
 *                 loses the buffer stored in the job table when the thread starts; on the fixed
 *                 twin: a false leak warning (malloc-leak)
 *   clang-analyzer blind: the buffers are reachable from the job table; threads are not its
 *                 business
 * Usage         blocked_thread_pipe [JOBS]      (default 16)
 * Prints        one line: the job count and a checksum of all results.
 */
#define _GNU_SOURCE
#include <poll.h> /* FIX: workers poll() their job pipe and the cancel pipe */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE 7000 /* easy to spot in a report: 7000 bytes per worker */
#define MAX_JOBS 256
#define BATCH 4 /* FIX: at most this many workers alive at once */

struct worker {
    pthread_t tid;
    int job[2];      /* the job pipe: main writes job[1], the worker reads job[0] */
    char *buf;       /* BUF_SIZE bytes of scratch space, owned by this entry */
    uint32_t result; /* published under `lock` ... */
    int done;        /* ... when this is set */
};

static struct worker workers[MAX_JOBS]; /* the job table: one entry per job */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t published = PTHREAD_COND_INITIALIZER;
static int cancel[2]; /* FIX: the batch's cancel pipe, like a Go context's Done() */

/* FIX: waits for the next job id on w->job[0] or for the batch's cancellation
 * (cancel[1] closed). Returns 0 with the id in *id, or -1 once cancelled. */
static int next_job(struct worker *w, uint32_t *id)
{
    struct pollfd p[2] = {{.fd = cancel[0], .events = POLLIN}, {.fd = w->job[0], .events = POLLIN}};
    if (poll(p, 2, -1) < 0 || p[0].revents != 0)
        return -1;
    return read(w->job[0], id, sizeof *id) == sizeof *id ? 0 : -1;
}

/* The worker thread: serves every job id read from w->job[0] and publishes
 * each result, until the pipe is at end of file. Returns NULL; owns nothing. */
static void *worker_main(void *arg)
{
    struct worker *w = arg;
    uint32_t id;
    while (next_job(w, &id) == 0) { /* FIX: a blocked worker wakes up on cancel */
        uint32_t r = id;
        memset(w->buf, (int)('a' + id % 26), BUF_SIZE);
        for (size_t i = 0; i < BUF_SIZE; i += 64)
            r = r * 31u + (uint32_t)w->buf[i];
        pthread_mutex_lock(&lock);
        w->result = r;
        w->done = 1;
        pthread_cond_broadcast(&published);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

/* Gives entry `w` a buffer, a pipe and a running worker thread. Returns 0, or
 * -1 with nothing left allocated or open. The entry owns all three after. */
static __attribute__((noinline)) int start_worker(struct worker *w)
{
    if (pipe(w->job) != 0)
        return -1;
    w->buf = malloc(BUF_SIZE);
    if (w->buf != NULL && pthread_create(&w->tid, NULL, worker_main, w) == 0)
        return 0;
    free(w->buf);
    close(w->job[0]);
    close(w->job[1]);
    return -1;
}

/* Hands job `id` to worker `w`, waits for its result and folds it into *sum.
 * Returns 0, or -1 when the pipe write fails. Owns nothing. */
static int run_job(struct worker *w, uint32_t id, uint32_t *sum)
{
    if (write(w->job[1], &id, sizeof id) != sizeof id)
        return -1;
    pthread_mutex_lock(&lock);
    while (!w->done)
        pthread_cond_wait(&published, &lock);
    *sum = *sum * 31u + w->result;
    pthread_mutex_unlock(&lock);
    return 0;
}

/* FIX: cancels the batch workers[first..end): closing cancel[1] wakes every
 * worker's poll(); then joins each thread, closes its pipe, frees its buffer. */
static void stop_batch(long first, long end)
{
    close(cancel[1]);
    for (long i = first; i < end; i++) {
        pthread_join(workers[i].tid, NULL);
        close(workers[i].job[0]);
        close(workers[i].job[1]);
        free(workers[i].buf);
    }
    close(cancel[0]);
}

int main(int argc, char **argv)
{
    long jobs = argc > 1 ? strtol(argv[1], NULL, 10) : 16;
    if (jobs <= 0 || jobs > MAX_JOBS) {
        fprintf(stderr, "usage: %s [JOBS]  (1..%d)\n", argv[0], MAX_JOBS);
        return 2;
    }
    uint32_t sum = 0;
    for (long i = 0; i < jobs; i++) {
        if ((i % BATCH == 0 && pipe(cancel) != 0) /* FIX: a new cancel pipe per batch */
            || start_worker(&workers[i]) != 0 || run_job(&workers[i], (uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: job %ld failed\n", argv[0], i);
            return 1;
        }
        if (i % BATCH == BATCH - 1 || i == jobs - 1)
            stop_batch(i - i % BATCH, i + 1); /* FIX: cancel and reap the batch */
    }
    printf("blocked_thread_pipe: %ld jobs, checksum %08x\n", jobs, (unsigned)sum);
    return 0;
}
