/* rss_lookalike: the fixed twin (the leak: scenarios/rss_lookalike.c)
 *
 * What leaks    A parser makes one 104-byte token per input item in
 *               make_token(), indexes them, checksums them, then frees the
 *               index but not the tokens: one block lost per token. The fixed
 *               twin frees them all, yet glibc keeps such small freed blocks
 *               (fastbins) without returning their pages, so both twins end
 *               with the same resident set size: RSS and top cannot tell them
 *               apart, the detectors can.
 * Rule broken   Freeing a container does not free what it owns: free the
 *               elements, then the container.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      leak (direct) in make_token: 104 B x TOKENS, one block per token
 *   memcheck  leak (definite) in make_token: definitely lost, the same blocks, the same stack
 *   massif    leak (growing) in make_token: the leaky heap keeps rising, the fixed one falls to 0
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: the tokens sit in a heap array at indexes it cannot follow
 *   clang-analyzer blind: the tokens sit in a heap array at indexes it cannot follow
 * Usage         rss_lookalike [TOKENS]      (default 40000)
 * Prints        one line: the token count and a checksum of all tokens;
 *               on stderr, the resident set size at the end.
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
    free(index);
    if (made < tokens) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    fprintf(stderr, "rss_lookalike: resident set at the end: %ld KiB\n", rss_kib());
    printf("rss_lookalike: %ld tokens, checksum %08x\n", tokens, (unsigned)sum);
    return 0;
}
