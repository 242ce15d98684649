/* own_leak_check: a program that runs leak checks itself while a block is
 * still lost, then frees everything before it exits.
 *
 *   own_leak_check [added | final]
 *
 * It drops a 32-byte block's pointer (lost_block.h hides it in a global,
 * XOR-ed, so no detector can see it), asks the detector for a leak check
 * twice (VALGRIND_DO_LEAK_CHECK, or VALGRIND_DO_ADDED_LEAK_CHECK with
 * "added"; in an LSan build __lsan_do_recoverable_leak_check, or
 * __lsan_do_leak_check with "final"), then restores the pointer and frees the block. At exit
 * nothing is lost: leakcheck must judge it clean, counting only the
 * exit-time state, and report the program's own checks apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define HAVE_LSAN 1
#include <sanitizer/lsan_interface.h>
#endif
#endif
#ifndef HAVE_LSAN
#include <valgrind/memcheck.h>
#endif

#include "lost_block.h"

static void __attribute__((noinline)) check_now(int added)
{
#ifdef HAVE_LSAN
    if (added) /* "final": LSan's one non-recoverable check, run early */
        __lsan_do_leak_check();
    else
        __lsan_do_recoverable_leak_check();
#else
    if (added)
        VALGRIND_DO_ADDED_LEAK_CHECK;
    else
        VALGRIND_DO_LEAK_CHECK;
#endif
}

int main(int argc, char **argv)
{
    int added = argc > 1 && (strcmp(argv[1], "added") == 0 || strcmp(argv[1], "final") == 0);
    lose_block(32);
    scrub();
    check_now(added);
    check_now(added);
    free(found_block());
    printf("freed everything before exit\n");
    return 0;
}
