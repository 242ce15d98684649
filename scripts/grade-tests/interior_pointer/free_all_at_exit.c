/* interior_pointer, a wrong fix: every block is freed at the end of main
 *
 * The fix      deliver() still leaves the blocks alone, and main, just before
 *              returning, walks g_sent and frees each block from its header
 *              (header_of(payload)): the right pointer, at the wrong time.
 * Why wrong    End-of-main cleanup: every message keeps its 1200 bytes until
 *              the end, 16 of them needed at a time. memcheck, which looks at
 *              exit, now says clean; the heap during main still grows with
 *              the workload, 1200 bytes per message.
 * Must fail: bounded_growth.heap leak_gone.memcheck leak_gone.massif no_new_leak.lsan no_new_leak.census
 * Must say: bounded_growth.heap: grew by
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

static char *g_sent[MAX_MESSAGES]; /* payload pointers, by sequence number */

/* Returns the header in front of a payload made by new_message(). Owns nothing. */
static struct header *header_of(char *payload)
{
    return (struct header *)(void *)(payload - HEADER_SIZE);
}

/* Returns the payload of a new message `seq`, or NULL when out of memory. The
 * caller owns the block, which starts HEADER_SIZE bytes before the payload. */
static __attribute__((noinline)) char *new_message(uint64_t seq)
{
    struct header *h = malloc(HEADER_SIZE + PAYLOAD_SIZE);
    if (h == NULL)
        return NULL;
    h->seq = seq;
    h->len = PAYLOAD_SIZE;
    char *payload = (char *)h + HEADER_SIZE;
    memset(payload, (int)('a' + seq % 26), PAYLOAD_SIZE);
    return payload;
}

/* Delivers messages first..end-1 of g_sent: folds them into *sum. */
static void deliver(long first, long end, uint32_t *sum)
{
    for (long s = first; s < end; s++) {
        char *p = g_sent[s];
        struct header *h = header_of(p);
        for (uint32_t i = 0; i < h->len; i += 64)
            *sum = *sum * 31u + (unsigned char)p[i] + (uint32_t)h->seq;
        /* LEAK: free(p) would be invalid, so the block stays, pointed at mid-block */
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
    for (long s = 0; s < messages; s++)
        free(header_of(g_sent[s])); /* WRONG: the only place a message is freed */
    return 0;
}
