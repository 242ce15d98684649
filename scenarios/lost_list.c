/* lost_list: the leaky twin (its fix: fixed/lost_list.c)
 *
 * What leaks    Every batch is a linked list of 16 nodes of 176 bytes built
 *               in build_batch(); process_batch() walks it and then drops
 *               the head pointer: the head node is lost directly, the 15
 *               nodes behind it indirectly (only the lost head points there).
 * Rule broken   The owner of a linked structure owns all of it: dropping
 *               the head means freeing every node first.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      leak (direct,indirect) in build_batch: heads direct, the nodes behind them indirect
 *   memcheck  leak (definite,indirect) in build_batch:
 *               the heads definitely lost, the nodes behind them indirectly lost, the same blocks
 *   massif    leak (growing) in build_batch: the heap rises linearly for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: gives up on build_batch's loop (too complex)
 *   clang-analyzer leak (memory-leak) in build_batch: follows the 16-node loop to where the
 *                 head is dropped
 * Usage         lost_list [BATCHES]      (default 40)
 * Prints        one line: the batch count and a checksum of all nodes' items.
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

/* Processes batch `batch`: adds its nodes' checksums to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int process_batch(uint32_t batch, uint32_t *sum)
{
    struct node *head = build_batch(batch);
    if (head == NULL)
        return -1;
    for (struct node *n = head; n != NULL; n = n->next)
        *sum = *sum * 31u + (uint32_t)n->payload[n->item % sizeof n->payload] + n->item;
    /* LEAK: returning drops head: its node is lost directly, the rest indirectly */
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
    return 0;
}
