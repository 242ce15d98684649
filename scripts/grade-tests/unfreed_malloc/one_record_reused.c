/* unfreed_malloc, a right fix: one record, reused by every request
 *
 * The fix      Requests are served one at a time, so one record is enough:
 *              main makes it once, handle_request() refills it, and main
 *              frees it before returning.
 * Why right    The heap holds one 1344-byte record at any workload: its peak
 *              and its level at main's end do not grow with the requests (the
 *              reference holds one record too, for a moment per request).
 *              Every detector says clean. A design of its own: ownership
 *              stays with main instead of passing to each request.
 * Must fail:
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

/* Serves request `id` in record r (borrowed): adds its reply's checksum to
 * *sum. Returns 0. */
static __attribute__((noinline)) int handle_request(struct record *r, uint32_t id,
                                                    uint32_t *sum)
{
    r->id = id; /* FIX: refill the one record main owns */
    memset(r->body, (int)('a' + id % 26), sizeof r->body);
    for (size_t i = 0; i < sizeof r->body; i += 64)
        *sum = *sum * 31u + (uint32_t)r->body[i] + r->id;
    return 0;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    struct record *r = make_record(0); /* FIX: one record for every request */
    if (r == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    uint32_t sum = 0;
    for (long i = 0; i < requests; i++)
        handle_request(r, (uint32_t)i, &sum);
    free(r); /* FIX: main owns it, main frees it */
    printf("unfreed_malloc: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    return 0;
}
