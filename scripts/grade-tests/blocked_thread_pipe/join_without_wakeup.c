/* blocked_thread_pipe, a wrong fix: main joins workers that never stop
 *
 * The fix      At the end, main joins every worker, then closes its pipe and
 *              frees its buffer: the clean-up is all there.
 * Why wrong    It comes in the wrong order. Each worker is blocked in read()
 *              on a pipe whose write end main still holds open, so it never
 *              returns, and pthread_join() waits for it for ever: the
 *              program hangs before printing anything. The worker must be
 *              woken first (close job[1], so read() sees end of file), then
 *              joined. A hang is not graded further: no detector runs.
 * Grade with: --timeout=3
 * Must fail: compiles same_output no_crash_or_hang own_process bounded_growth.heap bounded_growth.threads bounded_growth.fds leak_gone.massif leak_gone.census no_new_leak.lsan no_new_leak.memcheck
 * Must say: same_output: it did not finish in time
 * Must say: own_process: not run: the program hangs
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE 7000 /* easy to spot in a report: 7000 bytes per worker */
#define MAX_JOBS 256

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

/* The worker thread: serves every job id read from w->job[0] and publishes
 * each result, until the pipe is at end of file. Returns NULL; owns nothing. */
static void *worker_main(void *arg)
{
    struct worker *w = arg;
    uint32_t id;
    /* LEAK: nobody ever closes job[1], so after its job this read() blocks for ever */
    while (read(w->job[0], &id, sizeof id) == sizeof id) {
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

int main(int argc, char **argv)
{
    long jobs = argc > 1 ? strtol(argv[1], NULL, 10) : 16;
    if (jobs <= 0 || jobs > MAX_JOBS) {
        fprintf(stderr, "usage: %s [JOBS]  (1..%d)\n", argv[0], MAX_JOBS);
        return 2;
    }
    uint32_t sum = 0;
    for (long i = 0; i < jobs; i++) {
        if (start_worker(&workers[i]) != 0 || run_job(&workers[i], (uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: job %ld failed\n", argv[0], i);
            return 1;
        }
    }
    for (long i = 0; i < jobs; i++) {
        pthread_join(workers[i].tid, NULL); /* WRONG: waits for a worker nobody woke */
        close(workers[i].job[0]);
        close(workers[i].job[1]);
        free(workers[i].buf);
    }
    printf("blocked_thread_pipe: %ld jobs, checksum %08x\n", jobs, (unsigned)sum);
    return 0;
}
