/* refcount_cycle: the leaky twin (its fix: fixed/refcount_cycle.c)
 *
 * What leaks    Every request opens a reference-counted session (1536 B)
 *               that owns its connection (896 B); the connection retains
 *               its session too. When the caller releases the session, each
 *               still holds a count on the other: both blocks are lost.
 * Rule broken   Owning references must form a tree: a child points back at
 *               its parent without retaining it (a non-owning back-reference).
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      leak (indirect) in session_new:
 *               indirect leaks only, 1536 B and 896 B x REQUESTS (session_new, conn_new)
 *   memcheck  leak (definite,indirect) in session_new:
 *               the sessions (1536 B) definitely lost, each with its conn (896 B) indirectly
 *   massif    leak (growing) in session_new: the heap rises linearly for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer leak (malloc-leak) in session_new: sees the session and conn dropped with
 *                 counts still held
 *   clang-analyzer blind: a pointer stored in a heap object counts as escaped
 * Usage         refcount_cycle [REQUESTS]      (default 100)
 * Prints        one line: the request count and a checksum of all replies.
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
