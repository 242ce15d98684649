/* ttl_cache, a wrong fix: the cache is emptied at exit, never evicted
 *
 * The fix      Before returning, main frees every entry of the map (all of
 *              them expired by then): "nothing is left allocated".
 * Why wrong    End-of-main cleanup: while the program runs no entry is ever
 *              evicted, so the cache still gains an entry every few requests
 *              (2400 bytes each) and a larger workload holds proportionally
 *              more. Only what is left at exit changed; an expired entry has
 *              to go when it expires.
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

struct entry {
    struct entry *next;   /* the bucket's chain */
    uint32_t key, born;   /* born: the tick its page was rendered at */
    char page[ENTRY_SIZE - sizeof(struct entry *) - 2 * sizeof(uint32_t)];
};

static struct entry *buckets[BUCKETS]; /* the map: key -> entry; owns them */

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

/* Returns key's page at tick `now` (borrowed: the cache owns it), rendering
 * it unless a fresh one is cached; counts hits in *hits. NULL when OOM. */
static const char *cache_get(uint32_t key, uint32_t now, long *hits)
{
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
        e->next = *chain; /* LEAK: linked for good: nothing ever evicts an entry */
        *chain = e;
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
    for (size_t b = 0; b < BUCKETS; b++) { /* WRONG: the only place an entry is freed */
        while (buckets[b] != NULL) {
            struct entry *next = buckets[b]->next;
            free(buckets[b]);
            buckets[b] = next;
        }
    }
    return 0;
}
