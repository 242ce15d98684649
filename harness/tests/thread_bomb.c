/* thread_bomb.c: starts threads until pthread_create fails, every thread
 * waiting forever.
 *
 * When a thread is refused the program says "thread refused after N
 * threads" and exits 1. Without a limit it stops at 1000 threads and says
 * "no limit stopped it". leakcheck must contain it (--max-procs counts
 * threads too) and report the limit.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { ENOUGH = 1000 };

static void *wait_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
}

int main(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 << 10); /* the limit hit must be --max-procs */
    for (int n = 1; n < ENOUGH; n++) {
        pthread_t t;
        int err = pthread_create(&t, &attr, wait_forever, NULL);
        if (err != 0) {
            printf("thread refused after %d threads: %s\n", n, strerror(err));
            fflush(stdout);
            _exit(1); /* the threads stay blocked: no point joining them */
        }
    }
    printf("no limit stopped it: %d threads\n", ENOUGH);
    fflush(stdout);
    _exit(1);
}
