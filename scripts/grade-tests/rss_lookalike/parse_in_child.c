/* rss_lookalike, a wrong fix: the parse runs in a forked child
 *
 * The fix      main forks; the child makes, indexes and checksums the
 *              tokens, prints the line, and exits, "so the kernel frees every
 *              token at once, like an arena"; the parent waits and passes on
 *              its exit status.
 * Why wrong    The child still loses a token per item: the leak is moved to a
 *              process no detector of the program judges, and a parser that
 *              ran in a long-lived worker would grow with every input. The
 *              grader refuses a fork the reference does not make.
 * Must fail: own_process bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: own_process: process(es) during main
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOKEN_SIZE 104 /* easy to spot in a report: 104 bytes per block */

/* Returns a new TOKEN_SIZE token for item `id`, or NULL when out of memory.
 * The caller owns the token and must free() it. */
static __attribute__((noinline)) char *make_token(uint32_t id)
{
    char *t = malloc(TOKEN_SIZE);
    if (t == NULL)
        return NULL;
    memset(t, 0, TOKEN_SIZE);
    snprintf(t, TOKEN_SIZE, "item-%08x", (unsigned)(id * 2654435761u));
    return t;
}

/* Returns a checksum of the first n tokens of index. Owns nothing. */
static uint32_t checksum(char *const *index, long n)
{
    uint32_t sum = 0;
    for (long i = 0; i < n; i++)
        for (const char *c = index[i]; *c != '\0'; c++)
            sum = sum * 31u + (unsigned char)*c;
    return sum;
}

/* Returns this process's resident set size in KiB (from /proc/self/statm,
 * read without stdio so as not to touch the heap), or -1. Owns nothing. */
static long rss_kib(void)
{
    char buf[128];
    long size, resident;
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    if (sscanf(buf, "%ld %ld", &size, &resident) != 2)
        return -1;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
    long tokens = argc > 1 ? strtol(argv[1], NULL, 10) : 40000;
    if (tokens <= 0 || tokens > 10000000) {
        fprintf(stderr, "usage: %s [TOKENS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    fflush(stdout);
    pid_t child = fork(); /* WRONG: the leak moves to a process nobody checks */
    if (child < 0)
        return 1;
    if (child > 0) {
        int status;
        if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
            return 1;
        return WEXITSTATUS(status);
    }
    char **index = malloc((size_t)tokens * sizeof *index); /* owned, as are its tokens */
    long made = 0;
    uint32_t sum = 0;
    if (index == NULL)
        goto cleanup;
    for (; made < tokens; made++)
        if ((index[made] = make_token((uint32_t)made)) == NULL)
            goto cleanup;
    sum = checksum(index, tokens);
cleanup:
    /* LEAK: the index is freed below, the tokens it points to are not */
    free(index);
    if (made < tokens) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        _exit(1);
    }
    fprintf(stderr, "rss_lookalike: resident set at the end: %ld KiB\n", rss_kib());
    printf("rss_lookalike: %ld tokens, checksum %08x\n", tokens, (unsigned)sum);
    fflush(stdout);
    _exit(0);
}
