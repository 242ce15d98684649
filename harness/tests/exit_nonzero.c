/* exit_nonzero.c: leaks a block, then exits with status 3.
 *
 * A program that fails is not judged, whatever its detector saw: leakcheck
 * must exit 2 and say the program exited 3, even with --expect=leak.
 */
#include <stdio.h>
#include <stdlib.h>

void *volatile leaked;

int main(void)
{
    leaked = malloc(4096);
    leaked = NULL; /* LEAK: nothing points to the block any more */
    fprintf(stderr, "exit_nonzero: failing on purpose\n");
    return 3;
}
