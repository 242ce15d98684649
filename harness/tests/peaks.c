/* peaks: resources held for a while during main, all given back by its end.
 *
 *   peaks [fork]
 *
 * Opens 5 fds and copies them to numbers 2000-2004 (past 1024, so a census
 * that looks only below 1024 misses them), runs 4 threads at once (they
 * meet at a barrier, so all 4 are alive together), then closes and joins
 * everything before main returns; with "fork", also starts one child that
 * exits at once. At main's end nothing is left, so --tool=census says clean;
 * its figures must still show the peaks: 5 threads (main and the 4), 13 fds
 * (0-2, the 5 and their 5 copies) and, with "fork", 1 process started.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define FDS 5
#define HIGH_FD 2000

static pthread_barrier_t all_started;

static void *meet(void *arg)
{
    pthread_barrier_wait(&all_started);
    return arg;
}

int main(int argc, char **argv)
{
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) != 0 || nofile.rlim_max < HIGH_FD + FDS) {
        fprintf(stderr, "peaks: the fd limit is too low for fd %d\n", HIGH_FD + FDS);
        return 1;
    }
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
    int fds[FDS];
    for (int i = 0; i < FDS; i++)
        if ((fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 ||
            dup2(fds[i], HIGH_FD + i) < 0)
            return perror("peaks: open"), 1;
    pthread_t t[THREADS];
    pthread_barrier_init(&all_started, NULL, THREADS + 1);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, meet, NULL) != 0)
            return fprintf(stderr, "peaks: pthread_create failed\n"), 1;
    pthread_barrier_wait(&all_started);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&all_started);
    if (argc > 1 && strcmp(argv[1], "fork") == 0) {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        if (child < 0 || waitpid(child, NULL, 0) != child)
            return perror("peaks: fork"), 1;
    }
    for (int i = 0; i < FDS; i++)
        close(fds[i]), close(HIGH_FD + i);
    printf("peaks: done\n");
    return 0;
}
