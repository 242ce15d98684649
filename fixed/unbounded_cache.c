/* unbounded_cache: the fixed twin (the leak: scenarios/unbounded_cache.c)
 *
 * What leaks    lookup() caches every value it computes (1000 bytes, made in
 *               make_entry()) in a global hash map that only ever grows:
 *               nothing is evicted, nothing is freed at exit. The memory
 *               stays referenced to the end, so no checker calls it lost.
 * Rule broken   A cache needs a bound and an eviction policy, and its owner
 *               must empty it before the program ends.
 * Detectors     what each says of the leaky twin; the fixed twin is clean under all.
 *   lsan      blind: the global map still points to every entry
 *   memcheck  blind (reachable):
 *               1000 B x distinct keys and their 24 B entries, still reachable, no error
 *   massif    leak (growing) in make_entry: the heap rises for the whole run
 *   census    blind: no thread or fd is involved
 *   gcc-analyzer blind: every entry is reachable from a global
 *   clang-analyzer blind: every entry is reachable from a global
 * Usage         unbounded_cache [QUERIES]      (default 400)
 * Prints        one line: the query count and a checksum of all values returned.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define VALUE_SIZE 1000 /* easy to spot in a report: 1000 bytes per value */
#define NBUCKETS 256    /* hash chains */
#define HOT_KEYS 32     /* half the queries go to these few keys: cache hits */
#define COLD_KEYS 32768 /* the other half spread over many more keys */
#define CAPACITY 64     /* FIX: the cache holds at most this many entries */

struct entry {
    uint32_t key;
    unsigned char *value; /* VALUE_SIZE bytes, owned by the entry */
    struct entry *chain;  /* next entry in the same bucket */
    struct entry *prev, *next; /* FIX: links in the LRU list */
};

static struct entry *buckets[NBUCKETS]; /* the cache, a global: lives until exit */
/* FIX: the LRU list, a ring through the sentinel `lru`, oldest first: lru.next
 * is the least recently used entry; `cached` counts the entries in the cache. */
static struct entry lru = {.prev = &lru, .next = &lru};
static long cached;

/* FIX: unlinks `e` from the LRU list. */
static void lru_unlink(struct entry *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
}

/* FIX: links `e` in at the end of the LRU list, as the most recently used. */
static void lru_push(struct entry *e)
{
    e->prev = lru.prev;
    e->next = &lru;
    lru.prev->next = e;
    lru.prev = e;
}

/* FIX: evicts the least recently used entry: unchains it from its bucket and
 * frees it with its value. */
static void cache_evict(void)
{
    struct entry *e = lru.next, **p = &buckets[e->key % NBUCKETS];
    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    lru_unlink(e);
    free(e->value);
    free(e);
    cached--;
}

/* Returns a new entry for `key` holding its freshly computed value, or NULL
 * when out of memory. The caller owns the entry and its value. */
static __attribute__((noinline)) struct entry *make_entry(uint32_t key)
{
    struct entry *e = malloc(sizeof *e);
    unsigned char *v = malloc(VALUE_SIZE);
    if (e == NULL || v == NULL) {
        free(e);
        free(v);
        return NULL;
    }
    e->key = key;
    e->value = v;
    for (size_t i = 0; i < VALUE_SIZE; i++)
        v[i] = (unsigned char)((key * 2654435761u) >> (i % 24));
    return e;
}

/* Returns the cached entry for `key`, or NULL. The cache keeps ownership. */
static struct entry *cache_find(uint32_t key)
{
    for (struct entry *e = buckets[key % NBUCKETS]; e != NULL; e = e->chain)
        if (e->key == key)
            return e;
    return NULL;
}

/* Returns the value for `key`, cached or computed (and then cached), or NULL
 * when out of memory. The cache owns the value: the caller must not free it. */
static const unsigned char *lookup(uint32_t key)
{
    struct entry *e = cache_find(key);
    if (e != NULL) {
        lru_unlink(e); /* FIX: a hit makes the entry the most recently used */
        lru_push(e);
        return e->value;
    }
    if (cached == CAPACITY)
        cache_evict(); /* FIX: full: make room by evicting the LRU entry */
    e = make_entry(key);
    if (e == NULL)
        return NULL;
    e->chain = buckets[key % NBUCKETS];
    buckets[key % NBUCKETS] = e;
    lru_push(e); /* FIX: bounded: at most CAPACITY entries, see cache_evict() */
    cached++;
    return e->value;
}

int main(int argc, char **argv)
{
    long queries = argc > 1 ? strtol(argv[1], NULL, 10) : 400;
    if (queries <= 0 || queries > 10000000) {
        fprintf(stderr, "usage: %s [QUERIES]  (1..10000000)\n", argv[0]);
        return 2;
    }
    uint32_t x = 12345, sum = 0;
    for (long i = 0; i < queries; i++) {
        x = x * 1664525u + 1013904223u; /* LCG: the same queries every run */
        uint32_t r = x >> 16;
        uint32_t key = (r & 1) ? (r >> 1) % HOT_KEYS : HOT_KEYS + (r >> 1) % COLD_KEYS;
        const unsigned char *v = lookup(key);
        if (v == NULL) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        for (size_t j = 0; j < VALUE_SIZE; j += 50)
            sum = sum * 31u + v[j];
    }
    printf("unbounded_cache: %ld queries, checksum %08x\n", queries, (unsigned)sum);
    while (cached > 0)
        cache_evict(); /* FIX: the owner empties the cache before returning */
    return 0;
}
