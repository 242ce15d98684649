/* unfreed_malloc, a wrong fix: the records are freed only at exit
 *
 * The fix      handle_request() hands every record to a registry, and an
 *              atexit() handler frees them all when the program ends.
 * Why wrong    Nothing is freed while the program runs: it still grows by
 *              1344 bytes per request, and a server never exits. LSan and
 *              memcheck look only at exit, after the handler ran, and say
 *              clean; massif watches the heap during main and still sees it
 *              rise with every request.
 * Must fail: bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: bounded_growth.heap: grew by
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_SIZE 1344

struct record {
    uint32_t id;
    char body[RECORD_SIZE - sizeof(uint32_t)];
};

static struct record **kept; /* every record made so far, freed at exit */
static size_t nkept, capacity;

/* Frees every kept record and the registry itself. An atexit() handler. */
static void free_kept(void)
{
    for (size_t i = 0; i < nkept; i++)
        free(kept[i]);
    free(kept);
}

/* Takes ownership of r until exit. Returns 0, or -1 when out of memory (r is
 * then still the caller's). */
static int keep(struct record *r)
{
    if (nkept == capacity) {
        size_t bigger = capacity ? 2 * capacity : 64;
        struct record **k = realloc(kept, bigger * sizeof *k);
        if (k == NULL)
            return -1;
        kept = k;
        capacity = bigger;
    }
    kept[nkept++] = r;
    return 0;
}

/* Returns a new record for request `id`, or NULL when out of memory.
 * The caller owns the record and must free() it. */
static __attribute__((noinline)) struct record *make_record(uint32_t id)
{
    struct record *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    r->id = id;
    memset(r->body, (int)('a' + id % 26), sizeof r->body);
    return r;
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, -1 when out of memory. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    struct record *r = make_record(id);
    if (r == NULL)
        return -1;
    for (size_t i = 0; i < sizeof r->body; i += 64)
        *sum = *sum * 31u + (uint32_t)r->body[i] + r->id;
    if (keep(r) != 0) { /* WRONG: the registry owns it until exit */
        free(r);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
    if (atexit(free_kept) != 0)
        return 1;
    uint32_t sum = 0;
    for (long i = 0; i < requests; i++) {
        if (handle_request((uint32_t)i, &sum) != 0) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
    }
    printf("unfreed_malloc: %ld requests, checksum %08x\n", requests, (unsigned)sum);
    return 0;
}
