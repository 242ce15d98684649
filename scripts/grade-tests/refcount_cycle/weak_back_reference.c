/* refcount_cycle, a right fix: the back-reference becomes a weak pointer
 *
 * The fix      The conn keeps a weak reference to its session: a small
 *              control block (struct weak) that the session and each weak
 *              holder count, and that the session clears when it dies.
 *              Releasing the caller's count, the only strong one, frees the
 *              session, which releases its conn, which drops its weak count;
 *              the last weak count frees the control block.
 * Why right    Strong counts form a tree again, so the last release frees
 *              everything: one session, conn and 16-byte control block alive
 *              at a time, at any workload, none at main's end. A design of its
 *              own: a weak pointer (as std::weak_ptr or Python's weakref)
 *              that can tell its target is gone, where the fixed twin keeps
 *              a plain non-owning pointer.
 * Must fail:
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_SIZE 1536 /* easy to spot in a report: 1536 bytes ... */
#define CONN_SIZE 896     /* ... and 896 bytes per request */

/* FIX: a weak reference's control block: `target` is the session while it
 * lives, NULL after; `refs` counts the session itself and each weak holder. */
struct weak {
    struct session *target;
    int refs;
};

struct conn {
    struct weak *session; /* FIX: weak: the session this connection serves */
    int refs;
    char buf[CONN_SIZE - sizeof(struct weak *) - sizeof(int)];
};

struct session {
    struct conn *conn; /* owned: the session holds one count on it */
    struct weak *self; /* FIX: its control block, for weak holders */
    int refs;
    char state[SESSION_SIZE - sizeof(struct conn *) - sizeof(struct weak *) - sizeof(int)];
};

/* FIX: drops one count on w; the last one frees it. */
static void weak_drop(struct weak *w)
{
    if (--w->refs == 0)
        free(w);
}

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
    weak_drop(c->session); /* FIX: a weak reference: it keeps no session alive */
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
    if ((s->self = malloc(sizeof *s->self)) == NULL) {
        free(s->conn);
        free(s);
        return NULL;
    }
    s->refs = 1; /* FIX: the caller's count: the only strong one */
    s->self->target = s;
    s->self->refs = 2; /* FIX: the session itself and its conn's weak reference */
    s->conn->session = s->self;
    memset(s->state, (int)('a' + id % 26), sizeof s->state);
    return s;
}

/* Drops one count on s; the last one frees it and releases its conn. */
static void session_release(struct session *s)
{
    if (--s->refs > 0)
        return;
    s->self->target = NULL; /* FIX: weak holders now see it gone */
    weak_drop(s->self);
    conn_release(s->conn);
    free(s);
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    struct session *s = session_new(id);
    if (s == NULL)
        return -1;
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
    return 0;
}
