/* mmap_leak, a right fix: retired regions are reused, not unmapped
 *
 * The fix      A batch reuses the region it retires: map_region() is called
 *              only while the pool has an empty slot, so the program maps
 *              POOL_KEEP regions in all and unmaps them at the end.
 * Why right    Each batch is written into the slot's region after the old
 *              batch is retired, so nothing is replayed from a retired one:
 *              the same results, with 256 KiB mapped at any workload and no
 *              mmap()/munmap() per batch. A design of its own: recycling
 *              instead of unmapping (as a buffer pool is meant to).
 * Must fail:
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION_SIZE 65536 /* easy to spot with --pages-as-heap: 64 KiB per mapping */
#define POOL_KEEP 4       /* the pool keeps the most recent regions */

/* Returns a new private anonymous REGION_SIZE mapping, or NULL on failure.
 * The caller owns it and must munmap() it. */
static __attribute__((noinline)) unsigned char *map_region(void)
{
    void *p = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Fills a region with the data of batch `id` and returns its checksum.
 * Owns nothing. */
static uint32_t fill_batch(unsigned char *region, uint32_t id)
{
    uint32_t sum = id;
    memset(region, (int)('A' + id % 26), REGION_SIZE);
    for (size_t i = 0; i < REGION_SIZE; i += 512)
        sum = sum * 31u + region[i] + (uint32_t)i;
    return sum;
}

int main(int argc, char **argv)
{
    long batches = argc > 1 ? strtol(argv[1], NULL, 10) : 64;
    if (batches <= 0 || batches > 1000000) {
        fprintf(stderr, "usage: %s [BATCHES]  (1..1000000)\n", argv[0]);
        return 2;
    }
    unsigned char *pool[POOL_KEEP] = {NULL}; /* owned: batch b lives in slot b % POOL_KEEP */
    uint32_t sum = 0;
    int rc = 1;
    for (long b = 0; b < batches; b++) {
        unsigned char *region = pool[b % POOL_KEEP]; /* FIX: reuse the retired region */
        if (region == NULL && (region = map_region()) == NULL) {
            perror("mmap_leak: mmap");
            goto cleanup;
        }
        sum = sum * 31u + fill_batch(region, (uint32_t)b);
        pool[b % POOL_KEEP] = region;
    }
    printf("mmap_leak: %ld batches, checksum %08x\n", batches, (unsigned)sum);
    rc = 0;
cleanup:
    for (int i = 0; i < POOL_KEEP; i++)
        if (pool[i] != NULL)
            munmap(pool[i], REGION_SIZE);
    return rc;
}
