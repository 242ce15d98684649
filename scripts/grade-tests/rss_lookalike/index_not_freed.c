/* rss_lookalike, a wrong fix: the tokens are freed, their index is not
 *
 * The fix      The loop that frees every token is added, and the free(index)
 *              below it is dropped, "since the index was the thing freed
 *              before and the leak is still there, it must be the index".
 * Why wrong    The index is one block of 8 bytes per token (320 KB at the
 *              default 40000 tokens): now it is the one lost, and its size
 *              grows with the workload. The heap left at main's end grows
 *              with the work, and LSan and memcheck report a direct leak of
 *              the index: free the elements, then the container.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    for (long i = 0; i < made; i++) /* FIX: free the tokens, then their index */
        free(index[i]);
    /* WRONG: no free(index): the container is lost now */
    if (made < tokens) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    fprintf(stderr, "rss_lookalike: resident set at the end: %ld KiB\n", rss_kib());
    printf("rss_lookalike: %ld tokens, checksum %08x\n", tokens, (unsigned)sum);
    return 0;
}
