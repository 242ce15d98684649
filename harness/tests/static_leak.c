/* static_leak: the smallest leak both static analysers report, in a file
 * whose copy the harness's tests give a name with spaces and a quote.
 * lose_it() mallocs 77 bytes and returns without freeing them or handing
 * them back: gcc-analyzer and clang-analyzer must say leak, at lose_it.
 * It is never run. */
#include <stdlib.h>
#include <string.h>

/* Returns the first byte of a fresh 77-byte block, and loses the block. */
static __attribute__((noinline)) int lose_it(void)
{
    char *p = malloc(77);
    if (p == NULL)
        return -1;
    memset(p, 'x', 77);
    return p[0]; /* the only pointer to the block goes out of scope here */
}

int main(void)
{
    return lose_it() == 'x' ? 0 : 1;
}
