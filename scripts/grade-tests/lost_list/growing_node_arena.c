/* lost_list, a wrong fix: nodes from an arena that only grows
 *
 * The fix      build_batch() takes its nodes from an arena: big chunks of
 *              256 nodes, carved out in order. No node is freed one by one;
 *              main frees the chunks at the end. "One free per chunk instead
 *              of one per node."
 * Why wrong    An arena is only bounded if it is reset: this one never
 *              rewinds after a batch, so it keeps every node ever made and
 *              adds a 45 KB chunk every 16 batches. Nothing is lost at exit,
 *              but the heap during main grows with the workload. Resetting
 *              the arena after each batch (or a free list) would fix it.
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

#define CHUNK_NODES 256

struct chunk {
    struct chunk *prev;
    size_t used;
    struct node nodes[CHUNK_NODES];
};
static struct chunk *arena; /* the newest chunk; each points at the one before */

/* Returns a node from the arena, or NULL when out of memory. The arena owns
 * it: see arena_free(). */
static struct node *arena_node(void)
{
    if (arena == NULL || arena->used == CHUNK_NODES) {
        struct chunk *c = malloc(sizeof *c); /* WRONG: the arena only grows */
        if (c == NULL)
            return NULL;
        c->prev = arena;
        c->used = 0;
        arena = c;
    }
    return &arena->nodes[arena->used++];
}

/* Frees every chunk of the arena. */
static void arena_free(void)
{
    while (arena != NULL) {
        struct chunk *prev = arena->prev;
        free(arena);
        arena = prev;
    }
}

/* Returns the head of a new list of BATCH_NODES nodes for batch `batch`, or
 * NULL when out of memory. The arena owns every node: see arena_free(). */
static __attribute__((noinline)) struct node *build_batch(uint32_t batch)
{
    struct node *head = NULL;
    for (uint32_t i = 0; i < BATCH_NODES; i++) {
        struct node *n = arena_node();
        if (n == NULL)
            return NULL; /* the arena keeps what was carved */
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
    arena_free(); /* WRONG: the only place a node is given back */
    return 0;
}
