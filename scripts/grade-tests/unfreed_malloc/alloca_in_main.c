/* unfreed_malloc, a wrong fix: each record on main's stack, with alloca()
 *
 * The fix      The record moves from the heap to the stack: main alloca()s
 *              it and passes it to handle_request(), so there is no free() to
 *              forget.
 * Why wrong    alloca() memory lives until the function that called it
 *              returns, and main returns only at the end: every request
 *              takes 1344 more bytes of stack, never given back. At the
 *              default 200 requests that is 270 KB; past about 6000 requests
 *              it overflows the 8 MiB stack and the program dies of SIGSEGV.
 *              A stack is no place for memory a loop allocates.
 * Must fail: compiles same_output no_crash_or_hang bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 */
#include <alloca.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_SIZE 1344 /* easy to spot in a report: 1344 bytes per block */

struct record {
    uint32_t id;
    char body[RECORD_SIZE - sizeof(uint32_t)];
};

/* Fills record r for request `id` and returns it. Owns nothing. */
static __attribute__((noinline)) struct record *make_record(struct record *r, uint32_t id)
{
    r->id = id;
    memset(r->body, (int)('a' + id % 26), sizeof r->body);
    return r;
}

/* Serves request `id` in the record space `space`: adds its reply's
 * checksum to *sum. Returns 0. Owns nothing. */
static __attribute__((noinline)) int handle_request(struct record *space, uint32_t id,
                                                    uint32_t *sum)
{
    struct record *r = make_record(space, id);
    if (r == NULL)
        return -1;
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
    uint32_t sum = 0;
    for (long i = 0; i < requests; i++) {
        struct record *space = alloca(sizeof *space); /* WRONG: freed only when main returns */
        if (handle_request(space, (uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    printf("unfreed_malloc: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    return 0;
}
