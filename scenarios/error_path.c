/* error_path: the leaky twin (its fix: fixed/error_path.c)
 *
 * What leaks    Every request is read into a 2000-byte buffer by
 *               read_request(); handle_request() returns early when the
 *               request fails validation (every 3rd one) and skips the
 *               free() at the end: one block lost per rejected request.
 * Rule broken   A function that owns a buffer must free it on every path
 *               out, error paths included (CWE-401); one cleanup exit does it.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      leak (direct) in read_request: 2000 B x REQUESTS/3, one block per rejected request
 *   memcheck  leak (definite) in read_request: definitely lost, the same blocks, the same stack
 *   massif    leak (growing) in read_request: the heap rises linearly for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer leak (malloc-leak) in read_request: the early-return path is a short one
 *   clang-analyzer leak (memory-leak) in read_request: the early-return path is a short one
 * Usage         error_path [REQUESTS]      (default 300)
 * Prints        one line: request and rejection counts, a checksum of replies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUEST_SIZE 2000 /* easy to spot in a report: 2000 bytes per block */
#define BAD_EVERY 3       /* every 3rd request arrives with a bad magic */

/* Returns a new buffer holding request `id` as it arrives on the wire, or
 * NULL when out of memory. The caller owns the buffer and must free() it. */
static __attribute__((noinline)) char *read_request(uint32_t id)
{
    char *buf = malloc(REQUEST_SIZE);
    if (buf == NULL)
        return NULL;
    memset(buf, (int)('a' + id % 26), REQUEST_SIZE);
    memcpy(buf, id % BAD_EVERY == BAD_EVERY - 1 ? "BAD!" : "REQ ", 4);
    memcpy(buf + 4, &id, sizeof id);
    return buf;
}

/* Returns 1 when `buf` carries a well-formed request, 0 otherwise.
 * Borrows buf. */
static int valid_request(const char *buf)
{
    return memcmp(buf, "REQ ", 4) == 0;
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, 1 when the request is rejected, -1 when out of
 * memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    int rc = 0;
    uint32_t rid;
    char *buf = read_request(id);
    if (buf == NULL)
        return -1;
    if (!valid_request(buf)) {
        return 1; /* LEAK: this early return skips the free(buf) below */
    }
    memcpy(&rid, buf + 4, sizeof rid);
    for (size_t i = 8; i < REQUEST_SIZE; i += 64)
        *sum = *sum * 31u + (uint32_t)buf[i] + rid;
    free(buf);
    return rc;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    uint32_t sum = 0;
    long rejected = 0;
    for (long i = 0; i < requests; i++) {
        int rc = handle_request((uint32_t)i, &sum);
        if (rc < 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        rejected += rc;
    }
    printf("error_path: %ld requests, %ld rejected, checksum %08x\n", requests,
           rejected, (unsigned)sum);
    return 0;
}
