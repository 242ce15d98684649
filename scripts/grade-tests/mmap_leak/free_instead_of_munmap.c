/* mmap_leak, a wrong fix: free() on the retired region
 *
 * The fix      The retired region is released with free(), "as any buffer".
 * Why wrong    The region came from mmap(), not malloc(): glibc's free()
 *              reads a chunk header that is not there, prints
 *              "munmap_chunk(): invalid pointer" and aborts (SIGABRT) at
 *              the first retirement (batch 4), before the result line; or,
 *              when the page before the region is not mapped (the layout
 *              changes from run to run), that read itself faults (SIGSEGV).
 *              AddressSanitizer reports a free of memory not malloc()-ed.
 *              What mmap() gives, munmap() takes back, with its length.
 * Must fail: compiles same_output no_crash_or_hang bounded_growth.pages leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: same_output: killed by SIG
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
        free(pool[b % POOL_KEEP]); /* WRONG: not from malloc(): glibc aborts */
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
