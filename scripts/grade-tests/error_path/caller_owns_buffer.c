/* error_path, a right fix: main owns one request buffer, read_request fills it
 *
 * The fix      read_request() no longer allocates: it fills a buffer its
 *              caller owns. main makes one 2000-byte buffer, every request is
 *              read into it, and main frees it before returning.
 * Why right    No path can skip a free() the function no longer owes: the
 *              heap holds one buffer at every workload, and the level at
 *              main's end is back to nothing. A design of its own: the buffer
 *              belongs to the loop, not to each request.
 * Must fail:
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUEST_SIZE 2000 /* easy to spot in a report: 2000 bytes per block */
#define BAD_EVERY 3       /* every 3rd request arrives with a bad magic */

/* Fills buf (REQUEST_SIZE bytes, the caller's) with request `id` as it
 * arrives on the wire, and returns buf. Owns nothing. */
static __attribute__((noinline)) char *read_request(char *buf, uint32_t id)
{
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

/* Serves request `id`, read into buf (borrowed): adds its reply's checksum
 * to *sum. Returns 0 on success, 1 when the request is rejected. */
static __attribute__((noinline)) int handle_request(char *buf, uint32_t id, uint32_t *sum)
{
    uint32_t rid;
    read_request(buf, id);
    if (!valid_request(buf))
        return 1; /* FIX: nothing to free here: the buffer is main's */
    memcpy(&rid, buf + 4, sizeof rid);
    for (size_t i = 8; i < REQUEST_SIZE; i += 64)
        *sum = *sum * 31u + (uint32_t)buf[i] + rid;
    return 0;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    char *buf = malloc(REQUEST_SIZE); /* FIX: one buffer, owned by main */
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    uint32_t sum = 0;
    long rejected = 0;
    for (long i = 0; i < requests; i++)
        rejected += handle_request(buf, (uint32_t)i, &sum);
    free(buf); /* FIX: its owner frees it, once */
    printf("error_path: %ld requests, %ld rejected, checksum %08x\n", requests,
           rejected, (unsigned)sum);
    return 0;
}
