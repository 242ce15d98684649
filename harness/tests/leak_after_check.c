/* leak_after_check: a program that runs a leak check itself while nothing
 * is lost, then loses a block and runs another; LSan builds only.
 *
 *   leak_after_check [final]
 *
 * The checks are __lsan_do_recoverable_leak_check, or with "final"
 * __lsan_do_leak_check: LSan's one non-recoverable check, after which LSan
 * alone runs no check at exit (so, alone, it never sees the leak). The
 * 48-byte block of lose_block() (lost_block.h) is lost at exit: leakcheck
 * must judge a leak of exactly one record, 48 B in 1 object, counting the
 * exit-time state once, whatever checks the program ran before.
 */
#include <sanitizer/lsan_interface.h>
#include <stdio.h>
#include <string.h>

#include "lost_block.h"

static void __attribute__((noinline)) check_now(int final)
{
    if (final)
        __lsan_do_leak_check();
    else
        __lsan_do_recoverable_leak_check();
}

int main(int argc, char **argv)
{
    int final = argc > 1 && strcmp(argv[1], "final") == 0;
    check_now(final);
    lose_block(48); /* LEAK: never freed, its pointer hidden */
    scrub();
    check_now(final);
    printf("lost one block\n");
    return 0;
}
