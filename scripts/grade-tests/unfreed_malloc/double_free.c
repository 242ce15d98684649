/* unfreed_malloc, a wrong fix: the record is freed twice
 *
 * The fix      A helper, fold_reply(), computes the checksum and frees the
 *              record; handle_request() frees it too, "to be safe".
 * Why wrong    Two owners free one block. glibc detects the second free()
 *              and aborts the program (SIGABRT); AddressSanitizer reports an
 *              attempted double-free, memcheck an invalid free(). Exactly one
 *              owner must free a block, exactly once.
 * Must fail: compiles same_output no_crash_or_hang bounded_growth.heap leak_gone.lsan leak_gone.memcheck leak_gone.massif no_new_leak.census
 * Must say: same_output: SIGABRT
 * Must say: no_crash_or_hang: it was killed by SIGABRT
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

/* Folds the reply to record r into *sum and frees r. */
static void fold_reply(struct record *r, uint32_t *sum)
{
    for (size_t i = 0; i < sizeof r->body; i += 64)
        *sum = *sum * 31u + (uint32_t)r->body[i] + r->id;
    free(r);
}

/* Serves request `id`: adds its reply's checksum to *sum.
 * Returns 0 on success, -1 when out of memory. Owns nothing afterwards. */
static __attribute__((noinline)) int handle_request(uint32_t id, uint32_t *sum)
{
    struct record *r = make_record(id);
    if (r == NULL)
        return -1;
    fold_reply(r, sum);
    free(r); /* WRONG: fold_reply() already freed it */
    return 0;
}

int main(int argc, char **argv)
{
    long requests = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (requests <= 0 || requests > 10000000) {
        fprintf(stderr, "usage: %s [REQUESTS]  (1..10000000)\n", argv[0]);
        return 2;
    }
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
