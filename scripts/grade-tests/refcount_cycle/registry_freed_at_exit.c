/* refcount_cycle, a wrong fix: every session is registered, the cycles broken at exit
 *
 * The fix      session_new() registers each session in a growing table,
 *              and main, just before returning, frees every session and its
 *              conn, whose counts, holding each other, never reach 0.
 * Why wrong    End-of-main cleanup: the cycles are still never broken while
 *              the program runs, so it holds 2432 bytes per request until the
 *              end. LSan and memcheck, which look at exit, say clean; the heap
 *              during main grows with the workload, as in the leaky program.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_SIZE 1536 /* easy to spot in a report: 1536 bytes ... */
#define CONN_SIZE 896     /* ... and 896 bytes per request */

struct conn {
    struct session *session; /* the session this connection serves */
    int refs;
    char buf[CONN_SIZE - sizeof(struct session *) - sizeof(int)];
};

struct session {
    struct conn *conn; /* owned: the session holds one count on it */
    int refs;
    char state[SESSION_SIZE - sizeof(struct conn *) - sizeof(int)];
};

static void session_release(struct session *s);

/* Returns a new connection, one count for the caller; NULL on OOM. */
static __attribute__((noinline)) struct conn *conn_new(uint32_t id)
{
    struct conn *c = malloc(sizeof *c);
    if (c != NULL) {
        c->refs = 1;
        memset(c->buf, (int)('A' + id % 26), sizeof c->buf);
    }
    return c;
}

/* Drops one count on c; the last one frees it (and what it owns). */
static void conn_release(struct conn *c)
{
    if (--c->refs > 0)
        return;
    session_release(c->session); /* LEAK: the conn owns a count on its session */
    free(c);
}

/* Returns a new session and its conn, one count for the caller; NULL on OOM. */
static __attribute__((noinline)) struct session *session_new(uint32_t id)
{
    struct session *s = malloc(sizeof *s);
    if (s == NULL || (s->conn = conn_new(id)) == NULL) {
        free(s);
        return NULL;
    }
    s->refs = 2; /* LEAK: the caller's count, plus one owned by the back-reference */
    s->conn->session = s;
    memset(s->state, (int)('a' + id % 26), sizeof s->state);
    return s;
}

/* Drops one count on s; the last one frees it and releases its conn. */
static void session_release(struct session *s)
{
    if (--s->refs > 0)
        return;
    conn_release(s->conn);
    free(s);
}

static struct session **registry; /* every session ever made, until exit */
static size_t registered, capacity;

/* Registers s (not a count: just a pointer) until break_all_cycles().
 * Returns 0, or -1 when out of memory. */
static int register_session(struct session *s)
{
    if (registered == capacity) {
        size_t bigger = capacity ? 2 * capacity : 64;
        struct session **r = realloc(registry, bigger * sizeof *r);
        if (r == NULL)
            return -1;
        registry = r;
        capacity = bigger;
    }
    registry[registered++] = s;
    return 0;
}

/* Frees each registered session and its conn: each pair holds the other's
 * count, so no release ever reaches 0; at exit nobody uses them any more. */
static void break_all_cycles(void)
{
    for (size_t i = 0; i < registered; i++) {
        free(registry[i]->conn);
        free(registry[i]);
    }
    free(registry);
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    struct session *s = session_new(id);
    if (s == NULL)
        return -1;
    if (register_session(s) != 0) { /* WRONG: kept in the cycle until main ends */
        session_release(s);
        return -1;
    }
    for (size_t i = 0; i < sizeof s->conn->buf; i += 64)
        *sum = *sum * 31u + (uint32_t)s->conn->buf[i] + (uint32_t)s->state[i];
    session_release(s);
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
    printf("refcount_cycle: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    break_all_cycles(); /* WRONG: the only place a cycle is broken */
    return 0;
}
