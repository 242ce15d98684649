/* unfreed_malloc, a wrong fix: right, but it compiles with a warning
 *
 * The fix      free(r) where it belongs; on the way, the checksum loop's
 *              counter became an int.
 * Why wrong    Comparing that int with sizeof (a size_t) draws a
 *              -Wsign-compare warning at the lab's flags (-Wall -Wextra).
 *              The lab builds warning-free, so compiles fails, and every
 *              other check depends on it: a warning costs the whole grade,
 *              as it would the build of a project that uses -Werror.
 * Must fail: all
 * Must say: compiles: -Wsign-compare
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_SIZE 1344

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
    for (int i = 0; i < sizeof r->body; i += 64) /* WRONG: int against size_t */
        *sum = *sum * 31u + (uint32_t)r->body[i] + r->id;
    free(r); /* FIX: the owner frees the record before returning */
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
