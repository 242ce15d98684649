/* ttl_cache, a right fix: a lazy sweep: each lookup evicts its bucket's expired entries
 *
 * The fix      No expiry queue: cache_get() walks the chain of the bucket it
 *              looks in anyway and unlinks and frees every expired entry it
 *              passes (the key looked for included, before rendering it
 *              anew); main empties the map before returning.
 * Why right    Bounded: the keys in use move on through every bucket, so
 *              each bucket is swept every few hundred requests, and no
 *              expired entry survives longer than that; the cache holds a
 *              few dozen entries at any workload. A design of its own: a lazy
 *              sweep that costs nothing extra, instead of an ordered queue.
 * Must fail:
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
    struct entry *e = NULL;
    for (struct entry **p = chain; *p != NULL;) { /* FIX: sweep this bucket */
        struct entry *x = *p;
        if (now - x->born >= TTL) {
            *p = x->next; /* expired: unlink and free it */
            free(x);
            continue;
        }
        if (x->key == key)
            e = x;
        p = &x->next;
    }
    if (e != NULL && now - e->born < TTL) {
        ++*hits;
        return e->page;
    }
    if (e == NULL) {
        if ((e = make_entry(key)) == NULL)
            return NULL;
        e->next = *chain; /* FIX: until a lookup in this bucket finds it expired */
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
    for (size_t b = 0; b < BUCKETS; b++) { /* FIX: the owner empties the map */
        while (buckets[b] != NULL) {
            struct entry *next = buckets[b]->next;
            free(buckets[b]);
            buckets[b] = next;
        }
    }
    return 0;
}
