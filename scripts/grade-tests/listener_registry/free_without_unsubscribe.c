/* listener_registry, a wrong fix: the listener is freed but left on the bus
 *
 * The fix      close_session() frees the closed session's listener: "whoever
 *              is done with a block frees it".
 * Why wrong    The bus still points at it and calls it on the next publish:
 *              a use after free. Natively the next session's calloc() gets
 *              the same block back and links it in a second time, so the bus
 *              list turns into a cycle and bus_publish() never ends: the
 *              program hangs. AddressSanitizer stops at the first call
 *              (heap-use-after-free). The owner, the bus, must let go first
 *              (unsubscribe), then the block can go.
 * Grade with: --timeout=3
 * Must fail: compiles same_output no_crash_or_hang own_process bounded_growth.heap leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: same_output: it did not finish in time
 * Must say: own_process: not run: the program hangs
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LISTENER_SIZE 1056 /* easy to spot in a report: 1056 bytes per block */
#define LIVE 4             /* sessions open at any one time */

struct listener {
    struct listener *next;                         /* the bus's list */
    void (*notify)(struct listener *, uint32_t);   /* the callback */
    uint32_t session, closed, seen;                /* the session's context */
    char scratch[LISTENER_SIZE - 2 * sizeof(void *) - 3 * sizeof(uint32_t)];
};

static struct listener *bus; /* every registered listener, newest first */
static long delivered;       /* events handled by open sessions */

/* The callback: folds `event` into what its session has seen, if open. */
static void on_event(struct listener *l, uint32_t event)
{
    if (l->closed)
        return;
    l->seen = l->seen * 31u + event + l->session;
    delivered++;
}

/* Returns a new listener for `session`, registered on the bus, or NULL when
 * out of memory. The bus owns it until it is unsubscribed. */
static __attribute__((noinline)) struct listener *bus_subscribe(uint32_t session)
{
    struct listener *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->notify = on_event;
    l->session = session;
    l->next = bus;
    bus = l;
    return l;
}

/* Calls every registered listener with `event`. */
static void bus_publish(uint32_t event)
{
    for (struct listener *l = bus; l != NULL; l = l->next)
        l->notify(l, event);
}

/* Closes the session listened to by l: adds what it saw to *sum. */
static void close_session(struct listener *l, uint32_t *sum)
{
    *sum = *sum * 31u + l->seen;
    free(l); /* WRONG: the bus still points at it, and calls it */
}

int main(int argc, char **argv)
{
    long sessions = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (sessions <= 0 || sessions > 10000000) {
        fprintf(stderr, "usage: %s [SESSIONS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    struct listener *live[LIVE] = {NULL}; /* borrowed: the bus owns them */
    uint32_t sum = 0;
    for (long i = 0; i < sessions + LIVE; i++) {
        struct listener **slot = &live[i % LIVE];
        if (*slot != NULL) /* the oldest open session ends */
            close_session(*slot, &sum);
        *slot = NULL;
        if (i < sessions && (*slot = bus_subscribe((uint32_t)i)) == NULL) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        bus_publish((uint32_t)i);
    }
    printf("listener_registry: %ld sessions, %ld events delivered, checksum %08x\n",
           sessions, delivered, (unsigned)sum);
    return 0;
}
