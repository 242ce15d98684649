/* lost_list, a wrong fix: only the head node is freed
 *
 * The fix      process_batch() ends with free(head): the head was the lost
 *              block, so the head is freed.
 * Why wrong    The list is 16 nodes, and the head is only the first: freeing
 *              it drops the only pointer to the other 15, which stay
 *              allocated with nothing pointing at them (2640 bytes lost per
 *              batch instead of 2816). LSan and memcheck now call them direct
 *              (definitely lost) leaks; the heap still grows with every batch.
 *              The owner of a list frees every node (free_list()).
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

/* Processes batch `batch`: adds its nodes' checksums to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int process_batch(uint32_t batch, uint32_t *sum)
{
    struct node *head = build_batch(batch);
    if (head == NULL)
        return -1;
    for (struct node *n = head; n != NULL; n = n->next)
        *sum = *sum * 31u + (uint32_t)n->payload[n->item % sizeof n->payload] + n->item;
    free(head); /* WRONG: frees one node of 16; the rest is lost */
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
