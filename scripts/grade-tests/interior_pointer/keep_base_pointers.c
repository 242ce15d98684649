/* interior_pointer, a right fix: the table keeps the blocks, payloads are derived
 *
 * The fix      g_sent keeps what malloc() returned, the header, and the
 *              payload is computed from it where needed (payload_of()):
 *              nothing interior is ever stored, and deliver() frees the very
 *              pointer it holds.
 * Why right    Each message is freed when delivered, so at most one batch of
 *              16 blocks is alive at any workload, and nothing is left at
 *              main's end. A design of its own: the fixed twin stores the
 *              payload and finds the base back; this one stores the base.
 * Must fail:
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SIZE 64      /* every block starts with a 64-byte header */
#define PAYLOAD_SIZE 1136   /* so a block is 1200 bytes: easy to spot in a report */
#define BATCH 16            /* messages delivered together */
#define MAX_MESSAGES 100000

struct header {
    uint64_t seq;
    uint32_t len;
    unsigned char pad[HEADER_SIZE - 12];
};

static struct header *g_sent[MAX_MESSAGES]; /* FIX: the blocks themselves, by sequence number */

/* FIX: returns the payload behind header h. Owns nothing. */
static char *payload_of(struct header *h)
{
    return (char *)h + HEADER_SIZE;
}

/* Returns a new message `seq` (its header, the block's base), or NULL when
 * out of memory. The caller owns the block. */
static __attribute__((noinline)) struct header *new_message(uint64_t seq)
{
    struct header *h = malloc(HEADER_SIZE + PAYLOAD_SIZE);
    if (h == NULL)
        return NULL;
    h->seq = seq;
    h->len = PAYLOAD_SIZE;
    memset(payload_of(h), (int)('a' + seq % 26), PAYLOAD_SIZE);
    return h; /* FIX: hand out the base, not a pointer into the block */
}

/* Delivers messages first..end-1 of g_sent: folds them into *sum. */
static void deliver(long first, long end, uint32_t *sum)
{
    for (long s = first; s < end; s++) {
        struct header *h = g_sent[s];
        char *p = payload_of(h);
        for (uint32_t i = 0; i < h->len; i += 64)
            *sum = *sum * 31u + (unsigned char)p[i] + (uint32_t)h->seq;
        free(h);          /* FIX: the pointer held is the one malloc() returned */
        g_sent[s] = NULL; /* FIX: and forget the delivered message */
    }
}

int main(int argc, char **argv)
{
    long messages = argc > 1 ? strtol(argv[1], NULL, 10) : 160;
    if (messages <= 0 || messages > MAX_MESSAGES) {
        fprintf(stderr, "usage: %s [MESSAGES]  (1..%d)\n", argv[0], MAX_MESSAGES);
        return 2;
    }
    uint32_t sum = 0;
    long first = 0; /* the oldest undelivered message */
    for (long seq = 0; seq < messages; seq++) {
        if ((g_sent[seq] = new_message((uint64_t)seq)) == NULL) {
            deliver(first, seq, &sum);
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        if (seq + 1 - first == BATCH || seq + 1 == messages) {
            deliver(first, seq + 1, &sum);
            first = seq + 1;
        }
    }
    printf("interior_pointer: %ld messages, checksum %08x\n", messages, (unsigned)sum);
    return 0;
}
