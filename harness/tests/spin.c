/* spin.c: burns CPU in two threads, forever.
 *
 * leakcheck must stop it at --max-cpu seconds of CPU (SIGXCPU), well before
 * its --timeout, and say that the CPU limit ended it.
 */
#include <pthread.h>

static volatile unsigned long spins;

static void *spin(void *arg)
{
    (void)arg;
    for (;;)
        spins++;
}

int main(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, spin, NULL) != 0)
        return 1;
    spin(NULL);
}
