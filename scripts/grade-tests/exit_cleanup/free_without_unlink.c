/* exit_cleanup, a wrong fix: end_request() frees the context but leaves it listed
 *
 * The fix      end_request() calls free(c) when the request ends: "release
 *              what a request owns when the request ends".
 * Why wrong    The live list still points at c, and the atexit() handler
 *              walks it: it follows the next pointer of a freed block, which
 *              glibc's allocator has overwritten with its own (mangled) link,
 *              and the program dies of SIGSEGV at exit, before stdio flushes
 *              the result line into a pipe or file. AddressSanitizer reports
 *              a heap-use-after-free. The list owns the context: unlink
 *              first, then free.
 * Must fail: compiles same_output no_crash_or_hang bounded_growth.heap leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: same_output: SIGSEGV
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT_SIZE 3000 /* easy to spot in a report: 3000 bytes per block */

struct context {
    struct context *next; /* the global list of live contexts */
    uint32_t id;
    char scratch[CONTEXT_SIZE - sizeof(struct context *) - sizeof(uint32_t)];
};

static struct context *live; /* every context not yet freed, newest first */

/* atexit() handler: frees every context still on the live list. */
static void free_live_contexts(void)
{
    while (live != NULL) {
        struct context *next = live->next;
        free(live);
        live = next;
    }
}

/* Returns a new context for request `id`, linked into the live list (which
 * owns it), or NULL when out of memory. The request ends with end_request(). */
static __attribute__((noinline)) struct context *make_context(uint32_t id)
{
    struct context *c = malloc(sizeof *c);
    if (c == NULL)
        return NULL;
    c->id = id;
    memset(c->scratch, (int)('a' + id % 26), sizeof c->scratch);
    c->next = live;
    live = c;
    return c;
}

/* Ends the request that used context c: c is not to be used afterwards. */
static void end_request(struct context *c)
{
    free(c); /* WRONG: the live list still points at it */
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    struct context *c = make_context(id);
    if (c == NULL)
        return -1;
    for (size_t i = 0; i < sizeof c->scratch; i += 64)
        *sum = *sum * 31u + (uint32_t)c->scratch[i] + c->id;
    end_request(c);
    return 0;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    if (atexit(free_live_contexts) != 0) {
        fprintf(stderr, "%s: atexit failed\n", argv[0]);
        return 1;
    }
    uint32_t sum = 0;
    for (long i = 0; i < requests; i++) {
        if (handle_request((uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    printf("exit_cleanup: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    return 0;
}
