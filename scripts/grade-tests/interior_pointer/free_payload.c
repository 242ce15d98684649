/* interior_pointer, a wrong fix: deliver() frees the payload pointer
 *
 * The fix      deliver() calls free(p) on each payload once it is folded in:
 *              "whoever is done with a block frees it".
 * Why wrong    p is not what malloc() returned: it points 64 bytes into the
 *              block. glibc's free() sees no chunk header there, prints
 *              "free(): invalid pointer" and aborts the program (SIGABRT) at
 *              the first delivery; AddressSanitizer reports an
 *              attempted free on an address that is not malloc()-ed. free()
 *              takes the block's base: header_of(p).
 * Must fail: compiles same_output no_crash_or_hang bounded_growth.heap leak_gone.memcheck leak_gone.massif no_new_leak.lsan no_new_leak.census
 * Must say: same_output: SIGABRT
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
        free(p); /* WRONG: an interior pointer, not the block malloc() returned */
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
