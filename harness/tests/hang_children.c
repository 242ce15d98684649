/* hang_children.c: starts three children that hang, each getting away in
 * its own way, then hangs or exits.
 *
 *   hang_children PIDFILE hang|exit
 *
 *   child 1 stays in the program's process group;
 *   child 2 moves to a process group of its own;
 *   child 3 is a daemon: forked twice, its middle parent exits, and it starts
 *           a session of its own, so it is no longer the program's descendant
 *           in any way ps would show.
 *
 * Each child records itself in PIDFILE, then writes one byte to a pipe; the
 * program waits for three bytes, so all three are running before it hangs
 * (leakcheck must kill everything at --timeout) or exits 0 (leakcheck must
 * kill what it left running). The test reads PIDFILE afterwards: no process
 * of the run may be left.
 */
#define _GNU_SOURCE
#include "hostile.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void deaf(void)
{
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGCHLD)
            signal(sig, SIG_IGN);
}

/* In a child: gets away as `how` says (1, 2 or 3), records itself, says it
 * is ready on ready_fd and waits forever. Never returns. */
static void hang_child(int how, const char *pidfile, int ready_fd)
{
    if (how == 2)
        setpgid(0, 0);
    if (how == 3) {
        if (fork() != 0)
            _exit(0); /* the middle parent */
        setsid();
    }
    if (record_self(pidfile) != 0 || write(ready_fd, "", 1) != 1)
        _exit(1);
    for (;;)
        pause();
}

int main(int argc, char **argv)
{
    int ready[2];
    char byte;
    if (argc != 3 || (strcmp(argv[2], "hang") != 0 && strcmp(argv[2], "exit") != 0) ||
        pipe(ready) != 0)
        return 1;
    deaf();
    for (int how = 1; how <= 3; how++) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0)
            hang_child(how, argv[1], ready[1]);
    }
    for (int n = 0; n < 3; n++)
        if (read(ready[0], &byte, 1) != 1)
            return 1;
    if (strcmp(argv[2], "exit") == 0) {
        close(ready[0]), close(ready[1]); /* so the census sees no fd left open */
        return 0;
    }
    for (;;)
        pause();
}
