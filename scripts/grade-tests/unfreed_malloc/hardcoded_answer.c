/* unfreed_malloc, a wrong fix: it prints the answer it saw
 *
 * The fix      The leak is in the work, so the work goes: main prints the
 *              line the program printed in class (200 requests, checksum
 *              85b50948), hard-coded. Nothing is allocated, nothing leaks.
 * Why wrong    A program must do its job: at any other workload (argv[1])
 *              it prints the same line, so its output differs from the
 *              reference at every larger size, and a program that does not
 *              do its job earns no leak point.
 * Must fail: same_output bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
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
    (void)handle_request;
    puts("unfreed_malloc: 200 requests, checksum 85b50948"); /* WRONG: the default run's answer */
    return 0;
}
