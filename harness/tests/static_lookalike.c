/* static_lookalike: a correct program whose compile prints what looks like
 * an analyser's leak warning. The #warning below is an ordinary compiler
 * warning (-Wcpp), in the JSON and on stderr alike: gcc-analyzer and
 * clang-analyzer must read only their own analysers' results and say clean.
 * It is never run. */
#include <stdlib.h>

#warning "leak of 'buf' [CWE-401] [-Wanalyzer-malloc-leak]; Potential leak of memory pointed to by 'buf' [unix.Malloc]"

int main(void)
{
    char *buf = malloc(16);
    free(buf);
    return 0;
}
