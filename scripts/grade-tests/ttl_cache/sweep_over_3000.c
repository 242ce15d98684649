/* ttl_cache, a wrong fix: expired entries swept only past 3000 entries
 *
 * The fix      The fixed twin's expiry, but run only when the cache holds
 *              more than 3000 entries ("7 MB: sweeping on every request is
 *              wasted work"); at shutdown every entry expires, as in the fix.
 * Why wrong    A bound above the default workload: the default run makes
 *              about 100 entries and never sweeps, so during main it grows
 *              exactly like the leaky program, and so does every workload
 *              below ~12000 requests; only then does the cache stop growing,
 *              at 7 MB against the reference's 40 KB. At two larger
 *              workloads the heap still grows with the work.
 * Must fail: bounded_growth.heap leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRY_SIZE 2400 /* easy to spot in a report: 2400 bytes per block */
#define TTL 16          /* an entry is fresh for TTL ticks (tick = request) */
#define BUCKETS 64
#define SWEEP_ABOVE 3000 /* WRONG: a bound chosen above the default workload */

struct entry {
    struct entry *next;   /* the bucket's chain */
    struct entry *newer;  /* FIX: the expiry queue's link, towards the newest */
    uint32_t key, born;   /* born: the tick its page was rendered at */
    char page[ENTRY_SIZE - 2 * sizeof(struct entry *) - 2 * sizeof(uint32_t)];
};

static struct entry *buckets[BUCKETS]; /* the map: key -> entry; owns them */
static struct entry *oldest, *newest;   /* FIX: the expiry queue, by birth */
static long cached;                     /* entries in the map */

/* Returns a new, unlinked entry for `key`, or NULL when out of memory.
 * The caller owns it until it links it into the map. */
static __attribute__((noinline)) struct entry *make_entry(uint32_t key)
{
    struct entry *e = malloc(sizeof *e);
    if (e != NULL)
        e->key = key;
    return e;
}

/* The expensive part: renders key's page into e at tick `now`. */
static void render(struct entry *e, uint32_t now)
{
    memset(e->page, 0, sizeof e->page);
    snprintf(e->page, sizeof e->page, "page %u, rendered at tick %u", e->key, now);
    e->born = now;
}

/* FIX: evicts (frees) every entry expired at tick `now`, oldest first: with a
 * constant TTL the queue is in expiry order, so this costs what expires. */
static void expire(uint32_t now)
{
    while (oldest != NULL && now - oldest->born >= TTL) {
        struct entry *e = oldest, **p = &buckets[e->key % BUCKETS];
        while (*p != e)
            p = &(*p)->next;
        *p = e->next;
        if ((oldest = e->newer) == NULL)
            newest = NULL;
        free(e);
        cached--;
    }
}

/* Returns key's page at tick `now` (borrowed: the cache owns it), rendering
 * it unless a fresh one is cached; counts hits in *hits. NULL when OOM. */
static const char *cache_get(uint32_t key, uint32_t now, long *hits)
{
    if (cached > SWEEP_ABOVE)
        expire(now); /* WRONG: until then, expired entries pile up */
    struct entry **chain = &buckets[key % BUCKETS];
    struct entry *e = *chain;
    while (e != NULL && e->key != key)
        e = e->next;
    if (e != NULL && now - e->born < TTL) {
        ++*hits;
        return e->page;
    }
    if (e == NULL) {
        if ((e = make_entry(key)) == NULL)
            return NULL;
        e->next = *chain;
        *chain = e;
        e->newer = NULL; /* FIX: queue it at the tail, to be evicted in turn */
        *(newest != NULL ? &newest->newer : &oldest) = e;
        newest = e;
        cached++;
    }
    render(e, now);
    return e->page;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 400;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    uint32_t sum = 0;
    long hits = 0;
    for (long i = 0; i < requests; i++) {
        /* the keys in use: a window of 8, moving on by one every 4 requests */
        uint32_t key = (uint32_t)i / 4 + ((uint32_t)i * 2654435761u >> 29);
        const char *page = cache_get(key, (uint32_t)i, &hits);
        if (page == NULL) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        for (const char *c = page; *c != '\0'; c++)
            sum = sum * 31u + (uint32_t)*c;
    }
    printf("ttl_cache: %ld requests, %ld hits, checksum %08x\n", requests, hits,
           (unsigned)sum);
    expire((uint32_t)requests + TTL); /* FIX: at shutdown every entry expires */
    return 0;
}
