/* underscore_exit: grows its heap, then ends with _exit(0) from main.
 *
 * The preload shim marks main's end when main returns or calls exit(); after
 * _exit() it never runs, so massif gets main's start but not its end.
 * leakcheck must say so in full (its summary was once cut at 256 bytes)
 * without blaming a missing shim: the shim was loaded and marked the start.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *kept[64];

static void __attribute__((noinline)) grow(int i)
{
    kept[i] = malloc(4096);
    memset(kept[i], 'x', 4096);
}

int main(void)
{
    for (int i = 0; i < 64; i++)
        grow(i);
    _exit(0);
}
