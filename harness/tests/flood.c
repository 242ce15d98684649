/* flood.c: writes MIB mebibytes to stdout and as many to stderr, fast.
 *
 *   flood MIB
 *
 * leakcheck must keep reading (the program never blocks on a full pipe),
 * keep only --max-output bytes of each stream, say in the kept file that the
 * rest was dropped, and still judge the program, which is clean.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char block[65536];

int main(int argc, char **argv)
{
    long blocks = argc > 1 ? atol(argv[1]) * 16 : 16;
    memset(block, 'x', sizeof block);
    block[sizeof block - 1] = '\n';
    for (long i = 0; i < blocks; i++)
        if (write(STDOUT_FILENO, block, sizeof block) < 0 ||
            write(STDERR_FILENO, block, sizeof block) < 0)
            return 1;
    return 0;
}
