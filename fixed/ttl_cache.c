/* ttl_cache: the fixed twin (the leak: scenarios/ttl_cache.c)
 *
 * What leaks    A cache of rendered pages (2400-byte entries, made by
 *               make_entry()) whose entries expire TTL ticks after they were
 *               rendered: a lookup ignores an expired entry and renders it
 *               again, but no entry is ever evicted. The keys in use keep
 *               moving on, so the cache gains an entry every few requests.
 * Rule broken   A cache must bound what it holds: an entry that can no
 *               longer be served has to be evicted, not merely ignored.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: the global map still points to every expired entry
 *   memcheck  blind (reachable): 2400 B x ~REQUESTS/4, not an error
 *   massif    leak (growing) in make_entry: expired entries are never evicted
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: every entry is reachable from a global
 *   clang-analyzer blind: every entry is reachable from a global
 * Usage         ttl_cache [REQUESTS]      (default 400)
 * Prints        one line: requests, cache hits, a checksum of the pages served.
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
    struct entry *newer;  /* FIX: the expiry queue's link, towards the newest */
    uint32_t key, born;   /* born: the tick its page was rendered at */
    char page[ENTRY_SIZE - 2 * sizeof(struct entry *) - 2 * sizeof(uint32_t)];
};

static struct entry *buckets[BUCKETS]; /* the map: key -> entry; owns them */
static struct entry *oldest, *newest;   /* FIX: the expiry queue, by birth */

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
    }
}

/* Returns key's page at tick `now` (borrowed: the cache owns it), rendering
 * it unless a fresh one is cached; counts hits in *hits. NULL when OOM. */
static const char *cache_get(uint32_t key, uint32_t now, long *hits)
{
    expire(now); /* FIX: evict what has expired before looking */
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
