/* unbounded_cache, a wrong fix: an LRU capped above what the test touches
 *
 * The fix      The fixed twin's LRU, with CAPACITY 5000: "the default run
 *              touches only 216 keys, so 5000 is plenty, and evictions are
 *              rare".
 * Why wrong    A bound above the workloads the student tried: at 400 queries
 *              nothing is ever evicted, and at ~4000 queries (2001 keys)
 *              neither, so until 5000 distinct keys the cache grows with
 *              every new key exactly like the leaky one: 5 MB before the
 *              first eviction, against the reference's 64 KB. The larger
 *              workload (~16000 queries, 7283 keys) shows the heap still
 *              growing with the work where the reference's stays flat.
 * Must fail: bounded_growth.heap leak_gone.massif no_new_leak.lsan no_new_leak.memcheck no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define VALUE_SIZE 1000 /* easy to spot in a report: 1000 bytes per value */
#define NBUCKETS 256    /* hash chains */
#define HOT_KEYS 32     /* half the queries go to these few keys: cache hits */
#define COLD_KEYS 32768 /* the other half spread over many more keys */
#define CAPACITY 5000   /* WRONG: more entries than the tests' runs ever make */

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
