/* alloc_bomb.c: allocates and touches memory, a mebibyte at a time, until
 * malloc fails.
 *
 * Then it says "allocation refused after N MiB" and exits 1. Without a limit
 * it stops at 1024 MiB and says "no limit stopped it". leakcheck must
 * contain it (--max-memory: the address space, or an ASan build's RSS) and
 * report the limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ENOUGH = 1024 };

void *volatile last;

int main(void)
{
    for (int mib = 0; mib < ENOUGH; mib++) {
        char *block = malloc(1 << 20);
        if (block == NULL) {
            printf("allocation refused after %d MiB\n", mib);
            return 1;
        }
        memset(block, 1, 1 << 20);
        last = block;
    }
    printf("no limit stopped it: %d MiB\n", ENOUGH);
    return 1;
}
