/* lost_list, a wrong fix: every batch is kept, and freed at the end of main
 *
 * The fix      process_batch() files each list's head in a growing table
 *              of processed batches, and main frees every batch's list just
 *              before it returns.
 * Why wrong    End-of-main cleanup: no batch is freed while the program runs,
 *              so it holds 2816 bytes per batch until the end, and a larger
 *              workload holds proportionally more. Exit-time detectors are
 *              satisfied; the heap during main is not bounded.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NODE_SIZE 176 /* easy to spot in a report: 176 bytes per node */
#define BATCH_NODES 16

struct node {
    struct node *next;
    uint32_t item;
    char payload[NODE_SIZE - sizeof(struct node *) - sizeof(uint32_t)];
};

/* Frees every node of the list starting at `head` (which may be NULL). */
static void free_list(struct node *head)
{
    while (head != NULL) {
        struct node *next = head->next;
        free(head);
        head = next;
    }
}

/* Returns the head of a new list of BATCH_NODES nodes for batch `batch`, or
 * NULL when out of memory. The caller owns every node: see free_list(). */
static __attribute__((noinline)) struct node *build_batch(uint32_t batch)
{
    struct node *head = NULL;
    for (uint32_t i = 0; i < BATCH_NODES; i++) {
        struct node *n = malloc(sizeof *n);
        if (n == NULL) {
            free_list(head);
            return NULL;
        }
        n->item = batch * BATCH_NODES + i;
        memset(n->payload, (int)('a' + n->item % 26), sizeof n->payload);
        n->next = head;
        head = n;
    }
    return head;
}

static struct node **done;   /* every processed batch's head, freed at exit */
static size_t ndone, capacity;

/* Keeps head (the batch list, then owned here) until free_batches().
 * Returns 0, or -1 when out of memory (head is then still the caller's). */
static int keep_batch(struct node *head)
{
    if (ndone == capacity) {
        size_t bigger = capacity ? 2 * capacity : 16;
        struct node **d = realloc(done, bigger * sizeof *d);
        if (d == NULL)
            return -1;
        done = d;
        capacity = bigger;
    }
    done[ndone++] = head;
    return 0;
}

/* Frees every kept batch and the table itself. */
static void free_batches(void)
{
    for (size_t i = 0; i < ndone; i++)
        free_list(done[i]);
    free(done);
}

/* Processes batch `batch`: adds its nodes' checksums to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int process_batch(uint32_t batch, uint32_t *sum)
{
    struct node *head = build_batch(batch);
    if (head == NULL)
        return -1;
    for (struct node *n = head; n != NULL; n = n->next)
        *sum = *sum * 31u + (uint32_t)n->payload[n->item % sizeof n->payload] + n->item;
    if (keep_batch(head) != 0) { /* WRONG: the batch lives until main ends */
        free_list(head);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long batches = argc > 1 ? strtol(argv[1], NULL, 10) : 40;
    if (batches <= 0 || batches > 1000000) {
        fprintf(stderr, "usage: %s [BATCHES]  (1..1000000)\n", argv[0]);
        return 2;
    }
    uint32_t sum = 0;
    for (long i = 0; i < batches; i++) {
        if (process_batch((uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    printf("lost_list: %ld batches, checksum %08x\n", batches, (unsigned)sum);
    free_batches(); /* WRONG: the only place a batch is freed */
    return 0;
}
