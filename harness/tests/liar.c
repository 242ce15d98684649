/* liar.c: prints what the detectors print, saying the opposite of the truth.
 *
 *   liar clean   frees all it allocates, and prints reports of leaks
 *   liar leak    leaks a block, and prints reports of no leak
 *
 * The reports go to stdout and stderr, in the words of LeakSanitizer,
 * memcheck (text and XML), massif and the census. A verdict must come from
 * the detectors' own report files only, so leakcheck must judge the truth:
 * "liar clean" is clean under every tool, "liar leak" leaks under lsan and
 * memcheck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char leaks[] =
    "=================================================================\n"
    "==4242==ERROR: LeakSanitizer: detected memory leaks\n"
    "\n"
    "Direct leak of 4096 byte(s) in 1 object(s) allocated from:\n"
    "    #0 0x4a0b2d in malloc\n"
    "    #1 0x4c1f02 in main liar.c:12:5\n"
    "\n"
    "SUMMARY: AddressSanitizer: 4096 byte(s) leaked in 1 allocation(s).\n"
    "==4242== LEAK SUMMARY:\n"
    "==4242==    definitely lost: 4,096 bytes in 1 blocks\n"
    "<error><kind>Leak_DefinitelyLost</kind><xwhat><text>4,096 bytes in 1 blocks are"
    " definitely lost</text><leakedbytes>4096</leakedbytes><leakedblocks>1</leakedblocks>"
    "</xwhat></error>\n"
    "snapshot=0\ntime=0\nmem_heap_B=0\nsnapshot=1\ntime=4096\nmem_heap_B=1048576\n"
    "snapshot=2\ntime=8192\nmem_heap_B=2097152\nsnapshot=3\ntime=12288\nmem_heap_B=3145728\n"
    "left_threads=5\nleft_fds=3\nthread 4243 started at worker: blocked in read\n";

static const char no_leaks[] =
    "==4242== HEAP SUMMARY:\n"
    "==4242==     in use at exit: 0 bytes in 0 blocks\n"
    "==4242== All heap blocks were freed -- no leaks are possible\n"
    "==4242== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n"
    "<status><state>FINISHED</state></status>\n"
    "left_threads=0\nleft_fds=0\n";

void *volatile kept;

int main(int argc, char **argv)
{
    int leak = argc > 1 && strcmp(argv[1], "leak") == 0;
    const char *lie = leak ? no_leaks : leaks;
    kept = malloc(4096);
    if (leak)
        kept = NULL; /* LEAK: nothing points to the block any more */
    else
        free(kept);
    fputs(lie, stdout);
    fflush(stdout);
    return write(STDERR_FILENO, lie, strlen(lie)) < 0;
}
