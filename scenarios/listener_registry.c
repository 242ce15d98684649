/* listener_registry: the leaky twin (its fix: fixed/listener_registry.c)
 *
 * What leaks    Every session registers a 1056-byte listener, made by
 *               bus_subscribe(), on a global event bus when it opens, and
 *               never unregisters it when it closes: the bus keeps every
 *               dead session's listener, and keeps calling it, forever.
 * Rule broken   Whoever registers a callback must unregister it when its
 *               context ends; the registry owns the listener until then.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: the bus still points to every listener
 *   memcheck  blind (reachable): 1056 B x SESSIONS, not an error
 *   massif    leak (growing) in bus_subscribe: the heap rises linearly for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: every listener is reachable from a global
 *   clang-analyzer blind: every listener is reachable from a global
 * Usage         listener_registry [SESSIONS]      (default 200)
 * Prints        one line: the session count, the events delivered to open
 *               sessions, and a checksum of what each session saw.
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
    l->closed = 1; /* LEAK: marked closed but left on the bus: never unsubscribed */
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
