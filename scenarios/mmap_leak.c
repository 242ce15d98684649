/* mmap_leak: the leaky twin (its fix: fixed/mmap_leak.c)
 *
 * What leaks    A buffer pool maps one 64 KiB region per batch with mmap() in
 *               map_region() and keeps the last POOL_KEEP regions for
 *               replay. When a region is retired from the pool its slot is
 *               reused without munmap(): 64 KiB of address space (and of RSS,
 *               since it was written) lost per batch past the first POOL_KEEP.
 * Rule broken   Memory from mmap() is owned like memory from malloc(): whoever
 *               retires a mapping must munmap() it. No malloc-level tool sees it.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: mmap() is not a heap allocation
 *   memcheck  blind: mmap() is not a heap allocation
 *   massif    leak (growing, with --pages-as-heap) in map_region:
 *               the mapped pages rise linearly, 64 KiB per batch (blind without the option)
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: mmap is not malloc
 *   clang-analyzer blind: mmap is not malloc
 * Usage         mmap_leak [BATCHES]      (default 64)
 * Prints        one line: the batch count and a checksum of all batches.
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
        unsigned char *region = map_region();
        if (region == NULL) {
            perror("mmap_leak: mmap");
            goto cleanup;
        }
        sum = sum * 31u + fill_batch(region, (uint32_t)b);
        /* LEAK: retiring the slot's old region drops it without munmap() */
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
