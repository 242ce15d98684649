/* mmap_leak, a wrong fix: every region is unmapped at the end of main
 *
 * The fix      Retired regions go onto a growing table, and main munmap()s
 *              every one of them before returning: "nothing stays mapped".
 * Why wrong    End-of-main cleanup: every batch's 64 KiB stays mapped (and
 *              resident: it was written) until the end, so the mapped pages
 *              during main grow with the workload, 4 MiB at the default 64
 *              batches, ten times that at 10x. A retired region has to be
 *              unmapped when it is retired.
 * Must fail: bounded_growth.pages leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: bounded_growth.pages: grew by
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
static unsigned char **retired; /* every retired region, unmapped at the end */
static size_t nretired, capacity;

/* Files region (then owned here) until unmap_retired(). Returns 0, or -1 when
 * out of memory. */
static int retire(unsigned char *region)
{
    if (nretired == capacity) {
        size_t bigger = capacity ? 2 * capacity : 64;
        unsigned char **t = realloc(retired, bigger * sizeof *t);
        if (t == NULL)
            return -1;
        retired = t;
        capacity = bigger;
    }
    retired[nretired++] = region;
    return 0;
}

/* Unmaps every filed region and frees the table. */
static void unmap_retired(void)
{
    for (size_t i = 0; i < nretired; i++)
        munmap(retired[i], REGION_SIZE);
    free(retired);
}

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
        if (pool[b % POOL_KEEP] != NULL && retire(pool[b % POOL_KEEP]) != 0) {
            munmap(region, REGION_SIZE); /* WRONG: retire() keeps it until the end */
            goto cleanup;
        }
        pool[b % POOL_KEEP] = region;
    }
    printf("mmap_leak: %ld batches, checksum %08x\n", batches, (unsigned)sum);
    rc = 0;
cleanup:
    unmap_retired(); /* WRONG: the only place a retired region is unmapped */
    for (int i = 0; i < POOL_KEEP; i++)
        if (pool[i] != NULL)
            munmap(pool[i], REGION_SIZE);
    return rc;
}
