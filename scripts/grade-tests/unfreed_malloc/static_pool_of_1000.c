/* unfreed_malloc, a wrong fix: records from a static pool, a fallback never freed
 *
 * The fix      make_record() hands out records from a static pool of 1000
 *              (five times the default workload), so there is nothing to
 *              free; only when the pool is used up does it fall back to
 *              malloc(), "just in case", and nobody frees that.
 * Why wrong    The pool is a bump allocator: each slot is handed out once and
 *              never reused, so past the 1000th request every record comes
 *              from malloc() and is lost, 1344 bytes each, exactly as before.
 *              The default run (200 requests) never reaches the fallback; the
 *              larger workloads do, and lose (N - 1000) records.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
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
#define POOL 1000 /* WRONG: a bound chosen above the default workload */
static struct record pool[POOL];
static size_t pool_used; /* slots handed out so far: each one only once */

static __attribute__((noinline)) struct record *make_record(uint32_t id)
{
    struct record *r = pool_used < POOL ? &pool[pool_used++] : malloc(sizeof *r);
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
    /* WRONG: "pool records need no free()": nor, it seems, the fallback's */
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
