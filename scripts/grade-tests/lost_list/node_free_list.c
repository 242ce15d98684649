/* lost_list, a right fix: nodes recycled through a free list
 *
 * The fix      Freed nodes go onto a free list instead of back to malloc():
 *              release_list() pushes a batch's nodes there, and build_batch()
 *              takes nodes from it before it calls malloc(). main frees the
 *              free list before returning.
 * Why right    Batches are processed one at a time, so the free list never
 *              holds more than one batch's 16 nodes: the heap stays at 2816
 *              bytes at every workload, and is empty at main's end. A design
 *              of its own: a recycling allocator, as a busy server would use.
 * Must fail:
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

static struct node *spare; /* FIX: a free list of nodes, reused by build_batch() */

/* FIX: gives every node of the list at `head` back to the free list. */
static void release_list(struct node *head)
{
    while (head != NULL) {
        struct node *next = head->next;
        head->next = spare;
        spare = head;
        head = next;
    }
}

/* Returns a node: a spare one if any, else a new one; NULL when out of
 * memory. The caller owns it: see release_list(). */
static struct node *get_node(void)
{
    struct node *n = spare;
    if (n == NULL)
        return malloc(sizeof *n);
    spare = n->next;
    return n;
}

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
        struct node *n = get_node();
        if (n == NULL) {
            release_list(head);
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
    release_list(head); /* FIX: the nodes go back to the free list, for the next batch */
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
    free_list(spare); /* FIX: the free list's owner frees it before returning */
    return 0;
}
