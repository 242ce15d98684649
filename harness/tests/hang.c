/* hang.c: records itself, then waits forever, ignoring every signal it can.
 *
 *   hang PIDFILE
 *
 * Only SIGKILL ends it. leakcheck must kill it at --timeout, report the
 * timeout, and leave no process behind (the test reads PIDFILE).
 */
#define _GNU_SOURCE
#include "hostile.h"

#include <signal.h>

int main(int argc, char **argv)
{
    if (argc != 2 || record_self(argv[1]) != 0)
        return 1;
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_IGN); /* fails for SIGKILL and SIGSTOP, as it should */
    for (;;)
        pause();
}
