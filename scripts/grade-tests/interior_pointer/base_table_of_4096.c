/* interior_pointer, a wrong fix: a table of base pointers sized for the test
 *
 * The fix      new_message() also records each block's base in a table,
 *              and deliver() frees the base from there. The table holds 4096
 *              entries ("the test sends 160"); a message past that is not
 *              recorded, and deliver() has no base to free for it.
 * Why wrong    A bound above the default workload: up to 4096 messages all is
 *              freed as delivered, so the default run and a 10x run are
 *              clean; past 4096 nothing frees a message, and deliver() forgets
 *              its payload pointer too: 1200 bytes lost per message, now with
 *              no pointer left at all. The ~40x workload sees the heap grow,
 *              and LSan and memcheck report direct (definitely lost) leaks in
 *              new_message, which neither reports for the leaky program.
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
#define MAX_TRACKED 4096 /* WRONG: a bound chosen above the default workload */
static struct header *g_base[MAX_TRACKED]; /* the block of message seq, seq < MAX_TRACKED */

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
    if (seq < MAX_TRACKED)
        g_base[seq] = h; /* WRONG: a later message is not recorded */
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
        if (s < MAX_TRACKED)
            free(g_base[s]); /* WRONG: nothing frees an untracked message */
        g_sent[s] = NULL;
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
