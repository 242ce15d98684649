/* unbounded_cache, a wrong fix: the cache is emptied at exit, never bounded
 *
 * The fix      An atexit() handler empties the cache when the program ends,
 *              and nothing else changes: only the second of the leaky
 *              program's two LEAK markers is dealt with.
 * Why wrong    The cache still grows with every new key for as long as the
 *              program runs: that growth is the leak. Nothing is left at
 *              exit, so LSan and memcheck stay quiet, as they were; massif
 *              still sees the heap rise all through main.
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

struct entry {
    uint32_t key;
    unsigned char *value; /* VALUE_SIZE bytes, owned by the entry */
    struct entry *chain;  /* next entry in the same bucket */
};

static struct entry *buckets[NBUCKETS]; /* the cache, a global: lives until exit */

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
    if (e != NULL)
        return e->value;
    e = make_entry(key);
    if (e == NULL)
        return NULL;
    e->chain = buckets[key % NBUCKETS];
    buckets[key % NBUCKETS] = e; /* still no bound, no eviction */
    return e->value;
}

/* Frees every cached entry and its value, and empties the map. An atexit()
 * handler. */
static void cache_clear(void)
{
    for (size_t i = 0; i < NBUCKETS; i++) {
        while (buckets[i] != NULL) {
            struct entry *e = buckets[i];
            buckets[i] = e->chain;
            free(e->value);
            free(e);
        }
    }
}

int main(int argc, char **argv)
{
    long queries = argc > 1 ? strtol(argv[1], NULL, 10) : 400;
    if (queries <= 0 || queries > 10000000) {
        fprintf(stderr, "usage: %s [QUERIES]  (1..10000000)\n", argv[0]);
        return 2;
    }
    if (atexit(cache_clear) != 0) /* WRONG: the only fix: the cache still grows */
        return 1;
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
    return 0;
}
