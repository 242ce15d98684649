/* fork_bomb.c: forks until fork fails, every child waiting forever.
 *
 *   fork_bomb PIDFILE
 *
 * Each process records itself in PIDFILE. When fork fails the program says
 * "fork refused after N processes" and exits 1. Without a limit it stops at
 * 1000 processes and says "no limit stopped it", so that an uncontained run
 * stays survivable. leakcheck must contain it (--max-procs), report the
 * limit, and leave no process behind.
 */
#define _GNU_SOURCE
#include "hostile.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

enum { ENOUGH = 1000 };

int main(int argc, char **argv)
{
    if (argc != 2 || record_self(argv[1]) != 0)
        return 2;
    for (int n = 1; n < ENOUGH; n++) {
        pid_t pid = fork();
        if (pid < 0) {
            printf("fork refused after %d processes: %s\n", n, strerror(errno));
            return 1;
        }
        if (pid == 0) {
            record_self(argv[1]);
            for (;;)
                pause();
        }
    }
    printf("no limit stopped it: %d processes\n", ENOUGH);
    return 1;
}
