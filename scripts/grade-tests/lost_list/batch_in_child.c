/* lost_list, a wrong fix: each batch is processed in a forked child
 *
 * The fix      process_batch() forks: the child builds and walks the list and
 *              sends the batch's checksum back through a pipe, then exits, and
 *              the kernel takes its memory back; the parent never allocates a
 *              node.
 * Why wrong    Each child still drops its list without freeing it: the leak
 *              is only moved to processes no detector of the program looks
 *              at, and a child that lived longer (a worker serving many
 *              batches) would grow exactly like the leaky program. The grader
 *              refuses a fork the reference does not make.
 * Must fail: own_process bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: own_process: process(es) during main
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
    int p[2], status;
    if (pipe(p) != 0)
        return -1;
    pid_t child = fork(); /* WRONG: the leak moves to a process nobody checks */
    if (child == 0) {
        close(p[0]);
        struct node *head = build_batch(batch);
        if (head == NULL)
            _exit(1);
        for (struct node *n = head; n != NULL; n = n->next)
            *sum = *sum * 31u + (uint32_t)n->payload[n->item % sizeof n->payload] + n->item;
        _exit(write(p[1], sum, sizeof *sum) == sizeof *sum ? 0 : 1); /* head dropped */
    }
    close(p[1]);
    int ok = child > 0 && read(p[0], sum, sizeof *sum) == sizeof *sum;
    close(p[0]);
    if (child > 0 && (waitpid(child, &status, 0) != child || status != 0))
        ok = 0;
    return ok ? 0 : -1;
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
