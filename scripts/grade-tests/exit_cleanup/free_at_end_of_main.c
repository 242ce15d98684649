/* exit_cleanup, a wrong fix: the cleanup moves from atexit() to the end of main
 *
 * The fix      "Cleanup at exit is bad", so main no longer registers the
 *              atexit() handler: it calls free_live_contexts() itself, as its
 *              last statement before returning.
 * Why wrong    The same cleanup, a few instructions earlier: contexts are
 *              still freed only when everything is over, so the program holds
 *              3000 bytes per request served, and a larger workload holds
 *              proportionally more. Even the end of main now looks clean;
 *              the peak during main does not.
 * Must fail: bounded_growth.heap leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: bounded_growth.heap: grew by
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

/* Frees every context still on the live list. */
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
    uint32_t sum = 0;
    for (long i = 0; i < requests; i++) {
        if (handle_request((uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    printf("exit_cleanup: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    free_live_contexts(); /* WRONG: still the only place a context is freed */
    return 0;
}
