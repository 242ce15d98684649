/* listener_registry, a right fix: closed listeners are reaped when the bus publishes
 *
 * The fix      close_session() still only marks the listener closed (a
 *              callback may be running), and bus_publish() unlinks and frees
 *              every closed listener it meets before calling the others.
 * Why right    Deferred, but bounded: a closed listener lives until the next
 *              publish, which comes with every session, so the bus holds at
 *              most LIVE + 1 listeners at any workload and events still reach
 *              only open sessions; main reaps the last ones before returning.
 *              A design of its own: lazy removal, safe to use from inside a
 *              callback, instead of unsubscribing at once.
 * Must fail:
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

/* FIX: unlinks and frees every closed listener (the bus owns them). */
static void bus_reap(void)
{
    for (struct listener **p = &bus; *p != NULL;) {
        struct listener *l = *p;
        if (l->closed) {
            *p = l->next;
            free(l);
        } else {
            p = &l->next;
        }
    }
}

/* Reaps the closed listeners, then calls every other one with `event`. */
static void bus_publish(uint32_t event)
{
    bus_reap(); /* FIX: a closed session's listener leaves at the next publish */
    for (struct listener *l = bus; l != NULL; l = l->next)
        l->notify(l, event);
}

/* Closes the session listened to by l: adds what it saw to *sum. */
static void close_session(struct listener *l, uint32_t *sum)
{
    *sum = *sum * 31u + l->seen;
    l->closed = 1; /* FIX: bus_reap() frees it at the next publish */
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
    bus_reap(); /* FIX: every session is closed by now: the bus ends empty */
    return 0;
}
