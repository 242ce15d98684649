/* blocked_thread_pipe, a right fix: a fixed pool of workers and a shutdown flag
 *
 * The fix      No thread, pipe or buffer per job: POOL workers, started once,
 *              each with its own 7000-byte buffer, take jobs from a one-slot
 *              queue under a mutex and wait on a condition variable when
 *              there is none. At the end main sets a shutdown flag and
 *              broadcasts, the idle workers see it and return, and main
 *              joins them and frees their buffers.
 * Why right    A waiting worker waits on something main can signal, so it
 *              can always be stopped: at most POOL threads and buffers are
 *              alive at any workload, no fd is ever opened, and none of it is
 *              left at main's end. A design of its own: a thread pool with a
 *              shutdown flag instead of a cancel pipe per batch.
 * Must fail:
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE 7000 /* easy to spot in a report: 7000 bytes per worker */
#define MAX_JOBS 256
#define POOL 4 /* FIX: the workers, started once, for every job */

struct worker {
    pthread_t tid;
    char *buf; /* BUF_SIZE bytes of scratch space, owned by this entry */
};

static struct worker pool[POOL];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;      /* a job, or shutdown */
static pthread_cond_t published = PTHREAD_COND_INITIALIZER; /* a result */
/* All under `lock`: the one queued job, its result, and the shutdown flag. */
static uint32_t job_id, result;
static int queued, done, shutting_down;

/* FIX: the worker thread: serves queued jobs until shutdown is set and no job
 * is queued. Returns NULL; owns nothing (its entry owns the buffer). */
static void *worker_main(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!queued && !shutting_down)
            pthread_cond_wait(&wake, &lock);
        if (!queued)
            break; /* FIX: shutting down, and nothing left to do */
        uint32_t id = job_id, r = id;
        queued = 0;
        pthread_mutex_unlock(&lock);
        memset(w->buf, (int)('a' + id % 26), BUF_SIZE);
        for (size_t i = 0; i < BUF_SIZE; i += 64)
            r = r * 31u + (uint32_t)w->buf[i];
        pthread_mutex_lock(&lock);
        result = r;
        done = 1;
        pthread_cond_broadcast(&published);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Gives entry `w` a buffer and a running worker thread. Returns 0, or -1
 * with nothing left allocated. The entry owns both after. */
static __attribute__((noinline)) int start_worker(struct worker *w)
{
    w->buf = malloc(BUF_SIZE);
    if (w->buf != NULL && pthread_create(&w->tid, NULL, worker_main, w) == 0)
        return 0;
    free(w->buf);
    w->buf = NULL;
    return -1;
}

/* Queues job `id`, waits for its result and folds it into *sum. Owns nothing. */
static void run_job(uint32_t id, uint32_t *sum)
{
    pthread_mutex_lock(&lock);
    job_id = id;
    queued = 1;
    done = 0;
    pthread_cond_signal(&wake);
    while (!done)
        pthread_cond_wait(&published, &lock);
    *sum = *sum * 31u + result;
    pthread_mutex_unlock(&lock);
}

/* FIX: stops the first `started` workers: sets the shutdown flag, wakes them
 * all, joins each one and frees its buffer. */
static void stop_pool(int started)
{
    pthread_mutex_lock(&lock);
    shutting_down = 1;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < started; i++) {
        pthread_join(pool[i].tid, NULL);
        free(pool[i].buf);
    }
}

int main(int argc, char **argv)
{
    long jobs = argc > 1 ? strtol(argv[1], NULL, 10) : 16;
    if (jobs <= 0 || jobs > MAX_JOBS) {
        fprintf(stderr, "usage: %s [JOBS]  (1..%d)\n", argv[0], MAX_JOBS);
        return 2;
    }
    int started = 0;
    while (started < POOL && start_worker(&pool[started]) == 0)
        started++;
    if (started < POOL) {
        stop_pool(started);
        fprintf(stderr, "%s: cannot start the workers\n", argv[0]);
        return 1;
    }
    uint32_t sum = 0;
    for (long i = 0; i < jobs; i++)
        run_job((uint32_t)i, &sum);
    stop_pool(started); /* FIX: every worker is told to stop, then joined */
    printf("blocked_thread_pipe: %ld jobs, checksum %08x\n", jobs, (unsigned)sum);
    return 0;
}
