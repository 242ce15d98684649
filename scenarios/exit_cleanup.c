/* exit_cleanup: the leaky twin (its fix: fixed/exit_cleanup.c)
 *
 * What leaks    Every request's 3000-byte context, made by make_context(),
 *               is linked into a global list of live contexts, and only an
 *               atexit() handler frees them: nothing is reclaimed while the
 *               program runs, so memory grows with every request served.
 * Rule broken   Release what a request owns when the request ends; cleanup
 *               deferred to exit (or to a finalizer) is no cleanup at all.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: the atexit() handler frees everything before the check
 *   memcheck  blind: 0 bytes in use at exit, for the same reason
 *   massif    leak (growing) in make_context:
 *               the heap rises all through main, falls only in the teardown after it
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: everything is reachable and freed at exit
 *   clang-analyzer blind: everything is reachable and freed at exit
 * Usage         exit_cleanup [REQUESTS]      (default 100)
 * Prints        one line: the request count and a checksum of all replies.
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
    (void)c; /* LEAK: c stays on the live list until free_live_contexts() at exit */
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
