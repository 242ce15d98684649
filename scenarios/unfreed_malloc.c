/* unfreed_malloc: the leaky twin (its fix: fixed/unfreed_malloc.c)
 *
 * What leaks    Every request allocates one 1344-byte record in
 *               make_record() and handle_request() drops the only pointer
 *               to it after use: one block lost per request.
 * Rule broken   Whoever receives an owned pointer must free it, or hand it
 *               on, on every path out of the function.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      leak (direct) in make_record: 1344 B x REQUESTS, one block per request
 *   memcheck  leak (definite) in make_record: definitely lost, the same blocks, the same stack
 *   massif    leak (growing) in make_record: the heap rises linearly for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer leak (malloc-leak) in make_record: the path returns with the only pointer to
 *                 the record
 *   clang-analyzer leak (memory-leak) in make_record: seen once the bound covers the 21-round
 *                 checksum loop before the return
 * Usage         unfreed_malloc [REQUESTS]      (default 200)
 * Prints        one line: the request count and a checksum of all replies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_SIZE 1344 /* easy to spot in a report: 1344 bytes per block */

struct record {
    uint32_t id;
    char body[RECORD_SIZE - sizeof(uint32_t)];
};

/* Returns a new record for request `id`, or NULL when out of memory.
 * The caller owns the record and must free() it. */
static __attribute__((noinline)) struct record *make_record(uint32_t id)
{
    struct record *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    r->id = id;
    memset(r->body, (int)('a' + id % 26), sizeof r->body);
    return r;
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    struct record *r = make_record(id);
    if (r == NULL)
        return -1;
    for (size_t i = 0; i < sizeof r->body; i += 64)
        *sum = *sum * 31u + (uint32_t)r->body[i] + r->id;
    /* LEAK: returning here without free(r) loses the only pointer to the record */
    return 0;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    uint32_t sum = 0;
    for (long i = 0; i < requests; i++) {
        if (handle_request((uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    printf("unfreed_malloc: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    return 0;
}
