/* crash.c: leaks a block, then dies by a signal.
 *
 *   crash [SIGNAL]
 *
 * SIGNAL is a signal number to raise; without one the program writes through
 * a null pointer (a real SIGSEGV, which ASan reports as such). The block is
 * lost first so that there is a leak to see: memcheck reports the leaks of a
 * process that died by a signal. Whatever the expectation, leakcheck must not
 * judge this run: exit 2, the signal named.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

void *volatile leaked;

int main(int argc, char **argv)
{
    leaked = malloc(4096);
    leaked = NULL; /* LEAK: nothing points to the block any more */
    if (argc > 1)
        raise(atoi(argv[1]));
    else
        *(volatile int *)NULL = 1;
    fprintf(stderr, "crash: still alive after signal %s\n", argc > 1 ? argv[1] : "SIGSEGV");
    return 4;
}
